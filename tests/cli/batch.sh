# CLI cases for `partnermap batch`: a manifest with a failing run (the others go on, exit 3),
# shared scales (two runs get identical legends, extents and map frames), skip-unchanged and --force,
# shards + merge equal a single run, no partial files after an interrupted run.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"
R="$S/ussr-czechoslovakia-regions/ties.csv"

cat >"$WORK/manifest.csv" <<CSV
name,ties,options
all,$R,
documented,$R,--where confidence=documented
probable,$R,--where confidence=probable
broken,$WORK/missing.csv,
badopt,$R,--where
CSV
run batch -o "$WORK/res" "$WORK/manifest.csv" --figures svg
expect_rc 3 batch-some-failed
for r in all documented probable; do
    for f in map.svg stats.csv summary.csv join.csv; do
        if [ -s "$WORK/res/$r/$f" ]; then ok; else bad "batch: $r/$f missing"; fi
    done
done
expect_out "failed" batch-summary-terminal
if grep -q '^3,broken,failed,.*missing.csv' "$WORK/res/summary.csv"; then ok; else bad "broken run not reported"; cat "$WORK/res/summary.csv" >&2; fi
if grep -q '^0,all,ok,12,6,' "$WORK/res/summary.csv"; then ok; else bad "summary row of 'all'"; fi

# a run's bad option: its own message is the reason in summary.csv, and stderr names the run
# (it said "bad option (see above)", the reason printed earlier without the run's name)
printf 'from,to,from_country,to_country\nSverdlovsk Oblast,Atlantis,RU,\nSverdlovsk Oblast,Tula Oblast,RU,RU\n' >"$WORK/unm.csv"
printf 'name,ties,options\nok,%s,\nbadper,%s,--period xyz\nunm,%s,\n' "$R" "$R" "$WORK/unm.csv" >"$WORK/errs.csv"
run batch -o "$WORK/errs" "$WORK/errs.csv" --figures none
expect_rc 3 batch-errors
if grep -q "^1,badper,failed,.*--period 'xyz': write FROM-TO in years" "$WORK/errs/summary.csv"; then ok; else bad "bad option's reason: $(grep badper "$WORK/errs/summary.csv")"; fi
if printf '%s\n' "$ERR" | grep -- "--period 'xyz'" | grep -vq "run 'badper'"; then bad "stderr line without the run's name: $ERR"; else ok; fi
expect_err "run 'badper' failed: bad option: --period 'xyz'" batch-bad-option-stderr
# a run with a place not joined fails, and its join report is where the reason says
if grep -qF "see the join report '$WORK/errs/unm/join.csv'" "$WORK/errs/summary.csv"; then ok; else bad "unmatched run's reason: $(grep unm, "$WORK/errs/summary.csv")"; fi
if grep -q '^Atlantis,,unmatched' "$WORK/errs/unm/join.csv" 2>/dev/null; then ok; else bad "failed run's join report missing"; fi
if grep -q '^0,ok,ok,12,6,' "$WORK/errs/summary.csv"; then ok; else bad "the other run did not go on"; fi

# shared scales: the same extent and tie-width key in every run's figure
vb() { grep -o 'viewBox="[^"]*"' "$1" | head -1; }
if [ "$(vb "$WORK/res/documented/map.svg")" = "$(vb "$WORK/res/probable/map.svg")" ]; then ok; else bad "viewBoxes differ"; fi
# widths: the regions (weights all 1) share the Sverdlovsk sample's width scale (weights 1-2)
K="$S/sverdlovsk-kazakhstan/ties.csv"
"$PM" batch -o "$WORK/sh" "$R" "$K" --figures svg --quiet
"$PM" batch -o "$WORK/ind" "$R" "$K" --figures svg --quiet --independent-scales
widths() { grep -o 'stroke-width:[0-9.]*' "$1" | sort -u | tr '\n' ' '; }
if [ "$(widths "$WORK/sh/ussr-czechoslovakia-regions/map.svg")" = "$(widths "$WORK/ind/ussr-czechoslovakia-regions/map.svg")" ]; then
    bad "shared and independent scales draw the same widths"
else
    ok
fi
if [ "$(vb "$WORK/sh/ussr-czechoslovakia-regions/map.svg")" = "$(vb "$WORK/sh/sverdlovsk-kazakhstan/map.svg")" ]; then ok; else bad "shared extents differ"; fi

# the default fill of a batch is PageRank x n (1 = average; PageRank sums to 1 per network, so
# shared classes made the larger network look paler), and each legend says whose classes it uses
printf 'name,ties,options\nr,%s,\nk,%s,\nd,%s,--fill degree\n' "$R" "$K" "$R" >"$WORK/pr.csv"
"$PM" batch -o "$WORK/pr" "$WORK/pr.csv" --figures pdf --quiet
legend() { pdftotext "$1" - 2>/dev/null | tr '\n' ' '; }
case "$(legend "$WORK/pr/r/map.pdf")" in
*"PageRank × n (1 = average) classes shared by 2 of 3 runs"*) ok ;;
*) bad "legend of a run sharing PageRank x n classes: $(legend "$WORK/pr/r/map.pdf")" ;;
esac
case "$(legend "$WORK/pr/d/map.pdf")" in
*"Degree classes of this run only"*) ok ;;
*) bad "legend of a run with its own fill: $(legend "$WORK/pr/d/map.pdf")" ;;
esac

# one map frame: runs whose legends differ in width (degree vs closeness classes) draw the same
# frame with shared scales; with independent scales each fits its own legend
printf 'name,ties,options\nd,%s,--fill degree\nc,%s,--fill closeness\n' "$R" "$R" >"$WORK/fills.csv"
"$PM" batch -o "$WORK/fs" "$WORK/fills.csv" --figures svg --quiet
"$PM" batch -o "$WORK/fi" "$WORK/fills.csv" --figures svg --quiet --independent-scales
frame() { tr -d '\n' <"$1" | grep -o '<clipPath id="clip1">[^>]*>' | head -1; }
if [ -n "$(frame "$WORK/fs/d/map.svg")" ] && [ "$(frame "$WORK/fs/d/map.svg")" = "$(frame "$WORK/fs/c/map.svg")" ]; then ok; else bad "shared frames differ"; fi
if [ "$(frame "$WORK/fi/d/map.svg")" != "$(frame "$WORK/fi/c/map.svg")" ]; then ok; else bad "independent frames should differ"; fi

# unchanged runs are skipped; --force redoes them
run batch -o "$WORK/res" "$WORK/manifest.csv" --figures svg
expect_out "skipped" batch-skip
run batch -o "$WORK/res" "$WORK/manifest.csv" --figures svg --force
if printf '%s' "$OUT" | grep -q "^all  *ok"; then ok; else bad "--force did not redo"; fi

# shards + merge = one run
rm -rf "$WORK/one" "$WORK/s1" "$WORK/s2" "$WORK/merged"
"$PM" batch -o "$WORK/one" "$WORK/manifest.csv" --figures svg --quiet
"$PM" batch -o "$WORK/s1" "$WORK/manifest.csv" --figures svg --quiet --shard 1/2
"$PM" batch -o "$WORK/s2" "$WORK/manifest.csv" --figures svg --quiet --shard 2/2
# a shard's figures use the whole batch's scales: the same drawing as in the single run
nometa() { grep -v '<dc:description>' "$1"; }
nometa "$WORK/one/documented/map.svg" >"$WORK/a.svg"
nometa "$WORK/s2/documented/map.svg" >"$WORK/b.svg"
expect_same "$WORK/a.svg" "$WORK/b.svg" shard-figure-equals-single-run
run batch --merge -o "$WORK/merged" "$WORK/s1" "$WORK/s2"
expect_rc 3 merge-keeps-failure
expect_same "$WORK/one/summary.csv" "$WORK/merged/summary.csv" shards-merge

# interrupted: killed mid-way, no half-written figure or temporary file is left. The signal is
# sent once the first runs are done and others are being drawn (a worker's temporary file
# exists), so the interrupted path is the one that runs: exit 130, some runs finished, not all.
for i in $(seq 1 40); do echo "r$i,$R,--seed $i"; done | sed '1i name,ties,options' >"$WORK/many.csv"
"$PM" batch -o "$WORK/many" "$WORK/many.csv" --figures png,pdf --quiet -j 2 2>"$WORK/many.err" &
pid=$!
for i in $(seq 1 300); do
    if [ -n "$(find "$WORK/many" -name '.map.*.??????' 2>/dev/null | head -1)" ] &&
        [ -n "$(find "$WORK/many" -name .partnermap-hash 2>/dev/null | head -1)" ]; then break; fi
    sleep 0.05
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
if [ "$rc" -eq 130 ]; then ok; else bad "interrupted batch exit $rc, want 130"; fi
if grep -q "interrupted; finished runs are kept" "$WORK/many.err"; then ok; else bad "no interruption message: $(cat "$WORK/many.err")"; fi
done_runs=$(find "$WORK/many" -name .partnermap-hash | wc -l)
if [ "$done_runs" -ge 1 ] && [ "$done_runs" -lt 40 ]; then ok; else bad "interrupted batch finished $done_runs of 40 runs"; fi
if find "$WORK/many" -name '.*.??????' | grep -q .; then bad "temporary files left"; else ok; fi
# every figure present is complete (a PNG ends with IEND); a finished run has all its files
for f in $(find "$WORK/many" -name map.png); do
    if tail -c 12 "$f" | grep -q IEND; then ok; else bad "truncated $f"; fi
done
for h in $(find "$WORK/many" -name .partnermap-hash); do
    d=$(dirname "$h")
    if [ -s "$d/map.pdf" ] && [ -s "$d/summary.csv" ]; then ok; else bad "finished run $d lacks files"; fi
done

# usage
run batch "$WORK/manifest.csv"
expect_rc 2 batch-no-out
run batch -o "$WORK/x" --shard 3/2 "$WORK/manifest.csv"
expect_rc 2 batch-bad-shard

finish
