/*
 * test_geo: geometry sources. A small admin1 extract (tests/data/join) with composites, aliases
 * and places; a GeoJSON and a Shapefile in Web Mercator written here with OGR; the error of every
 * bad source (missing file, no such layer, no such field, no CRS, several layers); composites
 * dissolved (area = sum of the members'), anchors inside their units, country names resolved, and
 * two threads reading geometry from one geo at once.
 */
#define _POSIX_C_SOURCE 200809L
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_geo.h"
#include "pm_norm.h"
#include "pm_runtime.h"
#include "pm_test.h"

#define JOIN_DATA PM_TEST_DATA "/join/"

static char dir[] = "/tmp/pm_test_geo.XXXXXX";

static const char *tmp_path(const char *name)
{
    static char path[4][512];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(path[slot], sizeof path[slot], "%s/%s", dir, name);
    return path[slot];
}

typedef struct row {
    const char *wkt; /* lon/lat */
    const char *v[3];
} row_t;

/* Writes a layer with up to 3 string fields through OGR. epsg 0: no CRS; else the geometries
 * (given in lon/lat) are transformed to that CRS. */
static int make_layer(const char *driver, const char *path, const char *layer, int epsg,
                      const char *const fields[3], const row_t *rows, size_t n)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    if (!ds)
        return -1;
    OGRSpatialReferenceH srs = NULL, ll = NULL;
    OGRCoordinateTransformationH ct = NULL;
    if (epsg) {
        srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, epsg);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        ll = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(ll, 4326);
        OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
        if (epsg != 4326)
            ct = OCTNewCoordinateTransformation(ll, srs);
    }
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, layer, srs, wkbPolygon, NULL);
    for (int f = 0; lyr && f < 3 && fields[f]; f++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[f], OFTString);
        OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
    }
    for (size_t i = 0; lyr && i < n; i++) {
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        for (int f = 0; f < 3 && fields[f]; f++)
            if (rows[i].v[f])
                OGR_F_SetFieldString(feat, f, rows[i].v[f]);
        OGRGeometryH g = NULL;
        char *w = (char *)rows[i].wkt;
        OGR_G_CreateFromWkt(&w, NULL, &g);
        if (ct)
            OGR_G_Transform(g, ct);
        OGR_F_SetGeometryDirectly(feat, g);
        OGRErr e = OGR_L_CreateFeature(lyr, feat);
        OGR_F_Destroy(feat);
        if (e != OGRERR_NONE)
            lyr = NULL;
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (srs)
        OSRRelease(srs);
    if (ll)
        OSRRelease(ll);
    GDALClose(ds);
    return lyr ? 0 : -1;
}

static const row_t squares[] = {
    {"POLYGON ((0 0,1 0,1 1,0 1,0 0))", {"A", "Alpha", "AA"}},
    {"POLYGON ((1 0,2 0,2 1,1 1,1 0))", {"B", "Beta", "AA"}},
    {"POLYGON ((10 10,11 10,11 11,10 11,10 10))", {"C", "Gamma", "BB"}},
};
static const char *const square_fields[3] = {"code", "name", "iso_a2"};

static pm_geo_t *open_mini(int with_places, pm_error_t *err)
{
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    o.source = JOIN_DATA "mini_admin1.geojson";
    o.data_aliases = JOIN_DATA "aliases.csv";
    o.composites_file = JOIN_DATA "composites.csv";
    o.places_file = with_places ? JOIN_DATA "places.csv" : NULL;
    pm_geo_t *g = NULL;
    if (pm_geo_open(&o, &g, err) != PM_OK)
        return NULL;
    return g;
}

/* The unit whose code is code (exact index), or (size_t)-1. */
static size_t unit_of(const pm_geo_t *g, const char *code)
{
    char *f = NULL;
    pm_norm_fold(code, &f, NULL);
    const pm_geo_hit_t *h[4];
    size_t n = pm_geo_lookup(g, PM_GEO_EXACT, f, h, 4);
    free(f);
    for (size_t i = 0; i < n && i < 4; i++)
        if (h[i]->src == PM_GEO_SRC_CODE || h[i]->src == PM_GEO_SRC_COMPOSITE_CODE)
            return h[i]->unit;
    return (size_t)-1;
}

static int has_warning(const pm_geo_t *g, const char *needle)
{
    const pm_diag_t *d = pm_geo_warnings(g);
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->items[i].msg, needle))
            return 1;
    return 0;
}

static void test_open_index(void)
{
    pm_error_t err;
    pm_geo_t *g = open_mini(1, &err);
    CHECK(g != NULL);
    if (!g) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_STR(pm_geo_layer(g), "admin1");
    /* 51 features, 8 composites (one left out), 3 places */
    CHECK_INT(pm_geo_count(g), 51 + 8 + 3);
    CHECK(has_warning(g, "composite 'CS-BAD' left out: member 'CZE-99999' is not a code"));
    CHECK(has_warning(g, "alias 'Kuibyshev' leads to 'RUS-2392', which is no code"));
    CHECK(has_warning(g, "'KZ-ALA', which is the code of several units"));
    CHECK(!has_warning(g, "Somewhere else")); /* another layer's alias: skipped silently */

    size_t plzen = unit_of(g, "CZE-10369");
    const pm_geo_unit_t *u = pm_geo_unit(g, plzen);
    CHECK(u != NULL);
    if (u) {
        CHECK_INT(u->kind, PM_UNIT_FEATURE);
        CHECK_STR(u->code, "CZE-10369");
        CHECK_STR(u->name, "Plzeňský");
        CHECK_STR(u->name_en, "Plzeň-");
        CHECK_STR(u->country, "CZ");
        CHECK(u->country2 == NULL);
        CHECK_NEAR(u->label_lon, 13.2001, 1e-9);
        CHECK(!u->is_city);
    }
    /* iso codes are codes too, case-insensitive; KZ-ALA names two units */
    CHECK_INT(unit_of(g, "cz-pl"), plzen);
    const pm_geo_hit_t *h[8];
    CHECK_INT(pm_geo_lookup(g, PM_GEO_EXACT, "kz-ala", h, 8), 2);
    /* Crimea is filed under RU with an ISO code of UA: both countries */
    const pm_geo_unit_t *crimea = pm_geo_unit(g, unit_of(g, "RUS-283"));
    CHECK(crimea && crimea->country && strcmp(crimea->country, "RU") == 0);
    CHECK(crimea && crimea->country2 && strcmp(crimea->country2, "UA") == 0);
    CHECK(pm_geo_unit_in_country(g, unit_of(g, "RUS-283"), "UA"));
    CHECK(pm_geo_unit_in_country(g, unit_of(g, "RUS-283"), "RU"));
    CHECK(!pm_geo_unit_in_country(g, unit_of(g, "RUS-283"), "KZ"));
    CHECK(pm_geo_unit(g, unit_of(g, "KAZ-4829"))->is_city); /* Almaty City */
    /* names: primary and alternative names, keys */
    size_t n = pm_geo_lookup(g, PM_GEO_KEY, "sverdlovsk", h, 8);
    CHECK(n >= 2);
    for (size_t i = 0; i < n && i < 8; i++)
        CHECK_STR(pm_geo_unit(g, h[i]->unit)->code, "RUS-2386");
    n = pm_geo_lookup(g, PM_GEO_EXACT, "tselinograd", h, 8);
    int alt = 0, alias = 0;
    for (size_t i = 0; i < n && i < 8; i++) {
        alt |= h[i]->src == PM_GEO_SRC_ALT &&
               strcmp(pm_geo_unit(g, h[i]->unit)->code, "KAZ-3202") == 0;
        alias |= h[i]->src == PM_GEO_SRC_ALIAS &&
                 strcmp(pm_geo_unit(g, h[i]->unit)->code, "KAZ-4830") == 0;
        if (h[i]->src == PM_GEO_SRC_ALIAS) {
            const pm_geo_alias_t *a = pm_geo_alias(g, h[i]->alias);
            CHECK(a && a->valid_from == 1961 && a->valid_to == 1992 && a->line == 4);
        }
    }
    CHECK(alt && alias);
    /* a composite and a place */
    size_t zap = unit_of(g, "CS-ZAP");
    const pm_geo_unit_t *c = pm_geo_unit(g, zap);
    CHECK(c && c->kind == PM_UNIT_COMPOSITE && c->n_members == 2);
    CHECK(c && strcmp(c->country, "CS") == 0 && c->valid_from == 1960 && c->valid_to == 1990);
    n = pm_geo_lookup(g, PM_GEO_EXACT, "cheb", h, 8);
    CHECK(n == 1 && h[0]->src == PM_GEO_SRC_POINT);
    if (n == 1) {
        const pm_geo_unit_t *p = pm_geo_unit(g, h[0]->unit);
        CHECK_NEAR(p->label_lon, 12.371, 1e-12);
        CHECK_STR(p->country, "CS");
        CHECK_STR(p->region, "Západočeský kraj");
    }
    pm_geo_free(g);
}

static void test_countries(void)
{
    pm_error_t err;
    pm_geo_t *g = open_mini(0, &err);
    CHECK(g != NULL);
    if (!g)
        return;
    char code[3];
    CHECK(pm_geo_country_resolve(g, "kz", code) && strcmp(code, "KZ") == 0);
    CHECK(pm_geo_country_resolve(g, "KAZ", code) && strcmp(code, "KZ") == 0);
    CHECK(pm_geo_country_resolve(g, "Kazakhstan", code) && strcmp(code, "KZ") == 0);
    CHECK(pm_geo_country_resolve(g, "Czech Republic", code) && strcmp(code, "CZ") == 0);
    CHECK(pm_geo_country_resolve(g, "USSR", code) && strcmp(code, "SU") == 0);
    CHECK(pm_geo_country_resolve(g, "Soviet Union", code) && strcmp(code, "SU") == 0);
    CHECK(pm_geo_country_resolve(g, "Чехословакия", code) && strcmp(code, "CS") == 0);
    CHECK(pm_geo_country_resolve(g, "CSK", code) && strcmp(code, "CS") == 0);
    CHECK(pm_geo_country_resolve(g, "East Germany", code) && strcmp(code, "DD") == 0);
    /* the first and last of a historical country's names */
    CHECK(pm_geo_country_resolve(g, "GDR", code) && strcmp(code, "DD") == 0);
    CHECK(pm_geo_country_resolve(g, "Deutsche Demokratische Republik", code) &&
          strcmp(code, "DD") == 0);
    CHECK(pm_geo_country_resolve(g, "SSSR", code) && strcmp(code, "SU") == 0);
    CHECK(!pm_geo_country_resolve(g, "Narnia", code));
    CHECK(!pm_geo_country_resolve(g, "XYZ", code));
    CHECK_STR(pm_geo_country_successors("CS"), "CZ SK");
    CHECK(pm_geo_country_successors("CZ") == NULL);
    CHECK_STR(pm_geo_country_predecessors("SK"), "CS");
    CHECK_STR(pm_geo_country_predecessors("KZ"), "SU");
    CHECK(pm_geo_country_predecessors("FR") == NULL);
    pm_geo_free(g);
}

static void test_composite_geometry(void)
{
    pm_error_t err;
    pm_geo_t *g = open_mini(0, &err);
    CHECK(g != NULL);
    if (!g)
        return;
    size_t zap = unit_of(g, "CS-ZAP"), plzen = unit_of(g, "CZE-10369"), kv = unit_of(g, "CZE-1590");
    OGRGeometryH u = NULL, a = NULL, b = NULL;
    CHECK(pm_geo_geometry(g, zap, &u, &err) == PM_OK);
    CHECK(pm_geo_geometry(g, plzen, &a, &err) == PM_OK);
    CHECK(pm_geo_geometry(g, kv, &b, &err) == PM_OK);
    if (u && a && b) {
        double au = OGR_G_Area(u), sum = OGR_G_Area(a) + OGR_G_Area(b);
        CHECK(au > 0);
        CHECK_NEAR(au, sum, 0.005); /* the members share a border, no overlap */
        /* one piece: the members touch, so the union has no inner border */
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(u));
        CHECK(t == wkbPolygon || (t == wkbMultiPolygon && OGR_G_GetGeometryCount(u) <= 2));
        CHECK(OGR_G_Intersects(a, b)); /* neighbours */
        OGRSpatialReferenceH srs = OGR_G_GetSpatialReference(u);
        CHECK(srs && OSRGetAuthorityCode(srs, NULL) &&
              strcmp(OSRGetAuthorityCode(srs, NULL), "4326") == 0);
        OGREnvelope env;
        OGR_G_GetEnvelope(u, &env);
        CHECK(env.MinX > 12 && env.MaxX < 14 && env.MinY > 48.9 && env.MaxY < 50.5); /* lon/lat */
    }
    /* the composite's label point is that of its larger member (Plzeňský) */
    double lon, lat;
    CHECK(pm_geo_anchor(g, zap, PM_ANCHOR_LABEL, &lon, &lat, &err) == PM_OK);
    CHECK_NEAR(lon, 13.2001, 1e-9);
    CHECK_NEAR(lat, 49.6458, 1e-9);
    /* a surface point lies inside, whatever the shape */
    CHECK(pm_geo_anchor(g, zap, PM_ANCHOR_SURFACE, &lon, &lat, &err) == PM_OK);
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(p, 0, lon, lat);
    CHECK(u && OGR_G_Contains(u, p));
    /* the label of a feature comes from its fields; its surface point is inside it */
    CHECK(pm_geo_anchor(g, kv, PM_ANCHOR_LABEL, &lon, &lat, &err) == PM_OK);
    CHECK_NEAR(lon, 12.7286, 1e-9);
    CHECK(pm_geo_anchor(g, kv, PM_ANCHOR_SURFACE, &lon, &lat, &err) == PM_OK);
    OGR_G_SetPoint_2D(p, 0, lon, lat);
    CHECK(b && OGR_G_Contains(b, p));
    CHECK(pm_geo_anchor(g, kv, PM_ANCHOR_CENTROID, &lon, &lat, &err) == PM_OK);
    CHECK(lon > 12 && lon < 13.5);
    OGR_G_DestroyGeometry(p);
    OGR_G_DestroyGeometry(u);
    OGR_G_DestroyGeometry(a);
    OGR_G_DestroyGeometry(b);
    pm_anchor_t an;
    CHECK(pm_geo_anchor_parse("surface", &an, &err) == PM_OK && an == PM_ANCHOR_SURFACE);
    CHECK_INT(pm_geo_anchor_parse("middle", &an, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "label, surface or centroid");
    pm_geo_free(g);
}

typedef struct thread_arg {
    const pm_geo_t *g;
    size_t unit;
    double area;
    int ok;
} thread_arg_t;

static void *read_area(void *p)
{
    thread_arg_t *a = p;
    a->ok = 1;
    for (int i = 0; i < 5; i++) {
        OGRGeometryH g = NULL;
        double lon, lat;
        if (pm_geo_geometry(a->g, a->unit, &g, NULL) != PM_OK ||
            pm_geo_anchor(a->g, a->unit, PM_ANCHOR_SURFACE, &lon, &lat, NULL) != PM_OK) {
            a->ok = 0;
            return NULL;
        }
        a->area = OGR_G_Area(g);
        OGR_G_DestroyGeometry(g);
    }
    return NULL;
}

static void test_threads(void)
{
    pm_error_t err;
    pm_geo_t *g = open_mini(0, &err);
    CHECK(g != NULL);
    if (!g)
        return;
    thread_arg_t a[3] = {{g, unit_of(g, "CS-SEM"), 0, 0},
                         {g, unit_of(g, "CS-SEM"), 0, 0},
                         {g, unit_of(g, "RUS-2386"), 0, 0}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, read_area, &a[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK(a[0].ok && a[1].ok && a[2].ok);
    CHECK(a[0].area > 0 && a[0].area == a[1].area);
    pm_geo_free(g);
}

typedef struct name_arg {
    const pm_geo_t *g;
    size_t n;
    uint32_t unit;
} name_arg_t;

static void *look_name(void *p)
{
    name_arg_t *a = p;
    const pm_geo_hit_t *h[8];
    a->n = pm_geo_lookup(a->g, PM_GEO_KEY, "sverdlovsk", h, 8);
    a->unit = a->n ? h[0]->unit : UINT32_MAX;
    return NULL;
}

/* The layer's names are indexed on first use: code lookups leave them alone, the first name
 * lookup indexes them once even when several threads ask at the same time. */
static void test_deferred_names(void)
{
    pm_error_t err;
    pm_geo_t *g = open_mini(0, &err);
    CHECK(g != NULL);
    if (!g)
        return;
    const pm_geo_hit_t *h[8];
    unsigned codes = (1u << PM_GEO_SRC_CODE) | (1u << PM_GEO_SRC_COMPOSITE_CODE);
    CHECK_INT(pm_geo_lookup_src(g, PM_GEO_KEY, "sverdlovsk", codes, h, 8), 0);
    CHECK_INT(pm_geo_lookup_src(g, PM_GEO_EXACT, "rus-2386", codes, h, 8), 1);
    name_arg_t a[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (name_arg_t){g, 0, 0};
        pthread_create(&t[i], NULL, look_name, &a[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK(a[i].n >= 2 && a[i].n == a[0].n);
        CHECK_INT(a[i].unit, unit_of(g, "RUS-2386"));
    }
    /* only a name source asks for them; max bounds what is written, not the count */
    size_t n = pm_geo_lookup_src(g, PM_GEO_KEY, "sverdlovsk", 1u << PM_GEO_SRC_NAME, h, 1);
    CHECK_INT(n, a[0].n);
    CHECK(pm_geo_index_names(g, &err) == PM_OK);
    /* the key index in two parts: the layer's names, then the side files' */
    size_t n0, n1;
    const pm_geo_hit_t *k0 = pm_geo_keys(g, 0, &n0), *k1 = pm_geo_keys(g, 1, &n1);
    CHECK(n0 > 0 && n1 > 0);
    int layer_only = 1, side_only = 1;
    for (size_t i = 0; i < n0; i++)
        layer_only &= k0[i].src == PM_GEO_SRC_NAME || k0[i].src == PM_GEO_SRC_ALT;
    for (size_t i = 0; i < n1; i++)
        side_only &= k1[i].src != PM_GEO_SRC_NAME && k1[i].src != PM_GEO_SRC_ALT;
    CHECK(layer_only && side_only);
    pm_geo_free(g);
}

static void test_user_sources(void)
{
    pm_error_t err;
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    /* GeoJSON in lon/lat, fields recognised: code, name, iso_a2 */
    CHECK(make_layer("GeoJSON", tmp_path("sq.geojson"), "sq", 4326, square_fields, squares, 3) ==
          0);
    o.source = tmp_path("sq.geojson");
    pm_geo_t *g = NULL;
    CHECK(pm_geo_open(&o, &g, &err) == PM_OK);
    if (g) {
        CHECK_INT(pm_geo_count(g), 3);
        CHECK_INT(unit_of(g, "b"), 1);
        CHECK_STR(pm_geo_unit(g, 1)->name, "Beta");
        CHECK_STR(pm_geo_unit(g, 1)->country, "AA");
        double lon, lat;
        CHECK(pm_geo_anchor(g, 1, PM_ANCHOR_LABEL, &lon, &lat, &err) == PM_OK); /* no label */
        CHECK(lon > 1 && lon < 2 && lat > 0 && lat < 1);
        pm_geo_free(g);
        g = NULL;
    }
    /* a Shapefile in Web Mercator: geometries come back in lon/lat */
    CHECK(make_layer("ESRI Shapefile", tmp_path("merc.shp"), "merc", 3857, square_fields, squares,
                     3) == 0);
    o.source = tmp_path("merc.shp");
    o.data_aliases = NULL;
    CHECK(pm_geo_open(&o, &g, &err) == PM_OK);
    if (g) {
        OGRGeometryH geom = NULL;
        CHECK(pm_geo_geometry(g, 2, &geom, &err) == PM_OK);
        if (geom) {
            OGREnvelope env;
            OGR_G_GetEnvelope(geom, &env);
            CHECK_NEAR(env.MinX, 10, 1e-6);
            CHECK_NEAR(env.MaxY, 11, 1e-6);
            OGR_G_DestroyGeometry(geom);
        }
        pm_geo_free(g);
        g = NULL;
    }
    /* chosen fields */
    const char *codes[] = {"name"}, *names[] = {"code"};
    o.source = tmp_path("sq.geojson");
    o.code_fields = codes;
    o.n_code_fields = 1;
    o.name_fields = names;
    o.n_name_fields = 1;
    CHECK(pm_geo_open(&o, &g, &err) == PM_OK);
    if (g) {
        CHECK_INT(unit_of(g, "GAMMA"), 2);
        CHECK_STR(pm_geo_unit(g, 2)->code, "Gamma");
        pm_geo_free(g);
    }
}

static void test_bad_sources(void)
{
    pm_error_t err;
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    pm_geo_t *g = (pm_geo_t *)&err; /* must stay untouched on failure */

    o.source = tmp_path("missing.gpkg");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "cannot open geometry source");
    CHECK_CONTAINS(err.msg, "missing.gpkg");
    CHECK_CONTAINS(err.msg, "No such file");
    CHECK(g == (pm_geo_t *)&err);

    o.source = JOIN_DATA "mini_admin1.geojson";
    o.layer = "regions";
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "no layer 'regions'");
    CHECK_CONTAINS(err.msg, "(layers: admin1)");

    o.layer = NULL;
    const char *bad[] = {"adm2_code"};
    o.code_fields = bad;
    o.n_code_fields = 1;
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "no field 'adm2_code' in layer 'admin1'");
    CHECK_CONTAINS(err.msg, "adm1_code, iso_3166_2, name");
    o.code_fields = NULL;
    o.n_code_fields = 0;
    o.country_field = "nation";
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "no field 'nation'");
    o.country_field = NULL;

    /* a Shapefile without .prj has no CRS: coordinates that fit are taken as lon/lat, with a
     * warning naming the file and layer */
    CHECK(make_layer("ESRI Shapefile", tmp_path("nocrs.shp"), "nocrs", 0, square_fields, squares,
                     3) == 0);
    o.source = tmp_path("nocrs.shp");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_OK);
    if (g) {
        const pm_diag_t *w = pm_geo_warnings(g);
        CHECK(w->n == 1);
        if (w->n) {
            CHECK_CONTAINS(w->items[0].msg, "layer 'nocrs' of '");
            CHECK_CONTAINS(w->items[0].msg, "nocrs.shp' has no coordinate reference system; "
                                            "assuming WGS 84 longitude/latitude");
        }
        pm_geo_free(g);
        g = NULL;
    }
    /* ... and coordinates that cannot be lon/lat are refused */
    static const row_t far[] = {
        {"POLYGON ((400000 5000000,401000 5000000,401000 5001000,400000 5000000))",
         {"A", "Alpha", "AA"}}};
    CHECK(make_layer("ESRI Shapefile", tmp_path("nocrs_m.shp"), "nocrs_m", 0, square_fields, far,
                     1) == 0);
    o.source = tmp_path("nocrs_m.shp");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "has no coordinate reference system, and its coordinates");
    CHECK_CONTAINS(err.msg, "are not longitude/latitude");
    /* a geographic CRS with an undefined datum is used with a warning */
    CHECK(make_layer("ESRI Shapefile", tmp_path("unk.shp"), "unk", 0, square_fields, squares, 3) ==
          0);
    FILE *prj = fopen(tmp_path("unk.prj"), "w");
    if (prj) {
        fputs("GEOGCS[\"GCS_unknown\",DATUM[\"D_unknown\",SPHEROID[\"Sphere\",6371000.0,0.0]],"
              "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
              prj);
        fclose(prj);
    }
    o.source = tmp_path("unk.shp");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_OK);
    if (g) {
        const pm_diag_t *w = pm_geo_warnings(g);
        CHECK(w->n == 1);
        if (w->n)
            CHECK_CONTAINS(w->items[0].msg, "has a geographic coordinate reference system with an "
                                            "undefined datum");
        pm_geo_free(g);
        g = NULL;
    }

    /* a GeoPackage with two layers and none chosen */
    const char *gpkg = tmp_path("two.gpkg");
    CHECK(make_layer("GPKG", gpkg, "one", 4326, square_fields, squares, 3) == 0);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    if (ds) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 4326);
        GDALDatasetCreateLayer(ds, "two", srs, wkbPolygon, NULL);
        OSRRelease(srs);
        GDALClose(ds);
    }
    o.source = gpkg;
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "has 2 layers (one, two); choose the layer to use");
    o.layer = "one";
    CHECK(pm_geo_open(&o, &g, &err) == PM_OK);
    pm_geo_free(g == (pm_geo_t *)&err ? NULL : g);
    g = (pm_geo_t *)&err;
    o.layer = NULL;

    /* a layer with neither code nor name fields */
    const char *const other_fields[3] = {"colour", NULL, NULL};
    CHECK(make_layer("GeoJSON", tmp_path("anon.geojson"), "anon", 4326, other_fields, squares, 3) ==
          0);
    o.source = tmp_path("anon.geojson");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "no code or name field recognised");
    CHECK_CONTAINS(err.msg, "(fields: colour)");

    /* side files */
    o.source = JOIN_DATA "mini_admin1.geojson";
    FILE *f = fopen(tmp_path("bad_alias.csv"), "w");
    fputs("name,to\nGorky,RUS-2357\n", f);
    fclose(f);
    const char *files[] = {tmp_path("bad_alias.csv")};
    o.alias_files = files;
    o.n_alias_files = 1;
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "bad_alias.csv:1: an alias file needs the columns");
    o.n_alias_files = 0;
    f = fopen(tmp_path("bad_places.csv"), "w");
    fputs("name,lon,lat\nTula,37.6,54.2\n\"Nowhere, really\",200,54\n", f);
    fclose(f);
    o.places_file = tmp_path("bad_places.csv");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "bad_places.csv:3: place 'Nowhere, really' needs lon in [-180, 180]");
    o.places_file = tmp_path("no_such_places.csv");
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "no_such_places.csv");
    CHECK(g == (pm_geo_t *)&err);

    /* the default geodata, missing */
    setenv("PARTNERMAP_DATA", tmp_path("nowhere"), 1);
    pm_geo_opts_init(&o);
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "default geodata");
    CHECK_CONTAINS(err.msg, "nowhere/world.gpkg");
    unsetenv("PARTNERMAP_DATA");
}

/* A user's layer with invalid polygons: each is named with what is wrong; bow-ties and crossing
 * rings come back repaired (valid, same area), a hole outside its shell is dropped, a zero-area
 * polygon is kept as it is; valid ones are untouched and not mentioned. */
static void test_invalid_polygons(void)
{
    static const row_t rows[] = {
        {"POLYGON ((0 0,1 0,1 1,0 1,0 0))", {"OK", "Valid", "AA"}},
        {"POLYGON ((10 0,12 2,12 0,10 2,10 0))", {"BT", "Bowtie", "AA"}},
        {"POLYGON ((20 0,21 0,22 0,20 0))", {"ZA", "Flat", "AA"}},
        {"POLYGON ((30 0,31 0,31 1,30 1,30 0),(35 0,36 0,36 1,35 0))", {"HO", "Holey", "AA"}},
    };
    pm_error_t err;
    CHECK(make_layer("GPKG", tmp_path("bad.gpkg"), "bad", 4326, square_fields, rows, 4) == 0);
    pm_geo_opts_t o;
    pm_geo_opts_init(&o);
    o.source = tmp_path("bad.gpkg");
    const char *codes[] = {"code"};
    const char *names[] = {"name"};
    o.code_fields = codes;
    o.n_code_fields = 1;
    o.name_fields = names;
    o.n_name_fields = 1;
    o.country_field = "iso_a2";
    pm_geo_t *g = NULL;
    CHECK_INT(pm_geo_open(&o, &g, &err), PM_OK);
    if (!g)
        return;
    /* tested after the join, for the units joined (all four here); twice is once */
    pm_diag_t diag;
    pm_diag_init(&diag);
    const size_t all[] = {0, 1, 2, 3, 1};
    CHECK_INT(pm_geo_check_units(g, all, 5, &diag, &err), PM_OK);
    CHECK_INT(pm_geo_check_units(g, all, 5, &diag, &err), PM_OK);
    const pm_diag_t *w = &diag;
    CHECK_INT(w->n, 3);
    const char *want[] = {"feature 2 ('Bowtie') is not a valid polygon: its outer ring crosses "
                          "itself (a bow-tie); repaired with MakeValid",
                          "feature 3 ('Flat') is not a valid polygon: it has zero area",
                          "feature 4 ('Holey') is not a valid polygon: 1 hole lies outside its "
                          "outer ring (removing nothing); dropped"};
    for (size_t i = 0; i < 3 && i < w->n; i++) {
        CHECK_CONTAINS(w->items[i].msg, want[i]);
        CHECK_CONTAINS(w->items[i].msg, "bad.gpkg, layer 'bad'");
    }
    double want_area[] = {1, 2, 0, 1};
    int want_valid[] = {1, 1, 0, 1};
    for (size_t i = 0; i < pm_geo_count(g) && i < 4; i++) {
        OGRGeometryH geom = NULL;
        CHECK_INT(pm_geo_geometry(g, i, &geom, &err), PM_OK);
        if (!geom)
            continue;
        CHECK_INT(OGR_G_IsValid(geom), want_valid[i]);
        CHECK_NEAR(OGR_G_Area(geom), want_area[i], 1e-9);
    }
    pm_diag_destroy(&diag);
    pm_geo_free(g);
}

int main(void)
{
    pm_runtime_init();
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    PM_RUN(test_open_index);
    PM_RUN(test_countries);
    PM_RUN(test_composite_geometry);
    PM_RUN(test_threads);
    PM_RUN(test_deferred_names);
    PM_RUN(test_user_sources);
    PM_RUN(test_bad_sources);
    PM_RUN(test_invalid_polygons);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    pm_norm_cleanup();
    pm_runtime_teardown();
    return pm_test_done();
}
