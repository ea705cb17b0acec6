//! Errors: one [`Error`] type for everything the crate returns, with [`ErrorKind`] to match on,
//! and the one checked-call helper every FFI return goes through.

use std::ffi::{c_int, CStr};
use std::fmt;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from libzmq or from the wrapper.
///
/// libzmq errors keep their errno ([`Error::errno`]) and print libzmq's own text
/// (`zmq_strerror`); bind and connect errors also name the endpoint. Errors the wrapper raises
/// itself (bad UTF-8, an interior NUL, bad Z85 or key material) have their own variants.
/// Match on [`Error::kind`] rather than on variants.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// libzmq reported `errno`.
    #[error("{}", strerror(*errno))]
    Zmq {
        /// The raw errno.
        errno: i32,
    },
    /// libzmq reported `errno` while binding, connecting, unbinding or disconnecting `endpoint`.
    #[error("{} (endpoint {endpoint:?})", strerror(*errno))]
    Endpoint {
        /// The raw errno.
        errno: i32,
        /// The endpoint the call was given.
        endpoint: Box<str>,
    },
    /// Received bytes, or an option's value, are not valid UTF-8.
    #[error("not valid UTF-8: {0}")]
    Utf8(#[from] std::str::Utf8Error),
    /// A string given to libzmq has a NUL byte at this position.
    #[error("string has a NUL byte at position {0}")]
    InteriorNul(usize),
    /// Text that should be Z85 is not (wrong length or character).
    #[error("invalid Z85: {0}")]
    Z85(&'static str),
    /// A CURVE key or certificate is malformed.
    #[error("invalid CURVE key: {0}")]
    InvalidKey(&'static str),
    /// An argument the wrapper refuses before calling libzmq.
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// Data read or received is malformed: a monitor event, a certificate file, a proxy's reply
    /// (the text says which and where).
    #[error("malformed data: {0}")]
    Malformed(Box<str>),
    /// A thread the crate runs (a proxy, the ZAP handler) could not be started, or ended by
    /// panicking (the text says which).
    #[error("{0}")]
    Thread(Box<str>),
    /// A file operation failed (reading or writing a certificate or password file).
    #[error("{message}")]
    Io {
        /// The kind of I/O error.
        kind: std::io::ErrorKind,
        /// What failed, with the path.
        message: Box<str>,
    },
}

/// What kind of error this is, for matching. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `EAGAIN`: the operation would block (non-blocking call, or a send/receive timeout).
    Again,
    /// `EINTR`: a signal arrived during a blocking call.
    Interrupted,
    /// `ETERM`: the context was terminated or shut down.
    ContextTerminated,
    /// `EFSM`: the call does not fit the socket's state machine (e.g. REQ receive before send).
    InvalidState,
    /// `EADDRINUSE`.
    AddrInUse,
    /// `EADDRNOTAVAIL`.
    AddrNotAvailable,
    /// `EHOSTUNREACH`: e.g. ROUTER_MANDATORY with an unknown routing id.
    HostUnreachable,
    /// `ENOTSUP`: the socket kind does not support the operation.
    NotSupported,
    /// `EPROTONOSUPPORT`: unknown or unavailable transport.
    ProtocolNotSupported,
    /// `ENOCOMPATPROTO`: the transport does not fit the socket kind.
    IncompatibleProtocol,
    /// `EINVAL`: an invalid argument (unknown option, bad endpoint, wrong value size...).
    Invalid,
    /// `ENOTSOCK`: the socket is closed.
    NotSocket,
    /// `EFAULT`.
    Fault,
    /// `ENOENT`: e.g. unbinding an endpoint that is not bound.
    NotFound,
    /// `ENODEV`: no such network interface.
    NoDevice,
    /// `EMTHREAD`: no I/O thread available.
    NoThread,
    /// `EMFILE`: too many open sockets or files.
    TooManyOpenFiles,
    /// `EMSGSIZE`: a message is too large.
    MessageTooLarge,
    /// `ENOMEM`.
    OutOfMemory,
    /// `ENAMETOOLONG`: e.g. an ipc path longer than the OS allows.
    NameTooLong,
    /// `ECONNREFUSED`.
    ConnectionRefused,
    /// Bytes that had to be UTF-8 were not.
    Utf8,
    /// A string had an interior NUL byte.
    InteriorNul,
    /// Malformed Z85 text.
    Z85,
    /// A malformed CURVE key or certificate.
    InvalidKey,
    /// An argument refused by the wrapper.
    InvalidArgument,
    /// Malformed data (a monitor event, a certificate file).
    Malformed,
    /// A file operation failed.
    Io,
    /// A thread the crate runs could not be started, or panicked.
    Thread,
    /// Any other errno.
    Other,
}

impl Error {
    /// An error for a raw errno value (any value: unknown ones are kept as they are).
    pub fn from_errno(errno: i32) -> Error {
        Error::Zmq { errno }
    }

    /// The error libzmq reported for the last call on this thread (`zmq_errno`).
    #[doc(alias = "zmq_errno")]
    #[cold]
    pub fn last() -> Error {
        // SAFETY: zmq_errno only reads the calling thread's errno.
        Error::from_errno(unsafe { crate::ffi::zmq_errno() })
    }

    /// The raw errno, for errors that came from libzmq.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Zmq { errno } | Error::Endpoint { errno, .. } => Some(*errno),
            _ => None,
        }
    }

    /// The endpoint a bind/connect/unbind/disconnect error was about.
    pub fn endpoint(&self) -> Option<&str> {
        match self {
            Error::Endpoint { endpoint, .. } => Some(endpoint),
            _ => None,
        }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Zmq { errno } | Error::Endpoint { errno, .. } => kind_of(*errno),
            Error::Utf8(_) => ErrorKind::Utf8,
            Error::InteriorNul(_) => ErrorKind::InteriorNul,
            Error::Z85(_) => ErrorKind::Z85,
            Error::InvalidKey(_) => ErrorKind::InvalidKey,
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Error::Malformed(_) => ErrorKind::Malformed,
            Error::Io { .. } => ErrorKind::Io,
            Error::Thread(_) => ErrorKind::Thread,
        }
    }

    /// Whether this is `EAGAIN` (would block, or a timeout expired).
    pub fn is_again(&self) -> bool {
        self.kind() == ErrorKind::Again
    }

    /// Whether this is `ETERM` (the context was terminated).
    pub fn is_terminated(&self) -> bool {
        self.kind() == ErrorKind::ContextTerminated
    }

    /// Attaches an endpoint to a libzmq error.
    pub(crate) fn with_endpoint(self, endpoint: &str) -> Error {
        match self {
            Error::Zmq { errno } => Error::Endpoint {
                errno,
                endpoint: endpoint.into(),
            },
            other => other,
        }
    }
}

fn kind_of(errno: i32) -> ErrorKind {
    use crate::ffi;
    match errno {
        libc::EAGAIN => ErrorKind::Again,
        libc::EINTR => ErrorKind::Interrupted,
        ffi::ETERM => ErrorKind::ContextTerminated,
        ffi::EFSM => ErrorKind::InvalidState,
        ffi::ENOCOMPATPROTO => ErrorKind::IncompatibleProtocol,
        ffi::EMTHREAD => ErrorKind::NoThread,
        libc::EADDRINUSE => ErrorKind::AddrInUse,
        libc::EADDRNOTAVAIL => ErrorKind::AddrNotAvailable,
        libc::EHOSTUNREACH => ErrorKind::HostUnreachable,
        libc::ENOTSUP => ErrorKind::NotSupported,
        libc::EPROTONOSUPPORT => ErrorKind::ProtocolNotSupported,
        libc::EINVAL => ErrorKind::Invalid,
        libc::ENOTSOCK => ErrorKind::NotSocket,
        libc::EFAULT => ErrorKind::Fault,
        libc::ENOENT => ErrorKind::NotFound,
        libc::ENODEV => ErrorKind::NoDevice,
        libc::EMFILE => ErrorKind::TooManyOpenFiles,
        libc::EMSGSIZE => ErrorKind::MessageTooLarge,
        libc::ENOMEM => ErrorKind::OutOfMemory,
        libc::ENAMETOOLONG => ErrorKind::NameTooLong,
        libc::ECONNREFUSED => ErrorKind::ConnectionRefused,
        _ => ErrorKind::Other,
    }
}

/// libzmq's text for an errno (`zmq_strerror`); it knows its own codes and the OS ones.
#[doc(alias = "zmq_strerror")]
pub fn strerror(errno: i32) -> String {
    // SAFETY: zmq_strerror returns a pointer to a static NUL-terminated string (libzmq's table
    // or the C library's strerror buffer), never null, for any int.
    let text = unsafe { CStr::from_ptr(crate::ffi::zmq_strerror(errno)) };
    text.to_string_lossy().into_owned()
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errno() {
            Some(errno) => write!(
                f,
                "Error {{ kind: {:?}, errno: {errno}, message: {:?} }}",
                self.kind(),
                self.to_string()
            ),
            None => write!(
                f,
                "Error {{ kind: {:?}, message: {:?} }}",
                self.kind(),
                self.to_string()
            ),
        }
    }
}

impl From<std::string::FromUtf8Error> for Error {
    fn from(e: std::string::FromUtf8Error) -> Error {
        Error::Utf8(e.utf8_error())
    }
}

impl From<std::ffi::NulError> for Error {
    fn from(e: std::ffi::NulError) -> Error {
        Error::InteriorNul(e.nul_position())
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        use std::io::ErrorKind as Io;
        if let Error::Io { kind, .. } = &e {
            return std::io::Error::new(*kind, e);
        }
        let kind = match e.kind() {
            ErrorKind::Again => Io::WouldBlock,
            ErrorKind::Interrupted => Io::Interrupted,
            ErrorKind::AddrInUse => Io::AddrInUse,
            ErrorKind::AddrNotAvailable => Io::AddrNotAvailable,
            ErrorKind::ConnectionRefused => Io::ConnectionRefused,
            ErrorKind::NotFound => Io::NotFound,
            ErrorKind::OutOfMemory => Io::OutOfMemory,
            ErrorKind::NotSupported | ErrorKind::ProtocolNotSupported => Io::Unsupported,
            ErrorKind::Invalid
            | ErrorKind::InvalidArgument
            | ErrorKind::InteriorNul
            | ErrorKind::Z85
            | ErrorKind::InvalidKey => Io::InvalidInput,
            ErrorKind::Utf8 | ErrorKind::Malformed => Io::InvalidData,
            _ => Io::Other,
        };
        std::io::Error::new(kind, e)
    }
}

/// The shape every error that hands a value back shares ([`SendError`], [`RecvError`],
/// [`TermError`](crate::TermError), `ProxySpawnError`, `PollerAddError`): the [`Error`] and the
/// value, accessors for both, `Debug`/`Display`/`std::error::Error`, and `?` into an [`Error`]
/// or a `std::io::Error`. Written once here; each type is one invocation.
macro_rules! hand_back_error {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(<$t:ident>)? { $field:ident: $fty:ty }
        $(#[$into_meta:meta])*
        fn $into:ident;
        display: $what:literal;
    ) => {
        $(#[$meta])*
        pub struct $name $(<$t>)? {
            error: crate::Error,
            $field: $fty,
        }

        impl $(<$t>)? $name $(<$t>)? {
            #[allow(dead_code)]
            pub(crate) fn new(error: crate::Error, $field: $fty) -> Self {
                $name { error, $field }
            }
            /// Why the call failed.
            pub fn error(&self) -> &crate::Error {
                &self.error
            }
            /// The kind of [`error`](Self::error).
            pub fn kind(&self) -> crate::ErrorKind {
                self.error.kind()
            }
            /// Whether the call would have blocked (`EAGAIN`: non-blocking, or a timeout).
            pub fn is_again(&self) -> bool {
                self.error.is_again()
            }
            /// Whether the context was terminated (`ETERM`).
            pub fn is_terminated(&self) -> bool {
                self.error.is_terminated()
            }
            $(#[$into_meta])*
            pub fn $into(self) -> $fty {
                self.$field
            }
            /// The error and the value handed back.
            pub fn into_parts(self) -> (crate::Error, $fty) {
                (self.error, self.$field)
            }
        }

        impl $(<$t>)? std::fmt::Debug for $name $(<$t>)? {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("error", &self.error)
                    .finish_non_exhaustive()
            }
        }

        impl $(<$t>)? std::fmt::Display for $name $(<$t>)? {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!($what, " failed: {}"), self.error)
            }
        }

        impl $(<$t>)? std::error::Error for $name $(<$t>)? {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.error)
            }
        }

        $(
        // SAFETY: a shared reference gives access to the error only, never to the value handed
        // back (reached by value, through the `into_*` methods), so sharing it between threads
        // cannot race on the value.
        unsafe impl<$t: Send> Sync for $name<$t> {}
        )?

        impl $(<$t>)? From<$name $(<$t>)?> for crate::Error {
            fn from(e: $name $(<$t>)?) -> crate::Error {
                e.error
            }
        }

        impl $(<$t>)? From<$name $(<$t>)?> for std::io::Error {
            fn from(e: $name $(<$t>)?) -> std::io::Error {
                e.error.into()
            }
        }
    };
}
pub(crate) use hand_back_error;

hand_back_error! {
    /// A send that failed, with what was not sent: the owned message comes back to the caller,
    /// so nothing is lost (for borrowed data the unsent part is `()`, the caller still has it).
    ///
    /// `?` turns it into an [`Error`]; use [`SendError::into_unsent`] to keep the message.
    pub struct SendError<T> { unsent: T }
    /// The message that was not sent.
    fn into_unsent;
    display: "send";
}

/// The checked-call helper: a libzmq return value of -1 becomes the thread's errno as an
/// [`Error`]. EAGAIN and EINTR are returned as [`ErrorKind::Again`] and
/// [`ErrorKind::Interrupted`], never retried here, so callers see Ctrl-C and timeouts.
#[inline(always)]
pub(crate) fn cvt(rc: c_int) -> Result<c_int> {
    if rc == -1 {
        Err(Error::last())
    } else {
        Ok(rc)
    }
}

/// [`cvt`] for calls that return a pointer, null on failure.
#[inline(always)]
pub(crate) fn cvt_p<T>(p: *mut T) -> Result<*mut T> {
    if p.is_null() {
        Err(Error::last())
    } else {
        Ok(p)
    }
}

/// The calling thread's errno slot, on every platform libzmq supports (each C library names its
/// accessor differently); `None` where this crate does not know it.
fn errno_slot() -> Option<*mut c_int> {
    #[cfg(windows)]
    extern "C" {
        // The C runtime's accessor (errno.h: `#define errno (*_errno())`).
        fn _errno() -> *mut c_int;
    }
    // No accessor known for this platform: no slot (every platform libzmq supports has one).
    #[allow(unused_variables)]
    let slot: *mut c_int = std::ptr::null_mut();
    // Each accessor below returns the calling thread's errno slot, valid for reading and writing
    // for the thread's life, and has no other effect.
    #[cfg(any(
        target_os = "linux",
        target_os = "emscripten",
        target_os = "fuchsia",
        target_os = "redox",
        target_os = "hurd",
        target_os = "l4re",
        target_os = "dragonfly"
    ))]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { libc::__errno_location() };
    #[cfg(any(
        target_os = "android",
        target_os = "netbsd",
        target_os = "openbsd",
        target_os = "cygwin"
    ))]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { libc::__errno() };
    #[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { libc::__error() };
    #[cfg(any(target_os = "solaris", target_os = "illumos"))]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { libc::___errno() };
    #[cfg(target_os = "haiku")]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { libc::_errnop() };
    #[cfg(windows)]
    // SAFETY: the accessor has no preconditions (see above).
    let slot = unsafe { _errno() };
    (!slot.is_null()).then_some(slot)
}

/// Clears the calling thread's errno, for the few libzmq getters whose valid results include -1.
/// Returns whether it could (every platform libzmq supports; see [`errno_slot`]).
pub(crate) fn clear_errno() -> bool {
    match errno_slot() {
        Some(slot) => {
            // SAFETY: `slot` is this thread's errno, valid for writing.
            unsafe { *slot = 0 };
            true
        }
        None => false,
    }
}

/// Like [`cvt`], for calls where -1 can also be a valid value: -1 is an error only if errno was
/// set by the call. Callers clear errno first with [`clear_errno`].
pub(crate) fn cvt_value(rc: c_int) -> Result<c_int> {
    if rc == -1 {
        // SAFETY: zmq_errno only reads this thread's errno.
        let errno = unsafe { crate::ffi::zmq_errno() };
        if errno != 0 {
            return Err(Error::from_errno(errno));
        }
    }
    Ok(rc)
}

hand_back_error! {
    /// A receive that could not give what was asked for, with what it did receive, so nothing is
    /// lost: [`Socket::recv_string`](crate::Socket::recv_string) on a frame that is not UTF-8 gives
    /// the [`Message`](crate::Message) back ([`ErrorKind::Utf8`]). When the receive itself failed
    /// (`EAGAIN`, `ETERM`...) nothing was received and [`RecvError::into_received`] is `None`.
    ///
    /// `?` turns it into an [`Error`]; the spirit of [`SendError`], for the receiving side.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let a = ctx.socket(zmq::PAIR)?;
    /// a.bind("inproc://doc-recv-error")?;
    /// let b = ctx.socket(zmq::PAIR)?;
    /// b.connect("inproc://doc-recv-error")?;
    /// a.send(&[0xff_u8, 0xfe][..])?;
    /// let e = b.recv_string().unwrap_err();
    /// assert_eq!(e.kind(), zmq::ErrorKind::Utf8);
    /// let frame = e.into_received().unwrap(); // the frame is not lost
    /// assert_eq!(&frame[..], &[0xff, 0xfe]);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub struct RecvError<T> { received: Option<T> }
    /// What was received, if anything (the frame that could not be decoded).
    fn into_received;
    display: "receive";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_can_be_cleared_so_minus_one_reads_as_a_value() {
        // Set errno through the slot, then clear it.
        let slot = errno_slot().expect("this platform's errno accessor");
        // SAFETY: `slot` is this thread's errno, valid for writing.
        unsafe { *slot = libc::EINVAL };
        assert_eq!(cvt_value(-1).unwrap_err().kind(), ErrorKind::Invalid);
        assert!(clear_errno());
        assert_eq!(cvt_value(-1), Ok(-1));
    }

    #[test]
    fn unknown_errno_is_a_value() {
        let e = Error::from_errno(987_654);
        assert_eq!(e.kind(), ErrorKind::Other);
        assert_eq!(e.errno(), Some(987_654));
        let _ = e.to_string();
        let _ = format!("{e:?}");
        let e = Error::from_errno(-5);
        let _ = e.to_string();
    }

    #[test]
    fn libzmq_codes_have_kinds_and_text() {
        assert_eq!(
            Error::from_errno(crate::ffi::EFSM).kind(),
            ErrorKind::InvalidState
        );
        assert_eq!(
            Error::from_errno(crate::ffi::ETERM).kind(),
            ErrorKind::ContextTerminated
        );
        assert_eq!(
            Error::from_errno(libc::EINTR).kind(),
            ErrorKind::Interrupted
        );
        assert!(Error::from_errno(crate::ffi::ETERM)
            .to_string()
            .contains("terminated"));
    }

    #[test]
    fn endpoint_is_named() {
        let e = Error::from_errno(libc::EINVAL).with_endpoint("tcp://nowhere");
        assert!(e.to_string().contains("tcp://nowhere"));
        assert_eq!(e.endpoint(), Some("tcp://nowhere"));
        assert_eq!(e.kind(), ErrorKind::Invalid);
    }

    #[test]
    fn send_error_is_send_sync_and_converts() {
        fn assert_traits<T: Send + Sync + std::error::Error + 'static>() {}
        assert_traits::<SendError<crate::Message>>();
        let e: Error = SendError::new(Error::from_errno(libc::EAGAIN), ()).into();
        assert!(e.is_again());
        let io: std::io::Error = e.into();
        assert_eq!(io.kind(), std::io::ErrorKind::WouldBlock);
    }
}
