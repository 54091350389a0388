/*
 * test_paths_fast: the path pass's shortcuts (pm_paths.c: the trees pruned off the core and
 * their closed-form terms, pm_paths_forest.c; the bucket queue with stale entries, the remembered
 * quotients) give what searching from every source over the whole network gives (the same bits
 * for the steps and the longest distance; within 1e-12 relative for the floating-point sums,
 * whose order the pruning changes), and the values igraph gives, on random graphs made to have
 * what the shortcuts must get right: trees of several levels hanging from a sparse core, a long
 * chain, parallel ties (to a hanging place too, which then is not pruned), separate components
 * (isolated places, pairs, stars, paths, a tree component), whole weights 1-5 (the bucket
 * search) and weights that are not (the heap), 1 and 3 threads.
 */
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_graph.h"
#include "pm_metrics.h"
#include "pm_paths.h"
#include "pm_runtime.h"
#include "pm_test.h"

typedef struct rgraph {
    size_t n, m;
    size_t *from, *to;
    double *len;
} rgraph_t;

static size_t pick(size_t k)
{
    return (size_t)igraph_rng_get_integer(igraph_rng_default(), 0, (igraph_integer_t)k - 1);
}

static void add(rgraph_t *g, size_t a, size_t b, double len)
{
    g->from[g->m] = a;
    g->to[g->m] = b;
    g->len[g->m++] = len;
}

/* A core of c places with sparse ties, a random tree of t more hanging from it, then small
 * separate pieces: an isolated place, a pair, a star of 4 leaves, a path of 3, a chain of 30
 * hanging from core place 0 and a random tree of 25 places on its own. Lengths: 1/w with w in
 * 1..5 (whole), or 1/(w + 0.37) when !whole. */
static void make(rgraph_t *g, size_t c, size_t t, int whole, int parallel)
{
    size_t cap = 2 * (c + t) + 96;
    g->n = c + t + 1 + 2 + 5 + 3 + 30 + 25;
    g->m = 0;
    g->from = malloc(cap * sizeof *g->from);
    g->to = malloc(cap * sizeof *g->to);
    g->len = malloc(cap * sizeof *g->len);
#define LEN() (whole ? 1.0 / (double)(1 + pick(5)) : 1.0 / ((double)(1 + pick(5)) + 0.37))
    for (size_t i = 1; i < c; i++) /* connected core: a random tree, then extra ties */
        add(g, i, pick(i), LEN());
    for (size_t i = 0; i < c / 2; i++) {
        size_t a = pick(c), b = pick(c);
        if (a != b)
            add(g, a, b, LEN());
    }
    for (size_t i = c; i < c + t; i++) /* hanging tree: mostly leaves and short branches */
        add(g, i, pick(i), LEN());
    for (size_t i = 0; parallel && i < 6; i++) { /* parallel ties, to a hanging place too */
        size_t e = pick(g->m);
        add(g, g->to[e], g->from[e], LEN());
    }
    size_t b = c + t;
    /* b: isolated; b+1, b+2: a pair; b+3 star centre of b+4..b+7; b+8 - b+9 - b+10 a path */
    add(g, b + 1, b + 2, LEN());
    for (size_t i = 4; i <= 7; i++)
        add(g, b + 3, b + i, LEN());
    add(g, b + 8, b + 9, LEN());
    add(g, b + 9, b + 10, LEN());
    for (size_t i = b + 11; i < b + 41; i++) /* the chain: b + 11 hangs from 0 */
        add(g, i, i == b + 11 ? 0 : i - 1, LEN());
    for (size_t i = b + 42; i < b + 66; i++) /* the tree component, from b + 41 */
        add(g, i, b + 41 + pick(i - b - 41), LEN());
#undef LEN
}

static void destroy(rgraph_t *g)
{
    free(g->from);
    free(g->to);
    free(g->len);
}

/* The largest relative difference between a and b (relative to max(1, |b|)). */
static double worst_diff(const double *a, const double *b, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(a[i] - b[i]) / fmax(1, fabs(b[i])));
    return worst;
}

/* Shortcuts on and off agree (steps and the longest distance to the bit, sums within 1e-12);
 * both agree with igraph. */
static void check_graph(const rgraph_t *g, int threads)
{
    pm_paths_input_t in = {g->n, g->m, g->from, g->to, g->len, 0, NULL, threads, 0};
    pm_paths_result_t fast, slow;
    pm_error_t err;
    CHECK(pm_paths_compute(&in, &fast, &err) == PM_OK);
    in.no_shortcut = 1;
    CHECK(pm_paths_compute(&in, &slow, &err) == PM_OK);
    size_t n = g->n;
    CHECK(worst_diff(fast.betweenness, slow.betweenness, n) < 1e-12);
    CHECK(worst_diff(fast.closeness, slow.closeness, n) < 1e-12);
    CHECK(memcmp(&fast.diameter_length, &slow.diameter_length, sizeof(double)) == 0);
    CHECK(worst_diff(&fast.avg_length, &slow.avg_length, 1) < 1e-12);
    CHECK(memcmp(&fast.diameter_steps, &slow.diameter_steps, sizeof(double)) == 0);
    CHECK(memcmp(&fast.avg_steps, &slow.avg_steps, sizeof(double)) == 0);

    igraph_vector_int_t ev;
    igraph_vector_t len, res;
    igraph_vector_int_init(&ev, 2 * (igraph_integer_t)g->m);
    igraph_vector_init(&len, (igraph_integer_t)g->m);
    igraph_vector_init(&res, 0);
    for (size_t e = 0; e < g->m; e++) {
        VECTOR(ev)[2 * e] = (igraph_integer_t)g->from[e];
        VECTOR(ev)[2 * e + 1] = (igraph_integer_t)g->to[e];
        VECTOR(len)[e] = g->len[e];
    }
    igraph_t ig;
    igraph_create(&ig, &ev, (igraph_integer_t)n, 0);
    igraph_betweenness(&ig, &res, igraph_vss_all(), 0, &len);
    double worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - fast.betweenness[i]) / fmax(1, VECTOR(res)[i]));
    CHECK(worst < 1e-9);
    igraph_harmonic_centrality(&ig, &res, igraph_vss_all(), IGRAPH_ALL, &len, 1);
    worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - fast.closeness[i]));
    CHECK(worst < 1e-12);
    /* the whole-network path statistics over reachable pairs (no component given) */
    igraph_real_t v;
    igraph_average_path_length(&ig, &v, NULL, 0, 1);
    CHECK_NEAR(fast.avg_steps, v, 1e-12 * v);
    igraph_diameter(&ig, &v, NULL, NULL, NULL, NULL, 0, 1);
    CHECK_NEAR(fast.diameter_steps, v, 0);
    igraph_average_path_length_dijkstra(&ig, &v, NULL, &len, 0, 1);
    CHECK_NEAR(fast.avg_length, v, 1e-12 * v);
    igraph_diameter_dijkstra(&ig, &len, &v, NULL, NULL, NULL, NULL, 0, 1);
    CHECK_NEAR(fast.diameter_length, v, 1e-12 * v);
    igraph_destroy(&ig);
    igraph_vector_int_destroy(&ev);
    igraph_vector_destroy(&len);
    igraph_vector_destroy(&res);
    pm_paths_result_destroy(&fast);
    pm_paths_result_destroy(&slow);
}

static void test_random_graphs(void)
{
    igraph_rng_seed(igraph_rng_default(), 11);
    for (int round = 0; round < 12; round++) {
        rgraph_t g;
        size_t c = 20 + pick(200), t = 10 + pick(300);
        make(&g, c, t, round % 4 != 3, round % 2);
        check_graph(&g, round % 3 == 0 ? 3 : 1);
        destroy(&g);
    }
}

/* One component's statistics (the core, its tree and the chain), shortcuts on and off. */
static void check_component(const rgraph_t *g, int unit)
{
    unsigned char *comp = malloc(g->n);
    for (size_t v = 0; v < g->n; v++)
        comp[v] = v < 200 || (v >= 211 && v < 241);
    pm_paths_input_t in = {g->n, g->m, g->from, g->to, g->len, 0, comp, 1, 0};
    pm_paths_result_t fast, slow;
    pm_error_t err;
    CHECK(pm_paths_compute(&in, &fast, &err) == PM_OK);
    in.no_shortcut = 1;
    in.length = unit ? NULL : g->len;
    CHECK(pm_paths_compute(&in, &slow, &err) == PM_OK);
    CHECK(worst_diff(fast.betweenness, slow.betweenness, g->n) < 1e-12);
    CHECK(worst_diff(fast.closeness, slow.closeness, g->n) < 1e-12);
    CHECK(fast.avg_steps == slow.avg_steps && fast.diameter_steps == slow.diameter_steps);
    CHECK(worst_diff(&fast.avg_length, &slow.avg_length, 1) < 1e-12);
    CHECK(fast.diameter_length == slow.diameter_length);
    CHECK(fast.avg_steps > 1 && fast.diameter_steps >= 30); /* the chain is in */
    pm_paths_result_destroy(&fast);
    pm_paths_result_destroy(&slow);
    free(comp);
}

/* Unit lengths (the steps come from the searches themselves), then whole ones (from the
 * breadth-first batches), with a component restriction. */
static void test_unit_and_component(void)
{
    igraph_rng_seed(igraph_rng_default(), 12);
    rgraph_t g;
    make(&g, 80, 120, 1, 1);
    check_component(&g, 0);
    for (size_t e = 0; e < g.m; e++)
        g.len[e] = 1;
    check_graph(&g, 2);
    check_component(&g, 1);
    destroy(&g);
}

/* A star: every place but the centre is pruned, and the centre's betweenness is all closed
 * form. Betweenness of the centre C(k,2), closeness of a leaf (1 + (k-1)/2)/k, by hand. */
static void test_star(void)
{
    enum { K = 9 };
    size_t from[K], to[K];
    double len[K];
    for (size_t i = 0; i < K; i++) {
        from[i] = 0;
        to[i] = i + 1;
        len[i] = 1.0 / 3;
    }
    pm_paths_input_t in = {K + 1, K, from, to, len, 0, NULL, 1, 0};
    pm_paths_result_t r;
    pm_error_t err;
    CHECK(pm_paths_compute(&in, &r, &err) == PM_OK);
    CHECK_NEAR(r.betweenness[0], K * (K - 1) / 2.0, 1e-12);
    CHECK_NEAR(r.betweenness[1], 0, 0);
    CHECK_NEAR(r.closeness[1], (3 + (K - 1) * 1.5) / K, 1e-12);
    CHECK_NEAR(r.diameter_steps, 2, 0);
    pm_paths_result_destroy(&r);
}

/* pm_metrics' skip_eigenvector (the replicates do not read it): eigenvector NaN, every other
 * statistic the same bits, communities too (their generator is seeded after the eigenvector). */
static void test_skip_eigenvector(void)
{
    static const char *const spec[] = {"a-b:1", "b-c:2", "c-a:1", "c-d:3", "d-e:1",
                                       "e-f:2", "f-d:1", "g-h:1", "h-i:4"};
    pm_ties_t t;
    pm_graph_t g;
    pm_metrics_t all, some;
    pm_metrics_opts_t o;
    pm_error_t err;
    pm_test_ties(&t, "test", spec, sizeof spec / sizeof spec[0]);
    CHECK(pm_graph_build(&t, 0, NULL, NULL, &g, NULL, &err) == PM_OK);
    pm_metrics_opts_init(&o);
    CHECK(pm_metrics_compute(&g, &o, &all, &err) == PM_OK);
    o.skip_eigenvector = 1;
    CHECK(pm_metrics_compute(&g, &o, &some, &err) == PM_OK);
    size_t n = g.n_nodes;
    int nan = 1;
    for (size_t v = 0; v < n; v++)
        nan &= isnan(some.eigenvector[v]) && !isnan(all.eigenvector[v]);
    CHECK(nan);
    CHECK(memcmp(all.betweenness, some.betweenness, n * sizeof(double)) == 0);
    CHECK(memcmp(all.pagerank, some.pagerank, n * sizeof(double)) == 0);
    CHECK(memcmp(all.community, some.community, n * sizeof(long)) == 0);
    CHECK(all.modularity == some.modularity && all.transitivity == some.transitivity);
    pm_metrics_destroy(&all);
    pm_metrics_destroy(&some);
    pm_graph_destroy(&g);
    pm_ties_destroy(&t);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_random_graphs);
    PM_RUN(test_unit_and_component);
    PM_RUN(test_star);
    PM_RUN(test_skip_eigenvector);
    pm_runtime_teardown();
    return pm_test_done();
}
