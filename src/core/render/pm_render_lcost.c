/*
 * pm_render_lcost: what a place label would cover at a candidate position, for the placement in
 * pm_render_text.c.
 *
 * Two measures, both in page points and built once per scene after the ties and the basemap:
 *   - ties: every drawn tie as a polyline (great circles as drawn, Béziers flattened to 16
 *     chords), its segments on a uniform grid; a box's cost is the length of tie paths (widened by
 *     half the tie's width and the label's halo) running through it. Zero means no tie is touched.
 *   - countries: the basemap's land rings rasterised at one pixel per point into an id image,
 *     larger rings first so that enclaves and holes keep their own id; a box's foreign share is
 *     the share of sample points over land whose id differs from the one under the label's place
 *     (sea and the place's own country are not foreign).
 * A ring is a country here (an island of a country counts as its own ring): stricter, never
 * looser, than the country itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "pm_render_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LCOST_CELL_PT 12.0
#define LCOST_HALO_PT 0.8 /* half the label's halo: a tie this close shows through it */

typedef struct seg {
    double x0, y0, x1, y1, h; /* h: half the tie's width plus the halo */
} seg_t;

struct pm_lcost {
    /* ties */
    seg_t *seg;
    size_t n_seg, cap_seg;
    double gx, gy;
    int nx, ny;
    size_t *cell_at; /* CSR: cell c holds ids[cell_at[c] .. cell_at[c + 1]) */
    size_t *ids;
    unsigned *stamp; /* per segment: the query that last counted it */
    unsigned query;
    /* countries */
    uint32_t *land; /* id per pixel (0 = sea), w x h, pixel (0, 0) at the frame's top left */
    int lw, lh;
    double lx, ly;
    int failed;
};

static void seg_add(pm_lcost_t *c, double x0, double y0, double x1, double y1, double h)
{
    if (c->n_seg == c->cap_seg) {
        size_t cap = c->cap_seg ? 2 * c->cap_seg : 256;
        seg_t *s = realloc(c->seg, cap * sizeof *s);
        if (!s) {
            c->failed = 1;
            return;
        }
        c->seg = s, c->cap_seg = cap;
    }
    c->seg[c->n_seg++] = (seg_t){x0, y0, x1, y1, h};
}

static void tie_segments(pm_lcost_t *c, const pm_rtie_t *t)
{
    double h = t->width / 2 + LCOST_HALO_PT, b[32];
    const double *p = t->pts;
    size_t n = t->n;
    if (t->bezier) {
        for (int i = 0; i < 16; i++) {
            double u = i / 15.0, a = (1 - u) * (1 - u) * (1 - u), bb = 3 * u * (1 - u) * (1 - u),
                   cc = 3 * u * u * (1 - u), d = u * u * u;
            b[2 * i] = a * p[0] + bb * p[2] + cc * p[4] + d * p[6];
            b[2 * i + 1] = a * p[1] + bb * p[3] + cc * p[5] + d * p[7];
        }
        p = b, n = 16;
    }
    for (size_t i = 1; i < n; i++)
        if (t->bezier || !t->brk || !t->brk[i])
            seg_add(c, p[2 * i - 2], p[2 * i - 1], p[2 * i], p[2 * i + 1], h);
}

static void seg_cells(const pm_lcost_t *c, const seg_t *s, int *c0, int *r0, int *c1, int *r1)
{
    *c0 = pm_grid_cell(fmin(s->x0, s->x1) - s->h - c->gx, LCOST_CELL_PT, c->nx);
    *c1 = pm_grid_cell(fmax(s->x0, s->x1) + s->h - c->gx, LCOST_CELL_PT, c->nx);
    *r0 = pm_grid_cell(fmin(s->y0, s->y1) - s->h - c->gy, LCOST_CELL_PT, c->ny);
    *r1 = pm_grid_cell(fmax(s->y0, s->y1) + s->h - c->gy, LCOST_CELL_PT, c->ny);
}

static int build_ties(pm_lcost_t *c, const pm_scene_t *sc)
{
    const pm_view_t *v = &sc->view;
    for (size_t i = 0; i < sc->n_ties; i++)
        tie_segments(c, &sc->ties[i]);
    if (c->failed)
        return -1;
    c->gx = v->fx, c->gy = v->fy;
    c->nx = (int)ceil(v->fw / LCOST_CELL_PT) + 1;
    c->ny = (int)ceil(v->fh / LCOST_CELL_PT) + 1;
    size_t nc = (size_t)c->nx * (size_t)c->ny;
    c->cell_at = calloc(nc + 1, sizeof *c->cell_at);
    c->stamp = calloc(c->n_seg ? c->n_seg : 1, sizeof *c->stamp);
    if (!c->cell_at || !c->stamp)
        return -1;
    /* first pass: count per cell, then offsets */
    for (size_t i = 0; i < c->n_seg; i++) {
        int c0, r0, c1, r1;
        seg_cells(c, &c->seg[i], &c0, &r0, &c1, &r1);
        for (int r = r0; r <= r1; r++)
            for (int q = c0; q <= c1; q++)
                c->cell_at[(size_t)r * (size_t)c->nx + (size_t)q + 1]++;
    }
    for (size_t k = 0; k < nc; k++)
        c->cell_at[k + 1] += c->cell_at[k];
    c->ids = malloc((c->cell_at[nc] ? c->cell_at[nc] : 1) * sizeof *c->ids);
    if (!c->ids)
        return -1;
    /* second pass: fill, with a cursor per cell */
    size_t *next = malloc((nc ? nc : 1) * sizeof *next);
    if (!next)
        return -1;
    memcpy(next, c->cell_at, nc * sizeof *next);
    for (size_t i = 0; i < c->n_seg; i++) {
        int c0, r0, c1, r1;
        seg_cells(c, &c->seg[i], &c0, &r0, &c1, &r1);
        for (int r = r0; r <= r1; r++)
            for (int q = c0; q <= c1; q++)
                c->ids[next[(size_t)r * (size_t)c->nx + (size_t)q]++] = i;
    }
    free(next);
    return 0;
}

/* ---- countries ---------------------------------------------------------------------------- */

typedef struct ring_area {
    size_t r;
    double a;
} ring_area_t;

static int by_area_desc(const void *pa, const void *pb)
{
    const ring_area_t *a = pa, *b = pb;
    if (a->a != b->a)
        return a->a > b->a ? -1 : 1;
    return (a->r > b->r) - (a->r < b->r);
}

static int build_land(pm_lcost_t *c, const pm_scene_t *sc)
{
    const pm_rings_t *L = &sc->land;
    const pm_view_t *v = &sc->view;
    if (L->n_rings == 0 || L->n_rings >= 0xffffffu)
        return 0;
    c->lx = v->fx, c->ly = v->fy;
    c->lw = (int)ceil(v->fw) + 1, c->lh = (int)ceil(v->fh) + 1;
    ring_area_t *ra = malloc(L->n_rings * sizeof *ra);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->lw, c->lh);
    int rc = -1;
    if (!ra || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        goto cleanup;
    for (size_t r = 0; r < L->n_rings; r++) {
        double a = 0;
        for (size_t i = L->start[r], j = L->start[r + 1] - 1; i < L->start[r + 1]; j = i++)
            a += L->xy[2 * j] * L->xy[2 * i + 1] - L->xy[2 * i] * L->xy[2 * j + 1];
        ra[r] = (ring_area_t){r, fabs(a) / 2};
    }
    qsort(ra, L->n_rings, sizeof *ra, by_area_desc);
    cairo_t *cr = cairo_create(s);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    cairo_translate(cr, -c->lx, -c->ly);
    for (size_t k = 0; k < L->n_rings; k++) {
        size_t r = ra[k].r, id = r + 1;
        if (L->start[r + 1] - L->start[r] < 3)
            continue;
        cairo_new_path(cr);
        for (size_t i = L->start[r]; i < L->start[r + 1]; i++)
            cairo_line_to(cr, L->xy[2 * i], L->xy[2 * i + 1]);
        cairo_close_path(cr);
        /* 8 bits a channel: k / 255 comes back as k exactly */
        cairo_set_source_rgb(cr, (double)((id >> 16) & 255) / 255, (double)((id >> 8) & 255) / 255,
                             (double)(id & 255) / 255);
        cairo_fill(cr);
    }
    int ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (!ok)
        goto cleanup;
    c->land = malloc((size_t)c->lw * (size_t)c->lh * sizeof *c->land);
    if (!c->land)
        goto cleanup;
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < c->lh; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < c->lw; x++)
            c->land[(size_t)y * (size_t)c->lw + (size_t)x] = row[x] & 0xffffffu;
    }
    rc = 0;
cleanup:
    free(ra);
    cairo_surface_destroy(s);
    return rc;
}

pm_status_t pm_lcost_new(const pm_scene_t *sc, pm_lcost_t **out, pm_error_t *err)
{
    pm_lcost_t *c = calloc(1, sizeof *c);
    if (!c || build_ties(c, sc) || build_land(c, sc)) {
        pm_lcost_free(c);
        return pm_error_set(err, PM_ENOMEM, "out of memory placing labels");
    }
    *out = c;
    return PM_OK;
}

void pm_lcost_free(pm_lcost_t *c)
{
    if (!c)
        return;
    free(c->seg);
    free(c->cell_at);
    free(c->ids);
    free(c->stamp);
    free(c->land);
    free(c);
}

/* The length of segment (ax, ay)-(bx, by) inside the box. */
static double clipped_len(double ax, double ay, double bx, double by, double x0, double y0,
                          double x1, double y1)
{
    double t0, t1;
    if (!pm_seg_clip(ax, ay, bx, by, x0, y0, x1, y1, 0, &t0, &t1))
        return 0;
    double len = (t1 - t0) * hypot(bx - ax, by - ay);
    return len > 0 ? len : 1e-3; /* a point of a tie inside still counts */
}

double pm_lcost_ties(pm_lcost_t *c, double x0, double y0, double x1, double y1)
{
    if (!c->n_seg)
        return 0;
    if (++c->query == 0) {
        memset(c->stamp, 0, c->n_seg * sizeof *c->stamp);
        c->query = 1;
    }
    int c0 = pm_grid_cell(x0 - c->gx, LCOST_CELL_PT, c->nx);
    int c1 = pm_grid_cell(x1 - c->gx, LCOST_CELL_PT, c->nx);
    int r0 = pm_grid_cell(y0 - c->gy, LCOST_CELL_PT, c->ny);
    int r1 = pm_grid_cell(y1 - c->gy, LCOST_CELL_PT, c->ny);
    double sum = 0;
    for (int r = r0; r <= r1; r++) {
        for (int q = c0; q <= c1; q++) {
            size_t k = (size_t)r * (size_t)c->nx + (size_t)q;
            for (size_t j = c->cell_at[k]; j < c->cell_at[k + 1]; j++) {
                size_t i = c->ids[j];
                if (c->stamp[i] == c->query)
                    continue;
                c->stamp[i] = c->query;
                const seg_t *s = &c->seg[i];
                sum += clipped_len(s->x0, s->y0, s->x1, s->y1, x0 - s->h, y0 - s->h, x1 + s->h,
                                   y1 + s->h);
            }
        }
    }
    return sum;
}

unsigned pm_lcost_country(const pm_lcost_t *c, double x, double y)
{
    if (!c->land)
        return 0;
    long px = lround(x - c->lx), py = lround(y - c->ly);
    if (px < 0 || py < 0 || px >= c->lw || py >= c->lh)
        return 0;
    return c->land[(size_t)py * (size_t)c->lw + (size_t)px];
}

double pm_lcost_foreign(const pm_lcost_t *c, unsigned home, double x0, double y0, double x1,
                        double y1)
{
    if (!c->land)
        return 0;
    int n = 0, foreign = 0;
    for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 3; j++) {
            unsigned id =
                pm_lcost_country(c, x0 + (x1 - x0) * (i + 0.5) / 7, y0 + (y1 - y0) * (j + 0.5) / 3);
            n++;
            foreign += id != 0 && id != home;
        }
    }
    return (double)foreign / n;
}
