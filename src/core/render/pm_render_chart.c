/*
 * pm_render_chart: statistics over time as a figure (see pm_chart.h). Small panels, two a row,
 * each a line with its own y axis; then the rank chart (rank 1 at the top, one line per place,
 * labelled at the right in the order of the last period; lines of equal rank side by side); then
 * the provenance line. Units are
 * points on every surface, as the map's; text through pango on the process's font map (as the
 * map's text) at 72 dpi with hinting off.
 *
 * Self-contained: it shares the map's themes (colours below follow pm_render.c's), page sizes
 * (pm_render_parse_page, called by the program) and font, not its scene.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_chart.h"
#include "pm_palette.h"
#include "pm_render_chartmeta.h"
#include "pm_render_int.h"
#include "pm_runtime.h"

#define MARGIN 14.0
#define PANEL_H 108.0
#define RANK_H 190.0
#define GAP 14.0
#define TICK_PT 6.5
#define TITLE_PT 7.5

typedef struct chart_ctx {
    const pm_chart_t *c;
    PangoContext *pctx;
    const char *font;
    pm_rgb_t ink, muted, grid, line, series[8];
    double x0, x1; /* years at the left and right edges */
} chart_ctx_t;

int pm_chart_format_of(const char *path, pm_chart_format_t *out)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return -1;
    if (!strcasecmp(dot, ".png"))
        *out = PM_CHART_PNG;
    else if (!strcasecmp(dot, ".svg"))
        *out = PM_CHART_SVG;
    else if (!strcasecmp(dot, ".pdf"))
        *out = PM_CHART_PDF;
    else
        return -1;
    return 0;
}

static PangoLayout *layout(const chart_ctx_t *x, const char *text, double pt, int bold)
{
    PangoLayout *l = pango_layout_new(x->pctx);
    if (!l)
        return NULL;
    PangoFontDescription *fd = pango_font_description_from_string(x->font);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    return l;
}

static void text_size(const chart_ctx_t *x, const char *s, double pt, int bold, double *w,
                      double *h)
{
    PangoLayout *l = layout(x, s, pt, bold);
    int iw = 0, ih = 0;
    if (l) {
        pango_layout_get_size(l, &iw, &ih);
        g_object_unref(l);
    }
    *w = (double)iw / PANGO_SCALE;
    *h = (double)ih / PANGO_SCALE;
}

/* Draws s with its anchor at (px, py): ax, ay in [0, 1] say which point of its box. */
static void text_at(cairo_t *cr, const chart_ctx_t *x, const char *s, double pt, int bold,
                    double px, double py, double ax, double ay, pm_rgb_t col)
{
    PangoLayout *l = layout(x, s, pt, bold);
    if (!l)
        return;
    int iw, ih;
    pango_layout_get_size(l, &iw, &ih);
    cairo_set_source_rgb(cr, col.r, col.g, col.b);
    cairo_move_to(cr, px - ax * iw / PANGO_SCALE, py - ay * ih / PANGO_SCALE);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

/* A step of 1, 2 or 5 x 10^k giving at most max_ticks ticks over [lo, hi]. */
static double nice_step(double lo, double hi, int max_ticks, int integer)
{
    double span = hi - lo;
    if (!(span > 0))
        return 1;
    double raw = span / max_ticks, p = pow(10, floor(log10(raw))), s;
    if (raw <= p)
        s = p;
    else if (raw <= 2 * p)
        s = 2 * p;
    else if (raw <= 5 * p)
        s = 5 * p;
    else
        s = 10 * p;
    return integer && s < 1 ? 1 : s;
}

static void fmt_tick(char *buf, size_t size, double v, double step)
{
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    pm_snprintf_c(buf, size, "%.*f", dec, fabs(v) < step * 1e-6 ? 0.0 : v);
}

static double period_mid(const pm_period_t *p)
{
    return (p->from + p->to) / 2.0;
}

/* The x axis: year ticks under the plot [px, px + pw] at y. */
static void x_axis(cairo_t *cr, const chart_ctx_t *x, double px, double pw, double y)
{
    double step = nice_step(x->x0, x->x1, pw > 300 ? 10 : 5, 1);
    if (step < 1)
        step = 1;
    if (step == 2 && x->x1 - x->x0 > 12)
        step = 5;
    cairo_set_line_width(cr, 0.5);
    cairo_set_source_rgb(cr, x->ink.r, x->ink.g, x->ink.b);
    cairo_move_to(cr, px, y);
    cairo_line_to(cr, px + pw, y);
    cairo_stroke(cr);
    for (double t = ceil(x->x0 / step) * step; t <= x->x1 + 1e-9; t += step) {
        double tx = px + (t - x->x0) / (x->x1 - x->x0) * pw;
        cairo_move_to(cr, tx, y);
        cairo_line_to(cr, tx, y + 2.5);
        cairo_stroke(cr);
        char b[16];
        snprintf(b, sizeof b, "%d", (int)t);
        text_at(cr, x, b, TICK_PT, 0, tx, y + 3.5, 0.5, 0, x->ink);
    }
}

static double xpos(const chart_ctx_t *x, double year, double px, double pw)
{
    return px + (year - x->x0) / (x->x1 - x->x0) * pw;
}

/* One statistic in the box (bx, by, bw, bh). */
static void panel(cairo_t *cr, const chart_ctx_t *x, const pm_chart_panel_t *p, double bx,
                  double by, double bw, double bh)
{
    const pm_chart_t *c = x->c;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < c->n; k++)
        if (!isnan(p->y[k])) {
            lo = fmin(lo, p->y[k]);
            hi = fmax(hi, p->y[k]);
        }
    if (!isfinite(lo))
        lo = 0, hi = 1;
    lo = fmin(lo, 0);
    if (hi <= lo)
        hi = lo + 1;
    double step = nice_step(lo, hi, 4, p->integer);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step - 1e-9) * step;
    /* widest tick label, for the left margin */
    double lw = 0, w, h;
    for (double t = lo; t <= hi + step * 1e-6; t += step) {
        char b[32];
        fmt_tick(b, sizeof b, t, step);
        text_size(x, b, TICK_PT, 0, &w, &h);
        lw = fmax(lw, w);
    }
    double th, tw;
    text_size(x, p->title, TITLE_PT, 1, &tw, &th);
    text_at(cr, x, p->title, TITLE_PT, 1, bx, by, 0, 0, x->ink);
    double px = bx + lw + 4, pw = bw - lw - 8, py = by + th + 4, ph = bh - th - 4 - TICK_PT - 6;
    cairo_set_line_width(cr, 0.4);
    for (double t = lo; t <= hi + step * 1e-6; t += step) {
        double ty = py + ph - (t - lo) / (hi - lo) * ph;
        cairo_set_source_rgb(cr, x->grid.r, x->grid.g, x->grid.b);
        cairo_move_to(cr, px, ty);
        cairo_line_to(cr, px + pw, ty);
        cairo_stroke(cr);
        char b[32];
        fmt_tick(b, sizeof b, t, step);
        text_at(cr, x, b, TICK_PT, 0, px - 3, ty, 1, 0.5, x->muted);
    }
    x_axis(cr, x, px, pw, py + ph);
    cairo_set_source_rgb(cr, x->line.r, x->line.g, x->line.b);
    cairo_set_line_width(cr, 1.2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    int open = 0;
    for (size_t k = 0; k < c->n; k++) {
        if (isnan(p->y[k])) {
            open = 0;
            continue;
        }
        double tx = xpos(x, period_mid(&c->periods[k]), px, pw);
        double ty = py + ph - (p->y[k] - lo) / (hi - lo) * ph;
        if (open)
            cairo_line_to(cr, tx, ty);
        else
            cairo_move_to(cr, tx, ty);
        open = 1;
    }
    cairo_stroke(cr);
    if (c->n <= 60)
        for (size_t k = 0; k < c->n; k++) {
            if (isnan(p->y[k]))
                continue;
            double tx = xpos(x, period_mid(&c->periods[k]), px, pw);
            double ty = py + ph - (p->y[k] - lo) / (hi - lo) * ph;
            cairo_arc(cr, tx, ty, c->n <= 20 ? 1.8 : 1.1, 0, 2 * M_PI);
            cairo_fill(cr);
        }
}

/* Lines of equal rank in period k are drawn side by side, 1.8 points apart, so that none hides
 * another: the offset of line i. */
static double tie_offset(const pm_chart_t *c, size_t i, size_t k)
{
    double r = c->lines[i].rank[k];
    size_t before = 0, same = 0;
    for (size_t j = 0; j < c->n_lines; j++)
        if (c->lines[j].rank[k] == r) {
            same++;
            before += j < i;
        }
    return same > 1 ? ((double)before - (double)(same - 1) / 2) * 1.8 : 0;
}

/* The rank chart in the box. */
static void ranks(cairo_t *cr, const chart_ctx_t *x, double bx, double by, double bw, double bh)
{
    const pm_chart_t *c = x->c;
    double lab = 0, w, h;
    for (size_t i = 0; i < c->n_lines; i++) {
        text_size(x, c->lines[i].label, TICK_PT, 0, &w, &h);
        lab = fmax(lab, w);
    }
    lab = fmin(lab, bw * 0.4);
    double th, tw;
    const char *title = c->rank_title ? c->rank_title : "Rank";
    text_size(x, title, TITLE_PT, 1, &tw, &th);
    text_at(cr, x, title, TITLE_PT, 1, bx, by, 0, 0, x->ink);
    double rmax = (double)(c->rank_max ? c->rank_max : c->n_lines);
    double lw;
    char b[16];
    snprintf(b, sizeof b, "%d", (int)rmax);
    text_size(x, b, TICK_PT, 0, &lw, &h);
    double px = bx + lw + 4, pw = bw - lw - 4 - lab - 16, py = by + th + 4,
           ph = bh - th - 4 - TICK_PT - 6;
    double row = ph / rmax;
    cairo_set_line_width(cr, 0.4);
    for (int r = 1; r <= (int)rmax; r++) {
        double ty = py + (r - 0.5) * row;
        cairo_set_source_rgb(cr, x->grid.r, x->grid.g, x->grid.b);
        cairo_move_to(cr, px, ty);
        cairo_line_to(cr, px + pw, ty);
        cairo_stroke(cr);
        snprintf(b, sizeof b, "%d", r);
        text_at(cr, x, b, TICK_PT, 0, px - 3, ty, 1, 0.5, x->muted);
    }
    x_axis(cr, x, px, pw, py + ph);
    int print = c->theme == PM_THEME_PRINT;
    static const double dashes[4][2] = {{0, 0}, {3, 1.5}, {1, 1.2}, {5, 1.5}};
    for (size_t i = 0; i < c->n_lines; i++) {
        const pm_chart_line_t *ln = &c->lines[i];
        pm_rgb_t col = x->series[i % 8];
        int dash = print ? (int)(i % 4) : (int)((i / 8) % 4);
        cairo_save(cr);
        cairo_rectangle(cr, px - 3, py, pw + 6, ph);
        cairo_clip(cr);
        cairo_set_source_rgb(cr, col.r, col.g, col.b);
        cairo_set_line_width(cr, 1.3);
        if (dash)
            cairo_set_dash(cr, dashes[dash], 2, 0);
        int open = 0;
        double lastx = NAN, lasty = NAN;
        for (size_t k = 0; k < c->n; k++) {
            double r = ln->rank[k];
            if (isnan(r)) {
                open = 0;
                continue;
            }
            double tx = xpos(x, period_mid(&c->periods[k]), px, pw);
            double ty = py + (fmin(r, rmax + 1) - 0.5) * row + tie_offset(c, i, k);
            if (open)
                cairo_line_to(cr, tx, ty);
            else
                cairo_move_to(cr, tx, ty);
            open = 1;
            lastx = tx, lasty = ty;
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t k = 0; k < c->n && c->n <= 60; k++) {
            double r = ln->rank[k];
            if (isnan(r) || r > rmax)
                continue;
            cairo_arc(cr, xpos(x, period_mid(&c->periods[k]), px, pw),
                      py + (r - 0.5) * row + tie_offset(c, i, k), 1.6, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        cairo_restore(cr);
        /* the label at its place in the last period's order, with a leader to the line's end */
        double ly = py + (i + 0.5) * row;
        if (!isnan(lastx)) {
            cairo_set_source_rgb(cr, col.r, col.g, col.b);
            cairo_set_line_width(cr, 0.4);
            cairo_move_to(cr, lastx + 2, fmin(lasty, py + ph));
            cairo_line_to(cr, px + pw + 6, ly);
            cairo_stroke(cr);
        }
        text_at(cr, x, ln->label, TICK_PT, 0, px + pw + 8, ly, 0, 0.5, x->ink);
    }
}

static void colours(chart_ctx_t *x)
{
    if (x->c->theme == PM_THEME_PRINT) {
        x->ink = (pm_rgb_t){0, 0, 0};
        x->muted = (pm_rgb_t){0.35, 0.35, 0.35};
        x->grid = (pm_rgb_t){0.85, 0.85, 0.85};
        x->line = (pm_rgb_t){0, 0, 0};
        for (int i = 0; i < 8; i++)
            x->series[i] = i % 2 ? (pm_rgb_t){0.45, 0.45, 0.45} : (pm_rgb_t){0, 0, 0};
        return;
    }
    x->ink = (pm_rgb_t){0.1, 0.1, 0.1};
    x->muted = (pm_rgb_t){0.45, 0.45, 0.45};
    x->grid = (pm_rgb_t){0.88, 0.88, 0.88};
    x->line = (pm_rgb_t){0.106, 0.176, 0.31}; /* the map's tie colour */
    /* Okabe-Ito, without its yellow (too light on white) */
    static const pm_rgb_t oi[8] = {
        {0.0, 0.447, 0.698},   {0.835, 0.369, 0.0},   {0.0, 0.620, 0.451},  {0.902, 0.624, 0.0},
        {0.337, 0.706, 0.914}, {0.800, 0.475, 0.655}, {0.106, 0.176, 0.31}, {0.5, 0.5, 0.5}};
    memcpy(x->series, oi, sizeof oi);
}

static double figure_height(const chart_ctx_t *x, double W, double *title_h, double *credit_h)
{
    const pm_chart_t *c = x->c;
    double w;
    *title_h = 0;
    if (c->title)
        text_size(x, c->title, 10, 1, &w, title_h);
    *credit_h = 0;
    if (c->credit)
        text_size(x, c->credit, 5.5, 0, &w, credit_h);
    (void)W;
    size_t rows = (c->n_panels + 1) / 2;
    return MARGIN * 2 + (*title_h ? *title_h + 8 : 0) + (double)rows * (PANEL_H + GAP) +
           (c->n_lines ? RANK_H + GAP : 0) + *credit_h;
}

static void draw(cairo_t *cr, const chart_ctx_t *x, double W, double H, double title_h,
                 double credit_h)
{
    const pm_chart_t *c = x->c;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double y = MARGIN;
    if (c->title) {
        text_at(cr, x, c->title, 10, 1, MARGIN, y, 0, 0, x->ink);
        y += title_h + 8;
    }
    size_t rows = (c->n_panels + 1) / 2;
    double avail = H - y - MARGIN - credit_h - (c->n_lines ? GAP : 0);
    double unit = avail / ((double)rows * (PANEL_H + GAP) + (c->n_lines ? RANK_H : 0));
    double ph = PANEL_H * unit, gap = GAP * unit;
    double cw = c->n_panels > 1 ? (W - 2 * MARGIN - GAP) / 2 : W - 2 * MARGIN;
    for (size_t i = 0; i < c->n_panels; i++) {
        double bx = MARGIN + (double)(i % 2) * (cw + GAP);
        double by = y + (double)(i / 2) * (ph + gap);
        panel(cr, x, &c->panels[i], bx, by, cw, ph);
    }
    y += (double)rows * (ph + gap);
    if (c->n_lines)
        ranks(cr, x, MARGIN, y, W - 2 * MARGIN, RANK_H * unit);
    if (c->credit)
        text_at(cr, x, c->credit, 5.5, 0, MARGIN, H - MARGIN + 4, 0, 1, x->muted);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    pm_buf_append(closure, (const char *)data, len);
    return pm_buf_failed(closure) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

pm_status_t pm_chart_render(const pm_chart_t *c, pm_chart_format_t f, pm_buf_t *out,
                            pm_error_t *err)
{
    if (c->n == 0 || (c->n_panels == 0 && c->n_lines == 0))
        return pm_error_set(err, PM_EUSAGE, "the chart has nothing to draw");
    chart_ctx_t x = {.c = c, .font = c->font ? c->font : "DejaVu Sans"};
    colours(&x);
    x.x0 = c->periods[0].from - 0.5;
    x.x1 = c->periods[c->n - 1].to + 0.5;
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    if (!fm || !(x.pctx = pango_font_map_create_context(fm)))
        return pm_error_set(err, PM_EINTERNAL, "cannot set up fonts (pango)");
    pango_cairo_context_set_resolution(x.pctx, 72);
    pango_context_set_language(x.pctx, pango_language_from_string("en"));
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(x.pctx, fo);
    cairo_font_options_destroy(fo);

    double W = (c->width_mm > 0 ? c->width_mm : PM_PAGE_DOUBLE_COLUMN_MM) / 25.4 * 72;
    double title_h, credit_h;
    double H = figure_height(&x, W, &title_h, &credit_h);
    if (c->height_mm > 0)
        H = c->height_mm / 25.4 * 72;
    pm_status_t st = PM_OK;
    pm_buf_t file; /* the whole file, then its metadata, then appended to out */
    pm_buf_init(&file);
    size_t rows = (c->n_panels + 1) / 2;
    if (H - 2 * MARGIN - title_h - credit_h < (double)rows * 50 + (c->n_lines ? 80 : 0) ||
        W < 200) {
        st = pm_error_set(err, PM_EUSAGE,
                          "the page (%.0f x %.0f mm) is too small for %zu panels%s; give a larger "
                          "--page or fewer statistics with --chart",
                          W / 72 * 25.4, H / 72 * 25.4, c->n_panels,
                          c->n_lines ? " and the rank chart" : "");
        goto cleanup;
    }
    cairo_surface_t *s;
    double dpi = c->dpi > 0 ? c->dpi : 300, k = dpi / 72;
    const char *version = c->version ? c->version : pm_runtime_version();
    const char *title = c->title ? c->title : "timeline";
    if (f == PM_CHART_PNG)
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(W * k), (int)ceil(H * k));
    else if (f == PM_CHART_SVG)
        s = cairo_svg_surface_create_for_stream(to_buf, &file, W, H);
    else
        s = cairo_pdf_surface_create_for_stream(to_buf, &file, W, H);
    if (f == PM_CHART_PDF) { /* as the maps' */
        char creator[96];
        snprintf(creator, sizeof creator, "partnermap %s", version);
        pm_render_pdf_meta(s, title, "timeline", c->command_line, creator);
    }
    cairo_t *cr = cairo_create(s);
    if (f == PM_CHART_PNG)
        cairo_scale(cr, k, k);
    draw(cr, &x, W, H, title_h, credit_h);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (!cs && f == PM_CHART_PNG)
        cs = cairo_surface_write_to_png_stream(s, to_buf, &file);
    cairo_surface_finish(s);
    if (!cs)
        cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs || pm_buf_failed(&file)) {
        st = pm_error_set(
            err, cs == CAIRO_STATUS_NO_MEMORY || pm_buf_failed(&file) ? PM_ENOMEM : PM_EINTERNAL,
            "cannot draw the chart: %s", cairo_status_to_string(cs));
        goto cleanup;
    }
    if (f == PM_CHART_PNG)
        st = pm_chart_png_meta(&file, dpi, title, c->command_line, version, err);
    else if (f == PM_CHART_SVG)
        st = pm_chart_svg_meta(&file, title, c->command_line, version, err);
    if (!st) {
        pm_buf_append(out, file.data, file.len);
        if (pm_buf_failed(out))
            st = pm_error_set(err, PM_ENOMEM, "out of memory writing the chart");
    }
cleanup:
    pm_buf_destroy(&file);
    g_object_unref(x.pctx);
    return st;
}
