/*
 * test_approx: historical units drawn as today's units that only approximate them (issue 15: a
 * GDR Bezirk drawn as its Land). An alias row's approx column (or notes beginning
 * "Approximation:", the older form) marks the match (pm_join_match_t.approx), the join report's
 * note says how the unit differs, the pipeline warns, and the map's credit line names the places:
 * never drawn silently. Exact aliases (no approx) say nothing of the kind.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_buf.h"
#include "pm_join.h"
#include "pm_net.h"
#include "pm_runtime.h"
#include "pm_test.h"

/* Two squares: Alpha (AA), Beta (BB). */
static const char *geo_file(void)
{
    static const char *const codes[] = {"AA", "BB"}, *const names[] = {"Alpha", "Beta"};
    static const double lon[] = {10, 12}, lat[] = {50, 50};
    return pm_test_squares("g.geojson", codes, names, lon, lat, 2);
}

static const char *aliases_file(void)
{
    return pm_test_file(
        "aliases.csv",
        "alias,target_code,target_layer,country,valid_from,valid_to,source,notes,approx\n"
        "Bezirk Alpha,AA,,,1952,1990,https://example.org,,\"coarse: the land also holds "
        "Bezirk Gamma\"\n"
        "Old Beta,BB,,,,1990,https://example.org,Approximation: Beta grew in 1991. More.,\n"
        "Beta Renamed,BB,,,,1990,https://example.org,a plain rename,\n");
}

static int said(const pm_diag_t *d, const char *what)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, what))
            return 1;
    return 0;
}

static void test_join_marks(void)
{
    char *al = strdup(aliases_file());
    const char *geo_src = geo_file();
    pm_geo_opts_t go;
    pm_geo_opts_init(&go);
    go.source = geo_src;
    go.data_aliases = al;
    pm_geo_t *geo = NULL;
    pm_error_t err;
    CHECK_INT(pm_geo_open(&go, &geo, &err), PM_OK);
    if (!geo) {
        free(al);
        return;
    }
    pm_place_query_t q[] = {{"Bezirk Alpha", NULL, 0},
                            {"Old Beta", NULL, 0},
                            {"Beta Renamed", NULL, 0},
                            {"Alpha", NULL, 0}};
    pm_join_result_t r;
    pm_join_result_init(&r);
    CHECK_INT(pm_join_run(geo, NULL, q, 4, &r, NULL, &err), PM_OK);
    if (r.n == 4) {
        CHECK_STR(r.m[0].code, "AA");
        CHECK(r.m[0].approx && strstr(r.m[0].approx, "also holds Bezirk Gamma"));
        CHECK_CONTAINS(r.m[0].note, "approximation: coarse: the land also holds Bezirk Gamma");
        CHECK_CONTAINS(r.m[0].note, "aliases.csv:2");
        /* the older form: the first sentence of notes that begin "Approximation:" */
        CHECK(r.m[1].approx && !strcmp(r.m[1].approx, "Beta grew in 1991"));
        CHECK_CONTAINS(r.m[1].note, "approximation: Beta grew in 1991");
        /* an exact rename and a name: nothing approximated */
        CHECK_STR(r.m[2].code, "BB");
        CHECK(r.m[2].approx == NULL);
        CHECK(r.m[2].note == NULL || strstr(r.m[2].note, "approximation") == NULL);
        CHECK(r.m[3].approx == NULL);
        pm_buf_t b;
        pm_buf_init(&b);
        CHECK_INT(pm_join_approx_list(&r, 1, &b), 2);
        CHECK_STR(pm_buf_str(&b), "'Bezirk Alpha' as Alpha, and 1 more");
        pm_buf_destroy(&b);
        CHECK_INT(pm_join_approx_list(&r, 0, NULL), 2);
    }
    pm_join_result_destroy(&r);
    pm_geo_free(geo);
    free(al);
}

/* Through the pipeline: a warning, and the map's credit line (after the user's credit). */
static void test_pipeline_and_map(void)
{
    char *al = strdup(aliases_file());
    const char *geo_src = geo_file();
    const char *ties = pm_test_file("t.csv", "from,to\nBezirk Alpha,Beta Renamed\n");
    pm_net_opts_t o;
    pm_net_opts_init(&o);
    o.with_geo = 1;
    o.with_metrics = 1;
    o.geo.source = geo_src;
    o.geo.data_aliases = al;
    pm_net_t net;
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    CHECK_INT(pm_net_load(ties, &o, &net, &d, &err), PM_OK);
    CHECK(said(&d, "1 place drawn as today's unit that only approximates the historical unit "
                   "named: 'Bezirk Alpha' as Alpha"));
    pm_map_opts_t mo;
    pm_map_opts_init(&mo);
    mo.credit = "Data: a test";
    pm_net_map_opts_t nmo = {NULL, NULL, NULL};
    pm_net_map_t m;
    CHECK_INT(pm_net_map_prepare(&net, &o, &nmo, &mo, &m, &d, &err), PM_OK);
    CHECK_STR(mo.credit, "Data: a test. Approximated by today's units: 'Bezirk Alpha' as Alpha "
                         "(see the join report)");
    pm_net_map_destroy(&m);
    pm_net_destroy(&net);
    pm_diag_destroy(&d);

    /* nothing approximated: no warning, the credit as given */
    const char *exact = pm_test_file("u.csv", "from,to\nAlpha,Beta Renamed\n");
    pm_diag_init(&d);
    CHECK_INT(pm_net_load(exact, &o, &net, &d, &err), PM_OK);
    CHECK(!said(&d, "approximate"));
    pm_map_opts_init(&mo);
    mo.credit = "Data: a test";
    CHECK_INT(pm_net_map_prepare(&net, &o, &nmo, &mo, &m, &d, &err), PM_OK);
    CHECK_STR(mo.credit, "Data: a test");
    pm_net_map_destroy(&m);
    pm_net_destroy(&net);
    pm_diag_destroy(&d);
    free(al);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_join_marks);
    PM_RUN(test_pipeline_and_map);
    pm_join_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
