# CLI cases for what the geometry and the projection must not accept without a word: a --crs that
# splits the places between the map's edges (EPSG:4326 and 3857 across the Bering Strait) warns
# and names a projection centred on them; the automatic projection does not warn.
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

finish
