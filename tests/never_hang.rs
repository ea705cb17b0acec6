//! Nothing the user drops, in any order, and no call on a context, may hang or stall other
//! sockets (issue "never hang": a dropped or unread `Monitor`, `term` racing other uses of the
//! context, the exit hang of an unsent message, timeouts at the extremes, borrowed contexts).
//!
//! Every scenario runs on its own thread and the test fails when it does not finish in time, so
//! a regression fails the suite instead of hanging it.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};
use zmq::{Context, ErrorKind, MonitorEvent, MonitorEvents};

/// Runs `f` on its own thread and returns its result, or fails the test if it takes longer than
/// `limit` (the hung thread is left behind; the test binary exits without it).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(_) => panic!("{what}: still running after {limit:?} (hung)"),
    }
}

/// Ports on 127.0.0.1 where nothing listens (bound by the OS, then released).
fn closed_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<_> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A DEALER that makes monitor events fast: connected to 20 closed ports, reconnecting every
/// millisecond (each attempt is CONNECT_DELAYED + CLOSED + CONNECT_RETRIED).
fn noisy_dealer(ctx: &Context) -> zmq::Socket<zmq::Dealer> {
    let dealer = ctx.socket(zmq::DEALER).unwrap();
    dealer.set_linger(Some(Duration::ZERO)).unwrap();
    dealer
        .set_reconnect_ivl(Some(Duration::from_millis(1)))
        .unwrap();
    dealer
}

fn connect_all(dealer: &zmq::Socket<zmq::Dealer>, ports: &[u16]) {
    for port in ports {
        dealer.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    }
}

/// Another pair of sockets on the same context still delivers a message within 2 s.
fn other_sockets_work(ctx: &Context) {
    let a = ctx.socket(zmq::PAIR).unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    let ep = common::inproc("never-hang-pair");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    b.set_rcvtimeo(Some(Duration::from_secs(2))).unwrap();
    a.send("still alive").unwrap();
    assert_eq!(b.recv_string().unwrap(), "still alive");
    // Over tcp too, which goes through the I/O thread that libzmq's monitor send would block.
    let c = ctx.socket(zmq::PAIR).unwrap();
    let d = ctx.socket(zmq::PAIR).unwrap();
    for s in [&a, &b, &c, &d] {
        s.set_linger(Some(Duration::ZERO)).unwrap();
    }
    let ep = common::bind_loopback(&c);
    d.connect(&ep).unwrap();
    d.set_rcvtimeo(Some(Duration::from_secs(2))).unwrap();
    c.send("over tcp").unwrap();
    assert_eq!(d.recv_string().unwrap(), "over tcp");
}

/// The audit's scenario: a monitor on ALL events is dropped, then events pour in. libzmq's
/// blocking send to the closed monitor pipe used to stall the I/O thread and the context's end.
#[test]
fn dropped_monitor_does_not_stall_the_context() {
    within(Duration::from_secs(20), "dropped monitor", || {
        let ctx = Context::new();
        let dealer = noisy_dealer(&ctx);
        let monitor = dealer.monitor(MonitorEvents::ALL).unwrap();
        drop(monitor);
        connect_all(&dealer, &closed_ports(20));
        std::thread::sleep(Duration::from_millis(300));
        other_sockets_work(&ctx);
        drop(dealer);
        drop(ctx);
    });
}

/// A monitor that is never read: far more events than the default high-water mark (1000) pile
/// up. Nothing blocks; then the socket is dropped before the monitor (the background-drain
/// path), and the context still ends.
#[test]
fn unread_monitor_does_not_stall_the_context() {
    within(Duration::from_secs(20), "unread monitor", || {
        let ctx = Context::new();
        let dealer = noisy_dealer(&ctx);
        let monitor = dealer.monitor(MonitorEvents::ALL).unwrap();
        connect_all(&dealer, &closed_ports(20));
        // Far more events than an inproc pipe holds by default (1000 + 1000) pile up unread.
        std::thread::sleep(Duration::from_millis(500));
        other_sockets_work(&ctx);
        let mut queued = 0;
        while queued < 5000 && monitor.try_recv().unwrap().is_some() {
            queued += 1;
        }
        assert!(queued > 2000, "only {queued} events were queued");
        // More pile up again before the drops.
        std::thread::sleep(Duration::from_millis(100));
        other_sockets_work(&ctx);
        drop(dealer);
        drop(monitor);
        drop(ctx);
    });
}

/// Every drop order of context handle, socket and monitor ends, with events still coming.
#[test]
fn any_drop_order_of_socket_monitor_and_context_ends() {
    within(Duration::from_secs(30), "drop orders", || {
        for order in 0..6 {
            let ctx = Context::new();
            let dealer = noisy_dealer(&ctx);
            let monitor = dealer.monitor(MonitorEvents::ALL).unwrap();
            connect_all(&dealer, &closed_ports(5));
            std::thread::sleep(Duration::from_millis(50));
            let mut ctx = Some(ctx);
            let mut dealer = Some(dealer);
            let mut monitor = Some(monitor);
            let seq: [u8; 3] = match order {
                0 => [0, 1, 2],
                1 => [0, 2, 1],
                2 => [1, 0, 2],
                3 => [1, 2, 0],
                4 => [2, 0, 1],
                _ => [2, 1, 0],
            };
            for which in seq {
                match which {
                    0 => drop(ctx.take()),
                    1 => drop(dealer.take()),
                    _ => drop(monitor.take()),
                }
            }
        }
    });
}

/// A monitor replaced by a newer one, then dropped: the newer one keeps reporting.
#[test]
fn dropping_a_replaced_monitor_leaves_the_new_one_alone() {
    within(Duration::from_secs(20), "replaced monitor", || {
        let ctx = Context::new();
        let rep = ctx.socket(zmq::REP).unwrap();
        rep.set_linger(Some(Duration::ZERO)).unwrap();
        let old = rep.monitor(MonitorEvents::LISTENING).unwrap();
        let new = rep.monitor(MonitorEvents::LISTENING).unwrap();
        drop(old);
        rep.bind("tcp://127.0.0.1:*").unwrap();
        let event = new.next_event(Duration::from_secs(5)).unwrap();
        assert!(
            matches!(event, Some(MonitorEvent::Listening { .. })),
            "{event:?}"
        );
        drop(rep);
        assert!(matches!(
            new.wait_for(Duration::from_secs(5), |e| matches!(
                e,
                MonitorEvent::MonitorStopped { .. }
            ))
            .unwrap(),
            Some(MonitorEvent::MonitorStopped { .. })
        ));
    });
}

/// `Monitor::wait_for(Duration::MAX, ..)` used to panic on `Instant::now() + timeout`.
#[test]
fn monitor_waits_accept_any_duration() {
    let ctx = Context::new();
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.set_linger(Some(Duration::ZERO)).unwrap();
    let monitor = rep.monitor(MonitorEvents::LISTENING).unwrap();
    rep.bind("tcp://127.0.0.1:*").unwrap();
    let event = monitor.wait_for(Duration::MAX, |_| true).unwrap();
    assert!(matches!(event, Some(MonitorEvent::Listening { .. })));
    rep.disable_monitor().unwrap();
    let event = monitor.next_event(Duration::MAX).unwrap();
    assert!(matches!(event, Some(MonitorEvent::MonitorStopped { .. })));
    assert_eq!(monitor.try_recv().unwrap(), None);
}

/// The audit's scenario for `term`: a worker blocked in `recv` gets ETERM, then uses its clone
/// of the context (Debug, socket(), is_terminated, get_raw, Context::instance) before dropping
/// its socket. `term` used to hold the context's lock while waiting for that socket: both
/// threads hung.
#[test]
fn term_does_not_lock_out_other_users_of_the_context() {
    within(Duration::from_secs(20), "term with a busy worker", || {
        let ctx = Context::new();
        let worker_ctx = ctx.clone();
        let (ready_tx, ready_rx) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            let pull = worker_ctx.socket(zmq::PULL).unwrap();
            pull.bind(&common::inproc("never-hang-term")).unwrap();
            ready_tx.send(()).unwrap();
            let err = pull.recv().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ContextTerminated);
            // Every use of the context while `term` waits for this very socket.
            let text = format!("{worker_ctx:?}");
            assert!(worker_ctx.is_terminated(), "{text}");
            assert_eq!(
                worker_ctx.socket(zmq::PUSH).unwrap_err().kind(),
                ErrorKind::ContextTerminated
            );
            assert_eq!(
                worker_ctx
                    .get_raw(zmq::ffi::ZMQ_IO_THREADS)
                    .unwrap_err()
                    .kind(),
                ErrorKind::ContextTerminated
            );
            assert_eq!(worker_ctx.shutdown(), Ok(()));
            let _fresh = Context::instance();
            drop(pull);
            text
        });
        ready_rx.recv().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        ctx.term().unwrap();
        let text = worker.join().unwrap();
        assert!(text.contains("Terminating"), "{text}");
    });
}

/// Dropping everything with an unsent message to a peer that never comes: libzmq's default
/// linger is infinite, so dropping the last context handle used to wait forever. The crate's
/// default linger bounds it.
#[test]
fn drop_with_an_unsent_message_to_an_absent_peer_ends() {
    let started = Instant::now();
    within(Duration::from_secs(20), "drop with unsent message", || {
        let ctx = Context::new();
        assert_eq!(ctx.default_linger(), Some(zmq::DEFAULT_LINGER));
        let push = ctx.socket(zmq::PUSH).unwrap();
        assert_eq!(push.linger().unwrap(), Some(zmq::DEFAULT_LINGER));
        push.connect(&format!("tcp://127.0.0.1:{}", closed_ports(1)[0]))
            .unwrap();
        push.send("never delivered").unwrap();
        drop(push); // the last handle to the context goes with the socket
        drop(ctx);
    });
    assert!(
        started.elapsed() >= zmq::DEFAULT_LINGER - Duration::from_millis(500),
        "the linger was not applied: {:?}",
        started.elapsed()
    );
}

/// The default linger is per context, and a socket's own setting wins; `None` is libzmq's
/// infinite default; BLOCKY off means zero, as libzmq documents.
#[test]
fn default_linger_is_configurable() {
    let ctx = Context::new();
    ctx.set_default_linger(Some(Duration::from_micros(1)));
    assert_eq!(
        ctx.default_linger(),
        Some(Duration::from_millis(1)),
        "rounded up"
    );
    let s = ctx.socket(zmq::PUSH).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_millis(1)));
    s.set_linger(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    ctx.set_default_linger(None);
    assert_eq!(ctx.socket(zmq::PUSH).unwrap().linger().unwrap(), None);
    ctx.set_default_linger(Some(Duration::MAX));
    assert_eq!(
        ctx.default_linger(),
        Some(Duration::from_millis(i32::MAX as u64))
    );
    ctx.set_blocky(false).unwrap();
    assert_eq!(ctx.default_linger(), Some(Duration::ZERO));
    assert_eq!(
        ctx.socket(zmq::PUSH).unwrap().linger().unwrap(),
        Some(Duration::ZERO)
    );
}

/// With the default linger, messages queued to a live peer are still delivered when the sender
/// and its context are dropped at once.
#[test]
fn default_linger_still_delivers_to_a_live_peer() {
    let receiver_ctx = Context::new();
    let pull = receiver_ctx.socket(zmq::PULL).unwrap();
    pull.set_linger(Some(Duration::ZERO)).unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    let ep = common::bind_loopback(&pull);
    within(Duration::from_secs(20), "sender drop", move || {
        let ctx = Context::new();
        let push = ctx.socket(zmq::PUSH).unwrap();
        push.connect(&ep).unwrap();
        for i in 0..500 {
            push.send(format!("message {i}")).unwrap();
        }
        drop(push);
        drop(ctx);
    });
    for i in 0..500 {
        assert_eq!(pull.recv_string().unwrap(), format!("message {i}"));
    }
}

/// A context borrowed with `from_raw_borrowed` belongs to its owner: `term` refuses instead of freeing
/// it under the owner's feet (whose own `zmq_ctx_term` would then be a double free).
#[test]
fn term_refuses_a_borrowed_context() {
    let owner = Context::new();
    // SAFETY: `owner` keeps the raw context live for longer than `borrowed` exists.
    let borrowed = unsafe { Context::from_raw_borrowed(owner.as_raw()) };
    let err = borrowed.clone().term().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(!borrowed.is_terminated());
    // The context is still usable through both handles.
    let a = borrowed.socket(zmq::PAIR).unwrap();
    let b = owner.socket(zmq::PAIR).unwrap();
    let ep = common::inproc("borrowed");
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    a.send("x").unwrap();
    b.set_rcvtimeo(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(b.recv_string().unwrap(), "x");
    drop((a, b, borrowed));
    owner.term().unwrap();
}
