//! The multipart loops behind `send_multipart` and `recv_multipart`, written over a frame
//! sender/receiver so the error handling can be tested with injected failures.

use super::send::Sendable;
use super::Flags;
use crate::error::{Error, ErrorKind, Result, SendError};
use crate::ffi;
use crate::Message;
use std::ffi::c_int;

/// Receives one whole message into `parts`, the first frame with `flags`, the rest blocking.
/// `recv_frame` fills a message and says whether more frames follow (`ZMQ_RCVMORE`).
///
/// Once the first frame has arrived, the rest of the message is already inside libzmq (messages
/// are delivered whole), so an `EINTR` on a later frame (a signal during libzmq's command
/// processing) is retried: it must not cut the message in two. On `ETERM` the socket is dead and
/// nothing more can be read. On any other error the rest of the message is received and dropped,
/// so that it can never be read as a message of its own. Either way the frames received before
/// the error stay in `parts`.
pub(crate) fn recv_message<R>(
    parts: &mut Vec<Message>,
    flags: Flags,
    mut recv_frame: R,
) -> Result<()>
where
    R: FnMut(&mut Message, Flags) -> Result<bool>,
{
    let mut msg = Message::to_overwrite();
    // A failure here consumed nothing: the caller sees it (EAGAIN, EINTR for Ctrl-C...).
    let mut more = recv_frame(&mut msg, flags)?;
    parts.push(msg);
    while more {
        let mut msg = Message::to_overwrite();
        match recv_frame(&mut msg, Flags::empty()) {
            Ok(m) => {
                more = m;
                parts.push(msg);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                if !e.is_terminated() {
                    discard_rest(&mut recv_frame);
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Receives and drops frames up to the end of the current message (`EINTR` retried), after a
/// frame of it failed. Stops at the first other error: then nothing more can be read anyway.
#[cold]
fn discard_rest<R>(recv_frame: &mut R)
where
    R: FnMut(&mut Message, Flags) -> Result<bool>,
{
    let mut scratch = Message::to_overwrite();
    loop {
        match recv_frame(&mut scratch, Flags::empty()) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Sends every item of `parts` as one message, the first frame with `flags` (without
/// `ZMQ_DONTWAIT` after it), each but the last with `ZMQ_SNDMORE`. `send_frame` sends a message
/// and leaves it untouched when it fails.
///
/// A failure of the first frame sent nothing: every part comes back. After it, `EINTR` is
/// retried. `EAGAIN` is not: the high-water mark counts whole messages (`pipe_t::check_hwm`), so
/// libzmq gives `EAGAIN` after the first frame only when the pipe under the message has gone (a
/// PAIR whose peer left, a load-balancing socket with `SNDTIMEO` 0 whose peer left), and has then
/// dropped the frames already accepted; sending the failed frame again would deliver the tail
/// alone, as a message of its own, to the next peer (PAIR), or the last frame alone (PUSH,
/// DEALER). That error, `ETERM`, and any other are returned with the frames not sent.
pub(crate) fn send_message<I, T, S>(
    parts: I,
    flags: Flags,
    mut send_frame: S,
) -> Result<(), SendError<Vec<T::Unsent>>>
where
    I: IntoIterator<Item = T>,
    T: Sendable,
    S: FnMut(&mut Message, c_int) -> Result<()>,
{
    let mut iter = parts.into_iter().peekable();
    let mut first = true;
    while let Some(part) = iter.next() {
        let mut f = if first {
            flags.bits()
        } else {
            flags.bits() & !ffi::ZMQ_DONTWAIT
        };
        if iter.peek().is_some() {
            f |= ffi::ZMQ_SNDMORE;
        }
        let mut msg = part.into_message();
        loop {
            match send_frame(&mut msg, f) {
                Ok(()) => break,
                // libzmq reports EINTR from its command processing, before it looks at the frame:
                // once it has accepted the first frame it takes the rest, so a signal must not
                // leave half a message inside it for the next send to continue.
                Err(e) if !first && e.kind() == ErrorKind::Interrupted => {}
                Err(error) => return Err(unsent(error, msg, iter)),
            }
        }
        first = false;
    }
    Ok(())
}

/// The error of a multipart send, with the frame that failed and the ones after it.
#[cold]
fn unsent<T: Sendable>(
    error: Error,
    failed: Message,
    rest: impl Iterator<Item = T>,
) -> SendError<Vec<T::Unsent>> {
    let mut unsent = vec![T::unsent_from(failed)];
    unsent.extend(rest.map(Sendable::into_unsent));
    SendError::new(error, unsent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A scripted frame source: each step is a frame (`Ok((bytes, more))`) or an errno.
    struct Script(VecDeque<std::result::Result<(&'static str, bool), i32>>);

    impl Script {
        fn new(steps: &[std::result::Result<(&'static str, bool), i32>]) -> Script {
            Script(steps.iter().copied().collect())
        }
        fn recv(&mut self, msg: &mut Message, _flags: Flags) -> Result<bool> {
            match self
                .0
                .pop_front()
                .expect("receiver called after the script ended")
            {
                Ok((data, more)) => {
                    *msg = Message::from(data);
                    Ok(more)
                }
                Err(errno) => Err(Error::from_errno(errno)),
            }
        }
    }

    fn texts(parts: &[Message]) -> Vec<&str> {
        parts.iter().map(|m| m.as_str().unwrap()).collect()
    }

    #[test]
    fn recv_whole_message() {
        let mut script = Script::new(&[Ok(("a", true)), Ok(("b", true)), Ok(("c", false))]);
        let mut parts = Vec::new();
        recv_message(&mut parts, Flags::empty(), |m, f| script.recv(m, f)).unwrap();
        assert_eq!(texts(&parts), ["a", "b", "c"]);
        assert!(script.0.is_empty());
    }

    /// A first frame that fails consumed nothing: the error comes back at once.
    #[test]
    fn recv_first_frame_error_is_returned() {
        let mut script = Script::new(&[Err(libc::EAGAIN), Ok(("next", false))]);
        let mut parts = Vec::new();
        let e = recv_message(&mut parts, crate::DONTWAIT, |m, f| script.recv(m, f)).unwrap_err();
        assert!(e.is_again());
        assert!(parts.is_empty());
        assert_eq!(
            script.0.len(),
            1,
            "nothing after the failed first frame was read"
        );
    }

    /// EINTR after the first frame: the rest of the message is already in libzmq, so the frame
    /// is received again and the message comes back whole.
    #[test]
    fn recv_interrupted_mid_message_retries() {
        let mut script = Script::new(&[
            Ok(("a", true)),
            Err(libc::EINTR),
            Err(libc::EINTR),
            Ok(("b", true)),
            Err(libc::EINTR),
            Ok(("c", false)),
            Ok(("next message", false)),
        ]);
        let mut parts = Vec::new();
        recv_message(&mut parts, Flags::empty(), |m, f| script.recv(m, f)).unwrap();
        assert_eq!(texts(&parts), ["a", "b", "c"]);
        assert_eq!(script.0.len(), 1, "the next message is left alone");
    }

    /// Another error after the first frame: the frames received so far stay in `parts`, and the
    /// rest of that message is discarded, so the next receive cannot read it as a new message.
    #[test]
    fn recv_failure_mid_message_discards_the_rest() {
        let mut script = Script::new(&[
            Ok(("a", true)),
            Err(libc::ENOMEM),
            Ok(("b", true)),
            Err(libc::EINTR),
            Ok(("c", false)),
            Ok(("next", false)),
        ]);
        let mut parts = Vec::new();
        let e = recv_message(&mut parts, Flags::empty(), |m, f| script.recv(m, f)).unwrap_err();
        assert_eq!(e.errno(), Some(libc::ENOMEM));
        assert_eq!(texts(&parts), ["a"], "what was received is kept");
        let mut next = Vec::new();
        recv_message(&mut next, Flags::empty(), |m, f| script.recv(m, f)).unwrap();
        assert_eq!(
            texts(&next),
            ["next"],
            "the tail of the failed message is not a message"
        );
    }

    /// ETERM after the first frame: the socket is dead; the frames received are kept and nothing
    /// more is tried.
    #[test]
    fn recv_terminated_mid_message_keeps_what_arrived() {
        let mut script = Script::new(&[Ok(("a", true)), Ok(("b", true)), Err(crate::ffi::ETERM)]);
        let mut parts = Vec::new();
        let e = recv_message(&mut parts, Flags::empty(), |m, f| script.recv(m, f)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ContextTerminated);
        assert_eq!(texts(&parts), ["a", "b"]);
        assert!(script.0.is_empty());
    }

    /// A scripted frame sink: records what was sent (with its flags), failing the calls listed.
    struct Sink {
        sent: Vec<(String, c_int)>,
        failures: VecDeque<(usize, i32)>,
        calls: usize,
    }

    impl Sink {
        /// Call number `n` (from 0) fails with `errno`, for each `(n, errno)`.
        fn new(failures: &[(usize, i32)]) -> Sink {
            Sink {
                sent: Vec::new(),
                failures: failures.iter().copied().collect(),
                calls: 0,
            }
        }
        fn send(&mut self, msg: &mut Message, flags: c_int) -> Result<()> {
            let call = self.calls;
            self.calls += 1;
            if self.failures.front().is_some_and(|(n, _)| *n == call) {
                let (_, errno) = self.failures.pop_front().unwrap();
                return Err(Error::from_errno(errno));
            }
            self.sent.push((msg.as_str().unwrap().to_string(), flags));
            Ok(())
        }
    }

    const MORE: c_int = ffi::ZMQ_SNDMORE;

    #[test]
    fn send_whole_message_with_flags() {
        let mut sink = Sink::new(&[]);
        send_message(["a", "b", "c"], crate::DONTWAIT, |m, f| sink.send(m, f)).unwrap();
        let dontwait = ffi::ZMQ_DONTWAIT;
        assert_eq!(
            sink.sent,
            [
                ("a".into(), dontwait | MORE),
                ("b".into(), MORE),
                ("c".into(), 0)
            ]
        );
    }

    /// A first frame that fails sent nothing: every part comes back.
    #[test]
    fn send_first_frame_error_gives_everything_back() {
        let mut sink = Sink::new(&[(0, libc::EAGAIN)]);
        let parts = vec![Message::from("a"), Message::from("b")];
        let e = send_message(parts, crate::DONTWAIT, |m, f| sink.send(m, f)).unwrap_err();
        assert!(e.is_again());
        let unsent = e.into_unsent();
        assert_eq!(texts(&unsent), ["a", "b"]);
        assert!(sink.sent.is_empty());
    }

    /// EINTR after the first frame: libzmq has accepted the start of the message and takes the
    /// rest, so the frame is sent again instead of leaving half a message inside libzmq.
    #[test]
    fn send_interrupted_mid_message_retries() {
        let mut sink = Sink::new(&[(1, libc::EINTR), (2, libc::EINTR), (4, libc::EINTR)]);
        let parts = vec![Message::from("a"), Message::from("b"), Message::from("c")];
        send_message(parts, Flags::empty(), |m, f| sink.send(m, f)).unwrap();
        assert_eq!(
            sink.sent,
            [("a".into(), MORE), ("b".into(), MORE), ("c".into(), 0)]
        );
    }

    /// EINTR on the first frame is the caller's (Ctrl-C): nothing was sent, nothing retried.
    #[test]
    fn send_interrupted_first_frame_is_reported() {
        let mut sink = Sink::new(&[(0, libc::EINTR)]);
        let e = send_message(["a", "b"], Flags::empty(), |m, f| sink.send(m, f)).unwrap_err();
        assert_eq!(e.error().kind(), ErrorKind::Interrupted);
        assert_eq!(e.into_unsent().len(), 2);
        assert!(sink.sent.is_empty());
    }

    /// Any other error after the first frame (ETERM; EAGAIN, which libzmq gives only when the
    /// pipe under the message died) is returned with the frames not sent.
    #[test]
    fn send_failure_mid_message_returns_the_rest() {
        for errno in [crate::ffi::ETERM, libc::EAGAIN] {
            let mut sink = Sink::new(&[(1, errno)]);
            let parts = vec![Message::from("a"), Message::from("b"), Message::from("c")];
            let e = send_message(parts, Flags::empty(), |m, f| sink.send(m, f)).unwrap_err();
            assert_eq!(e.error().errno(), Some(errno));
            assert_eq!(texts(&e.into_unsent()), ["b", "c"]);
            assert_eq!(sink.sent, [("a".into(), MORE)]);
        }
    }
}
