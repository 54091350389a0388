#!/usr/bin/env bash
# partnermap batch with --facet period in a manifest: the small multiples use the batch's shared
# scales (tie widths, circle sizes, fill classes, extent) like its other runs' maps; with
# --independent-scales, their own.
. "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null || { echo "pdftotext missing (poppler-utils)" >&2; exit 1; }
printf 'from,to,from_country,to_country,weight\nMoscow Oblast,Tula Oblast,RU,RU,40\nTula Oblast,Kaluga Oblast,RU,RU,10\n' >"$WORK/a.csv"
printf 'from,to,from_country,to_country,weight,start\nMoscow Oblast,Tula Oblast,RU,RU,1,1960\nTula Oblast,Kaluga Oblast,RU,RU,2,1975\nKaluga Oblast,Oryol Oblast,RU,RU,1,1982\n' >"$WORK/b.csv"
printf 'name,ties,options\na,%s,\nb,%s,--facet period --step 10\n' "$WORK/a.csv" "$WORK/b.csv" >"$WORK/m.csv"

run batch --manifest "$WORK/m.csv" -o "$WORK/shared" --figures pdf --quiet
expect_rc 0 shared-runs
A=$(pdftotext "$WORK/shared/a/map.pdf" - | tr '\n' ' ')
B=$(pdftotext "$WORK/shared/b/map.pdf" - | tr '\n' ' ')
case "$B" in *"1960–1969"*"1980–1982"*) ok ;; *) bad "shared: b is not small multiples: $B" ;; esac
# the tie widths: the legend's largest weight is the batch's (run a's 40), not b's own 2
case "$B" in *"Ties: weight"*"40"*) ok ;; *) bad "shared: b's tie widths are its own: $B" ;; esac
# the fill classes: a's
CA=$(printf '%s' "$A" | grep -o '0\.4 – 0\.6 0\.7 – 1\.4 1\.5')
case "$B" in *"$CA"*) [ -n "$CA" ] && ok || bad "shared: no classes in a: $A" ;; *) bad "shared: b's classes are not a's: $B" ;; esac

run batch --manifest "$WORK/m.csv" -o "$WORK/own" --figures pdf --quiet --independent-scales
expect_rc 0 independent-runs
B=$(pdftotext "$WORK/own/b/map.pdf" - | tr '\n' ' ')
case "$B" in *"Ties: weight"*"40"*) bad "independent: b took the batch's widths: $B" ;; *) ok ;; esac

finish
