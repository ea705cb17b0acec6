//! `DraftPoller` (`zmq_poller_*`) over thread-safe sockets and raw fds with typed user data,
//! ported from test_poller.cpp (zeromq-src 4.3.5) where tests/poll.rs does not have them
//! already (`test_poll_basic`, `test_poll_fd`, `test_poll_client_server`, add/remove/modify of
//! unregistered entries, empty waits are there), plus what a Rust caller leans on: the data
//! handed back typed, dropped exactly once, and a poller woken by another thread's send on a
//! shared socket. test_poller.cpp's `test_null_*` cases cannot be written in safe Rust.

#![cfg(feature = "draft")]

mod common;

use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zmq::{DraftPoller, ErrorKind, PollEvents};

const IN: PollEvents = PollEvents::POLLIN;

/// What an application hangs on each entry: the poller hands it back with the event, typed.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Source {
    Requests,
    Feed,
    Results,
    Wakeup,
}

/// A pipe, closed on drop.
struct Pipe {
    read: zmq::RawFd,
    write: zmq::RawFd,
}

impl Pipe {
    fn new() -> Pipe {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe() writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        Pipe {
            read: fds[0],
            write: fds[1],
        }
    }
    fn poke(&self) {
        // SAFETY: `write` is open and the buffer is valid for 1 byte.
        assert_eq!(
            unsafe { libc::write(self.write, b"!".as_ptr().cast(), 1) },
            1
        );
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // SAFETY: both descriptors are open and closed only here.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// Thread-safe SERVER, DISH and GATHER sockets and a pipe in one poller, each with its own
/// `Source`: `wait_all` reports every ready one with its data, and dispatching on the data
/// reaches the right socket.
#[test]
fn thread_safe_sockets_and_fd_with_typed_data() {
    let ctx = ctx();
    let (server_ep, radio_ep, gather_ep) = (inproc("dp-s"), inproc("dp-r"), inproc("dp-g"));
    let server = socket(&ctx, zmq::SERVER);
    server.bind(&server_ep).unwrap();
    let client = socket(&ctx, zmq::CLIENT);
    client.connect(&server_ep).unwrap();
    let radio = socket(&ctx, zmq::RADIO);
    radio.bind(&radio_ep).unwrap();
    let dish = socket(&ctx, zmq::DISH);
    dish.join("feed").unwrap();
    dish.connect(&radio_ep).unwrap();
    let gather = socket(&ctx, zmq::GATHER);
    gather.bind(&gather_ep).unwrap();
    let scatter = socket(&ctx, zmq::SCATTER);
    scatter.connect(&gather_ep).unwrap();
    let pipe = Pipe::new();

    let mut poller = DraftPoller::new().unwrap();
    poller.add(&server, Source::Requests, IN).unwrap();
    poller.add(&dish, Source::Feed, IN).unwrap();
    poller.add(&gather, Source::Results, IN).unwrap();
    poller.add_fd(pipe.read, Source::Wakeup, IN).unwrap();
    assert_eq!(poller.size().unwrap(), 4);
    let mut events = Vec::new();
    assert_eq!(
        poller
            .wait_all(&mut events, Some(Duration::from_millis(10)))
            .unwrap(),
        0
    );

    client.send("request").unwrap();
    scatter.send("result").unwrap();
    pipe.poke();
    // The join reaches the RADIO a moment after the connect: send until the DISH is ready.
    let mut seen: Vec<Source> = Vec::new();
    for _ in 0..500 {
        radio.send_to_group("feed", "tick").unwrap();
        let n = poller
            .wait_all(&mut events, Some(Duration::from_millis(10)))
            .unwrap();
        assert_eq!(n, events.len());
        seen = events.iter().map(|e| *e.data()).collect();
        if seen.len() == 4 {
            break;
        }
    }
    seen.sort_by_key(|s| *s as u8);
    assert_eq!(
        seen,
        [
            Source::Requests,
            Source::Feed,
            Source::Results,
            Source::Wakeup
        ],
        "every source ready at once"
    );
    for e in &events {
        assert!(e.is_readable());
        match e.data() {
            Source::Requests => {
                assert!(e.is_socket(&server));
                let request = server.recv().unwrap();
                server.reply(&request, "reply").unwrap();
            }
            Source::Feed => {
                assert!(e.is_socket(&dish));
                assert_eq!(dish.recv().unwrap().group(), Some("feed"));
            }
            Source::Results => assert_eq!(gather.recv().unwrap(), "result"),
            Source::Wakeup => assert_eq!(e.fd(), Some(pipe.read)),
        }
    }
    drop(events);
    assert_eq!(client.recv().unwrap(), "reply");
    assert_eq!(poller.remove(&gather).unwrap(), Source::Results);
    assert_eq!(poller.remove_fd(pipe.read).unwrap(), Source::Wakeup);
    assert_eq!(poller.len(), 2);
}

/// test_poller.cpp `test_call_poller_fd`: a poller watching a thread-safe socket has a file
/// descriptor of its own, which becomes readable when something changes on the socket, so the
/// poller can sit inside another event loop (here `zmq::poll` on that fd). Like `ZMQ_FD`, it
/// signals changes, not state: what happened before the last `wait` on the poller does not
/// wake the fd, so a loop checks with `wait(Some(ZERO))` before it sleeps on the fd.
#[test]
fn poller_fd_signals_thread_safe_input() {
    let ctx = ctx();
    let ep = inproc("dp-fd");
    let server = socket(&ctx, zmq::SERVER);
    server.bind(&ep).unwrap();
    let client = socket(&ctx, zmq::CLIENT);
    client.connect(&ep).unwrap();
    let mut poller = DraftPoller::new().unwrap();
    poller.add(&server, "server", IN).unwrap();
    let fd = poller.fd().unwrap();
    let mut items = [zmq::PollItem::from_fd(fd, IN)];
    for round in 0..3 {
        // Look before sleeping on the fd: nothing to read yet.
        assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
        client.send(format!("wake {round}")).unwrap();
        assert_eq!(zmq::poll(&mut items, Some(TIMEOUT)).unwrap(), 1, "{round}");
        let event = poller.wait(Some(TIMEOUT)).unwrap().expect("an event");
        assert_eq!(*event.data(), "server");
        assert_eq!(server.recv_string().unwrap(), format!("wake {round}"));
    }
}

/// A SERVER shared through an `Arc`: one thread waits in the poller while another sends on
/// the CLIENT, and the waiting thread receives and answers on the same SERVER the poller
/// watches (no lock of ours).
#[test]
fn poller_waits_while_another_thread_sends() {
    let ctx = ctx();
    let ep = inproc("dp-threads");
    let server = Arc::new(socket(&ctx, zmq::SERVER));
    server.bind(&ep).unwrap();
    let client = Arc::new(socket(&ctx, zmq::CLIENT));
    client.connect(&ep).unwrap();
    const ROUNDS: usize = 200;
    let sender = {
        let client = Arc::clone(&client);
        std::thread::spawn(move || {
            for i in 0..ROUNDS {
                client.send(i.to_string()).unwrap();
                assert_eq!(client.recv_string().unwrap(), format!("ack {i}"));
            }
        })
    };
    let mut poller = DraftPoller::new().unwrap();
    poller.add(server.as_ref(), 7u64, IN).unwrap();
    for i in 0..ROUNDS {
        let event = poller
            .wait(Some(TIMEOUT))
            .unwrap()
            .expect("a request in time");
        assert_eq!(*event.data(), 7);
        let request = server.recv().unwrap();
        assert_eq!(request, i.to_string().as_str());
        server.reply(&request, format!("ack {i}")).unwrap();
    }
    sender.join().unwrap();
}

/// Counts drops of the user data.
struct Tracked(Arc<AtomicUsize>);
impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// The user data lives as long as its entry: handed back by `remove`, dropped exactly once
/// with the poller otherwise.
#[test]
fn user_data_is_dropped_exactly_once() {
    let drops = Arc::new(AtomicUsize::new(0));
    let ctx = ctx();
    let a = socket(&ctx, zmq::CLIENT);
    let b = socket(&ctx, zmq::GATHER);
    let pipe = Pipe::new();
    let mut poller = DraftPoller::new().unwrap();
    poller.add(&a, Tracked(drops.clone()), IN).unwrap();
    poller.add(&b, Tracked(drops.clone()), IN).unwrap();
    poller
        .add_fd(pipe.read, Tracked(drops.clone()), IN)
        .unwrap();
    let removed = poller.remove(&a).unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(removed);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(poller);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

/// test_poller.cpp `test_call_poller_add_no_events`, `test_call_poller_modify_no_events` (with
/// the TODO they leave, "test that no events are signalled", done), the `*_invalid_events_fails`
/// cases, and `test_call_poller_wait_all_inf_disabled_fails`: entries without events never
/// fire, bad event bits are EINVAL, and an infinite wait with nothing enabled is an error, not
/// a hang.
#[test]
fn no_events_and_invalid_events() {
    let ctx = ctx();
    let ep = inproc("dp-no-events");
    let server = socket(&ctx, zmq::SERVER);
    server.bind(&ep).unwrap();
    let client = socket(&ctx, zmq::CLIENT);
    client.connect(&ep).unwrap();
    let other = socket(&ctx, zmq::CLIENT);
    let pipe = Pipe::new();
    let mut poller = DraftPoller::new().unwrap();
    poller.add(&server, 1, PollEvents::empty()).unwrap();
    client.send("ignored for now").unwrap();
    pipe.poke();
    assert!(poller
        .wait(Some(Duration::from_millis(20)))
        .unwrap()
        .is_none());
    let mut events = Vec::new();
    assert_eq!(
        poller.wait_all(&mut events, Some(Duration::ZERO)).unwrap(),
        0
    );
    assert_eq!(
        poller.wait_all(&mut events, None).unwrap_err().kind(),
        ErrorKind::Fault
    );
    poller.modify(&server, IN).unwrap();
    assert!(poller.wait(Some(TIMEOUT)).unwrap().is_some());
    poller.modify(&server, PollEvents::empty()).unwrap();
    assert!(poller
        .wait(Some(Duration::from_millis(20)))
        .unwrap()
        .is_none());

    let bad = PollEvents::from_bits(i16::MAX);
    assert_eq!(
        poller.modify(&server, bad).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let err = poller.add(&other, 2, bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.into_data(), 2);
    let err = poller.add_fd(pipe.read, 3, bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    poller.add_fd(pipe.read, 3, PollEvents::empty()).unwrap();
    assert!(poller
        .wait(Some(Duration::from_millis(20)))
        .unwrap()
        .is_none());
    assert_eq!(
        poller.modify_fd(pipe.read, bad).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    poller.modify_fd(pipe.read, IN).unwrap();
    let e = poller.wait(Some(TIMEOUT)).unwrap().expect("the pipe");
    assert_eq!(*e.data(), 3);
}
