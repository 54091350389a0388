/*
 * cli_util: messages, warnings and small parsers shared by the sub-commands (see cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "pm_redact.h"
#include "pm_render.h"

#include <getopt.h>
#include <sys/stat.h>

int cli_fail(const pm_error_t *err)
{
    fprintf(stderr, "partnermap: %s\n", err->msg[0] ? err->msg : pm_status_name(err->code));
    return pm_error_exit_code(err->code);
}

static char *capture_buf;
static size_t capture_size;

void cli_usage_capture(char *buf, size_t size)
{
    capture_buf = size ? buf : NULL;
    capture_size = size;
    if (capture_buf)
        capture_buf[0] = '\0';
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[PM_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pm_redact(msg, msg, sizeof msg); /* it may quote a connection string */
    if (capture_buf) {
        snprintf(capture_buf, capture_size, "%s", msg);
        return 2;
    }
    fprintf(stderr, "partnermap %s: %s\nSee 'partnermap %s --help'.\n", cmd, msg, cmd);
    return 2;
}

void cli_print_warnings(const pm_diag_t *d, int quiet)
{
    if (quiet)
        return;
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].where[0])
            fprintf(stderr, "partnermap: warning: %s: %s\n", d->items[i].where, d->items[i].msg);
        else
            fprintf(stderr, "partnermap: warning: %s\n", d->items[i].msg);
    }
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_dpi(const char *cmd, const char *arg, double *dpi)
{
    long v;
    if (cli_parse_long(arg, 30, 2400, &v))
        return cli_usage_error(cmd, "--dpi '%s': give 30 to 2400", arg);
    *dpi = (double)v;
    return 0;
}

int cli_parse_page(const char *cmd, const char *arg, double *width_mm, double *height_mm)
{
    pm_error_t err;
    if (pm_render_parse_page(arg, width_mm, height_mm, &err))
        return cli_usage_error(cmd, "%s", err.msg);
    return 0;
}

int cli_parse_theme(const char *cmd, const char *arg, pm_theme_t *theme)
{
    pm_error_t err;
    if (pm_render_parse_theme(arg, theme, &err))
        return cli_usage_error(cmd, "--theme '%s': use color or print", arg);
    return 0;
}

int cli_help(const char *const *texts)
{
    for (; *texts; texts++)
        fputs(*texts, stdout);
    fputs(cli_exit_codes_help, stdout);
    return 0;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_one_input(const char *cmd, int argc)
{
    if (optind == argc - 1)
        return -1;
    return cli_usage_error(cmd,
                           optind >= argc ? "no tie table given" : "give exactly one tie table");
}

int cli_is_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_protect_inputs(const char *cmd, const char *output, const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cli_is_same_file(output, inputs[i]))
            return cli_usage_error(cmd,
                                   "'%s' is an input (it is the input '%s'): partnermap never "
                                   "writes over its inputs; choose another output file",
                                   output, inputs[i]);
    return -1;
}
