#!/usr/bin/env bash
# Creates target/pyzmq-venv with pyzmq from PyPI, for tests/interop_pyzmq.rs
# (which finds it there, or through ZMQ_TEST_PYTHON). Idempotent: an existing venv that already
# imports zmq is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${PYZMQ_VENV:-target/pyzmq-venv}"
python="${PYTHON:-python3}"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import zmq' 2>/dev/null; then
    echo "pyzmq $("$venv/bin/python" -c 'import zmq; print(zmq.__version__, "libzmq", zmq.zmq_version())') already in $venv"
    exit 0
fi

mkdir -p "$(dirname "$venv")"
if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian's python3 needs python3-venv for `-m venv`.
    if command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    fi
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi
for attempt in 1 2 3; do
    if "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pyzmq; then
        break
    fi
    if [ "$attempt" = 3 ]; then
        echo "pip install pyzmq failed" >&2
        exit 1
    fi
    echo "pip install pyzmq failed (attempt $attempt), retrying"
    sleep 5
done
"$venv/bin/python" -c 'import zmq; print("pyzmq", zmq.__version__, "libzmq", zmq.zmq_version(), "curve", zmq.has("curve"))'
