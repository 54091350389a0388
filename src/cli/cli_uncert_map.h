/*
 * cli_uncert_map: `map --uncertainty N`: the replicates of the metrics a map draws, turned into
 * the renderer's plain marks (a ring per circle, hatching on unstable classes; pm_uncert_map.h),
 * the legend's words for them, and the notes for people.
 */
#ifndef PM_CLI_UNCERT_MAP_H
#define PM_CLI_UNCERT_MAP_H

#include <stdio.h>

#include "cli_map.h"
#include "pm_batch.h"
#include "pm_buf.h"
#include "cli_uncert.h"
#include "pm_uncert.h"

/* The model's options, for the commands that draw or tabulate replicates without shards. */
#define CLI_UNCERT_MODEL_HELP                                                                      \
    "Source uncertainty (Monte Carlo over the tie rows; docs/methods.md):\n"                       \
    "  --uncertainty N     N replicate networks (1 to 1000000)\n" CLI_UNCERT_MODEL_LINES           \
    "  -j, --jobs N        threads (default: one per processor); results do not depend on it\n"

#define CLI_UNCERT_MAP_HELP                                                                        \
    CLI_UNCERT_MODEL_HELP                                                                          \
    "  --unstable SHARE    hatch the places whose fill class changes in more than SHARE of\n"      \
    "                      the replicates (0 to 1, default 0.2; the map's own class edges);\n"     \
    "                      each circle gets a dashed ring at the interval's upper bound of\n"      \
    "                      its metric (the 97.5 % quantile by default)\n"

typedef struct cli_uncert_map {
    double unstable;   /* --unstable, default 0.2 */
    const char *given; /* "--unstable" when given (it needs --uncertainty) */
    /* the results, for the legend and the notes */
    char text_ring[128], text_unstable[128];
    size_t replicates;
    size_t n_classed;     /* places with a fill class */
    size_t n_unstable;    /* of them, unstable */
    char *unstable_names; /* "'A', 'B'" (owned), most unstable first; NULL when none */
    int fill_simulated, size_simulated;
} cli_uncert_map_t;

extern const cli_opt_group_t cli_uncert_map_group;

void cli_uncert_map_init(cli_uncert_map_t *m);
void cli_uncert_map_destroy(cli_uncert_map_t *m);

/* After the options (rc: -1 or the exit code they gave): what a map cannot take with
 * --uncertainty (--shard, --merge, --metrics: a map simulates the metrics it draws) and
 * --unstable without --uncertainty. -1 to go on, else the exit code (printed). */
int cli_uncert_map_check(const char *cmd, int rc, const cli_uncert_opts_t *uo,
                         const cli_uncert_map_t *m);

/* Runs uo's replicates of the fill and circle metrics of mo on net (seed: no's) and sets the
 * rings and unstable flags of d's places (after cli_map_prepare) and the legend's texts of
 * mo->map. Notes (unless quiet) on stderr: a drawn metric that cannot be simulated (the unstable
 * places: cli_uncert_map_note). Errors: PM_EUSAGE (nothing on the map can be simulated),
 * pm_uncert_run's. */
pm_status_t cli_uncert_map_marks(const pm_net_t *net, const cli_net_opts_t *no,
                                 const cli_uncert_opts_t *uo, cli_map_opts_t *mo, pm_net_map_t *d,
                                 cli_uncert_map_t *m, int quiet, pm_error_t *err);
/* The same, also appending the uncertainty report of the simulated metrics (as stats
 * --uncertainty --format csv writes it, titled title) to report when it is not NULL. */
pm_status_t cli_uncert_map_marks_report(const pm_net_t *net, const cli_net_opts_t *no,
                                        const cli_uncert_opts_t *uo, cli_map_opts_t *mo,
                                        pm_net_map_t *d, cli_uncert_map_t *m, int quiet,
                                        const char *title, pm_buf_t *report, pm_error_t *err);

/* The line on unstable places for people, after prefix, with a newline (nothing when the fill
 * is not simulated). */
void cli_uncert_map_note(const cli_uncert_map_t *m, const char *prefix, FILE *f);
/* The same line, without prefix and newline, into buf ("" when the fill is not simulated). */
void cli_uncert_map_note_text(const cli_uncert_map_t *m, char *buf, size_t size);

/* A batch job with --uncertainty: the replicates of its map's metrics as marks on its map (with
 * the batch's class edges when shared), the note in its warnings and uncertainty.csv (report) in
 * its folder; a failure is the job's. Does nothing without --uncertainty, for a job not pending
 * or drawn by another shard. */
void cli_uncert_map_batch_job(pm_batch_job_t *j, const cli_net_opts_t *no, cli_uncert_opts_t *uo,
                              const cli_map_opts_t *map_opts, cli_uncert_map_t *um,
                              pm_buf_t *report);

#endif
