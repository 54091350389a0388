/*
 * partnermap: the executable. main() sets up the libraries, finds the sub-command in the
 * dispatch table and runs it; all work happens in the core library (src/core).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pm_buf.h"
#include "pm_join.h"
#include "pm_redact.h"
#include "pm_render.h"
#include "pm_runtime.h"

static const cli_command_t commands[] = {
    {"stats", cmd_stats, "network statistics of a tie table (terminal, CSV, JSON, LaTeX...)"},
    {"join", cmd_join, "match every place to its polygon and report how"},
    {"map", cmd_map, "draw the network on a map (PNG, SVG, PDF)"},
    {"export", cmd_export, "write places and ties for QGIS or Gephi (GPKG, GeoJSON, GraphML)"},
    {"batch", cmd_batch, "many runs with shared scales, one folder each, a summary table"},
    {"timeline", cmd_timeline, "the network through time: statistics per period and a chart"},
    {"slurm", cmd_slurm, "job scripts for a Slurm cluster: a sharded batch and its merge"},
};

const char cli_exit_codes_help[] =
    "Exit status:\n"
    "  0  success\n"
    "  1  internal failure (a library call failed)\n"
    "  2  usage error (unknown option, missing argument)\n"
    "  3  bad input data (bad weight, missing column, not UTF-8, ...)\n"
    "  4  input/output failure (file missing or not writable)\n"
    "  5  places left unmatched or ambiguous (see 'partnermap join')\n";

static void usage(FILE *f)
{
    fprintf(f, "usage: partnermap <command> [options] TIES\n\n"
               "Ties between places -> weighted graph -> statistics and maps.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n'partnermap <command> --help' describes a command; 'man partnermap' all of "
            "them.\n\n%s",
            cli_exit_codes_help);
}

static char *command_line;

void cli_set_command_line(int argc, char **argv)
{
    pm_buf_t b;
    pm_buf_init(&b);
    pm_buf_puts(&b, "partnermap");
    for (int i = 1; i < argc; i++) {
        /* recorded in figures: a connection string's password must not be */
        char *arg = pm_redact_dup(argv[i]);
        if (!arg) {
            b.failed = 1;
            break;
        }
        pm_buf_putc(&b, ' ');
        if (strpbrk(arg, " \t\"'$\\") || !*arg) {
            pm_buf_putc(&b, '\'');
            for (const char *p = arg; *p; p++) {
                if (*p == '\'')
                    pm_buf_puts(&b, "'\\''");
                else
                    pm_buf_putc(&b, *p);
            }
            pm_buf_putc(&b, '\'');
        } else {
            pm_buf_puts(&b, arg);
        }
        free(arg);
    }
    free(command_line);
    command_line = pm_buf_take(&b);
}

const char *cli_command_line(void)
{
    return command_line ? command_line : "partnermap";
}

/* Ends the process once everything is written and freed, without running the exit handlers
 * and static destructors of the 150 libraries GDAL loads (measured in docs/performance.md,
 * "Figures that were in code comments"). Builds with
 * a sanitizer return normally: their leak check runs at exit. */
static void quick_exit_now(int rc)
{
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    if (fflush(NULL) == 0)
        _exit(rc);
#else
    (void)rc;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("partnermap %s\n", PM_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            cli_set_command_line(argc, argv);
            if (!command_line) { /* figures record it: not a shortened one */
                fputs("partnermap: out of memory\n", stderr);
                return 1;
            }
            cli_clean_on_signals(); /* batch installs its own handler while it draws */
            cli_runtime_timing();
            cli_phase("runtime");
            pm_runtime_init();
            cli_phase("GDAL drivers registered");
            cli_runtime_policy();
            int rc = commands[i].run(argc - 1, argv + 1);
            cli_phase("command done");
            pm_render_cleanup();
            pm_join_cleanup();
            pm_runtime_teardown();
            cli_phase("torn down");
            free(command_line);
            quick_exit_now(rc);
            return rc;
        }
    }
    fprintf(stderr, "partnermap: '%s' is not a command. See 'partnermap --help'.\n", name);
    return 2;
}
