/*
 * pm_utf8: UTF-8 checks and widths through utf8proc (see pm_utf8.h).
 */
#include "pm_utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t pm_utf8_invalid_at(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return i;
        i += (size_t)n;
    }
    return (size_t)-1;
}

size_t pm_utf8_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            p++;
            w++;
            continue;
        }
        w += (size_t)utf8proc_charwidth(cp);
        p += n;
    }
    return w;
}

char *pm_utf8_truncate(const char *s, size_t max_cols)
{
    if (pm_utf8_width(s) <= max_cols)
        return strdup(s);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0, bytes = 0;
    while (p[bytes]) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + bytes, -1, &cp);
        if (n <= 0)
            break;
        size_t cw = (size_t)utf8proc_charwidth(cp);
        if (w + cw + 1 > max_cols)
            break;
        w += cw;
        bytes += (size_t)n;
    }
    char *r = malloc(bytes + 4);
    if (!r)
        return NULL;
    memcpy(r, s, bytes);
    memcpy(r + bytes, "\xE2\x80\xA6", 4);
    return r;
}
