//! Proxies: [`proxy`] and [`Proxy`] (`zmq_proxy`, `zmq_proxy_steerable`), a typed
//! [`ProxyControl`] (pause, resume, terminate, statistics), and [`ProxyThread`], which runs a proxy
//! on its own thread and stops it cleanly.

use crate::error::{cvt, Error, Result};
use crate::socket::{Pair, Socket, SocketKind};
use crate::{ffi, Context};
use std::ffi::c_void;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Forwards messages between `frontend` and `backend` in both directions until the context is
/// terminated or shut down (`zmq_proxy`), which is a normal end: it then returns `Ok(())`.
///
/// Typical pairs: ROUTER/DEALER (a request broker), XSUB/XPUB (a pub/sub forwarder), PULL/PUSH
/// (a streamer).
#[doc(alias = "zmq_proxy")]
pub fn proxy<F: SocketKind, B: SocketKind>(
    frontend: &Socket<F>,
    backend: &Socket<B>,
) -> Result<()> {
    Proxy::new(frontend, backend).run()
}

/// A proxy to run, with an optional capture socket (which gets a copy of every message) and an
/// optional control socket (which steers it: see [`ProxyControl`]).
///
/// ```no_run
/// # fn main() -> zmq::Result<()> {
/// let ctx = zmq::Context::new();
/// let frontend = ctx.socket(zmq::ROUTER)?;
/// frontend.bind("tcp://*:5559")?;
/// let backend = ctx.socket(zmq::DEALER)?;
/// backend.bind("tcp://*:5560")?;
/// zmq::Proxy::new(&frontend, &backend).run()?; // until the context is terminated
/// # Ok(()) }
/// ```
pub struct Proxy<'a> {
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
    control: *mut c_void,
    _sockets: PhantomData<&'a ()>,
}

impl<'a> Proxy<'a> {
    /// A proxy between two sockets.
    pub fn new<F: SocketKind, B: SocketKind>(
        frontend: &'a Socket<F>,
        backend: &'a Socket<B>,
    ) -> Proxy<'a> {
        Proxy {
            frontend: frontend.as_raw(),
            backend: backend.as_raw(),
            capture: std::ptr::null_mut(),
            control: std::ptr::null_mut(),
            _sockets: PhantomData,
        }
    }

    /// Sends a copy of every message to `capture` (a PUB, PUSH, DEALER or PAIR socket).
    pub fn capture<C: SocketKind>(mut self, capture: &'a Socket<C>) -> Proxy<'a> {
        self.capture = capture.as_raw();
        self
    }

    /// Takes commands from `control`: the other end of it is steered with a [`ProxyControl`].
    pub fn control(mut self, control: &'a Socket<Pair>) -> Proxy<'a> {
        self.control = control.as_raw();
        self
    }

    /// Runs the proxy in this thread until a TERMINATE command or the end of the context; both
    /// are normal ends and give `Ok(())`.
    #[doc(alias = "zmq_proxy_steerable")]
    pub fn run(self) -> Result<()> {
        // SAFETY: the four pointers are null or live sockets borrowed for 'a, which outlives
        // this call; libzmq only uses them during the call.
        let rc = unsafe {
            ffi::zmq_proxy_steerable(self.frontend, self.backend, self.capture, self.control)
        };
        match cvt(rc) {
            Ok(_) => Ok(()),
            Err(e) if e.is_terminated() => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Message counts and byte totals of a steerable proxy, per side and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProxyStatistics {
    /// Messages received on the frontend.
    pub frontend_recv_messages: u64,
    /// Bytes received on the frontend.
    pub frontend_recv_bytes: u64,
    /// Messages sent on the frontend.
    pub frontend_sent_messages: u64,
    /// Bytes sent on the frontend.
    pub frontend_sent_bytes: u64,
    /// Messages received on the backend.
    pub backend_recv_messages: u64,
    /// Bytes received on the backend.
    pub backend_recv_bytes: u64,
    /// Messages sent on the backend.
    pub backend_sent_messages: u64,
    /// Bytes sent on the backend.
    pub backend_sent_bytes: u64,
}

/// The steering end of a proxy's control socket: a PAIR socket connected to the one given to
/// [`Proxy::control`].
///
/// libzmq 4.3.5 answers every command (not only STATISTICS) and has PAUSE and RESUME swapped
/// (fixed after 4.3.5, zeromq/libzmq#4600); earlier versions answer STATISTICS only. This type
/// knows both behaviours, so `pause` pauses on every version.
pub struct ProxyControl {
    socket: Socket<Pair>,
    v435: bool,
}

impl ProxyControl {
    /// Wraps the PAIR socket connected to the proxy's control socket.
    ///
    /// Commands and replies time out after five seconds (a proxy that is gone must not hang its
    /// controller): the socket's `sndtimeo` and `rcvtimeo` are set to that.
    pub fn new(socket: Socket<Pair>) -> Result<ProxyControl> {
        socket.set_sndtimeo(Some(COMMAND_TIMEOUT))?;
        socket.set_rcvtimeo(Some(COMMAND_TIMEOUT))?;
        Ok(ProxyControl {
            socket,
            v435: crate::version() == (4, 3, 5),
        })
    }

    /// Sends a command and returns once the proxy has acted on it, so that a `pause` is in
    /// force before the caller's next message reaches the proxy.
    fn command(&self, command: &str) -> Result<()> {
        self.socket.send(command)?;
        if self.v435 {
            // 4.3.5 replies to every command with an empty frame: consume it.
            self.socket.recv()?;
        } else if command != "TERMINATE" {
            // Earlier versions answer STATISTICS only. The control socket is read in order, so
            // the answer to a STATISTICS sent next means the command has been applied.
            self.statistics()?;
        }
        Ok(())
    }

    /// Stops forwarding until [`resume`](ProxyControl::resume); messages wait in the queues.
    pub fn pause(&self) -> Result<()> {
        self.command(if self.v435 { "RESUME" } else { "PAUSE" })
    }

    /// Resumes forwarding.
    pub fn resume(&self) -> Result<()> {
        self.command(if self.v435 { "PAUSE" } else { "RESUME" })
    }

    /// Ends the proxy: its `run` returns `Ok(())`.
    pub fn terminate(&self) -> Result<()> {
        self.command("TERMINATE")
    }

    /// Asks the proxy for its counters.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        self.socket.send("STATISTICS")?;
        let parts = self.socket.recv_multipart()?;
        if parts.len() != 8 {
            return Err(Error::InvalidArgument(
                "proxy statistics reply must have 8 frames",
            ));
        }
        let mut v = [0u64; 8];
        for (slot, part) in v.iter_mut().zip(&parts) {
            let bytes: [u8; 8] = part[..]
                .try_into()
                .map_err(|_| Error::InvalidArgument("proxy statistics frame must be 8 bytes"))?;
            *slot = u64::from_ne_bytes(bytes);
        }
        Ok(ProxyStatistics {
            frontend_recv_messages: v[0],
            frontend_recv_bytes: v[1],
            frontend_sent_messages: v[2],
            frontend_sent_bytes: v[3],
            backend_recv_messages: v[4],
            backend_recv_bytes: v[5],
            backend_sent_messages: v[6],
            backend_sent_bytes: v[7],
        })
    }

    /// The control socket itself.
    pub fn socket(&self) -> &Socket<Pair> {
        &self.socket
    }
}

/// A steerable proxy running on its own thread; [`stop`](ProxyThread::stop) (or dropping it)
/// terminates the proxy and joins the thread.
///
/// ```
/// # fn main() -> zmq::Result<()> {
/// let ctx = zmq::Context::new();
/// let front = ctx.socket(zmq::PULL)?;
/// front.bind("inproc://proxy-doc-in")?;
/// let back = ctx.socket(zmq::PUSH)?;
/// back.bind("inproc://proxy-doc-out")?;
/// let proxy = zmq::ProxyThread::spawn(front, back)?;
///
/// let producer = ctx.socket(zmq::PUSH)?;
/// producer.connect("inproc://proxy-doc-in")?;
/// let consumer = ctx.socket(zmq::PULL)?;
/// consumer.connect("inproc://proxy-doc-out")?;
/// producer.send("through the proxy")?;
/// assert_eq!(consumer.recv_string()?, "through the proxy");
/// proxy.stop()?;
/// # Ok(()) }
/// ```
pub struct ProxyThread {
    control: Option<ProxyControl>,
    thread: Option<JoinHandle<Result<()>>>,
}

static PROXY_IDS: AtomicUsize = AtomicUsize::new(0);
const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);

impl ProxyThread {
    /// Moves the two sockets to a new thread and runs a steerable proxy between them.
    pub fn spawn<F: SocketKind, B: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
    ) -> Result<ProxyThread> {
        ProxyThread::spawn_inner(frontend, backend, None::<Socket<Pair>>)
    }

    /// Like [`spawn`](ProxyThread::spawn), with a capture socket.
    pub fn spawn_with_capture<F: SocketKind, B: SocketKind, C: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
        capture: Socket<C>,
    ) -> Result<ProxyThread> {
        ProxyThread::spawn_inner(frontend, backend, Some(capture))
    }

    fn spawn_inner<F: SocketKind, B: SocketKind, C: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
        capture: Option<Socket<C>>,
    ) -> Result<ProxyThread> {
        let ctx: Context = frontend.context().clone();
        let endpoint = format!(
            "inproc://zmq-rs-proxy-control-{}-{}",
            std::process::id(),
            PROXY_IDS.fetch_add(1, Ordering::Relaxed)
        );
        let inner = ctx.socket(crate::PAIR)?;
        inner.bind(&endpoint)?;
        let outer = ctx.socket(crate::PAIR)?;
        outer.connect(&endpoint)?;
        let thread = std::thread::Builder::new()
            .name("zmq-proxy".into())
            .spawn(move || {
                let mut proxy = Proxy::new(&frontend, &backend).control(&inner);
                if let Some(capture) = capture.as_ref() {
                    proxy = proxy.capture(capture);
                }
                proxy.run()
            })
            .map_err(|_| Error::InvalidArgument("could not start the proxy thread"))?;
        Ok(ProxyThread {
            control: Some(ProxyControl::new(outer)?),
            thread: Some(thread),
        })
    }

    /// Steers the running proxy.
    pub fn control(&self) -> &ProxyControl {
        self.control
            .as_ref()
            .expect("control is present until stop")
    }

    /// Terminates the proxy and waits for its thread; returns the proxy's result.
    pub fn stop(mut self) -> Result<()> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> Result<()> {
        let sent = match self.control.take() {
            Some(control) => control.terminate(),
            None => Ok(()),
        };
        let ended = match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or(Err(Error::InvalidArgument("the proxy thread panicked"))),
            None => Ok(()),
        };
        sent.and(ended)
    }
}

impl Drop for ProxyThread {
    fn drop(&mut self) {
        let _ = self.stop_inner();
    }
}

/// Blocks every signal in the calling thread, as libzmq does in its own threads: for the
/// crate's helper threads (a [`ProxyThread`], the ZAP handler), so that a signal meant for the
/// program is delivered to one of the program's threads, where a blocking call can return
/// `Interrupted`, instead of to a helper thread.
pub(crate) fn block_signals() {
    #[cfg(unix)]
    // SAFETY: `set` is a local sigset_t that sigfillset fully initialises before
    // pthread_sigmask reads it; a null old-set pointer is allowed. Only this thread's mask
    // changes.
    unsafe {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigfillset(set.as_mut_ptr());
        libc::pthread_sigmask(libc::SIG_BLOCK, set.as_ptr(), std::ptr::null_mut());
    }
}
