/*
 * cmd_join: `partnermap join TIES` — match every place of a tie table to a unit of the geometry
 * source and report how each one matched (code, name, normalised name, alias, composite, point),
 * with the candidates of ambiguous places and suggestions for unmatched ones.
 */
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

static int join_option(const char *cmd, int id, const char *arg, void *target)
{
    pm_join_format_t *fmt = target;
    (void)id; /* OPT_FORMAT */
    if (!strcmp(arg, "text") || !strcmp(arg, "terminal"))
        *fmt = PM_JOIN_REPORT_TEXT;
    else if (!strcmp(arg, "csv"))
        *fmt = PM_JOIN_REPORT_CSV;
    else if (!strcmp(arg, "json"))
        *fmt = PM_JOIN_REPORT_JSON;
    else
        return cli_usage_error(cmd, "--format '%s': use text, csv or json", arg);
    return 1;
}

static const cli_opt_t join_opts[] = {{"format", 1, OPT_FORMAT, 0, 0}, {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t join_group = {join_opts, join_option};

/* Places unmatched or ambiguous: the message names the tie table (without a password). */
static int join_failed(const char *input, const pm_error_t *err)
{
    char shown[PM_ERROR_MSG_MAX];
    pm_redact(input, shown, sizeof shown);
    fprintf(stderr, "partnermap: %s: %s\n", shown, err->msg);
    return pm_error_exit_code(PM_EJOIN);
}

int cmd_join(int argc, char **argv)
{
    static const char *const texts[] = {help, NULL};
    cli_net_opts_t o;
    cli_net_opts_init(&o);
    pm_join_format_t fmt = PM_JOIN_REPORT_TEXT;
    cli_outputs_t outs;
    cli_outputs_init(&outs, 1, "outputs", NULL, NULL);
    const cli_opt_use_t uses[] = {{&cli_ties_group, &o.ties},
                                  {&cli_geo_group, &o},
                                  {&join_group, &fmt},
                                  {&cli_outputs_group, &outs}};
    const cli_opt_parser_t p = {"join", uses, 4, texts, NULL, NULL, 0};
    int rc = cli_opt_parse(&p, argc, argv);
    const char *input = NULL, *output = outs.n ? outs.v[0] : NULL;
    if ((rc = cli_net_input("join", rc, argc, argv, &o, &output, 1, &input)) >= 0) {
        cli_net_opts_destroy(&o);
        return rc;
    }
    pm_buf_t out;
    pm_buf_init(&out);
    cli_net_run_t run;
    pm_status_t st = PM_OK;
    /* the report is wanted even when places are unmatched: join with allow_unmatched, then judge */
    int allow = o.allow_unmatched;
    o.allow_unmatched = 1;
    o.report_join = 1;
    if ((rc = cli_net_run_load(&run, input, &o, 1, 0)) < 0) {
        if ((st = pm_join_report(&run.net.join, fmt, &out, &run.err)) ||
            (st = pm_io_write_atomic(output ? output : "-", pm_buf_str(&out), out.len, &run.err)))
            rc = cli_fail(&run.err);
        else if (!allow && pm_join_check(&run.net.join, &run.err))
            rc = join_failed(input, &run.err);
        else
            rc = 0;
    }
    rc = cli_net_run_end(&run, rc);
    pm_buf_destroy(&out);
    cli_net_opts_destroy(&o);
    return rc;
}
