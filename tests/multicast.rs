//! Multicast PUB/SUB between hosts made of network namespaces (tests/net): `epgm://` (PGM over
//! UDP), `pgm://` (PGM over raw IP: needs root, which the namespaces need anyway) and `norm://`,
//! from one publisher to one subscriber on another host, and to two subscribers on two other
//! hosts over a bridge. Every message of a bounded run must arrive at every subscriber, in
//! order, once.
//!
//! libzmq sends PGM with multicast loopback off (`PGM_MULTICAST_LOOP` is hard-coded to 0), so a
//! subscriber in the publisher's own network namespace never hears it: the smallest setup is two
//! namespaces on one machine, which is what "one host" means here
//! (`pgm_is_not_looped_back_to_the_publishers_own_host` checks the no-loopback part).
//!
//! PGM's interface is given by address (`epgm://10.77.0.1;239.192.77.1:5555`), not by name:
//! OpenPGM looks an interface name up as a host name first (getaddrinfo), and where DNS cannot
//! be reached, as in these namespaces, that lookup fails and libzmq reports `EINVAL`.
//!
//! The transports exist only when libzmq was built with them: the system build
//! (`--no-default-features`, Debian's libzmq3-dev) has PGM and NORM, the vendored one has
//! neither. Without them each test checks that libzmq refuses the endpoint
//! (`EPROTONOSUPPORT`), prints why it skips the rest, and returns; likewise without root or `ip`.

#![cfg(target_os = "linux")]

mod net;

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};
use zmq::{Context, SocketKind};

/// Messages in a run, and the bytes of each (a sequence number, padded).
const COUNT: u32 = 300;
const SIZE: usize = 64;

/// How long a subscriber waits for its next message before it gives up.
const RECV_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether libzmq has `capability`; if not, checks that a connect to `endpoint` is refused as
/// an unsupported protocol and prints why the test is skipped.
fn supported(test: &str, capability: &str, endpoint: &str) -> bool {
    if zmq::has(capability) {
        return true;
    }
    let ctx = Context::new();
    let sub = ctx.socket(zmq::SUB).unwrap();
    sub.set_linger(Some(Duration::ZERO)).unwrap();
    let err = sub
        .connect(endpoint)
        .expect_err("libzmq without the transport accepted its endpoint");
    assert_eq!(err.kind(), zmq::ErrorKind::ProtocolNotSupported, "{err}");
    println!(
        "{test}: skipped: this libzmq has no {capability} (zmq::has(\"{capability}\") is false; \
         the vendored build never has it: use --no-default-features with a libzmq built with it, \
         e.g. Debian's libzmq3-dev)"
    );
    false
}

fn payload(i: u32) -> Vec<u8> {
    let mut m = format!("{i:08}").into_bytes();
    m.resize(SIZE, b'.');
    m
}

fn multicast_options<K: SocketKind>(s: &zmq::Socket<K>) {
    s.set_linger(Some(Duration::ZERO)).unwrap();
    // 1 Mbit/s instead of libzmq's 100 kbit/s default, so a run takes a fraction of a second.
    s.set_rate(1_000).unwrap();
}

/// Publisher on host 0, subscribers on hosts 1..=subscribers, all on `endpoint` (the same
/// group and port for every host: that is multicast), where `{addr}` stands for the host's own
/// address. Returns after checking every subscriber got all `COUNT` messages, in order, once.
fn fan_out(test: &str, capability: &str, endpoint: &str, subscribers: usize) {
    if !supported(test, capability, &endpoint.replace("{addr}", "127.0.0.1")) {
        return;
    }
    let Some(net) = net::Net::new(test, subscribers + 1) else {
        return;
    };
    let started = Instant::now();
    let (joined_tx, joined) = channel::<usize>();
    let mut receivers = Vec::new();
    for host in 1..=subscribers {
        let ep = endpoint.replace("{addr}", &net.addr(host).to_string());
        let joined_tx = joined_tx.clone();
        receivers.push(net.run(host, move || -> Result<Vec<Vec<u8>>, String> {
            let ctx = Context::new();
            let sub = ctx.socket(zmq::SUB).unwrap();
            multicast_options(&sub);
            sub.set_rcvtimeo(Some(RECV_TIMEOUT)).unwrap();
            sub.subscribe("").unwrap();
            sub.connect(&ep).map_err(|e| format!("connect {ep}: {e}"))?;
            // Warm-up messages ("w") until the publisher knows every subscriber hears it.
            let mut data = Vec::new();
            let mut told = false;
            while data.len() < COUNT as usize {
                let m = sub
                    .recv()
                    .map_err(|e| format!("host {host}: after {} messages: {e}", data.len()))?;
                if !told {
                    let _ = joined_tx.send(host);
                    told = true;
                }
                if &m[..] == b"w" && data.is_empty() {
                    continue;
                }
                data.push(m.to_vec());
            }
            Ok(data)
        }));
    }
    drop(joined_tx);

    let ep = endpoint.replace("{addr}", &net.addr(0).to_string());
    let (_ctx, publisher) = net.within(0, move || {
        let ctx = Context::new();
        let publisher = ctx.socket(zmq::PUB).unwrap();
        multicast_options(&publisher);
        publisher.set_sndtimeo(Some(RECV_TIMEOUT)).unwrap();
        publisher.connect(&ep).unwrap();
        (ctx, publisher)
    });
    let mut heard = std::collections::BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while heard.len() < subscribers {
        assert!(
            Instant::now() < deadline,
            "{test}: only hosts {heard:?} heard the warm-up within 10 s"
        );
        publisher.send("w").unwrap();
        while let Ok(host) = joined.recv_timeout(Duration::from_millis(20)) {
            heard.insert(host);
        }
    }
    for i in 0..COUNT {
        publisher.send(payload(i)).unwrap();
    }
    // The publisher stays open until every subscriber is done: PGM and NORM repair losses
    // from the sender's window.
    for (k, r) in receivers.into_iter().enumerate() {
        let got = r
            .join()
            .expect("subscriber thread")
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        assert_eq!(got.len(), COUNT as usize);
        for (i, m) in got.iter().enumerate() {
            assert_eq!(
                m,
                &payload(i as u32),
                "{test}: host {}: message {i} out of order, lost or duplicated",
                k + 1
            );
        }
    }
    println!(
        "{test}: {COUNT} messages of {SIZE} B to {subscribers} subscriber(s) on {endpoint} in {:?}",
        started.elapsed()
    );
}

#[test]
fn epgm_publisher_to_a_subscriber_on_another_host() {
    fan_out("epgm_one", "pgm", "epgm://{addr};239.192.77.1:5555", 1);
}

#[test]
fn epgm_publisher_to_two_subscribers_on_two_hosts() {
    fan_out("epgm_two", "pgm", "epgm://{addr};239.192.77.2:5555", 2);
}

#[test]
fn pgm_publisher_to_a_subscriber_on_another_host() {
    fan_out("pgm_one", "pgm", "pgm://{addr};239.192.77.3:5555", 1);
}

#[test]
fn pgm_publisher_to_two_subscribers_on_two_hosts() {
    fan_out("pgm_two", "pgm", "pgm://{addr};239.192.77.4:5555", 2);
}

#[test]
fn norm_publisher_to_a_subscriber_on_another_host() {
    fan_out("norm_one", "norm", "norm://eth0;239.192.77.5:5556", 1);
}

#[test]
fn norm_publisher_to_two_subscribers_on_two_hosts() {
    fan_out("norm_two", "norm", "norm://eth0;239.192.77.6:5556", 2);
}

#[test]
fn multicast_example_runs_across_hosts() {
    // examples/multicast.rs as documented: a subscriber on two hosts, the publisher on a third,
    // each a process of its own (`ip netns exec`).
    let endpoint = "epgm://{addr};239.192.77.7:5557";
    if !supported(
        "multicast_example",
        "pgm",
        &endpoint.replace("{addr}", "127.0.0.1"),
    ) {
        return;
    }
    let Some(net) = net::Net::new("multicast_example", 3) else {
        return;
    };
    let example = net::example("multicast");
    let at = |host: usize| endpoint.replace("{addr}", &net.addr(host).to_string());
    let mut subscribers: Vec<_> = (1..=2)
        .map(|host| {
            let mut sub = net.spawn(host, &example, &["sub", &at(host), "--count", "30"]);
            sub.wait_line(Duration::from_secs(10), |l| {
                l.starts_with("listening on").then_some(())
            });
            sub
        })
        .collect();
    // Joining takes a moment (the subscriber learns of the publisher from its first packets):
    // the example's subscriber counts from the first message it hears.
    let mut publisher = net.spawn(
        0,
        &example,
        &["pub", &at(0), "--count", "30", "--interval-ms", "20"],
    );
    publisher.wait_line(Duration::from_secs(10), |l| {
        (l == "sent 30 messages").then_some(())
    });
    for (k, sub) in subscribers.iter_mut().enumerate() {
        let summary = sub.wait_line(Duration::from_secs(10), |l| {
            (l.starts_with("received ") && l.contains(" messages, ")).then(|| l.to_string())
        });
        println!("subscriber on host {}: {summary}", k + 1);
        assert!(
            summary.ends_with(", 0 missing after the first"),
            "host {}: {summary}; output: {:?}",
            k + 1,
            sub.lines(Duration::ZERO)
        );
        let lines = sub.lines(Duration::ZERO);
        assert!(
            lines.iter().any(|l| l == "received: 29 of 30"),
            "host {}: the last message did not arrive: {lines:?}",
            k + 1
        );
    }
}

#[test]
fn pgm_is_not_looped_back_to_the_publishers_own_host() {
    // libzmq sets PGM_MULTICAST_LOOP to 0: a subscriber in the publisher's namespace hears
    // nothing, while one on another host (the control) hears the same publisher.
    let endpoint = "epgm://{addr};239.192.77.8:5558";
    if !supported(
        "pgm_loopback",
        "pgm",
        &endpoint.replace("{addr}", "127.0.0.1"),
    ) {
        return;
    }
    let Some(net) = net::Net::new("pgm_loopback", 2) else {
        return;
    };
    let subscriber = |host: usize| {
        let ep = endpoint.replace("{addr}", &net.addr(host).to_string());
        net.within(host, move || {
            let ctx = Context::new();
            let sub = ctx.socket(zmq::SUB).unwrap();
            multicast_options(&sub);
            sub.subscribe("").unwrap();
            sub.connect(&ep).unwrap();
            (ctx, sub)
        })
    };
    let (_ctx_local, local) = subscriber(0);
    let (_ctx_remote, remote) = subscriber(1);
    let ep = endpoint.replace("{addr}", &net.addr(0).to_string());
    let (_ctx, publisher) = net.within(0, move || {
        let ctx = Context::new();
        let publisher = ctx.socket(zmq::PUB).unwrap();
        multicast_options(&publisher);
        publisher.connect(&ep).unwrap();
        (ctx, publisher)
    });
    let (mut heard_remote, mut heard_local) = (0, 0);
    let start = Instant::now();
    // Until the remote subscriber has heard 20 messages (bounded: 5 s), then 300 ms more.
    while heard_remote < 20 && start.elapsed() < Duration::from_secs(5) {
        publisher.send("tick").unwrap();
        std::thread::sleep(Duration::from_millis(10));
        while remote.try_recv().unwrap().is_some() {
            heard_remote += 1;
        }
        while local.try_recv().unwrap().is_some() {
            heard_local += 1;
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    while local.try_recv().unwrap().is_some() {
        heard_local += 1;
    }
    assert!(
        heard_remote >= 20,
        "the control subscriber heard {heard_remote}"
    );
    assert_eq!(
        heard_local, 0,
        "PGM was looped back to the publisher's host"
    );
}
