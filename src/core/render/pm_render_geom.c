/*
 * pm_render_geom: polygons from lon/lat to clipped, simplified rings in page points.
 *
 * Each ring goes through: (1) a lon/lat pre-filter that drops vertices closer than the output
 * tolerance and a Douglas-Peucker pass in degrees with the same tolerance (so PROJ sees a
 * fraction of the input); (2) a cut at the projection's
 * antimeridian (central meridian + 180), so no ring spans the seam of a world map; (3) one bulk
 * PROJ call per batch; (4) conversion to points, removal of vertices closer than tol_pt to the
 * previous kept one (a quarter pixel at the PNG's dpi), then Douglas-Peucker with the same
 * tolerance (lines move by at most about half a pixel in all); (5) Sutherland-Hodgman clipping to
 * the frame plus a small margin. Edges made by cuts and clips, and edges along the +-180 meridian
 * where the source data split a unit (Chukotka), carry a skip flag: they are filled but never
 * stroked, so no false border appears.
 *
 * Basemap layers are read with a spatial filter on the view's lon/lat box (two boxes when the view
 * crosses the 180th meridian, with feature ids deduplicated) and with every attribute ignored.
 */
#include "pm_render_int.h"

#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

#include "pm_grow.h"
#include "pm_runtime.h"

int pm_seg_clip(double ax, double ay, double bx, double by, double x0, double y0, double x1,
                double y1, int open, double *t0, double *t1)
{
    double dx = bx - ax, dy = by - ay, lo = 0, hi = 1;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) { /* parallel to this edge: inside its half-plane or never */
            if (q[i] < 0 || (open && q[i] == 0))
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            lo = fmax(lo, t);
        else
            hi = fmin(hi, t);
        if (lo > hi || (open && lo == hi))
            return 0;
    }
    if (t0)
        *t0 = lo;
    if (t1)
        *t1 = hi;
    return 1;
}

/* ---- ring sets ------------------------------------------------------------------------------ */

void pm_rings_init(pm_rings_t *r)
{
    memset(r, 0, sizeof *r);
}

void pm_rings_destroy(pm_rings_t *r)
{
    if (!r)
        return;
    free(r->xy);
    free(r->skip);
    free(r->start);
    memset(r, 0, sizeof *r);
}

static int rings_reserve(pm_rings_t *r, size_t more)
{
    size_t cap = pm_grow_cap(r->cap, r->n + more, 1024);
    if (cap > r->cap) {
        int ok = pm_grow_array(&r->xy, cap, 2 * sizeof *r->xy);
        ok &= pm_grow_array(&r->skip, cap, sizeof *r->skip);
        if (!ok)
            return r->failed = 1, 0;
        r->cap = cap;
    }
    if (r->n_rings + 2 > r->cap_rings) {
        size_t nc = r->cap_rings ? r->cap_rings * 2 : 64;
        size_t *st = realloc(r->start, nc * sizeof *st);
        if (!st)
            return r->failed = 1, 0;
        r->start = st;
        r->cap_rings = nc;
        if (r->n_rings == 0)
            r->start[0] = 0;
    }
    return 1;
}

void pm_rings_path(cairo_t *cr, const pm_rings_t *r)
{
    for (size_t k = 0; k < r->n_rings; k++) {
        size_t a = r->start[k], b = r->start[k + 1];
        cairo_move_to(cr, r->xy[2 * a], r->xy[2 * a + 1]);
        for (size_t i = a + 1; i < b; i++)
            cairo_line_to(cr, r->xy[2 * i], r->xy[2 * i + 1]);
        cairo_close_path(cr);
    }
}

void pm_rings_outline_path(cairo_t *cr, const pm_rings_t *r)
{
    for (size_t k = 0; k < r->n_rings; k++) {
        size_t a = r->start[k], b = r->start[k + 1], m = b - a;
        /* Start after a skipped edge when there is one, so runs are not split at the ring's
         * first point. */
        size_t first = 0;
        for (size_t i = 0; i < m; i++) {
            if (r->skip[a + i]) {
                first = i;
                break;
            }
        }
        int all = 1;
        for (size_t i = 0; i < m && all; i++)
            all = !r->skip[a + i];
        if (all) {
            cairo_move_to(cr, r->xy[2 * a], r->xy[2 * a + 1]);
            for (size_t i = a + 1; i < b; i++)
                cairo_line_to(cr, r->xy[2 * i], r->xy[2 * i + 1]);
            cairo_close_path(cr);
            continue;
        }
        for (size_t j = 0; j <= m; j++) {
            size_t i = a + (first + j) % m;
            if (j == 0 || r->skip[i])
                cairo_move_to(cr, r->xy[2 * i], r->xy[2 * i + 1]);
            else
                cairo_line_to(cr, r->xy[2 * i], r->xy[2 * i + 1]);
        }
    }
}

/* ---- point buffers -------------------------------------------------------------------------- */

typedef struct ptbuf {
    double *x, *y;
    unsigned char *f;
    size_t n, cap;
} ptbuf_t;

static int buf_reserve(ptbuf_t *b, size_t n)
{
    size_t cap = pm_grow_cap(b->cap, n, 256);
    if (cap == b->cap)
        return 1;
    int ok = pm_grow_array(&b->x, cap, sizeof *b->x);
    ok &= pm_grow_array(&b->y, cap, sizeof *b->y);
    ok &= pm_grow_array(&b->f, cap, sizeof *b->f);
    if (ok)
        b->cap = cap;
    return ok;
}

static void buf_free(ptbuf_t *b)
{
    free(b->x);
    free(b->y);
    free(b->f);
}

static void buf_push(ptbuf_t *b, double x, double y, unsigned char f)
{
    b->x[b->n] = x;
    b->y[b->n] = y;
    b->f[b->n] = f;
    b->n++;
}

/* Clips closed ring in (flags: edge into point i) to the half plane coordinate `axis` <= bound
 * (keep_le) or >= bound, into out. Edges along the clip line get flag 1. */
static int clip_half(const ptbuf_t *in, ptbuf_t *out, int axis, double bound, int keep_le)
{
    out->n = 0;
    if (in->n == 0 || !buf_reserve(out, 2 * in->n))
        return in->n == 0;
    const double *c = axis ? in->y : in->x;
    size_t m = in->n;
    for (size_t i = 0; i < m; i++) {
        size_t p = i ? i - 1 : m - 1;
        int pin = keep_le ? c[p] <= bound : c[p] >= bound;
        int cin = keep_le ? c[i] <= bound : c[i] >= bound;
        if (pin != cin) {
            double t = (bound - c[p]) / (c[i] - c[p]);
            double x = in->x[p] + (in->x[i] - in->x[p]) * t;
            double y = in->y[p] + (in->y[i] - in->y[p]) * t;
            if (axis)
                y = bound;
            else
                x = bound;
            buf_push(out, x, y, pin ? in->f[i] : 1);
        }
        if (cin)
            buf_push(out, in->x[i], in->y[i], in->f[i]);
    }
    return 1;
}

/* ---- batches -------------------------------------------------------------------------------- */

#define BATCH_POINTS 65536

struct pm_rings_batch {
    const pm_view_t *view;
    ptbuf_t q;           /* queued lon/lat points of whole rings */
    size_t *ring_end;    /* end of each queued ring in q */
    pm_rings_t **target; /* where each queued ring goes */
    size_t n_rings, cap_rings;
    ptbuf_t a, b, c;     /* scratch */
    unsigned char *keep; /* simplification scratch, cap_keep long */
    size_t *stack, cap_keep;
    double *gx, *gy; /* OGR read buffer */
    size_t gcap;
    size_t n_read, n_kept;
};

pm_status_t pm_rings_batch_new(const pm_view_t *view, pm_rings_batch_t **out, pm_error_t *err)
{
    pm_rings_batch_t *b = calloc(1, sizeof *b);
    if (!b)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    b->view = view;
    *out = b;
    return PM_OK;
}

void pm_rings_batch_free(pm_rings_batch_t *b)
{
    if (!b)
        return;
    buf_free(&b->q);
    buf_free(&b->a);
    buf_free(&b->b);
    buf_free(&b->c);
    free(b->ring_end);
    free(b->target);
    free(b->keep);
    free(b->stack);
    free(b->gx);
    free(b->gy);
    free(b);
}

void pm_rings_batch_counts(const pm_rings_batch_t *b, size_t *read, size_t *kept)
{
    *read = b->n_read;
    *kept = b->n_kept;
}

static pm_status_t oom(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory drawing the map");
}

/* 1 when lon is on the +-180 meridian; data tools leave it a few ulps off (-179.99999999999997). */
static int on_180(double lon)
{
    return fabs(fabs(lon) - 180) < 1e-7;
}

/* Stage 1: lon/lat pre-filter of x/y[0..m) (an open ring: the closing point dropped) into a.
 * Vertices on the +-180 meridian are kept exactly; a seam edge runs along it. */
static void prefilter(const pm_rings_batch_t *b, const double *x, const double *y, size_t m,
                      ptbuf_t *a)
{
    double tol = b->view->tol_deg;
    a->n = 0;
    unsigned char acc = 1;
    for (size_t i = 0; i < m; i++) {
        size_t p = i ? i - 1 : m - 1;
        unsigned char seam = on_180(x[i]) && on_180(x[p]) && (x[i] > 0) == (x[p] > 0);
        acc = (unsigned char)(acc & seam);
        if (i == 0) {
            buf_push(a, x[i], y[i], 0);
            acc = 1;
            continue;
        }
        double dx = fabs(x[i] - a->x[a->n - 1]), dy = fabs(y[i] - a->y[a->n - 1]);
        if (on_180(x[i]) || dx >= tol || dy >= tol) {
            buf_push(a, x[i], y[i], acc);
            acc = 1;
        }
    }
    /* The edge into point 0 closes the ring: everything after the last kept vertex. */
    if (a->n > 0) {
        unsigned char seam0 = on_180(x[0]) && on_180(x[m - 1]) && (x[0] > 0) == (x[m - 1] > 0);
        a->f[0] = (unsigned char)(acc & seam0);
    }
}

/* Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
static double seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = ax + t * dx - px, ey = ay + t * dy - py;
    return ex * ex + ey * ey;
}

/* Stages 1b and 4b: Douglas-Peucker on the closed ring p with tolerance tol, in place. Vertices
 * where the skip flag changes are kept, so cut and seam runs keep their exact ends; inside a run
 * all edges share one flag, which the merged edge inherits. keep and stack: scratch of p->n. */
static void simplify_ring(ptbuf_t *p, double tol, unsigned char *keep, size_t *stack)
{
    size_t n = p->n;
    if (n < 4)
        return;
    memset(keep, 0, n);
    keep[0] = 1;
    double far = -1;
    size_t fi = 0;
    for (size_t i = 1; i < n; i++) {
        double dx = p->x[i] - p->x[0], dy = p->y[i] - p->y[0], d = dx * dx + dy * dy;
        if (d > far)
            far = d, fi = i;
        if (p->f[i] != p->f[(i + 1) % n])
            keep[i] = 1;
    }
    if (p->f[0] != p->f[1 % n])
        keep[0] = 1;
    keep[fi] = 1;
    double tol2 = tol * tol;
    /* Each pair of consecutive anchors bounds a chain; the closing chain wraps to index n (= 0). */
    size_t a = 0;
    for (size_t b = 1; b <= n; b++) {
        if (b < n && !keep[b])
            continue;
        size_t top = 0;
        stack[top++] = a, stack[top++] = b;
        while (top > 0) {
            size_t e = stack[--top], s = stack[--top];
            double ax = p->x[s], ay = p->y[s], bx = p->x[e % n], by = p->y[e % n];
            double best = tol2;
            size_t bi = 0;
            for (size_t i = s + 1; i < e; i++) {
                double d = seg_dist2(p->x[i], p->y[i], ax, ay, bx, by);
                if (d > best)
                    best = d, bi = i;
            }
            if (bi) {
                keep[bi] = 1;
                stack[top++] = s, stack[top++] = bi;
                stack[top++] = bi, stack[top++] = e;
            }
        }
        a = b;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        p->x[m] = p->x[i], p->y[m] = p->y[i], p->f[m] = p->f[i];
        m++;
    }
    p->n = m;
}

/* Grows the simplification scratch to n points. */
static int keep_reserve(pm_rings_batch_t *b, size_t n)
{
    if (n <= b->cap_keep)
        return 1;
    unsigned char *kp = realloc(b->keep, n);
    if (kp)
        b->keep = kp;
    size_t *stk = realloc(b->stack, 2 * n * sizeof *stk);
    if (stk)
        b->stack = stk;
    if (!kp || !stk)
        return 0;
    b->cap_keep = n;
    return 1;
}

static pm_status_t queue_ring(pm_rings_batch_t *b, const ptbuf_t *r, pm_rings_t *target,
                              pm_error_t *err)
{
    if (r->n < 3)
        return PM_OK;
    if (!buf_reserve(&b->q, b->q.n + r->n))
        return oom(err);
    if (b->n_rings == b->cap_rings) {
        size_t cap = b->cap_rings ? 2 * b->cap_rings : 256;
        size_t *e = realloc(b->ring_end, cap * sizeof *e);
        if (e)
            b->ring_end = e;
        pm_rings_t **t = realloc(b->target, cap * sizeof *t);
        if (t)
            b->target = t;
        if (!e || !t)
            return oom(err);
        b->cap_rings = cap;
    }
    memcpy(b->q.x + b->q.n, r->x, r->n * sizeof *r->x);
    memcpy(b->q.y + b->q.n, r->y, r->n * sizeof *r->y);
    memcpy(b->q.f + b->q.n, r->f, r->n);
    b->q.n += r->n;
    b->ring_end[b->n_rings] = b->q.n;
    b->target[b->n_rings++] = target;
    return PM_OK;
}

static pm_status_t add_ring(pm_rings_batch_t *b, OGRGeometryH ring, pm_rings_t *target,
                            pm_error_t *err)
{
    int m = OGR_G_GetPointCount(ring);
    if (m < 4)
        return PM_OK;
    if ((size_t)m > b->gcap) {
        double *gx = realloc(b->gx, (size_t)m * sizeof *gx);
        if (gx)
            b->gx = gx;
        double *gy = realloc(b->gy, (size_t)m * sizeof *gy);
        if (gy)
            b->gy = gy;
        if (!gx || !gy)
            return oom(err);
        b->gcap = (size_t)m;
    }
    OGR_G_GetPoints(ring, b->gx, sizeof(double), b->gy, sizeof(double), NULL, 0);
    b->n_read += (size_t)m;
    size_t n = (size_t)m;
    if (b->gx[0] == b->gx[n - 1] && b->gy[0] == b->gy[n - 1])
        n--; /* rings are kept open; the closing edge is implicit */
    if (!buf_reserve(&b->a, n))
        return oom(err);
    prefilter(b, b->gx, b->gy, n, &b->a);
    if (!keep_reserve(b, b->a.n))
        return oom(err);
    simplify_ring(&b->a, b->view->tol_deg, b->keep, b->stack);

    double cut = b->view->cut;
    if (isnan(cut))
        return queue_ring(b, &b->a, target, err);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < b->a.n; i++) {
        lo = fmin(lo, b->a.x[i]);
        hi = fmax(hi, b->a.x[i]);
    }
    if (!(lo < cut && hi > cut))
        return queue_ring(b, &b->a, target, err);
    /* The ring crosses the projection's antimeridian: keep the two sides apart, a hair off the
     * line so PROJ puts each on its own edge of the map. */
    const double eps = 1e-7;
    if (!clip_half(&b->a, &b->b, 0, cut - eps, 1))
        return oom(err);
    pm_status_t st = queue_ring(b, &b->b, target, err);
    if (st)
        return st;
    if (!clip_half(&b->a, &b->b, 0, cut + eps, 0))
        return oom(err);
    return queue_ring(b, &b->b, target, err);
}

pm_status_t pm_rings_batch_add(pm_rings_batch_t *b, OGRGeometryH g, pm_rings_t *target,
                               pm_error_t *err)
{
    pm_status_t st = PM_OK;
    if (!g || OGR_G_IsEmpty(g))
        return PM_OK;
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!lin)
            return oom(err);
        st = pm_rings_batch_add(b, lin, target, err);
        OGR_G_DestroyGeometry(lin);
        return st;
    }
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g) && !st; i++)
            st = add_ring(b, OGR_G_GetGeometryRef(g, i), target, err);
    } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g) && !st; i++)
            st = pm_rings_batch_add(b, OGR_G_GetGeometryRef(g, i), target, err);
    }
    if (!st && b->q.n >= BATCH_POINTS)
        st = pm_rings_batch_flush(b, err);
    return st;
}

/* Stage 4: page points with the quarter-pixel filter, from projected q[a, e) into out. A vertex
 * that did not project leaves a hole: the edge across it is never stroked. */
static void to_page(const pm_view_t *v, const ptbuf_t *q, size_t a, size_t e, ptbuf_t *out)
{
    double tol = v->tol_pt;
    unsigned char acc = 1, first_f = 1;
    int broken = 0;
    out->n = 0;
    for (size_t i = a; i < e; i++) {
        if (isnan(q->x[i])) {
            broken = 1;
            continue;
        }
        double x = pm_view_x(v, q->x[i]), y = pm_view_y(v, q->y[i]);
        unsigned char f = broken ? 1 : q->f[i];
        broken = 0;
        if (out->n == 0) {
            first_f = i == a ? f : 1;
            buf_push(out, x, y, 0);
            acc = 1;
            continue;
        }
        acc = (unsigned char)(acc & f);
        if (fabs(x - out->x[out->n - 1]) < tol && fabs(y - out->y[out->n - 1]) < tol)
            continue;
        buf_push(out, x, y, acc);
        acc = 1;
    }
    if (out->n > 0) /* the closing edge: dropped trailing vertices, then into the first */
        out->f[0] = broken ? 1 : (unsigned char)(acc & first_f);
}

static int append_ring(pm_rings_t *r, const ptbuf_t *p)
{
    if (p->n < 3)
        return 1;
    if (!rings_reserve(r, p->n))
        return 0;
    for (size_t i = 0; i < p->n; i++) {
        r->xy[2 * (r->n + i)] = p->x[i];
        r->xy[2 * (r->n + i) + 1] = p->y[i];
        r->skip[r->n + i] = p->f[i];
    }
    r->n += p->n;
    r->start[++r->n_rings] = r->n;
    return 1;
}

/* Stage 5: clip to the frame plus a margin when the ring leaves it. */
static int clip_to_frame(pm_rings_batch_t *b, ptbuf_t **ring)
{
    const pm_view_t *v = b->view;
    const double margin = 4;
    double x0 = v->fx - margin, y0 = v->fy - margin;
    double x1 = v->fx + v->fw + margin, y1 = v->fy + v->fh + margin;
    ptbuf_t *p = *ring;
    double lx = INFINITY, ly = INFINITY, hx = -INFINITY, hy = -INFINITY;
    for (size_t i = 0; i < p->n; i++) {
        lx = fmin(lx, p->x[i]);
        hx = fmax(hx, p->x[i]);
        ly = fmin(ly, p->y[i]);
        hy = fmax(hy, p->y[i]);
    }
    if (hx < x0 || lx > x1 || hy < y0 || ly > y1) {
        p->n = 0;
        return 1;
    }
    if (lx >= x0 && hx <= x1 && ly >= y0 && hy <= y1)
        return 1;
    ptbuf_t *o = p == &b->b ? &b->c : &b->b;
    if (!clip_half(p, o, 0, x0, 0) || !clip_half(o, p, 0, x1, 1) || !clip_half(p, o, 1, y0, 0) ||
        !clip_half(o, p, 1, y1, 1))
        return 0;
    return 1;
}

pm_status_t pm_rings_batch_flush(pm_rings_batch_t *b, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    if (b->n_rings == 0)
        return PM_OK;
    st = pm_project_fwd(b->view->proj, b->q.x, b->q.y, b->q.n, NULL, err);
    if (st)
        goto cleanup;
    size_t a = 0;
    for (size_t k = 0; k < b->n_rings; k++) {
        size_t e = b->ring_end[k];
        if (!buf_reserve(&b->b, e - a) || !buf_reserve(&b->c, 2 * (e - a) + 8)) {
            st = oom(err);
            goto cleanup;
        }
        to_page(b->view, &b->q, a, e, &b->b);
        if (!keep_reserve(b, b->b.n)) {
            st = oom(err);
            goto cleanup;
        }
        simplify_ring(&b->b, b->view->tol_pt, b->keep, b->stack);
        ptbuf_t *p = &b->b;
        if (p->n >= 3 && !clip_to_frame(b, &p)) {
            st = oom(err);
            goto cleanup;
        }
        if (!append_ring(b->target[k], p)) {
            st = oom(err);
            goto cleanup;
        }
        if (p->n >= 3)
            b->n_kept += p->n;
        a = e;
    }
cleanup:
    b->q.n = 0;
    b->n_rings = 0;
    return st;
}

/* ---- basemap layers ------------------------------------------------------------------------- */

/* The lon/lat boxes covering the view: one, or two when the view crosses the 180th meridian. */
static pm_status_t view_boxes(const pm_view_t *v, double box[2][4], int *n_box, pm_error_t *err)
{
    enum { G = 17 };
    double x[G * G + 2], y[G * G + 2];
    size_t n = 0, failed = 0;
    double w = v->fw / v->s, h = v->fh / v->s;
    for (int i = 0; i < G; i++) {
        for (int j = 0; j < G; j++) {
            x[n] = v->ux0 - 0.02 * w + 1.04 * w * i / (G - 1);
            y[n++] = v->uy1 + 0.02 * h - 1.04 * h * j / (G - 1);
        }
    }
    pm_status_t st = pm_project_inv(v->proj, x, y, n, &failed, err);
    if (st)
        return st;
    double south = INFINITY, north = -INFINITY, west, east;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(y[i])) {
            south = fmin(south, y[i]);
            north = fmax(north, y[i]);
        }
    }
    pm_project_lon_range(x, n, &west, &east);
    /* A pole inside the view: every longitude reaches it. */
    double px[2] = {0, 0}, py[2] = {90, -90};
    st = pm_project_fwd(v->proj, px, py, 2, NULL, err);
    if (st)
        return st;
    for (int k = 0; k < 2; k++) {
        double X = isnan(px[k]) ? NAN : pm_view_x(v, px[k]), Y = pm_view_y(v, py[k]);
        if (X >= v->fx && X <= v->fx + v->fw && Y >= v->fy && Y <= v->fy + v->fh) {
            west = -180, east = 180;
            if (k == 0)
                north = 90;
            else
                south = -90;
        }
    }
    if (failed == n || !(south <= north)) { /* nothing inverts: read everything */
        south = -90, north = 90, west = -180, east = 180;
    }
    double pad = 1.0 + 0.05 * (east - west);
    west -= pad, east += pad;
    south = fmax(-90, south - 1 - 0.05 * (north - south));
    north = fmin(90, north + 1 + 0.05 * (north - south));
    if (east - west >= 300) {
        west = -180, east = 180;
    } else if (west < -180) { /* the box starts in [-180, 180) */
        west += 360, east += 360;
    }
    box[0][0] = west, box[0][1] = south, box[0][2] = fmin(east, 180), box[0][3] = north;
    *n_box = 1;
    if (east > 180) {
        box[1][0] = -180, box[1][1] = south, box[1][2] = east - 360, box[1][3] = north;
        *n_box = 2;
    }
    return PM_OK;
}

static int cmp_fid(const void *a, const void *b)
{
    GIntBig x = *(const GIntBig *)a, y = *(const GIntBig *)b;
    return (x > y) - (x < y);
}

static pm_status_t ignore_fields(OGRLayerH lyr, pm_error_t *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int nf = OGR_FD_GetFieldCount(defn);
    const char **names = calloc((size_t)nf + 2, sizeof *names);
    if (!names)
        return oom(err);
    for (int i = 0; i < nf; i++)
        names[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
    names[nf] = "OGR_STYLE";
    OGR_L_SetIgnoredFields(lyr, names);
    free(names);
    return PM_OK;
}

pm_status_t pm_rings_read_layer(pm_rings_batch_t *b, void *ds, const char *path, const char *layer,
                                pm_rings_t *target, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    GIntBig *seen = NULL;
    size_t n_seen = 0, cap_seen = 0;
    double box[2][4];
    int n_box = 0;
    OGRLayerH lyr = GDALDatasetGetLayerByName((GDALDatasetH)ds, layer);
    if (!lyr)
        return pm_error_set(err, PM_EDATA, "no layer '%s' in basemap '%s'", layer, path);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
    if (srs && !OSRIsGeographic(srs))
        return pm_error_set(err, PM_EDATA,
                            "basemap layer '%s' in '%s' is not in longitude/latitude (reproject "
                            "it to EPSG:4326)",
                            layer, path);
    st = ignore_fields(lyr, err);
    if (st)
        return st;
    st = view_boxes(b->view, box, &n_box, err);
    if (st)
        return st;
    for (int k = 0; k < n_box && !st; k++) {
        OGR_L_SetSpatialFilterRect(lyr, box[k][0], box[k][1], box[k][2], box[k][3]);
        OGR_L_ResetReading(lyr);
        OGRFeatureH f;
        while (!st && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
            GIntBig fid = OGR_F_GetFID(f);
            int dup = k > 0 && n_seen > 0 && bsearch(&fid, seen, n_seen, sizeof *seen, cmp_fid);
            if (k == 0 && n_box > 1) {
                if (n_seen == cap_seen) {
                    cap_seen = cap_seen ? 2 * cap_seen : 1024;
                    GIntBig *s = realloc(seen, cap_seen * sizeof *s);
                    if (!s) {
                        OGR_F_Destroy(f);
                        st = oom(err);
                        break;
                    }
                    seen = s;
                }
                seen[n_seen++] = fid;
            }
            if (!dup)
                st = pm_rings_batch_add(b, OGR_F_GetGeometryRef(f), target, err);
            OGR_F_Destroy(f);
        }
        if (k == 0 && n_seen > 1)
            qsort(seen, n_seen, sizeof *seen, cmp_fid);
    }
    OGR_L_SetSpatialFilter(lyr, NULL);
    free(seen);
    if (!st)
        st = pm_rings_batch_flush(b, err);
    return st;
}
