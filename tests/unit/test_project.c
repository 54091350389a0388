/*
 * test_project: CRS parsing, bulk transforms, the automatic choice of projection and the
 * antimeridian handling it rests on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_project.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define LAEA_EU "+proj=laea +lat_0=52 +lon_0=10 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

static void test_laea_round_trip(void)
{
    pm_proj_t *p = NULL;
    pm_error_t err;
    CHECK_INT(pm_project_new(LAEA_EU, &p, &err), PM_OK);
    if (!p)
        return;
    double lon[6] = {10, 14.4378, 37.6173, -9.14, 30.0, 73.1};
    double lat[6] = {52, 50.0755, 55.7558, 38.72, 70.0, 49.8};
    double x[6], y[6];
    memcpy(x, lon, sizeof x);
    memcpy(y, lat, sizeof y);
    size_t failed = 9;
    CHECK_INT(pm_project_fwd(p, x, y, 6, &failed, &err), PM_OK);
    CHECK_INT(failed, 0);
    CHECK_NEAR(x[0], 0, 1e-6); /* the centre maps to the origin */
    CHECK_NEAR(y[0], 0, 1e-6);
    CHECK(x[1] > 0 && y[1] < 0); /* Praha: east and south of 52N 10E */
    CHECK(x[3] < 0);             /* Lisboa: west */
    CHECK_INT(pm_project_inv(p, x, y, 6, &failed, &err), PM_OK);
    for (int i = 0; i < 6; i++) {
        CHECK_NEAR(x[i], lon[i], 1e-9);
        CHECK_NEAR(y[i], lat[i], 1e-9);
    }
    CHECK_NEAR(pm_project_central_lon(p), 10, 1e-12);
    CHECK_NEAR(pm_project_cut_lon(p), -170, 1e-12);
    CHECK(!pm_project_is_geographic(p));
    double k = 0;
    CHECK_INT(pm_project_scale_at(p, 10, 52, &k, &err), PM_OK);
    CHECK_NEAR(k, 1, 1e-6); /* true scale at the centre of an azimuthal projection */
    CHECK_INT(pm_project_scale_at(p, 40, 60, &k, &err), PM_OK);
    CHECK(fabs(k - 1) > 1e-3 && fabs(k - 1) < 0.2);
    pm_project_free(p);
}

/* An authority CRS whose official axis order is northing first: x must still be the easting. */
static void test_epsg_axis_order(void)
{
    pm_proj_t *p = NULL;
    pm_error_t err;
    CHECK_INT(pm_project_new("EPSG:3035", &p, &err), PM_OK);
    if (!p)
        return;
    double x = 10, y = 52;
    CHECK_INT(pm_project_fwd(p, &x, &y, 1, NULL, &err), PM_OK);
    CHECK_NEAR(x, 4321000, 1e-6);
    CHECK_NEAR(y, 3210000, 1e-6);
    pm_project_free(p);

    CHECK_INT(pm_project_new("EPSG:4326", &p, &err), PM_OK);
    if (p) {
        CHECK(pm_project_is_geographic(p));
        x = 20, y = 50;
        pm_project_fwd(p, &x, &y, 1, NULL, &err);
        CHECK_NEAR(x, 20, 1e-12); /* lon stays x */
        pm_project_free(p);
    }
}

static void test_errors(void)
{
    pm_proj_t *p = NULL;
    pm_error_t err;
    CHECK_INT(pm_project_new("not a crs", &p, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "'not a crs'");
    CHECK(p == NULL);
    CHECK_INT(pm_project_new("", &p, &err), PM_EUSAGE);
    CHECK_INT(pm_project_new(LAEA_EU, &p, &err), PM_OK);
    if (p) {
        /* the antipode of a LAEA's centre has no image: NAN, counted, not an error */
        double x[2] = {-170, 10}, y[2] = {-52, 52};
        size_t failed = 0;
        CHECK_INT(pm_project_fwd(p, x, y, 2, &failed, &err), PM_OK);
        CHECK_INT(failed, 1);
        CHECK(isnan(x[0]) && isnan(y[0]));
        CHECK(!isnan(x[1]));
        pm_project_free(p);
    }
    double lon = NAN, lat = 5;
    char *crs = NULL;
    CHECK_INT(pm_project_auto(&lon, &lat, 1, &crs, &err), PM_EDATA);
    CHECK(crs == NULL);
}

static void test_lon_range(void)
{
    double w, e;
    double a[3] = {10, 20, 15};
    pm_project_lon_range(a, 3, &w, &e);
    CHECK_NEAR(w, 10, 1e-12);
    CHECK_NEAR(e, 20, 1e-12);
    /* across the 180th meridian: the short way round */
    double b[4] = {170, -170, 175, -179};
    pm_project_lon_range(b, 4, &w, &e);
    CHECK_NEAR(w, 170, 1e-12);
    CHECK_NEAR(e, 190, 1e-12);
    double c[2] = {180, -180}; /* one longitude */
    pm_project_lon_range(c, 2, &w, &e);
    CHECK_NEAR(e - w, 0, 1e-12);
    double d[2] = {NAN, 5};
    pm_project_lon_range(d, 2, &w, &e);
    CHECK_NEAR(w, 5, 1e-12);
}

/* Chukotka and Alaska: the automatic LAEA is centred near 180, and the two sides of the 180th
 * meridian are neighbours on the map, not the width of the world apart. */
static void test_auto_antimeridian(void)
{
    double lon[4] = {177.5, 170.3, -165.4, -149.9}, lat[4] = {64.7, 69.7, 64.5, 61.2};
    char *crs = NULL;
    pm_error_t err;
    CHECK_INT(pm_project_auto(lon, lat, 4, &crs, &err), PM_OK);
    CHECK_CONTAINS(crs, "+proj=laea");
    CHECK_CONTAINS(crs, "+lon_0=-169.80"); /* middle of 170.3 .. 210.1 */
    CHECK_CONTAINS(crs, "+lat_0=65.45");
    pm_proj_t *p = NULL;
    CHECK_INT(pm_project_new(crs, &p, &err), PM_OK);
    if (p) {
        double x[2] = {179.99, -179.99}, y[2] = {66, 66};
        pm_project_fwd(p, x, y, 2, NULL, &err);
        CHECK(hypot(x[1] - x[0], y[1] - y[0]) < 2000); /* 0.02 degrees apart: under 2 km */
        CHECK_NEAR(pm_project_cut_lon(p), 10.2, 1e-9);
        /* a box across the meridian has a symmetric-looking projected width */
        double box[4];
        CHECK_INT(pm_project_bounds(p, 170, 60, -170, 70, box, &err), PM_OK);
        CHECK(box[2] - box[0] > 800e3 && box[2] - box[0] < 1500e3);
        pm_project_free(p);
    }
    free(crs);

    /* places round the world: Equal Earth */
    double wl[4] = {-150, -30, 60, 150}, wt[4] = {10, 20, 30, 40};
    CHECK_INT(pm_project_auto(wl, wt, 4, &crs, &err), PM_OK);
    CHECK_CONTAINS(crs, "+proj=eqearth");
    free(crs);

    /* round the Arctic: a polar LAEA */
    double al[4] = {20, 177, -150, -100}, at[4] = {69, 64, 61, 62};
    CHECK_INT(pm_project_auto(al, at, 4, &crs, &err), PM_OK);
    CHECK_CONTAINS(crs, "+proj=laea +lat_0=90 ");
    free(crs);

    /* a single place: a LAEA centred on it */
    double sl = 14.44, st = 50.08;
    CHECK_INT(pm_project_auto(&sl, &st, 1, &crs, &err), PM_OK);
    CHECK_CONTAINS(crs, "+lat_0=50.08 +lon_0=14.44");
    free(crs);
}

/* The bounds of a box that holds a world map's edge meridian reach the map's edges. */
/* Data across a CRS's cut meridian are flagged; data beside it, or a CRS centred on them, not. */
static void test_splits(void)
{
    double bering[] = {177.5, 170.3, -165.4, -149.9}, europe[] = {-9.1, 14.4, 37.6};
    double w = 0, e = 0;
    const char *crs[] = {"EPSG:4326", "EPSG:3857", "+proj=laea +lon_0=175 +lat_0=65 +datum=WGS84"};
    int want_bering[] = {1, 1, 0}, want_europe[] = {0, 0, 1}; /* 175 + 180: cut at -5 */
    for (int i = 0; i < 3; i++) {
        pm_proj_t *p = NULL;
        CHECK_INT(pm_project_new(crs[i], &p, NULL), PM_OK);
        if (!p)
            continue;
        CHECK_INT(pm_project_splits(p, bering, 4, &w, &e), want_bering[i]);
        CHECK_NEAR(w, 170.3, 1e-9);
        CHECK_NEAR(e, -149.9 + 360, 1e-9);
        CHECK_INT(pm_project_splits(p, europe, 3, NULL, NULL), want_europe[i]);
        CHECK_INT(pm_project_splits(p, europe, 0, NULL, NULL), 0);
        pm_project_free(p);
    }
    /* LAEA Europe (lon_0 = 10) is cut at -170: Kamchatka to Alaska crosses it, Chukotka alone not
     */
    pm_proj_t *p = NULL;
    CHECK_INT(pm_project_new("EPSG:3035", &p, NULL), PM_OK);
    if (p) {
        double kam[] = {158.6, -149.9}, chuk[] = {166.4, 177.5};
        CHECK_INT(pm_project_splits(p, kam, 2, NULL, NULL), 1);
        CHECK_INT(pm_project_splits(p, chuk, 2, NULL, NULL), 0);
        pm_project_free(p);
    }
}

static void test_bounds_world(void)
{
    pm_proj_t *p = NULL;
    pm_error_t err;
    CHECK_INT(pm_project_new("+proj=eqearth +lon_0=170 +datum=WGS84 +units=m", &p, &err), PM_OK);
    if (!p)
        return;
    double box[4];
    CHECK_INT(pm_project_bounds(p, -180, -60, 180, 80, box, &err), PM_OK);
    CHECK_NEAR(box[0], -box[2], 1e-3);
    CHECK(box[2] > 17.2e6); /* Equal Earth's half width is 17.24e6 m */
    pm_project_free(p);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_laea_round_trip);
    PM_RUN(test_epsg_axis_order);
    PM_RUN(test_errors);
    PM_RUN(test_lon_range);
    PM_RUN(test_auto_antimeridian);
    PM_RUN(test_bounds_world);
    PM_RUN(test_splits);
    pm_runtime_teardown();
    return pm_test_done();
}
