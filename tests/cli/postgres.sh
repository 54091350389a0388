# CLI cases against a real PostgreSQL server started here (initdb in a temporary folder, a Unix
# socket in it, no TCP; stopped at the end, pass or fail): stats, join, map and export read a tie
# table through PG:"host=... password=...", give the numbers the CSV gives, and no output
# (terminal, errors, warnings, CSV/LaTeX/JSON/Markdown, PNG/SVG/PDF metadata, GeoPackage, GeoJSON,
# GraphML, GML, batch folders and summaries) holds the password, in any of its written forms
# (password=secret, password='sec ret', postgresql://user:secret@...). batch takes PG: sources on
# the command line and in a manifest. Needs postgresql-15 (scripts/deps.sh installs it): when
# the server is missing the test fails rather than skips.
. "$(dirname "$0")/lib.sh"
R="$SRC/geodata/samples/ussr-czechoslovakia-regions/ties.csv"
PGBIN=/usr/lib/postgresql/15/bin

if [ ! -x "$PGBIN/initdb" ] || ! command -v psql >/dev/null || ! command -v ogr2ogr >/dev/null; then
    bad "postgresql-15 (initdb, psql) or gdal-bin missing: run scripts/deps.sh"
    finish
    exit 1
fi

# the cluster's folder belongs to the user the server runs as (initdb refuses root)
PGD=$(mktemp -d /tmp/pm_pg.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PGD"
chmod 755 "$PGD"
stop_server() {
    as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$PGD" "$WORK"
}
trap stop_server EXIT
printf 'admin-pw\n' >"$PGD/pw"
chmod 644 "$PGD/pw"
if ! as_pg "$PGBIN/initdb" -D "$PGD/data" -U pmadmin --pwfile="$PGD/pw" --auth-local=scram-sha-256 \
    --auth-host=reject -E UTF8 --locale=C.UTF-8 >"$PGD/initdb.log" 2>&1 ||
    ! as_pg "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/server.log" -w -t 30 \
        -o "-c listen_addresses='' -k $PGD -c fsync=off" start >/dev/null 2>&1; then
    bad "cannot start a PostgreSQL server: $(tail -3 "$PGD/initdb.log" "$PGD/server.log" 2>/dev/null)"
    finish
    exit 1
fi
PGPASSWORD=admin-pw psql -h "$PGD" -U pmadmin -d postgres -qX -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE historian LOGIN PASSWORD 'secret'" \
    -c "CREATE ROLE archivist LOGIN PASSWORD 'sec ret'" \
    -c "CREATE DATABASE ties OWNER historian" -c "GRANT CONNECT ON DATABASE ties TO archivist" >/dev/null ||
    bad "psql: cannot create the roles"
PGPASSWORD=secret ogr2ogr -f PostgreSQL "PG:host=$PGD dbname=ties user=historian" "$R" -nln regions ||
    bad "ogr2ogr: cannot load the tie table"
PGPASSWORD=secret psql -h "$PGD" -U historian -d ties -qX -c "GRANT SELECT ON regions TO archivist" >/dev/null

CONN="PG:host=$PGD dbname=ties user=historian password=secret"
QUOTED="PG:host=$PGD dbname=ties user=archivist password='sec ret'"
URI="PG:postgresql://historian:secret@/ties?host=$PGD"

# no_secret LABEL FILE...: none of the files (text or binary) holds the password
no_secret() {
    local label=$1 f
    shift
    for f in "$@"; do
        if [ ! -e "$f" ]; then bad "$label: $f missing"; continue; fi
        if grep -a -q -e 'secret' -e 'sec ret' "$f"; then
            bad "$label: $f holds the password: $(grep -a -o -m1 '.\{0,30\}sec.\{0,10\}' "$f" | head -1)"
        else
            ok
        fi
    done
}

# the numbers through PostgreSQL equal those of the CSV
"$PM" stats "$R" --summary --format csv >"$WORK/csv_summary.csv" 2>/dev/null
for src in "$CONN" "$QUOTED" "$URI"; do
    run stats "$src" --layer regions --summary --format csv
    expect_rc 0 "stats $src"
    if [ "$OUT" = "$(cat "$WORK/csv_summary.csv")" ]; then ok; else bad "stats through PG differs from the CSV"; fi
    printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/stats_summary.txt"
    no_secret "stats summary" "$WORK/stats_summary.txt"
done

# every command and format, each with the password in the command line
run stats "$CONN" --layer regions
expect_rc 0 stats-terminal; expect_out "password=***" stats-terminal-header
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/stats_terminal.txt"
for fmt in csv tsv json markdown latex; do
    "$PM" stats "$QUOTED" --layer regions --spatial --format $fmt -o "$WORK/stats.$fmt" 2>"$WORK/stats_$fmt.err" ||
        bad "stats --format $fmt"
done
no_secret stats "$WORK/stats_terminal.txt" "$WORK"/stats.* "$WORK"/stats_*.err
if grep -q "caption{PG:host=.*password='\\\\\*\\\\\*\\\\\*'" "$WORK/stats.latex" ||
    grep -q 'caption{PG:.*password=' "$WORK/stats.latex"; then ok; else bad "latex caption: $(grep caption "$WORK/stats.latex")"; fi

for fmt in text csv json; do
    "$PM" join "$URI" --layer regions --format $fmt -o "$WORK/join.$fmt" 2>"$WORK/join_$fmt.err" || bad "join --format $fmt"
done
no_secret join "$WORK"/join.* "$WORK"/join_*.err

run map "$CONN" --layer regions --stats - --join-report "$WORK/m_join.csv" -o "$WORK/m.png" -o "$WORK/m.svg" -o "$WORK/m.pdf"
expect_rc 0 map
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/map_terminal.txt"
no_secret map "$WORK/map_terminal.txt" "$WORK/m_join.csv" "$WORK/m.png" "$WORK/m.svg" "$WORK/m.pdf"
# the command line is still recorded, without the password
if command -v pdfinfo >/dev/null; then
    pdfinfo "$WORK/m.pdf" >"$WORK/pdfinfo.txt" 2>&1
    if grep -q '^Subject:.*password=\*\*\*' "$WORK/pdfinfo.txt"; then ok; else bad "pdf subject: $(grep Subject "$WORK/pdfinfo.txt")"; fi
    no_secret "pdfinfo" "$WORK/pdfinfo.txt"
fi
strings -e l "$WORK/m.pdf" >"$WORK/pdf16le.txt"; strings -e b "$WORK/m.pdf" >"$WORK/pdf16be.txt"
no_secret "pdf utf-16" "$WORK/pdf16le.txt" "$WORK/pdf16be.txt"
if grep -q '<dc:description>.*password=\*\*\*' "$WORK/m.svg"; then ok; else bad "svg metadata lacks the redacted command line"; fi
if grep -a -q 'Description.*password=\*\*\*' "$WORK/m.png"; then ok; else bad "png description lacks the redacted command line"; fi

run export "$QUOTED" --layer regions -o "$WORK/e.gpkg" -o "$WORK/e.geojson" -o "$WORK/e.graphml" -o "$WORK/e.gml"
expect_rc 0 export
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/export_terminal.txt"
no_secret export "$WORK/export_terminal.txt" "$WORK/e.gpkg" "$WORK/e.geojson" "$WORK/e_ties.geojson" "$WORK/e.graphml" "$WORK/e.gml"

# errors and warnings: a wrong password, a missing table, a bad option, a filter that keeps nothing
run stats "PG:host=$PGD dbname=ties user=historian password=secretly-wrong" --layer regions
expect_rc 4 wrong-password; expect_err "password authentication failed" wrong-password
printf '%s\n' "$ERR" >"$WORK/e1.txt"
run join "$URI" --layer nosuch
expect_rc 4 no-table; expect_err "no sheet or table 'nosuch'" no-table
printf '%s\n' "$ERR" >"$WORK/e2.txt"
run stats "$QUOTED" --layer regions --where nosuchcol=1
printf '%s\n' "$ERR" >"$WORK/e3.txt"
run stats "$CONN" "$CONN" --layer regions
expect_rc 2 two-inputs
printf '%s\n' "$ERR" >"$WORK/e4.txt"
run map "$CONN" --layer regions --where type=none -o "$WORK/none.png"
printf '%s\n' "$ERR" >"$WORK/e5.txt"
no_secret errors "$WORK"/e[1-5].txt

# batch: PG: sources on the command line and in a manifest, as in stats
run batch -o "$WORK/b1" --layer regions --figures png,pdf "$CONN" "$URI"
expect_rc 0 batch-cli
if grep -q '^0,ties,ok,12,6,' "$WORK/b1/summary.csv" && grep -q '^1,ties-2,ok,12,6,' "$WORK/b1/summary.csv"; then
    ok
else
    bad "batch summary: $(cat "$WORK/b1/summary.csv")"
fi
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/batch_terminal.txt"
no_secret batch-cli "$WORK/batch_terminal.txt" $(find "$WORK/b1" -type f)
cat >"$WORK/manifest.csv" <<CSV
name,ties,options
documented,"$QUOTED",--layer regions --where confidence=documented
all,"$CONN",--layer regions
file,$R,
missing,"PG:host=$PGD dbname=ties user=historian password=secret",--layer nosuch
CSV
run batch -o "$WORK/b2" --figures svg "$WORK/manifest.csv"
expect_rc 3 batch-manifest
if grep -q '^0,documented,ok,2,1,' "$WORK/b2/summary.csv" && grep -q '^1,all,ok,12,6,' "$WORK/b2/summary.csv" &&
    grep -q "^3,missing,failed,.*no sheet or table 'nosuch'" "$WORK/b2/summary.csv"; then
    ok
else
    bad "batch manifest summary: $(cat "$WORK/b2/summary.csv")"
fi
printf '%s\n%s\n' "$OUT" "$ERR" >"$WORK/batch2_terminal.txt"
no_secret batch-manifest "$WORK/batch2_terminal.txt" $(find "$WORK/b2" -type f)
# run again: the file run is unchanged and skipped; a database table has no bytes to hash and
# is redone
run batch -o "$WORK/b2" --figures svg "$WORK/manifest.csv"
if grep -q '^2,file,skipped,' "$WORK/b2/summary.csv" && grep -q '^1,all,ok,' "$WORK/b2/summary.csv"; then
    ok
else
    bad "batch rerun: $(cat "$WORK/b2/summary.csv")"
fi
finish
