/*
 * cli_map: network -> renderer input, and the map options (see cli_map.h).
 */
#include "cli_map.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pm_io.h"
#include "pm_report.h"

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

static int set_page(const char *cmd, const char *arg, cli_map_opts_t *o)
{
    return cli_parse_page(cmd, arg, &o->map.width_mm, &o->map.height_mm) ? -1 : 1;
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
        return cli_parse_dpi(cmd, arg, &o->map.dpi) ? -1 : 1;
    case OPT_THEME:
        return cli_parse_theme(cmd, arg, &o->map.theme) ? -1 : 1;
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
    case OPT_INSET:
        if (pm_render_parse_inset(arg, &o->map.inset, o->map.inset_box, &err)) {
            cli_usage_error(cmd, "%s", err.msg);
            return -1;
        }
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

static int map_option(const char *cmd, int id, const char *arg, void *o)
{
    return cli_map_option(cmd, id, arg, o);
}

static const cli_opt_t map_opts[] = {{"fill", 1, OPT_FILL, 0, 0},
                                     {"classes", 1, OPT_CLASSES, 0, 0},
                                     {"nclasses", 1, OPT_NCLASSES, 0, 0},
                                     {"palette", 1, OPT_PALETTE, 0, 0},
                                     {"size", 1, OPT_SIZE, 0, 0},
                                     {"page", 1, OPT_PAGE, 0, 0},
                                     {"dpi", 1, OPT_DPI, 0, 0},
                                     {"theme", 1, OPT_THEME, 0, 0},
                                     {"crs", 1, OPT_CRS, 0, 0},
                                     {"extent", 1, OPT_EXTENT, 0, 0},
                                     {"inset", 1, OPT_INSET, 0, 0},
                                     {"label", 1, OPT_LABEL, 0, 0},
                                     {"title", 1, OPT_TITLE, 0, 0},
                                     {"credit", 1, OPT_CREDIT, 0, 0},
                                     {"no-labels", 0, OPT_NO_LABELS, 0, 0},
                                     {"circles", 1, OPT_CIRCLES, 0, 0},
                                     {"stats", 1, OPT_STATS_OUT, 0, 0},
                                     {"join-report", 1, OPT_JOIN_OUT, 0, 0},
                                     {NULL, 0, 0, 0, 0}};

const cli_opt_group_t cli_map_group = {map_opts, map_option};

const char *const cli_map_help[2] = {CLI_TIES_HELP "\n" CLI_GEO_HELP "\n",
                                     CLI_METRICS_HELP "\n" CLI_MAP_HELP};

pm_status_t cli_map_prepare(const pm_net_t *net, const cli_net_opts_t *no, cli_map_opts_t *o,
                            pm_net_map_t *d, pm_diag_t *diag, pm_error_t *err)
{
    pm_net_opts_t po;
    cli_net_core_opts(no, 1, NULL, 1, &po);
    pm_net_map_opts_t mo = {o->fill, o->circles, o->label};
    pm_status_t st = pm_net_map_prepare(net, &po, &mo, &o->map, d, diag, err);
    o->map.command_line = cli_command_line();
    return st;
}

pm_status_t cli_map_side_outputs(const pm_net_t *net, const cli_net_opts_t *no,
                                 const cli_map_opts_t *o, pm_net_map_t *d, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    pm_buf_t b;
    pm_buf_init(&b);
    if (o->stats_out) {
        /* "-": the summary and the top ten places on standard output, for people */
        int people = !strcmp(o->stats_out, "-");
        pm_net_report_view_t v = {
            people ? PM_FMT_TERMINAL : PM_FMT_CSV, NULL, people ? 10 : 0, 0, 0, NULL};
        const pm_spatial_t *sp;
        st = pm_net_map_spatial(net, d, &sp, err);
        if (!st)
            st = pm_net_report_write(net, &no->metrics, sp, &v, &b, err);
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
