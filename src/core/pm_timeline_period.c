/*
 * pm_timeline_period: the periods of a timeline (see pm_timeline.h) from its options and the
 * data's years. The period lists, the step, the data's range and the activity rule are
 * pm_period's (pm_period.h), the same as map --facet period's.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_timeline.h"

void pm_timeline_opts_init(pm_timeline_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->step = 1;
    o->from = o->to = PM_YEAR_NONE;
    o->open_end = PM_PERIOD_OPEN;
    o->undated = PM_UNDATED_DROP;
}

pm_status_t pm_timeline_periods(const pm_timeline_opts_t *o, const pm_ties_t *t, pm_period_t **out,
                                size_t *n, pm_error_t *err)
{
    if (!t->start_col)
        return pm_error_set(err, PM_EDATA,
                            "%s: a timeline needs a column of start years or dates, and no column "
                            "was recognised as one; name it with --start COL (and --end COL)",
                            t->path);
    int lo, hi;
    if (!pm_period_data_range(t->start, t->end, t->n, o->open_end, &lo, &hi))
        return pm_error_set(err, PM_EDATA,
                            "%s: a timeline has nothing to place in time: column '%s' is empty in "
                            "every row; fill it or name another with --start COL",
                            t->path, t->start_col);
    pm_periods_t ps;
    pm_periods_init(&ps);
    if (o->periods) {
        if (!(ps.p = malloc((o->n_periods ? o->n_periods : 1) * sizeof *ps.p)))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        memcpy(ps.p, o->periods, o->n_periods * sizeof *ps.p);
        ps.n = o->n_periods;
    } else {
        /* a range given is taken as it is; the data's starts at a multiple of the step */
        int from = o->from != PM_YEAR_NONE ? o->from : lo;
        int to = o->to != PM_YEAR_NONE ? o->to : hi;
        pm_status_t st =
            pm_periods_step(from, to, o->step > 0 ? o->step : 1, o->from == PM_YEAR_NONE, &ps, err);
        if (st)
            return st;
    }
    *out = ps.p;
    *n = ps.n;
    return PM_OK;
}
