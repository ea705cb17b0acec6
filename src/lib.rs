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
#![deny(missing_docs)]
#![warn(unsafe_op_in_unsafe_fn)]

pub use zmq_sys as ffi;

mod atomic;
mod capability;
mod context;
mod error;
mod flags;
mod message;
mod monitor;
mod poll;
mod proxy;
mod security;
mod socket;
mod timers;
pub mod z85;

pub use atomic::AtomicCounter;
pub use capability::{has, version};
pub use context::{Context, DEFAULT_LINGER};
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
