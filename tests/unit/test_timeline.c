/*
 * test_timeline: the period logic of pm_timeline: parsing --periods and years, the activity
 * rule (open ends, --open-end), periods made from a step and the data's years.
 */
#include <stdlib.h>

#include "pm_test.h"
#include "pm_timeline.h"

static void test_parse_periods(void)
{
    pm_period_t *p = NULL;
    size_t n = 0;
    pm_error_t err;
    CHECK_INT(pm_timeline_parse_periods("1960-1969,1945-1959,1970", &p, &n, &err), PM_OK);
    CHECK_INT(n, 3);
    CHECK_INT(p[0].from, 1945); /* sorted */
    CHECK_INT(p[0].to, 1959);
    CHECK_INT(p[2].from, 1970);
    CHECK_INT(p[2].to, 1970);
    free(p);
    CHECK_INT(pm_timeline_parse_periods("1950-1960,1960-1969", &p, &n, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "1950-1960 and 1960-1969 overlap (1960 is in both)");
    CHECK_INT(pm_timeline_parse_periods("1950-1970,1955", &p, &n, &err), PM_EUSAGE);
    CHECK_INT(pm_timeline_parse_periods("60-69", &p, &n, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "write years in full");
    CHECK_INT(pm_timeline_parse_periods("1969-1960", &p, &n, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "ends before it starts");
    CHECK_INT(pm_timeline_parse_periods("1960-", &p, &n, &err), PM_EUSAGE);
    CHECK_INT(pm_timeline_parse_periods("", &p, &n, &err), PM_EUSAGE);
    CHECK_INT(pm_timeline_parse_periods("1960,,1970", &p, &n, &err), PM_EUSAGE);
    CHECK_INT(pm_timeline_parse_periods("1960-1969x", &p, &n, &err), PM_EUSAGE);
    CHECK_INT(pm_timeline_parse_periods("3000", &p, &n, &err), PM_EUSAGE);
    /* an item too long to quote whole is refused, not cut into a valid one */
    CHECK_INT(pm_timeline_parse_periods("1960                                                     "
                                        "              x",
                                        &p, &n, &err),
              PM_EUSAGE);
    int y = 0;
    CHECK_INT(pm_timeline_parse_year("1991", "--open-end", &y, &err), PM_OK);
    CHECK_INT(y, 1991);
    CHECK_INT(pm_timeline_parse_year("91", "--open-end", &y, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "--open-end '91'");
    CHECK_INT(pm_timeline_parse_year("1991-05-01", "--open-end", &y, &err), PM_EUSAGE);
}

static void test_active(void)
{
    pm_period_t p = {1960, 1969};
    CHECK(pm_timeline_active(1960, 1960, PM_YEAR_NONE, p));
    CHECK(pm_timeline_active(1950, 1960, PM_YEAR_NONE, p));  /* ends inside */
    CHECK(pm_timeline_active(1969, PM_YEAR_NONE, PM_YEAR_NONE, p));
    CHECK(pm_timeline_active(1950, 1980, PM_YEAR_NONE, p));  /* spans it */
    CHECK(!pm_timeline_active(1950, 1959, PM_YEAR_NONE, p)); /* ended before */
    CHECK(!pm_timeline_active(1970, PM_YEAR_NONE, PM_YEAR_NONE, p));
    CHECK(pm_timeline_active(1940, PM_YEAR_NONE, PM_YEAR_NONE, p)); /* open: still active */
    CHECK(!pm_timeline_active(1940, PM_YEAR_NONE, 1955, p));        /* closed by --open-end */
    CHECK(pm_timeline_active(1940, PM_YEAR_NONE, 1960, p));
    /* an open tie starting after --open-end counts in its start year only */
    CHECK(pm_timeline_active(1965, PM_YEAR_NONE, 1950, p));
    CHECK(!pm_timeline_active(1965, PM_YEAR_NONE, 1950, (pm_period_t){1966, 1970}));
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
    CHECK_INT(n, 3); /* 1947-1956, 1957-1966, 1967-1975 (cut at the last end) */
    CHECK_INT(p[0].from, 1947);
    CHECK_INT(p[2].from, 1967);
    CHECK_INT(p[2].to, 1975);
    free(p);
    o.open_end = 1980; /* open ties run to 1980: the last year too */
    CHECK_INT(pm_timeline_periods(&o, &t, &p, &n, &err), PM_OK);
    CHECK_INT(p[n - 1].to, 1980);
    free(p);
    o.open_end = PM_YEAR_NONE;
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
    pm_period_label((pm_period_t){1965, 1965}, b, sizeof b);
    CHECK_STR(b, "1965");
    pm_period_label((pm_period_t){1960, 1969}, b, sizeof b);
    CHECK_STR(b, "1960-1969");
}

int main(void)
{
    PM_RUN(test_parse_periods);
    PM_RUN(test_active);
    PM_RUN(test_periods);
    return pm_test_done();
}
