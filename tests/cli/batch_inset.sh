#!/usr/bin/env bash
# partnermap batch --inset auto: every run's map gets the inset (the batch decides one box and one
# scale for all runs), with its own scale bar; without --inset, none.
. "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null || { echo "pdftotext missing (poppler-utils)" >&2; exit 1; }
F=$SRC/geodata/samples/friendship-societies/ties.csv
{ head -1 "$F"; sed -n '2,15p' "$F"; } >"$WORK/a.csv"
{ head -1 "$F"; sed -n '2,25p' "$F"; } >"$WORK/b.csv"
printf 'name,ties\nfirst,a.csv\nsecond,b.csv\n' >"$WORK/m.csv"

run batch "$WORK/m.csv" --level country --inset auto --figures pdf --quiet -o "$WORK/inset"
expect_rc 0 inset-runs
A=$(pdftotext "$WORK/inset/first/map.pdf" - | tr '\n' ' ')
B=$(pdftotext "$WORK/inset/second/map.pdf" - | tr '\n' ' ')
# the world map has no scale bar of its own: the inset's is the one "km" (the same in both runs:
# one scale for the batch's insets)
SA=$(printf '%s' "$A" | grep -o '[0-9][0-9,]* km')
SB=$(printf '%s' "$B" | grep -o '[0-9][0-9,]* km')
[ -n "$SA" ] && ok || bad "first: no inset scale bar: $A"
[ -n "$SA" ] && [ "$SA" = "$SB" ] && ok || bad "the runs' insets differ in scale: '$SA' and '$SB'"
# the crowded places are labelled in the inset (Austria lies in it in both runs)
case "$A" in *Austria*) ok ;; *) bad "first: Austria not labelled: $A" ;; esac

run batch "$WORK/m.csv" --level country --figures pdf --quiet -o "$WORK/plain"
expect_rc 0 plain-runs
P=$(pdftotext "$WORK/plain/first/map.pdf" - | tr '\n' ' ')
case "$P" in *" km"*) bad "an inset's scale bar without --inset: $P" ;; *) ok ;; esac
# the batch's hash includes the inset: a rerun with --inset auto into the plain folder redraws
run batch "$WORK/m.csv" --level country --inset auto --figures pdf --quiet -o "$WORK/plain"
expect_rc 0 rerun
P=$(pdftotext "$WORK/plain/first/map.pdf" - | tr '\n' ' ')
case "$P" in *" km"*) ok ;; *) bad "the rerun with --inset auto kept the map without it: $P" ;; esac
finish
