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
    /// Whether every message of this kind is one frame (the thread-safe draft kinds): a typed
    /// socket of such a kind refuses `SNDMORE` before libzmq sees it.
    #[doc(hidden)]
    const SINGLE_PART: bool = false;
}

/// Kinds that can send a message as it is: every kind but SUB, PULL, DISH and GATHER, and but
/// the draft SERVER and PEER (whose sends need a routing id: [`CanRoute`]) and RADIO (whose sends
/// need a group: [`CanSendToGroup`]).
pub trait CanSend: SocketKind {}
/// Kinds that can receive: every kind but PUB, PUSH, RADIO and SCATTER.
pub trait CanRecv: SocketKind {}
/// Kinds whose messages may have several frames: every classic kind, the draft DGRAM, and
/// [`SocketType`]. The thread-safe draft kinds are single-part: they have no `send_more`,
/// `send_multipart` or `recv_multipart`, and a `SNDMORE` flag is refused.
pub trait CanMultipart: SocketKind {}
/// Kinds that join and leave groups: DISH (draft), and [`SocketType`].
pub trait CanJoin: SocketKind {}
/// Kinds whose every send names a group: RADIO (draft), and [`SocketType`].
pub trait CanSendToGroup: SocketKind {}
/// Kinds whose every send names the peer's routing id: SERVER and PEER (draft), and
/// [`SocketType`].
pub trait CanRoute: SocketKind {}
/// Kinds that connect to a peer and learn its routing id at once: PEER (draft), and
/// [`SocketType`].
pub trait CanConnectPeer: SocketKind {}
/// Kinds that report the state of one peer by its routing id: ROUTER, and [`SocketType`].
pub trait CanPeerState: SocketKind {}
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
            const SINGLE_PART: bool = SocketType::$ty.is_single_part();
        }
        $(#[$cfg])*
        const _: () = { $( impl $cap for $ty {} )* };
        )*
    };
}

socket_kinds! {
    Pair, PAIR = ZMQ_PAIR, [CanSend, CanRecv, CanMultipart];
    Pub, PUB = ZMQ_PUB, [CanSend, CanMultipart];
    Sub, SUB = ZMQ_SUB, [CanRecv, CanMultipart];
    Req, REQ = ZMQ_REQ, [CanSend, CanRecv, CanMultipart];
    Rep, REP = ZMQ_REP, [CanSend, CanRecv, CanMultipart];
    Dealer, DEALER = ZMQ_DEALER, [CanSend, CanRecv, CanMultipart];
    Router, ROUTER = ZMQ_ROUTER, [CanSend, CanRecv, CanMultipart, CanPeerState];
    Pull, PULL = ZMQ_PULL, [CanRecv, CanMultipart];
    Push, PUSH = ZMQ_PUSH, [CanSend, CanMultipart];
    XPub, XPUB = ZMQ_XPUB, [CanSend, CanRecv, CanMultipart];
    XSub, XSUB = ZMQ_XSUB, [CanSend, CanRecv, CanMultipart];
    Stream, STREAM = ZMQ_STREAM, [CanSend, CanRecv, CanMultipart];
    #[cfg(feature = "draft")] Server, SERVER = ZMQ_SERVER, [CanRecv, CanRoute, ThreadSafe];
    #[cfg(feature = "draft")] Client, CLIENT = ZMQ_CLIENT, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Radio, RADIO = ZMQ_RADIO, [CanSendToGroup, ThreadSafe];
    #[cfg(feature = "draft")] Dish, DISH = ZMQ_DISH, [CanRecv, CanJoin, ThreadSafe];
    #[cfg(feature = "draft")] Gather, GATHER = ZMQ_GATHER, [CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Scatter, SCATTER = ZMQ_SCATTER, [CanSend, ThreadSafe];
    #[cfg(feature = "draft")] Dgram, DGRAM = ZMQ_DGRAM, [CanSend, CanRecv, CanMultipart];
    #[cfg(feature = "draft")] Peer, PEER = ZMQ_PEER, [CanRecv, CanRoute, CanConnectPeer, ThreadSafe];
    #[cfg(feature = "draft")] Channel, CHANNEL = ZMQ_CHANNEL, [CanSend, CanRecv, ThreadSafe];
}

impl SocketType {
    /// Whether the kind is one of the thread-safe draft kinds (SERVER, CLIENT, RADIO, DISH,
    /// GATHER, SCATTER, PEER, CHANNEL): their sockets may be shared between threads, and each
    /// of their messages is a single frame.
    pub const fn is_single_part(self) -> bool {
        #[cfg(feature = "draft")]
        {
            matches!(
                self,
                SocketType::Server
                    | SocketType::Client
                    | SocketType::Radio
                    | SocketType::Dish
                    | SocketType::Gather
                    | SocketType::Scatter
                    | SocketType::Peer
                    | SocketType::Channel
            )
        }
        #[cfg(not(feature = "draft"))]
        {
            let _ = self;
            false
        }
    }

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
impl CanMultipart for SocketType {}
impl CanJoin for SocketType {}
impl CanSendToGroup for SocketType {}
impl CanRoute for SocketType {}
impl CanConnectPeer for SocketType {}
impl CanPeerState for SocketType {}
impl CanSubscribe for SocketType {
    const BY_MESSAGE: bool = false;
}

impl CanSubscribe for Sub {
    const BY_MESSAGE: bool = false;
}
impl CanSubscribe for XSub {
    const BY_MESSAGE: bool = true;
}
