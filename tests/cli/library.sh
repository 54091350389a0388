# The library as another program uses it: installed (libpmcore.a, include/partnermap, a
# pkg-config file), a tiny program built with `pkg-config --cflags --libs partnermap` runs stats through the public
# headers alone, and gets what `partnermap stats` prints.
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$PM")/.." && pwd)
S="$SRC/geodata/samples/sverdlovsk-kazakhstan/ties.csv"

if cmake --install "$BUILD" --prefix "$WORK/inst" >"$WORK/install.log" 2>&1; then ok; else bad "install: $(tail -3 "$WORK/install.log")"; fi
for f in include/partnermap/partnermap.h include/partnermap/pm_net.h include/partnermap/pm_batch.h; do
    if [ -f "$WORK/inst/$f" ]; then ok; else bad "not installed: $f"; fi
done
# private headers stay private
if [ -e "$WORK/inst/include/partnermap/pm_norm.h" ] || [ -e "$WORK/inst/include/partnermap/pm_render_int.h" ]; then
    bad "a private header was installed"
else
    ok
fi
PC=$(ls "$WORK"/inst/lib*/pkgconfig/partnermap.pc "$WORK"/inst/lib/*/pkgconfig/partnermap.pc 2>/dev/null | head -1)
if [ -n "$PC" ]; then ok; else bad "no partnermap.pc installed"; fi
export PKG_CONFIG_PATH="$(dirname "$PC")"

cat >"$WORK/prog.c" <<'C'
#include <partnermap/partnermap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    pm_runtime_init();
    pm_net_opts_t o;
    pm_net_opts_init(&o);
    o.with_geo = o.with_metrics = 1;
    pm_net_t net;
    pm_error_t err;
    pm_diag_t d;
    pm_diag_init(&d);
    int rc = 0;
    if (pm_net_load(argv[1], &o, &net, &d, &err)) {
        fprintf(stderr, "prog: %s\n", err.msg);
        rc = pm_error_exit_code(err.code);
    } else {
        pm_spatial_t sp;
        pm_spatial_init(&sp);
        pm_buf_t b;
        pm_buf_init(&b);
        pm_net_report_view_t v = {PM_FMT_CSV, NULL, 0, 0, 0, argv[1]};
        if (pm_net_spatial(&net, &sp, &err) ||
            pm_net_report_write(&net, &o.metrics, &sp, &v, &b, &err)) {
            fprintf(stderr, "prog: %s\n", err.msg);
            rc = 1;
        } else {
            fputs(pm_buf_str(&b), stdout);
        }
        pm_buf_destroy(&b);
        pm_spatial_destroy(&sp);
        pm_net_destroy(&net);
    }
    pm_diag_destroy(&d);
    pm_runtime_teardown();
    return rc;
}
C
SAN=""
if grep -q 'PM_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then SAN="-fsanitize=address,undefined"; fi
if cc -std=c17 $SAN -o "$WORK/prog" "$WORK/prog.c" $(pkg-config --cflags --libs partnermap) 2>"$WORK/cc.log"; then
    ok
else
    bad "the tiny program does not build: $(head -5 "$WORK/cc.log")"
fi
export PARTNERMAP_DATA="$WORK/inst/share/partnermap"
"$WORK/prog" "$S" >"$WORK/lib.csv" 2>"$WORK/lib.err"
if [ $? -eq 0 ]; then ok; else bad "the tiny program failed: $(cat "$WORK/lib.err")"; fi
"$PM" stats "$S" --spatial --format csv --quiet >"$WORK/cli.csv"
expect_same "$WORK/cli.csv" "$WORK/lib.csv" library-equals-cli
# an error through the library: a status and a message, nothing printed by the library itself
"$WORK/prog" "$WORK/missing.csv" >"$WORK/out2" 2>"$WORK/err2"
rc=$?
if [ "$rc" -eq 4 ] || [ "$rc" -eq 3 ]; then ok; else bad "missing file through the library: exit $rc"; fi
if [ "$(grep -c . "$WORK/err2")" -eq 1 ] && grep -q "^prog: .*missing.csv" "$WORK/err2"; then ok; else bad "library printed: $(cat "$WORK/err2")"; fi

finish
