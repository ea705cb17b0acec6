#!/usr/bin/env bash
# Packages both crates the way `cargo publish` would, and proves the .crate files are complete:
# 1. `cargo package --workspace` packs zmq-sys and zmq and builds each from its unpacked
#    contents, zmq against the packed zmq-sys (vendored libzmq, the default features);
# 2. the two unpacked .crate files are built against each other in a scratch workspace with the
#    system libzmq (--no-default-features), and their library tests run there;
# 3. `cargo publish --dry-run` for zmq-sys (it has no path dependencies).
# A file the build needs but the package lacks fails here. Needs the system libzmq
# (libzmq3-dev, pkg-config) for step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

# A clone in CI is clean; a developer's tree may have uncommitted work.
dirty=()
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
    dirty=(--allow-dirty)
fi

echo "--- cargo package --workspace (vendored, verified)"
cargo package --workspace "${dirty[@]}"

echo "--- the unpacked crates, built against each other with the system libzmq"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sys_version=$(sed -n 's/^version = "\(.*\)"/\1/p' zmq-sys/Cargo.toml | head -1)
scratch=target/package-check
rm -rf "$scratch"
mkdir -p "$scratch"
tar -xzf "target/package/zmq-sys-${sys_version}.crate" -C "$scratch"
tar -xzf "target/package/zmq-${version}.crate" -C "$scratch"
cp "$scratch/zmq-${version}/Cargo.lock" "$scratch/Cargo.lock"
cat > "$scratch/Cargo.toml" <<TOML
[workspace]
members = ["zmq-${version}", "zmq-sys-${sys_version}"]
resolver = "2"

[patch.crates-io]
zmq-sys = { path = "zmq-sys-${sys_version}" }
TOML
(
    cd "$scratch"
    cargo build --no-default-features -p zmq -p zmq-sys --lib --examples
    cargo test --no-default-features -p zmq -p zmq-sys --lib
    cargo test --no-default-features -p zmq-sys --test abi
)
rm -rf "$scratch"

echo "--- cargo publish --dry-run -p zmq-sys"
cargo publish --dry-run -p zmq-sys "${dirty[@]}"
