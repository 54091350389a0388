/*
 * cli_batch: what `partnermap batch` shows and reads besides the engine: the progress line, the
 * summary on the terminal and in DIR/summary.csv, --merge, --figures, and the forked workers that
 * draw the runs (process policy, the program's; see cli_batch.h).
 */
#include "cli_batch.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "pm_io.h"

/* ---- progress -----------------------------------------------------------------------------------
 */

double cli_batch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_batch_progress(int quiet, size_t done, size_t total, const char *current, double t0)
{
    if (quiet)
        return;
    double el = cli_batch_now() - t0;
    double left = done ? el / (double)done * (double)(total - done) : 0;
    if (isatty(STDERR_FILENO)) {
        int width = 30, fill = total ? (int)(width * (double)done / (double)total) : width;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu  %-24.24s  %s %.0fs ", fill,
                "##############################", width - fill, "", done, total, current,
                done < total ? "left" : "took", done < total ? left : el);
        if (done == total)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "partnermap batch: %zu/%zu %s\n", done, total, current);
    }
}

/* ---- summary on the terminal ---------------------------------------------------------------- */

/* A number from a summary for people: 4 significant digits ("1786", "0.0909"). */
static const char *short_num(const char *s, char *buf, size_t size)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end)
        return s;
    snprintf(buf, size, fabs(v) >= 1000 || v == floor(v) ? "%.0f" : "%.4g", v);
    return buf;
}

/* Row r's value of the summary statistic key (a key of pm_batch_summary_keys). */
static const char *value_of(const pm_batch_row_t *r, const char *key)
{
    int k = pm_batch_summary_index(key);
    return k < 0 ? "" : r->values[k];
}

static void summary_terminal(const pm_batch_row_t *rows, size_t n, FILE *f)
{
    fprintf(f, "%-28s %-7s %6s %6s %8s %6s %8s %9s  %s\n", "run", "status", "places", "ties",
            "density", "comp.", "modular.", "median km", "top places (by strength)");
    for (size_t i = 0; i < n; i++) {
        const pm_batch_row_t *r = &rows[i];
        char a[32], b[32], c[32];
        fprintf(f, "%-28.28s %-7s %6s %6s %8s %6s %8s %9s  %s\n", r->name, r->status,
                value_of(r, "places"), value_of(r, "ties"),
                short_num(value_of(r, "density"), a, sizeof a), value_of(r, "components"),
                short_num(value_of(r, "modularity"), b, sizeof b),
                short_num(value_of(r, "tie_length_median_km"), c, sizeof c),
                r->status[0] == 'f' ? r->reason : r->top);
    }
}

/* Writes rows as DIR/summary.csv and shows them; returns 0, or the exit code of a failure. */
int cli_batch_write_summary(const char *out_dir, const pm_batch_row_t *rows, size_t n, int quiet)
{
    pm_error_t err;
    pm_buf_t b;
    pm_buf_init(&b);
    pm_batch_summary_csv(rows, n, &b);
    char file[4200];
    snprintf(file, sizeof file, "%s/summary.csv", out_dir);
    int rc = 0;
    if (pm_buf_failed(&b)) {
        pm_error_set(&err, PM_ENOMEM, "out of memory");
        rc = cli_fail(&err);
    } else if (pm_io_write_atomic(file, pm_buf_str(&b), b.len, &err))
        rc = cli_fail(&err);
    else if (!quiet)
        summary_terminal(rows, n, stdout);
    pm_buf_destroy(&b);
    return rc;
}

int cli_batch_merge(int argc, char **argv, int first, const char *out_dir, int quiet)
{
    pm_batch_row_t *rows = NULL;
    size_t n = 0;
    pm_error_t err;
    for (int i = first; i < argc; i++)
        if (pm_batch_summary_read(argv[i], &rows, &n, &err)) {
            free(rows);
            return cli_fail(&err);
        }
    pm_batch_rows_sort(rows, n);
    int rc = pm_io_mkdirs(out_dir, &err) ? cli_fail(&err)
                                         : cli_batch_write_summary(out_dir, rows, n, quiet);
    for (size_t i = 0; i < n && !rc; i++)
        if (strcmp(rows[i].status, "ok") && strcmp(rows[i].status, "skipped"))
            rc = 3;
    free(rows);
    return rc;
}

int cli_batch_parse_figures(const char *s, pm_batch_figures_t *f)
{
    f->png = f->svg = f->pdf = 0;
    if (!strcmp(s, "none"))
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "png"))
            f->png = 1;
        else if (!strcmp(t, "svg"))
            f->svg = 1;
        else if (!strcmp(t, "pdf"))
            f->pdf = 1;
        else
            return -1;
    }
    return 0;
}

int cli_batch_process_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

pid_t cli_batch_start_worker(pm_batch_job_t *j, const pm_batch_figures_t *f)
{
    fflush(NULL); /* nothing buffered is written twice, by the worker too */
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        pm_error_t e;
        pm_error_clear(&e);
        pm_status_t ws = pm_batch_job_write(j, f, &e);
        if (ws) {
            char file[4200];
            snprintf(file, sizeof file, "%s/error.txt", j->dir);
            pm_io_write_atomic(file, e.msg, strlen(e.msg), NULL);
        }
        _exit(ws ? 1 : 0);
    }
    return pid;
}

void cli_batch_worker_done(pm_batch_job_t *j, int wst)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/error.txt", j->dir);
    if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0) {
        j->status = PM_BATCH_OK;
        unlink(file);
        return;
    }
    char *msg = NULL;
    size_t len;
    if (!pm_io_read_all(file, &msg, &len, NULL)) {
        pm_batch_job_fail(j, "%s", msg);
        free(msg);
    } else {
        pm_batch_job_fail(j, "the worker stopped (%s)",
                          WIFSIGNALED(wst) ? strsignal(WTERMSIG(wst)) : "failed");
    }
    pm_io_remove_temps(j->dir);
}

int cli_batch_summarize(pm_batch_job_t *jobs, size_t n, const char *out_dir, int quiet)
{
    pm_error_t err;
    pm_batch_row_t *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        pm_error_set(&err, PM_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    size_t n_rows = 0, n_failed = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        pm_batch_job_t *j = &jobs[i];
        if (j->other_shard)
            continue;
        if (j->status == PM_BATCH_FAILED && !quiet)
            fprintf(stderr, "partnermap batch: run '%s' failed: %s\n", j->name, j->reason);
        n_failed += j->status == PM_BATCH_FAILED;
        if (pm_batch_job_row(j, &rows[n_rows++], &err))
            rc = cli_fail(&err);
    }
    if (!rc)
        rc = cli_batch_write_summary(out_dir, rows, n_rows, quiet);
    if (!rc)
        rc = n_failed ? 3 : 0;
    free(rows);
    return rc;
}
