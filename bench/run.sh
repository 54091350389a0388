#!/usr/bin/env bash
# partnermap against the peer pipelines of ../shared/bench (Python geopandas+igraph+matplotlib,
# R sf+igraph+ggraph, GMT), side by side in one run, on the same machine, with public tools:
# hyperfine for wall time (median), GNU time for peak memory. Prints a table of ratios and
# writes it to $WORK/results.md.
#
#   bench/run.sh                     # small and medium, 5 runs; large once per peer
#   WORKLOADS="small medium large batch" RUNS=3 bench/run.sh
#   PEERS="pyig r gmt pynx" bench/run.sh
#   WORKLOADS="timeline_medium timeline_large" bench/run.sh   # yearly statistics 1950-1990
#                                    # against peers/py_timeline.py (TL_PEER=0: partnermap only)
#   WORKLOADS=uncertainty bench/run.sh  # 1,000 Monte Carlo replicates against py_montecarlo.py
#
# Needs: a built partnermap (build/src/partnermap, or PM=...), the peers' Debian packages and
# hyperfine (see ../shared/bench/BASELINES.md, "Reproduce"), /usr/bin/python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PM=${PM:-$ROOT/build/src/partnermap}
SHARED=${SHARED:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/pm_bench}
RUNS=${RUNS:-5}
LARGE_RUNS=${LARGE_RUNS:-1}
WORKLOADS=${WORKLOADS:-small medium}
PEERS=${PEERS:-pyig r gmt}
PY=/usr/bin/python3

[ -x "$PM" ] || { echo "bench: build partnermap first (bash scripts/quickstart.sh)" >&2; exit 1; }
mkdir -p "$WORK"
if [ ! -f "$WORK/data/admin1.gpkg" ]; then
  cp -r "$SHARED/." "$WORK/"
  chmod -R u+w "$WORK"
  bash "$WORK/data/make_geodata.sh" >/dev/null
fi
O=$WORK/out
mkdir -p "$O"
G=$WORK/data/admin1.gpkg
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# the same job as the peers (BASELINES.md "The job"): read the edge list, join by adm1_code,
# every metric, a 8 x 6 in map at 200 dpi (PNG + SVG) with Cyrillic labels, print the summary and
# the top ten, write the metrics CSV
pm_job() { # WORKLOAD
  echo "$PM map $WORK/workloads/$1.csv --geo $G --geo-layer admin1 --geo-key adm1_code --fill pagerank --circles strength --label name_ru --page 8x6in --dpi 200 --quiet -o $O/pm_$1.png -o $O/pm_$1.svg --stats -"
}
peer_cmd() { # PEER WORKLOAD
  case $1 in
    pyig) echo "$PY $WORK/peers/py_pipeline.py $WORK/workloads/$2.csv $G $O/pyig_$2 --metrics igraph" ;;
    pynx) echo "$PY $WORK/peers/py_pipeline.py $WORK/workloads/$2.csv $G $O/pynx_$2 --metrics networkx --budget 60" ;;
    r) echo "Rscript $WORK/peers/r_pipeline.R $WORK/workloads/$2.csv $G $O/r_$2" ;;
    gmt) echo "$WORK/peers/gmt_map.sh $WORK/workloads/$2.csv $G $O/pyig_$2_metrics.csv $O/gmt_$2" ;;
  esac
}

# the timeline job (BASELINES.md, py_timeline.py): per year 1950-1990 the ties active, the
# graph, components, modularity, and per place strength, betweenness, closeness, PageRank and
# rank, written as two CSV tables (partnermap also joins the places for tie lengths)
pm_timeline_job() { # WORKLOAD (medium | large)
  echo "$PM timeline $WORK/workloads/$1_years.csv --geo $G --geo-layer admin1 --geo-key adm1_code --period 1950-1990 --quiet -o $O/pm_tl_$1.csv --place-table $O/pm_tl_$1_places.csv"
}
TL_PEER=${TL_PEER:-1}

measure() { # NAME RUNS COMMAND
  local name=$1 runs=$2 cmd=$3
  hyperfine -N --style none -w "$([ "$runs" -gt 1 ] && echo 1 || echo 0)" -r "$runs" \
    --export-json "$O/$name.json" "sh -c 'exec $cmd >$O/$name.log 2>&1'" >/dev/null
  /usr/bin/time -f "%M" -o "$O/$name.rss" sh -c "exec $cmd" >/dev/null 2>&1 || true
  local med rss
  med=$($PY -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"], 3))' "$O/$name.json")
  rss=$(tail -1 "$O/$name.rss")
  printf '%s\t%s\t%s\n' "$name" "$med" "$rss" >>"$RESULTS"
  printf '%-16s %8s s %8s KiB\n' "$name" "$med" "$rss"
}

measure_once() { # NAME COMMAND: one run, wall time and peak memory from GNU time; the CPU time
  # (user + system, worker processes included) and the load average beside it in NAME.cpu
  local name=$1 cmd=$2
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f "%e %M %U %S" -o "$O/$name.time" sh -c "exec $cmd" >"$O/$name.log" 2>&1 || true
  read -r sec rss usr sys <"$O/$name.time"
  printf '%s\t%s\t%s\n' "$name" "$sec" "$rss" >>"$RESULTS"
  printf '%s user %s system, load average before: %s\n' "$usr" "$sys" "$load" >"$O/$name.cpu"
  printf '%-16s %8s s %8s KiB   CPU %s s user + %s s system, load %s\n' "$name" "$sec" "$rss" \
    "$usr" "$sys" "$load"
}

for w in $WORKLOADS; do
  if [ "$w" = batch ]; then
    # 1,000 variants of the regions sample: filters, weight modes, seeds, fill metrics
    M=$O/variants.csv
    echo "name,ties,options" >"$M"
    fills=(pagerank degree strength betweenness closeness)
    for i in $(seq 1 1000); do
      f=${fills[$((i % 5))]}
      case $((i % 4)) in
        0) o="--fill $f --seed $i" ;;
        1) o="--fill $f --where confidence=probable --seed $i" ;;
        2) o="--fill $f --weights none --seed $i" ;;
        3) o="--fill $f --weights as-length --seed $i" ;;
      esac
      echo "v$i,$ROOT/geodata/samples/ussr-czechoslovakia-regions/ties.csv,$o" >>"$M"
    done
    rm -rf "$O/batch"
    measure pm_batch1000 1 "$PM batch -o $O/batch --force --quiet $M"
    continue
  fi
  if [ "${w#timeline_}" != "$w" ]; then
    tw=${w#timeline_}
    [ -f "$WORK/workloads/${tw}_years.csv" ] ||
      $PY "$WORK/workloads/gen_years.py" "$WORK/workloads/$tw.csv" "$WORK/workloads/${tw}_years.csv"
    if [ "$tw" = large ]; then # one run each, with its CPU time: the peer takes minutes
      measure_once "pm_$w" "$(pm_timeline_job "$tw")"
      measure_once "pm_${w}_j1" "$(pm_timeline_job "$tw") -j 1"
      [ "$TL_PEER" = 1 ] && measure_once "pytl_$w" \
        "$PY $WORK/peers/py_timeline.py $WORK/workloads/${tw}_years.csv 1950 1990 $O/pytl_$tw"
      continue
    fi
    measure "pm_$w" "$RUNS" "$(pm_timeline_job "$tw")"
    measure "pm_${w}_j1" "$RUNS" "$(pm_timeline_job "$tw") -j 1"
    [ "$TL_PEER" = 1 ] && measure "pytl_$w" "$RUNS" \
      "$PY $WORK/peers/py_timeline.py $WORK/workloads/${tw}_years.csv 1950 1990 $O/pytl_$tw"
    continue
  fi
  if [ "$w" = uncertainty ]; then
    # source uncertainty (issue 14): 1,000 replicates of the medium workload, each tie kept with
    # p = 0.8 (the peer's --keep default), strength, weighted betweenness, harmonic closeness and
    # PageRank; one run each (the peer takes minutes), then the quantiles compared within Monte
    # Carlo error (bench/uncert_compare.py)
    U="$WORK/workloads/medium.csv --uncertainty 1000 --keep-documented 0.8 --metrics strength,betweenness,closeness,pagerank"
    measure_once pm_uncert1000 "$PM stats $U --format csv -o $O/pm_uncert.csv"
    "$PM" stats $U --shard 1/1 -o "$O/pm_uncert.pmu" 2>/dev/null
    measure_once pyig_uncert1000 "$PY $WORK/peers/py_montecarlo.py $WORK/workloads/medium.csv 1000 $O/peer_uncert.csv --keep 0.8"
    $PY "$HERE/uncert_compare.py" "$O/pm_uncert.pmu" "$O/pm_uncert.csv" "$O/peer_uncert.csv" |
      tee "$O/uncert_compare.txt" || echo "bench: the quantiles disagree (see above)" >&2
    continue
  fi
  runs=$RUNS
  [ "$w" = large ] && runs=$LARGE_RUNS
  measure "pm_$w" "$RUNS" "$(pm_job "$w")"
  for p in $PEERS; do
    [ "$p" = gmt ] && [ ! -f "$O/pyig_${w}_metrics.csv" ] && continue
    measure "${p}_$w" "$runs" "$(peer_cmd "$p" "$w")"
  done
done

# ratios: each peer's time and memory over partnermap's
$PY - "$RESULTS" "$WORK/results.md" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
t = {n: (float(s), int(m) / 1024) for n, s, m in rows}
out = ["| workload | pipeline | wall median s | peak MiB | peer / partnermap (time) | (memory) |",
       "|---|---|---|---|---|---|"]
for w in ["small", "medium", "large", "timeline_medium", "timeline_large"]:
    pm = t.get("pm_" + w)
    if not pm:
        continue
    out.append(f"| {w} | partnermap | {pm[0]:.3f} | {pm[1]:.0f} | 1 | 1 |")
    j1 = t.get(f"pm_{w}_j1")
    if j1:
        out.append(f"| {w} | partnermap -j 1 | {j1[0]:.3f} | {j1[1]:.0f} | {j1[0]/pm[0]:.1f}x | {j1[1]/pm[1]:.1f}x |")
    for p in ["pyig", "pynx", "r", "gmt", "pytl"]:
        v = t.get(f"{p}_{w}")
        if v:
            out.append(f"| {w} | {p} | {v[0]:.3f} | {v[1]:.0f} | {v[0]/pm[0]:.1f}x | {v[1]/pm[1]:.1f}x |")
if "pm_uncert1000" in t:
    u = t["pm_uncert1000"]
    out.append(f"| uncertainty, 1,000 replicates of medium | partnermap | {u[0]:.3f} | {u[1]:.0f} | 1 | 1 |")
    v = t.get("pyig_uncert1000")
    if v:
        out.append(f"| uncertainty, 1,000 replicates of medium | py_montecarlo | {v[0]:.3f} | {v[1]:.0f} | {v[0]/u[0]:.1f}x | {v[1]/u[1]:.1f}x |")
if "pm_batch1000" in t:
    b = t["pm_batch1000"]
    out.append(f"| batch of 1,000 variants | partnermap | {b[0]:.3f} | {b[1]:.0f} | | |")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
