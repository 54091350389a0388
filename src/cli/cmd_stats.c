/*
 * cmd_stats: `partnermap stats TIES` — network statistics for a paper: a whole-graph summary
 * and a table of places, for the terminal or as CSV, TSV, JSON, Markdown or LaTeX.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_ties.h"
#include "pm_buf.h"
#include "pm_graph.h"
#include "pm_io.h"
#include "pm_metrics.h"
#include "pm_report.h"

enum {
    OPT_WEIGHTS = OPT_CLI_TIES_LAST + 1,
    OPT_NORMALIZED,
    OPT_COMMUNITY,
    OPT_RESOLUTION,
    OPT_SEED,
    OPT_SORT,
    OPT_TOP,
    OPT_FORMAT,
    OPT_SUMMARY
};

static const char help[] =
    "usage: partnermap stats [options] TIES\n"
    "\n"
    "Network statistics of the ties in TIES (CSV, TSV, XLSX, ODS, GeoPackage, ...): a summary\n"
    "of the whole graph, then the places sorted by a metric.\n"
    "\n" CLI_TIES_HELP "\n"
    "Statistics:\n"
    "  --weights MODE      strength (default: a weight is an intensity; path lengths are\n"
    "                      1/weight), as-length (a weight is a length), none (ignore weights)\n"
    "  --normalized        divide betweenness by the number of pairs of places\n"
    "  --community ALGO    louvain (default) or leiden\n"
    "  --resolution R      modularity resolution (default 1)\n"
    "  --seed N            random seed for community detection (default 42)\n"
    "\n"
    "Output:\n"
    "  --sort METRIC       order places by degree, strength (default), betweenness, closeness,\n"
    "                      eigenvector, pagerank, community, component or place\n"
    "  --top N             print only the first N places (default: all; terminal: 20)\n"
    "  --format FMT        terminal (default), csv, tsv, json, markdown, latex\n"
    "  --summary           print only the whole-graph summary (CSV: statistic,value,note)\n"
    "  -o, --output FILE   write to FILE (whole or not at all) instead of standard output\n"
    "  -h, --help          this help\n"
    "\n"
    "CSV columns: place,degree,strength,betweenness,closeness,eigenvector,pagerank,community,\n"
    "component (then group, in_degree, out_degree when present).\n"
    "\n";

typedef struct stats_opts {
    cli_ties_opts_t ties;
    pm_metrics_opts_t metrics;
    const char *sort;
    long top;
    pm_format_t format;
    int summary_only;
    const char *output;
    const char *input;
} stats_opts_t;

static int parse_args(int argc, char **argv, stats_opts_t *o)
{
    static const struct option longopts[] = {
        CLI_TIES_LONG_OPTIONS,
        {"weights", required_argument, NULL, OPT_WEIGHTS},
        {"normalized", no_argument, NULL, OPT_NORMALIZED},
        {"normalised", no_argument, NULL, OPT_NORMALIZED},
        {"community", required_argument, NULL, OPT_COMMUNITY},
        {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"seed", required_argument, NULL, OPT_SEED},
        {"sort", required_argument, NULL, OPT_SORT},
        {"top", required_argument, NULL, OPT_TOP},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = cli_ties_option("stats", c, optarg, &o->ties);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        long v;
        switch (c) {
        case 'h':
            fputs(help, stdout);
            fputs(cli_exit_codes_help, stdout);
            return 0;
        case 'o':
            o->output = optarg;
            break;
        case OPT_WEIGHTS:
            if (!strcmp(optarg, "strength"))
                o->metrics.weights = PM_WEIGHTS_STRENGTH;
            else if (!strcmp(optarg, "as-length"))
                o->metrics.weights = PM_WEIGHTS_LENGTH;
            else if (!strcmp(optarg, "none"))
                o->metrics.weights = PM_WEIGHTS_NONE;
            else
                return cli_usage_error("stats", "--weights '%s': use strength, as-length or none",
                                       optarg);
            break;
        case OPT_NORMALIZED:
            o->metrics.normalized = 1;
            break;
        case OPT_COMMUNITY:
            if (!strcmp(optarg, "louvain"))
                o->metrics.community = PM_COMMUNITY_LOUVAIN;
            else if (!strcmp(optarg, "leiden"))
                o->metrics.community = PM_COMMUNITY_LEIDEN;
            else
                return cli_usage_error("stats", "--community '%s': use louvain or leiden", optarg);
            break;
        case OPT_RESOLUTION: {
            char *end;
            double r2 = strtod(optarg, &end);
            if (*end || !(r2 > 0) || !isfinite(r2))
                return cli_usage_error("stats", "--resolution '%s': give a number > 0", optarg);
            o->metrics.resolution = r2;
            break;
        }
        case OPT_SEED:
            if (cli_parse_long(optarg, 0, 2147483647L, &v))
                return cli_usage_error("stats", "--seed '%s': give a whole number >= 0", optarg);
            o->metrics.seed = (unsigned long)v;
            break;
        case OPT_SORT:
            o->sort = optarg;
            break;
        case OPT_TOP:
            if (cli_parse_long(optarg, 1, 1000000000L, &v))
                return cli_usage_error("stats", "--top '%s': give a whole number >= 1", optarg);
            o->top = v;
            break;
        case OPT_FORMAT:
            if (pm_format_parse(optarg, &o->format))
                return cli_usage_error("stats",
                                       "--format '%s': use terminal, csv, tsv, json, "
                                       "markdown or latex",
                                       optarg);
            break;
        case OPT_SUMMARY:
            o->summary_only = 1;
            break;
        case ':':
            return cli_usage_error("stats", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("stats", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("stats", optind >= argc ? "no tie table given"
                                                       : "give exactly one tie table");
    o->input = argv[optind];
    return -1;
}

/* Sort state for qsort (the process is single-threaded here). */
static const double *sort_key;
static char *const *sort_names;

static int by_key(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (sort_key) {
        double x = sort_key[a], y = sort_key[b];
        if (x != y)
            return x > y ? -1 : 1;
    }
    int c = strcmp(sort_names[a], sort_names[b]);
    return c ? c : (a < b ? -1 : a > b);
}

static int by_key_ascending(const void *pa, const void *pb)
{
    /* community and component ids read best in ascending order */
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double x = sort_key[a], y = sort_key[b];
    if (x != y)
        return x < y ? -1 : 1;
    return by_key(pa, pb);
}

#define ITEM_INT(k, l, v, nt)                                                                      \
    {                                                                                              \
        k, l, PM_COL_INT, 0, (double)(v), NULL, nt                                                 \
    }
#define ITEM_REAL(k, l, v, d, nt)                                                                  \
    {                                                                                              \
        k, l, PM_COL_REAL, d, (v), NULL, nt                                                        \
    }

static int run(stats_opts_t *o)
{
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_ties_t ties;
    pm_ties_init(&ties);
    pm_graph_t g;
    memset(&g, 0, sizeof g);
    pm_metrics_t m;
    memset(&m, 0, sizeof m);
    pm_buf_t out;
    pm_buf_init(&out);
    size_t *rows = NULL;
    double *dcomm = NULL, *dcomp = NULL;
    int rc = 0;
    pm_status_t st;

    if ((st = cli_ties_load(o->input, &o->ties, &ties, &diag, &err)) ||
        (st = pm_graph_build(&ties, o->ties.directed, NULL, NULL, &g, &diag, &err)) ||
        (st = pm_metrics_compute(&g, &o->metrics, &m, &err))) {
        cli_print_warnings(&diag, o->ties.quiet);
        rc = cli_fail(&err);
        goto cleanup;
    }
    cli_print_warnings(&diag, o->ties.quiet);

    int owned1, owned2;
    dcomm = (double *)pm_metrics_get(&m, "community", &owned1);
    dcomp = (double *)pm_metrics_get(&m, "component", &owned2);
    rows = malloc(g.n_nodes * sizeof *rows);
    if (!dcomm || !dcomp || !rows) {
        pm_error_set(&err, PM_ENOMEM, "out of memory");
        rc = cli_fail(&err);
        goto cleanup;
    }
    for (size_t i = 0; i < g.n_nodes; i++)
        rows[i] = i;
    const char *sort = o->sort ? o->sort : "strength";
    int owned3 = 0;
    sort_names = g.name;
    sort_key = strcmp(sort, "place") ? pm_metrics_get(&m, sort, &owned3) : NULL;
    if (strcmp(sort, "place") && !sort_key) {
        rc = cli_usage_error("stats",
                             "--sort '%s': not a metric; use one of degree, strength, "
                             "betweenness, closeness, eigenvector, pagerank, community, "
                             "component, place",
                             sort);
        goto cleanup;
    }
    qsort(rows, g.n_nodes, sizeof *rows,
          sort_key && (!strcmp(sort, "community") || !strcmp(sort, "component")) ? by_key_ascending
                                                                                 : by_key);
    if (owned3)
        free((void *)sort_key);
    sort_key = NULL;

    const char *wnote = o->metrics.weights == PM_WEIGHTS_STRENGTH ? "tie length = 1/weight"
                        : o->metrics.weights == PM_WEIGHTS_LENGTH ? "tie length = weight"
                                                                  : "weights ignored";
    char largest_note[64];
    snprintf(largest_note, sizeof largest_note, "%zu places", m.largest_size);
    pm_report_item_t items[24] = {
        ITEM_INT("places", "places", m.places, NULL),
        ITEM_INT("ties", "ties", m.ties, g.directed ? "directed" : "undirected"),
        ITEM_REAL("total_weight", "total weight", m.total_weight, 2, NULL),
        ITEM_REAL("density", "density", m.density, 4, NULL),
        ITEM_INT("components", "components", m.components, NULL),
        ITEM_REAL("largest_component_share", "share of places in the largest component",
                  m.largest_share, 4, largest_note),
        ITEM_REAL("diameter", "diameter, in ties", m.diameter_steps, 0, "largest component"),
        ITEM_REAL("diameter_weighted", "diameter, weighted", m.diameter_length, 4,
                  "largest component; tie length as below"),
        ITEM_REAL("average_path_length", "average path length, in ties", m.avg_path_steps, 4,
                  "largest component"),
        ITEM_REAL("average_path_length_weighted", "average path length, weighted",
                  m.avg_path_length, 4, wnote),
        ITEM_REAL("transitivity", "transitivity", m.transitivity, 4, "global clustering"),
        ITEM_REAL("degree_assortativity", "degree assortativity", m.assortativity, 4, NULL),
        ITEM_REAL("degree_centralization", "degree centralization", m.centralization, 4,
                  "normalised"),
        ITEM_INT("communities", "communities", m.communities,
                 o->metrics.community == PM_COMMUNITY_LEIDEN ? "Leiden" : "Louvain"),
        ITEM_REAL("modularity", "modularity", m.modularity, 4, NULL),
    };
    size_t n_items = 15;
    char group_note[200];
    snprintf(group_note, sizeof group_note, "columns %s, %s",
             ties.group_from_col ? ties.group_from_col : "",
             ties.group_to_col ? ties.group_to_col : "");
    if (m.has_groups) {
        pm_report_item_t more[] = {
            ITEM_INT("groups", "groups", m.n_groups, group_note),
            ITEM_REAL("cross_group_share", "share of ties across groups", m.cross_group_share, 4,
                      NULL),
            ITEM_REAL("cross_group_weight_share", "share of weight across groups",
                      m.cross_group_weight, 4, NULL),
            ITEM_REAL("group_assortativity", "assortativity by group", m.group_assortativity, 4,
                      NULL),
        };
        memcpy(items + n_items, more, sizeof more);
        n_items += 4;
    }
    if (g.merged_rows || g.self_ties) {
        pm_report_item_t more[] = {
            ITEM_INT("rows_merged", "rows merged into existing ties", g.merged_rows, NULL),
            ITEM_INT("self_ties_left_out", "self-ties left out", g.self_ties, NULL),
        };
        memcpy(items + n_items, more, sizeof more);
        n_items += 2;
    }
    int norm = o->metrics.normalized;
    pm_report_col_t cols[12] = {
        {"place", NULL, PM_COL_TEXT, 0, NULL, (const char *const *)g.name},
        {"degree", NULL, PM_COL_INT, 0, m.degree, NULL},
        {"strength", NULL, PM_COL_REAL, 2, m.strength, NULL},
        {"betweenness", NULL, PM_COL_REAL, norm ? 4 : 2, m.betweenness, NULL},
        {"closeness", NULL, PM_COL_REAL, 4, m.closeness, NULL},
        {"eigenvector", NULL, PM_COL_REAL, 4, m.eigenvector, NULL},
        {"pagerank", NULL, PM_COL_REAL, 4, m.pagerank, NULL},
        {"community", NULL, PM_COL_INT, 0, dcomm, NULL},
        {"component", NULL, PM_COL_INT, 0, dcomp, NULL},
    };
    size_t n_cols = 9;
    if (g.group)
        cols[n_cols++] =
            (pm_report_col_t){"group", NULL, PM_COL_TEXT, 0, NULL, (const char *const *)g.group};
    if (g.directed) {
        cols[n_cols++] = (pm_report_col_t){"in_degree", "in", PM_COL_INT, 0, m.in_degree, NULL};
        cols[n_cols++] = (pm_report_col_t){"out_degree", "out", PM_COL_INT, 0, m.out_degree, NULL};
    }
    size_t shown = g.n_nodes;
    if (o->top)
        shown = (size_t)o->top < shown ? (size_t)o->top : shown;
    else if (o->format == PM_FMT_TERMINAL && !o->output && shown > 20)
        shown = 20;
    char caption[96];
    snprintf(caption, sizeof caption, "places by %s", sort);
    pm_report_t r = {o->input, items, n_items, cols, n_cols, rows, shown, g.n_nodes, caption};
    st = o->summary_only ? pm_report_write_summary(&r, o->format, &out, &err)
                         : pm_report_write(&r, o->format, &out, &err);
    if (!st)
        st = pm_io_write_atomic(o->output ? o->output : "-", pm_buf_str(&out), out.len, &err);
    if (st)
        rc = cli_fail(&err);
cleanup:
    pm_buf_destroy(&out);
    free(rows);
    free(dcomm);
    free(dcomp);
    pm_metrics_destroy(&m);
    pm_graph_destroy(&g);
    pm_ties_destroy(&ties);
    pm_diag_destroy(&diag);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    stats_opts_t o;
    memset(&o, 0, sizeof o);
    cli_ties_opts_init(&o.ties);
    pm_metrics_opts_init(&o.metrics);
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        rc = run(&o);
    cli_ties_opts_destroy(&o.ties);
    return rc;
}
