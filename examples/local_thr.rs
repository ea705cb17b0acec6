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

use std::process::exit;
use std::time::Instant;

const USAGE: &str = "usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]";
// The C tool's server secret key (perf/local_thr.cpp), so both sides can be mixed under CURVE.
const SERVER_SECRET: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

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
        (Ok(size), Ok(count), Ok(curve)) if count > 0 => (size, count, curve != 0),
        _ => {
            println!("{USAGE}");
            exit(1);
        }
    };

    let ctx = zmq::Context::new();
    let socket = ctx
        .socket(zmq::PULL)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        socket
            .set_curve_secretkey(SERVER_SECRET)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        socket
            .set_curve_server(true)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    socket
        .bind(&args[1])
        .unwrap_or_else(|e| fail("zmq_bind", e));

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

    let throughput = count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as u64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
