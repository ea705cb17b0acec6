//! REQ/REP: pyzmq's conformance test #12 (EFSM, Again; reference/pyzmq.md section 12) and
//! `test_reqrep.py`, libzmq's `test_spec_req`, `test_spec_rep`, `test_req_correlate` and
//! `test_req_relaxed`, and the REQ/REP hello-world idiom ported line for line.

mod common;

use common::*;
use std::time::Duration;
use zmq::{ErrorKind, Message, PollEvents, DONTWAIT, NOBLOCK};

fn tcp_and_inproc(name: &str) -> [String; 2] {
    [inproc(name), "tcp://127.0.0.1:*".to_string()]
}

/// Binds `s` to `ep` and returns the address to connect to (the real port for `tcp://...:*`).
fn bind_at<K: zmq::SocketKind>(s: &zmq::Socket<K>, ep: &str) -> String {
    s.bind(ep).unwrap();
    s.last_endpoint().unwrap()
}

/// pyzmq #12 `test_reqrep.py::test_bad_send_recv`: REQ `recv()` first and REP `send()` first
/// fail with EFSM (`ErrorKind::InvalidState`), for borrowed data ("copy=True") and for an owned
/// `Message` ("copy=False", which comes back unsent); the pair still works afterwards.
#[test]
fn pyzmq_test_bad_send_recv() {
    let ctx = ctx();
    let rep = socket(&ctx, zmq::REP);
    let req = socket(&ctx, zmq::REQ);
    let ep = bind_loopback(&rep);
    req.connect(&ep).unwrap();

    for _ in 0..2 {
        assert_eq!(req.recv().unwrap_err().kind(), ErrorKind::InvalidState);
        let e = rep.send("asdf").unwrap_err();
        assert_eq!(e.error().kind(), ErrorKind::InvalidState);
        assert_eq!(e.error().errno(), Some(zmq::ffi::EFSM));
        let e = rep.send(Message::from("owned")).unwrap_err();
        assert_eq!(e.error().kind(), ErrorKind::InvalidState);
        assert_eq!(e.into_unsent(), "owned", "the owned message comes back");
    }
    // The pair still works.
    req.send("ping").unwrap();
    assert_eq!(rep.recv().unwrap(), "ping");
    rep.send("pong").unwrap();
    assert_eq!(req.recv().unwrap(), "pong");
    // REQ send twice without reading the reply is EFSM too.
    req.send("one").unwrap();
    assert_eq!(
        req.send("two").unwrap_err().error().kind(),
        ErrorKind::InvalidState
    );
}

/// pyzmq #12 `test_error.py::test_again`: a REP receive with NOBLOCK gives `Again`, an Error
/// whose errno is EAGAIN; `try_recv` says the same as `Ok(None)`.
#[test]
fn pyzmq_test_again() {
    let ctx = ctx();
    let rep = socket(&ctx, zmq::REP);
    rep.bind(&inproc("again")).unwrap();
    let e = rep.recv_with(NOBLOCK).unwrap_err();
    assert!(e.is_again());
    assert_eq!(e.kind(), ErrorKind::Again);
    assert_eq!(e.errno(), Some(libc::EAGAIN));
    assert_eq!(e.to_string(), zmq::strerror(libc::EAGAIN));
    assert!(rep.try_recv().unwrap().is_none());
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::WouldBlock);
}

/// pyzmq `test_reqrep.py::test_basic/test_multiple/test_large_msg`: ping-pong ×10 and a 10 kB
/// message, over tcp.
#[test]
fn pyzmq_test_reqrep_pingpong() {
    let ctx = ctx();
    let rep = socket(&ctx, zmq::REP);
    let req = socket(&ctx, zmq::REQ);
    let ep = bind_loopback(&rep);
    req.connect(&ep).unwrap();
    for i in 0..10 {
        let msg = format!("message {i}");
        req.send(msg.as_str()).unwrap();
        let got = rep.recv().unwrap();
        assert_eq!(got, msg.as_str());
        rep.send(got).unwrap();
        assert_eq!(req.recv_string().unwrap(), msg);
    }
    let big: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    req.send(&big).unwrap();
    let got = rep.recv().unwrap();
    assert_eq!(got[..], big[..]);
    rep.send(got).unwrap();
    assert_eq!(req.recv_bytes().unwrap(), big);
}

/// The pyzmq hello-world client and server, line for line:
///
/// ```python
/// socket = context.socket(zmq.REP); socket.bind(url)
/// message = socket.recv(); socket.send(b"World")
/// socket = context.socket(zmq.REQ); socket.connect(url)
/// socket.send(b"Hello"); message = socket.recv()
/// ```
#[test]
fn port_hello_world() {
    let context = ctx();
    let server = std::thread::scope(|scope| {
        let server_socket = context.socket(zmq::REP).unwrap();
        server_socket.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        let url = bind_loopback(&server_socket);
        let handle = scope.spawn(move || {
            for _ in 0..3 {
                let message = server_socket.recv().unwrap();
                assert_eq!(message, "Hello");
                server_socket.send(b"World").unwrap();
            }
        });
        let socket = context.socket(zmq::REQ).unwrap();
        socket.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        socket.connect(&url).unwrap();
        for _ in 0..3 {
            socket.send(b"Hello").unwrap();
            let message = socket.recv().unwrap();
            assert_eq!(message, "World");
        }
        handle.join()
    });
    server.unwrap();
}

/// libzmq `test_spec_req::test_round_robin_out`: a REQ sends to its REP peers in turn, each
/// used once per round (checked as a set: tcp accepts may reorder the peers).
#[test]
fn libzmq_test_spec_req_round_robin_out() {
    for ep in tcp_and_inproc("req-rr") {
        let ctx = ctx();
        let req = socket(&ctx, zmq::REQ);
        let ep = bind_at(&req, &ep);
        let reps: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::REP)).collect();
        for r in &reps {
            r.connect(&ep).unwrap();
        }
        settle();
        let mut used = Vec::new();
        for _ in 0..reps.len() {
            req.send("ABC").unwrap();
            let (i, parts) = recv_any(&reps);
            assert_eq!(frames(&parts), [b"ABC"]);
            reps[i].send("DEF").unwrap();
            assert_eq!(req.recv().unwrap(), "DEF");
            used.push(i);
        }
        used.sort();
        assert_eq!(used, [0, 1, 2, 3, 4], "{ep}: every REP used once");
    }
}

/// libzmq `test_spec_req::test_req_only_listens_to_current_peer`: replies from peers other than
/// the one the request went to are discarded.
#[test]
fn libzmq_test_spec_req_only_listens_to_current_peer() {
    for ep in tcp_and_inproc("req-current") {
        let ctx = ctx();
        let req = socket(&ctx, zmq::REQ);
        req.set_routing_id("A").unwrap();
        let ep = bind_at(&req, &ep);
        let routers: Vec<_> = (0..3).map(|_| socket(&ctx, zmq::ROUTER)).collect();
        for r in &routers {
            r.set_router_mandatory(true).unwrap();
            r.connect(&ep).unwrap();
        }
        settle();
        for _ in 0..routers.len() {
            std::thread::sleep(Duration::from_millis(10));
            req.send("ABC").unwrap();
            let (i, parts) = recv_any(&routers);
            assert_eq!(frames(&parts), [&b"A"[..], b"", b"ABC"]);
            for (j, r) in routers.iter().enumerate() {
                let reply: &[u8] = if i == j { b"GOOD" } else { b"WRONG" };
                send_seq(r, &[b"A", b"", reply]);
            }
            assert_eq!(req.recv().unwrap(), "GOOD");
        }
    }
}

/// libzmq `test_spec_req::test_req_message_format`: a ROUTER sees [routing id, "", parts...]
/// with RCVMORE set after the id; a reply [id, "", data] reaches the REQ as [data].
#[test]
fn libzmq_test_spec_req_message_format() {
    for ep in tcp_and_inproc("req-format") {
        let ctx = ctx();
        let req = socket(&ctx, zmq::REQ);
        let router = socket(&ctx, zmq::ROUTER);
        let ep = bind_at(&req, &ep);
        router.connect(&ep).unwrap();
        send_seq(&req, &[b"ABC", b"DEF"]);
        let id = router.recv().unwrap();
        assert!(!id.is_empty());
        assert!(router.rcvmore().unwrap());
        assert!(id.more());
        recv_seq(&router, &[b"", b"ABC", b"DEF"]);
        router.send_more(&id).unwrap();
        send_seq(&router, &[b"", b"GHI"]);
        recv_seq(&req, &[b"GHI"]);
    }
}

/// libzmq `test_spec_req::test_block_on_send_no_peers` (and the same for DEALER and PUSH in
/// their spec tests): with no peer, DONTWAIT gives `Again` at once, and a send with SNDTIMEO
/// gives `Again` after the timeout.
#[test]
fn libzmq_test_spec_block_on_send_no_peers() {
    let ctx = ctx();
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_sndtimeo(Some(Duration::from_millis(250))).unwrap();
    assert!(req.try_send(b"").unwrap_err().is_again());
    assert!(req.send(b"").unwrap_err().is_again());
    let dealer = ctx.socket(zmq::DEALER).unwrap();
    dealer
        .set_sndtimeo(Some(Duration::from_millis(250)))
        .unwrap();
    assert!(dealer.send_with(b"", DONTWAIT).unwrap_err().is_again());
    assert!(dealer.send(b"").unwrap_err().is_again());
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndtimeo(Some(Duration::from_millis(250))).unwrap();
    assert!(push.try_send(Message::new()).unwrap_err().is_again());
    assert!(push.send(b"").unwrap_err().is_again());
}

/// libzmq `test_spec_rep::test_fair_queue_in`: a REP serves several REQ peers; each request
/// gets its reply.
#[test]
fn libzmq_test_spec_rep_fair_queue_in() {
    for ep in tcp_and_inproc("rep-fq") {
        let ctx = ctx();
        let rep = socket(&ctx, zmq::REP);
        let ep = bind_at(&rep, &ep);
        let reqs: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::REQ)).collect();
        for r in &reqs {
            r.connect(&ep).unwrap();
        }
        settle();
        for _ in 0..2 {
            reqs[0].send("A").unwrap();
            assert_eq!(rep.recv().unwrap(), "A");
            rep.send("A").unwrap();
            assert_eq!(reqs[0].recv().unwrap(), "A");
        }
        // Every peer sends at once; each gets its own reply back.
        for (i, r) in reqs.iter().enumerate() {
            r.send([b'A' + i as u8].as_slice()).unwrap();
        }
        let mut served = Vec::new();
        for _ in 0..reqs.len() {
            let m = rep.recv().unwrap();
            served.push(m[0]);
            rep.send(&m).unwrap();
        }
        for (i, r) in reqs.iter().enumerate() {
            assert_eq!(r.recv().unwrap()[..], [b'A' + i as u8]);
        }
        served.sort();
        assert_eq!(served, *b"ABCDE");
    }
}

/// libzmq `test_spec_rep::test_envelope`: REP strips and restores the envelope, minimal
/// ["", data] and big ["X", "Y", "", data].
#[test]
fn libzmq_test_spec_rep_envelope() {
    for ep in tcp_and_inproc("rep-envelope") {
        let ctx = ctx();
        let rep = socket(&ctx, zmq::REP);
        let ep = bind_at(&rep, &ep);
        let dealer = socket(&ctx, zmq::DEALER);
        dealer.connect(&ep).unwrap();

        send_seq(&dealer, &[b"", b"A"]);
        recv_seq(&rep, &[b"A"]);
        rep.send("A").unwrap();
        recv_seq(&dealer, &[b"", b"A"]);

        send_seq(&dealer, &[b"X", b"Y", b"", b"A"]);
        recv_seq(&rep, &[b"A"]);
        rep.send("A").unwrap();
        recv_seq(&dealer, &[b"X", b"Y", b"", b"A"]);
    }
}

/// libzmq `test_req_correlate`: with REQ_CORRELATE the request carries a 4-byte request id; a
/// reply with the wrong id is dropped, the one with the right id is delivered.
#[test]
fn libzmq_test_req_correlate() {
    let ctx = ctx();
    let req = socket(&ctx, zmq::REQ);
    let router = socket(&ctx, zmq::ROUTER);
    req.set_req_correlate(true).unwrap();
    let ep = bind_loopback(&router);
    req.connect(&ep).unwrap();

    send_seq(&req, &[b"ABC", b"DEF"]);
    let parts = router.recv_multipart().unwrap();
    assert_eq!(parts.len(), 5);
    let (peer, req_id) = (&parts[0], &parts[1]);
    assert!(!peer.is_empty());
    assert_eq!(req_id.len(), 4);
    assert_eq!(frames(&parts[2..]), [&b""[..], b"ABC", b"DEF"]);

    let id = u32::from_ne_bytes(req_id[..].try_into().unwrap());
    let bad = id.wrapping_add(1).to_ne_bytes();
    router
        .send_multipart([&peer[..], &bad, b"", b"DATA"])
        .unwrap();
    router
        .send_multipart([&peer[..], &req_id[..], b"", b"GHI"])
        .unwrap();
    recv_seq(&req, &[b"GHI"]);
}

/// libzmq `test_req_relaxed`, cases 1-3: with REQ_RELAXED a REQ may send again before the reply
/// (it stays writable), replies to older requests are discarded, and the pipe to the first peer
/// is not closed by the second send. Case 4: with REQ_CORRELATE too, requests piled up before
/// the server binds are answered only for the last one.
#[test]
fn libzmq_test_req_relaxed() {
    let ctx = ctx();
    let req = socket(&ctx, zmq::REQ);
    req.set_req_relaxed(true).unwrap();
    req.set_req_correlate(true).unwrap();
    let ep = bind_loopback(&req);
    let reps: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::REP)).collect();
    for r in &reps {
        r.connect(&ep).unwrap();
    }
    settle();

    // Case 1: a second send before the reply arrives.
    assert_eq!(req.events().unwrap(), PollEvents::POLLOUT);
    send_seq(&req, &[b"A", b"B"]);
    let (first, parts) = recv_any(&reps);
    assert_eq!(frames(&parts), [b"A", b"B"]);
    assert_eq!(req.events().unwrap(), PollEvents::POLLOUT);
    send_seq(&req, &[b"C", b"D"]);
    let (second, parts) = recv_any(&reps);
    assert_ne!(first, second);
    assert_eq!(frames(&parts), [b"C", b"D"]);
    assert_eq!(req.events().unwrap(), PollEvents::POLLOUT);
    reps[first].send("WRONG").unwrap();
    reps[second].send("OK").unwrap();
    recv_seq(&req, &[b"OK"]);
    req.send("E").unwrap();
    let (third, parts) = recv_any(&reps);
    assert_eq!(frames(&parts), [b"E"]);
    send_seq(&reps[third], &[b"F", b"G"]);
    recv_seq(&req, &[b"F", b"G"]);

    // Case 2: a second send when the reply to the first is already queued.
    req.send("H").unwrap();
    let (i, parts) = recv_any(&reps);
    assert_eq!(frames(&parts), [b"H"]);
    reps[i].send("BAD").unwrap();
    settle();
    req.send("I").unwrap();
    let (j, parts) = recv_any(&reps);
    assert_eq!(frames(&parts), [b"I"]);
    reps[j].send("GOOD").unwrap();
    recv_seq(&req, &[b"GOOD"]);

    // Case 3 (issue #1690): every peer is still reachable: 5 more requests reach all 5 REPs.
    let mut used = Vec::new();
    for _ in 0..reps.len() {
        req.send("J").unwrap();
        let (k, parts) = recv_any(&reps);
        assert_eq!(frames(&parts), [b"J"]);
        reps[k].send("K").unwrap();
        recv_seq(&req, &[b"K"]);
        used.push(k);
    }
    used.sort();
    assert_eq!(used, [0, 1, 2, 3, 4]);

    // Case 4 (issue #1695).
    let ep = inproc("relaxed-4");
    let req = socket(&ctx, zmq::REQ);
    req.set_req_relaxed(true).unwrap();
    req.set_req_correlate(true).unwrap();
    req.connect(&ep).unwrap();
    let router = socket(&ctx, zmq::ROUTER);
    req.send("TO_BE_DISCARDED").unwrap();
    req.send("TO_BE_ANSWERED").unwrap();
    router.bind(&ep).unwrap();
    for _ in 0..2 {
        let parts = router.recv_multipart().unwrap();
        router.send_multipart(parts.iter()).unwrap();
    }
    recv_seq(&req, &[b"TO_BE_ANSWERED"]);
}
