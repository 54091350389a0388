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
#define _POSIX_C_SOURCE 200809L
#include "pm_geo.h"

#include "pm_norm.h"
#include "pm_runtime.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <gdal.h>

#include "pm_buf.h"
#include "pm_io.h"

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
    hits_t exact, key;
    countries_t a3, cnames;
    pm_geo_alias_t *aliases;
    size_t n_aliases, cap_aliases;
    char **fields; /* layer field names, by OGR index */
    unsigned char country_seen[26 * 26]; /* alpha-2 codes whose names are in cnames */
    int n_fields;
    pm_diag_t warnings;
};

/* ---- small helpers ------------------------------------------------------------------------------ */

static void *arena_alloc(pm_geo_t *g, size_t n)
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

static char *arena_strndup(pm_geo_t *g, const char *s, size_t n)
{
    char *p = arena_alloc(g, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *arena_strdup(pm_geo_t *g, const char *s)
{
    return s ? arena_strndup(g, s, strlen(s)) : NULL;
}

/* Copies s without leading and trailing blanks; NULL for NULL or blank. */
static char *arena_trim(pm_geo_t *g, const char *s, size_t n)
{
    if (!s)
        return NULL;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return n ? arena_strndup(g, s, n) : NULL;
}

static pm_status_t nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
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
static int parse_year(const char *s)
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

/* ---- the index ------------------------------------------------------------------------------------ */

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Grows the table to at least want buckets (a power of two). */
static int rehash(hits_t *h, size_t want)
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
            return nomem(err);
        h->next = next;
        h->cap = nc;
    }
    if (h->n * 2 >= h->nbuckets && rehash(h, 0))
        return nomem(err);
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

/* Indexes one name (or code: exact only) of a unit. orig must live in the arena. */
static pm_status_t index_text(pm_geo_t *g, const char *orig, size_t unit, pm_geo_src_t src,
                              unsigned field, uint32_t alias, pm_error_t *err)
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
    const char *ft = strcmp(folded, orig) == 0 ? orig : arena_strdup(g, folded);
    if (!ft) {
        rc = nomem(err);
        goto cleanup;
    }
    rc = add_hit(&g->exact, ft, orig, unit, src, kind, field, alias, err);
    if (rc == PM_OK && key && *key) {
        const char *kt = arena_strdup(g, key);
        rc = kt ? add_hit(&g->key, kt, orig, unit, src, kind, field, alias, err) : nomem(err);
    }
cleanup:
    free(key);
    free(folded);
    return rc;
}

/* Indexes every part of a name value: '|' separated, and ',' too in alternative-name fields. */
static pm_status_t index_names(pm_geo_t *g, const char *value, size_t unit, pm_geo_src_t src,
                               unsigned field, uint32_t alias, pm_error_t *err)
{
    const char *seps = src == PM_GEO_SRC_ALT ? "|," : "|";
    const char *p = value;
    while (p && *p) {
        size_t n = strcspn(p, seps);
        char *part = arena_trim(g, p, n);
        if (part) {
            pm_status_t rc = index_text(g, part, unit, src, field, alias, err);
            if (rc != PM_OK)
                return rc;
        }
        p += n;
        if (*p)
            p++;
    }
    return PM_OK;
}

/* The hits whose text is text: up to max of them in out (in no particular order); returns how
 * many there are. */
static size_t lookup(const hits_t *h, const char *text, const pm_geo_hit_t **out, size_t max)
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
static size_t units_by_code(const pm_geo_t *g, const char *code, size_t *unit)
{
    char *f = NULL;
    if (pm_norm_fold(code, &f, NULL) != PM_OK)
        return 0;
    const pm_geo_hit_t *h[64];
    size_t n = lookup(&g->exact, f, h, 64), found = 0;
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

/* ---- countries ------------------------------------------------------------------------------------- */

static const struct historical {
    const char *code, *a3, *successors;
    const char *names[7];
} historical[] = {
    {"SU", "SUN", "AM AZ BY EE GE KG KZ LT LV MD RU TJ TM UA UZ",
     {"USSR", "Soviet Union", "Union of Soviet Socialist Republics", "СССР", "Советский Союз",
      "SSSR", NULL}},
    {"CS", "CSK", "CZ SK",
     {"Czechoslovakia", "ČSSR", "ČSR", "Czechoslovak Socialist Republic", "Чехословакия",
      "Československo", NULL}},
    {"YU", "YUG", "BA HR ME MK RS SI XK",
     {"Yugoslavia", "SFRY", "SFRJ", "Socialist Federal Republic of Yugoslavia", "Югославия",
      "Jugoslavija", NULL}},
    {"DD", "DDR", "DE",
     {"GDR", "East Germany", "German Democratic Republic", "DDR", "ГДР",
      "Deutsche Demokratische Republik", NULL}},
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
static const char *country_code(pm_geo_t *g, const char *s)
{
    if (!s || strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return NULL;
    char c[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), '\0'};
    return arena_strdup(g, c);
}

static pm_status_t add_country(pm_geo_t *g, countries_t *t, const char *text, const char *code,
                               pm_error_t *err)
{
    if (!text || !*text || !code || strlen(code) != 2)
        return PM_OK;
    if (grow((void **)&t->v, &t->cap, t->n, sizeof *t->v))
        return nomem(err);
    const char *tt = arena_strdup(g, text);
    if (!tt)
        return nomem(err);
    t->v[t->n].text = tt;
    memcpy(t->v[t->n].code, code, 3);
    t->n++;
    return PM_OK;
}

static pm_status_t add_country_name(pm_geo_t *g, const char *name, const char *code,
                                    pm_error_t *err)
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

static pm_status_t add_country_a3(pm_geo_t *g, const char *a3, const char *code, pm_error_t *err)
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
static void finish_countries(countries_t *t)
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

/* ---- CSV side files ------------------------------------------------------------------------------- */

typedef struct csv {
    char *data;
    size_t pos, len;
    long line;
    char **f;
    size_t nf, cap;
} csv_t;

/* Reads the next record into c->f (fields point into c->data). Returns 1, 0 at the end, -1 for an
 * unterminated quote. */
static int csv_next(csv_t *c, long *line)
{
    if (c->pos >= c->len)
        return 0;
    *line = c->line;
    c->nf = 0;
    char *r = c->data + c->pos, *end = c->data + c->len, *w = r, *start = w;
    for (;;) {
        if (r < end && *r == '"') {
            r++;
            for (;;) {
                if (r >= end)
                    return -1;
                if (*r == '"' && r + 1 < end && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    if (*r == '\n')
                        c->line++;
                    *w++ = *r++;
                }
            }
        }
        while (r < end && *r != ',' && *r != '\n' && *r != '\r')
            *w++ = *r++;
        if (grow((void **)&c->f, &c->cap, c->nf, sizeof *c->f))
            return -2;
        c->f[c->nf++] = start;
        if (r < end && *r == ',') {
            *w++ = '\0';
            r++;
            start = w;
            continue;
        }
        /* step over the line end before terminating: w may point at it */
        if (r < end && *r == '\r')
            r++;
        if (r < end && *r == '\n')
            r++;
        *w = '\0';
        c->line++;
        break;
    }
    c->pos = (size_t)(r - c->data);
    return 1;
}

static pm_status_t csv_open(csv_t *c, const char *path, pm_error_t *err)
{
    memset(c, 0, sizeof *c);
    pm_status_t rc = pm_io_read_all(path, &c->data, &c->len, err);
    if (rc != PM_OK)
        return rc;
    if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    c->line = 1;
    return PM_OK;
}

static void csv_close(csv_t *c)
{
    free(c->data);
    free(c->f);
}

/* Column index of the first of the names (NULL-terminated list) in the header, or -1. */
static int csv_col(char **hdr, size_t n, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        for (size_t i = 0; i < n; i++) {
            const char *h = hdr[i];
            while (isspace((unsigned char)*h))
                h++;
            size_t len = strlen(h);
            while (len > 0 && isspace((unsigned char)h[len - 1]))
                len--;
            if (len == strlen(names[k]) && strncasecmp(h, names[k], len) == 0)
                return (int)i;
        }
    return -1;
}

static const char *csv_get(const csv_t *c, int col)
{
    return col >= 0 && (size_t)col < c->nf ? c->f[col] : NULL;
}

/* Reads the header of path into *hdr (a copy, caller frees the array). */
static pm_status_t csv_header(csv_t *c, const char *path, char ***hdr, size_t *n, pm_error_t *err)
{
    long line;
    int r = csv_next(c, &line);
    if (r <= 0)
        return pm_error_set(err, PM_EDATA, "%s: %s", path,
                            r == 0 ? "empty file (a header line is needed)"
                                   : "unterminated quote in the header");
    *hdr = malloc(c->nf * sizeof **hdr);
    if (!*hdr)
        return nomem(err);
    memcpy(*hdr, c->f, c->nf * sizeof **hdr);
    *n = c->nf;
    return PM_OK;
}

/* True when the record is blank (one empty field). */
static int csv_blank(const csv_t *c)
{
    return c->nf == 1 && c->f[0][strspn(c->f[0], " \t")] == '\0';
}

/* ---- aliases --------------------------------------------------------------------------------------- */

static pm_status_t load_aliases(pm_geo_t *g, const char *path, int user, pm_error_t *err)
{
    static const char *const c_alias[] = {"alias", "name", NULL};
    static const char *const c_target[] = {"target_code", "target", "code", NULL};
    static const char *const c_layer[] = {"target_layer", "layer", NULL};
    static const char *const c_country[] = {"country", NULL};
    static const char *const c_from[] = {"valid_from", NULL};
    static const char *const c_to[] = {"valid_to", NULL};
    static const char *const c_source[] = {"source", NULL};
    static const char *const c_notes[] = {"notes", NULL};
    csv_t c;
    char **hdr = NULL;
    size_t nh = 0;
    const char *file = arena_strdup(g, path);
    pm_status_t rc = file ? csv_open(&c, path, err) : nomem(err);
    if (rc != PM_OK)
        return rc;
    rc = csv_header(&c, path, &hdr, &nh, err);
    if (rc != PM_OK)
        goto cleanup;
    int ia = csv_col(hdr, nh, c_alias), it = csv_col(hdr, nh, c_target);
    int il = csv_col(hdr, nh, c_layer), ic = csv_col(hdr, nh, c_country);
    int ifr = csv_col(hdr, nh, c_from), ito = csv_col(hdr, nh, c_to);
    int is = csv_col(hdr, nh, c_source), in = csv_col(hdr, nh, c_notes);
    if (ia < 0 || it < 0) {
        rc = pm_error_set(err, PM_EDATA,
                          "%s:1: an alias file needs the columns 'alias' and 'target_code'", path);
        goto cleanup;
    }
    long line;
    int r;
    while ((r = csv_next(&c, &line)) > 0) {
        if (csv_blank(&c))
            continue;
        const char *alias = csv_get(&c, ia), *target = csv_get(&c, it);
        /* rows for another layer are skipped; "composites" rows lead to a composite's code */
        const char *layer = csv_get(&c, il);
        int to_composite = layer && strcasecmp(layer, "composites") == 0;
        if (layer && *layer && !to_composite && strcasecmp(layer, g->layer_name) != 0)
            continue;
        char *a = arena_trim(g, alias, alias ? strlen(alias) : 0);
        char *t = arena_trim(g, target, target ? strlen(target) : 0);
        if (!a || !t) {
            pm_diag_add(&g->warnings, NULL, "%s:%ld: alias row without alias or target, left out",
                        path, line);
            continue;
        }
        size_t unit = 0, n = units_by_code(g, t, &unit);
        if (to_composite && (n != 1 || g->units[unit].kind != PM_UNIT_COMPOSITE))
            continue; /* a composite of another layer (SU on countries) */
        if (n != 1) {
            pm_diag_add(&g->warnings, NULL,
                        n == 0 ? "%s:%ld: alias '%s' leads to '%s', which is no code in layer '%s'; "
                                 "left out"
                               : "%s:%ld: alias '%s' leads to '%s', which is the code of several "
                                 "units in layer '%s' (use a unique code such as adm1_code); left out",
                        path, line, a, t, g->layer_name);
            continue;
        }
        if (grow((void **)&g->aliases, &g->cap_aliases, g->n_aliases, sizeof *g->aliases)) {
            rc = nomem(err);
            goto cleanup;
        }
        pm_geo_alias_t *x = &g->aliases[g->n_aliases];
        const char *cc = csv_get(&c, ic), *src = csv_get(&c, is), *notes = csv_get(&c, in);
        x->alias = a;
        x->target_code = t;
        x->country = arena_trim(g, cc, cc ? strlen(cc) : 0);
        x->valid_from = parse_year(csv_get(&c, ifr));
        x->valid_to = parse_year(csv_get(&c, ito));
        x->source = arena_trim(g, src, src ? strlen(src) : 0);
        x->notes = arena_trim(g, notes, notes ? strlen(notes) : 0);
        x->file = file;
        x->line = line;
        x->user = user;
        rc = index_text(g, a, unit, user ? PM_GEO_SRC_USER_ALIAS : PM_GEO_SRC_ALIAS, 0,
                        (uint32_t)g->n_aliases, err);
        if (rc != PM_OK)
            goto cleanup;
        g->n_aliases++;
    }
    if (r < 0)
        rc = r == -1 ? pm_error_set(err, PM_EDATA, "%s:%ld: unterminated quote", path, line)
                     : nomem(err);
cleanup:
    free(hdr);
    csv_close(&c);
    return rc;
}

/* ---- units ------------------------------------------------------------------------------------------ */

static pm_geo_unit_t *new_unit(pm_geo_t *g, pm_unit_kind_t kind)
{
    if (grow((void **)&g->units, &g->cap_units, g->n_units, sizeof *g->units))
        return NULL;
    pm_geo_unit_t *u = &g->units[g->n_units++];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    u->label_lon = u->label_lat = NAN;
    u->fid = -1;
    u->valid_from = u->valid_to = PM_GEO_YEAR_NONE;
    return u;
}

static pm_status_t load_composites(pm_geo_t *g, const char *path, pm_error_t *err)
{
    static const char *const c_code[] = {"code", NULL};
    static const char *const c_name[] = {"name", NULL};
    static const char *const c_en[] = {"name_en", NULL};
    static const char *const c_ru[] = {"name_ru", NULL};
    static const char *const c_local[] = {"name_local", NULL};
    static const char *const c_country[] = {"country", NULL};
    static const char *const c_layer[] = {"layer", NULL};
    static const char *const c_members[] = {"members", NULL};
    static const char *const c_from[] = {"valid_from", NULL};
    static const char *const c_to[] = {"valid_to", NULL};
    static const char *const c_approx[] = {"approximation", NULL};
    static const char *const c_source[] = {"source", NULL};
    csv_t c;
    char **hdr = NULL;
    size_t nh = 0, *members = NULL;
    pm_status_t rc = csv_open(&c, path, err);
    if (rc != PM_OK)
        return rc;
    rc = csv_header(&c, path, &hdr, &nh, err);
    if (rc != PM_OK)
        goto cleanup;
    int icode = csv_col(hdr, nh, c_code), iname = csv_col(hdr, nh, c_name);
    int ien = csv_col(hdr, nh, c_en), iru = csv_col(hdr, nh, c_ru);
    int ilo = csv_col(hdr, nh, c_local), ico = csv_col(hdr, nh, c_country);
    int ila = csv_col(hdr, nh, c_layer), imem = csv_col(hdr, nh, c_members);
    int ifr = csv_col(hdr, nh, c_from), ito = csv_col(hdr, nh, c_to);
    int iap = csv_col(hdr, nh, c_approx), isr = csv_col(hdr, nh, c_source);
    if (icode < 0 || imem < 0) {
        rc = pm_error_set(err, PM_EDATA,
                          "%s:1: a composites file needs the columns 'code' and 'members'", path);
        goto cleanup;
    }
    long line;
    int r;
    while ((r = csv_next(&c, &line)) > 0) {
        if (csv_blank(&c))
            continue;
        const char *layer = csv_get(&c, ila);
        if (layer && *layer && strcasecmp(layer, g->layer_name) != 0)
            continue;
        const char *code = csv_get(&c, icode), *mem = csv_get(&c, imem);
        if (!code || !*code || !mem) {
            pm_diag_add(&g->warnings, NULL, "%s:%ld: composite without code or members, left out",
                        path, line);
            continue;
        }
        /* members: every code must name exactly one feature */
        size_t nm = 0, cap = 0;
        const char *bad = NULL;
        size_t bad_n = 0;
        char *copy = arena_strdup(g, mem), *save = NULL;
        if (!copy) {
            rc = nomem(err);
            goto cleanup;
        }
        for (char *m = strtok_r(copy, " \t;", &save); m; m = strtok_r(NULL, " \t;", &save)) {
            size_t unit = 0, n = units_by_code(g, m, &unit);
            if (n != 1 || unit >= g->n_features) {
                bad = m;
                bad_n = n;
                break;
            }
            if (grow((void **)&members, &cap, nm, sizeof *members)) {
                rc = nomem(err);
                goto cleanup;
            }
            members[nm++] = unit;
        }
        if (bad || nm == 0) {
            pm_diag_add(&g->warnings, NULL,
                        "%s:%ld: composite '%s' left out: member '%s' %s in layer '%s'", path,
                        line, code, bad ? bad : "(none)",
                        bad_n > 1 ? "is the code of several units" : "is not a code",
                        g->layer_name);
            free(members);
            members = NULL;
            continue;
        }
        size_t idx = g->n_units;
        pm_geo_unit_t *u = new_unit(g, PM_UNIT_COMPOSITE);
        size_t *ms = arena_alloc(g, nm * sizeof *ms);
        if (!u || !ms) {
            rc = nomem(err);
            goto cleanup;
        }
        memcpy(ms, members, nm * sizeof *ms);
        free(members);
        members = NULL;
        const char *v;
        u->code = arena_trim(g, code, strlen(code));
        u->name = (v = csv_get(&c, iname)) ? arena_trim(g, v, strlen(v)) : NULL;
        u->name_en = (v = csv_get(&c, ien)) ? arena_trim(g, v, strlen(v)) : NULL;
        u->name_ru = (v = csv_get(&c, iru)) ? arena_trim(g, v, strlen(v)) : NULL;
        u->name_local = (v = csv_get(&c, ilo)) ? arena_trim(g, v, strlen(v)) : NULL;
        v = csv_get(&c, ico);
        u->country = country_code(g, v);
        if (!u->country)
            u->country = country_code(g, u->code); /* a historical country: its code */
        u->type = "composite";
        u->members = ms;
        u->n_members = nm;
        u->valid_from = parse_year(csv_get(&c, ifr));
        u->valid_to = parse_year(csv_get(&c, ito));
        u->approximation = (v = csv_get(&c, iap)) ? arena_trim(g, v, strlen(v)) : NULL;
        u->source = (v = csv_get(&c, isr)) ? arena_trim(g, v, strlen(v)) : NULL;
        const char *names[] = {u->name, u->name_en, u->name_ru, u->name_local};
        rc = index_text(g, u->code, idx, PM_GEO_SRC_COMPOSITE_CODE, 0, UINT32_MAX, err);
        for (size_t k = 0; rc == PM_OK && k < 4; k++)
            if (names[k])
                rc = index_names(g, names[k], idx, PM_GEO_SRC_COMPOSITE, 0, UINT32_MAX, err);
        /* a composite country (SU) is also a country name */
        if (rc == PM_OK && strlen(u->code) == 2 && u->country)
            for (size_t k = 0; rc == PM_OK && k < 4; k++)
                rc = add_country_name(g, names[k], u->country, err);
        if (rc != PM_OK)
            goto cleanup;
    }
    if (r < 0)
        rc = r == -1 ? pm_error_set(err, PM_EDATA, "%s:%ld: unterminated quote", path, line)
                     : nomem(err);
cleanup:
    free(members);
    free(hdr);
    csv_close(&c);
    return rc;
}

static pm_status_t parse_coord(const char *s, double lo, double hi, double *out)
{
    if (!s)
        return PM_EDATA;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno || !(v >= lo && v <= hi))
        return PM_EDATA;
    *out = v;
    return PM_OK;
}

static pm_status_t load_places(pm_geo_t *g, const char *path, pm_error_t *err)
{
    static const char *const c_name[] = {"name", "place", NULL};
    static const char *const c_lon[] = {"lon", "longitude", "x", "lng", NULL};
    static const char *const c_lat[] = {"lat", "latitude", "y", NULL};
    static const char *const c_region[] = {"region", NULL};
    static const char *const c_country[] = {"country", NULL};
    csv_t c;
    char **hdr = NULL;
    size_t nh = 0;
    pm_status_t rc = csv_open(&c, path, err);
    if (rc != PM_OK)
        return rc;
    rc = csv_header(&c, path, &hdr, &nh, err);
    if (rc != PM_OK)
        goto cleanup;
    int in = csv_col(hdr, nh, c_name), ix = csv_col(hdr, nh, c_lon), iy = csv_col(hdr, nh, c_lat);
    int ir = csv_col(hdr, nh, c_region), ic = csv_col(hdr, nh, c_country);
    if (in < 0 || ix < 0 || iy < 0) {
        rc = pm_error_set(err, PM_EDATA,
                          "%s:1: a places file needs the columns 'name', 'lon' and 'lat'", path);
        goto cleanup;
    }
    long line;
    int r;
    while ((r = csv_next(&c, &line)) > 0) {
        if (csv_blank(&c))
            continue;
        const char *name = csv_get(&c, in), *v;
        double lon, lat;
        if (!name || !*name) {
            rc = pm_error_set(err, PM_EDATA, "%s:%ld: place without a name", path, line);
            goto cleanup;
        }
        if (parse_coord(csv_get(&c, ix), -180, 180, &lon) != PM_OK ||
            parse_coord(csv_get(&c, iy), -90, 90, &lat) != PM_OK) {
            rc = pm_error_set(err, PM_EDATA,
                              "%s:%ld: place '%s' needs lon in [-180, 180] and lat in [-90, 90] "
                              "(got '%s', '%s')",
                              path, line, name, csv_get(&c, ix) ? csv_get(&c, ix) : "",
                              csv_get(&c, iy) ? csv_get(&c, iy) : "");
            goto cleanup;
        }
        size_t idx = g->n_units;
        pm_geo_unit_t *u = new_unit(g, PM_UNIT_POINT);
        if (!u) {
            rc = nomem(err);
            goto cleanup;
        }
        u->name = u->code = arena_trim(g, name, strlen(name));
        u->region = (v = csv_get(&c, ir)) ? arena_trim(g, v, strlen(v)) : NULL;
        u->country = country_code(g, csv_get(&c, ic));
        u->type = "point";
        u->is_city = 1;
        u->label_lon = lon;
        u->label_lat = lat;
        rc = u->name ? index_text(g, u->name, idx, PM_GEO_SRC_POINT, 0, UINT32_MAX, err) : PM_OK;
        if (rc != PM_OK)
            goto cleanup;
    }
    if (r < 0)
        rc = r == -1 ? pm_error_set(err, PM_EDATA, "%s:%ld: unterminated quote", path, line)
                     : nomem(err);
cleanup:
    free(hdr);
    csv_close(&c);
    return rc;
}

/* ---- the layer ------------------------------------------------------------------------------------- */

typedef struct layer_fields {
    int code[16], name[16];
    size_t n_code, n_name;
    int country, iso2, type, lon, lat, admin, a3, a3_own, en, ru, local;
} layer_fields_t;

/* "a, b, c" of the layer's fields, for messages. */
static void list_fields(OGRFeatureDefnH d, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < OGR_FD_GetFieldCount(d) && o + 1 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
                              OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    if (o >= len && len > 4)
        memcpy(buf + len - 4, "...", 4);
}

static void list_layers(GDALDatasetH ds, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < GDALDatasetGetLayerCount(ds) && o + 1 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
                              OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    if (o >= len && len > 4)
        memcpy(buf + len - 4, "...", 4);
}

static int contains_ci(const char *s, const char *needle)
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
    static const char *const names[] = {"name",    "name_en", "name_ru",  "name_local",
                                        "name_cs", "name_de", "name_alt", NULL};
    char fl[512];
    int countries = OGR_FD_GetFieldIndex(d, "adm1_code") < 0 &&
                    OGR_FD_GetFieldIndex(d, "iso_a3") >= 0;
    const char *const *codes = OGR_FD_GetFieldIndex(d, "adm1_code") >= 0 ? admin1_codes
                               : countries                               ? country_codes
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
                            "name them with --key and --name-field",
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
    static const char *const iso2[] = {"iso_3166_2", NULL}, *const type[] = {"type_en", "type", NULL};
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
        return nomem(err);
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
    return s ? arena_trim(g, s, strcspn(s, "|")) : NULL;
}

static pm_status_t read_feature(pm_geo_t *g, OGRFeatureH f, const layer_fields_t *lf,
                                pm_error_t *err)
{
    size_t idx = g->n_units;
    pm_geo_unit_t *u = new_unit(g, PM_UNIT_FEATURE);
    if (!u)
        return nomem(err);
    u->fid = (int64_t)OGR_F_GetFID(f);
    pm_status_t rc = PM_OK;
    for (size_t i = 0; i < lf->n_code && rc == PM_OK; i++) {
        const char *v = field_str(f, lf->code[i]);
        char *c = v ? arena_trim(g, v, strlen(v)) : NULL;
        if (!c || strcmp(c, "-99") == 0 || strcmp(c, "-1") == 0)
            continue;
        if (!u->code)
            u->code = c;
        rc = index_text(g, c, idx, PM_GEO_SRC_CODE, (unsigned)lf->code[i], UINT32_MAX, err);
    }
    for (size_t i = 0; i < lf->n_name && rc == PM_OK; i++) {
        const char *v = field_str(f, lf->name[i]);
        if (!v)
            continue;
        const char *fname = g->fields[lf->name[i]];
        pm_geo_src_t src = contains_ci(fname, "alt") ? PM_GEO_SRC_ALT : PM_GEO_SRC_NAME;
        char *value = arena_strdup(g, v);
        if (!value)
            return nomem(err);
        if (!u->name && src == PM_GEO_SRC_NAME)
            u->name = first_part(g, value);
        rc = index_names(g, value, idx, src, (unsigned)lf->name[i], UINT32_MAX, err);
    }
    if (rc != PM_OK)
        return rc;
    u->name_en = first_part(g, field_str(f, lf->en));
    u->name_ru = first_part(g, field_str(f, lf->ru));
    u->name_local = first_part(g, field_str(f, lf->local));
    u->country = country_code(g, field_str(f, lf->country));
    const char *iso2 = field_str(f, lf->iso2);
    if (iso2 && strlen(iso2) > 3 && iso2[2] == '-') {
        char p[3] = {iso2[0], iso2[1], '\0'};
        const char *c2 = country_code(g, p);
        if (c2 && (!u->country || strcmp(c2, u->country) != 0))
            u->country2 = c2;
    }
    u->type = arena_strdup(g, field_str(f, lf->type));
    u->is_city = u->type && (contains_ci(u->type, "city") || contains_ci(u->type, "capital"));
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
        rc = add_country_a3(g, field_str(f, lf->a3), u->country, err);
        if (rc == PM_OK)
            rc = add_country_name(g, field_str(f, lf->admin), u->country, err);
        if (rc == PM_OK && lf->a3_own >= 0) {
            rc = add_country_a3(g, field_str(f, lf->a3_own), u->country, err);
            for (size_t i = 0; i < lf->n_name && rc == PM_OK; i++)
                rc = add_country_name(g, first_part(g, field_str(f, lf->name[i])), u->country,
                                      err);
        }
    }
    return rc;
}

/* Country names and alpha-3 codes from a "countries" layer beside the one opened. */
static pm_status_t read_country_layer(pm_geo_t *g, OGRLayerH cl, pm_error_t *err)
{
    static const char *const names[] = {"name",    "name_en", "name_ru", "name_cs",
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
        const char *code = country_code(g, field_str(f, ia2));
        if (code) {
            rc = add_country_a3(g, field_str(f, ia3), code, err);
            for (int i = 0; i < nn && rc == PM_OK; i++)
                rc = add_country_name(g, field_str(f, in[i]), code, err);
        }
        OGR_F_Destroy(f);
    }
    return rc;
}

static pm_status_t add_historical(pm_geo_t *g, pm_error_t *err)
{
    pm_status_t rc = PM_OK;
    for (size_t i = 0; i < sizeof historical / sizeof historical[0] && rc == PM_OK; i++) {
        rc = add_country_a3(g, historical[i].a3, historical[i].code, err);
        for (size_t k = 0; historical[i].names[k] && rc == PM_OK; k++)
            rc = add_country_name(g, historical[i].names[k], historical[i].code, err);
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
        return pm_error_set(err, PM_EDATA,
                            "layer '%s' of '%s' has no coordinate reference system; assign one "
                            "(e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg '%s')",
                            g->layer_name, g->source, g->source);
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
    /* SQLite-based sources (GeoPackage) read faster memory-mapped; set for this thread only */
    const char *pragma = CPLGetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", NULL);
    char *saved = pragma ? strdup(pragma) : NULL;
    if (!pragma)
        CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", "mmap_size=268435456");
    g->ds = GDALOpenEx(g->source, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
                       NULL, NULL);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", saved);
    free(saved);
    if (!g->ds)
        return pm_error_set(err, PM_EIO, "cannot open geometry source '%s': %s", g->source,
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
                                nl ? "'%s' has %d layers (%s); choose one with --layer"
                                   : "'%s' has %d layers%s",
                                g->source, nl, buf);
        }
    }
    g->layer_name = strdup(OGR_L_GetName(g->lyr));
    if (!g->layer_name)
        return nomem(err);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(g->lyr);
    g->n_fields = OGR_FD_GetFieldCount(d);
    g->fields = calloc((size_t)g->n_fields + 1, sizeof *g->fields);
    if (!g->fields)
        return nomem(err);
    for (int i = 0; i < g->n_fields; i++)
        if (!(g->fields[i] = arena_strdup(g, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)))))
            return nomem(err);
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
    int extra[] = {lf.country, lf.iso2, lf.type, lf.lon, lf.lat, lf.admin,
                   lf.a3,      lf.a3_own, lf.en, lf.ru,  lf.local};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (extra[i] >= 0)
            keep[nk++] = extra[i];
    rc = ignore_fields(g->lyr, keep, nk, 0, err);
    if (rc != PM_OK)
        return rc;
    /* size the hash tables once: about 5 exact texts and 4 keys per feature on Natural Earth */
    GIntBig nf = OGR_L_GetFeatureCount(g->lyr, FALSE);
    if (nf > 0 && nf < (1 << 24) &&
        (rehash(&g->exact, (size_t)nf * 10) || rehash(&g->key, (size_t)nf * 8)))
        return nomem(err);
    pm_runtime_gdal_reset();
    OGR_L_ResetReading(g->lyr);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(g->lyr)) != NULL) {
        rc = read_feature(g, f, &lf, err);
        OGR_F_Destroy(f);
        if (rc != PM_OK)
            return rc;
    }
    if (CPLGetLastErrorType() >= CE_Failure)
        return pm_error_set(err, PM_EIO, "reading layer '%s' of '%s' failed: %s", g->layer_name,
                            g->source, pm_runtime_gdal_msg());
    g->n_features = g->n_units;
    if (strcasecmp(g->layer_name, "countries") != 0) {
        OGRLayerH cl = GDALDatasetGetLayerByName(g->ds, "countries");
        if (cl && (rc = read_country_layer(g, cl, err)) != PM_OK)
            return rc;
    }
    /* from now on the layer reads geometry only */
    return ignore_fields(g->lyr, NULL, 0, 1, err);
}

void pm_geo_opts_init(pm_geo_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
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
            return nomem(err);
        return PM_OK;
    }
    if (o->source)
        return PM_OK;
    char *p = join_path(pm_runtime_datadir(), name);
    if (!p)
        return nomem(err);
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
    pm_status_t rc = g ? pm_norm_init(err) : nomem(err);
    if (rc != PM_OK)
        goto cleanup;
    pthread_mutex_init(&g->mu, NULL);
    pm_diag_init(&g->warnings);
    g->source = opts->source ? strdup(opts->source) : join_path(pm_runtime_datadir(), "world.gpkg");
    if (!g->source) {
        rc = nomem(err);
        goto cleanup;
    }
    if (!opts->source && !pm_io_exists(g->source)) {
        rc = pm_error_set(err, PM_EIO,
                          "default geodata '%s' not found; build it (geodata/build_geodata.sh), "
                          "set PARTNERMAP_DATA to its folder, or pass --geo",
                          g->source);
        goto cleanup;
    }
    if ((rc = open_layer(g, opts, err)) != PM_OK || (rc = read_layer(g, opts, err)) != PM_OK)
        goto cleanup;
    if ((rc = side_file(opts, opts->composites_file, "composites.csv", &composites, err)) != PM_OK ||
        (rc = side_file(opts, opts->data_aliases, "aliases.csv", &aliases, err)) != PM_OK)
        goto cleanup;
    if (composites && (rc = load_composites(g, composites, err)) != PM_OK)
        goto cleanup;
    if (aliases && (rc = load_aliases(g, aliases, 0, err)) != PM_OK)
        goto cleanup;
    for (size_t i = 0; i < opts->n_alias_files; i++)
        if ((rc = load_aliases(g, opts->alias_files[i], 1, err)) != PM_OK)
            goto cleanup;
    if (opts->places_file && (rc = load_places(g, opts->places_file, err)) != PM_OK)
        goto cleanup;
    if ((rc = add_historical(g, err)) != PM_OK)
        goto cleanup;
    finish_countries(&g->a3);
    finish_countries(&g->cnames);
    g->cache = calloc(g->n_units ? g->n_units : 1, sizeof *g->cache);
    if (!g->cache) {
        rc = nomem(err);
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
    free(geo->exact.v);
    free(geo->exact.next);
    free(geo->exact.head);
    free(geo->key.v);
    free(geo->key.next);
    free(geo->key.head);
    free(geo->a3.v);
    free(geo->cnames.v);
    free(geo->aliases);
    free(geo->fields);
    free(geo->source);
    free(geo->layer_name);
    pm_diag_destroy(&geo->warnings);
    pthread_mutex_destroy(&geo->mu);
    free(geo);
}

/* ---- getters ---------------------------------------------------------------------------------------- */

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

size_t pm_geo_lookup(const pm_geo_t *geo, pm_geo_index_t index, const char *text,
                     const pm_geo_hit_t **out, size_t max)
{
    return lookup(index == PM_GEO_KEY ? &geo->key : &geo->exact, text, out, max);
}

const pm_geo_hit_t *pm_geo_keys(const pm_geo_t *geo, size_t *n)
{
    *n = geo->key.n;
    return geo->key.v;
}

const char *pm_geo_field_name(const pm_geo_t *geo, unsigned i)
{
    return i < (unsigned)geo->n_fields ? geo->fields[i] : "";
}

const pm_geo_alias_t *pm_geo_alias(const pm_geo_t *geo, uint32_t i)
{
    return i < geo->n_aliases ? &geo->aliases[i] : NULL;
}

/* ---- geometry ------------------------------------------------------------------------------------- */

/* Reads feature unit's geometry in lon/lat (geo->mu held). */
static pm_status_t read_geometry(const pm_geo_t *geo, size_t unit, OGRGeometryH *out,
                                 pm_error_t *err)
{
    const pm_geo_unit_t *u = &geo->units[unit];
    pm_runtime_gdal_reset();
    OGRFeatureH f = OGR_L_GetFeature(geo->lyr, (GIntBig)u->fid);
    if (!f)
        return pm_error_set(err, PM_EIO, "cannot read feature %lld ('%s') of '%s': %s",
                            (long long)u->fid, u->code ? u->code : "", geo->source,
                            pm_runtime_gdal_msg());
    OGRGeometryH g = OGR_F_StealGeometry(f);
    OGR_F_Destroy(f);
    if (!g)
        return pm_error_set(err, PM_EDATA, "feature '%s' of '%s' has no geometry",
                            u->code ? u->code : "", geo->source);
    if (geo->ct && OGR_G_Transform(g, geo->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return pm_error_set(err, PM_EINTERNAL, "cannot transform '%s' to lon/lat: %s",
                            u->code ? u->code : "", pm_runtime_gdal_msg());
    }
    OGR_G_AssignSpatialReference(g, geo->wgs84);
    *out = g;
    return PM_OK;
}

/* Adds the polygons of g to the multipolygon mp. */
static void add_polygons(OGRGeometryH mp, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon)
        OGR_G_AddGeometry(mp, g);
    else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            add_polygons(mp, OGR_G_GetGeometryRef(g, i));
}

/* The label point of a member geometry g of unit m: its label fields, else a surface point. */
static void member_label(const pm_geo_unit_t *m, OGRGeometryH g, double out[2])
{
    if (!isnan(m->label_lon)) {
        out[0] = m->label_lon;
        out[1] = m->label_lat;
        return;
    }
    OGRGeometryH p = OGR_G_PointOnSurface(g);
    out[0] = p ? OGR_G_GetX(p, 0) : NAN;
    out[1] = p ? OGR_G_GetY(p, 0) : NAN;
    if (p)
        OGR_G_DestroyGeometry(p);
}

/* Dissolves the polygons of mp; on a GEOS failure (invalid input) once more after MakeValid. */
static OGRGeometryH dissolve(OGRGeometryH mp)
{
    OGRGeometryH un = OGR_G_UnionCascaded(mp);
    if (un)
        return un;
    OGRGeometryH v = OGR_G_MakeValid(mp);
    if (!v)
        return NULL;
    OGRGeometryH fixed = OGR_G_CreateGeometry(wkbMultiPolygon);
    add_polygons(fixed, v);
    un = OGR_G_UnionCascaded(fixed);
    OGR_G_DestroyGeometry(fixed);
    OGR_G_DestroyGeometry(v);
    return un;
}

/* Fills a composite's cache (geo->mu held): its label point (the label of its largest member),
 * and with want_union its dissolved geometry. The label needs no union, which for a composite
 * of large countries (SU) costs far more than reading the members. */
static pm_status_t composite(const pm_geo_t *geo, size_t unit, int want_union, pm_error_t *err)
{
    unit_cache_t *c = &geo->cache[unit];
    if (c->unioned || (!want_union && c->label_done))
        return PM_OK;
    const pm_geo_unit_t *u = &geo->units[unit];
    OGRGeometryH mp = want_union ? OGR_G_CreateGeometry(wkbMultiPolygon) : NULL, g = NULL;
    pm_status_t rc = mp || !want_union ? PM_OK : nomem(err);
    double best = -1, label[2] = {NAN, NAN};
    for (size_t i = 0; i < u->n_members && rc == PM_OK; i++) {
        rc = read_geometry(geo, u->members[i], &g, err);
        if (rc != PM_OK)
            break;
        double area = c->label_done ? 0 : OGR_G_Area(g);
        if (area > best) {
            best = area;
            member_label(&geo->units[u->members[i]], g, label);
        }
        if (mp)
            add_polygons(mp, g);
        OGR_G_DestroyGeometry(g);
        g = NULL;
    }
    if (rc == PM_OK && !c->label_done) {
        c->label[0] = label[0];
        c->label[1] = label[1];
        c->label_done = 1;
    }
    if (rc == PM_OK && mp) {
        pm_runtime_gdal_reset();
        OGRGeometryH un = dissolve(mp);
        if (!un)
            rc = pm_error_set(err, PM_EINTERNAL, "cannot dissolve composite '%s': %s", u->code,
                              pm_runtime_gdal_msg());
        else {
            OGR_G_AssignSpatialReference(un, geo->wgs84);
            c->unioned = un;
        }
    }
    if (mp)
        OGR_G_DestroyGeometry(mp);
    return rc;
}

pm_status_t pm_geo_geometry(const pm_geo_t *geo, size_t unit, OGRGeometryH *out, pm_error_t *err)
{
    if (unit >= geo->n_units)
        return pm_error_set(err, PM_EUSAGE, "no unit %zu", unit);
    const pm_geo_unit_t *u = &geo->units[unit];
    if (u->kind == PM_UNIT_POINT) {
        OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
        if (!p)
            return nomem(err);
        OGR_G_SetPoint_2D(p, 0, u->label_lon, u->label_lat);
        OGR_G_AssignSpatialReference(p, geo->wgs84);
        *out = p;
        return PM_OK;
    }
    pthread_mutex_t *mu = (pthread_mutex_t *)&geo->mu;
    pthread_mutex_lock(mu);
    pm_status_t rc;
    if (u->kind == PM_UNIT_COMPOSITE) {
        rc = composite(geo, unit, 1, err);
        if (rc == PM_OK) {
            *out = OGR_G_Clone(geo->cache[unit].unioned);
            if (!*out)
                rc = nomem(err);
        }
    } else
        rc = read_geometry(geo, unit, out, err);
    pthread_mutex_unlock(mu);
    return rc;
}

pm_status_t pm_geo_anchor_parse(const char *s, pm_anchor_t *out, pm_error_t *err)
{
    static const char *const names[] = {"label", "surface", "centroid"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (pm_anchor_t)i;
            return PM_OK;
        }
    return pm_error_set(err, PM_EUSAGE, "unknown anchor '%s' (choose label, surface or centroid)",
                        s ? s : "");
}

const char *pm_geo_anchor_name(pm_anchor_t a)
{
    return a == PM_ANCHOR_SURFACE ? "surface" : a == PM_ANCHOR_CENTROID ? "centroid" : "label";
}

pm_status_t pm_geo_anchor(const pm_geo_t *geo, size_t unit, pm_anchor_t how, double *lon,
                          double *lat, pm_error_t *err)
{
    if (unit >= geo->n_units || (unsigned)how > PM_ANCHOR_CENTROID)
        return pm_error_set(err, PM_EUSAGE, "no unit %zu or bad anchor", unit);
    const pm_geo_unit_t *u = &geo->units[unit];
    if (u->kind == PM_UNIT_POINT ||
        (how == PM_ANCHOR_LABEL && u->kind == PM_UNIT_FEATURE && !isnan(u->label_lon))) {
        *lon = u->label_lon;
        *lat = u->label_lat;
        return PM_OK;
    }
    pthread_mutex_t *mu = (pthread_mutex_t *)&geo->mu;
    unit_cache_t *c = &geo->cache[unit];
    pm_status_t rc = PM_OK;
    pthread_mutex_lock(mu);
    if (!c->have[how]) {
        if (how == PM_ANCHOR_LABEL && u->kind == PM_UNIT_COMPOSITE) {
            rc = composite(geo, unit, 0, err);
            if (rc == PM_OK) {
                c->anchor[how][0] = c->label[0];
                c->anchor[how][1] = c->label[1];
            }
        } else {
            OGRGeometryH g = NULL;
            if (u->kind == PM_UNIT_COMPOSITE) {
                rc = composite(geo, unit, 1, err);
                g = rc == PM_OK ? c->unioned : NULL;
            } else
                rc = read_geometry(geo, unit, &g, err);
            if (rc == PM_OK) {
                OGRGeometryH p = NULL;
                if (how == PM_ANCHOR_CENTROID) {
                    p = OGR_G_CreateGeometry(wkbPoint);
                    if (p && OGR_G_Centroid(g, p) != OGRERR_NONE) {
                        OGR_G_DestroyGeometry(p);
                        p = NULL;
                    }
                } else
                    p = OGR_G_PointOnSurface(g);
                if (!p || OGR_G_IsEmpty(p))
                    rc = pm_error_set(err, PM_EINTERNAL, "no %s point for '%s': %s",
                                      pm_geo_anchor_name(how), u->code ? u->code : "",
                                      pm_runtime_gdal_msg());
                else {
                    c->anchor[how][0] = OGR_G_GetX(p, 0);
                    c->anchor[how][1] = OGR_G_GetY(p, 0);
                }
                if (p)
                    OGR_G_DestroyGeometry(p);
            }
            if (g && u->kind != PM_UNIT_COMPOSITE)
                OGR_G_DestroyGeometry(g);
        }
        if (rc == PM_OK)
            c->have[how] = 1;
    }
    if (rc == PM_OK) {
        *lon = c->anchor[how][0];
        *lat = c->anchor[how][1];
    }
    pthread_mutex_unlock(mu);
    return rc;
}
