//! Hello World server: binds a REP socket to tcp://*:5555, expects "Hello", replies "World".
//! A port of the pyzmq example; runs until killed (or for `--count N` requests). `--bind ENDPOINT`
//! listens elsewhere (e.g. `tcp://127.0.0.1:*`) and prints the endpoint bound on stderr.
//!
//! ```text
//! cargo run --example hwserver [-- --count N] [--bind ENDPOINT]
//! ```

use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let count = count_arg();
    let context = zmq::Context::new();
    let socket = context.socket(zmq::REP)?;
    match arg("--bind") {
        Some(endpoint) => {
            socket.bind(&endpoint)?;
            eprintln!("bound to {}", socket.last_endpoint()?);
        }
        None => socket.bind("tcp://*:5555")?,
    }

    let mut served = 0u64;
    while count.is_none_or(|n| served < n) {
        // Wait for the next request from a client.
        let message = socket.recv()?;
        println!("Received request: {}", String::from_utf8_lossy(&message));
        // Do some 'work'.
        std::thread::sleep(Duration::from_secs(1));
        // Send the reply back to the client.
        socket.send("World")?;
        served += 1;
    }
    Ok(())
}

fn count_arg() -> Option<u64> {
    arg("--count").and_then(|n| n.parse().ok())
}

/// The value after `name` on the command line, if any.
fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}
