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
case_ start-missing 3 "no column 'nope' (given with --start)" -- stats --start nope "$W/named.csv"

finish
