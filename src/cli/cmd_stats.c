/*
 * cmd_stats: `partnermap stats TIES` — network statistics for a paper: a whole-graph summary
 * and a table of places, for the terminal or as CSV, TSV, JSON, Markdown or LaTeX; with the
 * places joined to geometry (--spatial or any geometry option), tie lengths and neighbourhood.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"
#include "cli_uncert.h"
#include "pm_buf.h"
#include "pm_io.h"

enum { OPT_SORT = OPT_CLI_NET_LAST + 1, OPT_TOP, OPT_FORMAT, OPT_SUMMARY, OPT_SPATIAL };

static const char help[] =
    "usage: partnermap stats [options] TIES\n"
    "\n"
    "Network statistics of the ties in TIES (CSV, TSV, XLSX, ODS, GeoPackage, ...): a summary\n"
    "of the whole graph, then the places sorted by a metric.\n"
    "\n" CLI_TIES_HELP "\n";

/* (two strings: one would pass the 4,095 characters C99 compilers must support) */
static const char help_rest[] = CLI_METRICS_HELP
    "\n"
    "Geography (tie lengths, neighbours, domestic ties):\n"
    "  --spatial           join the places to the default geodata and add spatial statistics\n"
    "                      (implied by any option below)\n" CLI_GEO_HELP "\n"
    "Output:\n"
    "  --sort METRIC       order places by degree, strength (default), betweenness, closeness,\n"
    "                      eigenvector, pagerank, community, component, place (and\n"
    "                      mean_tie_km, max_tie_km with --spatial)\n"
    "  --top N             print only the first N places (default: all; terminal: 20)\n"
    "  --format FMT        terminal (default), csv, tsv, json, markdown, latex\n"
    "  --summary           print only the whole-graph summary (CSV: statistic,value,note)\n"
    "  -o, --output FILE   write to FILE (whole or not at all) instead of standard output\n"
    "  -h, --help          this help\n"
    "\n"
    "CSV columns: place,degree,strength,betweenness,closeness,eigenvector,pagerank,community,\n"
    "component (then group, in_degree, out_degree, unit, mean_tie_km, max_tie_km when present).\n"
    "\n";

/* stats's own options */
typedef struct stats_args {
    pm_net_report_view_t v;
    int spatial;
} stats_args_t;

static int stats_option(const char *cmd, int id, const char *arg, void *target)
{
    stats_args_t *a = target;
    long x;
    switch (id) {
    case OPT_SORT:
        a->v.sort = arg;
        return 1;
    case OPT_TOP:
        if (cli_parse_long(arg, 1, 1000000000L, &x))
            return cli_usage_error(cmd, "--top '%s': give a whole number >= 1", arg);
        a->v.top = (size_t)x;
        return 1;
    case OPT_FORMAT:
        if (pm_format_parse(arg, &a->v.format))
            return cli_usage_error(cmd,
                                   "--format '%s': use terminal, csv, tsv, json, markdown "
                                   "or latex",
                                   arg);
        return 1;
    case OPT_SUMMARY:
        a->v.summary_only = 1;
        return 1;
    default: /* OPT_SPATIAL */
        a->spatial = 1;
        return 1;
    }
}

static const cli_opt_t stats_opts[] = {
    {"sort", 1, OPT_SORT, 0, 0},       {"top", 1, OPT_TOP, 0, 0},
    {"format", 1, OPT_FORMAT, 0, 0},   {"summary", 0, OPT_SUMMARY, 0, 0},
    {"spatial", 0, OPT_SPATIAL, 0, 0}, {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t stats_group = {stats_opts, stats_option};

int cmd_stats(int argc, char **argv)
{
    static const char *const texts[] = {help, help_rest, CLI_UNCERT_HELP "\n", NULL};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    stats_args_t a = {{PM_FMT_TERMINAL, NULL, 0, 0, 0, NULL}, 0};
    cli_uncert_opts_t uo;
    cli_uncert_opts_init(&uo);
    cli_outputs_t outs;
    cli_outputs_init(&outs, 1, "outputs", NULL, NULL);
    const cli_opt_use_t uses[] = {{&cli_ties_group, &o.ties}, {&cli_metrics_group, &o},
                                  {&cli_geo_group, &o},       {&stats_group, &a},
                                  {&cli_uncert_group, &uo},   {&cli_outputs_group, &outs}};
    const cli_opt_parser_t p = {"stats", uses, 6, texts, NULL, NULL, 0};
    int rc = cli_opt_parse(&p, argc, argv);
    const char *input = NULL, *output = outs.n ? outs.v[0] : NULL;
    uo.top = a.v.top;
    uo.quiet = o.ties.quiet;
    rc = cli_uncert_check("stats", rc, &uo, output);
    if ((rc = cli_net_input("stats", rc, argc, argv, &o, &output, 1, &input)) >= 0) {
        cli_net_opts_destroy(&o);
        return rc;
    }
    pm_net_report_view_t v = a.v;
    int spatial = a.spatial || o.geo_given;
    v.title = input;
    v.to_terminal = output == NULL;
    pm_buf_t out;
    pm_buf_init(&out);
    pm_spatial_t sp;
    pm_spatial_init(&sp);
    cli_net_run_t run;
    pm_error_t *err = &run.err;
    pm_status_t st = PM_OK;
    if ((rc = cli_net_run_load(&run, input, &o, spatial, 1)) >= 0) {
        /* the load failed: its message is printed */
    } else if (uo.on) {
        if (spatial && !o.ties.quiet)
            fprintf(stderr, "partnermap: note: the uncertainty report has the graph statistics "
                            "only; the places are joined, but tie lengths are not simulated\n");
        size_t rows = v.top ? v.top : v.to_terminal ? 20 : 0;
        cli_net_run_warnings(&run);
        rc = cli_uncert_stats(&run.net, &o, &uo, v.format, v.sort, rows, v.summary_only, input,
                              output);
    } else if ((spatial && (st = pm_net_spatial(&run.net, &sp, err))) ||
               (st = pm_net_report_write(&run.net, &o.metrics, spatial ? &sp : NULL, &v, &out,
                                         err)) ||
               (st = pm_io_write_atomic(output ? output : "-", pm_buf_str(&out), out.len, err))) {
        rc = st == PM_EUSAGE
                 ? cli_usage_error("stats", "--sort %s%s", err->msg,
                                   strstr(err->msg, "needs the places joined") ? " (with --spatial)"
                                                                               : "")
                 : cli_fail(err);
    }
    rc = cli_net_run_end(&run, rc < 0 ? 0 : rc);
    pm_spatial_destroy(&sp);
    pm_buf_destroy(&out);
    cli_net_opts_destroy(&o);
    return rc;
}
