//! The `futures` [`Stream`] of received multipart messages and [`Sink`] of outgoing ones, on an
//! [`AsyncSocket`] itself (for one task that owns it) and on the borrowing [`RecvStream`] and
//! [`SendSink`] (for tasks that share it, e.g. through an `Arc`).

use super::readiness::SlotId;
use super::socket::{send_frames, AsyncSocket, Core};
use crate::error::{Error, Result, SendError};
use crate::socket::{CanMultipart, CanRecv, CanSend, SocketKind, DONTWAIT};
use crate::Message;
use crate::PollEvents;
use futures_core::Stream;
use futures_sink::Sink;
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// A value reached only through `&mut`.
#[derive(Default)]
pub(super) struct Exclusive<T>(T);

// SAFETY: nothing gives access to the value through a shared `&Exclusive<T>` (the only accessor
// takes `&mut self`), so sharing one between threads shares no `T`; it still moves between
// threads only if `T` may.
unsafe impl<T: Send> Sync for Exclusive<T> {}

impl<T> Exclusive<T> {
    fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// What a [`Stream`] of multipart messages keeps between polls.
#[derive(Debug, Default)]
pub(super) struct StreamState {
    slot: SlotId,
    /// Set after `ETERM`: the stream then ends.
    done: bool,
}

/// What a [`Sink`] keeps between polls: the message given to `start_send`, not sent yet.
#[derive(Default)]
pub(super) struct SinkState {
    slot: SlotId,
    pending: Exclusive<Option<Vec<Message>>>,
}

fn poll_next_message<K: CanRecv + CanMultipart>(
    core: &Core<K>,
    state: &mut StreamState,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<Vec<Message>>>> {
    if state.done {
        return Poll::Ready(None);
    }
    let mut parts = Vec::new();
    let r = ready!(core.poll_io(cx, &mut state.slot, PollEvents::POLLIN, |s| {
        super::socket::attempt(s.recv_multipart_into(&mut parts, DONTWAIT))
    }));
    core.io.waiters.release(&mut state.slot);
    Poll::Ready(Some(match r {
        Ok(_) => Ok(parts),
        Err(e) => {
            // The socket is dead: end the stream rather than yield the same error forever.
            state.done = e.is_terminated();
            Err(e)
        }
    }))
}

fn start_send_message<M>(state: &mut SinkState, item: M) -> Result<(), SendError<Vec<Message>>>
where
    M: IntoIterator,
    M::Item: Into<Message>,
{
    let frames: Vec<Message> = item.into_iter().map(Into::into).collect();
    let pending = state.pending.get_mut();
    if pending.is_some() {
        return Err(SendError::new(
            Error::InvalidArgument("Sink::start_send called without poll_ready"),
            frames,
        ));
    }
    if !frames.is_empty() {
        *pending = Some(frames);
    }
    Ok(())
}

fn poll_flush_message<K: CanSend + CanMultipart>(
    core: &Core<K>,
    state: &mut SinkState,
    cx: &mut Context<'_>,
) -> Poll<Result<(), SendError<Vec<Message>>>> {
    let pending = state.pending.get_mut();
    let Some(frames) = pending.as_mut() else {
        return Poll::Ready(Ok(()));
    };
    let mut sent = 0;
    let r = ready!(core.poll_io(cx, &mut state.slot, PollEvents::POLLOUT, |s| {
        send_frames(s, frames, &mut sent)
    }));
    core.io.waiters.release(&mut state.slot);
    let frames = pending.take().expect("checked above");
    Poll::Ready(r.map_err(|e| SendError::new(e, frames.into_iter().skip(sent).collect())))
}

/// Each item is one whole multipart message, or an error. The stream ends after
/// [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated) (the socket can
/// receive nothing more); after other errors it goes on.
///
/// **Cancel safety:** as [`AsyncSocket::recv_multipart`]: a `next()` future dropped before it
/// completes consumes nothing.
impl<K: CanRecv + CanMultipart> Stream for AsyncSocket<K> {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        poll_next_message(&this.core, &mut this.stream, cx)
    }
}

/// Takes multipart messages: anything iterable whose items become [`Message`]s
/// (`vec![Message::from("a")]`, `["topic", "data"]`, ...). A message is sent, whole and in one
/// non-blocking pass, by the `poll_ready`, `poll_flush` or `poll_close` after `start_send`; on
/// error the frames not sent come back in the [`SendError`].
impl<K: CanSend + CanMultipart, M> Sink<M> for AsyncSocket<K>
where
    M: IntoIterator,
    M::Item: Into<Message>,
{
    type Error = SendError<Vec<Message>>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.core, &mut this.sink, cx)
    }

    fn start_send(self: Pin<&mut Self>, item: M) -> Result<(), Self::Error> {
        start_send_message(&mut self.get_mut().sink, item)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.core, &mut this.sink, cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.core, &mut this.sink, cx)
    }
}

/// A [`Stream`] of the multipart messages an [`AsyncSocket`] receives, borrowing the socket:
/// made by [`AsyncSocket::stream`], for a task that shares the socket with others. Items and
/// cancel safety as for the [`Stream`] implementation of [`AsyncSocket`].
pub struct RecvStream<'a, K: SocketKind> {
    socket: &'a AsyncSocket<K>,
    state: StreamState,
}

/// A [`Sink`] of multipart messages into an [`AsyncSocket`], borrowing the socket: made by
/// [`AsyncSocket::sink`], for a task that shares the socket with others. Items, errors and
/// flushing as for the [`Sink`] implementation of [`AsyncSocket`]; a message given to
/// `start_send` and never flushed is dropped with the sink, unsent.
pub struct SendSink<'a, K: SocketKind> {
    socket: &'a AsyncSocket<K>,
    state: SinkState,
}

impl<K: SocketKind> AsyncSocket<K> {
    /// A [`Stream`] of received multipart messages that borrows the socket, so that a reader
    /// task can use a socket shared (through an `Arc`) with a writer task.
    pub fn stream(&self) -> RecvStream<'_, K>
    where
        K: CanRecv + CanMultipart,
    {
        RecvStream {
            socket: self,
            state: StreamState::default(),
        }
    }

    /// A [`Sink`] of multipart messages that borrows the socket, so that a writer task can use
    /// a socket shared (through an `Arc`) with a reader task.
    pub fn sink(&self) -> SendSink<'_, K>
    where
        K: CanSend + CanMultipart,
    {
        SendSink {
            socket: self,
            state: SinkState::default(),
        }
    }
}

impl<K: CanRecv + CanMultipart> Stream for RecvStream<'_, K> {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        poll_next_message(&this.socket.core, &mut this.state, cx)
    }
}

impl<K: CanSend + CanMultipart, M> Sink<M> for SendSink<'_, K>
where
    M: IntoIterator,
    M::Item: Into<Message>,
{
    type Error = SendError<Vec<Message>>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.socket.core, &mut this.state, cx)
    }

    fn start_send(self: Pin<&mut Self>, item: M) -> Result<(), Self::Error> {
        start_send_message(&mut self.get_mut().state, item)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.socket.core, &mut this.state, cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        poll_flush_message(&this.socket.core, &mut this.state, cx)
    }
}

impl<K: SocketKind> Drop for RecvStream<'_, K> {
    fn drop(&mut self) {
        self.socket.core.io.waiters.release(&mut self.state.slot);
    }
}

impl<K: SocketKind> Drop for SendSink<'_, K> {
    fn drop(&mut self) {
        self.socket.core.io.waiters.release(&mut self.state.slot);
    }
}

impl<K: SocketKind> fmt::Debug for RecvStream<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvStream")
            .field("socket", self.socket)
            .field("done", &self.state.done)
            .finish()
    }
}

impl<K: SocketKind> fmt::Debug for SendSink<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendSink")
            .field("socket", self.socket)
            .finish_non_exhaustive()
    }
}
