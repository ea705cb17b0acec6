//! Helpers for the security tests: a server with a monitor, and checks that a client gets in
//! (a round trip within a timeout) or is kept out (nothing arrives, the server's monitor reports
//! the handshake failure).
#![allow(dead_code)]

use std::time::Duration;
use zmq::{Context, Dealer, Monitor, MonitorEvent, MonitorEvents, Socket};

/// Upper bound for anything that should happen.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// How long a refused client's message is waited for (it must not come).
pub const REFUSED_WAIT: Duration = Duration::from_millis(700);

/// Whether this libzmq has CURVE; tests that need it say so and return early otherwise.
pub fn curve_available() -> bool {
    if zmq::has("curve") {
        true
    } else {
        eprintln!("libzmq has no CURVE: test skipped");
        false
    }
}

/// A DEALER socket with timeouts on send and receive and no linger.
pub fn dealer(ctx: &Context) -> Socket<Dealer> {
    let s = ctx.socket(zmq::DEALER).expect("socket");
    s.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    s.set_sndtimeo(Some(TIMEOUT)).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s
}

/// A server DEALER configured by `setup`, monitored for handshake events, bound to
/// `tcp://127.0.0.1:*`. Returns it, its endpoint and the monitor.
pub fn server(
    ctx: &Context,
    setup: impl FnOnce(&Socket<Dealer>),
) -> (Socket<Dealer>, String, Monitor) {
    let s = dealer(ctx);
    setup(&s);
    let monitor = s
        .monitor(MonitorEvents::HANDSHAKE_SUCCEEDED | MonitorEvents::HANDSHAKE_FAILED)
        .expect("monitor");
    s.bind("tcp://127.0.0.1:*").expect("bind");
    let endpoint = s.last_endpoint().unwrap();
    (s, endpoint, monitor)
}

/// A client DEALER configured by `setup` and connected to `endpoint`.
pub fn client(
    ctx: &Context,
    endpoint: &str,
    setup: impl FnOnce(&Socket<Dealer>),
) -> Socket<Dealer> {
    let s = dealer(ctx);
    setup(&s);
    s.connect(endpoint).expect("connect");
    s
}

/// The client gets in: its message arrives (returned, with its metadata) and the reply comes
/// back.
pub fn expect_allowed(client: &Socket<Dealer>, server: &Socket<Dealer>) -> zmq::Message {
    client.send("Hello").expect("client send");
    let msg = server
        .recv()
        .expect("the server should receive the allowed client's message");
    assert_eq!(msg, "Hello");
    server.send("World").expect("server send");
    assert_eq!(client.recv().expect("client reply"), "World");
    msg
}

/// The client is kept out: its message never arrives, and the server's monitor reports a
/// handshake failure, which is returned.
pub fn expect_refused(
    client: &Socket<Dealer>,
    server: &Socket<Dealer>,
    monitor: &Monitor,
) -> MonitorEvent {
    let _ = client.try_send("Hello");
    server.set_rcvtimeo(Some(REFUSED_WAIT)).unwrap();
    let got = server.recv();
    server.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    match got {
        Err(e) => assert!(e.is_again(), "unexpected error {e:?}"),
        Ok(m) => panic!("a refused client's message arrived: {m:?}"),
    }
    monitor
        .wait_for(TIMEOUT, MonitorEvent::is_handshake_failure)
        .expect("monitor")
        .expect("the server's monitor should report the handshake failure")
}

/// A refusal by the ZAP handler: HANDSHAKE_FAILED_AUTH with status 400.
pub fn expect_refused_by_zap(client: &Socket<Dealer>, server: &Socket<Dealer>, monitor: &Monitor) {
    let event = expect_refused(client, server, monitor);
    assert!(
        matches!(
            event,
            MonitorEvent::HandshakeFailedAuth {
                status_code: 400,
                ..
            }
        ),
        "expected HANDSHAKE_FAILED_AUTH 400, got {event}"
    );
}

/// A fresh temporary directory.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "zmq-rs-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
