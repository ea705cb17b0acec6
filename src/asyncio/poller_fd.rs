//! Readiness of a thread-safe draft socket (SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER, PEER,
//! CHANNEL), which has no `ZMQ_FD`: a private `zmq_poller` holding just that socket, whose
//! descriptor (`zmq_poller_fd`) libzmq signals whenever commands reach the socket, as it signals
//! `ZMQ_FD` for a classic socket. The same algorithm applies (module documentation of
//! [`asyncio`](super)); the state is read with `zmq_poller_wait_all` and a zero timeout, which
//! also consumes the descriptor's signal, then reads the socket's `ZMQ_EVENTS`.

use crate::error::{cvt, cvt_p, Error, ErrorKind, Result};
use crate::ffi;
use crate::poll::PollEvents;
use std::ffi::{c_int, c_void};
use std::os::fd::RawFd;
use std::sync::Mutex;

/// A `zmq_poller` watching one thread-safe socket for `POLLIN | POLLOUT`.
pub(super) struct PollerFd {
    /// The poller; libzmq's poller is not thread-safe, so every call on it holds this lock.
    raw: Mutex<*mut c_void>,
}

// SAFETY: the poller pointer is only used under the mutex, one thread at a time; libzmq's
// poller has no affinity to the thread that made it.
unsafe impl Send for PollerFd {}
// SAFETY: as above: every use goes through the mutex.
unsafe impl Sync for PollerFd {}

impl PollerFd {
    /// A poller for `socket` (a live thread-safe socket, which must outlive the poller: the
    /// poller's destructor unregisters itself from the socket) and its descriptor.
    pub(super) fn new(socket: *mut c_void) -> Result<(PollerFd, RawFd)> {
        // SAFETY: zmq_poller_new has no preconditions; null with errno on failure.
        let raw = cvt_p(unsafe { ffi::zmq_poller_new() })?;
        let poller = PollerFd {
            raw: Mutex::new(raw),
        };
        let events = (ffi::ZMQ_POLLIN | ffi::ZMQ_POLLOUT) as i16;
        // SAFETY: `raw` is the live poller made above, `socket` a live socket (the caller's
        // promise); no user data.
        cvt(unsafe { ffi::zmq_poller_add(raw, socket, std::ptr::null_mut(), events) })?;
        let mut fd: ffi::zmq_fd_t = Default::default();
        // SAFETY: `raw` is live; `fd` is a valid place for the descriptor.
        cvt(unsafe { ffi::zmq_poller_fd(raw, &mut fd) })?;
        Ok((poller, fd as RawFd))
    }

    /// The socket's events now, without waiting (`zmq_poller_wait_all`, timeout 0): consumes
    /// the descriptor's pending signal.
    pub(super) fn events(&self) -> Result<PollEvents> {
        let raw = self.raw.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: zmq_poller_event_t is plain data; zeroed is a valid value to be overwritten.
        let mut event: ffi::zmq_poller_event_t = unsafe { std::mem::zeroed() };
        // SAFETY: `*raw` is the live poller (destroyed only in drop), used under the lock;
        // `event` has room for the one event asked for.
        let rc = unsafe { ffi::zmq_poller_wait_all(*raw, &mut event, 1, 0) };
        match cvt(rc) {
            Ok(0) => Ok(PollEvents::empty()),
            Ok(_) => Ok(PollEvents::from_bits(event.events)),
            Err(e) if e.kind() == ErrorKind::Again => Ok(PollEvents::empty()),
            Err(e) => Err(e),
        }
    }
}

impl Drop for PollerFd {
    fn drop(&mut self) {
        let raw = self.raw.get_mut().unwrap_or_else(|e| e.into_inner());
        // SAFETY: `*raw` is the live poller, destroyed once, here; its socket is still open
        // (the async socket drops this before closing it).
        let rc: c_int = unsafe { ffi::zmq_poller_destroy(raw) };
        if rc != 0 {
            // Nothing to give back from a drop; libzmq only fails on a bad pointer.
            let _ = Error::last();
        }
    }
}
