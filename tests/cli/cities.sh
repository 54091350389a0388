# CLI cases for `--level city` on the embedded gazetteer (geodata/cities.tsv.gz): old names join
# to the right cities, the row's country and region decide, every uncertain case is reported and
# exits 5, user places still win, `--level auto`, `--aggregate region|country`, the sample without
# its places file, the attribution, and a report of 10,000 unknown names that opens with counts.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"

cat >"$WORK/old.csv" <<'CSV'
from,to,from_country,to_country
Sverdlovsk,Gottwaldov,RU,CS
Sverdlovsk,Gorky,UA,SU
Stalingrad,Karl-Marx-Stadt,SU,DD
Tselinograd,Alma-Ata,SU,SU
Pressburg,Frankfurt,CS,DD
Frunze,Kalinin,KG,RU
CSV
run join "$WORK/old.csv" --level city --format csv
expect_rc 0 old-names
for want in "Sverdlovsk,RU,city,geonames:1486209,Yekaterinburg" \
    "Sverdlovsk,UA,city,geonames:692105,Dovzhansk" "Gottwaldov,CS,city,geonames:3061370,Zlín" \
    "Gorky,SU,city,geonames:520555" "Stalingrad,SU,city,geonames:472757,Volgograd" \
    "Karl-Marx-Stadt,DD,city,geonames:2940132,Chemnitz" "Tselinograd,SU,city,geonames:1526273" \
    "Alma-Ata,SU,city,geonames:1526384,Almaty" "Pressburg,CS,city,geonames:3060972,Bratislava" \
    "Frankfurt,DD,city,geonames:2925535,Frankfurt (Oder)" "Frunze,KG,city,geonames:1528675" \
    "Kalinin,RU,city,geonames:480060,Tver"; do
    expect_out "$want" "old-names: $want"
done
expect_err "chosen by population" old-names-population-warning

# uncertain cases: listed, never guessed; exit 5
cat >"$WORK/bad.csv" <<'CSV'
from,to,from_country,to_country,from_region,to_region
Krasnoarmeysk,Brno,RU,RU,,
Brno / Брно,Brno,CS,CS,,Západoslovenský kraj
Krasnoarmeysk,Ostrava Острава,SU,CS,Saratov Oblast,
CSV
run join "$WORK/bad.csv" --level city
expect_rc 5 bad-cells
expect_out "ambiguous" bad-ambiguous
expect_out "GeoNames 542463" bad-ambiguous-candidate
expect_out "no city of that name in RU" bad-wrong-country
expect_out "the region column says 'Západoslovenský kraj'" bad-region-contradicts
expect_out "the cell holds 2 names" bad-two-scripts
expect_out "geonames:542464" bad-region-decides
run map "$WORK/bad.csv" --level city -o "$WORK/bad.png"
expect_rc 5 bad-map
expect_no_file "$WORK/bad.png" bad-map-no-file

# an empty name is refused by the table reader or reported, never matched
printf 'from,to,from_country,to_country\n"",Brno,RU,CS\n' >"$WORK/empty.csv"
run join "$WORK/empty.csv" --level city
if [ "$RC" -ne 0 ]; then ok; else bad "empty name: exit 0"; fi

# user places win; --level auto: regions first, then cities
run join "$S/ussr-czechoslovakia-cities/ties.csv" --level city --places "$S/ussr-czechoslovakia-cities/places.csv"
expect_rc 0 places-win
expect_out "26 places: 26 point" places-win-summary
printf 'from,to,from_country,to_country\nSverdlovsk Oblast,Nizhny Tagil,RU,RU\n' >"$WORK/auto.csv"
run join "$WORK/auto.csv" --level auto --format csv
expect_rc 0 auto
expect_out "Sverdlovsk Oblast,RU,normalised,RUS-2386" auto-region
expect_out "Nizhny Tagil,RU,city,geonames:520494" auto-city
run join "$WORK/auto.csv"
expect_rc 5 admin1-no-cities

# the cities sample maps with no places file; rolled up to regions and countries
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level city -o "$WORK/cities.pdf"
expect_rc 0 sample-map
pdftotext "$WORK/cities.pdf" - | grep -q "Cities: GeoNames (geonames.org), CC BY 4.0" && ok ||
    bad "sample-map: no GeoNames credit on the map"
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level city --credit "Data: my notes" -o "$WORK/credit.pdf"
pdftotext "$WORK/credit.pdf" - | grep -q "Data: my notes. Cities: GeoNames" && ok ||
    bad "sample-map: the user's credit line lost or without GeoNames"
# a credit that ends with a full stop gets no second one ("Natural Earth.. Cities")
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level city --credit "Data: my notes." -o "$WORK/credit2.pdf"
pdftotext "$WORK/credit2.pdf" - | tr '\n' ' ' | grep -q "Data: my notes. Cities: GeoNames" && ok ||
    bad "sample-map: the credit's own full stop doubled before the GeoNames credit"
# a table of cities joined at regions level (--level admin1; with no --level the table is found to
# be cities: tests/cli/default_level.sh): the message names --level city
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level admin1 -o "$WORK/regions-only.png"
expect_rc 5 cities-at-region-level
expect_err "if the places are cities, add --level city" cities-at-region-level-hint
run stats "$S/ussr-czechoslovakia-cities/ties.csv" --level city --aggregate region --format csv
expect_rc 0 aggregate-region
expect_out "Saratov" aggregate-saratov
expect_out "Jihomoravský" aggregate-brno-kraj
printf '%s\n' "$OUT" | grep -q "Nizhny Tagil" && bad "aggregate: a city name among the places" || ok
run export "$S/ussr-czechoslovakia-cities/ties.csv" --level city --aggregate country -o "$WORK/c.graphml"
expect_rc 0 aggregate-country
grep -q '<data key="rows">6</data>' "$WORK/c.graphml" && ok || bad "aggregate-country: RU-CZ edge of 6 city ties"
run join "$S/ussr-czechoslovakia-cities/ties.csv" --level city --aggregate region
expect_out "Nizhny Tagil" aggregate-report-lists-cities
# --aggregate with --level admin1: the places are joined as regions and fail; the message says
# what was probably meant
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level admin1 --aggregate region -o "$WORK/agg.png"
expect_rc 5 aggregate-without-level
expect_err "add --level city (or auto)" aggregate-without-level-hint
run map "$S/ussr-czechoslovakia-cities/ties.csv" --aggregate nowhere
expect_rc 2 aggregate-usage

# batch: the rolled-up network of every run (the geometry shared, cities added to it)
mkdir -p "$WORK/runs"
cp "$S/ussr-czechoslovakia-cities/ties.csv" "$WORK/runs/a.csv"
cp "$WORK/old.csv" "$WORK/runs/b.csv"
run batch "$WORK/runs" --level city --aggregate region -o "$WORK/bout"
expect_rc 0 batch-aggregate
grep -q "Saratov" "$WORK/bout/summary.csv" && ok || bad "batch-aggregate: no Saratov in the summary"
printf 'name,ties,options\nx,%s,--aggregate country\n' "$WORK/runs/a.csv" >"$WORK/manifest.csv"
run batch --manifest "$WORK/manifest.csv" -o "$WORK/bout2"
expect_err "apply to the whole batch" batch-aggregate-per-run

# a geometry without the gazetteer's units: the region column is not checked (and said), never
# taken for a contradiction
printf 'from,to,from_country,to_country,from_region,to_region\nBrno,Ostrava,CS,CS,Czech Republic,\n' >"$WORK/geo.csv"
run join "$WORK/geo.csv" --level city --geo "$SRC/geodata/world.gpkg" --geo-layer countries
expect_rc 0 user-geo
expect_out "region 'Czech Republic' not checked" user-geo-region-note

# attribution in --help
run map --help
expect_out "GeoNames" help-attribution

# 10,000 unknown names: the report opens with the counts, then the list
python3 - "$WORK/unknown.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("from,to\n")
    for i in range(5000):
        f.write("Qzx%dvw,Wqv%dzx\n" % (i, i))
PY
run join "$WORK/unknown.csv" --level city
expect_rc 5 unknown-many
first=$(head -1 "$WORK/out")
case "$first" in "10000 places: 10000 unmatched") ok ;; *) bad "unknown-many: first line '$first'" ;; esac
expect_err "10000 of 10000 places not joined" unknown-many-summary

finish
