# CLI cases for the default level (no --level): a table joins at admin1; when that leaves places
# unmatched and every place of the table is one city of the gazetteer, the whole table joins at
# city level and says so (warning, --stats/--join-report note); otherwise the unmatched places
# are reported (exit 5) with the hint to try --level city. The choice is the table's, not a
# period's: `stats --period` and every panel of `map --facet period` join alike.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"
CITIES="$S/ussr-czechoslovakia-cities/ties.csv"
SAYS="the places are cities: 15 of 26 are not first-level units and all 26 are cities of the gazetteer; joined at --level city (give --level admin1 to keep regions)"

# 1. regions: joined at admin1 as always, nothing said, the gazetteer not opened
run stats "$S/ussr-czechoslovakia-regions/ties.csv" --spatial --summary --format csv
expect_rc 0 regions
case "$ERR$OUT" in *"are cities"*) bad "regions: a city note on a table of regions" ;; *) ok ;; esac
PARTNERMAP_TIMING=1 "$PM" stats "$S/ussr-czechoslovakia-regions/ties.csv" --spatial >/dev/null 2>"$WORK/t"
grep -q "PHASE gazetteer read" "$WORK/t" && bad "regions: the gazetteer was opened" || ok

# 2. cities: the issue's command works as written, and says why
(cd "$WORK" && "$PM" map "$CITIES" --facet period --step 10 -o f.pdf >"$WORK/out" 2>"$WORK/err")
RC=$? ERR=$(cat "$WORK/err")
expect_rc 0 facet-cities
expect_err "$SAYS" facet-cities-warning
[ -s "$WORK/f.pdf" ] && ok || bad "facet-cities: no f.pdf"
[ "$(grep -c "are cities" "$WORK/err")" -eq 1 ] && ok || bad "facet-cities: the note said more than once"
run map "$CITIES" -o "$WORK/c.png" --stats - --join-report "$WORK/j.csv"
expect_rc 0 map-cities
expect_err "$SAYS" map-cities-warning
expect_out "places joined at" map-cities-stats-note
grep -q "^Volgograd,RU,city,geonames:472757,.*joined as a city: no --level given" "$WORK/j.csv" && ok ||
    bad "map-cities: --join-report has no note: $(head -c 400 "$WORK/j.csv")"
for cmd in "join" "stats --spatial" "export -o $WORK/c.graphml" "timeline --spatial"; do
    run $cmd "$CITIES"
    expect_rc 0 "$cmd-cities"
    expect_err "$SAYS" "$cmd-cities-warning"
done
# the same network as --level city
run stats "$CITIES" --spatial --format csv
printf '%s\n' "$OUT" >"$WORK/auto.csv"
run stats "$CITIES" --spatial --format csv --level city
printf '%s\n' "$OUT" >"$WORK/city.csv"
expect_same "$WORK/auto.csv" "$WORK/city.csv" cities-equal-level-city
# --level admin1 keeps regions: the unmatched places as before
run map "$CITIES" --level admin1 -o "$WORK/r.png"
expect_rc 5 admin1-kept
expect_err "if the places are cities, add --level city" admin1-kept-hint
# a batch decides per table: a table of regions and one of cities, both joined
mkdir -p "$WORK/runs"
cp "$CITIES" "$WORK/runs/cities.csv"
cp "$S/ussr-czechoslovakia-regions/ties.csv" "$WORK/runs/regions.csv"
run batch "$WORK/runs" -o "$WORK/bout"
expect_rc 0 batch-per-table
grep -q "the places are cities: 15 of 26" "$WORK/bout/cities/warnings.txt" && ok ||
    bad "batch: no note in cities/warnings.txt"
grep -q "are cities" "$WORK/bout/regions/warnings.txt" 2>/dev/null && bad "batch: regions joined as cities" || ok

# the table decides, not the period: 1950-1959 alone would join at admin1 (Voronezh, Saratov are
# regions too), the table's cities make it city
printf 'from,to,from_country,to_country,weight,start\nVoronezh,Saratov,RU,RU,1,1950\nNizhny Tagil,Ostrava,RU,CS,1,1970\n' >"$WORK/mix.csv"
run stats "$WORK/mix.csv" --spatial --summary --period 1950-1959 --format csv
expect_rc 0 period-table
expect_out "level,city," period-table-level
P=$(printf '%s\n' "$OUT" | grep '^tie_length_mean_km')
run stats "$WORK/mix.csv" --spatial --summary --period 1950-1959 --format csv --level city
expect_out "$P" period-table-same-as-city

# 3. not all cities: the region join's unmatched places reported as today, with the hint
printf 'from,to,from_country,to_country\nVoronezh,Saratov,RU,RU\nNizhny Tagil,Qwzxlandia,RU,CS\n' >"$WORK/bad.csv"
run map "$WORK/bad.csv" -o "$WORK/bad.png"
expect_rc 5 not-all-cities
expect_err "'Nizhny Tagil' (unmatched" not-all-cities-lists
expect_err "if the places are cities, add --level city" not-all-cities-hint
case "$ERR" in *"are cities:"*) bad "not-all-cities: joined as cities" ;; *) ok ;; esac
expect_no_file "$WORK/bad.png" not-all-cities-no-map
# a city chosen by population over others of its name is not found without ambiguity
printf 'from,to\nTula,Ostrava\n' >"$WORK/pop.csv"
run join "$WORK/pop.csv"
expect_rc 5 population-not-chosen
case "$ERR" in *"are cities:"*) bad "population: joined as cities" ;; *) ok ;; esac

finish
