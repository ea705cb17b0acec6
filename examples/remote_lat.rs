//! Latency, measuring side: the Rust twin of libzmq's `perf/remote_lat`, with the same arguments
//! and output.
//!
//! ```text
//! cargo run --release --example local_lat -- tcp://127.0.0.1:5556 1 20000 &
//! cargo run --release --example remote_lat -- tcp://127.0.0.1:5556 1 20000
//! ```
//!
//! A REQ socket connects to `<connect-to>`, sends a zero-filled message of `<message-size>` bytes
//! and waits for the echo, `<roundtrip-count>` times. The latency printed is one way: the elapsed
//! time over twice the roundtrips, as in the C tool. One [`zmq::Message`] goes back and forth.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new(
        "usage: remote_lat <connect-to> <message-size> <roundtrip-count>",
        3,
        3,
    );
    let (size, roundtrips) = (args.parse::<usize>(1), args.count(2));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.socket(zmq::REQ));
    check("zmq_connect", socket.connect(args.text(0)));

    let elapsed = perf::roundtrips(&socket, size, roundtrips);
    println!("message size: {size} [B]");
    println!("roundtrip count: {roundtrips}");
    perf::print_latency(elapsed, roundtrips);
}
