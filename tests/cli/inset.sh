# Insets seen from the command line (issue 18): --inset auto insets the crowded middle of Europe on
# the friendship map and the Slovak cities, says so in the --stats notes (and that it hides
# nothing); on a map with no crowding it says that it drew none; a box is validated (usage error
# saying what to write); --inset none and no --inset draw the same figure.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"

# the friendship map: Central Europe inset, its labels there, nothing hidden
run map "$S/friendship-societies/ties.csv" --level country --inset auto --quiet --stats - \
    -o "$WORK/f.svg"
expect_rc 0 friendship
expect_out "inset: 14 places (" friendship-note
expect_out "it covers no place, label or legend and no tie" friendship-hides-nothing
# the labels crowded out of the plain map are in the inset now: fewer left out on the main map
case "$OUT" in *"labels left out of the map: 8 of 23"*) bad "friendship: main map still drops 8" ;; *) ok ;; esac

# the Slovak cities: inset found at --level city
run map "$S/ussr-czechoslovakia-cities/ties.csv" --level city --inset auto --quiet --stats - \
    -o "$WORK/c.png"
expect_rc 0 cities
expect_out "inset: 10 places (" cities-note
expect_out "it covers no place, label or legend" cities-hides-nothing

# no crowding: auto says it drew none, and why (warning and note); the figure equals --inset none
run map "$S/sverdlovsk-kazakhstan/ties.csv" --inset auto --stats - -o "$WORK/s-auto.svg"
expect_rc 0 no-crowding
expect_err "--inset auto: no inset drawn: " no-crowding-warning
expect_out "--inset auto: no inset drawn: " no-crowding-note
run map "$S/sverdlovsk-kazakhstan/ties.csv" --inset none -o "$WORK/s-none.svg"
expect_rc 0 none
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/s-default.svg"
expect_rc 0 default
# the figures but for the command line recorded in their metadata
for f in s-none s-default s-auto; do grep -v '<dc:description>' "$WORK/$f.svg" >"$WORK/$f.body"; done
expect_same "$WORK/s-none.body" "$WORK/s-default.body" none-is-default
expect_same "$WORK/s-auto.body" "$WORK/s-default.body" auto-without-crowding-draws-the-plain-map

# a box: validated, with what to write
for box in yes 20,55,10 16,50,23,47 16,47,23,51,3 200,47,23,51; do
    run map "$S/friendship-societies/ties.csv" --level country --inset "$box" -o "$WORK/b.png"
    expect_rc 2 "bad box $box"
    expect_err "write auto, none, or a box W,S,E,N in degrees" "bad box $box message"
done
expect_no_file "$WORK/b.png" bad-box-no-figure
# a box off the map: a usage error, not an inset of nothing
run map "$S/sverdlovsk-kazakhstan/ties.csv" --inset -120,30,-100,40 -o "$WORK/b.png"
expect_rc 2 box-off-map
expect_err "lies outside the map" box-off-map-message
# a box of the map's area: drawn, noted
run map "$S/friendship-societies/ties.csv" --level country --inset 12,45,24,55 --quiet \
    --stats - -o "$WORK/b.png"
expect_rc 0 box
expect_out "inset: " box-note
finish
