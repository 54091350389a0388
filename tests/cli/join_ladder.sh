# CLI cases for the join ladder (issue 11): the new user's table of city and region forms, a
# country's name, a historical unit, and geometry sources with GADM's fields or fields named by
# --geo-name; messages name the options that exist.
. "$(dirname "$0")/lib.sh"

# the new user's check: city forms join the city unit, a bare name that could be either and a
# country's name are ambiguous, the Checheno-Ingush ASSR is Chechnya + Ingushetia
cat >"$WORK/t.csv" <<'CSV'
from,to,year
Leningrad city,Moscow,1970
г. Ленинград,Kiev,1970
Ленинград,Kyiv,1970
Georgia,Чечено-Ингушская АССР,1970
CSV
run join "$WORK/t.csv" --format csv
expect_rc 5 newuser-rc
expect_out 'Leningrad city,,alias,RUS-2337' newuser-leningrad-city
expect_out 'г. Ленинград,,alias,RUS-2337' newuser-g-leningrad
expect_out 'Ленинград,,alias,RUS-2337' newuser-leningrad-ru
expect_out 'Kiev,,ambiguous' newuser-kiev
expect_out 'Kyiv,,ambiguous' newuser-kyiv
expect_out 'Moscow,,ambiguous' newuser-moscow
expect_out 'Georgia,,ambiguous' newuser-georgia
expect_out 'also the name of the country GE' newuser-georgia-note
expect_out 'Чечено-Ингушская АССР,,composite,SU-CHI' newuser-chi
expect_err "4 of 8 places not joined" newuser-summary
case "$OUT" in *RUS-2336*) bad "newuser: a city form joined Leningrad Oblast" ;; *) ok ;; esac

# the city and region forms decide; the country column decides Georgia; the level too
cat >"$WORK/forms.csv" <<'CSV'
from,to,from_country,to_country
Kiev city,Kiev Oblast,,
г. Москва,Moscow Oblast,,
Georgia,Sverdlovsk Oblast,US,RU
CSV
run join "$WORK/forms.csv" --format csv
expect_rc 0 forms-rc
expect_out 'Kiev city,,name,UKR-4826' forms-kiev-city
expect_out 'Kiev Oblast,,normalised,UKR-321' forms-kiev-oblast
expect_out 'г. Москва,,normalised,RUS-2365' forms-moscow-city
expect_out 'Georgia,US,name,USA-3543' forms-georgia-us
printf 'from,to\nGeorgia,Armenia\n' >"$WORK/countries.csv"
run join "$WORK/countries.csv" --level country --format csv
expect_rc 0 georgia-country-level
expect_out 'Georgia,,name,GE' georgia-country-level-ge

# a GADM level-1 layer: GID_1, HASC_1, NAME_1, NL_NAME_1, VARNAME_1 are recognised
cat >"$WORK/gadm.geojson" <<'JSON'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"GID_0":"RUS","GID_1":"RUS.65_1","NAME_1":"Sverdlovsk","VARNAME_1":"Sverdlovskaya Oblast|Yekaterinburg","NL_NAME_1":"Свердловская область","HASC_1":"RU.SV","ISO_1":"RU-SVE","ENGTYPE_1":"Region"},"geometry":{"type":"Polygon","coordinates":[[[57,56],[65,56],[65,62],[57,62],[57,56]]]}},
{"type":"Feature","properties":{"GID_0":"RUS","GID_1":"RUS.76_1","NAME_1":"Tula","VARNAME_1":"Tul'skaya Oblast","NL_NAME_1":"Тульская область","HASC_1":"RU.TL","ISO_1":"RU-TUL","ENGTYPE_1":"Region"},"geometry":{"type":"Polygon","coordinates":[[[35,53],[39,53],[39,55],[35,55],[35,53]]]}}]}
JSON
printf 'from,to,from_country,to_country\nСвердловская область,RU.TL,RU,RU\nYekaterinburg,Tula,,\n' >"$WORK/gadm.csv"
run join "$WORK/gadm.csv" --geo "$WORK/gadm.geojson" --format csv
expect_rc 0 gadm-rc
expect_out 'Свердловская область,RU,name,RUS.65_1' gadm-nl-name
expect_out 'RU.TL,RU,code,RUS.76_1' gadm-hasc
expect_out 'Yekaterinburg,,name,RUS.65_1' gadm-varname

# fields the program does not know: the message names the options that exist; --geo-name works
cat >"$WORK/own.geojson" <<'JSON'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"reg":"A1","label":"Sverdlovsk"},"geometry":{"type":"Polygon","coordinates":[[[57,56],[65,56],[65,62],[57,62],[57,56]]]}},
{"type":"Feature","properties":{"reg":"B2","label":"Tula"},"geometry":{"type":"Polygon","coordinates":[[[35,53],[39,53],[39,55],[35,55],[35,53]]]}}]}
JSON
printf 'from,to\nSverdlovsk Oblast,B2\n' >"$WORK/own.csv"
run join "$WORK/own.csv" --geo "$WORK/own.geojson"
expect_rc 3 own-nofields
expect_err "no code or name field recognised" own-nofields-msg
expect_err "--geo-key FIELD or --geo-name FIELD" own-nofields-options
case "$ERR" in *--name-field* | *"--key "*) bad "a message names an option that does not exist: $ERR" ;; *) ok ;; esac
run join "$WORK/own.csv" --geo "$WORK/own.geojson" --geo-name label --geo-key reg --format csv
expect_rc 0 own-geo-name
expect_out 'Sverdlovsk Oblast,,normalised,A1' own-geo-name-label
expect_out 'B2,,code,B2' own-geo-key-reg
run join "$WORK/own.csv" --geo "$WORK/own.geojson" --geo-name nofield
expect_rc 2 own-geo-name-nofield
expect_err "no field 'nofield'" own-geo-name-nofield-msg

# a source with several layers and none named: the option to choose one is --geo-layer
if command -v ogr2ogr >/dev/null; then
    ogr2ogr -f GPKG "$WORK/two.gpkg" "$WORK/own.geojson" -nln a 2>/dev/null
    ogr2ogr -f GPKG -update "$WORK/two.gpkg" "$WORK/own.geojson" -nln b 2>/dev/null
    run join "$WORK/own.csv" --geo "$WORK/two.gpkg"
    expect_rc 2 two-layers
    expect_err "choose the layer to use (with --geo-layer NAME)" two-layers-msg
    case "$ERR" in *"with --layer"*) bad "two-layers: names --layer" ;; *) ok ;; esac
fi

finish
