/*
 * cmd_map: `partnermap map TIES -o fig.png [-o fig.svg -o fig.pdf]` — the network on a map:
 * places joined to their polygons (choropleth of a metric), circles sized by a metric, ties as
 * curved lines with widths by weight, labels, legend, scale bar.
 */
#include <getopt.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_facet.h"
#include "cli_map.h"
#include "cli_net.h"
#include "pm_runtime.h"

static const char help[] =
    "usage: partnermap map [options] TIES -o FIGURE [-o FIGURE...]\n"
    "\n"
    "Draws the network of TIES on a map. The format of each FIGURE comes from its extension:\n"
    ".png, .svg or .pdf; all are drawn from one scene, so they agree. Every option has a default,\n"
    "so 'partnermap map ties.csv -o fig.pdf' gives a complete figure.\n"
    "\n";

/* in several strings: together they pass the 4,095 characters C guarantees for one literal */
static const char help2[] = CLI_TIES_HELP "\n" CLI_GEO_HELP "\n";
static const char help3[] = CLI_METRICS_HELP
    "\n" CLI_MAP_HELP "  -o, --output FILE   a figure to write (repeatable)\n"
    "\n" CLI_FACET_HELP
    "  -h, --help          this help\n"
    "\n"
    "Ties marked confidence=probable are dashed; tie widths are proportional to weight, in\n"
    "points, and the legend's widths are the drawn widths.\n"
    "\n";

static int needs_paths(const char *metric)
{
    return metric && (!strcmp(metric, "betweenness") || !strcmp(metric, "closeness"));
}

int cmd_map(int argc, char **argv)
{
    pm_runtime_phase("start");
    static const struct option longopts[] = {CLI_TIES_LONG_OPTIONS,
                                             CLI_GEO_LONG_OPTIONS,
                                             CLI_METRICS_LONG_OPTIONS,
                                             CLI_MAP_LONG_OPTIONS,
                                             CLI_FACET_LONG_OPTIONS,
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    cli_map_opts_t mo;
    cli_map_opts_init(&mo);
    cli_facet_opts_t fo;
    cli_facet_opts_init(&fo);
    const char *outputs[16];
    size_t n_out = 0;
    int rc = -1, c;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = cli_net_option("map", c, optarg, &o);
        if (!r)
            r = cli_map_option("map", c, optarg, &mo);
        if (!r)
            r = cli_facet_option("map", c, optarg, &fo);
        if (r < 0)
            rc = 2;
        if (r)
            continue;
        switch (c) {
        case 'h': {
            static const char *const texts[] = {help, help2, help3, NULL};
            rc = cli_help(texts);
            break;
        }
        case 'o':
            if (n_out == sizeof outputs / sizeof outputs[0])
                rc = cli_usage_error("map", "at most 16 figures at once");
            else
                outputs[n_out++] = optarg;
            break;
        default:
            rc = cli_bad_option("map", c, argv);
        }
    }
    if (rc < 0)
        rc = cli_one_input("map", argc);
    if (rc < 0 && n_out == 0)
        rc = cli_usage_error("map", "no figure to write: add -o FILE.png (or .svg, .pdf)");
    if (rc < 0)
        rc = cli_facet_check("map", &fo, &mo);
    if (rc >= 0) {
        cli_map_opts_destroy(&mo);
        cli_net_opts_destroy(&o);
        return rc;
    }
    const char *input = argv[optind];
    const char *writes[18];
    size_t n_writes = 0;
    for (size_t i = 0; i < n_out; i++)
        writes[n_writes++] = outputs[i];
    if (mo.stats_out && strcmp(mo.stats_out, "-"))
        writes[n_writes++] = mo.stats_out;
    if (mo.join_out)
        writes[n_writes++] = mo.join_out;
    if ((rc = cli_net_protect_inputs("map", input, &o, writes, n_writes)) >= 0) {
        cli_map_opts_destroy(&mo);
        cli_net_opts_destroy(&o);
        return rc;
    }
    if (fo.on) {
        rc = cli_facet_run(input, &o, &mo, &fo, outputs, n_out);
        cli_map_opts_destroy(&mo);
        cli_net_opts_destroy(&o);
        return rc;
    }
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_net_t net;
    pm_net_map_t data;
    memset(&data, 0, sizeof data);
    /* the path statistics run in the background while the map is drawn, unless the map shows
     * one of them */
    o.metrics.defer_paths = !needs_paths(mo.fill) && !needs_paths(mo.circles);
    pm_renderer_t *rdr = NULL;
    pm_status_t st = pm_renderer_new(&rdr, &err);
    if (st) {
        rc = cli_fail(&err);
        goto done;
    }
    pm_renderer_fonts_begin(rdr);
    st = cli_net_load(input, &o, 1, NULL, 1, &net, &diag, &err);
    pm_runtime_phase("read+join+metrics");
    pm_renderer_fonts_end(rdr);
    if (st) {
        cli_print_warnings(&diag, o.ties.quiet);
        rc = cli_fail(&err);
        goto done;
    }
    st = cli_map_prepare(&net, &o, &mo, &data, &diag, &err);
    pm_runtime_phase("geometries");
    if (!st) {
        data.map.polygons_done = pm_net_map_free_polygons;
        data.map.polygons_ctx = &data;
        st = pm_renderer_draw(rdr, &data.map, &mo.map, outputs, n_out, &diag, &err);
        pm_runtime_phase("render");
    }
    if (!st)
        st = pm_metrics_finish(&net.m, &err);
    pm_runtime_phase("path statistics");
    if (!st)
        st = cli_map_side_outputs(&net, &o, &mo, &data, &err);
    cli_print_warnings(&diag, o.ties.quiet);
    if (st)
        rc = st == PM_EUSAGE ? cli_usage_error("map", "%s", err.msg) : cli_fail(&err);
    else
        rc = 0;
    pm_net_map_destroy(&data);
    pm_net_destroy(&net);
done:
    pm_renderer_free(rdr);
    pm_diag_destroy(&diag);
    cli_map_opts_destroy(&mo);
    cli_net_opts_destroy(&o);
    return rc;
}
