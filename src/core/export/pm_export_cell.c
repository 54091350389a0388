/*
 * pm_export_cell: what every writer of the export asks for, below them all: the value of each
 * cell of the two tables (export_cell, export_date_of) and great-circle tie lines
 * (pm_export_tie_line); text is escaped by pm_report's pm_text_escaped. pm_export.c drives the
 * writers (pm_export_ogr.c, pm_export_text.c); all three call this file, which calls none of them.
 */
#include "pm_export_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_buf.h"
#include "pm_spatial.h"
#include "pm_sphere.h"
#include "pm_utf8.h"

static double flag(int v)
{
    return v < 0 ? NAN : v > 0;
}

void export_date_of(const export_column_t *c, int *month, int *day)
{
    *month = c->field == T_END_DATE ? 12 : 1;
    *day = c->field == T_END_DATE ? 31 : 1;
}

void export_cell(const pm_export_t *d, const export_column_t *c, size_t i, const char **s,
                 double *v)
{
    const pm_export_place_t *p = c->field < T_FROM_ID ? &d->places[i] : NULL;
    const pm_export_tie_t *t = c->field >= T_FROM_ID ? &d->ties[i] : NULL;
    *s = NULL;
    *v = NAN;
    switch (c->field) {
    case P_ID:
        *v = (double)i;
        break;
    case P_PLACE:
        *s = p->name;
        break;
    case P_UNIT:
        *s = p->unit;
        break;
    case P_UNIT_NAME:
        *s = p->unit_name;
        break;
    case P_NAME_EN:
        *s = p->name_en;
        break;
    case P_NAME_RU:
        *s = p->name_ru;
        break;
    case P_COUNTRY:
        *s = p->country;
        break;
    case P_MATCH:
        *s = p->match;
        break;
    case P_GROUP:
        *s = p->group;
        break;
    case P_LON:
        *v = p->lon;
        break;
    case P_LAT:
        *v = p->lat;
        break;
    case P_METRIC:
        *v = d->metrics[c->metric].values[i];
        break;
    case T_FROM_ID:
        *v = (double)t->from;
        break;
    case T_TO_ID:
        *v = (double)t->to;
        break;
    case T_FROM:
        *s = d->places[t->from].name;
        break;
    case T_TO:
        *s = d->places[t->to].name;
        break;
    case T_WEIGHT:
        *v = t->weight;
        break;
    case T_ROWS:
        *v = (double)t->rows;
        break;
    case T_PROBABLE:
        *v = t->probable ? 1 : 0;
        break;
    case T_LENGTH:
        *v = t->length_km;
        break;
    case T_TOUCHING:
        *v = flag(t->touching);
        break;
    case T_DOMESTIC:
        *v = flag(t->domestic);
        break;
    case T_START:
    case T_START_DATE:
        *v = t->start == PM_EXPORT_NO_YEAR ? NAN : t->start;
        break;
    case T_END:
    case T_END_DATE:
        *v = t->end == PM_EXPORT_NO_YEAR ? NAN : t->end;
        break;
    case T_TYPE:
        *s = t->type;
        break;
    case T_CONFIDENCE:
        *s = t->confidence;
        break;
    case T_ATTR:
        *s = t->attr ? t->attr[c->metric] : NULL;
        break;
    }
    if (!isfinite(*v))
        *v = NAN;
}

/* ---- tie lines ------------------------------------------------------------------------------- */

/* Adds (lon, lat) to part unless it repeats the part's last point. */
static void add_point(OGRGeometryH part, double lon, double lat)
{
    int n = OGR_G_GetPointCount(part);
    if (n > 0 && OGR_G_GetX(part, n - 1) == lon && OGR_G_GetY(part, n - 1) == lat)
        return;
    OGR_G_AddPoint_2D(part, lon, lat);
}

/* Ends part (kept when it has two points) and starts a new one. */
static OGRGeometryH next_part(OGRGeometryH multi, OGRGeometryH part)
{
    if (OGR_G_GetPointCount(part) >= 2)
        OGR_G_AddGeometryDirectly(multi, part);
    else
        OGR_G_DestroyGeometry(part);
    return OGR_G_CreateGeometry(wkbLineString);
}

pm_status_t pm_export_tie_line(double lon1, double lat1, double lon2, double lat2, double step_km,
                               OGRGeometryH *out, pm_error_t *err)
{
    if (!isfinite(lon1) || !isfinite(lat1) || !isfinite(lon2) || !isfinite(lat2))
        return pm_error_set(err, PM_EUSAGE, "tie line: a coordinate is not a number");
    if (!(step_km > 0))
        step_km = PM_EXPORT_DENSIFY_KM;
    double a[3], b[3], t[3];
    pm_sphere_vec(lon1, lat1, a);
    pm_sphere_vec(lon2, lat2, b);
    double ang = pm_sphere_angle(a, b);
    pm_sphere_tangent(a, b, t);
    double steps = ceil(ang * PM_SPATIAL_EARTH_RADIUS_KM / step_km);
    size_t n = steps < 1 ? 1 : steps > 100000 ? 100000 : (size_t)steps;
    OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiLineString);
    OGRGeometryH part = OGR_G_CreateGeometry(wkbLineString);
    if (!multi || !part) {
        OGR_G_DestroyGeometry(multi);
        OGR_G_DestroyGeometry(part);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    double plon = lon1, plat = lat1;
    OGR_G_AddPoint_2D(part, lon1, lat1);
    for (size_t i = 1; i <= n; i++) {
        double lon = lon2, lat = lat2;
        if (i < n) {
            double s = ang * (double)i / (double)n, p[3];
            for (int j = 0; j < 3; j++)
                p[j] = a[j] * cos(s) + t[j] * sin(s);
            lon = atan2(p[1], p[0]) * 180 / M_PI;
            lat = atan2(p[2], hypot(p[0], p[1])) * 180 / M_PI;
        }
        if (fabs(lon - plon) > 180) {
            /* crossing the antimeridian: end at +-180, go on from -+180 */
            double edge = plon > 0 ? 180 : -180;
            double ulon = lon + (plon > 0 ? 360 : -360);
            double f = (edge - plon) / (ulon - plon);
            double clat = plat + f * (lat - plat);
            add_point(part, edge, clat);
            part = next_part(multi, part);
            add_point(part, -edge, clat);
        }
        add_point(part, lon, lat);
        plon = lon;
        plat = lat;
    }
    if (OGR_G_GetPointCount(part) < 2 && OGR_G_GetGeometryCount(multi) == 0)
        OGR_G_AddPoint_2D(part, lon2, lat2); /* both ends one point: a degenerate line */
    /* keep the last part; next_part hands back a fresh one, not needed */
    OGR_G_DestroyGeometry(next_part(multi, part));
    *out = multi;
    return PM_OK;
}
