/*
 * cli_uncert: the source-uncertainty options and runs (see cli_uncert.h).
 */
#include "cli_uncert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_slurm.h"
#include "pm_buf.h"
#include "pm_io.h"

void cli_uncert_opts_init(cli_uncert_opts_t *o)
{
    memset(o, 0, sizeof *o);
    pm_uncert_opts_init(&o->u);
    o->interval = 95;
}

/* A probability in [0, 1]; 0 on success. */
static int parse_prob(const char *s, double *out)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s || *end || !(x >= 0 && x <= 1))
        return -1;
    *out = x;
    return 0;
}

static int parse_metrics(const char *cmd, const char *arg, cli_uncert_opts_t *o)
{
    snprintf(o->metrics_buf, sizeof o->metrics_buf, "%s", arg);
    o->u.n_metrics = 0;
    for (char *save = NULL, *t = strtok_r(o->metrics_buf, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        if (o->u.n_metrics == PM_UNCERT_MAX_METRICS)
            return cli_usage_error(cmd, "--metrics: at most %d metrics", PM_UNCERT_MAX_METRICS), -1;
        o->u.metrics[o->u.n_metrics++] = t;
    }
    if (!o->u.n_metrics)
        return cli_usage_error(cmd, "--metrics: name at least one metric"), -1;
    return 1;
}

enum {
    OPT_UNCERTAINTY = 1,
    OPT_KEEP_DOCUMENTED,
    OPT_KEEP_PROBABLE,
    OPT_RESAMPLE,
    OPT_WEIGHT_NOISE,
    OPT_INTERVAL,
    OPT_SHARD,
    OPT_MERGE,
    OPT_UNCERT_METRICS,
    OPT_JOBS,
    OPT_FORCE
};

static int uncert_option(const char *cmd, int opt, const char *arg, void *target)
{
    cli_uncert_opts_t *o = target;
    long x;
    char *end;
    static const struct {
        int opt;
        const char *name;
    } model[] = {{OPT_KEEP_DOCUMENTED, "--keep-documented"},
                 {OPT_KEEP_PROBABLE, "--keep-probable"},
                 {OPT_RESAMPLE, "--resample"},
                 {OPT_WEIGHT_NOISE, "--weight-noise"},
                 {OPT_INTERVAL, "--interval"},
                 {OPT_UNCERT_METRICS, "--metrics"},
                 {OPT_JOBS, "-j"},
                 {OPT_FORCE, "--force"}};
    for (size_t i = 0; i < sizeof model / sizeof model[0]; i++)
        if (opt == model[i].opt && !o->needs_n)
            o->needs_n = model[i].name;
    switch (opt) {
    case OPT_UNCERTAINTY:
        if (cli_parse_long(arg, 1, PM_UNCERT_MAX_REPLICATES, &x))
            return cli_usage_error(cmd,
                                   "--uncertainty '%s': give the number of replicates, 1 to %d "
                                   "(1000 is usually enough; see docs/methods.md)",
                                   arg, PM_UNCERT_MAX_REPLICATES),
                   -1;
        o->u.replicates = (size_t)x;
        o->on = 1;
        return 1;
    case OPT_KEEP_DOCUMENTED:
    case OPT_KEEP_PROBABLE:
        if (parse_prob(arg,
                       opt == OPT_KEEP_DOCUMENTED ? &o->u.keep_documented : &o->u.keep_probable))
            return cli_usage_error(cmd, "--keep-%s '%s': give a probability between 0 and 1",
                                   opt == OPT_KEEP_DOCUMENTED ? "documented" : "probable", arg),
                   -1;
        return 1;
    case OPT_RESAMPLE:
        if (strcmp(arg, "ties"))
            return cli_usage_error(cmd, "--resample '%s': the one resampling is 'ties'", arg), -1;
        o->u.resample = 1;
        return 1;
    case OPT_WEIGHT_NOISE:
        o->u.weight_noise = strtod(arg, &end);
        if (end == arg || *end || !(o->u.weight_noise >= 0 && o->u.weight_noise <= 10))
            return cli_usage_error(cmd,
                                   "--weight-noise '%s': give the log-sd of the weights' noise, "
                                   "0 to 10 (0.2 = about 20 %%)",
                                   arg),
                   -1;
        return 1;
    case OPT_INTERVAL:
        o->interval = strtod(arg, &end);
        if (end == arg || *end || !(o->interval >= 1 && o->interval <= 99.9))
            return cli_usage_error(cmd, "--interval '%s': give a width in percent, 1 to 99.9", arg),
                   -1;
        return 1;
    case OPT_SHARD:
        o->shard = arg; /* K/N or slurm: cli_uncert_check */
        return 1;
    case OPT_MERGE:
        if (o->n_merge == sizeof o->merge / sizeof o->merge[0])
            return cli_usage_error(cmd, "--merge: at most 64 paths (give folders)"), -1;
        o->merge[o->n_merge++] = arg;
        return 1;
    case OPT_UNCERT_METRICS:
        return parse_metrics(cmd, arg, o);
    case OPT_JOBS:
        if (cli_parse_long(arg, 1, 1024, &x))
            return cli_usage_error(cmd, "-j '%s': give a number of threads, 1 to 1024", arg), -1;
        o->u.threads = (int)x;
        return 1;
    case OPT_FORCE:
        o->force = 1;
        return 1;
    default:
        return -1;
    }
}

/* One table, three groups as its tails: every option (stats, map); all but -j (timeline, whose -j
 * counts its processes; it refuses the shard options itself); the model alone (batch, whose own
 * options take -j, --shard, --merge, --force). */
static const cli_opt_t uncert_opts[] = {{"jobs", 1, OPT_JOBS, 'j', 0},
                                        {"shard", 1, OPT_SHARD, 0, 0},
                                        {"merge", 1, OPT_MERGE, 0, 0},
                                        {"metrics", 1, OPT_UNCERT_METRICS, 0, 0},
                                        {"force", 0, OPT_FORCE, 0, 0},
                                        /* UNCERT_MODEL: the model */
                                        {"uncertainty", 1, OPT_UNCERTAINTY, 0, 0},
                                        {"keep-documented", 1, OPT_KEEP_DOCUMENTED, 0, 0},
                                        {"keep-probable", 1, OPT_KEEP_PROBABLE, 0, 0},
                                        {"resample", 1, OPT_RESAMPLE, 0, 0},
                                        {"weight-noise", 1, OPT_WEIGHT_NOISE, 0, 0},
                                        {"interval", 1, OPT_INTERVAL, 0, 0},
                                        {NULL, 0, 0, 0, 0}};
enum { UNCERT_MODEL = 5 };
const cli_opt_group_t cli_uncert_group = {uncert_opts, uncert_option};
const cli_opt_group_t cli_uncert_nojobs_group = {uncert_opts + 1, uncert_option};
const cli_opt_group_t cli_uncert_model_group = {uncert_opts + UNCERT_MODEL, uncert_option};

/* --shard K/N (after cli_slurm_shard): 0, or -1 after a usage error */
static int parse_shard(const char *cmd, const char *arg, cli_uncert_opts_t *o)
{
    unsigned long k = 0, n = 0;
    int used = 0;
    if (sscanf(arg, "%lu/%lu%n", &k, &n, &used) != 2 || arg[used] || k < 1 || n < 1 || k > n ||
        n > PM_UNCERT_MAX_REPLICATES)
        return cli_usage_error(cmd, "--shard '%s': give K/N with 1 <= K <= N (e.g. 3/10), or slurm",
                               arg),
               -1;
    o->u.shard_k = k;
    o->u.shard_n = n;
    return 0;
}

int cli_uncert_check(const char *cmd, int rc, cli_uncert_opts_t *o, const char *output)
{
    if (rc >= 0)
        return rc;
    if (o->on && !o->n_merge &&
        (rc = cli_slurm_shard(cmd, o->quiet, o->shard_buf, sizeof o->shard_buf, &o->shard)) >= 0)
        return rc;
    if (o->shard && strcmp(o->shard, "slurm") && parse_shard(cmd, o->shard, o))
        return 2;
    if (!o->on && o->needs_n)
        return cli_usage_error(cmd,
                               "%s needs --uncertainty N (it is an option of the Monte "
                               "Carlo over the sources)",
                               o->needs_n);
    if (!o->on && (o->shard || o->n_merge))
        return cli_usage_error(cmd, "--%s needs --uncertainty N (the whole run's N)",
                               o->shard ? "shard" : "merge");
    if (o->shard && o->n_merge)
        return cli_usage_error(cmd, "--shard and --merge: a shard runs replicates, a merge reads "
                                    "them; give one");
    if (o->u.shard_n && !output)
        return cli_usage_error(cmd, "--shard: give -o FILE (or a folder) for the shard's values");
    return -1;
}

/* The shard's file: output itself, or output/shard-K-of-N.pmu when it is a folder. */
static void shard_path(const char *output, const pm_uncert_opts_t *u, char *buf, size_t size)
{
    struct stat sb;
    if (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(buf, size, "%s/shard-%zu-of-%zu.pmu", output, u->shard_k, u->shard_n);
    else
        snprintf(buf, size, "%s", output);
}

/* Whether the shard file path already holds this run's shard (cli_uncert.h): 1 yes (said on
 * stderr), 0 no (a note says why when there is a file), -1 a failure (st and err set). */
static int shard_done(const pm_net_t *net, const cli_net_opts_t *no, const pm_uncert_opts_t *uo,
                      const char *path, pm_uncert_t *like, pm_status_t *st, pm_error_t *err)
{
    struct stat sb;
    if (stat(path, &sb) || !S_ISREG(sb.st_mode))
        return 0;
    pm_uncert_opts_t lo = *uo;
    lo.observed_only = 1; /* the fingerprint and header of the run, without its replicates */
    if ((*st = pm_uncert_run(net, &no->metrics, &lo, like, err)))
        return -1;
    pm_error_t why;
    pm_error_clear(&why);
    pm_status_t cs = pm_uncert_shard_check(path, like, uo, &why);
    if (cs == PM_ENOMEM) {
        *st = cs;
        *err = why;
        return -1;
    }
    if (cs == PM_OK) {
        fprintf(stderr,
                "partnermap: shard %zu/%zu already in %s (same table and options): skipped; "
                "--force recomputes it\n",
                uo->shard_k, uo->shard_n, path);
        return 1;
    }
    fprintf(stderr, "partnermap: note: %s; recomputing shard %zu/%zu and replacing the file\n",
            why.msg, uo->shard_k, uo->shard_n);
    return 0;
}

int cli_uncert_stats(const pm_net_t *net, const cli_net_opts_t *no, const cli_uncert_opts_t *o,
                     pm_format_t format, const char *sort, size_t rows, int summary_only,
                     const char *title, const char *output)
{
    pm_error_t err;
    pm_error_clear(&err);
    pm_uncert_t u, like;
    memset(&u, 0, sizeof u);
    memset(&like, 0, sizeof like);
    pm_uncert_summary_t s;
    memset(&s, 0, sizeof s);
    pm_buf_t out;
    pm_buf_init(&out);
    pm_uncert_opts_t uo = o->u;
    uo.seed = no->metrics.seed;
    size_t top = o->top ? o->top : 10;
    pm_status_t st = PM_OK;
    char path[4096];
    if (uo.shard_n) {
        shard_path(output, &uo, path, sizeof path);
        int done = o->force ? 0 : shard_done(net, no, &uo, path, &like, &st, &err);
        if (done)
            goto done;
    }
    if (o->n_merge) {
        uo.observed_only = 1;
        if ((st = pm_uncert_run(net, &no->metrics, &uo, &like, &err)) ||
            (st = pm_uncert_merge(o->merge, o->n_merge, &like, &u, &err)))
            goto done;
    } else if ((st = cli_uncert_run(net, &no->metrics, &uo, &u, &err))) {
        goto done;
    }
    if (uo.shard_n) {
        if ((st = pm_uncert_shard_write(&u, &uo, &out, &err)) ||
            (st = pm_io_write_atomic(path, out.data, out.len, &err)))
            goto done;
        fprintf(stderr, "partnermap: shard %zu/%zu: %zu of %zu replicates written to %s\n",
                uo.shard_k, uo.shard_n, u.n_rep, uo.replicates, path);
        goto done;
    }
    pm_uncert_view_t v = {format, sort, rows, title, uo.replicates, &uo, summary_only};
    if ((st = pm_uncert_summarise(&u, o->interval, top, &s, &err)) ||
        (st = pm_uncert_report_write(net, &u, &s, &v, &out, &err)) ||
        (st = pm_io_write_atomic(output ? output : "-", pm_buf_str(&out), out.len, &err)))
        goto done;
done:;
    int rc = st == PM_OK       ? 0
             : st == PM_EUSAGE ? cli_usage_error("stats", "%s", err.msg)
                               : cli_fail(&err);
    pm_buf_destroy(&out);
    pm_uncert_summary_destroy(&s);
    pm_uncert_destroy(&u);
    pm_uncert_destroy(&like);
    return rc;
}
