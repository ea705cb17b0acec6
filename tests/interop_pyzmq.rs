//! Interoperability with pyzmq (installed from PyPI by .ci/pyzmq-venv.sh): certificates written
//! by either load in the other; a pyzmq CURVE client gets `World` from our `curve_server` only
//! with an allowed certificate; our `curve_client` works against a pyzmq server behind pyzmq's
//! ThreadAuthenticator and is refused with an unknown certificate.
//!
//! Python is `$ZMQ_TEST_PYTHON` or `target/pyzmq-venv/bin/python`. Without pyzmq the tests print
//! "pyzmq not available: skipped" and pass, unless `ZMQ_REQUIRE_PYZMQ=1`.

mod security_util;

use security_util::temp_dir;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const PY_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/py");

/// The python that has pyzmq, or None (after printing why) when the tests should be skipped.
fn python() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = match std::env::var_os("ZMQ_TEST_PYTHON") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyzmq-venv/bin/python")],
    };
    for py in candidates {
        let ok = Command::new(&py)
            .args(["-c", "import zmq, zmq.auth"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            if !zmq::has("curve") {
                println!("libzmq has no CURVE: pyzmq interop skipped");
                return None;
            }
            return Some(py);
        }
    }
    if std::env::var("ZMQ_REQUIRE_PYZMQ").as_deref() == Ok("1") {
        panic!("pyzmq not available (ZMQ_REQUIRE_PYZMQ=1): run .ci/pyzmq-venv.sh or set ZMQ_TEST_PYTHON");
    }
    println!("pyzmq not available: skipped (run .ci/pyzmq-venv.sh, or set ZMQ_TEST_PYTHON)");
    None
}

fn script(name: &str) -> String {
    format!("{PY_DIR}/{name}")
}

/// Runs a python helper to completion (bounded), returning its stdout lines.
fn run_py(py: &Path, args: &[&str]) -> (ExitStatus, Vec<String>) {
    let child = Command::new(py)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn python");
    wait_output(child, Duration::from_secs(30))
}

fn wait_output(mut child: Child, limit: Duration) -> (ExitStatus, Vec<String>) {
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("child process did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, reader.join().unwrap())
}

/// One of our examples, built by `cargo test` next to the test binary.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("examples").join(name);
    path.exists().then_some(path)
}

/// Kills the child when dropped.
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn pyzmq_certificates_load_in_ours() {
    let Some(py) = python() else { return };
    let dir = temp_dir("py-certs");
    let d = dir.to_str().unwrap();
    let (status, _) = run_py(
        &py,
        &[
            &script("pyzmq_certs.py"),
            "create",
            d,
            "alice",
            "name=alice smith",
            "role=admin",
        ],
    );
    assert!(status.success());
    let public = zmq::Certificate::load(dir.join("alice.key")).unwrap();
    let secret = zmq::Certificate::load(dir.join("alice.key_secret")).unwrap();
    assert_eq!(public.public(), secret.public());
    assert!(public.secret().is_none());
    let pair = secret.keypair().unwrap();
    assert_eq!(zmq::curve_public(&pair.secret).unwrap(), pair.public);
    assert_eq!(secret.meta("name"), Some("alice smith"));
    assert_eq!(secret.meta("role"), Some("admin"));
    // pyzmq's own reading agrees with ours.
    let (_, lines) = run_py(
        &py,
        &[
            &script("pyzmq_certs.py"),
            "load",
            dir.join("alice.key_secret").to_str().unwrap(),
        ],
    );
    assert_eq!(lines, [pair.public.to_z85(), pair.secret.to_z85()]);
    assert_eq!(zmq::load_certificates(&dir).unwrap(), [public]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn our_certificates_load_in_pyzmq() {
    let Some(py) = python() else { return };
    let dir = temp_dir("rs-certs");
    let (public_file, secret_file) =
        zmq::create_certificates(&dir, "bob", &[("name", "bob")]).unwrap();
    let cert = zmq::Certificate::load(&secret_file).unwrap();
    let (status, lines) = run_py(
        &py,
        &[
            &script("pyzmq_certs.py"),
            "load",
            secret_file.to_str().unwrap(),
        ],
    );
    assert!(status.success());
    assert_eq!(
        lines,
        [cert.public().to_z85(), cert.secret().unwrap().to_z85()]
    );
    let (_, lines) = run_py(
        &py,
        &[
            &script("pyzmq_certs.py"),
            "load",
            public_file.to_str().unwrap(),
        ],
    );
    assert_eq!(lines, [cert.public().to_z85(), "None".to_string()]);
    let (_, lines) = run_py(
        &py,
        &[&script("pyzmq_certs.py"), "load_dir", dir.to_str().unwrap()],
    );
    assert_eq!(lines, [cert.public().to_z85()]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Our CURVE server (the `curve_server` example, or the same code in a thread when the example
/// was not built): returns its endpoint and a guard.
fn start_our_server(secret_cert: &Path, allow_dir: &Path) -> (String, Box<dyn std::any::Any>) {
    if let Some(exe) = example("curve_server") {
        let mut child = Command::new(exe)
            .args(["--bind", "tcp://127.0.0.1:*", "--secret-cert"])
            .arg(secret_cert)
            .arg("--allow-dir")
            .arg(allow_dir)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let endpoint = line
            .split_whitespace()
            .find(|w| w.starts_with("tcp://"))
            .unwrap_or_else(|| panic!("curve_server said {line:?}"))
            .to_string();
        // Keep draining stderr so the server never blocks on it.
        std::thread::spawn(move || for _ in stderr.lines() {});
        return (endpoint, Box::new(Guard(child)));
    }
    println!("curve_server example not built: using the same code in a thread");
    let cert = zmq::Certificate::load(secret_cert).unwrap();
    let ctx = zmq::Context::new();
    let auth = zmq::Authenticator::new(&ctx).unwrap();
    auth.configure_curve_certificates("*", allow_dir).unwrap();
    let server = ctx.socket(zmq::REP).unwrap();
    server
        .set_curve_server_keys(cert.secret().unwrap())
        .unwrap();
    server
        .set_rcvtimeo(Some(Duration::from_millis(100)))
        .unwrap();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::spawn(move || {
        let _auth = auth;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            if server.recv().is_ok() {
                server.send("World").unwrap();
            }
        }
    });
    struct Stop(std::sync::Arc<std::sync::atomic::AtomicBool>);
    impl Drop for Stop {
        fn drop(&mut self) {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    (endpoint, Box::new(Stop(stop)))
}

#[test]
fn pyzmq_client_against_our_curve_server() {
    let Some(py) = python() else { return };
    let keys = temp_dir("interop-keys");
    let allowed = temp_dir("interop-allowed");
    let (server_public, server_secret) = zmq::create_certificates(&keys, "server", &[]).unwrap();
    // The clients' certificates are made by pyzmq.
    let k = keys.to_str().unwrap();
    assert!(
        run_py(&py, &[&script("pyzmq_certs.py"), "create", k, "good"])
            .0
            .success()
    );
    assert!(
        run_py(&py, &[&script("pyzmq_certs.py"), "create", k, "bad"])
            .0
            .success()
    );
    std::fs::copy(keys.join("good.key"), allowed.join("good.key")).unwrap();

    let (endpoint, _server) = start_our_server(&server_secret, &allowed);
    let client = |name: &str, timeout_ms: &str| {
        let cert = keys.join(format!("{name}.key_secret"));
        run_py(
            &py,
            &[
                &script("pyzmq_curve_client.py"),
                &endpoint,
                cert.to_str().unwrap(),
                server_public.to_str().unwrap(),
                "3",
                timeout_ms,
            ],
        )
    };
    let (status, lines) = client("good", "5000");
    assert!(status.success(), "allowed pyzmq client failed: {lines:?}");
    assert_eq!(
        lines,
        ["reply 1: World", "reply 2: World", "reply 3: World"]
    );
    let (status, lines) = client("bad", "1000");
    assert!(
        !status.success(),
        "an unknown pyzmq client got in: {lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("World")), "{lines:?}");
    std::fs::remove_dir_all(&keys).unwrap();
    std::fs::remove_dir_all(&allowed).unwrap();
}

/// Our CURVE client (the `curve_client` example, or the same code in-process): whether all
/// `count` replies were `World`.
fn run_our_client(endpoint: &str, secret_cert: &Path, server_cert: &Path, count: u32) -> bool {
    if let Some(exe) = example("curve_client") {
        let child = Command::new(exe)
            .args(["--connect", endpoint, "--secret-cert"])
            .arg(secret_cert)
            .arg("--server-cert")
            .arg(server_cert)
            .args(["--count", &count.to_string(), "--timeout-ms", "1500"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (status, lines) = wait_output(child, Duration::from_secs(30));
        if status.success() {
            assert_eq!(lines.len(), count as usize);
            assert!(lines.iter().all(|l| l.ends_with(": World")), "{lines:?}");
        }
        return status.success();
    }
    println!("curve_client example not built: using the same code in-process");
    let keys = zmq::Certificate::load(secret_cert)
        .unwrap()
        .keypair()
        .unwrap();
    let server = zmq::Certificate::load(server_cert).unwrap();
    let ctx = zmq::Context::new();
    let client = ctx.socket(zmq::REQ).unwrap();
    client
        .set_curve_client_keys(&keys, server.public())
        .unwrap();
    client
        .set_rcvtimeo(Some(Duration::from_millis(1500)))
        .unwrap();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    client.connect(endpoint).unwrap();
    (0..count).all(|_| {
        client.send("Hello").unwrap();
        matches!(client.recv(), Ok(m) if m == "World")
    })
}

#[test]
fn our_curve_client_against_pyzmq_thread_authenticator() {
    let Some(py) = python() else { return };
    let keys = temp_dir("interop2-keys");
    let allowed = temp_dir("interop2-allowed");
    let (server_public, server_secret) = zmq::create_certificates(&keys, "server", &[]).unwrap();
    let (good_public, good_secret) = zmq::create_certificates(&keys, "good", &[]).unwrap();
    let (_, bad_secret) = zmq::create_certificates(&keys, "bad", &[]).unwrap();
    std::fs::copy(&good_public, allowed.join("good.key")).unwrap();

    let mut child = Command::new(&py)
        .arg(script("pyzmq_curve_server.py"))
        .arg(&server_secret)
        .arg(&allowed)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let stdin = child.stdin.take().unwrap();
    let _guard = Guard(child);
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let endpoint = line
        .strip_prefix("READY ")
        .unwrap_or_else(|| panic!("pyzmq server said {line:?}"))
        .trim()
        .to_string();
    let log = std::thread::spawn(move || stdout.lines().map_while(Result::ok).collect::<Vec<_>>());

    assert!(
        run_our_client(&endpoint, &good_secret, &server_public, 3),
        "allowed client refused"
    );
    assert!(
        !run_our_client(&endpoint, &bad_secret, &server_public, 1),
        "unknown client got in"
    );

    drop(stdin);
    let log = log.join().unwrap();
    let good = zmq::Certificate::load(&good_public).unwrap();
    // pyzmq's authenticator gave the Z85 key as User-Id.
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(
        log.iter()
            .all(|l| l == &format!("request from {}: Hello", good.public())),
        "{log:?}"
    );
    std::fs::remove_dir_all(&keys).unwrap();
    std::fs::remove_dir_all(&allowed).unwrap();
}

/// pyzmq's `send_json` / `recv_json` and ours (feature `serde`) read each other: a pyzmq REQ
/// sends a reading with `send_json`, our REP decodes it with `recv_json` into a typed struct and
/// answers with `send_json`, which pyzmq's `recv_json` reads; a frame that is not JSON is a
/// `Malformed` error on our side, with the frame handed back.
#[cfg(feature = "serde")]
#[test]
fn pyzmq_send_json_and_ours_read_each_other() {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Reading {
        zipcode: u32,
        temperature: i32,
        humidity: f64,
        station: String,
        tags: Vec<String>,
    }
    #[derive(serde::Serialize)]
    struct Reply<'a> {
        received: &'a Reading,
        note: &'a str,
        big: u64,
    }

    let Some(py) = python() else { return };
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP).unwrap();
    server.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    let served = std::thread::spawn(move || {
        let reading: Reading = server.recv_json().unwrap();
        assert_eq!(
            reading,
            Reading {
                zipcode: 10001,
                temperature: -3,
                humidity: 41.5,
                station: "Zürich \"Nord\" ✓".into(),
                tags: vec!["a".into(), "".into()],
            }
        );
        let reply = Reply {
            received: &reading,
            note: "ünïcödé ✓ \u{1F600}",
            big: 9_007_199_254_740_993,
        };
        server.send_json(&reply).unwrap();
        let e = server.recv_json::<Reading>().unwrap_err();
        assert_eq!(e.kind(), zmq::ErrorKind::Malformed);
        let frame = e.into_received().unwrap();
        assert_eq!(frame, "not json");
        server
            .send_json(&serde_json::json!({"error": "malformed", "frame": frame.as_str()}))
            .unwrap();
    });
    let (status, lines) = run_py(&py, &[&script("pyzmq_json.py"), &endpoint]);
    served.join().expect("our server failed");
    assert!(status.success(), "{lines:?}");
    assert_eq!(
        lines,
        [
            r#"{"big": 9007199254740993, "note": "\u00fcn\u00efc\u00f6d\u00e9 \u2713 \ud83d\ude00", "received": {"humidity": 41.5, "station": "Z\u00fcrich \"Nord\" \u2713", "tags": ["a", ""], "temperature": -3, "zipcode": 10001}}"#,
            r#"{"error": "malformed", "frame": "not json"}"#,
        ]
    );
}
