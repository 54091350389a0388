/*
 * pm_table: reading a table of ties through OGR.
 *
 * Any tabular source OGR opens works the same way: CSV, TSV, XLSX, ODS, GeoPackage/SQLite tables
 * (and PostgreSQL with a PG: connection string). One row is one tie from a place to a place. The
 * two place columns are named by the caller or recognised from the usual headers (from/to,
 * source/target, a/b, ...); a weight column likewise (weight/count/value). The well-known columns
 * start, end (years), type and confidence are parsed; every other column is kept as a string
 * attribute, in file order.
 *
 * The start and end columns hold years or dates (1967, 1967-12-11, 1967/12/11: the year counts);
 * a lone year/date column is the start, and the end stays empty (= still active or unknown).
 *
 * Delimited text (CSV, TSV, .txt) is read once into memory, checked byte by byte (UTF-8 or the
 * given encoding, no NUL byte, RFC 4180 quotes, the same number of fields in every record as in
 * the header, no record over GDAL's line limit) and handed to GDAL from memory. The source may be
 * a pipe or /dev/stdin: it is read once (spooled) and messages still name the path as given.
 *
 * Invariants of a pm_ties_t filled by pm_table_read: every from/to is valid, non-empty UTF-8
 * (trimmed); every weight is finite and > 0; line[i] is the 1-based line (CSV/TSV: physical line
 * where the record starts) or row (spreadsheets, tables) of tie i in its source, for messages.
 * Nothing is merged or dropped here: duplicate pairs and self-ties are the graph's business.
 */
#ifndef PM_TABLE_H
#define PM_TABLE_H

#include <limits.h>
#include <stddef.h>

#include "pm_error.h"

#define PM_YEAR_NONE INT_MIN
/* The years a start or end may hold; outside them (-5, 20000, a typo) a row is refused (PM_EDATA).
 * The oldest town twinning known is of 836 (Le Mans and Paderborn). */
#define PM_YEAR_MIN 500
#define PM_YEAR_MAX 2100

typedef struct pm_table_opts {
    const char *layer;          /* sheet or table; NULL = the first layer */
    const char *from_col;       /* NULL = recognise */
    const char *to_col;         /* NULL = recognise */
    const char *weight_col;     /* NULL = recognise; "" = no weights (all 1) */
    const char *group_from_col; /* e.g. the country of each side; NULL = recognise from_country */
    const char *group_to_col;
    const char *start_col; /* NULL = recognise (start, year, date, from_year, год, ...) */
    const char *end_col;   /* NULL = recognise (end, end_year, to_year, until, ...) */
    const char *encoding;  /* CSV/TSV text in another encoding (iconv name, e.g. CP1251); NULL =
                              UTF-8 */
    int decimal_comma;     /* weights are written 1,5 (one comma, no point) */
    char separator;        /* CSV/TSV text: the column separator (',' ';' '|' '\t' ' ' ...); '\0' =
                              detect it from the header as GDAL does (',' ';' or a tab; .tsv a tab) */
} pm_table_opts_t;

/* Weights are bounded: 0 < w <= PM_WEIGHT_MAX, so sums over millions of ties stay far from
 * overflow and the eigenvector solvers see a sane range. */
#define PM_WEIGHT_MAX 1e15
/* GDAL's CSV driver stops (silently) at a line longer than this many bytes (MAX_LINE_SIZE). */
#define PM_TABLE_MAX_LINE 10000000

typedef struct pm_ties {
    char *path;                           /* the source as given, without a password (pm_redact) */
    char *from_col, *to_col, *weight_col; /* column names used (weight_col NULL: none) */
    char *group_from_col, *group_to_col;  /* NULL when absent */
    char *start_col, *end_col;            /* date columns used; NULL when absent */
    size_t n;
    char **from, **to; /* place names */
    double *weight;
    int *start, *end; /* years or PM_YEAR_NONE */
    char **type;      /* NULL entries when the column is absent or the cell empty */
    char **confidence;
    char **group_from, **group_to; /* NULL arrays when no group columns */
    long *line;
    int line_is_row; /* 1 when line[] counts rows of a sheet/table, not text lines */
    /* other columns, kept for later use: attr[i * n_attr + j] is tie i's value of attr_name[j] */
    size_t n_attr;
    char **attr_name;
    char **attr;
} pm_ties_t;

void pm_ties_init(pm_ties_t *t);
void pm_ties_destroy(pm_ties_t *t);

/* 1 when source names a database table rather than a file (a GDAL connection string, PG:...):
 * it has no bytes to hash and no folder; it may hold a password (show it through pm_redact). */
int pm_table_is_database(const char *source);

/* Reads the ties in path. Errors: PM_EIO (no such file, a folder, a symbolic link loop, cannot
 * open, no such layer), PM_EDATA (an empty file; only one column; no place columns recognised:
 * the message lists the columns and the flags to pass; bad weight, year or date, not UTF-8, a NUL
 * byte, a stray or unclosed quote, a record with more or fewer fields than the header, a record
 * over PM_TABLE_MAX_LINE bytes, empty place name: with file and line), PM_EUSAGE (an unknown
 * encoding, or an encoding given for a source that is not delimited text). Warnings (e.g. ignored
 * empty rows) go to diag. On failure *out is left initialised and empty. */
pm_status_t pm_table_read(const char *path, const pm_table_opts_t *opts, pm_ties_t *out,
                          pm_diag_t *diag, pm_error_t *err);

/* Index of attribute column name, or -1. */
int pm_ties_attr_index(const pm_ties_t *t, const char *name);

/* Keeps only the ties for which keep[i] is non-zero (compacting every array). */
void pm_ties_filter(pm_ties_t *t, const unsigned char *keep);

/* The value of column `name` for tie i: the well-known columns (from, to, type, confidence,
 * from_country...) or an attribute; NULL when absent or empty. Lent: from t, or for a value kept
 * as a number (the start and end years) written into buf, which the caller gives (at least
 * PM_TIES_VALUE_BUF bytes). */
#define PM_TIES_VALUE_BUF 16
const char *pm_ties_value(const pm_ties_t *t, size_t i, const char *name, char *buf);

#endif
