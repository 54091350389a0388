/*
 * pm_strmap: open-addressing string map (see pm_strmap.h). Load factor kept under 1/2.
 */
#include "pm_strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void pm_strmap_init(pm_strmap_t *m)
{
    memset(m, 0, sizeof *m);
}

void pm_strmap_destroy(pm_strmap_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    pm_strmap_init(m);
}

static size_t slot(char *const *keys, size_t cap, const char *key)
{
    size_t i = (size_t)hash(key) & (cap - 1);
    while (keys[i] && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

size_t pm_strmap_get(const pm_strmap_t *m, const char *key)
{
    if (!m->cap)
        return (size_t)-1;
    size_t i = slot(m->keys, m->cap, key);
    return m->keys[i] ? m->vals[i] : (size_t)-1;
}

static int rehash(pm_strmap_t *m, size_t cap)
{
    char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot(keys, cap, m->keys[i]);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int pm_strmap_put(pm_strmap_t *m, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64))
        return -1;
    size_t i = slot(m->keys, m->cap, key);
    if (!m->keys[i]) {
        if (!(m->keys[i] = strdup(key)))
            return -1;
        m->n++;
    }
    m->vals[i] = val;
    return 0;
}
