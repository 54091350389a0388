#!/usr/bin/env bash
# partnermap timeline -j N: the periods measured in N processes give the same bytes as one
# process (tables and chart), and every period equals `stats --period P` exactly, whichever
# process measured it and whatever it measured before (eigenvector centrality too: ARPACK's
# restarts draw from igraph's generator, seeded per graph).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

# 2,000 ties among 500 places, 1950-1990, a third still open (as ../shared/bench's gen_years.py)
$PY - "$WORK/years.csv" <<'EOF_PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("from,to,weight,start,end\n")
    for i in range(2000):
        a, b = r.sample(range(500), 2)
        s = r.randint(1950, 1990)
        e = "" if r.random() < 0.33 else min(1991, s + r.randint(1, 25))
        f.write(f"P{a},P{b},{r.randint(1, 5)},{s},{e}\n")
EOF_PY

for j in 1 2 3; do
    run timeline "$WORK/years.csv" --period 1950-1990 -j $j --quiet -o "$WORK/net$j.csv" \
        --place-table "$WORK/places$j.csv" -o "$WORK/chart$j.svg"
    expect_rc 0 "jobs $j runs"
done
for j in 2 3; do
    expect_same "$WORK/net1.csv" "$WORK/net$j.csv" "network table -j1 -j$j"
    expect_same "$WORK/places1.csv" "$WORK/places$j.csv" "places table -j1 -j$j"
    # the chart records its command line: the rest is the same
    sed '/<dc:description>/d' "$WORK/chart1.svg" >"$WORK/c1.svg"
    sed '/<dc:description>/d' "$WORK/chart$j.svg" >"$WORK/c$j.svg"
    expect_same "$WORK/c1.svg" "$WORK/c$j.svg" "chart -j1 -j$j"
done
# more jobs than periods
run timeline "$WORK/years.csv" --periods 1960-1969,1970-1979 -j 5 --quiet -o "$WORK/few.csv"
expect_rc 0 "more jobs than periods"
run timeline "$WORK/years.csv" --periods 1960-1969,1970-1979 -j 1 --quiet -o "$WORK/few1.csv"
expect_same "$WORK/few1.csv" "$WORK/few.csv" "more jobs than periods: same table"
run timeline "$WORK/years.csv" -j 0
expect_rc 2 "jobs 0 refused"
expect_err "--jobs '0': give 1 to 64" "jobs 0 message"

# the places of late years, each measured after many other periods, equal stats --period
# (default jobs: whatever the machine has)
run timeline "$WORK/years.csv" --period 1950-1990 --quiet --place-table "$WORK/pl.csv" -o "$WORK/n.csv"
for y in 1960 1970 1975 1980 1984 1990; do
    "$PM" stats "$WORK/years.csv" --period "$y-$y" --format csv --quiet >"$WORK/st.csv"
    if $PY - "$y" "$WORK/pl.csv" "$WORK/st.csv" <<'EOF_PY'; then ok; else bad "year $y differs from stats --period"; fi
import csv, sys
y, tl, st = sys.argv[1], list(csv.DictReader(open(sys.argv[2]))), list(csv.DictReader(open(sys.argv[3])))
mine = {r["place"]: r for r in tl if r["period"] == y}
bad = 0
for r in st:
    m = mine.get(r["place"])
    for k in ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"):
        if m is None or m[k] != r[k]:
            print(f"{y} {r['place']} {k}: timeline {m and m[k]} stats {r[k]}", file=sys.stderr)
            bad += 1
sys.exit(1 if bad or len(mine) != len(st) else 0)
EOF_PY
done

finish
