#!/usr/bin/env bash
# partnermap timeline: the statistics of each period equal `stats --spatial --period P`, the
# period options, bad dates and bad options, outputs whole or absent.
. "$(dirname "$0")/lib.sh"
T=$SRC/tests/data/timeline/ties.csv
PY=/usr/bin/python3

# --- each period equals stats --period, network row and every place ---------------------------
run timeline "$T" --spatial --periods 1990-1994,1995-1999,2000-2004,2005-2009,2010 \
    -o "$WORK/net.csv" --place-table "$WORK/places.csv" --quiet
expect_rc 0 "timeline runs"
for p in 1990-1994 1995-1999 2000-2004 2005-2009 2010; do
    "$PM" stats "$T" --spatial --period "$p" --summary --format csv --quiet >"$WORK/sum.csv"
    "$PM" stats "$T" --spatial --period "$p" --format csv --quiet >"$WORK/pl.csv"
    if $PY - "$p" "$WORK/net.csv" "$WORK/places.csv" "$WORK/sum.csv" "$WORK/pl.csv" <<'EOF'; then ok; else bad "period $p differs from stats --period"; fi
import csv, math, sys
p, net, places, summ, pl = sys.argv[1:]
row = [r for r in csv.DictReader(open(net)) if r["period"] == p]
assert len(row) == 1, "no row for " + p
row = row[0]
s = {r["statistic"]: r["value"] for r in csv.DictReader(open(summ))}
def same(a, b, what):
    if a == b:
        return
    assert abs(float(a) - float(b)) <= 1e-9 * max(1, abs(float(b))), f"{p} {what}: {a} != {b}"
for k in ["places", "ties", "total_weight", "density", "components", "largest_component_share",
          "modularity"]:
    same(row[k], s[k], k)
same(row["mean_tie_km"], s["tie_length_mean_km"], "mean km")
same(row["cross_border_share"], str(1 - float(s["share_domestic"])), "cross-border")
mine = {r["unit"]: r for r in csv.DictReader(open(places)) if r["period"] == p}
theirs = {r["unit"]: r for r in csv.DictReader(open(pl))}
assert mine.keys() == theirs.keys(), f"{p}: places {sorted(mine)} != {sorted(theirs)}"
for u, t in theirs.items():
    for k in ["group", "degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank",
              "community", "component", "mean_tie_km", "max_tie_km"]:
        same(mine[u][k], t[k], u + " " + k)
top = max(theirs.values(), key=lambda r: (float(r["strength"]), [-ord(c) for c in r["place"]]))
assert row["top_place"] == top["place"], f"{p} top {row['top_place']} != {top['place']}"
EOF
done

# new and ended ties, the rank, first and last period
if $PY - "$WORK/net.csv" "$WORK/places.csv" <<'EOF'; then ok; else bad "new/ended/rank columns"; fi
import csv, sys
net = {r["period"]: r for r in csv.DictReader(open(sys.argv[1]))}
# Chelyabinsk-Sverdlovsk ended 1999, Saratov-Voronezh 1996; Akmola-Sverdlovsk 2004, Tula-Vladimir 2002
assert [net[p]["ended_ties"] for p in ["1990-1994", "1995-1999", "2000-2004", "2005-2009", "2010"]] == ["0", "2", "2", "0", "1"], net
# the pair Sverdlovsk-Kostanay (1991, again 2009) is new once, in 1990-1994
assert [net[p]["new_ties"] for p in ["1990-1994", "1995-1999", "2000-2004", "2005-2009", "2010"]] == ["5", "4", "3", "3", "0"], net
pl = [r for r in csv.DictReader(open(sys.argv[2]))]
saratov = [r for r in pl if r["place"] == "Saratov Oblast"]
assert [r["period"] for r in saratov] == ["1990-1994", "1995-1999"], saratov
assert saratov[0]["first_period"] == "1990-1994" and saratov[0]["last_period"] == "1995-1999"
first = [r for r in pl if r["period"] == "1995-1999"]
assert first[0]["rank"] == "1" and first[0]["place"] == "Sverdlovsk Oblast", first[0]
ranks = [int(r["rank"]) for r in first]
assert ranks == sorted(ranks), ranks
# equal strengths share a rank (competition ranking): Chelyabinsk, Kostanay, Voronezh at 5
five = {r["place"]: r["rank"] for r in first if r["strength"] == "5"}
assert len(five) == 3 and len(set(five.values())) == 1, five
EOF

# without --spatial nothing is joined: no unit, tie length or cross-border columns; the numbers
# are those of stats --period
run timeline "$T" --periods 1995-1999 --format csv --quiet
expect_rc 0 "without geometry"
expect_out "1995-1999,1995,1999,11,9,4,2,17,0.1636363636,3,0.5454545455,0.553633218,Sverdlovsk Oblast" "no geography columns"
run timeline "$T" --chart mean_tie_km -o "$WORK/km.png"
expect_rc 2 "tie lengths in the chart need --spatial"
expect_err "add --spatial" "the chart's tie lengths: what to add"

# --- periods ----------------------------------------------------------------------------------
run timeline "$T" --step 10 --format csv --quiet
expect_rc 0 "--step 10"
expect_out "1990-1999,1990,1999," "--step from the data's first year (a multiple of 10)"
expect_out "2010,2010,2010," "the last period cut at the last year"
run timeline "$T" --period 1980-1989 --format csv --quiet
expect_rc 0 "periods without ties"
expect_out "1985,1985,1985,0,0,0,0,,,0,,," "a period with no tie is an empty row"
run timeline "$T" --periods 1990-1999,1995-2004
expect_rc 2 "overlapping --periods"
expect_err "1990-1999 and 1995-2004 overlap (1995 is in both)" "overlap message"
run timeline "$T" --periods 90-99
expect_rc 2 "two-digit years in --periods"
expect_err "write years in full" "two-digit years message"
run timeline "$T" --periods 1999-1990
expect_rc 2 "reversed period"
run timeline "$T" --period 1990-1999 --periods 1990-1994
expect_rc 2 "--period with --periods is refused"
expect_err "--periods names every period: leave out --period" "--period with --periods: the message"
run timeline "$T" --period 1993-2004 --step 5 --format csv --quiet
expect_rc 0 "--period is the range of --step"
expect_out "1993-1997,1993,1997," "a range given starts at its first year"
expect_out "2003-2004,2003,2004," "and is cut at its last"
run timeline "$T" --step 5 --format csv --quiet
expect_out "1990-1994,1990,1994," "without a range, --step starts at a multiple of the step"
run timeline "$T" --undated sometimes
expect_rc 2 "--undated value"
run timeline "$T" --chart ties,nonsense
expect_rc 2 "--chart names"
run timeline "$T" --ranks colour
expect_rc 2 "--ranks names a metric"
run timeline "$T" -o "$WORK/t.xls"
expect_rc 2 "unknown output extension"

# --open-end closes open ties
run timeline "$T" --periods 2005-2009,2010 --open-end 2007 --format csv --quiet
expect_rc 0 "--open-end"
expect_out "2010,2010,2010,2,1,0,1," "only the tie ending in 2010 is left"

# --- dates ------------------------------------------------------------------------------------
cat >"$WORK/dates.csv" <<'EOF'
from,to,from_country,to_country,start,end
Sverdlovsk Oblast,Kostanay Region,RU,KZ,1991,
Sverdlovsk Oblast,Akmola Region,RU,KZ,1995-03-14,2004-01-01
Tula Oblast,Vladimir Oblast,RU,RU,,
Voronezh Oblast,Tula Oblast,RU,RU,,1999
EOF
run timeline "$WORK/dates.csv" --step 5 --format csv
expect_rc 0 "mixed years and ISO dates"
expect_out "1995-1999,1995,1999,3,2," "an ISO date's year counts"
expect_err "2 ties without a start year (the first on line 4) left out of every period" "undated, once"
n=$(grep -c "without a start year" "$WORK/err")
[ "$n" -eq 1 ] && ok || bad "undated reported $n times"
run timeline "$WORK/dates.csv" --period 1990-2004 --step 5 --format csv --undated all
expect_out "1990-1994,1990,1994,5,3," "--undated all counts them in every period"
# --undated all = stats --period, which keeps undated ties
"$PM" stats "$WORK/dates.csv" --spatial --period 1990-1994 --summary --format csv --quiet >"$WORK/s.csv"
grep -q "^ties,3," "$WORK/s.csv" && ok || bad "stats --period keeps undated ties"

printf 'from,to,start,end\nSverdlovsk Oblast,Kostanay Region,67,\n' >"$WORK/two.csv"
run timeline "$WORK/two.csv"
expect_rc 3 "two-digit year"
expect_err "two.csv:2:" "two-digit year: file:line"
printf 'from,to,start,end\nSverdlovsk Oblast,Kostanay Region,1995,1991\n' >"$WORK/rev.csv"
run timeline "$WORK/rev.csv"
expect_rc 3 "end before start"
expect_err "rev.csv:2: the tie ends (1991) before it starts (1995)" "end < start: file:line"
printf 'from,to,start,end\nSverdlovsk Oblast,Kostanay Region,2091,\nTula Oblast,Vladimir Oblast,1990,\n' >"$WORK/future.csv"
run timeline "$WORK/future.csv" --step 50 --format csv
expect_rc 0 "a start in the future"
expect_err "1 tie starts after this year" "future start warned"
expect_err "line 2" "future start: its line"
printf 'from,to,weight\nSverdlovsk Oblast,Kostanay Region,1\n' >"$WORK/nodate.csv"
run timeline "$WORK/nodate.csv"
expect_rc 3 "no date column"
expect_err "needs a column of start years" "no date column message"

# --- outputs ----------------------------------------------------------------------------------
run timeline "$T" --step 5 -o "$WORK/a.json" -o "$WORK/a.md" -o "$WORK/a.tex" --quiet
expect_rc 0 "json, markdown, latex"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["places"]) == 5' "$WORK/a.json" && ok || bad "JSON rows"
grep -q '^| period' "$WORK/a.md" && ok || bad "markdown table"
grep -q 'tabular' "$WORK/a.tex" && ok || bad "latex table"
run timeline "$T" --step 5 -o "$WORK/b.csv" -o "$WORK/nodir/b.png" --quiet
[ "$RC" -ne 0 ] && ok || bad "an output that cannot be written fails"
expect_no_file "$WORK/b.csv" "no table left when another output fails"

# the chart: PNG, SVG, PDF at once, Cyrillic in the title
run timeline "$T" --spatial --step 2 --chart ties,new_ties,mean_tie_km --title "Урал и Казахстан" \
    -o "$WORK/c.png" -o "$WORK/c.svg" -o "$WORK/c.pdf" --quiet
expect_rc 0 "chart in three formats"
head -c 8 "$WORK/c.png" | od -c | grep -q "P   N   G" && ok || bad "PNG written"
grep -q "<svg" "$WORK/c.svg" && ok || bad "SVG written"
head -c 5 "$WORK/c.pdf" | grep -q "%PDF" && ok || bad "PDF written"
run timeline "$T" --page 60x40 -o "$WORK/small.png"
expect_rc 2 "a page too small for the chart"
expect_no_file "$WORK/small.png" "no chart from a too small page"

# the chart's --dpi and --theme follow the same rule as the map's (they once had their own)
for cmd in timeline map; do
    run $cmd "$T" --dpi 20 -o "$WORK/dpi.png"
    expect_rc 2 "$cmd --dpi 20"
    expect_err "--dpi '20': give 30 to 2400" "$cmd dpi message"
    run $cmd "$T" --theme grey -o "$WORK/dpi.png"
    expect_err "--theme 'grey': use color or print" "$cmd theme message"
done
expect_no_file "$WORK/dpi.png" "no figure after a usage error"

# a bad page is refused even when no chart is asked for (it was read only when drawing), and a
# chart option without a chart says that it changes nothing
run timeline "$T" --page bogus
expect_rc 2 "bad --page without a chart"
expect_err "bad page size 'bogus'" "bad --page message"
run timeline "$T" --dpi 150 --page single
expect_rc 0 "chart options without a chart"
expect_err "warning: --dpi changes only the chart, and no chart is written: give -o FILE.png" chart-option-warning
run timeline "$T" --dpi 150 -o "$WORK/tl.svg"
case "$ERR" in *"changes only the chart"*) bad "warned of a chart option with a chart written" ;; *) ok ;; esac

finish
