#!/usr/bin/env bash
# Side-by-side perf comparison: our perf examples against libzmq's own C perf tools (linked with
# the same vendored libzmq.a our build produced, and with the system libzmq if it is installed),
# our examples linked with the system libzmq, and the peers in ../shared/peers (rust-zmq, zmq.rs,
# optionally pyzmq). Implementations are run alternately, round after round, and the script prints
# medians and ratios; then it checks that our local_thr's resident memory stays flat.
#
#   bash benches/compare.sh            # from the repository root (any directory works)
#
# Settings (environment):
#   ROUNDS=5              rounds; each runs every implementation once per test, in turn
#                         (ROUNDS=0 only builds, e.g. for benches/callgrind.sh)
#   SIZE=1                message size in bytes
#   THR_COUNT=1000000     messages per tcp throughput run
#   LAT_COUNT=20000       roundtrips per tcp latency run
#   INPROC_THR_COUNT=2000000, INPROC_LAT_COUNT=50000
#   PROXY_THR_COUNT=1000000  messages the subscriber of proxy_thr receives (two publishers each
#                         send that many through an inproc XSUB/XPUB proxy)
#   MEM_COUNTS="1000000 10000000"   message counts of the memory check (MEM=0 skips it)
#   PEERS="rustzmq zmqrs" peers from PEERS_DIR (default ../shared/peers beside the repository),
#                         built in PEERS_TARGET (default $HOME/peers-target); PEERS="" skips them
#   PYZMQ=1               also pyzmq, installed from PyPI into a venv under the work directory
#   ASYNC=1               also our async perf examples (async_local_thr...: feature `tokio`, a
#                         current-thread runtime) in the tcp tests, as implementation "async";
#                         ASYNC=0 skips them
#   SYSTEM=0              skip everything that uses the system libzmq
#   TESTS="tcp_thr tcp_lat inproc_thr inproc_lat proxy_thr"
#   PORT=15600            first tcp port (each run takes the next one)
#   PIN=split             CPU pinning with taskset: "split" puts the tcp local side (local_thr,
#                         local_lat) on CPU 0 and the remote side on CPU 1, and the inproc tools on
#                         CPU 0 (proxy_thr too: its seven threads share that core); "same" puts every process on CPU 0 (all threads share one core:
#                         the most repeatable, it measures CPU work per message); "none" pins
#                         nothing (on a 2-core VM thread placement then swings results by 2-8x)
#   CARGO_TARGET_DIR      where cargo builds (default <repo>/target); results go to
#                         $CARGO_TARGET_DIR/compare
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
SIZE=${SIZE:-1}
THR_COUNT=${THR_COUNT:-1000000}
LAT_COUNT=${LAT_COUNT:-20000}
INPROC_THR_COUNT=${INPROC_THR_COUNT:-2000000}
INPROC_LAT_COUNT=${INPROC_LAT_COUNT:-50000}
PROXY_THR_COUNT=${PROXY_THR_COUNT:-1000000}
MEM=${MEM:-1}
MEM_COUNTS=${MEM_COUNTS:-"1000000 10000000"}
PEERS=${PEERS-"rustzmq zmqrs"}
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
PEERS_TARGET=${PEERS_TARGET:-$HOME/peers-target}
PYZMQ=${PYZMQ:-0}
ASYNC=${ASYNC:-1}
SYSTEM=${SYSTEM:-1}
TESTS=${TESTS:-"tcp_thr tcp_lat inproc_thr inproc_lat proxy_thr"}
PORT=${PORT:-15600}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$CARGO_TARGET_DIR/compare
TOOLS="local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat proxy_thr"
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
PIN=${PIN:-split}
case $PIN in
split) LOCAL_CPUS=0 REMOTE_CPUS=1 INPROC_CPUS=0 ;;
same) LOCAL_CPUS=0 REMOTE_CPUS=0 INPROC_CPUS=0 ;;
none) LOCAL_CPUS="" REMOTE_CPUS="" INPROC_CPUS="" ;;
*)
    echo "PIN must be split, same or none" >&2
    exit 1
    ;;
esac

log() { printf '%s\n' "$*" >&2; }

rm -rf "$WORK/results" "$WORK/logs"
mkdir -p "$WORK/results" "$WORK/logs" "$WORK/c-vendored" "$WORK/c-system" "$WORK/csrc"

# --- 1. our examples, vendored (the default build) and against the system libzmq -----------------
log "== building our perf examples (release, vendored libzmq 4.3.5)"
EXAMPLE_ARGS=()
for t in $TOOLS; do EXAMPLE_ARGS+=(--example "$t"); done
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" "${EXAMPLE_ARGS[@]}"
OURS=$CARGO_TARGET_DIR/release/examples
if [ "$ASYNC" = 1 ]; then
    log "== building our async perf examples (release, feature tokio)"
    cargo build --release --quiet --features tokio --manifest-path "$ROOT/Cargo.toml" \
        --example async_local_thr --example async_remote_thr \
        --example async_local_lat --example async_remote_lat
fi

HAVE_SYSTEM=0
if [ "$SYSTEM" = 1 ] && pkg-config --exists libzmq 2>/dev/null; then
    HAVE_SYSTEM=1
    log "== building our perf examples against the system libzmq $(pkg-config --modversion libzmq)"
    LIBZMQ_NO_VENDOR=1 CARGO_TARGET_DIR=$CARGO_TARGET_DIR/system \
        cargo build --release --quiet --no-default-features \
        --manifest-path "$ROOT/Cargo.toml" "${EXAMPLE_ARGS[@]}"
    OURS_SYS=$CARGO_TARGET_DIR/system/release/examples
elif [ "$SYSTEM" = 1 ]; then
    log "!! no system libzmq (pkg-config libzmq): apt-get install -y libzmq3-dev for the" \
        "vendored-vs-system comparison; skipping it"
fi

# --- 2. libzmq's C perf tools ---------------------------------------------------------------------
ZSRC=$(cargo metadata --format-version 1 --manifest-path "$ROOT/Cargo.toml" 2>/dev/null |
    grep -o '"manifest_path":"[^"]*/zeromq-src-[^"]*/Cargo.toml"' | head -1 |
    sed 's/"manifest_path":"//; s|/Cargo.toml"||')
[ -d "$ZSRC/vendor/perf" ] || { log "!! zeromq-src sources not found"; exit 1; }
LIBZMQ_A=$(ls -t "$CARGO_TARGET_DIR"/release/build/zmq-sys-*/out/lib/libzmq.a 2>/dev/null | head -1)
LIBSODIUM_A=$(find "$CARGO_TARGET_DIR"/release/build/libsodium-sys-stable-*/out -name libsodium.a \
    2>/dev/null | head -1)
[ -f "$LIBZMQ_A" ] && [ -f "$LIBSODIUM_A" ] || {
    log "!! vendored libzmq.a / libsodium.a not found under $CARGO_TARGET_DIR/release/build"
    exit 1
}
log "== building libzmq's C perf tools ($ZSRC/vendor/perf) with g++ -O2"
log "   vendored: $LIBZMQ_A"
: >"$WORK/csrc/platform.hpp" # inproc_*.cpp and proxy_thr.cpp include it; nothing in it is needed on Linux
for t in $TOOLS; do
    sed 's|#include "../include/zmq.h"|#include <zmq.h>|' "$ZSRC/vendor/perf/$t.cpp" >"$WORK/csrc/$t.cpp"
    g++ -O2 -I"$ZSRC/vendor/include" -I"$WORK/csrc" "$WORK/csrc/$t.cpp" \
        "$LIBZMQ_A" "$LIBSODIUM_A" -lstdc++ -lpthread -o "$WORK/c-vendored/$t"
    if [ "$HAVE_SYSTEM" = 1 ]; then
        # shellcheck disable=SC2046
        g++ -O2 -I"$WORK/csrc" $(pkg-config --cflags libzmq) "$WORK/csrc/$t.cpp" \
            $(pkg-config --libs libzmq) -lpthread -o "$WORK/c-system/$t"
    fi
done

# --- 3. peers -------------------------------------------------------------------------------------
PEER_LIST=()
if [ -n "$PEERS" ] && [ -f "$PEERS_DIR/Cargo.toml" ]; then
    log "== building peers ($PEERS_DIR) in $PEERS_TARGET"
    CARGO_TARGET_DIR=$PEERS_TARGET cargo build --release --quiet --manifest-path "$PEERS_DIR/Cargo.toml"
    for p in $PEERS; do
        if [ -x "$PEERS_TARGET/release/$p" ]; then PEER_LIST+=("$p"); else log "!! no peer $p"; fi
    done
elif [ -n "$PEERS" ]; then
    log "!! peers not found at $PEERS_DIR: skipping them"
fi
if [ "$PYZMQ" = 1 ] && [ -f "$PEERS_DIR/py/pyzmq_perf.py" ]; then
    if [ ! -x "$WORK/venv/bin/python" ]; then
        python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install --quiet pyzmq
    fi
    PEER_LIST+=(pyzmq)
fi

if [ "$ROUNDS" = 0 ]; then
    log "== ROUNDS=0: everything is built (for benches/callgrind.sh); no runs"
    exit 0
fi

# --- 4. runs --------------------------------------------------------------------------------------
# cmd IMPL TOOL ARGS...: run one perf tool of one implementation, on the CPUs its role gets.
cmd() {
    local impl=$1 tool=$2 cpus pin=()
    shift 2
    case $tool in
    local_*) cpus=$LOCAL_CPUS ;;
    remote_*) cpus=$REMOTE_CPUS ;;
    *) cpus=$INPROC_CPUS ;;
    esac
    [ -n "$cpus" ] && pin=(taskset -c "$cpus")
    case $impl in
    ours) "${pin[@]}" timeout "$RUN_TIMEOUT" "$OURS/$tool" "$@" ;;
    ours_sys) "${pin[@]}" timeout "$RUN_TIMEOUT" "$OURS_SYS/$tool" "$@" ;;
    async) "${pin[@]}" timeout "$RUN_TIMEOUT" "$OURS/async_$tool" "$@" ;;
    c) "${pin[@]}" timeout "$RUN_TIMEOUT" "$WORK/c-vendored/$tool" "$@" ;;
    c_sys) "${pin[@]}" timeout "$RUN_TIMEOUT" "$WORK/c-system/$tool" "$@" ;;
    pyzmq)
        # pyzmq_perf.py ends with ctx.term() while its socket is still open, which waits forever
        # for that socket; run it with a term() that closes the context's sockets first.
        "${pin[@]}" timeout "$RUN_TIMEOUT" "$WORK/venv/bin/python" -c '
import runpy, sys, zmq
term = zmq.Context.term
def close_then_term(ctx):
    for s in list(getattr(ctx, "_sockets", None) or []):
        s.close()
    term(ctx)
zmq.Context.term = close_then_term
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")' "$PEERS_DIR/py/pyzmq_perf.py" "$tool" "$@"
        ;;
    *) "${pin[@]}" timeout "$RUN_TIMEOUT" "$PEERS_TARGET/release/$impl" "$tool" "$@" ;;
    esac
}

next_port() { PORT=$((PORT + 1)); }

# tcp_pair IMPL LOCAL REMOTE COUNT: binds LOCAL in the background on port $PORT, runs REMOTE,
# prints both outputs (local's first). The caller moves to the next port (this runs in a subshell).
tcp_pair() {
    local impl=$1 local_tool=$2 remote_tool=$3 count=$4 ep out
    ep=tcp://127.0.0.1:$PORT
    out=$WORK/logs/$impl-$local_tool-$PORT
    cmd "$impl" "$local_tool" "$ep" "$SIZE" "$count" >"$out.local" 2>&1 &
    local lpid=$!
    sleep 0.3
    cmd "$impl" "$remote_tool" "$ep" "$SIZE" "$count" >"$out.remote" 2>&1 || true
    wait "$lpid" || true
    cat "$out.local" "$out.remote"
}

field() { # field PATTERN: the number after "PATTERN: " in the input
    sed -n "s/^$1: \([0-9.]*\).*/\1/p" | head -1
}

record() { # record TEST IMPL VALUE
    if [ -z "$3" ]; then
        log "!! $1 $2: no result (see $WORK/logs)"
        echo "NA" >>"$WORK/results/$1-$2"
    else
        echo "$3" >>"$WORK/results/$1-$2"
    fi
}

TCP_IMPLS=(ours c)
INPROC_IMPLS=(ours c)
if [ "$HAVE_SYSTEM" = 1 ]; then
    TCP_IMPLS+=(ours_sys c_sys)
    INPROC_IMPLS+=(ours_sys c_sys)
fi
if [ "$ASYNC" = 1 ]; then TCP_IMPLS+=(async); fi
TCP_IMPLS+=("${PEER_LIST[@]}")

log "== $ROUNDS rounds, ${SIZE}-byte messages; tcp: ${TCP_IMPLS[*]}; inproc: ${INPROC_IMPLS[*]}"
log "   (thr $THR_COUNT msgs, lat $LAT_COUNT roundtrips, inproc thr $INPROC_THR_COUNT, inproc lat $INPROC_LAT_COUNT, proxy thr $PROXY_THR_COUNT)"
for round in $(seq 1 "$ROUNDS"); do
    log "-- round $round"
    for test in $TESTS; do
        case $test in
        tcp_thr | tcp_lat) impls=("${TCP_IMPLS[@]}") ;;
        *) impls=("${INPROC_IMPLS[@]}") ;;
        esac
        # Rotate the starting implementation each round, so none always runs first.
        n=${#impls[@]}
        for i in $(seq 0 $((n - 1))); do
            impl=${impls[$(((i + round) % n))]}
            next_port
            case $test in
            tcp_thr) v=$(tcp_pair "$impl" local_thr remote_thr "$THR_COUNT" | field "mean throughput") ;;
            tcp_lat) v=$(tcp_pair "$impl" local_lat remote_lat "$LAT_COUNT" | field "average latency") ;;
            inproc_thr) v=$({ cmd "$impl" inproc_thr "$SIZE" "$INPROC_THR_COUNT" 2>&1 || true; } | field "mean throughput") ;;
            inproc_lat) v=$({ cmd "$impl" inproc_lat "$SIZE" "$INPROC_LAT_COUNT" 2>&1 || true; } | field "average latency") ;;
            proxy_thr) v=$({ cmd "$impl" proxy_thr "$SIZE" "$PROXY_THR_COUNT" 2>&1 || true; } | field "mean throughput") ;;
            esac
            record "$test" "$impl" "$v"
            log "   $test $impl: $v"
        done
    done
done

# --- 5. report ------------------------------------------------------------------------------------
median() { # median FILE (NA lines ignored)
    grep -v NA "$1" 2>/dev/null | sort -g |
        awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
# paired TEST A B: the median over rounds of A/B measured in the same round.
paired() {
    local a=$WORK/results/$1-$2 b=$WORK/results/$1-$3
    [ -f "$a" ] && [ -f "$b" ] || { echo NA; return; }
    paste "$a" "$b" | awk '$1!="NA" && $2!="NA" && $2>0 {print $1/$2}' | sort -g |
        awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) printf "%.3f\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

echo
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rustc: $(rustc --version); C tools: $(g++ --version | head -1), -O2; vendored libzmq 4.3.5;" \
    "system libzmq: $([ "$HAVE_SYSTEM" = 1 ] && pkg-config --modversion libzmq || echo none)"
echo "pinning: PIN=$PIN (tcp local side on CPU ${LOCAL_CPUS:-any}, remote side on CPU ${REMOTE_CPUS:-any}; inproc on CPU ${INPROC_CPUS:-any})"
echo "message size $SIZE B, $ROUNDS rounds; medians (thr in msg/s, lat one-way in us)"
printf '%-11s %-9s %14s   %s\n' test impl median "all rounds"
for test in $TESTS; do
    for f in "$WORK/results/$test"-*; do
        [ -f "$f" ] || continue
        impl=${f##*/$test-}
        printf '%-11s %-9s %14s   %s\n' "$test" "$impl" "$(median "$f")" "$(tr '\n' ' ' <"$f")"
    done
done
echo
echo "ratios (median over rounds of the same-round ratio; thr: higher is better, lat: lower is better)"
ratio_line() { # TEST A B LABEL
    [ -f "$WORK/results/$1-$2" ] && [ -f "$WORK/results/$1-$3" ] || return 0
    printf '%-11s %-34s %s\n' "$1" "$4" "$(paired "$1" "$2" "$3")"
}
for test in $TESTS; do
    ratio_line "$test" ours c "ours/C (same vendored libzmq)"
    ratio_line "$test" ours_sys c_sys "ours/C (system libzmq)"
    ratio_line "$test" c c_sys "C: vendored/system"
    ratio_line "$test" ours ours_sys "ours: vendored/system"
    ratio_line "$test" ours rustzmq "ours/rust-zmq"
    ratio_line "$test" ours zmqrs "ours/zmq.rs"
    ratio_line "$test" ours pyzmq "ours/pyzmq"
    ratio_line "$test" async ours "async/blocking (ours)"
    ratio_line "$test" async zmqrs "async/zmq.rs"
done

# --- 6. memory: our local_thr's peak RSS after 1M vs 10M messages ---------------------------------
# VmHWM of the receiving process, read from /proc until it exits (so the last read is its peak, to
# within the 50 ms between reads), for each count in MEM_COUNTS; flat means no per-message growth.
if [ "$MEM" = 1 ]; then
    echo
    echo "memory: peak resident set (VmHWM) of our local_thr and remote_thr, tcp, $SIZE-byte messages"
    for count in $MEM_COUNTS; do
        next_port
        ep=tcp://127.0.0.1:$PORT
        "$OURS/local_thr" "$ep" "$SIZE" "$count" >"$WORK/logs/mem-$count.local" 2>&1 &
        lpid=$!
        sleep 0.3
        "$OURS/remote_thr" "$ep" "$SIZE" "$count" >"$WORK/logs/mem-$count.remote" 2>&1 &
        rpid=$!
        lhwm=NA rhwm=NA
        while kill -0 "$lpid" 2>/dev/null; do
            v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$lpid/status" 2>/dev/null || true)
            [ -n "$v" ] && lhwm=$v
            v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$rpid/status" 2>/dev/null || true)
            [ -n "$v" ] && rhwm=$v
            sleep 0.05
        done
        wait "$lpid" || true
        wait "$rpid" || true
        printf '%-10s messages: local_thr VmHWM %s kB, remote_thr VmHWM %s kB (%s)\n' "$count" \
            "$lhwm" "$rhwm" "$(field "mean throughput" <"$WORK/logs/mem-$count.local") msg/s"
        echo "$lhwm" >>"$WORK/results/mem-local"
    done
fi

# --- 7. status: a run that printed no figure (crashed, hung until RUN_TIMEOUT, refused to connect)
# makes the whole comparison fail, after the report, so a broken tool cannot pass unnoticed.
missing=$(cat "$WORK"/results/* 2>/dev/null | grep -c '^NA$' || true)
if [ "${missing:-0}" -gt 0 ]; then
    log "!! $missing run(s) gave no result: see $WORK/logs"
    exit 1
fi
