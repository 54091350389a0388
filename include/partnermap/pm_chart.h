/*
 * pm_chart: figures of statistics over time, drawn with cairo and pango in the map's themes
 * (colour and print), font and page sizes: small panels of whole-network statistics (one line per
 * statistic, each with its own axis) and a rank chart of the leading places.
 *
 * x is time in years: each period is placed at its middle, and labelled by its years. A NaN value
 * breaks a line (a period with no tie). Text is shaped by pango (Cyrillic, Czech, Kazakh). The
 * output is whole: PNG (at dpi), SVG or PDF into a buffer; the same input gives the same bytes
 * (no dates in PDF or SVG). Each file carries its provenance as the maps do: the title, the
 * program and version, the command line (PDF metadata; SVG <title> and RDF block; PNG pHYs, tEXt
 * Software, iTXt Title and Description).
 */
#ifndef PM_CHART_H
#define PM_CHART_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_render.h"
#include "pm_timeline.h"

typedef enum { PM_CHART_PNG = 0, PM_CHART_SVG, PM_CHART_PDF } pm_chart_format_t;

typedef struct pm_chart_panel {
    const char *title; /* e.g. "Ties" */
    const double *y;   /* [n] values per period; NaN: none */
    int integer;       /* whole numbers: integer ticks */
} pm_chart_panel_t;

typedef struct pm_chart_line {
    const char *label;  /* the place */
    const double *rank; /* [n] rank per period (1 = first); NaN: not active */
} pm_chart_line_t;

typedef struct pm_chart {
    size_t n;                   /* periods */
    const pm_period_t *periods; /* [n], sorted */
    const pm_chart_panel_t *panels;
    size_t n_panels;
    const pm_chart_line_t *lines; /* the rank chart; NULL/0 = none */
    size_t n_lines;
    size_t rank_max;          /* ranks shown: 1..rank_max (a line below leaves the chart) */
    const char *rank_title;   /* e.g. "Rank by strength" */
    const char *title;        /* above the figure; NULL = none */
    const char *credit;       /* provenance line under the figure; NULL = none */
    const char *font;         /* NULL = "DejaVu Sans" */
    const char *command_line; /* in the PDF's, SVG's and PNG's metadata (redacted); NULL = none */
    const char *version;      /* the creator's version in the metadata; NULL = this program's */
    pm_theme_t theme;
    double width_mm, height_mm; /* 0 = 180 x automatic */
    double dpi;                 /* PNG; 0 = 300 */
} pm_chart_t;

/* The format of a path by its extension (.png, .svg, .pdf; any case): 0, or -1 for none. */
int pm_chart_format_of(const char *path, pm_chart_format_t *out);

/* Draws c as f and appends the file's bytes to out. Errors: PM_EUSAGE (nothing to draw, a page
 * too small for the panels), PM_EINTERNAL (cairo), PM_ENOMEM. */
pm_status_t pm_chart_render(const pm_chart_t *c, pm_chart_format_t f, pm_buf_t *out,
                            pm_error_t *err);

#endif
