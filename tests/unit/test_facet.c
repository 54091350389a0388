/*
 * test_facet: small multiples (pm_render_facet.h) on point places over the test basemap: a
 * golden SVG of a three-panel figure (one panel empty: its title and frame stay), ties new in a
 * period drawn dark and continuing ones in the lighter tone (counted in the PNG's pixels), one
 * scale bar, and the errors.
 *
 * Set PM_UPDATE_GOLDENS=1 to rewrite the golden on purpose, then review the diff.
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
#include "pm_render_facet.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define OUT "facet-out"
#define BASEMAP PM_TEST_DATA "/render/basemap.gpkg"

/* Czech and Slovak cities; each panel holds only the places with a tie in its period. */
static void city(pm_map_place_t *p, const char *label, double lat, double lon, double fill,
                 double size)
{
    memset(p, 0, sizeof *p);
    p->lon = lon;
    p->lat = lat;
    p->label = label;
    p->fill = fill;
    p->size = size;
    p->matched = 1;
}

typedef struct fixture {
    pm_map_place_t p1[3], p3[5];
    pm_map_tie_t t1[2], t3[3];
    pm_map_t m1, m2, m3;
    pm_facet_panel_t panels[3];
} fixture_t;

/* 1950s: Praha-Brno and Praha-Bratislava, both new. 1960s: nothing. 1970s: Praha-Brno carried
 * over (faded), Brno-Ostrava and a probable Bratislava-Košice new. */
static void fixture(fixture_t *f, int fade)
{
    memset(f, 0, sizeof *f);
    city(&f->p1[0], "Praha", 50.0755, 14.4378, 3, 2);
    city(&f->p1[1], "Brno", 49.1951, 16.6068, 1, 1);
    city(&f->p1[2], "Bratislava", 48.1486, 17.1077, 1, 1);
    f->t1[0] = (pm_map_tie_t){0, 1, 1, PM_TIE_DOCUMENTED, 0};
    f->t1[1] = (pm_map_tie_t){0, 2, 1, PM_TIE_DOCUMENTED, 0};
    city(&f->p3[0], "Praha", 50.0755, 14.4378, 1, 1);
    city(&f->p3[1], "Brno", 49.1951, 16.6068, 4, 2);
    city(&f->p3[2], "Ostrava", 49.8209, 18.2625, 1, 1);
    city(&f->p3[3], "Bratislava", 48.1486, 17.1077, 1, 1);
    city(&f->p3[4], "Košice", 48.7164, 21.2611, 1, 1);
    f->t3[0] = (pm_map_tie_t){0, 1, 2, PM_TIE_DOCUMENTED, fade};
    f->t3[1] = (pm_map_tie_t){1, 2, 1, PM_TIE_DOCUMENTED, 0};
    f->t3[2] = (pm_map_tie_t){3, 4, 1, PM_TIE_PROBABLE, 0};
    pm_map_t *m[3] = {&f->m1, &f->m2, &f->m3};
    for (int i = 0; i < 3; i++)
        m[i]->basemap.path = BASEMAP;
    f->m1.places = f->p1, f->m1.n_places = 3, f->m1.ties = f->t1, f->m1.n_ties = 2;
    f->m3.places = f->p3, f->m3.n_places = 5, f->m3.ties = f->t3, f->m3.n_ties = 3;
    const char *titles[3] = {"1950\u20131959", "1960\u20131969", "1970\u20131979"};
    for (int i = 0; i < 3; i++) {
        f->panels[i].map = m[i];
        f->panels[i].title = titles[i];
    }
}

static void opts(pm_map_opts_t *o)
{
    pm_map_opts_init(o);
    o->title = "Twinnings by decade";
    o->credit = "Data: test fixtures. Basemap: Natural Earth (simplified).";
    o->fill_title = "Members";
    o->size_title = "Ties";
    o->weight_title = "Letters";
    o->version = "0.0-test";
    o->command_line = "partnermap map ties.csv --facet period -o f.svg";
    o->classify = PM_CLASSIFY_EQUAL;
    o->n_classes = 3;
}

static pm_status_t draw(const pm_facet_panel_t *panels, size_t n, const pm_map_opts_t *o,
                        size_t cols, const char *path, pm_diag_t *diag, pm_error_t *err)
{
    pm_renderer_t *r = NULL;
    pm_facet_opts_t fo;
    pm_facet_opts_init(&fo);
    fo.cols = cols;
    pm_status_t st = pm_renderer_new(&r, err);
    const char *outs[1] = {path};
    if (!st)
        st = pm_render_facet(r, panels, n, o, &fo, outs, 1, diag, err);
    if (st)
        fprintf(stderr, "facet %s: %s\n", path, err->msg);
    pm_renderer_free(r);
    return st;
}

/* Pixels of the PNG at path within tol of rgb (0-255) in every channel; -1 if unreadable. */
static long count_color(const char *path, const int rgb[3], int tol)
{
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    if (!ds)
        return -1;
    int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds), bands[3] = {1, 2, 3};
    unsigned char *px = malloc((size_t)w * (size_t)h * 3);
    long n = -1;
    if (px && GDALDatasetRasterIO(ds, GF_Read, 0, 0, w, h, px, w, h, GDT_Byte, 3, bands, 3, 3 * w,
                                  1) == CE_None) {
        n = 0;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
            n += abs(px[3 * i] - rgb[0]) <= tol && abs(px[3 * i + 1] - rgb[1]) <= tol &&
                 abs(px[3 * i + 2] - rgb[2]) <= tol;
    }
    free(px);
    GDALClose(ds);
    return n;
}

static void test_golden(void)
{
    fixture_t f;
    fixture(&f, 1);
    pm_map_opts_t o;
    opts(&o);
    o.width_mm = PM_PAGE_DOUBLE_COLUMN_MM;
    pm_error_t err;
    pm_diag_t d;
    pm_diag_init(&d);
    CHECK_INT(draw(f.panels, 3, &o, 0, OUT "/facet.svg", &d, &err), PM_OK);
    CHECK(pm_test_same_as_golden(OUT "/facet.svg", "facet.svg"));
    /* the same figure twice is the same file */
    CHECK_INT(draw(f.panels, 3, &o, 0, OUT "/facet2.svg", &d, &err), PM_OK);
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    pm_io_read_all(OUT "/facet.svg", &a, &na, NULL);
    pm_io_read_all(OUT "/facet2.svg", &b, &nb, NULL);
    CHECK(a && b && na == nb && !memcmp(a, b, na));
    free(a);
    free(b);
    CHECK_INT(draw(f.panels, 3, &o, 1, OUT "/facet.pdf", &d, &err), PM_OK);
    pm_diag_destroy(&d);
}

/* The colours of the theme's ties: new (dark) and continuing (62% towards white). */
static const int dark[3] = {27, 45, 79};
static const int light[3] = {168, 175, 188};

static void test_new_and_continuing(void)
{
    fixture_t f;
    pm_map_opts_t o;
    opts(&o);
    o.title = NULL;
    o.credit = NULL;
    o.fill_title = NULL;
    o.dpi = 300;
    o.width_mm = 180;
    pm_error_t err;
    fixture(&f, 1);
    for (int i = 0; i < 3; i++)
        f.p1[i].fill = f.p3[i].fill = NAN;
    for (int i = 3; i < 5; i++)
        f.p3[i].fill = NAN;
    CHECK_INT(draw(f.panels, 3, &o, 3, OUT "/faded.png", NULL, &err), PM_OK);
    fixture(&f, 0);
    for (int i = 0; i < 3; i++)
        f.p1[i].fill = f.p3[i].fill = NAN;
    for (int i = 3; i < 5; i++)
        f.p3[i].fill = NAN;
    CHECK_INT(draw(f.panels, 3, &o, 3, OUT "/all_new.png", NULL, &err), PM_OK);
    long faded_light = count_color(OUT "/faded.png", light, 6);
    long new_light = count_color(OUT "/all_new.png", light, 6);
    long faded_dark = count_color(OUT "/faded.png", dark, 6);
    long new_dark = count_color(OUT "/all_new.png", dark, 6);
    /* the carried-over tie (and the key's light sample, shown only when a tie is faded) is drawn
     * light: over a thousand pixels at 300 dpi; a few hundred elsewhere (the edges of dark
     * lines over land) blend to the same colour */
    CHECK(faded_light > new_light + 800);
    /* ... and not dark: the figure with every tie new has more dark pixels */
    CHECK(new_dark > faded_dark + 150);
}

static void test_errors(void)
{
    fixture_t f;
    fixture(&f, 1);
    pm_map_opts_t o;
    opts(&o);
    pm_error_t err;
    CHECK_INT(draw(f.panels, 0, &o, 0, OUT "/none.svg", NULL, &err), PM_EUSAGE);
    CHECK_INT(draw(f.panels, 3, &o, 4, OUT "/cols.svg", NULL, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "columns") != NULL);
    CHECK_INT(draw(f.panels, 3, &o, 0, OUT "/x.gif", NULL, &err), PM_EUSAGE);
    /* a page too small for the grid says so */
    o.width_mm = 30;
    o.height_mm = 30;
    CHECK_INT(draw(f.panels, 3, &o, 0, OUT "/small.svg", NULL, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "too small") != NULL);
    struct stat sb;
    CHECK(stat(OUT "/small.svg", &sb) != 0);
    /* only empty panels: nothing to place the view on */
    pm_facet_panel_t empty[2] = {{&f.m2, "1960"}, {NULL, "1970"}};
    opts(&o);
    CHECK(draw(empty, 2, &o, 0, OUT "/empty.svg", NULL, &err) != PM_OK);
}

int main(void)
{
    pm_runtime_init();
    mkdir(OUT, 0777);
    PM_RUN(test_golden);
    PM_RUN(test_new_and_continuing);
    PM_RUN(test_errors);
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
