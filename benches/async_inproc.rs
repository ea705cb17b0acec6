//! What the async layer costs per operation, with no I/O thread and no scheduler in the way:
//! 1-byte sends and receives over `inproc://` PUSH/PULL in one thread, blocking [`zmq::Socket`]
//! against [`zmq::AsyncSocket`] (`.await` on a current-thread tokio runtime), in the same run.
//!
//! `cargo bench --features tokio --bench async_inproc`; the ratios:
//! `python3 benches/criterion_ratios.py --async` (three runs, the median ratio of each pair).
//!
//! - `async_send_1B`: `n` sends into a queue without a high-water mark (timed), then the
//!   queue is drained (not timed).
//! - `async_recv_1B`: `n` messages are queued (not timed), then `n` receives into one reused
//!   [`zmq::Message`] (timed).
//!
//! Neither async operation ever waits here, so the difference is the price of the async
//! path itself: the socket's lock, tokio's budget, the check for waiting tasks and the
//! future's own state (BENCHMARKS.md, "What the async layer costs per operation").

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::{Duration, Instant};

/// A PUSH/PULL pair over `name`, neither with a high-water mark (so that `n` messages fit).
fn pipe(ctx: &zmq::Context, name: &str) -> (zmq::Socket<zmq::Push>, zmq::Socket<zmq::Pull>) {
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_rcvhwm(0).unwrap();
    pull.bind(name).unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_sndhwm(0).unwrap();
    push.connect(name).unwrap();
    (push, pull)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn send(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let rt = runtime();
    let _in_runtime = rt.enter();
    let payload = [0u8; 1];
    let mut msg = zmq::Message::new();
    let mut group = c.benchmark_group("async_send_1B");
    group.throughput(Throughput::Elements(1));

    let (push, pull) = pipe(&ctx, "inproc://send-blocking");
    group.bench_function(BenchmarkId::new("blocking", "send"), |b| {
        b.iter_custom(|n| {
            let start = Instant::now();
            for _ in 0..n {
                push.send(&payload[..]).unwrap();
            }
            let elapsed = start.elapsed();
            for _ in 0..n {
                pull.recv_msg(&mut msg).unwrap();
            }
            elapsed
        })
    });

    let (push, pull) = pipe(&ctx, "inproc://send-async");
    let push = push.into_async().unwrap();
    group.bench_function(BenchmarkId::new("async", "send"), |b| {
        b.iter_custom(|n| {
            let elapsed = rt.block_on(async {
                let start = Instant::now();
                for _ in 0..n {
                    push.send(&payload[..]).await.unwrap();
                }
                start.elapsed()
            });
            for _ in 0..n {
                pull.recv_msg(&mut msg).unwrap();
            }
            elapsed
        })
    });
    group.finish();
}

fn recv(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let rt = runtime();
    let _in_runtime = rt.enter();
    let payload = [0u8; 1];
    let mut msg = zmq::Message::new();
    let mut group = c.benchmark_group("async_recv_1B");
    group.throughput(Throughput::Elements(1));

    let (push, pull) = pipe(&ctx, "inproc://recv-blocking");
    group.bench_function(BenchmarkId::new("blocking", "recv_msg"), |b| {
        b.iter_custom(|n| {
            for _ in 0..n {
                push.send(&payload[..]).unwrap();
            }
            let start = Instant::now();
            for _ in 0..n {
                assert_eq!(pull.recv_msg(&mut msg).unwrap(), 1);
            }
            start.elapsed()
        })
    });

    let (push, pull) = pipe(&ctx, "inproc://recv-async");
    let pull = pull.into_async().unwrap();
    group.bench_function(BenchmarkId::new("async", "recv_msg"), |b| {
        b.iter_custom(|n| {
            for _ in 0..n {
                push.send(&payload[..]).unwrap();
            }
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..n {
                    assert_eq!(pull.recv_msg(&mut msg).await.unwrap(), 1);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = send, recv
}
criterion_main!(benches);
