/*
 * cli_ties: the options every sub-command that reads a tie table shares (columns, layer,
 * direction, --where, --period), and the one function that loads and filters the table.
 */
#ifndef PM_CLI_TIES_H
#define PM_CLI_TIES_H

#include "cli_opt.h"
#include "pm_filter.h"
#include "pm_table.h"

enum {
    OPT_LAYER = 1000,
    OPT_FROM,
    OPT_TO,
    OPT_WEIGHT,
    OPT_GROUP_FROM,
    OPT_GROUP_TO,
    OPT_DIRECTED,
    OPT_WHERE,
    OPT_PERIOD,
    OPT_QUIET,
    OPT_NO_WEIGHT,
    OPT_START,
    OPT_END,
    OPT_ENCODING,
    OPT_DECIMAL_COMMA,
    OPT_SEPARATOR,
    OPT_CLI_TIES_LAST
};

#define CLI_TIES_HELP                                                                              \
    "Tie table:\n"                                                                                 \
    "  --layer NAME        sheet or table to read (default: the first)\n"                          \
    "  --from COL          column of the first place (default: from, source, a, ...)\n"            \
    "  --to COL            column of the second place (default: to, target, b, ...)\n"             \
    "  --weight COL        column of tie weights (default: weight, count, value; else 1)\n"        \
    "  --no-weight         ignore any weight column: every row weighs 1\n"                         \
    "  --group-from COL    group (e.g. country) of the first place (default: from_country)\n"      \
    "  --group-to COL      group of the second place (default: to_country)\n"                      \
    "  --directed          ties go from the first place to the second (default: undirected)\n"     \
    "  --where COL=VALUE   keep only matching ties (repeatable; COL!=VALUE excludes)\n"            \
    "  --period FROM-TO    keep ties active in those years (by their start/end columns)\n"         \
    "  --start/--end COL   columns of years or dates (default: start, year, date / end, until)\n"  \
    "  --encoding ENC      CSV not in UTF-8 (e.g. CP1251)  --decimal-comma  weights like 1,5\n"    \
    "  --separator C       CSV columns separated by C ('|', ';', tab; default: from the header)\n" \
    "  --quiet             no warnings on stderr\n"

typedef struct cli_ties_opts {
    pm_table_opts_t table;
    pm_filter_t filter;
    int directed;
    int quiet;
} cli_ties_opts_t;

void cli_ties_opts_init(cli_ties_opts_t *o);
void cli_ties_opts_destroy(cli_ties_opts_t *o);

/* The tie-table options (--layer ... --quiet), on a cli_ties_opts_t. */
extern const cli_opt_group_t cli_ties_group;

/* Handles a shared option. Returns 1 when it was one (and was valid), 0 when it is not a shared
 * option, or -1 after printing a usage error for a bad value. */
int cli_ties_option(const char *cmd, int opt, const char *arg, cli_ties_opts_t *o);

/* Reads path and applies the filter. Warnings go to diag. */
pm_status_t cli_ties_load(const char *path, const cli_ties_opts_t *o, pm_ties_t *t, pm_diag_t *diag,
                          pm_error_t *err);

#endif
