//! [`AtomicCounter`]: libzmq's atomic counter (`zmq_atomic_counter_*`), for code shared with C
//! that passes counters around; pure Rust code is better served by `std::sync::atomic`.

use crate::error::{cvt_p, Result};
use crate::ffi;
use std::ffi::c_void;

/// A thread-safe integer counter allocated by libzmq.
#[derive(Debug)]
pub struct AtomicCounter {
    raw: *mut c_void,
}

// SAFETY: libzmq's atomic counters are meant to be shared between threads; every operation on
// them is atomic (zmq_atomic_counter_new(3)).
unsafe impl Send for AtomicCounter {}
// SAFETY: as above.
unsafe impl Sync for AtomicCounter {}

impl AtomicCounter {
    /// A new counter at zero.
    #[doc(alias = "zmq_atomic_counter_new")]
    pub fn new() -> Result<AtomicCounter> {
        // SAFETY: no preconditions; null means out of memory.
        let raw = cvt_p(unsafe { ffi::zmq_atomic_counter_new() })?;
        Ok(AtomicCounter { raw })
    }

    /// The raw counter, for calling libzmq directly; valid while `self` is.
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }

    /// Gives up ownership: the caller must `zmq_atomic_counter_destroy` the counter.
    pub fn into_raw(self) -> *mut c_void {
        let this = std::mem::ManuallyDrop::new(self);
        this.raw
    }

    /// Takes ownership of a raw counter (destroyed on drop).
    ///
    /// # Safety
    /// `raw` must be a live counter from `zmq_atomic_counter_new`, owned by nobody else.
    pub unsafe fn from_raw(raw: *mut c_void) -> AtomicCounter {
        AtomicCounter { raw }
    }

    /// Sets the value.
    #[doc(alias = "zmq_atomic_counter_set")]
    pub fn set(&self, value: i32) {
        // SAFETY: `raw` is a live counter until drop.
        unsafe { ffi::zmq_atomic_counter_set(self.raw, value) }
    }

    /// Adds one and returns the value before.
    #[doc(alias = "zmq_atomic_counter_inc")]
    pub fn inc(&self) -> i32 {
        // SAFETY: `raw` is a live counter until drop.
        unsafe { ffi::zmq_atomic_counter_inc(self.raw) }
    }

    /// Subtracts one; returns whether the value is still above zero.
    #[doc(alias = "zmq_atomic_counter_dec")]
    pub fn dec(&self) -> bool {
        // SAFETY: `raw` is a live counter until drop.
        unsafe { ffi::zmq_atomic_counter_dec(self.raw) != 0 }
    }

    /// The current value.
    #[doc(alias = "zmq_atomic_counter_value")]
    pub fn value(&self) -> i32 {
        // SAFETY: `raw` is a live counter until drop.
        unsafe { ffi::zmq_atomic_counter_value(self.raw) }
    }
}

impl Drop for AtomicCounter {
    fn drop(&mut self) {
        // SAFETY: `raw` is live and destroyed exactly once; the call nulls our copy.
        unsafe { ffi::zmq_atomic_counter_destroy(&mut self.raw) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip_keeps_the_counter() {
        let c = AtomicCounter::new().unwrap();
        c.set(41);
        let raw = c.into_raw();
        // SAFETY: `raw` came from `into_raw` just above and nothing else owns it.
        let c = unsafe { AtomicCounter::from_raw(raw) };
        assert_eq!(c.as_raw(), raw);
        assert_eq!(c.inc(), 41);
        assert_eq!(c.value(), 42);
    }

    #[test]
    fn counts_across_threads() {
        let counter = AtomicCounter::new().unwrap();
        counter.set(2);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        counter.inc();
                    }
                });
            }
        });
        assert_eq!(counter.value(), 4002);
        counter.set(2);
        assert!(counter.dec());
        assert!(!counter.dec());
        assert_eq!(counter.inc(), 0);
    }
}
