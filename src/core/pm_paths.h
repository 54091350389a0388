/*
 * pm_paths: every shortest-path statistic from one pass of single-source searches.
 *
 * Betweenness (Brandes' accumulation), harmonic closeness, and the diameter and average path
 * length of one chosen component, both weighted (Dijkstra over tie lengths) and in steps
 * (breadth-first), are all computed from the same search from each source, instead of one
 * all-pairs pass per statistic as separate igraph calls would need. Sources are split into a
 * fixed number of chunks spread over worker threads; each chunk accumulates its own partial sums
 * and the chunks are added in order, so the result does not depend on the number of threads.
 *
 * Conventions match igraph 0.10: undirected pairs counted once in betweenness; closeness is the
 * mean of 1/d over the other n-1 places (unreachable count 0); path lengths equal within a
 * relative 1e-10 count as equal (so 1/3 + 1/3 + 1/3 ties with 1).
 * The search reads only plain arrays (no igraph call runs in a worker thread: Debian's igraph is
 * built without thread safety).
 */
#ifndef PM_PATHS_H
#define PM_PATHS_H

#include <stddef.h>

#include "pm_error.h"

typedef struct pm_paths_input {
    size_t n, m;
    const size_t *from, *to; /* m edges */
    const double *length;    /* m lengths > 0; NULL = every tie has length 1 */
    int directed;
    const unsigned char *in_component; /* places of the component whose diameter and average
                                          path length are wanted; NULL = all */
    int threads;                       /* 0 = the number of online processors */
    int no_shortcut; /* 1: search from every source over the whole network, trees too (the
                        same results within 1e-15 relative, the steps exactly: for tests) */
} pm_paths_input_t;

typedef struct pm_paths_result {
    double *betweenness;                /* n values, caller frees */
    double *closeness;                  /* n values, caller frees */
    double diameter_length, avg_length; /* over ordered reachable pairs within the component */
    double diameter_steps, avg_steps;
} pm_paths_result_t;

/* Errors: PM_ENOMEM, PM_EINTERNAL (a thread could not start). Cost O(n (m + n) log n) work,
 * divided among the threads; memory O(n + m) per thread. */
pm_status_t pm_paths_compute(const pm_paths_input_t *in, pm_paths_result_t *out, pm_error_t *err);
void pm_paths_result_destroy(pm_paths_result_t *r);

/* The same in the background: pm_paths_start copies the input and starts `workers` threads
 * (0: none yet); pm_paths_finish has the calling thread help with what is left, waits, fills
 * out and frees the job (also on failure). While a job runs, the caller may do other work, such
 * as drawing a map. Results are those of pm_paths_compute, whatever the number of threads. */
typedef struct pm_paths_job pm_paths_job_t;
pm_status_t pm_paths_start(const pm_paths_input_t *in, int workers, pm_paths_job_t **out,
                           pm_error_t *err);
pm_status_t pm_paths_finish(pm_paths_job_t *job, pm_paths_result_t *out, pm_error_t *err);

#endif
