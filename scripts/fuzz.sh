#!/usr/bin/env bash
# Fuzzes the parsers of user input with libFuzzer (tests/fuzz/fuzz_<name>.c).
#
#   scripts/fuzz.sh [-t SECONDS] [-n RUNS] [-j JOBS] [--merge] [NAME...]
#
# Builds build-fuzz with clang-14 and -DPM_FUZZ=ON, then runs each harness (all when no NAME is
# given) for SECONDS (default 60) or for RUNS executions (both given: whichever comes first), on
# JOBS processes (default 1), starting from its seed corpus tests/fuzz/corpus/NAME. New inputs go to build-fuzz/fuzz/corpus/NAME, crashes,
# hangs (> 10 s), leaks and broken invariants to build-fuzz/fuzz/findings/NAME/. One line per
# harness is printed: executions, seconds, executions per second, coverage (edges), findings; the
# whole libFuzzer log is build-fuzz/fuzz/NAME.log. With --merge the new inputs that add coverage
# are copied into the seed corpus (libFuzzer -merge=1; review and commit them). Exit status 1 when anything was
# found (findings counted are this run's; earlier ones stay in the folder). A finding is replayed
# with: build-fuzz/tests/fuzz/fuzz_NAME FILE. Environment: PM_FUZZ_TIMEOUT (seconds, default 10:
# an input taking longer is a hang; raise it beside other work) and ASAN_OPTIONS (added).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="" runs="" jobs=1 merge=0 names=()
while [ $# -gt 0 ]; do
    case "$1" in
    -t) secs="$2"; shift 2 ;;
    -n) runs="$2"; shift 2 ;;
    -j) jobs="$2"; shift 2 ;;
    --merge) merge=1; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
    esac
done
command -v clang-14 >/dev/null || { echo "fuzz.sh: clang-14 is missing: run scripts/deps.sh" >&2; exit 2; }
if [ ${#names[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n=$(basename "$f" .c); n=${n#fuzz_}
        [ "$n" = support ] || names+=("$n")
    done
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DPM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=(); for n in "${names[@]}"; do targets+=("fuzz_$n"); done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
out=build-fuzz/fuzz
found=0
printf '%-10s %12s %8s %9s %7s %s\n' harness executions seconds exec/s cov findings
for n in "${names[@]}"; do
    seeds=tests/fuzz/corpus/$n work=$out/corpus/$n art=$out/findings/$n
    mkdir -p "$work" "$art" "$seeds"
    limit=()
    [ -n "$runs" ] && limit+=(-runs="$runs")
    if [ -n "$secs" ] || [ -z "$runs" ]; then limit+=(-max_total_time="${secs:-60}"); fi
    # -jobs makes libFuzzer log to fuzz-N.log: pass it only for several processes
    [ "$jobs" -gt 1 ] && limit+=(-jobs="$jobs" -workers="$jobs")
    start=$(date +%s.%N)
    touch "$out/.start-$n" # findings of this run are the files newer than it
    # leaks are checked (libFuzzer reports one that grows with the inputs); -rss_limit_mb guards
    # against a runaway allocation; -timeout makes a hang a finding (PM_FUZZ_TIMEOUT seconds,
    # default 10: raise it for a fuzzer that shares the machine at a low priority, whose wall
    # clock includes the time it waits for a core). ASAN_OPTIONS given by the caller are added
    # (malloc_context_size=3 saves about 6 % of the time of the allocation-heavy harnesses).
    ASAN_OPTIONS=detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS} UBSAN_OPTIONS=print_stacktrace=1 \
        "build-fuzz/tests/fuzz/fuzz_$n" "${limit[@]}" -timeout="${PM_FUZZ_TIMEOUT:-10}" \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" "$work" "$seeds" \
        >"$out/$n.log" 2>&1 || true
    end=$(date +%s.%N)
    # with -jobs > 1 the logs of the workers are fuzz-N.log in the current folder
    logs=("$out/$n.log"); [ "$jobs" -gt 1 ] && logs+=(fuzz-*.log)
    execs=$(cat "${logs[@]}" 2>/dev/null | sed -n 's/^stat::number_of_executed_units: *//p' | awk '{s += $1} END {print s + 0}')
    cov=$(cat "${logs[@]}" 2>/dev/null | sed -n 's/.* cov: \([0-9]*\).*/\1/p' | sort -n | tail -1)
    [ "$jobs" -gt 1 ] && { cat fuzz-*.log >>"$out/$n.log"; rm -f fuzz-*.log; }
    nf=$(find "$art" -type f -newer "$out/.start-$n" | wc -l)
    rm -f "$out/.start-$n"
    [ "$nf" -gt 0 ] && found=1
    awk -v n="$n" -v e="$execs" -v s="$start" -v t="$end" -v c="${cov:-0}" -v f="$nf" \
        'BEGIN { d = t - s; printf "%-10s %12d %8.1f %9.0f %7d %d\n", n, e, d, e / d, c, f }'
    if [ "$merge" -eq 1 ]; then
        # the seeds stay; new inputs that add coverage are copied in (named by their SHA-1)
        "build-fuzz/tests/fuzz/fuzz_$n" -merge=1 "$seeds" "$work" >>"$out/$n.log" 2>&1
    fi
done
[ "$found" -eq 0 ] || echo "fuzz.sh: findings in $out/findings (replay: build-fuzz/tests/fuzz/fuzz_NAME FILE)" >&2
exit "$found"
