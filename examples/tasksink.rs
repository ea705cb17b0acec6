//! Task sink (PUSH/PULL task distribution, part 3 of 3): binds a PULL socket to tcp://*:5558,
//! waits for the ventilator's start signal, collects 100 results and prints how long the batch
//! took. See `taskvent` for the whole setup.
//!
//! ```text
//! cargo run --example tasksink
//! ```

use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), zmq::Error> {
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    receiver.bind("tcp://*:5558")?;

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
