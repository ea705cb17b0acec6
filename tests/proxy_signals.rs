//! Signals do not break the crate's own loops: a proxy keeps running (`Proxy::run` restarts
//! libzmq's loop), a `ProxyControl` command and its reply stay paired, and the helper threads
//! (`ProxyThread`, the ZAP handler) are not interrupted at all. Own binary: it installs a
//! process-wide signal handler (SIGUSR1, without SA_RESTART, so blocking calls fail with EINTR).

#![cfg(unix)]

mod security_util;

use std::sync::{mpsc, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));

extern "C" fn on_signal(_: libc::c_int) {}

fn install_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: a zeroed sigaction with a handler that does nothing and no SA_RESTART,
        // installed for SIGUSR1, which nothing else in this test binary uses.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            action.sa_flags = 0;
            libc::sigemptyset(&mut action.sa_mask);
            assert_eq!(
                libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
                0
            );
        }
    });
}

/// Runs `f` on its own thread and fails the test if it has not returned within `limit` (a
/// blocked thread is left behind, so the test never hangs).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not return within {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked (see above)"),
    }
}

/// Starts `f` on a thread and returns it with the thread's pthread id.
fn spawn_with_id<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> (JoinHandle<T>, libc::pthread_t) {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        // SAFETY: pthread_self has no preconditions.
        tx.send(unsafe { libc::pthread_self() }).unwrap();
        f()
    });
    (thread, rx.recv().unwrap())
}

/// Sends `count` SIGUSR1 to the (not yet joined) thread, `gap` apart, while it runs.
fn signal_thread<T>(thread: &JoinHandle<T>, id: libc::pthread_t, count: usize, gap: Duration) {
    for _ in 0..count {
        if thread.is_finished() {
            return;
        }
        // SAFETY: `id` is a thread that has not been joined (its JoinHandle is borrowed), so
        // the id is valid; SIGUSR1 has a handler.
        unsafe { libc::pthread_kill(id, libc::SIGUSR1) };
        std::thread::sleep(gap);
    }
}

/// `zmq::proxy` is not ended by signals: libzmq's loop is started again, and it still
/// forwards afterwards; the end of the context still ends it with Ok.
#[test]
fn proxy_run_is_not_ended_by_signals() -> zmq::Result<()> {
    install_handler();
    let ctx = zmq::Context::new();
    let front = ctx.socket(zmq::PULL)?;
    front.bind("inproc://sig-run-in")?;
    let back = ctx.socket(zmq::PUSH)?;
    back.bind("inproc://sig-run-out")?;
    let (runner, id) = spawn_with_id(move || zmq::proxy(&front, &back));
    std::thread::sleep(Duration::from_millis(50));
    signal_thread(&runner, id, 20, Duration::from_millis(10));
    if runner.is_finished() {
        panic!("a signal ended the proxy: {:?}", runner.join());
    }
    let producer = ctx.socket(zmq::PUSH)?;
    producer.connect("inproc://sig-run-in")?;
    let consumer = ctx.socket(zmq::PULL)?;
    consumer.connect("inproc://sig-run-out")?;
    consumer.set_rcvtimeo(TIMEOUT)?;
    producer.send("after the signals")?;
    assert_eq!(consumer.recv_string()?, "after the signals");
    ctx.shutdown()?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while !runner.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        runner.is_finished(),
        "the proxy did not end with its context"
    );
    runner.join().unwrap()
}

/// A `ProxyControl` interrupted while it waits for the proxy's reply keeps waiting, so the
/// reply is not left behind to be taken as the answer to the next command.
#[test]
fn proxy_control_commands_stay_paired_under_signals() -> zmq::Result<()> {
    install_handler();
    let v435 = zmq::version() == (4, 3, 5);
    let ctx = zmq::Context::new();
    // The test plays the proxy's side of the control socket, and answers slowly.
    let fake = ctx.socket(zmq::PAIR)?;
    fake.bind("inproc://sig-control")?;
    fake.set_rcvtimeo(TIMEOUT)?;
    fake.set_sndtimeo(TIMEOUT)?;
    let socket = ctx.socket(zmq::PAIR)?;
    socket.connect("inproc://sig-control")?;
    let control = zmq::ProxyControl::new(socket)?;
    let (controller, id) = spawn_with_id(move || {
        let paused = control.pause();
        let stats = control.statistics();
        (paused, stats)
    });
    let counters: Vec<Vec<u8>> = (1..=8u64).map(|v| v.to_ne_bytes().to_vec()).collect();

    // PAUSE (RESUME on 4.3.5, which has them swapped): interrupt the wait for its reply.
    let command = fake.recv_string()?;
    assert_eq!(command, if v435 { "RESUME" } else { "PAUSE" });
    signal_thread(&controller, id, 10, Duration::from_millis(20));
    if v435 {
        fake.send("")?;
    } else {
        assert_eq!(fake.recv_string()?, "STATISTICS");
        fake.send_multipart(counters.iter())?;
    }
    // STATISTICS: interrupt again, then answer.
    assert_eq!(fake.recv_string()?, "STATISTICS");
    signal_thread(&controller, id, 10, Duration::from_millis(20));
    fake.send_multipart(counters.iter())?;

    let (paused, stats) = controller.join().unwrap();
    paused.expect("pause must not fail because of a signal");
    let stats = stats.expect("statistics must get their own reply");
    assert_eq!(stats.frontend_recv_messages, 1);
    assert_eq!(stats.backend_sent_bytes, 8);
    Ok(())
}

/// The ids of this process's threads called `name`, once there is at least one (a new
/// thread names itself as it starts): waits up to five seconds.
#[cfg(target_os = "linux")]
fn threads_named(name: &str) -> Vec<libc::pid_t> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut tids = Vec::new();
        for entry in std::fs::read_dir("/proc/self/task").unwrap() {
            let entry = entry.unwrap();
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            if comm.trim_end() == name {
                tids.push(entry.file_name().to_string_lossy().parse().unwrap());
            }
        }
        if !tids.is_empty() || Instant::now() >= deadline {
            return tids;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Sends SIGUSR1 to the thread `tid` of this process (`tgkill`), `count` times, `gap` apart.
#[cfg(target_os = "linux")]
fn signal_tid(tid: libc::pid_t, count: usize, gap: Duration) {
    for _ in 0..count {
        // SAFETY: tgkill with this process's id only ever reaches a thread of this process;
        // SIGUSR1 has a handler. A tid that has ended gives ESRCH, which is ignored.
        unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGUSR1) };
        std::thread::sleep(gap);
    }
}

/// A `ProxyThread` is never interrupted (its thread blocks signals): signals sent to it change
/// nothing, not even its pause state or counters.
#[cfg(target_os = "linux")]
#[test]
fn proxy_thread_is_not_interrupted() -> zmq::Result<()> {
    // Bounded as a whole: a proxy thread that dies must fail the test, not hang it.
    within(Duration::from_secs(30), proxy_thread_scenario)
}

#[cfg(target_os = "linux")]
fn proxy_thread_scenario() -> zmq::Result<()> {
    install_handler();
    let ctx = zmq::Context::new();
    let front = ctx.socket(zmq::PULL)?;
    front.bind("inproc://sig-thread-in")?;
    let back = ctx.socket(zmq::PUSH)?;
    back.bind("inproc://sig-thread-out")?;
    let proxy = zmq::ProxyThread::spawn(front, back)?;
    let producer = ctx.socket(zmq::PUSH)?;
    producer.connect("inproc://sig-thread-in")?;
    let consumer = ctx.socket(zmq::PULL)?;
    consumer.connect("inproc://sig-thread-out")?;
    proxy.control().pause()?;
    let tids = threads_named("zmq-proxy");
    assert_eq!(tids.len(), 1, "one proxy thread in this test binary");
    signal_tid(tids[0], 20, Duration::from_millis(10));
    producer.send("held back")?;
    consumer.set_rcvtimeo(Some(Duration::from_millis(200)))?;
    assert!(
        consumer.recv().unwrap_err().is_again(),
        "still paused after the signals"
    );
    proxy.control().resume()?;
    consumer.set_rcvtimeo(TIMEOUT)?;
    assert_eq!(consumer.recv_string()?, "held back");
    assert_eq!(proxy.control().statistics()?.frontend_recv_messages, 1);
    proxy.stop()
}

/// The ZAP handler is not disturbed by signals: decisions stay right and it stays alive.
#[cfg(target_os = "linux")]
#[test]
fn zap_handler_is_not_disturbed_by_signals() {
    use security_util::*;
    install_handler();
    let ctx = zmq::Context::new();
    let auth = zmq::Authenticator::new(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "password")]);
    let tids = threads_named("zmq-zap-handler");
    assert_eq!(tids.len(), 1, "one ZAP handler in this test binary");
    let (server, endpoint, mon) = server(&ctx, |s| s.set_plain_server(true).unwrap());
    for round in 0..3 {
        signal_tid(tids[0], 10, Duration::from_millis(5));
        let c = client(&ctx, &endpoint, |s| {
            s.set_plain_client("admin", "password").unwrap()
        });
        expect_allowed(&c, &server);
        drop(c);
        signal_tid(tids[0], 10, Duration::from_millis(5));
        let c = client(&ctx, &endpoint, |s| {
            s.set_plain_client("admin", "wrong").unwrap()
        });
        expect_refused_by_zap(&c, &server, &mon);
        drop(c);
        assert!(auth.is_alive(), "round {round}");
    }
}
