//! `ZMQ_TCP_KEEPALIVE*` reach the TCP connection's file descriptor. libzmq applies them only when
//! built with `ZMQ_HAVE_SO_KEEPALIVE`, `ZMQ_HAVE_TCP_KEEPIDLE`, ... (its configure step finds them
//! on Linux; the `zeromq-src` crate alone does not define them, so zmq-sys's vendored build adds
//! them). Without those defines the options are accepted and silently ignored, and this test fails.

#![cfg(target_os = "linux")]

use std::ffi::{c_int, c_void};
use std::time::Duration;

const IDLE_SECS: i32 = 37;
const INTVL_SECS: i32 = 11;
const COUNT: i32 = 4;

/// The descriptor of the connection a socket makes, from its monitor's CONNECTED event (whose
/// value is the fd).
fn connected_fd<K: zmq::SocketKind>(
    ctx: &zmq::Context,
    socket: &zmq::Socket<K>,
    endpoint: &str,
) -> c_int {
    let monitor_endpoint = "inproc://keepalive-monitor";
    let addr = std::ffi::CString::new(monitor_endpoint).unwrap();
    // SAFETY: the socket is live and `addr` NUL-terminated; libzmq copies the endpoint.
    let rc = unsafe {
        zmq::ffi::zmq_socket_monitor(
            socket.as_raw(),
            addr.as_ptr(),
            zmq::ffi::ZMQ_EVENT_CONNECTED,
        )
    };
    assert_eq!(rc, 0, "zmq_socket_monitor failed: {}", zmq::Error::last());
    let monitor = ctx.socket(zmq::PAIR).unwrap();
    monitor.set_rcvtimeo(Some(Duration::from_secs(5))).unwrap();
    monitor.connect(monitor_endpoint).unwrap();

    socket.connect(endpoint).unwrap();
    let frames = monitor
        .recv_multipart()
        .expect("no CONNECTED event within 5 s");
    assert_eq!(frames.len(), 2, "a monitor event is two frames");
    assert_eq!(frames[0].len(), 6, "event frame: u16 event id + u32 value");
    let event = u16::from_ne_bytes([frames[0][0], frames[0][1]]);
    assert_eq!(i32::from(event), zmq::ffi::ZMQ_EVENT_CONNECTED);
    assert_eq!(frames[1].as_str(), Some(endpoint));
    u32::from_ne_bytes([frames[0][2], frames[0][3], frames[0][4], frames[0][5]]) as c_int
}

fn getsockopt_int(fd: c_int, level: c_int, name: c_int) -> i32 {
    let mut value: c_int = -1;
    let mut len = std::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid for writing and `len` is the size of `value`.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            &mut value as *mut c_int as *mut c_void,
            &mut len,
        )
    };
    assert_eq!(
        rc,
        0,
        "getsockopt({level}, {name}) on fd {fd}: {}",
        std::io::Error::last_os_error()
    );
    value
}

#[test]
fn tcp_keepalive_options_reach_the_connection() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::ROUTER).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    let client = ctx.socket(zmq::DEALER).unwrap();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    client.set_tcp_keepalive(1).unwrap();
    client.set_tcp_keepalive_idle(IDLE_SECS).unwrap();
    client.set_tcp_keepalive_intvl(INTVL_SECS).unwrap();
    client.set_tcp_keepalive_cnt(COUNT).unwrap();
    assert_eq!(client.tcp_keepalive_idle().unwrap(), IDLE_SECS);

    let fd = connected_fd(&ctx, &client, &endpoint);
    // The connection is still up (the ROUTER never closes it), so the descriptor is ours to read.
    assert_eq!(
        getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        1,
        "SO_KEEPALIVE not set"
    );
    assert_eq!(
        getsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE),
        IDLE_SECS,
        "TCP_KEEPIDLE"
    );
    assert_eq!(
        getsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL),
        INTVL_SECS,
        "TCP_KEEPINTVL"
    );
    assert_eq!(
        getsockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT),
        COUNT,
        "TCP_KEEPCNT"
    );
}

#[test]
fn default_connection_has_no_keepalive() {
    // The control case: without the options the OS default (off) stays, so the assertions above
    // really observe the options.
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::ROUTER).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    let client = ctx.socket(zmq::DEALER).unwrap();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    let fd = connected_fd(&ctx, &client, &endpoint);
    assert_eq!(getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE), 0);
}
