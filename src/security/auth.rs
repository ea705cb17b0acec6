//! The ZAP authenticator (ZeroMQ RFC 27): a thread serving `inproc://zeromq.zap.01` in a
//! context, with allow/deny IP lists, PLAIN passwords, CURVE keys or certificates, GSSAPI, and
//! caller-supplied decisions, configured per ZAP domain.

use super::cert::{io_error, read_small, scan_certificates, Skipped};
use super::curve::CurvePublicKey;
use crate::error::{Error, Result};
use crate::socket::{Pair, Rep, Socket};
use crate::{Context, Message};
use crate::{Flags, SNDMORE};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;
use zeroize::{Zeroize, Zeroizing};

/// The endpoint libzmq sends ZAP requests to (one handler per context).
pub const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

const ZAP_VERSION: &[u8] = b"1.0";

/// One ZAP request, as a decision closure sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ZapRequest {
    /// The server socket's ZAP domain (`ZMQ_ZAP_DOMAIN`), maybe empty.
    pub domain: String,
    /// The peer's IP address (no port).
    pub address: String,
    /// The identity frame. libzmq 4.3 sends the server socket's own `ZMQ_ROUTING_ID` here,
    /// not the peer's (RFC 27 says the peer's), so it tells server sockets apart, not clients.
    pub routing_id: Vec<u8>,
    /// `"NULL"`, `"PLAIN"`, `"CURVE"` or `"GSSAPI"`.
    pub mechanism: String,
    /// The mechanism's credentials: none for NULL; user name and password for PLAIN; the
    /// client's 32-byte public key for CURVE; the principal for GSSAPI.
    pub credentials: Vec<Vec<u8>>,
}

impl ZapRequest {
    /// A request, e.g. to ask [`Authenticator::decide`] what it would answer.
    pub fn new(
        domain: impl Into<String>,
        address: impl Into<String>,
        mechanism: impl Into<String>,
        credentials: Vec<Vec<u8>>,
    ) -> ZapRequest {
        ZapRequest {
            domain: domain.into(),
            address: address.into(),
            routing_id: Vec::new(),
            mechanism: mechanism.into(),
            credentials,
        }
    }

    /// The PLAIN user name and password.
    pub fn plain_credentials(&self) -> Option<(&str, &str)> {
        match (self.mechanism.as_str(), self.credentials.as_slice()) {
            ("PLAIN", [user, password]) => Some((
                std::str::from_utf8(user).ok()?,
                std::str::from_utf8(password).ok()?,
            )),
            _ => None,
        }
    }

    /// The CURVE client's public key.
    pub fn curve_key(&self) -> Option<CurvePublicKey> {
        match (self.mechanism.as_str(), self.credentials.as_slice()) {
            ("CURVE", [key]) if key.len() == 32 => CurvePublicKey::from_bytes(key).ok(),
            _ => None,
        }
    }

    /// The GSSAPI principal.
    pub fn gssapi_principal(&self) -> Option<&str> {
        match (self.mechanism.as_str(), self.credentials.as_slice()) {
            ("GSSAPI", [principal]) => std::str::from_utf8(principal).ok(),
            _ => None,
        }
    }
}

/// What the authenticator answers to a [`ZapRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZapDecision {
    /// Status 200: let the peer in. `user_id` becomes the messages' `User-Id` property and each
    /// metadata entry a property of its own (`Message::gets`).
    Allow {
        /// The User-Id.
        user_id: String,
        /// Extra properties.
        metadata: Vec<(String, Vec<u8>)>,
    },
    /// Status 400 (or 300/500): keep the peer out.
    Deny {
        /// The ZAP status code: 300 (temporary), 400 (refused) or 500 (internal error).
        status_code: u16,
        /// Why, sent to libzmq as the status text.
        reason: String,
    },
}

impl ZapDecision {
    /// Allows the peer as `user_id`.
    pub fn allow(user_id: impl Into<String>) -> ZapDecision {
        ZapDecision::Allow {
            user_id: user_id.into(),
            metadata: Vec::new(),
        }
    }

    /// Refuses the peer (status 400).
    pub fn deny(reason: impl Into<String>) -> ZapDecision {
        ZapDecision::Deny {
            status_code: 400,
            reason: reason.into(),
        }
    }

    /// Whether this lets the peer in.
    pub fn is_allowed(&self) -> bool {
        matches!(self, ZapDecision::Allow { .. })
    }
}

type DecideFn = Arc<dyn Fn(&ZapRequest) -> ZapDecision + Send + Sync>;
type CurveFn = Arc<dyn Fn(&str, &CurvePublicKey) -> bool + Send + Sync>;
/// User name -> password; the passwords are wiped when the table is dropped.
type PasswordTable = Arc<HashMap<String, Zeroizing<String>>>;

#[derive(Clone)]
enum CurvePolicy {
    AllowAny,
    Keys(HashSet<CurvePublicKey>),
    Certificates {
        dir: PathBuf,
        modified: Option<std::time::SystemTime>,
        certs: Arc<CertMap>,
        skipped: Skipped,
    },
    Callback(CurveFn),
}

#[derive(Clone, Default)]
struct DomainPolicy {
    plain: Option<PasswordTable>,
    curve: Option<CurvePolicy>,
    gssapi: bool,
    decide: Option<DecideFn>,
}

#[derive(Default)]
struct State {
    allow: HashSet<String>,
    deny: HashSet<String>,
    domains: HashMap<String, DomainPolicy>,
    verbose: bool,
}

/// What the handler thread and the [`Authenticator`] share.
struct Shared {
    state: Mutex<State>,
    /// Whether the thread serves requests with the configured policy (false once it has
    /// failed or ended).
    alive: AtomicBool,
    /// The ZAP socket, kept here (still bound) when the thread had to end for an unexpected
    /// reason: peers are then never answered, so never let in, until the Authenticator goes.
    parked: Mutex<Option<Socket<Rep>>>,
}

/// A ZAP handler running on its own thread, bound to `inproc://zeromq.zap.01` in a
/// [`Context`] (CZMQ's `zauth`, pyzmq's `ThreadAuthenticator`).
///
/// Until configured it lets every NULL peer in and refuses every PLAIN, CURVE and GSSAPI peer.
/// Configuration is per ZAP domain (`ZMQ_ZAP_DOMAIN` of the server socket): a domain with no
/// configuration of its own uses the one for `"*"`; an empty domain is `"*"`. Changes apply to
/// the next handshake, also while connections are being made. libzmq asks ZAP about NULL peers
/// only when the server socket sets a ZAP domain.
///
/// Dropping it (or [`stop`](Authenticator::stop)) stops the thread and unbinds the endpoint.
/// Stopping waits at most five seconds for the thread (a decision callback that is still
/// running then is left to finish on its own).
///
/// # Failing closed
///
/// libzmq lets CURVE peers in (and NULL peers of a server with a ZAP domain) when nothing is
/// bound to the ZAP endpoint, so this handler never leaves the endpoint while it lives:
///
/// - a decision callback that panics refuses that one peer (status 500) and the handler goes
///   on serving;
/// - if the handler thread meets an error it cannot recover from, it stops applying the
///   configuration and answers every request with status 500 ([`is_alive`](Self::is_alive)
///   turns false), and if even that fails it leaves the ZAP socket bound, unanswered, with the
///   `Authenticator`, so handshakes wait and then fail (after the server's
///   `ZMQ_HANDSHAKE_IVL`, 30 s by default);
/// - the endpoint is unbound only by [`stop`](Self::stop), dropping, or the end of the context.
///
/// Once it is stopped, libzmq's own rule applies again. With the `draft` feature, a server
/// socket that also sets a ZAP domain and `set_zap_enforce_domain(true)` (`ZMQ_ZAP_ENFORCE_DOMAIN`)
/// refuses CURVE and NULL peers when no handler is bound at all; PLAIN peers are always refused
/// then.
///
/// The handler thread blocks all signals (as libzmq's own threads do), so a signal meant for
/// the program reaches one of its threads; it retries calls a signal interrupts anyway.
///
/// ```
/// let ctx = zmq::Context::new();
/// let auth = zmq::Authenticator::new(&ctx)?;
/// auth.deny(["192.0.2.1"])?;
/// auth.configure_plain("*", [("admin", "secret")]);
/// assert!(auth.is_alive());
/// // A second handler in the same context is refused.
/// assert!(zmq::Authenticator::new(&ctx).is_err());
/// drop(auth);
/// let again = zmq::Authenticator::new(&ctx)?;
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct Authenticator {
    shared: Arc<Shared>,
    control: Mutex<Option<Socket<Pair>>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("alive", &self.is_alive())
            .finish_non_exhaustive()
    }
}

/// How long stopping waits for the handler thread.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// The command that stops the handler thread.
const STOP: &[u8] = b"TERMINATE";

impl Authenticator {
    /// Binds `inproc://zeromq.zap.01` in `ctx` and starts the handler thread. Fails with
    /// [`ErrorKind::AddrInUse`](crate::ErrorKind::AddrInUse) if the context already has a ZAP
    /// handler.
    pub fn new(ctx: &Context) -> Result<Authenticator> {
        let zap = ctx.socket(crate::REP)?;
        zap.set_linger(Some(Duration::ZERO))?;
        zap.bind(ZAP_ENDPOINT)?;
        let (inner, outer) = crate::pipe::pair_pipe(ctx, "zap-control")?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            alive: AtomicBool::new(true),
            parked: Mutex::new(None),
        });
        let thread_shared = Arc::clone(&shared);
        // The sockets go to the thread through a channel, so that they are still here to be
        // closed (and the endpoint unbound) if the thread cannot be started.
        let (tx, rx) = std::sync::mpsc::channel::<(Socket<Rep>, Socket<Pair>)>();
        let spawned = std::thread::Builder::new()
            .name("zmq-zap-handler".into())
            .spawn(move || {
                if let Ok((zap, inner)) = rx.recv() {
                    serve(zap, inner, thread_shared);
                }
            });
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                let _ = zap.unbind(ZAP_ENDPOINT);
                return Err(Error::Thread(
                    format!("starting the ZAP handler thread: {e}").into(),
                ));
            }
        };
        // The receiver lives until the thread has received: this send cannot fail.
        let _ = tx.send((zap, inner));
        Ok(Authenticator {
            shared,
            control: Mutex::new(Some(outer)),
            thread: Some(thread),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    fn domain(&self, domain: &str, f: impl FnOnce(&mut DomainPolicy)) {
        let key = if domain.is_empty() { "*" } else { domain };
        f(self.state().domains.entry(key.to_owned()).or_default());
    }

    /// Whether the handler thread is running and applying the configuration. `false` after it
    /// failed (it then refuses every peer that asks, see [Failing closed](Self#failing-closed)).
    pub fn is_alive(&self) -> bool {
        self.shared.alive.load(Ordering::SeqCst)
            && self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Prints each decision on stderr.
    pub fn set_verbose(&self, verbose: bool) {
        self.state().verbose = verbose;
    }

    /// Adds addresses to the allow list: peers from other addresses are refused; peers from
    /// these still go through PLAIN/CURVE checks. Cannot be used with [`deny`](Self::deny)
    /// (pyzmq's rule): that is an [`ErrorKind::InvalidArgument`](crate::ErrorKind) error, and
    /// so is an entry that is not an IP address (`"10.0.0.1"`, `"::1"`; no host name, port or
    /// mask), which could never match a peer.
    pub fn allow<I, S>(&self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.add_addresses(true, addresses)
    }

    /// Adds addresses to the deny list: peers from them are refused. Cannot be used with
    /// [`allow`](Self::allow); entries are IP addresses, as for [`allow`](Self::allow).
    pub fn deny<I, S>(&self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.add_addresses(false, addresses)
    }

    /// Adds to the allow or the deny list, refusing to have both (pyzmq's rule).
    fn add_addresses<I, S>(&self, allow: bool, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut state = self.state();
        let state = &mut *state;
        let (list, other) = if allow {
            (&mut state.allow, &state.deny)
        } else {
            (&mut state.deny, &state.allow)
        };
        if !other.is_empty() {
            return Err(Error::InvalidArgument(
                "use an allow list or a deny list, not both",
            ));
        }
        // Entries are compared with the peer's address as libzmq writes it (numeric, no port):
        // anything that is not an IP address (a host name, a port, a mask) would never match,
        // silently. Each is stored in its canonical text, as libzmq prints addresses.
        let mut parsed = Vec::new();
        for address in addresses {
            let address: String = address.into();
            let ip: std::net::IpAddr = address.trim().parse().map_err(|_| {
                Error::InvalidArgument(
                    "allow and deny lists take IP addresses (no host name, port or mask)",
                )
            })?;
            parsed.push(ip.to_string());
        }
        list.extend(parsed);
        Ok(())
    }

    /// Empties the allow and deny lists.
    pub fn clear_address_lists(&self) {
        let mut state = self.state();
        state.allow.clear();
        state.deny.clear();
    }

    /// PLAIN for `domain` with these user names and passwords (replacing earlier ones).
    ///
    /// Passwords are compared in constant time (the time does not depend on where a wrong
    /// password differs) and are wiped from memory when the configuration is replaced or the
    /// authenticator dropped (the strings given here are moved in, not copied).
    pub fn configure_plain<I, U, P>(&self, domain: &str, passwords: I)
    where
        I: IntoIterator<Item = (U, P)>,
        U: Into<String>,
        P: Into<String>,
    {
        let table: HashMap<String, Zeroizing<String>> = passwords
            .into_iter()
            .map(|(u, p)| (u.into(), Zeroizing::new(p.into())))
            .collect();
        let table = Arc::new(table);
        self.domain(domain, |d| d.plain = Some(table));
    }

    /// PLAIN for `domain` with the passwords of a file of `user=password` lines (blank lines and
    /// `#` comments are skipped). A line without `=` is an
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error; a file that is not a regular
    /// file (a FIFO, a device) is an [`ErrorKind::Io`](crate::ErrorKind::Io) error, and one
    /// larger than 64 KiB is `Malformed`. Call again to reload.
    pub fn configure_plain_file(&self, domain: &str, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = read_small(path)?;
        let mut table = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (user, password) = line.split_once('=').ok_or_else(|| {
                Error::Malformed(
                    format!(
                        "password file {} line {}: expected user=password",
                        path.display(),
                        i + 1
                    )
                    .into(),
                )
            })?;
            table.push((user.trim().to_owned(), password.trim().to_owned()));
        }
        self.configure_plain(domain, table);
        Ok(())
    }

    /// CURVE for `domain`: any client key is let in (pyzmq's `CURVE_ALLOW_ANY`); the connection
    /// is still encrypted, and the User-Id is the client's key.
    pub fn configure_curve_any(&self, domain: &str) {
        self.domain(domain, |d| d.curve = Some(CurvePolicy::AllowAny));
    }

    /// CURVE for `domain`: only the clients whose public certificate (`*.key`) is in `dir`.
    ///
    /// The directory is read now (a missing directory is an error) and again whenever its
    /// modification time changes, so adding or deleting a `.key` file takes effect at the next
    /// handshake. A `.key` file that cannot be read or parsed is skipped, with the reason
    /// printed on stderr and kept for [`skipped_certificates`](Self::skipped_certificates): one
    /// bad file never keeps the others (or a deletion) from taking effect. If the directory
    /// cannot be read any more, no client is let in until it can. Each certificate's metadata
    /// becomes properties of the client's messages.
    pub fn configure_curve_certificates(&self, domain: &str, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref().to_path_buf();
        let (modified, certs, skipped) = read_cert_dir(&dir)?;
        log_skipped(&dir, &skipped);
        self.domain(domain, |d| {
            d.curve = Some(CurvePolicy::Certificates {
                dir,
                modified,
                certs: Arc::new(certs),
                skipped,
            })
        });
        Ok(())
    }

    /// The files of `domain`'s certificate directory that were left out at its last reading,
    /// each with the reason (empty when all were read, or the domain has no directory).
    pub fn skipped_certificates(&self, domain: &str) -> Vec<(PathBuf, Error)> {
        let key = if domain.is_empty() { "*" } else { domain };
        match self.state().domains.get(key) {
            Some(DomainPolicy {
                curve: Some(CurvePolicy::Certificates { skipped, .. }),
                ..
            }) => skipped.clone(),
            _ => Vec::new(),
        }
    }

    /// CURVE for `domain`: only these client keys.
    pub fn configure_curve_keys<I>(&self, domain: &str, keys: I)
    where
        I: IntoIterator<Item = CurvePublicKey>,
    {
        let keys = keys.into_iter().collect();
        self.domain(domain, |d| d.curve = Some(CurvePolicy::Keys(keys)));
    }

    /// CURVE for `domain`: `f(domain, client_key)` decides (pyzmq's
    /// `configure_curve_callback`). A panic in `f` refuses the client (status 500); the
    /// handler goes on serving.
    pub fn configure_curve_callback<F>(&self, domain: &str, f: F)
    where
        F: Fn(&str, &CurvePublicKey) -> bool + Send + Sync + 'static,
    {
        self.domain(domain, |d| {
            d.curve = Some(CurvePolicy::Callback(Arc::new(f)))
        });
    }

    /// GSSAPI for `domain`: any authenticated principal is let in, as its User-Id.
    pub fn configure_gssapi(&self, domain: &str) {
        self.domain(domain, |d| d.gssapi = true);
    }

    /// For `domain`, `f` decides every request (any mechanism) that passed the address lists,
    /// instead of the built-in PLAIN/CURVE/GSSAPI checks. A panic in `f` refuses the peer
    /// (status 500); the handler goes on serving.
    pub fn configure_callback<F>(&self, domain: &str, f: F)
    where
        F: Fn(&ZapRequest) -> ZapDecision + Send + Sync + 'static,
    {
        self.domain(domain, |d| d.decide = Some(Arc::new(f)));
    }

    /// Forgets the configuration of `domain` (addresses lists stay).
    pub fn remove_domain(&self, domain: &str) {
        let key = if domain.is_empty() { "*" } else { domain };
        self.state().domains.remove(key);
    }

    /// What the authenticator would answer to `request` now (the decision the thread makes).
    pub fn decide(&self, request: &ZapRequest) -> ZapDecision {
        decide(&self.shared.state, request)
    }

    /// Stops the thread and unbinds the ZAP endpoint (dropping does the same). Waits at most
    /// five seconds for the thread: if a decision callback is still running then, the thread
    /// is left to end on its own once it returns, and this gives an
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) error.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        let control = self
            .control
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let sent = match &control {
            // Never blocks: with the thread gone the PAIR has no peer, and the send fails at
            // once (EAGAIN), which is fine: there is nothing left to stop.
            Some(c) => send_stop(c),
            None => Ok(()),
        };
        let ended = match self.thread.take() {
            Some(thread) => crate::proxy::join_within(thread, STOP_TIMEOUT),
            None => Ok(()),
        };
        drop(control);
        // A ZAP socket the thread left bound, after failing: unbind it now.
        if let Some(zap) = lock(&self.shared.parked).take() {
            let _ = zap.unbind(ZAP_ENDPOINT);
        }
        match sent {
            Err(e) if !e.is_terminated() && !e.is_again() => Err(e),
            _ => ended,
        }
    }

    /// Sends a test-only command to the handler thread.
    #[cfg(test)]
    fn inject(&self, command: &str) {
        let control = self.control.lock().unwrap_or_else(|e| e.into_inner());
        control.as_ref().unwrap().try_send(command).unwrap();
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Sends the stop command without blocking, retrying if a signal interrupts it.
fn send_stop(control: &Socket<Pair>) -> Result<()> {
    loop {
        match control.try_send(STOP) {
            Ok(()) => return Ok(()),
            Err(e) if e.error().kind() == crate::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock (a decision callback runs without it) leaves usable state.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

type CertMap = HashMap<CurvePublicKey, Vec<(String, String)>>;

fn read_cert_dir(dir: &Path) -> Result<(Option<std::time::SystemTime>, CertMap, Skipped)> {
    let modified = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .map_err(|e| io_error("reading", dir, e))?;
    let (certs, skipped) = scan_certificates(dir)?;
    let certs = certs
        .into_iter()
        .map(|c| (*c.public(), c.metadata().to_vec()))
        .collect();
    Ok((Some(modified), certs, skipped))
}

fn log_skipped(dir: &Path, skipped: &[(PathBuf, Error)]) {
    for (path, why) in skipped {
        // Not eprintln!: that panics when stderr is closed.
        let _ = writeln!(
            std::io::stderr(),
            "zmq auth: certificate folder {}: skipped {}: {why}",
            dir.display(),
            path.display()
        );
    }
}

/// Why the handler loop ended.
enum End {
    /// Told to stop: unbind and close.
    Stopped,
    /// The context was terminated: nothing can connect any more.
    Terminated,
    /// Something unexpected: the configuration can no longer be trusted to be applied.
    Failed(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Decide with the configured policy.
    Decide,
    /// Refuse every request (status 500): the handler failed.
    Refuse,
}

/// The handler thread: answers ZAP requests until told to stop or the context ends, and fails
/// closed (see the Authenticator's docs) if anything else ends its loop.
fn serve(zap: Socket<Rep>, control: Socket<Pair>, shared: Arc<Shared>) {
    crate::proxy::block_signals();
    let run = |mode| {
        guarded(|| serve_loop(&zap, &control, &shared.state, mode))
            .unwrap_or_else(|| End::Failed("the handler panicked".into()))
    };
    let mut end = run(Mode::Decide);
    if let End::Failed(why) = &end {
        shared.alive.store(false, Ordering::SeqCst);
        let _ = writeln!(
            std::io::stderr(),
            "zmq auth: the ZAP handler failed ({why}); every peer is refused until the \
             Authenticator is stopped"
        );
        end = run(Mode::Refuse);
    }
    shared.alive.store(false, Ordering::SeqCst);
    match end {
        // Unbinding an inproc endpoint is immediate, while closing the socket frees it only
        // later: a new authenticator may bind as soon as this one is stopped.
        End::Stopped => drop(zap.unbind(ZAP_ENDPOINT)),
        End::Terminated => {}
        // Keep the endpoint bound (requests wait unanswered) while the Authenticator lives.
        End::Failed(_) => *lock(&shared.parked) = Some(zap),
    }
}

fn serve_loop(zap: &Socket<Rep>, control: &Socket<Pair>, state: &Mutex<State>, mode: Mode) -> End {
    let failed = |what: &str, e: Error| End::Failed(format!("{what}: {e}"));
    loop {
        let mut items = [
            zap.as_poll_item(crate::PollEvents::POLLIN),
            control.as_poll_item(crate::PollEvents::POLLIN),
        ];
        let (zap_ready, control_ready) = match crate::poll(&mut items, None) {
            Ok(_) => (items[0].is_readable(), items[1].is_readable()),
            Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
            Err(e) if e.is_terminated() => return End::Terminated,
            Err(e) => return failed("polling", e),
        };
        if control_ready {
            match control.try_recv() {
                #[cfg(test)]
                Ok(Some(m)) if &m[..] == b"TEST-PANIC" => panic!("injected failure"),
                #[cfg(test)]
                Ok(Some(m)) if &m[..] == b"TEST-FAIL" => return End::Failed("injected".into()),
                Ok(_) => return End::Stopped,
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
                Err(e) if e.is_terminated() => return End::Terminated,
                Err(e) => return failed("reading the control socket", e),
            }
        }
        if !zap_ready {
            continue;
        }
        let frames = match recv_request(zap) {
            Ok(Some(frames)) => frames,
            Ok(None) => continue,
            Err(e) if e.is_terminated() => return End::Terminated,
            Err(e) => return failed("receiving a ZAP request", e),
        };
        let reply = match mode {
            Mode::Decide => {
                guarded(|| handle(state, &frames)).unwrap_or_else(|| internal_error_reply(&frames))
            }
            Mode::Refuse => internal_error_reply(&frames),
        };
        match send_reply(zap, reply) {
            Ok(()) => {}
            Err(e) if e.is_terminated() => return End::Terminated,
            Err(e) => return failed("sending a ZAP reply", e),
        }
    }
}

/// One whole request, frame by frame, so that a signal cannot lose part of it (a frame whose
/// receive is interrupted stays queued and is received again). `None` if nothing was waiting.
fn recv_request(zap: &Socket<Rep>) -> Result<Option<Vec<Message>>> {
    let mut frames = Vec::with_capacity(8);
    loop {
        let mut msg = Message::new();
        let flags = if frames.is_empty() {
            crate::DONTWAIT
        } else {
            Flags::empty()
        };
        match zap.recv_msg_with(&mut msg, flags) {
            Ok(_) => {}
            Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
            Err(e) if e.is_again() && frames.is_empty() => return Ok(None),
            Err(e) => return Err(e),
        }
        let more = msg.more();
        frames.push(msg);
        if !more {
            return Ok(Some(frames));
        }
    }
}

/// Sends the reply frame by frame, sending a frame again if a signal interrupted it (the
/// message is kept on failure), so the REP socket stays in step.
fn send_reply(zap: &Socket<Rep>, reply: Vec<Vec<u8>>) -> Result<()> {
    let last = reply.len().saturating_sub(1);
    for (i, frame) in reply.into_iter().enumerate() {
        let mut msg = Message::from(frame);
        let flags = if i < last { SNDMORE } else { Flags::empty() };
        loop {
            match zap.send_msg_with(&mut msg, flags) {
                Ok(()) => break,
                Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

fn reply_frames(
    request_id: &[u8],
    code: &str,
    text: &str,
    user: &[u8],
    meta: Vec<u8>,
) -> Vec<Vec<u8>> {
    vec![
        ZAP_VERSION.to_vec(),
        request_id.to_vec(),
        code.as_bytes().to_vec(),
        text.as_bytes().to_vec(),
        user.to_vec(),
        meta,
    ]
}

/// Status 500 for a request (its id copied, if it has one).
fn internal_error_reply(frames: &[Message]) -> Vec<Vec<u8>> {
    let request_id = frames.get(1).map(|f| &f[..]).unwrap_or_default();
    reply_frames(request_id, "500", "Internal error", b"", Vec::new())
}

/// The reply frames for one request; malformed requests get a 400 so the REP socket stays in
/// step and libzmq refuses the peer.
fn handle(state: &Mutex<State>, frames: &[Message]) -> Vec<Vec<u8>> {
    let request_id = frames.get(1).map(|f| &f[..]).unwrap_or_default();
    let reply = |code: &str, text: &str, user: &[u8], meta| {
        reply_frames(request_id, code, text, user, meta)
    };
    if frames.len() < 6 {
        return reply("400", "Not enough frames", b"", Vec::new());
    }
    if &frames[0][..] != ZAP_VERSION {
        return reply("400", "Invalid version", b"", Vec::new());
    }
    let text = |i: usize| String::from_utf8_lossy(&frames[i]).into_owned();
    let mut request = ZapRequest {
        domain: text(2),
        address: text(3),
        routing_id: frames[4].to_vec(),
        mechanism: text(5),
        credentials: frames[6..].iter().map(|f| f.to_vec()).collect(),
    };
    let decision = decide(state, &request);
    // The credentials may hold a password: wipe this copy.
    request.credentials.iter_mut().for_each(|c| c.zeroize());
    if lock(state).verbose {
        let _ = writeln!(
            std::io::stderr(),
            "zmq auth: {} {} domain={:?} address={}: {:?}",
            if decision.is_allowed() {
                "ALLOWED"
            } else {
                "DENIED"
            },
            request.mechanism,
            request.domain,
            request.address,
            decision
        );
    }
    match decision {
        ZapDecision::Allow { user_id, metadata } => {
            reply("200", "OK", user_id.as_bytes(), encode_metadata(&metadata))
        }
        ZapDecision::Deny {
            status_code,
            reason,
        } => {
            let code = match status_code {
                300 | 400 | 500 => status_code,
                _ => 400,
            };
            reply(&code.to_string(), &reason, b"", Vec::new())
        }
    }
}

/// ZMTP metadata: for each property a 1-byte name length, the name, a 4-byte big-endian value
/// length and the value. Names that do not fit in 255 bytes are left out.
fn encode_metadata(metadata: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in metadata {
        let (Ok(name_len), Ok(value_len)) = (u8::try_from(name.len()), u32::try_from(value.len()))
        else {
            continue;
        };
        if name_len == 0 {
            continue;
        }
        out.push(name_len);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&value_len.to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}

/// Runs `f`, catching a panic: `None` if it panicked. The panic's payload is dropped under a
/// guard too (a payload whose `Drop` panics must not unwind out of here), and leaked if even
/// that panics.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) => {
            if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
                std::mem::forget(again);
            }
            None
        }
    }
}

/// Whether `a` and `b` are equal, in a time that does not depend on where they differ (only on
/// their lengths), so that a wrong password's timing tells nothing about the right one.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (i, &x) in a.iter().enumerate() {
        let y = b.get(i).copied().unwrap_or(0);
        diff |= std::hint::black_box(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

fn internal_error() -> ZapDecision {
    ZapDecision::Deny {
        status_code: 500,
        reason: "Internal error".into(),
    }
}

fn decide(state: &Mutex<State>, request: &ZapRequest) -> ZapDecision {
    let policy = {
        let mut guard = lock(state);
        // The address lists first (pyzmq's order).
        if !guard.allow.is_empty() && !guard.allow.contains(&request.address) {
            return ZapDecision::deny("Address not in allow list");
        }
        if guard.deny.contains(&request.address) {
            return ZapDecision::deny("Address is denied");
        }
        let key = if request.domain.is_empty() {
            "*"
        } else {
            request.domain.as_str()
        };
        let key = if guard.domains.contains_key(key) {
            key
        } else {
            "*"
        };
        // A certificate directory that changed is read again, before the policy is copied out.
        if let Some(DomainPolicy {
            curve:
                Some(CurvePolicy::Certificates {
                    dir,
                    modified,
                    certs,
                    skipped,
                }),
            ..
        }) = guard.domains.get_mut(key)
        {
            let now = std::fs::metadata(&*dir).and_then(|m| m.modified()).ok();
            if now != *modified {
                match read_cert_dir(dir) {
                    Ok((m, c, s)) => {
                        log_skipped(dir, &s);
                        *modified = m;
                        *certs = Arc::new(c);
                        *skipped = s;
                    }
                    Err(e) => {
                        // The folder cannot be read (deleted, no permission): fail closed.
                        let _ = writeln!(
                            std::io::stderr(),
                            "zmq auth: certificate folder {}: {e}; no CURVE client is let in",
                            dir.display()
                        );
                        *modified = None;
                        *certs = Arc::default();
                        *skipped = vec![(dir.clone(), e)];
                    }
                }
            }
        }
        guard.domains.get(key).cloned().unwrap_or_default()
    };
    if let Some(f) = &policy.decide {
        return guarded(|| f(request)).unwrap_or_else(internal_error);
    }
    match request.mechanism.as_str() {
        "NULL" => ZapDecision::allow("anonymous"),
        "PLAIN" => {
            let Some((user, password)) = request.plain_credentials() else {
                return ZapDecision::deny("Invalid credentials");
            };
            match &policy.plain {
                None => ZapDecision::deny("No passwords defined"),
                Some(table) => match table.get(user) {
                    None => ZapDecision::deny("Invalid username"),
                    Some(p) if constant_time_eq(password.as_bytes(), p.as_bytes()) => {
                        ZapDecision::allow(user)
                    }
                    Some(_) => ZapDecision::deny("Invalid password"),
                },
            }
        }
        "CURVE" => {
            let Some(key) = request.curve_key() else {
                return ZapDecision::deny("Invalid credentials");
            };
            let user_id = key.to_z85();
            match &policy.curve {
                None => ZapDecision::deny("No CURVE policy for the domain"),
                Some(CurvePolicy::AllowAny) => ZapDecision::allow(user_id),
                Some(CurvePolicy::Keys(keys)) if keys.contains(&key) => ZapDecision::allow(user_id),
                Some(CurvePolicy::Keys(_)) => ZapDecision::deny("Unknown key"),
                Some(CurvePolicy::Certificates { certs, .. }) => match certs.get(&key) {
                    Some(meta) => ZapDecision::Allow {
                        user_id,
                        metadata: meta
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
                            .collect(),
                    },
                    None => ZapDecision::deny("Unknown key"),
                },
                Some(CurvePolicy::Callback(f)) => match guarded(|| f(&request.domain, &key)) {
                    Some(true) => ZapDecision::allow(user_id),
                    Some(false) => ZapDecision::deny("Unknown key"),
                    None => internal_error(),
                },
            }
        }
        "GSSAPI" => match request.gssapi_principal() {
            Some(principal) if policy.gssapi => ZapDecision::allow(principal),
            Some(_) => ZapDecision::deny("GSSAPI is not configured for the domain"),
            None => ZapDecision::deny("Invalid credentials"),
        },
        _ => ZapDecision::deny("Unsupported mechanism"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn request(mechanism: &str, credentials: &[&[u8]]) -> ZapRequest {
        ZapRequest {
            domain: String::new(),
            address: "127.0.0.1".into(),
            routing_id: Vec::new(),
            mechanism: mechanism.into(),
            credentials: credentials.iter().map(|c| c.to_vec()).collect(),
        }
    }

    #[test]
    fn malformed_requests_get_400_not_a_panic() {
        let state = Mutex::new(State::default());
        for frames in [
            vec![],
            vec![Message::from("1.0")],
            vec![Message::from("1.0"), Message::from("id")],
            vec![
                Message::from("2.0"),
                Message::from("id"),
                Message::from(""),
                Message::from(""),
                Message::from(""),
                Message::from("NULL"),
            ],
        ] {
            let reply = handle(&state, &frames);
            assert_eq!(reply.len(), 6);
            assert_eq!(reply[0], b"1.0");
            assert_eq!(reply[2], b"400");
        }
        // Garbage credentials.
        let s = Mutex::new(State::default());
        assert!(!decide(&s, &request("CURVE", &[b"short"])).is_allowed());
        assert!(!decide(&s, &request("PLAIN", &[b"only-user"])).is_allowed());
        assert!(!decide(&s, &request("PLAIN", &[&[0xff], b"x"])).is_allowed());
        assert!(!decide(&s, &request("GSSAPI", &[])).is_allowed());
        assert!(!decide(&s, &request("WHAT", &[])).is_allowed());
        assert!(decide(&s, &request("NULL", &[])).is_allowed());
    }

    #[test]
    fn metadata_encoding() {
        let meta = encode_metadata(&[("Hello".into(), b"World".to_vec()), (String::new(), vec![])]);
        assert_eq!(meta, b"\x05Hello\x00\x00\x00\x05World");
    }

    #[test]
    fn constant_time_eq_is_equality() {
        let cases: [(&[u8], &[u8]); 8] = [
            (b"", b""),
            (b"secret", b"secret"),
            (b"secret", b"secreT"),
            (b"secret", b"Secret"),
            (b"secret", b"secre"),
            (b"secre", b"secret"),
            (b"", b"x"),
            (b"\x00", b""),
        ];
        for (a, b) in cases {
            assert_eq!(constant_time_eq(a, b), a == b, "{a:?} vs {b:?}");
        }
        // A prefix padded with NULs is not equal (the length counts).
        assert!(!constant_time_eq(b"ab\0", b"ab"));
        assert!(!constant_time_eq(b"ab", b"ab\0"));
    }

    #[test]
    fn passwords_are_compared_exactly() {
        let state = Mutex::new(State::default());
        let table: HashMap<String, Zeroizing<String>> =
            [("admin".to_owned(), Zeroizing::new("pässword".to_owned()))].into();
        lock(&state).domains.insert(
            "*".into(),
            DomainPolicy {
                plain: Some(Arc::new(table)),
                ..DomainPolicy::default()
            },
        );
        let ask = |password: &[u8]| decide(&state, &request("PLAIN", &[b"admin", password]));
        assert_eq!(ask("pässword".as_bytes()), ZapDecision::allow("admin"));
        for wrong in ["pässworD", "", "pässwor", "pässwordd", "passwörd"].map(str::as_bytes) {
            assert!(!ask(wrong).is_allowed(), "{wrong:?}");
        }
    }

    const TIMEOUT: Duration = Duration::from_secs(5);

    fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        while !f() {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn dealer(ctx: &Context) -> Socket<crate::Dealer> {
        let s = ctx.socket(crate::DEALER).unwrap();
        s.set_linger(Some(Duration::ZERO)).unwrap();
        s.set_rcvtimeo(Some(TIMEOUT)).unwrap();
        s.set_sndtimeo(Some(TIMEOUT)).unwrap();
        s
    }

    /// Whether a CURVE client with a fresh key gets a message through to `server` within
    /// `wait`.
    fn curve_client_gets_in(
        ctx: &Context,
        server: &Socket<crate::Dealer>,
        server_key: &CurvePublicKey,
        wait: Duration,
    ) -> bool {
        let client = dealer(ctx);
        let keys = crate::curve_keypair().unwrap();
        client.set_curve_client_keys(&keys, server_key).unwrap();
        client.connect(&server.last_endpoint().unwrap()).unwrap();
        client.send("Hello").unwrap();
        server.set_rcvtimeo(Some(wait)).unwrap();
        match server.recv() {
            Ok(m) => {
                assert_eq!(m, "Hello");
                true
            }
            Err(e) => {
                assert!(e.is_again(), "{e:?}");
                false
            }
        }
    }

    /// A handler whose loop fails stops applying its (allow-any) configuration and refuses
    /// every CURVE client with status 500; if even that fails, the ZAP socket stays bound and
    /// unanswered, so clients still do not get in. Stopping is prompt in both cases and frees
    /// the endpoint.
    #[test]
    fn a_dead_handler_fails_closed() {
        if !crate::has("curve") {
            return;
        }
        let ctx = Context::new();
        let auth = Authenticator::new(&ctx).unwrap();
        auth.configure_curve_any("*");
        let server_keys = crate::curve_keypair().unwrap();
        let server = dealer(&ctx);
        server.set_curve_server_keys(&server_keys.secret).unwrap();
        server
            .set_handshake_ivl(Duration::from_millis(300))
            .unwrap();
        let monitor = server
            .monitor(crate::MonitorEvents::HANDSHAKE_FAILED)
            .unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        assert!(auth.is_alive());
        assert!(curve_client_gets_in(
            &ctx,
            &server,
            &server_keys.public,
            TIMEOUT
        ));

        // The loop panics outside any request: refuse mode.
        auth.inject("TEST-PANIC");
        wait_until("the handler is marked dead", || !auth.is_alive());
        assert!(!curve_client_gets_in(
            &ctx,
            &server,
            &server_keys.public,
            Duration::from_millis(700)
        ));
        let event = monitor
            .wait_for(TIMEOUT, crate::MonitorEvent::is_handshake_failure)
            .unwrap()
            .expect("a handshake failure");
        assert!(
            matches!(
                event,
                crate::MonitorEvent::HandshakeFailedAuth {
                    status_code: 500,
                    ..
                }
            ),
            "{event}"
        );

        // Refuse mode fails too: the ZAP socket is parked, still bound.
        auth.inject("TEST-FAIL");
        wait_until("the ZAP socket is parked", || {
            lock(&auth.shared.parked).is_some()
        });
        assert!(!curve_client_gets_in(
            &ctx,
            &server,
            &server_keys.public,
            Duration::from_millis(700)
        ));

        let started = Instant::now();
        auth.stop().unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        // The endpoint is free for a new handler.
        let again = Authenticator::new(&ctx).unwrap();
        assert!(again.is_alive());
    }
}
