//! Monitor v2 (`zmq_socket_monitor_versioned`, draft): typed events with both endpoints and
//! 64-bit values, and the pipe statistics event (`ZMQ_EVENT_PIPES_STATS`,
//! `zmq_socket_monitor_pipes_stats`), ported from test_monitor.cpp's v2 cases (zeromq-src
//! 4.3.5). `test_monitor_versioned_invalid_socket_type` has no port: `monitor_versioned` always
//! makes its own PAIR socket, so no other type can be asked for.

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::time::Duration;
use zmq::{ErrorKind, MonitorEvent, MonitorEventV2, MonitorEvents};

fn next(monitor: &zmq::Monitor) -> MonitorEventV2 {
    monitor
        .next_event_v2(TIMEOUT)
        .unwrap()
        .expect("a v2 monitor event in time")
}

/// Checks the next event's name and endpoints (libzmq's `expect_monitor_event_v2`).
fn expect_v2(monitor: &zmq::Monitor, name: &str, local: &str, remote: &str) -> MonitorEventV2 {
    let e = next(monitor);
    assert_eq!(e.event.name(), name, "{e:?}");
    assert_eq!(e.local, local, "local endpoint of {e:?}");
    assert_eq!(e.remote, remote, "remote endpoint of {e:?}");
    e
}

/// test_monitor.cpp `test_monitor_versioned_basic` with `bind_loopback_ipv4` (and the same
/// over ipc and ipv6, `test_monitor_versioned_basic_ipc` and `_tcp_ipv6`): each event names
/// both ends of its connection.
#[test]
fn monitor_versioned_basic_tcp_and_ipc() {
    let mut cases = vec![
        ("tcp://127.0.0.1:*".to_string(), "tcp://127.0.0.1:"),
        (ipc("monitor-v2"), "ipc://"),
    ];
    // test_monitor_versioned_basic_tcp_ipv6, where the machine has IPv6 loopback.
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        cases.push(("tcp://[::1]:*".to_string(), "tcp://[::1]:"));
    } else {
        eprintln!("no IPv6 loopback here: test_monitor_versioned_basic_tcp_ipv6 skipped");
    }
    for (bind_to, prefix) in cases {
        let ctx = ctx();
        let client = socket(&ctx, zmq::DEALER);
        let server = socket(&ctx, zmq::DEALER);
        let ipv6 = prefix.contains('[');
        client.set_ipv6(ipv6).unwrap();
        server.set_ipv6(ipv6).unwrap();
        let client_mon = client.monitor_versioned(MonitorEvents::ALL_V2).unwrap();
        let server_mon = server.monitor_versioned(MonitorEvents::ALL_V2).unwrap();
        assert_eq!(client_mon.version(), 2);
        server.bind(&bind_to).unwrap();
        let server_endpoint = server.last_endpoint().unwrap();
        client.connect(&server_endpoint).unwrap();
        // bounce
        client.send("ping").unwrap();
        assert_eq!(server.recv().unwrap(), "ping");
        server.send("pong").unwrap();
        assert_eq!(client.recv().unwrap(), "pong");
        drop(client);
        drop(server);

        let mut e = next(&client_mon);
        if e.event.name() == "CONNECT_DELAYED" {
            e = next(&client_mon);
        }
        assert_eq!(e.event.name(), "CONNECTED", "{e:?}");
        assert_eq!(e.remote, server_endpoint);
        assert!(e.local.starts_with(prefix), "{e:?}");
        if prefix.starts_with("tcp") {
            assert_ne!(e.local, e.remote);
        }
        assert!(matches!(e.event, MonitorEvent::Connected { fd, .. } if fd >= 0));
        assert_eq!(e.values.len(), 1, "CONNECTED has one value, the fd");
        let (client_local, client_remote) = (e.local.clone(), e.remote.clone());
        expect_v2(
            &client_mon,
            "HANDSHAKE_SUCCEEDED",
            &client_local,
            &client_remote,
        );
        let e = next(&client_mon);
        if e.event.name() == "DISCONNECTED" {
            expect_v2(
                &client_mon,
                "CONNECT_RETRIED",
                &client_local,
                &client_remote,
            );
            expect_v2(&client_mon, "MONITOR_STOPPED", "", "");
        } else {
            assert_eq!(e.event.name(), "MONITOR_STOPPED", "{e:?}");
        }

        let listening = expect_v2(&server_mon, "LISTENING", &client_remote, "");
        // v2 events keep the typed v1 form: its endpoint is the one there is.
        assert_eq!(listening.event.endpoint(), server_endpoint);
        expect_v2(&server_mon, "ACCEPTED", &client_remote, &client_local);
        expect_v2(
            &server_mon,
            "HANDSHAKE_SUCCEEDED",
            &client_remote,
            &client_local,
        );
        // Then CLOSED and/or DISCONNECTED, then MONITOR_STOPPED (bounded: at most a few).
        let mut stopped = false;
        for _ in 0..5 {
            let e = next(&server_mon);
            if matches!(e.event, MonitorEvent::MonitorStopped { .. }) {
                stopped = true;
                break;
            }
            assert!(
                ["CLOSED", "DISCONNECTED"].contains(&e.event.name()),
                "{e:?}"
            );
        }
        assert!(stopped, "the server monitor never stopped");
    }
}

/// test_monitor.cpp `test_monitor_versioned_stats` with `bind_loopback_ipv4`: a PUSH with
/// four PULL peers fills every pipe (send and receive side, HWM 500 each), one PULL is
/// drained, and the pipe statistics report 0 messages queued towards the drained peer and 500
/// towards each other one, none inbound.
#[test]
fn monitor_versioned_stats_tcp_ipv4() {
    const HWM: i32 = 500;
    const PULLS: usize = 4;
    const TCP_BUFFER: i32 = 4096;
    let ctx = ctx();
    let push = socket(&ctx, zmq::PUSH);
    // No monitor asking for PIPES_STATS yet: refused.
    assert_eq!(
        push.monitor_pipes_stats().unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let push_mon = push.monitor_versioned(MonitorEvents::PIPES_STATS).unwrap();
    // No pipes to report on yet.
    assert_eq!(
        push.monitor_pipes_stats().unwrap_err().kind(),
        ErrorKind::Again
    );
    push.set_sndhwm(HWM).unwrap();
    push.set_sndbuf(TCP_BUFFER).unwrap();
    let endpoint = bind_loopback(&push);
    let pulls: Vec<_> = (0..PULLS)
        .map(|_| {
            let pull = socket(&ctx, zmq::PULL);
            pull.set_rcvtimeo(Some(Duration::from_millis(10))).unwrap();
            pull.set_rcvhwm(HWM).unwrap();
            pull.set_rcvbuf(TCP_BUFFER).unwrap();
            pull.connect(&endpoint).unwrap();
            pull
        })
        .collect();

    // Saturate every pipe, send and receive side, on every connection (and the TCP buffers).
    let data = vec![0u8; TCP_BUFFER as usize * 2];
    let total = HWM as usize * 2 * PULLS;
    for _ in 0..total {
        push.send(data.as_slice())
            .expect("send within the pipes' room");
    }
    // Drain one PULL of a quarter of what was sent (all of its share), bounded.
    for _ in 0..total / PULLS {
        let _ = pulls[0].recv();
    }
    // The counts reach the PUSH through its command mailbox: let it run (a ZMQ_EVENTS read).
    settle();
    let _ = push.events();
    push.monitor_pipes_stats().unwrap();
    settle();
    let _ = push.events();

    let mut outbound = Vec::new();
    for _ in 0..PULLS {
        let e = next(&push_mon);
        assert_eq!(e.event.name(), "PIPES_STATS", "{e:?}");
        assert_eq!(e.number, zmq::ffi::ZMQ_EVENT_PIPES_STATS as u64);
        assert_eq!(e.local, endpoint);
        assert!(e.remote.starts_with("tcp://127.0.0.1:"), "{e:?}");
        let MonitorEvent::PipesStats {
            outbound: out,
            inbound,
            ..
        } = e.event
        else {
            panic!("not PipesStats: {e:?}")
        };
        assert_eq!(e.values, [out, inbound], "64-bit values as sent");
        assert_eq!(inbound, 0);
        outbound.push(out);
    }
    outbound.sort();
    assert_eq!(outbound, [0, HWM as u64, HWM as u64, HWM as u64]);
}

/// A v1 monitor cannot ask for a v2-only event: libzmq's EINVAL, not a silent monitor.
#[test]
fn v1_monitor_refuses_pipes_stats() {
    let ctx = ctx();
    let s = socket(&ctx, zmq::PUSH);
    let err = s.monitor(MonitorEvents::PIPES_STATS).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    // A v1 monitor still works, and gives v1 events through next_event_v2 too (no endpoints).
    let m = s
        .monitor(MonitorEvents::LISTENING | MonitorEvents::MONITOR_STOPPED)
        .unwrap();
    assert_eq!(m.version(), 1);
    let ep = bind_loopback(&s);
    let e = m.next_event_v2(TIMEOUT).unwrap().expect("LISTENING");
    assert_eq!(e.event.endpoint(), ep);
    assert_eq!(e.number, zmq::ffi::ZMQ_EVENT_LISTENING as u64);
    assert!(e.local.is_empty() && e.remote.is_empty());
}

fn word(v: u64) -> Vec<u8> {
    v.to_ne_bytes().to_vec()
}

/// The v2 decoder: the typed event, raw values and endpoints; a malformed message is an
/// error (never a panic).
#[test]
fn parse_v2_frames() {
    let ok = [
        word(zmq::ffi::ZMQ_EVENT_CONNECTED as u64),
        word(1),
        word(7),
        b"tcp://127.0.0.1:1".to_vec(),
        b"tcp://127.0.0.1:2".to_vec(),
    ];
    let e = MonitorEvent::parse_v2(&ok).unwrap();
    assert_eq!(
        e.event,
        MonitorEvent::Connected {
            endpoint: "tcp://127.0.0.1:2".into(),
            fd: 7
        }
    );
    assert_eq!(
        (e.local.as_str(), e.remote.as_str()),
        ("tcp://127.0.0.1:1", "tcp://127.0.0.1:2")
    );

    let stats = [
        word(0x10000),
        word(2),
        word(u64::MAX),
        word(3),
        b"l".to_vec(),
        b"r".to_vec(),
    ];
    let e = MonitorEvent::parse_v2(&stats).unwrap();
    assert_eq!(
        e.event,
        MonitorEvent::PipesStats {
            endpoint: "r".into(),
            outbound: u64::MAX,
            inbound: 3
        }
    );
    assert_eq!(
        e.event.to_string(),
        format!("PIPES_STATS r ({} queued out, 3 queued in)", u64::MAX)
    );

    // An event beyond 16 bits that this crate does not know keeps its raw number.
    let unknown = [word(1 << 40), word(0), b"".to_vec(), b"".to_vec()];
    let e = MonitorEvent::parse_v2(&unknown).unwrap();
    assert_eq!(e.number, 1 << 40);
    assert!(matches!(e.event, MonitorEvent::Unknown { .. }));

    let malformed: [&[Vec<u8>]; 5] = [
        &[],
        &[word(1), word(0), b"a".to_vec()],
        &[word(1), word(2), word(0), b"a".to_vec(), b"b".to_vec()],
        &[vec![1, 2, 3], word(0), b"a".to_vec(), b"b".to_vec()],
        &[word(1), word(0), vec![0xff], b"b".to_vec()],
    ];
    for frames in malformed {
        let err = MonitorEvent::parse_v2(frames).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{frames:?}");
    }
}
