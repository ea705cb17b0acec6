//! Building a message: the safe constructors against the raw `zmq_msg_init_*` calls they wrap,
//! each including the close (drop). Both sides only expose the message's address to the
//! optimiser (`black_box(ptr)`), not the 64-byte value itself.
//!
//! `cargo bench --bench message`.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use std::ffi::c_void;
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;
use zmq::ffi;

const SIZES: &[(usize, &str)] = &[(64, "64B"), (1024, "1KiB"), (64 * 1024, "64KiB")];

/// The raw side's free function for a leaked `Vec<u8>` (capacity in the hint), as a C program
/// handing its buffer to `zmq_msg_init_data` would have.
unsafe extern "C" fn free_vec(data: *mut c_void, hint: *mut c_void) {
    // SAFETY: `data` and the capacity in `hint` come from a Vec<u8> leaked by the benchmark;
    // libzmq calls this once.
    drop(unsafe { Vec::from_raw_parts(data as *mut u8, 0, hint as usize) });
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("message_build");
    for &(size, label) in SIZES {
        let buf = vec![5u8; size];

        group.bench_function(BenchmarkId::new("raw_init_size_memcpy", label), |b| {
            b.iter(|| {
                let mut m = MaybeUninit::<ffi::zmq_msg_t>::uninit();
                // SAFETY: init_size initialises the message (asserted), whose buffer is `size`
                // bytes; it is closed once at the end.
                unsafe {
                    assert_eq!(ffi::zmq_msg_init_size(m.as_mut_ptr(), size), 0);
                    let data = ffi::zmq_msg_data(m.as_mut_ptr()) as *mut u8;
                    std::ptr::copy_nonoverlapping(black_box(buf.as_ptr()), data, size);
                    black_box(m.as_mut_ptr());
                    ffi::zmq_msg_close(m.as_mut_ptr());
                }
            })
        });
        group.bench_function(BenchmarkId::new("safe_from_slice", label), |b| {
            b.iter(|| {
                let m = zmq::Message::from_slice(black_box(&buf[..]));
                black_box(m.as_raw());
            })
        });

        group.bench_function(BenchmarkId::new("raw_init_size_memset", label), |b| {
            b.iter(|| {
                let mut m = MaybeUninit::<ffi::zmq_msg_t>::uninit();
                // SAFETY: as above, with the buffer zeroed instead of copied into.
                unsafe {
                    assert_eq!(ffi::zmq_msg_init_size(m.as_mut_ptr(), size), 0);
                    let data = ffi::zmq_msg_data(m.as_mut_ptr()) as *mut u8;
                    std::ptr::write_bytes(data, 0, size);
                    black_box(m.as_mut_ptr());
                    ffi::zmq_msg_close(m.as_mut_ptr());
                }
            })
        });
        group.bench_function(BenchmarkId::new("safe_with_size", label), |b| {
            b.iter(|| {
                let m = zmq::Message::with_size(black_box(size)).unwrap();
                black_box(m.as_raw());
            })
        });

        // Zero copy: a fresh Vec per iteration (made outside the timing); the timing covers
        // wrapping it and freeing it through the free function.
        group.bench_function(BenchmarkId::new("raw_init_data_vec", label), |b| {
            b.iter_batched(
                || buf.clone(),
                |v| {
                    let mut v = std::mem::ManuallyDrop::new(v);
                    let (ptr, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
                    let mut m = MaybeUninit::<ffi::zmq_msg_t>::uninit();
                    // SAFETY: the leaked Vec's buffer is handed to libzmq, which calls free_vec
                    // once (at the close) with the capacity as hint.
                    unsafe {
                        let rc = ffi::zmq_msg_init_data(
                            m.as_mut_ptr(),
                            ptr as *mut c_void,
                            len,
                            Some(free_vec),
                            cap as *mut c_void,
                        );
                        assert_eq!(rc, 0);
                        black_box(m.as_mut_ptr());
                        ffi::zmq_msg_close(m.as_mut_ptr());
                    }
                },
                BatchSize::SmallInput,
            )
        });
        group.bench_function(BenchmarkId::new("safe_from_vec_zero_copy", label), |b| {
            b.iter_batched(
                || buf.clone(),
                |v| {
                    let m = zmq::Message::from_vec_zero_copy(v);
                    black_box(m.as_raw());
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = build
}
criterion_main!(benches);
