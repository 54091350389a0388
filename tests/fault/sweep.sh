# The allocation-failure sweep (issue 17): `stats`, `join` and `map` on a sample, with the N-th
# memory allocation failing (tests/fault/failalloc.c, LD_PRELOAD), for N sampled evenly over all
# the allocations of the command. Two scopes:
#   exe  only allocations made by partnermap's own code: each must end in a clean exit 1 with a
#        message (or, where a fallback exists, a normal exit 0)
#   all  every allocation of the process, the libraries' included: a crash (signal) or a hang is a
#        failure, except an abort inside a library that aborts on an allocation failure by design
#        (glib's g_malloc under pango; C++ operator new in GDAL throwing std::bad_alloc that GDAL
#        does not catch). Those are counted and listed, not hidden.
# Run as: bash sweep.sh PARTNERMAP SOURCE_DIR LIBFAILALLOC.so
# PM_SWEEP_SAMPLES (default 12; every N when a command makes at most 300) is the number of N per command and scope; `PM_SWEEP_SAMPLES=0`
# means every N (hours).
set -u
PM=$1
SRC=$2
SHIM=$3
SAMPLES=${PM_SWEEP_SAMPLES:-12}
WORK=$(mktemp -d /tmp/pm_fault.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8
R="$SRC/geodata/samples/ussr-czechoslovakia-regions/ties.csv"
# Not under AddressSanitizer: ASan's allocator replaces malloc in an instrumented program, and an
# LD_PRELOAD shim before it crashes at start-up (ASan's dlsym interceptor is called before ASan
# has the real one) or never sees the program's allocations. The normal build is swept instead.
if ldd "$PM" | grep -q libasan; then
    echo "skip: the allocation-failure sweep runs in the normal build only (an LD_PRELOAD shim" \
        "cannot stand before AddressSanitizer's allocator)"
    exit 0
fi

FAILED=0
bad() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# args_of CMD: the command line of one swept command
args_of() {
    case $1 in
    stats) echo "stats $R -o $WORK/s.csv" ;;
    join) echo "join $R -o $WORK/j.csv" ;;
    map) echo "map $R -o $WORK/m.png -o $WORK/m.svg --stats $WORK/ms.csv" ;;
    esac
}

# attempt CMD SCOPE N: runs it; sets RC, and LOG to the shim's log
attempt() {
    rm -f "$WORK/log" "$WORK"/*.csv "$WORK"/*.png "$WORK"/*.svg
    # shellcheck disable=SC2046
    # (in a subshell whose stderr is dropped: bash's own "Aborted" lines are not the test's)
    (PM_FAILALLOC_N=$3 PM_FAILALLOC_SCOPE=$2 PM_FAILALLOC_LOG="$WORK/log" LD_PRELOAD="$SHIM" \
        timeout -k 5 60 "$PM" $(args_of "$1") >"$WORK/out" 2>"$WORK/err"
        rc=$?
        exit $rc) 2>/dev/null
    RC=$?
    LOG=$(cat "$WORK/log" 2>/dev/null)
}

# library_abort: the failed allocation was made inside a library that aborts on failure by design
# crash_site: the first frame of the crash's stack outside the shim and libc (its signal
# trampoline, abort(), free()'s checks: the caller is what crashed); alloc_site: the first frame of the failed allocation's stack outside the shim
crash_site() {
    printf '%s\n' "$LOG" | sed -n '/^crash:/,$p' | grep -v -e '^crash' -e libfailalloc |
        grep -v -E 'libc\.so\.6\(' | head -1
}
alloc_site() {
    printf '%s\n' "$LOG" | sed -n '/^failed allocation:/,/^crash:/p' |
        grep -v -e '^failed' -e '^crash' -e libfailalloc | head -1
}
# library_crash: a library crashed after one of its own allocations failed (a bug of that
# library, which partnermap cannot catch): neither stack's first frame is partnermap's
library_crash() {
    local c a
    c=$(crash_site)
    a=$(alloc_site)
    [ -n "$c" ] && [ -n "$a" ] && ! printf '%s\n%s\n' "$c" "$a" | grep -q '/partnermap('
}
# (the first frame outside the shim is the allocator the library called: glib's g_malloc family,
# C++ operator new, GDAL's CPLMalloc family, which all end the process when memory runs out)
library_abort() {
    printf '%s\n' "$LOG" | sed -n '/^failed allocation:/,$p' | grep -v -e '^failed' -e libfailalloc |
        head -1 | grep -qE 'libglib-2\.0.*\(g_(try_)?(malloc|malloc0|realloc|strdup|strndup|memdup)|_Znwm|_Znam|\(CPL(Malloc|Realloc|Calloc|Strdup)\+'
}

for scope in exe all; do
    for cmd in stats join map; do
        attempt "$cmd" "$scope" 0
        total=$(printf '%s\n' "$LOG" | sed -n 's/^count \([0-9]*\) .*/\1/p' | head -1)
        if [ "$RC" -ne 0 ] || [ -z "$total" ]; then
            bad "$cmd: the counting run failed (exit $RC): $(head -c 300 "$WORK/err")"
            continue
        fi
        # what a run that absorbed its failure must have written all the same
        rm -rf "$WORK/ref" && mkdir "$WORK/ref"
        cp "$WORK"/out "$WORK"/*.csv "$WORK"/*.png "$WORK"/*.svg "$WORK/ref/" 2>/dev/null
        n=${SAMPLES}
        # every N when there are few (stats: partnermap's own ~250 allocations, 15 s)
        [ "$n" -eq 0 ] || [ "$n" -gt "$total" ] || [ "$total" -le 300 ] && n=$total
        clean=0 absorbed=0 libabort=0 libabort_n="" libcrash=0 libcrash_n="" libdiff=0 libdiff_n=""
        hidden=0 hidden_n=""
        for i in $(seq 1 "$n"); do
            N=$(((i * total + n - 1) / n))             # evenly spaced, the last one included
            [ "$i" -eq 1 ] && N=1
            attempt "$cmd" "$scope" "$N"
            msg=$(head -c 400 "$WORK/err")
            if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
                bad "$cmd $scope N=$N: hung (killed after 60 s)"
            elif grep -q 'Sanitizer' "$WORK/err"; then
                bad "$cmd $scope N=$N: sanitizer report: $(grep -m3 -E 'Sanitizer|#[0-9] ' "$WORK/err")"
            elif [ "$RC" -ge 128 ]; then
                if library_abort; then
                    libabort=$((libabort + 1)); libabort_n="$libabort_n $N"
                elif library_crash; then
                    libcrash=$((libcrash + 1))
                    libcrash_n="$libcrash_n $N($(crash_site | sed 's/^.*\/\([^/(]*\)(\([^+)]*\).*/\1:\2/'))"
                else
                    bad "$cmd $scope N=$N: killed by signal $((RC - 128)); failed allocation:
$(printf '%s\n' "$LOG" | sed -n '/^failed allocation:/,$p' | sed -n '2,10p')"
                fi
            elif [ "$RC" -eq 0 ]; then
                absorbed=$((absorbed + 1))
                differs=""
                for f in "$WORK"/ref/*; do
                    cmp -s "$f" "$WORK/$(basename "$f")" || differs="$differs $(basename "$f")"
                done
                if [ -z "$differs" ]; then :
                elif [ "$scope" = all ] && ! alloc_site | grep -q '/partnermap('; then
                    # a library went on without what it could not allocate (fontconfig: a font
                    # substitution): another figure, and no error partnermap could see
                    libdiff=$((libdiff + 1))
                    libdiff_n="$libdiff_n $N($(alloc_site | sed 's/^.*\/\([^/(]*\)(\([^+)]*\).*/\1:\2/'))"
                else
                    bad "$cmd $scope N=$N: exit 0 but$differs differ from a run without the failure"
                fi
            elif [ "$RC" -eq 1 ] && [ -n "$msg" ]; then
                clean=$((clean + 1))
            elif [ "$scope" = all ] && [ "$RC" -ge 2 ] && [ "$RC" -le 5 ] && [ -n "$msg" ] &&
                ! grep -qiE 'out of memory|bad_alloc|cannot allocate' "$WORK/err" &&
                ! alloc_site | grep -q '/partnermap('; then
                # a library reported its failed allocation as another error, without saying it
                # was memory (SQLite: "failed to prepare SQL"): partnermap cannot tell
                hidden=$((hidden + 1)); hidden_n="$hidden_n $N"
            else
                bad "$cmd $scope N=$N: exit $RC, want 1 with a message; stderr: $msg"
            fi
        done
        echo "$cmd $scope: $total allocations, $n tried: $clean exit 1 with a message," \
            "$absorbed exit 0 (failure absorbed), $libabort aborts inside a library${libabort_n:+ (N =$libabort_n)}," \
            "$libcrash crashes inside a library after its own failed allocation${libcrash_n:+ (N =$libcrash_n)}," \
            "$libdiff other outputs (the failure absorbed inside a library)${libdiff_n:+ (N =$libdiff_n)}," \
            "$hidden other exit codes (a library's message hiding that memory ran out)${hidden_n:+ (N =$hidden_n)}"
    done
done
echo "$FAILED failed"
[ "$FAILED" -eq 0 ]
