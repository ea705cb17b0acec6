//! Asks the chosen libzmq what it is: a small C program linked against it prints
//! `zmq_version` and `zmq_has` for every capability name libzmq knows.

use crate::{c_compiler, env, find_header, Found, MIN_VERSION};
use std::path::PathBuf;
use std::process::Command;

/// Capability names, as `zmq_has` spells them; `WS`/`WSS` are upper case in libzmq.
const CAPABILITIES: &[&str] = &[
    "ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft", "vmci", "WS", "WSS",
];

/// What the probe found.
pub struct Capabilities {
    pub version: (u32, u32, u32),
    /// `(lower-case name, present)` for every entry of [`CAPABILITIES`].
    pub capabilities: Vec<(String, bool)>,
}

impl Capabilities {
    pub fn has(&self, name: &str) -> bool {
        self.capabilities.iter().any(|(n, on)| n == name && *on)
    }
    pub fn version_string(&self) -> String {
        let (a, b, c) = self.version;
        format!("{a}.{b}.{c}")
    }
}

const PROBE_C: &str = r#"
#include <stdio.h>
#include <zmq.h>
int main(int argc, char **argv) {
    int major, minor, patch, i;
    zmq_version(&major, &minor, &patch);
    printf("version %d %d %d\n", major, minor, patch);
    for (i = 1; i < argc; i++)
        printf("has %s %d\n", argv[i], zmq_has(argv[i]));
    return 0;
}
"#;

fn compile_flags(found: &Found) -> Vec<String> {
    found
        .include_dirs
        .iter()
        .map(|d| format!("-I{}", d.display()))
        .collect()
}

/// Builds and runs the probe; when cross-compiling, reads the header and assumes the rest.
pub fn run(found: &Found, want_draft: bool) -> Capabilities {
    let out = PathBuf::from(env::cargo("OUT_DIR"));
    let src = out.join("zmq_probe.c");
    let exe = out.join("zmq_probe");
    std::fs::write(&src, PROBE_C).expect("cannot write the probe source into OUT_DIR");

    let output = c_compiler()
        .args(compile_flags(found))
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .args(&found.link_args)
        .output()
        .expect("cannot run the C compiler to probe libzmq");
    if !output.status.success() {
        panic!(
            "\n\nzmq-sys: a program linked against the chosen libzmq does not build.\n\
             link arguments: {:?}\ncompiler said:\n{}\n\
             Check that libzmq and its headers are installed (Debian: apt-get install libzmq3-dev) \
             or that LIBZMQ_LIB_DIR / LIBZMQ_INCLUDE_DIR point at them.\n\n",
            found.link_args,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    if env::cargo("HOST") != env::cargo("TARGET") {
        return assumed(found, want_draft);
    }
    let mut cmd = Command::new(&exe);
    cmd.args(CAPABILITIES);
    // A shared library from LIBZMQ_LIB_DIR may not be on the loader's path.
    let lib_paths: Vec<&str> = found
        .link_args
        .iter()
        .filter_map(|a| a.strip_prefix("-L"))
        .collect();
    if !lib_paths.is_empty() {
        let mut paths = lib_paths.join(":");
        if let Ok(old) = std::env::var("LD_LIBRARY_PATH") {
            paths = format!("{paths}:{old}");
        }
        cmd.env("LD_LIBRARY_PATH", paths);
    }
    let output = cmd.output().expect("cannot run the libzmq probe");
    if !output.status.success() {
        panic!(
            "\n\nzmq-sys: the libzmq probe built but did not run: {}\n\
             If libzmq is a shared library outside the loader's path, add its directory to LD_LIBRARY_PATH.\n\n",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&String::from_utf8_lossy(&output.stdout))
}

fn parse(text: &str) -> Capabilities {
    let mut version = (0, 0, 0);
    let mut capabilities = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["version", a, b, c] => {
                version = (
                    a.parse().unwrap_or(0),
                    b.parse().unwrap_or(0),
                    c.parse().unwrap_or(0),
                );
            }
            ["has", name, on] => capabilities.push((name.to_lowercase(), *on == "1")),
            _ => {}
        }
    }
    Capabilities {
        version,
        capabilities,
    }
}

/// Cross-compiling: the version comes from the header; capabilities are what the vendored build
/// is known to have, or, for a system library, only what was asked for.
fn assumed(found: &Found, want_draft: bool) -> Capabilities {
    let header = find_header(&found.include_dirs)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let define = |name: &str| -> u32 {
        header
            .lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    let version = match define("ZMQ_VERSION_MAJOR") {
        0 => MIN_VERSION,
        major => (
            major,
            define("ZMQ_VERSION_MINOR"),
            define("ZMQ_VERSION_PATCH"),
        ),
    };
    println!(
        "cargo:warning=zmq-sys: cross-compiling, so libzmq's capabilities are assumed, not probed"
    );
    let on = |name: &str| match name {
        "draft" => want_draft,
        "curve" | "ipc" | "ws" => found.vendored,
        _ => false,
    };
    Capabilities {
        version,
        capabilities: CAPABILITIES
            .iter()
            .map(|n| (n.to_lowercase(), on(&n.to_lowercase())))
            .collect(),
    }
}
