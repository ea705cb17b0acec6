//! The remaining draft functions: `zmq_socket_get_peer_state` (`Socket::peer_state`),
//! `zmq_ctx_set_ext` / `zmq_ctx_get_ext` (the thread name prefix as a string),
//! `zmq_msg_init_buffer` (`Message::from_buffer`) and `zmq_ppoll` (`zmq::ppoll`), ported from
//! libzmq's tests where it has them (zeromq-src 4.3.5, `vendor/tests`).

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::time::{Duration, Instant};
use zmq::{ErrorKind, Message, PollEvents};

// ---------------------------------------------------------------- zmq_socket_get_peer_state

/// test_router_mandatory.cpp `test_get_peer_state`: a ROUTER sends to a peer only while its
/// state says POLLOUT; the peer that never reads fills its pipe (HWM 100) and its state turns
/// empty, while the peer that reads stays writable.
#[test]
fn get_peer_state() {
    let ctx = ctx();
    let endpoint = inproc("get-peer-state");
    let router = socket(&ctx, zmq::ROUTER);
    router.set_router_mandatory(true).unwrap();
    router.set_sndhwm(100).unwrap();
    router.bind(&endpoint).unwrap();
    let dealer1 = socket(&ctx, zmq::DEALER);
    let dealer2 = socket(&ctx, zmq::DEALER);
    for (d, id) in [(&dealer1, "X"), (&dealer2, "Y")] {
        d.set_rcvhwm(100).unwrap();
        d.set_routing_id(id).unwrap();
        d.connect(&endpoint).unwrap();
        d.send("Hello").unwrap();
        recv_seq(&router, &[id.as_bytes(), b"Hello"]);
    }
    assert_eq!(router.peer_state(b"X").unwrap(), PollEvents::POLLOUT);
    assert_eq!(router.peer_state(b"Y").unwrap(), PollEvents::POLLOUT);

    let (mut sent_to_y, mut blocked) = (0, false);
    // Bounded: the pipe to Y holds 200 messages (both sides' HWM) at most.
    for _ in 0..10_000 {
        if !router.peer_state(b"Y").unwrap().is_writable() {
            blocked = true;
            break;
        }
        router
            .send_multipart_with([&b"Y"[..], b"Hello"], zmq::DONTWAIT)
            .expect("a writable peer takes a message");
        sent_to_y += 1;
        // X reads everything: it stays writable.
        router
            .send_multipart_with([&b"X"[..], b"Hello"], zmq::DONTWAIT)
            .unwrap();
        assert_eq!(dealer1.recv().unwrap(), "Hello");
    }
    assert!(blocked, "Y never filled up after {sent_to_y} messages");
    assert!(sent_to_y >= 100, "only {sent_to_y} sent before Y was full");
    // X took every message (its sends above never failed). Its state is the ROUTER's last
    // knowledge of X's reads, which libzmq updates in batches: not asserted.
}

/// test_router_mandatory.cpp `test_get_peer_state_corner_cases`: an unknown routing id is
/// EHOSTUNREACH; a non-ROUTER kind has no `peer_state` (tests/ui) and, chosen at run time,
/// gets libzmq's ENOTSUP. (The NULL socket case cannot be written in safe Rust.)
#[test]
fn get_peer_state_corner_cases() {
    let ctx = ctx();
    let router = socket(&ctx, zmq::ROUTER);
    assert_eq!(
        router.peer_state(b"foo").unwrap_err().kind(),
        ErrorKind::HostUnreachable
    );
    let dealer = ctx.socket(zmq::SocketType::Dealer).unwrap();
    assert_eq!(
        dealer.peer_state(b"foo").unwrap_err().kind(),
        ErrorKind::NotSupported
    );
    assert_eq!(
        router.peer_state(b"").unwrap_err().kind(),
        ErrorKind::HostUnreachable
    );
}

// ---------------------------------------------------------------- zmq_ctx_set_ext / get_ext

/// test_ctx_options.cpp `test_ctx_thread_opts` (its thread name prefix part): an integer prefix
/// through `zmq_ctx_set`, then a string prefix through `zmq_ctx_set_ext`, read back with
/// `zmq_ctx_get_ext`.
#[test]
fn thread_name_prefix_int_and_string() {
    let ctx = ctx();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "");
    ctx.set_thread_name_prefix(1234).unwrap();
    assert_eq!(ctx.get_raw(zmq::ffi::ZMQ_THREAD_NAME_PREFIX).unwrap(), 1234);
    assert_eq!(ctx.thread_name_prefix().unwrap(), "1234");
    ctx.set_thread_name_prefix_str("MyPrefix9012345").unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "MyPrefix9012345");
    ctx.set_thread_name_prefix_str("0123456789abcdef").unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "0123456789abcdef");
}

/// Bad prefixes are the wrapper's clear errors, and leave the prefix as it was.
#[test]
fn thread_name_prefix_refusals() {
    let ctx = ctx();
    ctx.set_thread_name_prefix_str("ok").unwrap();
    for bad in ["", "0123456789abcdefg", "four", "a\0b"] {
        let err = ctx.set_thread_name_prefix_str(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}: {err}");
    }
    assert_eq!(ctx.thread_name_prefix().unwrap(), "ok");
    // The raw call: an unknown option is libzmq's EINVAL.
    assert_eq!(
        ctx.set_ext_raw(12345, b"xyz").unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let mut buf = [0u8; 8];
    assert_eq!(
        ctx.get_ext_raw(12345, &mut buf).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    // An int-sized value is read as an int (zmq_ctx_set_ext(ZMQ_IO_THREADS, &2, 4)).
    ctx.set_ext_raw(zmq::ffi::ZMQ_IO_THREADS, &2i32.to_ne_bytes())
        .unwrap();
    assert_eq!(ctx.io_threads().unwrap(), 2);
    let mut int_buf = [0u8; 4];
    assert_eq!(
        ctx.get_ext_raw(zmq::ffi::ZMQ_IO_THREADS, &mut int_buf)
            .unwrap(),
        4
    );
    assert_eq!(i32::from_ne_bytes(int_buf), 2);
    // After the context ends, its options are ETERM, not a crash.
    ctx.shutdown().unwrap();
}

/// The prefix really names the I/O threads (Linux: /proc/self/task/*/comm): `"zt7/ZMQbg/IO/0"`
/// cut to 15 characters.
#[cfg(target_os = "linux")]
#[test]
fn thread_name_prefix_names_the_io_threads() {
    fn thread_names() -> Vec<String> {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .map(|n| n.trim_end().to_string())
            .collect()
    }
    let ctx = ctx();
    ctx.set_thread_name_prefix_str("zt7").unwrap();
    // The I/O threads start with the first socket.
    let _s = socket(&ctx, zmq::PAIR);
    // Each thread names itself when it starts: wait for it, bounded.
    let start = Instant::now();
    loop {
        let names = thread_names();
        if names.iter().any(|n| n.starts_with("zt7/ZMQbg/")) {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "no I/O thread named with the prefix: {names:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

// ---------------------------------------------------------------- zmq_msg_init_buffer

/// test_msg_init.cpp `test_msg_init_buffer`: a copy of the bytes (not the same memory), and
/// an empty buffer.
#[test]
fn msg_init_buffer() {
    let data = b"foobar";
    let mut msg = Message::from_buffer(data).unwrap();
    assert_eq!(msg.size(), 6);
    assert_ne!(msg.as_ptr(), data.as_ptr());
    assert_eq!(&msg[..], data);
    // The copy is the message's own: writable.
    msg.data_mut().unwrap()[0] = b'g';
    assert_eq!(msg, "goobar");
    assert_eq!(&data[..], b"foobar");

    let empty = Message::from_buffer(&[]).unwrap();
    assert_eq!(empty.size(), 0);

    // It is a message like any other: it goes through a socket.
    let ctx = ctx();
    let ep = inproc("init-buffer");
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&ep).unwrap();
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap();
    push.send(Message::from_buffer(&[7u8; 5000]).unwrap())
        .unwrap();
    assert_eq!(&pull.recv().unwrap()[..], &[7u8; 5000]);
}

// ---------------------------------------------------------------- zmq_ppoll

/// test_zmq_ppoll_fd.cpp `test_ppoll_fd`: a raw fd (here one end of a socketpair) becomes
/// readable; then sockets, the timeout and the empty set behave as `poll`'s do.
#[test]
fn ppoll_fd_and_sockets() {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair() writes.
    assert_eq!(
        unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, fds.as_mut_ptr()) },
        0
    );
    let mut items = [zmq::PollItem::from_fd(fds[0], PollEvents::POLLIN)];
    assert_eq!(
        zmq::ppoll(&mut items, Some(Duration::from_millis(10)), None).unwrap(),
        0
    );
    // SAFETY: fds[1] is an open descriptor and the buffer is valid for 1 byte.
    assert_eq!(unsafe { libc::write(fds[1], b"x".as_ptr().cast(), 1) }, 1);
    assert_eq!(zmq::ppoll(&mut items, Some(TIMEOUT), None).unwrap(), 1);
    assert!(items[0].is_readable());

    let ctx = ctx();
    let ep = inproc("ppoll");
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&ep).unwrap();
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap();
    push.send("x").unwrap();
    let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
    assert_eq!(zmq::ppoll(&mut items, Some(TIMEOUT), None).unwrap(), 1);
    assert!(items[0].is_readable());

    let start = Instant::now();
    assert_eq!(
        zmq::ppoll(&mut [], Some(Duration::from_millis(5)), None).unwrap(),
        0
    );
    assert!(start.elapsed() >= Duration::from_millis(5));
    assert_eq!(
        zmq::ppoll(&mut [], None, None).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // SAFETY: both descriptors are open and closed once.
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
}

extern "C" fn note_signal(_: libc::c_int) {}

/// What `ppoll` does that `poll` cannot (test_zmq_ppoll_signals.cpp's point, without its fork):
/// a signal that arrived while blocked stays pending; a wait whose mask unblocks it is
/// interrupted at once (EINTR), with no window in which the signal is lost; a wait that keeps
/// the thread's mask sleeps through its timeout.
#[test]
fn ppoll_signal_mask() {
    // SAFETY: plain libc calls on valid, initialised structures: a no-op handler for SIGUSR2,
    // SIGUSR2 blocked in this thread only, then raised at this thread (so it stays pending).
    let (unblocked, old_mask) = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = note_signal as extern "C" fn(libc::c_int) as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR2, &action, std::ptr::null_mut()),
            0
        );
        let mut block: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut block);
        libc::sigaddset(&mut block, libc::SIGUSR2);
        let mut old: libc::sigset_t = std::mem::zeroed();
        assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut old), 0);
        assert_eq!(libc::pthread_kill(libc::pthread_self(), libc::SIGUSR2), 0);
        let mut unblocked: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut unblocked);
        (unblocked, old)
    };
    let ctx = ctx();
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&inproc("ppoll-signal")).unwrap();
    let mut items = [pull.as_poll_item(PollEvents::POLLIN)];

    // The thread's own mask blocks SIGUSR2: the pending signal does not wake the wait.
    let start = Instant::now();
    assert_eq!(
        zmq::ppoll(&mut items, Some(Duration::from_millis(50)), None).unwrap(),
        0
    );
    assert!(start.elapsed() >= Duration::from_millis(50));

    // A mask without SIGUSR2 for the wait: delivered at once, the wait is interrupted.
    let start = Instant::now();
    let err = zmq::ppoll(&mut items, Some(TIMEOUT), Some(&unblocked)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted, "{err}");
    assert!(start.elapsed() < TIMEOUT / 2);

    // SAFETY: restores the mask saved above.
    unsafe {
        libc::pthread_sigmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut());
    }
}
