/*
 * pm_export_ogr: the GeoPackage and GeoJSON writers (see pm_export.h for what is written).
 *
 * Places take the narrowest geometry type that holds them all (Point, or MultiPolygon with single
 * polygons promoted), so QGIS shows one layer; a mix of points and polygons gets a layer of any
 * geometry. Ties are MultiLineStrings (pm_export_tie_line). Fields are typed (an integer column
 * whose values exceed 32 bits becomes Integer64); unknown values are null fields.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "pm_export_int.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"

static pm_status_t gdal_fail(pm_error_t *err, pm_status_t code, const char *dest, const char *what)
{
    const char *m = pm_runtime_gdal_msg();
    return pm_error_set(err, code, "cannot write '%s': %s%s%s", dest, what, *m ? ": " : "", m);
}

/* Points only: Point; polygons only: MultiPolygon; else (or nothing): any geometry. */
static OGRwkbGeometryType place_geometry_type(const pm_export_t *d)
{
    size_t points = 0, polygons = 0, other = 0;
    for (size_t i = 0; i < d->n_places; i++) {
        if (!d->places[i].geom)
            continue;
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(d->places[i].geom));
        if (t == wkbPoint)
            points++;
        else if (t == wkbPolygon || t == wkbMultiPolygon)
            polygons++;
        else
            other++;
    }
    if (other || (points && polygons) || (!points && !polygons))
        return wkbUnknown;
    return polygons ? wkbMultiPolygon : wkbPoint;
}

typedef pm_status_t (*geometry_fn)(const pm_export_t *d, size_t row, OGRwkbGeometryType type,
                                   OGRGeometryH *out, pm_error_t *err);

static pm_status_t place_geometry(const pm_export_t *d, size_t row, OGRwkbGeometryType type,
                                  OGRGeometryH *out, pm_error_t *err)
{
    *out = NULL;
    if (!d->places[row].geom)
        return PM_OK;
    OGRGeometryH g = OGR_G_Clone(d->places[row].geom);
    if (!g)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    OGR_G_FlattenTo2D(g);
    if (type == wkbMultiPolygon)
        g = OGR_G_ForceToMultiPolygon(g);
    *out = g;
    return PM_OK;
}

static pm_status_t tie_geometry(const pm_export_t *d, size_t row, OGRwkbGeometryType type,
                                OGRGeometryH *out, pm_error_t *err)
{
    (void)type;
    const pm_export_place_t *a = &d->places[d->ties[row].from], *b = &d->places[d->ties[row].to];
    *out = NULL;
    if (!isfinite(a->lon) || !isfinite(a->lat) || !isfinite(b->lon) || !isfinite(b->lat))
        return PM_OK;
    return pm_export_tie_line(a->lon, a->lat, b->lon, b->lat, d->densify_km, out, err);
}

static void set_fields(OGRFeatureH f, const pm_export_t *d, const export_schema_t *s, size_t row,
                       pm_buf_t *scratch)
{
    for (size_t k = 0; k < s->n; k++) {
        const char *text;
        double v;
        export_cell(d, &s->col[k], row, &text, &v);
        int i = (int)k;
        if (s->col[k].type == COL_TEXT ? !text : isnan(v))
            OGR_F_SetFieldNull(f, i);
        else if (s->col[k].type == COL_TEXT) {
            pm_buf_reset(scratch);
            pm_text_escaped(scratch, text, PM_ESCAPE_NONE);
            OGR_F_SetFieldString(f, i, pm_buf_str(scratch));
        } else if (s->col[k].type == COL_INT) {
            OGR_F_SetFieldInteger64(f, i, (GIntBig)v);
        } else if (s->col[k].type == COL_DATE) {
            int month, day;
            export_date_of(&s->col[k], &month, &day);
            OGR_F_SetFieldDateTime(f, i, (int)v, month, day, 0, 0, 0, 0);
        } else
            OGR_F_SetFieldDouble(f, i, v);
    }
}

/* 1 when every value of integer column c fits a 32-bit field (QGIS shows those as plain
 * integers). */
static int fits_int32(const pm_export_t *d, const export_column_t *c, size_t rows)
{
    for (size_t i = 0; i < rows; i++) {
        const char *text;
        double v;
        export_cell(d, c, i, &text, &v);
        if (!isnan(v) && (v > 2147483647.0 || v < -2147483648.0))
            return 0;
    }
    return 1;
}

typedef struct ogr_table {
    const char *name, *description;
    const export_schema_t *schema;
    size_t rows;
    OGRwkbGeometryType type;
    geometry_fn geometry;
} ogr_table_t;

static pm_status_t ogr_layer(GDALDatasetH ds, const pm_export_t *d, const ogr_table_t *t,
                             int geojson, const char *dest, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char **opts = NULL;
    OGRFeatureH f = NULL;
    OGRGeometryH g = NULL;
    int in_transaction = 0;
    pm_buf_t scratch;
    pm_buf_init(&scratch);
    if (!srs || OSRImportFromEPSG(srs, 4326) != OGRERR_NONE) {
        st = pm_error_set(err, PM_EINTERNAL, "EPSG:4326 unknown to PROJ (is proj-data installed?)");
        goto cleanup;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    opts = geojson ? CSLSetNameValue(opts, "RFC7946", "YES")
                   : CSLSetNameValue(opts, "DESCRIPTION", t->description);
    OGRLayerH layer = GDALDatasetCreateLayer(ds, t->name, srs, t->type, opts);
    if (!layer) {
        st = gdal_fail(err, PM_EIO, dest, "cannot create a layer");
        goto cleanup;
    }
    for (size_t k = 0; k < t->schema->n; k++) {
        const export_column_t *c = &t->schema->col[k];
        OGRFieldType type = c->type == COL_TEXT   ? OFTString
                            : c->type == COL_DATE ? OFTDate
                            : c->type == COL_INT
                                ? (fits_int32(d, c, t->rows) ? OFTInteger : OFTInteger64)
                                : OFTReal;
        OGRFieldDefnH fd = OGR_Fld_Create(c->name, type);
        OGRErr e = OGR_L_CreateField(layer, fd, FALSE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            st = gdal_fail(err, PM_EIO, dest, "cannot create a field");
            goto cleanup;
        }
    }
    in_transaction = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    for (size_t row = 0; row < t->rows; row++) {
        f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        if (!f) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        set_fields(f, d, t->schema, row, &scratch);
        if ((st = t->geometry(d, row, t->type, &g, err)))
            goto cleanup;
        if (g)
            OGR_F_SetGeometryDirectly(f, g);
        g = NULL;
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
            st = gdal_fail(err, PM_EIO, dest, "cannot write a feature");
            goto cleanup;
        }
        OGR_F_Destroy(f);
        f = NULL;
    }
    if (in_transaction) {
        in_transaction = 0;
        if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
            st = gdal_fail(err, PM_EIO, dest, "cannot commit");
    }
cleanup:
    if (in_transaction)
        GDALDatasetRollbackTransaction(ds);
    OGR_G_DestroyGeometry(g);
    if (f)
        OGR_F_Destroy(f);
    CSLDestroy(opts);
    if (srs)
        OSRRelease(srs);
    if (!st && pm_buf_failed(&scratch))
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
    pm_buf_destroy(&scratch);
    return st;
}

/* Writes the tables into a new dataset at work (a /vsimem/ name). */
static pm_status_t write_tables(const pm_export_t *d, const ogr_table_t *tables, size_t n_tables,
                                int geojson, const char *work, const char *dest, pm_error_t *err)
{
    GDALDriverH drv = GDALGetDriverByName(geojson ? "GeoJSON" : "GPKG");
    if (!drv)
        return pm_error_set(err, PM_EINTERNAL, "GDAL has no %s driver",
                            geojson ? "GeoJSON" : "GeoPackage");
    pm_runtime_gdal_reset();
    GDALDatasetH ds = GDALCreate(drv, work, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        return gdal_fail(err, PM_EIO, dest, "cannot create it");
    pm_status_t st = PM_OK;
    for (size_t i = 0; i < n_tables && !st; i++)
        st = ogr_layer(ds, d, &tables[i], geojson, dest, err);
    pm_runtime_gdal_reset();
    GDALClose(ds);
    if (!st && CPLGetLastErrorType() >= CE_Failure)
        st = gdal_fail(err, PM_EIO, dest, "cannot finish it");
    return st;
}

/* Removes a /vsimem/ dataset and the sidecars SQLite may have left beside it. */
static void mem_remove(const char *work)
{
    static const char *const sidecars[] = {"", "-journal", "-wal", "-shm"};
    char p[128];
    for (size_t i = 0; i < sizeof sidecars / sizeof sidecars[0]; i++) {
        snprintf(p, sizeof p, "%s%s", work, sidecars[i]);
        VSIUnlink(p);
    }
}

pm_status_t export_ogr_write(const pm_export_t *d, const export_schema_t *ps,
                             const export_schema_t *ts, int geojson, const char *dest,
                             unsigned char **data, size_t *len, pm_error_t *err)
{
    ogr_table_t t[2];
    size_t n = 0;
    if (ps)
        t[n++] = (ogr_table_t){"places",
                               "places of the network (partnermap)",
                               ps,
                               d->n_places,
                               place_geometry_type(d),
                               place_geometry};
    if (ts)
        t[n++] = (ogr_table_t){"ties",
                               "ties between the places, great-circle lines (partnermap)",
                               ts,
                               d->n_ties,
                               wkbMultiLineString,
                               tie_geometry};
    /* a name of this process alone: /vsimem/ is shared by every thread */
    char work[96];
    /* unique while it exists with no counter kept: the address of this frame's buffer, which no
     * other write running at the same time can have; the file is removed before it returns */
    snprintf(work, sizeof work, "/vsimem/partnermap-export-%ld-%p.%s", (long)getpid(), (void *)work,
             geojson ? "geojson" : "gpkg");
    pm_status_t st = write_tables(d, t, n, geojson, work, dest, err);
    if (!st) {
        vsi_l_offset size = 0;
        GByte *bytes = VSIGetMemFileBuffer(work, &size, TRUE);
        if (!bytes)
            st = pm_error_set(err, PM_EINTERNAL, "cannot write '%s': GDAL left no file", dest);
        else {
            *data = bytes;
            *len = (size_t)size;
        }
    }
    mem_remove(work);
    return st;
}

void export_ogr_free(unsigned char *data)
{
    VSIFree(data);
}
