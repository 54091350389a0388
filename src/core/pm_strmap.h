/*
 * pm_strmap: a string -> index hash map (open addressing, FNV-1a), for place names and keys.
 * Keys are copied. Not thread-safe for writes; concurrent lookups on a map no one modifies are
 * fine.
 */
#ifndef PM_STRMAP_H
#define PM_STRMAP_H

#include <stddef.h>

typedef struct pm_strmap {
    char **keys;
    size_t *vals;
    size_t cap, n;
} pm_strmap_t;

void pm_strmap_init(pm_strmap_t *m);
void pm_strmap_destroy(pm_strmap_t *m);
/* Index of key, or (size_t)-1. */
size_t pm_strmap_get(const pm_strmap_t *m, const char *key);
/* Sets key to val (replacing). Returns 0, or -1 when out of memory. */
int pm_strmap_put(pm_strmap_t *m, const char *key, size_t val);

#endif
