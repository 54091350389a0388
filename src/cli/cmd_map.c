/*
 * cmd_map: `partnermap map TIES -o fig.png [-o fig.svg -o fig.pdf]` — the network on a map:
 * places joined to their polygons (choropleth of a metric), circles sized by a metric, ties as
 * curved lines with widths by weight, labels, legend, scale bar.
 */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_facet.h"
#include "cli_map.h"
#include "cli_net.h"
#include "cli_uncert_map.h"
#include "pm_runtime.h"

static const char help[] =
    "usage: partnermap map [options] TIES -o FIGURE [-o FIGURE...]\n"
    "\n"
    "Draws the network of TIES on a map. The format of each FIGURE comes from its extension:\n"
    ".png, .svg or .pdf; all are drawn from one scene, so they agree. Every option has a default,\n"
    "so 'partnermap map ties.csv -o fig.pdf' gives a complete figure.\n"
    "\n";

static const char help_end[] = "  -o, --output FILE   a figure to write (repeatable)\n"
                               "\n" CLI_FACET_HELP "  -h, --help          this help\n"
                               "\n"
                               "Ties marked confidence=probable are dashed; tie widths are "
                               "proportional to weight, in\n"
                               "points, and the legend's widths are the drawn widths.\n"
                               "\n";

static int needs_paths(const char *metric)
{
    return metric && (!strcmp(metric, "betweenness") || !strcmp(metric, "closeness"));
}

/* The map of run's network into the figures, then the statistics that were left to finish
 * while it was drawn, then the side outputs. */
static pm_status_t draw(pm_renderer_t *rdr, cli_net_run_t *run, const cli_net_opts_t *o,
                        cli_map_opts_t *mo, const cli_outputs_t *outs, pm_net_map_t *data,
                        const cli_uncert_opts_t *uo, cli_uncert_map_t *um)
{
    pm_status_t st = cli_map_prepare(&run->net, o, mo, data, &run->diag, &run->err);
    cli_phase("geometries");
    if (!st && uo->on) {
        st = cli_uncert_map_marks(&run->net, o, uo, mo, data, um, o->ties.quiet, &run->err);
        if (!st && !o->ties.quiet && !(mo->stats_out && !strcmp(mo->stats_out, "-")))
            cli_uncert_map_note(um, "partnermap: note: ", stderr);
        cli_phase("uncertainty");
    }
    if (!st) {
        data->map.polygons_done = pm_net_map_free_polygons;
        data->map.polygons_ctx = data;
        st = pm_renderer_draw(rdr, &data->map, &mo->map, outs->v, outs->n, &run->diag, &run->err);
        cli_phase("render");
    }
    if (!st)
        st = pm_metrics_finish(&run->net.m, &run->err);
    cli_phase("path statistics");
    if (!st)
        st = cli_map_side_outputs(&run->net, o, mo, data, &run->err);
    if (!st && mo->stats_out && !strcmp(mo->stats_out, "-")) {
        /* the summary for people notes the labels the figure lacks (--quiet hides the warning) */
        size_t tried;
        const char *names;
        size_t left_out = pm_renderer_labels_left_out(rdr, &tried, &names);
        if (left_out)
            printf("\nlabels left out of the map: %zu of %zu (no free position near the place): "
                   "%s\n",
                   left_out, tried, names);
        const char *inset = pm_renderer_inset_note(rdr);
        if (*inset)
            printf("\n%s\n", inset);
        const char *check = pm_renderer_label_check(rdr);
        if (*check)
            printf("\n%s\n", check);
        if (uo->on)
            cli_uncert_map_note(um, "\n", stdout);
    }
    return st;
}

int cmd_map(int argc, char **argv)
{
    cli_phase("start");
    const char *const texts[] = {
        help, cli_map_help[0], cli_map_help[1], "\n" CLI_UNCERT_MAP_HELP, help_end, NULL};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    cli_map_opts_t mo;
    cli_map_opts_init(&mo);
    cli_outputs_t outs;
    cli_outputs_init(&outs, CLI_MAX_OUTPUTS, "figures",
                     "no figure to write: add -o FILE.png (or .svg, .pdf)", NULL);
    cli_facet_opts_t fo;
    cli_facet_opts_init(&fo);
    cli_uncert_opts_t uo;
    cli_uncert_opts_init(&uo);
    cli_uncert_map_t um;
    cli_uncert_map_init(&um);
    const cli_opt_use_t uses[] = {
        {&cli_ties_group, &o.ties}, {&cli_geo_group, &o},         {&cli_metrics_group, &o},
        {&cli_map_group, &mo},      {&cli_facet_group, &fo},      {&cli_period_group, &fo.per},
        {&cli_uncert_group, &uo},   {&cli_uncert_map_group, &um}, {&cli_outputs_group, &outs}};
    const cli_opt_parser_t p = {"map", uses, 9, texts, NULL, NULL, 0};
    int rc = cli_outputs_require("map", cli_opt_parse(&p, argc, argv), argc, &outs);
    if (rc < 0)
        rc = cli_facet_check("map", &fo, &mo, &o.ties.filter);
    uo.quiet = 1; /* no Slurm array shard for a map */
    rc = cli_uncert_map_check("map", rc, &uo, &um);
    if (rc < 0 && uo.on && fo.on)
        rc = cli_usage_error("map", "--uncertainty with --facet: the small multiples do not show "
                                    "replicates yet; draw one map per period");
    if (rc < 0 && !uo.on && uo.needs_n)
        rc = cli_usage_error("map",
                             "%s needs --uncertainty N (it is an option of the Monte Carlo over "
                             "the sources)",
                             uo.needs_n);
    const char *input = NULL, *writes[CLI_MAX_OUTPUTS + 2];
    size_t n_writes = 0;
    for (size_t i = 0; i < outs.n; i++)
        writes[n_writes++] = outs.v[i];
    if (mo.stats_out && strcmp(mo.stats_out, "-"))
        writes[n_writes++] = mo.stats_out;
    if (mo.join_out)
        writes[n_writes++] = mo.join_out;
    if ((rc = cli_net_input("map", rc, argc, argv, &o, writes, n_writes, &input)) >= 0) {
        cli_map_opts_destroy(&mo);
        cli_net_opts_destroy(&o);
        return rc;
    }
    if (fo.on) {
        rc = cli_facet_run(input, &o, &mo, &fo, outs.v, outs.n);
        cli_map_opts_destroy(&mo);
        cli_net_opts_destroy(&o);
        return rc;
    }
    pm_net_map_t data;
    memset(&data, 0, sizeof data);
    /* the path statistics run in the background while the map is drawn, unless the map shows
     * one of them */
    o.metrics.defer_paths = !needs_paths(mo.fill) && !needs_paths(mo.circles) && !uo.on;
    pm_renderer_t *rdr = NULL;
    pm_error_t err;
    if (pm_renderer_new(&rdr, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    pm_renderer_set_phase(rdr, cli_timing());
    pm_renderer_fonts_begin(rdr);
    cli_net_run_t run;
    rc = cli_net_run_load(&run, input, &o, 1, 1);
    cli_phase("read+join+metrics");
    pm_renderer_fonts_end(rdr);
    if (rc < 0)
        rc = cli_net_run_exit(&run, "map", draw(rdr, &run, &o, &mo, &outs, &data, &uo, &um));
    pm_net_map_destroy(&data);
    rc = cli_net_run_end(&run, rc);
done:
    cli_uncert_map_destroy(&um);
    pm_renderer_free(rdr);
    cli_map_opts_destroy(&mo);
    cli_net_opts_destroy(&o);
    return rc;
}
