/*
 * pm_metric: the registry of per-place metrics (see pm_metric.h).
 */
#include "pm_metric.h"

#include <string.h>

static const pm_metric_info_t metrics[] = {
    {"degree", "Degree", PM_METRIC_COUNT, PM_METRIC_NEEDS_GRAPH, 1, NULL, 0},
    {"strength", "Strength", PM_METRIC_REAL, PM_METRIC_NEEDS_GRAPH, 1, NULL, 2},
    {"betweenness", "Betweenness", PM_METRIC_REAL, PM_METRIC_NEEDS_PATHS, 1, NULL, 4},
    {"closeness", "Closeness (harmonic)", PM_METRIC_REAL, PM_METRIC_NEEDS_PATHS, 1, NULL, 4},
    {"eigenvector", "Eigenvector centrality", PM_METRIC_REAL, PM_METRIC_NEEDS_GRAPH, 1, NULL, 4},
    {"pagerank", "PageRank", PM_METRIC_REAL, PM_METRIC_NEEDS_GRAPH, 1, NULL, 4},
    {"pagerank_n", "PageRank \xc3\x97 n (1 = average)", PM_METRIC_REAL, PM_METRIC_NEEDS_GRAPH, 0,
     NULL, 4},
    {"community", "Community", PM_METRIC_CATEGORY, PM_METRIC_NEEDS_GRAPH, 1, NULL, 0},
    {"component", "Component", PM_METRIC_CATEGORY, PM_METRIC_NEEDS_GRAPH, 1, NULL, 0},
    {"in_degree", "In-degree", PM_METRIC_COUNT, PM_METRIC_NEEDS_DIRECTED, 1, "in", 0},
    {"out_degree", "Out-degree", PM_METRIC_COUNT, PM_METRIC_NEEDS_DIRECTED, 1, "out", 0},
    {"mean_tie_km", "Mean tie length (km)", PM_METRIC_REAL, PM_METRIC_NEEDS_GEO, 1, "mean km", 0},
    {"max_tie_km", "Longest tie (km)", PM_METRIC_REAL, PM_METRIC_NEEDS_GEO, 1, "max km", 0},
};

size_t pm_metric_count(void)
{
    return sizeof metrics / sizeof metrics[0];
}

const pm_metric_info_t *pm_metric_at(size_t i)
{
    return i < pm_metric_count() ? &metrics[i] : NULL;
}

const pm_metric_info_t *pm_metric_find(const char *name)
{
    for (size_t i = 0; name && i < pm_metric_count(); i++)
        if (!strcmp(metrics[i].name, name))
            return &metrics[i];
    return NULL;
}

const char *pm_metric_title(const char *name)
{
    const pm_metric_info_t *m = pm_metric_find(name);
    return m ? m->title : name;
}
