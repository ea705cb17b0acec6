//! [`AsyncSocket`]: a [`Socket`] whose sends and receives are futures.

use super::lock::{BiasedGuard, BiasedLock};
use super::readiness::{Readiness, SlotId};
use super::AsyncKind;
use crate::error::{Error, ErrorKind, RecvError, Result, SendError};
use crate::socket::{
    CanMultipart, CanRecv, CanSend, CanSubscribe, Received, Sendable, Socket, SocketKind,
    SocketType, DONTWAIT, SNDMORE,
};
use crate::PollEvents;
use crate::{Context, Message};
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{ready, Poll};
use std::time::Duration;
use tokio::task::coop;

/// How many times one poll may find `ZMQ_EVENTS` ready and the operation still refused before
/// it yields to the scheduler (libzmq can report a message that a REQ socket then discards, for
/// example); a safety net against spinning in one poll, never reached in normal operation.
const RETRIES_PER_POLL: u32 = 64;

/// How many operations a thread makes between two uses of tokio's cooperative-scheduling budget.
const COOP_EVERY: u32 = 16;

thread_local! {
    static OPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Takes part in tokio's cooperative scheduling, as tokio's own sockets do, so that a task whose
/// operations always succeed at once still yields to the others: one unit of the task's budget
/// every [`COOP_EVERY`] operations of the thread (tokio's own I/O takes one per operation; its
/// budget lookup costs as much as the rest of a receive, so it is taken less often), and
/// `Pending` (the task is rescheduled at once) when the budget is spent.
#[inline(always)]
pub(super) fn coop_tick(cx: &mut std::task::Context<'_>) -> Poll<()> {
    let n = OPS.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    if n % COOP_EVERY != 0 {
        return Poll::Ready(());
    }
    coop::poll_proceed(cx).map(|progress| progress.made_progress())
}

/// A libzmq socket of kind `K` for async code on tokio: `send(...).await`, `recv().await`, a
/// [`Stream`](futures_core::Stream) of received multipart messages and a
/// [`Sink`](futures_sink::Sink) of outgoing ones. Made by
/// [`Context::async_socket`](crate::Context::async_socket) or
/// [`Socket::into_async`](crate::Socket::into_async); [`into_inner`](AsyncSocket::into_inner)
/// gives the blocking socket back.
///
/// The methods that exist are those of the blocking [`Socket<K>`]: an `AsyncSocket<Pub>` has no
/// `recv`, only SUB and XSUB have `subscribe`.
///
/// ```compile_fail
/// # async fn f() -> zmq::Result<()> {
/// let publisher = zmq::Context::new().async_socket(zmq::PUB)?;
/// publisher.recv().await?; // does not compile: a PUB socket cannot receive
/// # Ok(())
/// # }
/// ```
///
/// `bind`, `connect` and a few others are here; [`lock`](AsyncSocket::lock) reaches everything
/// else a [`Socket`] has (every option).
///
/// An `AsyncSocket` is `Send` and `Sync`: one socket may be used by several tasks at once, on
/// any runtime flavour, for example a ROUTER server with a reader task and a writer task sharing
/// it through an `Arc`. The libzmq socket sits behind a lock held only across non-blocking
/// libzmq calls, so no task ever waits for another's I/O, and no user-side lock is needed (the
/// lock is biased to the thread that made the socket: see the [module](crate::asyncio)).
///
/// The send and receive futures are cancel-safe (see each method): dropping one, by a
/// `tokio::select!` or a timeout, never loses or half-sends a message. They ignore the socket's
/// `rcvtimeo`/`sndtimeo`; use `tokio::time::timeout`. See the [module](crate::asyncio) for how
/// readiness is tracked.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq::Result<()> {
/// let ctx = zmq::Context::new();
/// let pull = ctx.async_socket(zmq::PULL)?;
/// pull.bind("inproc://doc-async")?;
/// let push = ctx.async_socket(zmq::PUSH)?;
/// push.connect("inproc://doc-async")?;
/// push.send("job 1").await?;
/// assert_eq!(pull.recv().await?, "job 1");
/// # Ok(())
/// # }
/// ```
pub struct AsyncSocket<K: SocketKind> {
    pub(super) core: Core<K>,
    /// The [`Stream`](futures_core::Stream) implementation's state.
    pub(super) stream: super::stream::StreamState,
    /// The [`Sink`](futures_sink::Sink) implementation's state.
    pub(super) sink: super::stream::SinkState,
}

// Nothing in an async socket is pinned: its futures borrow it, they do not live inside it.
impl<K: SocketKind> Unpin for AsyncSocket<K> {}

/// The socket and its readiness: what every operation needs.
pub(super) struct Core<K: SocketKind> {
    // Declared (so dropped) first: the descriptor leaves tokio's reactor before the socket that
    // owns it is closed.
    pub(super) io: Readiness,
    /// For a thread-safe draft kind, the private poller whose descriptor `io` watches (dropped
    /// after `io` leaves the reactor and before the socket it watches is closed).
    #[cfg(feature = "draft")]
    poller: Option<super::poller_fd::PollerFd>,
    socket: BiasedLock<Socket<K>>,
}

impl<K: SocketKind> fmt::Debug for AsyncSocket<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("AsyncSocket");
        match self.core.socket.try_lock() {
            Some(s) => d.field("socket", &*s),
            None => d.field("socket", &"<in use>"),
        };
        d.field("io", &self.core.io).finish_non_exhaustive()
    }
}

/// The result of one non-blocking attempt: `Ok(None)` when it would block (`EAGAIN`, or `EINTR`
/// before anything was done: retried once `ZMQ_EVENTS` says so).
pub(super) type Attempt<T> = Result<Option<T>>;

#[inline(always)]
pub(super) fn attempt<T>(r: Result<T>) -> Attempt<T> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if matches!(e.kind(), ErrorKind::Again | ErrorKind::Interrupted) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Sends `frames` as one message without blocking, in one pass: the first frame with
/// `ZMQ_DONTWAIT` (would-block: nothing sent, `Ok(None)`), then the others. libzmq accepts the
/// rest of a message once it has taken the first frame (its high-water mark counts whole
/// messages), so the others never meet a full queue; `EAGAIN` after the first frame means the
/// pipe under the message went away (libzmq dropped what it had taken), and is an error as in
/// [`Socket::send_multipart`]. `EINTR` after the first frame is retried: half a message must not
/// stay inside libzmq. On error `*sent` is the number of frames libzmq took.
pub(super) fn send_frames<K: SocketKind + CanSend + CanMultipart>(
    socket: &Socket<K>,
    frames: &mut [Message],
    sent: &mut usize,
) -> Attempt<()> {
    let last = frames.len().saturating_sub(1);
    for (i, frame) in frames.iter_mut().enumerate() {
        let flags = if i < last {
            DONTWAIT | SNDMORE
        } else {
            DONTWAIT
        };
        loop {
            match socket.send_msg_with(frame, flags) {
                Ok(()) => break,
                // The first frame: nothing was sent, would-block means wait.
                Err(e) if i == 0 => return attempt::<()>(Err(e)).map(|_| None),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    *sent = i;
                    return Err(e);
                }
            }
        }
    }
    *sent = frames.len();
    Ok(Some(()))
}

/// The future of one operation on an async socket (what `send`, `recv`... return): it holds
/// the operation's state (the message to send, the buffer to fill), tries the operation when
/// polled and waits as [`Core::poll_io`] says. Dropping it gives its waiting slot back.
pub(super) struct Io<'a, K: SocketKind, S, A, D> {
    core: &'a Core<K>,
    slot: SlotId,
    interest: PollEvents,
    state: S,
    attempt: A,
    done: D,
}

impl<K: SocketKind, S, A, D, R, Out> Future for Io<'_, K, S, A, D>
where
    S: Unpin,
    A: FnMut(&mut S, &Socket<K>) -> Attempt<R> + Unpin,
    D: FnMut(&mut S, Result<R>) -> Out + Unpin,
{
    type Output = Out;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Out> {
        let this = self.get_mut();
        let (state, attempt) = (&mut this.state, &mut this.attempt);
        // One arm per outcome, as in `poll_io`: the value stays in registers.
        match this
            .core
            .poll_io(cx, &mut this.slot, this.interest, |s| attempt(state, s))
        {
            Poll::Ready(Ok(r)) => Poll::Ready((this.done)(&mut this.state, Ok(r))),
            Poll::Ready(Err(e)) => Poll::Ready((this.done)(&mut this.state, Err(e))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The future of [`AsyncSocket::poll`]: waits until one of `events` is possible.
struct WaitEvents<'a, K: SocketKind> {
    core: &'a Core<K>,
    slot: SlotId,
    events: PollEvents,
}

impl<K: SocketKind> Future for WaitEvents<'_, K> {
    type Output = Result<PollEvents>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.core.poll_events(cx, &mut this.slot, this.events)
    }
}

impl<K: SocketKind> Drop for WaitEvents<'_, K> {
    fn drop(&mut self) {
        self.core.io.waiters.release(&mut self.slot);
    }
}

impl<K: SocketKind, S, A, D> Drop for Io<'_, K, S, A, D> {
    #[inline]
    fn drop(&mut self) {
        self.core.io.waiters.release(&mut self.slot);
    }
}

impl<K: AsyncKind> AsyncSocket<K> {
    /// Makes `socket` async (the same as [`Socket::into_async`](crate::Socket::into_async)).
    ///
    /// Must be called inside a tokio runtime with I/O enabled (`#[tokio::main]`,
    /// `Runtime::new`, or a builder with `enable_io`): the socket's `ZMQ_FD` is registered with
    /// that runtime's reactor (for a thread-safe draft kind, which has none, a private poller's
    /// descriptor). Without a runtime the error gives the socket back.
    ///
    /// # Panics
    /// If the current runtime was built without I/O (tokio's own panic, as for any tokio socket).
    pub fn new(socket: Socket<K>) -> Result<AsyncSocket<K>, super::IntoAsyncError<K>> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(super::IntoAsyncError::new(
                Error::InvalidArgument(
                    "an async socket must be made inside a tokio runtime (it registers ZMQ_FD with the runtime's reactor)",
                ),
                socket,
            ));
        }
        let thread_safe = K::MAYBE_THREAD_SAFE && matches!(socket.thread_safe(), Ok(true));
        #[cfg(feature = "draft")]
        let (poller, fd) = if thread_safe {
            // No ZMQ_FD: a private poller's descriptor stands for it.
            match super::poller_fd::PollerFd::new(socket.as_raw()) {
                Ok((poller, fd)) => (Some(poller), fd),
                Err(e) => return Err(super::IntoAsyncError::new(e, socket)),
            }
        } else {
            match socket.fd() {
                Ok(fd) => (None, fd),
                Err(e) => return Err(super::IntoAsyncError::new(e, socket)),
            }
        };
        #[cfg(not(feature = "draft"))]
        let fd = match socket.fd() {
            // Without `draft` no kind is thread-safe.
            Ok(fd) if !thread_safe => fd,
            Ok(_) => unreachable!("thread-safe kinds need the draft feature"),
            Err(e) => return Err(super::IntoAsyncError::new(e, socket)),
        };
        match Readiness::new(fd) {
            Ok(io) => Ok(AsyncSocket {
                core: Core {
                    io,
                    #[cfg(feature = "draft")]
                    poller,
                    socket: BiasedLock::new(socket),
                },
                stream: Default::default(),
                sink: Default::default(),
            }),
            Err(e) => Err(super::IntoAsyncError::new(e, socket)),
        }
    }
}

impl<K: SocketKind> AsyncSocket<K> {
    /// The blocking socket back; its `ZMQ_FD` leaves tokio's reactor.
    pub fn into_inner(self) -> Socket<K> {
        let core = self.core;
        // The descriptor leaves the reactor first, then the poller that owns it (if any), and
        // only then is the socket free to be closed.
        drop(core.io);
        #[cfg(feature = "draft")]
        drop(core.poller);
        core.socket.into_inner()
    }

    /// Locks the socket and gives access to everything a blocking [`Socket`] has: every option
    /// (`sock.lock().set_sndhwm(10)?`), `monitor`, `as_raw`... Hold the guard briefly, as any
    /// lock: other tasks' sends and receives wait for it. Do not make a blocking call through it
    /// (`recv`, `send` without [`DONTWAIT`](crate::DONTWAIT)): it would block the runtime
    /// thread as well. Non-blocking sends and receives are fine: when the guard is dropped,
    /// `ZMQ_EVENTS` is checked again and waiting tasks are woken as needed.
    pub fn lock(&self) -> SocketGuard<'_, K> {
        SocketGuard {
            guard: Some(self.core.lock_inner()),
            io: &self.core.io,
        }
    }

    /// The socket's kind value.
    pub fn kind(&self) -> K {
        self.core.lock_inner().kind()
    }

    /// The socket's kind as a [`SocketType`].
    pub fn socket_type(&self) -> SocketType {
        self.core.lock_inner().socket_type()
    }

    /// The context the socket belongs to.
    pub fn context(&self) -> Context {
        self.core.lock_inner().context().clone()
    }

    /// Accepts connections on `endpoint` (`zmq_bind`); see [`Socket::bind`].
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.lock().bind(endpoint)
    }

    /// Connects to `endpoint` (`zmq_connect`); see [`Socket::connect`].
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.lock().connect(endpoint)
    }

    /// Stops accepting on `endpoint` (`zmq_unbind`); see [`Socket::unbind`].
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.lock().unbind(endpoint)
    }

    /// Disconnects from `endpoint` (`zmq_disconnect`); see [`Socket::disconnect`].
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.lock().disconnect(endpoint)
    }

    /// The endpoint last bound or connected (`ZMQ_LAST_ENDPOINT`); see
    /// [`Socket::last_endpoint`].
    #[doc(alias = "ZMQ_LAST_ENDPOINT")]
    pub fn last_endpoint(&self) -> Result<String> {
        self.lock().last_endpoint()
    }

    /// Subscribes to messages starting with `prefix`; see [`Socket::subscribe`].
    #[doc(alias = "ZMQ_SUBSCRIBE")]
    pub fn subscribe<B: AsRef<[u8]> + ?Sized>(&self, prefix: &B) -> Result<()>
    where
        K: CanSubscribe,
    {
        self.lock().subscribe(prefix)
    }

    /// Removes a subscription; see [`Socket::unsubscribe`].
    #[doc(alias = "ZMQ_UNSUBSCRIBE")]
    pub fn unsubscribe<B: AsRef<[u8]> + ?Sized>(&self, prefix: &B) -> Result<()>
    where
        K: CanSubscribe,
    {
        self.lock().unsubscribe(prefix)
    }

    /// Starts monitoring the socket ([`Socket::monitor`]) and gives the events as an
    /// [`AsyncMonitor`](super::AsyncMonitor), a [`Stream`](futures_core::Stream).
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor(&self, events: crate::MonitorEvents) -> Result<super::AsyncMonitor> {
        let monitor = self.lock().monitor(events)?;
        monitor.into_async()
    }

    /// Which events are possible now (`ZMQ_EVENTS`), without waiting; see [`Socket::events`].
    /// Waiting tasks that the read shows ready are woken.
    #[doc(alias = "ZMQ_EVENTS")]
    pub fn events(&self) -> Result<PollEvents> {
        self.lock().events()
    }

    /// Sends one frame: anything [`Socket::send`] takes (`&[u8]`, `&str`, `Vec<u8>`, `String`,
    /// [`Message`], `&Message`...). Owned buffers are handed to libzmq without a copy, as with
    /// the blocking send; borrowed bytes are copied by `zmq_send` when libzmq takes them (each
    /// try copies nothing until then).
    ///
    /// **Cancel safety:** dropping the future before it completes sends nothing: the frame goes
    /// to libzmq, whole, inside the poll that returns `Ready`. On error an owned message comes
    /// back in the [`SendError`], as with the blocking send.
    #[doc(alias = "zmq_msg_send")]
    pub fn send<'s, T: Sendable + 's>(
        &'s self,
        data: T,
    ) -> impl Future<Output = Result<(), SendError<T::Unsent>>> + 's
    where
        K: CanSend,
    {
        self.core.io(
            PollEvents::POLLOUT,
            Some(data.into_pending()),
            |pending, s| {
                let p = pending.as_mut().expect("a send completes once");
                attempt(s.try_send_pending::<T>(p, DONTWAIT))
            },
            |pending, r| {
                r.map_err(|e| {
                    let p = pending.take().expect("a send completes once");
                    SendError::new(e, T::pending_unsent(p))
                })
            },
        )
    }

    /// Sends the content of `msg` and leaves `msg` empty, ready for reuse (the async
    /// [`Socket::send_msg`]).
    ///
    /// **Cancel safety:** dropping the future before it completes sends nothing and leaves
    /// `msg` as it was; on error `msg` keeps its content too.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_msg<'a>(&'a self, msg: &'a mut Message) -> impl Future<Output = Result<()>> + 'a
    where
        K: CanSend,
    {
        self.core.io(
            PollEvents::POLLOUT,
            msg,
            |msg, s| attempt(s.send_msg_with(msg, DONTWAIT)),
            |_, r| r,
        )
    }

    /// Sends every item of `parts` as one multipart message (the async
    /// [`Socket::send_multipart`]). The parts become [`Message`]s first (owned buffers without
    /// a copy).
    ///
    /// **Cancel safety:** the whole message is sent in one non-blocking pass, inside the poll
    /// that returns `Ready`: libzmq accepts the rest of a message once it has taken the first
    /// frame. So a dropped future sent either all of the message or none of it. If the first
    /// frame cannot be sent, every part comes back in the error; after it, only `ETERM` or the
    /// loss of the connection under the message can stop it, as with the blocking call, and the
    /// frames not sent come back.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_multipart<I, T>(
        &self,
        parts: I,
    ) -> impl Future<Output = Result<(), SendError<Vec<T::Unsent>>>> + '_
    where
        K: CanSend + CanMultipart,
        I: IntoIterator<Item = T>,
        T: Sendable,
    {
        let frames: Vec<Message> = parts.into_iter().map(Sendable::into_message).collect();
        self.core.io(
            PollEvents::POLLOUT,
            (frames, 0),
            |(frames, sent), s| {
                if frames.is_empty() {
                    return Ok(Some(()));
                }
                send_frames(s, frames, sent)
            },
            |(frames, sent), r| {
                r.map_err(|e| {
                    let unsent = frames.drain(*sent..).map(T::unsent_from).collect();
                    SendError::new(e, unsent)
                })
            },
        )
    }

    /// Receives one frame.
    ///
    /// **Cancel safety:** a receive happens only inside the poll that returns it, so dropping
    /// the future before it completes consumes no message.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv(&self) -> impl Future<Output = Result<Message>> + '_
    where
        K: CanRecv,
    {
        self.core.io(
            PollEvents::POLLIN,
            (),
            |_, s| attempt(s.recv_with(DONTWAIT)),
            |_, r| r,
        )
    }

    /// Receives one frame into `msg`, reusing it; returns the size (the async
    /// [`Socket::recv_msg`]).
    ///
    /// **Cancel safety:** dropping the future before it completes consumes no message; `msg`
    /// may have been emptied (libzmq resets it when nothing is waiting).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_msg<'a>(&'a self, msg: &'a mut Message) -> impl Future<Output = Result<usize>> + 'a
    where
        K: CanRecv,
    {
        self.core.io(
            PollEvents::POLLIN,
            msg,
            |msg, s| attempt(s.recv_msg_with(msg, DONTWAIT)),
            |_, r| r,
        )
    }

    /// Receives a frame into `buf` (`zmq_recv`), reporting its full size so truncation is never
    /// silent (the async [`Socket::recv_into`]).
    ///
    /// **Cancel safety:** dropping the future before it completes consumes no message.
    #[doc(alias = "zmq_recv")]
    pub fn recv_into<'a>(&'a self, buf: &'a mut [u8]) -> impl Future<Output = Result<Received>> + 'a
    where
        K: CanRecv,
    {
        self.core.io(
            PollEvents::POLLIN,
            buf,
            |buf, s| attempt(s.recv_into_with(buf, DONTWAIT)),
            |_, r| r,
        )
    }

    /// Receives every frame of one multipart message (the async [`Socket::recv_multipart`]).
    ///
    /// **Cancel safety:** libzmq delivers a message whole, and all its frames are read in the
    /// poll that returns them, so dropping the future before it completes consumes nothing.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_multipart(&self) -> impl Future<Output = Result<Vec<Message>>> + '_
    where
        K: CanRecv + CanMultipart,
    {
        self.core.io(
            PollEvents::POLLIN,
            Vec::new(),
            |parts, s| attempt(s.recv_multipart_into(parts, DONTWAIT)),
            |parts, r| r.map(|_| std::mem::take(parts)),
        )
    }

    /// Receives every frame of one multipart message and appends them to `parts` (reusable from
    /// message to message); returns how many were added (the async
    /// [`Socket::recv_multipart_into`]).
    ///
    /// **Cancel safety:** as [`recv_multipart`](AsyncSocket::recv_multipart); `parts` is left
    /// as it was by a future dropped before it completes.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_multipart_into<'a>(
        &'a self,
        parts: &'a mut Vec<Message>,
    ) -> impl Future<Output = Result<usize>> + 'a
    where
        K: CanRecv + CanMultipart,
    {
        self.core.io(
            PollEvents::POLLIN,
            parts,
            |parts, s| attempt(s.recv_multipart_into(parts, DONTWAIT)),
            |_, r| r,
        )
    }

    /// Receives one frame as bytes.
    ///
    /// **Cancel safety:** as [`recv`](AsyncSocket::recv).
    pub async fn recv_bytes(&self) -> Result<Vec<u8>>
    where
        K: CanRecv,
    {
        self.recv().await.map(|m| m.to_vec())
    }

    /// Receives one frame as a `String`; a frame that is not UTF-8 comes back in the error
    /// ([`RecvError::into_received`]), as with [`Socket::recv_string`].
    ///
    /// **Cancel safety:** as [`recv`](AsyncSocket::recv).
    pub async fn recv_string(&self) -> Result<String, RecvError<Message>>
    where
        K: CanRecv,
    {
        let msg = self.recv().await.map_err(|e| RecvError::new(e, None))?;
        match std::str::from_utf8(&msg) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(RecvError::new(Error::Utf8(e), Some(msg))),
        }
    }

    /// Waits until one of `events` ([`PollEvents::POLLIN`], [`PollEvents::POLLOUT`]) is
    /// possible, at most `timeout` (`None`: without limit), like pyzmq's `await socket.poll()`.
    /// Returns the events of `events` that are possible, empty when the time ran out.
    ///
    /// **Cancel safety:** waiting changes nothing, so the future may be dropped at any time.
    ///
    /// A timeout needs the runtime's timer (`enable_time`, on in `#[tokio::main]`).
    #[doc(alias = "zmq_poll")]
    pub async fn poll(&self, events: PollEvents, timeout: Option<Duration>) -> Result<PollEvents> {
        let wait = WaitEvents {
            core: &self.core,
            slot: SlotId::default(),
            events,
        };
        let ready = match timeout {
            None => wait.await?,
            Some(t) => match tokio::time::timeout(t, wait).await {
                Ok(r) => r?,
                Err(_) => return Ok(PollEvents::empty()),
            },
        };
        Ok(ready & events)
    }
}

/// Sends of the thread-safe draft kinds whose messages carry an address (SERVER and PEER: a
/// routing id; RADIO: a group), and DISH's groups.
#[cfg(feature = "draft")]
impl<K: SocketKind> AsyncSocket<K> {
    /// Sends one message to the peer with `routing_id` (the async
    /// [`Socket::send_to`]): a SERVER's client, a PEER's peer. Routing id 0 is
    /// [`ErrorKind::InvalidArgument`]; a peer that is gone is
    /// [`ErrorKind::HostUnreachable`].
    ///
    /// **Cancel safety:** as [`send`](AsyncSocket::send): a dropped future sent nothing, and
    /// the data comes back in the error.
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn send_to<'s, T: Sendable + 's>(
        &'s self,
        routing_id: u32,
        data: T,
    ) -> impl Future<Output = Result<(), SendError<T::Unsent>>> + 's
    where
        K: crate::socket::CanRoute,
    {
        let mut msg = data.into_message();
        let prepared = msg.set_routing_id(routing_id);
        self.send_prepared::<T>(msg, prepared)
    }

    /// Answers `request`, a message this socket received: sends `data` to the peer it came
    /// from, in one call (the async [`Socket::reply`]).
    ///
    /// **Cancel safety:** as [`send`](AsyncSocket::send).
    pub fn reply<'s, T: Sendable + 's>(
        &'s self,
        request: &Message,
        data: T,
    ) -> impl Future<Output = Result<(), SendError<T::Unsent>>> + 's
    where
        K: crate::socket::CanRoute,
    {
        self.send_to(request.routing_id(), data)
    }

    /// Sends one message to the DISH sockets that joined `group` (the async
    /// [`Socket::send_to_group`]).
    ///
    /// **Cancel safety:** as [`send`](AsyncSocket::send).
    #[doc(alias = "zmq_msg_set_group")]
    pub fn send_to_group<'s, T: Sendable + 's>(
        &'s self,
        group: &str,
        data: T,
    ) -> impl Future<Output = Result<(), SendError<T::Unsent>>> + 's
    where
        K: crate::socket::CanSendToGroup,
    {
        let mut msg = data.into_message();
        let prepared = msg.set_group(group);
        self.send_prepared::<T>(msg, prepared)
    }

    /// Joins `group` (a DISH socket; see [`Socket::join`]).
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> Result<()>
    where
        K: crate::socket::CanJoin,
    {
        self.lock().join(group)
    }

    /// Leaves `group` (a DISH socket; see [`Socket::leave`]).
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> Result<()>
    where
        K: crate::socket::CanJoin,
    {
        self.lock().leave(group)
    }

    /// Sends `msg`, whose routing id or group `prepared` set (or failed to set: that error is
    /// the result, with the data given back).
    fn send_prepared<T: Sendable>(
        &self,
        msg: Message,
        prepared: Result<()>,
    ) -> impl Future<Output = Result<(), SendError<T::Unsent>>> + '_ {
        self.core.io(
            PollEvents::POLLOUT,
            (Some(msg), prepared.err()),
            |(msg, failed), s| {
                if let Some(e) = failed.take() {
                    return Err(e);
                }
                let m = msg.as_mut().expect("a send completes once");
                // SAFETY: `s` is the live socket, used under the async socket's lock (and
                // libzmq serialises calls on the thread-safe kinds that route or group).
                let sent = attempt(unsafe { m.send_on(s.as_raw(), DONTWAIT.bits()) })?;
                if sent.is_some() {
                    // libzmq took the content and left an empty message, which needs no close.
                    std::mem::forget(msg.take());
                }
                Ok(sent)
            },
            |(msg, _), r| {
                r.map_err(|e| {
                    let m = msg.take().expect("a send completes once");
                    SendError::new(e, T::unsent_from(m))
                })
            },
        )
    }
}

impl<K: SocketKind> Core<K> {
    /// The future of one operation: `attempt` makes one non-blocking try with the future's
    /// `state` (would-block is `Ok(None)`), `done` turns its result (or an error met while
    /// waiting) into the output. See [`Io`].
    #[inline]
    pub(super) fn io<S, A, D, R, Out>(
        &self,
        interest: PollEvents,
        state: S,
        attempt: A,
        done: D,
    ) -> Io<'_, K, S, A, D>
    where
        A: FnMut(&mut S, &Socket<K>) -> Attempt<R>,
        D: FnMut(&mut S, Result<R>) -> Out,
    {
        Io {
            core: self,
            slot: SlotId::default(),
            interest,
            state,
            attempt,
            done,
        }
    }

    #[inline(always)]
    pub(super) fn lock_inner(&self) -> BiasedGuard<'_, Socket<K>> {
        // The lock is held only across libzmq calls, which do not panic; should a caller's code
        // panic while holding a `SocketGuard`, the socket is still usable (the lock does not
        // poison).
        self.socket.lock()
    }

    /// The socket's events for the wait step: `ZMQ_EVENTS`, or for a thread-safe kind its
    /// poller's state (which also consumes the signal of the poller's descriptor).
    #[inline]
    fn wait_events(&self) -> Result<PollEvents> {
        self.events_of(&self.lock_inner())
    }

    /// [`wait_events`](Self::wait_events) for a caller that holds the lock: `socket` is the
    /// locked socket.
    #[inline]
    fn events_of(&self, socket: &Socket<K>) -> Result<PollEvents> {
        #[cfg(feature = "draft")]
        if let Some(poller) = &self.poller {
            return poller.events();
        }
        socket.events()
    }

    /// Whether a task whose operation would block may sleep without reading `ZMQ_EVENTS` when
    /// tokio holds no edge (`after_failed_call` of [`Readiness::poll_wait`]): only with
    /// `ZMQ_FD`, whose signal libzmq raises once per batch of commands and consumes only while
    /// processing them all. A thread-safe kind's poller descriptor is signalled differently,
    /// and always takes the full wait step.
    #[inline(always)]
    fn may_park_on_edge(&self) -> bool {
        #[cfg(feature = "draft")]
        if self.poller.is_some() {
            return false;
        }
        true
    }

    /// After an operation that completed (or failed), with the socket still locked: since it
    /// may have processed libzmq's commands, consuming an edge of the descriptor that another
    /// task waits for, `ZMQ_EVENTS` is checked for the waiting tasks (step 2). `socket` is
    /// borrowed from the guard once, by the caller, so that nothing takes the guard's own
    /// address (which would keep it in memory).
    #[inline(always)]
    fn after_op(&self, socket: &Socket<K>) {
        self.io.after_op(|| socket.events());
    }

    /// One step of an operation: tries `op` (non-blocking) and, when it would block, waits as
    /// [`Readiness::poll_wait`] says, until `op` completes or fails.
    ///
    /// The operation runs only here, inside a poll, and its result is returned by that same
    /// poll: a future dropped between polls has done nothing.
    ///
    /// `slot` is not given back here when the operation completes: the caller does that (an
    /// [`Io`] future when it is dropped, which `.await` does at once; the stream and sink right
    /// after). A completed operation's slot holds a waker only if it registered one in its last
    /// poll, and that costs at most a spurious `ZMQ_EVENTS` read until it is given back; giving
    /// it back in one place saves a second check on every message.
    ///
    /// Inlined into the future's `poll`, which is inlined into the caller's `.await`, with `op`
    /// called from one place (so that it is inlined too); the wait step is not inlined. Each
    /// outcome has its own arm, and neither the result nor the lock's guard is moved whole
    /// through memory: on every message, a value written there in pieces and read back whole
    /// stalled the CPU (a failed store-to-load forward).
    #[inline(always)]
    pub(super) fn poll_io<R>(
        &self,
        cx: &mut std::task::Context<'_>,
        slot: &mut SlotId,
        interest: PollEvents,
        mut op: impl FnMut(&Socket<K>) -> Attempt<R>,
    ) -> Poll<Result<R>> {
        ready!(coop_tick(cx));
        let mut tries = 0;
        loop {
            let guard = self.lock_inner();
            let socket: &Socket<K> = &guard;
            match op(socket) {
                Ok(Some(r)) => {
                    self.after_op(socket);
                    drop(guard);
                    return Poll::Ready(Ok(r));
                }
                Err(e) => {
                    self.after_op(socket);
                    drop(guard);
                    return Poll::Ready(Err(e));
                }
                Ok(None) => {}
            }
            tries += 1;
            // The wait step, with the socket still locked: nothing has run on it since.
            let waited = self.wait_locked(cx, slot, interest, socket, tries);
            drop(guard);
            match waited {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// The wait step of [`poll_io`](Self::poll_io), for an operation that found the socket
    /// (`socket`, still locked) not ready: `Ready(Ok)` to try again, `Pending` (the task
    /// sleeps, or yields after [`RETRIES_PER_POLL`] tries), or `Ready(Err)` (the slot given
    /// back).
    #[inline(never)]
    fn wait_locked(
        &self,
        cx: &mut std::task::Context<'_>,
        slot: &mut SlotId,
        interest: PollEvents,
        socket: &Socket<K>,
        tries: u32,
    ) -> Poll<Result<()>> {
        if tries > RETRIES_PER_POLL {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let after_failed_call = self.may_park_on_edge();
        match self
            .io
            .poll_wait(cx, slot, interest, after_failed_call, || {
                self.events_of(socket)
            }) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(_)) => Poll::Ready(Ok(())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
        }
    }

    /// Waits until one of `interest` is possible; returns the events (all of `ZMQ_EVENTS`).
    pub(super) fn poll_events(
        &self,
        cx: &mut std::task::Context<'_>,
        slot: &mut SlotId,
        interest: PollEvents,
    ) -> Poll<Result<PollEvents>> {
        let r = ready!(self
            .io
            .poll_wait(cx, slot, interest, false, || self.wait_events()));
        self.io.waiters.release(slot);
        Poll::Ready(r)
    }
}

/// A locked [`AsyncSocket`], dereferencing to its [`Socket`]: made by
/// [`AsyncSocket::lock`]. When it is dropped, `ZMQ_EVENTS` is checked again and waiting tasks
/// are woken as needed, so a call made through it never hides a wake-up from them.
pub struct SocketGuard<'a, K: SocketKind> {
    guard: Option<BiasedGuard<'a, Socket<K>>>,
    io: &'a Readiness,
}

impl<K: SocketKind> Deref for SocketGuard<'_, K> {
    type Target = Socket<K>;
    fn deref(&self) -> &Socket<K> {
        self.guard.as_ref().expect("present until drop")
    }
}

impl<K: SocketKind> Drop for SocketGuard<'_, K> {
    fn drop(&mut self) {
        if let Some(guard) = self.guard.take() {
            self.io.after_op(|| guard.events());
        }
    }
}

impl<K: SocketKind> fmt::Debug for SocketGuard<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SocketGuard").field(&**self).finish()
    }
}
