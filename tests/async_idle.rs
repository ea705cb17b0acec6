//! No busy looping (feature `tokio`): async sockets with pending receives, sends and polls cost
//! no CPU while nothing happens. The process's CPU time over a second of idling is read with
//! getrusage and compared with a generous bound (a busy loop would spend about a second per
//! spinning thread). In a file of its own: the measurement covers the whole process.
#![cfg(all(feature = "tokio", unix))]

mod async_common;
use async_common::{cpu_time, multi_thread};

use std::sync::Arc;
use std::time::Duration;
use zmq::PollEvents;

#[test]
fn idle_async_sockets_cost_no_cpu() {
    multi_thread(2).block_on(async {
        let ctx = zmq::Context::new();
        ctx.set_default_linger(Some(Duration::ZERO));
        let mut tasks = Vec::new();
        let mut keep = Vec::new();
        // Receivers over tcp and inproc, connected to peers that send nothing.
        for ep in ["tcp://127.0.0.1:*", "inproc://async-idle"] {
            let pull = Arc::new(ctx.async_socket(zmq::PULL).unwrap());
            pull.bind(ep).unwrap();
            let push = ctx.async_socket(zmq::PUSH).unwrap();
            push.connect(&pull.last_endpoint().unwrap()).unwrap();
            keep.push(push);
            for _ in 0..3 {
                let pull = pull.clone();
                tasks.push(tokio::spawn(async move {
                    let _ = pull.recv().await;
                }));
            }
            let pull = pull.clone();
            tasks.push(tokio::spawn(async move {
                let _ = pull.poll(PollEvents::POLLIN, None).await;
            }));
        }
        // A sender blocked on a full queue, and a REQ waiting for a reply that never comes.
        let sink = ctx.socket(zmq::PULL).unwrap();
        sink.set_rcvhwm(1).unwrap();
        sink.bind("inproc://async-idle-full").unwrap();
        let full = ctx.socket(zmq::PUSH).unwrap();
        full.set_sndhwm(1).unwrap();
        full.connect("inproc://async-idle-full").unwrap();
        while full.try_send("fill").is_ok() {}
        let full = full.into_async().unwrap();
        tasks.push(tokio::spawn(async move {
            let _ = full.send("blocked").await;
        }));
        let rep = ctx.async_socket(zmq::REP).unwrap();
        rep.bind("tcp://127.0.0.1:*").unwrap();
        let req = ctx.async_socket(zmq::REQ).unwrap();
        req.connect(&rep.last_endpoint().unwrap()).unwrap();
        tasks.push(tokio::spawn(async move {
            req.send("question").await.unwrap();
            let _ = req.recv().await;
        }));
        // Let connections and handshakes settle, then measure.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(tasks.iter().all(|t| !t.is_finished()));
        let before = cpu_time();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let spent = cpu_time() - before;
        assert!(
            tasks.iter().all(|t| !t.is_finished()),
            "a pending future ended"
        );
        eprintln!("CPU time over 1 s of idling: {spent:?}");
        assert!(
            spent < Duration::from_millis(100),
            "idle async sockets used {spent:?} of CPU in 1 s: busy looping"
        );
        for t in &tasks {
            t.abort();
        }
        drop((keep, sink, rep));
    });
}

/// An idle thread-safe socket with pending receives costs no CPU: the poller's descriptor is
/// not left signalled (a level that tokio would report again and again).
#[cfg(feature = "draft")]
#[test]
fn idle_thread_safe_sockets_cost_no_cpu() {
    multi_thread(2).block_on(async {
        let ctx = async_common::ctx();
        let (server, client) = async_common::tcp_pair(&ctx, zmq::SERVER, zmq::CLIENT);
        // Traffic first, so that the poller's descriptor has been signalled and read.
        async_common::bounded(client.send("hello")).await.unwrap();
        let m = async_common::bounded(server.recv()).await.unwrap();
        async_common::bounded(server.reply(&m, "hi")).await.unwrap();
        async_common::bounded(client.recv()).await.unwrap();
        let (server, client) = (Arc::new(server), Arc::new(client));
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let (s, c) = (server.clone(), client.clone());
            tasks.push(tokio::spawn(async move {
                let _ = s.recv().await;
            }));
            tasks.push(tokio::spawn(async move {
                let _ = c.recv().await;
            }));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let before = cpu_time();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let spent = cpu_time() - before;
        assert!(tasks.iter().all(|t| !t.is_finished()));
        eprintln!("CPU time over 1 s of idling (thread-safe kinds): {spent:?}");
        assert!(
            spent < Duration::from_millis(100),
            "idle thread-safe async sockets used {spent:?} of CPU in 1 s: busy looping"
        );
        for t in tasks {
            t.abort();
        }
    });
}
