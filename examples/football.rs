//! The football broadcaster: a PUB socket on tcp://127.0.0.1:5000 sending "<country> <event>"
//! messages, where the country is the topic subscribers filter on. With `--fan COUNTRY` it runs a
//! subscriber instead, printing only that country's events.
//!
//! ```text
//! cargo run --example football                  # broadcaster (runs until killed, or --count N)
//! cargo run --example football -- --fan brazil  # a fan of one team
//! ```
//! `--bind ENDPOINT` (broadcaster; the endpoint bound is printed on stderr) and
//! `--connect ENDPOINT` (fan) use another endpoint than tcp://127.0.0.1:5000.

use std::time::Duration;

const COUNTRIES: &[&str] = &["netherlands", "brazil", "germany", "portugal"];
const EVENTS: &[&str] = &["yellow card", "red card", "goal", "corner", "foul"];

fn main() -> Result<(), zmq::Error> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let count: Option<u64> = value("--count").and_then(|n| n.parse().ok());
    let context = zmq::Context::new();

    if let Some(team) = value("--fan") {
        let socket = context.socket(zmq::SUB)?;
        let endpoint = value("--connect").unwrap_or_else(|| "tcp://127.0.0.1:5000".into());
        socket.connect(&endpoint)?;
        // The topic is a prefix: "brazil " matches "brazil goal", not "brazilian ...".
        socket.subscribe(&format!("{team} "))?;
        let mut seen = 0u64;
        while count.is_none_or(|n| seen < n) {
            println!("<- {}", socket.recv_string()?);
            seen += 1;
        }
        return Ok(());
    }

    let socket = context.socket(zmq::PUB)?;
    match value("--bind") {
        Some(endpoint) => {
            socket.bind(&endpoint)?;
            eprintln!("bound to {}", socket.last_endpoint()?);
        }
        None => socket.bind("tcp://127.0.0.1:5000")?,
    }
    let mut rng = XorShift::seeded();
    let mut sent = 0u64;
    while count.is_none_or(|n| sent < n) {
        let msg = format!("{} {}", rng.choice(COUNTRIES), rng.choice(EVENTS));
        println!("-> {msg}");
        socket.send(msg)?;
        sent += 1;
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// A tiny random generator, enough to pick teams and events.
struct XorShift(u64);

impl XorShift {
    fn seeded() -> XorShift {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        XorShift(nanos | 1)
    }
    fn choice<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}
