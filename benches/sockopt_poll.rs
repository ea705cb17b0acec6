//! Reading socket options and polling (`zmq::poll`, `zmq::Poller`): the safe API against raw
//! `zmq-sys` calls.
//!
//! `cargo bench --bench sockopt_poll`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::ffi::{c_int, c_void};
use std::hint::black_box;
use std::time::Duration;
use zmq::ffi;

fn raw_get_int(socket: *mut c_void, option: c_int) -> c_int {
    let mut value: c_int = 0;
    let mut len = std::mem::size_of::<c_int>();
    // SAFETY: `socket` is live; `value` is writable for `len` bytes.
    let rc = unsafe {
        ffi::zmq_getsockopt(
            socket,
            option,
            &mut value as *mut c_int as *mut c_void,
            &mut len,
        )
    };
    assert_eq!(rc, 0);
    value
}

fn options(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://opts").unwrap();
    let raw = pull.as_raw();
    let mut group = c.benchmark_group("getsockopt");

    group.bench_function(BenchmarkId::new("raw", "ZMQ_EVENTS"), |b| {
        b.iter(|| raw_get_int(black_box(raw), ffi::ZMQ_EVENTS))
    });
    group.bench_function(BenchmarkId::new("safe", "events()"), |b| {
        b.iter(|| black_box(&pull).events().unwrap())
    });
    group.bench_function(BenchmarkId::new("raw", "ZMQ_RCVMORE"), |b| {
        b.iter(|| raw_get_int(black_box(raw), ffi::ZMQ_RCVMORE))
    });
    group.bench_function(BenchmarkId::new("safe", "rcvmore()"), |b| {
        b.iter(|| black_box(&pull).rcvmore().unwrap())
    });
    group.bench_function(BenchmarkId::new("raw", "ZMQ_RCVHWM"), |b| {
        b.iter(|| raw_get_int(black_box(raw), ffi::ZMQ_RCVHWM))
    });
    group.bench_function(BenchmarkId::new("safe", "rcvhwm()"), |b| {
        b.iter(|| black_box(&pull).rcvhwm().unwrap())
    });
    group.finish();
}

/// `n` PULL sockets, each with one message waiting, so a poll with a zero timeout finds them
/// all readable and returns at once: the benchmark measures the call, not a wait.
fn ready_sockets(
    ctx: &zmq::Context,
    n: usize,
    tag: &str,
) -> (Vec<zmq::Socket<zmq::Push>>, Vec<zmq::Socket<zmq::Pull>>) {
    let mut pushes = Vec::new();
    let mut pulls = Vec::new();
    for i in 0..n {
        let endpoint = format!("inproc://poll-{tag}-{n}-{i}");
        let pull = ctx.socket(zmq::PULL).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = ctx.socket(zmq::PUSH).unwrap();
        push.connect(&endpoint).unwrap();
        push.send("x").unwrap();
        pushes.push(push);
        pulls.push(pull);
    }
    (pushes, pulls)
}

fn poll(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let mut group = c.benchmark_group("zmq_poll");
    for n in [1usize, 10] {
        let (_pushes, pulls) = ready_sockets(&ctx, n, "raw");
        let mut items: Vec<ffi::zmq_pollitem_t> = pulls
            .iter()
            .map(|s| ffi::zmq_pollitem_t {
                socket: s.as_raw(),
                fd: 0,
                events: ffi::ZMQ_POLLIN as i16,
                revents: 0,
            })
            .collect();
        group.bench_function(BenchmarkId::new("raw", format!("{n}_sockets")), |b| {
            b.iter(|| {
                // SAFETY: `items` holds `n` valid entries whose sockets stay live.
                let rc = unsafe { ffi::zmq_poll(items.as_mut_ptr(), n as c_int, 0) };
                assert_eq!(rc as usize, n);
            })
        });

        let (_pushes, pulls) = ready_sockets(&ctx, n, "safe");
        let mut items: Vec<zmq::PollItem<'_>> = pulls
            .iter()
            .map(|s| s.as_poll_item(zmq::PollEvents::POLLIN))
            .collect();
        group.bench_function(BenchmarkId::new("safe_poll", format!("{n}_sockets")), |b| {
            b.iter(|| {
                let ready = zmq::poll(&mut items, Some(Duration::ZERO)).unwrap();
                assert_eq!(ready, n);
            })
        });

        let (_pushes, pulls) = ready_sockets(&ctx, n, "poller");
        let mut poller = zmq::Poller::with_capacity(n);
        for s in &pulls {
            poller.register(s, zmq::PollEvents::POLLIN);
        }
        group.bench_function(
            BenchmarkId::new("safe_poller", format!("{n}_sockets")),
            |b| {
                b.iter(|| {
                    let ready = poller.poll(Some(Duration::ZERO)).unwrap();
                    assert_eq!(ready.len(), n);
                })
            },
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = options, poll
}
criterion_main!(benches);
