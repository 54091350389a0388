/*
 * pm_net: tie table -> joined, measured network (see pm_net.h).
 */
#include "pm_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_runtime.h"
#include "pm_strmap.h"

void pm_net_opts_init(pm_net_opts_t *o)
{
    memset(o, 0, sizeof *o);
    pm_metrics_opts_init(&o->metrics);
    pm_geo_opts_init(&o->geo);
    pm_join_opts_init(&o->join);
}

pm_status_t pm_net_open_geo(const pm_net_opts_t *o, pm_geo_t **out, pm_error_t *err)
{
    pm_geo_opts_t g = o->geo;
    if (!g.phase.hook)
        g.phase = o->phase;
    if (!g.layer && !g.source && (o->level == PM_NET_COUNTRY || o->aggregate == PM_NET_AGG_COUNTRY))
        g.layer = "countries";
    return pm_geo_open(&g, out, err);
}

void pm_net_destroy(pm_net_t *net)
{
    if (!net)
        return;
    pm_metrics_destroy(&net->m);
    pm_graph_destroy(&net->g);
    free(net->unit_from);
    free(net->unit_to);
    pm_join_result_destroy(&net->join);
    free(net->q);
    free(net->tie_q_from);
    free(net->tie_q_to);
    free(net->node_q);
    free(net->q_region);
    pm_join_result_destroy(&net->agg);
    free(net->q_agg);
    pm_geo_free(net->geo_admin1);
    pm_gaz_free(net->gaz);
    if (net->own_geo)
        pm_geo_free(net->geo);
    pm_ties_destroy(&net->ties);
    memset(net, 0, sizeof *net);
}

size_t pm_net_unit(const pm_net_t *net, size_t place)
{
    return place < net->g.n_nodes && net->g.unit ? net->g.unit[place] : PM_GRAPH_NO_UNIT;
}

const pm_join_result_t *pm_net_places_join(const pm_net_t *net)
{
    return net->has_agg ? &net->agg : &net->join;
}

const pm_join_match_t *pm_net_match(const pm_net_t *net, size_t place)
{
    if (!net->geo || !net->node_q || place >= net->g.n_nodes)
        return NULL;
    return &pm_net_places_join(net)->m[net->node_q[place]];
}

static int contains_country(const char *col)
{
    for (const char *p = col; *p; p++)
        if (!strncasecmp(p, "country", 7))
            return 1;
    return 0;
}

/* The country column of each side: the flags, else group columns named like countries. */
static void country_columns(const pm_net_opts_t *o, const pm_ties_t *t, int *from_attr,
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

static pm_status_t make_queries(const pm_net_opts_t *o, pm_net_t *net, pm_error_t *err)
{
    pm_ties_t *t = &net->ties;
    int fa, ta, groups;
    country_columns(o, t, &fa, &ta, &groups);
    if ((o->country_from_col && fa < 0 && !groups) || (o->country_to_col && ta < 0 && !groups))
        return pm_error_set(err, PM_EDATA, "%s: no column '%s' for the country of the %s place",
                            t->path,
                            fa < 0 && o->country_from_col ? o->country_from_col : o->country_to_col,
                            fa < 0 && o->country_from_col ? "first" : "second");
    int fr = -1, tr = -1;
    if (o->cities) {
        fr = pm_ties_attr_index(t, o->region_from_col ? o->region_from_col : "from_region");
        tr = pm_ties_attr_index(t, o->region_to_col ? o->region_to_col : "to_region");
        if ((o->region_from_col && fr < 0) || (o->region_to_col && tr < 0))
            return pm_error_set(
                err, PM_EDATA, "%s: no column '%s' for the region of a place", t->path,
                o->region_from_col && fr < 0 ? o->region_from_col : o->region_to_col);
        if (!(net->q_region = calloc(2 * t->n + 1, sizeof *net->q_region)))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
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
            const char *reg = NULL;
            if ((side ? tr : fr) >= 0)
                reg = t->attr[i * t->n_attr + (size_t)(side ? tr : fr)];
            size_t klen = strlen(name) + (c ? strlen(c) : 0) + (reg ? strlen(reg) : 0) + 4;
            char *key = malloc(klen);
            if (!key) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                break;
            }
            snprintf(key, klen, "%s\x1f%s\x1f%s", name, c ? c : "", reg ? reg : "");
            size_t k = pm_strmap_get(&seen, key);
            if (k == (size_t)-1) {
                k = net->n_q++;
                net->q[k].name = name;
                net->q[k].country = c;
                net->q[k].year = 0; /* the dataset's period decides (pm_join_opts_t.year) */
                if (net->q_region)
                    net->q_region[k] = reg;
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

/* Graph identity of each tie side: the matched unit, else PM_GRAPH_NO_UNIT (the name). */
static pm_status_t make_units(pm_net_t *net, pm_error_t *err)
{
    size_t n = net->ties.n;
    net->unit_from = malloc((n ? n : 1) * sizeof(size_t));
    net->unit_to = malloc((n ? n : 1) * sizeof(size_t));
    if (!net->unit_from || !net->unit_to)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        size_t a = net->join.m[net->tie_q_from[i]].unit, b = net->join.m[net->tie_q_to[i]].unit;
        if (net->q_agg) { /* the roll-up */
            a = a == PM_JOIN_NO_UNIT ? a : net->q_agg[net->tie_q_from[i]];
            b = b == PM_JOIN_NO_UNIT ? b : net->q_agg[net->tie_q_to[i]];
        }
        net->unit_from[i] = a == PM_JOIN_NO_UNIT ? PM_GRAPH_NO_UNIT : a;
        net->unit_to[i] = b == PM_JOIN_NO_UNIT ? PM_GRAPH_NO_UNIT : b;
    }
    return PM_OK;
}

/* The joined units' polygons tested (a user's layer: pm_geo_check_units). */
static pm_status_t check_polygons(pm_net_t *net, pm_diag_t *diag, pm_error_t *err)
{
    size_t *u = malloc((net->join.n ? net->join.n : 1) * sizeof *u), n = 0;
    if (!u)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < net->join.n; i++)
        if (net->join.m[i].unit != PM_JOIN_NO_UNIT)
            u[n++] = net->join.m[i].unit;
    pm_status_t st = pm_geo_check_units(net->geo, u, n, diag, err);
    free(u);
    return st;
}

/* A query naming each place: the first tie side that became it. */
static pm_status_t map_nodes(pm_net_t *net, pm_error_t *err)
{
    const pm_graph_t *g = &net->g;
    net->node_q = malloc((g->n_nodes ? g->n_nodes : 1) * sizeof(size_t));
    if (!net->node_q)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t v = 0; v < g->n_nodes; v++)
        net->node_q[v] = (size_t)-1;
    for (size_t i = net->ties.n; i-- > 0;) { /* the first row wins */
        net->node_q[g->tie_to[i]] = net->tie_q_to[i];
        net->node_q[g->tie_from[i]] = net->tie_q_from[i];
    }
    for (size_t v = 0; v < g->n_nodes; v++)
        net->n_unmatched_places += net->join.m[net->node_q[v]].unit == PM_JOIN_NO_UNIT;
    return PM_OK;
}

/* Forgets the queries and their join (the geometry and the gazetteer stay). */
static void forget_queries(pm_net_t *net)
{
    pm_join_result_destroy(&net->join);
    free(net->q);
    free(net->tie_q_from);
    free(net->tie_q_to);
    free(net->q_region);
    net->q = NULL;
    net->tie_q_from = net->tie_q_to = NULL;
    net->q_region = NULL;
    net->n_q = 0;
}

/* PM_NET_CITIES_TABLE: the regions' join of every query, then the choice (pm_net_choose_level)
 * into eo->cities. Without a period to cut (split 0) and regions chosen, that join is kept
 * (*joined = 1, its warnings said); else the caller joins again. */
static pm_status_t choose_level(const pm_net_opts_t *o, pm_net_t *net, const pm_join_opts_t *jo,
                                int split, pm_diag_t *diag, pm_net_opts_t *eo, int *joined,
                                pm_error_t *err)
{
    pm_diag_t jd;
    pm_diag_init(&jd);
    int city = 0;
    pm_status_t st = make_queries(o, net, err);
    if (!st)
        st = pm_join_run(net->geo, jo, net->q, net->n_q, &net->join, &jd, err);
    if (!st)
        st = pm_net_choose_level(o, net, diag, &city, err);
    if (!st) {
        eo->cities = city ? PM_NET_CITIES_ONLY : PM_NET_CITIES_NONE;
        net->auto_city = city;
        *joined = !city && !split;
        if (*joined)
            for (size_t i = 0; i < jd.n; i++)
                pm_diag_add(diag, jd.items[i].where, "%s", jd.items[i].msg);
        else
            forget_queries(net);
    }
    pm_diag_destroy(&jd);
    return st;
}

/* The join report says why each city was joined as one (the table chose cities). */
static pm_status_t note_auto_city(pm_net_t *net, pm_error_t *err)
{
    for (size_t i = 0; i < net->join.n; i++) {
        pm_join_match_t *m = &net->join.m[i];
        if (m->kind != PM_MATCH_CITY)
            continue;
        const char *add = "joined as a city: no --level given and the table's places are cities, "
                          "not first-level units (give --level admin1 to keep regions)";
        size_t n = (m->note ? strlen(m->note) + 2 : 0) + strlen(add) + 1;
        char *s = malloc(n);
        if (!s)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        snprintf(s, n, "%s%s%s", m->note ? m->note : "", m->note ? "; " : "", add);
        free(m->note);
        m->note = s;
    }
    return PM_OK;
}

pm_status_t pm_net_load(const char *path, const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag,
                        pm_error_t *err)
{
    memset(net, 0, sizeof *net);
    pm_join_result_init(&net->join);
    pm_join_result_init(&net->agg);
    /* the default level is chosen on the table before a period cuts it (pm_net.h) */
    int choose = o->with_geo && o->cities == PM_NET_CITIES_TABLE;
    int split = choose && o->filter && o->filter->has_period, joined = 0;
    pm_net_opts_t eo = *o; /* o with the level chosen */
    pm_filter_t wf;
    pm_status_t st = pm_table_read(path, &o->table, &net->ties, diag, err);
    if (st)
        goto cleanup;
    if (split) {
        wf = *o->filter;
        wf.has_period = 0;
    }
    if (o->filter && (st = pm_filter_apply(split ? &wf : o->filter, &net->ties, diag, err)))
        goto cleanup;
    pm_phase_mark(&o->phase, "ties read");
    if (o->with_geo) {
        if (o->shared_geo) {
            net->geo = o->shared_geo;
        } else {
            if ((st = pm_net_open_geo(o, &net->geo, err)))
                goto cleanup;
            net->own_geo = 1;
            const pm_diag_t *gw = pm_geo_warnings(net->geo);
            for (size_t i = 0; i < gw->n; i++)
                pm_diag_add(diag, gw->items[i].where, "%s", gw->items[i].msg);
        }
        pm_phase_mark(&o->phase, "geo opened");
        pm_join_opts_t jo = o->join;
        if (!jo.year && o->filter && o->filter->has_period)
            jo.year = o->filter->from_year;
        if (choose && (st = choose_level(o, net, &jo, split, diag, &eo, &joined, err)))
            goto cleanup;
        if (split) {
            wf = *o->filter;
            wf.n_where = 0;
            if ((st = pm_filter_apply(&wf, &net->ties, diag, err)))
                goto cleanup;
        }
        if (!joined && (st = make_queries(&eo, net, err)))
            goto cleanup;
        if (joined)
            st = PM_OK;
        else if (eo.cities == PM_NET_CITIES_ONLY)
            st = pm_net_join_users(net, &jo, diag, err);
        else
            st = pm_join_run(net->geo, &jo, net->q, net->n_q, &net->join, diag, err);
        if (st)
            goto cleanup;
        if ((eo.cities || eo.aggregate) && (st = pm_net_join_cities(&eo, net, diag, err)))
            goto cleanup;
        if (net->auto_city && (st = note_auto_city(net, err)))
            goto cleanup;
        if (pm_join_approx_list(&net->join, 0, NULL)) { /* never drawn silently */
            pm_buf_t b;
            pm_buf_init(&b);
            size_t na = pm_join_approx_list(&net->join, 4, &b);
            pm_diag_add(diag, path,
                        "%zu place%s drawn as today's unit%s that only approximate%s the "
                        "historical unit%s named: %s (see the join report's notes)",
                        na, na == 1 ? "" : "s", na == 1 ? "" : "s", na == 1 ? "s" : "",
                        na == 1 ? "" : "s", b.data ? b.data : "");
            pm_buf_destroy(&b);
        }
        if ((st = pm_join_check(&net->join, err))) {
            if (!o->allow_unmatched) {
                char msg[PM_ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", err->msg);
                st = pm_error_set(err, PM_EJOIN, "%s: %s", path, msg);
                goto cleanup;
            }
            if (!o->report_join)
                pm_diag_add(diag, path, "%s; left out of maps and spatial statistics", err->msg);
            pm_error_clear(err);
            st = PM_OK;
        }
        if ((st = make_units(net, err)))
            goto cleanup;
        if ((st = check_polygons(net, diag, err)))
            goto cleanup;
        pm_phase_mark(&o->phase, "joined");
    }
    if ((st = pm_graph_build(&net->ties, o->directed, net->unit_from, net->unit_to, &net->g, diag,
                             err)))
        goto cleanup;
    if (o->with_geo) {
        if ((st = map_nodes(net, err)))
            goto cleanup;
        /* a rolled-up place is named as its region or country, not as its first city */
        for (size_t v = 0; net->has_agg && v < net->g.n_nodes; v++) {
            const pm_join_match_t *jm = pm_net_match(net, v);
            char *nm = jm->unit != PM_JOIN_NO_UNIT && jm->name ? strdup(jm->name) : NULL;
            if (jm->unit != PM_JOIN_NO_UNIT && jm->name && !nm) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
                goto cleanup;
            }
            if (nm) {
                free(net->g.name[v]);
                net->g.name[v] = nm;
            }
        }
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
    if (o->with_metrics && (st = pm_metrics_compute(&net->g, &o->metrics, &net->m, err)))
        goto cleanup;
    return PM_OK;
cleanup:
    pm_net_destroy(net);
    return st;
}
