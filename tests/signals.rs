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
