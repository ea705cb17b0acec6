//! Thread-safe draft sockets shared for real: one socket used from many threads at once through
//! an `Arc`, with no lock of ours. The `Sync` bound on the thread-safe kinds is what lets this
//! compile; tests/ui/draft_classic_not_sync.rs pins that a classic socket still does not.

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const THREADS: usize = 8;
const MESSAGES: usize = 100_000;
/// Every loop of these tests stops here at the latest (and fails).
const DEADLINE: Duration = Duration::from_secs(60);
/// Requests in flight at most, well under the pipes' high-water marks (1000 each way): no
/// send ever waits for a queue the other side is blocked on.
const WINDOW: usize = 400;

fn assert_sync<T: Sync + Send>() {}

/// Every thread-safe kind is `Sync` (and `Send`), so `Arc<Socket<K>>` crosses threads.
#[test]
fn thread_safe_kinds_are_sync() {
    assert_sync::<zmq::Socket<zmq::Server>>();
    assert_sync::<zmq::Socket<zmq::Client>>();
    assert_sync::<zmq::Socket<zmq::Radio>>();
    assert_sync::<zmq::Socket<zmq::Dish>>();
    assert_sync::<zmq::Socket<zmq::Gather>>();
    assert_sync::<zmq::Socket<zmq::Scatter>>();
    assert_sync::<zmq::Socket<zmq::Peer>>();
    assert_sync::<zmq::Socket<zmq::Channel>>();
}

/// test_thread_safe.cpp `test_thread_safe`: two threads send on one CLIENT (15000 messages each,
/// then an end marker) while the main thread receives on the SERVER until both ends arrived.
#[test]
fn two_threads_share_a_client() {
    let ctx = ctx();
    let server = socket(&ctx, zmq::SERVER);
    let ep = bind_loopback(&server);
    let client = Arc::new(socket(&ctx, zmq::CLIENT));
    client.connect(&ep).unwrap();
    let senders: Vec<_> = (0..2)
        .map(|_| {
            let client = Arc::clone(&client);
            thread::spawn(move || {
                for _ in 0..15_000 {
                    client.send("0").unwrap();
                }
                client.send("1").unwrap();
            })
        })
        .collect();
    let (mut completed, mut received) = (0, 0);
    while completed < 2 {
        let msg = server.recv().expect("server recv");
        received += 1;
        if msg == "1" {
            completed += 1;
        }
    }
    for s in senders {
        s.join().unwrap();
    }
    assert_eq!(received, 2 * 15_001);
}

/// Counts how often each id was seen.
struct Seen(Vec<AtomicUsize>);

impl Seen {
    fn new(n: usize) -> Seen {
        Seen((0..n).map(|_| AtomicUsize::new(0)).collect())
    }
    fn mark(&self, id: usize) {
        self.0[id].fetch_add(1, Ordering::Relaxed);
    }
    /// Panics unless every id was seen exactly once.
    fn assert_each_once(&self, what: &str) {
        let wrong: Vec<(usize, usize)> = self
            .0
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.load(Ordering::Relaxed)))
            .filter(|&(_, c)| c != 1)
            .take(10)
            .collect();
        assert!(
            wrong.is_empty(),
            "{what}: (id, count) not seen once: {wrong:?}"
        );
    }
}

fn id_of(msg: &zmq::Message) -> usize {
    u32::from_le_bytes(msg[..].try_into().expect("a 4-byte id")) as usize
}

/// One SERVER and one CLIENT, each used from 8 threads at once through an `Arc` (no lock of
/// ours): 100k requests from the CLIENT's threads, each answered by whichever SERVER thread
/// received it (`reply`), each reply received by whichever CLIENT thread is reading. Every
/// request and every reply arrives exactly once.
#[test]
fn server_and_client_shared_by_eight_threads() {
    let ctx = ctx();
    let server = Arc::new(socket(&ctx, zmq::SERVER));
    let ep = bind_loopback(&server);
    let client = Arc::new(socket(&ctx, zmq::CLIENT));
    client.connect(&ep).unwrap();
    server
        .set_rcvtimeo(Some(Duration::from_millis(20)))
        .unwrap();
    client
        .set_rcvtimeo(Some(Duration::from_millis(20)))
        .unwrap();

    let requests = Arc::new(Seen::new(MESSAGES));
    let replies = Arc::new(Seen::new(MESSAGES));
    let served = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();

    let server_threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (server, requests, served) = (
                Arc::clone(&server),
                Arc::clone(&requests),
                Arc::clone(&served),
            );
            thread::spawn(move || {
                let mut mine = 0usize;
                while served.load(Ordering::Relaxed) < MESSAGES {
                    assert!(start.elapsed() < DEADLINE, "server threads ran out of time");
                    let msg = match server.recv() {
                        Ok(m) => m,
                        Err(e) if e.is_again() => continue,
                        Err(e) => panic!("server recv: {e}"),
                    };
                    requests.mark(id_of(&msg));
                    served.fetch_add(1, Ordering::Relaxed);
                    let rid = msg.routing_id();
                    server.send_to(rid, msg).expect("reply");
                    mine += 1;
                }
                mine
            })
        })
        .collect();

    let per_thread = MESSAGES / THREADS;
    let client_threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (client, replies, sent, answered) = (
                Arc::clone(&client),
                Arc::clone(&replies),
                Arc::clone(&sent),
                Arc::clone(&answered),
            );
            thread::spawn(move || {
                let mut next = 0usize;
                let (mut sent_here, mut received_here) = (0usize, 0usize);
                while next < per_thread || answered.load(Ordering::Relaxed) < MESSAGES {
                    assert!(start.elapsed() < DEADLINE, "client threads ran out of time");
                    // A reply may be counted before its request's `sent` increment: saturate.
                    let in_flight = sent
                        .load(Ordering::Relaxed)
                        .saturating_sub(answered.load(Ordering::Relaxed));
                    if next < per_thread && in_flight < WINDOW {
                        let id = (t * per_thread + next) as u32;
                        client.send(id.to_le_bytes().as_slice()).expect("request");
                        sent.fetch_add(1, Ordering::Relaxed);
                        next += 1;
                        sent_here += 1;
                        // Read what is there without waiting, then go on sending.
                        while let Some(reply) = client.try_recv().expect("try_recv") {
                            replies.mark(id_of(&reply));
                            answered.fetch_add(1, Ordering::Relaxed);
                            received_here += 1;
                        }
                        continue;
                    }
                    match client.recv() {
                        Ok(reply) => {
                            replies.mark(id_of(&reply));
                            answered.fetch_add(1, Ordering::Relaxed);
                            received_here += 1;
                        }
                        Err(e) if e.is_again() => {}
                        Err(e) => panic!("client recv: {e}"),
                    }
                }
                (sent_here, received_here)
            })
        })
        .collect();

    let mut busy_clients = 0;
    for t in client_threads {
        let (s, r) = t.join().expect("client thread");
        assert_eq!(s, per_thread);
        if r > 0 {
            busy_clients += 1;
        }
    }
    let mut busy_servers = 0;
    for t in server_threads {
        if t.join().expect("server thread") > 0 {
            busy_servers += 1;
        }
    }
    requests.assert_each_once("requests at the SERVER");
    replies.assert_each_once("replies at the CLIENT");
    assert_eq!(served.load(Ordering::Relaxed), MESSAGES);
    assert_eq!(answered.load(Ordering::Relaxed), MESSAGES);
    // Not a correctness condition, but the point of the test: the sockets were really shared.
    assert!(
        busy_servers > 1,
        "only {busy_servers} server thread received"
    );
    assert!(
        busy_clients > 1,
        "only {busy_clients} client thread received"
    );
    eprintln!(
        "100k request/reply over one SERVER and one CLIENT, 8 threads each: {:?}",
        start.elapsed()
    );
}

/// One RADIO published from 4 threads at once (each to its own group), two DISHes each joined
/// to two of the groups: every message reaches the DISH that joined its group, exactly once and
/// in its thread's order, and no other.
#[test]
fn radio_published_from_several_threads() {
    const PUBLISHERS: usize = 4;
    const PER_GROUP: usize = 5_000;
    let ctx = ctx();
    let ep = inproc("radio-threads");
    let radio = Arc::new(socket(&ctx, zmq::RADIO));
    // No high-water mark: a RADIO drops what does not fit, and this test counts every message.
    radio.set_sndhwm(0).unwrap();
    radio.bind(&ep).unwrap();
    let dishes: Vec<_> = (0..2)
        .map(|d| {
            let dish = socket(&ctx, zmq::DISH);
            dish.set_rcvhwm(0).unwrap();
            dish.join(&format!("g{}", 2 * d)).unwrap();
            dish.join(&format!("g{}", 2 * d + 1)).unwrap();
            dish.connect(&ep).unwrap();
            dish
        })
        .collect();

    // The joins reach the RADIO a moment after the connect: publish a marker to each group
    // until it arrives, then drain the markers.
    for (d, dish) in dishes.iter().enumerate() {
        for g in [2 * d, 2 * d + 1] {
            dish.set_rcvtimeo(Some(Duration::from_millis(20))).unwrap();
            let start = Instant::now();
            loop {
                radio.send_to_group(&format!("g{g}"), "sync").unwrap();
                match dish.recv() {
                    Ok(m) if m.group() == Some(format!("g{g}").as_str()) => break,
                    Ok(_) => {}
                    Err(e) if e.is_again() => {}
                    Err(e) => panic!("{e}"),
                }
                assert!(start.elapsed() < TIMEOUT, "join of g{g} never arrived");
            }
        }
        dish.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    }

    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|g| {
            let radio = Arc::clone(&radio);
            thread::spawn(move || {
                let group = format!("g{g}");
                for i in 0..PER_GROUP {
                    radio
                        .send_to_group(&group, (i as u32).to_le_bytes().as_slice())
                        .unwrap();
                }
            })
        })
        .collect();
    let readers: Vec<_> = dishes
        .into_iter()
        .enumerate()
        .map(|(d, dish)| {
            thread::spawn(move || {
                let mut next = [0usize; 2];
                let start = Instant::now();
                while next.iter().sum::<usize>() < 2 * PER_GROUP {
                    assert!(start.elapsed() < DEADLINE, "dish {d} ran out of time");
                    let msg = dish.recv().expect("dish recv");
                    if msg == "sync" {
                        continue;
                    }
                    let g: usize = msg.group().unwrap()[1..].parse().unwrap();
                    assert!(g / 2 == d, "dish {d} got group g{g}, which it did not join");
                    let slot = g % 2;
                    assert_eq!(id_of(&msg), next[slot], "g{g}: lost, repeated or reordered");
                    next[slot] += 1;
                }
                // Nothing more: no duplicates after the last one.
                thread::sleep(Duration::from_millis(20));
                while let Some(extra) = dish.try_recv().unwrap() {
                    assert_eq!(extra, "sync", "dish {d} got more than was sent");
                }
                next
            })
        })
        .collect();
    for p in publishers {
        p.join().unwrap();
    }
    for r in readers {
        assert_eq!(r.join().unwrap(), [PER_GROUP; 2]);
    }
}
