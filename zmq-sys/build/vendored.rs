//! The vendored build: libzmq 4.3.5 from the `zeromq-src` crate, static, with the libsodium that
//! `libsodium-sys-stable` builds from its bundled tarball, so CURVE is on.

use crate::{c_compiler, cxx_runtime, env, Found};
use std::path::{Path, PathBuf};

/// What libzmq's own configure step (CMake `platform.hpp`) detects on Linux and `zeromq-src`
/// leaves out. Without the keepalive ones `ZMQ_TCP_KEEPALIVE*` are accepted and silently ignored;
/// without eventfd every signaler is a socketpair; without the CLOEXEC ones descriptors leak into
/// child processes; without accept4 every accepted connection costs two extra fcntl calls.
const LINUX_DEFINES: &[&str] = &[
    "ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC",
    "ZMQ_HAVE_PPOLL",
    "HAVE_POSIX_MEMALIGN=1",
    "ZMQ_CACHELINE_SIZE=64",
    "HAVE_FORK",
    "HAVE_CLOCK_GETTIME",
    "HAVE_MKDTEMP",
    "ZMQ_HAVE_NOEXCEPT",
    "ZMQ_HAVE_EVENTFD",
    "ZMQ_HAVE_EVENTFD_CLOEXEC",
    "ZMQ_HAVE_IFADDRS",
    "ZMQ_HAVE_SO_BINDTODEVICE",
    "ZMQ_HAVE_SO_PEERCRED",
    "ZMQ_HAVE_BUSY_POLL",
    "ZMQ_HAVE_O_CLOEXEC",
    "ZMQ_HAVE_SOCK_CLOEXEC",
    "ZMQ_HAVE_SO_KEEPALIVE",
    "ZMQ_HAVE_SO_PRIORITY",
    "ZMQ_HAVE_TCP_KEEPCNT",
    "ZMQ_HAVE_TCP_KEEPIDLE",
    "ZMQ_HAVE_TCP_KEEPINTVL",
    "ZMQ_HAVE_PTHREAD_SETNAME_2",
    "ZMQ_HAVE_PTHREAD_SET_AFFINITY",
    "HAVE_ACCEPT4",
    "HAVE_IF_NAMETOINDEX",
];

/// Defines only worth setting when the target's headers have them.
const LINUX_OPTIONAL_DEFINES: &[(&str, &str)] = &[("ZMQ_HAVE_TIPC", "linux/tipc.h")];

/// Compiler flags for the vendored libzmq on Linux, each used only if the compiler takes it.
/// `-fno-semantic-interposition`: cc builds with `-fPIC`, under which GCC assumes any exported
/// function may be replaced at load time and so never inlines one into another, even inside one
/// file (`msg_t::size()` into `msg_t::close()`, the pipe and encoder helpers). libzmq is linked
/// statically here, so nothing can interpose; the flag lets GCC inline. Measured with callgrind
/// (`benches/callgrind.sh`): 1-byte tcp throughput costs 964 + 879 instructions per message on the
/// receiving and sending sides instead of 1050 + 937 (-8 %); Debian's libzmq spends 1020 + 929.
const LINUX_FLAGS: &[&str] = &["-fno-semantic-interposition"];

/// Link-time optimisation of the vendored libzmq (GCC on Linux, optimised builds): the sources
/// are compiled with `-flto -ffat-lto-objects`, then the archive's objects are merged by one
/// relocatable link (`g++ -r -flto -flinker-output=nolto-rel`) into a single ordinary object,
/// which becomes the archive. GCC then inlines across libzmq's files: the small `msg_t`
/// accessors (`size()`, `flags()`, `is_routing_id()`...) that every send and receive calls from
/// other files, and the pipe's. Nothing changes for whoever links the archive (no linker plugin,
/// no flag). Measured with callgrind (`benches/callgrind.sh`): 1-byte tcp throughput costs
/// 794 + 777 instructions per message on the receiving and sending sides instead of 945 + 883
/// (BENCHMARKS.md). `-flto-partition=one`: GCC 12 stops with an internal error in its default
/// partitioning here. Should the merge fail (an older GCC without `-flinker-output`), the fat
/// objects' ordinary code is linked as before.
///
/// `LIBZMQ_LTO=0` turns it off, `LIBZMQ_LTO=1` turns it on at any opt-level; by default it is
/// on for `opt-level = 3` (release and bench builds), where the extra build time is paid once.
const LTO_COMPILE_FLAGS: &[&str] = &["-flto", "-ffat-lto-objects"];

fn want_lto() -> bool {
    match env::var("LIBZMQ_LTO").as_deref() {
        Some("0") => false,
        Some(_) => true,
        None => env::cargo("OPT_LEVEL") == "3",
    }
}

/// The C++ compiler cc chooses for the target (the one `zeromq-src` builds libzmq with).
fn cxx_tool() -> cc::Tool {
    cc::Build::new()
        .cpp(true)
        .cargo_metadata(false)
        .get_compiler()
}

/// Whether the C++ compiler is GCC (not clang under the name `c++`).
fn cxx_is_gcc(tool: &cc::Tool) -> bool {
    tool.is_like_gnu() && !tool.is_like_clang()
}

/// Merges the objects of `archive` into one by a relocatable LTO link with `cxx` and `flags`
/// (those of [`LINUX_FLAGS`] the compiler took) and makes that object the archive; leaves the
/// archive as it is if any step fails. Returns whether it merged.
fn lto_merge(archive: &Path, cxx: &cc::Tool, flags: &[&str]) -> bool {
    let work = PathBuf::from(env::cargo("OUT_DIR")).join("lto");
    let _ = std::fs::remove_dir_all(&work);
    if std::fs::create_dir_all(&work).is_err() {
        return false;
    }
    let build = cc::Build::new();
    let run = |mut cmd: std::process::Command| {
        cmd.current_dir(&work)
            .output()
            .map(|o| {
                if !o.status.success() {
                    println!(
                        "zmq-sys: LTO merge step failed ({:?}): {}",
                        cmd,
                        String::from_utf8_lossy(&o.stderr).trim()
                    );
                }
                o.status.success()
            })
            .unwrap_or(false)
    };
    let mut extract = build.get_archiver();
    extract.arg("x").arg(archive);
    if !run(extract) {
        return false;
    }
    let mut objects: Vec<PathBuf> = match std::fs::read_dir(&work) {
        Ok(dir) => dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "o"))
            .collect(),
        Err(_) => return false,
    };
    objects.sort();
    if objects.is_empty() {
        return false;
    }
    let merged = work.join("libzmq-lto.o");
    let mut link = cxx.to_command();
    link.args([
        "-r",
        "-flto",
        "-flto-partition=one",
        "-flinker-output=nolto-rel",
    ])
    .arg(format!("-O{}", opt_level_number()))
    .args(flags)
    .arg("-o")
    .arg(&merged)
    .args(&objects);
    if !run(link) {
        return false;
    }
    let fresh = work.join("libzmq.a");
    let mut pack = build.get_archiver();
    pack.arg("crs").arg(&fresh).arg(&merged);
    if !run(pack) {
        return false;
    }
    std::fs::rename(&fresh, archive).is_ok()
}

/// The optimisation level for the LTO link: cargo's `OPT_LEVEL` as a number (`s` and `z` are
/// size levels, linked at `-Os`).
fn opt_level_number() -> String {
    match env::cargo("OPT_LEVEL").as_str() {
        "s" | "z" => "s".to_string(),
        n => n.to_string(),
    }
}

/// `zeromq-src` builds with its own `cc::Build`, which takes extra flags only from the
/// environment (`CXXFLAGS` and its target-specific forms). Append our defines and flags to the
/// variable cc will read, so flags the user set keep working (and come first).
fn add_cxx_flags(defines: &[String], flags_to_add: &[&str]) {
    let target = env::cargo("TARGET");
    let candidates = [
        format!("CXXFLAGS_{target}"),
        format!("CXXFLAGS_{}", target.replace('-', "_")),
        "TARGET_CXXFLAGS".to_string(),
        "CXXFLAGS".to_string(),
    ];
    let key = candidates
        .iter()
        .find(|k| std::env::var_os(k).is_some())
        .cloned()
        .unwrap_or_else(|| "CXXFLAGS".to_string());
    let mut flags = std::env::var(&key).unwrap_or_default();
    for d in defines {
        flags.push_str(" -D");
        flags.push_str(d);
    }
    for f in flags_to_add {
        flags.push(' ');
        flags.push_str(f);
    }
    std::env::set_var(&key, flags.trim());
}

/// Whether the target's C compiler accepts `source` with `args` (a syntax check, no output).
fn compiles(source: &str, args: &[&str]) -> bool {
    let out = PathBuf::from(env::cargo("OUT_DIR")).join("probe_flags.c");
    std::fs::write(&out, source).is_ok()
        && c_compiler()
            .arg("-fsyntax-only")
            .args(args)
            .arg(&out)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
}

fn header_exists(header: &str) -> bool {
    compiles(
        &format!("#include <{header}>\nint main(void){{return 0;}}\n"),
        &[],
    )
}

/// Builds libzmq and returns where it is.
pub fn build(draft: bool) -> Found {
    let target = env::cargo("TARGET");
    // With link-time optimisation: the C++ compiler and the flags of `LINUX_FLAGS` it took, for
    // the merge link.
    let mut lto: Option<(cc::Tool, Vec<&str>)> = None;
    if target.contains("linux") && !target.contains("android") {
        let mut defines: Vec<String> = LINUX_DEFINES.iter().map(|s| s.to_string()).collect();
        for (define, header) in LINUX_OPTIONAL_DEFINES {
            if header_exists(header) {
                defines.push(define.to_string());
            }
        }
        let accepted: Vec<&str> = LINUX_FLAGS
            .iter()
            .copied()
            .filter(|f| compiles("int main(void){return 0;}\n", &["-Werror", f]))
            .collect();
        let mut flags = accepted.clone();
        if want_lto() && compiles("int main(void){return 0;}\n", LTO_COMPILE_FLAGS) {
            let cxx = cxx_tool();
            if cxx_is_gcc(&cxx) {
                flags.extend_from_slice(LTO_COMPILE_FLAGS);
                lto = Some((cxx, accepted));
            }
        }
        add_cxx_flags(&defines, &flags);
    }

    let sodium_include = PathBuf::from(
        std::env::var("DEP_SODIUM_INCLUDE")
            .expect("libsodium-sys-stable did not say where its headers are"),
    );
    let sodium_lib = PathBuf::from(
        std::env::var("DEP_SODIUM_LIB")
            .expect("libsodium-sys-stable did not say where its library is"),
    );

    zeromq_src::Build::new()
        .enable_draft(draft)
        .with_libsodium(Some(zeromq_src::LibLocation::new(
            &sodium_lib,
            &sodium_include,
        )))
        .build();

    let out = PathBuf::from(env::cargo("OUT_DIR"));
    let lib_dir = out.join("lib");
    let include_dir = out.join("source").join("include");
    if let Some((cxx, accepted)) = &lto {
        let merged = lto_merge(&lib_dir.join("libzmq.a"), cxx, accepted);
        println!("zmq-sys: libzmq link-time optimised: {merged}");
    }

    let mut link_args = vec![
        format!("-L{}", lib_dir.display()),
        "-lzmq".to_string(),
        format!("-L{}", sodium_lib.display()),
        "-lsodium".to_string(),
    ];
    link_args.push(format!("-l{}", cxx_runtime(&target)));
    if !target.contains("windows") {
        link_args.push("-lpthread".into());
    }
    Found {
        include_dirs: vec![include_dir],
        link_args,
        vendored: true,
    }
}
