# CLI cases for `partnermap join` and `partnermap map` on the sample datasets: complete joins,
# match kinds, unmatched places with suggestions and exit code 5, bad geometry sources, every
# figure format written, reproducible SVG/PDF, no partial outputs, both themes.
. "$(dirname "$0")/lib.sh"
S="$SRC/geodata/samples"

run join "$S/ussr-czechoslovakia-regions/ties.csv"
expect_rc 0 join-regions
expect_out "composite" join-regions-composite
expect_out "CSK-ZPC" join-regions-zapadocesky
expect_out "12 places: 6 normalised, 6 composite" join-regions-summary

run join "$S/sverdlovsk-kazakhstan/ties.csv" --format csv
expect_rc 0 join-kz
expect_out "KAZ-4829" join-kz-almaty-city
expect_out "KAZ-4830" join-kz-astana

run join "$S/ussr-czechoslovakia-cities/ties.csv" --places "$S/ussr-czechoslovakia-cities/places.csv" --format json
expect_rc 0 join-cities
if printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then ok; else bad "join json does not parse"; fi

# renamed units by alias, Cyrillic and transliterations by normalised names
cat >"$WORK/renamed.csv" <<'CSV'
from,to,from_country,to_country
Gorky Oblast,Gottwaldov,RU,CZ
Свердловская область,Tselinograd,RU,KZ
Sverdlovskaya obl.,Alma-Ata,RU,KZ
CSV
run join "$WORK/renamed.csv" --format csv
expect_rc 0 join-renamed
expect_out "RUS-2357" gorky-nizhny
expect_out "KAZ-4830" tselinograd-astana
expect_out "KAZ-4829" alma-ata-city
expect_out "RUS-2386" sverdlovsk-cyrillic

# a name shared by today's unit and a historical one: ambiguous without a country, decided by it
printf 'from,to\nPraha,Sverdlovsk Oblast\n' >"$WORK/praha.csv"
run join "$WORK/praha.csv"
expect_rc 5 praha-ambiguous; expect_out "ambiguous" praha-ambiguous
printf 'from,to,from_country,to_country\nPraha,Sverdlovsk Oblast,CS,RU\n' >"$WORK/praha-cs.csv"
run join "$WORK/praha-cs.csv"
expect_rc 0 praha-cs; expect_out "CSK-PHA" praha-cs
printf 'from,to,from_country,to_country\nPraha,Sverdlovsk Oblast,CZ,RU\n' >"$WORK/praha-cz.csv"
run join "$WORK/praha-cz.csv"
expect_rc 0 praha-cz; expect_out "CZE-1595" praha-cz

# unmatched: report, suggestions, exit 5; map refuses and writes nothing
printf 'from,to\nSverdlovsk Oblast,Atlantis\n' >"$WORK/unmatched.csv"
run join "$WORK/unmatched.csv"
expect_rc 5 join-unmatched
expect_out "unmatched" join-unmatched-kind
expect_err "not joined" join-unmatched-msg
run map "$WORK/unmatched.csv" -o "$WORK/u.png"
expect_rc 5 map-unmatched
expect_err "partnermap join" map-unmatched-hint
expect_no_file "$WORK/u.png" map-unmatched
run map "$WORK/unmatched.csv" -o "$WORK/u.png" --allow-unmatched
expect_rc 0 map-allow-unmatched
expect_err "left out of maps" map-allow-unmatched-warning

# bad geometry sources
run join "$WORK/renamed.csv" --geo "$WORK/nothing.gpkg"
expect_rc 4 geo-missing; expect_err "nothing.gpkg" geo-missing
run join "$WORK/renamed.csv" --geo "$SRC/geodata/world.gpkg" --geo-layer nolayer
expect_rc 2 geo-nolayer; expect_err "nolayer" geo-nolayer
run join "$WORK/renamed.csv" --geo "$SRC/geodata/world.gpkg" --geo-layer admin1 --geo-key nofield
expect_rc 2 geo-nofield; expect_err "nofield" geo-nofield
if command -v ogr2ogr >/dev/null; then
    ogr2ogr -f GeoJSON "$WORK/nocrs.geojson" "$SRC/geodata/world.gpkg" admin1 -where "adm0_a3='CZE'" -select adm1_code,name 2>/dev/null
    ogr2ogr -f "ESRI Shapefile" "$WORK/nocrs.shp" "$WORK/nocrs.geojson" 2>/dev/null
    rm -f "$WORK/nocrs.prj"
    run join "$WORK/renamed.csv" --geo "$WORK/nocrs.shp" --allow-unmatched
    expect_rc 0 geo-nocrs; expect_err "no coordinate reference system; assuming WGS 84" geo-nocrs
    # a user's own GeoJSON works
    printf 'from,to\nPrague,Jihomoravský kraj\n' >"$WORK/cz.csv"
    run join "$WORK/cz.csv" --geo "$WORK/nocrs.geojson"
    expect_rc 0 geo-geojson
fi

# maps: every format from one run, reproducible vector output, metadata
run map "$S/ussr-czechoslovakia-regions/ties.csv" -o "$WORK/r.png" -o "$WORK/r.svg" -o "$WORK/r.pdf" --title "Regional partnerships"
expect_rc 0 map-three
for f in r.png r.svg r.pdf; do if [ -s "$WORK/$f" ]; then ok; else bad "map did not write $f"; fi; done
if head -c 8 "$WORK/r.png" | grep -q PNG; then ok; else bad "not a PNG"; fi
if grep -q "partnermap" "$WORK/r.svg"; then ok; else bad "svg metadata lacks partnermap"; fi
"$PM" map "$S/ussr-czechoslovakia-regions/ties.csv" -o "$WORK/r2.png" -o "$WORK/r2.svg" -o "$WORK/r2.pdf" --title "Regional partnerships" 2>/dev/null
sed 's/r2\.png/r.png/g; s/r2\.svg/r.svg/g; s/r2\.pdf/r.pdf/g' "$WORK/r2.svg" >"$WORK/r2n.svg"
expect_same "$WORK/r.svg" "$WORK/r2n.svg" svg-reproducible
# the same command in two folders writes byte-identical PDF and SVG
mkdir -p "$WORK/d1" "$WORK/d2"
(cd "$WORK/d1" && "$PM" map "$S/ussr-czechoslovakia-regions/ties.csv" -o f.pdf -o f.svg --quiet)
(cd "$WORK/d2" && "$PM" map "$S/ussr-czechoslovakia-regions/ties.csv" -o f.pdf -o f.svg --quiet)
expect_same "$WORK/d1/f.pdf" "$WORK/d2/f.pdf" pdf-reproducible
expect_same "$WORK/d1/f.svg" "$WORK/d2/f.svg" svg-reproducible-2
if command -v pdftotext >/dev/null; then
    pdftotext "$WORK/r.pdf" - | grep -q "Západočeský\|Sverdlovsk" && ok || bad "pdf text not searchable"
fi

# Cyrillic labels, print theme, page presets, directed
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/kz.pdf" --label name_ru --theme print --page single
expect_rc 0 map-print-cyrillic
if command -v pdftotext >/dev/null; then
    pdftotext "$WORK/kz.pdf" - | grep -q "Свердловская" && ok || bad "Cyrillic label missing from the PDF"
fi
run map "$S/ussr-czechoslovakia-cities/ties.csv" --places "$S/ussr-czechoslovakia-cities/places.csv" -o "$WORK/c.png" --directed --size 120x90mm --dpi 150
expect_rc 0 map-cities-directed
run map "$S/friendship-societies/ties.csv" --level country -o "$WORK/f.png"
expect_rc 0 map-countries
# Equal Earth draws the pole as a line: ties to Canada and the USA are arcs, not polar paths
expect_err "near a pole drawn as arcs" map-polar-ties

# usage errors and failures leave nothing behind
run map "$S/sverdlovsk-kazakhstan/ties.csv"
expect_rc 2 map-no-output
# a page outside 30 to 1000 mm (the man page's bounds) is a usage error, by --page or --size, with
# the one parser's message (pm_render_parse_page)
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/tiny.png" --page 5x5
expect_rc 2 map-page-too-small; expect_err "30 to 1000 mm" map-page-too-small; expect_no_file "$WORK/tiny.png" map-page-too-small
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/huge.png" --size 1500x900mm
expect_rc 2 map-page-too-large
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/x.bmp"
expect_rc 2 map-bad-format; expect_no_file "$WORK/x.bmp" map-bad-format
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/ok.png" -o "$WORK/no/dir/x.svg"
expect_rc 4 map-unwritable; expect_no_file "$WORK/ok.png" map-unwritable-all-or-nothing
# killed while drawing: neither the figures nor their temporary files are left. The signal is
# sent while a figure's temporary file exists (a 600 dpi page takes about a second), so the
# interrupted path is the one that runs: exit 143 and nothing left.
mkdir -p "$WORK/killed"
"$PM" map "$S/ussr-czechoslovakia-regions/ties.csv" --dpi 600 --page 10x8in --quiet \
    -o "$WORK/killed/k.png" -o "$WORK/killed/k.pdf" &
pid=$!
for i in $(seq 1 400); do
    if [ -n "$(find "$WORK/killed" -name '.k.*.??????' | head -1)" ]; then break; fi
    sleep 0.02
done
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
n=$(find "$WORK/killed" -name 'k.*' | wc -l)
if [ "$rc" -eq 143 ] && [ "$n" -eq 0 ]; then ok; else bad "map killed while drawing: exit $rc, $n figure(s)"; fi
if find "$WORK/killed" -name '.*.??????' | grep -q .; then bad "temporary files left"; else ok; fi
rm -f "$WORK/killed"/k.*
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/y.png" --fill colour
expect_rc 2 map-bad-fill; expect_no_file "$WORK/y.png" map-bad-fill
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/y.png" --classes manual:5,1
expect_rc 2 map-bad-breaks
run map "$S/sverdlovsk-kazakhstan/ties.csv" -o "$WORK/y.png" --theme neon
expect_rc 2 map-bad-theme

# communities are categories: one class each, integer legend labels
run map "$S/ussr-czechoslovakia-regions/ties.csv" --fill community -o "$WORK/comm.pdf"
expect_rc 0 map-community
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext "$WORK/comm.pdf" -)
    case "$txt" in *Community*) ok ;; *) bad "community legend title" ;; esac
    case "$txt" in *"0.5"*|*"1.5"*) bad "community legend shows class edges" ;; *) ok ;; esac
fi

# a map never writes over its inputs
cp "$S/sverdlovsk-kazakhstan/ties.csv" "$WORK/kz.csv"
run map "$WORK/kz.csv" -o "$WORK/kz.png" --stats "$WORK/kz.csv"
expect_rc 2 map-output-is-input
expect_same "$WORK/kz.csv" "$S/sverdlovsk-kazakhstan/ties.csv" map-input-unchanged
expect_no_file "$WORK/kz.png" map-output-is-input

# stats with geography
run stats "$S/ussr-czechoslovakia-regions/ties.csv" --spatial --format csv
expect_rc 0 stats-spatial
expect_out "mean_tie_km,max_tie_km" stats-spatial-columns
run stats "$S/ussr-czechoslovakia-regions/ties.csv" --spatial --summary --format csv
expect_out "share_neighbours," stats-spatial-neighbours

finish
