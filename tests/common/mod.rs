//! Shared helpers for the integration tests (the Rust side of pyzmq's `conftest.py` and libzmq's
//! `testutil`): a context, loopback binds on a port the OS picks, a settle pause, timeouts so no
//! receive can hang, and unique ipc paths in the temp dir.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use zmq::{Context, Socket, SocketKind};

/// How long a blocking receive in a test may wait before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// libzmq's `SETTLE_TIME` is 300 ms; connections on loopback settle much faster.
pub const SETTLE: Duration = Duration::from_millis(150);

/// A fresh context per test, so tests running in parallel threads do not share state.
pub fn ctx() -> Context {
    Context::new()
}

/// Binds `socket` to `tcp://127.0.0.1:*` and returns the endpoint to connect to
/// (libzmq's `bind_loopback_ipv4`).
pub fn bind_loopback<K: SocketKind>(socket: &Socket<K>) -> String {
    socket.bind("tcp://127.0.0.1:*").expect("bind loopback");
    socket.last_endpoint().expect("last endpoint")
}

/// A unique `inproc://` name for this test.
pub fn inproc(name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "inproc://{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A unique `ipc://` endpoint in the temp dir (the file is removed if left over).
pub fn ipc(name: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "zmq-rs-{name}-{}-{}.ipc",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&path);
    format!("ipc://{}", path.display())
}

/// Lets background connects and subscriptions finish (libzmq's `msleep (SETTLE_TIME)`).
pub fn settle() {
    std::thread::sleep(SETTLE);
}

/// Gives `socket` a receive timeout (so a lost message fails the test instead of hanging it)
/// and zero linger (so closing never waits).
pub fn bounded<K: SocketKind>(socket: &Socket<K>) {
    socket.set_rcvtimeo(Some(TIMEOUT)).expect("rcvtimeo");
    socket.set_sndtimeo(Some(TIMEOUT)).expect("sndtimeo");
    socket.set_linger(Some(Duration::ZERO)).expect("linger");
}

/// `ctx.socket(kind)` made [`bounded`].
pub fn socket<K: SocketKind>(ctx: &Context, kind: K) -> Socket<K> {
    let s = ctx.socket(kind).expect("socket");
    bounded(&s);
    s
}

/// Receives one multipart message and checks every frame (libzmq's `s_recv_seq`).
pub fn recv_seq<K: zmq::CanRecv + zmq::CanMultipart>(socket: &Socket<K>, expected: &[&[u8]]) {
    let parts = socket.recv_multipart().expect("recv_seq");
    let got: Vec<&[u8]> = parts.iter().map(|m| &m[..]).collect();
    assert_eq!(got, expected, "received frames");
}

/// Sends one multipart message (libzmq's `s_send_seq`).
pub fn send_seq<K: zmq::CanSend + zmq::CanMultipart>(socket: &Socket<K>, parts: &[&[u8]]) {
    socket
        .send_multipart(parts.iter().copied())
        .expect("send_seq");
}

/// Receives until the queue is empty, without blocking (bounded by `max`); returns the count.
pub fn drain<K: zmq::CanRecv>(socket: &Socket<K>, max: usize) -> usize {
    let mut n = 0;
    while n < max {
        match socket.try_recv().expect("drain") {
            Some(_) => n += 1,
            None => break,
        }
    }
    n
}

/// Waits (bounded by [`TIMEOUT`]) until one of `sockets` has a message, and receives it whole:
/// which peer a load-balancing socket picked is not part of what the tests check.
pub fn recv_any<K: zmq::CanRecv + zmq::CanMultipart>(
    sockets: &[Socket<K>],
) -> (usize, Vec<zmq::Message>) {
    let start = std::time::Instant::now();
    while start.elapsed() < TIMEOUT {
        for (i, s) in sockets.iter().enumerate() {
            match s.recv_multipart_with(zmq::DONTWAIT) {
                Ok(parts) => return (i, parts),
                // Again: nothing yet; InvalidState: a REP that still owes a reply.
                Err(e) if e.is_again() || e.kind() == zmq::ErrorKind::InvalidState => {}
                Err(e) => panic!("recv_any: {e}"),
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("recv_any: nothing received within {TIMEOUT:?}");
}

/// The frames of a multipart message as byte slices, for comparing.
pub fn frames(parts: &[zmq::Message]) -> Vec<&[u8]> {
    parts.iter().map(|m| &m[..]).collect()
}
