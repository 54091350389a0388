/*
 * pm_geo_index: the arena of a geo's strings, the hash indexes of codes, names and keys, and the
 * country tables (alpha-3 codes and names to alpha-2; historical countries and their successors).
 * See pm_geo_int.h for how the geo module is split.
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
#include "pm_runtime.h"

/* ---- small helpers ------------------------------------------------------------------------------
 */

void *geo_arena_alloc(pm_geo_t *g, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!g->arena || g->arena->cap - g->arena->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        arena_chunk_t *c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = g->arena;
        c->used = 0;
        c->cap = cap;
        g->arena = c;
    }
    void *p = g->arena->data + g->arena->used;
    g->arena->used += n;
    return p;
}

char *geo_arena_strndup(pm_geo_t *g, const char *s, size_t n)
{
    char *p = geo_arena_alloc(g, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *geo_arena_strdup(pm_geo_t *g, const char *s)
{
    return s ? geo_arena_strndup(g, s, strlen(s)) : NULL;
}

/* Copies s without leading and trailing blanks; NULL for NULL or blank. */
char *geo_arena_trim(pm_geo_t *g, const char *s, size_t n)
{
    if (!s)
        return NULL;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return n ? geo_arena_strndup(g, s, n) : NULL;
}

pm_status_t geo_nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

int geo_grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    void *p = realloc(*v, nc * size);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

/* The year of "YYYY", "YYYY-MM" or "YYYY-MM-DD"; PM_GEO_YEAR_NONE for anything else. */
int geo_parse_year(const char *s)
{
    if (!s)
        return PM_GEO_YEAR_NONE;
    while (isspace((unsigned char)*s))
        s++;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || (*end != '\0' && *end != '-' && !isspace((unsigned char)*end)))
        return PM_GEO_YEAR_NONE;
    return v > 0 && v < 10000 ? (int)v : PM_GEO_YEAR_NONE;
}

/* ---- the index
 * ------------------------------------------------------------------------------------ */

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Grows the table to at least want buckets (a power of two). */
int geo_rehash(hits_t *h, size_t want)
{
    size_t nb = h->nbuckets ? h->nbuckets * 2 : 1024;
    while (nb < want)
        nb *= 2;
    uint32_t *head = malloc(nb * sizeof *head);
    if (!head)
        return -1;
    memset(head, 0xFF, nb * sizeof *head);
    for (size_t i = 0; i < h->n; i++) {
        uint32_t b = hash_text(h->v[i].text) & (uint32_t)(nb - 1);
        h->next[i] = head[b];
        head[b] = (uint32_t)i;
    }
    free(h->head);
    h->head = head;
    h->nbuckets = nb;
    return 0;
}

static pm_status_t add_hit(hits_t *h, const char *text, const char *orig, size_t unit,
                           pm_geo_src_t src, pm_norm_kind_t kind, unsigned field, uint32_t alias,
                           pm_error_t *err)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 4096;
        pm_geo_hit_t *v = realloc(h->v, nc * sizeof *v);
        if (v)
            h->v = v;
        uint32_t *next = v ? realloc(h->next, nc * sizeof *next) : NULL;
        if (!next)
            return geo_nomem(err);
        h->next = next;
        h->cap = nc;
    }
    if (h->n * 2 >= h->nbuckets && geo_rehash(h, 0))
        return geo_nomem(err);
    pm_geo_hit_t *x = &h->v[h->n];
    x->text = text;
    x->orig = orig;
    x->unit = (uint32_t)unit;
    x->src = (uint8_t)src;
    x->kind = (uint8_t)kind;
    x->field = (uint16_t)field;
    x->alias = alias;
    uint32_t b = hash_text(text) & (uint32_t)(h->nbuckets - 1);
    h->next[h->n] = h->head[b];
    h->head[b] = (uint32_t)h->n;
    h->n++;
    return PM_OK;
}

/* Indexes one name (or code: exact only) of a unit into exact and key. orig must live in the
 * arena. */
static pm_status_t index_text(pm_geo_t *g, hits_t *exact, hits_t *keys, const char *orig,
                              size_t unit, pm_geo_src_t src, unsigned field, uint32_t alias,
                              pm_error_t *err)
{
    char *folded = NULL, *key = NULL;
    pm_norm_kind_t kind = PM_NORM_KIND_NONE;
    pm_status_t rc = pm_norm_fold(orig, &folded, err);
    if (rc != PM_OK)
        goto cleanup;
    int is_code = src == PM_GEO_SRC_CODE || src == PM_GEO_SRC_COMPOSITE_CODE;
    if (!is_code) {
        rc = pm_norm_key_ex(orig, PM_NORM_NO_OTHER_SCRIPTS, &key, &kind, err);
        if (rc != PM_OK)
            goto cleanup;
    }
    const char *ft = strcmp(folded, orig) == 0 ? orig : geo_arena_strdup(g, folded);
    if (!ft) {
        rc = geo_nomem(err);
        goto cleanup;
    }
    rc = add_hit(exact, ft, orig, unit, src, kind, field, alias, err);
    if (rc == PM_OK && key && *key) {
        const char *kt = geo_arena_strdup(g, key);
        rc = kt ? add_hit(keys, kt, orig, unit, src, kind, field, alias, err) : geo_nomem(err);
    }
cleanup:
    free(key);
    free(folded);
    return rc;
}

pm_status_t geo_index_text(pm_geo_t *g, const char *orig, size_t unit, pm_geo_src_t src,
                           unsigned field, uint32_t alias, pm_error_t *err)
{
    return index_text(g, &g->exact, &g->key, orig, unit, src, field, alias, err);
}

/* Indexes every part of a name value into exact and keys: '|' separated, and ',' too in
 * alternative-name fields. */
static pm_status_t index_names(pm_geo_t *g, hits_t *exact, hits_t *keys, const char *value,
                               size_t unit, pm_geo_src_t src, unsigned field, uint32_t alias,
                               pm_error_t *err)
{
    const char *seps = src == PM_GEO_SRC_ALT ? "|," : "|";
    const char *p = value;
    while (p && *p) {
        size_t n = strcspn(p, seps);
        char *part = geo_arena_trim(g, p, n);
        if (part) {
            pm_status_t rc = index_text(g, exact, keys, part, unit, src, field, alias, err);
            if (rc != PM_OK)
                return rc;
        }
        p += n;
        if (*p)
            p++;
    }
    return PM_OK;
}

pm_status_t geo_index_names(pm_geo_t *g, const char *value, size_t unit, pm_geo_src_t src,
                            unsigned field, uint32_t alias, pm_error_t *err)
{
    return index_names(g, &g->exact, &g->key, value, unit, src, field, alias, err);
}

/* Records a name value of the layer (in the arena) for pm_geo_index_names. */
pm_status_t geo_defer_names(pm_geo_t *g, const char *value, size_t unit, pm_geo_src_t src,
                            unsigned field, pm_error_t *err)
{
    if (geo_grow((void **)&g->pending, &g->cap_pending, g->n_pending + 1, sizeof *g->pending))
        return geo_nomem(err);
    g->pending[g->n_pending++] =
        (pending_name_t){value, (uint32_t)unit, (uint8_t)src, (uint16_t)field};
    return PM_OK;
}

pm_status_t pm_geo_index_names(const pm_geo_t *geo, pm_error_t *err)
{
    pm_geo_t *g = (pm_geo_t *)geo; /* the index is completed once, under the lock */
    int state = atomic_load_explicit(&g->names_state, memory_order_acquire);
    if (state == 0) {
        pthread_mutex_lock(&g->mu);
        state = atomic_load_explicit(&g->names_state, memory_order_relaxed);
        if (state == 0) {
            /* sized once: about 2 exact texts and 2 keys per name value on Natural Earth */
            pm_status_t rc =
                geo_rehash(&g->lexact, g->n_pending * 2) || geo_rehash(&g->lkey, g->n_pending * 2)
                    ? geo_nomem(err)
                    : PM_OK;
            for (size_t i = 0; i < g->n_pending && rc == PM_OK; i++) {
                const pending_name_t *p = &g->pending[i];
                rc = index_names(g, &g->lexact, &g->lkey, p->value, p->unit, p->src, p->field,
                                 UINT32_MAX, err);
            }
            if (rc != PM_OK) { /* a later call may try again */
                geo_hits_free(&g->lexact);
                geo_hits_free(&g->lkey);
                pthread_mutex_unlock(&g->mu);
                return rc;
            }
            state = 1;
            atomic_store_explicit(&g->names_state, state, memory_order_release);
        }
        pthread_mutex_unlock(&g->mu);
    }
    return PM_OK;
}

void geo_hits_free(hits_t *h)
{
    free(h->v);
    free(h->next);
    free(h->head);
    memset(h, 0, sizeof *h);
}

/* The hits whose text is text: up to max of them in out (in no particular order); returns how
 * many there are. */
size_t geo_lookup(const hits_t *h, const char *text, const pm_geo_hit_t **out, size_t max)
{
    if (!h->nbuckets)
        return 0;
    size_t n = 0;
    for (uint32_t i = h->head[hash_text(text) & (uint32_t)(h->nbuckets - 1)]; i != UINT32_MAX;
         i = h->next[i])
        if (strcmp(h->v[i].text, text) == 0) {
            if (n < max)
                out[n] = &h->v[i];
            n++;
        }
    return n;
}

/* Units whose code (any code field or composite code) is code, folded. Returns the count, the
 * first one in *unit. */
size_t geo_units_by_code(const pm_geo_t *g, const char *code, size_t *unit)
{
    char *f = NULL;
    if (pm_norm_fold(code, &f, NULL) != PM_OK)
        return 0;
    const pm_geo_hit_t *h[64];
    size_t n = geo_lookup(&g->exact, f, h, 64), found = 0;
    free(f);
    size_t first = (size_t)-1;
    for (size_t i = 0; i < n && i < 64; i++) {
        if (h[i]->src != PM_GEO_SRC_CODE && h[i]->src != PM_GEO_SRC_COMPOSITE_CODE)
            continue;
        if (found == 0) {
            first = h[i]->unit;
            found = 1;
        } else if (h[i]->unit != first)
            found++;
    }
    if (found)
        *unit = first;
    return found;
}

/* ---- countries
 * ------------------------------------------------------------------------------------- */

/* Countries that no longer exist: code, alpha-3, successors and names, each list one string
 * (successors separated by spaces, names by '|'), as the rows of a table. */
static const struct historical {
    const char *code, *a3, *successors, *names;
} historical[] = {
    {"SU", "SUN", "AM AZ BY EE GE KG KZ LT LV MD RU TJ TM UA UZ",
     "USSR|Soviet Union|Union of Soviet Socialist Republics|СССР|Советский Союз|SSSR"},
    {"CS", "CSK", "CZ SK",
     "Czechoslovakia|ČSSR|ČSR|Czechoslovak Socialist Republic|Чехословакия|Československo"},
    {"YU", "YUG", "BA HR ME MK RS SI XK",
     "Yugoslavia|SFRY|SFRJ|Socialist Federal Republic of Yugoslavia|Югославия|Jugoslavija"},
    {"DD", "DDR", "DE",
     "GDR|East Germany|German Democratic Republic|DDR|ГДР|Deutsche Demokratische Republik"},
};

const char *pm_geo_country_successors(const char *code)
{
    for (size_t i = 0; code && i < sizeof historical / sizeof historical[0]; i++)
        if (strcasecmp(code, historical[i].code) == 0)
            return historical[i].successors;
    return NULL;
}

const char *pm_geo_country_predecessors(const char *code)
{
    if (!code || strlen(code) != 2)
        return NULL;
    for (size_t i = 0; i < sizeof historical / sizeof historical[0]; i++) {
        const char *s = historical[i].successors;
        for (const char *p = s; (p = strstr(p, code)) != NULL; p += 2)
            if ((p == s || p[-1] == ' ') && (p[2] == ' ' || p[2] == '\0'))
                return historical[i].code;
    }
    return NULL;
}

/* Normalises a country code from the data: upper case, 2 letters; NULL for -99 and the like. */
const char *geo_country_code(pm_geo_t *g, const char *s)
{
    if (!s || strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return NULL;
    char c[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), '\0'};
    return geo_arena_strdup(g, c);
}

static pm_status_t add_country(pm_geo_t *g, countries_t *t, const char *text, const char *code,
                               pm_error_t *err)
{
    if (!text || !*text || !code || strlen(code) != 2)
        return PM_OK;
    if (geo_grow((void **)&t->v, &t->cap, t->n, sizeof *t->v))
        return geo_nomem(err);
    const char *tt = geo_arena_strdup(g, text);
    if (!tt)
        return geo_nomem(err);
    t->v[t->n].text = tt;
    memcpy(t->v[t->n].code, code, 3);
    t->n++;
    return PM_OK;
}

pm_status_t geo_add_country_name(pm_geo_t *g, const char *name, const char *code, pm_error_t *err)
{
    if (!name || !*name || !code)
        return PM_OK;
    char *k = NULL;
    pm_status_t rc = pm_norm_key_ex(name, PM_NORM_NO_OTHER_SCRIPTS, &k, NULL, err);
    if (rc == PM_OK)
        rc = add_country(g, &g->cnames, k, code, err);
    free(k);
    return rc;
}

pm_status_t geo_add_country_a3(pm_geo_t *g, const char *a3, const char *code, pm_error_t *err)
{
    if (!a3 || strlen(a3) != 3)
        return PM_OK;
    char u[4];
    for (int i = 0; i < 4; i++)
        u[i] = (char)toupper((unsigned char)a3[i]);
    return add_country(g, &g->a3, u, code, err);
}

static int cmp_country(const void *a, const void *b)
{
    const country_entry_t *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : strcmp(x->code, y->code);
}

/* Sorts a table and merges duplicates; a text naming two countries keeps code "". */
void geo_finish_countries(countries_t *t)
{
    qsort(t->v, t->n, sizeof *t->v, cmp_country);
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (o > 0 && strcmp(t->v[o - 1].text, t->v[i].text) == 0) {
            if (strcmp(t->v[o - 1].code, t->v[i].code) != 0)
                t->v[o - 1].code[0] = '\0';
            continue;
        }
        t->v[o++] = t->v[i];
    }
    t->n = o;
}

static const char *find_country(const countries_t *t, const char *text)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->v[mid].text, text);
        if (c == 0)
            return t->v[mid].code[0] ? t->v[mid].code : NULL;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int pm_geo_country_resolve(const pm_geo_t *geo, const char *country, char code[3])
{
    if (!country)
        return 0;
    while (isspace((unsigned char)*country))
        country++;
    size_t n = strlen(country);
    while (n > 0 && isspace((unsigned char)country[n - 1]))
        n--;
    if (n == 2 && isalpha((unsigned char)country[0]) && isalpha((unsigned char)country[1])) {
        code[0] = (char)toupper((unsigned char)country[0]);
        code[1] = (char)toupper((unsigned char)country[1]);
        code[2] = '\0';
        return 1;
    }
    const char *found = NULL;
    if (n == 3) {
        char u[4];
        for (int i = 0; i < 3; i++)
            u[i] = (char)toupper((unsigned char)country[i]);
        u[3] = '\0';
        found = find_country(&geo->a3, u);
    }
    if (!found) {
        char *k = NULL;
        if (pm_norm_key(country, &k, NULL) != PM_OK)
            return 0;
        found = find_country(&geo->cnames, k);
        free(k);
    }
    if (!found)
        return 0;
    memcpy(code, found, 3);
    return 1;
}

int pm_geo_unit_in_country(const pm_geo_t *geo, size_t unit, const char *code)
{
    const pm_geo_unit_t *u = &geo->units[unit];
    return (u->country && strcmp(u->country, code) == 0) ||
           (u->country2 && strcmp(u->country2, code) == 0);
}

pm_status_t geo_add_historical(pm_geo_t *g, pm_error_t *err)
{
    pm_status_t rc = PM_OK;
    for (size_t i = 0; i < sizeof historical / sizeof historical[0] && rc == PM_OK; i++) {
        rc = geo_add_country_a3(g, historical[i].a3, historical[i].code, err);
        for (const char *p = historical[i].names; *p && rc == PM_OK;) {
            char name[128];
            size_t len = strcspn(p, "|");
            snprintf(name, sizeof name, "%.*s", (int)len, p);
            rc = geo_add_country_name(g, name, historical[i].code, err);
            p += len + (p[len] == '|');
        }
    }
    return rc;
}
