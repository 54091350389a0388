# The bad-input catalogue: one case per kind of bad tie table, each the command, its exit code and
# a substring of its message (docs/reliability.md lists the same cases). Every case here was read
# silently wrong, hung or misreported before the table reader checked its input.
. "$(dirname "$0")/lib.sh"

W=$WORK
printf 'from,to,weight\nTula,Brno,1\nBrno,Plzen,2\n' >"$W/good.csv"

# case NAME EXIT MESSAGE -- ARGS...: runs `partnermap ARGS` and checks the exit code and message.
case_() {
    local name=$1 code=$2 msg=$3
    shift 4
    run "$@"
    expect_rc "$code" "$name"
    expect_err "$msg" "$name"
}

# --- what the path names -------------------------------------------------------------------
mkdir "$W/folder" && cp "$W/good.csv" "$W/folder/ties.csv"
case_ folder 4 "is a folder" -- stats "$W/folder"
: >"$W/empty.csv"
case_ empty-file 3 "empty.csv: the file is empty" -- stats "$W/empty.csv"
printf '\n  \n' >"$W/blank.csv"
case_ blank-file 3 "the file is empty" -- stats "$W/blank.csv"
ln -s "$W/loop2.csv" "$W/loop1.csv" && ln -s "$W/loop1.csv" "$W/loop2.csv"
case_ symlink-loop 4 "too many levels of symbolic links" -- stats "$W/loop1.csv"
case_ missing 4 "no such file" -- stats "$W/nothing.csv"

# --- pipes are read once (spooled); messages name the path given ---------------------------
mkfifo "$W/fifo.csv"
(cat "$W/good.csv" >"$W/fifo.csv" &)
timeout 20 "$PM" stats --format csv "$W/fifo.csv" >"$W/out" 2>"$W/err"
RC=$?; OUT=$(cat "$W/out"); ERR=$(cat "$W/err")
expect_rc 0 fifo; expect_out "Brno,2,3" fifo
"$PM" stats --format csv /dev/stdin <"$W/good.csv" >"$W/out" 2>"$W/err"
RC=$?; OUT=$(cat "$W/out"); ERR=$(cat "$W/err")
expect_rc 0 stdin; expect_out "Brno,2,3" stdin
printf 'from,to\nA,B,C\n' | "$PM" stats /dev/stdin >"$W/out" 2>"$W/err"
RC=$?; ERR=$(cat "$W/err")
expect_rc 3 stdin-bad; expect_err "/dev/stdin:2: 3 fields" stdin-bad

# --- rows that do not parse as the header says ---------------------------------------------
printf 'from,to,country\nTula Oblast,Brno,RU\nSverd"lovsk Oblast,Tula Oblast",RU,x\n' >"$W/stray.csv"
case_ stray-quote 3 "stray.csv:3: a stray quote" -- stats "$W/stray.csv"
printf 'from,to\nA,B\n"C,D\nE,F\n' >"$W/open.csv"
case_ unclosed-quote 3 "open.csv:3: the quote opened in field 1 is never closed" -- stats "$W/open.csv"
printf 'from,to,weight\nA,B,1\nC,D\n' >"$W/short.csv"
case_ short-row 3 "short.csv:3: 2 fields where the header has 3" -- stats "$W/short.csv"
printf 'from,to\nA,B,C\n' >"$W/long-row.csv"
case_ extra-field 3 "long-row.csv:2: 3 fields where the header has 2" -- stats "$W/long-row.csv"
printf 'from,to\n"A"x,B\n' >"$W/after-quote.csv"
case_ text-after-quote 3 "after-quote.csv:2: text after the closing quote of field 1" -- stats "$W/after-quote.csv"
printf 'from,to\nA,B\0x\nC,D\n' >"$W/nul.csv"
case_ nul-byte 3 "nul.csv:2: a NUL byte" -- stats "$W/nul.csv"
printf 'from\nTula\n' >"$W/one.csv"
case_ one-column 3 "one.csv:1: the header has one column" -- stats "$W/one.csv"
python3 -c "
import sys
sys.stdout.write('from,to,note\nA,B,x\nB,C,' + 'y' * 10000100 + '\nC,D,z\nD,E,w\n')" >"$W/huge-row.csv"
case_ row-over-10mb 3 "huge-row.csv:3: a row longer than 10 MB" -- stats "$W/huge-row.csv"
rm -f "$W/huge-row.csv"

# --- values ----------------------------------------------------------------------------------
printf 'from,to,weight\nA,B,1e300\nB,C,1e300\nC,A,1\n' >"$W/bigw.csv"
case_ huge-weight 3 "bigw.csv:2: weight '1e300' in column 'weight' is too large" -- stats "$W/bigw.csv"
printf 'from;to;weight\nTula;Brno;1,5\nBrno;Plzen;2\n' >"$W/semi.csv"
case_ decimal-comma 3 "has a decimal comma; pass --decimal-comma" -- stats "$W/semi.csv"
run stats --decimal-comma --summary --format csv "$W/semi.csv"
expect_rc 0 decimal-comma-read; expect_out "total_weight,3.5" decimal-comma-read
# another separator: named with --separator; without it the message names the option
printf 'from|to|weight\nTula|"Brno|Jih"|1,5\nA, B|Tula|2\n' >"$W/pipe.csv"
case_ pipe-separator 3 "pipe.csv:1: the header has one column (separator ','); if '|' separates the columns, pass --separator '|'" -- stats "$W/pipe.csv"
run stats --separator '|' --decimal-comma --format csv "$W/pipe.csv"
expect_rc 0 pipe-separator-read; expect_out 'Brno|Jih,1,1.5' pipe-separator-read
expect_out '"A, B",1,2' pipe-separator-read
printf 'from;to;note, x\nA;B;n, y\nB;C;z\n' >"$W/mixsep.csv"
case_ mixed-separators 3 "mixsep.csv:3: 1 field where the header has 2 (separator ','); a field that contains the separator must be quoted, and every row needs every column (empty cells too); if another character separates the columns, name it with --separator" -- stats "$W/mixsep.csv"
run stats --separator ';' --summary --format csv "$W/mixsep.csv"
expect_rc 0 mixed-separators-read; expect_out "ties,2" mixed-separators-read
case_ bad-separator 2 "--separator 'ab': give one character" -- stats --separator ab "$W/pipe.csv"
case_ separator-not-text 2 "--separator applies to CSV or TSV text" -- stats --separator '|' "$SRC/geodata/world.gpkg"
printf 'from,to,weight\n\xd2\xf3\xeb\xe0,\xc1\xf0\xed\xee,1\n' >"$W/cp1251.csv"
case_ cp1251 3 "pass --encoding CP1251" -- stats "$W/cp1251.csv"
run stats --encoding CP1251 --format csv "$W/cp1251.csv"
expect_rc 0 cp1251-read; expect_out "Тула" cp1251-read
case_ unknown-encoding 2 "unknown encoding" -- stats --encoding NOPE "$W/cp1251.csv"
printf 'from,to,year\nA,B,1967\nB,C,circa 1970\n' >"$W/baddate.csv"
case_ bad-date 3 "baddate.csv:3: 'circa 1970' in column 'year' is not a year or a date" \
    -- stats "$W/baddate.csv"

# --- --period needs dates ------------------------------------------------------------------
printf 'from,to,note\nA,B,x\nB,C,y\n' >"$W/nodate.csv"
case_ period-no-date 3 "--period needs a column of start years" -- stats --quiet --period 1960-1969 "$W/nodate.csv"
printf 'from,to,Год\nA,B,1967\nB,C,1985-04-01\nC,D,\n' >"$W/god.csv"
run stats --period 1960-1969 --summary --format csv "$W/god.csv"
expect_rc 0 period-god; expect_out "ties,2" period-god; expect_err "1 tie without a start year" period-god
printf 'from,to,signed,ended\nA,B,1950,1955\nB,C,1961,\n' >"$W/named.csv"
run stats --period 1960-1969 --start signed --end ended --summary --format csv "$W/named.csv"
expect_rc 0 period-start-end; expect_out "ties,1" period-start-end
printf 'from,to,start\nA,B,\nB,C,\n' >"$W/nostart.csv"
case_ period-empty-column 3 "--period has nothing to act on: column 'start' is empty in every row" \
    -- stats --period 1960-1969 "$W/nostart.csv"
case_ start-missing 3 "no column 'nope' (given with --start)" -- stats --start nope "$W/named.csv"

# --- the rest of the catalogue (issue 17) --------------------------------------------------------
printf 'from,to,weight\n' >"$W/header.csv"
case_ header-only 3 "header.csv: no ties (the table has no rows with two places)" -- stats "$W/header.csv"
printf 'x,y\nTula,Brno\n' >"$W/nocols.csv"
case_ missing-columns 3 "no columns recognised for the two places; the columns are 'x', 'y'. Name them with --from COL --to COL" -- stats "$W/nocols.csv"
printf 'from,to\nTula,Br\xffno\n' >"$W/badutf8.csv"
case_ invalid-utf8 3 "badutf8.csv:2: the file is not UTF-8 (byte 0xFF)" -- stats "$W/badutf8.csv"
# UTF-16 with a byte-order mark was "not UTF-8 (byte 0xFF) ... pass --encoding CP1251"
printf 'from,to\nTula,Brno\n' | iconv -t UTF-16 >"$W/u16bom.csv"
case_ utf16-bom 3 "u16bom.csv:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); pass --encoding UTF-16" -- stats "$W/u16bom.csv"
printf 'from,to\nTula,Brno\n' | iconv -t UTF-16BE | { printf '\xfe\xff'; cat; } >"$W/u16be.csv"
case_ utf16-be-bom 3 "the file is UTF-16" -- stats "$W/u16be.csv"
printf 'from,to\nTula,Brno\n' | iconv -t UTF-16LE >"$W/u16le.csv"
case_ utf16-no-bom 3 "u16le.csv:1: a NUL byte (field 1); a text table has none. Is the file UTF-16 (pass --encoding UTF-16)" -- stats "$W/u16le.csv"
for f in u16bom u16le; do
    run stats --encoding UTF-16 --format csv "$W/$f.csv"
    expect_rc 0 "$f-read"; expect_out "Tula,1,1" "$f-read"
done
python3 -c "
print('from,to,' + ','.join('c%d' % i for i in range(100000)))
print('Tula,Brno,' + ','.join('x%d' % i for i in range(100000)))" >"$W/wide.csv"
run stats --format csv "$W/wide.csv"
expect_rc 0 wide-100000-columns; expect_out "Tula,1,1" wide-100000-columns
sed -i '1s/^from,to,/a1,a2,/' "$W/wide.csv"
case_ wide-no-place-columns 3 "no columns recognised for the two places; the columns are 'a1', 'a2', 'c0'" -- stats "$W/wide.csv"
rm -f "$W/wide.csv"
for w in nan inf -inf -1 0; do
    printf 'from,to,weight\nTula,Brno,%s\nBrno,Plzen,1\n' "$w" >"$W/w.csv"
    case_ "weight-$w" 3 "w.csv:2: weight '$w' in column 'weight' is not a positive number; weights must be > 0" -- stats "$W/w.csv"
done
printf 'from,to,start,end\nTula,Brno,1970,1960\n' >"$W/rev.csv"
case_ years-reversed 3 "rev.csv:2: the tie ends (1960) before it starts (1970)" -- stats "$W/rev.csv"
printf 'from,to,year\nTula,Brno,20000\n' >"$W/y20000.csv"
case_ year-20000 3 "y20000.csv:2: '20000' in column 'year' is not a year or a date" -- stats "$W/y20000.csv"
# -5 and 3000 were read as years (exit 0)
printf 'from,to,year\nTula,Brno,1967\nBrno,Plzen,-5\n' >"$W/yneg.csv"
case_ year-negative 3 "yneg.csv:3: '-5' in column 'year' is not a plausible year (partnermap reads the years 500 to 2100)" -- stats "$W/yneg.csv"
printf 'from,to,start,end\nTula,Brno,1967,3000-01-01\n' >"$W/y3000.csv"
case_ year-3000 3 "y3000.csv:2: '3000-01-01' in column 'end' is not a plausible year" -- stats "$W/y3000.csv"
printf 'from,to,year\nTula,Brno,0836\n' >"$W/y836.csv"
run stats --summary --format csv "$W/y836.csv"
expect_rc 0 year-836; expect_out "ties,1" year-836
printf 'from,to\nTula,Tula\nBrno,Brno\n' >"$W/loops.csv"
case_ self-loops-only 3 "loops.csv: no ties left: every row ties a place to itself" -- stats "$W/loops.csv"
expect_err "loops.csv:2: self-tie 'Tula' - 'Tula' left out" self-loops-only

# --- devices: /dev/zero never ends (it was read until the memory ran out) ----------------------
# (memory bounded to 4 GB, except under AddressSanitizer, whose shadow memory needs more)
(ldd "$PM" | grep -q libasan || ulimit -v 4000000; timeout 20 "$PM" stats /dev/zero >"$W/out" 2>"$W/err")
RC=$?; ERR=$(cat "$W/err")
expect_rc 4 dev-zero; expect_err "'/dev/zero' is a device, not a tie table" dev-zero
case_ dev-null 4 "'/dev/null' is a device" -- stats /dev/null

# --- damaged GeoPackages, as the tie table and as --geo ------------------------------------------
R="$SRC/geodata/samples/ussr-czechoslovakia-regions/ties.csv"
if ogr2ogr -f GPKG "$W/ties.gpkg" "$R" -nln ties 2>/dev/null; then
    head -c 50000 "$W/ties.gpkg" >"$W/trunc.gpkg"
    case_ gpkg-truncated 4 "cannot read '$W/trunc.gpkg' as a table: database disk image is malformed" -- stats "$W/trunc.gpkg"
    cp "$W/ties.gpkg" "$W/corrupt.gpkg"
    # (page 19 holds the table's rows; before, they read as one tie instead of six, exit 0)
    python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(18 * 4096 + 100)
    f.write(b'\xde\xad' * 1000)" "$W/corrupt.gpkg"
    case_ gpkg-corrupt 3 "'$W/corrupt.gpkg' is damaged (SQLite's check says: " -- stats "$W/corrupt.gpkg"
else
    bad "ogr2ogr could not write a GeoPackage"
fi
head -c 3000000 "$SRC/geodata/world.gpkg" >"$W/world-trunc.gpkg"
case_ geo-truncated 4 "cannot open geometry source '$W/world-trunc.gpkg': database disk image is malformed" -- join "$R" --geo "$W/world-trunc.gpkg"
cp "$SRC/geodata/world.gpkg" "$W/world-corrupt.gpkg"
python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(1 << 20)
    f.write(b'\xde\xad' * (1 << 18))" "$W/world-corrupt.gpkg"
case_ geo-corrupt 4 "reading layer 'admin1' of '$W/world-corrupt.gpkg' failed: In GetNextRawFeature(): sqlite3_step() : database disk image is malformed" -- join "$R" --geo "$W/world-corrupt.gpkg"
rm -f "$W"/world-*.gpkg

# a side file's name or code of white space only (a vertical tab) is no name: it once reached the
# name index as NULL (fuzz_sidefiles found it in a composites file)
printf 'name,lon,lat\n\v,10,50\nBrno,16.6,49.2\n' >"$W/places-blank.csv"
printf 'from,to\nBrno,Praha\n' >"$W/two.csv"
case_ places-blank-name 3 "places-blank.csv:2: place without a name" -- stats "$W/two.csv" --places "$W/places-blank.csv"

finish
