/*
 * cli_stats: the statistics report of a measured network (summary + places table), shared by
 * `stats`, `map --stats` and `batch`.
 */
#ifndef PM_CLI_STATS_H
#define PM_CLI_STATS_H

#include "cli_net.h"
#include "pm_report.h"
#include "pm_spatial.h"

typedef struct cli_stats_view {
    pm_format_t format;
    const char *sort; /* NULL = strength */
    size_t top;       /* 0 = all (terminal to stdout: 20) */
    int to_terminal;  /* printing to a terminal-like stdout: cap rows at 20 */
    int summary_only;
    const char *title;
} cli_stats_view_t;

/* Appends the report. spatial may be NULL (no geography). Errors: PM_EUSAGE (unknown sort
 * metric), PM_ENOMEM. */
pm_status_t cli_stats_write(const cli_net_t *net, const pm_metrics_opts_t *mo,
                            const pm_spatial_t *spatial, const cli_stats_view_t *v, pm_buf_t *out,
                            pm_error_t *err);

/* Spatial statistics of the network's ties (graph edges between matched places). */
pm_status_t cli_stats_spatial(const cli_net_t *net, pm_spatial_t *out, pm_error_t *err);

/* Per place (graph vertex): mean and max tie length in km (NaN when none). */
pm_status_t cli_stats_place_lengths(const cli_net_t *net, const pm_spatial_t *s, double **mean,
                                    double **max, pm_error_t *err);

#endif
