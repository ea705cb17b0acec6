//! Throughput, sending side: the Rust twin of libzmq's `perf/remote_thr` (same arguments; it
//! prints nothing). See `local_thr`.
//!
//! A PUSH socket connects to `<connect-to>` and sends `<message-count>` messages of
//! `<message-size>` bytes. Each send hands libzmq a borrowed slice (`zmq_send`), which builds the
//! message inside libzmq as the C tool's `zmq_msg_init_size` + `zmq_msg_send` does. A non-zero
//! `<enable_curve>` turns on CURVE with the C tool's fixed keys.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

fn main() {
    let args = perf::Args::new(
        "usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]",
        3,
        4,
    );
    let (size, count, curve) = (args.parse::<usize>(1), args.parse::<u64>(2), args.flag(3));

    let ctx = zmq::Context::new();
    // libzmq's default, as in the C tool: closing waits for every queued message, however long
    // (this crate's default linger is a finite 5 s).
    ctx.set_default_linger(None);
    let socket = check("zmq_socket", ctx.socket(zmq::PUSH));
    if curve {
        check(
            "zmq_setsockopt",
            socket.set_curve_secretkey(perf::CLIENT_SECRET),
        );
        check(
            "zmq_setsockopt",
            socket.set_curve_publickey(perf::CLIENT_PUBLIC),
        );
        check(
            "zmq_setsockopt",
            socket.set_curve_serverkey(perf::SERVER_PUBLIC),
        );
    }
    check("zmq_connect", socket.connect(args.text(0)));
    perf::send_all(&socket, size, count);
    // Dropping the socket and the context waits until everything queued has gone out (linger).
}
