# A place is keyed by a typed id (the unit it matched, or its name), not by a string: a place
# whose name looks like an internal key is never the same place as a unit.
source "$(dirname "$0")/lib.sh"

cat >"$WORK/g.geojson" <<'GEO'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"AA","name":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[10,50],[11,50],[11,51],[10,51],[10,50]]]}},
{"type":"Feature","properties":{"code":"BB","name":"Beta"},"geometry":{"type":"Polygon","coordinates":[[[12,50],[13,50],[13,51],[12,51],[12,50]]]}}
]}
GEO
# '#0' matches nothing; Alpha is the layer's first unit
printf 'from,to\nAlpha,Beta\n#0,Beta\n' >"$WORK/h.csv"
run stats "$WORK/h.csv" --geo "$WORK/g.geojson" --allow-unmatched --spatial --format csv
expect_rc 0 hash-name
expect_err "'#0' (unmatched)" hash-name
expect_out "#0,1," hash-name-row
expect_out "Alpha,1," hash-name-alpha
run stats "$WORK/h.csv" --geo "$WORK/g.geojson" --allow-unmatched --format json --summary
expect_out '"places": 3' hash-name-places
expect_out '"ties": 2' hash-name-ties

# an export keeps the three places, '#0' without geometry
run export "$WORK/h.csv" --geo "$WORK/g.geojson" --allow-unmatched -o "$WORK/h.graphml"
expect_rc 0 hash-export
n=$(grep -c '<node ' "$WORK/h.graphml")
if [ "$n" = 3 ]; then ok; else bad "hash-export: $n nodes, want 3"; fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
