//! [`Context`]: the libzmq context that owns I/O threads and sockets.

use crate::error::{cvt, cvt_p, Error, Result};
use crate::ffi;
use crate::socket::{Socket, SocketKind};
use std::ffi::{c_int, c_void};
use std::fmt;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// A libzmq context: cheap to clone (clones share one context), `Send + Sync`.
///
/// Sockets keep their context alive, so `zmq_ctx_term` runs only once the last clone and the last
/// socket are gone; it cannot hang on sockets this crate still owns. It waits for the **unsent
/// messages** of closed sockets until their `linger` has passed: libzmq's default linger is
/// infinite, which hangs a program at exit when a peer never comes (pyzmq's most reported
/// problem). This crate gives every new socket the context's
/// [`default_linger`](Context::default_linger) instead, [`DEFAULT_LINGER`] (5 seconds) unless
/// changed: delivery to a live peer at close still works (libzmq stops lingering as soon as
/// the queue is flushed), and dropping the last handle never waits longer than that for an
/// absent one. pyzmq keeps libzmq's infinite default and avoids the exit hang by never
/// terminating the context at exit; `set_default_linger(None)` restores libzmq's behaviour.
///
/// ```
/// let ctx = zmq::Context::new();
/// let publisher = ctx.socket(zmq::PUB)?;
/// publisher.bind("inproc://doc-context")?;
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

/// The linger that [`Context`] gives new sockets unless told otherwise: 5 seconds.
///
/// Long enough to flush a queue of ordinary messages to a live peer after a socket is closed,
/// short enough that a program whose peer never came still exits. See
/// [`Context::set_default_linger`].
pub const DEFAULT_LINGER: std::time::Duration = std::time::Duration::from_secs(5);

/// Where a context is in its life. `Terminating` is set (under the lock) before the blocking
/// `zmq_ctx_term` starts, and the lock is released while it runs: other users of the context see
/// `ETERM` at once instead of waiting for a lock that `term` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Live,
    Terminating,
    Terminated,
}

struct Inner {
    raw: *mut c_void,
    /// The process that created the context: a forked child must not touch it.
    pid: u32,
    /// Every use of `raw` holds the read lock and checks for `Live`; `term` switches to
    /// `Terminating` under the write lock before calling `zmq_ctx_term`, so no call reaches a
    /// context that is being (or has been) freed.
    state: RwLock<State>,
    /// Whether this crate terminates the context (false for [`Context::from_raw_borrowed`]).
    owned: bool,
    /// The `ZMQ_LINGER` (milliseconds, -1 infinite) given to new sockets.
    default_linger: AtomicI32,
    /// How many of the handles keeping this context alive belong to the crate's own background
    /// threads (a dropped [`Monitor`](crate::Monitor)'s drain): see [`BackgroundHold`].
    background: AtomicUsize,
    /// Inproc names connected to by sockets with `ZMQ_CONFLATE`, not yet settled: see
    /// [`Context::settle_conflate_inproc`].
    conflate_inproc: Mutex<Vec<Box<str>>>,
}

// SAFETY: a libzmq context is thread-safe (zmq(7): "ØMQ contexts are thread safe and may be
// shared among as many application threads as necessary"); the other fields are a lock and atomics.
unsafe impl Send for Inner {}
// SAFETY: as above, every zmq_ctx_* call may be made from any thread at any time.
unsafe impl Sync for Inner {}

impl Inner {
    /// The one constructor of the shared state, for owned and borrowed contexts alike.
    fn new(raw: *mut c_void, owned: bool) -> Inner {
        Inner {
            raw,
            pid: std::process::id(),
            state: RwLock::new(State::Live),
            owned,
            default_linger: AtomicI32::new(linger_ms(Some(DEFAULT_LINGER))),
            background: AtomicUsize::new(0),
            conflate_inproc: Mutex::new(Vec::new()),
        }
    }

    fn state(&self) -> State {
        *self.state.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// `zmq_ctx_term`, retried on EINTR as its man page asks (libzmq interrupts it on any signal).
///
/// # Safety
/// `raw` must be a live context that nothing uses any more but its sockets, and no other
/// thread may be terminating it.
unsafe fn ctx_term(raw: *mut c_void) -> Result<()> {
    loop {
        // SAFETY: the caller vouches for `raw`.
        match cvt(unsafe { ffi::zmq_ctx_term(raw) }) {
            Ok(_) => return Ok(()),
            Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Binds a ROUTER socket to each inproc name and closes it again (see
/// [`Context::settle_conflate_inproc`]); failures (the name is bound, no socket to be had) leave
/// the name as it was.
///
/// # Safety
/// `raw` must be a live context.
unsafe fn settle_inproc_names(raw: *mut c_void, names: &[Box<str>]) {
    for name in names {
        // Only inproc names: binding anything else would open a real listener, however briefly.
        if !crate::socket::is_inproc(name) {
            continue;
        }
        let Ok(c) = std::ffi::CString::new(&**name) else {
            continue;
        };
        // SAFETY: the caller vouches for `raw`; the socket is ours alone and closed below.
        unsafe {
            let router = ffi::zmq_socket(raw, ffi::ZMQ_ROUTER as _);
            if router.is_null() {
                return;
            }
            let zero: std::ffi::c_int = 0;
            ffi::zmq_setsockopt(
                router,
                ffi::ZMQ_LINGER as _,
                (&zero as *const std::ffi::c_int).cast(),
                std::mem::size_of_val(&zero),
            );
            ffi::zmq_bind(router, c.as_ptr());
            ffi::zmq_close(router);
        }
    }
}

/// A linger as libzmq's `ZMQ_LINGER` value: milliseconds rounded up (a non-zero duration never
/// becomes 0), `i32::MAX` at most, -1 for infinite.
fn linger_ms(linger: Option<std::time::Duration>) -> i32 {
    match linger {
        None => -1,
        Some(d) => {
            let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
            i32::try_from(ms).unwrap_or(i32::MAX)
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let state = *self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if !self.owned || state != State::Live || std::process::id() != self.pid {
            return;
        }
        let names = std::mem::take(
            self.conflate_inproc
                .get_mut()
                .unwrap_or_else(|e| e.into_inner()),
        );
        // SAFETY: `raw` is a live context, as below.
        unsafe { settle_inproc_names(self.raw, &names) };
        // Best effort: the error cannot be reported from a drop.
        // SAFETY: `raw` is a live context: no other handle or socket refers to it any more (they
        // all hold this Arc), and the state says nobody terminated it.
        let _ = unsafe { ctx_term(self.raw) };
    }
}

/// A handle of the context counted as the crate's own (see [`Context::background_hold`]).
pub(crate) struct BackgroundHold<'a>(&'a Inner);

impl Drop for BackgroundHold<'_> {
    fn drop(&mut self) {
        self.0.background.fetch_sub(1, Ordering::SeqCst);
    }
}

static INSTANCE: Mutex<Option<Context>> = Mutex::new(None);

crate::error::hand_back_error! {
    /// A [`Context::term`] that failed, with the context, which stays usable: nothing is lost, as
    /// with [`SendError`](crate::SendError). `?` turns it into an [`Error`].
    pub struct TermError { context: Context }
    /// The context, to try again or keep using.
    fn into_context;
    display: "terminating the context";
}

impl Context {
    /// Creates a new context (`zmq_ctx_new`).
    ///
    /// # Panics
    /// Only if libzmq cannot create a context at all (out of memory or file descriptors); use
    /// [`Context::try_new`] to get that as an error.
    #[doc(alias = "zmq_ctx_new")]
    pub fn new() -> Context {
        Context::try_new().expect("zmq_ctx_new failed")
    }

    /// Creates a new context, returning libzmq's error if it cannot.
    #[doc(alias = "zmq_ctx_new")]
    pub fn try_new() -> Result<Context> {
        // SAFETY: zmq_ctx_new has no preconditions; it returns null with errno set on failure.
        let raw = cvt_p(unsafe { ffi::zmq_ctx_new() })?;
        Ok(Context {
            inner: Arc::new(Inner::new(raw, true)),
        })
    }

    /// The process-wide context (pyzmq's `Context.instance()`): the same one on every call,
    /// until it is terminated; a new one after a `fork` or after `term`.
    pub fn instance() -> Context {
        let mut slot = INSTANCE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ctx) = slot.as_ref() {
            if ctx.inner.pid == std::process::id() && !ctx.is_terminated() {
                return ctx.clone();
            }
            // A context inherited through fork belongs to the parent: forget it without a term.
            // A terminated one is simply dropped (its drop does nothing more).
            if let Some(old) = slot.take() {
                if old.inner.pid != std::process::id() {
                    std::mem::forget(old);
                }
            }
        }
        let ctx = Context::new();
        *slot = Some(ctx.clone());
        ctx
    }

    /// Creates a socket of the kind given: a marker (`zmq::PUB` gives a `Socket<Pub>`) or a
    /// [`SocketType`](crate::SocketType) chosen at run time. The socket's linger is the
    /// context's [`default_linger`](Context::default_linger).
    #[doc(alias = "zmq_socket")]
    pub fn socket<K: SocketKind>(&self, kind: K) -> Result<Socket<K>> {
        Socket::new(self, kind)
    }

    /// Terminates the context (`zmq_ctx_term`), retrying on EINTR.
    ///
    /// Blocking calls on sockets of this context, in any thread, fail with
    /// [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated); `term` returns
    /// once every socket has been dropped and its linger has passed. While it waits, the context
    /// is not locked: other threads may still use their clones (creating a socket fails with
    /// `ContextTerminated`, [`is_terminated`](Context::is_terminated) is true), and dropping
    /// their sockets is what lets `term` return. Clones of this context stay unusable afterwards.
    ///
    /// If another clone is already being terminated, returns at once. In a forked child it does
    /// nothing (the context belongs to the parent; pyzmq does the same). A context borrowed with
    /// [`Context::from_raw_borrowed`] is terminated by its owner, never here: that is
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument).
    ///
    /// On failure the context comes back in the [`TermError`] (as rusqlite's `close`), still
    /// usable; `?` turns the error into an [`Error`].
    #[doc(alias = "zmq_ctx_term")]
    pub fn term(self) -> Result<(), TermError> {
        if std::process::id() != self.inner.pid {
            return Ok(());
        }
        if !self.inner.owned {
            return Err(TermError {
                context: self,
                error: Error::InvalidArgument(
                    "a context borrowed with Context::from_raw_borrowed is terminated by its owner",
                ),
            });
        }
        self.settle_conflate_inproc(None);
        {
            let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
            if *state != State::Live {
                return Ok(());
            }
            *state = State::Terminating;
        }
        // SAFETY: the context was live and is now marked terminating, so no other call of this
        // crate uses `raw` (they check the state under the lock) and no other thread terminates it.
        let result = unsafe { ctx_term(self.inner.raw) };
        let mut state = self.inner.state.write().unwrap_or_else(|e| e.into_inner());
        // On failure (EFAULT: not a context) the context was not freed: it stays usable.
        match result {
            Ok(()) => {
                *state = State::Terminated;
                Ok(())
            }
            Err(error) => {
                *state = State::Live;
                drop(state);
                Err(TermError {
                    context: self,
                    error,
                })
            }
        }
    }

    /// Runs `f` with the raw context if it is live (not terminated nor being terminated);
    /// `ETERM` otherwise.
    pub(crate) fn with_live<T>(&self, f: impl FnOnce(*mut c_void) -> Result<T>) -> Result<T> {
        let state = self.inner.state.read().unwrap_or_else(|e| e.into_inner());
        if *state != State::Live {
            return Err(crate::Error::from_errno(ffi::ETERM));
        }
        f(self.inner.raw)
    }

    /// Shuts the context down (`zmq_ctx_shutdown`) without waiting: every blocking call on its
    /// sockets returns [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated), and
    /// so does every later operation but closing. The context is terminated when it is dropped.
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        self.settle_conflate_inproc(None);
        match self.with_live(|raw| {
            // SAFETY: `with_live` hands out the pointer only while the context is live.
            cvt(unsafe { ffi::zmq_ctx_shutdown(raw) })
        }) {
            Err(e) if e.is_terminated() => Ok(()),
            other => other.map(drop),
        }
    }

    /// The raw `void *` context, for calling libzmq directly. It stays valid while any clone of
    /// this context or any of its sockets is alive, and [`term`](Context::term) has not run.
    pub fn as_raw(&self) -> *mut c_void {
        self.inner.raw
    }

    /// Takes ownership of a raw context (as `Box::from_raw` does): it is terminated when the last
    /// clone and socket are gone. See [raw handles](crate#raw-handles) for the naming rule.
    ///
    /// # Safety
    /// `raw` must be a live libzmq context that nothing else terminates.
    pub unsafe fn from_raw(raw: *mut c_void) -> Context {
        Context {
            inner: Arc::new(Inner::new(raw, true)),
        }
    }

    /// Wraps a raw context without taking ownership (pyzmq's `Context.shadow`): it is never
    /// terminated by this crate ([`term`](Context::term) refuses, dropping the last handle leaves
    /// it alone).
    ///
    /// # Safety
    /// `raw` must be a live libzmq context, and stay live (not terminated) for as long as the
    /// returned `Context`, its clones and its sockets exist.
    pub unsafe fn from_raw_borrowed(raw: *mut c_void) -> Context {
        Context {
            inner: Arc::new(Inner::new(raw, false)),
        }
    }

    /// The linger new sockets of this context get (`None`: infinite): [`DEFAULT_LINGER`]
    /// unless changed with [`set_default_linger`](Context::set_default_linger).
    pub fn default_linger(&self) -> Option<std::time::Duration> {
        match self.inner.default_linger.load(Ordering::Relaxed) {
            ms if ms < 0 => None,
            ms => Some(std::time::Duration::from_millis(ms as u64)),
        }
    }

    /// Sets the linger given to sockets created from now on (pyzmq's `ctx.linger = ...`);
    /// `None` is libzmq's own default, infinite. A socket's own
    /// [`set_linger`](crate::Socket::set_linger) overrides it. A non-zero duration is rounded
    /// up to whole milliseconds, never down to 0.
    pub fn set_default_linger(&self, linger: Option<std::time::Duration>) {
        self.inner
            .default_linger
            .store(linger_ms(linger), Ordering::Relaxed);
    }

    /// The `ZMQ_LINGER` value for a new socket.
    pub(crate) fn default_linger_ms(&self) -> i32 {
        self.inner.default_linger.load(Ordering::Relaxed)
    }

    /// The process id that created this context (a forked child must not close its sockets).
    pub(crate) fn creator_pid(&self) -> u32 {
        self.inner.pid
    }

    /// Counts one handle of this context (a socket held by a background thread of the crate) as
    /// the crate's, until the returned guard is dropped.
    pub(crate) fn background_hold(&self) -> BackgroundHold<'_> {
        self.inner.background.fetch_add(1, Ordering::SeqCst);
        BackgroundHold(&self.inner)
    }

    /// Whether the application has let go of this owned context: every handle left (clones, and
    /// sockets, each of which holds one) is a [`background_hold`](Context::background_hold).
    /// Without those, the last drop would have terminated it. Once true, it stays true: nobody
    /// else holds a handle to clone.
    pub(crate) fn only_background_left(&self) -> bool {
        self.inner.owned
            && Arc::strong_count(&self.inner) <= self.inner.background.load(Ordering::SeqCst)
    }

    /// Records that a socket with `ZMQ_CONFLATE` connected to the inproc endpoint `name`.
    pub(crate) fn note_conflate_inproc(&self, name: &str) {
        let mut names = self
            .inner
            .conflate_inproc
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if !names.iter().any(|n| **n == *name) {
            names.push(name.into());
        }
    }

    /// Settles the connects of `ZMQ_CONFLATE` sockets to inproc names nobody bound (`names`, or
    /// every name recorded), before libzmq would abort on them.
    ///
    /// libzmq 4.3.4 and 4.3.5 abort the process (`Assertion failed: ok`, ctx.cpp:789; libzmq
    /// #4544, open) when such a connect is still pending at `zmq_ctx_term` after its socket was
    /// closed, or when a later `bind` meets it: a conflating pipe keeps one message, so the
    /// closing socket's delimiter replaces the routing-id message that the bind reads and
    /// asserts on. Reproduced in C (RELIABILITY.md, section 4). So before a conflating socket
    /// with inproc connects is closed, and before the context is shut down or terminated, each
    /// such name is bound by a ROUTER of the crate's (a ROUTER reads no routing-id message) and
    /// closed again: a pending connect is made and ended while its socket is still open, and a
    /// name already bound is left alone (`EADDRINUSE`). A pending conflating connect only ever
    /// held the socket's last message, which libzmq itself would drop (or abort on) here.
    pub(crate) fn settle_conflate_inproc(&self, names: Option<&[Box<str>]>) {
        let mut recorded = self
            .inner
            .conflate_inproc
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let settle: Vec<Box<str>> = match names {
            Some(names) => names.to_vec(),
            None => std::mem::take(&mut *recorded),
        };
        recorded.retain(|n| !settle.contains(n));
        drop(recorded);
        if settle.is_empty() {
            return;
        }
        let _ = self.with_live(|raw| {
            // SAFETY: `with_live` hands out the context only while it is live.
            unsafe { settle_inproc_names(raw, &settle) };
            Ok(())
        });
    }

    /// Whether [`term`](Context::term) has run (or is running) on this context.
    pub fn is_terminated(&self) -> bool {
        self.inner.state() != State::Live
    }

    /// Reads a context option by its raw number (`zmq_ctx_get`), for options newer than this crate.
    #[doc(alias = "zmq_ctx_get")]
    pub fn get_raw(&self, option: c_int) -> Result<i32> {
        self.with_live(|raw| {
            // Some options (THREAD_SCHED_POLICY) legitimately read -1: only errno tells an error.
            crate::error::clear_errno();
            // SAFETY: `with_live` hands out the pointer only while the context is live.
            crate::error::cvt_value(unsafe { ffi::zmq_ctx_get(raw, option) })
        })
    }

    /// Sets a context option by its raw number (`zmq_ctx_set`).
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_raw(&self, option: c_int, value: i32) -> Result<()> {
        self.with_live(|raw| {
            // SAFETY: `with_live` hands out the pointer only while the context is not terminated;
            // zmq_ctx_set validates option and value itself.
            cvt(unsafe { ffi::zmq_ctx_set(raw, option, value) }).map(drop)
        })
    }

    /// Sets a context option to bytes by its raw number (`zmq_ctx_set_ext`, draft), for
    /// options whose value is not an `int`. libzmq reads a value of exactly `size_of::<c_int>()`
    /// bytes as an `int`.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_ctx_set_ext")]
    pub fn set_ext_raw(&self, option: c_int, value: &[u8]) -> Result<()> {
        self.with_live(|raw| {
            // SAFETY: `with_live` hands out the pointer only while the context is live; `value`
            // is valid for reading its length during the call, and libzmq copies what it keeps.
            cvt(unsafe {
                ffi::zmq_ctx_set_ext(raw, option, value.as_ptr() as *const c_void, value.len())
            })
            .map(drop)
        })
    }

    /// Reads a context option as bytes by its raw number (`zmq_ctx_get_ext`, draft) into
    /// `buf`; returns the length libzmq reports. A `buf` of exactly `size_of::<c_int>()` bytes
    /// reads the option as an `int`.
    ///
    /// libzmq 4.3.5 does not update the length for `ZMQ_THREAD_NAME_PREFIX` (it copies the
    /// prefix and leaves the rest of `buf` alone): zero `buf` first, or use
    /// [`thread_name_prefix`](Context::thread_name_prefix).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn get_ext_raw(&self, option: c_int, buf: &mut [u8]) -> Result<usize> {
        self.with_live(|raw| {
            let mut len = buf.len();
            // SAFETY: `with_live` hands out the pointer only while the context is live; `buf`
            // is valid for writing `len` bytes, and libzmq writes at most that many.
            cvt(unsafe {
                ffi::zmq_ctx_get_ext(raw, option, buf.as_mut_ptr() as *mut c_void, &mut len)
            })?;
            Ok(len)
        })
    }

    /// Names the context's I/O threads: their names start with `prefix` and a `/`
    /// (`"prefix/ZMQbg/IO/0"`, cut to the 15 characters Linux keeps), through
    /// `zmq_ctx_set_ext(ZMQ_THREAD_NAME_PREFIX)` (draft). Takes effect for threads started
    /// later, so call it before the context's first socket.
    ///
    /// `prefix` must be 1 to 16 bytes without NUL, and not exactly 4 bytes: libzmq reads a
    /// 4-byte value as an `int` (use [`set_thread_name_prefix`](Context::set_thread_name_prefix)
    /// for numbers). Anything else is
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument).
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// ctx.set_thread_name_prefix_str("myapp")?;
    /// assert_eq!(ctx.thread_name_prefix()?, "myapp");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_ctx_set_ext")]
    pub fn set_thread_name_prefix_str(&self, prefix: &str) -> Result<()> {
        if prefix.is_empty() || prefix.len() > 16 {
            return Err(crate::Error::InvalidArgument(
                "a thread name prefix is 1 to 16 bytes",
            ));
        }
        if prefix.len() == std::mem::size_of::<c_int>() {
            return Err(crate::Error::InvalidArgument(
                "libzmq reads a 4-byte thread name prefix as an int: use 1-3 or 5-16 bytes",
            ));
        }
        if prefix.contains('\0') {
            return Err(crate::Error::InvalidArgument(
                "a thread name prefix cannot contain NUL",
            ));
        }
        self.set_ext_raw(ffi::ZMQ_THREAD_NAME_PREFIX, prefix.as_bytes())
    }

    /// The I/O threads' name prefix (`zmq_ctx_get_ext(ZMQ_THREAD_NAME_PREFIX)`, draft): what
    /// [`set_thread_name_prefix_str`](Context::set_thread_name_prefix_str) or
    /// [`set_thread_name_prefix`](Context::set_thread_name_prefix) set, `""` if neither was
    /// called. A prefix that is not UTF-8 is [`ErrorKind::Utf8`](crate::ErrorKind::Utf8).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn thread_name_prefix(&self) -> Result<String> {
        // libzmq accepts at most 16 bytes and does not report the length: read into a zeroed
        // buffer longer than any prefix (and not int-sized), and cut at the first NUL.
        let mut buf = [0u8; 32];
        self.get_ext_raw(ffi::ZMQ_THREAD_NAME_PREFIX, &mut buf)?;
        let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        std::str::from_utf8(&buf[..len])
            .map(str::to_owned)
            .map_err(crate::Error::Utf8)
    }

    /// `false` makes new sockets default to `linger = 0`, so `term` never waits for unsent
    /// messages: it also sets [`default_linger`](Context::default_linger) to zero, as this
    /// crate applies that to every new socket. `true` leaves the default linger as it is.
    /// ([`zmq_ctx_set(3)`](http://api.zeromq.org/4-3:zmq-ctx-set), `ZMQ_BLOCKY`)
    #[doc(alias = "zmq_ctx_set")]
    pub fn set_blocky(&self, on: bool) -> Result<()> {
        self.set_raw(ffi::ZMQ_BLOCKY, on.into())?;
        if !on {
            self.set_default_linger(Some(std::time::Duration::ZERO));
        }
        Ok(())
    }
}

/// A context option's Rust type: `i32` as libzmq has it, or `bool` for 0/1 flags.
trait CtxValue: Sized {
    fn from_raw(raw: i32) -> Self;
    fn into_raw(self) -> i32;
}
impl CtxValue for i32 {
    fn from_raw(raw: i32) -> i32 {
        raw
    }
    fn into_raw(self) -> i32 {
        self
    }
}
impl CtxValue for bool {
    fn from_raw(raw: i32) -> bool {
        raw != 0
    }
    fn into_raw(self) -> i32 {
        self.into()
    }
}

/// The one table of context options: each row names the option, its Rust type, the getter
/// and/or setter libzmq allows, and what it means. Adding a context option is one row; each
/// accessor gets its doc alias and man-page link from here.
macro_rules! context_options {
    ($(
        $(#[$attr:meta])*
        $opt:ident: $ty:ty $(, get $get:ident)? $(, set $set:ident)?; $doc:literal
    )*) => {
        impl Context {$(
            context_accessor!(get [$(#[$attr])*] $opt: $ty, $doc $(, $get)?);
            context_accessor!(set [$(#[$attr])*] $opt: $ty, $doc $(, $set)?);
        )*}
    };
}

/// One accessor of a [`context_options!`] row, or nothing when the row has none of that side.
macro_rules! context_accessor {
    ($side:ident [$($attr:tt)*] $opt:ident: $ty:ty, $doc:literal) => {};
    (get [$($attr:tt)*] $opt:ident: $ty:ty, $doc:literal, $name:ident) => {
        $($attr)*
        #[doc = concat!("Reads `", stringify!($opt), "`: ", $doc)]
        #[doc = ""]
        #[doc = "See [`zmq_ctx_get(3)`](http://api.zeromq.org/4-3:zmq-ctx-get)."]
        #[doc(alias = "zmq_ctx_get")]
        pub fn $name(&self) -> Result<$ty> {
            self.get_raw(ffi::$opt).map(<$ty as CtxValue>::from_raw)
        }
    };
    (set [$($attr:tt)*] $opt:ident: $ty:ty, $doc:literal, $name:ident) => {
        $($attr)*
        #[doc = concat!("Sets `", stringify!($opt), "`: ", $doc)]
        #[doc = ""]
        #[doc = "See [`zmq_ctx_set(3)`](http://api.zeromq.org/4-3:zmq-ctx-set)."]
        #[doc(alias = "zmq_ctx_set")]
        pub fn $name(&self, value: $ty) -> Result<()> {
            self.set_raw(ffi::$opt, CtxValue::into_raw(value))
        }
    };
}

context_options! {
    ZMQ_IO_THREADS: i32, get io_threads, set set_io_threads;
        "the number of I/O threads (default 1); takes effect only before the first socket."
    ZMQ_MAX_SOCKETS: i32, get max_sockets, set set_max_sockets;
        "the maximum number of sockets (default 1023, at most `socket_limit`)."
    ZMQ_SOCKET_LIMIT: i32, get socket_limit;
        "the largest value `max_sockets` accepts (read-only)."
    ZMQ_IPV6: bool, get ipv6, set set_ipv6;
        "whether new sockets use IPv6 (dual-stack) rather than IPv4 only."
    ZMQ_BLOCKY: bool, get blocky;
        "whether terminating blocks on unsent messages (default true; see `set_blocky`)."
    ZMQ_THREAD_PRIORITY: i32, set set_thread_priority;
        "the OS scheduling priority of the I/O threads."
    ZMQ_THREAD_SCHED_POLICY: i32, get thread_sched_policy, set set_thread_sched_policy;
        "the scheduling policy of the I/O threads (-1: the OS default; e.g. `libc::SCHED_FIFO`)."
    ZMQ_THREAD_AFFINITY_CPU_ADD: i32, set add_thread_affinity_cpu;
        "adds a CPU to the I/O threads' affinity set."
    ZMQ_THREAD_AFFINITY_CPU_REMOVE: i32, set remove_thread_affinity_cpu;
        "removes a CPU from the I/O threads' affinity set."
    ZMQ_THREAD_NAME_PREFIX: i32, set set_thread_name_prefix;
        "the numeric prefix of the I/O threads' names."
    ZMQ_MAX_MSGSZ: i32, get max_msgsz, set set_max_msgsz;
        "the largest message size sockets accept."
    ZMQ_MSG_T_SIZE: i32, get msg_t_size;
        "the size of `zmq_msg_t` in this libzmq (read-only)."
    #[cfg(feature = "draft")]
    ZMQ_ZERO_COPY_RECV: bool, get zero_copy_recv, set set_zero_copy_recv;
        "whether received messages may point into the receive buffer (draft)."
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("raw", &self.inner.raw)
            .field("state", &self.inner.state())
            .finish()
    }
}

impl PartialEq for Context {
    fn eq(&self, other: &Context) -> bool {
        self.inner.raw == other.inner.raw
    }
}
impl Eq for Context {}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(ctx: &Context) -> Vec<Box<str>> {
        ctx.inner.conflate_inproc.lock().unwrap().clone()
    }

    /// A terminated instance is released when `instance` makes the next one (it used to be
    /// forgotten like a forked child's, leaking its shared state: valgrind, tests/context.rs).
    #[test]
    fn a_terminated_instance_is_released() {
        let first = Context::instance();
        let weak = Arc::downgrade(&first.inner);
        first.term().unwrap();
        let second = Context::instance();
        assert!(
            weak.upgrade().is_none(),
            "the terminated instance is still held"
        );
        second.term().unwrap();
    }

    /// Only inproc connects of conflating sockets are recorded for settling: a tcp endpoint
    /// must never be bound by the crate's ROUTER.
    #[test]
    fn only_conflating_inproc_connects_are_recorded() {
        let ctx = Context::new();
        let conflating = ctx.socket(crate::PUSH).unwrap();
        conflating.set_conflate(true).unwrap();
        conflating.connect("tcp://127.0.0.1:9").unwrap();
        assert!(recorded(&ctx).is_empty(), "{:?}", recorded(&ctx));
        conflating.connect("inproc://ctx-unit-conflating").unwrap();
        let plain = ctx.socket(crate::PUSH).unwrap();
        plain.connect("inproc://ctx-unit-plain").unwrap();
        assert_eq!(
            recorded(&ctx),
            vec![Box::from("inproc://ctx-unit-conflating")]
        );
        drop(conflating);
        assert!(recorded(&ctx).is_empty(), "settled at close");
    }
}
