//! Soak run: `count` messages through one messaging pattern over TCP loopback, sampling the
//! process's resident memory (VmRSS) and open file descriptors from /proc/self ten times; fails
//! (exit 1) if either grows after the warm-up sample. Every message is checked (sequence
//! numbers, in order, none lost).
//!
//! ```text
//! cargo run --release --example soak -- <pushpull|reqrep|pubsub|routerdealer|curve> <count>
//! ```
//!
//! Linux only (reads /proc/self).

use std::time::{Duration, Instant};
use zmq::Context;

/// Resident memory in KiB and open descriptors, from /proc/self.
fn sample() -> (u64, usize) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let fds = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count());
    (rss, fds)
}

/// Records samples at every tenth of the run.
struct Samples {
    count: u64,
    start: Instant,
    taken: Vec<(u64, u64, usize)>,
}

impl Samples {
    fn new(count: u64) -> Samples {
        Samples {
            count,
            start: Instant::now(),
            taken: Vec::new(),
        }
    }

    fn tick(&mut self, done: u64) {
        let step = (self.count / 10).max(1);
        if done % step == 0 || done == self.count {
            let (rss, fds) = sample();
            println!(
                "{done:>10} msgs  {:>7.1} s  rss {rss} KiB  fds {fds}",
                self.start.elapsed().as_secs_f64()
            );
            self.taken.push((done, rss, fds));
        }
    }

    /// Prints the summary; false if memory or descriptors grew after the first tenth.
    fn verdict(&self, pattern: &str) -> bool {
        let secs = self.start.elapsed().as_secs_f64();
        let warm = self
            .taken
            .iter()
            .find(|s| s.0 > 0)
            .copied()
            .unwrap_or_default();
        let last = self.taken.last().copied().unwrap_or_default();
        let max_rss = self.taken.iter().map(|s| s.1).max().unwrap_or(0);
        let rss_ok = last.1 <= warm.1 + warm.1 / 10 + 2048;
        let fds_ok = self.taken.iter().skip(1).all(|s| s.2 == warm.2);
        println!(
            "{pattern}: {} msgs in {secs:.1} s ({:.0} msg/s); rss {} KiB after the first tenth, {} at the end, max {max_rss}; fds {} -> {}; {}",
            self.count,
            self.count as f64 / secs,
            warm.1,
            last.1,
            warm.2,
            last.2,
            if rss_ok && fds_ok { "flat" } else { "GREW" }
        );
        rss_ok && fds_ok
    }
}

fn seq(i: u64) -> [u8; 8] {
    i.to_be_bytes()
}

fn check(m: &[u8], i: u64) {
    assert_eq!(m, &seq(i), "message {i} out of order or lost");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let pattern = args.next().unwrap_or_else(|| "pushpull".into());
    let count: u64 = args
        .next()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000_000);
    let ctx = Context::new();
    let mut samples = Samples::new(count);
    samples.tick(0);
    match pattern.as_str() {
        "pushpull" | "curve" => {
            let pull = ctx.socket(zmq::PULL).unwrap();
            let push = ctx.socket(zmq::PUSH).unwrap();
            if pattern == "curve" {
                let server = zmq::curve_keypair().unwrap();
                let client = zmq::curve_keypair().unwrap();
                pull.set_curve_server_keys(&server.secret).unwrap();
                push.set_curve_client_keys(&client, &server.public).unwrap();
            }
            pull.bind("tcp://127.0.0.1:*").unwrap();
            push.connect(&pull.last_endpoint().unwrap()).unwrap();
            let sender = std::thread::spawn(move || {
                for i in 0..count {
                    push.send(&seq(i)[..]).unwrap();
                }
                push
            });
            for i in 0..count {
                check(&pull.recv().unwrap(), i);
                samples.tick(i + 1);
            }
            drop(sender.join().unwrap());
        }
        "reqrep" => {
            let rep = ctx.socket(zmq::REP).unwrap();
            rep.bind("tcp://127.0.0.1:*").unwrap();
            let req = ctx.socket(zmq::REQ).unwrap();
            req.connect(&rep.last_endpoint().unwrap()).unwrap();
            let server = std::thread::spawn(move || {
                for _ in 0..count {
                    let m = rep.recv().unwrap();
                    rep.send(m).unwrap();
                }
                rep
            });
            for i in 0..count {
                req.send(&seq(i)[..]).unwrap();
                check(&req.recv().unwrap(), i);
                samples.tick(i + 1);
            }
            drop(server.join().unwrap());
        }
        "pubsub" => {
            let publisher = ctx.socket(zmq::PUB).unwrap();
            // At the high water mark, wait instead of dropping, so every message is checked.
            publisher.set_xpub_nodrop(true).unwrap();
            publisher.bind("tcp://127.0.0.1:*").unwrap();
            let sub = ctx.socket(zmq::SUB).unwrap();
            sub.subscribe("").unwrap();
            sub.connect(&publisher.last_endpoint().unwrap()).unwrap();
            // Wait until the subscription is in place.
            let probe = [0xFFu8; 9];
            sub.set_rcvtimeo(Some(Duration::from_millis(10))).unwrap();
            loop {
                publisher.send(&probe[..]).unwrap();
                if sub.recv().is_ok() {
                    break;
                }
            }
            sub.set_rcvtimeo(None).unwrap();
            let sender = std::thread::spawn(move || {
                for i in 0..count {
                    let mut msg = Some(zmq::Message::from_slice(&seq(i)));
                    // With NODROP a full queue is Again: wait and send the same message again.
                    while let Some(m) = msg.take() {
                        if let Err(e) = publisher.send(m) {
                            assert!(e.is_again(), "{e}");
                            msg = Some(e.into_unsent());
                            std::thread::sleep(Duration::from_micros(50));
                        }
                    }
                }
                publisher
            });
            let mut i = 0;
            while i < count {
                let m = sub.recv().unwrap();
                if m.len() == probe.len() {
                    continue; // a probe still in flight
                }
                check(&m, i);
                i += 1;
                samples.tick(i);
            }
            drop(sender.join().unwrap());
        }
        "routerdealer" => {
            let router = ctx.socket(zmq::ROUTER).unwrap();
            // A ROUTER drops what does not fit in a peer's queue; mandatory makes it wait
            // instead (its HWM is counted lazily, so a window below it is not enough).
            router.set_router_mandatory(true).unwrap();
            router.bind("tcp://127.0.0.1:*").unwrap();
            let dealer = ctx.socket(zmq::DEALER).unwrap();
            dealer.connect(&router.last_endpoint().unwrap()).unwrap();
            let server = std::thread::spawn(move || {
                let mut parts = Vec::with_capacity(2);
                for _ in 0..count {
                    router
                        .recv_multipart_into(&mut parts, zmq::Flags::empty())
                        .unwrap();
                    router.send_multipart(parts.drain(..)).unwrap();
                }
                router
            });
            // Up to 1000 requests in flight.
            let (mut sent, mut got) = (0, 0);
            while got < count {
                while sent < count && sent - got < 1000 {
                    dealer.send(&seq(sent)[..]).unwrap();
                    sent += 1;
                }
                check(&dealer.recv().unwrap(), got);
                got += 1;
                samples.tick(got);
            }
            drop(server.join().unwrap());
        }
        other => {
            eprintln!("unknown pattern {other}: pushpull, reqrep, pubsub, routerdealer, curve");
            std::process::exit(2);
        }
    }
    if !samples.verdict(&pattern) {
        std::process::exit(1);
    }
}
