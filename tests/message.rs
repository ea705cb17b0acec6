//! Messages: pyzmq's conformance tests #7 (`test_tracker`, adapted) and #13 (`test_multisend`;
//! reference/pyzmq.md section 12), libzmq's `test_msg_flags` and `test_msg_ffn`, and the
//! string / multipart idioms (`recv_string` on bad UTF-8 is an error, not a panic).

mod common;

use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zmq::{ErrorKind, Message};

/// A zero-copy owner that counts how often it is dropped.
struct Owner {
    data: Vec<u8>,
    drops: Arc<AtomicUsize>,
}

impl AsRef<[u8]> for Owner {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

fn owned(len: usize, fill: u8) -> (Message, Arc<AtomicUsize>) {
    let drops = Arc::new(AtomicUsize::new(0));
    let msg = Message::from_owner(Owner {
        data: vec![fill; len],
        drops: drops.clone(),
    });
    (msg, drops)
}

/// Waits (bounded) for libzmq's I/O thread to release the content.
fn wait_for_drops(drops: &AtomicUsize, n: usize) {
    let start = Instant::now();
    while drops.load(Ordering::SeqCst) < n && start.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(drops.load(Ordering::SeqCst), n);
}

/// pyzmq #7 `test_tracker`, adapted: pyzmq's MessageTracker tells when libzmq has released a
/// zero-copy buffer. In Rust the buffer's owner is dropped at that moment, exactly once, so the
/// owner's `Drop` is the tracker. Over inproc the content travels to the receiver without a
/// copy: it is released only when the peer has received it and dropped the received message. A
/// message sent before any peer exists stays unreleased until a peer binds and receives it
/// (inproc and tcp).
#[test]
fn pyzmq_test_tracker_inproc() {
    let ctx = ctx();
    let ep = inproc("tracker");
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap(); // no peer yet
    let (msg, drops) = owned(100, 7);
    push.send(msg).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(drops.load(Ordering::SeqCst), 0, "not done before a peer");
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&ep).unwrap();
    let received = pull.recv().unwrap();
    assert_eq!(&received[..], &[7u8; 100][..]);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "the receiver still holds it"
    );
    drop(received);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "released once, at the last drop"
    );
}

/// pyzmq #7 `test_tracker` over tcp: not released while no peer is there; released exactly once
/// after the peer binds and receives.
#[test]
fn pyzmq_test_tracker_tcp() {
    let ctx = ctx();
    // Find a free port, then leave it free so the sender connects to nobody first.
    let probe = socket(&ctx, zmq::PULL);
    let ep = bind_loopback(&probe);
    probe.unbind(&ep).unwrap();
    drop(probe);

    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap();
    let (msg, drops) = owned(4096, 3);
    push.send(msg).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(drops.load(Ordering::SeqCst), 0, "not done before a peer");

    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&ep).unwrap();
    let received = pull.recv().unwrap();
    assert_eq!(received.len(), 4096);
    assert!(received.iter().all(|&b| b == 3));
    wait_for_drops(&drops, 1);
    // Exactly once: nothing more happens later.
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

/// pyzmq #7: a tracked frame sent twice stays "not done" until both sends are finished **and**
/// the frame itself is gone (sending `&Message` shares the content).
#[test]
fn pyzmq_test_tracker_sent_twice() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("tracker-twice");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    let (msg, drops) = owned(64, 1);
    a.send(&msg).unwrap();
    a.send(&msg).unwrap();
    drop(b.recv().unwrap());
    drop(b.recv().unwrap());
    assert_eq!(drops.load(Ordering::SeqCst), 0, "the frame is still alive");
    drop(msg);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

/// pyzmq #13 `test_multisend`: one Message sent four times (by reference, sharing the content,
/// and by clone) arrives four times, and its bytes stay unchanged on both sides.
#[test]
fn pyzmq_test_multisend() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = bind_loopback(&a);
    b.connect(&ep).unwrap();
    let payload: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
    let msg = Message::from(payload.clone());
    a.send(&msg).unwrap();
    a.send(&msg).unwrap();
    a.send(msg.clone()).unwrap();
    a.send(msg.clone()).unwrap();
    for _ in 0..4 {
        let got = b.recv().unwrap();
        assert_eq!(got[..], payload[..]);
    }
    assert_eq!(msg[..], payload[..], "the sender's message is unchanged");
    assert!(b.try_recv().unwrap().is_none());
}

/// libzmq `test_msg_flags::test_more`: MORE is set on every frame of a multipart message but
/// the last, both as `Message::more()` and `zmq_msg_get(ZMQ_MORE)`.
#[test]
fn libzmq_test_msg_flags_more() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::DEALER);
    let b = socket(&ctx, zmq::ROUTER);
    let ep = inproc("more");
    b.bind(&ep).unwrap();
    a.connect(&ep).unwrap();
    a.send_multipart(["A", "B"]).unwrap();
    let mut msg = Message::new();
    b.recv_msg(&mut msg).unwrap(); // routing id
    assert!(msg.more());
    b.recv_msg(&mut msg).unwrap();
    assert_eq!(msg, "A");
    assert!(msg.more());
    assert_eq!(msg.get(zmq::ffi::ZMQ_MORE).unwrap(), 1);
    b.recv_msg(&mut msg).unwrap();
    assert_eq!(msg, "B");
    assert!(!msg.more());
    assert_eq!(msg.get(zmq::ffi::ZMQ_MORE).unwrap(), 0);
}

/// libzmq `test_msg_flags::test_shared_refcounted` and `test_shared_const`: a copy shares
/// reference-counted content (ZMQ_SHARED on both), constant data is shared from the start, and
/// shared content cannot be written.
#[test]
fn libzmq_test_msg_flags_shared() {
    let mut a = Message::with_size(255).unwrap();
    assert!(!a.is_shared());
    assert_eq!(a.get(zmq::ffi::ZMQ_SHARED).unwrap(), 0);
    a.data_mut().unwrap()[0] = 42;
    let mut b = a.clone();
    assert!(a.is_shared());
    assert!(b.is_shared());
    assert_eq!(b.get(zmq::ffi::ZMQ_SHARED).unwrap(), 1);
    assert!(b.data_mut().is_none(), "shared content is read-only");
    assert_eq!(b[0], 42);

    let c = Message::from_static(b"constant data");
    assert!(c.is_shared());
    assert_eq!(c, "constant data");

    // Unknown properties are EINVAL; libzmq 4.3 has no settable property.
    assert_eq!(a.get(9999).unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(
        a.set(zmq::ffi::ZMQ_MORE, 1).unwrap_err().kind(),
        ErrorKind::Invalid
    );
}

/// libzmq `test_msg_ffn`: the free function (here: the owner's Drop) runs exactly once when a
/// message is closed, when a copy and the original are both closed (not before), and after a
/// send once the peer has the data (tcp, DEALER to ROUTER), also when a copy was sent.
#[test]
fn libzmq_test_msg_ffn() {
    // Closing the message frees it.
    let (msg, drops) = owned(255, 0);
    drop(msg);
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    // Making and closing a copy frees it once, after both are closed.
    let (msg, drops) = owned(255, 0);
    let copy = msg.clone();
    drop(copy);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(msg);
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    let ep = bind_loopback(&router);
    let dealer = socket(&ctx, zmq::DEALER);
    dealer.connect(&ep).unwrap();

    // Sending frees it.
    let (msg, drops) = owned(255, b'd');
    dealer.send(msg).unwrap();
    let mut buf = [0u8; 255];
    router.recv_into(&mut buf).unwrap(); // routing id
    let r = router.recv_into(&mut buf).unwrap();
    assert_eq!(r.size, 255);
    assert_eq!(&buf[..4], b"dddd");
    wait_for_drops(&drops, 1);

    // Sending a copy frees it once both are gone.
    let (msg, drops) = owned(255, 5);
    let copy = msg.clone();
    dealer.send(msg).unwrap();
    router.recv_into(&mut buf).unwrap();
    let r = router.recv_into(&mut buf).unwrap();
    assert_eq!(r.size, 255);
    assert_eq!(buf[0], 5);
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(drops.load(Ordering::SeqCst), 0, "the copy still holds it");
    drop(copy);
    wait_for_drops(&drops, 1);
}

/// Building messages: from owned buffers without copying (large `Vec`s keep their address),
/// from slices and strings by copying, empty ones, and reuse of one Message across receives.
#[test]
fn message_construction_and_reuse() {
    let v = vec![9u8; 4096];
    let ptr = v.as_ptr();
    let m = Message::from(v);
    assert_eq!(m.as_ptr(), ptr, "a large Vec is taken without copying");
    assert_eq!(m.len(), 4096);
    let small = Message::from(vec![1u8, 2, 3]);
    assert_eq!(&small[..], &[1, 2, 3]);
    let zc = Message::from_vec_zero_copy(vec![1u8, 2, 3]);
    assert_eq!(zc, small);
    assert!(Message::new().is_empty());
    assert!(Message::from(Vec::new()).is_empty());
    assert_eq!(Message::from("text").as_str(), Some("text"));
    assert_eq!(Message::from(String::from("s")), "s");
    assert_eq!(Message::with_size(3).unwrap()[..], [0, 0, 0]);
    let v: Vec<u8> = Message::from("back").into();
    assert_eq!(v, b"back");

    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("reuse");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    let mut msg = Message::new();
    for i in 0..5u8 {
        a.send([i; 40].as_slice()).unwrap();
        assert_eq!(b.recv_msg(&mut msg).unwrap(), 40);
        assert_eq!(msg[..], [i; 40]);
    }
    let mut m = Message::from("take me");
    let taken = m.take();
    assert_eq!(taken, "take me");
    assert!(m.is_empty());
}

/// pyzmq's `recv_string` idiom: bytes that are not UTF-8 give `ErrorKind::Utf8` (never a panic),
/// the bad frame is consumed from the socket but handed back in the error (nothing is lost), and
/// the next receive works. `send_string` with non-ASCII text round-trips.
#[test]
fn recv_string_bad_utf8() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = bind_loopback(&a);
    b.connect(&ep).unwrap();
    a.send(&[0xffu8, 0xfe, b'x'][..]).unwrap();
    a.send("héllo wörld ✓").unwrap();
    let e = b.recv_string().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Utf8);
    assert_eq!(e.error().errno(), None);
    assert!(e.to_string().contains("UTF-8"), "{e}");
    let frame = e.into_received().expect("the frame comes back");
    assert_eq!(&frame[..], &[0xff, 0xfe, b'x']);
    assert_eq!(b.recv_string().unwrap(), "héllo wörld ✓");

    // A receive that fails received nothing; `?` still gives a zmq::Error.
    b.set_rcvtimeo(Some(Duration::ZERO)).unwrap();
    let e = b.recv_string().unwrap_err();
    assert!(e.is_again());
    assert!(e.into_received().is_none());
    let through_question_mark = || -> zmq::Result<String> { Ok(b.recv_string()?) };
    assert!(through_question_mark().unwrap_err().is_again());
}

/// A multipart message whose receive is cut by `ETERM` after its first frames: the frames that
/// arrived stay in the caller's Vec (`recv_multipart_into`), and the error is `ETERM`. libzmq
/// looks at its command mailbox (where `zmq_ctx_shutdown` leaves the stop) once every 100
/// receives, so a 150-frame message queued before the shutdown meets `ETERM` in its middle.
#[test]
fn recv_multipart_into_keeps_frames_received_before_eterm() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("multipart-eterm");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    let sent: Vec<String> = (0..150).map(|i| format!("frame {i}")).collect();
    a.send_multipart(&sent).unwrap();
    ctx.shutdown().unwrap();

    let mut parts = vec![Message::from("kept from before")];
    let e = b
        .recv_multipart_into(&mut parts, zmq::Flags::empty())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ContextTerminated);
    assert_eq!(parts[0], "kept from before");
    let got = &parts[1..];
    assert!(
        !got.is_empty() && got.len() < sent.len(),
        "ETERM in the middle: {} frames arrived",
        got.len()
    );
    for (msg, text) in got.iter().zip(&sent) {
        assert_eq!(msg, text.as_str());
    }
    // The socket is dead: the rest of the message can never be read as a new one.
    let mut rest = Vec::new();
    assert!(b
        .recv_multipart_into(&mut rest, zmq::DONTWAIT)
        .unwrap_err()
        .is_terminated());
    assert!(rest.is_empty());
}

/// `recv_multipart_into` appends one whole message per call and reports how many frames it
/// added; the Vec is reusable.
#[test]
fn recv_multipart_into_appends_whole_messages() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("multipart-into");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    a.send_multipart(["a", "b"]).unwrap();
    a.send_multipart(["c", "d", "e"]).unwrap();
    let mut parts = Vec::new();
    assert_eq!(
        b.recv_multipart_into(&mut parts, zmq::Flags::empty())
            .unwrap(),
        2
    );
    assert_eq!(
        b.recv_multipart_into(&mut parts, zmq::Flags::empty())
            .unwrap(),
        3
    );
    assert_eq!(frames(&parts), [b"a", b"b", b"c", b"d", b"e"]);
    parts.clear();
    assert!(b
        .recv_multipart_into(&mut parts, zmq::DONTWAIT)
        .unwrap_err()
        .is_again());
    assert!(parts.is_empty());
}

/// A large multipart message arrives whole, also through a high-water mark of 1 (libzmq counts
/// whole messages, so after the first frame every frame is accepted) and with `DONTWAIT` on the
/// first frame, and the message after it arrives as its own message.
#[test]
fn send_multipart_delivers_the_whole_message() {
    let ctx = ctx();
    let push = socket(&ctx, zmq::PUSH);
    let pull = socket(&ctx, zmq::PULL);
    push.set_sndhwm(1).unwrap();
    pull.set_rcvhwm(1).unwrap();
    let ep = bind_loopback(&pull);
    push.connect(&ep).unwrap();
    let big: Vec<Message> = (0..500u32)
        .map(|i| Message::from(i.to_be_bytes().to_vec()))
        .collect();
    push.send_multipart(big).unwrap();
    let start = Instant::now();
    loop {
        match push.send_multipart_with([&b"x"[..], b"y"], zmq::DONTWAIT) {
            Ok(()) => break,
            Err(e) if e.is_again() && start.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(1))
            }
            Err(e) => panic!("{e}"),
        }
    }
    let got = pull.recv_multipart().unwrap();
    assert_eq!(got.len(), 500);
    for (i, m) in got.iter().enumerate() {
        assert_eq!(&m[..], &(i as u32).to_be_bytes());
    }
    assert_eq!(frames(&pull.recv_multipart().unwrap()), [b"x", b"y"]);
}

/// Why `send_multipart` does not retry `EAGAIN` after the first frame: libzmq gives it there only
/// when the pipe under the message has died (here a PAIR's peer left). Retrying cannot succeed
/// while the dead pipe is still attached (a PAIR lets it go only when the application receives),
/// and once a new peer is there the frame sent again arrives alone, as a whole message, without
/// the frames before it.
#[test]
fn a_frame_retried_after_mid_message_eagain_arrives_without_its_head() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    a.set_sndtimeo(Some(Duration::from_millis(20))).unwrap();
    let ep = inproc("pair-mid-message");
    a.bind(&ep).unwrap();
    let b = socket(&ctx, zmq::PAIR);
    b.connect(&ep).unwrap();
    a.send_more("head").unwrap();
    drop(b);
    // Reading ZMQ_EVENTS makes `a` process the pipe's termination (bounded wait).
    let start = Instant::now();
    while a.events().unwrap().contains(zmq::PollEvents::POLLOUT) {
        assert!(start.elapsed() < TIMEOUT, "the peer's close never arrived");
        std::thread::sleep(Duration::from_millis(1));
    }
    for _ in 0..3 {
        assert!(a.send("tail").unwrap_err().is_again(), "the pipe is dead");
    }
    // A receive reads the dead pipe's end and detaches it; then a new peer can attach.
    assert!(a.try_recv().unwrap().is_none());
    let c = socket(&ctx, zmq::PAIR);
    c.connect(&ep).unwrap();
    let start = Instant::now();
    loop {
        match a.send("tail") {
            Ok(()) => break,
            Err(e) if e.is_again() && start.elapsed() < TIMEOUT => {
                let _ = a.try_recv();
            }
            Err(e) => panic!("{e}"),
        }
    }
    let got = c.recv_multipart().unwrap();
    assert_eq!(
        frames(&got),
        [b"tail"],
        "the tail alone, as a message of its own"
    );
}

/// pyzmq's `send_multipart` / `recv_multipart` line for line, with a `DONTWAIT` first part, and
/// an owned multipart send that fails giving every part back.
#[test]
fn port_send_recv_multipart() {
    let ctx = ctx();
    let a = socket(&ctx, zmq::DEALER);
    let b = socket(&ctx, zmq::DEALER);
    let ep = inproc("multipart");
    a.bind(&ep).unwrap();
    // No peer yet: the whole message comes back, nothing is lost.
    let parts = vec![Message::from("a"), Message::from("b"), Message::from("c")];
    let e = a.send_multipart_with(parts, zmq::DONTWAIT).unwrap_err();
    assert!(e.is_again());
    let unsent = e.into_unsent();
    assert_eq!(unsent.len(), 3);

    b.connect(&ep).unwrap();
    a.send_multipart(unsent).unwrap();
    let got = b.recv_multipart_with(zmq::DONTWAIT);
    let got = match got {
        Ok(m) => m,
        Err(e) if e.is_again() => b.recv_multipart().unwrap(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(frames(&got), [b"a", b"b", b"c"]);
    assert_eq!(
        b.recv_multipart_with(zmq::DONTWAIT).unwrap_err().kind(),
        ErrorKind::Again
    );
}

/// Content borrowed from a `from_owner` owner is read-only: `data_mut` refuses it, also once it
/// reaches an inproc peer (which gets the very same bytes), so a shared `Arc<[u8]>` can never be
/// written through a message. Content the message allocated stays writable.
#[test]
fn owner_content_is_read_only() {
    let shared: Arc<[u8]> = Arc::from(vec![1u8; 64]);
    let mut m = Message::from_owner(shared.clone());
    assert!(m.data_mut().is_none());
    assert!(m.clone().data_mut().is_none());
    assert!(m.take().data_mut().is_none());

    let ctx = ctx();
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("read-only");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    a.send(Message::from_owner(shared.clone())).unwrap();
    let mut got = b.recv().unwrap();
    assert_eq!(
        got.as_ptr(),
        shared.as_ptr(),
        "inproc passes the bytes without a copy"
    );
    assert!(
        got.data_mut().is_none(),
        "the receiver must not write the sender's Arc"
    );
    // Reusing a writable message for a receive makes it read-only too.
    let mut reuse = Message::with_size(64).unwrap();
    assert!(reuse.data_mut().is_some());
    a.send(Message::from_owner(shared.clone())).unwrap();
    b.recv_msg(&mut reuse).unwrap();
    assert!(reuse.data_mut().is_none());
    assert!(shared.iter().all(|&x| x == 1));

    let mut mine = Message::from(vec![0u8; 4096]);
    mine.data_mut().unwrap()[0] = 9;
    assert_eq!(mine[0], 9);
    let mut small = Message::from_slice(b"abc");
    small.data_mut().unwrap()[0] = b'x';
    assert_eq!(small, "xbc");
}

/// Zero-copy sends: a 1 MiB `Vec` sent by value is handed to libzmq as is, so over inproc the
/// receiver reads the sender's very allocation (no memcpy of the payload anywhere), and the
/// sender's buffer is freed exactly once, after the receiver drops its message. The borrowed
/// path (`&v[..]`) copies, so its receiver gets a different address.
#[test]
fn zero_copy_vec_send_is_not_copied() {
    let ctx = ctx();
    let push = socket(&ctx, zmq::PUSH);
    let pull = socket(&ctx, zmq::PULL);
    let ep = inproc("zero-copy-vec");
    pull.bind(&ep).unwrap();
    push.connect(&ep).unwrap();

    let payload: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    let expected = payload.clone();
    let address = payload.as_ptr();
    push.send(payload).unwrap();
    let got = pull.recv().unwrap();
    assert_eq!(
        got.as_ptr(),
        address,
        "the receiver reads the sent Vec itself"
    );
    assert!(got[..] == expected[..]);

    push.send(&expected[..]).unwrap();
    let copied = pull.recv().unwrap();
    assert_ne!(
        copied.as_ptr(),
        expected.as_ptr(),
        "a borrowed slice is copied"
    );
    assert!(copied[..] == expected[..]);
}

/// `send_msg` sends a message's content and leaves the message empty for reuse (the C idiom of
/// one `zmq_msg_t` going back and forth); when the send fails the content stays with the caller.
#[test]
fn send_msg_empties_the_message_and_keeps_it_on_failure() {
    let ctx = ctx();
    let push = socket(&ctx, zmq::PUSH);
    let mut msg = Message::from("kept");
    let e = push.send_msg_with(&mut msg, zmq::DONTWAIT).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Again, "no peer yet");
    assert_eq!(msg, "kept", "a failed send leaves the content in place");

    let pull = socket(&ctx, zmq::PULL);
    let ep = inproc("send-msg");
    pull.bind(&ep).unwrap();
    push.connect(&ep).unwrap();
    push.send_msg(&mut msg).unwrap();
    assert!(msg.is_empty(), "the sent content has left the message");
    assert_eq!(pull.recv().unwrap(), "kept");

    // One Message received into and sent from, back and forth, as the latency tools do.
    let a = socket(&ctx, zmq::PAIR);
    let b = socket(&ctx, zmq::PAIR);
    let ep = inproc("send-msg-pair");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    let mut ping = Message::from(vec![7u8; 3]);
    let mut echo = Message::new();
    for _ in 0..3 {
        a.send_msg(&mut ping).unwrap();
        assert_eq!(b.recv_msg(&mut echo).unwrap(), 3);
        assert!(echo.data_mut().is_none(), "received content is read-only");
        b.send_msg(&mut echo).unwrap();
        assert!(
            echo.data_mut().is_some(),
            "the emptied message is the caller's again"
        );
        assert_eq!(a.recv_msg(&mut ping).unwrap(), 3);
        assert_eq!(&ping[..], &[7, 7, 7]);
    }
}
