/*
 * pm_palette: the ramp tables and CIELAB interpolation (see pm_palette.h).
 *
 * Each ramp is 9 anchors. The viridis-family anchors are the published colour maps sampled at 9
 * even steps; the ColorBrewer anchors are the 9-class schemes of Cynthia Brewer's ColorBrewer
 * (Apache-2.0 licensed colour specifications). Interpolation in CIELAB (D65) keeps lightness steps
 * even where plain sRGB mixing would not.
 */
#include "pm_palette.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N_ANCHORS 9

typedef struct ramp {
    const char *name;
    unsigned int hex[N_ANCHORS];
    int brewer; /* 1 ColorBrewer: first anchor is near white; 2 qualitative: classes take the
                   anchors in order, never interpolated */
} ramp_t;

static const ramp_t ramps[] = {
    /* Okabe & Ito's colour-blind-safe qualitative set (black last, as it is for ties) */
    {"okabe-ito",
     {0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7, 0x999999, 0x000000},
     2},
    {"viridis",
     {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21908c, 0x27ad81, 0x5dc863, 0xaadc32, 0xfde725},
     0},
    {"magma",
     {0x000004, 0x1d1147, 0x51127c, 0x822681, 0xb63679, 0xe65164, 0xfb8861, 0xfec287, 0xfcfdbf},
     0},
    {"inferno",
     {0x000004, 0x1b0c42, 0x4b0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9a06, 0xfcffa4},
     0},
    {"plasma",
     {0x0d0887, 0x4c02a1, 0x7e03a8, 0xa92395, 0xcc4678, 0xe56b5d, 0xf89441, 0xfdc328, 0xf0f921},
     0},
    {"cividis",
     {0x00204d, 0x00336f, 0x39486b, 0x575c6d, 0x707173, 0x8a8779, 0xa69d75, 0xc4b56c, 0xffea46},
     0},
    {"YlOrRd",
     {0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xbd0026, 0x800026},
     1},
    {"YlOrBr",
     {0xffffe5, 0xfff7bc, 0xfee391, 0xfec44f, 0xfe9929, 0xec7014, 0xcc4c02, 0x993404, 0x662506},
     1},
    {"YlGnBu",
     {0xffffd9, 0xedf8b1, 0xc7e9b4, 0x7fcdbb, 0x41b6c4, 0x1d91c0, 0x225ea8, 0x253494, 0x081d58},
     1},
    {"OrRd",
     {0xfff7ec, 0xfee8c8, 0xfdd49e, 0xfdbb84, 0xfc8d59, 0xef6548, 0xd7301f, 0xb30000, 0x7f0000},
     1},
    {"PuBu",
     {0xfff7fb, 0xece7f2, 0xd0d1e6, 0xa6bddb, 0x74a9cf, 0x3690c0, 0x0570b0, 0x045a8d, 0x023858},
     1},
    {"BuGn",
     {0xf7fcfd, 0xe5f5f9, 0xccece6, 0x99d8c9, 0x66c2a4, 0x41ae76, 0x238b45, 0x006d2c, 0x00441b},
     1},
    {"Blues",
     {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b},
     1},
    {"Greens",
     {0xf7fcf5, 0xe5f5e0, 0xc7e9c0, 0xa1d99b, 0x74c476, 0x41ab5d, 0x238b45, 0x006d2c, 0x00441b},
     1},
    {"Greys",
     {0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000},
     1},
    {"Oranges",
     {0xfff5eb, 0xfee6ce, 0xfdd0a2, 0xfdae6b, 0xfd8d3c, 0xf16913, 0xd94801, 0xa63603, 0x7f2704},
     1},
    {"Purples",
     {0xfcfbfd, 0xefedf5, 0xdadaeb, 0xbcbddc, 0x9e9ac8, 0x807dba, 0x6a51a3, 0x54278f, 0x3f007d},
     1},
    {"Reds",
     {0xfff5f0, 0xfee0d2, 0xfcbba1, 0xfc9272, 0xfb6a4a, 0xef3b2c, 0xcb181d, 0xa50f15, 0x67000d},
     1},
};

static const ramp_t *find_ramp(const char *name, int *reversed)
{
    *reversed = 0;
    if (!name)
        return NULL;
    size_t len = strlen(name);
    if (len > 2 && strcasecmp(name + len - 2, "_r") == 0) {
        *reversed = 1;
        len -= 2;
    }
    for (size_t i = 0; i < sizeof ramps / sizeof *ramps; i++)
        if (strlen(ramps[i].name) == len && strncasecmp(ramps[i].name, name, len) == 0)
            return &ramps[i];
    return NULL;
}

/* ---- sRGB <-> CIELAB (D65) ---------------------------------------------------------------- */

static double to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double from_linear(double c)
{
    double v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double lab_f(double t)
{
    return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static double lab_finv(double t)
{
    return t > 6.0 / 29 ? t * t * t : (116 * t - 16) * 27 / 24389;
}

static const double WX = 0.95047, WY = 1.0, WZ = 1.08883;

static void hex_to_lab(unsigned int hex, double lab[3])
{
    double r = to_linear(((hex >> 16) & 0xff) / 255.0);
    double g = to_linear(((hex >> 8) & 0xff) / 255.0);
    double b = to_linear((hex & 0xff) / 255.0);
    double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    double fx = lab_f(x / WX), fy = lab_f(y / WY), fz = lab_f(z / WZ);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

static pm_rgb_t lab_to_rgb(const double lab[3])
{
    double fy = (lab[0] + 16) / 116, fx = fy + lab[1] / 500, fz = fy - lab[2] / 200;
    double x = WX * lab_finv(fx), y = WY * lab_finv(fy), z = WZ * lab_finv(fz);
    pm_rgb_t c;
    c.r = from_linear(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    c.g = from_linear(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z);
    c.b = from_linear(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
    /* Round to 8 bits so every surface (and every golden file) sees the same colour. */
    c.r = round(c.r * 255) / 255;
    c.g = round(c.g * 255) / 255;
    c.b = round(c.b * 255) / 255;
    return c;
}

static pm_rgb_t ramp_at(const ramp_t *r, double t)
{
    double lab0[3], lab1[3], lab[3];
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double pos = t * (N_ANCHORS - 1);
    size_t i = (size_t)floor(pos);
    if (i >= N_ANCHORS - 1)
        i = N_ANCHORS - 2;
    double f = pos - (double)i;
    hex_to_lab(r->hex[i], lab0);
    hex_to_lab(r->hex[i + 1], lab1);
    for (int k = 0; k < 3; k++)
        lab[k] = lab0[k] + (lab1[k] - lab0[k]) * f;
    return lab_to_rgb(lab);
}

pm_status_t pm_palette_sample(const char *name, double t0, double t1, size_t n, pm_rgb_t *out,
                              pm_error_t *err)
{
    int rev;
    const ramp_t *r = find_ramp(name, &rev);
    if (!r)
        return pm_error_set(err, PM_EUSAGE, "unknown palette '%s' (use one of %s)",
                            name ? name : "", pm_palette_names());
    for (size_t i = 0; i < n; i++) {
        double f = n == 1 ? 0.5 : (double)i / (double)(n - 1);
        double t = t0 + (t1 - t0) * f;
        out[i] = ramp_at(r, rev ? 1 - t : t);
    }
    return PM_OK;
}

/* The part of ramp r that n classes use: ColorBrewer ramps keep their palest anchor for "no data"
 * and the page, and with few classes use less of the dark end too, as the published small
 * schemes do. */
static void ramp_span(const ramp_t *r, size_t n, double *t0, double *t1)
{
    *t0 = r->brewer ? (n <= 3 ? 0.15 : 0.1) : 0;
    *t1 = r->brewer && n <= 4 ? 0.85 : 1;
}

pm_status_t pm_palette_classes(const char *name, size_t n, pm_rgb_t *out, pm_error_t *err)
{
    int rev;
    const ramp_t *r = find_ramp(name, &rev);
    if (!r)
        return pm_palette_sample(name, 0, 1, n, out, err);
    if (r->brewer == 2) { /* qualitative: the colours in order */
        for (size_t i = 0; i < n; i++) {
            unsigned int h = r->hex[(rev ? N_ANCHORS - 1 - i % N_ANCHORS : i % N_ANCHORS)];
            out[i].r = ((h >> 16) & 0xff) / 255.0;
            out[i].g = ((h >> 8) & 0xff) / 255.0;
            out[i].b = (h & 0xff) / 255.0;
        }
        return PM_OK;
    }
    double t0, t1;
    ramp_span(r, n, &t0, &t1);
    return pm_palette_sample(name, t0, t1, n, out, err);
}

pm_status_t pm_palette_classes_apart(const char *name, size_t n, const pm_rgb_t *apart,
                                     size_t n_apart, pm_rgb_t *out, pm_error_t *err)
{
    int rev;
    const ramp_t *r = find_ramp(name, &rev);
    if (!r || r->brewer == 2 || n_apart == 0)
        return pm_palette_classes(name, n, out, err);
    double limit = INFINITY, t0, t1;
    for (size_t i = 0; i < n_apart; i++)
        limit = fmin(limit, pm_palette_lightness(apart[i]) - PM_PALETTE_PRINT_MIN_STEP);
    ramp_span(r, n, &t0, &t1);
    /* class i is drawn at t0 + (t1 - t0) * i / (n - 1) (pm_palette_sample): the lighter of the
     * first and the last class moves inwards in steps of 1/200 of the ramp */
#define AT(t) pm_palette_lightness(ramp_at(r, rev ? 1 - (t) : (t)))
    int first_light = AT(t0) > AT(t1);
    double *end = first_light ? &t0 : &t1, step = first_light ? 0.005 : -0.005;
    double stop = first_light ? t0 + 0.5 : t1 - 0.5;
    while (AT(*end) > limit && (first_light ? *end + step <= stop : *end + step >= stop))
        *end += step;
#undef AT
    return pm_palette_sample(name, t0, t1, n, out, err);
}

double pm_palette_lightness(pm_rgb_t c)
{
    double y = 0.2126729 * to_linear(c.r) + 0.7151522 * to_linear(c.g) + 0.0721750 * to_linear(c.b);
    return 116 * lab_f(y / WY) - 16;
}

pm_rgb_t pm_palette_print_land(void)
{
    return (pm_rgb_t){0.957, 0.957, 0.957}; /* L* 96.2 */
}

pm_rgb_t pm_palette_colour_land(void)
{
    return (pm_rgb_t){0.914, 0.906, 0.882};
}

pm_rgb_t pm_palette_colour_nodata(void)
{
    return (pm_rgb_t){0.84, 0.84, 0.84};
}

pm_rgb_t pm_palette_print_nodata(void)
{
    return (pm_rgb_t){0.99, 0.99, 0.99}; /* L* 99.1 */
}

void pm_palette_print_classes(size_t n, pm_rgb_t *out)
{
    /* Greys from 0.33 (#c7c7c7, L* 80.2: 16.0 below land, 18.9 below "no data") to 0.66
     * (#6a6a6a, L* 44.8). Starting at 0.2 (#e2e2e2, L* 89.9) left the lightest class 6.3 L* from
     * land, too close to tell apart on paper. */
    pm_palette_sample("Greys", 0.33, 0.66, n, out, NULL);
}

int pm_palette_exists(const char *name)
{
    int rev;
    return find_ramp(name, &rev) != NULL;
}

const char *pm_palette_names(void)
{
    return "viridis, magma, inferno, plasma, cividis, YlOrRd, YlOrBr, YlGnBu, OrRd, PuBu, BuGn, "
           "Blues, Greens, Greys, Oranges, Purples, Reds (add _r to reverse); okabe-ito "
           "(qualitative, for communities and components)";
}

pm_status_t pm_palette_parse_hex(const char *s, pm_rgb_t *out, pm_error_t *err)
{
    const char *p = s && s[0] == '#' ? s + 1 : s;
    unsigned int v = 0;
    size_t i = 0;
    for (; p && p[i]; i++) {
        int c = tolower((unsigned char)p[i]);
        if (!isxdigit(c) || i >= 6)
            break;
        v = v * 16 + (unsigned int)(isdigit(c) ? c - '0' : c - 'a' + 10);
    }
    if (!p || i != 6 || p[i] != '\0')
        return pm_error_set(err, PM_EUSAGE, "'%s' is not a colour (use #rrggbb)", s ? s : "");
    out->r = ((v >> 16) & 0xff) / 255.0;
    out->g = ((v >> 8) & 0xff) / 255.0;
    out->b = (v & 0xff) / 255.0;
    return PM_OK;
}
