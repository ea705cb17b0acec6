//! Polling: [`poll`] over a slice of [`PollItem`]s (`zmq_poll`), the registry-style [`Poller`]
//! (pyzmq's `zmq.Poller`), and with the `draft` feature the `zmq_poller_*` API ([`DraftPoller`]).
//!
//! ```
//! use std::time::Duration;
//! use zmq::{PollEvents, Poller};
//!
//! let ctx = zmq::Context::new();
//! let pull = ctx.socket(zmq::PULL)?;
//! pull.bind("inproc://doc-poll")?;
//! let push = ctx.socket(zmq::PUSH)?;
//! push.connect("inproc://doc-poll")?;
//!
//! let mut poller = Poller::new();
//! poller.register(&pull, PollEvents::POLLIN);
//! assert!(poller.poll(Some(Duration::from_millis(10)))?.is_empty());
//!
//! push.send("job")?;
//! let ready = poller.poll(Some(Duration::from_secs(5)))?;
//! assert_eq!(ready.events(&pull), Some(PollEvents::POLLIN));
//! # Ok::<(), zmq::Error>(())
//! ```

use crate::error::{cvt, Error, Result};
use crate::ffi;
use crate::socket::{Socket, SocketKind};
use std::ffi::{c_int, c_long, c_void};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

crate::flags::bit_flags! {
    /// Poll event flags: [`PollEvents::POLLIN`], [`PollEvents::POLLOUT`], [`PollEvents::POLLERR`],
    /// [`PollEvents::POLLPRI`], combined with `|` (`ZMQ_EVENTS`, and `zmq_poll` items).
    pub struct PollEvents(i16);
    /// A message can be received (`ZMQ_POLLIN`).
    const POLLIN = ffi::ZMQ_POLLIN;
    /// A message can be sent (`ZMQ_POLLOUT`).
    const POLLOUT = ffi::ZMQ_POLLOUT;
    /// An error condition on a raw file descriptor (`ZMQ_POLLERR`).
    const POLLERR = ffi::ZMQ_POLLERR;
    /// Priority data on a raw file descriptor (`ZMQ_POLLPRI`).
    const POLLPRI = ffi::ZMQ_POLLPRI;
}

impl Default for PollEvents {
    fn default() -> PollEvents {
        PollEvents::empty()
    }
}

/// The readiness questions, asked once here for every type that reports events
/// ([`PollItem`], [`PollResult`], `PollerEvent` (draft), `ZMQ_EVENTS`).
impl PollEvents {
    /// Whether [`PollEvents::POLLIN`] is set: a message can be received.
    pub const fn is_readable(self) -> bool {
        self.contains(PollEvents::POLLIN)
    }
    /// Whether [`PollEvents::POLLOUT`] is set: a message can be sent.
    pub const fn is_writable(self) -> bool {
        self.contains(PollEvents::POLLOUT)
    }
    /// Whether [`PollEvents::POLLERR`] is set: an error condition on a file descriptor.
    pub const fn is_error(self) -> bool {
        self.contains(PollEvents::POLLERR)
    }
}

/// The accessors [`PollItem`] and [`PollerEvent`](crate::PollerEvent) share (both wrap a libzmq
/// struct with `socket` and `fd` fields): whether what occurred (`$occurred()`) makes the socket
/// or file descriptor readable, writable or in error, and which one it is. Written once here.
macro_rules! event_accessors {
    ($occurred:ident, $what:literal) => {
        #[doc = concat!("Whether ", $what, " include [`PollEvents::POLLIN`]: readable.")]
        pub fn is_readable(&self) -> bool {
            self.$occurred().is_readable()
        }

        #[doc = concat!("Whether ", $what, " include [`PollEvents::POLLOUT`]: writable.")]
        pub fn is_writable(&self) -> bool {
            self.$occurred().is_writable()
        }

        #[doc = concat!("Whether ", $what, " include [`PollEvents::POLLERR`]: an error condition.")]
        pub fn is_error(&self) -> bool {
            self.$occurred().is_error()
        }

        /// Whether this is about `socket`.
        pub fn is_socket<K: SocketKind>(&self, socket: &Socket<K>) -> bool {
            !self.raw.socket.is_null() && self.raw.socket == socket.as_raw()
        }

        /// The raw socket this is about, null for a file descriptor.
        pub fn socket_raw(&self) -> *mut c_void {
            self.raw.socket
        }

        /// The file descriptor this is about; `None` for a socket.
        pub fn fd(&self) -> Option<RawFd> {
            if self.raw.socket.is_null() {
                Some(self.raw.fd)
            } else {
                None
            }
        }
    };
}

/// A raw file descriptor as libzmq takes it (`zmq_fd_t`: an `int` on Unix).
pub type RawFd = ffi::zmq_fd_t;

/// libzmq's timeout for `timeout`: `None` is -1 (wait forever); a duration is counted in whole
/// milliseconds, rounded up so that a non-zero wait never becomes a busy poll; a duration longer
/// than `i32::MAX` milliseconds (about 24.8 days, more than libzmq's `poll` can take) waits
/// forever as well.
pub(crate) fn timeout_ms(timeout: Option<Duration>) -> c_long {
    match timeout {
        None => -1,
        Some(d) => {
            let mut ms = d.as_millis();
            if d.subsec_nanos() % 1_000_000 != 0 {
                ms += 1;
            }
            if ms > i32::MAX as u128 {
                -1
            } else {
                ms as c_long
            }
        }
    }
}

/// One entry of a [`poll`] call: a socket or a raw file descriptor, the events to wait for, and
/// after the call the events that occurred ([`revents`](PollItem::revents)).
///
/// It has the layout of libzmq's `zmq_pollitem_t` (`#[repr(transparent)]`), so a slice of items
/// goes to `zmq_poll` as it is. A socket item borrows its socket for `'a`.
#[doc(alias = "zmq_pollitem_t")]
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct PollItem<'a> {
    raw: ffi::zmq_pollitem_t,
    _socket: PhantomData<&'a ()>,
}

impl<'a> PollItem<'a> {
    /// An item that watches the raw file descriptor `fd` (a pipe, a TCP socket of another
    /// library, ...): [`PollEvents::POLLIN`], [`PollEvents::POLLOUT`] and
    /// [`PollEvents::POLLPRI`] mean what `poll(2)` says, and [`PollEvents::POLLERR`] is reported
    /// for any error condition (also when not asked for), including a closed descriptor.
    pub fn from_fd(fd: RawFd, events: PollEvents) -> PollItem<'a> {
        PollItem {
            raw: ffi::zmq_pollitem_t {
                socket: std::ptr::null_mut(),
                fd,
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// An item that watches a file descriptor borrowed for `'a` (Unix).
    #[cfg(unix)]
    pub fn from_borrowed_fd(fd: std::os::fd::BorrowedFd<'a>, events: PollEvents) -> PollItem<'a> {
        use std::os::fd::AsRawFd;
        PollItem::from_fd(fd.as_raw_fd(), events)
    }

    /// The events the item waits for.
    pub fn events(&self) -> PollEvents {
        PollEvents::from_bits(self.raw.events)
    }

    /// Changes the events the item waits for.
    pub fn set_events(&mut self, events: PollEvents) {
        self.raw.events = events.bits();
    }

    /// The events that occurred in the last [`poll`] (empty before the first one).
    pub fn revents(&self) -> PollEvents {
        PollEvents::from_bits(self.raw.revents)
    }

    event_accessors!(revents, "the events that occurred in the last [`poll`]");
}

impl fmt::Debug for PollItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PollItem");
        match self.fd() {
            Some(fd) => d.field("fd", &fd),
            None => d.field("socket", &self.raw.socket),
        };
        d.field("events", &self.events())
            .field("revents", &self.revents())
            .finish()
    }
}

impl<K: SocketKind> Socket<K> {
    /// A [`PollItem`] that watches this socket for `events` ([`PollEvents::POLLIN`] and/or
    /// [`PollEvents::POLLOUT`]), for [`poll`].
    pub fn as_poll_item(&self, events: PollEvents) -> PollItem<'_> {
        PollItem {
            raw: ffi::zmq_pollitem_t {
                socket: self.as_raw(),
                fd: 0,
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// Waits until one of `events` is possible on this socket, or `timeout` passes (`None`:
    /// forever), and returns the events that are (empty on timeout): pyzmq's
    /// `socket.poll(timeout, flags)`.
    #[doc(alias = "zmq_poll")]
    pub fn poll(&self, events: PollEvents, timeout: Option<Duration>) -> Result<PollEvents> {
        let mut items = [self.as_poll_item(events)];
        poll(&mut items, timeout)?;
        Ok(items[0].revents())
    }
}

/// Waits until at least one item is ready or `timeout` passes (`zmq_poll`), and returns how many
/// items are ready; each item's [`revents`](PollItem::revents) says which events occurred.
///
/// `None` waits forever. Durations are counted in whole milliseconds, rounded up; one longer than
/// `i32::MAX` ms (about 24.8 days) waits forever too. `Some(Duration::ZERO)` checks and returns
/// at once.
///
/// With no items, the call just sleeps for `timeout` and returns 0; with no items and no timeout
/// it would sleep forever, so it returns [`ErrorKind::InvalidArgument`](crate::ErrorKind)
/// instead. A signal gives [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted), a context
/// that was shut down [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated).
///
/// ```
/// use std::time::Duration;
/// use zmq::PollEvents;
///
/// let ctx = zmq::Context::new();
/// let a = ctx.socket(zmq::PAIR)?;
/// a.bind("inproc://doc-zmq-poll")?;
/// let b = ctx.socket(zmq::PAIR)?;
/// b.connect("inproc://doc-zmq-poll")?;
/// a.send("hi")?;
/// let mut items = [
///     a.as_poll_item(PollEvents::POLLIN),
///     b.as_poll_item(PollEvents::POLLIN),
/// ];
/// assert_eq!(zmq::poll(&mut items, Some(Duration::from_secs(5)))?, 1);
/// assert!(!items[0].is_readable());
/// assert!(items[1].is_readable());
/// # Ok::<(), zmq::Error>(())
/// ```
#[doc(alias = "zmq_poll")]
pub fn poll(items: &mut [PollItem<'_>], timeout: Option<Duration>) -> Result<usize> {
    if items.is_empty() {
        // libzmq would usleep(timeout * 1000) itself, which overflows for long timeouts and
        // never wakes for an infinite one.
        return match timeout {
            Some(d) => {
                std::thread::sleep(d);
                Ok(0)
            }
            None => Err(Error::InvalidArgument(
                "poll with no items and no timeout would block forever",
            )),
        };
    }
    let n = c_int::try_from(items.len())
        .map_err(|_| Error::InvalidArgument("too many poll items for zmq_poll"))?;
    // SAFETY: `PollItem` is `repr(transparent)` over `zmq_pollitem_t`, so the slice is an array of
    // `n` valid `zmq_pollitem_t`; every socket pointer in it comes from a `Socket` borrowed for
    // the items' lifetime, so it is live; libzmq writes only the `revents` fields.
    let rc = cvt(unsafe {
        ffi::zmq_poll(
            items.as_mut_ptr() as *mut ffi::zmq_pollitem_t,
            n,
            timeout_ms(timeout),
        )
    })?;
    Ok(rc as usize)
}

/// [`poll`] with the calling thread's signal mask replaced by `sigmask` for the duration of the
/// wait, atomically (`zmq_ppoll`, draft, Unix; `pselect(2)` underneath): a signal blocked
/// outside the wait and unblocked by `sigmask` interrupts it with
/// [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted), even if it arrived just before
/// the call. [`poll`] cannot do this without a race: between unblocking the signal and
/// starting the wait, a signal's handler runs and the wait then sleeps through it. `None`
/// keeps the thread's mask (then it is [`poll`]).
///
/// Items, timeout and result are as for [`poll`], with the same refusal of a wait on no items
/// with no timeout. libzmq builds this on `select`: file descriptors must be below
/// `FD_SETSIZE` (1024).
///
/// ```
/// use std::time::Duration;
///
/// let ctx = zmq::Context::new();
/// let pull = ctx.socket(zmq::PULL)?;
/// pull.bind("inproc://doc-ppoll")?;
/// // SAFETY: sigemptyset initialises the set it is given.
/// let empty = unsafe {
///     let mut set = std::mem::zeroed::<libc::sigset_t>();
///     libc::sigemptyset(&mut set);
///     set
/// };
/// let mut items = [pull.as_poll_item(zmq::PollEvents::POLLIN)];
/// assert_eq!(zmq::ppoll(&mut items, Some(Duration::from_millis(1)), Some(&empty))?, 0);
/// # Ok::<(), zmq::Error>(())
/// ```
#[cfg(all(feature = "draft", unix))]
#[doc(alias = "zmq_ppoll")]
pub fn ppoll(
    items: &mut [PollItem<'_>],
    timeout: Option<Duration>,
    sigmask: Option<&libc::sigset_t>,
) -> Result<usize> {
    if items.is_empty() {
        return poll(items, timeout);
    }
    let n = c_int::try_from(items.len())
        .map_err(|_| Error::InvalidArgument("too many poll items for zmq_ppoll"))?;
    let mask = sigmask.map_or(std::ptr::null(), |m| m as *const libc::sigset_t);
    // SAFETY: as for `poll`: the items are `n` valid `zmq_pollitem_t` whose sockets are borrowed
    // for the call; `mask` is null or points at a sigset_t that outlives the call, which libzmq
    // only reads (it hands it to pselect).
    let rc = cvt(unsafe {
        ffi::zmq_ppoll(
            items.as_mut_ptr() as *mut ffi::zmq_pollitem_t,
            n,
            timeout_ms(timeout),
            mask,
        )
    })?;
    Ok(rc as usize)
}

/// A set of sockets and file descriptors to poll together, like pyzmq's `zmq.Poller`: register
/// what to watch, then [`poll`](Poller::poll) and ask the [`PollResult`] which ones are ready.
///
/// Sockets are identified by their raw pointer, file descriptors by number. Registering again
/// changes the events; registering with empty events removes the entry (pyzmq's
/// `register(s, 0)`). Entries keep their registration order, which is also the index that
/// [`PollResult::iter`] reports. Polling reuses the poller's own item array: it allocates nothing.
///
/// ```
/// use std::time::Duration;
/// use zmq::{PollEvents, Poller};
///
/// let ctx = zmq::Context::new();
/// let rep = ctx.socket(zmq::REP)?;
/// rep.bind("inproc://doc-poller")?;
/// let req = ctx.socket(zmq::REQ)?;
/// req.connect("inproc://doc-poller")?;
///
/// let mut poller = Poller::new();
/// poller.register(&rep, PollEvents::POLLIN | PollEvents::POLLOUT);
/// poller.register(&req, PollEvents::POLLIN | PollEvents::POLLOUT);
/// let ready = poller.poll(Some(Duration::from_secs(5)))?;
/// assert_eq!(ready.events(&req), Some(PollEvents::POLLOUT)); // REQ may send
/// assert!(!ready.contains(&rep)); // REP waits for a request
/// # Ok::<(), zmq::Error>(())
/// ```
///
/// The poller borrows what it watches: a socket cannot be closed while it is registered.
///
/// ```compile_fail
/// let ctx = zmq::Context::new();
/// let mut poller = zmq::Poller::new();
/// let pull = ctx.socket(zmq::PULL).unwrap();
/// poller.register(&pull, zmq::PollEvents::POLLIN);
/// drop(pull); // error: `pull` is still borrowed by the poller
/// poller.poll(Some(std::time::Duration::ZERO)).unwrap();
/// ```
#[derive(Debug, Default)]
pub struct Poller<'a> {
    items: Vec<PollItem<'a>>,
}

impl<'a> Poller<'a> {
    /// An empty poller.
    pub fn new() -> Poller<'a> {
        Poller { items: Vec::new() }
    }

    /// An empty poller with room for `n` entries.
    pub fn with_capacity(n: usize) -> Poller<'a> {
        Poller {
            items: Vec::with_capacity(n),
        }
    }

    fn socket_index(&self, raw: *mut c_void) -> Option<usize> {
        self.items.iter().position(|i| i.raw.socket == raw)
    }

    fn fd_index(&self, fd: RawFd) -> Option<usize> {
        self.items.iter().position(|i| i.fd() == Some(fd))
    }

    fn set(&mut self, index: Option<usize>, item: PollItem<'a>) {
        match (index, item.events().is_empty()) {
            (Some(i), true) => {
                self.items.remove(i);
            }
            (Some(i), false) => self.items[i].set_events(item.events()),
            (None, true) => {}
            (None, false) => self.items.push(item),
        }
    }

    /// Watches `socket` for `events`, or changes the events if it is registered already; empty
    /// events unregister it (pyzmq's `register(socket, flags)`).
    pub fn register<K: SocketKind>(&mut self, socket: &'a Socket<K>, events: PollEvents) {
        let index = self.socket_index(socket.as_raw());
        self.set(index, socket.as_poll_item(events));
    }

    /// Watches the raw file descriptor `fd` for `events` (see [`PollItem::from_fd`]), or changes
    /// them; empty events unregister it.
    pub fn register_fd(&mut self, fd: RawFd, events: PollEvents) {
        let index = self.fd_index(fd);
        self.set(index, PollItem::from_fd(fd, events));
    }

    /// The same as [`register`](Poller::register) (pyzmq's `modify`).
    pub fn modify<K: SocketKind>(&mut self, socket: &'a Socket<K>, events: PollEvents) {
        self.register(socket, events)
    }

    /// The same as [`register_fd`](Poller::register_fd).
    pub fn modify_fd(&mut self, fd: RawFd, events: PollEvents) {
        self.register_fd(fd, events)
    }

    /// Stops watching `socket`; returns whether it was registered (where pyzmq raises KeyError).
    pub fn unregister<K: SocketKind>(&mut self, socket: &Socket<K>) -> bool {
        match self.socket_index(socket.as_raw()) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    /// Stops watching `fd`; returns whether it was registered.
    pub fn unregister_fd(&mut self, fd: RawFd) -> bool {
        match self.fd_index(fd) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    /// Whether `socket` is registered (pyzmq's `socket in poller`).
    pub fn contains<K: SocketKind>(&self, socket: &Socket<K>) -> bool {
        self.socket_index(socket.as_raw()).is_some()
    }

    /// Whether `fd` is registered.
    pub fn contains_fd(&self, fd: RawFd) -> bool {
        self.fd_index(fd).is_some()
    }

    /// The events `socket` is registered for, if it is.
    pub fn registered_events<K: SocketKind>(&self, socket: &Socket<K>) -> Option<PollEvents> {
        self.socket_index(socket.as_raw())
            .map(|i| self.items[i].events())
    }

    /// The registration index of `socket`, the one [`PollResult::iter`] reports.
    pub fn index_of<K: SocketKind>(&self, socket: &Socket<K>) -> Option<usize> {
        self.socket_index(socket.as_raw())
    }

    /// The registration index of `fd`.
    pub fn index_of_fd(&self, fd: RawFd) -> Option<usize> {
        self.fd_index(fd)
    }

    /// How many sockets and file descriptors are registered.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The registered entries, in registration order (their `revents` are the last poll's).
    pub fn items(&self) -> &[PollItem<'a>] {
        &self.items
    }

    /// Unregisters everything.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Waits until at least one registered entry is ready or `timeout` passes (`None`: forever;
    /// see [`poll`](crate::poll) for how durations are rounded) and returns which entries are
    /// ready: pyzmq's `dict(poller.poll(ms))`. An empty result means the timeout passed.
    ///
    /// With nothing registered it sleeps for `timeout`, and fails with
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when there is none.
    #[doc(alias = "zmq_poll")]
    pub fn poll(&mut self, timeout: Option<Duration>) -> Result<PollResult<'_, 'a>> {
        let count = poll(&mut self.items, timeout)?;
        Ok(PollResult {
            items: &self.items,
            count,
        })
    }
}

/// What [`Poller::poll`] found: the registered sockets and file descriptors that are ready, with
/// their events. Only entries with events are "in" the result, as in pyzmq's
/// `dict(poller.poll(ms))`.
#[derive(Debug, Clone, Copy)]
pub struct PollResult<'p, 'a> {
    items: &'p [PollItem<'a>],
    count: usize,
}

impl<'p, 'a> PollResult<'p, 'a> {
    /// How many entries are ready (`zmq_poll`'s return value).
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether nothing is ready (the timeout passed).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether `socket` is ready for any event.
    pub fn contains<K: SocketKind>(&self, socket: &Socket<K>) -> bool {
        self.events(socket).is_some()
    }

    /// The events that occurred on `socket`; `None` if it is not ready (or not registered).
    pub fn events<K: SocketKind>(&self, socket: &Socket<K>) -> Option<PollEvents> {
        self.items
            .iter()
            .find(|i| i.is_socket(socket))
            .map(PollItem::revents)
            .filter(|e| !e.is_empty())
    }

    /// Whether `socket` can receive ([`PollEvents::POLLIN`] occurred).
    pub fn is_readable<K: SocketKind>(&self, socket: &Socket<K>) -> bool {
        self.events(socket).is_some_and(PollEvents::is_readable)
    }

    /// Whether `socket` can send ([`PollEvents::POLLOUT`] occurred).
    pub fn is_writable<K: SocketKind>(&self, socket: &Socket<K>) -> bool {
        self.events(socket).is_some_and(PollEvents::is_writable)
    }

    /// Whether the file descriptor `fd` is ready for any event.
    pub fn contains_fd(&self, fd: RawFd) -> bool {
        self.fd_events(fd).is_some()
    }

    /// The events that occurred on `fd`; `None` if it is not ready (or not registered).
    pub fn fd_events(&self, fd: RawFd) -> Option<PollEvents> {
        self.items
            .iter()
            .find(|i| i.fd() == Some(fd))
            .map(PollItem::revents)
            .filter(|e| !e.is_empty())
    }

    /// The ready entries with their registration index (see [`Poller::index_of`]), in
    /// registration order; each item tells its [`revents`](PollItem::revents) and what it
    /// watches ([`PollItem::is_socket`], [`PollItem::fd`]).
    pub fn iter(&self) -> ReadyIter<'p, 'a> {
        ReadyIter {
            items: self.items.iter().enumerate(),
        }
    }
}

impl<'p, 'a> IntoIterator for PollResult<'p, 'a> {
    type Item = (usize, &'p PollItem<'a>);
    type IntoIter = ReadyIter<'p, 'a>;

    fn into_iter(self) -> ReadyIter<'p, 'a> {
        self.iter()
    }
}

impl<'p, 'a> IntoIterator for &PollResult<'p, 'a> {
    type Item = (usize, &'p PollItem<'a>);
    type IntoIter = ReadyIter<'p, 'a>;

    fn into_iter(self) -> ReadyIter<'p, 'a> {
        self.iter()
    }
}

/// The ready entries of a [`PollResult`]: `(registration index, item)`.
#[derive(Debug, Clone)]
pub struct ReadyIter<'p, 'a> {
    items: std::iter::Enumerate<std::slice::Iter<'p, PollItem<'a>>>,
}

impl<'p, 'a> Iterator for ReadyIter<'p, 'a> {
    type Item = (usize, &'p PollItem<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.items.find(|(_, item)| !item.revents().is_empty())
    }
}

#[cfg(feature = "draft")]
pub use self::draft::{DraftPoller, PollerAddError, PollerEvent};

#[cfg(feature = "draft")]
mod draft {
    use super::{timeout_ms, PollEvents, RawFd};
    use crate::error::{cvt, cvt_p, Error, Result};
    use crate::ffi;
    use crate::socket::{Socket, SocketKind};
    use std::ffi::{c_int, c_void};
    use std::fmt;
    use std::marker::PhantomData;
    use std::mem::MaybeUninit;
    use std::time::Duration;

    /// What an entry of a [`DraftPoller`] watches.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Target {
        Socket(*mut c_void),
        Fd(RawFd),
    }

    struct Entry<T> {
        target: Target,
        /// The user data; libzmq holds a pointer to it, so it stays boxed (its address fixed)
        /// until the entry is removed from libzmq's poller.
        data: Box<T>,
    }

    /// libzmq's `zmq_poller` (draft API): a poller object that keeps its registrations between
    /// waits, with a value of type `T` attached to each socket or file descriptor, handed back with
    /// every event. It is the only way to poll the thread-safe draft socket kinds efficiently.
    ///
    /// The user data is owned by the poller (boxed, so the pointer libzmq keeps stays valid) and
    /// comes back from [`remove`](DraftPoller::remove). Sockets are borrowed for `'a`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use zmq::{DraftPoller, PollEvents};
    ///
    /// let ctx = zmq::Context::new();
    /// let server = ctx.socket(zmq::SERVER)?;
    /// server.bind("inproc://doc-draft-poller")?;
    /// let client = ctx.socket(zmq::CLIENT)?;
    /// client.connect("inproc://doc-draft-poller")?;
    ///
    /// let mut poller = DraftPoller::new()?;
    /// poller.add(&server, "server", PollEvents::POLLIN)?;
    /// client.send("hello")?;
    /// let event = poller.wait(Some(Duration::from_secs(5)))?.expect("an event");
    /// assert_eq!(*event.data(), "server");
    /// assert!(event.is_readable());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    ///
    /// Sockets must outlive the poller, and an event's user data cannot outlive its entry:
    ///
    /// ```compile_fail
    /// let ctx = zmq::Context::new();
    /// let mut poller = zmq::DraftPoller::new().unwrap();
    /// let pull = ctx.socket(zmq::PULL).unwrap();
    /// poller.add(&pull, (), zmq::PollEvents::POLLIN).unwrap();
    /// drop(pull); // error: `pull` is still borrowed by the poller
    /// ```
    ///
    /// ```compile_fail
    /// let ctx = zmq::Context::new();
    /// let pull = ctx.socket(zmq::PULL).unwrap();
    /// let mut poller = zmq::DraftPoller::new().unwrap();
    /// poller.add(&pull, String::from("pull"), zmq::PollEvents::POLLIN).unwrap();
    /// let event = poller.wait(Some(std::time::Duration::ZERO)).unwrap();
    /// poller.remove(&pull).unwrap(); // error: `event` still borrows the user data
    /// println!("{:?}", event.map(|e| e.data().len()));
    /// ```
    #[doc(alias = "zmq_poller_new")]
    pub struct DraftPoller<'a, T> {
        raw: *mut c_void,
        entries: Vec<Entry<T>>,
        _sockets: PhantomData<&'a ()>,
    }

    /// One event from a [`DraftPoller`]: which socket or file descriptor, which events, and the
    /// user data it was added with. It has the layout of libzmq's `zmq_poller_event_t`.
    #[doc(alias = "zmq_poller_event_t")]
    #[repr(transparent)]
    pub struct PollerEvent<'p, T> {
        raw: ffi::zmq_poller_event_t,
        _data: PhantomData<&'p T>,
    }

    impl<'p, T> PollerEvent<'p, T> {
        /// The user data the socket or file descriptor was added with.
        pub fn data(&self) -> &'p T {
            // SAFETY: libzmq hands back the `user_data` pointer given to zmq_poller_add(_fd),
            // which is always the address of an entry's `Box<T>`. The event borrows the poller
            // for 'p, and entries are only removed through `&mut DraftPoller`, so the box is
            // alive and not mutated for 'p.
            unsafe { &*(self.raw.user_data as *const T) }
        }

        /// The events that occurred.
        pub fn events(&self) -> PollEvents {
            PollEvents::from_bits(self.raw.events)
        }

        event_accessors!(events, "the events that occurred");
    }

    impl<T: fmt::Debug> fmt::Debug for PollerEvent<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let mut d = f.debug_struct("PollerEvent");
            match self.fd() {
                Some(fd) => d.field("fd", &fd),
                None => d.field("socket", &self.raw.socket),
            };
            d.field("events", &self.events())
                .field("data", self.data())
                .finish()
        }
    }

    crate::error::hand_back_error! {
        /// [`DraftPoller::add`] or [`add_fd`](DraftPoller::add_fd) refused by libzmq: why, and
        /// the user data, handed back (nothing is lost).
        ///
        /// `?` turns it into an [`Error`]; [`into_data`](PollerAddError::into_data) keeps the data.
        pub struct PollerAddError<T> { data: T }
        /// The user data that was not attached.
        fn into_data;
        display: "adding to the poller";
    }

    impl<'a, T> DraftPoller<'a, T> {
        /// A new, empty poller (`zmq_poller_new`).
        #[doc(alias = "zmq_poller_new")]
        pub fn new() -> Result<DraftPoller<'a, T>> {
            // SAFETY: zmq_poller_new has no preconditions; it returns null with errno on failure.
            let raw = cvt_p(unsafe { ffi::zmq_poller_new() })?;
            Ok(DraftPoller {
                raw,
                entries: Vec::new(),
                _sockets: PhantomData,
            })
        }

        /// The raw `zmq_poller`, for calling libzmq directly; valid while `self` is. There is no
        /// `from_raw`/`into_raw`: the poller owns the user data libzmq points at.
        pub fn as_raw(&self) -> *mut c_void {
            self.raw
        }

        fn attach(
            &mut self,
            target: Target,
            data: T,
            call: impl FnOnce(*mut c_void, *mut c_void) -> c_int,
        ) -> std::result::Result<(), PollerAddError<T>> {
            let mut data = Box::new(data);
            let user = &mut *data as *mut T as *mut c_void;
            match cvt(call(self.raw, user)) {
                Ok(_) => {
                    self.entries.push(Entry { target, data });
                    Ok(())
                }
                // libzmq refused it and keeps no pointer to the box: the data goes back.
                Err(error) => Err(PollerAddError { error, data: *data }),
            }
        }

        fn detach(&mut self, target: Target, rc: c_int) -> Result<T> {
            cvt(rc)?;
            match self.entries.iter().position(|e| e.target == target) {
                Some(i) => Ok(*self.entries.remove(i).data),
                None => Err(Error::InvalidArgument("not added through this poller")),
            }
        }

        /// Watches `socket` for `events`, attaching `data` to it (`zmq_poller_add`). Adding a
        /// socket twice is [`ErrorKind::Invalid`](crate::ErrorKind::Invalid); when libzmq
        /// refuses, the error gives `data` back ([`PollerAddError::into_data`]).
        #[doc(alias = "zmq_poller_add")]
        pub fn add<K: SocketKind>(
            &mut self,
            socket: &'a Socket<K>,
            data: T,
            events: PollEvents,
        ) -> std::result::Result<(), PollerAddError<T>> {
            let sock = socket.as_raw();
            self.attach(Target::Socket(sock), data, |raw, user| {
                // SAFETY: `raw` is this live poller, `sock` a socket borrowed for 'a (longer than
                // the poller lives, which its Drop enforces), `user` a boxed value kept until the
                // entry is removed.
                unsafe { ffi::zmq_poller_add(raw, sock, user, events.bits()) }
            })
        }

        /// Watches the raw file descriptor `fd` for `events`, attaching `data`
        /// (`zmq_poller_add_fd`); when libzmq refuses, the error gives `data` back.
        #[doc(alias = "zmq_poller_add_fd")]
        pub fn add_fd(
            &mut self,
            fd: RawFd,
            data: T,
            events: PollEvents,
        ) -> std::result::Result<(), PollerAddError<T>> {
            self.attach(Target::Fd(fd), data, |raw, user| {
                // SAFETY: `raw` is this live poller and `user` a boxed value kept until the entry
                // is removed; any fd number is acceptable to libzmq.
                unsafe { ffi::zmq_poller_add_fd(raw, fd, user, events.bits()) }
            })
        }

        /// Changes the events `socket` is watched for (`zmq_poller_modify`).
        #[doc(alias = "zmq_poller_modify")]
        pub fn modify<K: SocketKind>(
            &mut self,
            socket: &Socket<K>,
            events: PollEvents,
        ) -> Result<()> {
            // SAFETY: `raw` is this live poller; libzmq only compares the socket pointer with its
            // registrations (an unknown socket is EINVAL).
            cvt(unsafe { ffi::zmq_poller_modify(self.raw, socket.as_raw(), events.bits()) })
                .map(drop)
        }

        /// Changes the events `fd` is watched for (`zmq_poller_modify_fd`).
        #[doc(alias = "zmq_poller_modify_fd")]
        pub fn modify_fd(&mut self, fd: RawFd, events: PollEvents) -> Result<()> {
            // SAFETY: `raw` is this live poller; an unknown fd is EINVAL.
            cvt(unsafe { ffi::zmq_poller_modify_fd(self.raw, fd, events.bits()) }).map(drop)
        }

        /// Stops watching `socket` and gives back its user data (`zmq_poller_remove`).
        #[doc(alias = "zmq_poller_remove")]
        pub fn remove<K: SocketKind>(&mut self, socket: &Socket<K>) -> Result<T> {
            let sock = socket.as_raw();
            // SAFETY: `raw` is this live poller; libzmq only compares the socket pointer with its
            // registrations (an unknown socket is EINVAL).
            let rc = unsafe { ffi::zmq_poller_remove(self.raw, sock) };
            self.detach(Target::Socket(sock), rc)
        }

        /// Stops watching `fd` and gives back its user data (`zmq_poller_remove_fd`).
        #[doc(alias = "zmq_poller_remove_fd")]
        pub fn remove_fd(&mut self, fd: RawFd) -> Result<T> {
            // SAFETY: `raw` is this live poller; an unknown fd is EINVAL.
            let rc = unsafe { ffi::zmq_poller_remove_fd(self.raw, fd) };
            self.detach(Target::Fd(fd), rc)
        }

        /// How many sockets and file descriptors are watched, as libzmq counts them
        /// (`zmq_poller_size`).
        #[doc(alias = "zmq_poller_size")]
        pub fn size(&self) -> Result<usize> {
            // SAFETY: `raw` is this live poller.
            cvt(unsafe { ffi::zmq_poller_size(self.raw) }).map(|n| n as usize)
        }

        /// How many sockets and file descriptors were added and not removed.
        pub fn len(&self) -> usize {
            self.entries.len()
        }

        /// Whether nothing is watched.
        pub fn is_empty(&self) -> bool {
            self.entries.is_empty()
        }

        /// The poller's own file descriptor (`zmq_poller_fd`), for another event loop: it
        /// becomes readable when something changes on a thread-safe socket the poller watches;
        /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) when it watches no thread-safe
        /// socket.
        ///
        /// Like `ZMQ_FD` it signals changes, not state: what arrived before the last
        /// [`wait`](DraftPoller::wait) does not make it readable. So call
        /// `wait(Some(Duration::ZERO))` (or [`wait_all`](DraftPoller::wait_all)) and handle
        /// what it reports before sleeping on the descriptor, and again each time it wakes.
        #[doc(alias = "zmq_poller_fd")]
        pub fn fd(&self) -> Result<RawFd> {
            let mut fd: RawFd = Default::default();
            // SAFETY: `raw` is this live poller and `fd` a valid place for libzmq to write.
            cvt(unsafe { ffi::zmq_poller_fd(self.raw, &mut fd) })?;
            Ok(fd)
        }

        /// Refuses a wait that libzmq cannot serve sensibly: with nothing added, libzmq sleeps
        /// with `usleep` (which truncates long timeouts) or fails with EFAULT.
        fn wait_empty(&self, timeout: Option<Duration>) -> Option<Result<()>> {
            if !self.entries.is_empty() {
                return None;
            }
            Some(match timeout {
                Some(d) => {
                    std::thread::sleep(d);
                    Ok(())
                }
                None => Err(Error::InvalidArgument(
                    "wait on an empty poller with no timeout would block forever",
                )),
            })
        }

        /// Waits for one event (`zmq_poller_wait`): `Ok(None)` when `timeout` passes first
        /// (`None`: wait forever; durations are rounded up to whole milliseconds, see
        /// [`poll`](crate::poll)).
        #[doc(alias = "zmq_poller_wait")]
        pub fn wait(&self, timeout: Option<Duration>) -> Result<Option<PollerEvent<'_, T>>> {
            if let Some(r) = self.wait_empty(timeout) {
                return r.map(|()| None);
            }
            let mut event = MaybeUninit::<ffi::zmq_poller_event_t>::uninit();
            // SAFETY: `raw` is this live poller, and `event` is valid for libzmq to write one
            // event into.
            let rc =
                unsafe { ffi::zmq_poller_wait(self.raw, event.as_mut_ptr(), timeout_ms(timeout)) };
            match cvt(rc) {
                Ok(_) => {
                    // SAFETY: zmq_poller_wait succeeded, so it filled in the event.
                    let raw = unsafe { event.assume_init() };
                    Ok(Some(PollerEvent {
                        raw,
                        _data: PhantomData,
                    }))
                }
                Err(e) if e.is_again() => Ok(None),
                Err(e) => Err(e),
            }
        }

        /// Waits for events (`zmq_poller_wait_all`) and puts every one that occurred into
        /// `events` (cleared first); returns how many. 0 means `timeout` passed. `events` keeps
        /// its allocation between calls, so waiting in a loop allocates nothing.
        #[doc(alias = "zmq_poller_wait_all")]
        pub fn wait_all<'p>(
            &'p self,
            events: &mut Vec<PollerEvent<'p, T>>,
            timeout: Option<Duration>,
        ) -> Result<usize> {
            events.clear();
            if let Some(r) = self.wait_empty(timeout) {
                return r.map(|()| 0);
            }
            let n = self.entries.len();
            let n_events = c_int::try_from(n)
                .map_err(|_| Error::InvalidArgument("too many poller entries"))?;
            events.reserve(n);
            // SAFETY: `raw` is this live poller; `events` has room for `n` events past its
            // (zero) length, and `PollerEvent` is `repr(transparent)` over `zmq_poller_event_t`,
            // so libzmq may write up to `n` events there.
            let rc = unsafe {
                ffi::zmq_poller_wait_all(
                    self.raw,
                    events.as_mut_ptr() as *mut ffi::zmq_poller_event_t,
                    n_events,
                    timeout_ms(timeout),
                )
            };
            match cvt(rc) {
                Ok(found) => {
                    let found = (found as usize).min(n);
                    // SAFETY: libzmq filled in the first `found` events (at most `n`, within the
                    // capacity reserved above); each is a plain C struct, now initialised.
                    unsafe { events.set_len(found) };
                    Ok(found)
                }
                Err(e) if e.is_again() => Ok(0),
                Err(e) => Err(e),
            }
        }
    }

    impl<T> Drop for DraftPoller<'_, T> {
        fn drop(&mut self) {
            // SAFETY: `raw` is this poller, destroyed only here; the sockets it watches are
            // borrowed for 'a and so still alive (libzmq detaches from thread-safe ones). The
            // user data boxes are dropped after, when libzmq no longer refers to them.
            unsafe { ffi::zmq_poller_destroy(&mut self.raw) };
        }
    }

    impl<T> fmt::Debug for DraftPoller<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("DraftPoller")
                .field("raw", &self.raw)
                .field("len", &self.entries.len())
                .finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_item_has_the_layout_of_zmq_pollitem_t() {
        use std::mem::{align_of, size_of};
        assert_eq!(size_of::<PollItem<'_>>(), size_of::<ffi::zmq_pollitem_t>());
        assert_eq!(
            align_of::<PollItem<'_>>(),
            align_of::<ffi::zmq_pollitem_t>()
        );
    }

    #[cfg(feature = "draft")]
    #[test]
    fn poller_event_has_the_layout_of_zmq_poller_event_t() {
        use std::mem::{align_of, size_of};
        assert_eq!(
            size_of::<PollerEvent<'_, String>>(),
            size_of::<ffi::zmq_poller_event_t>()
        );
        assert_eq!(
            align_of::<PollerEvent<'_, String>>(),
            align_of::<ffi::zmq_poller_event_t>()
        );
    }

    #[test]
    fn timeouts_in_milliseconds() {
        assert_eq!(timeout_ms(None), -1);
        assert_eq!(timeout_ms(Some(Duration::ZERO)), 0);
        assert_eq!(timeout_ms(Some(Duration::from_millis(1))), 1);
        assert_eq!(timeout_ms(Some(Duration::from_micros(100))), 1);
        assert_eq!(timeout_ms(Some(Duration::from_micros(1500))), 2);
        assert_eq!(timeout_ms(Some(Duration::from_secs(3))), 3000);
        assert_eq!(
            timeout_ms(Some(Duration::from_millis(i32::MAX as u64))),
            i32::MAX as c_long
        );
        assert_eq!(
            timeout_ms(Some(Duration::from_millis(i32::MAX as u64 + 1))),
            -1
        );
        assert_eq!(timeout_ms(Some(Duration::MAX)), -1);
    }

    #[test]
    fn fd_items() {
        let mut item = PollItem::from_fd(7, PollEvents::POLLIN);
        assert_eq!(item.fd(), Some(7));
        assert!(item.socket_raw().is_null());
        assert_eq!(item.events(), PollEvents::POLLIN);
        assert!(item.revents().is_empty());
        item.set_events(PollEvents::POLLOUT | PollEvents::POLLPRI);
        assert_eq!(item.events(), PollEvents::POLLOUT | PollEvents::POLLPRI);
        assert!(format!("{item:?}").contains("fd: 7"));
    }
}
