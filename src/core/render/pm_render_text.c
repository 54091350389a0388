/*
 * pm_render_text: text through pango (so Cyrillic, Czech and Kazakh letters shape and render on
 * every surface) and the placement of place labels.
 *
 * Text is laid out once, on a private pango context at 72 dpi (1 pango point = 1 page point) with
 * hinting off and the language pinned, so every surface (PNG, SVG, PDF) sees the same glyph
 * positions and label placement cannot differ between outputs or machines' locales.
 *
 * Labels are placed greedily in order of importance (the place's priority: its circle's value,
 * else its fill value; then input order). Each tries 8 positions around its anchor (right, upper
 * right, lower right, left, upper left, lower left, above, below) next to its place and at one
 * and two label heights out (with a short leader line), and takes the cheapest allowed one (see
 * cost_at: never over a dot, the scale bar, another label or leader line, or a more important
 * circle; a leader line's label not over another country or nearer another place; crossing ties
 * or covering less important circles only when nothing else fits). A label with no allowed
 * position is left out and named in a warning, never misplaced. Uniform grids keep the overlap
 * tests near constant time, so thousands of places cost milliseconds. Labels are drawn over a
 * white halo (the text's outline stroked wide).
 */
#include "pm_render_int.h"

#include <math.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_GAP_PT PM_LABEL_GAP_PT
#define LABEL_PAD_PT PM_LABEL_PAD_PT
#define HALO_PT 1.6 /* halo line width */
#define GRID_PT 16.0

pm_status_t pm_text_init(pm_scene_t *sc, pm_error_t *err)
{
    /* One font map per process (thread), set up once: creating one per map re-initialised
     * fontconfig every time, and pango 1.50 does that in a helper thread that could deadlock a
     * forked batch worker. pm_render_cleanup releases it. */
    sc->fontmap = pango_cairo_font_map_get_default();
    if (sc->fontmap)
        g_object_ref(sc->fontmap);
    if (!sc->fontmap)
        return pm_error_set(err, PM_EINTERNAL, "cannot set up fonts (pango)");
    sc->pctx = pango_font_map_create_context(sc->fontmap);
    if (!sc->pctx)
        return pm_error_set(err, PM_EINTERNAL, "cannot set up fonts (pango context)");
    pango_cairo_context_set_resolution(sc->pctx, 72);
    pango_context_set_language(sc->pctx, pango_language_from_string("en"));
    pango_context_set_base_dir(sc->pctx, PANGO_DIRECTION_LTR);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(sc->pctx, fo);
    cairo_font_options_destroy(fo);
    return PM_OK;
}

pm_status_t pm_render_warm_up(pm_error_t *err)
{
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *ctx = fm ? pango_font_map_create_context(fm) : NULL;
    PangoLayout *l = ctx ? pango_layout_new(ctx) : NULL;
    if (!l) {
        if (ctx)
            g_object_unref(ctx);
        return pm_error_set(err, PM_EINTERNAL, "cannot set up fonts (pango)");
    }
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans 8");
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, "Ag \xd0\x96\xc5\xbe", -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    pango_font_description_free(fd);
    g_object_unref(l);
    g_object_unref(ctx);
    return PM_OK;
}

static void *fc_load(void *arg)
{
    (void)arg;
    FcInit();
    return NULL;
}

void pm_renderer_fonts_begin(pm_renderer_t *r)
{
    if (!r->fc_started)
        r->fc_started = pthread_create(&r->fc_thread, NULL, fc_load, NULL) == 0;
}

void pm_renderer_fonts_end(pm_renderer_t *r)
{
    if (r->fc_started)
        pthread_join(r->fc_thread, NULL);
    r->fc_started = 0;
}

void pm_render_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
}

void pm_text_free(pm_scene_t *sc)
{
    for (size_t i = 0; i < sc->n_labels; i++)
        if (sc->labels[i].layout)
            g_object_unref(sc->labels[i].layout);
    free(sc->labels);
    free(sc->left_out);
    sc->left_out = NULL;
    sc->labels = NULL;
    sc->n_labels = 0;
    if (sc->pctx)
        g_object_unref(sc->pctx);
    if (sc->fontmap)
        g_object_unref(sc->fontmap);
    sc->pctx = NULL;
    sc->fontmap = NULL;
}

PangoLayout *pm_text_layout(const pm_scene_t *sc, const char *text, double pt, int bold)
{
    PangoLayout *l = pango_layout_new(sc->pctx);
    if (!l)
        return NULL;
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, sc->font);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

/* The lock is the renderer's (pm_render_int.h says why); a scene built only for its scales has
 * none and is used by one thread. */
static void text_lock(const pm_scene_t *sc)
{
    if (sc->text_lock)
        pthread_mutex_lock(sc->text_lock);
}

static void text_unlock(const pm_scene_t *sc)
{
    if (sc->text_lock)
        pthread_mutex_unlock(sc->text_lock);
}

void pm_text_size(const pm_scene_t *sc, PangoLayout *l, double *w, double *h)
{
    PangoRectangle logical;
    text_lock(sc);
    pango_layout_get_extents(l, NULL, &logical);
    text_unlock(sc);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

void pm_text_draw(const pm_scene_t *sc, cairo_t *cr, PangoLayout *l, double x, double y,
                  pm_rgb_t color, double halo, pm_rgb_t halo_color)
{
    text_lock(sc);
    if (halo > 0) {
        cairo_save(cr);
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, l);
        cairo_set_source_rgb(cr, halo_color.r, halo_color.g, halo_color.b);
        cairo_set_line_width(cr, halo);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    cairo_move_to(cr, x, y);
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
    pango_cairo_show_layout(cr, l);
    cairo_new_path(cr);
    text_unlock(sc);
}

/* ---- placement ------------------------------------------------------------------------------ */

typedef struct obstacle {
    double x0, y0, x1, y1; /* bounding box */
    double cx, cy, r;      /* circle when r > 0 */
    size_t place;          /* the scene place of a circle (the circle grid only) */
} obstacle_t;

typedef struct grid {
    double x0, y0;
    size_t cols, rows;
    size_t **cell; /* obstacle ids */
    size_t *n, *cap;
    obstacle_t *ob;
    size_t n_ob, cap_ob;
    int failed;
} grid_t;

static int grid_init(grid_t *g, const pm_view_t *v)
{
    memset(g, 0, sizeof *g);
    g->x0 = v->fx, g->y0 = v->fy;
    g->cols = (size_t)ceil(v->fw / GRID_PT) + 1;
    g->rows = (size_t)ceil(v->fh / GRID_PT) + 1;
    size_t nc = g->cols * g->rows;
    g->cell = calloc(nc, sizeof *g->cell);
    g->n = calloc(nc, sizeof *g->n);
    g->cap = calloc(nc, sizeof *g->cap);
    return g->cell && g->n && g->cap;
}

static void grid_free(grid_t *g)
{
    if (g->cell)
        for (size_t i = 0; i < g->cols * g->rows; i++)
            free(g->cell[i]);
    free(g->cell);
    free(g->n);
    free(g->cap);
    free(g->ob);
}

static void grid_span(const grid_t *g, double a, double b, int axis, size_t *lo, size_t *hi)
{
    double o = axis ? g->y0 : g->x0;
    size_t lim = (axis ? g->rows : g->cols) - 1;
    double fa = floor((a - o) / GRID_PT), fb = floor((b - o) / GRID_PT);
    *lo = fa < 0 ? 0 : fa > (double)lim ? lim : (size_t)fa;
    *hi = fb < 0 ? 0 : fb > (double)lim ? lim : (size_t)fb;
}

static void grid_add(grid_t *g, obstacle_t o)
{
    if (g->n_ob == g->cap_ob) {
        size_t cap = g->cap_ob ? 2 * g->cap_ob : 256;
        obstacle_t *ob = realloc(g->ob, cap * sizeof *ob);
        if (!ob) {
            g->failed = 1;
            return;
        }
        g->ob = ob;
        g->cap_ob = cap;
    }
    size_t id = g->n_ob++;
    g->ob[id] = o;
    size_t c0, c1, r0, r1;
    grid_span(g, o.x0, o.x1, 0, &c0, &c1);
    grid_span(g, o.y0, o.y1, 1, &r0, &r1);
    for (size_t r = r0; r <= r1; r++) {
        for (size_t c = c0; c <= c1; c++) {
            size_t k = r * g->cols + c;
            if (g->n[k] == g->cap[k]) {
                size_t cap = g->cap[k] ? 2 * g->cap[k] : 4;
                size_t *a = realloc(g->cell[k], cap * sizeof *a);
                if (!a) {
                    g->failed = 1;
                    return;
                }
                g->cell[k] = a;
                g->cap[k] = cap;
            }
            g->cell[k][g->n[k]++] = id;
        }
    }
}

static int hits(const obstacle_t *o, double x0, double y0, double x1, double y1)
{
    if (o->x1 <= x0 || o->x0 >= x1 || o->y1 <= y0 || o->y0 >= y1)
        return 0;
    if (o->r <= 0)
        return 1;
    double nx = fmax(x0, fmin(o->cx, x1)), ny = fmax(y0, fmin(o->cy, y1));
    return hypot(nx - o->cx, ny - o->cy) < o->r;
}

static int grid_free_at(const grid_t *g, double x0, double y0, double x1, double y1)
{
    size_t c0, c1, r0, r1;
    grid_span(g, x0, x1, 0, &c0, &c1);
    grid_span(g, y0, y1, 1, &r0, &r1);
    for (size_t r = r0; r <= r1; r++) {
        for (size_t c = c0; c <= c1; c++) {
            size_t k = r * g->cols + c;
            for (size_t i = 0; i < g->n[k]; i++)
                if (hits(&g->ob[g->cell[k][i]], x0, y0, x1, y1))
                    return 0;
        }
    }
    return 1;
}

/* The circles (grid c) but place own's that the box covers: -1 when one of them belongs to a
 * place at least as important as prio (a label never hides a more important place's circle),
 * else how many. Each circle is counted once, in the cell where its overlap with the box begins. */
static int circles_covered(const grid_t *c, const pm_scene_t *sc, size_t own, double prio,
                           double x0, double y0, double x1, double y1)
{
    size_t c0, c1, r0, r1;
    int n = 0;
    grid_span(c, x0, x1, 0, &c0, &c1);
    grid_span(c, y0, y1, 1, &r0, &r1);
    for (size_t r = r0; r <= r1; r++) {
        for (size_t q = c0; q <= c1; q++) {
            size_t k = r * c->cols + q;
            for (size_t i = 0; i < c->n[k]; i++) {
                const obstacle_t *o = &c->ob[c->cell[k][i]];
                if (o->place == own || !hits(o, x0, y0, x1, y1))
                    continue; /* (its own circle: the positions keep off it, up to rounding) */
                size_t fc, fr, dummy;
                grid_span(c, fmax(x0, o->x0), fmax(x0, o->x0), 0, &fc, &dummy);
                grid_span(c, fmax(y0, o->y0), fmax(y0, o->y0), 1, &fr, &dummy);
                if (fc != q || fr != r)
                    continue;
                if (sc->places[o->place].prio >= prio)
                    return -1;
                n++;
            }
        }
    }
    return n;
}

static int cmp_label(const void *a, const void *b)
{
    const pm_rlabel_t *p = a, *q = b;
    if (p->prio != q->prio)
        return p->prio > q->prio ? -1 : 1;
    return (p->order > q->order) - (p->order < q->order);
}

static pm_status_t make_labels(pm_scene_t *sc, pm_error_t *err)
{
    sc->labels = calloc(sc->n_places ? sc->n_places : 1, sizeof *sc->labels);
    if (!sc->labels)
        return pm_error_set(err, PM_ENOMEM, "out of memory for labels");
    const pm_view_t *v = &sc->view;
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *p = &sc->places[i];
        const char *text = sc->map->places[p->idx].label;
        if (!text || !*text || p->inset || p->x < v->fx || p->x > v->fx + v->fw || p->y < v->fy ||
            p->y > v->fy + v->fh)
            continue;
        pm_rlabel_t *l = &sc->labels[sc->n_labels];
        l->layout = pm_text_layout(sc, text, sc->label_pt, 0);
        if (!l->layout)
            return pm_error_set(err, PM_ENOMEM, "out of memory for labels");
        pm_text_size(sc, l->layout, &l->w, &l->h);
        l->place = i;
        l->prio = p->prio;
        l->order = p->idx;
        sc->n_labels++;
    }
    qsort(sc->labels, sc->n_labels, sizeof *sc->labels, cmp_label);
    return PM_OK;
}

/* Rings of candidate positions: next to the place first, then up to two label heights farther
 * out (with a short leader line) before a label is given up in a crowded area. */
#define LABEL_RINGS PM_LABEL_RINGS
#define LABEL_MANY PM_LABEL_MANY
#define LABEL_TOP 20
#define LEADER_FOREIGN_MAX PM_LEADER_FOREIGN_MAX

static void candidates(const pm_rplace_t *p, double w, double h, int ring,
                       double xy[PM_LABEL_POSITIONS][2]);
static int leader_seg(const pm_rplace_t *p, double x, double y, double w, double h, double seg[4]);

void pm_label_candidates(const pm_rplace_t *p, double w, double h, int ring,
                         double xy[PM_LABEL_POSITIONS][2])
{
    candidates(p, w, h, ring, xy);
}

int pm_label_leader_seg(const pm_rplace_t *p, double x, double y, double w, double h, double seg[4])
{
    return leader_seg(p, x, y, w, h, seg);
}

static void candidates(const pm_rplace_t *p, double w, double h, int ring,
                       double xy[PM_LABEL_POSITIONS][2])
{
    double r = pm_rplace_radius(p);
    double g = r + LABEL_GAP_PT + ring * h, d = g * 0.7071;
    /* Logical boxes carry some space above capitals; shift diagonal/vertical ones to close it. */
    double asc = h * 0.12;
    double pos[PM_LABEL_POSITIONS][2] = {
        {p->x + g, p->y - h / 2},           /* right */
        {p->x + d, p->y - d - h + asc},     /* upper right */
        {p->x + d, p->y + d - asc},         /* lower right */
        {p->x - g - w, p->y - h / 2},       /* left */
        {p->x - d - w, p->y - d - h + asc}, /* upper left */
        {p->x - d - w, p->y + d - asc},     /* lower left */
        {p->x - w / 2, p->y - g - h + asc}, /* above */
        {p->x - w / 2, p->y + g - asc},     /* below */
    };
    memcpy(xy, pos, sizeof pos);
}

/* The leader line of a label at x, y (w x h) of place p: from the circle's rim to the nearest
 * point of the box, in seg[4]. Returns 0 when the box touches the circle (no line). */
static int leader_seg(const pm_rplace_t *p, double x, double y, double w, double h, double seg[4])
{
    double bx = fmax(x, fmin(p->x, x + w)), by = fmax(y, fmin(p->y, y + h));
    double dx = bx - p->x, dy = by - p->y, len = hypot(dx, dy), r = pm_rplace_radius(p);
    if (len <= r + 0.5)
        return 0;
    seg[0] = p->x + dx / len * r, seg[1] = p->y + dy / len * r, seg[2] = bx, seg[3] = by;
    return 1;
}

static double cross2(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static int segs_cross(const double a[4], const double b[4])
{
    double d1 = cross2(b[0], b[1], b[2], b[3], a[0], a[1]);
    double d2 = cross2(b[0], b[1], b[2], b[3], a[2], a[3]);
    double d3 = cross2(a[0], a[1], a[2], a[3], b[0], b[1]);
    double d4 = cross2(a[0], a[1], a[2], a[3], b[2], b[3]);
    return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 * d2 < 0 && d3 * d4 < 0;
}

static int seg_hits_box(const double s[4], double x0, double y0, double x1, double y1)
{
    double e[4][4] = {{x0, y0, x1, y0}, {x1, y0, x1, y1}, {x1, y1, x0, y1}, {x0, y1, x0, y0}};
    if ((s[0] > x0 && s[0] < x1 && s[1] > y0 && s[1] < y1) ||
        (s[2] > x0 && s[2] < x1 && s[3] > y0 && s[3] < y1))
        return 1;
    for (int i = 0; i < 4; i++)
        if (segs_cross(s, e[i]))
            return 1;
    return 0;
}

static double box_dist(double px, double py, double x0, double y0, double x1, double y1)
{
    return hypot(px - fmax(x0, fmin(px, x1)), py - fmax(y0, fmin(py, y1)));
}

/* 1 when the box lies nearer another place's dot than its own circle: a reader would take the
 * label for that place's (the leader line alone does not undo that). */
static int nearer_other(const pm_scene_t *sc, size_t own, double x0, double y0, double x1,
                        double y1)
{
    const pm_rplace_t *p = &sc->places[own];
    double d = box_dist(p->x, p->y, x0, y0, x1, y1) - pm_rplace_radius(p);
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *q = &sc->places[i];
        double m = d + PM_DOT_R_PT;
        if (i == own || q->inset || q->x < x0 - m || q->x > x1 + m || q->y < y0 - m ||
            q->y > y1 + m)
            continue; /* (a place drawn in the inset only is not on this map) */
        if (box_dist(q->x, q->y, x0, y0, x1, y1) - PM_DOT_R_PT < d)
            return 1;
    }
    return 0;
}

/* What placement keeps while it runs: obstacles, the leader lines drawn so far, the costs. */
typedef struct placer {
    pm_scene_t *sc;
    grid_t g;       /* hard obstacles: dots, scale bar, placed labels */
    grid_t circles; /* circles: less important ones may be covered when nothing else fits */
    pm_lcost_t *cost;
    double (*leaders)[4]; /* one slot per label */
    size_t n_leaders;
    double fx0, fy0, fx1, fy1; /* the frame, less a point */
} placer_t;

/* The cost of label l at x, y on ring `ring` (position k), or -1 when it may not go there: out
 * of the frame, over a circle, the scale bar, another label or leader line, or (on a leader line)
 * over another country or across another leader. Crossing ties costs more than any position
 * that crosses none, so ties are crossed only when nothing else fits. */
static double cost_at(placer_t *pl, const pm_rlabel_t *l, unsigned home, int ring, int k, double x0,
                      double y0, double seg[4], int *has_leader)
{
    double x1 = x0 + l->w, y1 = y0 + l->h;
    const pm_rplace_t *p = &pl->sc->places[l->place];
    if (x0 < pl->fx0 || y0 < pl->fy0 || x1 > pl->fx1 || y1 > pl->fy1)
        return -1;
    if (!grid_free_at(&pl->g, x0, y0, x1, y1))
        return -1;
    /* nor inside the locator outline: what is there is labelled in the inset, and a label there
     * would read as one of its places */
    if (pm_inset_loc_meets(pl->sc->inset, x0, y0, x1, y1))
        return -1;
    for (size_t i = 0; i < pl->n_leaders; i++)
        if (seg_hits_box(pl->leaders[i], x0, y0, x1, y1))
            return -1;
    double foreign = pm_lcost_foreign(pl->cost, home, x0, y0, x1, y1);
    int covered = circles_covered(&pl->circles, pl->sc, l->place, l->prio, x0, y0, x1, y1);
    if (covered < 0)
        return -1;
    *has_leader = ring > 0 && leader_seg(p, x0, y0, l->w, l->h, seg);
    if (*has_leader) {
        if (foreign > LEADER_FOREIGN_MAX || covered > 0)
            return -1;
        if (nearer_other(pl->sc, l->place, x0, y0, x1, y1))
            return -1;
        for (size_t i = 0; i < pl->n_leaders; i++)
            if (segs_cross(seg, pl->leaders[i]))
                return -1;
        for (size_t i = 0; i < pl->sc->n_labels; i++) {
            const pm_rlabel_t *o = &pl->sc->labels[i];
            if (o->placed && seg_hits_box(seg, o->x, o->y, o->x + o->w, o->y + o->h))
                return -1;
        }
    }
    double ties = pm_lcost_ties(pl->cost, x0, y0, x1, y1);
    return (covered ? 5000 + 500 * covered : 0) + (ties > 0 ? 1000 + ties : 0) + ring * 100 +
           foreign * 60 + k;
}

static void place_one(placer_t *pl, pm_rlabel_t *l, int rings)
{
    const pm_rplace_t *p = &pl->sc->places[l->place];
    unsigned home = pm_lcost_country(pl->cost, p->x, p->y);
    double best = -1, bx = 0, by = 0, bseg[4] = {0, 0, 0, 0}, xy[PM_LABEL_POSITIONS][2];
    int bleader = 0;
    for (int ring = 0; ring < rings; ring++) {
        candidates(p, l->w, l->h, ring, xy);
        for (int k = 0; k < PM_LABEL_POSITIONS; k++) {
            double seg[4];
            int has_leader = 0;
            double c = cost_at(pl, l, home, ring, k, xy[k][0], xy[k][1], seg, &has_leader);
            if (c >= 0 && (best < 0 || c < best)) {
                best = c, bx = xy[k][0], by = xy[k][1], bleader = has_leader;
                memcpy(bseg, seg, sizeof seg);
            }
        }
        if (best >= 0 && best < 1000)
            break; /* a position touching no tie: the outer rings cannot do better */
    }
    if (best < 0)
        return;
    l->x = bx, l->y = by, l->placed = 1, l->leader = bleader;
    if (bleader)
        memcpy(pl->leaders[pl->n_leaders++], bseg, sizeof bseg);
    obstacle_t o = {bx - LABEL_PAD_PT,
                    by - LABEL_PAD_PT,
                    bx + l->w + LABEL_PAD_PT,
                    by + l->h + LABEL_PAD_PT,
                    0,
                    0,
                    0,
                    0};
    grid_add(&pl->g, o);
}

/* "3 of 47 place labels left out ...: 'A', 'B', 'C'": the labels are in priority order, so the
 * names come most important first; kept in the scene (sc->left_out) for the caller. */
static pm_status_t note_dropped(pm_scene_t *sc, size_t tried, size_t dropped, pm_error_t *err)
{
    pm_buf_t b;
    pm_buf_init(&b);
    size_t named = 0;
    for (size_t i = 0; i < tried; i++) {
        if (sc->labels[i].placed)
            continue;
        const char *t = sc->map->places[sc->places[sc->labels[i].place].idx].label;
        pm_buf_printf(&b, "%s'%s'", named ? ", " : "", t);
        named++;
    }
    if (pm_buf_failed(&b)) {
        pm_buf_destroy(&b);
        return pm_error_set(err, PM_ENOMEM, "out of memory placing labels");
    }
    sc->left_out = pm_buf_take(&b);
    sc->n_left_out = dropped;
    sc->n_labels_tried = tried;
    pm_diag_add(sc->diag, NULL,
                "%zu of %zu place labels left out (no free position near the place): %s", dropped,
                tried, sc->left_out);
    pm_buf_destroy(&b);
    return PM_OK;
}

pm_status_t pm_labels_place(pm_scene_t *sc, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    placer_t pl;
    const pm_view_t *v = &sc->view;
    if (sc->opts->no_labels)
        return PM_OK;
    memset(&pl, 0, sizeof pl);
    pl.sc = sc;
    if (!grid_init(&pl.g, v) || !grid_init(&pl.circles, v)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory placing labels");
        goto cleanup;
    }
    /* No label covers a place's dot or the centre of its circle (a label there reads as that
     * place's). Circles are avoided, except on a dense map, where they cover the land and the
     * few labels shown (the halo keeps them legible) may lie over other places' circles;
     * elsewhere a label covers the rims of less important places' circles only when nothing
     * else fits, so that the key places of a crowded area keep their labels. */
    int dense = sc->n_places > LABEL_MANY;
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *p = &sc->places[i];
        double r = PM_DOT_R_PT + 0.3, rc = pm_rplace_radius(p) + 0.3;
        obstacle_t o = {p->x - r, p->y - r, p->x + r, p->y + r, p->x, p->y, r, i};
        obstacle_t c = {p->x - rc, p->y - rc, p->x + rc, p->y + rc, p->x, p->y, rc, i};
        if (p->inset)
            continue; /* drawn in the inset, not here */
        grid_add(&pl.g, o);
        if (!dense && p->r > 0)
            grid_add(&pl.circles, c);
    }
    if (sc->bar_len > 0) {
        obstacle_t o = {sc->bar_box[0], sc->bar_box[1], sc->bar_box[2], sc->bar_box[3], 0, 0, 0, 0};
        grid_add(&pl.g, o);
    }
    if (sc->inset) {
        /* labels keep off the inset (and its white margin) */
        const pm_inset_t *in = sc->inset;
        obstacle_t a = {in->x - 3, in->y - 3, in->x + in->w + 3, in->y + in->h + 3, 0, 0, 0, 0};
        grid_add(&pl.g, a);
    }
    st = make_labels(sc, err);
    if (!st && sc->n_labels)
        st = pm_lcost_new(sc, &pl.cost, err);
    if (st || !sc->n_labels)
        goto cleanup;
    size_t n_loc = sc->inset ? sc->inset->n_loc : 0;
    pl.leaders = malloc((sc->n_labels + n_loc + 1) * sizeof *pl.leaders);
    if (!pl.leaders) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory placing labels");
        goto cleanup;
    }
    /* the inset's locator outline: no label or leader line crosses it (its edges are kept
     * with the leader lines, which labels and leaders may not cross) */
    for (size_t i = 0; i < n_loc; i++) {
        const double *a = &sc->inset->loc[2 * i], *b = &sc->inset->loc[2 * ((i + 1) % n_loc)];
        double seg[4] = {a[0], a[1], b[0], b[1]};
        memcpy(pl.leaders[pl.n_leaders++], seg, sizeof seg);
    }
    pl.fx0 = v->fx + 1, pl.fy0 = v->fy + 1, pl.fx1 = v->fx + v->fw - 1;
    pl.fy1 = v->fy + v->fh - 1;
    /* A map of many places labels only the most important (labels are in priority order) and
     * only next to their place: leader lines across a dense map would be clutter. */
    int many = sc->n_labels > LABEL_MANY;
    size_t limit = many ? LABEL_TOP : sc->n_labels, dropped = 0;
    for (size_t i = 0; i < limit; i++) {
        place_one(&pl, &sc->labels[i], many ? 1 : LABEL_RINGS);
        dropped += !sc->labels[i].placed;
    }
    if (many)
        pm_diag_add(sc->diag, NULL,
                    "a map of %zu places labels only the %d most important (by circle size, else "
                    "fill value)",
                    sc->n_labels, LABEL_TOP);
    if (pl.g.failed || pl.circles.failed) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory placing labels");
        goto cleanup;
    }
    if (dropped)
        st = note_dropped(sc, limit, dropped, err);
    if (!st)
        st = pm_labels_check(sc, pl.cost, many ? 1 : LABEL_RINGS, &sc->lcheck, err);
cleanup:
    free(pl.leaders);
    pm_lcost_free(pl.cost);
    grid_free(&pl.circles);
    grid_free(&pl.g);
    return st;
}

/* A thin line from the rim of a label's place to the nearest point of its box. */
static void leader(cairo_t *cr, const pm_scene_t *sc, const pm_rlabel_t *l)
{
    double seg[4];
    if (!leader_seg(&sc->places[l->place], l->x, l->y, l->w, l->h, seg))
        return;
    cairo_move_to(cr, seg[0], seg[1]);
    cairo_line_to(cr, seg[2], seg[3]);
    cairo_set_source_rgb(cr, sc->col.text.r, sc->col.text.g, sc->col.text.b);
    cairo_set_line_width(cr, 0.35);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke(cr);
}

void pm_labels_draw(cairo_t *cr, const pm_scene_t *sc)
{
    for (size_t i = 0; i < sc->n_labels; i++)
        if (sc->labels[i].placed && sc->labels[i].leader)
            leader(cr, sc, &sc->labels[i]);
    for (size_t i = 0; i < sc->n_labels; i++) {
        const pm_rlabel_t *l = &sc->labels[i];
        if (l->placed)
            pm_text_draw(sc, cr, l->layout, l->x, l->y, sc->col.text, HALO_PT, sc->col.halo);
    }
}
