//! The readiness engine shared by [`AsyncSocket`](super::AsyncSocket) and
//! [`AsyncMonitor`](super::AsyncMonitor): `ZMQ_FD` registered with tokio's reactor, the list of
//! tasks waiting for each direction, and the wait step that follows libzmq's rules for that
//! descriptor (see the module documentation of [`asyncio`](super) for the algorithm).

use crate::error::{Error, Result};
use crate::poll::PollEvents;
use std::num::NonZeroUsize;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

/// `ZMQ_FD` as tokio wants it: something with a raw descriptor. It does not own the descriptor,
/// which belongs to libzmq (closing it is libzmq's business, never ours).
#[derive(Debug)]
pub(crate) struct ZmqFd(RawFd);

impl AsRawFd for ZmqFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// A waiting task's place in a [`Waiters`] list: `None` until it first has to wait. The index
/// is stored plus one, so that the whole id is one word (`None` is 0) and giving back an unused
/// slot, which every completed operation does, is a load and a test.
#[derive(Debug, Default)]
pub(crate) struct SlotId(Option<NonZeroUsize>);

impl SlotId {
    fn index(&self) -> Option<usize> {
        self.0.map(|n| n.get() - 1)
    }
}

struct Entry {
    /// The task to wake; `None` once woken (until it waits again) or when the slot is free.
    waker: Option<Waker>,
    /// Which of `ZMQ_POLLIN` / `ZMQ_POLLOUT` the task waits for.
    interest: i16,
    /// When the waker was registered, so a wake-all round never wakes a task that registered
    /// again after the round began (it would go round forever).
    seq: u64,
    in_use: bool,
}

#[derive(Default)]
struct List {
    entries: Vec<Entry>,
    free: Vec<usize>,
    seq: u64,
}

/// The tasks waiting on one socket, by direction.
///
/// It is also the [`Waker`] registered with tokio for the descriptor (the "fan-out" waker): tokio
/// keeps one read waker per descriptor, while any number of tasks (a reader, a writer, a `poll`)
/// wait on this one descriptor, so tokio wakes this list and the list wakes every task in it.
#[derive(Default)]
pub(crate) struct Waiters {
    list: Mutex<List>,
    /// How many entries hold a waker: read without the lock on the fast path, where a completed
    /// operation looks whether anybody could need waking.
    waiting: AtomicUsize,
}

/// All the directions: what an edge of the descriptor may have changed.
const ALL: i16 = crate::ffi::ZMQ_POLLIN as i16 | crate::ffi::ZMQ_POLLOUT as i16;

impl Waiters {
    fn lock(&self) -> MutexGuard<'_, List> {
        // No code that can panic runs under this lock, but a poisoned list is still consistent.
        self.list.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether some task waits for something.
    #[inline]
    pub(crate) fn anyone_waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) != 0
    }

    /// Puts (or refreshes) the waker of `slot`, waiting for `interest`.
    pub(crate) fn register(&self, slot: &mut SlotId, interest: PollEvents, waker: &Waker) {
        let mut list = self.lock();
        list.seq += 1;
        let seq = list.seq;
        let index = match slot.index() {
            Some(i) => i,
            None => {
                let entry = Entry {
                    waker: None,
                    interest: 0,
                    seq,
                    in_use: true,
                };
                let i = match list.free.pop() {
                    Some(i) => {
                        list.entries[i] = entry;
                        i
                    }
                    None => {
                        list.entries.push(entry);
                        list.entries.len() - 1
                    }
                };
                slot.0 = NonZeroUsize::new(i + 1);
                i
            }
        };
        let entry = &mut list.entries[index];
        entry.interest = interest.bits();
        entry.seq = seq;
        match &mut entry.waker {
            Some(w) => w.clone_from(waker),
            empty @ None => {
                *empty = Some(waker.clone());
                self.waiting.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Gives the slot back (the operation completed, or its future was dropped). Free when the
    /// task never had to wait, which is the common case.
    #[inline(always)]
    pub(crate) fn release(&self, slot: &mut SlotId) {
        // Tested before anything is written: the common case reads one word.
        if slot.0.is_some() {
            if let Some(n) = slot.0.take() {
                self.release_slot(n.get() - 1);
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn release_slot(&self, i: usize) {
        let mut list = self.lock();
        let entry = &mut list.entries[i];
        if entry.waker.take().is_some() {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        }
        entry.in_use = false;
        list.free.push(i);
    }

    /// Takes the waker out of `slot`, which stays the task's: the task is running and about to
    /// retry, so it needs no wake-up (were it left in, the retry's own check for waiting tasks,
    /// step 2, would read `ZMQ_EVENTS` and wake the task that made it, which then polls once
    /// more for nothing). A retry that fails registers again.
    #[cold]
    #[inline(never)]
    pub(crate) fn unregister(&self, slot: &SlotId) {
        if let Some(i) = slot.index() {
            let mut list = self.lock();
            if list.entries[i].waker.take().is_some() {
                self.waiting.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    /// Wakes every task waiting for one of `events`, except the one in `except` (the caller,
    /// which is running and checks for itself). Wakers are called outside the lock, a few at a
    /// time.
    #[inline]
    pub(crate) fn wake_ready(&self, events: i16, except: &SlotId) {
        if events != 0 && self.anyone_waiting() {
            self.wake_slow(events, except);
        }
    }

    #[cold]
    #[inline(never)]
    fn wake_slow(&self, events: i16, except: &SlotId) {
        const BATCH: usize = 4;
        let mut upto = None;
        loop {
            let mut batch: [Option<Waker>; BATCH] = Default::default();
            let mut n = 0;
            {
                let mut list = self.lock();
                let upto = *upto.get_or_insert(list.seq);
                for (i, entry) in list.entries.iter_mut().enumerate() {
                    if n == BATCH {
                        break;
                    }
                    if entry.in_use
                        && entry.interest & events != 0
                        && entry.seq <= upto
                        && except.index() != Some(i)
                    {
                        if let Some(w) = entry.waker.take() {
                            self.waiting.fetch_sub(1, Ordering::Relaxed);
                            batch[n] = Some(w);
                            n += 1;
                        }
                    }
                }
            }
            for w in batch.iter_mut().take(n) {
                if let Some(w) = w.take() {
                    w.wake();
                }
            }
            if n < BATCH {
                return;
            }
        }
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_ready(ALL, &SlotId(None));
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_ready(ALL, &SlotId(None));
    }
}

/// `ZMQ_FD` registered with tokio's reactor, with its waiting tasks.
pub(crate) struct Readiness {
    fd: AsyncFd<ZmqFd>,
    pub(crate) waiters: Arc<Waiters>,
    /// `waiters` as a [`Waker`]: the one waker tokio ever holds for this descriptor.
    fanout: Waker,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readiness")
            .field("fd", &self.fd.get_ref().0)
            .field("waiting", &self.waiters.waiting.load(Ordering::Relaxed))
            .finish()
    }
}

/// An I/O error of tokio's reactor (it is shutting down, ...) as this crate's [`Error`].
pub(crate) fn reactor_error(what: &str, e: std::io::Error) -> Error {
    Error::Io {
        kind: e.kind(),
        message: format!("{what}: {e}").into(),
    }
}

impl Readiness {
    /// Registers `fd` (a `ZMQ_FD`) for read readiness, the only readiness libzmq signals on it.
    /// Needs a tokio runtime with I/O enabled (the caller checks that there is a runtime). The
    /// caller must drop the `Readiness` before closing the socket whose descriptor it is.
    pub(crate) fn new(fd: RawFd) -> Result<Readiness> {
        // SAFETY: `fd` is the socket's ZMQ_FD, its mailbox's signalling descriptor, which libzmq
        // keeps open and unchanged until the socket is closed; the callers drop the `Readiness`
        // (deregistering the descriptor) before closing or giving away the socket.
        let fd = unsafe { AsyncFd::register_with_interest(ZmqFd(fd), Interest::READABLE) }
            .map_err(|e| reactor_error("registering ZMQ_FD with tokio", e.into_parts().1))?;
        let waiters = Arc::new(Waiters::default());
        let fanout = Waker::from(Arc::clone(&waiters));
        Ok(Readiness {
            fd,
            waiters,
            fanout,
        })
    }

    /// After an operation on the socket (a send, a receive, anything that may have processed
    /// libzmq's commands and so consumed an edge of the descriptor): if a task waits, reads
    /// `ZMQ_EVENTS` with `events` and wakes those whose direction is ready. An error (`ETERM`)
    /// wakes everyone, so that each sees it.
    #[inline]
    pub(crate) fn after_op(&self, events: impl FnOnce() -> Result<PollEvents>) {
        if self.waiters.anyone_waiting() {
            self.after_op_slow(events);
        }
    }

    #[cold]
    fn after_op_slow(&self, events: impl FnOnce() -> Result<PollEvents>) {
        let ready = match events() {
            Ok(ev) => ev.bits(),
            Err(_) => ALL,
        };
        self.waiters.wake_ready(ready, &SlotId(None));
    }

    /// The wait step, for a task that found its operation would block: registers the task in
    /// `slot` for `interest`, asks tokio whether the descriptor had an edge (registering the
    /// fan-out waker if not), then reads `ZMQ_EVENTS` (with `events`, under the socket's lock)
    /// and returns it when it shows one of `interest` (the caller then retries its operation),
    /// or sleeps on the descriptor. Readiness of the descriptor is cleared only after a
    /// `ZMQ_EVENTS` read made after the edge (such a read has processed every command the edge
    /// announced); every read wakes the other waiting tasks whose direction it shows ready. One
    /// read per wait in the common case.
    ///
    /// `after_failed_call`: the caller has kept the socket locked since its operation found it
    /// not ready (so nothing has run on it since), and `events` reads it under that lock. Then,
    /// when tokio holds no edge and no other task waits, the task sleeps without any read (step
    /// 3's shortcut in the [module documentation](super)). Why that is safe: the socket becomes
    /// ready only by processing a command still to be processed. libzmq raises the
    /// descriptor's signal for the first command that reaches a socket after it last processed
    /// its commands (it always processes all of them, and only that consumes the signal), so
    /// such a command has a signal behind it that no call has consumed. tokio has either not yet
    /// reported that edge (then it will, to the fan-out waker registered here) or reported it,
    /// and then its readiness is still set: it is cleared only after a `ZMQ_EVENTS` read made
    /// after the edge, which processes every command. A call made later on the socket, which
    /// could consume the signal or change the state, finds this task waiting and reads
    /// `ZMQ_EVENTS` for it (steps 2 and 4). Another task already waiting might need the read
    /// that the failed call skipped (that call may have processed commands making the other
    /// direction ready), hence the second condition.
    #[inline(never)]
    pub(crate) fn poll_wait(
        &self,
        cx: &mut Context<'_>,
        slot: &mut SlotId,
        interest: PollEvents,
        after_failed_call: bool,
        mut events: impl FnMut() -> Result<PollEvents>,
    ) -> Poll<Result<PollEvents>> {
        self.waiters.register(slot, interest, cx.waker());
        // Whether the state is known not to need a read when there is no edge: after a
        // ZMQ_EVENTS read that cleared readiness here, or at once for a task waiting alone
        // right after its failed call (this task's own entry holds a waker now, so 1 means
        // nobody else waits; a task registering after this load reads for itself, once it has
        // the socket's lock).
        let mut read_since_clear =
            after_failed_call && self.waiters.waiting.load(Ordering::Relaxed) == 1;
        loop {
            // Asking tokio first registers the fan-out waker (when there is no edge), so that an
            // edge coming after the ZMQ_EVENTS read below wakes this task.
            let mut fanout = Context::from_waker(&self.fanout);
            let guard = match self.fd.poll_read_ready(&mut fanout) {
                Poll::Pending => None,
                Poll::Ready(Ok(g)) => Some(g),
                Poll::Ready(Err(e)) => {
                    return Poll::Ready(Err(reactor_error("waiting for ZMQ_FD", e)));
                }
            };
            if guard.is_none() && read_since_clear {
                // No edge since the read that showed `interest` not ready (or since the failed
                // call): sleep.
                return Poll::Pending;
            }
            let ev = match events() {
                Ok(ev) => ev,
                Err(e) => {
                    // ETERM and the like: every waiting task must learn it.
                    self.waiters.wake_ready(ALL, slot);
                    return Poll::Ready(Err(e));
                }
            };
            // This read processed libzmq's commands, which may have made the other direction
            // ready without a new edge on the descriptor: wake whoever that concerns.
            self.waiters.wake_ready(ev.bits(), slot);
            // The edge the guard stands for was handled by the read above, made after it (it
            // processed every command), whatever the read shows: clear it, so that the next
            // wait can sleep without a read (`after_failed_call`). Clearing clears only that
            // edge; a newer one is kept by tokio.
            let had_edge = guard.is_some();
            if let Some(mut g) = guard {
                g.clear_ready();
            }
            if ev.intersects(interest) {
                // The caller retries at once: it needs no wake-up.
                self.waiters.unregister(slot);
                return Poll::Ready(Ok(ev));
            }
            if !had_edge {
                // No edge pending, and the state read after the fan-out waker was registered
                // shows `interest` not ready: the next change comes with an edge.
                return Poll::Pending;
            }
            read_since_clear = true;
        }
    }
}
