//! Turns what `zmq-sys` found (its `DEP_ZMQ_*` metadata) into cfg flags for the safe crate, so it
//! never calls what the linked libzmq lacks:
//!
//! - `zmq_vendored`: libzmq was built from source by zmq-sys;
//! - `zmq_has_<cap>`: `zmq_has("<cap>")` is true for ipc, pgm, tipc, norm, curve, gssapi, draft,
//!   vmci, ws, wss;
//! - `zmq_4_3_3`, `zmq_4_3_4`, `zmq_4_3_5`: the library is at least that version.

const VERSIONS: &[(u32, u32, u32)] = &[(4, 3, 3), (4, 3, 4), (4, 3, 5)];

fn dep(name: &str) -> Option<String> {
    std::env::var(format!("DEP_ZMQ_{name}")).ok()
}

fn main() {
    println!("cargo:rustc-check-cfg=cfg(zmq_vendored)");
    // zmq-sys reports every capability it knows, present or not (`DEP_ZMQ_HAS_<NAME>` = 1 or 0):
    // its probe's list is the one list of capability names.
    let mut caps: Vec<(String, String)> = std::env::vars()
        .filter_map(|(k, v)| Some((k.strip_prefix("DEP_ZMQ_HAS_")?.to_lowercase(), v)))
        .collect();
    caps.sort();
    for (cap, on) in caps {
        println!("cargo:rustc-check-cfg=cfg(zmq_has_{cap})");
        if on == "1" {
            println!("cargo:rustc-cfg=zmq_has_{cap}");
        }
    }
    // The bindings zmq-sys compiled, for the unit test that checks the option table against them.
    if let Some(bindings) = dep("BINDINGS") {
        println!("cargo:rustc-env=ZMQ_SYS_BINDINGS={bindings}");
    }
    if dep("VENDORED").as_deref() == Some("1") {
        println!("cargo:rustc-cfg=zmq_vendored");
    }
    let version = dep("VERSION").expect("zmq-sys reports the libzmq version (DEP_ZMQ_VERSION)");
    let parsed: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    let have = (
        parsed.first().copied().unwrap_or(0),
        parsed.get(1).copied().unwrap_or(0),
        parsed.get(2).copied().unwrap_or(0),
    );
    for &(a, b, c) in VERSIONS {
        println!("cargo:rustc-check-cfg=cfg(zmq_{a}_{b}_{c})");
        if have >= (a, b, c) {
            println!("cargo:rustc-cfg=zmq_{a}_{b}_{c}");
        }
    }
    // Tests compare the runtime answers with what the build found.
    println!("cargo:rustc-env=ZMQ_BUILD_VERSION={version}");
    println!(
        "cargo:rustc-env=ZMQ_BUILD_VENDORED={}",
        dep("VENDORED").unwrap_or_default()
    );
}
