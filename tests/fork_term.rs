//! `Context::term` in a forked child does nothing (as pyzmq's `term` and this crate's drops):
//! the context belongs to the parent, whose I/O threads the child does not have, and libzmq's
//! `zmq_ctx_term` there fails with EINTR forever, which `term` used to retry at 100 % CPU. Own
//! binary, so that the process forks with as few threads as possible.

#![cfg(unix)]

use std::time::{Duration, Instant};

#[test]
fn term_in_a_forked_child_returns_at_once() {
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.set_linger(Some(Duration::ZERO)).unwrap();
    push.bind("tcp://127.0.0.1:*").unwrap();

    // SAFETY: fork duplicates this process; the child only calls `term` on its copy of the
    // context and `_exit`s, never returning into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ctx.clone().term().is_ok()))
                .unwrap_or(false);
        // SAFETY: _exit ends the child at once, without running the parent's atexit handlers.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) }
    }

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = 0;
    loop {
        // SAFETY: `pid` is our child; `status` is valid for writing.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if Instant::now() > deadline {
            // SAFETY: killing our own child that overran its time.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // SAFETY: reaping the child just killed.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            panic!("term() in the forked child did not return");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed: status {status}"
    );

    // The parent's context was not touched by the child.
    assert!(!ctx.is_terminated());
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.connect(&push.last_endpoint().unwrap()).unwrap();
    push.send("after fork").unwrap();
    pull.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(pull.recv_string().unwrap(), "after fork");
    drop((push, pull));
    ctx.term().unwrap();
}
