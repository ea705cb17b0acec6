//! Socket options: every stable libzmq 4.3.5 option (and the draft ones with `draft`), typed,
//! generated from one table; plus a raw get/set escape hatch for options newer than the table.

use super::{Socket, SocketKind, SocketType};
use crate::error::{cvt, Error, Result};
use crate::ffi;
use crate::poll::PollEvents;
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// The security mechanism of a socket (`ZMQ_MECHANISM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mechanism {
    /// `ZMQ_NULL`: no security.
    Null,
    /// `ZMQ_PLAIN`: user name and password, in clear.
    Plain,
    /// `ZMQ_CURVE`: CurveZMQ encryption and authentication.
    Curve,
    /// `ZMQ_GSSAPI`: Kerberos.
    Gssapi,
    /// A mechanism this crate does not know, by number.
    Other(i32),
}

impl Mechanism {
    fn from_raw(raw: c_int) -> Mechanism {
        match raw {
            ffi::ZMQ_NULL => Mechanism::Null,
            ffi::ZMQ_PLAIN => Mechanism::Plain,
            ffi::ZMQ_CURVE => Mechanism::Curve,
            ffi::ZMQ_GSSAPI => Mechanism::Gssapi,
            other => Mechanism::Other(other),
        }
    }
}

/// The length of a CURVE key in bytes and in Z85 text.
const KEY_LEN: usize = 32;
const KEY_Z85_LEN: usize = 40;

// ---- value codecs: how each class of option travels through zmq_getsockopt/zmq_setsockopt ----

fn raw_get(sock: *mut c_void, opt: c_int, buf: *mut c_void, len: &mut usize) -> Result<()> {
    // SAFETY: callers pass a live socket and a buffer valid for `*len` bytes; libzmq writes at
    // most that many and stores the actual length in `len`.
    cvt(unsafe { ffi::zmq_getsockopt(sock, opt, buf, len) }).map(drop)
}

fn raw_set(sock: *mut c_void, opt: c_int, buf: *const c_void, len: usize) -> Result<()> {
    // SAFETY: callers pass a live socket and a buffer valid for reading `len` bytes; libzmq
    // checks the size against the option and copies what it keeps.
    cvt(unsafe { ffi::zmq_setsockopt(sock, opt, buf, len) }).map(drop)
}

/// Plain values that travel as their own bytes (int, int64_t, uint64_t).
pub trait Scalar: Copy + Default + private::Sealed {}
impl Scalar for i32 {}
impl Scalar for i64 {}
impl Scalar for u64 {}
mod private {
    pub trait Sealed {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for u64 {}
}

#[inline]
fn get_scalar<T: Scalar>(sock: *mut c_void, opt: c_int) -> Result<T> {
    let mut value = T::default();
    let mut len = std::mem::size_of::<T>();
    raw_get(sock, opt, &mut value as *mut T as *mut c_void, &mut len)?;
    Ok(value)
}

#[inline]
fn set_scalar<T: Scalar>(sock: *mut c_void, opt: c_int, value: T) -> Result<()> {
    raw_set(
        sock,
        opt,
        &value as *const T as *const c_void,
        std::mem::size_of::<T>(),
    )
}

fn get_bytes(sock: *mut c_void, opt: c_int, max: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; max];
    let mut len = max;
    raw_get(sock, opt, buf.as_mut_ptr() as *mut c_void, &mut len)?;
    buf.truncate(len);
    Ok(buf)
}

fn get_string(sock: *mut c_void, opt: c_int) -> Result<String> {
    let mut bytes = get_bytes(sock, opt, 4096)?;
    if bytes.last() == Some(&0) {
        bytes.pop();
    }
    String::from_utf8(bytes).map_err(Error::from)
}

fn ms_to_duration(ms: i32) -> Duration {
    Duration::from_millis(ms.max(0) as u64)
}

/// Whole milliseconds for an `int` option, rounded up: a non-zero duration never becomes 0, which
/// libzmq reads as "do not wait" (RCVTIMEO, SNDTIMEO) or "drop at once" (LINGER). Too long for an
/// `int` is an error, never a wrapped value.
pub(crate) fn duration_to_ms(d: Duration) -> Result<i32> {
    let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
    i32::try_from(ms)
        .map_err(|_| Error::InvalidArgument("duration too long for a libzmq option (ms in an int)"))
}

/// Checks a CURVE key: 32 raw bytes, or 40 characters of Z85.
pub(crate) fn check_key(key: &[u8]) -> Result<()> {
    match key.len() {
        KEY_LEN => Ok(()),
        KEY_Z85_LEN => {
            if key.iter().all(|b| crate::z85_alphabet_contains(*b)) {
                Ok(())
            } else {
                Err(Error::InvalidKey("a 40-byte key must be Z85 text"))
            }
        }
        _ => Err(Error::InvalidKey(
            "a CURVE key is 32 bytes, or 40 characters of Z85",
        )),
    }
}

// The table. Each row: option constant, value class, getter name or `-`, setter name or `-`.
// Value classes: int (i32), bool, i64, u64, ms (Duration), ms_or_inf (Option<Duration>, None = -1,
// "infinite"/"never"), bytes (&[u8] / Vec<u8>), string (&str / String), key (CURVE key: sets 32
// bytes or 40 Z85 characters, reads 32 bytes), plus the special get-only classes below.

macro_rules! opt_get {
    (-, $($rest:tt)*) => {};
    ($get:ident, int, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<i32> { get_scalar(self.raw, ffi::$opt) }
    };
    ($get:ident, bool, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<bool> { get_scalar::<i32>(self.raw, ffi::$opt).map(|v| v != 0) }
    };
    ($get:ident, i64, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<i64> { get_scalar(self.raw, ffi::$opt) }
    };
    ($get:ident, u64, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<u64> { get_scalar(self.raw, ffi::$opt) }
    };
    ($get:ident, ms, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt), milliseconds).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<Duration> { get_scalar::<i32>(self.raw, ffi::$opt).map(ms_to_duration) }
    };
    ($get:ident, ms_or_inf, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt), milliseconds; -1 is `None`).")]
        #[doc(alias = "zmq_getsockopt")]
        #[inline] pub fn $get(&self) -> Result<Option<Duration>> {
            get_scalar::<i32>(self.raw, ffi::$opt).map(|v| if v < 0 { None } else { Some(ms_to_duration(v)) })
        }
    };
    ($get:ident, bytes, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        pub fn $get(&self) -> Result<Vec<u8>> { get_bytes(self.raw, ffi::$opt, 256) }
    };
    ($get:ident, string, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        pub fn $get(&self) -> Result<String> { get_string(self.raw, ffi::$opt) }
    };
    ($get:ident, key, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nReads `", stringify!($opt), "` as 32 raw bytes ([`zmq_getsockopt(3)`](http://api.zeromq.org/4-3:zmq-getsockopt)).")]
        #[doc(alias = "zmq_getsockopt")]
        pub fn $get(&self) -> Result<[u8; 32]> {
            let mut key = [0u8; KEY_LEN];
            let mut len = KEY_LEN;
            raw_get(self.raw, ffi::$opt, key.as_mut_ptr() as *mut c_void, &mut len)?;
            Ok(key)
        }
    };
}

macro_rules! opt_set {
    (-, $($rest:tt)*) => {};
    ($set:ident, int, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: i32) -> Result<()> { set_scalar(self.raw, ffi::$opt, value) }
    };
    ($set:ident, bool, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: bool) -> Result<()> { set_scalar(self.raw, ffi::$opt, i32::from(value)) }
    };
    ($set:ident, i64, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: i64) -> Result<()> { set_scalar(self.raw, ffi::$opt, value) }
    };
    ($set:ident, u64, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: u64) -> Result<()> { set_scalar(self.raw, ffi::$opt, value) }
    };
    ($set:ident, ms, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt), in milliseconds, a fraction rounded up so a non-zero duration is never 0).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: Duration) -> Result<()> { set_scalar(self.raw, ffi::$opt, duration_to_ms(value)?) }
    };
    ($set:ident, ms_or_inf, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt), in milliseconds, a fraction rounded up so a non-zero duration is never 0; `None` is -1).")]
        #[doc(alias = "zmq_setsockopt")]
        #[inline] pub fn $set(&self, value: Option<Duration>) -> Result<()> {
            let ms = match value { Some(d) => duration_to_ms(d)?, None => -1 };
            set_scalar(self.raw, ffi::$opt, ms)
        }
    };
    ($set:ident, bytes, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        pub fn $set<B: AsRef<[u8]> + ?Sized>(&self, value: &B) -> Result<()> { self.set_raw_bytes(ffi::$opt, value.as_ref()) }
    };
    ($set:ident, string, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)).")]
        #[doc(alias = "zmq_setsockopt")]
        pub fn $set(&self, value: &str) -> Result<()> {
            if let Some(pos) = value.bytes().position(|b| b == 0) {
                return Err(Error::InteriorNul(pos));
            }
            self.set_raw_bytes(ffi::$opt, value.as_bytes())
        }
    };
    ($set:ident, key, $opt:ident, $doc:literal) => {
        #[doc = $doc] #[doc = concat!("\n\nSets `", stringify!($opt), "` from 32 raw bytes or 40 characters of Z85 ([`zmq_setsockopt(3)`](http://api.zeromq.org/4-3:zmq-setsockopt)); anything else is [`ErrorKind::InvalidKey`](crate::ErrorKind::InvalidKey).")]
        #[doc(alias = "zmq_setsockopt")]
        pub fn $set<B: AsRef<[u8]> + ?Sized>(&self, key: &B) -> Result<()> {
            let key = key.as_ref();
            check_key(key)?;
            self.set_raw_bytes(ffi::$opt, key)
        }
    };
}

macro_rules! sockopts {
    ($( $(#[cfg($cfg:meta)])? $opt:ident, $class:ident, $get:tt, $set:tt, $doc:literal; )*) => {
        /// Every option in the table: (libzmq constant name, number, readable, writable).
        #[allow(dead_code)]
        pub(crate) const OPTION_TABLE: &[(&str, c_int, bool, bool)] = &[
            $( $(#[cfg($cfg)])? (stringify!($opt), ffi::$opt, opt_dir!($get), opt_dir!($set)), )*
        ];

        impl<K: SocketKind> Socket<K> {
            $(
                $(#[cfg($cfg)])? opt_get!($get, $class, $opt, $doc);
                $(#[cfg($cfg)])? opt_set!($set, $class, $opt, $doc);
            )*
        }
    };
}

macro_rules! opt_dir {
    (-) => {
        false
    };
    ($name:ident) => {
        true
    };
}

sockopts! {
    ZMQ_AFFINITY, u64, affinity, set_affinity, "I/O thread affinity bitmask for new connections.";
    ZMQ_ROUTING_ID, bytes, routing_id, set_routing_id, "The socket's routing id (identity) seen by ROUTER peers: 1 to 255 bytes, not starting with a zero byte.";
    ZMQ_RATE, int, rate, set_rate, "Multicast data rate in kilobits per second.";
    ZMQ_RECOVERY_IVL, ms, recovery_ivl, set_recovery_ivl, "Multicast recovery interval.";
    ZMQ_SNDBUF, int, sndbuf, set_sndbuf, "Kernel send buffer size in bytes (-1: OS default).";
    ZMQ_RCVBUF, int, rcvbuf, set_rcvbuf, "Kernel receive buffer size in bytes (-1: OS default).";
    ZMQ_RCVMORE, bool, rcvmore, -, "Whether the last frame received has more frames after it.";
    ZMQ_LINGER, ms_or_inf, linger, set_linger, "How long unsent messages are kept after close (`None`: until sent, libzmq's default; `Some(ZERO)`: dropped at once). New sockets start with their context's [`default_linger`](crate::Context::default_linger), 5 s unless changed.";
    ZMQ_RECONNECT_IVL, ms_or_inf, reconnect_ivl, set_reconnect_ivl, "Wait before reconnecting (`None`: never reconnect).";
    ZMQ_BACKLOG, int, backlog, set_backlog, "Maximum length of the queue of pending connections.";
    ZMQ_RECONNECT_IVL_MAX, ms, reconnect_ivl_max, set_reconnect_ivl_max, "Upper bound of the exponential reconnect backoff (zero: no backoff).";
    ZMQ_MAXMSGSIZE, i64, maxmsgsize, set_maxmsgsize, "Largest inbound message in bytes; a peer sending more is disconnected (-1: no limit).";
    ZMQ_SNDHWM, int, sndhwm, set_sndhwm, "High water mark of outbound messages per peer (0: none). Set before bind/connect.";
    ZMQ_RCVHWM, int, rcvhwm, set_rcvhwm, "High water mark of inbound messages per peer (0: none). Set before bind/connect.";
    ZMQ_MULTICAST_HOPS, int, multicast_hops, set_multicast_hops, "Time-to-live of multicast packets.";
    ZMQ_RCVTIMEO, ms_or_inf, rcvtimeo, set_rcvtimeo, "How long a receive blocks before failing with `Again` (`None`: forever).";
    ZMQ_SNDTIMEO, ms_or_inf, sndtimeo, set_sndtimeo, "How long a send blocks before failing with `Again` (`None`: forever).";
    ZMQ_LAST_ENDPOINT, string, last_endpoint, -, "The endpoint last bound or connected, with the port the OS picked for `*`.";
    ZMQ_ROUTER_MANDATORY, bool, -, set_router_mandatory, "ROUTER: fail with `HostUnreachable` for an unknown routing id instead of dropping.";
    ZMQ_TCP_KEEPALIVE, int, tcp_keepalive, set_tcp_keepalive, "SO_KEEPALIVE on TCP connections (-1: OS default, 0: off, 1: on).";
    ZMQ_TCP_KEEPALIVE_CNT, int, tcp_keepalive_cnt, set_tcp_keepalive_cnt, "TCP_KEEPCNT (-1: OS default).";
    ZMQ_TCP_KEEPALIVE_IDLE, int, tcp_keepalive_idle, set_tcp_keepalive_idle, "TCP_KEEPIDLE in seconds (-1: OS default).";
    ZMQ_TCP_KEEPALIVE_INTVL, int, tcp_keepalive_intvl, set_tcp_keepalive_intvl, "TCP_KEEPINTVL in seconds (-1: OS default).";
    ZMQ_IMMEDIATE, bool, immediate, set_immediate, "Queue messages only to completed connections.";
    ZMQ_XPUB_VERBOSE, bool, -, set_xpub_verbose, "XPUB: pass on duplicate subscriptions too.";
    ZMQ_ROUTER_RAW, bool, -, set_router_raw, "ROUTER: raw mode, no ZMTP framing (prefer STREAM).";
    ZMQ_IPV6, bool, ipv6, set_ipv6, "Use IPv6 (dual-stack) rather than IPv4 only.";
    ZMQ_PLAIN_SERVER, bool, plain_server, set_plain_server, "Act as PLAIN server.";
    ZMQ_PLAIN_USERNAME, string, plain_username, set_plain_username, "PLAIN client user name.";
    ZMQ_PLAIN_PASSWORD, string, plain_password, set_plain_password, "PLAIN client password.";
    ZMQ_CURVE_SERVER, bool, curve_server, set_curve_server, "Act as CURVE server.";
    ZMQ_CURVE_PUBLICKEY, key, curve_publickey, set_curve_publickey, "This socket's long-term CURVE public key.";
    ZMQ_CURVE_SECRETKEY, key, curve_secretkey, set_curve_secretkey, "This socket's long-term CURVE secret key.";
    ZMQ_CURVE_SERVERKEY, key, curve_serverkey, set_curve_serverkey, "CURVE client: the server's public key.";
    ZMQ_PROBE_ROUTER, bool, -, set_probe_router, "Send an empty message to ROUTER peers on connect.";
    ZMQ_REQ_CORRELATE, bool, -, set_req_correlate, "REQ: match replies to requests with a request id.";
    ZMQ_REQ_RELAXED, bool, -, set_req_relaxed, "REQ: allow a new request without waiting for the reply.";
    ZMQ_CONFLATE, bool, -, set_conflate, "Keep only the last message in the queues (single-part messages only).";
    ZMQ_ZAP_DOMAIN, string, zap_domain, set_zap_domain, "The ZAP authentication domain.";
    ZMQ_ROUTER_HANDOVER, bool, -, set_router_handover, "ROUTER: a new peer with a routing id in use takes it over. Set it when clients reconnect with a fixed routing id: without it, a client whose new connection is up before this socket has processed the end of its old one is ignored for good (its messages are never delivered).";
    ZMQ_TOS, int, tos, set_tos, "IP type-of-service (DSCP) of outgoing packets.";
    ZMQ_CONNECT_ROUTING_ID, bytes, -, set_connect_routing_id, "Routing id given to the peer of the next connect (ROUTER/STREAM).";
    ZMQ_GSSAPI_SERVER, bool, gssapi_server, set_gssapi_server, "Act as GSSAPI server.";
    ZMQ_GSSAPI_PRINCIPAL, string, gssapi_principal, set_gssapi_principal, "This socket's GSSAPI principal.";
    ZMQ_GSSAPI_SERVICE_PRINCIPAL, string, gssapi_service_principal, set_gssapi_service_principal, "GSSAPI client: the server's principal.";
    ZMQ_GSSAPI_PLAINTEXT, bool, gssapi_plaintext, set_gssapi_plaintext, "GSSAPI without encryption.";
    ZMQ_HANDSHAKE_IVL, ms, handshake_ivl, set_handshake_ivl, "Maximum handshake time (zero: none).";
    ZMQ_SOCKS_PROXY, string, socks_proxy, set_socks_proxy, "SOCKS5 proxy address for TCP connects.";
    ZMQ_XPUB_NODROP, bool, -, set_xpub_nodrop, "XPUB/PUB: fail with `Again` at the high water mark instead of dropping.";
    ZMQ_XPUB_MANUAL, bool, -, set_xpub_manual, "XPUB: subscriptions are applied by the application.";
    ZMQ_XPUB_WELCOME_MSG, bytes, -, set_xpub_welcome_msg, "XPUB: message sent to each new subscriber.";
    ZMQ_STREAM_NOTIFY, bool, -, set_stream_notify, "STREAM: deliver connect/disconnect notifications.";
    ZMQ_INVERT_MATCHING, bool, invert_matching, set_invert_matching, "PUB/SUB: deliver messages that do not match the subscriptions.";
    ZMQ_HEARTBEAT_IVL, ms, heartbeat_ivl, set_heartbeat_ivl, "Interval between ZMTP heartbeats (zero: off).";
    ZMQ_HEARTBEAT_TTL, ms, heartbeat_ttl, set_heartbeat_ttl, "Time-to-live sent with heartbeats (rounded to 100 ms).";
    ZMQ_HEARTBEAT_TIMEOUT, ms, heartbeat_timeout, set_heartbeat_timeout, "How long to wait for a heartbeat reply before closing.";
    ZMQ_XPUB_VERBOSER, bool, -, set_xpub_verboser, "XPUB: pass on duplicate subscriptions and unsubscriptions.";
    ZMQ_CONNECT_TIMEOUT, ms, connect_timeout, set_connect_timeout, "TCP connect timeout (zero: the OS's).";
    ZMQ_TCP_MAXRT, ms, tcp_maxrt, set_tcp_maxrt, "TCP_USER_TIMEOUT: maximum retransmission time (zero: the OS's).";
    ZMQ_THREAD_SAFE, bool, thread_safe, -, "Whether the socket is thread-safe (the draft kinds).";
    ZMQ_MULTICAST_MAXTPDU, int, multicast_maxtpdu, set_multicast_maxtpdu, "Maximum multicast transport data unit in bytes.";
    ZMQ_VMCI_BUFFER_SIZE, u64, vmci_buffer_size, set_vmci_buffer_size, "VMCI buffer size.";
    ZMQ_VMCI_BUFFER_MIN_SIZE, u64, vmci_buffer_min_size, set_vmci_buffer_min_size, "VMCI minimum buffer size.";
    ZMQ_VMCI_BUFFER_MAX_SIZE, u64, vmci_buffer_max_size, set_vmci_buffer_max_size, "VMCI maximum buffer size.";
    ZMQ_VMCI_CONNECT_TIMEOUT, int, vmci_connect_timeout, set_vmci_connect_timeout, "VMCI connect timeout in milliseconds.";
    ZMQ_USE_FD, int, use_fd, set_use_fd, "Bind to this pre-made listening file descriptor (-1: none).";
    ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, int, gssapi_principal_nametype, set_gssapi_principal_nametype, "Name type of the GSSAPI principal.";
    ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE, int, gssapi_service_principal_nametype, set_gssapi_service_principal_nametype, "Name type of the GSSAPI service principal.";
    ZMQ_BINDTODEVICE, string, bindtodevice, set_bindtodevice, "SO_BINDTODEVICE: use only this network interface.";
    #[cfg(feature = "draft")] ZMQ_ZAP_ENFORCE_DOMAIN, bool, zap_enforce_domain, set_zap_enforce_domain, "Enforce ZAP for the domain strictly (draft).";
    #[cfg(feature = "draft")] ZMQ_LOOPBACK_FASTPATH, bool, loopback_fastpath, set_loopback_fastpath, "Windows loopback fast path (draft).";
    #[cfg(feature = "draft")] ZMQ_METADATA, string, -, set_metadata, "Add `X-Name:value` metadata to the handshake (draft).";
    #[cfg(feature = "draft")] ZMQ_MULTICAST_LOOP, bool, multicast_loop, set_multicast_loop, "Loop multicast back to this host (draft).";
    #[cfg(feature = "draft")] ZMQ_ROUTER_NOTIFY, int, router_notify, set_router_notify, "ROUTER: notify of peer connect/disconnect (`ZMQ_NOTIFY_*` bits, draft).";
    #[cfg(feature = "draft")] ZMQ_XPUB_MANUAL_LAST_VALUE, bool, -, set_xpub_manual_last_value, "XPUB manual mode with last-value caching (draft).";
    #[cfg(feature = "draft")] ZMQ_SOCKS_USERNAME, string, -, set_socks_username, "SOCKS5 user name (draft).";
    #[cfg(feature = "draft")] ZMQ_SOCKS_PASSWORD, string, -, set_socks_password, "SOCKS5 password (draft).";
    #[cfg(feature = "draft")] ZMQ_IN_BATCH_SIZE, int, in_batch_size, set_in_batch_size, "Bytes read from the kernel at once (draft).";
    #[cfg(feature = "draft")] ZMQ_OUT_BATCH_SIZE, int, out_batch_size, set_out_batch_size, "Bytes written to the kernel at once (draft).";
    #[cfg(feature = "draft")] ZMQ_WSS_KEY_PEM, string, -, set_wss_key_pem, "WSS private key, PEM (draft).";
    #[cfg(feature = "draft")] ZMQ_WSS_CERT_PEM, string, -, set_wss_cert_pem, "WSS certificate, PEM (draft).";
    #[cfg(feature = "draft")] ZMQ_WSS_TRUST_PEM, string, -, set_wss_trust_pem, "WSS trusted CA, PEM (draft).";
    #[cfg(feature = "draft")] ZMQ_WSS_HOSTNAME, string, -, set_wss_hostname, "WSS host name to verify (draft).";
    #[cfg(feature = "draft")] ZMQ_WSS_TRUST_SYSTEM, bool, -, set_wss_trust_system, "WSS: trust the system's CAs (draft).";
    #[cfg(feature = "draft")] ZMQ_ONLY_FIRST_SUBSCRIBE, bool, -, set_only_first_subscribe, "XSUB/XPUB: only the first frame of a multipart message is a subscription (draft).";
    #[cfg(feature = "draft")] ZMQ_RECONNECT_STOP, int, reconnect_stop, set_reconnect_stop, "When to stop reconnecting (`ZMQ_RECONNECT_STOP_*` bits, draft).";
    #[cfg(feature = "draft")] ZMQ_HELLO_MSG, bytes, -, set_hello_msg, "Message sent to each new peer (draft).";
    #[cfg(feature = "draft")] ZMQ_DISCONNECT_MSG, bytes, -, set_disconnect_msg, "Message delivered locally when a peer disconnects (draft).";
    #[cfg(feature = "draft")] ZMQ_PRIORITY, int, priority, set_priority, "SO_PRIORITY of the connections (draft).";
    #[cfg(feature = "draft")] ZMQ_BUSY_POLL, bool, -, set_busy_poll, "SO_BUSY_POLL on TCP connections (draft).";
    #[cfg(feature = "draft")] ZMQ_HICCUP_MSG, bytes, -, set_hiccup_msg, "Message delivered locally when a connection is re-established (draft).";
    #[cfg(feature = "draft")] ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, bool, -, set_xsub_verbose_unsubscribe, "XSUB: pass on every unsubscription (draft).";
    #[cfg(feature = "draft")] ZMQ_TOPICS_COUNT, int, topics_count, -, "Number of topics subscribed (SUB/XSUB) or to (XPUB) (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_MODE, int, norm_mode, set_norm_mode, "NORM congestion control mode (`ZMQ_NORM_*`, draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_UNICAST_NACK, bool, norm_unicast_nack, set_norm_unicast_nack, "NORM unicast NACKs (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_BUFFER_SIZE, int, norm_buffer_size, set_norm_buffer_size, "NORM buffer size in kB (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_SEGMENT_SIZE, int, norm_segment_size, set_norm_segment_size, "NORM segment size in bytes (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_BLOCK_SIZE, int, norm_block_size, set_norm_block_size, "NORM block size (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_NUM_PARITY, int, norm_num_parity, set_norm_num_parity, "NORM parity segments per block (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_NUM_AUTOPARITY, int, norm_num_autoparity, set_norm_num_autoparity, "NORM proactive parity segments (draft).";
    #[cfg(feature = "draft")] ZMQ_NORM_PUSH, bool, norm_push, set_norm_push, "NORM stream push mode (draft).";
}

/// Values the raw option escape hatch can read and write ([`Socket::get_option`],
/// [`Socket::set_option`]): `i32` (C `int`, also for booleans), `i64`, `u64`, and byte strings.
pub trait OptionValue: Sized + private_value::Sealed {
    #[doc(hidden)]
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self>;
}
/// Values [`Socket::set_option`] accepts.
pub trait OptionArg: private_value::Sealed {
    #[doc(hidden)]
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()>;
}
mod private_value {
    pub trait Sealed {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for u64 {}
    impl Sealed for bool {}
    impl Sealed for Vec<u8> {}
    impl Sealed for [u8] {}
    impl Sealed for str {}
}

impl OptionValue for i32 {
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self> {
        get_scalar(sock, opt)
    }
}
impl OptionValue for i64 {
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self> {
        get_scalar(sock, opt)
    }
}
impl OptionValue for u64 {
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self> {
        get_scalar(sock, opt)
    }
}
impl OptionValue for bool {
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self> {
        get_scalar::<i32>(sock, opt).map(|v| v != 0)
    }
}
impl OptionValue for Vec<u8> {
    fn get_from(sock: *mut c_void, opt: c_int) -> Result<Self> {
        get_bytes(sock, opt, 4096)
    }
}
impl OptionArg for i32 {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        set_scalar(sock, opt, *self)
    }
}
impl OptionArg for i64 {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        set_scalar(sock, opt, *self)
    }
}
impl OptionArg for u64 {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        set_scalar(sock, opt, *self)
    }
}
impl OptionArg for bool {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        set_scalar(sock, opt, i32::from(*self))
    }
}
impl OptionArg for [u8] {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        raw_set(sock, opt, self.as_ptr() as *const c_void, self.len())
    }
}
impl OptionArg for str {
    fn set_on(&self, sock: *mut c_void, opt: c_int) -> Result<()> {
        raw_set(sock, opt, self.as_ptr() as *const c_void, self.len())
    }
}

impl<K: SocketKind> Socket<K> {
    /// Reads any option by number, with the C type chosen by `V` (`i32` for `int` options, `i64`,
    /// `u64`, `bool`, `Vec<u8>` for binary and string ones). For options newer than this crate.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let s = ctx.socket(zmq::DEALER)?;
    /// let hwm: i32 = s.get_option(zmq::ffi::ZMQ_SNDHWM)?;
    /// assert_eq!(hwm, 1000);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_getsockopt")]
    pub fn get_option<V: OptionValue>(&self, option: c_int) -> Result<V> {
        V::get_from(self.raw, option)
    }

    /// Sets any option by number; the value's size is the C type's (`i32`, `i64`, `u64`, `bool`
    /// as `int`, `&[u8]`, `&str`).
    #[doc(alias = "zmq_setsockopt")]
    pub fn set_option<V: OptionArg + ?Sized>(&self, option: c_int, value: &V) -> Result<()> {
        value.set_on(self.raw, option)
    }

    pub(crate) fn set_raw_bytes(&self, option: c_int, value: &[u8]) -> Result<()> {
        raw_set(
            self.raw,
            option,
            value.as_ptr() as *const c_void,
            value.len(),
        )
    }

    /// The socket's kind as libzmq reports it (`ZMQ_TYPE`).
    #[doc(alias = "ZMQ_TYPE")]
    pub fn get_socket_type(&self) -> Result<SocketType> {
        let raw: i32 = get_scalar(self.raw, ffi::ZMQ_TYPE)?;
        SocketType::from_raw(raw).ok_or(Error::InvalidArgument("unknown socket type"))
    }

    /// Which events are possible now (`ZMQ_EVENTS`): [`PollEvents::POLLIN`] and/or
    /// [`PollEvents::POLLOUT`]. Reading it also processes pending commands, which is how the
    /// edge-triggered [`fd`](Socket::fd) is re-armed.
    #[doc(alias = "ZMQ_EVENTS")]
    #[inline]
    pub fn events(&self) -> Result<PollEvents> {
        get_scalar::<i32>(self.raw, ffi::ZMQ_EVENTS).map(|v| PollEvents::from_bits(v as i16))
    }

    /// The file descriptor that becomes readable (edge-triggered) when [`events`](Socket::events)
    /// may have changed (`ZMQ_FD`), for integrating with event loops.
    #[doc(alias = "ZMQ_FD")]
    pub fn fd(&self) -> Result<ffi::zmq_fd_t> {
        let mut fd: ffi::zmq_fd_t = Default::default();
        let mut len = std::mem::size_of::<ffi::zmq_fd_t>();
        raw_get(
            self.raw,
            ffi::ZMQ_FD,
            &mut fd as *mut _ as *mut c_void,
            &mut len,
        )?;
        Ok(fd)
    }

    /// The security mechanism in use (`ZMQ_MECHANISM`).
    #[doc(alias = "ZMQ_MECHANISM")]
    pub fn mechanism(&self) -> Result<Mechanism> {
        get_scalar::<i32>(self.raw, ffi::ZMQ_MECHANISM).map(Mechanism::from_raw)
    }

    /// Sets both high water marks, send and receive (pyzmq's `hwm`). Set before bind/connect.
    pub fn set_hwm(&self, hwm: i32) -> Result<()> {
        self.set_sndhwm(hwm)?;
        self.set_rcvhwm(hwm)
    }

    /// The send high water mark (pyzmq's `hwm` reads SNDHWM).
    pub fn hwm(&self) -> Result<i32> {
        self.sndhwm()
    }

    /// The CURVE public key as 40 characters of Z85.
    pub fn curve_publickey_z85(&self) -> Result<String> {
        self.key_z85(ffi::ZMQ_CURVE_PUBLICKEY)
    }
    /// The CURVE secret key as 40 characters of Z85.
    pub fn curve_secretkey_z85(&self) -> Result<String> {
        self.key_z85(ffi::ZMQ_CURVE_SECRETKEY)
    }
    /// The CURVE server key as 40 characters of Z85.
    pub fn curve_serverkey_z85(&self) -> Result<String> {
        self.key_z85(ffi::ZMQ_CURVE_SERVERKEY)
    }

    fn key_z85(&self, opt: c_int) -> Result<String> {
        // libzmq answers in Z85 when the buffer is 41 bytes (40 characters and a NUL).
        let mut buf = [0u8; KEY_Z85_LEN + 1];
        let mut len = buf.len();
        raw_get(self.raw, opt, buf.as_mut_ptr() as *mut c_void, &mut len)?;
        Ok(String::from_utf8_lossy(&buf[..KEY_Z85_LEN]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options the table does not list because a dedicated method covers them.
    const BY_HAND: &[(&str, c_int)] = &[
        ("ZMQ_SUBSCRIBE", ffi::ZMQ_SUBSCRIBE),
        ("ZMQ_UNSUBSCRIBE", ffi::ZMQ_UNSUBSCRIBE),
        ("ZMQ_FD", ffi::ZMQ_FD),
        ("ZMQ_EVENTS", ffi::ZMQ_EVENTS),
        ("ZMQ_TYPE", ffi::ZMQ_TYPE),
        ("ZMQ_MECHANISM", ffi::ZMQ_MECHANISM),
    ];
    /// In the header's socket-option block but not socket options: BLOCKY is a context option.
    const NOT_SOCKET_OPTIONS: &[&str] = &["ZMQ_BLOCKY"];

    /// Every `#define` of zmq.h's "Socket options" block (ZMQ_AFFINITY ... ZMQ_BINDTODEVICE), read
    /// from the committed bindings, has a typed accessor.
    #[test]
    fn every_stable_socket_option_is_covered() {
        // zmq-sys says where its bindings are (DEP_ZMQ_BINDINGS, through build.rs): this also
        // works from the packaged crates, where zmq-sys is not a sibling folder.
        let bindings = include_str!(env!("ZMQ_SYS_BINDINGS"));
        let start = bindings.find("pub const ZMQ_AFFINITY").unwrap();
        let end = bindings.find("pub const ZMQ_BINDTODEVICE").unwrap();
        let block = &bindings[start..bindings[end..].find('\n').unwrap() + end];
        let mut names = Vec::new();
        for line in block.lines() {
            let name = line
                .trim_start_matches("pub const ")
                .split(':')
                .next()
                .unwrap()
                .to_string();
            names.push(name);
        }
        let mut missing = Vec::new();
        for name in &names {
            let covered = OPTION_TABLE.iter().any(|(n, ..)| n == name)
                || BY_HAND.iter().any(|(n, _)| n == name)
                || NOT_SOCKET_OPTIONS.contains(&name.as_str());
            if !covered {
                missing.push(name.clone());
            }
        }
        assert!(
            missing.is_empty(),
            "options without an accessor: {missing:?}"
        );
        assert_eq!(
            names.len() - NOT_SOCKET_OPTIONS.len(),
            75,
            "libzmq 4.3.5 has 75 stable socket options"
        );
    }

    #[test]
    fn key_check() {
        assert!(check_key(&[7u8; 32]).is_ok());
        assert!(check_key(b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7").is_ok());
        assert_eq!(
            check_key(&[1u8; 31]).unwrap_err().kind(),
            crate::ErrorKind::InvalidKey
        );
        assert_eq!(
            check_key(b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"")
                .unwrap_err()
                .kind(),
            crate::ErrorKind::InvalidKey
        );
    }
}
