//! Throughput, receiving side: the Rust twin of libzmq's `perf/local_thr`, with the same
//! arguments and output, so either side can be swapped for the C tool.
//!
//! ```text
//! cargo run --release --example local_thr -- tcp://127.0.0.1:5555 1 1000000 &
//! cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 1 1000000
//! ```
//!
//! A PULL socket binds `<bind-to>`; the clock starts once the first message has arrived and stops
//! after the other `<message-count> - 1`. One [`zmq::Message`] is reused for every receive.
//! A non-zero `<enable_curve>` turns on CURVE with the same fixed keys as the C tool.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new(
        "usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]",
        3,
        4,
    );
    let (size, count, curve) = (args.parse::<usize>(1), args.count(2), args.flag(3));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.socket(zmq::PULL));
    if curve {
        check(
            "zmq_setsockopt",
            socket.set_curve_secretkey(perf::SERVER_SECRET),
        );
        check("zmq_setsockopt", socket.set_curve_server(true));
    }
    check("zmq_bind", socket.bind(args.text(0)));

    let elapsed = perf::receive_timed(&socket, size, count);
    println!("message size: {size} [B]");
    println!("message count: {count}");
    perf::print_throughput(size, count, elapsed);
}
