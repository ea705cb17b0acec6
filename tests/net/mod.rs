//! A small test network made of Linux network namespaces, for the tests that need more than one
//! host: [`Net::new`] creates N namespaces ("hosts"), each with one interface `eth0` joined by a
//! veth pair to a bridge that lives in a namespace of its own (the "hub"), and addresses
//! `10.77.0.1`, `10.77.0.2`, ... (`/24`) inside the namespaces only: nothing of the host's own
//! network is touched. Code runs in a host either as a closure on a thread that entered the
//! namespace ([`Net::run`]; a `zmq::Context` created there does all its networking there, as
//! libzmq's I/O threads inherit the namespace of the thread that starts them), or as a child
//! process ([`Net::spawn`], through `ip netns exec`). [`Net::set_link`] takes a host's link down
//! (the hub's end of its veth pair: the host keeps its address and route, its packets vanish
//! without a FIN or RST, like a pulled cable) and up again. Dropping the `Net`, also while a
//! test panics, deletes every namespace; a child process is killed when its handle is dropped.
//!
//! It needs root and iproute2's `ip`; without either, [`Net::new`] prints one line saying so
//! and returns `None`, and the test returns early.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::os::unix::io::AsRawFd;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Once;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Every namespace this helper makes is named `PREFIX<pid>-<n>-...`.
pub const PREFIX: &str = "zmqt-";

/// The interface each host has toward the bridge.
pub const IFACE: &str = "eth0";

/// How long one `ip` command may take before the test fails.
const IP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why these tests cannot run here, if they cannot: not root, or no usable `ip`.
pub fn unavailable() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("needs root (network namespaces)".into());
    }
    match Command::new("ip")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => None,
        Ok(s) => Some(format!("`ip -V` failed ({s}): iproute2 is not usable")),
        Err(e) => Some(format!("no `ip` command ({e}): install iproute2")),
    }
}

/// Runs `ip ARGS`, panicking with its stderr when it fails or takes longer than [`IP_TIMEOUT`].
pub fn ip(args: &[&str]) {
    if let Err(e) = try_ip(args) {
        panic!("{e}");
    }
}

/// Runs `ip ARGS`; the error says which command failed and why.
pub fn try_ip(args: &[&str]) -> Result<String, String> {
    let child = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("ip {}: {e}", args.join(" ")))?;
    let out = wait_output(child, IP_TIMEOUT).map_err(|e| format!("ip {}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "ip {}: {} ({})",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim(),
            out.status
        ))
    }
}

/// `child.wait_with_output()`, bounded: the child is killed after `limit`.
fn wait_output(mut child: Child, limit: Duration) -> Result<std::process::Output, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().map_err(|e| e.to_string()),
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("still running after {limit:?}: killed"));
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Deletes namespaces with this helper's prefix whose test process is gone (left behind by a
/// test run that was killed before its `Net`s were dropped). Runs once per process.
fn remove_leftovers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok(list) = try_ip(&["netns", "list"]) else {
            return;
        };
        for line in list.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            let Some(rest) = name.strip_prefix(PREFIX) else {
                continue;
            };
            let pid = rest.split('-').next().unwrap_or("");
            let alive = !pid.is_empty() && std::path::Path::new("/proc").join(pid).exists();
            if !alive {
                let _ = try_ip(&["netns", "del", name]);
            }
        }
    });
}

/// A test network: `hosts` namespaces on one bridge. See the module documentation.
pub struct Net {
    hub: String,
    hosts: Vec<String>,
}

impl Net {
    /// Creates a network of `hosts` namespaces for the test `test` (used in messages only).
    /// `None`, after printing why, when this machine cannot (not root, no `ip`, or namespaces
    /// cannot be created here).
    pub fn new(test: &str, hosts: usize) -> Option<Net> {
        assert!((1..=200).contains(&hosts), "1 to 200 hosts");
        if let Some(why) = unavailable() {
            println!("{test}: skipped: {why}");
            return None;
        }
        remove_leftovers();
        static N: AtomicUsize = AtomicUsize::new(0);
        let base = format!(
            "{PREFIX}{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut net = Net {
            hub: format!("{base}-hub"),
            hosts: Vec::new(),
        };
        // The first namespace tells whether this machine allows them at all (a container
        // without CAP_SYS_ADMIN does not): skip then, rather than fail.
        if let Err(e) = try_ip(&["netns", "add", &net.hub]) {
            println!("{test}: skipped: cannot create a network namespace: {e}");
            return None;
        }
        // From here on, a failure panics and `net`'s drop removes what was made.
        let hub = net.hub.clone();
        ip(&["-n", &hub, "link", "set", "lo", "up"]);
        ip(&[
            "-n",
            &hub,
            "link",
            "add",
            "br0",
            "type",
            "bridge",
            // Flood multicast to every port: no IGMP querier runs on this bridge.
            "mcast_snooping",
            "0",
        ]);
        ip(&["-n", &hub, "link", "set", "br0", "up"]);
        for i in 0..hosts {
            let name = format!("{base}-{i}");
            ip(&["netns", "add", &name]);
            net.hosts.push(name.clone());
            let port = format!("p{i}");
            ip(&[
                "-n", &hub, "link", "add", &port, "type", "veth", "peer", "name", IFACE, "netns",
                &name,
            ]);
            ip(&["-n", &hub, "link", "set", &port, "master", "br0", "up"]);
            ip(&["-n", &name, "link", "set", "lo", "up"]);
            let cidr = format!("{}/24", Net::addr_of(i));
            ip(&["-n", &name, "addr", "add", &cidr, "dev", IFACE]);
            ip(&["-n", &name, "link", "set", IFACE, "up"]);
            // Multicast leaves through eth0 too (the only interface besides lo).
            ip(&["-n", &name, "route", "add", "224.0.0.0/4", "dev", IFACE]);
        }
        Some(net)
    }

    /// How many hosts.
    pub fn len(&self) -> usize {
        self.hosts.len()
    }

    /// The namespace name of host `i`.
    pub fn ns(&self, i: usize) -> &str {
        &self.hosts[i]
    }

    /// The address of host `i`.
    pub fn addr(&self, i: usize) -> Ipv4Addr {
        assert!(i < self.hosts.len());
        Net::addr_of(i)
    }

    fn addr_of(i: usize) -> Ipv4Addr {
        Ipv4Addr::new(10, 77, 0, (i + 1) as u8)
    }

    /// `tcp://<address of host i>:<port>`.
    pub fn tcp(&self, i: usize, port: u16) -> String {
        format!("tcp://{}:{port}", self.addr(i))
    }

    /// Runs `ip -n <host i> ARGS` (e.g. to add a route or a neighbour entry there).
    pub fn ip_in(&self, i: usize, args: &[&str]) {
        let mut all = vec!["-n", self.ns(i)];
        all.extend_from_slice(args);
        ip(&all);
    }

    /// Takes host `i`'s link down (`up == false`) or up. Down is the hub's end of its veth
    /// pair going down: the host keeps its address and routes, what it sends vanishes and
    /// nothing reaches it (no FIN, no RST, no ICMP), until the link is up again.
    pub fn set_link(&self, i: usize, up: bool) {
        let port = format!("p{i}");
        let state = if up { "up" } else { "down" };
        ip(&["-n", &self.hub, "link", "set", &port, state]);
    }

    /// Runs `f` on a new thread inside host `i`'s namespace and returns its handle. Sockets (and
    /// the I/O threads of contexts) created on that thread live in that namespace.
    pub fn run<T, F>(&self, i: usize, f: F) -> JoinHandle<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let path = format!("/var/run/netns/{}", self.ns(i));
        let ns = std::fs::File::open(&path).unwrap_or_else(|e| panic!("open {path}: {e}"));
        std::thread::Builder::new()
            .name(format!("netns-{i}"))
            .spawn(move || {
                // SAFETY: `ns` is an open namespace file; setns only changes this thread's
                // network namespace (CLONE_NEWNET is allowed in a multi-threaded process).
                let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
                drop(ns);
                f()
            })
            .expect("spawn a thread")
    }

    /// Runs `f` inside host `i`'s namespace (on a thread, see [`run`](Net::run)) and waits for
    /// its result; a panic in `f` is a panic here. Typical use: create a context and its
    /// sockets there, bind and connect, and hand them back: libzmq's I/O threads stay in that
    /// namespace and do all the networking of those sockets from then on (only a later `bind`
    /// or `connect` made from another namespace would happen there).
    pub fn within<T, F>(&self, i: usize, f: F) -> T
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        match self.run(i, f).join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    /// Starts `program ARGS` inside host `i` (`ip netns exec`), stdout and stderr read line by
    /// line. The child is killed (SIGKILL) when the returned handle is dropped, also when the
    /// test panics.
    pub fn spawn(&self, i: usize, program: &std::path::Path, args: &[&str]) -> NsChild {
        let mut child = Command::new("ip")
            .args(["netns", "exec", self.ns(i)])
            .arg(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("ip netns exec {}: {e}", program.display()));
        let (tx, lines) = channel();
        let out = child.stdout.take().expect("piped stdout");
        let err = child.stderr.take().expect("piped stderr");
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        NsChild {
            child,
            lines,
            seen: Vec::new(),
        }
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for name in self.hosts.iter().chain(std::iter::once(&self.hub)) {
            if let Err(e) = try_ip(&["netns", "del", name]) {
                eprintln!("test network cleanup: {e}");
            }
        }
    }
}

/// The path of our example `name`, built first (`cargo build --example NAME`, with this test's
/// profile, features and target directory: a no-op when `cargo test` already built it, as it
/// does for all examples when run without a filter).
pub fn example(name: &str) -> std::path::PathBuf {
    use std::path::Path;
    // This test is <target dir>[/<triple>]/<profile dir>/deps/<test>-<hash>.
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
    // Cargo keeps `.rustc_info.json` at the root of a target directory; one level lower is a
    // cross-compilation triple.
    let is_root = |d: &Path| d.join(".rustc_info.json").exists() || d.join("CACHEDIR.TAG").exists();
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
    cmd.args(["build", "--quiet", "--example", name, "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir);
    match profile_dir.file_name().and_then(|p| p.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            cmd.arg("--release");
        }
        Some(other) => {
            cmd.args(["--profile", other]);
        }
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
    let child = cmd
        .stdin(Stdio::null())
        .spawn()
        .expect("run cargo to build the example");
    // A first build takes seconds to minutes; ten minutes means something is wrong.
    let out = wait_output(child, Duration::from_secs(600)).expect("cargo build --example");
    assert!(
        out.status.success(),
        "building example {name} failed: {cmd:?}"
    );
    let path = profile_dir.join("examples").join(name);
    assert!(path.exists(), "no {}", path.display());
    path
}

/// A child process started in a namespace by [`Net::spawn`]; SIGKILLed when dropped.
pub struct NsChild {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl NsChild {
    /// The child's process id (`ip netns exec` execs the program: it is the program's).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits at most `limit` for an output line (stdout or stderr) that `f` accepts; every
    /// line read is kept in [`lines`](NsChild::lines). Panics on timeout or end of output.
    pub fn wait_line<T>(&mut self, limit: Duration, mut f: impl FnMut(&str) -> Option<T>) -> T {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = f(&line);
                    self.seen.push(line);
                    if let Some(v) = found {
                        return v;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no expected line within {limit:?}; output: {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the child ended; output: {:?}", self.seen)
                }
            }
        }
    }

    /// Collects output lines for `limit` (or until the output ends), then returns all seen.
    pub fn lines(&mut self, limit: Duration) -> &[String] {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => return &self.seen,
            }
        }
    }

    /// Sends SIGKILL and reaps the child.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NsChild {
    fn drop(&mut self) {
        self.kill();
    }
}
