/*
 * cmd_stats: `partnermap stats TIES` — network statistics for a paper: a whole-graph summary
 * and a table of places, for the terminal or as CSV, TSV, JSON, Markdown or LaTeX; with the
 * places joined to geometry (--spatial or any geometry option), tie lengths and neighbourhood.
 */
#include <getopt.h>
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
    "\n" CLI_TIES_HELP "\n" CLI_METRICS_HELP "\n"
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

static const char help_uncert[] = CLI_UNCERT_HELP "\n";

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_TIES_LONG_OPTIONS,
                                             CLI_GEO_LONG_OPTIONS,
                                             CLI_METRICS_LONG_OPTIONS,
                                             CLI_UNCERT_LONG_OPTIONS,
                                             {"sort", required_argument, NULL, OPT_SORT},
                                             {"top", required_argument, NULL, OPT_TOP},
                                             {"format", required_argument, NULL, OPT_FORMAT},
                                             {"summary", no_argument, NULL, OPT_SUMMARY},
                                             {"spatial", no_argument, NULL, OPT_SPATIAL},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    cli_uncert_opts_t uo;
    cli_uncert_opts_init(&uo);
    pm_net_report_view_t v = {PM_FMT_TERMINAL, NULL, 0, 0, 0, NULL};
    const char *output = NULL;
    int spatial = 0, rc = -1, c;
    long x;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:hj:", longopts, NULL)) != -1) {
        int r = cli_net_option("stats", c, optarg, &o);
        if (r < 0)
            rc = 2;
        if (r) {
            if (c >= OPT_GEO && c <= OPT_ALLOW_UNMATCHED)
                spatial = 1;
            continue;
        }
        if ((r = cli_uncert_option("stats", c, optarg, &uo))) {
            if (r < 0)
                rc = 2;
            continue;
        }
        switch (c) {
        case 'h': {
            static const char *const texts[] = {help, help_uncert, NULL};
            rc = cli_help(texts);
            break;
        }
        case 'o':
            output = optarg;
            break;
        case OPT_SORT:
            v.sort = optarg;
            break;
        case OPT_TOP:
            if (cli_parse_long(optarg, 1, 1000000000L, &x))
                rc = cli_usage_error("stats", "--top '%s': give a whole number >= 1", optarg);
            v.top = (size_t)x;
            uo.top = (size_t)x;
            break;
        case OPT_FORMAT:
            if (pm_format_parse(optarg, &v.format))
                rc = cli_usage_error("stats",
                                     "--format '%s': use terminal, csv, tsv, json, markdown or "
                                     "latex",
                                     optarg);
            break;
        case OPT_SUMMARY:
            v.summary_only = 1;
            break;
        case OPT_SPATIAL:
            spatial = 1;
            break;
        default:
            rc = cli_bad_option("stats", c, argv);
        }
    }
    if (rc < 0)
        rc = cli_uncert_check("stats", &uo, output);
    const char *input = NULL;
    if ((rc = cli_net_input("stats", rc, argc, argv, &o, &output, 1, &input)) >= 0) {
        cli_net_opts_destroy(&o);
        return rc;
    }
    v.title = input;
    v.to_terminal = output == NULL;
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_buf_t out;
    pm_buf_init(&out);
    pm_spatial_t sp;
    pm_spatial_init(&sp);
    pm_net_t net;
    pm_status_t st = cli_net_load(input, &o, spatial, NULL, 1, &net, &diag, &err);
    cli_print_warnings(&diag, o.ties.quiet);
    if (st) {
        rc = cli_fail(&err);
        goto done;
    }
    if (uo.on) {
        if (spatial && !o.ties.quiet)
            fprintf(stderr, "partnermap: note: the uncertainty report has the graph statistics "
                            "only; the places are joined, but tie lengths are not simulated\n");
        size_t rows = v.top ? v.top : v.to_terminal ? 20 : 0;
        rc = cli_uncert_stats(&net, &o, &uo, v.format, v.sort, rows, v.summary_only, input, output);
    } else if ((spatial && (st = pm_net_spatial(&net, &sp, &err))) ||
               (st = pm_net_report_write(&net, &o.metrics, spatial ? &sp : NULL, &v, &out, &err)) ||
               (st = pm_io_write_atomic(output ? output : "-", pm_buf_str(&out), out.len, &err))) {
        rc = st == PM_EUSAGE
                 ? cli_usage_error("stats", "--sort %s%s", err.msg,
                                   strstr(err.msg, "needs the places joined") ? " (with --spatial)"
                                                                              : "")
                 : cli_fail(&err);
    } else {
        rc = 0;
    }
    pm_net_destroy(&net);
done:
    pm_spatial_destroy(&sp);
    pm_buf_destroy(&out);
    pm_diag_destroy(&diag);
    cli_net_opts_destroy(&o);
    return rc;
}
