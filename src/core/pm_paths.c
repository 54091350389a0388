/*
 * pm_paths: shared shortest-path pass (see pm_paths.h).
 *
 * Per source s: Dijkstra with an indexed 4-ary heap (decrease-key in place), counting shortest
 * paths (sigma) and recording settle order; then Brandes' dependency accumulation in reverse
 * settle order, finding each place's predecessors by scanning its in-ties for
 * d[v] + len == d[w]. A breadth-first search from s gives the distances in steps for the
 * component statistics.
 */
#include "pm_paths.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNKS 32
#define EPS 1e-10

/* adjacency in compressed rows: out-ties (for the search) and in-ties (for predecessors) */
typedef struct csr {
    size_t *start; /* n + 1 */
    size_t *nbr;
    double *len;
} csr_t;

typedef struct shared {
    const pm_paths_input_t *in;
    csr_t out, inc;
    double *chunk_btw; /* CHUNKS * n */
    double *closeness; /* n: each source writes its own entry */
    double chunk_dmax[CHUNKS], chunk_dsum[CHUNKS], chunk_smax[CHUNKS], chunk_ssum[CHUNKS];
    double chunk_pairs[CHUNKS];
    pthread_mutex_t lock;
    int next_chunk;
    int failed;
} shared_t;

typedef struct worker {
    double *dist, *sigma, *delta;
    size_t *order, *queue;
    long *steps;
    size_t *hv, *hpos; /* heap slots and each place's slot */
} worker_t;

/* Comparisons with a relative tolerance; lengths are > 0, so no fabs is needed, and no fmax
 * call (glibc's is not inlined, and these run m times per source). */
static inline double scale1(double x)
{
    return x > 1.0 ? x : 1.0;
}

static inline int lt(double a, double b)
{
    if (isinf(b))
        return !isinf(a);
    return a < b - EPS * scale1(b);
}

static inline int eq(double a, double b)
{
    double d = a - b, m = a > b ? a : b;
    return (d < 0 ? -d : d) <= EPS * scale1(m);
}

/* An indexed 4-ary min-heap of places keyed by dist[]: at most n entries, decrease-key in
 * place (a lazy heap holds up to m stale entries). hpos[v] is v's slot, or NO_SLOT. */
#define NO_SLOT ((size_t)-1)

static inline void heap_place(worker_t *w, size_t i, size_t v)
{
    w->hv[i] = v;
    w->hpos[v] = i;
}

static void heap_up(worker_t *w, size_t i)
{
    size_t v = w->hv[i];
    double d = w->dist[v];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (w->dist[w->hv[p]] <= d)
            break;
        heap_place(w, i, w->hv[p]);
        i = p;
    }
    heap_place(w, i, v);
}

/* Inserts v, or moves it up after its dist[] decreased. */
static void heap_push(worker_t *w, size_t *hn, size_t v)
{
    if (w->hpos[v] == NO_SLOT) {
        heap_place(w, *hn, v);
        (*hn)++;
    }
    heap_up(w, w->hpos[v]);
}

static size_t heap_pop(worker_t *w, size_t *hn)
{
    size_t top = w->hv[0];
    w->hpos[top] = NO_SLOT;
    size_t last = w->hv[--(*hn)];
    if (*hn == 0)
        return top;
    double d = w->dist[last];
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1, best = NO_SLOT;
        double bd = d;
        for (size_t k = c; k < c + 4 && k < *hn; k++)
            if (w->dist[w->hv[k]] < bd) {
                bd = w->dist[w->hv[k]];
                best = k;
            }
        if (best == NO_SLOT)
            break;
        heap_place(w, i, w->hv[best]);
        i = best;
    }
    heap_place(w, i, last);
    return top;
}

/* One source: fills btw (partial), closeness[s], component sums. */
static void from_source(shared_t *sh, worker_t *w, size_t s, double *btw, int chunk)
{
    const pm_paths_input_t *in = sh->in;
    size_t n = in->n, settled = 0, hn = 0;
    for (size_t v = 0; v < n; v++) {
        w->dist[v] = INFINITY;
        w->sigma[v] = 0;
        w->delta[v] = 0;
    }
    w->dist[s] = 0;
    w->sigma[s] = 1;
    heap_push(w, &hn, s);
    while (hn) {
        size_t v = heap_pop(w, &hn);
        double dv = w->dist[v];
        w->order[settled++] = v;
        double sv = w->sigma[v];
        w->sigma[v] = -sv - 1; /* mark settled; decoded below */
        for (size_t k = sh->out.start[v]; k < sh->out.start[v + 1]; k++) {
            size_t u = sh->out.nbr[k];
            double nd = dv + sh->out.len[k];
            if (w->sigma[u] < 0)
                continue;
            if (lt(nd, w->dist[u])) {
                w->dist[u] = nd;
                w->sigma[u] = sv;
                heap_push(w, &hn, u);
            } else if (eq(nd, w->dist[u])) {
                w->sigma[u] += sv;
            }
        }
    }
    for (size_t i = 0; i < settled; i++) {
        size_t v = w->order[i];
        w->sigma[v] = -w->sigma[v] - 1;
    }
    /* accumulation in reverse settle order */
    for (size_t i = settled; i-- > 1;) {
        size_t x = w->order[i];
        double coeff = (1.0 + w->delta[x]) / w->sigma[x];
        for (size_t k = sh->inc.start[x]; k < sh->inc.start[x + 1]; k++) {
            size_t v = sh->inc.nbr[k];
            if (eq(w->dist[v] + sh->inc.len[k], w->dist[x]) && w->dist[v] < w->dist[x])
                w->delta[v] += w->sigma[v] * coeff;
        }
        btw[x] += w->delta[x];
    }
    double h = 0;
    for (size_t i = 1; i < settled; i++)
        h += 1.0 / w->dist[w->order[i]];
    sh->closeness[s] = n > 1 ? h / (double)(n - 1) : 0;

    if (in->in_component && !in->in_component[s])
        return;
    /* component statistics: weighted from the search above, steps from a BFS */
    double dmax = sh->chunk_dmax[chunk], dsum = 0, pairs = 0;
    for (size_t i = 1; i < settled; i++) {
        double d = w->dist[w->order[i]];
        dmax = d > dmax ? d : dmax;
        dsum += d;
        pairs += 1;
    }
    for (size_t v = 0; v < n; v++)
        w->steps[v] = -1;
    size_t qh = 0, qt = 0;
    w->queue[qt++] = s;
    w->steps[s] = 0;
    double smax = sh->chunk_smax[chunk], ssum = 0;
    while (qh < qt) {
        size_t v = w->queue[qh++];
        for (size_t k = sh->out.start[v]; k < sh->out.start[v + 1]; k++) {
            size_t u = sh->out.nbr[k];
            if (w->steps[u] >= 0)
                continue;
            w->steps[u] = w->steps[v] + 1;
            ssum += (double)w->steps[u];
            smax = (double)w->steps[u] > smax ? (double)w->steps[u] : smax;
            w->queue[qt++] = u;
        }
    }
    sh->chunk_dmax[chunk] = dmax;
    sh->chunk_dsum[chunk] += dsum;
    sh->chunk_smax[chunk] = smax;
    sh->chunk_ssum[chunk] += ssum;
    sh->chunk_pairs[chunk] += pairs;
}

static void *work(void *arg)
{
    shared_t *sh = arg;
    size_t n = sh->in->n, m = sh->in->m;
    worker_t w;
    memset(&w, 0, sizeof w);
    w.dist = malloc(n * sizeof *w.dist);
    w.sigma = malloc(n * sizeof *w.sigma);
    w.delta = malloc(n * sizeof *w.delta);
    w.order = malloc(n * sizeof *w.order);
    w.queue = malloc(n * sizeof *w.queue);
    w.steps = malloc(n * sizeof *w.steps);
    (void)m;
    w.hv = malloc((n ? n : 1) * sizeof *w.hv);
    w.hpos = malloc((n ? n : 1) * sizeof *w.hpos);
    int ok = w.dist && w.sigma && w.delta && w.order && w.queue && w.steps && w.hv && w.hpos;
    for (size_t v = 0; ok && v < n; v++)
        w.hpos[v] = NO_SLOT;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        if (!ok)
            sh->failed = 1;
        int c = sh->failed ? CHUNKS : sh->next_chunk++;
        pthread_mutex_unlock(&sh->lock);
        if (c >= CHUNKS)
            break;
        /* chunk c takes sources c, c + CHUNKS, ...: interleaved, so chunks cost about the same */
        for (size_t s = (size_t)c; s < n; s += CHUNKS)
            from_source(sh, &w, s, sh->chunk_btw + (size_t)c * n, c);
    }
    free(w.dist);
    free(w.sigma);
    free(w.delta);
    free(w.order);
    free(w.queue);
    free(w.steps);
    free(w.hv);
    free(w.hpos);
    return NULL;
}

static int build_csr(const pm_paths_input_t *in, int incoming, csr_t *c)
{
    size_t n = in->n, m = in->m, slots = in->directed ? m : 2 * m;
    c->start = calloc(n + 1, sizeof *c->start);
    c->nbr = malloc((slots ? slots : 1) * sizeof *c->nbr);
    c->len = malloc((slots ? slots : 1) * sizeof *c->len);
    size_t *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!c->start || !c->nbr || !c->len || !fill) {
        free(fill);
        return -1;
    }
    for (size_t e = 0; e < m; e++) {
        size_t a = incoming ? in->to[e] : in->from[e], b = incoming ? in->from[e] : in->to[e];
        c->start[a + 1]++;
        if (!in->directed)
            c->start[b + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        c->start[v + 1] += c->start[v];
    memcpy(fill, c->start, n * sizeof *fill);
    for (size_t e = 0; e < m; e++) {
        size_t a = incoming ? in->to[e] : in->from[e], b = incoming ? in->from[e] : in->to[e];
        double l = in->length ? in->length[e] : 1.0;
        c->nbr[fill[a]] = b;
        c->len[fill[a]++] = l;
        if (!in->directed) {
            c->nbr[fill[b]] = a;
            c->len[fill[b]++] = l;
        }
    }
    free(fill);
    return 0;
}

static void free_csr(csr_t *c)
{
    free(c->start);
    free(c->nbr);
    free(c->len);
}

void pm_paths_result_destroy(pm_paths_result_t *r)
{
    if (!r)
        return;
    free(r->betweenness);
    free(r->closeness);
    memset(r, 0, sizeof *r);
}

struct pm_paths_job {
    shared_t sh;
    pm_paths_input_t in; /* a copy whose arrays the job owns */
    size_t *from, *to;
    double *length;
    unsigned char *in_component;
    pthread_t tid[64];
    int started;
};

static void job_free(pm_paths_job_t *job)
{
    if (!job)
        return;
    free(job->sh.chunk_btw);
    free(job->sh.closeness);
    free_csr(&job->sh.out);
    free_csr(&job->sh.inc);
    free(job->from);
    free(job->to);
    free(job->length);
    free(job->in_component);
    free(job);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
    void *d = malloc((n ? n : 1) * size);
    if (d && n)
        memcpy(d, src, n * size);
    return d;
}

pm_status_t pm_paths_start(const pm_paths_input_t *in, int workers, pm_paths_job_t **out,
                           pm_error_t *err)
{
    pm_paths_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    size_t n = in->n, m = in->m;
    job->in = *in;
    job->from = dup_array(in->from, m, sizeof *job->from);
    job->to = dup_array(in->to, m, sizeof *job->to);
    job->length = in->length ? dup_array(in->length, m, sizeof *job->length) : NULL;
    job->in_component = in->in_component ? dup_array(in->in_component, n, 1) : NULL;
    job->in.from = job->from;
    job->in.to = job->to;
    job->in.length = job->length;
    job->in.in_component = job->in_component;
    job->sh.in = &job->in;
    job->sh.chunk_btw = calloc((size_t)CHUNKS * (n ? n : 1), sizeof *job->sh.chunk_btw);
    job->sh.closeness = calloc(n ? n : 1, sizeof *job->sh.closeness);
    if (!job->from || !job->to || (in->length && !job->length) ||
        (in->in_component && !job->in_component) || !job->sh.chunk_btw || !job->sh.closeness ||
        build_csr(&job->in, 0, &job->sh.out) || build_csr(&job->in, 1, &job->sh.inc)) {
        job_free(job);
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    }
    pthread_mutex_init(&job->sh.lock, NULL);
    workers = workers < 0 ? 0 : workers > 64 ? 64 : workers;
    if ((size_t)workers > n)
        workers = (int)n;
    for (int t = 0; t < workers; t++) {
        if (pthread_create(&job->tid[t], NULL, work, &job->sh) != 0)
            break;
        job->started = t + 1;
    }
    *out = job;
    return PM_OK;
}

pm_status_t pm_paths_finish(pm_paths_job_t *job, pm_paths_result_t *out, pm_error_t *err)
{
    shared_t *sh = &job->sh;
    size_t n = job->in.n;
    pm_status_t st = PM_OK;
    work(sh); /* the calling thread takes whatever chunks are left */
    for (int t = 0; t < job->started; t++)
        pthread_join(job->tid[t], NULL);
    pthread_mutex_destroy(&sh->lock);
    double *btw = calloc(n ? n : 1, sizeof *btw);
    if (sh->failed || !btw) {
        free(btw);
        job_free(job);
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    }
    double dmax = 0, dsum = 0, smax = 0, ssum = 0, pairs = 0;
    for (int c = 0; c < CHUNKS; c++) {
        for (size_t v = 0; v < n; v++)
            btw[v] += sh->chunk_btw[(size_t)c * n + v];
        dmax = sh->chunk_dmax[c] > dmax ? sh->chunk_dmax[c] : dmax;
        smax = sh->chunk_smax[c] > smax ? sh->chunk_smax[c] : smax;
        dsum += sh->chunk_dsum[c];
        ssum += sh->chunk_ssum[c];
        pairs += sh->chunk_pairs[c];
    }
    if (!job->in.directed)
        for (size_t v = 0; v < n; v++)
            btw[v] /= 2;
    out->betweenness = btw;
    out->closeness = sh->closeness;
    sh->closeness = NULL;
    out->diameter_length = dmax;
    out->diameter_steps = smax;
    out->avg_length = pairs > 0 ? dsum / pairs : NAN;
    out->avg_steps = pairs > 0 ? ssum / pairs : NAN;
    job_free(job);
    return st;
}

pm_status_t pm_paths_compute(const pm_paths_input_t *in, pm_paths_result_t *out, pm_error_t *err)
{
    int threads = in->threads > 0 ? in->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    pm_paths_job_t *job;
    pm_status_t st = pm_paths_start(in, threads - 1, &job, err);
    return st ? st : pm_paths_finish(job, out, err);
}
