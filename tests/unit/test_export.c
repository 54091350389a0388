/*
 * test_export: formats by extension and the GeoJSON ties path; tie lines (points on the great
 * circle no further apart than the step, exact ends, a split at the antimeridian, the way over
 * the pole, antipodes, one point); a small network written in all four formats and read back
 * (GeoPackage and GeoJSON through OGR: layers, counts, fields, nulls, geometry types; GraphML and
 * GML through igraph's readers: counts, direction, attributes, escaped and non-ASCII text);
 * refusals (bad metric name, a file named twice, an unwritable folder) that leave nothing behind.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <gdal.h>
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_export.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_spatial.h"
#include "pm_test.h"

static char dir[] = "/tmp/pm_test_export.XXXXXX";

static void test_formats(void)
{
    pm_export_format_t f;
    pm_error_t err;
    CHECK(pm_export_format_of("a/net.gpkg", &f, &err) == PM_OK && f == PM_EXPORT_GPKG);
    CHECK(pm_export_format_of("NET.GeoJSON", &f, &err) == PM_OK && f == PM_EXPORT_GEOJSON);
    CHECK(pm_export_format_of("x.graphml", &f, &err) == PM_OK && f == PM_EXPORT_GRAPHML);
    CHECK(pm_export_format_of("x.gml", &f, &err) == PM_OK && f == PM_EXPORT_GML);
    CHECK(pm_export_format_of("x.shp", &f, &err) == PM_EUSAGE);
    CHECK_CONTAINS(err.msg, ".gpkg, .geojson");
    CHECK(pm_export_format_of("dir.gpkg/net", &f, &err) == PM_EUSAGE);
    CHECK(pm_export_format_of(".gpkg", &f, &err) == PM_EUSAGE); /* a hidden name, no extension */
    char *p = NULL;
    CHECK(pm_export_ties_path_new("out.v2/net.geojson", &p, &err) == PM_OK);
    CHECK_STR(p, "out.v2/net_ties.geojson");
    free(p);
    CHECK(pm_export_ties_path_new("NET.GeoJSON", &p, &err) == PM_OK);
    CHECK_STR(p, "NET_ties.GeoJSON");
    free(p);
    p = (char *)"x";
    CHECK(pm_export_ties_path_new("net.gpkg", &p, &err) == PM_OK && p == NULL);
    CHECK(pm_export_ties_path_new("net.txt", &p, &err) == PM_EUSAGE);
}

/* Checks that line is one or more parts whose consecutive points are at most step_km apart
 * (on the sphere), and returns its length in km (parts joined across the antimeridian). */
static double check_line(OGRGeometryH line, double step_km)
{
    double total = 0;
    int ok = 1;
    for (int p = 0; p < OGR_G_GetGeometryCount(line); p++) {
        OGRGeometryH part = OGR_G_GetGeometryRef(line, p);
        for (int i = 1; i < OGR_G_GetPointCount(part); i++) {
            double d = pm_spatial_distance_km(OGR_G_GetX(part, i - 1), OGR_G_GetY(part, i - 1),
                                              OGR_G_GetX(part, i), OGR_G_GetY(part, i));
            ok &= d <= step_km * 1.0001;
            total += d;
        }
    }
    CHECK(ok);
    return total;
}

static void test_lines(void)
{
    pm_error_t err;
    OGRGeometryH g = NULL;
    /* Prague - Moscow: one part, exact ends, as long as the great circle */
    CHECK(pm_export_tie_line(14.42, 50.09, 37.62, 55.76, 50, &g, &err) == PM_OK);
    CHECK(wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiLineString);
    CHECK_INT(OGR_G_GetGeometryCount(g), 1);
    OGRGeometryH part = OGR_G_GetGeometryRef(g, 0);
    int n = OGR_G_GetPointCount(part);
    double d = pm_spatial_distance_km(14.42, 50.09, 37.62, 55.76);
    CHECK_INT(n, (int)ceil(d / 50) + 1);
    CHECK(OGR_G_GetX(part, 0) == 14.42 && OGR_G_GetY(part, 0) == 50.09);
    CHECK(OGR_G_GetX(part, n - 1) == 37.62 && OGR_G_GetY(part, n - 1) == 55.76);
    CHECK_NEAR(check_line(g, 50), d, 1e-6);
    /* the great circle bulges north of the straight lon/lat line between the ends */
    CHECK(OGR_G_GetY(part, n / 2) > (50.09 + 55.76) / 2);
    OGR_G_DestroyGeometry(g);

    /* across the antimeridian on the equator: two parts meeting at 180 / -180 */
    CHECK(pm_export_tie_line(170, 0, -170, 0, 100, &g, &err) == PM_OK);
    CHECK_INT(OGR_G_GetGeometryCount(g), 2);
    OGRGeometryH a = OGR_G_GetGeometryRef(g, 0), b = OGR_G_GetGeometryRef(g, 1);
    CHECK(OGR_G_GetX(a, 0) == 170);
    CHECK_NEAR(OGR_G_GetX(a, OGR_G_GetPointCount(a) - 1), 180, 1e-12);
    CHECK_NEAR(OGR_G_GetX(b, 0), -180, 1e-12);
    CHECK_NEAR(OGR_G_GetY(a, OGR_G_GetPointCount(a) - 1), 0, 1e-9);
    CHECK(OGR_G_GetX(b, OGR_G_GetPointCount(b) - 1) == -170);
    CHECK_NEAR(check_line(g, 100), pm_spatial_distance_km(170, 0, -170, 0), 1e-6);
    OGR_G_DestroyGeometry(g);

    /* Chukotka - Alaska, westward start: the same split, at a latitude between the ends */
    CHECK(pm_export_tie_line(-165.4, 64.5, 177.5, 64.73, 50, &g, &err) == PM_OK);
    CHECK_INT(OGR_G_GetGeometryCount(g), 2);
    a = OGR_G_GetGeometryRef(g, 0);
    CHECK_NEAR(OGR_G_GetX(a, OGR_G_GetPointCount(a) - 1), -180, 1e-12);
    CHECK(OGR_G_GetY(a, OGR_G_GetPointCount(a) - 1) > 64.5);
    OGR_G_DestroyGeometry(g);

    /* over the pole: from lon 0 to lon 180 at 80N goes through 90N, no split (no crossing) */
    CHECK(pm_export_tie_line(0, 80, 180, 80, 50, &g, &err) == PM_OK);
    double top = -90;
    for (int p = 0; p < OGR_G_GetGeometryCount(g); p++) {
        part = OGR_G_GetGeometryRef(g, p);
        for (int i = 0; i < OGR_G_GetPointCount(part); i++)
            top = fmax(top, OGR_G_GetY(part, i));
    }
    CHECK(top > 89.7); /* the points nearest the pole lie within half a step of it */
    CHECK_NEAR(check_line(g, 50), pm_spatial_distance_km(0, 80, 180, 80), 1e-6);
    OGR_G_DestroyGeometry(g);

    /* antipodes: half the circumference, leaving northwards */
    CHECK(pm_export_tie_line(10, 0, -170, 0, 500, &g, &err) == PM_OK);
    CHECK_NEAR(check_line(g, 500), M_PI * PM_SPATIAL_EARTH_RADIUS_KM, 1e-6);
    CHECK(OGR_G_GetY(OGR_G_GetGeometryRef(g, 0), 1) > 0);
    OGR_G_DestroyGeometry(g);

    /* one point: a degenerate line of two equal points */
    CHECK(pm_export_tie_line(5, 5, 5, 5, 50, &g, &err) == PM_OK);
    CHECK_INT(OGR_G_GetGeometryCount(g), 1);
    CHECK_INT(OGR_G_GetPointCount(OGR_G_GetGeometryRef(g, 0)), 2);
    OGR_G_DestroyGeometry(g);

    CHECK(pm_export_tie_line(NAN, 0, 1, 1, 50, &g, &err) == PM_EUSAGE);
}

/* A network of three places: two squares (one named with every XML special character, Cyrillic
 * and a byte that is not UTF-8) and a place without a unit; two ties, the first with years, a
 * type, a confidence and two of the table's other columns (one named as no output can name it,
 * one named as a tie column), the second with none of them. */
typedef struct sample {
    OGRGeometryH geom[2];
    double degree[3], pagerank[3];
    pm_export_place_t places[3];
    pm_export_tie_t ties[2];
    pm_export_metric_t metrics[2];
    const char *attr_names[2];
    const char *attr0[2];
    pm_export_t x;
} sample_t;

static void sample_init(sample_t *s, int directed)
{
    memset(s, 0, sizeof *s);
    char wkt1[] = "POLYGON ((0 0,1 0,1 1,0 1,0 0))", wkt2[] = "POLYGON ((1 0,2 0,2 1,1 1,1 0))";
    char *p1 = wkt1, *p2 = wkt2;
    OGR_G_CreateFromWkt(&p1, NULL, &s->geom[0]);
    OGR_G_CreateFromWkt(&p2, NULL, &s->geom[1]);
    s->places[0] = (pm_export_place_t){"Tom & Jerry <\"Ост\">\x01",
                                       "A",
                                       "Alpha",
                                       "Alpha",
                                       "Альфа",
                                       "AA",
                                       "AA",
                                       "name",
                                       0.5,
                                       0.5,
                                       s->geom[0]};
    s->places[1] = (pm_export_place_t){"Beta \xff", "B",    "Beta", NULL, NULL,      "AA",
                                       NULL,        "code", 1.5,    0.5,  s->geom[1]};
    s->places[2] = (pm_export_place_t){"Nowhere", NULL,        NULL, NULL, NULL, NULL,
                                       NULL,      "unmatched", NAN,  NAN,  NULL};
    s->attr_names[0] = "source url";
    s->attr_names[1] = "weight";
    s->attr0[0] = "https://example.org/a?b&c";
    s->attr0[1] = "7";
    s->ties[0] = (pm_export_tie_t){
        0, 1, 2.5, 2, 1, 111.2, 1, 1, 1967, 1991, "twin city", "documented; probable", s->attr0};
    s->ties[1] = (pm_export_tie_t){
        2, 0, 1, 1, 0, NAN, -1, -1, PM_EXPORT_NO_YEAR, PM_EXPORT_NO_YEAR, NULL, NULL, NULL};
    double deg[3] = {2, 1, 1}, pr[3] = {0.5, 0.25, 0.25};
    memcpy(s->degree, deg, sizeof deg);
    memcpy(s->pagerank, pr, sizeof pr);
    s->metrics[0] = (pm_export_metric_t){"degree", 1, s->degree};
    s->metrics[1] = (pm_export_metric_t){"pagerank", 0, s->pagerank};
    s->x = (pm_export_t){s->places, 3, s->ties, 2, s->metrics, 2, s->attr_names, 2, directed, 0};
}

static void sample_destroy(sample_t *s)
{
    OGR_G_DestroyGeometry(s->geom[0]);
    OGR_G_DestroyGeometry(s->geom[1]);
}

static void path(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

/* Number of entries in the test folder (besides . and ..). */
static int files_in_dir(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void check_ogr_places(const char *file, int geojson)
{
    GDALDatasetH ds = GDALOpenEx(file, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    CHECK_INT(GDALDatasetGetLayerCount(ds), geojson ? 1 : 2);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "places");
    CHECK(l != NULL);
    if (l) {
        CHECK_INT(OGR_L_GetFeatureCount(l, 1), 3);
        OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
        const char *want[] = {"place", "unit",  "unit_name",  "name_en",    "name_ru", "country",
                              "match", "group", "anchor_lon", "anchor_lat", "degree",  "pagerank"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            CHECK(OGR_FD_GetFieldIndex(fd, want[i]) >= 0);
        int deg = OGR_FD_GetFieldIndex(fd, "degree");
        CHECK(deg >= 0 && OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, deg)) == OFTInteger);
        if (!geojson)
            CHECK(wkbFlatten(OGR_L_GetGeomType(l)) == wkbMultiPolygon);
        OGR_L_ResetReading(l);
        OGRFeatureH f;
        int n = 0, null_geom = 0, null_unit = 0;
        while ((f = OGR_L_GetNextFeature(l))) {
            const char *place = OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "place"));
            if (n == 0)
                CHECK_STR(place, "Tom & Jerry <\"Ост\"> "); /* control character: space */
            null_geom += OGR_F_GetGeometryRef(f) == NULL;
            null_unit += OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "unit"));
            n++;
            OGR_F_Destroy(f);
        }
        CHECK_INT(null_geom, 1);
        CHECK_INT(null_unit, 1);
    }
    GDALClose(ds);
}

static void check_ogr_ties(const char *file)
{
    GDALDatasetH ds = GDALOpenEx(file, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CHECK(ds != NULL);
    if (!ds)
        return;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "ties");
    CHECK(l != NULL);
    if (l) {
        CHECK_INT(OGR_L_GetFeatureCount(l, 1), 2);
        OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
        const char *want[] = {"from_id", "to_id",    "from",      "to",       "weight",
                              "rows",    "probable", "length_km", "touching", "domestic"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            CHECK(OGR_FD_GetFieldIndex(fd, want[i]) >= 0);
        OGR_L_ResetReading(l);
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        if (f) {
            CHECK_NEAR(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(fd, "weight")), 2.5, 0);
            CHECK_INT(OGR_F_GetFieldAsInteger(f, OGR_FD_GetFieldIndex(fd, "rows")), 2);
            CHECK(OGR_F_GetGeometryRef(f) != NULL);
            /* the tie's years as integers and dates (QGIS's temporal controller wants dates) */
            int start = OGR_FD_GetFieldIndex(fd, "start"),
                sd = OGR_FD_GetFieldIndex(fd, "start_date");
            int ed = OGR_FD_GetFieldIndex(fd, "end_date");
            CHECK(start >= 0 && OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, start)) == OFTInteger);
            CHECK(sd >= 0 && OGR_Fld_GetType(OGR_FD_GetFieldDefn(fd, sd)) == OFTDate);
            CHECK_INT(OGR_F_GetFieldAsInteger(f, start), 1967);
            CHECK_INT(OGR_F_GetFieldAsInteger(f, OGR_FD_GetFieldIndex(fd, "end")), 1991);
            int y = 0, mo = 0, d = 0, h, mi, tz;
            float sec;
            CHECK(ed >= 0 && OGR_F_GetFieldAsDateTimeEx(f, ed, &y, &mo, &d, &h, &mi, &sec, &tz));
            CHECK(y == 1991 && mo == 12 && d == 31);
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "type")), "twin city");
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "confidence")),
                      "documented; probable");
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "source_url")),
                      "https://example.org/a?b&c");
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "weight_2")), "7");
            OGR_F_Destroy(f);
        }
        f = OGR_L_GetNextFeature(l);
        if (f) {
            CHECK(OGR_F_GetGeometryRef(f) == NULL); /* an end without anchor */
            CHECK(OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "length_km")));
            CHECK(OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "touching")));
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(fd, "from")), "Nowhere");
            CHECK(OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "start")));
            CHECK(OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "start_date")));
            CHECK(OGR_F_IsFieldNull(f, OGR_FD_GetFieldIndex(fd, "source_url")));
            OGR_F_Destroy(f);
        }
    }
    GDALClose(ds);
}

static void check_igraph(const char *file, int graphml, int directed)
{
    FILE *f = fopen(file, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    igraph_t g;
    igraph_error_t e = graphml ? igraph_read_graph_graphml(&g, f, 0) : igraph_read_graph_gml(&g, f);
    fclose(f);
    if (graphml && e == IGRAPH_UNIMPLEMENTED) {
        fprintf(stderr, "note: igraph without GraphML support; %s not read back\n", file);
        return;
    }
    CHECK(e == IGRAPH_SUCCESS);
    if (e != IGRAPH_SUCCESS) {
        fprintf(stderr, "%s: %s\n", file, pm_runtime_igraph_msg());
        return;
    }
    CHECK_INT(igraph_vcount(&g), 3);
    CHECK_INT(igraph_ecount(&g), 2);
    CHECK_INT(igraph_is_directed(&g), directed);
    CHECK_STR(VAS(&g, "label", 0), "Tom & Jerry <\"Ост\"> ");
    CHECK_STR(VAS(&g, "label", 1), "Beta \xEF\xBF\xBD");
    CHECK_STR(VAS(&g, "name_ru", 0), "Альфа");
    CHECK_NEAR(VAN(&g, "degree", 0), 2, 0);
    CHECK_NEAR(VAN(&g, "pagerank", 1), 0.25, 0);
    CHECK_NEAR(VAN(&g, "longitude", 1), 1.5, 0);
    CHECK(isnan(VAN(&g, "longitude", 2))); /* no anchor: left out */
    CHECK_NEAR(EAN(&g, "weight", 0), 2.5, 0);
    CHECK_NEAR(EAN(&g, "rows", 0), 2, 0);
    CHECK_NEAR(EAN(&g, "probable", 0), 1, 0);
    CHECK_INT(IGRAPH_FROM(&g, 1) + IGRAPH_TO(&g, 1), 2); /* Nowhere - Tom */
    CHECK_NEAR(EAN(&g, "start", 0), 1967, 0);
    CHECK_NEAR(EAN(&g, "end", 0), 1991, 0);
    CHECK_STR(EAS(&g, "start_date", 0), "1967-01-01");
    CHECK_STR(EAS(&g, "end_date", 0), "1991-12-31");
    CHECK_STR(EAS(&g, "type", 0), "twin city");
    CHECK_STR(EAS(&g, "confidence", 0), "documented; probable");
    CHECK_STR(EAS(&g, "source_url", 0), "https://example.org/a?b&c");
    CHECK_STR(EAS(&g, "weight_2", 0), "7");
    if (graphml)
        CHECK_NEAR(VAN(&g, "x", 1), 1.5, 0);
    igraph_destroy(&g);
}

static void test_write(void)
{
    sample_t s;
    sample_init(&s, 0);
    char gpkg[600], geojson[600], ties[600], graphml[600], gml[600];
    path(gpkg, sizeof gpkg, "net.gpkg");
    path(geojson, sizeof geojson, "net.geojson");
    path(ties, sizeof ties, "net_ties.geojson");
    path(graphml, sizeof graphml, "net.graphml");
    path(gml, sizeof gml, "net.gml");
    const char *out[] = {gpkg, geojson, graphml, gml};
    pm_error_t err;
    pm_status_t st = pm_export_write(&s.x, out, 4, &err);
    CHECK(st == PM_OK);
    if (st)
        fprintf(stderr, "%s\n", err.msg);
    CHECK_INT(files_in_dir(), 5); /* no temporaries left */
    check_ogr_places(gpkg, 0);
    check_ogr_ties(gpkg);
    check_ogr_places(geojson, 1);
    check_ogr_ties(ties);
    check_igraph(graphml, 1, 0);
    check_igraph(gml, 0, 0);
    /* directed */
    s.x.directed = 1;
    CHECK(pm_export_write(&s.x, out + 2, 2, &err) == PM_OK);
    check_igraph(graphml, 1, 1);
    check_igraph(gml, 0, 1);
    for (size_t i = 0; i < 4; i++)
        unlink(out[i]);
    unlink(ties);
    sample_destroy(&s);
}

static void test_refusals(void)
{
    sample_t s;
    sample_init(&s, 0);
    pm_error_t err;
    char good[600], bad[600], ties[600];
    path(good, sizeof good, "ok.graphml");
    path(bad, sizeof bad, "no/such/dir/x.gpkg");
    path(ties, sizeof ties, "a_ties.geojson");
    CHECK_INT(files_in_dir(), 0);
    /* the second output cannot be made: the first is not written either */
    const char *two[] = {good, bad};
    CHECK(pm_export_write(&s.x, two, 2, &err) == PM_EIO);
    CHECK_CONTAINS(err.msg, "x.gpkg");
    CHECK_INT(files_in_dir(), 0);
    /* a file named twice, directly or through a GeoJSON's ties file */
    const char *same[] = {good, good};
    CHECK(pm_export_write(&s.x, same, 2, &err) == PM_EUSAGE);
    char a[600];
    path(a, sizeof a, "a.geojson");
    const char *clash[] = {a, ties};
    CHECK(pm_export_write(&s.x, clash, 2, &err) == PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "a_ties.geojson");
    /* metric names */
    const char *one[] = {good};
    s.metrics[1].name = "page rank";
    CHECK(pm_export_write(&s.x, one, 1, &err) == PM_EUSAGE);
    s.metrics[1].name = "label";
    CHECK(pm_export_write(&s.x, one, 1, &err) == PM_EUSAGE);
    s.metrics[1].name = "degree";
    CHECK(pm_export_write(&s.x, one, 1, &err) == PM_EUSAGE);
    s.metrics[1].name = "pagerank";
    /* a tie out of range */
    s.ties[1].to = 7;
    CHECK(pm_export_write(&s.x, one, 1, &err) == PM_EUSAGE);
    CHECK_INT(files_in_dir(), 0);
    sample_destroy(&s);
}

static void test_attr_names(void)
{
    sample_t s;
    sample_init(&s, 0);
    const char *names[] = {"source url", "weight", "1st", "", "Ort", "weight_2", "source_url"};
    s.x.tie_attr_names = names;
    s.x.n_tie_attrs = sizeof names / sizeof names[0];
    char **out = NULL;
    pm_error_t err;
    CHECK(pm_export_tie_attr_names_new(&s.x, &out, &err) == PM_OK);
    const char *want[] = {"source_url", "weight_2",   "c_1st",       "c_",
                          "Ort",        "weight_2_2", "source_url_2"};
    for (size_t i = 0; out && i < sizeof want / sizeof want[0]; i++) {
        CHECK_STR(out[i], want[i]);
        free(out[i]);
    }
    free(out);
    sample_destroy(&s);
}

int main(void)
{
    pm_runtime_init();
    igraph_set_attribute_table(&igraph_cattribute_table);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    PM_RUN(test_formats);
    PM_RUN(test_lines);
    PM_RUN(test_write);
    PM_RUN(test_refusals);
    PM_RUN(test_attr_names);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    pm_runtime_teardown();
    return pm_test_done();
}
