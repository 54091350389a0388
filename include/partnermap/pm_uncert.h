/*
 * pm_uncert: source uncertainty by Monte Carlo over the tie rows of a measured network.
 *
 * The model (docs/methods.md, "Source uncertainty"): each tie row is kept independently with a
 * probability: its `probability` cell (0-1) when the table has that column and the cell is not
 * empty, else keep_probable for rows whose confidence is `probable` and keep_documented for the
 * others. With resample, a replicate first draws m rows with replacement from the m rows (a row
 * drawn twice counts twice: its weight adds up, as two rows of one pair do) and then applies the
 * keep probabilities to each draw. With weight_noise s > 0 each kept row's weight is multiplied by
 * exp(s Z - s^2/2), Z standard normal (a log-normal factor of mean 1). A replicate network has
 * every place of the observed one: a place whose ties were all dropped is isolated (degree,
 * strength, betweenness, closeness 0).
 *
 * Replicate r (0-based) draws from its own random stream derived from (seed, r) alone, so the
 * numbers do not depend on the number of threads, on the order replicates run, or on how they
 * are split over shards. Per replicate only the graph is rebuilt and the statistics computed
 * (pm_metrics, whose path pass is spread over the threads); the table is read and joined once.
 *
 * Ownership: pm_uncert_t owns its arrays; the network it was run on is only read.
 */
#ifndef PM_UNCERT_H
#define PM_UNCERT_H

#include <stddef.h>
#include <stdint.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_metrics.h"
#include "pm_net.h"
#include "pm_report.h"

#define PM_UNCERT_MAX_REPLICATES 1000000
#define PM_UNCERT_MAX_METRICS 8
#define PM_UNCERT_N_NETWORK 14

typedef struct pm_uncert_opts {
    size_t replicates;       /* N >= 1, at most PM_UNCERT_MAX_REPLICATES */
    double keep_documented;  /* default 1 */
    double keep_probable;    /* default 0.5 */
    int resample;            /* bootstrap the rows before keeping */
    double weight_noise;     /* log-normal sigma; 0 = weights as written */
    unsigned long seed;      /* default 42 */
    int threads;             /* 0 = one per processor */
    size_t shard_k, shard_n; /* shard K of N (1 <= K <= N): replicates K, K+N, ... (1-based);
                                0/0 = all */
    const char *metrics[PM_UNCERT_MAX_METRICS]; /* per-place metrics kept; none = every numeric
                                                   metric of the graph (pm_metric registry) */
    size_t n_metrics;
    int observed_only; /* no replicates: the observed values and the model's fingerprint, to
                          merge shards against (pm_uncert_merge) */
} pm_uncert_opts_t;

void pm_uncert_opts_init(pm_uncert_opts_t *o);

/* The whole-network statistics simulated, in order (keys as in the statistics report). */
extern const char *const pm_uncert_network_keys[PM_UNCERT_N_NETWORK];

typedef struct pm_uncert {
    size_t n;                               /* places */
    size_t k;                               /* per-place metrics */
    char metric[PM_UNCERT_MAX_METRICS][24]; /* their names */
    size_t stride;                          /* doubles per replicate: k*n + network */
    size_t total;                           /* N of the whole run */
    size_t n_rep;                           /* replicates held */
    uint32_t *index;                        /* per held replicate: its 0-based number */
    double *values;                         /* n_rep * stride: metric j of place i at
                                               [j*n + i], network statistic s at [k*n + s] */
    double *observed;                       /* stride values of the observed network */
    uint64_t fingerprint;                   /* the model: places, rows, probabilities, options */
    unsigned long seed;
    size_t n_dropped_all; /* replicates in which every tie was dropped */
} pm_uncert_t;

/* Runs the replicates of o (all, or one shard's) on net (which must have metrics). mo: the
 * statistics options net was measured with. Errors: PM_EUSAGE (N out of range, a probability
 * option outside [0,1], a metric that is not a numeric per-place one, a bad shard), PM_EDATA
 * (a `probability` cell that is not a number in [0,1]: file:line), PM_ENOMEM (also when the
 * values of N replicates would not fit in memory: the message says to shard), PM_EINTERNAL. */
pm_status_t pm_uncert_run(const pm_net_t *net, const pm_metrics_opts_t *mo,
                          const pm_uncert_opts_t *o, pm_uncert_t *out, pm_error_t *err);
void pm_uncert_destroy(pm_uncert_t *u);

/* --- replicates one at a time, for a program that spreads them over worker processes --- */

typedef struct pm_uncert_sim pm_uncert_sim_t;

/* Prepares the replicates of o (all, or one shard's) on net as pm_uncert_run would run them:
 * *out gets everything pm_uncert_run gives but the replicates' values (room for them in
 * out->values, their numbers in out->index, out->n_rep 0 and n_dropped_all 0: the caller fills
 * the rows, pm_uncert_sim_replicate, then sets n_rep to pm_uncert_sim_count and
 * n_dropped_all). *sim: what computing one needs (only read by it; a process forked after this
 * call may use its copy). Errors as pm_uncert_run's. */
pm_status_t pm_uncert_sim_new(const pm_net_t *net, const pm_metrics_opts_t *mo,
                              const pm_uncert_opts_t *o, pm_uncert_t *out, pm_uncert_sim_t **sim,
                              pm_error_t *err);
/* The number of replicates of the run (of the shard). */
size_t pm_uncert_sim_count(const pm_uncert_sim_t *sim);
/* Computes the t-th replicate of the run (0 <= t < count; replicate number out->index[t]) into
 * row (stride doubles: the same bits pm_uncert_run stores for it, on one thread, whatever
 * o->threads); *all_dropped 1 when it kept no tie. Calls igraph: one thread of a process at a
 * time. Errors: PM_ENOMEM, PM_EINTERNAL. */
pm_status_t pm_uncert_sim_replicate(pm_uncert_sim_t *sim, size_t t, double *row, int *all_dropped,
                                    pm_error_t *err);
void pm_uncert_sim_free(pm_uncert_sim_t *sim);

/* The keep probability of every tie row of net (n = net->ties.n values, caller frees). Errors as
 * pm_uncert_run's PM_EDATA. */
pm_status_t pm_uncert_keep_probabilities(const pm_net_t *net, const pm_uncert_opts_t *o,
                                         double **out, pm_error_t *err);

/* --- shards (docs/formats.md, "Uncertainty shards") --- */

/* Appends u (a shard's replicates) in the shard format to out. */
pm_status_t pm_uncert_shard_write(const pm_uncert_t *u, const pm_uncert_opts_t *o, pm_buf_t *out,
                                  pm_error_t *err);
/* Whether the file path already holds shard o->shard_k/o->shard_n (0/0: 1/1) of the run like
 * (pm_uncert_run with observed_only, on the same network and options): PM_OK when its header is
 * the one this run would write (model, seed, N, places, metrics, network, shard) and it has every
 * replicate of the shard, in order, and the bytes they need. Reads the file, computes nothing.
 * Errors: PM_EIO (cannot read it; no file is one), PM_EDATA (another run's shard, another shard,
 * a damaged or short file: the message names the file and says which), PM_ENOMEM. */
pm_status_t pm_uncert_shard_check(const char *path, const pm_uncert_t *like,
                                  const pm_uncert_opts_t *o, pm_error_t *err);
/* Fills u with the replicates of the shard files at paths (a folder stands for its *.pmu files),
 * checked against like (a run of the same network and options with no replicates: same model,
 * seed, N, places and metrics) and for completeness: every replicate 1..N exactly once.
 * Errors: PM_EIO (cannot read), PM_EDATA (not a shard, another model, a replicate missing or
 * twice: the message names the file). */
pm_status_t pm_uncert_merge(const char *const *paths, size_t n_paths, const pm_uncert_t *like,
                            pm_uncert_t *u, pm_error_t *err);

/* --- summaries --- */

typedef struct pm_uncert_stat {
    double observed, median, lo, hi; /* lo/hi: the interval's quantiles (type 7) */
    double rank, rank_lo, rank_hi;   /* competition rank (1 = highest); NaN for network stats */
    double top_share;                /* share of replicates with rank <= top */
    size_t defined;                  /* replicates with a defined value (network stats) */
} pm_uncert_stat_t;

typedef struct pm_uncert_summary {
    size_t n, k;
    double interval; /* percent */
    size_t top;
    pm_uncert_stat_t *place; /* k * n: metric j, place i at [j*n + i] */
    pm_uncert_stat_t network[PM_UNCERT_N_NETWORK];
} pm_uncert_summary_t;

/* Quantiles of u's replicates (which must be complete: N held). interval in (0,100), e.g. 95;
 * top >= 1. Errors: PM_ENOMEM. Cost O(k n N log N). */
pm_status_t pm_uncert_summarise(const pm_uncert_t *u, double interval, size_t top,
                                pm_uncert_summary_t *out, pm_error_t *err);
void pm_uncert_summary_destroy(pm_uncert_summary_t *s);

/* The type-7 quantile (linear between order statistics, as R's default and numpy's) of the
 * sorted values x[0..n), p in [0,1]; NaN when n == 0. */
double pm_uncert_quantile(const double *sorted, size_t n, double p);

/* --- the report (pm_uncert_report.c) --- */

typedef struct pm_uncert_view {
    pm_format_t format;
    const char *sort; /* a simulated metric, or NULL: the first one */
    size_t rows;      /* places printed per metric; 0 = all */
    const char *title;
    size_t replicates;
    const pm_uncert_opts_t *opts; /* for the note on the model */
    int summary_only;             /* the network statistics alone */
} pm_uncert_view_t;

/* Appends the report of s for net to out: for people (terminal, Markdown, LaTeX) the network
 * statistics as "value [lo-hi]", then a table per metric: value [lo-hi], rank [lo-hi], share in
 * the top k; for machines (CSV, TSV: one row per place and metric; JSON: both) every number.
 * Errors: PM_EUSAGE (sort by a metric not simulated), PM_ENOMEM. */
pm_status_t pm_uncert_report_write(const pm_net_t *net, const pm_uncert_t *u,
                                   const pm_uncert_summary_t *s, const pm_uncert_view_t *v,
                                   pm_buf_t *out, pm_error_t *err);

#endif
