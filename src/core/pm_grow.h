/*
 * pm_grow: arrays that grow by doubling, for the modules that keep several parallel arrays of
 * one length (a column per field) and must grow them together.
 *
 * Usage, for arrays x and y of n items with capacity cap:
 *
 *     size_t c = pm_grow_cap(cap, need, 256);
 *     if (c > cap) {
 *         int ok = pm_grow_array(&x, c, sizeof *x);
 *         ok &= pm_grow_array(&y, c, sizeof *y);
 *         if (!ok)
 *             return out of memory;     (each array keeps what it held: free them as usual)
 *         cap = c;
 *     }
 */
#ifndef PM_GROW_H
#define PM_GROW_H

#include <stddef.h>

/* The capacity that holds need items: cap itself when it does, else cap (first when cap is 0)
 * doubled until it does. SIZE_MAX when doubling would overflow (pm_grow_array then fails). */
size_t pm_grow_cap(size_t cap, size_t need, size_t first);

/* Reallocates the array whose address is at pp (a T** passed as void *) to n items of size
 * bytes. 1 on success; 0 when the allocation fails or n * size overflows, and then the array is
 * left as it was. */
int pm_grow_array(void *pp, size_t n, size_t size);

#endif
