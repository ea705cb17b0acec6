//! Operation sequences through the safe API over inproc: create, bind, connect, unbind,
//! disconnect, send, receive, set options, poll, monitor, close, shut the context down, in any
//! order, on any socket kind. Every call either works or returns an error; nothing panics,
//! aborts or hangs (every send and receive is non-blocking, every poll has a zero or 1 ms
//! timeout, linger is at most 10 ms), and the context ends when everything is dropped.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use zmq::{Socket, SocketType};

#[derive(Arbitrary, Debug)]
enum Op {
    Create(u8),
    Bind(u8, u8),
    Connect(u8, u8),
    Unbind(u8, u8),
    Disconnect(u8, u8),
    Send(u8, Vec<u8>, bool),
    SendMultipart(u8, Vec<Vec<u8>>),
    Recv(u8),
    RecvMultipart(u8),
    RecvInto(u8, u8),
    Subscribe(u8, Vec<u8>),
    Unsubscribe(u8, Vec<u8>),
    SetHwm(u8, u8),
    SetLinger(u8, u8),
    SetConflate(u8, bool),
    SetRouterMandatory(u8, bool),
    SetRoutingId(u8, Vec<u8>),
    Poll(Vec<u8>, bool),
    Monitor(u8),
    MonitorRecv(u8),
    DropMonitor(u8),
    Close(u8),
    Shutdown,
}

const SLOTS: usize = 6;

fn endpoint(n: u8) -> String {
    format!("inproc://fuzz-{}", n % 4)
}

fn check<T>(r: zmq::Result<T>) {
    if let Err(e) = r {
        // Every error prints and has a kind.
        let _ = (e.to_string(), e.kind());
    }
}

/// The number of threads of this process.
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// Waits until only `baseline` threads are left. A monitor dropped while its socket lives drains
/// the socket's last events on a detached thread (`zmq-monitor-drain`), which ends with them or
/// with the context, and may still be exiting when the input is done: LeakSanitizer, checking
/// then, reports that thread's exit bookkeeping (`__cxa_thread_atexit_impl`, 32 bytes) as a leak
/// (seen once in a 10-minute run; the input alone never did it). A thread still there after
/// 5 s is a real failure: something outlived its context.
fn wait_for_threads(baseline: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while threads() > baseline {
        assert!(
            std::time::Instant::now() < deadline,
            "{} threads still running 5 s after the context ended (before the input: {baseline})",
            threads()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let baseline = threads();
    let ctx = zmq::Context::new();
    let mut sockets: Vec<Option<Socket<SocketType>>> = (0..SLOTS).map(|_| None).collect();
    let mut monitors: Vec<Option<zmq::Monitor>> = (0..SLOTS).map(|_| None).collect();
    let kinds = SocketType::ALL;
    for op in ops.iter().take(128) {
        let slot = |i: &u8| usize::from(*i) % SLOTS;
        match op {
            Op::Create(k) => {
                let kind = kinds[usize::from(*k) % kinds.len()];
                let i = slot(k);
                if let Ok(s) = ctx.socket(kind) {
                    if s.set_linger(Some(Duration::ZERO)).is_ok() {
                        sockets[i] = Some(s);
                    }
                }
            }
            Op::Bind(i, n) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.bind(&endpoint(*n)));
                }
            }
            Op::Connect(i, n) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.connect(&endpoint(*n)));
                }
            }
            Op::Unbind(i, n) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.unbind(&endpoint(*n)));
                }
            }
            Op::Disconnect(i, n) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.disconnect(&endpoint(*n)));
                }
            }
            Op::Send(i, data, more) => {
                if let Some(s) = &sockets[slot(i)] {
                    let flags = if *more {
                        zmq::DONTWAIT | zmq::SNDMORE
                    } else {
                        zmq::DONTWAIT
                    };
                    match s.send_with(&data[..], flags) {
                        Ok(()) => {}
                        Err(e) => check::<()>(Err(e.into())),
                    }
                }
            }
            Op::SendMultipart(i, parts) => {
                if let Some(s) = &sockets[slot(i)] {
                    let r = s.send_multipart_with(parts.iter().map(|p| &p[..]), zmq::DONTWAIT);
                    check(r.map_err(zmq::Error::from));
                }
            }
            Op::Recv(i) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.recv_with(zmq::DONTWAIT));
                }
            }
            Op::RecvMultipart(i) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.recv_multipart_with(zmq::DONTWAIT));
                }
            }
            Op::RecvInto(i, len) => {
                if let Some(s) = &sockets[slot(i)] {
                    let mut buf = vec![0u8; usize::from(*len)];
                    if let Ok(got) = s.recv_into_with(&mut buf, zmq::DONTWAIT) {
                        let _ = got.truncated();
                    }
                }
            }
            Op::Subscribe(i, p) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.subscribe(p));
                }
            }
            Op::Unsubscribe(i, p) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.unsubscribe(p));
                }
            }
            Op::SetHwm(i, v) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.set_sndhwm(i32::from(*v)));
                    check(s.set_rcvhwm(i32::from(*v)));
                }
            }
            Op::SetLinger(i, v) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.set_linger(Some(Duration::from_millis(u64::from(*v % 11)))));
                }
            }
            Op::SetConflate(i, v) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.set_conflate(*v));
                }
            }
            Op::SetRouterMandatory(i, v) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.set_router_mandatory(*v));
                }
            }
            Op::SetRoutingId(i, v) => {
                if let Some(s) = &sockets[slot(i)] {
                    check(s.set_routing_id(v));
                }
            }
            Op::Poll(which, wait) => {
                let mut items: Vec<zmq::PollItem<'_>> = which
                    .iter()
                    .take(SLOTS)
                    .filter_map(|i| sockets[slot(i)].as_ref())
                    .map(|s| s.as_poll_item(zmq::PollEvents::POLLIN | zmq::PollEvents::POLLOUT))
                    .collect();
                let timeout = Duration::from_millis(u64::from(*wait));
                check(zmq::poll(&mut items, Some(timeout)));
            }
            Op::Monitor(i) => {
                if let Some(s) = &sockets[slot(i)] {
                    match s.monitor(zmq::MonitorEvents::ALL) {
                        Ok(m) => monitors[slot(i)] = Some(m),
                        Err(e) => check::<()>(Err(e)),
                    }
                }
            }
            Op::MonitorRecv(i) => {
                if let Some(m) = &monitors[slot(i)] {
                    check(m.try_recv());
                }
            }
            Op::DropMonitor(i) => monitors[slot(i)] = None,
            Op::Close(i) => {
                if let Some(s) = sockets[slot(i)].take() {
                    check(s.close());
                }
            }
            Op::Shutdown => check(ctx.shutdown()),
        }
    }
    // Everything dropped, in slot order, monitors last; the context must end.
    drop(sockets);
    drop(monitors);
    drop(ctx);
    wait_for_threads(baseline);
});
