//! The draft socket options at work, ported from libzmq's tests (zeromq-src 4.3.5,
//! `vendor/tests`): HELLO_MSG, DISCONNECT_MSG, HICCUP_MSG, ROUTER_NOTIFY, RECONNECT_STOP,
//! BUSY_POLL, XPUB_MANUAL_LAST_VALUE, and test_socket_options_fuzzer's set-then-get loop over
//! the draft option numbers. Each test names the C file and function it comes from.

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::time::Duration;
use zmq::{ffi, ErrorKind, MonitorEvent, MonitorEvents};

// ---------------------------------------------------------------- HELLO_MSG

/// test_hello_msg.cpp `test_tcp` and `test_inproc`: a ROUTER's HELLO_MSG reaches each DEALER
/// that connects.
#[test]
fn hello_msg_tcp_and_inproc() {
    let ctx = ctx();
    for address in ["tcp://127.0.0.1:*".to_string(), inproc("hello-msg")] {
        let router = socket(&ctx, zmq::ROUTER);
        router.set_hello_msg("H").unwrap();
        router.bind(&address).unwrap();
        let endpoint = router.last_endpoint().unwrap();
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.connect(&endpoint).unwrap();
        assert_eq!(dealer.recv().unwrap(), "H", "{address}");
    }
}

/// test_hello_msg.cpp `test_inproc_late_bind`: both sides' hello messages, the client
/// connecting before the server binds.
#[test]
fn hello_msg_inproc_late_bind() {
    let ctx = ctx();
    let address = inproc("late-hello-msg");
    let server = socket(&ctx, zmq::SERVER);
    server.set_hello_msg("W").unwrap();
    let client = socket(&ctx, zmq::CLIENT);
    client.set_hello_msg("H").unwrap();
    client.connect(&address).unwrap();
    server.bind(&address).unwrap();
    assert_eq!(client.recv().unwrap(), "W");
    assert_eq!(server.recv().unwrap(), "H");
}

// ---------------------------------------------------------------- DISCONNECT_MSG

/// test_disconnect_msg.cpp `test_tcp` and `test_inproc`: a SERVER's DISCONNECT_MSG is
/// delivered to it when a client goes away.
#[test]
fn disconnect_msg_tcp_and_inproc() {
    let ctx = ctx();
    for address in ["tcp://127.0.0.1:*".to_string(), inproc("disconnect-msg")] {
        let server = socket(&ctx, zmq::SERVER);
        server.set_disconnect_msg("D").unwrap();
        server.bind(&address).unwrap();
        let endpoint = server.last_endpoint().unwrap();
        let client = socket(&ctx, zmq::CLIENT);
        client.set_hello_msg("H").unwrap();
        client.connect(&endpoint).unwrap();
        assert_eq!(server.recv().unwrap(), "H", "{address}");
        drop(client);
        assert_eq!(server.recv().unwrap(), "D", "{address}");
    }
}

/// test_disconnect_msg.cpp `test_inproc_disconnect`: the same when the client disconnects
/// without closing.
#[test]
fn disconnect_msg_inproc_disconnect() {
    let ctx = ctx();
    let address = inproc("disconnect-msg-2");
    let server = socket(&ctx, zmq::SERVER);
    server.set_disconnect_msg("D").unwrap();
    server.bind(&address).unwrap();
    let client = socket(&ctx, zmq::CLIENT);
    client.set_hello_msg("H").unwrap();
    client.connect(&address).unwrap();
    assert_eq!(server.recv().unwrap(), "H");
    client.disconnect(&address).unwrap();
    assert_eq!(server.recv().unwrap(), "D");
}

// ---------------------------------------------------------------- HICCUP_MSG

/// test_hiccup_msg.cpp `test`: when the server goes away, the client's HICCUP_MSG is delivered
/// to the client itself.
#[test]
fn hiccup_msg() {
    let ctx = ctx();
    let server = socket(&ctx, zmq::SERVER);
    let address = bind_loopback(&server);
    let client = socket(&ctx, zmq::CLIENT);
    client.set_hello_msg("HELLO").unwrap();
    client.set_hiccup_msg("HICCUP").unwrap();
    client.connect(&address).unwrap();
    assert_eq!(server.recv().unwrap(), "HELLO");
    drop(server);
    assert_eq!(client.recv().unwrap(), "HICCUP");
}

// ---------------------------------------------------------------- ROUTER_NOTIFY

/// test_router_notify.cpp `test_sockopt_router_notify`: the option's default, valid values,
/// and the boundary values libzmq refuses.
#[test]
fn sockopt_router_notify() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    assert_eq!(router.router_notify().unwrap(), 0);
    for value in [
        ffi::ZMQ_NOTIFY_CONNECT,
        ffi::ZMQ_NOTIFY_DISCONNECT,
        0,
        ffi::ZMQ_NOTIFY_CONNECT | ffi::ZMQ_NOTIFY_DISCONNECT,
    ] {
        router.set_router_notify(value).unwrap();
        assert_eq!(router.router_notify().unwrap(), value);
    }
    for bad in [
        -1,
        (ffi::ZMQ_NOTIFY_CONNECT | ffi::ZMQ_NOTIFY_DISCONNECT) + 1,
    ] {
        assert_eq!(
            router.set_router_notify(bad).unwrap_err().kind(),
            ErrorKind::Invalid
        );
    }
    assert_eq!(
        router.router_notify().unwrap(),
        ffi::ZMQ_NOTIFY_CONNECT | ffi::ZMQ_NOTIFY_DISCONNECT
    );
}

/// test_router_notify.cpp `test_router_notify_helper`, run for CONNECT, DISCONNECT and both:
/// each notification is a two-frame message, the peer's routing id and an empty frame.
#[test]
fn router_notify_connect_disconnect_both() {
    for notify in [
        ffi::ZMQ_NOTIFY_CONNECT,
        ffi::ZMQ_NOTIFY_DISCONNECT,
        ffi::ZMQ_NOTIFY_CONNECT | ffi::ZMQ_NOTIFY_DISCONNECT,
    ] {
        let ctx = ctx();
        let router = socket(&ctx, zmq::ROUTER);
        router.set_router_notify(notify).unwrap();
        let address = bind_loopback(&router);
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.set_routing_id("X").unwrap();
        dealer.connect(&address).unwrap();
        if notify & ffi::ZMQ_NOTIFY_CONNECT != 0 {
            recv_seq(&router, &[b"X", b""]);
        }
        dealer.send("Hello").unwrap();
        recv_seq(&router, &[b"X", b"Hello"]);
        dealer.disconnect(&address).unwrap();
        // As the C test: the DEALER must process its commands for the pipe to go away.
        settle();
        let _ = dealer.events();
        if notify & ffi::ZMQ_NOTIFY_DISCONNECT != 0 {
            recv_seq(&router, &[b"X", b""]);
        } else {
            std::thread::sleep(Duration::from_millis(50));
            assert!(router.try_recv().unwrap().is_none(), "no disconnect notice");
        }
    }
}

/// test_router_notify.cpp `test_handshake_fail`: a peer that never completes the ZMTP
/// handshake (here raw TCP bytes, where the C test uses a STREAM socket) causes no
/// notification, neither connect nor disconnect.
#[test]
fn router_notify_handshake_fail() {
    use std::io::Write;
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    router
        .set_router_notify(ffi::ZMQ_NOTIFY_CONNECT | ffi::ZMQ_NOTIFY_DISCONNECT)
        .unwrap();
    router
        .set_rcvtimeo(Some(Duration::from_millis(200)))
        .unwrap();
    let address = bind_loopback(&router);
    let port = address.rsplit(':').next().unwrap();
    let mut raw = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    raw.write_all(b"not-a-handshake").unwrap();
    drop(raw);
    let err = router.recv().unwrap_err();
    assert!(err.is_again(), "no notification: {err}");
}

/// test_router_notify.cpp `test_error_during_multipart`: a peer dropped in the middle of a
/// multipart message (its second frame exceeds MAXMSGSIZE) gives a disconnect notification as
/// a message of its own, not glued to the incomplete one.
#[test]
fn router_notify_error_during_multipart() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    router
        .set_router_notify(ffi::ZMQ_NOTIFY_DISCONNECT)
        .unwrap();
    router.set_maxmsgsize(64).unwrap();
    let address = bind_loopback(&router);
    let dealer = socket(&ctx, zmq::DEALER);
    dealer.set_routing_id("X").unwrap();
    dealer.connect(&address).unwrap();
    let long = "*".repeat(127);
    dealer.send_multipart(["Hello2", long.as_str()]).unwrap();
    recv_seq(&router, &[b"X", b""]);
}

// ---------------------------------------------------------------- RECONNECT_STOP

/// Waits for the next event and checks its name (libzmq's `expect_monitor_event`).
fn expect_event(monitor: &zmq::Monitor, name: &str) -> MonitorEvent {
    let event = monitor
        .next_event(TIMEOUT)
        .unwrap()
        .unwrap_or_else(|| panic!("no {name} event"));
    assert_eq!(event.name(), name, "{event}");
    event
}

/// test_reconnect_options.cpp `reconnect_stop_on_refused`: with
/// RECONNECT_STOP_CONN_REFUSED, a SUB whose PUB went away tries once more, is refused, and
/// stops: CLOSED is its last event.
#[test]
fn reconnect_stop_on_refused() {
    let ctx = ctx();
    let publisher = socket(&ctx, zmq::PUB);
    let endpoint = bind_loopback(&publisher);
    let sub = socket(&ctx, zmq::SUB);
    let monitor = sub.monitor(MonitorEvents::ALL).unwrap();
    sub.set_reconnect_stop(ffi::ZMQ_RECONNECT_STOP_CONN_REFUSED)
        .unwrap();
    assert_eq!(
        sub.reconnect_stop().unwrap(),
        ffi::ZMQ_RECONNECT_STOP_CONN_REFUSED
    );
    sub.connect(&endpoint).unwrap();
    expect_event(&monitor, "CONNECT_DELAYED");
    expect_event(&monitor, "CONNECTED");
    expect_event(&monitor, "HANDSHAKE_SUCCEEDED");

    drop(publisher);
    expect_event(&monitor, "DISCONNECTED");
    expect_event(&monitor, "CONNECT_RETRIED");
    expect_event(&monitor, "CONNECT_DELAYED");
    expect_event(&monitor, "CLOSED");
    // No more retries (the default reconnect interval is 100 ms).
    let more = monitor.next_event(Duration::from_millis(500)).unwrap();
    assert!(more.is_none(), "an event after CLOSED: {more:?}");
}

/// test_reconnect_options.cpp `reconnect_stop_on_handshake_failed`: a SUB connected to a
/// STREAM socket (which never answers the ZMTP greeting) fails its handshake, and with
/// RECONNECT_STOP_HANDSHAKE_FAILED DISCONNECTED is its last event. (The handshake interval is
/// 200 ms here instead of 1 s.)
#[test]
fn reconnect_stop_on_handshake_failed() {
    let ctx = ctx();
    let dummy = socket(&ctx, zmq::STREAM);
    let endpoint = bind_loopback(&dummy);
    let sub = socket(&ctx, zmq::SUB);
    let monitor = sub.monitor(MonitorEvents::ALL).unwrap();
    sub.set_handshake_ivl(Duration::from_millis(200)).unwrap();
    sub.set_reconnect_stop(ffi::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED)
        .unwrap();
    sub.connect(&endpoint).unwrap();
    expect_event(&monitor, "CONNECT_DELAYED");
    expect_event(&monitor, "CONNECTED");
    expect_event(&monitor, "HANDSHAKE_FAILED_NO_DETAIL");
    expect_event(&monitor, "DISCONNECTED");
    let more = monitor.next_event(Duration::from_millis(500)).unwrap();
    assert!(more.is_none(), "an event after DISCONNECTED: {more:?}");
}

/// Without RECONNECT_STOP the same SUB keeps retrying (the contrast that makes the test above
/// mean something; test_reconnect_options.cpp `reconnect_default`).
#[test]
fn reconnect_default_keeps_retrying() {
    let ctx = ctx();
    let publisher = socket(&ctx, zmq::PUB);
    let endpoint = bind_loopback(&publisher);
    let sub = socket(&ctx, zmq::SUB);
    let monitor = sub.monitor(MonitorEvents::ALL).unwrap();
    sub.connect(&endpoint).unwrap();
    monitor
        .wait_for(TIMEOUT, |e| e.name() == "HANDSHAKE_SUCCEEDED")
        .unwrap()
        .expect("handshake");
    drop(publisher);
    let mut retries = 0;
    while retries < 2 {
        let e = monitor
            .wait_for(TIMEOUT, |e| e.name() == "CONNECT_RETRIED")
            .unwrap();
        assert!(e.is_some(), "the SUB stopped retrying");
        retries += 1;
    }
}

// ---------------------------------------------------------------- BUSY_POLL

/// test_busy_poll.cpp `test_busy_poll`: SO_BUSY_POLL on a DEALER's tcp connections (the
/// vendored build has ZMQ_HAVE_BUSY_POLL on Linux).
#[test]
fn busy_poll() {
    let ctx = ctx();
    let dealer = socket(&ctx, zmq::DEALER);
    dealer.set_busy_poll(true).unwrap();
    dealer.bind("tcp://127.0.0.1:*").unwrap();
}

// ---------------------------------------------------------------- XPUB_MANUAL_LAST_VALUE

/// test_xpub_manual_last_value.cpp `test_basic`: the XPUB replaces the XSUB's subscription
/// ("A") by its own choice ("B"); only B is delivered.
#[test]
fn xpub_manual_last_value_basic() {
    let ctx = ctx();
    let address = inproc("xpub-mlv-basic");
    let publisher = socket(&ctx, zmq::XPUB);
    publisher.set_xpub_manual_last_value(true).unwrap();
    publisher.bind(&address).unwrap();
    let sub = socket(&ctx, zmq::XSUB);
    sub.connect(&address).unwrap();
    sub.subscribe("A").unwrap();
    assert_eq!(&publisher.recv().unwrap()[..], b"\x01A");
    publisher
        .set_option(ffi::ZMQ_SUBSCRIBE, "B".as_bytes())
        .unwrap();
    publisher.send("A").unwrap();
    publisher.send("B").unwrap();
    assert_eq!(sub.recv_with(zmq::DONTWAIT).unwrap(), "B");
    assert!(sub.try_recv().unwrap().is_none(), "A was not subscribed");
}

/// test_xpub_manual_last_value.cpp `test_unsubscribe_manual`: the XPUB maps each of the
/// XSUB's subscriptions and unsubscriptions to its own ("A" to "XA", "B" to "XB"), and the
/// XSUB's close reports the remaining unsubscription.
#[test]
fn xpub_manual_last_value_unsubscribe() {
    let ctx = ctx();
    let address = inproc("xpub-mlv-unsub");
    let publisher = socket(&ctx, zmq::XPUB);
    publisher.bind(&address).unwrap();
    publisher.set_xpub_manual_last_value(true).unwrap();
    let sub = socket(&ctx, zmq::XSUB);
    sub.connect(&address).unwrap();
    sub.subscribe("A").unwrap();
    sub.subscribe("B").unwrap();
    let subscribe = |topic: &str| {
        publisher
            .set_option(ffi::ZMQ_SUBSCRIBE, topic.as_bytes())
            .unwrap()
    };
    assert_eq!(&publisher.recv().unwrap()[..], b"\x01A");
    subscribe("XA");
    assert_eq!(&publisher.recv().unwrap()[..], b"\x01B");
    subscribe("XB");
    sub.unsubscribe("A").unwrap();
    assert_eq!(&publisher.recv().unwrap()[..], b"\x00A");
    publisher
        .set_option(ffi::ZMQ_UNSUBSCRIBE, "XA".as_bytes())
        .unwrap();
    publisher.send("XA").unwrap();
    publisher.send("XB").unwrap();
    assert_eq!(sub.recv_with(zmq::DONTWAIT).unwrap(), "XB");
    assert!(sub.try_recv().unwrap().is_none(), "XA was unsubscribed");
    drop(sub);
    assert_eq!(&publisher.recv().unwrap()[..], b"\x00B");
    publisher
        .set_option(ffi::ZMQ_UNSUBSCRIBE, "XB".as_bytes())
        .unwrap();
}

/// test_xpub_manual_last_value.cpp `test_manual_last_value`: in manual last-value mode, a
/// manual subscription applies to the subscriber whose subscription came last, so the
/// earlier one does not get the second message.
#[test]
fn xpub_manual_last_value() {
    let ctx = ctx();
    let address = inproc("xpub-mlv");
    let publisher = socket(&ctx, zmq::XPUB);
    publisher.set_sndhwm(2000).unwrap();
    publisher.set_xpub_manual_last_value(true).unwrap();
    publisher.bind(&address).unwrap();
    let sub = socket(&ctx, zmq::SUB);
    sub.connect(&address).unwrap();
    let sub2 = socket(&ctx, zmq::SUB);
    sub2.connect(&address).unwrap();

    sub.subscribe("A").unwrap();
    assert_eq!(&publisher.recv().unwrap()[..], b"\x01A");
    publisher
        .set_option(ffi::ZMQ_SUBSCRIBE, "A".as_bytes())
        .unwrap();
    publisher.send("A").unwrap();
    assert_eq!(sub.recv().unwrap(), "A");

    sub2.subscribe("A").unwrap();
    assert_eq!(&publisher.recv().unwrap()[..], b"\x01A");
    publisher
        .set_option(ffi::ZMQ_SUBSCRIBE, "A".as_bytes())
        .unwrap();
    publisher.send("A").unwrap();
    assert_eq!(sub2.recv().unwrap(), "A");
    assert!(
        sub.try_recv().unwrap().is_none(),
        "the last subscription's pipe is sub2's"
    );
}

// ---------------------------------------------------------------- options fuzzer

/// test_socket_options_fuzzer.cpp `LLVMFuzzerTestOneInput`, over the draft option numbers
/// (ZMQ_ZAP_ENFORCE_DOMAIN 93 to ZMQ_NORM_PUSH 124) and a few past them, with libzmq's seed
/// shapes of input (empty, 1, 4 and 8 bytes, a long one, an int of each sign): every set and
/// every get through the raw escape hatch is an `Ok` or an `Error`, never a panic or a crash,
/// and the socket still works afterwards.
#[test]
fn socket_options_fuzzer_draft_options() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![1],
        0i32.to_ne_bytes().to_vec(),
        1i32.to_ne_bytes().to_vec(),
        (-1i32).to_ne_bytes().to_vec(),
        i32::MAX.to_ne_bytes().to_vec(),
        u64::MAX.to_ne_bytes().to_vec(),
        b"X-Name:value".to_vec(),
        (0..300u32).map(|i| (i * 7 + 3) as u8).collect(),
    ];
    let ctx = ctx();
    let mut refused = 0;
    for input in &inputs {
        for kind in [
            zmq::SocketType::XPub,
            zmq::SocketType::Server,
            zmq::SocketType::Dish,
        ] {
            let s = ctx.socket(kind).unwrap();
            for option in ffi::ZMQ_ZAP_ENFORCE_DOMAIN..=ffi::ZMQ_NORM_PUSH + 3 {
                if s.set_option(option, input.as_slice()).is_err() {
                    refused += 1;
                }
                let _ = s.get_option::<Vec<u8>>(option);
                let _ = s.get_option::<i32>(option);
            }
            // Still a working socket.
            assert_eq!(s.get_socket_type().unwrap(), kind);
            let _ = s.set_linger(Some(Duration::ZERO));
            s.bind(&inproc("fuzzed")).unwrap();
        }
    }
    assert!(refused > 0, "libzmq refused none of the odd values");
}

/// The typed draft options read back what was written (those libzmq lets one read).
#[test]
fn typed_draft_options_round_trip() {
    let ctx = ctx();
    let s = socket(&ctx, zmq::DEALER);
    s.set_zap_enforce_domain(true).unwrap();
    assert!(s.zap_enforce_domain().unwrap());
    s.set_multicast_loop(false).unwrap();
    assert!(!s.multicast_loop().unwrap());
    s.set_in_batch_size(4096).unwrap();
    assert_eq!(s.in_batch_size().unwrap(), 4096);
    s.set_out_batch_size(4096).unwrap();
    assert_eq!(s.out_batch_size().unwrap(), 4096);
    s.set_reconnect_stop(
        ffi::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED | ffi::ZMQ_RECONNECT_STOP_AFTER_DISCONNECT,
    )
    .unwrap();
    assert_eq!(
        s.reconnect_stop().unwrap(),
        ffi::ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED | ffi::ZMQ_RECONNECT_STOP_AFTER_DISCONNECT
    );
    s.set_priority(3).unwrap();
    assert_eq!(s.priority().unwrap(), 3);
    s.set_metadata("X-Color:red").unwrap();
    // An XSUB counts its topics.
    let xsub = socket(&ctx, zmq::XSUB);
    assert_eq!(xsub.topics_count().unwrap(), 0);
    xsub.subscribe("a").unwrap();
    xsub.subscribe("b").unwrap();
    assert_eq!(xsub.topics_count().unwrap(), 2);
}
