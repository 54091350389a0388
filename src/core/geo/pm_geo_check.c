/*
 * pm_geo_check: what a user's geometry layer must not get past without a word (see pm_geo_int.h
 * for how the geo module is split).
 *
 *   - Its coordinate reference system: none at all is taken as WGS 84 longitude/latitude with a
 *     warning when every coordinate fits (refused otherwise); a geographic CRS whose datum is
 *     undefined ("unknown", "not specified") is used as it is, with a warning.
 *   - Its polygons, when the layer is the user's (--geo; the embedded world.gpkg is valid, checked
 *     when it is built): each feature a place joined is tested once, after the join
 *     (pm_geo_check_units, GEOS through OGR; testing all 4,596 polygons of an admin1 layer at
 *     opening took a quarter of a second that a map of 20 places does not need). An
 *     invalid one is named in a warning with what is wrong and what was done: an outer ring that
 *     crosses itself (a bow-tie) or rings that cross are repaired with MakeValid, a hole lying
 *     outside its outer ring (it removes nothing) is dropped, a polygon of zero area is left
 *     as it is (nothing to repair into). The repair is applied again each time the feature's
 *     geometry is read (geo_check_repair), so the cache, the renderer and the exports see it.
 */
#include "pm_geo_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_runtime.h"

/* ---- coordinate reference system ------------------------------------------------------------ */

pm_status_t geo_check_no_srs(pm_geo_t *g, pm_error_t *err)
{
    OGREnvelope e;
    int known = OGR_L_GetExtent(g->lyr, &e, TRUE) == OGRERR_NONE;
    if (known && e.MinX >= -180.000001 && e.MaxX <= 180.000001 && e.MinY >= -90.000001 &&
        e.MaxY <= 90.000001) {
        pm_diag_add(&g->warnings, NULL,
                    "layer '%s' of '%s' has no coordinate reference system; assuming WGS 84 "
                    "longitude/latitude (its coordinates fit: %.4g to %.4g east, %.4g to %.4g "
                    "north); if it is another, assign it (ogr2ogr -a_srs EPSG:... fixed.gpkg "
                    "'%s')",
                    g->layer_name, g->source, e.MinX, e.MaxX, e.MinY, e.MaxY, g->source);
        return PM_OK;
    }
    if (!known)
        return pm_error_set(err, PM_EDATA,
                            "layer '%s' of '%s' has no coordinate reference system; assign one "
                            "(e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg '%s')",
                            g->layer_name, g->source, g->source);
    return pm_error_set(err, PM_EDATA,
                        "layer '%s' of '%s' has no coordinate reference system, and its "
                        "coordinates (x %.6g to %.6g, y %.6g to %.6g) are not longitude/latitude; "
                        "assign the right one (e.g. ogr2ogr -a_srs EPSG:3035 fixed.gpkg '%s')",
                        g->layer_name, g->source, e.MinX, e.MaxX, e.MinY, e.MaxY, g->source);
}

/* 1 when s contains word, in any case. */
static int contains(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (!strncasecmp(s, word, n))
            return 1;
    return 0;
}

void geo_check_srs(pm_geo_t *g, OGRSpatialReferenceH srs)
{
    if (!OSRIsGeographic(srs))
        return;
    const char *datum = OSRGetAttrValue(srs, "DATUM", 0);
    if (datum && !contains(datum, "unknown") && !contains(datum, "not specified") &&
        !contains(datum, "not_specified"))
        return;
    pm_diag_add(&g->warnings, NULL,
                "layer '%s' of '%s' has a geographic coordinate reference system with an undefined "
                "datum ('%s'); assuming WGS 84 longitude/latitude (off by up to a few hundred "
                "metres if it was another datum); assign the right one (ogr2ogr -a_srs "
                "EPSG:... fixed.gpkg '%s')",
                g->layer_name, g->source, datum ? datum : "none", g->source);
}

/* ---- polygons ------------------------------------------------------------------------------- */

typedef enum { FIX_NONE, FIX_MAKE_VALID, FIX_DROP_HOLES, FIX_KEEP } fix_t;

/* 1 when a ring, as the outer ring of a polygon of its own, is valid. */
static int ring_valid(OGRGeometryH ring)
{
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    int ok = poly && OGR_G_AddGeometry(poly, ring) == OGRERR_NONE && OGR_G_IsValid(poly);
    if (poly)
        OGR_G_DestroyGeometry(poly);
    return ok;
}

/* What is wrong with an invalid polygon p, and the fix for it. */
static fix_t diagnose_polygon(OGRGeometryH p, char *why, size_t size)
{
    OGRGeometryH shell = OGR_G_GetGeometryRef(p, 0);
    if (shell && !ring_valid(shell)) {
        /* a bow-tie's signed area may cancel out: what MakeValid makes of it tells */
        OGRGeometryH outer = OGR_G_CreateGeometry(wkbPolygon),
                     mp = OGR_G_CreateGeometry(wkbMultiPolygon);
        OGR_G_AddGeometry(outer, shell);
        OGRGeometryH v = OGR_G_MakeValid(outer);
        if (v)
            geo_add_polygons(mp, v);
        double area = OGR_G_Area(mp);
        if (v)
            OGR_G_DestroyGeometry(v);
        OGR_G_DestroyGeometry(mp);
        OGR_G_DestroyGeometry(outer);
        if (area > 0) {
            snprintf(why, size,
                     "its outer ring crosses itself (a bow-tie); repaired with MakeValid");
            return FIX_MAKE_VALID;
        }
    }
    if (!shell || !ring_valid(shell) || OGR_G_Area(p) == 0) {
        snprintf(why, size, "it has zero area (its outer ring encloses nothing); left as it is");
        return FIX_KEEP;
    }
    OGRGeometryH outer = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometry(outer, shell);
    int outside = 0;
    for (int i = 1; i < OGR_G_GetGeometryCount(p); i++) {
        OGRGeometryH h = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometry(h, OGR_G_GetGeometryRef(p, i));
        outside += !OGR_G_Intersects(outer, h);
        OGR_G_DestroyGeometry(h);
    }
    OGR_G_DestroyGeometry(outer);
    if (outside) {
        snprintf(why, size, "%d hole%s outside its outer ring (removing nothing); dropped", outside,
                 outside == 1 ? " lies" : "s lie");
        return FIX_DROP_HOLES;
    }
    snprintf(why, size, "its rings cross or touch; repaired with MakeValid");
    return FIX_MAKE_VALID;
}

/* p without the holes that lie outside its outer ring (a new geometry). */
static OGRGeometryH drop_outside_holes(OGRGeometryH p)
{
    OGRGeometryH shell = OGR_G_GetGeometryRef(p, 0);
    OGRGeometryH out = OGR_G_CreateGeometry(wkbPolygon), outer = OGR_G_CreateGeometry(wkbPolygon);
    OGR_G_AddGeometry(out, shell);
    OGR_G_AddGeometry(outer, shell);
    for (int i = 1; i < OGR_G_GetGeometryCount(p); i++) {
        OGRGeometryH h = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometry(h, OGR_G_GetGeometryRef(p, i));
        if (OGR_G_Intersects(outer, h))
            OGR_G_AddGeometry(out, OGR_G_GetGeometryRef(p, i));
        OGR_G_DestroyGeometry(h);
    }
    OGR_G_DestroyGeometry(outer);
    return out;
}

/* Checks g (a polygon or multipolygon); returns 0 when valid, else 1 with why filled, and with
 * *fixed (when not NULL) a repaired new geometry or NULL when it is kept as it is. */
static int check_geometry(OGRGeometryH g, char *why, size_t size, OGRGeometryH *fixed)
{
    if (fixed)
        *fixed = NULL;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if ((t != wkbPolygon && t != wkbMultiPolygon) || OGR_G_IsValid(g))
        return 0;
    /* each polygon of a multipolygon on its own; the first invalid one tells */
    int n = t == wkbPolygon ? 1 : OGR_G_GetGeometryCount(g);
    fix_t fix = FIX_MAKE_VALID;
    snprintf(why, size, "its polygons overlap; repaired with MakeValid");
    for (int i = 0; i < n; i++) {
        OGRGeometryH p = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
        if (!OGR_G_IsValid(p)) {
            fix = diagnose_polygon(p, why, size);
            break;
        }
    }
    if (!fixed || fix == FIX_KEEP)
        return 1;
    if (fix == FIX_DROP_HOLES) {
        OGRGeometryH out = t == wkbPolygon ? NULL : OGR_G_CreateGeometry(wkbMultiPolygon);
        for (int i = 0; i < n; i++) {
            OGRGeometryH p = t == wkbPolygon ? g : OGR_G_GetGeometryRef(g, i);
            OGRGeometryH q = drop_outside_holes(p);
            if (!out) {
                out = q;
                break;
            }
            OGR_G_AddGeometryDirectly(out, q);
        }
        if (out && OGR_G_IsValid(out)) {
            *fixed = out;
            return 1;
        }
        if (out)
            OGR_G_DestroyGeometry(out);
    }
    OGRGeometryH v = OGR_G_MakeValid(g);
    if (!v)
        return 1;
    /* keep only the polygons: MakeValid may add the lines of collapsed parts */
    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    geo_add_polygons(mp, v);
    OGR_G_DestroyGeometry(v);
    if (OGR_G_GetGeometryCount(mp) == 0) {
        OGR_G_DestroyGeometry(mp);
        return 1;
    }
    *fixed = mp;
    return 1;
}

/* The unit of feature fid (features come first among the units, in the layer's order). */
pm_status_t pm_geo_check_units(pm_geo_t *g, const size_t *units, size_t n, pm_diag_t *diag,
                               pm_error_t *err)
{
    if (!g->user_layer || !n)
        return PM_OK;
    pm_status_t st = PM_OK;
    pthread_mutex_lock(&g->mu);
    if (!g->checked && !(g->checked = calloc(g->n_features ? g->n_features : 1, 1))) {
        st = geo_nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = units[k];
        if (i >= g->n_features || g->checked[i])
            continue;
        g->checked[i] = 1;
        const pm_geo_unit_t *u = &g->units[i];
        OGRFeatureH f = OGR_L_GetFeature(g->lyr, (GIntBig)u->fid);
        OGRGeometryH geom = f ? OGR_F_GetGeometryRef(f) : NULL;
        char why[160];
        if (geom && check_geometry(geom, why, sizeof why, NULL)) {
            if (g->n_bad == g->cap_bad) {
                size_t cap = g->cap_bad ? 2 * g->cap_bad : 16;
                int64_t *b = realloc(g->bad_fids, cap * sizeof *b);
                if (!b) {
                    OGR_F_Destroy(f);
                    st = geo_nomem(err);
                    goto cleanup;
                }
                g->bad_fids = b;
                g->cap_bad = cap;
            }
            g->bad_fids[g->n_bad++] = u->fid;
            pm_diag_add(diag, NULL, "%s, layer '%s': feature %lld%s%s%s is not a valid polygon: %s",
                        g->source, g->layer_name, (long long)u->fid, u->name ? " ('" : "",
                        u->name ? u->name : "", u->name ? "')" : "", why);
        }
        if (f)
            OGR_F_Destroy(f);
    }
cleanup:
    pthread_mutex_unlock(&g->mu);
    return st;
}

OGRGeometryH geo_check_repair(const pm_geo_t *g, int64_t fid, OGRGeometryH geom)
{
    size_t i = 0;
    while (i < g->n_bad && g->bad_fids[i] != fid)
        i++;
    if (i == g->n_bad)
        return geom;
    char why[160];
    OGRGeometryH fixed = NULL;
    check_geometry(geom, why, sizeof why, &fixed);
    if (!fixed)
        return geom;
    OGR_G_DestroyGeometry(geom);
    return fixed;
}
