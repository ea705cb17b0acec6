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

use std::process::exit;
use std::time::Instant;

const USAGE: &str = "usage: remote_lat <connect-to> <message-size> <roundtrip-count>";

fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("{USAGE}");
        exit(1);
    }
    let (size, roundtrips) = match (args[2].parse::<usize>(), args[3].parse::<u64>()) {
        (Ok(size), Ok(roundtrips)) if roundtrips > 0 => (size, roundtrips),
        _ => {
            println!("{USAGE}");
            exit(1);
        }
    };

    let ctx = zmq::Context::new();
    let socket = ctx
        .socket(zmq::REQ)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    socket
        .connect(&args[1])
        .unwrap_or_else(|e| fail("zmq_connect", e));

    let mut msg = zmq::Message::with_size(size).unwrap_or_else(|e| fail("zmq_msg_init_size", e));
    let start = Instant::now();
    for _ in 0..roundtrips {
        if let Err(e) = socket.send(std::mem::take(&mut msg)) {
            fail("zmq_sendmsg", e.into());
        }
        let received = socket
            .recv_msg(&mut msg)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if received != size {
            println!("message of incorrect size received");
            exit(1);
        }
    }
    let elapsed = start.elapsed().as_micros() as f64;

    let latency = elapsed / (roundtrips as f64 * 2.0);
    println!("message size: {size} [B]");
    println!("roundtrip count: {roundtrips}");
    println!("average latency: {latency:.3} [us]");
}
