/*
 * pm_uncert: the replicates of the source-uncertainty model (see pm_uncert.h).
 *
 * Per replicate: a random stream from (seed, replicate number), the tie rows kept (and drawn,
 * and their weights perturbed) by the model, the kept rows' weights summed into the observed
 * graph's edges, a graph of the same places with the edges that got any weight, and
 * pm_metrics_compute on it. Two replicates are in flight: the path pass of one runs on the
 * worker threads (pm_metrics' deferred paths) while this thread computes the igraph statistics
 * of the next; igraph itself is only ever called from this thread.
 */
#include "pm_uncert.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_error_adapt.h"
#include "pm_metric.h"

const char *const pm_uncert_network_keys[PM_UNCERT_N_NETWORK] = {"ties",
                                                                 "total_weight",
                                                                 "density",
                                                                 "components",
                                                                 "largest_component_share",
                                                                 "diameter",
                                                                 "diameter_weighted",
                                                                 "average_path_length",
                                                                 "average_path_length_weighted",
                                                                 "transitivity",
                                                                 "degree_assortativity",
                                                                 "degree_centralization",
                                                                 "communities",
                                                                 "modularity"};

void pm_uncert_opts_init(pm_uncert_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->replicates = 1000;
    o->keep_documented = 1.0;
    o->keep_probable = 0.5;
    o->seed = 42;
}

/* --- the random stream: splitmix64 seeds xoshiro256** --- */

typedef struct rng {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The stream of replicate r: a function of (seed, r) only. */
static void rng_seed(rng_t *g, unsigned long seed, uint64_t r)
{
    uint64_t x = (uint64_t)seed;
    uint64_t a = splitmix(&x);
    x = a ^ (r * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng_t *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unif(rng_t *g)
{
    return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}

static double rng_normal(rng_t *g)
{
    double u = 1.0 - rng_unif(g), v = rng_unif(g); /* u in (0, 1] */
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* --- the model --- */

static int is_probable(const char *c)
{
    return c && !strcasecmp(c, "probable");
}

pm_status_t pm_uncert_keep_probabilities(const pm_net_t *net, const pm_uncert_opts_t *o,
                                         double **out, pm_error_t *err)
{
    const pm_ties_t *t = &net->ties;
    double *p = malloc((t->n ? t->n : 1) * sizeof *p);
    if (!p)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    int col = pm_ties_attr_index(t, "probability");
    for (size_t i = 0; i < t->n; i++) {
        p[i] = is_probable(t->confidence[i]) ? o->keep_probable : o->keep_documented;
        const char *cell = col >= 0 ? t->attr[i * t->n_attr + (size_t)col] : NULL;
        if (!cell || !*cell)
            continue;
        char *end;
        double x = strtod(cell, &end);
        while (*end == ' ')
            end++;
        if (end == cell || *end || !(x >= 0.0 && x <= 1.0)) {
            pm_status_t st = pm_error_set(
                err, PM_EDATA,
                "%s:%ld: probability '%s' is not a number between 0 and 1 (the chance that "
                "the tie is real; leave the cell empty to use its confidence)",
                t->path, t->line ? t->line[i] : (long)i + 2, cell);
            free(p);
            return st;
        }
        p[i] = x;
    }
    *out = p;
    return PM_OK;
}

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001B3ULL;
    return h;
}

/* A hash of everything that makes the replicates what they are, but the seed and N. */
static uint64_t fingerprint(const pm_net_t *net, const pm_metrics_opts_t *mo,
                            const pm_uncert_opts_t *o, const double *p, const pm_uncert_t *u)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    const pm_graph_t *g = &net->g;
    h = fnv(h, &g->n_nodes, sizeof g->n_nodes);
    for (size_t i = 0; i < g->n_nodes; i++)
        h = fnv(h, g->name[i], strlen(g->name[i]) + 1);
    h = fnv(h, &net->ties.n, sizeof net->ties.n);
    for (size_t i = 0; i < net->ties.n; i++) {
        h = fnv(h, &g->tie_edge[i], sizeof g->tie_edge[i]);
        h = fnv(h, &net->ties.weight[i], sizeof(double));
        h = fnv(h, &p[i], sizeof(double));
    }
    int flags[4] = {o->resample, (int)mo->weights, mo->normalized, (int)mo->community};
    h = fnv(h, flags, sizeof flags);
    h = fnv(h, &o->weight_noise, sizeof o->weight_noise);
    h = fnv(h, &mo->resolution, sizeof mo->resolution);
    h = fnv(h, &mo->seed, sizeof mo->seed);
    for (size_t j = 0; j < u->k; j++)
        h = fnv(h, u->metric[j], strlen(u->metric[j]) + 1);
    return h;
}

void pm_uncert_destroy(pm_uncert_t *u)
{
    if (!u)
        return;
    free(u->index);
    free(u->values);
    free(u->observed);
    memset(u, 0, sizeof *u);
}

/* The per-place metrics of o, checked, or every numeric one of the graph. */
static pm_status_t pick_metrics(const pm_net_t *net, const pm_uncert_opts_t *o, pm_uncert_t *u,
                                pm_error_t *err)
{
    if (o->n_metrics) {
        for (size_t j = 0; j < o->n_metrics && j < PM_UNCERT_MAX_METRICS; j++) {
            const pm_metric_info_t *mi = pm_metric_find(o->metrics[j]);
            int dir = mi && (mi->needs & PM_METRIC_NEEDS_DIRECTED);
            if (!mi || mi->kind == PM_METRIC_CATEGORY || (mi->needs & PM_METRIC_NEEDS_GEO) ||
                !mi->exported || (dir && !net->g.directed))
                return pm_error_set(err, PM_EUSAGE,
                                    "'%s': not a metric the replicates can measure; use degree, "
                                    "strength, betweenness, closeness, eigenvector, pagerank%s",
                                    o->metrics[j],
                                    net->g.directed ? ", in_degree, out_degree" : "");
            snprintf(u->metric[u->k++], sizeof u->metric[0], "%s", mi->name);
        }
        return PM_OK;
    }
    for (size_t i = 0; i < pm_metric_count() && u->k < PM_UNCERT_MAX_METRICS; i++) {
        const pm_metric_info_t *mi = pm_metric_at(i);
        if (mi->kind == PM_METRIC_CATEGORY || (mi->needs & PM_METRIC_NEEDS_GEO) || !mi->exported)
            continue;
        if ((mi->needs & PM_METRIC_NEEDS_DIRECTED) && !net->g.directed)
            continue;
        snprintf(u->metric[u->k++], sizeof u->metric[0], "%s", mi->name);
    }
    return PM_OK;
}

/* Writes the statistics of m into dst (stride values). */
static void store(const pm_uncert_t *u, const pm_metrics_t *m, double *dst)
{
    for (size_t j = 0; j < u->k; j++) {
        int owned = 0;
        const double *v = pm_metrics_get(m, u->metric[j], &owned);
        for (size_t i = 0; i < u->n; i++)
            dst[j * u->n + i] = v ? v[i] : NAN;
        if (owned)
            free((void *)v);
    }
    double *net = dst + u->k * u->n;
    double x[PM_UNCERT_N_NETWORK] = {(double)m->ties,        m->total_weight,   m->density,
                                     (double)m->components,  m->largest_share,  m->diameter_steps,
                                     m->diameter_length,     m->avg_path_steps, m->avg_path_length,
                                     m->transitivity,        m->assortativity,  m->centralization,
                                     (double)m->communities, m->modularity};
    memcpy(net, x, sizeof x);
}

/* Whether u simulates the per-place metric name. */
static int wants(const pm_uncert_t *u, const char *name)
{
    for (size_t j = 0; j < u->k; j++)
        if (!strcmp(u->metric[j], name))
            return 1;
    return 0;
}

/* The replicate machinery: the observed graph's rows and edges, and scratch for one draw. */
typedef struct sim {
    const pm_net_t *net;
    const pm_uncert_opts_t *o;
    const double *p;
    size_t rows, edges;
    double *wsum;           /* per observed edge: weight kept in this replicate */
    igraph_vector_int_t el; /* the replicate's edge list, reused */
    double *w;              /* the replicate's edge weights */
    size_t *draw;           /* resample: the rows drawn */
    int have_el;
} sim_t;

/* Builds replicate r's graph into *g (a shallow copy of the observed one with its own igraph_t
 * and weights). Returns the number of edges, or (size_t)-1 when igraph fails. */
static size_t build(sim_t *s, size_t r, pm_graph_t *g, int *ig_err)
{
    const pm_graph_t *obs = &s->net->g;
    rng_t rng;
    rng_seed(&rng, s->o->seed, r);
    memset(s->wsum, 0, (s->edges ? s->edges : 1) * sizeof *s->wsum);
    for (size_t d = 0; d < s->rows; d++) {
        size_t i = d;
        if (s->o->resample) {
            i = (size_t)(rng_unif(&rng) * (double)s->rows);
            if (i >= s->rows)
                i = s->rows - 1;
        }
        /* one uniform per draw whatever the row's probability: streams stay aligned */
        double u = rng_unif(&rng), factor = 1.0;
        if (s->o->weight_noise > 0) {
            double z = rng_normal(&rng), sd = s->o->weight_noise;
            factor = exp(sd * z - sd * sd / 2);
        }
        size_t e = obs->tie_edge[i];
        if (e == (size_t)-1 || !(u < s->p[i]))
            continue;
        s->wsum[e] += s->net->ties.weight[i] * factor;
    }
    size_t ne = 0;
    igraph_vector_int_clear(&s->el);
    for (size_t e = 0; e < s->edges; e++) {
        if (!(s->wsum[e] > 0))
            continue;
        if (igraph_vector_int_push_back(&s->el, IGRAPH_FROM(&obs->g, e)) ||
            igraph_vector_int_push_back(&s->el, IGRAPH_TO(&obs->g, e))) {
            *ig_err = IGRAPH_ENOMEM;
            return (size_t)-1;
        }
        s->w[ne++] = s->wsum[e];
    }
    *g = *obs;
    g->n_edges = ne;
    g->weight = s->w;
    g->rows = NULL;
    g->probable = NULL;
    int rc = igraph_create(&g->g, &s->el, (igraph_integer_t)obs->n_nodes, obs->directed);
    if (rc) {
        *ig_err = rc;
        return (size_t)-1;
    }
    return ne;
}

/* Computes replicate r into *m, its paths left running (defer). Destroys its graph. */
static pm_status_t start_replicate(sim_t *s, const pm_metrics_opts_t *mo, size_t r, pm_metrics_t *m,
                                   size_t *n_edges, pm_error_t *err)
{
    pm_graph_t g;
    int ig = 0;
    size_t ne = build(s, r, &g, &ig);
    if (ne == (size_t)-1)
        return pm_error_from_igraph(err, ig, "cannot build a replicate");
    *n_edges = ne;
    /* igraph's generator is shared state (ARPACK's start vector draws from it in the
     * eigenvector pass, before the community pass reseeds it): every replicate starts it from
     * the same seed, so its values do not depend on which replicate ran before it */
    igraph_rng_seed(igraph_rng_default(), mo->seed);
    pm_status_t st = pm_metrics_compute(&g, mo, m, err);
    igraph_destroy(&g.g);
    return st;
}

static pm_status_t alloc_run(const pm_net_t *net, const pm_uncert_opts_t *o, pm_uncert_t *u,
                             size_t n_rep, pm_error_t *err)
{
    u->n = net->g.n_nodes;
    u->stride = u->k * u->n + PM_UNCERT_N_NETWORK;
    u->total = o->replicates;
    u->seed = o->seed;
    double bytes = (double)n_rep * (double)u->stride * sizeof(double);
    if (bytes > 8e9)
        return pm_error_set(err, PM_ENOMEM,
                            "%zu replicates of %zu places need %.1f GiB for their values; split "
                            "them into shards (--shard K/N) and merge",
                            n_rep, u->n, bytes / 1073741824.0);
    u->index = malloc((n_rep ? n_rep : 1) * sizeof *u->index);
    u->values = malloc((n_rep ? n_rep : 1) * u->stride * sizeof *u->values);
    u->observed = malloc(u->stride * sizeof *u->observed);
    if (!u->index || !u->values || !u->observed)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    return PM_OK;
}

static pm_status_t check_opts(const pm_net_t *net, const pm_uncert_opts_t *o, pm_error_t *err)
{
    if (o->replicates < 1 || o->replicates > PM_UNCERT_MAX_REPLICATES)
        return pm_error_set(err, PM_EUSAGE, "%zu replicates: give 1 to %d", o->replicates,
                            PM_UNCERT_MAX_REPLICATES);
    if (!(o->keep_documented >= 0 && o->keep_documented <= 1) ||
        !(o->keep_probable >= 0 && o->keep_probable <= 1))
        return pm_error_set(err, PM_EUSAGE, "a keep probability must be between 0 and 1");
    if (!(o->weight_noise >= 0 && o->weight_noise <= 10))
        return pm_error_set(err, PM_EUSAGE, "weight noise %g: give 0 to 10", o->weight_noise);
    if (o->shard_n && (o->shard_k < 1 || o->shard_k > o->shard_n))
        return pm_error_set(err, PM_EUSAGE, "shard %zu/%zu: K must be 1 to N", o->shard_k,
                            o->shard_n);
    if (net->m.pending || !net->m.degree)
        return pm_error_set(err, PM_EINTERNAL, "the network's statistics are not computed");
    return PM_OK;
}

/* What pm_uncert_run and pm_uncert_sim_new share: the options checked, the metrics picked, the
 * keep probabilities (*p, caller frees), u allocated for the replicates of o's shard (their
 * numbers in u->index, none computed: u->n_rep 0) with the observed values and the fingerprint,
 * and the scratch of s (caller frees: sim_free). */
static pm_status_t setup(const pm_net_t *net, const pm_metrics_opts_t *mo,
                         const pm_uncert_opts_t *o, pm_uncert_t *u, double **p, sim_t *s,
                         size_t *count, pm_error_t *err)
{
    pm_status_t st;
    if ((st = check_opts(net, o, err)) || (st = pick_metrics(net, o, u, err)) ||
        (st = pm_uncert_keep_probabilities(net, o, p, err)))
        return st;
    size_t step = o->shard_n ? o->shard_n : 1, first = o->shard_n ? o->shard_k - 1 : 0;
    size_t n_rep = o->replicates > first ? (o->replicates - first + step - 1) / step : 0;
    if (o->observed_only)
        n_rep = 0;
    if ((st = alloc_run(net, o, u, n_rep, err)))
        return st;
    for (size_t t = 0; t < n_rep; t++)
        u->index[t] = (uint32_t)(first + t * step);
    u->fingerprint = fingerprint(net, mo, o, *p, u);
    store(u, &net->m, u->observed);
    s->net = net;
    s->o = o;
    s->p = *p;
    s->rows = net->ties.n;
    s->edges = net->g.n_edges;
    s->wsum = malloc((s->edges ? s->edges : 1) * sizeof *s->wsum);
    s->w = malloc((s->edges ? s->edges : 1) * sizeof *s->w);
    if (!s->wsum || !s->w || igraph_vector_int_init(&s->el, 0))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    s->have_el = 1;
    *count = n_rep;
    return PM_OK;
}

static void sim_free(sim_t *s)
{
    if (s->have_el)
        igraph_vector_int_destroy(&s->el);
    free(s->wsum);
    free(s->w);
    memset(s, 0, sizeof *s);
}

pm_status_t pm_uncert_run(const pm_net_t *net, const pm_metrics_opts_t *mo,
                          const pm_uncert_opts_t *o, pm_uncert_t *out, pm_error_t *err)
{
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    sim_t s;
    memset(&s, 0, sizeof s);
    pm_metrics_t cur, prev;
    memset(&cur, 0, sizeof cur);
    memset(&prev, 0, sizeof prev);
    int have_prev = 0;
    double *p = NULL;
    size_t n_rep = 0;
    pm_status_t st;
    if ((st = setup(net, mo, o, &u, &p, &s, &n_rep, err)))
        goto cleanup;
    pm_metrics_opts_t rmo = *mo;
    rmo.defer_paths = 1;
    rmo.threads = o->threads;
    rmo.skip_eigenvector = !wants(&u, "eigenvector");
    for (size_t t = 0; t < n_rep; t++) {
        size_t ne = 0;
        if ((st = start_replicate(&s, &rmo, u.index[t], &cur, &ne, err)))
            goto cleanup;
        u.n_dropped_all += ne == 0;
        if (have_prev) {
            st = pm_metrics_finish(&prev, err);
            if (!st)
                store(&u, &prev, u.values + (t - 1) * u.stride);
            pm_metrics_destroy(&prev);
            have_prev = 0;
            if (st)
                goto cleanup;
        }
        prev = cur;
        have_prev = 1;
        memset(&cur, 0, sizeof cur);
    }
    if (have_prev) {
        st = pm_metrics_finish(&prev, err);
        if (!st)
            store(&u, &prev, u.values + (n_rep - 1) * u.stride);
        if (st)
            goto cleanup;
    }
    u.n_rep = n_rep;
    *out = u;
    memset(&u, 0, sizeof u);
cleanup:
    if (have_prev) {
        pm_error_t ignored;
        pm_metrics_finish(&prev, &ignored);
        pm_metrics_destroy(&prev);
    }
    sim_free(&s);
    free(p);
    pm_uncert_destroy(&u);
    return st;
}

/* --- replicates one at a time --- */

struct pm_uncert_sim {
    sim_t s;
    pm_uncert_opts_t o; /* a copy: s.o points here */
    pm_uncert_t shape;  /* k, n, metric names and the replicate numbers, for store */
    pm_metrics_opts_t rmo;
    double *p;
    size_t count;
};

void pm_uncert_sim_free(pm_uncert_sim_t *sim)
{
    if (!sim)
        return;
    sim_free(&sim->s);
    free(sim->shape.index);
    free(sim->p);
    free(sim);
}

pm_status_t pm_uncert_sim_new(const pm_net_t *net, const pm_metrics_opts_t *mo,
                              const pm_uncert_opts_t *o, pm_uncert_t *out, pm_uncert_sim_t **sim,
                              pm_error_t *err)
{
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    pm_uncert_sim_t *x = calloc(1, sizeof *x);
    pm_status_t st = PM_OK;
    if (!x) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    x->o = *o;
    if ((st = setup(net, mo, &x->o, &u, &x->p, &x->s, &x->count, err)))
        goto cleanup;
    x->shape.n = u.n;
    x->shape.k = u.k;
    x->shape.stride = u.stride;
    memcpy(x->shape.metric, u.metric, sizeof u.metric);
    x->shape.index = malloc((x->count ? x->count : 1) * sizeof *x->shape.index);
    if (!x->shape.index) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(x->shape.index, u.index, x->count * sizeof *u.index);
    x->rmo = *mo;
    x->rmo.defer_paths = 0;
    x->rmo.threads = 1;
    x->rmo.skip_eigenvector = !wants(&u, "eigenvector");
    *out = u;
    memset(&u, 0, sizeof u);
    *sim = x;
    x = NULL;
cleanup:
    pm_uncert_sim_free(x);
    pm_uncert_destroy(&u);
    return st;
}

size_t pm_uncert_sim_count(const pm_uncert_sim_t *sim)
{
    return sim->count;
}

pm_status_t pm_uncert_sim_replicate(pm_uncert_sim_t *sim, size_t t, double *row, int *all_dropped,
                                    pm_error_t *err)
{
    if (t >= sim->count)
        return pm_error_set(err, PM_EINTERNAL, "replicate %zu of %zu asked for", t + 1, sim->count);
    pm_metrics_t m;
    memset(&m, 0, sizeof m);
    size_t ne = 0;
    pm_status_t st = start_replicate(&sim->s, &sim->rmo, sim->shape.index[t], &m, &ne, err);
    if (!st && !(st = pm_metrics_finish(&m, err))) {
        store(&sim->shape, &m, row);
        *all_dropped = ne == 0;
    }
    pm_metrics_destroy(&m);
    return st;
}

/* --- summaries --- */

double pm_uncert_quantile(const double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return x[n - 1];
    double f = h - (double)lo;
    return f == 0 ? x[lo] : x[lo] + f * (x[lo + 1] - x[lo]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_desc(const void *a, const void *b)
{
    return cmp_double(b, a);
}

/* Competition rank of v among sorted (descending) values: 1 + the number strictly greater. */
static double rank_in(const double *desc, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (desc[mid] > v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (double)lo + 1;
}

/* Fills st from the values x (n, unsorted; sorted here; NaN left out). */
static void describe(double *x, size_t n, double alpha, pm_uncert_stat_t *st)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            x[d++] = x[i];
    qsort(x, d, sizeof *x, cmp_double);
    st->defined = d;
    st->median = pm_uncert_quantile(x, d, 0.5);
    st->lo = pm_uncert_quantile(x, d, alpha / 2);
    st->hi = pm_uncert_quantile(x, d, 1 - alpha / 2);
}

void pm_uncert_summary_destroy(pm_uncert_summary_t *s)
{
    if (!s)
        return;
    free(s->place);
    memset(s, 0, sizeof *s);
}

pm_status_t pm_uncert_summarise(const pm_uncert_t *u, double interval, size_t top,
                                pm_uncert_summary_t *out, pm_error_t *err)
{
    pm_uncert_summary_t s;
    memset(&s, 0, sizeof s);
    size_t n = u->n, R = u->n_rep;
    double alpha = 1 - interval / 100.0;
    s.n = n;
    s.k = u->k;
    s.interval = interval;
    s.top = top;
    s.place = calloc(u->k * n + 1, sizeof *s.place);
    double *ranks = malloc((R * n + 1) * sizeof *ranks);
    double *desc = malloc((n + 1) * sizeof *desc);
    double *col = malloc((R + 1) * sizeof *col);
    pm_status_t st = PM_OK;
    if (!s.place || !ranks || !desc || !col) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < u->k; j++) {
        const double *obs = u->observed + j * n;
        memcpy(desc, obs, n * sizeof *desc);
        qsort(desc, n, sizeof *desc, cmp_desc);
        for (size_t i = 0; i < n; i++) {
            s.place[j * n + i].observed = obs[i];
            s.place[j * n + i].rank = rank_in(desc, n, obs[i]);
        }
        for (size_t r = 0; r < R; r++) {
            const double *v = u->values + r * u->stride + j * n;
            memcpy(desc, v, n * sizeof *desc);
            qsort(desc, n, sizeof *desc, cmp_desc);
            for (size_t i = 0; i < n; i++)
                ranks[i * R + r] = rank_in(desc, n, v[i]);
        }
        for (size_t i = 0; i < n; i++) {
            pm_uncert_stat_t *ps = &s.place[j * n + i];
            for (size_t r = 0; r < R; r++)
                col[r] = u->values[r * u->stride + j * n + i];
            describe(col, R, alpha, ps);
            double *rk = ranks + i * R;
            size_t in_top = 0;
            for (size_t r = 0; r < R; r++)
                in_top += rk[r] <= (double)top;
            ps->top_share = R ? (double)in_top / (double)R : NAN;
            pm_uncert_stat_t rs;
            describe(rk, R, alpha, &rs);
            ps->rank_lo = rs.lo;
            ps->rank_hi = rs.hi;
        }
    }
    for (size_t g = 0; g < PM_UNCERT_N_NETWORK; g++) {
        pm_uncert_stat_t *ns = &s.network[g];
        ns->observed = u->observed[u->k * n + g];
        for (size_t r = 0; r < R; r++)
            col[r] = u->values[r * u->stride + u->k * n + g];
        describe(col, R, alpha, ns);
        ns->rank = ns->rank_lo = ns->rank_hi = ns->top_share = NAN;
    }
    *out = s;
    memset(&s, 0, sizeof s);
cleanup:
    free(ranks);
    free(desc);
    free(col);
    pm_uncert_summary_destroy(&s);
    return st;
}
