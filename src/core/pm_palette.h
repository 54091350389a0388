/*
 * pm_palette: named sequential colour ramps for choropleth classes.
 *
 * Every ramp is colour-blind safe and ordered light-to-dark or dark-to-light in lightness, so
 * classes read in order in greyscale too: the viridis family (viridis, magma, inferno, plasma,
 * cividis) and ColorBrewer's sequential schemes (YlOrRd, YlOrBr, YlGnBu, OrRd, PuBu, BuGn, Blues,
 * Greens, Greys, Oranges, Purples, Reds). A ramp is a list of anchor colours; samples between
 * anchors are interpolated in CIELAB so steps look even. A name ending in "_r" reverses a ramp;
 * names are matched without regard to case.
 */
#ifndef PM_PALETTE_H
#define PM_PALETTE_H

#include <stddef.h>

#include "pm_error.h"

typedef struct pm_rgb {
    double r, g, b; /* 0..1, sRGB */
} pm_rgb_t;

/* Samples n colours (n >= 1) from ramp `name` at evenly spaced positions from t0 to t1 (0 = the
 * ramp's first anchor, 1 = its last; t0 > t1 is allowed). n == 1 samples at (t0 + t1) / 2.
 * Errors: PM_EUSAGE for an unknown name (the message lists the names). */
pm_status_t pm_palette_sample(const char *name, double t0, double t1, size_t n, pm_rgb_t *out,
                              pm_error_t *err);

/* n colours for n map classes from ramp `name`, light classes first for the ColorBrewer ramps
 * (skipping the near-white end, which would read as "no data") and the full ramp for the viridis
 * family. Errors as pm_palette_sample. */
pm_status_t pm_palette_classes(const char *name, size_t n, pm_rgb_t *out, pm_error_t *err);

/* CIELAB lightness L* (0 black .. 100 white, D65) of an sRGB colour: what is left of it in
 * greyscale print. */
double pm_palette_lightness(pm_rgb_t c);

/* The print theme's greys: land (units outside the network) and "no data" (matched units without
 * a value). */
pm_rgb_t pm_palette_print_land(void);
pm_rgb_t pm_palette_print_nodata(void);

/* The colour theme's land (units outside the network, L* 91.7) and "no data" (L* 85.7) greys. */
pm_rgb_t pm_palette_colour_land(void);
pm_rgb_t pm_palette_colour_nodata(void);

/* The least step in L* between the print theme's lightest class and both the land and the
 * "no data" grey: a step a reader sees on paper and in a photocopy (a just noticeable difference
 * is about 1 to 2; neighbouring classes differ by 4 or more). */
#define PM_PALETTE_PRINT_MIN_STEP 12.0

/* n (1..9) greys for the classes of the print theme, light to mid grey (black ties stay legible
 * over the darkest), the lightest at least PM_PALETTE_PRINT_MIN_STEP darker in L* than land and
 * "no data". */
void pm_palette_print_classes(size_t n, pm_rgb_t *out);

/* pm_palette_classes for a sequential or diverging ramp whose lightest class must stay at least
 * PM_PALETTE_PRINT_MIN_STEP darker in L* than each colour in apart[0..n_apart) (the colour
 * theme's land and "no data", so that a place in the network never looks like one outside it,
 * in colour or printed in greyscale): the ramp's light end is moved inwards until it is, by at
 * most half of the ramp. Qualitative ramps are returned as pm_palette_classes gives them.
 * Errors: PM_EUSAGE for an unknown name. */
pm_status_t pm_palette_classes_apart(const char *name, size_t n, const pm_rgb_t *apart,
                                     size_t n_apart, pm_rgb_t *out, pm_error_t *err);

/* 1 when name (with or without "_r") is a known ramp. */
int pm_palette_exists(const char *name);

/* The known names, comma-separated, for help texts. Static. */
const char *pm_palette_names(void);

/* Parses "#rrggbb" (or "rrggbb") into *out; PM_EUSAGE when it is not one. */
pm_status_t pm_palette_parse_hex(const char *s, pm_rgb_t *out, pm_error_t *err);

#endif
