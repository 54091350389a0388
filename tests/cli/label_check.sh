# The figure editor's label check (issue 18, docs/methods.md "Label check") over the four sample
# maps and the 50-place Russia-Kazakhstan map, with and without insets: in the `--stats -` notes,
# no label lies on a tie where a free position was near, beyond the leader-line limit, over
# another country or place, or both on the map and in its inset (or inside the locator outline).
# The insets with a box on the Russia-Kazakhstan map: 61,50,80,57 drew Chelyabinsk, Novosibirsk
# and Tyumen (inside the inset's frame, outside its box) in the inset and labelled them on the
# map too; 55,48,70,56 put Atyrau's label on a tie because a free position lay nearer a place
# drawn only in the inset.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"
RK="$SRC/tests/data/labels/russia-kazakhstan.csv"
CIT="$S/ussr-czechoslovakia-cities/ties.csv"

clean() { # LABEL ARGS...: the map draws and its label check finds nothing
    local label=$1
    shift
    run map "$@" --quiet --stats - -o "$WORK/m.png"
    expect_rc 0 "$label"
    expect_out "): none on a tie where a free position was near, none beyond the leader-line limit or over another country or place" "$label-check"
    case "$OUT" in *"faulty"*) bad "$label: $(grep 'label check' <<<"$OUT")" ;; *) ok ;; esac
}

clean regions "$S/ussr-czechoslovakia-regions/ties.csv"
clean regions-print "$S/ussr-czechoslovakia-regions/ties.csv" --theme print --fill degree
clean cities "$CIT" --places "$S/ussr-czechoslovakia-cities/places.csv"
clean cities-level "$CIT" --level city
clean sverdlovsk "$S/sverdlovsk-kazakhstan/ties.csv"
clean friendship "$S/friendship-societies/ties.csv" --level country
clean russia-kazakhstan "$RK"

# with insets: also none labelled both on the map and in the inset
for args in "$S/friendship-societies/ties.csv --level country --inset auto" \
    "$CIT --level city --inset auto" "$RK --inset 60.75,48.96,79.18,58.93" \
    "$RK --inset 61,50,80,57" "$RK --inset 55,48,70,56"; do
    # shellcheck disable=SC2086
    clean "inset $args" $args
    expect_out ", none both on the map and in the inset" "inset $args: inset checked"
done

# the 50-place map: the frame fits the network, not Krasnoyarsk Krai's Arctic coast, and the key
# places keep their labels (at most 8 of 45 left out; it was 19 with the frame of every polygon)
run map "$RK" --quiet --stats - -o "$WORK/rk.png"
left=$(sed -n 's/^labels left out of the map: \([0-9]*\) of 45.*/\1/p' <<<"$OUT")
if [ "${left:-0}" -le 8 ]; then ok; else bad "russia-kazakhstan: $left of 45 labels left out"; fi
for key in Orenburg Samara "West Kazakhstan" Kostanay Aktobe Astana "North Kazakhstan"; do
    case "$(grep 'labels left out' <<<"$OUT")" in *"'$key"*) bad "russia-kazakhstan: '$key' left out" ;; *) ok ;; esac
done
finish
