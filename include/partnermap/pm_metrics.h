/*
 * pm_metrics: network statistics of a pm_graph_t, per place and for the whole graph.
 *
 * Weight semantics (pm_weight_mode_t), documented in docs/methods.md:
 *  - PM_WEIGHTS_STRENGTH (default): a weight is an intensity (agreements, delegations). Strength,
 *    eigenvector, PageRank and communities use it as is; path-based measures (betweenness,
 *    closeness, diameter, average path length) use a tie's length = 1/weight, so a stronger tie
 *    is a shorter path.
 *  - PM_WEIGHTS_LENGTH: a weight is already a length (a cost, a distance). Path measures use it
 *    as is; the intensity-based measures use 1/weight.
 *  - PM_WEIGHTS_NONE: every tie counts 1 everywhere (strength then equals degree).
 * Betweenness follows igraph: undirected pairs counted once, not normalised unless
 * opts.normalized (then divided by the number of pairs (n-1)(n-2)/2, or (n-1)(n-2) directed).
 * Closeness is harmonic: the mean of 1/d(v,u) over all other places (0 for unreachable ones), so
 * disconnected graphs give meaningful values. Eigenvector centrality is computed within each
 * connected component and scaled to a maximum of 1 in each (it is undefined across
 * components). Communities: Louvain (igraph_community_multilevel) or Leiden (modularity
 * objective), on the undirected graph, with igraph's RNG seeded by opts.seed, so reruns agree.
 * Whole-graph path statistics (diameter, average path length) are of the largest component.
 */
#ifndef PM_METRICS_H
#define PM_METRICS_H

#include <stddef.h>

#include "pm_error.h"
#include "pm_graph.h"

typedef enum { PM_WEIGHTS_STRENGTH, PM_WEIGHTS_LENGTH, PM_WEIGHTS_NONE } pm_weight_mode_t;
typedef enum { PM_COMMUNITY_LOUVAIN, PM_COMMUNITY_LEIDEN } pm_community_algo_t;

typedef struct pm_metrics_opts {
    pm_weight_mode_t weights;
    int normalized; /* betweenness divided by the number of pairs */
    pm_community_algo_t community;
    double resolution;  /* modularity resolution, default 1 */
    unsigned long seed; /* default 42 */
    int threads;        /* path statistics workers; 0 = one per processor */
    int defer_paths;    /* 1: the path statistics (betweenness, closeness, diameter, average
                           path length) run in the background until pm_metrics_finish;
                           everything else is ready at once */
    /* 1: no eigenvector centrality (left NaN), for a caller that does not read it (the
     * uncertainty replicates); nothing else changes */
    int skip_eigenvector;
} pm_metrics_opts_t;

void pm_metrics_opts_init(pm_metrics_opts_t *o);

typedef struct pm_metrics {
    size_t n;
    /* per place, index = graph vertex */
    double *degree, *strength, *betweenness, *closeness, *eigenvector, *pagerank;
    double *in_degree, *out_degree; /* directed graphs only, else NULL */
    long *community, *component;    /* 1-based ids, largest first */
    /* whole graph */
    size_t places, ties;
    double total_weight, density;
    long components;
    size_t largest_size;
    double largest_share;
    double diameter_steps, avg_path_steps;   /* largest component, in ties */
    double diameter_length, avg_path_length; /* largest component, in tie lengths (see modes) */
    double transitivity, assortativity, centralization, modularity;
    long communities;
    /* groups (when the graph has them) */
    int has_groups;
    long n_groups;
    double cross_group_share;   /* share of ties between places of different groups */
    double cross_group_weight;  /* the same, weighted */
    double group_assortativity; /* nominal assortativity by group */
    /* internal: a path pass still running (defer_paths), and how to finish it */
    void *pending;
    int normalized_, directed_;
} pm_metrics_t;

/* Computes every statistic. Errors: PM_ENOMEM, PM_EINTERNAL (an igraph failure, with igraph's
 * reason). On failure *out is left zeroed. Cost: dominated by betweenness and closeness,
 * O(n m log n) with weights. */
pm_status_t pm_metrics_compute(const pm_graph_t *g, const pm_metrics_opts_t *opts,
                               pm_metrics_t *out, pm_error_t *err);
void pm_metrics_destroy(pm_metrics_t *m);

/* Waits for a deferred path pass and fills betweenness, closeness, diameter and average path
 * length. Does nothing when none is pending. Errors: PM_ENOMEM (then those stay 0/NaN). */
pm_status_t pm_metrics_finish(pm_metrics_t *m, pm_error_t *err);

/* A per-place metric by name ("degree", "pagerank", ...: the registry's names, pm_metric.h) as an
 * array of n doubles (community and component converted), or NULL for an unknown name. Lent when
 * possible; *owned set to 1 when the caller must free the result. */
const double *pm_metrics_get(const pm_metrics_t *m, const char *name, int *owned);

#endif
