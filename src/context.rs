//! [`Context`]: the libzmq context that owns I/O threads and sockets.

use crate::error::{cvt, cvt_p, Result};
use crate::ffi;
use crate::socket::{Socket, SocketKind};
use std::ffi::{c_int, c_void};
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};

/// A libzmq context: cheap to clone (clones share one context), `Send + Sync`.
///
/// Sockets keep their context alive, so `zmq_ctx_term` runs only once the last clone and the last
/// socket are gone; it cannot hang on sockets this crate still owns. It can still wait for
/// **unsent messages** of closed sockets whose `linger` is infinite (libzmq's default): set
/// `linger` on the sockets, or [`Context::set_blocky(false)`](Context::set_blocky) before creating
/// them, when a peer may never come.
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

struct Inner {
    raw: *mut c_void,
    /// The process that created the context: a forked child must not touch it.
    pid: u32,
    /// `true` once `term` ran. Every use of `raw` holds the read lock and checks it, and `term`
    /// holds the write lock while it runs, so no call can reach a freed context.
    terminated: RwLock<bool>,
    /// Whether dropping the last handle terminates the context (false for `from_raw` borrows).
    owned: bool,
}

// SAFETY: a libzmq context is thread-safe (zmq(7): "ØMQ contexts are thread safe and may be
// shared among as many application threads as necessary"); `Inner` holds only its pointer.
unsafe impl Send for Inner {}
// SAFETY: as above, every zmq_ctx_* call may be made from any thread at any time.
unsafe impl Sync for Inner {}

impl Drop for Inner {
    fn drop(&mut self) {
        let terminated = *self.terminated.get_mut().unwrap_or_else(|e| e.into_inner());
        if !self.owned || terminated || std::process::id() != self.pid {
            return;
        }
        // Best effort: retry on EINTR as zmq_ctx_term asks; other errors cannot be reported.
        // SAFETY: `raw` is a live context: no other handle or socket refers to it any more
        // (they all hold this Arc), and `terminated` says it was not terminated yet.
        while unsafe { ffi::zmq_ctx_term(self.raw) } == -1 {
            // SAFETY: zmq_errno only reads this thread's errno.
            if unsafe { ffi::zmq_errno() } != libc::EINTR {
                break;
            }
        }
    }
}

static INSTANCE: Mutex<Option<Context>> = Mutex::new(None);

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
            inner: Arc::new(Inner {
                raw,
                pid: std::process::id(),
                terminated: RwLock::new(false),
                owned: true,
            }),
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
            if let Some(old) = slot.take() {
                std::mem::forget(old);
            }
        }
        let ctx = Context::new();
        *slot = Some(ctx.clone());
        ctx
    }

    /// Creates a socket of the kind given: a marker (`zmq::PUB` gives a `Socket<Pub>`) or a
    /// [`SocketType`](crate::SocketType) chosen at run time.
    #[doc(alias = "zmq_socket")]
    pub fn socket<K: SocketKind>(&self, kind: K) -> Result<Socket<K>> {
        Socket::new(self, kind)
    }

    /// Terminates the context (`zmq_ctx_term`), retrying on EINTR.
    ///
    /// Blocking calls on sockets of this context, in any thread, fail with
    /// [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated); `term` returns
    /// once every socket has been dropped and its linger has passed. Clones of this context
    /// become unusable: creating a socket on one fails.
    #[doc(alias = "zmq_ctx_term")]
    pub fn term(self) -> Result<()> {
        let mut terminated = self
            .inner
            .terminated
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if *terminated {
            return Ok(());
        }
        loop {
            // SAFETY: the context is live: `terminated` is false and we hold the write lock, so no
            // other call uses `raw` until we are done.
            match cvt(unsafe { ffi::zmq_ctx_term(self.inner.raw) }) {
                Ok(_) => break,
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        *terminated = true;
        Ok(())
    }

    /// Runs `f` with the raw context if it is not terminated; `ETERM` otherwise.
    pub(crate) fn with_live<T>(&self, f: impl FnOnce(*mut c_void) -> Result<T>) -> Result<T> {
        let terminated = self
            .inner
            .terminated
            .read()
            .unwrap_or_else(|e| e.into_inner());
        if *terminated {
            return Err(crate::Error::from_errno(ffi::ETERM));
        }
        f(self.inner.raw)
    }

    /// Shuts the context down (`zmq_ctx_shutdown`) without waiting: every blocking call on its
    /// sockets returns [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated), and
    /// so does every later operation but closing. The context is terminated when it is dropped.
    #[doc(alias = "zmq_ctx_shutdown")]
    pub fn shutdown(&self) -> Result<()> {
        match self.with_live(|raw| {
            // SAFETY: `with_live` hands out the pointer only while the context is not terminated.
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

    /// Wraps a raw context without taking ownership: it is never terminated by this crate.
    ///
    /// # Safety
    /// `raw` must be a live libzmq context, and stay live (not terminated) for as long as the
    /// returned `Context`, its clones and its sockets exist.
    pub unsafe fn from_raw(raw: *mut c_void) -> Context {
        Context {
            inner: Arc::new(Inner {
                raw,
                pid: std::process::id(),
                terminated: RwLock::new(false),
                owned: false,
            }),
        }
    }

    /// Takes ownership of a raw context: it is terminated when the last clone and socket are gone.
    ///
    /// # Safety
    /// `raw` must be a live libzmq context that nothing else terminates.
    pub unsafe fn from_raw_owned(raw: *mut c_void) -> Context {
        Context {
            inner: Arc::new(Inner {
                raw,
                pid: std::process::id(),
                terminated: RwLock::new(false),
                owned: true,
            }),
        }
    }

    /// The process id that created this context (a forked child must not close its sockets).
    pub(crate) fn creator_pid(&self) -> u32 {
        self.inner.pid
    }

    /// Whether [`term`](Context::term) has run on this context.
    pub fn is_terminated(&self) -> bool {
        *self
            .inner
            .terminated
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Reads a context option by its raw number (`zmq_ctx_get`), for options newer than this crate.
    #[doc(alias = "zmq_ctx_get")]
    pub fn get_raw(&self, option: c_int) -> Result<i32> {
        self.with_live(|raw| {
            // Some options (THREAD_SCHED_POLICY) legitimately read -1: only errno tells an error.
            crate::error::clear_errno();
            // SAFETY: `with_live` hands out the pointer only while the context is not terminated.
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

    fn get_bool(&self, option: c_int) -> Result<bool> {
        self.get_raw(option).map(|v| v != 0)
    }

    /// The number of I/O threads (`ZMQ_IO_THREADS`, default 1).
    pub fn io_threads(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_IO_THREADS)
    }
    /// Sets the number of I/O threads; takes effect only before the first socket is created.
    pub fn set_io_threads(&self, n: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_IO_THREADS, n)
    }
    /// The maximum number of sockets (`ZMQ_MAX_SOCKETS`, default 1023).
    pub fn max_sockets(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_MAX_SOCKETS)
    }
    /// Sets the maximum number of sockets (at most [`socket_limit`](Context::socket_limit)).
    pub fn set_max_sockets(&self, n: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_MAX_SOCKETS, n)
    }
    /// The largest value `max_sockets` accepts (`ZMQ_SOCKET_LIMIT`, read-only).
    pub fn socket_limit(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_SOCKET_LIMIT)
    }
    /// Whether new sockets use IPv6 (`ZMQ_IPV6`).
    pub fn ipv6(&self) -> Result<bool> {
        self.get_bool(ffi::ZMQ_IPV6)
    }
    /// Makes new sockets use IPv6 (dual-stack) or IPv4 only.
    pub fn set_ipv6(&self, on: bool) -> Result<()> {
        self.set_raw(ffi::ZMQ_IPV6, on.into())
    }
    /// Whether terminating blocks on unsent messages (`ZMQ_BLOCKY`, default true).
    pub fn blocky(&self) -> Result<bool> {
        self.get_bool(ffi::ZMQ_BLOCKY)
    }
    /// `false` makes new sockets default to `linger = 0`, so `term` never waits for unsent messages.
    pub fn set_blocky(&self, on: bool) -> Result<()> {
        self.set_raw(ffi::ZMQ_BLOCKY, on.into())
    }
    /// Sets the OS scheduling priority of the I/O threads (`ZMQ_THREAD_PRIORITY`).
    pub fn set_thread_priority(&self, priority: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_THREAD_PRIORITY, priority)
    }
    /// The scheduling policy of the I/O threads (`ZMQ_THREAD_SCHED_POLICY`, -1 = OS default).
    pub fn thread_sched_policy(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_THREAD_SCHED_POLICY)
    }
    /// Sets the scheduling policy of the I/O threads (e.g. `libc::SCHED_FIFO`).
    pub fn set_thread_sched_policy(&self, policy: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_THREAD_SCHED_POLICY, policy)
    }
    /// Adds a CPU to the I/O threads' affinity set (`ZMQ_THREAD_AFFINITY_CPU_ADD`).
    pub fn add_thread_affinity_cpu(&self, cpu: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_THREAD_AFFINITY_CPU_ADD, cpu)
    }
    /// Removes a CPU from the I/O threads' affinity set (`ZMQ_THREAD_AFFINITY_CPU_REMOVE`).
    pub fn remove_thread_affinity_cpu(&self, cpu: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_THREAD_AFFINITY_CPU_REMOVE, cpu)
    }
    /// Sets the numeric prefix of the I/O threads' names (`ZMQ_THREAD_NAME_PREFIX`).
    pub fn set_thread_name_prefix(&self, prefix: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_THREAD_NAME_PREFIX, prefix)
    }
    /// The largest message size accepted by sockets (`ZMQ_MAX_MSGSZ`).
    pub fn max_msgsz(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_MAX_MSGSZ)
    }
    /// Sets the largest message size accepted by sockets.
    pub fn set_max_msgsz(&self, size: i32) -> Result<()> {
        self.set_raw(ffi::ZMQ_MAX_MSGSZ, size)
    }
    /// The size of `zmq_msg_t` in this libzmq (`ZMQ_MSG_T_SIZE`, read-only).
    pub fn msg_t_size(&self) -> Result<i32> {
        self.get_raw(ffi::ZMQ_MSG_T_SIZE)
    }
    /// Whether received messages may point into the receive buffer (`ZMQ_ZERO_COPY_RECV`, draft).
    #[cfg(feature = "draft")]
    pub fn zero_copy_recv(&self) -> Result<bool> {
        self.get_bool(ffi::ZMQ_ZERO_COPY_RECV)
    }
    /// Sets `ZMQ_ZERO_COPY_RECV` (draft).
    #[cfg(feature = "draft")]
    pub fn set_zero_copy_recv(&self, on: bool) -> Result<()> {
        self.set_raw(ffi::ZMQ_ZERO_COPY_RECV, on.into())
    }
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
            .field("terminated", &self.is_terminated())
            .finish()
    }
}

impl PartialEq for Context {
    fn eq(&self, other: &Context) -> bool {
        self.inner.raw == other.inner.raw
    }
}
impl Eq for Context {}
