/*
 * pm_error: the error record and the warning list (see pm_error.h). Both pass their text through
 * pm_redact, so no message or warning shows a password from a connection string.
 */
#include "pm_error.h"

#include "pm_redact.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pm_status_t pm_error_set(pm_error_t *err, pm_status_t code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* a message may quote a connection string, or GDAL's text quoting one */
        pm_redact(err->msg, err->msg, sizeof err->msg);
        err->code = code;
    }
    return code;
}

void pm_error_clear(pm_error_t *err)
{
    if (err) {
        err->code = PM_OK;
        err->msg[0] = '\0';
    }
}

int pm_error_exit_code(pm_status_t code)
{
    switch (code) {
    case PM_OK:
        return 0;
    case PM_EUSAGE:
        return 2;
    case PM_EDATA:
        return 3;
    case PM_EIO:
        return 4;
    case PM_EJOIN:
        return 5;
    case PM_ENOMEM:
    case PM_EINTERNAL:
    default:
        return 1;
    }
}

const char *pm_status_name(pm_status_t code)
{
    static const char *const names[] = {"ok", "usage", "data", "io", "join", "memory", "internal"};
    if ((size_t)code < sizeof names / sizeof names[0])
        return names[code];
    return "unknown";
}

void pm_diag_init(pm_diag_t *d)
{
    d->items = NULL;
    d->n = d->cap = 0;
}

void pm_diag_destroy(pm_diag_t *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].where);
        free(d->items[i].msg);
    }
    free(d->items);
    pm_diag_init(d);
}

void pm_diag_add(pm_diag_t *d, const char *where, const char *fmt, ...)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        pm_diag_item_t *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return;
        d->items = items;
        d->cap = cap;
    }
    char buf[PM_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pm_redact(buf, buf, sizeof buf);
    char *w = pm_redact_dup(where ? where : "");
    char *m = strdup(buf);
    if (!w || !m) {
        free(w);
        free(m);
        return;
    }
    d->items[d->n].where = w;
    d->items[d->n].msg = m;
    d->n++;
}
