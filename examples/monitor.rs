//! Socket monitoring: prints every event of a socket as a peer connects, exchanges a message and
//! goes away (CONNECT_DELAYED, CONNECTED, HANDSHAKE_SUCCEEDED, DISCONNECTED, CLOSED, ...).
//!
//! ```text
//! cargo run --example monitor
//! ```

use std::time::Duration;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;

    let client = ctx.socket(zmq::REQ)?;
    let monitor = client.monitor(zmq::MonitorEvents::ALL)?;
    client.connect(&endpoint)?;
    client.send("ping")?;
    server.recv()?;
    server.send("pong")?;
    client.recv()?;

    // The server goes away: the client sees the disconnection and retries.
    drop(server);

    let mut seen = 0;
    while let Some(event) = monitor.next_event(Duration::from_millis(500))? {
        println!("{event}");
        seen += 1;
        if seen >= 8 {
            break;
        }
    }
    Ok(())
}
