/*
 * cli_net: tie table -> joined, measured network (see cli_net.h).
 */
#include "cli_net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "pm_runtime.h"
#include "pm_strmap.h"

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
        if (strcmp(arg, "admin1") && strcmp(arg, "country") && strcmp(arg, "countries")) {
            cli_usage_error(cmd, "--level '%s': use admin1 or country", arg);
            return -1;
        }
        o->level = arg;
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

pm_status_t cli_net_open_geo(const cli_net_opts_t *o, pm_geo_t **out, pm_error_t *err)
{
    pm_geo_opts_t g = o->geo;
    if (!g.layer && !g.source && o->level && strcmp(o->level, "admin1"))
        g.layer = "countries";
    pm_status_t rc = pm_geo_open(&g, out, err);
    /* the core speaks of the data; the options that answer it are the CLI's */
    static const struct {
        const char *says, *option;
    } hints[] = {{"choose the layer", "--geo-layer NAME"},
                 {"name the code or name fields", "--geo-key FIELD or --geo-name FIELD"}};
    for (size_t i = 0; rc != PM_OK && err && i < sizeof hints / sizeof hints[0]; i++) {
        size_t n = strlen(err->msg);
        if (strstr(err->msg, hints[i].says) && n + strlen(hints[i].option) + 8 < sizeof err->msg)
            snprintf(err->msg + n, sizeof err->msg - n, " (with %s)", hints[i].option);
    }
    return rc;
}

void cli_net_destroy(cli_net_t *net)
{
    if (!net)
        return;
    pm_metrics_destroy(&net->m);
    pm_graph_destroy(&net->g);
    if (net->key_from)
        for (size_t i = 0; i < net->ties.n; i++) {
            free(net->key_from[i]);
            free(net->key_to[i]);
        }
    free(net->key_from);
    free(net->key_to);
    pm_join_result_destroy(&net->join);
    free(net->q);
    free(net->tie_q_from);
    free(net->tie_q_to);
    free(net->node_q);
    if (net->own_geo)
        pm_geo_free(net->geo);
    pm_ties_destroy(&net->ties);
    memset(net, 0, sizeof *net);
}

size_t cli_net_inputs(const char *ties, const cli_net_opts_t *o, const char **out, size_t max)
{
    static char world[4096];
    snprintf(world, sizeof world, "%s/world.gpkg", pm_runtime_datadir());
    const char *fixed[] = {ties, o->geo.places_file, o->geo.source ? o->geo.source : world,
                           o->geo.composites_file};
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < max; i++)
        out[n++] = fixed[i];
    for (size_t i = 0; i < o->geo.n_alias_files && n < max; i++)
        out[n++] = o->geo.alias_files[i];
    return n;
}

size_t cli_net_unit(const cli_net_t *net, size_t place)
{
    if (!net->geo || !net->node_q)
        return PM_JOIN_NO_UNIT;
    return net->join.m[net->node_q[place]].unit;
}

static int contains_country(const char *col)
{
    for (const char *p = col; *p; p++)
        if (!strncasecmp(p, "country", 7))
            return 1;
    return 0;
}

/* The country column of each side: the flags, else group columns named like countries. */
static void country_columns(const cli_net_opts_t *o, const pm_ties_t *t, int *from_attr,
                            int *to_attr, int *use_groups)
{
    *from_attr = *to_attr = -1;
    *use_groups = 0;
    if (o->country_from_col || o->country_to_col) {
        *from_attr = o->country_from_col ? pm_ties_attr_index(t, o->country_from_col) : -1;
        *to_attr = o->country_to_col ? pm_ties_attr_index(t, o->country_to_col) : -1;
        /* the flags may name the group columns themselves */
        if (t->group_from_col && o->country_from_col &&
            !strcasecmp(o->country_from_col, t->group_from_col))
            *use_groups = 1;
        return;
    }
    if (t->group_from_col && contains_country(t->group_from_col))
        *use_groups = 1;
}

static pm_status_t make_queries(const cli_net_opts_t *o, cli_net_t *net, pm_error_t *err)
{
    pm_ties_t *t = &net->ties;
    int fa, ta, groups;
    country_columns(o, t, &fa, &ta, &groups);
    if ((o->country_from_col && fa < 0 && !groups) || (o->country_to_col && ta < 0 && !groups))
        return pm_error_set(err, PM_EDATA, "%s: no column '%s' for --country-%s", t->path,
                            fa < 0 && o->country_from_col ? o->country_from_col : o->country_to_col,
                            fa < 0 && o->country_from_col ? "from" : "to");
    net->q = malloc(2 * t->n * sizeof *net->q);
    net->tie_q_from = malloc(t->n * sizeof(size_t));
    net->tie_q_to = malloc(t->n * sizeof(size_t));
    if (!net->q || !net->tie_q_from || !net->tie_q_to)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    pm_strmap_t seen;
    pm_strmap_init(&seen);
    pm_status_t st = PM_OK;
    for (size_t i = 0; i < t->n && !st; i++) {
        for (int side = 0; side < 2; side++) {
            const char *name = side ? t->to[i] : t->from[i];
            const char *c = NULL;
            if (groups)
                c = side ? t->group_to[i] : t->group_from[i];
            else if ((side ? ta : fa) >= 0)
                c = t->attr[i * t->n_attr + (size_t)(side ? ta : fa)];
            size_t klen = strlen(name) + (c ? strlen(c) : 0) + 3;
            char *key = malloc(klen);
            if (!key) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                break;
            }
            snprintf(key, klen, "%s\x1f%s", name, c ? c : "");
            size_t k = pm_strmap_get(&seen, key);
            if (k == (size_t)-1) {
                k = net->n_q++;
                net->q[k].name = name;
                net->q[k].country = c;
                net->q[k].year = 0; /* the dataset's period decides (pm_join_opts_t.year) */
                if (pm_strmap_put(&seen, key, k))
                    st = pm_error_set(err, PM_ENOMEM, "out of memory");
            }
            free(key);
            (side ? net->tie_q_to : net->tie_q_from)[i] = k;
        }
    }
    pm_strmap_destroy(&seen);
    return st;
}

/* Graph identity of each tie side: "#<unit>" when matched, else the name as written. */
static pm_status_t make_keys(cli_net_t *net, pm_error_t *err)
{
    size_t n = net->ties.n;
    net->key_from = calloc(n, sizeof(char *));
    net->key_to = calloc(n, sizeof(char *));
    if (!net->key_from || !net->key_to)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        for (int side = 0; side < 2; side++) {
            size_t q = side ? net->tie_q_to[i] : net->tie_q_from[i];
            size_t unit = net->join.m[q].unit;
            if (unit == PM_JOIN_NO_UNIT)
                continue;
            char *k = malloc(32);
            if (!k)
                return pm_error_set(err, PM_ENOMEM, "out of memory");
            snprintf(k, 32, "#%zu", unit);
            (side ? net->key_to : net->key_from)[i] = k;
        }
    }
    return PM_OK;
}

static pm_status_t map_nodes(cli_net_t *net, pm_error_t *err)
{
    net->node_q = malloc((net->g.n_nodes ? net->g.n_nodes : 1) * sizeof(size_t));
    if (!net->node_q)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t v = 0; v < net->g.n_nodes; v++)
        net->node_q[v] = (size_t)-1;
    pm_strmap_t idx;
    pm_strmap_init(&idx);
    for (size_t v = 0; v < net->g.n_nodes; v++)
        if (pm_strmap_put(&idx, net->g.key[v], v)) {
            pm_strmap_destroy(&idx);
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        }
    for (size_t i = 0; i < net->ties.n; i++) {
        const char *ka = net->key_from[i] ? net->key_from[i] : net->ties.from[i];
        const char *kb = net->key_to[i] ? net->key_to[i] : net->ties.to[i];
        size_t a = pm_strmap_get(&idx, ka), b = pm_strmap_get(&idx, kb);
        if (a != (size_t)-1 && net->node_q[a] == (size_t)-1)
            net->node_q[a] = net->tie_q_from[i];
        if (b != (size_t)-1 && net->node_q[b] == (size_t)-1)
            net->node_q[b] = net->tie_q_to[i];
    }
    pm_strmap_destroy(&idx);
    for (size_t v = 0; v < net->g.n_nodes; v++)
        net->n_unmatched_places += net->join.m[net->node_q[v]].unit == PM_JOIN_NO_UNIT;
    return PM_OK;
}

pm_status_t cli_net_load(const char *path, const cli_net_opts_t *o, int with_geo,
                         pm_geo_t *shared_geo, int with_metrics, cli_net_t *net, pm_diag_t *diag,
                         pm_error_t *err)
{
    memset(net, 0, sizeof *net);
    pm_join_result_init(&net->join);
    pm_status_t st = cli_ties_load(path, &o->ties, &net->ties, diag, err);
    if (st)
        goto cleanup;
    pm_runtime_phase("ties read");
    if (with_geo) {
        if (shared_geo) {
            net->geo = shared_geo;
        } else {
            if ((st = cli_net_open_geo(o, &net->geo, err)))
                goto cleanup;
            net->own_geo = 1;
            const pm_diag_t *gw = pm_geo_warnings(net->geo);
            for (size_t i = 0; i < gw->n; i++)
                pm_diag_add(diag, gw->items[i].where, "%s", gw->items[i].msg);
        }
        pm_runtime_phase("geo opened");
        pm_join_opts_t jo = o->join;
        if (!jo.year && o->ties.filter.has_period)
            jo.year = o->ties.filter.from_year;
        if ((st = make_queries(o, net, err)) ||
            (st = pm_join_run(net->geo, &jo, net->q, net->n_q, &net->join, diag, err)))
            goto cleanup;
        if ((st = pm_join_check(&net->join, err))) {
            if (!o->allow_unmatched) {
                char msg[PM_ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", err->msg);
                st = pm_error_set(err, PM_EJOIN,
                                  "%s: %s. See 'partnermap join %s' for every match and "
                                  "suggestion; fix the names, add --aliases, or pass "
                                  "--allow-unmatched",
                                  path, msg, path);
                goto cleanup;
            }
            if (!o->report_join)
                pm_diag_add(diag, path,
                            "%s; left out of maps and spatial statistics (--allow-unmatched)",
                            err->msg);
            pm_error_clear(err);
            st = PM_OK;
        }
        if ((st = make_keys(net, err)))
            goto cleanup;
        pm_runtime_phase("joined");
    }
    if ((st = pm_graph_build(&net->ties, o->ties.directed, net->key_from, net->key_to, &net->g,
                             diag, err)))
        goto cleanup;
    if (with_geo && (st = map_nodes(net, err)))
        goto cleanup;
    if (with_geo) {
        /* a place is named as the first spelling met; after a join several spellings may be one
         * place: say so */
        for (size_t i = 0; i < net->n_q; i++) {
            size_t u = net->join.m[i].unit;
            for (size_t j = 0; u != PM_JOIN_NO_UNIT && j < i; j++)
                if (net->join.m[j].unit == u && strcmp(net->q[j].name, net->q[i].name)) {
                    pm_diag_add(diag, path, "'%s' and '%s' are the same unit (%s): one place",
                                net->q[j].name, net->q[i].name,
                                net->join.m[i].code ? net->join.m[i].code : "?");
                    break;
                }
        }
    }
    if (with_metrics && (st = pm_metrics_compute(&net->g, &o->metrics, &net->m, err)))
        goto cleanup;
    return PM_OK;
cleanup:
    cli_net_destroy(net);
    return st;
}
