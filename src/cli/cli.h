/*
 * cli: what the sub-commands share: the command table entry, option-parsing helpers and the
 * conventions for messages and exit codes.
 *
 * Every sub-command is `int cmd_<name>(int argc, char **argv)` in cmd_<name>.c; it returns the
 * process exit code (pm_error_exit_code). Messages go to stderr as "partnermap: what is wrong".
 */
#ifndef PM_CLI_H
#define PM_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "pm_error.h"
#include "pm_render.h"
#include "pm_runtime.h"

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} cli_command_t;

int cmd_stats(int argc, char **argv);
int cmd_join(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_slurm(int argc, char **argv);

/* Prints "partnermap: <msg>" for err and returns its exit code. */
/* cli_runtime.c: the program's process policy (see there). */
void cli_runtime_timing(void);    /* PARTNERMAP_TIMING: print the timing phases */
void cli_phase(const char *what); /* marks the end of a phase (printed with PARTNERMAP_TIMING) */
pm_phase_t cli_timing(void);      /* the hook for the core's options and renderers */
void cli_runtime_policy(void);    /* allocator thresholds, one OpenMP thread */
void cli_clean_on_signals(void);  /* SIGINT/SIGTERM/SIGHUP remove unfinished outputs */

int cli_fail(const pm_error_t *err);
/* Prints "partnermap: <cmd>: <msg>" and a hint to run --help; returns 2. While a capture buffer
 * is set (cli_usage_capture), the message goes there instead and nothing is printed. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sends cli_usage_error's messages to buf (size bytes, the last message kept); NULL: to stderr
 * again. batch uses it to give a run's bad option as that run's reason. */
void cli_usage_capture(char *buf, size_t size);
/* Prints every warning in d as "partnermap: warning: where: msg" (unless quiet). */
void cli_print_warnings(const pm_diag_t *d, int quiet);

/* Parses a whole decimal number in [lo, hi]; returns 0 on success. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* --page, --dpi and --theme of every figure (maps, small multiples, the timeline's chart): one
 * rule each. 0 on success; else the usage error is reported (naming cmd) and its exit code
 * returned. */
int cli_parse_page(const char *cmd, const char *arg, double *width_mm, double *height_mm);
int cli_parse_dpi(const char *cmd, const char *arg, double *dpi);
int cli_parse_theme(const char *cmd, const char *arg, pm_theme_t *theme);

/* The command line as one string ("partnermap map ties.csv -o fig.svg"), for figure metadata.
 * Set once by main. */
const char *cli_command_line(void);
void cli_set_command_line(int argc, char **argv);

/* The parts every sub-command's option loop shares. cli_help prints the NULL-terminated help
 * texts and the exit codes (returns 0); cli_bad_option reports getopt's ':' (missing value) or
 * '?' (unknown option) for argv (returns 2); cli_one_input returns -1 when exactly one positional
 * argument (the tie table) follows the options, else reports it and returns 2. */
int cli_help(const char *const *texts);
int cli_bad_option(const char *cmd, int c, char **argv);
int cli_one_input(const char *cmd, int argc);

/* 1 when both paths name one existing file. */
int cli_is_same_file(const char *a, const char *b);
/* -1 when output is none of the n input files; else reports it and returns 2 (inputs are never
 * written). */
int cli_protect_inputs(const char *cmd, const char *output, const char *const *inputs, size_t n);

/* Exit-code table printed at the end of every --help. */
extern const char cli_exit_codes_help[];

#endif
