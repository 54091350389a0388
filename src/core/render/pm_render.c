/*
 * pm_render: options, scales, page layout and the scene build sequence (see pm_render.h and
 * pm_render_int.h for the file map).
 *
 * Build order, each step needing only the ones before it: options and drawable places ->
 * classes, width and size scales -> fonts and legend measurement -> page layout (frame, legend,
 * title, credit) -> projection and extent (fitted to the frame's aspect) -> [scales are complete
 * here] -> place positions -> basemap and choropleth rings -> ties -> scale bar -> labels.
 */
#include "pm_render_int.h"

#include <gdal.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_error_adapt.h"
#include "pm_runtime.h"

#define MARGIN_MM 2.0
#define LEGEND_GAP_PT 9.0
#define LEGEND_STRIP_MAX 0.25 /* a legend strip taller than this share of the page is compacted */
#define ADMIN1_MAX_KM 5000.0  /* admin1 borders are drawn only on maps narrower than this */
#define MIN_HALF_M 300000.0   /* half-width of the view round a single place (or coincident ones) */

/* ---- scene: options, places, scales --------------------------------------------------------- */

static pm_status_t check_opts(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    double w = o->width_mm > 0 ? o->width_mm : PM_PAGE_DEFAULT_W_MM;
    double h = o->height_mm > 0 ? o->height_mm : w * 2 / 3;
    double least = o->panel ? 15 : 30;
    if (w < least || w > 1000 || h < least || h > 1000)
        return pm_error_set(err, PM_EUSAGE, "page %gx%g mm is out of range (30 to 1000 mm)", w, h);
    sc->page_w = w * PM_PT_PER_MM;
    sc->page_h = h * PM_PT_PER_MM;
    sc->dpi = o->dpi > 0 ? o->dpi : 300;
    if (sc->dpi < 36 || sc->dpi > 2400)
        return pm_error_set(err, PM_EUSAGE, "dpi %g is out of range (36 to 2400)", sc->dpi);
    if (o->theme != PM_THEME_COLOR && o->theme != PM_THEME_PRINT)
        return pm_error_set(err, PM_EUSAGE, "unknown theme %d", (int)o->theme);
    if (o->palette && !pm_palette_exists(o->palette))
        return pm_error_set(err, PM_EUSAGE, "unknown palette '%s' (use one of %s)", o->palette,
                            pm_palette_names());
    if (o->shared_mask && !o->shared)
        return pm_error_set(err, PM_EUSAGE, "shared scales asked for but none given");
    if ((o->shared_mask & PM_SCALE_EXTENT) &&
        !(o->shared->crs && o->shared->x1 > o->shared->x0 && o->shared->y1 > o->shared->y0))
        return pm_error_set(err, PM_EUSAGE, "the shared extent has no CRS or an empty box");
    sc->font = o->font && *o->font ? o->font : "DejaVu Sans";
    sc->label_pt = o->label_size_pt > 0 ? o->label_size_pt : 6.5;
    return PM_OK;
}

static int drawable(const pm_map_place_t *p)
{
    return p->matched && isfinite(p->lon) && isfinite(p->lat) && fabs(p->lat) <= 90;
}

/* Marks drawable places in place_of (0 = drawable for now) and notes what the data hold. */
static pm_status_t scan_places(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_t *m = sc->map;
    size_t skipped = 0;
    sc->place_of = malloc((m->n_places ? m->n_places : 1) * sizeof *sc->place_of);
    if (!sc->place_of)
        return pm_error_set(err, PM_ENOMEM, "out of memory for %zu places", m->n_places);
    for (size_t i = 0; i < m->n_places; i++) {
        const pm_map_place_t *p = &m->places[i];
        if (!drawable(p)) {
            sc->place_of[i] = (size_t)-1;
            skipped++;
            continue;
        }
        sc->place_of[i] = 0;
        sc->has_fill |= isfinite(p->fill);
        sc->has_size |= p->size > 0;
        sc->has_ring |= p->ring > 0 && isfinite(p->ring);
        sc->has_unstable |= p->unstable && isfinite(p->fill); /* before the legend is measured */
    }
    for (size_t i = 0; i < m->n_places && sc->has_fill; i++)
        if (sc->place_of[i] == 0 && m->places[i].polygon && isnan(m->places[i].fill))
            sc->has_nodata = 1;
    for (size_t i = 0; i < m->n_ties; i++) {
        const pm_map_tie_t *t = &m->ties[i];
        if (t->from >= m->n_places || t->to >= m->n_places)
            return pm_error_set(err, PM_EDATA,
                                "tie %zu refers to place %zu, but there are %zu "
                                "places",
                                i + 1, t->from >= m->n_places ? t->from : t->to, m->n_places);
    }
    if (skipped)
        pm_diag_add(sc->diag, NULL,
                    "%zu places have no location (unmatched or no coordinates) and are not drawn",
                    skipped);
    return PM_OK;
}

static pm_status_t fill_scale(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    const pm_map_t *m = sc->map;
    if (o->shared_mask & PM_SCALE_BREAKS) {
        sc->scales.n_classes = o->shared->n_classes;
        memcpy(sc->scales.breaks, o->shared->breaks, sizeof sc->scales.breaks);
        sc->scales.fill_integer = o->shared->fill_integer;
        return PM_OK;
    }
    double *v = malloc((m->n_places ? m->n_places : 1) * sizeof *v);
    if (!v)
        return pm_error_set(err, PM_ENOMEM, "out of memory for %zu places", m->n_places);
    size_t n = 0;
    for (size_t i = 0; i < m->n_places; i++)
        if (sc->place_of[i] == 0)
            v[n++] = m->places[i].fill;
    if (o->categorical) {
        /* categories 1..k: edges at the half-integers, the last class takes the rest */
        double top = 0;
        for (size_t i = 0; i < n; i++)
            top = isfinite(v[i]) && v[i] > top ? v[i] : top;
        size_t k = top < 1 ? 1 : top > PM_CLASSIFY_MAX ? PM_CLASSIFY_MAX : (size_t)top;
        for (size_t c = 0; c <= k; c++)
            sc->scales.breaks[c] = (double)c + 0.5;
        if (top > (double)k)
            sc->scales.breaks[k] = top + 0.5;
        sc->scales.n_classes = k;
        free(v);
        return PM_OK;
    }
    sc->scales.fill_integer = pm_classify_all_integer(v, n);
    pm_status_t st =
        pm_classify_breaks(v, n, o->classify, o->n_classes ? o->n_classes : 5, o->manual_breaks,
                           o->n_manual_breaks, sc->scales.breaks, &sc->scales.n_classes, err);
    free(v);
    return st;
}

static void width_size_scales(pm_scene_t *sc)
{
    const pm_map_opts_t *o = sc->opts;
    const pm_map_t *m = sc->map;
    pm_map_scales_t *s = &sc->scales;
    double wmm = sc->page_w / PM_PT_PER_MM;
    if (o->shared_mask & PM_SCALE_WIDTH) {
        s->weight_max = o->shared->weight_max;
        s->width_max_pt = o->shared->width_max_pt;
        s->width_min_pt = o->shared->width_min_pt;
    } else {
        s->weight_max = 0;
        double weight_min = INFINITY;
        for (size_t i = 0; i < m->n_ties; i++) {
            const pm_map_tie_t *t = &m->ties[i];
            if (t->from != t->to && isfinite(t->weight) && sc->place_of[t->from] == 0 &&
                sc->place_of[t->to] == 0) {
                s->weight_max = fmax(s->weight_max, t->weight);
                weight_min = fmin(weight_min, t->weight);
            }
        }
        s->width_max_pt = fmin(5, fmax(2.5, wmm / 45));
        /* equal weights carry no information: a plain line, not the widest one */
        if (weight_min == s->weight_max)
            s->width_max_pt = 1.2;
        s->width_min_pt = 0.3;
    }
    if (o->shared_mask & PM_SCALE_SIZE) {
        s->size_max = o->shared->size_max;
        s->radius_max_pt = o->shared->radius_max_pt;
    } else {
        size_t n = 0;
        s->size_max = 0;
        double size_min = INFINITY;
        for (size_t i = 0; i < m->n_places; i++) {
            if (sc->place_of[i] == 0) {
                n++;
                if (m->places[i].size > 0 && isfinite(m->places[i].size)) {
                    s->size_max = fmax(s->size_max, m->places[i].size);
                    size_min = fmin(size_min, m->places[i].size);
                }
                /* a ring is on the circles' scale: the largest of either is drawn radius_max */
                if (m->places[i].ring > 0 && isfinite(m->places[i].ring))
                    s->size_max = fmax(s->size_max, m->places[i].ring);
            }
        }
        /* Many places share the page: smaller circles, so they do not all merge. */
        double r = fmin(8, fmax(4, wmm / 30));
        if (n > 60)
            r = fmax(3, r * sqrt(60.0 / (double)n));
        if (size_min == s->size_max) /* equal sizes: small markers */
            r = fmin(r, 3.5);
        s->radius_max_pt = r;
    }
}

/* The themes' inks, side by side: colour, print (greyscale). Land, "no data" and the classes
 * come from pm_palette.h; paper, halos, casings and the admin and class lines are white in both. */
#define INK(field) offsetof(pm_theme_colors_t, field)
static const struct {
    size_t at;       /* the pm_rgb_t field */
    pm_rgb_t ink[2]; /* colour theme, print theme */
} inks[] = {
    {INK(country_line), {{0.58, 0.565, 0.533}, {0.45, 0.45, 0.45}}},
    {INK(tie), {{0.106, 0.176, 0.31}, {0, 0, 0}}},
    {INK(circle_fill), {{0.106, 0.176, 0.31}, {1, 1, 1}}},
    {INK(circle_line), {{0.106, 0.176, 0.31}, {0, 0, 0}}},
    {INK(dot), {{0.106, 0.176, 0.31}, {0, 0, 0}}},
    {INK(text), {{0.1, 0.1, 0.1}, {0, 0, 0}}},
    {INK(muted), {{0.45, 0.45, 0.45}, {0.35, 0.35, 0.35}}},
    {INK(frame), {{0.3, 0.3, 0.3}, {0.2, 0.2, 0.2}}},
};
#undef INK

static pm_status_t theme_colors(pm_scene_t *sc, pm_error_t *err)
{
    pm_theme_colors_t *c = &sc->col;
    const pm_map_opts_t *o = sc->opts;
    size_t k = sc->scales.n_classes;
    static const pm_rgb_t white = {1, 1, 1};
    int print = o->theme == PM_THEME_PRINT;
    c->paper = c->halo = c->casing = c->admin_line = c->class_line = white;
    c->casing_alpha = 1.0;
    c->circle_alpha = print ? 0.8 : 0.28;
    for (size_t i = 0; i < sizeof inks / sizeof *inks; i++)
        *(pm_rgb_t *)((char *)c + inks[i].at) = inks[i].ink[print];
    if (print) {
        c->land = pm_palette_print_land();
        c->nodata = pm_palette_print_nodata();
        if (o->palette && strncasecmp(o->palette, "Greys", 5) != 0)
            pm_diag_add(sc->diag, NULL, "palette '%s' ignored: the print theme is greyscale",
                        o->palette);
        /* light to mid grey, a clear step below land and "no data" (pm_palette.h) */
        if (k)
            pm_palette_print_classes(k, c->classes);
        return PM_OK;
    }
    c->land = pm_palette_colour_land();
    c->nodata = pm_palette_colour_nodata();
    const char *pal = o->palette ? o->palette : o->categorical ? "okabe-ito" : "YlOrRd";
    /* the lightest class a clear step darker than land and "no data" (pm_palette.h), so that it
     * reads apart from places outside the network in greyscale too */
    pm_rgb_t apart[2] = {c->land, c->nodata};
    return k ? pm_palette_classes_apart(pal, k, apart, 2, c->classes, err) : PM_OK;
}

/* ---- layout --------------------------------------------------------------------------------- */

/* Text of the given size across the page between its margins, wrapped at word boundaries; its
 * height in *h. NULL when out of memory. */
static PangoLayout *page_line(pm_scene_t *sc, const char *text, double size, int bold, double *h)
{
    PangoLayout *l = pm_text_layout(sc, text, size, bold);
    double w;
    if (!l)
        return NULL;
    pango_layout_set_width(l, (int)((sc->page_w - 2 * MARGIN_MM * PM_PT_PER_MM) * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    pm_text_size(sc, l, &w, h);
    return l;
}

static pm_status_t layout_page(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    double m = MARGIN_MM * PM_PT_PER_MM;
    /* the title above the map and the credit line below, each wrapped at word boundaries within
     * the page's margins */
    if (o->title && *o->title &&
        !(sc->title = page_line(sc, o->title, o->panel ? 8 : 9, 1, &sc->title_h)))
        return pm_error_set(err, PM_ENOMEM, "out of memory for the title");
    if (o->credit && *o->credit && !(sc->credit = page_line(sc, o->credit, 6, 0, &sc->credit_h)))
        return pm_error_set(err, PM_ENOMEM, "out of memory for the credit line");
    sc->title_h += sc->title ? 3 : 0;
    sc->credit_h += sc->credit ? 2 : 0;
    pm_status_t st = o->panel ? PM_OK : pm_legend_measure(sc, err);
    if (st)
        return st;
    double inner_w = sc->page_w - 2 * m, inner_h = sc->page_h - 2 * m - sc->title_h - sc->credit_h;
    double rw = 0, rh = 0, bw = 0,
           bh = 0; /* the legend's size on the right, and as a strip below */
    if (!o->panel) {
        pm_legend_size(sc, 0, 0, &rw, &rh);
        pm_legend_size(sc, 1, inner_w, &bw, &bh);
    }
    /* The legend sits right of the map on wide pages when it fits there, else in a strip below. */
    sc->scales.legend_bottom =
        sc->page_w < 120 * PM_PT_PER_MM || rw > 0.38 * inner_w || rh > inner_h;
    /* A strip taking more than a quarter of the page (a single column: it took half) is made
     * compact before the map is shrunk for it: two keys of sizes and widths (the largest and
     * the smallest), classes in two columns, one tie width keyed in the tie styles' title. */
    const pm_map_scales_t *shl = (o->shared_mask & PM_SCALE_LAYOUT) ? o->shared : NULL;
    int bottom = shl ? shl->legend_bottom : sc->scales.legend_bottom;
    if (!o->panel && bottom && bh > LEGEND_STRIP_MAX * inner_h) {
        pm_legend_free(sc);
        sc->legend_compact = 1;
        if ((st = pm_legend_measure(sc, err)))
            return st;
        pm_legend_size(sc, 0, 0, &rw, &rh);
        pm_legend_size(sc, 1, inner_w, &bw, &bh);
    }
    double rgap = rw > 0 ? LEGEND_GAP_PT : 0, bgap = bh > 0 ? LEGEND_GAP_PT : 0;
    sc->scales.frame_w = inner_w - rw - rgap;
    sc->scales.frame_h = inner_h - bh - bgap;
    const pm_map_scales_t *sh = (o->shared_mask & PM_SCALE_LAYOUT) ? o->shared : NULL;
    sc->legend_bottom = sh ? sh->legend_bottom : sc->scales.legend_bottom;
    double lw = sc->legend_bottom ? bw : rw, lh = sc->legend_bottom ? bh : rh;
    double gap = sc->legend_bottom ? bgap : rgap;
    sc->view.fx = m;
    sc->view.fy = m + sc->title_h;
    sc->view.fw = sc->legend_bottom ? inner_w : sc->scales.frame_w;
    sc->view.fh = sc->legend_bottom ? sc->scales.frame_h : inner_h;
    if (sh) {
        /* one frame for all maps: the legend keeps the room left over */
        sc->view.fw = fmin(sc->view.fw, sh->frame_w);
        sc->view.fh = fmin(sc->view.fh, sh->frame_h);
    }
    if (sc->view.fw < (o->panel ? 20 : 40) || sc->view.fh < (o->panel ? 20 : 40))
        return pm_error_set(err, PM_EUSAGE,
                            "the page is too small for the map and its legend (make it larger)");
    sc->lx = sc->legend_bottom ? m : m + sc->view.fw + gap;
    sc->ly = sc->legend_bottom ? sc->view.fy + sc->view.fh + gap : sc->view.fy;
    sc->lw = sc->legend_bottom ? inner_w : lw; /* a strip flows over the whole width */
    sc->lh = lh;
    return PM_OK;
}

/* ---- projection and extent ------------------------------------------------------------------ */

static pm_status_t choose_crs(pm_scene_t *sc, char **crs, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    const pm_map_t *m = sc->map;
    const char *given = (o->shared_mask & PM_SCALE_EXTENT) ? o->shared->crs : o->crs;
    if (given) {
        *crs = strdup(given);
        return *crs ? PM_OK : pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    size_t n = 0, cap = m->n_places + 65;
    double *lon = malloc(cap * sizeof *lon), *lat = malloc(cap * sizeof *lat);
    pm_status_t st = PM_OK;
    if (!lon || !lat) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (o->has_extent) {
        double l1 = o->extent[0], l2 = o->extent[2] < l1 ? o->extent[2] + 360 : o->extent[2];
        for (int i = 0; i <= 32; i++) {
            lon[n] = l1 + (l2 - l1) * i / 32, lat[n++] = o->extent[1];
            lon[n] = l1 + (l2 - l1) * i / 32, lat[n++] = o->extent[3];
        }
    } else {
        for (size_t i = 0; i < m->n_places; i++) {
            if (sc->place_of[i] == 0) {
                lon[n] = m->places[i].lon;
                lat[n++] = m->places[i].lat;
            }
        }
    }
    st = pm_project_auto(lon, lat, n, crs, err);
cleanup:
    free(lon);
    free(lat);
    return st;
}

/* Fits box[4] (projected) into the frame, keeping pad_x / pad_y points free on each side, and
 * sets the view's origin and scale. */
static void fit_view(pm_view_t *v, const double box[4], double pad_x, double pad_y)
{
    double dx = box[2] - box[0], dy = box[3] - box[1];
    double aw = fmax(v->fw - 2 * pad_x, v->fw * 0.4), ah = fmax(v->fh - 2 * pad_y, v->fh * 0.4);
    v->s = fmin(aw / dx, ah / dy);
    double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    v->ux0 = cx - v->fw / 2 / v->s;
    v->uy1 = cy + v->fh / 2 / v->s;
}

/* The projected box of the drawable places and the midpoints of their ties' great circles, and
 * of the choropleth units that reach past it by at most UNIT_REACH of its larger side: a unit
 * reaching farther (Krasnoyarsk Krai to the Arctic on a Russia-Kazakhstan map) is cut at the
 * frame, as in an atlas, rather than shrinking the network into a corner of an empty map. */
#define UNIT_REACH 0.25
static pm_status_t data_box(pm_scene_t *sc, double box[4], pm_error_t *err)
{
    const pm_map_t *m = sc->map;
    size_t n = 0, n_pts = 0, cap = 9 * m->n_places + m->n_ties + 1;
    double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
    pm_status_t st = PM_OK;
    if (!x || !y) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < m->n_places; i++) {
        if (sc->place_of[i] != 0)
            continue;
        x[n_pts] = m->places[i].lon;
        y[n_pts++] = m->places[i].lat;
    }
    for (size_t i = 0; i < m->n_ties; i++) {
        const pm_map_tie_t *t = &m->ties[i];
        if (sc->place_of[t->from] != 0 || sc->place_of[t->to] != 0 || t->from == t->to)
            continue;
        const pm_map_place_t *a = &m->places[t->from], *b = &m->places[t->to];
        const double d = PM_PI / 180;
        double ax = cos(a->lat * d) * cos(a->lon * d), ay = cos(a->lat * d) * sin(a->lon * d);
        double bx = cos(b->lat * d) * cos(b->lon * d), by = cos(b->lat * d) * sin(b->lon * d);
        double mz = sin(a->lat * d) + sin(b->lat * d), mx = ax + bx, my = ay + by;
        if (hypot(hypot(mx, my), mz) < 1e-9)
            continue;
        x[n_pts] = atan2(my, mx) / d;
        y[n_pts++] = atan2(mz, hypot(mx, my)) / d;
    }
    n = n_pts;
    for (size_t i = 0; i < m->n_places; i++) {
        if (sc->place_of[i] != 0)
            continue;
        /* The choropleth units are data too: their envelopes (corners and edge midpoints) are
         * in view as far as UNIT_REACH allows, unless they wrap round the globe (Chukotka spans
         * -180..180 as split). */
        OGREnvelope e;
        if (!m->places[i].polygon || OGR_G_IsEmpty(m->places[i].polygon))
            continue;
        OGR_G_GetEnvelope(m->places[i].polygon, &e);
        if (e.MaxX - e.MinX > 180)
            continue;
        double ex[3] = {e.MinX, (e.MinX + e.MaxX) / 2, e.MaxX};
        double ey[3] = {e.MinY, (e.MinY + e.MaxY) / 2, e.MaxY};
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                if (a != 1 || b != 1)
                    x[n] = ex[a], y[n++] = ey[b];
    }
    st = pm_project_fwd(sc->view.proj, x, y, n, NULL, err);
    if (st)
        goto cleanup;
    pm_project_bbox(x, y, n_pts, box);
    if (!(box[0] <= box[2])) {
        st = pm_error_set(err, PM_EDATA, "no place projects into '%s'",
                          pm_project_crs(sc->view.proj));
        goto cleanup;
    }
    /* each unit's envelope (8 points) in full when it reaches past the box by at most
     * UNIT_REACH of the box's larger side, else not at all (the unit is cut at the frame) */
    double reach = UNIT_REACH * fmax(box[2] - box[0], box[3] - box[1]), in[4];
    memcpy(in, box, sizeof in);
    for (size_t k = n_pts; k + 8 <= n; k += 8) {
        double u[4];
        pm_project_bbox(x + k, y + k, 8, u);
        if (u[0] <= u[2] && u[0] >= in[0] - reach && u[1] >= in[1] - reach &&
            u[2] <= in[2] + reach && u[3] <= in[3] + reach) {
            box[0] = fmin(box[0], u[0]), box[1] = fmin(box[1], u[1]);
            box[2] = fmax(box[2], u[2]), box[3] = fmax(box[3], u[3]);
        }
    }
cleanup:
    free(x);
    free(y);
    return st;
}

/* A world map (or any view reaching past the projection's edge) would leave paper round the
 * globe inside the frame: the frame shrinks, in that dimension, to the world plus the padding. */
static void shrink_to_world(pm_scene_t *sc, const double world[4], double pad_x, double pad_y)
{
    pm_view_t *v = &sc->view;
    double ww = (world[2] - world[0]) * v->s + 2 * pad_x;
    double wh = (world[3] - world[1]) * v->s + 2 * pad_y;
    if (ww < v->fw - 1) {
        double cx = (world[0] + world[2]) / 2;
        v->fw = ww;
        v->ux0 = cx - v->fw / 2 / v->s;
        if (!sc->legend_bottom)
            sc->lx = v->fx + v->fw + (sc->lw > 0 ? LEGEND_GAP_PT : 0);
    }
    if (wh < v->fh - 1) {
        double cy = (world[1] + world[3]) / 2;
        v->fh = wh;
        v->uy1 = cy + v->fh / 2 / v->s;
        if (sc->legend_bottom)
            sc->ly = v->fy + v->fh + (sc->lh > 0 ? LEGEND_GAP_PT : 0);
    }
}

static pm_status_t set_extent(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    pm_view_t *v = &sc->view;
    double box[4] = {0, 0, 0, 0}, world[4], pad_x = 0, pad_y = 0;
    pm_status_t st = pm_project_bounds(v->proj, -180, -90, 180, 90, world, err);
    if (st)
        return st;
    if (o->shared_mask & PM_SCALE_EXTENT) {
        const pm_map_scales_t *s = o->shared;
        box[0] = s->x0, box[1] = s->y0, box[2] = s->x1, box[3] = s->y1;
    } else if (o->has_extent) {
        st = pm_project_bounds(v->proj, o->extent[0], o->extent[1], o->extent[2], o->extent[3], box,
                               err);
        if (st)
            return st;
    } else {
        st = data_box(sc, box, err);
        if (st)
            return st;
        double cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2, upm = 1, lon = cx, lat = cy;
        if (pm_project_inv(v->proj, &lon, &lat, 1, NULL, NULL) == PM_OK && !isnan(lon))
            pm_project_scale_at(v->proj, lon, lat, &upm, NULL);
        double half = MIN_HALF_M * upm;
        double dx = box[2] - box[0], dy = box[3] - box[1];
        /* Room for the bend of the ties and the largest circles and labels at the edge, but
         * nothing beyond the edge of the world. */
        box[0] -= 0.06 * dx, box[2] += 0.06 * dx, box[1] -= 0.06 * dy, box[3] += 0.06 * dy;
        if (box[2] - box[0] < 0.01 * half && box[3] - box[1] < 0.01 * half) {
            box[0] = cx - half, box[2] = cx + half, box[1] = cy - half, box[3] = cy + half;
        }
        box[0] = fmax(box[0], world[0]), box[1] = fmax(box[1], world[1]);
        box[2] = fmin(box[2], world[2]), box[3] = fmin(box[3], world[3]);
        pad_x = sc->scales.radius_max_pt + 22;
        pad_y = sc->scales.radius_max_pt + 8;
    }
    fit_view(v, box, pad_x, pad_y);
    shrink_to_world(sc, world, pad_x, pad_y);
    /* The page height is a maximum: space the map does not need is given back. */
    double bottom = fmax(v->fy + v->fh, sc->ly + sc->lh) + sc->credit_h + MARGIN_MM * PM_PT_PER_MM;
    if (bottom < sc->page_h - 1)
        sc->page_h = ceil(bottom);
    sc->scales.x0 = v->ux0;
    sc->scales.x1 = v->ux0 + v->fw / v->s;
    sc->scales.y0 = v->uy1 - v->fh / v->s;
    sc->scales.y1 = v->uy1;
    return PM_OK;
}

/* A CRS the user chose that splits the places between the map's edges (EPSG:4326 or 3857 for
 * the Bering Strait) draws a map across the whole world with the data at both ends: say so,
 * and what to use instead. */
static void warn_split(pm_scene_t *sc)
{
    const pm_map_t *m = sc->map;
    double *lon = malloc((m->n_places ? m->n_places : 1) * sizeof *lon);
    double lat = 0, west, east;
    size_t n = 0;
    if (!lon)
        return;
    for (size_t i = 0; i < m->n_places; i++)
        if (sc->place_of[i] == 0 && isfinite(m->places[i].lon) && isfinite(m->places[i].lat)) {
            lat += m->places[i].lat;
            lon[n++] = m->places[i].lon;
        }
    if (pm_project_splits(sc->view.proj, lon, n, &west, &east)) {
        double mid = fmod((west + east) / 2 + 540, 360) - 180;
        pm_diag_add(sc->diag, NULL,
                    "--crs '%s' has its edge at longitude %.0f, across the places "
                    "(longitudes %.0f to %.0f): the map splits them between its left and right "
                    "ends; leave out --crs (an equal-area projection centred on the data) or "
                    "centre one on them, e.g. --crs '+proj=laea +lon_0=%.0f +lat_0=%.0f'",
                    pm_project_crs(sc->view.proj), pm_project_cut_lon(sc->view.proj), west,
                    east > 180 ? east - 360 : east, mid, lat / (double)n);
    }
    free(lon);
}

static pm_status_t set_projection(pm_scene_t *sc, pm_error_t *err)
{
    char *crs = NULL;
    pm_status_t st = choose_crs(sc, &crs, err);
    if (st)
        return st;
    st = pm_project_new(crs, &sc->view.proj, err);
    if (st)
        goto cleanup;
    sc->scales.crs = crs;
    crs = NULL;
    double cut = pm_project_cut_lon(sc->view.proj);
    /* Source data are split at +-180 already; only another cut meridian needs cutting. */
    sc->view.cut = fabs(cut) > 179.999999 ? NAN : cut;
    if (sc->opts->crs && !sc->opts->has_extent)
        warn_split(sc);
    st = set_extent(sc, err);
    if (st)
        goto cleanup;
    /* Tolerances: a quarter pixel on the page; in lon/lat, that distance at the centre's scale
     * divided by 1.5, the most an equal-area azimuthal map stretches within a hemisphere (1.41;
     * the degree metric is Chebyshev and ignores cos(lat), which only adds margin). */
    pm_view_t *v = &sc->view;
    double lon = v->ux0 + v->fw / 2 / v->s, lat = v->uy1 - v->fh / 2 / v->s, upm = 1;
    if (pm_project_inv(v->proj, &lon, &lat, 1, NULL, NULL) == PM_OK && !isnan(lon))
        pm_project_scale_at(v->proj, lon, lat, &upm, NULL);
    v->tol_pt = 0.25 * 72 / sc->dpi;
    v->tol_deg = v->tol_pt / (v->s * upm * 111320.0 * 1.5);
cleanup:
    free(crs);
    return st;
}

/* ---- scene: places, geometry ---------------------------------------------------------------- */

static int cmp_place(const void *a, const void *b)
{
    const pm_rplace_t *p = a, *q = b;
    if (p->r != q->r)
        return p->r > q->r ? -1 : 1;
    return (p->idx > q->idx) - (p->idx < q->idx);
}

static pm_status_t build_places(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_t *m = sc->map;
    size_t n = 0, lost = 0;
    sc->places = calloc(m->n_places ? m->n_places : 1, sizeof *sc->places);
    double *x = malloc((m->n_places ? m->n_places : 1) * sizeof *x);
    double *y = malloc((m->n_places ? m->n_places : 1) * sizeof *y);
    pm_status_t st = PM_OK;
    if (!sc->places || !x || !y) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for %zu places", m->n_places);
        goto cleanup;
    }
    for (size_t i = 0; i < m->n_places; i++) {
        if (sc->place_of[i] == 0) {
            x[n] = m->places[i].lon, y[n] = m->places[i].lat;
            sc->places[n++].idx = i;
        }
    }
    st = pm_project_fwd(sc->view.proj, x, y, n, NULL, err);
    if (st)
        goto cleanup;
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        pm_rplace_t p = sc->places[j];
        const pm_map_place_t *mp = &m->places[p.idx];
        if (isnan(x[j])) {
            sc->place_of[p.idx] = (size_t)-1;
            lost++;
            continue;
        }
        p.x = pm_view_x(&sc->view, x[j]);
        p.y = pm_view_y(&sc->view, y[j]);
        p.r = pm_render_circle_radius(&sc->scales, mp->size);
        p.ring = isfinite(mp->ring) ? pm_render_circle_radius(&sc->scales, mp->ring) : 0;
        if (fabs(p.ring - pm_rplace_radius(&p)) < PM_RING_GAP)
            p.ring = 0; /* on the circle's own outline it would only blur it */
        size_t c = mp->polygon
                       ? (size_t)-1
                       : pm_classify_index(sc->scales.breaks, sc->scales.n_classes, mp->fill, NULL);
        p.cls = c == (size_t)-1 ? -1 : (int)c;
        p.hatched = mp->unstable && p.cls >= 0; /* a point place's hatched class circle */
        /* label priority: the metric shown, the circles' when there are circles, else the
         * fill's (not a categorical one: community numbers rank nothing) */
        p.prio = -INFINITY;
        if (isfinite(mp->size))
            p.prio = mp->size;
        else if (!sc->has_size && !sc->opts->categorical && isfinite(mp->fill))
            p.prio = mp->fill;
        sc->places[k++] = p;
    }
    sc->n_places = k;
    qsort(sc->places, k, sizeof *sc->places, cmp_place);
    for (size_t j = 0; j < k; j++)
        sc->place_of[sc->places[j].idx] = j;
    if (lost)
        pm_diag_add(sc->diag, NULL, "%zu places cannot be shown in '%s' and are not drawn", lost,
                    pm_project_crs(sc->view.proj));
cleanup:
    free(x);
    free(y);
    return st;
}

static pm_status_t read_basemap(pm_scene_t *sc, pm_rings_batch_t *b, pm_error_t *err)
{
    const pm_map_basemap_t *bm = &sc->map->basemap;
    pm_status_t st = PM_OK;
    if (!bm->path)
        return PM_OK;
    pm_runtime_gdal_reset();
    GDALDatasetH ds = GDALOpenEx(
        bm->path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    if (!ds)
        return pm_error_set(err,
                            strstr(pm_runtime_gdal_msg(), "out of memory") ? PM_ENOMEM : PM_EIO,
                            "cannot open basemap '%s': %s", bm->path,
                            *pm_runtime_gdal_msg() ? pm_runtime_gdal_msg() : "unknown reason");
    st = pm_rings_read_layer(b, ds, bm->path, bm->countries ? bm->countries : "countries",
                             &sc->land, err);
    if (!st && bm->admin1) {
        const pm_view_t *v = &sc->view;
        double lon = v->ux0 + v->fw / 2 / v->s, lat = v->uy1 - v->fh / 2 / v->s, upm = 0;
        if (pm_project_inv(v->proj, &lon, &lat, 1, NULL, NULL) == PM_OK && !isnan(lon) &&
            pm_project_scale_at(v->proj, lon, lat, &upm, NULL) == PM_OK &&
            v->fw / (v->s * upm) < ADMIN1_MAX_KM * 1000)
            st = pm_rings_read_layer(b, ds, bm->path, bm->admin1, &sc->admin1, err);
    }
    GDALClose(ds);
    return st;
}

/* The basemap of the last map a renderer drew, in page points, with the view it was drawn for
 * (pm_renderer_t: basemap_key, land, admin1). A batch draws many maps with one view (shared extent
 * and page), so the basemap is read, projected and simplified once; the batch draws its first run
 * before forking the others, which inherit it. */
static char *basemap_key(const pm_scene_t *sc)
{
    const pm_map_basemap_t *bm = &sc->map->basemap;
    const pm_view_t *v = &sc->view;
    char buf[2048];
    snprintf(buf, sizeof buf,
             "%s|%s|%s|%s|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g", bm->path,
             bm->countries ? bm->countries : "", bm->admin1 ? bm->admin1 : "",
             pm_project_crs(v->proj), v->cut, v->ux0, v->uy1, v->s, v->fx, v->fy, v->fw, v->fh,
             v->tol_pt, v->tol_deg);
    return strdup(buf);
}

static int rings_copy(pm_rings_t *dst, const pm_rings_t *src)
{
    pm_rings_init(dst);
    if (src->n == 0)
        return 0;
    dst->xy = malloc(src->n * 2 * sizeof *dst->xy);
    dst->skip = malloc(src->n);
    dst->start = malloc((src->n_rings + 1) * sizeof *dst->start);
    if (!dst->xy || !dst->skip || !dst->start) {
        pm_rings_destroy(dst);
        return -1;
    }
    memcpy(dst->xy, src->xy, src->n * 2 * sizeof *dst->xy);
    memcpy(dst->skip, src->skip, src->n);
    memcpy(dst->start, src->start, (src->n_rings + 1) * sizeof *dst->start);
    dst->n = dst->cap = src->n;
    dst->n_rings = src->n_rings;
    dst->cap_rings = src->n_rings + 1;
    return 0;
}

static void basemap_cache_free(pm_renderer_t *r)
{
    free(r->basemap_key);
    pm_rings_destroy(&r->land);
    pm_rings_destroy(&r->admin1);
    r->basemap_key = NULL;
}

/* The scene's basemap rings: from the cache when the view is the same, else read and cached. */
static pm_status_t basemap(pm_scene_t *sc, pm_error_t *err)
{
    if (!sc->map->basemap.path)
        return PM_OK;
    char *key = basemap_key(sc);
    if (!key)
        return pm_error_set(err, PM_ENOMEM, "out of memory drawing the map");
    sc->basemap_key = strdup(key);
    pm_renderer_t *r = sc->rdr;
    if (r && r->basemap_key && !strcmp(r->basemap_key, key)) {
        free(key);
        if (rings_copy(&sc->land, &r->land) || rings_copy(&sc->admin1, &r->admin1))
            return pm_error_set(err, PM_ENOMEM, "out of memory drawing the map");
        return PM_OK;
    }
    pm_rings_batch_t *b = NULL;
    pm_status_t st = pm_rings_batch_new(&sc->view, &b, err);
    if (!st)
        st = read_basemap(sc, b, err);
    if (!st)
        st = pm_rings_batch_flush(b, err);
    pm_rings_batch_free(b);
    if (r && !st && !sc->land.failed && !sc->admin1.failed) {
        basemap_cache_free(r);
        pm_raster_cache_free(&r->raster); /* drawn from the basemap just replaced */
        if (rings_copy(&r->land, &sc->land) || rings_copy(&r->admin1, &sc->admin1))
            basemap_cache_free(r);
        else
            r->basemap_key = key, key = NULL;
    }
    free(key);
    return st;
}

static pm_status_t build_geometry(pm_scene_t *sc, pm_error_t *err)
{
    pm_rings_batch_t *b = NULL;
    const pm_map_t *m = sc->map;
    size_t clamped = 0;
    pm_status_t st = basemap(sc, err);
    if (!st)
        st = pm_rings_batch_new(&sc->view, &b, err);
    if (st)
        return st;
    for (size_t i = 0; i < m->n_places && !st; i++) {
        const pm_map_place_t *p = &m->places[i];
        if (!p->polygon || sc->place_of[i] == (size_t)-1 || !sc->has_fill)
            continue;
        int cl = 0;
        size_t c = pm_classify_index(sc->scales.breaks, sc->scales.n_classes, p->fill, &cl);
        clamped += (size_t)cl;
        st =
            pm_rings_batch_add(b, p->polygon, c == (size_t)-1 ? &sc->nodata : &sc->classes[c], err);
        if (!st && p->unstable && c != (size_t)-1) {
            st = pm_rings_batch_add(b, p->polygon, &sc->unstable, err);
        }
    }
    if (!st)
        st = pm_rings_batch_flush(b, err);
    if (!st) {
        pm_rings_batch_counts(b, &sc->vertices_read, &sc->vertices_kept);
        int failed =
            sc->land.failed || sc->admin1.failed || sc->nodata.failed || sc->unstable.failed;
        for (size_t c = 0; c < PM_CLASSIFY_MAX; c++)
            failed |= sc->classes[c].failed;
        if (failed)
            st = pm_error_set(err, PM_ENOMEM, "out of memory drawing the map");
    }
    if (clamped)
        pm_diag_add(sc->diag, NULL,
                    "%zu fill values lie outside the class breaks and are drawn in the end "
                    "classes",
                    clamped);
    pm_rings_batch_free(b);
    return st;
}

/* ---- the inset (pm_render.h, PM_INSET_*; the rule and placement in pm_render_inset.c) -------- */

#define INSET_MAX_W 0.44    /* the inset's frame is at most this share of the map frame's width */
#define INSET_MAX_H 0.52    /* ... and of its height */
#define INSET_ZOOM_MIN 2.0  /* auto: an inset less than twice the scale does not help */
#define INSET_ZOOM_MAX 12.0 /* a tiny group is shown with this much of its surroundings */
#define INSET_LOC_N 16      /* points per edge of the locator outline */

static int lon_in(double lon, const double b[4])
{
    return b[0] <= b[2] ? lon >= b[0] && lon <= b[2] : lon >= b[0] || lon <= b[2];
}

/* The lon/lat box's outline (INSET_LOC_N points an edge) projected onto the page; *n 0 when no
 * point of it projects. */
static pm_status_t box_outline(const pm_scene_t *sc, const double b[4], double **out, size_t *n,
                               pm_error_t *err)
{
    size_t k = 4 * INSET_LOC_N, m = 0;
    double w = b[0], e = b[2] < b[0] ? b[2] + 360 : b[2];
    double *x = malloc(k * sizeof *x), *y = malloc(k * sizeof *y), *xy = malloc(2 * k * sizeof *xy);
    pm_status_t st = PM_OK;
    if (!x || !y || !xy) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for the inset");
        goto cleanup;
    }
    for (size_t i = 0; i < INSET_LOC_N; i++) {
        double t = (double)i / INSET_LOC_N;
        x[i] = w + (e - w) * t, y[i] = b[1];
        x[INSET_LOC_N + i] = e, y[INSET_LOC_N + i] = b[1] + (b[3] - b[1]) * t;
        x[2 * INSET_LOC_N + i] = e - (e - w) * t, y[2 * INSET_LOC_N + i] = b[3];
        x[3 * INSET_LOC_N + i] = w, y[3 * INSET_LOC_N + i] = b[3] - (b[3] - b[1]) * t;
    }
    for (size_t i = 0; i < k; i++)
        x[i] = x[i] > 180 ? x[i] - 360 : x[i];
    if ((st = pm_project_fwd(sc->view.proj, x, y, k, NULL, err)))
        goto cleanup;
    for (size_t i = 0; i < k; i++)
        if (!isnan(x[i])) {
            xy[2 * m] = pm_view_x(&sc->view, x[i]);
            xy[2 * m + 1] = pm_view_y(&sc->view, y[i]);
            m++;
        }
    *out = xy, *n = m, xy = NULL;
cleanup:
    free(x);
    free(y);
    free(xy);
    return st;
}

/* The lon/lat box of the page rectangle r (sampled along its edges), into b. */
static pm_status_t page_to_box(const pm_scene_t *sc, const double r[4], double b[4],
                               pm_error_t *err)
{
    const pm_view_t *v = &sc->view;
    double x[4 * INSET_LOC_N], y[4 * INSET_LOC_N];
    size_t k = 4 * INSET_LOC_N;
    for (size_t i = 0; i < INSET_LOC_N; i++) {
        double t = (double)i / INSET_LOC_N;
        double px[4] = {r[0] + (r[2] - r[0]) * t, r[2], r[2] - (r[2] - r[0]) * t, r[0]};
        double py[4] = {r[1], r[1] + (r[3] - r[1]) * t, r[3], r[3] - (r[3] - r[1]) * t};
        for (int e = 0; e < 4; e++) {
            x[e * INSET_LOC_N + i] = v->ux0 + (px[e] - v->fx) / v->s;
            y[e * INSET_LOC_N + i] = v->uy1 - (py[e] - v->fy) / v->s;
        }
    }
    pm_status_t st = pm_project_inv(v->proj, x, y, k, NULL, err);
    if (st)
        return st;
    double west, east, s = INFINITY, nn = -INFINITY;
    pm_project_lon_range(x, k, &west, &east);
    for (size_t i = 0; i < k; i++)
        if (!isnan(y[i]))
            s = fmin(s, y[i]), nn = fmax(nn, y[i]);
    if (!(s <= nn))
        return pm_error_set(err, PM_EDATA,
                            "the crowded part of the map does not project back "
                            "to longitudes and latitudes (give --inset W,S,E,N)");
    b[0] = west, b[1] = fmax(s, -90), b[2] = east > 180 ? east - 360 : east, b[3] = fmin(nn, 90);
    return PM_OK;
}

static pm_status_t inset_note(pm_scene_t *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static pm_status_t inset_note(pm_scene_t *sc, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(sc->inset_note);
    sc->inset_note = strdup(buf);
    return PM_OK;
}

/* Decides the inset's box and size into sc->scales (has_inset, inset_box, inset_w, inset_h), from
 * the shared scales, the option's box or the auto rule; needs the places in page points. */
static pm_status_t inset_decide(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    const pm_view_t *v = &sc->view;
    pm_map_scales_t *s = &sc->scales;
    if (o->panel || o->inset == PM_INSET_NONE)
        return PM_OK;
    if (o->shared_mask & PM_SCALE_INSET) {
        s->has_inset = o->shared->has_inset;
        memcpy(s->inset_box, o->shared->inset_box, sizeof s->inset_box);
        s->inset_w = o->shared->inset_w, s->inset_h = o->shared->inset_h;
        if (!s->has_inset && o->inset == PM_INSET_AUTO)
            inset_note(sc, "--inset auto: no inset drawn: none of the maps sharing scales has a "
                           "crowded group of places");
        return PM_OK;
    }
    double r[4], zoom;
    if (o->inset == PM_INSET_BOX) {
        double *xy = NULL;
        size_t n = 0;
        memcpy(s->inset_box, o->inset_box, sizeof s->inset_box);
        pm_status_t st = box_outline(sc, s->inset_box, &xy, &n, err);
        if (st)
            return st;
        r[0] = r[1] = INFINITY, r[2] = r[3] = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            r[0] = fmin(r[0], xy[2 * i]), r[1] = fmin(r[1], xy[2 * i + 1]);
            r[2] = fmax(r[2], xy[2 * i]), r[3] = fmax(r[3], xy[2 * i + 1]);
        }
        free(xy);
        if (!(r[2] > r[0] && r[3] > r[1]) || r[2] < v->fx || r[0] > v->fx + v->fw || r[3] < v->fy ||
            r[1] > v->fy + v->fh)
            return pm_error_set(err, PM_EUSAGE,
                                "--inset %g,%g,%g,%g lies outside the map (give a box of the "
                                "map's area as W,S,E,N in degrees, or --inset auto)",
                                s->inset_box[0], s->inset_box[1], s->inset_box[2], s->inset_box[3]);
        zoom = fmin(INSET_MAX_W * v->fw / (r[2] - r[0]), INSET_MAX_H * v->fh / (r[3] - r[1]));
        if (zoom < 1.2)
            pm_diag_add(sc->diag, NULL,
                        "--inset %g,%g,%g,%g is nearly as large as the map: the inset shows it at "
                        "%.1f times the scale (give a smaller box)",
                        s->inset_box[0], s->inset_box[1], s->inset_box[2], s->inset_box[3], zoom);
    } else {
        char why[256];
        size_t n = pm_inset_find(sc, r, why, sizeof why);
        if (!n) {
            pm_diag_add(sc->diag, NULL, "--inset auto: no inset drawn: %s", why);
            return inset_note(sc, "--inset auto: no inset drawn: %s", why);
        }
        /* room round the group for its labels at the inset's scale, then the scale itself */
        for (int pass = 0; pass < 2; pass++) {
            zoom = fmin(INSET_MAX_W * v->fw / (r[2] - r[0]), INSET_MAX_H * v->fh / (r[3] - r[1]));
            zoom = fmin(zoom, INSET_ZOOM_MAX);
            if (pass == 0) {
                double px = 5 * sc->label_pt / zoom, py = 2 * sc->label_pt / zoom;
                r[0] -= px, r[2] += px, r[1] -= py, r[3] += py;
            }
        }
        if (zoom < INSET_ZOOM_MIN) {
            pm_diag_add(sc->diag, NULL,
                        "--inset auto: no inset drawn: the crowded group of %zu places would be "
                        "enlarged only %.1f times (give a box: --inset W,S,E,N)",
                        n, zoom);
            return inset_note(sc,
                              "--inset auto: no inset drawn: the crowded group of %zu places "
                              "would be enlarged only %.1f times",
                              n, zoom);
        }
        /* a tiny group: the inset shows it with its surroundings, at INSET_ZOOM_MAX */
        double fit = fmin(INSET_MAX_W * v->fw / (r[2] - r[0]), INSET_MAX_H * v->fh / (r[3] - r[1]));
        if (fit > zoom) {
            double cx = (r[0] + r[2]) / 2, cy = (r[1] + r[3]) / 2, k = fit / zoom;
            double hw = (r[2] - r[0]) / 2, hh = (r[3] - r[1]) / 2;
            double g = fmin(k, INSET_MAX_W * v->fw / zoom / (2 * hw)),
                   gh = fmin(k, INSET_MAX_H * v->fh / zoom / (2 * hh));
            r[0] = cx - hw * g, r[2] = cx + hw * g, r[1] = cy - hh * gh, r[3] = cy + hh * gh;
        }
        pm_status_t st = page_to_box(sc, r, s->inset_box, err);
        if (st)
            return st;
    }
    s->has_inset = 1;
    s->inset_w = fmax(40, zoom * (r[2] - r[0]));
    s->inset_h = fmax(40, zoom * (r[3] - r[1]));
    return PM_OK;
}

typedef struct inset_cost {
    pm_lcost_t *c;
} inset_cost_t;

static double cost_ties(void *ctx, double x0, double y0, double x1, double y1)
{
    return pm_lcost_ties(((inset_cost_t *)ctx)->c, x0, y0, x1, y1);
}

static double cost_land(void *ctx, double x0, double y0, double x1, double y1)
{
    return pm_lcost_foreign(((inset_cost_t *)ctx)->c, 0, x0, y0, x1, y1);
}

/* Marks the places in the inset's box and places the inset where it hides least; returns what
 * it covers in *circles, *ties. */
static pm_status_t inset_position(pm_scene_t *sc, pm_inset_t *in, size_t *circles, double *ties,
                                  pm_error_t *err)
{
    const pm_map_scales_t *s = &sc->scales;
    const pm_view_t *v = &sc->view;
    double *c = malloc((sc->n_places ? sc->n_places : 1) * 3 * sizeof *c), boxes[8];
    size_t nc = 0, nb = 0, nboxes = 0;
    inset_cost_t ctx = {NULL};
    pm_status_t st = PM_OK;
    if (!c) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for the inset");
        goto cleanup;
    }
    for (size_t i = 0; i < sc->n_places; i++) {
        pm_rplace_t *p = &sc->places[i];
        const pm_map_place_t *mp = &sc->map->places[p->idx];
        p->inset = mp->lat >= s->inset_box[1] && mp->lat <= s->inset_box[3] &&
                   lon_in(mp->lon, s->inset_box);
        if (p->inset) {
            in->n_places++;
            continue;
        }
        c[3 * nc] = p->x, c[3 * nc + 1] = p->y, c[3 * nc + 2] = pm_rplace_radius(p) + 1;
        nc++;
    }
    memcpy(boxes, in->loc_box, sizeof in->loc_box);
    nboxes = 1;
    if (sc->bar_len > 0)
        memcpy(boxes + 4, sc->bar_box, sizeof sc->bar_box), nboxes = 2;
    if ((st = pm_lcost_new(sc, &ctx.c, err)))
        goto cleanup;
    pm_inset_obstacles_t ob = {c, nc, boxes, nboxes, cost_ties, cost_land, &ctx};
    /* the inset shrinks (to 70 %) before it covers a place or the locator, and before it
     * crosses ties; the largest size that covers neither, else the largest free of places */
    int k = -1;
    double best_f = 0, x = 0, y = 0, t = 0;
    size_t cov = 0;
    for (double f = 1.0; f > 0.65; f -= 0.15) {
        size_t nc_f = 0;
        double t_f = 0, x_f, y_f;
        int k_f = pm_inset_place(&ob, v->fx, v->fy, v->fw, v->fh, s->inset_w * f, s->inset_h * f,
                                 &x_f, &y_f, &nc_f, &nb, &t_f);
        nc_f += nb;
        int better =
            k < 0 || (cov > 0 && nc_f == 0) || (cov == 0 && nc_f == 0 && t > 0 && t_f == 0);
        if (better)
            k = k_f, best_f = f, x = x_f, y = y_f, t = t_f, cov = nc_f;
        if (cov == 0 && t == 0)
            break;
    }
    in->w = s->inset_w * best_f, in->h = s->inset_h * best_f, in->x = x, in->y = y;
    *circles = cov, *ties = t;
    in->zoom *= in->w / s->inset_w;
    in->where = pm_inset_where(k);
cleanup:
    pm_lcost_free(ctx.c);
    free(c);
    return st;
}

/* The box of the inset's locator outline (in->loc). */
static void loc_box_of(pm_inset_t *in)
{
    double *b = in->loc_box;
    b[0] = b[1] = INFINITY, b[2] = b[3] = -INFINITY;
    for (size_t i = 0; i < in->n_loc; i++) {
        b[0] = fmin(b[0], in->loc[2 * i]), b[1] = fmin(b[1], in->loc[2 * i + 1]);
        b[2] = fmax(b[2], in->loc[2 * i]), b[3] = fmax(b[3], in->loc[2 * i + 1]);
    }
}

/* Once the inset's scene is built: the locator outline becomes the outline of what the inset
 * shows (its frame, taken back through its projection onto the main map: wider than the box in
 * one direction, as the frame's shape is not the box's), and the places drawn in the inset only
 * are the ones inside its frame, the ones it labels. A place in the frame but outside the box was
 * drawn and labelled twice before. */
static pm_status_t inset_true_outline(pm_scene_t *sc, pm_inset_t *in, pm_error_t *err)
{
    const pm_scene_t *sub = in->sub;
    const pm_view_t *v = &sub->view;
    size_t k = 4 * INSET_LOC_N, m = 0;
    double *x = malloc(k * sizeof *x), *y = malloc(k * sizeof *y), *xy = malloc(2 * k * sizeof *xy);
    unsigned char *shown = calloc(sc->map->n_places ? sc->map->n_places : 1, 1);
    pm_status_t st = PM_OK;
    if (!x || !y || !xy || !shown) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for the inset");
        goto cleanup;
    }
    for (size_t i = 0; i < INSET_LOC_N; i++) {
        double t = (double)i / INSET_LOC_N;
        double px[4] = {v->fx + v->fw * t, v->fx + v->fw, v->fx + v->fw * (1 - t), v->fx};
        double py[4] = {v->fy, v->fy + v->fh * t, v->fy + v->fh, v->fy + v->fh * (1 - t)};
        for (int e = 0; e < 4; e++) {
            x[e * INSET_LOC_N + i] = v->ux0 + (px[e] - v->fx) / v->s;
            y[e * INSET_LOC_N + i] = v->uy1 - (py[e] - v->fy) / v->s;
        }
    }
    if ((st = pm_project_inv(v->proj, x, y, k, NULL, err)) ||
        (st = pm_project_fwd(sc->view.proj, x, y, k, NULL, err)))
        goto cleanup;
    for (size_t i = 0; i < k; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            xy[2 * m] = pm_view_x(&sc->view, x[i]);
            xy[2 * m + 1] = pm_view_y(&sc->view, y[i]);
            m++;
        }
    if (m < 3)
        goto cleanup; /* the frame does not project back: keep the box's outline */
    free(in->loc);
    in->loc = xy, in->n_loc = m, xy = NULL;
    loc_box_of(in);
    for (size_t i = 0; i < sub->n_places; i++) {
        const pm_rplace_t *q = &sub->places[i];
        if (q->x >= v->fx && q->x <= v->fx + v->fw && q->y >= v->fy && q->y <= v->fy + v->fh)
            shown[q->idx] = 1;
    }
    in->n_places = 0;
    for (size_t i = 0; i < sc->n_places; i++) {
        sc->places[i].inset = shown[sc->places[i].idx];
        in->n_places += (size_t)sc->places[i].inset;
    }
cleanup:
    free(x);
    free(y);
    free(xy);
    free(shown);
    return st;
}

/* The inset of a fully built scene (before its labels): box, outline, places, position, and its
 * own scene, built as a panel at the inset's size with the map's classes, widths and sizes. */
static pm_status_t inset_build(pm_scene_t *sc, pm_error_t *err)
{
    const pm_map_scales_t *s = &sc->scales;
    pm_status_t st = inset_decide(sc, err);
    if (st || !s->has_inset)
        return st;
    pm_inset_t *in = sc->inset = calloc(1, sizeof *in);
    if (!in)
        return pm_error_set(err, PM_ENOMEM, "out of memory for the inset");
    pm_map_scales_init(&in->sub_shared);
    if ((st = box_outline(sc, s->inset_box, &in->loc, &in->n_loc, err)))
        return st;
    loc_box_of(in);
    in->zoom = fmin(s->inset_w / (in->loc_box[2] - in->loc_box[0]),
                    s->inset_h / (in->loc_box[3] - in->loc_box[1]));
    size_t covered = 0;
    double ties = 0;
    if ((st = inset_position(sc, in, &covered, &ties, err)))
        return st;
    const double *b = s->inset_box;
    if (in->n_places == 0)
        pm_diag_add(sc->diag, NULL,
                    "--inset %g,%g,%g,%g holds none of the places: the inset shows "
                    "the area only",
                    b[0], b[1], b[2], b[3]);
    if (covered)
        pm_diag_add(sc->diag, NULL,
                    "the inset covers %zu places or the locator wherever it goes (make the page "
                    "larger, or give a smaller box: --inset W,S,E,N)",
                    covered);
    /* the inset's scene */
    pm_map_opts_t *po = &in->sub_opts;
    *po = *sc->opts;
    po->panel = 1;
    po->title = po->credit = NULL;
    po->inset = PM_INSET_NONE;
    po->crs = NULL; /* the automatic projection of the box: true shapes at the larger scale */
    po->has_extent = 1;
    memcpy(po->extent, b, sizeof po->extent);
    double m = MARGIN_MM * PM_PT_PER_MM;
    po->width_mm = (in->w + 2 * m) / PM_PT_PER_MM;
    po->height_mm = (in->h + 2 * m) / PM_PT_PER_MM;
    if ((st = pm_map_scales_copy(&in->sub_shared, s, err)))
        return st;
    po->shared = &in->sub_shared;
    po->shared_mask = PM_SCALE_BREAKS | PM_SCALE_WIDTH | PM_SCALE_SIZE;
    in->sub = calloc(1, sizeof *in->sub);
    if (!in->sub)
        return pm_error_set(err, PM_ENOMEM, "out of memory for the inset");
    st = pm_scene_build(in->sub, sc->rdr, sc->map, po, NULL, 1, err);
    if (st)
        return st;
    if ((st = inset_true_outline(sc, in, err)))
        return st;
    if (in->loc_box[0] < in->x + in->w + 2 && in->loc_box[2] > in->x - 2 &&
        in->loc_box[1] < in->y + in->h + 2 && in->loc_box[3] > in->y - 2)
        pm_diag_add(sc->diag, NULL,
                    "the inset overlaps its own locator outline (make the page larger, or give "
                    "a smaller box: --inset W,S,E,N)");
    if (in->sub->n_left_out)
        pm_diag_add(sc->diag, NULL,
                    "inset: %zu of %zu place labels left out (no free position near the place): "
                    "%s",
                    in->sub->n_left_out, in->sub->n_labels_tried, in->sub->left_out);
    char dropped[512] = "";
    if (in->sub->n_left_out)
        snprintf(dropped, sizeof dropped, "; %zu of its %zu labels left out: %s",
                 in->sub->n_left_out, in->sub->n_labels_tried, in->sub->left_out);
    return inset_note(sc,
                      "inset: %zu places (%.2f,%.2f,%.2f,%.2f) at %.1f times the map's scale, %s; "
                      "it covers %s%s%s",
                      in->n_places, b[0], b[1], b[2], b[3], in->zoom, in->where,
                      covered ? "places or the locator" : "no place, label or legend",
                      ties > 0  ? " but crosses ties"
                      : covered ? ""
                                : " and no tie",
                      dropped);
}

/* ---- the scene's life ----------------------------------------------------------------------- */

pm_status_t pm_renderer_new(pm_renderer_t **out, pm_error_t *err)
{
    pm_renderer_t *r = calloc(1, sizeof *r);
    if (!r || pthread_mutex_init(&r->text_lock, NULL) != 0) {
        free(r);
        return pm_error_set(err, PM_ENOMEM, "out of memory setting up the renderer");
    }
    pm_rings_init(&r->land);
    pm_rings_init(&r->admin1);
    r->group_mode = 1;
    *out = r;
    return PM_OK;
}

void pm_renderer_free(pm_renderer_t *r)
{
    if (!r)
        return;
    pm_renderer_fonts_end(r);
    free(r->left_out);
    free(r->inset_note);
    free(r->label_check);
    basemap_cache_free(r);
    pm_raster_cache_free(&r->raster);
    pthread_mutex_destroy(&r->text_lock);
    free(r);
}

void pm_renderer_set_phase(pm_renderer_t *r, pm_phase_t phase)
{
    r->phase = phase;
}

size_t pm_renderer_labels_left_out(const pm_renderer_t *r, size_t *tried, const char **names)
{
    if (tried)
        *tried = r->n_labels_tried;
    if (names)
        *names = r->left_out ? r->left_out : "";
    return r->n_left_out;
}

const char *pm_renderer_inset_note(const pm_renderer_t *r)
{
    return r->inset_note ? r->inset_note : "";
}

const char *pm_renderer_label_check(const pm_renderer_t *r)
{
    return r->label_check ? r->label_check : "";
}

void pm_renderer_reuse_basemap(pm_renderer_t *r, int on)
{
    r->reuse_basemap = on;
    if (!on)
        pm_raster_cache_free(&r->raster);
}

void pm_renderer_group_paths(pm_renderer_t *r, int mode)
{
    r->group_mode = mode;
}

int pm_renderer_threads(const pm_renderer_t *r)
{
    return r->fc_started ? 1 : 0;
}

void pm_scene_destroy(pm_scene_t *sc)
{
    if (sc->inset && sc->inset->sub) {
        pm_scene_destroy(sc->inset->sub);
        free(sc->inset->sub);
    }
    pm_inset_free(sc->inset);
    sc->inset = NULL;
    free(sc->inset_note);
    pm_label_check_destroy(&sc->lcheck);
    free(sc->basemap_key);
    pm_scene_drop_drawn(sc);
    pm_legend_free(sc);
    if (sc->title)
        g_object_unref(sc->title);
    if (sc->credit)
        g_object_unref(sc->credit);
    pm_text_free(sc);
    free(sc->places);
    free(sc->place_of);
    pm_project_free(sc->view.proj);
    pm_map_scales_destroy(&sc->scales);
}

/* A step of building a scene, and the timing phase it ends (NULL: none). */
typedef struct scene_step {
    pm_status_t (*run)(pm_scene_t *sc, pm_error_t *err);
    const char *phase;
} scene_step_t;

static pm_status_t run_steps(pm_scene_t *sc, const scene_step_t *step, size_t n,
                             const pm_phase_t *phase, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    for (size_t k = 0; k < n && !st; k++) {
        st = step[k].run(sc, err);
        if (step[k].phase)
            pm_phase_mark(phase, step[k].phase);
    }
    return st;
}

/* Builds the scene up to complete scales (full = 0) or completely (full = 1). */
pm_status_t pm_scene_build(pm_scene_t *sc, pm_renderer_t *rdr, const pm_map_t *map,
                           const pm_map_opts_t *opts, pm_diag_t *diag, int full, pm_error_t *err)
{
    const pm_phase_t *phase = rdr ? &rdr->phase : NULL;
    static const pm_map_opts_t defaults = {.theme = PM_THEME_COLOR,
                                           .classify = PM_CLASSIFY_QUANTILE};
    memset(sc, 0, sizeof *sc);
    sc->rdr = rdr;
    sc->text_lock = rdr ? &rdr->text_lock : NULL;
    sc->map = map;
    sc->opts = opts ? opts : &defaults;
    sc->diag = diag;
    pm_status_t st = check_opts(sc, err);
    if (!st)
        st = scan_places(sc, err);
    if (!st)
        st = fill_scale(sc, err);
    if (!st) {
        sc->has_fill = sc->has_fill && sc->scales.n_classes > 0;
        width_size_scales(sc);
        st = theme_colors(sc, err);
    }
    for (size_t i = 0; i < map->n_ties && !st; i++)
        sc->has_probable |= map->ties[i].style == PM_TIE_PROBABLE;
    static const scene_step_t frame[] = {{pm_text_init, "scene: text init"},
                                         {layout_page, "scene: layout"},
                                         {set_projection, "scene: projection"}};
    static const scene_step_t inset_scales[] = {{build_places, NULL}, {inset_decide, NULL}};
    static const scene_step_t contents[] = {
        {build_places, "scene: places"}, {build_geometry, "scene: geometry"},
        {pm_arcs_build, "scene: ties"},  {pm_scalebar_build, NULL},
        {inset_build, "scene: inset"},   {pm_labels_place, "scene: labels"}};
    if (!st)
        st = run_steps(sc, frame, sizeof frame / sizeof *frame, phase, err);
    /* the inset's box and size are scales too (a batch shares them) */
    if (!st && !full && opts && opts->inset && !opts->panel &&
        !(opts->shared_mask & PM_SCALE_INSET))
        st = run_steps(sc, inset_scales, 2, phase, err);
    if (st || !full)
        return st;
    return run_steps(sc, contents, sizeof contents / sizeof *contents, phase, err);
}

pm_status_t pm_render_compute_scales(const pm_map_t *map, const pm_map_opts_t *opts,
                                     pm_map_scales_t *out, pm_error_t *err)
{
    pm_scene_t sc;
    pm_status_t st = pm_scene_build(&sc, NULL, map, opts, NULL, 0, err);
    if (!st) {
        pm_map_scales_destroy(out);
        *out = sc.scales;
        sc.scales.crs = NULL; /* handed over */
    }
    pm_scene_destroy(&sc);
    return st;
}

static pm_status_t check_outputs(const char *const *outputs, size_t n, pm_error_t *err)
{
    if (n == 0)
        return pm_error_set(err, PM_EUSAGE, "no output file given");
    for (size_t i = 0; i < n; i++) {
        const char *dot = outputs[i] ? strrchr(outputs[i], '.') : NULL;
        if (!dot || (strcasecmp(dot, ".png") != 0 && strcasecmp(dot, ".svg") != 0 &&
                     strcasecmp(dot, ".pdf") != 0))
            return pm_error_set(err, PM_EUSAGE,
                                "cannot tell the format of '%s' (name it .png, .svg or .pdf)",
                                outputs[i] ? outputs[i] : "");
    }
    return PM_OK;
}

/* The label check's line for the --stats notes (pm_renderer_label_check); NULL when the map has
 * no labels (or memory ran out: the note is only left out). */
static char *label_check_note(const pm_scene_t *sc)
{
    const pm_label_check_t *c = &sc->lcheck;
    size_t bad = c->tie_free + c->far + c->foreign + c->anchor + c->twice + c->locator;
    if (!c->placed)
        return NULL;
    pm_buf_t b;
    pm_buf_init(&b);
    if (!bad)
        pm_buf_printf(&b,
                      "label check: %zu labels placed (%zu over a tie, with no free position "
                      "near): none on a tie where a free position was near, none beyond the "
                      "leader-line limit or over another country or place%s",
                      c->placed, c->on_tie,
                      sc->inset ? ", none both on the map and in the inset" : "");
    else
        pm_buf_printf(&b, "label check: %zu labels placed, %zu faulty: %s", c->placed, bad,
                      c->names ? c->names : "");
    char *s = pm_buf_failed(&b) ? NULL : pm_buf_take(&b);
    pm_buf_destroy(&b);
    return s;
}

pm_status_t pm_renderer_draw(pm_renderer_t *r, const pm_map_t *map, const pm_map_opts_t *opts,
                             const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                             pm_error_t *err)
{
    pm_scene_t sc;
    pm_status_t st = check_outputs(outputs, n_outputs, err);
    if (st)
        return st;
    /* one map at a time: the caches, the lock and the drawer thread are this renderer's */
    if (atomic_exchange(&r->busy, 1))
        return pm_error_set(err, PM_EINTERNAL,
                            "a renderer was asked to draw a map while drawing another; give each "
                            "thread its own (pm_renderer_new)");
    pm_renderer_fonts_end(r);
    st = pm_scene_build(&sc, r, map, opts, diag, 1, err);
    pm_phase_mark(&r->phase, "render: scene built");
    if (!st && map->polygons_done)
        map->polygons_done(map->polygons_ctx);
    if (!st)
        st = pm_out_render_all(&sc, outputs, n_outputs, err);
    free(r->left_out);
    r->left_out = st ? NULL : sc.left_out;
    r->n_left_out = st ? 0 : sc.n_left_out;
    r->n_labels_tried = st ? 0 : sc.n_labels_tried;
    if (!st)
        sc.left_out = NULL; /* handed over */
    free(r->inset_note);
    r->inset_note = st ? NULL : sc.inset_note;
    if (!st)
        sc.inset_note = NULL;
    free(r->label_check);
    r->label_check = st ? NULL : label_check_note(&sc);
    pm_scene_destroy(&sc);
    atomic_store(&r->busy, 0);
    return st;
}

pm_status_t pm_render_map(const pm_map_t *map, const pm_map_opts_t *opts,
                          const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                          pm_error_t *err)
{
    pm_renderer_t *r = NULL;
    pm_status_t st = pm_renderer_new(&r, err);
    if (!st)
        st = pm_renderer_draw(r, map, opts, outputs, n_outputs, diag, err);
    pm_renderer_free(r);
    return st;
}
