/*
 * cli_facet: `partnermap map TIES --facet period` — small multiples: one map panel per period
 * (--periods A-B,C-D,... or --step N over --period FROM-TO or the data's years), in one figure
 * with shared scales (pm_render_facet.h). The period rules are pm_period's.
 */
#ifndef PM_CLI_FACET_H
#define PM_CLI_FACET_H

#include "cli_map.h"
#include "pm_period.h"

enum {
    OPT_FACET = OPT_CLI_MAP_LAST + 1,
    OPT_PERIODS,
    OPT_STEP,
    OPT_OPEN_END,
    OPT_UNDATED,
    OPT_COLS,
    OPT_CLI_FACET_LAST
};

#define CLI_FACET_LONG_OPTIONS                                                                     \
    {"facet", required_argument, NULL, OPT_FACET},                                                 \
        {"periods", required_argument, NULL, OPT_PERIODS},                                         \
        {"step", required_argument, NULL, OPT_STEP},                                               \
        {"open-end", required_argument, NULL, OPT_OPEN_END},                                       \
        {"undated", required_argument, NULL, OPT_UNDATED}, {                                       \
        "cols", required_argument, NULL, OPT_COLS                                                  \
    }

#define CLI_FACET_HELP                                                                             \
    "Small multiples (one panel per period, shared scales, one legend):\n"                         \
    "  --facet period      draw one map panel per period\n"                                        \
    "  --periods LIST      the periods: 1945-1959,1960-1969,... (uneven allowed, no overlaps)\n"   \
    "  --step N            periods of N years (default 10), starting at a multiple of N, over\n"   \
    "                      --period FROM-TO (default: the first start to the last end or start)\n" \
    "  --open-end YEAR     ties without an end end in YEAR (default: still active)\n"              \
    "  --undated drop|all  ties without a start year: in no period (default) or in all\n"          \
    "  --cols N            columns of panels (default: the largest panels for the page)\n"

typedef struct cli_facet_opts {
    int on;              /* --facet period */
    const char *periods; /* --periods */
    long step;           /* 0 = not given */
    long open_end;       /* 0 = none */
    pm_undated_t undated;
    long cols;
    const char *first_facet_option; /* for "needs --facet period" */
} cli_facet_opts_t;

void cli_facet_opts_init(cli_facet_opts_t *o);
/* 1 handled, 0 not a facet option, -1 usage error (printed). */
int cli_facet_option(const char *cmd, int opt, const char *arg, cli_facet_opts_t *o);
/* -1 when the facet options agree with each other and the map's, else the exit code (printed). */
int cli_facet_check(const char *cmd, const cli_facet_opts_t *fo, const cli_map_opts_t *mo);
/* Draws the small-multiple figure of input to outputs (each whole or absent); warnings to diag.
 * Errors: those of the pipeline (cli_net_load), the periods (PM_EUSAGE, PM_EDATA) and the
 * renderer (pm_render_facet). */
pm_status_t cli_facet_draw(const char *input, const cli_net_opts_t *o, const cli_map_opts_t *mo,
                           const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out,
                           pm_diag_t *diag, pm_error_t *err);
/* cli_facet_draw with its warnings and error printed; returns the exit code. */
int cli_facet_run(const char *input, const cli_net_opts_t *o, cli_map_opts_t *mo,
                  const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out);

#endif
