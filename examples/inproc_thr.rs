//! Throughput over `inproc://`: the Rust twin of libzmq's `perf/inproc_thr`, with the same
//! arguments and output.
//!
//! ```text
//! cargo run --release --example inproc_thr -- 1 10000000
//! ```
//!
//! A PULL socket binds `inproc://thr_test` in the main thread; a worker thread connects a PUSH
//! socket and sends `<message-count>` messages of `<message-size>` bytes. The clock starts once the
//! first message has arrived. One [`zmq::Message`] is reused for every receive.

use std::process::exit;
use std::time::Instant;

const USAGE: &str = "usage: inproc_thr <message-size> <message-count>";

fn fail(what: &str, e: zmq::Error) -> ! {
    eprintln!("error in {what}: {e}");
    exit(1)
}

fn worker(ctx: zmq::Context, size: usize, count: u64) {
    let socket = ctx
        .socket(zmq::PUSH)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    socket
        .connect("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    let payload = vec![0u8; size];
    for _ in 0..count {
        if let Err(e) = socket.send(&payload[..]) {
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
    let (size, count) = match (args[1].parse::<usize>(), args[2].parse::<u64>()) {
        (Ok(size), Ok(count)) if count > 0 => (size, count),
        _ => {
            println!("{USAGE}");
            exit(1);
        }
    };

    let ctx = zmq::Context::new();
    let socket = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    socket
        .bind("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));
    let sender = {
        let ctx = ctx.clone();
        std::thread::spawn(move || worker(ctx, size, count))
    };

    println!("message size: {size} [B]");
    println!("message count: {count}");

    let mut msg = zmq::Message::new();
    let received = socket
        .recv_msg(&mut msg)
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    if received != size {
        println!("message of incorrect size received");
        exit(1);
    }
    let start = Instant::now();
    for _ in 1..count {
        let received = socket
            .recv_msg(&mut msg)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if received != size {
            println!("message of incorrect size received");
            exit(1);
        }
    }
    let elapsed = (start.elapsed().as_micros() as u64).max(1);
    if sender.join().is_err() {
        eprintln!("error: the sending thread panicked");
        exit(1);
    }

    let throughput = (count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput as f64 * size as f64 * 8.0) / 1_000_000.0;
    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
