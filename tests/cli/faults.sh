# Fault injection at the command line (issue 17): a full disk under every command that writes
# (exit 4 with the path, no temporary file left, the outputs that were there before untouched), a
# read-only output folder, an output that is an input, a tie table that changes while it is read,
# a batch killed with SIGKILL and run again. docs/reliability.md lists the same cases.
# The full-disk and read-only cases mount a small tmpfs; where mounting is impossible (not root,
# a container without CAP_SYS_ADMIN) they are skipped with a line saying so.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"
R="$S/ussr-czechoslovakia-regions/ties.csv"

expect_eq() { # GOT WANT LABEL
    if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', want '$2'"; fi
}
# no_temps DIR LABEL: no ".NAME.XXXXXX" temporary file anywhere under DIR
no_temps() {
    local t
    t=$(find "$1" -name '.*.??????' ! -name '.partnermap-hash' 2>/dev/null)
    if [ -z "$t" ]; then ok; else bad "$2: temporary files left: $t"; fi
}
# fill DIR: fills the file system of DIR to the last byte
fill() {
    dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null
    sync
}

mounted=()
cleanup_mounts() {
    for m in "${mounted[@]}"; do umount "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup_mounts EXIT
# mount_tmpfs DIR OPTIONS: mounts a tmpfs on DIR; non-zero when this machine cannot
mount_tmpfs() {
    mkdir -p "$1"
    mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null || return 1
    mounted+=("$1")
}

# --- a full disk -----------------------------------------------------------------------------
FULL="$WORK/full"
if mount_tmpfs "$FULL" size=1m; then
    # map: the PNG (0.6 MB) fits, the SVG (2.9 MB) does not; the figures that were there before
    # stay as they were, the PNG included (the renames happen only when every figure is written)
    for f in a.png b.svg c.pdf; do echo "old $f" >"$FULL/$f"; done
    run map "$R" -o "$FULL/a.png" -o "$FULL/b.svg" -o "$FULL/c.pdf"
    expect_rc 4 full-map; expect_err "cannot write '$FULL/b.svg'" full-map
    expect_err "o space left on device" full-map
    for f in a.png b.svg c.pdf; do expect_eq "$(cat "$FULL/$f")" "old $f" "full-map-$f-untouched"; done
    no_temps "$FULL" full-map
    rm -f "$FULL"/*

    # stats -o, join -o, map --stats/--join-report: the disk is full before they start
    echo "old stats" >"$FULL/s.csv"; echo "old join" >"$FULL/j.csv"; echo "old png" >"$FULL/m.png"
    fill "$FULL"
    run stats "$R" -o "$FULL/s.csv"
    expect_rc 4 full-stats; expect_err "cannot write '$FULL/s.csv'" full-stats
    expect_eq "$(cat "$FULL/s.csv")" "old stats" full-stats-untouched; no_temps "$FULL" full-stats
    run join "$R" -o "$FULL/j.csv"
    expect_rc 4 full-join; expect_err "cannot write '$FULL/j.csv'" full-join
    expect_eq "$(cat "$FULL/j.csv")" "old join" full-join-untouched; no_temps "$FULL" full-join
    run map "$R" -o "$FULL/m.png" --stats "$FULL/s.csv" --join-report "$FULL/j.csv"
    expect_rc 4 full-map-side; expect_err "cannot write '$FULL/m.png'" full-map-side
    expect_eq "$(cat "$FULL/m.png")$(cat "$FULL/s.csv")$(cat "$FULL/j.csv")" "old pngold statsold join" \
        full-map-side-untouched
    no_temps "$FULL" full-map-side
    # batch: the run fails with the path, the batch goes on and says so (exit 3: some run failed)
    rm -f "$FULL/filler"
    mkdir "$FULL/out"
    fill "$FULL"
    # (the run fails, then so does the folder's summary.csv: exit 4)
    run batch -j 1 -o "$FULL/out" "$R"
    expect_rc 4 full-batch
    expect_err "cannot write '$FULL/out/ussr-czechoslovakia-regions/" full-batch
    expect_err "cannot write '$FULL/out/summary.csv': " full-batch
    expect_err "o space left on device" full-batch
    no_temps "$FULL" full-batch
    if [ -e "$FULL/out/ussr-czechoslovakia-regions/.partnermap-hash" ]; then
        bad "full-batch: the failed run is marked complete"; else ok; fi
else
    echo "skip: full disk: cannot mount a tmpfs here (not root, or a container without mount)" >&2
fi

# --- a read-only output folder -----------------------------------------------------------------
RO="$WORK/ro"
ro_ok=1
if mount_tmpfs "$RO" ro,size=64k; then :; else
    mkdir -p "$RO" && chmod 555 "$RO"
    # root writes into a 555 folder: then there is no read-only folder to test
    if touch "$RO/probe" 2>/dev/null; then rm -f "$RO/probe"; ro_ok=0; fi
fi
if [ "$ro_ok" = 1 ]; then
    run stats "$R" -o "$RO/s.csv"
    expect_rc 4 ro-stats; expect_err "cannot create '$RO/s.csv'" ro-stats
    run join "$R" -o "$RO/j.csv"
    expect_rc 4 ro-join; expect_err "cannot create '$RO/j.csv'" ro-join
    run map "$R" -o "$WORK/ro-ok.svg" -o "$RO/m.png"
    expect_rc 4 ro-map; expect_err "cannot create '$RO/m.png'" ro-map
    expect_no_file "$WORK/ro-ok.svg" ro-map-nothing-else
    run export "$R" -o "$RO/e.gpkg"
    expect_rc 4 ro-export; expect_err "$RO/e.gpkg" ro-export
    run batch --quiet -o "$RO/out" "$R"
    expect_rc 4 ro-batch; expect_err "$RO/out" ro-batch
    expect_eq "$(ls -A "$RO")" "" ro-nothing-written
else
    echo "skip: read-only folder: cannot mount a read-only tmpfs and root ignores chmod" >&2
fi

# --- an output that is an input: refused before anything is read -------------------------------
cp "$R" "$WORK/in.csv"
for c in stats join; do
    run $c "$WORK/in.csv" -o "$WORK/in.csv"
    expect_rc 2 "$c-input-as-output"; expect_err "is an input" "$c-input-as-output"
    expect_same "$WORK/in.csv" "$R" "$c-input-untouched"
done
run map "$WORK/in.csv" -o "$WORK/m.png" --stats "$WORK/in.csv"
expect_rc 2 map-input-as-output; expect_err "is an input" map-input-as-output
expect_same "$WORK/in.csv" "$R" map-input-untouched; expect_no_file "$WORK/m.png" map-input-as-output

# --- a tie table that changes while it is read ---------------------------------------------------
# A writer appends rows while partnermap reads a 40 MB table: the read is refused (exit 4), never
# taken as a mix of two versions. The writer needs to run during the read; tried up to 5 times.
python3 -c "
import sys
w = sys.stdout.write
w('from,to,weight\n')
for i in range(1000000): w('Tula Oblast,Brno,%d\n' % (i % 9 + 1))" >"$WORK/growing.csv"
seen=0
for attempt in 1 2 3 4 5; do
    ( while :; do echo "Sverdlovsk Oblast,Plzen,1" >>"$WORK/growing.csv"; done ) &
    writer=$!
    sleep 0.2
    run stats --summary --format csv "$WORK/growing.csv"
    kill "$writer"; wait "$writer" 2>/dev/null
    if [ "$RC" -eq 4 ]; then seen=1; break; fi
done
if [ "$seen" = 1 ]; then ok; else bad "changing table: exit $RC, want 4; stderr: ${ERR:0:300}"; fi
expect_err "growing.csv' changed while it was read" changing-table
rm -f "$WORK/growing.csv"

# --- a batch killed with SIGKILL, run again -------------------------------------------------------
cat >"$WORK/runs.csv" <<CSV
name,ties,options
all,$R,
documented,$R,--where confidence=documented
probable,$R,--where confidence=probable
sixties,$R,--period 1960-1969
seventies,$R,--period 1970-1979
CSV
# the reference is made in the same folder (a figure's metadata names the command line)
"$PM" batch --quiet -j 2 --figures png,svg -o "$WORK/b" "$WORK/runs.csv" >/dev/null 2>&1
expect_eq "$?" 0 kill-reference
mv "$WORK/b" "$WORK/ref"
setsid "$PM" batch --quiet -j 2 --figures png,svg -o "$WORK/b" "$WORK/runs.csv" >/dev/null 2>&1 &
pid=$!
# killed as soon as the first run is complete: the others are mid-way
for _ in $(seq 200); do
    ls "$WORK"/b/*/.partnermap-hash >/dev/null 2>&1 && break
    sleep 0.05
done
kill -KILL -- -"$pid" 2>/dev/null
wait "$pid" 2>/dev/null
# every figure or table left is whole: the same bytes as the reference run's
half=0
while IFS= read -r f; do
    rel=${f#"$WORK/b/"}
    case "$(basename "$rel")" in .*) continue ;; esac
    if [ "$rel" = summary.csv ]; then continue; fi
    cmp -s "$f" "$WORK/ref/$rel" || { half=1; echo "half file after SIGKILL: $rel" >&2; }
done < <(find "$WORK/b" -type f)
expect_eq "$half" 0 kill-no-half-files
left=$(find "$WORK/b" -name '.*.??????' ! -name .partnermap-hash | wc -l)
run batch --quiet -j 2 --figures png,svg -o "$WORK/b" "$WORK/runs.csv"
expect_rc 0 kill-rerun
no_temps "$WORK/b" kill-rerun
diff -r -x summary.csv "$WORK/ref" "$WORK/b" >/dev/null
expect_eq "$?" 0 kill-rerun-same-outputs
# the runs complete before the kill are skipped, the others redone
if grep -q ',skipped,' "$WORK/b/summary.csv" && ! grep -q ',failed,' "$WORK/b/summary.csv"; then ok
else bad "kill-rerun: summary: $(cat "$WORK/b/summary.csv")"; fi
echo "killed batch: $left temporary files left by SIGKILL, removed by the rerun" >&2

finish
