#!/usr/bin/env bash
# Regenerates the committed bindings (src/bindings.rs, src/bindings_draft.rs) from the zmq.h of
# the vendored libzmq (zeromq-src). Needs libclang (Debian: apt-get install libclang-dev).
# Run from anywhere; review the diff afterwards. zmq_fd_t and zmq_msg_t are left out (they depend
# on the target): src/lib.rs defines them by hand and asserts their layouts per target family;
# check-layouts.sh compiles those assertions for other targets.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ZMQ_SYS_BINDINGS_OUT="$here/src" cargo build --manifest-path "$here/Cargo.toml" \
    --features vendored,buildtime-bindgen
echo "bindings written to $here/src"
