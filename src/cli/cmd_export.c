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
#include "pm_export.h"

enum { OPT_DENSIFY = OPT_CLI_NET_LAST + 1 };

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

/* Refuses an output (or its companion ties file) that would replace one of the inputs. Returns
 * 0 or the usage exit code. */
static int check_outputs(const char *input, const cli_net_opts_t *o, const char *const *outputs,
                         size_t n)
{
    pm_error_t err;
    for (size_t i = 0; i < n; i++) {
        char *ties = NULL;
        if (pm_export_ties_path_new(outputs[i], &ties, &err))
            return cli_usage_error("export", "%s", err.msg);
        const char *files[2] = {outputs[i], ties};
        int rc = cli_net_protect_inputs("export", input, o, files, 2);
        free(ties);
        if (rc >= 0)
            return rc;
    }
    return 0;
}

static int run(const char *input, const cli_net_opts_t *o, double densify,
               const char *const *outputs, size_t n_out)
{
    pm_net_export_t e;
    memset(&e, 0, sizeof e);
    cli_net_run_t run;
    int rc = cli_net_run_load(&run, input, o, 1, 1);
    if (rc < 0) {
        pm_status_t st = pm_net_export_prepare(&run.net, &e, &run.diag, &run.err);
        e.x.densify_km = densify;
        if (!st)
            st = pm_export_write(&e.x, outputs, n_out, &run.err);
        rc = cli_net_run_exit(&run, "export", st);
    }
    pm_net_export_destroy(&e);
    return cli_net_run_end(&run, rc);
}

static int check_format(const char *cmd, const char *path)
{
    pm_export_format_t fmt;
    pm_error_t err;
    return pm_export_format_of(path, &fmt, &err) ? cli_usage_error(cmd, "%s", err.msg) : 1;
}

static int export_option(const char *cmd, int id, const char *arg, void *target)
{
    double *densify = target;
    char *end;
    (void)id; /* OPT_DENSIFY */
    *densify = strtod(arg, &end);
    if (*end || end == arg || !(*densify >= 1 && *densify <= 10000))
        return cli_usage_error(cmd, "--densify '%s': give a number of km, 1 to 10000", arg);
    return 1;
}

static const cli_opt_t export_opts[] = {{"densify", 1, OPT_DENSIFY, 0, 0}, {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t export_group = {export_opts, export_option};

int cmd_export(int argc, char **argv)
{
    static const char *const texts[] = {help, help_options, NULL};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    double densify = PM_EXPORT_DENSIFY_KM;
    cli_outputs_t outs;
    cli_outputs_init(&outs, CLI_MAX_OUTPUTS, "outputs",
                     "nothing to write: add -o FILE.gpkg (or .geojson, .graphml, .gml)",
                     check_format);
    const cli_opt_use_t uses[] = {{&cli_ties_group, &o.ties},
                                  {&cli_geo_group, &o},
                                  {&cli_metrics_group, &o},
                                  {&export_group, &densify},
                                  {&cli_outputs_group, &outs}};
    const cli_opt_parser_t p = {"export", uses, 5, texts, NULL, NULL, 0};
    int rc = cli_outputs_require("export", cli_opt_parse(&p, argc, argv), argc, &outs);
    if (rc < 0 && (rc = check_outputs(argv[optind], &o, outs.v, outs.n)) == 0)
        rc = run(argv[optind], &o, densify, outs.v, outs.n);
    cli_net_opts_destroy(&o);
    return rc;
}
