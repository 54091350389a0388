/*
 * cli_batch: the batch command's output and small parsers (progress, summary, --merge,
 * --figures, manifest detection); the work is the core's batch engine (pm_batch.h).
 */
#ifndef PM_CLI_BATCH_H
#define PM_CLI_BATCH_H

#include <stddef.h>

#include "pm_batch.h"

/* Seconds on a monotonic clock. */
double cli_batch_now(void);
/* The progress line on stderr (a bar on a terminal, a line per run otherwise); nothing if quiet. */
void cli_batch_progress(int quiet, size_t done, size_t total, const char *current, double t0);
/* Writes rows as DIR/summary.csv and shows them; returns 0, or the exit code of a failure. */
int cli_batch_write_summary(const char *out_dir, const pm_batch_row_t *rows, size_t n, int quiet);
/* --merge: the shard folders argv[first..argc) into out_dir/summary.csv; the exit code (3 when a
 * run failed). */
int cli_batch_merge(int argc, char **argv, int first, const char *out_dir, int quiet);
/* --figures LIST: png, svg, pdf comma-separated, or none. 0, or -1 for a bad list. */
int cli_batch_parse_figures(const char *s, pm_batch_figures_t *f);
/* 1 when path is a CSV whose header has name and ties columns (a manifest). */
int cli_batch_looks_like_manifest(const char *path);

#endif
