//! A ROUTER/DEALER request broker: clients (REQ) connect to the frontend, workers (REP) to the
//! backend, and a proxy thread shuttles requests and replies between them, keeping each reply's
//! envelope so it finds its way back. Self-contained: the broker, three workers and a client run
//! in one process, and it exits after the client's requests are answered.
//!
//! ```text
//! cargo run --example broker
//! ```

use std::thread;
use std::time::Duration;

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new();

    // The broker: ROUTER for clients, DEALER for workers, a steerable proxy between them.
    let frontend = ctx.socket(zmq::ROUTER)?;
    frontend.bind("tcp://127.0.0.1:*")?;
    let front_endpoint = frontend.last_endpoint()?;
    let backend = ctx.socket(zmq::DEALER)?;
    backend.bind("inproc://workers")?;
    let broker = zmq::ProxyThread::spawn(frontend, backend)?;
    println!("broker: clients connect to {front_endpoint}");

    // Workers: each answers with its name, until the context shuts down.
    let mut workers = Vec::new();
    for id in 0..3 {
        let worker = ctx.socket(zmq::REP)?;
        worker.connect("inproc://workers")?;
        workers.push(thread::spawn(move || -> zmq::Result<()> {
            loop {
                let request = match worker.recv_string() {
                    Ok(r) => r,
                    Err(e) if e.is_terminated() => return Ok(()),
                    Err(e) => return Err(e.into()),
                };
                thread::sleep(Duration::from_millis(10)); // "work"
                worker.send(format!("{request} handled by worker {id}"))?;
            }
        }));
    }

    // A client: ten requests, each reply printed.
    let client = ctx.socket(zmq::REQ)?;
    client.set_rcvtimeo(Some(Duration::from_secs(5)))?;
    client.connect(&front_endpoint)?;
    for n in 0..10 {
        client.send(format!("request {n}"))?;
        println!("client: {}", client.recv_string()?);
    }
    drop(client);

    // Shut down: stop the proxy, then wake the workers blocked in recv with ETERM.
    broker.stop()?;
    ctx.shutdown()?;
    for w in workers {
        w.join().expect("worker panicked")?;
    }
    Ok(())
}
