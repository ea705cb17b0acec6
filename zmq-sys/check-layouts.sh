#!/usr/bin/env bash
# Compiles zmq-sys's bindings for other targets, with and without `draft`, so the compile-time
# layout assertions in src/lib.rs (zmq_fd_t, zmq_msg_t, zmq_pollitem_t, zmq_poller_event_t) are
# evaluated for each: a build check of the per-target type choices without a C toolchain or
# libzmq for those targets. Only the Rust standard library of each target is needed:
#
#   rustup target add x86_64-pc-windows-gnu i686-pc-windows-gnu i686-unknown-linux-gnu
#   zmq-sys/check-layouts.sh [TARGET...]      # default: every installed target
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(rustup target list --installed)
fi
libc_src=$(cargo metadata --manifest-path "$here/Cargo.toml" --format-version 1 2>/dev/null |
    python3 -c 'import json,sys; m=json.load(sys.stdin); print(next(p["manifest_path"] for p in m["packages"] if p["name"]=="libc"))' |
    xargs dirname)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
    rustc --edition 2021 --crate-type rlib --crate-name libc --target "$t" --cap-lints allow \
        "$libc_src/src/lib.rs" -o "$work/liblibc-$t.rlib"
    for features in "" 'feature="draft"'; do
        cfg=()
        [ -n "$features" ] && cfg=(--cfg "$features")
        if rustc --edition 2021 --crate-type rlib --crate-name zmq_sys --target "$t" "${cfg[@]}" \
            --extern libc="$work/liblibc-$t.rlib" "$here/src/lib.rs" -o "$work/zmq_sys.rlib"; then
            echo "ok   $t ${features:-(stable)}"
        else
            echo "FAIL $t ${features:-(stable)}"
            status=1
        fi
    done
done
exit $status
