//! A tour of zmq in one process, over tcp on 127.0.0.1: request-reply, publish-subscribe with a
//! topic filter, a pipeline (a ventilator, workers and a sink), ROUTER/DEALER envelopes, a CURVE
//! server whose authenticator refuses an intruder, a poll loop over two sockets, and the monitor
//! events of one connection; with `--features tokio`, an async exchange too. Each part prints
//! what happens and the whole tour takes well under a second.
//!
//! ```text
//! cargo run --example tour
//! cargo run --example tour --features tokio
//! ```
//!
//! Each part has its own context and shuts it down at the end, which is also how its worker
//! threads learn to stop: a blocked `recv` returns `ContextTerminated`.

use std::thread;
use std::time::{Duration, Instant};
use zmq::{MonitorEvent, MonitorEvents, PollEvents};

/// How long any wait in the tour may take before it counts as a failure.
const PATIENCE: Duration = Duration::from_secs(5);

fn main() -> zmq::Result<()> {
    let started = Instant::now();
    let (major, minor, patch) = zmq::version();
    println!(
        "zmq tour: libzmq {major}.{minor}.{patch}, CURVE {}, every socket on tcp://127.0.0.1",
        if zmq::has("curve") { "on" } else { "off" }
    );
    request_reply()?;
    publish_subscribe()?;
    pipeline()?;
    router_dealer()?;
    curve()?;
    poll_loop()?;
    monitor()?;
    #[cfg(all(feature = "tokio", unix))]
    asynchronous()?;
    #[cfg(not(all(feature = "tokio", unix)))]
    println!("\n8. async: run with `--features tokio` to see an async exchange too");
    println!("\ntour done in {} ms", started.elapsed().as_millis());
    Ok(())
}

/// Binds `socket` to a free port on loopback and returns the endpoint to connect to.
fn bind_any<K: zmq::SocketKind>(socket: &zmq::Socket<K>) -> zmq::Result<String> {
    socket.bind("tcp://127.0.0.1:*")?;
    socket.last_endpoint()
}

/// Part 1, REQ/REP: the hello-world server and client.
fn request_reply() -> zmq::Result<()> {
    println!("\n1. REQ/REP: a client asks, a server answers");
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP)?;
    let endpoint = bind_any(&server)?;
    let handle = thread::spawn(move || -> zmq::Result<()> {
        for _ in 0..2 {
            let request = server.recv_string()?;
            server.send(format!("World ({request})"))?;
        }
        Ok(())
    });
    let client = ctx.socket(zmq::REQ)?;
    client.set_rcvtimeo(Some(PATIENCE))?;
    client.connect(&endpoint)?;
    for n in 1..=2 {
        let request = format!("Hello #{n}");
        client.send(request.as_str())?;
        println!(
            "   client sent {request:?}, got {:?}",
            client.recv_string()?
        );
    }
    handle.join().expect("server thread")?;
    Ok(())
}

/// Part 2, PUB/SUB: weather updates for three zip codes; the subscriber only wants one.
fn publish_subscribe() -> zmq::Result<()> {
    println!("\n2. PUB/SUB: a subscriber filters on the topic \"10001 \"");
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB)?;
    let endpoint = bind_any(&publisher)?;
    let subscriber = ctx.socket(zmq::SUB)?;
    // A SUB socket sends its subscriptions again to a publisher it reconnects to; once the
    // publisher is gone they would wait at close, for up to `zmq::DEFAULT_LINGER`, for it to
    // come back. Nothing a subscriber sends is worth that: no linger.
    subscriber.set_linger(Some(Duration::ZERO))?;
    subscriber.set_rcvtimeo(Some(PATIENCE))?;
    subscriber.connect(&endpoint)?;
    subscriber.subscribe("10001 ")?;

    // A publisher does not know when a subscriber has joined (the "slow joiner"): it publishes
    // on, as a weather server would, until the subscriber has heard enough.
    let publishing = thread::spawn(move || -> zmq::Result<u32> {
        let mut sent = 0;
        let deadline = Instant::now() + PATIENCE;
        for round in 0.. {
            if Instant::now() > deadline {
                break;
            }
            for (zipcode, temperature) in [(10001, 21 + round % 4), (10002, 18), (10003, 25)] {
                match publisher.send(format!("{zipcode} {temperature}C").as_str()) {
                    Ok(()) => sent += 1,
                    Err(e) if e.error().is_terminated() => return Ok(sent),
                    Err(e) => return Err(e.into()),
                }
            }
            thread::sleep(Duration::from_millis(2));
        }
        Ok(sent)
    });
    for _ in 0..3 {
        println!("   subscriber got {:?}", subscriber.recv_string()?);
    }
    ctx.shutdown()?; // the publisher's next send fails with ContextTerminated
    let sent = publishing.join().expect("publisher thread")?;
    println!("   (the publisher sent {sent} updates for 10001, 10002 and 10003)");
    Ok(())
}

/// Part 3, PUSH/PULL: a ventilator fans tasks out to three workers, a sink collects the results.
fn pipeline() -> zmq::Result<()> {
    println!("\n3. PUSH/PULL: a ventilator, three workers and a sink");
    let ctx = zmq::Context::new();
    let ventilator = ctx.socket(zmq::PUSH)?;
    let tasks = bind_any(&ventilator)?;
    let sink = ctx.socket(zmq::PULL)?;
    sink.set_rcvtimeo(Some(PATIENCE))?;
    let results = bind_any(&sink)?;

    // The ventilator waits until the three workers are connected, or the first one would get
    // every task: its monitor reports each finished handshake.
    let joined = ventilator.monitor(MonitorEvents::HANDSHAKE_SUCCEEDED)?;
    let mut workers = Vec::new();
    for id in 0..3 {
        let (tasks, results) = (tasks.clone(), results.clone());
        let receiver = ctx.socket(zmq::PULL)?;
        let sender = ctx.socket(zmq::PUSH)?;
        workers.push(thread::spawn(move || -> zmq::Result<()> {
            receiver.connect(&tasks)?;
            sender.connect(&results)?;
            loop {
                let workload: u64 = match receiver.recv_string() {
                    Ok(task) => task.parse().unwrap_or(0),
                    Err(e) if e.is_terminated() => return Ok(()), // the tour moves on
                    Err(e) => return Err(e.into()),
                };
                thread::sleep(Duration::from_millis(workload)); // the "work"
                sender.send(format!("worker {id} slept {workload} ms").as_str())?;
            }
        }));
    }
    for _ in 0..3 {
        if joined.next_event(PATIENCE)?.is_none() {
            return Err(zmq::Error::InvalidArgument(
                "the workers did not connect in time",
            ));
        }
    }

    let workloads = [5u64, 12, 3, 8, 1, 9, 4, 7, 2];
    for w in workloads {
        ventilator.send(w.to_string().as_str())?;
    }
    println!("   ventilator sent {} tasks", workloads.len());
    let mut per_worker = [0; 3];
    for _ in workloads {
        let result = sink.recv_string()?;
        let id: usize = result["worker ".len()..][..1].parse().unwrap_or(0);
        per_worker[id] += 1;
    }
    println!(
        "   sink got {} results: worker 0 did {}, worker 1 did {}, worker 2 did {}",
        workloads.len(),
        per_worker[0],
        per_worker[1],
        per_worker[2]
    );
    drop(joined);
    ctx.shutdown()?; // each worker's blocked recv returns ContextTerminated
    for w in workers {
        w.join().expect("worker thread")?;
    }
    Ok(())
}

/// Part 4, ROUTER/DEALER: the ROUTER sees who sent each message (the envelope) and routes the reply
/// back to that peer.
fn router_dealer() -> zmq::Result<()> {
    println!("\n4. ROUTER/DEALER: envelopes route each reply to its sender");
    let ctx = zmq::Context::new();
    let router = ctx.socket(zmq::ROUTER)?;
    router.set_rcvtimeo(Some(PATIENCE))?;
    let endpoint = bind_any(&router)?;

    let alice = ctx.socket(zmq::DEALER)?;
    alice.set_routing_id("alice")?;
    alice.connect(&endpoint)?;
    let bob = ctx.socket(zmq::DEALER)?;
    bob.set_routing_id("bob")?;
    bob.connect(&endpoint)?;
    let carol = ctx.socket(zmq::REQ)?; // a REQ adds an empty delimiter frame
    carol.set_routing_id("carol")?;
    carol.connect(&endpoint)?;

    alice.send("hi from alice")?;
    bob.send_multipart(["two", "frames"])?;
    carol.send("hi from carol")?;
    for _ in 0..3 {
        let mut parts = router.recv_multipart()?;
        println!("   router got   {}", frames(&parts));
        // Reply with the same envelope (routing id, and the delimiter if any) and a new body.
        let body = parts.pop().expect("a body");
        parts.push(format!("re: {}", String::from_utf8_lossy(&body)).into());
        router.send_multipart(parts)?;
    }
    for (name, socket) in [("alice", &alice), ("bob", &bob)] {
        socket.set_rcvtimeo(Some(PATIENCE))?;
        println!("   {name} got {}", frames(&socket.recv_multipart()?));
    }
    carol.set_rcvtimeo(Some(PATIENCE))?;
    println!("   carol got {:?}", carol.recv_string()?);
    Ok(())
}

/// Frames as a readable list: `["alice", "hi"]`.
fn frames(parts: &[zmq::Message]) -> String {
    let shown: Vec<String> = parts
        .iter()
        .map(|p| format!("{:?}", String::from_utf8_lossy(p)))
        .collect();
    format!("[{}]", shown.join(", "))
}

/// Part 5, CURVE: an encrypted server that lets in only the client keys its authenticator knows.
fn curve() -> zmq::Result<()> {
    println!("\n5. CURVE: an authenticator lets a known client in and refuses an intruder");
    if !zmq::has("curve") {
        println!("   skipped: this libzmq was built without CURVE");
        return Ok(());
    }
    let ctx = zmq::Context::new();
    let server_keys = zmq::CurveKeyPair::generate()?;
    let client_keys = zmq::CurveKeyPair::generate()?;
    let intruder_keys = zmq::CurveKeyPair::generate()?;

    // The ZAP handler runs on its own thread; only the client's public key is allowed.
    let auth = zmq::Authenticator::new(&ctx)?;
    auth.configure_curve_keys("*", [client_keys.public]);

    let server = ctx.socket(zmq::REP)?;
    server.set_curve_server_keys(&server_keys.secret)?;
    let handshakes =
        server.monitor(MonitorEvents::HANDSHAKE_SUCCEEDED | MonitorEvents::HANDSHAKE_FAILED)?;
    let endpoint = bind_any(&server)?;

    let client = ctx.socket(zmq::REQ)?;
    client.set_curve_client_keys(&client_keys, &server_keys.public)?;
    client.set_rcvtimeo(Some(PATIENCE))?;
    client.connect(&endpoint)?;
    client.send("secret hello")?;
    server.set_rcvtimeo(Some(PATIENCE))?;
    let request = server.recv()?;
    server.send("secret world")?;
    println!("   client got {:?}, encrypted", client.recv_string()?);
    println!(
        "   the server saw its User-Id, its public key: {}",
        request.gets("User-Id").unwrap_or("?")
    );

    let intruder = ctx.socket(zmq::REQ)?;
    intruder.set_curve_client_keys(&intruder_keys, &server_keys.public)?;
    intruder.set_linger(Some(Duration::ZERO))?;
    intruder.connect(&endpoint)?;
    intruder.send("let me in")?;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match handshakes.next_event(left)? {
            Some(MonitorEvent::HandshakeFailedAuth { status_code, .. }) => {
                println!("   intruder refused: HANDSHAKE_FAILED_AUTH, ZAP status {status_code}");
                break;
            }
            Some(_) => continue, // the allowed client's HANDSHAKE_SUCCEEDED
            None => return Err(zmq::Error::InvalidArgument("the intruder was not refused")),
        }
    }
    drop(handshakes);
    auth.stop()?;
    Ok(())
}

/// Part 6, Polling: one thread serves two sockets, a PULL of tasks and a control pipe, and stops
/// when the control pipe says KILL.
fn poll_loop() -> zmq::Result<()> {
    println!("\n6. poll: one loop serves a PULL of tasks and a PAIR control pipe");
    let ctx = zmq::Context::new();
    let tasks = ctx.socket(zmq::PULL)?;
    let tasks_endpoint = bind_any(&tasks)?;
    let control = ctx.socket(zmq::PAIR)?;
    let control_endpoint = bind_any(&control)?;

    let push = ctx.socket(zmq::PUSH)?;
    push.connect(&tasks_endpoint)?;
    let controller = ctx.socket(zmq::PAIR)?;
    controller.connect(&control_endpoint)?;
    for n in 1..=3 {
        push.send(format!("task {n}").as_str())?;
    }
    controller.send("KILL")?;

    let mut poller = zmq::Poller::new();
    poller.register(&tasks, PollEvents::POLLIN);
    poller.register(&control, PollEvents::POLLIN);
    let (mut done, mut killed) = (0, false);
    let deadline = Instant::now() + PATIENCE;
    // Tasks and the KILL travel on two connections: either may come first, so the loop runs
    // until it has both (bounded, as every wait in the tour).
    while (done < 3 || !killed) && Instant::now() < deadline {
        let ready = poller.poll(Some(Duration::from_millis(100)))?;
        if ready.is_readable(&tasks) {
            println!("   tasks readable:   {:?}", tasks.recv_string()?);
            done += 1;
        }
        if ready.is_readable(&control) {
            println!("   control readable: {:?}", control.recv_string()?);
            killed = true;
        }
    }
    if done < 3 || !killed {
        return Err(zmq::Error::InvalidArgument(
            "the poll loop did not get everything",
        ));
    }
    Ok(())
}

/// Part 7, Monitoring: the events of one client connection, from connect to close.
fn monitor() -> zmq::Result<()> {
    println!("\n7. monitor: the events of one connection, as the client sees them");
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP)?;
    let endpoint = bind_any(&server)?;
    let client = ctx.socket(zmq::REQ)?;
    let events = client.monitor(MonitorEvents::ALL)?;
    client.connect(&endpoint)?;
    client.send("ping")?;
    server.recv()?;
    server.send("pong")?;
    client.recv()?;
    let show = |event: &MonitorEvent| println!("   {event}");

    // Up to the handshake, then the server goes away: the client notices, and retries.
    drop(server);
    let disconnected = events.wait_for(PATIENCE, |e| {
        show(e);
        matches!(e, MonitorEvent::Disconnected { .. })
    })?;
    if disconnected.is_none() {
        return Err(zmq::Error::InvalidArgument("no DISCONNECTED event"));
    }
    // Closing the client ends the monitoring.
    drop(client);
    events.wait_for(PATIENCE, |e| {
        show(e);
        matches!(e, MonitorEvent::MonitorStopped { .. })
    })?;
    Ok(())
}

/// Part 8, Async (feature `tokio`): the same REQ/REP exchange with futures, on one tokio thread.
#[cfg(all(feature = "tokio", unix))]
fn asynchronous() -> zmq::Result<()> {
    println!("\n8. async: REQ/REP with tokio, both sides on one thread");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|_| zmq::Error::InvalidArgument("cannot start a tokio runtime"))?;
    runtime.block_on(async {
        let ctx = zmq::Context::new();
        let server = ctx.async_socket(zmq::REP)?;
        server.bind("tcp://127.0.0.1:*")?;
        let endpoint = server.last_endpoint()?;
        let client = ctx.async_socket(zmq::REQ)?;
        client.connect(&endpoint)?;

        let serve = async {
            let request = server.recv_string().await?;
            server.send(format!("World ({request})")).await?;
            Ok::<_, zmq::Error>(())
        };
        let ask = async {
            client.send("Hello, async").await?;
            client.recv_string().await.map_err(zmq::Error::from)
        };
        let exchange = async { tokio::try_join!(serve, ask) };
        match tokio::time::timeout(PATIENCE, exchange).await {
            Ok(result) => println!("   client got {:?}", result?.1),
            Err(_) => return Err(zmq::Error::InvalidArgument("the async exchange timed out")),
        }
        Ok(())
    })
}
