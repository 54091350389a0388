# valgrind memcheck over partnermap's commands (issue 17): each command below runs under
# valgrind with --error-exitcode, so an invalid read or write, a use of uninitialised memory or a
# bad free fails the test. Leaks are not checked (the libraries' one-time allocations; see
# scripts/test.sh). ctest label `slow`: not in the README's test command (see docs/reliability.md
# for its time). Run as
#   bash tests/valgrind/memcheck.sh PARTNERMAP SOURCE_DIR         a dozen commands (~3 min)
#   bash tests/valgrind/memcheck.sh PARTNERMAP SOURCE_DIR all     every CLI test script (hours)
set -u
PM=$1
SRC=$2
MODE=${3:-some}
WORK=$(mktemp -d /tmp/pm_vg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8
VG=(valgrind -q --error-exitcode=99 --leak-check=no --track-origins=no
    --suppressions="$SRC/tests/valgrind/libs.supp" --trace-children=yes)

if [ "$MODE" = all ]; then
    # every CLI test, with partnermap run under valgrind (a wrapper in place of the binary)
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${VG[*]}" "$PM" >"$WORK/partnermap"
    chmod +x "$WORK/partnermap"
    failed=0
    for t in "$SRC"/tests/cli/*.sh; do
        [ "$(basename "$t")" = lib.sh ] && continue
        bash "$t" "$WORK/partnermap" "$SRC" || failed=$((failed + 1))
    done
    echo "$failed test scripts failed under valgrind"
    [ "$failed" -eq 0 ]
    exit
fi

S="$SRC/geodata/samples"
R="$S/ussr-czechoslovakia-regions/ties.csv"
C="$S/ussr-czechoslovakia-cities"
PASSED=0
FAILED=0
# vg WANT_EXIT ARGS...: partnermap ARGS under valgrind; its exit must be WANT_EXIT (99 = memcheck)
vg() {
    local want=$1
    shift
    local t0=$SECONDS
    "${VG[@]}" "$PM" "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        echo "FAIL: partnermap $* -> exit $rc, want $want" >&2
        grep -A12 -m1 '^==[0-9]*== ' "$WORK/err" >&2
    fi
    echo "$((SECONDS - t0)) s: partnermap $*"
}

vg 0 stats "$R" -o "$WORK/s.csv"
vg 0 stats --period 1960-1979 --format json "$R"
vg 0 join "$R" -o "$WORK/j.csv"
vg 0 join "$C/ties.csv" --places "$C/places.csv" -o "$WORK/jc.csv"
vg 0 map "$R" -o "$WORK/m.png" -o "$WORK/m.svg" -o "$WORK/m.pdf" --stats "$WORK/ms.csv"
vg 0 export "$R" -o "$WORK/e.gpkg" -o "$WORK/e.graphml"
vg 0 batch --quiet -j 1 --figures svg -o "$WORK/b" "$R" "$S/sverdlovsk-kazakhstan/ties.csv"
vg 0 stats "$R" --uncertainty 10 --weight-noise 0.2 --resample ties --format json
# the uncertainty marks of a map (rings, hatching) and a timeline's intervals
printf 'from,to,from_country,to_country,weight,confidence\nSverdlovsk Oblast,Západočeský kraj,RU,CS,3,documented\nSverdlovsk Oblast,Jihomoravský kraj,RU,CS,2,probable\nVoronezh Oblast,Jihomoravský kraj,RU,CS,1,documented\nTula Oblast,Stredoslovenský kraj,RU,CS,2,probable\nVladimir Oblast,Tula Oblast,RU,RU,1,probable\n' >"$WORK/unc.csv"
vg 0 map "$WORK/unc.csv" --fill strength --nclasses 3 --size betweenness --uncertainty 10 -o "$WORK/unc.svg" --quiet
vg 0 timeline "$SRC/tests/data/timeline/ties.csv" --step 10 --uncertainty 5 --keep-documented 0.7 --quiet
# error paths
printf 'from,to\nA,B\n"C,D\nE,F\n' >"$WORK/open.csv"
vg 3 stats "$WORK/open.csv"
printf 'from,to,weight\nTula,Brno,nan\n' >"$WORK/nan.csv"
vg 3 stats "$WORK/nan.csv"
printf 'from,to\nTula,Brno\n' | iconv -t UTF-16 >"$WORK/u16.csv"
vg 0 stats --encoding UTF-16 "$WORK/u16.csv"
vg 4 stats /dev/zero
vg 4 map "$R" -o "$WORK/no/such/dir/m.png"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
