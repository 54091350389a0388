/*
 * cli_facet: small multiples by period (see cli_facet.h). The tie table is read once to find
 * the periods, count the undated ties and the active ties of each period; each period with a tie
 * is then loaded as `map --period P` would load it (read, filter, join against one shared
 * geometry, measure), its map prepared, and its ties marked new or continuing; the renderer draws
 * the panels with shared scales (pm_render_facet).
 */
#include "cli_facet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pm_io.h"
#include "pm_render_facet.h"
#include "pm_runtime.h"

void cli_facet_opts_init(cli_facet_opts_t *o)
{
    memset(o, 0, sizeof *o);
    cli_period_opts_init(&o->per);
}

static int facet_option(const char *cmd, int id, const char *arg, void *target)
{
    cli_facet_opts_t *o = target;
    if (id == OPT_FACET) {
        if (strcmp(arg, "period"))
            return cli_usage_error(
                cmd, "--facet '%s': the one facet is 'period' (one panel per period)", arg);
        o->on = 1;
        return 1;
    }
    if (!o->first_facet_option)
        o->first_facet_option = "--cols";
    if (cli_parse_long(arg, 1, PM_FACET_MAX_PANELS, &o->cols))
        return cli_usage_error(cmd, "--cols '%s': give a number of columns, 1 to %d", arg,
                               PM_FACET_MAX_PANELS);
    return 1;
}

static const cli_opt_t facet_opts[] = {
    {"facet", 1, OPT_FACET, 0, 0}, {"cols", 1, OPT_COLS, 0, 0}, {NULL, 0, 0, 0, 0}};
const cli_opt_group_t cli_facet_group = {facet_opts, facet_option};

int cli_facet_check(const char *cmd, const cli_facet_opts_t *fo, const cli_map_opts_t *mo,
                    const pm_filter_t *range)
{
    const char *first = fo->per.first_option ? fo->per.first_option : fo->first_facet_option;
    if (!fo->on && first)
        return cli_usage_error(cmd, "%s is for small multiples: add --facet period", first);
    if (!fo->on)
        return -1;
    int rc = cli_period_check(cmd, &fo->per, range->has_period);
    if (rc >= 0)
        return rc;
    if (mo->stats_out || mo->join_out)
        return cli_usage_error(cmd, "--stats and --join-report give one table per map; with "
                                    "--facet period run them with --period P for each period");
    return -1;
}

/* The periods of fo over the ties t (already filtered by --where). */
static pm_status_t make_periods(const cli_facet_opts_t *fo, const pm_filter_t *user,
                                const pm_ties_t *t, pm_periods_t *ps, pm_error_t *err)
{
    if (fo->per.periods)
        return pm_periods_parse(fo->per.periods, ps, err);
    int first, last, align = !user->has_period;
    if (user->has_period) {
        first = user->from_year;
        last = user->to_year;
    } else if (!pm_period_data_range(t->start, t->end, t->n, (int)fo->per.open_end, &first,
                                     &last)) {
        return pm_error_set(err, PM_EDATA,
                            "%s: no tie has a start year in column '%s', so there is no period "
                            "to draw; fill it, or name another with --start COL",
                            t->path, t->start_col);
    }
    return pm_periods_step(first, last, fo->per.step ? (int)fo->per.step : 10, align, ps, err);
}

/* Marks each map tie (graph edge) of a period's network faded unless every row of it began in
 * the period: new ties dark, ties carried over from before light. */
static void mark_continuing(const pm_net_t *net, const pm_period_t *p, pm_net_map_t *d)
{
    const pm_graph_t *g = &net->g;
    for (size_t e = 0; e < g->n_edges; e++)
        d->ties[e].faded = 0;
    for (size_t r = 0; r < net->ties.n; r++) {
        size_t e = g->tie_edge[r];
        if (e != (size_t)-1 && !pm_period_is_new(p, net->ties.start[r]))
            d->ties[e].faded = 1;
    }
}

typedef struct period_run {
    pm_net_t net;
    pm_net_map_t data;
    cli_map_opts_t mo;
    int loaded, prepared;
    size_t active;
} period_run_t;

static pm_status_t load_period(const char *input, const cli_net_opts_t *o,
                               const cli_facet_opts_t *fo, const cli_map_opts_t *mo,
                               const pm_period_t *p, pm_geo_t *geo, period_run_t *run,
                               pm_diag_t *diag, pm_error_t *err)
{
    cli_net_opts_t op = *o;
    op.ties.filter.has_period = 1;
    op.ties.filter.from_year = p->from;
    op.ties.filter.to_year = p->to;
    op.ties.filter.drop_undated = fo->per.undated == PM_UNDATED_DROP;
    op.ties.filter.open_end = (int)fo->per.open_end;
    pm_status_t st = cli_net_load(input, &op, 1, geo, 1, &run->net, diag, err);
    if (st)
        return st;
    run->loaded = 1;
    run->mo = *mo;
    st = cli_map_prepare(&run->net, &op, &run->mo, &run->data, diag, err);
    if (st)
        return st;
    run->prepared = 1;
    mark_continuing(&run->net, p, &run->data);
    return PM_OK;
}

/* Warnings of a period's load, said once: the same table read for every period repeats them. */
static void merge_warnings(pm_diag_t *into, const pm_diag_t *from)
{
    for (size_t i = 0; i < from->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < into->n && !seen; j++)
            seen = !strcmp(into->items[j].msg, from->items[i].msg) &&
                   !strcmp(into->items[j].where ? into->items[j].where : "",
                           from->items[i].where ? from->items[i].where : "");
        if (!seen)
            pm_diag_add(into, from->items[i].where, "%s", from->items[i].msg);
    }
}

pm_status_t cli_facet_draw(const char *input, const cli_net_opts_t *o, const cli_map_opts_t *mo,
                           const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out,
                           pm_diag_t *diag, pm_error_t *errp)
{
    pm_error_t err;
    pm_error_clear(&err);
    pm_ties_t t;
    memset(&t, 0, sizeof t);
    int have_ties = 0;
    pm_periods_t ps;
    pm_periods_init(&ps);
    pm_geo_t *geo = NULL;
    pm_renderer_t *rdr = NULL;
    period_run_t *runs = NULL;
    pm_facet_panel_t *panels = NULL;
    char fill_title[300];
    /* the table once, with --where only: the periods, the undated ties, the active counts */
    cli_ties_opts_t to = o->ties;
    to.filter.has_period = 0;
    pm_status_t st = cli_ties_load(input, &to, &t, diag, &err);
    have_ties = !st;
    if (!st && !t.start_col)
        st = pm_error_set(&err, PM_EDATA,
                          "%s: --facet period needs a column of start years or dates, and no "
                          "column was recognised as one; name it with --start COL (and --end COL)",
                          input);
    if (!st)
        st = make_periods(fo, &o->ties.filter, &t, &ps, &err);
    if (!st && ps.n > PM_FACET_MAX_PANELS)
        st = pm_error_set(&err, PM_EUSAGE,
                          "%zu periods make %zu panels, more than a page holds (%d): take a "
                          "larger --step or fewer --periods",
                          ps.n, ps.n, PM_FACET_MAX_PANELS);
    if (st)
        goto done;
    size_t undated = 0;
    for (size_t i = 0; i < t.n; i++)
        undated += t.start[i] == PM_YEAR_NONE;
    if (undated)
        pm_diag_add(diag, input,
                    fo->per.undated == PM_UNDATED_DROP
                        ? "%zu tie%s without a start year left out of every period (--undated "
                          "all draws them in every one)"
                        : "%zu tie%s without a start year drawn in every period (--undated all)",
                    undated, undated == 1 ? "" : "s");
    runs = calloc(ps.n, sizeof *runs);
    panels = calloc(ps.n, sizeof *panels);
    if (!runs || !panels) {
        st = pm_error_set(&err, PM_ENOMEM, "out of memory");
        goto done;
    }
    size_t any = 0, first = ps.n, empty = 0;
    for (size_t k = 0; k < ps.n; k++)
        for (size_t i = 0; i < t.n; i++)
            runs[k].active += pm_period_active(&ps.p[k], t.start[i], t.end[i],
                                               (int)fo->per.open_end, fo->per.undated) != 0;
    for (size_t k = 0; k < ps.n; k++)
        any += runs[k].active > 0;
    if (!any) {
        st = pm_error_set(&err, PM_EDATA, "%s: no tie is active in any of the periods (%s to %s)",
                          input, ps.p[0].label, ps.p[ps.n - 1].label);
        goto done;
    }
    if ((st = pm_renderer_new(&rdr, &err)))
        goto done;
    pm_renderer_fonts_begin(rdr);
    st = cli_net_open_geo(o, &geo, &err);
    /* the first period chooses the table's level (no --level: the whole table decides, so every
     * period would choose alike); the others take it without asking the gazetteer again */
    cli_net_opts_t po = *o;
    for (size_t k = 0; k < ps.n && !st; k++) {
        panels[k].title = ps.p[k].label;
        if (!runs[k].active) {
            empty++;
            continue;
        }
        pm_diag_t pd;
        pm_diag_init(&pd);
        st = load_period(input, &po, fo, mo, &ps.p[k], geo, &runs[k], &pd, &err);
        if (!st && runs[k].net.auto_city)
            po.level = "city";
        if (st && st != PM_ENOMEM) {
            char msg[PM_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err.msg);
            pm_error_set(&err, st, "%.900s (in the period %s)", msg, ps.p[k].label);
        }
        merge_warnings(diag, &pd);
        pm_diag_destroy(&pd);
        if (!st) {
            panels[k].map = &runs[k].data.map;
            first = first < ps.n ? first : k;
        }
    }
    cli_phase("periods loaded");
    pm_renderer_fonts_end(rdr);
    if (st)
        goto done;
    if (empty)
        pm_diag_add(diag, input, "%zu of %zu periods have no tie: their panels are empty", empty,
                    ps.n);
    pm_map_opts_t fig = runs[first].mo.map;
    fig.title = mo->map.title;
    /* --page single / double name a column's width; a figure of panels may be taller than the
     * single map's page (up to PM_FACET_DEFAULT_H_MM) */
    if ((fig.width_mm == PM_PAGE_SINGLE_COLUMN_MM && fig.height_mm == 70) ||
        (fig.width_mm == PM_PAGE_DOUBLE_COLUMN_MM && fig.height_mm == 120))
        fig.height_mm = 0;
    if (fig.fill_title && any > 1) {
        snprintf(fill_title, sizeof fill_title, "%s\nclasses shared by all periods",
                 fig.fill_title);
        fig.fill_title = fill_title;
    }
    pm_facet_opts_t ff;
    pm_facet_opts_init(&ff);
    ff.cols = (size_t)fo->cols;
    char note[256];
    if (undated) {
        snprintf(note, sizeof note,
                 fo->per.undated == PM_UNDATED_DROP
                     ? "%zu of %zu ties have no start year and are not shown"
                     : "%zu of %zu ties have no start year and are shown in every period",
                 undated, t.n);
        ff.note = note;
    }
    st = pm_render_facet(rdr, panels, ps.n, &fig, &ff, outputs, n_out, diag, &err);
    cli_phase("render");
done:
    if (st)
        *errp = err;
    for (size_t k = 0; runs && k < ps.n; k++) {
        if (runs[k].prepared)
            pm_net_map_destroy(&runs[k].data);
        if (runs[k].loaded)
            pm_net_destroy(&runs[k].net);
    }
    free(runs);
    free(panels);
    pm_geo_free(geo);
    pm_renderer_free(rdr);
    pm_periods_destroy(&ps);
    if (have_ties)
        pm_ties_destroy(&t);
    return st;
}

int cli_facet_run(const char *input, const cli_net_opts_t *o, cli_map_opts_t *mo,
                  const cli_facet_opts_t *fo, const char *const *outputs, size_t n_out)
{
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_status_t st = cli_facet_draw(input, o, mo, fo, outputs, n_out, &diag, &err);
    cli_print_warnings(&diag, o->ties.quiet);
    int rc = 0;
    if (st)
        rc = st == PM_EUSAGE ? cli_usage_error("map", "%s", err.msg) : cli_fail(&err);
    pm_diag_destroy(&diag);
    return rc;
}

void cli_facet_batch_job(pm_batch_job_t *j, const cli_net_opts_t *no, const cli_map_opts_t *mo,
                         const cli_facet_opts_t *fo, const pm_batch_figures_t *fig)
{
    if (!j->own_figure || j->other_shard || j->status != PM_BATCH_PENDING)
        return;
    char paths[3][4200];
    const char *outs[3];
    size_t k = 0;
    const char *ext[3] = {fig->png ? "png" : NULL, fig->svg ? "svg" : NULL,
                          fig->pdf ? "pdf" : NULL};
    for (int e = 0; e < 3; e++)
        if (ext[e]) {
            snprintf(paths[k], sizeof paths[k], "%s/map.%s", j->dir, ext[e]);
            outs[k] = paths[k];
            k++;
        }
    pm_error_t err;
    pm_error_clear(&err);
    cli_map_opts_t m = *mo;
    m.map.title = m.map.title ? m.map.title : j->name; /* as the run's single map */
    m.map.shared = j->map.shared; /* the batch's scales, as its other runs' maps */
    m.map.shared_mask = j->map.shared_mask;
    if (k && (pm_io_mkdirs(j->dir, &err) ||
              cli_facet_draw(j->ties, no, &m, fo, outs, k, &j->diag, &err)))
        pm_batch_job_fail(j, "%s", err.msg);
}
