//! Socket monitoring: [`Socket::monitor`] gives a [`Monitor`] whose events arrive typed, as
//! [`MonitorEvent`]s, with the endpoint and the value (fd, errno, interval, handshake error code)
//! of each (`zmq_socket_monitor`, event format v1).
//!
//! ```
//! use std::time::Duration;
//! use zmq::{MonitorEvent, MonitorEvents};
//!
//! let ctx = zmq::Context::new();
//! let rep = ctx.socket(zmq::REP)?;
//! let monitor = rep.monitor(MonitorEvents::LISTENING | MonitorEvents::MONITOR_STOPPED)?;
//! rep.bind("tcp://127.0.0.1:*")?;
//! match monitor.next_event(Duration::from_secs(5))? {
//!     Some(MonitorEvent::Listening { endpoint, .. }) => assert_eq!(endpoint, rep.last_endpoint()?),
//!     other => panic!("{other:?}"),
//! }
//! rep.disable_monitor()?;
//! assert!(matches!(
//!     monitor.next_event(Duration::from_secs(5))?,
//!     Some(MonitorEvent::MonitorStopped { .. })
//! ));
//! # Ok::<(), zmq::Error>(())
//! ```

use crate::error::{cvt, Error, Result};
use crate::ffi;
use crate::socket::{Pair, Socket, SocketKind};
use crate::Message;
use std::cell::Cell;
use std::ffi::{c_int, CString};
use std::fmt;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An event's value as its Rust type: libzmq sends every value as a `u32` (file descriptors
/// and errno values as signed ints, intervals in milliseconds).
trait EventValue: Sized {
    fn from_value(value: u32) -> Self;
    fn to_value(&self) -> u32;
}
impl EventValue for i32 {
    fn from_value(value: u32) -> i32 {
        value as i32
    }
    fn to_value(&self) -> u32 {
        *self as u32
    }
}
impl EventValue for u32 {
    fn from_value(value: u32) -> u32 {
        value
    }
    fn to_value(&self) -> u32 {
        *self
    }
}
impl EventValue for Duration {
    fn from_value(value: u32) -> Duration {
        Duration::from_millis(u64::from(value))
    }
    fn to_value(&self) -> u32 {
        u32::try_from(self.as_millis()).unwrap_or(u32::MAX)
    }
}

/// The raw `u32` of an event's value field, 0 for events without one.
macro_rules! raw_value {
    () => {
        0
    };
    ($field:ident) => {
        EventValue::to_value($field)
    };
}

/// How [`MonitorEvent`]'s `Display` shows a value, by the field's name.
macro_rules! show_value {
    ($f:ident, fd, $v:ident) => {
        write!($f, " (fd {})", $v)
    };
    ($f:ident, errno, $v:ident) => {
        if *$v != 0 {
            write!($f, " ({})", crate::strerror(*$v))
        } else {
            Ok(())
        }
    };
    ($f:ident, interval, $v:ident) => {
        write!($f, " (in {:?})", $v)
    };
    ($f:ident, code, $v:ident) => {
        write!($f, " ({})", protocol_error_name(*$v))
    };
    ($f:ident, status_code, $v:ident) => {
        write!($f, " (ZAP status {})", $v)
    };
}

/// The one table of monitor events: each row gives the [`MonitorEvent`] variant, libzmq's
/// event number, the [`MonitorEvents`] bit's name, what the event means, and its value's field.
/// Parsing, the raw form, the name and `Display` all come from here: adding an event is one row.
macro_rules! monitor_events {
    ($(
        $variant:ident = $raw:ident, $konst:ident, $doc:literal
            { $($field:ident: $fty:ty, $fdoc:literal)? };
    )*) => {
        crate::flags::bit_flags! {
            /// Which events a monitor reports (`ZMQ_EVENT_*` bits), combined with `|`.
            pub struct MonitorEvents(u32);
            $(
                #[doc = concat!("`", stringify!($raw), "`: ", $doc, ".")]
                const $konst = ffi::$raw;
            )*
            /// Every handshake failure (no detail, protocol, auth).
            const HANDSHAKE_FAILED = ffi::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                | ffi::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                | ffi::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
            /// `ZMQ_EVENT_ALL`: every v1 event.
            const ALL = ffi::ZMQ_EVENT_ALL;
            /// `ZMQ_EVENT_PIPES_STATS` (draft, [v2 monitors](Socket::monitor_versioned) only):
            /// the queue sizes of each pipe, after [`Socket::monitor_pipes_stats`].
            #[cfg(feature = "draft")]
            const PIPES_STATS = ffi::ZMQ_EVENT_PIPES_STATS;
            /// `ZMQ_EVENT_ALL_V2` (draft): every v1 event and `PIPES_STATS`.
            #[cfg(feature = "draft")]
            const ALL_V2 = ffi::ZMQ_EVENT_ALL_V2;
        }

        /// One event reported by a [`Monitor`], with the endpoint it is about and its value.
        ///
        /// Values are kept as libzmq gives them: file descriptors, errno values (see
        /// [`strerror`](crate::strerror)), the reconnect interval, ZAP status codes (e.g. 400),
        /// and `ZMQ_PROTOCOL_ERROR_*` codes (see [`protocol_error_name`]).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum MonitorEvent {
            $(
            #[doc = concat!("`", stringify!($raw), "`: ", $doc, ".")]
            $variant {
                /// The endpoint.
                endpoint: String,
                $( #[doc = $fdoc] $field: $fty, )?
            },
            )*
            /// `ZMQ_EVENT_PIPES_STATS` (draft, [v2 monitors](Socket::monitor_versioned) only):
            /// the number of messages queued in one pipe of the socket, one event per pipe
            /// after [`Socket::monitor_pipes_stats`]. It has no v1 form: [`raw`](Self::raw)
            /// gives `(0, 0)` for it; [`MonitorEventV2`] has the raw number and values.
            PipesStats {
                /// The endpoint (the remote one of the pipe's connection, if any).
                endpoint: String,
                /// Messages waiting to be sent to the peer.
                outbound: u64,
                /// Messages received from the peer and not yet read.
                inbound: u64,
            },
            /// An event this crate does not know.
            Unknown {
                /// The endpoint.
                endpoint: String,
                /// The raw event number.
                event: u16,
                /// The raw value.
                value: u32,
            },
        }

        impl MonitorEvent {
            /// The event for a raw event number, value and endpoint.
            pub fn from_parts(event: u16, value: u32, endpoint: String) -> MonitorEvent {
                let _ = value;
                match i32::from(event) {
                    $(
                    ffi::$raw => MonitorEvent::$variant {
                        endpoint,
                        $( $field: <$fty as EventValue>::from_value(value), )?
                    },
                    )*
                    _ => MonitorEvent::Unknown { endpoint, event, value },
                }
            }

            /// The endpoint the event is about.
            pub fn endpoint(&self) -> &str {
                match self {
                    $( MonitorEvent::$variant { endpoint, .. } => endpoint, )*
                    MonitorEvent::PipesStats { endpoint, .. } => endpoint,
                    MonitorEvent::Unknown { endpoint, .. } => endpoint,
                }
            }

            /// The raw event number and value, as libzmq sent them.
            pub fn raw(&self) -> (u16, u32) {
                match self {
                    $(
                    MonitorEvent::$variant { $($field,)? .. } => {
                        (ffi::$raw as u16, raw_value!($($field)?))
                    }
                    )*
                    MonitorEvent::PipesStats { .. } => (0, 0),
                    MonitorEvent::Unknown { event, value, .. } => (*event, *value),
                }
            }

            /// libzmq's name of the event (`"CONNECTED"`, `"HANDSHAKE_FAILED_AUTH"`...).
            pub fn name(&self) -> &'static str {
                match self {
                    $( MonitorEvent::$variant { .. } => stringify!($konst), )*
                    MonitorEvent::PipesStats { .. } => "PIPES_STATS",
                    MonitorEvent::Unknown { .. } => "UNKNOWN",
                }
            }
        }

        impl fmt::Display for MonitorEvent {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.name(), self.endpoint())?;
                match self {
                    $(
                    MonitorEvent::$variant { $($field,)? .. } => {
                        $( show_value!(f, $field, $field)?; )?
                        Ok(())
                    }
                    )*
                    MonitorEvent::PipesStats { outbound, inbound, .. } => {
                        write!(f, " ({outbound} queued out, {inbound} queued in)")
                    }
                    MonitorEvent::Unknown { event, value, .. } => {
                        write!(f, " (event {event:#x}, value {value})")
                    }
                }
            }
        }
    };
}

monitor_events! {
    Connected = ZMQ_EVENT_CONNECTED, CONNECTED, "a connection was made"
        { fd: i32, "The new connection's file descriptor." };
    ConnectDelayed = ZMQ_EVENT_CONNECT_DELAYED, CONNECT_DELAYED, "a connect is in progress"
        { errno: i32, "The errno of the pending connect (usually `EINPROGRESS`)." };
    ConnectRetried = ZMQ_EVENT_CONNECT_RETRIED, CONNECT_RETRIED, "a reconnect was scheduled"
        { interval: Duration, "Time until the next attempt." };
    Listening = ZMQ_EVENT_LISTENING, LISTENING, "a bind succeeded"
        { fd: i32, "The listening socket's file descriptor." };
    BindFailed = ZMQ_EVENT_BIND_FAILED, BIND_FAILED, "a bind failed"
        { errno: i32, "Why." };
    Accepted = ZMQ_EVENT_ACCEPTED, ACCEPTED, "a connection was accepted"
        { fd: i32, "The accepted connection's file descriptor." };
    AcceptFailed = ZMQ_EVENT_ACCEPT_FAILED, ACCEPT_FAILED, "an accept failed"
        { errno: i32, "Why." };
    Closed = ZMQ_EVENT_CLOSED, CLOSED, "a connection's socket was closed"
        { fd: i32, "The closed file descriptor." };
    CloseFailed = ZMQ_EVENT_CLOSE_FAILED, CLOSE_FAILED, "a close failed"
        { errno: i32, "Why." };
    Disconnected = ZMQ_EVENT_DISCONNECTED, DISCONNECTED, "a session broke off"
        { fd: i32, "The file descriptor of the broken connection." };
    MonitorStopped = ZMQ_EVENT_MONITOR_STOPPED, MONITOR_STOPPED,
        "monitoring ended; no event follows (the endpoint is empty)" {};
    HandshakeFailedNoDetail = ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, HANDSHAKE_FAILED_NO_DETAIL,
        "the handshake failed without detail, e.g. the peer went away during it"
        { errno: i32, "The errno, if libzmq gave one (0 otherwise)." };
    HandshakeSucceeded = ZMQ_EVENT_HANDSHAKE_SUCCEEDED, HANDSHAKE_SUCCEEDED,
        "the handshake (and its authentication) succeeded" {};
    HandshakeFailedProtocol = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_PROTOCOL,
        "the peer broke the protocol (or the keys do not match)"
        { code: u32, "A `ZMQ_PROTOCOL_ERROR_*` code." };
    HandshakeFailedAuth = ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, HANDSHAKE_FAILED_AUTH,
        "the ZAP handler refused the peer"
        { status_code: u32, "The ZAP status code (300, 400 or 500)." };
}

impl Default for MonitorEvents {
    fn default() -> MonitorEvents {
        MonitorEvents::ALL
    }
}

impl MonitorEvent {
    /// Decodes a v1 monitor message: two frames, the first 6 bytes (a native-endian `u16` event
    /// and `u32` value), the second the endpoint. Anything else is
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) (pyzmq's `parse_monitor_message`).
    pub fn parse<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEvent> {
        if frames.len() != 2 {
            return Err(Error::Malformed(
                format!("monitor message: expected 2 frames, got {}", frames.len()).into(),
            ));
        }
        let head = frames[0].as_ref();
        if head.len() != 6 {
            return Err(Error::Malformed(
                format!(
                    "monitor message: the first frame is {} bytes, not 6",
                    head.len()
                )
                .into(),
            ));
        }
        let event = u16::from_ne_bytes([head[0], head[1]]);
        let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]);
        let endpoint = std::str::from_utf8(frames[1].as_ref())
            .map_err(|_| Error::Malformed("monitor message: the endpoint is not UTF-8".into()))?
            .to_owned();
        Ok(MonitorEvent::from_parts(event, value, endpoint))
    }

    /// Decodes a v2 monitor message (`zmq_socket_monitor_versioned`, draft): a native-endian
    /// `u64` event, a `u64` count of values, that many `u64` values, the local endpoint and the
    /// remote endpoint. Anything else is [`ErrorKind::Malformed`](crate::ErrorKind::Malformed).
    pub fn parse_v2<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEventV2> {
        fn word(frame: &[u8], what: &str) -> Result<u64> {
            <[u8; 8]>::try_from(frame)
                .map(u64::from_ne_bytes)
                .map_err(|_| {
                    Error::Malformed(
                        format!("v2 monitor message: {what} is {} bytes, not 8", frame.len())
                            .into(),
                    )
                })
        }
        fn text(frame: &[u8], what: &str) -> Result<String> {
            std::str::from_utf8(frame).map(str::to_owned).map_err(|_| {
                Error::Malformed(format!("v2 monitor message: the {what} is not UTF-8").into())
            })
        }
        if frames.len() < 4 {
            return Err(Error::Malformed(
                format!(
                    "v2 monitor message: expected at least 4 frames, got {}",
                    frames.len()
                )
                .into(),
            ));
        }
        let number = word(frames[0].as_ref(), "the event")?;
        let count = word(frames[1].as_ref(), "the value count")?;
        if count != (frames.len() - 4) as u64 {
            return Err(Error::Malformed(
                format!(
                    "v2 monitor message: {count} values announced, {} frames carry values",
                    frames.len() - 4
                )
                .into(),
            ));
        }
        let values = frames[2..frames.len() - 2]
            .iter()
            .map(|f| word(f.as_ref(), "a value"))
            .collect::<Result<Vec<u64>>>()?;
        let local = text(frames[frames.len() - 2].as_ref(), "local endpoint")?;
        let remote = text(frames[frames.len() - 1].as_ref(), "remote endpoint")?;
        let endpoint = if remote.is_empty() {
            local.clone()
        } else {
            remote.clone()
        };
        let event = match (u16::try_from(number), values.as_slice()) {
            (_, &[outbound, inbound]) if number == PIPES_STATS_EVENT => MonitorEvent::PipesStats {
                endpoint,
                outbound,
                inbound,
            },
            // Every v1 value (fd, errno, milliseconds, a code) fits in 32 bits.
            (Ok(n), &[value]) => MonitorEvent::from_parts(n, value as u32, endpoint),
            (Ok(n), &[]) => MonitorEvent::from_parts(n, 0, endpoint),
            (n, _) => MonitorEvent::Unknown {
                endpoint,
                event: n.unwrap_or(0),
                value: values.first().map_or(0, |&v| v as u32),
            },
        };
        Ok(MonitorEventV2 {
            event,
            number,
            values,
            local,
            remote,
        })
    }

    /// Whether this is one of the handshake failure events.
    pub fn is_handshake_failure(&self) -> bool {
        matches!(
            self,
            MonitorEvent::HandshakeFailedNoDetail { .. }
                | MonitorEvent::HandshakeFailedProtocol { .. }
                | MonitorEvent::HandshakeFailedAuth { .. }
        )
    }
}

/// `ZMQ_EVENT_PIPES_STATS`, a draft constant, known here so that parsing needs no feature.
const PIPES_STATS_EVENT: u64 = 0x10000;

/// One event of a [v2 monitor](Socket::monitor_versioned) (draft) with all that libzmq sent:
/// the typed [`MonitorEvent`], the raw 64-bit event number and values, and both endpoints of
/// the connection it is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MonitorEventV2 {
    /// The event, typed as v1 events are ([`MonitorEvent::PipesStats`] is v2 only). Its
    /// endpoint is the remote one when there is one, else the local one.
    pub event: MonitorEvent,
    /// The raw event number (`ZMQ_EVENT_*`, 64-bit in v2).
    pub number: u64,
    /// Every value, as the 64-bit numbers libzmq sent.
    pub values: Vec<u64>,
    /// The local endpoint (`""` when there is none, e.g. for a connect in progress).
    pub local: String,
    /// The remote endpoint (`""` when there is none, e.g. for `LISTENING`).
    pub remote: String,
}

/// libzmq's name for a `ZMQ_PROTOCOL_ERROR_*` code (the value of
/// [`MonitorEvent::HandshakeFailedProtocol`]), `"UNKNOWN"` for others.
pub fn protocol_error_name(code: u32) -> &'static str {
    match code as i32 {
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED => "ZMTP_UNSPECIFIED",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND => "ZMTP_UNEXPECTED_COMMAND",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE => "ZMTP_INVALID_SEQUENCE",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE => "ZMTP_KEY_EXCHANGE",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED => {
            "ZMTP_MALFORMED_COMMAND_UNSPECIFIED"
        }
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE => "ZMTP_MALFORMED_COMMAND_MESSAGE",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO => "ZMTP_MALFORMED_COMMAND_HELLO",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE => {
            "ZMTP_MALFORMED_COMMAND_INITIATE"
        }
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR => "ZMTP_MALFORMED_COMMAND_ERROR",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY => "ZMTP_MALFORMED_COMMAND_READY",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME => "ZMTP_MALFORMED_COMMAND_WELCOME",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA => "ZMTP_INVALID_METADATA",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC => "ZMTP_CRYPTOGRAPHIC",
        ffi::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH => "ZMTP_MECHANISM_MISMATCH",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED => "ZAP_UNSPECIFIED",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY => "ZAP_MALFORMED_REPLY",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID => "ZAP_BAD_REQUEST_ID",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION => "ZAP_BAD_VERSION",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE => "ZAP_INVALID_STATUS_CODE",
        ffi::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA => "ZAP_INVALID_METADATA",
        ffi::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED => "WS_UNSPECIFIED",
        _ => "UNKNOWN",
    }
}

/// The receiving end of a socket monitor: a PAIR socket connected to the inproc endpoint libzmq
/// publishes the monitored socket's events on. Made by [`Socket::monitor`].
///
/// The monitor does not borrow the monitored socket: it keeps working until the socket is closed
/// or [`Socket::disable_monitor`] is called, and then reports
/// [`MonitorEvent::MonitorStopped`]. Like any socket, its PAIR socket keeps the context alive.
///
/// # A monitor never stalls its context
///
/// libzmq sends events from its I/O threads with a *blocking* send on its own PAIR socket
/// (libzmq#3575): a full pipe, or a monitor closed while events still come, would block an I/O
/// thread and with it every socket of the context, and its termination. So:
/// - the pipe from libzmq to the monitor has no high-water mark: a monitor that is never read
///   costs memory (one small message per event) but never blocks libzmq. Read it, or drop it;
/// - dropping the monitor while its socket is alive stops the monitoring first
///   (`zmq_socket_monitor(socket, NULL, 0)`, from the dropping thread: libzmq guards its monitor
///   state with a lock of its own);
/// - dropping it after its socket was closed, before `MONITOR_STOPPED` was read, hands the PAIR
///   socket to a short-lived background thread that reads and discards events until
///   `MONITOR_STOPPED` (or the context's end) arrives, then closes it.
///
/// # Signals
///
/// [`recv`](Monitor::recv) returns [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted) when
/// a signal interrupts it, like [`Socket::recv`]; [`iter`](Monitor::iter) yields that error and
/// goes on; the timed waits ([`next_event`](Monitor::next_event), [`wait_for`](Monitor::wait_for))
/// retry until their deadline.
pub struct Monitor {
    /// Taken out only in `drop`.
    socket: ManuallyDrop<Socket<Pair>>,
    endpoint: String,
    link: Arc<MonitorLink>,
    /// This monitor's number among those of its socket (never 0).
    id: u64,
    /// Whether `MONITOR_STOPPED` was received: nothing more comes, the PAIR may close.
    stopped: Cell<bool>,
    /// The event format: 1 (`zmq_socket_monitor`) or 2 (`zmq_socket_monitor_versioned`).
    version: u8,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Monitor {
    /// The inproc endpoint the events are published on.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The event format: 1 ([`Socket::monitor`]) or 2 ([`Socket::monitor_versioned`]).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Waits at most `timeout` for the next event, with everything a v2 monitor reports
    /// (draft): both endpoints and the 64-bit values. On a v1 monitor the local and remote
    /// endpoints are empty and the one value is the v1 value. `Ok(None)` when none came.
    #[cfg(feature = "draft")]
    pub fn next_event_v2(&self, timeout: Duration) -> Result<Option<MonitorEventV2>> {
        let deadline = Instant::now().checked_add(timeout);
        loop {
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match self.wait_full(left) {
                Ok(Some(event)) => return Ok(Some(event)),
                Ok(None) if left.is_some_and(|l| l.is_zero()) => return Ok(None),
                Ok(None) => {}
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(None);
            }
        }
    }

    /// The PAIR socket the events arrive on, for polling it with other sockets.
    pub fn socket(&self) -> &Socket<Pair> {
        &self.socket
    }

    /// Waits for the next event, without a time limit. A signal makes it return
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted).
    pub fn recv(&self) -> Result<MonitorEvent> {
        loop {
            if let Some(event) = self.wait(None)? {
                return Ok(event);
            }
        }
    }

    /// The next event if one is waiting, `Ok(None)` otherwise.
    pub fn try_recv(&self) -> Result<Option<MonitorEvent>> {
        self.next_event(Duration::ZERO)
    }

    /// Waits at most `timeout` for the next event; `Ok(None)` when none came.
    pub fn next_event(&self, timeout: Duration) -> Result<Option<MonitorEvent>> {
        self.wait_for(timeout, |_| true)
    }

    /// Waits at most `timeout` for an event that `wanted` accepts, dropping the others;
    /// `Ok(None)` when none came in time. A timeout too large for the clock waits forever.
    pub fn wait_for(
        &self,
        timeout: Duration,
        mut wanted: impl FnMut(&MonitorEvent) -> bool,
    ) -> Result<Option<MonitorEvent>> {
        let deadline = Instant::now().checked_add(timeout);
        loop {
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match self.wait(left) {
                Ok(Some(event)) if wanted(&event) => return Ok(Some(event)),
                Ok(Some(_)) => {}
                Ok(None) if left.is_some_and(|l| l.is_zero()) => return Ok(None),
                Ok(None) => {}
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                // One last look without waiting, then give up.
                return match self.wait(Some(Duration::ZERO)) {
                    Ok(Some(event)) if wanted(&event) => Ok(Some(event)),
                    Ok(_) => Ok(None),
                    Err(e) if e.kind() == crate::ErrorKind::Interrupted => Ok(None),
                    Err(e) => Err(e),
                };
            }
        }
    }

    /// An iterator that waits for each event, stopping after [`MonitorEvent::MonitorStopped`]
    /// or at the first error other than [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted)
    /// (which it yields, then goes on).
    pub fn iter(&self) -> impl Iterator<Item = Result<MonitorEvent>> + '_ {
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let event = self.recv();
            done = match &event {
                Ok(MonitorEvent::MonitorStopped { .. }) => true,
                Ok(_) => false,
                Err(e) => e.kind() != crate::ErrorKind::Interrupted,
            };
            Some(event)
        })
    }

    fn wait(&self, timeout: Option<Duration>) -> Result<Option<MonitorEvent>> {
        Ok(self.wait_full(timeout)?.map(|e| e.event))
    }

    fn wait_full(&self, timeout: Option<Duration>) -> Result<Option<MonitorEventV2>> {
        let event = read_event(&self.socket, timeout, self.version)?;
        if matches!(
            event,
            Some(MonitorEventV2 {
                event: MonitorEvent::MonitorStopped { .. },
                ..
            })
        ) {
            self.stopped.set(true);
        }
        Ok(event)
    }
}

/// Waits for the next event on a monitor's PAIR socket, at most `timeout` (`None`: forever),
/// and decodes it in the monitor's format `version`.
fn read_event(
    socket: &Socket<Pair>,
    timeout: Option<Duration>,
    version: u8,
) -> Result<Option<MonitorEventV2>> {
    if !poll_in(socket, timeout)? {
        return Ok(None);
    }
    let frames: Vec<Message> = match socket.recv_multipart_with(crate::DONTWAIT) {
        Ok(frames) => frames,
        Err(e) if e.is_again() => return Ok(None),
        Err(e) => return Err(e),
    };
    let slices: Vec<&[u8]> = frames.iter().map(|m| &m[..]).collect();
    if version == 2 {
        return MonitorEvent::parse_v2(&slices).map(Some);
    }
    let event = MonitorEvent::parse(&slices)?;
    let (number, value) = event.raw();
    Ok(Some(MonitorEventV2 {
        event,
        number: u64::from(number),
        values: vec![u64::from(value)],
        local: String::new(),
        remote: String::new(),
    }))
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // SAFETY: taken exactly once, here; `self.socket` is not used after this.
        let socket = unsafe { ManuallyDrop::take(&mut self.socket) };
        // A forked child must not touch the parent's sockets (dropping the PAIR does nothing
        // there either).
        if std::process::id() != socket.context().creator_pid() || self.stopped.get() {
            return;
        }
        if self.link.stop_if_active(self.id) {
            // No event can come any more, or MONITOR_STOPPED is already queued: close now.
            return;
        }
        // The monitored socket is gone but libzmq may still send its last events (the reaper
        // thread sends CLOSED... and MONITOR_STOPPED after `zmq_close`): keep reading until
        // MONITOR_STOPPED, in the background, so this drop does not wait.
        let version = self.version;
        let (tx, rx) = std::sync::mpsc::channel::<Socket<Pair>>();
        let spawned = std::thread::Builder::new()
            .name("zmq-monitor-drain".into())
            .spawn(move || {
                if let Ok(socket) = rx.recv() {
                    drain_until_stopped(&socket, version);
                }
            });
        match spawned {
            Ok(_) => {
                // The thread is running and waits for the socket: the send cannot fail.
                let _ = tx.send(socket);
            }
            // No thread to be had: drain here. This waits for the socket's last events only,
            // and ends with the context at the latest.
            Err(_) => drain_until_stopped(&socket, version),
        }
    }
}

/// Reads and discards events until `MONITOR_STOPPED` or an error other than EINTR (ETERM when
/// the context ends).
///
/// The context's end may be this wait's own to bring about. libzmq sends `MONITOR_STOPPED` only
/// once the closed socket is destroyed, and a socket with a connect to an inproc name nobody
/// bound is destroyed only when the context is terminated; but the PAIR socket read here keeps
/// the context alive, so once the application has dropped every handle, nobody would ever
/// terminate it (found by the `ops` fuzzer: three threads and the context left behind for
/// good). So the wait looks every [`DRAIN_CHECK`] whether only the crate's own background holds
/// are left, and then shuts the context down, as the last drop would have: the read fails with
/// ETERM, the PAIR closes, and the context is terminated with it.
fn drain_until_stopped(socket: &Socket<Pair>, version: u8) {
    let ctx = socket.context();
    let _hold = ctx.background_hold();
    loop {
        match read_event(socket, Some(DRAIN_CHECK), version) {
            Ok(Some(MonitorEventV2 {
                event: MonitorEvent::MonitorStopped { .. },
                ..
            })) => return,
            Ok(Some(_)) => {}
            Ok(None) => {
                if ctx.only_background_left() {
                    // Nothing to report to: the next read fails with ETERM and ends the wait.
                    let _ = ctx.shutdown();
                }
            }
            Err(e) if e.kind() == crate::ErrorKind::Interrupted => {}
            // A malformed message is skipped like any event; anything else ends the wait.
            Err(e) if e.kind() == crate::ErrorKind::Malformed => {}
            Err(_) => return,
        }
    }
}

/// How often a dropped monitor's drain checks whether the application still holds its context.
const DRAIN_CHECK: Duration = Duration::from_millis(50);

/// What a socket and its [`Monitor`]s share: the socket's pointer while it is open, and which
/// monitor libzmq currently reports to. Every `zmq_socket_monitor` call of this crate is made
/// under its lock, so a monitor dropped on another thread can stop the monitoring without racing
/// the socket's close.
pub(crate) struct MonitorLink {
    state: Mutex<LinkState>,
}

struct LinkState {
    /// The monitored socket, null once it is closed or given away with `into_raw`.
    socket: *mut std::ffi::c_void,
    /// The id of the [`Monitor`] libzmq reports to now (0: none of ours).
    active: u64,
    /// The last id handed out.
    last_id: u64,
}

// SAFETY: the pointer is only passed to zmq_socket_monitor, under the mutex, and cleared (under
// the mutex) before the socket is closed. zmq_socket_monitor may be called while the socket's
// owner uses it on another thread: it touches only the socket's monitor state, which libzmq
// guards with its own `_monitor_sync` mutex (socket_base.cpp), as its I/O threads report events
// concurrently too.
unsafe impl Send for MonitorLink {}
// SAFETY: as above; all access to the state goes through the mutex.
unsafe impl Sync for MonitorLink {}

impl MonitorLink {
    pub(crate) fn new(socket: *mut std::ffi::c_void) -> MonitorLink {
        MonitorLink {
            state: Mutex::new(LinkState {
                socket,
                active: 0,
                last_id: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LinkState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The socket is being closed or given away: monitors must not call into it any more.
    pub(crate) fn detach(&self) {
        self.lock().socket = std::ptr::null_mut();
    }

    /// Calls `zmq_socket_monitor` under the lock. On success, the monitor with id `new_active`
    /// (0: none of ours) is the one libzmq reports to. On failure nothing changes here: if
    /// libzmq stopped the previous monitor anyway, stopping it again later is harmless.
    fn call(
        &self,
        endpoint: Option<&CString>,
        events: MonitorEvents,
        new_active: u64,
        version: u8,
    ) -> Result<()> {
        let mut state = self.lock();
        if state.socket.is_null() {
            return Err(Error::from_errno(libc::ENOTSOCK));
        }
        let ptr = endpoint.map_or(std::ptr::null(), |c| c.as_ptr());
        let rc = match version {
            // SAFETY: the socket is live (not detached, under the lock); `ptr` is null or a
            // NUL-terminated string alive for the call.
            1 => unsafe { ffi::zmq_socket_monitor(state.socket, ptr, events.bits() as c_int) },
            #[cfg(feature = "draft")]
            // SAFETY: as above; the monitor socket type is a PAIR, which libzmq accepts.
            2 => unsafe {
                ffi::zmq_socket_monitor_versioned(
                    state.socket,
                    ptr,
                    u64::from(events.bits()),
                    2,
                    ffi::ZMQ_PAIR,
                )
            },
            _ => return Err(Error::InvalidArgument("monitor event format is 1 or 2")),
        };
        cvt(rc)?;
        state.active = new_active;
        Ok(())
    }

    fn next_id(&self) -> u64 {
        let mut state = self.lock();
        state.last_id += 1;
        state.last_id
    }

    /// Stops monitoring if monitor `id` is the active one and the socket is open. Returns
    /// whether the monitor may close its PAIR socket now: true unless the socket is gone while
    /// `id` was still active (then libzmq's reaper still has events to send it).
    fn stop_if_active(&self, id: u64) -> bool {
        let mut state = self.lock();
        if state.active != id {
            // Replaced or disabled: libzmq stopped it synchronously, MONITOR_STOPPED is queued.
            return true;
        }
        if state.socket.is_null() {
            return false;
        }
        // SAFETY: the socket is live (not detached, under the lock). Stopping sends
        // MONITOR_STOPPED into the monitor's pipe, which has no high-water mark, so it cannot
        // block. An error (ETERM: the context is ending) leaves nothing that could block either.
        let _ = unsafe { ffi::zmq_socket_monitor(state.socket, std::ptr::null(), 0) };
        state.active = 0;
        true
    }
}

/// Waits until `socket` can be read or `timeout` passes (`None`: forever).
fn poll_in(socket: &Socket<Pair>, timeout: Option<Duration>) -> Result<bool> {
    let mut items = [socket.as_poll_item(crate::PollEvents::POLLIN)];
    Ok(crate::poll(&mut items, timeout)? > 0 && items[0].is_readable())
}

impl<K: SocketKind> Socket<K> {
    /// Starts monitoring this socket (`zmq_socket_monitor` on a fresh inproc endpoint, plus a
    /// PAIR socket connected to it): the [`Monitor`] receives the `events` chosen, typed.
    ///
    /// [`MonitorEvents::MONITOR_STOPPED`] is always added, so the monitor learns when it ends
    /// (the socket is closed, [`disable_monitor`](Socket::disable_monitor) is called, or a new
    /// call replaces this monitor: a socket has one at a time). Dropping the monitor, or never
    /// reading it, never stalls the context: see [`Monitor`].
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor(&self, events: MonitorEvents) -> Result<Monitor> {
        self.start_monitor(events, 1)
    }

    /// Starts monitoring this socket with libzmq's v2 event format
    /// (`zmq_socket_monitor_versioned`, draft): as [`monitor`](Socket::monitor), and the
    /// [`Monitor`] also gives each event's local and remote endpoints and 64-bit values
    /// ([`Monitor::next_event_v2`]), and reports [`MonitorEvent::PipesStats`] (ask for
    /// [`MonitorEvents::PIPES_STATS`], then call [`monitor_pipes_stats`](Socket::monitor_pipes_stats)).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_socket_monitor_versioned")]
    pub fn monitor_versioned(&self, events: MonitorEvents) -> Result<Monitor> {
        self.start_monitor(events, 2)
    }

    /// Asks for one [`MonitorEvent::PipesStats`] per pipe of this socket, sent to its v2
    /// monitor (`zmq_socket_monitor_pipes_stats`, draft). With no v2 monitor asking for
    /// `PIPES_STATS` it is [`ErrorKind::Invalid`](crate::ErrorKind); with no pipe (nothing
    /// connected yet) [`ErrorKind::Again`](crate::ErrorKind). The counts come from the I/O
    /// threads, a moment later.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_socket_monitor_pipes_stats")]
    pub fn monitor_pipes_stats(&self) -> Result<()> {
        // SAFETY: `as_raw` is this live socket; libzmq takes its own locks for the request.
        cvt(unsafe { ffi::zmq_socket_monitor_pipes_stats(self.as_raw()) }).map(drop)
    }

    fn start_monitor(&self, events: MonitorEvents, version: u8) -> Result<Monitor> {
        let events = events | MonitorEvents::MONITOR_STOPPED;
        let link = Arc::clone(self.monitor_link());
        let id = link.next_id();
        let endpoint = crate::pipe::unique_inproc("monitor");
        // The PAIR connects first (inproc allows it), so that no event is ever sent to an
        // endpoint nobody is connected to, and with no receive high-water mark: libzmq sums the
        // two sides' marks for an inproc pipe, and a zero on either side makes it unbounded.
        let socket = self.context().socket(crate::PAIR)?;
        socket.set_linger(Some(Duration::ZERO))?;
        socket.set_rcvhwm(0)?;
        socket.connect(&endpoint)?;
        let c = CString::new(endpoint.as_str())?;
        link.call(Some(&c), events, id, version)
            .map_err(|e| e.with_endpoint(&endpoint))?;
        Ok(Monitor {
            socket: ManuallyDrop::new(socket),
            endpoint,
            link,
            id,
            stopped: Cell::new(false),
            version,
        })
    }

    /// Calls `zmq_socket_monitor` with an endpoint of the caller's choosing (pyzmq's
    /// `socket.monitor(addr, events)`): the caller connects its own PAIR socket to it. `None`
    /// stops monitoring.
    ///
    /// libzmq sends events with a blocking send: the caller's PAIR socket must be read, or have
    /// no receive high-water mark (`set_rcvhwm(0)` before connecting), and must stay open until
    /// monitoring is stopped, or libzmq's I/O thread blocks and stalls the whole context
    /// (libzmq#3575). [`Socket::monitor`] takes care of all this.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor_raw(&self, endpoint: Option<&str>, events: MonitorEvents) -> Result<()> {
        let c = endpoint.map(CString::new).transpose()?;
        self.monitor_link()
            .call(c.as_ref(), events, 0, 1)
            .map_err(|e| match endpoint {
                Some(ep) => e.with_endpoint(ep),
                None => e,
            })
    }

    /// Stops monitoring (`zmq_socket_monitor(socket, NULL, 0)`, pyzmq's `disable_monitor`): the
    /// monitor receives [`MonitorEvent::MonitorStopped`].
    #[doc(alias = "zmq_socket_monitor")]
    pub fn disable_monitor(&self) -> Result<()> {
        self.monitor_raw(None, MonitorEvents::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(event: i32, value: u32) -> Vec<u8> {
        let mut f = (event as u16).to_ne_bytes().to_vec();
        f.extend_from_slice(&value.to_ne_bytes());
        f
    }

    #[test]
    fn parses_every_v1_event_and_round_trips() {
        for bit in 0..15 {
            let event = 1i32 << bit;
            let parsed =
                MonitorEvent::parse(&[frame(event, 7), b"tcp://127.0.0.1:1".to_vec()]).unwrap();
            assert_eq!(parsed.endpoint(), "tcp://127.0.0.1:1");
            assert!(!matches!(parsed, MonitorEvent::Unknown { .. }), "{event}");
            let expected_value = match parsed {
                MonitorEvent::MonitorStopped { .. } | MonitorEvent::HandshakeSucceeded { .. } => 0,
                _ => 7,
            };
            assert_eq!(parsed.raw(), (event as u16, expected_value));
            assert!(!parsed.to_string().is_empty());
        }
        let unknown = MonitorEvent::parse(&[frame(0x8000, 3), Vec::new()]).unwrap();
        assert_eq!(
            unknown,
            MonitorEvent::Unknown {
                endpoint: String::new(),
                event: 0x8000,
                value: 3
            }
        );
    }

    #[test]
    fn malformed_messages_are_errors() {
        use crate::ErrorKind::Malformed;
        let one: [&[u8]; 1] = [&[0; 6]];
        assert_eq!(MonitorEvent::parse(&one).unwrap_err().kind(), Malformed);
        let three: [&[u8]; 3] = [&[0; 6], b"x", b"y"];
        assert_eq!(MonitorEvent::parse(&three).unwrap_err().kind(), Malformed);
        let short: [&[u8]; 2] = [&[1, 0, 0], b"x"];
        assert_eq!(MonitorEvent::parse(&short).unwrap_err().kind(), Malformed);
        let long: [&[u8]; 2] = [&[0; 10], b"x"];
        assert_eq!(MonitorEvent::parse(&long).unwrap_err().kind(), Malformed);
        let bad_utf8: [&[u8]; 2] = [&[1, 0, 0, 0, 0, 0], &[0xff, 0xfe]];
        assert_eq!(
            MonitorEvent::parse(&bad_utf8).unwrap_err().kind(),
            Malformed
        );
        let none: [&[u8]; 0] = [];
        assert_eq!(MonitorEvent::parse(&none).unwrap_err().kind(), Malformed);
    }
}
