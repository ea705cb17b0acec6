//! [`AsyncMonitor`]: a socket monitor's events as a [`Stream`].

use super::readiness::{Readiness, SlotId};
use crate::error::Result;
use crate::PollEvents;
use crate::{Monitor, MonitorEvent};
use futures_core::Stream;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// A [`Monitor`] whose events arrive as a [`Stream`] of
/// `Result<`[`MonitorEvent`]`>`: made by [`AsyncSocket::monitor`](super::AsyncSocket::monitor)
/// or [`Monitor::into_async`].
///
/// The stream ends after [`MonitorEvent::MonitorStopped`] (the monitored socket was closed or
/// stopped monitoring) and after
/// [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated). Dropping it, or never
/// reading it, never stalls the context, as for [`Monitor`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq::Result<()> {
/// use zmq::{MonitorEvent, MonitorEvents};
///
/// let ctx = zmq::Context::new();
/// let rep = ctx.async_socket(zmq::REP)?;
/// let mut monitor = rep.monitor(MonitorEvents::LISTENING)?;
/// rep.bind("tcp://127.0.0.1:*")?;
/// match monitor.recv().await? {
///     MonitorEvent::Listening { endpoint, .. } => assert_eq!(endpoint, rep.last_endpoint()?),
///     other => panic!("{other:?}"),
/// }
/// # Ok(())
/// # }
/// ```
pub struct AsyncMonitor {
    // Dropped first: the descriptor leaves tokio's reactor before the monitor's socket closes.
    io: Readiness,
    monitor: Monitor,
    slot: SlotId,
    done: bool,
}

impl fmt::Debug for AsyncMonitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncMonitor")
            .field("monitor", &self.monitor)
            .field("done", &self.done)
            .finish()
    }
}

impl Monitor {
    /// Makes the monitor async: its events become a [`Stream`] ([`AsyncMonitor`]). Must be
    /// called inside a tokio runtime with I/O enabled.
    pub fn into_async(self) -> Result<AsyncMonitor> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(crate::Error::InvalidArgument(
                "an async monitor must be made inside a tokio runtime",
            ));
        }
        let io = Readiness::new(self.socket().fd()?)?;
        Ok(AsyncMonitor {
            io,
            monitor: self,
            slot: SlotId::default(),
            done: false,
        })
    }
}

impl AsyncMonitor {
    /// The blocking monitor back.
    pub fn into_inner(self) -> Monitor {
        let AsyncMonitor { io, monitor, .. } = self;
        drop(io);
        monitor
    }

    /// The blocking monitor, e.g. for its [`endpoint`](Monitor::endpoint).
    pub fn get_ref(&self) -> &Monitor {
        &self.monitor
    }

    /// Waits for the next event (the async [`Monitor::recv`]). After the stream has ended
    /// (`MonitorStopped`, `ETERM`) no event can come: this is then an error of kind
    /// [`ErrorKind::ContextTerminated`](crate::ErrorKind::ContextTerminated) or waits forever,
    /// as the blocking `recv` would.
    ///
    /// **Cancel safety:** an event is read only inside the poll that returns it; dropping the
    /// future before it completes loses nothing.
    pub async fn recv(&mut self) -> Result<MonitorEvent> {
        poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Result<MonitorEvent>> {
        ready!(super::socket::coop_tick(cx));
        loop {
            // A zmq_poll and a non-blocking receive: this processes libzmq's commands, as a
            // ZMQ_EVENTS read does.
            match self.monitor.try_recv() {
                Ok(Some(event)) => {
                    if matches!(event, MonitorEvent::MonitorStopped { .. }) {
                        self.done = true;
                    }
                    self.io.waiters.release(&mut self.slot);
                    return Poll::Ready(Ok(event));
                }
                Ok(None) => {}
                Err(e) => {
                    self.done |= e.is_terminated();
                    self.io.waiters.release(&mut self.slot);
                    return Poll::Ready(Err(e));
                }
            }
            let socket = self.monitor.socket();
            if let Err(e) =
                ready!(self
                    .io
                    .poll_wait(cx, &mut self.slot, PollEvents::POLLIN, false, || {
                        socket.events()
                    }))
            {
                self.done |= e.is_terminated();
                self.io.waiters.release(&mut self.slot);
                return Poll::Ready(Err(e));
            }
        }
    }
}

impl Stream for AsyncMonitor {
    type Item = Result<MonitorEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        this.poll_event(cx).map(Some)
    }
}
