# CLI cases for `partnermap export`: GeoPackage and GeoJSON read back with ogrinfo (layers, feature
# counts, fields, geometry types, counts equal to `stats`), GraphML parsed as XML, GML counted;
# ties split at the antimeridian; unmatched places (exit 5, or kept without geometry); bad
# extension, unwritable output, an input as output: exit codes and nothing left behind; the same
# bytes in every locale and on every run.
. "$(dirname "$0")/lib.sh"

REGIONS="$SRC/geodata/samples/ussr-czechoslovakia-regions/ties.csv"
CITIES="$SRC/geodata/samples/ussr-czechoslovakia-cities/ties.csv"
CITY_PLACES="$SRC/geodata/samples/ussr-czechoslovakia-cities/places.csv"

PLACE_FIELDS="id,place,unit,unit_name,name_en,name_ru,country,match,group,anchor_lon,anchor_lat,degree,strength,betweenness,closeness,eigenvector,pagerank,community,component,mean_tie_km,max_tie_km"
TIE_FIELDS="from_id,to_id,from,to,weight,rows,probable,length_km,touching,domestic,start,end,start_date,end_date,type,confidence,source_url,source_quote,notes,area,from_alt_name,to_alt_name"

# counts FILE: "layer=count" for every layer, space-separated
counts() { ogrinfo -so -al "$1" 2>/dev/null | awk '/^Layer name:/ { l = $3 } /^Feature Count:/ { printf "%s=%s ", l, $3 }'; }
# fields FILE LAYER: the layer's field names, comma-separated
fields() { ogrinfo -so "$1" "$2" 2>/dev/null | awk -F: '/^[a-z_]+: (String|Integer|Integer64|Real|Date) / { printf "%s%s", s, $1; s = "," }'; }
# geomtype FILE LAYER
geomtype() { ogrinfo -so "$1" "$2" 2>/dev/null | sed -n 's/^Geometry: //p'; }
expect_eq() { # GOT WANT LABEL
    if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', want '$2'"; fi
}
# xml_counts FILE: "nodes edges edgedefault" of a GraphML file, or "unparsable"
xml_counts() {
    python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
g = d.getElementsByTagName("graph")[0]
print(len(d.getElementsByTagName("node")), len(d.getElementsByTagName("edge")), g.getAttribute("edgedefault"))' "$1" 2>/dev/null || echo unparsable
}

run export --help; expect_rc 0 help; expect_out "X_ties.geojson" help; expect_out "--densify KM" help
expect_out "Exit status" help
run export "$REGIONS"; expect_rc 2 no-output; expect_err "add -o FILE.gpkg" no-output
run export -o "$WORK/x.gpkg"; expect_rc 2 no-input; expect_err "no tie table" no-input
run export "$REGIONS" --densify 0 -o "$WORK/x.gpkg"; expect_rc 2 bad-densify
expect_no_file "$WORK/x.gpkg" bad-densify

# bad extension: usage error naming the choices, nothing written
run export "$REGIONS" -o "$WORK/net.gpkg" -o "$WORK/net.shp"
expect_rc 2 bad-extension; expect_err "unknown output format .shp" bad-extension
expect_err ".gpkg, .geojson (QGIS), .graphml or .gml (Gephi)" bad-extension
expect_no_file "$WORK/net.gpkg" bad-extension
run export "$REGIONS" -o "$WORK/net"; expect_rc 2 no-extension

# the regions sample in all four formats at once
run export "$REGIONS" -o "$WORK/r.gpkg" -o "$WORK/r.geojson" -o "$WORK/r.graphml" -o "$WORK/r.gml"
expect_rc 0 regions
expect_eq "$(counts "$WORK/r.gpkg")" "places=12 ties=6 " gpkg-counts
expect_eq "$(fields "$WORK/r.gpkg" places)" "$PLACE_FIELDS" gpkg-place-fields
expect_eq "$(fields "$WORK/r.gpkg" ties)" "$TIE_FIELDS" gpkg-tie-fields
expect_eq "$(geomtype "$WORK/r.gpkg" places)" "Multi Polygon" gpkg-polygons
expect_eq "$(geomtype "$WORK/r.gpkg" ties)" "Multi Line String" gpkg-lines
if ogrinfo -so "$WORK/r.gpkg" places 2>/dev/null | grep -q 'ID\["EPSG",4326\]'; then ok; else bad "gpkg: not EPSG:4326"; fi
# the same numbers as `stats`
"$PM" stats "$REGIONS" --summary --format csv >"$WORK/summary.csv" 2>/dev/null
expect_eq "$(grep '^places,' "$WORK/summary.csv" | cut -d, -f2)" 12 stats-places
expect_eq "$(grep '^ties,' "$WORK/summary.csv" | cut -d, -f2)" 6 stats-ties
ogrinfo -q "$WORK/r.gpkg" -sql "SELECT place, unit, match, degree FROM places WHERE place = 'Západočeský kraj'" >"$WORK/row.txt" 2>&1
if grep -q "unit (String) = CSK-ZPC" "$WORK/row.txt" && grep -q "match (String) = composite" "$WORK/row.txt"; then ok; else bad "gpkg row: $(cat "$WORK/row.txt")"; fi
ogrinfo -q "$WORK/r.gpkg" -sql "SELECT \"from\", \"to\", probable, length_km FROM ties WHERE \"from\" = 'Voronezh Oblast'" >"$WORK/tie.txt" 2>&1
if grep -q "to (String) = Jihomoravský kraj" "$WORK/tie.txt" && grep -q "probable (Integer) = 1" "$WORK/tie.txt"; then ok; else bad "gpkg tie row (as written, probable): $(cat "$WORK/tie.txt")"; fi

# GeoJSON: the places in r.geojson, the ties in r_ties.geojson
expect_eq "$(counts "$WORK/r.geojson")" "places=12 " geojson-places
expect_eq "$(counts "$WORK/r_ties.geojson")" "ties=6 " geojson-ties
expect_eq "$(fields "$WORK/r.geojson" places)" "$PLACE_FIELDS" geojson-place-fields
expect_eq "$(fields "$WORK/r_ties.geojson" ties)" "$TIE_FIELDS" geojson-tie-fields

# GraphML: parses, 12 nodes, 6 edges, undirected, typed keys for Gephi
expect_eq "$(xml_counts "$WORK/r.graphml")" "12 6 undirected" graphml
for key in '"label" for="node" attr.name="label" attr.type="string"' '"x" for="node"' \
    '"latitude" for="node" attr.name="latitude" attr.type="double"' \
    '"degree" for="node" attr.name="degree" attr.type="int"' \
    '"weight" for="edge" attr.name="weight" attr.type="double"' '"length_km" for="edge"'; do
    if grep -q "<key id=$key" "$WORK/r.graphml"; then ok; else bad "graphml lacks key $key"; fi
done
if head -1 "$WORK/r.graphml" | grep -q 'encoding="UTF-8"'; then ok; else bad "graphml: no UTF-8 declaration"; fi
# GML: 12 nodes, 6 edges, undirected
expect_eq "$(grep -c '^  node$' "$WORK/r.gml") $(grep -c '^  edge$' "$WORK/r.gml") $(grep -c '^  directed 0$' "$WORK/r.gml")" "12 6 1" gml
if grep -q 'label "Západočeský kraj"' "$WORK/r.gml"; then ok; else bad "gml: label not as written"; fi

# cities (points) with --directed: in/out degree
run export "$CITIES" --places "$CITY_PLACES" --directed -o "$WORK/c.gpkg" -o "$WORK/c.graphml"
expect_rc 0 cities
expect_eq "$(counts "$WORK/c.gpkg")" "places=26 ties=14 " cities-counts
expect_eq "$(geomtype "$WORK/c.gpkg" places)" "Point" cities-points
case "$(fields "$WORK/c.gpkg" places)" in
*,in_degree,out_degree,mean_tie_km,max_tie_km) ok ;;
*) bad "cities: no in/out degree: $(fields "$WORK/c.gpkg" places)" ;;
esac
expect_eq "$(xml_counts "$WORK/c.graphml")" "26 14 directed" cities-graphml

# rewriting an output replaces it (not appended to)
run export "$CITIES" --places "$CITY_PLACES" -o "$WORK/c.gpkg"
expect_rc 0 rewrite; expect_eq "$(counts "$WORK/c.gpkg")" "places=26 ties=14 " rewrite-counts

# a tie across the antimeridian is split in two parts meeting at 180 / -180
printf 'name,lon,lat,country\nAnadyr,177.5,64.73,RU\nNome,-165.4,64.5,US\n' >"$WORK/pts.csv"
printf 'from,to\nAnadyr,Nome\n' >"$WORK/am.csv"
run export "$WORK/am.csv" --places "$WORK/pts.csv" -o "$WORK/am.gpkg"
expect_rc 0 antimeridian
ogrinfo -q "$WORK/am.gpkg" ties >"$WORK/am.txt" 2>&1
if grep -Eq 'MULTILINESTRING \(\(177\.5 64\.73,.*,180(\.0)? [0-9.]+\),\(-180(\.0)? [0-9.]+,.*,-165\.4 64\.5\)\)' "$WORK/am.txt"; then ok; else bad "antimeridian: $(grep MULTI "$WORK/am.txt" | cut -c1-200)"; fi

# an unmatched place: exit 5 and no output; with --allow-unmatched kept without geometry
printf 'from,to\nSverdlovsk Oblast,Atlantis\nSverdlovsk Oblast,Tula Oblast\n' >"$WORK/un.csv"
run export "$WORK/un.csv" -o "$WORK/un.gpkg" -o "$WORK/un.graphml"
expect_rc 5 unmatched; expect_err "Atlantis" unmatched
expect_no_file "$WORK/un.gpkg" unmatched; expect_no_file "$WORK/un.graphml" unmatched
run export "$WORK/un.csv" --allow-unmatched -o "$WORK/un.gpkg"
expect_rc 0 allow-unmatched; expect_err "1 place without a unit written without geometry" allow-unmatched
expect_eq "$(counts "$WORK/un.gpkg")" "places=3 ties=2 " allow-unmatched-counts
ogrinfo -q "$WORK/un.gpkg" -sql "SELECT count(*) AS n FROM places WHERE geom IS NULL AND match = 'unmatched'" >"$WORK/n.txt" 2>&1
if grep -q "n (Integer) = 1" "$WORK/n.txt"; then ok; else bad "unmatched place: $(cat "$WORK/n.txt")"; fi

# a tie's years, type, confidence and the table's own columns are kept; a tie merged from rows
# gets the earliest start, the latest end (none when a row is still active), and the different
# values of a text column joined with "; "
cat >"$WORK/merge.csv" <<'CSV'
from,to,from_country,to_country,start,end,type,confidence,archive ref,area
Sverdlovsk Oblast,Západočeský kraj,RU,CS,1970,1980,region partnership,documented,F-1,industry
Západočeský kraj,Sverdlovsk Oblast,CS,RU,1966,1975,friendship society,probable,F-2,industry
Voronezh Oblast,Jihomoravský kraj,RU,CS,1967,1989,region partnership,documented,,
Jihomoravský kraj,Voronezh Oblast,CS,RU,1972,,region partnership,documented,F-9,culture
CSV
run export "$WORK/merge.csv" -o "$WORK/m.gpkg" -o "$WORK/m.geojson" -o "$WORK/m.graphml" -o "$WORK/m.gml"
expect_rc 0 merged-attrs
expect_err "column 'archive ref' is written as 'archive_ref'" merged-attrs-renamed
ogrinfo -q "$WORK/m.gpkg" -sql "SELECT * FROM ties WHERE \"from\" = 'Sverdlovsk Oblast'" >"$WORK/m1.txt" 2>&1
for want in "start (Integer) = 1966" "end (Integer) = 1980" "start_date (Date) = 1966/01/01" \
    "end_date (Date) = 1980/12/31" "type (String) = region partnership; friendship society" \
    "confidence (String) = documented; probable" "archive_ref (String) = F-1; F-2" \
    "area (String) = industry" "rows (Integer) = 2"; do
    if grep -qF "$want" "$WORK/m1.txt"; then ok; else bad "merged tie lacks '$want': $(cat "$WORK/m1.txt")"; fi
done
ogrinfo -q "$WORK/m.gpkg" -sql "SELECT * FROM ties WHERE \"from\" = 'Voronezh Oblast'" >"$WORK/m2.txt" 2>&1
for want in "start (Integer) = 1967" "end (Integer) = (null)" "end_date (Date) = (null)" \
    "type (String) = region partnership" "archive_ref (String) = F-9" "area (String) = culture"; do
    if grep -qF "$want" "$WORK/m2.txt"; then ok; else bad "open-ended tie lacks '$want': $(cat "$WORK/m2.txt")"; fi
done
if grep -q '"start_date": "1966-01-01", "end_date": "1980-12-31"' "$WORK/m_ties.geojson"; then ok; else bad "geojson dates: $(grep -o '"start.\{0,80\}' "$WORK/m_ties.geojson" | head -2)"; fi
expect_eq "$(ogrinfo -so "$WORK/m_ties.geojson" ties 2>/dev/null | grep -c ': Date ')" 2 geojson-date-fields
python3 - "$WORK/m.graphml" >"$WORK/gm.txt" 2>&1 <<'PY'
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
keys = {k.getAttribute("id"): (k.getAttribute("for"), k.getAttribute("attr.type")) for k in d.getElementsByTagName("key")}
for e in d.getElementsByTagName("edge"):
    vals = {x.getAttribute("key"): x.firstChild.data for x in e.getElementsByTagName("data")}
    print(" ".join(f"{k}={vals.get(k, '-')}" for k in ("start", "end", "start_date", "type", "archive_ref")))
print(keys["start"], keys["start_date"], keys["archive_ref"])
PY
expect_eq "$(cat "$WORK/gm.txt")" "start=1966 end=1980 start_date=1966-01-01 type=region partnership; friendship society archive_ref=F-1; F-2
start=1967 end=- start_date=1967-01-01 type=region partnership archive_ref=F-9
('edge', 'int') ('edge', 'string') ('edge', 'string')" graphml-tie-attrs
if grep -q '    type "region partnership; friendship society"' "$WORK/m.gml" && grep -q '    start 1966$' "$WORK/m.gml"; then ok; else bad "gml tie attributes"; fi

# a full disk: exit 4 naming the output and "no space left on device", nothing left behind
# (GDAL's GeoJSON writer does not report a failed write: it left a truncated file and exit 0)
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=12k tmpfs "$WORK/full" 2>/dev/null; then
    for out in "full.gpkg" "full.geojson" "full.graphml"; do
        run export "$REGIONS" -o "$WORK/full/$out"
        expect_rc 4 "full-disk-$out"
        expect_err "cannot write '$WORK/full/$out': no space left on device" "full-disk-$out"
        case "$ERR" in *sqlite3_exec*|*CREATE\ TABLE*) bad "full-disk-$out: SQL in the message: $ERR" ;; *) ok ;; esac
        expect_eq "$(ls -A "$WORK/full" | tr '\n' ' ')" "" "full-disk-$out-nothing-left"
    done
    umount "$WORK/full"
else
    echo "skip: full disk: cannot mount a tmpfs here (not root, or in a container without mount)" >&2
fi

# an unwritable output: exit 4, and no other output of the run left behind
run export "$REGIONS" -o "$WORK/ok.gpkg" -o "$WORK/no/such/dir/x.gpkg"
expect_rc 4 unwritable; expect_err "does the folder exist" unwritable
expect_no_file "$WORK/ok.gpkg" unwritable
run export "$REGIONS" -o "$WORK/ok.geojson" -o "$WORK/no/such/dir/x.graphml"
expect_rc 4 unwritable-geojson
expect_no_file "$WORK/ok.geojson" unwritable-geojson; expect_no_file "$WORK/ok_ties.geojson" unwritable-geojson

# an input is never overwritten
ogr2ogr -f GPKG "$WORK/in.gpkg" "$REGIONS" -nln ties 2>/dev/null
cp "$WORK/in.gpkg" "$WORK/in.orig"
run export "$WORK/in.gpkg" -o "$WORK/in.gpkg"
expect_rc 2 input-as-output; expect_err "is an input" input-as-output
expect_same "$WORK/in.gpkg" "$WORK/in.orig" input-untouched
run export "$REGIONS" -o "$WORK/a.geojson" -o "$WORK/a_ties.geojson"
expect_rc 2 written-twice; expect_err "written twice" written-twice

# the same bytes in every locale and on every run (text formats)
LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$PM" export "$REGIONS" -o "$WORK/de.graphml" -o "$WORK/de.gml" 2>/dev/null
"$PM" export "$REGIONS" -o "$WORK/c1.graphml" -o "$WORK/c1.gml" 2>/dev/null
expect_same "$WORK/de.graphml" "$WORK/c1.graphml" locale-graphml
expect_same "$WORK/de.gml" "$WORK/c1.gml" locale-gml
expect_same "$WORK/r.graphml" "$WORK/c1.graphml" rerun-graphml

finish
