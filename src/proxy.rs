//! Proxies: [`proxy`] and [`Proxy`] (`zmq_proxy`, `zmq_proxy_steerable`), a typed
//! [`ProxyControl`] (pause, resume, terminate, statistics), and [`ProxyThread`], which runs a proxy
//! on its own thread and stops it cleanly.

use crate::error::{cvt, Error, Result};
use crate::socket::{Pair, Socket, SocketKind};
use crate::{ffi, Context, Message};
use crate::{Flags, PollEvents};
use std::ffi::c_void;
use std::fmt;
use std::marker::PhantomData;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Forwards messages between `frontend` and `backend` in both directions until the context is
/// terminated or shut down (`zmq_proxy`), which is a normal end: it then returns `Ok(())`.
///
/// A signal does not end it (see [`Proxy::run`]).
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
    ///
    /// Unlike the crate's other blocking calls, a signal does not end it with
    /// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted): when a signal interrupts
    /// libzmq's proxy loop, it is started again. To stop a proxy from a signal handler (Ctrl-C),
    /// shut its context down ([`Context::shutdown`]) or send TERMINATE from another thread.
    ///
    /// libzmq keeps the pause state and the counters inside the call, so after such a restart
    /// a paused proxy forwards again and [`ProxyControl::statistics`] counts from zero; and a
    /// frame whose blocking send the signal interrupts is dropped by libzmq. A [`ProxyThread`]
    /// runs on a thread that blocks signals, so neither happens to it.
    #[doc(alias = "zmq_proxy_steerable")]
    pub fn run(self) -> Result<()> {
        loop {
            // SAFETY: the four pointers are null or live sockets borrowed for 'a, which
            // outlives this call; libzmq only uses them during the call.
            let rc = unsafe {
                ffi::zmq_proxy_steerable(self.frontend, self.backend, self.capture, self.control)
            };
            match cvt(rc) {
                Ok(_) => return Ok(()),
                Err(e) if e.is_terminated() => return Ok(()),
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
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
///
/// Each command waits at most five seconds for the proxy (a proxy that is gone must not hang
/// its controller): then it fails with [`ErrorKind::Again`](crate::ErrorKind::Again). A signal
/// does not interrupt a command: the send or the wait for the reply goes on (within the same
/// five seconds), so every command and its reply stay paired; a reply that still comes late
/// is discarded before the next command.
pub struct ProxyControl {
    socket: Socket<Pair>,
    v435: bool,
}

impl ProxyControl {
    /// Wraps the PAIR socket connected to the proxy's control socket.
    pub fn new(socket: Socket<Pair>) -> Result<ProxyControl> {
        Ok(ProxyControl {
            socket,
            v435: crate::version() == (4, 3, 5),
        })
    }

    /// Sends a command and returns once the proxy has acted on it, so that a `pause` is in
    /// force before the caller's next message reaches the proxy.
    fn command(&self, command: &str, deadline: Instant) -> Result<()> {
        self.discard_late_replies()?;
        self.send_until(command, deadline)?;
        if self.v435 {
            // 4.3.5 replies to every command with one empty frame: wait for it (a late
            // STATISTICS answer, eight frames, is not it).
            loop {
                let reply = self.recv_until(deadline)?;
                if reply.len() == 1 && reply[0].is_empty() {
                    return Ok(());
                }
            }
        } else if command != "TERMINATE" {
            // Earlier versions answer STATISTICS only. The control socket is read in order, so
            // the answer to a STATISTICS sent next means the command has been applied.
            self.send_until("STATISTICS", deadline)?;
            self.statistics_reply(deadline)?;
        }
        Ok(())
    }

    /// Drops replies that came after their command had timed out.
    fn discard_late_replies(&self) -> Result<()> {
        // Bounded: a proxy answers each command once.
        for _ in 0..1024 {
            match self.socket.recv_with(crate::DONTWAIT) {
                Ok(_) => {}
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => {}
                Err(e) if e.is_again() => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Waits until `events` are possible on the socket or `deadline` passes (then `Again`);
    /// signals do not interrupt the wait.
    fn wait(&self, events: PollEvents, deadline: Instant) -> Result<()> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.socket.poll(events, Some(left)) {
                Ok(ready) if ready.contains(events) => return Ok(()),
                Ok(_) if left.is_zero() => return Err(Error::from_errno(libc::EAGAIN)),
                Ok(_) => {}
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn send_until(&self, command: &str, deadline: Instant) -> Result<()> {
        loop {
            self.wait(PollEvents::POLLOUT, deadline)?;
            match self.socket.try_send(command) {
                Ok(()) => return Ok(()),
                Err(e) if e.is_again() || e.error().kind() == crate::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// One whole reply, frame by frame (an interrupted receive is done again: the frame stays
    /// queued).
    fn recv_until(&self, deadline: Instant) -> Result<Vec<Message>> {
        let mut parts = Vec::new();
        loop {
            if parts.is_empty() {
                self.wait(PollEvents::POLLIN, deadline)?;
            }
            let mut msg = Message::new();
            let flags = if parts.is_empty() {
                crate::DONTWAIT
            } else {
                Flags::empty()
            };
            match self.socket.recv_msg_with(&mut msg, flags) {
                Ok(_) => {}
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
                Err(e) if e.is_again() && parts.is_empty() => continue,
                Err(e) => return Err(e),
            }
            let more = msg.more();
            parts.push(msg);
            if !more {
                return Ok(parts);
            }
        }
    }

    /// Waits for a STATISTICS reply (eight 8-byte frames), passing over the empty replies
    /// 4.3.5 gives to other commands.
    fn statistics_reply(&self, deadline: Instant) -> Result<ProxyStatistics> {
        let parts = loop {
            let parts = self.recv_until(deadline)?;
            if !(parts.len() == 1 && parts[0].is_empty()) {
                break parts;
            }
        };
        if parts.len() != 8 {
            return Err(Error::Malformed(
                format!(
                    "proxy statistics reply: {} frames instead of 8",
                    parts.len()
                )
                .into(),
            ));
        }
        let mut v = [0u64; 8];
        for (slot, part) in v.iter_mut().zip(&parts) {
            let bytes: [u8; 8] = part[..].try_into().map_err(|_| {
                Error::Malformed(
                    format!(
                        "proxy statistics reply: a frame of {} bytes instead of 8",
                        part.len()
                    )
                    .into(),
                )
            })?;
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

    /// Stops forwarding until [`resume`](ProxyControl::resume); messages wait in the queues.
    pub fn pause(&self) -> Result<()> {
        let command = if self.v435 { "RESUME" } else { "PAUSE" };
        self.command(command, Instant::now() + COMMAND_TIMEOUT)
    }

    /// Resumes forwarding.
    pub fn resume(&self) -> Result<()> {
        let command = if self.v435 { "PAUSE" } else { "RESUME" };
        self.command(command, Instant::now() + COMMAND_TIMEOUT)
    }

    /// Ends the proxy: its `run` returns `Ok(())`.
    pub fn terminate(&self) -> Result<()> {
        self.command("TERMINATE", Instant::now() + COMMAND_TIMEOUT)
    }

    /// Asks the proxy for its counters.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        self.discard_late_replies()?;
        self.send_until("STATISTICS", deadline)?;
        self.statistics_reply(deadline)
    }

    /// The control socket itself.
    pub fn socket(&self) -> &Socket<Pair> {
        &self.socket
    }
}

/// A steerable proxy running on its own thread; [`stop`](ProxyThread::stop) (or dropping it)
/// terminates the proxy and joins the thread.
///
/// The thread blocks all signals (as libzmq's own threads do), so the proxy is never
/// interrupted and a signal meant for the program reaches one of the program's threads.
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

impl fmt::Debug for ProxyThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyThread").finish_non_exhaustive()
    }
}

const COMMAND_TIMEOUT: Duration = Duration::from_secs(5);

crate::error::hand_back_error! {
    /// [`ProxyThread::spawn`] failed: why, and the sockets it was given, handed back unharmed
    /// (as a tuple: `(frontend, backend)`, or `(frontend, backend, capture)`).
    ///
    /// `?` turns it into an [`Error`]; [`into_sockets`](ProxySpawnError::into_sockets) keeps the
    /// sockets.
    pub struct ProxySpawnError<S> { sockets: S }
    /// The sockets given to `spawn`.
    fn into_sockets;
    display: "starting the proxy thread";
}

/// A started proxy thread, or why not with the sockets given back.
type Spawned<S> = std::result::Result<ProxyThread, ProxySpawnError<S>>;

/// What goes to the proxy thread once it runs.
type ThreadSockets<F, B, C> = (Socket<F>, Socket<B>, Option<Socket<C>>, Socket<Pair>);

impl ProxyThread {
    /// Moves the two sockets to a new thread and runs a steerable proxy between them. If that
    /// fails, the error gives the sockets back and no thread is left behind.
    // The error hands the sockets back (nothing is lost); it is made once, at spawn time.
    #[allow(clippy::result_large_err)]
    pub fn spawn<F: SocketKind, B: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
    ) -> Spawned<(Socket<F>, Socket<B>)> {
        ProxyThread::spawn_inner(frontend, backend, None::<Socket<Pair>>).map_err(
            |(error, frontend, backend, _)| ProxySpawnError {
                error,
                sockets: (frontend, backend),
            },
        )
    }

    /// Like [`spawn`](ProxyThread::spawn), with a capture socket.
    // The error hands the sockets back (nothing is lost); it is made once, at spawn time.
    #[allow(clippy::result_large_err)]
    pub fn spawn_with_capture<F: SocketKind, B: SocketKind, C: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
        capture: Socket<C>,
    ) -> Spawned<(Socket<F>, Socket<B>, Socket<C>)> {
        ProxyThread::spawn_inner(frontend, backend, Some(capture)).map_err(
            |(error, frontend, backend, capture)| ProxySpawnError {
                error,
                // spawn_inner gives back what it was given: Some.
                sockets: (
                    frontend,
                    backend,
                    capture.expect("the capture socket comes back"),
                ),
            },
        )
    }

    #[allow(clippy::type_complexity, clippy::result_large_err)]
    fn spawn_inner<F: SocketKind, B: SocketKind, C: SocketKind>(
        frontend: Socket<F>,
        backend: Socket<B>,
        capture: Option<Socket<C>>,
    ) -> std::result::Result<ProxyThread, (Error, Socket<F>, Socket<B>, Option<Socket<C>>)> {
        // Everything that can fail happens before the thread starts: the sockets are still
        // here to give back, and no thread can be left running without a controller.
        let ctx: Context = frontend.context().clone();
        let setup = || -> Result<(Socket<Pair>, ProxyControl)> {
            let (inner, outer) = crate::pipe::pair_pipe(&ctx, "proxy-control")?;
            Ok((inner, ProxyControl::new(outer)?))
        };
        let (inner, control) = match setup() {
            Ok(pair) => pair,
            Err(e) => return Err((e, frontend, backend, capture)),
        };
        // The sockets reach the thread through a channel, so that they are still here if the
        // thread cannot be started.
        let (tx, rx) = std::sync::mpsc::channel::<ThreadSockets<F, B, C>>();
        let spawned = std::thread::Builder::new()
            .name("zmq-proxy".into())
            .spawn(move || {
                block_signals();
                let (frontend, backend, capture, inner) = rx
                    .recv()
                    .map_err(|_| Error::Thread("the proxy thread got no sockets".into()))?;
                let mut proxy = Proxy::new(&frontend, &backend).control(&inner);
                if let Some(capture) = capture.as_ref() {
                    proxy = proxy.capture(capture);
                }
                proxy.run()
            });
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                let error = Error::Thread(format!("starting the proxy thread: {e}").into());
                return Err((error, frontend, backend, capture));
            }
        };
        // The thread holds the receiver until it has received: this send cannot fail.
        let _ = tx.send((frontend, backend, capture, inner));
        Ok(ProxyThread {
            control: Some(control),
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
    ///
    /// Bounded: it waits at most five seconds in all. A proxy that cannot take the command in
    /// that time (typically blocked sending to a peer that does not read) is left running on
    /// its thread, which ends when its context is shut down ([`Context::shutdown`]) or the
    /// proxy gets to the command; this then gives an
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) error. Dropping does the same, silently.
    pub fn stop(mut self) -> Result<()> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> Result<()> {
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        // A proxy that has already ended (its context was shut down, or it failed) takes no
        // command: do not wait for one.
        let ended = self.thread.as_ref().is_none_or(|t| t.is_finished());
        let sent = match self.control.take() {
            Some(control) if !ended => control.command("TERMINATE", deadline),
            _ => Ok(()),
        };
        // Whether the command went through or not (it fails when the context was shut down
        // first, which also ends the proxy), what counts is whether the thread ends in time.
        drop(sent);
        match self.thread.take() {
            Some(thread) => {
                let left = deadline.saturating_duration_since(Instant::now());
                join_within(thread, left).and_then(|result| result)
            }
            None => Ok(()),
        }
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

/// Joins `thread` if it ends within `limit`; otherwise leaves it running (detached) and gives
/// [`ErrorKind::Again`](crate::ErrorKind::Again). Used to stop the crate's helper threads
/// without ever waiting forever.
pub(crate) fn join_within<T>(thread: JoinHandle<T>, limit: Duration) -> Result<T> {
    let deadline = Instant::now() + limit;
    let mut pause = Duration::from_micros(100);
    while !thread.is_finished() {
        if Instant::now() >= deadline {
            return Err(Error::from_errno(libc::EAGAIN));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
    thread
        .join()
        .map_err(|_| Error::Thread("the thread panicked".into()))
}
