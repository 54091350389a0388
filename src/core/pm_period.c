/*
 * pm_period: period lists (explicit or by step), the data's time range, and whether a tie is
 * active in a period (see pm_period.h for the rules).
 */
#include "pm_period.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pm_table.h"

void pm_periods_init(pm_periods_t *ps)
{
    ps->p = NULL;
    ps->n = 0;
}

void pm_periods_destroy(pm_periods_t *ps)
{
    if (!ps)
        return;
    free(ps->p);
    pm_periods_init(ps);
}

static void set_label(pm_period_t *p)
{
    if (p->from == p->to)
        snprintf(p->label, sizeof p->label, "%d", p->from);
    else
        snprintf(p->label, sizeof p->label, "%d\u2013%d", p->from, p->to);
}

/* A year of 1 to 4 digits at *s (after blanks); advances *s. -1 when there is none. */
static int read_year(const char **s)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 6) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (isdigit((unsigned char)*p))
        return -1;
    while (*p == ' ' || *p == '\t')
        p++;
    *s = p;
    return (int)v;
}

static int cmp_period(const void *a, const void *b)
{
    const pm_period_t *x = a, *y = b;
    return x->from != y->from ? (x->from > y->from) - (x->from < y->from)
                              : (x->to > y->to) - (x->to < y->to);
}

pm_status_t pm_periods_parse(const char *spec, pm_periods_t *out, pm_error_t *err)
{
    size_t cap = 1;
    for (const char *c = spec; *c; c++)
        cap += *c == ',';
    if (cap > PM_PERIOD_MAX)
        return pm_error_set(err, PM_EUSAGE, "--periods: %zu periods, at most %d", cap,
                            PM_PERIOD_MAX);
    pm_period_t *p = calloc(cap, sizeof *p);
    if (!p)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    pm_status_t st = PM_OK;
    size_t n = 0;
    const char *s = spec;
    while (!st) {
        const char *part = s;
        size_t len = strcspn(part, ",");
        int a = read_year(&s), b = a;
        if (a >= 0 && *s == '-') {
            s++;
            b = read_year(&s);
        }
        if (a < 0 || b < 0 || (*s && *s != ',')) {
            st = pm_error_set(err, PM_EUSAGE,
                              "--periods: '%.*s' is not a period; write FROM-TO in years, "
                              "e.g. --periods 1945-1959,1960-1969",
                              (int)len, part);
        } else if (a < PM_YEAR_MIN || a > PM_YEAR_MAX || b < PM_YEAR_MIN || b > PM_YEAR_MAX) {
            st = pm_error_set(err, PM_EUSAGE,
                              "--periods: '%.*s' is outside the years %d to %d (write years "
                              "in full: 1965, not 65)",
                              (int)len, part, PM_YEAR_MIN, PM_YEAR_MAX);
        } else if (b < a) {
            st = pm_error_set(err, PM_EUSAGE, "--periods: '%.*s' ends before it starts", (int)len,
                              part);
        } else {
            p[n].from = a;
            p[n].to = b;
            set_label(&p[n++]);
        }
        if (st || !*s)
            break;
        s++; /* the comma */
    }
    if (!st) {
        qsort(p, n, sizeof *p, cmp_period);
        for (size_t i = 1; i < n && !st; i++)
            if (p[i].from <= p[i - 1].to) {
                char x[PM_PERIOD_LABEL_MAX], y[PM_PERIOD_LABEL_MAX];
                pm_period_label(p[i - 1], x, sizeof x);
                pm_period_label(p[i], y, sizeof y);
                st = pm_error_set(err, PM_EUSAGE,
                                  "--periods: %s and %s overlap (%d is in both); a tie would "
                                  "count twice: make each period start after the one before "
                                  "ends (e.g. 1960-1969,1970-1979)",
                                  x, y, p[i].from);
            }
    }
    if (st) {
        free(p);
        return st;
    }
    pm_periods_destroy(out);
    out->p = p;
    out->n = n;
    return PM_OK;
}

pm_status_t pm_periods_step(int from, int to, int step, int align, pm_periods_t *out,
                            pm_error_t *err)
{
    if (step < 1)
        return pm_error_set(err, PM_EUSAGE, "--step %d: give a number of years, 1 or more", step);
    if (to < from)
        return pm_error_set(err, PM_EUSAGE, "the periods' range %d-%d ends before it starts", from,
                            to);
    int first = align ? from - ((from % step) + step) % step : from;
    size_t n = (size_t)((to - first) / step) + 1;
    if (n > PM_PERIOD_MAX)
        return pm_error_set(err, PM_EUSAGE,
                            "--step %d cuts %d-%d into %zu periods, at most %d: take a larger "
                            "step",
                            step, from, to, n, PM_PERIOD_MAX);
    pm_period_t *p = calloc(n, sizeof *p);
    if (!p)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        p[i].from = first + (int)i * step;
        p[i].to = p[i].from + step - 1 > to ? to : p[i].from + step - 1;
        set_label(&p[i]);
    }
    pm_periods_destroy(out);
    out->p = p;
    out->n = n;
    return PM_OK;
}

int pm_period_data_range(const int *start, const int *end, size_t n, int open_end, int *first,
                         int *last)
{
    int any = 0, lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (start[i] == PM_YEAR_NONE)
            continue;
        int e = end[i] != PM_YEAR_NONE                              ? end[i]
                : open_end != PM_PERIOD_OPEN && open_end > start[i] ? open_end
                                                                    : start[i];
        if (!any || start[i] < lo)
            lo = start[i];
        if (!any || e > hi)
            hi = e;
        any = 1;
    }
    if (any) {
        *first = lo;
        *last = hi;
    }
    return any;
}

int pm_period_active(const pm_period_t *p, int start, int end, int open_end, pm_undated_t undated)
{
    if (start == PM_YEAR_NONE)
        return undated == PM_UNDATED_ALL;
    if (end == PM_YEAR_NONE && open_end != PM_PERIOD_OPEN)
        end = open_end < start ? start : open_end;
    return start <= p->to && (end == PM_YEAR_NONE || end >= p->from);
}

int pm_period_is_new(const pm_period_t *p, int start)
{
    return start != PM_YEAR_NONE && start >= p->from && start <= p->to;
}

pm_status_t pm_undated_parse(const char *s, pm_undated_t *out, pm_error_t *err)
{
    if (!strcasecmp(s, "drop"))
        *out = PM_UNDATED_DROP;
    else if (!strcasecmp(s, "all"))
        *out = PM_UNDATED_ALL;
    else
        return pm_error_set(err, PM_EUSAGE,
                            "--undated '%s': use drop (ties without a start year are in no "
                            "period) or all (in every period)",
                            s);
    return PM_OK;
}

void pm_period_label(pm_period_t p, char *buf, size_t size)
{
    if (p.from == p.to)
        snprintf(buf, size, "%d", p.from);
    else
        snprintf(buf, size, "%d-%d", p.from, p.to);
}
