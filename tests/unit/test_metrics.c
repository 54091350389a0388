/*
 * test_metrics: every per-place and whole-graph statistic on small graphs whose values are
 * worked out by hand (see the comments), plus a cross-check against igraph's own functions on
 * a larger random weighted graph.
 */
#include <igraph.h>
#include <stdlib.h>
#include <string.h>

#include "pm_graph.h"
#include "pm_metrics.h"
#include "pm_paths.h"
#include "pm_runtime.h"
#include "pm_test.h"

/* Builds ties from "a-b:w" triples. */

typedef struct fixture {
    pm_ties_t t;
    pm_graph_t g;
    pm_metrics_t m;
} fixture_t;

static int setup(fixture_t *f, const char *const *spec, size_t n, int directed,
                 pm_weight_mode_t mode)
{
    pm_error_t err;
    pm_metrics_opts_t o;
    pm_metrics_opts_init(&o);
    o.weights = mode;
    pm_test_ties(&f->t, "test", spec, n);
    if (pm_graph_build(&f->t, directed, NULL, NULL, &f->g, NULL, &err) ||
        pm_metrics_compute(&f->g, &o, &f->m, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void teardown(fixture_t *f)
{
    pm_metrics_destroy(&f->m);
    pm_graph_destroy(&f->g);
    pm_ties_destroy(&f->t);
}

static size_t v(const fixture_t *f, const char *name)
{
    return pm_graph_find(&f->g, name);
}

/* Star c-{l1..l4}: betweenness(c) = C(4,2) = 6; harmonic closeness c = 4/4 = 1, leaf =
 * (1 + 3/2)/4 = 0.625; eigenvector c = 1, leaf = 1/lambda = 1/2; PageRank (d = 0.85, n = 5):
 * leaf = 0.036375/0.2775, centre = 0.03 + 3.4 leaf; density 4/10; centralization 12/12;
 * assortativity -1. */
static void test_star(void)
{
    const char *spec[] = {"c-l1", "c-l2", "c-l3", "c-l4"};
    fixture_t f;
    CHECK(setup(&f, spec, 4, 0, PM_WEIGHTS_STRENGTH) == 0);
    size_t c = v(&f, "c"), l = v(&f, "l3");
    CHECK_NEAR(f.m.degree[c], 4, 1e-12);
    CHECK_NEAR(f.m.betweenness[c], 6, 1e-12);
    CHECK_NEAR(f.m.betweenness[l], 0, 1e-12);
    CHECK_NEAR(f.m.closeness[c], 1.0, 1e-12);
    CHECK_NEAR(f.m.closeness[l], 0.625, 1e-12);
    CHECK_NEAR(f.m.eigenvector[c], 1.0, 1e-9);
    CHECK_NEAR(f.m.eigenvector[l], 0.5, 1e-9);
    double leaf = 0.036375 / 0.2775;
    CHECK_NEAR(f.m.pagerank[l], leaf, 1e-9);
    CHECK_NEAR(f.m.pagerank[c], 0.03 + 3.4 * leaf, 1e-9);
    CHECK_NEAR(f.m.density, 0.4, 1e-12);
    CHECK_NEAR(f.m.centralization, 1.0, 1e-12);
    CHECK_NEAR(f.m.assortativity, -1.0, 1e-12);
    CHECK_INT(f.m.components, 1);
    CHECK_NEAR(f.m.diameter_steps, 2, 1e-12);
    /* pairs: 4 at distance 1, 6 at distance 2 -> (4 + 12) / 10 */
    CHECK_NEAR(f.m.avg_path_steps, 1.6, 1e-12);
    teardown(&f);
}

/* Path a-b-c-d: betweenness b = c = 2; closeness a = (1 + 1/2 + 1/3)/3, b = (1 + 1 + 1/2)/3;
 * with --normalized, betweenness / ((n-1)(n-2)/2) = 2/3. */
static void test_path(void)
{
    const char *spec[] = {"a-b", "b-c", "c-d"};
    fixture_t f;
    CHECK(setup(&f, spec, 3, 0, PM_WEIGHTS_STRENGTH) == 0);
    CHECK_NEAR(f.m.betweenness[v(&f, "b")], 2, 1e-12);
    CHECK_NEAR(f.m.betweenness[v(&f, "a")], 0, 1e-12);
    CHECK_NEAR(f.m.closeness[v(&f, "a")], (1 + 0.5 + 1.0 / 3) / 3, 1e-12);
    CHECK_NEAR(f.m.closeness[v(&f, "b")], 2.5 / 3, 1e-12);
    CHECK_NEAR(f.m.diameter_steps, 3, 1e-12);
    teardown(&f);

    pm_error_t err;
    pm_metrics_opts_t o;
    pm_metrics_opts_init(&o);
    o.normalized = 1;
    pm_test_ties(&f.t, "test", spec, 3);
    CHECK(pm_graph_build(&f.t, 0, NULL, NULL, &f.g, NULL, &err) == PM_OK);
    CHECK(pm_metrics_compute(&f.g, &o, &f.m, &err) == PM_OK);
    CHECK_NEAR(f.m.betweenness[v(&f, "c")], 2.0 / 3.0, 1e-12);
    teardown(&f);
}

/* Triangle a-b-c with pendant d on c: betweenness c = 2 (a-d, b-d); transitivity =
 * 3 triangles-closed triples / 5 connected triples = 0.6. */
static void test_triangle_pendant(void)
{
    const char *spec[] = {"a-b", "b-c", "c-a", "c-d"};
    fixture_t f;
    CHECK(setup(&f, spec, 4, 0, PM_WEIGHTS_STRENGTH) == 0);
    CHECK_NEAR(f.m.betweenness[v(&f, "c")], 2, 1e-12);
    CHECK_NEAR(f.m.betweenness[v(&f, "a")], 0, 1e-12);
    CHECK_NEAR(f.m.transitivity, 0.6, 1e-12);
    CHECK_NEAR(f.m.degree[v(&f, "c")], 3, 1e-12);
    teardown(&f);
}

/* Two components a-b and c-d-e: the larger is numbered 1; largest share 3/5; path statistics
 * of the largest; closeness of a = (1 + 0 + 0 + 0)/4 (harmonic, unreachable count 0);
 * eigenvector is 1 at the top of each component. */
static void test_two_components(void)
{
    const char *spec[] = {"a-b", "c-d", "d-e"};
    fixture_t f;
    CHECK(setup(&f, spec, 3, 0, PM_WEIGHTS_STRENGTH) == 0);
    CHECK_INT(f.m.components, 2);
    CHECK_INT(f.m.component[v(&f, "c")], 1);
    CHECK_INT(f.m.component[v(&f, "a")], 2);
    CHECK_NEAR(f.m.largest_share, 0.6, 1e-12);
    CHECK_NEAR(f.m.diameter_steps, 2, 1e-12);
    CHECK_NEAR(f.m.closeness[v(&f, "a")], 0.25, 1e-12);
    CHECK_NEAR(f.m.eigenvector[v(&f, "a")], 1.0, 1e-12);
    CHECK_NEAR(f.m.eigenvector[v(&f, "d")], 1.0, 1e-9);
    CHECK_NEAR(f.m.eigenvector[v(&f, "c")], 1 / sqrt(2.0), 1e-9);
    CHECK(f.m.community[v(&f, "a")] != f.m.community[v(&f, "c")]);
    teardown(&f);
}

/* a-b:1, b-c:1, a-c:0.25. As strengths, the direct a-c tie has length 1/0.25 = 4 > 1 + 1, so the
 * shortest a-c path runs through b: betweenness(b) = 1. As lengths, a-c is 0.25 < 2: b = 0.
 * Unweighted: a-c direct, b = 0. */
static void test_weight_modes(void)
{
    const char *spec[] = {"a-b:1", "b-c:1", "a-c:0.25"};
    fixture_t f;
    CHECK(setup(&f, spec, 3, 0, PM_WEIGHTS_STRENGTH) == 0);
    CHECK_NEAR(f.m.betweenness[v(&f, "b")], 1, 1e-12);
    CHECK_NEAR(f.m.strength[v(&f, "a")], 1.25, 1e-12);
    /* closeness of a: d(a,b) = 1, d(a,c) = 2 -> (1 + 1/2)/2 */
    CHECK_NEAR(f.m.closeness[v(&f, "a")], 0.75, 1e-12);
    CHECK_NEAR(f.m.diameter_length, 2, 1e-12);
    teardown(&f);
    CHECK(setup(&f, spec, 3, 0, PM_WEIGHTS_LENGTH) == 0);
    CHECK_NEAR(f.m.betweenness[v(&f, "b")], 0, 1e-12);
    CHECK_NEAR(f.m.closeness[v(&f, "a")], (1 + 4) / 2.0, 1e-12);
    teardown(&f);
    CHECK(setup(&f, spec, 3, 0, PM_WEIGHTS_NONE) == 0);
    CHECK_NEAR(f.m.betweenness[v(&f, "b")], 0, 1e-12);
    CHECK_NEAR(f.m.strength[v(&f, "a")], 2, 1e-12);
    teardown(&f);
}

/* Duplicate pairs merge with weights summed (A-B and B-A the same pair undirected); self-ties
 * are left out; directed keeps A->B and B->A apart. */
static void test_merge_and_direction(void)
{
    const char *spec[] = {"a-b:2", "b-a:3", "a-a:1", "b-c:1"};
    fixture_t f;
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    pm_test_ties(&f.t, "test", spec, 4);
    CHECK(pm_graph_build(&f.t, 0, NULL, NULL, &f.g, &d, &err) == PM_OK);
    CHECK_INT(f.g.n_edges, 2);
    CHECK_INT(f.g.merged_rows, 1);
    CHECK_INT(f.g.self_ties, 1);
    CHECK_NEAR(f.g.weight[f.g.tie_edge[0]], 5, 1e-12);
    CHECK(f.g.tie_edge[2] == (size_t)-1);
    CHECK_INT(d.n, 2);
    CHECK_CONTAINS(d.items[0].where, "test:4");
    CHECK_CONTAINS(d.items[0].msg, "self-tie");
    pm_graph_destroy(&f.g);
    pm_diag_destroy(&d);
    CHECK(pm_graph_build(&f.t, 1, NULL, NULL, &f.g, NULL, &err) == PM_OK);
    CHECK_INT(f.g.n_edges, 3);
    pm_graph_destroy(&f.g);
    pm_ties_destroy(&f.t);

    const char *selfs[] = {"a-a", "b-b"};
    pm_test_ties(&f.t, "test", selfs, 2);
    CHECK(pm_graph_build(&f.t, 0, NULL, NULL, &f.g, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "itself");
    pm_ties_destroy(&f.t);
}

/* Groups: a,b in X; c in Y. Ties a-b (same), b-c (across): cross share 1/2. */
static void test_groups(void)
{
    const char *spec[] = {"a-b:1", "b-c:3"};
    fixture_t f;
    pm_error_t err;
    pm_test_ties(&f.t, "test", spec, 2);
    f.t.group_from_col = strdup("from_country");
    f.t.group_to_col = strdup("to_country");
    f.t.group_from = calloc(2, sizeof(char *));
    f.t.group_to = calloc(2, sizeof(char *));
    f.t.group_from[0] = strdup("X");
    f.t.group_to[0] = strdup("X");
    f.t.group_from[1] = strdup("X");
    f.t.group_to[1] = strdup("Y");
    CHECK(pm_graph_build(&f.t, 0, NULL, NULL, &f.g, NULL, &err) == PM_OK);
    CHECK(pm_metrics_compute(&f.g, NULL, &f.m, &err) == PM_OK);
    CHECK(f.m.has_groups);
    CHECK_INT(f.m.n_groups, 2);
    CHECK_NEAR(f.m.cross_group_share, 0.5, 1e-12);
    CHECK_NEAR(f.m.cross_group_weight, 0.75, 1e-12);
    teardown(&f);
}

/* A random weighted graph (200 places, 600 ties; a path through every place first, so that it
 * is connected whatever the seed and the whole-graph comparisons always run): every per-place
 * value equals what igraph's own functions give for the same graph and weight semantics, and
 * reruns agree exactly. */
static void test_against_igraph(void)
{
    enum { N = 200, M = 600 };
    static char *specs[M];
    igraph_rng_seed(igraph_rng_default(), 7);
    for (int i = 0; i < M; i++) {
        long a = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        long b = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        if (i < N - 1) {
            a = i;
            b = i + 1;
        }
        long w = igraph_rng_get_integer(igraph_rng_default(), 1, 5);
        specs[i] = malloc(48);
        snprintf(specs[i], 48, "p%ld-p%ld:%ld", a, b, w);
    }
    fixture_t f;
    CHECK(setup(&f, (const char *const *)specs, M, 0, PM_WEIGHTS_STRENGTH) == 0);
    igraph_vector_t len, res;
    igraph_vector_init(&len, (igraph_integer_t)f.g.n_edges);
    igraph_vector_init(&res, 0);
    for (size_t e = 0; e < f.g.n_edges; e++)
        VECTOR(len)[e] = 1.0 / f.g.weight[e];
    igraph_betweenness(&f.g.g, &res, igraph_vss_all(), 0, &len);
    double worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.betweenness[i]));
    CHECK(worst < 1e-9);
    igraph_harmonic_centrality(&f.g.g, &res, igraph_vss_all(), IGRAPH_ALL, &len, 1);
    worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.closeness[i]));
    CHECK(worst < 1e-12);
    igraph_vector_t w;
    igraph_vector_view(&w, f.g.weight, (igraph_integer_t)f.g.n_edges);
    igraph_real_t val;
    igraph_pagerank(&f.g.g, IGRAPH_PAGERANK_ALGO_PRPACK, &res, &val, igraph_vss_all(), 0, 0.85, &w,
                    NULL);
    worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.pagerank[i]));
    CHECK(worst < 1e-12);
    /* the same run twice gives the same communities */
    pm_metrics_t again;
    pm_error_t err;
    CHECK(pm_metrics_compute(&f.g, NULL, &again, &err) == PM_OK);
    CHECK(memcmp(again.community, f.m.community, f.g.n_nodes * sizeof(long)) == 0);
    CHECK_NEAR(again.modularity, f.m.modularity, 0);
    pm_metrics_destroy(&again);
    /* one worker or three: the same bits */
    pm_metrics_opts_t o1;
    pm_metrics_opts_init(&o1);
    o1.threads = 1;
    CHECK(pm_metrics_compute(&f.g, &o1, &again, &err) == PM_OK);
    CHECK(memcmp(again.betweenness, f.m.betweenness, f.g.n_nodes * sizeof(double)) == 0);
    o1.threads = 3;
    pm_metrics_destroy(&again);
    CHECK(pm_metrics_compute(&f.g, &o1, &again, &err) == PM_OK);
    CHECK(memcmp(again.closeness, f.m.closeness, f.g.n_nodes * sizeof(double)) == 0);
    pm_metrics_destroy(&again);
    /* the path pass in the background gives the same bits once finished */
    pm_metrics_opts_init(&o1);
    o1.defer_paths = 1;
    CHECK(pm_metrics_compute(&f.g, &o1, &again, &err) == PM_OK);
    CHECK(again.pending != NULL);
    CHECK(pm_metrics_finish(&again, &err) == PM_OK);
    CHECK(again.pending == NULL);
    CHECK(memcmp(again.betweenness, f.m.betweenness, f.g.n_nodes * sizeof(double)) == 0);
    CHECK(memcmp(again.closeness, f.m.closeness, f.g.n_nodes * sizeof(double)) == 0);
    CHECK_NEAR(again.diameter_length, f.m.diameter_length, 0);
    pm_metrics_destroy(&again);
    /* destroying an unfinished pass waits for it */
    CHECK(pm_metrics_compute(&f.g, &o1, &again, &err) == PM_OK);
    pm_metrics_destroy(&again);
    /* weighted diameter and average path length of the (connected) graph */
    igraph_real_t d, apl;
    igraph_diameter_dijkstra(&f.g.g, &len, &d, NULL, NULL, NULL, NULL, 0, 1);
    igraph_average_path_length_dijkstra(&f.g.g, &apl, NULL, &len, 0, 1);
    CHECK_INT(f.m.components, 1);
    CHECK_NEAR(f.m.diameter_length, d, 1e-12);
    CHECK_NEAR(f.m.avg_path_length, apl, 1e-12);
    igraph_vector_destroy(&len);
    igraph_vector_destroy(&res);
    teardown(&f);
    for (int i = 0; i < M; i++)
        free(specs[i]);
}

/* Weights that are not whole numbers: the path pass searches with its heap, not its buckets
 * (pm_paths.c), and agrees with igraph too, equal paths found within its tolerance. */
static void test_heap_against_igraph(void)
{
    enum { N = 120, M = 360 };
    static char *specs[M];
    static const char *const w[] = {"0.5", "1.5", "2.5", "0.25", "3"};
    igraph_rng_seed(igraph_rng_default(), 11);
    for (int i = 0; i < M; i++) {
        long a = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        long b = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        if (i < N - 1) {
            a = i;
            b = i + 1;
        }
        specs[i] = malloc(48);
        snprintf(specs[i], 48, "p%ld-p%ld:%s", a, b,
                 w[igraph_rng_get_integer(igraph_rng_default(), 0, 4)]);
    }
    fixture_t f;
    CHECK(setup(&f, (const char *const *)specs, M, 0, PM_WEIGHTS_STRENGTH) == 0);
    igraph_vector_t len, res;
    igraph_vector_init(&len, (igraph_integer_t)f.g.n_edges);
    igraph_vector_init(&res, 0);
    for (size_t e = 0; e < f.g.n_edges; e++)
        VECTOR(len)[e] = 1.0 / f.g.weight[e];
    igraph_betweenness(&f.g.g, &res, igraph_vss_all(), 0, &len);
    double worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.betweenness[i]));
    CHECK(worst < 1e-9);
    igraph_harmonic_centrality(&f.g.g, &res, igraph_vss_all(), IGRAPH_ALL, &len, 1);
    worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.closeness[i]));
    CHECK(worst < 1e-12);
    igraph_vector_destroy(&len);
    igraph_vector_destroy(&res);
    teardown(&f);
    for (int i = 0; i < M; i++)
        free(specs[i]);
}

/* Directed: betweenness and out-closeness agree with igraph's directed versions. */
static void test_directed_against_igraph(void)
{
    enum { N = 60, M = 240 };
    static char *specs[M];
    igraph_rng_seed(igraph_rng_default(), 11);
    for (int i = 0; i < M; i++) {
        long a = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        long b = igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
        long w = igraph_rng_get_integer(igraph_rng_default(), 1, 3);
        specs[i] = malloc(48);
        snprintf(specs[i], 48, "p%ld-p%ld:%ld", a, b, w);
    }
    fixture_t f;
    CHECK(setup(&f, (const char *const *)specs, M, 1, PM_WEIGHTS_STRENGTH) == 0);
    igraph_vector_t len, res;
    igraph_vector_init(&len, (igraph_integer_t)f.g.n_edges);
    igraph_vector_init(&res, 0);
    for (size_t e = 0; e < f.g.n_edges; e++)
        VECTOR(len)[e] = 1.0 / f.g.weight[e];
    igraph_betweenness(&f.g.g, &res, igraph_vss_all(), 1, &len);
    double worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.betweenness[i]));
    CHECK(worst < 1e-9);
    igraph_harmonic_centrality(&f.g.g, &res, igraph_vss_all(), IGRAPH_OUT, &len, 1);
    worst = 0;
    for (size_t i = 0; i < f.g.n_nodes; i++)
        worst = fmax(worst, fabs(VECTOR(res)[i] - f.m.closeness[i]));
    CHECK(worst < 1e-12);
    igraph_vector_destroy(&len);
    igraph_vector_destroy(&res);
    teardown(&f);
    for (int i = 0; i < M; i++)
        free(specs[i]);
}

/* Steps (diameter and average path length in ties) come from batched breadth-first searches,
 * 64 sources at a time, or with unit lengths straight from the weighted search. A random graph
 * of 2100 places (75 sources per chunk with the path, so two batches) plus a separate path of 300
 * places (more levels than a batch has bits): with every length 2 or every length 1 the steps
 * agree to the bit with each other and with igraph's unweighted values, and betweenness is the
 * same bits; restricted to the path, the average is (P + 1) / 3 and the diameter P - 1. */
static void test_steps(void)
{
    enum { N = 2100, M = 6000, P = 300 };
    size_t n = N + P, m = M + P - 1;
    size_t *from = malloc(m * sizeof *from), *to = malloc(m * sizeof *to);
    double *two = malloc(m * sizeof *two);
    unsigned char *on_path = malloc(n);
    igraph_vector_int_t ev;
    igraph_vector_int_init(&ev, 2 * (igraph_integer_t)m);
    igraph_rng_seed(igraph_rng_default(), 5);
    for (size_t e = 0; e < m; e++) {
        if (e < M) {
            from[e] = (size_t)igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
            do
                to[e] = (size_t)igraph_rng_get_integer(igraph_rng_default(), 0, N - 1);
            while (to[e] == from[e]);
        } else {
            from[e] = N + (e - M);
            to[e] = from[e] + 1;
        }
        two[e] = 2;
        VECTOR(ev)[2 * e] = (igraph_integer_t)from[e];
        VECTOR(ev)[2 * e + 1] = (igraph_integer_t)to[e];
    }
    for (size_t v = 0; v < n; v++)
        on_path[v] = v >= N;
    for (int directed = 0; directed < 2; directed++) {
        igraph_t g;
        igraph_real_t apl, diam;
        igraph_create(&g, &ev, (igraph_integer_t)n, directed);
        igraph_average_path_length(&g, &apl, NULL, directed, 1);
        igraph_diameter(&g, &diam, NULL, NULL, NULL, NULL, directed, 1);
        igraph_destroy(&g);
        pm_paths_input_t in = {n, m, from, to, NULL, directed, NULL, 2, 0};
        pm_paths_result_t unit, twice;
        pm_error_t err;
        CHECK(pm_paths_compute(&in, &unit, &err) == PM_OK);
        in.length = two;
        CHECK(pm_paths_compute(&in, &twice, &err) == PM_OK);
        CHECK_NEAR(unit.avg_steps, apl, 1e-12);
        CHECK_NEAR(unit.diameter_steps, diam, 0);
        CHECK(unit.avg_steps == twice.avg_steps);
        CHECK(unit.diameter_steps == twice.diameter_steps);
        CHECK(twice.avg_length == 2 * twice.avg_steps);
        CHECK(memcmp(unit.betweenness, twice.betweenness, n * sizeof(double)) == 0);
        pm_paths_result_destroy(&unit);
        pm_paths_result_destroy(&twice);
        in.in_component = on_path;
        CHECK(pm_paths_compute(&in, &twice, &err) == PM_OK);
        CHECK_NEAR(twice.avg_steps, (P + 1) / 3.0, 1e-12);
        CHECK_NEAR(twice.diameter_steps, P - 1, 0);
        CHECK_NEAR(twice.diameter_length, 2 * (P - 1), 0);
        pm_paths_result_destroy(&twice);
    }
    igraph_vector_int_destroy(&ev);
    free(from);
    free(to);
    free(two);
    free(on_path);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_star);
    PM_RUN(test_path);
    PM_RUN(test_triangle_pendant);
    PM_RUN(test_two_components);
    PM_RUN(test_weight_modes);
    PM_RUN(test_merge_and_direction);
    PM_RUN(test_groups);
    PM_RUN(test_against_igraph);
    PM_RUN(test_heap_against_igraph);
    PM_RUN(test_directed_against_igraph);
    PM_RUN(test_steps);
    pm_runtime_teardown();
    return pm_test_done();
}
