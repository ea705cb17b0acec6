//! A signal that interrupts a blocking call comes back as `ErrorKind::Interrupted` (EINTR), never
//! retried inside the crate, so a program can notice Ctrl-C (pyzmq#64, #746). Own binary: it
//! installs a signal handler.

#![cfg(unix)]

use std::sync::mpsc;
use std::time::{Duration, Instant};

extern "C" fn on_signal(_: libc::c_int) {}

#[test]
fn blocked_recv_is_interrupted_by_a_signal() {
    // SAFETY: a zeroed sigaction with a handler and no SA_RESTART, installed for SIGUSR1, which
    // nothing else in this test binary uses; the handler does nothing.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as usize;
        action.sa_flags = 0; // no SA_RESTART: blocking calls fail with EINTR
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }

    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://signals").unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(10))).unwrap();

    let (tx, rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        // SAFETY: pthread_self has no preconditions.
        tx.send(unsafe { libc::pthread_self() }).unwrap();
        let started = Instant::now();
        let result = pull.recv();
        (result.map(|m| m.to_vec()), started.elapsed())
    });
    let thread_id = rx.recv().unwrap();

    // Signal until the receive returns (the first signal may arrive before it blocks); bounded.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !waiter.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        // SAFETY: `thread_id` is the live waiter thread (it has not finished), SIGUSR1 is handled.
        unsafe { libc::pthread_kill(thread_id, libc::SIGUSR1) };
    }
    let (result, elapsed) = waiter.join().unwrap();
    let err = result.expect_err("recv must not succeed: nothing was sent");
    assert_eq!(err.kind(), zmq::ErrorKind::Interrupted, "{err:?}");
    assert!(
        elapsed < Duration::from_secs(9),
        "the receive ran into its timeout instead"
    );
}

/// The monitor's own loops survive signals: a timed wait retries until its deadline (it used to
/// return `Interrupted` at the first signal), and the iterator yields `Interrupted` and goes on
/// (it used to end there).
#[test]
fn monitor_waits_and_iteration_survive_signals() {
    // SAFETY: as in `blocked_recv_is_interrupted_by_a_signal`, for SIGUSR2.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as usize;
        action.sa_flags = 0;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR2, &action, std::ptr::null_mut()),
            0
        );
    }
    let ctx = zmq::Context::new();
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.set_linger(Some(Duration::ZERO)).unwrap();
    let monitor = rep.monitor(zmq::MonitorEvents::LISTENING).unwrap();

    let (tx, rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        // SAFETY: pthread_self has no preconditions.
        tx.send(unsafe { libc::pthread_self() }).unwrap();
        let timed = monitor.wait_for(Duration::from_secs(10), |e| {
            matches!(e, zmq::MonitorEvent::Listening { .. })
        });
        // Then the iterator: interrupted waits are yielded, and the stream goes on to the end.
        let mut interrupted = 0;
        let mut last = None;
        for event in monitor.iter().take(10_000) {
            match event {
                Err(e) if e.kind() == zmq::ErrorKind::Interrupted => interrupted += 1,
                other => last = Some(other.map(|e| e.name())),
            }
        }
        (timed.map(|e| e.map(|e| e.name())), interrupted, last)
    });
    let thread_id = rx.recv().unwrap();
    let signal_for = |d: Duration| {
        let end = Instant::now() + d;
        while Instant::now() < end && !waiter.is_finished() {
            std::thread::sleep(Duration::from_millis(20));
            // SAFETY: the waiter thread is alive (not finished) and SIGUSR2 is handled.
            unsafe { libc::pthread_kill(thread_id, libc::SIGUSR2) };
        }
    };
    signal_for(Duration::from_millis(300));
    rep.bind("tcp://127.0.0.1:*").unwrap();
    signal_for(Duration::from_millis(300));
    drop(rep); // MONITOR_STOPPED ends the iteration
    let (timed, interrupted, last) = waiter.join().unwrap();
    assert_eq!(timed, Ok(Some("LISTENING")));
    assert!(interrupted > 0, "no signal reached the iterator's wait");
    assert_eq!(last, Some(Ok("MONITOR_STOPPED")));
}
