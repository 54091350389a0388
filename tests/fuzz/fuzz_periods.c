/*
 * fuzz_periods: the timeline's period and year options: bytes -> pm_timeline_parse_periods and
 * pm_timeline_parse_year. Checks what pm_timeline.h promises: success gives sorted, disjoint
 * periods of years in range with from <= to; anything else is PM_EUSAGE with a message.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_timeline.h"

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
    pm_period_t *p = NULL;
    size_t n = 0;
    pm_error_t err;
    pm_status_t st = pm_timeline_parse_periods(s, &p, &n, &err);
    if (st == PM_OK) {
        if (n == 0)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (p[i].from > p[i].to || p[i].from < PM_YEAR_MIN || p[i].to > PM_YEAR_MAX)
                abort();
            if (i && p[i].from <= p[i - 1].to)
                abort();
        }
        free(p);
    } else if ((st != PM_EUSAGE && st != PM_ENOMEM) || !err.msg[0]) {
        abort();
    }
    int y = 0;
    st = pm_timeline_parse_year(s, "--open-end", &y, &err);
    if (st == PM_OK ? (y < PM_YEAR_MIN || y > PM_YEAR_MAX) : (st != PM_EUSAGE || !err.msg[0]))
        abort();
    free(s);
    return 0;
}
