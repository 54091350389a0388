/*
 * pm_filter: --where and --period (see pm_filter.h).
 */
#include "pm_filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void pm_filter_init(pm_filter_t *f)
{
    memset(f, 0, sizeof *f);
}

void pm_filter_destroy(pm_filter_t *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_where; i++) {
        free(f->col[i]);
        free(f->value[i]);
    }
    free(f->col);
    free(f->value);
    free(f->negate);
    pm_filter_init(f);
}

int pm_filter_active(const pm_filter_t *f)
{
    return f->n_where > 0 || f->has_period;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

pm_status_t pm_filter_add_where(pm_filter_t *f, const char *cond, pm_error_t *err)
{
    const char *eq = strchr(cond, '=');
    if (!eq || eq == cond || (eq == cond + 1 && cond[0] == '!'))
        return pm_error_set(err, PM_EUSAGE, "--where '%s': write COLUMN=VALUE or COLUMN!=VALUE",
                            cond);
    int neg = eq[-1] == '!';
    size_t i = f->n_where;
    char **c = realloc(f->col, (i + 1) * sizeof *c);
    if (c)
        f->col = c;
    char **v = realloc(f->value, (i + 1) * sizeof *v);
    if (v)
        f->value = v;
    int *n = realloc(f->negate, (i + 1) * sizeof *n);
    if (n)
        f->negate = n;
    if (!c || !v || !n)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    f->col[i] = trim_dup(cond, (size_t)(eq - cond) - (size_t)neg);
    f->value[i] = trim_dup(eq + 1, strlen(eq + 1));
    f->negate[i] = neg;
    if (!f->col[i] || !f->value[i]) {
        free(f->col[i]);
        free(f->value[i]);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    f->n_where++;
    return PM_OK;
}

pm_status_t pm_filter_set_period(pm_filter_t *f, const char *spec, pm_error_t *err)
{
    int a, b;
    char tail;
    if (sscanf(spec, "%d-%d%c", &a, &b, &tail) == 2) {
        /* a range */
    } else if (sscanf(spec, "%d%c", &a, &tail) == 1) {
        b = a;
    } else {
        return pm_error_set(err, PM_EUSAGE, "--period '%s': write FROM-TO in years, e.g. 1960-1969",
                            spec);
    }
    if (b < a)
        return pm_error_set(err, PM_EUSAGE, "--period '%s': the period ends before it starts",
                            spec);
    f->has_period = 1;
    f->from_year = a;
    f->to_year = b;
    return PM_OK;
}

static int has_column(const pm_ties_t *t, const char *col)
{
    static const char *const known[] = {"from", "to", "type", "confidence", "start", "end", NULL};
    for (size_t k = 0; known[k]; k++)
        if (!strcasecmp(col, known[k]))
            return 1;
    if ((t->from_col && !strcasecmp(col, t->from_col)) ||
        (t->to_col && !strcasecmp(col, t->to_col)))
        return 1;
    if ((t->start_col && !strcasecmp(col, t->start_col)) ||
        (t->end_col && !strcasecmp(col, t->end_col)))
        return 1;
    if (t->group_from_col &&
        (!strcasecmp(col, t->group_from_col) || !strcasecmp(col, t->group_to_col)))
        return 1;
    return pm_ties_attr_index(t, col) >= 0;
}

/* Does tie i satisfy the conditions on column col (any of them)? */
static int column_holds(const pm_filter_t *f, const pm_ties_t *t, size_t i, const char *col)
{
    char buf[PM_TIES_VALUE_BUF];
    const char *v = pm_ties_value(t, i, col, buf);
    int any_positive = 0, matched = 0;
    for (size_t k = 0; k < f->n_where; k++) {
        if (strcasecmp(f->col[k], col))
            continue;
        int eq = !strcasecmp(v ? v : "", f->value[k]);
        if (f->negate[k]) {
            if (eq)
                return 0;
        } else {
            any_positive = 1;
            matched |= eq;
        }
    }
    return !any_positive || matched;
}

pm_status_t pm_filter_apply(const pm_filter_t *f, pm_ties_t *t, pm_diag_t *diag, pm_error_t *err)
{
    if (!pm_filter_active(f))
        return PM_OK;
    for (size_t k = 0; k < f->n_where; k++)
        if (!has_column(t, f->col[k]))
            return pm_error_set(err, PM_EDATA,
                                "%s: --where names column '%s', which the table "
                                "does not have",
                                t->path, f->col[k]);
    if (f->has_period && !t->start_col)
        return pm_error_set(err, PM_EDATA,
                            "%s: --period needs a column of start years or dates, and no column "
                            "was recognised as one; name it with --start COL (and --end COL)",
                            t->path);
    unsigned char *keep = malloc(t->n ? t->n : 1);
    if (!keep)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    size_t kept = 0, undated = 0;
    for (size_t i = 0; i < t->n; i++) {
        int ok = 1;
        for (size_t k = 0; k < f->n_where && ok; k++)
            ok = column_holds(f, t, i, f->col[k]);
        if (ok && f->has_period) {
            int end = t->end[i];
            if (end == PM_YEAR_NONE && f->open_end)
                end = f->open_end < t->start[i] ? t->start[i] : f->open_end;
            if (t->start[i] == PM_YEAR_NONE)
                undated += (size_t)!f->drop_undated, ok = !f->drop_undated;
            else
                ok = t->start[i] <= f->to_year && (end == PM_YEAR_NONE || end >= f->from_year);
        }
        keep[i] = (unsigned char)ok;
        kept += (size_t)ok;
    }
    size_t dated = 0;
    for (size_t i = 0; i < t->n; i++)
        dated += t->start[i] != PM_YEAR_NONE;
    if (f->has_period && dated == 0) {
        free(keep);
        return pm_error_set(err, PM_EDATA,
                            "%s: --period has nothing to act on: column '%s' is empty in every "
                            "row; fill it or name another with --start COL",
                            t->path, t->start_col);
    }
    if (kept == 0) {
        free(keep);
        return pm_error_set(err, PM_EDATA, "%s: no tie is left after --where/--period", t->path);
    }
    if (undated)
        pm_diag_add(diag, t->path, "%zu tie%s without a start year kept by --period %d-%d", undated,
                    undated == 1 ? "" : "s", f->from_year, f->to_year);
    pm_ties_filter(t, keep);
    free(keep);
    return PM_OK;
}
