/*
 * test_render: the map renderer end to end, on fixtures built from tests/data/render/basemap.gpkg
 * (a small cut of the world basemap: countries around Eurasia and the Bering Strait, and admin1
 * units of Czechia, Kazakhstan, a few Russian regions and Alaska).
 *
 * Golden files live in tests/render/: SVGs are compared byte for byte (the font is pinned to
 * DejaVu Sans), PNGs within a tolerance, with a diff image written next to the output on failure.
 * Set PM_UPDATE_GOLDENS=1 to rewrite the goldens on purpose, then review the diff. Outputs go to
 * render-out/ in the working directory (the build tree under ctest).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pm_io.h"
#include "pm_palette.h"
#include "pm_render.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define OUT "render-out"
#define BASEMAP PM_TEST_DATA "/render/basemap.gpkg"
#define GOLDEN PM_SOURCE_DIR "/tests/render"

/* ---- fixtures ------------------------------------------------------------------------------- */

static pm_map_place_t eurasia_places[15];
static pm_map_tie_t eurasia_ties[14];

static void place(pm_map_place_t *p, const char *label, double lat, double lon, const char *code,
                  double fill, double size)
{
    p->lon = lon;
    p->lat = lat;
    p->label = label;
    p->fill = fill;
    p->size = size;
    p->polygon = code ? pm_test_basemap_unit(code) : NULL;
    p->matched = 1;
}

static pm_map_t eurasia(void)
{
    pm_map_place_t *p = eurasia_places;
    place(&p[0], "Praha", 50.0755, 14.4378, "CZE-1595", 120, 1200);
    place(&p[1], "Brno", 49.1951, 16.6068, "CZE-10370", 60, 380);
    place(&p[2], "Ústí nad Labem", 50.6607, 14.0323, "CZE-10368", 35, 90);
    place(&p[3], "Москва", 55.7558, 37.6173, "RUS-2365", 150, 1500);
    place(&p[4], "Санкт-Петербург", 59.9343, 30.3351, "RUS-2337", 90, 800);
    place(&p[5], "Екатеринбург", 56.8389, 60.6057, "RUS-2386", 40, 300);
    place(&p[6], "Новосибирск", 55.0084, 82.9357, "RUS-2403", 30, 250);
    place(&p[7], "Алматы", 43.2220, 76.8512, "KAZ-4829", 70, 500);
    place(&p[8], "Астана", 51.1694, 71.4491, "KAZ-4830", 55, 420);
    place(&p[9], "Қарағанды", 49.8047, 73.1094, "KAZ-3203", 20, 150);
    place(&p[10], "Өскемен", 49.9483, 82.6279, "KAZ-3206", NAN, 80);
    place(&p[11], "Warszawa", 52.2297, 21.0122, NULL, 45, 200);
    place(&p[12], "Wien", 48.2082, 16.3738, NULL, NAN, NAN);
    place(&p[13], "Atlantis", NAN, NAN, NULL, 10, 10);
    p[13].matched = 0;
    place(&p[14], "Plzeň", 49.7384, 13.3736, "CZE-10369", 25, NAN);
    static const struct {
        size_t a, b;
        double w;
        int prob;
    } t[14] = {{0, 1, 12, 0}, {0, 2, 5, 0},  {0, 3, 8, 1},  {3, 4, 20, 0}, {3, 5, 9, 0},
               {5, 6, 4, 1},  {6, 7, 3, 0},  {7, 8, 10, 0}, {8, 9, 7, 0},  {3, 8, 6, 1},
               {0, 11, 4, 0}, {12, 1, 6, 0}, {11, 3, 5, 0}, {10, 6, 2, 0}};
    for (size_t i = 0; i < 14; i++) {
        eurasia_ties[i].from = t[i].a;
        eurasia_ties[i].to = t[i].b;
        eurasia_ties[i].weight = t[i].w;
        eurasia_ties[i].style = t[i].prob ? PM_TIE_PROBABLE : PM_TIE_DOCUMENTED;
    }
    pm_map_t m = {0};
    m.places = eurasia_places;
    m.n_places = 15;
    m.ties = eurasia_ties;
    m.n_ties = 14;
    m.basemap.path = BASEMAP;
    m.basemap.countries = "countries";
    m.basemap.admin1 = "admin1";
    return m;
}

static pm_map_place_t bering_places[7];
static pm_map_tie_t bering_ties[9];

/* Chukotka and Alaska: places on both sides of the 180th meridian, directed ties across it. */
static pm_map_t bering(void)
{
    pm_map_place_t *p = bering_places;
    place(&p[0], "Анадырь", 64.7337, 177.4968, "RUS-2321", 10, 15);
    place(&p[1], "Певек", 69.7008, 170.3133, NULL, NAN, 5);
    place(&p[2], "Билибино", 68.0546, 166.4372, NULL, NAN, 5);
    place(&p[3], "Nome", 64.5011, -165.4064, "USA-3563", 30, 4);
    place(&p[4], "Anchorage", 61.2181, -149.9003, NULL, NAN, 290);
    place(&p[5], "Fairbanks", 64.8378, -147.7164, NULL, NAN, 32);
    place(&p[6], "Петропавловск-Камчатский", 53.0452, 158.6483, "RUS-3468", 20, 180);
    static const struct {
        size_t a, b;
        double w;
        int prob;
    } t[9] = {{0, 3, 3, 0}, {3, 0, 2, 0}, {4, 0, 5, 1}, {1, 0, 4, 0}, {2, 1, 2, 0},
              {6, 0, 6, 0}, {4, 5, 8, 0}, {5, 4, 7, 0}, {0, 6, 1, 0}};
    for (size_t i = 0; i < 9; i++) {
        bering_ties[i].from = t[i].a;
        bering_ties[i].to = t[i].b;
        bering_ties[i].weight = t[i].w;
        bering_ties[i].style = t[i].prob ? PM_TIE_PROBABLE : PM_TIE_DOCUMENTED;
    }
    pm_map_t m = {0};
    m.places = bering_places;
    m.n_places = 7;
    m.ties = bering_ties;
    m.n_ties = 9;
    m.directed = 1;
    m.basemap.path = BASEMAP;
    m.basemap.admin1 = "admin1";
    return m;
}

static void base_opts(pm_map_opts_t *o)
{
    pm_map_opts_init(o);
    o->title = "Partner ties, 1990–2000";
    o->credit = "Data: test fixtures. Basemap: Natural Earth (simplified).";
    o->fill_title = "Members per 10 000";
    o->size_title = "Ties";
    o->weight_title = "Letters";
    o->version = "0.0-test";
    o->command_line = "partnermap map ties.csv -o map.svg";
}

/* ---- helpers -------------------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* 1 when needle occurs in the n bytes at hay. */
static int has_bytes(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; hay && i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    char *d = NULL;
    size_t n = 0;
    if (pm_io_read_all(path, &d, &n, NULL) != PM_OK)
        return NULL;
    if (len)
        *len = n;
    return d;
}

static int render(const pm_map_t *m, const pm_map_opts_t *o, const char *path, pm_diag_t *d)
{
    pm_error_t err;
    pm_error_clear(&err);
    const char *outs[1] = {path};
    pm_status_t st = pm_render_map(m, o, outs, 1, d, &err);
    if (st)
        fprintf(stderr, "render %s: %s\n", path, err.msg);
    return st;
}

/* Reads a PNG's RGB bands through GDAL into a new w*h*3 array (band-interleaved by pixel). */
static unsigned char *read_rgb(const char *path, int *w, int *h)
{
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    if (!ds)
        return NULL;
    unsigned char *px = NULL;
    *w = GDALGetRasterXSize(ds), *h = GDALGetRasterYSize(ds);
    if (GDALGetRasterCount(ds) >= 3) {
        px = malloc((size_t)*w * (size_t)*h * 3);
        int bands[3] = {1, 2, 3};
        if (px && GDALDatasetRasterIO(ds, GF_Read, 0, 0, *w, *h, px, *w, *h, GDT_Byte, 3, bands, 3,
                                      3 * *w, 1) != CE_None) {
            free(px);
            px = NULL;
        }
    }
    GDALClose(ds);
    return px;
}

static void write_rgb(const char *path, const unsigned char *px, int w, int h)
{
    GDALDriverH mem = GDALGetDriverByName("MEM"), png = GDALGetDriverByName("PNG");
    GDALDatasetH ds = GDALCreate(mem, "", w, h, 3, GDT_Byte, NULL);
    int bands[3] = {1, 2, 3};
    if (GDALDatasetRasterIO(ds, GF_Write, 0, 0, w, h, (void *)px, w, h, GDT_Byte, 3, bands, 3,
                            3 * w, 1) == CE_None) {
        GDALDatasetH out = GDALCreateCopy(png, path, ds, FALSE, NULL, NULL, NULL);
        if (out)
            GDALClose(out);
    }
    GDALClose(ds);
}

/* Compares PNG `got` with PNG `gpath`: at most max_frac of the pixels may differ by more than
 * tol in a channel. Writes <got>.diff.png (differences in red over a faded copy) on failure. */
static int png_close(const char *got, const char *gpath, int tol, double max_frac)
{
    char dpath[512];
    int w, h, w2 = 0, h2 = 0, ok = 0;
    unsigned char *a = read_rgb(got, &w, &h), *b = read_rgb(gpath, &w2, &h2), *d = NULL;
    if (!a || !b) {
        fprintf(stderr, "cannot read %s or %s\n", got, gpath);
        goto cleanup;
    }
    if (w != w2 || h != h2) {
        fprintf(stderr, "%s is %dx%d, golden %s is %dx%d\n", got, w, h, gpath, w2, h2);
        goto cleanup;
    }
    size_t n = (size_t)w * (size_t)h;
    d = malloc(n * 3);
    if (!d)
        goto cleanup;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        int diff = 0;
        for (int k = 0; k < 3; k++) {
            int e = abs(a[3 * i + k] - b[3 * i + k]);
            diff = e > diff ? e : diff;
        }
        for (int k = 0; k < 3; k++)
            d[3 * i + k] =
                diff > tol ? (k == 0 ? 255 : 0) : (unsigned char)(192 + a[3 * i + k] / 4);
        bad += diff > tol;
    }
    ok = (double)bad <= max_frac * (double)n;
    if (!ok) {
        snprintf(dpath, sizeof dpath, "%s.diff.png", got);
        write_rgb(dpath, d, w, h);
        fprintf(stderr, "%s: %zu of %zu pixels differ from %s; see %s\n", got, bad, n, gpath,
                dpath);
    }
cleanup:
    free(a);
    free(b);
    free(d);
    return ok;
}

/* Compares PNG `got` with golden `name` (see png_close). */
static int png_close_to_golden(const char *got, const char *name, int tol, double max_frac)
{
    char gpath[512];
    snprintf(gpath, sizeof gpath, "%s/%s", GOLDEN, name);
    if (pm_test_updating_goldens()) {
        size_t n = 0;
        char *a = slurp(got, &n);
        if (a)
            pm_io_write_atomic(gpath, a, n, NULL);
        free(a);
    }
    return png_close(got, gpath, tol, max_frac);
}

/* How many times needle occurs in file path. */
static size_t count_in_file(const char *path, const char *needle)
{
    size_t n = 0, hits = 0, nl = strlen(needle);
    char *a = slurp(path, &n);
    for (const char *p = a; p && (p = strstr(p, needle)) != NULL; p += nl)
        hits++;
    free(a);
    return hits;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_formats(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    const char *outs[3] = {OUT "/eurasia.png", OUT "/eurasia.svg", OUT "/eurasia.pdf"};
    double t0 = now();
    pm_status_t st = pm_render_map(&m, &o, outs, 3, &d, &err);
    fprintf(stderr, "eurasia png+svg+pdf: %.3f s\n", now() - t0);
    CHECK_INT(st, PM_OK);
    size_t n = 0;
    char *png = slurp(outs[0], &n);
    CHECK(png && n > 1000 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    CHECK(png && has_bytes(png, n, "pHYs") && has_bytes(png, n, "partnermap 0.0-test"));
    free(png);
    char *svg = slurp(outs[1], &n);
    CHECK(svg && strstr(svg, "<svg"));
    CHECK_CONTAINS(svg, "<dc:description>partnermap map ties.csv -o map.svg</dc:description>");
    CHECK_CONTAINS(svg, "<dc:creator>partnermap 0.0-test</dc:creator>");
    free(svg);
    char *pdf = slurp(outs[2], &n);
    CHECK(pdf && n > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
    CHECK(pdf && has_bytes(pdf, n, "/Creator (partnermap 0.0-test)"));
    CHECK(pdf && !has_bytes(pdf, n, "/CreationDate"));
    CHECK(pdf && has_bytes(pdf, n, "DejaVuSans")); /* the pinned font is embedded */
    free(pdf);
    /* the unmatched place was reported, not drawn */
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.items[i].msg, "1 places have no location") != NULL;
    CHECK(found);
    pm_diag_destroy(&d);
}

static void test_golden_eurasia(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    /* The golden SVG leaves the basemap out to stay small (the PNG golden has it). */
    m.basemap.path = NULL;
    CHECK_INT(render(&m, &o, OUT "/golden_eurasia.svg", NULL), PM_OK);
    CHECK(pm_test_same_as_golden(OUT "/golden_eurasia.svg", "eurasia.svg"));
    m.basemap.path = BASEMAP;
    o.dpi = 150;
    CHECK_INT(render(&m, &o, OUT "/golden_eurasia.png", NULL), PM_OK);
    CHECK(png_close_to_golden(OUT "/golden_eurasia.png", "eurasia.png", 48, 0.002));
}

/* The same inputs give byte-identical SVG and PDF, also after other drawings in the process. */
static void test_reproducible(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    const char *outs[2] = {OUT "/again.svg", OUT "/again.pdf"};
    CHECK_INT(pm_render_map(&m, &o, outs, 2, NULL, NULL), PM_OK);
    size_t n1 = 0, n2 = 0, n3 = 0, n4 = 0;
    char *a = slurp(OUT "/eurasia.svg", &n1), *b = slurp(outs[0], &n2);
    CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
    char *c = slurp(OUT "/eurasia.pdf", &n3), *d = slurp(outs[1], &n4);
    CHECK(c && d && n3 == n4 && memcmp(c, d, n3) == 0);
    free(a);
    free(b);
    free(c);
    free(d);
}

/* Directed ties across the 180th meridian, reciprocal pairs, an auto LAEA near 180. */
static void test_bering(void)
{
    pm_map_t m = bering();
    pm_map_opts_t o;
    base_opts(&o);
    o.title = "Across the Bering Strait";
    o.size_title = "Population (thousands)";
    o.fill_title = NULL;
    CHECK_INT(render(&m, &o, OUT "/bering.png", NULL), PM_OK);
    m.basemap.admin1 = NULL; /* keeps the golden small; admin1 is in the Czech golden */
    CHECK_INT(render(&m, &o, OUT "/bering.svg", NULL), PM_OK);
    CHECK(pm_test_same_as_golden(OUT "/bering.svg", "bering.svg"));
    pm_map_scales_t sc;
    pm_map_scales_init(&sc);
    CHECK_INT(pm_render_compute_scales(&m, &o, &sc, NULL), PM_OK);
    CHECK(sc.crs && strstr(sc.crs, "+proj=laea") && strstr(sc.crs, "+lon_0=-17"));
    pm_map_scales_destroy(&sc);
}

/* 1 when a warning in d contains s. */
static int warned(const pm_diag_t *d, const char *s)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, s))
            return 1;
    return 0;
}

/* --crs EPSG:4326 or 3857 for the Bering Strait splits the places between the map's edges: a
 * warning says so and what to use; the automatic choice and a CRS centred there say nothing. */
static void test_crs_split_warning(void)
{
    pm_map_t m = bering();
    m.basemap.admin1 = NULL;
    const char *crs[] = {"EPSG:4326", "EPSG:3857", NULL, "+proj=laea +lon_0=-175 +lat_0=64"};
    int want[] = {1, 1, 0, 0};
    for (int i = 0; i < 4; i++) {
        pm_map_opts_t o;
        base_opts(&o);
        o.crs = crs[i];
        o.dpi = 50;
        pm_diag_t d;
        pm_diag_init(&d);
        CHECK_INT(render(&m, &o, OUT "/bering_crs.png", &d), PM_OK);
        CHECK_INT(warned(&d, "splits them between its left and right ends"), want[i]);
        if (want[i]) {
            CHECK(warned(&d, "edge at longitude 180"));
            CHECK(warned(&d, "longitudes 159 to -148"));
            CHECK(warned(&d, "leave out --crs"));
        }
        pm_diag_destroy(&d);
    }
}

/* Counts pixels of exactly colour c in columns [x0, x1) of an RGB image, below the top 15% (where
 * the legend's swatches are). */
static size_t count_color(const unsigned char *px, int w, int h, int x0, int x1, pm_rgb_t c)
{
    unsigned char r = (unsigned char)lround(c.r * 255), g = (unsigned char)lround(c.g * 255),
                  b = (unsigned char)lround(c.b * 255);
    size_t n = 0;
    for (int y = h * 15 / 100; y < h; y++)
        for (int x = x0; x < x1 && x < w; x++) {
            const unsigned char *q = px + 3 * ((size_t)y * (size_t)w + (size_t)x);
            n += q[0] == r && q[1] == g && q[2] == b;
        }
    return n;
}

/* Chukotka (a multipolygon split at +-180) under a LAEA centred near 180 stays in one piece on
 * the west of the map: nothing of it smears over Alaska, on the east. */
static void test_chukotka_compact(void)
{
    pm_map_place_t p[2] = {{0}};
    place(&p[0], "Анадырь", 64.7337, 177.4968, "RUS-2321", 10, NAN);
    place(&p[1], "Anchorage", 61.2181, -149.9003, NULL, NAN, NAN);
    pm_map_t m = {0};
    m.places = p;
    m.n_places = 2;
    pm_map_opts_t o;
    pm_map_opts_init(&o);
    o.dpi = 100;
    CHECK_INT(render(&m, &o, OUT "/chukotka.png", NULL), PM_OK);
    pm_rgb_t c, apart[2] = {pm_palette_colour_land(), pm_palette_colour_nodata()};
    pm_palette_classes_apart("YlOrRd", 1, apart, 2, &c, NULL);
    int w = 0, h = 0;
    unsigned char *px = read_rgb(OUT "/chukotka.png", &w, &h);
    CHECK(px != NULL);
    if (px) {
        /* Chukotka drawn in the west half; nothing of it in the east */
        CHECK(count_color(px, w, h, 0, w / 2, c) > 1000);
        CHECK_INT(count_color(px, w, h, w * 2 / 3, w, c), 0);
    }
    free(px);
}

/* A world map whose cut meridian (-10) runs through a polygon: its two parts go to the two edges
 * of the map, and nothing crosses the middle. */
static void test_world_cut(void)
{
    OGRGeometryH box = NULL;
    char wkt[] = "POLYGON ((-20 -10,0 -10,0 10,-20 10,-20 -10))";
    char *wp = wkt;
    OGR_G_CreateFromWkt(&wp, NULL, &box);
    pm_map_place_t p[1] = {{0}};
    place(&p[0], "Box", 0, -5, NULL, 5, NAN);
    p[0].polygon = box;
    pm_map_t m = {0};
    m.places = p;
    m.n_places = 1;
    pm_map_opts_t o;
    pm_map_opts_init(&o);
    o.crs = "+proj=eqearth +lon_0=170 +datum=WGS84 +units=m";
    o.has_extent = 1;
    o.extent[0] = -180, o.extent[1] = -60, o.extent[2] = 180, o.extent[3] = 80;
    o.dpi = 100;
    o.no_labels = 1;
    CHECK_INT(render(&m, &o, OUT "/world_cut.png", NULL), PM_OK);
    pm_rgb_t c, apart[2] = {pm_palette_colour_land(), pm_palette_colour_nodata()};
    pm_palette_classes_apart("YlOrRd", 1, apart, 2, &c, NULL);
    int w = 0, h = 0;
    unsigned char *px = read_rgb(OUT "/world_cut.png", &w, &h);
    CHECK(px != NULL);
    if (px) {
        CHECK(count_color(px, w, h, 0, w / 5, c) > 50);
        CHECK_INT(count_color(px, w, h, w / 5, w * 3 / 5, c), 0);
        CHECK(count_color(px, w, h, w * 3 / 5, w, c) > 50);
    }
    free(px);
    OGR_G_DestroyGeometry(box);
}

/* The print theme is greyscale throughout, still dashes probable ties, and uses the same widths. */
static void test_print_theme(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    o.theme = PM_THEME_PRINT;
    o.dpi = 120;
    CHECK_INT(render(&m, &o, OUT "/eurasia_print.png", NULL), PM_OK);
    CHECK_INT(render(&m, &o, OUT "/eurasia_print.svg", NULL), PM_OK);
    int w = 0, h = 0;
    unsigned char *px = read_rgb(OUT "/eurasia_print.png", &w, &h);
    CHECK(px != NULL);
    size_t colored = 0;
    for (size_t i = 0; px && i < (size_t)w * (size_t)h; i++)
        colored += px[3 * i] != px[3 * i + 1] || px[3 * i + 1] != px[3 * i + 2];
    CHECK_INT(colored, 0);
    free(px);
    char *svg = slurp(OUT "/eurasia_print.svg", NULL);
    CHECK_CONTAINS(svg, "stroke-dasharray"); /* probable ties */
    CHECK_CONTAINS(svg, "stroke-width:4;");  /* the widest tie: same widths as the colour theme */
    free(svg);
}

/* The colour theme read in greyscale (issue 18): every class colour of the figure (chromatic fills
 * of the SVG lighter than the ties) lies a clear step in L* below the land (#e9e7e1) and "no data"
 * (#d6d6d6) greys; the YlOrRd ramp's palest class (#fff1a9, L* 94) was 3 L* from land. */
static void test_colour_theme_greyscale(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    CHECK_INT(render(&m, &o, OUT "/eurasia_grey.svg", NULL), PM_OK);
    char *svg = slurp(OUT "/eurasia_grey.svg", NULL);
    double limit = pm_palette_lightness(pm_palette_colour_nodata()) - PM_PALETTE_PRINT_MIN_STEP;
    size_t classes = 0;
    for (const char *q = svg ? strstr(svg, "fill:rgb(") : NULL; q; q = strstr(q + 1, "fill:rgb(")) {
        double r, g, b;
        if (sscanf(q, "fill:rgb(%lf%%,%lf%%,%lf%%)", &r, &g, &b) != 3)
            continue;
        pm_rgb_t c = {r / 100, g / 100, b / 100};
        double lo = fmin(r, fmin(g, b)), hi = fmax(r, fmax(g, b)), l = pm_palette_lightness(c);
        if (hi - lo < 5 || l < 30) /* greys, the ties' dark blue */
            continue;
        classes++;
        if (l > limit + 0.5)
            pm_test_fail(__FILE__, __LINE__, "class colour rgb(%g%%,%g%%,%g%%): L* %.1f > %.1f", r,
                         g, b, l, limit);
    }
    CHECK(classes >= 5);
    free(svg);
}

/* The tie-width key is drawn with the widths the ties have: each key width occurs at least twice
 * (a tie of that weight, and its key) in the SVG. */
static void test_legend_widths(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    pm_map_scales_t s;
    pm_map_scales_init(&s);
    CHECK_INT(pm_render_compute_scales(&m, &o, &s, NULL), PM_OK);
    CHECK_NEAR(s.weight_max, 20, 1e-12);
    CHECK_NEAR(pm_render_tie_width(&s, 20), s.width_max_pt, 1e-12);
    CHECK_NEAR(pm_render_tie_width(&s, 5), s.width_max_pt / 4, 1e-12);
    CHECK_NEAR(pm_render_tie_width(&s, 0.001), s.width_min_pt, 1e-12);
    CHECK_NEAR(pm_render_circle_radius(&s, s.size_max / 4), s.radius_max_pt / 2, 1e-12);
    char *svg = slurp(OUT "/eurasia.svg", NULL);
    double key[3] = {20, 7, 2}; /* 7: the weight nearest 20 / 3 */
    for (int i = 0; i < 3 && svg; i++) {
        char pat[64];
        snprintf(pat, sizeof pat, "stroke-width:%g;", pm_render_tie_width(&s, key[i]));
        int n = 0;
        for (const char *q = strstr(svg, pat); q; q = strstr(q + 1, pat))
            n++;
        CHECK(n >= 2);
    }
    free(svg);
    pm_map_scales_destroy(&s);
}

/* Scales computed for one map and passed back make another map use the same classes, widths,
 * circle sizes and view. */
static void test_shared_scales(void)
{
    pm_map_t a = eurasia(), b = bering();
    pm_map_opts_t o;
    base_opts(&o);
    pm_map_scales_t s1, s2;
    pm_map_scales_init(&s1);
    pm_map_scales_init(&s2);
    CHECK_INT(pm_render_compute_scales(&a, &o, &s1, NULL), PM_OK);
    o.shared = &s1;
    o.shared_mask = PM_SCALE_ALL;
    CHECK_INT(pm_render_compute_scales(&b, &o, &s2, NULL), PM_OK);
    CHECK_STR(s2.crs, s1.crs);
    CHECK_INT(s2.n_classes, s1.n_classes);
    CHECK(memcmp(s1.breaks, s2.breaks, sizeof s1.breaks) == 0);
    CHECK_NEAR(s2.weight_max, s1.weight_max, 1e-12);
    CHECK_NEAR(s2.size_max, s1.size_max, 1e-12);
    /* The shared view is shown whole and centred the same; the legend, and so the frame, may
     * differ in size, which widens one side. */
    CHECK(s2.x0 <= s1.x0 + 1e-6 && s2.x1 >= s1.x1 - 1e-6);
    CHECK(s2.y0 <= s1.y0 + 1e-6 && s2.y1 >= s1.y1 - 1e-6);
    CHECK(fabs(s2.x0 - s1.x0) < 1e-6 || fabs(s2.y0 - s1.y0) < 1e-6);
    CHECK_NEAR((s2.x0 + s2.x1) / 2, (s1.x0 + s1.x1) / 2, 1e-9);
    CHECK_NEAR((s2.y0 + s2.y1) / 2, (s1.y0 + s1.y1) / 2, 1e-9);
    CHECK_INT(render(&b, &o, OUT "/bering_shared.png", NULL), PM_OK);
    pm_map_scales_destroy(&s1);
    pm_map_scales_destroy(&s2);
}

/* A regional map: admin1 borders, Czech letters in labels, a single-column page whose legend
 * goes to a strip under the map. */
static void test_czech(void)
{
    pm_map_place_t p[6] = {{0}};
    place(&p[0], "Praha", 50.0755, 14.4378, "CZE-1595", 120, 1200);
    place(&p[1], "Brno", 49.1951, 16.6068, "CZE-10370", 60, 380);
    place(&p[2], "Ústí nad Labem", 50.6607, 14.0323, "CZE-10368", 35, 90);
    place(&p[3], "Plzeň", 49.7384, 13.3736, "CZE-10369", 25, 170);
    place(&p[4], "České Budějovice", 48.9745, 14.4743, "CZE-1593", 18, 95);
    place(&p[5], "Hradec Králové", 50.2092, 15.8328, "CZE-1598", NAN, 90);
    pm_map_tie_t t[6] = {{0, 1, 12, PM_TIE_DOCUMENTED, 0}, {0, 2, 5, PM_TIE_DOCUMENTED, 0},
                         {3, 0, 7, PM_TIE_DOCUMENTED, 0},  {4, 0, 3, PM_TIE_PROBABLE, 0},
                         {5, 0, 4, PM_TIE_DOCUMENTED, 0},  {1, 5, 2, PM_TIE_PROBABLE, 0}};
    pm_map_t m = {0};
    m.places = p;
    m.n_places = 6;
    m.ties = t;
    m.n_ties = 6;
    m.basemap.path = BASEMAP;
    m.basemap.admin1 = "admin1";
    pm_map_opts_t o;
    base_opts(&o);
    o.title = "Česko: vazby mezi kraji";
    o.fill_title = "Členové na 10 000";
    o.size_title = "Vazby";
    o.weight_title = "Dopisy";
    o.text_status = "Stav vazby";
    o.text_documented = "doložená";
    o.text_probable = "pravděpodobná";
    o.text_nodata = "bez údajů";
    o.classify = PM_CLASSIFY_JENKS;
    o.n_classes = 3;
    o.palette = "Blues";
    o.width_mm = PM_PAGE_SINGLE_COLUMN_MM;
    o.height_mm = 80;
    CHECK_INT(render(&m, &o, OUT "/czech.png", NULL), PM_OK);
    CHECK_INT(render(&m, &o, OUT "/czech.svg", NULL), PM_OK);
    CHECK(pm_test_same_as_golden(OUT "/czech.svg", "czech.svg"));
    CHECK_INT(render(&m, &o, OUT "/czech.pdf", NULL), PM_OK);
}

/* Places round the Arctic: a polar view with the pole inside the frame, so the basemap is read
 * for every longitude. */
static void test_arctic(void)
{
    pm_map_place_t p[5] = {{0}};
    place(&p[0], "Tromsø", 69.65, 18.96, NULL, NAN, 70);
    place(&p[1], "Анадырь", 64.73, 177.50, NULL, NAN, 15);
    place(&p[2], "Мурманск", 68.97, 33.08, NULL, NAN, 270);
    place(&p[3], "Nome", 64.50, -165.41, NULL, NAN, 4);
    place(&p[4], "Норильск", 69.35, 88.20, NULL, NAN, 180);
    pm_map_tie_t t[4] = {{0, 2, 3, PM_TIE_DOCUMENTED, 0},
                         {2, 4, 2, PM_TIE_DOCUMENTED, 0},
                         {4, 1, 1, PM_TIE_PROBABLE, 0},
                         {1, 3, 2, PM_TIE_DOCUMENTED, 0}};
    pm_map_t m = {0};
    m.places = p;
    m.n_places = 5;
    m.ties = t;
    m.n_ties = 4;
    m.basemap.path = BASEMAP;
    pm_map_opts_t o;
    base_opts(&o);
    o.title = "Arctic";
    o.dpi = 120;
    pm_map_scales_t s;
    pm_map_scales_init(&s);
    CHECK_INT(pm_render_compute_scales(&m, &o, &s, NULL), PM_OK);
    CHECK(s.crs && strstr(s.crs, "+lat_0=90"));
    CHECK(s.x0 < 0 && s.x1 > 0 && s.y0 < 0 && s.y1 > 0); /* the pole is in view */
    pm_map_scales_destroy(&s);
    CHECK_INT(render(&m, &o, OUT "/arctic.png", NULL), PM_OK);
    int w = 0, h = 0;
    unsigned char *px = read_rgb(OUT "/arctic.png", &w, &h);
    /* land drawn on both sides of the pole: Scandinavia and Chukotka */
    pm_rgb_t land = {0.914, 0.906, 0.882};
    CHECK(px && count_color(px, w, h, 0, w / 3, land) > 500);
    CHECK(px && count_color(px, w, h, w / 3, w * 2 / 3, land) > 500);
    free(px);
}

static void test_single_place(void)
{
    pm_map_place_t p[1] = {{0}};
    place(&p[0], "Қарағанды", 49.8047, 73.1094, "KAZ-3203", 20, 150);
    pm_map_t m = {0};
    m.places = p;
    m.n_places = 1;
    m.basemap.path = BASEMAP;
    pm_map_opts_t o;
    base_opts(&o);
    o.width_mm = PM_PAGE_SINGLE_COLUMN_MM;
    o.height_mm = 70;
    pm_diag_t d;
    pm_diag_init(&d);
    CHECK_INT(render(&m, &o, OUT "/single.png", &d), PM_OK);
    CHECK_INT(render(&m, &o, OUT "/single.pdf", &d), PM_OK);
    CHECK_INT(render(&m, NULL, OUT "/single_defaults.svg", &d), PM_OK); /* NULL opts: defaults */
    CHECK_INT(d.n, 0);
    pm_diag_destroy(&d);
}

static void test_errors(void)
{
    pm_map_t m = eurasia();
    pm_map_opts_t o;
    base_opts(&o);
    pm_error_t err;
    const char *bad_ext[1] = {OUT "/x.jpg"};
    CHECK_INT(pm_render_map(&m, &o, bad_ext, 1, NULL, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "x.jpg");
    CHECK(!pm_io_exists(OUT "/x.jpg"));

    /* all or nothing: a good path and one in a missing folder */
    const char *two[2] = {OUT "/not_written.svg", OUT "/no/such/dir/map.png"};
    unlink(two[0]);
    CHECK_INT(pm_render_map(&m, &o, two, 2, NULL, &err), PM_EIO);
    CHECK(!pm_io_exists(two[0]));

    const char *one[1] = {OUT "/err.svg"};
    pm_map_tie_t t = {0, 99, 1, PM_TIE_DOCUMENTED, 0};
    pm_map_t bad = m;
    bad.ties = &t;
    bad.n_ties = 1;
    CHECK_INT(pm_render_map(&bad, &o, one, 1, NULL, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "place 99");

    o.palette = "rainbow";
    CHECK_INT(pm_render_map(&m, &o, one, 1, NULL, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "rainbow");
    o.palette = NULL;

    double br[3] = {10, 5, 20};
    o.classify = PM_CLASSIFY_MANUAL;
    o.manual_breaks = br;
    o.n_manual_breaks = 3;
    CHECK_INT(pm_render_map(&m, &o, one, 1, NULL, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "increase");
    o.classify = PM_CLASSIFY_QUANTILE;

    o.crs = "EPSG:99999999";
    CHECK_INT(pm_render_map(&m, &o, one, 1, NULL, &err), PM_EUSAGE);
    o.crs = NULL;

    pm_map_t nob = m;
    nob.basemap.path = OUT "/missing.gpkg";
    CHECK_INT(pm_render_map(&nob, &o, one, 1, NULL, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "missing.gpkg");
    nob.basemap.path = BASEMAP;
    nob.basemap.countries = "oceans";
    CHECK_INT(pm_render_map(&nob, &o, one, 1, NULL, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "oceans");

    pm_map_place_t none[1] = {{0}};
    place(&none[0], "Nowhere", NAN, NAN, NULL, NAN, NAN);
    pm_map_t empty = {0};
    empty.places = none;
    empty.n_places = 1;
    CHECK_INT(pm_render_map(&empty, &o, one, 1, NULL, &err), PM_EDATA);
}

/* ---- timing --------------------------------------------------------------------------------- */

static unsigned long rng_state = 12345;
static double rnd(void)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Timings are printed for a reader, never checked: machines here are shared and noisy, and
 * performance is measured side by side with the peers in bench/ (docs/performance.md).
 * 23 places and 14 ties to PNG + SVG (the everyday figure), on the test basemap or on
 * $PM_RENDER_BASEMAP (the full world.gpkg) when set. */
static void test_time_small(void)
{
    static const struct {
        const char *name;
        double lat, lon;
    } extra[8] = {{"Казань", 55.79, 49.12},     {"Самара", 53.20, 50.15},
                  {"Омск", 54.99, 73.37},       {"Томск", 56.48, 84.95},
                  {"Красноярск", 56.01, 92.89}, {"Иркутск", 52.29, 104.28},
                  {"Шымкент", 42.34, 69.59},    {"Павлодар", 52.29, 76.97}};
    pm_map_t m = eurasia();
    pm_map_place_t p[23];
    memcpy(p, eurasia_places, 15 * sizeof *p);
    for (int i = 0; i < 8; i++)
        place(&p[15 + i], extra[i].name, extra[i].lat, extra[i].lon, NULL, NAN, 50 + 20 * i);
    m.places = p;
    m.n_places = 23;
    const char *env = getenv("PM_RENDER_BASEMAP");
    if (env && *env)
        m.basemap.path = env;
    pm_map_opts_t o;
    base_opts(&o);
    const char *outs[2] = {OUT "/small.png", OUT "/small.svg"};
    double t0 = now();
    CHECK_INT(pm_render_map(&m, &o, outs, 2, NULL, NULL), PM_OK);
    double t = now() - t0;
    fprintf(stderr, "23 places, 14 ties, PNG + SVG on %s: %.3f s\n", m.basemap.path, t);
}

/* A random network: np places in a lat/lon box, nt ties of weights 1..max_w (mostly low), a
 * fifth of them probable. */
typedef struct rnet {
    pm_map_place_t *p;
    pm_map_tie_t *t;
    char (*names)[32];
} rnet_t;

static void rnet_free(rnet_t *r)
{
    free(r->names);
    free(r->t);
    free(r->p);
}

static int rnet_make(rnet_t *r, size_t np, size_t nt, const double box[4], int values, int max_w)
{
    r->p = calloc(np, sizeof *r->p);
    r->t = calloc(nt, sizeof *r->t);
    r->names = calloc(np, sizeof *r->names);
    if (!r->p || !r->t || !r->names) {
        rnet_free(r);
        return 0;
    }
    for (size_t i = 0; i < np; i++) {
        snprintf(r->names[i], sizeof r->names[i], "Place %zu", i + 1);
        double lat = box[0] + (box[1] - box[0]) * rnd(), lon = box[2] + (box[3] - box[2]) * rnd();
        place(&r->p[i], r->names[i], lat, lon, NULL, values ? 100 * rnd() : NAN,
              values ? 1 + 999 * rnd() * rnd() : NAN);
    }
    for (size_t i = 0; i < nt; i++) {
        r->t[i].from = (size_t)(rnd() * (double)np);
        r->t[i].to = (size_t)(rnd() * (double)np);
        r->t[i].weight = 1 + (double)(int)(max_w * rnd() * rnd());
        r->t[i].style = rnd() < 0.2 ? PM_TIE_PROBABLE : PM_TIE_DOCUMENTED;
    }
    return 1;
}

/* 1 539 places and 2 000 ties on a world map, PNG + SVG. */
static void test_time_large(void)
{
    enum { NP = 1539, NT = 2000 };
    static const double world[4] = {-50, 70, -170, 170};
    rnet_t r;
    if (!rnet_make(&r, NP, NT, world, 1, 49)) {
        CHECK(0);
        return;
    }
    pm_map_t m = {0};
    m.places = r.p;
    m.n_places = NP;
    m.ties = r.t;
    m.n_ties = NT;
    const char *env = getenv("PM_RENDER_BASEMAP");
    m.basemap.path = env && *env ? env : BASEMAP;
    m.basemap.admin1 = "admin1";
    pm_map_opts_t o;
    base_opts(&o);
    const char *outs[2] = {OUT "/large.png", OUT "/large.svg"};
    pm_diag_t d;
    pm_diag_init(&d);
    double t0 = now();
    CHECK_INT(pm_render_map(&m, &o, outs, 2, &d, NULL), PM_OK);
    double el = now() - t0;
    fprintf(stderr, "1539 places, 2000 ties, PNG + SVG on %s: %.3f s\n", m.basemap.path, el);
    pm_diag_destroy(&d);
    rnet_free(&r);
}

/* A dense map (2,000 ties, translucent) strokes its ties in groups of ties that do not touch,
 * and paints its 300 circles in layers of circles that do not touch: the same picture as one
 * stroke per tie and circle, in far fewer SVG paths; probable (dashed) ties, arrowheads, and
 * circles coloured by class (point places with a fill value) included. */
static void test_dense_groups(void)
{
    enum { NP = 300, NT = 2000 };
    static const double europe[4] = {35, 65, -10, 50};
    rnet_t r;
    if (!rnet_make(&r, NP, NT, europe, 1, 6)) {
        CHECK(0);
        return;
    }
    for (int directed = 0; directed <= 1; directed++) {
        pm_map_t m = {0};
        m.places = r.p;
        m.n_places = NP;
        m.ties = r.t;
        m.n_ties = NT;
        m.directed = directed;
        m.basemap.path = BASEMAP;
        pm_map_opts_t o;
        base_opts(&o);
        o.dpi = 150;
        const char *grouped[2] = {OUT "/dense_grouped.png", OUT "/dense_grouped.svg"};
        const char *single[2] = {OUT "/dense_single.png", OUT "/dense_single.svg"};
        pm_renderer_t *rdr = NULL;
        CHECK_INT(pm_renderer_new(&rdr, NULL), PM_OK);
        pm_renderer_group_paths(rdr, 2);
        CHECK_INT(pm_renderer_draw(rdr, &m, &o, grouped, 2, NULL, NULL), PM_OK);
        pm_renderer_group_paths(rdr, 0);
        CHECK_INT(pm_renderer_draw(rdr, &m, &o, single, 2, NULL, NULL), PM_OK);
        pm_renderer_free(rdr);
        /* compositing one colour at one opacity commutes; 8-bit rounding may differ by a level
         * or two where many ties overlap */
        CHECK(png_close(grouped[0], single[0], 3, 0.0001));
        size_t pg = count_in_file(grouped[1], "<path"), ps = count_in_file(single[1], "<path");
        fprintf(stderr, "dense map (directed %d): %zu SVG paths grouped, %zu one per tie\n",
                directed, pg, ps);
        CHECK(ps > NT);
        CHECK(ps - pg > NT * 3 / 4 + NP); /* arrowheads stay one path each */
        /* by default only vector figures are grouped */
        const char *dflt[1] = {OUT "/dense_default.svg"};
        CHECK_INT(pm_render_map(&m, &o, dflt, 1, NULL, NULL), PM_OK);
        CHECK_INT(count_in_file(dflt[0], "<path"), pg);
    }
    rnet_free(&r);
}

/* 1 when files a and b hold the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    size_t n1 = 0, n2 = 0;
    char *x = slurp(a, &n1), *y = slurp(b, &n2);
    int same = x && y && n1 == n2 && memcmp(x, y, n1) == 0;
    free(x);
    free(y);
    return same;
}

typedef struct draw_job {
    const pm_map_t *m;
    const pm_map_opts_t *o;
    const char *outs[2];
    pm_status_t st;
} draw_job_t;

static void *draw_thread(void *arg)
{
    draw_job_t *j = arg;
    pm_renderer_t *r = NULL;
    j->st = pm_renderer_new(&r, NULL);
    for (int k = 0; k < 2 && !j->st; k++) /* the second from the renderer's basemap */
        j->st = pm_renderer_draw(r, j->m, j->o, j->outs, 2, NULL, NULL);
    pm_renderer_free(r);
    return NULL;
}

typedef struct reentry {
    pm_renderer_t *r;
    const pm_map_t *m;
    pm_status_t st;
    char msg[PM_ERROR_MSG_MAX];
} reentry_t;

/* Called inside pm_renderer_draw: draws again with the same renderer, which must refuse. */
static void draw_again(void *ctx)
{
    reentry_t *e = ctx;
    pm_error_t err;
    pm_error_clear(&err);
    const char *outs[1] = {OUT "/reentry.svg"};
    e->st = pm_renderer_draw(e->r, e->m, NULL, outs, 1, NULL, &err);
    snprintf(e->msg, sizeof e->msg, "%s", err.msg);
}

/* A renderer keeps what one map hands to the next (the basemap of its view, rasterised with
 * reuse on) and nothing else: maps drawn from its caches, after another view replaced them, or by
 * two renderers on two threads at once are the map drawn alone, byte for byte. */
static void test_renderers(void)
{
    pm_map_t m = eurasia(), b = bering();
    pm_map_opts_t o;
    base_opts(&o);
    const char *alone[2] = {OUT "/alone.png", OUT "/alone.svg"};
    CHECK_INT(pm_render_map(&m, &o, alone, 2, NULL, NULL), PM_OK);

    pm_renderer_t *r = NULL;
    CHECK_INT(pm_renderer_new(&r, NULL), PM_OK);
    CHECK_INT(pm_renderer_threads(r), 0);
    pm_renderer_reuse_basemap(r, 1);
    const char *first[2] = {OUT "/rdr1.png", OUT "/rdr1.svg"};
    const char *again[2] = {OUT "/rdr2.png", OUT "/rdr2.svg"};
    const char *other[1] = {OUT "/rdr_bering.png"};
    const char *back[2] = {OUT "/rdr3.png", OUT "/rdr3.svg"};
    pm_renderer_fonts_begin(r);
    CHECK_INT(pm_renderer_threads(r), 1);
    pm_renderer_fonts_end(r);
    CHECK_INT(pm_renderer_threads(r), 0);
    CHECK_INT(pm_renderer_draw(r, &m, &o, first, 2, NULL, NULL), PM_OK);
    CHECK_INT(pm_renderer_draw(r, &m, &o, again, 2, NULL, NULL), PM_OK);
    CHECK_INT(pm_renderer_draw(r, &b, &o, other, 1, NULL, NULL), PM_OK);
    CHECK_INT(pm_renderer_draw(r, &m, &o, back, 2, NULL, NULL), PM_OK);
    CHECK_INT(pm_renderer_threads(r), 0);
    /* "one thread at a time" is a rule, not a comment: a draw inside a draw is refused */
    reentry_t e = {r, &m, PM_OK, ""};
    pm_map_t inner = m;
    inner.polygons_done = draw_again;
    inner.polygons_ctx = &e;
    const char *outer[1] = {OUT "/outer.svg"};
    unlink(OUT "/reentry.svg"); /* left by an earlier run, it would hide a draw that happened */
    CHECK_INT(pm_renderer_draw(r, &inner, &o, outer, 1, NULL, NULL), PM_OK);
    CHECK_INT(e.st, PM_EINTERNAL);
    CHECK_CONTAINS(e.msg, "give each thread its own");
    CHECK(access(OUT "/reentry.svg", F_OK) != 0);
    CHECK(same_bytes(outer[0], alone[1])); /* and the outer map is not disturbed */
    pm_renderer_free(r);
    pm_renderer_free(NULL);
    /* the rasterised basemap is painted, not drawn: the same picture within rounding */
    CHECK(png_close(first[0], alone[0], 3, 0.01));
    CHECK(same_bytes(first[1], alone[1]));
    for (int k = 0; k < 2; k++) {
        CHECK(same_bytes(again[k], first[k]));
        CHECK(same_bytes(back[k], first[k]));
    }

    pthread_t t[2];
    draw_job_t j[2] = {{&m, &o, {OUT "/thr1.png", OUT "/thr1.svg"}, PM_OK},
                       {&m, &o, {OUT "/thr2.png", OUT "/thr2.svg"}, PM_OK}};
    int started[2];
    for (int i = 0; i < 2; i++)
        started[i] = pthread_create(&t[i], NULL, draw_thread, &j[i]) == 0;
    for (int i = 0; i < 2; i++) {
        CHECK(started[i]);
        if (started[i])
            pthread_join(t[i], NULL);
        CHECK_INT(j[i].st, PM_OK);
        for (int k = 0; k < 2; k++)
            CHECK(same_bytes(j[i].outs[k], alone[k]));
    }
}

/* The one page parser (--page, --size, the library): units mm (default), cm, in; single and double;
 * 30 to 1000 mm each way, as the man page says. The CLI had its own parser, which took 5x5 (5 mm)
 * and 1500x900; the core's took neither a unit nor 7x5in. */
static void test_parse_page(void)
{
    pm_error_t err;
    double w = 0, h = 0;
    CHECK_INT(pm_render_parse_page("180x120mm", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, 180, 1e-12);
    CHECK_NEAR(h, 120, 1e-12);
    CHECK_INT(pm_render_parse_page("120x90", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, 120, 1e-12);
    CHECK_NEAR(h, 90, 1e-12);
    CHECK_INT(pm_render_parse_page("7x5in", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, 177.8, 1e-12);
    CHECK_NEAR(h, 127, 1e-12);
    CHECK_INT(pm_render_parse_page("16X10cm", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, 160, 1e-12);
    CHECK_NEAR(h, 100, 1e-12);
    CHECK_INT(pm_render_parse_page("single", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, PM_PAGE_SINGLE_COLUMN_MM, 1e-12);
    CHECK_NEAR(h, 70, 1e-12);
    CHECK_INT(pm_render_parse_page("Double", &w, &h, &err), PM_OK);
    CHECK_NEAR(w, PM_PAGE_DOUBLE_COLUMN_MM, 1e-12);
    CHECK_INT(pm_render_parse_page("30x1000", &w, &h, &err), PM_OK); /* the bounds are in */
    w = h = -1;
    const char *bad[] = {"5x5",     "1500x900", "1x1in",      "180x120pt", "180",
                         "x120",    "180x",     "180x120mm ", " 180x120",  "-180x120",
                         "nanxnan", "0x10x20",  "",           "page"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (pm_render_parse_page(bad[i], &w, &h, &err) != PM_EUSAGE)
            pm_test_fail(__FILE__, __LINE__, "page '%s' accepted", bad[i]);
        else
            pm_test_passed++;
        CHECK_CONTAINS(err.msg, "7x5in");
    }
    CHECK_INT(pm_render_parse_page(NULL, &w, &h, &err), PM_EUSAGE);
    CHECK(w == -1 && h == -1); /* untouched on failure */
}

int main(void)
{
    PM_RUN(test_parse_page);
    pm_runtime_init();
    mkdir(OUT, 0777);
    PM_RUN(test_formats);
    PM_RUN(test_golden_eurasia);
    PM_RUN(test_reproducible);
    PM_RUN(test_bering);
    PM_RUN(test_crs_split_warning);
    PM_RUN(test_chukotka_compact);
    PM_RUN(test_world_cut);
    PM_RUN(test_print_theme);
    PM_RUN(test_colour_theme_greyscale);
    PM_RUN(test_legend_widths);
    PM_RUN(test_shared_scales);
    PM_RUN(test_czech);
    PM_RUN(test_arctic);
    PM_RUN(test_single_place);
    PM_RUN(test_errors);
    PM_RUN(test_dense_groups);
    PM_RUN(test_renderers);
    PM_RUN(test_time_small);
    PM_RUN(test_time_large);
    pm_test_basemap_free();
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
