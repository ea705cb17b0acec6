//! Async sockets on tokio (feature `tokio`, Unix): [`AsyncSocket`], its `futures`
//! [`Stream`](futures_core::Stream) and [`Sink`](futures_sink::Sink) of multipart messages, and
//! [`AsyncMonitor`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmq::Result<()> {
//! let ctx = zmq::Context::new();
//! let rep = ctx.async_socket(zmq::REP)?;              // or ctx.socket(zmq::REP)?.into_async()?
//! rep.bind("inproc://doc-asyncio")?;
//! let req = ctx.async_socket(zmq::REQ)?;
//! req.connect("inproc://doc-asyncio")?;
//!
//! req.send("Hello").await?;
//! assert_eq!(rep.recv_string().await?, "Hello");
//! rep.send("World").await?;
//! assert_eq!(req.recv().await?, "World");
//! let blocking: zmq::Socket<zmq::Req> = req.into_inner(); // and back
//! # drop(blocking);
//! # Ok(())
//! # }
//! ```
//!
//! An async socket stands on the blocking [`Socket`]: every send and receive is
//! the blocking core's own call with [`DONTWAIT`](crate::DONTWAIT), made while a lock on the
//! socket is held (never across an `.await`), and a task whose call would block waits for
//! libzmq's notification descriptor.
//!
//! The lock is biased to the thread that made the socket: that thread enters it with plain
//! stores, no atomic read-modify-write (an uncontended mutex costs about a third of a 1-byte
//! send). The first time another thread takes it, the bias is revoked for good
//! (`membarrier(2)` makes the two sides agree), and from then on it is an ordinary mutex. So a
//! socket on a current-thread runtime, or used by a task that stays on its worker thread, pays
//! nothing for being shareable; one shared by tasks on several threads pays a mutex, as before.
//!
//! # Readiness: `ZMQ_FD` and `ZMQ_EVENTS`
//!
//! libzmq gives one descriptor per socket, `ZMQ_FD`, registered here with tokio's reactor
//! (`tokio::io::unix::AsyncFd`) for read readiness, the only kind libzmq signals. It is
//! **edge-triggered** and means only "`ZMQ_EVENTS` may have changed": it becomes readable when
//! commands reach the socket's mailbox, and any libzmq call on the socket (a send, a receive, a
//! `ZMQ_EVENTS` read) may process those commands and so consume the edge. Two consequences:
//! a readable descriptor does not mean a message can be received or sent (only `ZMQ_EVENTS` says
//! that), and a call made for one task can make the socket ready for another task without any
//! edge left to wake it (a receive that processes the command making room for a send; a REP
//! socket that may send once it has received). Bindings that miss this hang (pyzmq#1065,
//! tokio-zmq#14, tmq#20). The algorithm here:
//!
//! 1. **Try first.** An operation first tries its non-blocking call. If it does not report
//!    `EAGAIN`, the result is returned from that same poll.
//! 2. **After every operation**, success or error, while the socket is still locked: if any
//!    task waits, `ZMQ_EVENTS` is read and the tasks waiting for a direction it shows ready
//!    (`POLLIN`, `POLLOUT`) are woken. (When nobody waits there is nobody to wake: the next
//!    task that has to wait reads `ZMQ_EVENTS` itself before sleeping, step 3.)
//! 3. **Waiting.** A task whose call would block registers its waker for its direction in the
//!    socket's list of waiting tasks. It then asks tokio whether the descriptor has had an edge
//!    since readiness was last cleared (which also registers for the next edge), and reads
//!    `ZMQ_EVENTS`. If there was an edge, the read has handled it (it was made after the edge,
//!    and processed every command): only now is tokio's readiness cleared. If the read shows
//!    the task's direction ready, it retries at once (step 1), its waker first taken back out
//!    of the list (a running task needs no wake-up, and step 2 after its own retry would
//!    otherwise wake it, costing the runtime another poll). If not, and there was no edge,
//!    it sleeps: any later change comes with a new edge. If there was an edge, the task asks
//!    again. Readiness is thus cleared only after a `ZMQ_EVENTS` read made after the edge; an
//!    edge that comes after that read is kept by tokio (clearing clears only the edge it was
//!    asked about). One read per wait in the common case, and none when the task waits alone and there was no edge: a
//!    task whose call has just found the socket not ready registers itself and asks tokio
//!    before it unlocks the socket, and when tokio holds no edge and no other task waits, it
//!    sleeps at once. That is safe because the state changes only when a command is
//!    processed, and libzmq signals the descriptor for the first command after it last
//!    processed them all (it always processes all of them, and only that consumes the
//!    signal): a command still to be processed has a signal behind it, which tokio either has
//!    not reported yet (it will, to this task) or has reported and still holds (readiness is
//!    cleared only after a later `ZMQ_EVENTS` read, which processes every command). With
//!    another task waiting, the read is made anyway, for it (step 4): the failed call may
//!    itself have processed a command making the other direction ready.
//! 4. **Every `ZMQ_EVENTS` read wakes the others.** Whoever reads `ZMQ_EVENTS` (step 2, step 3,
//!    [`AsyncSocket::poll`], [`AsyncSocket::events`], dropping a [`SocketGuard`]) wakes the
//!    waiting tasks whose direction the read shows ready, since the read may have consumed the
//!    edge they were waiting for.
//! 5. **One waker for tokio, many tasks.** tokio holds one read waker per descriptor, while a
//!    reader, a writer and pollers may wait on the same socket. The waker given to tokio is the
//!    socket's list of waiting tasks itself: an edge wakes every task in it, each of which
//!    goes through step 1 again.
//!
//! So a state change always reaches a waiting task: either it comes with a command, hence a new
//! edge after the last `ZMQ_EVENTS` read, which tokio keeps and step 5 delivers; or it comes from
//! a call on the socket, after which step 2 looks. An idle socket costs nothing: a waiting task
//! sleeps in tokio's reactor until an edge comes, and each round of step 3 needs a new edge.
//!
//! # Cancel safety and whole messages
//!
//! Every libzmq call happens inside a poll, and an operation's result is returned by the poll
//! that made the call. A receive future dropped before completing has received nothing. A send
//! future holds its data until the poll that sends it (owned buffers as a
//! [`Message`](crate::Message), not copied; borrowed bytes as the borrow, copied by `zmq_send`
//! only when libzmq takes them); a multipart message is sent in one non-blocking pass (libzmq takes
//! the rest of a message once it has taken its first frame), so a dropped future sent all of it
//! or none. Errors give the unsent message back, as [`SendError`](crate::SendError) does for the
//! blocking calls.
//!
//! # Shutdown
//!
//! [`Context::term`](crate::Context::term) and [`Context::shutdown`](crate::Context::shutdown)
//! send each socket a stop command, which is an edge of its descriptor: every pending future
//! wakes and fails with [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated).
//! (`term` blocks until the sockets are dropped: call it from `spawn_blocking` or a thread.)
//! Dropping a task with pending futures, or the socket they borrow with it, neither blocks nor
//! panics: nothing waits inside libzmq, and the descriptor leaves tokio's reactor before the
//! socket is closed.
//!
//! # Kinds
//!
//! Every kind has an async socket ([`AsyncKind`]). The thread-safe draft kinds (SERVER, CLIENT,
//! RADIO, DISH, GATHER, SCATTER, PEER, CHANNEL; feature `draft`) have no `ZMQ_FD`: each async
//! socket of theirs gets a private `zmq_poller` holding just that socket, and the poller's
//! descriptor (`zmq_poller_fd`), which libzmq signals as it signals `ZMQ_FD`, is what tokio
//! watches; the state is read with `zmq_poller_wait_all` and a zero timeout instead of
//! `ZMQ_EVENTS`. The algorithm above and the cancel-safety rules below are the same. Their
//! messages are single-part (no `send_multipart`, `Stream` or `Sink`); SERVER and PEER send
//! with [`send_to`](AsyncSocket::send_to) and [`reply`](AsyncSocket::reply), RADIO with
//! [`send_to_group`](AsyncSocket::send_to_group), DISH has [`join`](AsyncSocket::join).

mod lock;
mod monitor;
#[cfg(feature = "draft")]
mod poller_fd;
mod readiness;
mod socket;
mod stream;

pub use monitor::AsyncMonitor;
pub use socket::{AsyncSocket, SocketGuard};
pub use stream::{RecvStream, SendSink};

use crate::error::Error;
use crate::socket::{Socket, SocketKind, SocketType};
use crate::Context;
use std::fmt;

mod private {
    pub trait Sealed {}
}

/// Socket kinds that have an async socket: every kind. The classic kinds (and the draft DGRAM)
/// are watched through their `ZMQ_FD`; the thread-safe draft kinds, which have none, through a
/// private `zmq_poller`'s descriptor (`zmq_poller_fd`); a [`SocketType`] is looked at when the
/// socket is made async.
pub trait AsyncKind: SocketKind + private::Sealed {
    #[doc(hidden)]
    const MAYBE_THREAD_SAFE: bool;
}

macro_rules! async_kinds {
    ($thread_safe:literal: $( $(#[$cfg:meta])* $ty:ident ),* $(,)?) => {$(
        $(#[$cfg])*
        impl private::Sealed for crate::socket::$ty {}
        $(#[$cfg])*
        impl AsyncKind for crate::socket::$ty {
            const MAYBE_THREAD_SAFE: bool = $thread_safe;
        }
    )*};
}

async_kinds! {
    false: Pair, Pub, Sub, Req, Rep, Dealer, Router, Pull, Push, XPub, XSub, Stream,
    #[cfg(feature = "draft")] Dgram,
}
async_kinds! {
    true:
    #[cfg(feature = "draft")] Server,
    #[cfg(feature = "draft")] Client,
    #[cfg(feature = "draft")] Radio,
    #[cfg(feature = "draft")] Dish,
    #[cfg(feature = "draft")] Gather,
    #[cfg(feature = "draft")] Scatter,
    #[cfg(feature = "draft")] Peer,
    #[cfg(feature = "draft")] Channel,
}

impl private::Sealed for SocketType {}
impl AsyncKind for SocketType {
    const MAYBE_THREAD_SAFE: bool = true;
}

/// Why a socket could not be made async, with the socket, which is not lost: made by
/// [`Socket::into_async`] and [`AsyncSocket::new`]. `?` turns it into an [`Error`].
pub struct IntoAsyncError<K: SocketKind> {
    error: Error,
    socket: Socket<K>,
}

impl<K: SocketKind> IntoAsyncError<K> {
    fn new(error: Error, socket: Socket<K>) -> Self {
        IntoAsyncError { error, socket }
    }
    /// Why it failed.
    pub fn error(&self) -> &Error {
        &self.error
    }
    /// The socket, still blocking.
    pub fn into_socket(self) -> Socket<K> {
        self.socket
    }
    /// The error and the socket.
    pub fn into_parts(self) -> (Error, Socket<K>) {
        (self.error, self.socket)
    }
}

impl<K: SocketKind> fmt::Debug for IntoAsyncError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoAsyncError")
            .field("error", &self.error)
            .field("socket", &self.socket)
            .finish()
    }
}

impl<K: SocketKind> fmt::Display for IntoAsyncError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot make the socket async: {}", self.error)
    }
}

impl<K: SocketKind> std::error::Error for IntoAsyncError<K> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<K: SocketKind> From<IntoAsyncError<K>> for Error {
    fn from(e: IntoAsyncError<K>) -> Error {
        e.error
    }
}

impl<K: AsyncKind> Socket<K> {
    /// Makes the socket async (feature `tokio`): see [`AsyncSocket`].
    /// [`AsyncSocket::into_inner`] gives it back. Must be called inside a tokio runtime with I/O
    /// enabled; on error the socket comes back in the [`IntoAsyncError`].
    ///
    /// # Panics
    /// If the current runtime was built without I/O (tokio's own panic).
    #[doc(alias = "ZMQ_FD")]
    pub fn into_async(self) -> Result<AsyncSocket<K>, IntoAsyncError<K>> {
        AsyncSocket::new(self)
    }
}

impl Context {
    /// Creates an async socket (feature `tokio`): `ctx.socket(kind)?.into_async()?` in one call.
    /// Must be called inside a tokio runtime with I/O enabled.
    ///
    /// # Panics
    /// If the current runtime was built without I/O (tokio's own panic).
    #[doc(alias = "zmq_socket")]
    pub fn async_socket<K: AsyncKind>(&self, kind: K) -> crate::Result<AsyncSocket<K>> {
        Ok(self.socket(kind)?.into_async()?)
    }
}
