/*
 * pm_net_report: tie lengths of a network and its statistics report (see pm_net.h).
 */
#define _GNU_SOURCE /* qsort_r */
#include "pm_net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_metric.h"

typedef struct sort_by {
    const double *key; /* NULL: by name */
    char *const *names;
    int ascending;
} sort_by_t;

static int by_key(const void *pa, const void *pb, void *ctx)
{
    const sort_by_t *s = ctx;
    const double *sort_key = s->key;
    char *const *sort_names = s->names;
    int sort_ascending = s->ascending;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (sort_key) {
        double x = sort_key[a], y = sort_key[b];
        if (isnan(x) != isnan(y))
            return isnan(x) ? 1 : -1;
        if (x != y)
            return (x > y) != sort_ascending ? -1 : 1;
    }
    int c = strcmp(sort_names[a], sort_names[b]);
    return c ? c : (a < b ? -1 : a > b);
}

pm_status_t pm_net_spatial(const pm_net_t *net, pm_spatial_t *out, pm_error_t *err)
{
    return pm_net_spatial_ex(net, NULL, out, err);
}

pm_status_t pm_net_spatial_ex(const pm_net_t *net, const pm_spatial_opts_t *so, pm_spatial_t *out,
                              pm_error_t *err)
{
    size_t ne = net->g.n_edges;
    size_t *from = malloc((ne ? ne : 1) * sizeof *from), *to = malloc((ne ? ne : 1) * sizeof *to);
    pm_status_t st;
    if (!from || !to) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
    } else {
        for (size_t e = 0; e < ne; e++) {
            from[e] = net->node_q[IGRAPH_FROM(&net->g.g, e)];
            to[e] = net->node_q[IGRAPH_TO(&net->g.g, e)];
        }
        st = pm_spatial_compute(net->geo, pm_net_places_join(net), from, to, net->g.weight, ne, so,
                                out, err);
    }
    free(from);
    free(to);
    return st;
}

pm_status_t pm_net_place_lengths(const pm_net_t *net, const pm_spatial_t *s, double **mean,
                                 double **max, pm_error_t *err)
{
    size_t n = net->g.n_nodes;
    double *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    double *sum = calloc(n ? n : 1, sizeof *sum);
    size_t *cnt = calloc(n ? n : 1, sizeof *cnt);
    if (!a || !b || !sum || !cnt) {
        free(a);
        free(b);
        free(sum);
        free(cnt);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    for (size_t v = 0; v < n; v++)
        b[v] = NAN;
    /* per graph edge (merged ties), so a place's mean is over its partners */
    for (size_t e = 0; e < net->g.n_edges; e++) {
        double l = s->length_km[e];
        if (isnan(l))
            continue;
        size_t ends[2] = {(size_t)IGRAPH_FROM(&net->g.g, e), (size_t)IGRAPH_TO(&net->g.g, e)};
        for (int k = 0; k < 2; k++) {
            sum[ends[k]] += l;
            cnt[ends[k]]++;
            if (isnan(b[ends[k]]) || l > b[ends[k]])
                b[ends[k]] = l;
        }
    }
    for (size_t v = 0; v < n; v++)
        a[v] = cnt[v] ? sum[v] / (double)cnt[v] : NAN;
    free(sum);
    free(cnt);
    *mean = a;
    *max = b;
    return PM_OK;
}

#define ITEM_INT(k, l, v, nt)                                                                      \
    {                                                                                              \
        k, l, PM_COL_INT, 0, (double)(v), NULL, nt                                                 \
    }
#define ITEM_REAL(k, l, v, d, nt)                                                                  \
    {                                                                                              \
        k, l, PM_COL_REAL, d, (v), NULL, nt                                                        \
    }
#define MAX_ITEMS 64
#define PM_NET_REPORT_COLS 20 /* place, group, unit and the registry's metrics */

static size_t graph_items(const pm_net_t *net, const pm_metrics_opts_t *mo, pm_report_item_t *it,
                          char *largest_note, char *group_note, char *level_note)
{
    const pm_metrics_t *m = &net->m;
    const pm_graph_t *g = &net->g;
    const char *wnote = mo->weights == PM_WEIGHTS_STRENGTH ? "tie length = 1/weight"
                        : mo->weights == PM_WEIGHTS_LENGTH ? "tie length = weight"
                                                           : "weights ignored";
    snprintf(largest_note, 64, "%zu places", m->largest_size);
    const pm_ties_t *t = &net->ties;
    snprintf(group_note, 200, "columns %s, %s", t->group_from_col ? t->group_from_col : "",
             t->group_to_col ? t->group_to_col : "");
    pm_report_item_t base[] = {
        ITEM_INT("places", "places", m->places, NULL),
        ITEM_INT("ties", "ties", m->ties, g->directed ? "directed" : "undirected"),
        ITEM_REAL("total_weight", "total weight", m->total_weight, 2, NULL),
        ITEM_REAL("density", "density", m->density, 4, NULL),
        ITEM_INT("components", "components", m->components, NULL),
        ITEM_REAL("largest_component_share", "share of places in the largest component",
                  m->largest_share, 4, largest_note),
        ITEM_REAL("diameter", "diameter, in ties", m->diameter_steps, 0, "largest component"),
        ITEM_REAL("diameter_weighted", "diameter, weighted", m->diameter_length, 4,
                  "largest component; tie length as below"),
        ITEM_REAL("average_path_length", "average path length, in ties", m->avg_path_steps, 4,
                  "largest component"),
        ITEM_REAL("average_path_length_weighted", "average path length, weighted",
                  m->avg_path_length, 4, wnote),
        ITEM_REAL("transitivity", "transitivity", m->transitivity, 4, "global clustering"),
        ITEM_REAL("degree_assortativity", "degree assortativity", m->assortativity, 4, NULL),
        ITEM_REAL("degree_centralization", "degree centralization", m->centralization, 4,
                  "normalised"),
        ITEM_INT("communities", "communities", m->communities,
                 mo->community == PM_COMMUNITY_LEIDEN ? "Leiden" : "Louvain"),
        ITEM_REAL("modularity", "modularity", m->modularity, 4, NULL),
    };
    size_t n = sizeof base / sizeof base[0];
    memcpy(it, base, sizeof base);
    if (m->has_groups) {
        pm_report_item_t more[] = {
            ITEM_INT("groups", "groups", m->n_groups, group_note),
            ITEM_REAL("cross_group_share", "share of ties across groups", m->cross_group_share, 4,
                      NULL),
            ITEM_REAL("cross_group_weight_share", "share of weight across groups",
                      m->cross_group_weight, 4, NULL),
            ITEM_REAL("group_assortativity", "assortativity by group", m->group_assortativity, 4,
                      NULL),
        };
        memcpy(it + n, more, sizeof more);
        n += sizeof more / sizeof more[0];
    }
    if (g->merged_rows || g->self_ties) {
        pm_report_item_t more[] = {
            ITEM_INT("rows_merged", "rows merged into existing ties", g->merged_rows, NULL),
            ITEM_INT("self_ties_left_out", "self-ties left out", g->self_ties, NULL),
        };
        memcpy(it + n, more, sizeof more);
        n += 2;
    }
    if (net->auto_city) { /* the table chose cities: the reader of the numbers is told why */
        pm_net_auto_city_note(net, level_note, 400);
        pm_report_item_t lv = {"level", "places joined at", PM_COL_TEXT, 0, 0, "city", level_note};
        it[n++] = lv;
    }
    return n;
}

/* The distance bands' keys and labels: the items point into it, so the caller keeps it as long
 * as them. */
typedef struct band_names {
    char key[16][48], label[16][64];
} band_names_t;

static size_t spatial_items(const pm_net_t *net, const pm_spatial_t *s, band_names_t *bn,
                            pm_report_item_t *it)
{
    pm_report_item_t sp[] = {
        ITEM_INT("ties_measured", "ties measured on the map", s->n_measured,
                 net->n_unmatched_places ? "places without geometry left out" : NULL),
        ITEM_REAL("tie_length_mean_km", "tie length, mean (km)", s->mean_km, 0, "great circle"),
        ITEM_REAL("tie_length_weighted_mean_km", "tie length, weighted mean (km)", s->wmean_km, 0,
                  NULL),
        ITEM_REAL("tie_length_min_km", "tie length, min (km)", s->min_km, 0, NULL),
        ITEM_REAL("tie_length_q1_km", "tie length, first quartile (km)", s->q1_km, 0, NULL),
        ITEM_REAL("tie_length_median_km", "tie length, median (km)", s->median_km, 0, NULL),
        ITEM_REAL("tie_length_q3_km", "tie length, third quartile (km)", s->q3_km, 0, NULL),
        ITEM_REAL("tie_length_max_km", "tie length, max (km)", s->max_km, 0, NULL),
        ITEM_REAL("share_neighbours", "share of ties between neighbours", s->share_touching, 4,
                  "the two units share a border"),
        ITEM_REAL("share_domestic", "share of domestic ties", s->share_domestic, 4,
                  "both places in one country"),
    };
    memcpy(it, sp, sizeof sp);
    size_t n = sizeof sp / sizeof sp[0];
    for (size_t b = 0; b < s->n_bins && b < 16; b++) {
        snprintf(bn->key[b], sizeof bn->key[b], "ties_%g_%g_km", s->bin_edges[b],
                 s->bin_edges[b + 1]);
        snprintf(bn->label[b], sizeof bn->label[b], "ties %g-%g km", s->bin_edges[b],
                 s->bin_edges[b + 1]);
        it[n++] = (pm_report_item_t)ITEM_INT(bn->key[b], bn->label[b], s->bin_count[b], NULL);
    }
    return n;
}

/* "'x': not a metric; sort by one of ..." with the registry's report columns. */
static pm_status_t not_sortable(const char *sort, pm_error_t *err)
{
    pm_buf_t graph, geo;
    pm_buf_init(&graph);
    pm_buf_init(&geo);
    for (size_t i = 0; i < pm_metric_count(); i++) {
        const pm_metric_info_t *mi = pm_metric_at(i);
        pm_buf_t *b = mi->needs & PM_METRIC_NEEDS_GEO ? &geo : &graph;
        if (mi->exported && !(mi->needs & PM_METRIC_NEEDS_DIRECTED))
            pm_buf_printf(b, "%s, ", mi->name);
    }
    if (geo.len > 1)
        geo.len -= 2, geo.data[geo.len] = '\0';
    pm_status_t st =
        pm_error_set(err, PM_EUSAGE,
                     "'%s': not a metric; sort by one of %splace (and %s with the places joined)",
                     sort, pm_buf_str(&graph), pm_buf_str(&geo));
    pm_buf_destroy(&graph);
    pm_buf_destroy(&geo);
    return st;
}

/* The places in the order of sort (mean_km/max_km: the places' tie lengths, when have_lengths). */
static pm_status_t report_order(const pm_net_t *net, const char *sort, const double *mean_km,
                                const double *max_km, int have_lengths, size_t **out,
                                pm_error_t *err)
{
    size_t n = net->g.n_nodes;
    int owned = 0;
    sort_by_t by = {NULL, net->g.name, !strcmp(sort, "community") || !strcmp(sort, "component")};
    if (!strcmp(sort, "mean_tie_km") || !strcmp(sort, "max_tie_km")) {
        if (!have_lengths)
            return pm_error_set(err, PM_EUSAGE, "'%s' needs the places joined to the geometry",
                                sort);
        by.key = !strcmp(sort, "mean_tie_km") ? mean_km : max_km;
    } else if (strcmp(sort, "place")) {
        by.key = pm_metrics_get(&net->m, sort, &owned);
        if (!by.key)
            return not_sortable(sort, err);
    }
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    if (rows) {
        for (size_t i = 0; i < n; i++)
            rows[i] = i;
        qsort_r(rows, n, sizeof *rows, by_key, &by);
    }
    if (owned)
        free((void *)by.key);
    if (!rows)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    *out = rows;
    return PM_OK;
}

pm_status_t pm_net_summary_value(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                 const pm_spatial_t *spatial, const char *key, char *buf,
                                 size_t size)
{
    pm_report_item_t items[MAX_ITEMS];
    band_names_t bands;
    char largest_note[64], group_note[200], level_note[400];
    size_t n = graph_items(net, mo, items, largest_note, group_note, level_note);
    if (spatial)
        n += spatial_items(net, spatial, &bands, items + n);
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++)
        if (!strcmp(items[k].key, key)) {
            if (items[k].kind == PM_COL_TEXT)
                snprintf(buf, size, "%s", items[k].text ? items[k].text : "");
            else
                pm_format_number(buf, size, items[k].num, items[k].kind);
            return PM_OK;
        }
    return PM_EUSAGE;
}

pm_status_t pm_net_top_places(const pm_net_t *net, size_t k, pm_buf_t *out, pm_error_t *err)
{
    size_t *rows = NULL;
    pm_status_t st = report_order(net, "strength", NULL, NULL, 0, &rows, err);
    if (st)
        return st;
    for (size_t i = 0; i < k && i < net->g.n_nodes; i++)
        pm_buf_printf(out, "%s%s", i ? "; " : "", net->g.name[rows[i]]);
    free(rows);
    return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory") : PM_OK;
}

pm_status_t pm_net_report_write(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                const pm_spatial_t *spatial, const pm_net_report_view_t *v,
                                pm_buf_t *out, pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    const pm_metrics_t *m = &net->m;
    size_t n = g->n_nodes;
    pm_status_t st = PM_OK;
    size_t *rows = NULL;
    double *mean_km = NULL, *max_km = NULL, *owned[PM_NET_REPORT_COLS] = {NULL};
    char **unit = NULL;
    pm_report_item_t items[MAX_ITEMS];
    band_names_t bands;
    char largest_note[64], group_note[200], level_note[400];
    size_t n_items = graph_items(net, mo, items, largest_note, group_note, level_note);
    pm_report_col_t cols[PM_NET_REPORT_COLS] = {
        {"place", NULL, PM_COL_TEXT, 0, NULL, (const char *const *)g->name}};
    size_t n_cols = 1;
    if (net->geo) {
        unit = calloc(n ? n : 1, sizeof *unit);
        if (!unit) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++) {
            const pm_join_match_t *jm = pm_net_match(net, i);
            unit[i] = (char *)(jm->code ? jm->code : "");
        }
    }
    if (spatial) {
        if ((st = pm_net_place_lengths(net, spatial, &mean_km, &max_km, err)))
            goto cleanup;
        n_items += spatial_items(net, spatial, &bands, items + n_items);
    }
    /* the registry's metrics of this network, in its order; the group before the directed ones,
     * the unit before the tie lengths */
    int group_done = 0, unit_done = 0;
    for (size_t i = 0; i < pm_metric_count(); i++) {
        const pm_metric_info_t *mi = pm_metric_at(i);
        if (!mi->exported)
            continue;
        if (!group_done && (mi->needs & (PM_METRIC_NEEDS_DIRECTED | PM_METRIC_NEEDS_GEO))) {
            group_done = 1;
            if (g->group)
                cols[n_cols++] = (pm_report_col_t){"group", NULL, PM_COL_TEXT,
                                                   0,       NULL, (const char *const *)g->group};
        }
        if (!unit_done && (mi->needs & PM_METRIC_NEEDS_GEO)) {
            unit_done = 1;
            if (unit)
                cols[n_cols++] = (pm_report_col_t){"unit", NULL, PM_COL_TEXT,
                                                   0,      NULL, (const char *const *)unit};
        }
        const double *val;
        if (mi->needs & PM_METRIC_NEEDS_GEO) {
            if (!spatial)
                continue;
            val = !strcmp(mi->name, "mean_tie_km") ? mean_km : max_km;
        } else if ((mi->needs & PM_METRIC_NEEDS_DIRECTED) && !g->directed) {
            continue;
        } else {
            int own = 0;
            val = pm_metrics_get(m, mi->name, &own);
            if (own)
                owned[n_cols] = (double *)val;
            if (!val) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                goto cleanup;
            }
        }
        int dec = !strcmp(mi->name, "betweenness") && !mo->normalized ? 2 : mi->decimals;
        cols[n_cols++] = (pm_report_col_t){
            mi->name, mi->header, mi->kind == PM_METRIC_REAL ? PM_COL_REAL : PM_COL_INT,
            dec,      val,        NULL};
    }
    const char *sort = v->sort ? v->sort : "strength";
    if ((st = report_order(net, sort, mean_km, max_km, spatial != NULL, &rows, err)))
        goto cleanup;
    size_t shown = n;
    if (v->top)
        shown = v->top < shown ? v->top : shown;
    else if (v->format == PM_FMT_TERMINAL && v->to_terminal && shown > 20)
        shown = 20;
    char caption[96];
    snprintf(caption, sizeof caption, "places by %s", sort);
    pm_report_t r = {v->title, items, n_items, cols, n_cols, rows, shown, n, caption};
    st = v->summary_only ? pm_report_write_summary(&r, v->format, out, err)
                         : pm_report_write(&r, v->format, out, err);
cleanup:
    for (size_t i = 0; i < PM_NET_REPORT_COLS; i++)
        free(owned[i]);
    free(rows);
    free(unit);
    free(mean_km);
    free(max_km);
    return st;
}
