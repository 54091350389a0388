/*
 * cli_opt: the one option layer of the sub-commands (in the manner of git's parse-options and
 * curl's option table). An option is a line in a table (cli_opt_t); a table and the function that
 * applies its options to a struct make a group (cli_opt_group_t). The groups several commands
 * share live beside their option structs: the tie table (cli_ties_group), places and geometry
 * (cli_geo_group), statistics (cli_metrics_group), the map (cli_map_group) and the figures or
 * files to write (cli_outputs_group). A command lists the groups it takes, each with the struct
 * it fills (cli_opt_use_t), adds a group of its own options, and calls cli_opt_parse once:
 * getopt's table, the short options, -h/--help, a missing value and an unknown option are
 * handled here, so a cmd_*.c declares only its own options.
 *
 * Adding an option to a shared group: a line in the group's table, an id in its enum and a case
 * in its handler (and the help text beside them). Adding a command: its own table and handler,
 * and the list of groups it takes. docs/ARCHITECTURE.md walks through both.
 */
#ifndef PM_CLI_OPT_H
#define PM_CLI_OPT_H

#include <stddef.h>

/* cli_opt_t.flags */
enum {
    CLI_OPT_BATCH_WIDE = 1, /* batch: applies to the whole batch, not in a run's own options */
    CLI_OPT_NO_OUTPUT = 2   /* changes no output (--quiet): left out of a batch run's hash */
};

typedef struct cli_opt {
    const char *name; /* the long name without "--"; NULL ends a table */
    int takes_value;  /* 1: --name VALUE (or --name=VALUE); 0: a switch */
    int id;           /* handed to the group's handler; unique among a command's groups */
    int short_name;   /* -o, -j...; 0 = none */
    unsigned flags;   /* CLI_OPT_* */
} cli_opt_t;

/* Applies option id (value arg, NULL for a switch) to target. Returns 1 when done; anything else
 * (-1, or cli_usage_error's 2) after reporting a usage error with cli_usage_error (naming cmd). */
typedef int (*cli_opt_handler_t)(const char *cmd, int id, const char *arg, void *target);

typedef struct cli_opt_group {
    const cli_opt_t *opts; /* ended by a NULL name */
    cli_opt_handler_t handle;
} cli_opt_group_t;

/* A group a command takes, and the struct its options fill. */
typedef struct cli_opt_use {
    const cli_opt_group_t *group;
    void *target;
} cli_opt_use_t;

typedef struct cli_opt_parser {
    const char *cmd;           /* for messages: "partnermap CMD: ..." */
    const cli_opt_use_t *uses; /* the groups, in the order --help lists them */
    size_t n_uses;
    /* -h/--help prints these (NULL-terminated) and the exit codes; NULL: -h is accepted and
     * ignored (a batch run's words: the batch has answered it already) */
    const char *const *help;
    /* optional: called after each option a group applied (use: which group) */
    void (*seen)(const cli_opt_use_t *use, const cli_opt_t *opt, const char *arg, void *ctx);
    void *ctx;
    /* 1: the options end at the first argument (getopt's '+'), whose own options follow it
     * (slurm COMMAND ARGS...); 0: options may come after the arguments */
    int in_order;
} cli_opt_parser_t;

/* Parses argv's options with getopt_long (abbreviations, --name=value, options after the
 * arguments). Returns -1 when the command goes on (optind is the first argument), 0 after
 * printing --help, 2 after a usage error (printed, or captured: cli_usage_capture), 1 when the
 * tables are wrong (an option declared twice, or out of memory). */
int cli_opt_parse(const cli_opt_parser_t *p, int argc, char **argv);

/* The option named name (without "--") among uses' groups, or NULL. */
const cli_opt_t *cli_opt_find(const cli_opt_use_t *uses, size_t n_uses, const char *name);

/* ---- -o, --output FILE: the files a command writes ----------------------------------------- */

#define CLI_MAX_OUTPUTS 16

typedef struct cli_outputs {
    const char *v[CLI_MAX_OUTPUTS];
    size_t n;
    size_t max;       /* 1: the last -o wins; else at most max, in order */
    const char *what; /* "figures", "outputs": the message when there are too many */
    const char *none; /* the message when none is given (NULL: none is fine) */
    /* optional: refuses a file by its name (e.g. an unknown extension): -1 after a usage error */
    int (*check)(const char *cmd, const char *path);
} cli_outputs_t;

extern const cli_opt_group_t cli_outputs_group;

/* Sets up outs: max files (1 = one, the last given), what they are (for the message on too
 * many), the message when none is given (NULL: none is fine), and the check of each name. */
void cli_outputs_init(cli_outputs_t *outs, size_t max, const char *what, const char *none,
                      int (*check)(const char *cmd, const char *path));
/* After the options (rc: -1, or the exit code they gave): exactly one argument (the tie table),
 * and an output when outs needs one. -1 to go on, else the exit code. */
int cli_outputs_require(const char *cmd, int rc, int argc, const cli_outputs_t *outs);

#endif
