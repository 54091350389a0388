/*
 * cli_facet: `partnermap map TIES --facet period` — small multiples: one map panel per period
 * (--periods A-B,C-D,... or --step N over --period FROM-TO or the data's years), in one figure
 * with shared scales (pm_render_facet.h). The period rules are pm_period's.
 */
#ifndef PM_CLI_FACET_H
#define PM_CLI_FACET_H

#include "pm_batch.h"

#include "cli_map.h"
#include "cli_period.h"
#include "pm_period.h"

enum { OPT_FACET = OPT_CLI_PERIOD_LAST + 1, OPT_COLS, OPT_CLI_FACET_LAST };

#define CLI_FACET_HELP                                                                             \
    "Small multiples (one panel per period, shared scales, one legend; the period options\n"       \
    "are timeline's, here --step defaults to 10):\n"                                               \
    "  --facet period      draw one map panel per period\n" CLI_PERIOD_HELP                        \
    "  --cols N            columns of panels (default: the largest panels for the page)\n"

typedef struct cli_facet_opts {
    int on;                /* --facet period */
    cli_period_opts_t per; /* the period options (cli_period_group) */
    long cols;
    const char *first_facet_option; /* --cols: for "needs --facet period" */
} cli_facet_opts_t;

void cli_facet_opts_init(cli_facet_opts_t *o);
/* --facet and --cols (cli_facet_opts_t); the periods are cli_period_group's (fo.per) */
extern const cli_opt_group_t cli_facet_group;
/* -1 when the facet options agree with each other, the map's and the range (--period: range),
 * else the exit code (printed). */
int cli_facet_check(const char *cmd, const cli_facet_opts_t *fo, const cli_map_opts_t *mo,
                    const pm_filter_t *range);
/* Draws the small-multiple figure of input to outputs (each whole or absent); warnings to diag.
 * Errors: those of the pipeline (cli_net_load), the periods (PM_EUSAGE, PM_EDATA) and the
 * renderer (pm_render_facet). */
pm_status_t cli_facet_draw(const char *input, const cli_net_opts_t *o, const cli_map_opts_t *mo,
                           const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out,
                           pm_diag_t *diag, pm_error_t *err);
/* cli_facet_draw with its warnings and error printed; returns the exit code. */
int cli_facet_run(const char *input, const cli_net_opts_t *o, cli_map_opts_t *mo,
                  const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out);

/* A batch job with --facet period: its small multiples drawn as map.* (the formats of fig) in
 * its folder, on the batch's shared scales; a failure is the job's. Does nothing for a job not
 * pending, or drawn by another shard. */
void cli_facet_batch_job(pm_batch_job_t *j, const cli_net_opts_t *no, const cli_map_opts_t *mo,
                         const cli_facet_opts_t *fo, const pm_batch_figures_t *fig);

#endif
