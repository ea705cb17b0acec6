//! Latency, echoing side, async (feature `tokio`): `local_lat` on an [`zmq::AsyncSocket`], with
//! libzmq's `perf/local_lat` arguments (it prints nothing). See `async_remote_lat`.
//!
//! A REP socket binds `<bind-to>` on a current-thread tokio runtime and sends every request
//! straight back: the received [`zmq::Message`] itself is sent (`send_msg`, no copy), and the same
//! value is refilled by the next `recv_msg`.

use std::time::Duration;

#[path = "perf_common/mod.rs"]
mod perf;
use perf::check;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = perf::Args::new(
        "usage: local_lat <bind-to> <message-size> <roundtrip-count>",
        3,
        3,
    );
    let (size, roundtrips) = (args.parse::<usize>(1), args.parse::<u64>(2));

    let ctx = zmq::Context::new();
    let socket = check("zmq_socket", ctx.async_socket(zmq::REP));
    check("zmq_bind", socket.bind(args.text(0)));
    let mut msg = zmq::Message::new();
    for _ in 0..roundtrips {
        let received = check("zmq_recvmsg", socket.recv_msg(&mut msg).await);
        if received != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
        check("zmq_sendmsg", socket.send_msg(&mut msg).await);
    }
    // As the C tool: give the last reply time to leave before closing.
    tokio::time::sleep(Duration::from_secs(1)).await;
}
