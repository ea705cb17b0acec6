//! Helpers shared by the async tests (feature `tokio`): bounded awaits, a context that does not
//! linger, a tcp pair on a free port, runtimes, and the process's CPU time.
#![allow(dead_code)]

use std::time::Duration;
use zmq::AsyncSocket;

/// How long one await may take in [`bounded`]: a missed wake-up fails instead of hanging.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Awaits `f` for at most [`LIMIT`].
pub async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    within(LIMIT, "a missed wake-up?", f).await
}

/// Runs `f`, failing the test if it takes longer than `limit`. The deadline is checked before
/// `f` is polled (unlike `tokio::time::timeout`, whose last poll of `f` at the deadline could
/// hide a missed wake-up by completing it then).
pub async fn within<F: std::future::Future>(limit: Duration, what: &str, f: F) -> F::Output {
    tokio::select! {
        biased;
        _ = tokio::time::sleep(limit) => panic!("{what}: still pending after {limit:?}"),
        out = f => out,
    }
}

/// A fresh context whose sockets do not linger, so a test ends at once.
pub fn ctx() -> zmq::Context {
    let ctx = zmq::Context::new();
    ctx.set_default_linger(Some(Duration::ZERO));
    ctx
}

/// A bound socket and a connected one over tcp on a free port.
pub fn tcp_pair<A: zmq::AsyncKind, B: zmq::AsyncKind>(
    ctx: &zmq::Context,
    a: A,
    b: B,
) -> (AsyncSocket<A>, AsyncSocket<B>) {
    let a = ctx.async_socket(a).unwrap();
    a.bind("tcp://127.0.0.1:*").unwrap();
    let b = ctx.async_socket(b).unwrap();
    b.connect(&a.last_endpoint().unwrap()).unwrap();
    (a, b)
}

/// A multi-thread runtime with `workers` threads, I/O and time.
pub fn multi_thread(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap()
}

/// User plus system CPU time of the whole process.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage writes one rusage into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
