//! The committed bindings match the `zmq.h` of the library actually linked: every integer
//! `ZMQ_*` constant has the header's value, every integer object-like `ZMQ_*` macro of the header
//! is in the bindings, and `zmq_msg_t`, `zmq_pollitem_t` (and `zmq_poller_event_t` with `draft`)
//! have the C size, alignment and field offsets. A small C program, compiled here with the system
//! C compiler against the same include directory the build used, prints the C side.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

const STABLE: &str = include_str!("../src/bindings.rs");
#[cfg(feature = "draft")]
const DRAFT: &str = include_str!("../src/bindings_draft.rs");

/// `pub const NAME: i32 = VALUE;` lines of the committed bindings.
fn rust_constants() -> BTreeMap<String, i64> {
    #[allow(unused_mut)]
    let mut texts = vec![STABLE];
    #[cfg(feature = "draft")]
    texts.push(DRAFT);
    let mut out = BTreeMap::new();
    for text in texts {
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((ty, value)) = rest.split_once('=') else {
                continue;
            };
            if !matches!(ty.trim(), "i32" | "u32" | "i64" | "u64") {
                continue; // string constants (message property names)
            }
            let value = value.trim().trim_end_matches(';');
            let parsed = value
                .parse::<i64>()
                .unwrap_or_else(|_| panic!("unparsed value {value} of {name}"));
            out.insert(name.trim().to_string(), parsed);
        }
    }
    out
}

fn include_args() -> Vec<String> {
    std::env::split_paths(env!("ZMQ_SYS_INCLUDE_DIRS"))
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| format!("-I{}", p.display()))
        .collect()
}

fn compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// The structs whose layout is compared, with the fields whose offsets are compared.
const STRUCTS: &[(&str, &[&str])] = &[
    ("zmq_msg_t", &[]),
    ("zmq_pollitem_t", &["socket", "fd", "events", "revents"]),
    #[cfg(feature = "draft")]
    (
        "zmq_poller_event_t",
        &["socket", "fd", "user_data", "events"],
    ),
];

/// A scratch directory for the C side, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("zmq-sys-abi-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        WorkDir(dir)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn draft_flags() -> Vec<&'static str> {
    if cfg!(feature = "draft") {
        vec!["-DZMQ_BUILD_DRAFT_API=1"]
    } else {
        vec![]
    }
}

/// Runs the C program that prints `NAME VALUE` for every constant the header defines, `NAME -`
/// for those it does not, and the sizes and alignments of the structs.
fn c_side(tag: &str, constants: &BTreeMap<String, i64>) -> BTreeMap<String, Option<i64>> {
    let mut src = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <zmq.h>\nint main(void) {\n",
    );
    for name in constants.keys() {
        src.push_str(&format!(
            "#ifdef {name}\n    printf(\"{name} %lld\\n\", (long long)({name}));\n#else\n    printf(\"{name} -\\n\");\n#endif\n"
        ));
    }
    for (ty, fields) in STRUCTS {
        src.push_str(&format!(
            "    printf(\"sizeof_{ty} %lld\\n\", (long long)sizeof({ty}));\n    printf(\"alignof_{ty} %lld\\n\", (long long)_Alignof({ty}));\n"
        ));
        for field in *fields {
            src.push_str(&format!(
                "    printf(\"offsetof_{ty}.{field} %lld\\n\", (long long)offsetof({ty}, {field}));\n"
            ));
        }
    }
    src.push_str("    return 0;\n}\n");

    let dir = WorkDir::new(tag);
    let c_file = dir.0.join("abi.c");
    let exe = dir.0.join("abi");
    std::fs::write(&c_file, src).unwrap();
    let out = Command::new(compiler())
        .args(include_args())
        .args(draft_flags())
        .arg("-std=gnu11")
        .arg(&c_file)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "C compile failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&exe).output().expect("run the ABI program");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (name, value) = l.split_once(' ').unwrap();
            (name.to_string(), value.parse::<i64>().ok())
        })
        .collect()
}

/// Integer object-like `ZMQ_*` macros of the header (`cc -E -dM`).
fn header_macros() -> Vec<String> {
    let dir = WorkDir::new("macros");
    let c_file = dir.0.join("macros.c");
    std::fs::write(&c_file, "#include <zmq.h>\n").unwrap();
    let out = Command::new(compiler())
        .args(include_args())
        .args(draft_flags())
        .args(["-E", "-dM"])
        .arg(&c_file)
        .output()
        .expect("run the C preprocessor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let defines: BTreeMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| l.split_once(' ').or(Some((l, ""))))
        .collect();
    // An integer macro's body is made of digits, hex, operators, parentheses and other macros.
    fn integer_body(body: &str, defines: &BTreeMap<&str, &str>, depth: u32) -> bool {
        if body.trim().is_empty() || depth > 8 {
            return false;
        }
        body.split(|c: char| "()+-|<> ~".contains(c))
            .filter(|t| !t.is_empty())
            .all(|tok| {
                tok.parse::<i64>().is_ok()
                    || (tok.starts_with("0x") && i64::from_str_radix(&tok[2..], 16).is_ok())
                    || defines
                        .get(tok)
                        .is_some_and(|b| integer_body(b, defines, depth + 1))
            })
    }
    defines
        .iter()
        .filter(|(name, _)| name.starts_with("ZMQ_") && !name.contains('('))
        .filter(|(_, body)| integer_body(body, &defines, 0))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn constants_match_the_header() {
    let rust = rust_constants();
    assert!(rust.len() > 150, "parsed only {} constants", rust.len());
    // The parse is checked against the real items.
    assert_eq!(rust["ZMQ_PUB"], i64::from(zmq_sys::ZMQ_PUB));
    assert_eq!(rust["ZMQ_LINGER"], i64::from(zmq_sys::ZMQ_LINGER));
    assert_eq!(rust["ZMQ_EVENT_ALL"], i64::from(zmq_sys::ZMQ_EVENT_ALL));
    assert_eq!(rust["EFSM"], i64::from(zmq_sys::EFSM));
    assert_eq!(rust["ZMQ_HAUSNUMERO"], i64::from(zmq_sys::ZMQ_HAUSNUMERO));

    let c = c_side("constants", &rust);
    let vendored = env!("ZMQ_SYS_VENDORED") == "1";
    let version: Vec<i64> = env!("ZMQ_SYS_VERSION")
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect();
    let mut mismatched = Vec::new();
    let mut absent = Vec::new();
    for (name, value) in &rust {
        match c.get(name).copied().flatten() {
            Some(c_value) => {
                let expected = match name.as_str() {
                    // A system libzmq other than 4.3.5 has its own version in its header.
                    "ZMQ_VERSION_MAJOR" if !vendored => version[0],
                    "ZMQ_VERSION_MINOR" if !vendored => version[1],
                    "ZMQ_VERSION_PATCH" if !vendored => version[2],
                    _ => *value,
                };
                if c_value != expected {
                    mismatched.push(format!("{name}: Rust {expected}, C {c_value}"));
                }
            }
            None => absent.push(name.clone()),
        }
    }
    assert!(
        mismatched.is_empty(),
        "constants differing from zmq.h: {mismatched:#?}"
    );
    if vendored {
        assert!(
            absent.is_empty(),
            "constants missing from the vendored zmq.h: {absent:?}"
        );
    } else if !absent.is_empty() {
        println!("not in this (older) system header: {absent:?}");
    }
}

#[test]
fn every_header_constant_is_bound() {
    let rust = rust_constants();
    // Platform errno fallbacks (ENOTSUP ...) are the OS's own on Linux; only ZMQ_* are checked.
    let missing: Vec<String> = header_macros()
        .into_iter()
        .filter(|m| !rust.contains_key(m))
        .filter(|m| {
            ![
                "ZMQ_DEFINED_STDINT",
                "ZMQ_HAVE_POLLER",
                "ZMQ_HAVE_TIMERS",
                "ZMQ_EXPORT",
                "ZMQ_BUILD_DRAFT_API",
            ]
            .contains(&m.as_str())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "zmq.h macros missing from the bindings: {missing:?}"
    );
}

#[test]
fn struct_layouts_match_the_header() {
    let c = c_side("layouts", &BTreeMap::new());
    let check = |ty: &str, size: usize, align: usize| {
        assert_eq!(
            c[&format!("sizeof_{ty}")],
            Some(size as i64),
            "size of {ty}"
        );
        assert_eq!(
            c[&format!("alignof_{ty}")],
            Some(align as i64),
            "alignment of {ty}"
        );
    };
    let offset = |ty: &str, field: &str, rust: usize| {
        assert_eq!(
            c[&format!("offsetof_{ty}.{field}")],
            Some(rust as i64),
            "offset of {ty}.{field}"
        );
    };
    check(
        "zmq_msg_t",
        std::mem::size_of::<zmq_sys::zmq_msg_t>(),
        std::mem::align_of::<zmq_sys::zmq_msg_t>(),
    );
    assert_eq!(std::mem::size_of::<zmq_sys::zmq_msg_t>(), 64);
    check(
        "zmq_pollitem_t",
        std::mem::size_of::<zmq_sys::zmq_pollitem_t>(),
        std::mem::align_of::<zmq_sys::zmq_pollitem_t>(),
    );
    {
        use zmq_sys::zmq_pollitem_t as T;
        let ty = "zmq_pollitem_t";
        offset(ty, "socket", std::mem::offset_of!(T, socket));
        offset(ty, "fd", std::mem::offset_of!(T, fd));
        offset(ty, "events", std::mem::offset_of!(T, events));
        offset(ty, "revents", std::mem::offset_of!(T, revents));
    }
    #[cfg(feature = "draft")]
    {
        use zmq_sys::zmq_poller_event_t as T;
        let ty = "zmq_poller_event_t";
        check(ty, std::mem::size_of::<T>(), std::mem::align_of::<T>());
        offset(ty, "socket", std::mem::offset_of!(T, socket));
        offset(ty, "fd", std::mem::offset_of!(T, fd));
        offset(ty, "user_data", std::mem::offset_of!(T, user_data));
        offset(ty, "events", std::mem::offset_of!(T, events));
    }
}
