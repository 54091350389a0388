/*
 * pm_render_facet: small multiples (see pm_render_facet.h). A figure is a "master" scene, built
 * over all panels' places and ties together (its legend, title, credit and the page), plus one
 * scene per panel built with the master's shared scales at the size of a grid cell
 * (pm_map_opts_t.panel: no legend). The master scene's figure_draw hook draws the panels into
 * their cells, then the legend, the key of the two tie tones and the credit; the master is then
 * written by the renderer's own output code (pm_out_render_all), so the PNG, SVG and PDF carry the
 * same metadata and are committed the same way as a single map's.
 *
 * Calls point down: this file -> pm_render.c (pm_scene_build) -> pm_render_out.c and the layer
 * files. It changes no layer's internals: the panels' layers are drawn by pm_scene_draw.
 */
#define _POSIX_C_SOURCE 200809L
#include "pm_render_facet.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_render_int.h"

#define MARGIN_PT (2.0 * PM_PT_PER_MM)
#define PANEL_TITLE_PT 14.0  /* the panel title's height (9 pt bold + 3), for planning the grid */
#define KEY_PT 6.5           /* the key's text, as the legend's rows */
#define KEY_LINE_PT 16.0     /* length of a tie sample in the key */
#define SMALL_PANEL_MM 100.0 /* panels narrower than this leave out the regions' borders */
enum { KEY_NEW, KEY_CONTINUING, KEY_ABSENT, KEY_NOTE, KEY_EMPTY, KEY_N };

void pm_facet_opts_init(pm_facet_opts_t *o)
{
    memset(o, 0, sizeof *o);
}

typedef struct facet {
    const pm_facet_panel_t *panels;
    const pm_facet_opts_t *fo;
    size_t n, cols, rows;
    pm_scene_t *sc;        /* one per panel */
    int *empty;            /* per panel: no place drawn */
    double cell_w, cell_h; /* points */
    double grid_x, grid_y; /* top left of the grid */
    double legend_y;       /* top of the legend strip */
    double key_y, key_h;   /* the key of the tie tones, under the legend */
    PangoLayout *key[5];   /* new, continuing, absent, note, empty (KEY_*) */
    pm_map_opts_t *popts;  /* per panel: its options (its scene points to them) */
    pm_map_t empty_map;    /* the map of an empty panel: the basemap only */
    pm_map_t *maps;        /* per panel: its map as drawn (the basemap's regions left out of
                              small panels, where their borders are clutter) */
    int has_faded;
} facet_t;

/* ---- the panels' union, for the shared scales and the legend ------------------------------ */

static pm_status_t union_map(const pm_facet_panel_t *panels, size_t n, pm_map_t *all,
                             pm_map_place_t **places, pm_map_tie_t **ties, pm_error_t *err)
{
    size_t np = 0, nt = 0;
    memset(all, 0, sizeof *all);
    for (size_t i = 0; i < n; i++)
        if (panels[i].map) {
            np += panels[i].map->n_places;
            nt += panels[i].map->n_ties;
        }
    *places = calloc(np ? np : 1, sizeof **places);
    *ties = calloc(nt ? nt : 1, sizeof **ties);
    if (!*places || !*ties)
        return pm_error_set(err, PM_ENOMEM, "out of memory for %zu places", np);
    size_t p = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        const pm_map_t *m = panels[i].map;
        if (!m)
            continue;
        if (!all->basemap.path && m->basemap.path) {
            all->basemap = m->basemap;
            all->directed = m->directed;
        }
        if (m->n_places) /* an empty panel's places may be NULL */
            memcpy(*places + p, m->places, m->n_places * sizeof **places);
        for (size_t k = 0; k < m->n_ties; k++) {
            (*ties)[t + k] = m->ties[k];
            (*ties)[t + k].from += p;
            (*ties)[t + k].to += p;
        }
        p += m->n_places;
        t += m->n_ties;
    }
    all->places = *places;
    all->n_places = np;
    all->ties = *ties;
    all->n_ties = nt;
    return PM_OK;
}

/* ---- the grid ---------------------------------------------------------------------------------
 */

/* The width / height of the data's extent in the renderer's projection: the extent fitted to a
 * very wide frame spans the data's height, to a very tall one its width. */
static pm_status_t data_aspect(const pm_map_t *all, const pm_map_opts_t *po, double *aspect,
                               pm_error_t *err)
{
    pm_map_opts_t o = *po;
    pm_map_scales_t wide, tall;
    pm_map_scales_init(&wide);
    pm_map_scales_init(&tall);
    o.width_mm = 400, o.height_mm = 100;
    pm_status_t st = pm_render_compute_scales(all, &o, &wide, err);
    o.width_mm = 100, o.height_mm = 400;
    if (!st)
        st = pm_render_compute_scales(all, &o, &tall, err);
    if (!st) {
        double w = tall.x1 - tall.x0, h = wide.y1 - wide.y0;
        *aspect = w > 0 && h > 0 ? fmin(4.0, fmax(0.25, w / h)) : 1.0;
    }
    pm_map_scales_destroy(&wide);
    pm_map_scales_destroy(&tall);
    return st;
}

/* The frame area of panels in c columns on a page_w wide grid at most avail_h high. */
static double cell_for(size_t n, size_t c, double page_w, double avail_h, double aspect, double *cw,
                       double *ch)
{
    size_t rows = (n + c - 1) / c;
    double fw = page_w / (double)c - 2 * MARGIN_PT, fh = fw / aspect;
    double need = (double)rows * (fh + 2 * MARGIN_PT + PANEL_TITLE_PT);
    if (need > avail_h) {
        fh = avail_h / (double)rows - 2 * MARGIN_PT - PANEL_TITLE_PT;
        fw = fh * aspect;
    }
    *cw = fw + 2 * MARGIN_PT;
    *ch = fh + 2 * MARGIN_PT + PANEL_TITLE_PT;
    return fw > 0 && fh > 0 ? fw * fh : 0;
}

/* ---- drawing ----------------------------------------------------------------------------------
 */

static void key_sample(cairo_t *cr, double x, double y, pm_rgb_t c, double w)
{
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_set_line_width(cr, w);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + KEY_LINE_PT, y);
    cairo_stroke(cr);
}

/* The key under the legend, in a flow that wraps at the page's edge: the two tie tones (when
 * some tie is faded), the note on absent places, the caller's note. Draws when cr is not NULL;
 * returns the key's height. */
static double flow_key(cairo_t *cr, const pm_scene_t *m, const facet_t *f)
{
    double x = MARGIN_PT, y = f->key_y, w, h, line_h = 0;
    double lw = m->scales.weight_max > 0
                    ? fmin(2.0, fmax(1.0, pm_render_tie_width(&m->scales, m->scales.weight_max)))
                    : 1.2;
    for (int k = KEY_NEW; k <= KEY_NOTE; k++) {
        int sample = k == KEY_NEW || k == KEY_CONTINUING;
        if (!f->key[k] || (sample && !f->has_faded))
            continue;
        pm_text_size(m, f->key[k], &w, &h);
        double item = (sample ? KEY_LINE_PT + 3 : 0) + w;
        if (x > MARGIN_PT && x + item > m->page_w - MARGIN_PT) {
            x = MARGIN_PT;
            y += line_h + 2;
            line_h = 0;
        }
        line_h = fmax(line_h, h);
        if (cr && sample)
            key_sample(cr, x, y + h / 2, k == KEY_NEW ? m->col.tie : pm_arcs_faded_color(m), lw);
        if (cr)
            pm_text_draw(m, cr, f->key[k], x + (sample ? KEY_LINE_PT + 3 : 0), y,
                         sample ? m->col.text : m->col.muted, 0, m->col.halo);
        x += item + 10;
    }
    return y + line_h - f->key_y;
}

static cairo_status_t draw_panel(cairo_t *cr, const facet_t *f, size_t i)
{
    const pm_scene_t *p = &f->sc[i];
    double x = f->grid_x + (double)(i % f->cols) * f->cell_w,
           y = f->grid_y + (double)(i / f->cols) * f->cell_h;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, f->cell_w, f->cell_h);
    cairo_clip(cr);
    cairo_status_t cs = pm_scene_draw(cr, p);
    if (!cs && f->empty[i]) {
        double w, h;
        const pm_view_t *v = &p->view;
        pm_text_size(p, f->key[KEY_EMPTY], &w, &h);
        pm_text_draw(p, cr, f->key[KEY_EMPTY], v->fx + (v->fw - w) / 2, v->fy + (v->fh - h) / 2,
                     p->col.muted, 1.5, p->col.halo);
    }
    cairo_restore(cr);
    return cs ? cs : cairo_status(cr);
}

static cairo_status_t draw_figure(cairo_t *cr, const pm_scene_t *m)
{
    const facet_t *f = m->figure_ctx;
    cairo_save(cr);
    cairo_set_source_rgb(cr, m->col.paper.r, m->col.paper.g, m->col.paper.b);
    cairo_paint(cr);
    if (m->title)
        pm_text_draw(m, cr, m->title, MARGIN_PT, MARGIN_PT, m->col.text, 0, m->col.halo);
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    for (size_t i = 0; i < f->n && !cs; i++)
        cs = draw_panel(cr, f, i);
    if (!cs) {
        cairo_save(cr);
        cairo_translate(cr, MARGIN_PT - m->lx, f->legend_y - m->ly);
        pm_legend_draw(cr, m);
        cairo_restore(cr);
        flow_key(cr, m, f);
        if (m->credit)
            pm_text_draw(m, cr, m->credit, MARGIN_PT, f->key_y + f->key_h + 3, m->col.muted, 0,
                         m->col.halo);
    }
    cairo_restore(cr);
    return cs ? cs : cairo_status(cr);
}

/* ---- the figure -------------------------------------------------------------------------------
 */

static pm_status_t check_outputs(const char *const *outputs, size_t n, pm_error_t *err)
{
    if (n == 0)
        return pm_error_set(err, PM_EUSAGE, "no output file given");
    for (size_t i = 0; i < n; i++) {
        const char *dot = outputs[i] ? strrchr(outputs[i], '.') : NULL;
        if (!dot || (strcasecmp(dot, ".png") && strcasecmp(dot, ".svg") && strcasecmp(dot, ".pdf")))
            return pm_error_set(err, PM_EUSAGE,
                                "cannot tell the format of '%s' (name it .png, .svg or .pdf)",
                                outputs[i] ? outputs[i] : "");
    }
    return PM_OK;
}

static pm_status_t key_layouts(pm_scene_t *m, facet_t *f, pm_error_t *err)
{
    const pm_facet_opts_t *fo = f->fo;
    const char *text[KEY_N] = {fo->text_new ? fo->text_new : "new in the period",
                               fo->text_continuing ? fo->text_continuing : "continuing from before",
                               fo->text_absent ? fo->text_absent
                                               : "places without ties in a period are not drawn",
                               fo->note, fo->text_empty ? fo->text_empty : "no ties"};
    for (int k = 0; k < KEY_N; k++) {
        if (!text[k] || !*text[k])
            continue;
        f->key[k] = pm_text_layout(m, text[k], KEY_PT, 0);
        if (!f->key[k])
            return pm_error_set(err, PM_ENOMEM, "out of memory for the legend");
    }
    f->key_h = flow_key(NULL, m, f);
    return PM_OK;
}

/* A batch's scales (opts->shared: the parts its mask names) in place of the panels' own, so a
 * figure of small multiples compares with the batch's other maps: extent, class breaks, tie
 * widths and circle sizes; the layout stays the figure's. */
static pm_status_t take_batch_scales(const pm_map_opts_t *opts, pm_map_scales_t *s, pm_error_t *err)
{
    const pm_map_scales_t *b = opts->shared;
    unsigned mask = opts->shared_mask;
    if (!b)
        return PM_OK;
    if ((mask & PM_SCALE_EXTENT) && b->crs) {
        char *crs = strdup(b->crs);
        if (!crs)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        free(s->crs);
        s->crs = crs;
        s->x0 = b->x0, s->y0 = b->y0, s->x1 = b->x1, s->y1 = b->y1;
    }
    if (mask & PM_SCALE_BREAKS) {
        s->n_classes = b->n_classes;
        memcpy(s->breaks, b->breaks, sizeof s->breaks);
        s->fill_integer = b->fill_integer;
    }
    if (mask & PM_SCALE_WIDTH)
        s->weight_max = b->weight_max, s->width_max_pt = b->width_max_pt,
        s->width_min_pt = b->width_min_pt;
    if (mask & PM_SCALE_SIZE)
        s->size_max = b->size_max, s->radius_max_pt = b->radius_max_pt;
    return PM_OK;
}

/* Plans the grid: the master scene (legend, title, credit over the page's width) first, then
 * the cells in the room left. */
static pm_status_t plan(pm_renderer_t *r, const pm_map_t *all, const pm_map_opts_t *opts,
                        pm_map_opts_t *mopts, pm_map_scales_t *mshared, pm_map_opts_t *popts,
                        pm_map_scales_t *scales, pm_scene_t *m, facet_t *f, pm_diag_t *diag,
                        pm_error_t *err)
{
    double page_w = (opts->width_mm > 0 ? opts->width_mm : PM_PAGE_DEFAULT_W_MM) * PM_PT_PER_MM;
    double page_h = (opts->height_mm > 0 ? opts->height_mm : PM_FACET_DEFAULT_H_MM) * PM_PT_PER_MM;
    double aspect = 1;
    /* the panels' options: a cell each, no legend, no credit; labels a little smaller */
    *popts = *opts;
    popts->panel = 1;
    popts->credit = NULL;
    popts->title = f->panels[0].title; /* a panel's title: one line, as every panel's */
    popts->shared = NULL;
    popts->shared_mask = 0;
    popts->has_extent = opts->has_extent;
    pm_status_t st = data_aspect(all, popts, &aspect, err);
    if (st)
        return st;
    if (opts->shared && (opts->shared_mask & PM_SCALE_EXTENT) && opts->shared->crs &&
        opts->shared->y1 > opts->shared->y0) /* the batch's extent: its shape */
        aspect = fmin(4.0, fmax(0.25, (opts->shared->x1 - opts->shared->x0) /
                                          (opts->shared->y1 - opts->shared->y0)));
    /* the master: the page's width, room for anything; its layout is the legend's strip */
    *mopts = *opts;
    mopts->inset = PM_INSET_NONE; /* panels have no inset (pm_render_facet says so) */
    mopts->height_mm = 1000;
    mshared->legend_bottom = 1; /* the legend is a strip under the grid */
    mshared->frame_w = mshared->frame_h = 1e6;
    mopts->shared = mshared;
    mopts->shared_mask = PM_SCALE_LAYOUT;
    st = pm_scene_build(m, r, all, mopts, diag, 0, err);
    if (st)
        return st;
    for (size_t i = 0; i < all->n_ties && !f->has_faded; i++)
        f->has_faded = all->ties[i].faded != 0;
    if ((st = key_layouts(m, f, err)))
        return st;
    double lh = m->lh; /* the legend as a strip under the grid */
    double top = MARGIN_PT + m->title_h;
    double below =
        (lh > 0 ? 6 + lh : 0) + 4 + f->key_h + (m->credit ? m->credit_h + 3 : 0) + MARGIN_PT;
    double avail = page_h - top - below;
    size_t best = f->cols;
    double cw = 0, ch = 0, best_area = -1;
    for (size_t c = f->cols ? f->cols : 1; c <= (f->cols ? f->cols : f->n); c++) {
        double w, h, a = cell_for(f->n, c, page_w, avail, aspect, &w, &h);
        if (a > best_area * 1.02) { /* fewer columns unless more are clearly better */
            best_area = a, best = c, cw = w, ch = h;
        }
    }
    if (best_area <= 0 || ch - 2 * MARGIN_PT - PANEL_TITLE_PT < 20 || cw - 2 * MARGIN_PT < 20)
        return pm_error_set(err, PM_EUSAGE,
                            "the page is too small for %zu panels and the legend (make it "
                            "larger with --page, or use fewer periods)",
                            f->n);
    f->cols = best;
    f->rows = (f->n + best - 1) / best;
    /* cells of the data's shape */
    f->cell_w = cw;
    f->cell_h = ch;
    f->grid_x = 0; /* left, with the title and the legend */
    f->grid_y = top;
    f->legend_y = top + (double)f->rows * f->cell_h + 6;
    f->key_y = f->legend_y + (lh > 0 ? lh + 4 : 0);
    popts->width_mm = f->cell_w / PM_PT_PER_MM;
    popts->height_mm = f->cell_h / PM_PT_PER_MM;
    if (!(opts->label_size_pt > 0) && f->cell_w < 80 * PM_PT_PER_MM)
        popts->label_size_pt = f->cell_w < 50 * PM_PT_PER_MM ? 5 : 5.5;
    /* the shared scales: every panel's places and ties together, at a cell's size */
    st = pm_render_compute_scales(all, popts, scales, err);
    if (!st)
        st = take_batch_scales(opts, scales, err);
    if (st)
        return st;
    popts->shared = scales;
    popts->shared_mask = PM_SCALE_EXTENT | PM_SCALE_BREAKS | PM_SCALE_WIDTH | PM_SCALE_SIZE;
    /* the master again, with the shared scales: its legend tells the panels' widths and sizes */
    pm_scene_destroy(m);
    for (int k = 0; k < KEY_N; k++)
        if (f->key[k])
            g_object_unref(f->key[k]), f->key[k] = NULL;
    pm_map_scales_destroy(mshared);
    st = pm_map_scales_copy(mshared, scales, err);
    if (st)
        return st;
    mshared->legend_bottom = 1;
    mshared->frame_w = mshared->frame_h = 1e6;
    mopts->shared = mshared;
    mopts->shared_mask = PM_SCALE_ALL & ~PM_SCALE_EXTENT;
    st = pm_scene_build(m, r, all, mopts, diag, 0, err);
    if (!st)
        st = key_layouts(m, f, err);
    if (!st) {
        f->key_y = f->legend_y + (m->lh > 0 ? m->lh + 4 : 0);
        m->page_h = ceil(f->key_y + f->key_h + (m->credit ? m->credit_h + 3 : 0) + MARGIN_PT);
    }
    return st;
}

static pm_status_t build_panels(pm_renderer_t *r, const pm_map_t *all, const pm_map_opts_t *popts,
                                facet_t *f, pm_diag_t *diag, pm_error_t *err)
{
    pm_map_opts_t *o = f->popts = calloc(f->n, sizeof *o);
    f->maps = calloc(f->n, sizeof *f->maps);
    if (!o || !f->maps)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    pm_status_t st = PM_OK;
    memset(&f->empty_map, 0, sizeof f->empty_map);
    f->empty_map.basemap = all->basemap;
    for (size_t i = 0; i < f->n && !st; i++) {
        const pm_map_t *pm = f->panels[i].map;
        if (!pm || pm->n_places == 0)
            pm = &f->empty_map;
        f->maps[i] = *pm;
        if (f->cell_w < SMALL_PANEL_MM * PM_PT_PER_MM)
            f->maps[i].basemap.admin1 = NULL;
        pm = &f->maps[i];
        o[i] = *popts;
        o[i].title = f->panels[i].title;
        /* a panel's warnings (labels left out) name its period */
        pm_diag_t pd;
        pm_diag_init(&pd);
        st = pm_scene_build(&f->sc[i], r, pm, &o[i], diag ? &pd : NULL, 1, err);
        for (size_t k = 0; k < pd.n; k++)
            pm_diag_add(diag, pd.items[k].where[0] ? pd.items[k].where : NULL, "%s: %s",
                        o[i].title ? o[i].title : "a panel", pd.items[k].msg);
        pm_diag_destroy(&pd);
        if (!st) {
            f->empty[i] = f->sc[i].n_places == 0;
            if (i > 0)
                f->sc[i].bar_len = 0; /* one scale bar for the figure: in the first panel */
        }
    }
    return st;
}

pm_status_t pm_render_facet(pm_renderer_t *r, const pm_facet_panel_t *panels, size_t n,
                            const pm_map_opts_t *opts, const pm_facet_opts_t *fo,
                            const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                            pm_error_t *err)
{
    static const pm_map_opts_t defaults = {.theme = PM_THEME_COLOR,
                                           .classify = PM_CLASSIFY_QUANTILE};
    pm_facet_opts_t fdef;
    pm_facet_opts_init(&fdef);
    opts = opts ? opts : &defaults;
    fo = fo ? fo : &fdef;
    if (n == 0 || n > PM_FACET_MAX_PANELS)
        return pm_error_set(err, PM_EUSAGE, "%zu panels: a figure holds 1 to %d", n,
                            PM_FACET_MAX_PANELS);
    if (fo->cols > n)
        return pm_error_set(err, PM_EUSAGE, "%zu columns for %zu panels: give at most %zu",
                            fo->cols, n, n);
    pm_status_t st = check_outputs(outputs, n_outputs, err);
    if (st)
        return st;
    if (atomic_exchange(&r->busy, 1))
        return pm_error_set(err, PM_EINTERNAL,
                            "a renderer was asked to draw a figure while drawing another");
    pm_renderer_fonts_end(r);
    facet_t f;
    memset(&f, 0, sizeof f);
    f.panels = panels;
    f.fo = fo;
    f.n = n;
    f.cols = fo->cols;
    pm_map_t all;
    pm_map_place_t *places = NULL;
    pm_map_tie_t *ties = NULL;
    pm_scene_t m;
    memset(&m, 0, sizeof m);
    pm_map_opts_t mopts, popts;
    pm_map_scales_t scales, mshared;
    pm_map_scales_init(&scales);
    pm_map_scales_init(&mshared);
    f.sc = calloc(n, sizeof *f.sc);
    f.empty = calloc(n, sizeof *f.empty);
    if (!f.sc || !f.empty) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((st = union_map(panels, n, &all, &places, &ties, err)))
        goto cleanup;
    if (opts->inset != PM_INSET_NONE)
        pm_diag_add(diag, NULL,
                    "--inset is not drawn in small multiples: their panels are "
                    "small already (draw the period of interest with map --inset)");
    st = plan(r, &all, opts, &mopts, &mshared, &popts, &scales, &m, &f, diag, err);
    if (!st)
        st = build_panels(r, &all, &popts, &f, diag, err);
    if (!st) {
        m.figure_draw = draw_figure;
        m.figure_ctx = &f;
        st = pm_out_render_all(&m, outputs, n_outputs, err);
    }
cleanup:
    for (int k = 0; k < KEY_N; k++)
        if (f.key[k])
            g_object_unref(f.key[k]);
    for (size_t i = 0; f.sc && i < n; i++)
        pm_scene_destroy(&f.sc[i]);
    pm_scene_destroy(&m);
    pm_map_scales_destroy(&scales);
    pm_map_scales_destroy(&mshared);
    free(f.sc);
    free(f.empty);
    free(f.popts);
    free(f.maps);
    free(places);
    free(ties);
    atomic_store(&r->busy, 0);
    return st;
}
