//! Async sockets of the thread-safe draft kinds (features `tokio` and `draft`): SERVER/CLIENT,
//! RADIO/DISH, SCATTER/GATHER, PEER and CHANNEL under tokio, watched through a private
//! `zmq_poller`'s descriptor (they have no `ZMQ_FD`). Same rules as the classic kinds: nothing
//! lost or duplicated with many tasks on the multi-thread runtime, cancel-safe receives under
//! `select!`, shutdown wakes pending futures (tests/async_idle.rs: an idle one costs no CPU).
#![cfg(all(feature = "tokio", feature = "draft", unix))]

mod async_common;
use async_common::{bounded, ctx, multi_thread, tcp_pair, LIMIT};

use std::sync::Arc;
use std::time::{Duration, Instant};
use zmq::ErrorKind;

/// Eight CLIENT sockets, each in its own task, against one SERVER task that replies to every
/// request with `reply`: every request answered once, with its own answer.
#[test]
fn server_answers_every_client_task_exactly_once() {
    multi_thread(4).block_on(async {
        const CLIENTS: u32 = 8;
        const PER_CLIENT: u32 = 2_000;
        let ctx = ctx();
        let server = ctx.async_socket(zmq::SERVER).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();
        let server = tokio::spawn(async move {
            for _ in 0..CLIENTS * PER_CLIENT {
                let request = bounded(server.recv()).await.unwrap();
                let mut answer = request.to_vec();
                answer.reverse();
                bounded(server.reply(&request, answer)).await.unwrap();
            }
        });
        let mut clients = Vec::new();
        for c in 0..CLIENTS {
            let client = ctx.async_socket(zmq::CLIENT).unwrap();
            client.connect(&endpoint).unwrap();
            clients.push(tokio::spawn(async move {
                for i in 0..PER_CLIENT {
                    let request = [c.to_le_bytes(), i.to_le_bytes()].concat();
                    bounded(client.send(&request[..])).await.unwrap();
                    let answer = bounded(client.recv()).await.unwrap();
                    let mut expected = request.clone();
                    expected.reverse();
                    assert_eq!(&answer[..], &expected[..], "client {c} request {i}");
                }
            }));
        }
        for c in clients {
            c.await.unwrap();
        }
        server.await.unwrap();
    });
}

/// One CLIENT shared (through an `Arc`) by a writer task and a reader task, the SERVER
/// echoing: 20,000 messages, each received once, in order.
#[test]
fn one_client_shared_by_a_reader_and_a_writer_task() {
    multi_thread(4).block_on(async {
        const N: u32 = 20_000;
        let ctx = ctx();
        let (server, client) = tcp_pair(&ctx, zmq::SERVER, zmq::CLIENT);
        let echo = tokio::spawn(async move {
            for _ in 0..N {
                let m = bounded(server.recv()).await.unwrap();
                let id = m.routing_id();
                bounded(server.send_to(id, m)).await.unwrap();
            }
        });
        let client = Arc::new(client);
        let writer = {
            let client = client.clone();
            tokio::spawn(async move {
                for i in 0..N {
                    bounded(client.send(i.to_le_bytes().to_vec()))
                        .await
                        .unwrap();
                }
            })
        };
        for i in 0..N {
            let m = bounded(client.recv()).await.unwrap();
            assert_eq!(&m[..], &i.to_le_bytes()[..]);
        }
        writer.await.unwrap();
        echo.await.unwrap();
    });
}

/// RADIO to two DISH sockets in different groups: each gets its group's messages only, all of
/// them, in order (over tcp, with no high-water mark, once the join has arrived).
#[test]
fn radio_reaches_the_dishes_of_each_group() {
    multi_thread(4).block_on(async {
        const N: u32 = 5_000;
        let ctx = ctx();
        // RADIO drops what does not fit under the high-water mark, as PUB does: no limit here,
        // so that every message must arrive.
        let radio = ctx.async_socket(zmq::RADIO).unwrap();
        radio.lock().set_sndhwm(0).unwrap();
        radio.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = radio.last_endpoint().unwrap();
        let mut dishes = Vec::new();
        for group in ["weather", "sports"] {
            let dish = ctx.async_socket(zmq::DISH).unwrap();
            dish.lock().set_rcvhwm(0).unwrap();
            dish.join(group).unwrap();
            dish.connect(&endpoint).unwrap();
            dishes.push((group, dish));
        }
        // The joins reach the radio a moment after the connects: send probes until each dish
        // has one.
        for (group, dish) in &dishes {
            loop {
                radio.send_to_group(group, "probe").await.unwrap();
                let r = tokio::time::timeout(Duration::from_millis(20), dish.recv()).await;
                if let Ok(m) = r {
                    assert_eq!(m.unwrap().group(), Some(*group));
                    break;
                }
            }
        }
        let readers: Vec<_> = dishes
            .into_iter()
            .map(|(group, dish)| {
                tokio::spawn(async move {
                    let mut next = 0u32;
                    while next < N {
                        let m = bounded(dish.recv()).await.unwrap();
                        assert_eq!(m.group(), Some(group));
                        if &m[..] == b"probe" {
                            continue;
                        }
                        assert_eq!(&m[..], &next.to_le_bytes()[..], "{group}");
                        next += 1;
                    }
                })
            })
            .collect();
        for i in 0..N {
            for group in ["weather", "sports"] {
                bounded(radio.send_to_group(group, &i.to_le_bytes()[..]))
                    .await
                    .unwrap();
            }
        }
        for r in readers {
            r.await.unwrap();
        }
    });
}

/// SCATTER to GATHER, a sending task and a receiving task: 20,000 messages, in order.
#[tokio::test(flavor = "current_thread")]
async fn scatter_to_gather_on_the_current_thread_runtime() {
    const N: u32 = 20_000;
    let ctx = ctx();
    let (gather, scatter) = tcp_pair(&ctx, zmq::GATHER, zmq::SCATTER);
    let sender = tokio::spawn(async move {
        for i in 0..N {
            bounded(scatter.send(i.to_le_bytes().to_vec()))
                .await
                .unwrap();
        }
        scatter
    });
    for i in 0..N {
        assert_eq!(
            &bounded(gather.recv()).await.unwrap()[..],
            &i.to_le_bytes()[..]
        );
    }
    sender.await.unwrap();
}

/// PEER to PEER (`connect_peer` gives the routing id) and CHANNEL to CHANNEL, both directions.
#[tokio::test]
async fn peer_and_channel_both_ways() {
    let ctx = ctx();
    let a = ctx.async_socket(zmq::PEER).unwrap();
    a.bind("tcp://127.0.0.1:*").unwrap();
    let b = ctx.async_socket(zmq::PEER).unwrap();
    let a_id = b.lock().connect_peer(&a.last_endpoint().unwrap()).unwrap();
    for i in 0..100u32 {
        bounded(b.send_to(a_id, &i.to_le_bytes()[..]))
            .await
            .unwrap();
        let m = bounded(a.recv()).await.unwrap();
        assert_eq!(&m[..], &i.to_le_bytes()[..]);
        bounded(a.reply(&m, "ack")).await.unwrap();
        assert_eq!(bounded(b.recv()).await.unwrap(), "ack");
    }
    let (x, y) = tcp_pair(&ctx, zmq::CHANNEL, zmq::CHANNEL);
    for i in 0..100u32 {
        bounded(y.send(&i.to_le_bytes()[..])).await.unwrap();
        assert_eq!(&bounded(x.recv()).await.unwrap()[..], &i.to_le_bytes()[..]);
        bounded(x.send("back")).await.unwrap();
        assert_eq!(bounded(y.recv()).await.unwrap(), "back");
    }
}

/// 5,000 races between a CLIENT's `recv` and a short timer, while the SERVER sends at its own
/// pace: a receive future dropped by `select!` consumed nothing, so every message arrives
/// once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_races_lose_and_duplicate_nothing() {
    const N: u32 = 5_000;
    let ctx = ctx();
    let (server, client) = tcp_pair(&ctx, zmq::SERVER, zmq::CLIENT);
    bounded(client.send("hello")).await.unwrap();
    let id = bounded(server.recv()).await.unwrap().routing_id();
    let sender = tokio::spawn(async move {
        for i in 0..N {
            bounded(server.send_to(id, &i.to_le_bytes()[..]))
                .await
                .unwrap();
            if i % 64 == 0 {
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        }
        server
    });
    let mut next = 0u32;
    let mut timeouts = 0u32;
    let started = Instant::now();
    while next < N {
        assert!(started.elapsed() < LIMIT, "stuck at {next}");
        tokio::select! {
            m = client.recv() => {
                assert_eq!(&m.unwrap()[..], &next.to_le_bytes()[..]);
                next += 1;
            }
            _ = tokio::time::sleep(Duration::from_micros(50)) => timeouts += 1,
        }
    }
    let _server = sender.await.unwrap();
    // Nothing more arrives: no message was duplicated.
    let extra = tokio::time::timeout(Duration::from_millis(100), client.recv()).await;
    assert!(extra.is_err(), "an extra message: {extra:?}");
    println!("{timeouts} receives cancelled by the timer");
}

/// Shutting down the context wakes a pending receive on a SERVER and a pending send on a
/// CLIENT with a full queue, each with ContextTerminated; dropping a socket whose future's task
/// was aborted neither hangs nor panics.
#[test]
fn shutdown_wakes_pending_futures_and_drops_end() {
    multi_thread(4).block_on(async {
        let ctx = ctx();
        let server = Arc::new(ctx.async_socket(zmq::SERVER).unwrap());
        server.bind("inproc://async-draft-shutdown").unwrap();
        let client = ctx.socket(zmq::CLIENT).unwrap();
        client.set_sndhwm(1).unwrap();
        client
            .connect("inproc://async-draft-shutdown-absent")
            .unwrap();
        let client = Arc::new(client.into_async().unwrap());
        let recv = {
            let server = server.clone();
            tokio::spawn(async move { server.recv().await.map(|_| ()) })
        };
        let send = {
            let client = client.clone();
            tokio::spawn(async move {
                loop {
                    if let Err(e) = client.send("fill").await {
                        return e.kind();
                    }
                }
            })
        };
        let dish = Arc::new(ctx.async_socket(zmq::DISH).unwrap());
        let aborted = {
            let dish = dish.clone();
            tokio::spawn(async move { dish.recv().await.map(|_| ()) })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!recv.is_finished() && !send.is_finished());
        aborted.abort();
        let _ = aborted.await;
        drop(Arc::try_unwrap(dish).expect("the aborted task let go of the dish"));
        ctx.shutdown().unwrap();
        let r = bounded(recv).await.unwrap();
        assert_eq!(r.unwrap_err().kind(), ErrorKind::ContextTerminated);
        assert_eq!(bounded(send).await.unwrap(), ErrorKind::ContextTerminated);
    });
}
