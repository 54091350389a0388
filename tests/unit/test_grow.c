/*
 * test_grow: capacities double from the first size until they hold what is needed, an overflow
 * gives SIZE_MAX, and an array that cannot grow is left as it was.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pm_grow.h"
#include "pm_test.h"

static void test_cap(void)
{
    CHECK_INT(pm_grow_cap(0, 0, 256), 0);
    CHECK_INT(pm_grow_cap(0, 1, 256), 256);
    CHECK_INT(pm_grow_cap(0, 300, 256), 512);
    CHECK_INT(pm_grow_cap(512, 512, 256), 512);
    CHECK_INT(pm_grow_cap(512, 513, 256), 1024);
    CHECK_INT(pm_grow_cap(0, 5, 0), 8);
    CHECK(pm_grow_cap(SIZE_MAX / 2 + 2, SIZE_MAX, 1) == SIZE_MAX);
}

static void test_array(void)
{
    double *x = NULL;
    CHECK(pm_grow_array(&x, 4, sizeof *x));
    for (int i = 0; i < 4; i++)
        x[i] = i;
    CHECK(pm_grow_array(&x, 1000, sizeof *x));
    CHECK_NEAR(x[3], 3, 0);
    double *kept = x;
    /* n * size overflows: refused, the array kept */
    CHECK(!pm_grow_array(&x, SIZE_MAX / 4, sizeof *x));
    CHECK(x == kept);
    CHECK_NEAR(x[2], 2, 0);
    free(x);
}

int main(void)
{
    PM_RUN(test_cap);
    PM_RUN(test_array);
    return pm_test_done();
}
