/*
 * cli_opt: the option layer (see cli_opt.h). getopt_long's table is built from the groups a
 * command takes; each entry's value is its position in that table (offset past every character
 * getopt can return), so an option goes back to its group without a switch over all of them.
 */
#include "cli_opt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* getopt returns characters (< 256) for short options, ':' and '?'; long options get these. */
#define LONG_BASE 256

typedef struct entry {
    const cli_opt_use_t *use;
    const cli_opt_t *opt;
} entry_t;

static const cli_opt_t help_opt = {"help", 0, 'h', 'h', 0};

static size_t count_opts(const cli_opt_parser_t *p)
{
    size_t n = 1; /* --help */
    for (size_t u = 0; u < p->n_uses; u++)
        for (const cli_opt_t *o = p->uses[u].group->opts; o->name; o++)
            n++;
    return n;
}

/* Fills e (n entries: every group's options, then --help), getopt's table lo (n + 1 entries) and
 * the short options (":" then each letter, ':' after one that takes a value). Returns -1 when a
 * name is declared twice (a mistake in the tables, not the user's). */
static int build(const cli_opt_parser_t *p, entry_t *e, struct option *lo, char *shorts, size_t n)
{
    size_t k = 0, s = 0;
    if (p->in_order)
        shorts[s++] = '+';
    shorts[s++] = ':';
    for (size_t u = 0; u < p->n_uses; u++)
        for (const cli_opt_t *o = p->uses[u].group->opts; o->name; o++)
            e[k++] = (entry_t){&p->uses[u], o};
    e[k++] = (entry_t){NULL, &help_opt};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (!strcmp(e[i].opt->name, e[j].opt->name) ||
                (e[i].opt->short_name && e[i].opt->short_name == e[j].opt->short_name)) {
                fprintf(stderr, "partnermap %s: internal error: option --%s declared twice\n",
                        p->cmd, e[i].opt->name);
                return -1;
            }
        lo[i] =
            (struct option){e[i].opt->name, e[i].opt->takes_value ? required_argument : no_argument,
                            NULL, LONG_BASE + (int)i};
        if (e[i].opt->short_name) {
            shorts[s++] = (char)e[i].opt->short_name;
            if (e[i].opt->takes_value)
                shorts[s++] = ':';
        }
    }
    lo[n] = (struct option){NULL, 0, NULL, 0};
    shorts[s] = '\0';
    return 0;
}

/* The entry getopt's return c stands for, or NULL (c is ':' or '?'). */
static const entry_t *entry_of(int c, const entry_t *e, size_t n)
{
    if (c >= LONG_BASE && (size_t)(c - LONG_BASE) < n)
        return &e[c - LONG_BASE];
    for (size_t i = 0; i < n && c != ':' && c != '?'; i++)
        if (e[i].opt->short_name == c)
            return &e[i];
    return NULL;
}

/* Applies one option; -1 to go on, else the exit code. */
static int apply(const cli_opt_parser_t *p, const entry_t *x, const char *arg)
{
    if (!x->use) { /* --help */
        return p->help ? cli_help(p->help) : -1;
    }
    if (x->use->group->handle(p->cmd, x->opt->id, arg, x->use->target) != 1)
        return 2;
    if (p->seen)
        p->seen(x->use, x->opt, arg, p->ctx);
    return -1;
}

int cli_opt_parse(const cli_opt_parser_t *p, int argc, char **argv)
{
    size_t n = count_opts(p);
    entry_t *e = calloc(n, sizeof *e);
    struct option *lo = calloc(n + 1, sizeof *lo);
    char *shorts = calloc(2 * n + 3, 1);
    int rc = -1, c;
    if (!e || !lo || !shorts) {
        fprintf(stderr, "partnermap %s: out of memory\n", p->cmd);
        rc = 1;
    } else if (build(p, e, lo, shorts, n)) {
        rc = 1;
    }
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        const entry_t *x = entry_of(c, e, n);
        rc = x ? apply(p, x, optarg) : cli_bad_option(p->cmd, c, argv);
    }
    free(shorts);
    free(lo);
    free(e);
    return rc;
}

const cli_opt_t *cli_opt_find(const cli_opt_use_t *uses, size_t n_uses, const char *name)
{
    for (size_t u = 0; u < n_uses; u++)
        for (const cli_opt_t *o = uses[u].group->opts; o->name; o++)
            if (!strcmp(o->name, name))
                return o;
    return NULL;
}

/* ---- -o, --output ---------------------------------------------------------------------------- */

void cli_outputs_init(cli_outputs_t *outs, size_t max, const char *what, const char *none,
                      int (*check)(const char *cmd, const char *path))
{
    memset(outs, 0, sizeof *outs);
    outs->max = max < CLI_MAX_OUTPUTS ? max : CLI_MAX_OUTPUTS;
    outs->what = what;
    outs->none = none;
    outs->check = check;
}

int cli_outputs_require(const char *cmd, int rc, int argc, const cli_outputs_t *outs)
{
    if (rc < 0)
        rc = cli_one_input(cmd, argc);
    if (rc < 0 && outs->n == 0 && outs->none)
        rc = cli_usage_error(cmd, "%s", outs->none);
    return rc;
}

static int output_option(const char *cmd, int id, const char *arg, void *target)
{
    cli_outputs_t *outs = target;
    (void)id;
    if (outs->max > 1 && outs->n == outs->max) {
        cli_usage_error(cmd, "at most %zu %s at once", outs->max, outs->what);
        return -1;
    }
    if (outs->check && outs->check(cmd, arg) < 0)
        return -1;
    if (outs->max <= 1)
        outs->n = 0; /* one file: the last -o given */
    outs->v[outs->n++] = arg;
    return 1;
}

static const cli_opt_t output_opts[] = {{"output", 1, 'o', 'o', 0}, {NULL, 0, 0, 0, 0}};

const cli_opt_group_t cli_outputs_group = {output_opts, output_option};
