#!/usr/bin/env bash
# Instructions per message, counted by valgrind's callgrind: the repeatable half of the perf
# comparison. Wall-clock figures on a shared 2-core VM move by more than the 2 % the targets allow;
# instruction counts do not (the same binary and arguments give the same count to within a few
# hundredths of a percent, whatever else the machine is doing). They say what each implementation
# costs in CPU work per message; they do not see waiting, cache misses or system-call time, which
# the timed runs of compare.sh do.
#
#   bash benches/callgrind.sh        # after compare.sh has built everything once (ROUNDS=0 is enough)
#
# Each perf tool runs under callgrind twice, with N1 and N2 messages (or roundtrips); the
# instructions per message are (Ir(N2) - Ir(N1)) / (N2 - N1), which cancels start-up and shutdown.
# For tcp both processes run under callgrind and their counts are added. "Rust" is the part of the
# count spent in Rust functions (names with "::" and no parameter list: the binding, std and the
# example's loop), i.e. what the binding adds on top of libzmq and libc; the C tools have none.
#
# Settings (environment):
#   IMPLS="ours c ours_sys c_sys rustzmq"   implementations (ours_sys/c_sys need the system build;
#                                           missing ones are skipped)
#   TESTS="inproc_thr inproc_lat tcp_thr tcp_lat"
#   THR_N="100000 300000"  LAT_N="5000 15000"   the two counts
#   SIZE=1   PORT=15900   CARGO_TARGET_DIR (as for compare.sh; results in $CARGO_TARGET_DIR/callgrind)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
IMPLS=${IMPLS:-"ours c ours_sys c_sys rustzmq"}
TESTS=${TESTS:-"inproc_thr inproc_lat tcp_thr tcp_lat"}
read -r THR_N1 THR_N2 <<<"${THR_N:-100000 300000}"
read -r LAT_N1 LAT_N2 <<<"${LAT_N:-5000 15000}"
SIZE=${SIZE:-1}
PORT=${PORT:-15900}
PEERS_TARGET=${PEERS_TARGET:-$HOME/peers-target}
WORK=$CARGO_TARGET_DIR/callgrind
CMP=$CARGO_TARGET_DIR/compare
RUN_TIMEOUT=${RUN_TIMEOUT:-600}

log() { printf '%s\n' "$*" >&2; }
command -v valgrind >/dev/null || { log "!! valgrind not found (apt-get install -y valgrind)"; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK"

# bin IMPL TOOL: the command that runs TOOL of IMPL (empty if that implementation is not built).
bin() {
    local f
    case $1 in
    ours) f=$CARGO_TARGET_DIR/release/examples/$2 ;;
    ours_sys) f=$CARGO_TARGET_DIR/system/release/examples/$2 ;;
    c) f=$CMP/c-vendored/$2 ;;
    c_sys) f=$CMP/c-system/$2 ;;
    *)
        [ -x "$PEERS_TARGET/release/$1" ] && echo "$PEERS_TARGET/release/$1 $2"
        return 0
        ;;
    esac
    [ -x "$f" ] && echo "$f"
    return 0
}

# cg OUT CMD...: run CMD under callgrind, writing its profile to OUT.
cg() {
    local out=$1
    shift
    timeout "$RUN_TIMEOUT" valgrind --tool=callgrind --callgrind-out-file="$out" "$@" \
        >"$out.stdout" 2>"$out.stderr"
}

# counts FILE: "<total Ir> <Ir in Rust functions>" of one profile.
counts() {
    callgrind_annotate --threshold=100 "$1" 2>/dev/null | python3 -c '
import re, sys
total = rust = 0
row = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+(?:\?\?\?|[^:\s]*):(.*?)(?:\s+\[[^\]]*\])?\s*$")
for line in sys.stdin:
    if "PROGRAM TOTALS" in line:
        total = int(line.split()[0].replace(",", ""))
        continue
    m = row.match(line)
    if m:
        name = m.group(2)
        if "::" in name and "(" not in name:
            rust += int(m.group(1).replace(",", ""))
print(total, rust)'
}

# run_one TEST IMPL N TAG: one profiled run of TEST with N messages; prints "<Ir> <Rust Ir>".
run_one() {
    local test=$1 impl=$2 n=$3 tag=$4 local_tool remote_tool lpid
    local base=$WORK/$test-$impl-$tag
    case $test in
    inproc_thr | inproc_lat)
        # shellcheck disable=SC2046
        cg "$base" $(bin "$impl" "$test") "$SIZE" "$n"
        counts "$base"
        ;;
    tcp_thr | tcp_lat)
        local_tool=local_${test#tcp_} remote_tool=remote_${test#tcp_}
        PORT=$((PORT + 1))
        # shellcheck disable=SC2046
        cg "$base.local" $(bin "$impl" "$local_tool") "tcp://127.0.0.1:$PORT" "$SIZE" "$n" &
        lpid=$!
        sleep 1.5 # valgrind start-up; the connecting side retries anyway
        # shellcheck disable=SC2046
        cg "$base.remote" $(bin "$impl" "$remote_tool") "tcp://127.0.0.1:$PORT" "$SIZE" "$n"
        wait "$lpid"
        local a b
        a=$(counts "$base.local")
        b=$(counts "$base.remote")
        echo "$a $b" | awk '{print $1 + $3, $2 + $4}'
        ;;
    esac
}

printf '%-11s %-9s %12s %12s %10s   %s\n' test impl "Ir/msg" "Rust Ir/msg" "Rust %" "(N1, N2)"
for test in $TESTS; do
    case $test in
    *_thr) n1=$THR_N1 n2=$THR_N2 ;;
    *) n1=$LAT_N1 n2=$LAT_N2 ;;
    esac
    for impl in $IMPLS; do
        probe=${test#tcp_}
        [ "$probe" = "$test" ] || probe=local_$probe
        if [ -z "$(bin "$impl" "$probe")" ]; then
            log "   $test $impl: not built, skipped"
            continue
        fi
        [ "$impl" = rustzmq ] && [[ $test == inproc_* ]] && continue # the peers have no inproc tools
        read -r t1 r1 <<<"$(run_one "$test" "$impl" "$n1" a)"
        read -r t2 r2 <<<"$(run_one "$test" "$impl" "$n2" b)"
        awk -v t="$test" -v i="$impl" -v t1="$t1" -v t2="$t2" -v r1="$r1" -v r2="$r2" \
            -v n1="$n1" -v n2="$n2" 'BEGIN {
                per = (t2 - t1) / (n2 - n1); rust = (r2 - r1) / (n2 - n1)
                printf "%-11s %-9s %12.1f %12.1f %9.2f%%   (%d, %d)\n", t, i, per, rust, 100 * rust / per, n1, n2
            }' | tee -a "$WORK/per-message"
    done
done

echo
echo "ratios of instructions per message (lower is less CPU work)"
ratio() { # TEST A B
    awk -v t="$1" -v a="$2" -v b="$3" '$1 == t && $2 == a {x = $3} $1 == t && $2 == b {y = $3}
        END {if (x && y) printf "%-11s %-9s / %-9s %.4f\n", t, a, b, x / y}' "$WORK/per-message"
}
for test in $TESTS; do
    ratio "$test" ours c
    ratio "$test" ours_sys c_sys
    ratio "$test" ours rustzmq
    ratio "$test" c c_sys
done
