//! Hello World server, async (feature `tokio`): the `hwserver` example on tokio. A REP socket
//! bound to tcp://*:5555 answers each "Hello" with "World" after a second of 'work' that does not
//! block the runtime. Runs until killed, or for `--count N` requests; `--bind ENDPOINT` listens
//! elsewhere (e.g. `tcp://127.0.0.1:*`) and prints the endpoint bound on stderr.
//!
//! ```text
//! cargo run --features tokio --example async_server [-- --count N] [--bind ENDPOINT]
//! ```

use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), zmq::Error> {
    let count = arg("--count").and_then(|n| n.parse::<u64>().ok());
    let context = zmq::Context::new();
    let socket = context.async_socket(zmq::REP)?;
    match arg("--bind") {
        Some(endpoint) => {
            socket.bind(&endpoint)?;
            eprintln!("bound to {}", socket.last_endpoint()?);
        }
        None => socket.bind("tcp://*:5555")?,
    }

    let mut served = 0u64;
    while count.is_none_or(|n| served < n) {
        // Wait for the next request from a client; other tasks run meanwhile.
        let message = socket.recv().await?;
        println!("Received request: {}", String::from_utf8_lossy(&message));
        // Do some 'work'.
        tokio::time::sleep(Duration::from_secs(1)).await;
        // Send the reply back to the client.
        socket.send("World").await?;
        served += 1;
    }
    Ok(())
}

/// The value after `name` on the command line, if any.
fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}
