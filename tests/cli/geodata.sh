# CLI cases for the embedded geodata (issue 11, items 3 and 4): anchors lie on a unit's largest
# part (Sakhalin Oblast on Sakhalin island, not on Ketoy ~750 km away), also for a user's --geo
# layer without label points, while a user's label point is kept; the reviewed Russian names
# (name_fixes.csv) reach exports and --label name_ru; check_geodata.py passes on world.gpkg.
. "$(dirname "$0")/lib.sh"

# attr GPKG CODE FIELD: the field of the place whose unit is CODE in the export's places layer
attr() { ogrinfo -ro -q "$1" -sql "SELECT $3 FROM places WHERE unit = '$2'" 2>/dev/null \
    | sed -n "s/^  $3 ([A-Za-z]*) = //p"; }
is_text() { # GOT WANT LABEL
    if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', want '$2'"; fi
}
# within V LO HI: V is a number in [LO, HI]
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }

printf 'from,to,from_country,to_country\nCZE-10369,RUS-2616,CZ,RU\nCZE-10371,RUS-2399,CZ,RU\nUKR-321,KAZ-4830,UA,KZ\n' \
    >"$WORK/ties.csv"
run export "$WORK/ties.csv" -o "$WORK/net.gpkg"; expect_rc 0 export
lon=$(attr "$WORK/net.gpkg" RUS-2616 anchor_lon); lat=$(attr "$WORK/net.gpkg" RUS-2616 anchor_lat)
if within "$lon" 142 143.5 && within "$lat" 46 54.5; then ok; else
    bad "Sakhalin Oblast's anchor $lon $lat is not on Sakhalin island"; fi
# the tie Plzeň - Sakhalin is measured from Sakhalin island (~7,930 km; from Ketoy it was ~8,540)
len=$(ogrinfo -ro -q "$WORK/net.gpkg" -sql "SELECT length_km FROM ties WHERE \"from\" = 'CZE-10369'" \
    | sed -n 's/^  length_km (Real) = //p')
if within "$len" 7800 8050; then ok; else bad "Plzeň-Sakhalin tie is $len km"; fi
is_text "$(attr "$WORK/net.gpkg" CZE-10369 name_ru)" "Пльзеньский край" plzen-ru
is_text "$(attr "$WORK/net.gpkg" CZE-10369 name_en)" "Plzeň Region" plzen-en
is_text "$(attr "$WORK/net.gpkg" CZE-10371 name_ru)" "Злинский край" zlin-ru
is_text "$(attr "$WORK/net.gpkg" RUS-2399 name_ru)" "Алтайский край" altai-ru
is_text "$(attr "$WORK/net.gpkg" RUS-2399 name_en)" "Altai Krai" altai-en
is_text "$(attr "$WORK/net.gpkg" UKR-321 name_ru)" "Киевская область" kyiv-oblast-ru
is_text "$(attr "$WORK/net.gpkg" KAZ-4830 name_en)" "Astana" astana-en

# --label name_ru draws the corrected names
run map "$WORK/ties.csv" -o "$WORK/ru.pdf" --label name_ru --theme print --page single
expect_rc 0 map-ru
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext "$WORK/ru.pdf" - 2>/dev/null)
    case "$txt" in *"Пльзеньский край"*) ok ;; *) bad "map: no label 'Пльзеньский край'" ;; esac
    case "$txt" in *"Пльзень-город"* | *"Республика Алтай"*) bad "map: a wrong Russian name" ;; *) ok ;; esac
fi

# a user's layer: a tall narrow part (area 20) and a flat wide islet (area 2.5), listed first.
# Without a label point the anchor is on the large part (GEOS' PointOnSurface of the whole
# multi-polygon picked the islet, whose scan line is wider).
cat >"$WORK/g.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"code": "ISL", "name": "Islands"}, "geometry": {"type": "MultiPolygon",
 "coordinates": [[[[20, 10], [25, 10], [25, 10.5], [20, 10.5], [20, 10]]],
                 [[[0, 0], [1, 0], [1, 20], [0, 20], [0, 0]]]]}},
{"type": "Feature", "properties": {"code": "OTH", "name": "Other"}, "geometry": {"type": "Polygon",
 "coordinates": [[[30, 30], [32, 30], [32, 32], [30, 32], [30, 30]]]}}]}
JSON
printf 'from,to\nISL,OTH\n' >"$WORK/u.csv"
for how in label surface; do
    run export "$WORK/u.csv" --geo "$WORK/g.geojson" --anchor "$how" -o "$WORK/u_$how.gpkg"
    expect_rc 0 "user-geo-$how"
    lon=$(attr "$WORK/u_$how.gpkg" ISL anchor_lon); lat=$(attr "$WORK/u_$how.gpkg" ISL anchor_lat)
    if within "$lon" 0 1 && within "$lat" 0 20; then ok; else
        bad "--anchor $how: anchor $lon $lat is not on the largest part"; fi
done
# ... but a label point the user gives is kept (--anchor label, the default), even on the islet
sed 's/"name": "Islands"}/"name": "Islands", "label_lon": 22.5, "label_lat": 10.25}/' \
    "$WORK/g.geojson" >"$WORK/gl.geojson"
run export "$WORK/u.csv" --geo "$WORK/gl.geojson" -o "$WORK/ul.gpkg"; expect_rc 0 user-label
is_text "$(attr "$WORK/ul.gpkg" ISL anchor_lon) $(attr "$WORK/ul.gpkg" ISL anchor_lat)" \
    "22.5 10.25" user-label-kept

# the whole world.gpkg: every anchor in its largest part, every reviewed name fix applied
if python3 "$SRC/geodata/check_geodata.py" "$SRC/geodata" >"$WORK/check.out" 2>"$WORK/check.err"; then
    ok; else bad "check_geodata.py: $(tail -3 "$WORK/check.err")"; fi
grep -q "4596 of 4596 anchors in the unit's largest polygon part" "$WORK/check.out" && ok \
    || bad "check_geodata.py did not check the anchors"
grep -q "name_fixes.csv: [0-9]* reviewed fixes, [0-9]* applied" "$WORK/check.out" && ok \
    || bad "check_geodata.py did not check name_fixes.csv"

finish
