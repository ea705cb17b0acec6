//! Shutdown of the async layer (feature `tokio`): terminating or shutting down the context wakes
//! every pending future (receive, send, poll, stream, monitor) with `ContextTerminated`, on both
//! runtime flavours; dropping tasks, sockets or the whole runtime while futures are pending
//! neither hangs nor panics.
#![cfg(all(feature = "tokio", unix))]

mod async_common;
use async_common::{ctx, within};

use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use zmq::{AsyncSocket, ErrorKind, PollEvents};

const LIMIT: Duration = Duration::from_secs(10);

/// Tasks that each wait forever on one of the ways a future can pend; each returns the error
/// kind it ended with, and drops its socket right after.
fn pending_tasks(ctx: &zmq::Context) -> Vec<JoinHandle<ErrorKind>> {
    let mut tasks = Vec::new();
    // A receive with nothing to receive.
    let pull = ctx.async_socket(zmq::PULL).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let ep = pull.last_endpoint().unwrap();
    let pull = Arc::new(pull);
    {
        let pull = pull.clone();
        tasks.push(tokio::spawn(async move {
            pull.recv().await.unwrap_err().kind()
        }));
    }
    // A second receiver and a poller on the same socket.
    {
        let pull = pull.clone();
        tasks.push(tokio::spawn(async move {
            pull.recv_multipart().await.unwrap_err().kind()
        }));
    }
    tasks.push(tokio::spawn(async move {
        pull.poll(PollEvents::POLLIN, None)
            .await
            .unwrap_err()
            .kind()
    }));
    // A send with no peer to send to (PUSH blocks without one).
    let push = ctx.async_socket(zmq::PUSH).unwrap();
    tasks.push(tokio::spawn(async move {
        let e = push.send(zmq::Message::from("nobody")).await.unwrap_err();
        assert_eq!(e.into_unsent(), "nobody", "the message comes back");
        // The socket is dead: later calls fail at once.
        assert_eq!(
            push.send("x").await.unwrap_err().error().kind(),
            ErrorKind::ContextTerminated
        );
        ErrorKind::ContextTerminated
    }));
    // A multipart send stuck on a full queue (inproc, so no kernel buffer).
    let sink = ctx.socket(zmq::PULL).unwrap();
    sink.set_rcvhwm(1).unwrap();
    sink.bind("inproc://async-shutdown-full").unwrap();
    let full = ctx.socket(zmq::PUSH).unwrap();
    full.set_sndhwm(1).unwrap();
    full.connect("inproc://async-shutdown-full").unwrap();
    while full.try_send("fill").is_ok() {}
    let full = full.into_async().unwrap();
    tasks.push(tokio::spawn(async move {
        let _sink = sink; // keeps the queue full
        let e = full.send_multipart(["a", "b"]).await.unwrap_err();
        assert_eq!(e.error().kind(), ErrorKind::ContextTerminated);
        assert_eq!(e.into_unsent().len(), 2, "every part comes back");
        ErrorKind::ContextTerminated
    }));
    // A stream and a monitor stream.
    let mut sub = ctx.async_socket(zmq::SUB).unwrap();
    sub.connect(&ep).unwrap();
    sub.subscribe("").unwrap();
    let mut monitor = sub.monitor(zmq::MonitorEvents::ALL).unwrap();
    tasks.push(tokio::spawn(async move {
        let e = sub.next().await.unwrap().unwrap_err();
        assert!(sub.next().await.is_none(), "the stream ends after ETERM");
        e.kind()
    }));
    tasks.push(tokio::spawn(async move {
        // Events may come (connect retries) before the end.
        loop {
            match monitor.next().await {
                Some(Ok(_)) => continue,
                Some(Err(e)) => return e.kind(),
                None => return ErrorKind::ContextTerminated,
            }
        }
    }));
    tasks
}

async fn all_end_terminated(tasks: Vec<JoinHandle<ErrorKind>>) {
    for t in tasks {
        let kind = within(LIMIT, "a pending future was not woken", t)
            .await
            .unwrap();
        assert_eq!(kind, ErrorKind::ContextTerminated);
    }
}

async fn shutdown_wakes_everything() {
    let ctx = ctx();
    let tasks = pending_tasks(&ctx);
    tokio::time::sleep(Duration::from_millis(100)).await; // every task is pending now
    assert!(tasks.iter().all(|t| !t.is_finished()));
    ctx.shutdown().unwrap();
    all_end_terminated(tasks).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_wakes_every_pending_future_multi_thread() {
    shutdown_wakes_everything().await;
}

#[tokio::test(flavor = "current_thread")]
async fn shutdown_wakes_every_pending_future_current_thread() {
    shutdown_wakes_everything().await;
}

/// `term` blocks until the sockets are closed, so it runs on a blocking thread; the pending
/// futures fail, their tasks drop the sockets, and `term` returns.
async fn term_wakes_everything() {
    let ctx = ctx();
    let tasks = pending_tasks(&ctx);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let term = tokio::task::spawn_blocking(move || ctx.term().map_err(zmq::Error::from));
    all_end_terminated(tasks).await;
    within(LIMIT, "term", term).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn term_wakes_every_pending_future_multi_thread() {
    term_wakes_everything().await;
}

#[tokio::test(flavor = "current_thread")]
async fn term_wakes_every_pending_future_current_thread() {
    term_wakes_everything().await;
}

/// Aborting tasks whose futures pend on a socket they own, or share, drops the futures and the
/// socket together: no hang, no panic, and the context terminates afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_sockets_with_pending_futures() {
    let ctx = ctx();
    let mut tasks: Vec<JoinHandle<()>> = Vec::new();
    for _ in 0..4 {
        let pull = ctx.async_socket(zmq::PULL).unwrap();
        pull.bind("tcp://127.0.0.1:*").unwrap();
        tasks.push(tokio::spawn(async move {
            let _ = pull.recv().await;
            unreachable!("nothing was sent");
        }));
    }
    let router: Arc<AsyncSocket<zmq::Router>> = Arc::new(ctx.async_socket(zmq::ROUTER).unwrap());
    router.bind("inproc://async-drop-router").unwrap();
    for _ in 0..2 {
        let r = router.clone();
        tasks.push(tokio::spawn(async move {
            let _ = r.recv_multipart().await;
            unreachable!("nothing was sent");
        }));
        let r = router.clone();
        tasks.push(tokio::spawn(async move {
            let _ = r.poll(PollEvents::POLLIN, None).await;
            unreachable!("nothing was sent");
        }));
    }
    drop(router);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    for t in &tasks {
        t.abort();
    }
    for t in tasks {
        let e = within(LIMIT, "an aborted task", t).await.unwrap_err();
        assert!(e.is_cancelled(), "{e}");
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    // Every socket is closed: the context terminates at once.
    tokio::task::spawn_blocking(move || ctx.term().map_err(zmq::Error::from))
        .await
        .unwrap()
        .unwrap();
}

/// Dropping a runtime whose tasks pend on async sockets drops those sockets with them.
#[test]
fn dropping_the_runtime_with_pending_futures() {
    let ctx = ctx();
    for flavor in ["current_thread", "multi_thread"] {
        let rt = match flavor {
            "current_thread" => tokio::runtime::Builder::new_current_thread(),
            _ => tokio::runtime::Builder::new_multi_thread(),
        }
        .enable_all()
        .build()
        .unwrap();
        // The tasks start inside block_on (a current-thread runtime runs tasks only there)
        // and are still pending when it returns.
        rt.block_on(async {
            let (tx, mut rx) = tokio::sync::mpsc::channel(3);
            for _ in 0..3 {
                let ctx = ctx.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let sub = ctx.async_socket(zmq::SUB).unwrap();
                    sub.connect("tcp://127.0.0.1:9").unwrap();
                    sub.subscribe("").unwrap();
                    tx.send(()).await.unwrap();
                    let _ = sub.recv().await;
                });
            }
            for _ in 0..3 {
                within(LIMIT, "a task starting", rx.recv()).await;
            }
        });
        let started = Instant::now();
        drop(rt);
        assert!(started.elapsed() < Duration::from_secs(2), "{flavor}");
    }
    // The sockets went with their tasks: term does not wait for them.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(ctx.term().is_ok()).unwrap());
    assert!(rx
        .recv_timeout(LIMIT)
        .expect("term hung on a leaked socket"));
}
