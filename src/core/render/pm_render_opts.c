/*
 * pm_render_opts: the small public pieces of the renderer that need no scene: option defaults,
 * the scales record, the width and radius functions the map and its legend share, and parsers
 * for the command line (page presets, theme, extent). See pm_render.h.
 */
#include "pm_render.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void pm_map_opts_init(pm_map_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->theme = PM_THEME_COLOR;
    o->classify = PM_CLASSIFY_QUANTILE;
}

void pm_map_scales_init(pm_map_scales_t *s)
{
    memset(s, 0, sizeof *s);
}

void pm_map_scales_destroy(pm_map_scales_t *s)
{
    if (!s)
        return;
    free(s->crs);
    memset(s, 0, sizeof *s);
}

pm_status_t pm_map_scales_copy(pm_map_scales_t *dst, const pm_map_scales_t *src, pm_error_t *err)
{
    char *crs = NULL;
    if (src->crs && !(crs = strdup(src->crs)))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    *dst = *src;
    dst->crs = crs;
    return PM_OK;
}

double pm_render_tie_width(const pm_map_scales_t *s, double w)
{
    /* in steps of 1/20 pt (0.018 mm, below what print or screen resolves), so that ties of
     * nearly equal weight share a width and a dense map can stroke them together */
    double x = !(s->weight_max > 0) || !(w > 0)
                   ? s->width_min_pt
                   : fmax(s->width_max_pt * w / s->weight_max, s->width_min_pt);
    x = round(x * 20) / 20;
    return x < 0.05 ? 0.05 : x;
}

double pm_render_circle_radius(const pm_map_scales_t *s, double v)
{
    if (!(v > 0) || !(s->size_max > 0))
        return 0;
    return s->radius_max_pt * sqrt(v / s->size_max);
}

/* A page dimension at s: a number that starts with a digit or a point, in mm. End in *end. */
static double page_number(const char *s, const char **end)
{
    char *e;
    if (!isdigit((unsigned char)*s) && *s != '.') {
        *end = s;
        return NAN;
    }
    double v = strtod(s, &e);
    *end = e;
    return v;
}

pm_status_t pm_render_parse_page(const char *s, double *w_mm, double *h_mm, pm_error_t *err)
{
    if (s && strcasecmp(s, "single") == 0) {
        *w_mm = PM_PAGE_SINGLE_COLUMN_MM, *h_mm = 70;
        return PM_OK;
    }
    if (s && strcasecmp(s, "double") == 0) {
        *w_mm = PM_PAGE_DOUBLE_COLUMN_MM, *h_mm = 120;
        return PM_OK;
    }
    if (s) {
        const char *p;
        double w = page_number(s, &p), h = NAN, f = 0;
        if (p != s && (*p == 'x' || *p == 'X')) {
            const char *q = p + 1;
            h = page_number(q, &p);
            if (p == q)
                h = NAN;
        }
        if (!*p || !strcmp(p, "mm"))
            f = 1;
        else if (!strcmp(p, "cm"))
            f = 10;
        else if (!strcmp(p, "in"))
            f = 25.4;
        w *= f, h *= f;
        if (f > 0 && w >= 30 && w <= 1000 && h >= 30 && h <= 1000) {
            *w_mm = w, *h_mm = h;
            return PM_OK;
        }
    }
    return pm_error_set(err, PM_EUSAGE,
                        "bad page size '%s' (use single, double (journal column widths) or "
                        "WIDTHxHEIGHT with mm, cm or in, 30 to 1000 mm each way: 180x120mm, "
                        "7x5in)",
                        s ? s : "");
}

pm_status_t pm_render_parse_theme(const char *s, pm_theme_t *out, pm_error_t *err)
{
    if (s && (strcmp(s, "color") == 0 || strcmp(s, "colour") == 0)) {
        *out = PM_THEME_COLOR;
        return PM_OK;
    }
    if (s && strcmp(s, "print") == 0) {
        *out = PM_THEME_PRINT;
        return PM_OK;
    }
    return pm_error_set(err, PM_EUSAGE, "unknown theme '%s' (use color or print)", s ? s : "");
}

pm_status_t pm_render_parse_extent(const char *s, double ext[4], pm_error_t *err)
{
    double v[4];
    char tail;
    if (s && sscanf(s, "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) == 4 &&
        fabs(v[0]) <= 180 && fabs(v[2]) <= 180 && v[1] >= -90 && v[3] <= 90 && v[1] < v[3] &&
        v[0] != v[2]) {
        memcpy(ext, v, sizeof v);
        return PM_OK;
    }
    return pm_error_set(err, PM_EUSAGE,
                        "bad extent '%s' (use lon1,lat1,lon2,lat2 in degrees, south before "
                        "north, e.g. 20,40,90,70)",
                        s ? s : "");
}

pm_status_t pm_render_parse_inset(const char *s, pm_inset_mode_t *mode, double box[4],
                                  pm_error_t *err)
{
    double v[4];
    char tail;
    if (s && !strcmp(s, "auto")) {
        *mode = PM_INSET_AUTO;
        return PM_OK;
    }
    if (s && !strcmp(s, "none")) {
        *mode = PM_INSET_NONE;
        return PM_OK;
    }
    if (s && sscanf(s, "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) == 4 &&
        fabs(v[0]) <= 180 && fabs(v[2]) <= 180 && v[1] >= -90 && v[3] <= 90 && v[1] < v[3] &&
        v[0] != v[2]) {
        memcpy(box, v, sizeof v);
        *mode = PM_INSET_BOX;
        return PM_OK;
    }
    return pm_error_set(err, PM_EUSAGE,
                        "--inset '%s': write auto, none, or a box W,S,E,N in degrees (west, "
                        "south, east, north; south below north), e.g. --inset 12,47,23,51",
                        s ? s : "");
}
