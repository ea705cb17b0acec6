//! Throughput, sending side, async (feature `tokio`): `remote_thr` on an [`zmq::AsyncSocket`],
//! with libzmq's `perf/remote_thr` arguments (it prints nothing). See `async_local_thr`.
//!
//! A PUSH socket connects to `<connect-to>` on a current-thread tokio runtime and sends
//! `<message-count>` zero-filled messages of `<message-size>` bytes with `send(..).await`, each
//! from a borrowed slice as the blocking tool does. A non-zero `<enable_curve>` turns on CURVE
//! with the C tool's fixed keys.

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = perf::Args::new(
        "usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]",
        3,
        4,
    );
    let (size, count, curve) = (args.parse::<usize>(1), args.parse::<u64>(2), args.flag(3));

    let ctx = zmq::Context::new();
    // libzmq's default, as in the C tool: closing waits for every queued message.
    ctx.set_default_linger(None);
    let socket = check("zmq_socket", ctx.async_socket(zmq::PUSH));
    if curve {
        let s = socket.lock();
        check("zmq_setsockopt", s.set_curve_secretkey(perf::CLIENT_SECRET));
        check("zmq_setsockopt", s.set_curve_publickey(perf::CLIENT_PUBLIC));
        check("zmq_setsockopt", s.set_curve_serverkey(perf::SERVER_PUBLIC));
    }
    check("zmq_connect", socket.connect(args.text(0)));
    let payload = vec![0u8; size];
    for _ in 0..count {
        let sent = socket.send(&payload[..]).await;
        check("zmq_sendmsg", sent);
    }
    // Dropping the socket and the context waits until everything queued has gone out (linger).
}
