/*
 * test_uncert_map: what a map shows of source uncertainty. pm_uncert_class_changes on replicates
 * written by hand (the shares counted out below), and the renderer's rings and hatching on a small
 * fixture of Czech regions (tests/data/render/basemap.gpkg) against golden SVGs in colour and
 * print (tests/render/uncert.svg, uncert_print.svg; PM_UPDATE_GOLDENS=1 rewrites them).
 */
#define _POSIX_C_SOURCE 200809L
#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pm_io.h"
#include "pm_render.h"
#include "pm_runtime.h"
#include "pm_test.h"
#include "pm_uncert_map.h"

#define OUT "render-out-uncert"
#define BASEMAP PM_TEST_DATA "/render/basemap.gpkg"

/* Three places, one metric, four replicates; class edges 0 | 1 | 2 | 3 (three classes). */
static void test_class_changes(void)
{
    double obs[3] = {0.5, 1.5, NAN};
    /* replicate r, place i: place 0 leaves class 0 in replicates 1 and 3 (and 3 is NaN: a
     * change); place 1 stays in class 1 except in replicate 2 (2.5); below and above the edges
     * clamp to the end classes (-4 is class 0, like 0.5) */
    double vals[4 * 3] = {0.2, 1.1, 0.0, 1.2, 1.9, 0.0, -4, 2.5, 0.0, NAN, 1.2, 0.0};
    uint32_t idx[4] = {0, 1, 2, 3};
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    u.n = 3, u.k = 1, u.stride = 3, u.total = 4, u.n_rep = 4;
    snprintf(u.metric[0], sizeof u.metric[0], "strength");
    u.observed = obs, u.values = vals, u.index = idx;
    double breaks[4] = {0, 1, 2, 3}, share[3];
    pm_error_t err;
    CHECK_INT(pm_uncert_class_changes(&u, 0, 1.0, breaks, 3, share, &err), PM_OK);
    CHECK_NEAR(share[0], 0.5, 1e-12);
    CHECK_NEAR(share[1], 0.25, 1e-12);
    CHECK(isnan(share[2])); /* no observed class */
    /* the scale applies to observed and replicate values alike: x2 moves place 1 (3.0) to the
     * last class and its replicates 2.2, 3.8, 5.0, 2.4 -> classes 2, 2, 2, 2 */
    CHECK_INT(pm_uncert_class_changes(&u, 0, 2.0, breaks, 3, share, &err), PM_OK);
    CHECK_NEAR(share[1], 0.0, 1e-12);
    CHECK_INT(pm_uncert_metric_index(&u, "strength"), 0);
    CHECK_INT(pm_uncert_metric_index(&u, "pagerank"), -1);
    CHECK_INT(pm_uncert_class_changes(&u, 1, 1.0, breaks, 3, share, &err), PM_EUSAGE);
    u.n_rep = 0;
    CHECK_INT(pm_uncert_class_changes(&u, 0, 1.0, breaks, 3, share, &err), PM_EUSAGE);
}

/* ---- the golden maps ---------------------------------------------------------------------- */

/* Four Czech regions and one point place: rings outside, inside and on the circle (not drawn),
 * two hatched polygons and a hatched point place. */
static void test_golden(void)
{
    static const struct {
        const char *label, *code;
        double lat, lon, fill, size, ring;
        int unstable;
    } f[5] = {
        {"Praha", "CZE-1595", 50.0755, 14.4378, 9, 12, 16, 0},
        {"Brno", "CZE-10370", 49.1951, 16.6068, 6, 6, 11, 1},
        {"Ústí nad Labem", "CZE-10368", 50.6607, 14.0323, 3, 4, 2, 0},
        {"Plzeň", "CZE-10369", 49.7384, 13.3736, 1, 3, 3, 1},
        {"Ostrava", NULL, 49.8209, 18.2625, 5, 2, 5, 1},
    };
    pm_map_place_t p[5];
    for (size_t i = 0; i < 5; i++) {
        memset(&p[i], 0, sizeof p[i]);
        p[i].label = f[i].label;
        p[i].lat = f[i].lat, p[i].lon = f[i].lon;
        p[i].fill = f[i].fill, p[i].size = f[i].size, p[i].ring = f[i].ring;
        p[i].unstable = f[i].unstable;
        p[i].polygon = f[i].code ? pm_test_basemap_unit(f[i].code) : NULL;
        p[i].matched = 1;
        CHECK(!f[i].code || p[i].polygon);
    }
    pm_map_tie_t t[3] = {{0, 1, 3, PM_TIE_DOCUMENTED, 0},
                         {0, 2, 1, PM_TIE_PROBABLE, 0},
                         {1, 4, 2, PM_TIE_PROBABLE, 0}};
    pm_map_t m = {0};
    m.places = p, m.n_places = 5, m.ties = t, m.n_ties = 3;
    pm_map_opts_t o;
    pm_map_opts_init(&o);
    o.n_classes = 3;
    o.fill_title = "Strength";
    o.size_title = "Betweenness";
    o.text_ring = "ring: 97.5 % of 1,000 replicates";
    o.text_unstable = "class changes in > 20 % of replicates";
    o.version = "0.0-test";
    o.width_mm = 120;
    o.height_mm = 80;
    const char *outs[1];
    outs[0] = OUT "/uncert.svg";
    CHECK_INT(pm_render_map(&m, &o, outs, 1, NULL, NULL), PM_OK);
    CHECK(pm_test_same_as_golden(outs[0], "uncert.svg"));
    o.theme = PM_THEME_PRINT;
    outs[0] = OUT "/uncert_print.svg";
    CHECK_INT(pm_render_map(&m, &o, outs, 1, NULL, NULL), PM_OK);
    CHECK(pm_test_same_as_golden(outs[0], "uncert_print.svg"));
    /* the marks are drawn: without them the figure is another one */
    for (size_t i = 0; i < 5; i++)
        p[i].ring = 0, p[i].unstable = 0;
    outs[0] = OUT "/plain_print.svg";
    CHECK_INT(pm_render_map(&m, &o, outs, 1, NULL, NULL), PM_OK);
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    CHECK(pm_io_read_all(OUT "/uncert_print.svg", &a, &na, NULL) == PM_OK);
    CHECK(pm_io_read_all(OUT "/plain_print.svg", &b, &nb, NULL) == PM_OK);
    CHECK(a && b && (na != nb || memcmp(a, b, na) != 0));
    free(a);
    free(b);
}

int main(void)
{
    PM_RUN(test_class_changes);
    pm_runtime_init();
    mkdir(OUT, 0777);
    PM_RUN(test_golden);
    pm_test_basemap_free();
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
