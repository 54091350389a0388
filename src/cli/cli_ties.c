/*
 * cli_ties: shared tie-table options (see cli_ties.h).
 */
#include "cli_ties.h"

#include <ctype.h>
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
    case OPT_SEPARATOR:
        /* one character that cannot be part of a quoted field's syntax or a line break */
        if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t"))
            o->table.separator = '\t';
        else if (!strcmp(arg, "space"))
            o->table.separator = ' ';
        else if (strlen(arg) == 1 && (ispunct((unsigned char)arg[0]) || arg[0] == ' ') &&
                 arg[0] != '"')
            o->table.separator = arg[0];
        else {
            cli_usage_error(cmd,
                            "--separator '%s': give one character such as ',' ';' '|' ':', or "
                            "'tab' or 'space' (letters, digits and '\"' cannot separate columns)",
                            arg);
            return -1;
        }
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

static int ties_option(const char *cmd, int id, const char *arg, void *o)
{
    return cli_ties_option(cmd, id, arg, o);
}

static const cli_opt_t ties_opts[] = {{"layer", 1, OPT_LAYER, 0, 0},
                                      {"from", 1, OPT_FROM, 0, 0},
                                      {"to", 1, OPT_TO, 0, 0},
                                      {"weight", 1, OPT_WEIGHT, 0, 0},
                                      {"no-weight", 0, OPT_NO_WEIGHT, 0, 0},
                                      {"group-from", 1, OPT_GROUP_FROM, 0, 0},
                                      {"group-to", 1, OPT_GROUP_TO, 0, 0},
                                      {"directed", 0, OPT_DIRECTED, 0, 0},
                                      {"where", 1, OPT_WHERE, 0, 0},
                                      {"period", 1, OPT_PERIOD, 0, 0},
                                      {"start", 1, OPT_START, 0, 0},
                                      {"end", 1, OPT_END, 0, 0},
                                      {"encoding", 1, OPT_ENCODING, 0, 0},
                                      {"decimal-comma", 0, OPT_DECIMAL_COMMA, 0, 0},
                                      {"separator", 1, OPT_SEPARATOR, 0, 0},
                                      {"quiet", 0, OPT_QUIET, 0, CLI_OPT_NO_OUTPUT},
                                      {NULL, 0, 0, 0, 0}};

const cli_opt_group_t cli_ties_group = {ties_opts, ties_option};

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
