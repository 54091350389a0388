/*
 * pm_utf8: UTF-8 validity and display width, for input checks and aligned terminal tables.
 */
#ifndef PM_UTF8_H
#define PM_UTF8_H

#include <stddef.h>

/* Offset of the first byte that does not start a valid UTF-8 sequence, or (size_t)-1 when the
 * len bytes at s are valid UTF-8 (utf8proc decides). */
size_t pm_utf8_invalid_at(const char *s, size_t len);

/* Columns the string takes on a terminal (wide CJK = 2, combining marks = 0). s must be valid. */
size_t pm_utf8_width(const char *s);

/* Copies at most max_cols columns of s into a new string, with "…" when cut. Caller frees. */
char *pm_utf8_truncate(const char *s, size_t max_cols);

#endif
