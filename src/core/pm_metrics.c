/*
 * pm_metrics: statistics through igraph (see pm_metrics.h for the definitions).
 */
#include "pm_metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_paths.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_strmap.h"

void pm_metrics_opts_init(pm_metrics_opts_t *o)
{
    o->weights = PM_WEIGHTS_STRENGTH;
    o->normalized = 0;
    o->community = PM_COMMUNITY_LOUVAIN;
    o->resolution = 1.0;
    o->seed = 42;
    o->threads = 0;
    o->defer_paths = 0;
    o->skip_eigenvector = 0;
}

void pm_metrics_destroy(pm_metrics_t *m)
{
    if (!m)
        return;
    pm_metrics_finish(m, NULL); /* a background pass must end before its memory goes */
    free(m->degree);
    free(m->strength);
    free(m->betweenness);
    free(m->closeness);
    free(m->eigenvector);
    free(m->pagerank);
    free(m->in_degree);
    free(m->out_degree);
    free(m->community);
    free(m->component);
    memset(m, 0, sizeof *m);
}

#define IGCHECK(call, what)                                                                        \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_) {                                                                                 \
            st = pm_error_from_igraph(err, rc_, what);                                             \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

static void copy_vec(double *dst, const igraph_vector_t *v)
{
    for (igraph_integer_t i = 0; i < igraph_vector_size(v); i++)
        dst[i] = VECTOR(*v)[i];
}

/* The subgraph induced by the vertices with keep[v], with its edge values carried over.
 * map_out[v] is the vertex in the subgraph (or -1). */
static pm_status_t subgraph(const pm_graph_t *g, const unsigned char *keep, const double *evals,
                            igraph_t *sub, igraph_vector_t *sub_evals, igraph_integer_t *map,
                            pm_error_t *err)
{
    pm_status_t st = PM_OK;
    igraph_integer_t n = 0;
    igraph_vector_int_t edges;
    if (igraph_vector_int_init(&edges, 0))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t v = 0; v < g->n_nodes; v++)
        map[v] = keep[v] ? n++ : -1;
    igraph_vector_clear(sub_evals);
    for (size_t e = 0; e < g->n_edges; e++) {
        igraph_integer_t a = IGRAPH_FROM(&g->g, e), b = IGRAPH_TO(&g->g, e);
        if (!keep[a] || !keep[b])
            continue;
        if (igraph_vector_int_push_back(&edges, map[a]) ||
            igraph_vector_int_push_back(&edges, map[b]) ||
            igraph_vector_push_back(sub_evals, evals ? evals[e] : 1.0)) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    IGCHECK(igraph_create(sub, &edges, n, g->directed), "cannot build a component");
cleanup:
    igraph_vector_int_destroy(&edges);
    return st;
}

/* Eigenvector centrality within each component (scaled to max 1 in each). */
static pm_status_t eigen_by_component(const pm_graph_t *g, const double *intensity,
                                      const pm_metrics_t *m, double *out, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    unsigned char *keep = calloc(g->n_nodes, 1);
    igraph_integer_t *map = malloc(g->n_nodes * sizeof *map);
    igraph_vector_t ew, vec;
    int have = 0;
    if (!keep || !map || igraph_vector_init(&ew, 0) || igraph_vector_init(&vec, 0)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    have = 1;
    for (long c = 1; c <= m->components; c++) {
        size_t size = 0;
        for (size_t v = 0; v < g->n_nodes; v++)
            size += (keep[v] = (unsigned char)(m->component[v] == c));
        if (size <= 2) {
            for (size_t v = 0; v < g->n_nodes; v++)
                if (keep[v])
                    out[v] = 1.0;
            continue;
        }
        igraph_t sub;
        if ((st = subgraph(g, keep, intensity, &sub, &ew, map, err)))
            goto cleanup;
        igraph_real_t value;
        int rc = igraph_eigenvector_centrality(&sub, &vec, &value, g->directed, 1,
                                               intensity ? &ew : NULL, NULL);
        igraph_destroy(&sub);
        IGCHECK(rc, "eigenvector centrality");
        for (size_t v = 0; v < g->n_nodes; v++)
            if (keep[v])
                out[v] = VECTOR(vec)[map[v]];
    }
cleanup:
    if (have) {
        igraph_vector_destroy(&ew);
        igraph_vector_destroy(&vec);
    }
    free(keep);
    free(map);
    return st;
}

/* Components numbered 1.. by decreasing size (ties by first vertex), for stable ids. */
static pm_status_t components(const pm_graph_t *g, pm_metrics_t *m, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    igraph_vector_int_t memb, csize;
    igraph_integer_t no;
    long *rank = NULL;
    size_t *order = NULL;
    if (igraph_vector_int_init(&memb, 0))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    if (igraph_vector_int_init(&csize, 0)) {
        igraph_vector_int_destroy(&memb);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    IGCHECK(igraph_connected_components(&g->g, &memb, &csize, &no, IGRAPH_WEAK), "components");
    rank = malloc((size_t)no * sizeof *rank);
    order = malloc((size_t)no * sizeof *order);
    if (!rank || !order) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* igraph numbers components by first vertex; sort stably by size */
    for (igraph_integer_t c = 0; c < no; c++)
        order[c] = (size_t)c;
    for (igraph_integer_t i = 1; i < no; i++) {
        size_t x = order[i];
        igraph_integer_t j = i;
        while (j > 0 && VECTOR(csize)[order[j - 1]] < VECTOR(csize)[x]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (igraph_integer_t r = 0; r < no; r++)
        rank[order[r]] = (long)r + 1;
    for (size_t v = 0; v < g->n_nodes; v++)
        m->component[v] = rank[VECTOR(memb)[v]];
    m->components = (long)no;
    m->largest_size = (size_t)VECTOR(csize)[order[0]];
    m->largest_share = (double)m->largest_size / (double)g->n_nodes;
cleanup:
    free(rank);
    free(order);
    igraph_vector_int_destroy(&memb);
    igraph_vector_int_destroy(&csize);
    return st;
}

/* Renumbers a membership so that community 1 is the largest (ties: first vertex). -1 when out
 * of memory (memb then left 0-based: the caller must not use it). */
static int renumber(long *memb, size_t n)
{
    int rc = -1;
    size_t k = 0;
    for (size_t v = 0; v < n; v++)
        if ((size_t)memb[v] + 1 > k)
            k = (size_t)memb[v] + 1;
    size_t *size = calloc(k, sizeof *size), *first = malloc(k * sizeof *first);
    size_t *order = malloc(k * sizeof *order);
    long *rank = malloc(k * sizeof *rank);
    if (!size || !first || !order || !rank)
        goto cleanup;
    for (size_t c = 0; c < k; c++)
        first[c] = (size_t)-1;
    for (size_t v = 0; v < n; v++) {
        size[memb[v]]++;
        if (first[memb[v]] == (size_t)-1)
            first[memb[v]] = v;
    }
    for (size_t c = 0; c < k; c++)
        order[c] = c;
    for (size_t i = 1; i < k; i++) {
        size_t x = order[i], j = i;
        while (j > 0 && (size[order[j - 1]] < size[x] ||
                         (size[order[j - 1]] == size[x] && first[order[j - 1]] > first[x]))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (size_t r = 0; r < k; r++)
        rank[order[r]] = (long)r + 1;
    for (size_t v = 0; v < n; v++)
        memb[v] = rank[memb[v]];
    rc = 0;
cleanup:
    free(size);
    free(first);
    free(order);
    free(rank);
    return rc;
}

static pm_status_t communities(const pm_graph_t *g, const pm_metrics_opts_t *o,
                               const double *intensity, pm_metrics_t *m, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    igraph_t und;
    int have_und = 0;
    igraph_vector_t w, nodew;
    igraph_vector_int_t memb;
    int have = 0;
    if (igraph_vector_init(&w, 0) || igraph_vector_init(&nodew, 0) ||
        igraph_vector_int_init(&memb, 0))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    have = 1;
    /* Community detection works on the undirected graph; a directed pair A->B, B->A becomes one
     * tie with the weights summed. */
    igraph_vector_int_t edges;
    IGCHECK(igraph_vector_int_init(&edges, 0), "communities");
    pm_strmap_t pairs;
    pm_strmap_init(&pairs);
    for (size_t e = 0; e < g->n_edges; e++) {
        igraph_integer_t a = IGRAPH_FROM(&g->g, e), b = IGRAPH_TO(&g->g, e);
        if (a > b) {
            igraph_integer_t x = a;
            a = b;
            b = x;
        }
        char key[48];
        snprintf(key, sizeof key, "%ld-%ld", (long)a, (long)b);
        size_t k = pm_strmap_get(&pairs, key);
        double wv = intensity ? intensity[e] : 1.0;
        if (k != (size_t)-1) {
            VECTOR(w)[k] += wv;
            continue;
        }
        if (pm_strmap_put(&pairs, key, (size_t)igraph_vector_size(&w)) ||
            igraph_vector_push_back(&w, wv) || igraph_vector_int_push_back(&edges, a) ||
            igraph_vector_int_push_back(&edges, b)) {
            igraph_vector_int_destroy(&edges);
            pm_strmap_destroy(&pairs);
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    pm_strmap_destroy(&pairs);
    int rc = igraph_create(&und, &edges, (igraph_integer_t)g->n_nodes, 0);
    igraph_vector_int_destroy(&edges);
    IGCHECK(rc, "communities");
    have_und = 1;
    igraph_rng_seed(igraph_rng_default(), o->seed);
    igraph_real_t q = 0;
    if (o->community == PM_COMMUNITY_LEIDEN) {
        /* Leiden with the modularity objective: node weights = strengths, resolution / 2m */
        IGCHECK(igraph_strength(&und, &nodew, igraph_vss_all(), IGRAPH_ALL, 0, &w), "strength");
        double total = 0;
        for (igraph_integer_t e = 0; e < igraph_vector_size(&w); e++)
            total += VECTOR(w)[e];
        igraph_integer_t nclust;
        IGCHECK(igraph_community_leiden(&und, &w, &nodew, o->resolution / (2 * total), 0.01, 0, -1,
                                        &memb, &nclust, &q),
                "Leiden communities");
    } else {
        IGCHECK(igraph_community_multilevel(&und, &w, o->resolution, &memb, NULL, NULL),
                "Louvain communities");
    }
    IGCHECK(igraph_modularity(&und, &memb, &w, o->resolution, 0, &q), "modularity");
    m->modularity = q;
    for (size_t v = 0; v < g->n_nodes; v++)
        m->community[v] = (long)VECTOR(memb)[v];
    if (renumber(m->community, g->n_nodes)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    m->communities = 0;
    for (size_t v = 0; v < g->n_nodes; v++)
        if (m->community[v] > m->communities)
            m->communities = m->community[v];
cleanup:
    if (have_und)
        igraph_destroy(&und);
    if (have) {
        igraph_vector_destroy(&w);
        igraph_vector_destroy(&nodew);
        igraph_vector_int_destroy(&memb);
    }
    return st;
}

/* Copies a finished path pass into m (normalising betweenness when asked). */
static void take_paths(pm_metrics_t *m, pm_paths_result_t *r)
{
    size_t n = m->n;
    memcpy(m->betweenness, r->betweenness, n * sizeof *r->betweenness);
    memcpy(m->closeness, r->closeness, n * sizeof *r->closeness);
    if (m->normalized_ && n > 2) {
        double pairs = (double)(n - 1) * (double)(n - 2) / (m->directed_ ? 1.0 : 2.0);
        for (size_t v = 0; v < n; v++)
            m->betweenness[v] /= pairs;
    }
    m->diameter_length = r->diameter_length;
    m->avg_path_length = r->avg_length;
    m->diameter_steps = r->diameter_steps;
    m->avg_path_steps = r->avg_steps;
}

/* Betweenness, closeness and the largest component's path statistics in one shared pass; with
 * o->defer_paths, started in the background (see pm_metrics_finish). */
static pm_status_t shortest_paths(const pm_graph_t *g, const pm_metrics_opts_t *o,
                                  const double *lengths, pm_metrics_t *m, pm_error_t *err)
{
    size_t n = g->n_nodes, ne = g->n_edges;
    size_t *from = malloc((ne ? ne : 1) * sizeof *from), *to = malloc((ne ? ne : 1) * sizeof *to);
    unsigned char *largest = malloc(n ? n : 1);
    pm_paths_result_t r;
    memset(&r, 0, sizeof r);
    pm_status_t st = PM_OK;
    if (!from || !to || !largest) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t e = 0; e < ne; e++) {
        from[e] = (size_t)IGRAPH_FROM(&g->g, e);
        to[e] = (size_t)IGRAPH_TO(&g->g, e);
    }
    for (size_t v = 0; v < n; v++)
        largest[v] = (unsigned char)(m->component[v] == 1);
    pm_paths_input_t in = {n, ne, from, to, lengths, g->directed, largest, o->threads, 0};
    m->normalized_ = o->normalized;
    m->directed_ = g->directed;
    if (o->defer_paths) {
        int workers = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
        pm_paths_job_t *job = NULL;
        if ((st = pm_paths_start(&in, workers, &job, err)))
            goto cleanup;
        m->pending = job;
        m->diameter_length = m->avg_path_length = m->diameter_steps = m->avg_path_steps = NAN;
        goto cleanup;
    }
    if ((st = pm_paths_compute(&in, &r, err)))
        goto cleanup;
    take_paths(m, &r);
cleanup:
    pm_paths_result_destroy(&r);
    free(from);
    free(to);
    free(largest);
    return st;
}

pm_status_t pm_metrics_finish(pm_metrics_t *m, pm_error_t *err)
{
    if (!m->pending)
        return PM_OK;
    pm_paths_result_t r;
    memset(&r, 0, sizeof r);
    pm_status_t st = pm_paths_finish(m->pending, &r, err);
    m->pending = NULL;
    if (!st)
        take_paths(m, &r);
    pm_paths_result_destroy(&r);
    return st;
}

static pm_status_t groups(const pm_graph_t *g, pm_metrics_t *m, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    pm_strmap_t ids;
    pm_strmap_init(&ids);
    igraph_vector_int_t types;
    if (igraph_vector_int_init(&types, (igraph_integer_t)g->n_nodes))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t v = 0; v < g->n_nodes; v++) {
        const char *grp = g->group[v] ? g->group[v] : "";
        size_t id = pm_strmap_get(&ids, grp);
        if (id == (size_t)-1) {
            id = ids.n;
            if (pm_strmap_put(&ids, grp, id)) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                goto cleanup;
            }
        }
        VECTOR(types)[v] = (igraph_integer_t)id;
    }
    double cross = 0, cross_w = 0, total_w = 0;
    for (size_t e = 0; e < g->n_edges; e++) {
        int diff = VECTOR(types)[IGRAPH_FROM(&g->g, e)] != VECTOR(types)[IGRAPH_TO(&g->g, e)];
        cross += diff;
        cross_w += diff ? g->weight[e] : 0;
        total_w += g->weight[e];
    }
    m->has_groups = 1;
    m->n_groups = (long)ids.n;
    m->cross_group_share = cross / (double)g->n_edges;
    m->cross_group_weight = cross_w / total_w;
    igraph_real_t r = NAN;
    IGCHECK(igraph_assortativity_nominal(&g->g, &types, &r, g->directed, 1),
            "assortativity by group");
    m->group_assortativity = r;
cleanup:
    igraph_vector_int_destroy(&types);
    pm_strmap_destroy(&ids);
    return st;
}

static int alloc_arrays(pm_metrics_t *m, size_t n, int directed)
{
    m->n = n;
    m->degree = calloc(n, sizeof(double));
    m->strength = calloc(n, sizeof(double));
    m->betweenness = calloc(n, sizeof(double));
    m->closeness = calloc(n, sizeof(double));
    m->eigenvector = calloc(n, sizeof(double));
    m->pagerank = calloc(n, sizeof(double));
    m->community = calloc(n, sizeof(long));
    m->component = calloc(n, sizeof(long));
    if (directed) {
        m->in_degree = calloc(n, sizeof(double));
        m->out_degree = calloc(n, sizeof(double));
        if (!m->in_degree || !m->out_degree)
            return -1;
    }
    return (m->degree && m->strength && m->betweenness && m->closeness && m->eigenvector &&
            m->pagerank && m->community && m->component)
               ? 0
               : -1;
}

pm_status_t pm_metrics_compute(const pm_graph_t *g, const pm_metrics_opts_t *opts,
                               pm_metrics_t *out, pm_error_t *err)
{
    pm_metrics_opts_t defaults;
    pm_metrics_opts_init(&defaults);
    const pm_metrics_opts_t *o = opts ? opts : &defaults;
    pm_metrics_t m;
    memset(&m, 0, sizeof m);
    pm_status_t st = PM_OK;
    size_t n = g->n_nodes, ne = g->n_edges;
    double *len = malloc((ne ? ne : 1) * sizeof *len);
    double *inten = malloc((ne ? ne : 1) * sizeof *inten);
    igraph_vector_t vint, res, wraw;
    memset(&vint, 0, sizeof vint);
    memset(&wraw, 0, sizeof wraw);
    int have_vec = 0;
    if (!len || !inten || alloc_arrays(&m, n, g->directed)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t e = 0; e < ne; e++) {
        double w = g->weight[e];
        len[e] = o->weights == PM_WEIGHTS_STRENGTH ? 1.0 / w
                 : o->weights == PM_WEIGHTS_LENGTH ? w
                                                   : 1.0;
        inten[e] = o->weights == PM_WEIGHTS_STRENGTH ? w
                   : o->weights == PM_WEIGHTS_LENGTH ? 1.0 / w
                                                     : 1.0;
    }
    int weighted = o->weights != PM_WEIGHTS_NONE;
    igraph_vector_view(&vint, inten, (igraph_integer_t)ne);
    igraph_vector_view(&wraw, g->weight, (igraph_integer_t)ne);
    if (igraph_vector_init(&res, 0)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    have_vec = 1;
    const igraph_vector_t *iw = weighted ? &vint : NULL;
    igraph_vs_t all = igraph_vss_all();

    IGCHECK(igraph_strength(&g->g, &res, all, IGRAPH_ALL, 0, NULL), "degree");
    copy_vec(m.degree, &res);
    if (g->directed) {
        IGCHECK(igraph_strength(&g->g, &res, all, IGRAPH_IN, 0, NULL), "in-degree");
        copy_vec(m.in_degree, &res);
        IGCHECK(igraph_strength(&g->g, &res, all, IGRAPH_OUT, 0, NULL), "out-degree");
        copy_vec(m.out_degree, &res);
    }
    IGCHECK(igraph_strength(&g->g, &res, all, IGRAPH_ALL, 0, weighted ? &wraw : NULL), "strength");
    copy_vec(m.strength, &res);
    igraph_real_t prval;
    IGCHECK(igraph_pagerank(&g->g, IGRAPH_PAGERANK_ALGO_PRPACK, &res, &prval, all, g->directed,
                            0.85, iw, NULL),
            "PageRank");
    copy_vec(m.pagerank, &res);
    if ((st = components(g, &m, err)))
        goto cleanup;
    /* ARPACK draws from igraph's generator when it restarts: seeded here, a graph's eigenvector
     * centrality does not depend on what the process computed before (a timeline's period equals
     * `stats --period`, in whichever worker it runs) */
    igraph_rng_seed(igraph_rng_default(), o->seed);
    if (o->skip_eigenvector)
        for (size_t v = 0; v < n; v++)
            m.eigenvector[v] = NAN;
    else if ((st = eigen_by_component(g, weighted ? inten : NULL, &m, m.eigenvector, err)))
        goto cleanup;
    if ((st = communities(g, o, weighted ? inten : NULL, &m, err)))
        goto cleanup;
    if ((st = shortest_paths(g, o, weighted ? len : NULL, &m, err)))
        goto cleanup;

    m.places = n;
    m.ties = ne;
    for (size_t e = 0; e < ne; e++)
        m.total_weight += g->weight[e];
    igraph_real_t x;
    IGCHECK(igraph_density(&g->g, &x, 0), "density");
    m.density = x;
    IGCHECK(igraph_transitivity_undirected(&g->g, &x, IGRAPH_TRANSITIVITY_ZERO), "transitivity");
    m.transitivity = x;
    IGCHECK(igraph_assortativity_degree(&g->g, &x, g->directed), "assortativity");
    m.assortativity = x;
    igraph_real_t tmax;
    IGCHECK(igraph_centralization_degree(&g->g, NULL, IGRAPH_ALL, 0, &x, &tmax, 1),
            "centralization");
    m.centralization = x;
    if (g->group && (st = groups(g, &m, err)))
        goto cleanup;
    *out = m;
    memset(&m, 0, sizeof m);
cleanup:
    if (have_vec)
        igraph_vector_destroy(&res);
    free(len);
    free(inten);
    pm_metrics_destroy(&m);
    return st;
}

const double *pm_metrics_get(const pm_metrics_t *m, const char *name, int *owned)
{
    *owned = 0;
    if (!strcmp(name, "degree"))
        return m->degree;
    if (!strcmp(name, "strength"))
        return m->strength;
    if (!strcmp(name, "betweenness"))
        return m->betweenness;
    if (!strcmp(name, "closeness"))
        return m->closeness;
    if (!strcmp(name, "eigenvector"))
        return m->eigenvector;
    if (!strcmp(name, "pagerank"))
        return m->pagerank;
    if (m->in_degree && !strcmp(name, "in_degree"))
        return m->in_degree;
    if (m->out_degree && !strcmp(name, "out_degree"))
        return m->out_degree;
    const long *l = !strcmp(name, "community")   ? m->community
                    : !strcmp(name, "component") ? m->component
                                                 : NULL;
    if (!l)
        return NULL;
    double *d = malloc((m->n ? m->n : 1) * sizeof *d);
    if (!d)
        return NULL;
    for (size_t v = 0; v < m->n; v++)
        d[v] = (double)l[v];
    *owned = 1;
    return d;
}
