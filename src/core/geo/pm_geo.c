/*
 * pm_geo: geometry sources and their name/code index (see pm_geo.h).
 *
 * Opening reads attributes only (OGR_L_SetIgnoredFields, geometry ignored) and fills:
 *   units[]   features, then composites, then points (pm_geo_unit_t, strings in an arena);
 *   exact[]   hits keyed by pm_norm_fold text (codes and names), in a chained hash table;
 *   key[]     hits keyed by pm_norm_key text, likewise;
 *   countries a3 codes and country names (keys) -> alpha-2.
 * After opening, the layer ignores every attribute and reads geometry by FID on demand. The
 * dataset, the coordinate transformation and the caches (composite unions, anchors) are used only
 * under geo->mu; everything else is immutable and read without locking.
 *
 * Invariants: every hit's unit < n_units; composites' members are features; every string lent
 * out lives in the arena until pm_geo_free.
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

/* The status of a GDAL failure just seen: out of memory (GDAL's or SQLite's) is not an I/O
 * failure of the file (exit 1, not 4). */
static pm_status_t gdal_failure(void)
{
    return CPLGetLastErrorNo() == CPLE_OutOfMemory || strstr(pm_runtime_gdal_msg(), "out of memory")
               ? PM_ENOMEM
               : PM_EIO;
}

/* ---- the layer
 * ------------------------------------------------------------------------------------- */

typedef struct layer_fields {
    int code[16], name[16];
    size_t n_code, n_name;
    int country, iso2, type, lon, lat, admin, a3, a3_own, en, ru, local;
} layer_fields_t;

/* "a, b, c" of the n names name(obj, i), for messages ("..." when they do not fit). */
static void list_names(void *obj, int n, const char *(*name)(void *, int), char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o + 1 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", name(obj, i));
    if (o >= len && len > 4)
        memcpy(buf + len - 4, "...", 4);
}

static const char *field_name(void *defn, int i)
{
    return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
}

static const char *layer_name(void *ds, int i)
{
    return OGR_L_GetName(GDALDatasetGetLayer(ds, i));
}

/* The layer's fields, and the source's layers. */
static void list_fields(OGRFeatureDefnH d, char *buf, size_t len)
{
    list_names(d, OGR_FD_GetFieldCount(d), field_name, buf, len);
}

static void list_layers(GDALDatasetH ds, char *buf, size_t len)
{
    list_names(ds, GDALDatasetGetLayerCount(ds), layer_name, buf, len);
}

int geo_contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return 1;
    return 0;
}

static int first_field(OGRFeatureDefnH d, const char *const *names)
{
    for (size_t i = 0; names[i]; i++) {
        int k = OGR_FD_GetFieldIndex(d, names[i]);
        if (k >= 0)
            return k;
    }
    return -1;
}

/* Resolves the fields to read: the caller's or the layer's defaults. */
static pm_status_t resolve_fields(pm_geo_t *g, OGRFeatureDefnH d, const pm_geo_opts_t *o,
                                  layer_fields_t *lf, pm_error_t *err)
{
    static const char *const admin1_codes[] = {"adm1_code", "iso_3166_2", "wikidataid", NULL};
    static const char *const country_codes[] = {"iso_a2", "iso_a3", "wikidataid", NULL};
    static const char *const other_codes[] = {"code", "id", "wikidataid", NULL};
    /* GADM's level-1 layers: GID_1 (RUS.65_1), HASC_1 (RU.SV); names NAME_1, NL_NAME_1 (local
     * script), VARNAME_1 (alternative names) */
    static const char *const gadm_codes[] = {"GID_1", "HASC_1", NULL};
    static const char *const names[] = {"name",     "name_en",   "name_ru", "name_local",
                                        "name_cs",  "name_de",   "NAME_1",  "NL_NAME_1",
                                        "name_alt", "VARNAME_1", NULL};
    char fl[512];
    int countries =
        OGR_FD_GetFieldIndex(d, "adm1_code") < 0 && OGR_FD_GetFieldIndex(d, "iso_a3") >= 0;
    const char *const *codes = OGR_FD_GetFieldIndex(d, "adm1_code") >= 0 ? admin1_codes
                               : countries                               ? country_codes
                               : OGR_FD_GetFieldIndex(d, "GID_1") >= 0   ? gadm_codes
                                                                         : other_codes;
    memset(lf, 0, sizeof *lf);
    if (o->n_code_fields > 16 || o->n_name_fields > 16)
        return pm_error_set(err, PM_EUSAGE, "at most 16 code fields and 16 name fields");
    for (size_t i = 0; i < o->n_code_fields; i++) {
        int k = OGR_FD_GetFieldIndex(d, o->code_fields[i]);
        if (k < 0) {
            list_fields(d, fl, sizeof fl);
            return pm_error_set(err, PM_EUSAGE, "no field '%s' in layer '%s' of '%s' (fields: %s)",
                                o->code_fields[i], g->layer_name, g->source, fl);
        }
        lf->code[lf->n_code++] = k;
    }
    for (size_t i = 0; i < o->n_name_fields; i++) {
        int k = OGR_FD_GetFieldIndex(d, o->name_fields[i]);
        if (k < 0) {
            list_fields(d, fl, sizeof fl);
            return pm_error_set(err, PM_EUSAGE, "no field '%s' in layer '%s' of '%s' (fields: %s)",
                                o->name_fields[i], g->layer_name, g->source, fl);
        }
        lf->name[lf->n_name++] = k;
    }
    for (size_t i = 0; !o->n_code_fields && codes[i]; i++) {
        int k = OGR_FD_GetFieldIndex(d, codes[i]);
        if (k >= 0)
            lf->code[lf->n_code++] = k;
    }
    for (size_t i = 0; !o->n_name_fields && names[i]; i++) {
        int k = OGR_FD_GetFieldIndex(d, names[i]);
        if (k >= 0)
            lf->name[lf->n_name++] = k;
    }
    if (lf->n_code + lf->n_name == 0) {
        list_fields(d, fl, sizeof fl);
        return pm_error_set(err, PM_EDATA,
                            "no code or name field recognised in layer '%s' of '%s' (fields: %s); "
                            "name the code or name fields to match on",
                            g->layer_name, g->source, fl);
    }
    if (o->country_field) {
        lf->country = OGR_FD_GetFieldIndex(d, o->country_field);
        if (lf->country < 0) {
            list_fields(d, fl, sizeof fl);
            return pm_error_set(err, PM_EUSAGE, "no field '%s' in layer '%s' of '%s' (fields: %s)",
                                o->country_field, g->layer_name, g->source, fl);
        }
    } else {
        static const char *const c[] = {"iso_a2", "iso2", "country_code", NULL};
        lf->country = first_field(d, c);
    }
    static const char *const iso2[] = {"iso_3166_2", "ISO_1", NULL};
    static const char *const type[] = {"type_en", "type", "ENGTYPE_1", NULL};
    static const char *const lon[] = {"label_lon", "label_x", "longitude", "lon", NULL};
    static const char *const lat[] = {"label_lat", "label_y", "latitude", "lat", NULL};
    static const char *const admin[] = {"admin", NULL}, *const a3[] = {"adm0_a3", NULL};
    static const char *const a3own[] = {"iso_a3", NULL};
    static const char *const en[] = {"name_en", NULL}, *const ru[] = {"name_ru", NULL};
    static const char *const local[] = {"name_local", NULL};
    lf->iso2 = first_field(d, iso2);
    lf->type = first_field(d, type);
    lf->lon = first_field(d, lon);
    lf->lat = first_field(d, lat);
    lf->admin = first_field(d, admin);
    lf->a3 = first_field(d, a3);
    lf->a3_own = countries ? first_field(d, a3own) : -1;
    lf->en = first_field(d, en);
    lf->ru = first_field(d, ru);
    lf->local = first_field(d, local);
    return PM_OK;
}

/* Ignores every field but those in keep (and the geometry unless with_geometry). */
static pm_status_t ignore_fields(OGRLayerH lyr, const int *keep, size_t n_keep, int with_geometry,
                                 pm_error_t *err)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    int nf = OGR_FD_GetFieldCount(d);
    const char **ign = malloc(((size_t)nf + 3) * sizeof *ign);
    if (!ign)
        return geo_nomem(err);
    size_t n = 0;
    for (int i = 0; i < nf; i++) {
        int kept = 0;
        for (size_t k = 0; k < n_keep; k++)
            kept |= keep[k] == i;
        if (!kept)
            ign[n++] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
    }
    if (!with_geometry)
        ign[n++] = "OGR_GEOMETRY";
    ign[n++] = "OGR_STYLE";
    ign[n] = NULL;
    OGR_L_SetIgnoredFields(lyr, ign); /* best effort: a driver may read them anyway */
    free(ign);
    return PM_OK;
}

static const char *field_str(OGRFeatureH f, int i)
{
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        return NULL;
    const char *s = OGR_F_GetFieldAsString(f, i);
    return s && *s ? s : NULL;
}

/* The first '|' part of a name value, trimmed, in the arena. */
static const char *first_part(pm_geo_t *g, const char *s)
{
    return s ? geo_arena_trim(g, s, strcspn(s, "|")) : NULL;
}

static pm_status_t read_feature(pm_geo_t *g, OGRFeatureH f, const layer_fields_t *lf,
                                pm_error_t *err)
{
    size_t idx = g->n_units;
    pm_geo_unit_t *u = geo_new_unit(g, PM_UNIT_FEATURE);
    if (!u)
        return geo_nomem(err);
    u->fid = (int64_t)OGR_F_GetFID(f);
    pm_status_t rc = PM_OK;
    for (size_t i = 0; i < lf->n_code && rc == PM_OK; i++) {
        const char *v = field_str(f, lf->code[i]);
        char *c = v ? geo_arena_trim(g, v, strlen(v)) : NULL;
        if (!c || strcmp(c, "-99") == 0 || strcmp(c, "-1") == 0)
            continue;
        if (!u->code)
            u->code = c;
        rc = geo_index_text(g, c, idx, PM_GEO_SRC_CODE, (unsigned)lf->code[i], UINT32_MAX, err);
    }
    for (size_t i = 0; i < lf->n_name && rc == PM_OK; i++) {
        const char *v = field_str(f, lf->name[i]);
        if (!v)
            continue;
        const char *fname = g->fields[lf->name[i]];
        pm_geo_src_t src = geo_contains_ci(fname, "alt") || geo_contains_ci(fname, "varname")
                               ? PM_GEO_SRC_ALT
                               : PM_GEO_SRC_NAME;
        char *value = geo_arena_strdup(g, v);
        if (!value)
            return geo_nomem(err);
        if (!u->name && src == PM_GEO_SRC_NAME)
            u->name = first_part(g, value);
        rc = geo_defer_names(g, value, idx, src, (unsigned)lf->name[i], err);
    }
    if (rc != PM_OK)
        return rc;
    u->name_en = first_part(g, field_str(f, lf->en));
    u->name_ru = first_part(g, field_str(f, lf->ru));
    u->name_local = first_part(g, field_str(f, lf->local));
    u->country = geo_country_code(g, field_str(f, lf->country));
    const char *iso2 = field_str(f, lf->iso2);
    if (iso2 && strlen(iso2) > 3 && iso2[2] == '-') {
        char p[3] = {iso2[0], iso2[1], '\0'};
        const char *c2 = geo_country_code(g, p);
        if (c2 && (!u->country || strcmp(c2, u->country) != 0))
            u->country2 = c2;
    }
    u->type = geo_arena_strdup(g, field_str(f, lf->type));
    /* Hungary's "Urban county" units are its cities with county rights (Szolnok, Győr) */
    u->is_city =
        u->type && (geo_contains_ci(u->type, "city") || geo_contains_ci(u->type, "capital") ||
                    geo_contains_ci(u->type, "urban county"));
    if (lf->lon >= 0 && lf->lat >= 0 && OGR_F_IsFieldSetAndNotNull(f, lf->lon) &&
        OGR_F_IsFieldSetAndNotNull(f, lf->lat)) {
        double x = OGR_F_GetFieldAsDouble(f, lf->lon), y = OGR_F_GetFieldAsDouble(f, lf->lat);
        if (x >= -180 && x <= 180 && y >= -90 && y <= 90) {
            u->label_lon = x;
            u->label_lat = y;
        }
    }
    /* a country's admin name and alpha-3 once (features come grouped by country mostly) */
    int seen = 1;
    if (u->country) {
        unsigned k = (unsigned)(u->country[0] - 'A') * 26u + (unsigned)(u->country[1] - 'A');
        seen = k < sizeof g->country_seen && g->country_seen[k];
        if (k < sizeof g->country_seen)
            g->country_seen[k] = 1;
    }
    if (u->country && (!seen || lf->a3_own >= 0)) {
        rc = geo_add_country_a3(g, field_str(f, lf->a3), u->country, err);
        if (rc == PM_OK)
            rc = geo_add_country_name(g, field_str(f, lf->admin), u->country, err);
        if (rc == PM_OK && lf->a3_own >= 0) {
            rc = geo_add_country_a3(g, field_str(f, lf->a3_own), u->country, err);
            for (size_t i = 0; i < lf->n_name && rc == PM_OK; i++)
                rc = geo_add_country_name(g, first_part(g, field_str(f, lf->name[i])), u->country,
                                          err);
        }
    }
    return rc;
}

/* Country names and alpha-3 codes from a "countries" layer beside the one opened. */
static pm_status_t read_country_layer(pm_geo_t *g, OGRLayerH cl, pm_error_t *err)
{
    static const char *const names[] = {"name",    "name_en",    "name_ru", "name_cs",
                                        "name_de", "name_local", NULL};
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(cl);
    int keep[8], nk = 0;
    int ia2 = OGR_FD_GetFieldIndex(d, "iso_a2"), ia3 = OGR_FD_GetFieldIndex(d, "iso_a3");
    if (ia2 < 0)
        return PM_OK;
    keep[nk++] = ia2;
    if (ia3 >= 0)
        keep[nk++] = ia3;
    int in[6], nn = 0;
    for (size_t i = 0; names[i]; i++) {
        int k = OGR_FD_GetFieldIndex(d, names[i]);
        if (k >= 0)
            keep[nk++] = in[nn++] = k;
    }
    pm_status_t rc = ignore_fields(cl, keep, (size_t)nk, 0, err);
    OGR_L_ResetReading(cl);
    OGRFeatureH f;
    while (rc == PM_OK && (f = OGR_L_GetNextFeature(cl)) != NULL) {
        const char *code = geo_country_code(g, field_str(f, ia2));
        if (code) {
            rc = geo_add_country_a3(g, field_str(f, ia3), code, err);
            for (int i = 0; i < nn && rc == PM_OK; i++)
                rc = geo_add_country_name(g, field_str(f, in[i]), code, err);
        }
        OGR_F_Destroy(f);
    }
    return rc;
}

static pm_status_t set_crs(pm_geo_t *g, pm_error_t *err)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(g->lyr);
    g->wgs84 = OSRNewSpatialReference(NULL);
    if (!g->wgs84 || OSRImportFromEPSG(g->wgs84, 4326) != OGRERR_NONE)
        return pm_error_set(err, PM_EINTERNAL, "cannot set up EPSG:4326: %s",
                            pm_runtime_gdal_msg());
    OSRSetAxisMappingStrategy(g->wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    if (!srs)
        return geo_check_no_srs(g, err);
    geo_check_srs(g, srs);
    const char *same[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                          "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", NULL};
    int n = 0;
    const int *map = OSRGetDataAxisToSRSAxisMapping(srs, &n);
    int lon_first = n >= 2 && ((map[0] == 2 && map[1] == 1 && OSREPSGTreatsAsLatLong(srs)) ||
                               (map[0] == 1 && map[1] == 2 && !OSREPSGTreatsAsLatLong(srs)));
    if (OSRIsSameEx(srs, g->wgs84, same) && lon_first)
        return PM_OK;
    /* the layer's own axis mapping says how its data is ordered */
    g->ct = OCTNewCoordinateTransformation(srs, g->wgs84);
    if (!g->ct)
        return pm_error_set(err, PM_EDATA,
                            "cannot transform layer '%s' of '%s' to longitude/latitude: %s",
                            g->layer_name, g->source, pm_runtime_gdal_msg());
    return PM_OK;
}

static pm_status_t open_layer(pm_geo_t *g, const pm_geo_opts_t *o, pm_error_t *err)
{
    char buf[512];
    pm_runtime_gdal_reset();
    /* A GeoPackage (or SQLite database) is read memory-mapped by SQLite's own file layer while its
     * attributes are indexed: every attribute lies after the row's geometry, and reaching it walks
     * the geometry's overflow pages, which mapped cost a pointer each instead of a read (measured
     * in docs/performance.md). read_layer unmaps it afterwards. Set for this thread only; the
     * user's own settings win. */
    int mapped = !getenv("SQLITE_USE_OGR_VFS") && !getenv("OGR_SQLITE_PRAGMA");
    if (mapped) {
        CPLSetThreadLocalConfigOption("SQLITE_USE_OGR_VFS", "NO");
        CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", "mmap_size=1073741824");
    }
    g->ds = GDALOpenEx(g->source, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
                       NULL, NULL);
    if (mapped) {
        CPLSetThreadLocalConfigOption("SQLITE_USE_OGR_VFS", NULL);
        CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", NULL);
        GDALDriverH drv = g->ds ? GDALGetDatasetDriver(g->ds) : NULL;
        const char *name = drv ? GDALGetDriverShortName(drv) : "";
        g->mapped = !strcmp(name, "GPKG") || !strcmp(name, "SQLite");
    }
    pm_phase_mark(&o->phase, "geo: dataset opened");
    if (!g->ds)
        return pm_error_set(err, gdal_failure(), "cannot open geometry source '%s': %s", g->source,
                            pm_runtime_gdal_msg()[0] ? pm_runtime_gdal_msg()
                                                     : "not a vector data source");
    int nl = GDALDatasetGetLayerCount(g->ds);
    if (o->layer) {
        g->lyr = GDALDatasetGetLayerByName(g->ds, o->layer);
        if (!g->lyr) {
            list_layers(g->ds, buf, sizeof buf);
            return pm_error_set(err, PM_EUSAGE, "no layer '%s' in '%s' (layers: %s)", o->layer,
                                g->source, buf);
        }
    } else {
        g->lyr = GDALDatasetGetLayerByName(g->ds, "admin1");
        if (!g->lyr && nl == 1)
            g->lyr = GDALDatasetGetLayer(g->ds, 0);
        if (!g->lyr) {
            list_layers(g->ds, buf, sizeof buf);
            return pm_error_set(err, nl ? PM_EUSAGE : PM_EDATA,
                                nl ? "'%s' has %d layers (%s); choose the layer to use"
                                   : "'%s' has %d layers%s",
                                g->source, nl, buf);
        }
    }
    g->layer_name = strdup(OGR_L_GetName(g->lyr));
    if (!g->layer_name)
        return geo_nomem(err);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(g->lyr);
    g->n_fields = OGR_FD_GetFieldCount(d);
    g->fields = calloc((size_t)g->n_fields + 1, sizeof *g->fields);
    if (!g->fields)
        return geo_nomem(err);
    for (int i = 0; i < g->n_fields; i++)
        if (!(g->fields[i] = geo_arena_strdup(g, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)))))
            return geo_nomem(err);
    pm_phase_mark(&o->phase, "geo: layer found");
    return set_crs(g, err);
}

static pm_status_t read_layer(pm_geo_t *g, const pm_geo_opts_t *o, pm_error_t *err)
{
    layer_fields_t lf;
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(g->lyr);
    pm_status_t rc = resolve_fields(g, d, o, &lf, err);
    if (rc != PM_OK)
        return rc;
    int keep[48];
    size_t nk = 0;
    for (size_t i = 0; i < lf.n_code; i++)
        keep[nk++] = lf.code[i];
    for (size_t i = 0; i < lf.n_name; i++)
        keep[nk++] = lf.name[i];
    int extra[] = {lf.country, lf.iso2,   lf.type, lf.lon, lf.lat,  lf.admin,
                   lf.a3,      lf.a3_own, lf.en,   lf.ru,  lf.local};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (extra[i] >= 0)
            keep[nk++] = extra[i];
    rc = ignore_fields(g->lyr, keep, nk, 0, err);
    if (rc != PM_OK)
        return rc;
    /* size the code table once: up to 3 codes per feature on Natural Earth */
    GIntBig nf = OGR_L_GetFeatureCount(g->lyr, FALSE);
    if (nf > 0 && nf < (1 << 24) && geo_rehash(&g->exact, (size_t)nf * 6))
        return geo_nomem(err);
    pm_runtime_gdal_reset();
    OGR_L_ResetReading(g->lyr);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(g->lyr)) != NULL) {
        rc = read_feature(g, f, &lf, err);
        OGR_F_Destroy(f);
        if (rc != PM_OK)
            return rc;
    }
    if (CPLGetLastErrorType() >= CE_Failure) /* GDAL out of memory is not an I/O failure */
        return pm_error_set(err, gdal_failure(), "reading layer '%s' of '%s' failed: %s",
                            g->layer_name, g->source, pm_runtime_gdal_msg());
    g->n_features = g->n_units;
    pm_phase_mark(&o->phase, "geo: features read");
    if (strcasecmp(g->layer_name, "countries") != 0) {
        OGRLayerH cl = GDALDatasetGetLayerByName(g->ds, "countries");
        if (cl && (rc = read_country_layer(g, cl, err)) != PM_OK)
            return rc;
    }
    /* the file's pages would stay in the process's resident memory while the network is
     * analysed and drawn (30 MB for admin1): unmapped, geometry is read page by page */
    if (g->mapped) {
        OGRLayerH r = GDALDatasetExecuteSQL(g->ds, "PRAGMA mmap_size=0", NULL, NULL);
        if (r)
            GDALDatasetReleaseResultSet(g->ds, r);
        g->mapped = 0;
    }
    /* from now on the layer reads geometry only */
    return ignore_fields(g->lyr, NULL, 0, 1, err);
}

void pm_geo_opts_init(pm_geo_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
}

static char *join_path(const char *dir, const char *file);

char *pm_geo_default_source_dup(void)
{
    return join_path(pm_runtime_datadir(), PM_RUNTIME_WORLD_FILE);
}

static char *join_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, file);
    return p;
}

/* The side file to load: the caller's, or the datadir's when the source is the default. */
static pm_status_t side_file(const pm_geo_opts_t *o, const char *given, const char *name,
                             char **out, pm_error_t *err)
{
    *out = NULL;
    if (given) {
        if (*given && !(*out = strdup(given)))
            return geo_nomem(err);
        return PM_OK;
    }
    if (o->source)
        return PM_OK;
    char *p = join_path(pm_runtime_datadir(), name);
    if (!p)
        return geo_nomem(err);
    if (pm_io_exists(p))
        *out = p;
    else
        free(p);
    return PM_OK;
}

pm_status_t pm_geo_open(const pm_geo_opts_t *opts, pm_geo_t **out, pm_error_t *err)
{
    pm_geo_opts_t defaults;
    if (!opts) {
        pm_geo_opts_init(&defaults);
        opts = &defaults;
    }
    char *aliases = NULL, *composites = NULL;
    pm_geo_t *g = calloc(1, sizeof *g);
    pm_status_t rc = g ? pm_norm_init(err) : geo_nomem(err);
    if (rc != PM_OK)
        goto cleanup;
    pthread_mutex_init(&g->mu, NULL);
    pm_diag_init(&g->warnings);
    g->source = opts->source ? strdup(opts->source) : pm_geo_default_source_dup();
    if (!g->source) {
        rc = geo_nomem(err);
        goto cleanup;
    }
    if (!opts->source && !pm_io_exists(g->source)) {
        rc = pm_error_set(err, PM_EIO,
                          "default geodata '%s' not found; build it (geodata/build_geodata.sh), "
                          "set PARTNERMAP_DATA to its folder, or pass --geo",
                          g->source);
        goto cleanup;
    }
    if ((rc = open_layer(g, opts, err)) != PM_OK)
        goto cleanup;
    pm_phase_mark(&opts->phase, "geo: layer opened");
    if ((rc = read_layer(g, opts, err)) != PM_OK)
        goto cleanup;
    /* a user's layer: the polygons of joined units are tested after the join and repaired when
     * read (pm_geo_check_units); world.gpkg is checked when it is built */
    g->user_layer = opts->source != NULL;
    pm_phase_mark(&opts->phase, "geo: layer read and indexed");
    if ((rc = side_file(opts, opts->composites_file, "composites.csv", &composites, err)) !=
            PM_OK ||
        (rc = side_file(opts, opts->data_aliases, "aliases.csv", &aliases, err)) != PM_OK)
        goto cleanup;
    if (composites && (rc = geo_load_composites(g, composites, err)) != PM_OK)
        goto cleanup;
    if (aliases && (rc = geo_load_aliases(g, aliases, 0, err)) != PM_OK)
        goto cleanup;
    for (size_t i = 0; i < opts->n_alias_files; i++)
        if ((rc = geo_load_aliases(g, opts->alias_files[i], 1, err)) != PM_OK)
            goto cleanup;
    if (opts->places_file && (rc = geo_load_places(g, opts->places_file, err)) != PM_OK)
        goto cleanup;
    if ((rc = geo_add_historical(g, err)) != PM_OK)
        goto cleanup;
    pm_phase_mark(&opts->phase, "geo: side files read");
    geo_finish_countries(&g->a3);
    geo_finish_countries(&g->cnames);
    g->cache = calloc(g->n_units ? g->n_units : 1, sizeof *g->cache);
    if (!g->cache) {
        rc = geo_nomem(err);
        goto cleanup;
    }
    *out = g;
    g = NULL;
cleanup:
    free(aliases);
    free(composites);
    pm_geo_free(g);
    return rc;
}

void pm_geo_free(pm_geo_t *geo)
{
    if (!geo)
        return;
    for (size_t i = 0; geo->cache && i < geo->n_units; i++)
        if (geo->cache[i].unioned)
            OGR_G_DestroyGeometry(geo->cache[i].unioned);
    free(geo->cache);
    if (geo->ct)
        OCTDestroyCoordinateTransformation(geo->ct);
    if (geo->wgs84)
        OSRRelease(geo->wgs84);
    if (geo->ds)
        GDALClose(geo->ds);
    while (geo->arena) {
        arena_chunk_t *next = geo->arena->next;
        free(geo->arena);
        geo->arena = next;
    }
    free(geo->units);
    geo_hits_free(&geo->exact);
    geo_hits_free(&geo->key);
    geo_hits_free(&geo->lexact);
    geo_hits_free(&geo->lkey);
    free(geo->pending);
    free(geo->a3.v);
    free(geo->cnames.v);
    free(geo->aliases);
    free(geo->city_aliases);
    free(geo->fields);
    free(geo->source);
    free(geo->layer_name);
    pm_diag_destroy(&geo->warnings);
    free(geo->bad_fids);
    free(geo->checked);
    pthread_mutex_destroy(&geo->mu);
    free(geo);
}

/* ---- getters
 * ---------------------------------------------------------------------------------------- */

const char *pm_geo_source(const pm_geo_t *geo)
{
    return geo->source;
}

const char *pm_geo_layer(const pm_geo_t *geo)
{
    return geo->layer_name;
}

const pm_diag_t *pm_geo_warnings(const pm_geo_t *geo)
{
    return &geo->warnings;
}

size_t pm_geo_count(const pm_geo_t *geo)
{
    return geo->n_units;
}

const pm_geo_unit_t *pm_geo_unit(const pm_geo_t *geo, size_t i)
{
    return i < geo->n_units ? &geo->units[i] : NULL;
}

size_t pm_geo_lookup_src(const pm_geo_t *geo, pm_geo_index_t index, const char *text, unsigned srcs,
                         const pm_geo_hit_t **out, size_t max)
{
    int key = index == PM_GEO_KEY;
    size_t n = geo_lookup(key ? &geo->key : &geo->exact, text, out, max);
    if (!(srcs & PM_GEO_SRCS_DEFERRED) || pm_geo_index_names(geo, NULL) != PM_OK)
        return n;
    return n + geo_lookup(key ? &geo->lkey : &geo->lexact, text, out + (n < max ? n : max),
                          n < max ? max - n : 0);
}

size_t pm_geo_lookup(const pm_geo_t *geo, pm_geo_index_t index, const char *text,
                     const pm_geo_hit_t **out, size_t max)
{
    return pm_geo_lookup_src(geo, index, text, ~0u, out, max);
}

const pm_geo_hit_t *pm_geo_keys(const pm_geo_t *geo, int part, size_t *n)
{
    if (part == 0 && pm_geo_index_names(geo, NULL) != PM_OK) {
        *n = 0;
        return NULL;
    }
    const hits_t *h = part == 0 ? &geo->lkey : &geo->key;
    *n = h->n;
    return h->v;
}

const char *pm_geo_field_name(const pm_geo_t *geo, unsigned i)
{
    return i < (unsigned)geo->n_fields ? geo->fields[i] : "";
}

const pm_geo_alias_t *pm_geo_city_aliases(const pm_geo_t *geo, size_t *n)
{
    *n = geo->n_city_aliases;
    return geo->city_aliases;
}

const pm_geo_alias_t *pm_geo_alias(const pm_geo_t *geo, uint32_t i)
{
    return i < geo->n_aliases ? &geo->aliases[i] : NULL;
}
