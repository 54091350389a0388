#!/usr/bin/env bash
# The main job: partnermap on every sample dataset in geodata/samples: statistics printed, and in
# OUTDIR for each sample a map (PNG and PDF), its statistics (CSV) and its join report (CSV).
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
sample ussr-czechoslovakia-cities "Soviet-Czechoslovak city twinnings" \
  --places "$S/ussr-czechoslovakia-cities/places.csv" -- --fill none
# the same city ties with no coordinates written by hand: the embedded gazetteer (GeoNames) finds
# the cities, and each tie becomes a tie between the cities' regions (a choropleth of regions)
AS=ussr-czechoslovakia-cities-by-region sample ussr-czechoslovakia-cities \
  "Soviet-Czechoslovak city twinnings, rolled up to today's regions" --level city --aggregate region
sample sverdlovsk-kazakhstan "Sverdlovsk region and its Kazakh partners, 2015-2020"
sample friendship-societies "Societies of friendship with the USSR, by country" --level country

echo "Figures (PNG, PDF), statistics and join reports: $OUT/"
ls "$OUT"
