//! PUB/SUB: pyzmq's conformance test #12 (`test_pubsub.py::test_topic`; reference/pyzmq.md
//! section 12) and `test_basic`, libzmq's `test_pubsub` (tcp, ipc, inproc), topic filters, and
//! the weather-update idiom ported line for line.

mod common;

use common::*;
use std::time::{Duration, Instant};
use zmq::{Socket, Sub};

/// Waits until `sub` is known to the publisher: publishes `probe` (which `sub` must be
/// subscribed to) until one arrives, then drops any extra probes. Bounded by [`TIMEOUT`]. This
/// replaces a fixed sleep against the slow-joiner problem.
fn sync_subscriber<K: zmq::CanSend>(publisher: &Socket<K>, sub: &Socket<Sub>, probe: &str) {
    let start = Instant::now();
    loop {
        publisher.send(probe).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        if sub.try_recv().unwrap().is_some() {
            break;
        }
        assert!(start.elapsed() < TIMEOUT, "subscription never arrived");
    }
    // The probes sent before the first one arrived are all queued by now or dropped.
    std::thread::sleep(Duration::from_millis(20));
    while let Some(m) = sub.try_recv().unwrap() {
        assert_eq!(m, probe);
    }
}

/// pyzmq `test_pubsub.py::test_basic`: SUBSCRIBE to "" gets every message.
#[test]
fn pyzmq_test_basic() {
    let ctx = ctx();
    let publisher = socket(&ctx, zmq::PUB);
    let sub = socket(&ctx, zmq::SUB);
    let ep = bind_loopback(&publisher);
    sub.connect(&ep).unwrap();
    sub.subscribe("").unwrap();
    sync_subscriber(&publisher, &sub, "sync");
    publisher.send(b"message").unwrap();
    assert_eq!(sub.recv().unwrap(), "message");
}

/// pyzmq #12 `test_pubsub.py::test_topic`: a SUB subscribed to "x" does not get "message"
/// (a DONTWAIT receive gives `Again`) and does get "xmessage".
#[test]
fn pyzmq_test_topic() {
    let ctx = ctx();
    let publisher = socket(&ctx, zmq::PUB);
    let sub = socket(&ctx, zmq::SUB);
    let ep = bind_loopback(&publisher);
    sub.connect(&ep).unwrap();
    sub.subscribe(b"x").unwrap();
    sync_subscriber(&publisher, &sub, "xsync");

    publisher.send(b"message").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let e = sub.recv_with(zmq::DONTWAIT).unwrap_err();
    assert!(e.is_again());
    publisher.send(b"xmessage").unwrap();
    // Order is kept per peer: had "message" passed the filter it would come first.
    assert_eq!(sub.recv().unwrap(), "xmessage");
    assert!(sub.try_recv().unwrap().is_none());
}

/// libzmq `test_pubsub`: publish one message and receive it, over tcp, ipc and inproc, with the
/// libzmq test's settle time.
#[test]
fn libzmq_test_pubsub() {
    for ep in [
        "tcp://127.0.0.1:*".to_string(),
        ipc("pubsub"),
        inproc("pubsub"),
    ] {
        let ctx = ctx();
        let publisher = socket(&ctx, zmq::PUB);
        publisher.bind(&ep).unwrap();
        let ep = publisher.last_endpoint().unwrap();
        let subscriber = socket(&ctx, zmq::SUB);
        subscriber.connect(&ep).unwrap();
        subscriber.subscribe("").unwrap();
        sync_subscriber(&publisher, &subscriber, "sync");
        publisher.send("test").unwrap();
        assert_eq!(subscriber.recv_string().unwrap(), "test", "{ep}");
    }
}

/// Prefix filters: several subscriptions, unsubscribe, multipart messages filtered on their first
/// frame, binary topics, and a subscriber with no subscription receiving nothing.
#[test]
fn topic_filters() {
    let ctx = ctx();
    let publisher = socket(&ctx, zmq::PUB);
    let ep = inproc("filters");
    publisher.bind(&ep).unwrap();
    let sub = socket(&ctx, zmq::SUB);
    let none = socket(&ctx, zmq::SUB);
    sub.connect(&ep).unwrap();
    none.connect(&ep).unwrap();
    sub.subscribe("A").unwrap();
    sub.subscribe("B").unwrap();
    sub.subscribe(&[0u8, 255][..]).unwrap();
    sync_subscriber(&publisher, &sub, "Async");

    for topic in ["A1", "B2", "C3", "AB4"] {
        publisher.send(topic).unwrap();
    }
    publisher.send_multipart(["Cx", "A-not-a-topic"]).unwrap();
    publisher.send_multipart(["Bx", "body"]).unwrap();
    publisher.send([0u8, 255, 7].as_slice()).unwrap();
    publisher.send([0u8, 254].as_slice()).unwrap();
    publisher.send("END").unwrap();
    publisher.send("A-end").unwrap();
    let mut got = Vec::new();
    loop {
        let parts = sub.recv_multipart().unwrap();
        let done = parts[0] == "A-end";
        got.push(parts.iter().map(|m| m.to_vec()).collect::<Vec<_>>());
        if done {
            break;
        }
    }
    let expect: Vec<Vec<Vec<u8>>> = vec![
        vec![b"A1".to_vec()],
        vec![b"B2".to_vec()],
        vec![b"AB4".to_vec()],
        vec![b"Bx".to_vec(), b"body".to_vec()],
        vec![vec![0, 255, 7]],
        vec![b"A-end".to_vec()],
    ];
    assert_eq!(got, expect);

    sub.unsubscribe("A").unwrap();
    // Wait for the unsubscription to reach the publisher: B messages keep flowing meanwhile.
    let start = Instant::now();
    loop {
        publisher.send("A-probe").unwrap();
        publisher.send("B-mark").unwrap();
        let first = sub.recv().unwrap();
        if first == "B-mark" {
            break;
        }
        assert_eq!(first, "A-probe");
        assert_eq!(sub.recv().unwrap(), "B-mark");
        assert!(start.elapsed() < TIMEOUT);
    }
    publisher.send("A-after").unwrap();
    publisher.send("B-after").unwrap();
    assert_eq!(sub.recv().unwrap(), "B-after");

    assert!(
        none.try_recv().unwrap().is_none(),
        "no subscription, nothing"
    );
}

/// The weather-update server and client, line for line with pyzmq's:
///
/// ```python
/// socket = context.socket(zmq.SUB); socket.connect(url)
/// socket.setsockopt_string(zmq.SUBSCRIBE, zip_filter)
/// string = socket.recv_string(); zipcode, temperature, relhumidity = string.split()
/// ```
#[test]
fn port_weather_update() {
    let context = ctx();
    let socket_pub = context.socket(zmq::PUB).unwrap();
    let url = bind_loopback(&socket_pub);

    let socket = context.socket(zmq::SUB).unwrap();
    socket.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    socket.connect(&url).unwrap();
    let zip_filter = "10001";
    socket.subscribe(zip_filter).unwrap();
    sync_subscriber(&socket_pub, &socket, "10001 sync 0");

    let stop = std::sync::atomic::AtomicBool::new(false);
    let stop = &stop;
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 100_000 {
                let zipcode = 10000 + n % 3;
                socket_pub
                    .send(format!("{zipcode} {} {}", n % 40, n % 100).as_str())
                    .unwrap();
                n += 1;
                if n % 64 == 0 {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        });
        let mut total_temp = 0i64;
        for _ in 0..5 {
            let string = socket.recv_string().unwrap();
            let fields: Vec<&str> = string.split_whitespace().collect();
            let (zipcode, temperature) = (fields[0], fields[1]);
            assert_eq!(zipcode, zip_filter);
            total_temp += temperature.parse::<i64>().unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(total_temp >= 0);
    });
}

/// XPUB/XSUB see subscriptions as messages: XSUB's `subscribe` sends "\x01topic" and XPUB
/// receives it; `unsubscribe` gives "\x00topic".
#[test]
fn xpub_xsub_subscription_messages() {
    let ctx = ctx();
    let xpub = socket(&ctx, zmq::XPUB);
    let ep = inproc("xpub");
    xpub.bind(&ep).unwrap();
    let xsub = socket(&ctx, zmq::XSUB);
    xsub.connect(&ep).unwrap();
    xsub.subscribe("news").unwrap();
    assert_eq!(xpub.recv().unwrap(), &b"\x01news"[..]);
    xpub.send("news today").unwrap();
    xpub.send("sports").unwrap();
    assert_eq!(xsub.recv().unwrap(), "news today");
    xsub.unsubscribe("news").unwrap();
    assert_eq!(xpub.recv().unwrap(), &b"\x00news"[..]);
}
