#!/usr/bin/env bash
# The main job: partnermap on every sample dataset in geodata/samples: statistics printed, and in
# OUTDIR for each sample a map (PNG and PDF), its statistics (CSV) and its join report (CSV); then
# the friendship societies through time (table printed; chart, tables in OUTDIR).
#   scripts/main-job.sh [PARTNERMAP] [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
PM=${1:-build/src/partnermap}
OUT=${2:-output}
S=geodata/samples
mkdir -p "$OUT"

sample() { # NAME TITLE OPTIONS... [-- MAP-ONLY OPTIONS...]   (AS=NAME: other output names)
  local name=$1 title=$2 out=${AS:-$1}
  shift 2
  local ties="$S/$name/ties.csv" opts=() mapopts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  mapopts=("$@")
  set -- "${opts[@]}"
  echo "== $name: $title"
  "$PM" stats "$ties" "$@" --quiet --top 10 --spatial
  "$PM" join "$ties" "$@" --quiet --format csv -o "$OUT/$out.join.csv"
  "$PM" map "$ties" "$@" "${mapopts[@]}" --quiet --title "$title" \
    --credit "Data: partnermap sample '$name' (sources in geodata/samples/$name). Basemap: Natural Earth." \
    --stats "$OUT/$out.stats.csv" -o "$OUT/$out.png" -o "$OUT/$out.pdf"
  echo
}

sample ussr-czechoslovakia-regions "Soviet oblasts and Czechoslovak kraje (1960-1990): partnerships supported by the sources"
# how robust are the regions' ranks? 1,000 replicate networks, each probable tie kept with
# p = 0.5 (documented ones always): ranks with their 95 % intervals (docs/methods.md)
echo "== ussr-czechoslovakia-regions: ranks under source uncertainty"
"$PM" stats "$S/ussr-czechoslovakia-regions/ties.csv" --quiet --uncertainty 1000 \
  --metrics degree,pagerank --top 12
"$PM" stats "$S/ussr-czechoslovakia-regions/ties.csv" --quiet --uncertainty 1000 --format csv \
  -o "$OUT/ussr-czechoslovakia-regions.uncertainty.csv"
echo

sample ussr-czechoslovakia-cities "Soviet-Czechoslovak city twinnings" \
  --places "$S/ussr-czechoslovakia-cities/places.csv" -- --fill none --inset auto
# the same city ties with no coordinates written by hand: the embedded gazetteer (GeoNames) finds
# the cities, and each tie becomes a tie between the cities' regions (a choropleth of regions)
AS=ussr-czechoslovakia-cities-by-region sample ussr-czechoslovakia-cities \
  "Soviet-Czechoslovak city twinnings, rolled up to today's regions" --level city --aggregate region
sample sverdlovsk-kazakhstan "Sverdlovsk region and its Kazakh partners, 2015-2020"
# the crowded parts (the Slovak cities; Central Europe) drawn again at a larger scale in an inset
sample friendship-societies "Societies of friendship with the USSR, by country" --level country \
  -- --inset auto

# the friendship societies through time: the table per five years printed, the chart (PNG, PDF),
# the table and the places per period (CSV)
FT=$S/friendship-societies/ties.csv
echo "== friendship-societies through time (periods of five years)"
"$PM" timeline "$FT" --level country --step 5 --quiet --chart new_ties,ties,places,total_weight \
  --top 5 --title "Societies of friendship with the USSR, 1943-1989" \
  --place-table "$OUT/friendship-societies.timeline-places.csv" \
  -o "$OUT/friendship-societies.timeline.png" -o "$OUT/friendship-societies.timeline.pdf"
"$PM" timeline "$FT" --level country --step 5 --quiet -o "$OUT/friendship-societies.timeline.csv"
# Small multiples: the city twinnings by decade, one panel per decade with shared scales
echo "== ussr-czechoslovakia-cities by decade (map --facet period)"
"$PM" map "$S/ussr-czechoslovakia-cities/ties.csv" --places "$S/ussr-czechoslovakia-cities/places.csv" \
  --fill none --facet period --step 10 \
  --title "Soviet-Czechoslovak city twinnings by decade (ties active in each decade)" \
  --credit "Data: partnermap sample 'ussr-czechoslovakia-cities' (sources in geodata/samples/ussr-czechoslovakia-cities). Basemap: Natural Earth." \
  -o "$OUT/ussr-czechoslovakia-cities-decades.png" -o "$OUT/ussr-czechoslovakia-cities-decades.pdf"
echo

echo "Figures (PNG, PDF), statistics and join reports: $OUT/"
ls "$OUT"
