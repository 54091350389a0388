/*
 * pm_gazmatch: matching a city name to the gazetteer: candidates by key, then the row's country,
 * its region, exact text and population (the rule is in pm_gazetteer.h). Never by similarity:
 * similar keys are only suggestions.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_gazetteer.h"
#include "pm_join.h"
#include "pm_norm.h"
#include "pm_utf8.h"

#define MAX_CAND 256 /* candidates looked at for one key ("Alexandrovka": about 150) */
#define MAX_LISTED 12

typedef struct cands {
    uint32_t row[MAX_CAND];
    size_t unit[MAX_CAND];
    size_t n;
} cands_t;

static pm_status_t nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

void pm_gaz_match_destroy(pm_gaz_match_t *m)
{
    if (!m)
        return;
    free(m->cand);
    free(m->note);
    memset(m, 0, sizeof *m);
}

/* The candidates of key (units resolved). */
static void lookup(const pm_gaz_t *gaz, const pm_geo_t *geo, const char *key, cands_t *c)
{
    size_t n = *key ? pm_gaz_lookup(gaz, key, c->row, MAX_CAND) : 0;
    c->n = n < MAX_CAND ? n : MAX_CAND;
    for (size_t i = 0; i < c->n; i++)
        c->unit[i] = pm_gaz_unit(gaz, geo, c->row[i]);
}

static void keep(cands_t *c, const unsigned char *ok)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        if (ok[i]) {
            c->row[k] = c->row[i];
            c->unit[k++] = c->unit[i];
        }
    c->n = k;
}

/* 1 when unit u is comp or one of its members. */
static int in_unit(const pm_geo_t *geo, size_t u, size_t comp)
{
    if (u == PM_GAZ_NO_UNIT)
        return 0;
    if (u == comp)
        return 1;
    const pm_geo_unit_t *cu = pm_geo_unit(geo, comp);
    if (cu->kind != PM_UNIT_COMPOSITE || cu->member_layer)
        return 0;
    for (size_t i = 0; i < cu->n_members; i++)
        if (cu->members[i] == u)
            return 1;
    return 0;
}

/* The composite with code (a historical country: DD), or PM_GAZ_NO_UNIT. */
static size_t composite(const pm_geo_t *geo, const char *code)
{
    char low[8];
    size_t k = 0;
    for (; code[k] && k < sizeof low - 1; k++)
        low[k] = (char)(code[k] >= 'A' && code[k] <= 'Z' ? code[k] + 32 : code[k]);
    low[k] = 0;
    const pm_geo_hit_t *h[4];
    size_t n = pm_geo_lookup_src(geo, PM_GEO_EXACT, low, 1u << PM_GEO_SRC_COMPOSITE_CODE, h, 4);
    return n ? h[0]->unit : PM_GAZ_NO_UNIT;
}

/* 1 when the city (row, unit) lies in country code (alpha-2, or historical). */
static int in_country(const pm_gaz_t *gaz, const pm_geo_t *geo, uint32_t row, size_t unit,
                      const char *code)
{
    pm_gaz_city_t c;
    pm_gaz_city(gaz, row, &c);
    if (!strcmp(code, "DD")) { /* the GDR's territory, not all of Germany */
        size_t dd = composite(geo, "DD");
        return dd != PM_GAZ_NO_UNIT && in_unit(geo, unit, dd);
    }
    const char *succ = pm_geo_country_successors(code);
    const char *list = succ ? succ : code;
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char one[3] = {0};
        if (n == 2) {
            memcpy(one, p, 2);
            if (!strcmp(c.country, one) ||
                (unit != PM_GAZ_NO_UNIT && pm_geo_unit_in_country(geo, unit, one)))
                return 1;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* 1 when fold (a folded name) is one of the row's names, exactly. */
static int exact(const pm_gaz_t *gaz, uint32_t row, const char *fold, const char **which)
{
    pm_gaz_city_t c;
    pm_gaz_city(gaz, row, &c);
    const char *f[3] = {c.name, c.ascii, c.alternates};
    for (int k = 0; k < 3; k++) {
        const char *p = f[k];
        while (*p) {
            const char *e = k == 2 ? strchr(p, ',') : NULL;
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char *one = strndup(p, n), *fo = NULL;
            int same = 0;
            if (one && pm_norm_fold(one, &fo, NULL) == PM_OK)
                same = !strcmp(fo, fold);
            free(fo);
            free(one);
            if (same) {
                *which = p;
                return 1;
            }
            p += n;
            if (*p == ',')
                p++;
        }
    }
    return 0;
}

static int cmp_pop_desc(const pm_gaz_t *gaz, uint32_t a, uint32_t b)
{
    pm_gaz_city_t x, y;
    pm_gaz_city(gaz, a, &x);
    pm_gaz_city(gaz, b, &y);
    return x.population < y.population ? 1 : x.population > y.population ? -1 : (a > b) - (a < b);
}

/* Sorts c by population, largest first (insertion sort: a few hundred at most). */
static void sort_pop(const pm_gaz_t *gaz, cands_t *c)
{
    for (size_t i = 1; i < c->n; i++)
        for (size_t j = i; j > 0 && cmp_pop_desc(gaz, c->row[j - 1], c->row[j]) > 0; j--) {
            uint32_t r = c->row[j];
            size_t u = c->unit[j];
            c->row[j] = c->row[j - 1];
            c->unit[j] = c->unit[j - 1];
            c->row[j - 1] = r;
            c->unit[j - 1] = u;
        }
}

static pm_status_t set_cand(pm_gaz_match_t *m, const cands_t *c, size_t max, pm_error_t *err)
{
    size_t n = c->n < max ? c->n : max;
    free(m->cand);
    m->cand = NULL;
    m->n_cand = 0;
    if (!n)
        return PM_OK;
    if (!(m->cand = malloc(n * sizeof *m->cand)))
        return nomem(err);
    memcpy(m->cand, c->row, n * sizeof *m->cand);
    m->n_cand = n;
    return PM_OK;
}

static void list(const pm_gaz_t *gaz, const pm_geo_t *geo, const cands_t *c, size_t from,
                 pm_buf_t *b)
{
    for (size_t i = from; i < c->n && i < from + MAX_LISTED; i++) {
        pm_buf_puts(b, i > from ? "; " : "");
        pm_gaz_describe(gaz, geo, c->row[i], b);
    }
    if (c->n > from + MAX_LISTED)
        pm_buf_printf(b, "; and %zu more", c->n - from - MAX_LISTED);
}

/* Suggestions for a key that names nothing: the neighbours of its place in the sorted index
 * that are similar enough (a cheap stand-in for scanning 450,000 keys). */
static void suggest(const pm_gaz_t *gaz, const pm_geo_t *geo, const char *key, cands_t *c);

/* Two scripts or two names in one cell: its parts ("Brno / Брно", "Brno Брно"). Returns the
 * number of parts (0 when the name has one), each a new string in parts[]. */
static size_t split_parts(const char *name, char **parts, size_t max)
{
    size_t n = 0;
    const char *p = name;
    int seps = strpbrk(name, "/;|()") != NULL;
    if (seps) {
        while (*p && n < max) {
            size_t k = strcspn(p, "/;|()");
            while (k && (*p == ' '))
                p++, k--;
            size_t e = k;
            while (e && p[e - 1] == ' ')
                e--;
            if (e && (parts[n] = strndup(p, e)))
                n++;
            p += k;
            if (*p)
                p++;
        }
        return n >= 2 ? n : (n ? (free(parts[0]), 0) : 0);
    }
    /* no separator: runs of Latin and of Cyrillic words */
    int prev = -1;
    const char *start = name;
    for (const unsigned char *s = (const unsigned char *)name;; s++) {
        int script = !*s                                                      ? -2
                     : (*s == 0xD0 || *s == 0xD1 || *s == 0xD2 || *s == 0xD3) ? 1
                     : ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')             ? 0
                                                                              : -1;
        if (script == -1)
            continue;
        if (prev >= 0 && script != prev && n < max) {
            const char *e = (const char *)s;
            while (e > start && (e[-1] == ' ' || e[-1] == ','))
                e--;
            if (e > start && (parts[n] = strndup(start, (size_t)(e - start))))
                n++;
            start = (const char *)s;
        }
        if (script == -2)
            break;
        prev = script;
    }
    if (n < 2) {
        for (size_t i = 0; i < n; i++)
            free(parts[i]);
        return 0;
    }
    return n;
}

static pm_status_t match_one(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_gaz_query_t *q,
                             int depth, pm_gaz_match_t *m, pm_error_t *err);

/* 1 when s is a GeoNames id (digits only). */
static int is_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Adds row r (unit resolved) to c unless it is there. */
static void add_row(const pm_gaz_t *gaz, const pm_geo_t *geo, cands_t *c, uint32_t r)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->row[i] == r)
            return;
    if (c->n < MAX_CAND) {
        c->row[c->n] = r;
        c->unit[c->n++] = pm_gaz_unit(gaz, geo, r);
    }
}

/* The rows alias a leads to, added to c: the row with its GeoNames id, or the rows bearing its
 * name (by key) in its country (all of them: the query's columns and population then decide).
 * Returns how many it found. */
static size_t alias_rows(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_geo_alias_t *a,
                         cands_t *c)
{
    size_t found = 0;
    if (is_id(a->target_code)) {
        for (size_t i = 0, n = pm_gaz_count(gaz); i < n; i++) {
            pm_gaz_city_t city;
            pm_gaz_city(gaz, i, &city);
            if (!strcmp(city.id, a->target_code)) {
                add_row(gaz, geo, c, (uint32_t)i);
                return 1;
            }
        }
        return 0;
    }
    char *key = NULL, code[3] = "";
    if (pm_norm_key(a->target_code, &key, NULL) != PM_OK || !*key) {
        free(key);
        return 0;
    }
    int has_country = a->country && *a->country && pm_geo_country_resolve(geo, a->country, code);
    cands_t *t = calloc(1, sizeof *t);
    if (t) {
        lookup(gaz, geo, key, t);
        for (size_t i = 0; i < t->n; i++)
            if (!has_country || in_country(gaz, geo, t->row[i], t->unit[i], code)) {
                add_row(gaz, geo, c, t->row[i]);
                found++;
            }
    }
    free(t);
    free(key);
    return found;
}

/* The alias rows naming a city (pm_geo_city_aliases) whose key is key: the user's rows when there
 * are any (their word wins: c holds only their cities), else the curated rows' cities are added
 * to c. *by gets the first row that answered (for the note), *bad one that led nowhere. */
static void city_aliases(const pm_gaz_t *gaz, const pm_geo_t *geo, const char *key, cands_t *c,
                         const pm_geo_alias_t **by, const pm_geo_alias_t **bad, int *user)
{
    size_t n = 0;
    const pm_geo_alias_t *a = pm_geo_city_aliases(geo, &n);
    *by = *bad = NULL;
    *user = 0;
    for (int pass = 1; pass >= 0; pass--) {
        for (size_t i = 0; i < n; i++) {
            if (a[i].user != pass || strcmp(a[i].key, key))
                continue;
            if (pass && !*user) { /* the user's rows replace every other candidate */
                c->n = 0;
                *user = 1;
            }
            if (alias_rows(gaz, geo, &a[i], c)) {
                if (!*by)
                    *by = &a[i];
            } else if (!*bad)
                *bad = &a[i];
        }
        if (*user)
            return;
    }
}

/* The name in parts: a match when every part that names a city names the same one. */
static pm_status_t match_parts(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_gaz_query_t *q,
                               char **parts, size_t n, pm_gaz_match_t *m, int *done,
                               pm_error_t *err)
{
    uint32_t row = 0, rows[8];
    size_t found = 0, conflict = 0;
    pm_gaz_match_t one = {0}, first = {0};
    pm_status_t rc = PM_OK;
    *done = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        pm_gaz_query_t pq = *q;
        pq.name = parts[i];
        if ((rc = match_one(gaz, geo, &pq, 1, &one, err)))
            break;
        if (one.result == PM_GAZ_MATCHED) {
            if (found && one.row != row)
                conflict = 1;
            if (found < 8)
                rows[found] = one.row;
            if (!found) {
                first = one;
                memset(&one, 0, sizeof one);
            }
            row = first.row;
            found++;
        }
        pm_gaz_match_destroy(&one);
    }
    if (!rc && found && !conflict) {
        pm_buf_t b;
        pm_buf_init(&b);
        pm_buf_printf(&b, "the cell holds %zu names; %s named this city", n,
                      found == n ? "each" : "only one part");
        if (first.note)
            pm_buf_printf(&b, "; %s", first.note);
        free(first.note);
        first.note = pm_buf_take(&b);
        if (!first.note)
            rc = nomem(err);
        else {
            pm_gaz_match_destroy(m);
            *m = first;
            memset(&first, 0, sizeof first);
            *done = 1;
        }
    } else if (!rc && conflict) {
        pm_gaz_match_destroy(m);
        m->result = PM_GAZ_AMBIGUOUS;
        m->unit = PM_GAZ_NO_UNIT;
        size_t nc = found < 8 ? found : 8;
        if (!(m->note = strdup("the cell holds names of different cities; write one name per "
                               "cell")) ||
            !(m->cand = malloc(nc * sizeof *m->cand)))
            rc = nomem(err);
        else {
            memcpy(m->cand, rows, nc * sizeof *m->cand);
            m->n_cand = nc;
        }
        *done = 1;
    }
    pm_gaz_match_destroy(&first);
    return rc;
}

static pm_status_t match_one(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_gaz_query_t *q,
                             int depth, pm_gaz_match_t *m, pm_error_t *err)
{
    memset(m, 0, sizeof *m);
    m->result = PM_GAZ_UNMATCHED;
    m->unit = PM_GAZ_NO_UNIT;
    char *key = NULL, *fold = NULL;
    pm_buf_t note;
    pm_buf_init(&note);
    cands_t *c = calloc(2, sizeof *c);
    pm_join_result_t rr;
    pm_join_result_init(&rr);
    pm_status_t rc = PM_OK;
    if (!c) {
        rc = nomem(err);
        goto cleanup;
    }
    if ((rc = pm_norm_key(q->name, &key, err)) || (rc = pm_norm_fold(q->name, &fold, err)))
        goto cleanup;
    if (!*key) {
        pm_buf_puts(&note, *q->name ? "the name has no letters" : "the name is empty");
        goto cleanup;
    }
    lookup(gaz, geo, key, c);
    const pm_geo_alias_t *by_alias = NULL, *bad_alias = NULL;
    int user_alias = 0;
    size_t n0 = c->n, n_arows = 0;
    uint32_t arows[16]; /* the rows that only an alias brought */
    city_aliases(gaz, geo, key, c, &by_alias, &bad_alias, &user_alias);
    for (size_t i = user_alias ? 0 : n0; i < c->n && n_arows < 16; i++)
        arows[n_arows++] = c->row[i];
    if (user_alias && !by_alias) { /* the user's word, which leads nowhere: never guessed past */
        pm_buf_printf(&note,
                      "your alias '%s' (%s:%ld) leads to '%s', which is no city of the gazetteer "
                      "(write a GeoNames id, or a name with the country column)",
                      bad_alias->alias, bad_alias->file, bad_alias->line, bad_alias->target_code);
        c->n = 0;
        goto cleanup;
    }
    if (bad_alias && !user_alias)
        pm_buf_printf(&note, "%salias '%s' (%s:%ld) leads to no city of the gazetteer (not used)",
                      note.len ? "; " : "", bad_alias->alias, bad_alias->file, bad_alias->line);
    if (!c->n) { /* without the text in parentheses */
        char *k2 = NULL;
        if ((rc = pm_norm_key_ex(q->name, PM_NORM_DROP_PARENS, &k2, NULL, err)))
            goto cleanup;
        if (*k2 && strcmp(k2, key)) {
            lookup(gaz, geo, k2, c);
            if (c->n)
                pm_buf_puts(&note, "found without the text in parentheses");
        }
        free(k2);
    }
    if (!c->n && !depth) { /* two names in one cell */
        char *parts[8];
        size_t np = split_parts(q->name, parts, 8);
        int done = 0;
        if (np)
            rc = match_parts(gaz, geo, q, parts, np, m, &done, err);
        for (size_t i = 0; i < np; i++)
            free(parts[i]);
        if (rc || done)
            goto cleanup_keep;
    }
    if (!c->n) {
        suggest(gaz, geo, key, c);
        char code[3];
        if (q->country && *q->country && pm_geo_country_resolve(geo, q->country, code)) {
            /* a suggestion never crosses the row's border */
            unsigned char ok[MAX_CAND];
            for (size_t i = 0; i < c->n; i++)
                ok[i] = (unsigned char)in_country(gaz, geo, c->row[i], c->unit[i], code);
            keep(c, ok);
        }
        if ((rc = set_cand(m, c, 5, err)))
            goto cleanup;
        pm_buf_puts(&note, "no city of that name in the gazetteer");
        goto cleanup;
    }
    /* the country */
    if (q->country && *q->country) {
        char code[3];
        if (!pm_geo_country_resolve(geo, q->country, code)) {
            pm_buf_printf(&note, "unknown country '%s'", q->country);
            goto cleanup;
        }
        unsigned char ok[MAX_CAND];
        size_t before = c->n;
        for (size_t i = 0; i < c->n; i++)
            ok[i] = (unsigned char)in_country(gaz, geo, c->row[i], c->unit[i], code);
        cands_t all = *c;
        keep(c, ok);
        if (!c->n) {
            sort_pop(gaz, &all);
            pm_buf_printf(&note, "no city of that name in %s%s; %zu elsewhere: ", code,
                          !strcmp(code, "DD") ? " (the former GDR's territory)" : "", before);
            list(gaz, geo, &all, 0, &note);
            if ((rc = set_cand(m, &all, 5, err)))
                goto cleanup;
            goto cleanup;
        }
    }
    /* the region */
    if (q->region && *q->region) {
        pm_place_query_t rq = {q->region, q->country && *q->country ? q->country : NULL, 0};
        if ((rc = pm_join_run(geo, NULL, &rq, 1, &rr, NULL, err)))
            goto cleanup;
        size_t ru = rr.m[0].unit, with_unit = 0;
        for (size_t i = 0; i < c->n; i++)
            with_unit += c->unit[i] != PM_GAZ_NO_UNIT;
        if (ru != PM_JOIN_NO_UNIT && !with_unit) {
            /* a user's geometry (--geo) knows none of the gazetteer's units: the region cannot
             * be checked, and is not taken for a contradiction */
            pm_buf_printf(&note,
                          "%sregion '%s' not checked (the geometry has no unit of the "
                          "gazetteer's cities)",
                          note.len ? "; " : "", q->region);
        } else if (ru == PM_JOIN_NO_UNIT) {
            pm_buf_printf(&note, "%sregion '%s' not recognised (not used)", note.len ? "; " : "",
                          q->region);
        } else {
            unsigned char ok[MAX_CAND];
            for (size_t i = 0; i < c->n; i++)
                ok[i] = (unsigned char)in_unit(geo, c->unit[i], ru);
            cands_t all = *c;
            keep(c, ok);
            if (!c->n) {
                sort_pop(gaz, &all);
                const pm_geo_unit_t *r = pm_geo_unit(geo, ru);
                pm_buf_printf(&note,
                              "the region column says '%s' (%s), but no city of that name lies "
                              "there: ",
                              q->region, r->name ? r->name : r->code);
                list(gaz, geo, &all, 0, &note);
                if ((rc = set_cand(m, &all, 5, err)))
                    goto cleanup;
                goto cleanup;
            }
        }
    }
    const char *which = NULL;
    sort_pop(gaz, c);
    pm_gaz_city_t top, next;
    pm_gaz_city(gaz, c->row[0], &top);
    if (c->n >= 2)
        pm_gaz_city(gaz, c->row[1], &next);
    if (c->n == 1 || (top.population > 0 && top.population >= PM_GAZ_DOMINANCE * next.population)) {
        m->result = PM_GAZ_MATCHED;
        m->row = c->row[0];
        m->unit = c->unit[0];
        m->matched = exact(gaz, c->row[0], fold, &which) ? which : top.name;
        for (size_t i = 0; by_alias && i < n_arows; i++)
            if (arows[i] == c->row[0]) {
                pm_buf_printf(&note, "%s%s '%s' (%s:%ld)", note.len ? "; " : "",
                              user_alias ? "your alias" : "alias", by_alias->alias, by_alias->file,
                              by_alias->line);
                m->matched = by_alias->alias;
                break;
            }
        if (c->n >= 2) {
            m->by_population = 1;
            pm_buf_printf(&note,
                          "%schosen by population (%.0f, over %.0f times the next) over %zu "
                          "other place%s of that name: ",
                          note.len ? "; " : "", top.population, PM_GAZ_DOMINANCE, c->n - 1,
                          c->n == 2 ? "" : "s");
            list(gaz, geo, c, 1, &note);
            if ((rc = set_cand(m, c, MAX_LISTED, err)))
                goto cleanup;
        }
    } else {
        m->result = PM_GAZ_AMBIGUOUS;
        pm_buf_printf(&note, "%s%zu cities of that name%s: ", note.len ? "; " : "", c->n,
                      q->country && *q->country ? " in that country" : "");
        list(gaz, geo, c, 0, &note);
        pm_buf_puts(&note, "; give the country or region column, or an alias");
        if ((rc = set_cand(m, c, MAX_LISTED, err)))
            goto cleanup;
    }
cleanup:
    if (!rc && note.len && !(m->note = pm_buf_take(&note)))
        rc = nomem(err);
cleanup_keep:
    pm_buf_destroy(&note);
    pm_join_result_destroy(&rr);
    free(c);
    free(key);
    free(fold);
    if (rc)
        pm_gaz_match_destroy(m);
    return rc;
}

pm_status_t pm_gaz_match(const pm_gaz_t *gaz, const pm_geo_t *geo, const pm_gaz_query_t *q,
                         pm_gaz_match_t *out, pm_error_t *err)
{
    /* the country and region reach the notes of the join report: they must be text too */
    const char *cols[2] = {q->country, q->region}, *what[2] = {"country", "region"};
    for (int i = 0; i < 2; i++) {
        size_t at = cols[i] ? pm_utf8_invalid_at(cols[i], strlen(cols[i])) : (size_t)-1;
        if (at != (size_t)-1) {
            memset(out, 0, sizeof *out);
            return pm_error_set(
                err, PM_EDATA,
                "the %s of '%s' is not UTF-8 text (byte %zu): save the table as "
                "UTF-8",
                what[i], pm_utf8_invalid_at(q->name, strlen(q->name)) == (size_t)-1 ? q->name : "?",
                at + 1);
        }
    }
    return match_one(gaz, geo, q, 0, out, err);
}

static void suggest(const pm_gaz_t *gaz, const pm_geo_t *geo, const char *key, cands_t *c)
{
    c->n = 0;
    size_t nk;
    const char *const *keys = pm_gaz_keys(gaz, &nk);
    size_t at = pm_gaz_key_bound(gaz, key);
    size_t lo = at > 4 ? at - 4 : 0, hi = at + 4 < nk ? at + 4 : nk;
    for (size_t i = lo; i < hi && c->n < 5; i++) {
        const char *k = keys[i];
        if (pm_norm_similarity(k, key) < 0.75)
            continue;
        uint32_t r[1];
        if (pm_gaz_lookup(gaz, k, r, 1)) {
            c->row[c->n] = r[0];
            c->unit[c->n++] = pm_gaz_unit(gaz, geo, r[0]);
        }
    }
}
