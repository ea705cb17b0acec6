//! PUB/SUB publisher: binds tcp://*:5555 and sends "Hello World" once a second (the pyzmq
//! publisher of the seed document). Runs until killed, or for `--count N` messages.
//! `--bind ENDPOINT` publishes elsewhere (e.g. `tcp://127.0.0.1:*`) and prints the endpoint bound
//! on stderr.
//!
//! ```text
//! cargo run --example publisher [-- --count N] [--bind ENDPOINT]
//! ```

use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let count = arg_u64("--count");
    let context = zmq::Context::new();
    let socket = context.socket(zmq::PUB)?;
    match arg("--bind") {
        Some(endpoint) => {
            socket.bind(&endpoint)?;
            eprintln!("bound to {}", socket.last_endpoint()?);
        }
        None => socket.bind("tcp://*:5555")?,
    }

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
