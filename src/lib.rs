//! Safe, fast bindings to libzmq (ZeroMQ) 4.3: socket kinds checked by the compiler, zero-copy
//! messages, every socket option typed, polling, proxies, CURVE security with a ZAP authenticator,
//! socket monitoring, async sockets on tokio and serde messages. libzmq is built from source by
//! default (nothing to install), or taken from the system.
//!
//! New here? `cargo run --example tour` runs every pattern of this page over tcp in one process and
//! prints what happens. Coming from pyzmq? The [migration guide](pyzmq_guide) puts every pyzmq
//! idiom beside its Rust counterpart.
//!
//! ```
//! let ctx = zmq::Context::new();
//! let publisher = ctx.socket(zmq::PUB)?;        // a Socket<Pub>
//! publisher.bind("inproc://weather")?;
//! let subscriber = ctx.socket(zmq::SUB)?;       // a Socket<Sub>
//! subscriber.connect("inproc://weather")?;
//! subscriber.subscribe("10001 ")?;              // only SUB and XSUB have subscribe
//! # std::thread::sleep(std::time::Duration::from_millis(50));
//! publisher.send("10001 21")?;
//! // publisher.recv()                           // does not compile: a PUB socket cannot receive
//! assert_eq!(subscriber.recv_string()?, "10001 21");
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! - [`Context`]: cheap to clone, shared between threads; sockets keep it alive, so it is
//!   terminated only after its last socket is gone.
//! - [`Socket`]: `Socket<Pub>`, `Socket<Req>`...: methods that do not fit the kind do not compile;
//!   `Socket<SocketType>` chooses the kind at run time. A socket may move to another thread, but
//!   two threads cannot use it at once (`Send`, not `Sync`).
//! - [`Message`]: one frame, zero-copy from owned buffers; it dereferences to its bytes.
//! - [`Error`] with [`ErrorKind`]: libzmq's errno and text, and the endpoint in bind/connect
//!   errors. An owned message a send could not take comes back in the [`SendError`]; a frame a
//!   receive could not decode comes back in the [`RecvError`].
//!
//! The walkthrough below follows the first two chapters of the ZeroMQ guide (zguide): each pattern
//! is a doctest over `inproc://` that runs in `cargo test`.
//!
//! # Request-reply
//!
//! A REP server answers each request of a REQ client. The two alternate strictly: a REQ socket
//! must receive the reply before it sends again (sending twice is
//! [`ErrorKind::InvalidState`], libzmq's `EFSM`).
//!
//! ```
//! use std::thread;
//!
//! let ctx = zmq::Context::new();
//! let server = ctx.socket(zmq::REP)?;
//! server.bind("inproc://hello")?;
//! let serving = thread::spawn(move || -> zmq::Result<()> {
//!     for _ in 0..3 {
//!         let request = server.recv_string()?;
//!         server.send(format!("World ({request})"))?;
//!     }
//!     Ok(())
//! });
//!
//! let client = ctx.socket(zmq::REQ)?;
//! client.connect("inproc://hello")?;
//! for n in 0..3 {
//!     client.send(format!("Hello {n}"))?;
//!     assert_eq!(client.recv_string()?, format!("World (Hello {n})"));
//! }
//! serving.join().expect("server thread")?;
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Endpoints: `tcp://*:5555` or `tcp://127.0.0.1:*` (a free port, then
//! [`last_endpoint`](Socket::last_endpoint)), `ipc:///tmp/name`, `inproc://name` (between threads
//! of one context). Either side may bind; usually the stable one does. Examples: `hello_world`,
//! `hwserver` + `hwclient`.
//!
//! # Publish-subscribe
//!
//! A PUB socket sends every update to every SUB socket whose subscription is a prefix of it; the
//! publisher does the filtering. A subscription reaches the publisher a moment after the
//! subscriber connects, and what is published before that is not for it (the "slow joiner"): a
//! publisher that must not lose the first updates waits for its subscribers (see
//! [node coordination](#node-coordination-and-pub-sub-envelopes)); a weather station just goes on
//! publishing.
//!
//! ```
//! use std::time::Duration;
//!
//! let ctx = zmq::Context::new();
//! let publisher = ctx.socket(zmq::PUB)?;
//! publisher.bind("inproc://weather")?;
//! let subscriber = ctx.socket(zmq::SUB)?;
//! subscriber.connect("inproc://weather")?;
//! subscriber.subscribe("10001 ")?;
//! subscriber.set_rcvtimeo(Some(Duration::from_millis(10)))?;
//!
//! let mut update = None;
//! for _ in 0..500 {
//!     publisher.send("10002 18")?; // nobody asked for 10002: never delivered
//!     publisher.send("10001 21")?;
//!     match subscriber.recv_string() {
//!         Ok(text) => {
//!             update = Some(text);
//!             break;
//!         }
//!         Err(e) if e.is_again() => {} // not subscribed yet: publish again
//!         Err(e) => return Err(e.into()),
//!     }
//! }
//! assert_eq!(update.as_deref(), Some("10001 21"));
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Examples: `publisher` + `subscriber`, `football` (topics: `-- --fan brazil`).
//!
//! # Pipeline: divide and conquer
//!
//! A ventilator PUSHes tasks, which libzmq deals out to the PULLing workers in turn; the workers
//! PUSH their results to a sink that PULLs them all. Here the workers are threads, and they stop
//! when the context is shut down: a blocked receive then returns
//! [`ErrorKind::ContextTerminated`] (`ETERM`).
//!
//! ```
//! use std::thread;
//!
//! let ctx = zmq::Context::new();
//! let ventilator = ctx.socket(zmq::PUSH)?;
//! ventilator.bind("inproc://tasks")?;
//! let sink = ctx.socket(zmq::PULL)?;
//! sink.bind("inproc://results")?;
//!
//! let mut workers = Vec::new();
//! for _ in 0..3 {
//!     let tasks = ctx.socket(zmq::PULL)?;
//!     tasks.connect("inproc://tasks")?;
//!     let results = ctx.socket(zmq::PUSH)?;
//!     results.connect("inproc://results")?;
//!     workers.push(thread::spawn(move || -> zmq::Result<()> {
//!         loop {
//!             let n: u64 = match tasks.recv_string() {
//!                 Ok(task) => task.parse().unwrap_or(0),
//!                 Err(e) if e.is_terminated() => return Ok(()),
//!                 Err(e) => return Err(e.into()),
//!             };
//!             results.send((n * n).to_string())?;
//!         }
//!     }));
//! }
//! for n in 1..=10u64 {
//!     ventilator.send(n.to_string())?;
//! }
//! let mut total = 0;
//! for _ in 0..10 {
//!     total += sink.recv_string()?.parse::<u64>().unwrap_or(0);
//! }
//! assert_eq!(total, 385);
//! ctx.shutdown()?;
//! for worker in workers {
//!     worker.join().expect("worker thread")?;
//! }
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Examples: `taskvent` + `taskwork` + `tasksink`.
//!
//! # Ending cleanly
//!
//! Dropping a socket closes it; dropping the last handle of a context (clones, sockets) terminates
//! it. Termination waits while a socket's queued messages are still being delivered, for as long
//! as the socket's linger: new sockets get [`DEFAULT_LINGER`] (5 s) where libzmq's own default is
//! forever, so a program whose peer never came still exits. Set it per socket
//! ([`Socket::set_linger`]) or per context ([`Context::set_default_linger`]).
//! [`Context::shutdown`] makes every blocking call of the context's sockets return
//! `ContextTerminated` at once, which is how threads are told to stop;
//! [`Context::term`] reports the error that dropping ignores. Linger counts for connections
//! being retried too: a SUB socket sends its subscriptions again to a publisher it reconnects
//! to, so a subscriber whose publisher went away waits at close unless its linger is zero.
//!
//! ```
//! use std::time::Duration;
//!
//! let ctx = zmq::Context::new();
//! let push = ctx.socket(zmq::PUSH)?;
//! push.set_linger(Some(Duration::ZERO))?; // drop what is still queued when closed
//! push.connect("tcp://127.0.0.1:5599")?;  // nobody needs to listen there
//! push.send("may never be delivered")?;
//! drop(push);
//! ctx.term()?; // returns at once
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # Which sockets talk to which
//!
//! | pattern | sockets |
//! |---|---|
//! | request-reply | REQ-REP, REQ-ROUTER, DEALER-REP, DEALER-ROUTER, DEALER-DEALER, ROUTER-ROUTER |
//! | publish-subscribe | PUB-SUB, XPUB-XSUB (and PUB-XSUB, XPUB-SUB) |
//! | pipeline | PUSH-PULL |
//! | exclusive pair | PAIR-PAIR |
//! | raw TCP | STREAM with any TCP peer |
//! | draft (feature `draft`) | CLIENT-SERVER, RADIO-DISH, SCATTER-GATHER, PEER-PEER, CHANNEL-CHANNEL |
//!
//! # Several sockets at once: polling
//!
//! One thread can serve several sockets: a [`Poller`] says which ones are ready
//! (pyzmq's `dict(poller.poll(ms))`); [`poll`] is libzmq's `zmq_poll` over a slice of items.
//!
//! ```
//! use std::time::Duration;
//! use zmq::{PollEvents, Poller};
//!
//! let ctx = zmq::Context::new();
//! let receiver = ctx.socket(zmq::PULL)?;
//! receiver.bind("inproc://tasks")?;
//! let control = ctx.socket(zmq::PAIR)?;
//! control.bind("inproc://control")?;
//! let (push, controller) = (ctx.socket(zmq::PUSH)?, ctx.socket(zmq::PAIR)?);
//! push.connect("inproc://tasks")?;
//! controller.connect("inproc://control")?;
//! push.send("task 1")?;
//! controller.send("KILL")?;
//!
//! let mut poller = Poller::new();
//! poller.register(&receiver, PollEvents::POLLIN);
//! poller.register(&control, PollEvents::POLLIN);
//! let (mut tasks, mut killed) = (0, false);
//! while !(killed && tasks == 1) {
//!     let ready = poller.poll(Some(Duration::from_secs(5)))?;
//!     assert!(!ready.is_empty(), "nothing came in 5 s");
//!     if ready.is_readable(&receiver) {
//!         receiver.recv()?;
//!         tasks += 1;
//!     }
//!     if ready.is_readable(&control) {
//!         killed = control.recv()? == "KILL";
//!     }
//! }
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # Multipart messages and envelopes
//!
//! A message may have several frames; it arrives whole or not at all.
//! [`send_multipart`](Socket::send_multipart) and [`recv_multipart`](Socket::recv_multipart) send
//! and receive all of them; [`Message::more`] says whether more frames follow. ROUTER sockets use
//! the first frames as an envelope: the routing id of the peer a message came from, which routes
//! the reply back to it (a REQ adds an empty delimiter frame).
//!
//! ```
//! let ctx = zmq::Context::new();
//! let router = ctx.socket(zmq::ROUTER)?;
//! router.bind("inproc://envelopes")?;
//! let client = ctx.socket(zmq::REQ)?;
//! client.set_routing_id("client-1")?;
//! client.connect("inproc://envelopes")?;
//!
//! client.send("Hello")?;
//! let mut request = router.recv_multipart()?;
//! assert_eq!(request, ["client-1", "", "Hello"]);
//! assert!(request[0].more() && !request[2].more());
//! request[2] = zmq::Message::from("World");
//! router.send_multipart(request)?; // the envelope routes it back
//! assert_eq!(client.recv_string()?, "World");
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # Brokers and proxies
//!
//! A broker lets clients and workers come and go: clients connect to a ROUTER, workers to a
//! DEALER, and a proxy shuttles messages between the two, envelopes included. [`proxy`] runs
//! libzmq's proxy in the calling thread until the context ends; [`ProxyThread`] runs it on a thread
//! of its own that can be paused, asked for statistics and stopped. XSUB/XPUB make a pub-sub
//! forwarder the same way; a capture socket gets a copy of all traffic.
//!
//! ```
//! let ctx = zmq::Context::new();
//! let frontend = ctx.socket(zmq::ROUTER)?;
//! frontend.bind("inproc://frontend")?;
//! let backend = ctx.socket(zmq::DEALER)?;
//! backend.bind("inproc://backend")?;
//! let broker = zmq::ProxyThread::spawn(frontend, backend)?;
//!
//! let worker = ctx.socket(zmq::REP)?;
//! worker.connect("inproc://backend")?;
//! let client = ctx.socket(zmq::REQ)?;
//! client.connect("inproc://frontend")?;
//! client.send("Hello")?;
//! assert_eq!(worker.recv_string()?, "Hello");
//! worker.send("World")?;
//! assert_eq!(client.recv_string()?, "World");
//! broker.stop()?;
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Example: `broker`.
//!
//! # Errors, `ETERM` and signals
//!
//! Every call returns a [`Result`]. Match on [`Error::kind`]: [`ErrorKind::Again`] is "would
//! block" (a non-blocking call, or a timeout: `set_rcvtimeo`, `set_sndtimeo`),
//! [`ErrorKind::ContextTerminated`] means the context is shutting down and the thread should close
//! its sockets and end, [`ErrorKind::InvalidState`] is a REQ/REP call out of turn. A signal
//! interrupts a blocking call with [`ErrorKind::Interrupted`], so a Ctrl-C handler can stop a
//! program blocked in `recv`; pyzmq retries those instead. Non-blocking calls
//! ([`try_recv`](Socket::try_recv), [`try_send`](Socket::try_send), flags [`DONTWAIT`]) never wait.
//!
//! ```
//! let ctx = zmq::Context::new();
//! let pull = ctx.socket(zmq::PULL)?;
//! pull.bind("inproc://errors")?;
//! assert!(pull.try_recv()?.is_none()); // nothing waiting: None, not an error
//! match pull.recv_with(zmq::DONTWAIT) {
//!     Err(e) if e.kind() == zmq::ErrorKind::Again => {}
//!     other => panic!("{other:?}"),
//! }
//! let req = ctx.socket(zmq::REQ)?;
//! assert_eq!(req.recv().unwrap_err().kind(), zmq::ErrorKind::InvalidState);
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # Threads
//!
//! Sockets of one context talk between threads over `inproc://`, the fastest transport. A socket
//! is `Send`, so it may be made in one thread and used in another, but not `Sync`: libzmq sockets
//! must not be used by two threads at once, and sharing one does not compile. (The thread-safe
//! draft kinds, SERVER, CLIENT, RADIO, DISH..., are `Sync`.) A PAIR of sockets signals between
//! two threads.
//!
//! ```
//! let ctx = zmq::Context::new();
//! let receiver = ctx.socket(zmq::PAIR)?;
//! receiver.bind("inproc://step")?;
//! let sender = ctx.socket(zmq::PAIR)?;
//! sender.connect("inproc://step")?;
//! let step = std::thread::spawn(move || sender.send("READY")); // `sender` moves to the thread
//! assert_eq!(receiver.recv_string()?, "READY");
//! step.join().expect("thread")?;
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! ```compile_fail
//! let ctx = zmq::Context::new();
//! let socket = ctx.socket(zmq::PAIR).unwrap();
//! std::thread::scope(|s| {
//!     s.spawn(|| socket.send("x")); // error: `Socket<Pair>` cannot be shared between threads
//!     socket.send("y").unwrap();
//! });
//! ```
//!
//! # Node coordination and pub-sub envelopes
//!
//! A publisher that must know its subscribers are there before it publishes can use an XPUB
//! socket: it receives each subscription (`\x01` and the topic). A topic in its own frame keeps it
//! apart from the body (a pub-sub envelope); the subscription still matches the first frame's
//! prefix.
//!
//! ```
//! let ctx = zmq::Context::new();
//! let publisher = ctx.socket(zmq::XPUB)?;
//! publisher.bind("inproc://envelopes")?;
//! let subscriber = ctx.socket(zmq::SUB)?;
//! subscriber.connect("inproc://envelopes")?;
//! subscriber.subscribe("B")?;
//!
//! let subscription = publisher.recv()?; // the subscriber is there
//! assert_eq!(&subscription[..], b"\x01B");
//! publisher.send_multipart(["A", "We don't want to see this"])?;
//! publisher.send_multipart(["B", "We would like to see this"])?;
//! assert_eq!(subscriber.recv_multipart()?, ["B", "We would like to see this"]);
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # High-water marks and zero copy
//!
//! Each connection queues at most its high-water mark of messages per direction (1000 by default:
//! [`set_sndhwm`](Socket::set_sndhwm), [`set_rcvhwm`](Socket::set_rcvhwm),
//! [`set_hwm`](Socket::set_hwm) for both, before `bind` or `connect`). Past it, PUB and ROUTER
//! drop messages; the other kinds block, or return `Again` to non-blocking calls.
//!
//! Messages built from owned buffers (`Vec<u8>`, `String`, `Box<[u8]>`, `bytes::Bytes` with the
//! `bytes` feature, anything through [`Message::from_owner`]) are handed to libzmq without a copy
//! once they are [`ZERO_COPY_THRESHOLD`] bytes or more, and over `inproc://` the receiver gets the
//! sender's very buffer. Received messages are never copied: a [`Message`] is a `&[u8]`.
//!
//! # Security, monitoring, serialisation, async
//!
//! - **CURVE** encryption and authentication: [`CurveKeyPair`], certificates on disk in pyzmq's and
//!   CZMQ's format ([`Certificate`], [`create_certificates`], [`load_certificates`]), and an
//!   [`Authenticator`], the ZAP handler on its own thread (pyzmq's `ThreadAuthenticator`): allow or
//!   deny lists, PLAIN passwords, CURVE keys or a certificate directory, a callback. Examples:
//!   `curve_server` + `curve_client`, `keygen`.
//! - **Monitoring**: [`Socket::monitor`] gives a [`Monitor`] of typed [`MonitorEvent`]s
//!   (connected, handshake succeeded or refused, disconnected...). Example: `monitor`.
//! - **Serialisation** (feature `serde`): `send_json` / `recv_json` on every socket, and
//!   `send_serialized` / `recv_serialized` with any serde format through the `Codec` trait (module
//!   `codec`).
//! - **Async** (feature `tokio`): `ctx.async_socket(zmq::PULL)?` or `socket.into_async()?` gives
//!   an `AsyncSocket`, and `into_inner()` the blocking socket back: `send(data).await`,
//!   `recv().await`, `recv_multipart().await`, a `futures` `Stream` and `Sink` of multipart
//!   messages, cancel-safe futures, one socket shared by a reader and a writer task. See the
//!   `asyncio` module. Examples: `async_server` + `async_client`, `async_pubsub`.
//!
//! ```
//! # #[cfg(all(feature = "tokio", unix))]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmq::Result<()> {
//! let ctx = zmq::Context::new();
//! let pull = ctx.async_socket(zmq::PULL)?;
//! pull.bind("inproc://async-work")?;
//! let push = ctx.async_socket(zmq::PUSH)?;
//! push.connect("inproc://async-work")?;
//! push.send("work").await?;
//! assert_eq!(pull.recv_string().await?, "work");
//! # Ok(())
//! # }
//! # #[cfg(not(all(feature = "tokio", unix)))]
//! # fn main() {}
//! ```
//!
//! # Examples
//!
//! `cargo run --example NAME` (the async ones with `--features tokio`):
//!
//! | example | what it shows |
//! |---|---|
//! | `tour` | every pattern of this page over tcp in one process: start here |
//! | `hello_world` | the smallest program: a REQ client and a REP server in one process |
//! | `hwserver`, `hwclient` | the guide's hello-world server and client, as two programs |
//! | `publisher`, `subscriber` | PUB/SUB, as two programs |
//! | `football` | a broadcaster with topics; `-- --fan brazil` subscribes to one |
//! | `taskvent`, `taskwork`, `tasksink` | the pipeline: ventilator, workers, sink |
//! | `broker` | a ROUTER/DEALER broker on a proxy thread, with workers and a client |
//! | `monitor` | every monitor event of a connection |
//! | `curve_server`, `curve_client`, `keygen` | CURVE with certificates and an authenticator |
//! | `async_server`, `async_client`, `async_pubsub` | the same patterns on tokio (feature `tokio`) |
//! | `multicast` | PUB/SUB over epgm, pgm or norm between hosts (a libzmq with PGM/NORM: `--no-default-features`) |
//! | `local_thr`, `remote_thr`, `local_lat`, `remote_lat`, `inproc_thr`, `inproc_lat`, `proxy_thr` | libzmq's perf tools, same arguments and output |
//! | `async_local_thr`, `async_remote_thr`, `async_local_lat`, `async_remote_lat` | the perf tools on tokio |
//! | `soak` | a bounded soak run of one pattern, memory and descriptors sampled (RELIABILITY.md) |
//!
//! # Features
//!
//! | feature | default | gives |
//! |---|---|---|
//! | `vendored` | yes | libzmq 4.3.5 and libsodium built from source and linked statically (see [choosing a build](#choosing-a-build)) |
//! | `draft` | no | libzmq's draft API: the SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER, DGRAM, PEER and CHANNEL kinds (the thread-safe ones `Sync` and single-part), `Socket::join`, `leave`, `send_to_group` (RADIO), `send_to` and `reply` (SERVER, PEER), `connect_peer`, `peer_state`, `Message::routing_id`, `group` and `from_buffer`, the draft socket options, `DraftPoller` (`zmq_poller`), `ppoll`, v2 monitors (`Socket::monitor_versioned`, pipe statistics), the I/O threads' name prefix as a string |
//! | `bytes` | no | `Message` from `bytes::Bytes` without a copy, and `Bytes` as something to send |
//! | `tokio` | no | the `asyncio` module: `AsyncSocket`, `Context::async_socket`, `Socket::into_async`, `AsyncMonitor` (Unix) |
//! | `serde` | no | the `codec` module: `send_json`, `recv_json`, `send_serialized`, `recv_serialized`, `Codec`, `Json` (and their async twins with `tokio`) |
//!
//! On docs.rs every item says which feature it needs.
//!
//! # Choosing a build
//!
//! - **The default, vendored**: `zmq = "0.1"`. libzmq 4.3.5 is compiled from the `zeromq-src`
//!   crate with libsodium from `libsodium-sys-stable` (its bundled sources, no download): CURVE
//!   works, nothing needs to be installed but a C/C++ compiler and `make`, and the binary carries
//!   libzmq statically. The first build takes a minute or two.
//! - **The system's libzmq**: `default-features = false`, or `LIBZMQ_NO_VENDOR=1` in the
//!   environment. libzmq 4.3.2 or newer is found by pkg-config (or at `LIBZMQ_LIB_DIR` and
//!   `LIBZMQ_INCLUDE_DIR`; `LIBZMQ_STATIC=1` links `libzmq.a` from there) and linked dynamically.
//!   It has what the distribution built in: Debian's `libzmq3-dev` has CURVE, PGM, NORM and GSSAPI,
//!   and no draft API.
//! - **Draft API**: `features = ["draft"]` with the vendored build; a system libzmq built without
//!   drafts is a build error that says so.
//!
//! At run time, [`has`] says what the linked libzmq can do (`"curve"`, `"ipc"`, `"pgm"`,
//! `"draft"`...) and [`version`] which libzmq it is.
//!
//! # Raw handles
//!
//! Every type that wraps a libzmq handle follows one rule, std's `Box` one: `as_raw(&self)`
//! lends the pointer, `into_raw(self)` gives up ownership (the caller must release it), and
//! `unsafe from_raw(..)` takes ownership (released on drop). Only [`Context`] can also wrap a
//! handle it does not own, with [`Context::from_raw_borrowed`] (pyzmq's `shadow`). [`Socket`],
//! [`Message`] and [`AtomicCounter`] have all three; [`Context`] has no `into_raw` (clones and
//! sockets share it); [`Timers`] and `DraftPoller` have `as_raw` only, as libzmq calls back into
//! the Rust closures and data they own. [`ffi`] is `zmq-sys`, for calling libzmq directly.
//!
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unsafe_op_in_unsafe_fn)]

pub use zmq_sys as ffi;

#[cfg(all(feature = "tokio", unix))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod asyncio;
#[cfg(all(feature = "tokio", not(unix)))]
compile_error!("the `tokio` feature needs a Unix target (it waits on ZMQ_FD with tokio's AsyncFd)");
mod atomic;
mod capability;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod codec;
mod context;
mod error;
mod flags;
mod message;
mod monitor;
mod pipe;
mod poll;
mod proxy;
mod security;
mod socket;
mod timers;
pub mod z85;

/// The pyzmq migration guide (docs/pyzmq.md): every pyzmq idiom beside its Rust counterpart.
/// Its Rust blocks run as doctests.
#[doc = include_str!("../docs/pyzmq.md")]
pub mod pyzmq_guide {}

#[cfg(all(feature = "tokio", unix))]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use asyncio::{
    AsyncKind, AsyncMonitor, AsyncSocket, IntoAsyncError, RecvStream, SendSink, SocketGuard,
};
pub use atomic::AtomicCounter;
pub use capability::{has, version};
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use codec::{Codec, Json};
pub use context::{Context, TermError, DEFAULT_LINGER};
pub use error::{strerror, Error, ErrorKind, RecvError, Result, SendError};
pub use message::{Message, ZERO_COPY_THRESHOLD};
pub use monitor::{protocol_error_name, Monitor, MonitorEvent, MonitorEventV2, MonitorEvents};
#[cfg(all(feature = "draft", unix))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "draft", unix))))]
pub use poll::ppoll;
pub use poll::{poll, PollEvents, PollItem, PollResult, Poller, RawFd, ReadyIter};
#[cfg(feature = "draft")]
#[cfg_attr(docsrs, doc(cfg(feature = "draft")))]
pub use poll::{DraftPoller, PollerAddError, PollerEvent};
pub use proxy::{proxy, Proxy, ProxyControl, ProxySpawnError, ProxyStatistics, ProxyThread};
pub use security::*;
pub use socket::*;
pub use timers::{TimerId, Timers};

pub(crate) use z85::alphabet_contains as z85_alphabet_contains;
