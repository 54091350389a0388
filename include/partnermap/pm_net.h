/*
 * pm_net: the pipeline from a tie table to a joined, measured network, and the adapters from that
 * network to the renderer (pm_map_t), the export writers (pm_export_t) and the statistics report.
 *
 * pm_net_load reads and filters the ties, opens the geometry source (or borrows a shared one),
 * joins each distinct (name, country) of the table, builds the graph with each matched unit as
 * one place, and computes the statistics. A place is identified by a typed id: the unit it matched
 * (pm_net_unit) or, when it matched none, its name as written; a name never stands for a unit.
 *
 * Files: pm_net.c (options, pipeline), pm_net_report.c (tie lengths, the statistics report),
 * pm_net_map.c (the renderer's input), pm_net_export.c (the export's input).
 *
 * Messages speak of the data; a program adds the option that answers them. Everything here runs
 * on the calling thread (igraph is not thread-safe in Debian's build).
 */
#ifndef PM_NET_H
#define PM_NET_H

#include <stddef.h>

#include "pm_export.h"
#include "pm_filter.h"
#include "pm_gazetteer.h"
#include "pm_geo.h"
#include "pm_graph.h"
#include "pm_join.h"
#include "pm_metrics.h"
#include "pm_render.h"
#include "pm_report.h"
#include "pm_spatial.h"
#include "pm_table.h"

typedef enum pm_net_level {
    PM_NET_ADMIN1 = 0, /* regions, oblasts, kraje... (the default geodata's admin1 layer) */
    PM_NET_COUNTRY     /* countries (its countries layer) */
} pm_net_level_t;

typedef enum pm_net_cities {
    PM_NET_CITIES_NONE = 0, /* places are units of the geometry only */
    PM_NET_CITIES_ONLY,     /* --level city: every place not answered by a user alias or the
                               places file is a city of the gazetteer */
    PM_NET_CITIES_AUTO,     /* --level auto: places the regions ladder leaves unmatched are
                               looked up as cities */
    PM_NET_CITIES_TABLE     /* no --level: the whole table joins at admin1, or, when that leaves
                               places unmatched and every place is a city of the gazetteer, the
                               whole table joins as with PM_NET_CITIES_ONLY (a warning says so;
                               pm_net_t.auto_city). Decided on the table as --where leaves it,
                               before a period cuts it, so every period of a table joins alike.
                               Needs the default geodata's admin1 layer (no geo.source). */
} pm_net_cities_t;

typedef enum pm_net_aggregate {
    PM_NET_AGG_NONE = 0,
    PM_NET_AGG_REGION, /* each place becomes its first-level unit (a city: the unit it lies in) */
    PM_NET_AGG_COUNTRY /* each place becomes its country (the countries layer) */
} pm_net_aggregate_t;

typedef struct pm_net_opts {
    pm_table_opts_t table;
    const pm_filter_t *filter; /* applied after reading; NULL = none. Borrowed */
    int directed;
    int with_geo;         /* open the geometry and join the places */
    pm_geo_t *shared_geo; /* with_geo: use this geometry (borrowed) instead of opening one */
    pm_geo_opts_t geo;
    pm_net_level_t level; /* which layer of the default geodata (when geo names none) */
    pm_join_opts_t join;
    /* attribute columns with each side's country; NULL = group columns named like "country" */
    const char *country_from_col, *country_to_col;
    int allow_unmatched; /* go on without unmatched or ambiguous places (a warning says so) */
    int report_join;     /* unmatched places are the caller's report, not a warning */
    pm_net_cities_t cities;
    const char *gazetteer; /* cities: the gazetteer file; NULL = the embedded one */
    /* cities: attribute columns with each side's region; NULL = from_region / to_region */
    const char *region_from_col, *region_to_col;
    /* roll-up: ties between places become ties between their regions or countries (weights
     * summed, the number of ties rolled up kept: pm_graph_t.n_merged) */
    pm_net_aggregate_t aggregate;
    int with_metrics;
    pm_metrics_opts_t metrics;
    pm_phase_t phase; /* marks the pipeline's phases (timing), and the geometry's when geo has
                         none of its own; none by default */
} pm_net_opts_t;

void pm_net_opts_init(pm_net_opts_t *o);

typedef struct pm_net {
    pm_ties_t ties;
    pm_geo_t *geo; /* NULL without with_geo */
    int own_geo;   /* 1: pm_net_destroy frees geo */
    pm_place_query_t *q;
    size_t n_q;                    /* distinct (name, country) queries */
    size_t *tie_q_from, *tie_q_to; /* per tie: its query index */
    pm_join_result_t join;         /* per query */
    size_t *unit_from, *unit_to;   /* per tie: the unit of each side, or PM_GRAPH_NO_UNIT */
    pm_graph_t g;
    size_t *node_q;            /* per place: a query that names it (with geo) */
    pm_metrics_t m;            /* with_metrics */
    size_t n_unmatched_places; /* places without a unit (allow_unmatched) */
    pm_gaz_t *gaz;             /* cities: the gazetteer (owned) */
    pm_geo_t *geo_admin1;      /* cities or roll-up on a countries geo: the admin1 units (owned) */
    const char **q_region;     /* cities: per query, its region as written (lent from ties) */
    size_t *q_agg;             /* roll-up: per query, the unit it rolls up to (or NO_UNIT) */
    size_t n_cities, n_by_population; /* cities matched; of them, chosen by population */
    /* roll-up: per query, the answer as the graph sees it (its region or country, anchored);
     * the join report keeps net->join (the cities) */
    pm_join_result_t agg;
    int has_agg;
    /* PM_NET_CITIES_TABLE chose cities: 1, with the places the regions' join left unmatched or
     * ambiguous (n_not_regions) among the table's n_table_places */
    int auto_city;
    size_t n_not_regions, n_table_places;
} pm_net_t;

/* Runs the pipeline on the tie table at path. Fails with PM_EJOIN when places are unmatched or
 * ambiguous, unless allow_unmatched; with PM_EDATA / PM_EIO / PM_EUSAGE from the table, the
 * geometry and the join; PM_ENOMEM. Warnings go to diag (may be NULL). net is set only on
 * success; free it with pm_net_destroy. */
pm_status_t pm_net_load(const char *path, const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag,
                        pm_error_t *err);
void pm_net_destroy(pm_net_t *net);
/* The answers the graph's places stand on: net->agg with a roll-up, else net->join. */
const pm_join_result_t *pm_net_places_join(const pm_net_t *net);

/* --- cities and roll-up (pm_net_cities.c) --- */

/* After the regions' join: the places o->cities sends to the gazetteer are matched there
 * (pm_gaz_match, with each side's country and region columns); a matched city becomes a point
 * unit of net->geo (pm_geo_add_point) and a PM_MATCH_CITY answer; an ambiguous or unmatched one
 * keeps the gazetteer's note and candidates. Warns (diag) about cities chosen by population. Then
 * the roll-up units (o->aggregate). Errors: PM_EIO (gazetteer unreadable), PM_EDATA, PM_ENOMEM. */
pm_status_t pm_net_join_cities(const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag,
                               pm_error_t *err);

/* --level city: the regions' join for the places the user's alias files or places file know
 * (by exact text or key); every other place is left UNMATCHED for the gazetteer, without the
 * regions' suggestions (which cost about 1 ms a place). Fills net->join. Errors: as pm_join_run. */
pm_status_t pm_net_join_users(pm_net_t *net, const pm_join_opts_t *jo, pm_diag_t *diag,
                              pm_error_t *err);

/* PM_NET_CITIES_TABLE's choice, after the regions' join of every query of net (net->join, on an
 * admin1 geo): *city = 0 when that join left no place unmatched, or when some place the join did
 * not answer from the user's files is not exactly one city of the gazetteer (pm_gaz_match; a
 * city chosen by population over others of its name is not);
 * else *city = 1, net->n_not_regions and net->n_table_places set and a warning (diag) says so.
 * Opens the gazetteer (net->gaz, kept) only when a place is unmatched. Errors: PM_EIO (gazetteer
 * unreadable), PM_EDATA, PM_ENOMEM. */
pm_status_t pm_net_choose_level(const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag, int *city,
                                pm_error_t *err);
/* The sentence saying why a table joined as cities ("the places are cities: ..."), into buf. */
void pm_net_auto_city_note(const pm_net_t *net, char *buf, size_t size);

/* Opens the geometry source of o (the default geodata at o->level when o->geo names none). */
pm_status_t pm_net_open_geo(const pm_net_opts_t *o, pm_geo_t **out, pm_error_t *err);

/* The unit place (a graph vertex) matched, or PM_GRAPH_NO_UNIT (also without geometry). */
size_t pm_net_unit(const pm_net_t *net, size_t place);
/* The join's answer for place (with a roll-up: the unit it rolled up to); NULL without
 * geometry. Lent. */
const pm_join_match_t *pm_net_match(const pm_net_t *net, size_t place);

/* --- tie lengths (pm_net_report.c) --- */

/* Spatial statistics of the network's ties (graph edges; merged rows are one tie). */
pm_status_t pm_net_spatial(const pm_net_t *net, pm_spatial_t *out, pm_error_t *err);
/* The same with options for pm_spatial_compute (NULL: its defaults; e.g. no_touch to skip the
 * neighbourhood test when only tie lengths and countries are wanted). */
pm_status_t pm_net_spatial_ex(const pm_net_t *net, const pm_spatial_opts_t *so, pm_spatial_t *out,
                              pm_error_t *err);
/* Per place: mean and max length of its ties in km (NaN when none); caller frees both. */
pm_status_t pm_net_place_lengths(const pm_net_t *net, const pm_spatial_t *s, double **mean,
                                 double **max, pm_error_t *err);

/* --- the statistics report (pm_net_report.c) --- */

typedef struct pm_net_report_view {
    pm_format_t format;
    const char *sort; /* a metric, mean_tie_km, max_tie_km or place; NULL = strength */
    size_t top;       /* 0 = all (terminal to a terminal: 20) */
    int to_terminal;  /* printing to a terminal: cap rows at 20 */
    int summary_only;
    const char *title;
} pm_net_report_view_t;

/* Appends the report (summary + places table) of net to out. spatial may be NULL (no geography).
 * Errors: PM_EUSAGE (sort by an unknown metric, or by tie length without spatial), PM_ENOMEM. */
pm_status_t pm_net_report_write(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                const pm_spatial_t *spatial, const pm_net_report_view_t *v,
                                pm_buf_t *out, pm_error_t *err);

/* The summary statistic key of the report ("places", "density", "tie_length_median_km", ...)
 * formatted for machines as the report's CSV writes it ("" for none/NaN) into buf. spatial may be
 * NULL. PM_EUSAGE (buf "") when the report has no such statistic. */
pm_status_t pm_net_summary_value(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                 const pm_spatial_t *spatial, const char *key, char *buf,
                                 size_t size);
/* Appends the names of the k places of highest strength, in the report's order, "a; b; c". */
pm_status_t pm_net_top_places(const pm_net_t *net, size_t k, pm_buf_t *out, pm_error_t *err);

/* --- the renderer's input (pm_net_map.c) --- */

typedef struct pm_net_map_opts {
    const char *fill;    /* metric colouring the polygons; NULL = none */
    const char *circles; /* metric sizing the circles; NULL = none */
    const char *label;   /* name (default), name_en, name_ru, name_local, unit, code, none */
} pm_net_map_opts_t;

typedef struct pm_net_map {
    pm_map_t map;
    pm_map_place_t *places;
    pm_map_tie_t *ties;
    OGRGeometryH *geoms;
    double *fill, *size;
    size_t n;
    pm_spatial_t spatial; /* tie lengths, computed once when a metric or report needs them */
    int have_spatial;
    char *basemap_path;     /* owned */
    char weight_title[128]; /* storage for pm_map_opts_t.weight_title */
    char credit[512];       /* storage for pm_map_opts_t.credit (the gazetteer's attribution) */
} pm_net_map_t;

/* The renderer's input for net (which must have geometry): places with polygons read from the
 * geo (owned by d), ties, fill and size values, the default geodata as context. Completes opts
 * from the network: legend titles, categorical fill, weight title (pointing into d), and, when
 * places are cities of the gazetteer, the credit line names GeoNames (CC BY 4.0 asks for it):
 * the whole credit when none is given, else added to the given one unless it names GeoNames.
 * Errors: PM_EUSAGE (unknown metric), PM_ENOMEM. A polygon that cannot be read is a warning. */
pm_status_t pm_net_map_prepare(const pm_net_t *net, const pm_net_opts_t *no,
                               const pm_net_map_opts_t *mo, pm_map_opts_t *opts, pm_net_map_t *d,
                               pm_diag_t *diag, pm_error_t *err);
void pm_net_map_destroy(pm_net_map_t *d);
/* Frees the places' polygons (data: a pm_net_map_t); as pm_map_t.polygons_done. */
void pm_net_map_free_polygons(void *data);
/* The spatial statistics of net, computed on first need and kept in d (lent). */
pm_status_t pm_net_map_spatial(const pm_net_t *net, pm_net_map_t *d, const pm_spatial_t **out,
                               pm_error_t *err);
/* A per-place metric of net by name (pm_metric_*: graph metrics, pagerank_n, mean_tie_km,
 * max_tie_km): n values in *out (caller frees). PM_EUSAGE for an unknown name. */
pm_status_t pm_net_metric(const pm_net_t *net, pm_net_map_t *d, const char *name, double **out,
                          pm_error_t *err);

/* --- the export's input (pm_net_export.c) --- */

typedef struct pm_net_export {
    pm_export_t x;
    pm_export_place_t *places;
    pm_export_tie_t *ties;
    pm_export_metric_t metrics[16];
    double *owned[16];
    size_t n_owned;
    pm_spatial_t spatial;
    char **text; /* per tie: type, confidence, then the other columns, merged (owned) */
    size_t n_text;
} pm_net_export_t;

/* The export's input for net (which must have geometry and metrics): places with geometry and
 * metrics, ties with lengths, rows merged (earliest start, latest end, distinct texts joined with
 * "; "), undirected ties turned the way their first row names them. Warnings: places without a
 * unit or geometry, renamed columns. Errors: PM_ENOMEM. */
pm_status_t pm_net_export_prepare(const pm_net_t *net, pm_net_export_t *e, pm_diag_t *diag,
                                  pm_error_t *err);
void pm_net_export_destroy(pm_net_export_t *e);

#endif
