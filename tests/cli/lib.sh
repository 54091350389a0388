# Shared helpers for the CLI tests. Each test script is run by ctest as
#   bash tests/cli/NAME.sh PATH/TO/partnermap SOURCE_DIR
# and ends with the line "N passed, M failed" (non-zero exit when anything failed).
set -u
PM=$1
SRC=$2
WORK=$(mktemp -d /tmp/pm_cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PASSED=0
FAILED=0
export LC_ALL=C.UTF-8

ok() { PASSED=$((PASSED + 1)); }
bad() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# run ARGS...: runs partnermap, keeping stdout, stderr and the exit code in OUT, ERR, RC.
run() {
    "$PM" "$@" >"$WORK/out" 2>"$WORK/err"
    RC=$?
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
}

expect_rc() { # CODE LABEL
    if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, want $1; stderr: $ERR"; fi
}
expect_out() { # SUBSTRING LABEL
    case "$OUT" in *"$1"*) ok ;; *) bad "$2: stdout lacks '$1': ${OUT:0:400}" ;; esac
}
expect_err() { # SUBSTRING LABEL
    case "$ERR" in *"$1"*) ok ;; *) bad "$2: stderr lacks '$1': ${ERR:0:400}" ;; esac
}
expect_no_file() { # PATH LABEL
    if [ -e "$1" ]; then bad "$2: '$1' exists"; else ok; fi
    # nor a temporary file beside it
    if ls -a "$(dirname "$1")" | grep -q "^\.$(basename "$1")\."; then bad "$2: temp file left"; else ok; fi
}
expect_same() { # FILE1 FILE2 LABEL
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; diff "$1" "$2" | head -5 >&2; fi
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
