/*
 * Single-column figures (--page single, 90 x 70 mm; issue 18): the legend is laid out to fit the
 * page, made compact (fewer keys, classes in two columns, one tie width keyed in the styles'
 * title) before the map is shrunk for it, so that the map keeps most of the page; and a golden
 * SVG of such a figure.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pm_io.h"
#include "pm_render.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define OUT "page-single-out"
#define BASEMAP PM_TEST_DATA "/render/basemap.gpkg"
#define PT_PER_MM (72.0 / 25.4)

static pm_map_place_t places[12];
static pm_map_tie_t ties[11];

/* Twelve cities of Czechoslovakia and the USSR: five fill classes, circles, ties of three
 * weights, some probable: every legend section. */
static pm_map_t cities(double weight_step)
{
    static const struct {
        const char *name;
        double lon, lat, fill, size;
    } c[12] = {{"Praha", 14.42, 50.08, 0.9, 6},      {"Brno", 16.61, 49.20, 0.7, 4},
               {"Ostrava", 18.26, 49.82, 0.5, 3},    {"Bratislava", 17.11, 48.15, 0.4, 2},
               {"Moskva", 37.62, 55.76, 1.5, 9},     {"Leningrad", 30.34, 59.93, 1.1, 5},
               {"Kyiv", 30.52, 50.45, 0.8, 3},       {"Volgograd", 44.52, 48.71, 0.3, 1},
               {"Sverdlovsk", 60.61, 56.84, 0.6, 2}, {"Minsk", 27.56, 53.90, 0.2, 1},
               {"Gorky", 44.00, 56.33, 0.35, 1},     {"Kazan", 49.11, 55.79, 0.25, 1}};
    static const size_t t[11][3] = {{0, 4, 0},  {0, 5, 1}, {1, 6, 0}, {2, 7, 1},
                                    {3, 4, 0},  {0, 8, 1}, {1, 9, 0}, {2, 10, 0},
                                    {3, 11, 1}, {4, 5, 0}, {0, 1, 0}};
    for (size_t i = 0; i < 12; i++)
        places[i] = (pm_map_place_t){
            c[i].lon, c[i].lat, c[i].name, 0.0371 * c[i].fill, c[i].size, NULL, 1, 0, 0};
    for (size_t i = 0; i < 11; i++)
        ties[i] = (pm_map_tie_t){t[i][0], t[i][1], 1 + weight_step * (double)(i % 3),
                                 t[i][2] ? PM_TIE_PROBABLE : PM_TIE_DOCUMENTED, 0};
    pm_map_t m;
    memset(&m, 0, sizeof m);
    m.places = places;
    m.n_places = 12;
    m.ties = ties;
    m.n_ties = 11;
    m.basemap.path = BASEMAP;
    return m;
}

static void single(pm_map_opts_t *o)
{
    pm_error_t err;
    pm_map_opts_init(o);
    CHECK_INT(pm_render_parse_page("single", &o->width_mm, &o->height_mm, &err), PM_OK);
    o->fill_title = "PageRank";
    o->size_title = "Strength";
    o->weight_title = "Ties: weight";
    o->credit = "Test fixture.";
    o->version = "0.0-test";
    o->command_line = "partnermap map ties.csv --page single -o map.svg";
}

/* The legend goes in a strip under the map and leaves the map at least 58 % of the
 * page's height (it took about half before). */
static void test_legend_fits(void)
{
    for (int w = 0; w < 2; w++) { /* ties of three weights; ties of one weight */
        pm_map_t m = cities(w ? 0 : 1);
        pm_map_opts_t o;
        single(&o);
        pm_map_scales_t s;
        pm_map_scales_init(&s);
        pm_error_t err;
        CHECK_INT(pm_render_compute_scales(&m, &o, &s, &err), PM_OK);
        double inner = 70 * PT_PER_MM - 4 * PT_PER_MM; /* less the margins */
        CHECK_INT(s.legend_bottom, 1);
        if (!(s.frame_h >= 0.58 * inner))
            pm_test_fail(__FILE__, __LINE__, "weights %d: the map keeps %.0f of %.0f pt", w,
                         s.frame_h, inner);
        pm_map_scales_destroy(&s);
    }
}

static void test_golden(void)
{
    pm_map_t m = cities(1);
    pm_map_opts_t o;
    single(&o);
    pm_error_t err;
    mkdir(OUT, 0755);
    const char *outs[1] = {OUT "/single-column.svg"};
    CHECK_INT(pm_render_map(&m, &o, outs, 1, NULL, &err), PM_OK);
    CHECK(pm_test_same_as_golden(outs[0], "single-column.svg"));
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_legend_fits);
    PM_RUN(test_golden);
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
