# CLI cases for the uncertainty replicates in worker processes (cli_uncert_run.c): -j 1, 2 and 3
# give the same bytes (reports and shard files); a worker killed mid-run fails the run with exit
# 1, a message naming the worker and the signal, no output file and no worker left behind.
. "$(dirname "$0")/lib.sh"

# A random network with leaves, parallel rows, probable ties and separate pieces (awk's rand
# with a fixed seed: the same file every run).
gen() { # PLACES ROWS FILE
    awk -v n="$1" -v m="$2" 'BEGIN {
        srand(7); print "from,to,weight,confidence"
        for (i = 1; i < m; i++) {
            a = int(rand() * n); b = (i < n) ? int(rand() * i) : int(rand() * n)
            if (i < n) a = i
            if (a == b) continue
            printf "p%d,p%d,%d,%s\n", a, b, 1 + int(rand() * 5), rand() < 0.3 ? "probable" : "documented"
        }
        print "x1,x2,1,probable"; print "x3,x4,2,documented"; print "p1,p0,3,probable"
    }' >"$3"
}
gen 300 420 "$WORK/ties.csv"

for j in 1 2 3; do
    run stats "$WORK/ties.csv" --uncertainty 40 --format csv -j "$j" -o "$WORK/j$j.csv"
    expect_rc 0 "csv -j $j"
    run stats "$WORK/ties.csv" --uncertainty 15 --format json --resample ties --weight-noise 0.2 \
        --seed 3 -j "$j" -o "$WORK/j$j.json"
    expect_rc 0 "json -j $j"
    run stats "$WORK/ties.csv" --uncertainty 30 --shard 2/3 -j "$j" -o "$WORK/j$j.pmu"
    expect_rc 0 "shard -j $j"
done
for j in 2 3; do
    expect_same "$WORK/j1.csv" "$WORK/j$j.csv" "csv -j 1 = -j $j"
    expect_same "$WORK/j1.json" "$WORK/j$j.json" "json -j 1 = -j $j"
    expect_same "$WORK/j1.pmu" "$WORK/j$j.pmu" "shard -j 1 = -j $j"
done
# more workers than replicates
run stats "$WORK/ties.csv" --uncertainty 2 --format csv -j 5 -o "$WORK/j5.csv"
expect_rc 0 "-j 5, 2 replicates"
run stats "$WORK/ties.csv" --uncertainty 2 --format csv -j 1 -o "$WORK/j1b.csv"
expect_same "$WORK/j1b.csv" "$WORK/j5.csv" "-j 5 = -j 1 with 2 replicates"

# A worker killed: a long run (many replicates of a larger network), one worker shot.
gen 1500 2000 "$WORK/big.csv"
children() { # PID: its child processes
    for s in /proc/[0-9]*/stat; do
        read -r c _ _ pp _ 2>/dev/null <"$s" && [ "$pp" = "$1" ] && echo "$c"
    done
}
"$PM" stats "$WORK/big.csv" --uncertainty 50000 --metrics betweenness -j 2 \
    -o "$WORK/killed.txt" >"$WORK/out" 2>"$WORK/err" &
pid=$!
kids=""
for _ in $(seq 600); do
    kids=$(children "$pid")
    [ "$(echo "$kids" | wc -w)" -ge 2 ] && break
    sleep 0.1
done
victim=$(echo "$kids" | head -1)
if [ -n "$victim" ]; then
    sleep 0.5
    kill -KILL "$victim"
    wait "$pid"
    RC=$?
    ERR=$(cat "$WORK/err")
    expect_rc 1 "killed worker: exit 1"
    expect_err "uncertainty worker" "killed worker: named"
    expect_err "signal 9" "killed worker: how"
    expect_err "nothing was written" "killed worker: no output"
    expect_no_file "$WORK/killed.txt" "killed worker: no file"
    left=$(for k in $kids; do [ -e "/proc/$k" ] && grep -qv '^[0-9]* (.*) Z' "/proc/$k/stat" && echo "$k"; done)
    if [ -z "$left" ]; then ok; else bad "killed worker: workers left running: $left"; fi
else
    kill "$pid" 2>/dev/null
    wait "$pid"
    bad "killed worker: no worker processes seen (-j 2)"
fi

finish
