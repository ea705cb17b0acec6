//! Proxy throughput: the Rust twin of libzmq's `perf/proxy_thr`, with the same arguments and
//! output.
//!
//! ```text
//! cargo run --release --example proxy_thr -- 1 1000000
//! ```
//!
//! The topology of the C tool, all on inproc in one context with 4 I/O threads:
//!
//! ```text
//!   XPUB ---+
//!           +--> XSUB -> XPUB --> SUB
//!   XPUB ---+    (steerable proxy)
//! ```
//!
//! Two publisher threads flood the proxy with `<message-size>`-byte messages (each sends
//! `<message-count>` copies of one message, `zmq_msg_copy`, retrying at the high-water mark:
//! `ZMQ_XPUB_NODROP`, 1 ms send timeout); the clock runs from just before the publishers start
//! until the subscriber thread has received `<message-count>` messages. High-water marks are
//! 10000 everywhere. The proxy is a [`zmq::ProxyThread`] (the C tool steers `zmq_proxy_steerable`
//! with a REP socket and TERMINATE; ours uses the crate's control pipe to the same call).

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;
use std::time::Instant;

const HWM: i32 = 10_000;
const FRONTEND: [&str; 2] = ["inproc://perf_pub1", "inproc://perf_pub2"];
const BACKEND: &str = "inproc://perf_backend";

fn set_hwm<K: zmq::SocketKind>(socket: &zmq::Socket<K>) {
    check("zmq_setsockopt", socket.set_sndhwm(HWM));
    check("zmq_setsockopt", socket.set_rcvhwm(HWM));
}

fn publisher(ctx: zmq::Context, idx: usize, size: usize, count: u64) {
    let socket = check("zmq_socket", ctx.socket(zmq::XPUB));
    set_hwm(&socket);
    check("zmq_setsockopt", socket.set_xpub_nodrop(true));
    check(
        "zmq_setsockopt",
        socket.set_sndtimeo(Some(std::time::Duration::from_millis(1))),
    );
    check("zmq_connect", socket.connect(FRONTEND[idx]));

    // Wait before sending until the one subscriber has subscribed (to everything: one byte, 1).
    let mut buffer = [0u8; 32];
    let n = check("zmq_recv", socket.recv_into(&mut buffer)).len;
    if n != 1 {
        println!("invalid response length: expected 1, received {n}");
        std::process::exit(1);
    }
    if buffer[0] != 1 {
        println!("invalid response value: expected 1, received {}", buffer[0]);
        std::process::exit(1);
    }

    let mut original = check("zmq_msg_init_size", zmq::Message::with_size(size));
    original
        .data_mut()
        .expect("a fresh message's bytes are writable")
        .fill(b'A');
    let mut sent = 0u64;
    while sent < count {
        let mut msg = original.clone();
        // A failure is the 1 ms timeout at the high-water mark: the copy is dropped (closed)
        // and the next one tried, as the C tool does.
        if socket.send_msg(&mut msg).is_ok() {
            sent += 1;
        }
    }
}

fn subscriber(ctx: zmq::Context, count: u64) {
    let socket = check("zmq_socket", ctx.socket(zmq::SUB));
    set_hwm(&socket);
    check("zmq_setsockopt", socket.subscribe(""));
    check("zmq_connect", socket.connect(BACKEND));
    let mut msg = zmq::Message::new();
    let mut received = 0u64;
    while received < count {
        if socket.recv_msg(&mut msg).is_ok() {
            received += 1;
        }
    }
}

fn main() {
    let args = perf::Args::new("usage: proxy_thr <message-size> <message-count>", 2, 2);
    let (size, count) = (args.parse::<usize>(0), args.count(1));
    println!("message size: {size} [B]");
    println!("message count: {count}");

    let ctx = zmq::Context::new();
    check("zmq_ctx_set", ctx.set_io_threads(4));

    // The proxy: XSUB frontend bound for the publishers, XPUB backend (no drop) for the
    // subscriber.
    let frontend = check("zmq_socket", ctx.socket(zmq::XSUB));
    set_hwm(&frontend);
    for endpoint in FRONTEND {
        check("zmq_bind", frontend.bind(endpoint));
    }
    let backend = check("zmq_socket", ctx.socket(zmq::XPUB));
    check("zmq_setsockopt", backend.set_xpub_nodrop(true));
    set_hwm(&backend);
    check("zmq_bind", backend.bind(BACKEND));
    let proxy = check(
        "zmq_proxy_steerable",
        zmq::ProxyThread::spawn(frontend, backend),
    );

    let sub = {
        let ctx = ctx.clone();
        std::thread::spawn(move || subscriber(ctx, count))
    };

    let start = Instant::now();
    let publishers: Vec<_> = (0..2)
        .map(|idx| {
            let ctx = ctx.clone();
            std::thread::spawn(move || publisher(ctx, idx, size, count))
        })
        .collect();

    sub.join().expect("subscriber thread");
    let elapsed = (start.elapsed().as_micros() as u64).max(1);
    perf::print_throughput(size, count, elapsed);

    for p in publishers {
        p.join().expect("publisher thread");
    }
    check("zmq_proxy_steerable", proxy.stop());
}
