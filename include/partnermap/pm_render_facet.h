/*
 * pm_render_facet: small multiples: one figure with a grid of map panels (one per period), drawn
 * with the renderer of pm_render.h and written to PNG, SVG and PDF like a single map.
 *
 * Every panel shares the projection, the extent, the fill classes, the circle sizes and the tie
 * widths (pm_map_scales_t computed over all panels together, as a batch shares them), so a place
 * or a width means the same in every panel. The figure has one title, one legend and one scale
 * bar (in the first panel); each panel's title is its own (the period). Places a panel does not
 * hold are not drawn in it (absent, not zero: a caller leaves them out of the panel's map); an
 * empty panel (no place, no tie) keeps its frame, basemap and title and says "no ties". Ties
 * marked faded (pm_map_tie_t.faded) are drawn lighter and under the others; the legend explains
 * the two tones with the texts of pm_facet_opts_t.
 *
 * Layout: the page width is opts->width_mm (default 180 mm); the height is a maximum
 * (opts->height_mm, default 230 mm: a journal's text block) that the figure gives back when it
 * needs less. With cols = 0 the number of columns is the one that makes panels largest for the
 * data's shape; labels are placed per panel, only where they fit.
 */
#ifndef PM_RENDER_FACET_H
#define PM_RENDER_FACET_H

#include <stddef.h>

#include "pm_error.h"
#include "pm_render.h"

#define PM_FACET_MAX_PANELS 36
#define PM_FACET_DEFAULT_H_MM 230.0

typedef struct pm_facet_panel {
    const pm_map_t *map; /* lent: the panel's places and ties; NULL or empty = an empty panel */
    const char *title;   /* lent: drawn above the panel (e.g. "1960–1969") */
} pm_facet_panel_t;

typedef struct pm_facet_opts {
    size_t cols;                 /* columns of the grid; 0 = automatic */
    const char *text_new;        /* legend: dark ties; NULL = "new in the period" */
    const char *text_continuing; /* legend: faded ties; NULL = "continuing from before" */
    const char *text_absent;     /* legend note; NULL = "places without ties in a period are
                                    not drawn" */
    const char *text_empty;      /* inside an empty panel; NULL = "no ties" */
    const char *note;            /* a line after the key (e.g. what the figure leaves out);
                                    NULL = none */
} pm_facet_opts_t;

void pm_facet_opts_init(pm_facet_opts_t *o);

/* Draws the n panels into one figure written to every path in outputs (.png, .svg, .pdf), each
 * complete or absent. opts is the figure's (page, theme, classes, palette, legend titles, title,
 * credit, metadata); its shared scales are ignored (the panels' are computed here). The panels'
 * maps must share one basemap (the first panel's that has one is used). diag collects warnings.
 * Errors: PM_EUSAGE (no panel or more than PM_FACET_MAX_PANELS, cols > n, a page too small for
 * the grid, and those of pm_renderer_draw), PM_EDATA (no panel has a place with coordinates),
 * PM_EIO, PM_ENOMEM, PM_EINTERNAL. */
pm_status_t pm_render_facet(pm_renderer_t *r, const pm_facet_panel_t *panels, size_t n,
                            const pm_map_opts_t *opts, const pm_facet_opts_t *fo,
                            const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                            pm_error_t *err);

#endif
