//! Task worker (PUSH/PULL task distribution, part 2 of 3): pulls workloads from the ventilator
//! on tcp://localhost:5557, "works" (sleeps) that many milliseconds, and pushes an empty result to
//! the sink on tcp://localhost:5558. Runs until killed. See `taskvent` for the whole setup.
//! `--connect ENDPOINT` and `--sink ENDPOINT` use a ventilator and a sink elsewhere.
//!
//! ```text
//! cargo run --example taskwork [-- --connect ENDPOINT] [--sink ENDPOINT]
//! ```

use std::io::Write;
use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();

    // Socket to receive messages on.
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(&arg("--connect").unwrap_or_else(|| "tcp://localhost:5557".into()))?;
    // Socket to send messages to.
    let sender = context.socket(zmq::PUSH)?;
    sender.connect(&arg("--sink").unwrap_or_else(|| "tcp://localhost:5558".into()))?;

    // Process tasks forever.
    loop {
        let task = receiver.recv_string()?;
        let msec: u64 = task.trim().parse().unwrap_or(0);
        // Simple progress indicator for the viewer.
        print!(".");
        let _ = std::io::stdout().flush();
        // Do the work.
        std::thread::sleep(Duration::from_millis(msec));
        // Send the result to the sink.
        sender.send(&b""[..])?;
    }
}

/// The value after `name` on the command line, if any.
fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}
