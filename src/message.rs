//! [`Message`]: one frame, owning a `zmq_msg_t`.

use crate::error::{cvt, Error, Result, SendError};
use crate::ffi;
use std::cell::UnsafeCell;
use std::ffi::{c_int, c_void, CStr, CString};
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::Deref;

/// Owned data at least this long is handed to libzmq without copying; shorter data is copied into
/// the message (for up to 33 bytes libzmq stores it inline, with no allocation at all), which is
/// cheaper than the bookkeeping a zero-copy message needs.
pub const ZERO_COPY_THRESHOLD: usize = 1024;

/// One message frame, owning a `zmq_msg_t` (closed on drop).
///
/// It dereferences to its bytes. Built from owned buffers (`Vec<u8>`, `Box<[u8]>`, `String`,
/// `bytes::Bytes` with the `bytes` feature, any [`Message::from_owner`]) it takes them without
/// copying; from `&'static [u8]` it points at them ([`Message::from_static`]); from other slices
/// it copies. `Clone` shares the content (`zmq_msg_copy`: a reference count, not a copy).
///
/// ```
/// let m = zmq::Message::from(vec![1u8, 2, 3]);
/// assert_eq!(&m[..], &[1, 2, 3]);
/// assert!(!m.more());
/// ```
pub struct Message {
    // UnsafeCell: zmq_msg_copy, zmq_msg_data and zmq_msg_gets take `zmq_msg_t *` even when they
    // only read, and zmq_msg_copy updates the source's flags. It also makes Message !Sync.
    raw: UnsafeCell<ffi::zmq_msg_t>,
    /// Whether the content may be written through [`Message::data_mut`]: only content this
    /// message allocated (or took from a `Vec`). Content from [`Message::from_owner`] is only
    /// borrowed (`AsRef`, e.g. an `Arc<[u8]>` shared elsewhere), and a received message may carry
    /// such content from an inproc peer, so both are read-only.
    writable: bool,
}

// SAFETY: a zmq_msg_t is plain data plus, for large or zero-copy content, a pointer to a content
// block whose reference count libzmq updates atomically; it may be used from any one thread at a
// time. The zero-copy owners handed to libzmq are required to be `Send`.
unsafe impl Send for Message {}

/// Frees a `Vec<u8>` buffer handed to libzmq: `hint` carries the capacity.
unsafe extern "C" fn free_vec(data: *mut c_void, hint: *mut c_void) {
    let capacity = hint as usize;
    abort_on_panic(|| {
        // SAFETY: `data` and `capacity` come from a Vec<u8> that `from_vec` leaked; libzmq calls
        // this exactly once, when the last reference to the content is gone. Length 0: u8 needs
        // no dropping, only the allocation is freed.
        drop(unsafe { Vec::from_raw_parts(data as *mut u8, 0, capacity) });
    });
}

/// Drops a boxed owner handed to libzmq by [`Message::from_owner`].
unsafe extern "C" fn free_owner<T>(_data: *mut c_void, hint: *mut c_void) {
    abort_on_panic(|| {
        // SAFETY: `hint` is the Box<T> that `from_owner` leaked; libzmq calls this exactly once.
        drop(unsafe { Box::from_raw(hint as *mut T) });
    });
}

/// libzmq may call a free function on one of its own I/O threads, where no Rust caller could
/// catch a panic: unwinding into C is undefined behaviour, so a panicking destructor aborts.
fn abort_on_panic(f: impl FnOnce()) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
        std::process::abort();
    }
}

/// Storage for a `zmq_msg_t`, zeroed: `zmq_msg_init*` write only the fields a message uses (an
/// empty message leaves its 33-byte inline data area and most of its group name unwritten), so
/// without this a `Message` would carry bytes nobody wrote, visible through
/// [`Message::into_raw`] and reported by memory checkers when read. Zeroing 64 bytes is four
/// vector stores.
#[inline(always)]
fn zeroed_msg() -> MaybeUninit<ffi::zmq_msg_t> {
    MaybeUninit::zeroed()
}

impl Message {
    /// An empty message (`zmq_msg_init`).
    #[doc(alias = "zmq_msg_init")]
    #[inline]
    pub fn new() -> Message {
        let mut raw = zeroed_msg();
        // SAFETY: `raw` is writable storage for a zmq_msg_t; zmq_msg_init sets the fields of an
        // empty message and cannot fail.
        unsafe { ffi::zmq_msg_init(raw.as_mut_ptr()) };
        // SAFETY: zeroed, then initialised as a message just above.
        Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable: false,
        }
    }

    /// An empty message that libzmq is about to overwrite whole (the target of a receive, a
    /// `zmq_msg_copy` or a `zmq_msg_move`, which assign the complete `zmq_msg_t`): not zeroed
    /// first, as that would be wasted work on the receive path. If the receive fails the message
    /// stays an empty one and is dropped or reused, never read as bytes.
    #[inline]
    pub(crate) fn to_overwrite() -> Message {
        let mut raw = MaybeUninit::<ffi::zmq_msg_t>::uninit();
        // SAFETY: `raw` is writable storage for a zmq_msg_t; zmq_msg_init cannot fail.
        unsafe { ffi::zmq_msg_init(raw.as_mut_ptr()) };
        Message {
            // SAFETY: initialised as a message just above; the bytes libzmq did not write are
            // `MaybeUninit<u8>` in zmq_msg_t, so the value is valid with them.
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable: false,
        }
    }

    /// A message of `size` zero bytes (`zmq_msg_init_size`), to fill through
    /// [`Message::data_mut`].
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    pub fn with_size(size: usize) -> Result<Message> {
        let mut raw = zeroed_msg();
        // SAFETY: zmq_msg_init_size initialises the zmq_msg_t on success (ENOMEM otherwise); its
        // fresh, unshared buffer of `size` bytes is zeroed before anyone can read it.
        unsafe {
            cvt(ffi::zmq_msg_init_size(raw.as_mut_ptr(), size))?;
            std::ptr::write_bytes(ffi::zmq_msg_data(raw.as_mut_ptr()) as *mut u8, 0, size);
        }
        // SAFETY: initialised by the successful call above.
        Ok(Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable: true,
        })
    }

    /// A message holding a copy of `data` (`zmq_msg_init_size` and a copy).
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    pub fn from_slice(data: &[u8]) -> Message {
        // Built in place, not through a `Result<Message>` that is then unwrapped: that extra move
        // of the 64-byte zmq_msg_t measured slower than the allocation and copy of 64 bytes
        // (benches/message.rs).
        let mut raw = zeroed_msg();
        // SAFETY: zmq_msg_init_size initialises the zmq_msg_t on success (ENOMEM otherwise); its
        // fresh, unshared buffer of `data.len()` bytes is filled before anyone can read it.
        unsafe {
            if ffi::zmq_msg_init_size(raw.as_mut_ptr(), data.len()) == -1 {
                alloc_failed(Error::last());
            }
            let dst = ffi::zmq_msg_data(raw.as_mut_ptr()) as *mut u8;
            std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
        }
        // SAFETY: initialised by the successful call above.
        Message {
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable: true,
        }
    }

    /// A message holding a copy of `data`, made by libzmq in one call (`zmq_msg_init_buffer`,
    /// draft): the same content as [`Message::from_slice`], but a failed allocation is an
    /// error ([`ErrorKind`](crate::ErrorKind) `ENOMEM`) instead of a panic.
    ///
    /// ```
    /// let m = zmq::Message::from_buffer(b"copied")?;
    /// assert_eq!(m, "copied");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_init_buffer")]
    pub fn from_buffer(data: &[u8]) -> Result<Message> {
        let mut raw = zeroed_msg();
        // SAFETY: `raw` is writable storage for a zmq_msg_t; `data` is valid for reading
        // `data.len()` bytes, which libzmq copies into the message's own fresh buffer (ENOMEM
        // otherwise, leaving `raw` uninitialised and unused).
        cvt(unsafe {
            ffi::zmq_msg_init_buffer(raw.as_mut_ptr(), data.as_ptr() as *const c_void, data.len())
        })?;
        Ok(Message {
            // SAFETY: initialised by the successful call above.
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable: true,
        })
    }

    /// A message pointing at static data, without copying (`zmq_msg_init_data` with no free
    /// function).
    #[doc(alias = "zmq_msg_init_data")]
    pub fn from_static(data: &'static [u8]) -> Message {
        // SAFETY: `data` lives for the whole program and is never written through this message
        // (libzmq marks content without a free function constant).
        unsafe {
            Message::init_data(
                data.as_ptr() as *mut c_void,
                data.len(),
                None,
                std::ptr::null_mut(),
                false,
            )
        }
        .unwrap_or_else(|e| alloc_failed(e))
    }

    /// `zmq_msg_init_data`: a message over `len` bytes at `data` that libzmq does not copy.
    ///
    /// # Safety
    /// `data` must stay valid and unchanged for `len` bytes until libzmq calls `ffn` with `hint`
    /// (exactly once, on any thread), or forever when `ffn` is `None`; `writable` may be true only
    /// if the message is then the sole owner of the bytes. On error libzmq has not taken them.
    unsafe fn init_data(
        data: *mut c_void,
        len: usize,
        ffn: ffi::zmq_free_fn,
        hint: *mut c_void,
        writable: bool,
    ) -> Result<Message> {
        let mut raw = zeroed_msg();
        // SAFETY: the caller vouches for `data`, `ffn` and `hint`; `raw` is writable storage.
        cvt(unsafe { ffi::zmq_msg_init_data(raw.as_mut_ptr(), data, len, ffn, hint) })?;
        Ok(Message {
            // SAFETY: initialised by the successful call above.
            raw: UnsafeCell::new(unsafe { raw.assume_init() }),
            writable,
        })
    }

    /// A message that takes `vec` without copying when it is at least [`ZERO_COPY_THRESHOLD`]
    /// bytes long (the buffer is freed when libzmq is done with it), and copies it otherwise.
    pub fn from_vec(vec: Vec<u8>) -> Message {
        if vec.len() < ZERO_COPY_THRESHOLD {
            return Message::from_slice(&vec);
        }
        Message::from_vec_zero_copy(vec)
    }

    /// A message that takes `vec` without copying, whatever its size.
    pub fn from_vec_zero_copy(vec: Vec<u8>) -> Message {
        if vec.capacity() == 0 {
            return Message::new();
        }
        let mut vec = std::mem::ManuallyDrop::new(vec);
        let (ptr, len, cap) = (vec.as_mut_ptr(), vec.len(), vec.capacity());
        // SAFETY: `ptr` points at `len` initialised bytes owned by the leaked Vec, and nothing
        // else refers to them; libzmq calls `free_vec` exactly once with the capacity as hint,
        // which rebuilds and drops the Vec.
        let msg = unsafe {
            Message::init_data(
                ptr as *mut c_void,
                len,
                Some(free_vec),
                cap as *mut c_void,
                true,
            )
        };
        msg.unwrap_or_else(|e| {
            // libzmq did not take the buffer (out of memory): give it back to drop it here.
            drop(std::mem::ManuallyDrop::into_inner(vec));
            alloc_failed(e)
        })
    }

    /// A message whose bytes are `owner.as_ref()`, without copying: `owner` is kept alive until
    /// libzmq is done with the content (on whatever thread that happens), then dropped exactly
    /// once. Works for `Arc<[u8]>`, `bytes::Bytes`, memory maps, and so on.
    pub fn from_owner<T: AsRef<[u8]> + Send + 'static>(owner: T) -> Message {
        let boxed = Box::new(owner);
        let (ptr, len) = {
            let bytes = (*boxed).as_ref();
            (bytes.as_ptr(), bytes.len())
        };
        let hint = Box::into_raw(boxed);
        // SAFETY: the bytes live inside (or are owned by) the boxed owner, whose address is stable
        // until `free_owner::<T>` drops it; libzmq calls that exactly once, and never writes. The
        // owner may share the bytes (an Arc), so the message is not writable.
        let msg = unsafe {
            Message::init_data(
                ptr as *mut c_void,
                len,
                Some(free_owner::<T>),
                hint as *mut c_void,
                false,
            )
        };
        msg.unwrap_or_else(|e| {
            // SAFETY: libzmq did not take the owner; reclaim the box leaked above.
            drop(unsafe { Box::from_raw(hint) });
            alloc_failed(e)
        })
    }

    /// Sends the content on `socket` (`zmq_msg_send`). On success libzmq has taken the content
    /// and left a fresh, empty message, which this message may write again; on failure the
    /// message is untouched. The only place a message is sent: its `writable` flag is never
    /// touched from outside this file.
    ///
    /// # Safety
    /// `socket` must be a live socket, not used by another thread during the call.
    #[inline(always)]
    pub(crate) unsafe fn send_on(&mut self, socket: *mut c_void, flags: c_int) -> Result<()> {
        // SAFETY: the caller vouches for `socket`; the message is initialised.
        cvt(unsafe { ffi::zmq_msg_send(self.as_raw(), socket, flags) })?;
        self.writable = true;
        Ok(())
    }

    /// Sends the content on `socket` and consumes the message; on failure the message comes back
    /// in the error, untouched.
    ///
    /// # Safety
    /// As for [`send_on`](Message::send_on).
    #[inline(always)]
    pub(crate) unsafe fn send_owned(
        self,
        socket: *mut c_void,
        flags: c_int,
    ) -> Result<(), SendError<Message>> {
        let msg = std::mem::ManuallyDrop::new(self);
        // SAFETY: the caller vouches for `socket`; the message is initialised. On success libzmq
        // takes the content and leaves an empty message that needs no close; on failure the
        // message is untouched and handed back.
        match cvt(unsafe { ffi::zmq_msg_send(msg.as_raw(), socket, flags) }) {
            Ok(_) => Ok(()),
            Err(e) => Err(SendError::new(e, std::mem::ManuallyDrop::into_inner(msg))),
        }
    }

    /// Receives a frame from `socket` into this message (`zmq_msg_recv`), releasing its old
    /// content; returns the size. Received content is read-only: over inproc it may be shared
    /// with a [`Message::from_owner`] owner. On failure the message is left empty or untouched.
    ///
    /// # Safety
    /// As for [`send_on`](Message::send_on).
    #[inline(always)]
    pub(crate) unsafe fn recv_from(&mut self, socket: *mut c_void, flags: c_int) -> Result<usize> {
        self.writable = false;
        // SAFETY: the caller vouches for `socket`; the message is initialised, and libzmq closes
        // and refills it (or leaves it untouched on error).
        cvt(unsafe { ffi::zmq_msg_recv(self.as_raw(), socket, flags) }).map(|n| n as usize)
    }

    /// The raw `zmq_msg_t`, for calling libzmq directly.
    #[inline]
    pub fn as_raw(&self) -> *mut ffi::zmq_msg_t {
        self.raw.get()
    }

    /// Takes ownership of an initialised `zmq_msg_t` (it will be closed on drop).
    ///
    /// # Safety
    /// `raw` must have been initialised by a `zmq_msg_init*` call and not closed or moved from.
    pub unsafe fn from_raw(raw: ffi::zmq_msg_t) -> Message {
        Message {
            raw: UnsafeCell::new(raw),
            writable: false,
        }
    }

    /// Gives up ownership: the caller must close the returned `zmq_msg_t`.
    ///
    /// For a message built here (or cloned or taken from one) every byte is initialised: those
    /// libzmq does not set are zero. libzmq copies whole `zmq_msg_t`s when it hands over received
    /// content, so a received message may hold bytes nobody wrote (the `MaybeUninit<u8>` bytes
    /// of [`ffi::zmq_msg_t`] allow that).
    pub fn into_raw(self) -> ffi::zmq_msg_t {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the zmq_msg_t is moved out exactly once.
        unsafe { std::ptr::read(this.raw.get()) }
    }

    #[inline]
    fn data_ptr(&self) -> *mut u8 {
        // SAFETY: the message is initialised; zmq_msg_data only computes a pointer.
        unsafe { ffi::zmq_msg_data(self.raw.get()) as *mut u8 }
    }

    /// The size in bytes (`zmq_msg_size`).
    #[doc(alias = "zmq_msg_size")]
    #[inline]
    pub fn size(&self) -> usize {
        // SAFETY: the message is initialised; zmq_msg_size only reads it.
        unsafe { ffi::zmq_msg_size(self.raw.get()) }
    }

    /// The bytes, mutable, if this message made them (`with_size`, `from_slice`, `from_vec`...)
    /// and no other message shares them. `None` for static content, for content borrowed from a
    /// [`Message::from_owner`] owner (writing would mutate e.g. a shared `Arc<[u8]>`), and for
    /// received messages (over inproc they may carry such content).
    #[doc(alias = "zmq_msg_data")]
    pub fn data_mut(&mut self) -> Option<&mut [u8]> {
        let len = self.size();
        if len == 0 {
            return Some(&mut []);
        }
        if !self.writable || self.is_shared() {
            return None;
        }
        // SAFETY: the content is `len` bytes, not shared with another message nor constant, and
        // `&mut self` makes this the only access for the borrow's lifetime.
        Some(unsafe { std::slice::from_raw_parts_mut(self.data_ptr(), len) })
    }

    /// Whether more frames of the same multipart message follow (`zmq_msg_more`).
    #[doc(alias = "zmq_msg_more")]
    #[inline]
    pub fn more(&self) -> bool {
        // SAFETY: the message is initialised; zmq_msg_more only reads its flags.
        unsafe { ffi::zmq_msg_more(self.raw.get()) == 1 }
    }

    /// Whether the content is shared with another message (after a clone or a send of a copy),
    /// or constant (`ZMQ_SHARED`).
    #[doc(alias = "zmq_msg_get")]
    pub fn is_shared(&self) -> bool {
        // SAFETY: the message is initialised; zmq_msg_get only reads it.
        unsafe { ffi::zmq_msg_get(self.raw.get(), ffi::ZMQ_SHARED) == 1 }
    }

    /// Reads a message property by its raw number (`zmq_msg_get`: `ZMQ_MORE`, `ZMQ_SRCFD`,
    /// `ZMQ_SHARED`).
    #[doc(alias = "zmq_msg_get")]
    pub fn get(&self, property: i32) -> Result<i32> {
        // SAFETY: the message is initialised; zmq_msg_get validates the property number.
        cvt(unsafe { ffi::zmq_msg_get(self.raw.get(), property) })
    }

    /// Sets a message property by its raw number (`zmq_msg_set`). libzmq 4.3 defines no settable
    /// property, so this reports libzmq's `EINVAL`; it is here for newer libraries.
    #[doc(alias = "zmq_msg_set")]
    pub fn set(&mut self, property: i32, value: i32) -> Result<()> {
        // SAFETY: the message is initialised and exclusively borrowed; libzmq validates the rest.
        cvt(unsafe { ffi::zmq_msg_set(self.raw.get(), property, value) }).map(drop)
    }

    /// Moves the content out into a new message and leaves this one empty (`zmq_msg_move`).
    #[doc(alias = "zmq_msg_move")]
    pub fn take(&mut self) -> Message {
        let dest = Message::to_overwrite();
        // SAFETY: both messages are initialised; zmq_msg_move releases `dest`'s (empty) content,
        // moves ours into it and re-initialises ours as empty.
        let rc = unsafe { ffi::zmq_msg_move(dest.raw.get(), self.raw.get()) };
        cvt(rc).unwrap_or_else(|e| alloc_failed(e));
        let mut dest = dest;
        dest.writable = std::mem::replace(&mut self.writable, false);
        dest
    }

    /// A metadata property of a received message (`zmq_msg_gets`): `"Socket-Type"`,
    /// `"Routing-Id"`, `"User-Id"`, `"Peer-Address"`, or one set by the peer's `ZMQ_METADATA`
    /// or the ZAP handler. `None` if absent (or not UTF-8: see [`Message::gets_bytes`]).
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets(&self, property: &str) -> Option<&str> {
        self.gets_bytes(property)
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    /// [`Message::gets`] as bytes.
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets_bytes(&self, property: &str) -> Option<&[u8]> {
        let name = CString::new(property).ok()?;
        // SAFETY: the message is initialised and `name` is NUL-terminated; the result is null or
        // a NUL-terminated string owned by the message's metadata, which lives as long as the
        // message does (so as long as the returned borrow of `self`).
        unsafe {
            let p = ffi::zmq_msg_gets(self.raw.get(), name.as_ptr());
            if p.is_null() {
                None
            } else {
                Some(CStr::from_ptr(p).to_bytes())
            }
        }
    }

    /// The routing id of a message received on a SERVER or PEER socket (draft), 0 if none.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> u32 {
        // SAFETY: the message is initialised; zmq_msg_routing_id only reads it.
        unsafe { ffi::zmq_msg_routing_id(self.raw.get()) }
    }

    /// Sets the routing id a SERVER or PEER socket sends this message to (draft); 0 is invalid.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, routing_id: u32) -> Result<()> {
        // SAFETY: the message is initialised and exclusively borrowed.
        cvt(unsafe { ffi::zmq_msg_set_routing_id(self.raw.get(), routing_id) }).map(drop)
    }

    /// The group of a message received on a DISH socket (draft).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<&str> {
        // SAFETY: the message is initialised; the result is null or a NUL-terminated string
        // stored in the message, valid while it is.
        unsafe {
            let p = ffi::zmq_msg_group(self.raw.get());
            if p.is_null() {
                None
            } else {
                CStr::from_ptr(p).to_str().ok().filter(|s| !s.is_empty())
            }
        }
    }

    /// Sets the group a RADIO socket publishes this message to (draft). A group is at most
    /// 255 bytes: a longer one is
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) (libzmq 4.3.5 would
    /// silently cut it to its first 255 bytes, a different group).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        if group.len() > ffi::ZMQ_GROUP_MAX_LENGTH as usize {
            return Err(Error::InvalidArgument("a group is at most 255 bytes"));
        }
        let group = CString::new(group)?;
        // SAFETY: the message is initialised and exclusively borrowed; `group` is NUL-terminated
        // and libzmq copies it.
        cvt(unsafe { ffi::zmq_msg_set_group(self.raw.get(), group.as_ptr()) }).map(drop)
    }

    /// The bytes as `&str`, if they are UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self).ok()
    }
}

#[cold]
fn alloc_failed(e: Error) -> ! {
    panic!("libzmq could not allocate a message: {e}")
}

impl Drop for Message {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the message is initialised and closed only here; zmq_msg_close cannot fail for
        // an initialised message.
        unsafe { ffi::zmq_msg_close(self.raw.get()) };
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Deref for Message {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        let len = self.size();
        if len == 0 {
            return &[];
        }
        // SAFETY: zmq_msg_data points at `len` initialised bytes that live as long as the message
        // and are not written while shared (data_mut refuses shared content).
        unsafe { std::slice::from_raw_parts(self.data_ptr(), len) }
    }
}

impl Clone for Message {
    /// Shares the content (`zmq_msg_copy`): large content is reference-counted, not copied.
    #[doc(alias = "zmq_msg_copy")]
    fn clone(&self) -> Message {
        let copy = Message::to_overwrite();
        // SAFETY: both messages are initialised; `self` is !Sync, so no other thread touches it
        // while zmq_msg_copy updates its flags.
        let rc = unsafe { ffi::zmq_msg_copy(copy.raw.get(), self.raw.get()) };
        cvt(rc).unwrap_or_else(|e| alloc_failed(e));
        let mut copy = copy;
        copy.writable = self.writable;
        copy
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self[..] == other[..]
    }
}
impl Eq for Message {}

impl PartialEq<[u8]> for Message {
    fn eq(&self, other: &[u8]) -> bool {
        &self[..] == other
    }
}
impl PartialEq<&[u8]> for Message {
    fn eq(&self, other: &&[u8]) -> bool {
        &self[..] == *other
    }
}
impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        &self[..] == other.as_bytes()
    }
}
impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        &self[..] == other.as_bytes()
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(self) {
            Ok(s) => write!(f, "Message({s:?})"),
            Err(_) => write!(f, "Message({:?})", &self[..]),
        }
    }
}

impl From<Vec<u8>> for Message {
    fn from(v: Vec<u8>) -> Message {
        Message::from_vec(v)
    }
}
impl From<Box<[u8]>> for Message {
    fn from(b: Box<[u8]>) -> Message {
        Message::from_vec(b.into_vec())
    }
}
impl From<String> for Message {
    fn from(s: String) -> Message {
        Message::from_vec(s.into_bytes())
    }
}
impl From<&[u8]> for Message {
    fn from(b: &[u8]) -> Message {
        Message::from_slice(b)
    }
}
impl<const N: usize> From<&[u8; N]> for Message {
    fn from(b: &[u8; N]) -> Message {
        Message::from_slice(b)
    }
}
impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message::from_slice(s.as_bytes())
    }
}
impl From<&String> for Message {
    fn from(s: &String) -> Message {
        Message::from_slice(s.as_bytes())
    }
}
impl From<&Message> for Message {
    fn from(m: &Message) -> Message {
        m.clone()
    }
}

#[cfg(feature = "bytes")]
impl From<bytes::Bytes> for Message {
    /// Takes the `Bytes` without copying (large ones), or copies small ones.
    fn from(b: bytes::Bytes) -> Message {
        if b.len() < ZERO_COPY_THRESHOLD {
            Message::from_slice(&b)
        } else {
            Message::from_owner(b)
        }
    }
}

impl From<Message> for Vec<u8> {
    fn from(m: Message) -> Vec<u8> {
        m.to_vec()
    }
}
