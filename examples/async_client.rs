//! Hello World client, async (feature `tokio`): the `hwclient` example on tokio. A REQ socket
//! connected to tcp://localhost:5555 sends "Hello" ten times and prints each "World" reply,
//! giving up on a reply after 5 seconds (the receive is cancel-safe: a timeout loses nothing).
//! Start `async_server` (or `hwserver`) first; `--connect ENDPOINT` talks to a server elsewhere.
//!
//! ```text
//! cargo run --features tokio --example async_client [-- --connect ENDPOINT]
//! ```

use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let context = zmq::Context::new();

    // Socket to talk to the server.
    println!("Connecting to hello world server…");
    let socket = context.async_socket(zmq::REQ)?;
    let endpoint = arg("--connect").unwrap_or_else(|| "tcp://localhost:5555".into());
    socket.connect(&endpoint)?;

    // Do 10 requests, waiting each time for a response.
    for request in 0..10 {
        println!("Sending request {request} …");
        socket.send("Hello").await?;
        // Get the reply.
        let message = tokio::time::timeout(Duration::from_secs(5), socket.recv()).await??;
        println!(
            "Received reply {request} [ {} ]",
            String::from_utf8_lossy(&message)
        );
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
