/*
 * pm_project: CRS parsing through OSR and bulk transforms through OCT (see pm_project.h).
 *
 * Invariants: both spatial references use OAMS_TRADITIONAL_GIS_ORDER; fwd and inv are the two
 * directions between WGS84 and the target and live as long as the object.
 */
#include "pm_project.h"

#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_error_adapt.h"
#include "pm_runtime.h"

#define PI 3.14159265358979323846

struct pm_proj {
    OGRSpatialReferenceH wgs84, target;
    OGRCoordinateTransformationH fwd, inv;
    char *crs;
    double lon0;
    int geographic;
};

static double wrap180(double lon)
{
    /* into (-180, 180] */
    double v = fmod(lon, 360.0);
    if (v <= -180)
        v += 360;
    else if (v > 180)
        v -= 360;
    return v;
}

static double central_meridian(OGRSpatialReferenceH srs)
{
    static const char *const names[] = {"central_meridian", "longitude_of_center",
                                        "longitude_of_origin",
                                        "straight_vertical_longitude_from_pole"};
    if (OSRIsGeographic(srs))
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        OGRErr e = OGRERR_NONE;
        double v = OSRGetProjParm(srs, names[i], 0.0, &e);
        if (e == OGRERR_NONE)
            return wrap180(v);
    }
    return 0;
}

pm_status_t pm_project_new(const char *crs, pm_proj_t **out, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    pm_proj_t *p = calloc(1, sizeof *p);
    if (!p || !(p->crs = strdup(crs ? crs : ""))) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    p->wgs84 = OSRNewSpatialReference(NULL);
    p->target = OSRNewSpatialReference(NULL);
    if (!p->wgs84 || !p->target) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    pm_runtime_gdal_reset();
    if (OSRImportFromEPSG(p->wgs84, 4326) != OGRERR_NONE) {
        st = pm_error_set(err, PM_EINTERNAL, "cannot set up WGS84 (is PROJ's proj.db installed?)");
        goto cleanup;
    }
    if (!crs || !*crs || OSRSetFromUserInput(p->target, crs) != OGRERR_NONE) {
        const char *why = pm_runtime_gdal_msg();
        if (strstr(why, "bad_alloc") || strstr(why, "ut of memory")) { /* not the CRS's fault */
            st = pm_error_set(err, PM_ENOMEM, "out of memory setting up the CRS '%s'", crs);
            goto cleanup;
        }
        st = pm_error_set(err, PM_EUSAGE, "unknown CRS '%s'%s%s (try EPSG:3035 or a PROJ string)",
                          crs ? crs : "", *why ? ": " : "", why);
        goto cleanup;
    }
    OSRSetAxisMappingStrategy(p->wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(p->target, OAMS_TRADITIONAL_GIS_ORDER);
    p->fwd = OCTNewCoordinateTransformation(p->wgs84, p->target);
    p->inv = OCTNewCoordinateTransformation(p->target, p->wgs84);
    if (!p->fwd || !p->inv) {
        const char *why = pm_runtime_gdal_msg();
        st = pm_error_set(err, PM_EINTERNAL, "no transform from WGS84 to '%s'%s%s", crs,
                          *why ? ": " : "", why);
        goto cleanup;
    }
    p->geographic = OSRIsGeographic(p->target) != 0;
    p->lon0 = central_meridian(p->target);
    *out = p;
    return PM_OK;
cleanup:
    pm_project_free(p);
    return st;
}

void pm_project_free(pm_proj_t *p)
{
    if (!p)
        return;
    if (p->inv)
        OCTDestroyCoordinateTransformation(p->inv);
    if (p->fwd)
        OCTDestroyCoordinateTransformation(p->fwd);
    if (p->target)
        OSRRelease(p->target);
    if (p->wgs84)
        OSRRelease(p->wgs84);
    free(p->crs);
    free(p);
}

const char *pm_project_crs(const pm_proj_t *p)
{
    return p->crs;
}

int pm_project_is_geographic(const pm_proj_t *p)
{
    return p->geographic;
}

double pm_project_central_lon(const pm_proj_t *p)
{
    return p->lon0;
}

double pm_project_cut_lon(const pm_proj_t *p)
{
    return wrap180(p->lon0 + 180);
}

static pm_status_t transform(OGRCoordinateTransformationH ct, double *x, double *y, size_t n,
                             size_t *n_failed, pm_error_t *err)
{
    size_t failed = 0;
    if (n == 0)
        goto done;
    if (n > (size_t)0x7fffffff)
        return pm_error_set(err, PM_EINTERNAL, "too many points to transform at once (%zu)", n);
    int *ok = malloc(n * sizeof *ok);
    if (!ok)
        return pm_error_set(err, PM_ENOMEM, "out of memory transforming %zu points", n);
    /* OCTTransformEx's return value differs between GDAL versions when some points fail; the
     * per-point flags are what count. */
    OCTTransformEx(ct, (int)n, x, y, NULL, ok);
    for (size_t i = 0; i < n; i++) {
        if (!ok[i] || !isfinite(x[i]) || !isfinite(y[i])) {
            x[i] = y[i] = NAN;
            failed++;
        }
    }
    free(ok);
done:
    if (n_failed)
        *n_failed = failed;
    return PM_OK;
}

pm_status_t pm_project_fwd(const pm_proj_t *p, double *x, double *y, size_t n, size_t *n_failed,
                           pm_error_t *err)
{
    return transform(p->fwd, x, y, n, n_failed, err);
}

void pm_project_bbox(const double *x, const double *y, size_t n, double box[4])
{
    box[0] = box[1] = INFINITY;
    box[2] = box[3] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        box[0] = fmin(box[0], x[i]), box[1] = fmin(box[1], y[i]);
        box[2] = fmax(box[2], x[i]), box[3] = fmax(box[3], y[i]);
    }
}

pm_status_t pm_project_inv(const pm_proj_t *p, double *x, double *y, size_t n, size_t *n_failed,
                           pm_error_t *err)
{
    return transform(p->inv, x, y, n, n_failed, err);
}

pm_status_t pm_project_scale_at(const pm_proj_t *p, double lon, double lat, double *units_per_m,
                                pm_error_t *err)
{
    /* A step of 0.01 degrees east along the parallel; its ground length is N cos(phi) dlambda,
     * N the ellipsoid's radius of curvature in the prime vertical. */
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    const double step = 0.01;
    double phi = lat * PI / 180, s = sin(phi);
    double ground = a / sqrt(1 - e2 * s * s) * cos(phi) * step * PI / 180;
    double x[2] = {lon - step / 2, lon + step / 2}, y[2] = {lat, lat};
    size_t failed = 0;
    pm_status_t st = pm_project_fwd(p, x, y, 2, &failed, err);
    if (st)
        return st;
    if (failed || !(ground > 0))
        return pm_error_set(err, PM_EDATA, "no map scale at %.4f, %.4f in '%s'", lon, lat, p->crs);
    *units_per_m = hypot(x[1] - x[0], y[1] - y[0]) / ground;
    return PM_OK;
}

pm_status_t pm_project_bounds(const pm_proj_t *p, double lon1, double lat1, double lon2,
                              double lat2, double box[4], pm_error_t *err)
{
    /* A grid over the whole box, not only its edges: when the box holds the projection's edge
     * meridian or a pole, the extremes lie inside it. */
    enum { G = 41, N = (G + 2) * G };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    size_t n = 0, failed = 0;
    pm_status_t st = PM_OK;
    if (!x || !y) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (lon2 < lon1)
        lon2 += 360;
    /* The columns: G even steps, plus both sides of the cut meridian when the box holds it. */
    double cut = pm_project_cut_lon(p), cols[G + 2];
    size_t nc = 0;
    for (int i = 0; i < G; i++)
        cols[nc++] = lon1 + (lon2 - lon1) * i / (G - 1);
    for (int k = -1; k <= 1; k++) {
        double c = cut + 360.0 * k;
        if (c > lon1 && c < lon2) {
            cols[nc++] = c - 1e-6;
            cols[nc++] = c + 1e-6;
            break;
        }
    }
    for (size_t i = 0; i < nc; i++) {
        for (int j = 0; j < G; j++) {
            x[n] = wrap180(cols[i]);
            y[n++] = lat1 + (lat2 - lat1) * j / (G - 1);
        }
    }
    st = pm_project_fwd(p, x, y, n, &failed, err);
    if (st)
        goto cleanup;
    pm_project_bbox(x, y, n, box);
    if (failed == n)
        st = pm_error_set(err, PM_EDATA,
                          "the box %g,%g,%g,%g does not project into '%s' (is it lon1,lat1,"
                          "lon2,lat2 in degrees?)",
                          lon1, lat1, lon2 > 180 ? lon2 - 360 : lon2, lat2, p->crs);
cleanup:
    free(x);
    free(y);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void pm_project_lon_range(const double *lon, size_t n, double *west, double *east)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    *west = *east = 0;
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(lon[i])) {
            double w = wrap180(lon[i]);
            v[m++] = w == 180 ? -180 : w; /* [-180, 180) */
        }
    }
    if (m == 0)
        goto cleanup;
    qsort(v, m, sizeof *v, cmp_double);
    /* The arc is the circle minus its largest gap between neighbouring longitudes. */
    double gap = v[0] + 360 - v[m - 1];
    size_t after = 0; /* index of the longitude after the largest gap */
    for (size_t i = 1; i < m; i++) {
        if (v[i] - v[i - 1] > gap) {
            gap = v[i] - v[i - 1];
            after = i;
        }
    }
    *west = v[after];
    *east = *west + (360 - gap);
cleanup:
    free(v);
}

int pm_project_splits(const pm_proj_t *p, const double *lon, size_t n, double *west, double *east)
{
    double w = 0, e = 0;
    int finite = 0;
    for (size_t i = 0; i < n && !finite; i++)
        finite = isfinite(lon[i]);
    if (finite)
        pm_project_lon_range(lon, n, &w, &e);
    if (west)
        *west = w;
    if (east)
        *east = e;
    if (!finite || e <= w)
        return 0;
    double cut = pm_project_cut_lon(p);
    while (cut <= w)
        cut += 360;
    while (cut > w + 360)
        cut -= 360;
    return cut < e;
}

pm_status_t pm_project_auto(const double *lon, const double *lat, size_t n, char **crs_out,
                            pm_error_t *err)
{
    double west, east, south = INFINITY, north = -INFINITY;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(lon[i]) && isfinite(lat[i])) {
            south = fmin(south, lat[i]);
            north = fmax(north, lat[i]);
            m++;
        }
    }
    if (m == 0)
        return pm_error_set(err, PM_EDATA,
                            "no place has coordinates, so no map projection can "
                            "be chosen");
    double *flon = malloc(m * sizeof *flon);
    if (!flon)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(lon[i]) && isfinite(lat[i]))
            flon[m++] = lon[i];
    pm_project_lon_range(flon, m, &west, &east);
    free(flon);

    char buf[160];
    double lon0 = wrap180((west + east) / 2);
    lon0 = round(lon0 * 100) / 100 + 0.0; /* + 0.0: no "-0" in the string */
    if (east - west > 90 && (south >= 45 || north <= -45)) {
        /* Round a pole (the Arctic, Antarctica): a polar LAEA keeps the ring together. */
        snprintf(buf, sizeof buf,
                 "+proj=laea +lat_0=%d +lon_0=%.2f +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
                 south >= 45 ? 90 : -90, lon0);
    } else if (east - west > PM_PROJECT_WORLD_SPAN) {
        snprintf(buf, sizeof buf, "+proj=eqearth +lon_0=%.2f +datum=WGS84 +units=m +no_defs", lon0);
    } else {
        double lat0 = round((south + north) / 2 * 100) / 100 + 0.0;
        snprintf(buf, sizeof buf,
                 "+proj=laea +lat_0=%.2f +lon_0=%.2f +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
                 lat0, lon0);
    }
    char *s = strdup(buf);
    if (!s)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    *crs_out = s;
    return PM_OK;
}
