/*
 * pm_render_lcheck: a figure editor's checks on a finished label placement (issue 18), computed
 * apart from the placement's scoring so that a fault in the scoring shows here:
 *   - a label on a tie although one of its candidate positions touched nothing: no tie, circle,
 *     dot, label, leader line, scale bar, inset or locator outline, inside the frame, and (on a
 *     leader line) not over another country nor nearer another place; "free" is judged against
 *     the labels placed before it (more important ones), as the placement saw the map;
 *   - a label farther from its place than the leader-line limit (the outermost ring);
 *   - a label on a leader line mostly over another country than its place's;
 *   - a label covering another place's anchor;
 *   - with an inset: a place labelled on the main map that the inset shows (its anchor inside
 *     the inset's frame), or a main map label inside the locator outline.
 * The geometry it shares with the placement is only the candidate positions, the leader line
 * and the measures of pm_render_lcost.c (tie length and country under a box). The inset's scene
 * has its own check (it is placed as a map of its own); the main one adds it.
 */
#include "pm_render_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct box {
    double x0, y0, x1, y1;
} box_t;

static int boxes_meet(box_t a, box_t b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static box_t label_box(const pm_rlabel_t *l, double pad)
{
    return (box_t){l->x - pad, l->y - pad, l->x + l->w + pad, l->y + l->h + pad};
}

static double dist_to_box(double x, double y, box_t b)
{
    return hypot(x - fmax(b.x0, fmin(x, b.x1)), y - fmax(b.y0, fmin(y, b.y1)));
}

/* 1 when segment s (x0, y0, x1, y1) meets the inside of box b. */
static int seg_meets(const double s[4], box_t b)
{
    return pm_seg_clip(s[0], s[1], s[2], s[3], b.x0, b.y0, b.x1, b.y1, 1, NULL, NULL);
}

static double orient(const double *a, const double *b, const double *c)
{
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static int segs_meet(const double a[4], const double b[4])
{
    double d1 = orient(b, b + 2, a), d2 = orient(b, b + 2, a + 2);
    double d3 = orient(a, a + 2, b), d4 = orient(a, a + 2, b + 2);
    return d1 * d2 < 0 && d3 * d4 < 0;
}

/* 1 when box b touches nothing the scene shows for label l (of index li), given the labels
 * before it; leader: its line when it has one, else NULL. */
static int position_free(const pm_scene_t *sc, pm_lcost_t *cost, size_t li, box_t b,
                         const double *leader)
{
    const pm_rlabel_t *l = &sc->labels[li];
    const pm_rplace_t *own = &sc->places[l->place];
    const pm_view_t *v = &sc->view;
    if (b.x0 < v->fx + 1 || b.y0 < v->fy + 1 || b.x1 > v->fx + v->fw - 1 ||
        b.y1 > v->fy + v->fh - 1)
        return 0;
    if (pm_lcost_ties(cost, b.x0, b.y0, b.x1, b.y1) > 0)
        return 0;
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *q = &sc->places[i];
        if (q == own || q->inset)
            continue;
        if (dist_to_box(q->x, q->y, b) < fmax(pm_rplace_radius(q), PM_DOT_R_PT) + 0.3)
            return 0;
        /* a leader's label lies nearer its own circle than any other place */
        if (leader && dist_to_box(q->x, q->y, b) - PM_DOT_R_PT <
                          dist_to_box(own->x, own->y, b) - pm_rplace_radius(own))
            return 0;
    }
    for (size_t j = 0; j < li; j++) {
        const pm_rlabel_t *o = &sc->labels[j];
        if (!o->placed)
            continue;
        if (boxes_meet(b, label_box(o, PM_LABEL_PAD_PT)))
            return 0;
        double seg[4];
        if (o->leader && pm_label_leader_seg(&sc->places[o->place], o->x, o->y, o->w, o->h, seg)) {
            if (seg_meets(seg, b) || (leader && segs_meet(seg, leader)))
                return 0;
        }
        if (leader && seg_meets(leader, label_box(o, 0)))
            return 0;
    }
    if (sc->bar_len > 0 &&
        boxes_meet(b, (box_t){sc->bar_box[0], sc->bar_box[1], sc->bar_box[2], sc->bar_box[3]}))
        return 0;
    if (sc->inset) {
        const pm_inset_t *in = sc->inset;
        box_t loc = {in->loc_box[0], in->loc_box[1], in->loc_box[2], in->loc_box[3]};
        if (boxes_meet(b, (box_t){in->x - 3, in->y - 3, in->x + in->w + 3, in->y + in->h + 3}) ||
            pm_inset_loc_meets(in, b.x0, b.y0, b.x1, b.y1) || (leader && seg_meets(leader, loc)))
            return 0;
    }
    if (leader) {
        unsigned home = pm_lcost_country(cost, own->x, own->y);
        if (pm_lcost_foreign(cost, home, b.x0, b.y0, b.x1, b.y1) > PM_LEADER_FOREIGN_MAX)
            return 0;
    }
    return 1;
}

/* 1 when one of label li's candidate positions on rings 0 .. rings - 1 was free. */
static int had_free_position(const pm_scene_t *sc, pm_lcost_t *cost, size_t li, int rings)
{
    const pm_rlabel_t *l = &sc->labels[li];
    const pm_rplace_t *p = &sc->places[l->place];
    for (int ring = 0; ring < rings; ring++) {
        double xy[PM_LABEL_POSITIONS][2];
        pm_label_candidates(p, l->w, l->h, ring, xy);
        for (int k = 0; k < PM_LABEL_POSITIONS; k++) {
            box_t b = {xy[k][0], xy[k][1], xy[k][0] + l->w, xy[k][1] + l->h};
            double seg[4];
            int has = ring > 0 && pm_label_leader_seg(p, b.x0, b.y0, l->w, l->h, seg);
            if (position_free(sc, cost, li, b, has ? seg : NULL))
                return 1;
        }
    }
    return 0;
}

/* Whether map place idx is drawn in the inset: its anchor inside the inset's frame. */
static int shown_in_inset(const pm_scene_t *sc, size_t idx)
{
    const pm_scene_t *sub = sc->inset ? sc->inset->sub : NULL;
    if (!sub || !sub->place_of || sub->place_of[idx] == (size_t)-1 ||
        sub->place_of[idx] >= sub->n_places)
        return 0;
    const pm_rplace_t *q = &sub->places[sub->place_of[idx]];
    const pm_view_t *v = &sub->view;
    return q->idx == idx && q->x >= v->fx && q->x <= v->fx + v->fw && q->y >= v->fy &&
           q->y <= v->fy + v->fh;
}

static void name(pm_buf_t *b, const char **last, const char *what, const char *label)
{
    if (*last != what)
        pm_buf_printf(b, "%s%s: '%s'", *last ? "; " : "", what, label);
    else
        pm_buf_printf(b, ", '%s'", label);
    *last = what;
}

pm_status_t pm_labels_check(pm_scene_t *sc, pm_lcost_t *cost, int rings, pm_label_check_t *out,
                            pm_error_t *err)
{
    static const char *const what[6] = {"on a tie though a free position was near",
                                        "farther from the place than the leader-line limit",
                                        "on a leader line over another country",
                                        "over another place's anchor",
                                        "labelled on the map though the inset shows the place",
                                        "inside the inset's locator outline"};
    pm_label_check_t c;
    memset(&c, 0, sizeof c);
    pm_buf_t b;
    pm_buf_init(&b);
    const char *last = NULL;
    for (int kind = 0; kind < 6; kind++) {
        for (size_t i = 0; i < sc->n_labels; i++) {
            const pm_rlabel_t *l = &sc->labels[i];
            if (!l->placed)
                continue;
            const pm_rplace_t *p = &sc->places[l->place];
            const char *text = sc->map->places[p->idx].label;
            box_t lb = label_box(l, 0);
            int bad = 0;
            if (kind == 0) {
                c.placed++;
                int on_tie = pm_lcost_ties(cost, lb.x0, lb.y0, lb.x1, lb.y1) > 0;
                c.on_tie += (size_t)on_tie;
                bad = on_tie && had_free_position(sc, cost, i, rings);
                c.tie_free += (size_t)bad;
            } else if (kind == 1) {
                double limit = pm_rplace_radius(p) + PM_LABEL_GAP_PT + (rings - 1) * l->h + 1;
                bad = dist_to_box(p->x, p->y, lb) > limit;
                c.far += (size_t)bad;
            } else if (kind == 2) {
                unsigned home = pm_lcost_country(cost, p->x, p->y);
                bad = l->leader && pm_lcost_foreign(cost, home, lb.x0, lb.y0, lb.x1, lb.y1) > 0.5;
                c.foreign += (size_t)bad;
            } else if (kind == 3) {
                for (size_t j = 0; j < sc->n_places && !bad; j++) {
                    const pm_rplace_t *q = &sc->places[j];
                    bad = q != p && !q->inset && q->x > lb.x0 && q->x < lb.x1 && q->y > lb.y0 &&
                          q->y < lb.y1;
                }
                c.anchor += (size_t)bad;
            } else if (kind == 4) {
                bad = shown_in_inset(sc, p->idx);
                c.twice += (size_t)bad;
            } else if (sc->inset && sc->inset->n_loc > 2) {
                bad = pm_inset_loc_meets(sc->inset, lb.x0, lb.y0, lb.x1, lb.y1);
                c.locator += (size_t)bad;
            }
            if (bad)
                name(&b, &last, what[kind], text);
        }
    }
    /* the inset's own check, made when its labels were placed */
    const pm_label_check_t *s = sc->inset && sc->inset->sub ? &sc->inset->sub->lcheck : NULL;
    if (s) {
        c.placed += s->placed, c.on_tie += s->on_tie, c.tie_free += s->tie_free, c.far += s->far;
        c.foreign += s->foreign, c.anchor += s->anchor;
        if (s->names)
            pm_buf_printf(&b, "%sin the inset: %s", last ? "; " : "", s->names);
    }
    if (pm_buf_failed(&b)) {
        pm_buf_destroy(&b);
        return pm_error_set(err, PM_ENOMEM, "out of memory checking labels");
    }
    c.names = *pm_buf_str(&b) ? pm_buf_take(&b) : NULL;
    pm_buf_destroy(&b);
    pm_label_check_destroy(out);
    *out = c;
    return PM_OK;
}

void pm_label_check_destroy(pm_label_check_t *c)
{
    if (!c)
        return;
    free(c->names);
    c->names = NULL;
}
