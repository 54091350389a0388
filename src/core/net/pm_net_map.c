/*
 * pm_net_map: a joined, measured network -> the renderer's plain input (see pm_net.h).
 */
#include "pm_net.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_buf.h"
#include "pm_metric.h"

pm_status_t pm_net_map_spatial(const pm_net_t *net, pm_net_map_t *d, const pm_spatial_t **out,
                               pm_error_t *err)
{
    if (!d->have_spatial) {
        pm_status_t st = pm_net_spatial(net, &d->spatial, err);
        if (st)
            return st;
        d->have_spatial = 1;
    }
    *out = &d->spatial;
    return PM_OK;
}

/* "'x' is not a metric; use a, b, c" from the registry (the metrics of every graph). */
static pm_status_t not_a_metric(const char *name, pm_error_t *err)
{
    pm_buf_t b;
    pm_buf_init(&b);
    for (size_t i = 0; i < pm_metric_count(); i++) {
        const pm_metric_info_t *m = pm_metric_at(i);
        if (!(m->needs & PM_METRIC_NEEDS_DIRECTED))
            pm_buf_printf(&b, "%s%s", b.len ? ", " : "", m->name);
    }
    pm_status_t st = pm_error_set(err, PM_EUSAGE, "'%s' is not a metric; use %s", name,
                                  b.failed ? "a metric" : pm_buf_str(&b));
    pm_buf_destroy(&b);
    return st;
}

pm_status_t pm_net_metric(const pm_net_t *net, pm_net_map_t *d, const char *name, double **out,
                          pm_error_t *err)
{
    size_t n = net->g.n_nodes;
    const pm_metric_info_t *info = pm_metric_find(name);
    if (info && (info->needs & PM_METRIC_NEEDS_GEO)) {
        double *mean = NULL, *max = NULL;
        const pm_spatial_t *s;
        pm_status_t st = pm_net_map_spatial(net, d, &s, err);
        if (!st)
            st = pm_net_place_lengths(net, s, &mean, &max, err);
        if (st)
            return st;
        int want_mean = !strcmp(name, "mean_tie_km");
        free(want_mean ? max : mean);
        *out = want_mean ? mean : max;
        return PM_OK;
    }
    int owned;
    /* pagerank_n: PageRank times the number of places, 1 = the average place whatever the
     * network's size (PageRank sums to 1 in each network) */
    int per_n = !strcmp(name, "pagerank_n");
    const double *v = pm_metrics_get(&net->m, per_n ? "pagerank" : name, &owned);
    if (!v)
        return not_a_metric(name, err);
    double *c = malloc((n ? n : 1) * sizeof *c);
    if (!c) {
        if (owned)
            free((void *)v);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    memcpy(c, v, n * sizeof *c);
    for (size_t i = 0; per_n && i < n; i++)
        c[i] *= (double)n;
    if (owned)
        free((void *)v);
    *out = c;
    return PM_OK;
}

void pm_net_map_free_polygons(void *data)
{
    pm_net_map_t *d = data;
    for (size_t i = 0; d->geoms && i < d->n; i++) {
        if (d->geoms[i])
            OGR_G_DestroyGeometry(d->geoms[i]);
        d->geoms[i] = NULL;
        if (d->places)
            d->places[i].polygon = NULL;
    }
    malloc_trim(0);
}

void pm_net_map_destroy(pm_net_map_t *d)
{
    if (!d)
        return;
    pm_net_map_free_polygons(d);
    free(d->geoms);
    free(d->places);
    free(d->ties);
    free(d->fill);
    free(d->size);
    free(d->basemap_path);
    pm_spatial_destroy(&d->spatial);
    memset(d, 0, sizeof *d);
}

static const char *label_of(const pm_net_t *net, size_t v, const char *field)
{
    const pm_join_match_t *jm = pm_net_match(net, v);
    const char *s = NULL;
    if (!field || !strcmp(field, "name"))
        s = NULL;
    else if (!strcmp(field, "name_en"))
        s = jm->name_en;
    else if (!strcmp(field, "name_ru"))
        s = jm->name_ru;
    else if (!strcmp(field, "name_local"))
        s = jm->name_local;
    else if (!strcmp(field, "unit"))
        s = jm->name;
    else if (!strcmp(field, "code"))
        s = jm->code;
    return s && *s ? s : net->g.name[v];
}

/* The default geodata's countries (and regions, at admin-1 level with the default geometry) as
 * context, also under a user's geometry, whose layer may hold only the units of the study. */
static pm_status_t basemap(const pm_net_opts_t *no, pm_net_map_t *d, pm_error_t *err)
{
    d->basemap_path = pm_geo_default_source_dup();
    if (!d->basemap_path)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    pm_map_basemap_t *bm = &d->map.basemap;
    bm->path = d->basemap_path;
    bm->countries = "countries";
    bm->admin1 = no->level != PM_NET_ADMIN1 || no->geo.source ? NULL : "admin1";
    return PM_OK;
}

/* Legend titles, categorical fill and the weight title. */
static void complete_opts(const pm_net_t *net, const pm_net_map_opts_t *mo, pm_map_opts_t *m,
                          pm_net_map_t *d)
{
    m->fill_title = mo->fill ? pm_metric_title(mo->fill) : NULL;
    m->size_title = mo->circles ? pm_metric_title(mo->circles) : NULL;
    snprintf(d->weight_title, sizeof d->weight_title, "Ties: %s",
             net->ties.weight_col ? net->ties.weight_col : "count");
    m->weight_title = d->weight_title;
    const pm_metric_info_t *fill = pm_metric_find(mo->fill);
    m->categorical = fill && fill->kind == PM_METRIC_CATEGORY;
    if (net->n_cities) { /* GeoNames' licence (CC BY 4.0) asks for the attribution */
        const char *geonames = "Cities: GeoNames (geonames.org), CC BY 4.0";
        if (!m->credit || !*m->credit)
            snprintf(d->credit, sizeof d->credit, "%s", geonames);
        else if (!strstr(m->credit, "GeoNames")) {
            /* one full stop between the two sentences, whether or not the credit ends with one */
            size_t len = strlen(m->credit);
            const char *sep = len && m->credit[len - 1] == '.' ? " " : ". ";
            snprintf(d->credit, sizeof d->credit, "%s%s%s", m->credit, sep, geonames);
        } else
            snprintf(d->credit, sizeof d->credit, "%s", m->credit);
        m->credit = d->credit;
    }
    /* units that only stand in for the historical ones named are said on the map itself */
    size_t na = pm_join_approx_list(&net->join, 0, NULL);
    if (na) {
        pm_buf_t b;
        pm_buf_init(&b);
        const char *given = m->credit && *m->credit ? m->credit : "";
        size_t len = strlen(given);
        pm_buf_printf(&b, "%s%s", given, !len ? "" : given[len - 1] == '.' ? " " : ". ");
        pm_buf_printf(&b, "Approximated by today's units: ");
        pm_join_approx_list(&net->join, 3, &b);
        pm_buf_puts(&b, " (see the join report)");
        snprintf(d->credit, sizeof d->credit, "%s", b.data ? b.data : given);
        pm_buf_destroy(&b);
        m->credit = d->credit;
    }
}

pm_status_t pm_net_map_prepare(const pm_net_t *net, const pm_net_opts_t *no,
                               const pm_net_map_opts_t *mo, pm_map_opts_t *opts, pm_net_map_t *d,
                               pm_diag_t *diag, pm_error_t *err)
{
    memset(d, 0, sizeof *d);
    pm_spatial_init(&d->spatial);
    const pm_graph_t *g = &net->g;
    size_t n = g->n_nodes;
    pm_status_t st = PM_OK;
    if (!net->geo) {
        st = pm_error_set(err, PM_EUSAGE, "a map needs the places joined to a geometry");
        goto cleanup;
    }
    if ((st = basemap(no, d, err)))
        goto cleanup;
    complete_opts(net, mo, opts, d);
    d->n = n;
    d->places = calloc(n ? n : 1, sizeof *d->places);
    d->ties = calloc(g->n_edges ? g->n_edges : 1, sizeof *d->ties);
    d->geoms = calloc(n ? n : 1, sizeof *d->geoms);
    if (!d->places || !d->ties || !d->geoms) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (mo->fill && (st = pm_net_metric(net, d, mo->fill, &d->fill, err)))
        goto cleanup;
    if (mo->circles && (st = pm_net_metric(net, d, mo->circles, &d->size, err)))
        goto cleanup;
    for (size_t v = 0; v < n; v++) {
        pm_map_place_t *p = &d->places[v];
        const pm_join_match_t *jm = pm_net_match(net, v);
        p->lon = jm->lon;
        p->lat = jm->lat;
        p->label = label_of(net, v, mo->label);
        p->fill = d->fill ? d->fill[v] : NAN;
        p->size = d->size ? d->size[v] : NAN;
        p->matched = jm->unit != PM_JOIN_NO_UNIT;
        if (p->matched) {
            const pm_geo_unit_t *u = pm_geo_unit(net->geo, jm->unit);
            if (u->kind != PM_UNIT_POINT) {
                pm_status_t gs = pm_geo_geometry(net->geo, jm->unit, &d->geoms[v], err);
                if (gs == PM_ENOMEM) { /* not a defect of this polygon: the map would lack it */
                    st = gs;
                    goto cleanup;
                }
                if (gs) {
                    pm_diag_add(diag, NULL, "no polygon for '%s': %s", g->name[v], err->msg);
                    pm_error_clear(err);
                    d->geoms[v] = NULL;
                }
            }
            p->polygon = d->geoms[v];
        }
    }
    for (size_t e = 0; e < g->n_edges; e++) {
        d->ties[e].from = (size_t)IGRAPH_FROM(&g->g, e);
        d->ties[e].to = (size_t)IGRAPH_TO(&g->g, e);
        d->ties[e].weight = g->weight[e];
        d->ties[e].style = g->probable[e] ? PM_TIE_PROBABLE : PM_TIE_DOCUMENTED;
    }
    d->map.places = d->places;
    d->map.n_places = n;
    d->map.ties = d->ties;
    d->map.n_ties = g->n_edges;
    d->map.directed = g->directed;
    return PM_OK;
cleanup:
    pm_net_map_destroy(d);
    return st;
}
