# CLI cases for `partnermap timeline --uncertainty N`: intervals beside each simulated network
# statistic per period in every format, collapse to the observed values when every row is kept,
# determinism for --seed and -j, a period's numbers independent of the other periods chosen (one
# stream per replicate over the whole table), and the refusals.
. "$(dirname "$0")/lib.sh"

T=$SRC/tests/data/timeline/ties.csv
TL="timeline $T --step 10 --quiet"

# every row certain (the fixture has no probable rows): the intervals are the observed values
run $TL --uncertainty 50
expect_rc 0 certain
expect_out "9 [9–9]" certain-ties
expect_out "17.00 [17.00–17.00]" certain-weight
expect_out "50 replicates per period (seed 42)" model-line

# the summary says what the timeline's own table says of undated ties (it once left them out)
F=$SRC/geodata/samples/friendship-societies/ties.csv
run timeline "$F" --step 10 --quiet --uncertainty 20
expect_rc 0 undated
expect_out "ties without a start year  5  (left out: --undated drop)" undated-item
run timeline "$F" --step 10 --quiet --uncertainty 20 --undated all
expect_out "(counted in every period: --undated all)" undated-all-item

run $TL --uncertainty 200 --keep-documented 0.7
expect_rc 0 terminal
expect_out "1990-1999  1990  1999      11  9 [" terminal-row
case "$OUT" in *"9 [9–9]"*) bad "intervals did not open with --keep-documented 0.7" ;; *) ok ;; esac

run $TL --uncertainty 100 --keep-documented 0.7 --format csv
expect_rc 0 csv
expect_out "period,from,to,places,ties,ties_q2.5,ties_q97.5,new_ties,ended_ties,total_weight,total_weight_q2.5,total_weight_q97.5,density,density_q2.5,density_q97.5,components,components_q2.5,components_q97.5,largest_component_share,largest_component_share_q2.5,largest_component_share_q97.5,modularity,modularity_q2.5,modularity_q97.5,top_place" csv-header
run $TL --uncertainty 100 --keep-documented 0.7 --format csv --interval 90
expect_out "ties_q5,ties_q95" csv-interval
run $TL --uncertainty 50 --keep-documented 0.7 --format json
if printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then ok; else bad "json does not parse"; fi
expect_out '"ties_q97.5":' json-col
run $TL --uncertainty 50 --keep-documented 0.7 --format latex
expect_out "& 9 [" latex-cell; expect_out "--" latex-dash
run $TL --uncertainty 50 --keep-documented 0.7 --format markdown
expect_out "| period |" md
# a table file by extension
run $TL --uncertainty 50 --keep-documented 0.7 -o "$WORK/tl.csv"
expect_rc 0 file
if grep -q "ties_q2.5" "$WORK/tl.csv"; then ok; else bad "file lacks the interval columns"; fi
# with the places joined: the spatial columns stay (observed)
run $TL --uncertainty 20 --keep-documented 0.7 --spatial --format csv
expect_rc 0 spatial; expect_out "modularity_q97.5,mean_tie_km,cross_border_share,top_place" spatial-cols

# deterministic for the seed, whatever the threads; the seed is used
"$PM" $TL --uncertainty 200 --keep-documented 0.7 --format csv -j 1 -o "$WORK/j1.csv"
"$PM" $TL --uncertainty 200 --keep-documented 0.7 --format csv -j 2 -o "$WORK/j2.csv"
expect_same "$WORK/j1.csv" "$WORK/j2.csv" jobs
"$PM" $TL --uncertainty 200 --keep-documented 0.7 --format csv --seed 9 -o "$WORK/s9.csv"
if cmp -s "$WORK/j1.csv" "$WORK/s9.csv"; then bad "seed ignored"; else ok; fi
# a period's numbers do not depend on the other periods
"$PM" timeline "$T" --periods 1990-1999,2000-2009 --uncertainty 100 --keep-documented 0.7 --quiet --format csv | grep '^2000' >"$WORK/p2.csv"
"$PM" timeline "$T" --periods 2000-2009 --uncertainty 100 --keep-documented 0.7 --quiet --format csv | grep '^2000' >"$WORK/p1.csv"
[ -s "$WORK/p1.csv" ] && ok || bad "no 2000-2009 row"
expect_same "$WORK/p1.csv" "$WORK/p2.csv" period-independent

# one scenario per replicate through time: a period is simulated over every row of the table,
# the rows outside it joining no tie, so its quantiles are those of `stats` on the whole table with
# probability 0 for those rows (streams over the period's rows alone would give other draws)
printf 'from,to,weight,confidence,start,probability\nx,y,100,probable,1975,P\na,b,1,probable,1960,\nb,c,2,probable,1960,\nc,d,4,probable,1960,\nd,e,8,probable,1960,\ne,f,16,probable,1960,\na,c,32,probable,1960,\nb,d,64,probable,1960,\n' >"$WORK/tpl.csv"
sed 's/,P$/,/' "$WORK/tpl.csv" >"$WORK/tl.csv"
sed 's/,P$/,0/' "$WORK/tpl.csv" >"$WORK/st.csv"
for iv in 95 50; do
    TLQ=$("$PM" timeline "$WORK/tl.csv" --periods 1960-1969 --uncertainty 40 --interval $iv --format csv --quiet | sed -n 2p | cut -d, -f11,12)
    STQ=$("$PM" stats "$WORK/st.csv" --uncertainty 40 --interval $iv --summary --format csv --quiet | grep '^total_weight,' | cut -d, -f4,5)
    if [ -n "$TLQ" ] && [ "$TLQ" = "$STQ" ]; then ok; else bad "period $iv % interval '$TLQ', stats with the other rows at p = 0 '$STQ'"; fi
done

# refusals
run $TL --keep-probable 0.2
expect_rc 2 needs-n; expect_err "--keep-probable needs --uncertainty N" needs-n-msg
run $TL --uncertainty 10 --shard 1/2 -o "$WORK/x.csv"
expect_rc 2 shard; expect_err "are for 'partnermap stats'" shard-msg
run $TL --uncertainty 10 --metrics degree
expect_rc 2 metrics
run $TL --uncertainty 2000000
expect_rc 2 absurd
run timeline --help
expect_out "--uncertainty N" help
finish
