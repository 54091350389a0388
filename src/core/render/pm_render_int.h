/*
 * pm_render_int: what the renderer's files share (not part of the public API).
 *
 * A render is a pm_scene_t, built once and drawn to every output surface:
 *   pm_render.c        scales, layout, the build sequence, pm_render_map
 *   pm_render_opts.c   option defaults, the width and radius functions, parsers
 *   pm_render_geom.c   lon/lat geometry -> clipped, simplified rings in page points; basemap
 *   pm_render_ties.c   tie arcs (great circles or Béziers), arrowheads, drawing order
 *   pm_render_text.c   pango text, place labels and their placement
 *   pm_render_lcost.c  what a label would cover at a position: ties, other countries
 *   pm_render_legend.c legend panel, title, credit, scale bar
 *   pm_render_out.c    drawing the scene to PNG / SVG / PDF in memory, metadata, commit
 *   pm_render_scene.c  what every layer shares about a scene's life (freeing drawn parts)
 *   pm_render_inset.c  the inset's auto rule, its placement and the locator outline
 *   pm_render_facet.c  small multiples: a figure of one scene per panel (pm_render_facet.h)
 *
 * Calls point down only: pm_render_facet.c -> pm_render.c -> pm_render_out.c -> the layer files
 * (geom, ties, text, legend) and pm_render_scene.c (tests/cli/layers.sh checks it). The renderer
 * (pm_renderer_t, below) is created by the caller and reached through the scene (sc->rdr): it holds
 * the caches and modes that were file statics.
 *
 * Units: everything in the scene is in points (1/72 in) with y down, origin at the page's top
 * left. The view maps projected CRS units to points: X = fx + (x - ux0) * s, Y = fy + (uy1 - y) *
 * s.
 */
#ifndef PM_RENDER_INT_H
#define PM_RENDER_INT_H

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdatomic.h>

#include "pm_buf.h"
#include "pm_palette.h"
#include "pm_project.h"
#include "pm_render.h"

#define PM_PT_PER_MM (72.0 / 25.4)
#define PM_PI 3.14159265358979323846
#define PM_DOT_R_PT 1.3 /* radius of the dot marking a place without a size value */
#define PM_RING_GAP 0.4 /* a ring closer than this to its circle's outline is not drawn */

/* ---- rings: polygons in page points ---------------------------------------------------------- */

typedef struct pm_rings {
    double *xy;          /* x0, y0, x1, y1, ... */
    unsigned char *skip; /* skip[i] = 1: the edge into point i is not stroked (a cut or seam) */
    size_t n, cap;       /* points */
    size_t *start;       /* ring r is points start[r] .. start[r + 1] - 1 (implicitly closed) */
    size_t n_rings, cap_rings;
    int failed; /* sticky: memory ran out */
} pm_rings_t;

void pm_rings_init(pm_rings_t *r);
void pm_rings_destroy(pm_rings_t *r);
/* Adds every ring as a closed subpath to cr's current path. */
void pm_rings_path(cairo_t *cr, const pm_rings_t *r);
/* Adds the strokable edges (not cuts or seams) to cr's current path as open subpaths. */
void pm_rings_outline_path(cairo_t *cr, const pm_rings_t *r);

/* ---- the view ------------------------------------------------------------------------------ */

typedef struct pm_view {
    pm_proj_t *proj;        /* owned */
    double cut;             /* longitude where rings and lines are cut; NAN when none */
    double ux0, uy1, s;     /* projected left and top of the frame; points per CRS unit */
    double fx, fy, fw, fh;  /* the frame in points */
    double tol_pt, tol_deg; /* simplification tolerances (page, lon/lat pre-filter) */
} pm_view_t;

static inline double pm_view_x(const pm_view_t *v, double x)
{
    return v->fx + (x - v->ux0) * v->s;
}
static inline double pm_view_y(const pm_view_t *v, double y)
{
    return v->fy + (v->uy1 - y) * v->s;
}

/* Geometry batches: rings in lon/lat are collected, projected in one PROJ call per batch and then
 * simplified and clipped into their target ring sets. */
typedef struct pm_rings_batch pm_rings_batch_t;

pm_status_t pm_rings_batch_new(const pm_view_t *view, pm_rings_batch_t **out, pm_error_t *err);
void pm_rings_batch_free(pm_rings_batch_t *b);
/* Queues every polygon ring of g (polygon, multipolygon, collection, curves) for target. */
pm_status_t pm_rings_batch_add(pm_rings_batch_t *b, OGRGeometryH g, pm_rings_t *target,
                               pm_error_t *err);
/* Projects and delivers everything queued. */
pm_status_t pm_rings_batch_flush(pm_rings_batch_t *b, pm_error_t *err);
/* Vertices read and drawn so far (for tests and timing). */
void pm_rings_batch_counts(const pm_rings_batch_t *b, size_t *read, size_t *kept);

/* Reads layer `layer` of the open dataset ds (features in view only, geometry only) into target.
 * Errors: PM_EDATA for a missing layer or one not in lon/lat. */
pm_status_t pm_rings_read_layer(pm_rings_batch_t *b, void *ds, const char *path, const char *layer,
                                pm_rings_t *target, pm_error_t *err);

/* Clips segment (ax, ay)-(bx, by) to the box [x0, x1] x [y0, y1] (Liang-Barsky): 1 when they meet,
 * with the part inside from parameter *t0 to *t1 along the segment (either may be NULL). open: the
 * segment must enter the box's inside (touching its edge or a corner does not count). */
int pm_seg_clip(double ax, double ay, double bx, double by, double x0, double y0, double x1,
                double y1, int open, double *t0, double *t1);

/* ---- theme --------------------------------------------------------------------------------- */

typedef struct pm_theme_colors {
    pm_rgb_t paper, land, country_line, admin_line, class_line, nodata, frame;
    pm_rgb_t tie, casing, circle_fill, circle_line, dot, text, halo, muted;
    double circle_alpha, casing_alpha;
    pm_rgb_t classes[PM_CLASSIFY_MAX];
} pm_theme_colors_t;

/* ---- scene parts --------------------------------------------------------------------------- */

typedef struct pm_rplace {
    size_t idx;  /* into map->places */
    double x, y; /* anchor in points */
    double r;    /* circle radius (0: a dot of the theme's dot radius) */
    int cls;     /* fill class for point places (no polygon), -1 none */
    double prio; /* size value, -inf when none: label priority */
    int inset;   /* 1: inside the inset's box: circle and label drawn in the inset only */
    double ring; /* radius of the outline ring (pm_map_place_t.ring) in points; 0 none */
    int hatched; /* an unstable class: its circle hatched (pm_map_place_t.unstable) */
} pm_rplace_t;

/* The drawn radius of place p: its circle, or the dot of a place without a size value. */
static inline double pm_rplace_radius(const pm_rplace_t *p)
{
    return p->r > 0 ? p->r : PM_DOT_R_PT;
}

typedef struct pm_rtie {
    size_t idx;         /* into map->ties */
    double *pts;        /* x, y pairs in points */
    unsigned char *brk; /* brk[i] = 1: a new subpath starts at point i (cut); NULL for Béziers */
    size_t n;           /* points; a Bézier has exactly 4 (start, control, control, end) */
    int bezier;
    double width;
    int probable;
    int faded; /* drawn in the lighter tone (pm_map_tie_t.faded) */
    int arrow; /* draw an arrowhead: tip at tip[], pointing along dir[] */
    double tip[2], dir[2], head_len, head_half;
} pm_rtie_t;

typedef struct pm_rlabel {
    PangoLayout *layout; /* owned */
    double w, h;         /* logical size in points */
    double x, y;         /* top left when placed */
    size_t place;        /* into scene places */
    double prio;         /* the place's priority, then its input index, order placement */
    size_t order;
    int placed;
    int leader; /* placed away from its place: a thin line joins them */
} pm_rlabel_t;

/* ---- the renderer ------------------------------------------------------------------------ */

/* Rasterised basemap layers kept between PNGs of the same view (pm_renderer_reuse_basemap): land
 * fill, region borders and country borders, each on a transparent page-sized image. */
typedef struct pm_raster_cache {
    char *key; /* identifies view, page size and colours; NULL = empty */
    cairo_surface_t *land, *admin, *country;
} pm_raster_cache_t;

struct pm_renderer {
    /* the basemap of the last view drawn, in page points (pm_render.c) */
    char *basemap_key;
    pm_rings_t land, admin1;
    pm_raster_cache_t raster; /* read and written by the PNG drawer only (pm_render_out.c) */
    int reuse_basemap;        /* keep raster layers between maps */
    int group_mode;           /* pm_renderer_group_paths */
    pm_phase_t phase;         /* timing marks (pm_renderer_set_phase) */
    /* Layouts are read by two threads when a scene's PNGs are drawn beside its vector figures,
     * and measuring or drawing a pango layout updates caches inside it (line extents, reference
     * counts that are not atomic): every use of a layout while drawing takes this lock. */
    pthread_mutex_t text_lock;
    pthread_t fc_thread; /* the font loader (pm_renderer_fonts_begin) */
    int fc_started;
    atomic_int busy; /* 1 while pm_renderer_draw runs: a second caller is refused */
    /* the last map's labels left out (pm_renderer_labels_left_out) */
    char *left_out;
    size_t n_left_out, n_labels_tried;
    char *inset_note;  /* the last map's (pm_renderer_inset_note) */
    char *label_check; /* the last map's (pm_renderer_label_check) */
};

/* Frees the layers and empties c. */
void pm_raster_cache_free(pm_raster_cache_t *c);

/* What the label check (pm_render_lcheck.c) found; names: "on a tie though a position off the
 * ties was free: 'A', 'B'; ..." for a person, owned, NULL when nothing was found. */
typedef struct pm_label_check {
    size_t placed;   /* labels placed on the map (and in its inset) */
    size_t on_tie;   /* of them, over a tie (with its halo) */
    size_t tie_free; /* on a tie, though a candidate position touching nothing was free */
    size_t far;      /* farther from their place than the leader-line limit */
    size_t foreign;  /* on a leader line, mostly over another country */
    size_t anchor;   /* covering another place's anchor */
    size_t twice;    /* labelled on the main map though the inset shows the place */
    size_t locator;  /* a main map label inside the inset's locator outline */
    char *names;
} pm_label_check_t;

/* A legend section: measured first, then positioned. */
typedef struct pm_legend pm_legend_t;

/* The inset of a map (pm_render_inset.c decides and places it, pm_render.c builds its scene,
 * pm_render_out.c draws it): a scene of its own, drawn with its frame at x, y on the main page. */
typedef struct pm_inset {
    struct pm_scene *sub; /* the inset's scene (a panel: no legend), owned */
    pm_map_opts_t sub_opts;
    pm_map_scales_t sub_shared;
    double x, y, w, h; /* the inset's frame on the main page, points */
    double *loc;       /* the locator outline on the main map: x, y pairs, closed */
    size_t n_loc;
    double loc_box[4]; /* its bounding box */
    size_t n_places;   /* places drawn in the inset only */
    double zoom;       /* the inset's scale / the main map's */
    const char *where; /* "lower left", ... */
} pm_inset_t;

typedef struct pm_scene {
    const pm_map_t *map;
    const pm_map_opts_t *opts;
    pm_diag_t *diag;
    double page_w, page_h; /* points */
    double dpi;
    pm_theme_colors_t col;
    pm_map_scales_t scales;
    pm_view_t view;
    const char *font;
    double label_pt;

    pm_rings_t land, admin1, nodata, classes[PM_CLASSIFY_MAX];
    pm_rings_t unstable; /* the polygons of unstable places, again: hatched over their class */
    pm_rplace_t *places; /* drawable places, in drawing order (largest circle first) */
    size_t n_places;
    size_t *place_of; /* map place index -> scene place index, or (size_t)-1 */
    pm_rtie_t *ties;  /* in drawing order (widest first) */
    size_t n_ties;
    /* dense maps: ties in groups drawn as one path each (see pm_render_ties.c); group g is
     * ties[tie_seq[group_at[g]]] .. ties[tie_seq[group_at[g + 1] - 1]] */
    size_t *tie_seq, *group_at, n_groups;
    pm_rlabel_t *labels;
    size_t n_labels;
    char *left_out; /* "'A', 'B'": the labels left out, most important first; owned, or NULL */
    size_t n_left_out, n_labels_tried;
    int has_probable, has_nodata, has_fill, has_size;
    int has_ring, has_unstable; /* a place has a ring / is marked unstable (drawn ones) */

    PangoFontMap *fontmap;
    PangoContext *pctx;
    PangoLayout *title, *credit;
    double title_h, credit_h;
    pm_legend_t *legend;
    double lx, ly, lw, lh; /* legend area */
    int legend_bottom;     /* 1: legend in a strip under the map */
    int legend_compact;    /* 1: a strip that would take much of a small page: fewer keys,
                              classes in two columns, one tie width keyed in the styles' title
                              (layout_page) */

    /* scale bar (inside the frame, bottom left), shown when bar_len > 0 */
    double bar_x, bar_y, bar_len, bar_h;
    double bar_box[4];
    PangoLayout *bar_labels[2];
    size_t vertices_read, vertices_kept;
    char *basemap_key;  /* identifies the basemap rings (view and source); owned */
    double raster_k;    /* pixels per point while drawing a PNG, else 0 */
    int last_figure;    /* the figure being drawn is the last one (see pm_scene_drop_drawn) */
    int group_paths;    /* draw ties in groups and circles in layers (pm_renderer_group_paths) */
    pm_renderer_t *rdr; /* the renderer drawing the scene; NULL while only scales are computed */
    /* a figure of several scenes (pm_render_facet.c): when set, pm_scene_draw calls this instead
     * of drawing the scene's own layers; figure_ctx is its data */
    cairo_status_t (*figure_draw)(cairo_t *cr, const struct pm_scene *sc);
    const void *figure_ctx;
    pthread_mutex_t *text_lock; /* &rdr->text_lock, or NULL (one thread only) */
    pm_inset_t *inset;          /* the map's inset, owned; NULL = none */
    char *inset_note;           /* what was done about the inset (pm_renderer_inset_note); owned */
    pm_label_check_t lcheck;    /* the label check of the placement (pm_render_lcheck.c) */
} pm_scene_t;

/* The cell of coordinate v (points) on a grid of cells `cell` points wide and n cells long,
 * clamped to the grid (ties and circles are grouped on such grids for vector figures). */
static inline int pm_grid_cell(double v, double cell, int n)
{
    double c = floor(v / cell);
    return c < 0 ? 0 : c >= n ? n - 1 : (int)c;
}

/* pm_render.c: a scene's life, for figures of several scenes (pm_render_facet.c). Builds sc for
 * map under opts with renderer rdr (NULL: scales only), completely (full = 1) or up to complete
 * scales and layout; pm_scene_destroy frees it (also after a failed build). */
pm_status_t pm_scene_build(pm_scene_t *sc, pm_renderer_t *rdr, const pm_map_t *map,
                           const pm_map_opts_t *opts, pm_diag_t *diag, int full, pm_error_t *err);
void pm_scene_destroy(pm_scene_t *sc);

/* pm_render_scene.c */
/* Frees what only drawing needs (ties, rings), once the last figure has been drawn. */
void pm_scene_drop_drawn(pm_scene_t *sc);

/* pm_render_ties.c: the drawn tie arcs, pm_arcs_* (pm_ties_* is the tie table, pm_table.h) */
pm_status_t pm_arcs_build(pm_scene_t *sc, pm_error_t *err);
/* Puts the ties of a dense map in groups for pm_arcs_draw (once; nothing for other maps). */
pm_status_t pm_arcs_group(pm_scene_t *sc, pm_error_t *err);
void pm_arcs_draw(cairo_t *cr, const pm_scene_t *sc);
void pm_arcs_free(pm_scene_t *sc);
/* Strokes a short sample of a tie of width w (legend); x, y the left end. */
void pm_arcs_sample(cairo_t *cr, const pm_scene_t *sc, double x, double y, double len, double w,
                    int probable, int arrow);
/* The lighter tone of faded ties (pm_map_tie_t.faded): the tie colour mixed with the paper. */
pm_rgb_t pm_arcs_faded_color(const pm_scene_t *sc);
/* The dash pattern for a probable tie of width w: on, off lengths. */
void pm_arcs_dash(double w, double dash[2]);

typedef struct pm_lcost pm_lcost_t;

/* pm_render_text.c */
pm_status_t pm_text_init(pm_scene_t *sc, pm_error_t *err);
void pm_text_free(pm_scene_t *sc);
/* A new layout of text in the scene's font at size pt (bold when bold). NULL if out of memory. */
PangoLayout *pm_text_layout(const pm_scene_t *sc, const char *text, double pt, int bold);
/* Logical size of a layout in points (under the scene's text lock). */
void pm_text_size(const pm_scene_t *sc, PangoLayout *l, double *w, double *h);
/* Draws l with its top left at x, y: halo (when halo > 0, its width in points) then text (under
 * the scene's text lock). */
void pm_text_draw(const pm_scene_t *sc, cairo_t *cr, PangoLayout *l, double x, double y,
                  pm_rgb_t color, double halo, pm_rgb_t halo_color);
pm_status_t pm_labels_place(pm_scene_t *sc, pm_error_t *err);
/* The placement's constants (pm_render_text.c; docs/methods.md, "Labels"). */
#define PM_LABEL_GAP_PT 1.2        /* between a circle's rim and its label */
#define PM_LABEL_PAD_PT 0.6        /* free space kept around every placed label */
#define PM_LABEL_RINGS 3           /* next to the place, then one and two label heights out */
#define PM_LABEL_MANY 60           /* more labels than this: the top ones, next to the place */
#define PM_LEADER_FOREIGN_MAX 0.15 /* a label on a leader line lies over no other country */
#define PM_LABEL_POSITIONS 8       /* candidate positions on each ring */
/* The PM_LABEL_POSITIONS candidate positions (top left corners) of a w x h label of p on ring
 * `ring`, in the order the placement tries them. */
void pm_label_candidates(const pm_rplace_t *p, double w, double h, int ring,
                         double xy[PM_LABEL_POSITIONS][2]);
/* The leader line of a label at x, y (w x h) of p, in seg[4]; 0 when the box touches the
 * circle (no line). */
int pm_label_leader_seg(const pm_rplace_t *p, double x, double y, double w, double h,
                        double seg[4]);

/* pm_render_lcheck.c: the figure editor's checks on a placement, computed after it apart from
 * its scoring (docs/methods.md, "Label check"). */
pm_status_t pm_labels_check(pm_scene_t *sc, pm_lcost_t *cost, int rings, pm_label_check_t *out,
                            pm_error_t *err);
void pm_label_check_destroy(pm_label_check_t *c);
void pm_labels_draw(cairo_t *cr, const pm_scene_t *sc);

/* pm_render_lcost.c: built after the ties and the basemap (see the file's header) */
pm_status_t pm_lcost_new(const pm_scene_t *sc, pm_lcost_t **out, pm_error_t *err);
void pm_lcost_free(pm_lcost_t *c); /* accepts NULL */
/* Length in points of drawn tie paths (widened by half their width and the halo) inside the box
 * x0, y0 - x1, y1; 0 when the box touches no tie. */
double pm_lcost_ties(pm_lcost_t *c, double x0, double y0, double x1, double y1);
/* The basemap country (land ring) under page point x, y: 0 for sea or no basemap. */
unsigned pm_lcost_country(const pm_lcost_t *c, double x, double y);
/* The share (0..1) of sample points of the box over land of a country other than home. */
double pm_lcost_foreign(const pm_lcost_t *c, unsigned home, double x0, double y0, double x1,
                        double y1);

/* pm_render_legend.c */
pm_status_t pm_legend_measure(pm_scene_t *sc, pm_error_t *err);
void pm_legend_size(const pm_scene_t *sc, int bottom, double max_extent, double *w, double *h);
pm_status_t pm_scalebar_build(pm_scene_t *sc, pm_error_t *err);
void pm_legend_draw(cairo_t *cr, const pm_scene_t *sc);
void pm_scalebar_draw(cairo_t *cr, const pm_scene_t *sc);
void pm_legend_free(pm_scene_t *sc);
/* Hatches the current path of cr (consumed) with thin diagonal lines in colour c, clipped to it
 * (even-odd): the mark of an unstable class on the map and in the legend. */
void pm_hatch_path(cairo_t *cr, pm_rgb_t c);
/* The colour of rings and hatching in the scene's theme. */
pm_rgb_t pm_uncert_mark_color(const pm_scene_t *sc);
/* Formats v with `decimals` digits after the point, grouping thousands with a thin space. */
void pm_fmt_num(char *buf, size_t size, double v, int decimals);

/* pm_render_inset.c: the inset's rule and placement (pm_render.h, PM_INSET_*) */
/* The auto rule on the scene's places (page points): returns the number of places of the
 * crowded group chosen and its box x0, y0, x1, y1 (padded for circles) in box[4]; 0 when no
 * group qualifies, with *why a short reason ("the largest group has 2 places"), static text
 * or written into why_buf. */
size_t pm_inset_find(const pm_scene_t *sc, double box[4], char *why_buf, size_t why_size);
/* What an inset at a candidate position would hide (pm_inset_place). */
typedef struct pm_inset_obstacles {
    const double *circles; /* x, y, r triples: places drawn on the main map */
    size_t n_circles;
    const double *boxes; /* x0, y0, x1, y1 quadruples it must not cover (locator, scale bar) */
    size_t n_boxes;
    /* length of drawn ties inside a box, and the share of it over land; either may be NULL */
    double (*ties)(void *ctx, double x0, double y0, double x1, double y1);
    double (*land)(void *ctx, double x0, double y0, double x1, double y1);
    void *ctx;
} pm_inset_obstacles_t;
/* Chooses where a w x h inset goes inside the frame fx, fy, fw, fh: the four corners, then the
 * middles of the four edges, each scored by what it covers: a circle or a box of ob costs more
 * than any amount of ties, ties more than land. Returns the candidate's index (0..7) and its top
 * left in *x, *y; *circles, *boxes and *ties (may be NULL) get what it covers. */
int pm_inset_place(const pm_inset_obstacles_t *ob, double fx, double fy, double fw, double fh,
                   double w, double h, double *x, double *y, size_t *circles, size_t *boxes,
                   double *ties);
/* The name of candidate k ("lower left", ...). */
const char *pm_inset_where(int k);
/* 1 when the box x0, y0 - x1, y1 meets the locator outline or lies inside it. */
int pm_inset_loc_meets(const pm_inset_t *in, double x0, double y0, double x1, double y1);
/* Draws the locator outline (a layer of the main map, under the labels). */
void pm_inset_locator_draw(cairo_t *cr, const pm_scene_t *sc);
void pm_inset_free(pm_inset_t *in); /* the outline and the struct; the sub-scene is freed by
                                       pm_render.c (it built it). Accepts NULL. */

/* pm_render_out.c */
/* Draws the whole scene on cr (whose user units are points); returns cairo's status, checked
 * after each layer. */
cairo_status_t pm_scene_draw(cairo_t *cr, const pm_scene_t *sc);
pm_status_t pm_out_render_all(pm_scene_t *sc, const char *const *outputs, size_t n,
                              pm_error_t *err);

/* A PDF's metadata (pm_render_out.c): title (fallback when NULL) and command line redacted
 * (pm_redact), creator as given, no creation date (the same bytes on every run). */
void pm_render_pdf_meta(cairo_surface_t *s, const char *title, const char *fallback,
                        const char *command_line, const char *creator);

#endif
