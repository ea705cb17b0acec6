//! PUB/SUB subscriber: connects to tcp://localhost:5555, subscribes to everything and prints what
//! arrives (the pyzmq subscriber of the seed document). Runs until killed, or for `--count N`.
//! `--connect ENDPOINT` listens to a publisher elsewhere.
//!
//! ```text
//! cargo run --example subscriber [-- --count N] [--connect ENDPOINT]
//! ```

fn main() -> Result<(), zmq::Error> {
    let count = arg_u64("--count");
    let context = zmq::Context::new();
    // Create a SUB socket and connect to the publisher.
    let socket = context.socket(zmq::SUB)?;
    let endpoint = arg("--connect").unwrap_or_else(|| "tcp://localhost:5555".into());
    socket.connect(&endpoint)?;
    // Subscribe to all messages (pyzmq: setsockopt_string(zmq.SUBSCRIBE, '')).
    socket.subscribe("")?;

    let mut received = 0u64;
    while count.is_none_or(|n| received < n) {
        let message = socket.recv_string()?;
        println!("Received: {message}");
        received += 1;
    }
    Ok(())
}

fn arg_u64(name: &str) -> Option<u64> {
    arg(name).and_then(|n| n.parse().ok())
}

/// The value after `name` on the command line, if any.
fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}
