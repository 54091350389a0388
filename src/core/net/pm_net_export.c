/*
 * pm_net_export: a joined, measured network -> the export writers' input (see pm_net.h).
 */
#include "pm_net.h"

#include <stdlib.h>
#include <string.h>

#include "pm_metric.h"

static pm_status_t export_fill(const pm_net_t *net, pm_net_export_t *e, pm_diag_t *diag,
                               pm_error_t *err);

void pm_net_export_destroy(pm_net_export_t *e)
{
    if (!e)
        return;
    for (size_t i = 0; e->places && i < e->x.n_places; i++)
        if (e->places[i].geom)
            OGR_G_DestroyGeometry(e->places[i].geom);
    free(e->places);
    free(e->ties);
    for (size_t i = 0; e->text && i < e->n_text; i++)
        free(e->text[i]);
    free(e->text);
    for (size_t i = 0; i < e->n_owned; i++)
        free(e->owned[i]);
    pm_spatial_destroy(&e->spatial);
    memset(e, 0, sizeof *e);
}

/* Appends a metric column; values become e's (freed with it) when owned. */
static void add_metric(pm_net_export_t *e, const char *name, int integer, const double *values,
                       int owned)
{
    if (owned)
        e->owned[e->n_owned++] = (double *)values;
    e->metrics[e->x.n_metrics++] = (pm_export_metric_t){name, integer, values};
}

/* The registry's exported metrics: the graph's, then the tie lengths. */
static pm_status_t fill_metrics(const pm_net_t *net, pm_net_export_t *e, pm_error_t *err)
{
    double *mean = NULL, *max = NULL;
    for (size_t i = 0; i < pm_metric_count(); i++) {
        const pm_metric_info_t *mi = pm_metric_at(i);
        int integer = mi->kind != PM_METRIC_REAL;
        if (!mi->exported || ((mi->needs & PM_METRIC_NEEDS_DIRECTED) && !net->g.directed))
            continue;
        if (mi->needs & PM_METRIC_NEEDS_GEO) {
            if (!mean) {
                pm_status_t st = pm_net_place_lengths(net, &e->spatial, &mean, &max, err);
                if (st)
                    return st;
                e->owned[e->n_owned++] = mean;
                e->owned[e->n_owned++] = max;
            }
            add_metric(e, mi->name, integer, !strcmp(mi->name, "mean_tie_km") ? mean : max, 0);
            continue;
        }
        int owned = 0;
        const double *v = pm_metrics_get(&net->m, mi->name, &owned);
        if (!v)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        add_metric(e, mi->name, integer, v, owned);
    }
    return PM_OK;
}

static pm_status_t fill_places(const pm_net_t *net, pm_net_export_t *e, pm_diag_t *diag,
                               pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    size_t without = 0;
    for (size_t v = 0; v < g->n_nodes; v++) {
        const pm_join_match_t *jm = pm_net_match(net, v);
        pm_export_place_t *p = &e->places[v];
        *p = (pm_export_place_t){g->name[v],
                                 jm->code,
                                 jm->name,
                                 jm->name_en,
                                 jm->name_ru,
                                 jm->country,
                                 g->group ? g->group[v] : NULL,
                                 pm_match_kind_name(jm->kind),
                                 jm->lon,
                                 jm->lat,
                                 NULL};
        if (jm->unit == PM_JOIN_NO_UNIT) {
            without++;
            continue;
        }
        pm_error_t gerr;
        if (pm_geo_geometry(net->geo, jm->unit, &p->geom, &gerr)) {
            if (gerr.code == PM_ENOMEM)
                return pm_error_set(err, PM_ENOMEM, "out of memory");
            pm_diag_add(diag, NULL, "no geometry for '%s' (written without): %s", g->name[v],
                        gerr.msg);
            p->geom = NULL;
        }
    }
    if (without)
        pm_diag_add(diag, NULL,
                    "%zu place%s without a unit written without geometry, and %s ties "
                    "without a line",
                    without, without == 1 ? "" : "s", without == 1 ? "its" : "their");
    return PM_OK;
}

/* Cell k of tie row i: 0 type, 1 confidence, then the other columns; NULL when empty. */
static const char *row_text(const pm_ties_t *t, size_t i, size_t k)
{
    const char *v = k == 0   ? t->type[i]
                    : k == 1 ? t->confidence[i]
                             : t->attr[i * t->n_attr + k - 2];
    return v && *v ? v : NULL;
}

/* Appends "; " and v to *cur (or makes it v). Returns 0, or -1 when out of memory. */
static int join_value(char **cur, const char *v)
{
    size_t a = *cur ? strlen(*cur) : 0, b = strlen(v);
    char *n = realloc(*cur, a + b + 3);
    if (!n)
        return -1;
    if (a)
        memcpy(n + a, "; ", 2), a += 2;
    memcpy(n + a, v, b + 1);
    *cur = n;
    return 0;
}

/* The ties' start, end, type, confidence and other columns, merged over the rows of each tie:
 * the earliest start given; the latest end, or none when a row has none (still active or not
 * known); the different values of a text column in row order, joined with "; ". */
static pm_status_t merge_rows(const pm_net_t *net, pm_net_export_t *e, pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    const pm_ties_t *t = &net->ties;
    size_t nk = 2 + t->n_attr, ne = g->n_edges;
    size_t *first = malloc((ne ? ne : 1) * sizeof *first);
    size_t *next = malloc((t->n ? t->n : 1) * sizeof *next);
    unsigned char *open_end = calloc(ne ? ne : 1, 1);
    e->n_text = ne * nk;
    e->text = calloc(e->n_text ? e->n_text : 1, sizeof *e->text);
    pm_status_t st = PM_OK;
    if (!first || !next || !open_end || !e->text) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < ne; k++) {
        first[k] = (size_t)-1;
        e->ties[k].start = e->ties[k].end = PM_EXPORT_NO_YEAR;
    }
    for (size_t i = t->n; i-- > 0;) { /* each tie's rows, in file order */
        size_t k = g->tie_edge[i];
        if (k == (size_t)-1)
            continue;
        next[i] = first[k];
        first[k] = i;
    }
    for (size_t k = 0; k < ne; k++)
        for (size_t i = first[k]; i != (size_t)-1; i = next[i]) {
            pm_export_tie_t *x = &e->ties[k];
            if (t->start[i] != PM_YEAR_NONE &&
                (x->start == PM_EXPORT_NO_YEAR || t->start[i] < x->start))
                x->start = t->start[i];
            if (t->end[i] == PM_YEAR_NONE)
                open_end[k] = 1;
            else if (x->end == PM_EXPORT_NO_YEAR || t->end[i] > x->end)
                x->end = t->end[i];
            for (size_t c = 0; c < nk; c++) {
                const char *v = row_text(t, i, c);
                int seen = !v;
                for (size_t j = first[k]; !seen && j != i; j = next[j])
                    seen = row_text(t, j, c) && !strcmp(row_text(t, j, c), v);
                if (!seen && join_value(&e->text[k * nk + c], v)) {
                    st = pm_error_set(err, PM_ENOMEM, "out of memory");
                    goto cleanup;
                }
            }
        }
    for (size_t k = 0; k < ne; k++) {
        if (open_end[k])
            e->ties[k].end = PM_EXPORT_NO_YEAR;
        e->ties[k].type = e->text[k * nk];
        e->ties[k].confidence = e->text[k * nk + 1];
        e->ties[k].attr = (const char *const *)&e->text[k * nk + 2];
    }
    e->x.tie_attr_names = (const char *const *)t->attr_name;
    e->x.n_tie_attrs = t->n_attr;
cleanup:
    free(first);
    free(next);
    free(open_end);
    return st;
}

/* Warns about the tie table's columns that the outputs name otherwise. */
static pm_status_t warn_renamed(const pm_net_export_t *e, pm_diag_t *diag, pm_error_t *err)
{
    char **names = NULL;
    pm_status_t st = pm_export_tie_attr_names_new(&e->x, &names, err);
    if (st)
        return st;
    for (size_t j = 0; j < e->x.n_tie_attrs; j++) {
        if (strcmp(names[j], e->x.tie_attr_names[j]))
            pm_diag_add(diag, NULL, "column '%s' is written as '%s' (%s)", e->x.tie_attr_names[j],
                        names[j],
                        strspn(e->x.tie_attr_names[j],
                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                                strlen(e->x.tie_attr_names[j])
                            ? "the name is taken by one of partnermap's columns"
                            : "output columns are named with letters, digits and '_'");
        free(names[j]);
    }
    free(names);
    return PM_OK;
}

/* igraph keeps an undirected edge's ends in its own order; turn each tie the way its first row
 * names it, so that from/to read as in the table. */
static void orient_as_written(const pm_net_t *net, pm_export_tie_t *ties)
{
    const pm_graph_t *g = &net->g;
    for (size_t i = net->ties.n; i-- > 0;) { /* the first row wins */
        size_t e = g->tie_edge[i];
        if (e == (size_t)-1 || ties[e].from == g->tie_from[i])
            continue;
        ties[e].to = ties[e].from;
        ties[e].from = g->tie_from[i];
    }
}

pm_status_t pm_net_export_prepare(const pm_net_t *net, pm_net_export_t *e, pm_diag_t *diag,
                                  pm_error_t *err)
{
    pm_status_t st = export_fill(net, e, diag, err);
    if (st)
        pm_net_export_destroy(e);
    return st;
}

static pm_status_t export_fill(const pm_net_t *net, pm_net_export_t *e, pm_diag_t *diag,
                               pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    memset(e, 0, sizeof *e);
    pm_spatial_init(&e->spatial);
    pm_status_t st = pm_net_spatial(net, &e->spatial, err);
    if (st)
        return st;
    e->places = calloc(g->n_nodes ? g->n_nodes : 1, sizeof *e->places);
    e->ties = calloc(g->n_edges ? g->n_edges : 1, sizeof *e->ties);
    if (!e->places || !e->ties)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    e->x.places = e->places;
    e->x.n_places = g->n_nodes;
    e->x.metrics = e->metrics;
    if ((st = fill_places(net, e, diag, err)) || (st = fill_metrics(net, e, err)))
        return st;
    for (size_t i = 0; i < g->n_edges; i++) {
        igraph_integer_t ei = (igraph_integer_t)i;
        e->ties[i] = (pm_export_tie_t){(size_t)IGRAPH_FROM(&g->g, ei),
                                       (size_t)IGRAPH_TO(&g->g, ei),
                                       g->weight[i],
                                       g->rows[i],
                                       g->probable[i],
                                       e->spatial.length_km[i],
                                       e->spatial.touching[i],
                                       e->spatial.domestic[i],
                                       PM_EXPORT_NO_YEAR,
                                       PM_EXPORT_NO_YEAR,
                                       NULL,
                                       NULL,
                                       NULL};
    }
    if ((st = merge_rows(net, e, err)) || (st = warn_renamed(e, diag, err)))
        return st;
    if (!g->directed)
        orient_as_written(net, e->ties);
    e->x.ties = e->ties;
    e->x.n_ties = g->n_edges;
    e->x.metrics = e->metrics;
    e->x.directed = g->directed;
    return PM_OK;
}
