/*
 * test_net: the pipeline through the core alone (no CLI): a tie table and a hand-made geometry
 * -> a joined, measured network -> the report, the map's input and the export's input. Places
 * are keyed by a typed id: a place whose name looks like an internal key ("#0") is never the
 * same place as a unit; two spellings of one unit are one place; undirected export ties read as
 * their first row; unmatched places stop the pipeline unless allowed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_batch.h"
#include "pm_buf.h"
#include "pm_net.h"
#include "pm_runtime.h"
#include "pm_test.h"

/* Two squares a degree apart: Alpha (unit 0), Beta (unit 1). */
static const char *geo_file(void)
{
    static const char *const codes[] = {"AA", "BB"}, *const names[] = {"Alpha", "Beta"};
    static const double lon[] = {10, 12}, lat[] = {50, 50};
    return pm_test_squares("g.geojson", codes, names, lon, lat, 2);
}

static void opts(pm_net_opts_t *o, const char *geo)
{
    pm_net_opts_init(o);
    o->with_geo = 1;
    o->with_metrics = 1;
    o->geo.source = geo;
    o->geo.data_aliases = "";
}

static size_t place(const pm_net_t *net, const char *name)
{
    for (size_t v = 0; v < net->g.n_nodes; v++)
        if (!strcmp(net->g.name[v], name))
            return v;
    return (size_t)-1;
}

/* An unmatched place called "#0" is not unit 0 (it was, when places were keyed by "#<unit>"). */
static void test_typed_ids(void)
{
    const char *geo = geo_file();
    const char *ties = pm_test_file("h.csv", "from,to\nAlpha,Beta\n#0,Beta\n");
    pm_net_opts_t o;
    opts(&o, geo);
    pm_net_t net;
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    /* unmatched: PM_EJOIN, naming the place, and no flag in the message */
    CHECK_INT(pm_net_load(ties, &o, &net, &d, &err), PM_EJOIN);
    CHECK(strstr(err.msg, "'#0'") != NULL);
    CHECK(strstr(err.msg, "--") == NULL);
    o.allow_unmatched = 1;
    CHECK_INT(pm_net_load(ties, &o, &net, &d, &err), PM_OK);
    CHECK_INT(net.g.n_nodes, 3);
    CHECK_INT(net.g.n_edges, 2);
    CHECK_INT(net.n_unmatched_places, 1);
    size_t a = place(&net, "Alpha"), h = place(&net, "#0"), b = place(&net, "Beta");
    CHECK(a != (size_t)-1 && h != (size_t)-1 && b != (size_t)-1 && a != h);
    CHECK_INT(pm_net_unit(&net, a), 0);
    CHECK_INT(pm_net_unit(&net, b), 1);
    CHECK(pm_net_unit(&net, h) == PM_GRAPH_NO_UNIT);
    CHECK(pm_net_match(&net, h)->unit == PM_JOIN_NO_UNIT);
    CHECK_INT(pm_graph_find_unit(&net.g, 0), a);
    CHECK_INT(pm_graph_find(&net.g, "#0"), h);
    CHECK(pm_graph_find(&net.g, "Alpha") == (size_t)-1); /* Alpha is keyed by its unit */
    pm_net_destroy(&net);
    pm_diag_destroy(&d);
}

/* Two spellings of one unit are one place; the report, map and export adapters through core. */
static void test_adapters(void)
{
    const char *geo = geo_file();
    const char *ties = pm_test_file("s.csv", "from,to,weight\nBeta,Alpha,2\nalpha,Beta,3\n");
    pm_net_opts_t o;
    opts(&o, geo);
    pm_net_t net;
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    CHECK_INT(pm_net_load(ties, &o, &net, &d, &err), PM_OK);
    CHECK_INT(net.g.n_nodes, 2);
    CHECK_INT(net.g.n_edges, 1);
    CHECK_NEAR(net.g.weight[0], 5, 1e-12);
    int said = 0;
    for (size_t i = 0; i < d.n; i++)
        said |= strstr(d.items[i].msg, "are the same unit (AA)") != NULL;
    CHECK(said);

    /* tie lengths: the centres of the squares are 2 degrees of longitude apart at 50.5 N */
    pm_spatial_t sp;
    pm_spatial_init(&sp);
    CHECK_INT(pm_net_spatial(&net, &sp, &err), PM_OK);
    CHECK_INT(sp.n_measured, 1);
    CHECK(sp.length_km[0] > 130 && sp.length_km[0] < 150);

    pm_buf_t b;
    pm_buf_init(&b);
    pm_net_report_view_t v = {PM_FMT_CSV, "mean_tie_km", 0, 0, 0, "t"};
    CHECK_INT(pm_net_report_write(&net, &o.metrics, &sp, &v, &b, &err), PM_OK);
    CHECK(strstr(pm_buf_str(&b), "\nAlpha,1,5,") != NULL); /* the first spelling names it */
    CHECK(strstr(pm_buf_str(&b), ",AA,141.") != NULL);
    CHECK(strstr(pm_buf_str(&b), "\nalpha") == NULL);
    pm_buf_reset(&b);
    CHECK_INT(pm_net_report_write(&net, &o.metrics, NULL, &v, &b, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "joined") != NULL && strstr(err.msg, "--") == NULL);
    pm_buf_destroy(&b);
    /* every statistic of the batch summary is one the report has (a key it lacks would be an
     * empty column in every summary.csv), and the CLI finds its columns by key */
    for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++) {
        char val[64];
        CHECK_INT(
            pm_net_summary_value(&net, &o.metrics, &sp, pm_batch_summary_keys[k], val, sizeof val),
            PM_OK);
        CHECK_INT(pm_batch_summary_index(pm_batch_summary_keys[k]), (long long)k);
    }
    CHECK_INT(pm_batch_summary_index("no_such_statistic"), -1);
    pm_spatial_destroy(&sp);

    pm_map_opts_t mo;
    pm_map_opts_init(&mo);
    pm_net_map_opts_t nmo = {"community", "mean_tie_km", "code"};
    pm_net_map_t m;
    CHECK_INT(pm_net_map_prepare(&net, &o, &nmo, &mo, &m, &d, &err), PM_OK);
    CHECK_INT(m.map.n_places, 2);
    CHECK_INT(m.map.n_ties, 1);
    CHECK(mo.categorical);
    CHECK_STR(mo.fill_title, "Community");
    CHECK_STR(mo.size_title, "Mean tie length (km)");
    CHECK_STR(mo.weight_title, "Ties: weight");
    size_t beta = place(&net, "Beta");
    CHECK_STR(m.places[beta].label, "BB");
    CHECK(m.places[beta].polygon != NULL);
    CHECK(m.size[beta] > 130 && m.size[beta] < 150);
    double *bad = NULL;
    CHECK_INT(pm_net_metric(&net, &m, "colour", &bad, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "pagerank_n") != NULL && strstr(err.msg, "max_tie_km") != NULL);
    pm_net_map_destroy(&m);

    pm_net_export_t x;
    CHECK_INT(pm_net_export_prepare(&net, &x, &d, &err), PM_OK);
    CHECK_INT(x.x.n_places, 2);
    CHECK_INT(x.x.n_ties, 1);
    /* the tie reads as its first row: Beta -> Alpha */
    CHECK_STR(x.places[x.ties[0].from].name, "Beta");
    CHECK_STR(x.places[x.ties[0].to].name, "Alpha");
    CHECK_STR(x.places[x.ties[0].from].unit, "BB");
    CHECK_INT(x.ties[0].rows, 2);
    int has_len = 0;
    for (size_t i = 0; i < x.x.n_metrics; i++)
        has_len |= !strcmp(x.metrics[i].name, "mean_tie_km");
    CHECK(has_len);
    pm_net_export_destroy(&x);
    pm_net_destroy(&net);
    pm_diag_destroy(&d);
}

/* Without geometry: places keyed by name, no match, no map. */
static void test_no_geo(void)
{
    const char *ties = pm_test_file("n.csv", "from,to\n#1,b\nb,c\n");
    pm_net_opts_t o;
    pm_net_opts_init(&o);
    o.with_metrics = 1;
    pm_net_t net;
    pm_error_t err;
    CHECK_INT(pm_net_load(ties, &o, &net, NULL, &err), PM_OK);
    CHECK_INT(net.g.n_nodes, 3);
    CHECK(pm_net_match(&net, 0) == NULL);
    CHECK(pm_net_unit(&net, 0) == PM_GRAPH_NO_UNIT);
    pm_map_opts_t mo;
    pm_map_opts_init(&mo);
    pm_net_map_opts_t nmo = {NULL, NULL, NULL};
    pm_net_map_t m;
    CHECK_INT(pm_net_map_prepare(&net, &o, &nmo, &mo, &m, NULL, &err), PM_EUSAGE);
    pm_net_destroy(&net);
}

typedef struct marks {
    char seen[600];
} marks_t;

static void note_mark(const char *what, void *ctx)
{
    marks_t *m = ctx;
    size_t n = strlen(m->seen);
    snprintf(m->seen + n, sizeof m->seen - n, "%s; ", what);
}

/* Timing phases go to the hook in the options, the geometry's too (no process-wide hook). */
static void test_phases(void)
{
    const char *geo = geo_file(); /* first: pm_test_file's path is overwritten by the next */
    const char *ties = pm_test_file("ph.csv", "from,to\nAlpha,Beta\n");
    pm_net_opts_t o;
    opts(&o, geo);
    marks_t m = {""};
    o.phase = (pm_phase_t){note_mark, &m};
    pm_net_t net;
    pm_error_t err;
    CHECK_INT(pm_net_load(ties, &o, &net, NULL, &err), PM_OK);
    CHECK_STR(m.seen, "ties read; geo: dataset opened; geo: layer found; geo: layer opened; geo: "
                      "features read; geo: layer read and indexed; geo: side files read; geo "
                      "opened; joined; ");
    pm_net_destroy(&net);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_typed_ids);
    PM_RUN(test_adapters);
    PM_RUN(test_no_geo);
    PM_RUN(test_phases);
    pm_runtime_teardown();
    return pm_test_done();
}
