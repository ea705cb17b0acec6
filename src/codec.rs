//! Serialized messages (feature `serde`): pyzmq's `send_json` / `recv_json`, and
//! `send_serialized` / `recv_serialized` with a [`Codec`] so any serde format plugs in the same
//! way.
//!
//! Each value travels as one frame. A frame that does not decode is never lost and never a
//! panic: the error is an [`Error`] of kind [`ErrorKind::Malformed`](crate::ErrorKind::Malformed)
//! and the [`RecvError`] hands the frame back, as [`Socket::recv_string`] does for bad UTF-8.
//!
//! ```
//! use std::collections::BTreeMap;
//!
//! let ctx = zmq::Context::new();
//! let push = ctx.socket(zmq::PUSH)?;
//! push.bind("inproc://doc-codec")?;
//! let pull = ctx.socket(zmq::PULL)?;
//! pull.connect("inproc://doc-codec")?;
//!
//! let mut reading = BTreeMap::new();
//! reading.insert("zipcode", 10001);
//! reading.insert("temperature", 21);
//! push.send_json(&reading)?;                                  // pyzmq: push.send_json(reading)
//! let back: BTreeMap<String, i32> = pull.recv_json()?;        // pyzmq: pull.recv_json()
//! assert_eq!(back["temperature"], 21);
//!
//! push.send("not JSON")?;
//! let e = pull.recv_json::<BTreeMap<String, i32>>().unwrap_err();
//! assert_eq!(e.kind(), zmq::ErrorKind::Malformed);
//! assert_eq!(e.into_received().unwrap(), "not JSON");        // the frame comes back
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Another format is a [`Codec`]: two generic functions, and every socket method below works
//! with it ([`Socket::send_serialized`], [`Socket::recv_serialized`]). For messages with an
//! envelope (ROUTER, DEALER), [`encode`] and [`decode`] turn a value into one frame and back, to
//! use with [`Socket::send_multipart`] and [`Socket::recv_multipart`].

use crate::error::{Error, RecvError, Result};
use crate::socket::{CanRecv, CanSend, Flags, Socket, SocketKind};
use crate::Message;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// A serialization format for one frame: how a value becomes bytes and back.
///
/// [`Json`] is the one this crate ships (pyzmq's `send_json`); any serde format plugs in the
/// same way, e.g. a binary one (pyzmq's `send_pyobj` sends pickles; a Rust program would send
/// bincode, CBOR or MessagePack):
///
/// ```
/// use serde::{de::DeserializeOwned, Serialize};
///
/// /// JSON with a version tag in front, refusing frames of another version.
/// struct TaggedJson;
///
/// impl zmq::Codec for TaggedJson {
///     type Error = String;
///     fn name(&self) -> &str {
///         "tagged JSON"
///     }
///     fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, String> {
///         let mut out = b"v1 ".to_vec();
///         serde_json::to_writer(&mut out, value).map_err(|e| e.to_string())?;
///         Ok(out)
///     }
///     fn decode<T: DeserializeOwned>(&self, frame: &[u8]) -> Result<T, String> {
///         let body = frame.strip_prefix(b"v1 ").ok_or("not a v1 frame")?;
///         serde_json::from_slice(body).map_err(|e| e.to_string())
///     }
/// }
///
/// let ctx = zmq::Context::new();
/// let a = ctx.socket(zmq::PAIR)?;
/// a.bind("inproc://doc-tagged")?;
/// let b = ctx.socket(zmq::PAIR)?;
/// b.connect("inproc://doc-tagged")?;
/// a.send_serialized(&TaggedJson, &(1, "one"))?;
/// let (n, word): (u32, String) = b.recv_serialized(&TaggedJson)?;
/// assert_eq!((n, word.as_str()), (1, "one"));
/// # Ok::<(), zmq::Error>(())
/// ```
pub trait Codec {
    /// The format's own error; it becomes the text of an
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error.
    type Error: fmt::Display;

    /// The format's name, for error messages ("JSON").
    fn name(&self) -> &str;

    /// Encodes `value` as the bytes of one frame.
    fn encode<T: Serialize + ?Sized>(&self, value: &T)
        -> std::result::Result<Vec<u8>, Self::Error>;

    /// Decodes one frame.
    fn decode<T: DeserializeOwned>(&self, frame: &[u8]) -> std::result::Result<T, Self::Error>;
}

/// JSON as UTF-8 text (`serde_json`), the format of pyzmq's `send_json` / `recv_json`: each
/// side reads what the other sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Json;

impl Codec for Json {
    type Error = serde_json::Error;

    fn name(&self) -> &str {
        "JSON"
    }

    fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> std::result::Result<Vec<u8>, Self::Error> {
        serde_json::to_vec(value)
    }

    fn decode<T: DeserializeOwned>(&self, frame: &[u8]) -> std::result::Result<T, Self::Error> {
        serde_json::from_slice(frame)
    }
}

/// Encodes `value` into one frame with `codec`. A value the format cannot represent (a JSON map
/// whose keys are not strings, a `Serialize` impl that fails) is an
/// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error.
///
/// With [`Socket::send_multipart`], for messages with an envelope:
///
/// ```
/// let ctx = zmq::Context::new();
/// let router = ctx.socket(zmq::ROUTER)?;
/// router.bind("inproc://doc-encode")?;
/// let dealer = ctx.socket(zmq::DEALER)?;
/// dealer.set_routing_id("client-1")?;
/// dealer.connect("inproc://doc-encode")?;
///
/// dealer.send_json(&["ping", "1"])?;
/// let parts = router.recv_multipart()?;                      // [routing id, body]
/// let body: Vec<String> = zmq::codec::decode(&zmq::Json, &parts[1])?;
/// let reply = zmq::codec::encode(&zmq::Json, &[body[0].replace("ping", "pong")])?;
/// router.send_multipart([parts[0].clone(), reply])?;
/// assert_eq!(dealer.recv_json::<Vec<String>>()?, ["pong"]);
/// # Ok::<(), zmq::Error>(())
/// ```
pub fn encode<C: Codec, T: Serialize + ?Sized>(codec: &C, value: &T) -> Result<Message> {
    codec
        .encode(value)
        .map(Message::from)
        .map_err(|e| Error::Malformed(format!("cannot encode as {}: {e}", codec.name()).into()))
}

/// Decodes one frame with `codec`. A frame that does not decode into a `T` is an
/// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error that names the format.
pub fn decode<C: Codec, T: DeserializeOwned>(codec: &C, frame: &[u8]) -> Result<T> {
    codec
        .decode(frame)
        .map_err(|e| Error::Malformed(format!("cannot decode {}: {e}", codec.name()).into()))
}

/// Decodes `msg`, handing it back in the error when it does not decode.
fn decode_message<C: Codec, T: DeserializeOwned>(
    codec: &C,
    msg: Message,
) -> Result<T, RecvError<Message>> {
    match decode(codec, &msg) {
        Ok(value) => Ok(value),
        Err(e) => Err(RecvError::new(e, Some(msg))),
    }
}

impl<K: SocketKind> Socket<K> {
    /// Sends `value` as one JSON frame (pyzmq's `send_json`). A value JSON cannot represent is
    /// an [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error and nothing is sent; the
    /// value is borrowed, so after a failed send (`Again`...) it can simply be sent again.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()>
    where
        K: CanSend,
    {
        self.send_serialized_with(&Json, value, Flags::empty())
    }

    /// [`send_json`](Socket::send_json) with flags ([`DONTWAIT`](crate::DONTWAIT),
    /// [`SNDMORE`](crate::SNDMORE)), as pyzmq's `send_json(obj, flags)`.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_json_with<T: Serialize + ?Sized>(&self, value: &T, flags: Flags) -> Result<()>
    where
        K: CanSend,
    {
        self.send_serialized_with(&Json, value, flags)
    }

    /// Receives one frame and decodes it from JSON (pyzmq's `recv_json`). A frame that is not
    /// JSON, or not a `T`, is not lost: the error, of kind
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed), carries it back
    /// ([`RecvError::into_received`]). `?` turns the error into an [`Error`].
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_json<T: DeserializeOwned>(&self) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
    {
        self.recv_serialized_with(&Json, Flags::empty())
    }

    /// [`recv_json`](Socket::recv_json) with flags ([`DONTWAIT`](crate::DONTWAIT)).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_json_with<T: DeserializeOwned>(&self, flags: Flags) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
    {
        self.recv_serialized_with(&Json, flags)
    }

    /// Sends `value` as one frame encoded with `codec` (pyzmq's `send_serialized`, with a
    /// [`Codec`] in place of a function).
    #[doc(alias = "zmq_msg_send")]
    pub fn send_serialized<C, T>(&self, codec: &C, value: &T) -> Result<()>
    where
        K: CanSend,
        C: Codec,
        T: Serialize + ?Sized,
    {
        self.send_serialized_with(codec, value, Flags::empty())
    }

    /// [`send_serialized`](Socket::send_serialized) with flags.
    #[doc(alias = "zmq_msg_send")]
    pub fn send_serialized_with<C, T>(&self, codec: &C, value: &T, flags: Flags) -> Result<()>
    where
        K: CanSend,
        C: Codec,
        T: Serialize + ?Sized,
    {
        let msg = encode(codec, value)?;
        self.send_with(msg, flags).map_err(Error::from)
    }

    /// Receives one frame and decodes it with `codec` (pyzmq's `recv_serialized`). A frame that
    /// does not decode comes back in the error, as with [`recv_json`](Socket::recv_json).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_serialized<C, T>(&self, codec: &C) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
        C: Codec,
        T: DeserializeOwned,
    {
        self.recv_serialized_with(codec, Flags::empty())
    }

    /// [`recv_serialized`](Socket::recv_serialized) with flags ([`DONTWAIT`](crate::DONTWAIT)).
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_serialized_with<C, T>(
        &self,
        codec: &C,
        flags: Flags,
    ) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
        C: Codec,
        T: DeserializeOwned,
    {
        let msg = self.recv_with(flags).map_err(|e| RecvError::new(e, None))?;
        decode_message(codec, msg)
    }
}

#[cfg(all(feature = "tokio", unix))]
impl<K: SocketKind> crate::AsyncSocket<K> {
    /// Sends `value` as one JSON frame (`await socket.send_json(obj)` in `zmq.asyncio`).
    ///
    /// **Cancel safety:** as [`send`](crate::AsyncSocket::send): a dropped future sent nothing.
    #[doc(alias = "zmq_msg_send")]
    pub async fn send_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()>
    where
        K: CanSend,
    {
        self.send_serialized(&Json, value).await
    }

    /// Receives one frame and decodes it from JSON; a frame that does not decode comes back in
    /// the error, as with the blocking [`Socket::recv_json`].
    ///
    /// **Cancel safety:** as [`recv`](crate::AsyncSocket::recv): a dropped future received nothing.
    #[doc(alias = "zmq_msg_recv")]
    pub async fn recv_json<T: DeserializeOwned>(&self) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
    {
        self.recv_serialized(&Json).await
    }

    /// Sends `value` as one frame encoded with `codec`.
    #[doc(alias = "zmq_msg_send")]
    pub async fn send_serialized<C, T>(&self, codec: &C, value: &T) -> Result<()>
    where
        K: CanSend,
        C: Codec,
        T: Serialize + ?Sized,
    {
        let msg = encode(codec, value)?;
        self.send(msg).await.map_err(Error::from)
    }

    /// Receives one frame and decodes it with `codec`; a frame that does not decode comes back
    /// in the error.
    #[doc(alias = "zmq_msg_recv")]
    pub async fn recv_serialized<C, T>(&self, codec: &C) -> Result<T, RecvError<Message>>
    where
        K: CanRecv,
        C: Codec,
        T: DeserializeOwned,
    {
        let msg = self.recv().await.map_err(|e| RecvError::new(e, None))?;
        decode_message(codec, msg)
    }
}
