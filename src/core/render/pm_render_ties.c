/*
 * pm_render_ties: ties as curved lines between place anchors, in page points.
 *
 * A tie longer than LONG_DEG of arc follows the great circle: it is densified in lon/lat (spherical
 * linear interpolation), projected in one PROJ call with all other long ties, broken where it
 * crosses the projection's antimeridian, and bent slightly sideways. A shorter tie is one cubic
 * Bézier whose controls sit off the chord. Both bend to the left of their direction (from -> to),
 * so reciprocal ties A->B and B->A fall on opposite sides; further parallel ties between the same
 * pair bend more. Undirected ties use the direction from the lower place index to the higher.
 *
 * Directed ties stop at the target circle's rim, where an arrowhead whose size follows the line
 * width sits. Ties are drawn widest first so thin ties stay visible on top, each over a thin
 * paper-coloured casing that separates crossing lines. Probable ties are dashed; the dash follows
 * the width (pm_arcs_dash), and the legend draws its samples with the same code.
 */
#include "pm_render_int.h"
#include "pm_sphere.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LONG_DEG 8.0      /* ties longer than this follow the great circle */
#define POLAR_LAT 75.0    /* ... unless it passes this close to a pole drawn as a line */
#define GC_STEP_PT 5.0    /* page length of one great-circle segment */
#define GC_MAX_PTS 121    /* points of a great-circle tie at most */
#define TIE_TOL_PT 0.2    /* a drawn tie stays this close to its great circle */
#define BEND_SHORT 0.16   /* sagitta / chord of a Bézier tie */
#define BEND_LONG 0.07    /* extra sideways bend of a great-circle tie, per chord */
#define BEND_PARALLEL 0.9 /* each further parallel tie bends this much more (relative) */
#define CASING_PT 0.45    /* casing width on each side of a tie */
#define ARROW_GAP_PT 0.6  /* between arrow tip and the target circle */

static const double DEG = PM_PI / 180;

void pm_arcs_dash(double w, double dash[2])
{
    dash[0] = fmax(2.4, 3.2 * w);
    dash[1] = fmax(1.6, 1.8 * w);
}

static void head_size(double w, double *len, double *half)
{
    *len = 3.2 + 2.4 * w;
    *half = 1.5 + 1.25 * w;
}

/* The great-circle angle between two lon/lat points, in degrees (pm_sphere's haversine). */
static double arc_deg(double lon1, double lat1, double lon2, double lat2)
{
    return pm_sphere_distance_km(lon1, lat1, lon2, lat2) / PM_SPHERE_RADIUS_KM / DEG;
}

/* Points i = 0..n-1 along the great circle from (lon1, lat1) to (lon2, lat2) (slerp of
 * pm_sphere's unit vectors). */
static void great_circle(double lon1, double lat1, double lon2, double lat2, size_t n, double *lon,
                         double *lat)
{
    double a[3], b[3];
    pm_sphere_vec(lon1, lat1, a);
    pm_sphere_vec(lon2, lat2, b);
    double om = pm_sphere_angle(a, b);
    double so = sin(om);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)(n - 1), p[3];
        double fa = so > 1e-9 ? sin((1 - t) * om) / so : 1 - t;
        double fb = so > 1e-9 ? sin(t * om) / so : t;
        for (int k = 0; k < 3; k++)
            p[k] = fa * a[k] + fb * b[k];
        lon[i] = atan2(p[1], p[0]) / DEG;
        lat[i] = atan2(p[2], hypot(p[0], p[1])) / DEG;
    }
    lon[0] = lon1, lat[0] = lat1, lon[n - 1] = lon2, lat[n - 1] = lat2;
}

static double place_radius(const pm_scene_t *sc, size_t map_idx)
{
    return pm_rplace_radius(&sc->places[sc->place_of[map_idx]]);
}

/* ---- trimming for arrowheads ---------------------------------------------------------------- */

static void bez_at(const double *p, double t, double out[2])
{
    double u = 1 - t;
    for (int k = 0; k < 2; k++)
        out[k] = u * u * u * p[k] + 3 * u * u * t * p[2 + k] + 3 * u * t * t * p[4 + k] +
                 t * t * t * p[6 + k];
}

/* Shortens Bézier p (4 points) at its end by distance d (straight-line from the end). */
static int bez_trim_end(double *p, double d)
{
    double end[2] = {p[6], p[7]}, q[2];
    if (hypot(p[6] - p[0], p[7] - p[1]) <= d)
        return 0;
    double lo = 0, hi = 1;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        bez_at(p, mid, q);
        if (hypot(q[0] - end[0], q[1] - end[1]) > d)
            lo = mid;
        else
            hi = mid;
    }
    double t = lo;
    /* de Casteljau: keep [0, t]. */
    double a[2], b[2], c[2], ab[2], bc[2], s[2];
    for (int k = 0; k < 2; k++) {
        a[k] = p[k] + (p[2 + k] - p[k]) * t;
        b[k] = p[2 + k] + (p[4 + k] - p[2 + k]) * t;
        c[k] = p[4 + k] + (p[6 + k] - p[4 + k]) * t;
        ab[k] = a[k] + (b[k] - a[k]) * t;
        bc[k] = b[k] + (c[k] - b[k]) * t;
        s[k] = ab[k] + (bc[k] - ab[k]) * t;
    }
    p[2] = a[0], p[3] = a[1], p[4] = ab[0], p[5] = ab[1], p[6] = s[0], p[7] = s[1];
    return 1;
}

/* Shortens polyline p[0..*n) at its end by arc length d. */
static int poly_trim_end(double *p, size_t *n, double d)
{
    size_t m = *n;
    while (m >= 2) {
        double dx = p[2 * (m - 1)] - p[2 * (m - 2)], dy = p[2 * (m - 1) + 1] - p[2 * (m - 2) + 1];
        double len = hypot(dx, dy);
        if (len > d) {
            double f = (len - d) / len;
            p[2 * (m - 1)] = p[2 * (m - 2)] + dx * f;
            p[2 * (m - 1) + 1] = p[2 * (m - 2) + 1] + dy * f;
            *n = m;
            return 1;
        }
        d -= len;
        m--;
    }
    return 0;
}

/* Tip and direction at the end of the tie's current geometry. */
static void end_dir(const pm_rtie_t *t, double tip[2], double dir[2])
{
    size_t m = t->n;
    tip[0] = t->pts[2 * (m - 1)], tip[1] = t->pts[2 * (m - 1) + 1];
    double px = t->pts[2 * (m - 2)], py = t->pts[2 * (m - 2) + 1];
    double dx = tip[0] - px, dy = tip[1] - py, len = hypot(dx, dy);
    if (len < 1e-9) {
        dir[0] = 1, dir[1] = 0;
        return;
    }
    dir[0] = dx / len, dir[1] = dy / len;
}

static void make_arrow(const pm_scene_t *sc, pm_rtie_t *t, size_t to)
{
    double gap = place_radius(sc, to) + ARROW_GAP_PT;
    int ok = t->bezier ? bez_trim_end(t->pts, gap) : poly_trim_end(t->pts, &t->n, gap);
    if (!ok)
        return;
    end_dir(t, t->tip, t->dir);
    head_size(t->width, &t->head_len, &t->head_half);
    /* The line stops inside the head so its butt end never shows past the tip. */
    double back = t->head_len * 0.75;
    ok = t->bezier ? bez_trim_end(t->pts, back) : poly_trim_end(t->pts, &t->n, back);
    t->arrow = ok;
}

/* ---- building ------------------------------------------------------------------------------- */

typedef struct pairkey {
    size_t a, b, idx;
} pairkey_t;

static int cmp_pair(const void *x, const void *y)
{
    const pairkey_t *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->idx > q->idx) - (p->idx < q->idx);
}

static int cmp_draw(const void *x, const void *y)
{
    const pm_rtie_t *p = x, *q = y;
    if (p->faded != q->faded) /* faded ties (pm_map_tie_t.faded) under the others */
        return p->faded ? -1 : 1;
    if (p->width != q->width)
        return p->width > q->width ? -1 : 1;
    return (p->idx > q->idx) - (p->idx < q->idx);
}

/* For each drawable tie, how many earlier ties share its (ordered) pair: its parallel rank. */
static pm_status_t parallel_ranks(const pm_scene_t *sc, const size_t *keep, size_t nk,
                                  unsigned *rank, pm_error_t *err)
{
    pairkey_t *k = malloc((nk ? nk : 1) * sizeof *k);
    if (!k)
        return pm_error_set(err, PM_ENOMEM, "out of memory for %zu ties", nk);
    for (size_t i = 0; i < nk; i++) {
        const pm_map_tie_t *t = &sc->map->ties[keep[i]];
        size_t a = t->from, b = t->to;
        if (!sc->map->directed && a > b) {
            size_t s = a;
            a = b, b = s;
        }
        k[i].a = a, k[i].b = b, k[i].idx = i;
    }
    qsort(k, nk, sizeof *k, cmp_pair);
    for (size_t i = 0; i < nk; i++)
        rank[k[i].idx] =
            i > 0 && k[i].a == k[i - 1].a && k[i].b == k[i - 1].b ? rank[k[i - 1].idx] + 1 : 0;
    free(k);
    return PM_OK;
}

static double rel_lon(double lon, double lon0)
{
    double v = fmod(lon - lon0, 360);
    if (v <= -180)
        v += 360;
    else if (v > 180)
        v -= 360;
    return v;
}

/* 1 when the projection draws the north pole as a line (two points just below it, on either side
 * of the map's cut, land far apart on the page), as world projections such as Equal Earth do. */
static int pole_is_line(const pm_scene_t *sc)
{
    const pm_view_t *v = &sc->view;
    if (isnan(v->cut))
        return 0; /* no cut meridian: an azimuthal or regional view */
    double x[2] = {v->cut - 1.0, v->cut + 1.0}, y[2] = {89.5, 89.5};
    if (x[0] < -180)
        x[0] += 360;
    if (x[1] > 180)
        x[1] -= 360;
    if (pm_project_fwd(v->proj, x, y, 2, NULL, NULL) != PM_OK || isnan(x[0]) || isnan(x[1]))
        return 0;
    return hypot(x[1] - x[0], y[1] - y[0]) * v->s > 10.0;
}

/* Keeps of the points p[lo..hi] those a line through them needs to stay within tol of all
 * (Douglas-Peucker); keep[lo] and keep[hi] are set by the caller. hi - lo < GC_MAX_PTS. */
static void simplify_run(const double *p, size_t lo, size_t hi, double tol, unsigned char *keep)
{
    size_t stack[2 * GC_MAX_PTS], top = 0;
    stack[top++] = lo, stack[top++] = hi;
    while (top) {
        size_t b = stack[--top], a = stack[--top];
        double ax = p[2 * a], ay = p[2 * a + 1], dx = p[2 * b] - ax, dy = p[2 * b + 1] - ay;
        double len = hypot(dx, dy), worst = -1;
        size_t at = a;
        for (size_t i = a + 1; i < b; i++) {
            double ex = p[2 * i] - ax, ey = p[2 * i + 1] - ay;
            double dist = len > 1e-12 ? fabs(ex * dy - ey * dx) / len : hypot(ex, ey);
            if (dist > worst)
                worst = dist, at = i;
        }
        if (worst > tol) {
            keep[at] = 1;
            stack[top++] = a, stack[top++] = at;
            stack[top++] = at, stack[top++] = b;
        }
    }
}

/* Drops the points of t the drawn line does not need (its runs between cuts simplified to within
 * TIE_TOL_PT, far below a printer's dot): a world map's long ties need a quarter of their
 * points, and the figure's memory and SVG shrink with them. */
static void simplify_tie(pm_rtie_t *t)
{
    unsigned char keep[GC_MAX_PTS];
    size_t n = t->n, m = 0, start = 0;
    if (n <= 2 || n > GC_MAX_PTS)
        return;
    memset(keep, 0, n);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && !t->brk[i])
            continue;
        keep[start] = keep[i - 1] = 1; /* a run start .. i - 1 */
        simplify_run(t->pts, start, i - 1, TIE_TOL_PT, keep);
        start = i;
    }
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        t->pts[2 * m] = t->pts[2 * i], t->pts[2 * m + 1] = t->pts[2 * i + 1];
        t->brk[m++] = t->brk[i];
    }
    t->n = m;
    double *shrunk = realloc(t->pts, 2 * m * sizeof *t->pts);
    if (shrunk)
        t->pts = shrunk;
}

/* Fills t for a long tie from the projected great-circle points x, y[0..n). */
static pm_status_t long_tie(const pm_scene_t *sc, pm_rtie_t *t, const double *lon, const double *x,
                            const double *y, size_t n, double bend, pm_error_t *err)
{
    t->pts = malloc(2 * n * sizeof *t->pts);
    t->brk = calloc(n, 1);
    if (!t->pts || !t->brk)
        return pm_error_set(err, PM_ENOMEM, "out of memory for ties");
    double lon0 = pm_project_central_lon(sc->view.proj);
    size_t m = 0;
    int hole = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            hole = 1;
            continue;
        }
        t->pts[2 * m] = pm_view_x(&sc->view, x[i]);
        t->pts[2 * m + 1] = pm_view_y(&sc->view, y[i]);
        t->brk[m] = (unsigned char)(hole || (i > 0 && fabs(rel_lon(lon[i], lon0) -
                                                           rel_lon(lon[i - 1], lon0)) > 180));
        hole = 0;
        m++;
    }
    t->n = m;
    if (m < 2)
        return PM_OK;
    double x0 = t->pts[0], y0 = t->pts[1], x1 = t->pts[2 * (m - 1)], y1 = t->pts[2 * m - 1];
    double dx = x1 - x0, dy = y1 - y0, d = hypot(dx, dy);
    int broken = 0;
    for (size_t i = 1; i < m; i++)
        broken |= t->brk[i];
    if (d > 1e-9 && !broken) {
        double nx = dy / d, ny = -dx / d; /* left of the direction on a y-down page */
        for (size_t i = 1; i + 1 < m; i++) {
            double off = bend * d * sin(PM_PI * (double)i / (double)(m - 1));
            t->pts[2 * i] += nx * off;
            t->pts[2 * i + 1] += ny * off;
        }
    }
    simplify_tie(t);
    return PM_OK;
}

static pm_status_t short_tie(pm_rtie_t *t, double x0, double y0, double x1, double y1, double bend,
                             pm_error_t *err)
{
    t->pts = malloc(8 * sizeof *t->pts);
    if (!t->pts)
        return pm_error_set(err, PM_ENOMEM, "out of memory for ties");
    t->bezier = 1;
    t->n = 4;
    double dx = x1 - x0, dy = y1 - y0, d = hypot(dx, dy);
    double nx = d > 0 ? dy / d : 0, ny = d > 0 ? -dx / d : 0;
    double h = bend * d / 0.75; /* controls at 1/3, 2/3 offset h put the middle at 0.75 h */
    t->pts[0] = x0, t->pts[1] = y0;
    t->pts[2] = x0 + dx / 3 + nx * h, t->pts[3] = y0 + dy / 3 + ny * h;
    t->pts[4] = x0 + 2 * dx / 3 + nx * h, t->pts[5] = y0 + 2 * dy / 3 + ny * h;
    t->pts[6] = x1, t->pts[7] = y1;
    return PM_OK;
}

/* ---- dense maps: ties stroked in groups -----------------------------------------------------
 *
 * Above DENSE_TIES every tie has the same colour and opacity, so painting them is commutative:
 * the order does not matter, and a set of ties whose strokes never touch paints exactly the same
 * pixels as one path holding all of them, stroked once. Vector surfaces record every stroke with
 * about a kilobyte of state (cairo's SVG and PDF surfaces keep the whole page until it is
 * finished), so 50,000 ties drawn one by one cost 50 MB and a 33 MB SVG; in groups they cost a
 * few thousand strokes. Ties of one width and dash style are put in groups whose strokes are at
 * least 2 * GROUP_GAP_PT apart: the page is cut into GROUP_CELL_PT cells, each tie covers the
 * cells its segments' boxes (grown by half its width and the gap) touch, and no two ties of a
 * group share a cell. Groups are filled 64 at a time (first fit by a bit mask per cell); a tie
 * that finds all 64 taken waits for the next 64. */
#define DENSE_TIES 500
#define GROUP_CELL_PT 3.0
#define GROUP_GAP_PT 0.5

typedef struct grid {
    int nx, ny;
    uint64_t *mask;  /* groups of the current round that use the cell */
    unsigned *stamp; /* round the mask belongs to (no clearing between rounds) */
    int (*box)[4];   /* a tie's cell boxes, reused */
    double *pts;     /* a Bézier tie's points along the curve, reused */
} grid_t;

static int dense(const pm_scene_t *sc)
{
    return sc->n_ties > DENSE_TIES;
}

/* The cell boxes of tie t's segments into g->box; returns how many. */
static size_t tie_boxes(grid_t *g, const pm_rtie_t *t)
{
    const double *p = t->pts;
    size_t n = t->n;
    double h = t->width / 2 + GROUP_GAP_PT;
    if (t->bezier) {
        /* the curve at 16 points; a chord of 1/15 of it strays from the curve by at most
         * max|B''| / (8 * 15^2), and |B''| <= 6 * the larger second difference of the controls */
        for (int i = 0; i <= 15; i++) {
            double u = i / 15.0, a = (1 - u) * (1 - u) * (1 - u), b = 3 * u * (1 - u) * (1 - u),
                   c = 3 * u * u * (1 - u), d = u * u * u;
            g->pts[2 * i] = a * p[0] + b * p[2] + c * p[4] + d * p[6];
            g->pts[2 * i + 1] = a * p[1] + b * p[3] + c * p[5] + d * p[7];
        }
        double d1 = hypot(p[0] - 2 * p[2] + p[4], p[1] - 2 * p[3] + p[5]);
        double d2 = hypot(p[2] - 2 * p[4] + p[6], p[3] - 2 * p[5] + p[7]);
        h += 6 * fmax(d1, d2) / (8 * 15 * 15);
        p = g->pts, n = 16;
    }
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (!t->bezier && t->brk && t->brk[i])
            continue; /* a cut: the next subpath starts here */
        double x0 = fmin(p[2 * i - 2], p[2 * i]) - h, x1 = fmax(p[2 * i - 2], p[2 * i]) + h;
        double y0 = fmin(p[2 * i - 1], p[2 * i + 1]) - h, y1 = fmax(p[2 * i - 1], p[2 * i + 1]) + h;
        int *b = g->box[k++];
        b[0] = pm_grid_cell(x0, GROUP_CELL_PT, g->nx);
        b[1] = pm_grid_cell(y0, GROUP_CELL_PT, g->ny);
        b[2] = pm_grid_cell(x1, GROUP_CELL_PT, g->nx);
        b[3] = pm_grid_cell(y1, GROUP_CELL_PT, g->ny);
    }
    return k;
}

/* The groups of round `round` already using a cell of the boxes (all ones: none is free). */
static uint64_t used_groups(const grid_t *g, size_t nb, unsigned round)
{
    uint64_t used = 0;
    for (size_t k = 0; k < nb; k++) {
        const int *b = g->box[k];
        for (int y = b[1]; y <= b[3]; y++)
            for (int x = b[0]; x <= b[2]; x++) {
                size_t c = (size_t)y * (size_t)g->nx + (size_t)x;
                if (g->stamp[c] == round)
                    used |= g->mask[c];
            }
        if (used == UINT64_MAX)
            break;
    }
    return used;
}

static void take_cells(grid_t *g, size_t nb, unsigned round, uint64_t bit)
{
    for (size_t k = 0; k < nb; k++) {
        const int *b = g->box[k];
        for (int y = b[1]; y <= b[3]; y++)
            for (int x = b[0]; x <= b[2]; x++) {
                size_t c = (size_t)y * (size_t)g->nx + (size_t)x;
                if (g->stamp[c] != round)
                    g->stamp[c] = round, g->mask[c] = 0;
                g->mask[c] |= bit;
            }
    }
}

pm_status_t pm_arcs_group(pm_scene_t *sc, pm_error_t *err)
{
    if (!dense(sc) || sc->tie_seq)
        return PM_OK;
    size_t n = sc->n_ties, max_pts = 16;
    grid_t g = {0};
    g.nx = (int)ceil(sc->page_w / GROUP_CELL_PT) + 1;
    g.ny = (int)ceil(sc->page_h / GROUP_CELL_PT) + 1;
    for (size_t i = 0; i < n; i++)
        max_pts = sc->ties[i].n > max_pts ? sc->ties[i].n : max_pts;
    size_t cells = (size_t)g.nx * (size_t)g.ny;
    g.mask = malloc(cells * sizeof *g.mask);
    g.stamp = calloc(cells, sizeof *g.stamp);
    g.box = malloc(max_pts * sizeof *g.box);
    g.pts = malloc(32 * sizeof *g.pts);
    size_t *todo = malloc(n * sizeof *todo), *grp = malloc(n * sizeof *grp);
    size_t *count = NULL;
    sc->tie_seq = malloc(n * sizeof *sc->tie_seq);
    pm_status_t st = PM_OK;
    if (!g.mask || !g.stamp || !g.box || !g.pts || !todo || !grp || !sc->tie_seq) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for %zu ties", n);
        goto cleanup;
    }
    /* ties are sorted widest first; each run of one width is split by dash style */
    size_t n_groups = 0;
    unsigned round = 0;
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo; hi < n && sc->ties[hi].width == sc->ties[lo].width; hi++)
            ;
        for (int style = 0; style < 4; style++) {
            int probable = style & 1, faded = style >> 1;
            size_t left = 0;
            for (size_t i = lo; i < hi; i++)
                if (sc->ties[i].probable == probable && sc->ties[i].faded == faded &&
                    sc->ties[i].n >= 2)
                    todo[left++] = i;
            while (left > 0) {
                size_t waiting = 0;
                uint64_t taken = 0;
                round++;
                for (size_t j = 0; j < left; j++) {
                    const pm_rtie_t *t = &sc->ties[todo[j]];
                    size_t nb = tie_boxes(&g, t);
                    uint64_t used = used_groups(&g, nb, round);
                    if (used == UINT64_MAX) {
                        todo[waiting++] = todo[j];
                        continue;
                    }
                    int bit = __builtin_ctzll(~used);
                    take_cells(&g, nb, round, (uint64_t)1 << bit);
                    grp[todo[j]] = n_groups + (size_t)bit;
                    taken |= (uint64_t)1 << bit;
                }
                n_groups += taken ? (size_t)(64 - __builtin_clzll(taken)) : 0;
                left = waiting;
            }
        }
    }
    /* ties without points are in no group; the rest in group order, tie order within */
    count = calloc(n_groups + 1, sizeof *count);
    sc->group_at = malloc((n_groups + 1) * sizeof *sc->group_at);
    if (!count || !sc->group_at) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for %zu tie groups", n_groups);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        if (sc->ties[i].n >= 2)
            count[grp[i]]++;
    size_t at = 0, used_groups_n = 0;
    for (size_t k = 0; k < n_groups; k++) {
        if (!count[k])
            continue;
        sc->group_at[used_groups_n] = at;
        size_t c = count[k];
        count[k] = at; /* now the next free slot of group k */
        at += c;
        used_groups_n++;
    }
    sc->group_at[used_groups_n] = at;
    for (size_t i = 0; i < n; i++)
        if (sc->ties[i].n >= 2)
            sc->tie_seq[count[grp[i]]++] = i;
    sc->n_groups = used_groups_n;
cleanup:
    free(count);
    free(grp);
    free(todo);
    free(g.pts);
    free(g.box);
    free(g.stamp);
    free(g.mask);
    return st;
}

pm_status_t pm_arcs_build(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_t *map = sc->map;
    pm_status_t st = PM_OK;
    size_t *keep = NULL, nk = 0, skipped = 0, n_long = 0, n_pts = 0, n_polar = 0;
    unsigned *rank = NULL;
    size_t *off = NULL, *cnt = NULL;
    double *gx = NULL, *gy = NULL, *glon = NULL;

    keep = malloc((map->n_ties ? map->n_ties : 1) * sizeof *keep);
    if (!keep)
        return pm_error_set(err, PM_ENOMEM, "out of memory for %zu ties", map->n_ties);
    for (size_t i = 0; i < map->n_ties; i++) {
        const pm_map_tie_t *t = &map->ties[i];
        if (t->from >= map->n_places || t->to >= map->n_places) {
            st =
                pm_error_set(err, PM_EDATA, "tie %zu refers to place %zu, but there are %zu places",
                             i + 1, t->from >= map->n_places ? t->from : t->to, map->n_places);
            goto cleanup;
        }
        if (t->from == t->to || !(t->weight > 0) || !isfinite(t->weight) ||
            sc->place_of[t->from] == (size_t)-1 || sc->place_of[t->to] == (size_t)-1) {
            skipped++;
            continue;
        }
        keep[nk++] = i;
    }
    if (skipped)
        pm_diag_add(sc->diag, NULL,
                    "%zu of %zu ties not drawn (a place without coordinates, a tie of a place to "
                    "itself, or a weight that is not positive)",
                    skipped, map->n_ties);
    sc->ties = calloc(nk ? nk : 1, sizeof *sc->ties);
    rank = malloc((nk ? nk : 1) * sizeof *rank);
    off = malloc((nk ? nk : 1) * sizeof *off);
    cnt = calloc(nk ? nk : 1, sizeof *cnt);
    if (!sc->ties || !rank || !off || !cnt) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for %zu ties", nk);
        goto cleanup;
    }
    st = parallel_ranks(sc, keep, nk, rank, err);
    if (st)
        goto cleanup;

    /* Great-circle points of every long tie, projected together. */
    for (size_t i = 0; i < nk; i++) {
        const pm_map_tie_t *t = &map->ties[keep[i]];
        const pm_map_place_t *a = &map->places[t->from], *b = &map->places[t->to];
        double deg = arc_deg(a->lon, a->lat, b->lon, b->lat);
        if (deg > LONG_DEG) {
            /* About one point per GC_STEP_PT of page, and never fewer than one per 5 degrees
             * (the curve bends most near the poles and the map's edges). */
            const pm_rplace_t *pa = &sc->places[sc->place_of[t->from]];
            const pm_rplace_t *pb = &sc->places[sc->place_of[t->to]];
            double page = hypot(pb->x - pa->x, pb->y - pa->y);
            size_t m = (size_t)ceil(fmax(page / GC_STEP_PT, deg / 5)) + 1;
            cnt[i] = m < 9 ? 9 : m > GC_MAX_PTS ? GC_MAX_PTS : m;
            off[i] = n_pts;
            n_pts += cnt[i];
            n_long++;
        }
    }
    gx = malloc((n_pts ? n_pts : 1) * sizeof *gx);
    gy = malloc((n_pts ? n_pts : 1) * sizeof *gy);
    glon = malloc((n_pts ? n_pts : 1) * sizeof *glon);
    if (!gx || !gy || !glon) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for %zu tie points", n_pts);
        goto cleanup;
    }
    for (size_t i = 0; i < nk; i++) {
        if (!cnt[i])
            continue;
        const pm_map_tie_t *t = &map->ties[keep[i]];
        const pm_map_place_t *a = &map->places[t->from], *b = &map->places[t->to];
        great_circle(a->lon, a->lat, b->lon, b->lat, cnt[i], gx + off[i], gy + off[i]);
    }
    memcpy(glon, gx, n_pts * sizeof *gx);
    /* Great circles that pass near a pole: in projections that draw the pole as a line
     * (Equal Earth on world maps) they would run along the map's top or bottom edge, so those
     * ties are drawn as arcs in the plane instead. */
    int pole_line = pole_is_line(sc);
    for (size_t i = 0; pole_line && i < nk; i++) {
        for (size_t k = 0; cnt[i] && k < cnt[i]; k++)
            if (fabs(gy[off[i] + k]) > POLAR_LAT) {
                cnt[i] = 0;
                n_polar++;
                break;
            }
    }
    st = pm_project_fwd(sc->view.proj, gx, gy, n_pts, NULL, err);
    if (st)
        goto cleanup;

    for (size_t i = 0; i < nk; i++) {
        const pm_map_tie_t *mt = &map->ties[keep[i]];
        pm_rtie_t *t = &sc->ties[sc->n_ties++];
        t->idx = keep[i];
        t->width = pm_render_tie_width(&sc->scales, mt->weight);
        t->probable = mt->style == PM_TIE_PROBABLE;
        t->faded = mt->faded != 0;
        sc->has_probable |= t->probable;
        /* Undirected ties bend by their canonical direction, whichever end was listed first. */
        int flip = !map->directed && mt->from > mt->to;
        double bendf = 1 + BEND_PARALLEL * rank[i];
        double sign = flip ? -1 : 1;
        if (cnt[i]) {
            st = long_tie(sc, t, glon + off[i], gx + off[i], gy + off[i], cnt[i],
                          sign * BEND_LONG * bendf, err);
        } else {
            const pm_rplace_t *a = &sc->places[sc->place_of[mt->from]];
            const pm_rplace_t *b = &sc->places[sc->place_of[mt->to]];
            st = short_tie(t, a->x, a->y, b->x, b->y, sign * BEND_SHORT * bendf, err);
        }
        if (st)
            goto cleanup;
        if (map->directed && t->n >= 2)
            make_arrow(sc, t, mt->to);
    }
    qsort(sc->ties, sc->n_ties, sizeof *sc->ties, cmp_draw);
    if (n_polar)
        pm_diag_add(sc->diag, NULL,
                    "%zu tie%s passing near a pole drawn as arcs on the map, not along the "
                    "great circle (the projection draws the pole as a line)",
                    n_polar, n_polar == 1 ? "" : "s");
cleanup:
    free(glon);
    free(gy);
    free(gx);
    free(cnt);
    free(off);
    free(rank);
    free(keep);
    return st;
}

void pm_arcs_free(pm_scene_t *sc)
{
    for (size_t i = 0; i < sc->n_ties; i++) {
        free(sc->ties[i].pts);
        free(sc->ties[i].brk);
    }
    free(sc->ties);
    free(sc->tie_seq);
    free(sc->group_at);
    sc->ties = NULL;
    sc->tie_seq = sc->group_at = NULL;
    sc->n_ties = sc->n_groups = 0;
}

/* ---- drawing -------------------------------------------------------------------------------- */

static void tie_path(cairo_t *cr, const pm_rtie_t *t)
{
    const double *p = t->pts;
    cairo_move_to(cr, p[0], p[1]);
    if (t->bezier) {
        cairo_curve_to(cr, p[2], p[3], p[4], p[5], p[6], p[7]);
        return;
    }
    for (size_t i = 1; i < t->n; i++) {
        if (t->brk && t->brk[i])
            cairo_move_to(cr, p[2 * i], p[2 * i + 1]);
        else
            cairo_line_to(cr, p[2 * i], p[2 * i + 1]);
    }
}

static void head_path(cairo_t *cr, const double tip[2], const double dir[2], double len,
                      double half)
{
    double bx = tip[0] - dir[0] * len, by = tip[1] - dir[1] * len;
    double nx = -dir[1], ny = dir[0];
    cairo_move_to(cr, tip[0], tip[1]);
    cairo_line_to(cr, bx + nx * half, by + ny * half);
    /* a slight notch makes the head read as an arrow, not a triangle */
    cairo_line_to(cr, tip[0] - dir[0] * len * 0.8, tip[1] - dir[1] * len * 0.8);
    cairo_line_to(cr, bx - nx * half, by - ny * half);
    cairo_close_path(cr);
}

/* Above a few hundred ties a map is about density, not single ties: ties are drawn without their
 * white casing and translucent, more so the more there are (0.6 at 500 ties, 0.07 at 50,000), so
 * overlaps darken instead of painting a solid slab; the legend's samples use the same style. */

pm_rgb_t pm_arcs_faded_color(const pm_scene_t *sc)
{
    /* the tie colour 62% of the way to the paper: clearly lighter, still a line on grey land */
    const double k = 0.62;
    pm_rgb_t t = sc->col.tie, p = sc->col.paper;
    return (pm_rgb_t){t.r + k * (p.r - t.r), t.g + k * (p.g - t.g), t.b + k * (p.b - t.b)};
}

static double tie_alpha(const pm_scene_t *sc)
{
    if (!dense(sc))
        return 1.0;
    double a = 13.4 / sqrt((double)sc->n_ties);
    return a > 0.6 ? 0.6 : a < 0.05 ? 0.05 : a;
}

static void stroke_styled(cairo_t *cr, const pm_scene_t *sc, double w, int probable, int faded,
                          int casing, double alpha)
{
    double dash[2];
    if (probable) {
        pm_arcs_dash(w, dash);
        cairo_set_dash(cr, dash, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
    if (casing && dense(sc)) {
        cairo_new_path(cr); /* dense networks: no casing, translucent ties (see dense) */
        return;
    }
    if (casing) {
        cairo_set_source_rgba(cr, sc->col.casing.r, sc->col.casing.g, sc->col.casing.b,
                              sc->col.casing_alpha);
        cairo_set_line_width(cr, w + 2 * CASING_PT);
    } else {
        pm_rgb_t c = faded ? pm_arcs_faded_color(sc) : sc->col.tie;
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
        cairo_set_line_width(cr, w);
    }
    cairo_stroke(cr);
}

static void draw_head(cairo_t *cr, const pm_scene_t *sc, const double tip[2], const double dir[2],
                      double len, double half)
{
    cairo_set_dash(cr, NULL, 0, 0);
    head_path(cr, tip, dir, len, half);
    cairo_set_source_rgba(cr, sc->col.casing.r, sc->col.casing.g, sc->col.casing.b,
                          sc->col.casing_alpha);
    cairo_set_line_width(cr, 2 * CASING_PT);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgb(cr, sc->col.tie.r, sc->col.tie.g, sc->col.tie.b);
    cairo_fill(cr);
}

void pm_arcs_draw(cairo_t *cr, const pm_scene_t *sc)
{
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    if (dense(sc)) {
        /* thousands of translucent hairlines: the fast rasteriser and a coarser curve tolerance
         * look the same and halve the time (vector surfaces ignore both) */
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
        cairo_set_tolerance(cr, 0.25);
    }
    if (dense(sc)) {
        /* one stroke per group (see pm_arcs_group) or per tie, then the arrowheads on top */
        int grouped = sc->group_paths && sc->tie_seq;
        for (size_t k = 0; grouped && k < sc->n_groups; k++) {
            const pm_rtie_t *first = &sc->ties[sc->tie_seq[sc->group_at[k]]];
            for (size_t j = sc->group_at[k]; j < sc->group_at[k + 1]; j++)
                tie_path(cr, &sc->ties[sc->tie_seq[j]]);
            stroke_styled(cr, sc, first->width, first->probable, first->faded, 0, tie_alpha(sc));
        }
        for (size_t i = 0; !grouped && i < sc->n_ties; i++) {
            const pm_rtie_t *t = &sc->ties[i];
            if (t->n >= 2) {
                tie_path(cr, t);
                stroke_styled(cr, sc, t->width, t->probable, t->faded, 0, tie_alpha(sc));
            }
        }
        for (size_t i = 0; i < sc->n_ties; i++) {
            const pm_rtie_t *t = &sc->ties[i];
            if (t->n >= 2 && t->arrow)
                draw_head(cr, sc, t->tip, t->dir, t->head_len, t->head_half);
        }
        cairo_restore(cr);
        return;
    }
    for (size_t i = 0; i < sc->n_ties; i++) {
        const pm_rtie_t *t = &sc->ties[i];
        if (t->n < 2)
            continue;
        tie_path(cr, t);
        stroke_styled(cr, sc, t->width, t->probable, t->faded, 1, 1.0);
        tie_path(cr, t);
        stroke_styled(cr, sc, t->width, t->probable, t->faded, 0, 1.0);
        if (t->arrow)
            draw_head(cr, sc, t->tip, t->dir, t->head_len, t->head_half);
    }
    cairo_restore(cr);
}

void pm_arcs_sample(cairo_t *cr, const pm_scene_t *sc, double x, double y, double len, double w,
                    int probable, int arrow)
{
    double hl = 0, hh = 0, tip[2] = {x + len, y}, dir[2] = {1, 0};
    if (arrow)
        head_size(w, &hl, &hh);
    double x1 = x + len - hl * 0.75;
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int casing = 1; casing >= 0; casing--) {
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x1, y);
        /* opaque, so a key stays visible when dense maps draw their ties translucent; the
         * width is the drawn width */
        stroke_styled(cr, sc, w, probable, 0, casing, 1.0);
    }
    if (arrow)
        draw_head(cr, sc, tip, dir, hl, hh);
    cairo_restore(cr);
}
