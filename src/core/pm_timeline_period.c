/*
 * pm_timeline_period: periods and the activity rule of pm_timeline (see pm_timeline.h): the
 * options' years and period lists, the periods made from a step and the data's years.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_timeline.h"

#define MAX_PERIODS 10000

void pm_timeline_opts_init(pm_timeline_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->step = 1;
    o->from = o->to = o->open_end = PM_YEAR_NONE;
    o->undated = PM_TIMELINE_UNDATED_DROP;
}

/* Digits only (after spaces), n of them, into *out; the end of the number in *end. */
static int read_year(const char *s, const char **end, int *out, int *digits)
{
    while (*s == ' ')
        s++;
    int n = 0;
    long v = 0;
    while (isdigit((unsigned char)s[n]) && n < 6)
        v = v * 10 + (s[n++] - '0');
    if (n == 0 || isdigit((unsigned char)s[n]))
        return -1;
    const char *p = s + n;
    while (*p == ' ')
        p++;
    *end = p;
    *out = (int)v;
    *digits = n;
    return 0;
}

static pm_status_t check_year(int y, int digits, const char *text, const char *what,
                              pm_error_t *err)
{
    if (digits < 3)
        return pm_error_set(err, PM_EUSAGE,
                            "%s '%s': write years in full (1967, not 67)", what, text);
    if (y < PM_YEAR_MIN || y > PM_YEAR_MAX)
        return pm_error_set(err, PM_EUSAGE, "%s '%s': a year from %d to %d, please", what, text,
                            PM_YEAR_MIN, PM_YEAR_MAX);
    return PM_OK;
}

pm_status_t pm_timeline_parse_year(const char *s, const char *what, int *out, pm_error_t *err)
{
    const char *end;
    int y, d;
    if (read_year(s, &end, &y, &d) || *end)
        return pm_error_set(err, PM_EUSAGE, "%s '%s': write a year, e.g. 1967", what, s);
    pm_status_t st = check_year(y, d, s, what, err);
    if (!st)
        *out = y;
    return st;
}

static int by_from(const void *a, const void *b)
{
    const pm_period_t *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from ? 1 : (x->to > y->to) - (x->to < y->to);
}

void pm_period_label(pm_period_t p, char *buf, size_t size)
{
    if (p.from == p.to)
        snprintf(buf, size, "%d", p.from);
    else
        snprintf(buf, size, "%d-%d", p.from, p.to);
}

pm_status_t pm_timeline_parse_periods(const char *spec, pm_period_t **out, size_t *n,
                                      pm_error_t *err)
{
    size_t cap = 1;
    for (const char *p = spec; *p; p++)
        cap += *p == ',';
    if (cap > MAX_PERIODS)
        return pm_error_set(err, PM_EUSAGE, "--periods: more than %d periods", MAX_PERIODS);
    pm_period_t *v = malloc(cap * sizeof *v);
    if (!v)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    size_t k = 0;
    pm_status_t st = PM_OK;
    const char *p = spec;
    for (;;) {
        size_t len = strcspn(p, ",");
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)(len < 63 ? len : 63), p);
        if (len > 63) { /* cut, it could read as a period it is not */
            st = pm_error_set(err, PM_EUSAGE, "--periods: '%s...' is not a period", item);
            break;
        }
        const char *e;
        int a, b, da, db;
        if (read_year(item, &e, &a, &da)) {
            st = pm_error_set(err, PM_EUSAGE,
                              "--periods: '%s' is not a period; write FROM-TO in years, "
                              "separated by commas (1945-1959,1960-1969)",
                              item);
            break;
        }
        b = a;
        db = da;
        if (*e == '-' && read_year(e + 1, &e, &b, &db)) {
            st = pm_error_set(err, PM_EUSAGE,
                              "--periods: '%s' is not a period; write FROM-TO in years", item);
            break;
        }
        if (*e) {
            st = pm_error_set(err, PM_EUSAGE,
                              "--periods: '%s' is not a period; write FROM-TO in years", item);
            break;
        }
        if ((st = check_year(a, da, item, "--periods:", err)) ||
            (st = check_year(b, db, item, "--periods:", err)))
            break;
        if (b < a) {
            st = pm_error_set(err, PM_EUSAGE, "--periods: '%s' ends before it starts", item);
            break;
        }
        v[k++] = (pm_period_t){a, b};
        if (!p[len])
            break;
        p += len + 1;
    }
    if (!st) {
        qsort(v, k, sizeof *v, by_from);
        for (size_t i = 1; i < k; i++)
            if (v[i].from <= v[i - 1].to) {
                char x[32], y[32];
                pm_period_label(v[i - 1], x, sizeof x);
                pm_period_label(v[i], y, sizeof y);
                st = pm_error_set(err, PM_EUSAGE,
                                  "--periods: %s and %s overlap (%d is in both); a tie would "
                                  "count twice: make each period start after the one before "
                                  "ends",
                                  x, y, v[i].from);
                break;
            }
    }
    if (st) {
        free(v);
        return st;
    }
    *out = v;
    *n = k;
    return PM_OK;
}

int pm_timeline_active(int start, int end, int open_end, pm_period_t p)
{
    if (end == PM_YEAR_NONE && open_end != PM_YEAR_NONE)
        end = open_end > start ? open_end : start;
    return start <= p.to && (end == PM_YEAR_NONE || end >= p.from);
}

pm_status_t pm_timeline_periods(const pm_timeline_opts_t *o, const pm_ties_t *t,
                                pm_period_t **out, size_t *n, pm_error_t *err)
{
    if (!t->start_col)
        return pm_error_set(err, PM_EDATA,
                            "%s: a timeline needs a column of start years or dates, and no column "
                            "was recognised as one; name it with --start COL (and --end COL)",
                            t->path);
    int lo = PM_YEAR_NONE, hi = PM_YEAR_NONE, any_open = 0;
    for (size_t i = 0; i < t->n; i++) {
        int s = t->start[i], e = t->end[i];
        if (s == PM_YEAR_NONE)
            continue;
        if (lo == PM_YEAR_NONE || s < lo)
            lo = s;
        int last = e != PM_YEAR_NONE && e > s ? e : s;
        if (hi == PM_YEAR_NONE || last > hi)
            hi = last;
        any_open |= e == PM_YEAR_NONE;
    }
    if (lo == PM_YEAR_NONE)
        return pm_error_set(err, PM_EDATA,
                            "%s: a timeline has nothing to place in time: column '%s' is empty in "
                            "every row; fill it or name another with --start COL",
                            t->path, t->start_col);
    if (any_open && o->open_end != PM_YEAR_NONE && o->open_end > hi)
        hi = o->open_end;
    pm_period_t *v;
    size_t k = 0;
    if (o->periods) {
        if (!(v = malloc((o->n_periods ? o->n_periods : 1) * sizeof *v)))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        memcpy(v, o->periods, o->n_periods * sizeof *v);
        k = o->n_periods;
    } else {
        int from = o->from != PM_YEAR_NONE ? o->from : lo;
        int to = o->to != PM_YEAR_NONE ? o->to : hi;
        int step = o->step > 0 ? o->step : 1;
        if (to < from)
            return pm_error_set(err, PM_EUSAGE,
                                "the first year (%d) is after the last (%d); check --from-year "
                                "and --to-year",
                                from, to);
        size_t count = (size_t)((to - from) / step) + 1;
        if (count > MAX_PERIODS)
            return pm_error_set(err, PM_EUSAGE, "%zu periods: at most %d (give a larger --step)",
                                count, MAX_PERIODS);
        if (!(v = malloc(count * sizeof *v)))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        for (int y = from; y <= to && k < count; y += step)
            v[k++] = (pm_period_t){y, y + step - 1 < to ? y + step - 1 : to};
    }
    *out = v;
    *n = k;
    return PM_OK;
}
