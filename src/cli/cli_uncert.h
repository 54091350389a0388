/*
 * cli_uncert: the source-uncertainty options (--uncertainty N and its company) and the run that
 * turns a measured network into the uncertainty report, a shard file, or a merge of shards.
 */
#ifndef PM_CLI_UNCERT_H
#define PM_CLI_UNCERT_H

#include "cli_net.h"
#include "cli_opt.h"
#include "pm_report.h"
#include "pm_uncert.h"

/* The uncertainty options, a group of the option layer (cli_opt.h) filling a cli_uncert_opts_t:
 * --uncertainty, --keep-documented, --keep-probable, --resample, --weight-noise, --interval,
 * --metrics, -j/--jobs, --shard, --merge, --force. A command that takes it lists it among its
 * groups and calls cli_uncert_check after parsing. (--top is the command's own: it sets
 * cli_uncert_opts_t.top itself.) */
extern const cli_opt_group_t cli_uncert_group;
/* The model's options only (--uncertainty, --keep-documented, --keep-probable, --resample,
 * --weight-noise, --interval), on a cli_uncert_opts_t: for batch runs, whose -j, --shard,
 * --merge and --force are the batch's. */
extern const cli_opt_group_t cli_uncert_model_group;
/* All but -j (timeline, whose -j counts its processes). */
extern const cli_opt_group_t cli_uncert_nojobs_group;

/* The keep model's options in --help (the lines after --uncertainty). */
#define CLI_UNCERT_MODEL_LINES                                                                     \
    "  --keep-documented P keep probability of a documented tie row (default 1)\n"                 \
    "  --keep-probable P   keep probability of a row marked probable (default 0.5); a\n"           \
    "                      `probability` column (0-1) wins over both where it is filled\n"         \
    "  --resample ties     bootstrap: draw the rows with replacement before keeping them\n"        \
    "  --weight-noise S    multiply each kept row's weight by a log-normal factor of mean 1\n"     \
    "                      and log-sd S (e.g. 0.2)\n"                                              \
    "  --interval PCT      width of the intervals in percent (default 95)\n"

#define CLI_UNCERT_HELP                                                                            \
    "Source uncertainty (Monte Carlo over the tie rows; docs/methods.md):\n"                       \
    "  --uncertainty N     N replicate networks (1 to 1000000): per place and metric the\n"        \
    "                      observed value, median, interval, rank interval, share in the top "     \
    "k\n" CLI_UNCERT_MODEL_LINES                                                                   \
    "  --top K             with --uncertainty: the k of \"share of replicates in the top k\"\n"    \
    "                      (default 10), and places printed per metric\n"                          \
    "  --metrics LIST      metrics to simulate, comma-separated (default: degree, strength,\n"     \
    "                      betweenness, closeness, eigenvector, pagerank)\n"                       \
    "  -j, --jobs N        worker processes (default: one per processor); results do not\n"        \
    "                      depend on it\n"                                                         \
    "  --shard K/N         run only replicates K, K+N, K+2N, ... and write their values to -o\n"   \
    "                      (a file, or a folder: shard-K-of-N.pmu in it); see docs/formats.md;\n"  \
    "                      --shard slurm: K and N from the Slurm array task (also the\n"           \
    "                      default in an array task; partnermap(1), ENVIRONMENT)\n"                \
    "  --merge PATH        summarise the shard files PATH (a file or a folder of *.pmu;\n"         \
    "                      repeatable) instead of running replicates: the same numbers as one\n"   \
    "                      run. Give the same table and options as the shards\n"                   \
    "  --force             with --shard: run the shard even when -o already holds it, complete\n"  \
    "                      and from the same table and options (it is skipped otherwise)\n"

typedef struct cli_uncert_opts {
    pm_uncert_opts_t u;
    int on;          /* --uncertainty given */
    double interval; /* percent */
    size_t top;      /* 0 = not given */
    const char *merge[64];
    size_t n_merge;
    char metrics_buf[256];
    const char *needs_n; /* the first option given that means nothing without --uncertainty */
    const char *shard;   /* --shard's value, resolved by cli_uncert_check */
    char shard_buf[32];  /* the shard taken from a Slurm array task */
    int quiet;           /* no note of a shard taken from the array (set by the command) */
    int force;           /* --force: run a shard even when its file already holds it */
} cli_uncert_opts_t;

void cli_uncert_opts_init(cli_uncert_opts_t *o);
/* After the options (rc: -1, or the exit code they gave): takes the shard from a Slurm array task
 * (cli_slurm_shard: --shard slurm, or no --shard in an array task of a run that is not a merge),
 * and checks the combination (options that need --uncertainty, --shard with --merge, a shard
 * without -o): -1 fine, else the exit code (printed). */
int cli_uncert_check(const char *cmd, int rc, cli_uncert_opts_t *o, const char *output);

/* The replicates of o on net, as pm_uncert_run gives them (the same bytes), computed by
 * o->threads worker processes (-j; 0: one per processor), each replicate measured on one
 * thread; in this process when that is 1 or the process runs other threads (the fork rule).
 * A worker that fails or dies fails the run (PM_EINTERNAL, or the worker's own error: the
 * message says which worker and how far it got) and *out is left alone. */
pm_status_t cli_uncert_run(const pm_net_t *net, const pm_metrics_opts_t *mo,
                           const pm_uncert_opts_t *o, pm_uncert_t *out, pm_error_t *err);

/* Runs the replicates (or reads the shards) on net and writes the report, or the shard, to
 * output (NULL = standard output). A shard whose file already holds it, complete and of the same
 * run (pm_uncert_shard_check), is not run again unless o->force: a line on stderr says so and the
 * exit code is 0; a file of another run or a damaged one is recomputed and replaced, with a note.
 * Returns the exit code. */
int cli_uncert_stats(const pm_net_t *net, const cli_net_opts_t *no, const cli_uncert_opts_t *o,
                     pm_format_t format, const char *sort, size_t rows, int summary_only,
                     const char *title, const char *output);

#endif
