//! After `fork`, the child must not touch the parent's libzmq state: dropping an inherited socket
//! or context does nothing there, and `Context::instance()` gives the child a context of its own
//! (pyzmq test_fork_instance; pyzmq#222, #1049). One test in its own binary, so that the process
//! forks with as few threads as possible.

#![cfg(unix)]

use std::time::{Duration, Instant};

fn child_body(
    ctx: zmq::Context,
    inherited: zmq::Socket<zmq::Pair>,
    other: (zmq::Context, zmq::Socket<zmq::Push>),
) -> bool {
    // A fresh process-wide context: not the parent's.
    let mine = zmq::Context::instance();
    if mine == ctx || zmq::Context::instance() != mine {
        return false;
    }
    // Dropping what the parent owns must be a no-op here. `other` holds the last handles of a
    // second context: terminating it in the child would wait forever for I/O threads that exist
    // only in the parent.
    drop(inherited);
    drop(ctx);
    drop(other);
    let a = match mine.socket(zmq::PAIR) {
        Ok(s) => s,
        Err(_) => return false,
    };
    let b = mine.socket(zmq::PAIR).unwrap();
    a.bind("inproc://fork-child").unwrap();
    b.connect("inproc://fork-child").unwrap();
    b.set_rcvtimeo(Some(Duration::from_secs(2))).unwrap();
    a.send("child").unwrap();
    matches!(b.recv_string().as_deref(), Ok("child"))
}

#[test]
fn forked_child_leaves_the_parents_sockets_alone() {
    let ctx = zmq::Context::instance();
    let a = ctx.socket(zmq::PAIR).unwrap();
    a.bind("inproc://fork-parent").unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    b.connect("inproc://fork-parent").unwrap();
    b.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    let other_ctx = zmq::Context::new();
    let other_socket = other_ctx.socket(zmq::PUSH).unwrap();
    other_socket.set_linger(None).unwrap();
    other_socket.connect("tcp://127.0.0.1:9").unwrap(); // never answers: a pending connection
    a.send("before fork").unwrap();
    assert_eq!(b.recv_string().unwrap(), "before fork");

    // SAFETY: fork duplicates this process; the child only runs `child_body` and `_exit`s, never
    // returning into the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        run_child(ctx.clone(), a, (other_ctx, other_socket));
    }

    // Bounded wait for the child.
    let deadline = Instant::now() + Duration::from_secs(20);
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
            panic!("the forked child hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed: status {status}"
    );

    // The parent's sockets still work: the child's drops did not close them.
    other_socket.set_linger(Some(Duration::ZERO)).unwrap();
    a.send("after fork").unwrap();
    assert_eq!(b.recv_string().unwrap(), "after fork");
    b.send("reply").unwrap();
    a.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(a.recv_string().unwrap(), "reply");
}

/// The child's whole life: never returns into the test harness.
fn run_child(
    ctx: zmq::Context,
    inherited: zmq::Socket<zmq::Pair>,
    other: (zmq::Context, zmq::Socket<zmq::Push>),
) -> ! {
    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        child_body(ctx, inherited, other)
    }))
    .unwrap_or(false);
    // SAFETY: _exit ends the child at once, without running the parent's atexit handlers.
    unsafe { libc::_exit(if ok { 0 } else { 1 }) }
}
