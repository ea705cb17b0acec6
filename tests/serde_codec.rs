//! Feature `serde`: `send_json` / `recv_json` and `send_serialized` / `recv_serialized` with a
//! `Codec`, on every kind of exchange; bad input (a frame that is not JSON, not UTF-8, not the
//! expected shape, a value JSON cannot hold) is an `Error` of kind `Malformed`, never a panic,
//! and the frame comes back. Interop with pyzmq's own `send_json` is in tests/interop_pyzmq.rs.
#![cfg(feature = "serde")]

mod common;

use common::*;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::collections::BTreeMap;
use zmq::{Codec, ErrorKind, Json};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reading {
    zipcode: u32,
    temperature: i32,
    humidity: f64,
    station: String,
    tags: Vec<String>,
}

fn reading() -> Reading {
    Reading {
        zipcode: 10001,
        temperature: -3,
        humidity: 41.5,
        station: "Zürich \"Nord\"".into(),
        tags: vec!["a".into(), "".into()],
    }
}

#[test]
fn json_round_trip_req_rep() {
    let ctx = ctx();
    let rep = socket(&ctx, zmq::REP);
    let endpoint = bind_loopback(&rep);
    let req = socket(&ctx, zmq::REQ);
    req.connect(&endpoint).unwrap();

    req.send_json(&reading()).unwrap();
    let got: Reading = rep.recv_json().unwrap();
    assert_eq!(got, reading());
    rep.send_json(&serde_json::json!({"ok": true, "n": [1, 2, 3]}))
        .unwrap();
    let reply: serde_json::Value = req.recv_json().unwrap();
    assert_eq!(reply["ok"], true);
    assert_eq!(reply["n"][2], 3);
}

/// The frame is plain JSON text, as pyzmq's `send_json` sends it: readable with `recv_string`.
#[test]
fn json_frame_is_utf8_text() {
    let ctx = ctx();
    let pull = socket(&ctx, zmq::PULL);
    let ep = inproc("json-text");
    pull.bind(&ep).unwrap();
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap();
    push.send_json(&("héllo", 1, None::<u8>)).unwrap();
    assert_eq!(pull.recv_string().unwrap(), r#"["héllo",1,null]"#);
    // A str slice is Serialize + ?Sized.
    push.send_json("just a string").unwrap();
    assert_eq!(pull.recv_json::<String>().unwrap(), "just a string");
}

/// Every receiving kind decodes, every sending kind encodes: PUB/SUB with a topic-less JSON
/// stream, PAIR, DEALER/DEALER, XPUB/XSUB.
#[test]
fn json_on_other_kinds() {
    let ctx = ctx();
    // PUB/SUB.
    let publisher = socket(&ctx, zmq::PUB);
    let ep = inproc("json-pub");
    publisher.bind(&ep).unwrap();
    let sub = socket(&ctx, zmq::SUB);
    sub.connect(&ep).unwrap();
    sub.subscribe("").unwrap();
    settle();
    publisher.send_json(&reading()).unwrap();
    assert_eq!(sub.recv_json::<Reading>().unwrap(), reading());

    // PAIR both ways.
    let a = socket(&ctx, zmq::PAIR);
    let ep = inproc("json-pair");
    a.bind(&ep).unwrap();
    let b = socket(&ctx, zmq::PAIR);
    b.connect(&ep).unwrap();
    a.send_json(&[1u8, 2]).unwrap();
    b.send_json(&[3u8]).unwrap();
    assert_eq!(b.recv_json::<Vec<u8>>().unwrap(), [1, 2]);
    assert_eq!(a.recv_json::<Vec<u8>>().unwrap(), [3]);

    // A kind chosen at run time.
    let dyn_push = ctx.socket(zmq::SocketType::Push).unwrap();
    let dyn_pull = ctx.socket(zmq::SocketType::Pull).unwrap();
    bounded(&dyn_pull);
    let ep = inproc("json-dyn");
    dyn_pull.bind(&ep).unwrap();
    dyn_push.connect(&ep).unwrap();
    dyn_push.send_json(&42).unwrap();
    assert_eq!(dyn_pull.recv_json::<i32>().unwrap(), 42);
}

/// `recv_json` on a ROUTER reads the first frame, the routing id, as pyzmq's does: with an
/// envelope, `recv_multipart` and `codec::decode` on the body.
#[test]
fn json_with_envelopes() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    let ep = inproc("json-router");
    router.bind(&ep).unwrap();
    let dealer = socket(&ctx, zmq::DEALER);
    dealer.set_routing_id("w1").unwrap();
    dealer.connect(&ep).unwrap();
    dealer
        .send_multipart([
            zmq::Message::new(),
            zmq::codec::encode(&Json, &reading()).unwrap(),
        ])
        .unwrap();
    let parts = router.recv_multipart().unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0], "w1");
    let body: Reading = zmq::codec::decode(&Json, &parts[2]).unwrap();
    assert_eq!(body, reading());
    // A routing id is not JSON: Malformed, and the frame comes back.
    dealer.send_json(&1).unwrap();
    let e = router.recv_json::<i32>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert_eq!(e.into_received().unwrap(), "w1");
    assert_eq!(router.recv_json::<i32>().unwrap(), 1);
}

fn pair(name: &str) -> (zmq::Context, zmq::Socket<zmq::Pair>, zmq::Socket<zmq::Pair>) {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let ep = inproc(name);
    a.bind(&ep).unwrap();
    let b = socket(&ctx, zmq::PAIR);
    b.connect(&ep).unwrap();
    (ctx, a, b)
}

/// Sends `frame` raw and checks that `recv_json::<T>` refuses it with `Malformed`, naming JSON,
/// and gives the very frame back; the socket then goes on working.
fn refused<T: DeserializeOwned + std::fmt::Debug>(frame: &[u8]) {
    let (_ctx, a, b) = pair("json-bad");
    a.send(frame).unwrap();
    let e = b.recv_json::<T>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed, "{e}");
    assert!(e.error().errno().is_none());
    assert!(e.to_string().contains("JSON"), "{e}");
    let back = e.into_received().expect("the frame comes back");
    assert_eq!(&back[..], frame);
    a.send_json(&7).unwrap();
    assert_eq!(b.recv_json::<i32>().unwrap(), 7);
}

#[test]
fn bad_frames_are_errors_not_panics() {
    refused::<serde_json::Value>(b"not json");
    refused::<serde_json::Value>(b"");
    refused::<serde_json::Value>(&[0xff, 0xfe, b'{']);
    refused::<serde_json::Value>(b"{\"a\": 1");
    refused::<serde_json::Value>(b"[1, 2] trailing");
    // Valid JSON, wrong shape.
    refused::<Reading>(b"{\"zipcode\": 1}");
    refused::<Reading>(b"[1, 2, 3]");
    refused::<u8>(b"300");
    refused::<String>(b"\"unterminated");
    // Deeply nested input stops at serde_json's recursion limit instead of overflowing the stack.
    let deep = "[".repeat(100_000);
    refused::<serde_json::Value>(deep.as_bytes());
}

/// `?` turns the receive error into a `zmq::Error` of the same kind.
#[test]
fn question_mark_gives_a_zmq_error() {
    fn receive(b: &zmq::Socket<zmq::Pair>) -> zmq::Result<Reading> {
        Ok(b.recv_json()?)
    }
    let (_ctx, a, b) = pair("json-question");
    a.send("{}").unwrap();
    let e = receive(&b).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
}

/// A value JSON cannot represent: `Malformed`, and nothing is sent.
#[test]
fn unencodable_value_sends_nothing() {
    let (_ctx, a, b) = pair("json-unencodable");
    let mut map = BTreeMap::new();
    map.insert((1, 2), "tuple keys are not JSON object keys");
    let e = a.send_json(&map).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert!(e.to_string().contains("cannot encode as JSON"), "{e}");
    assert!(b.try_recv().unwrap().is_none());

    struct Fails;
    impl Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("this value refuses"))
        }
    }
    let e = a.send_json(&Fails).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert!(e.to_string().contains("this value refuses"), "{e}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(b.try_recv().unwrap().is_none());
}

/// Would-block is `Again` on both sides, with nothing received or lost.
#[test]
fn dontwait() {
    let ctx = ctx();
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&inproc("json-dontwait")).unwrap();
    let e = pull.recv_json_with::<i32>(zmq::DONTWAIT).unwrap_err();
    assert!(e.is_again());
    assert!(e.into_received().is_none());

    let push = socket(&ctx, zmq::PUSH); // no peer: nothing can be queued
    let e = push.send_json_with(&1, zmq::DONTWAIT).unwrap_err();
    assert!(e.is_again());
}

/// A codec of another format plugs in: JSON behind a version tag, whose own decoding errors
/// flow through named.
struct TaggedJson;

impl Codec for TaggedJson {
    type Error = String;
    fn name(&self) -> &str {
        "tagged JSON"
    }
    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, String> {
        let mut out = b"v1 ".to_vec();
        serde_json::to_writer(&mut out, value).map_err(|e| e.to_string())?;
        Ok(out)
    }
    fn decode<T: DeserializeOwned>(&self, frame: &[u8]) -> Result<T, String> {
        let body = frame
            .strip_prefix(b"v1 ")
            .ok_or_else(|| "no v1 tag".to_string())?;
        serde_json::from_slice(body).map_err(|e| e.to_string())
    }
}

#[test]
fn custom_codec() {
    let (_ctx, a, b) = pair("codec-custom");
    a.send_serialized(&TaggedJson, &reading()).unwrap();
    let raw = b.recv().unwrap();
    assert!(raw.starts_with(b"v1 {"));
    a.send_serialized(&TaggedJson, &reading()).unwrap();
    assert_eq!(
        b.recv_serialized::<_, Reading>(&TaggedJson).unwrap(),
        reading()
    );

    // Plain JSON is not tagged JSON: the codec's error, named, and the frame back.
    a.send_json(&reading()).unwrap();
    let e = b.recv_serialized::<_, Reading>(&TaggedJson).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert!(e.to_string().contains("tagged JSON: no v1 tag"), "{e}");
    let frame = e.into_received().unwrap();
    assert_eq!(
        zmq::codec::decode::<_, Reading>(&Json, &frame).unwrap(),
        reading()
    );

    // `Json` through the generic methods is `send_json`.
    a.send_serialized(&Json, &5).unwrap();
    assert_eq!(b.recv_json::<i32>().unwrap(), 5);
    a.send_serialized_with(&Json, &6, zmq::DONTWAIT).unwrap();
    assert_eq!(
        b.recv_serialized_with::<_, i32>(&Json, zmq::Flags::empty())
            .unwrap(),
        6
    );
}

/// A large value goes through the zero-copy path of `Message::from(Vec<u8>)` and comes back
/// whole.
#[test]
fn large_value() {
    let (_ctx, a, b) = pair("json-large");
    let big: Vec<u32> = (0..100_000).collect();
    a.send_json(&big).unwrap();
    assert_eq!(b.recv_json::<Vec<u32>>().unwrap(), big);
}

#[cfg(all(feature = "tokio", unix))]
#[test]
fn async_json() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ctx = ctx();
        let rep = ctx.async_socket(zmq::REP).unwrap();
        let ep = inproc("json-async");
        rep.bind(&ep).unwrap();
        let req = ctx.async_socket(zmq::REQ).unwrap();
        req.connect(&ep).unwrap();
        let server = async {
            let r: Reading = rep.recv_json().await.unwrap();
            rep.send_json(&r.temperature).await.unwrap();
        };
        let client = async {
            req.send_json(&reading()).await.unwrap();
            req.recv_json::<i32>().await.unwrap()
        };
        let (_, t) = tokio::time::timeout(TIMEOUT, async { tokio::join!(server, client) })
            .await
            .expect("async exchange timed out");
        assert_eq!(t, -3);

        req.send("not json").await.unwrap();
        let e = rep.recv_json::<Reading>().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Malformed);
        assert_eq!(e.into_received().unwrap(), "not json");
    });
}
