/*
 * pm_graph: tie rows -> merged weighted igraph graph (see pm_graph.h).
 */
#include "pm_graph.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_buf.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_strmap.h"

void pm_graph_destroy(pm_graph_t *g)
{
    if (!g)
        return;
    if (g->n_nodes || g->n_edges)
        igraph_destroy(&g->g);
    pm_strv_free(g->name, g->n_nodes);
    pm_strv_free(g->key, g->n_nodes);
    pm_strv_free(g->group, g->n_nodes);
    free(g->unit);
    free(g->weight);
    free(g->rows);
    free(g->probable);
    free(g->tie_edge);
    free(g->tie_from);
    free(g->tie_to);
    memset(g, 0, sizeof *g);
}

size_t pm_graph_find(const pm_graph_t *g, const char *key)
{
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->unit[i] == PM_GRAPH_NO_UNIT && !strcmp(g->key[i], key))
            return i;
    return (size_t)-1;
}

size_t pm_graph_find_unit(const pm_graph_t *g, size_t unit)
{
    for (size_t i = 0; unit != PM_GRAPH_NO_UNIT && i < g->n_nodes; i++)
        if (g->unit[i] == unit)
            return i;
    return (size_t)-1;
}

/* The vertices seen so far: places keyed by name and places keyed by unit live in two maps, so
 * that no name can stand for a unit. */
typedef struct vertex_index {
    pm_strmap_t by_name, by_unit;
} vertex_index_t;

/* Vertex of a place (unit, or PM_GRAPH_NO_UNIT for the name), created on first sight. */
static size_t vertex(pm_graph_t *g, vertex_index_t *ix, size_t *cap, size_t unit, const char *name,
                     const char *group, int has_groups)
{
    char ukey[32];
    snprintf(ukey, sizeof ukey, "%zu", unit);
    pm_strmap_t *map = unit == PM_GRAPH_NO_UNIT ? &ix->by_name : &ix->by_unit;
    const char *key = unit == PM_GRAPH_NO_UNIT ? name : ukey;
    size_t v = pm_strmap_get(map, key);
    if (v != (size_t)-1)
        return v;
    if (g->n_nodes == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        char **n = realloc(g->name, nc * sizeof *n);
        if (n)
            g->name = n;
        char **k = realloc(g->key, nc * sizeof *k);
        if (k)
            g->key = k;
        size_t *u = realloc(g->unit, nc * sizeof *u);
        if (u)
            g->unit = u;
        char **gr = has_groups ? realloc(g->group, nc * sizeof *gr) : NULL;
        if (gr)
            g->group = gr;
        if (!n || !k || !u || (has_groups && !gr))
            return (size_t)-1;
        *cap = nc;
    }
    v = g->n_nodes;
    g->name[v] = strdup(name);
    g->key[v] = strdup(name);
    g->unit[v] = unit;
    if (has_groups)
        g->group[v] = group ? strdup(group) : NULL;
    g->n_nodes++;
    if (!g->name[v] || !g->key[v] || pm_strmap_put(map, key, v))
        return (size_t)-1;
    return v;
}

static void check_group(pm_graph_t *g, size_t v, const char *group, const pm_ties_t *t, size_t i,
                        pm_diag_t *diag)
{
    if (!g->group || !group)
        return;
    if (!g->group[v]) {
        g->group[v] = strdup(group);
        return;
    }
    if (strcasecmp(g->group[v], group) != 0) {
        char where[600];
        snprintf(where, sizeof where, "%s:%ld", t->path, t->line[i]);
        pm_diag_add(diag, where, "'%s' is in group '%s' here but '%s' earlier; keeping '%s'",
                    g->name[v], group, g->group[v], g->group[v]);
    }
}

static int is_probable(const char *c)
{
    return c && !strcasecmp(c, "probable");
}

pm_status_t pm_graph_build(const pm_ties_t *t, int directed, const size_t *units_from,
                           const size_t *units_to, pm_graph_t *out, pm_diag_t *diag,
                           pm_error_t *err)
{
    pm_graph_t g;
    memset(&g, 0, sizeof g);
    g.directed = directed;
    vertex_index_t nodes;
    pm_strmap_t pairs;
    pm_strmap_init(&nodes.by_name);
    pm_strmap_init(&nodes.by_unit);
    pm_strmap_init(&pairs);
    igraph_vector_int_t edges;
    int have_edges = 0;
    size_t ncap = 0, ecap = 0;
    pm_status_t st = PM_OK;
    int has_groups = t->group_from_col != NULL;

    g.tie_edge = malloc((t->n ? t->n : 1) * sizeof *g.tie_edge);
    g.tie_from = malloc((t->n ? t->n : 1) * sizeof *g.tie_from);
    g.tie_to = malloc((t->n ? t->n : 1) * sizeof *g.tie_to);
    if (!g.tie_edge || !g.tie_from || !g.tie_to || igraph_vector_int_init(&edges, 0)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    have_edges = 1;
    for (size_t i = 0; i < t->n; i++) {
        size_t ka = units_from ? units_from[i] : PM_GRAPH_NO_UNIT;
        size_t kb = units_to ? units_to[i] : PM_GRAPH_NO_UNIT;
        size_t a = vertex(&g, &nodes, &ncap, ka, t->from[i], has_groups ? t->group_from[i] : NULL,
                          has_groups);
        size_t b = a == (size_t)-1 ? a
                                   : vertex(&g, &nodes, &ncap, kb, t->to[i],
                                            has_groups ? t->group_to[i] : NULL, has_groups);
        if (b == (size_t)-1) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        g.tie_from[i] = a;
        g.tie_to[i] = b;
        if (has_groups) {
            check_group(&g, a, t->group_from[i], t, i, diag);
            check_group(&g, b, t->group_to[i], t, i, diag);
        }
        char where[600];
        snprintf(where, sizeof where, t->line_is_row ? "%s: row %ld" : "%s:%ld", t->path,
                 t->line[i]);
        if (a == b) {
            g.tie_edge[i] = (size_t)-1;
            g.self_ties++;
            pm_diag_add(diag, where, "self-tie '%s' - '%s' left out", t->from[i], t->to[i]);
            continue;
        }
        size_t lo = a, hi = b;
        if (!directed && lo > hi) {
            lo = b;
            hi = a;
        }
        char pk[48];
        snprintf(pk, sizeof pk, "%zu>%zu", lo, hi);
        size_t e = pm_strmap_get(&pairs, pk);
        if (e != (size_t)-1) {
            g.weight[e] += t->weight[i];
            g.rows[e]++;
            g.probable[e] &= (unsigned char)is_probable(t->confidence[i]);
            g.merged_rows++;
            g.tie_edge[i] = e;
            continue;
        }
        if (g.n_edges == ecap) {
            size_t nc = ecap ? ecap * 2 : 64;
            double *w = realloc(g.weight, nc * sizeof *w);
            if (w)
                g.weight = w;
            size_t *r = realloc(g.rows, nc * sizeof *r);
            if (r)
                g.rows = r;
            unsigned char *p = realloc(g.probable, nc);
            if (p)
                g.probable = p;
            if (!w || !r || !p) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                goto cleanup;
            }
            ecap = nc;
        }
        e = g.n_edges++;
        g.weight[e] = t->weight[i];
        g.rows[e] = 1;
        g.probable[e] = (unsigned char)is_probable(t->confidence[i]);
        g.tie_edge[i] = e;
        if (pm_strmap_put(&pairs, pk, e) ||
            igraph_vector_int_push_back(&edges, (igraph_integer_t)a) ||
            igraph_vector_int_push_back(&edges, (igraph_integer_t)b)) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (g.n_edges == 0) {
        st = pm_error_set(err, PM_EDATA, "%s: no ties left: every row ties a place to itself",
                          t->path);
        goto cleanup;
    }
    if (g.merged_rows)
        pm_diag_add(diag, t->path, "%zu row%s named a pair already seen; merged, weights summed",
                    g.merged_rows, g.merged_rows == 1 ? "" : "s");
    int rc = igraph_create(&g.g, &edges, (igraph_integer_t)g.n_nodes, directed);
    if (rc) {
        st = pm_error_from_igraph(err, rc, "cannot build the graph");
        goto cleanup;
    }
    *out = g;
    memset(&g, 0, sizeof g);
cleanup:
    if (have_edges)
        igraph_vector_int_destroy(&edges);
    pm_strmap_destroy(&nodes.by_name);
    pm_strmap_destroy(&nodes.by_unit);
    pm_strmap_destroy(&pairs);
    if (g.n_nodes || g.n_edges) {
        /* the igraph_t was not created on the failure paths */
        g.n_edges = 0;
        size_t n = g.n_nodes;
        g.n_nodes = 0;
        pm_strv_free(g.name, n);
        pm_strv_free(g.key, n);
        pm_strv_free(g.group, n);
        g.name = g.key = g.group = NULL;
        free(g.unit);
        g.unit = NULL;
    }
    pm_graph_destroy(&g);
    return st;
}
