/*
 * cli_batch: the batch command's output, small parsers and processes (progress, summary, --merge,
 * --figures, the forked workers); the work, the plan of runs included, is the core's batch engine
 * (pm_batch.h).
 */
#ifndef PM_CLI_BATCH_H
#define PM_CLI_BATCH_H

#include <stddef.h>
#include <sys/types.h>

#include "pm_batch.h"

/* Seconds on a monotonic clock. */
double cli_batch_now(void);
/* The progress line on stderr (a bar on a terminal, a line per run otherwise); nothing if quiet. */
void cli_batch_progress(int quiet, size_t done, size_t total, const char *current, double t0);
/* Writes rows as DIR/summary.csv and shows them; returns 0, or the exit code of a failure. */
int cli_batch_write_summary(const char *out_dir, const pm_batch_row_t *rows, size_t n, int quiet);
/* summary.csv from the runs of this process (a shard's: runs of other shards are left out), each
 * failed run named on stderr unless quiet; 0, 3 when a run failed, or the exit code of a failure.
 */
int cli_batch_summarize(pm_batch_job_t *jobs, size_t n, const char *out_dir, int quiet);
/* --merge: the shard folders argv[first..argc) into out_dir/summary.csv; the exit code (3 when a
 * run failed). */
int cli_batch_merge(int argc, char **argv, int first, const char *out_dir, int quiet);
/* --figures LIST: png, svg, pdf comma-separated, or none. 0, or -1 for a bad list. */
int cli_batch_parse_figures(const char *s, pm_batch_figures_t *f);
/* The number of threads of this process (Linux: /proc/self/task); 0 when it cannot tell. */
int cli_batch_process_threads(void);
/* Forks a worker writing job j (pm_batch_job_write); its message goes to DIR/error.txt when it
 * fails. The worker's pid, or -1 (errno). */
pid_t cli_batch_start_worker(pm_batch_job_t *j, const pm_batch_figures_t *f);
/* A worker has ended with wait status wst: the job's outcome (its error.txt read and removed). */
void cli_batch_worker_done(pm_batch_job_t *j, int wst);

#endif
