/*
 * pm_period: cutting a tie table's time into periods, and which ties are active in each.
 *
 * A period is a closed range of whole years [from, to] with a label ("1960–1969", or "1965" for
 * one year). A list of periods comes from `--periods 1945-1959,1960-1969,...` (explicit, may be
 * uneven, never overlapping; kept in time order) or from `--step N` over a range (N-year periods;
 * the last one stops at the range's end). The range defaults to the data's first start and last
 * end or start (pm_period_data_range).
 *
 * Activity: a tie is active in [from, to] when its [start, end] overlaps it: start <= to and
 * end >= from. An empty end means still active, unless an open end year closes such ties
 * (`--open-end YEAR`: end = YEAR). A tie without a start year cannot be placed in time: the
 * caller either drops it from every period or keeps it in all (PM_UNDATED_DROP, PM_UNDATED_ALL),
 * and says how many there were. Dates are years here: the table reader turns ISO dates into their
 * year (pm_table.h) and refuses implausible years (two-digit ones) and ends before starts.
 *
 * Pure functions over ints: no I/O, no globals; safe on any thread.
 */
#ifndef PM_PERIOD_H
#define PM_PERIOD_H

#include <stddef.h>

#include "pm_error.h"

#define PM_PERIOD_LABEL_MAX 32
#define PM_PERIOD_MAX 1601 /* periods in one list (a step of one year over every allowed year) */

typedef struct pm_period {
    int from, to;                    /* years, from <= to */
    char label[PM_PERIOD_LABEL_MAX]; /* "1960–1969" (en dash) or "1965" */
} pm_period_t;

typedef struct pm_periods {
    pm_period_t *p; /* in time order, not overlapping */
    size_t n;
} pm_periods_t;

typedef enum pm_undated {
    PM_UNDATED_DROP = 0, /* ties without a start year are in no period (the default) */
    PM_UNDATED_ALL       /* ... are in every period */
} pm_undated_t;

/* "No open end given": an empty end stays open. */
#define PM_PERIOD_OPEN 0

void pm_periods_init(pm_periods_t *ps);
void pm_periods_destroy(pm_periods_t *ps); /* NULL is allowed */

/* Parses "A-B,C-D,..." (each A-B or a single year A; blanks allowed round the parts) into *out
 * (initialised by the caller; replaced on success), sorted by start. Errors: PM_EUSAGE for a
 * malformed part, a year outside 500..2100, B < A, or two periods that overlap (the message
 * names both), PM_ENOMEM. */
pm_status_t pm_periods_parse(const char *spec, pm_periods_t *out, pm_error_t *err);

/* Periods of step years from `from` to `to` (the last one shorter when the range does not divide
 * evenly). align: the first period starts at `from` rounded down to a multiple of step (decades
 * start at 1950, not 1957). Errors: PM_EUSAGE (step < 1, to < from, more than PM_PERIOD_MAX
 * periods), PM_ENOMEM. */
pm_status_t pm_periods_step(int from, int to, int step, int align, pm_periods_t *out,
                            pm_error_t *err);

/* The data's range: the first start and the last end or start over n ties (start[i], end[i];
 * PM_YEAR_NONE where empty). open_end (PM_PERIOD_OPEN = none) counts as the end of open ties.
 * Returns 0 when no tie has a start year. */
int pm_period_data_range(const int *start, const int *end, size_t n, int open_end, int *first,
                         int *last);

/* 1 when a tie of start, end (PM_YEAR_NONE = empty) is active in p under open_end and undated. */
int pm_period_active(const pm_period_t *p, int start, int end, int open_end, pm_undated_t undated);

/* 1 when a tie active in p began in it (start >= p->from): new in the period, not carried over
 * from an earlier one. An undated tie (kept by PM_UNDATED_ALL) is never new. */
int pm_period_is_new(const pm_period_t *p, int start);

/* The period as plain ASCII for tables: "1960-1969", or "1965" for one year. */
void pm_period_label(pm_period_t p, char *buf, size_t size);

/* "drop" or "all". PM_EUSAGE otherwise. */
pm_status_t pm_undated_parse(const char *s, pm_undated_t *out, pm_error_t *err);

#endif
