# CLI cases for `partnermap batch` runs with --uncertainty N: a manifest's run draws its map with
# rings and hatching and writes uncertainty.csv and the unstable note (warnings.txt) in its folder,
# the batch summary keeps every run, an unchanged run is skipped, the same seed gives the same
# files, and a bad uncertainty option fails its run only.
. "$(dirname "$0")/lib.sh"

cp "$SRC/tests/data/uncert/ties.csv" "$WORK/ties.csv" # tests/data/uncert: Tula and Sverdlovsk with probable ties
cat >"$WORK/manifest.csv" <<'CSV'
name,ties,options
plain,ties.csv,--fill strength --nclasses 3
uncertain,ties.csv,--fill strength --nclasses 3 --size betweenness --uncertainty 100 --keep-probable 0.4
bad,ties.csv,--fill strength --unstable 0.3
CSV

run batch "$WORK/manifest.csv" -o "$WORK/b" --figures svg --quiet
expect_rc 3 one-bad-run
D=$WORK/b/uncertain
[ -s "$D/map.svg" ] && ok || bad "no map of the uncertain run"
if head -1 "$D/uncertainty.csv" | grep -q "^place,metric,observed,median,q2.5,q97.5,rank"; then ok; else bad "uncertainty.csv header"; fi
if grep -q "^Tula Oblast,strength," "$D/uncertainty.csv"; then ok; else bad "uncertainty.csv lacks Tula's strength"; fi
if grep -q "unstable classes: .* of 10 places change class in more than 20 % of 100 replicates (hatched): 'Tula Oblast'" "$D/warnings.txt"; then ok; else bad "warnings.txt lacks the note: $(cat "$D/warnings.txt")"; fi
[ ! -e "$WORK/b/plain/uncertainty.csv" ] && ok || bad "a run without --uncertainty wrote uncertainty.csv"
# the marks are drawn: the uncertain run's map is not the plain one's
grep -v '<dc:description>' "$D/map.svg" >"$WORK/u.body"
grep -v '<dc:description>' "$WORK/b/plain/map.svg" >"$WORK/p.body"
if cmp -s "$WORK/u.body" "$WORK/p.body"; then bad "the uncertain run's map has no marks"; else ok; fi
# the summary keeps every run, the bad one with its reason
S=$WORK/b/summary.csv
if grep -q "^1,uncertain,ok," "$S" && grep -q "^0,plain,ok," "$S"; then ok; else bad "summary rows: $(cat "$S")"; fi
if grep -q "^2,bad,failed,.*--unstable needs --uncertainty N" "$S"; then ok; else bad "summary lacks the bad run's reason: $(cat "$S")"; fi

# again: unchanged runs are skipped; forced, the same seed writes the same files
cp "$D/uncertainty.csv" "$WORK/first.csv"
run batch "$WORK/manifest.csv" -o "$WORK/b" --figures svg
expect_out "skipped" skipped
run batch "$WORK/manifest.csv" -o "$WORK/b" --figures svg --force --quiet
expect_same "$WORK/first.csv" "$D/uncertainty.csv" same-seed
# the batch's own -j, --shard, --force stay the batch's (no clash with the model's options)
run batch "$WORK/manifest.csv" -o "$WORK/out2" --figures none -j 2 --quiet
expect_rc 3 jobs
expect_same "$WORK/first.csv" "$WORK/out2/uncertain/uncertainty.csv" same-with-workers
# on the command line, --uncertainty applies to every run
run batch "$WORK/ties.csv" -o "$WORK/out3" --figures none --uncertainty 20 --quiet
expect_rc 0 common
if ls "$WORK"/out3/*/uncertainty.csv >/dev/null 2>&1; then ok; else bad "no uncertainty.csv from a common --uncertainty"; fi
finish
