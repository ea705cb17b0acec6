//! [`Socket`]: a libzmq socket whose kind is part of its type.

#[cfg(feature = "draft")]
mod draft;
mod endpoint;
pub(crate) use endpoint::is_inproc;
mod kind;
mod multipart;
mod options;
mod send;

pub use kind::*;
pub use options::{Mechanism, OptionArg, OptionValue};
pub use send::{Flags, Received, Sendable, DONTWAIT, NOBLOCK, SNDMORE};

use crate::error::{cvt, cvt_p, Error, RecvError, Result, SendError};
use crate::ffi;
use crate::monitor::MonitorLink;
use crate::{Context, Message};
use std::cell::Cell;
use std::ffi::{c_int, c_void, CString};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A libzmq socket of kind `K` (`Socket<Pub>`, `Socket<Req>`, ... or `Socket<SocketType>` for a
/// kind chosen at run time), closed on drop.
///
/// Methods take `&self`; which ones exist depends on the kind: a `Socket<Pub>` has no `recv`, a
/// `Socket<Pull>` no `send`, only SUB and XSUB have `subscribe`. A socket is `Send` (it may move to
/// another thread) but not `Sync`: libzmq sockets must not be used from two threads at once. The
/// draft thread-safe kinds are `Sync`. The socket keeps its [`Context`] alive.
///
/// ```
/// let ctx = zmq::Context::new();
/// let rep = ctx.socket(zmq::REP)?;
/// rep.bind("inproc://doc-socket")?;
/// let req = ctx.socket(zmq::REQ)?;
/// req.connect("inproc://doc-socket")?;
/// req.send("Hello")?;
/// assert_eq!(rep.recv_string()?, "Hello");
/// rep.send("World")?;
/// assert_eq!(req.recv()?, "World");
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct Socket<K: SocketKind> {
    raw: *mut c_void,
    kind: K,
    ctx: Context,
    /// Shared with the socket's [`Monitor`](crate::Monitor)s, made by the first `monitor` call:
    /// lets a dropped monitor stop monitoring while the socket lives, and tells it when the
    /// socket is gone.
    monitor_link: OnceLock<Arc<MonitorLink>>,
    /// The inproc names connected to, each at most once (see [`endpoint::InprocConnects`]).
    inproc: endpoint::InprocConnects,
    // A classic libzmq socket must not be used from two threads at once: not Sync.
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: libzmq allows a socket to move between threads as long as a full memory barrier is
// crossed (zmq_socket(3)); moving a value to another thread in Rust goes through one.
unsafe impl<K: SocketKind> Send for Socket<K> {}
// SAFETY: the draft thread-safe kinds (ThreadSafe) may be used from several threads at once;
// libzmq serialises access inside the socket (zmq_socket(3), "thread safe").
unsafe impl<K: ThreadSafe> Sync for Socket<K> {}

impl<K: SocketKind> Socket<K> {
    pub(crate) fn new(ctx: &Context, kind: K) -> Result<Socket<K>> {
        let raw = ctx.with_live(|raw_ctx| {
            // SAFETY: `with_live` hands out the context only while it is not terminated.
            cvt_p(unsafe { ffi::zmq_socket(raw_ctx, kind.raw_type()) })
        })?;
        // SAFETY: `raw` is the live socket just created, owned by nobody else.
        let socket = unsafe { Socket::from_raw(ctx, raw, kind) };
        // libzmq's own default (infinite, or 0 when the context is not blocky) is what the
        // socket has now: only a different default needs a call.
        let linger = ctx.default_linger_ms();
        if linger != -1 {
            socket.set_option(ffi::ZMQ_LINGER, &linger)?;
        }
        Ok(socket)
    }

    /// The raw `void *` socket, for calling libzmq directly; valid while `self` is.
    #[inline]
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }

    /// Gives up ownership of the raw socket: the caller must `zmq_close` it. The context stays
    /// alive only as long as the caller keeps a clone of it. A [`Monitor`](crate::Monitor) of
    /// the socket keeps working; dropped, it then waits in the background for the socket's
    /// `MONITOR_STOPPED` instead of stopping the monitoring itself.
    pub fn into_raw(self) -> *mut c_void {
        let (raw, _, ctx, link, _) = self.into_parts();
        if let Some(link) = link.get() {
            link.detach();
        }
        drop(ctx);
        raw
    }

    /// Takes the socket apart without closing it.
    #[allow(clippy::type_complexity)]
    fn into_parts(
        self,
    ) -> (
        *mut c_void,
        K,
        Context,
        OnceLock<Arc<MonitorLink>>,
        endpoint::InprocConnects,
    ) {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so each field is moved out exactly once.
        unsafe {
            (
                this.raw,
                this.kind,
                std::ptr::read(&this.ctx),
                std::ptr::read(&this.monitor_link),
                std::ptr::read(&this.inproc),
            )
        }
    }

    /// The link a [`Monitor`](crate::Monitor) shares with this socket, made on first use.
    pub(crate) fn monitor_link(&self) -> &Arc<MonitorLink> {
        self.monitor_link
            .get_or_init(|| Arc::new(MonitorLink::new(self.raw)))
    }

    /// Takes ownership of a raw socket of kind `kind` created in `ctx`.
    ///
    /// # Safety
    /// `raw` must be a live socket of `ctx` whose libzmq type is `kind`, owned by nobody else.
    pub unsafe fn from_raw(ctx: &Context, raw: *mut c_void, kind: K) -> Socket<K> {
        Socket {
            raw,
            kind,
            ctx: ctx.clone(),
            monitor_link: OnceLock::new(),
            inproc: endpoint::InprocConnects::default(),
            _not_sync: PhantomData,
        }
    }

    /// The socket's kind value.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The socket's kind as a [`SocketType`].
    pub fn socket_type(&self) -> SocketType {
        self.kind.socket_type()
    }

    /// The context the socket belongs to.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Turns the socket into one whose kind is checked at run time (`Socket<SocketType>`).
    pub fn into_dynamic(self) -> Socket<SocketType> {
        let (raw, kind, ctx, monitor_link, inproc) = self.into_parts();
        Socket {
            raw,
            kind: kind.socket_type(),
            ctx,
            monitor_link,
            inproc,
            _not_sync: PhantomData,
        }
    }

    /// Closes the socket now (`zmq_close`), reporting libzmq's error if any. Dropping the socket
    /// does the same and ignores the error.
    #[doc(alias = "zmq_close")]
    pub fn close(mut self) -> Result<()> {
        if std::process::id() == self.ctx.creator_pid() {
            self.settle_before_close();
        }
        let (raw, _, ctx, link, _) = self.into_parts();
        if std::process::id() != ctx.creator_pid() {
            return Ok(());
        }
        // SAFETY: `raw` is this socket's pointer, taken apart above and closed exactly once.
        unsafe { close_raw(raw, link.get()) }
    }

    /// Calls one of libzmq's functions that take the socket and one string (`zmq_bind`,
    /// `zmq_connect`, `zmq_join`...): the one place that makes the C string.
    fn str_call(
        &self,
        text: &str,
        f: unsafe extern "C" fn(*mut c_void, *const std::ffi::c_char) -> c_int,
    ) -> Result<()> {
        let c = CString::new(text)?;
        // SAFETY: `raw` is a live socket and `c` a NUL-terminated string that outlives the call.
        cvt(unsafe { f(self.raw, c.as_ptr()) }).map(drop)
    }

    /// [`str_call`](Socket::str_call) for an endpoint: its ports checked first, and errors
    /// naming it.
    fn endpoint_call(
        &self,
        endpoint: &str,
        side: endpoint::Side,
        f: unsafe extern "C" fn(*mut c_void, *const std::ffi::c_char) -> c_int,
    ) -> Result<()> {
        if !endpoint::ports_are_valid(endpoint, side) {
            return Err(Error::from_errno(libc::EINVAL).with_endpoint(endpoint));
        }
        if let Err(errno) = endpoint::descriptor_available(endpoint, side) {
            return Err(Error::from_errno(errno).with_endpoint(endpoint));
        }
        self.str_call(endpoint, f)
            .map_err(|e| e.with_endpoint(endpoint))
    }

    /// Accepts connections on `endpoint` (`zmq_bind`): `"tcp://*:5555"`, `"tcp://127.0.0.1:*"`
    /// (a free port: see [`last_endpoint`](Socket::last_endpoint)), `"ipc:///tmp/x"`,
    /// `"inproc://name"`, ... Errors name the endpoint.
    ///
    /// The port of a `tcp`, `udp`, `ws`, `wss`, `pgm`, `epgm` or `norm` endpoint must be `*` or
    /// decimal digits that fit in a `u16`; anything else (`:99999`, `:-1`, `:5555abc`) is
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) (`EINVAL`) before libzmq sees it, which
    /// would otherwise wrap it silently (`:99999` listens on port 34463).
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, endpoint::Side::Bind, ffi::zmq_bind)
    }

    /// Connects to `endpoint` (`zmq_connect`); the connection is made in the background.
    ///
    /// Ports are checked as for [`bind`](Socket::bind), except that the port connected to must be
    /// a number (a source address, `"tcp://127.0.0.1:*;server:5555"`, may use `*`).
    ///
    /// A second `connect` to an `inproc://` name this socket is already connected to is
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) until it is
    /// [`disconnect`](Socket::disconnect)ed: it would only add a second pipe to the same peer,
    /// and libzmq 4.3 can crash terminating the context when that name was never bound
    /// (RELIABILITY.md, section 4).
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.inproc.connect(endpoint, || {
            self.endpoint_call(endpoint, endpoint::Side::Connect, ffi::zmq_connect)?;
            if endpoint::is_inproc(endpoint) && self.conflates() {
                self.ctx.note_conflate_inproc(endpoint);
            }
            Ok(())
        })
    }

    /// Whether `ZMQ_CONFLATE` is set (only asked for inproc connects and at close).
    fn conflates(&self) -> bool {
        self.get_option::<c_int>(ffi::ZMQ_CONFLATE)
            .is_ok_and(|v| v != 0)
    }

    /// Before closing: a conflating socket's inproc connects are settled first (see
    /// `Context::settle_conflate_inproc`: libzmq aborts on them otherwise).
    fn settle_before_close(&mut self) {
        let names = self.inproc.take();
        if !names.is_empty() && self.conflates() {
            self.ctx.settle_conflate_inproc(Some(&names));
        }
    }

    /// Stops accepting on `endpoint` (`zmq_unbind`); for a wildcard bind, pass the
    /// [`last_endpoint`](Socket::last_endpoint). Ports are checked as for
    /// [`bind`](Socket::bind), so an out-of-range alias never unbinds the port it wraps to.
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.endpoint_call(endpoint, endpoint::Side::Bind, ffi::zmq_unbind)
    }

    /// Disconnects from `endpoint` (`zmq_disconnect`). Ports are checked as for
    /// [`connect`](Socket::connect).
    #[doc(alias = "zmq_disconnect")]
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.inproc.disconnect(endpoint, || {
            self.endpoint_call(endpoint, endpoint::Side::Connect, ffi::zmq_disconnect)
        })
    }

    /// Binds to a port the OS picks (`addr` is e.g. `"tcp://127.0.0.1"` or `"tcp://*"`) and
    /// returns it, like pyzmq's `bind_to_random_port` with its default range.
    pub fn bind_to_random_port(&self, addr: &str) -> Result<u16> {
        self.bind(&format!("{addr}:*"))?;
        let endpoint = self.last_endpoint()?;
        endpoint
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or(Error::InvalidArgument("last endpoint has no port"))
    }

    /// Binds to a random port in `ports`, trying at most `max_tries` ports that are in use
    /// (pyzmq's `bind_to_random_port(addr, min_port, max_port, max_tries)`). Other errors stop
    /// at once.
    pub fn bind_to_random_port_in(
        &self,
        addr: &str,
        ports: Range<u16>,
        max_tries: usize,
    ) -> Result<u16> {
        if ports.is_empty() {
            return Err(Error::InvalidArgument("empty port range"));
        }
        let span = u64::from(ports.end - ports.start);
        // A small xorshift seeded from the clock and the socket address: no rand dependency.
        let mut state = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15)
            ^ (self.raw as u64).rotate_left(32)
            | 1;
        let mut last = Error::from_errno(libc::EADDRINUSE);
        for _ in 0..max_tries {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let port = ports.start + (state % span) as u16;
            match self.bind(&format!("{addr}:{port}")) {
                Ok(()) => return Ok(port),
                Err(e)
                    if matches!(e.kind(), crate::ErrorKind::AddrInUse)
                        || e.errno() == Some(libc::EACCES) =>
                {
                    last = e
                }
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }

    /// Sends one frame. Blocks until libzmq queues it (or `sndtimeo` expires: then the error is
    /// [`ErrorKind::Again`](crate::ErrorKind::Again)). Takes `&[u8]`, `&str`, `String`,
    /// `Vec<u8>`, `Message`, `&Message`, ...; an owned message that was not sent comes back in
    /// the [`SendError`].
    #[doc(alias = "zmq_send")]
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send<T: Sendable>(&self, data: T) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSend,
    {
        data.send_raw(send::RawSocket(self.raw), 0)
    }

    /// Sends one frame with more to follow (`ZMQ_SNDMORE`). The frames sent so far stay queued
    /// inside libzmq until a frame without `SNDMORE` ends the message: if a later frame fails
    /// (`EINTR`), the next send continues this message. [`send_multipart`](Socket::send_multipart)
    /// retries for you.
    #[inline]
    pub fn send_more<T: Sendable>(&self, data: T) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSend + CanMultipart,
    {
        data.send_raw(send::RawSocket(self.raw), ffi::ZMQ_SNDMORE)
    }

    /// Sends with flags ([`DONTWAIT`], [`SNDMORE`]), as pyzmq's `send(data, flags)`.
    ///
    /// On a thread-safe draft kind (single-part), [`SNDMORE`] is refused with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) and `data` comes back.
    #[inline]
    pub fn send_with<T: Sendable>(&self, data: T, flags: Flags) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSend,
    {
        if K::SINGLE_PART && flags.contains(SNDMORE) {
            return Err(SendError::new(single_part_error(), data.into_unsent()));
        }
        data.send_raw(send::RawSocket(self.raw), flags.bits())
    }

    /// One try at sending a frame kept by [`Sendable::into_pending`] (the async send's step);
    /// `flags` has no `SNDMORE`.
    #[cfg(feature = "tokio")]
    #[inline(always)]
    pub(crate) fn try_send_pending<T: Sendable>(
        &self,
        pending: &mut T::Pending,
        flags: Flags,
    ) -> Result<()>
    where
        K: CanSend,
    {
        T::try_send_pending(pending, send::RawSocket(self.raw), flags.bits())
    }

    /// Sends the content of `msg` and leaves `msg` empty, ready for reuse: the mirror of
    /// [`recv_msg`](Socket::recv_msg), and what C code does with one `zmq_msg_t`. An echo or
    /// forwarding loop can receive into and send from one `Message` with no allocation and no
    /// re-initialisation. On error `msg` keeps its content, so nothing is lost.
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_msg(&self, msg: &mut Message) -> Result<()>
    where
        K: CanSend,
    {
        self.send_msg_with(msg, Flags::empty())
    }

    /// [`send_msg`](Socket::send_msg) with flags ([`DONTWAIT`], [`SNDMORE`]; a single-part
    /// draft kind refuses `SNDMORE` as [`send_with`](Socket::send_with) does).
    #[doc(alias = "zmq_msg_send")]
    #[inline]
    pub fn send_msg_with(&self, msg: &mut Message, flags: Flags) -> Result<()>
    where
        K: CanSend,
    {
        if K::SINGLE_PART && flags.contains(SNDMORE) {
            return Err(single_part_error());
        }
        // SAFETY: `raw` is a live socket, used by this thread only (`Socket` is not `Sync`, or
        // libzmq serialises a thread-safe kind itself).
        unsafe { msg.send_on(self.raw, flags.bits()) }
    }

    /// Sends without blocking: if libzmq cannot queue the frame now, the error is
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) ([`SendError::is_again`]) and an owned
    /// message comes back in it.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let push = ctx.socket(zmq::PUSH)?; // no peer: nothing can be queued
    /// match push.try_send(zmq::Message::from("job")) {
    ///     Err(e) if e.is_again() => {
    ///         let msg = e.into_unsent(); // nothing is lost
    ///         assert_eq!(msg, "job");
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[inline]
    pub fn try_send<T: Sendable>(&self, data: T) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSend,
    {
        data.send_raw(send::RawSocket(self.raw), ffi::ZMQ_DONTWAIT)
    }

    /// Sends static data without copying it (`zmq_send_const`); `flags` as for
    /// [`send_with`](Socket::send_with).
    #[doc(alias = "zmq_send_const")]
    pub fn send_const(&self, data: &'static [u8], flags: Flags) -> Result<()>
    where
        K: CanSend,
    {
        // SAFETY: `raw` is a live socket; `data` lives for the whole program and libzmq only
        // reads it, so it may keep pointing at it after the call.
        cvt(unsafe {
            ffi::zmq_send_const(
                self.raw,
                data.as_ptr() as *const c_void,
                data.len(),
                flags.bits(),
            )
        })
        .map(drop)
    }

    /// Sends every item of `parts` as one multipart message; an owned part that is not sent comes
    /// back in the error, with the ones after it.
    ///
    /// If the first part cannot be sent (`EAGAIN` with [`DONTWAIT`] or `sndtimeo`, `EINTR`...),
    /// nothing was sent and every part comes back. Once libzmq has accepted the first part it
    /// accepts the rest (the high-water mark counts whole messages), so an `EINTR` on a later part
    /// is retried and never leaves half a message queued. What can still stop a message after its
    /// first part: `ETERM` (the context was terminated: the socket is dead), and `EAGAIN` when
    /// the connection under the message went away while it was being sent (a PAIR whose peer
    /// left, or a PUSH/DEALER with `sndtimeo` 0). libzmq has then dropped the parts it had
    /// accepted, so the returned rest is not worth sending on its own (retrying it would deliver
    /// a tail without its head to the next peer). In the PUSH/DEALER case libzmq also drops the
    /// frames sent next up to the end of a message: its own rule for a peer lost mid-message.
    ///
    /// Building a message by hand with [`send_more`](Socket::send_more) has no such protection:
    /// if a later frame fails there, libzmq holds the first frames and the next send continues
    /// that message.
    pub fn send_multipart<I, T>(&self, parts: I) -> Result<(), SendError<Vec<T::Unsent>>>
    where
        K: CanSend + CanMultipart,
        I: IntoIterator<Item = T>,
        T: Sendable,
    {
        self.send_multipart_with(parts, Flags::empty())
    }

    /// [`send_multipart`](Socket::send_multipart) with flags for the first part ([`DONTWAIT`]).
    pub fn send_multipart_with<I, T>(
        &self,
        parts: I,
        flags: Flags,
    ) -> Result<(), SendError<Vec<T::Unsent>>>
    where
        K: CanSend + CanMultipart,
        I: IntoIterator<Item = T>,
        T: Sendable,
    {
        multipart::send_message(parts, flags, |msg, f| {
            // SAFETY: `raw` is a live socket, used by this thread only.
            unsafe { msg.send_on(self.raw, f) }
        })
    }

    /// Receives one frame as a [`Message`], blocking (or until `rcvtimeo`: then
    /// [`ErrorKind::Again`](crate::ErrorKind::Again)).
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv(&self) -> Result<Message>
    where
        K: CanRecv,
    {
        let mut msg = Message::to_overwrite();
        self.recv_msg_with(&mut msg, Flags::empty())?;
        Ok(msg)
    }

    /// Receives one frame into `msg`, reusing it (its old content is released); returns the size.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg(&self, msg: &mut Message) -> Result<usize>
    where
        K: CanRecv,
    {
        self.recv_msg_with(msg, Flags::empty())
    }

    /// [`recv_msg`](Socket::recv_msg) with flags ([`DONTWAIT`]).
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv_msg_with(&self, msg: &mut Message, flags: Flags) -> Result<usize>
    where
        K: CanRecv,
    {
        // SAFETY: `raw` is a live socket, used by this thread only.
        unsafe { msg.recv_from(self.raw, flags.bits()) }
    }

    /// Receives with flags ([`DONTWAIT`]), as pyzmq's `recv(flags)`.
    #[inline]
    pub fn recv_with(&self, flags: Flags) -> Result<Message>
    where
        K: CanRecv,
    {
        let mut msg = Message::to_overwrite();
        self.recv_msg_with(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives without blocking: `Ok(None)` when no frame is waiting.
    #[inline]
    pub fn try_recv(&self) -> Result<Option<Message>>
    where
        K: CanRecv,
    {
        match self.recv_with(DONTWAIT) {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.is_again() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Receives one frame as bytes.
    pub fn recv_bytes(&self) -> Result<Vec<u8>>
    where
        K: CanRecv,
    {
        self.recv().map(|m| m.to_vec())
    }

    /// Receives one frame as a `String`. A frame that is not UTF-8 is not lost: the error, of
    /// kind [`ErrorKind::Utf8`](crate::ErrorKind::Utf8), carries the [`Message`] back
    /// ([`RecvError::into_received`]). `?` turns the error into an [`Error`].
    pub fn recv_string(&self) -> Result<String, RecvError<Message>>
    where
        K: CanRecv,
    {
        let msg = self.recv().map_err(|e| RecvError::new(e, None))?;
        match std::str::from_utf8(&msg) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(RecvError::new(Error::Utf8(e), Some(msg))),
        }
    }

    /// Receives a frame into `buf` (`zmq_recv`), reporting the frame's full size so truncation
    /// is never silent.
    #[doc(alias = "zmq_recv")]
    pub fn recv_into(&self, buf: &mut [u8]) -> Result<Received>
    where
        K: CanRecv,
    {
        self.recv_into_with(buf, Flags::empty())
    }

    /// [`recv_into`](Socket::recv_into) with flags ([`DONTWAIT`]).
    #[doc(alias = "zmq_recv")]
    pub fn recv_into_with(&self, buf: &mut [u8], flags: Flags) -> Result<Received>
    where
        K: CanRecv,
    {
        // SAFETY: `buf` is valid for writing `buf.len()` bytes; zmq_recv writes at most that many.
        let n = cvt(unsafe {
            ffi::zmq_recv(
                self.raw,
                buf.as_mut_ptr() as *mut c_void,
                buf.len(),
                flags.bits(),
            )
        })?;
        let size = n as usize;
        Ok(Received {
            len: size.min(buf.len()),
            size,
        })
    }

    /// Receives every frame of one multipart message.
    ///
    /// libzmq delivers a message whole, so once the first frame is in, the rest is already
    /// there: an `EINTR` on a later frame is retried rather than cutting the message in two. If
    /// a later frame fails otherwise (`ETERM` when the context is terminated), the error is
    /// returned and the rest of that message is never read as a new one (it is dropped; on
    /// `ETERM` the socket can receive nothing more anyway). The frames received before such an
    /// error are dropped with it: [`recv_multipart_into`](Socket::recv_multipart_into) keeps them.
    pub fn recv_multipart(&self) -> Result<Vec<Message>>
    where
        K: CanRecv + CanMultipart,
    {
        self.recv_multipart_with(Flags::empty())
    }

    /// [`recv_multipart`](Socket::recv_multipart) with flags for the first frame ([`DONTWAIT`]);
    /// the rest are already there (libzmq delivers multipart messages whole).
    pub fn recv_multipart_with(&self, flags: Flags) -> Result<Vec<Message>>
    where
        K: CanRecv + CanMultipart,
    {
        let mut parts = Vec::with_capacity(4);
        self.recv_multipart_into(&mut parts, flags)?;
        Ok(parts)
    }

    /// Receives every frame of one multipart message and appends them to `parts` (which may be
    /// reused from message to message, so its allocation is too); returns how many were added.
    /// `flags` apply to the first frame ([`DONTWAIT`]).
    ///
    /// On an error after the first frame (see [`recv_multipart`](Socket::recv_multipart)) the
    /// frames received so far stay in `parts`, so nothing received is lost.
    #[doc(alias = "zmq_msg_recv")]
    pub fn recv_multipart_into(&self, parts: &mut Vec<Message>, flags: Flags) -> Result<usize>
    where
        K: CanRecv + CanMultipart,
    {
        let before = parts.len();
        multipart::recv_message(parts, flags, |msg, f| {
            self.recv_msg_with(msg, f)?;
            Ok(msg.more())
        })?;
        Ok(parts.len() - before)
    }

    /// Whether the last frame received has more frames after it (`ZMQ_RCVMORE`).
    pub fn get_rcvmore(&self) -> Result<bool>
    where
        K: CanRecv,
    {
        self.rcvmore()
    }

    /// Subscribes to messages starting with `prefix` (`""` for all). On SUB this sets
    /// `ZMQ_SUBSCRIBE`; on XSUB it sends the subscription message (`\x01` + prefix).
    pub fn subscribe<B: AsRef<[u8]> + ?Sized>(&self, prefix: &B) -> Result<()>
    where
        K: CanSubscribe,
    {
        self.subscription(1, ffi::ZMQ_SUBSCRIBE, prefix.as_ref())
    }

    /// Removes a subscription made with [`subscribe`](Socket::subscribe).
    pub fn unsubscribe<B: AsRef<[u8]> + ?Sized>(&self, prefix: &B) -> Result<()>
    where
        K: CanSubscribe,
    {
        self.subscription(0, ffi::ZMQ_UNSUBSCRIBE, prefix.as_ref())
    }

    fn subscription(&self, marker: u8, option: c_int, prefix: &[u8]) -> Result<()>
    where
        K: CanSubscribe,
    {
        if K::BY_MESSAGE {
            let mut frame = Vec::with_capacity(prefix.len() + 1);
            frame.push(marker);
            frame.extend_from_slice(prefix);
            // SAFETY: `frame` is valid for reading `frame.len()` bytes during the call.
            cvt(unsafe { ffi::zmq_send(self.raw, frame.as_ptr() as *const c_void, frame.len(), 0) })
                .map(drop)
        } else {
            self.set_raw_bytes(option, prefix)
        }
    }
}

impl<K: SocketKind> Drop for Socket<K> {
    fn drop(&mut self) {
        // A forked child shares the parent's descriptors but not its I/O threads: leave it be.
        if std::process::id() != self.ctx.creator_pid() {
            return;
        }
        self.settle_before_close();
        // SAFETY: `raw` is a live socket owned by this value and closed only here.
        let _ = unsafe { close_raw(self.raw, self.monitor_link.get()) };
    }
}

/// The error for `SNDMORE` on a single-part (thread-safe draft) kind.
#[cold]
fn single_part_error() -> Error {
    Error::InvalidArgument("a thread-safe draft socket sends single-part messages only: no SNDMORE")
}

/// Closes a socket (`zmq_close`) after telling its monitors it is gone, so none of them calls
/// into it afterwards.
///
/// # Safety
/// `raw` must be a live socket owned by the caller, closed by nobody else.
unsafe fn close_raw(raw: *mut c_void, link: Option<&Arc<MonitorLink>>) -> Result<()> {
    if let Some(link) = link {
        link.detach();
    }
    // SAFETY: the caller owns the live socket; no monitor uses the pointer after `detach`.
    cvt(unsafe { ffi::zmq_close(raw) }).map(drop)
}

impl<K: SocketKind> fmt::Debug for Socket<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.kind.socket_type())
            .field("raw", &self.raw)
            .finish()
    }
}
