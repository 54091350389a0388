/*
 * pm_test: counters and the closing line (see pm_test.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "pm_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "pm_io.h"
#include "pm_table.h"

int pm_test_passed, pm_test_failed;
const char *pm_test_current = "";

void pm_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    pm_test_failed++;
    fprintf(stderr, "FAIL %s:%d (%s): ", file, line, pm_test_current);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static char scratch[] = "/tmp/pm_test.XXXXXX";
static int have_scratch;

const char *pm_test_dir(void)
{
    if (!have_scratch) {
        if (!mkdtemp(scratch)) {
            fprintf(stderr, "cannot make a scratch folder in /tmp\n");
            exit(2);
        }
        have_scratch = 1;
    }
    return scratch;
}

const char *pm_test_file(const char *name, const char *content)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", pm_test_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    return path;
}

const char *pm_test_squares(const char *name, const char *const *codes, const char *const *names,
                            const double *lon, const double *lat, size_t n)
{
    static char text[8192];
    size_t len =
        (size_t)snprintf(text, sizeof text, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t k = 0; k < n && len < sizeof text; k++) {
        double x = lon[k], y = lat[k];
        len += (size_t)snprintf(
            text + len, sizeof text - len,
            "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"name\":"
            "\"%s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],"
            "[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}",
            k ? "," : "", codes[k], names[k], x, y, x + 1, y, x + 1, y + 1, x, y + 1, x, y);
    }
    if (len + 3 > sizeof text) {
        fprintf(stderr, "pm_test_squares: too many squares for %s\n", name);
        exit(2);
    }
    memcpy(text + len, "]}", 3);
    static char path[1024];
    snprintf(path, sizeof path, "%s", pm_test_file(name, text));
    return path;
}

int pm_test_done(void)
{
    if (have_scratch) {
        char cmd[sizeof scratch + 16];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", scratch);
    }
    printf("%d passed, %d failed\n", pm_test_passed, pm_test_failed);
    return pm_test_failed ? 1 : 0;
}

void pm_test_ties(pm_ties_t *t, const char *path, const char *const *spec, size_t n)
{
    pm_ties_init(t);
    t->path = strdup(path);
    t->n = n;
    t->from = calloc(n, sizeof(char *));
    t->to = calloc(n, sizeof(char *));
    t->weight = calloc(n, sizeof(double));
    t->start = calloc(n, sizeof(int));
    t->end = calloc(n, sizeof(int));
    t->type = calloc(n, sizeof(char *));
    t->confidence = calloc(n, sizeof(char *));
    t->line = calloc(n, sizeof(long));
    for (size_t i = 0; i < n; i++) {
        char a[32], b[32], p[8] = "";
        double w = 1;
        sscanf(spec[i], "%31[^-]-%31[^:]:%lf:%7s", a, b, &w, p);
        t->from[i] = strdup(a);
        t->to[i] = strdup(b);
        t->weight[i] = w;
        t->confidence[i] = p[0] ? strdup("probable") : strdup("documented");
        t->line[i] = (long)i + 2;
    }
}

int pm_test_updating_goldens(void)
{
    const char *e = getenv("PM_UPDATE_GOLDENS");
    return e && strcmp(e, "1") == 0;
}

int pm_test_same_as_golden(const char *got, const char *name)
{
    char gpath[512];
    char *a = NULL, *b = NULL;
    size_t n1 = 0, n2 = 0;
    snprintf(gpath, sizeof gpath, "%s/tests/render/%s", PM_SOURCE_DIR, name);
    int have = pm_io_read_all(got, &a, &n1, NULL) == PM_OK;
    if (have && pm_test_updating_goldens()) {
        pm_io_write_atomic(gpath, a, n1, NULL);
        fprintf(stderr, "updated golden %s\n", gpath);
    }
    int ok =
        have && pm_io_read_all(gpath, &b, &n2, NULL) == PM_OK && n1 == n2 && memcmp(a, b, n1) == 0;
    if (!ok)
        fprintf(stderr, "%s differs from golden %s (PM_UPDATE_GOLDENS=1 rewrites it)\n", got,
                gpath);
    free(a);
    free(b);
    return ok;
}

static GDALDatasetH basemap;
static OGRGeometryH *basemap_geoms;
static size_t n_basemap_geoms;

OGRGeometryH pm_test_basemap_unit(const char *code)
{
    char where[128];
    if (!basemap)
        basemap = GDALOpenEx(PM_TEST_DATA "/render/basemap.gpkg", GDAL_OF_VECTOR | GDAL_OF_READONLY,
                             NULL, NULL, NULL);
    OGRLayerH l = basemap ? GDALDatasetGetLayerByName(basemap, "admin1") : NULL;
    if (!l)
        return NULL;
    snprintf(where, sizeof where, "adm1_code = '%s'", code);
    OGR_L_SetAttributeFilter(l, where);
    OGR_L_ResetReading(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    OGRGeometryH g = f ? OGR_G_Clone(OGR_F_GetGeometryRef(f)) : NULL;
    if (f)
        OGR_F_Destroy(f);
    OGRGeometryH *a = g ? realloc(basemap_geoms, (n_basemap_geoms + 1) * sizeof *a) : NULL;
    if (!a) {
        OGR_G_DestroyGeometry(g);
        return NULL;
    }
    basemap_geoms = a;
    return basemap_geoms[n_basemap_geoms++] = g;
}

void pm_test_basemap_free(void)
{
    for (size_t i = 0; i < n_basemap_geoms; i++)
        OGR_G_DestroyGeometry(basemap_geoms[i]);
    free(basemap_geoms);
    basemap_geoms = NULL;
    n_basemap_geoms = 0;
    if (basemap)
        GDALClose(basemap);
    basemap = NULL;
}
