//! Contexts: pyzmq's `test_context.py` conformance tests (#8 term, #9 destroy/linger,
//! #10 instance of reference/pyzmq.md section 12) and libzmq's `test_ctx_options` and
//! `test_ctx_destroy`.

mod common;

use common::*;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zmq::{Context, ErrorKind};

/// pyzmq #8 `test_term_thread`: terminating the context makes a `recv` blocked in another thread
/// fail with ETERM (`ErrorKind::ContextTerminated`), and that thread finishes within 1 s.
#[test]
fn pyzmq_test_term_thread() {
    let ctx = ctx();
    let (ready_tx, ready_rx) = mpsc::channel();
    let c = ctx.clone();
    let t = std::thread::spawn(move || {
        let s = c.socket(zmq::PULL).unwrap();
        s.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        s.bind(&inproc("term-thread")).unwrap();
        ready_tx.send(()).unwrap();
        let started = Instant::now();
        let r = s.recv();
        (r.map(drop), started.elapsed())
    });
    ready_rx.recv_timeout(TIMEOUT).unwrap();
    std::thread::sleep(Duration::from_millis(100)); // let the thread block in recv
    let t0 = Instant::now();
    ctx.term().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
    let (r, blocked) = t.join().unwrap();
    assert_eq!(r.unwrap_err().kind(), ErrorKind::ContextTerminated);
    assert!(
        blocked < TIMEOUT,
        "ended by term, not by the receive timeout"
    );
}

/// pyzmq #8 `test_term_noclose`: `term()` with one open socket is still blocked after 0.1 s
/// and returns soon after that socket is closed (dropped).
#[test]
fn pyzmq_test_term_noclose() {
    let ctx = ctx();
    let s = ctx.socket(zmq::REQ).unwrap();
    let c = ctx.clone();
    drop(ctx);
    let t = std::thread::spawn(move || c.term());
    std::thread::sleep(Duration::from_millis(150));
    assert!(!t.is_finished(), "term must wait for the open socket");
    let t0 = Instant::now();
    drop(s);
    // Wait for term to finish, bounded.
    while !t.is_finished() && t0.elapsed() < TIMEOUT {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        t.is_finished(),
        "term did not return after the socket closed"
    );
    assert!(t0.elapsed() < Duration::from_secs(1));
    t.join().unwrap().unwrap();
}

/// pyzmq #9 `test_destroy_linger`: with linger 0 (or the context's BLOCKY off) terminating
/// returns at once even with an unanswered REQ whose request can never be delivered. (pyzmq's
/// `destroy(linger=0)` closes sockets for the caller; in Rust the sockets are dropped first, and
/// the linger decides whether `term` waits.)
#[test]
fn pyzmq_test_destroy_linger() {
    // linger 0 on the socket
    let ctx = ctx();
    let req = ctx.socket(zmq::REQ).unwrap();
    req.connect("tcp://127.0.0.1:1").unwrap(); // nothing listens: the request stays queued
    req.send("unanswered").unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    drop(req);
    let t0 = Instant::now();
    ctx.term().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(1));

    // BLOCKY off on the context: new sockets default to linger 0
    let ctx = common::ctx();
    ctx.set_blocky(false).unwrap();
    let req = ctx.socket(zmq::REQ).unwrap();
    assert_eq!(req.linger().unwrap(), Some(Duration::ZERO));
    req.connect(&inproc("nobody")).unwrap();
    req.send("unanswered").unwrap();
    drop(req);
    let t0 = Instant::now();
    ctx.term().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(1));

    // A short linger waits at most about that long.
    let ctx = common::ctx();
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_linger(Some(Duration::from_millis(200))).unwrap();
    req.connect("tcp://127.0.0.1:1").unwrap();
    req.send("unanswered").unwrap();
    drop(req);
    let t0 = Instant::now();
    ctx.term().unwrap();
    let waited = t0.elapsed();
    assert!(waited >= Duration::from_millis(150), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

/// pyzmq #9 `test_destroy`: many sockets, some closed explicitly and some dropped, then
/// `term` returns (pyzmq closes 65 sockets in `destroy()`).
#[test]
fn pyzmq_test_destroy_many_sockets() {
    let ctx = ctx();
    let mut sockets: Vec<_> = (0..65)
        .map(|_| {
            let s = ctx.socket(zmq::PUB).unwrap();
            s.set_linger(Some(Duration::ZERO)).unwrap();
            s
        })
        .collect();
    for s in sockets.drain(..20) {
        s.close().unwrap();
    }
    drop(sockets);
    let t0 = Instant::now();
    ctx.term().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(1));
}

/// pyzmq #10 `test_instance`: `Context::instance()` is the same context on every call until it is
/// terminated, and a new one afterwards; sockets keep their context alive after the last
/// `Context` handle is dropped. (pyzmq's context-level default sockopts have no equivalent: set
/// options on the socket.)
#[test]
fn pyzmq_test_instance() {
    let a = Context::instance();
    let b = Context::instance();
    assert_eq!(a, b);
    assert_eq!(a.as_raw(), b.as_raw());
    drop(b);
    a.term().unwrap();
    let c = Context::instance();
    assert!(!c.is_terminated());
    let d = Context::instance();
    assert_eq!(c, d);
    let s = c.socket(zmq::PAIR).unwrap();
    assert_eq!(s.context(), &d);
    drop(s);

    // Sockets keep the context alive.
    let ctx = common::ctx();
    let a = socket(&ctx, zmq::PAIR);
    let raw = ctx.as_raw();
    drop(ctx);
    let b = socket(a.context(), zmq::PAIR);
    assert_eq!(b.context().as_raw(), raw);
    let ep = inproc("alive");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    b.send("still here").unwrap();
    assert_eq!(a.recv().unwrap(), "still here");
}

/// pyzmq `test_context.py::test_term_hang` (no hang after a linger=0 close) and io_threads=-1
/// giving EINVAL.
#[test]
fn pyzmq_test_context_basics() {
    let ctx = ctx();
    assert_eq!(
        ctx.set_io_threads(-1).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let req = ctx.socket(zmq::REQ).unwrap();
    req.set_linger(Some(Duration::ZERO)).unwrap();
    req.connect("tcp://127.0.0.1:1").unwrap();
    req.send("hello").unwrap();
    req.close().unwrap();
    ctx.term().unwrap();
}

/// libzmq `test_ctx_options`: defaults (io_threads 1, max_sockets 1023, socket_limit 65535,
/// ipv6 off, blocky on, msg_t_size 64 == size of `zmq_msg_t`, thread_sched_policy -1), and
/// setting them: ipv6 and blocky reach new sockets, negative thread defaults are EINVAL,
/// thread name prefix and affinity are accepted.
#[test]
fn libzmq_test_ctx_options() {
    let ctx = ctx();
    assert_eq!(ctx.io_threads().unwrap(), 1);
    assert_eq!(ctx.max_sockets().unwrap(), 1023);
    assert_eq!(ctx.socket_limit().unwrap(), 65535);
    assert!(!ctx.ipv6().unwrap());
    assert!(ctx.blocky().unwrap());
    assert_eq!(ctx.msg_t_size().unwrap(), 64);
    assert_eq!(
        ctx.msg_t_size().unwrap() as usize,
        std::mem::size_of::<zmq::ffi::zmq_msg_t>()
    );
    assert_eq!(ctx.thread_sched_policy().unwrap(), -1);
    assert_eq!(ctx.max_msgsz().unwrap(), i32::MAX);

    ctx.set_io_threads(2).unwrap();
    assert_eq!(ctx.io_threads().unwrap(), 2);
    ctx.set_max_sockets(100).unwrap();
    assert_eq!(ctx.max_sockets().unwrap(), 100);
    ctx.set_max_msgsz(1 << 20).unwrap();
    assert_eq!(ctx.max_msgsz().unwrap(), 1 << 20);

    // Thread options, on a context whose I/O threads never start (so no scheduling call can
    // fail inside libzmq on a restricted machine): the "default" values are not settable.
    let ctx_t = common::ctx();
    let ctx = &ctx_t;
    assert_eq!(
        ctx.set_thread_sched_policy(-1).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        ctx.set_thread_priority(-1).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    ctx.set_thread_sched_policy(libc::SCHED_OTHER).unwrap();
    assert_eq!(ctx.thread_sched_policy().unwrap(), libc::SCHED_OTHER);
    ctx.add_thread_affinity_cpu(0).unwrap();
    ctx.add_thread_affinity_cpu(1).unwrap();
    ctx.remove_thread_affinity_cpu(1).unwrap();
    ctx.set_thread_name_prefix(1234).unwrap();
    assert_eq!(ctx.get_raw(zmq::ffi::ZMQ_THREAD_NAME_PREFIX).unwrap(), 1234);
    let ctx = common::ctx();
    ctx.set_io_threads(2).unwrap();

    // ipv6 and blocky apply to sockets created afterwards.
    ctx.set_ipv6(true).unwrap();
    assert!(ctx.ipv6().unwrap());
    let router = ctx.socket(zmq::ROUTER).unwrap();
    assert!(router.ipv6().unwrap());
    // Blocky: libzmq's linger is -1, and this crate gives new sockets its default linger.
    assert_eq!(router.linger().unwrap(), Some(zmq::DEFAULT_LINGER));
    drop(router);
    ctx.set_blocky(false).unwrap();
    assert!(!ctx.blocky().unwrap());
    let router = ctx.socket(zmq::ROUTER).unwrap();
    assert_eq!(router.linger().unwrap(), Some(Duration::ZERO));

    // The sockets work with the options set (a loopback pair over two I/O threads).
    let dealer = socket(&ctx, zmq::DEALER);
    bounded(&router);
    let ep = bind_loopback(&router);
    dealer.connect(&ep).unwrap();
    dealer.send("x").unwrap();
    assert_eq!(router.recv_multipart().unwrap()[1], "x");

    // Unknown options are EINVAL.
    assert_eq!(ctx.get_raw(9999).unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(ctx.set_raw(9999, 1).unwrap_err().kind(), ErrorKind::Invalid);
}

/// libzmq `test_ctx_options::test_ctx_option_max_sockets` in action: the limit is enforced with
/// EMFILE.
#[test]
fn libzmq_test_max_sockets_enforced() {
    let ctx = ctx();
    ctx.set_max_sockets(3).unwrap();
    let kept: Vec<_> = (0..3).map(|_| ctx.socket(zmq::PAIR).unwrap()).collect();
    let e = ctx.socket(zmq::PAIR).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyOpenFiles);
    drop(kept);
}

/// libzmq `test_ctx_destroy`: term after close; shutdown interrupts a receive blocked in another
/// thread (term would wait for it); after shutdown, creating a socket fails with ETERM, also on a
/// context that never had one; term after shutdown returns.
#[test]
fn libzmq_test_ctx_destroy() {
    // test_ctx_destroy
    let ctx = ctx();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.close().unwrap();
    ctx.term().unwrap();

    // test_ctx_shutdown
    let ctx = common::ctx();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    let t = std::thread::spawn(move || s.recv().map(drop));
    settle();
    let t0 = Instant::now();
    ctx.shutdown().unwrap();
    let r = t.join().unwrap();
    assert_eq!(r.unwrap_err().kind(), ErrorKind::ContextTerminated);
    assert!(t0.elapsed() < Duration::from_secs(1));
    ctx.term().unwrap();

    // test_ctx_shutdown_socket_opened_after
    let ctx = common::ctx();
    ctx.socket(zmq::PULL).unwrap().close().unwrap();
    ctx.shutdown().unwrap();
    assert_eq!(
        ctx.socket(zmq::PULL).unwrap_err().kind(),
        ErrorKind::ContextTerminated
    );
    ctx.shutdown().unwrap(); // twice is fine
    ctx.term().unwrap();

    // test_ctx_shutdown_only_socket_opened_after
    let ctx = common::ctx();
    ctx.shutdown().unwrap();
    assert_eq!(
        ctx.socket(zmq::PULL).unwrap_err().kind(),
        ErrorKind::ContextTerminated
    );

    // After term, every clone refuses new sockets with ETERM.
    let ctx = common::ctx();
    let clone = ctx.clone();
    ctx.term().unwrap();
    assert!(clone.is_terminated());
    assert_eq!(
        clone.socket(zmq::PAIR).unwrap_err().kind(),
        ErrorKind::ContextTerminated
    );
    assert_eq!(
        clone.io_threads().unwrap_err().kind(),
        ErrorKind::ContextTerminated
    );
    clone.term().unwrap(); // a second term is a no-op
}
