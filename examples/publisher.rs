//! PUB/SUB publisher: binds tcp://*:5555 and sends "Hello World" once a second (the pyzmq
//! publisher of the seed document). Runs until killed, or for `--count N` messages.
//!
//! ```text
//! cargo run --example publisher [-- --count N]
//! ```

use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let count = arg_u64("--count");
    let context = zmq::Context::new();
    let socket = context.socket(zmq::PUB)?;
    socket.bind("tcp://*:5555")?;

    let mut sent = 0u64;
    while count.is_none_or(|n| sent < n) {
        let message = "Hello World";
        socket.send(message)?;
        println!("Sent: {message}");
        sent += 1;
        std::thread::sleep(Duration::from_secs(1));
    }
    Ok(())
}

fn arg_u64(name: &str) -> Option<u64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
}
