//! Latency, measuring side, async (feature `tokio`): `remote_lat` on an [`zmq::AsyncSocket`],
//! with libzmq's `perf/remote_lat` arguments and output.
//!
//! ```text
//! cargo run --release --features tokio --example async_local_lat -- tcp://127.0.0.1:5556 1 20000 &
//! cargo run --release --features tokio --example async_remote_lat -- tcp://127.0.0.1:5556 1 20000
//! ```
//!
//! A REQ socket connects to `<connect-to>` on a current-thread tokio runtime, sends a
//! zero-filled message of `<message-size>` bytes and awaits the echo, `<roundtrip-count>` times;
//! one [`zmq::Message`] goes back and forth (`send_msg` / `recv_msg`). The latency printed is one
//! way: the elapsed time over twice the roundtrips, as in the C tool.

use std::time::Instant;

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = perf::Args::new(
        "usage: remote_lat <connect-to> <message-size> <roundtrip-count>",
        3,
        3,
    );
    let (size, roundtrips) = (args.parse::<usize>(1), args.count(2));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.async_socket(zmq::REQ));
    check("zmq_connect", socket.connect(args.text(0)));

    let mut msg = check("zmq_msg_init_size", zmq::Message::with_size(size));
    let start = Instant::now();
    for _ in 0..roundtrips {
        check("zmq_sendmsg", socket.send_msg(&mut msg).await);
        let received = check("zmq_recvmsg", socket.recv_msg(&mut msg).await);
        if received != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    }
    let elapsed = start.elapsed().as_micros() as f64;

    println!("message size: {size} [B]");
    println!("roundtrip count: {roundtrips}");
    perf::print_latency(elapsed, roundtrips);
}
