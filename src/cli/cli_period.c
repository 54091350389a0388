/*
 * cli_period: the period options of timeline and map --facet period (see cli_period.h).
 */
#include "cli_period.h"

#include <string.h>

#include "cli.h"
#include "pm_table.h"

void cli_period_opts_init(cli_period_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->open_end = PM_PERIOD_OPEN;
    o->undated = PM_UNDATED_DROP;
}

static int period_option(const char *cmd, int id, const char *arg, void *target)
{
    cli_period_opts_t *o = target;
    pm_error_t err;
    static const char *const names[] = {"--periods", "--step", "--open-end", "--undated"};
    if (!o->first_option)
        o->first_option = names[id - OPT_PERIODS];
    switch (id) {
    case OPT_PERIODS:
        o->periods = arg;
        return 1;
    case OPT_STEP:
        if (cli_parse_long(arg, 1, 500, &o->step))
            return cli_usage_error(cmd, "--step '%s': give a number of years, 1 to 500", arg);
        return 1;
    case OPT_OPEN_END:
        if (cli_parse_long(arg, PM_YEAR_MIN, PM_YEAR_MAX, &o->open_end))
            return cli_usage_error(cmd, "--open-end '%s': give a year (%d to %d)", arg, PM_YEAR_MIN,
                                   PM_YEAR_MAX);
        return 1;
    default: /* OPT_UNDATED */
        if (pm_undated_parse(arg, &o->undated, &err))
            return cli_usage_error(cmd, "%s", err.msg);
        return 1;
    }
}

static const cli_opt_t period_opts[] = {{"periods", 1, OPT_PERIODS, 0, 0},
                                        {"step", 1, OPT_STEP, 0, 0},
                                        {"open-end", 1, OPT_OPEN_END, 0, 0},
                                        {"undated", 1, OPT_UNDATED, 0, 0},
                                        {NULL, 0, 0, 0, 0}};
const cli_opt_group_t cli_period_group = {period_opts, period_option};

int cli_period_check(const char *cmd, const cli_period_opts_t *o, int has_range)
{
    if (o->periods && (o->step || has_range))
        return cli_usage_error(cmd, "--periods names every period: leave out %s",
                               o->step ? "--step" : "--period");
    return -1;
}
