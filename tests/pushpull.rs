//! PUSH/PULL: libzmq's `test_spec_pushpull` (round-robin out, fair-queue in, block with no
//! peers, multipart delivered whole) and the pyzmq task ventilator / workers / sink pipeline
//! ported line for line.

mod common;

use common::*;
use std::time::Duration;

fn tcp_and_inproc(name: &str) -> [String; 2] {
    [inproc(name), "tcp://127.0.0.1:*".to_string()]
}

/// libzmq `test_spec_pushpull::test_push_round_robin_out`: 2N messages to N pullers: each gets
/// one of each round, in order.
#[test]
fn libzmq_test_spec_push_round_robin_out() {
    for ep in tcp_and_inproc("push-rr") {
        let ctx = ctx();
        let push = socket(&ctx, zmq::PUSH);
        push.bind(&ep).unwrap();
        let ep = push.last_endpoint().unwrap();
        let pulls: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::PULL)).collect();
        for p in &pulls {
            p.connect(&ep).unwrap();
        }
        settle();
        for _ in 0..pulls.len() {
            push.send("ABC").unwrap();
        }
        for _ in 0..pulls.len() {
            push.send("DEF").unwrap();
        }
        for p in &pulls {
            recv_seq(p, &[b"ABC"]);
            recv_seq(p, &[b"DEF"]);
        }
    }
}

/// libzmq `test_spec_pushpull::test_pull_fair_queue_in`: with two messages waiting from each of
/// N pushers, the first N received are one from each pusher, then the second batch.
#[test]
fn libzmq_test_spec_pull_fair_queue_in() {
    for ep in tcp_and_inproc("pull-fq") {
        let ctx = ctx();
        let pull = socket(&ctx, zmq::PULL);
        pull.bind(&ep).unwrap();
        let ep = pull.last_endpoint().unwrap();
        let pushes: Vec<_> = (0..5).map(|_| socket(&ctx, zmq::PUSH)).collect();
        for p in &pushes {
            p.connect(&ep).unwrap();
        }
        settle();
        for (i, p) in pushes.iter().enumerate() {
            p.send([b'A' + i as u8].as_slice()).unwrap();
            p.send([b'a' + i as u8].as_slice()).unwrap();
        }
        settle();
        let mut first: Vec<u8> = (0..5).map(|_| pull.recv().unwrap()[0]).collect();
        let mut second: Vec<u8> = (0..5).map(|_| pull.recv().unwrap()[0]).collect();
        first.sort();
        second.sort();
        assert_eq!(first, *b"ABCDE", "{ep}: one from each pusher first");
        assert_eq!(second, *b"abcde", "{ep}");
        assert!(pull.try_recv().unwrap().is_none());
    }
}

/// libzmq `test_spec_pushpull` "SHALL either receive or drop multipart messages atomically":
/// multipart messages from several pushers are never interleaved at the puller.
#[test]
fn libzmq_test_spec_pushpull_multipart_atomic() {
    let ctx = ctx();
    let pull = socket(&ctx, zmq::PULL);
    let ep = bind_loopback(&pull);
    let pushes: Vec<_> = (0..3).map(|_| socket(&ctx, zmq::PUSH)).collect();
    for p in &pushes {
        p.connect(&ep).unwrap();
    }
    for round in 0..20u8 {
        for (i, p) in pushes.iter().enumerate() {
            let tag = [i as u8, round];
            p.send_multipart([&tag[..], &tag[..], &tag[..]]).unwrap();
        }
    }
    for _ in 0..60 {
        let parts = pull.recv_multipart().unwrap();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|m| m[..] == parts[0][..]), "{parts:?}");
    }
}

/// The pyzmq task ventilator, workers and sink, line for line:
///
/// ```python
/// sender = context.socket(zmq.PUSH); sender.bind(...)           # ventilator
/// receiver = context.socket(zmq.PULL); receiver.connect(...)     # worker
/// sender = context.socket(zmq.PUSH); sender.connect(...)         # worker -> sink
/// s = receiver.recv(); time.sleep(int(s)*0.001); sender.send(b'')
/// ```
///
/// One ventilator, three workers on threads, one sink: every task is done exactly once, and the
/// load is spread over the workers.
#[test]
fn port_task_ventilator_workers_sink() {
    let context = ctx();
    let sink = context.socket(zmq::PULL).unwrap();
    sink.set_rcvtimeo(Some(TIMEOUT)).unwrap();
    let sink_url = bind_loopback(&sink);
    let sender = context.socket(zmq::PUSH).unwrap();
    sender.set_linger(Some(Duration::ZERO)).unwrap();
    let vent_url = bind_loopback(&sender);

    let workers: Vec<_> = (0..3u8)
        .map(|id| {
            let context = context.clone();
            let (vent_url, sink_url) = (vent_url.clone(), sink_url.clone());
            std::thread::spawn(move || {
                let receiver = context.socket(zmq::PULL).unwrap();
                receiver.set_rcvtimeo(Some(TIMEOUT)).unwrap();
                receiver.connect(&vent_url).unwrap();
                let sender = context.socket(zmq::PUSH).unwrap();
                sender.set_linger(Some(Duration::ZERO)).unwrap();
                sender.connect(&sink_url).unwrap();
                loop {
                    let s = receiver.recv_string().unwrap();
                    if s == "stop" {
                        break;
                    }
                    let workload: u64 = s.parse().unwrap();
                    std::thread::sleep(Duration::from_millis(workload));
                    sender.send_multipart([s.as_bytes(), &[id]]).unwrap();
                }
                // Keep the sockets until the sink has read everything (linger is 0).
                (receiver, sender)
            })
        })
        .collect();

    // Wait until the three workers are connected: PUSH only round-robins over connected peers.
    settle();
    let tasks = 30u64;
    let mut expected = 0;
    for task in 0..tasks {
        let workload = 1 + task % 5;
        expected += workload;
        sender.send(workload.to_string().as_str()).unwrap();
    }
    let mut total = 0;
    let mut per_worker = [0u32; 3];
    for _ in 0..tasks {
        let result = sink.recv_multipart().unwrap();
        total += result[0].as_str().unwrap().parse::<u64>().unwrap();
        per_worker[result[1][0] as usize] += 1;
    }
    assert_eq!(total, expected, "every task done exactly once");
    assert!(
        per_worker.iter().all(|&n| n > 0),
        "load spread: {per_worker:?}"
    );
    for _ in 0..3 {
        sender.send("stop").unwrap();
    }
    let kept: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    drop(kept);
}
