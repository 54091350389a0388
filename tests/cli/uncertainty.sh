# CLI cases for `partnermap stats --uncertainty N`: the terminal report a referee reads, every
# output format, determinism across -j 1 and -j 2, shards merged byte-identical to one process,
# the collapse to the observed values when every tie is certain, and bad input with its exit code.
. "$(dirname "$0")/lib.sh"

cat >"$WORK/ties.csv" <<'CSV'
from,to,weight,confidence,probability
a,b,1,documented,
b,c,2,probable,
c,a,1,documented,
c,d,4,probable,0.9
d,e,1,documented,
e,f,1,probable,
CSV

run stats "$WORK/ties.csv" --uncertainty 200 --sort betweenness
expect_rc 0 terminal
expect_out "200 replicates (seed 42)" terminal-model
expect_out "places by Betweenness" terminal-betweenness-first
# c and d carry the weighted shortest paths between {a,b} and {d,e,f} (6 each, observed)
expect_out "c      6.0 [0.0–6.0]" terminal-value
expect_out "1 [1–2]" terminal-rank
expect_out "top 10" terminal-top

# every format gets the columns
run stats "$WORK/ties.csv" --uncertainty 50 --format csv
expect_rc 0 csv
expect_out "place,metric,observed,median,q2.5,q97.5,rank,rank_q2.5,rank_q97.5,top10_share" csv-header
expect_out "c,betweenness,6," csv-c
run stats "$WORK/ties.csv" --uncertainty 50 --format csv --interval 90 --top 3
expect_out "q5,q95" csv-interval90; expect_out "top3_share" csv-top3
run stats "$WORK/ties.csv" --uncertainty 50 --format json
expect_rc 0 json
if printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then ok; else bad "json does not parse"; fi
expect_out '"rank_lo":' json-rank
run stats "$WORK/ties.csv" --uncertainty 50 --format latex --sort betweenness
expect_rc 0 latex; expect_out "c & 6.0 [" latex-cell; expect_out '--' latex-dash; expect_out "100 \\%" latex-pct
run stats "$WORK/ties.csv" --uncertainty 50 --format markdown
expect_rc 0 md; expect_out '| place | degree [95 %]' md-head
run stats "$WORK/ties.csv" --uncertainty 50 --format csv --summary
expect_rc 0 summary; expect_out "statistic,observed,median,q2.5,q97.5,defined" summary-head
expect_out "ties,6," summary-ties

# the same numbers with one thread or two
"$PM" stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --format csv -j 1 -o "$WORK/j1.csv"
"$PM" stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --format csv -j 2 -o "$WORK/j2.csv"
expect_same "$WORK/j1.csv" "$WORK/j2.csv" jobs-deterministic
# another seed gives other numbers (the seed is used)
"$PM" stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --format csv --seed 7 -o "$WORK/s7.csv"
if cmp -s "$WORK/j1.csv" "$WORK/s7.csv"; then bad "seed ignored"; else ok; fi

# shards: three shard files in a folder, merged: byte-identical to one process
mkdir "$WORK/shards"
for k in 1 2 3; do
    run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard $k/3 -o "$WORK/shards"
    expect_rc 0 "shard-$k"; expect_err "shard $k/3: 100 of 300 replicates" "shard-$k-msg"
done
[ -f "$WORK/shards/shard-2-of-3.pmu" ] && ok || bad "shard file name"
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --format csv --merge "$WORK/shards" -o "$WORK/merged.csv"
expect_rc 0 merge
expect_same "$WORK/j1.csv" "$WORK/merged.csv" merge-identical
# a shard missing, or a merge with other options
rm "$WORK/shards/shard-3-of-3.pmu"
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --merge "$WORK/shards"
expect_rc 3 merge-missing; expect_err "100 of 300 replicates missing" merge-missing-msg
run stats "$WORK/ties.csv" --uncertainty 300 --merge "$WORK/shards"
expect_rc 3 merge-other; expect_err "a shard of another run" merge-other-msg

# a finished shard submitted again is skipped (as batch skips an unchanged run): same bytes, same
# mtime, no replicate run; another table or seed, a shard cut short, or --force recompute it
mkdir "$WORK/resub"
for k in 1 2 3; do
    "$PM" stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard $k/3 -o "$WORK/resub" 2>/dev/null
done
S2="$WORK/resub/shard-2-of-3.pmu"
cp -p "$S2" "$WORK/s2.orig"; touch -d '2020-01-01 00:00:00' "$S2"; m0=$(stat -c %Y "$S2")
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard 2/3 -o "$WORK/resub"
expect_rc 0 resub-skip; expect_err "shard 2/3 already in $S2" resub-skip-msg
expect_err "skipped; --force recomputes it" resub-skip-force
case "$ERR" in *"replicates written"*) bad "resub: replicates run again: $ERR" ;; *) ok ;; esac
[ "$(stat -c %Y "$S2")" = "$m0" ] && ok || bad "resub: the skipped shard's file was rewritten"
expect_same "$WORK/s2.orig" "$S2" resub-bytes
# --force recomputes (the same bytes, a new mtime)
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard 2/3 -o "$WORK/resub" --force
expect_rc 0 resub-force; expect_err "shard 2/3: 100 of 300 replicates written" resub-force-msg
[ "$(stat -c %Y "$S2")" != "$m0" ] && ok || bad "resub: --force did not rewrite the shard"
expect_same "$WORK/s2.orig" "$S2" resub-force-bytes
# another seed, or another table: recomputed, with a note
touch -d '2020-01-01 00:00:00' "$S2"
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --seed 7 --shard 2/3 -o "$S2"
expect_rc 0 resub-seed; expect_err "100 of 300 replicates written" resub-seed-msg
expect_err "recomputing" resub-seed-note
[ "$(stat -c %Y "$S2")" != "$m0" ] && ok || bad "resub: another seed's shard was skipped"
if cmp -s "$WORK/s2.orig" "$S2"; then bad "resub: another seed, the same values"; else ok; fi
sed 's/^e,f,1,/e,f,3,/' "$WORK/ties.csv" >"$WORK/ties2.csv"
run stats "$WORK/ties2.csv" --uncertainty 300 --weight-noise 0.3 --shard 2/3 -o "$S2"
expect_rc 0 resub-table; expect_err "100 of 300 replicates written" resub-table-msg
if cmp -s "$WORK/s2.orig" "$S2"; then bad "resub: another table, the same values"; else ok; fi
# a shard cut short (a job killed while writing it): recomputed
head -c 2000 "$WORK/s2.orig" >"$S2"
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard 2/3 -o "$WORK/resub"
expect_rc 0 resub-short; expect_err "100 of 300 replicates written" resub-short-msg
expect_err "recomputing" resub-short-note
expect_same "$WORK/s2.orig" "$S2" resub-short-bytes
# skipped (1, 3) and recomputed (2) shards merge to the single process's numbers
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --shard 1/3 -o "$WORK/resub"
expect_err "skipped" resub-skip-1
run stats "$WORK/ties.csv" --uncertainty 300 --weight-noise 0.3 --format csv --merge "$WORK/resub" -o "$WORK/resub.csv"
expect_rc 0 resub-merge; expect_same "$WORK/j1.csv" "$WORK/resub.csv" resub-merge-identical

# a Slurm job array's task picks its shard (array 1-3: task 2 is shard 2/3), with --shard slurm
# or, as batch does (the same code, cli_slurm_shard), without --shard, saying so
mkdir "$WORK/slurm" "$WORK/slurm-env"
ARRAY=(SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3)
env "${ARRAY[@]}" "$PM" stats "$WORK/ties.csv" --uncertainty 30 --shard slurm -o "$WORK/slurm" 2>"$WORK/err"
rc=$?; [ $rc -eq 0 ] && ok || bad "slurm: exit $rc: $(cat "$WORK/err")"
[ -f "$WORK/slurm/shard-2-of-3.pmu" ] && ok || bad "slurm shard file"
env "${ARRAY[@]}" "$PM" stats "$WORK/ties.csv" --uncertainty 30 -o "$WORK/slurm-env" 2>"$WORK/err"
rc=$?; [ $rc -eq 0 ] && ok || bad "slurm from the environment: exit $rc: $(cat "$WORK/err")"
cmp -s "$WORK/slurm/shard-2-of-3.pmu" "$WORK/slurm-env/shard-2-of-3.pmu" && ok || bad "no --shard in an array task: not the task's shard"
grep -q "shard 2/3 from the Slurm array" "$WORK/err" && ok || bad "the shard taken from the array is not said: $(cat "$WORK/err")"
# a merge in an array task is a merge, not a shard
env "${ARRAY[@]}" "$PM" stats "$WORK/ties.csv" --uncertainty 30 --merge "$WORK/slurm" -o "$WORK/x.txt" 2>"$WORK/err"
[ $? -ne 2 ] && ! grep -q "from the Slurm array" "$WORK/err" && ok || bad "a merge in an array task took a shard: $(cat "$WORK/err")"
# an uneven array (tasks 1,3,4) has no clear shard: refused as batch refuses it
env SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=4 \
    "$PM" stats "$WORK/ties.csv" --uncertainty 30 -o "$WORK/slurm-env" 2>"$WORK/err"
rc=$?; [ $rc -eq 2 ] && grep -q "evenly spaced" "$WORK/err" && ok || bad "uneven array: exit $rc: $(cat "$WORK/err")"
run stats "$WORK/ties.csv" --uncertainty 30 --shard slurm -o "$WORK/slurm"
expect_rc 2 slurm-outside; expect_err "SLURM_ARRAY_TASK_ID" slurm-outside-msg

# every tie certain: the intervals are the observed values
run stats "$WORK/ties.csv" --uncertainty 30 --keep-probable 1 --keep-documented 1 --format csv
expect_out "c,betweenness,6,6,6,6,1,1,1,1" collapse
# ... but the probability column still counts (c-d at 0.9): give a table without it
sed 's/,0.9$/,/' "$WORK/ties.csv" >"$WORK/certain.csv"
run stats "$WORK/certain.csv" --uncertainty 30 --keep-probable 1 --format csv
expect_out "d,degree,2,2,2,2," collapse-degree

# every tie dropped in every replicate: defined statistics
run stats "$WORK/certain.csv" --uncertainty 20 --keep-probable 0 --keep-documented 0 --format csv --summary
expect_rc 0 all-dropped; expect_out "ties,6,0,0,0,20" all-dropped-ties
run stats "$WORK/certain.csv" --uncertainty 20 --keep-probable 0 --keep-documented 0
expect_out "every tie dropped in 20 replicates" all-dropped-note

# bad input
run stats "$WORK/ties.csv" --uncertainty 0
expect_rc 2 n-zero; expect_err "1 to 1000000" n-zero-msg
run stats "$WORK/ties.csv" --uncertainty 1000001
expect_rc 2 n-huge; expect_err "1 to 1000000" n-huge-msg
run stats "$WORK/ties.csv" --uncertainty lots
expect_rc 2 n-word
run stats "$WORK/ties.csv" --uncertainty 10 --keep-probable 1.5
expect_rc 2 keep-range; expect_err "between 0 and 1" keep-range-msg
run stats "$WORK/ties.csv" --keep-probable 0.4
expect_rc 2 keep-without-n; expect_err "--keep-probable needs --uncertainty" keep-without-n-msg
run stats "$WORK/ties.csv" --shard 1/2 -o "$WORK/x.pmu"
expect_rc 2 shard-without-n; expect_err "needs --uncertainty" shard-without-n-msg
run stats "$WORK/ties.csv" --uncertainty 10 --shard 3/2 -o "$WORK/x.pmu"
expect_rc 2 shard-k; expect_err "1 <= K <= N" shard-k-msg
run stats "$WORK/ties.csv" --uncertainty 10 --shard 1/2
expect_rc 2 shard-no-output
run stats "$WORK/ties.csv" --uncertainty 10 --metrics community
expect_rc 2 metric-category; expect_err "not a metric the replicates can measure" metric-msg
run stats "$WORK/ties.csv" --uncertainty 10 --sort community
expect_rc 2 sort-not-simulated
printf 'from,to,probability\na,b,0.5\nb,c,1.2\n' >"$WORK/badp.csv"
run stats "$WORK/badp.csv" --uncertainty 10
expect_rc 3 prob-range; expect_err "badp.csv:3: probability '1.2'" prob-range-msg
printf 'from,to,probability\na,b,likely\n' >"$WORK/badp2.csv"
run stats "$WORK/badp2.csv" --uncertainty 10
expect_rc 3 prob-word; expect_err "badp2.csv:2: probability 'likely'" prob-word-msg

finish
