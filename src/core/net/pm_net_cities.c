/*
 * pm_net_cities: the pipeline's city step (see pm_net.h, "cities and roll-up"): places sent to the
 * gazetteer after the regions' join, matched cities made point units, and the roll-up units of
 * every query.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_net.h"
#include "pm_norm.h"
#include "pm_runtime.h"
#include "pm_strmap.h"

static pm_status_t nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

/* 1 when m was answered by one of the user's alias files or by the places file: the user's word
 * wins over the gazetteer. */
static int users_answer(const pm_net_opts_t *o, const pm_join_match_t *m)
{
    if (m->kind == PM_MATCH_POINT)
        return 1;
    for (size_t i = 0; m->via && i < o->geo.n_alias_files; i++) {
        size_t n = strlen(o->geo.alias_files[i]);
        if (!strncmp(m->via, o->geo.alias_files[i], n) && m->via[n] == ':')
            return 1;
    }
    return 0;
}

/* 1 when one of the user's alias files names a city of the gazetteer by this name (target_layer
 * cities): in --level auto that word wins over the regions' answer. */
static int users_city(const pm_geo_t *geo, const char *name)
{
    size_t n = 0;
    const pm_geo_alias_t *a = pm_geo_city_aliases(geo, &n);
    int user = 0;
    for (size_t i = 0; i < n; i++)
        user |= a[i].user;
    if (!user)
        return 0;
    char *k = NULL;
    int yes = 0;
    if (pm_norm_key(name, &k, NULL) == PM_OK)
        for (size_t i = 0; i < n && !yes; i++)
            yes = a[i].user && !strcmp(a[i].key, k);
    free(k);
    return yes;
}

static int wants_city(const pm_net_opts_t *o, const pm_net_t *net, const pm_join_match_t *m)
{
    if (o->cities == PM_NET_CITIES_ONLY)
        return !users_answer(o, m);
    return o->cities == PM_NET_CITIES_AUTO &&
           (m->kind == PM_MATCH_UNMATCHED ||
            (!users_answer(o, m) &&
             users_city(net->geo_admin1 ? net->geo_admin1 : net->geo, m->query)));
}

/* 1 when the user's alias files or places file have name (exactly or by key). */
static pm_status_t users_know(const pm_geo_t *geo, const char *name, int *yes, pm_error_t *err)
{
    unsigned srcs = (1u << PM_GEO_SRC_USER_ALIAS) | (1u << PM_GEO_SRC_POINT);
    char *f = NULL, *k = NULL;
    pm_status_t rc = pm_norm_fold(name, &f, err);
    if (!rc)
        rc = pm_norm_key(name, &k, err);
    const pm_geo_hit_t *h[1];
    *yes = !rc && (pm_geo_lookup_src(geo, PM_GEO_EXACT, f, srcs, h, 1) ||
                   (*k && pm_geo_lookup_src(geo, PM_GEO_KEY, k, srcs, h, 1)));
    free(f);
    free(k);
    return rc;
}

pm_status_t pm_net_join_users(pm_net_t *net, const pm_join_opts_t *jo, pm_diag_t *diag,
                              pm_error_t *err)
{
    pm_join_result_t *r = &net->join, sub;
    pm_join_result_init(&sub);
    pm_place_query_t *q = malloc((net->n_q ? net->n_q : 1) * sizeof *q);
    size_t *at = malloc((net->n_q ? net->n_q : 1) * sizeof *at), n = 0;
    pm_status_t rc = PM_OK;
    if (!q || !at || !(r->m = calloc(net->n_q ? net->n_q : 1, sizeof *r->m))) {
        rc = nomem(err);
        goto cleanup;
    }
    r->n = net->n_q;
    r->anchor = jo->anchor;
    for (size_t i = 0; i < net->n_q; i++) {
        pm_join_match_t *m = &r->m[i];
        m->kind = PM_MATCH_UNMATCHED;
        m->unit = PM_JOIN_NO_UNIT;
        m->lon = m->lat = NAN;
        if (!(m->query = strdup(net->q[i].name)) ||
            (net->q[i].country && !(m->query_country = strdup(net->q[i].country)))) {
            rc = nomem(err);
            goto cleanup;
        }
        int yes = 0;
        if ((rc = users_know(net->geo, net->q[i].name, &yes, err)))
            goto cleanup;
        if (yes) {
            q[n] = net->q[i];
            at[n++] = i;
        }
    }
    if (n && (rc = pm_join_run(net->geo, jo, q, n, &sub, diag, err)))
        goto cleanup;
    for (size_t j = 0; j < sub.n; j++) { /* the answers move into place */
        pm_join_match_t *m = &r->m[at[j]];
        free(m->query);
        free(m->query_country);
        *m = sub.m[j];
    }
    free(sub.m);
    pm_join_result_init(&sub);
    for (size_t i = 0; i < r->n; i++)
        r->count[r->m[i].kind]++;
cleanup:
    pm_join_result_destroy(&sub);
    free(q);
    free(at);
    return rc;
}

/* The unit of geo with code (case-insensitive), or PM_JOIN_NO_UNIT. */
static size_t unit_by_code(const pm_geo_t *geo, const char *code)
{
    char low[64];
    size_t k = 0;
    for (; code && code[k] && k < sizeof low - 1; k++)
        low[k] = (char)(code[k] >= 'A' && code[k] <= 'Z' ? code[k] + 32 : code[k]);
    low[k] = 0;
    const pm_geo_hit_t *h[2];
    size_t n = k ? pm_geo_lookup_src(geo, PM_GEO_EXACT, low, 1u << PM_GEO_SRC_CODE, h, 2) : 0;
    return n == 1 ? h[0]->unit : PM_JOIN_NO_UNIT;
}

/* Rewrites m as the gazetteer's answer g for the query. */
static pm_status_t take_answer(pm_net_t *net, const pm_geo_t *mgeo, pm_strmap_t *added, size_t qi,
                               pm_gaz_match_t *g, pm_error_t *err)
{
    pm_join_match_t *m = &net->join.m[qi];
    free(m->via);
    free(m->note);
    free(m->cand);
    m->via = m->note = NULL;
    m->approx = NULL;
    m->cand = NULL;
    m->n_cand = 0;
    m->code = m->name = m->name_en = m->name_ru = m->name_local = m->country = m->matched = NULL;
    m->unit = PM_JOIN_NO_UNIT;
    m->note = g->note;
    g->note = NULL;
    if (g->n_cand && !(m->cand = calloc(g->n_cand, sizeof *m->cand)))
        return nomem(err);
    char *qk = NULL;
    if (g->result == PM_GAZ_UNMATCHED && g->n_cand && pm_norm_key(m->query, &qk, NULL) != PM_OK)
        qk = NULL;
    for (size_t i = 0; i < g->n_cand; i++) {
        pm_gaz_city_t c;
        pm_gaz_city(net->gaz, g->cand[i], &c);
        double score = 1.0; /* a candidate; a suggestion: the similarity of the keys */
        char *ck = NULL;
        if (qk && pm_norm_key(c.name, &ck, NULL) == PM_OK)
            score = pm_norm_similarity(qk, ck);
        free(ck);
        m->cand[i] = (pm_join_cand_t){PM_JOIN_NO_UNIT, score, c.name, c.id, c.name, c.country};
    }
    free(qk);
    m->n_cand = g->n_cand;
    if (g->result != PM_GAZ_MATCHED) {
        m->kind = g->result == PM_GAZ_AMBIGUOUS ? PM_MATCH_AMBIGUOUS : PM_MATCH_UNMATCHED;
        return PM_OK;
    }
    pm_gaz_city_t c;
    pm_gaz_city(net->gaz, g->row, &c);
    char code[32];
    snprintf(code, sizeof code, "geonames:%s", c.id);
    size_t unit = pm_strmap_get(added, code);
    if (unit == (size_t)-1) {
        const pm_geo_unit_t *r = g->unit != PM_GAZ_NO_UNIT ? pm_geo_unit(mgeo, g->unit) : NULL;
        pm_geo_point_t p = {code,  c.name, *c.ascii ? c.ascii : NULL, r ? r->name : NULL, c.country,
                            c.lon, c.lat};
        pm_status_t rc = pm_geo_add_point(net->geo, &p, &unit, err);
        if (rc)
            return rc;
        if (pm_strmap_put(added, code, unit))
            return nomem(err);
    }
    const pm_geo_unit_t *u = pm_geo_unit(net->geo, unit);
    m->kind = PM_MATCH_CITY;
    m->unit = unit;
    m->code = u->code;
    m->name = u->name;
    m->name_en = u->name_en;
    m->country = u->country;
    m->matched = g->matched;
    m->lon = c.lon;
    m->lat = c.lat;
    char via[64];
    snprintf(via, sizeof via, "GeoNames %s", c.id);
    if (!(m->via = strdup(via)))
        return nomem(err);
    net->q_agg[qi] = g->unit;
    net->n_cities++;
    net->n_by_population += g->by_population != 0;
    return PM_OK;
}

static pm_status_t match_cities(const pm_net_opts_t *o, pm_net_t *net, pm_error_t *err)
{
    const pm_geo_t *mgeo = net->geo_admin1 ? net->geo_admin1 : net->geo;
    pm_strmap_t added;
    pm_strmap_init(&added);
    pm_status_t rc = PM_OK;
    pm_gaz_match_t g = {0};
    for (size_t i = 0; i < net->n_q && !rc; i++) {
        pm_join_match_t *m = &net->join.m[i];
        if (!wants_city(o, net, m))
            continue;
        pm_gaz_query_t q = {net->q[i].name, net->q[i].country, net->q_region[i]};
        if ((rc = pm_gaz_match(net->gaz, mgeo, &q, &g, err)))
            break;
        rc = take_answer(net, mgeo, &added, i, &g, err);
        pm_gaz_match_destroy(&g);
    }
    pm_strmap_destroy(&added);
    if (rc)
        return rc;
    memset(net->join.count, 0, sizeof net->join.count);
    for (size_t i = 0; i < net->join.n; i++)
        net->join.count[net->join.m[i].kind]++;
    return PM_OK;
}

/* The unit query i rolls up to. */
static size_t roll_up(const pm_net_opts_t *o, pm_net_t *net, size_t i)
{
    const pm_join_match_t *m = &net->join.m[i];
    const pm_geo_t *mgeo = net->geo_admin1 ? net->geo_admin1 : net->geo;
    if (m->unit == PM_JOIN_NO_UNIT)
        return PM_JOIN_NO_UNIT;
    const pm_geo_unit_t *u = pm_geo_unit(net->geo, m->unit);
    if (o->aggregate == PM_NET_AGG_COUNTRY)
        return u->country ? unit_by_code(net->geo, u->country) : PM_JOIN_NO_UNIT;
    if (u->kind != PM_UNIT_POINT)
        return m->unit; /* a region already (or a composite) */
    /* a city of the gazetteer: the unit it lies in (set by the match); a point of the places
     * file: its region column */
    if (m->kind == PM_MATCH_CITY)
        return mgeo == net->geo ? net->q_agg[i] : PM_JOIN_NO_UNIT;
    if (u->region && *u->region) {
        pm_place_query_t rq = {u->region, u->country, 0};
        pm_join_result_t rr;
        pm_join_result_init(&rr);
        size_t out = PM_JOIN_NO_UNIT;
        if (pm_join_run(mgeo, NULL, &rq, 1, &rr, NULL, NULL) == PM_OK)
            out = rr.m[0].unit;
        pm_join_result_destroy(&rr);
        return out;
    }
    return PM_JOIN_NO_UNIT;
}

/* net->agg: per query, the unit it rolled up to, as a join answer anchored like the join's. */
static pm_status_t make_agg(pm_net_t *net, pm_error_t *err)
{
    pm_join_result_t *r = &net->agg;
    size_t n = net->join.n;
    if (!(r->m = calloc(n ? n : 1, sizeof *r->m)))
        return nomem(err);
    r->n = n;
    r->anchor = net->join.anchor;
    net->has_agg = 1;
    for (size_t i = 0; i < n; i++) {
        const pm_join_match_t *src = &net->join.m[i];
        pm_join_match_t *m = &r->m[i];
        size_t u = net->q_agg[i];
        if (!(m->query = strdup(src->query)) ||
            (src->query_country && !(m->query_country = strdup(src->query_country))))
            return nomem(err);
        m->unit = u == PM_JOIN_NO_UNIT || src->unit == PM_JOIN_NO_UNIT ? PM_JOIN_NO_UNIT : u;
        m->kind = m->unit == PM_JOIN_NO_UNIT
                      ? (src->unit == PM_JOIN_NO_UNIT ? src->kind : PM_MATCH_UNMATCHED)
                      : src->kind;
        m->lon = m->lat = NAN;
        if (m->unit != PM_JOIN_NO_UNIT) {
            const pm_geo_unit_t *gu = pm_geo_unit(net->geo, m->unit);
            pm_join_match_names(m, gu);
            pm_status_t rc = pm_geo_anchor(net->geo, m->unit, r->anchor, &m->lon, &m->lat, err);
            if (rc)
                return rc;
        }
        r->count[m->kind]++;
    }
    return PM_OK;
}

pm_status_t pm_net_join_cities(const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag,
                               pm_error_t *err)
{
    pm_status_t rc = PM_OK;
    if (!(net->q_agg = malloc((net->n_q ? net->n_q : 1) * sizeof *net->q_agg)))
        return nomem(err);
    for (size_t i = 0; i < net->n_q; i++)
        net->q_agg[i] = PM_JOIN_NO_UNIT;
    if (o->cities && !o->geo.source && strcmp(pm_geo_layer(net->geo), "admin1")) {
        /* a countries geo (the roll-up to countries): cities are placed among the admin1 units */
        pm_geo_opts_t go = o->geo;
        go.layer = "admin1";
        if ((rc = pm_geo_open(&go, &net->geo_admin1, err)))
            return rc;
    }
    if (o->cities) {
        size_t want = 0;
        for (size_t i = 0; i < net->n_q; i++)
            want += wants_city(o, net, &net->join.m[i]);
        if (want) {
            if (!net->gaz) { /* the default level's choice may have opened it */
                if ((rc = pm_gaz_open(o->gazetteer, &net->gaz, err)))
                    return rc;
                pm_phase_mark(&o->phase, "gazetteer read");
            }
            if ((rc = match_cities(o, net, err)))
                return rc;
            pm_phase_mark(&o->phase, "cities joined");
        }
        if (net->n_by_population)
            pm_diag_add(diag, pm_gaz_path(net->gaz),
                        "%zu cit%s chosen by population over smaller places of the same name "
                        "(see the join report's notes; give a country or region column to be "
                        "sure)",
                        net->n_by_population, net->n_by_population == 1 ? "y" : "ies");
    }
    if (o->aggregate) {
        size_t lost = 0;
        for (size_t i = 0; i < net->n_q; i++) {
            net->q_agg[i] = roll_up(o, net, i);
            lost += net->q_agg[i] == PM_JOIN_NO_UNIT && net->join.m[i].unit != PM_JOIN_NO_UNIT;
        }
        if (lost)
            pm_diag_add(diag, net->ties.path,
                        "%zu joined place%s without a %s to roll up to: left out of the rolled-up "
                        "network",
                        lost, lost == 1 ? "" : "s",
                        o->aggregate == PM_NET_AGG_COUNTRY ? "country" : "region");
        if ((rc = make_agg(net, err)))
            return rc;
    } else {
        free(net->q_agg);
        net->q_agg = NULL;
    }
    return rc;
}

/* ---- the default level of a table (PM_NET_CITIES_TABLE) ---------------------------------------
 */

void pm_net_auto_city_note(const pm_net_t *net, char *buf, size_t size)
{
    snprintf(buf, size,
             "the places are cities: %zu of %zu are not first-level units and all %zu are cities "
             "of the gazetteer; joined at --level city (give --level admin1 to keep regions)",
             net->n_not_regions, net->n_table_places, net->n_table_places);
}

pm_status_t pm_net_choose_level(const pm_net_opts_t *o, pm_net_t *net, pm_diag_t *diag, int *city,
                                pm_error_t *err)
{
    *city = 0;
    const pm_join_result_t *r = &net->join;
    if (!r->count[PM_MATCH_UNMATCHED])
        return PM_OK; /* the regions answer: the gazetteer stays closed */
    pm_status_t rc = PM_OK;
    if (!net->gaz) {
        if ((rc = pm_gaz_open(o->gazetteer, &net->gaz, err)))
            return rc;
        pm_phase_mark(&o->phase, "gazetteer read");
    }
    int all = 1;
    pm_gaz_match_t g = {0};
    for (size_t i = 0; i < r->n && all; i++) {
        const pm_join_match_t *m = &r->m[i];
        if (m->unit != PM_JOIN_NO_UNIT && users_answer(o, m))
            continue; /* --level city keeps the user's answer too */
        pm_gaz_query_t q = {net->q[i].name, net->q[i].country,
                            net->q_region ? net->q_region[i] : NULL};
        if ((rc = pm_gaz_match(net->gaz, net->geo, &q, &g, err)))
            return rc;
        /* a city chosen by population over others of its name is a choice, not a find */
        all = g.result == PM_GAZ_MATCHED && !g.by_population;
        pm_gaz_match_destroy(&g);
    }
    if (!all)
        return PM_OK;
    *city = 1;
    net->n_table_places = r->n;
    net->n_not_regions = r->count[PM_MATCH_UNMATCHED] + r->count[PM_MATCH_AMBIGUOUS];
    char note[400];
    pm_net_auto_city_note(net, note, sizeof note);
    pm_diag_add(diag, net->ties.path, "%s", note);
    return PM_OK;
}
