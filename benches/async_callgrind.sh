#!/usr/bin/env bash
# Instructions per message of our async perf tools against the blocking ones, counted by valgrind's
# callgrind (the async half of benches/callgrind.sh): each tool runs under callgrind with N1 and N2
# messages (or roundtrips), its partner being the blocking Rust tool (not profiled), and the
# instructions per message of the profiled process (all its threads, libzmq's I/O thread
# included) are (Ir(N2) - Ir(N1)) / (N2 - N1). Then, for each async tool measured with its
# blocking twin, the ratio of the two (the async layer's cost in instructions).
#
#   ROUNDS=0 bash benches/compare.sh && bash benches/async_callgrind.sh
#
# Settings: TOOLS (default: the four async tools and their blocking twins), PORT=16300,
# CARGO_TARGET_DIR (as for compare.sh). Results in $CARGO_TARGET_DIR/async-callgrind.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
E=$CARGO_TARGET_DIR/release/examples
TOOLS=${TOOLS:-"remote_thr async_remote_thr local_thr async_local_thr remote_lat async_remote_lat local_lat async_local_lat"}
P=${PORT:-16300}
WORK=$CARGO_TARGET_DIR/async-callgrind
declare -A PER
mkdir -p "$WORK"
command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install -y valgrind)" >&2; exit 1; }

# cg1 SIDE TOOL PARTNER N: profiles TOOL (remote or local side) with N messages; prints its Ir.
cg1() {
    local side=$1 tool=$2 partner=$3 n=$4 out
    P=$((P + 1))
    out=$WORK/$tool.$n
    if [ "$side" = remote ]; then
        "$E/$partner" "tcp://127.0.0.1:$P" 1 "$n" >/dev/null &
        sleep 0.3
        valgrind --tool=callgrind --callgrind-out-file="$out" "$E/$tool" "tcp://127.0.0.1:$P" 1 "$n" \
            >/dev/null 2>&1
    else
        valgrind --tool=callgrind --callgrind-out-file="$out" "$E/$tool" "tcp://127.0.0.1:$P" 1 "$n" \
            >/dev/null 2>&1 &
        sleep 1.5
        "$E/$partner" "tcp://127.0.0.1:$P" 1 "$n" >/dev/null
    fi
    wait
    callgrind_annotate "$out" 2>/dev/null | grep "PROGRAM TOTALS" | awk '{print $1}' | tr -d ,
}

for t in $TOOLS; do
    case $t in
    *remote_thr) side=remote partner=local_thr n1=100000 n2=300000 ;;
    *local_thr) side=local partner=remote_thr n1=100000 n2=300000 ;;
    *remote_lat) side=remote partner=local_lat n1=5000 n2=15000 ;;
    *local_lat) side=local partner=remote_lat n1=5000 n2=15000 ;;
    *) echo "unknown tool $t" >&2; exit 1 ;;
    esac
    a=$(cg1 "$side" "$t" "$partner" "$n1")
    b=$(cg1 "$side" "$t" "$partner" "$n2")
    ir=$(awk -v a="$a" -v b="$b" -v n1="$n1" -v n2="$n2" 'BEGIN { printf "%.1f", (b - a) / (n2 - n1) }')
    PER[$t]=$ir
    printf "%-18s %10s Ir per message (or roundtrip)\n" "$t" "$ir"
done

# Each async tool against its blocking twin, when both were measured: the async layer's cost as
# a ratio of instructions (lower is better; 1.0 would be no cost), free of the wall clock's noise.
for t in $TOOLS; do
    case $t in async_*) twin=${t#async_} ;; *) continue ;; esac
    [ -n "${PER[$t]:-}" ] && [ -n "${PER[$twin]:-}" ] || continue
    awk -v t="$t" -v tw="$twin" -v a="${PER[$t]}" -v b="${PER[$twin]}" \
        'BEGIN { printf "%-18s %10.3f async/blocking instructions (%s / %s)\n", t, a / b, t, tw }'
done
