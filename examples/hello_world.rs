//! The README's demo: a REQ client and a REP server ("Hello" → "World") in one process.
//!
//! The server runs in a thread bound to a free port on 127.0.0.1; the client connects, sends ten
//! requests and prints each reply, then both sockets close and the program exits.
//!
//! ```text
//! cargo run --example hello_world
//! ```

use std::thread;

fn main() -> Result<(), zmq::Error> {
    let ctx = zmq::Context::new();

    // Server: binds first, so the client knows where to connect.
    let server = ctx.socket(zmq::REP)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;
    println!("server listening on {endpoint}");

    let handle = thread::spawn(move || -> Result<(), zmq::Error> {
        for _ in 0..10 {
            let request = server.recv_string()?;
            println!("server: received request: {request}");
            server.send("World")?;
        }
        Ok(())
    });

    // Client, as in the ZeroMQ guide's hwclient.
    println!("Connecting to hello world server…");
    let client = ctx.socket(zmq::REQ)?;
    client.connect(&endpoint)?;
    for request in 0..10 {
        println!("Sending request {request} …");
        client.send("Hello")?;
        let reply = client.recv()?;
        println!(
            "Received reply {request} [ {} ]",
            String::from_utf8_lossy(&reply)
        );
    }

    handle.join().expect("server thread panicked")?;
    Ok(())
}
