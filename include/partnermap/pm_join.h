/*
 * pm_join: matching the places of a ties table to the units of a geometry source, and the report.
 *
 * Every place (a name as written, with an optional country) goes down a fixed ladder and stops at
 * the first rung where any unit answers; rungs later in the ladder are weaker evidence:
 *   1. user alias     the --aliases files (exact, then normalised key): the user's word wins;
 *   2. code           a code field (adm1_code, iso_3166_2, wikidataid; iso_a2/iso_a3 on countries)
 *                     or a composite's code, case-insensitive;
 *   3. point          a place of the places file (exact, then key): a places file is the
 *                     caller's explicit list of cities, so "Tula" the city is not taken for Tula
 *                     oblast (a name that says region, "Tula Oblast", skips this rung);
 *   4. name           a primary name field (name, name_en, name_ru, name_local), exact after
 *                     case folding;
 *   5. alias          the curated alias file, exact: a curated alias (one row, one source) is
 *                     never shadowed by a key ("Leningrad city" is St Petersburg, although the key
 *                     of Leningrad Oblast's name is also "leningrad"); an alias with an
 *                     approximation (its approx column, or notes that begin "Approximation:")
 *                     puts it in the note and sets the match's approx (rungs 1, 5, 6); such
 *                     an alias that says region ("Katowice Voivodeship") is not found by key
 *                     for a name that says neither ("Katowice": the city);
 *   6. normalised     the name fields and the curated aliases together by pm_norm key
 *                     ("Sverdlovskaja obl." = "Свердловская область"), so that a city or region
 *                     word can choose between them ("г. Ленинград": the oblast by name, the city
 *                     by alias);
 *   7. alternative    name_alt (exact, then key): Natural Earth's alternative names mix old and
 *                     ambiguous names (Alma-Ata is in both Almaty units, Tselinograd in Akmola),
 *                     so curated aliases come first;
 *   8. composite      a composite's names (exact, then key).
 * Rungs 7-8 are tried by exact text first (7, 8), then by key (7, 8).
 * If the name has text in parentheses and nothing matched, the ladder is tried once more without
 * it ("Astana (Nur-Sultan 2019-2022)"), and the note says so.
 * At a rung, more than one distinct unit is AMBIGUOUS (the candidates are reported), except when
 * the name itself says region or city (pm_norm_kind_t: "Moscow Oblast", "г. Москва") and exactly
 * one candidate is of that kind (a unit is a city when its type or one of its names says so, a
 * region when a name says so; when none is of that kind, the one that says neither): then it is
 * taken and the note says why. A single candidate of the other kind is taken with a note ("the
 * name says city, but this unit is a region"). No rung answering is UNMATCHED, with the closest
 * names as suggestions (similarity of keys). Nothing is ever matched by similarity.
 *
 * Cities and regions. A name that says neither, found by a name (rungs 4, 6, 7), is AMBIGUOUS when
 * a unit of the other kind (city or not) in the same country has the same key among names and
 * curated aliases ("Kiev": Kiev oblast by name, Kiev City by key); a curated alias found by exact
 * text decides instead ("Ленинград").
 *
 * Countries' names. A name that is also a country's (pm_geo_country_resolve; longer than three
 * letters), found by a name as a unit that is not that country, with no country given, is
 * AMBIGUOUS ("Georgia": the US state; the country is not a unit of a first-level layer), unless
 * the unit is the only one of that country (Monaco).
 *
 * Countries. A place's country (its own, else opts->country) restricts the candidates to units
 * filed under it (pm_geo_unit_in_country: a unit's country or its iso_3166_2 country, so Crimea,
 * filed under RU with code UA-43, is found with UA and with RU). Historical countries are
 * accepted: SU, CS, YU, DD (or their names). The ladder runs first with the country itself; only
 * when nothing matches does it run again with the related countries, with a note:
 *   - a historical country accepts its successors (CS -> CZ, SK): "Olomoucký kraj" given as CS
 *     is today's CZE-10372 (no CS unit bears that name);
 *   - a country accepts the historical country it belonged to (CZ -> CS composites).
 *
 * Historical names. A few names belong to today's unit and to a composite valid in the past
 * (Jihomoravský kraj, Jihočeský kraj, Praha, Bratislava). When a name rung (4-7) finds today's
 * unit and a composite bears the same name (or an alias of it does):
 *   - with a country: the country decided in the ladder (CS finds only the composite, CZ only
 *     today's unit); the note mentions the other;
 *   - else with a year (the query's, else opts->year): the composite if it was valid that year,
 *     else today's unit; the note says which and why;
 *   - else AMBIGUOUS, with both as candidates: never chosen silently.
 * Codes and user aliases are explicit and are never second-guessed this way.
 *
 * Threads: pm_join_run only reads geo (and fills geo's caches under its lock), so several runs may
 * share one geo.
 */
#ifndef PM_JOIN_H
#define PM_JOIN_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_geo.h"

typedef struct pm_place_query {
    const char *name;    /* as written in the ties table; not NULL */
    const char *country; /* ISO alpha-2/alpha-3, SU/CS/YU/DD, or a country name; NULL = none */
    int year;            /* the time the place is meant at (see "Historical names"); 0 = none */
} pm_place_query_t;

typedef enum {
    PM_MATCH_CODE = 0,
    PM_MATCH_NAME,
    PM_MATCH_NORMALISED,
    PM_MATCH_ALIAS,
    PM_MATCH_COMPOSITE, /* the unit is a composite (however it was found: the note says) */
    PM_MATCH_POINT,     /* the unit is a point of the places file */
    PM_MATCH_AMBIGUOUS,
    PM_MATCH_UNMATCHED,
    PM_MATCH_CITY /* a city of the gazetteer (pm_gazetteer.h): the unit is a point added for it */
} pm_match_kind_t;

#define PM_MATCH_NKINDS 9
#define PM_JOIN_NO_UNIT ((size_t)-1)

/* "code", "name", "normalised", "alias", "composite", "point", "ambiguous", "unmatched",
 * "city". */
const char *pm_match_kind_name(pm_match_kind_t k);

typedef struct pm_join_cand {
    size_t unit;
    double score;                      /* suggestions: similarity in [0, 1]; candidates: 1 */
    const char *text;                  /* the name that matched or is suggested (lent from geo) */
    const char *code, *name, *country; /* the unit's, lent from geo (may be NULL) */
} pm_join_cand_t;

typedef struct pm_join_match {
    char *query, *query_country; /* copies of the query (query_country NULL when none) */
    pm_match_kind_t kind;
    size_t unit; /* PM_JOIN_NO_UNIT when ambiguous or unmatched */
    /* the unit's code, names and country, lent from geo (NULL when no unit or no value) */
    const char *code, *name, *name_en, *name_ru, *name_local, *country;
    double lon, lat;      /* the anchor (opts->anchor); NAN when no unit */
    const char *matched;  /* the text of geo that matched (lent), NULL when none */
    char *via;            /* what matched: a field ("name_ru"), "aliases.csv:14",
                             "composites", "places"; NULL when none */
    char *note;           /* for the person reading the report; NULL when nothing to say */
    const char *approx;   /* found by an alias whose unit only stands in for the one named (a
                             GDR Bezirk drawn as its Land): how it differs, lent; else NULL */
    pm_join_cand_t *cand; /* ambiguous: the candidates; unmatched: suggestions, best first */
    size_t n_cand;
} pm_join_match_t;

typedef struct pm_join_result {
    size_t n;           /* = the number of queries */
    pm_join_match_t *m; /* m[i] answers query i */
    size_t count[PM_MATCH_NKINDS];
    pm_anchor_t anchor;
} pm_join_result_t;

typedef struct pm_join_opts {
    const char *country; /* restriction for queries without a country of their own; NULL none */
    int year;            /* the dataset's period, for queries without a year; 0 = none */
    pm_anchor_t anchor;  /* PM_ANCHOR_LABEL by default */
    size_t n_suggest;    /* suggestions for an unmatched place; 0 = 3 */
} pm_join_opts_t;

void pm_join_opts_init(pm_join_opts_t *opts);
/* Sets m's code, names and country to unit u's (lent from the geo, as the join's are). */
void pm_join_match_names(pm_join_match_t *m, const pm_geo_unit_t *u);
void pm_join_result_init(pm_join_result_t *r);
/* Frees everything in r and leaves it initialised (empty). NULL is allowed. */
void pm_join_result_destroy(pm_join_result_t *r);

/* Matches the n queries q[] to units of geo (see the file comment). opts may be NULL. out must be
 * initialised; it is filled on success (left empty on failure). Unmatched and ambiguous places
 * are results, not failures: see pm_join_check. Identical queries are matched once.
 * Errors: PM_EUSAGE (opts->country unknown), PM_EDATA (a name or a country not valid UTF-8,
 * whatever the country), PM_EIO (geometry
 * unreadable while computing an anchor), PM_ENOMEM. diag (may be NULL) gets warnings (e.g. a
 * query's country that is unknown: that place is left unmatched).
 * Cost: O(n) hash lookups; an unmatched place also scans the key index for suggestions (about
 * 1 ms on the default data). A name or country that is not UTF-8 fails the whole call. */
pm_status_t pm_join_run(const pm_geo_t *geo, const pm_join_opts_t *opts, const pm_place_query_t *q,
                        size_t n, pm_join_result_t *out, pm_diag_t *diag, pm_error_t *err);

/* PM_OK when every place matched one unit; else PM_EJOIN with a one-line summary naming up to a
 * few places ("2 places not matched: 'Sverdlovskaja obl.' (did you mean 'Sverdlovsk'?), 'X'"). */
pm_status_t pm_join_check(const pm_join_result_t *r, pm_error_t *err);

/* The places of r found through an approximation (pm_join_match_t.approx): returns their number;
 * when b is not NULL, appends up to max of them ("'Bezirk Rostock' as Mecklenburg-Vorpommern"),
 * separated by ", ", then ", and N more" when there are more. */
size_t pm_join_approx_list(const pm_join_result_t *r, size_t max, pm_buf_t *b);

typedef enum {
    PM_JOIN_REPORT_TEXT = 0, /* an aligned table for a terminal, then a summary line */
    PM_JOIN_REPORT_CSV,      /* RFC 4180, header line, one row per place */
    PM_JOIN_REPORT_JSON      /* {"anchor":..., "summary":{...}, "places":[{...}, ...]} */
} pm_join_format_t;

/* Appends the join report of r to out in format fmt. Columns: place, country given, how, unit
 * code, unit name, country, note (text); CSV and JSON add name_en, name_ru, name_local, lon, lat,
 * matched, via and the candidates; JSON also approx (pm_join_match_t.approx, null when none). The
 * summary line (and JSON's summary) counts the approximated places when there are any.
 * Errors: PM_ENOMEM (out failed). */
pm_status_t pm_join_report(const pm_join_result_t *r, pm_join_format_t fmt, pm_buf_t *out,
                           pm_error_t *err);

/* Frees what joining holds for the whole process (the name normaliser's ICU transliterators).
 * Call once at exit, before pm_runtime_teardown, when no other thread joins. */
void pm_join_cleanup(void);

#endif
