/*
 * pm_project: the map's coordinate reference system and bulk transforms from WGS84 lon/lat.
 *
 * A pm_proj_t wraps a target CRS given as anything GDAL/PROJ accept ("EPSG:3035", a PROJ string,
 * WKT) and the two transforms between it and WGS84. Both sides use the traditional GIS axis order:
 * x is longitude or easting, y latitude or northing, whatever the authority says.
 *
 * Automatic choice (pm_project_auto): a Lambert azimuthal equal-area projection centred on the
 * data's bounding box, where longitudes are treated as a circle so data across the 180th meridian
 * (Chukotka and Alaska) get a centre near 180 rather than near 0; a polar LAEA when the data lie
 * beyond 45 degrees north (or south) and span more than 90 degrees of longitude; Equal Earth when
 * they span more than 200 degrees of longitude otherwise.
 *
 * The antimeridian of a projection is its central meridian + 180: lines and rings crossing it
 * must be cut there (pm_project_cut_lon gives it) or they smear across world maps.
 *
 * Not thread-safe: one pm_proj_t per thread.
 */
#ifndef PM_PROJECT_H
#define PM_PROJECT_H

#include <stddef.h>

#include "pm_error.h"

typedef struct pm_proj pm_proj_t;

/* Longitude span above which pm_project_auto picks Equal Earth instead of a LAEA. */
#define PM_PROJECT_WORLD_SPAN 200.0

/* Makes a projection to `crs` (any string OSRSetFromUserInput accepts). *out gets a new object
 * (pm_project_free it). Errors: PM_EUSAGE when the CRS is not understood, PM_EINTERNAL when no
 * transform from WGS84 exists, PM_ENOMEM. */
pm_status_t pm_project_new(const char *crs, pm_proj_t **out, pm_error_t *err);
void pm_project_free(pm_proj_t *p);

/* The CRS text given to pm_project_new. Lent. */
const char *pm_project_crs(const pm_proj_t *p);
/* 1 when the target CRS is geographic (x, y are degrees). */
int pm_project_is_geographic(const pm_proj_t *p);
/* The central meridian in degrees (-180, 180]; 0 when the CRS has none. */
double pm_project_central_lon(const pm_proj_t *p);
/* The meridian opposite the central one, in (-180, 180]. */
double pm_project_cut_lon(const pm_proj_t *p);

/* Transforms n points in place: x[i], y[i] are lon, lat in degrees on input and projected x, y
 * on output. Points that cannot be projected become NAN (both coordinates); *n_failed (may be
 * NULL) counts them. Never fails for individual points; PM_EINTERNAL only if PROJ refuses the
 * whole call. O(n), one PROJ call. */
pm_status_t pm_project_fwd(const pm_proj_t *p, double *x, double *y, size_t n, size_t *n_failed,
                           pm_error_t *err);
/* The bounding box {xmin, ymin, xmax, ymax} of the n points that are not NAN (none: xmin > xmax,
 * the box INFINITY, INFINITY, -INFINITY, -INFINITY). */
void pm_project_bbox(const double *x, const double *y, size_t n, double box[4]);
/* The inverse: projected x, y to lon, lat degrees, in place; same conventions. */
pm_status_t pm_project_inv(const pm_proj_t *p, double *x, double *y, size_t n, size_t *n_failed,
                           pm_error_t *err);

/* Projected units per ground metre eastward at lon, lat (computed on the WGS84 ellipsoid over a
 * short step): the true scale a scale bar needs there. Errors: PM_EDATA when the point does not
 * project. */
pm_status_t pm_project_scale_at(const pm_proj_t *p, double lon, double lat, double *units_per_m,
                                pm_error_t *err);

/* The projected bounding box {xmin, ymin, xmax, ymax} of the lon/lat box from (lon1, lat1) to
 * (lon2, lat2), sampling it on a 41 x 41 grid; lon1 > lon2 means the box crosses the 180th
 * meridian. Errors: PM_EDATA when no point of the box projects. */
pm_status_t pm_project_bounds(const pm_proj_t *p, double lon1, double lat1, double lon2,
                              double lat2, double box[4], pm_error_t *err);

/* The smallest arc of the longitude circle holding every finite lon[i]: *west in [-180, 180) and
 * *east = *west + span (so *east may exceed 180). n == 0 or no finite value: both 0. O(n log n). */
void pm_project_lon_range(const double *lon, size_t n, double *west, double *east);

/* 1 when the smallest longitude arc holding the finite lon[i] (pm_project_lon_range) runs across
 * p's cut meridian (pm_project_cut_lon), so that a map in p would split the data between its two
 * edges (EPSG:4326 or 3857 for Chukotka and Alaska); 0 otherwise, or when n == 0. *west and
 * *east (may be NULL) get the arc. O(n log n). */
int pm_project_splits(const pm_proj_t *p, const double *lon, size_t n, double *west, double *east);

/* Chooses a CRS for the finite points (lon[i], lat[i]) as described above and returns it as a
 * PROJ string in *crs_out (caller frees), e.g. "+proj=laea +lat_0=55.5 +lon_0=60 +datum=WGS84
 * +units=m +no_defs". Errors: PM_EDATA when no point is finite, PM_ENOMEM. */
pm_status_t pm_project_auto(const double *lon, const double *lat, size_t n, char **crs_out,
                            pm_error_t *err);

#endif
