/*
 * test_timeline: the period logic of pm_timeline, which is pm_period's (shared with map --facet
 * period): parsing --periods, the activity rule (open ends, --open-end), periods made from a step
 * and the data's years.
 */
#include <stdlib.h>

#include "pm_test.h"
#include "pm_timeline.h"

static void test_parse_periods(void)
{
    pm_periods_t ps;
    pm_periods_init(&ps);
    pm_error_t err;
    CHECK_INT(pm_periods_parse("1960-1969,1945-1959,1970", &ps, &err), PM_OK);
    pm_period_t *p = ps.p;
    CHECK_INT(ps.n, 3);
    CHECK_INT(p[0].from, 1945); /* sorted */
    CHECK_INT(p[0].to, 1959);
    CHECK_INT(p[2].from, 1970);
    CHECK_INT(p[2].to, 1970);
    CHECK_INT(pm_periods_parse("1950-1960,1960-1969", &ps, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "1950-1960 and 1960-1969 overlap (1960 is in both)");
    CHECK_INT(pm_periods_parse("1950-1970,1955", &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_parse("60-69", &ps, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "write years in full");
    CHECK_INT(pm_periods_parse("1969-1960", &ps, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "ends before it starts");
    CHECK_INT(pm_periods_parse("1960-", &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_parse("", &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_parse("1960,,1970", &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_parse("1960-1969x", &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_parse("3000", &ps, &err), PM_EUSAGE);
    /* an item too long to quote whole is refused, not cut into a valid one */
    CHECK_INT(pm_periods_parse("1960                                                     "
                               "              x",
                               &ps, &err),
              PM_EUSAGE);
    pm_periods_destroy(&ps);
}

static void test_active(void)
{
    pm_period_t p = {1960, 1969, ""};
    CHECK(pm_period_active(&p, 1960, 1960, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1950, 1960, PM_PERIOD_OPEN, PM_UNDATED_DROP)); /* ends inside */
    CHECK(pm_period_active(&p, 1969, PM_YEAR_NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1950, 1980, PM_PERIOD_OPEN, PM_UNDATED_DROP));  /* spans it */
    CHECK(!pm_period_active(&p, 1950, 1959, PM_PERIOD_OPEN, PM_UNDATED_DROP)); /* ended before */
    CHECK(!pm_period_active(&p, 1970, PM_YEAR_NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1940, PM_YEAR_NONE, PM_PERIOD_OPEN,
                           PM_UNDATED_DROP)); /* open: still active */
    CHECK(!pm_period_active(&p, 1940, PM_YEAR_NONE, 1955,
                            PM_UNDATED_DROP)); /* closed by --open-end */
    CHECK(pm_period_active(&p, 1940, PM_YEAR_NONE, 1960, PM_UNDATED_DROP));
    /* an open tie starting after --open-end counts in its start year only */
    CHECK(pm_period_active(&p, 1965, PM_YEAR_NONE, 1950, PM_UNDATED_DROP));
    CHECK(!pm_period_active(&(pm_period_t){1966, 1970, ""}, 1965, PM_YEAR_NONE, 1950,
                            PM_UNDATED_DROP));
}

static void test_periods(void)
{
    pm_ties_t t;
    pm_ties_init(&t);
    int start[] = {1947, PM_YEAR_NONE, 1962}, end[] = {PM_YEAR_NONE, PM_YEAR_NONE, 1975};
    t.n = 3;
    t.start = start;
    t.end = end;
    t.path = "t.csv";
    t.start_col = "start";
    pm_timeline_opts_t o;
    pm_timeline_opts_init(&o);
    o.step = 10;
    pm_period_t *p = NULL;
    size_t n = 0;
    pm_error_t err;
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_OK);
    CHECK_INT(n,
              4); /* from a multiple of the step: 1940-1949 ... 1970-1975 (cut at the last end) */
    CHECK_INT(p[0].from, 1940);
    CHECK_INT(p[3].from, 1970);
    CHECK_INT(p[3].to, 1975);
    free(p);
    o.from = 1947; /* a range given is taken as it is */
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_OK);
    CHECK_INT(n, 3); /* 1947-1956, 1957-1966, 1967-1975 */
    CHECK_INT(p[0].from, 1947);
    CHECK_INT(p[2].from, 1967);
    o.from = PM_YEAR_NONE;
    free(p);
    o.open_end = 1980; /* open ties run to 1980: the last year too */
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_OK);
    CHECK_INT(p[n - 1].to, 1980);
    free(p);
    o.open_end = PM_PERIOD_OPEN;
    o.from = 1950;
    o.to = 1949;
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_EUSAGE);
    o.from = o.to = PM_YEAR_NONE;
    start[0] = start[2] = PM_YEAR_NONE;
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "nothing to place in time");
    t.start_col = NULL;
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "--start COL");
    char b[32];
    pm_period_label((pm_period_t){1965, 1965, ""}, b, sizeof b);
    CHECK_STR(b, "1965");
    pm_period_label((pm_period_t){1960, 1969, ""}, b, sizeof b);
    CHECK_STR(b, "1960-1969");
}

int main(void)
{
    PM_RUN(test_parse_periods);
    PM_RUN(test_active);
    PM_RUN(test_periods);
    return pm_test_done();
}
