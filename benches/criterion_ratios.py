#!/usr/bin/env python3
"""Safe API against raw zmq-sys calls: runs the criterion benches several times and prints, for
each pair (raw baseline A, safe B), the median times and the B/A time ratio of every run, as the
markdown table of BENCHMARKS.md.

    python3 benches/criterion_ratios.py              # 3 runs of the three benches
    python3 benches/criterion_ratios.py --runs 5
    python3 benches/criterion_ratios.py --async       # blocking against async (feature tokio)

Ratios are taken within one run (A and B measured minutes apart at most, on the same libzmq), and
the median over runs is reported: on a shared machine absolute times move between runs far more
than the ratios do. One run of the three benches takes about 1.5 minutes (20 samples of 1 s).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
CRITERION = os.path.join(TARGET, "criterion")

SIZES = ["1B", "64B", "1KiB", "64KiB", "1MiB"]
PAIRS = (
    [(f"send_recv/raw/{s}", f"send_recv/safe/{s}") for s in SIZES]
    + [
        ("multipart_3x64B/raw", "multipart_3x64B/safe_send_more_recv_msg"),
        ("multipart_3x64B/raw", "multipart_3x64B/safe_send_multipart_recv_multipart"),
        ("send_vec_1MiB/zero_copy_send_vec", "send_vec_1MiB/copy_send_slice"),
    ]
    + [
        (f"message_build/{raw}/{s}", f"message_build/{safe}/{s}")
        for s in ["64B", "1KiB", "64KiB"]
        for raw, safe in [
            ("raw_init_size_memcpy", "safe_from_slice"),
            ("raw_init_size_memset", "safe_with_size"),
            ("raw_init_data_vec", "safe_from_vec_zero_copy"),
        ]
    ]
    + [
        ("getsockopt/raw/ZMQ_EVENTS", "getsockopt/safe/events()"),
        ("getsockopt/raw/ZMQ_RCVMORE", "getsockopt/safe/rcvmore()"),
        ("getsockopt/raw/ZMQ_RCVHWM", "getsockopt/safe/rcvhwm()"),
    ]
    + [
        (f"zmq_poll/raw/{n}_sockets", f"zmq_poll/{safe}/{n}_sockets")
        for n in (1, 10)
        for safe in ("safe_poll", "safe_poller")
    ]
)

# --async: the blocking operation (A) against the async one (B), benches/async_inproc.rs.
ASYNC_PAIRS = [
    ("async_send_1B/blocking/send", "async_send_1B/async/send"),
    ("async_recv_1B/blocking/recv_msg", "async_recv_1B/async/recv_msg"),
]


def medians():
    """full_id -> median time in ns, from the latest criterion results."""
    out = {}
    for dirpath, _dirs, files in os.walk(CRITERION):
        if os.path.basename(dirpath) == "new" and "benchmark.json" in files:
            with open(os.path.join(dirpath, "benchmark.json")) as f:
                full_id = json.load(f)["full_id"]
            with open(os.path.join(dirpath, "estimates.json")) as f:
                out[full_id] = json.load(f)["median"]["point_estimate"]
    return out


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--async", dest="use_async", action="store_true",
                    help="the async layer's cost per operation (benches/async_inproc.rs)")
    args = ap.parse_args()
    if args.use_async:
        benches, pairs = ["--features", "tokio", "--bench", "async_inproc"], ASYNC_PAIRS
    else:
        benches = ["--bench", "inproc", "--bench", "message", "--bench", "sockopt_poll"]
        pairs = PAIRS

    runs = []
    for i in range(args.runs):
        print(f"== run {i + 1}/{args.runs}", file=sys.stderr)
        cmd = ["cargo", "bench", "--quiet", "--manifest-path", os.path.join(ROOT, "Cargo.toml")]
        cmd += benches
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        runs.append(medians())

    print("| A (baseline) | B | A: median time | B: median time | B/A time, per run | median B/A |")
    print("|---|---|---|---|---|---|")
    for a, b in pairs:
        ratios = [r[b] / r[a] for r in runs if a in r and b in r]
        if not ratios:
            print(f"| `{a}` | `{b}` | missing | | | |")
            continue
        ta = statistics.median(r[a] for r in runs if a in r)
        tb = statistics.median(r[b] for r in runs if b in r)
        per_run = " ".join(f"{x:.3f}" for x in ratios)
        print(f"| `{a}` | `{b}` | {fmt_time(ta)} | {fmt_time(tb)} | {per_run} "
              f"| **{statistics.median(ratios):.3f}** |")


if __name__ == "__main__":
    main()
