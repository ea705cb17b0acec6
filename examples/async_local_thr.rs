//! Throughput, receiving side, async (feature `tokio`): `local_thr` on an [`zmq::AsyncSocket`],
//! with libzmq's `perf/local_thr` arguments and output, so either side can be the C tool, the
//! blocking Rust tool or this one.
//!
//! ```text
//! cargo run --release --features tokio --example async_local_thr -- tcp://127.0.0.1:5555 1 1000000 &
//! cargo run --release --features tokio --example async_remote_thr -- tcp://127.0.0.1:5555 1 1000000
//! ```
//!
//! A PULL socket binds `<bind-to>` on a current-thread tokio runtime; `recv_msg(..).await` fills
//! one reused [`zmq::Message`]; the clock starts once the first message has arrived and stops
//! after the other `<message-count> - 1`. A non-zero `<enable_curve>` turns on CURVE with the C
//! tool's fixed keys.

use std::time::Instant;

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = perf::Args::new(
        "usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]",
        3,
        4,
    );
    let (size, count, curve) = (args.parse::<usize>(1), args.count(2), args.flag(3));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.async_socket(zmq::PULL));
    if curve {
        let s = socket.lock();
        check("zmq_setsockopt", s.set_curve_secretkey(perf::SERVER_SECRET));
        check("zmq_setsockopt", s.set_curve_server(true));
    }
    check("zmq_bind", socket.bind(args.text(0)));

    let mut msg = zmq::Message::new();
    check_size(check("zmq_recvmsg", socket.recv_msg(&mut msg).await), size);
    let start = Instant::now();
    for _ in 1..count {
        let received = socket.recv_msg(&mut msg).await;
        check_size(check("zmq_recvmsg", received), size);
    }
    let elapsed = (start.elapsed().as_micros() as u64).max(1);

    println!("message size: {size} [B]");
    println!("message count: {count}");
    perf::print_throughput(size, count, elapsed);
}

fn check_size(received: usize, size: usize) {
    if received != size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}
