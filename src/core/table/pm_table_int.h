/*
 * pm_table_int: what pm_table.c and pm_table_text.c share (not a public header).
 *
 * pm_table_text_load reads a delimited-text source once into memory (a regular file, a pipe,
 * /dev/stdin alike), converts it to UTF-8 when an encoding is given, checks it byte by byte and
 * records the physical line on which each data record starts. GDAL then reads the same bytes from
 * a /vsimem/ file, so what was checked is what is read, and a pipe is read only once.
 */
#ifndef PM_TABLE_INT_H
#define PM_TABLE_INT_H

#include <stddef.h>

#include "pm_error.h"

typedef struct pm_text_src {
    char *data; /* UTF-8 bytes, NUL-terminated */
    size_t len;
    long *lines; /* lines[k]: the line on which data record k (after the header) starts */
    size_t n_lines;
    char sep; /* the separator GDAL will use: ',', ';', '\t' or ' ' */
} pm_text_src_t;

void pm_text_src_destroy(pm_text_src_t *s);

/* Reads path (any readable file, pipe or device) into s and checks it: not empty, valid UTF-8
 * (after converting from encoding when not NULL), no NUL byte, RFC 4180 quotes (a quote opens a
 * field or is doubled inside a quoted one), every record with as many fields as the header (at
 * least two), no record longer than PM_TABLE_MAX_LINE. is_tsv: the separator is a tab (GDAL's
 * rule for .tsv); otherwise it is detected from the header as GDAL does. Errors: PM_EIO (cannot
 * read), PM_EUSAGE (unknown encoding), PM_EDATA (the rest, with path:line). */
pm_status_t pm_table_text_load(const char *path, const char *encoding, int is_tsv, pm_text_src_t *s,
                               pm_error_t *err);

#endif
