//! ROUTER/DEALER: pyzmq's conformance test #13 (`test_multipart.py::test_router_dealer`,
//! `test_message.py::test_frame_more`; reference/pyzmq.md section 12), libzmq's
//! `test_spec_dealer`, `test_spec_router` and `test_router_mandatory`, and the envelope idioms
//! ported line for line.

mod common;

use common::*;
use zmq::{ErrorKind, Message};

fn tcp_and_inproc(name: &str) -> [String; 2] {
    [inproc(name), "tcp://127.0.0.1:*".to_string()]
}

/// pyzmq #13 `test_router_dealer` + `test_frame_more`: a ROUTER receives the routing id with
/// RCVMORE (and `Message::more`) true, then the body with both false; a new Message has
/// `more() == false`.
#[test]
fn pyzmq_test_router_dealer() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    let dealer = socket(&ctx, zmq::DEALER);
    let ep = bind_loopback(&router);
    dealer.connect(&ep).unwrap();
    dealer.send("hi").unwrap();

    let ident = router.recv().unwrap();
    assert!(ident.more());
    assert_eq!(ident.get(zmq::ffi::ZMQ_MORE).unwrap(), 1);
    assert!(router.get_rcvmore().unwrap());
    let body = router.recv().unwrap();
    assert_eq!(body, "hi");
    assert!(!body.more());
    assert_eq!(body.get(zmq::ffi::ZMQ_MORE).unwrap(), 0);
    assert!(!router.get_rcvmore().unwrap());
    assert!(!Message::from("new").more());

    // And back: [ident, body] reaches the dealer as [body].
    router.send_more(ident).unwrap();
    router.send("hello").unwrap();
    assert_eq!(dealer.recv().unwrap(), "hello");
    assert!(!dealer.rcvmore().unwrap());
}

/// pyzmq `test_multipart.py::test_basic_multipart`: send_multipart / recv_multipart round trip,
/// with mixed part types (bytes, &str, String, Vec, Message), empty frames included.
#[test]
fn pyzmq_test_multipart_round_trip() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = bind_loopback(&a);
    b.connect(&ep).unwrap();
    let parts: Vec<Message> = vec![
        Message::from(&b"bytes"[..]),
        Message::from("str"),
        Message::from(String::from("string")),
        Message::new(),
        Message::from(vec![0u8; 5000]),
    ];
    let sent: Vec<Vec<u8>> = parts.iter().map(|m| m.to_vec()).collect();
    a.send_multipart(parts).unwrap();
    let got = b.recv_multipart().unwrap();
    let got: Vec<Vec<u8>> = got.iter().map(|m| m.to_vec()).collect();
    assert_eq!(got, sent);

    // pyzmq: ident, _, body = s.recv_multipart()
    a.send_multipart(["ident", "", "body"]).unwrap();
    let msg = b.recv_multipart().unwrap();
    let [ident, empty, body] = &msg[..] else {
        panic!("3 frames expected, got {msg:?}")
    };
    assert_eq!(
        (ident, empty, body),
        (&"ident".into(), &"".into(), &"body".into())
    );
}

/// libzmq `test_spec_dealer::test_round_robin_out`: a DEALER sends to its REP peers in turn,
/// one message each.
#[test]
fn libzmq_test_spec_dealer_round_robin_out() {
    for ep in tcp_and_inproc("dealer-rr") {
        let ctx = ctx();
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.bind(&ep).unwrap();
        let ep = dealer.last_endpoint().unwrap();
        let reps: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::REP)).collect();
        for r in &reps {
            r.connect(&ep).unwrap();
        }
        settle();
        for _ in 0..reps.len() {
            send_seq(&dealer, &[b"", b"ABC"]);
        }
        for r in &reps {
            recv_seq(r, &[b"ABC"]);
        }
    }
}

/// libzmq `test_spec_dealer::test_fair_queue_in`: a DEALER receives from all its peers.
#[test]
fn libzmq_test_spec_dealer_fair_queue_in() {
    for ep in tcp_and_inproc("dealer-fq") {
        let ctx = ctx();
        let receiver = socket(&ctx, zmq::DEALER);
        receiver.bind(&ep).unwrap();
        let ep = receiver.last_endpoint().unwrap();
        let senders: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::DEALER)).collect();
        for s in &senders {
            s.connect(&ep).unwrap();
        }
        for _ in 0..2 {
            senders[0].send("A").unwrap();
            recv_seq(&receiver, &[b"A"]);
        }
        for (i, s) in senders.iter().enumerate() {
            s.send([b'B', b'0' + i as u8].as_slice()).unwrap();
        }
        settle();
        let mut got: Vec<Vec<u8>> = (0..senders.len())
            .map(|_| receiver.recv().unwrap().to_vec())
            .collect();
        got.sort();
        assert_eq!(got, [b"B0", b"B1", b"B2", b"B3", b"B4"]);
    }
}

/// libzmq `test_spec_router::test_fair_queue_in`: with one message waiting from every peer, a
/// ROUTER hands out each, prefixed by each routing id once. (As in libzmq's test, the strict
/// order "one from each before any second one" is not asserted for ROUTER: over inproc it did
/// not hold in our runs with libzmq 4.3.5. PULL's fair queueing is checked strictly in
/// tests/pushpull.rs.)
#[test]
fn libzmq_test_spec_router_fair_queue_in() {
    for ep in tcp_and_inproc("router-fq") {
        let ctx = ctx();
        let receiver = socket(&ctx, zmq::ROUTER);
        receiver.bind(&ep).unwrap();
        let ep = receiver.last_endpoint().unwrap();
        let senders: Vec<_> = (0..5u8)
            .map(|i| {
                let s = socket(&ctx, zmq::DEALER);
                s.set_routing_id(&[b'A' + i]).unwrap();
                s.connect(&ep).unwrap();
                s
            })
            .collect();
        settle();
        for _ in 0..2 {
            senders[0].send("M").unwrap();
            recv_seq(&receiver, &[b"A", b"M"]);
        }
        for s in &senders {
            s.send("M").unwrap();
        }
        settle();
        let mut ids: Vec<u8> = (0..senders.len())
            .map(|_| {
                let parts = receiver.recv_multipart().unwrap();
                assert_eq!(parts.len(), 2);
                assert_eq!(parts[1], "M");
                assert_eq!(parts[0].len(), 1);
                parts[0][0]
            })
            .collect();
        ids.sort();
        assert_eq!(ids, *b"ABCDE", "{ep}: each peer once");
        assert!(receiver.try_recv().unwrap().is_none());
    }
}

/// libzmq `test_router_mandatory`: without ROUTER_MANDATORY a message to an unknown routing id is
/// dropped silently; with it the send fails with EHOSTUNREACH (`HostUnreachable`), and once the
/// peer is connected the same send works.
#[test]
fn libzmq_test_router_mandatory() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    let ep = bind_loopback(&router);

    router.send_more("UNKNOWN").unwrap();
    router.send("DATA").unwrap();

    router.set_router_mandatory(true).unwrap();
    let e = router.send_more("UNKNOWN").unwrap_err();
    assert_eq!(e.error().kind(), ErrorKind::HostUnreachable);
    assert_eq!(e.error().errno(), Some(libc::EHOSTUNREACH));
    let e = router
        .send_multipart_with(["UNKNOWN", "DATA"], zmq::DONTWAIT)
        .unwrap_err();
    assert_eq!(e.error().kind(), ErrorKind::HostUnreachable);
    assert_eq!(e.into_unsent().len(), 2, "no part was sent");

    let dealer = socket(&ctx, zmq::DEALER);
    dealer.set_routing_id("X").unwrap();
    dealer.connect(&ep).unwrap();
    // The ROUTER learns the id at the handshake: wait for the dealer's hello.
    dealer.send("Hello").unwrap();
    recv_seq(&router, &[b"X", b"Hello"]);
    router.send_multipart(["X", "DATA"]).unwrap();
    recv_seq(&dealer, &[b"DATA"]);
}

/// The pyzmq ROUTER/DEALER envelope idioms, line for line:
///
/// ```python
/// worker.setsockopt(zmq.IDENTITY, b"worker-1")          # DEALER worker with a name
/// broker.send_multipart([b"worker-1", b"", b"job"])      # ROUTER addresses it
/// client.send(b"request")                               # REQ through a ROUTER
/// ident, empty, request = frontend.recv_multipart()
/// frontend.send_multipart([ident, b"", b"reply"])
/// ```
#[test]
fn port_router_dealer_envelopes() {
    let ctx = ctx();
    let broker = socket(&ctx, zmq::ROUTER);
    let worker = socket(&ctx, zmq::DEALER);
    worker.set_routing_id(b"worker-1").unwrap();
    let ep = bind_loopback(&broker);
    worker.connect(&ep).unwrap();
    worker.send_multipart([&b""[..], b"READY"]).unwrap();
    let ready = broker.recv_multipart().unwrap();
    assert_eq!(frames(&ready), [&b"worker-1"[..], b"", b"READY"]);
    broker
        .send_multipart([&b"worker-1"[..], b"", b"job"])
        .unwrap();
    let job = worker.recv_multipart().unwrap();
    assert_eq!(frames(&job), [&b""[..], b"job"]);

    let frontend = socket(&ctx, zmq::ROUTER);
    let fe = bind_loopback(&frontend);
    let client = socket(&ctx, zmq::REQ);
    client.connect(&fe).unwrap();
    client.send(b"request").unwrap();
    let msg = frontend.recv_multipart().unwrap();
    let [ident, empty, request] = &msg[..] else {
        panic!("REQ envelope is [ident, empty, body]: {msg:?}")
    };
    assert!(empty.is_empty());
    assert_eq!(request, "request");
    frontend
        .send_multipart([ident, &Message::new(), &Message::from("reply")])
        .unwrap();
    assert_eq!(client.recv().unwrap(), "reply");
}
