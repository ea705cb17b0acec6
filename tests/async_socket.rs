//! The async socket's surface (feature `tokio`): made from a context or a blocking socket and
//! back, every kind, options through `lock`, every send and receive form, `poll`, the `Stream`
//! and `Sink`, the monitor stream, and errors that give data back.
#![cfg(all(feature = "tokio", unix))]

mod async_common;
use async_common::{bounded, ctx, tcp_pair, within};

use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use zmq::{ErrorKind, Message, MonitorEvent, MonitorEvents, PollEvents};

fn assert_send_sync<T: Send + Sync>(_: &T) {}
fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn async_sockets_and_their_futures_are_send_and_sync() {
    let ctx = ctx();
    let (pull, push) = tcp_pair(&ctx, zmq::PULL, zmq::PUSH);
    assert_send_sync(&pull);
    assert_send_sync(&push);
    assert_send(&pull.recv());
    assert_send(&pull.recv_multipart());
    assert_send(&push.send("x"));
    assert_send(&push.send(vec![1u8]));
    assert_send(&push.send_multipart(["a", "b"]));
    assert_send(&pull.poll(PollEvents::POLLIN, None));
    assert_send(&pull.stream());
    assert_send(&push.sink());
}

#[tokio::test]
async fn every_classic_kind_has_an_async_socket() {
    let ctx = ctx();
    macro_rules! each {
        ($($k:ident),*) => {$({
            let s = ctx.async_socket(zmq::$k).unwrap();
            assert_eq!(s.socket_type().name(), stringify!($k));
            let s = s.into_inner().into_async().unwrap();
            assert_eq!(s.lock().get_socket_type().unwrap().name(), stringify!($k));
        })*};
    }
    each!(PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM);
    for kind in [zmq::SocketType::Dealer, zmq::SocketType::Sub] {
        let s = ctx.async_socket(kind).unwrap();
        assert_eq!(s.kind(), kind);
    }
}

/// Thread-safe draft kinds have no ZMQ_FD: chosen at run time too, they are watched through a
/// private poller's descriptor (tests/async_draft.rs has the typed kinds at work).
#[cfg(feature = "draft")]
#[tokio::test]
async fn thread_safe_kind_at_run_time_is_async_through_a_poller() {
    let ctx = ctx();
    let server = ctx.async_socket(zmq::SocketType::Server).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = ctx
        .socket(zmq::SocketType::Client)
        .unwrap()
        .into_async()
        .unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    bounded(client.send("ping")).await.unwrap();
    let request = bounded(server.recv()).await.unwrap();
    assert_eq!(request, "ping");
    bounded(server.reply(&request, "pong")).await.unwrap();
    assert_eq!(bounded(client.recv()).await.unwrap(), "pong");
    assert_eq!(client.into_inner().socket_type(), zmq::SocketType::Client);
    // The draft DGRAM is a classic socket, with a ZMQ_FD.
    ctx.async_socket(zmq::DGRAM).unwrap();
}

#[test]
fn outside_a_runtime_the_socket_comes_back() {
    let ctx = ctx();
    let socket = ctx.socket(zmq::PULL).unwrap();
    socket.bind("inproc://async-no-runtime").unwrap();
    let err = socket.into_async().unwrap_err();
    assert_eq!(err.error().kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("tokio runtime"), "{err}");
    let socket = err.into_socket();
    assert_eq!(socket.last_endpoint().unwrap(), "inproc://async-no-runtime");
    assert!(ctx.async_socket(zmq::PUSH).is_err());
}

#[tokio::test]
async fn options_bind_and_connect_are_reachable() {
    let ctx = ctx();
    let sub = ctx.async_socket(zmq::SUB).unwrap();
    sub.lock().set_rcvhwm(7).unwrap();
    assert_eq!(sub.lock().rcvhwm().unwrap(), 7);
    sub.lock()
        .set_linger(Some(Duration::from_millis(5)))
        .unwrap();
    assert_eq!(sub.lock().linger().unwrap(), Some(Duration::from_millis(5)));
    let port = sub.lock().bind_to_random_port("tcp://127.0.0.1").unwrap();
    assert!(sub.last_endpoint().unwrap().ends_with(&port.to_string()));
    sub.unbind(&sub.last_endpoint().unwrap()).unwrap();
    let e = sub.connect("tcp://127.0.0.1:99999").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.endpoint(), Some("tcp://127.0.0.1:99999"));
    sub.subscribe("a").unwrap();
    sub.unsubscribe("a").unwrap();
    assert!(sub.events().unwrap().is_empty());
    let blocking = sub.into_inner();
    assert_eq!(blocking.rcvhwm().unwrap(), 7, "the same socket comes back");
}

#[tokio::test]
async fn send_forms_and_zero_copy() {
    let ctx = ctx();
    let (pull, push) = tcp_pair(&ctx, zmq::PULL, zmq::PUSH);
    let shared = Message::from("shared");
    push.send(&b"slice"[..]).await.unwrap();
    push.send("str").await.unwrap();
    push.send(String::from("string")).await.unwrap();
    push.send(vec![1u8, 2, 3]).await.unwrap();
    push.send(Message::from("message")).await.unwrap();
    push.send(&shared).await.unwrap();
    push.send(&shared).await.unwrap();
    let mut reused = Message::from("send_msg");
    push.send_msg(&mut reused).await.unwrap();
    assert_eq!(reused.len(), 0, "send_msg leaves the message empty");
    let expected: [&[u8]; 8] = [
        b"slice",
        b"str",
        b"string",
        &[1, 2, 3],
        b"message",
        b"shared",
        b"shared",
        b"send_msg",
    ];
    for e in expected {
        assert_eq!(&bounded(pull.recv()).await.unwrap()[..], e);
    }

    // A large Vec goes to libzmq without a copy: over inproc the receiver sees its buffer.
    let pull = ctx.async_socket(zmq::PULL).unwrap();
    pull.bind("inproc://async-zero-copy").unwrap();
    let push = ctx.async_socket(zmq::PUSH).unwrap();
    push.connect("inproc://async-zero-copy").unwrap();
    let big = vec![7u8; 1 << 20];
    let addr = big.as_ptr();
    push.send(big).await.unwrap();
    let got = bounded(pull.recv()).await.unwrap();
    assert_eq!(got.len(), 1 << 20);
    assert_eq!(got.as_ptr(), addr, "the Vec was copied");
}

#[tokio::test]
async fn receive_forms() {
    let ctx = ctx();
    let (pull, push) = tcp_pair(&ctx, zmq::PULL, zmq::PUSH);
    for m in ["one", "two", "three", "four"] {
        push.send(m).await.unwrap();
    }
    push.send(&[0xff_u8, 0xfe][..]).await.unwrap();
    assert_eq!(bounded(pull.recv_string()).await.unwrap(), "one");
    assert_eq!(bounded(pull.recv_bytes()).await.unwrap(), b"two");
    let mut msg = Message::new();
    assert_eq!(bounded(pull.recv_msg(&mut msg)).await.unwrap(), 5);
    assert_eq!(msg, "three");
    let mut buf = [0u8; 2];
    let got = bounded(pull.recv_into(&mut buf)).await.unwrap();
    assert_eq!((got.len, got.size, got.truncated()), (2, 4, true));
    assert_eq!(&buf, b"fo");
    let e = bounded(pull.recv_string()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Utf8);
    assert_eq!(&e.into_received().unwrap()[..], &[0xff, 0xfe]);
}

#[tokio::test]
async fn multipart_both_ways_and_unsent_parts_come_back() {
    let ctx = ctx();
    let router = ctx.async_socket(zmq::ROUTER).unwrap();
    router.bind("tcp://127.0.0.1:*").unwrap();
    let dealer = ctx.socket(zmq::DEALER).unwrap();
    dealer.set_routing_id("d1").unwrap();
    dealer.connect(&router.last_endpoint().unwrap()).unwrap();
    let dealer = dealer.into_async().unwrap();
    dealer
        .send_multipart(vec![
            Message::from("a"),
            Message::from(""),
            Message::from("c"),
        ])
        .await
        .unwrap();
    let parts = bounded(router.recv_multipart()).await.unwrap();
    let texts: Vec<&str> = parts.iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(texts, ["d1", "a", "", "c"]);
    router
        .send_multipart([&b"d1"[..], b"reply", b"x"])
        .await
        .unwrap();
    let mut into = vec![Message::from("kept")];
    assert_eq!(
        bounded(dealer.recv_multipart_into(&mut into))
            .await
            .unwrap(),
        2
    );
    assert_eq!(into.len(), 3);
    assert_eq!(into[1], "reply");
    dealer.send_multipart(Vec::<Message>::new()).await.unwrap();

    // REQ must receive before it sends again: EFSM, and every owned part comes back.
    let (rep, req) = tcp_pair(&ctx, zmq::REP, zmq::REQ);
    req.send("first").await.unwrap();
    let e = req
        .send_multipart(vec![Message::from("x"), Message::from("y")])
        .await
        .unwrap_err();
    assert_eq!(e.error().kind(), ErrorKind::InvalidState);
    let unsent = e.into_unsent();
    assert_eq!(unsent.len(), 2);
    assert_eq!(unsent[1], "y");
    let e = req.send(Message::from("z")).await.unwrap_err();
    assert_eq!(e.into_unsent(), "z");
    assert_eq!(bounded(rep.recv()).await.unwrap(), "first");
}

#[tokio::test]
async fn poll_waits_for_events_and_times_out() {
    let ctx = ctx();
    let (pull, push) = tcp_pair(&ctx, zmq::PULL, zmq::PUSH);
    let t = std::time::Instant::now();
    let none = pull
        .poll(PollEvents::POLLIN, Some(Duration::from_millis(50)))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert!(t.elapsed() >= Duration::from_millis(45));
    let out = bounded(push.poll(PollEvents::POLLOUT, None)).await.unwrap();
    assert_eq!(out, PollEvents::POLLOUT);
    let (got, ()) = tokio::join!(
        bounded(pull.poll(PollEvents::POLLIN | PollEvents::POLLOUT, None)),
        async { push.send("ping").await.unwrap() }
    );
    assert_eq!(got.unwrap(), PollEvents::POLLIN, "PULL can never send");
    let now = pull
        .poll(PollEvents::POLLIN, Some(Duration::ZERO))
        .await
        .unwrap();
    assert_eq!(now, PollEvents::POLLIN, "a zero timeout still looks once");
    assert_eq!(bounded(pull.recv()).await.unwrap(), "ping");
}

/// REP becomes writable by receiving, with no edge on ZMQ_FD: a task waiting in poll(POLLOUT)
/// is woken by the receiving task's re-check of ZMQ_EVENTS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_change_without_an_edge_wakes_the_other_direction() {
    let ctx = ctx();
    let (rep, req) = tcp_pair(&ctx, zmq::REP, zmq::REQ);
    let rep = std::sync::Arc::new(rep);
    for round in 0..50 {
        let waiter = {
            let rep = rep.clone();
            tokio::spawn(async move {
                let no_edge = "poll(POLLOUT) after REP received";
                within(
                    Duration::from_secs(5),
                    no_edge,
                    rep.poll(PollEvents::POLLOUT, None),
                )
                .await
            })
        };
        tokio::task::yield_now().await;
        req.send(format!("{round}")).await.unwrap();
        assert_eq!(bounded(rep.recv_string()).await.unwrap(), round.to_string());
        assert_eq!(
            waiter.await.unwrap().unwrap(),
            PollEvents::POLLOUT,
            "round {round}"
        );
        rep.send("ok").await.unwrap();
        assert_eq!(bounded(req.recv()).await.unwrap(), "ok");
    }
}

#[tokio::test]
async fn stream_and_sink_of_multipart_messages() {
    let ctx = ctx();
    let (mut pull, mut push) = tcp_pair(&ctx, zmq::PULL, zmq::PUSH);
    for i in 0..20 {
        push.feed(vec![format!("{i}"), "tail".to_string()])
            .await
            .unwrap();
    }
    SinkExt::<Vec<String>>::flush(&mut push).await.unwrap();
    SinkExt::send(&mut push, ["last"]).await.unwrap();
    for i in 0..20 {
        let parts = bounded(pull.next()).await.unwrap().unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], i.to_string().as_str());
        assert_eq!(parts[1], "tail");
    }
    let last = bounded(pull.next()).await.unwrap().unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0], "last");

    // The borrowing adapters, for sockets shared between tasks.
    let mut sink = push.sink();
    sink.send(vec![Message::from("via sink")]).await.unwrap();
    let mut stream = pull.stream();
    let parts = bounded(stream.next()).await.unwrap().unwrap();
    assert_eq!(parts[0], "via sink");
}

#[tokio::test]
async fn sink_errors_give_the_message_back() {
    let ctx = ctx();
    let (_rep, mut req) = tcp_pair(&ctx, zmq::REP, zmq::REQ);
    SinkExt::send(&mut req, ["request"]).await.unwrap();
    let e = SinkExt::send(&mut req, ["again", "and"]).await.unwrap_err();
    assert_eq!(e.error().kind(), ErrorKind::InvalidState);
    let back = e.into_unsent();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0], "again");
}

#[tokio::test]
async fn monitor_events_as_a_stream() {
    let ctx = ctx();
    let rep = ctx.async_socket(zmq::REP).unwrap();
    let mut monitor = rep
        .monitor(MonitorEvents::LISTENING | MonitorEvents::ACCEPTED)
        .unwrap();
    rep.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = rep.last_endpoint().unwrap();
    match bounded(monitor.next()).await.unwrap().unwrap() {
        MonitorEvent::Listening { endpoint: e, .. } => assert_eq!(e, endpoint),
        other => panic!("{other:?}"),
    }
    let req = ctx.async_socket(zmq::REQ).unwrap();
    req.connect(&endpoint).unwrap();
    assert!(matches!(
        bounded(monitor.recv()).await.unwrap(),
        MonitorEvent::Accepted { .. }
    ));
    drop(rep);
    // Closing the socket stops the monitor: MONITOR_STOPPED, then the stream ends.
    let rest: Vec<_> = bounded(monitor.by_ref().collect::<Vec<_>>()).await;
    assert!(matches!(
        rest.last(),
        Some(Ok(MonitorEvent::MonitorStopped { .. }))
    ));
    assert!(bounded(monitor.next()).await.is_none());
}

/// tokio keeps one waker per descriptor. A receive that waited last and was then dropped must
/// not take with it the wake-up of a send waiting on the same socket in another task.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_waiter_does_not_take_another_tasks_wake_up() {
    use std::future::Future;
    let ctx = ctx();
    for round in 0..5 {
        let ep = format!("inproc://async-dropped-waiter-{round}");
        let a = ctx.socket(zmq::DEALER).unwrap();
        a.set_sndhwm(1).unwrap();
        a.bind(&ep).unwrap();
        let b = ctx.socket(zmq::DEALER).unwrap();
        b.set_rcvhwm(1).unwrap();
        b.connect(&ep).unwrap();
        let a = std::sync::Arc::new(a.into_async().unwrap());
        let mut queued = 0;
        while a.lock().try_send("fill").is_ok() {
            queued += 1;
        }
        let writer = {
            let a = a.clone();
            tokio::spawn(async move { a.send("last").await.unwrap() })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!writer.is_finished(), "the queue was not full");
        {
            // A receive waits (the last task to wait on the descriptor), then is dropped.
            let mut recv = std::pin::pin!(a.recv());
            let polled = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(recv.as_mut().poll(cx).is_pending())
            })
            .await;
            assert!(polled);
        }
        // The peer drains the queue: the edge that follows must reach the writer.
        let b = b.into_async().unwrap();
        for _ in 0..queued {
            assert_eq!(bounded(b.recv()).await.unwrap(), "fill");
        }
        within(Duration::from_secs(5), "the writer's wake-up", writer)
            .await
            .unwrap();
        assert_eq!(bounded(b.recv()).await.unwrap(), "last");
    }
}

/// A receive that finds nothing may still process the command that makes room for a send (a
/// peer read enough messages), and in doing so consume the descriptor's only signal of it
/// before tokio's reactor has seen it. The receiving task then cannot sleep on tokio's say-so
/// alone: it must read `ZMQ_EVENTS` for the sending task that waits, or that task is never
/// woken. Current-thread runtime, so the receive runs before the reactor's next turn (except
/// when the scheduler's periodic reactor turn falls in between: three rounds).
#[tokio::test(flavor = "current_thread")]
async fn a_receive_that_finds_nothing_wakes_the_sender_it_made_room_for() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    const HWM: i32 = 4;
    let ctx = ctx();
    for round in 0..3 {
        let endpoint = format!("inproc://room-for-the-sender-{round}");
        let peer = ctx.socket(zmq::DEALER).unwrap();
        peer.set_rcvhwm(HWM).unwrap();
        peer.bind(&endpoint).unwrap();
        let dealer = ctx.socket(zmq::DEALER).unwrap();
        dealer.set_sndhwm(HWM).unwrap();
        dealer.connect(&endpoint).unwrap();
        let dealer = Arc::new(dealer.into_async().unwrap());

        // The sender fills the pipe and waits for room; the receiver waits for a go.
        const COUNT: usize = 64;
        let sent = Arc::new(AtomicUsize::new(0));
        let sender = {
            let (dealer, sent) = (dealer.clone(), sent.clone());
            tokio::spawn(async move {
                for i in 0..COUNT {
                    dealer.send(i.to_string()).await.unwrap();
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        let go = Arc::new(tokio::sync::Notify::new());
        let receiver = {
            let (dealer, go) = (dealer.clone(), go.clone());
            tokio::spawn(async move {
                go.notified().await;
                dealer.recv_string().await
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let stalled_at = sent.load(Ordering::Relaxed);
        assert!(
            (1..COUNT).contains(&stalled_at),
            "round {round}: the sender should wait for room, sent {stalled_at}"
        );

        // Without yielding to the runtime: the peer reads what is queued, which sends the
        // dealer a command (room to write) and signals its descriptor; then the receiving task
        // runs before the reactor looks at that descriptor.
        let mut got = 0;
        while let Some(m) = peer.try_recv().unwrap() {
            assert_eq!(m, got.to_string().as_str());
            got += 1;
        }
        assert!(
            got >= stalled_at,
            "round {round}: read {got} of {stalled_at}"
        );
        go.notify_one();
        within(
            Duration::from_secs(5),
            "the sender after a receive made room",
            async {
                while sent.load(Ordering::Relaxed) == stalled_at {
                    tokio::task::yield_now().await;
                }
            },
        )
        .await;

        // The rest: the peer reads everything, then answers the receiver.
        while got < COUNT {
            let m = bounded(async {
                loop {
                    match peer.try_recv().unwrap() {
                        Some(m) => break m,
                        None => tokio::time::sleep(Duration::from_millis(1)).await,
                    }
                }
            })
            .await;
            assert_eq!(m, got.to_string().as_str());
            got += 1;
        }
        bounded(sender).await.unwrap();
        peer.send("done").unwrap();
        assert_eq!(bounded(receiver).await.unwrap().unwrap(), "done");
    }
}

/// A send that finds its queue full waits; when the reader makes room, libzmq's command for it
/// reaches the socket, and a retry made less than a millisecond after the socket last looked at
/// its commands does not look again (libzmq throttles that check on sends), so it fails, and the
/// wait step's `ZMQ_EVENTS` read finds the room: the task retries in the same poll and succeeds.
/// That success must not wake the task itself (its waker, registered by the wait step, is taken
/// out before the retry): a self-wake costs the runtime another poll of the task and another
/// turn of its reactor for nothing, once per wait of a busy sender. Counted with a waker that
/// records its wake-ups; several rounds, since the retry is throttled only if it comes within the
/// millisecond.
#[tokio::test(flavor = "current_thread")]
async fn a_retry_that_succeeds_does_not_wake_its_own_task() {
    use std::future::Future;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    /// Wakes the task it stands for and counts the wake-ups.
    struct Counting {
        inner: Waker,
        wakes: AtomicUsize,
    }
    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.wakes.fetch_add(1, Ordering::Relaxed);
            self.inner.wake_by_ref();
        }
    }

    const HWM: i32 = 2;
    let ctx = ctx();
    for round in 0..20 {
        let endpoint = format!("inproc://self-wake-{round}");
        let pull = ctx.socket(zmq::PULL).unwrap();
        pull.set_rcvhwm(HWM).unwrap();
        pull.bind(&endpoint).unwrap();
        let push = ctx.socket(zmq::PUSH).unwrap();
        push.set_sndhwm(HWM).unwrap();
        push.connect(&endpoint).unwrap();
        let push = push.into_async().unwrap();

        // Fill the queue (bounded), then start a send that has to wait.
        let mut queued = 0;
        while push.lock().send_with("fill", zmq::DONTWAIT).is_ok() {
            queued += 1;
            assert!(queued < 1000, "round {round}: the queue never filled");
        }
        let mut send = std::pin::pin!(push.send("last"));
        let mut completing_poll_wakes = None;
        within(
            Duration::from_secs(5),
            "the send after room was made",
            async {
                let mut polls = 0;
                std::future::poll_fn(|cx: &mut Context<'_>| {
                    let counting = Arc::new(Counting {
                        inner: cx.waker().clone(),
                        wakes: AtomicUsize::new(0),
                    });
                    let waker = Waker::from(counting.clone());
                    polls += 1;
                    match send.as_mut().poll(&mut Context::from_waker(&waker)) {
                        Poll::Ready(r) => {
                            r.unwrap();
                            completing_poll_wakes = Some(counting.wakes.load(Ordering::Relaxed));
                            Poll::Ready(())
                        }
                        Poll::Pending => {
                            if polls == 1 {
                                // Make room now, right after the first (failed) try, while the
                                // socket's last look at its commands is recent.
                                while let Some(m) = pull.try_recv().unwrap() {
                                    assert_eq!(m, "fill");
                                }
                            }
                            Poll::Pending
                        }
                    }
                })
                .await
            },
        )
        .await;
        let wakes = completing_poll_wakes.expect("completed");
        assert_eq!(
            wakes, 0,
            "round {round}: the poll that completed the send woke its own task {wakes} times"
        );
    }
}
