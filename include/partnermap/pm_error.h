/*
 * pm_error: status codes and the error record every fallible core call fills.
 *
 * A core function returns a pm_status_t and takes a pm_error_t *err as its last parameter. On
 * failure it fills err with one human-readable line (lower case, subject quoted, where it happened,
 * what to do) and returns the same code; on success err is untouched. err may be NULL, in which
 * case only the code is returned. The CLI maps codes to exit codes (see pm_error_exit_code).
 *
 * Warnings that do not stop the work (a self-tie left out, rows merged) go to a pm_diag_t list
 * that the caller owns and prints; the core never prints.
 *
 * Messages and warnings (and a warning's where) are redacted as they are stored (pm_redact.h): a
 * password in a connection string the text quotes is replaced by "***".
 */
#ifndef PM_ERROR_H
#define PM_ERROR_H

#include <stddef.h>

typedef enum {
    PM_OK = 0,
    PM_EUSAGE,   /* bad option or argument: the caller asked for something impossible */
    PM_EDATA,    /* the input data is wrong (bad weight, missing column, not UTF-8, ...) */
    PM_EIO,      /* a file could not be read or written */
    PM_EJOIN,    /* places could not all be matched to geometry */
    PM_ENOMEM,   /* out of memory */
    PM_EINTERNAL /* a library call failed unexpectedly (igraph, GDAL, cairo) */
} pm_status_t;

#define PM_ERROR_MSG_MAX 1024

typedef struct pm_error {
    pm_status_t code;
    char msg[PM_ERROR_MSG_MAX];
} pm_error_t;

/* Sets err (when not NULL) to code and the printf-style message; returns code. */
pm_status_t pm_error_set(pm_error_t *err, pm_status_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err to PM_OK with an empty message. */
void pm_error_clear(pm_error_t *err);

/* Process exit code documented in partnermap(1) for a status: 0 ok, 1 internal failure, 2 usage,
 * 3 bad input data, 4 I/O failure, 5 unmatched or ambiguous places. */
int pm_error_exit_code(pm_status_t code);

/* A short name for a code ("usage", "data", ...). Never NULL. */
const char *pm_status_name(pm_status_t code);

/* ---- warnings ---------------------------------------------------------------------------- */

typedef struct pm_diag_item {
    char *where; /* "ties.csv:14" or "" */
    char *msg;
} pm_diag_item_t;

typedef struct pm_diag {
    pm_diag_item_t *items;
    size_t n, cap;
} pm_diag_t;

void pm_diag_init(pm_diag_t *d);
void pm_diag_destroy(pm_diag_t *d);
/* Appends a warning; where may be NULL. Silently drops it if memory runs out (a warning is not
 * worth failing for). d may be NULL: the warning is discarded. */
void pm_diag_add(pm_diag_t *d, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
