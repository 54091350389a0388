/*
 * pm_render_chartmeta: the provenance of a chart's PNG and SVG (see pm_render_chartmeta.c).
 * Private to the renderer.
 */
#ifndef PM_RENDER_CHARTMETA_H
#define PM_RENDER_CHARTMETA_H

#include "pm_buf.h"
#include "pm_error.h"

/* Rewrites the whole PNG file in png (cairo's) with pHYs for dpi, tEXt Software ("partnermap
 * VERSION"), iTXt Title and, when command_line is not NULL, iTXt Description after IHDR.
 * Errors: PM_EINTERNAL (png is not a PNG), PM_ENOMEM; png unchanged on error. */
pm_status_t pm_chart_png_meta(pm_buf_t *png, double dpi, const char *title,
                              const char *command_line, const char *version, pm_error_t *err);
/* Rewrites the whole SVG file in svg (cairo's): <title> and RDF metadata after the <svg> tag,
 * cairo's surface and image ids renumbered in order of appearance. Errors as above. */
pm_status_t pm_chart_svg_meta(pm_buf_t *svg, const char *title, const char *command_line,
                              const char *version, pm_error_t *err);

#endif
