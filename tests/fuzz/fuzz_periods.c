/*
 * fuzz_periods: the period lists of timeline and map --facet period: bytes -> pm_periods_parse.
 * Checks what pm_period.h promises: success gives sorted, disjoint
 * periods of years in range with from <= to; anything else is PM_EUSAGE with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_period.h"
#include "pm_table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    pm_periods_t ps;
    pm_periods_init(&ps);
    pm_error_t err;
    pm_status_t st = pm_periods_parse(s, &ps, &err);
    const pm_period_t *p = ps.p;
    size_t n = ps.n;
    if (st == PM_OK) {
        if (n == 0)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (p[i].from > p[i].to || p[i].from < PM_YEAR_MIN || p[i].to > PM_YEAR_MAX)
                abort();
            if (i && p[i].from <= p[i - 1].to)
                abort();
        }
        pm_periods_destroy(&ps);
    } else if ((st != PM_EUSAGE && st != PM_ENOMEM) || !err.msg[0]) {
        abort();
    }
    free(s);
    return 0;
}
