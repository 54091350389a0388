/*
 * pm_filter: choosing which ties a run uses: `--where COL=VALUE` conditions and a `--period`.
 *
 * Conditions on the same column are alternatives (confidence=documented, confidence=probable);
 * conditions on different columns must all hold. `COL!=VALUE` excludes. Values compare without
 * regard to ASCII case and surrounding spaces. A period FROM-TO keeps the ties active at some
 * time in [FROM, TO]: start <= TO and (no end or end >= FROM). Ties without a start year cannot
 * be placed in time; they are kept and counted, so the caller can say so.
 */
#ifndef PM_FILTER_H
#define PM_FILTER_H

#include <stddef.h>

#include "pm_error.h"
#include "pm_table.h"

typedef struct pm_filter {
    size_t n_where;
    char **col, **value;
    int *negate;
    int has_period;
    int from_year, to_year;
    /* with a period (small multiples, pm_period.h): 1 = ties without a start year are left out
     * instead of kept; open_end != 0 = an empty end means this year instead of "still active" */
    int drop_undated;
    int open_end;
} pm_filter_t;

void pm_filter_init(pm_filter_t *f);
void pm_filter_destroy(pm_filter_t *f);
/* Adds "COL=VALUE" or "COL!=VALUE". Errors: PM_EUSAGE for a malformed condition. */
pm_status_t pm_filter_add_where(pm_filter_t *f, const char *cond, pm_error_t *err);
/* Sets the period from "1960-1969" or "1965". Errors: PM_EUSAGE. */
pm_status_t pm_filter_set_period(pm_filter_t *f, const char *spec, pm_error_t *err);
/* 1 when the filter has any condition. */
int pm_filter_active(const pm_filter_t *f);

/* Applies the filter to t in place. Errors: PM_EDATA when a condition names a column the table
 * does not have, or when no tie is left. Warnings (ties kept without years) go to diag. */
pm_status_t pm_filter_apply(const pm_filter_t *f, pm_ties_t *t, pm_diag_t *diag, pm_error_t *err);

#endif
