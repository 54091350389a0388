/*
 * cli_period: the period options `timeline` and `map --facet period` share (cli_period_group):
 * --periods LIST, --step N, --open-end YEAR, --undated drop|all. The overall range of --step is
 * the tie-table option --period FROM-TO (cli_ties_group), else the data's years. The rules are
 * pm_period's (pm_period.h).
 */
#ifndef PM_CLI_PERIOD_H
#define PM_CLI_PERIOD_H

#include "cli_opt.h"
#include "pm_period.h"

enum { OPT_PERIODS = 3000, OPT_STEP, OPT_OPEN_END, OPT_UNDATED, OPT_CLI_PERIOD_LAST };

#define CLI_PERIOD_HELP                                                                            \
    "  --periods LIST      the periods: 1945-1959,1960-1969,... (uneven allowed, no overlaps)\n"   \
    "  --step N            periods of N years over --period FROM-TO (from FROM), or over the\n"    \
    "                      data's first start to last end or start (from a multiple of N)\n"       \
    "  --period FROM-TO    the overall range of --step (ties active in it)\n"                      \
    "  --open-end YEAR     ties without an end end in YEAR (default: still active)\n"              \
    "  --undated drop|all  ties without a start year: in no period (default) or in all\n"

typedef struct cli_period_opts {
    const char *periods; /* --periods, or NULL */
    long step;           /* 0 = not given */
    long open_end;       /* PM_PERIOD_OPEN = none */
    pm_undated_t undated;
    const char *first_option; /* the first of these given (for "needs --facet period") */
} cli_period_opts_t;

extern const cli_opt_group_t cli_period_group;

void cli_period_opts_init(cli_period_opts_t *o);
/* After the options: --periods names every period, so neither --step nor a range (--period,
 * has_range) may come with it. -1 when they agree, else 2 (printed). */
int cli_period_check(const char *cmd, const cli_period_opts_t *o, int has_range);

#endif
