//! The inproc endpoints and PAIR pipes the crate makes for itself (a proxy's control pipe, the
//! authenticator's, a monitor's endpoint): one counter, one naming scheme, one way to build them.

use crate::error::Result;
use crate::socket::{Pair, Socket};
use crate::Context;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh `inproc://zmq-rs.<purpose>.<pid>.<n>` endpoint, unique in this process.
pub(crate) fn unique_inproc(purpose: &str) -> String {
    format!(
        "inproc://zmq-rs.{purpose}.{}.{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Two PAIR sockets of `ctx` joined over a fresh inproc endpoint: `(bound, connected)`, both with
/// zero linger, so an internal pipe never holds up the context's end.
pub(crate) fn pair_pipe(ctx: &Context, purpose: &str) -> Result<(Socket<Pair>, Socket<Pair>)> {
    let endpoint = unique_inproc(purpose);
    let bound = ctx.socket(crate::PAIR)?;
    bound.set_linger(Some(Duration::ZERO))?;
    bound.bind(&endpoint)?;
    let connected = ctx.socket(crate::PAIR)?;
    connected.set_linger(Some(Duration::ZERO))?;
    connected.connect(&endpoint)?;
    Ok((bound, connected))
}
