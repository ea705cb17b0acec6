//! The seed programs against pyzmq, as separate processes over tcp on 127.0.0.1: our `hwserver`
//! with a pyzmq client and the reverse, our `publisher` with a pyzmq subscriber and the reverse,
//! our `football` fan with a pyzmq broadcaster (and our broadcaster with a pyzmq fan), and our
//! `taskvent` + `taskwork` + `tasksink` with pyzmq workers. The pyzmq side is the seed's own
//! program (tests/py/seed_peers.py) with endpoints from the command line.
//!
//! Our side is the example binaries themselves: the first test to need them runs
//! `cargo build --example ...` with this test's profile, features and target directory (a no-op
//! when `cargo test` has already built them), so `cargo test --test interop_seeds` works from a
//! fresh clone. Every endpoint is `tcp://127.0.0.1:*`, the bound side printing the port it got,
//! and every wait is bounded.
//!
//! Python is `$ZMQ_TEST_PYTHON` or `target/pyzmq-venv/bin/python` (made by .ci/pyzmq-venv.sh).
//! Without pyzmq each test prints one line and passes, unless `ZMQ_REQUIRE_PYZMQ=1`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const PEERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/py/seed_peers.py");

/// How long a process may take to say it is ready, or to finish.
const LIMIT: Duration = Duration::from_secs(30);

/// The examples these tests run.
const EXAMPLES: &[&str] = &[
    "hwserver",
    "hwclient",
    "publisher",
    "subscriber",
    "football",
    "taskvent",
    "taskwork",
    "tasksink",
];

/// The python that has pyzmq, or None when the tests should be skipped (said once, on the
/// first call).
fn python() -> Option<PathBuf> {
    static PYTHON: OnceLock<Option<PathBuf>> = OnceLock::new();
    let found = PYTHON.get_or_init(|| {
        let py = match std::env::var_os("ZMQ_TEST_PYTHON") {
            Some(p) => PathBuf::from(p),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyzmq-venv/bin/python"),
        };
        let ok = Command::new(&py)
            .args(["-c", "import zmq"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok && std::env::var("ZMQ_REQUIRE_PYZMQ").as_deref() != Ok("1") {
            println!(
                "pyzmq not available: the seed interop tests are skipped \
                 (run .ci/pyzmq-venv.sh, or set ZMQ_TEST_PYTHON)"
            );
        }
        ok.then_some(py)
    });
    if found.is_none() && std::env::var("ZMQ_REQUIRE_PYZMQ").as_deref() == Ok("1") {
        panic!(
            "pyzmq not available (ZMQ_REQUIRE_PYZMQ=1): \
             run .ci/pyzmq-venv.sh or set ZMQ_TEST_PYTHON"
        );
    }
    found.clone()
}

/// The directory of our example binaries, built for this test's profile, features and target
/// directory on first use.
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // This test is <target dir>[/<triple>]/<profile dir>/deps/interop_seeds-<hash>.
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test runs from <target>/<profile>/deps")
            .to_path_buf();
        let above = profile_dir
            .parent()
            .expect("a target directory")
            .to_path_buf();
        // Cargo keeps `.rustc_info.json` at the root of a target directory (and usually a
        // CACHEDIR.TAG, but not when the directory existed before cargo first ran, as when the
        // pyzmq virtualenv was made in it); one level lower is a cross-compilation triple.
        let is_root =
            |d: &Path| d.join(".rustc_info.json").exists() || d.join("CACHEDIR.TAG").exists();
        let (target_dir, triple) = if is_root(&above) {
            (above, None)
        } else {
            let triple = above.file_name().map(|t| t.to_string_lossy().into_owned());
            (
                above.parent().expect("a target directory").to_path_buf(),
                triple,
            )
        };

        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.arg("build")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir);
        for name in EXAMPLES {
            cmd.args(["--example", name]);
        }
        match profile_dir.file_name().and_then(|p| p.to_str()) {
            Some("debug") => {}
            Some("release") => {
                cmd.arg("--release");
            }
            Some(other) => {
                cmd.args(["--profile", other]);
            }
            None => {}
        }
        if let Some(triple) = triple {
            cmd.args(["--target", &triple]);
        }
        // The same features as this test, so that nothing already built is rebuilt.
        if !cfg!(feature = "vendored") {
            cmd.arg("--no-default-features");
        }
        let features: Vec<&str> = [
            ("draft", cfg!(feature = "draft")),
            ("bytes", cfg!(feature = "bytes")),
            ("tokio", cfg!(feature = "tokio")),
            ("serde", cfg!(feature = "serde")),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
        if !features.is_empty() {
            cmd.args(["--features", &features.join(",")]);
        }
        let child = cmd.spawn().expect("run cargo to build the examples");
        // A first build of the examples takes seconds; ten minutes means something is wrong.
        let status = wait(child, Duration::from_secs(600), "cargo build --example ...");
        assert!(status.success(), "building the examples failed: {cmd:?}");
        let dir = profile_dir.join("examples");
        for name in EXAMPLES {
            assert!(dir.join(name).exists(), "no {name} in {}", dir.display());
        }
        dir
    })
}

/// Waits for `child` at most `limit`; kills it and fails the test past that.
fn wait(mut child: Child, limit: Duration, what: &str) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running program whose stdout and stderr lines are collected as they come; killed when
/// dropped.
struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<(bool, String)>,
    /// Every stdout line seen so far.
    stdout: Vec<String>,
    /// Every stderr line seen so far.
    stderr: Vec<String>,
}

impl Proc {
    fn spawn(name: &str, mut cmd: Command) -> Proc {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for (is_err, stream) in [
            (false, Box::new(out) as Box<dyn Read + Send>),
            (true, Box::new(err) as Box<dyn Read + Send>),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if tx.send((is_err, line)).is_err() {
                        return;
                    }
                }
            });
        }
        Proc {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child,
            lines,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// One of our examples.
    fn ours(example: &str, args: &[&str]) -> Proc {
        let mut cmd = Command::new(examples_dir().join(example));
        cmd.args(args);
        Proc::spawn(example, cmd)
    }

    /// One of the pyzmq seed programs.
    fn pyzmq(py: &Path, args: &[&str]) -> Proc {
        // Our examples are built first: a pyzmq peer lives at most 30 s, and building the
        // examples for a new feature set on a loaded machine can take longer than that (a
        // broadcaster started before the build was gone by the time our fan connected).
        examples_dir();
        let mut cmd = Command::new(py);
        cmd.arg(PEERS).args(args);
        Proc::spawn(&format!("pyzmq {}", args[0]), cmd)
    }

    fn take(&mut self, (is_err, line): (bool, String)) -> String {
        if is_err {
            self.stderr.push(line.clone());
        } else {
            self.stdout.push(line.clone());
        }
        line
    }

    /// Waits (bounded) for a line that `f` maps to a value, keeping every line seen.
    fn wait_line<T>(&mut self, mut f: impl FnMut(&str) -> Option<T>) -> T {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(item) => {
                    let line = self.take(item);
                    if let Some(value) = f(&line) {
                        return value;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{} did not print the expected line within {LIMIT:?}; stdout {:?}, stderr {:?}",
                    self.name, self.stdout, self.stderr
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "{} ended without the expected line (exit {:?}); stdout {:?}, stderr {:?}",
                    self.name,
                    self.child.try_wait(),
                    self.stdout,
                    self.stderr
                ),
            }
        }
    }

    /// The endpoint a program that binds reports: `bound to E` (ours, on stderr) or
    /// `READY E` (pyzmq's, on stdout).
    fn endpoint(&mut self) -> String {
        self.wait_line(|line| {
            line.strip_prefix("bound to ")
                .or_else(|| line.strip_prefix("READY "))
                .map(|e| e.trim().to_string())
        })
    }

    /// Waits (bounded) for the program to end and returns its status; its output is then
    /// complete in `stdout` and `stderr`.
    fn finish(&mut self) -> ExitStatus {
        let deadline = Instant::now() + LIMIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() > deadline {
                panic!(
                    "{} did not finish within {LIMIT:?}; stdout {:?}, stderr {:?}",
                    self.name, self.stdout, self.stderr
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.drain(Duration::from_secs(5));
        status
    }

    /// Stops the program now and collects what it printed.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.drain(Duration::from_secs(5));
    }

    /// Collects the remaining lines until both streams close (bounded).
    fn drain(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(item) => {
                    self.take(item);
                }
                Err(_) => return,
            }
        }
    }

    /// Checks the program ended well, showing its output if not.
    fn expect_success(&mut self) {
        let status = self.finish();
        assert!(
            status.success(),
            "{} failed ({status}); stdout {:?}, stderr {:?}",
            self.name,
            self.stdout,
            self.stderr
        );
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn our_hwserver_with_a_pyzmq_client() {
    let Some(py) = python() else { return };
    let mut server = Proc::ours("hwserver", &["--bind", "tcp://127.0.0.1:*", "--count", "2"]);
    let endpoint = server.endpoint();
    let mut client = Proc::pyzmq(&py, &["hwclient", &endpoint, "2"]);
    client.expect_success();
    assert_eq!(
        client.stdout,
        ["Received reply 0 [ World ]", "Received reply 1 [ World ]"]
    );
    server.expect_success();
    assert_eq!(
        server.stdout,
        ["Received request: Hello", "Received request: Hello"]
    );
}

#[test]
fn pyzmq_hwserver_with_our_client() {
    let Some(py) = python() else { return };
    let mut server = Proc::pyzmq(&py, &["hwserver", "10"]);
    let endpoint = server.endpoint();
    let mut client = Proc::ours("hwclient", &["--connect", &endpoint]);
    client.expect_success();
    let replies: Vec<&String> = client
        .stdout
        .iter()
        .filter(|l| l.starts_with("Received reply"))
        .collect();
    assert_eq!(replies.len(), 10, "{:?}", client.stdout);
    for (n, line) in replies.iter().enumerate() {
        assert_eq!(**line, format!("Received reply {n} [ World ]"));
    }
    server.expect_success();
    assert_eq!(server.stdout.len(), 1 + 10, "{:?}", server.stdout);
    assert!(server.stdout[1..]
        .iter()
        .all(|l| l == "Received request: Hello"));
}

#[test]
fn our_publisher_with_a_pyzmq_subscriber() {
    let Some(py) = python() else { return };
    // One message a second: a subscriber that joins late still gets the next ones.
    let mut publisher = Proc::ours(
        "publisher",
        &["--bind", "tcp://127.0.0.1:*", "--count", "20"],
    );
    let endpoint = publisher.endpoint();
    let mut subscriber = Proc::pyzmq(&py, &["subscriber", &endpoint, "2"]);
    subscriber.expect_success();
    assert_eq!(
        subscriber.stdout,
        ["Received: Hello World", "Received: Hello World"]
    );
    publisher.kill();
    assert!(publisher.stdout.iter().all(|l| l == "Sent: Hello World"));
}

#[test]
fn pyzmq_publisher_with_our_subscriber() {
    let Some(py) = python() else { return };
    let mut publisher = Proc::pyzmq(&py, &["publisher"]);
    let endpoint = publisher.endpoint();
    let mut subscriber = Proc::ours("subscriber", &["--connect", &endpoint, "--count", "3"]);
    subscriber.expect_success();
    assert_eq!(subscriber.stdout, ["Received: Hello World"; 3]);
    publisher.kill();
}

const COUNTRIES: &[&str] = &["netherlands", "brazil", "germany", "portugal"];
const EVENTS: &[&str] = &["yellow card", "red card", "goal", "corner", "foul"];

/// Checks a fan's lines: each `<- brazil EVENT`, and one of the seed's events.
fn only_brazil(lines: &[String], count: usize) {
    assert_eq!(lines.len(), count, "{lines:?}");
    for line in lines {
        let event = line
            .strip_prefix("<- brazil ")
            .unwrap_or_else(|| panic!("a fan of brazil got {line:?}"));
        assert!(EVENTS.contains(&event), "{line:?}");
    }
}

#[test]
fn our_football_fan_with_a_pyzmq_broadcaster() {
    let Some(py) = python() else { return };
    let mut broadcaster = Proc::pyzmq(&py, &["football"]);
    let endpoint = broadcaster.endpoint();
    // Ten messages about brazil: the broadcaster picks each country at random, so it sends
    // about 40 messages meanwhile. With three, all of them about brazil happened about once in
    // 256 runs (a fan connected early; seen once in CI-like runs), failing the check below.
    let mut fan = Proc::ours(
        "football",
        &["--fan", "brazil", "--connect", &endpoint, "--count", "10"],
    );
    fan.expect_success();
    only_brazil(&fan.stdout, 10);
    broadcaster.kill();
    // The broadcaster sent the other countries too: the filter is what left them out.
    let sent: Vec<&str> = broadcaster
        .stdout
        .iter()
        .filter_map(|l| l.strip_prefix("-> "))
        .collect();
    assert!(sent.iter().any(|m| !m.starts_with("brazil ")), "{sent:?}");
    assert!(sent
        .iter()
        .all(|m| COUNTRIES.iter().any(|c| m.starts_with(&format!("{c} ")))));
}

#[test]
fn our_football_broadcaster_with_a_pyzmq_fan() {
    let Some(py) = python() else { return };
    // Five messages a second, a quarter of them about brazil; bounded by --count.
    let mut broadcaster = Proc::ours(
        "football",
        &["--bind", "tcp://127.0.0.1:*", "--count", "150"],
    );
    let endpoint = broadcaster.endpoint();
    let mut fan = Proc::pyzmq(&py, &["fan", &endpoint, "brazil", "2"]);
    fan.expect_success();
    only_brazil(&fan.stdout, 2);
    broadcaster.kill();
}

#[test]
fn our_task_pipeline_with_pyzmq_workers() {
    let Some(py) = python() else { return };
    let mut sink = Proc::ours("tasksink", &["--bind", "tcp://127.0.0.1:*"]);
    let sink_endpoint = sink.endpoint();
    // The ventilator binds, then waits for Enter, as in the guide: the workers connect first.
    let mut ventilator = Proc::ours(
        "taskvent",
        &["--bind", "tcp://127.0.0.1:*", "--sink", &sink_endpoint],
    );
    let tasks_endpoint = ventilator.endpoint();
    let mut ours = Proc::ours(
        "taskwork",
        &["--connect", &tasks_endpoint, "--sink", &sink_endpoint],
    );
    let mut workers: Vec<Proc> = (0..2)
        .map(|_| Proc::pyzmq(&py, &["taskwork", &tasks_endpoint, &sink_endpoint]))
        .collect();
    // Each pyzmq worker says READY once its connection to the ventilator is up (its monitor
    // saw the handshake); ours started before them and connects over loopback at once.
    for w in &mut workers {
        w.wait_line(|l| (l == "READY").then_some(()));
    }
    std::thread::sleep(Duration::from_millis(200));
    ventilator
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"\n")
        .expect("press Enter");

    sink.expect_success();
    assert!(
        sink.stdout
            .iter()
            .any(|l| l.starts_with("Total elapsed time: ") && l.ends_with(" msec")),
        "{:?}",
        sink.stdout
    );
    ventilator.expect_success();
    let expected: u64 = ventilator
        .stdout
        .iter()
        .find_map(|l| l.strip_prefix("Total expected cost: "))
        .and_then(|l| l.strip_suffix(" msec"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{:?}", ventilator.stdout));

    // Every task went to a worker: 100 in all, each worker had some, and the workloads the
    // pyzmq workers report are the ventilator's.
    ours.kill();
    let ours_done = ours.stdout.concat().matches('.').count();
    let mut python_cost = 0;
    let mut done = vec![ours_done];
    for w in &mut workers {
        w.kill();
        let tasks: Vec<u64> = w
            .stdout
            .iter()
            .filter_map(|l| l.strip_prefix("task "))
            .map(|n| n.parse().unwrap())
            .collect();
        assert!(tasks.iter().all(|ms| (1..=100).contains(ms)), "{tasks:?}");
        python_cost += tasks.iter().sum::<u64>();
        done.push(tasks.len());
    }
    assert_eq!(done.iter().sum::<usize>(), 100, "tasks per worker {done:?}");
    assert!(done.iter().all(|&n| n > 0), "tasks per worker {done:?}");
    assert!(python_cost < expected, "{python_cost} of {expected} ms");
}
