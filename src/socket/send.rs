//! What can be sent ([`Sendable`]), send/receive flags, and [`Received`].

use crate::error::{cvt, Error, Result, SendError};
use crate::ffi;
use crate::Message;
use std::ffi::{c_int, c_void};

crate::flags::bit_flags! {
    /// Send and receive flags, for pyzmq-style calls: [`DONTWAIT`] (alias [`NOBLOCK`]) and
    /// [`SNDMORE`], combined with `|`.
    pub struct Flags(c_int);
    /// `ZMQ_DONTWAIT`: fail with `EAGAIN` instead of blocking.
    const DONTWAIT = ffi::ZMQ_DONTWAIT;
    /// `ZMQ_SNDMORE`: more frames of this message follow.
    const SNDMORE = ffi::ZMQ_SNDMORE;
}

impl Default for Flags {
    fn default() -> Flags {
        Flags::empty()
    }
}

/// `ZMQ_DONTWAIT`: fail with `EAGAIN` instead of blocking.
pub const DONTWAIT: Flags = Flags::DONTWAIT;
/// `ZMQ_NOBLOCK`, pyzmq's old name for [`DONTWAIT`].
pub const NOBLOCK: Flags = Flags::DONTWAIT;
/// `ZMQ_SNDMORE`: more frames of this message follow.
pub const SNDMORE: Flags = Flags::SNDMORE;

/// What [`Socket::recv_into`](crate::Socket::recv_into) received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes written into the buffer.
    pub len: usize,
    /// The frame's full size: larger than `len` when the frame was cut.
    pub size: usize,
}

impl Received {
    /// Whether the frame did not fit and was cut to the buffer's length.
    pub fn truncated(&self) -> bool {
        self.size > self.len
    }
}

/// A socket pointer that only this crate can make, so `Sendable` can't be called with a bogus one.
#[derive(Clone, Copy)]
pub struct RawSocket(pub(crate) *mut c_void);

mod private {
    pub trait Sealed {}
}

/// Something a socket can send: borrowed bytes (`&[u8]`, `&str`, `&Vec<u8>`, `&[u8; N]`,
/// `&String`: copied, nothing to give back), owned buffers (`Vec<u8>`, `String`, `Box<[u8]>`,
/// `Message`, `bytes::Bytes` with the `bytes` feature: handed over, and given back as a
/// [`Message`] if the send fails), and `&Message` (sends a shared copy, so a message can be sent
/// many times).
pub trait Sendable: Sized + private::Sealed {
    /// What a failed send gives back: `()` for borrowed data, the [`Message`] for owned data.
    type Unsent;
    #[doc(hidden)]
    fn send_raw(self, socket: RawSocket, flags: c_int) -> Result<(), SendError<Self::Unsent>>;
    #[doc(hidden)]
    fn into_unsent(self) -> Self::Unsent;
    /// The frame as a message (a copy for borrowed data), for the multipart loop.
    #[doc(hidden)]
    fn into_message(self) -> Message;
    /// What to give back when `msg`, made by [`Sendable::into_message`], was not sent.
    #[doc(hidden)]
    fn unsent_from(msg: Message) -> Self::Unsent;
    /// The frame while its send may be tried again (an async send that would block): borrowed
    /// bytes stay borrowed (each try is one `zmq_send`, no message is built in advance), owned
    /// data becomes a [`Message`] once.
    #[doc(hidden)]
    type Pending: Unpin;
    #[doc(hidden)]
    fn into_pending(self) -> Self::Pending;
    /// One try at sending `pending`; after `Ok` it is spent and must not be tried again.
    #[doc(hidden)]
    fn try_send_pending(pending: &mut Self::Pending, socket: RawSocket, flags: c_int)
        -> Result<()>;
    /// What to give back when `pending` was not sent.
    #[doc(hidden)]
    fn pending_unsent(pending: Self::Pending) -> Self::Unsent;
}

/// One try at sending an owned frame kept as `Some(message)`: on success the message is taken
/// (libzmq left it empty, and an empty message needs no close).
#[inline(always)]
fn try_send_owned(pending: &mut Option<Message>, socket: RawSocket, flags: c_int) -> Result<()> {
    let msg = pending
        .as_mut()
        .ok_or(Error::InvalidArgument("a pending frame was sent twice"))?;
    // SAFETY: `socket` is a live socket (only `Socket` makes a `RawSocket`) and the caller holds
    // its exclusive use for the call.
    unsafe { msg.send_on(socket.0, flags) }?;
    std::mem::forget(pending.take());
    Ok(())
}

/// What an owned frame kept as `Some(message)` gives back when it was not sent.
fn owned_unsent(pending: Option<Message>) -> Message {
    pending.unwrap_or_default()
}

/// Sends a copy of `data` with `zmq_send`, which builds the message inside libzmq
/// (`zmq_msg_init_size` + copy + send). Building it on the Rust side instead (init_size, data,
/// copy, `zmq_msg_send`) was measured too: with the vendored libzmq built with
/// `-fno-semantic-interposition` it costs 12 instructions more per 1-byte send (895 against 883
/// for the sending process under callgrind), because libzmq then inlines its own steps.
#[inline(always)]
fn send_bytes(socket: RawSocket, data: &[u8], flags: c_int) -> Result<(), SendError<()>> {
    // SAFETY: `socket` is a live socket (only Socket makes RawSocket); `data` is valid for reading
    // for the call and libzmq copies it before returning.
    match cvt(unsafe { ffi::zmq_send(socket.0, data.as_ptr() as *const c_void, data.len(), flags) })
    {
        Ok(_) => Ok(()),
        Err(e) => Err(SendError::new(e, ())),
    }
}

macro_rules! borrowed_sendable {
    ($( [$($gen:tt)*] $ty:ty ),* $(,)?) => {$(
        impl<$($gen)*> private::Sealed for $ty {}
        impl<$($gen)*> Sendable for $ty {
            type Unsent = ();
            #[inline(always)]
            fn send_raw(self, socket: RawSocket, flags: c_int) -> Result<(), SendError<()>> {
                let bytes: &[u8] = self.as_ref();
                send_bytes(socket, bytes, flags)
            }
            fn into_unsent(self) {}
            fn into_message(self) -> Message {
                let bytes: &[u8] = self.as_ref();
                Message::from_slice(bytes)
            }
            fn unsent_from(_: Message) {}
            type Pending = &'a [u8];
            #[inline(always)]
            fn into_pending(self) -> &'a [u8] {
                self.as_ref()
            }
            #[inline(always)]
            fn try_send_pending(pending: &mut &'a [u8], socket: RawSocket, flags: c_int) -> Result<()> {
                send_bytes(socket, pending, flags).map_err(|e| e.into_parts().0)
            }
            fn pending_unsent(_: &'a [u8]) {}
        }
    )*};
}

borrowed_sendable! {
    ['a] &'a [u8],
    ['a] &'a str,
    ['a] &'a String,
    ['a] &'a Vec<u8>,
    ['a] &'a Box<[u8]>,
    ['a, const N: usize] &'a [u8; N],
}

impl private::Sealed for Message {}
impl Sendable for Message {
    type Unsent = Message;
    #[inline(always)]
    fn send_raw(self, socket: RawSocket, flags: c_int) -> Result<(), SendError<Message>> {
        // SAFETY: `socket` is a live socket (only `Socket` makes a `RawSocket`), used by this
        // thread only.
        unsafe { self.send_owned(socket.0, flags) }
    }
    fn into_unsent(self) -> Message {
        self
    }
    fn into_message(self) -> Message {
        self
    }
    fn unsent_from(msg: Message) -> Message {
        msg
    }
    type Pending = Option<Message>;
    #[inline(always)]
    fn into_pending(self) -> Option<Message> {
        Some(self)
    }
    #[inline(always)]
    fn try_send_pending(
        pending: &mut Option<Message>,
        socket: RawSocket,
        flags: c_int,
    ) -> Result<()> {
        try_send_owned(pending, socket, flags)
    }
    fn pending_unsent(pending: Option<Message>) -> Message {
        owned_unsent(pending)
    }
}

impl private::Sealed for &Message {}
impl<'a> Sendable for &'a Message {
    type Unsent = ();
    #[inline]
    fn send_raw(self, socket: RawSocket, flags: c_int) -> Result<(), SendError<()>> {
        self.clone()
            .send_raw(socket, flags)
            .map_err(|e| SendError::new(e.into_parts().0, ()))
    }
    fn into_unsent(self) {}
    fn into_message(self) -> Message {
        self.clone()
    }
    fn unsent_from(_: Message) {}
    type Pending = &'a Message;
    fn into_pending(self) -> &'a Message {
        self
    }
    #[inline]
    fn try_send_pending(pending: &mut &'a Message, socket: RawSocket, flags: c_int) -> Result<()> {
        pending
            .send_raw(socket, flags)
            .map_err(|e| e.into_parts().0)
    }
    fn pending_unsent(_: &'a Message) {}
}

macro_rules! owned_sendable {
    ($( $ty:ty ),* $(,)?) => {$(
        impl private::Sealed for $ty {}
        impl Sendable for $ty {
            type Unsent = Message;
            #[inline]
            fn send_raw(self, socket: RawSocket, flags: c_int) -> Result<(), SendError<Message>> {
                Message::from(self).send_raw(socket, flags)
            }
            fn into_unsent(self) -> Message {
                Message::from(self)
            }
            fn into_message(self) -> Message {
                Message::from(self)
            }
            fn unsent_from(msg: Message) -> Message {
                msg
            }
            type Pending = Option<Message>;
            #[inline(always)]
            fn into_pending(self) -> Option<Message> {
                Some(Message::from(self))
            }
            #[inline(always)]
            fn try_send_pending(
                pending: &mut Option<Message>,
                socket: RawSocket,
                flags: c_int,
            ) -> Result<()> {
                try_send_owned(pending, socket, flags)
            }
            fn pending_unsent(pending: Option<Message>) -> Message {
                owned_unsent(pending)
            }
        }
    )*};
}

owned_sendable!(Vec<u8>, String, Box<[u8]>);
#[cfg(feature = "bytes")]
owned_sendable!(bytes::Bytes);
