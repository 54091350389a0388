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

/* 1 when name (with or without "_r") is a known ramp. */
int pm_palette_exists(const char *name);

/* The known names, comma-separated, for help texts. Static. */
const char *pm_palette_names(void);

/* Parses "#rrggbb" (or "rrggbb") into *out; PM_EUSAGE when it is not one. */
pm_status_t pm_palette_parse_hex(const char *s, pm_rgb_t *out, pm_error_t *err);

#endif
