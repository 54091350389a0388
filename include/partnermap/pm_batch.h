/*
 * pm_batch: the bookkeeping of batch runs: which runs there are (a manifest, files or folders),
 * which slice of them this process takes (--shard K/N), whether a run's inputs changed since its
 * last output (content hash), and the summary table that compares runs side by side.
 *
 * A manifest is a table (CSV, XLSX, ...) read through OGR with one row per run: `name`, `ties`
 * (path, relative to the manifest's folder), an optional `options` cell holding command-line
 * options ("--where confidence=documented --period 1960-1969"), and optionally one column per
 * option named without dashes (`where`, `period`, `weight`, `fill`, ...), each non-empty cell
 * becoming `--COLUMN VALUE`.
 *
 * The engine (pm_batch_run.c, pm_batch_summary.c): a run is a pm_batch_job_t with typed options
 * (pm_net_opts_t, pm_net_map_opts_t, pm_map_opts_t). pm_batch_job_load reads, joins and measures
 * it against one shared geometry; pm_batch_share gives every loaded job the scales and map frame
 * of the whole batch; pm_batch_job_hash and pm_batch_job_unchanged skip a run whose inputs,
 * options and scales are those of its last complete output; pm_batch_job_write draws and writes
 * its folder (map.*, stats.csv, summary.csv, join.csv, warnings.txt, the hash last);
 * pm_batch_job_row gives its line of the batch summary from memory; pm_batch_summary_read reads
 * a written summary back (for merging shards) through OGR. pm_batch_run_jobs runs them all in
 * turn with callbacks for running one (a program forks there) and for progress. Processes,
 * signals and the progress bar are the program's.
 */
#ifndef PM_BATCH_H
#define PM_BATCH_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_net.h"
#include "pm_render.h"

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

/* The runs of a batch: those of manifest (NULL = none), then one per path (pm_batch_add_path;
 * a single path, when there is no manifest, is read as a manifest if its header has name and ties
 * columns), sharded by spec "K/N" (NULL = all runs). With independent scales b keeps shard K's
 * runs only; with shared scales b keeps every run (cheap: the shard's figures use the scales of
 * the whole batch) and *draw_k, *draw_n say which to draw: run i when i % n == k - 1 (0, 0 = all).
 * *index_out[i] = run i's position in the whole batch (the caller frees it). Errors: those of the
 * manifest and paths, PM_EUSAGE (bad shard), PM_ENOMEM. */
pm_status_t pm_batch_plan(pm_batch_t *b, const char *manifest, char *const *paths, size_t n_paths,
                          const char *shard, int independent, size_t **index_out, int *draw_k,
                          int *draw_n, pm_error_t *err);

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

/* ---- the engine ---------------------------------------------------------------------------- */

typedef enum pm_batch_status {
    PM_BATCH_PENDING,
    PM_BATCH_OK,
    PM_BATCH_SKIPPED,
    PM_BATCH_FAILED
} pm_batch_status_t;

typedef struct pm_batch_figures {
    int png, svg, pdf;
    /* draws the maps (lent; its basemap cache serves every run that shares the view); NULL = a
     * renderer of each map's own (pm_render_map) */
    pm_renderer_t *renderer;
} pm_batch_figures_t;

typedef struct pm_batch_job {
    /* set by the caller */
    const char *name;          /* lent; safe as a folder name */
    const char *ties;          /* lent: the tie table */
    size_t index;              /* position in the whole batch (before sharding) */
    char dir[4096];            /* the run's folder */
    pm_net_opts_t net_opts;    /* with_geo, with_metrics and shared_geo are set by the engine */
    pm_net_map_opts_t map_sel; /* fill, circles, label */
    pm_map_opts_t map;         /* the renderer's options (completed by pm_batch_job_load) */
    const char *options_key;   /* the run's options as text, for the hash (lent; "" = none) */
    int other_shard;           /* loaded for the shared scales only: another shard draws it */
    int own_figure;            /* the caller draws the run's map.* itself (small multiples) before
                                  pm_batch_job_write, which then writes the other files and the hash */
    const char *extra_name;    /* optional: one more file of the caller's for the run's folder
                                  (e.g. uncertainty.csv), written with the others, before the hash;
                                  lent, with extra_data (extra_len bytes); NULL = none */
    const char *extra_data;
    size_t extra_len;
    /* set by the engine */
    pm_batch_status_t status;
    char reason[PM_ERROR_MSG_MAX]; /* why it failed */
    pm_diag_t diag;                /* its warnings (written to warnings.txt) */
    pm_net_t net;
    int loaded;
    pm_net_map_t data;
    int prepared;
    char *hash;
    char fill_title[256];
} pm_batch_job_t;

void pm_batch_job_init(pm_batch_job_t *j);
/* Frees what the engine made (net, map data, hash, warnings). NULL is allowed. */
void pm_batch_job_destroy(pm_batch_job_t *j);
/* Frees the network and map data of j (after its files are written). */
void pm_batch_job_forget(pm_batch_job_t *j);
/* Marks j failed with a reason (a one-line message). */
void pm_batch_job_fail(pm_batch_job_t *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads, joins (against geo, shared), measures j and prepares its map and tie lengths. A place
 * not joined (unless its options allow it) fails the run, and its join report is written to its
 * folder first, the reason saying where. On failure j is PM_BATCH_FAILED with the reason and the
 * status is returned; the batch goes on. */
pm_status_t pm_batch_job_load(pm_batch_job_t *j, pm_geo_t *geo);

/* Shared scales over the loaded jobs: extent, tie widths and circle sizes from all; class breaks
 * from the jobs colouring by the first job's fill; each fill legend says whose classes it uses;
 * one map frame for all. *scales_text (caller frees) identifies the scales for the hash. */
pm_status_t pm_batch_share(pm_batch_job_t *jobs, size_t n, pm_map_scales_t *scales,
                           char **scales_text, pm_error_t *err);

/* j->hash over its tie table, options_key, the scales (NULL = independent), the figures and the
 * program's version. Errors: PM_EIO (the tie table unreadable). */
pm_status_t pm_batch_job_hash(pm_batch_job_t *j, const pm_batch_run_t *spec,
                              const char *scales_text, const pm_batch_figures_t *f,
                              pm_error_t *err);
/* 1 when j's folder holds a complete output with j's hash (a database table: never). */
int pm_batch_job_unchanged(const pm_batch_job_t *j);

/* Creates j's folder and writes its files, each whole or absent, the hash last. On failure
 * removes the temporaries. Errors: PM_EIO, PM_ENOMEM, the renderer's. */
pm_status_t pm_batch_job_write(pm_batch_job_t *j, const pm_batch_figures_t *f, pm_error_t *err);

/* Draws and writes pending job j here (pm_batch_job_write) and records the outcome in j: ok, or
 * failed with the message. */
void pm_batch_job_draw(pm_batch_job_t *j, const pm_batch_figures_t *f);

typedef struct pm_batch_callbacks {
    /* runs (draws and writes) job here; NULL = pm_batch_job_write */
    pm_status_t (*run)(pm_batch_job_t *job, const pm_batch_figures_t *f, void *ctx,
                       pm_error_t *err);
    /* after each job: done of total, the job's name */
    void (*progress)(size_t done, size_t total, const char *name, void *ctx);
    void *ctx;
    /* Optional, for runs elsewhere (a program's worker processes): start begins job and returns
     * 1, or returns 0 to have it run here (run, above), or -1 after failing job
     * (pm_batch_job_fail) when it could not be started. wait blocks until a started job ends,
     * records its outcome in it (ok, or failed with the reason) and returns 1 with it in *ended;
     * 0 when it was interrupted before one ended (the engine asks stop, then waits again for
     * the jobs still running); -1 when it cannot wait (the engine gives up on them). Both NULL:
     * every job runs here, in turn. */
    int (*start)(pm_batch_job_t *job, const pm_batch_figures_t *f, void *ctx);
    int (*wait)(pm_batch_job_t **ended, void *ctx);
    /* non-zero: start no more jobs (the batch was interrupted); NULL = never */
    int (*stop)(void *ctx);
    size_t max_running; /* jobs started and not ended at once, at most (0 = 1) */
    /* run the first pending job here before starting any (a program forking workers after it
     * gives them the renderer's basemap, made once) */
    int first_here;
} pm_batch_callbacks_t;

/* Runs the pending jobs (not other_shard) in order: each pending one in its folder (created
 * first; a folder that cannot be made fails the job), here or, with start and wait, elsewhere, up
 * to max_running at once. Jobs already decided (skipped by their hash, failed before) count as
 * done without running. Failures are recorded in the job and do not stop the others; stop stops
 * starting new ones, and the jobs never started stay pending. The number of failed jobs goes to
 * *n_failed. */
void pm_batch_run_jobs(pm_batch_job_t *jobs, size_t n, const pm_batch_figures_t *f,
                       const pm_batch_callbacks_t *cb, size_t *n_failed);

/* ---- the summary (pm_batch_summary.c) -------------------------------------------------------- */

#define PM_BATCH_SUMMARY_KEYS 13

/* The statistics of each run in the batch summary, in column order (a subset of the report's). */
extern const char *const pm_batch_summary_keys[PM_BATCH_SUMMARY_KEYS];

/* The column of key in pm_batch_summary_keys (and pm_batch_row_t.values), or -1. */
int pm_batch_summary_index(const char *key);

typedef struct pm_batch_row {
    size_t index;
    char name[256];
    char status[16]; /* ok, skipped, failed */
    char reason[PM_ERROR_MSG_MAX];
    char values[PM_BATCH_SUMMARY_KEYS][32];
    char top[800]; /* the three places of highest strength, "a; b; c" */
} pm_batch_row_t;

/* j's row, from its network in memory. Errors: PM_ENOMEM. */
pm_status_t pm_batch_job_row(const pm_batch_job_t *j, pm_batch_row_t *row, pm_error_t *err);
/* Appends the summary CSV of rows. */
void pm_batch_summary_csv(const pm_batch_row_t *rows, size_t n, pm_buf_t *b);
/* Appends the rows of dir/summary.csv (written by pm_batch_summary_csv) to *rows, read through
 * OGR. Errors: PM_EIO, PM_EDATA (not a batch summary: a column missing), PM_ENOMEM. */
pm_status_t pm_batch_summary_read(const char *dir, pm_batch_row_t **rows, size_t *n,
                                  pm_error_t *err);
/* Sorts rows by index. */
void pm_batch_rows_sort(pm_batch_row_t *rows, size_t n);

#endif
