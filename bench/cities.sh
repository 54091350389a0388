#!/usr/bin/env bash
# The gazetteer's benchmark: `partnermap join --level city` on 10,000 city names written as
# sources write them (bench/cities_names.py: GeoNames names, ASCII forms, Cyrillic and other
# alternates, upper case; a country column on every other row), 5 runs; prints wall and CPU time
# (GNU time) and peak memory, and fails when the median CPU time passes 1 s or the memory 200 MiB.
#   bench/cities.sh [N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PM=${PM:-$HERE/../build/src/partnermap}
N=${1:-10000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/cities_names.py" "$N" >"$WORK/ties.csv"
for i in 1 2 3 4 5; do
  # exit 5 is expected: common names without a country are ambiguous
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t$i" "$PM" join "$WORK/ties.csv" --level city \
    -o "$WORK/report.txt" 2>/dev/null || [ $? -eq 5 ]
done
head -1 "$WORK/report.txt"
cat "$WORK"/t? | python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l[:1].isdigit()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
mem = max(r[3] for r in rows) / 1024
print("median wall %.2f s, median cpu %.2f s, peak memory %.0f MiB" % (wall, cpu, mem))
sys.exit(0 if cpu <= 1.0 and mem <= 200 else 1)
'
