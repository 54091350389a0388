/*
 * pm_batch: the bookkeeping of batch runs: which runs there are (a manifest, files or folders),
 * which slice of them this process takes (--shard K/N), whether a run's inputs changed since its
 * last output (content hash), and the summary table that compares runs side by side.
 *
 * A manifest is a table (CSV, XLSX, ...) read through OGR with one row per run: `name`, `ties`
 * (path, relative to the manifest's folder), an optional `options` cell holding command-line
 * options ("--where confidence=documented --period 1960-1969"), and optionally one column per
 * option named without dashes (`where`, `period`, `weight`, `fill`, ...), each non-empty cell
 * becoming `--COLUMN VALUE`. Running the runs (processes, progress, signals) is the CLI's job.
 */
#ifndef PM_BATCH_H
#define PM_BATCH_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"

typedef struct pm_batch_run {
    char *name;  /* unique, safe as a folder name */
    char *ties;  /* path of the tie table, or a database source (PG:..., pm_table_is_database) */
    char **argv; /* per-run options, NULL-terminated */
    size_t argc;
    long line; /* manifest line/row, 0 when the run came from a path */
} pm_batch_run_t;

typedef struct pm_batch {
    pm_batch_run_t *runs;
    size_t n;
} pm_batch_t;

void pm_batch_init(pm_batch_t *b);
void pm_batch_destroy(pm_batch_t *b);

/* Reads a manifest. Errors: PM_EIO (unreadable), PM_EDATA (no name/ties column, empty or
 * duplicate name, unbalanced quotes in options: with the line). */
pm_status_t pm_batch_read_manifest(const char *path, pm_batch_t *out, pm_error_t *err);

/* Adds one run per tie file: a file is one run, a folder gives every .csv/.tsv/.xlsx/.ods/.gpkg
 * in it (sorted by name). Run names are the file names without extension, made unique. A
 * database source (PG:...) is one run named after its dbname (never its password).
 * Errors: PM_EIO (no such path), PM_EDATA (a folder without tie files). */
pm_status_t pm_batch_add_path(pm_batch_t *b, const char *path, pm_error_t *err);

/* Keeps the k-th (1-based) of n interleaved slices: runs k-1, k-1+n, ... Errors: PM_EUSAGE. */
pm_status_t pm_batch_shard(pm_batch_t *b, const char *spec, pm_error_t *err);

/* Splits a command-line fragment into words: blanks separate, '...' and "..." quote, \ escapes.
 * *argv_out is NULL-terminated (caller frees each and the array). Errors: PM_EDATA (unbalanced
 * quote). */
pm_status_t pm_batch_split_words(const char *s, char ***argv_out, size_t *argc_out,
                                 pm_error_t *err);

/* A hex SHA-256 over the bytes of the run's tie file, its options, and extra (e.g. the shared
 * scales and the program version), so an unchanged run can be skipped. Caller frees. For a
 * database source, which has no bytes to read, the source without its password stands for the
 * file: the hash cannot show the table unchanged, and the CLI redoes such runs.
 * Errors: PM_EIO. */
pm_status_t pm_batch_run_hash(const pm_batch_run_t *r, const char *extra, char **hex_out,
                              pm_error_t *err);

#endif
