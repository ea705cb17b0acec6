//! Build script of `zmq-sys`: finds or builds libzmq, probes what it can do, and tells dependents.
//!
//! Order (modelled on openssl-sys and libgit2-sys):
//! 1. feature `vendored` and no `LIBZMQ_NO_VENDOR` → build libzmq 4.3.5 from `zeromq-src`, with libsodium;
//! 2. otherwise `LIBZMQ_LIB_DIR` (+ `LIBZMQ_INCLUDE_DIR`, `LIBZMQ_STATIC`) → that library;
//! 3. otherwise pkg-config `libzmq >= 4.3.2`;
//! 4. otherwise stop with a message that says what to install or set.
//!
//! Whatever was chosen is then probed (a small C program calling `zmq_version` and `zmq_has`),
//! and the result is passed on as `DEP_ZMQ_*` metadata: `version`, `vendored`, `include`, and one
//! `has_<capability>` per capability. The `zmq` crate turns those into cfg flags.

mod env;
mod probe;
mod system;
#[cfg(feature = "vendored")]
mod vendored;

#[cfg(feature = "buildtime-bindgen")]
mod bindgen_gen;

use std::path::PathBuf;

/// The oldest libzmq this crate supports (the one place it is written).
pub const MIN_VERSION: (u32, u32, u32) = (4, 3, 2);

/// [`MIN_VERSION`] as text, e.g. for pkg-config.
pub fn min_version_string() -> String {
    let (a, b, c) = MIN_VERSION;
    format!("{a}.{b}.{c}")
}

/// The first `zmq.h` in `dirs` (the one lookup of the header).
pub fn find_header(dirs: &[PathBuf]) -> Option<PathBuf> {
    dirs.iter().map(|d| d.join("zmq.h")).find(|p| p.is_file())
}

/// The target's C compiler as a command, without cargo metadata or warnings (the one way the
/// build scripts call it: the probe program and the flag checks).
pub fn c_compiler() -> std::process::Command {
    cc::Build::new()
        .cargo_metadata(false)
        .warnings(false)
        .get_compiler()
        .to_command()
}

/// The C++ runtime a static libzmq needs on `target`: libc++ on Apple systems and the BSDs,
/// libstdc++ elsewhere (the one rule, for the vendored build and `LIBZMQ_STATIC`).
pub fn cxx_runtime(target: &str) -> &'static str {
    if target.contains("apple")
        || target.contains("freebsd")
        || target.contains("openbsd")
        || target.contains("netbsd")
        || target.contains("dragonfly")
    {
        "c++"
    } else {
        "stdc++"
    }
}

/// The library chosen for linking, before probing.
pub struct Found {
    /// Directories holding `zmq.h` (may be empty: the compiler's default search path).
    pub include_dirs: Vec<PathBuf>,
    /// Arguments that link a C program against this library (used by the probe).
    pub link_args: Vec<String>,
    /// Built from source here.
    pub vendored: bool,
}

fn main() {
    println!("cargo:rerun-if-changed=build");
    let want_draft = env::feature("DRAFT");
    let no_vendor = env::var("LIBZMQ_NO_VENDOR").is_some_and(|v| v != "0");

    #[cfg(feature = "vendored")]
    let found = if no_vendor {
        system::find()
    } else {
        vendored::build(want_draft)
    };
    #[cfg(not(feature = "vendored"))]
    let found = {
        let _ = no_vendor;
        system::find()
    };

    let caps = probe::run(&found, want_draft);

    if want_draft && !caps.has("draft") {
        panic!(
            "\n\nzmq-sys: the `draft` feature was asked for, but the libzmq found ({}) was built without \
             the DRAFT API.\nEither build the vendored libzmq (the default `vendored` feature, and unset \
             LIBZMQ_NO_VENDOR), or point LIBZMQ_LIB_DIR / LIBZMQ_INCLUDE_DIR at a libzmq configured \
             with --enable-drafts.\n\n",
            caps.version_string()
        );
    }
    if caps.version < MIN_VERSION {
        panic!(
            "\n\nzmq-sys: libzmq {} was found, but at least {} is needed.\nInstall a newer libzmq \
             (Debian/Ubuntu: apt-get install libzmq3-dev), or use the default `vendored` feature.\n\n",
            caps.version_string(),
            min_version_string()
        );
    }

    // Metadata for dependents (`DEP_ZMQ_*`).
    println!("cargo:version={}", caps.version_string());
    println!("cargo:vendored={}", u8::from(found.vendored));
    if let Some(dir) = found.include_dirs.first() {
        println!("cargo:include={}", dir.display());
    }
    for (name, on) in &caps.capabilities {
        println!("cargo:has_{}={}", name, u8::from(*on));
    }
    // Where the Rust bindings compiled into this crate are, for dependents' tests that check
    // their own tables against them (a path, so it works from a packaged crate too).
    let bindings = if cfg!(feature = "buildtime-bindgen") {
        PathBuf::from(env::cargo("OUT_DIR")).join("bindings.rs")
    } else {
        PathBuf::from(env::cargo("CARGO_MANIFEST_DIR")).join("src/bindings.rs")
    };
    println!("cargo:bindings={}", bindings.display());
    // For zmq-sys's own tests (the ABI test compiles C against the same header).
    let include_list = std::env::join_paths(&found.include_dirs).unwrap_or_default();
    println!(
        "cargo:rustc-env=ZMQ_SYS_INCLUDE_DIRS={}",
        include_list.to_string_lossy()
    );
    println!("cargo:rustc-env=ZMQ_SYS_VERSION={}", caps.version_string());
    println!(
        "cargo:rustc-env=ZMQ_SYS_VENDORED={}",
        u8::from(found.vendored)
    );

    #[cfg(feature = "buildtime-bindgen")]
    bindgen_gen::generate(&found.include_dirs);
}
