/*
 * pm_geo: a geometry source opened once, with the name and code index that places are joined on.
 *
 * pm_geo_open reads one vector layer through OGR (any GDAL vector source: GeoPackage, Shapefile,
 * GeoJSON, FlatGeobuf, PG:...; by default <datadir>/world.gpkg, layer admin1) and indexes the
 * attributes only: codes, names, country, type and label point of every feature, with geometry
 * and all other fields ignored, so indexing the 4,596 features of the default data takes a few
 * tens of milliseconds. It adds three kinds of units besides the features:
 *   - composites (a historical unit as the union of today's units: Západočeský kraj 1960-1990 =
 *     Plzeňský + Karlovarský; SU = the 15 republics), from a composites file;
 *   - points (cities), from a places file: CSV name,lon,lat[,region,country];
 *   - aliases (Gorky -> Nizhny Novgorod), from alias files: names that lead to a unit.
 * Geometries are read later, only for the units asked for, by feature id, and are handed out in
 * longitude/latitude (EPSG:4326, x = longitude): a layer in another CRS is transformed; a layer
 * without a CRS is refused.
 *
 * Units are numbered 0..pm_geo_count()-1: the layer's features first (in layer order), then the
 * composites, then the points. A unit number is only meaningful for the geo it came from.
 *
 * Threads: after pm_geo_open returns, a pm_geo_t is read-only and may be shared by any number of
 * threads. The functions that read geometry (pm_geo_geometry, pm_geo_anchor) take an internal
 * mutex around the GDAL dataset (which is not thread-safe) and around the caches they fill
 * (composite unions, anchors); everything else reads immutable data. Strings and structs lent by
 * a geo live until pm_geo_free.
 *
 * Files read with the default source (opts->source NULL): <datadir>/aliases.csv and
 * <datadir>/composites.csv when they exist (see geodata/README). Their formats:
 *   aliases:    alias,target_code[,target_layer,country,valid_from,valid_to,source,notes,approx]
 *               (target_code = a code of the layer, e.g. an adm1_code, or of a composite;
 *               approx = how the unit differs from the one the alias named, when it only stands
 *               in for it (empty: the same unit); target_layer "cities" = a city of the
 *               gazetteer, by GeoNames id or by name (with the country column), kept apart for
 *               pm_gaz_match: see pm_geo_city_aliases;
 *               "target" is accepted for target_code; target_layer "composites" = a composite's
 *               code, skipped when that composite belongs to another layer; rows for another
 *               target_layer are skipped; years as YYYY, YYYY-MM or YYYY-MM-DD)
 *   composites: code,name[,name_en,name_ru,name_local],country,layer,members
 *               [,valid_from,valid_to,approximation,source] (members = space-separated codes)
 *   places:     name,lon,lat[,region,country] (also x/y, longitude/latitude)
 * CSV as RFC 4180, UTF-8 (a BOM is skipped), a header line naming the columns in any order.
 */
#ifndef PM_GEO_H
#define PM_GEO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <ogr_api.h>

#include "pm_error.h"
#include "pm_runtime.h"

typedef struct pm_geo pm_geo_t;

typedef struct pm_geo_opts {
    /* GDAL vector source; NULL = <pm_runtime_datadir()>/world.gpkg (and its aliases.csv and
     * composites.csv) */
    const char *source;
    /* NULL = "admin1" when the source has it, else its only layer */
    const char *layer;
    /* code fields, matched exactly (case-insensitive); NULL = the layer's defaults: adm1_code,
     * iso_3166_2, wikidataid (admin1); iso_a2, iso_a3 (countries); GID_1, HASC_1 (a GADM level-1
     * layer); else whichever of code, id, wikidataid the layer has */
    const char *const *code_fields;
    size_t n_code_fields;
    /* name fields; NULL = those of name, name_en, name_ru, name_local, name_cs, name_de, NAME_1,
     * NL_NAME_1 (GADM), name_alt, VARNAME_1 (GADM) the layer has. A field whose name contains
     * "alt" or "varname" holds alternative names: '|' or ',' separated, matched after aliases (see
     * pm_join.h). Other name fields may be '|' separated. */
    const char *const *name_fields;
    size_t n_name_fields;
    /* the unit's country (ISO 3166-1 alpha-2); NULL = iso_a2 when present */
    const char *country_field;
    /* the curated alias file: NULL = <datadir>/aliases.csv with the default source (none
     * otherwise); "" = none */
    const char *data_aliases;
    /* user alias files (--aliases), same format; their rows win over every other match */
    const char *const *alias_files;
    size_t n_alias_files;
    /* composites: NULL = <datadir>/composites.csv with the default source; "" = none */
    const char *composites_file;
    /* places (points): NULL = none */
    const char *places_file;
    pm_phase_t phase; /* marks the phases of opening (timing); none by default */
} pm_geo_opts_t;

/* Sets opts to all defaults (NULL, 0). */
void pm_geo_opts_init(pm_geo_opts_t *opts);

typedef enum {
    PM_UNIT_FEATURE = 0, /* a feature of the layer */
    PM_UNIT_COMPOSITE,   /* a union of features (composites file) */
    PM_UNIT_POINT        /* a point (places file) */
} pm_unit_kind_t;

#define PM_GEO_YEAR_NONE INT_MIN

/* What a geo knows about one unit. Every string is lent (lives as long as the geo) and may be
 * NULL when the source has no such value. */
typedef struct pm_geo_unit {
    pm_unit_kind_t kind;
    const char *code; /* feature: first code field (adm1_code); composite: its code;
                         point: its name */
    const char *name; /* the first name field (feature), name column (composite, point) */
    const char *name_en, *name_ru, *name_local;
    const char *country;         /* ISO alpha-2 (composites: may be historical: SU, CS, YU, DD) */
    const char *country2;        /* a second country the unit is filed under: the prefix of its
                                    iso_3166_2 when it differs (Crimea: RU, UA-43 -> UA); else NULL */
    const char *type;            /* feature: type_en/type; "composite"; "point" */
    const char *region;          /* point: its region column */
    int is_city;                 /* type says city (type_en City, Federal City, ...) or a point */
    double label_lon, label_lat; /* label point (label_lon/label_lat fields, point coordinates);
                                    NAN when absent */
    int64_t fid;                 /* feature id (features only; -1 otherwise) */
    const size_t *members;       /* composite: member units (features), or with member_layer
                                    the members' feature ids in that layer */
    size_t n_members;
    const char *member_layer;    /* composite whose members are in another layer of the same
                                    source (the GDR of admin-1 units, joined at country level);
                                    NULL: members are units of this geo */
    const double *member_labels; /* with member_layer: 2 * n_members label lon/lat (NaN: none) */
    int valid_from, valid_to;    /* composite: years, PM_GEO_YEAR_NONE when not given */
    const char *approximation, *source; /* composite: notes from the file */
} pm_geo_unit_t;

/* Opens and indexes a geometry source (see the file comment). opts may be NULL (all defaults).
 * Errors (message names the source, layer or file:line, and what to do):
 *   PM_EIO     the source or a side file cannot be opened (GDAL's reason), default geodata missing;
 *   PM_EUSAGE  no such layer (the message lists the layers), no such field (lists the fields),
 *              a source with several layers and none chosen;
 *   PM_EDATA   layer without CRS (assign one), no code or name field recognised, a side file
 *              without its required columns or with a bad value (place coordinates);
 *   PM_ENOMEM, PM_EINTERNAL.
 * Problems that do not stop the work (alias to an unknown code, composite with a missing member:
 * left out) are kept as warnings: pm_geo_warnings. On failure *out is untouched. */
pm_status_t pm_geo_open(const pm_geo_opts_t *opts, pm_geo_t **out, pm_error_t *err);

/* The embedded default source, <pm_runtime_datadir()>/world.gpkg: the one place its path is
 * spelled. The caller frees it; NULL when out of memory. */
char *pm_geo_default_source_dup(void);

/* Closes the source and frees everything. NULL is allowed. No thread may still use geo. */
void pm_geo_free(pm_geo_t *geo);

/* The source as opened (the default path spelled out) and the layer name. Lent. */
const char *pm_geo_source(const pm_geo_t *geo);
const char *pm_geo_layer(const pm_geo_t *geo);

/* Warnings collected while opening (lent; never NULL). */
const pm_diag_t *pm_geo_warnings(const pm_geo_t *geo);

/* On a user's layer (opts->source given), tests the polygons of the listed units (those places
 * joined) that were not tested yet: an invalid one is named in a warning in diag, with what is
 * wrong, and repaired where that is safe each time its geometry is read (pm_geo_geometry). Units
 * that are not features, and every unit of the embedded geodata (checked when it is built), are
 * passed over. Call it after the join, before reading geometries. Errors: PM_ENOMEM. Threads:
 * under geo's lock. */
pm_status_t pm_geo_check_units(pm_geo_t *geo, const size_t *units, size_t n, pm_diag_t *diag,
                               pm_error_t *err);

/* A point to add to an open geo (pm_geo_add_point). Strings are copied; NULL = none. */
typedef struct pm_geo_point {
    const char *code, *name, *name_en, *region, *country;
    double lon, lat;
} pm_geo_point_t;

/* Adds a point unit (type "city": a city of the gazetteer) after every other unit and returns
 * its number in *unit. It is reachable by number only: it is not indexed by name, so it never
 * answers a later join. Only the geo's owner may call it, while no other thread uses the geo;
 * pointers from pm_geo_unit obtained before are invalid afterwards (strings stay valid).
 * Errors: PM_ENOMEM. */
pm_status_t pm_geo_add_point(pm_geo_t *geo, const pm_geo_point_t *p, size_t *unit, pm_error_t *err);

/* Number of units; unit i (i < count), lent. */
size_t pm_geo_count(const pm_geo_t *geo);
const pm_geo_unit_t *pm_geo_unit(const pm_geo_t *geo, size_t i);

/* The unit's geometry in lon/lat, as a new OGR geometry the caller owns (OGR_G_DestroyGeometry),
 * with the EPSG:4326 spatial reference (traditional GIS order) assigned. Features are read by
 * FID; a composite is the union of its members (computed once, cached, a copy is returned); a
 * point is an OGR point. Errors: PM_EIO (feature unreadable), PM_EDATA (feature without
 * geometry), PM_EINTERNAL (union or transformation failed). Thread-safe. */
pm_status_t pm_geo_geometry(const pm_geo_t *geo, size_t unit, OGRGeometryH *out, pm_error_t *err);

typedef enum {
    PM_ANCHOR_LABEL = 0, /* the layer's label point, kept as given; else a point on the surface
                            (default) */
    PM_ANCHOR_SURFACE,   /* a point on the surface (GEOS PointOnSurface) of the largest part
                            (area x cos(latitude)), always inside */
    PM_ANCHOR_CENTROID   /* the centroid: may fall outside a concave unit; only when asked */
} pm_anchor_t;

/* Parses "label", "surface" or "centroid". Errors: PM_EUSAGE naming the choices. */
pm_status_t pm_geo_anchor_parse(const char *s, pm_anchor_t *out, pm_error_t *err);
const char *pm_geo_anchor_name(pm_anchor_t a);

/* The point where the unit is drawn and measured from, in lon/lat. A composite's label point is
 * that of its largest member (its seat, mostly), its surface point that of the union. Results are
 * cached. Errors: as pm_geo_geometry. Thread-safe. */
pm_status_t pm_geo_anchor(const pm_geo_t *geo, size_t unit, pm_anchor_t how, double *lon,
                          double *lat, pm_error_t *err);

/* ---- the index (used by pm_join) ---------------------------------------------------------------
 */

typedef enum {
    PM_GEO_SRC_CODE = 0,       /* a code field of a feature */
    PM_GEO_SRC_NAME,           /* a name field of a feature */
    PM_GEO_SRC_ALT,            /* an alternative-name field (name_alt) of a feature */
    PM_GEO_SRC_ALIAS,          /* the curated alias file */
    PM_GEO_SRC_USER_ALIAS,     /* a user alias file */
    PM_GEO_SRC_COMPOSITE_CODE, /* a composite's code */
    PM_GEO_SRC_COMPOSITE,      /* a composite's name */
    PM_GEO_SRC_POINT           /* a place's name */
} pm_geo_src_t;

/* One indexed text leading to one unit. */
typedef struct pm_geo_hit {
    const char *text; /* the folded text (exact index) or the key (key index) */
    const char *orig; /* the text as written in the source */
    uint32_t unit;
    uint8_t src;    /* pm_geo_src_t */
    uint8_t kind;   /* pm_norm_kind_t of orig */
    uint16_t field; /* features: index for pm_geo_field_name; aliases: 0 */
    uint32_t alias; /* aliases: row for pm_geo_alias; else UINT32_MAX */
} pm_geo_hit_t;

typedef enum { PM_GEO_EXACT = 0, PM_GEO_KEY = 1 } pm_geo_index_t;

/* The sources indexed on first use: the layer's name fields (PM_GEO_SRC_NAME, PM_GEO_SRC_ALT).
 * A join by code never pays for normalising every name of every feature. */
#define PM_GEO_SRCS_DEFERRED ((1u << PM_GEO_SRC_NAME) | (1u << PM_GEO_SRC_ALT))

/* Completes the index: indexes the layer's names if that has not been done yet. Lookups do it
 * themselves when they need to, but cannot report a failure; call this first to get it. Errors:
 * PM_ENOMEM. Thread-safe (the first caller does the work under the geo's lock). */
pm_status_t pm_geo_index_names(const pm_geo_t *geo, pm_error_t *err);

/* The hits whose text equals text (pm_norm_fold form for PM_GEO_EXACT, pm_norm_key form for
 * PM_GEO_KEY) and whose source is in srcs (a mask of 1u << pm_geo_src_t): up to max of them in
 * out, the side files' hits before the layer's. Returns how many there are (may exceed max). O(1)
 * expected (hash tables). Looks at the layer's names only when srcs asks for them. */
size_t pm_geo_lookup_src(const pm_geo_t *geo, pm_geo_index_t index, const char *text, unsigned srcs,
                         const pm_geo_hit_t **out, size_t max);
/* The same with every source. */
size_t pm_geo_lookup(const pm_geo_t *geo, pm_geo_index_t index, const char *text,
                     const pm_geo_hit_t **out, size_t max);

/* The key index (for suggestions) in two parts, in the order the texts were read: part 0 the
 * layer's names, part 1 the side files'. *n gets the part's length. */
const pm_geo_hit_t *pm_geo_keys(const pm_geo_t *geo, int part, size_t *n);

/* The name of field i of the layer as used in hits ("adm1_code", "name_ru"). Lent. */
const char *pm_geo_field_name(const pm_geo_t *geo, unsigned i);

typedef struct pm_geo_alias {
    const char *alias, *target_code;
    const char *country;        /* the alias's country column, may be NULL */
    int valid_from, valid_to;   /* PM_GEO_YEAR_NONE when not given */
    const char *source, *notes; /* may be NULL */
    const char *approx;         /* how the target differs from the named unit (the approx
                                   column, else notes beginning "Approximation:"); NULL: same */
    const char *key;            /* city aliases: the alias's pm_norm key; else NULL */
    const char *file;           /* the alias file */
    long line;                  /* its line */
    int user;                   /* from a user alias file */
} pm_geo_alias_t;

/* Alias row i (a hit's alias field), lent. */
const pm_geo_alias_t *pm_geo_alias(const pm_geo_t *geo, uint32_t i);

/* The alias rows whose target_layer is "cities" (a city of the gazetteer: target_code a GeoNames
 * id, or a name with the row's country), in file order, the user's files after the curated one;
 * *n gets their number. They are not in the index: pm_gaz_match reads them. Lent. */
const pm_geo_alias_t *pm_geo_city_aliases(const pm_geo_t *geo, size_t *n);

/* ---- countries ----------------------------------------------------------------------------------
 */

/* Resolves a country as written (ISO alpha-2 or alpha-3, historical code SU/CS/YU/DD or their
 * alpha-3, or a name in any indexed language: "Russia", "Czechoslovakia", "СССР") to its alpha-2
 * code in code (3 bytes). Returns 1 when resolved, 0 when unknown. Any two letters are taken as an
 * alpha-2 code. */
int pm_geo_country_resolve(const pm_geo_t *geo, const char *country, char code[3]);

/* The successor states of a historical country (SU -> AM AZ BY EE GE KG KZ LT LV MD RU TJ TM UA
 * UZ; CS -> CZ SK; YU -> BA HR ME MK RS SI XK; DD -> DE) as a space-separated list, or NULL when
 * code is not a historical country. */
const char *pm_geo_country_successors(const char *code);

/* The historical countries code was part of (CZ -> "CS", RU -> "SU"), space-separated, or NULL. */
const char *pm_geo_country_predecessors(const char *code);

/* 1 when unit is filed under country code (its country or country2), else 0. */
int pm_geo_unit_in_country(const pm_geo_t *geo, size_t unit, const char *code);

#endif
