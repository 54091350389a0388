# map --facet period: small multiples by period. The figure's text is read back from the PDF
# (pdftotext: the PDF keeps real text), the tie tones from the SVG's stroke colours.
. "$(dirname "$0")/lib.sh"

W=$WORK
S=$SRC/geodata/samples/ussr-czechoslovakia-cities
PL=(--places "$S/places.csv")

# the main job's figure: decades from the 1940s, one panel each, in three formats
run map "$S/ties.csv" "${PL[@]}" --fill none --facet period --step 10 -o "$W/f.pdf" -o "$W/f.svg" \
    -o "$W/f.png"
expect_rc 0 sample
expect_err "6 ties without a start year left out of every period" sample-undated
# a panel's labels left out are named with its period
expect_err "1970–1979: 3 of 15 place labels left out" sample-labels-by-period
for f in f.pdf f.svg f.png; do [ -s "$W/$f" ] && ok || bad "sample: $f missing"; done
TXT=$(pdftotext -layout "$W/f.pdf" - 2>/dev/null)
for want in "1940–1949" "1950–1959" "1960–1969" "1970–1979" "1980–1989" "1990–1995" \
    "new in the period" "continuing from before" "places without ties in a period are not drawn" \
    "6 of 14 ties have no start year and are not shown"; do
    case "$TXT" in *"$want"*) ok ;; *) bad "sample: the PDF lacks '$want'" ;; esac
done
# one legend and one scale bar for the figure, not one per panel
[ "$(grep -o "Strength" <<<"$TXT" | wc -l)" -eq 1 ] && ok || bad "sample: more than one legend"
[ "$(grep -o "500 km" <<<"$TXT" | wc -l)" -eq 1 ] && ok || bad "sample: more than one scale bar"

# new vs continuing: a tie of 1955 is new in the 1950s (dark) and continuing in the 1960s (light)
FADED='rgb(66.0'
printf 'from,to,start,end\nPraha,Brno,1955,\nBrno,Ostrava,1962,1964\n' >"$W/t.csv"
printf 'name,lon,lat\nPraha,14.44,50.08\nBrno,16.61,49.20\nOstrava,18.26,49.82\n' >"$W/p.csv"
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1959,1960-1969 \
    -o "$W/nc.svg" -o "$W/nc.pdf"
expect_rc 0 new-continuing
grep -q "$FADED" "$W/nc.svg" && ok || bad "new-continuing: no tie in the lighter tone"
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1959 -o "$W/n.svg"
expect_rc 0 all-new
grep -q "$FADED" "$W/n.svg" && bad "all-new: a tie in the lighter tone" || ok
case "$(pdftotext "$W/nc.pdf" - 2>/dev/null)" in
*"continuing from before"*) ok ;; *) bad "new-continuing: the key lacks the light tone" ;; esac

# a period without a tie: an empty panel with its title, and a warning
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1940-1949,1950-1959 -o "$W/e.pdf"
expect_rc 0 empty-panel
expect_err "1 of 2 periods have no tie: their panels are empty" empty-panel
TXT=$(pdftotext "$W/e.pdf" - 2>/dev/null)
case "$TXT" in *"1940–1949"*"no ties"*) ok ;; *) bad "empty-panel: title or 'no ties' missing" ;; esac
# --open-end closes open ties: Praha-Brno (1955, open) ends in 1958, the 1960s keep Brno-Ostrava
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1959,1965-1969 \
    --open-end 1958 -o "$W/o.pdf"
expect_rc 0 open-end
expect_err "1 of 2 periods have no tie" open-end
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1959,1965-1969 -o "$W/o.pdf"
expect_rc 0 open-end-default
case "$ERR" in *"periods have no tie"*) bad "open-end-default: an open tie ended" ;; *) ok ;; esac
# no tie in any period
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1900-1909 -o "$W/z.pdf"
expect_rc 3 no-tie-at-all
expect_err "no tie is active in any of the periods" no-tie-at-all
expect_no_file "$W/z.pdf" no-tie-at-all

# --undated all: the undated tie is in every panel
printf 'from,to,start\nPraha,Brno,1955\nBrno,Ostrava,\n' >"$W/u.csv"
run map "$W/u.csv" --places "$W/p.csv" --facet period --periods 1940-1949,1950-1959 \
    --undated all -o "$W/u.pdf"
expect_rc 0 undated-all
expect_err "1 tie without a start year drawn in every period" undated-all
case "$ERR" in *"have no tie"*) bad "undated-all: an empty panel" ;; *) ok ;; esac
run map "$W/u.csv" --places "$W/p.csv" --facet period --periods 1940-1949,1950-1959 -o "$W/u.pdf"
expect_err "1 of 2 periods have no tie" undated-drop

# --page single names a column's width: six panels stack in a figure taller than the single
# map's 70 mm (the height is a maximum of 230 mm); an explicit WxH page is a maximum too
run map "$S/ties.csv" "${PL[@]}" --facet period --step 10 --page single --dpi 100 -o "$W/s.png"
expect_rc 0 page-single
H=$(gdalinfo "$W/s.png" 2>/dev/null | sed -n 's/^Size is [0-9]*, \([0-9]*\)$/\1/p')
[ "${H:-0}" -gt 400 ] && ok || bad "page-single: the figure is ${H:-?} px high (70 mm is 276)"
run map "$S/ties.csv" "${PL[@]}" --facet period --step 10 --page 90x80 --dpi 100 -o "$W/s2.png"
expect_rc 0 page-wxh
H=$(gdalinfo "$W/s2.png" 2>/dev/null | sed -n 's/^Size is [0-9]*, \([0-9]*\)$/\1/p')
[ "${H:-999}" -le 316 ] && ok || bad "page-wxh: the figure is ${H:-?} px high (80 mm is 315)"

# usage errors: exit 2, nothing written
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1960,1960-1969 -o "$W/x.pdf"
expect_rc 2 overlap
expect_err "1950-1960 and 1960-1969 overlap (1960 is in both)" overlap
expect_no_file "$W/x.pdf" overlap
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 50-59 -o "$W/x.pdf"
expect_rc 2 two-digit-period
expect_err "write years in full" two-digit-period
run map "$W/t.csv" --places "$W/p.csv" --periods 1950-1959 -o "$W/x.pdf"
expect_rc 2 periods-without-facet
expect_err "--periods is for small multiples: add --facet period" periods-without-facet
run map "$W/t.csv" --facet year -o "$W/x.pdf"
expect_rc 2 facet-unknown
run map "$W/t.csv" --facet period --step 10 --periods 1950-1959 -o "$W/x.pdf"
expect_rc 2 step-and-periods
expect_err "--periods names every period: leave out --step" step-and-periods
run map "$W/t.csv" --facet period --period 1950-1969 --periods 1950-1959 -o "$W/x.pdf"
expect_rc 2 range-and-periods
expect_err "--periods names every period: leave out --period" range-and-periods
run map "$W/t.csv" --facet period --undated some -o "$W/x.pdf"
expect_rc 2 undated-bad
run map "$W/t.csv" --facet period --step 1 --period 1800-1899 -o "$W/x.pdf"
expect_rc 2 too-many-panels
expect_err "more than a page holds" too-many-panels
run map "$W/t.csv" --places "$W/p.csv" --facet period --periods 1950-1959 --cols 3 -o "$W/x.pdf"
expect_rc 2 cols-over-panels
expect_no_file "$W/x.pdf" cols-over-panels

# bad dates: exit 3 with file:line
printf 'from,to,start\nPraha,Brno,1955\nBrno,Ostrava,67\n' >"$W/d2.csv"
run map "$W/d2.csv" --places "$W/p.csv" --facet period --step 10 -o "$W/x.pdf"
expect_rc 3 two-digit-year
expect_err "d2.csv:3: '67' in column 'start' is not a plausible year" two-digit-year
printf 'from,to,start,end\nPraha,Brno,1955,\nBrno,Ostrava,1970,1960\n' >"$W/d3.csv"
run map "$W/d3.csv" --places "$W/p.csv" --facet period --step 10 -o "$W/x.pdf"
expect_rc 3 end-before-start
expect_err "d3.csv:3: the tie ends (1960) before it starts (1970)" end-before-start
expect_no_file "$W/x.pdf" end-before-start
printf 'from,to\nPraha,Brno\n' >"$W/nodate.csv"
run map "$W/nodate.csv" --places "$W/p.csv" --facet period --step 10 -o "$W/x.pdf"
expect_rc 3 no-date-column
expect_err "needs a column of start years or dates" no-date-column
# mixed years and ISO dates: the year counts
printf 'from,to,start,end\nPraha,Brno,1955-03-01,\nBrno,Ostrava,1962,1964-12-31\n' >"$W/iso.csv"
run map "$W/iso.csv" --places "$W/p.csv" --facet period --periods 1950-1959,1960-1969 -o "$W/i.svg"
expect_rc 0 iso-dates
grep -q "$FADED" "$W/i.svg" && ok || bad "iso-dates: the 1955 tie is not continuing in the 1960s"

# batch: a manifest's run with --facet period draws small multiples as its map.*; its other
# files are those of the whole run; a bad facet option fails that run only
mkdir "$W/b"
cp "$W/t.csv" "$W/b/t.csv"
cat >"$W/b/m.csv" <<'MANIFEST'
name,ties,options
decades,t.csv,"--facet period --periods 1950-1959,1960-1969"
all,t.csv,
over,t.csv,"--facet period --periods 1950-1960,1955-1969"
MANIFEST
run batch --places "$W/p.csv" --figures pdf --quiet -o "$W/b/out" "$W/b/m.csv"
expect_rc 3 batch
TXT=$(pdftotext "$W/b/out/decades/map.pdf" - 2>/dev/null)
case "$TXT" in *"1950–1959"*"1960–1969"*"continuing from before"*) ok ;;
*) bad "batch: the facet run's map.pdf is not small multiples" ;; esac
case "$(pdftotext "$W/b/out/all/map.pdf" - 2>/dev/null)" in
*"1950–1959"*) bad "batch: the plain run drew small multiples" ;; *) ok ;; esac
for f in stats.csv summary.csv join.csv .partnermap-hash; do
    [ -e "$W/b/out/decades/$f" ] && ok || bad "batch: decades/$f missing"
done
grep -q '^2,over,failed,.*overlap' "$W/b/out/summary.csv" && ok ||
    bad "batch: the overlapping run did not fail with its reason: $(cat "$W/b/out/summary.csv")"
[ -e "$W/b/out/over/.partnermap-hash" ] && bad "batch: the failed run has a hash" || ok

finish
