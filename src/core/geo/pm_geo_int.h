/*
 * pm_geo_int: the inside of a pm_geo_t, shared by the files of the geo module only.
 *
 *   pm_geo.c        opening a source: layer, fields, features; getters
 *   pm_geo_index.c  the arena, the hash indexes of codes/names/keys, the country tables
 *   pm_geo_files.c  the CSV side files: aliases, composites, places
 *   pm_geo_geom.c   geometry by FID, composite unions, anchors
 *   pm_geo_check.c  a user layer's CRS (none, undefined datum) and invalid polygons: warn, repair
 *
 * Nothing here is part of the core's API: other modules include pm_geo.h only.
 */
#ifndef PM_GEO_INT_H
#define PM_GEO_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "pm_error.h"
#include "pm_geo.h"
#include "pm_norm.h"

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) char data[];
} arena_chunk_t;

/* Hits with a chained hash table over their text (built as they are added, so lookups work
 * while the side files are loaded). */
typedef struct hits {
    pm_geo_hit_t *v;
    uint32_t *next; /* next hit in the same bucket, UINT32_MAX at the end */
    size_t n, cap;
    uint32_t *head; /* nbuckets heads */
    size_t nbuckets;
} hits_t;

/* A name value of the layer waiting to be indexed (see pm_geo_index_names). */
typedef struct pending_name {
    const char *value; /* in the arena */
    uint32_t unit;
    uint8_t src;
    uint16_t field;
} pending_name_t;

typedef struct country_entry {
    const char *text; /* upper-case alpha-3, or a name key */
    char code[3];     /* "" when two countries share the text */
} country_entry_t;

typedef struct countries {
    country_entry_t *v;
    size_t n, cap;
} countries_t;

typedef struct unit_cache {
    double anchor[3][2];
    unsigned char have[3];
    OGRGeometryH unioned; /* composites */
    int label_done;
    double label[2];
} unit_cache_t;

struct pm_geo {
    char *source, *layer_name;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRSpatialReferenceH wgs84;
    OGRCoordinateTransformationH ct; /* NULL when the layer is in lon/lat already */
    pthread_mutex_t mu;
    arena_chunk_t *arena;
    pm_geo_unit_t *units;
    size_t n_units, cap_units, n_features;
    unit_cache_t *cache;
    hits_t exact, key; /* codes, and names from the side files: built while opening */
    /* the layer's names: recorded while opening, indexed on first use (pm_geo_index_names) */
    hits_t lexact, lkey;
    struct pending_name *pending;
    size_t n_pending, cap_pending;
    atomic_int names_state; /* 0 not indexed yet, 1 indexed */
    countries_t a3, cnames;
    pm_geo_alias_t *aliases;
    size_t n_aliases, cap_aliases;
    pm_geo_alias_t *city_aliases; /* target_layer "cities": for the gazetteer, not indexed */
    size_t n_city_aliases, cap_city_aliases;
    char **fields;                       /* layer field names, by OGR index */
    unsigned char country_seen[26 * 26]; /* alpha-2 codes whose names are in cnames */
    int n_fields;
    int mapped; /* an SQLite file mapped while its attributes are read (see open_layer) */
    pm_diag_t warnings;
    int user_layer;         /* the layer is the user's (opts->source): its polygons are checked */
    unsigned char *checked; /* by feature unit: its polygon was tested (pm_geo_check_units) */
    int64_t *bad_fids; /* features of a user's layer that are not valid polygons (pm_geo_check) */
    size_t n_bad, cap_bad;
};

/* ---- pm_geo_index.c ---- */

void *geo_arena_alloc(pm_geo_t *g, size_t n);
char *geo_arena_strndup(pm_geo_t *g, const char *s, size_t n);
char *geo_arena_strdup(pm_geo_t *g, const char *s);
char *geo_arena_trim(pm_geo_t *g, const char *s, size_t n);
pm_status_t geo_nomem(pm_error_t *err);
int geo_grow(void **v, size_t *cap, size_t n, size_t size);
int geo_parse_year(const char *s);
int geo_rehash(hits_t *h, size_t want);
pm_status_t geo_index_text(pm_geo_t *g, const char *orig, size_t unit, pm_geo_src_t src,
                           unsigned field, uint32_t alias, pm_error_t *err);
pm_status_t geo_index_names(pm_geo_t *g, const char *value, size_t unit, pm_geo_src_t src,
                            unsigned field, uint32_t alias, pm_error_t *err);
pm_status_t geo_defer_names(pm_geo_t *g, const char *value, size_t unit, pm_geo_src_t src,
                            unsigned field, pm_error_t *err);
void geo_hits_free(hits_t *h);
size_t geo_lookup(const hits_t *h, const char *text, const pm_geo_hit_t **out, size_t max);
size_t geo_units_by_code(const pm_geo_t *g, const char *code, size_t *unit);
const char *geo_country_code(pm_geo_t *g, const char *s);
pm_status_t geo_add_country_name(pm_geo_t *g, const char *name, const char *code, pm_error_t *err);
pm_status_t geo_add_country_a3(pm_geo_t *g, const char *a3, const char *code, pm_error_t *err);
void geo_finish_countries(countries_t *t);
pm_status_t geo_add_historical(pm_geo_t *g, pm_error_t *err);

/* ---- pm_geo_files.c ---- */

pm_geo_unit_t *geo_new_unit(pm_geo_t *g, pm_unit_kind_t kind);
pm_status_t geo_load_aliases(pm_geo_t *g, const char *path, int user, pm_error_t *err);
pm_status_t geo_load_composites(pm_geo_t *g, const char *path, pm_error_t *err);
pm_status_t geo_load_places(pm_geo_t *g, const char *path, pm_error_t *err);

/* ---- pm_geo_check.c ---- */

/* A layer without a CRS: taken as lon/lat with a warning when its coordinates fit, else
 * PM_EDATA. */
pm_status_t geo_check_no_srs(pm_geo_t *g, pm_error_t *err);
/* Warns when srs is geographic with an undefined datum. */
void geo_check_srs(pm_geo_t *g, OGRSpatialReferenceH srs);
/* geom of feature fid (ownership passes through), repaired when the check found it invalid. */
OGRGeometryH geo_check_repair(const pm_geo_t *g, int64_t fid, OGRGeometryH geom);

/* ---- pm_geo.c, pm_geo_geom.c ---- */

int geo_contains_ci(const char *s, const char *needle);
void geo_add_polygons(OGRGeometryH mp, OGRGeometryH g);

#endif
