/*
 * fuzz_gazetteer: the city matcher (pm_gaz_match) on the fixture gazetteer
 * (tests/data/join/cities.tsv) and the embedded world.gpkg: bytes -> "name<TAB>country<TAB>region".
 *
 * Checks what pm_gazetteer.h promises: a name that is not UTF-8 is PM_EDATA and nothing else
 * fails; a match names a row of the gazetteer, an ambiguous place has at least two candidates, an
 * unmatched one at most five suggestions, every candidate is a row, a note is valid UTF-8; a
 * matched city with a country column lies in that country (never a silent match across a
 * border); the same query answers the same twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_gazetteer.h"

static pm_gaz_t *gaz;
static pm_geo_t *geo;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    pm_error_t err;
    if (pm_gaz_open(PM_TEST_DATA "/join/cities.tsv", &gaz, &err) != PM_OK ||
        pm_geo_open(NULL, &geo, &err) != PM_OK) {
        fprintf(stderr, "fuzz_gazetteer: cannot open the fixtures: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    char *s = fuzz_strndup(data, size);
    if (!s)
        return 0;
    char *country = strchr(s, '\t'), *region = NULL;
    if (country) {
        *country++ = '\0';
        region = strchr(country, '\t');
        if (region)
            *region++ = '\0';
    }
    pm_gaz_query_t q = {s, country, region};
    pm_gaz_match_t m, again;
    pm_error_t err;
    pm_status_t st = pm_gaz_match(gaz, geo, &q, &m, &err);
    int valid = fuzz_valid_utf8(s) && (!country || fuzz_valid_utf8(country)) &&
                (!region || fuzz_valid_utf8(region));
    if (st != PM_OK) {
        FUZZ_ASSERT(st == PM_EDATA && !valid);
        free(s);
        return 0;
    }
    FUZZ_ASSERT(fuzz_valid_utf8(s));
    size_t n = pm_gaz_count(gaz);
    for (size_t i = 0; i < m.n_cand; i++)
        FUZZ_ASSERT(m.cand[i] < n);
    FUZZ_ASSERT(!m.note || fuzz_valid_utf8(m.note));
    switch (m.result) {
    case PM_GAZ_MATCHED: {
        FUZZ_ASSERT(m.row < n);
        FUZZ_ASSERT(m.matched != NULL);
        char code[3];
        if (country && *country && pm_geo_country_resolve(geo, country, code) &&
            !pm_geo_country_successors(code)) {
            pm_gaz_city_t c;
            pm_gaz_city(gaz, m.row, &c);
            FUZZ_ASSERT(!strcmp(c.country, code) ||
                        (m.unit != PM_GAZ_NO_UNIT && pm_geo_unit_in_country(geo, m.unit, code)));
        }
        break;
    }
    case PM_GAZ_AMBIGUOUS:
        FUZZ_ASSERT(m.n_cand >= 2);
        break;
    case PM_GAZ_UNMATCHED:
        FUZZ_ASSERT(m.n_cand <= 5);
        break;
    default:
        FUZZ_ASSERT(!"a result of the three");
    }
    FUZZ_ASSERT(pm_gaz_match(gaz, geo, &q, &again, &err) == PM_OK);
    FUZZ_ASSERT(again.result == m.result && (m.result != PM_GAZ_MATCHED || again.row == m.row));
    pm_gaz_match_destroy(&again);
    pm_gaz_match_destroy(&m);
    free(s);
    return 0;
}
