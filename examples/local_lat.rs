//! Latency, echoing side: the Rust twin of libzmq's `perf/local_lat` (same arguments; it prints
//! nothing). See `remote_lat`.
//!
//! A REP socket binds `<bind-to>` and sends every request straight back: the received
//! [`zmq::Message`] itself is sent (no copy), and the same value is refilled by the next receive.

use std::time::Duration;

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new(
        "usage: local_lat <bind-to> <message-size> <roundtrip-count>",
        3,
        3,
    );
    let (size, roundtrips) = (args.parse::<usize>(1), args.parse::<u64>(2));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.socket(zmq::REP));
    check("zmq_bind", socket.bind(args.text(0)));
    perf::echo(&socket, Some(size), roundtrips);
    // As the C tool: give the last reply time to leave before closing.
    std::thread::sleep(Duration::from_secs(1));
}
