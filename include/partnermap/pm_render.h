/*
 * pm_render: publication-quality maps of places and ties, drawn with cairo to PNG, SVG and PDF.
 *
 * Input is plain data (pm_map_t) that the caller fills from the graph and the join: places with a
 * lon/lat anchor, a label, a fill value (choropleth on the place's polygon), a size value (circle
 * area), and ties between places with a weight (line width) and a style (documented: solid,
 * probable: dashed). Options (pm_map_opts_t) choose the projection, page, theme, classes and
 * palette, legend titles, metadata, and optionally fixed scales shared by a batch of maps.
 *
 * One scene is built (projection, clipping, simplification, tie arcs, label placement, legend)
 * and then drawn to every output, so PNG, SVG and PDF agree exactly. Drawing units are points
 * (1/72 in) on every surface, so widths and fonts do not depend on the PNG's dpi. Each output is
 * complete or absent: all are rendered to memory first and committed (temporary file + rename)
 * only when every one succeeded. SVG and PDF are byte-identical for the same inputs and options
 * (no dates; identifiers renumbered). PDF text is real text in embedded font subsets (searchable);
 * cairo 1.16 writes SVG text as glyph outlines.
 *
 * View: without an extent the map fits the drawable places, the envelopes of their polygons and
 * the middles of their ties, with room for circles and labels; a view that would reach past the
 * edge of the world (Equal Earth) shrinks the frame, and the page height, to the world. Basemap
 * lines are simplified to the output resolution (they move by at most about half a PNG pixel).
 * The scale bar gives the true scale at the frame's centre; it is left out for a geographic CRS
 * or a view wider than 10 000 km, where one bar would mislead.
 *
 * Layers, bottom to top: land (basemap countries), choropleth classes, admin1 and country
 * borders, ties (thickest first, so thin ties stay visible), place circles (largest first),
 * labels with a white halo, scale bar, frame; outside the frame: title, legend, credit.
 *
 * The core never prints: warnings (places without coordinates, ties left out, labels dropped to
 * avoid overlaps, values outside fixed class breaks) go to the caller's pm_diag_t.
 */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include <ogr_api.h>
#include <stddef.h>

#include "pm_classify.h"
#include "pm_error.h"
#include "pm_runtime.h"

/* ---- the data ------------------------------------------------------------------------------- */

typedef struct pm_map_place {
    double lon, lat;      /* anchor in WGS84 degrees; NaN = unknown (place not drawn) */
    const char *label;    /* UTF-8, lent; NULL or "" = no label */
    double fill;          /* choropleth value; NaN = none */
    double size;          /* circle value, area proportional to it; NaN = none (a small dot) */
    OGRGeometryH polygon; /* (multi)polygon in lon/lat, lent; NULL for point places */
    int matched;          /* 0: the join found no geometry: the place is not drawn */
    /* Source uncertainty (pm_uncert_map.h), plain values the renderer only draws: */
    double ring;  /* a size value drawn as a dashed outline circle over the place's circle (on
                     the size scale), e.g. the upper bound of an interval; NaN or <= 0 = none;
                     not drawn when within 0.4 pt of the circle's own outline */
    int unstable; /* 1: the place's fill class is unstable: its polygon (or class-coloured
                     circle) is hatched */
} pm_map_place_t;

typedef enum {
    PM_TIE_DOCUMENTED = 0, /* solid line */
    PM_TIE_PROBABLE = 1    /* dashed line */
} pm_tie_style_t;

typedef struct pm_map_tie {
    size_t from, to; /* indices into places */
    double weight;   /* > 0; sets the line width */
    pm_tie_style_t style;
    int faded; /* 1: drawn in a lighter tone, under the others (small multiples: a tie carried
                  over from an earlier period, where the dark ones are new) */
} pm_map_tie_t;

typedef struct pm_map_basemap {
    const char *path; /* GDAL vector source in lon/lat (e.g. geodata/world.gpkg); NULL = none */
    const char *countries; /* layer drawn as land with country borders; NULL = "countries" */
    const char *admin1;    /* layer of first-level units, borders only; NULL = none */
} pm_map_basemap_t;

typedef struct pm_map {
    const pm_map_place_t *places;
    size_t n_places;
    const pm_map_tie_t *ties;
    size_t n_ties;
    int directed; /* 1: ties are drawn with arrowheads at their `to` end */
    pm_map_basemap_t basemap;
    /* Optional: pm_render_map calls polygons_done(polygons_ctx) once it has turned the places'
     * polygons into the figure's own geometry and reads them no more, before it draws the
     * outputs, so that a caller may free them early (a world map's polygons take tens of MB). */
    void (*polygons_done)(void *ctx);
    void *polygons_ctx;
} pm_map_t;

/* ---- scales (computed, shareable across a batch) -------------------------------------------- */

/* Which parts of pm_map_opts_t.shared to use instead of computing them from this map. */
#define PM_SCALE_EXTENT 0x1u  /* CRS and projected extent */
#define PM_SCALE_BREAKS 0x2u  /* fill class edges */
#define PM_SCALE_WIDTH 0x4u   /* weight -> line width */
#define PM_SCALE_SIZE 0x8u    /* size value -> circle radius */
#define PM_SCALE_LAYOUT 0x10u /* legend placement and map frame size */
#define PM_SCALE_INSET 0x20u  /* the inset's box and size (when the options ask for an inset) */
#define PM_SCALE_ALL 0x3fu

typedef struct pm_map_scales {
    char *crs;                          /* owned; the CRS the extent is in */
    double x0, y0, x1, y1;              /* projected extent of the map frame (CRS units) */
    size_t n_classes;                   /* 0 = no choropleth */
    double breaks[PM_CLASSIFY_MAX + 1]; /* class edges, see pm_classify.h */
    int fill_integer;                   /* 1: fill values are whole numbers (legend labels) */
    double weight_max;                  /* the weight drawn width_max_pt wide; 0 = no ties */
    double width_max_pt;                /* width of weight_max, in points */
    double width_min_pt;                /* no tie is drawn thinner than this */
    double size_max;                    /* the size value drawn radius_max_pt; 0 = no circles */
    double radius_max_pt;
    /* layout: where this map's legend goes (1: in a strip below the map, 0: right of it) and the
     * map frame's width with the legend on the right and height with it below, in points. Shared,
     * the legend goes where legend_bottom says and the frame is no larger than these, so the
     * maps of a batch have one frame and one scale whatever their legends hold. */
    int legend_bottom;
    double frame_w, frame_h;
    /* the inset (pm_map_opts_t.inset): has_inset 1 when one is drawn, of the lon/lat box
     * inset_box (W, S, E, N; W > E crosses the 180th meridian), its frame inset_w x inset_h
     * points. Shared, every map of a batch insets the same box at the same size (each places it
     * where it hides the least of its own map). */
    int has_inset;
    double inset_box[4];
    double inset_w, inset_h;
} pm_map_scales_t;

void pm_map_scales_init(pm_map_scales_t *s);    /* all zero, crs NULL */
void pm_map_scales_destroy(pm_map_scales_t *s); /* frees crs; accepts NULL */
/* Deep copy of src into dst (dst initialised or destroyed beforehand). PM_ENOMEM. */
pm_status_t pm_map_scales_copy(pm_map_scales_t *dst, const pm_map_scales_t *src, pm_error_t *err);

/* The width in points of a tie of weight w: proportional to w (width_max_pt at weight_max), never
 * below width_min_pt, rounded to 1/20 pt. The legend's key uses this same function, so its widths
 * are the drawn widths exactly. */
double pm_render_tie_width(const pm_map_scales_t *s, double w);
/* The circle radius in points for size value v: area proportional to v (radius_max_pt at
 * size_max); 0 for v <= 0 or NaN. */
double pm_render_circle_radius(const pm_map_scales_t *s, double v);

/* ---- options -------------------------------------------------------------------------------- */

/* Insets: a crowded part of the map drawn again, larger, in a framed box inside the map's frame.
 * The rule of PM_INSET_AUTO (docs/methods.md, "Insets"): places crowd each other when their
 * circles are closer than one and a half label heights (r1 + r2 + 1.5 x label size); a group of
 * at least PM_INSET_MIN_PLACES places linked that way, not all of the map's, whose box (with room
 * for circles and labels) covers at most PM_INSET_MAX_AREA of the frame, is inset at two to
 * twelve times the scale (the largest such group; one inset per map). The inset goes in the
 * corner or edge middle of the frame where it covers no place, no locator, no scale bar, and the
 * least tie length and land; labels are placed after it and avoid it. Places inside the box are
 * drawn (circle and label) in the inset only; their ties and fill stay on the main map, ending
 * inside the locator outline. */
typedef enum {
    PM_INSET_NONE = 0, /* no inset (the default) */
    PM_INSET_AUTO,     /* an inset when the rule above finds a crowded group, else none (noted) */
    PM_INSET_BOX       /* an inset of pm_map_opts_t.inset_box */
} pm_inset_mode_t;
#define PM_INSET_MIN_PLACES 4
#define PM_INSET_MAX_AREA 0.04

typedef enum {
    PM_THEME_COLOR = 0, /* colour choropleth on grey land, dark ties */
    PM_THEME_PRINT      /* greyscale: grey classes, black ties, dashes and widths unchanged */
} pm_theme_t;

#define PM_PAGE_SINGLE_COLUMN_MM 90.0
#define PM_PAGE_DOUBLE_COLUMN_MM 180.0
#define PM_PAGE_DEFAULT_W_MM 180.0
#define PM_PAGE_DEFAULT_H_MM 120.0

typedef struct pm_map_opts {
    const char *crs;  /* any GDAL/PROJ CRS; NULL = automatic (see pm_project_auto) */
    int has_extent;   /* 1: show extent[] instead of fitting the data */
    double extent[4]; /* lon1, lat1, lon2, lat2 (lon1 > lon2 crosses the 180th meridian) */
    double width_mm;  /* page; 0 = 180 */
    double height_mm; /* 0 = 2/3 of the width; a maximum: a world map needing less gives it back */
    double dpi;       /* PNG resolution; 0 = 300 */
    pm_theme_t theme;
    pm_classify_method_t classify;
    size_t n_classes;            /* 0 = 5 */
    const double *manual_breaks; /* for PM_CLASSIFY_MANUAL: the class edges */
    size_t n_manual_breaks;
    const char *palette;           /* NULL = "YlOrRd" (colour) / greys (print); see pm_palette.h */
    int categorical;               /* fill values are categories 1, 2, ... (community,
                                      component): one class each (at most PM_CLASSIFY_MAX, the
                                      last holding the rest), a qualitative palette, integer
                                      legend labels */
    const char *fill_title;        /* legend heading of the choropleth; NULL = "Fill" */
    const char *size_title;        /* legend heading of the circles; NULL = "Size" */
    const char *weight_title;      /* legend heading of the tie widths; NULL = "Weight" */
    const char *text_status;       /* heading of the tie styles; NULL = "Tie status" */
    const char *text_documented;   /* NULL = "documented" */
    const char *text_probable;     /* NULL = "probable" */
    const char *text_nodata;       /* swatch of matched units without a value; NULL = "no data" */
    const char *text_ring;         /* legend line of the rings (pm_map_place_t.ring) in the size
                                      section; NULL = "ring" */
    const char *text_unstable;     /* legend line of the hatching (pm_map_place_t.unstable) in
                                      the fill section; NULL = "unstable class" */
    const char *title;             /* above the map; NULL = none */
    const char *credit;            /* small line under the map (sources); NULL = none */
    const char *font;              /* font family; NULL = "DejaVu Sans" (pinned for goldens) */
    double label_size_pt;          /* place labels; 0 = 6.5 */
    int no_labels;                 /* 1: no place labels */
    const pm_map_scales_t *shared; /* scales to reuse, or NULL */
    unsigned shared_mask;          /* PM_SCALE_* parts of *shared to use */
    const char *version;           /* program version for metadata; NULL = pm_runtime_version() */
    const char *command_line;      /* recorded in the metadata; NULL = none */
    int panel; /* 1: a panel of a small-multiple figure (pm_render_facet.h): no legend, the
                  page may be as small as 15 mm, the title is the panel's */
    pm_inset_mode_t inset; /* see PM_INSET_*; panels have none */
    double inset_box[4];   /* PM_INSET_BOX: W, S, E, N in degrees (pm_render_parse_inset) */
} pm_map_opts_t;

/* Fills o with the defaults above (everything zero/NULL, colour theme, quantile classes). */
void pm_map_opts_init(pm_map_opts_t *o);

/* "single" (90 x 70 mm), "double" (180 x 120 mm) or "<w>x<h>" with an optional unit mm (the
 * default), cm or in ("180x120mm", "120x90", "16x10cm", "7x5in"), each way 30 to 1000 mm, into
 * *w_mm, *h_mm. PM_EUSAGE otherwise (the message says what is accepted). The one page parser:
 * the CLI's --page and --size call it. */
pm_status_t pm_render_parse_page(const char *s, double *w_mm, double *h_mm, pm_error_t *err);
/* "color" (or "colour") or "print". PM_EUSAGE otherwise. */
pm_status_t pm_render_parse_theme(const char *s, pm_theme_t *out, pm_error_t *err);
/* "lon1,lat1,lon2,lat2" in degrees into ext[4]. PM_EUSAGE when malformed or out of range. */
pm_status_t pm_render_parse_extent(const char *s, double ext[4], pm_error_t *err);

/* "auto", "none" or a box "W,S,E,N" in degrees (W > E crosses the 180th meridian) into *mode
 * and box[4]. PM_EUSAGE otherwise, the message saying what to write. */
pm_status_t pm_render_parse_inset(const char *s, pm_inset_mode_t *mode, double box[4],
                                  pm_error_t *err);

/* ---- rendering ------------------------------------------------------------------------------ */

/* Computes the scales this map would be drawn with under opts (taking the parts selected by
 * opts->shared_mask from opts->shared) into *out, which must be initialised; a batch computes
 * them once (e.g. from a pm_map_t holding every dataset's places and ties) and passes them back
 * through opts->shared so its maps compare. Errors: as pm_render_map, without I/O. */
pm_status_t pm_render_compute_scales(const pm_map_t *map, const pm_map_opts_t *opts,
                                     pm_map_scales_t *out, pm_error_t *err);

/* ---- the renderer: caches, modes and threads of one caller ----------------------------------- */

/* A renderer draws maps one after the other and keeps what one map can hand to the next: the
 * basemap of the last view, projected and simplified (always), and its rasterised layers (with
 * pm_renderer_reuse_basemap). It owns every thread drawing starts (the PNG drawer, the font
 * loader) and the lock the drawing threads share; none of them outlives the call that started it
 * (pm_renderer_draw, pm_renderer_fonts_end), so between calls a renderer runs no thread and a
 * process holding one may fork (the child inherits the caches copy-on-write). One thread uses a
 * renderer at a time; two renderers share nothing and may draw at once on two threads. */
typedef struct pm_renderer pm_renderer_t;

/* A renderer with the defaults: no raster reuse, grouped paths in vector figures. Errors:
 * PM_ENOMEM. */
pm_status_t pm_renderer_new(pm_renderer_t **out, pm_error_t *err);
/* Waits for a font loader still running, frees the caches. NULL is allowed. */
void pm_renderer_free(pm_renderer_t *r);

/* With on = 1, PNGs keep their rasterised basemap layers (land, region and country borders) for
 * the next map with the same view and size, drawing them once: for batches, whose workers are
 * forked after the first map. Costs three page-sized images of memory. Off by default. */
void pm_renderer_reuse_basemap(pm_renderer_t *r, int on);
/* Marks the phases of r's draws with phase's hook (timing; pm_runtime.h); none by default. */
void pm_renderer_set_phase(pm_renderer_t *r, pm_phase_t phase);

/* In vector figures (SVG, PDF), whose size and memory grow with every path, maps of more than 500
 * ties stroke their ties in groups of ties that do not touch, and maps of 200 places or more
 * paint their circles in layers of circles that do not touch: the same picture in far fewer
 * paths. PNGs draw them one by one, which is faster there. mode: 0 never, 1 vector figures (the
 * default), 2 every figure (for tests). */
void pm_renderer_group_paths(pm_renderer_t *r, int mode);

/* Loads the font configuration (fontconfig) on a thread of the renderer's, so that it overlaps
 * reading the data; pm_renderer_fonts_end waits for it (pm_renderer_draw and pm_renderer_free do
 * too). Without them fonts load when first used. */
void pm_renderer_fonts_begin(pm_renderer_t *r);
void pm_renderer_fonts_end(pm_renderer_t *r);

/* The number of the renderer's threads running now: 0 except between pm_renderer_fonts_begin and
 * pm_renderer_fonts_end (a batch checks it before forking). */
int pm_renderer_threads(const pm_renderer_t *r);

/* Draws the map to every path in outputs[0..n_outputs) (format from the extension: .png, .svg,
 * .pdf, any case). opts may be NULL (the defaults); diag (may be NULL) collects warnings. Every
 * output is written completely or not at all; on failure none is written (the renames come last,
 * once every file is written). Errors: PM_EUSAGE (unknown extension, bad option, unknown CRS or
 * palette, bad manual breaks), PM_EDATA (a tie refers to a missing place, no place has coordinates,
 * basemap layer missing or not in lon/lat), PM_EIO (basemap unreadable, output not writable),
 * PM_ENOMEM, PM_EINTERNAL (cairo or PROJ failed; or r is drawing another map: a renderer is
 * used by one thread at a time, and this is checked). Time: about linear in places + ties +
 * basemap vertices in view; a basemap kept from the previous map of the same view is not read
 * again. */
pm_status_t pm_renderer_draw(pm_renderer_t *r, const pm_map_t *map, const pm_map_opts_t *opts,
                             const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                             pm_error_t *err);

/* The labels the last map drawn by r left out (no free position near their place): returns how
 * many, *tried (may be NULL) how many were placed or tried, and *names (may be NULL) their names
 * quoted and comma-separated, most important first ("'Austria', 'Italy'"; "" for none), lent
 * until r draws again or is freed. 0 before the first map and after a failed one. */
size_t pm_renderer_labels_left_out(const pm_renderer_t *r, size_t *tried, const char **names);

/* What the last map drawn by r did about its inset, one line for a person (the --stats notes):
 * "inset of 9 places (16.9,47.6,22.7,49.8) at 4.2 times the scale, lower left; it covers no
 * place, tie or label of the map", or why none was drawn under PM_INSET_AUTO; "" when the map
 * asked for no inset (and before the first map). Lent until r draws again or is freed. */
const char *pm_renderer_inset_note(const pm_renderer_t *r);

/* The label check of the last map drawn by r (docs/methods.md, "Label check"), one line for a
 * person (the --stats notes): "label check: 26 labels placed: none on a tie where a free position
 * was near, ..." or "label check: 26 labels placed, 2 faulty: on a tie though a free position was
 * near: 'A'; ...". "" before the first map and for a map without labels. Lent until r draws
 * again or is freed. */
const char *pm_renderer_label_check(const pm_renderer_t *r);

/* pm_renderer_draw on a renderer of its own with the defaults, freed before it returns: for a
 * single map. Errors: as pm_renderer_draw. */
pm_status_t pm_render_map(const pm_map_t *map, const pm_map_opts_t *opts,
                          const char *const *outputs, size_t n_outputs, pm_diag_t *diag,
                          pm_error_t *err);

/* Sets up fonts (fontconfig, pango) on the calling thread now rather than at the first map, so
 * that processes forked afterwards (batch workers) start with them ready. Errors: PM_EINTERNAL. */
pm_status_t pm_render_warm_up(pm_error_t *err);

/* Releases the calling thread's pango font map (the renderer's fonts come from it), for a clean
 * exit under leak checkers: call after the last renderer is freed, before pm_runtime_teardown. */
void pm_render_cleanup(void);

#endif
