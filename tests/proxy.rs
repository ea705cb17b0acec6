//! Proxies: forwarding, capture, steering (pause/resume/statistics/terminate) and ending with the
//! context. Ports the essentials of libzmq's test_proxy, test_proxy_steerable and
//! test_proxy_terminate.

use std::time::Duration;

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));

fn pipeline(
    ctx: &zmq::Context,
    name: &str,
) -> zmq::Result<(zmq::Socket<zmq::Pull>, zmq::Socket<zmq::Push>)> {
    let front = ctx.socket(zmq::PULL)?;
    front.bind(&format!("inproc://{name}-in"))?;
    let back = ctx.socket(zmq::PUSH)?;
    back.bind(&format!("inproc://{name}-out"))?;
    Ok((front, back))
}

fn ends(
    ctx: &zmq::Context,
    name: &str,
) -> zmq::Result<(zmq::Socket<zmq::Push>, zmq::Socket<zmq::Pull>)> {
    let producer = ctx.socket(zmq::PUSH)?;
    producer.connect(&format!("inproc://{name}-in"))?;
    let consumer = ctx.socket(zmq::PULL)?;
    consumer.connect(&format!("inproc://{name}-out"))?;
    consumer.set_rcvtimeo(TIMEOUT)?;
    Ok((producer, consumer))
}

/// test_proxy: messages cross a proxy; the capture socket sees a copy of each.
#[test]
fn proxy_forwards_and_captures() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "fwd")?;
    let capture = ctx.socket(zmq::PUSH)?;
    capture.bind("inproc://fwd-capture")?;
    let tap = ctx.socket(zmq::PULL)?;
    tap.connect("inproc://fwd-capture")?;
    tap.set_rcvtimeo(TIMEOUT)?;
    let proxy = zmq::ProxyThread::spawn_with_capture(front, back, capture)?;
    let (producer, consumer) = ends(&ctx, "fwd")?;
    for i in 0..10 {
        producer.send(format!("msg {i}"))?;
    }
    for i in 0..10 {
        assert_eq!(consumer.recv_string()?, format!("msg {i}"));
        assert_eq!(tap.recv_string()?, format!("msg {i}"));
    }
    proxy.stop()
}

/// test_proxy_steerable: PAUSE holds messages back, RESUME lets them through, STATISTICS counts
/// them, TERMINATE ends the proxy.
#[test]
fn steerable_proxy_pause_resume_statistics() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "steer")?;
    let proxy = zmq::ProxyThread::spawn(front, back)?;
    let (producer, consumer) = ends(&ctx, "steer")?;

    producer.send("before pause")?;
    assert_eq!(consumer.recv_string()?, "before pause");

    proxy.control().pause()?;
    producer.send("during pause")?;
    consumer.set_rcvtimeo(Some(Duration::from_millis(200)))?;
    assert!(
        consumer.recv().unwrap_err().is_again(),
        "a paused proxy must not forward"
    );

    proxy.control().resume()?;
    consumer.set_rcvtimeo(TIMEOUT)?;
    assert_eq!(consumer.recv_string()?, "during pause");

    let stats = proxy.control().statistics()?;
    assert_eq!(stats.frontend_recv_messages, 2);
    assert_eq!(stats.backend_sent_messages, 2);
    assert_eq!(
        stats.frontend_recv_bytes,
        ("before pause".len() + "during pause".len()) as u64
    );
    proxy.stop()
}

/// test_proxy_terminate: a plain proxy returns Ok when its context is shut down.
#[test]
fn proxy_ends_with_the_context() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "term")?;
    let handle = std::thread::spawn(move || zmq::proxy(&front, &back));
    std::thread::sleep(Duration::from_millis(50));
    ctx.shutdown()?;
    let result = handle.join().expect("proxy thread panicked");
    assert!(result.is_ok(), "{result:?}");
    Ok(())
}

/// Dropping a ProxyThread terminates and joins it (no hang, no leak of the thread).
#[test]
fn dropping_the_proxy_thread_stops_it() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "drop")?;
    let proxy = zmq::ProxyThread::spawn(front, back)?;
    drop(proxy);
    // The sockets moved into the thread are closed: their endpoints can be bound again. libzmq
    // releases an inproc name on its reaper thread, so allow it a moment (bounded).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match pipeline(&ctx, "drop") {
            Ok(_) => return Ok(()),
            Err(e)
                if e.kind() == zmq::ErrorKind::AddrInUse
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs `f` on its own thread and fails the test if it has not returned within `limit` (a
/// blocked thread is left behind, so the test never hangs).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("did not return within {limit:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("panicked (see above)"),
    }
}

/// A consumer with the smallest queue, that never reads.
fn stuck_consumer(ctx: &zmq::Context, endpoint: &str) -> zmq::Result<zmq::Socket<zmq::Pull>> {
    let consumer = ctx.socket(zmq::PULL)?;
    consumer.set_rcvhwm(1)?;
    consumer.set_sndhwm(1)?;
    consumer.connect(endpoint)?;
    Ok(consumer)
}

/// Sends until the proxy is blocked: far more messages than the consumer's queue takes
/// (bounded: 3000 tries, each send waiting at most 100 ms), then lets the proxy run into the
/// full queue.
fn fill(producer: &zmq::Socket<zmq::Push>) -> zmq::Result<()> {
    producer.set_sndtimeo(Some(Duration::from_millis(100)))?;
    for i in 0..3000 {
        if let Err(e) = producer.send(format!("msg {i}")) {
            assert!(e.is_again(), "{e:?}");
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    Ok(())
}

/// A proxy blocked sending to a consumer that never reads cannot take TERMINATE: `stop` gives
/// up after its five seconds with `Again` instead of joining forever, and the thread ends when
/// the context is shut down.
#[test]
fn stop_is_bounded_when_the_proxy_is_stuck() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "stuck")?;
    let proxy = zmq::ProxyThread::spawn(front, back)?;
    let producer = ctx.socket(zmq::PUSH)?;
    producer.connect("inproc://stuck-in")?;
    let _consumer = stuck_consumer(&ctx, "inproc://stuck-out")?;
    fill(&producer)?;
    let started = std::time::Instant::now();
    let result = within(Duration::from_secs(20), move || proxy.stop());
    let elapsed = started.elapsed();
    let err = result.expect_err("a stuck proxy cannot have stopped");
    assert!(err.is_again(), "{err:?}");
    assert!(elapsed < Duration::from_secs(7), "stop took {elapsed:?}");
    // The stuck thread still holds its sockets; shutting the context down ends it.
    ctx.shutdown()?;
    Ok(())
}

/// Dropping a stuck proxy is bounded too.
#[test]
fn drop_is_bounded_when_the_proxy_is_stuck() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let (front, back) = pipeline(&ctx, "stuck-drop")?;
    let proxy = zmq::ProxyThread::spawn(front, back)?;
    let producer = ctx.socket(zmq::PUSH)?;
    producer.connect("inproc://stuck-drop-in")?;
    let _consumer = stuck_consumer(&ctx, "inproc://stuck-drop-out")?;
    fill(&producer)?;
    within(Duration::from_secs(20), move || drop(proxy));
    ctx.shutdown()?;
    Ok(())
}

/// When the proxy cannot be set up (here: the context's socket limit leaves no room for the
/// control pair), the error hands the sockets back, still bound and usable, and no thread is
/// left running.
#[test]
fn spawn_failure_gives_the_sockets_back() -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    ctx.set_max_sockets(3)?;
    let front = ctx.socket(zmq::PULL)?;
    front.bind("inproc://spawn-fail-in")?;
    let back = ctx.socket(zmq::PUSH)?;
    back.bind("inproc://spawn-fail-out")?;
    let capture = ctx.socket(zmq::PUSH)?;
    let err = match zmq::ProxyThread::spawn_with_capture(front, back, capture) {
        Err(e) => e,
        Ok(_) => panic!("the control sockets cannot fit in the socket limit"),
    };
    assert_eq!(
        err.error().kind(),
        zmq::ErrorKind::TooManyOpenFiles,
        "{err}"
    );
    let (front, back, capture) = err.into_sockets();
    assert_eq!(
        front.last_endpoint()?,
        "inproc://spawn-fail-in",
        "the frontend is the caller's socket, still bound"
    );
    drop((back, capture));
    // Room for a producer now (libzmq frees a closed socket's slot on its reaper thread, so
    // allow it a moment, bounded): the frontend still receives on its endpoint.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let producer = loop {
        match ctx.socket(zmq::PUSH) {
            Ok(s) => break s,
            Err(e)
                if e.kind() == zmq::ErrorKind::TooManyOpenFiles
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => return Err(e),
        }
    };
    producer.connect("inproc://spawn-fail-in")?;
    producer.send("still here")?;
    front.set_rcvtimeo(TIMEOUT)?;
    assert_eq!(front.recv_string()?, "still here");
    // `?` (From) turns the error into a plain zmq::Error.
    let err = zmq::ProxyThread::spawn(front, producer)
        .expect_err("still no room for the control sockets");
    let plain: zmq::Error = err.into();
    assert_eq!(plain.kind(), zmq::ErrorKind::TooManyOpenFiles);
    Ok(())
}

/// A STATISTICS reply that is not eight 8-byte frames is `Malformed` (it used to be reported as
/// an `InvalidArgument`, as if the caller had done something wrong).
#[test]
fn malformed_statistics_reply_is_malformed() {
    let ctx = zmq::Context::new();
    let ours = ctx.socket(zmq::PAIR).unwrap();
    let fake_proxy = ctx.socket(zmq::PAIR).unwrap();
    for s in [&ours, &fake_proxy] {
        s.set_linger(Some(std::time::Duration::ZERO)).unwrap();
    }
    let ep = "inproc://malformed-statistics";
    fake_proxy.bind(ep).unwrap();
    ours.connect(ep).unwrap();
    let control = zmq::ProxyControl::new(ours).unwrap();
    let answer = std::thread::spawn(move || {
        fake_proxy
            .set_rcvtimeo(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        assert_eq!(fake_proxy.recv().unwrap(), "STATISTICS");
        // Three frames, one of them 3 bytes long.
        fake_proxy
            .send_multipart([&[0u8; 8][..], &[1u8; 3][..], &[2u8; 8][..]])
            .unwrap();
        fake_proxy
    });
    let err = control.statistics().unwrap_err();
    assert_eq!(err.kind(), zmq::ErrorKind::Malformed, "{err}");
    assert!(err.to_string().contains("3 frames"), "{err}");
    drop(answer.join().unwrap());
}
