/*
 * pm_gazetteer: the embedded gazetteer of cities (GeoNames cities500, CC BY 4.0) and the matching
 * of city names to it (`--level city`).
 *
 * The file (geodata/cities.tsv.gz, built by geodata/build_cities.sh; format in docs/formats.md)
 * holds one row per populated place: GeoNames id, name, ASCII name, alternate names (old names
 * included: Sverdlovsk, Gottwaldov, Karl-Marx-Stadt), country, GeoNames admin1 code, the
 * first-level unit of world.gpkg the city lies in, population, lat/lon and feature code; then
 * the key index: every pm_norm key of every name, sorted, with its rows. A file without the key
 * index (a test fixture) gets one computed when it is opened. Opening the embedded file reads and
 * unpacks about 24 MB (some 0.1 s): the pipeline opens it only when cities are asked for.
 *
 * Matching a city (pm_gaz_match), in this order:
 *   1. candidates: the rows one of whose names has the name's pm_norm key (after the text in
 *      parentheses is dropped, when nothing answers with it; a name in two scripts, "Brno /
 *      Брно", is tried part by part and matches when every part names the same one city);
 *   2. the country (ISO code or name; SU, CS, YU stand for their successor states; DD for the
 *      former GDR's territory only: the cities whose unit is a member of composite DD, so
 *      "Frankfurt" with DD is Frankfurt (Oder)): candidates elsewhere are dropped;
 *   3. the region (the row's region column, joined to a unit of geo: a first-level unit, or a
 *      composite such as a Czechoslovak kraj of 1960-1990): candidates whose unit is not that
 *      unit (or one of the composite's members) are dropped. A region that joins to nothing is
 *      not used (the note says so); a region that leaves no candidate is a contradiction: the
 *      place is UNMATCHED with the candidates it excluded named;
 *   4. population: one candidate left is a match; of several, the most populous is taken only
 *      when it has at least PM_GAZ_DOMINANCE times the population of the next (the note names
 *      the others); else the place is AMBIGUOUS with every candidate named (name, country,
 *      region, population, GeoNames id).
 * Exact text is not preferred over a key: old names are GeoNames' alternate names, often in
 * another spelling than the source's, and a hamlet bearing the name exactly must not hide the
 * city that bore it ("Sverdlovsk": Yekaterinburg and Dovzhansk both by alternate names). The
 * report says which name answered. Nothing is matched by similarity; an unmatched name gets the
 * closest keys' cities as suggestions.
 *
 * Threads: after pm_gaz_open, a pm_gaz_t is read-only and may be shared.
 */
#ifndef PM_GAZETTEER_H
#define PM_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_geo.h"

/* The population factor by which the largest candidate must exceed the next to be taken. */
#define PM_GAZ_DOMINANCE 10.0

/* The embedded file's name in the data directory. */
#define PM_GAZ_FILE "cities.tsv.gz"

typedef struct pm_gaz pm_gaz_t;

/* One row; every string is lent by the gazetteer (never NULL; "" when empty). */
typedef struct pm_gaz_city {
    uint32_t row;
    const char *id;         /* GeoNames id ("1486209") */
    const char *name;       /* GeoNames' name ("Yekaterinburg") */
    const char *ascii;      /* the ASCII name when it differs, else "" */
    const char *alternates; /* kept alternate names, ',' separated */
    const char *country;    /* ISO 3166-1 alpha-2 */
    const char *admin1;     /* GeoNames' admin1 code */
    const char *unit_code;  /* adm1_code of its world.gpkg unit, "" when none */
    const char *feature;    /* GeoNames feature code (PPL, PPLA, PPLC, ...) */
    double population;      /* 0 when unknown */
    double lat, lon;
} pm_gaz_city_t;

/* Opens a gazetteer: path NULL = <datadir>/cities.tsv.gz; a name ending in ".gz" is unpacked.
 * Errors: PM_EIO (cannot read: the message names the file), PM_EDATA (not a gazetteer file, a
 * bad row: file:line), PM_ENOMEM. */
pm_status_t pm_gaz_open(const char *path, pm_gaz_t **out, pm_error_t *err);
void pm_gaz_free(pm_gaz_t *gaz);
/* The file as opened (lent). */
const char *pm_gaz_path(const pm_gaz_t *gaz);
size_t pm_gaz_count(const pm_gaz_t *gaz);
/* Row i (< count) into *out. */
void pm_gaz_city(const pm_gaz_t *gaz, size_t i, pm_gaz_city_t *out);
/* The rows bearing key (a pm_norm key): up to max in rows, returns how many there are. */
size_t pm_gaz_lookup(const pm_gaz_t *gaz, const char *key, uint32_t *rows, size_t max);

/* The key index, sorted (lent, *n keys), and the first position in it whose key is not below
 * key. */
const char *const *pm_gaz_keys(const pm_gaz_t *gaz, size_t *n);
size_t pm_gaz_key_bound(const pm_gaz_t *gaz, const char *key);

typedef struct pm_gaz_query {
    const char *name;    /* as written; not NULL */
    const char *country; /* as written; NULL or "" = none */
    const char *region;  /* as written; NULL or "" = none */
} pm_gaz_query_t;

typedef enum {
    PM_GAZ_MATCHED = 0, /* one city: row */
    PM_GAZ_AMBIGUOUS,   /* several: cand */
    PM_GAZ_UNMATCHED    /* none: cand are suggestions or the cities the row's columns excluded */
} pm_gaz_result_t;

typedef struct pm_gaz_match {
    pm_gaz_result_t result;
    uint32_t row;        /* matched */
    size_t unit;         /* matched: the city's unit in geo, PM_GAZ_NO_UNIT when none */
    const char *matched; /* matched: the name of the row that answered (lent) */
    int by_population;   /* matched: chosen by population over others */
    uint32_t *cand;      /* candidate rows (ambiguous: all; unmatched: up to 5) */
    size_t n_cand;
    char *note; /* for the person reading the report; NULL when nothing to say */
} pm_gaz_match_t;

#define PM_GAZ_NO_UNIT ((size_t)-1)

/* Matches q against gaz (see the file comment); geo (the admin1 layer of the default geodata, or
 * any geo whose codes include the gazetteer's unit codes) resolves the country, the region and
 * each city's unit. out is overwritten; free it with pm_gaz_match_destroy. Errors: PM_EDATA (the
 * name, the country or the region is not valid UTF-8), PM_ENOMEM. An unknown country is UNMATCHED
 * with a note. */
pm_status_t pm_gaz_match(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_gaz_query_t *q,
                         pm_gaz_match_t *out, pm_error_t *err);
void pm_gaz_match_destroy(pm_gaz_match_t *m);

/* The unit of geo of row (by its unit code), PM_GAZ_NO_UNIT when none. */
size_t pm_gaz_unit(const pm_gaz_t *gaz, const pm_geo_t *geo, uint32_t row);

/* "Yekaterinburg (RU, Sverdlovsk, pop. 1495066, GeoNames 1486209)" appended to b; geo (may be
 * NULL) names the region. */
void pm_gaz_describe(const pm_gaz_t *gaz, const pm_geo_t *geo, uint32_t row, pm_buf_t *b);

#endif
