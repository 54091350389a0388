# CLI cases for `partnermap map --uncertainty N`: rings and hatching from the replicates of the
# metrics the map draws, the note naming the unstable places (stderr, and the --stats - summary),
# determinism for --seed, --unstable's range, and what a map refuses with --uncertainty.
. "$(dirname "$0")/lib.sh"

# regions of the USSR and Czechoslovakia (the default geodata): Tula's strength is 3 with its two
# probable ties and 0 without them, so its class moves in most replicates
cp "$SRC/tests/data/uncert/ties.csv" "$WORK/ties.csv" # tests/data/uncert: Tula and Sverdlovsk with probable ties
T=$WORK/ties.csv
# figures compared without their metadata (it records the command line)
body() { grep -v '<dc:description>' "$1" >"$1.body"; }
M="map $T --fill strength --nclasses 3 --size betweenness"

run $M --uncertainty 200 -o "$WORK/u.svg"
expect_rc 0 map
expect_err "unstable classes: 3 of 10 places change class in more than 20 % of 200 replicates (hatched): 'Tula Oblast' (" note
[ -s "$WORK/u.svg" ] && ok || bad "no figure"

# the same seed draws the same figure; the marks change it
"$PM" $M --uncertainty 200 -o "$WORK/u2.svg" --quiet
body "$WORK/u.svg"; body "$WORK/u2.svg"
expect_same "$WORK/u.svg.body" "$WORK/u2.svg.body" seed-deterministic
"$PM" $M -o "$WORK/plain.svg" --quiet
body "$WORK/plain.svg"
if cmp -s "$WORK/u.svg.body" "$WORK/plain.svg.body"; then bad "the uncertainty marks draw nothing"; else ok; fi
"$PM" $M --uncertainty 200 --seed 7 -j 1 -o "$WORK/s7.svg" --quiet
"$PM" $M --uncertainty 200 --seed 7 -j 2 -o "$WORK/s7b.svg" --quiet
body "$WORK/s7.svg"; body "$WORK/s7b.svg"
expect_same "$WORK/s7.svg.body" "$WORK/s7b.svg.body" jobs-deterministic
# another seed: other replicates, so other shares in the note (the seed is used)
NOTE42=$ERR
run $M --uncertainty 200 --seed 7 -o "$WORK/s7c.svg"
if [ "$NOTE42" = "$ERR" ]; then bad "seed ignored: $ERR"; else ok; fi

# the note goes to the --stats summary (and not twice)
run $M --uncertainty 200 --stats - -o "$WORK/u3.png" --dpi 72
expect_rc 0 stats
expect_out "unstable classes: 3 of 10 places" stats-note
case "$ERR" in *"unstable classes"*) bad "note printed twice" ;; *) ok ;; esac

# a threshold that nothing passes says so
run $M --uncertainty 200 --unstable 1 -o "$WORK/u4.svg"
expect_rc 0 unstable-1
expect_err "none of 10 places changes class in more than 100 % of 200 replicates (nothing hatched)" none
run $M --uncertainty 200 --unstable 0 -o "$WORK/u5.svg"
expect_err "places change class in more than 0 % of 200 replicates" unstable-0

# a fill that cannot be simulated is named; nothing to simulate stops
run map $T --fill community --size strength --uncertainty 50 -o "$WORK/c.svg"
expect_rc 0 community
expect_err "the fill 'community' is not simulated" community-note
run map $T --fill community --size none --uncertainty 50 -o "$WORK/c2.svg"
expect_rc 2 nothing
expect_err "draws nothing that can be simulated" nothing-msg
expect_no_file "$WORK/c2.svg" nothing-no-file

# usage errors
for bad_arg in "--unstable 1.5" "--unstable x" "--unstable -0.1"; do
    run $M --uncertainty 50 $bad_arg -o "$WORK/x.svg"
    expect_rc 2 "$bad_arg"
    expect_err "give a share of the replicates, 0 to 1" "$bad_arg-msg"
done
run $M --unstable 0.3 -o "$WORK/x.svg"
expect_rc 2 unstable-alone; expect_err "--unstable needs --uncertainty N" unstable-alone-msg
run $M --keep-probable 0.3 -o "$WORK/x.svg"
expect_rc 2 keep-alone; expect_err "--keep-probable needs --uncertainty N" keep-alone-msg
run $M --uncertainty 50 --metrics degree -o "$WORK/x.svg"
expect_rc 2 metrics; expect_err "a map simulates the metrics it draws" metrics-msg
run $M --uncertainty 50 --shard 1/2 -o "$WORK/x.svg"
expect_rc 2 shard; expect_err "shards and merges are for 'partnermap stats'" shard-msg
run $M --uncertainty 0 -o "$WORK/x.svg"
expect_rc 2 zero
expect_no_file "$WORK/x.svg" no-figure-on-usage
run map --help
expect_out "--unstable SHARE" help
finish
