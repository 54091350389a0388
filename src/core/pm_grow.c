#include "pm_grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t pm_grow_cap(size_t cap, size_t need, size_t first)
{
    if (need <= cap)
        return cap;
    size_t c = cap ? cap : (first ? first : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return SIZE_MAX;
        c *= 2;
    }
    return c;
}

int pm_grow_array(void *pp, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return 0;
    void *old;
    memcpy(&old, pp, sizeof old); /* pp is the address of some T *: read it as void * */
    size_t bytes = n * size;
    void *p = realloc(old, bytes ? bytes : 1);
    if (!p)
        return 0;
    memcpy(pp, &p, sizeof p);
    return 1;
}
