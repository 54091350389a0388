# CLI cases for what the geometry and the projection must not accept without a word: a --crs that
# splits the places between the map's edges (EPSG:4326 and 3857 across the Bering Strait) warns
# and names a projection centred on them; the automatic projection does not warn. A --geo layer
# without a CRS is taken as longitude/latitude with a warning (refused when its coordinates cannot
# be), one with an undefined datum warns; invalid polygons (bow-tie, zero area, a hole outside its
# shell) are named with what is wrong and repaired where that is safe, so the exported polygons
# are valid.
. "$(dirname "$0")/lib.sh"

printf 'from,to\nChukotka,Alaska\nKamchatka,Alaska\n' >"$WORK/bering.csv"
for crs in EPSG:4326 EPSG:3857; do
    run map "$WORK/bering.csv" --crs $crs --dpi 50 -o "$WORK/b.png"
    expect_rc 0 "bering $crs"
    expect_err "warning: --crs '$crs' has its edge at longitude 180, across the places" "bering $crs"
    expect_err "leave out --crs" "bering $crs"
    expect_err "+proj=laea +lon_0=-176" "bering $crs"
done
run map "$WORK/bering.csv" --dpi 50 -o "$WORK/b.png"
expect_rc 0 bering-auto
case "$ERR" in *"has its edge"*) bad "automatic projection warned: $ERR" ;; *) ok ;; esac
run map "$WORK/bering.csv" --crs '+proj=laea +lon_0=-176 +lat_0=63' --dpi 50 -o "$WORK/b.png"
case "$ERR" in *"has its edge"*) bad "centred projection warned: $ERR" ;; *) ok ;; esac
# Europe in EPSG:4326 is not split
printf 'from,to\nSverdlovsk Oblast,Voronezh Oblast\n' >"$WORK/eu.csv"
run map "$WORK/eu.csv" --crs EPSG:4326 --dpi 50 -o "$WORK/e.png"
expect_rc 0 europe-4326
case "$ERR" in *"has its edge"*) bad "europe warned: $ERR" ;; *) ok ;; esac

# invalid polygons in a user's layer
cat >"$WORK/bad.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"code": "OK", "name": "Goodland"}, "geometry": {"type": "Polygon", "coordinates": [[[14, 50], [15, 50], [15, 51], [14, 51], [14, 50]]]}},
{"type": "Feature", "properties": {"code": "BT", "name": "Bowtie"}, "geometry": {"type": "Polygon", "coordinates": [[[16, 48], [18, 50], [18, 48], [16, 50], [16, 48]]]}},
{"type": "Feature", "properties": {"code": "HO", "name": "Holey"}, "geometry": {"type": "Polygon", "coordinates": [[[20, 48], [21, 48], [21, 49], [20, 49], [20, 48]], [[25, 48], [26, 48], [26, 49], [25, 48]]]}},
{"type": "Feature", "properties": {"code": "ZA", "name": "Flatland"}, "geometry": {"type": "Polygon", "coordinates": [[[22, 48], [23, 48], [24, 48], [22, 48]]]}}
]}
JSON
printf 'from,to
Goodland,Bowtie
Bowtie,Holey
Holey,Flatland
' >"$WORK/bad.csv"
run join "$WORK/bad.csv" --geo "$WORK/bad.geojson"
expect_rc 0 invalid-join
expect_err "bad.geojson, layer 'bad': feature 1 ('Bowtie') is not a valid polygon: its outer ring crosses itself (a bow-tie); repaired with MakeValid" invalid-bowtie
expect_err "feature 2 ('Holey') is not a valid polygon: 1 hole lies outside its outer ring (removing nothing); dropped" invalid-hole
expect_err "feature 3 ('Flatland') is not a valid polygon: it has zero area" invalid-zero
case "$ERR" in *Goodland*) bad "a valid polygon was reported: $ERR" ;; *) ok ;; esac
run export "$WORK/bad.csv" --geo "$WORK/bad.geojson" -o "$WORK/bad_out.gpkg" --quiet
expect_rc 0 invalid-export
if command -v ogrinfo >/dev/null; then
    v=$(ogrinfo -ro -q "$WORK/bad_out.gpkg" -sql "SELECT count(*) AS n FROM places WHERE NOT ST_IsValid(geom) AND place <> 'Flatland'" 2>/dev/null | sed -n 's/.*n (Integer) = //p')
    if [ "$v" = "0" ]; then ok; else bad "exported polygons not all valid (but the zero-area one, left as it is): '$v'"; fi
fi

# a layer without a CRS: lon/lat coordinates are taken as WGS 84 with a warning; others refused
if command -v ogr2ogr >/dev/null; then
    ogr2ogr -f "ESRI Shapefile" "$WORK/nocrs.shp" "$WORK/bad.geojson" 2>/dev/null
    rm -f "$WORK/nocrs.prj"
    run join "$WORK/bad.csv" --geo "$WORK/nocrs.shp"
    expect_rc 0 nocrs-lonlat
    expect_err "layer 'nocrs' of '$WORK/nocrs.shp' has no coordinate reference system; assuming WGS 84 longitude/latitude" nocrs-lonlat
    ogr2ogr -f "ESRI Shapefile" "$WORK/metres.shp" "$WORK/bad.geojson" -t_srs EPSG:3035 2>/dev/null
    rm -f "$WORK/metres.prj"
    run join "$WORK/bad.csv" --geo "$WORK/metres.shp"
    expect_rc 3 nocrs-metres
    expect_err "has no coordinate reference system, and its coordinates" nocrs-metres
    # a geographic CRS with an undefined datum
    cp "$WORK/nocrs.shp" "$WORK/unk.shp"; cp "$WORK/nocrs.shx" "$WORK/unk.shx"; cp "$WORK/nocrs.dbf" "$WORK/unk.dbf"
    printf 'GEOGCS["GCS_unknown",DATUM["D_unknown",SPHEROID["Sphere",6371000.0,0.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]' >"$WORK/unk.prj"
    run join "$WORK/bad.csv" --geo "$WORK/unk.shp"
    expect_rc 0 unknown-datum
    expect_err "has a geographic coordinate reference system with an undefined datum" unknown-datum
fi

finish
