//! The draft kinds' own calls: groups (DISH [`join`](Socket::join), RADIO
//! [`send_to_group`](Socket::send_to_group)), routing ids (SERVER and PEER
//! [`send_to`](Socket::send_to) and [`reply`](Socket::reply), PEER
//! [`connect_peer`](Socket::connect_peer)), and ROUTER's [`peer_state`](Socket::peer_state).
//!
//! Each exists only on the kinds it fits (the capability traits [`CanJoin`],
//! [`CanSendToGroup`], [`CanRoute`], [`CanConnectPeer`], [`CanPeerState`]), so a RADIO send
//! without a group, or a SERVER send without a routing id, does not compile.

use super::endpoint;
use super::kind::{CanConnectPeer, CanJoin, CanPeerState, CanRoute, CanSendToGroup, SocketKind};
use super::send::Sendable;
use super::Socket;
use crate::error::{cvt, Error, Result, SendError};
use crate::ffi;
use crate::poll::PollEvents;
use crate::Message;
use std::ffi::{c_int, c_void, CString};

impl<K: SocketKind> Socket<K> {
    /// Joins a group (`zmq_join`): the DISH then receives what RADIO sockets send to it. A group
    /// is at most 255 bytes; joining one twice is [`ErrorKind::Invalid`](crate::ErrorKind).
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> Result<()>
    where
        K: CanJoin,
    {
        self.str_call(group, ffi::zmq_join)
    }

    /// Leaves a group (`zmq_leave`); leaving one not joined is
    /// [`ErrorKind::Invalid`](crate::ErrorKind).
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> Result<()>
    where
        K: CanJoin,
    {
        self.str_call(group, ffi::zmq_leave)
    }

    /// Connects a PEER socket to `endpoint` (`zmq_connect_peer`) and returns the routing id to
    /// [`send_to`](Socket::send_to) that peer with; ports are checked as for
    /// [`connect`](Socket::connect).
    #[doc(alias = "zmq_connect_peer")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32>
    where
        K: CanConnectPeer,
    {
        if !endpoint::ports_are_valid(endpoint, endpoint::Side::Connect) {
            return Err(Error::from_errno(libc::EINVAL).with_endpoint(endpoint));
        }
        let c = CString::new(endpoint)?;
        // SAFETY: `raw` is a live socket and `c` NUL-terminated for the call.
        let id = unsafe { ffi::zmq_connect_peer(self.raw, c.as_ptr()) };
        if id == 0 {
            Err(Error::last().with_endpoint(endpoint))
        } else {
            Ok(id)
        }
    }

    /// Sends one message to the peer with `routing_id` (a SERVER's client, a PEER's peer): the
    /// id of a received message ([`Message::routing_id`]) or of
    /// [`connect_peer`](Socket::connect_peer). Routing id 0 (no peer) is
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument); a peer that is gone is
    /// [`ErrorKind::HostUnreachable`](crate::ErrorKind::HostUnreachable). An owned message that
    /// was not sent comes back in the error.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let server = ctx.socket(zmq::SERVER)?;
    /// server.bind("inproc://doc-send-to")?;
    /// let client = ctx.socket(zmq::CLIENT)?;
    /// client.connect("inproc://doc-send-to")?;
    /// client.send("ping")?;
    /// let request = server.recv()?;
    /// server.send_to(request.routing_id(), "pong")?;
    /// assert_eq!(client.recv()?, "pong");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_set_routing_id")]
    #[doc(alias = "zmq_msg_send")]
    pub fn send_to<T: Sendable>(&self, routing_id: u32, data: T) -> Result<(), SendError<T::Unsent>>
    where
        K: CanRoute,
    {
        self.send_routed(routing_id, data, 0)
    }

    /// [`send_to`](Socket::send_to) without blocking: [`ErrorKind::Again`](crate::ErrorKind)
    /// when the peer's queue is full.
    pub fn try_send_to<T: Sendable>(
        &self,
        routing_id: u32,
        data: T,
    ) -> Result<(), SendError<T::Unsent>>
    where
        K: CanRoute,
    {
        self.send_routed(routing_id, data, ffi::ZMQ_DONTWAIT)
    }

    /// Answers `request`, a message this socket received: sends `data` to the peer it came from
    /// (its [`routing_id`](Message::routing_id)), in one call.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let server = ctx.socket(zmq::SERVER)?;
    /// server.bind("inproc://doc-reply")?;
    /// let client = ctx.socket(zmq::CLIENT)?;
    /// client.connect("inproc://doc-reply")?;
    /// client.send("2 + 2")?;
    /// let request = server.recv()?;
    /// server.reply(&request, "4")?;
    /// assert_eq!(client.recv()?, "4");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn reply<T: Sendable>(&self, request: &Message, data: T) -> Result<(), SendError<T::Unsent>>
    where
        K: CanRoute,
    {
        self.send_routed(request.routing_id(), data, 0)
    }

    fn send_routed<T: Sendable>(
        &self,
        routing_id: u32,
        data: T,
        flags: c_int,
    ) -> Result<(), SendError<T::Unsent>> {
        if routing_id == 0 {
            return Err(SendError::new(
                Error::InvalidArgument("routing id 0 names no peer"),
                data.into_unsent(),
            ));
        }
        let mut msg = data.into_message();
        if let Err(e) = msg.set_routing_id(routing_id) {
            return Err(SendError::new(e, T::unsent_from(msg)));
        }
        self.send_prepared::<T>(msg, flags)
    }

    /// Sends one message to the DISH sockets that joined `group` (at most 255 bytes): the only
    /// way a RADIO sends. An owned message that was not sent comes back in the error.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let ctx = zmq::Context::new();
    /// let radio = ctx.socket(zmq::RADIO)?;
    /// radio.bind("inproc://doc-radio")?;
    /// let dish = ctx.socket(zmq::DISH)?;
    /// dish.join("weather")?;
    /// dish.connect("inproc://doc-radio")?;
    /// dish.set_rcvtimeo(Some(Duration::from_millis(20)))?;
    /// // The join reaches the radio a moment after the connect: send until it arrives.
    /// let msg = loop {
    ///     radio.send_to_group("weather", "sunny")?;
    ///     radio.send_to_group("sports", "not for this dish")?;
    ///     match dish.recv() {
    ///         Ok(msg) => break msg,
    ///         Err(e) if e.is_again() => continue,
    ///         Err(e) => return Err(e),
    ///     }
    /// };
    /// assert_eq!(msg, "sunny");
    /// assert_eq!(msg.group(), Some("weather"));
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_set_group")]
    #[doc(alias = "zmq_msg_send")]
    pub fn send_to_group<T: Sendable>(
        &self,
        group: &str,
        data: T,
    ) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSendToGroup,
    {
        self.send_grouped(group, data, 0)
    }

    /// [`send_to_group`](Socket::send_to_group) without blocking.
    pub fn try_send_to_group<T: Sendable>(
        &self,
        group: &str,
        data: T,
    ) -> Result<(), SendError<T::Unsent>>
    where
        K: CanSendToGroup,
    {
        self.send_grouped(group, data, ffi::ZMQ_DONTWAIT)
    }

    fn send_grouped<T: Sendable>(
        &self,
        group: &str,
        data: T,
        flags: c_int,
    ) -> Result<(), SendError<T::Unsent>> {
        let mut msg = data.into_message();
        if let Err(e) = msg.set_group(group) {
            return Err(SendError::new(e, T::unsent_from(msg)));
        }
        self.send_prepared::<T>(msg, flags)
    }

    /// Sends a message whose routing id or group is set; gives it back as `T::Unsent` on error.
    fn send_prepared<T: Sendable>(
        &self,
        msg: Message,
        flags: c_int,
    ) -> Result<(), SendError<T::Unsent>> {
        // SAFETY: `raw` is a live socket; the kinds that route or group are thread-safe (libzmq
        // serialises concurrent calls), and `SocketType` is not `Sync`.
        unsafe { msg.send_owned(self.raw, flags) }.map_err(|e| {
            let (error, msg) = e.into_parts();
            SendError::new(error, T::unsent_from(msg))
        })
    }

    /// Whether the ROUTER can send to the peer with `routing_id` now
    /// (`zmq_socket_get_peer_state`): [`PollEvents::POLLOUT`] when its queue has room, empty
    /// when it is full. A routing id the ROUTER does not know is
    /// [`ErrorKind::HostUnreachable`](crate::ErrorKind::HostUnreachable).
    #[doc(alias = "zmq_socket_get_peer_state")]
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<PollEvents>
    where
        K: CanPeerState,
    {
        // SAFETY: `raw` is a live socket; `routing_id` is valid for reading its length, and
        // libzmq only reads it during the call.
        let state = cvt(unsafe {
            ffi::zmq_socket_get_peer_state(
                self.raw,
                routing_id.as_ptr() as *const c_void,
                routing_id.len(),
            )
        })?;
        Ok(PollEvents::from_bits(state as i16))
    }
}
