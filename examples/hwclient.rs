//! Hello World client: connects a REQ socket to tcp://localhost:5555, sends "Hello" ten times and
//! prints each "World" reply. A port of the pyzmq example; start `hwserver` first.
//!
//! ```text
//! cargo run --example hwclient
//! ```

fn main() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();

    // Socket to talk to the server.
    println!("Connecting to hello world server…");
    let socket = context.socket(zmq::REQ)?;
    socket.connect("tcp://localhost:5555")?;

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
