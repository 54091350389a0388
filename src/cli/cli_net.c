/*
 * cli_net: tie table -> joined, measured network (see cli_net.h).
 */
#include "cli_net.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

void cli_net_opts_init(cli_net_opts_t *o)
{
    memset(o, 0, sizeof *o);
    cli_ties_opts_init(&o->ties);
    pm_metrics_opts_init(&o->metrics);
    pm_geo_opts_init(&o->geo);
    pm_join_opts_init(&o->join);
}

void cli_net_opts_destroy(cli_net_opts_t *o)
{
    cli_ties_opts_destroy(&o->ties);
}

static int add_to(const char **list, size_t *n, const char *v, const char *cmd, const char *flag)
{
    if (*n >= 16) {
        cli_usage_error(cmd, "%s: at most 16", flag);
        return -1;
    }
    list[(*n)++] = v;
    return 1;
}

int cli_net_option(const char *cmd, int opt, const char *arg, cli_net_opts_t *o)
{
    int r = cli_ties_option(cmd, opt, arg, &o->ties);
    if (r)
        return r;
    pm_error_t err;
    char *end;
    long v;
    switch (opt) {
    case OPT_GEO:
        o->geo.source = arg;
        return 1;
    case OPT_GEO_LAYER:
        o->geo.layer = arg;
        return 1;
    case OPT_GEO_KEY:
        r = add_to(o->geo_keys, &o->geo.n_code_fields, arg, cmd, "--geo-key");
        o->geo.code_fields = o->geo_keys;
        return r;
    case OPT_GEO_NAME:
        r = add_to(o->geo_names, &o->geo.n_name_fields, arg, cmd, "--geo-name");
        o->geo.name_fields = o->geo_names;
        return r;
    case OPT_LEVEL:
        if (strcmp(arg, "admin1") && strcmp(arg, "country") && strcmp(arg, "countries") &&
            strcmp(arg, "city") && strcmp(arg, "auto")) {
            cli_usage_error(cmd, "--level '%s': use admin1, country, city or auto", arg);
            return -1;
        }
        o->level = arg;
        return 1;
    case OPT_AGGREGATE:
        if (strcmp(arg, "region") && strcmp(arg, "country")) {
            cli_usage_error(cmd, "--aggregate '%s': use region or country", arg);
            return -1;
        }
        o->aggregate = arg;
        return 1;
    case OPT_COUNTRY:
        o->join.country = arg;
        return 1;
    case OPT_COUNTRY_FROM:
        o->country_from_col = arg;
        return 1;
    case OPT_COUNTRY_TO:
        o->country_to_col = arg;
        return 1;
    case OPT_ALIASES:
        r = add_to(o->alias_files, &o->geo.n_alias_files, arg, cmd, "--aliases");
        o->geo.alias_files = o->alias_files;
        return r;
    case OPT_PLACES:
        o->geo.places_file = arg;
        return 1;
    case OPT_ANCHOR:
        if (pm_geo_anchor_parse(arg, &o->join.anchor, &err)) {
            cli_usage_error(cmd, "%s", err.msg);
            return -1;
        }
        return 1;
    case OPT_ALLOW_UNMATCHED:
        o->allow_unmatched = 1;
        return 1;
    case OPT_WEIGHTS:
        if (!strcmp(arg, "strength"))
            o->metrics.weights = PM_WEIGHTS_STRENGTH;
        else if (!strcmp(arg, "as-length"))
            o->metrics.weights = PM_WEIGHTS_LENGTH;
        else if (!strcmp(arg, "none"))
            o->metrics.weights = PM_WEIGHTS_NONE;
        else {
            cli_usage_error(cmd, "--weights '%s': use strength, as-length or none", arg);
            return -1;
        }
        return 1;
    case OPT_NORMALIZED:
        o->metrics.normalized = 1;
        return 1;
    case OPT_COMMUNITY:
        if (!strcmp(arg, "louvain"))
            o->metrics.community = PM_COMMUNITY_LOUVAIN;
        else if (!strcmp(arg, "leiden"))
            o->metrics.community = PM_COMMUNITY_LEIDEN;
        else {
            cli_usage_error(cmd, "--community '%s': use louvain or leiden", arg);
            return -1;
        }
        return 1;
    case OPT_RESOLUTION: {
        double x = strtod(arg, &end);
        if (*end || !(x > 0) || !isfinite(x)) {
            cli_usage_error(cmd, "--resolution '%s': give a number > 0", arg);
            return -1;
        }
        o->metrics.resolution = x;
        return 1;
    }
    case OPT_SEED:
        if (cli_parse_long(arg, 0, 2147483647L, &v)) {
            cli_usage_error(cmd, "--seed '%s': give a whole number >= 0", arg);
            return -1;
        }
        o->metrics.seed = (unsigned long)v;
        return 1;
    default:
        return 0;
    }
}

static int geo_option(const char *cmd, int id, const char *arg, void *target)
{
    cli_net_opts_t *o = target;
    o->geo_given = 1;
    return cli_net_option(cmd, id, arg, o);
}

static int metrics_option(const char *cmd, int id, const char *arg, void *target)
{
    return cli_net_option(cmd, id, arg, target);
}

/* --geo, --geo-layer, --geo-key, --geo-name, --level, --aggregate, --aliases and --places choose
 * the one geometry a batch shares */
static const cli_opt_t geo_opts[] = {{"geo", 1, OPT_GEO, 0, CLI_OPT_BATCH_WIDE},
                                     {"geo-layer", 1, OPT_GEO_LAYER, 0, CLI_OPT_BATCH_WIDE},
                                     {"geo-key", 1, OPT_GEO_KEY, 0, CLI_OPT_BATCH_WIDE},
                                     {"geo-name", 1, OPT_GEO_NAME, 0, CLI_OPT_BATCH_WIDE},
                                     {"level", 1, OPT_LEVEL, 0, CLI_OPT_BATCH_WIDE},
                                     {"aggregate", 1, OPT_AGGREGATE, 0, CLI_OPT_BATCH_WIDE},
                                     {"country", 1, OPT_COUNTRY, 0, 0},
                                     {"country-from", 1, OPT_COUNTRY_FROM, 0, 0},
                                     {"country-to", 1, OPT_COUNTRY_TO, 0, 0},
                                     {"aliases", 1, OPT_ALIASES, 0, CLI_OPT_BATCH_WIDE},
                                     {"places", 1, OPT_PLACES, 0, CLI_OPT_BATCH_WIDE},
                                     {"anchor", 1, OPT_ANCHOR, 0, 0},
                                     {"allow-unmatched", 0, OPT_ALLOW_UNMATCHED, 0, 0},
                                     {NULL, 0, 0, 0, 0}};

static const cli_opt_t metrics_opts[] = {{"weights", 1, OPT_WEIGHTS, 0, 0},
                                         {"normalized", 0, OPT_NORMALIZED, 0, 0},
                                         {"normalised", 0, OPT_NORMALIZED, 0, 0},
                                         {"community", 1, OPT_COMMUNITY, 0, 0},
                                         {"resolution", 1, OPT_RESOLUTION, 0, 0},
                                         {"seed", 1, OPT_SEED, 0, 0},
                                         {NULL, 0, 0, 0, 0}};

const cli_opt_group_t cli_geo_group = {geo_opts, geo_option};
const cli_opt_group_t cli_metrics_group = {metrics_opts, metrics_option};

void cli_net_core_opts(const cli_net_opts_t *o, int with_geo, pm_geo_t *shared_geo,
                       int with_metrics, pm_net_opts_t *po)
{
    pm_net_opts_init(po);
    po->table = o->ties.table;
    po->filter = &o->ties.filter;
    po->directed = o->ties.directed;
    po->with_geo = with_geo;
    po->shared_geo = shared_geo;
    po->geo = o->geo;
    po->level = o->level && (!strcmp(o->level, "country") || !strcmp(o->level, "countries"))
                    ? PM_NET_COUNTRY
                    : PM_NET_ADMIN1;
    /* no --level: each table joins at admin1 or, when its places are cities, at city level
     * (the default geodata only: cities are placed among its admin1 units) */
    int table =
        !o->geo.source && !o->geo.layer && !(o->aggregate && !strcmp(o->aggregate, "country"));
    po->cities = !o->level                   ? (table ? PM_NET_CITIES_TABLE : PM_NET_CITIES_NONE)
                 : !strcmp(o->level, "city") ? PM_NET_CITIES_ONLY
                 : !strcmp(o->level, "auto") ? PM_NET_CITIES_AUTO
                                             : PM_NET_CITIES_NONE;
    po->aggregate = !o->aggregate                     ? PM_NET_AGG_NONE
                    : !strcmp(o->aggregate, "region") ? PM_NET_AGG_REGION
                                                      : PM_NET_AGG_COUNTRY;
    po->join = o->join;
    po->country_from_col = o->country_from_col;
    po->country_to_col = o->country_to_col;
    po->allow_unmatched = o->allow_unmatched;
    po->report_join = o->report_join;
    po->with_metrics = with_metrics;
    po->metrics = o->metrics;
    po->phase = cli_timing();
}

/* The core speaks of the data; the options that answer it are the CLI's. */
static void add_hint(pm_error_t *err, const char *says, const char *option)
{
    size_t n = strlen(err->msg);
    if (strstr(err->msg, says) && n + strlen(option) + 8 < sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - n, " (with %s)", option);
}

static void add_hints(pm_error_t *err)
{
    if (!err)
        return;
    add_hint(err, "choose the layer", "--geo-layer NAME");
    add_hint(err, "name the code or name fields", "--geo-key FIELD or --geo-name FIELD");
    const char *col = strstr(err->msg, "for the country of the ");
    if (col && err->code == PM_EDATA) {
        int first = !strncmp(col + strlen("for the country of the "), "first", 5);
        add_hint(err, "for the country of the", first ? "--country-from" : "--country-to");
    }
}

pm_status_t cli_net_open_geo(const cli_net_opts_t *o, pm_geo_t **out, pm_error_t *err)
{
    pm_net_opts_t po;
    cli_net_core_opts(o, 1, NULL, 0, &po);
    pm_status_t rc = pm_net_open_geo(&po, out, err);
    if (rc)
        add_hints(err);
    return rc;
}

size_t cli_net_inputs(const char *ties, const cli_net_opts_t *o, const char **out, size_t max)
{
    static char *world;
    if (!world)
        world = pm_geo_default_source_dup(); /* kept for the process's life */
    const char *fixed[] = {ties, o->geo.places_file, o->geo.source ? o->geo.source : world,
                           o->geo.composites_file};
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < max; i++)
        out[n++] = fixed[i];
    for (size_t i = 0; i < o->geo.n_alias_files && n < max; i++)
        out[n++] = o->geo.alias_files[i];
    return n;
}

int cli_net_protect_inputs(const char *cmd, const char *ties, const cli_net_opts_t *o,
                           const char *const *outputs, size_t n)
{
    const char *inputs[CLI_NET_MAX_INPUTS];
    size_t n_in = cli_net_inputs(ties, o, inputs, CLI_NET_MAX_INPUTS);
    int rc = -1;
    for (size_t i = 0; i < n && rc < 0; i++)
        if (outputs[i])
            rc = cli_protect_inputs(cmd, outputs[i], inputs, n_in);
    return rc;
}

int cli_net_input(const char *cmd, int rc, int argc, char **argv, const cli_net_opts_t *o,
                  const char *const *outputs, size_t n, const char **input)
{
    if (rc < 0)
        rc = cli_one_input(cmd, argc);
    if (rc < 0)
        rc = cli_net_protect_inputs(cmd, *input = argv[optind], o, outputs, n);
    return rc;
}

pm_status_t cli_net_load(const char *path, const cli_net_opts_t *o, int with_geo,
                         pm_geo_t *shared_geo, int with_metrics, pm_net_t *net, pm_diag_t *diag,
                         pm_error_t *err)
{
    pm_net_opts_t po;
    cli_net_core_opts(o, with_geo, shared_geo, with_metrics, &po);
    pm_status_t st = pm_net_load(path, &po, net, diag, err);
    if (st == PM_EJOIN) {
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n,
                 ". See 'partnermap join %s' for every match and suggestion; fix the names, add "
                 "--aliases, or pass --allow-unmatched",
                 path);
        n = strlen(err->msg);
        int regions = po.cities == PM_NET_CITIES_NONE || po.cities == PM_NET_CITIES_TABLE;
        if (o->aggregate && regions)
            snprintf(err->msg + n, sizeof err->msg - n,
                     "; --aggregate rolls places up, it does not join them as cities: add "
                     "--level city (or auto) when the places are cities");
        else if ((!o->level || !strcmp(o->level, "admin1")) && regions)
            snprintf(err->msg + n, sizeof err->msg - n,
                     "; if the places are cities, add --level city (or --level auto: regions "
                     "first, then cities)");
    } else if (st) {
        add_hints(err);
    }
    return st;
}

void cli_net_run_warnings(cli_net_run_t *r)
{
    pm_diag_t rest = r->diag;
    rest.items += r->shown;
    rest.n -= r->shown;
    cli_print_warnings(&rest, r->quiet);
    r->shown = r->diag.n;
}

int cli_net_run_load(cli_net_run_t *r, const char *input, const cli_net_opts_t *o, int with_geo,
                     int with_metrics)
{
    memset(r, 0, sizeof *r);
    pm_diag_init(&r->diag);
    r->quiet = o->ties.quiet;
    pm_status_t st =
        cli_net_load(input, o, with_geo, NULL, with_metrics, &r->net, &r->diag, &r->err);
    r->loaded = !st;
    cli_net_run_warnings(r);
    return st ? cli_fail(&r->err) : -1;
}

int cli_net_run_exit(cli_net_run_t *r, const char *cmd, pm_status_t st)
{
    cli_net_run_warnings(r);
    return !st ? 0 : st == PM_EUSAGE ? cli_usage_error(cmd, "%s", r->err.msg) : cli_fail(&r->err);
}

int cli_net_run_end(cli_net_run_t *r, int rc)
{
    cli_net_run_warnings(r);
    if (r->loaded)
        pm_net_destroy(&r->net);
    pm_diag_destroy(&r->diag);
    return rc;
}
