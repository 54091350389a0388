/*
 * cli_map: the map options of `partnermap map` (shared with `partnermap batch`).
 */
#ifndef PM_CLI_MAP_H
#define PM_CLI_MAP_H

#include "cli_net.h"
#include "pm_render.h"
#include "pm_spatial.h"

enum {
    OPT_FILL = OPT_CLI_NET_LAST + 1,
    OPT_CLASSES,
    OPT_NCLASSES,
    OPT_PALETTE,
    OPT_SIZE,
    OPT_PAGE,
    OPT_DPI,
    OPT_THEME,
    OPT_CRS,
    OPT_EXTENT,
    OPT_LABEL,
    OPT_TITLE,
    OPT_CREDIT,
    OPT_NO_LABELS,
    OPT_CIRCLES,
    OPT_STATS_OUT,
    OPT_JOIN_OUT,
    OPT_INSET,
    OPT_CLI_MAP_LAST
};

#define CLI_MAP_HELP                                                                               \
    "Map:\n"                                                                                       \
    "  --fill METRIC       colour the places' polygons by a metric (default pagerank; batch:\n"    \
    "                      pagerank_n; none): degree, strength, betweenness, closeness,\n"         \
    "                      eigenvector, pagerank, pagerank_n (PageRank x places, 1 = average),\n"  \
    "                      community, component, mean_tie_km, max_tie_km\n"                        \
    "  --classes METHOD    quantile (default), equal, jenks, or manual:0,1,5,10\n"                 \
    "  --nclasses N        number of classes (default 5, at most 9)\n"                             \
    "  --palette NAME      YlOrRd (default), viridis, Blues, ... (see the manual)\n"               \
    "  --size METRIC       circle area by a metric (default strength; none); or a page size\n"     \
    "  --circles METRIC    circle area by a metric (the same as --size METRIC)\n"                  \
    "  --page SIZE         page: 180x120mm (default), 7x5in, 16x10cm, single, double\n"            \
    "  --dpi N             PNG resolution (default 300)\n"                                         \
    "  --theme THEME       color (default) or print (greyscale)\n"                                 \
    "  --crs CRS           projection (EPSG:3035, a PROJ string; default: equal-area centred\n"    \
    "                      on the places)\n"                                                       \
    "  --extent W,S,E,N    the area shown, in degrees (default: fitted to the places)\n"           \
    "  --inset WHERE       none (default), auto (a crowded group of places drawn larger in a\n"    \
    "                      framed inset, when there is one), or a box W,S,E,N in degrees\n"        \
    "  --label FIELD       label text: name (as written, default), name_en, name_ru,\n"            \
    "                      name_local, unit, code, none\n"                                         \
    "  --no-labels         no place labels\n"                                                      \
    "  --title TEXT        title above the map\n"                                                  \
    "  --credit TEXT       source line under the map\n"                                            \
    "  --stats FILE        also write the places' statistics (CSV; - prints the summary and\n"     \
    "                      the top ten places)\n"                                                  \
    "  --join-report FILE  also write the join report (CSV)\n"

typedef struct cli_map_opts {
    pm_map_opts_t map;
    const char *fill;    /* metric or NULL = none */
    const char *circles; /* metric or NULL = none */
    const char *label;
    const char *stats_out, *join_out;
    double manual[PM_CLASSIFY_MAX + 2];
} cli_map_opts_t;

/* The map options (--fill ... --join-report), on a cli_map_opts_t. */
extern const cli_opt_group_t cli_map_group;

/* The help of the options map and batch share: the tie table, places and geometry (help[0]),
 * statistics and the map (help[1]); in two strings, as together they pass the 4,095 characters
 * C guarantees for one literal. */
extern const char *const cli_map_help[2];

void cli_map_opts_init(cli_map_opts_t *o);
void cli_map_opts_destroy(cli_map_opts_t *o);
/* 1 handled, 0 not a map option, -1 usage error (printed). */
int cli_map_option(const char *cmd, int opt, const char *arg, cli_map_opts_t *o);

/* The renderer's input for net (pm_net_map_prepare with o's fill, circles and label); completes
 * o->map from the network and records the command line in it. */
pm_status_t cli_map_prepare(const pm_net_t *net, const cli_net_opts_t *no, cli_map_opts_t *o,
                            pm_net_map_t *d, pm_diag_t *diag, pm_error_t *err);

/* Writes the per-place statistics CSV / join report CSV side outputs when asked for. */
pm_status_t cli_map_side_outputs(const pm_net_t *net, const cli_net_opts_t *no,
                                 const cli_map_opts_t *o, pm_net_map_t *d, pm_error_t *err);

#endif
