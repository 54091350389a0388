/*
 * cmd_batch: `partnermap batch` — many runs (datasets, periods, coding choices) in one go, with
 * shared scales so the figures compare, one folder per run and a summary table side by side.
 *
 * The work is the core's batch engine (pm_batch.h): loading each run against one shared
 * geometry, the shared scales, content hashes, a run's files, the summary. This file parses the
 * options (the batch's and each run's words into typed options), forks up to -j workers that
 * each write one run (pm_batch_job_write), shows progress, and on SIGINT/SIGTERM stops the
 * workers and removes their temporary files, so no half-written figure is left. Forking after
 * the data are loaded shares them copy-on-write and isolates a failing run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_batch.h"
#include "cli_facet.h"
#include "cli_map.h"
#include "cli_uncert_map.h"
#include "cli_net.h"
#include "cli_slurm.h"
#include "pm_batch.h"
#include "pm_buf.h"
#include "pm_io.h"
#include "pm_report.h"
#include "pm_runtime.h"

enum {
    OPT_JOBS = OPT_CLI_FACET_LAST + 1,
    OPT_FORCE,
    OPT_INDEPENDENT,
    OPT_SHARD,
    OPT_MERGE,
    OPT_FIGURES,
    OPT_MANIFEST
};

static const char help[] =
    "usage: partnermap batch [options] -o DIR (MANIFEST | TIES... | FOLDER...)\n"
    "       partnermap batch --merge DIR... -o DIR\n"
    "\n"
    "Runs partnermap on many tie tables or many variants of one (periods, filters, weights),\n"
    "writing one folder per run under DIR (figures, stats.csv, summary.csv, join.csv) and\n"
    "DIR/summary.csv comparing the runs side by side. By default all runs share their scales:\n"
    "the same class breaks, tie widths, circle sizes and map extent, so the figures compare.\n"
    "\n"
    "A manifest is a CSV (or XLSX...) with the columns name and ties (a path, relative to the\n"
    "manifest), and optionally options (\"--where confidence=documented --period 1960-1969\")\n"
    "or one column per option without the dashes (where, period, weight, fill, ...). Options\n"
    "given on the command line apply to every run; a run's own options come after them.\n"
    "Geometry options (--geo, --level, --places, ...) apply to the whole batch.\n"
    "\n"
    "Batch:\n"
    "  -o, --output DIR    the folder of results (created)\n"
    "  --manifest FILE     read the runs from FILE (a single CSV argument with name and ties\n"
    "                      columns is taken as a manifest too)\n"
    "  -j, --jobs N        runs drawn in parallel (default: the number of processors)\n"
    "  --figures LIST      formats of each run's map: png (default), svg, pdf, comma-separated;\n"
    "                      none for statistics only\n"
    "  --independent-scales  let every run choose its own scales\n"
    "  --force             redo runs whose inputs and options have not changed\n"
    "  --shard K/N         do only the K-th of N slices of the runs (for job arrays); slurm:\n"
    "                      the Slurm array task's slice (the default in an array task)\n"
    "  --merge             the arguments are result folders of shards: build DIR/summary.csv\n"
    "  --quiet             no progress, no warnings\n"
    "\n";

static const char help_end[] =
    "  -h, --help          this help\n"
    "\n"
    "The exit status is 0 when every run succeeded, 3 when some failed (each with its reason in\n"
    "DIR/summary.csv), 130 when interrupted.\n"
    "\n";
/* a run with --facet period (in its options or on the command line) draws small multiples as
 * its map.*; its other files are those of the whole run */
static const char help4[] = CLI_FACET_HELP "\n";
/* a run with --uncertainty N draws rings and hatching on its map (as map does) and writes
 * uncertainty.csv (as stats --uncertainty --format csv) beside its other files */
static const char help5[] =
    "Source uncertainty (per run, or for every run on the command line; docs/methods.md):\n"
    "  --uncertainty N     N replicate networks: the run's map gets rings and hatching (as\n"
    "                      'partnermap map --uncertainty'), its folder uncertainty.csv (the\n"
    "                      intervals of the map's metrics) and the unstable places in\n"
    "                      warnings.txt\n"
    "  --keep-documented P, --keep-probable P, --resample ties, --weight-noise S,\n"
    "  --interval PCT, --unstable SHARE: as for map (see 'partnermap map --help')\n"
    "\n";

/* ---- per-run state ----------------------------------------------------------------------------
 */

/* The CLI's side of a run: its words and parsed options; the engine's side is jobs[i]. */
typedef struct run {
    const pm_batch_run_t *spec;
    cli_net_opts_t net_opts;
    cli_map_opts_t map_opts;
    cli_facet_opts_t facet; /* --facet period: map.* are small multiples */
    char **argv;            /* the combined options, for getopt */
    int argc;
    char *options_key; /* the options that change the outputs, canonical, for the hash */
    pid_t pid;
    cli_uncert_opts_t uo; /* --uncertainty N and the keep model (the map's marks) */
    cli_uncert_map_t um;  /* --unstable, and the marks' legend texts and note */
    pm_buf_t report;      /* uncertainty.csv */
} run_t;

typedef struct batch_opts {
    const char *out_dir;
    const char *manifest;
    long jobs;
    int force, independent, merge, quiet;
    const char *shard;
    pm_batch_figures_t fig;
} batch_opts_t;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int batch_option(const char *cmd, int id, const char *arg, void *target)
{
    batch_opts_t *bo = target;
    long v;
    switch (id) {
    case 'o':
        bo->out_dir = arg;
        return 1;
    case OPT_JOBS:
        if (cli_parse_long(arg, 1, 256, &v))
            return cli_usage_error(cmd, "--jobs '%s': give 1 to 256", arg);
        bo->jobs = v;
        return 1;
    case OPT_FORCE:
        bo->force = 1;
        return 1;
    case OPT_INDEPENDENT:
        bo->independent = 1;
        return 1;
    case OPT_SHARD:
        bo->shard = arg;
        return 1;
    case OPT_MERGE:
        bo->merge = 1;
        return 1;
    case OPT_MANIFEST:
        bo->manifest = arg;
        return 1;
    default: /* OPT_FIGURES */
        if (cli_batch_parse_figures(arg, &bo->fig))
            return cli_usage_error(cmd,
                                   "--figures '%s': a comma-separated list of png, svg, pdf, "
                                   "or none",
                                   arg);
        return 1;
    }
}

/* In a run's words the batch's own options have been applied once already: ignored. */
static int batch_option_done(const char *cmd, int id, const char *arg, void *target)
{
    (void)cmd, (void)id, (void)arg, (void)target;
    return 1;
}

static const cli_opt_t batch_opts[] = {{"output", 1, 'o', 'o', 0},
                                       {"jobs", 1, OPT_JOBS, 'j', 0},
                                       {"force", 0, OPT_FORCE, 0, 0},
                                       {"independent-scales", 0, OPT_INDEPENDENT, 0, 0},
                                       {"shard", 1, OPT_SHARD, 0, 0},
                                       {"merge", 0, OPT_MERGE, 0, 0},
                                       {"figures", 1, OPT_FIGURES, 0, 0},
                                       {"manifest", 1, OPT_MANIFEST, 0, 0},
                                       {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t batch_group = {batch_opts, batch_option};
static const cli_opt_group_t batch_done_group = {batch_opts, batch_option_done};

/* The groups of a run's options: every option of map, and the batch's own (ignored). */
#define RUN_USES 9
static void run_uses(run_t *r, cli_opt_use_t *uses)
{
    uses[7] = (cli_opt_use_t){&cli_uncert_model_group, &r->uo};
    uses[8] = (cli_opt_use_t){&cli_uncert_map_group, &r->um};
    uses[5] = (cli_opt_use_t){&cli_facet_group, &r->facet};
    uses[6] = (cli_opt_use_t){&cli_period_group, &r->facet.per};
    uses[0] = (cli_opt_use_t){&cli_ties_group, &r->net_opts.ties};
    uses[1] = (cli_opt_use_t){&cli_geo_group, &r->net_opts};
    uses[2] = (cli_opt_use_t){&cli_metrics_group, &r->net_opts};
    uses[3] = (cli_opt_use_t){&cli_map_group, &r->map_opts};
    uses[4] = (cli_opt_use_t){&batch_done_group, NULL};
}

/* What a run's options say beyond their values: the canonical text of those that can change
 * its outputs (long name and value, whatever the spelling; not --quiet), and whether --fill
 * was given. */
typedef struct run_words {
    pm_buf_t key;
    int fill_given;
} run_words_t;

static void run_seen(const cli_opt_use_t *use, const cli_opt_t *opt, const char *arg, void *ctx)
{
    run_words_t *w = ctx;
    if (use->group == &batch_done_group || (opt->flags & CLI_OPT_NO_OUTPUT))
        return;
    w->fill_given |= opt->id == OPT_FILL;
    pm_buf_printf(&w->key, "\x1f--%s", opt->name);
    if (arg)
        pm_buf_printf(&w->key, "=%s", arg);
}

/* Parses a run's options (the batch's common ones, then its own) into its option structs, and
 * records those that can change its outputs as its options key. A bad option makes the run fail
 * with the option's own message as its reason (nothing is printed: the reason is printed with the
 * run's name at the end, and goes into summary.csv). */
static int parse_run(run_t *r, pm_batch_job_t *j, int *fill_given)
{
    cli_net_opts_init(&r->net_opts);
    cli_map_opts_init(&r->map_opts);
    cli_facet_opts_init(&r->facet);
    cli_uncert_opts_init(&r->uo);
    cli_uncert_map_init(&r->um);
    pm_buf_init(&r->report);
    char msg[PM_ERROR_MSG_MAX - 16];
    run_words_t w = {.fill_given = 0};
    pm_buf_init(&w.key);
    cli_opt_use_t uses[RUN_USES];
    run_uses(r, uses);
    const cli_opt_parser_t p = {"batch", uses, RUN_USES, NULL, run_seen, &w, 0};
    cli_usage_capture(msg, sizeof msg);
    int rc = cli_opt_parse(&p, r->argc, r->argv);
    if (rc < 0 && cli_facet_check("batch", &r->facet, &r->map_opts, &r->net_opts.ties.filter) >= 0)
        rc = 2;
    if (rc < 0)
        rc = cli_uncert_map_check("batch", rc, &r->uo, &r->um);
    if (rc < 0 && !r->uo.on && r->uo.needs_n)
        rc = cli_usage_error("batch", "%s needs --uncertainty N", r->uo.needs_n);
    if (rc < 0 && r->uo.on && r->facet.on)
        rc = cli_usage_error("batch", "--uncertainty with --facet: the small multiples do not "
                                      "show replicates yet");
    cli_usage_capture(NULL, 0);
    if (rc >= 0)
        pm_batch_job_fail(j, "bad option: %s", msg[0] ? msg : "(no reason given)");
    else if (!(r->options_key = pm_buf_take(&w.key)))
        pm_batch_job_fail(j, "out of memory");
    pm_buf_destroy(&w.key);
    *fill_given = w.fill_given;
    return j->status == PM_BATCH_FAILED ? -1 : 0;
}

/* Combined argv: argv[0], the batch's options (getopt has moved them before the positional
 * arguments, which start at n_opts), then the run's own. Batch-only options are ignored by
 * parse_run. */
static int build_argv(run_t *r, char **argv, int n_opts)
{
    size_t n = (size_t)n_opts + r->spec->argc;
    r->argv = calloc(n + 1, sizeof *r->argv);
    if (!r->argv)
        return -1;
    int k = 0;
    r->argv[k++] = argv[0];
    for (int i = 1; i < n_opts; i++)
        r->argv[k++] = argv[i];
    for (size_t i = 0; i < r->spec->argc; i++)
        r->argv[k++] = r->spec->argv[i];
    r->argc = k;
    return 0;
}

/* The typed options of a parsed run. */
static void job_options(run_t *r, pm_batch_job_t *j)
{
    cli_net_core_opts(&r->net_opts, 1, NULL, 1, &j->net_opts);
    /* statistics are computed in the batch process, before any worker runs: on every core */
    j->net_opts.metrics.threads = 0;
    j->map_sel = (pm_net_map_opts_t){r->map_opts.fill, r->map_opts.circles, r->map_opts.label};
    j->map = r->map_opts.map;
    j->map.command_line = cli_command_line();
    j->options_key = r->options_key;
}

/* ---- main -------------------------------------------------------------------------------------
 */

/* Sets up run i: its words, options and typed job; a failure is the run's. */
static void setup_run(run_t *r, pm_batch_job_t *j, char **argv, int first_arg, const char *out_dir)
{
    snprintf(j->dir, sizeof j->dir, "%s/%s", out_dir, r->spec->name);
    j->name = r->spec->name;
    j->ties = r->spec->ties;
    if (build_argv(r, argv, first_arg)) {
        pm_batch_job_fail(j, "out of memory");
        return;
    }
    int fill_given;
    if (parse_run(r, j, &fill_given))
        return;
    /* PageRank sums to 1 in each network, so shared classes would make a larger network look
     * paler: by default a batch colours by PageRank x n (1 = the average place) */
    if (!fill_given)
        r->map_opts.fill = "pagerank_n";
    cli_opt_use_t uses[RUN_USES];
    run_uses(r, uses);
    for (size_t k = 0; k < r->spec->argc; k++) {
        const char *w = r->spec->argv[k];
        const cli_opt_t *opt = strncmp(w, "--", 2) ? NULL : cli_opt_find(uses, RUN_USES, w + 2);
        if (opt && (opt->flags & CLI_OPT_BATCH_WIDE)) {
            pm_batch_job_fail(j, "geometry options (--geo, --level, --places, ...) apply to the "
                                 "whole batch; give them on the command line");
            return;
        }
    }
    job_options(r, j);
    j->own_figure = r->facet.on;
}

/* The CLI's words for a run that failed to join (the core's reason names the join report). */
static void join_hint(pm_batch_job_t *j)
{
    size_t n = strlen(j->reason);
    if (strstr(j->reason, "see the join report") && n + 80 < sizeof j->reason)
        snprintf(j->reason + n, sizeof j->reason - n,
                 "; fix the names, add --aliases, or pass --allow-unmatched");
}

/* ---- drawing: the core's runner, with this program's workers ------------------------------- */

/* What the runner's callbacks share: the runs (their workers' pids), the renderer, the progress
 * line's start. */
typedef struct drawing {
    run_t *runs;
    pm_batch_job_t *jobs;
    size_t n;
    const batch_opts_t *bo;
    double t0;
} drawing_t;

/* Forks a worker for job, but only from a process of one thread (pm_renderer_t: between draws
 * the renderer runs none): a thread a library left running could hold a lock the worker would
 * inherit held. Otherwise the run is drawn here (0), as the first one was. */
static int start_worker(pm_batch_job_t *j, const pm_batch_figures_t *f, void *ctx)
{
    drawing_t *d = ctx;
    if (pm_renderer_threads(f->renderer) || cli_batch_process_threads() != 1)
        return 0;
    run_t *r = &d->runs[j - d->jobs];
    r->pid = cli_batch_start_worker(j, f);
    if (r->pid < 0) {
        pm_batch_job_fail(j, "cannot start a worker: %s", strerror(errno));
        r->pid = 0;
        return -1;
    }
    return 1;
}

/* Waits for a worker; on SIGINT/SIGTERM stops them all (the runner then waits for them). */
static int wait_worker(pm_batch_job_t **ended, void *ctx)
{
    drawing_t *d = ctx;
    int wst;
    pid_t pid = waitpid(-1, &wst, 0);
    if (pid < 0 && errno == EINTR) {
        for (size_t i = 0; interrupted && i < d->n; i++)
            if (d->runs[i].pid > 0)
                kill(d->runs[i].pid, SIGTERM);
        return 0;
    }
    if (pid < 0)
        return -1;
    for (size_t i = 0; i < d->n; i++)
        if (d->runs[i].pid == pid) {
            d->runs[i].pid = 0;
            cli_batch_worker_done(&d->jobs[i], wst);
            *ended = &d->jobs[i];
            return 1;
        }
    return 0; /* not one of ours */
}

static int stop_drawing(void *ctx)
{
    (void)ctx;
    return interrupted;
}

static void show_progress(size_t done, size_t total, const char *name, void *ctx)
{
    const drawing_t *d = ctx;
    cli_batch_progress(d->bo->quiet, done, total, name, d->t0);
}

/* Draws the pending runs through the core's runner (pm_batch_run_jobs): the first here (the
 * workers forked after it inherit its basemap, projected, simplified and rasterised once for
 * every run that shares the view), then up to bo->jobs forked workers. Returns 0, or 130 when
 * interrupted. */
static int draw_runs(run_t *runs, pm_batch_job_t *jobs, size_t n, const batch_opts_t *bo, double t0)
{
    drawing_t d = {runs, jobs, n, bo, t0};
    pm_batch_callbacks_t cb = {.progress = show_progress,
                               .ctx = &d,
                               .start = start_worker,
                               .wait = wait_worker,
                               .stop = stop_drawing,
                               .max_running = (size_t)bo->jobs,
                               .first_here = 1};
    size_t n_failed;
    pm_renderer_reuse_basemap(bo->fig.renderer, !bo->independent);
    pm_batch_run_jobs(jobs, n, &bo->fig, &cb, &n_failed);
    if (!interrupted)
        return 0;
    for (size_t i = 0; i < n; i++)
        pm_io_remove_temps(jobs[i].dir);
    fprintf(stderr, "\npartnermap batch: interrupted; finished runs are kept, no partial "
                    "files are left\n");
    return 130;
}

/* The batch's own options; -1 to go on, else the exit code. */
static int parse_batch(int argc, char **argv, batch_opts_t *bo, cli_net_opts_t *common_net,
                       cli_map_opts_t *common_map)
{
    const char *const texts[] = {help, cli_map_help[0], cli_map_help[1], help4, help5, help_end,
                                 NULL};
    cli_facet_opts_t facet; /* checked here, used per run (parse_run) */
    cli_facet_opts_init(&facet);
    cli_uncert_opts_t uo; /* checked here, used per run (parse_run) */
    cli_uncert_opts_init(&uo);
    cli_uncert_map_t um;
    cli_uncert_map_init(&um);
    const cli_opt_use_t uses[] = {{&cli_ties_group, &common_net->ties},
                                  {&cli_geo_group, common_net},
                                  {&cli_metrics_group, common_net},
                                  {&cli_map_group, common_map},
                                  {&cli_facet_group, &facet},
                                  {&cli_period_group, &facet.per},
                                  {&batch_group, bo},
                                  {&cli_uncert_model_group, &uo},
                                  {&cli_uncert_map_group, &um}};
    const cli_opt_parser_t p = {"batch", uses, 9, texts, NULL, NULL, 0};
    int rc = cli_opt_parse(&p, argc, argv);
    bo->quiet = common_net->ties.quiet;
    if (rc < 0 && (common_map->stats_out || common_map->join_out))
        rc =
            cli_usage_error("batch", "every run's folder gets stats.csv, summary.csv and join.csv; "
                                     "--stats and --join-report are options of 'map'");
    if (rc < 0 && !bo->out_dir)
        rc = cli_usage_error("batch", "no result folder: add -o DIR");
    if (rc < 0 && optind >= argc && !bo->manifest)
        rc = cli_usage_error("batch", bo->merge ? "no shard folders to merge"
                                                : "no runs: give a manifest, tie tables or "
                                                  "folders");
    return rc;
}

/* What a batch holds between its steps. */
typedef struct batch_state {
    pm_batch_t batch;
    pm_geo_t *geo;
    run_t *runs; /* batch.n of them, each with its job */
    pm_batch_job_t *jobs;
    size_t *index; /* a run's number in the whole plan (shards) */
    pm_map_scales_t scales;
    char *scales_str; /* the shared scales, in each run's hash */
} batch_state_t;

static void batch_state_init(batch_state_t *s)
{
    memset(s, 0, sizeof *s);
    pm_batch_init(&s->batch);
    pm_map_scales_init(&s->scales);
}

static void batch_state_free(batch_state_t *s)
{
    for (size_t i = 0; s->runs && s->jobs && i < s->batch.n; i++) {
        run_t *r = &s->runs[i];
        pm_batch_job_destroy(&s->jobs[i]);
        free(r->argv);
        free(r->options_key);
        cli_map_opts_destroy(&r->map_opts);
        cli_uncert_map_destroy(&r->um);
        pm_buf_destroy(&r->report);
        cli_net_opts_destroy(&r->net_opts);
    }
    free(s->runs);
    free(s->jobs);
    free(s->index);
    free(s->scales_str);
    pm_map_scales_destroy(&s->scales);
    pm_geo_free(s->geo);
    pm_batch_destroy(&s->batch);
}

int cmd_batch(int argc, char **argv)
{
    batch_opts_t bo = {0};
    bo.fig.png = 1;
    bo.jobs = sysconf(_SC_NPROCESSORS_ONLN);
    cli_net_opts_t common_net;
    cli_net_opts_init(&common_net);
    cli_map_opts_t common_map;
    cli_map_opts_init(&common_map);
    int rc = parse_batch(argc, argv, &bo, &common_net, &common_map);
    int first_arg = optind;
    char array_shard[32]; /* no --shard in a Slurm array task: the task's */
    if (rc < 0 && !bo.merge)
        rc = cli_slurm_shard("batch", bo.quiet, array_shard, sizeof array_shard, &bo.shard);
    if (rc < 0 && bo.merge)
        rc = cli_batch_merge(argc, argv, first_arg, bo.out_dir, bo.quiet);
    if (rc >= 0) {
        cli_map_opts_destroy(&common_map);
        cli_net_opts_destroy(&common_net);
        return rc;
    }

    pm_error_t err;
    pm_error_clear(&err);
    batch_state_t s;
    batch_state_init(&s);
    int shard_k = 0, shard_n = 0; /* drawing slice when shards share scales */

    pm_status_t st =
        pm_batch_plan(&s.batch, bo.manifest, argv + first_arg, (size_t)(argc - first_arg), bo.shard,
                      bo.independent, &s.index, &shard_k, &shard_n, &err);
    if (!st)
        st = pm_io_mkdirs(bo.out_dir, &err);
    if (!st)
        st = cli_net_open_geo(&common_net, &s.geo, &err);
    if (!st && (!(s.runs = calloc(s.batch.n ? s.batch.n : 1, sizeof *s.runs)) ||
                !(s.jobs = calloc(s.batch.n ? s.batch.n : 1, sizeof *s.jobs))))
        st = pm_error_set(&err, PM_ENOMEM, "out of memory");
    if (st) {
        rc = st == PM_EUSAGE ? cli_usage_error("batch", "%s", err.msg) : cli_fail(&err);
        goto done;
    }
    for (size_t i = 0; i < s.batch.n; i++) {
        pm_batch_job_init(&s.jobs[i]);
        s.runs[i].spec = &s.batch.runs[i];
        s.jobs[i].index = s.index[i];
        s.jobs[i].other_shard = shard_n && (int)(i % (size_t)shard_n) != shard_k - 1;
    }

    /* read, join and measure every run (in this process: the geometry index is shared) */
    double t0 = cli_batch_now();
    for (size_t i = 0; i < s.batch.n && !interrupted; i++) {
        setup_run(&s.runs[i], &s.jobs[i], argv, first_arg, bo.out_dir);
        if (s.jobs[i].status == PM_BATCH_PENDING && pm_batch_job_load(&s.jobs[i], s.geo))
            join_hint(&s.jobs[i]);
    }

    /* shared scales */
    if (!bo.independent && !interrupted &&
        (st = pm_batch_share(s.jobs, s.batch.n, &s.scales, &s.scales_str, &err))) {
        rc = cli_fail(&err);
        goto done;
    }

    /* hashes; unchanged runs are skipped */
    for (size_t i = 0; i < s.batch.n; i++) {
        pm_batch_job_t *j = &s.jobs[i];
        if (!j->prepared || j->other_shard)
            continue;
        if (pm_batch_job_hash(j, s.runs[i].spec, s.scales_str, &bo.fig, &err))
            pm_batch_job_fail(j, "%s", err.msg);
        else if (!bo.force && pm_batch_job_unchanged(j))
            j->status = PM_BATCH_SKIPPED;
        else
            pm_io_remove_temps(j->dir); /* an earlier batch killed mid-run (SIGKILL) left them */
        if (s.runs[i].uo.on)
            cli_uncert_map_batch_job(j, &s.runs[i].net_opts, &s.runs[i].uo, &s.runs[i].map_opts,
                                     &s.runs[i].um, &s.runs[i].report);
    }

    /* draw: up to -j workers, one forked process per run, fonts set up once beforehand; one
     * renderer for every run: its basemap serves them all */
    if (pm_renderer_new(&bo.fig.renderer, &err) || pm_render_warm_up(&err)) {
        rc = cli_fail(&err);
        goto done;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* the small multiples of the runs with --facet period, before their other files and hashes */
    for (size_t i = 0; i < s.batch.n && !interrupted; i++)
        cli_facet_batch_job(&s.jobs[i], &s.runs[i].net_opts, &s.runs[i].map_opts, &s.runs[i].facet,
                            &bo.fig);
    if ((rc = draw_runs(s.runs, s.jobs, s.batch.n, &bo, t0)))
        goto done;

    /* summary, from the runs in memory */
    rc = cli_batch_summarize(s.jobs, s.batch.n, bo.out_dir, bo.quiet);
done:
    batch_state_free(&s);
    pm_renderer_free(bo.fig.renderer);
    cli_map_opts_destroy(&common_map);
    cli_net_opts_destroy(&common_net);
    return rc;
}
