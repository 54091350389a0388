/*
 * pm_gazetteer: reading the gazetteer file and its key index (see pm_gazetteer.h; the matching is
 * in pm_gazmatch.c).
 *
 * The whole file is read into one buffer (unpacked by zlib when it is gzip'ed)
 * and cut in place: tabs and line ends become NULs, so a row's fields and the index's keys are
 * strings inside the buffer, found by offset. Invariants after opening: rows[i] is the first
 * field of row i; keys[] is sorted by strcmp and keys[k] is followed (after its NUL) by its rows,
 * comma-separated decimal row numbers.
 */
#include "pm_gazetteer.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pm_norm.h"
#include "pm_runtime.h"

#define NFIELDS 11

struct pm_gaz {
    char *path;
    char *buf; /* the file, cut in place */
    size_t len;
    char **units; /* U line: unit codes by number */
    size_t n_units;
    char **rows; /* per row: its first field */
    size_t n_rows;
    char **keys; /* sorted; each followed by its row list */
    size_t n_keys;
    char **owned_keys; /* a file without an index: the computed keys and row lists */
};

static pm_status_t nomem(pm_error_t *err)
{
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

/* Reads the whole file (zlib unpacks a gzip'ed one; a plain file is read as it is) into *out
 * (NUL-terminated). */
static pm_status_t read_all(const char *path, char **out, size_t *len, pm_error_t *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return pm_error_set(err, PM_EIO,
                            "cannot read the gazetteer '%s' (reinstall partnermap, or rebuild it "
                            "with geodata/build_cities.sh)",
                            path);
    gzbuffer(f, 1 << 17);
    size_t cap = (size_t)1 << 16, used = 0;
    char *b = malloc(cap + 1);
    pm_status_t rc = PM_OK;
    for (;;) {
        if (!b) {
            rc = nomem(err);
            break;
        }
        size_t want = cap - used > (1u << 30) ? (1u << 30) : cap - used;
        int got = gzread(f, b + used, (unsigned)want);
        if (got < 0) {
            int code;
            const char *why = gzerror(f, &code);
            rc = pm_error_set(err, PM_EIO, "cannot read the gazetteer '%s': %s", path,
                              why ? why : "damaged");
            break;
        }
        used += (size_t)got;
        if (used < cap)
            break;
        cap *= 2;
        char *nb = realloc(b, cap + 1);
        if (!nb)
            free(b);
        b = nb;
    }
    gzclose(f);
    if (rc) {
        free(b);
        return rc;
    }
    b[used] = 0;
    *out = b;
    *len = used;
    return PM_OK;
}

/* Cuts the line at p (ends at '\n' or the end): tabs and the line end become NUL. Returns the
 * next line and the number of fields in *nf. */
static char *cut_line(char *p, char *end, int *nf)
{
    int k = 1;
    while (p < end && *p != '\n') {
        if (*p == '\t') {
            *p = 0;
            k++;
        }
        p++;
    }
    if (p < end)
        *p++ = 0;
    *nf = k;
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A field of row r (0-based field index). */
static const char *field(const pm_gaz_t *g, size_t r, int k)
{
    const char *p = g->rows[r];
    while (k-- > 0)
        p += strlen(p) + 1;
    return p;
}

typedef struct keyrow {
    char *key;
    uint32_t row;
} keyrow_t;

static int cmp_keyrow(const void *a, const void *b)
{
    const keyrow_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* A file without an index (a fixture): the keys of every name of every row, computed. */
static pm_status_t build_index(pm_gaz_t *g, pm_error_t *err)
{
    keyrow_t *kr = NULL;
    size_t nk = 0, cap = 0;
    pm_status_t rc = PM_OK;
    for (size_t r = 0; r < g->n_rows && !rc; r++) {
        for (int f = 1; f <= 3 && !rc; f++) {
            char *copy = strdup(field(g, r, f)), *save = NULL;
            if (!copy) {
                rc = nomem(err);
                break;
            }
            /* names may hold commas ("Santa Rita, Copan"); only the alternates are a list */
            for (char *t = f == 3 ? strtok_r(copy, ",", &save) : copy; t && *t && !rc;
                 t = f == 3 ? strtok_r(NULL, ",", &save) : NULL) {
                char *k = NULL;
                if ((rc = pm_norm_key(t, &k, err)))
                    break;
                if (!*k) {
                    free(k);
                    continue;
                }
                if (nk == cap) {
                    cap = cap ? 2 * cap : 64;
                    keyrow_t *nv = realloc(kr, cap * sizeof *kr);
                    if (!nv) {
                        free(k);
                        rc = nomem(err);
                        break;
                    }
                    kr = nv;
                }
                kr[nk++] = (keyrow_t){k, (uint32_t)r};
            }
            free(copy);
        }
    }
    if (!rc)
        qsort(kr, nk, sizeof *kr, cmp_keyrow);
    size_t nd = 0;
    for (size_t i = 0; !rc && i < nk; i++)
        nd += !i || strcmp(kr[i].key, kr[i - 1].key);
    if (!rc && (!(g->keys = calloc(nd ? nd : 1, sizeof *g->keys)) ||
                !(g->owned_keys = calloc(nd ? nd : 1, sizeof *g->owned_keys))))
        rc = nomem(err);
    for (size_t i = 0, j; !rc && i < nk; i = j) {
        pm_buf_t b;
        pm_buf_init(&b);
        pm_buf_puts(&b, kr[i].key);
        pm_buf_putc(&b, '\0');
        for (j = i; j < nk && !strcmp(kr[j].key, kr[i].key); j++)
            if (j == i || kr[j].row != kr[j - 1].row)
                pm_buf_printf(&b, "%s%u", j == i ? "" : ",", kr[j].row);
        pm_buf_putc(&b, '\0');
        char *s = pm_buf_take(&b);
        if (!s) {
            rc = nomem(err);
            break;
        }
        g->owned_keys[g->n_keys] = g->keys[g->n_keys] = s;
        g->n_keys++;
    }
    for (size_t i = 0; i < nk; i++)
        free(kr[i].key);
    free(kr);
    return rc;
}

static pm_status_t parse(pm_gaz_t *g, pm_error_t *err)
{
    char *p = g->buf, *end = g->buf + g->len;
    long line = 1;
    const char magic[] = "#partnermap gazetteer 1";
    if (strncmp(p, magic, sizeof magic - 1))
        return pm_error_set(err, PM_EDATA, "%s:1: not a partnermap gazetteer (it begins with '%s')",
                            g->path, magic);
    int nf;
    while (p < end && *p == '#') {
        p = cut_line(p, end, &nf);
        line++;
    }
    if (p < end && p[0] == 'U' && p[1] == '\t') {
        char *l = p;
        p = cut_line(p, end, &nf);
        size_t n = nf >= 2 ? strtoul(l + 2, NULL, 10) : 0;
        char *codes = nf >= 3 ? l + 2 + strlen(l + 2) + 1 : NULL;
        if (!(g->units = calloc(n ? n : 1, sizeof *g->units)))
            return nomem(err);
        for (char *s = codes; s && *s && g->n_units < n;) {
            g->units[g->n_units++] = s;
            char *sp = strchr(s, ' ');
            if (!sp)
                break;
            *sp = 0;
            s = sp + 1;
        }
        line++;
    }
    if (!(p < end && p[0] == 'C' && p[1] == '\t'))
        return pm_error_set(err, PM_EDATA, "%s:%ld: expected the rows ('C<tab>count')", g->path,
                            line);
    char *l = p;
    p = cut_line(p, end, &nf);
    size_t n = strtoul(l + 2, NULL, 10);
    line++;
    if (n > g->len / NFIELDS || !(g->rows = malloc((n ? n : 1) * sizeof *g->rows)))
        return n > g->len / NFIELDS
                   ? pm_error_set(err, PM_EDATA, "%s:%ld: bad row count", g->path, line - 1)
                   : nomem(err);
    for (size_t i = 0; i < n; i++, line++) {
        if (p >= end)
            return pm_error_set(err, PM_EDATA, "%s: %zu rows announced, %zu found", g->path, n, i);
        g->rows[i] = p;
        p = cut_line(p, end, &nf);
        if (nf != NFIELDS)
            return pm_error_set(err, PM_EDATA, "%s:%ld: %d fields, expected %d", g->path, line, nf,
                                NFIELDS);
        const char *u = field(g, i, 6);
        if (*u && strtoul(u, NULL, 10) >= g->n_units)
            return pm_error_set(err, PM_EDATA, "%s:%ld: unit %s out of range", g->path, line, u);
    }
    g->n_rows = n;
    if (p < end && p[0] == 'K' && p[1] == '\t') {
        l = p;
        p = cut_line(p, end, &nf);
        n = strtoul(l + 2, NULL, 10);
        line++;
        if (n > g->len / 2 || !(g->keys = malloc((n ? n : 1) * sizeof *g->keys)))
            return n > g->len / 2
                       ? pm_error_set(err, PM_EDATA, "%s:%ld: bad key count", g->path, line - 1)
                       : nomem(err);
        for (size_t i = 0; i < n; i++, line++) {
            if (p >= end)
                return pm_error_set(err, PM_EDATA, "%s: %zu keys announced, %zu found", g->path, n,
                                    i);
            g->keys[i] = p;
            p = cut_line(p, end, &nf);
            if (nf != 2 || (i && strcmp(g->keys[i - 1], g->keys[i]) >= 0))
                return pm_error_set(err, PM_EDATA, "%s:%ld: %s", g->path, line,
                                    nf != 2 ? "a key line needs key<tab>rows" : "keys not sorted");
        }
        g->n_keys = n;
        return PM_OK;
    }
    return build_index(g, err);
}

pm_status_t pm_gaz_open(const char *path, pm_gaz_t **out, pm_error_t *err)
{
    pm_gaz_t *g = calloc(1, sizeof *g);
    if (!g)
        return nomem(err);
    pm_status_t rc = PM_OK;
    if (path)
        g->path = strdup(path);
    else {
        const char *dir = pm_runtime_datadir();
        size_t n = strlen(dir) + sizeof PM_GAZ_FILE + 1;
        if ((g->path = malloc(n)))
            snprintf(g->path, n, "%s/%s", dir, PM_GAZ_FILE);
    }
    if (!g->path)
        rc = nomem(err);
    if (!rc && !(rc = read_all(g->path, &g->buf, &g->len, err)))
        rc = parse(g, err);
    if (rc) {
        pm_gaz_free(g);
        return rc;
    }
    *out = g;
    return PM_OK;
}

const char *pm_gaz_path(const pm_gaz_t *gaz)
{
    return gaz->path;
}

void pm_gaz_free(pm_gaz_t *g)
{
    if (!g)
        return;
    if (g->owned_keys)
        for (size_t i = 0; i < g->n_keys; i++)
            free(g->owned_keys[i]);
    free(g->owned_keys);
    free(g->keys);
    free(g->rows);
    free(g->units);
    free(g->buf);
    free(g->path);
    free(g);
}

void pm_gaz_city(const pm_gaz_t *g, size_t i, pm_gaz_city_t *c)
{
    const char *f[NFIELDS], *p = g->rows[i];
    for (int k = 0; k < NFIELDS; k++) {
        f[k] = p;
        p += strlen(p) + 1;
    }
    c->row = (uint32_t)i;
    c->id = f[0];
    c->name = f[1];
    c->ascii = f[2];
    c->alternates = f[3];
    c->country = f[4];
    c->admin1 = f[5];
    c->unit_code = *f[6] ? g->units[strtoul(f[6], NULL, 10)] : "";
    c->population = *f[7] ? strtod(f[7], NULL) : 0;
    c->lat = strtod(f[8], NULL);
    c->lon = strtod(f[9], NULL);
    c->feature = f[10];
}

size_t pm_gaz_count(const pm_gaz_t *gaz)
{
    return gaz->n_rows;
}

size_t pm_gaz_lookup(const pm_gaz_t *g, const char *key, uint32_t *rows, size_t max)
{
    char **hit = bsearch(&key, g->keys, g->n_keys, sizeof *g->keys, cmp_str);
    if (!hit)
        return 0;
    const char *p = *hit + strlen(*hit) + 1;
    size_t n = 0;
    while (*p) {
        char *e;
        unsigned long r = strtoul(p, &e, 10);
        if (e == p)
            break;
        if (r < g->n_rows) {
            if (n < max)
                rows[n] = (uint32_t)r;
            n++;
        }
        p = *e == ',' ? e + 1 : e;
    }
    return n;
}

size_t pm_gaz_unit(const pm_gaz_t *gaz, const pm_geo_t *geo, uint32_t row)
{
    pm_gaz_city_t c;
    pm_gaz_city(gaz, row, &c);
    if (!*c.unit_code)
        return PM_GAZ_NO_UNIT;
    const pm_geo_hit_t *h[4];
    size_t n = pm_geo_lookup_src(geo, PM_GEO_EXACT, c.unit_code, 1u << PM_GEO_SRC_CODE, h, 4);
    /* the exact index holds folded text: codes are ASCII, so case folding is lower case */
    if (!n) {
        char low[64];
        size_t k = 0;
        for (; c.unit_code[k] && k < sizeof low - 1; k++)
            low[k] = (char)(c.unit_code[k] >= 'A' && c.unit_code[k] <= 'Z' ? c.unit_code[k] + 32
                                                                           : c.unit_code[k]);
        low[k] = 0;
        n = pm_geo_lookup_src(geo, PM_GEO_EXACT, low, 1u << PM_GEO_SRC_CODE, h, 4);
    }
    return n ? h[0]->unit : PM_GAZ_NO_UNIT;
}

void pm_gaz_describe(const pm_gaz_t *gaz, const pm_geo_t *geo, uint32_t row, pm_buf_t *b)
{
    pm_gaz_city_t c;
    pm_gaz_city(gaz, row, &c);
    size_t u = geo ? pm_gaz_unit(gaz, geo, row) : PM_GAZ_NO_UNIT;
    const char *region = u != PM_GAZ_NO_UNIT ? pm_geo_unit(geo, u)->name : NULL;
    pm_buf_printf(b, "%s (%s, %s, pop. %.0f, GeoNames %s)", c.name, c.country,
                  region && *region ? region : "region unknown", c.population, c.id);
}

const char *const *pm_gaz_keys(const pm_gaz_t *gaz, size_t *n)
{
    *n = gaz->n_keys;
    return (const char *const *)gaz->keys;
}

size_t pm_gaz_key_bound(const pm_gaz_t *gaz, const char *key)
{
    size_t lo = 0, hi = gaz->n_keys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(gaz->keys[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
