/*
 * pm_render_inset: the inset's rule and placement (the rule is documented at PM_INSET_* in
 * pm_render.h and in docs/methods.md, "Insets").
 *
 * Inputs are the scene's places in page points (after pm_render.c has placed them) and, for the
 * placement, plain lists of what the inset must not hide, so that the choice can be tested on
 * its own. pm_render.c builds the inset's scene; pm_render_out.c draws it. This is a layer file:
 * it calls nothing in pm_render.c or pm_render_out.c.
 *
 * Invariants: one inset per map; the inset lies inside the frame; a position that covers a
 * place or a box (the locator, the scale bar) is taken only when every position does.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_render_int.h"

#define CROWD_LABELS 1.5     /* places closer than r1 + r2 + this many label heights crowd */
#define AUTO_MAX_PLACES 5000 /* the rule compares every pair: larger maps are not searched */

/* ---- the rule ------------------------------------------------------------------------------ */

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

size_t pm_inset_find(const pm_scene_t *sc, double box[4], char *why, size_t why_size)
{
    size_t n = sc->n_places, best = 0, best_n = 0, largest = 0;
    double best_area = INFINITY, frame = sc->view.fw * sc->view.fh;
    const double gap = CROWD_LABELS * sc->label_pt;
    snprintf(why, why_size, "no two places crowd each other");
    if (n < PM_INSET_MIN_PLACES) {
        snprintf(why, why_size, "the map has %zu places (an inset needs a group of %d)", n,
                 PM_INSET_MIN_PLACES);
        return 0;
    }
    if (n > AUTO_MAX_PLACES) {
        snprintf(why, why_size, "the map has more than %d places (give the inset's box)",
                 AUTO_MAX_PLACES);
        return 0;
    }
    size_t *parent = malloc(n * sizeof *parent), *count = calloc(n, sizeof *count);
    double *bb = malloc(n * 4 * sizeof *bb);
    if (!parent || !count || !bb) {
        snprintf(why, why_size, "out of memory looking for crowded places");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++) {
        const pm_rplace_t *a = &sc->places[i];
        for (size_t j = i + 1; j < n; j++) {
            const pm_rplace_t *b = &sc->places[j];
            double d = pm_rplace_radius(a) + pm_rplace_radius(b) + gap;
            if (fabs(a->x - b->x) < d && fabs(a->y - b->y) < d &&
                hypot(a->x - b->x, a->y - b->y) < d)
                parent[uf_find(parent, i)] = uf_find(parent, j);
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = uf_find(parent, i);
        const pm_rplace_t *p = &sc->places[i];
        double pad = pm_rplace_radius(p) + 3;
        double *b = &bb[4 * r];
        if (count[r]++ == 0) {
            b[0] = p->x - pad, b[1] = p->y - pad, b[2] = p->x + pad, b[3] = p->y + pad;
        } else {
            b[0] = fmin(b[0], p->x - pad), b[1] = fmin(b[1], p->y - pad);
            b[2] = fmax(b[2], p->x + pad), b[3] = fmax(b[3], p->y + pad);
        }
    }
    for (size_t r = 0; r < n; r++) {
        if (count[r] < 2)
            continue;
        largest = count[r] > largest ? count[r] : largest;
        double *b = &bb[4 * r], area = (b[2] - b[0]) * (b[3] - b[1]);
        if (count[r] < PM_INSET_MIN_PLACES || count[r] == n || area > PM_INSET_MAX_AREA * frame)
            continue;
        if (count[r] > best_n || (count[r] == best_n && area < best_area)) {
            best_n = count[r], best = r, best_area = area;
        }
    }
    if (best_n) {
        memcpy(box, &bb[4 * best], 4 * sizeof *box);
    } else if (largest >= PM_INSET_MIN_PLACES) {
        snprintf(why, why_size,
                 "the groups of crowded places (the largest has %zu) spread over more than %.0f%% "
                 "of the map, or hold every place",
                 largest, PM_INSET_MAX_AREA * 100);
    } else if (largest > 0) {
        snprintf(why, why_size, "the largest group of crowded places has %zu (an inset needs %d)",
                 largest, PM_INSET_MIN_PLACES);
    }
cleanup:
    free(parent);
    free(count);
    free(bb);
    return best_n;
}

/* ---- placement ----------------------------------------------------------------------------- */

static const char *const where_names[8] = {"upper left",  "upper right", "lower left",
                                           "lower right", "top middle",  "bottom middle",
                                           "left middle", "right middle"};

const char *pm_inset_where(int k)
{
    return k >= 0 && k < 8 ? where_names[k] : "";
}

static int circle_hits(const double *c, double x0, double y0, double x1, double y1)
{
    double dx = fmax(fmax(x0 - c[0], 0), c[0] - x1), dy = fmax(fmax(y0 - c[1], 0), c[1] - y1);
    return hypot(dx, dy) < c[2];
}

int pm_inset_place(const pm_inset_obstacles_t *ob, double fx, double fy, double fw, double fh,
                   double w, double h, double *x, double *y, size_t *circles, size_t *boxes,
                   double *ties)
{
    const double pos[8][2] = {{fx, fy},
                              {fx + fw - w, fy},
                              {fx, fy + fh - h},
                              {fx + fw - w, fy + fh - h},
                              {fx + (fw - w) / 2, fy},
                              {fx + (fw - w) / 2, fy + fh - h},
                              {fx, fy + (fh - h) / 2},
                              {fx + fw - w, fy + (fh - h) / 2}};
    int best = 0;
    double best_cost = INFINITY;
    size_t best_c = 0, best_b = 0;
    double best_t = 0;
    /* the inset's white margin counts as covered */
    const double m = 2;
    for (int k = 0; k < 8; k++) {
        double x0 = pos[k][0] - m, y0 = pos[k][1] - m, x1 = pos[k][0] + w + m,
               y1 = pos[k][1] + h + m;
        size_t nc = 0, nb = 0;
        for (size_t i = 0; i < ob->n_circles; i++)
            nc += (size_t)circle_hits(&ob->circles[3 * i], x0, y0, x1, y1);
        for (size_t i = 0; i < ob->n_boxes; i++) {
            const double *b = &ob->boxes[4 * i];
            nb += b[0] < x1 && b[2] > x0 && b[1] < y1 && b[3] > y0;
        }
        double t = ob->ties ? ob->ties(ob->ctx, x0, y0, x1, y1) : 0;
        double land = ob->land ? ob->land(ob->ctx, x0, y0, x1, y1) : 0;
        /* corners before edge middles, which cut into the map's middle */
        double cost =
            1e9 * (double)(nc + nb) + (t > 0 ? 1e6 + t : 0) + 100 * land + (k >= 4 ? 50 : 0) + k;
        if (cost < best_cost) {
            best_cost = cost, best = k, best_c = nc, best_b = nb, best_t = t;
        }
    }
    *x = pos[best][0];
    *y = pos[best][1];
    if (circles)
        *circles = best_c;
    if (boxes)
        *boxes = best_b;
    if (ties)
        *ties = best_t;
    return best;
}

/* ---- the locator outline as an obstacle ----------------------------------------------------- */

static int in_polygon(const double *xy, size_t n, double x, double y)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

/* 1 when segment a-b meets the box. */
static int seg_in_box(const double *a, const double *b, double x0, double y0, double x1, double y1)
{
    return pm_seg_clip(a[0], a[1], b[0], b[1], x0, y0, x1, y1, 0, NULL, NULL);
}

int pm_inset_loc_meets(const pm_inset_t *in, double x0, double y0, double x1, double y1)
{
    if (!in || in->n_loc < 3 || x1 <= in->loc_box[0] || x0 >= in->loc_box[2] ||
        y1 <= in->loc_box[1] || y0 >= in->loc_box[3])
        return 0;
    if (in_polygon(in->loc, in->n_loc, (x0 + x1) / 2, (y0 + y1) / 2))
        return 1;
    for (size_t i = 0; i < in->n_loc; i++)
        if (seg_in_box(&in->loc[2 * i], &in->loc[2 * ((i + 1) % in->n_loc)], x0, y0, x1, y1))
            return 1;
    return 0;
}

/* ---- drawing and freeing ------------------------------------------------------------------- */

void pm_inset_locator_draw(cairo_t *cr, const pm_scene_t *sc)
{
    const pm_inset_t *in = sc->inset;
    if (!in || in->n_loc < 2)
        return;
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t i = 0; i < in->n_loc; i++) {
        double px = in->loc[2 * i], py = in->loc[2 * i + 1];
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_close_path(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    /* a white casing under a dark line: the outline reads over land, sea and ties */
    cairo_set_source_rgb(cr, sc->col.halo.r, sc->col.halo.g, sc->col.halo.b);
    cairo_set_line_width(cr, 1.6);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgb(cr, sc->col.frame.r, sc->col.frame.g, sc->col.frame.b);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void pm_inset_free(pm_inset_t *in)
{
    if (!in)
        return;
    free(in->loc);
    pm_map_scales_destroy(&in->sub_shared);
    free(in);
}
