//! Safe, fast bindings to libzmq (ZeroMQ).
//!
//! ```
//! let ctx = zmq::Context::new();
//! let publisher = ctx.socket(zmq::PUB)?;
//! publisher.bind("inproc://weather")?;
//! let subscriber = ctx.socket(zmq::SUB)?;
//! subscriber.connect("inproc://weather")?;
//! subscriber.subscribe("10001 ")?;
//! # std::thread::sleep(std::time::Duration::from_millis(50));
//! publisher.send("10001 21")?;
//! assert_eq!(subscriber.recv_string()?, "10001 21");
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! - [`Context`]: cheap to clone, shared between threads; sockets keep it alive.
//! - [`Socket`]: `Socket<Pub>`, `Socket<Req>`...: methods that do not fit the kind do not compile;
//!   `Socket<SocketType>` chooses the kind at run time.
//! - [`Message`]: one frame, zero-copy from owned buffers.
//! - [`Error`] with [`ErrorKind`]: libzmq's errno and text, and the endpoint in bind/connect errors.
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
//! # Async (feature `tokio`)
//!
//! `ctx.async_socket(zmq::PULL)?` or `socket.into_async()?` gives an `AsyncSocket`, and
//! `into_inner()` the blocking socket back: `send(data).await`, `recv().await`,
//! `recv_multipart().await`, a `futures` `Stream` and `Sink` of multipart messages, cancel-safe
//! futures, one socket shared by a reader and a writer task. See the `asyncio` module.
//!
//! ```ignore
//! let ctx = zmq::Context::new();
//! let pull = ctx.async_socket(zmq::PULL)?;
//! pull.bind("tcp://127.0.0.1:5557")?;
//! let work = pull.recv_string().await?;
//! ```
#![deny(missing_docs)]
#![warn(unsafe_op_in_unsafe_fn)]

pub use zmq_sys as ffi;

#[cfg(all(feature = "tokio", unix))]
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
pub use monitor::{protocol_error_name, Monitor, MonitorEvent, MonitorEvents};
pub use poll::{poll, PollEvents, PollItem, PollResult, Poller, RawFd, ReadyIter};
#[cfg(feature = "draft")]
pub use poll::{DraftPoller, PollerAddError, PollerEvent};
pub use proxy::{proxy, Proxy, ProxyControl, ProxySpawnError, ProxyStatistics, ProxyThread};
pub use security::*;
pub use socket::*;
pub use timers::{TimerId, Timers};

pub(crate) use z85::alphabet_contains as z85_alphabet_contains;
