//! Faults (issue 16): a peer process killed with SIGKILL and restarted, context shutdown while
//! threads block, sockets and monitors dropped on other threads in every order, the high water
//! mark on PUSH (blocks) and PUB (drops), linger at close, running out of file descriptors, and
//! a second inproc connect to one name (refused: a libzmq crash follows it).
//!
//! Child processes are this test binary run again with `ZMQ_FAULTS_ROLE` set: the test that
//! spawns one sees the variable at its start and plays the child's part instead.
//!
//! Not repeated here (see RELIABILITY.md): tests/never_hang.rs (dropped and unread monitors,
//! drop orders on one thread, term racing other users of the context, default linger) and
//! tests/hwm.rs (HWM counts with DONTWAIT, `try_send` giving the message back).

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use zmq::{Context, ErrorKind, SocketType};

const ROLE: &str = "ZMQ_FAULTS_ROLE";

/// If this process is a child, plays its part and exits; otherwise returns.
fn child_role() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let code = match role.split_once('=') {
        Some(("rep-server", endpoint)) => rep_server(endpoint, false),
        Some(("rep-server-stalling", endpoint)) => rep_server(endpoint, true),
        Some(("emfile", _)) => emfile_child(),
        Some(("conflate-inproc", _)) => conflate_inproc_child(),
        Some(("pending-inproc-monitor", _)) => pending_inproc_monitor_child(),
        _ => {
            eprintln!("unknown role {role}");
            2
        }
    };
    std::process::exit(code);
}

/// Runs this test binary again as a child playing `role` (only the test `test` runs in it).
fn spawn_child(test: &str, role: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the child")
}

/// The child REP server: answers `req-N` with `rep-N` for at most 30 s. A `stalling` one
/// takes 10 s over `req-100` (it is killed before it answers).
fn rep_server(endpoint: &str, stalling: bool) -> i32 {
    let ctx = Context::new();
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.set_linger(Some(Duration::ZERO)).unwrap();
    rep.set_rcvtimeo(Some(Duration::from_millis(100))).unwrap();
    // The port may still be held by the killed server's connections for a moment.
    let start = Instant::now();
    while let Err(e) = rep.bind(endpoint) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "bind {endpoint}: {e}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    while start.elapsed() < Duration::from_secs(30) {
        match rep.recv() {
            Ok(m) => {
                if stalling && &m[..] == b"req-100" {
                    std::thread::sleep(Duration::from_secs(10));
                }
                let reply = m.as_str().unwrap_or("").replacen("req-", "rep-", 1);
                let _ = rep.send(reply.as_str());
            }
            Err(e) if e.is_again() => {}
            Err(e) => panic!("server: {e}"),
        }
    }
    0
}

/// A port on 127.0.0.1 that nothing listens on (bound by the OS, then released).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn req(ctx: &Context, endpoint: &str) -> zmq::Socket<zmq::Req> {
    let s = ctx.socket(zmq::REQ).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s.set_rcvtimeo(Some(Duration::from_millis(250))).unwrap();
    s.set_sndtimeo(Some(Duration::from_secs(5))).unwrap();
    s.connect(endpoint).unwrap();
    s
}

/// The server process is killed with SIGKILL in the middle of a request and started again on
/// the same endpoint. A REQ client with retries (the zguide's Lazy Pirate: on timeout, close
/// the socket, open a new one, send again) gets every one of its 200 requests answered, each
/// answer the right one; a DEALER that was connected before the kill reconnects by itself.
#[test]
fn peer_killed_with_sigkill_and_restarted() {
    child_role();
    let endpoint = format!("tcp://127.0.0.1:{}", free_port());
    let test = "peer_killed_with_sigkill_and_restarted";
    let mut server = spawn_child(test, &format!("rep-server-stalling={endpoint}"));

    let ctx = Context::new();
    let survivor = ctx.socket(zmq::DEALER).unwrap();
    survivor.set_linger(Some(Duration::ZERO)).unwrap();
    survivor
        .set_rcvtimeo(Some(Duration::from_secs(10)))
        .unwrap();
    survivor
        .set_reconnect_ivl(Some(Duration::from_millis(20)))
        .unwrap();
    survivor.connect(&endpoint).unwrap();

    let mut client = req(&ctx, &endpoint);
    let (mut acked, mut retries, mut kills) = (0, 0, 0);
    let start = Instant::now();
    for i in 0..200 {
        let body = format!("req-{i}");
        let mut attempts = 0;
        loop {
            attempts += 1;
            assert!(
                attempts <= 80,
                "request {i} unanswered after {attempts} tries"
            );
            client.send(body.as_str()).unwrap();
            if i == 100 && kills == 0 {
                // The server has the request and stalls over it: killed (SIGKILL) before it
                // answers, then started again. The request is lost with it; the retry is not.
                std::thread::sleep(Duration::from_millis(100));
                server.kill().unwrap();
                server.wait().unwrap();
                kills += 1;
                server = spawn_child(test, &format!("rep-server={endpoint}"));
            }
            match client.recv() {
                Ok(reply) => {
                    assert_eq!(&reply[..], format!("rep-{i}").as_bytes());
                    acked += 1;
                    break;
                }
                Err(e) if e.is_again() => {
                    retries += 1;
                    client = req(&ctx, &endpoint);
                }
                Err(e) => panic!("request {i}: {e}"),
            }
        }
    }
    // The DEALER connected to the first server process talks to the second one.
    survivor
        .send_multipart([&b""[..], &b"req-survivor"[..]])
        .unwrap();
    let reply = survivor.recv_multipart().expect("the DEALER reconnected");
    assert_eq!(&reply[1][..], b"rep-survivor");
    let _ = server.kill();
    let _ = server.wait();
    eprintln!(
        "200 requests, {acked} answered, {retries} retries, {kills} kill, {:?}",
        start.elapsed()
    );
    assert_eq!(acked, 200);
    assert_eq!(kills, 1);
    assert!(
        retries >= 1,
        "the request held by the killed server was retried"
    );
}

/// `Context::shutdown` while 8 threads block: in `recv` (PULL, REP, SUB), in `send` (PUSH,
/// REQ, DEALER with no peer) and in `poll` with no timeout (a `PollItem` and `Socket::poll`).
/// Each returns `ContextTerminated` within a second.
#[test]
fn shutdown_wakes_eight_blocked_threads_within_a_second() {
    let ctx = Context::new();
    let barrier = Arc::new(Barrier::new(9));
    let (tx, rx) = mpsc::channel();
    type Blocker = fn(&Context) -> zmq::Result<()>;
    let blockers: [(&str, Blocker); 8] = [
        ("recv PULL", |c| {
            socket(c, SocketType::Pull).recv().map(drop)
        }),
        ("recv REP", |c| socket(c, SocketType::Rep).recv().map(drop)),
        ("recv SUB", |c| {
            let s = socket(c, SocketType::Sub);
            s.subscribe("").unwrap();
            s.recv().map(drop)
        }),
        ("send PUSH", |c| {
            socket(c, SocketType::Push).send("x").map_err(Into::into)
        }),
        ("send REQ", |c| {
            socket(c, SocketType::Req).send("x").map_err(Into::into)
        }),
        ("send DEALER", |c| {
            socket(c, SocketType::Dealer).send("x").map_err(Into::into)
        }),
        ("poll PollItem", |c| {
            let s = socket(c, SocketType::Pull);
            let mut items = [s.as_poll_item(zmq::PollEvents::POLLIN)];
            zmq::poll(&mut items, None).map(drop)
        }),
        ("Socket::poll", |c| {
            socket(c, SocketType::Dealer)
                .poll(zmq::PollEvents::POLLIN, None)
                .map(drop)
        }),
    ];
    for (name, block) in blockers {
        let (ctx, barrier, tx) = (ctx.clone(), barrier.clone(), tx.clone());
        std::thread::spawn(move || {
            barrier.wait();
            let result = block(&ctx);
            let _ = tx.send((name, result, Instant::now()));
        });
    }
    barrier.wait();
    std::thread::sleep(Duration::from_millis(200));
    let shut = Instant::now();
    ctx.shutdown().unwrap();
    for _ in 0..8 {
        let (name, result, when) = rx
            .recv_timeout(Duration::from_secs(1))
            .expect("every blocked thread returns within a second");
        assert_eq!(
            result.as_ref().map_err(|e| e.kind()),
            Err(ErrorKind::ContextTerminated),
            "{name}"
        );
        assert!(when.duration_since(shut) < Duration::from_secs(1), "{name}");
    }
}

/// A socket with zero linger, so closing it never waits.
fn socket(ctx: &Context, kind: SocketType) -> zmq::Socket<SocketType> {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(Some(Duration::ZERO)).unwrap();
    s
}

/// A socket, its monitor and the last context handle each moved to a thread of its own and
/// dropped there, in each of the 6 orders, with monitor events pouring in (a DEALER
/// reconnecting every millisecond to a closed port). Every order ends within 5 s.
#[test]
fn socket_monitor_and_context_dropped_on_other_threads_in_every_order() {
    let orders: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in orders {
        let (done_tx, done_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let ctx = Context::new();
            let dealer = ctx.socket(zmq::DEALER).unwrap();
            dealer.set_linger(Some(Duration::ZERO)).unwrap();
            dealer
                .set_reconnect_ivl(Some(Duration::from_millis(1)))
                .unwrap();
            dealer
                .connect(&format!("tcp://127.0.0.1:{}", free_port()))
                .unwrap();
            let monitor = dealer.monitor(zmq::MonitorEvents::ALL).unwrap();
            // Each owner waits for its turn on its own thread, then drops what it holds.
            let mut turns = Vec::new();
            let mut handles = Vec::new();
            let (t0, r0) = mpsc::channel::<()>();
            let (t1, r1) = mpsc::channel::<()>();
            let (t2, r2) = mpsc::channel::<()>();
            turns.push(t0);
            turns.push(t1);
            turns.push(t2);
            let (ack_tx, ack_rx) = mpsc::channel();
            let a = ack_tx.clone();
            handles.push(std::thread::spawn(move || {
                r0.recv().unwrap();
                drop(dealer);
                a.send(0).unwrap();
            }));
            let a = ack_tx.clone();
            handles.push(std::thread::spawn(move || {
                r1.recv().unwrap();
                drop(monitor);
                a.send(1).unwrap();
            }));
            let a = ack_tx;
            handles.push(std::thread::spawn(move || {
                r2.recv().unwrap();
                drop(ctx);
                a.send(2).unwrap();
            }));
            std::thread::sleep(Duration::from_millis(20));
            for &who in &order {
                turns[who].send(()).unwrap();
                // Sockets and monitors hold the context: no drop waits for another, and the
                // last one terminates the context on its own thread.
                ack_rx.recv_timeout(Duration::from_secs(5)).unwrap();
            }
            for h in handles {
                h.join().unwrap();
            }
            let _ = done_tx.send(());
        });
        done_rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| {
                panic!("drop order {order:?} (0 socket, 1 monitor, 2 context) hung")
            });
    }
}

/// PUSH at its high water mark blocks (a send with a 300 ms timeout waits that long, then
/// fails with `Again`), and nothing is dropped: every message it took arrives, in order.
#[test]
fn push_at_hwm_blocks_and_loses_nothing() {
    let ctx = Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvhwm(5).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.set_sndhwm(5).unwrap();
    push.set_sndtimeo(Some(Duration::from_millis(300))).unwrap();
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    let payload = vec![0u8; 64 * 1024]; // kernel buffers fill too
    let mut sent = 0u32;
    let blocked = loop {
        assert!(sent < 100_000, "PUSH never blocked");
        let mut msg = sent.to_be_bytes().to_vec();
        msg.extend_from_slice(&payload);
        let t = Instant::now();
        match push.send(msg) {
            Ok(()) => sent += 1,
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Again);
                break t.elapsed();
            }
        }
    };
    assert!(blocked >= Duration::from_millis(250), "blocked {blocked:?}");
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    for i in 0..sent {
        let m = pull.recv().expect("every message PUSH took arrives");
        assert_eq!(&m[..4], &i.to_be_bytes());
    }
    eprintln!("PUSH took {sent} messages of 64 KiB, then blocked {blocked:?}");
}

/// PUB at its high water mark drops rather than blocks: 20 000 sends to a subscriber that does
/// not read all return at once, fewer arrive, and those that do are in order.
#[test]
fn pub_at_hwm_drops_and_never_blocks() {
    let ctx = Context::new();
    let publisher = ctx.socket(zmq::PUB).unwrap();
    publisher.set_linger(Some(Duration::ZERO)).unwrap();
    publisher.set_sndhwm(10).unwrap();
    publisher.bind("tcp://127.0.0.1:*").unwrap();
    let sub = ctx.socket(zmq::SUB).unwrap();
    sub.set_linger(Some(Duration::ZERO)).unwrap();
    sub.set_rcvhwm(10).unwrap();
    sub.subscribe("").unwrap();
    sub.connect(&publisher.last_endpoint().unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let payload = vec![0u8; 1024];
    let start = Instant::now();
    for i in 0..20_000u32 {
        let mut msg = i.to_be_bytes().to_vec();
        msg.extend_from_slice(&payload);
        publisher.send(msg).expect("PUB never fails a send");
    }
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "PUB blocked: {took:?}");
    std::thread::sleep(Duration::from_millis(200));
    let mut last = None;
    let mut received = 0;
    while let Some(m) = sub.try_recv().unwrap() {
        let n = u32::from_be_bytes(m[..4].try_into().unwrap());
        assert!(
            last.is_none_or(|l| n > l),
            "out of order: {n} after {last:?}"
        );
        last = Some(n);
        received += 1;
    }
    eprintln!("PUB sent 20000 in {took:?}; the subscriber got {received}");
    assert!(received > 0, "the subscriber got nothing");
    assert!(
        received < 20_000,
        "nothing was dropped: the HWM did not apply"
    );
}

/// A socket closed with 1000 messages still queued, and an explicit linger of 10 s, delivers
/// them all to a live peer that only starts reading after the close (the context's end waits
/// for them).
#[test]
fn linger_delivers_queued_messages_to_a_live_peer_at_close() {
    let receiver_ctx = Context::new();
    let pull = receiver_ctx.socket(zmq::PULL).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvhwm(0).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let start = Instant::now();
    {
        let ctx = Context::new();
        let push = ctx.socket(zmq::PUSH).unwrap();
        push.set_linger(Some(Duration::from_secs(10))).unwrap();
        push.set_sndhwm(0).unwrap();
        push.connect(&endpoint).unwrap();
        for i in 0..1000u32 {
            push.send(i.to_be_bytes().to_vec()).unwrap();
        }
        push.close().unwrap();
        drop(ctx); // waits for the queue to drain
    }
    assert!(start.elapsed() < Duration::from_secs(10), "linger ran out");
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    for i in 0..1000u32 {
        assert_eq!(&pull.recv().unwrap()[..], &i.to_be_bytes());
    }
}

/// In a child process with RLIMIT_NOFILE lowered and every descriptor taken: creating a socket,
/// binding a TCP endpoint and creating a context fail with `TooManyOpenFiles`, nothing aborts;
/// once descriptors are freed, the same calls work and messages flow (tcp and inproc).
#[test]
fn out_of_file_descriptors_is_too_many_open_files_and_recovers() {
    child_role();
    child_succeeds(
        "out_of_file_descriptors_is_too_many_open_files_and_recovers",
        "emfile=",
        "recovered",
    );
}

/// Runs the child playing `role` for `test` and checks that it exited with 0 and printed
/// `marker`; what it printed is shown.
fn child_succeeds(test: &str, role: &str, marker: &str) {
    let out = spawn_child(test, role).wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}");
    assert!(
        out.status.success(),
        "the child failed ({:?}): {text}",
        out.status
    );
    assert!(text.contains(marker), "{text}");
}

/// The child's part: returns 0 when every expectation held (printing what it saw).
fn emfile_child() -> i32 {
    let limit = libc::rlimit {
        rlim_cur: 256,
        rlim_max: 256,
    };
    // SAFETY: a valid rlimit struct; lowering the limit is always allowed.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    let ctx = Context::new();
    let server = ctx.socket(zmq::PAIR).unwrap();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    // Take every descriptor left.
    let mut files = Vec::new();
    while let Ok(f) = std::fs::File::open("/dev/null") {
        files.push(f);
        assert!(files.len() < 1000, "the limit did not apply");
    }
    let mut failures = Vec::new();
    let mut expect = |what: &str, r: zmq::Result<()>| match r {
        Err(e) if e.kind() == ErrorKind::TooManyOpenFiles => println!("{what}: {e}"),
        other => failures.push(format!("{what}: {other:?}")),
    };
    expect("socket", ctx.socket(zmq::PAIR).map(drop));
    expect("bind", server.bind("tcp://127.0.0.1:*"));
    expect("context", Context::try_new().map(drop));
    if !failures.is_empty() {
        println!("not TooManyOpenFiles: {failures:?}");
        return 1;
    }
    // Recovery.
    files.truncate(files.len().saturating_sub(32));
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = ctx.socket(zmq::PAIR).unwrap();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    client.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    server.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    client.send("over tcp").unwrap();
    assert_eq!(&server.recv().unwrap()[..], b"over tcp");
    let a = ctx.socket(zmq::PAIR).unwrap();
    a.bind("inproc://emfile").unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    b.connect("inproc://emfile").unwrap();
    a.send("over inproc").unwrap();
    assert_eq!(&b.recv().unwrap()[..], b"over inproc");
    println!("recovered: {} descriptors held, messages flow", files.len());
    0
}

/// libzmq 4.3.4 and 4.3.5 can crash (SIGSEGV) in `zmq_ctx_term` after one socket connected two or
/// more times to an inproc name nothing bound (RELIABILITY.md, section 4; reproduced in C, where
/// up to 5 of 12 runs of 3000 such lifecycles crashed, depending on timing). The wrapper refuses the second
/// connection, which only doubles the pipe to the same peer; everything else stays as libzmq
/// has it.
#[test]
fn a_second_inproc_connect_to_one_name_is_refused() {
    let ctx = Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.connect("inproc://faults-twice").unwrap();
    let err = push.connect("inproc://faults-twice").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.to_string().contains("already connected"), "{err}");

    // Another name, and another socket to the same name, are fine.
    push.connect("inproc://faults-other").unwrap();
    let push2 = ctx.socket(zmq::PUSH).unwrap();
    push2.connect("inproc://faults-twice").unwrap();

    // Once disconnected, the name can be connected again; messages then flow to a late binder.
    push.disconnect("inproc://faults-twice").unwrap();
    push.connect("inproc://faults-twice").unwrap();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://faults-twice").unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    push.send("one").unwrap();
    push2.send("two").unwrap();
    let mut got = [pull.recv_string().unwrap(), pull.recv_string().unwrap()];
    got.sort();
    assert_eq!(got, ["one", "two"]);

    // A failed libzmq connect is not remembered; a tcp endpoint may be connected twice, as
    // libzmq allows.
    assert!(push.connect("inproc://").is_err());
    let port = free_port();
    push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
}

/// libzmq 4.3.4 and 4.3.5 abort the process (`Assertion failed: ok`, ctx.cpp:789; libzmq #4544)
/// when a `ZMQ_CONFLATE` socket's connect to an inproc name nobody bound is still pending after
/// the socket was closed, at `zmq_ctx_term` or at a later `bind` of the name (reproduced in C,
/// RELIABILITY.md section 4). The wrapper settles such connects before the close, and before a
/// shutdown or term. Each way in is played in a child process, which an abort would kill.
#[test]
fn a_conflating_socket_with_a_pending_inproc_connect_does_not_abort() {
    child_role();
    child_succeeds(
        "a_conflating_socket_with_a_pending_inproc_connect_does_not_abort",
        "conflate-inproc=",
        "all four ways ended",
    );
}

/// The child's part: the four ways to the abort, each with its own context.
fn conflate_inproc_child() -> i32 {
    let conflating = |ctx: &Context| {
        let push = ctx.socket(zmq::PUSH).unwrap();
        push.set_conflate(true).unwrap();
        push.connect("inproc://faults-conflate").unwrap();
        push.send("the last value").unwrap();
        push
    };
    // 1. Dropped, then (once libzmq's reaper has closed it) the context.
    let ctx = Context::new();
    drop(conflating(&ctx));
    std::thread::sleep(Duration::from_millis(100));
    drop(ctx);
    println!("dropped: ended");
    // 2. Closed, then terminated explicitly.
    let ctx = Context::new();
    conflating(&ctx).close().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    ctx.term().unwrap();
    println!("closed and terminated: ended");
    // 3. The context shut down while the socket is open, then both dropped.
    let ctx = Context::new();
    let push = conflating(&ctx);
    ctx.shutdown().unwrap();
    drop(push);
    std::thread::sleep(Duration::from_millis(100));
    drop(ctx);
    println!("shut down first: ended");
    // 4. Dropped, then the name bound by another socket, which works as usual.
    let ctx = Context::new();
    drop(conflating(&ctx));
    std::thread::sleep(Duration::from_millis(100));
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://faults-conflate").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.connect("inproc://faults-conflate").unwrap();
    push.send("after").unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(pull.recv_string().unwrap(), "after");
    drop((push, pull));
    drop(ctx);
    println!("bound later: ended");
    println!("all four ways ended");
    0
}

/// A socket with a connect to an inproc name nobody binds is destroyed by libzmq only when the
/// context is terminated, and only then comes its monitor's `MONITOR_STOPPED`. Its monitor,
/// dropped after it, drains on a background thread whose PAIR socket holds the context: once
/// the application has dropped everything, that thread has to end the context itself. Before
/// it did (found by the `ops` fuzzer), the context, its two libzmq threads and the drain thread
/// stayed for good. Played in a child process, whose threads are all this scenario's.
#[test]
fn monitor_of_a_socket_with_a_pending_inproc_connect_lets_the_context_end() {
    child_role();
    child_succeeds(
        "monitor_of_a_socket_with_a_pending_inproc_connect_lets_the_context_end",
        "pending-inproc-monitor=",
        "back to the threads from before",
    );
}

/// The number of this process's threads.
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |dir| dir.count())
}

/// The child's part: everything dropped, then at most 5 s for the threads to go.
fn pending_inproc_monitor_child() -> i32 {
    let before = threads();
    let ctx = Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    let monitor = push.monitor(zmq::MonitorEvents::ALL).unwrap();
    push.connect("inproc://faults-never-bound").unwrap();
    println!("threads: {before} before, {} with the context", threads());
    drop(push);
    drop(monitor);
    drop(ctx);
    let deadline = Instant::now() + Duration::from_secs(5);
    while threads() > before {
        if Instant::now() > deadline {
            println!("{} threads 5 s after everything was dropped", threads());
            return 1;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("back to the threads from before");
    0
}
