/*
 * pm_metric: the registry of per-place metrics, the one list that statistics, maps, exports,
 * batches and help texts name them from: each metric's name (as typed by a user and written in a
 * column header), its title (legends), its kind, and what it needs.
 *
 * The registry is a constant table; lookups are O(number of metrics) and thread-safe.
 */
#ifndef PM_METRIC_H
#define PM_METRIC_H

#include <stddef.h>

typedef enum pm_metric_kind {
    PM_METRIC_COUNT,   /* a whole number (degree) */
    PM_METRIC_REAL,    /* a measure (strength, PageRank, km) */
    PM_METRIC_CATEGORY /* a label that is a number (community, component): no order */
} pm_metric_kind_t;

typedef enum pm_metric_needs {
    PM_METRIC_NEEDS_GRAPH = 0,   /* the graph alone */
    PM_METRIC_NEEDS_PATHS = 1,   /* the shortest-path pass (pm_paths) */
    PM_METRIC_NEEDS_GEO = 2,     /* the places joined to the geometry (tie lengths) */
    PM_METRIC_NEEDS_DIRECTED = 4 /* only in a directed graph */
} pm_metric_needs_t;

typedef struct pm_metric_info {
    const char *name;  /* "pagerank" */
    const char *title; /* "PageRank" */
    pm_metric_kind_t kind;
    unsigned needs;     /* pm_metric_needs_t bits */
    int exported;       /* a column of every export (places table) and of the statistics report */
    const char *header; /* the report's column header for people; NULL = the name */
    int decimals;       /* decimals the report shows people (betweenness: 2 unless normalised) */
} pm_metric_info_t;

/* The metric called name, or NULL. */
const pm_metric_info_t *pm_metric_find(const char *name);
/* Number of metrics, and metric i (i < count), in the order they are listed to people. */
size_t pm_metric_count(void);
const pm_metric_info_t *pm_metric_at(size_t i);
/* A title for a metric in a legend; the name itself when it is not one. */
const char *pm_metric_title(const char *name);

#endif
