//! Polling: `zmq::poll` over sockets and raw fds, the pyzmq-style `Poller`, and (with `draft`)
//! the `zmq_poller` API. Ports of pyzmq's tests/test_poll.py and libzmq's
//! tests/test_zmq_poll_fd.cpp and tests/test_poller.cpp; every wait is bounded.

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};
use zmq::{ErrorKind, PollEvents, PollItem, Poller};

const IN: PollEvents = PollEvents::POLLIN;
const OUT: PollEvents = PollEvents::POLLOUT;
/// Long enough for anything that should happen on loopback; only reached when a test fails.
const LONG: Duration = Duration::from_secs(5);

fn both() -> PollEvents {
    IN | OUT
}

/// A bound/connected pair over `tcp://127.0.0.1:*`, like pyzmq's `create_bound_pair`.
fn bound_pair<A: zmq::SocketKind, B: zmq::SocketKind>(
    ctx: &zmq::Context,
    a: A,
    b: B,
) -> (zmq::Socket<A>, zmq::Socket<B>) {
    let sa = ctx.socket(a).unwrap();
    sa.set_linger(Some(Duration::ZERO)).unwrap();
    sa.bind("tcp://127.0.0.1:*").unwrap();
    let sb = ctx.socket(b).unwrap();
    sb.set_linger(Some(Duration::ZERO)).unwrap();
    sb.connect(&sa.last_endpoint().unwrap()).unwrap();
    (sa, sb)
}

/// An OS pipe, closed on drop.
struct Pipe {
    read: libc::c_int,
    write: libc::c_int,
}

impl Pipe {
    fn new() -> Pipe {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
        let rc = unsafe { libc::pipe(fds.as_mut_ptr()) };
        assert_eq!(rc, 0, "pipe failed");
        Pipe {
            read: fds[0],
            write: fds[1],
        }
    }

    fn write(&self, data: &[u8]) {
        // SAFETY: `data` is valid for reading `data.len()` bytes; `write` is our open fd.
        let n = unsafe { libc::write(self.write, data.as_ptr().cast(), data.len()) };
        assert_eq!(n, data.len() as isize);
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        // SAFETY: both descriptors are ours, open, and closed only here.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// Polls until `ready(socket events)` holds or LONG passes; panics on timeout.
fn poll_until<K: zmq::SocketKind>(
    socket: &zmq::Socket<K>,
    events: PollEvents,
    mut ready: impl FnMut(PollEvents) -> bool,
) -> PollEvents {
    let deadline = Instant::now() + LONG;
    loop {
        let got = socket
            .poll(events, Some(Duration::from_millis(50)))
            .unwrap();
        if ready(got) {
            return got;
        }
        assert!(Instant::now() < deadline, "socket never became ready");
    }
}

/// pyzmq test_poll.py `test_pair`: both ends of a PAIR report POLLOUT; after one sends, the other
/// reports POLLIN | POLLOUT.
#[test]
fn test_pair() {
    let ctx = zmq::Context::new();
    let (s1, s2) = bound_pair(&ctx, zmq::PAIR, zmq::PAIR);
    // Wait for the connection: a PAIR is writable only once its peer is attached.
    poll_until(&s1, OUT, |e| e == OUT);
    poll_until(&s2, OUT, |e| e == OUT);

    let mut poller = Poller::new();
    poller.register(&s1, both());
    poller.register(&s2, both());
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&s1), Some(OUT));
    assert_eq!(ready.events(&s2), Some(OUT));

    s1.send("msg1").unwrap();
    s2.send("msg2").unwrap();
    poll_until(&s1, IN, |e| e == IN);
    poll_until(&s2, IN, |e| e == IN);
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.len(), 2);
    assert_eq!(ready.events(&s1), Some(IN | OUT));
    assert_eq!(ready.events(&s2), Some(IN | OUT));

    assert_eq!(s1.recv().unwrap(), "msg2");
    assert_eq!(s2.recv().unwrap(), "msg1");
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&s1), Some(OUT));
    assert_eq!(ready.events(&s2), Some(OUT));
}

/// pyzmq test_poll.py `test_reqrep`: REQ/REP event states through one round trip. Before a send
/// REQ is POLLOUT only and REP has nothing; after REQ sends, REP gets POLLIN and REQ nothing;
/// after REP receives it is POLLOUT; after it replies REQ is POLLIN; after REQ receives, back to
/// the start.
#[test]
fn test_reqrep() {
    let ctx = zmq::Context::new();
    let (rep, req) = bound_pair(&ctx, zmq::REP, zmq::REQ);
    let mut poller = Poller::new();
    poller.register(&rep, both());
    poller.register(&req, both());

    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&req), Some(OUT));
    assert_eq!(ready.events(&rep), None);
    assert!(!ready.contains(&rep));
    assert_eq!(ready.len(), 1);

    req.send("msg1").unwrap();
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&rep), Some(IN));
    assert!(ready.is_readable(&rep));
    assert!(!ready.contains(&req));

    assert_eq!(rep.recv().unwrap(), "msg1");
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&rep), Some(OUT));
    assert!(ready.is_writable(&rep));
    assert!(!ready.contains(&req));

    rep.send("msg2").unwrap();
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&req), Some(IN));
    assert!(!ready.contains(&rep));

    assert_eq!(req.recv().unwrap(), "msg2");
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&req), Some(OUT));
    assert!(!ready.contains(&rep));
}

/// pyzmq test_poll.py `test_no_events`: `register(s, 0)` removes a registered socket, and is a
/// no-op for one that never was: either way `s not in poller`.
#[test]
fn test_no_events() {
    let ctx = zmq::Context::new();
    let s1 = ctx.socket(zmq::PUB).unwrap();
    let s2 = ctx.socket(zmq::SUB).unwrap();
    let mut poller = Poller::new();
    poller.register(&s1, IN | OUT);
    poller.register(&s2, PollEvents::empty());
    assert!(poller.contains(&s1));
    assert!(!poller.contains(&s2));
    poller.register(&s1, PollEvents::empty());
    assert!(!poller.contains(&s1));
    assert!(poller.is_empty());
}

/// pyzmq test_poll.py `test_pubsub`: PUB is always POLLOUT and never POLLIN; SUB has nothing
/// until a message arrives, then POLLIN only.
#[test]
fn test_pubsub() {
    let ctx = zmq::Context::new();
    let (publisher, subscriber) = bound_pair(&ctx, zmq::PUB, zmq::SUB);
    subscriber.subscribe("").unwrap();
    let mut poller = Poller::new();
    poller.register(&publisher, both());
    poller.register(&subscriber, IN);

    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&publisher), Some(OUT));
    assert!(!ready.contains(&subscriber));

    // The subscription travels to the PUB in the background: publish until one arrives.
    let deadline = Instant::now() + LONG;
    while subscriber
        .poll(IN, Some(Duration::from_millis(20)))
        .unwrap()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "no message reached the SUB");
        publisher.send("msg1").unwrap();
    }
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&publisher), Some(OUT));
    assert_eq!(ready.events(&subscriber), Some(IN));
    assert_eq!(ready.len(), 2);

    // Drain up to a last message, so that nothing sent in the loop is still on its way.
    publisher.send("end").unwrap();
    subscriber.set_rcvtimeo(Some(LONG)).unwrap();
    while subscriber.recv().unwrap() != "end" {}
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.events(&publisher), Some(OUT));
    assert!(!ready.contains(&subscriber));
}

/// pyzmq test_poll.py `test_raw`: a raw OS pipe that has data gives POLLIN for its fd, reported
/// under the fd number.
#[test]
fn test_raw() {
    let pipe = Pipe::new();
    let mut poller = Poller::new();
    poller.register_fd(pipe.read, IN);
    assert!(poller.contains_fd(pipe.read));

    let ready = poller.poll(Some(Duration::ZERO)).unwrap();
    assert!(ready.is_empty());

    pipe.write(b"x");
    let ready = poller.poll(Some(LONG)).unwrap();
    assert_eq!(ready.fd_events(pipe.read), Some(IN));
    assert!(ready.contains_fd(pipe.read));
    let found: Vec<_> = ready
        .iter()
        .map(|(i, item)| (i, item.fd(), item.revents()))
        .collect();
    assert_eq!(found, vec![(0, Some(pipe.read), IN)]);

    assert!(poller.unregister_fd(pipe.read));
    assert!(!poller.unregister_fd(pipe.read));
    assert!(poller.is_empty());
}

/// pyzmq test_poll.py `test_timeout`: the timeout is a time span (milliseconds in pyzmq): a
/// 50 ms poll on a socket with nothing to read waits a while and reports nothing. Loose bounds:
/// this checks the unit, it is not a timing benchmark.
#[test]
fn test_timeout() {
    let ctx = zmq::Context::new();
    let (s1, _s2) = bound_pair(&ctx, zmq::PAIR, zmq::PAIR);
    let mut poller = Poller::new();
    poller.register(&s1, IN);

    let start = Instant::now();
    let ready = poller.poll(Some(Duration::from_millis(50))).unwrap();
    let waited = start.elapsed();
    assert!(ready.is_empty());
    assert!(
        waited >= Duration::from_millis(10),
        "returned after {waited:?}"
    );
    assert!(
        waited <= Duration::from_millis(500),
        "returned after {waited:?}"
    );

    let start = Instant::now();
    assert!(poller.poll(Some(Duration::ZERO)).unwrap().is_empty());
    assert!(start.elapsed() < Duration::from_millis(500));
}

/// libzmq tests/test_zmq_poll_fd.cpp: `zmq_poll` over a socket and a raw UDP socket fd at once:
/// a datagram makes only the fd readable.
#[test]
fn test_zmq_poll_fd() {
    let ctx = zmq::Context::new();
    let recv_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let rep = ctx.socket(zmq::REP).unwrap();
    rep.bind("tcp://127.0.0.1:*").unwrap();

    let send_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    send_socket
        .send_to(&[1u8; 10], recv_socket.local_addr().unwrap())
        .unwrap();

    let mut items = [
        rep.as_poll_item(IN),
        PollItem::from_fd(recv_socket.as_raw_fd(), IN),
    ];
    assert_eq!(zmq::poll(&mut items, Some(LONG)).unwrap(), 1);
    assert!(!items[0].is_readable());
    assert!(items[0].revents().is_empty());
    assert!(items[1].is_readable());
    assert!(!items[1].is_error());
    assert_eq!(items[1].fd(), Some(recv_socket.as_raw_fd()));
    assert!(items[0].is_socket(&rep));
    assert!(!items[1].is_socket(&rep));
}

/// A fd borrowed through `BorrowedFd` ties the item's lifetime to the owner.
#[test]
fn borrowed_fd_item() {
    use std::os::fd::AsFd;
    let recv_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let send_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    send_socket
        .send_to(b"ping", recv_socket.local_addr().unwrap())
        .unwrap();
    let mut items = [PollItem::from_borrowed_fd(recv_socket.as_fd(), IN | OUT)];
    assert_eq!(zmq::poll(&mut items, Some(LONG)).unwrap(), 1);
    assert_eq!(items[0].revents(), IN | OUT);
    assert!(items[0].is_writable());
}

/// An empty item list with a zero timeout returns 0 at once; with no timeout at all it would
/// sleep forever, so it is refused.
#[test]
fn empty_poll_returns_at_once() {
    let start = Instant::now();
    assert_eq!(zmq::poll(&mut [], Some(Duration::ZERO)).unwrap(), 0);
    assert!(start.elapsed() < Duration::from_millis(500));

    assert_eq!(
        zmq::poll(&mut [], None).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let mut poller = Poller::new();
    assert!(poller.poll(Some(Duration::ZERO)).unwrap().is_empty());
    assert_eq!(
        poller.poll(None).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

/// A socket polled after its context was shut down gives ContextTerminated, from `zmq::poll`,
/// `Poller::poll` and `Socket::poll` alike.
#[test]
fn poll_after_context_shutdown_is_terminated() {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://poll-shutdown").unwrap();
    ctx.shutdown().unwrap();

    let mut items = [pull.as_poll_item(IN)];
    let err = zmq::poll(&mut items, Some(LONG)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ContextTerminated);

    let mut poller = Poller::new();
    poller.register(&pull, IN);
    let err = poller.poll(Some(LONG)).unwrap_err();
    assert!(err.is_terminated());

    let err = pull.poll(IN, Some(LONG)).unwrap_err();
    assert!(err.is_terminated());
}

/// A poll with no timeout in one thread wakes up when another thread sends (bounded: the test
/// gives up after LONG).
#[test]
fn poll_wakes_on_message_from_another_thread() {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://poll-wake").unwrap();
    let sender = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let push = ctx.socket(zmq::PUSH).unwrap();
            push.connect("inproc://poll-wake").unwrap();
            std::thread::sleep(Duration::from_millis(50));
            push.send("wake").unwrap();
            push
        })
    };
    let start = Instant::now();
    let events = pull.poll(IN, Some(LONG)).unwrap();
    assert_eq!(events, IN);
    assert!(start.elapsed() < LONG);
    assert_eq!(pull.recv().unwrap(), "wake");
    drop(sender.join().unwrap());
}

/// pyzmq `Socket.poll(timeout, flags)`: one socket, its events or empty on timeout.
#[test]
fn socket_poll_single() {
    let ctx = zmq::Context::new();
    let (pull, push) = bound_pair(&ctx, zmq::PULL, zmq::PUSH);
    assert!(pull
        .poll(IN, Some(Duration::from_millis(10)))
        .unwrap()
        .is_empty());
    push.send("job").unwrap();
    assert_eq!(pull.poll(IN | OUT, Some(LONG)).unwrap(), IN);
    assert_eq!(push.poll(OUT, Some(LONG)).unwrap(), OUT);
}

/// Registering again updates the events (no duplicate); unregister keeps the order of the rest;
/// the result's indices are registration indices.
#[test]
fn poller_register_modify_unregister() {
    let ctx = zmq::Context::new();
    let a = ctx.socket(zmq::PAIR).unwrap();
    let b = ctx.socket(zmq::PAIR).unwrap();
    let c = ctx.socket(zmq::SUB).unwrap();
    let pipe = Pipe::new();

    let mut poller = Poller::with_capacity(4);
    poller.register(&a, IN);
    poller.register(&b, IN);
    poller.register_fd(pipe.read, IN);
    poller.register(&c, IN);
    poller.register(&a, IN | OUT);
    assert_eq!(poller.len(), 4);
    assert_eq!(poller.registered_events(&a), Some(IN | OUT));
    poller.modify(&b, OUT);
    assert_eq!(poller.registered_events(&b), Some(OUT));
    assert_eq!(poller.index_of(&c), Some(3));
    assert_eq!(poller.index_of_fd(pipe.read), Some(2));

    assert!(poller.unregister(&b));
    assert!(!poller.unregister(&b));
    assert!(!poller.contains(&b));
    assert_eq!(poller.index_of(&a), Some(0));
    assert_eq!(poller.index_of_fd(pipe.read), Some(1));
    assert_eq!(poller.index_of(&c), Some(2));

    pipe.write(b"y");
    poller.modify_fd(pipe.read, IN | OUT);
    let ready = poller.poll(Some(LONG)).unwrap();
    // `a` is not connected: never writable. The pipe's read end is only readable.
    let found: Vec<(usize, PollEvents)> = ready.iter().map(|(i, it)| (i, it.revents())).collect();
    assert_eq!(found, vec![(1, IN)]);
    assert_eq!(ready.len(), 1);
    for (i, item) in ready {
        assert_eq!(i, 1);
        assert_eq!(item.fd(), Some(pipe.read));
    }
    assert_eq!(poller.items()[1].revents(), IN);
    poller.clear();
    assert!(poller.is_empty());
}

/// A POLLERR on a raw fd is reported even when not asked for: here the write end of a pipe whose
/// read end is closed.
#[test]
fn raw_fd_error_is_reported() {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the read end is ours and closed once.
    unsafe { libc::close(fds[0]) };
    let mut items = [PollItem::from_fd(fds[1], OUT)];
    let n = zmq::poll(&mut items, Some(LONG)).unwrap();
    // SAFETY: the write end is ours and closed once.
    unsafe { libc::close(fds[1]) };
    assert_eq!(n, 1);
    assert!(items[0].is_error(), "{:?}", items[0]);
}

#[cfg(feature = "draft")]
mod draft {
    use super::*;
    use zmq::DraftPoller;

    /// libzmq tests/test_poller.cpp `test_poll_basic`: a PUSH sends to a PULL added with user
    /// data; the event names the PULL and carries the data; then the wait times out.
    #[test]
    fn test_poll_basic() {
        let ctx = zmq::Context::new();
        let (vent, sink) = bound_pair(&ctx, zmq::PUSH, zmq::PULL);
        let mut poller = DraftPoller::new().unwrap();
        poller.add(&sink, "sink", IN).unwrap();
        assert_eq!(poller.size().unwrap(), 1);
        assert_eq!(poller.len(), 1);

        vent.send("H").unwrap();
        let event = poller.wait(Some(LONG)).unwrap().expect("an event");
        assert!(event.is_socket(&sink));
        assert_eq!(*event.data(), "sink");
        assert_eq!(event.events(), IN);
        assert_eq!(event.fd(), None);
        assert_eq!(sink.recv().unwrap(), "H");

        assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
        assert_eq!(poller.remove(&sink).unwrap(), "sink");
        assert_eq!(poller.size().unwrap(), 0);
        assert!(poller.is_empty());
    }

    /// libzmq tests/test_poller.cpp `test_poll_fd`: a raw fd with user data.
    #[test]
    fn test_poll_fd() {
        let pipe = Pipe::new();
        let mut poller = DraftPoller::new().unwrap();
        poller.add_fd(pipe.read, 42u32, IN).unwrap();
        assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
        pipe.write(b"z");
        let event = poller.wait(Some(LONG)).unwrap().expect("an event");
        assert_eq!(event.fd(), Some(pipe.read));
        assert!(event.socket_raw().is_null());
        assert_eq!(*event.data(), 42);
        assert!(event.is_readable());
        poller.modify_fd(pipe.read, OUT).unwrap();
        assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
        assert_eq!(poller.remove_fd(pipe.read).unwrap(), 42);
    }

    /// libzmq tests/test_poller.cpp `test_poll_client_server`: a thread-safe SERVER socket,
    /// POLLIN when a CLIENT sends, POLLOUT after `modify`; the poller has its own fd then.
    #[test]
    fn test_poll_client_server() {
        let ctx = zmq::Context::new();
        let (server, client) = bound_pair(&ctx, zmq::SERVER, zmq::CLIENT);
        let mut poller = DraftPoller::new().unwrap();
        poller.add(&server, (), IN).unwrap();
        let fd = poller.fd().unwrap();
        assert!(fd >= 0);

        client.send("I").unwrap();
        let event = poller.wait(Some(LONG)).unwrap().expect("an event");
        assert!(event.is_socket(&server));
        assert_eq!(event.events(), IN);
        assert_eq!(server.recv().unwrap(), "I");

        poller.modify(&server, IN | OUT).unwrap();
        let event = poller.wait(Some(LONG)).unwrap().expect("an event");
        assert!(event.is_socket(&server));
        assert_eq!(event.events(), OUT);
    }

    /// libzmq tests/test_poller.cpp `test_add_twice_fails`, `test_remove_unregistered_fails`,
    /// `test_modify_unregistered_fails`: errors, not panics; the poller stays usable.
    #[test]
    fn test_add_twice_remove_modify_unregistered_fail() {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::PAIR).unwrap();
        let other = ctx.socket(zmq::PAIR).unwrap();
        let mut poller = DraftPoller::new().unwrap();
        poller.add(&s, 1, IN).unwrap();
        assert_eq!(
            poller.add(&s, 2, IN).unwrap_err().kind(),
            ErrorKind::Invalid
        );
        assert_eq!(poller.len(), 1);
        assert_eq!(
            poller.remove(&other).unwrap_err().kind(),
            ErrorKind::Invalid
        );
        assert_eq!(
            poller.modify(&other, IN).unwrap_err().kind(),
            ErrorKind::Invalid
        );
        assert_eq!(
            poller.remove_fd(12345).unwrap_err().kind(),
            ErrorKind::Invalid
        );
        assert_eq!(
            poller.modify_fd(12345, IN).unwrap_err().kind(),
            ErrorKind::Invalid
        );
        // Only classic sockets: the poller has no fd of its own.
        assert_eq!(poller.fd().unwrap_err().kind(), ErrorKind::Invalid);
        assert_eq!(poller.remove(&s).unwrap(), 1);
    }

    /// libzmq tests/test_poller.cpp `test_wait_empty_with_timeout_fails`: an empty poller times
    /// out (no event), and with no timeout the wait is refused instead of hanging.
    #[test]
    fn test_wait_empty() {
        let poller = DraftPoller::<()>::new().unwrap();
        let start = Instant::now();
        assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
        assert!(poller
            .wait(Some(Duration::from_millis(20)))
            .unwrap()
            .is_none());
        let mut events = Vec::new();
        assert_eq!(
            poller.wait_all(&mut events, Some(Duration::ZERO)).unwrap(),
            0
        );
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(
            poller.wait(None).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    /// `wait_all` reports every ready entry at once and reuses the caller's Vec.
    #[test]
    fn wait_all_reports_every_ready_entry() {
        let ctx = zmq::Context::new();
        let (a, b) = bound_pair(&ctx, zmq::PAIR, zmq::PAIR);
        let pipe = Pipe::new();
        let mut poller = DraftPoller::new().unwrap();
        poller.add(&a, String::from("a"), IN).unwrap();
        poller.add_fd(pipe.read, String::from("pipe"), IN).unwrap();
        let mut events = Vec::new();
        assert_eq!(
            poller
                .wait_all(&mut events, Some(Duration::from_millis(10)))
                .unwrap(),
            0
        );
        assert!(events.is_empty());

        b.send("to a").unwrap();
        pipe.write(b"p");
        poll_until(&a, IN, |e| e == IN);
        let n = poller.wait_all(&mut events, Some(LONG)).unwrap();
        assert_eq!(n, 2);
        let mut names: Vec<&str> = events.iter().map(|e| e.data().as_str()).collect();
        names.sort();
        assert_eq!(names, ["a", "pipe"]);
        assert!(events.iter().all(|e| e.events() == IN));
        drop(events);

        let removed = poller.remove(&a).unwrap();
        assert_eq!(removed, "a");
    }

    /// `zmq::poll` on a thread-safe socket (libzmq routes it through its poller internally).
    #[test]
    fn zmq_poll_on_thread_safe_socket() {
        let ctx = zmq::Context::new();
        let (server, client) = bound_pair(&ctx, zmq::SERVER, zmq::CLIENT);
        client.send("x").unwrap();
        let mut items = [server.as_poll_item(IN)];
        assert_eq!(zmq::poll(&mut items, Some(LONG)).unwrap(), 1);
        assert!(items[0].is_readable());
    }

    /// A draft poller's wait after the context was shut down gives ContextTerminated.
    #[test]
    fn draft_wait_after_shutdown_is_terminated() {
        let ctx = zmq::Context::new();
        let pull = ctx.socket(zmq::PULL).unwrap();
        let mut poller = DraftPoller::new().unwrap();
        poller.add(&pull, (), IN).unwrap();
        ctx.shutdown().unwrap();
        let err = poller.wait(Some(LONG)).unwrap_err();
        assert!(err.is_terminated(), "{err:?}");
        let mut events = Vec::new();
        let err = poller.wait_all(&mut events, Some(LONG)).unwrap_err();
        assert!(err.is_terminated(), "{err:?}");
    }
}
