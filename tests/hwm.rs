//! High water marks: libzmq's `test_hwm` and `test_sockopt_hwm` (send with DONTWAIT until
//! `Again`; over inproc the counts match the HWMs exactly), and pyzmq's idiom of telling a full
//! queue apart with `try_send`.

mod common;

use common::*;
use zmq::{Context, Message, Pull, Push, Socket};

const MAX_SENDS: usize = 10_000;

/// Sends empty messages with DONTWAIT until `Again` (bounded by `MAX_SENDS`).
fn send_until_again(s: &Socket<Push>) -> usize {
    let mut n = 0;
    while n < MAX_SENDS {
        match s.try_send(Message::new()) {
            Ok(()) => n += 1,
            Err(e) if e.is_again() => break,
            Err(e) => panic!("{e}"),
        }
    }
    n
}

#[derive(Clone, Copy)]
enum Order {
    BindFirst,
    ConnectFirst,
}

/// libzmq `test_hwm::count_msg`: PULL binds inproc with `recv_hwm`, PUSH connects with
/// `send_hwm`; counts what can be sent before `Again`, checks all of it is received, and that one
/// more can be sent afterwards.
fn count_msg(send_hwm: i32, recv_hwm: i32, order: Order) -> usize {
    let ctx = ctx();
    let ep = inproc("hwm");
    let make_pull = |ctx: &Context| {
        let s = socket(ctx, zmq::PULL);
        s.set_rcvhwm(recv_hwm).unwrap();
        s.bind(&ep).unwrap();
        s
    };
    let make_push = |ctx: &Context| {
        let s = socket(ctx, zmq::PUSH);
        s.set_sndhwm(send_hwm).unwrap();
        s.connect(&ep).unwrap();
        s
    };
    let (pull, push): (Socket<Pull>, Socket<Push>) = match order {
        Order::BindFirst => {
            let pull = make_pull(&ctx);
            let push = make_push(&ctx);
            settle();
            (pull, push)
        }
        Order::ConnectFirst => {
            let push = make_push(&ctx);
            (make_pull(&ctx), push)
        }
    };
    let sent = send_until_again(&push);
    let received = drain(&pull, MAX_SENDS + 1);
    assert_eq!(sent, received);
    push.send(b"").unwrap();
    pull.recv().unwrap();
    sent
}

/// libzmq `test_hwm::test_defaults`: default HWMs are 1000 on each side, so 2000 messages fit.
#[test]
fn libzmq_test_hwm_defaults() {
    let ctx = ctx();
    let ep = inproc("hwm-defaults");
    let pull = socket(&ctx, zmq::PULL);
    pull.bind(&ep).unwrap();
    let push = socket(&ctx, zmq::PUSH);
    push.connect(&ep).unwrap();
    let sent = send_until_again(&push);
    settle();
    let received = drain(&pull, MAX_SENDS);
    assert_eq!(sent, received);
    assert_eq!(sent, 2000);
}

/// libzmq `test_hwm`: infinite (0) on both sides, on one side, finite on both (1 + 1 = 2),
/// with bind first and connect first.
#[test]
fn libzmq_test_hwm_counts() {
    for order in [Order::BindFirst, Order::ConnectFirst] {
        assert_eq!(count_msg(0, 0, order), MAX_SENDS);
        assert_eq!(count_msg(1, 0, order), MAX_SENDS);
        assert_eq!(count_msg(0, 1, order), MAX_SENDS);
        assert_eq!(count_msg(1, 1, order), 2);
        assert_eq!(count_msg(10, 5, order), 15);
    }
}

/// libzmq `test_hwm::test_inproc_connect_and_close_first`: messages sent by a connecter that
/// then closes are still delivered once the binder appears (send HWM 1 + receive HWM 1 = 2... and
/// the binder's receive HWM is applied to the pipe afterwards).
#[test]
fn libzmq_test_hwm_connect_and_close_first() {
    let ctx = ctx();
    let ep = inproc("hwm-close-first");
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndhwm(1).unwrap();
    push.connect(&ep).unwrap();
    let sent = send_until_again(&push);
    assert!(sent >= 1, "{sent}");
    // Linger is infinite (default): the queued messages survive the close.
    drop(push);
    let pull = socket(&ctx, zmq::PULL);
    pull.set_rcvhwm(1).unwrap();
    pull.bind(&ep).unwrap();
    assert_eq!(drain(&pull, MAX_SENDS), sent);
}

/// libzmq `test_sockopt_hwm::test_change_before_connected`: HWM 2 on both sides: 4 fit.
#[test]
fn libzmq_test_sockopt_hwm_change_before_connected() {
    let ctx = ctx();
    let ep = inproc("hwm-before");
    let bind_socket = socket(&ctx, zmq::PUSH);
    let connect_socket = socket(&ctx, zmq::PULL);
    connect_socket.set_rcvhwm(2).unwrap();
    bind_socket.set_sndhwm(2).unwrap();
    connect_socket.connect(&ep).unwrap();
    bind_socket.bind(&ep).unwrap();
    assert_eq!(bind_socket.sndhwm().unwrap(), 2);
    assert_eq!(send_until_again(&bind_socket), 4);
}

/// libzmq `test_sockopt_hwm::test_change_after_connected`: HWM 1 + 1, then SNDHWM raised to 5
/// on the connected socket: 6 fit.
#[test]
fn libzmq_test_sockopt_hwm_change_after_connected() {
    let ctx = ctx();
    let ep = inproc("hwm-after");
    let bind_socket = socket(&ctx, zmq::PUSH);
    let connect_socket = socket(&ctx, zmq::PULL);
    connect_socket.set_rcvhwm(1).unwrap();
    bind_socket.set_sndhwm(1).unwrap();
    connect_socket.connect(&ep).unwrap();
    bind_socket.bind(&ep).unwrap();
    bind_socket.set_sndhwm(5).unwrap();
    assert_eq!(bind_socket.sndhwm().unwrap(), 5);
    assert_eq!(send_until_again(&bind_socket), 6);
}

/// Sends numbered 4-byte messages with DONTWAIT until `Again`; returns the count.
fn send_numbered_until_again(s: &Socket<Push>) -> usize {
    let mut n = 0;
    while n < MAX_SENDS {
        match s.try_send((n as u32).to_ne_bytes().as_slice()) {
            Ok(()) => n += 1,
            Err(e) if e.is_again() => break,
            Err(e) => panic!("{e}"),
        }
    }
    n
}

fn fill_up_to_hwm(s: &Socket<Push>, sndhwm: usize) -> usize {
    let n = send_numbered_until_again(s);
    assert!(n <= sndhwm + 1, "{n} > {sndhwm} + 1");
    assert!(n > sndhwm / 10, "{n} <= {sndhwm} / 10");
    n
}

/// libzmq `test_sockopt_hwm::test_decrease_when_full`: fill to SNDHWM 100, lower it to 70, read
/// everything back in order (nothing dropped), then fill again up to the new mark.
#[test]
fn libzmq_test_sockopt_hwm_decrease_when_full() {
    let ctx = ctx();
    let ep = inproc("hwm-decrease");
    let bind_socket = socket(&ctx, zmq::PUSH);
    let connect_socket = socket(&ctx, zmq::PULL);
    connect_socket.set_rcvhwm(1).unwrap();
    bind_socket.set_sndhwm(100).unwrap();
    bind_socket.bind(&ep).unwrap();
    connect_socket.connect(&ep).unwrap();
    settle();
    let sent = fill_up_to_hwm(&bind_socket, 100);
    bind_socket.set_sndhwm(70).unwrap();
    assert_eq!(bind_socket.sndhwm().unwrap(), 70);
    settle();
    let mut read = 0;
    let mut buf = [0u8; 4];
    while read < MAX_SENDS {
        match connect_socket.recv_into_with(&mut buf, zmq::DONTWAIT) {
            Ok(r) => {
                assert_eq!(r.size, 4);
                assert_eq!(u32::from_ne_bytes(buf) as usize, read, "in order");
                read += 1;
            }
            Err(e) if e.is_again() => break,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(read, sent);
    settle();
    fill_up_to_hwm(&bind_socket, 70);
}

/// pyzmq's idiom for a full queue: `try: s.send(msg, zmq.NOBLOCK) except zmq.Again:`; here
/// `try_send` gives the owned message back, so nothing is lost, and it can be sent once the
/// peer has read.
#[test]
fn port_send_noblock_again_keeps_message() {
    let ctx = ctx();
    let ep = inproc("hwm-again");
    let pull = socket(&ctx, zmq::PULL);
    pull.set_rcvhwm(1).unwrap();
    pull.bind(&ep).unwrap();
    let push = socket(&ctx, zmq::PUSH);
    push.set_sndhwm(1).unwrap();
    push.connect(&ep).unwrap();
    push.try_send(Message::from("1")).unwrap();
    push.try_send(Message::from("2")).unwrap();
    let unsent = match push.try_send(Message::from("3")) {
        Err(e) if e.is_again() => e.into_unsent(),
        other => panic!("expected Again, got {other:?}"),
    };
    assert_eq!(unsent, "3");
    assert_eq!(pull.recv().unwrap(), "1");
    push.send(unsent).unwrap();
    assert_eq!(pull.recv().unwrap(), "2");
    assert_eq!(pull.recv().unwrap(), "3");
}
