/*
 * cmd_timeline: `partnermap timeline TIES` — the network period by period: a table of the whole
 * network per period (terminal, CSV, TSV, JSON, Markdown, LaTeX), a long table of the places per
 * period (--place-table), and a chart of chosen statistics over time with a rank chart of the
 * leading places (PNG, SVG, PDF). The table is read, joined and measured for tie lengths once;
 * each period is a subgraph of it (pm_timeline).
 *
 * Every output is made in memory first, then all are written (each through a temporary file and
 * a rename): a failure leaves none of them.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "cli_net.h"
#include "cli_opt.h"
#include "cli_period.h"
#include "cli_tlpar.h"
#include "cli_uncert.h"
#include "pm_buf.h"
#include "pm_chart.h"
#include "pm_io.h"
#include "pm_runtime.h"
#include "pm_timeline.h"
#include "pm_uncert_timeline.h"

enum {
    OPT_RANKS = OPT_CLI_PERIOD_LAST + 1,
    OPT_TOP,
    OPT_CHART,
    OPT_PLACE_TABLE,
    OPT_FORMAT,
    OPT_PAGE,
    OPT_THEME,
    OPT_DPI,
    OPT_TITLE,
    OPT_SPATIAL,
    OPT_JOBS
};

#define MAX_OUT 8

static const char help[] =
    "usage: partnermap timeline [options] TIES\n"
    "\n"
    "The network through time: statistics of the whole network in each period, the places in\n"
    "each period, and a chart. A tie is active in a period when its [start, end] overlaps it; an\n"
    "empty end means still active. Dates may be years or ISO dates (the year counts).\n"
    "\n"
    "Periods (the same options as map --facet period; here --step defaults to 1):\n" CLI_PERIOD_HELP
    "\n" CLI_TIES_HELP;

static const char help_geo[] =
    "\n" CLI_METRICS_HELP "\n"
    "Geography (units, tie lengths, cross-border ties):\n"
    "  --spatial           join the places to the default geodata (implied by any option\n"
    "                      below)\n" CLI_GEO_HELP;

static const char help_out[] =
    "\n"
    "Output:\n"
    "  -o, --output FILE   the network table (.csv .tsv .json .md .tex) or the chart (.png .svg\n"
    "                      .pdf), by extension; repeat for several. Without a table output the\n"
    "                      table is printed\n"
    "  --place-table FILE  the places per period (long table: period, place, unit, every\n"
    "                      metric of stats, rank, first and last period active); '-' prints it\n"
    "  --format FMT        the printed table: terminal (default), csv, tsv, json, markdown, latex\n"
    "  --ranks METRIC      rank places by METRIC (default strength): the rank column and the\n"
    "                      rank chart\n"
    "  --top K             places in the rank chart (default 10; 0 = no rank chart)\n"
    "  --chart LIST        statistics in the chart (default ties,places,density,modularity):\n"
    "                      places, ties, new_ties, ended_ties, total_weight, density, components,\n"
    "                      largest_component_share, modularity, mean_tie_km, cross_border_share\n"
    "  --page SIZE         chart page: single, double (default) or WxH with mm, cm or in\n"
    "  --theme THEME       color (default) or print (greyscale)\n"
    "  --dpi N             PNG resolution (default 300)\n"
    "  --title TEXT        title above the chart\n"
    "  -j, --jobs N        processes measuring the periods (default: one per processor; one\n"
    "                      with --uncertainty); the tables are the same for every N\n"
    "  -h, --help          this help\n"
    "\n"
    "CSV columns: period,from,to,places,ties,new_ties,ended_ties,total_weight,density,\n"
    "components,largest_component_share,modularity,mean_tie_km,cross_border_share,top_place.\n"
    "\n";

static const char help_uncert[] =
    "Source uncertainty (Monte Carlo over the tie rows; docs/methods.md):\n"
    "  --uncertainty N     N replicate networks per period: ties, total weight, density,\n"
    "                      components, largest component share and modularity get intervals\n"
    "                      (\"value [lo-hi]\"; CSV/TSV/JSON: NAME_q2.5 and NAME_q97.5 columns);\n"
    "                      replicate r drops the same rows in every period\n"
    "  --keep-documented P keep probability of a documented tie row (default 1)\n"
    "  --keep-probable P   keep probability of a row marked probable (default 0.5); a\n"
    "                      `probability` column (0-1) wins over both where it is filled\n"
    "  --resample ties     bootstrap the whole table's rows before keeping them\n"
    "  --weight-noise S    multiply each kept row's weight by a log-normal factor of mean 1\n"
    "  --interval PCT      width of the intervals in percent (default 95)\n"
    "\n";

/* The chart's statistics: name, title, integer. */
static const struct stat_def {
    const char *name, *title;
    int integer;
} stats[] = {
    {"places", "Places", 1},
    {"ties", "Ties", 1},
    {"new_ties", "New ties", 1},
    {"ended_ties", "Ended ties", 1},
    {"total_weight", "Total weight", 0},
    {"density", "Density", 0},
    {"components", "Components", 1},
    {"largest_component_share", "Share in the largest component", 0},
    {"modularity", "Modularity", 0},
    {"mean_tie_km", "Mean tie length (km)", 0},
    {"cross_border_share", "Share of cross-border ties", 0},
};
#define N_STATS (sizeof stats / sizeof stats[0])

static double stat_value(const pm_timeline_row_t *r, size_t s)
{
    switch (s) {
    case 0:
        return (double)r->places;
    case 1:
        return (double)r->ties;
    case 2:
        return (double)r->new_ties;
    case 3:
        return (double)r->ended_ties;
    case 4:
        return r->ties ? r->total_weight : 0;
    case 5:
        return r->density;
    case 6:
        return (double)r->components;
    case 7:
        return r->largest_share;
    case 8:
        return r->modularity;
    case 9:
        return r->mean_km;
    default:
        return r->cross_border_share;
    }
}

/* --chart LIST into indices of stats[]; -1 and a message for an unknown name. */
static int parse_chart(const char *list, size_t *idx, size_t *n)
{
    *n = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        size_t s = 0;
        while (s < N_STATS && (strlen(stats[s].name) != len || strncmp(stats[s].name, p, len)))
            s++;
        if (s == N_STATS || *n == N_STATS)
            return cli_usage_error("timeline",
                                   "--chart: '%.*s' is not a statistic of the timeline; use "
                                   "places, ties, new_ties, ended_ties, total_weight, density, "
                                   "components, largest_component_share, modularity, "
                                   "mean_tie_km, cross_border_share",
                                   (int)len, p);
        idx[(*n)++] = s;
        p += len + (p[len] == ',');
    }
    return *n ? 0 : cli_usage_error("timeline", "--chart: name at least one statistic");
}

typedef struct out_file {
    const char *path;
    int chart; /* 1: a chart (fmt.chart), 0: the network table (fmt.table) */
    pm_chart_format_t cf;
    pm_format_t tf;
    pm_buf_t data;
} out_file_t;

static int table_format_of(const char *path, pm_format_t *f)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return -1;
    static const struct {
        const char *ext;
        pm_format_t f;
    } ext[] = {{".csv", PM_FMT_CSV},     {".tsv", PM_FMT_TSV},   {".json", PM_FMT_JSON},
               {".md", PM_FMT_MARKDOWN}, {".tex", PM_FMT_LATEX}, {".txt", PM_FMT_TERMINAL}};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (!strcasecmp(dot, ext[i].ext)) {
            *f = ext[i].f;
            return 0;
        }
    return -1;
}

/* Writes every buffer (tables and charts) through temporaries, then renames them all. */
static pm_status_t write_all(out_file_t *o, size_t n, pm_error_t *err)
{
    char *tmp[MAX_OUT + 1] = {NULL};
    int used[MAX_OUT + 1] = {0};
    pm_status_t st = PM_OK;
    size_t k;
    for (k = 0; k < n && !st; k++) {
        if (!strcmp(o[k].path, "-")) {
            st = pm_io_write_atomic("-", pm_buf_str(&o[k].data), o[k].data.len, err);
            continue;
        }
        int fd = -1;
        if ((st = pm_io_temp_for(o[k].path, &tmp[k], &fd, err)))
            break;
        used[k] = 1;
        const char *p = pm_buf_str(&o[k].data);
        size_t left = o[k].data.len;
        while (left && !st) {
            ssize_t w = write(fd, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                st = pm_error_set(err, PM_EIO, "cannot write '%s': %s", o[k].path, strerror(errno));
            else
                p += w, left -= (size_t)w;
        }
        if (close(fd) && !st)
            st = pm_error_set(err, PM_EIO, "cannot write '%s': %s", o[k].path, strerror(errno));
    }
    for (k = 0; k < n; k++) {
        if (!used[k])
            continue;
        if (!st) {
            if ((st = pm_io_commit(tmp[k], o[k].path, err)))
                continue;
        } else {
            pm_io_abandon(tmp[k]);
        }
    }
    for (k = 0; k < n; k++)
        free(tmp[k]);
    return st;
}

typedef struct tl_cli {
    pm_timeline_opts_t t;
    const char *chart, *place_table, *title;
    double width_mm, height_mm; /* --page; 0 = the chart's default */
    const char *chart_opt;      /* the first option that only the chart uses, for a warning */
    long top;
    double dpi;
    pm_theme_t theme;
    pm_format_t format;
    out_file_t out[MAX_OUT];
    size_t n_out;
    int spatial;
    long jobs; /* processes measuring periods; 0 = one per processor */
} tl_cli_t;

static int option_apply(int c, const char *arg, void *target)
{
    tl_cli_t *x = target;
    long v;
    switch (c) {
    case 'o':
        if (x->n_out == MAX_OUT)
            return cli_usage_error("timeline", "-o: at most %d outputs", MAX_OUT);
        x->out[x->n_out].path = arg;
        if (!pm_chart_format_of(arg, &x->out[x->n_out].cf))
            x->out[x->n_out].chart = 1;
        else if (table_format_of(arg, &x->out[x->n_out].tf))
            return cli_usage_error("timeline",
                                   "-o '%s': name a table (.csv, .tsv, .json, .md, .tex) or a "
                                   "chart (.png, .svg, .pdf)",
                                   arg);
        pm_buf_init(&x->out[x->n_out].data);
        x->n_out++;
        return -1;
    case OPT_RANKS:
        x->t.rank_by = arg;
        return -1;
    case OPT_TOP:
        if (cli_parse_long(arg, 0, 100, &v))
            return cli_usage_error("timeline", "--top '%s': give a whole number from 0 to 100",
                                   arg);
        x->top = v;
        return -1;
    case OPT_CHART:
        x->chart = arg;
        return -1;
    case OPT_PLACE_TABLE:
        x->place_table = arg;
        return -1;
    case OPT_FORMAT:
        if (pm_format_parse(arg, &x->format))
            return cli_usage_error(
                "timeline", "--format '%s': use terminal, csv, tsv, json, markdown or latex", arg);
        return -1;
    case OPT_PAGE:
        return cli_parse_page("timeline", arg, &x->width_mm, &x->height_mm) ? 2 : -1;
    case OPT_THEME:
        return cli_parse_theme("timeline", arg, &x->theme) ? 2 : -1;
    case OPT_DPI:
        return cli_parse_dpi("timeline", arg, &x->dpi) ? 2 : -1;
    case OPT_TITLE:
        x->title = arg;
        return -1;
    case OPT_SPATIAL:
        x->spatial = 1;
        return -1;
    case OPT_JOBS:
        if (cli_parse_long(arg, 1, 64, &v))
            return cli_usage_error("timeline", "--jobs '%s': give 1 to 64", arg);
        x->jobs = v;
        return -1;
    default:
        return cli_usage_error("timeline", "option %d unknown", c);
    }
}

/* timeline's own options (cli_opt: 1 when applied) */
static int option(const char *cmd, int c, const char *arg, void *target)
{
    (void)cmd;
    int r = option_apply(c, arg, target);
    return r < 0 ? 1 : r;
}

/* the tables and the work, in the order of the help */
static const cli_opt_t tl_opts[] = {{"spatial", 0, OPT_SPATIAL, 0, 0},
                                    {"output", 1, 'o', 'o', 0},
                                    {"place-table", 1, OPT_PLACE_TABLE, 0, 0},
                                    {"format", 1, OPT_FORMAT, 0, 0},
                                    {"ranks", 1, OPT_RANKS, 0, 0},
                                    {"jobs", 1, OPT_JOBS, 'j', 0},
                                    {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t tl_group = {tl_opts, option};

/* the options that change only the chart (given without a chart, a warning says so) */
static const cli_opt_t chart_opts[] = {{"top", 1, OPT_TOP, 0, 0},   {"chart", 1, OPT_CHART, 0, 0},
                                       {"page", 1, OPT_PAGE, 0, 0}, {"theme", 1, OPT_THEME, 0, 0},
                                       {"dpi", 1, OPT_DPI, 0, 0},   {"title", 1, OPT_TITLE, 0, 0},
                                       {NULL, 0, 0, 0, 0}};

static int chart_option(const char *cmd, int c, const char *arg, void *target)
{
    tl_cli_t *x = target;
    for (const cli_opt_t *o = chart_opts; o->name && !x->chart_opt; o++)
        if (o->id == c)
            x->chart_opt = o->name;
    return option(cmd, c, arg, target);
}
static const cli_opt_group_t chart_group = {chart_opts, chart_option};

/* The chart of tl: the statistics of --chart and the rank lines of the top places of the last
 * period with ties. */
static pm_status_t make_chart(const tl_cli_t *x, const pm_timeline_t *tl, const pm_net_t *net,
                              const char *input, out_file_t *o, pm_error_t *err)
{
    size_t idx[N_STATS], n_idx = 0, n = tl->n_periods;
    const char *list = x->chart ? x->chart : "ties,places,density,modularity";
    if (parse_chart(list, idx, &n_idx))
        return pm_error_set(err, PM_EUSAGE, "--chart");
    pm_chart_panel_t panels[N_STATS];
    double *vals = malloc((n ? n : 1) * n_idx * sizeof *vals);
    size_t top = (size_t)x->top;
    double *ranks = malloc((n ? n : 1) * (top ? top : 1) * sizeof *ranks);
    pm_chart_line_t lines[100];
    size_t n_lines = 0;
    pm_status_t st = PM_OK;
    if (!vals || !ranks) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < n_idx; j++) {
        for (size_t k = 0; k < n; k++)
            vals[j * n + k] = stat_value(&tl->row[k], idx[j]);
        panels[j] = (pm_chart_panel_t){stats[idx[j]].title, vals + j * n, stats[idx[j]].integer};
    }
    /* the last period with places; its first `top` entries are in rank order */
    size_t last = (size_t)-1;
    for (size_t e = 0; e < tl->n_entries; e++)
        last = tl->entry_period[e];
    for (size_t e = 0; e < tl->n_entries && top && last != (size_t)-1; e++) {
        if (tl->entry_period[e] != last || n_lines == top)
            continue;
        size_t p = tl->entry_place[e];
        double *r = ranks + n_lines * n;
        for (size_t k = 0; k < n; k++)
            r[k] = NAN;
        for (size_t f = 0; f < tl->n_entries; f++)
            if (tl->entry_place[f] == p) /* ordinal rank inside its period */
                r[tl->entry_period[f]] = tl->rank[f];
        lines[n_lines++] = (pm_chart_line_t){net->g.name[p], r};
    }
    char rank_title[96], credit[512];
    snprintf(rank_title, sizeof rank_title, "Rank by %s (the top %zu of the last period)",
             tl->rank_by, n_lines);
    snprintf(credit, sizeof credit,
             "Source: %s. Ties active in a period when [start, end] overlaps it. partnermap %s",
             input, pm_runtime_version());
    pm_chart_t c = {0};
    c.n = n;
    pm_period_t *pers = malloc((n ? n : 1) * sizeof *pers);
    if (!pers) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++)
        pers[k] = tl->row[k].period;
    c.periods = pers;
    c.panels = panels;
    c.n_panels = n_idx;
    c.lines = n_lines ? lines : NULL;
    c.n_lines = n_lines;
    c.rank_max = top;
    c.rank_title = rank_title;
    c.title = x->title;
    c.credit = credit;
    c.command_line = cli_command_line();
    c.theme = x->theme;
    c.dpi = x->dpi;
    c.width_mm = x->width_mm;
    c.height_mm = x->height_mm;
    st = pm_chart_render(&c, o->cf, &o->data, err);
    free(pers);
cleanup:
    free(vals);
    free(ranks);
    return st;
}

int cmd_timeline(int argc, char **argv)
{
    static const char *const texts[] = {help, help_geo, help_out, help_uncert, NULL};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    tl_cli_t x;
    memset(&x, 0, sizeof x);
    pm_timeline_opts_init(&x.t);
    x.top = 10;
    x.format = PM_FMT_TERMINAL;
    cli_period_opts_t per;
    cli_period_opts_init(&per);
    pm_periods_t periods;
    pm_periods_init(&periods);
    cli_uncert_opts_t uo;
    cli_uncert_opts_init(&uo);
    pm_uncert_timeline_t ut;
    memset(&ut, 0, sizeof ut);
    const cli_opt_use_t uses[] = {
        {&cli_ties_group, &o.ties},     {&cli_period_group, &per}, {&cli_metrics_group, &o},
        {&cli_geo_group, &o},           {&tl_group, &x},           {&chart_group, &x},
        {&cli_uncert_nojobs_group, &uo}};
    const cli_opt_parser_t p = {"timeline", uses, 7, texts, NULL, NULL, 0};
    int rc = cli_opt_parse(&p, argc, argv);
    uo.quiet = 1; /* no Slurm array shard for a timeline */
    if (rc < 0 && uo.on && (uo.shard || uo.n_merge || uo.u.n_metrics))
        rc = cli_usage_error("timeline",
                             "--%s: a timeline simulates its network statistics in one run; "
                             "shards, merges and --metrics are for 'partnermap stats'",
                             uo.shard     ? "shard"
                             : uo.n_merge ? "merge"
                                          : "metrics");
    if (rc < 0 && !uo.on && uo.needs_n)
        rc = cli_usage_error("timeline",
                             "%s needs --uncertainty N (it is an option of the Monte Carlo over "
                             "the sources)",
                             uo.needs_n);
    int spatial = x.spatial || o.geo_given;
    pm_error_t err;
    pm_error_clear(&err);
    /* the period options: pm_period's, as map --facet period takes them; --period FROM-TO is
     * the range of --step, not a filter (each period is one) */
    if (rc < 0)
        rc = cli_period_check("timeline", &per, o.ties.filter.has_period);
    if (rc < 0 && per.periods) {
        if (pm_periods_parse(per.periods, &periods, &err))
            rc = cli_usage_error("timeline", "%s", err.msg);
        x.t.periods = periods.p;
        x.t.n_periods = periods.n;
    }
    if (per.step)
        x.t.step = (int)per.step;
    if (o.ties.filter.has_period) {
        x.t.from = o.ties.filter.from_year;
        x.t.to = o.ties.filter.to_year;
        o.ties.filter.has_period = 0;
    }
    x.t.open_end = (int)per.open_end;
    x.t.undated = per.undated;
    if (rc < 0 && x.chart) { /* checked before the work */
        size_t idx[N_STATS], n;
        if (parse_chart(x.chart, idx, &n))
            rc = 2;
        for (size_t k = 0; rc < 0 && !spatial && k < n; k++)
            if (idx[k] >= 9)
                rc = cli_usage_error("timeline",
                                     "--chart %s needs the places joined to the geometry: add "
                                     "--spatial (or a geometry option such as --level country)",
                                     stats[idx[k]].name);
    }
    const char *outs[MAX_OUT + 1];
    size_t n_outs = 0;
    for (size_t k = 0; k < x.n_out; k++)
        outs[n_outs++] = x.out[k].path;
    if (x.place_table)
        outs[n_outs++] = x.place_table;
    pm_format_t place_fmt = PM_FMT_CSV;
    if (rc < 0 && x.place_table && strcmp(x.place_table, "-") &&
        table_format_of(x.place_table, &place_fmt))
        rc = cli_usage_error("timeline",
                             "--place-table '%s': name a table (.csv, .tsv, .json, .md, .tex)",
                             x.place_table);
    if (x.place_table && !strcmp(x.place_table, "-"))
        place_fmt = x.format;
    const char *input = NULL;
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_timeline_t tl;
    memset(&tl, 0, sizeof tl);
    pm_net_t net;
    memset(&net, 0, sizeof net);
    int loaded = 0;
    if ((rc = cli_net_input("timeline", rc, argc, argv, &o, outs, n_outs, &input)) >= 0)
        goto done;
    /* a name that belongs to a historical unit and today's is decided by the first year */
    if (!o.join.year)
        o.join.year = x.t.periods ? x.t.periods[0].from : x.t.from != PM_YEAR_NONE ? x.t.from : 0;
    pm_status_t st = cli_net_load(input, &o, spatial, NULL, 0, &net, &diag, &err);
    loaded = st == PM_OK;
    int charts = 0;
    for (size_t k = 0; k < x.n_out; k++)
        charts += x.out[k].chart;
    if (x.chart_opt && !charts) /* an option with nothing to act on */
        pm_diag_add(&diag, NULL,
                    "--%s changes only the chart, and no chart is written: give -o FILE.png, .svg "
                    "or .pdf",
                    x.chart_opt);
    if (uo.on) {
        pm_uncert_opts_t u = uo.u;
        u.seed = o.metrics.seed;
        pm_uncert_timeline_init(&ut, &net, &o.metrics, &u, uo.interval);
        x.t.on_period = pm_uncert_timeline_period;
        x.t.on_period_ctx = &ut;
    }
    if (!st)
        st = cli_timeline_compute(&net, &o.metrics, &x.t,
                                  /* a period's replicates are kept by the on_period hook in this
                                     process: with them, one process measures every period */
                                  uo.on    ? 1
                                  : x.jobs ? x.jobs
                                           : sysconf(_SC_NPROCESSORS_ONLN),
                                  &tl, &diag, &err);
    cli_print_warnings(&diag, o.ties.quiet);
    if (st) {
        rc = st == PM_EUSAGE ? cli_usage_error("timeline", "%s", err.msg) : cli_fail(&err);
        goto done;
    }
    int have_table = 0;
    for (size_t k = 0; k < x.n_out && !st; k++) {
        out_file_t *f = &x.out[k];
        if (f->chart)
            st = make_chart(&x, &tl, &net, input, f, &err);
        else if (uo.on)
            st = pm_uncert_timeline_write(&tl, &ut, &net, f->tf, input, &f->data, &err);
        else
            st = pm_timeline_write_network(&tl, &net, f->tf, input, &f->data, &err);
        have_table |= !f->chart;
    }
    out_file_t extra[2];
    size_t n_extra = 0;
    if (!st && !have_table) {
        extra[n_extra] = (out_file_t){.path = "-"};
        pm_buf_init(&extra[n_extra].data);
        st = uo.on ? pm_uncert_timeline_write(&tl, &ut, &net, x.format, input,
                                              &extra[n_extra++].data, &err)
                   : pm_timeline_write_network(&tl, &net, x.format, input, &extra[n_extra++].data,
                                               &err);
    }
    if (!st && x.place_table) {
        extra[n_extra] = (out_file_t){.path = x.place_table};
        pm_buf_init(&extra[n_extra].data);
        st = pm_timeline_write_places(&tl, &net, place_fmt, input, &extra[n_extra++].data, &err);
    }
    out_file_t all[MAX_OUT + 2];
    size_t n_all = 0;
    for (size_t k = 0; k < x.n_out; k++)
        all[n_all++] = x.out[k];
    for (size_t k = 0; k < n_extra; k++)
        all[n_all++] = extra[k];
    if (!st)
        st = write_all(all, n_all, &err);
    for (size_t k = 0; k < n_extra; k++)
        pm_buf_destroy(&extra[k].data);
    if (st)
        rc = st == PM_EUSAGE ? cli_usage_error("timeline", "%s", err.msg) : cli_fail(&err);
    else
        rc = 0;
done:
    for (size_t k = 0; k < x.n_out; k++)
        pm_buf_destroy(&x.out[k].data);
    pm_timeline_destroy(&tl);
    pm_uncert_timeline_destroy(&ut);
    if (loaded)
        pm_net_destroy(&net);
    pm_diag_destroy(&diag);
    pm_periods_destroy(&periods);
    cli_net_opts_destroy(&o);
    return rc;
}
