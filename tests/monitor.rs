//! Socket monitor: pyzmq's test_monitor (CONNECTED with the endpoint, MONITOR_STOPPED after
//! disable_monitor) and the essentials of libzmq's test_monitor (the event sequence of a
//! connection on both sides, bind failures, reconnects, closing).

use std::time::Duration;
use zmq::{ErrorKind, MonitorEvent, MonitorEvents};

const TIMEOUT: Duration = Duration::from_secs(5);

fn expect(
    monitor: &zmq::Monitor,
    what: &str,
    pred: impl FnMut(&MonitorEvent) -> bool,
) -> MonitorEvent {
    monitor
        .wait_for(TIMEOUT, pred)
        .expect("monitor")
        .unwrap_or_else(|| panic!("no {what} event within {TIMEOUT:?}"))
}

#[test]
fn pyzmq_monitor_connected_then_stopped() {
    let ctx = zmq::Context::new();
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.set_linger(Some(Duration::ZERO)).unwrap();
    rep.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = rep.last_endpoint().unwrap();
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    let monitor = req
        .monitor(
            MonitorEvents::CONNECT_DELAYED
                | MonitorEvents::CONNECTED
                | MonitorEvents::MONITOR_STOPPED,
        )
        .unwrap();
    req.connect(&endpoint).unwrap();
    let mut event = monitor.next_event(TIMEOUT).unwrap().expect("an event");
    if let MonitorEvent::ConnectDelayed { endpoint: e, .. } = &event {
        assert_eq!(e, &endpoint);
        event = monitor.next_event(TIMEOUT).unwrap().expect("CONNECTED");
    }
    match &event {
        MonitorEvent::Connected { endpoint: e, fd } => {
            assert_eq!(e, &endpoint);
            assert!(*fd >= 0);
        }
        other => panic!("expected CONNECTED, got {other}"),
    }
    req.disable_monitor().unwrap();
    let stopped = monitor
        .next_event(TIMEOUT)
        .unwrap()
        .expect("MONITOR_STOPPED");
    assert!(
        matches!(stopped, MonitorEvent::MonitorStopped { .. }),
        "{stopped}"
    );
    assert_eq!(monitor.try_recv().unwrap(), None);
}

#[test]
fn libzmq_monitor_sequence_on_both_sides() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::DEALER).unwrap();
    let client = ctx.socket(zmq::DEALER).unwrap();
    for s in [&server, &client] {
        s.set_linger(Some(Duration::ZERO)).unwrap();
        s.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    }
    let server_mon = server.monitor(MonitorEvents::ALL).unwrap();
    let client_mon = client.monitor(MonitorEvents::ALL).unwrap();
    assert_ne!(server_mon.endpoint(), client_mon.endpoint());

    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    client.connect(&endpoint).unwrap();
    client.send("ping").unwrap();
    assert_eq!(server.recv().unwrap(), "ping");

    // Client: [CONNECT_DELAYED], CONNECTED, HANDSHAKE_SUCCEEDED.
    let connected = expect(&client_mon, "CONNECTED", |e| {
        matches!(e, MonitorEvent::Connected { .. })
    });
    assert_eq!(connected.endpoint(), endpoint);
    expect(&client_mon, "HANDSHAKE_SUCCEEDED", |e| {
        matches!(e, MonitorEvent::HandshakeSucceeded { .. })
    });

    // Server: LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED, in that order.
    let listening = server_mon.next_event(TIMEOUT).unwrap().expect("LISTENING");
    assert!(
        matches!(&listening, MonitorEvent::Listening { fd, .. } if *fd >= 0),
        "{listening}"
    );
    assert_eq!(listening.endpoint(), endpoint);
    let accepted = server_mon.next_event(TIMEOUT).unwrap().expect("ACCEPTED");
    assert!(
        matches!(accepted, MonitorEvent::Accepted { .. }),
        "{accepted}"
    );
    let ok = server_mon
        .next_event(TIMEOUT)
        .unwrap()
        .expect("HANDSHAKE_SUCCEEDED");
    assert!(
        matches!(ok, MonitorEvent::HandshakeSucceeded { .. }),
        "{ok}"
    );

    // The client goes away: the server sees DISCONNECTED; closing the client stops its monitor.
    drop(client);
    expect(&server_mon, "DISCONNECTED", |e| {
        matches!(e, MonitorEvent::Disconnected { .. })
    });
    expect(&client_mon, "MONITOR_STOPPED", |e| {
        matches!(e, MonitorEvent::MonitorStopped { .. })
    });

    // Closing the server: CLOSED for the listener, then MONITOR_STOPPED, and nothing after.
    drop(server);
    let closed = expect(&server_mon, "CLOSED", |e| {
        matches!(e, MonitorEvent::Closed { .. })
    });
    assert_eq!(closed.endpoint(), endpoint);
    let events: Vec<_> = server_mon.iter().collect::<Result<_, _>>().unwrap();
    assert!(
        matches!(events.last(), Some(MonitorEvent::MonitorStopped { .. })),
        "{events:?}"
    );
}

#[test]
fn bind_failed_and_connect_retried() {
    let ctx = zmq::Context::new();
    let first = ctx.socket(zmq::PULL).unwrap();
    first.bind("tcp://127.0.0.1:*").unwrap();
    let taken = first.last_endpoint().unwrap();

    let second = ctx.socket(zmq::PULL).unwrap();
    let mon = second.monitor(MonitorEvents::BIND_FAILED).unwrap();
    let err = second.bind(&taken).unwrap_err();
    // libzmq 4.3 bug: sending the BIND_FAILED event overwrites errno, so with such a monitor
    // attached zmq_bind reports EAGAIN instead of EADDRINUSE (socket_base.cpp, bind). The event
    // itself carries the right errno.
    assert!(
        matches!(err.kind(), ErrorKind::AddrInUse | ErrorKind::Again),
        "{err:?}"
    );
    match mon.next_event(TIMEOUT).unwrap().expect("BIND_FAILED") {
        MonitorEvent::BindFailed { endpoint, errno } => {
            assert_eq!(errno, libc_eaddrinuse());
            assert!(endpoint.contains("127.0.0.1"), "{endpoint}");
        }
        other => panic!("expected BIND_FAILED, got {other}"),
    }

    // Nobody listens on a port just released: connects are retried.
    drop(first);
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.set_reconnect_ivl(Some(Duration::from_millis(20)))
        .unwrap();
    let mon = push.monitor(MonitorEvents::CONNECT_RETRIED).unwrap();
    second.unbind(&taken).ok();
    drop(second);
    push.connect(&taken).unwrap();
    match mon.next_event(TIMEOUT).unwrap().expect("CONNECT_RETRIED") {
        MonitorEvent::ConnectRetried { endpoint, interval } => {
            assert_eq!(endpoint, taken);
            assert!(interval >= Duration::from_millis(20), "{interval:?}");
        }
        other => panic!("expected CONNECT_RETRIED, got {other}"),
    }
}

fn libc_eaddrinuse() -> i32 {
    zmq::Error::from_errno(98).errno().unwrap()
}

#[test]
fn only_requested_events_arrive_and_a_new_monitor_replaces_the_old() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    let first = s.monitor(MonitorEvents::CLOSED).unwrap();
    s.bind("tcp://127.0.0.1:*").unwrap();
    assert_eq!(
        first.next_event(Duration::from_millis(200)).unwrap(),
        None,
        "LISTENING was not asked for"
    );
    let second = s.monitor(MonitorEvents::LISTENING).unwrap();
    let stopped = first
        .next_event(TIMEOUT)
        .unwrap()
        .expect("the old monitor stops");
    assert!(
        matches!(stopped, MonitorEvent::MonitorStopped { .. }),
        "{stopped}"
    );
    s.bind("tcp://127.0.0.1:*").unwrap();
    let listening = second.next_event(TIMEOUT).unwrap().expect("LISTENING");
    assert_eq!(listening.endpoint(), s.last_endpoint().unwrap());
    assert_eq!(listening.name(), "LISTENING");
    assert!(listening
        .to_string()
        .starts_with("LISTENING tcp://127.0.0.1:"));
}

#[test]
fn monitor_raw_with_own_pair_socket_and_bad_endpoints() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUB).unwrap();
    // Only inproc endpoints may publish monitor events.
    let err = s
        .monitor_raw(Some("tcp://127.0.0.1:5555"), MonitorEvents::ALL)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProtocolNotSupported);
    s.monitor_raw(Some("inproc://my-monitor"), MonitorEvents::LISTENING)
        .unwrap();
    let pair = ctx.socket(zmq::PAIR).unwrap();
    pair.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    pair.connect("inproc://my-monitor").unwrap();
    s.bind("tcp://127.0.0.1:*").unwrap();
    let frames = pair.recv_multipart().unwrap();
    let slices: Vec<&[u8]> = frames.iter().map(|f| &f[..]).collect();
    let event = MonitorEvent::parse(&slices).unwrap();
    assert!(matches!(event, MonitorEvent::Listening { .. }), "{event}");
    assert_eq!(event.raw().0, zmq::ffi::ZMQ_EVENT_LISTENING as u16);
    // Garbage is an error, not a panic.
    let garbage: [&[u8]; 2] = [b"abc", b"x"];
    assert_eq!(
        MonitorEvent::parse(&garbage).unwrap_err().kind(),
        ErrorKind::Malformed
    );
}

#[test]
fn handshake_failure_is_reported() {
    // A PLAIN server with no ZAP handler in its context refuses PLAIN clients
    // (HANDSHAKE_FAILED_NO_DETAIL or PROTOCOL on the server; nothing arrives).
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::DEALER).unwrap();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    server.set_curve_server(false).unwrap();
    server.set_plain_server(true).unwrap();
    let mon = server
        .monitor(MonitorEvents::HANDSHAKE_FAILED | MonitorEvents::HANDSHAKE_SUCCEEDED)
        .unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = ctx.socket(zmq::DEALER).unwrap();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    // A NULL client against a PLAIN server: mechanism mismatch.
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    let event = mon.next_event(TIMEOUT).unwrap().expect("a handshake event");
    assert!(event.is_handshake_failure(), "{event}");
    if let MonitorEvent::HandshakeFailedProtocol { code, .. } = event {
        assert_eq!(zmq::protocol_error_name(code), "ZMTP_MECHANISM_MISMATCH");
    }
}
