//! The async layer under load (feature `tokio`): nothing lost or duplicated and no missed
//! wake-up, with many tasks on the multi-thread runtime and on the current-thread runtime:
//! 100k messages through PUSH/PULL and through REQ/REP, 10k `select!` races between a receive
//! and a short timer, bursts ping-ponged between two sockets in one task, and a ROUTER served
//! by a reader task and a writer task. Every test is bounded in time: a lost wake-up fails it.
#![cfg(all(feature = "tokio", unix))]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zmq::{AsyncSocket, Message};

const LIMIT: Duration = Duration::from_secs(60);

fn ctx() -> zmq::Context {
    let ctx = zmq::Context::new();
    ctx.set_default_linger(Some(Duration::ZERO));
    ctx
}

/// Runs `f`, failing the test if it takes longer than `limit`. The deadline is checked before
/// `f` is polled (unlike `tokio::time::timeout`, whose last poll of `f` at the deadline could
/// hide a missed wake-up by completing it then).
async fn within<F: std::future::Future>(limit: Duration, what: &str, f: F) -> F::Output {
    tokio::select! {
        biased;
        _ = tokio::time::sleep(limit) => panic!("{what}: still pending after {limit:?}"),
        out = f => out,
    }
}

fn seq_of(msg: &[u8]) -> u64 {
    u64::from_le_bytes(msg[..8].try_into().expect("8-byte sequence number"))
}

/// 100k messages from 4 PUSH sockets (one task each) to one PULL socket read by 4 tasks at
/// once, over tcp: every message arrives exactly once.
async fn push_pull_100k(endpoint: &str) {
    const SENDERS: u64 = 4;
    const READERS: usize = 4;
    const PER_SENDER: u64 = 25_000;
    let total = (SENDERS * PER_SENDER) as usize;
    let ctx = ctx();
    let pull = ctx.async_socket(zmq::PULL).unwrap();
    pull.lock().set_rcvhwm(100).unwrap();
    pull.bind(endpoint).unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let pull = Arc::new(pull);
    let received = Arc::new(std::sync::Mutex::new(Vec::with_capacity(total)));

    // Readers receive until the test has everything, then are aborted: no timer in the loop
    // that could rescue a missed wake-up.
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (pull, received) = (pull.clone(), received.clone());
        readers.push(tokio::spawn(async move {
            let mut msg = Message::new();
            loop {
                pull.recv_msg(&mut msg).await.unwrap();
                received.lock().unwrap().push(seq_of(&msg));
            }
        }));
    }
    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let ctx = ctx.clone();
        let endpoint = endpoint.clone();
        senders.push(tokio::spawn(async move {
            let push = ctx.async_socket(zmq::PUSH).unwrap();
            push.lock().set_sndhwm(100).unwrap();
            push.connect(&endpoint).unwrap();
            for i in 0..PER_SENDER {
                let seq = s * PER_SENDER + i;
                push.send(seq.to_le_bytes().to_vec()).await.unwrap();
            }
            // Keep the socket until everything is delivered (linger is 0 in these tests).
            push
        }));
    }
    let work = async {
        let mut pushes = Vec::new();
        for s in senders {
            pushes.push(s.await.unwrap());
        }
        while received.lock().unwrap().len() < total {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        pushes
    };
    let pushes = within(LIMIT, "PUSH/PULL", work).await;
    // Anything still arriving would be a duplicate.
    tokio::time::sleep(Duration::from_millis(100)).await;
    for r in &readers {
        r.abort();
    }
    drop(pushes);
    let all = std::mem::take(&mut *received.lock().unwrap());
    assert_eq!(all.len(), total, "messages lost or duplicated");
    let unique: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(unique.len(), total, "duplicated messages");
    assert!(unique.iter().all(|&s| s < total as u64));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn push_pull_100k_many_tasks_multi_thread() {
    push_pull_100k("tcp://127.0.0.1:*").await;
}

#[tokio::test(flavor = "current_thread")]
async fn push_pull_100k_many_tasks_current_thread() {
    push_pull_100k("tcp://127.0.0.1:*").await;
}

/// 100k request/reply roundtrips: 8 REQ client tasks, each connected to 4 REP server tasks
/// (REQ deals its requests round-robin); every reply answers its own request.
async fn req_rep_100k(transport: &str) {
    const CLIENTS: u64 = 8;
    const SERVERS: usize = 4;
    const PER_CLIENT: u64 = 12_500;
    let ctx = ctx();
    let served = Arc::new(AtomicUsize::new(0));
    let mut endpoints = Vec::new();
    let mut servers = Vec::new();
    for n in 0..SERVERS {
        let rep = ctx.async_socket(zmq::REP).unwrap();
        if transport == "inproc" {
            rep.bind(&format!("inproc://async-reqrep-{n}")).unwrap();
        } else {
            rep.bind("tcp://127.0.0.1:*").unwrap();
        }
        endpoints.push(rep.last_endpoint().unwrap());
        let served = served.clone();
        servers.push(tokio::spawn(async move {
            let mut msg = Message::new();
            loop {
                rep.recv_msg(&mut msg).await.unwrap();
                let mut reply = msg.to_vec();
                reply.extend_from_slice(b"!");
                rep.send(reply).await.unwrap();
                served.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let ctx = ctx.clone();
        let endpoints = endpoints.clone();
        clients.push(tokio::spawn(async move {
            let req = ctx.async_socket(zmq::REQ).unwrap();
            for ep in &endpoints {
                req.connect(ep).unwrap();
            }
            for i in 0..PER_CLIENT {
                let request = (c * PER_CLIENT + i).to_le_bytes();
                req.send(&request[..]).await.unwrap();
                let reply = req.recv().await.unwrap();
                assert_eq!(&reply[..8], &request[..], "a reply to another request");
                assert_eq!(&reply[8..], b"!");
            }
        }));
    }
    within(LIMIT, "REQ/REP", async {
        for c in clients {
            c.await.unwrap();
        }
    })
    .await;
    // A server counts a request after its reply is sent, which the client may see first.
    let total = (CLIENTS * PER_CLIENT) as usize;
    within(Duration::from_secs(5), "counting", async {
        while served.load(Ordering::SeqCst) < total {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;
    assert_eq!(
        served.load(Ordering::SeqCst),
        total,
        "a request served twice"
    );
    for s in servers {
        s.abort();
        let _ = s.await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn req_rep_100k_many_tasks_multi_thread() {
    req_rep_100k("inproc").await;
}

#[tokio::test(flavor = "current_thread")]
async fn req_rep_100k_many_tasks_current_thread() {
    req_rep_100k("inproc").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_rep_tcp_many_tasks() {
    // Fewer roundtrips over tcp (each takes a loopback trip): the same checks.
    const CLIENTS: usize = 8;
    let ctx = ctx();
    let rep = Arc::new(ctx.async_socket(zmq::REP).unwrap());
    rep.bind("tcp://127.0.0.1:*").unwrap();
    let ep = rep.last_endpoint().unwrap();
    let server = {
        let rep = rep.clone();
        tokio::spawn(async move {
            for _ in 0..CLIENTS * 1000 {
                let m = rep.recv().await.unwrap();
                rep.send(m).await.unwrap();
            }
        })
    };
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let req = ctx.async_socket(zmq::REQ).unwrap();
        req.connect(&ep).unwrap();
        clients.push(tokio::spawn(async move {
            for i in 0..1000u64 {
                let body = format!("{c}-{i}");
                req.send(body.as_str()).await.unwrap();
                assert_eq!(req.recv_string().await.unwrap(), body);
            }
        }));
    }
    within(LIMIT, "REQ/REP over tcp", async {
        for c in clients {
            c.await.unwrap();
        }
        server.await.unwrap();
    })
    .await;
}

/// 10k `select!` races between a receive and a short timer while a sender sends, with pauses,
/// 10k numbered messages: a receive dropped by the timer consumed nothing, so every number
/// arrives once and in order.
async fn select_races() {
    const N: u64 = 10_000;
    let ctx = ctx();
    let pull = ctx.async_socket(zmq::PULL).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = ctx.async_socket(zmq::PUSH).unwrap();
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    let sender = tokio::spawn(async move {
        for i in 0..N {
            push.send(i.to_le_bytes().to_vec()).await.unwrap();
            if i % 10 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        push
    });
    let receive = async {
        let (mut next, mut races, mut timeouts) = (0u64, 0u64, 0u64);
        while next < N {
            races += 1;
            tokio::select! {
                m = pull.recv() => {
                    let m = m.unwrap();
                    assert_eq!(seq_of(&m), next, "lost, duplicated or reordered");
                    next += 1;
                }
                _ = tokio::time::sleep(Duration::from_micros(500)) => timeouts += 1,
            }
        }
        (races, timeouts)
    };
    let (races, timeouts) = within(LIMIT, "select! races", receive).await;
    let _push = sender.await.unwrap();
    assert!(races >= N);
    assert!(
        timeouts > 0,
        "no receive was ever cancelled: the test raced nothing"
    );
    // Nothing left over: no message was received twice, none is still queued.
    let extra = pull
        .poll(zmq::PollEvents::POLLIN, Some(Duration::from_millis(100)))
        .await
        .unwrap();
    assert!(extra.is_empty(), "a message was left over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_races_10k_multi_thread() {
    select_races().await;
}

#[tokio::test(flavor = "current_thread")]
async fn select_races_10k_current_thread() {
    select_races().await;
}

/// Two DEALER sockets ping-pong bursts in one task, each socket sending and receiving at once
/// (`join!`) through tiny high-water marks: the classic missed-wake-up case, where a receive
/// processes the command that frees room for the send waiting on the same socket.
async fn ping_pong_bursts(a: AsyncSocket<zmq::Dealer>, b: AsyncSocket<zmq::Dealer>) {
    const ROUNDS: u64 = 20;
    const BURST: u64 = 2_000;
    let run = async {
        for round in 0..ROUNDS {
            let send_a = async {
                for i in 0..BURST {
                    a.send((round * BURST + i).to_le_bytes().to_vec())
                        .await
                        .unwrap();
                }
            };
            let echo_b = async {
                for _ in 0..BURST {
                    let m = b.recv().await.unwrap();
                    b.send(m).await.unwrap();
                }
            };
            let recv_a = async {
                for i in 0..BURST {
                    let m = a.recv().await.unwrap();
                    assert_eq!(seq_of(&m), round * BURST + i);
                }
            };
            tokio::join!(send_a, echo_b, recv_a);
        }
    };
    within(LIMIT, "ping-pong (a missed wake-up)", run).await;
}

fn dealer_pair(ctx: &zmq::Context, endpoint: &str, hwm: i32) -> [AsyncSocket<zmq::Dealer>; 2] {
    let a = ctx.socket(zmq::DEALER).unwrap();
    a.set_hwm(hwm).unwrap();
    a.bind(endpoint).unwrap();
    let b = ctx.socket(zmq::DEALER).unwrap();
    b.set_hwm(hwm).unwrap();
    b.connect(&a.last_endpoint().unwrap()).unwrap();
    [a.into_async().unwrap(), b.into_async().unwrap()]
}

#[tokio::test(flavor = "current_thread")]
async fn ping_pong_bursts_in_one_task_tcp() {
    let ctx = ctx();
    let [a, b] = dealer_pair(&ctx, "tcp://127.0.0.1:*", 5);
    ping_pong_bursts(a, b).await;
}

#[tokio::test(flavor = "current_thread")]
async fn ping_pong_bursts_in_one_task_inproc() {
    let ctx = ctx();
    let [a, b] = dealer_pair(&ctx, "inproc://async-ping-pong", 2);
    ping_pong_bursts(a, b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_pong_bursts_in_one_task_multi_thread() {
    let ctx = ctx();
    let [a, b] = dealer_pair(&ctx, "tcp://127.0.0.1:*", 5);
    // The task runs on a worker thread; its wake-ups come from the other one.
    tokio::spawn(ping_pong_bursts(a, b)).await.unwrap();
}

/// A ROUTER server whose one socket is shared by a reader task and a writer task (no user-side
/// lock), serving DEALER clients; the reader hands requests to the writer through a channel.
async fn router_reader_writer() {
    const CLIENTS: usize = 6;
    const REQUESTS: usize = 3_000;
    let ctx = ctx();
    let router = Arc::new(ctx.async_socket(zmq::ROUTER).unwrap());
    router.lock().set_router_mandatory(true).unwrap();
    router.bind("tcp://127.0.0.1:*").unwrap();
    let ep = router.last_endpoint().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Message>>(64);
    let reader = {
        let router = router.clone();
        tokio::spawn(async move {
            use futures_util::StreamExt;
            let mut requests = router.stream();
            for _ in 0..CLIENTS * REQUESTS {
                let msg = requests.next().await.unwrap().unwrap();
                assert_eq!(msg.len(), 2, "routing id and body");
                tx.send(msg).await.unwrap();
            }
        })
    };
    let writer = {
        let router = router.clone();
        tokio::spawn(async move {
            use futures_util::SinkExt;
            let mut replies = router.sink();
            let mut n = 0;
            while let Some(mut msg) = rx.recv().await {
                let mut body = msg[1].to_vec();
                body.extend_from_slice(b" done");
                msg[1] = Message::from(body);
                replies.send(msg).await.unwrap();
                n += 1;
            }
            n
        })
    };
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let dealer = ctx.async_socket(zmq::DEALER).unwrap();
        dealer.connect(&ep).unwrap();
        clients.push(tokio::spawn(async move {
            // Sends everything while receiving: requests and replies overlap.
            let send = async {
                for i in 0..REQUESTS {
                    dealer.send(format!("{c}:{i}")).await.unwrap();
                }
            };
            let recv = async {
                let mut seen = HashSet::new();
                for _ in 0..REQUESTS {
                    let reply = dealer.recv_string().await.unwrap();
                    let body = reply.strip_suffix(" done").expect("a reply");
                    let (client, i) = body.split_once(':').unwrap();
                    assert_eq!(client, c.to_string(), "someone else's reply");
                    assert!(seen.insert(i.parse::<usize>().unwrap()), "duplicate reply");
                }
                seen.len()
            };
            let ((), n) = tokio::join!(send, recv);
            n
        }));
    }
    let all = within(LIMIT, "ROUTER reader/writer", async {
        let mut total = 0;
        for c in clients {
            total += c.await.unwrap();
        }
        reader.await.unwrap();
        total
    })
    .await;
    assert_eq!(all, CLIENTS * REQUESTS);
    assert_eq!(writer.await.unwrap(), CLIENTS * REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn router_with_reader_and_writer_tasks_multi_thread() {
    router_reader_writer().await;
}

#[tokio::test(flavor = "current_thread")]
async fn router_with_reader_and_writer_tasks_current_thread() {
    router_reader_writer().await;
}
