/*
 * cli_tlpar: the timeline's periods in several processes (see cli_tlpar.h).
 *
 * A worker writes to its pipe a status word, then either its packed part or its error message;
 * the parent reads every pipe to its end after measuring its own part (a worker blocked on a
 * full pipe waits for that; nothing is written the other way, so nothing deadlocks), then reaps
 * the workers.
 */
#include "cli_tlpar.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_batch.h" /* cli_batch_process_threads */

#define MAX_JOBS 64

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void worker(const pm_net_t *net, const pm_metrics_opts_t *mo, const pm_timeline_opts_t *o,
                   int fd)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    pm_timeline_t tl;
    memset(&tl, 0, sizeof tl);
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag; /* said by the parent */
    pm_diag_init(&diag);
    pm_buf_t b;
    pm_buf_init(&b);
    pm_metrics_opts_t m = *mo;
    m.threads = 1; /* the other processes have the other cores */
    int st = pm_timeline_compute(net, &m, o, &tl, &diag, &err);
    if (!st)
        st = pm_timeline_pack(&tl, &b, &err);
    int word = st;
    int bad = write_all(fd, (const char *)&word, sizeof word);
    if (!bad)
        bad = st ? write_all(fd, err.msg, strlen(err.msg)) : write_all(fd, b.data, b.len);
    close(fd);
    _exit(bad ? 1 : 0); /* no teardown: the parent's libraries are the parent's */
}

static int read_all(int fd, pm_buf_t *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        pm_buf_append(b, chunk, (size_t)r);
    }
}

pm_status_t cli_timeline_compute(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                 const pm_timeline_opts_t *o, long jobs, pm_timeline_t *out,
                                 pm_diag_t *diag, pm_error_t *err)
{
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs <= 1 || cli_batch_process_threads() != 1)
        return pm_timeline_compute(net, mo, o, out, diag, err);
    size_t n = (size_t)jobs;
    pm_timeline_t parts[MAX_JOBS];
    memset(parts, 0, sizeof parts);
    pid_t pid[MAX_JOBS];
    int fd[MAX_JOBS];
    pm_buf_t got[MAX_JOBS];
    pm_status_t st = PM_OK;
    size_t started = 1;
    for (size_t i = 0; i < n; i++) {
        pid[i] = -1;
        fd[i] = -1;
        pm_buf_init(&got[i]);
    }
    pm_timeline_opts_t po = *o;
    po.parts = n;
    fflush(NULL); /* nothing buffered is written twice */
    for (size_t i = 1; i < n && !st; i++, started++) {
        int p[2];
        if (pipe(p)) {
            st = pm_error_set(err, PM_EINTERNAL, "cannot start a worker: %s", strerror(errno));
            break;
        }
        po.part = i;
        pid[i] = fork();
        if (pid[i] == 0) {
            close(p[0]);
            for (size_t j = 1; j < i; j++)
                close(fd[j]);
            worker(net, mo, &po, p[1]);
        }
        close(p[1]);
        if (pid[i] < 0) {
            close(p[0]);
            st = pm_error_set(err, PM_EINTERNAL, "cannot start a worker: %s", strerror(errno));
            break;
        }
        fd[i] = p[0];
    }
    if (!st) {
        po.part = 0;
        pm_metrics_opts_t m = *mo;
        m.threads = 1;
        st = pm_timeline_compute(net, &m, &po, &parts[0], diag, err);
    }
    for (size_t i = 1; i < started; i++) { /* every worker read and reaped, even after a failure */
        int rd = fd[i] >= 0 ? read_all(fd[i], &got[i]) : -1;
        if (fd[i] >= 0)
            close(fd[i]);
        int ws = 0;
        if (pid[i] > 0)
            while (waitpid(pid[i], &ws, 0) < 0 && errno == EINTR)
                ;
        if (st || pid[i] <= 0)
            continue;
        int word = -1;
        if (!rd && got[i].len >= sizeof word)
            memcpy(&word, got[i].data, sizeof word);
        const char *rest = got[i].data ? got[i].data + sizeof word : "";
        size_t rlen = got[i].len >= sizeof word ? got[i].len - sizeof word : 0;
        if (rd || pm_buf_failed(&got[i]) || word < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws))
            st = pm_error_set(err, PM_EINTERNAL, "a timeline worker stopped (%s)",
                              WIFSIGNALED(ws) ? strsignal(WTERMSIG(ws)) : "failed");
        else if (word)
            st = pm_error_set(err, (pm_status_t)word, "%.*s", (int)rlen, rest);
        else
            st = pm_timeline_unpack(rest, rlen, &parts[i], err);
    }
    if (!st)
        st = pm_timeline_merge(parts, n, out, err);
    for (size_t i = 0; i < n; i++) {
        pm_timeline_destroy(&parts[i]);
        pm_buf_destroy(&got[i]);
    }
    return st;
}
