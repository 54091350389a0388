/*
 * Insets (pm_render_inset.c and the inset steps of pm_render.c): the placement on plain
 * obstacles (it hides no place, box or tie when a free position exists); the auto rule on
 * hand-built scenes; and whole maps through the renderer: a friendship-society map (places at
 * the sample's countries, ties to the USSR) whose Central European group goes into an inset,
 * compared with golden SVGs in the colour and print themes, and a map without crowding, which
 * says that auto drew no inset.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pm_io.h"
#include "pm_render.h"
#include "pm_render_int.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define OUT "inset-out"
#define BASEMAP PM_TEST_DATA "/render/basemap.gpkg"

/* ---- placement on plain obstacles ------------------------------------------------------------ */

static int hits_circle(const double *c, double x0, double y0, double x1, double y1)
{
    double dx = fmax(fmax(x0 - c[0], 0), c[0] - x1), dy = fmax(fmax(y0 - c[1], 0), c[1] - y1);
    return hypot(dx, dy) < c[2];
}

/* ties as straight segments x0, y0, x1, y1: the length inside a box, by sampling */
typedef struct segs {
    const double *s;
    size_t n;
} segs_t;

static double seg_len(void *ctx, double x0, double y0, double x1, double y1)
{
    const segs_t *g = ctx;
    double len = 0;
    for (size_t i = 0; i < g->n; i++) {
        const double *s = &g->s[4 * i];
        double l = hypot(s[2] - s[0], s[3] - s[1]);
        for (int k = 0; k < 200; k++) {
            double t = (k + 0.5) / 200, x = s[0] + (s[2] - s[0]) * t, y = s[1] + (s[3] - s[1]) * t;
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
                len += l / 200;
        }
    }
    return len;
}

/* Places in three corners, a tie through the fourth's neighbour, the scale bar in the lower
 * left: the inset goes where it covers none of them, and says it covers nothing. */
static void test_place_hides_nothing(void)
{
    const double fx = 10, fy = 10, fw = 400, fh = 300, w = 120, h = 90;
    const double circles[] = {30, 30, 6, 390, 30, 6, 30, 290, 6, 200, 150, 8};
    const double boxes[] = {15, 280, 80, 305};                    /* a scale bar, lower left */
    const double ties[] = {250, 300, 410, 180, 200, 150, 30, 30}; /* crosses the lower right */
    segs_t g = {ties, 2};
    pm_inset_obstacles_t ob = {circles, 4, boxes, 1, seg_len, NULL, &g};
    double x, y, t = -1;
    size_t nc = 99, nb = 99;
    int k = pm_inset_place(&ob, fx, fy, fw, fh, w, h, &x, &y, &nc, &nb, &t);
    CHECK(k >= 0 && k < 8);
    CHECK(x >= fx && y >= fy && x + w <= fx + fw && y + h <= fy + fh);
    for (size_t i = 0; i < 4; i++)
        CHECK(!hits_circle(&circles[3 * i], x - 2, y - 2, x + w + 2, y + h + 2));
    CHECK(!(boxes[0] < x + w && boxes[2] > x && boxes[1] < y + h && boxes[3] > y));
    CHECK(seg_len(&g, x - 2, y - 2, x + w + 2, y + h + 2) == 0);
    CHECK_INT((int)nc, 0);
    CHECK_INT((int)nb, 0);
    CHECK(t == 0);
    /* every corner and edge middle taken: it says what it covers */
    const double full[] = {70,  55, 30, 350, 55,  30, 70, 265, 30, 350, 265, 30,
                           210, 40, 30, 210, 280, 30, 40, 160, 30, 380, 160, 30};
    pm_inset_obstacles_t ob2 = {full, 8, NULL, 0, NULL, NULL, NULL};
    pm_inset_place(&ob2, fx, fy, fw, fh, w, h, &x, &y, &nc, &nb, &t);
    CHECK(nc > 0);
}

/* ---- the auto rule on hand-built scenes -------------------------------------------------------
 */

static void scene_of(pm_scene_t *sc, pm_rplace_t *p, const double *xy, size_t n)
{
    memset(sc, 0, sizeof *sc);
    sc->label_pt = 6.5;
    sc->view.fx = 0, sc->view.fy = 0, sc->view.fw = 500, sc->view.fh = 300;
    for (size_t i = 0; i < n; i++)
        p[i] = (pm_rplace_t){i, xy[2 * i], xy[2 * i + 1], 2, -1, 1, 0, 0, 0};
    sc->places = p;
    sc->n_places = n;
}

static void test_auto_rule(void)
{
    pm_scene_t sc;
    pm_rplace_t p[12];
    char why[256];
    double box[4];
    /* five places within 30 pt of each other, five spread out */
    const double crowd[] = {100, 100, 108, 104, 115, 98,  104, 110, 118, 108,
                            400, 50,  450, 250, 300, 280, 20,  280, 250, 20};
    scene_of(&sc, p, crowd, 10);
    CHECK_INT((int)pm_inset_find(&sc, box, why, sizeof why), 5);
    CHECK(box[0] < 100 && box[2] > 118 && box[1] < 98 && box[3] > 110);
    CHECK(box[2] - box[0] < 60 && box[3] - box[1] < 60);
    /* the same places spread: nothing to inset, and the reason */
    const double spread[] = {100, 100, 160, 104, 215, 98,  104, 170, 218, 168,
                             400, 50,  450, 250, 300, 280, 20,  280, 250, 20};
    scene_of(&sc, p, spread, 10);
    CHECK_INT((int)pm_inset_find(&sc, box, why, sizeof why), 0);
    CHECK(strstr(why, "no two places crowd") != NULL);
    /* three crowd: fewer than PM_INSET_MIN_PLACES */
    scene_of(&sc, p, crowd, 3);
    const double three[] = {100, 100, 108, 104, 115, 98, 400, 50, 450, 250};
    scene_of(&sc, p, three, 5);
    CHECK_INT((int)pm_inset_find(&sc, box, why, sizeof why), 0);
    CHECK(strstr(why, "has 3") != NULL);
}

/* ---- whole maps --------------------------------------------------------------------------------
 */

typedef struct country {
    const char *name;
    double lon, lat, w;
} country_t;

/* the friendship-society sample's countries (near their anchors) and tie weights to the USSR */
static const country_t friends[] = {{"USSR", 60.0, 57.0, 0},
                                    {"Albania", 20.0, 41.1, 1},
                                    {"Yugoslavia", 19.5, 44.0, 1},
                                    {"Austria", 14.6, 47.6, 1},
                                    {"Netherlands", 5.6, 52.2, 1},
                                    {"Norway", 9.5, 61.5, 1},
                                    {"Romania", 25.0, 45.9, 2},
                                    {"Switzerland", 8.2, 46.8, 1},
                                    {"Madagascar", 46.7, -19.4, 1},
                                    {"Bulgaria", 25.2, 42.7, 1},
                                    {"Italy", 12.6, 42.8, 1},
                                    {"Cuba", -79.0, 21.6, 1},
                                    {"Vietnam", 106.3, 16.6, 1},
                                    {"Finland", 26.3, 64.5, 2},
                                    {"Hungary", 19.4, 47.2, 1},
                                    {"Poland", 19.4, 52.1, 2},
                                    {"German Democratic Republic", 12.5, 52.4, 1},
                                    {"Czechoslovakia", 17.0, 49.3, 1},
                                    {"China", 103.8, 36.6, 1},
                                    {"United States", -98.6, 39.8, 1},
                                    {"United Kingdom", -2.0, 53.0, 1},
                                    {"Canada", -98.3, 61.4, 1},
                                    {"France", 2.5, 46.6, 2}};
#define N_FRIENDS (sizeof friends / sizeof *friends)

static pm_map_place_t fplaces[N_FRIENDS];
static pm_map_tie_t fties[N_FRIENDS];

static pm_map_t friendship(void)
{
    pm_map_t m;
    memset(&m, 0, sizeof m);
    double strength[N_FRIENDS] = {0};
    size_t nt = 0;
    for (size_t i = 1; i < N_FRIENDS; i++) {
        fties[nt++] = (pm_map_tie_t){i, 0, friends[i].w, PM_TIE_DOCUMENTED, 0};
        strength[i] += friends[i].w;
        strength[0] += friends[i].w;
    }
    for (size_t i = 0; i < N_FRIENDS; i++)
        fplaces[i] = (pm_map_place_t){
            friends[i].lon, friends[i].lat, friends[i].name, NAN, strength[i], NULL, 1, NAN, 0};
    m.places = fplaces;
    m.n_places = N_FRIENDS;
    m.ties = fties;
    m.n_ties = nt;
    m.basemap.path = BASEMAP;
    return m;
}

static void opts_for(pm_map_opts_t *o, pm_theme_t theme)
{
    pm_map_opts_init(o);
    o->theme = theme;
    o->title = "Societies of friendship with the USSR (test fixture)";
    o->size_title = "Strength";
    o->weight_title = "Ties: weight";
    o->version = "0.0-test";
    o->command_line = "partnermap map ties.csv --inset auto -o map.svg";
    o->inset = PM_INSET_AUTO;
}

/* The friendship map with an inset of Central Europe, in both themes: the inset covers no
 * place, label or tie (the renderer's note says what it covers, computed on the scene), and
 * the figure is the golden one. */
static void test_friendship_inset(void)
{
    static const struct {
        pm_theme_t theme;
        const char *file;
    } runs[] = {{PM_THEME_COLOR, "friendship-inset.svg"},
                {PM_THEME_PRINT, "friendship-inset-print.svg"}};
    mkdir(OUT, 0755);
    for (size_t r = 0; r < 2; r++) {
        pm_map_t m = friendship();
        pm_map_opts_t o;
        opts_for(&o, runs[r].theme);
        pm_renderer_t *rdr = NULL;
        pm_error_t err;
        pm_diag_t d;
        pm_diag_init(&d);
        char path[256];
        snprintf(path, sizeof path, OUT "/%s", runs[r].file);
        const char *outs[1] = {path};
        CHECK_INT(pm_renderer_new(&rdr, &err), PM_OK);
        CHECK_INT(pm_renderer_draw(rdr, &m, &o, outs, 1, &d, &err), PM_OK);
        const char *note = pm_renderer_inset_note(rdr);
        if (!strstr(note, "inset: ") ||
            !strstr(note, "covers no place, label or legend and no tie"))
            pm_test_fail(__FILE__, __LINE__, "inset note: '%s'", note);
        CHECK(strstr(note, "Austria") == NULL); /* places are counted, not listed */
        CHECK(pm_test_same_as_golden(path, runs[r].file));
        pm_renderer_free(rdr);
        pm_diag_destroy(&d);
    }
}

/* A map without crowding: auto draws no inset and says why (warning and note); the figure is
 * the one drawn without --inset. */
static void test_auto_nothing_says_so(void)
{
    pm_map_t m = friendship();
    m.n_places = 6; /* USSR, Albania, Yugoslavia, Austria, Netherlands, Norway: none crowd */
    m.n_ties = 5;
    m.basemap.path = NULL;
    pm_map_opts_t o;
    opts_for(&o, PM_THEME_COLOR);
    pm_renderer_t *rdr = NULL;
    pm_error_t err;
    pm_diag_t d;
    pm_diag_init(&d);
    mkdir(OUT, 0755);
    const char *a[1] = {OUT "/nothing-auto.svg"}, *b[1] = {OUT "/nothing-none.svg"};
    CHECK_INT(pm_renderer_new(&rdr, &err), PM_OK);
    CHECK_INT(pm_renderer_draw(rdr, &m, &o, a, 1, &d, &err), PM_OK);
    const char *note = pm_renderer_inset_note(rdr);
    if (!strstr(note, "--inset auto: no inset drawn: "))
        pm_test_fail(__FILE__, __LINE__, "inset note: '%s'", note);
    int warned = 0;
    for (size_t i = 0; i < d.n; i++)
        warned |= strstr(d.items[i].msg, "--inset auto: no inset drawn") != NULL;
    CHECK(warned);
    o.inset = PM_INSET_NONE;
    CHECK_INT(pm_renderer_draw(rdr, &m, &o, b, 1, NULL, &err), PM_OK);
    CHECK(strcmp(pm_renderer_inset_note(rdr), "") == 0);
    pm_renderer_free(rdr);
    pm_diag_destroy(&d);
}

static void test_parse(void)
{
    pm_inset_mode_t mode = PM_INSET_NONE;
    double b[4] = {0};
    pm_error_t err;
    CHECK_INT(pm_render_parse_inset("auto", &mode, b, &err), PM_OK);
    CHECK_INT(mode, PM_INSET_AUTO);
    CHECK_INT(pm_render_parse_inset("12,47,23,51", &mode, b, &err), PM_OK);
    CHECK_INT(mode, PM_INSET_BOX);
    CHECK(b[0] == 12 && b[1] == 47 && b[2] == 23 && b[3] == 51);
    CHECK_INT(pm_render_parse_inset("none", &mode, b, &err), PM_OK);
    CHECK_INT(mode, PM_INSET_NONE);
    const char *bad[] = {"",          "yes",        "12,51,23,47", "12,47,23", "12,47,23,51,1",
                         "190,1,2,3", "12,47,12,51"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(pm_render_parse_inset(bad[i], &mode, b, &err), PM_EUSAGE);
        CHECK(strstr(err.msg, "W,S,E,N") != NULL);
    }
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_place_hides_nothing);
    PM_RUN(test_auto_rule);
    PM_RUN(test_parse);
    PM_RUN(test_friendship_inset);
    PM_RUN(test_auto_nothing_says_so);
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
