//! Task sink (PUSH/PULL task distribution, part 3 of 3): binds a PULL socket to tcp://*:5558,
//! waits for the ventilator's start signal, collects 100 results and prints how long the batch
//! took. See `taskvent` for the whole setup. `--bind ENDPOINT` collects on another endpoint (the
//! endpoint bound is printed on stderr).
//!
//! ```text
//! cargo run --example tasksink [-- --bind ENDPOINT]
//! ```

use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    match arg("--bind") {
        Some(endpoint) => {
            receiver.bind(&endpoint)?;
            eprintln!("bound to {}", receiver.last_endpoint()?);
        }
        None => receiver.bind("tcp://*:5558")?,
    }

    // Wait for the start of the batch.
    receiver.recv()?;
    let start = Instant::now();

    // Process 100 confirmations.
    for task in 0..100 {
        receiver.recv()?;
        print!("{}", if task % 10 == 0 { ":" } else { "." });
        let _ = std::io::stdout().flush();
    }
    println!("\nTotal elapsed time: {} msec", start.elapsed().as_millis());
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
