//! The lock around an async socket's libzmq socket: a mutex **biased** to the thread that made
//! the socket, so that a socket used from one thread (a current-thread runtime, a task that
//! stays on its worker) pays no atomic read-modify-write per operation.
//!
//! Why: an uncontended `std::sync::Mutex` costs two atomic read-modify-write instructions per
//! lock and unlock (`lock cmpxchg`, `xchg`), about 35 ns on the machine the benchmarks ran on,
//! against some 100 ns for the whole of a 1-byte `zmq_msg_send`; measured side by side, async
//! throughput was 0.6-0.9 of the blocking tools' with it and 1.0-1.2 without it
//! (BENCHMARKS.md).
//!
//! How: the thread the lock is biased to (its *owner*) enters with plain stores: it raises its
//! `depth`, then (after a compiler fence) checks that the bias still holds. Any other thread
//! takes the fallback mutex and, the first time, **revokes** the bias for good: it clears
//! `owner`, makes every thread of the process execute a full memory barrier
//! (`membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`), then waits until the owner's `depth` is 0.
//! This is the asymmetric form of Dekker's algorithm (the owner's side needs only a compiler
//! fence because the revoking side's heavy barrier orders the owner's store and load): after the
//! barrier, either the revoker sees the owner inside (and waits for it to leave, a release
//! store it acquires) or the owner sees the bias gone (and takes the mutex). From then on
//! everyone, the former owner too, uses the mutex: a socket shared by a reader and a writer task
//! on a multi-thread runtime costs what it cost before, plus one revocation.
//!
//! Where `membarrier` is missing (not Linux, a kernel before 4.14, a seccomp filter refusing
//! it), locks are never biased and are the plain mutex.

use std::cell::UnsafeCell;
use std::ops::Deref;
use std::sync::atomic::{compiler_fence, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// A lock giving shared access (`&T`) to one thread at a time; see the module documentation.
pub(crate) struct BiasedLock<T> {
    /// The owner's thread token ([`thread_token`]), 0 when the lock is not (or no longer) biased.
    owner: AtomicUsize,
    /// How many guards the owner holds on the biased path. Written only by the owner, with
    /// plain (non read-modify-write) stores; read by a revoking thread.
    depth: AtomicU32,
    /// The lock of every other thread, and of the owner once the bias is revoked.
    mutex: Mutex<()>,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out `&T` to one thread at a time (the owner on the biased path, or the
// holder of `mutex`; revocation makes the two exclusive, see the module documentation), so
// sharing the lock shares `T` only as moving it between threads would: `T: Send` suffices, as
// for `std::sync::Mutex`.
unsafe impl<T: Send> Sync for BiasedLock<T> {}
// SAFETY: the lock owns its `T`; sending the lock sends the `T`.
unsafe impl<T: Send> Send for BiasedLock<T> {}

/// A held [`BiasedLock`], dereferencing to its value.
pub(crate) struct BiasedGuard<'a, T> {
    lock: &'a BiasedLock<T>,
    /// `None` on the owner's biased path; the mutex's guard otherwise.
    held: Option<MutexGuard<'a, ()>>,
}

impl<T> BiasedLock<T> {
    /// A lock biased to the calling thread (or a plain mutex where biasing is not available).
    pub(crate) fn new(value: T) -> BiasedLock<T> {
        let owner = if heavy_barrier_available() {
            thread_token()
        } else {
            0
        };
        BiasedLock {
            owner: AtomicUsize::new(owner),
            depth: AtomicU32::new(0),
            mutex: Mutex::new(()),
            value: UnsafeCell::new(value),
        }
    }

    /// Locks, waiting for the holder if another thread holds it.
    #[inline(always)]
    pub(crate) fn lock(&self) -> BiasedGuard<'_, T> {
        if let Some(guard) = self.enter_biased() {
            return guard;
        }
        // Built here rather than returned whole by `lock_slow`: a guard returned through memory
        // was written in pieces and read back whole, stalling the owner's path, which shares
        // the slot.
        BiasedGuard {
            lock: self,
            held: Some(self.lock_slow(None)),
        }
    }

    /// Locks if that needs no waiting for another holder of the mutex. (Revoking the bias may
    /// still wait for the owner to leave a held guard, which is brief by contract.)
    pub(crate) fn try_lock(&self) -> Option<BiasedGuard<'_, T>> {
        if let Some(guard) = self.enter_biased() {
            return Some(guard);
        }
        let held = match self.mutex.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        Some(BiasedGuard {
            lock: self,
            held: Some(self.lock_slow(Some(held))),
        })
    }

    /// The value, the lock being gone.
    pub(crate) fn into_inner(self) -> T {
        self.value.into_inner()
    }

    /// The owner's path: plain stores only.
    #[inline(always)]
    fn enter_biased(&self) -> Option<BiasedGuard<'_, T>> {
        let me = thread_token();
        if self.owner.load(Ordering::Relaxed) != me {
            return None;
        }
        // Only this thread writes `depth`: a load and a store, no read-modify-write.
        let depth = self.depth.load(Ordering::Relaxed);
        self.depth.store(depth + 1, Ordering::Relaxed);
        // The store above must not move after the load below; the revoking thread's heavy
        // barrier does the rest (the asymmetric Dekker pairing of the module documentation).
        compiler_fence(Ordering::SeqCst);
        if self.owner.load(Ordering::Relaxed) == me {
            return Some(BiasedGuard {
                lock: self,
                held: None,
            });
        }
        // Revoked in between: step back out and take the mutex like everyone else.
        self.depth.store(depth, Ordering::Release);
        None
    }

    #[cold]
    #[inline(never)]
    fn lock_slow<'a>(&'a self, held: Option<MutexGuard<'a, ()>>) -> MutexGuard<'a, ()> {
        let held = held.unwrap_or_else(|| self.mutex.lock().unwrap_or_else(|e| e.into_inner()));
        if self.owner.load(Ordering::Relaxed) != 0 {
            self.revoke();
        }
        held
    }

    /// Ends the bias for good; called with the mutex held, by a thread that is not the owner.
    #[cold]
    fn revoke(&self) {
        self.owner.store(0, Ordering::Relaxed);
        heavy_barrier();
        // The owner is either inside (its `depth` store is visible now) or will see `owner` at
        // 0 and take the mutex, which this thread holds. Wait for it to leave: a guard is held
        // across non-blocking libzmq calls only (or briefly by user code, by contract).
        let mut spins = 0u32;
        while self.depth.load(Ordering::Acquire) != 0 {
            if spins < 64 {
                std::hint::spin_loop();
                spins += 1;
            } else {
                std::thread::yield_now();
            }
        }
    }
}

impl<T> Deref for BiasedGuard<'_, T> {
    type Target = T;
    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: a guard exists only while this thread holds the lock (biased path or mutex),
        // and the lock gives only shared access to its value.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> Drop for BiasedGuard<'_, T> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.held.is_none() {
            // The owner leaves: a release store that the revoking thread's acquire load pairs
            // with, so everything done inside happens before the revoker goes on.
            let depth = self.lock.depth.load(Ordering::Relaxed);
            self.lock.depth.store(depth - 1, Ordering::Release);
        }
        // Otherwise the mutex guard in `held` unlocks when dropped.
    }
}

thread_local! {
    static TOKEN: u8 = const { 0 };
}

/// A number for the calling thread, never 0: the address of a thread-local byte, which no two
/// live threads share. A thread started after another has exited may get the same address;
/// that is harmless: ownership of a biased lock then passes to the new thread, which enters
/// it exactly as the old one did, and the exited thread held no guard (a guard cannot leave its
/// thread, and one leaked with `mem::forget` would keep `depth` raised whatever the token).
/// Costs one instruction, where a counter needed a lazy first-use branch.
#[inline(always)]
fn thread_token() -> usize {
    TOKEN.with(|t| t as *const u8 as usize)
}

#[cfg(target_os = "linux")]
mod barrier {
    // From linux/membarrier.h (Linux 4.14).
    const MEMBARRIER_CMD_QUERY: libc::c_long = 0;
    const MEMBARRIER_CMD_GLOBAL: libc::c_long = 1;
    const MEMBARRIER_CMD_PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
    const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;

    fn membarrier(cmd: libc::c_long) -> libc::c_long {
        // SAFETY: membarrier takes two integers and touches no memory of ours; an unknown
        // command or a kernel without it gives -1 (EINVAL, ENOSYS, EPERM).
        unsafe { libc::syscall(libc::SYS_membarrier, cmd, 0 as libc::c_long) }
    }

    /// Whether the expedited private barrier works in this process (registering the process for
    /// it, once).
    pub(super) fn register() -> bool {
        let supported = membarrier(MEMBARRIER_CMD_QUERY);
        supported >= 0
            && supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED != 0
            && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0
    }

    /// Makes every running thread of the process execute a full memory barrier.
    pub(super) fn run() {
        if membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0 {
            return;
        }
        // Registered when the lock was biased; a forked child may have to register again.
        if membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0
            && membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0
        {
            return;
        }
        // The slow system-wide barrier needs no registration.
        if membarrier(MEMBARRIER_CMD_GLOBAL) == 0 {
            return;
        }
        // Without a barrier the owner could be inside while this thread goes on: that would be
        // a data race on the socket, so stop rather than risk it. Not seen: the expedited
        // command worked when the lock was biased.
        std::process::abort();
    }
}

#[cfg(not(target_os = "linux"))]
mod barrier {
    pub(super) fn register() -> bool {
        false
    }
    pub(super) fn run() {
        unreachable!("locks are never biased without membarrier")
    }
}

fn heavy_barrier_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(barrier::register)
}

fn heavy_barrier() {
    barrier::run()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_creating_thread_enters_without_the_mutex() {
        let lock = BiasedLock::new(5);
        let g = lock.lock();
        assert_eq!(*g, 5);
        assert_eq!(g.held.is_none(), heavy_barrier_available());
        // Re-entering on the owner's path nests.
        let g2 = lock.lock();
        drop(g);
        drop(g2);
        assert_eq!(lock.depth.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn another_thread_revokes_the_bias_for_good() {
        let lock = Arc::new(BiasedLock::new(0u32));
        let other = Arc::clone(&lock);
        std::thread::spawn(move || {
            let g = other.lock();
            assert!(g.held.is_some());
        })
        .join()
        .unwrap();
        assert_eq!(lock.owner.load(Ordering::Relaxed), 0);
        assert!(lock.lock().held.is_some());
    }

    /// Two threads take the lock in turn while the bias is revoked in the middle of the owner's
    /// run: no two critical sections may overlap (an overlap is seen by the `inside` flag) and
    /// no increment of a plain counter may be lost.
    #[test]
    fn revocation_while_the_owner_is_busy_loses_nothing() {
        use std::sync::atomic::AtomicBool;
        struct Shared {
            count: UnsafeCell<u64>,
            inside: AtomicBool,
        }
        // SAFETY: `count` is only touched under the lock below.
        unsafe impl Send for Shared {}
        fn critical(g: &BiasedGuard<'_, Shared>) {
            assert!(
                !g.inside.swap(true, Ordering::SeqCst),
                "two holders at once"
            );
            // SAFETY: the lock gives this thread exclusive use; volatile so that the read and
            // the write stay apart, widening the window an overlap would need.
            unsafe {
                let v = std::ptr::read_volatile(g.count.get());
                for _ in 0..20 {
                    std::hint::spin_loop();
                }
                std::ptr::write_volatile(g.count.get(), v + 1);
            }
            g.inside.store(false, Ordering::SeqCst);
        }
        for _ in 0..10 {
            let lock = Arc::new(BiasedLock::new(Shared {
                count: UnsafeCell::new(0),
                inside: AtomicBool::new(false),
            }));
            let n = 50_000u64;
            let start = Arc::new(std::sync::Barrier::new(2));
            let (other, start2) = (Arc::clone(&lock), Arc::clone(&start));
            let t = std::thread::spawn(move || {
                start2.wait();
                for _ in 0..n {
                    critical(&other.lock());
                }
            });
            start.wait();
            for _ in 0..n {
                critical(&lock.lock());
            }
            t.join().unwrap();
            // SAFETY: both threads are done.
            assert_eq!(unsafe { *lock.lock().count.get() }, 2 * n);
        }
    }
}
