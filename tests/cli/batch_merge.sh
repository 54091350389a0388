# `batch --merge` reads the shards' summaries as CSV (through OGR): quoted fields with commas,
# quotes and line breaks come back whole (a hand-written line splitter stopped at the break with
# "a row with too few fields").
. "$(dirname "$0")/lib.sh"

H='index,run,status,places,ties,total_weight,density,components,largest_component_share,diameter,average_path_length,transitivity,communities,modularity,tie_length_median_km,share_domestic,top_places,reason'
mkdir -p "$WORK/s1" "$WORK/s2"
printf '%s\n0,a,ok,3,2,2,0.6666666667,1,1,2,1.333333333,0,1,0,141,1,"Beta; Alpha, the first; Gamma",\n' "$H" >"$WORK/s1/summary.csv"
printf '%s\n1,b,failed,,,,,,,,,,,,,,,"b.csv: cannot read\nthe second line says ""why"""\n' "$H" >"$WORK/s2/summary.csv"
run batch --merge -o "$WORK/m" "$WORK/s2" "$WORK/s1"
expect_rc 3 merge-failed-run
if [ -f "$WORK/m/summary.csv" ]; then ok; else bad "merge wrote no summary: $ERR"; fi
# rows in index order, fields as written
row=$(head -2 "$WORK/m/summary.csv" | tail -1)
if [ "$row" = '0,a,ok,3,2,2,0.6666666667,1,1,2,1.333333333,0,1,0,141,1,"Beta; Alpha, the first; Gamma",' ]; then ok; else bad "merged row a: $row"; fi
if grep -q '^the second line says ""why"""$' "$WORK/m/summary.csv"; then ok; else bad "merged reason: $(cat "$WORK/m/summary.csv")"; fi
expect_out "b.csv: cannot read" merge-terminal
# not a summary: said so
printf 'a,b\n1,2\n' >"$WORK/s1/summary.csv"
run batch --merge -o "$WORK/m2" "$WORK/s1"
expect_rc 3 merge-not-summary; expect_err "not a partnermap batch summary (no column 'index')" merge-not-summary

finish
