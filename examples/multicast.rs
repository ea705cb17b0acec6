//! Multicast PUB/SUB over PGM (`epgm://`: PGM in UDP, `pgm://`: raw PGM, needs root or
//! CAP_NET_RAW) or NORM (`norm://`): one publisher, any number of subscribers on other hosts,
//! nobody binds and nobody needs to know the others' addresses. The transports come with a
//! libzmq built with OpenPGM / NORM, such as Debian's libzmq3-dev: build this example with
//! `--no-default-features` (the vendored libzmq has neither).
//!
//! ```text
//! # on each subscriber host (the address is this host's interface toward the group):
//! cargo run --no-default-features --example multicast -- sub 'epgm://192.168.1.21;239.192.1.1:5555'
//! # on the publisher host:
//! cargo run --no-default-features --example multicast -- pub 'epgm://192.168.1.20;239.192.1.1:5555'
//! ```
//!
//! Options: `--count N` (messages; default 20), `--interval-ms MS` (between sends; default 100),
//! `--rate KBIT` (PGM/NORM rate limit, `ZMQ_RATE`; default libzmq's 100 kbit/s).
//!
//! The publisher sends `N` numbered messages and exits. Each subscriber prints what it gets,
//! every gap in the numbers, and a summary; it exits with status 0 when it heard the last
//! message and missed none after the first it heard (a subscriber that joins late misses the
//! messages sent before it joined: multicast keeps no history beyond the recovery interval).
//!
//! Name the interface by its address rather than its name (`eth0`) where DNS may be out of
//! reach: OpenPGM tries the name as a host name first, and a failed lookup is `EINVAL`.
//! Subscribers on the publisher's own host do not hear it: libzmq turns PGM's multicast
//! loopback off. See docs/networks.md.

use std::process::exit;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: multicast pub|sub ENDPOINT [--count N] [--interval-ms MS] [--rate KBIT]";
    if args.len() < 2 {
        eprintln!("{usage}");
        exit(2);
    }
    let option = |name: &str, default: u64| -> u64 {
        match args.iter().position(|a| a == name) {
            Some(i) => args
                .get(i + 1)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| {
                    eprintln!("{name} needs a number\n{usage}");
                    exit(2)
                }),
            None => default,
        }
    };
    let (role, endpoint) = (args[0].as_str(), args[1].as_str());
    let count = option("--count", 20);
    let interval = Duration::from_millis(option("--interval-ms", 100));
    let rate = option("--rate", 0);

    let transport = endpoint.split("://").next().unwrap_or("");
    let capability = match transport {
        "epgm" | "pgm" => "pgm",
        "norm" => "norm",
        _ => {
            eprintln!("not a multicast endpoint: {endpoint} (epgm://, pgm:// or norm://)");
            exit(2)
        }
    };
    if !zmq::has(capability) {
        let (major, minor, patch) = zmq::version();
        eprintln!(
            "this libzmq ({major}.{minor}.{patch}) has no {capability}: build with \
             --no-default-features against a libzmq built with it (e.g. Debian's libzmq3-dev)"
        );
        exit(1);
    }

    let result = match role {
        "pub" => publish(endpoint, count, interval, rate),
        "sub" => subscribe(endpoint, count, rate),
        _ => {
            eprintln!("{usage}");
            exit(2)
        }
    };
    match result {
        Ok(true) => {}
        Ok(false) => exit(1),
        Err(e) => {
            eprintln!("{role}: {e}");
            exit(1)
        }
    }
}

fn publish(endpoint: &str, count: u64, interval: Duration, rate: u64) -> zmq::Result<bool> {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    if rate > 0 {
        publisher.set_rate(rate as i32)?;
    }
    // Multicast endpoints take connect (bind means the same for them).
    publisher.connect(endpoint)?;
    println!("publishing {count} messages on {endpoint}");
    for seq in 0..count {
        publisher.send(format!("{seq} of {count}"))?;
        std::thread::sleep(interval);
    }
    println!("sent {count} messages");
    // Closing waits (the default linger) until the last messages are out; PGM also keeps
    // repairing losses for subscribers during that time.
    Ok(true)
}

fn subscribe(endpoint: &str, count: u64, rate: u64) -> zmq::Result<bool> {
    let ctx = zmq::Context::new();
    let subscriber = ctx.socket(zmq::SUB)?;
    if rate > 0 {
        subscriber.set_rate(rate as i32)?;
    }
    subscriber.subscribe("")?;
    subscriber.connect(endpoint)?;
    // Give up after 10 s of silence.
    subscriber.set_rcvtimeo(Some(Duration::from_secs(10)))?;
    println!("listening on {endpoint}");
    let (mut first, mut expected, mut received, mut missing) = (None, 0u64, 0u64, 0u64);
    loop {
        let text = match subscriber.recv_string() {
            Ok(text) => text,
            Err(e) if e.is_again() => {
                println!("nothing for 10 s: giving up");
                break;
            }
            Err(e) => return Err(e.into()),
        };
        let seq: u64 = match text.split(' ').next().and_then(|s| s.parse().ok()) {
            Some(seq) => seq,
            None => {
                println!("not one of ours: {text:?}");
                continue;
            }
        };
        if first.is_none() {
            first = Some(seq);
            expected = seq;
            println!("joined at message {seq}");
        }
        if seq != expected {
            println!("gap: expected {expected}, got {seq}");
            missing += seq.saturating_sub(expected);
        }
        println!("received: {text}");
        received += 1;
        expected = seq + 1;
        if seq + 1 >= count {
            break;
        }
    }
    println!("received {received} messages, {missing} missing after the first");
    Ok(first.is_some() && expected >= count && missing == 0)
}
