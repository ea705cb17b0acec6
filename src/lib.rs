//! Safe bindings to libzmq (ZeroMQ).
#![deny(missing_docs)]

pub use zmq_sys as ffi;

mod capability;
pub use capability::{has, version};
