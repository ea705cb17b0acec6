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
