# The help texts name the metrics of the registry (src/core/pm_metric.c), no more, no fewer. The
# help texts are string literals (CLI_MAP_HELP, the stats and export help), so they cannot be built
# from the registry; this test holds them to it. The registry's lists are read from the program's
# own answers: the columns of a directed, spatial statistics CSV (the report's metrics), and the
# lists in the messages for an unknown --fill and --sort metric.
source "$(dirname "$0")/lib.sh"

S="$SRC/geodata/samples/ussr-czechoslovakia-cities"
words() { tr -c 'a-z_\n' ' ' | tr -s ' ' '\n' | grep -v '^$'; }
same_set() { # LABEL WANT GOT (newline-separated words)
    local w g
    w=$(printf '%s\n' "$2" | sort -u)
    g=$(printf '%s\n' "$3" | sort -u)
    if [ "$w" = "$g" ]; then ok; else
        bad "$1: the help's list differs from the registry's: $(diff <(echo "$w") <(echo "$g") | grep '^[<>]' | tr '\n' ' ')"
    fi
}
# the words of an option's paragraph in a help text: from the option to the next option or blank
paragraph() { # HELP OPTION
    printf '%s\n' "$1" | awk -v o="$2" '
        index($0, "  " o " ") == 1 { on = 1; sub("^  " o " +[A-Z]+ +", ""); print; next }
        on && (/^  -/ || /^$/) { exit }
        on { print }' | tr '\n' ' '
}

# the registry, as the program reports it
run stats "$S/ties.csv" --places "$S/places.csv" --directed --spatial --format csv
expect_rc 0 registry-columns
columns=$(printf '%s\n' "$OUT" | head -1 | tr ',' '\n')
metrics=$(printf '%s\n' "$columns" | grep -vx -e place -e group -e unit)
run map "$S/ties.csv" --places "$S/places.csv" --fill no_such_metric -o "$WORK/x.png"
expect_rc 2 registry-fill
fill=$(printf '%s\n' "$ERR" | head -1 | sed 's/.*; use //' | words)
run stats "$S/ties.csv" --sort no_such_metric
expect_rc 2 registry-sort
sort_list=$(printf '%s\n' "$ERR" | head -1 | sed 's/.*sort by one of //' | words |
    grep -vx -e and -e with -e the -e places -e joined)
[ "$(printf '%s\n' "$metrics" | wc -l)" -ge 10 ] && ok || bad "registry: too few metrics: $metrics"
printf '%s\n' "$fill" | grep -qx pagerank_n && ok || bad "registry: pagerank_n not fillable"

# map --help (and batch --help, which prints the same CLI_MAP_HELP): --fill
run map --help
same_set "map --help --fill" "$fill" "$(paragraph "$OUT" --fill | sed 's/([^)]*)//g; s/^[^:]*: //' | words)"
run batch --help
same_set "batch --help --fill" "$fill" "$(paragraph "$OUT" --fill | sed 's/([^)]*)//g; s/^[^:]*: //' | words)"

# stats --help: --sort, and the CSV columns in their order
run stats --help
same_set "stats --help --sort" "$sort_list" \
    "$(paragraph "$OUT" --sort | sed 's/(default)//; s/^order places by //; s/with --spatial//' | words |
        grep -vx -e and)"
csv_help=$(printf '%s\n' "$OUT" | sed -n '/^CSV columns:/,/^$/p' | sed 's/^CSV columns://; s/when present//' |
    words | grep -vx -e then)
if [ "$csv_help" = "$columns" ]; then ok; else
    bad "stats --help CSV columns: '$(echo $csv_help)', the program writes '$(echo $columns)'"
fi

# export --help: the places' metric columns are the registry's, in its order
run export --help
places=$(printf '%s\n' "$OUT" | sed -n '/^Places:/,/^Ties/p' | sed '$d' | words)
in_help=$(printf '%s\n' "$places" | grep -x -F "$(printf '%s\n' "$metrics")")
if [ "$in_help" = "$metrics" ]; then ok; else
    bad "export --help names the metrics '$(echo $in_help)', the registry '$(echo $metrics)'"
fi

finish
