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

/// A socket kind chosen at run time: every method is available, and libzmq answers `ENOTSUP`
/// or `EFSM` when one does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
#[non_exhaustive]
pub enum SocketType {
    /// `ZMQ_PAIR`
    Pair = ffi::ZMQ_PAIR,
    /// `ZMQ_PUB`
    Pub = ffi::ZMQ_PUB,
    /// `ZMQ_SUB`
    Sub = ffi::ZMQ_SUB,
    /// `ZMQ_REQ`
    Req = ffi::ZMQ_REQ,
    /// `ZMQ_REP`
    Rep = ffi::ZMQ_REP,
    /// `ZMQ_DEALER`
    Dealer = ffi::ZMQ_DEALER,
    /// `ZMQ_ROUTER`
    Router = ffi::ZMQ_ROUTER,
    /// `ZMQ_PULL`
    Pull = ffi::ZMQ_PULL,
    /// `ZMQ_PUSH`
    Push = ffi::ZMQ_PUSH,
    /// `ZMQ_XPUB`
    XPub = ffi::ZMQ_XPUB,
    /// `ZMQ_XSUB`
    XSub = ffi::ZMQ_XSUB,
    /// `ZMQ_STREAM`
    Stream = ffi::ZMQ_STREAM,
    /// `ZMQ_SERVER` (draft)
    #[cfg(feature = "draft")]
    Server = ffi::ZMQ_SERVER,
    /// `ZMQ_CLIENT` (draft)
    #[cfg(feature = "draft")]
    Client = ffi::ZMQ_CLIENT,
    /// `ZMQ_RADIO` (draft)
    #[cfg(feature = "draft")]
    Radio = ffi::ZMQ_RADIO,
    /// `ZMQ_DISH` (draft)
    #[cfg(feature = "draft")]
    Dish = ffi::ZMQ_DISH,
    /// `ZMQ_GATHER` (draft)
    #[cfg(feature = "draft")]
    Gather = ffi::ZMQ_GATHER,
    /// `ZMQ_SCATTER` (draft)
    #[cfg(feature = "draft")]
    Scatter = ffi::ZMQ_SCATTER,
    /// `ZMQ_DGRAM` (draft)
    #[cfg(feature = "draft")]
    Dgram = ffi::ZMQ_DGRAM,
    /// `ZMQ_PEER` (draft)
    #[cfg(feature = "draft")]
    Peer = ffi::ZMQ_PEER,
    /// `ZMQ_CHANNEL` (draft)
    #[cfg(feature = "draft")]
    Channel = ffi::ZMQ_CHANNEL,
}

impl SocketType {
    /// Every kind this build knows.
    pub const ALL: &'static [SocketType] = &[
        SocketType::Pair,
        SocketType::Pub,
        SocketType::Sub,
        SocketType::Req,
        SocketType::Rep,
        SocketType::Dealer,
        SocketType::Router,
        SocketType::Pull,
        SocketType::Push,
        SocketType::XPub,
        SocketType::XSub,
        SocketType::Stream,
        #[cfg(feature = "draft")]
        SocketType::Server,
        #[cfg(feature = "draft")]
        SocketType::Client,
        #[cfg(feature = "draft")]
        SocketType::Radio,
        #[cfg(feature = "draft")]
        SocketType::Dish,
        #[cfg(feature = "draft")]
        SocketType::Gather,
        #[cfg(feature = "draft")]
        SocketType::Scatter,
        #[cfg(feature = "draft")]
        SocketType::Dgram,
        #[cfg(feature = "draft")]
        SocketType::Peer,
        #[cfg(feature = "draft")]
        SocketType::Channel,
    ];

    /// The kind for libzmq's number, if this build knows it.
    pub fn from_raw(raw: c_int) -> Option<SocketType> {
        SocketType::ALL.iter().copied().find(|t| *t as c_int == raw)
    }

    /// libzmq's name for the kind, as in the `Socket-Type` metadata (`"PUB"`, `"XSUB"`...).
    pub fn name(self) -> &'static str {
        match self {
            SocketType::Pair => "PAIR",
            SocketType::Pub => "PUB",
            SocketType::Sub => "SUB",
            SocketType::Req => "REQ",
            SocketType::Rep => "REP",
            SocketType::Dealer => "DEALER",
            SocketType::Router => "ROUTER",
            SocketType::Pull => "PULL",
            SocketType::Push => "PUSH",
            SocketType::XPub => "XPUB",
            SocketType::XSub => "XSUB",
            SocketType::Stream => "STREAM",
            #[cfg(feature = "draft")]
            SocketType::Server => "SERVER",
            #[cfg(feature = "draft")]
            SocketType::Client => "CLIENT",
            #[cfg(feature = "draft")]
            SocketType::Radio => "RADIO",
            #[cfg(feature = "draft")]
            SocketType::Dish => "DISH",
            #[cfg(feature = "draft")]
            SocketType::Gather => "GATHER",
            #[cfg(feature = "draft")]
            SocketType::Scatter => "SCATTER",
            #[cfg(feature = "draft")]
            SocketType::Dgram => "DGRAM",
            #[cfg(feature = "draft")]
            SocketType::Peer => "PEER",
            #[cfg(feature = "draft")]
            SocketType::Channel => "CHANNEL",
        }
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

macro_rules! kinds {
    ($( $(#[$cfg:meta])* $ty:ident, $konst:ident, $variant:ident, [$($cap:ident),*]; )*) => {$(
        $(#[$cfg])*
        #[doc = concat!("The `ZMQ_", stringify!($konst), "` socket kind; [`", stringify!($konst), "`] is its value.")]
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
                SocketType::$variant as c_int
            }
            #[inline(always)]
            fn socket_type(&self) -> SocketType {
                SocketType::$variant
            }
        }
        $(#[$cfg])*
        const _: () = { $( impl $cap for $ty {} )* };
    )*};
}

kinds! {
    Pair, PAIR, Pair, [CanSend, CanRecv];
    Pub, PUB, Pub, [CanSend];
    Sub, SUB, Sub, [CanRecv];
    Req, REQ, Req, [CanSend, CanRecv];
    Rep, REP, Rep, [CanSend, CanRecv];
    Dealer, DEALER, Dealer, [CanSend, CanRecv];
    Router, ROUTER, Router, [CanSend, CanRecv];
    Pull, PULL, Pull, [CanRecv];
    Push, PUSH, Push, [CanSend];
    XPub, XPUB, XPub, [CanSend, CanRecv];
    XSub, XSUB, XSub, [CanSend, CanRecv];
    Stream, STREAM, Stream, [CanSend, CanRecv];
    #[cfg(feature = "draft")] Server, SERVER, Server, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Client, CLIENT, Client, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Radio, RADIO, Radio, [CanSend, ThreadSafe];
    #[cfg(feature = "draft")] Dish, DISH, Dish, [CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Gather, GATHER, Gather, [CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Scatter, SCATTER, Scatter, [CanSend, ThreadSafe];
    #[cfg(feature = "draft")] Dgram, DGRAM, Dgram, [CanSend, CanRecv];
    #[cfg(feature = "draft")] Peer, PEER, Peer, [CanSend, CanRecv, ThreadSafe];
    #[cfg(feature = "draft")] Channel, CHANNEL, Channel, [CanSend, CanRecv, ThreadSafe];
}

impl CanSubscribe for Sub {
    const BY_MESSAGE: bool = false;
}
impl CanSubscribe for XSub {
    const BY_MESSAGE: bool = true;
}
