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
    char sep; /* the separator GDAL will use: ',', ';', '\t' or ' ' (data is rewritten to ','
                 when the given separator is one GDAL would not detect) */
} pm_text_src_t;

void pm_text_src_destroy(pm_text_src_t *s);

/* Reads path (any readable file, pipe or device) into s and checks it: not empty, valid UTF-8
 * (after converting from encoding when not NULL), no NUL byte, RFC 4180 quotes (a quote opens a
 * field or is doubled inside a quoted one), every record with as many fields as the header (at
 * least two), no record longer than PM_TABLE_MAX_LINE. sep: the separator the user gave, or '\0':
 * then it is a tab when is_tsv (GDAL's rule for .tsv) and otherwise detected from the header as
 * GDAL does. A given separator GDAL would not use is replaced by ',' (fields that hold a comma
 * quoted), line for line. Errors: PM_EIO (cannot read), PM_EUSAGE (unknown encoding), PM_EDATA
 * (the rest, with path:line). */
pm_status_t pm_table_text_load(const char *path, const char *encoding, char sep, int is_tsv,
                               pm_text_src_t *s, pm_error_t *err);

#endif
