/*
 * test_spatial: tie lengths against known great-circle distances (Moscow-Prague, a degree of
 * the equator, antipodes); touching and domestic shares on hand-made squares (two touching, one
 * far) and on real kraje (neighbours, a composite and its member, a historical and a successor
 * country); points never touch; self-ties and unmatched ends counted apart; quartiles and bins
 * against a brute-force reference; bad input refused.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_geo.h"
#include "pm_join.h"
#include "pm_norm.h"
#include "pm_runtime.h"
#include "pm_spatial.h"
#include "pm_test.h"

#define JOIN_DATA PM_TEST_DATA "/join/"

static char dir[] = "/tmp/pm_test_spatial.XXXXXX";

static void test_distance(void)
{
    /* Moscow (Red Square) - Prague (Old Town Square): about 1,665 km */
    double d = pm_spatial_distance_km(37.6173, 55.7558, 14.4208, 50.0875);
    CHECK(d > 1655 && d < 1675);
    CHECK_NEAR(pm_spatial_distance_km(0, 0, 1, 0), 2 * M_PI * 6371.0088 / 360, 1e-9);
    CHECK_NEAR(pm_spatial_distance_km(0, 0, 180, 0), M_PI * 6371.0088, 1e-9);
    CHECK_NEAR(pm_spatial_distance_km(10, 90, -170, 90), 0, 1e-6); /* the pole */
    CHECK_NEAR(pm_spatial_distance_km(179.5, 0, -179.5, 0), pm_spatial_distance_km(0, 0, 1, 0),
               1e-9); /* across the antimeridian */
    CHECK_NEAR(pm_spatial_distance_km(3, 4, 5, 6), pm_spatial_distance_km(5, 6, 3, 4), 1e-12);
}

/* A GeoJSON of three squares (A, B touching; C far, in another country) and a places file with
 * a point inside A. */
static void write_squares(char *geojson, char *places, size_t len)
{
    snprintf(geojson, len, "%s/squares.geojson", dir);
    snprintf(places, len, "%s/places.csv", dir);
    FILE *f = fopen(geojson, "w");
    fputs("{\"type\":\"FeatureCollection\",\"name\":\"squares\",\"features\":[\n"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"name\":\"Alpha\","
          "\"iso_a2\":\"AA\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
          "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},\n"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\",\"name\":\"Beta\","
          "\"iso_a2\":\"AA\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
          "[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},\n"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"C\",\"name\":\"Gamma\","
          "\"iso_a2\":\"BB\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
          "[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}}]}\n",
          f);
    fclose(f);
    f = fopen(places, "w");
    fputs("name,lon,lat,country\nInside A,0.5,0.5,AA\n", f);
    fclose(f);
}

static void test_squares(void)
{
    char geojson[512], places[512];
    write_squares(geojson, places, sizeof geojson);
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    o.source = geojson;
    o.places_file = places;
    pm_geo_t *geo = NULL;
    pm_error_t err;
    CHECK(pm_geo_open(&o, &geo, &err) == PM_OK);
    if (!geo) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    pm_place_query_t q[] = {{"A", NULL, 0},
                            {"B", NULL, 0},
                            {"C", NULL, 0},
                            {"Nowhere", NULL, 0},
                            {"Inside A", NULL, 0}};
    pm_join_result_t j;
    pm_join_result_init(&j);
    CHECK(pm_join_run(geo, NULL, q, 5, &j, NULL, &err) == PM_OK);
    CHECK(j.m[3].kind == PM_MATCH_UNMATCHED && j.m[4].kind == PM_MATCH_POINT);
    /* ties: A-B (2), A-C (1), B-B self, A-Nowhere, point-A (3), C-B (1) */
    size_t from[] = {0, 0, 1, 0, 4, 2}, to[] = {1, 2, 1, 3, 0, 1};
    double w[] = {2, 1, 5, 1, 3, 1};
    pm_spatial_t s;
    pm_spatial_init(&s);
    CHECK(pm_spatial_compute(geo, &j, from, to, w, 6, NULL, &s, &err) == PM_OK);
    CHECK_INT(s.n_ties, 6);
    CHECK_INT(s.n_measured, 4);
    CHECK_INT(s.n_self, 1);
    CHECK_INT(s.n_skipped, 1);
    CHECK(isnan(s.length_km[3]) && s.length_km[2] == 0);
    double ab = pm_spatial_distance_km(j.m[0].lon, j.m[0].lat, j.m[1].lon, j.m[1].lat);
    double ac = pm_spatial_distance_km(j.m[0].lon, j.m[0].lat, j.m[2].lon, j.m[2].lat);
    CHECK_NEAR(s.length_km[0], ab, 1e-12);
    CHECK(ab > 100 && ab < 120); /* about a degree */
    CHECK(j.m[0].lon > 0 && j.m[0].lon < 1 && j.m[0].lat > 0 && j.m[0].lat < 1); /* inside A */
    CHECK_INT(s.touching[0], 1); /* A-B share a border */
    CHECK_INT(s.touching[1], 0); /* A-C far apart */
    CHECK_INT(s.touching[4], 0); /* a point never touches, even inside A */
    CHECK_INT(s.touching[2], -1);
    CHECK_INT(s.touching[3], -1);
    CHECK_INT(s.touching[5], 0);
    CHECK_INT(s.domestic[0], 1);
    CHECK_INT(s.domestic[1], 0);
    CHECK_INT(s.domestic[4], 1);
    CHECK_INT(s.domestic[5], 0);
    CHECK_INT(s.n_touch_known, 4);
    CHECK_INT(s.n_touching, 1);
    CHECK_NEAR(s.share_touching, 0.25, 1e-12);
    CHECK_NEAR(s.wshare_touching, 2.0 / 7.0, 1e-12);
    CHECK_NEAR(s.share_domestic, 0.5, 1e-12);
    CHECK_NEAR(s.wshare_domestic, 5.0 / 7.0, 1e-12);
    CHECK_NEAR(s.total_weight, 7, 1e-12);
    /* per place: A has A-B, A-C and the point's tie */
    CHECK_INT(s.place_ties[0], 3);
    CHECK_NEAR(s.place_max_km[0], ac, 1e-9);
    CHECK_NEAR(s.place_mean_km[0], (ab + ac + s.length_km[4]) / 3, 1e-9);
    CHECK_NEAR(s.place_wmean_km[0], (2 * ab + ac + 3 * s.length_km[4]) / 6, 1e-9);
    CHECK_INT(s.place_ties[3], 0);
    CHECK(isnan(s.place_mean_km[3]));
    /* the distribution against a brute-force reference (type 7 quantiles) */
    double v[4] = {s.length_km[0], s.length_km[1], s.length_km[4], s.length_km[5]};
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            if (v[b] < v[a]) {
                double t = v[a];
                v[a] = v[b];
                v[b] = t;
            }
    CHECK_NEAR(s.min_km, v[0], 1e-12);
    CHECK_NEAR(s.max_km, v[3], 1e-12);
    CHECK_NEAR(s.median_km, (v[1] + v[2]) / 2, 1e-12);
    CHECK_NEAR(s.q1_km, v[0] + 0.75 * (v[1] - v[0]), 1e-12);
    CHECK_NEAR(s.q3_km, v[2] + 0.25 * (v[3] - v[2]), 1e-12);
    CHECK_NEAR(s.mean_km, (v[0] + v[1] + v[2] + v[3]) / 4, 1e-12);
    CHECK_NEAR(s.wmean_km, (2 * ab + ac + 3 * s.length_km[4] + s.length_km[5]) / 7, 1e-12);
    size_t total = 0;
    for (size_t b = 0; b < s.n_bins; b++)
        total += s.bin_count[b];
    CHECK_INT(total, 4);
    CHECK_INT(s.bin_count[0], 1); /* 0-100 km: the point inside A */
    CHECK_INT(s.bin_count[1], 1); /* 100-250 km: A-B */
    CHECK_INT(s.bin_count[4], 2); /* 1000-2000 km: A-C, C-B */
    CHECK_NEAR(s.bin_weight[4], 2, 1e-12);
    pm_spatial_destroy(&s);

    /* own bins; no touch test */
    double edges[] = {0, 50, 200, 5000};
    pm_spatial_opts_t so;
    pm_spatial_opts_init(&so);
    so.bin_edges = edges;
    so.n_bin_edges = 4;
    so.no_touch = 1;
    CHECK(pm_spatial_compute(geo, &j, from, to, NULL, 6, &so, &s, &err) == PM_OK);
    CHECK_INT(s.n_bins, 3);
    CHECK_INT(s.bin_count[0], 1); /* the point inside A, ~0 km */
    CHECK_INT(s.bin_count[1], 1); /* A-B */
    CHECK_INT(s.bin_count[2], 2); /* A-C, C-B */
    CHECK_INT(s.n_touch_known, 0);
    CHECK(isnan(s.share_touching));
    CHECK_NEAR(s.bin_weight[0] + s.bin_weight[1] + s.bin_weight[2], 4, 1e-12);
    pm_spatial_destroy(&s);

    /* bad input */
    size_t bad_to[] = {1, 9};
    CHECK_INT(pm_spatial_compute(geo, &j, from, bad_to, NULL, 2, NULL, &s, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "tie 1: place index out of range");
    double neg[] = {1, -1};
    CHECK_INT(pm_spatial_compute(geo, &j, from, to, neg, 2, NULL, &s, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "tie 1: weight must be finite and >= 0");
    double bad_edges[] = {0, 100, 100};
    so.bin_edges = bad_edges;
    so.n_bin_edges = 3;
    CHECK_INT(pm_spatial_compute(geo, &j, from, to, NULL, 2, &so, &s, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "must increase");
    CHECK(s.length_km == NULL);
    pm_join_result_destroy(&j);
    pm_geo_free(geo);
}

static void test_kraje(void)
{
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    o.source = JOIN_DATA "mini_admin1.geojson";
    o.composites_file = JOIN_DATA "composites.csv";
    pm_geo_t *geo = NULL;
    pm_error_t err;
    CHECK(pm_geo_open(&o, &geo, &err) == PM_OK);
    if (!geo)
        return;
    pm_place_query_t q[] = {{"CZE-10369", NULL, 0}, {"CZE-1590", NULL, 0}, {"CS-ZAP", NULL, 0},
                            {"RUS-2386", NULL, 0},  {"SVK-1057", NULL, 0}, {"CZE-1612", NULL, 0}};
    pm_join_result_t j;
    pm_join_result_init(&j);
    CHECK(pm_join_run(geo, NULL, q, 6, &j, NULL, &err) == PM_OK);
    /* Plzeňský-Karlovarský (neighbours), CS-ZAP-Plzeňský (member), Sverdlovsk-CS-ZAP,
     * Košický-Moravskoslezský (not neighbours), CS-ZAP-Moravskoslezský */
    size_t from[] = {0, 2, 3, 4, 2}, to[] = {1, 0, 2, 5, 5};
    pm_spatial_t s;
    pm_spatial_init(&s);
    CHECK(pm_spatial_compute(geo, &j, from, to, NULL, 5, NULL, &s, &err) == PM_OK);
    CHECK_INT(s.touching[0], 1);
    CHECK_INT(s.touching[1], 1);
    CHECK_INT(s.touching[2], 0);
    CHECK_INT(s.touching[3], 0);
    CHECK_INT(s.touching[4], 0);
    CHECK_INT(s.domestic[0], 1);
    CHECK_INT(s.domestic[1], 1); /* CS and CZ: one country at the time */
    CHECK_INT(s.domestic[2], 0);
    CHECK_INT(s.domestic[3], 0); /* SK and CZ today */
    /* Sverdlovsk (label 61.71E 58.90N) - Plzeň (13.20E 49.65N) */
    CHECK(s.length_km[2] > 3000 && s.length_km[2] < 3400);
    CHECK_NEAR(s.length_km[2], pm_spatial_distance_km(61.7078, 58.8952, 13.2001, 49.6458), 1e-6);
    pm_spatial_destroy(&s);
    pm_spatial_destroy(&s); /* twice is fine */
    pm_join_result_destroy(&j);
    pm_geo_free(geo);
}

int main(void)
{
    pm_runtime_init();
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    PM_RUN(test_distance);
    PM_RUN(test_squares);
    PM_RUN(test_kraje);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    pm_norm_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
