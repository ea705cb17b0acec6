//! Task ventilator (PUSH/PULL task distribution, part 1 of 3): binds a PUSH socket to
//! tcp://*:5557, waits for Enter (so the workers can connect first), then sends 100 tasks, each
//! a workload in milliseconds, and tells the sink (tcp://localhost:5558) that the batch started.
//!
//! ```text
//! cargo run --example tasksink &          # collects results
//! cargo run --example taskwork &          # start one or more workers
//! cargo run --example taskvent            # press Enter when the workers are ready
//! ```
//! `--no-wait` skips the Enter prompt (it waits one second instead). `--bind ENDPOINT` sends the
//! tasks from another endpoint (the endpoint bound is printed on stderr) and `--sink ENDPOINT`
//! talks to a sink elsewhere.

use std::io::BufRead;
use std::time::Duration;

fn main() -> Result<(), zmq::Error> {
    let no_wait = std::env::args().any(|a| a == "--no-wait");
    let context = zmq::Context::new();

    // Socket to send tasks on.
    let sender = context.socket(zmq::PUSH)?;
    match arg("--bind") {
        Some(endpoint) => {
            sender.bind(&endpoint)?;
            eprintln!("bound to {}", sender.last_endpoint()?);
        }
        None => sender.bind("tcp://*:5557")?,
    }
    // Socket with a direct link to the sink: tells it the batch has started.
    let sink = context.socket(zmq::PUSH)?;
    sink.connect(&arg("--sink").unwrap_or_else(|| "tcp://localhost:5558".into()))?;

    if no_wait {
        std::thread::sleep(Duration::from_secs(1));
    } else {
        println!("Press Enter when the workers are ready: ");
        let _ = std::io::stdin().lock().lines().next();
    }
    println!("Sending tasks to workers…");

    // The first message is "0" and signals the start of the batch.
    sink.send("0")?;

    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7)
        | 1;
    let mut total_msec = 0u64;
    for _ in 0..100 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // A random workload from 1 to 100 msecs.
        let workload = seed % 100 + 1;
        total_msec += workload;
        sender.send(workload.to_string())?;
    }
    println!("Total expected cost: {total_msec} msec");
    // Give libzmq time to deliver before the sockets close (linger covers the rest).
    std::thread::sleep(Duration::from_secs(1));
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
