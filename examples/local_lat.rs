//! Latency, echoing side: the Rust twin of libzmq's `perf/local_lat` (same arguments; it prints
//! nothing). See `remote_lat`.
//!
//! A REP socket binds `<bind-to>` and sends every request straight back: the received
//! [`zmq::Message`] itself is sent (no copy), and the same value is refilled by the next receive.

use std::process::exit;
use std::time::Duration;

const USAGE: &str = "usage: local_lat <bind-to> <message-size> <roundtrip-count>";

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
        (Ok(size), Ok(roundtrips)) => (size, roundtrips),
        _ => {
            println!("{USAGE}");
            exit(1);
        }
    };

    let ctx = zmq::Context::new();
    let socket = ctx
        .socket(zmq::REP)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    socket
        .bind(&args[1])
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let mut msg = zmq::Message::new();
    for _ in 0..roundtrips {
        let received = socket
            .recv_msg(&mut msg)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if received != size {
            println!("message of incorrect size received");
            exit(1);
        }
        // Sending moves the content out, as zmq_msg_send does; `msg` is left empty for the next
        // receive.
        if let Err(e) = socket.send(std::mem::take(&mut msg)) {
            fail("zmq_sendmsg", e.into());
        }
    }
    // As the C tool: give the last reply time to leave before closing.
    std::thread::sleep(Duration::from_secs(1));
}
