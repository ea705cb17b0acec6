//! Latency over `inproc://`: the Rust twin of libzmq's `perf/inproc_lat`, with the same arguments
//! and output.
//!
//! ```text
//! cargo run --release --example inproc_lat -- 1 100000
//! ```
//!
//! A REQ socket binds `inproc://lat_test` in the main thread; a worker thread connects a REP socket
//! and echoes. The latency printed is one way (elapsed time over twice the roundtrips). One
//! [`zmq::Message`] goes back and forth on each side.

use std::process::exit;
use std::time::Instant;

const USAGE: &str = "usage: inproc_lat <message-size> <roundtrip-count>";

fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1)
}

fn worker(ctx: zmq::Context, roundtrips: u64) {
    let socket = ctx
        .socket(zmq::REP)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    socket
        .connect("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    let mut msg = zmq::Message::new();
    for _ in 0..roundtrips {
        socket
            .recv_msg(&mut msg)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if let Err(e) = socket.send(std::mem::take(&mut msg)) {
            fail("zmq_sendmsg", e.into());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        println!("{USAGE}");
        exit(1);
    }
    let (size, roundtrips) = match (args[1].parse::<usize>(), args[2].parse::<u64>()) {
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
        .bind("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let echo = {
        let ctx = ctx.clone();
        std::thread::spawn(move || worker(ctx, roundtrips))
    };

    let mut msg = zmq::Message::with_size(size).unwrap_or_else(|e| fail("zmq_msg_init_size", e));
    println!("message size: {size} [B]");
    println!("roundtrip count: {roundtrips}");

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
    if echo.join().is_err() {
        eprintln!("error: the echoing thread panicked");
        exit(1);
    }

    let latency = elapsed / (roundtrips as f64 * 2.0);
    println!("average latency: {latency:.3} [us]");
}
