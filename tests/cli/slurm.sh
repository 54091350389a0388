# Sharded runs through a real Slurm: a one-node cluster of its own (tests/slurm/cluster.sh: munge,
# slurmctld and slurmd in a temporary folder, on ports nobody else uses), a 4-shard batch of the
# samples submitted with `partnermap slurm --submit`, its merged summary byte for byte the one of
# a single `partnermap batch` (and every run's files the same, the maps pixel for pixel); then a
# shard that fails: the merge is cancelled, not left waiting, and once the cause is gone the same
# command submitted again skips what the other shards finished (content hash) and merges.
# Where Slurm cannot start (not root, packages missing) this test FAILS and says why.
. "$(dirname "$0")/lib.sh"
# not under WORK (mode 700): munged wants every folder above its socket open to all
CLUSTER=$(mktemp -d /tmp/pm_slurm.XXXXXX)
trap 'bash "$SRC/tests/slurm/cluster.sh" stop "$CLUSTER"; rm -rf "$WORK" "$CLUSTER"' EXIT
if ! bash "$SRC/tests/slurm/cluster.sh" start "$CLUSTER" $$ 2>"$WORK/cluster.err"; then
    bad "no Slurm cluster, so nothing ran through Slurm: $(cat "$WORK/cluster.err")"
    finish
    exit 1
fi
export SLURM_CONF="$CLUSTER/slurm.conf"
# the jobs inherit this environment (sbatch --export=ALL): no array variables of an outer job
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_COUNT \
    SLURM_ARRAY_TASK_STEP SLURM_JOB_ID

S="$SRC/geodata/samples"
R="$S/ussr-czechoslovakia-regions/ties.csv"
C="$S/ussr-czechoslovakia-cities/ties.csv"
K="$S/sverdlovsk-kazakhstan/ties.csv"
cat >"$WORK/runs.csv" <<CSV
name,ties,options
regions-all,$R,
regions-documented,$R,--where confidence=documented
regions-probable,$R,--where confidence=probable
cities-all,$C,
cities-1960s,$C,--period 1960-1969
cities-unweighted,$C,--weights none
sverdlovsk-kz,$K,
CSV
PLACES=(--places "$S/ussr-czechoslovakia-cities/places.csv")
cd "$WORK" || exit 1

# wait_job ID SECONDS: the job's states when it has ended (an array: each task's), "" on timeout
wait_job() {
    local i st
    for i in $(seq 1 $(($2 * 4))); do
        st=$(scontrol show job -o "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' ')
        case "$st" in
        "" | *PENDING* | *RUNNING* | *COMPLETING* | *CONFIGURING* | *REQUEUE*) sleep 0.25 ;;
        *) echo "$st"; return 0 ;;
        esac
    done
    echo ""
}
# submit ARGS...: partnermap slurm --submit; sets SHARDS_ID and MERGE_ID
submit() {
    run slurm --submit "$@"
    SHARDS_ID=$(printf '%s\n' "$OUT" | sed -n "s/^submitted job \([0-9]*\): .* shards of .*/\1/p")
    MERGE_ID=$(printf '%s\n' "$OUT" | sed -n 's/^submitted job \([0-9]*\): the merge.*/\1/p')
}
# the image data of a PNG (its IDAT chunks, inflated): the text chunks name the command line
png_pixels() {
    python3 -c 'import sys, struct, zlib
d = open(sys.argv[1], "rb").read(); i = 8; z = b""
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IDAT": z += d[i + 8:i + 8 + n]
    i += 12 + n
sys.stdout.buffer.write(zlib.decompress(z))' "$1"
}
logs() { tail -n 5 "$1"/slurm/*.log 2>/dev/null | head -40; }

# ---- sbatch refuses (no such partition): said, exit 4 ----
run slurm --submit -o refused --shards 2 --partition nosuch -- batch runs.csv
expect_rc 4 sbatch-refuses
expect_err "sbatch did not submit" sbatch-refuses
expect_err "nosuch" sbatch-refuses-why

# ---- the reference: one process ----
run batch --quiet "${PLACES[@]}" -o single runs.csv
expect_rc 0 single-batch

# ---- 4 shards through Slurm ----
submit -o res --shards 4 -c 1 -- batch "${PLACES[@]}" runs.csv
expect_rc 0 submit
if [ -n "$SHARDS_ID" ] && [ -n "$MERGE_ID" ]; then ok; else bad "no job ids in: $OUT"; fi
st=$(wait_job "$MERGE_ID" 90)
if [ "$st" = "JobState=COMPLETED " ]; then ok; else bad "merge job $MERGE_ID: '${st:-still running after 90 s}'; logs: $(logs res)"; fi
st=$(wait_job "$SHARDS_ID" 5)
if [ "$st" = "JobState=COMPLETED " ]; then ok; else bad "shard tasks: '$st'"; fi
expect_same single/summary.csv res/summary.csv merged-summary
# each run was done by its shard (interleaved: run i by shard i % 4 + 1), its files those of the
# single run
i=0
for r in regions-all regions-documented regions-probable cities-all cities-1960s cities-unweighted sverdlovsk-kz; do
    d="res/shard-$((i % 4 + 1))/$r"
    i=$((i + 1))
    for f in stats.csv summary.csv join.csv .partnermap-hash; do
        expect_same "single/$r/$f" "$d/$f" "$r/$f"
    done
    if [ -s "$d/map.png" ] && cmp -s <(png_pixels "single/$r/map.png") <(png_pixels "$d/map.png"); then ok; else bad "$r/map.png: not the single run's pixels"; fi
done
if [ "$(ls -d res/shard-*/*/ | wc -l)" -eq 7 ]; then ok; else bad "shards drew other runs too: $(ls -d res/shard-*/*/)"; fi

# ---- 4 shards of `stats --uncertainty` through Slurm (issue 14), the built-in templates ----
# 400 replicates of the regions sample (documented and probable ties), replicates K, K+4, ... in
# shard K's file; the merge's report byte for byte one process's (the same quantiles)
UNC=(stats --uncertainty 400 --seed 7 --format csv "$R")
run "${UNC[@]}" -o single-uncertainty.csv
expect_rc 0 single-uncertainty
run "${UNC[@]}" -o single-uncertainty.txt --format terminal
submit -o unc --shards 4 -c 1 -- "${UNC[@]}"
expect_rc 0 submit-uncertainty
if [ -n "$SHARDS_ID" ] && [ -n "$MERGE_ID" ]; then ok; else bad "no job ids in: $OUT"; fi
st=$(wait_job "$MERGE_ID" 90)
if [ "$st" = "JobState=COMPLETED " ]; then ok; else bad "uncertainty merge job $MERGE_ID: '${st:-still running after 90 s}'; logs: $(logs unc)"; fi
st=$(wait_job "$SHARDS_ID" 5)
if [ "$st" = "JobState=COMPLETED " ]; then ok; else bad "uncertainty shard tasks: '$st'"; fi
for k in 1 2 3 4; do
    if grep -q "shard $k/4: 100 of 400 replicates written to .*unc/shard-$k.pmu" unc/slurm/shard-"$k"-job"$SHARDS_ID".log; then ok; else bad "shard $k's log: $(cat unc/slurm/shard-"$k"-job"$SHARDS_ID".log)"; fi
done
expect_same single-uncertainty.csv unc/uncertainty.txt uncertainty-merged
# the interval columns are there and not all equal to the observed values: something was simulated
if awk -F, 'NR > 1 && $5 != $6 { d = 1 } END { exit !d }' unc/uncertainty.txt; then ok; else bad "merged report without spread: $(head -3 unc/uncertainty.txt)"; fi
# the same shard files merged by hand in another format: the single run's terminal report
run stats --uncertainty 400 --seed 7 "$R" --merge unc -o merged.txt
expect_rc 0 merge-by-hand
expect_same single-uncertainty.txt merged.txt uncertainty-merged-terminal
# stats without --uncertainty has no shards to run
run slurm -o nothing --shards 2 -- stats "$R"
expect_rc 2 slurm-stats-without-uncertainty
expect_err "sharded with --uncertainty only" slurm-stats-without-uncertainty-msg

# ---- a shard fails; the same command submitted again finishes the job ----
# shard 3 cannot make its folder (a file is in the way); the others finish
mkdir -p again && : >again/shard-3
submit -o again --shards 4 -c 1 -- batch "${PLACES[@]}" runs.csv
expect_rc 0 submit-failing
st=$(wait_job "$MERGE_ID" 90)
case "$st" in *CANCELLED*) ok ;; *) bad "merge after a failed shard: '${st:-still waiting after 90 s}', want CANCELLED" ;; esac
st=$(wait_job "$SHARDS_ID" 5)
if [ "$st" = "JobState=COMPLETED JobState=FAILED " ]; then ok; else bad "shard tasks with one failing: '$st'"; fi
if grep -q "again/shard-3" again/slurm/shard-3-job"$SHARDS_ID".log 2>/dev/null; then ok; else bad "shard 3's log does not say why it failed: $(logs again)"; fi
expect_no_file again/summary.csv merge-did-not-run
inode() { stat -c %i "$1" 2>/dev/null; }
before=$(inode again/shard-1/regions-all/map.png)
rm again/shard-3
submit -o again --shards 4 -c 1 -- batch "${PLACES[@]}" runs.csv
expect_rc 0 resubmit
st=$(wait_job "$MERGE_ID" 90)
if [ "$st" = "JobState=COMPLETED " ]; then ok; else bad "merge after the resubmit: '${st:-still running after 90 s}'; logs: $(logs again)"; fi
# the runs of shards 1, 2 and 4 are skipped (their files kept as they were), shard 3's are done
if [ -n "$before" ] && [ "$before" = "$(inode again/shard-1/regions-all/map.png)" ]; then ok; else bad "a finished run was drawn again"; fi
cut -d, -f2,3 again/summary.csv | tr '\n' ' ' >"$WORK/status"
# (the summary's rows are in the batch's order; shard 3 has runs 3 and 7)
want="run,status regions-all,skipped regions-documented,skipped regions-probable,ok cities-all,skipped cities-1960s,skipped cities-unweighted,skipped sverdlovsk-kz,ok "
if [ "$(cat "$WORK/status")" = "$want" ]; then ok; else bad "statuses after the resubmit: $(cat "$WORK/status")"; fi
# and, but for the status, the single run's summary
sed 's/,skipped,/,ok,/' again/summary.csv >"$WORK/again-ok.csv"
expect_same single/summary.csv "$WORK/again-ok.csv" resubmitted-summary

finish
