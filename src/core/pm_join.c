/*
 * pm_join: the matching ladder and the join report (see pm_join.h for the rules).
 *
 * A query is folded (pm_norm_fold) and keyed (pm_norm_key_ex) once; each rung of the ladder is a
 * set of index sources (pm_geo_src_t) looked up in the exact index, then in the key index. The
 * candidates of a rung are the distinct units of its hits that pass the country filter. The first
 * rung with candidates decides: one unit is a match, several are ambiguous (after the region/city
 * tie-break). Identical queries are matched once and copied.
 */
#include "pm_join.h"

#include "pm_norm.h"
#include "pm_report.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define MAX_HITS 256
#define MAX_CAND 32

typedef struct accept {
    const char *codes[24];
    size_t n; /* 0 = any country */
} accept_t;

typedef struct found {
    size_t unit[MAX_CAND];
    const pm_geo_hit_t *hit[MAX_CAND];
    size_t n;
} found_t;

enum rung {
    RUNG_USER_ALIAS,
    RUNG_CODE,
    RUNG_POINT,
    RUNG_NAME,
    RUNG_NORMALISED,
    RUNG_ALIAS,
    RUNG_ALT,
    RUNG_COMPOSITE,
    N_RUNGS
};

/* The ladder: each step is a set of index sources and an index (exact text or key); the rung of a
 * match is that of the source of the hit taken (hit_rung). Exact text comes before keys: names,
 * then curated aliases by exact text (a curated alias is never shadowed by a key), then names and
 * curated aliases by key together (so "г. Ленинград" sees both the oblast, by name, and the city,
 * by alias, and the city word decides), then the weaker sources (alternative names, composites) by
 * exact text, then by key. */
#define SRC(s) (1u << PM_GEO_SRC_##s)
static const struct {
    unsigned srcs;
    int exact;
} steps[] = {
    {SRC(USER_ALIAS), 1},
    {SRC(USER_ALIAS), 0},
    {SRC(CODE) | SRC(COMPOSITE_CODE), 1},
    {SRC(POINT), 1},
    {SRC(POINT), 0},
    {SRC(NAME), 1},
    {SRC(ALIAS), 1},
    {SRC(NAME) | SRC(ALIAS), 0},
    {SRC(ALT), 1},
    {SRC(COMPOSITE), 1},
    {SRC(ALT), 0},
    {SRC(COMPOSITE), 0},
};

/* The rung a hit of source src belongs to. */
static enum rung hit_rung(unsigned src, int exact)
{
    switch (src) {
    case PM_GEO_SRC_USER_ALIAS:
        return RUNG_USER_ALIAS;
    case PM_GEO_SRC_CODE:
    case PM_GEO_SRC_COMPOSITE_CODE:
        return RUNG_CODE;
    case PM_GEO_SRC_POINT:
        return RUNG_POINT;
    case PM_GEO_SRC_NAME:
        return exact ? RUNG_NAME : RUNG_NORMALISED;
    case PM_GEO_SRC_ALIAS:
        return RUNG_ALIAS;
    case PM_GEO_SRC_ALT:
        return RUNG_ALT;
    default:
        return RUNG_COMPOSITE;
    }
}

typedef struct query {
    char *fold, *key;
    pm_norm_kind_t kind;
} query_t;

const char *pm_match_kind_name(pm_match_kind_t k)
{
    static const char *const names[PM_MATCH_NKINDS] = {"code",      "name",      "normalised",
                                                       "alias",     "composite", "point",
                                                       "ambiguous", "unmatched", "city"};
    return (unsigned)k < PM_MATCH_NKINDS ? names[k] : "unknown";
}

void pm_join_opts_init(pm_join_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->anchor = PM_ANCHOR_LABEL;
}

void pm_join_match_names(pm_join_match_t *m, const pm_geo_unit_t *u)
{
    m->code = u->code;
    m->name = u->name;
    m->name_en = u->name_en;
    m->name_ru = u->name_ru;
    m->name_local = u->name_local;
    m->country = u->country;
}

void pm_join_result_init(pm_join_result_t *r)
{
    memset(r, 0, sizeof *r);
}

static void match_destroy(pm_join_match_t *m)
{
    free(m->query);
    free(m->query_country);
    free(m->via);
    free(m->note);
    free(m->cand);
}

void pm_join_result_destroy(pm_join_result_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        match_destroy(&r->m[i]);
    free(r->m);
    pm_join_result_init(r);
}

static pm_status_t nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

/* Appends "; "-separated printf text to *note. Returns -1 when out of memory. */
static int add_note(char **note, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The length of s[0..n) cut before a UTF-8 sequence that s[n] would split (s[n] readable). */
static size_t utf8_cut(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static int add_note(char **note, const char *fmt, ...)
{
    char buf[PM_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int full = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (full >= (int)sizeof buf) /* a long name was cut: never inside a character (the report is
                                    UTF-8), and say so */
        memcpy(buf + utf8_cut(buf, sizeof buf - 4), "...", 4);
    size_t old = *note ? strlen(*note) : 0, n = old + (old ? 2 : 0) + strlen(buf) + 1;
    char *s = realloc(*note, n);
    if (!s)
        return -1;
    if (old)
        memcpy(s + old, "; ", 2);
    memcpy(s + old + (old ? 2 : 0), buf, strlen(buf) + 1);
    *note = s;
    return 0;
}

/* ---- countries --------------------------------------------------------------------------------
 */

static void accept_add(accept_t *a, const char *code)
{
    if (a->n < sizeof a->codes / sizeof a->codes[0])
        a->codes[a->n++] = code;
}

/* The countries related to code, for the second pass (see pm_join.h). buf holds the codes. */
static void related(const char *code, accept_t *a, char buf[128])
{
    a->n = 0;
    const char *list = pm_geo_country_successors(code);
    if (!list)
        list = pm_geo_country_predecessors(code);
    if (!list)
        return;
    snprintf(buf, 128, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
        accept_add(a, t);
}

static int accepted(const pm_geo_t *geo, const accept_t *a, size_t unit)
{
    if (a->n == 0)
        return 1;
    for (size_t i = 0; i < a->n; i++)
        if (pm_geo_unit_in_country(geo, unit, a->codes[i]))
            return 1;
    return 0;
}

/* ---- one rung ---------------------------------------------------------------------------------
 */

/* 1 when hit h, found by key for a name that says neither city nor region, is a curated alias
 * that says region and only approximates its unit ("Katowice Voivodeship", "округ Потсдам"): the
 * bare name is the city (Katowice, Potsdam), not the historical region drawn as today's unit. */
static int bare_city_of_region(const pm_geo_t *geo, const pm_geo_hit_t *h, pm_norm_kind_t qkind)
{
    if (qkind != PM_NORM_KIND_NONE || h->src != PM_GEO_SRC_ALIAS || h->kind != PM_NORM_KIND_REGION)
        return 0;
    const pm_geo_alias_t *al = pm_geo_alias(geo, h->alias);
    return al && al->approx;
}

static void collect_k(const pm_geo_t *geo, pm_geo_index_t idx, const char *text, unsigned srcs,
                      const accept_t *a, pm_norm_kind_t qkind, found_t *f)
{
    if (!text || !*text)
        return;
    const pm_geo_hit_t *h[MAX_HITS];
    size_t n = pm_geo_lookup_src(geo, idx, text, srcs, h, MAX_HITS);
    if (n > MAX_HITS)
        n = MAX_HITS;
    for (size_t i = 0; i < n; i++) {
        if (!(srcs & (1u << h[i]->src)) || !accepted(geo, a, h[i]->unit))
            continue;
        if (idx == PM_GEO_KEY && bare_city_of_region(geo, h[i], qkind))
            continue;
        size_t k = 0;
        while (k < f->n && f->unit[k] != h[i]->unit)
            k++;
        if (k < f->n || f->n == MAX_CAND)
            continue;
        f->unit[f->n] = h[i]->unit;
        f->hit[f->n] = h[i];
        f->n++;
    }
}

/* collect_k without the bare-city rule (the callers that look for twins and shadows) */
static void collect(const pm_geo_t *geo, pm_geo_index_t idx, const char *text, unsigned srcs,
                    const accept_t *a, found_t *f)
{
    collect_k(geo, idx, text, srcs, a, PM_NORM_KIND_REGION, f);
}

/* What a unit is, city or region, for the city/region rule: a city when its type says so (type_en
 * City, Federal City, ...) or one of its names does ("City of Minsk", "Kiev City"); else a region
 * when one of its names says region ("Минская область"); else nothing said (Natural Earth's
 * "Tashkent" city unit, typed Region, named like the region). Natural Earth's types alone are not
 * enough: City of Minsk is typed Region, Minsk oblast Municipality. A few keys per call. */
static pm_norm_kind_t unit_kind(const pm_geo_t *geo, size_t unit)
{
    const pm_geo_unit_t *u = pm_geo_unit(geo, unit);
    if (u->kind == PM_UNIT_POINT || u->is_city)
        return PM_NORM_KIND_CITY;
    const char *names[] = {u->name, u->name_en, u->name_ru, u->name_local};
    pm_norm_kind_t k = PM_NORM_KIND_NONE;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *key = NULL;
        pm_norm_kind_t nk = PM_NORM_KIND_NONE;
        if (!names[i] || pm_norm_key_ex(names[i], 0, &key, &nk, NULL) != PM_OK)
            continue;
        free(key);
        if (nk == PM_NORM_KIND_CITY)
            return PM_NORM_KIND_CITY;
        if (nk == PM_NORM_KIND_REGION)
            k = PM_NORM_KIND_REGION;
    }
    return k;
}

/* Keeps the candidates whose kind agrees with what the name says (kind: city or region): those of
 * that kind; when there are none, those that say neither, if that leaves out some of the other
 * kind ("Tashkent city": the unit not named an oblast). */
static size_t by_kind(const pm_geo_t *geo, pm_norm_kind_t kind, const found_t *f, found_t *out)
{
    pm_norm_kind_t uk[MAX_CAND];
    for (size_t i = 0; i < f->n; i++)
        uk[i] = unit_kind(geo, f->unit[i]);
    for (int pass = 0; pass < 2; pass++) {
        out->n = 0;
        pm_norm_kind_t want = pass == 0 ? kind : PM_NORM_KIND_NONE;
        for (size_t i = 0; i < f->n; i++)
            if (uk[i] == want) {
                out->unit[out->n] = f->unit[i];
                out->hit[out->n++] = f->hit[i];
            }
        if (out->n > 0 && (pass == 1 ? out->n < f->n : 1))
            return out->n;
    }
    out->n = 0;
    return 0;
}

static pm_match_kind_t rung_kind(enum rung r, int exact)
{
    switch (r) {
    case RUNG_USER_ALIAS:
    case RUNG_ALIAS:
        return PM_MATCH_ALIAS;
    case RUNG_CODE:
        return PM_MATCH_CODE;
    case RUNG_POINT:
        return PM_MATCH_POINT;
    case RUNG_NAME:
        return PM_MATCH_NAME;
    case RUNG_ALT:
        return exact ? PM_MATCH_NAME : PM_MATCH_NORMALISED;
    case RUNG_COMPOSITE:
        return PM_MATCH_COMPOSITE;
    default:
        return PM_MATCH_NORMALISED;
    }
}

static const char *rung_words(enum rung r, int exact)
{
    switch (r) {
    case RUNG_USER_ALIAS:
        return exact ? "user alias" : "user alias (normalised)";
    case RUNG_CODE:
        return "code";
    case RUNG_POINT:
        return exact ? "place name" : "place name (normalised)";
    case RUNG_NAME:
        return "name";
    case RUNG_NORMALISED:
        return "normalised name";
    case RUNG_ALIAS:
        return exact ? "alias" : "alias (normalised)";
    case RUNG_ALT:
        return exact ? "alternative name" : "alternative name (normalised)";
    default:
        return exact ? "name" : "normalised name";
    }
}

/* Fills m's unit fields from hit h found on rung r. */
static pm_status_t set_unit(const pm_geo_t *geo, const pm_geo_hit_t *h, enum rung r, int exact,
                            pm_join_match_t *m, pm_error_t *err)
{
    const pm_geo_unit_t *u = pm_geo_unit(geo, h->unit);
    m->unit = h->unit;
    m->kind = u->kind == PM_UNIT_COMPOSITE ? PM_MATCH_COMPOSITE
              : u->kind == PM_UNIT_POINT   ? PM_MATCH_POINT
                                           : rung_kind(r, exact);
    pm_join_match_names(m, u);
    m->matched = h->orig;
    char via[PM_ERROR_MSG_MAX];
    const pm_geo_alias_t *al = pm_geo_alias(geo, h->alias);
    if (al)
        snprintf(via, sizeof via, "%s:%ld", al->file, al->line);
    else if (h->src == PM_GEO_SRC_COMPOSITE || h->src == PM_GEO_SRC_COMPOSITE_CODE)
        snprintf(via, sizeof via, "composites%s",
                 h->src == PM_GEO_SRC_COMPOSITE_CODE ? " (code)" : "");
    else if (h->src == PM_GEO_SRC_POINT)
        snprintf(via, sizeof via, "places");
    else
        snprintf(via, sizeof via, "%s", pm_geo_field_name(geo, h->field));
    if (!(m->via = strdup(via)))
        return nomem(err);
    int bad = 0;
    if (al) {
        if (al->valid_from != PM_GEO_YEAR_NONE || al->valid_to != PM_GEO_YEAR_NONE) {
            char a[16] = "", b[16] = "";
            if (al->valid_from != PM_GEO_YEAR_NONE)
                snprintf(a, sizeof a, "%d", al->valid_from);
            if (al->valid_to != PM_GEO_YEAR_NONE)
                snprintf(b, sizeof b, "%d", al->valid_to);
            bad |= add_note(&m->note, "%s '%s', used %s-%s", rung_words(r, exact), al->alias, a, b);
        } else
            bad |= add_note(&m->note, "%s '%s'", rung_words(r, exact), al->alias);
        /* an alias that stands for a unit whose borders differed says so in its notes */
        if (al->approx) {
            int len = (int)strlen(al->approx);
            bad |= add_note(&m->note, "approximation: %.*s%s (%s:%ld)", len > 240 ? 240 : len,
                            al->approx, len > 240 ? "..." : "", al->file, al->line);
            m->approx = al->approx;
        }
    } else if (r == RUNG_ALT || (!exact && r != RUNG_NORMALISED))
        bad |= add_note(&m->note, "by %s '%s'", rung_words(r, exact), h->orig);
    if (u->kind == PM_UNIT_COMPOSITE) {
        char years[48] = "";
        if (u->valid_from != PM_GEO_YEAR_NONE && u->valid_to != PM_GEO_YEAR_NONE)
            snprintf(years, sizeof years, ", %d-%d", u->valid_from, u->valid_to);
        if (u->approximation) {
            /* the first sentence: the whole text is in pm_geo_unit()->approximation */
            int len = (int)strcspn(u->approximation, ".;");
            bad |= add_note(&m->note, "historical unit%s = union of %zu units (%.*s%s)", years,
                            u->n_members, len > 100 ? 100 : len, u->approximation,
                            len > 100 ? "..." : "");
        } else
            bad |=
                add_note(&m->note, "historical unit%s = union of %zu units", years, u->n_members);
    }
    return bad ? nomem(err) : PM_OK;
}

static pm_status_t set_candidates(const pm_geo_t *geo, const found_t *f, pm_join_match_t *m,
                                  pm_error_t *err)
{
    m->kind = PM_MATCH_AMBIGUOUS;
    m->unit = PM_JOIN_NO_UNIT;
    m->cand = calloc(f->n, sizeof *m->cand);
    if (!m->cand)
        return nomem(err);
    for (size_t i = 0; i < f->n; i++) {
        const pm_geo_unit_t *u = pm_geo_unit(geo, f->unit[i]);
        m->cand[i] =
            (pm_join_cand_t){f->unit[i], 1.0, f->hit[i]->orig, u->code, u->name, u->country};
    }
    m->n_cand = f->n;
    return PM_OK;
}

/* Runs the ladder once with country filter a. Returns PM_OK with m->kind UNMATCHED when no rung
 * answered; *rung gets the rung that answered. */
static pm_status_t ladder(const pm_geo_t *geo, const query_t *q, const accept_t *a,
                          pm_join_match_t *m, int *rung, pm_error_t *err)
{
    m->kind = PM_MATCH_UNMATCHED;
    m->unit = PM_JOIN_NO_UNIT;
    *rung = N_RUNGS;
    for (size_t st = 0; st < sizeof steps / sizeof steps[0]; st++) {
        unsigned srcs = steps[st].srcs;
        int exact = steps[st].exact;
        found_t f = {.n = 0};
        if (srcs == SRC(POINT) && q->kind == PM_NORM_KIND_REGION)
            continue; /* "Tula Oblast" is not the city of Tula */
        pm_status_t irc;
        if ((srcs & PM_GEO_SRCS_DEFERRED) && (irc = pm_geo_index_names(geo, err)) != PM_OK)
            return irc;
        collect_k(geo, exact ? PM_GEO_EXACT : PM_GEO_KEY, exact ? q->fold : q->key, srcs, a,
                  q->kind, &f);
        if (f.n == 0)
            continue;
        enum rung r = hit_rung(f.hit[0]->src, exact);
        *rung = (int)r;
        pm_status_t rc;
        if (f.n == 1) {
            rc = set_unit(geo, f.hit[0], r, exact, m, err);
            pm_norm_kind_t uk = rc == PM_OK && r != RUNG_CODE && q->kind != PM_NORM_KIND_NONE
                                    ? unit_kind(geo, f.unit[0])
                                    : PM_NORM_KIND_NONE;
            if (uk != PM_NORM_KIND_NONE && uk != q->kind &&
                add_note(&m->note,
                         "the name says %s, but this unit is a %s (no %s unit bears the "
                         "name)",
                         q->kind == PM_NORM_KIND_CITY ? "city" : "region",
                         uk == PM_NORM_KIND_CITY ? "city" : "region",
                         q->kind == PM_NORM_KIND_CITY ? "city" : "region"))
                rc = nomem(err);
            return rc;
        }
        found_t k = {.n = 0};
        if (r != RUNG_CODE && q->kind != PM_NORM_KIND_NONE && by_kind(geo, q->kind, &f, &k) == 1) {
            *rung = (int)(r = hit_rung(k.hit[0]->src, exact));
            rc = set_unit(geo, k.hit[0], r, exact, m, err);
            if (rc == PM_OK &&
                add_note(&m->note, "the name says %s: chose it over %zu other unit%s",
                         q->kind == PM_NORM_KIND_CITY ? "city" : "region", f.n - 1,
                         f.n > 2 ? "s" : ""))
                rc = nomem(err);
            return rc;
        }
        return set_candidates(geo, k.n >= 2 && q->kind != PM_NORM_KIND_NONE ? &k : &f, m, err);
    }
    return PM_OK;
}

/* ---- suggestions --------------------------------------------------------------------------------
 */

static pm_status_t suggest(const pm_geo_t *geo, const query_t *q, const accept_t *a, size_t want,
                           pm_join_match_t *m, pm_error_t *err)
{
    pm_status_t rc = pm_geo_index_names(geo, err);
    if (rc != PM_OK)
        return rc;
    size_t nk[2];
    const pm_geo_hit_t *keys[2] = {pm_geo_keys(geo, 0, &nk[0]), pm_geo_keys(geo, 1, &nk[1])};
    pm_join_cand_t *best = calloc(want, sizeof *best);
    if (!best)
        return nomem(err);
    size_t nb = 0, lq = strlen(q->key);
    for (size_t i = 0; i < nk[0] + nk[1] && lq > 0; i++) {
        const pm_geo_hit_t *h = i < nk[0] ? &keys[0][i] : &keys[1][i - nk[0]];
        if (h->src == PM_GEO_SRC_CODE || h->src == PM_GEO_SRC_COMPOSITE_CODE)
            continue;
        /* the cheap length bound first, the country (string compares) next, then the distance */
        size_t lh = strlen(h->text), mx = lh > lq ? lh : lq;
        double bound = 1.0 - (double)(lh > lq ? lh - lq : lq - lh) / (double)mx;
        double floor_score = nb == want ? best[want - 1].score : 0.0;
        if (bound <= floor_score || !accepted(geo, a, h->unit))
            continue;
        double s = pm_norm_similarity(q->key, h->text);
        if (s <= floor_score)
            continue;
        size_t k = 0;
        while (k < nb && best[k].unit != h->unit)
            k++;
        if (k < nb) { /* the unit is there already: keep its better name */
            if (s <= best[k].score)
                continue;
            memmove(best + k, best + k + 1, (nb - k - 1) * sizeof *best);
            nb--;
        }
        size_t pos = nb < want ? nb : want - 1;
        while (pos > 0 && best[pos - 1].score < s) {
            best[pos] = best[pos - 1];
            pos--;
        }
        const pm_geo_unit_t *u = pm_geo_unit(geo, h->unit);
        best[pos] = (pm_join_cand_t){h->unit, s, h->orig, u->code, u->name, u->country};
        if (nb < want)
            nb++;
    }
    m->cand = best;
    m->n_cand = nb;
    return PM_OK;
}

/* ---- one query ----------------------------------------------------------------------------------
 */

static pm_status_t make_query(const char *name, unsigned flags, query_t *q, pm_error_t *err)
{
    q->fold = q->key = NULL;
    pm_status_t rc = pm_norm_fold(name, &q->fold, err);
    if (rc == PM_OK && (flags & PM_NORM_DROP_PARENS)) {
        /* the folded text without its parentheses, for the exact rungs */
        char *k = q->fold, *w = k;
        int depth = 0;
        for (char *r = k; *r; r++) {
            if (*r == '(' || *r == '[')
                depth++;
            else if ((*r == ')' || *r == ']') && depth > 0)
                depth--;
            else if (depth == 0)
                *w++ = *r;
        }
        while (w > k && w[-1] == ' ')
            w--;
        *w = '\0';
    }
    if (rc == PM_OK)
        rc = pm_norm_key_ex(name, flags, &q->key, &q->kind, err);
    return rc;
}

static void free_query(query_t *q)
{
    free(q->fold);
    free(q->key);
}

static int valid_in(const pm_geo_unit_t *u, int year)
{
    return (u->valid_from == PM_GEO_YEAR_NONE || u->valid_from <= year) &&
           (u->valid_to == PM_GEO_YEAR_NONE || year <= u->valid_to);
}

static void years_of(const pm_geo_unit_t *u, char buf[32])
{
    char a[12] = "", b[12] = "";
    if (u->valid_from != PM_GEO_YEAR_NONE)
        snprintf(a, sizeof a, "%d", u->valid_from);
    if (u->valid_to != PM_GEO_YEAR_NONE)
        snprintf(b, sizeof b, "%d", u->valid_to);
    snprintf(buf, 32, "%s-%s", a, b);
}

/* Makes m ambiguous between its unit and the units of f (f->unit[0] must be free for m's unit). */
static pm_status_t make_ambiguous(const pm_geo_t *geo, found_t *f, pm_join_match_t *m,
                                  pm_error_t *err)
{
    const pm_geo_hit_t own = {m->matched, m->matched, (uint32_t)m->unit, 0, 0, 0, UINT32_MAX};
    f->unit[0] = m->unit;
    f->hit[0] = &own;
    free(m->via);
    free(m->note);
    m->via = m->note = NULL;
    m->approx = NULL;
    m->code = m->name = m->name_en = m->name_ru = m->name_local = m->country = NULL;
    m->matched = NULL;
    return set_candidates(geo, f, m, err);
}

/* Today's unit m was found by a name that a historical composite also bears (Jihomoravský kraj,
 * Praha, Bratislava). A country given has decided already (m stays, with a note); else the year
 * decides; with neither, the place is ambiguous: never chosen silently. */
static pm_status_t shadowed(const pm_geo_t *geo, const query_t *q, int year, int has_country,
                            pm_join_match_t *m, pm_error_t *err)
{
    unsigned srcs = (1u << PM_GEO_SRC_COMPOSITE) | (1u << PM_GEO_SRC_ALIAS);
    const accept_t any = {.n = 0};
    found_t f = {.n = 0};
    int exact = 1;
    collect(geo, PM_GEO_EXACT, q->fold, srcs, &any, &f);
    if (f.n == 0) {
        exact = 0;
        collect(geo, PM_GEO_KEY, q->key, srcs, &any, &f);
    }
    size_t k = 0;
    while (k < f.n && pm_geo_unit(geo, f.unit[k])->kind != PM_UNIT_COMPOSITE)
        k++;
    if (k == f.n || f.unit[k] == m->unit)
        return PM_OK;
    const pm_geo_unit_t *c = pm_geo_unit(geo, f.unit[k]);
    char years[32];
    years_of(c, years);
    if (has_country) /* the country has decided */
        return add_note(&m->note,
                        "also the historical unit %s '%s' of %s (%s): give country %s to use it",
                        c->code, c->name ? c->name : "", c->country ? c->country : "?", years,
                        c->country ? c->country : "?")
                   ? nomem(err)
                   : PM_OK;
    if (year != 0 && valid_in(c, year)) {
        char today[PM_ERROR_MSG_MAX];
        snprintf(today, sizeof today, "%s '%s'", m->code ? m->code : "?", m->name ? m->name : "");
        free(m->via);
        free(m->note);
        m->via = m->note = NULL;
        m->approx = NULL;
        pm_status_t rc = set_unit(geo, f.hit[k], RUNG_COMPOSITE, exact, m, err);
        if (rc == PM_OK &&
            add_note(&m->note, "year %d: the historical unit, not today's %s", year, today))
            rc = nomem(err);
        return rc;
    }
    if (year != 0)
        return add_note(&m->note, "year %d: today's unit, not the historical %s '%s' (%s)", year,
                        c->code, c->name ? c->name : "", years)
                   ? nomem(err)
                   : PM_OK;
    /* neither: both are candidates */
    found_t both = {.n = 2};
    both.unit[1] = f.unit[k];
    both.hit[1] = f.hit[k];
    pm_status_t rc = make_ambiguous(geo, &both, m, err);
    if (rc == PM_OK &&
        add_note(&m->note,
                 "today's unit and the historical unit %s (%s, %s) share this name: give a country "
                 "(%s for the historical one) or a year",
                 c->code, c->country ? c->country : "?", years, c->country ? c->country : "?"))
        rc = nomem(err);
    return rc;
}

/* A name that says neither city nor region found unit m by a name (rungs 4, 5, 7): when a unit of
 * the other kind (city or not), in m's country, has the same key among names and curated aliases
 * ("Kiev": Kiev oblast by name, Kiev City by key; "Leningrad": the oblast by name, the city by the
 * alias "Leningrad city"), the name could mean either: ambiguous, with both. */
static pm_status_t city_twin(const pm_geo_t *geo, const query_t *q, pm_join_match_t *m,
                             pm_error_t *err)
{
    if (q->kind != PM_NORM_KIND_NONE || !q->key[0])
        return PM_OK;
    const accept_t any = {.n = 0};
    found_t f = {.n = 0}, both = {.n = 1};
    collect(geo, PM_GEO_KEY, q->key, SRC(NAME) | SRC(ALIAS), &any, &f);
    if (f.n < 2 && (f.n == 0 || f.unit[0] == m->unit))
        return PM_OK; /* no other unit: no kinds to compute */
    int city = unit_kind(geo, m->unit) == PM_NORM_KIND_CITY;
    for (size_t i = 0; i < f.n && both.n < MAX_CAND; i++) {
        size_t u = f.unit[i];
        if (u == m->unit || pm_geo_unit(geo, u)->kind != PM_UNIT_FEATURE ||
            (m->country && !pm_geo_unit_in_country(geo, u, m->country)))
            continue;
        pm_norm_kind_t k = unit_kind(geo, u);
        if ((k == PM_NORM_KIND_CITY) != city) {
            both.unit[both.n] = u;
            both.hit[both.n++] = f.hit[i];
        }
    }
    if (both.n == 1)
        return PM_OK;
    pm_status_t rc = make_ambiguous(geo, &both, m, err);
    if (rc == PM_OK &&
        add_note(&m->note, "the name may mean the city or the region: say which (\"city\", "
                           "\"г.\", \"oblast\", ...)"))
        rc = nomem(err);
    return rc;
}

/* A name that is also a country's ("Georgia": the US state and the country GE; "Mexico": the
 * country and its capital's unit) found another unit than the country by a name, and no country
 * was given: ambiguous (the country is not a unit of a layer of first-level units), unless the
 * unit is the country's only one (Monaco). Short names (two or three letters) are codes. */
static pm_status_t country_twin(const pm_geo_t *geo, const char *name, pm_join_match_t *m,
                                pm_error_t *err)
{
    char cc[3];
    if (strlen(name) <= 3 || !pm_geo_country_resolve(geo, name, cc) ||
        (m->code && strcasecmp(m->code, cc) == 0))
        return PM_OK;
    if (m->country && strcmp(m->country, cc) == 0) {
        /* the country's only unit is the country (Monaco, Aruba, Isle of Man) */
        size_t n = 0;
        for (size_t i = 0; i < pm_geo_count(geo) && n < 2; i++) {
            const pm_geo_unit_t *u = pm_geo_unit(geo, i);
            n += u->kind == PM_UNIT_FEATURE && u->country && strcmp(u->country, cc) == 0;
        }
        if (n == 1)
            return PM_OK;
    }
    const char *uc = m->country ? m->country : "?";
    char unit[PM_ERROR_MSG_MAX];
    snprintf(unit, sizeof unit, "%s '%s'", m->code ? m->code : "?", m->name ? m->name : "");
    found_t f = {.n = 1};
    pm_status_t rc = make_ambiguous(geo, &f, m, err);
    if (rc == PM_OK &&
        add_note(&m->note,
                 "'%s' is also the name of the country %s, not a unit of this layer: give the "
                 "place's country (%s for %s) or join at country level",
                 name, cc, uc, unit))
        rc = nomem(err);
    return rc;
}

/* A suggestion never crosses a country silently ("DPRK" was suggested as "DDR"): when the row
 * gives a country, or the name itself is a country's name or code, the suggestions filed under
 * another country are named with their country and how it relates (a successor state, the
 * historical country, another country); at country level, where the place's own country
 * is what is unknown, every suggested state is spelled out (historical ones with their years),
 * since only the spelling is alike. */
static pm_status_t cross_country_note(const pm_geo_t *geo, const char *name, const char *code,
                                      pm_join_match_t *m, pm_error_t *err)
{
    char qc[3] = "";
    if (code && *code)
        snprintf(qc, sizeof qc, "%s", code);
    else if (strlen(name) >= 3 && !pm_geo_country_resolve(geo, name, qc))
        qc[0] = '\0';
    int states = !*qc && strcmp(pm_geo_layer(geo), "countries") == 0;
    if (!*qc && !states)
        return PM_OK;
    pm_buf_t b;
    pm_buf_init(&b);
    size_t n = 0;
    for (size_t i = 0; i < m->n_cand; i++) {
        const pm_join_cand_t *c = &m->cand[i];
        if (*qc && pm_geo_unit_in_country(geo, c->unit, qc))
            continue;
        const pm_geo_unit_t *u = pm_geo_unit(geo, c->unit);
        pm_buf_printf(&b, "%s'%s' is %s (%s", n ? ", " : "", c->text ? c->text : "?",
                      u->name ? u->name : "?", u->country ? u->country : "?");
        if (u->kind == PM_UNIT_COMPOSITE && u->valid_to != PM_GEO_YEAR_NONE)
            pm_buf_printf(&b, ", a historical state until %d", u->valid_to);
        if (*qc) {
            /* the join's own relation: a successor state of the row's historical country (DE
             * for DD: all of Germany, not only the GDR's part) or the historical country a
             * modern one was part of */
            const char *succ = pm_geo_country_successors(qc),
                       *pred = pm_geo_country_predecessors(qc);
            const char *uc = u->country ? u->country : "";
            size_t ul = strlen(uc);
            int in_succ = 0, in_pred = 0;
            for (const char *t = succ; t && ul && (t = strstr(t, uc)); t += ul)
                in_succ |= (t == succ || t[-1] == ' ') && (t[ul] == ' ' || !t[ul]);
            for (const char *t = pred; t && ul && (t = strstr(t, uc)); t += ul)
                in_pred |= (t == pred || t[-1] == ' ') && (t[ul] == ' ' || !t[ul]);
            pm_buf_printf(&b, ", %s",
                          in_succ   ? "a successor state"
                          : in_pred ? "the historical country it was part of"
                                    : "another country");
        }
        pm_buf_putc(&b, ')');
        n++;
    }
    pm_status_t rc = PM_OK;
    if (b.failed)
        rc = nomem(err);
    else if (n &&
             (*qc ? add_note(&m->note, "suggested by spelling only, outside %s: %s", qc, b.data)
                  : add_note(&m->note,
                             "suggested by spelling only: %s; a different state unless '%s' is "
                             "a name of it",
                             b.data, name)))
        rc = nomem(err);
    pm_buf_destroy(&b);
    return rc;
}

/* A name of today's unit that is also a curated alias of it standing for a historical unit it
 * only approximates ("Lubelskie": today's Lublin Voivodeship, and the smaller one of 1975-1998):
 * with a year in the alias's years the match is that approximation (m->approx and the note);
 * without a year the note says so; a year outside them says nothing. */
static pm_status_t approx_twin(const pm_geo_t *geo, const query_t *q, int year, pm_join_match_t *m,
                               pm_error_t *err)
{
    const pm_geo_hit_t *h[8];
    size_t n = pm_geo_lookup_src(geo, PM_GEO_EXACT, q->fold, 1u << PM_GEO_SRC_ALIAS, h, 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        const pm_geo_alias_t *al = pm_geo_alias(geo, h[i]->alias);
        if (!al || !al->approx || h[i]->unit != m->unit)
            continue;
        char a[16] = "", b[16] = "";
        if (al->valid_from != PM_GEO_YEAR_NONE)
            snprintf(a, sizeof a, "%d", al->valid_from);
        if (al->valid_to != PM_GEO_YEAR_NONE)
            snprintf(b, sizeof b, "%d", al->valid_to);
        int in = year != 0 && (al->valid_from == PM_GEO_YEAR_NONE || al->valid_from <= year) &&
                 (al->valid_to == PM_GEO_YEAR_NONE || year <= al->valid_to);
        int bad = 0;
        if (in) {
            bad = add_note(&m->note,
                           "year %d: the unit of that name of %s-%s; approximation: %s "
                           "(%s:%ld)",
                           year, a, b, al->approx, al->file, al->line);
            m->approx = al->approx;
        } else if (year == 0)
            bad = add_note(&m->note,
                           "also the name of a unit of %s-%s that this one only approximates "
                           "(%s:%ld): give the year (--period) if the data are from then",
                           a, b, al->file, al->line);
        return bad ? nomem(err) : PM_OK;
    }
    return PM_OK;
}

static pm_status_t match_one(const pm_geo_t *geo, const pm_join_opts_t *o, const char *name,
                             const char *country, int year, pm_join_match_t *m, pm_diag_t *diag,
                             pm_error_t *err)
{
    accept_t a1 = {.n = 0}, a2 = {.n = 0};
    char code[3] = "", rel[128];
    query_t q = {NULL, NULL, PM_NORM_KIND_NONE};
    pm_status_t rc = PM_OK;
    m->kind = PM_MATCH_UNMATCHED;
    m->unit = PM_JOIN_NO_UNIT;
    if (country) {
        if (!pm_geo_country_resolve(geo, country, code)) {
            pm_diag_add(diag, NULL, "place '%s': unknown country '%s', left unmatched", name,
                        country);
            return add_note(&m->note, "unknown country '%s' (give an ISO code)", country)
                       ? nomem(err)
                       : PM_OK;
        }
        accept_add(&a1, code);
        related(code, &a2, rel);
    }
    int drop_parens = 0, rung = N_RUNGS;
    for (int attempt = 0; attempt < 2 && m->kind == PM_MATCH_UNMATCHED; attempt++) {
        if (attempt == 1) {
            if (!strpbrk(name, "(["))
                break;
            drop_parens = 1;
        }
        free_query(&q);
        rc = make_query(name, drop_parens ? PM_NORM_DROP_PARENS : 0, &q, err);
        if (rc != PM_OK)
            goto cleanup;
        rc = ladder(geo, &q, &a1, m, &rung, err);
        if (rc == PM_OK && m->kind == PM_MATCH_UNMATCHED && a2.n > 0) {
            rc = ladder(geo, &q, &a2, m, &rung, err);
            if (rc == PM_OK && m->kind != PM_MATCH_UNMATCHED &&
                add_note(&m->note,
                         pm_geo_country_successors(code)
                             ? "country %s: found in a successor state"
                             : "country %s: found as a unit of the historical country",
                         code))
                rc = nomem(err);
        }
        if (rc != PM_OK)
            goto cleanup;
    }
    if (m->kind != PM_MATCH_UNMATCHED && drop_parens &&
        add_note(&m->note, "ignored the text in parentheses"))
        rc = nomem(err);
    int by_name = (rung == RUNG_NAME || rung == RUNG_NORMALISED || rung == RUNG_ALT);
    if (rc == PM_OK && by_name && m->unit != PM_JOIN_NO_UNIT &&
        pm_geo_unit(geo, m->unit)->kind == PM_UNIT_FEATURE)
        rc = city_twin(geo, &q, m, err);
    if (rc == PM_OK && by_name && !country && m->unit != PM_JOIN_NO_UNIT &&
        pm_geo_unit(geo, m->unit)->kind == PM_UNIT_FEATURE)
        rc = country_twin(geo, name, m, err);
    if (rc == PM_OK && rung >= RUNG_NAME && rung <= RUNG_ALT && m->unit != PM_JOIN_NO_UNIT &&
        pm_geo_unit(geo, m->unit)->kind == PM_UNIT_FEATURE)
        rc = shadowed(geo, &q, year, country != NULL, m, err);
    if (rc == PM_OK && by_name && m->unit != PM_JOIN_NO_UNIT && !m->approx &&
        pm_geo_unit(geo, m->unit)->kind == PM_UNIT_FEATURE)
        rc = approx_twin(geo, &q, year, m, err);
    if (rc == PM_OK && m->kind == PM_MATCH_UNMATCHED) {
        free_query(&q);
        rc = make_query(name, 0, &q, err);
        if (rc == PM_OK) {
            accept_t all = a1;
            for (size_t i = 0; i < a2.n; i++)
                accept_add(&all, a2.codes[i]);
            rc = suggest(geo, &q, &all, o->n_suggest ? o->n_suggest : 3, m, err);
            if (rc == PM_OK && m->n_cand)
                rc = cross_country_note(geo, name, code, m, err);
        }
    }
    if (rc == PM_OK && m->unit != PM_JOIN_NO_UNIT) {
        pm_error_t e;
        pm_status_t ar = pm_geo_anchor(geo, m->unit, o->anchor, &m->lon, &m->lat, &e);
        if (ar == PM_EDATA || ar == PM_EINTERNAL) {
            m->lon = m->lat = NAN;
            if (add_note(&m->note, "no anchor point: %s", e.msg))
                rc = nomem(err);
        } else if (ar != PM_OK)
            rc = pm_error_set(err, ar, "%s", e.msg);
    }
cleanup:
    free_query(&q);
    return rc;
}

static pm_status_t copy_match(const pm_join_match_t *from, pm_join_match_t *to, pm_error_t *err)
{
    char *query = to->query, *qc = to->query_country;
    *to = *from;
    to->query = query;
    to->query_country = qc;
    to->via = from->via ? strdup(from->via) : NULL;
    to->note = from->note ? strdup(from->note) : NULL;
    to->cand = from->n_cand ? malloc(from->n_cand * sizeof *to->cand) : NULL;
    if ((from->via && !to->via) || (from->note && !to->note) || (from->n_cand && !to->cand))
        return nomem(err);
    if (from->n_cand)
        memcpy(to->cand, from->cand, from->n_cand * sizeof *to->cand);
    return PM_OK;
}

/* A query with its effective country and year, for finding identical queries. */
typedef struct keyed {
    const char *name, *country;
    int year;
    size_t index;
} keyed_t;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (!c)
        c = strcmp(x->country ? x->country : "", y->country ? y->country : "");
    if (!c && x->year != y->year)
        c = x->year < y->year ? -1 : 1;
    if (!c)
        c = x->index < y->index ? -1 : x->index > y->index;
    return c;
}

static int same_query(const keyed_t *x, const keyed_t *y)
{
    return strcmp(x->name, y->name) == 0 &&
           strcmp(x->country ? x->country : "", y->country ? y->country : "") == 0 &&
           x->year == y->year;
}

/* The length of the valid UTF-8 prefix of s (= strlen(s) when s is valid UTF-8). */
static size_t utf8_prefix(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (p[i]) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, -1, &c);
        if (k <= 0)
            break;
        i += (size_t)k;
    }
    return i;
}

/* PM_EDATA when the name or country of query i is not UTF-8: such bytes would otherwise leave the
 * place unmatched (its country unknown) and reach the join report as they are. */
static pm_status_t check_utf8(const pm_place_query_t *q, size_t i, pm_error_t *err)
{
    const char *what[2] = {"name", "country"}, *text[2] = {q->name ? q->name : "", q->country};
    for (int w = 0; w < 2; w++) {
        if (!text[w])
            continue;
        size_t ok = utf8_prefix(text[w]);
        if (text[w][ok])
            return pm_error_set(err, PM_EDATA,
                                "place %zu: the %s is not valid UTF-8 (byte %zu, after '%.*s'): "
                                "convert the table to UTF-8",
                                i + 1, what[w], ok + 1, (int)(ok > 60 ? utf8_cut(text[w], 60) : ok),
                                text[w]);
    }
    return PM_OK;
}

pm_status_t pm_join_run(const pm_geo_t *geo, const pm_join_opts_t *opts, const pm_place_query_t *q,
                        size_t n, pm_join_result_t *out, pm_diag_t *diag, pm_error_t *err)
{
    pm_join_opts_t defaults;
    if (!opts) {
        pm_join_opts_init(&defaults);
        opts = &defaults;
    }
    char code[3];
    if (opts->country && !pm_geo_country_resolve(geo, opts->country, code))
        return pm_error_set(err, PM_EUSAGE,
                            "unknown country '%s' (give an ISO 3166 code such as KZ, or SU, CS, "
                            "YU, DD for the historical ones)",
                            opts->country);
    pm_join_result_t r;
    pm_join_result_init(&r);
    keyed_t *order = malloc((n ? n : 1) * sizeof *order);
    r.m = calloc(n ? n : 1, sizeof *r.m);
    pm_status_t rc = order && r.m ? PM_OK : nomem(err);
    if (rc != PM_OK)
        goto cleanup;
    r.n = n;
    r.anchor = opts->anchor;
    for (size_t i = 0; i < n; i++) {
        rc = check_utf8(&q[i], i, err);
        if (rc != PM_OK)
            goto cleanup;
        r.m[i].unit = PM_JOIN_NO_UNIT;
        r.m[i].lon = r.m[i].lat = NAN;
        r.m[i].query = strdup(q[i].name ? q[i].name : "");
        r.m[i].query_country = q[i].country ? strdup(q[i].country) : NULL;
        if (!r.m[i].query || (q[i].country && !r.m[i].query_country)) {
            rc = nomem(err);
            goto cleanup;
        }
        order[i] = (keyed_t){r.m[i].query, q[i].country ? q[i].country : opts->country,
                             q[i].year ? q[i].year : opts->year, i};
    }
    /* identical queries (same name, effective country and year) are matched once */
    qsort(order, n, sizeof *order, cmp_keyed);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k].index;
        if (k > 0 && same_query(&order[k - 1], &order[k])) {
            rc = copy_match(&r.m[order[k - 1].index], &r.m[i], err);
            if (rc != PM_OK)
                goto cleanup;
            continue;
        }
        rc =
            match_one(geo, opts, r.m[i].query, order[k].country, order[k].year, &r.m[i], diag, err);
        if (rc != PM_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        r.count[r.m[i].kind]++;
    *out = r;
    pm_join_result_init(&r);
cleanup:
    free(order);
    pm_join_result_destroy(&r);
    return rc;
}

size_t pm_join_approx_list(const pm_join_result_t *r, size_t max, pm_buf_t *b)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->n; i++) {
        const pm_join_match_t *m = &r->m[i];
        if (!m->approx)
            continue;
        if (b && n < max)
            pm_buf_printf(b, "%s'%s' as %s", n ? ", " : "", m->query,
                          m->name ? m->name : (m->code ? m->code : "?"));
        n++;
    }
    if (b && n > max)
        pm_buf_printf(b, ", and %zu more", n - max);
    return n;
}

pm_status_t pm_join_check(const pm_join_result_t *r, pm_error_t *err)
{
    size_t bad = r->count[PM_MATCH_AMBIGUOUS] + r->count[PM_MATCH_UNMATCHED];
    if (bad == 0)
        return PM_OK;
    pm_buf_t b;
    pm_buf_init(&b);
    pm_buf_printf(&b, "%zu of %zu places not joined: ", bad, r->n);
    size_t shown = 0;
    for (size_t i = 0; i < r->n && shown < 4; i++) {
        const pm_join_match_t *m = &r->m[i];
        if (m->kind != PM_MATCH_AMBIGUOUS && m->kind != PM_MATCH_UNMATCHED)
            continue;
        pm_buf_printf(&b, "%s'%s' %s", shown ? ", " : "", m->query,
                      m->kind == PM_MATCH_AMBIGUOUS ? "(ambiguous)" : "(unmatched");
        /* a suggestion in another country than the row's says so, here too ("did you mean
         * 'Brno' (CZ)?" for Brno given as RU) */
        const char *cc = m->n_cand ? m->cand[0].country : NULL;
        int other = cc && *cc && m->query_country && *m->query_country &&
                    strcasecmp(cc, m->query_country) != 0;
        if (m->kind == PM_MATCH_UNMATCHED && m->n_cand)
            pm_buf_printf(&b, "; did you mean '%s'%s%s%s?)", m->cand[0].text, other ? " (" : "",
                          other ? cc : "", other ? ")" : "");
        else if (m->kind == PM_MATCH_UNMATCHED)
            pm_buf_puts(&b, ")");
        shown++;
    }
    if (bad > shown)
        pm_buf_printf(&b, ", ...");
    pm_buf_puts(&b, "; see the join report");
    pm_status_t rc = pm_error_set(err, PM_EJOIN, "%s", pm_buf_str(&b));
    pm_buf_destroy(&b);
    return rc;
}

/* ---- the report
 * ---------------------------------------------------------------------------------- */

/* Display width of UTF-8 text in terminal columns. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (p && *p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) {
            p++;
            w++;
            continue;
        }
        int cw = utf8proc_charwidth(c);
        w += cw > 0 ? (size_t)cw : 0;
        p += k;
    }
    return w;
}

/* The note of m, with the candidates or suggestions spelled out, in a new string. */
static char *full_note(const pm_join_match_t *m)
{
    pm_buf_t b;
    pm_buf_init(&b);
    if (m->kind == PM_MATCH_AMBIGUOUS) {
        pm_buf_printf(&b, "%zu candidate%s:", m->n_cand, m->n_cand == 1 ? "" : "s");
        for (size_t i = 0; i < m->n_cand; i++)
            pm_buf_printf(&b, "%s %s '%s' (%s)", i ? "," : "",
                          m->cand[i].code ? m->cand[i].code : "?",
                          m->cand[i].name ? m->cand[i].name : m->cand[i].text,
                          m->cand[i].country ? m->cand[i].country : "?");
        pm_buf_puts(&b, "; use a code or an alias");
    } else if (m->kind == PM_MATCH_UNMATCHED && m->n_cand) {
        pm_buf_puts(&b, "did you mean");
        for (size_t i = 0; i < m->n_cand; i++)
            pm_buf_printf(&b, "%s '%s' (%s, %.2f)", i ? "," : "", m->cand[i].text,
                          m->cand[i].code ? m->cand[i].code : "?", m->cand[i].score);
        pm_buf_puts(&b, "?");
    }
    if (m->note)
        pm_buf_printf(&b, "%s%s", b.len ? "; " : "", m->note);
    pm_buf_putc(&b, '\0');
    return pm_buf_take(&b);
}

static void put_cell(pm_buf_t *out, const char *s, size_t width, int last)
{
    pm_buf_puts(out, s);
    if (!last)
        pm_buf_repeat(out, ' ', width - text_width(s) + 2);
}

/* The text report's cells of one place: place, country, how, unit, name, unit country, note. */
static void match_cells(const pm_join_match_t *m, const char *note, const char **cells)
{
    cells[0] = m->query;
    cells[1] = m->query_country ? m->query_country : "";
    cells[2] = pm_match_kind_name(m->kind);
    cells[3] = m->code ? m->code : "";
    cells[4] = m->name ? m->name : "";
    cells[5] = m->country ? m->country : "";
    cells[6] = note;
}

/* "26 places: 20 city, 6 unmatched" and a line end. */
static void summary_line(const pm_join_result_t *r, pm_buf_t *out)
{
    pm_buf_printf(out, "%zu place%s:", r->n, r->n == 1 ? "" : "s");
    int first = 1;
    for (int k = 0; k < PM_MATCH_NKINDS; k++)
        if (r->count[k]) {
            pm_buf_printf(out, "%s %zu %s", first ? "" : ",", r->count[k],
                          pm_match_kind_name((pm_match_kind_t)k));
            first = 0;
        }
    size_t na = pm_join_approx_list(r, 0, NULL);
    if (na)
        pm_buf_printf(out, "; %zu approximated (historical unit%s drawn as today's: see the notes)",
                      na, na == 1 ? "" : "s");
    pm_buf_putc(out, '\n');
}

/* More places than a screen holds: the counts come first too, so a long report is read from its
 * top. */
#define REPORT_COUNTS_FIRST 40

static void report_text(const pm_join_result_t *r, char **notes, pm_buf_t *out)
{
    if (r->n > REPORT_COUNTS_FIRST)
        summary_line(r, out);
    enum { NC = 7 };
    static const char *const head[NC] = {"place", "country",      "how", "unit",
                                         "name",  "unit country", "note"};
    size_t w[NC];
    for (int c = 0; c < NC; c++)
        w[c] = text_width(head[c]);
    const char *cells[NC];
    for (size_t i = 0; i < r->n; i++) {
        match_cells(&r->m[i], "", cells);
        for (int c = 0; c < NC - 1; c++) {
            size_t t = text_width(cells[c]);
            w[c] = t > w[c] ? t : w[c];
        }
    }
    for (int c = 0; c < NC; c++)
        put_cell(out, head[c], w[c], c == NC - 1);
    pm_buf_putc(out, '\n');
    for (size_t i = 0; i < r->n; i++) {
        match_cells(&r->m[i], notes[i], cells);
        for (int c = 0; c < NC; c++)
            put_cell(out, cells[c], w[c], c == NC - 1);
        pm_buf_putc(out, '\n');
    }
    summary_line(r, out);
}

static void fmt_coord(char buf[32], double v)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, 32, "%.6f", v);
}

/* How a candidate is named: its unit's name (ambiguous), the similar name (suggestions). */
static const char *cand_label(const pm_join_match_t *m, size_t i)
{
    const pm_join_cand_t *c = &m->cand[i];
    if (m->kind == PM_MATCH_AMBIGUOUS && c->name)
        return c->name;
    return c->text ? c->text : "";
}

/* Candidates as "code|name|country|score" joined by "; ". */
static void cand_list(pm_buf_t *b, const pm_join_match_t *m)
{
    for (size_t i = 0; i < m->n_cand; i++)
        pm_buf_printf(b, "%s%s|%s|%s|%.3f", i ? "; " : "", m->cand[i].code ? m->cand[i].code : "",
                      cand_label(m, i), m->cand[i].country ? m->cand[i].country : "",
                      m->cand[i].score);
}

static void report_csv(const pm_join_result_t *r, pm_buf_t *out)
{
    pm_buf_puts(out, "place,place_country,how,unit_code,unit_name,name_en,name_ru,name_local,"
                     "country,lon,lat,matched,via,note,candidates\n");
    for (size_t i = 0; i < r->n; i++) {
        const pm_join_match_t *m = &r->m[i];
        char lon[32], lat[32];
        fmt_coord(lon, m->lon);
        fmt_coord(lat, m->lat);
        pm_buf_t c;
        pm_buf_init(&c);
        cand_list(&c, m);
        const char *cells[] = {m->query,
                               m->query_country,
                               pm_match_kind_name(m->kind),
                               m->code,
                               m->name,
                               m->name_en,
                               m->name_ru,
                               m->name_local,
                               m->country,
                               lon,
                               lat,
                               m->matched,
                               m->via,
                               m->note,
                               pm_buf_str(&c)};
        size_t nc = sizeof cells / sizeof cells[0];
        for (size_t k = 0; k < nc; k++) {
            pm_csv_field(out, cells[k], ',');
            pm_buf_putc(out, k == nc - 1 ? '\n' : ',');
        }
        pm_buf_destroy(&c);
    }
}

/* A JSON string, or null for NULL. */
static void json_str(pm_buf_t *out, const char *s)
{
    if (s)
        pm_json_string(out, s);
    else
        pm_buf_puts(out, "null");
}

static void json_kv(pm_buf_t *out, const char *k, const char *v, int comma)
{
    pm_buf_printf(out, "%s\"%s\": ", comma ? ", " : "", k);
    json_str(out, v);
}

static void report_json(const pm_join_result_t *r, pm_buf_t *out)
{
    pm_buf_printf(out, "{\"anchor\": \"%s\", \"summary\": {\"places\": %zu",
                  pm_geo_anchor_name(r->anchor), r->n);
    for (int k = 0; k < PM_MATCH_NKINDS; k++)
        pm_buf_printf(out, ", \"%s\": %zu", pm_match_kind_name((pm_match_kind_t)k), r->count[k]);
    pm_buf_printf(out, ", \"approximated\": %zu", pm_join_approx_list(r, 0, NULL));
    pm_buf_puts(out, "},\n \"places\": [");
    for (size_t i = 0; i < r->n; i++) {
        const pm_join_match_t *m = &r->m[i];
        pm_buf_puts(out, i ? ",\n  {" : "\n  {");
        json_kv(out, "place", m->query, 0);
        json_kv(out, "place_country", m->query_country, 1);
        json_kv(out, "how", pm_match_kind_name(m->kind), 1);
        json_kv(out, "unit_code", m->code, 1);
        json_kv(out, "unit_name", m->name, 1);
        json_kv(out, "approx", m->approx, 1);
        json_kv(out, "name_en", m->name_en, 1);
        json_kv(out, "name_ru", m->name_ru, 1);
        json_kv(out, "name_local", m->name_local, 1);
        json_kv(out, "country", m->country, 1);
        if (isnan(m->lon))
            pm_buf_puts(out, ", \"lon\": null, \"lat\": null");
        else
            pm_buf_printf(out, ", \"lon\": %.6f, \"lat\": %.6f", m->lon, m->lat);
        json_kv(out, "matched", m->matched, 1);
        json_kv(out, "via", m->via, 1);
        json_kv(out, "note", m->note, 1);
        pm_buf_puts(out, ", \"candidates\": [");
        for (size_t k = 0; k < m->n_cand; k++) {
            pm_buf_puts(out, k ? ", {" : "{");
            json_kv(out, "unit_code", m->cand[k].code, 0);
            json_kv(out, "unit_name", m->cand[k].name, 1);
            json_kv(out, "text", m->cand[k].text, 1);
            json_kv(out, "country", m->cand[k].country, 1);
            pm_buf_printf(out, ", \"score\": %.3f}", m->cand[k].score);
        }
        pm_buf_puts(out, "]}");
    }
    pm_buf_puts(out, "\n ]}\n");
}

pm_status_t pm_join_report(const pm_join_result_t *r, pm_join_format_t fmt, pm_buf_t *out,
                           pm_error_t *err)
{
    if (fmt == PM_JOIN_REPORT_CSV)
        report_csv(r, out);
    else if (fmt == PM_JOIN_REPORT_JSON)
        report_json(r, out);
    else {
        char **notes = calloc(r->n ? r->n : 1, sizeof *notes);
        int bad = !notes;
        for (size_t i = 0; !bad && i < r->n; i++)
            bad = !(notes[i] = full_note(&r->m[i]));
        if (!bad)
            report_text(r, notes, out);
        for (size_t i = 0; notes && i < r->n; i++)
            free(notes[i]);
        free(notes);
        if (bad)
            return nomem(err);
    }
    return pm_buf_failed(out) ? nomem(err) : PM_OK;
}

void pm_join_cleanup(void)
{
    pm_norm_cleanup();
}
