/*
 * cmd_join: `partnermap join TIES` — match every place of a tie table to a unit of the geometry
 * source and report how each one matched (code, name, normalised name, alias, composite, point),
 * with the candidates of ambiguous places and suggestions for unmatched ones.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pm_redact.h"
#include "cli_net.h"
#include "pm_io.h"

enum { OPT_FORMAT = OPT_CLI_NET_LAST + 1 };

static const char help[] =
    "usage: partnermap join [options] TIES\n"
    "\n"
    "Matches every place in TIES to a polygon (or a point) and reports how: by code, by name, by\n"
    "normalised name (case, diacritics, Cyrillic transliteration, generic words such as oblast\n"
    "or kraj removed), by alias (renamed units: Gorky, Tselinograd, Alma-Ata...), as a composite\n"
    "historical unit (Czechoslovak kraje 1960-1990, USSR...), or as a point (--places).\n"
    "Ambiguous places are listed with their candidates, unmatched ones with the three closest\n"
    "names. Nothing is ever matched by similarity alone.\n"
    "\n" CLI_TIES_HELP "\n" CLI_GEO_HELP "\n"
    "Output:\n"
    "  --format FMT        text (default), csv or json\n"
    "  -o, --output FILE   write the report to FILE (whole or not at all)\n"
    "  -h, --help          this help\n"
    "\n"
    "The exit status is 5 when a place is unmatched or ambiguous, unless --allow-unmatched.\n"
    "\n";

int cmd_join(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_TIES_LONG_OPTIONS,
                                             CLI_GEO_LONG_OPTIONS,
                                             {"format", required_argument, NULL, OPT_FORMAT},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    pm_join_format_t fmt = PM_JOIN_REPORT_TEXT;
    const char *output = NULL;
    int rc = -1, c;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = cli_net_option("join", c, optarg, &o);
        if (r < 0)
            rc = 2;
        if (r)
            continue;
        switch (c) {
        case 'h': {
            static const char *const texts[] = {help, NULL};
            rc = cli_help(texts);
            break;
        }
        case 'o':
            output = optarg;
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "text") || !strcmp(optarg, "terminal"))
                fmt = PM_JOIN_REPORT_TEXT;
            else if (!strcmp(optarg, "csv"))
                fmt = PM_JOIN_REPORT_CSV;
            else if (!strcmp(optarg, "json"))
                fmt = PM_JOIN_REPORT_JSON;
            else
                rc = cli_usage_error("join", "--format '%s': use text, csv or json", optarg);
            break;
        default:
            rc = cli_bad_option("join", c, argv);
        }
    }
    const char *input = NULL;
    if ((rc = cli_net_input("join", rc, argc, argv, &o, &output, 1, &input)) >= 0) {
        cli_net_opts_destroy(&o);
        return rc;
    }
    pm_error_t err;
    pm_error_clear(&err);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_net_t net;
    pm_buf_t out;
    pm_buf_init(&out);
    /* the report is wanted even when places are unmatched: join with allow_unmatched, then judge */
    int allow = o.allow_unmatched;
    o.allow_unmatched = 1;
    o.report_join = 1;
    pm_status_t st = cli_net_load(input, &o, 1, NULL, 0, &net, &diag, &err);
    cli_print_warnings(&diag, o.ties.quiet);
    if (st) {
        rc = cli_fail(&err);
        goto done;
    }
    if ((st = pm_join_report(&net.join, fmt, &out, &err)) ||
        (st = pm_io_write_atomic(output ? output : "-", pm_buf_str(&out), out.len, &err))) {
        rc = cli_fail(&err);
    } else if (!allow && pm_join_check(&net.join, &err)) {
        char shown[PM_ERROR_MSG_MAX];
        pm_redact(input, shown, sizeof shown);
        fprintf(stderr, "partnermap: %s: %s\n", shown, err.msg);
        rc = pm_error_exit_code(PM_EJOIN);
    } else {
        rc = 0;
    }
    pm_net_destroy(&net);
done:
    pm_buf_destroy(&out);
    pm_diag_destroy(&diag);
    cli_net_opts_destroy(&o);
    return rc;
}
