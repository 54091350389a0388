# `partnermap slurm` without a cluster (tests/cli/slurm.sh runs the scripts on a real one): the
# scripts it writes (bash gives each shard and the merge their words back as written, blanks,
# quotes and dollars included), the options it refuses, the default memory; and a batch in a
# Slurm array task without --shard takes the task's slice from SLURM_ARRAY_TASK_*, exactly as
# --shard K/N does, and refuses an array whose slice is unclear; and the guide's GNU parallel
# command with its merge gives the single batch's summary.
. "$(dirname "$0")/lib.sh"
R="$SRC/geodata/samples/ussr-czechoslovakia-regions/ties.csv"
cat >"$WORK/runs.csv" <<CSV
name,ties,options
all,$R,
documented,$R,--where confidence=documented
probable,$R,--where confidence=probable
unweighted,$R,--weights none
by-degree,$R,--fill degree
CSV
cd "$WORK" || exit 1

# ---- the scripts ----
run slurm -o "r s" --shards 3 -c 2 --time 2:00:00 --partition short --account proj \
    -- batch --figures none --title 'A "quoted" $title' runs.csv
expect_rc 0 slurm-write
S="$WORK/r s/slurm/shards.sbatch"
M="$WORK/r s/slurm/merge.sbatch"
for f in "$S" "$M"; do
    if bash -n "$f" 2>/dev/null; then ok; else bad "$f: not a bash script: $(bash -n "$f" 2>&1)"; fi
done
expect_out "3 shards of 'partnermap batch', each 2 CPUs and 448 MB" slurm-write-says
for l in '#SBATCH --array=1-3' '#SBATCH --cpus-per-task=2' '#SBATCH --mem=448M' \
    '#SBATCH --time=2:00:00' '#SBATCH --partition=short' '#SBATCH --account=proj' \
    "#SBATCH --chdir=\"$WORK\"" "#SBATCH --output=\"$WORK/r s/slurm/shard-%a-job%A.log\""; do
    if grep -qxF -- "$l" "$S"; then ok; else bad "shards.sbatch lacks '$l'"; fi
done
# the merge: cancelled when a shard fails, one CPU, the memory of one worker
for l in '#SBATCH --kill-on-invalid-dep=yes' '#SBATCH --cpus-per-task=1' '#SBATCH --mem=320M'; do
    if grep -qxF -- "$l" "$M"; then ok; else bad "merge.sbatch lacks '$l'"; fi
done
# the words each job runs, as bash reads them (the program swapped for printf)
words() { # SCRIPT: the exec line's words after the program, one a line
    sed -n 's/^exec "[^"]*"/printf "%s\\n"/p' "$1" >"$WORK/words.sh"
    SLURM_ARRAY_TASK_ID=2 SLURM_CPUS_PER_TASK=2 bash "$WORK/words.sh"
}
printf '%s\n' batch --shard 2/3 -j 2 -o "r s/shard-2" --figures none --title 'A "quoted" $title' \
    runs.csv >"$WORK/want"
words "$S" >"$WORK/got"
expect_same "$WORK/want" "$WORK/got" shard-words
printf '%s\n' batch --merge -o "r s" "r s/shard-1" "r s/shard-2" "r s/shard-3" >"$WORK/want"
words "$M" >"$WORK/got"
expect_same "$WORK/want" "$WORK/got" merge-words

# the default memory follows the CPUs: 1.5 x (120 + C x 70) MB
run slurm -o r1 --shards 2 -- batch runs.csv
expect_rc 0 slurm-default
if grep -qxF '#SBATCH --mem=320M' r1/slurm/shards.sbatch && grep -qxF '#SBATCH --cpus-per-task=1' r1/slurm/shards.sbatch; then ok; else bad "default memory/CPUs: $(grep SBATCH r1/slurm/shards.sbatch)"; fi

# no sbatch here: the scripts are written, and it says where to submit them
PATH=/nonexistent "$PM" slurm --submit -o r3 --shards 2 -- batch runs.csv >"$WORK/out" 2>"$WORK/err"
RC=$?
ERR=$(cat "$WORK/err")
expect_rc 4 slurm-no-sbatch
expect_err "cannot run sbatch: No such file or directory; submit the scripts where Slurm is installed" slurm-no-sbatch
if [ -s r3/slurm/shards.sbatch ] && [ -s r3/slurm/merge.sbatch ]; then ok; else bad "no scripts without sbatch"; fi

# ---- refused ----
run slurm -o r2 --shards 2 -- batch -o elsewhere runs.csv
expect_rc 2 slurm-o-in-command
expect_err "'-o' in the command: each shard's -o is set by the shard template" slurm-o-in-command
run slurm -o r2 --shards 2 -- batch --jobs 8 runs.csv
expect_rc 2 slurm-jobs-in-command
expect_err "leave it out (the result folder is slurm's -o, the workers its --cpus-per-task)" slurm-jobs-in-command
run slurm -o r2 --shards 2 -- batch --shard 1/2 runs.csv
expect_rc 2 slurm-shard-in-command
run slurm -o r2 -- batch runs.csv
expect_rc 2 slurm-no-shards
expect_err "add --shards N" slurm-no-shards
run slurm -o r2 --shards 2 -- map ties.csv
expect_rc 2 slurm-unknown-kind
expect_err "no shard and merge templates for 'map': give --shard-template and --merge-template" slurm-unknown-kind
run slurm -o r2 --shards 2 --merge-template 'batch --merge -o {OUT}/{K} {SHARDS}' -- batch runs.csv
expect_rc 2 slurm-bad-template
expect_err "{K} in the merge template" slurm-bad-template
run slurm -o 'r%2' --shards 2 -- batch runs.csv
expect_rc 2 slurm-bad-path
run slurm -o r2 --shards 2 --mem 2GB -- batch runs.csv
expect_rc 2 slurm-bad-mem
run slurm -o r2 --shards 2 --time 1h -- batch runs.csv
expect_rc 2 slurm-bad-time
expect_no_file r2 slurm-refused-writes-nothing

# ---- a batch in an array task takes the task's slice ----
run batch --figures none --quiet --shard 2/3 -o ref runs.csv
expect_rc 0 shard-reference
# --array=4-6: task 5 is shard 2 of 3
SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=3 \
    SLURM_ARRAY_TASK_STEP=1 run batch --figures none -o env runs.csv
expect_rc 0 array-shard
expect_err "partnermap batch: shard 2/3 from the Slurm array (task 5 of 4-6)" array-shard-said
expect_same ref/summary.csv env/summary.csv array-shard-summary
if [ "$(cut -d, -f2 env/summary.csv | tr '\n' ' ')" = "run documented by-degree " ]; then ok; else bad "array task 5 of 4-6 ran: $(cut -d, -f2 env/summary.csv | tr '\n' ' ')"; fi
# --shard wins over the task
SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=3 \
    SLURM_ARRAY_TASK_STEP=1 run batch --figures none --quiet --shard 1/1 -o whole runs.csv
expect_rc 0 array-shard-given
if [ "$(wc -l <whole/summary.csv)" -eq 6 ]; then ok; else bad "--shard 1/1 in an array task: $(cat whole/summary.csv)"; fi
# --shard slurm says it: the task's slice, as stats --uncertainty --shard slurm takes it; outside
# an array task it is refused
SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=3 \
    SLURM_ARRAY_TASK_STEP=1 run batch --figures none --shard slurm -o env-named runs.csv
expect_rc 0 array-shard-named
expect_same ref/summary.csv env-named/summary.csv array-shard-named-summary
run batch --figures none --shard slurm -o nowhere runs.csv
expect_rc 2 shard-slurm-outside
expect_err "not a task of a Slurm job array" shard-slurm-outside-msg
expect_no_file nowhere shard-slurm-outside-nothing
# --array=1,3,4: no slice of three
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_COUNT=3 \
    SLURM_ARRAY_TASK_STEP=1 run batch --figures none -o uneven runs.csv
expect_rc 2 array-uneven
expect_err "give --shard K/N" array-uneven
expect_no_file uneven array-uneven-nothing

# ---- GNU parallel: the guide's command, its host file naming this machine (':', no ssh) ----
if command -v parallel >/dev/null; then
    ok
    run batch --figures none --quiet -o single runs.csv
    printf '2/:\n' >hosts.txt
    parallel --will-cite --sshloginfile hosts.txt --workdir . --joblog shards.log \
        "$PM" batch --figures none --quiet --shard {}/3 -j 1 -o par/shard-{} runs.csv ::: 1 2 3 \
        >"$WORK/par.out" 2>&1
    if [ $? -eq 0 ]; then ok; else bad "GNU parallel: $(cat "$WORK/par.out")"; fi
    run batch --merge --quiet -o par par/shard-1 par/shard-2 par/shard-3
    expect_rc 0 parallel-merge
    expect_same single/summary.csv par/summary.csv parallel-merged-summary
else
    bad "GNU parallel is missing (scripts/deps.sh installs it)"
fi

finish
