/*
 * test_paths_forest: pruning the trees off a network (pm_paths_forest.c) on a small network
 * worked out by hand: which places are pruned and where they hang, tree sizes and depths, the
 * closed-form betweenness and step terms, with and without a component restriction; and a
 * network with nothing to prune (a cycle, a self-tie, parallel ties to one neighbour).
 * test_paths_fast compares the whole path pass built on it with igraph.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pm_paths_forest.h"
#include "pm_test.h"

typedef struct csr {
    size_t n, start[32];
    uint32_t nbr[64], len[64];
} csr_t;

/* Undirected compressed rows of edges e[0..m) with whole-number lengths len(e) = e + 1. */
static void build(csr_t *c, size_t n, const uint32_t (*e)[2], size_t m)
{
    size_t fill[32];
    memset(c, 0, sizeof *c);
    c->n = n;
    for (size_t k = 0; k < m; k++) {
        c->start[e[k][0] + 1]++;
        c->start[e[k][1] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        c->start[v + 1] += c->start[v];
    memcpy(fill, c->start, sizeof fill);
    for (size_t k = 0; k < m; k++) {
        uint32_t a = e[k][0], b = e[k][1];
        c->nbr[fill[a]] = b;
        c->len[fill[a]++] = (uint32_t)k + 1;
        c->nbr[fill[b]] = a;
        c->len[fill[b]++] = (uint32_t)k + 1;
    }
}

/* A triangle 0-1-2 with a tree under 0 (3; 4 and 5 under 3; 6 under 4) and a leaf 7 under 1;
 * a path 8-9-10, an isolated place 11, a pair 12-13. */
static const uint32_t EDGES[][2] = {{0, 1}, {1, 2}, {2, 0}, {3, 0},  {4, 3},  {5, 3},
                                    {6, 4}, {7, 1}, {8, 9}, {9, 10}, {12, 13}};

static void test_by_hand(void)
{
    csr_t c;
    pm_forest_t f;
    build(&c, 14, EDGES, sizeof EDGES / sizeof EDGES[0]);
    CHECK(pm_forest_build(&f, c.n, c.start, c.nbr, c.len, NULL) == 0);
    CHECK(f.pruned == 8); /* 3-7, 8 and 10 into 9, 12 into 13 */
    static const uint32_t root[14] = {0, 1, 2, 0, 0, 0, 0, 1, 9, 9, 9, 11, 13, 13};
    static const double w[14] = {5, 2, 1, 4, 2, 1, 1, 1, 1, 3, 1, 1, 1, 2}; /* subtrees */
    /* ordered pairs: 3 separates {4,5,6} from the other 4 and 5 from {4,6}; 4 separates 6 from
     * the other 6; 0 its tree from {1,2,7}; 1 separates 7; 9 separates 8 and 10 */
    static const double btw[14] = {24, 12, 0, 28, 12, 0, 0, 0, 0, 2, 0, 0, 0, 0};
    static const uint32_t comp[14] = {8, 8, 8, 8, 8, 8, 8, 8, 3, 3, 3, 1, 2, 2};
    for (size_t v = 0; v < 14; v++) {
        CHECK(f.root[v] == root[v]);
        CHECK(f.w[v] == w[v]);
        CHECK(f.pair_btw[v] == btw[v]);
        CHECK(f.comp[v] == comp[v]);
    }
    CHECK(f.par[6] == 4 && f.plen[6] == 7 && f.par[12] == 13 && f.plen[12] == 11);
    CHECK(f.md[0] == 3 && f.md[1] == 1 && f.md[2] == 0 && f.md[9] == 1 && f.md[13] == 1);
    /* 0's tree in tlist, parents first, with depths 4 (3), 4 + 5 (4), 4 + 6 (5), 9 + 7 (6) */
    CHECK(f.tstart[1] - f.tstart[0] == 4 && f.tlist[f.tstart[0]] == 3);
    for (uint32_t t = f.tstart[0]; t < f.tstart[1]; t++) {
        uint32_t p = f.tlist[t];
        CHECK(f.tdep[t] == (p == 3 ? 4u : p == 4 ? 9u : p == 5 ? 10u : 16u));
    }
    CHECK(f.kstart[4] - f.kstart[3] == 2 && f.kstart[1] - f.kstart[0] == 1);
    /* steps: the triangle's component sums to 132 over ordered pairs (brute force), of which
     * the core search counts 2 (5*2 + 5*1 + 2*1) = 34; the path 8; the pair 2 */
    CHECK_NEAR(f.ssum, 132 - 34 + 8 + 2, 0);
    CHECK_NEAR(f.smax, 3, 0); /* 6-4-3-5 inside 0's tree */
    pm_forest_destroy(&f);

    unsigned char in[14] = {0};
    in[8] = in[9] = in[10] = 1;
    CHECK(pm_forest_build(&f, c.n, c.start, c.nbr, c.len, in) == 0);
    CHECK_NEAR(f.ssum, 8, 0);
    CHECK_NEAR(f.smax, 2, 0);
    CHECK(f.pair_btw[3] == 28); /* betweenness is for every place */
    pm_forest_destroy(&f);
}

/* Nothing hangs off: a square, a place with a self-tie and one more tie, a place with two ties
 * to the same neighbour. */
static void test_nothing_to_prune(void)
{
    static const uint32_t e[][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 4}, {4, 0}, {5, 1}, {5, 1}};
    csr_t c;
    pm_forest_t f;
    build(&c, 6, e, sizeof e / sizeof e[0]);
    CHECK(pm_forest_build(&f, c.n, c.start, c.nbr, c.len, NULL) == 0);
    CHECK(f.pruned == 0 && f.root == NULL && f.w == NULL);
    pm_forest_destroy(&f);
    pm_forest_destroy(NULL);
}

int main(void)
{
    PM_RUN(test_by_hand);
    PM_RUN(test_nothing_to_prune);
    return pm_test_done();
}
