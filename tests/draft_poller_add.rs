//! `DraftPoller::add` (and `add_fd`) give the caller's data back when libzmq refuses the
//! registration, instead of dropping it.

#![cfg(feature = "draft")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use zmq::{DraftPoller, PollEvents};

/// Counts its drops.
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A refused `add` does not drop the data: the error holds it until the caller lets it go.
#[test]
fn refused_add_keeps_the_data_alive() {
    let drops = Arc::new(AtomicUsize::new(0));
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    let mut poller = DraftPoller::new().unwrap();
    poller
        .add(&pull, Tracked(drops.clone()), PollEvents::POLLIN)
        .unwrap();
    // The same socket twice: libzmq refuses it (EINVAL).
    let err = poller
        .add(&pull, Tracked(drops.clone()), PollEvents::POLLIN)
        .unwrap_err();
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "the refused data must not have been dropped"
    );
    drop(err);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert_eq!(poller.len(), 1);
}

/// The data comes back from the error, with libzmq's reason.
#[test]
fn refused_add_and_add_fd_give_the_data_back() {
    let ctx = zmq::Context::new();
    let pull = ctx.socket(zmq::PULL).unwrap();
    let mut poller = DraftPoller::new().unwrap();
    poller
        .add(&pull, String::from("first"), PollEvents::POLLIN)
        .unwrap();
    let err = poller
        .add(&pull, String::from("second"), PollEvents::POLLIN)
        .unwrap_err();
    assert_eq!(err.error().kind(), zmq::ErrorKind::Invalid, "{err}");
    assert_eq!(err.into_data(), "second");

    let (read, write) = {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors pipe() writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        (fds[0], fds[1])
    };
    poller
        .add_fd(read, String::from("pipe"), PollEvents::POLLIN)
        .unwrap();
    let (error, data) = poller
        .add_fd(read, String::from("pipe again"), PollEvents::POLLIN)
        .unwrap_err()
        .into_parts();
    assert_eq!(error.kind(), zmq::ErrorKind::Invalid);
    assert_eq!(data, "pipe again");
    // `?` turns it into a plain zmq::Error.
    let plain: zmq::Error = poller
        .add(&pull, String::from("third"), PollEvents::POLLIN)
        .unwrap_err()
        .into();
    assert_eq!(plain.kind(), zmq::ErrorKind::Invalid);
    assert_eq!(poller.len(), 2);
    drop(poller);
    // SAFETY: both descriptors came from pipe() above and are closed once.
    unsafe {
        libc::close(read);
        libc::close(write);
    }
}
