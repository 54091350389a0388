/*
 * test_period: period lists (explicit and by step), the data's range, and which ties are active
 * in a period and new in it (pm_period.h), worked out by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_period.h"
#include "pm_table.h"
#include "pm_test.h"

#define NONE PM_YEAR_NONE

static void test_parse(void)
{
    pm_periods_t ps;
    pm_error_t err;
    pm_periods_init(&ps);
    CHECK_INT(pm_periods_parse("1960-1969, 1945-1959 ,1970-1989,1990", &ps, &err), PM_OK);
    CHECK_INT(ps.n, 4);
    CHECK_INT(ps.p[0].from, 1945); /* sorted */
    CHECK_INT(ps.p[0].to, 1959);
    CHECK_INT(ps.p[2].to, 1989); /* uneven */
    CHECK_INT(ps.p[3].from, 1990);
    CHECK_INT(ps.p[3].to, 1990);
    CHECK(!strcmp(ps.p[0].label, "1945\u20131959"));
    CHECK(!strcmp(ps.p[3].label, "1990"));
    /* refused, and the list kept as it was */
    CHECK_INT(pm_periods_parse("1950-1960,1960-1969", &ps, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "overlap") != NULL);
    CHECK(strstr(err.msg, "1950-1960") != NULL);
    CHECK_INT(pm_periods_parse("1970-1979,1950-1975", &ps, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "overlap") != NULL);
    CHECK_INT(pm_periods_parse("65-69", &ps, &err), PM_EUSAGE); /* two-digit years */
    CHECK(strstr(err.msg, "in full") != NULL);
    CHECK_INT(pm_periods_parse("1969-1960", &ps, &err), PM_EUSAGE);
    CHECK(strstr(err.msg, "ends before it starts") != NULL);
    const char *bad[] = {"",           "1960-",      "-1960", "1960-1969,",
                         "1960..1969", "1960-1969x", "a-b",   "1960 1969"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (pm_periods_parse(bad[i], &ps, &err) != PM_EUSAGE)
            pm_test_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
        else
            pm_test_passed++;
    }
    CHECK_INT(ps.n, 4);
    pm_periods_destroy(&ps);
    pm_periods_destroy(NULL);
}

static void test_step(void)
{
    pm_periods_t ps;
    pm_error_t err;
    pm_periods_init(&ps);
    /* aligned: decades from 1950, the last one stops at the range's end */
    CHECK_INT(pm_periods_step(1957, 1991, 10, 1, &ps, &err), PM_OK);
    CHECK_INT(ps.n, 5);
    CHECK_INT(ps.p[0].from, 1950);
    CHECK_INT(ps.p[0].to, 1959);
    CHECK_INT(ps.p[4].from, 1990);
    CHECK_INT(ps.p[4].to, 1991);
    CHECK(!strcmp(ps.p[4].label, "1990\u20131991"));
    /* not aligned: from the range's start */
    CHECK_INT(pm_periods_step(1957, 1966, 5, 0, &ps, &err), PM_OK);
    CHECK_INT(ps.n, 2);
    CHECK_INT(ps.p[0].from, 1957);
    CHECK_INT(ps.p[1].from, 1962);
    CHECK_INT(ps.p[1].to, 1966);
    CHECK_INT(pm_periods_step(1950, 1950, 1, 1, &ps, &err), PM_OK);
    CHECK_INT(ps.n, 1);
    CHECK(!strcmp(ps.p[0].label, "1950"));
    CHECK_INT(pm_periods_step(1950, 1960, 0, 1, &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_step(1960, 1950, 1, 1, &ps, &err), PM_EUSAGE);
    CHECK_INT(pm_periods_step(100, 2100, 1, 1, &ps, &err), PM_EUSAGE); /* too many */
    CHECK_INT(ps.n, 1);
    pm_periods_destroy(&ps);
}

static void test_active(void)
{
    pm_period_t p = {1960, 1969, ""};
    /* overlap of [start, end] with [1960, 1969] */
    CHECK(pm_period_active(&p, 1950, 1960, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(!pm_period_active(&p, 1950, 1959, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1969, NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(!pm_period_active(&p, 1970, NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1900, NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP)); /* still active */
    /* an open end closed by --open-end */
    CHECK(!pm_period_active(&p, 1900, NONE, 1955, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1900, NONE, 1960, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, 1900, 1965, 1930, PM_UNDATED_DROP)); /* a real end wins */
    /* undated */
    CHECK(!pm_period_active(&p, NONE, NONE, PM_PERIOD_OPEN, PM_UNDATED_DROP));
    CHECK(pm_period_active(&p, NONE, 1950, PM_PERIOD_OPEN, PM_UNDATED_ALL));
    /* new in the period */
    CHECK(pm_period_is_new(&p, 1960));
    CHECK(pm_period_is_new(&p, 1969));
    CHECK(!pm_period_is_new(&p, 1959));
    CHECK(!pm_period_is_new(&p, NONE));
}

static void test_range(void)
{
    int start[] = {1967, NONE, 1947, 1975, 1960};
    int end[] = {NONE, 1999, NONE, 1995, 1962};
    int a = 0, b = 0;
    CHECK(pm_period_data_range(start, end, 5, PM_PERIOD_OPEN, &a, &b));
    CHECK_INT(a, 1947);
    CHECK_INT(b, 1995); /* the undated row's end does not count */
    CHECK(pm_period_data_range(start, end, 5, 2005, &a, &b));
    CHECK_INT(b, 2005);
    int s2[] = {NONE}, e2[] = {NONE};
    a = b = -1;
    CHECK(!pm_period_data_range(s2, e2, 1, PM_PERIOD_OPEN, &a, &b));
    CHECK_INT(a, -1);
    pm_undated_t u;
    pm_error_t err;
    CHECK_INT(pm_undated_parse("ALL", &u, &err), PM_OK);
    CHECK_INT(u, PM_UNDATED_ALL);
    CHECK_INT(pm_undated_parse("keep", &u, &err), PM_EUSAGE);
}

int main(void)
{
    PM_RUN(test_parse);
    PM_RUN(test_step);
    PM_RUN(test_active);
    PM_RUN(test_range);
    return pm_test_done();
}
