//! Throughput, sending side: the Rust twin of libzmq's `perf/remote_thr` (same arguments; it
//! prints nothing). See `local_thr`.
//!
//! A PUSH socket connects to `<connect-to>` and sends `<message-count>` messages of
//! `<message-size>` bytes. Each send hands libzmq a borrowed slice (`zmq_send`), which builds the
//! message inside libzmq as the C tool's `zmq_msg_init_size` + `zmq_msg_send` does. A non-zero
//! `<enable_curve>` turns on CURVE with the C tool's fixed keys.

use std::process::exit;

const USAGE: &str =
    "usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]";
// The C tool's keys (perf/remote_thr.cpp).
const SERVER_PUBLIC: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBLIC: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_SECRET: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        println!("{USAGE}");
        exit(1);
    }
    let parsed = (
        args[2].parse::<usize>(),
        args[3].parse::<u64>(),
        args.get(4).map_or(Ok(0), |a| a.parse::<i64>()),
    );
    let (size, count, curve) = match parsed {
        (Ok(size), Ok(count), Ok(curve)) => (size, count, curve != 0),
        _ => {
            println!("{USAGE}");
            exit(1);
        }
    };

    let ctx = zmq::Context::new();
    let socket = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        let keys = socket
            .set_curve_secretkey(CLIENT_SECRET)
            .and_then(|()| socket.set_curve_publickey(CLIENT_PUBLIC))
            .and_then(|()| socket.set_curve_serverkey(SERVER_PUBLIC));
        keys.unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    socket
        .connect(&args[1])
        .unwrap_or_else(|e| fail("zmq_connect", e));

    let payload = vec![0u8; size];
    for _ in 0..count {
        if let Err(e) = socket.send(&payload[..]) {
            fail("zmq_sendmsg", e.into());
        }
    }
    // Dropping the socket and the context waits until everything queued has gone out (linger).
}
