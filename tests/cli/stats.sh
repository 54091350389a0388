# CLI cases for `partnermap stats`: help and version, outputs, every bad-input class with its
# exit code and message, atomic output, locale independence, XLSX = CSV, a 100,000-tie file.
. "$(dirname "$0")/lib.sh"

run --help;            expect_rc 0 help; expect_out "stats" help
run --version;         expect_rc 0 version; expect_out "partnermap " version
run stats --help;      expect_rc 0 stats-help; expect_out "--weights MODE" stats-help; expect_out "Exit status" stats-help
run frobnicate;        expect_rc 2 unknown-command; expect_err "not a command" unknown-command
run stats;             expect_rc 2 no-input; expect_err "no tie table" no-input
run stats --bogus x.csv; expect_rc 2 unknown-option; expect_err "unknown option '--bogus'" unknown-option
run stats --weights heavy x.csv; expect_rc 2 bad-weights-mode; expect_err "strength, as-length or none" bad-weights-mode

cat >"$WORK/ties.csv" <<'CSV'
source,target,weight
a,b,1
b,c,2
c,a,1
c,d,4
d,e,1
CSV
cp "$WORK/ties.csv" "$WORK/ties.orig"

run stats "$WORK/ties.csv" --format csv
expect_rc 0 csv
expect_out "place,degree,strength,betweenness,closeness,eigenvector,pagerank,community,component" csv-header
# c lies on every path between {a,b} and {d,e}: 2*2 pairs + a-b? no (direct) -> 4, plus d: e's
# paths to a,b,c -> 3
expect_out "c,3,7,4," csv-c
expect_out "d,2,5,3," csv-d
expect_same "$WORK/ties.csv" "$WORK/ties.orig" input-untouched

run stats "$WORK/ties.csv" --format json
expect_rc 0 json
if printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then ok; else bad "json does not parse"; fi
expect_out '"modularity":' json-summary

run stats "$WORK/ties.csv" --format latex; expect_rc 0 latex; expect_out '\begin{tabular}' latex
run stats "$WORK/ties.csv" --format markdown; expect_rc 0 md; expect_out '| place |' md
run stats "$WORK/ties.csv" --format tsv; expect_rc 0 tsv; expect_out "$(printf 'place\tdegree')" tsv
run stats "$WORK/ties.csv" --sort betweenness --top 2
expect_rc 0 top; expect_out "top 2 of 5" top
run stats "$WORK/ties.csv" --sort colour; expect_rc 2 bad-sort; expect_err "not a metric" bad-sort
if printf "%s" "$ERR" | grep -q "(with --spatial)"; then bad "bad-sort: a hint for another error: $ERR"; else ok; fi

# the same bytes in every locale
LC_ALL=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$PM" stats "$WORK/ties.csv" --format csv >"$WORK/de.csv" 2>/dev/null
"$PM" stats "$WORK/ties.csv" --format csv >"$WORK/c.csv"
expect_same "$WORK/de.csv" "$WORK/c.csv" locale
# and on every run
"$PM" stats "$WORK/ties.csv" --format csv >"$WORK/c2.csv"
expect_same "$WORK/c.csv" "$WORK/c2.csv" rerun

# -o writes the whole file
run stats "$WORK/ties.csv" --format csv -o "$WORK/out.csv"
expect_rc 0 output-file
expect_same "$WORK/out.csv" "$WORK/c.csv" output-file-content

# bad inputs: exit code, file:line message, no output file
bad_case() { # LABEL CODE MESSAGE CONTENT
    printf '%b' "$4" >"$WORK/$1.csv"
    run stats "$WORK/$1.csv" -o "$WORK/$1.out"
    expect_rc "$2" "$1"
    expect_err "$3" "$1"
    expect_no_file "$WORK/$1.out" "$1"
}
bad_case zero 3 "zero.csv:3: weight '0'" 'from,to,weight\na,b,1\nb,c,0\n'
bad_case negative 3 "negative.csv:2: weight '-1'" 'from,to,weight\na,b,-1\n'
bad_case nan 3 "nan.csv:2: weight 'NaN'" 'from,to,weight\na,b,NaN\n'
bad_case inf 3 "inf.csv:2: weight 'inf'" 'from,to,weight\na,b,inf\n'
bad_case text 3 "text.csv:4: weight 'three'" 'from,to,weight\na,b,1\n\nb,c,three\n'
bad_case latin1 3 "latin1.csv:3: the file is not UTF-8" 'from,to\na,b\nPlze\xf2,Brno\n'
bad_case nocols 3 "columns are 'x', 'y'" 'x,y\na,b\n'
bad_case allself 3 "every row ties a place to itself" 'from,to\na,a\n'
# a pipe (like /dev/null or /dev/stdout) is written in place, not replaced by a file
mkfifo "$WORK/pipe"
timeout 30 cat "$WORK/pipe" >"$WORK/from_pipe" &
reader=$!
run stats "$WORK/ties.csv" --format csv -o "$WORK/pipe"
[ -p "$WORK/pipe" ] || kill "$reader" 2>/dev/null # a file took its place: nobody will write
wait "$reader"
expect_rc 0 pipe
if [ -p "$WORK/pipe" ]; then ok; else bad "the pipe was replaced by a file"; fi
if grep -q "^c,3,7,4," "$WORK/from_pipe"; then ok; else bad "nothing came through the pipe"; fi
run stats "$WORK/ties.csv" -o "$WORK"
expect_rc 2 folder-output; expect_err "is a folder" folder-output

run stats "$WORK/missing.csv" -o "$WORK/m.out"
expect_rc 4 missing-file; expect_err "missing.csv" missing-file; expect_no_file "$WORK/m.out" missing-file
run stats "$WORK/ties.csv" -o "$WORK/no/such/dir/out.csv"
expect_rc 4 unwritable; expect_err "does the folder exist" unwritable

# inputs are never written
cp "$WORK/ties.csv" "$WORK/keep.csv"
run stats "$WORK/keep.csv" --format csv -o "$WORK/keep.csv"
expect_rc 2 output-is-input
expect_err "is the input" output-is-input
expect_same "$WORK/keep.csv" "$WORK/ties.csv" input-unchanged

# warnings: self-tie with its line, merged pairs (A-B and B-A) reported
printf 'from,to,weight\na,b,1\nb,a,2\nc,c,1\nb,c,1\n' >"$WORK/warn.csv"
run stats "$WORK/warn.csv" --format csv
expect_rc 0 warnings
expect_err "warn.csv:4: self-tie 'c' - 'c' left out" self-tie
expect_err "1 row named a pair already seen; merged" merged
expect_out "a,1,3," merged-weight
run stats "$WORK/warn.csv" --format csv --quiet
if [ -z "$ERR" ]; then ok; else bad "--quiet printed: $ERR"; fi

# directed: A->B and B->A stay apart
run stats "$WORK/warn.csv" --directed --format csv
expect_rc 0 directed; expect_out "in_degree,out_degree" directed

# XLSX made from the CSV gives identical output
if command -v ogr2ogr >/dev/null; then
    ogr2ogr -f XLSX "$WORK/ties.xlsx" "$WORK/ties.csv" 2>/dev/null
    "$PM" stats "$WORK/ties.xlsx" --format csv >"$WORK/x.csv"
    expect_same "$WORK/x.csv" "$WORK/c.csv" xlsx-equals-csv
    ogr2ogr -f ODS "$WORK/ties.ods" "$WORK/ties.csv" 2>/dev/null
    "$PM" stats "$WORK/ties.ods" --format csv >"$WORK/o.csv"
    expect_same "$WORK/o.csv" "$WORK/c.csv" ods-equals-csv
    ogr2ogr -f GPKG "$WORK/ties.gpkg" "$WORK/ties.csv" -nln partners 2>/dev/null
    "$PM" stats "$WORK/ties.gpkg" --layer partners --format csv >"$WORK/g.csv"
    expect_same "$WORK/g.csv" "$WORK/c.csv" gpkg-equals-csv
    run stats "$WORK/ties.xlsx" --layer nosheet; expect_rc 4 bad-sheet; expect_err "no sheet or table 'nosheet'" bad-sheet
else
    bad "ogr2ogr missing (install gdal-bin)"
fi

# groups, --where, --period on the project's sample
SAMPLE="$SRC/geodata/samples/ussr-czechoslovakia-cities/ties.csv"
run stats "$SAMPLE" --format csv --where confidence=documented
expect_rc 0 where
run stats "$SAMPLE" --summary --format csv
expect_rc 0 summary; expect_out "cross_group_share,1," groups
run stats "$SAMPLE" --where colour=red; expect_rc 3 where-bad-col; expect_err "colour" where-bad-col

# a 100,000-tie file runs (2,000 places)
awk 'BEGIN { srand(3); print "from,to,weight"; for (i = 0; i < 100000; i++) printf "p%d,p%d,%d\n", int(rand()*2000), int(rand()*2000), 1 + int(rand()*5) }' >"$WORK/big.csv"
run stats "$WORK/big.csv" --summary --quiet
expect_rc 0 big; expect_out "places" big

finish
