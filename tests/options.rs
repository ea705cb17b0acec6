//! Socket options: pyzmq's conformance test #5 (`test_int_sockopts`; reference/pyzmq.md
//! section 12), libzmq's `test_setsockopt`, `test_immediate` and `test_conflate`.

mod common;

use common::*;
use std::time::Duration;
use zmq::{ErrorKind, PollEvents, SocketType};

/// pyzmq #5 `test_int_sockopts`: LINGER 0 reads 0 and -1 reads -1 (`Some(ZERO)` / `None`);
/// the default `hwm` is 1000 and `hwm = 11` reads 11; a connected PUB has `EVENTS == POLLOUT`;
/// setting EVENTS is EINVAL; TYPE reads back PUB/SUB; every int option reads through the raw
/// escape hatch with the typed accessor's value.
#[test]
fn pyzmq_test_int_sockopts() {
    let ctx = ctx();
    let p = ctx.socket(zmq::PUB).unwrap();
    p.set_linger(Some(Duration::ZERO)).unwrap();
    assert_eq!(p.linger().unwrap(), Some(Duration::ZERO));
    assert_eq!(p.get_option::<i32>(zmq::ffi::ZMQ_LINGER).unwrap(), 0);
    p.set_linger(None).unwrap();
    assert_eq!(p.linger().unwrap(), None);
    assert_eq!(p.get_option::<i32>(zmq::ffi::ZMQ_LINGER).unwrap(), -1);
    p.set_linger(Some(Duration::from_millis(1500))).unwrap();
    assert_eq!(p.linger().unwrap(), Some(Duration::from_millis(1500)));
    p.set_linger(Some(Duration::ZERO)).unwrap();

    assert_eq!(p.hwm().unwrap(), 1000);
    p.set_hwm(11).unwrap();
    assert_eq!(p.hwm().unwrap(), 11);
    assert_eq!(p.sndhwm().unwrap(), 11);
    assert_eq!(p.rcvhwm().unwrap(), 11);

    assert_eq!(p.get_socket_type().unwrap(), SocketType::Pub);
    let s = socket(&ctx, zmq::SUB);
    assert_eq!(s.get_socket_type().unwrap(), SocketType::Sub);
    assert_eq!(
        s.get_option::<i32>(zmq::ffi::ZMQ_TYPE).unwrap(),
        zmq::ffi::ZMQ_SUB
    );

    let ep = bind_loopback(&p);
    s.connect(&ep).unwrap();
    settle();
    assert_eq!(p.events().unwrap(), PollEvents::POLLOUT);
    assert_eq!(
        p.set_option(zmq::ffi::ZMQ_EVENTS, &(1i32))
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );

    // Typed accessors and the raw escape hatch agree, and values fit their C types.
    let d = socket(&ctx, zmq::DEALER);
    assert_eq!(d.rcvbuf().unwrap(), -1);
    assert_eq!(d.backlog().unwrap(), 100);
    assert_eq!(d.get_option::<i32>(zmq::ffi::ZMQ_BACKLOG).unwrap(), 100);
    assert_eq!(d.maxmsgsize().unwrap(), -1);
    assert_eq!(d.get_option::<i64>(zmq::ffi::ZMQ_MAXMSGSIZE).unwrap(), -1);
    assert_eq!(d.affinity().unwrap(), 0);
    assert_eq!(d.get_option::<u64>(zmq::ffi::ZMQ_AFFINITY).unwrap(), 0);
    assert_eq!(d.reconnect_ivl().unwrap(), Some(Duration::from_millis(100)));
    assert_eq!(
        d.rcvtimeo().unwrap(),
        Some(TIMEOUT),
        "set by the test helper"
    );
    assert_eq!(d.tcp_keepalive().unwrap(), -1);
    assert!(!d.immediate().unwrap());
    assert!(!d.ipv6().unwrap());
    assert_eq!(d.mechanism().unwrap(), zmq::Mechanism::Null);
    assert!(d.fd().unwrap() >= 0);
    assert!(!d.rcvmore().unwrap());
    d.set_maxmsgsize(1 << 20).unwrap();
    assert_eq!(d.maxmsgsize().unwrap(), 1 << 20);
    d.set_affinity(3).unwrap();
    assert_eq!(d.affinity().unwrap(), 3);
    d.set_option(zmq::ffi::ZMQ_BACKLOG, &7i32).unwrap();
    assert_eq!(d.backlog().unwrap(), 7);
    d.set_option(zmq::ffi::ZMQ_IMMEDIATE, &true).unwrap();
    assert!(d.immediate().unwrap());
    assert!(d.get_option::<bool>(zmq::ffi::ZMQ_IMMEDIATE).unwrap());
}

/// pyzmq #5 `test_hwm`: for PUB, ROUTER, SUB, REQ and DEALER, `hwm = 100` sets both SNDHWM and
/// RCVHWM.
#[test]
fn pyzmq_test_hwm_sets_both() {
    let ctx = ctx();
    for kind in [
        SocketType::Pub,
        SocketType::Router,
        SocketType::Sub,
        SocketType::Req,
        SocketType::Dealer,
    ] {
        let s = ctx.socket(kind).unwrap();
        assert_eq!((s.sndhwm().unwrap(), s.rcvhwm().unwrap()), (1000, 1000));
        s.set_hwm(100).unwrap();
        assert_eq!(s.sndhwm().unwrap(), 100, "{kind}");
        assert_eq!(s.rcvhwm().unwrap(), 100, "{kind}");
        assert_eq!(s.hwm().unwrap(), 100, "{kind}");
    }
}

/// libzmq `test_setsockopt`: RCVBUF and SNDBUF default to -1 and round-trip 16384; USE_FD
/// defaults to -1 and round-trips 3; BINDTODEVICE defaults to "" and round-trips "testdev".
/// Also the string and binary options: ROUTING_ID, ZAP_DOMAIN, SOCKS_PROXY.
#[test]
fn libzmq_test_setsockopt() {
    let ctx = ctx();
    let s = ctx.socket(zmq::PUSH).unwrap();
    assert_eq!(s.rcvbuf().unwrap(), -1);
    s.set_rcvbuf(16384).unwrap();
    assert_eq!(s.rcvbuf().unwrap(), 16384);
    assert_eq!(s.sndbuf().unwrap(), -1);
    s.set_sndbuf(16384).unwrap();
    assert_eq!(s.sndbuf().unwrap(), 16384);
    assert_eq!(s.use_fd().unwrap(), -1);
    s.set_use_fd(3).unwrap();
    assert_eq!(s.use_fd().unwrap(), 3);
    assert_eq!(s.bindtodevice().unwrap(), "");
    s.set_bindtodevice("testdev").unwrap();
    assert_eq!(s.bindtodevice().unwrap(), "testdev");

    assert_eq!(s.routing_id().unwrap(), b"");
    s.set_routing_id("me").unwrap();
    assert_eq!(s.routing_id().unwrap(), b"me");
    assert_eq!(
        s.set_routing_id(&[0u8; 256]).unwrap_err().kind(),
        ErrorKind::Invalid,
        "a routing id is at most 255 bytes"
    );
    assert_eq!(s.zap_domain().unwrap(), "");
    s.set_zap_domain("global").unwrap();
    assert_eq!(s.zap_domain().unwrap(), "global");
    s.set_socks_proxy("127.0.0.1:1080").unwrap();
    assert_eq!(s.socks_proxy().unwrap(), "127.0.0.1:1080");
    s.set_reconnect_ivl(None).unwrap();
    assert_eq!(s.reconnect_ivl().unwrap(), None);
    s.set_heartbeat_ivl(Duration::from_millis(250)).unwrap();
    assert_eq!(s.heartbeat_ivl().unwrap(), Duration::from_millis(250));
    assert!(s
        .set_rcvtimeo(Some(Duration::from_secs(u64::MAX / 2)))
        .is_err());
}

/// A port nothing listens on: bound once by the OS's choice, then released.
fn free_port_endpoint(ctx: &zmq::Context) -> String {
    let probe = ctx.socket(zmq::PULL).unwrap();
    let ep = bind_loopback(&probe);
    probe.unbind(&ep).unwrap();
    ep
}

/// Receives until a 250 ms receive timeout (libzmq's loop), bounded.
fn count_until_quiet(to: &zmq::Socket<zmq::Pull>) -> usize {
    to.set_rcvtimeo(Some(Duration::from_millis(250))).unwrap();
    let mut seen = 0;
    while seen < 100 && to.recv().is_ok() {
        seen += 1;
    }
    seen
}

/// libzmq `test_immediate` 1 and 2: without IMMEDIATE a PUSH connected to one live and one dead
/// endpoint queues half the messages for the dead one (5 of 10 arrive); with IMMEDIATE the pipe
/// to the dead endpoint is not attached and all 10 arrive. (libzmq's fixed ports are replaced by
/// a loopback port known to be free.)
#[test]
fn libzmq_test_immediate() {
    for (immediate, expected) in [(false, 5), (true, 10)] {
        let ctx = ctx();
        let dead = free_port_endpoint(&ctx);
        let to = socket(&ctx, zmq::PULL);
        let live = bind_loopback(&to);
        let from = socket(&ctx, zmq::PUSH);
        from.set_immediate(immediate).unwrap();
        from.connect(&dead).unwrap();
        from.connect(&live).unwrap();
        settle();
        for _ in 0..10 {
            from.send("Hello").unwrap();
        }
        assert_eq!(count_until_quiet(&to), expected, "immediate={immediate}");
    }
}

/// libzmq `test_conflate`: a PULL with CONFLATE keeps only the last of 20 messages.
#[test]
fn libzmq_test_conflate() {
    let ctx = ctx();
    let s_in = socket(&ctx, zmq::PULL);
    s_in.set_conflate(true).unwrap();
    let ep = bind_loopback(&s_in);
    let s_out = socket(&ctx, zmq::PUSH);
    s_out.connect(&ep).unwrap();
    let count = 20i32;
    for j in 0..count {
        s_out.send(j.to_ne_bytes().as_slice()).unwrap();
    }
    settle();
    // On a loaded machine the last message may still be on its way: then an earlier one is read
    // first, but the queue never holds more than one.
    let mut reads = 0;
    loop {
        let mut buf = [0u8; 4];
        let r = s_in.recv_into(&mut buf).unwrap();
        assert_eq!(r.size, 4);
        reads += 1;
        if i32::from_ne_bytes(buf) == count - 1 {
            break;
        }
        assert!(reads < count as usize, "conflate kept more than the last");
    }
    assert!(reads <= 3, "conflate: {reads} reads for 20 messages");
    assert!(s_in.try_recv().unwrap().is_none());
}

/// A non-zero duration never becomes 0 ms (which means "non-blocking" for RCVTIMEO/SNDTIMEO and
/// "drop at once" for LINGER): sub-millisecond parts round up to the next whole millisecond.
#[test]
fn durations_round_up_to_whole_milliseconds() {
    let ctx = ctx();
    let s = ctx.socket(zmq::DEALER).unwrap();
    s.set_rcvtimeo(Some(Duration::from_micros(500))).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(Duration::from_millis(1)));
    s.set_sndtimeo(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.sndtimeo().unwrap(), Some(Duration::from_millis(1)));
    s.set_linger(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_millis(1)));
    s.set_linger(Some(Duration::from_micros(1500))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_millis(2)));
    s.set_heartbeat_ivl(Duration::from_micros(1)).unwrap();
    assert_eq!(s.heartbeat_ivl().unwrap(), Duration::from_millis(1));
    s.set_reconnect_ivl(Some(Duration::from_nanos(999_999)))
        .unwrap();
    assert_eq!(s.reconnect_ivl().unwrap(), Some(Duration::from_millis(1)));
    // Zero stays zero; whole milliseconds are unchanged.
    s.set_rcvtimeo(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(Duration::ZERO));
    s.set_handshake_ivl(Duration::ZERO).unwrap();
    assert_eq!(s.handshake_ivl().unwrap(), Duration::ZERO);
    s.set_rcvtimeo(Some(Duration::from_millis(7))).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(Duration::from_millis(7)));

    // Overflow is an error, never a wrap: i32::MAX ms fits, anything above does not, even by 1 ns.
    let max = Duration::from_millis(i32::MAX as u64);
    s.set_rcvtimeo(Some(max)).unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(max));
    s.set_rcvtimeo(Some(max - Duration::from_micros(1)))
        .unwrap();
    assert_eq!(s.rcvtimeo().unwrap(), Some(max), "rounded up to the limit");
    let err = s
        .set_rcvtimeo(Some(max + Duration::from_nanos(1)))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(s.rcvtimeo().unwrap(), Some(max), "left unchanged");
    assert!(s.set_linger(Some(Duration::MAX)).is_err());
    assert!(s.set_heartbeat_ivl(Duration::MAX).is_err());
}

/// The rounded-up RCVTIMEO really blocks: with 500 µs stored as 0 every receive was non-blocking.
#[test]
fn sub_millisecond_rcvtimeo_still_waits() {
    let ctx = ctx();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_micros(500))).unwrap();
    // With RCVTIMEO 0 libzmq takes its non-blocking path, which never sleeps; with 1 ms the
    // receive waits on the mailbox. Over 20 receives, 0 ms adds up to far less than 20 ms.
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assert!(pull.recv().unwrap_err().is_again());
    }
    assert!(
        start.elapsed() >= Duration::from_millis(15),
        "20 receives with a 500 µs timeout took {:?}",
        start.elapsed()
    );
}
