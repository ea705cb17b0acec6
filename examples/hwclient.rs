//! Hello World client: connects a REQ socket to tcp://localhost:5555, sends "Hello" ten times and
//! prints each "World" reply. A port of the pyzmq example; start `hwserver` first.
//! `--connect ENDPOINT` talks to a server elsewhere.
//!
//! ```text
//! cargo run --example hwclient [-- --connect ENDPOINT]
//! ```

fn main() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();

    // Socket to talk to the server.
    println!("Connecting to hello world server…");
    let socket = context.socket(zmq::REQ)?;
    let endpoint = arg("--connect").unwrap_or_else(|| "tcp://localhost:5555".into());
    socket.connect(&endpoint)?;

    // Do 10 requests, waiting each time for a response.
    for request in 0..10 {
        println!("Sending request {request} …");
        socket.send("Hello")?;
        // Get the reply.
        let message = socket.recv()?;
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
