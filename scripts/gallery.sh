#!/usr/bin/env bash
# Regenerates the gallery: docs/gallery/*.png and docs/gallery/README.md, one map per sample
# dataset in geodata/samples (both themes where useful, one with Cyrillic labels).
#
#   scripts/gallery.sh             brings build/ up to date (configures it if needed), then draws
#   BUILD=build-x scripts/gallery.sh                   the same with another build folder
#   PARTNERMAP=path/to/partnermap scripts/gallery.sh    uses that binary as it is
#
# Every figure is drawn at --dpi 150 on the default 180 x 120 mm page, so each PNG stays small
# (the script fails if one grows past 400 KB). The README lists the exact command of each
# figure and the warnings partnermap printed while drawing it. Paths are relative to the
# repository root, so the commands recorded in the README (and in each PNG's metadata) do not
# depend on where the repository lives.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
if [ -n "${PARTNERMAP:-}" ]; then
    PM=$PARTNERMAP
else
    PM=$BUILD/src/partnermap
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        echo "gallery: configuring $BUILD/" >&2
        cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
    fi
    echo "gallery: building partnermap in $BUILD/" >&2
    cmake --build "$BUILD" -j"$(nproc)" --target partnermap >/dev/null
fi

OUT=docs/gallery
S=geodata/samples
MAX_BYTES=409600
mkdir -p "$OUT"
rm -f "$OUT"/*.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

readme="$tmp/README.md"
cat >"$readme" <<'EOF'
# Gallery

Maps of the sample datasets in `geodata/samples/`, drawn by `scripts/gallery.sh` (run it again
after changing the renderer or the samples; it rewrites every file here). Each figure is a PNG at
150 dpi on the default 180 × 120 mm page; the same command with `-o figure.pdf` or
`-o figure.svg` gives the vector version. Below each figure: the exact command (run from the
repository root) and what partnermap said while drawing it.

EOF

# figure FILE "Heading" "what it shows" ARGS...: draws $OUT/FILE with `partnermap map ARGS...`
# (with CMD=timeline: `partnermap timeline ARGS...`)
figure() {
    local file=$1 heading=$2 about=$3 cmd=${CMD:-map}
    shift 3
    local args=("$@" --dpi 150 -o "$OUT/$file")
    if ! "$PM" "$cmd" "${args[@]}" >/dev/null 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        echo "gallery: partnermap $cmd failed for $OUT/$file" >&2
        exit 1
    fi
    local size
    size=$(stat -c %s "$OUT/$file")
    if [ "$size" -gt "$MAX_BYTES" ]; then
        echo "gallery: $OUT/$file is $size bytes (more than $MAX_BYTES)" >&2
        exit 1
    fi
    {
        printf '## %s\n\n' "$heading"
        printf '![%s](%s)\n\n' "$heading" "$file"
        printf '%s\n\n' "$about"
        printf '```sh\npartnermap %s' "$cmd"
        local a
        for a in "${args[@]}"; do
            if [[ "$a" =~ [^A-Za-z0-9_./:=,-] ]]; then
                printf " '%s'" "${a//\'/\'\\\'\'}"
            else
                printf ' %s' "$a"
            fi
        done
        printf '\n```\n\n'
        if [ -s "$tmp/err" ]; then
            printf 'partnermap printed:\n\n```\n'
            sed "s|^$PM|partnermap|" "$tmp/err"
            printf '```\n\n'
        else
            printf 'partnermap printed no warnings.\n\n'
        fi
    } >>"$readme"
    echo "gallery: $OUT/$file ($size bytes)" >&2
}

REG=$S/ussr-czechoslovakia-regions/ties.csv
CIT=$S/ussr-czechoslovakia-cities/ties.csv
SVK=$S/sverdlovsk-kazakhstan/ties.csv
FRI=$S/friendship-societies/ties.csv

figure regions-color.png \
    "Soviet oblasts and Czechoslovak kraje, colour theme" \
    "Six region partnerships (1 documented, 5 probable: dashed) between Soviet oblasts and the Czechoslovak kraje of 1960–1990, which are drawn as composite units (unions of today's kraje). Every option at its default except the title, the source line and the resolution." \
    "$REG" \
    --title "Partnerships of Soviet oblasts and Czechoslovak kraje" \
    --credit "Ties: partnermap sample data (see its README). Boundaries: Natural Earth; kraje of 1960-1990 as unions of today's units."

figure regions-print.png \
    "Soviet oblasts and Czechoslovak kraje, print theme" \
    "The same ties in greyscale for print, the polygons filled by degree." \
    "$REG" --theme print --fill degree \
    --title "Partnerships of Soviet oblasts and Czechoslovak kraje" \
    --credit "Ties: partnermap sample data. Boundaries: Natural Earth."

figure regions-name_ru.png \
    "Soviet oblasts and Czechoslovak kraje, Russian labels" \
    "Labels from the geodata's Russian names (\`--label name_ru\`): the composite kraje carry the names of Soviet reference works. No fill, no circles: places are dots." \
    "$REG" --label name_ru --fill none --size none \
    --title "Партнёрские связи областей СССР и краёв ЧССР"

figure cities.png \
    "Soviet and Czechoslovak twin cities" \
    "Fourteen city ties drawn as points from the sample's \`places.csv\`; circle area by strength, circle colour by PageRank." \
    "$CIT" --places "$S/ussr-czechoslovakia-cities/places.csv" \
    --title "Twin cities of the USSR and Czechoslovakia, 1947-1975"

figure cities-print.png \
    "Soviet and Czechoslovak twin cities, print theme, documented twinnings only" \
    "The same cities filtered to documented twinnings (\`--where\`), in greyscale, circles by degree." \
    "$CIT" --places "$S/ussr-czechoslovakia-cities/places.csv" \
    --where confidence=documented --where "type=twin city" \
    --theme print --size degree --fill none \
    --title "Documented twinnings of Soviet and Czechoslovak cities"

figure cities-by-region.png \
    "Soviet and Czechoslovak twin cities, rolled up to regions" \
    "The same fourteen city ties with no coordinates given: \`--level city\` finds each city in the embedded gazetteer (GeoNames cities500, CC BY 4.0), its \`from_region\`/\`to_region\` columns checking the choice, and \`--aggregate region\` turns them into ties between today's first-level units (weights summed; the export keeps the number of city ties as \`rows\`). Polygons filled by PageRank." \
    "$CIT" --level city --aggregate region \
    --title "Twin cities of the USSR and Czechoslovakia, by region"

figure sverdlovsk-kazakhstan.png \
    "Sverdlovsk Oblast and its Kazakh partners" \
    "Five ties, one of weight 2 (Kostanay), polygons filled by PageRank." \
    "$SVK" \
    --title "Sverdlovsk Oblast and its key Kazakh partners, 2015-2020"

figure sverdlovsk-kazakhstan-print.png \
    "Sverdlovsk Oblast and its Kazakh partners, print theme, Russian labels" \
    "The same network in greyscale with Russian labels from the geodata." \
    "$SVK" --theme print --label name_ru --fill none

figure friendship-societies.png \
    "Societies of friendship with the USSR" \
    "Countries joined at \`--level country\`; the USSR, Czechoslovakia, Yugoslavia and the GDR are composites of today's units (see docs/methods.md)." \
    "$FRI" --level country \
    --title "Societies of friendship with the USSR (partial)"

figure friendship-societies-inset.png \
    "Societies of friendship with the USSR, Central Europe in an inset" \
    "The same map with \`--inset auto\`: the crowded middle of Europe is drawn three times larger in a framed inset in the lower left corner (with its own scale bar), where it covers no place, tie or label; a locator outline marks the area on the world map, whose circles and labels are drawn in the inset only. The rule that finds the crowded group is in methods.md, \"Insets\"." \
    "$FRI" --level country --inset auto \
    --title "Societies of friendship with the USSR (partial)"

figure friendship-societies-inset-print.png \
    "Societies of friendship with the USSR, inset, print theme" \
    "The inset figure in greyscale." \
    "$FRI" --level country --inset auto --theme print \
    --title "Societies of friendship with the USSR (partial)"

figure cities-inset.png \
    "Soviet and Czechoslovak twin cities, the Slovak cities in an inset" \
    "The cities found in the gazetteer (\`--level city\`) with \`--inset auto\`: Brno, Ostrava and the Slovak cities, crowded on the map of the whole network, are drawn about twice as large in the upper left corner." \
    "$CIT" --level city --inset auto \
    --title "Twin cities of the USSR and Czechoslovakia, 1947-1975"

figure russia-kazakhstan-labels.png \
    "A 50-place test of the label placement (synthetic ties)" \
    "Not a dataset: \`tests/data/labels/russia-kazakhstan.csv\` is a test fixture of made-up ties between real Russian and Kazakh regions, drawn to test the label placement on a crowded map at the defaults. The frame fits the places and ties (Krasnoyarsk Krai is cut at the frame rather than stretching the map to the Arctic); labels keep off ties where a free position is near, never cover another place's centre, and those that find no room are named. The \`--stats -\` notes end with the label check (methods.md, \"Label check\")." \
    tests/data/labels/russia-kazakhstan.csv \
    --title "Label placement test: 45 regions of Russia and Kazakhstan (synthetic ties)"

figure cities-single-column.png \
    "Soviet and Czechoslovak twin cities, one journal column" \
    "The cities on a single-column page (\`--page single\`, 90 × 70 mm): the legend strip is made compact before the map is shrunk for it (two keys per scale, sections in columns side by side, the one tie width in the tie styles' title)." \
    "$CIT" --level city --page single \
    --title "Twin cities of the USSR and Czechoslovakia"

CMD=timeline figure friendship-societies-timeline.png \
    "Societies of friendship with the USSR through time" \
    "\`partnermap timeline\` over periods of five years: new ties, active ties, places and total weight per period, and the rank of the five places of highest strength in the last period. A tie counts in every period its [start, end] overlaps; the five ties without a start year are left out (the warning says so)." \
    "$FRI" --level country --step 5 --chart new_ties,ties,places,total_weight --top 5 \
    --title "Societies of friendship with the USSR, 1943-1989"
figure cities-decades.png \
    "Soviet and Czechoslovak twin cities by decade (small multiples)" \
    "One panel per decade (\`--facet period --step 10\`): the ties active in it, new ones dark and those carried over from an earlier decade light; every panel has the same extent, circle sizes and tie widths, the figure one legend and one scale bar. An open end counts as still active; the six ties without a start year are left out, and the figure says so." \
    "$CIT" --places "$S/ussr-czechoslovakia-cities/places.csv" --fill none \
    --facet period --step 10 \
    --title "Soviet-Czechoslovak city twinnings by decade (ties active in each decade)"

mv "$readme" "$OUT/README.md"
echo "gallery: wrote $OUT/README.md" >&2
