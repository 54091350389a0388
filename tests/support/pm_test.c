/*
 * pm_test: counters and the closing line (see pm_test.h).
 */
#include "pm_test.h"

#include <stdarg.h>

int pm_test_passed, pm_test_failed;
const char *pm_test_current = "";

void pm_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    pm_test_failed++;
    fprintf(stderr, "FAIL %s:%d (%s): ", file, line, pm_test_current);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int pm_test_done(void)
{
    printf("%d passed, %d failed\n", pm_test_passed, pm_test_failed);
    return pm_test_failed ? 1 : 0;
}
