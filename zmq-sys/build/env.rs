//! Reading the build environment: every variable also in its `<TARGET>_` form, each with a
//! `rerun-if-env-changed` line, as openssl-sys does.

/// Reads `NAME`, preferring `<TARGET>_NAME` (triple upper-cased, `-` → `_`) when that is set.
pub fn var(name: &str) -> Option<String> {
    let target = std::env::var("TARGET").unwrap_or_default();
    let prefixed = format!("{}_{}", target.to_uppercase().replace('-', "_"), name);
    for key in [prefixed.as_str(), name] {
        println!("cargo:rerun-if-env-changed={key}");
        // Logged as openssl-sys does: the build script's output (target/*/build/zmq-sys-*/output)
        // then says what the build read, for anyone debugging which libzmq was chosen.
        match std::env::var(key) {
            Ok(v) => {
                println!("{key} = {v}");
                return Some(v);
            }
            Err(_) => println!("{key} unset"),
        }
    }
    None
}

/// Whether the cargo feature `name` (upper case, `-` → `_`) is on.
pub fn feature(name: &str) -> bool {
    std::env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

/// Reads a variable that cargo sets for build scripts.
pub fn cargo(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo did not set {name}"))
}
