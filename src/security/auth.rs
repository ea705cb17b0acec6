//! The ZAP authenticator (ZeroMQ RFC 27): a thread serving `inproc://zeromq.zap.01` in a
//! context, with allow/deny IP lists, PLAIN passwords, CURVE keys or certificates, GSSAPI, and
//! caller-supplied decisions, configured per ZAP domain.

use super::cert::{io_error, load_certificates, read_small};
use super::curve::CurvePublicKey;
use crate::error::{Error, Result};
use crate::socket::{Pair, Rep, Socket};
use crate::{Context, Message};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

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

#[derive(Clone)]
enum CurvePolicy {
    AllowAny,
    Keys(HashSet<CurvePublicKey>),
    Certificates {
        dir: PathBuf,
        modified: Option<std::time::SystemTime>,
        certs: HashMap<CurvePublicKey, Vec<(String, String)>>,
    },
    Callback(CurveFn),
}

#[derive(Clone, Default)]
struct DomainPolicy {
    plain: Option<HashMap<String, String>>,
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
///
/// ```
/// let ctx = zmq::Context::new();
/// let auth = zmq::Authenticator::new(&ctx)?;
/// auth.deny(["192.0.2.1"])?;
/// auth.configure_plain("*", [("admin", "secret")]);
/// // A second handler in the same context is refused.
/// assert!(zmq::Authenticator::new(&ctx).is_err());
/// drop(auth);
/// let again = zmq::Authenticator::new(&ctx)?;
/// # Ok::<(), zmq::Error>(())
/// ```
pub struct Authenticator {
    state: Arc<Mutex<State>>,
    control: Mutex<Option<Socket<Pair>>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator").finish_non_exhaustive()
    }
}

static CONTROL_ID: AtomicUsize = AtomicUsize::new(0);

impl Authenticator {
    /// Binds `inproc://zeromq.zap.01` in `ctx` and starts the handler thread. Fails with
    /// [`ErrorKind::AddrInUse`](crate::ErrorKind::AddrInUse) if the context already has a ZAP
    /// handler.
    pub fn new(ctx: &Context) -> Result<Authenticator> {
        let zap = ctx.socket(crate::REP)?;
        zap.set_linger(Some(Duration::ZERO))?;
        zap.bind(ZAP_ENDPOINT)?;
        let endpoint = format!(
            "inproc://zmq-rs.zap-control.{}.{}",
            std::process::id(),
            CONTROL_ID.fetch_add(1, Ordering::Relaxed)
        );
        let inner = ctx.socket(crate::PAIR)?;
        inner.set_linger(Some(Duration::ZERO))?;
        inner.bind(&endpoint)?;
        let outer = ctx.socket(crate::PAIR)?;
        outer.set_linger(Some(Duration::ZERO))?;
        outer.connect(&endpoint)?;
        let state = Arc::new(Mutex::new(State::default()));
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("zmq-zap-handler".into())
            .spawn(move || serve(zap, inner, thread_state))
            .map_err(|e| Error::Io {
                kind: e.kind(),
                message: format!("starting the ZAP handler thread: {e}").into(),
            })?;
        Ok(Authenticator {
            state,
            control: Mutex::new(Some(outer)),
            thread: Some(thread),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn domain(&self, domain: &str, f: impl FnOnce(&mut DomainPolicy)) {
        let key = if domain.is_empty() { "*" } else { domain };
        f(self.state().domains.entry(key.to_owned()).or_default());
    }

    /// Prints each decision on stderr.
    pub fn set_verbose(&self, verbose: bool) {
        self.state().verbose = verbose;
    }

    /// Adds addresses to the allow list: peers from other addresses are refused; peers from
    /// these still go through PLAIN/CURVE checks. Cannot be used with [`deny`](Self::deny)
    /// (pyzmq's rule): that is an [`ErrorKind::InvalidArgument`](crate::ErrorKind) error.
    pub fn allow<I, S>(&self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut state = self.state();
        if !state.deny.is_empty() {
            return Err(Error::InvalidArgument(
                "use an allow list or a deny list, not both",
            ));
        }
        state.allow.extend(addresses.into_iter().map(Into::into));
        Ok(())
    }

    /// Adds addresses to the deny list: peers from them are refused. Cannot be used with
    /// [`allow`](Self::allow).
    pub fn deny<I, S>(&self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut state = self.state();
        if !state.allow.is_empty() {
            return Err(Error::InvalidArgument(
                "use an allow list or a deny list, not both",
            ));
        }
        state.deny.extend(addresses.into_iter().map(Into::into));
        Ok(())
    }

    /// Empties the allow and deny lists.
    pub fn clear_address_lists(&self) {
        let mut state = self.state();
        state.allow.clear();
        state.deny.clear();
    }

    /// PLAIN for `domain` with these user names and passwords (replacing earlier ones).
    pub fn configure_plain<I, U, P>(&self, domain: &str, passwords: I)
    where
        I: IntoIterator<Item = (U, P)>,
        U: Into<String>,
        P: Into<String>,
    {
        let table = passwords
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        self.domain(domain, |d| d.plain = Some(table));
    }

    /// PLAIN for `domain` with the passwords of a file of `user=password` lines (blank lines and
    /// `#` comments are skipped). A line without `=` is an
    /// [`ErrorKind::Malformed`](crate::ErrorKind::Malformed) error. Call again to reload.
    pub fn configure_plain_file(&self, domain: &str, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = read_small(path)?;
        let mut table = HashMap::new();
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
            table.insert(user.trim().to_owned(), password.trim().to_owned());
        }
        self.configure_plain(domain, table);
        Ok(())
    }

    /// CURVE for `domain`: any client key is let in (pyzmq's `CURVE_ALLOW_ANY`); the connection
    /// is still encrypted, and the User-Id is the client's key.
    pub fn configure_curve_any(&self, domain: &str) {
        self.domain(domain, |d| d.curve = Some(CurvePolicy::AllowAny));
    }

    /// CURVE for `domain`: only the clients whose public certificate (`*.key`) is in `dir`. The
    /// directory is read now (a missing directory or a malformed certificate is an error) and
    /// again whenever its modification time changes. Each certificate's metadata becomes
    /// properties of the client's messages.
    pub fn configure_curve_certificates(&self, domain: &str, dir: impl AsRef<Path>) -> Result<()> {
        let dir = dir.as_ref().to_path_buf();
        let (modified, certs) = read_cert_dir(&dir)?;
        self.domain(domain, |d| {
            d.curve = Some(CurvePolicy::Certificates {
                dir,
                modified,
                certs,
            })
        });
        Ok(())
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
    /// `configure_curve_callback`). A panic in `f` refuses the client (status 500).
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
    /// (status 500).
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
        decide(&self.state, request)
    }

    /// Stops the thread and unbinds the ZAP endpoint (dropping does the same).
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
            // If the context was shut down the thread has already left; nothing to send.
            Some(c) => c.send("TERMINATE").map_err(Error::from),
            None => Ok(()),
        };
        if let Some(thread) = self.thread.take() {
            // The handler never panics (callbacks run under catch_unwind).
            let _ = thread.join();
        }
        drop(control);
        match sent {
            Err(e) if !e.is_terminated() => Err(e),
            _ => Ok(()),
        }
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // Nothing panics while holding the lock; a poisoned lock still holds usable state.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

type CertMap = HashMap<CurvePublicKey, Vec<(String, String)>>;

fn read_cert_dir(dir: &Path) -> Result<(Option<std::time::SystemTime>, CertMap)> {
    let modified = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .map_err(|e| io_error("reading", dir, e))?;
    let certs = load_certificates(dir)?
        .into_iter()
        .map(|c| (*c.public(), c.metadata().to_vec()))
        .collect();
    Ok((Some(modified), certs))
}

/// The handler thread: answers ZAP requests until told to stop or the context ends.
fn serve(zap: Socket<Rep>, control: Socket<Pair>, state: Arc<Mutex<State>>) {
    serve_loop(&zap, &control, &state);
    // Unbinding an inproc endpoint is immediate, while closing the socket frees it only later:
    // a new authenticator may bind as soon as this one is stopped.
    let _ = zap.unbind(ZAP_ENDPOINT);
}

fn serve_loop(zap: &Socket<Rep>, control: &Socket<Pair>, state: &Mutex<State>) {
    loop {
        let (zap_ready, control_ready) = match crate::monitor::poll_two(zap, control) {
            Ok(ready) => ready,
            Err(e) if e.kind() == crate::ErrorKind::Interrupted => continue,
            Err(_) => return,
        };
        if control_ready {
            return;
        }
        if !zap_ready {
            continue;
        }
        let frames = match zap.recv_multipart() {
            Ok(frames) => frames,
            Err(e) if e.is_again() || e.kind() == crate::ErrorKind::Interrupted => continue,
            Err(_) => return,
        };
        let reply = handle(state, &frames);
        if let Err(e) = zap.send_multipart(reply) {
            if e.error().is_terminated() {
                return;
            }
        }
    }
}

/// The reply frames for one request; malformed requests get a 400 so the REP socket stays in
/// step and libzmq refuses the peer.
fn handle(state: &Mutex<State>, frames: &[Message]) -> Vec<Vec<u8>> {
    let request_id = frames.get(1).map(|f| f.to_vec()).unwrap_or_default();
    let reply = |code: &str, text: &str, user: &[u8], meta: Vec<u8>| {
        vec![
            ZAP_VERSION.to_vec(),
            request_id.clone(),
            code.as_bytes().to_vec(),
            text.as_bytes().to_vec(),
            user.to_vec(),
            meta,
        ]
    };
    if frames.len() < 6 {
        return reply("400", "Not enough frames", b"", Vec::new());
    }
    if &frames[0][..] != ZAP_VERSION {
        return reply("400", "Invalid version", b"", Vec::new());
    }
    let text = |i: usize| String::from_utf8_lossy(&frames[i]).into_owned();
    let request = ZapRequest {
        domain: text(2),
        address: text(3),
        routing_id: frames[4].to_vec(),
        mechanism: text(5),
        credentials: frames[6..].iter().map(|f| f.to_vec()).collect(),
    };
    let decision = decide(state, &request);
    if lock(state).verbose {
        eprintln!(
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

fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
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
                }),
            ..
        }) = guard.domains.get_mut(key)
        {
            let now = std::fs::metadata(&*dir).and_then(|m| m.modified()).ok();
            if now != *modified {
                if let Ok((m, c)) = read_cert_dir(dir) {
                    *modified = m;
                    *certs = c;
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
                    Some(p) if p == password => ZapDecision::allow(user),
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
}
