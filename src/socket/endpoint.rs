//! The port check every bind, connect, unbind and disconnect goes through before libzmq sees the
//! endpoint.
//!
//! libzmq 4.3.5 reads an IP port with `atoi` and casts it to `uint16_t` (`ip_resolver.cpp`,
//! `pgm_socket.cpp`, `norm_engine.cpp`): `tcp://127.0.0.1:99999` listens on 34463, `:-1` on
//! 65535, `:5555abc` on 5555, and an `unbind`/`disconnect` of such an alias acts on the endpoint
//! it wraps to. Only a port that is not a number at all (`:abc`, which `atoi` reads as 0) is
//! refused there. The wrapper therefore accepts a port only if it is decimal digits fitting in a
//! `u16`, or `*` where libzmq allows a wildcard (the bind side, and a connect's source address).
//!
//! It also keeps the inproc names each socket is connected to ([`InprocConnects`]).

use crate::error::{Error, Result};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Which side of a connection an endpoint names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// `bind`, `unbind`: a `*` port (any free port) is allowed.
    Bind,
    /// `connect`, `disconnect`: the port must be a number.
    Connect,
}

/// Whether every port in `endpoint` is acceptable for `side`: for `tcp://host:port`
/// (`tcp://[v6]:port`, and the connect form with a source address `tcp://src:port;host:port`),
/// `udp://[iface;]host:port`, `ws://host:port/path`, `wss://...`, `pgm://`, `epgm://` and
/// `norm://` (`...;group:port`). Other transports, and text without `://`, are libzmq's to judge.
pub(crate) fn ports_are_valid(endpoint: &str, side: Side) -> bool {
    let Some((scheme, address)) = endpoint.split_once("://") else {
        return true;
    };
    let wildcard = side == Side::Bind;
    match scheme {
        // libzmq splits at the last ';' (tcp_address.cpp); the source part is resolved as a
        // bindable address, so its port may be `*`.
        "tcp" => match address.rsplit_once(';') {
            Some((source, dest)) => port_ok(source, true) && port_ok(dest, wildcard),
            None => port_ok(address, wildcard),
        },
        // The part before ';' is an interface, resolved without a port (udp_address.cpp).
        "udp" => port_ok(
            address.rsplit_once(';').map_or(address, |(_, d)| d),
            wildcard,
        ),
        // The port comes before the path; the path may itself hold ':' or '/'.
        "ws" | "wss" => port_ok(
            address.split_once('/').map_or(address, |(a, _)| a),
            wildcard,
        ),
        // `iface;group:port`, the port after the last ':'; no wildcard (atoi would make it 0).
        "pgm" | "epgm" | "norm" => port_ok(address, false),
        _ => true,
    }
}

/// Whether a file descriptor is free, for the endpoints that libzmq 4.3.5 resolves as a network
/// interface name first (`ip_resolver.cpp`: the host of a bind, and the source address of a
/// connect, go through `getifaddrs`, which needs a socket). When that fails libzmq asserts and
/// aborts the process: out of descriptors, `bind("tcp://127.0.0.1:*")` aborted in
/// `ip_resolver.cpp:542`. Checked here first, so the caller gets `EMFILE` (or `ENFILE`)
/// instead; another thread could still take the last descriptor in between, which only
/// narrows libzmq's window. `Err(errno)` when no descriptor is free.
pub(crate) fn descriptor_available(endpoint: &str, side: Side) -> Result<(), i32> {
    let Some((scheme, address)) = endpoint.split_once("://") else {
        return Ok(());
    };
    let resolves_interface = match (scheme, side) {
        ("tcp" | "udp" | "ws" | "wss", Side::Bind) => !address.starts_with("*:"),
        ("tcp", Side::Connect) => address.contains(';'),
        _ => false,
    };
    if !resolves_interface {
        return Ok(());
    }
    probe_descriptor()
}

#[cfg(unix)]
fn probe_descriptor() -> Result<(), i32> {
    // SAFETY: socket() has no preconditions; the descriptor it returns is closed at once.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if errno == libc::EMFILE || errno == libc::ENFILE {
            return Err(errno);
        }
        return Ok(()); // any other failure is libzmq's to meet and report
    }
    // SAFETY: `fd` was just opened here and is not used after.
    unsafe { libc::close(fd) };
    Ok(())
}

#[cfg(not(unix))]
fn probe_descriptor() -> Result<(), i32> {
    Ok(())
}

/// `host:port` with the port after the last ':' (as libzmq finds it: an IPv6 host has colons).
/// The host may not be empty: libzmq's syntax check lets `tcp://:5555` through a connect, which
/// then retries forever without a word (there is no such host).
fn port_ok(host_port: &str, wildcard: bool) -> bool {
    let Some((host, port)) = host_port.rsplit_once(':') else {
        return false;
    };
    if host.is_empty() {
        return false;
    }
    if port == "*" {
        return wildcard;
    }
    // Digits only: `str::parse` would also take a leading '+'.
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_ports() {
        use Side::*;
        for ok in [
            "tcp://127.0.0.1:5555",
            "tcp://127.0.0.1:0",
            "tcp://127.0.0.1:65535",
            "tcp://127.0.0.1:00080",
            "tcp://*:5555",
            "tcp://eth0:5555",
            "tcp://[::1]:5555",
            "tcp://[fe80::1%eth0]:5555",
            "tcp://::1:5555",
            "tcp://localhost:1;127.0.0.1:2",
            "tcp://127.0.0.1:*;127.0.0.1:5555",
            "tcp://[::1]:*;[::1]:5555",
        ] {
            assert!(ports_are_valid(ok, Bind), "{ok}");
            assert!(ports_are_valid(ok, Connect), "{ok}");
        }
        for bind_only in ["tcp://*:*", "tcp://127.0.0.1:*", "tcp://[::1]:*"] {
            assert!(ports_are_valid(bind_only, Bind), "{bind_only}");
            assert!(!ports_are_valid(bind_only, Connect), "{bind_only}");
        }
        for bad in [
            "tcp://127.0.0.1:65536",
            "tcp://127.0.0.1:99999",
            "tcp://127.0.0.1:-1",
            "tcp://127.0.0.1:+1",
            "tcp://127.0.0.1: 1",
            "tcp://127.0.0.1:1 ",
            "tcp://127.0.0.1:abc",
            "tcp://127.0.0.1:5555abc",
            "tcp://127.0.0.1:0x10",
            "tcp://127.0.0.1:",
            "tcp://127.0.0.1",
            "tcp://",
            "tcp://[::1]",
            "tcp://[::1]:99999",
            "tcp://127.0.0.1:**",
            "tcp://127.0.0.1:99999;127.0.0.1:5555",
            "tcp://127.0.0.1;127.0.0.1:5555",
            "tcp://127.0.0.1:1;127.0.0.1:65536",
            "tcp://127.0.0.1:18446744073709551617",
            "tcp://:5555",
            "tcp://:*",
            "tcp://127.0.0.1:1;:5555",
        ] {
            assert!(!ports_are_valid(bad, Bind), "{bad}");
            assert!(!ports_are_valid(bad, Connect), "{bad}");
        }
    }

    #[test]
    fn other_transports() {
        use Side::*;
        assert!(ports_are_valid("ws://127.0.0.1:5555/path", Connect));
        assert!(ports_are_valid("ws://127.0.0.1:5555", Connect));
        assert!(ports_are_valid("ws://[::1]:5555/a:b/c", Connect));
        assert!(ports_are_valid("wss://host:5555/p", Connect));
        assert!(ports_are_valid("ws://127.0.0.1:*/p", Bind));
        assert!(!ports_are_valid("ws://127.0.0.1:*/p", Connect));
        assert!(!ports_are_valid("ws://127.0.0.1:99999/p", Bind));
        assert!(!ports_are_valid("wss://127.0.0.1:-1", Bind));
        assert!(!ports_are_valid("ws://:5555/p", Connect));
        assert!(!ports_are_valid("udp://:5555", Bind));
        assert!(
            !ports_are_valid("ws://127.0.0.1/p:80", Bind),
            "the port is before the path"
        );

        assert!(ports_are_valid("udp://127.0.0.1:5555", Connect));
        assert!(ports_are_valid("udp://*:*", Bind));
        assert!(ports_are_valid("udp://eth0;239.0.0.1:5555", Bind));
        assert!(ports_are_valid("udp://*;239.0.0.1:5555", Bind));
        assert!(!ports_are_valid("udp://eth0;239.0.0.1:70000", Bind));
        assert!(!ports_are_valid("udp://127.0.0.1:*", Connect));

        assert!(ports_are_valid("epgm://eth0;239.192.1.1:5555", Connect));
        assert!(ports_are_valid("norm://2,eth0;239.192.1.1:5555", Bind));
        assert!(!ports_are_valid("pgm://eth0;239.192.1.1:*", Bind));
        assert!(!ports_are_valid("epgm://eth0;239.192.1.1:65536", Connect));

        // Not IP transports, or not an endpoint at all: libzmq's business.
        for other in [
            "inproc://a:99999",
            "ipc:///tmp/x:99999",
            "tipc://{5560,0,0}",
            "vmci://1:99999",
            "no-scheme",
            "ftl://a",
        ] {
            assert!(ports_are_valid(other, Bind), "{other}");
            assert!(ports_are_valid(other, Connect), "{other}");
        }
    }
}

/// The `inproc://` names a socket is connected to, so that it never connects twice to one.
///
/// libzmq 4.3.4 and 4.3.5 can crash (SIGSEGV, a use after free between `zmq_ctx_term` and the
/// reaper thread) when one socket connected two or more times to an inproc name that nothing
/// bound, is closed, and its context terminated: `zmq_ctx_term` then binds a socket of its own
/// to the name, which takes the first pipe and rejects the others while the closed socket's
/// pipes are still being torn down. Reproduced in C against both versions (RELIABILITY.md,
/// section 4); one connection per name never crashed. A second connection to the same inproc
/// peer only doubles the pipe to it, so the wrapper refuses it; `disconnect` forgets the name.
#[derive(Debug, Default)]
pub(crate) struct InprocConnects(Mutex<Vec<Box<str>>>);

/// The error for a second `connect` of one socket to the same inproc name.
#[cold]
fn already_connected() -> Error {
    Error::InvalidArgument(
        "this socket is already connected to that inproc endpoint (disconnect it first); \
         a second connection would be a second pipe to the same peer",
    )
}

impl InprocConnects {
    /// The names connected to, for a socket about to close (no lock needed: `&mut`).
    pub(crate) fn take(&mut self) -> Vec<Box<str>> {
        std::mem::take(self.0.get_mut().unwrap_or_else(PoisonError::into_inner))
    }

    fn names(&self) -> MutexGuard<'_, Vec<Box<str>>> {
        // The guard is held only across one libzmq call, which does not panic.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `connect` (the `zmq_connect` call) for `endpoint`, unless it is an inproc name this
    /// socket is already connected to; remembers an inproc name once connected.
    pub(crate) fn connect(
        &self,
        endpoint: &str,
        connect: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        if !is_inproc(endpoint) {
            return connect();
        }
        let mut names = self.names();
        if names.iter().any(|n| **n == *endpoint) {
            return Err(already_connected());
        }
        connect()?;
        names.push(endpoint.into());
        Ok(())
    }

    /// Runs `disconnect` (the `zmq_disconnect` call) for `endpoint` and forgets an inproc name
    /// once disconnected.
    pub(crate) fn disconnect(
        &self,
        endpoint: &str,
        disconnect: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        if !is_inproc(endpoint) {
            return disconnect();
        }
        let mut names = self.names();
        disconnect()?;
        names.retain(|n| **n != *endpoint);
        Ok(())
    }
}

/// Whether `endpoint` is an `inproc://` one, matched as libzmq matches the transport
/// (case-sensitive).
pub(crate) fn is_inproc(endpoint: &str) -> bool {
    endpoint.starts_with("inproc://")
}
