//! Socket kinds as types: markers (`zmq::PUB` is a value of type [`Pub`]) and capability traits
//! that decide which methods a `Socket<K>` has.

use crate::ffi;
use std::ffi::c_int;
use std::fmt;

mod private {
    pub trait Sealed {}
}

/// A socket kind: a marker type such as [`Pub`], or [`SocketType`] for a kind chosen at run time.
pub trait SocketKind: Copy + Send + Sync + fmt::Debug + 'static + private::Sealed {
    /// libzmq's number for the kind (`ZMQ_PUB`...).
    fn raw_type(&self) -> c_int;
    /// The kind as a [`SocketType`].
    fn socket_type(&self) -> SocketType;
}

/// Kinds that can send: every kind but SUB, PULL, DISH and GATHER.
pub trait CanSend: SocketKind {}
/// Kinds that can receive: every kind but PUB, PUSH, RADIO and SCATTER.
pub trait CanRecv: SocketKind {}
/// Kinds that take subscriptions: SUB (the `ZMQ_SUBSCRIBE` option) and XSUB (subscription
/// messages); also [`SocketType`], where libzmq decides.
pub trait CanSubscribe: SocketKind {
    #[doc(hidden)]
    const BY_MESSAGE: bool;
}
/// Kinds libzmq documents as thread-safe (the draft SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER,
/// PEER, CHANNEL): their sockets are `Sync`.
pub trait ThreadSafe: SocketKind {}

/// The one table of socket kinds: each row makes the marker type and its constant (`Pub`,
/// `zmq::PUB`), its capability traits, and its [`SocketType`] variant, with libzmq's number and
/// name. Adding a kind is one row.
macro_rules! socket_kinds {
    ($( $(#[$cfg:meta])* $ty:ident, $konst:ident = $raw:ident, [$($cap:ident),*]; )*) => {
        /// A socket kind chosen at run time: every method is available, and libzmq answers
        /// `ENOTSUP` or `EFSM` when one does not fit.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(i32)]
        #[non_exhaustive]
        pub enum SocketType {$(
            $(#[$cfg])*
            #[doc = concat!("`", stringify!($raw), "`")]
            $ty = ffi::$raw,
        )*}

        impl SocketType {
            /// Every kind this build knows.
            pub const ALL: &'static [SocketType] = &[$( $(#[$cfg])* SocketType::$ty, )*];

            /// libzmq's name for the kind, as in the `Socket-Type` metadata (`"PUB"`,
            /// `"XSUB"`...).
            pub fn name(self) -> &'static str {
                match self {$( $(#[$cfg])* SocketType::$ty => stringify!($konst), )*}
            }
        }

        $(
        $(#[$cfg])*
        #[doc = concat!("The `", stringify!($raw), "` socket kind; [`", stringify!($konst), "`] is its value.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $ty;

        $(#[$cfg])*
        #[doc = concat!("`ctx.socket(zmq::", stringify!($konst), ")` creates a `Socket<", stringify!($ty), ">`.")]
        pub const $konst: $ty = $ty;

        $(#[$cfg])*
        impl private::Sealed for $ty {}
        $(#[$cfg])*
        impl SocketKind for $ty {
            #[inline(always)]
            fn raw_type(&self) -> c_int {
                SocketType::$ty as c_int
            }
            #[inline(always)]
            fn socket_type(&self) -> SocketType {
                SocketType::$ty
            }
        }
        $(#[$cfg])*
        const _: () = { $( impl $cap for $ty {} )* };
        )*
    };
}

socket_kinds! {
    Pair, PAIR = ZMQ_PAIR, [CanSend, CanRecv];
    Pub, PUB = ZMQ_PUB, [CanSend];
    Sub, SUB = ZMQ_SUB, [CanRecv];
    Req, REQ = ZMQ_REQ, [CanSend, CanRecv];
    Rep, REP = ZMQ_REP, [CanSend, CanRecv];
    Dealer, DEALER = ZMQ_DEALER, [CanSend, CanRecv];
    Router, ROUTER = ZMQ_ROUTER, [CanSend, CanRecv];
    Pull, PULL = ZMQ_PULL, [CanRecv];
    Push, PUSH = ZMQ_PUSH, [CanSend];
    XPub, XPUB = ZMQ_XPUB, [CanSend, CanRecv];
    XSub, XSUB = ZMQ_XSUB, [CanSend, CanRecv];
    Stream, STREAM = ZMQ_STREAM, [CanSend, CanRecv];
    #[cfg(feature = "draft")] Server, SERVER = ZMQ_SERVER, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Client, CLIENT = ZMQ_CLIENT, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Radio, RADIO = ZMQ_RADIO, [CanSend, ThreadSafe];
    #[cfg(feature = "draft")] Dish, DISH = ZMQ_DISH, [CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Gather, GATHER = ZMQ_GATHER, [CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Scatter, SCATTER = ZMQ_SCATTER, [CanSend, ThreadSafe];
    #[cfg(feature = "draft")] Dgram, DGRAM = ZMQ_DGRAM, [CanSend, CanRecv];
    #[cfg(feature = "draft")] Peer, PEER = ZMQ_PEER, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Channel, CHANNEL = ZMQ_CHANNEL, [CanSend, CanRecv, ThreadSafe];
}

impl SocketType {
    /// The kind for libzmq's number, if this build knows it.
    pub fn from_raw(raw: c_int) -> Option<SocketType> {
        SocketType::ALL.iter().copied().find(|t| *t as c_int == raw)
    }
}

impl fmt::Display for SocketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl private::Sealed for SocketType {}
impl SocketKind for SocketType {
    #[inline]
    fn raw_type(&self) -> c_int {
        *self as c_int
    }
    fn socket_type(&self) -> SocketType {
        *self
    }
}
impl CanSend for SocketType {}
impl CanRecv for SocketType {}
impl CanSubscribe for SocketType {
    const BY_MESSAGE: bool = false;
}

impl CanSubscribe for Sub {
    const BY_MESSAGE: bool = false;
}
impl CanSubscribe for XSub {
    const BY_MESSAGE: bool = true;
}
