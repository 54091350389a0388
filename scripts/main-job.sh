#!/usr/bin/env bash
# The main job: partnermap on every sample dataset in geodata/samples.
#   scripts/main-job.sh [PARTNERMAP] [OUTDIR]
set -euo pipefail
PM=${1:-build/src/partnermap}
OUT=${2:-output}
S=geodata/samples
mkdir -p "$OUT"
for d in ussr-czechoslovakia-regions ussr-czechoslovakia-cities sverdlovsk-kazakhstan friendship-societies; do
  echo "== $d"
  "$PM" stats "$S/$d/ties.csv" --quiet --top 10
  "$PM" stats "$S/$d/ties.csv" --quiet --format csv -o "$OUT/$d.stats.csv"
  echo
done
echo "statistics as CSV in $OUT/"
