/*
 * cli_ties: shared tie-table options (see cli_ties.h).
 */
#include "cli_ties.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_ties_opts_init(cli_ties_opts_t *o)
{
    memset(o, 0, sizeof *o);
    pm_filter_init(&o->filter);
}

void cli_ties_opts_destroy(cli_ties_opts_t *o)
{
    pm_filter_destroy(&o->filter);
}

int cli_ties_option(const char *cmd, int opt, const char *arg, cli_ties_opts_t *o)
{
    pm_error_t err;
    switch (opt) {
    case OPT_LAYER:
        o->table.layer = arg;
        return 1;
    case OPT_FROM:
        o->table.from_col = arg;
        return 1;
    case OPT_TO:
        o->table.to_col = arg;
        return 1;
    case OPT_WEIGHT:
        if (!*arg) {
            cli_usage_error(cmd, "--weight needs a column name (or use --no-weight)");
            return -1;
        }
        o->table.weight_col = arg;
        return 1;
    case OPT_NO_WEIGHT:
        o->table.weight_col = "";
        return 1;
    case OPT_START:
    case OPT_END:
        if (!*arg) {
            cli_usage_error(cmd, "--%s needs a column name", opt == OPT_START ? "start" : "end");
            return -1;
        }
        *(opt == OPT_START ? &o->table.start_col : &o->table.end_col) = arg;
        return 1;
    case OPT_ENCODING:
        if (!*arg) {
            cli_usage_error(cmd, "--encoding needs a name (e.g. CP1251)");
            return -1;
        }
        o->table.encoding = arg;
        return 1;
    case OPT_DECIMAL_COMMA:
        o->table.decimal_comma = 1;
        return 1;
    case OPT_GROUP_FROM:
        o->table.group_from_col = arg;
        return 1;
    case OPT_GROUP_TO:
        o->table.group_to_col = arg;
        return 1;
    case OPT_DIRECTED:
        o->directed = 1;
        return 1;
    case OPT_QUIET:
        o->quiet = 1;
        return 1;
    case OPT_WHERE:
        if (pm_filter_add_where(&o->filter, arg, &err)) {
            cli_usage_error(cmd, "%s", err.msg);
            return -1;
        }
        return 1;
    case OPT_PERIOD:
        if (pm_filter_set_period(&o->filter, arg, &err)) {
            cli_usage_error(cmd, "%s", err.msg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

pm_status_t cli_ties_load(const char *path, const cli_ties_opts_t *o, pm_ties_t *t, pm_diag_t *diag,
                          pm_error_t *err)
{
    pm_status_t st = pm_table_read(path, &o->table, t, diag, err);
    if (st)
        return st;
    st = pm_filter_apply(&o->filter, t, diag, err);
    if (st)
        pm_ties_destroy(t);
    return st;
}
