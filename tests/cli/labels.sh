# Place labels seen from the command line (issue 18): the labels a map leaves out are named, most
# important first, in the warning and in the `--stats -` summary (which --quiet keeps); the key
# places of a crowded 50-place map (Orenburg, Samara: the largest circles) keep their labels.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"
RK="$SRC/tests/data/labels/russia-kazakhstan.csv"

# the friendship map: the crowded middle of Europe loses labels, and they are named
run map "$S/friendship-societies/ties.csv" --level country -o "$WORK/f.png"
expect_rc 0 friendship
expect_err "place labels left out (no free position near the place): 'Yugoslavia'" friendship-named
expect_err "'Czechoslovakia'" friendship-named-last
case "$ERR" in *"'USSR'"*) bad "friendship: the USSR's label left out" ;; *) ok ;; esac

# --quiet hides the warning; the summary for people still lists them
run map "$S/friendship-societies/ties.csv" --level country --quiet --stats - -o "$WORK/f.png"
expect_rc 0 friendship-stats
expect_out "labels left out of the map: 8 of 23 (no free position near the place): 'Yugoslavia'" \
    friendship-stats-note
if [ -z "$ERR" ]; then ok; else bad "friendship --quiet: stderr not empty: $ERR"; fi

# a map with room for every label notes none
run map "$S/sverdlovsk-kazakhstan/ties.csv" --quiet --stats - -o "$WORK/s.png"
expect_rc 0 sverdlovsk
case "$OUT" in *"labels left out"*) bad "sverdlovsk: labels left out: $OUT" ;; *) ok ;; esac

# 45 places of Russia and Kazakhstan: labels dropped are the minor ones; the places with the
# largest circles (strength) keep theirs
run map "$RK" -o "$WORK/rk.png"
expect_rc 0 russia-kazakhstan
expect_err "place labels left out" russia-kazakhstan-dropped
for key in "Orenburg Oblast" "Samara Oblast" "Kostanay Region" "West Kazakhstan Region" \
    "Aktobe Region"; do
    case "$ERR" in *"'$key'"*) bad "russia-kazakhstan: '$key' left out: $ERR" ;; *) ok ;; esac
done
finish
