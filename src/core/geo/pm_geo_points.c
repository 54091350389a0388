/*
 * pm_geo_points: points added to an open geo by its owner (the cities the gazetteer matched):
 * units after the features, composites and places, reachable by number only (no name index, so
 * they never answer a later join by name).
 */
#include <stdlib.h>
#include <string.h>

#include "pm_geo_int.h"

pm_status_t pm_geo_add_point(pm_geo_t *g, const pm_geo_point_t *p, size_t *unit, pm_error_t *err)
{
    pm_status_t rc = PM_OK;
    pthread_mutex_lock(&g->mu);
    size_t idx = g->n_units;
    unit_cache_t *nc = realloc(g->cache, (idx + 1) * sizeof *g->cache);
    if (!nc) {
        rc = geo_nomem(err);
        goto out;
    }
    g->cache = nc;
    memset(&g->cache[idx], 0, sizeof *g->cache);
    pm_geo_unit_t *u = geo_new_unit(g, PM_UNIT_POINT);
    if (!u || !(u->code = geo_arena_strdup(g, p->code)) ||
        !(u->name = geo_arena_strdup(g, p->name))) {
        if (u)
            g->n_units--;
        rc = geo_nomem(err);
        goto out;
    }
    u->name_en = p->name_en ? geo_arena_strdup(g, p->name_en) : NULL;
    u->region = p->region ? geo_arena_strdup(g, p->region) : NULL;
    u->country = p->country ? geo_country_code(g, p->country) : NULL;
    u->type = "city";
    u->is_city = 1;
    u->label_lon = p->lon;
    u->label_lat = p->lat;
    u->fid = -2; /* added, not read from a file */
    *unit = idx;
out:
    pthread_mutex_unlock(&g->mu);
    return rc;
}
