/*
 * cli_map: network -> renderer input, and the map options (see cli_map.h).
 */
#include "cli_map.h"

#include <ctype.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_stats.h"
#include "pm_io.h"
#include "pm_report.h"
#include "pm_runtime.h"

void cli_map_opts_init(cli_map_opts_t *o)
{
    memset(o, 0, sizeof *o);
    pm_map_opts_init(&o->map);
    o->fill = "pagerank";
    o->circles = "strength";
    o->label = "name";
}

void cli_map_opts_destroy(cli_map_opts_t *o)
{
    (void)o; /* nothing owned yet; kept so callers pair init and destroy */
}

/* "180x120mm", "7x5in", "16x10cm", "120x90" (mm). Returns 0 on success. */
static int parse_dims(const char *s, double *w, double *h)
{
    char *end;
    double a = strtod(s, &end);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *p = end + 1;
    double b = strtod(p, &end);
    if (end == p)
        return -1;
    double f = 1;
    if (!*end || !strcmp(end, "mm"))
        f = 1;
    else if (!strcmp(end, "cm"))
        f = 10;
    else if (!strcmp(end, "in"))
        f = 25.4;
    else
        return -1;
    if (!(a > 0) || !(b > 0) || a * f > 2000 || b * f > 2000)
        return -1;
    *w = a * f;
    *h = b * f;
    return 0;
}

static int set_page(const char *cmd, const char *arg, cli_map_opts_t *o)
{
    pm_error_t err;
    if (!parse_dims(arg, &o->map.width_mm, &o->map.height_mm))
        return 1;
    if (pm_render_parse_page(arg, &o->map.width_mm, &o->map.height_mm, &err)) {
        cli_usage_error(cmd,
                        "page size '%s': write WxH with mm, cm or in (180x120mm, 7x5in), "
                        "or single / double (journal column widths)",
                        arg);
        return -1;
    }
    return 1;
}

int cli_map_option(const char *cmd, int opt, const char *arg, cli_map_opts_t *o)
{
    pm_error_t err;
    long v;
    switch (opt) {
    case OPT_FILL:
        o->fill = strcmp(arg, "none") ? arg : NULL;
        return 1;
    case OPT_CIRCLES:
        o->circles = strcmp(arg, "none") ? arg : NULL;
        return 1;
    case OPT_SIZE:
        /* a page size (digits first, or single/double) or the circles' metric */
        if (isdigit((unsigned char)arg[0]) || !strcmp(arg, "single") || !strcmp(arg, "double"))
            return set_page(cmd, arg, o);
        o->circles = strcmp(arg, "none") ? arg : NULL;
        return 1;
    case OPT_PAGE:
        return set_page(cmd, arg, o);
    case OPT_CLASSES:
        if (!strncmp(arg, "manual:", 7)) {
            size_t n = 0;
            const char *p = arg + 7;
            while (*p && n < PM_CLASSIFY_MAX + 2) {
                char *end;
                o->manual[n++] = strtod(p, &end);
                if (end == p || (*end && *end != ',')) {
                    cli_usage_error(cmd, "--classes '%s': write manual:0,1,5,10", arg);
                    return -1;
                }
                p = *end ? end + 1 : end;
            }
            o->map.classify = PM_CLASSIFY_MANUAL;
            o->map.manual_breaks = o->manual;
            o->map.n_manual_breaks = n;
            return 1;
        }
        if (pm_classify_parse_method(arg, &o->map.classify, &err)) {
            cli_usage_error(cmd, "--classes '%s': use quantile, equal, jenks or manual:0,1,5,10",
                            arg);
            return -1;
        }
        return 1;
    case OPT_NCLASSES:
        if (cli_parse_long(arg, 1, PM_CLASSIFY_MAX, &v)) {
            cli_usage_error(cmd, "--nclasses '%s': give 1 to %d", arg, PM_CLASSIFY_MAX);
            return -1;
        }
        o->map.n_classes = (size_t)v;
        return 1;
    case OPT_PALETTE:
        o->map.palette = arg;
        return 1;
    case OPT_DPI:
        if (cli_parse_long(arg, 30, 2400, &v)) {
            cli_usage_error(cmd, "--dpi '%s': give 30 to 2400", arg);
            return -1;
        }
        o->map.dpi = (double)v;
        return 1;
    case OPT_THEME:
        if (pm_render_parse_theme(arg, &o->map.theme, &err)) {
            cli_usage_error(cmd, "--theme '%s': use color or print", arg);
            return -1;
        }
        return 1;
    case OPT_CRS:
        o->map.crs = arg;
        return 1;
    case OPT_EXTENT:
        if (pm_render_parse_extent(arg, o->map.extent, &err)) {
            cli_usage_error(cmd, "%s", err.msg);
            return -1;
        }
        o->map.has_extent = 1;
        return 1;
    case OPT_LABEL:
        if (strcmp(arg, "name") && strcmp(arg, "name_en") && strcmp(arg, "name_ru") &&
            strcmp(arg, "name_local") && strcmp(arg, "unit") && strcmp(arg, "code") &&
            strcmp(arg, "none")) {
            cli_usage_error(cmd,
                            "--label '%s': use name, name_en, name_ru, name_local, unit, "
                            "code or none",
                            arg);
            return -1;
        }
        o->label = arg;
        o->map.no_labels = !strcmp(arg, "none");
        return 1;
    case OPT_NO_LABELS:
        o->map.no_labels = 1;
        return 1;
    case OPT_TITLE:
        o->map.title = arg;
        return 1;
    case OPT_CREDIT:
        o->map.credit = arg;
        return 1;
    case OPT_STATS_OUT:
        o->stats_out = arg;
        return 1;
    case OPT_JOIN_OUT:
        o->join_out = arg;
        return 1;
    default:
        return 0;
    }
}

const char *cli_map_metric_title(const char *name)
{
    static const struct {
        const char *name, *title;
    } titles[] = {{"degree", "Degree"},
                  {"strength", "Strength"},
                  {"betweenness", "Betweenness"},
                  {"closeness", "Closeness (harmonic)"},
                  {"eigenvector", "Eigenvector centrality"},
                  {"pagerank", "PageRank"},
                  {"pagerank_n", "PageRank \xc3\x97 n (1 = average)"},
                  {"community", "Community"},
                  {"component", "Component"},
                  {"mean_tie_km", "Mean tie length (km)"},
                  {"max_tie_km", "Longest tie (km)"},
                  {"in_degree", "In-degree"},
                  {"out_degree", "Out-degree"}};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (!strcmp(titles[i].name, name))
            return titles[i].title;
    return name;
}

/* The spatial statistics of net, computed on first need and kept in d. */
static pm_status_t spatial_of(const cli_net_t *net, cli_map_data_t *d, pm_error_t *err)
{
    if (d->have_spatial)
        return PM_OK;
    pm_status_t st = cli_stats_spatial(net, &d->spatial, err);
    d->have_spatial = !st;
    return st;
}

pm_status_t cli_map_metric(const cli_net_t *net, cli_map_data_t *d, const char *name, double **out,
                           pm_error_t *err)
{
    size_t n = net->g.n_nodes;
    if (!strcmp(name, "mean_tie_km") || !strcmp(name, "max_tie_km")) {
        double *mean = NULL, *max = NULL;
        pm_status_t st = spatial_of(net, d, err);
        if (!st)
            st = cli_stats_place_lengths(net, &d->spatial, &mean, &max, err);
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
        return pm_error_set(err, PM_EUSAGE,
                            "'%s' is not a metric; use degree, strength, betweenness, closeness, "
                            "eigenvector, pagerank, pagerank_n, community, component, mean_tie_km, "
                            "max_tie_km",
                            name);
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

void cli_map_free_polygons(void *data)
{
    cli_map_data_t *d = data;
    for (size_t i = 0; d->geoms && i < d->n; i++) {
        if (d->geoms[i])
            OGR_G_DestroyGeometry(d->geoms[i]);
        d->geoms[i] = NULL;
        if (d->places)
            d->places[i].polygon = NULL;
    }
    malloc_trim(0);
}

void cli_map_data_destroy(cli_map_data_t *d)
{
    if (!d)
        return;
    cli_map_free_polygons(d);
    free(d->geoms);
    free(d->places);
    free(d->ties);
    free(d->fill);
    free(d->size);
    pm_spatial_destroy(&d->spatial);
    memset(d, 0, sizeof *d);
}

static const char *label_of(const cli_net_t *net, size_t v, const char *field)
{
    const pm_join_match_t *jm = &net->join.m[net->node_q[v]];
    const char *s = NULL;
    if (!strcmp(field, "name_en"))
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
 * context, also under a user's --geo, whose layer may hold only the units of the study. */
static void basemap(const cli_net_opts_t *no, pm_map_basemap_t *bm)
{
    static char world[4096];
    snprintf(world, sizeof world, "%s/world.gpkg", pm_runtime_datadir());
    bm->path = world;
    bm->countries = "countries";
    bm->admin1 = (no->level && strcmp(no->level, "admin1")) || no->geo.source ? NULL : "admin1";
}

/* Legend titles, categorical fill and the command line for the figure's metadata. */
static void complete_opts(const cli_net_t *net, cli_map_opts_t *o)
{
    pm_map_opts_t *m = &o->map;
    m->fill_title = o->fill ? cli_map_metric_title(o->fill) : NULL;
    m->size_title = o->circles ? cli_map_metric_title(o->circles) : NULL;
    snprintf(o->weight_title, sizeof o->weight_title, "Ties: %s",
             net->ties.weight_col ? net->ties.weight_col : "count");
    m->weight_title = o->weight_title;
    m->command_line = cli_command_line();
    m->categorical = o->fill && (!strcmp(o->fill, "community") || !strcmp(o->fill, "component"));
}

pm_status_t cli_map_prepare(const cli_net_t *net, const cli_net_opts_t *no, cli_map_opts_t *o,
                            cli_map_data_t *d, pm_diag_t *diag, pm_error_t *err)
{
    memset(d, 0, sizeof *d);
    pm_spatial_init(&d->spatial);
    basemap(no, &d->map.basemap);
    complete_opts(net, o);
    const pm_graph_t *g = &net->g;
    size_t n = g->n_nodes;
    pm_status_t st = PM_OK;
    d->n = n;
    d->places = calloc(n ? n : 1, sizeof *d->places);
    d->ties = calloc(g->n_edges ? g->n_edges : 1, sizeof *d->ties);
    d->geoms = calloc(n ? n : 1, sizeof *d->geoms);
    if (!d->places || !d->ties || !d->geoms) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (o->fill && (st = cli_map_metric(net, d, o->fill, &d->fill, err)))
        goto cleanup;
    if (o->circles && (st = cli_map_metric(net, d, o->circles, &d->size, err)))
        goto cleanup;
    for (size_t v = 0; v < n; v++) {
        pm_map_place_t *p = &d->places[v];
        const pm_join_match_t *jm = &net->join.m[net->node_q[v]];
        p->lon = jm->lon;
        p->lat = jm->lat;
        p->label = label_of(net, v, o->label);
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
    cli_map_data_destroy(d);
    return st;
}

pm_status_t cli_map_side_outputs(const cli_net_t *net, const cli_net_opts_t *no,
                                 const cli_map_opts_t *o, cli_map_data_t *d, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    pm_buf_t b;
    pm_buf_init(&b);
    if (o->stats_out) {
        /* "-": the summary and the top ten places on standard output, for people */
        int people = !strcmp(o->stats_out, "-");
        cli_stats_view_t v = {
            people ? PM_FMT_TERMINAL : PM_FMT_CSV, NULL, people ? 10 : 0, 0, 0, NULL};
        st = spatial_of(net, d, err);
        if (!st)
            st = cli_stats_write(net, &no->metrics, &d->spatial, &v, &b, err);
        if (!st)
            st = pm_io_write_atomic(o->stats_out, pm_buf_str(&b), b.len, err);
    }
    pm_buf_reset(&b);
    if (!st && o->join_out) {
        st = pm_join_report(&net->join, PM_JOIN_REPORT_CSV, &b, err);
        if (!st)
            st = pm_io_write_atomic(o->join_out, pm_buf_str(&b), b.len, err);
    }
    pm_buf_destroy(&b);
    return st;
}
