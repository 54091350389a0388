/*
 * pm_render_out: draws a built scene onto cairo surfaces and writes the files.
 *
 * Every surface gets the same drawing in points: SVG and PDF surfaces are sized in points, the PNG
 * image surface in pixels with the context scaled by dpi / 72. Each output is written, as cairo
 * produces it, to a temporary file beside its destination; only when all succeeded are they
 * renamed into place, so a failed run leaves no partial or mixed set of figures. (A dense SVG is
 * tens of MB: it is never held in memory whole.)
 *
 * Metadata and reproducibility:
 *   (every text passes through pm_redact: a password on the command line is not recorded)
 *   PDF  title, creator (program and version), subject (command line); no creation date (cairo
 *        1.16 writes the current time unless CREATE_DATE is set; an empty value leaves it out).
 *   SVG  cairo has no metadata call: a <title> and an RDF <metadata> block are inserted after the
 *        <svg> tag, and the ids cairo numbers with process-wide counters ("surface12") are
 *        renumbered in order of appearance, so a file does not depend on what was drawn before
 *        it in the same process.
 *   PNG  written here (see png_encode) with pHYs (the dpi), tEXt Software, iTXt Title and
 *        Description chunks.
 */
#include "pm_render_int.h"
#include "pm_report.h" /* pm_text_escaped */

#include <cairo-pdf.h>
#include <cpl_conv.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pm_io.h"
#include "pm_redact.h"
#include "pm_runtime.h"

typedef enum { FMT_PNG, FMT_SVG, FMT_PDF } fmt_t;

/* ---- the drawing ---------------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, pm_rgb_t c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void fill_rings(cairo_t *cr, const pm_rings_t *r, pm_rgb_t c)
{
    if (r->n_rings == 0)
        return;
    pm_rings_path(cr, r);
    set_rgb(cr, c);
    cairo_fill(cr);
}

static void stroke_rings(cairo_t *cr, const pm_rings_t *r, pm_rgb_t c, double w)
{
    if (r->n_rings == 0)
        return;
    pm_rings_outline_path(cr, r);
    set_rgb(cr, c);
    cairo_set_line_width(cr, w);
    cairo_stroke(cr);
}

/* Rasterised basemap layers kept between PNGs of the same view (pm_renderer_reuse_basemap, held
 * in the renderer): painted in the order they would be drawn, so the picture is the same. */
void pm_raster_cache_free(pm_raster_cache_t *c)
{
    free(c->key);
    if (c->land)
        cairo_surface_destroy(c->land);
    if (c->admin)
        cairo_surface_destroy(c->admin);
    if (c->country)
        cairo_surface_destroy(c->country);
    memset(c, 0, sizeof *c);
}

static void area_style(cairo_t *cr)
{
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
}

static void stroke_rings(cairo_t *cr, const pm_rings_t *r, pm_rgb_t c, double w);
static void fill_rings(cairo_t *cr, const pm_rings_t *r, pm_rgb_t c);

/* One layer on a new transparent image the size of the target, in the target's coordinates. */
static cairo_surface_t *raster_layer(cairo_t *target, const pm_scene_t *sc, int which)
{
    cairo_surface_t *t = cairo_get_target(target);
    int w = cairo_image_surface_get_width(t), h = cairo_image_surface_get_height(t);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, sc->raster_k, sc->raster_k);
    const pm_view_t *v = &sc->view;
    cairo_rectangle(cr, v->fx, v->fy, v->fw, v->fh);
    cairo_clip(cr);
    area_style(cr);
    if (which == 0)
        fill_rings(cr, &sc->land, sc->col.land);
    else if (which == 1)
        stroke_rings(cr, &sc->admin1, sc->col.admin_line, 0.3);
    else
        stroke_rings(cr, &sc->land, sc->col.country_line, 0.45);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (cairo_surface_status(s)) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* The renderer's cached layers for this scene on an image target, built when missing; 1 when they
 * are there to paint. */
static int raster_ready(cairo_t *cr, const pm_scene_t *sc)
{
    if (!sc->rdr || !sc->rdr->reuse_basemap || sc->raster_k <= 0 || !sc->basemap_key ||
        cairo_surface_get_type(cairo_get_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE)
        return 0;
    cairo_surface_t *t = cairo_get_target(cr);
    char key[2400];
    snprintf(key, sizeof key, "%s|%.17g|%d|%d|%.6f %.6f %.6f|%.6f %.6f %.6f|%.6f %.6f %.6f",
             sc->basemap_key, sc->raster_k, cairo_image_surface_get_width(t),
             cairo_image_surface_get_height(t), sc->col.land.r, sc->col.land.g, sc->col.land.b,
             sc->col.admin_line.r, sc->col.admin_line.g, sc->col.admin_line.b,
             sc->col.country_line.r, sc->col.country_line.g, sc->col.country_line.b);
    pm_raster_cache_t *c = &sc->rdr->raster;
    if (c->key && !strcmp(c->key, key))
        return 1;
    pm_raster_cache_free(c);
    c->land = raster_layer(cr, sc, 0);
    c->admin = raster_layer(cr, sc, 1);
    c->country = raster_layer(cr, sc, 2);
    c->key = strdup(key);
    if (!c->land || !c->admin || !c->country || !c->key) {
        pm_raster_cache_free(c);
        return 0;
    }
    return 1;
}

static void paint_layer(cairo_t *cr, cairo_surface_t *s)
{
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
}

#define RING_LINE_PT 0.7 /* an uncertainty ring's outline */

/* The polygons of unstable places: hatched over their class colour, with a firmer outline. */
static void draw_unstable(cairo_t *cr, const pm_scene_t *sc)
{
    if (!sc->unstable.n_rings)
        return;
    pm_rgb_t c = pm_uncert_mark_color(sc);
    cairo_new_path(cr);
    pm_rings_path(cr, &sc->unstable);
    pm_hatch_path(cr, c);
    stroke_rings(cr, &sc->unstable, c, 0.6);
}

static void draw_areas(cairo_t *cr, const pm_scene_t *sc)
{
    if (raster_ready(cr, sc)) {
        const pm_raster_cache_t *rc = &sc->rdr->raster;
        paint_layer(cr, rc->land);
        area_style(cr);
        for (size_t c = 0; c < sc->scales.n_classes; c++)
            fill_rings(cr, &sc->classes[c], sc->col.classes[c]);
        fill_rings(cr, &sc->nodata, sc->col.nodata);
        paint_layer(cr, rc->admin);
        for (size_t c = 0; c < sc->scales.n_classes; c++)
            stroke_rings(cr, &sc->classes[c], sc->col.class_line, 0.3);
        stroke_rings(cr, &sc->nodata, sc->col.class_line, 0.3);
        draw_unstable(cr, sc);
        paint_layer(cr, rc->country);
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
        return;
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    /* Borders are hairlines of many short segments: bevel joins and the fast rasteriser look the
     * same at this width (checked at 300 dpi) and cost half as much. Vector surfaces ignore the
     * antialiasing hint. */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    fill_rings(cr, &sc->land, sc->col.land);
    for (size_t c = 0; c < sc->scales.n_classes; c++)
        fill_rings(cr, &sc->classes[c], sc->col.classes[c]);
    fill_rings(cr, &sc->nodata, sc->col.nodata);
    stroke_rings(cr, &sc->admin1, sc->col.admin_line, 0.3);
    for (size_t c = 0; c < sc->scales.n_classes; c++)
        stroke_rings(cr, &sc->classes[c], sc->col.class_line, 0.3);
    stroke_rings(cr, &sc->nodata, sc->col.class_line, 0.3);
    draw_unstable(cr, sc);
    stroke_rings(cr, &sc->land, sc->col.country_line, 0.45);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

/* How place i is painted: class colour, translucent circle, or plain dot. */
static int place_style(const pm_rplace_t *p)
{
    return p->cls >= 0 ? p->cls : p->r > 0 ? -1 : -2;
}

#define PLACE_LINE_PT 0.5 /* a circle's outline */

/* Sets the fill of style k; 1 when an outline follows. */
static int place_fill(cairo_t *cr, const pm_scene_t *sc, int k)
{
    const pm_theme_colors_t *c = &sc->col;
    if (k >= 0)
        set_rgb(cr, c->classes[k]);
    else if (k == -1)
        cairo_set_source_rgba(cr, c->circle_fill.r, c->circle_fill.g, c->circle_fill.b,
                              c->circle_alpha);
    else
        set_rgb(cr, c->dot);
    return k != -2;
}

static void place_paint(cairo_t *cr, const pm_scene_t *sc, int k)
{
    if (!place_fill(cr, sc, k)) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    set_rgb(cr, sc->col.circle_line);
    cairo_set_line_width(cr, PLACE_LINE_PT);
    cairo_stroke(cr);
}

/* Circles are drawn largest first. On a map of many places they are painted in layers, each one
 * path per style: a circle's layer is one above the highest layer of the earlier circles near it
 * (sharing a PLACE_CELL_PT cell of its box grown by its outline and a gap), so circles that
 * overlap keep their order and those of one layer never touch: the same picture as one circle
 * after the other, in a few dozen paths instead of thousands (cairo's vector surfaces keep about
 * a kilobyte per path until the page is finished). */
#define PLACE_LAYERS_FROM 200
#define PLACE_CELL_PT 4.0
#define PLACE_GAP_PT 0.5 /* circles of one layer are at least twice this apart */

typedef struct place_key {
    unsigned layer;
    int style;
    size_t i;
} place_key_t;

static int cmp_place_key(const void *x, const void *y)
{
    const place_key_t *a = x, *b = y;
    if (a->layer != b->layer)
        return a->layer < b->layer ? -1 : 1;
    if (a->style != b->style)
        return a->style < b->style ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Fills key[] in drawing order; 0 when out of memory. */
static int place_layers(const pm_scene_t *sc, place_key_t *key)
{
    int nx = (int)ceil(sc->page_w / PLACE_CELL_PT) + 1,
        ny = (int)ceil(sc->page_h / PLACE_CELL_PT) + 1;
    unsigned *top = calloc((size_t)nx * (size_t)ny, sizeof *top);
    if (!top)
        return 0;
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *p = &sc->places[i];
        double h = pm_rplace_radius(p) + PLACE_LINE_PT / 2 + PLACE_GAP_PT;
        int x0 = pm_grid_cell(p->x - h, PLACE_CELL_PT, nx),
            x1 = pm_grid_cell(p->x + h, PLACE_CELL_PT, nx);
        int y0 = pm_grid_cell(p->y - h, PLACE_CELL_PT, ny),
            y1 = pm_grid_cell(p->y + h, PLACE_CELL_PT, ny);
        unsigned layer = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                unsigned t = top[(size_t)y * (size_t)nx + (size_t)x];
                layer = t > layer ? t : layer;
            }
        layer++;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                top[(size_t)y * (size_t)nx + (size_t)x] = layer;
        key[i] = (place_key_t){layer, place_style(p), i};
    }
    free(top);
    qsort(key, sc->n_places, sizeof *key, cmp_place_key);
    return 1;
}

static void draw_places(cairo_t *cr, const pm_scene_t *sc)
{
    place_key_t *key = sc->n_places >= PLACE_LAYERS_FROM && sc->group_paths
                           ? malloc(sc->n_places * sizeof *key)
                           : NULL;
    if (key && place_layers(sc, key)) {
        for (size_t a = 0, b; a < sc->n_places; a = b) {
            for (b = a;
                 b < sc->n_places && key[b].layer == key[a].layer && key[b].style == key[a].style;
                 b++) {
                const pm_rplace_t *p = &sc->places[key[b].i];
                if (p->inset)
                    continue; /* drawn in the inset */
                cairo_new_sub_path(cr);
                cairo_arc(cr, p->x, p->y, pm_rplace_radius(p), 0, 2 * PM_PI);
            }
            place_paint(cr, sc, key[a].style);
        }
        free(key);
        return;
    }
    free(key);
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *p = &sc->places[i];
        if (p->inset)
            continue; /* drawn in the inset */
        cairo_new_sub_path(cr);
        cairo_arc(cr, p->x, p->y, pm_rplace_radius(p), 0, 2 * PM_PI);
        place_paint(cr, sc, place_style(p));
    }
}

/* The inset (pm_render_inset.c): a white margin, then its own scene with its frame at the
 * inset's place, clipped to its frame. */
static void draw_inset(cairo_t *cr, const pm_scene_t *sc)
{
    const pm_inset_t *in = sc->inset;
    if (!in || !in->sub)
        return;
    const pm_scene_t *sub = in->sub;
    cairo_save(cr);
    cairo_rectangle(cr, in->x - 1.5, in->y - 1.5, in->w + 3, in->h + 3);
    set_rgb(cr, sc->col.paper);
    cairo_fill(cr);
    cairo_rectangle(cr, in->x - 0.5, in->y - 0.5, in->w + 1, in->h + 1);
    cairo_clip(cr);
    cairo_translate(cr, in->x - sub->view.fx, in->y - sub->view.fy);
    pm_scene_draw(cr, sub); /* its errors are cr's (sticky), checked after this layer */
    cairo_restore(cr);
}

/* Point places of an unstable class: their class circle hatched. */
static void draw_unstable_points(cairo_t *cr, const pm_scene_t *sc)
{
    for (size_t i = 0; i < sc->n_places; i++) {
        const pm_rplace_t *p = &sc->places[i];
        if (!p->hatched)
            continue;
        cairo_new_path(cr);
        cairo_arc(cr, p->x, p->y, pm_rplace_radius(p), 0, 2 * PM_PI);
        pm_hatch_path(cr, pm_uncert_mark_color(sc));
    }
}

/* The rings over every circle (pm_map_place_t.ring): dashed outlines on a white casing, so they
 * read over circles, ties and classes, after all circles, so none hides one. */
static void draw_rings(cairo_t *cr, const pm_scene_t *sc)
{
    if (!sc->has_ring)
        return;
    static const double dash[2] = {1.6, 1.0};
    pm_rgb_t c = pm_uncert_mark_color(sc);
    for (int pass = 0; pass < 2; pass++) {
        cairo_new_path(cr);
        for (size_t i = 0; i < sc->n_places; i++) {
            const pm_rplace_t *p = &sc->places[i];
            if (p->ring > 0) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, p->x, p->y, p->ring, 0, 2 * PM_PI);
            }
        }
        if (pass == 0) {
            set_rgb(cr, sc->col.casing);
            cairo_set_line_width(cr, RING_LINE_PT + 0.8);
            cairo_set_dash(cr, NULL, 0, 0);
        } else {
            set_rgb(cr, c);
            cairo_set_line_width(cr, RING_LINE_PT);
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

/* The layers inside the frame, clipped to it, bottom to top. */
typedef void (*layer_fn)(cairo_t *cr, const pm_scene_t *sc);

static void draw_frame_title(cairo_t *cr, const pm_scene_t *sc)
{
    const pm_view_t *v = &sc->view;
    cairo_rectangle(cr, v->fx, v->fy, v->fw, v->fh);
    set_rgb(cr, sc->col.frame);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    if (sc->title)
        pm_text_draw(sc, cr, sc->title, v->fx, 2.0 * PM_PT_PER_MM, sc->col.text, 0, sc->col.halo);
}

/* The credit sits under the map, or under the legend strip when that is lower. */
static void draw_credit(cairo_t *cr, const pm_scene_t *sc)
{
    const pm_view_t *v = &sc->view;
    double below = fmax(v->fy + v->fh, sc->legend_bottom ? sc->ly + sc->lh : 0);
    if (sc->credit)
        pm_text_draw(sc, cr, sc->credit, v->fx, below + 2, sc->col.muted, 0, sc->col.halo);
}

cairo_status_t pm_scene_draw(cairo_t *cr, const pm_scene_t *sc)
{
    static const layer_fn inside[] = {draw_areas,           pm_arcs_draw,     draw_places,
                                      draw_unstable_points, draw_rings,       pm_inset_locator_draw,
                                      pm_labels_draw,       pm_scalebar_draw, draw_inset};
    static const layer_fn outside[] = {draw_frame_title, pm_legend_draw, draw_credit};
    const pm_view_t *v = &sc->view;
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (sc->figure_draw)
        return sc->figure_draw(cr, sc);
    cairo_save(cr);
    set_rgb(cr, sc->col.paper);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, v->fx, v->fy, v->fw, v->fh);
    cairo_clip(cr);
    /* cairo's errors are sticky: one check per layer stops a broken drawing early. */
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        inside[i](cr, sc);
        if ((cs = cairo_status(cr)) != CAIRO_STATUS_SUCCESS)
            break;
    }
    cairo_restore(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        goto done;
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        outside[i](cr, sc);
        if ((cs = cairo_status(cr)) != CAIRO_STATUS_SUCCESS)
            goto done;
    }
done:
    cairo_restore(cr);
    return cairo_status(cr);
}

/* ---- surfaces into temporary files ------------------------------------------------------- */

/* A temporary file written through a small buffer; the first error is kept. */
typedef struct sink {
    int fd;
    pm_buf_t buf;
    int failed; /* errno of the first failed write, or ENOMEM */
} sink_t;

#define SINK_FLUSH (1 << 20)

static void sink_flush(sink_t *k)
{
    const char *p = k->buf.data;
    size_t left = k->buf.len;
    while (left > 0 && !k->failed) {
        ssize_t w = write(k->fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            k->failed = errno ? errno : EIO;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    pm_buf_reset(&k->buf);
}

static void sink_write(sink_t *k, const char *data, size_t len)
{
    if (k->failed)
        return;
    pm_buf_append(&k->buf, data, len);
    if (pm_buf_failed(&k->buf))
        k->failed = ENOMEM;
    else if (k->buf.len >= SINK_FLUSH)
        sink_flush(k);
}

static cairo_status_t to_sink(void *closure, const unsigned char *data, unsigned int len)
{
    sink_t *k = closure;
    sink_write(k, (const char *)data, len);
    return k->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static const char *version_of(const pm_scene_t *sc)
{
    return sc->opts->version ? sc->opts->version : pm_runtime_version();
}

static pm_status_t cairo_fail(pm_error_t *err, cairo_status_t cs, const char *what)
{
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return pm_error_set(err, PM_ENOMEM, "out of memory drawing the %s", what);
    return pm_error_set(err, PM_EINTERNAL, "cairo failed drawing the %s: %s", what,
                        cairo_status_to_string(cs));
}

/* Whether the scene's geometry is worth freeing before the last figure is written out: above
 * 250,000 points (ties and rings, about 6 MB and the figures' working memory with them) it is,
 * and then the figures are drawn one after the other (large map, 394,000 points: 149 -> 141 MiB
 * peak). A lighter scene stays until the end and its PNGs are drawn while the vector figures are
 * (small map, 13,000 points; medium, 114,000). */
static int scene_heavy(const pm_scene_t *sc)
{
    size_t pts = sc->land.n + sc->admin1.n + sc->nodata.n;
    for (size_t c = 0; c < PM_CLASSIFY_MAX; c++)
        pts += sc->classes[c].n;
    for (size_t i = 0; i < sc->n_ties; i++)
        pts += sc->ties[i].n;
    return pts > 250000;
}

/* Draws on surface s, finishes it (flushes an image surface, which must stay readable) and
 * checks both. After the last figure is drawn, before cairo writes it out (a vector surface
 * keeps every drawing command until then), the scene's ties and rings are freed: the largest
 * part of its memory, needed no more. */
static pm_status_t draw_on(pm_scene_t *sc, cairo_surface_t *s, double scale, const char *what,
                           pm_error_t *err)
{
    cairo_status_t cs = cairo_surface_status(s);
    if (cs)
        return cairo_fail(err, cs, what);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    cs = pm_scene_draw(cr, sc);
    cairo_destroy(cr);
    if (sc->last_figure)
        pm_scene_drop_drawn(sc);
    if (cs)
        return cairo_fail(err, cs, what);
    if (cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE)
        cairo_surface_flush(s);
    else
        cairo_surface_finish(s);
    cs = cairo_surface_status(s);
    return cs ? cairo_fail(err, cs, what) : PM_OK;
}
void pm_render_pdf_meta(cairo_surface_t *s, const char *title, const char *fallback,
                        const char *command_line, const char *creator)
{
    char *t = pm_redact_dup(title ? title : fallback), *cl = pm_redact_dup(command_line);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t ? t : fallback);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, creator);
    if (cl)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, cl);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
    free(cl);
    free(t);
}

static pm_status_t render_pdf(pm_scene_t *sc, sink_t *out, pm_error_t *err)
{
    char creator[128];
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_sink, out, sc->page_w, sc->page_h);
    snprintf(creator, sizeof creator, "partnermap %s", version_of(sc));
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
        pm_render_pdf_meta(s, sc->opts->title, "map", sc->opts->command_line, creator);
    pm_status_t st = draw_on(sc, s, 1, "PDF", err);
    cairo_surface_destroy(s);
    return st;
}

/* cairo's SVG on its way to the file: metadata after the <svg> tag, and cairo's global ids
 * renumbered ("surface", "image" prefixes; both id="x" and references "#x"). It arrives in
 * pieces, so text that may be an unfinished id waits for the next piece. */
typedef struct svg_filter {
    const pm_scene_t *sc;
    sink_t *out;
    pm_buf_t pend; /* received, not yet passed on */
    int meta_done;
    unsigned long old[2][64]; /* ids in order of appearance, per prefix */
    size_t n_old[2];
} svg_filter_t;

#define SVG_ID_MAX 40 /* "surface" or "image" and a number fit in this */

static void svg_meta(svg_filter_t *f)
{
    const pm_map_opts_t *o = f->sc->opts;
    char *title = pm_redact_dup(o->title ? o->title : "map");
    char *cl = pm_redact_dup(o->command_line);
    pm_buf_t b;
    pm_buf_init(&b);
    if (!title || (o->command_line && !cl))
        b.failed = 1;
    pm_buf_puts(&b, "\n<title>");
    pm_text_escaped(&b, title ? title : "map", PM_ESCAPE_XML);
    pm_buf_puts(&b, "</title>\n<metadata>\n<rdf:RDF "
                    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                    "<rdf:Description rdf:about=\"\">\n<dc:title>");
    pm_text_escaped(&b, title ? title : "map", PM_ESCAPE_XML);
    pm_buf_printf(&b, "</dc:title>\n<dc:creator>partnermap %s</dc:creator>\n", version_of(f->sc));
    if (cl) {
        pm_buf_puts(&b, "<dc:description>");
        pm_text_escaped(&b, cl, PM_ESCAPE_XML);
        pm_buf_puts(&b, "</dc:description>\n");
    }
    pm_buf_puts(&b, "</rdf:Description>\n</rdf:RDF>\n</metadata>");
    if (pm_buf_failed(&b))
        f->out->failed = ENOMEM;
    sink_write(f->out, b.data, b.len);
    pm_buf_destroy(&b);
    free(cl);
    free(title);
}

/* Passes on what is safe of in[0, len) (all of it when final); returns how much it took. */
static size_t svg_run(svg_filter_t *f, const char *in, size_t len, int final)
{
    static const char *const prefixes[] = {"surface", "image"};
    size_t i = 0;
    if (!f->meta_done) {
        const char *gt = NULL;
        for (size_t j = 0; !gt && j + 4 <= len; j++)
            if (memcmp(in + j, "<svg", 4) == 0)
                gt = memchr(in + j, '>', len - j);
        if (!gt && !final)
            return 0; /* the header is short: wait for the whole tag */
        if (gt) {
            i = (size_t)(gt + 1 - in);
            sink_write(f->out, in, i);
            svg_meta(f);
        }
        f->meta_done = 1;
    }
    /* hold back from the last quote or '#' near the end: an id may follow in the next piece */
    size_t limit = len;
    if (!final)
        for (size_t j = len; j > i && len - j < SVG_ID_MAX; j--)
            if (in[j - 1] == '"' || in[j - 1] == '#') {
                limit = j - 1;
                break;
            }
    while (i < limit) {
        size_t j = i;
        while (j < limit && in[j] != '"' && in[j] != '#')
            j++;
        if (j == limit) {
            sink_write(f->out, in + i, limit - i);
            i = limit;
            break;
        }
        sink_write(f->out, in + i, j + 1 - i);
        i = j + 1;
        for (int k = 0; k < 2; k++) {
            size_t pl = strlen(prefixes[k]), nl = 0;
            if (i + pl >= len || strncmp(in + i, prefixes[k], pl) != 0)
                continue;
            while (i + pl + nl < len && nl < SVG_ID_MAX && isdigit((unsigned char)in[i + pl + nl]))
                nl++;
            if (nl == 0)
                continue;
            char num[SVG_ID_MAX + 1], id[64];
            memcpy(num, in + i + pl, nl);
            num[nl] = '\0';
            unsigned long v = strtoul(num, NULL, 10);
            size_t idx = 0;
            while (idx < f->n_old[k] && f->old[k][idx] != v)
                idx++;
            if (idx == f->n_old[k] && idx < 64)
                f->old[k][f->n_old[k]++] = v;
            int il = snprintf(id, sizeof id, "%s%zu", prefixes[k], idx + 1);
            sink_write(f->out, id, (size_t)il);
            i += pl + nl;
            break;
        }
    }
    return i;
}

/* cairo hands over the whole page in one piece: it is filtered where it lies, and only what
 * may continue in the next piece (or a piece that ends inside the <svg> tag) is kept. */
static cairo_status_t to_svg_filter(void *closure, const unsigned char *udata, unsigned int ulen)
{
    svg_filter_t *f = closure;
    const char *data = (const char *)udata;
    size_t len = ulen;
    while (len > 0 && !f->out->failed) {
        if (f->pend.len == 0) {
            size_t used = svg_run(f, data, len, 0);
            pm_buf_append(&f->pend, data + used, len - used);
            break;
        }
        /* finish the kept text with a little of the new piece first */
        size_t take = len < 256 ? len : 256;
        pm_buf_append(&f->pend, data, take);
        data += take, len -= take;
        if (pm_buf_failed(&f->pend))
            break;
        size_t used = svg_run(f, f->pend.data, f->pend.len, 0);
        memmove(f->pend.data, f->pend.data + used, f->pend.len - used);
        f->pend.len -= used;
    }
    if (pm_buf_failed(&f->pend))
        f->out->failed = ENOMEM;
    return f->out->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static pm_status_t render_svg(pm_scene_t *sc, sink_t *out, pm_error_t *err)
{
    svg_filter_t f = {.sc = sc, .out = out};
    pm_buf_init(&f.pend);
    cairo_surface_t *s =
        cairo_svg_surface_create_for_stream(to_svg_filter, &f, sc->page_w, sc->page_h);
    pm_status_t st = draw_on(sc, s, 1, "SVG", err);
    cairo_surface_destroy(s);
    if (!st && !out->failed)
        svg_run(&f, f.pend.data ? f.pend.data : "", f.pend.len, 1);
    pm_buf_destroy(&f.pend);
    return st;
}

/* ---- PNG ---------------------------------------------------------------------------------- */

/* PNG is written here rather than by cairo: cairo's writer runs libpng's adaptive filters and
 * zlib, which took longer than drawing the map. Flat map colours compress best unfiltered, and
 * GDAL's deflate (libdeflate when GDAL has it) is several times faster than zlib, so the image is
 * written with filter type 0 through CPLZLibDeflate. Level 1 costs about half of level 6 for a
 * slightly larger file; levels 2 to 5 cost nearly as much as 6 (docs/performance.md has the
 * measurements). */
#define PNG_DEFLATE_LEVEL 1

static void crc_init(unsigned long table[256])
{
    for (unsigned long n = 0; n < 256; n++) {
        unsigned long c = n;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320UL & (0UL - (c & 1)));
        table[n] = c;
    }
}

static unsigned long crc32_png(const unsigned long table[256], const unsigned char *p, size_t n)
{
    unsigned long crc = 0xffffffffUL;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffUL;
}

static void put_be32(pm_buf_t *b, unsigned long v)
{
    char c[4] = {(char)((v >> 24) & 0xff), (char)((v >> 16) & 0xff), (char)((v >> 8) & 0xff),
                 (char)(v & 0xff)};
    pm_buf_append(b, c, 4);
}

/* A PNG writer: the output and the CRC table. */
typedef struct png_out {
    pm_buf_t *b;
    unsigned long crc[256];
} png_out_t;

static void png_chunk(png_out_t *po, const char type[4], const void *data, size_t n)
{
    pm_buf_t *b = po->b;
    put_be32(b, (unsigned long)n);
    size_t at = b->len;
    pm_buf_append(b, type, 4);
    if (n)
        pm_buf_append(b, data, n);
    if (pm_buf_failed(b))
        return;
    put_be32(b, crc32_png(po->crc, (const unsigned char *)b->data + at, n + 4));
}

/* An iTXt chunk: UTF-8 text, not compressed, no language or translated keyword. */
static void png_text(png_out_t *po, const char *key, const char *text)
{
    pm_buf_t d;
    pm_buf_init(&d);
    pm_buf_append(&d, key, strlen(key) + 1);
    pm_buf_append(&d, "\0\0\0\0", 4);
    char *shown = pm_redact_dup(text);
    int have = shown != NULL;
    pm_buf_puts(&d, have ? shown : "");
    free(shown);
    if (have && !pm_buf_failed(&d))
        png_chunk(po, "iTXt", pm_buf_str(&d), d.len);
    else
        po->b->failed = 1;
    pm_buf_destroy(&d);
}

/* Compresses image s (which it overwrites: the PNG rows are made in place) into a PNG in out. */
static pm_status_t png_encode(const pm_scene_t *sc, cairo_surface_t *s, pm_buf_t *out,
                              pm_error_t *err)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    unsigned char *px = cairo_image_surface_get_data(s);
    size_t row = 1 + 3 * (size_t)w, zn = 0;
    if (!px || stride < 4 * w)
        return pm_error_set(err, PM_ENOMEM, "out of memory writing the PNG");
    /* row y of the PNG (a filter byte and w RGB triples) goes to y * row, at or before the
     * image's row y (y * stride, stride >= 4w): once pixel x is read, the bytes written up to
     * its triple end before pixel x + 1 starts, so every pixel is read before it is overwritten
     * (the filter byte of row 0 is written after its first pixel is read) */
    for (int y = 0; y < h; y++) {
        const unsigned char *src = px + (size_t)y * (size_t)stride;
        unsigned char *o = px + row * (size_t)y;
        uint32_t v; /* CAIRO_FORMAT_RGB24: 0x00RRGGBB in native order */
        memcpy(&v, src, 4);
        *o++ = 0; /* filter: none */
        for (int x = 0; x < w; x++) {
            if (x)
                memcpy(&v, src + 4 * (size_t)x, 4);
            *o++ = (unsigned char)(v >> 16);
            *o++ = (unsigned char)(v >> 8);
            *o++ = (unsigned char)v;
        }
    }
    void *z = CPLZLibDeflate(px, row * (size_t)h, PNG_DEFLATE_LEVEL, NULL, 0, &zn);
    if (!z)
        return pm_error_set(err, PM_ENOMEM, "cannot compress the PNG (out of memory)");
    unsigned char ihdr[13] = {(unsigned char)(w >> 24),
                              (unsigned char)(w >> 16),
                              (unsigned char)(w >> 8),
                              (unsigned char)w,
                              (unsigned char)(h >> 24),
                              (unsigned char)(h >> 16),
                              (unsigned char)(h >> 8),
                              (unsigned char)h,
                              8,
                              2,
                              0,
                              0,
                              0}; /* 8-bit RGB, deflate, no interlace */
    unsigned long ppm = (unsigned long)lround(sc->dpi / 0.0254);
    unsigned char phys[9] = {
        (unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16), (unsigned char)(ppm >> 8),
        (unsigned char)ppm,         (unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16),
        (unsigned char)(ppm >> 8),  (unsigned char)ppm,         1};
    char sw[96];
    int n = snprintf(sw, sizeof sw, "Software%cpartnermap %s", 0, version_of(sc));
    png_out_t po;
    po.b = out;
    crc_init(po.crc);
    pm_buf_append(out, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(&po, "IHDR", ihdr, sizeof ihdr);
    png_chunk(&po, "pHYs", phys, sizeof phys);
    png_chunk(&po, "tEXt", sw, (size_t)n);
    png_text(&po, "Title", sc->opts->title ? sc->opts->title : "map");
    if (sc->opts->command_line)
        png_text(&po, "Description", sc->opts->command_line);
    png_chunk(&po, "IDAT", z, zn);
    png_chunk(&po, "IEND", NULL, 0);
    CPLFree(z);
    return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory writing the PNG")
                              : PM_OK;
}

/* The PNGs are drawn and compressed on a thread of their own while the main thread draws the
 * vector figures. The drawer has a copy of the scene with its own figure state (raster scale,
 * ungrouped paths); text is drawn under pm_text's lock, the only state both threads touch. For
 * a heavy scene the vector figures wait until the PNGs are drawn, so that the last of them can
 * free the geometry (see draw_on); the compression goes on while they are drawn. */
typedef struct png_drawer {
    pm_scene_t sc;
    const size_t *which; /* the PNG outputs, in order */
    size_t n;
    sink_t *sinks; /* all outputs' sinks, by output index */
    pm_status_t st;
    pm_error_t err;
    pthread_t tid;
    int running;
    int drawn; /* every PNG drawn (or failed): the scene is free */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} png_drawer_t;

static void png_drawer_set_drawn(png_drawer_t *d)
{
    pthread_mutex_lock(&d->mu);
    d->drawn = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

/* Returns when the drawer no longer reads the scene. */
static void png_drawer_wait_drawn(png_drawer_t *d)
{
    pthread_mutex_lock(&d->mu);
    while (!d->drawn)
        pthread_cond_wait(&d->cv, &d->mu);
    pthread_mutex_unlock(&d->mu);
}

static void *png_drawer_run(void *arg)
{
    png_drawer_t *d = arg;
    pm_scene_t *sc = &d->sc;
    double k = sc->dpi / 72;
    int w = (int)ceil(sc->page_w * k - 1e-6), h = (int)ceil(sc->page_h * k - 1e-6);
    sc->raster_k = k;
    sc->last_figure = 0;
    sc->group_paths = sc->rdr && sc->rdr->group_mode == 2;
    cairo_surface_t **img = calloc(d->n, sizeof *img);
    if (!img)
        d->st = pm_error_set(&d->err, PM_ENOMEM, "out of memory drawing the PNG");
    for (size_t i = 0; i < d->n && !d->st; i++) {
        img[i] = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        d->st = draw_on(sc, img[i], k, "PNG", &d->err);
    }
    png_drawer_set_drawn(d);
    for (size_t i = 0; i < d->n && !d->st; i++) {
        pm_buf_t png;
        pm_buf_init(&png);
        d->st = png_encode(sc, img[i], &png, &d->err);
        if (!d->st)
            sink_write(&d->sinks[d->which[i]], png.data, png.len);
        pm_buf_destroy(&png);
        cairo_surface_destroy(img[i]);
        img[i] = NULL;
    }
    for (size_t i = 0; img && i < d->n; i++)
        if (img[i])
            cairo_surface_destroy(img[i]);
    free(img);
    return NULL;
}

/* Starts drawing the PNGs (on this thread when no other can be started). */
static void png_drawer_start(png_drawer_t *d, const pm_scene_t *sc, const size_t *which, size_t n,
                             sink_t *sinks)
{
    d->sc = *sc;
    d->which = which;
    d->n = n;
    d->sinks = sinks;
    d->st = PM_OK;
    pm_error_clear(&d->err);
    d->drawn = 0;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    d->running = pthread_create(&d->tid, NULL, png_drawer_run, d) == 0;
    if (!d->running)
        png_drawer_run(d);
}

/* Waits for the drawer; its status, with its message in err. */
static pm_status_t png_drawer_finish(png_drawer_t *d, pm_error_t *err)
{
    if (d->running)
        pthread_join(d->tid, NULL);
    d->running = 0;
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    if (d->st)
        *err = d->err;
    return d->st;
}

/* ---- files ---------------------------------------------------------------------------------- */

static fmt_t format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcasecmp(dot, ".svg") == 0)
        return FMT_SVG;
    if (dot && strcasecmp(dot, ".pdf") == 0)
        return FMT_PDF;
    return FMT_PNG;
}

/* Flushes and closes sink k of output path; the first write error in err. */
static pm_status_t sink_close(sink_t *k, const char *path, pm_status_t st, pm_error_t *err)
{
    if (k->fd < 0)
        return st;
    if (!k->failed)
        sink_flush(k);
    if (close(k->fd) != 0 && !k->failed)
        k->failed = errno ? errno : EIO;
    k->fd = -1;
    pm_buf_destroy(&k->buf);
    if (!k->failed)
        return st;
    pm_error_clear(err);
    return k->failed == ENOMEM
               ? pm_error_set(err, PM_ENOMEM, "out of memory writing '%s'", path)
               : pm_error_set(err, PM_EIO, "cannot write '%s': %s", path, strerror(k->failed));
}

pm_status_t pm_out_render_all(pm_scene_t *sc, const char *const *outputs, size_t n, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    char **tmp = calloc(n, sizeof *tmp);
    sink_t *sinks = calloc(n, sizeof *sinks);
    size_t *pngs = calloc(n, sizeof *pngs), n_png = 0, n_vec = 0, committed = 0;
    png_drawer_t drawer;
    int drawing = 0, heavy = scene_heavy(sc), group_mode = sc->rdr ? sc->rdr->group_mode : 1;
    if (!tmp || !sinks || !pngs) {
        free(tmp);
        free(sinks);
        free(pngs);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    /* each output streams into its temporary file; the renames at the end make them appear
     * together */
    for (size_t i = 0; i < n; i++)
        sinks[i].fd = -1;
    for (size_t i = 0; i < n && !st; i++) {
        pm_buf_init(&sinks[i].buf);
        st = pm_io_temp_for(outputs[i], &tmp[i], &sinks[i].fd, err);
        if (format_of(outputs[i]) == FMT_PNG)
            pngs[n_png++] = i;
        else
            n_vec++;
    }
    /* tie groups are made once, before the PNG drawer copies the scene */
    if (!st && (group_mode == 2 || (group_mode == 1 && n_vec > 0)))
        st = pm_arcs_group(sc, err);
    if (!st && n_png > 0) {
        png_drawer_start(&drawer, sc, pngs, n_png, sinks);
        drawing = 1;
        /* a heavy scene is drawn one figure at a time: its PNGs, then (while they are compressed)
         * the vector figures, which free the geometry before they are written out. Drawing both
         * at once held a second figure's working memory at the peak (large map: +7 MiB). */
        if (heavy)
            png_drawer_wait_drawn(&drawer);
    }
    /* the vector figures, in the order given; the last one frees a heavy scene's geometry before
     * cairo writes it out (a vector surface keeps every drawing command until then). A light
     * scene's stays until the end: the PNG drawer may still be reading it. */
    for (size_t i = 0, done = 0; i < n && !st; i++) {
        fmt_t f = format_of(outputs[i]);
        if (f == FMT_PNG)
            continue;
        sc->last_figure = ++done == n_vec && (heavy || !drawing);
        sc->group_paths = group_mode != 0;
        st = f == FMT_PDF ? render_pdf(sc, &sinks[i], err) : render_svg(sc, &sinks[i], err);
        st = sink_close(&sinks[i], outputs[i], st, err);
        pm_phase_mark(sc->rdr ? &sc->rdr->phase : NULL,
                      f == FMT_PDF ? "render: PDF written" : "render: SVG written");
    }
    if (drawing) {
        pm_error_t derr;
        pm_error_clear(&derr);
        pm_status_t ds = png_drawer_finish(&drawer, &derr);
        for (size_t j = 0; j < n_png; j++)
            ds = sink_close(&sinks[pngs[j]], outputs[pngs[j]], ds, &derr);
        if (!st && ds) {
            st = ds;
            *err = derr;
        }
        pm_phase_mark(sc->rdr ? &sc->rdr->phase : NULL, "render: PNG written");
    }
    pm_error_t jerr;
    pm_error_clear(&jerr);
    for (size_t i = 0; i < n; i++)
        sink_close(&sinks[i], outputs[i], PM_OK, &jerr); /* after a failure: closes the rest */
    for (size_t i = 0; i < n && !st; i++) {
        st = pm_io_commit(tmp[i], outputs[i], err);
        if (!st)
            committed = i + 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (i >= committed && tmp[i])
            pm_io_abandon(tmp[i]);
        free(tmp[i]);
    }
    free(tmp);
    free(sinks);
    free(pngs);
    return st;
}
