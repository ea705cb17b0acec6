//! Cancel safety of the async socket (feature `tokio`): a receive future dropped before it
//! completes consumes no message, even after it was woken; a send future dropped before it
//! completes sent nothing; a multipart send is all or nothing under `select!` and timeouts.
#![cfg(all(feature = "tokio", unix))]

mod async_common;
use async_common::{ctx, within};

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;
use tokio::time::timeout;
use zmq::{AsyncSocket, Message, PollEvents};

const LIMIT: Duration = Duration::from_secs(30);

/// Polls `f` once, with the current task's waker.
async fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *f).poll(cx))).await
}

fn pair(ctx: &zmq::Context, ep: &str) -> (AsyncSocket<zmq::Pull>, AsyncSocket<zmq::Push>) {
    let pull = ctx.async_socket(zmq::PULL).unwrap();
    pull.bind(ep).unwrap();
    let push = ctx.async_socket(zmq::PUSH).unwrap();
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    (pull, push)
}

/// A pending receive that was woken by the message's arrival, then dropped without being
/// polled again, leaves the message for the next receive.
#[tokio::test]
async fn dropped_recv_consumes_nothing() {
    let ctx = ctx();
    for ep in ["tcp://127.0.0.1:*", "inproc://async-cancel-recv"] {
        let (pull, push) = pair(&ctx, ep);
        for round in 0..20 {
            {
                let mut fut = pin!(pull.recv());
                assert!(poll_once(&mut fut).await.is_pending());
                let mut multi = pin!(pull.recv_multipart());
                assert!(poll_once(&mut multi).await.is_pending());
                within(LIMIT, "send", push.send(format!("m{round}")))
                    .await
                    .unwrap();
                // Wait until the message is there, so the futures above were woken for it.
                let ready = pull.poll(PollEvents::POLLIN, Some(LIMIT)).await.unwrap();
                assert_eq!(ready, PollEvents::POLLIN);
            } // both dropped here, woken but never polled again
            let got = within(LIMIT, "recv", pull.recv_string()).await.unwrap();
            assert_eq!(got, format!("m{round}"));
        }
    }
}

/// Fills the queue of a PUSH socket until a send would block; returns how many went in.
async fn fill(push: &AsyncSocket<zmq::Push>) -> u64 {
    let mut n = 0u64;
    loop {
        match push.lock().try_send(n.to_le_bytes().to_vec()) {
            Ok(()) => n += 1,
            Err(e) if e.is_again() => return n,
            Err(e) => panic!("{e}"),
        }
    }
}

/// With the queue full, a send future is pending; dropped, it never sends its message, and a
/// multipart one never sends part of its message.
#[tokio::test]
async fn dropped_send_sends_nothing() {
    let ctx = ctx();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_rcvhwm(1).unwrap();
    pull.bind("inproc://async-cancel-send").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndhwm(1).unwrap();
    push.connect("inproc://async-cancel-send").unwrap();
    let pull = pull.into_async().unwrap();
    let push = push.into_async().unwrap();
    let queued = fill(&push).await;
    assert!(queued >= 1);
    let mut got = Vec::new();
    {
        let mut one = pin!(push.send(Message::from("never")));
        assert!(poll_once(&mut one).await.is_pending());
        let mut many = pin!(push.send_multipart(["never", "part", "of it"]));
        assert!(poll_once(&mut many).await.is_pending());
        // Make room until a send could go: the futures are woken, but dropped before they run.
        loop {
            got.push(within(LIMIT, "recv", pull.recv()).await.unwrap());
            let room = push
                .poll(PollEvents::POLLOUT, Some(Duration::from_millis(100)))
                .await
                .unwrap();
            if !room.is_empty() {
                break;
            }
        }
    }
    within(LIMIT, "send", push.send("end")).await.unwrap();
    loop {
        let m = within(LIMIT, "recv", pull.recv()).await.unwrap();
        if m == "end" {
            break;
        }
        got.push(m);
    }
    assert_eq!(
        got.len() as u64,
        queued,
        "the dropped futures sent something"
    );
    for (i, m) in got.iter().enumerate() {
        assert_eq!(&m[..], &(i as u64).to_le_bytes()[..]);
    }
}

/// 2,000 three-part messages, each sent with `select!` against a short timer and sent again
/// when the timer wins, into a slow reader with tiny high-water marks (inproc: no kernel buffer
/// behind them): each message arrives
/// exactly once, whole. A cancelled send that had sent part of its message, or all of it,
/// would show as a broken or duplicated message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_send_is_all_or_nothing_under_select() {
    const N: u64 = 2_000;
    let ctx = ctx();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_rcvhwm(1).unwrap();
    pull.bind("inproc://async-cancel-multipart").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndhwm(1).unwrap();
    push.connect("inproc://async-cancel-multipart").unwrap();
    let pull = pull.into_async().unwrap();
    let push = push.into_async().unwrap();

    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        while (got.len() as u64) < N {
            let parts = pull.recv_multipart().await.unwrap();
            assert_eq!(parts.len(), 3, "a broken message");
            let seq = u64::from_le_bytes(parts[0][..].try_into().unwrap());
            assert_eq!(parts[1], "middle");
            assert_eq!(u64::from_le_bytes(parts[2][..].try_into().unwrap()), !seq);
            got.push(seq);
            if got.len() % 4 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        got
    });
    let send = async {
        let mut cancelled = 0u64;
        for seq in 0..N {
            let (head, tail) = (seq.to_le_bytes(), (!seq).to_le_bytes());
            loop {
                tokio::select! {
                    r = push.send_multipart([&head[..], b"middle", &tail[..]]) => {
                        r.unwrap();
                        break;
                    }
                    _ = tokio::time::sleep(Duration::from_micros(200)) => cancelled += 1,
                }
            }
        }
        cancelled
    };
    let cancelled = within(LIMIT, "sending", send).await;
    let got = within(LIMIT, "reader", reader).await.unwrap();
    assert_eq!(
        got,
        (0..N).collect::<Vec<_>>(),
        "lost, duplicated or reordered"
    );
    assert!(
        cancelled > 0,
        "no send was ever cancelled: the test raced nothing"
    );
}

/// A `send` dropped by a timeout under backpressure, over and over, with owned messages: the
/// receiver sees exactly the messages whose send completed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_timeouts_lose_nothing_that_was_reported_sent() {
    let ctx = ctx();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_rcvhwm(2).unwrap();
    pull.bind("inproc://async-cancel-timeouts").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndhwm(2).unwrap();
    push.connect("inproc://async-cancel-timeouts").unwrap();
    let (pull, push) = (pull.into_async().unwrap(), push.into_async().unwrap());
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        loop {
            let m = pull.recv().await.unwrap();
            if m == "end" {
                return got;
            }
            got.push(u64::from_le_bytes(m[..].try_into().unwrap()));
            if got.len() % 4 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    });
    let mut reported = Vec::new();
    for i in 0..3_000u64 {
        let msg = Message::from(i.to_le_bytes().to_vec());
        if let Ok(r) = timeout(Duration::from_micros(300), push.send(msg)).await {
            r.unwrap();
            reported.push(i);
        }
    }
    within(LIMIT, "send", push.send("end")).await.unwrap();
    let got = within(LIMIT, "reader", reader).await.unwrap();
    assert_eq!(
        got, reported,
        "a dropped send sent its message, or a sent one was lost"
    );
    assert!(
        reported.len() < 3_000,
        "no send was ever cancelled: the test raced nothing"
    );
}
