/*
 * cli_uncert_run: the uncertainty replicates spread over worker processes.
 *
 * Debian's igraph is not thread-safe, so a process measures one replicate at a time; using
 * every core means processes. The parent prepares the run (pm_uncert_sim_new: the observed
 * values, the model, the room for every replicate's values), then forks W workers while it has
 * one thread (the fork rule, docs/ARCHITECTURE.md: the observed network's path threads are
 * joined by then). Worker w computes the replicates w, w + W, w + 2W, ... of the run (of the
 * shard, with --shard) and writes each as one fixed-size record to its pipe; the parent reads
 * the pipes as they fill and puts each row where pm_uncert_run would have put it. A replicate's
 * values depend only on the seed and its number (pm_uncert.h), so the result is the same bytes
 * for any W. Nothing is written to disk: a pipe needs no cleaning up, on an error or on SIGINT
 * (the workers keep the default action; a worker whose parent is gone dies writing to its pipe).
 *
 * A worker that fails sends its error in a record and exits 1; one that dies (killed, crashed)
 * is seen as the end of its pipe before its last replicate: either way the parent stops the
 * others and the run fails with a message, and the caller writes no output.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_batch.h"
#include "cli_uncert.h"

#define MAX_WORKERS 256

enum { REC_ROW = 0, REC_ROW_EMPTY = 1, REC_ERROR = 2 };

/* A record: this header, then `payload` bytes (a row of stride doubles, or an error message). */
typedef struct rec_head {
    uint32_t t;    /* the replicate (0-based, within the run or shard) */
    uint32_t kind; /* REC_* */
    int32_t status;
    uint32_t pad;
} rec_head_t;

typedef struct worker {
    pid_t pid;
    int fd;      /* read end; -1 once closed */
    size_t next; /* the next replicate it owes */
    size_t got;  /* bytes of the current record read */
    unsigned char *buf;
} worker_t;

static int write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The worker's life: its replicates into its pipe, then _exit (no atexit handler, no stdio
 * flush: the parent owns those). */
static void work(pm_uncert_sim_t *sim, size_t w, size_t n_workers, int fd, size_t payload)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    unsigned char *buf = calloc(1, sizeof(rec_head_t) + payload);
    if (!buf)
        _exit(1);
    rec_head_t *h = (rec_head_t *)buf;
    double *row = (double *)(buf + sizeof *h);
    size_t count = pm_uncert_sim_count(sim);
    for (size_t t = w; t < count; t += n_workers) {
        pm_error_t e;
        pm_error_clear(&e);
        int empty = 0;
        pm_status_t st = pm_uncert_sim_replicate(sim, t, row, &empty, &e);
        h->t = (uint32_t)t;
        h->kind = st ? REC_ERROR : empty ? REC_ROW_EMPTY : REC_ROW;
        h->status = (int32_t)st;
        if (st)
            snprintf((char *)row, payload, "%s", e.msg);
        if (write_all(fd, buf, sizeof *h + payload) || st)
            _exit(1);
    }
    _exit(0);
}

/* Stops the workers still running and reaps them all. */
static void stop_all(worker_t *wk, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (wk[i].pid > 0)
            kill(wk[i].pid, SIGTERM);
    for (size_t i = 0; i < n; i++) {
        if (wk[i].pid > 0) {
            int wst;
            while (waitpid(wk[i].pid, &wst, 0) < 0 && errno == EINTR)
                ;
            wk[i].pid = 0;
        }
        if (wk[i].fd >= 0)
            close(wk[i].fd);
        wk[i].fd = -1;
    }
}

/* Worker i's pipe ended: reaps it and says whether it did all its work. */
static pm_status_t reap(worker_t *wk, size_t i, size_t n_workers, size_t count, pm_error_t *err)
{
    int wst = 0;
    pid_t pid = wk[i].pid;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    wk[i].pid = 0;
    if (wk[i].next >= count && WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
        return PM_OK;
    size_t owed = (count - i + n_workers - 1) / n_workers, done = (wk[i].next - i) / n_workers;
    char how[64];
    if (WIFSIGNALED(wst))
        snprintf(how, sizeof how, "was stopped by signal %d (%s)", WTERMSIG(wst),
                 strsignal(WTERMSIG(wst)));
    else
        snprintf(how, sizeof how, "ended with status %d", WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
    return pm_error_set(err, PM_EINTERNAL,
                        "uncertainty worker %zu of %zu (process %ld) %s after %zu of its %zu "
                        "replicates; nothing was written. Run again (-j 1 runs them in this "
                        "process)",
                        i + 1, n_workers, (long)pid, how, done, owed);
}

/* One complete record of worker i: checked and its row put in place. */
static pm_status_t take(worker_t *wk, size_t i, size_t n_workers, size_t count, pm_uncert_t *u,
                        size_t *n_empty, pm_error_t *err)
{
    const rec_head_t *h = (const rec_head_t *)wk[i].buf;
    if (h->kind == REC_ERROR) {
        const char *msg = (const char *)(wk[i].buf + sizeof *h);
        pm_status_t st = h->status > 0 ? (pm_status_t)h->status : PM_EINTERNAL;
        return pm_error_set(err, st, "%.*s", (int)(PM_ERROR_MSG_MAX - 1), msg);
    }
    if (h->t != wk[i].next || h->t >= count || h->kind > REC_ROW_EMPTY)
        return pm_error_set(err, PM_EINTERNAL,
                            "uncertainty worker %zu of %zu sent replicate %u, expected %zu", i + 1,
                            n_workers, h->t, wk[i].next);
    memcpy(u->values + (size_t)h->t * u->stride, wk[i].buf + sizeof *h,
           u->stride * sizeof *u->values);
    *n_empty += h->kind == REC_ROW_EMPTY;
    wk[i].next += n_workers;
    wk[i].got = 0;
    return PM_OK;
}

/* Reads the workers' pipes until every one has ended. */
static pm_status_t collect(worker_t *wk, size_t n_workers, size_t count, size_t rec, pm_uncert_t *u,
                           size_t *n_empty, pm_error_t *err)
{
    struct pollfd pfd[MAX_WORKERS];
    size_t open = n_workers;
    while (open) {
        size_t np = 0, who[MAX_WORKERS];
        for (size_t i = 0; i < n_workers; i++)
            if (wk[i].fd >= 0) {
                pfd[np].fd = wk[i].fd;
                pfd[np].events = POLLIN;
                who[np++] = i;
            }
        if (poll(pfd, np, -1) < 0) {
            if (errno == EINTR)
                continue;
            return pm_error_set(err, PM_EINTERNAL, "cannot wait for the uncertainty workers: %s",
                                strerror(errno));
        }
        for (size_t k = 0; k < np; k++) {
            if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            size_t i = who[k];
            ssize_t r = read(wk[i].fd, wk[i].buf + wk[i].got, rec - wk[i].got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                wk[i].got += (size_t)r;
                pm_status_t st;
                if (wk[i].got == rec && (st = take(wk, i, n_workers, count, u, n_empty, err)))
                    return st;
                continue;
            }
            close(wk[i].fd); /* end of the pipe (or a read error: the worker is no use) */
            wk[i].fd = -1;
            open--;
            pm_status_t st = reap(wk, i, n_workers, count, err);
            if (st)
                return st;
        }
    }
    return PM_OK;
}

pm_status_t cli_uncert_run(const pm_net_t *net, const pm_metrics_opts_t *mo,
                           const pm_uncert_opts_t *o, pm_uncert_t *out, pm_error_t *err)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = o->threads > 0 ? (size_t)o->threads : cores > 0 ? (size_t)cores : 1;
    if (want > MAX_WORKERS)
        want = MAX_WORKERS;
    if (o->observed_only || want <= 1 || cli_batch_process_threads() != 1) {
        /* one process: the replicates here (with threads, should a library have left one
         * running: forking then could inherit a held lock) */
        pm_uncert_opts_t one = *o;
        if (want <= 1)
            one.threads = 1;
        return pm_uncert_run(net, mo, &one, out, err);
    }
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    pm_uncert_sim_t *sim = NULL;
    worker_t wk[MAX_WORKERS];
    size_t n_workers = 0, n_empty = 0;
    pm_status_t st = pm_uncert_sim_new(net, mo, o, &u, &sim, err);
    if (st)
        goto cleanup;
    size_t count = pm_uncert_sim_count(sim);
    size_t payload = u.stride * sizeof(double);
    if (payload < PM_ERROR_MSG_MAX)
        payload = PM_ERROR_MSG_MAX;
    size_t rec = sizeof(rec_head_t) + payload, want_w = want < count ? want : count;
    fflush(NULL); /* nothing buffered is written twice */
    for (size_t w = 0; w < want_w; w++) {
        int fd[2];
        wk[w].buf = malloc(rec);
        if (!wk[w].buf || pipe(fd)) {
            free(wk[w].buf);
            st = pm_error_set(err, PM_EINTERNAL, "cannot start an uncertainty worker: %s",
                              strerror(errno ? errno : ENOMEM));
            goto cleanup;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(fd[0]);
            for (size_t i = 0; i < w; i++)
                close(wk[i].fd);
            work(sim, w, want_w, fd[1], payload);
        }
        close(fd[1]);
        if (pid < 0) {
            close(fd[0]);
            free(wk[w].buf);
            st = pm_error_set(err, PM_EINTERNAL, "cannot start an uncertainty worker: %s",
                              strerror(errno));
            goto cleanup;
        }
        wk[w] = (worker_t){pid, fd[0], w, 0, wk[w].buf};
        n_workers++;
    }
    if ((st = collect(wk, n_workers, count, rec, &u, &n_empty, err)))
        goto cleanup;
    u.n_rep = count;
    u.n_dropped_all = n_empty;
    *out = u;
    memset(&u, 0, sizeof u);
cleanup:
    stop_all(wk, n_workers);
    for (size_t i = 0; i < n_workers; i++)
        free(wk[i].buf);
    pm_uncert_sim_free(sim);
    pm_uncert_destroy(&u);
    return st;
}
