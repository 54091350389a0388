/*
 * cli_net: the pipeline the commands share, from a tie table to a measured network of joined
 * places: read and filter the ties, open the geometry source, join the places, build the graph
 * with each matched unit as one place, compute the statistics. Also the geometry options
 * (--geo, --geo-layer, --geo-key, --geo-name, --level, --aggregate, --country, --aliases, --places,
 * --anchor, --allow-unmatched).
 */
#ifndef PM_CLI_NET_H
#define PM_CLI_NET_H

#include "cli_ties.h"
#include "pm_geo.h"
#include "pm_graph.h"
#include "pm_join.h"
#include "pm_metrics.h"
#include "pm_net.h"

enum {
    OPT_GEO = OPT_CLI_TIES_LAST + 100,
    OPT_GEO_LAYER,
    OPT_GEO_KEY,
    OPT_GEO_NAME,
    OPT_LEVEL,
    OPT_COUNTRY,
    OPT_COUNTRY_FROM,
    OPT_COUNTRY_TO,
    OPT_ALIASES,
    OPT_PLACES,
    OPT_ANCHOR,
    OPT_ALLOW_UNMATCHED,
    OPT_AGGREGATE,
    OPT_WEIGHTS,
    OPT_NORMALIZED,
    OPT_COMMUNITY,
    OPT_RESOLUTION,
    OPT_SEED,
    OPT_CLI_NET_LAST
};

#define CLI_GEO_HELP                                                                               \
    "Places and geometry:\n"                                                                       \
    "  --level LEVEL       admin1 (default: regions, oblasts, kraje...), country, city (the\n"     \
    "                      embedded gazetteer: GeoNames cities500, CC BY 4.0, old names\n"         \
    "                      included) or auto (regions, then cities for the rest). Without\n"       \
    "                      it a table whose places are all cities, not regions, joins as\n"        \
    "                      city (a warning says so)\n"                                             \
    "  --aggregate TO      region or country: roll city ties up to ties between their\n"           \
    "                      regions or countries (weights summed)\n"                                \
    "  --geo SRC           another geometry source (Shapefile, GeoPackage, GeoJSON, PG:...)\n"     \
    "  --geo-layer NAME    its layer\n"                                                            \
    "  --geo-key FIELD     a code field to match on (repeatable)\n"                                \
    "  --geo-name FIELD    a name field to match on (repeatable; e.g. GADM's NAME_1)\n"            \
    "  --country ISO       the country of places whose row gives none\n"                           \
    "  --country-from COL  column with the country of the first place (default: from_country)\n"   \
    "  --country-to COL    column with the country of the second place (default: to_country)\n"    \
    "  --aliases FILE      your own aliases (alias,target_code): they win over every other "       \
    "match\n"                                                                                      \
    "  --places FILE       places drawn as points (name,lon,lat[,region,country]), e.g. cities\n"  \
    "  --anchor HOW        where a place is drawn: label (default), surface, centroid\n"           \
    "  --allow-unmatched   go on without the places that did not match (they are left out of\n"    \
    "                      maps and spatial statistics, and the output says so)\n"

#define CLI_METRICS_HELP                                                                           \
    "Statistics:\n"                                                                                \
    "  --weights MODE      strength (default: a weight is an intensity; path lengths are\n"        \
    "                      1/weight), as-length (a weight is a length), none (ignore weights)\n"   \
    "  --normalized        divide betweenness by the number of pairs of places\n"                  \
    "  --community ALGO    louvain (default) or leiden\n"                                          \
    "  --resolution R      modularity resolution (default 1)\n"                                    \
    "  --seed N            random seed for community detection (default 42)\n"

typedef struct cli_net_opts {
    cli_ties_opts_t ties;
    pm_metrics_opts_t metrics;
    pm_geo_opts_t geo;
    pm_join_opts_t join;
    const char *level;
    const char *aggregate;
    const char *country_from_col, *country_to_col;
    const char *geo_keys[16];
    const char *geo_names[16];
    const char *alias_files[16];
    int allow_unmatched;
    int geo_given;   /* an option of cli_geo_group was given (stats: implies --spatial) */
    int report_join; /* `join`: unmatched places are the report's business, not a warning */
} cli_net_opts_t;

/* The geometry options (--geo ... --allow-unmatched) and the statistics options (--weights ...
 * --seed), both on a cli_net_opts_t. */
extern const cli_opt_group_t cli_geo_group;
extern const cli_opt_group_t cli_metrics_group;

void cli_net_opts_init(cli_net_opts_t *o);
void cli_net_opts_destroy(cli_net_opts_t *o);
/* Handles a shared tie, geometry or statistics option: 1 handled, 0 not one, -1 usage error
 * (printed). */
int cli_net_option(const char *cmd, int opt, const char *arg, cli_net_opts_t *o);

/* The core's options for o (lending o's strings and filter). */
void cli_net_core_opts(const cli_net_opts_t *o, int with_geo, pm_geo_t *shared_geo,
                       int with_metrics, pm_net_opts_t *po);

/* Runs the core pipeline (pm_net_load) with o's options. With_geo: open the geometry (or use
 * shared_geo when not NULL) and join. With_metrics: compute the statistics. Errors as
 * pm_net_load, with the option that answers them added to the message. */
pm_status_t cli_net_load(const char *path, const cli_net_opts_t *o, int with_geo,
                         pm_geo_t *shared_geo, int with_metrics, pm_net_t *net, pm_diag_t *diag,
                         pm_error_t *err);

/* A command's run of the pipeline: its error, its warnings (those printed so far: shown) and
 * the network. */
typedef struct cli_net_run {
    pm_error_t err;
    pm_diag_t diag;
    size_t shown;
    pm_net_t net;
    int loaded;
    int quiet;
} cli_net_run_t;

/* Sets up r and loads input (cli_net_load) into r->net, then prints the warnings. Returns -1 to
 * go on, or the exit code after printing the error. r is freed by cli_net_run_end either way. */
int cli_net_run_load(cli_net_run_t *r, const char *input, const cli_net_opts_t *o, int with_geo,
                     int with_metrics);
/* Prints the warnings not shown yet (unless --quiet). */
void cli_net_run_warnings(cli_net_run_t *r);
/* The exit code of st, after printing the warnings not shown yet: 0 for PM_OK, a usage error
 * naming cmd for PM_EUSAGE, else r->err's message (cli_fail). */
int cli_net_run_exit(cli_net_run_t *r, const char *cmd, pm_status_t st);
/* Prints the warnings not shown yet and frees r; returns rc. */
int cli_net_run_end(cli_net_run_t *r, int rc);

/* Opens the geometry source of o (default geodata at the chosen level). */
pm_status_t cli_net_open_geo(const cli_net_opts_t *o, pm_geo_t **out, pm_error_t *err);

/* Every file a run of the pipeline on ties reads (the tie table, places, geometry source or the
 * default geodata, composites, alias files), for refusing outputs that would replace one. Fills
 * out[0..max) and returns the count; entries may be NULL. */
#define CLI_NET_MAX_INPUTS 24
size_t cli_net_inputs(const char *ties, const cli_net_opts_t *o, const char **out, size_t max);
/* -1 when none of the n outputs (NULL entries skipped) is an input of the pipeline on ties;
 * else reports the first that is and returns the usage exit code. */
int cli_net_protect_inputs(const char *cmd, const char *ties, const cli_net_opts_t *o,
                           const char *const *outputs, size_t n);
/* After a command's options (rc: -1, or the exit code they already gave): the one tie table
 * (cli_one_input) into *input, refused when one of the outputs would replace an input
 * (cli_net_protect_inputs). -1 to go on, else the exit code. */
int cli_net_input(const char *cmd, int rc, int argc, char **argv, const cli_net_opts_t *o,
                  const char *const *outputs, size_t n, const char **input);

#endif
