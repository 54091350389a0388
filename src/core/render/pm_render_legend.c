/*
 * pm_render_legend: the legend panel, and the scale bar inside the frame.
 *
 * The legend has up to four sections, each measured before the page is laid out: fill classes
 * (one swatch per class with its edges, and "no data" when a matched unit has no value), circle
 * sizes (nested circles with leader lines), tie widths (line samples) and tie styles (documented /
 * probable, with arrowheads when the map is directed). Every sample is drawn by the code that draws
 * the map itself (pm_render_tie_width, pm_render_circle_radius, pm_arcs_sample), so the key cannot
 * disagree with the data. Sections stack in a column (legend at the right) or flow in rows (legend
 * in a strip under the map).
 *
 * The scale bar measures the true scale at the frame's centre (pm_project_scale_at) and shows a
 * round distance about a fifth of the frame wide. It is left out where one bar would mislead: a
 * geographic CRS, or a view wider than 10 000 km.
 */
#include "pm_render_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_PT 7.0
#define TEXT_PT 6.5
#define SECTION_GAP 8.0
#define ROW_GAP 1.6
#define SWATCH_W 11.0
#define SWATCH_H 7.0
#define SAMPLE_LEN 22.0
#define MAX_ROWS (PM_CLASSIFY_MAX + 2)
#define RING_KEY_R 3.5 /* the ring sample's radius */

typedef enum { SEC_FILL, SEC_SIZE, SEC_WIDTH, SEC_STYLE } sec_kind_t;

typedef struct section {
    sec_kind_t kind;
    PangoLayout *title;
    PangoLayout *text[MAX_ROWS];
    double value[MAX_ROWS];
    size_t n;
    double w, h, title_h, row_h[MAX_ROWS];
    double x, y; /* top left, once laid out */
    /* compact legends (sc->legend_compact): fill classes in `cols` columns `col_w` apart; the
     * fill section's size in one column (w1, h1) and in two (w2, h2), for the packing */
    size_t cols;
    double col_w, w1, h1, w2, h2;
    double sample_w;    /* tie styles: the samples' width when the section also keys the one
                           width of every tie (compact); 0 = a middle width */
    size_t hatch_row;   /* fill: the row of the unstable-class swatch, or (size_t)-1 */
    PangoLayout *extra; /* size: the line under the circles saying what the rings are */
    double extra_h;     /* its row's height (0: none) */
} section_t;

struct pm_legend {
    section_t sec[4];
    size_t n;
    /* a compact strip packed in columns (pack_strip): a column starts at section i when bit i of
     * breaks is set; its size w x h */
    int packed;
    unsigned breaks;
    double pack_w, pack_h;
};

/* ---- numbers -------------------------------------------------------------------------------- */

void pm_fmt_num(char *buf, size_t size, double v, int decimals)
{
    char tmp[64], out[96];
    if (decimals < 0)
        decimals = 0;
    snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v));
    if (strspn(tmp, "0.") == strlen(tmp))
        v = 0; /* no "-0" */
    const char *dot = strchr(tmp, '.');
    size_t int_len = dot ? (size_t)(dot - tmp) : strlen(tmp);
    size_t o = 0;
    if (v < 0) { /* U+2212 minus sign */
        memcpy(out + o, "\xe2\x88\x92", 3);
        o += 3;
    }
    for (size_t i = 0; i < int_len; i++) {
        /* Group thousands with a thin space (U+2009) from 10 000 up, as style guides ask. */
        if (int_len > 4 && i > 0 && (int_len - i) % 3 == 0) {
            memcpy(out + o, "\xe2\x80\x89", 3);
            o += 3;
        }
        out[o++] = tmp[i];
    }
    if (dot) {
        size_t rest = strlen(dot);
        memcpy(out + o, dot, rest);
        o += rest;
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
}

/* Decimals for a key value: exact when v has few (2.5, 1500), else three significant digits
 * (977.287 -> 977, 1.0588 -> 1.06), at most 4. */
static int auto_decimals(double v)
{
    int sig = v != 0 ? 2 - (int)floor(log10(fabs(v))) : 0;
    int most = sig < 0 ? 0 : sig > 4 ? 4 : sig;
    for (int d = 0; d < most; d++) {
        double p = pow(10, d);
        if (fabs(round(v * p) - v * p) < 1e-6 * fmax(1, fabs(v * p)))
            return d;
    }
    return most;
}

/* The largest of 1, 2, 2.5, 5 times a power of ten not above x (x > 0). */
static double nice_below(double x)
{
    double p = pow(10, floor(log10(x)));
    static const double steps[] = {5, 2.5, 2, 1};
    for (size_t i = 0; i < 4; i++)
        if (steps[i] * p <= x * (1 + 1e-9))
            return steps[i] * p;
    return p;
}

/* ---- measuring ------------------------------------------------------------------------------ */

static pm_status_t add_text(const pm_scene_t *sc, section_t *s, const char *text, pm_error_t *err)
{
    s->text[s->n] = pm_text_layout(sc, text, TEXT_PT, 0);
    if (!s->text[s->n])
        return pm_error_set(err, PM_ENOMEM, "out of memory for the legend");
    s->n++;
    return PM_OK;
}

static pm_status_t start_section(const pm_scene_t *sc, section_t *s, sec_kind_t kind,
                                 const char *title, pm_error_t *err)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->hatch_row = (size_t)-1;
    if (title && *title) {
        s->title = pm_text_layout(sc, title, TITLE_PT, 1);
        if (!s->title)
            return pm_error_set(err, PM_ENOMEM, "out of memory for the legend");
        double tw;
        pm_text_size(sc, s->title, &tw, &s->title_h);
        s->w = tw;
        s->title_h += 2;
    }
    return PM_OK;
}

static pm_status_t fill_section(const pm_scene_t *sc, section_t *s, pm_error_t *err)
{
    const pm_map_scales_t *sk = &sc->scales;
    const char *title = sc->opts->fill_title ? sc->opts->fill_title : "Fill";
    pm_status_t st = start_section(sc, s, SEC_FILL, title, err);
    double lo[PM_CLASSIFY_MAX], hi[PM_CLASSIFY_MAX];
    int d = 0;
    if (!st && !sc->opts->categorical)
        st = pm_classify_labels(sk->breaks, sk->n_classes, sk->fill_integer, lo, hi, &d, err);
    for (size_t c = 0; c < sk->n_classes && !st; c++) {
        char a[64], b[64], line[160];
        if (sc->opts->categorical) { /* 1, 2, ..., and "9-14" for a last class of the rest */
            double top = floor(sk->breaks[c + 1]);
            if (top > (double)c + 1)
                snprintf(line, sizeof line, "%zu\xe2\x80\x93%.0f", c + 1, top);
            else
                snprintf(line, sizeof line, "%zu", c + 1);
            st = add_text(sc, s, line, err);
            continue;
        }
        pm_fmt_num(a, sizeof a, lo[c], d);
        pm_fmt_num(b, sizeof b, hi[c], d);
        if (lo[c] > hi[c]) /* whole numbers, and none falls in this class */
            snprintf(line, sizeof line, "%s", "none");
        else if (strcmp(a, b) == 0)
            snprintf(line, sizeof line, "%s", a);
        else
            snprintf(line, sizeof line, "%s \xe2\x80\x93 %s", a, b); /* en dash, closed range */
        st = add_text(sc, s, line, err);
    }
    if (!st && sc->has_nodata)
        st = add_text(sc, s, sc->opts->text_nodata ? sc->opts->text_nodata : "no data", err);
    if (!st && sc->has_unstable) {
        s->hatch_row = s->n;
        st = add_text(sc, s, sc->opts->text_unstable ? sc->opts->text_unstable : "unstable class",
                      err);
    }
    /* in one column, and in two (a compact strip may take either, pack_strip) */
    size_t per2 = (s->n + 1) / 2;
    double col_w = 0, title_w = s->w;
    s->h1 = s->h2 = s->title_h;
    for (size_t i = 0; i < s->n && !st; i++) {
        double tw, th;
        pm_text_size(sc, s->text[i], &tw, &th);
        s->row_h[i] = fmax(SWATCH_H, th) + ROW_GAP;
        col_w = fmax(col_w, SWATCH_W + 4 + tw);
        s->h1 += s->row_h[i];
        if (i < per2)
            s->h2 += s->row_h[i];
    }
    s->col_w = col_w + SECTION_GAP;
    s->w1 = fmax(title_w, col_w);
    s->w2 = s->n > 3 ? fmax(title_w, s->col_w + col_w) : s->w1;
    if (s->n <= 3)
        s->h2 = s->h1;
    s->cols = 1, s->w = s->w1, s->h = s->h1;
    return st;
}

/* Starts a section keyed by up to three round values of x under max (pm_classify_keys): the
 * circle sizes or the tie widths. Each value goes to s->value and its label to s->text. */
static pm_status_t key_section(const pm_scene_t *sc, section_t *s, sec_kind_t kind,
                               const char *title, double max, const double *x, size_t nx,
                               pm_error_t *err)
{
    pm_status_t st = start_section(sc, s, kind, title, err);
    double v[3];
    size_t n = pm_classify_keys(max, x, nx, v);
    if (sc->legend_compact && n == 3) { /* a compact legend keys the largest and the smallest */
        v[1] = v[2];
        n = 2;
    }
    for (size_t i = 0; i < n && !st; i++) {
        char buf[64];
        pm_fmt_num(buf, sizeof buf, v[i], auto_decimals(v[i]));
        s->value[i] = v[i];
        st = add_text(sc, s, buf, err);
    }
    return st;
}

static pm_status_t size_section(const pm_scene_t *sc, section_t *s, const double *x, size_t nx,
                                pm_error_t *err)
{
    const char *title = sc->opts->size_title ? sc->opts->size_title : "Size";
    pm_status_t st = key_section(sc, s, SEC_SIZE, title, sc->scales.size_max, x, nx, err);
    double rmax = s->n ? pm_render_circle_radius(&sc->scales, s->value[0]) : 0, tw_max = 0, th = 0;
    for (size_t i = 0; i < s->n; i++) {
        double tw;
        pm_text_size(sc, s->text[i], &tw, &th);
        tw_max = fmax(tw_max, tw);
    }
    /* Circles stand on a common base; each value sits level with its circle's top, pushed down
     * when the tops are closer than a line of text. row_h[i] holds the label's centre. */
    double base = s->title_h + th / 2 + 2 * rmax, last = -INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        double c = base - 2 * pm_render_circle_radius(&sc->scales, s->value[i]);
        s->row_h[i] = last = fmax(c, last + th);
    }
    s->w = fmax(s->w, 2 * rmax + 8 + tw_max);
    s->h = fmax(base, last + th / 2) + ROW_GAP;
    if (!st && sc->has_ring) { /* a ring sample and what the rings are, under the circles */
        const char *t = sc->opts->text_ring ? sc->opts->text_ring : "ring";
        s->extra = pm_text_layout(sc, t, TEXT_PT, 0);
        if (!s->extra)
            return pm_error_set(err, PM_ENOMEM, "out of memory for the legend");
        double tw;
        pm_text_size(sc, s->extra, &tw, &th);
        s->extra_h = fmax(2 * RING_KEY_R + 2, th) + ROW_GAP;
        s->w = fmax(s->w, 2 * RING_KEY_R + 5 + tw);
        s->h += s->extra_h;
    }
    return st;
}

static pm_status_t width_section(const pm_scene_t *sc, section_t *s, const double *x, size_t nx,
                                 pm_error_t *err)
{
    const char *title = sc->opts->weight_title ? sc->opts->weight_title : "Weight";
    pm_status_t st = key_section(sc, s, SEC_WIDTH, title, sc->scales.weight_max, x, nx, err);
    for (size_t i = 0; i < s->n; i++) {
        double tw, th, w = pm_render_tie_width(&sc->scales, s->value[i]);
        pm_text_size(sc, s->text[i], &tw, &th);
        s->row_h[i] = fmax(w + 2, th) + ROW_GAP;
        s->w = fmax(s->w, SAMPLE_LEN + 4 + tw);
        s->h += s->row_h[i];
    }
    s->h += s->title_h;
    return st;
}

static pm_status_t style_section(const pm_scene_t *sc, section_t *s, const char *title,
                                 pm_error_t *err)
{
    const pm_map_opts_t *o = sc->opts;
    pm_status_t st = start_section(sc, s, SEC_STYLE,
                                   title            ? title
                                   : o->text_status ? o->text_status
                                                    : "Tie status",
                                   err);
    if (!st)
        st = add_text(sc, s, o->text_documented ? o->text_documented : "documented", err);
    if (!st && sc->has_probable)
        st = add_text(sc, s, o->text_probable ? o->text_probable : "probable", err);
    for (size_t i = 0; i < s->n && !st; i++) {
        double tw, th;
        pm_text_size(sc, s->text[i], &tw, &th);
        s->row_h[i] = fmax(6, th) + ROW_GAP;
        s->w = fmax(s->w, SAMPLE_LEN + 4 + tw);
        s->h += s->row_h[i];
    }
    s->h += s->title_h;
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

pm_status_t pm_legend_measure(pm_scene_t *sc, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    /* The values drawn (sizes of places with a location, weights of ties between two of them).
     * The scene has not placed anything yet: place_of is 0 for a place that will be drawn. */
    const pm_map_t *m = sc->map;
    size_t nw = 0, ns = 0;
    double *w = malloc((m->n_ties ? m->n_ties : 1) * sizeof *w);
    double *sz = malloc((m->n_places ? m->n_places : 1) * sizeof *sz);
    pm_legend_t *lg = calloc(1, sizeof *lg);
    if (!w || !sz || !lg) {
        free(lg);
        st = pm_error_set(err, PM_ENOMEM, "out of memory for the legend");
        goto cleanup;
    }
    for (size_t i = 0; i < m->n_ties; i++) {
        const pm_map_tie_t *t = &m->ties[i];
        if (t->weight > 0 && isfinite(t->weight) && t->from != t->to &&
            sc->place_of[t->from] == 0 && sc->place_of[t->to] == 0)
            w[nw++] = t->weight;
    }
    for (size_t i = 0; i < m->n_places; i++)
        if (m->places[i].size > 0 && isfinite(m->places[i].size) && sc->place_of[i] == 0)
            sz[ns++] = m->places[i].size;
    qsort(w, nw, sizeof *w, cmp_double);
    qsort(sz, ns, sizeof *sz, cmp_double);
    sc->legend = lg;
    if (sc->has_fill && sc->scales.n_classes > 0)
        st = fill_section(sc, &lg->sec[lg->n++], err);
    if (!st && sc->has_size && sc->scales.size_max > 0)
        st = size_section(sc, &lg->sec[lg->n++], sz, ns, err);
    if (!st && sc->scales.weight_max > 0)
        st = width_section(sc, &lg->sec[lg->n++], w, nw, err);
    if (!st && sc->scales.weight_max > 0 && (sc->has_probable || sc->map->directed)) {
        section_t *ws = &lg->sec[lg->n - 1];
        char title[256];
        const char *wt = sc->opts->weight_title ? sc->opts->weight_title : "Weight";
        if (sc->legend_compact && ws->kind == SEC_WIDTH && ws->n == 1) {
            /* compact, every tie of one width: the styles' samples show it, the title says it */
            snprintf(title, sizeof title, "%s %s", wt, pango_layout_get_text(ws->text[0]));
            double one = pm_render_tie_width(&sc->scales, ws->value[0]);
            if (ws->title)
                g_object_unref(ws->title);
            g_object_unref(ws->text[0]);
            st = style_section(sc, ws, title, err);
            ws->sample_w = one;
        } else {
            st = style_section(sc, &lg->sec[lg->n++], NULL, err);
        }
    }
cleanup:
    free(sz);
    free(w);
    return st;
}

/* The gap between sections side by side in a strip: narrower in a compact legend. */
static double strip_gap(const pm_scene_t *sc)
{
    return sc->legend_compact ? 1.5 * SECTION_GAP : 2 * SECTION_GAP;
}

/* A compact strip: the sections in columns side by side (each column a run of sections, one
 * under the other), the fill classes in one or two columns, the arrangement of least height
 * that fits max_w; lg->packed stays 0 when none fits (the sections then flow in rows). */
static void pack_strip(const pm_scene_t *sc, pm_legend_t *lg, double max_w)
{
    double best_h = INFINITY, best_w = 0;
    unsigned best_breaks = 1;
    int best_cols = 1;
    section_t *fill = lg->n && lg->sec[0].kind == SEC_FILL ? &lg->sec[0] : NULL;
    for (int cols = 1; cols <= (fill && fill->n > 3 ? 2 : 1); cols++) {
        if (fill)
            fill->w = cols == 2 ? fill->w2 : fill->w1, fill->h = cols == 2 ? fill->h2 : fill->h1;
        for (unsigned mask = 0; mask < (1u << (lg->n - 1)); mask++) {
            unsigned breaks = 1u | (mask << 1); /* section 0 always starts a column */
            double tw = 0, th = 0, cw = 0, ch = 0;
            for (size_t i = 0; i <= lg->n; i++) {
                if (i == lg->n || (i > 0 && (breaks >> i & 1u))) {
                    tw += cw + (tw > 0 ? strip_gap(sc) : 0);
                    th = fmax(th, ch);
                    cw = ch = 0;
                }
                if (i == lg->n)
                    break;
                cw = fmax(cw, lg->sec[i].w);
                ch += lg->sec[i].h + (ch > 0 ? SECTION_GAP / 2 : 0);
            }
            if (tw <= max_w && (th < best_h - 0.01 || (fabs(th - best_h) < 0.01 && tw < best_w))) {
                best_h = th, best_w = tw, best_breaks = breaks, best_cols = cols;
            }
        }
    }
    lg->packed = isfinite(best_h);
    if (fill) {
        int c = lg->packed ? best_cols : 1;
        fill->cols = (size_t)c;
        fill->w = c == 2 ? fill->w2 : fill->w1, fill->h = c == 2 ? fill->h2 : fill->h1;
    }
    lg->breaks = best_breaks, lg->pack_w = best_w, lg->pack_h = best_h;
}

void pm_legend_size(const pm_scene_t *sc, int bottom, double max_extent, double *w, double *h)
{
    const pm_legend_t *lg = sc->legend;
    *w = *h = 0;
    if (!lg || lg->n == 0)
        return;
    if (!bottom) {
        for (size_t i = 0; i < lg->n; i++) {
            *w = fmax(*w, lg->sec[i].w);
            *h += lg->sec[i].h + (i ? SECTION_GAP : 0);
        }
        return;
    }
    pm_legend_t *ml = (pm_legend_t *)lg; /* the legend is the scene's, not shared */
    section_t *fill = lg->sec[0].kind == SEC_FILL ? &ml->sec[0] : NULL;
    ml->packed = 0;
    if (fill) /* the flowing strip has the classes in one column */
        fill->cols = 1, fill->w = fill->w1, fill->h = fill->h1;
    double x = 0, row_h = 0;
    for (size_t i = 0; i < lg->n; i++) {
        const section_t *s = &lg->sec[i];
        if (x > 0 && x + s->w > max_extent) {
            *h += row_h + SECTION_GAP / 2;
            x = 0, row_h = 0;
        }
        x += s->w + strip_gap(sc);
        row_h = fmax(row_h, s->h);
        *w = fmax(*w, x - strip_gap(sc));
    }
    *h += row_h;
    if (!sc->legend_compact)
        return;
    /* compact: packed in columns when that is lower than the flowing strip */
    pack_strip(sc, ml, max_extent);
    if (ml->packed && ml->pack_h < *h - 0.01) {
        *w = ml->pack_w, *h = ml->pack_h;
        return;
    }
    ml->packed = 0;
    if (fill)
        fill->cols = 1, fill->w = fill->w1, fill->h = fill->h1;
}

/* Positions the sections inside the legend area (sc->lx, ly, lw). */
static void legend_place(const pm_scene_t *sc, pm_legend_t *lg)
{
    double x = sc->lx, y = sc->ly, row_h = 0, col_w = 0;
    if (sc->legend_bottom && lg->packed) {
        for (size_t i = 0; i < lg->n; i++) {
            section_t *s = &lg->sec[i];
            if (i > 0 && (lg->breaks >> i & 1u)) {
                x += col_w + strip_gap(sc);
                y = sc->ly, col_w = 0;
            }
            s->x = x, s->y = y;
            y += s->h + SECTION_GAP / 2;
            col_w = fmax(col_w, s->w);
        }
        return;
    }
    for (size_t i = 0; i < lg->n; i++) {
        section_t *s = &lg->sec[i];
        if (!sc->legend_bottom) {
            s->x = x, s->y = y;
            y += s->h + SECTION_GAP;
            continue;
        }
        if (x > sc->lx && x + s->w > sc->lx + sc->lw) {
            y += row_h + SECTION_GAP / 2;
            x = sc->lx, row_h = 0;
        }
        s->x = x, s->y = y;
        x += s->w + strip_gap(sc);
        row_h = fmax(row_h, s->h);
    }
}

/* ---- drawing -------------------------------------------------------------------------------- */

#define HATCH_STEP_PT 2.4  /* distance between the hatching's lines */
#define HATCH_LINE_PT 0.45 /* their width */

pm_rgb_t pm_uncert_mark_color(const pm_scene_t *sc)
{
    return sc->col.text; /* near black in both themes: reads on every class, also in grey */
}

void pm_hatch_path(cairo_t *cr, pm_rgb_t c)
{
    double x0, y0, x1, y1;
    cairo_save(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
    /* lines at 45 degrees, HATCH_STEP_PT apart, over the clip's box */
    double h = y1 - y0;
    for (double k = floor((x0 - h) / HATCH_STEP_PT) * HATCH_STEP_PT; k <= x1; k += HATCH_STEP_PT) {
        cairo_move_to(cr, k, y1);
        cairo_line_to(cr, k + (y1 - y0), y0);
    }
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_set_line_width(cr, HATCH_LINE_PT);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_fill(cairo_t *cr, const pm_scene_t *sc, const section_t *s)
{
    double y = s->y + s->title_h;
    size_t cols = s->cols ? s->cols : 1, per = (s->n + cols - 1) / cols;
    for (size_t i = 0; i < s->n; i++) {
        double tw, th, x = s->x + (double)(i / per) * s->col_w;
        if (i > 0 && i % per == 0)
            y = s->y + s->title_h; /* the next column */
        pm_text_size(sc, s->text[i], &tw, &th);
        double sy = y + (s->row_h[i] - ROW_GAP - SWATCH_H) / 2;
        pm_rgb_t c = i < sc->scales.n_classes ? sc->col.classes[i]
                     : i == s->hatch_row      ? sc->col.paper
                                              : sc->col.nodata;
        cairo_rectangle(cr, x, sy, SWATCH_W, SWATCH_H);
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        if (i == s->hatch_row) {
            cairo_fill_preserve(cr);
            cairo_save(cr);
            pm_hatch_path(cr, pm_uncert_mark_color(sc));
            cairo_restore(cr);
            cairo_rectangle(cr, x, sy, SWATCH_W, SWATCH_H);
            pm_rgb_t m = pm_uncert_mark_color(sc);
            cairo_set_source_rgb(cr, m.r, m.g, m.b);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
            pm_text_draw(sc, cr, s->text[i], x + SWATCH_W + 4, y + (s->row_h[i] - ROW_GAP - th) / 2,
                         sc->col.text, 0, sc->col.halo);
            y += s->row_h[i];
            continue;
        }
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, sc->col.muted.r, sc->col.muted.g, sc->col.muted.b);
        cairo_set_line_width(cr, 0.3);
        cairo_stroke(cr);
        pm_text_draw(sc, cr, s->text[i], x + SWATCH_W + 4, y + (s->row_h[i] - ROW_GAP - th) / 2,
                     sc->col.text, 0, sc->col.halo);
        y += s->row_h[i];
    }
}

static void draw_size(cairo_t *cr, const pm_scene_t *sc, const section_t *s)
{
    if (s->n == 0)
        return;
    double rmax = pm_render_circle_radius(&sc->scales, s->value[0]);
    double th = 0, tw;
    pm_text_size(sc, s->text[0], &tw, &th);
    double cx = s->x + rmax, base = s->y + s->title_h + th / 2 + 2 * rmax;
    double tx = s->x + 2 * rmax + 8;
    for (size_t i = 0; i < s->n; i++) {
        double r = pm_render_circle_radius(&sc->scales, s->value[i]);
        double top = base - 2 * r, ly = s->y + s->row_h[i];
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, base - r, r, 0, 2 * PM_PI);
        cairo_set_source_rgba(cr, sc->col.circle_fill.r, sc->col.circle_fill.g,
                              sc->col.circle_fill.b, sc->col.circle_alpha);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, sc->col.circle_line.r, sc->col.circle_line.g,
                             sc->col.circle_line.b);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        /* leader from the circle's top to its value */
        cairo_move_to(cr, cx, top);
        cairo_line_to(cr, tx - 4, top);
        cairo_line_to(cr, tx - 1.5, ly);
        cairo_set_source_rgb(cr, sc->col.muted.r, sc->col.muted.g, sc->col.muted.b);
        cairo_set_line_width(cr, 0.3);
        cairo_stroke(cr);
        pm_text_size(sc, s->text[i], &tw, &th);
        pm_text_draw(sc, cr, s->text[i], tx, ly - th / 2, sc->col.text, 0, sc->col.halo);
    }
    if (s->extra) { /* the ring sample, drawn as the map's rings are */
        static const double dash[2] = {1.6, 1.0};
        double cy = s->y + s->h - s->extra_h + (s->extra_h - ROW_GAP) / 2;
        pm_rgb_t m = pm_uncert_mark_color(sc);
        cairo_new_path(cr);
        cairo_arc(cr, s->x + RING_KEY_R + 0.5, cy, RING_KEY_R, 0, 2 * PM_PI);
        cairo_set_source_rgb(cr, m.r, m.g, m.b);
        cairo_set_line_width(cr, 0.7);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        pm_text_size(sc, s->extra, &tw, &th);
        pm_text_draw(sc, cr, s->extra, s->x + 2 * RING_KEY_R + 5, cy - th / 2, sc->col.text, 0,
                     sc->col.halo);
    }
}

static void draw_rows(cairo_t *cr, const pm_scene_t *sc, const section_t *s)
{
    double y = s->y + s->title_h;
    double mid_w = pm_render_tie_width(&sc->scales, sc->scales.weight_max / 3);
    mid_w = fmin(fmax(mid_w, 0.8), 2.0);
    for (size_t i = 0; i < s->n; i++) {
        double tw, th, x = s->x;
        pm_text_size(sc, s->text[i], &tw, &th);
        double cy = y + (s->row_h[i] - ROW_GAP) / 2;
        if (s->kind == SEC_WIDTH)
            pm_arcs_sample(cr, sc, x, cy, SAMPLE_LEN, pm_render_tie_width(&sc->scales, s->value[i]),
                           0, 0);
        else
            pm_arcs_sample(cr, sc, x, cy, SAMPLE_LEN, s->sample_w > 0 ? s->sample_w : mid_w, i == 1,
                           sc->map->directed);
        pm_text_draw(sc, cr, s->text[i], x + SAMPLE_LEN + 4, cy - th / 2, sc->col.text, 0,
                     sc->col.halo);
        y += s->row_h[i];
    }
}

void pm_legend_draw(cairo_t *cr, const pm_scene_t *sc)
{
    pm_legend_t *lg = sc->legend;
    if (!lg)
        return;
    legend_place(sc, lg);
    cairo_save(cr);
    for (size_t i = 0; i < lg->n; i++) {
        const section_t *s = &lg->sec[i];
        if (s->title)
            pm_text_draw(sc, cr, s->title, s->x, s->y, sc->col.text, 0, sc->col.halo);
        if (s->kind == SEC_FILL)
            draw_fill(cr, sc, s);
        else if (s->kind == SEC_SIZE)
            draw_size(cr, sc, s);
        else
            draw_rows(cr, sc, s);
    }
    cairo_restore(cr);
}

void pm_legend_free(pm_scene_t *sc)
{
    pm_legend_t *lg = sc->legend;
    if (lg) {
        for (size_t i = 0; i < lg->n; i++) {
            if (lg->sec[i].title)
                g_object_unref(lg->sec[i].title);
            for (size_t j = 0; j < lg->sec[i].n; j++)
                g_object_unref(lg->sec[i].text[j]);
            if (lg->sec[i].extra)
                g_object_unref(lg->sec[i].extra);
        }
        free(lg);
    }
    sc->legend = NULL;
    for (int i = 0; i < 2; i++) {
        if (sc->bar_labels[i])
            g_object_unref(sc->bar_labels[i]);
        sc->bar_labels[i] = NULL;
    }
}

/* ---- scale bar ------------------------------------------------------------------------------ */

pm_status_t pm_scalebar_build(pm_scene_t *sc, pm_error_t *err)
{
    const pm_view_t *v = &sc->view;
    double cx = v->ux0 + v->fw / 2 / v->s, cy = v->uy1 - v->fh / 2 / v->s, upm;
    sc->bar_len = 0;
    if (pm_project_is_geographic(v->proj))
        return PM_OK;
    double lon = cx, lat = cy;
    pm_status_t st = pm_project_inv(v->proj, &lon, &lat, 1, NULL, err);
    if (st)
        return st;
    if (isnan(lon) || pm_project_scale_at(v->proj, lon, lat, &upm, NULL) != PM_OK)
        return PM_OK;
    double pt_per_m = upm * v->s;
    if (!(pt_per_m > 0) || v->fw / pt_per_m > 1e7)
        return PM_OK;
    double metres = nice_below(0.2 * v->fw / pt_per_m);
    int km = metres >= 1000;
    double unit = km ? 1000 : 1;
    sc->bar_len = metres * pt_per_m;
    sc->bar_h = 2.2;
    /* Two labels, "0" and the length with its unit: a middle value crowds short bars. */
    char buf[2][64];
    pm_fmt_num(buf[0], sizeof buf[0], 0, 0);
    pm_fmt_num(buf[1], sizeof buf[1], metres / unit, auto_decimals(metres / unit));
    strncat(buf[1], km ? " km" : " m", sizeof buf[1] - strlen(buf[1]) - 1);
    double tw = 0, th = 0, w0 = 0;
    for (int i = 0; i < 2; i++) {
        sc->bar_labels[i] = pm_text_layout(sc, buf[i], 5.5, 0);
        if (!sc->bar_labels[i])
            return pm_error_set(err, PM_ENOMEM, "out of memory for the scale bar");
        pm_text_size(sc, sc->bar_labels[i], &tw, &th);
        if (i == 0)
            w0 = tw;
    }
    sc->bar_y = v->fy + v->fh - 6 - sc->bar_h;
    sc->bar_x = v->fx + 6 + w0 / 2;
    sc->bar_box[0] = sc->bar_x - w0 / 2 - 3;
    sc->bar_box[1] = sc->bar_y - th - 2.5;
    sc->bar_box[2] = sc->bar_x + sc->bar_len + tw / 2 + 3;
    sc->bar_box[3] = sc->bar_y + sc->bar_h + 2.5;
    return PM_OK;
}

void pm_scalebar_draw(cairo_t *cr, const pm_scene_t *sc)
{
    if (!(sc->bar_len > 0))
        return;
    const double *b = sc->bar_box;
    cairo_save(cr);
    cairo_rectangle(cr, b[0], b[1], b[2] - b[0], b[3] - b[1]);
    cairo_set_source_rgba(cr, sc->col.paper.r, sc->col.paper.g, sc->col.paper.b, 0.8);
    cairo_fill(cr);
    double half = sc->bar_len / 2;
    for (int i = 0; i < 2; i++) {
        cairo_rectangle(cr, sc->bar_x + i * half, sc->bar_y, half, sc->bar_h);
        pm_rgb_t c = i == 0 ? sc->col.text : sc->col.paper;
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, sc->col.text.r, sc->col.text.g, sc->col.text.b);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
    }
    for (int i = 0; i < 2; i++) { /* each label centred over its end of the bar */
        double tw, th;
        pm_text_size(sc, sc->bar_labels[i], &tw, &th);
        double x = sc->bar_x + i * sc->bar_len - tw / 2;
        pm_text_draw(sc, cr, sc->bar_labels[i], x, sc->bar_y - th - 0.8, sc->col.text, 0,
                     sc->col.halo);
    }
    cairo_restore(cr);
}
