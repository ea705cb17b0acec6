//! [`Timers`]: libzmq's timer set (`zmq_timers_*`), for poll loops that also need timeouts.

use crate::error::{cvt, cvt_p, Error, Result};
use crate::ffi;
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// The id of a timer in a [`Timers`] set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimerId(c_int);

type Handler = Box<dyn FnMut(TimerId) + Send>;

/// A set of timers (`zmq_timers_new`): add handlers with intervals, ask how long to wait
/// ([`timeout`](Timers::timeout), e.g. as a poll timeout), then run what is due
/// ([`execute`](Timers::execute)). Handlers run inside `execute`, on the caller's thread.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let fired = Arc::new(AtomicUsize::new(0));
/// let mut timers = zmq::Timers::new()?;
/// let counter = fired.clone();
/// timers.add(Duration::from_millis(10), move |_| { counter.fetch_add(1, Ordering::SeqCst); })?;
/// std::thread::sleep(timers.timeout().unwrap());
/// timers.execute()?;
/// assert_eq!(fired.load(Ordering::SeqCst), 1);
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct Timers {
    raw: *mut c_void,
    // Boxed twice so each handler has a stable thin pointer to give libzmq as `arg`.
    handlers: HashMap<c_int, Box<Handler>>,
}

// SAFETY: a timer set is plain data used by one thread at a time (it is !Sync: every call takes
// `&mut self` or `&self` on one thread), and every handler it holds is `Send`.
unsafe impl Send for Timers {}

thread_local! {
    static PANIC: RefCell<Option<Box<dyn Any + Send>>> = const { RefCell::new(None) };
}

/// Called by zmq_timers_execute for each due timer. A panicking handler must not unwind into C:
/// its payload is kept and re-raised once `execute` is back in Rust.
unsafe extern "C" fn call_handler(timer_id: c_int, arg: *mut c_void) {
    // SAFETY: `arg` is the Box<Handler> registered for this timer; it stays alive until the
    // timer is cancelled (after which libzmq no longer calls it) or the set is dropped.
    let handler = unsafe { &mut *(arg as *mut Handler) };
    if let Err(payload) =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(TimerId(timer_id))))
    {
        PANIC.with(|p| *p.borrow_mut() = Some(payload));
    }
}

/// Whole milliseconds, a fraction rounded up (500 µs is 1 ms, never 0), and at least one: libzmq's
/// `zmq_timers_execute` re-inserts a due timer at `now + interval` while it walks the due ones, so
/// a zero interval would loop forever.
fn interval_ms(interval: Duration) -> Result<usize> {
    let ms = interval.as_millis() + u128::from(interval.subsec_nanos() % 1_000_000 != 0);
    match usize::try_from(ms) {
        Ok(0) => Err(Error::InvalidArgument(
            "a timer interval must be at least 1 ms",
        )),
        Ok(ms) => Ok(ms),
        Err(_) => Err(Error::InvalidArgument("timer interval too long")),
    }
}

impl Timers {
    /// An empty timer set.
    #[doc(alias = "zmq_timers_new")]
    pub fn new() -> Result<Timers> {
        // SAFETY: zmq_timers_new has no preconditions; null means failure.
        let raw = cvt_p(unsafe { ffi::zmq_timers_new() })?;
        Ok(Timers {
            raw,
            handlers: HashMap::new(),
        })
    }

    /// Adds a timer that calls `handler` every `interval`, starting one interval from now.
    /// libzmq counts whole milliseconds: a fraction is rounded up (500 µs is 1 ms); a zero
    /// interval is [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument).
    #[doc(alias = "zmq_timers_add")]
    pub fn add<F: FnMut(TimerId) + Send + 'static>(
        &mut self,
        interval: Duration,
        handler: F,
    ) -> Result<TimerId> {
        let ms = interval_ms(interval)?;
        let mut boxed: Box<Handler> = Box::new(Box::new(handler));
        let arg = &mut *boxed as *mut Handler as *mut c_void;
        // SAFETY: `raw` is live; `arg` points at the boxed handler, kept in `handlers` until the
        // timer is cancelled or the set dropped, so it outlives every call libzmq makes with it.
        let id = cvt(unsafe { ffi::zmq_timers_add(self.raw, ms, Some(call_handler), arg) })?;
        self.handlers.insert(id, boxed);
        Ok(TimerId(id))
    }

    /// Cancels a timer; its handler is dropped.
    #[doc(alias = "zmq_timers_cancel")]
    pub fn cancel(&mut self, id: TimerId) -> Result<()> {
        // SAFETY: `raw` is live; an unknown id is EINVAL.
        cvt(unsafe { ffi::zmq_timers_cancel(self.raw, id.0) })?;
        // libzmq never calls a cancelled timer again, so its handler can go now.
        self.handlers.remove(&id.0);
        Ok(())
    }

    /// Changes a timer's interval (rounded up to whole milliseconds, as in
    /// [`add`](Timers::add)); the next expiry is one new interval from now.
    #[doc(alias = "zmq_timers_set_interval")]
    pub fn set_interval(&mut self, id: TimerId, interval: Duration) -> Result<()> {
        let ms = interval_ms(interval)?;
        // SAFETY: `raw` is live; an unknown id is EINVAL.
        cvt(unsafe { ffi::zmq_timers_set_interval(self.raw, id.0, ms) }).map(drop)
    }

    /// Restarts a timer's interval from now.
    #[doc(alias = "zmq_timers_reset")]
    pub fn reset(&mut self, id: TimerId) -> Result<()> {
        // SAFETY: `raw` is live; an unknown id is EINVAL.
        cvt(unsafe { ffi::zmq_timers_reset(self.raw, id.0) }).map(drop)
    }

    /// How long until the next timer is due (zero if one is overdue), or `None` with no timers.
    #[doc(alias = "zmq_timers_timeout")]
    pub fn timeout(&mut self) -> Option<Duration> {
        // SAFETY: `raw` is live; zmq_timers_timeout only reads and prunes cancelled timers.
        let ms = unsafe { ffi::zmq_timers_timeout(self.raw) };
        (ms >= 0).then(|| Duration::from_millis(ms as u64))
    }

    /// Runs the handlers of every timer that is due. A handler's panic is re-raised here, after
    /// libzmq has returned.
    #[doc(alias = "zmq_timers_execute")]
    pub fn execute(&mut self) -> Result<()> {
        // SAFETY: `raw` is live and every registered `arg` points at a live handler.
        let rc = unsafe { ffi::zmq_timers_execute(self.raw) };
        if let Some(payload) = PANIC.with(|p| p.borrow_mut().take()) {
            std::panic::resume_unwind(payload);
        }
        cvt(rc).map(drop)
    }

    /// The number of live timers.
    pub fn len(&self) -> usize {
        self.handlers.len()
    }

    /// Whether there are no live timers.
    pub fn is_empty(&self) -> bool {
        self.handlers.is_empty()
    }

    /// The raw timer set, for calling libzmq directly; valid while `self` is. There is no
    /// `from_raw`/`into_raw`: the handlers libzmq calls are Rust closures this set owns.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }
}

impl Drop for Timers {
    fn drop(&mut self) {
        // SAFETY: `raw` is live and destroyed once; zmq_timers_destroy nulls our copy.
        unsafe { ffi::zmq_timers_destroy(&mut self.raw) };
    }
}

impl std::fmt::Debug for Timers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timers")
            .field("timers", &self.handlers.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn timers_fire_cancel_and_reschedule() {
        let mut timers = Timers::new().unwrap();
        assert_eq!(timers.timeout(), None);
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let fast = timers
            .add(Duration::from_millis(5), move |_| {
                h.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        let slow_hits = Arc::new(AtomicUsize::new(0));
        let s = slow_hits.clone();
        let slow = timers
            .add(Duration::from_secs(3600), move |_| {
                s.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        assert!(timers.timeout().unwrap() <= Duration::from_millis(5));
        std::thread::sleep(Duration::from_millis(20));
        timers.execute().unwrap();
        assert_eq!(hits.load(Ordering::SeqCst), 1);
        assert_eq!(slow_hits.load(Ordering::SeqCst), 0);

        timers.cancel(fast).unwrap();
        assert_eq!(
            timers.cancel(fast).unwrap_err().kind(),
            crate::ErrorKind::Invalid
        );
        std::thread::sleep(Duration::from_millis(20));
        timers.execute().unwrap();
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "a cancelled timer must not fire"
        );

        timers.set_interval(slow, Duration::from_millis(1)).unwrap();
        std::thread::sleep(Duration::from_millis(10));
        timers.execute().unwrap();
        assert_eq!(slow_hits.load(Ordering::SeqCst), 1);
        timers.reset(slow).unwrap();
        assert_eq!(timers.len(), 1);
    }

    /// A sub-millisecond interval is a valid timer of 1 ms (rounded up, never down to the
    /// forbidden 0), and a fractional one rounds up too.
    #[test]
    fn sub_millisecond_intervals_round_up() {
        assert_eq!(interval_ms(Duration::from_micros(500)).unwrap(), 1);
        assert_eq!(interval_ms(Duration::from_nanos(1)).unwrap(), 1);
        assert_eq!(interval_ms(Duration::from_micros(1500)).unwrap(), 2);
        assert_eq!(interval_ms(Duration::from_millis(3)).unwrap(), 3);
        assert!(interval_ms(Duration::ZERO).is_err());
        assert!(interval_ms(Duration::MAX).is_err());

        let mut timers = Timers::new().unwrap();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let id = timers
            .add(Duration::from_micros(500), move |_| {
                h.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap();
        timers.set_interval(id, Duration::from_micros(200)).unwrap();
        std::thread::sleep(Duration::from_millis(5));
        timers.execute().unwrap();
        assert_eq!(hits.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_panicking_handler_is_reraised_in_rust() {
        let mut timers = Timers::new().unwrap();
        assert_eq!(
            timers.add(Duration::ZERO, |_| {}).unwrap_err().kind(),
            crate::ErrorKind::InvalidArgument,
            "a zero interval would make execute spin forever"
        );
        timers
            .add(Duration::from_millis(1), |_| panic!("handler failed"))
            .unwrap();
        std::thread::sleep(Duration::from_millis(2));
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| timers.execute()));
        assert!(caught.is_err());
    }
}
