/*
 * pm_geo_geom: geometry of a geo's units, read by FID on demand and transformed to lon/lat;
 * composite unions and label points, anchors; everything under geo->mu, results cached.
 * See pm_geo_int.h for how the geo module is split.
 */
#include "pm_geo_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

#include "pm_buf.h"
#include "pm_io.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"

/* ---- geometry
 * ------------------------------------------------------------------------------------- */

/* Reads feature fid of layer lyr in lon/lat (geo->mu held); code names it in messages. */
static pm_status_t read_fid(const pm_geo_t *geo, OGRLayerH lyr, int64_t fid, const char *code,
                            OGRGeometryH *out, pm_error_t *err)
{
    const struct {
        int64_t fid;
        const char *code;
    } unit = {fid, code}, *u = &unit;
    pm_runtime_gdal_reset();
    OGRFeatureH f = OGR_L_GetFeature(lyr, (GIntBig)u->fid);
    if (!f)
        return pm_error_set(err, PM_EIO, "cannot read feature %lld ('%s') of '%s': %s",
                            (long long)u->fid, u->code ? u->code : "", geo->source,
                            pm_runtime_gdal_msg());
    OGRGeometryH g = OGR_F_StealGeometry(f);
    OGR_F_Destroy(f);
    if (!g)
        return pm_error_set(err, PM_EDATA, "feature '%s' of '%s' has no geometry",
                            u->code ? u->code : "", geo->source);
    if (lyr == geo->lyr && geo->n_bad)
        g = geo_check_repair(geo, u->fid, g);
    if (geo->ct && OGR_G_Transform(g, geo->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return pm_error_set(err, PM_EINTERNAL, "cannot transform '%s' to lon/lat: %s",
                            u->code ? u->code : "", pm_runtime_gdal_msg());
    }
    OGR_G_AssignSpatialReference(g, geo->wgs84);
    *out = g;
    return PM_OK;
}

/* Reads feature unit's geometry in lon/lat (geo->mu held). */
static pm_status_t read_geometry(const pm_geo_t *geo, size_t unit, OGRGeometryH *out,
                                 pm_error_t *err)
{
    const pm_geo_unit_t *u = &geo->units[unit];
    return read_fid(geo, geo->lyr, u->fid, u->code, out, err);
}

/* Adds the polygons of g to the multipolygon mp. */
void geo_add_polygons(OGRGeometryH mp, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon)
        OGR_G_AddGeometry(mp, g);
    else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            geo_add_polygons(mp, OGR_G_GetGeometryRef(g, i));
}

/* The label point of a member geometry g of unit m: its label fields, else a surface point. */
static void member_label(const pm_geo_unit_t *m, OGRGeometryH g, double out[2])
{
    if (!isnan(m->label_lon)) {
        out[0] = m->label_lon;
        out[1] = m->label_lat;
        return;
    }
    OGRGeometryH p = OGR_G_PointOnSurface(g);
    out[0] = p ? OGR_G_GetX(p, 0) : NAN;
    out[1] = p ? OGR_G_GetY(p, 0) : NAN;
    if (p)
        OGR_G_DestroyGeometry(p);
}

/* Dissolves the polygons of mp; on a GEOS failure (invalid input) once more after MakeValid. */
static OGRGeometryH dissolve(OGRGeometryH mp)
{
    OGRGeometryH un = OGR_G_UnionCascaded(mp);
    if (un)
        return un;
    /* out of memory is not invalid input: MakeValid would give another (slightly different)
     * dissolved shape, silently */
    const char *why = pm_runtime_gdal_msg();
    if (strstr(why, "bad_alloc") || strstr(why, "ut of memory"))
        return NULL;
    OGRGeometryH v = OGR_G_MakeValid(mp);
    if (!v)
        return NULL;
    OGRGeometryH fixed = OGR_G_CreateGeometry(wkbMultiPolygon);
    geo_add_polygons(fixed, v);
    un = OGR_G_UnionCascaded(fixed);
    OGR_G_DestroyGeometry(fixed);
    OGR_G_DestroyGeometry(v);
    return un;
}

/* Fills a composite's cache (geo->mu held): its label point (the label of its largest member),
 * and with want_union its dissolved geometry. The label needs no union, which for a composite
 * of large countries (SU) costs far more than reading the members. */
static pm_status_t composite(const pm_geo_t *geo, size_t unit, int want_union, pm_error_t *err)
{
    unit_cache_t *c = &geo->cache[unit];
    if (c->unioned || (!want_union && c->label_done))
        return PM_OK;
    const pm_geo_unit_t *u = &geo->units[unit];
    OGRGeometryH mp = want_union ? OGR_G_CreateGeometry(wkbMultiPolygon) : NULL, g = NULL;
    pm_status_t rc = mp || !want_union ? PM_OK : geo_nomem(err);
    double best = -1, label[2] = {NAN, NAN};
    OGRLayerH other = u->member_layer ? GDALDatasetGetLayerByName(geo->ds, u->member_layer) : NULL;
    if (u->member_layer && !other)
        rc = pm_error_set(err, PM_EIO, "no layer '%s' in '%s' for composite '%s'", u->member_layer,
                          geo->source, u->code);
    for (size_t i = 0; i < u->n_members && rc == PM_OK; i++) {
        rc = other ? read_fid(geo, other, (int64_t)u->members[i], u->code, &g, err)
                   : read_geometry(geo, u->members[i], &g, err);
        if (rc != PM_OK)
            break;
        double area = c->label_done ? 0 : OGR_G_Area(g);
        if (area > best) {
            best = area;
            if (other && !isnan(u->member_labels[2 * i])) {
                label[0] = u->member_labels[2 * i];
                label[1] = u->member_labels[2 * i + 1];
            } else if (other) {
                pm_geo_unit_t none;
                memset(&none, 0, sizeof none);
                none.label_lon = none.label_lat = NAN;
                member_label(&none, g, label);
            } else {
                member_label(&geo->units[u->members[i]], g, label);
            }
        }
        if (mp)
            geo_add_polygons(mp, g);
        OGR_G_DestroyGeometry(g);
        g = NULL;
    }
    if (rc == PM_OK && !c->label_done) {
        c->label[0] = label[0];
        c->label[1] = label[1];
        c->label_done = 1;
    }
    if (rc == PM_OK && mp) {
        pm_runtime_gdal_reset();
        OGRGeometryH un = dissolve(mp);
        const char *why = pm_runtime_gdal_msg();
        if (!un)
            rc = pm_error_set(
                err,
                strstr(why, "bad_alloc") || strstr(why, "ut of memory") ? PM_ENOMEM : PM_EINTERNAL,
                "cannot dissolve composite '%s': %s", u->code, why);
        else {
            OGR_G_AssignSpatialReference(un, geo->wgs84);
            c->unioned = un;
        }
    }
    if (mp)
        OGR_G_DestroyGeometry(mp);
    return rc;
}

pm_status_t pm_geo_geometry(const pm_geo_t *geo, size_t unit, OGRGeometryH *out, pm_error_t *err)
{
    if (unit >= geo->n_units)
        return pm_error_set(err, PM_EUSAGE, "no unit %zu", unit);
    const pm_geo_unit_t *u = &geo->units[unit];
    if (u->kind == PM_UNIT_POINT) {
        OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
        if (!p)
            return geo_nomem(err);
        OGR_G_SetPoint_2D(p, 0, u->label_lon, u->label_lat);
        OGR_G_AssignSpatialReference(p, geo->wgs84);
        *out = p;
        return PM_OK;
    }
    pthread_mutex_t *mu = (pthread_mutex_t *)&geo->mu;
    pthread_mutex_lock(mu);
    pm_status_t rc;
    if (u->kind == PM_UNIT_COMPOSITE) {
        rc = composite(geo, unit, 1, err);
        if (rc == PM_OK) {
            *out = OGR_G_Clone(geo->cache[unit].unioned);
            if (!*out)
                rc = geo_nomem(err);
        }
    } else
        rc = read_geometry(geo, unit, out, err);
    pthread_mutex_unlock(mu);
    return rc;
}

/* The part of g that a surface anchor is put on: for a multi-polygon (or collection) its largest
 * part, by area in degrees squared times cos(latitude of the part's centroid), ties to the first
 * part; g itself otherwise. The rule of geodata/build_geodata.sh, so a user's layer without label
 * points is anchored like world.gpkg (not on a far islet, as Sakhalin was). Lent from g. */
static OGRGeometryH largest_part(OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int n = OGR_G_GetGeometryCount(g);
    if ((t != wkbMultiPolygon && t != wkbGeometryCollection) || n < 2)
        return g;
    OGRGeometryH best = g, c = OGR_G_CreateGeometry(wkbPoint);
    double best_a = -1.0;
    for (int i = 0; i < n; i++) {
        OGRGeometryH part = OGR_G_GetGeometryRef(g, i);
        double a = OGR_G_Area(part);
        if (c && OGR_G_Centroid(part, c) == OGRERR_NONE && !OGR_G_IsEmpty(c))
            a *= cos(OGR_G_GetY(c, 0) * 0.017453292519943295); /* degrees to radians */
        if (a > best_a) {
            best_a = a;
            best = part;
        }
    }
    if (c)
        OGR_G_DestroyGeometry(c);
    return best;
}

pm_status_t pm_geo_anchor_parse(const char *s, pm_anchor_t *out, pm_error_t *err)
{
    static const char *const names[] = {"label", "surface", "centroid"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (pm_anchor_t)i;
            return PM_OK;
        }
    return pm_error_set(err, PM_EUSAGE, "unknown anchor '%s' (choose label, surface or centroid)",
                        s ? s : "");
}

const char *pm_geo_anchor_name(pm_anchor_t a)
{
    return a == PM_ANCHOR_SURFACE ? "surface" : a == PM_ANCHOR_CENTROID ? "centroid" : "label";
}

pm_status_t pm_geo_anchor(const pm_geo_t *geo, size_t unit, pm_anchor_t how, double *lon,
                          double *lat, pm_error_t *err)
{
    if (unit >= geo->n_units || (unsigned)how > PM_ANCHOR_CENTROID)
        return pm_error_set(err, PM_EUSAGE, "no unit %zu or bad anchor", unit);
    const pm_geo_unit_t *u = &geo->units[unit];
    if (u->kind == PM_UNIT_POINT ||
        (how == PM_ANCHOR_LABEL && u->kind == PM_UNIT_FEATURE && !isnan(u->label_lon))) {
        *lon = u->label_lon;
        *lat = u->label_lat;
        return PM_OK;
    }
    pthread_mutex_t *mu = (pthread_mutex_t *)&geo->mu;
    unit_cache_t *c = &geo->cache[unit];
    pm_status_t rc = PM_OK;
    pthread_mutex_lock(mu);
    if (!c->have[how]) {
        if (how == PM_ANCHOR_LABEL && u->kind == PM_UNIT_COMPOSITE) {
            rc = composite(geo, unit, 0, err);
            if (rc == PM_OK) {
                c->anchor[how][0] = c->label[0];
                c->anchor[how][1] = c->label[1];
            }
        } else {
            OGRGeometryH g = NULL;
            if (u->kind == PM_UNIT_COMPOSITE) {
                rc = composite(geo, unit, 1, err);
                g = rc == PM_OK ? c->unioned : NULL;
            } else
                rc = read_geometry(geo, unit, &g, err);
            if (rc == PM_OK) {
                OGRGeometryH p = NULL;
                if (how == PM_ANCHOR_CENTROID) {
                    p = OGR_G_CreateGeometry(wkbPoint);
                    if (p && OGR_G_Centroid(g, p) != OGRERR_NONE) {
                        OGR_G_DestroyGeometry(p);
                        p = NULL;
                    }
                } else
                    p = OGR_G_PointOnSurface(largest_part(g));
                if (!p || OGR_G_IsEmpty(p))
                    rc = pm_error_set(err, PM_EINTERNAL, "no %s point for '%s': %s",
                                      pm_geo_anchor_name(how), u->code ? u->code : "",
                                      pm_runtime_gdal_msg());
                else {
                    c->anchor[how][0] = OGR_G_GetX(p, 0);
                    c->anchor[how][1] = OGR_G_GetY(p, 0);
                }
                if (p)
                    OGR_G_DestroyGeometry(p);
            }
            if (g && u->kind != PM_UNIT_COMPOSITE)
                OGR_G_DestroyGeometry(g);
        }
        if (rc == PM_OK)
            c->have[how] = 1;
    }
    if (rc == PM_OK) {
        *lon = c->anchor[how][0];
        *lat = c->anchor[how][1];
    }
    pthread_mutex_unlock(mu);
    return rc;
}
