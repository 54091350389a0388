/*
 * Place labels (pm_render_text.c, pm_render_lcost.c): white-box tests on hand-built scenes (page
 * points, straight ties, square countries), so that every box can be checked against the
 * geometry it must avoid; and through pm_render_map for the order of importance and the names
 * of the labels left out.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_render.h"
#include "pm_render_int.h"
#include "pm_runtime.h"
#include "pm_test.h"

/* ---- a hand-built scene ---------------------------------------------------------------------- */

#define MAXP 8
#define MAXT 16

typedef struct fixture {
    pm_scene_t sc;
    pm_map_t map;
    pm_map_opts_t opts;
    pm_diag_t diag;
    pm_map_place_t mp[MAXP];
    pm_rplace_t places[MAXP];
    pm_rtie_t ties[MAXT];
    double tie_pts[MAXT][4];
} fixture_t;

/* A 400 x 300 pt frame at (10, 10), no basemap. */
static void fx_init(fixture_t *f)
{
    memset(f, 0, sizeof *f);
    pm_map_opts_init(&f->opts);
    pm_diag_init(&f->diag);
    f->map.places = f->mp;
    f->sc.map = &f->map;
    f->sc.opts = &f->opts;
    f->sc.diag = &f->diag;
    f->sc.font = "DejaVu Sans";
    f->sc.label_pt = 6.5;
    f->sc.view.fx = 10, f->sc.view.fy = 10, f->sc.view.fw = 400, f->sc.view.fh = 300;
    f->sc.places = f->places;
    f->sc.ties = f->ties;
    pm_rings_init(&f->sc.land);
}

/* Place i at x, y (points) with a circle of radius r (0: a dot) and priority prio. */
static void fx_place(fixture_t *f, const char *label, double x, double y, double r, double prio)
{
    if (f->sc.n_places == MAXP) {
        pm_test_fail(__FILE__, __LINE__, "more than %d places in a fixture", MAXP);
        return;
    }
    size_t i = f->sc.n_places++;
    f->mp[i].label = label;
    f->map.n_places = f->sc.n_places;
    f->places[i] = (pm_rplace_t){i, x, y, r, -1, prio, 0, 0, 0};
}

/* A straight tie of width w from (x0, y0) to (x1, y1). */
static void fx_tie(fixture_t *f, double x0, double y0, double x1, double y1, double w)
{
    if (f->sc.n_ties == MAXT) {
        pm_test_fail(__FILE__, __LINE__, "more than %d ties in a fixture", MAXT);
        return;
    }
    size_t i = f->sc.n_ties++;
    double *p = f->tie_pts[i];
    p[0] = x0, p[1] = y0, p[2] = x1, p[3] = y1;
    f->ties[i] = (pm_rtie_t){.idx = i, .pts = p, .n = 2, .width = w};
}

static int fx_place_labels(fixture_t *f)
{
    pm_error_t err;
    pm_error_clear(&err);
    if (pm_text_init(&f->sc, &err) != PM_OK)
        return -1;
    return pm_labels_place(&f->sc, &err) == PM_OK ? 0 : -1;
}

static void fx_free(fixture_t *f)
{
    pm_label_check_destroy(&f->sc.lcheck);
    pm_text_free(&f->sc);
    pm_diag_destroy(&f->diag);
}

static const pm_rlabel_t *label_of(const fixture_t *f, const char *text)
{
    for (size_t i = 0; i < f->sc.n_labels; i++)
        if (!strcmp(f->mp[f->places[f->sc.labels[i].place].idx].label, text))
            return &f->sc.labels[i];
    return NULL;
}

/* Does segment a-b, widened by h on each side, meet the box? (sampled every 0.25 pt) */
static int seg_meets_box(const double *p, double h, const pm_rlabel_t *l)
{
    double len = hypot(p[2] - p[0], p[3] - p[1]);
    for (double t = 0; t <= len; t += 0.25) {
        double x = p[0] + (p[2] - p[0]) * t / len, y = p[1] + (p[3] - p[1]) * t / len;
        if (x > l->x - h && x < l->x + l->w + h && y > l->y - h && y < l->y + l->h + h)
            return 1;
    }
    return 0;
}

static int warned(const pm_diag_t *d, const char *s)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, s))
            return 1;
    return 0;
}

/* ---- tests ---------------------------------------------------------------------------------- */

/* A place with ties leaving to the right and to the lower left: its label goes where no tie
 * runs (the old placement took the first free position, right, on top of the tie). */
static void test_avoids_ties(void)
{
    fixture_t f;
    fx_init(&f);
    fx_place(&f, "Sverdlovsk Oblast", 200, 150, 4, 6);
    fx_place(&f, "East", 380, 150, 2, 1);
    fx_place(&f, "South", 60, 280, 2, 1);
    fx_tie(&f, 200, 150, 380, 150, 2.0);
    fx_tie(&f, 200, 150, 60, 280, 1.0);
    fx_tie(&f, 200, 150, 200, 20, 1.0); /* and one straight up */
    CHECK_INT(fx_place_labels(&f), 0);
    for (size_t i = 0; i < f.sc.n_labels; i++) {
        const pm_rlabel_t *l = &f.sc.labels[i];
        CHECK(l->placed);
        for (size_t t = 0; t < f.sc.n_ties; t++)
            if (seg_meets_box(f.tie_pts[t], f.ties[t].width / 2, l))
                pm_test_fail(__FILE__, __LINE__, "label '%s' lies on tie %zu",
                             f.mp[f.places[l->place].idx].label, t);
    }
    fx_free(&f);
}

/* When every position crosses a tie the label is still placed (over the ties, with its halo),
 * not dropped: ties are crossed only when nothing else fits. */
static void test_crosses_ties_when_nothing_else_fits(void)
{
    fixture_t f;
    fx_init(&f);
    fx_place(&f, "Hub", 200, 150, 3, 5);
    for (int k = 0; k < 8; k++) {
        double a = k * PM_PI / 4 + PM_PI / 8;
        fx_tie(&f, 200, 150, 200 + 150 * cos(a), 150 + 130 * sin(a), 1.0);
    }
    fx_tie(&f, 60, 150, 340, 150, 1.0);
    fx_tie(&f, 200, 20, 200, 290, 1.0);
    CHECK_INT(fx_place_labels(&f), 0);
    const pm_rlabel_t *l = label_of(&f, "Hub");
    CHECK(l && l->placed);
    CHECK(!warned(&f.diag, "left out"));
    fx_free(&f);
}

/* Country A is a narrow strip (6 pt) between B and C; a more important place's circle covers every
 * position next to the small place P, so only leader positions remain, and all of them lie over
 * B or C: P's label is left out (and named), not drawn over another country. */
static void test_no_leader_over_another_country(void)
{
    static double xy[] = {/* C */ 10,  10, 192, 10, 192, 310, 10,  310,
                          /* A */ 192, 10, 198, 10, 198, 310, 192, 310,
                          /* B */ 198, 10, 410, 10, 410, 310, 198, 310};
    static size_t start[] = {0, 4, 8, 12};
    static unsigned char skip[12];
    fixture_t f;
    fx_init(&f);
    f.sc.land.xy = xy, f.sc.land.skip = skip, f.sc.land.start = start;
    f.sc.land.n = 12, f.sc.land.n_rings = 3;
    fx_place(&f, NULL, 195, 150, 14, 10); /* a large circle, no label */
    fx_place(&f, "Pee", 195, 150, 0, 1);
    CHECK_INT(fx_place_labels(&f), 0);
    const pm_rlabel_t *l = label_of(&f, "Pee");
    CHECK(l != NULL);
    if (l && l->placed) {
        /* placed: then not over B or C */
        CHECK(l->x >= 192 && l->x + l->w <= 198);
    }
    CHECK(l && !l->placed);
    CHECK(warned(&f.diag, "1 of 1 place labels left out"));
    CHECK(warned(&f.diag, "'Pee'"));
    f.sc.land.xy = NULL, f.sc.land.skip = NULL, f.sc.land.start = NULL;
    fx_free(&f);
}

/* A leader line never crosses another: two labels pushed out from neighbouring places. */
static void test_leaders_do_not_cross(void)
{
    fixture_t f;
    fx_init(&f);
    fx_place(&f, NULL, 200, 150, 12, 10);
    fx_place(&f, "Alpha", 195, 150, 0, 3);
    fx_place(&f, "Beta", 205, 150, 0, 2);
    fx_place(&f, "Gamma", 200, 145, 0, 1);
    CHECK_INT(fx_place_labels(&f), 0);
    double seg[3][4];
    size_t n = 0;
    for (size_t i = 0; i < f.sc.n_labels; i++) {
        const pm_rlabel_t *l = &f.sc.labels[i];
        const pm_rplace_t *p = &f.places[l->place];
        if (!l->placed || !l->leader)
            continue;
        double bx = fmax(l->x, fmin(p->x, l->x + l->w)), by = fmax(l->y, fmin(p->y, l->y + l->h));
        seg[n][0] = p->x, seg[n][1] = p->y, seg[n][2] = bx, seg[n][3] = by;
        n++;
    }
    CHECK(n >= 2);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            const double *a = seg[i], *b = seg[j];
            double d1 = (b[2] - b[0]) * (a[1] - b[1]) - (b[3] - b[1]) * (a[0] - b[0]);
            double d2 = (b[2] - b[0]) * (a[3] - b[1]) - (b[3] - b[1]) * (a[2] - b[0]);
            double d3 = (a[2] - a[0]) * (b[1] - a[1]) - (a[3] - a[1]) * (b[0] - a[0]);
            double d4 = (a[2] - a[0]) * (b[3] - a[1]) - (a[3] - a[1]) * (b[2] - a[0]);
            CHECK(!(d1 * d2 < 0 && d3 * d4 < 0));
        }
    }
    fx_free(&f);
}

/* ---- through the public API: importance and names -------------------------------------------- */

/* Thirty places at one point, fill 1..30 and no circles, in input order of increasing fill:
 * the labels that do not fit are the least important (lowest fill), whatever the input order,
 * and the warning names them. */
static void test_drop_follows_importance(void)
{
    enum { N = 30 };
    pm_map_place_t p[N];
    char names[N][8];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "P%02d", i + 1);
        p[i] = (pm_map_place_t){20.0, 50.0, names[i], (double)(i + 1), NAN, NULL, 1, 0, 0};
    }
    pm_map_t m = {p, N, NULL, 0, 0, {NULL, NULL, NULL}, NULL, NULL};
    pm_map_opts_t o;
    pm_map_opts_init(&o);
    char path[512];
    snprintf(path, sizeof path, "%s/labels.svg", pm_test_dir());
    const char *out[] = {path};
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    pm_error_clear(&err);
    CHECK_INT(pm_render_map(&m, &o, out, 1, &d, &err), PM_OK);
    const char *w = NULL;
    for (size_t i = 0; i < d.n; i++)
        if (strstr(d.items[i].msg, "place labels left out"))
            w = d.items[i].msg;
    CHECK(w != NULL);
    if (w) {
        CHECK_CONTAINS(w, "'P01'");
        CHECK(!strstr(w, "'P30'") && !strstr(w, "'P29'"));
        /* the most important dropped label comes first in the list */
        const char *colon = strchr(w, ':');
        CHECK(colon && strstr(colon, "'P") != NULL);
        int first = colon ? atoi(strstr(colon, "'P") + 2) : 0;
        for (const char *q = colon ? strstr(colon, "'P") : NULL; q; q = strstr(q + 1, "'P"))
            CHECK(atoi(q + 2) <= first);
    }
    pm_diag_destroy(&d);
}

/* The label check (pm_render_lcheck.c) on the placement as made, then on the same placement
 * deliberately broken: a label moved onto a tie although its free positions remain, one moved
 * far from its place, one moved over another place's anchor. Each fault is counted and named. */
static pm_label_check_t check_again(fixture_t *f)
{
    pm_label_check_t c;
    memset(&c, 0, sizeof c);
    pm_lcost_t *cost = NULL;
    pm_error_t err;
    pm_error_clear(&err);
    CHECK_INT(pm_lcost_new(&f->sc, &cost, &err), PM_OK);
    if (cost)
        CHECK_INT(pm_labels_check(&f->sc, cost, PM_LABEL_RINGS, &c, &err), PM_OK);
    pm_lcost_free(cost);
    return c;
}

static void test_check_finds_broken_placement(void)
{
    fixture_t f;
    fx_init(&f);
    fx_place(&f, "Samara Oblast", 200, 150, 4, 6);
    fx_place(&f, "East", 380, 150, 2, 1);
    fx_place(&f, "Far", 60, 60, 2, 0.5);
    fx_tie(&f, 200, 150, 380, 150, 2.0);
    CHECK_INT(fx_place_labels(&f), 0);
    CHECK_INT(f.sc.lcheck.placed, 3);
    CHECK_INT(f.sc.lcheck.tie_free, 0);
    CHECK_INT(f.sc.lcheck.far + f.sc.lcheck.anchor + f.sc.lcheck.foreign, 0);
    CHECK(f.sc.lcheck.names == NULL);
    pm_rlabel_t *l = (pm_rlabel_t *)label_of(&f, "Samara Oblast");
    CHECK(l != NULL);
    if (!l) {
        fx_free(&f);
        return;
    }
    double x = l->x, y = l->y;
    /* on the tie, right of the place: the positions above and below stay free */
    l->x = 200 + 4 + PM_LABEL_GAP_PT, l->y = 150 - l->h / 2;
    pm_label_check_t c = check_again(&f);
    CHECK_INT(c.tie_free, 1);
    CHECK_CONTAINS(c.names, "on a tie though a free position was near: 'Samara Oblast'");
    pm_label_check_destroy(&c);
    /* far from its place, beyond the two rings of leader lines */
    l->x = x - 90, l->y = y + 60;
    c = check_again(&f);
    CHECK_INT(c.far, 1);
    CHECK_CONTAINS(c.names, "farther from the place than the leader-line limit: 'Samara");
    pm_label_check_destroy(&c);
    /* over the anchor of 'Far' */
    l->x = 60 - l->w / 2, l->y = 60 - l->h / 2;
    c = check_again(&f);
    CHECK_INT(c.anchor, 1);
    CHECK_CONTAINS(c.names, "over another place's anchor: 'Samara Oblast'");
    pm_label_check_destroy(&c);
    fx_free(&f);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_avoids_ties);
    PM_RUN(test_crosses_ties_when_nothing_else_fits);
    PM_RUN(test_no_leader_over_another_country);
    PM_RUN(test_leaders_do_not_cross);
    PM_RUN(test_drop_follows_importance);
    PM_RUN(test_check_finds_broken_placement);
    pm_render_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
