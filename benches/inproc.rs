//! The safe API against raw `zmq-sys` calls on the same libzmq, in the same run: one send and
//! one receive over `inproc://` PUSH/PULL in one thread (1 B to 1 MiB), a 3-frame multipart
//! message, and the zero-copy send of a 1 MiB `Vec` against the copying path.
//!
//! `cargo bench --bench inproc`. Both sides reuse one receive message, as a tuned program would.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use std::ffi::c_void;
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;
use zmq::ffi;

const SIZES: &[(usize, &str)] = &[
    (1, "1B"),
    (64, "64B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

/// A raw `zmq_msg_t`, closed on drop: the raw side's reusable receive message.
struct RawMsg(MaybeUninit<ffi::zmq_msg_t>);

impl RawMsg {
    fn new() -> RawMsg {
        let mut m = MaybeUninit::uninit();
        // SAFETY: zmq_msg_init initialises the zmq_msg_t and cannot fail.
        unsafe { ffi::zmq_msg_init(m.as_mut_ptr()) };
        RawMsg(m)
    }
    fn ptr(&mut self) -> *mut ffi::zmq_msg_t {
        self.0.as_mut_ptr()
    }
}

impl Drop for RawMsg {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, closed only here.
        unsafe { ffi::zmq_msg_close(self.0.as_mut_ptr()) };
    }
}

fn pipe(ctx: &zmq::Context, name: &str) -> (zmq::Socket<zmq::Push>, zmq::Socket<zmq::Pull>) {
    let endpoint = format!("inproc://{name}");
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind(&endpoint).unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.connect(&endpoint).unwrap();
    (push, pull)
}

fn send_recv(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let mut group = c.benchmark_group("send_recv");
    for &(size, label) in SIZES {
        let buf = vec![7u8; size];
        group.throughput(Throughput::Elements(1));

        let (push, pull) = pipe(&ctx, &format!("raw-{label}"));
        let (raw_push, raw_pull) = (push.as_raw(), pull.as_raw());
        let mut msg = RawMsg::new();
        group.bench_function(BenchmarkId::new("raw", label), |b| {
            b.iter(|| {
                // SAFETY: both sockets are live for the whole benchmark; `buf` is readable for
                // `size` bytes and `msg` is an initialised message that libzmq refills.
                unsafe {
                    let rc = ffi::zmq_send(raw_push, buf.as_ptr() as *const c_void, buf.len(), 0);
                    assert_eq!(rc as usize, size);
                    let rc = ffi::zmq_msg_recv(msg.ptr(), raw_pull, 0);
                    assert_eq!(rc as usize, size);
                }
            })
        });

        let (push, pull) = pipe(&ctx, &format!("safe-{label}"));
        let mut msg = zmq::Message::new();
        group.bench_function(BenchmarkId::new("safe", label), |b| {
            b.iter(|| {
                push.send(black_box(&buf[..])).unwrap();
                let n = pull.recv_msg(&mut msg).unwrap();
                assert_eq!(n, size);
            })
        });
    }
    group.finish();
}

fn multipart(c: &mut Criterion) {
    let ctx = zmq::Context::new();
    let mut group = c.benchmark_group("multipart_3x64B");
    let frame = [3u8; 64];
    group.throughput(Throughput::Elements(1));

    let (push, pull) = pipe(&ctx, "mp-raw");
    let (raw_push, raw_pull) = (push.as_raw(), pull.as_raw());
    let mut msg = RawMsg::new();
    group.bench_function("raw", |b| {
        b.iter(|| {
            // SAFETY: live sockets, readable frame, initialised message (as in send_recv).
            unsafe {
                let p = frame.as_ptr() as *const c_void;
                assert_eq!(ffi::zmq_send(raw_push, p, 64, ffi::ZMQ_SNDMORE), 64);
                assert_eq!(ffi::zmq_send(raw_push, p, 64, ffi::ZMQ_SNDMORE), 64);
                assert_eq!(ffi::zmq_send(raw_push, p, 64, 0), 64);
                for more in [1, 1, 0] {
                    assert_eq!(ffi::zmq_msg_recv(msg.ptr(), raw_pull, 0), 64);
                    assert_eq!(ffi::zmq_msg_more(msg.ptr()), more);
                }
            }
        })
    });

    let (push, pull) = pipe(&ctx, "mp-safe-lean");
    let mut msg = zmq::Message::new();
    group.bench_function("safe_send_more_recv_msg", |b| {
        b.iter(|| {
            push.send_more(&frame[..]).unwrap();
            push.send_more(&frame[..]).unwrap();
            push.send(&frame[..]).unwrap();
            for more in [true, true, false] {
                assert_eq!(pull.recv_msg(&mut msg).unwrap(), 64);
                assert_eq!(msg.more(), more);
            }
        })
    });

    let (push, pull) = pipe(&ctx, "mp-safe-multipart");
    group.bench_function("safe_send_multipart_recv_multipart", |b| {
        b.iter(|| {
            push.send_multipart([&frame[..], &frame[..], &frame[..]])
                .unwrap();
            let parts = pull.recv_multipart().unwrap();
            assert_eq!(parts.len(), 3);
            parts
        })
    });
    group.finish();
}

fn zero_copy(c: &mut Criterion) {
    const SIZE: usize = 1024 * 1024;
    let ctx = zmq::Context::new();
    let mut group = c.benchmark_group("send_vec_1MiB");
    group.throughput(Throughput::Bytes(SIZE as u64));
    // Each iteration gets a fresh, fully written 1 MiB Vec (made outside the timing) and ends
    // with it freed: by the drop after the copy, or by libzmq when the zero-copy message dies.
    let make = || vec![1u8; SIZE];

    let (push, pull) = pipe(&ctx, "zc-copy");
    let mut msg = zmq::Message::new();
    group.bench_function("copy_send_slice", |b| {
        b.iter_batched(
            make,
            |v| {
                push.send(&v[..]).unwrap();
                assert_eq!(pull.recv_msg(&mut msg).unwrap(), SIZE);
                drop(v);
            },
            BatchSize::NumIterations(8),
        )
    });

    let (push, pull) = pipe(&ctx, "zc-zero");
    let mut msg = zmq::Message::new();
    group.bench_function("zero_copy_send_vec", |b| {
        b.iter_batched(
            make,
            |v| {
                push.send(v).unwrap();
                assert_eq!(pull.recv_msg(&mut msg).unwrap(), SIZE);
            },
            BatchSize::NumIterations(8),
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = send_recv, multipart, zero_copy
}
criterion_main!(benches);
