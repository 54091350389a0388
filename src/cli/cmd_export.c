/*
 * cmd_export: `partnermap export TIES -o net.gpkg [-o net.graphml ...]` — the joined, measured
 * network for other tools: places (polygons or points, every metric) and ties (great-circle lines,
 * lengths) as GeoPackage or GeoJSON for QGIS, nodes and edges as GraphML or GML for Gephi.
 *
 * This file runs the shared pipeline (cli_net), reads the places' geometries and the ties' lengths,
 * and hands plain arrays to the core writer (pm_export_write), which owns every format detail.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"
#include "cli_stats.h"
#include "pm_export.h"

enum { OPT_DENSIFY = OPT_CLI_NET_LAST + 1 };

#define MAX_OUTPUTS 16

static const char help[] =
    "usage: partnermap export [options] TIES -o FILE [-o FILE...]\n"
    "\n"
    "Writes the network of TIES, its places joined to their polygons (or points), for QGIS or\n"
    "Gephi. The format of each FILE comes from its extension:\n"
    "  .gpkg      GeoPackage (QGIS): layers 'places' (polygons, or points for --places cities)\n"
    "             and 'ties' (lines), EPSG:4326\n"
    "  .geojson   GeoJSON (QGIS, web maps): one layer per file, so X.geojson holds the places\n"
    "             and X_ties.geojson the ties (RFC 7946, EPSG:4326)\n"
    "  .graphml   GraphML (Gephi, yEd, igraph, networkx)\n"
    "  .gml       GML, Graph Modelling Language (Gephi, igraph); UTF-8 text (networkx reads\n"
    "             only ASCII GML: give it the .graphml)\n"
    "\n"
    "Places: id, place (as written), unit, unit_name, name_en, name_ru, country, match (how it\n"
    "matched), group (when the table has one), anchor_lon, anchor_lat, degree, strength,\n"
    "betweenness, closeness, eigenvector, pagerank, community, component, in_degree and\n"
    "out_degree (--directed), mean_tie_km, max_tie_km.\n"
    "Ties (graph edges: rows naming the same pair merged): from_id, to_id, from, to, weight,\n"
    "rows (rows merged), probable (1 when every row was probable), length_km (great circle\n"
    "between the anchors), touching (1 when the units share a border), domestic (1 when both\n"
    "are in one country), start, end (years), start_date, end_date (dates, for QGIS's temporal\n"
    "controller: 1 January of start, 31 December of end), type, confidence, then the table's\n"
    "other columns as text. A merged tie has the earliest start, the latest end (none when a\n"
    "row has none), and each text column's different values joined with '; '. A tie is drawn\n"
    "along the great circle, with a point every --densify km, and split where it crosses the\n"
    "180th meridian.\n"
    "In GraphML and GML a place's id is the node id, 'place' is the node's label, and the\n"
    "anchor is x/y (Gephi's positions: x = longitude, y = latitude) and longitude/latitude (for\n"
    "Gephi's GeoLayout); edges carry the tie fields but from_id, to_id, from and to.\n"
    "With --allow-unmatched, a place that matched no unit is kept without geometry (and its ties\n"
    "without a line): the statistics were computed with it.\n"
    "\n";

/* (two strings: C11 compilers need only take 4095 characters in one) */
static const char help_options[] = CLI_TIES_HELP
    "\n" CLI_GEO_HELP "\n" CLI_METRICS_HELP "\n"
    "Output:\n"
    "  -o, --output FILE   a file to write (repeatable); written whole or not at all\n"
    "  --densify KM        spacing of the points along a tie's line (default 50)\n"
    "  -h, --help          this help\n"
    "\n";

/* What the export hands to pm_export_write, with everything it owns. */
typedef struct export_data {
    pm_export_t x;
    pm_export_place_t *places;
    pm_export_tie_t *ties;
    pm_export_metric_t metrics[16];
    double *owned[16];
    size_t n_owned;
    pm_spatial_t spatial;
    char **text; /* per tie: type, confidence, then the other columns, merged (owned) */
    size_t n_text;
} export_data_t;

static void export_data_destroy(export_data_t *e)
{
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
}

/* Appends a metric column; values become e's (freed with it) when owned. */
static void add_metric(export_data_t *e, const char *name, int integer, const double *values,
                       int owned)
{
    if (owned)
        e->owned[e->n_owned++] = (double *)values;
    e->metrics[e->x.n_metrics++] = (pm_export_metric_t){name, integer, values};
}

static pm_status_t fill_metrics(const cli_net_t *net, export_data_t *e, pm_error_t *err)
{
    static const struct {
        const char *name;
        int integer;
    } graph[] = {{"degree", 1},      {"strength", 0},  {"betweenness", 0}, {"closeness", 0},
                 {"eigenvector", 0}, {"pagerank", 0},  {"community", 1},   {"component", 1},
                 {"in_degree", 1},   {"out_degree", 1}};
    for (size_t i = 0; i < sizeof graph / sizeof graph[0]; i++) {
        int owned = 0;
        const double *v = pm_metrics_get(&net->m, graph[i].name, &owned);
        int directed_only = !strncmp(graph[i].name, "in_", 3) || !strncmp(graph[i].name, "out_", 4);
        if (v)
            add_metric(e, graph[i].name, graph[i].integer, v, owned);
        else if (!directed_only || net->g.directed)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    double *mean = NULL, *max = NULL;
    pm_status_t st = cli_stats_place_lengths(net, &e->spatial, &mean, &max, err);
    if (st)
        return st;
    add_metric(e, "mean_tie_km", 0, mean, 1);
    add_metric(e, "max_tie_km", 0, max, 1);
    return PM_OK;
}

static pm_status_t fill_places(const cli_net_t *net, export_data_t *e, pm_diag_t *diag,
                               pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    size_t without = 0;
    for (size_t v = 0; v < g->n_nodes; v++) {
        const pm_join_match_t *jm = &net->join.m[net->node_q[v]];
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
static pm_status_t merge_rows(const cli_net_t *net, export_data_t *e, pm_error_t *err)
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
static pm_status_t warn_renamed(const export_data_t *e, pm_diag_t *diag, pm_error_t *err)
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
static pm_status_t orient_as_written(const cli_net_t *net, pm_export_tie_t *ties, pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    unsigned char *seen = calloc(g->n_edges ? g->n_edges : 1, 1);
    if (!seen)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < net->ties.n; i++) {
        size_t e = g->tie_edge[i];
        if (e == (size_t)-1 || seen[e])
            continue;
        seen[e] = 1;
        const char *from = net->key_from && net->key_from[i] ? net->key_from[i] : net->ties.from[i];
        if (!strcmp(g->key[ties[e].to], from)) {
            size_t t = ties[e].from;
            ties[e].from = ties[e].to;
            ties[e].to = t;
        }
    }
    free(seen);
    return PM_OK;
}

static pm_status_t prepare(const cli_net_t *net, export_data_t *e, pm_diag_t *diag, pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    memset(e, 0, sizeof *e);
    pm_spatial_init(&e->spatial);
    pm_status_t st = cli_stats_spatial(net, &e->spatial, err);
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
    if (!g->directed && (st = orient_as_written(net, e->ties, err)))
        return st;
    e->x.ties = e->ties;
    e->x.n_ties = g->n_edges;
    e->x.metrics = e->metrics;
    e->x.directed = g->directed;
    return PM_OK;
}

/* Refuses an output (or its companion ties file) that would replace one of the inputs. Returns
 * 0 or the usage exit code. */
static int check_outputs(const char *input, const cli_net_opts_t *o, const char *const *outputs,
                         size_t n)
{
    const char *inputs[CLI_NET_MAX_INPUTS];
    size_t n_in = cli_net_inputs(input, o, inputs, CLI_NET_MAX_INPUTS);
    pm_error_t err;
    for (size_t i = 0; i < n; i++) {
        char *ties = NULL;
        if (pm_export_ties_path_new(outputs[i], &ties, &err))
            return cli_usage_error("export", "%s", err.msg);
        const char *files[2] = {outputs[i], ties};
        int rc = -1;
        for (size_t f = 0; f < 2 && rc < 0; f++)
            if (files[f])
                rc = cli_protect_inputs("export", files[f], inputs, n_in);
        free(ties);
        if (rc >= 0)
            return rc;
    }
    return 0;
}

static int run(const char *input, const cli_net_opts_t *o, double densify,
               const char *const *outputs, size_t n_out)
{
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    cli_net_t net;
    export_data_t e;
    memset(&e, 0, sizeof e);
    int rc;
    pm_status_t st = cli_net_load(input, o, 1, NULL, 1, &net, &diag, &err);
    if (st) {
        cli_print_warnings(&diag, o->ties.quiet);
        rc = cli_fail(&err);
        goto done;
    }
    st = prepare(&net, &e, &diag, &err);
    e.x.densify_km = densify;
    if (!st)
        st = pm_export_write(&e.x, outputs, n_out, &err);
    cli_print_warnings(&diag, o->ties.quiet);
    rc = !st ? 0 : st == PM_EUSAGE ? cli_usage_error("export", "%s", err.msg) : cli_fail(&err);
    export_data_destroy(&e);
    cli_net_destroy(&net);
done:
    pm_diag_destroy(&diag);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_TIES_LONG_OPTIONS,
                                             CLI_GEO_LONG_OPTIONS,
                                             CLI_METRICS_LONG_OPTIONS,
                                             {"densify", required_argument, NULL, OPT_DENSIFY},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    const char *outputs[MAX_OUTPUTS];
    size_t n_out = 0;
    double densify = PM_EXPORT_DENSIFY_KM;
    int rc = -1, c;
    pm_export_format_t fmt;
    pm_error_t err;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = cli_net_option("export", c, optarg, &o);
        if (r < 0)
            rc = 2;
        if (r)
            continue;
        switch (c) {
        case 'h': {
            static const char *const texts[] = {help, help_options, NULL};
            rc = cli_help(texts);
            break;
        }
        case 'o':
            if (n_out == MAX_OUTPUTS)
                rc = cli_usage_error("export", "at most %d outputs at once", MAX_OUTPUTS);
            else if (pm_export_format_of(optarg, &fmt, &err))
                rc = cli_usage_error("export", "%s", err.msg);
            else
                outputs[n_out++] = optarg;
            break;
        case OPT_DENSIFY: {
            char *end;
            densify = strtod(optarg, &end);
            if (*end || end == optarg || !(densify >= 1 && densify <= 10000))
                rc = cli_usage_error("export", "--densify '%s': give a number of km, 1 to 10000",
                                     optarg);
            break;
        }
        default:
            rc = cli_bad_option("export", c, argv);
        }
    }
    if (rc < 0)
        rc = cli_one_input("export", argc);
    if (rc < 0 && n_out == 0)
        rc = cli_usage_error("export", "nothing to write: add -o FILE.gpkg (or .geojson, "
                                       ".graphml, .gml)");
    if (rc < 0 && (rc = check_outputs(argv[optind], &o, outputs, n_out)) == 0)
        rc = run(argv[optind], &o, densify, outputs, n_out);
    cli_net_opts_destroy(&o);
    return rc;
}
