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
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_batch.h"
#include "cli_map.h"
#include "cli_net.h"
#include "pm_batch.h"
#include "pm_buf.h"
#include "pm_io.h"
#include "pm_report.h"
#include "pm_runtime.h"

enum {
    OPT_JOBS = OPT_CLI_MAP_LAST + 1,
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
    "  --shard K/N         do only the K-th of N slices of the runs (for job arrays)\n"
    "  --merge             the arguments are result folders of shards: build DIR/summary.csv\n"
    "  --quiet             no progress, no warnings\n"
    "\n";

/* in two strings: together they pass the 4,095 characters C guarantees for one literal */
static const char help2[] = CLI_TIES_HELP "\n" CLI_GEO_HELP "\n";
static const char help3[] = CLI_METRICS_HELP
    "\n" CLI_MAP_HELP "  -h, --help          this help\n"
    "\n"
    "The exit status is 0 when every run succeeded, 3 when some failed (each with its reason in\n"
    "DIR/summary.csv), 130 when interrupted.\n"
    "\n";

/* ---- per-run state ----------------------------------------------------------------------------
 */

/* The CLI's side of a run: its words and parsed options; the engine's side is jobs[i]. */
typedef struct run {
    const pm_batch_run_t *spec;
    cli_net_opts_t net_opts;
    cli_map_opts_t map_opts;
    char **argv; /* the combined options, for getopt */
    int argc;
    char *options_key; /* the options that change the outputs, canonical, for the hash */
    pid_t pid;
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

/* The shared option table: every option of map, plus batch's own. */
static const struct option longopts[] = {CLI_TIES_LONG_OPTIONS,
                                         CLI_GEO_LONG_OPTIONS,
                                         CLI_METRICS_LONG_OPTIONS,
                                         CLI_MAP_LONG_OPTIONS,
                                         {"jobs", required_argument, NULL, OPT_JOBS},
                                         {"force", no_argument, NULL, OPT_FORCE},
                                         {"independent-scales", no_argument, NULL, OPT_INDEPENDENT},
                                         {"shard", required_argument, NULL, OPT_SHARD},
                                         {"merge", no_argument, NULL, OPT_MERGE},
                                         {"figures", required_argument, NULL, OPT_FIGURES},
                                         {"manifest", required_argument, NULL, OPT_MANIFEST},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

static int is_geo_option(int c)
{
    return c == OPT_GEO || c == OPT_GEO_LAYER || c == OPT_GEO_KEY || c == OPT_GEO_NAME ||
           c == OPT_LEVEL || c == OPT_ALIASES || c == OPT_PLACES || c == OPT_AGGREGATE;
}

/* Options of the batch itself (handled once, by the batch): they change no run's outputs, or do
 * so through the hash's own parts (figures, scales). */
static int is_batch_option(int c)
{
    return c == OPT_JOBS || c == OPT_FORCE || c == OPT_INDEPENDENT || c == OPT_SHARD ||
           c == OPT_MERGE || c == OPT_FIGURES || c == OPT_MANIFEST || c == 'o' || c == 'j' ||
           c == 'h';
}

/* Parses a run's options (the batch's common ones, then its own) into its option structs, and
 * records those that can change its outputs (canonical: long name and value, whatever the
 * spelling; not --quiet) as its options key. A bad option makes the run fail with the option's
 * own message as its reason (nothing is printed: the reason is printed with the run's name at the
 * end, and goes into summary.csv). */
static int parse_run(run_t *r, pm_batch_job_t *j)
{
    cli_net_opts_init(&r->net_opts);
    cli_map_opts_init(&r->map_opts);
    int c, rc = 0, li;
    char msg[PM_ERROR_MSG_MAX - 16];
    pm_buf_t key;
    pm_buf_init(&key);
    optind = 1;
    opterr = 0;
    cli_usage_capture(msg, sizeof msg);
    while (!rc && (li = -1, c = getopt_long(r->argc, r->argv, ":o:j:h", longopts, &li)) != -1) {
        int k = cli_net_option("batch", c, optarg, &r->net_opts);
        if (!k)
            k = cli_map_option("batch", c, optarg, &r->map_opts);
        if (k < 0) {
            pm_batch_job_fail(j, "bad option: %s", msg[0] ? msg : "(no reason given)");
            rc = -1;
        } else if (!k && !is_batch_option(c)) {
            pm_batch_job_fail(j, c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
                              r->argv[optind - 1]);
            rc = -1;
        } else if (k && c != OPT_QUIET && li >= 0) {
            pm_buf_printf(&key, "\x1f--%s", longopts[li].name);
            if (optarg)
                pm_buf_printf(&key, "=%s", optarg);
        }
    }
    cli_usage_capture(NULL, 0);
    if (!rc && !(r->options_key = pm_buf_take(&key))) {
        pm_batch_job_fail(j, "out of memory");
        rc = -1;
    }
    pm_buf_destroy(&key);
    return rc;
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
    if (parse_run(r, j))
        return;
    /* PageRank sums to 1 in each network, so shared classes would make a larger network look
     * paler: by default a batch colours by PageRank x n (1 = the average place) */
    int fill_given = 0;
    for (int k = 1; k < r->argc; k++)
        fill_given |= !strcmp(r->argv[k], "--fill") || !strncmp(r->argv[k], "--fill=", 7);
    if (!fill_given)
        r->map_opts.fill = "pagerank_n";
    for (size_t k = 0; k < r->spec->argc; k++)
        for (const struct option *lo = longopts; lo->name; lo++)
            if (!strncmp(r->spec->argv[k], "--", 2) && !strcmp(r->spec->argv[k] + 2, lo->name) &&
                is_geo_option(lo->val)) {
                pm_batch_job_fail(j, "geometry options (--geo, --level, --places, ...) apply to "
                                     "the whole batch; give them on the command line");
                return;
            }
    job_options(r, j);
}

/* The CLI's words for a run that failed to join (the core's reason names the join report). */
static void join_hint(pm_batch_job_t *j)
{
    size_t n = strlen(j->reason);
    if (strstr(j->reason, "see the join report") && n + 80 < sizeof j->reason)
        snprintf(j->reason + n, sizeof j->reason - n,
                 "; fix the names, add --aliases, or pass --allow-unmatched");
}

/* Draws the pending runs: the first here (the workers forked after it inherit its basemap,
 * projected, simplified and rasterised once for every run that shares the view), then up to
 * bo->jobs forked workers. Returns 0, or 130 when interrupted. */
static int draw_runs(run_t *runs, pm_batch_job_t *jobs, size_t n, const batch_opts_t *bo, double t0)
{
    size_t done_n = 0, running = 0, next = 0, mine = 0;
    for (size_t i = 0; i < n; i++)
        mine += !jobs[i].other_shard;
    pm_renderer_reuse_basemap(bo->fig.renderer, !bo->independent);
    for (size_t i = 0; i < n && !interrupted; i++) {
        pm_batch_job_t *j = &jobs[i];
        if (j->other_shard || j->status != PM_BATCH_PENDING)
            continue;
        pm_batch_job_draw(j, &bo->fig);
        break;
    }
    fflush(NULL);
    for (;;) {
        while (!interrupted && running < (size_t)bo->jobs && next < n) {
            pm_batch_job_t *j = &jobs[next];
            run_t *r = &runs[next++];
            if (j->other_shard)
                continue;
            if (j->status != PM_BATCH_PENDING) {
                cli_batch_progress(bo->quiet, ++done_n, mine, j->name, t0);
                continue;
            }
            pm_error_t e;
            if (pm_io_mkdirs(j->dir, &e)) {
                pm_batch_job_fail(j, "%s", e.msg);
                cli_batch_progress(bo->quiet, ++done_n, mine, j->name, t0);
                continue;
            }
            /* fork only a process of one thread (pm_renderer_t: between draws the renderer runs
             * none): a thread a library left running could hold a lock the worker would inherit
             * held. Otherwise the run is drawn here, as the first one was. */
            if (pm_renderer_threads(bo->fig.renderer) || cli_batch_process_threads() != 1) {
                pm_batch_job_draw(j, &bo->fig);
                cli_batch_progress(bo->quiet, ++done_n, mine, j->name, t0);
                continue;
            }
            r->pid = cli_batch_start_worker(j, &bo->fig);
            if (r->pid < 0) {
                pm_batch_job_fail(j, "cannot start a worker: %s", strerror(errno));
                r->pid = 0;
                done_n++;
                continue;
            }
            running++;
        }
        if (running == 0)
            break;
        int wst;
        pid_t pid = waitpid(-1, &wst, 0);
        if (pid < 0) {
            if (errno == EINTR) {
                if (interrupted)
                    for (size_t i = 0; i < n; i++)
                        if (runs[i].pid > 0)
                            kill(runs[i].pid, SIGTERM);
                continue;
            }
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (runs[i].pid != pid)
                continue;
            runs[i].pid = 0;
            running--;
            cli_batch_worker_done(&jobs[i], wst);
            cli_batch_progress(bo->quiet, ++done_n, mine, jobs[i].name, t0);
        }
    }
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
    int rc = -1, c;
    long v;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:j:h", longopts, NULL)) != -1) {
        int k = cli_net_option("batch", c, optarg, common_net);
        if (!k)
            k = cli_map_option("batch", c, optarg, common_map);
        if (k < 0)
            return 2;
        if (k)
            continue;
        switch (c) {
        case 'h':
            fputs(help, stdout);
            fputs(help2, stdout);
            fputs(help3, stdout);
            fputs(cli_exit_codes_help, stdout);
            rc = 0;
            break;
        case 'o':
            bo->out_dir = optarg;
            break;
        case 'j':
        case OPT_JOBS:
            if (cli_parse_long(optarg, 1, 256, &v))
                rc = cli_usage_error("batch", "--jobs '%s': give 1 to 256", optarg);
            bo->jobs = v;
            break;
        case OPT_FORCE:
            bo->force = 1;
            break;
        case OPT_INDEPENDENT:
            bo->independent = 1;
            break;
        case OPT_SHARD:
            bo->shard = optarg;
            break;
        case OPT_MERGE:
            bo->merge = 1;
            break;
        case OPT_MANIFEST:
            bo->manifest = optarg;
            break;
        case OPT_FIGURES:
            if (cli_batch_parse_figures(optarg, &bo->fig))
                rc = cli_usage_error("batch",
                                     "--figures '%s': a comma-separated list of png, "
                                     "svg, pdf, or none",
                                     optarg);
            break;
        case ':':
            rc = cli_usage_error("batch", "%s needs a value", argv[optind - 1]);
            break;
        default:
            rc = cli_usage_error("batch", "unknown option '%s'", argv[optind - 1]);
        }
    }
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
    if (rc < 0 && bo.merge)
        rc = cli_batch_merge(argc, argv, first_arg, bo.out_dir, bo.quiet);
    if (rc >= 0) {
        cli_map_opts_destroy(&common_map);
        cli_net_opts_destroy(&common_net);
        return rc;
    }

    pm_error_t err;
    pm_error_clear(&err);
    pm_batch_t batch;
    pm_batch_init(&batch);
    pm_geo_t *geo = NULL;
    run_t *runs = NULL;
    pm_batch_job_t *jobs = NULL;
    pm_batch_row_t *rows = NULL;
    size_t *index = NULL;
    pm_map_scales_t scales;
    pm_map_scales_init(&scales);
    char *scales_str = NULL;
    size_t n_failed = 0;
    int shard_k = 0, shard_n = 0; /* drawing slice when shards share scales */

    pm_status_t st =
        pm_batch_plan(&batch, bo.manifest, argv + first_arg, (size_t)(argc - first_arg), bo.shard,
                      bo.independent, &index, &shard_k, &shard_n, &err);
    if (!st)
        st = pm_io_mkdirs(bo.out_dir, &err);
    if (!st)
        st = cli_net_open_geo(&common_net, &geo, &err);
    if (!st && (!(runs = calloc(batch.n ? batch.n : 1, sizeof *runs)) ||
                !(jobs = calloc(batch.n ? batch.n : 1, sizeof *jobs))))
        st = pm_error_set(&err, PM_ENOMEM, "out of memory");
    if (st) {
        rc = st == PM_EUSAGE ? cli_usage_error("batch", "%s", err.msg) : cli_fail(&err);
        goto done;
    }
    for (size_t i = 0; i < batch.n; i++) {
        pm_batch_job_init(&jobs[i]);
        runs[i].spec = &batch.runs[i];
        jobs[i].index = index[i];
        jobs[i].other_shard = shard_n && (int)(i % (size_t)shard_n) != shard_k - 1;
    }

    /* read, join and measure every run (in this process: the geometry index is shared) */
    double t0 = cli_batch_now();
    for (size_t i = 0; i < batch.n && !interrupted; i++) {
        setup_run(&runs[i], &jobs[i], argv, first_arg, bo.out_dir);
        if (jobs[i].status == PM_BATCH_PENDING && pm_batch_job_load(&jobs[i], geo))
            join_hint(&jobs[i]);
    }

    /* shared scales */
    if (!bo.independent && !interrupted &&
        (st = pm_batch_share(jobs, batch.n, &scales, &scales_str, &err))) {
        rc = cli_fail(&err);
        goto done;
    }

    /* hashes; unchanged runs are skipped */
    for (size_t i = 0; i < batch.n; i++) {
        pm_batch_job_t *j = &jobs[i];
        if (!j->prepared || j->other_shard)
            continue;
        if (pm_batch_job_hash(j, runs[i].spec, scales_str, &bo.fig, &err))
            pm_batch_job_fail(j, "%s", err.msg);
        else if (!bo.force && pm_batch_job_unchanged(j))
            j->status = PM_BATCH_SKIPPED;
        else
            pm_io_remove_temps(j->dir); /* an earlier batch killed mid-run (SIGKILL) left them */
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
    if ((rc = draw_runs(runs, jobs, batch.n, &bo, t0)))
        goto done;

    /* summary, from the runs in memory */
    rows = calloc(batch.n ? batch.n : 1, sizeof *rows);
    if (!rows) {
        pm_error_set(&err, PM_ENOMEM, "out of memory");
        rc = cli_fail(&err);
        goto done;
    }
    size_t n_rows = 0;
    for (size_t i = 0; i < batch.n; i++) {
        pm_batch_job_t *j = &jobs[i];
        if (j->other_shard)
            continue;
        if (j->status == PM_BATCH_FAILED && !bo.quiet)
            fprintf(stderr, "partnermap batch: run '%s' failed: %s\n", j->name, j->reason);
        n_failed += j->status == PM_BATCH_FAILED;
        if (pm_batch_job_row(j, &rows[n_rows++], &err)) {
            rc = cli_fail(&err);
            goto done;
        }
    }
    rc = cli_batch_write_summary(bo.out_dir, rows, n_rows, bo.quiet);
    if (!rc)
        rc = n_failed ? 3 : 0;
done:
    for (size_t i = 0; runs && jobs && i < batch.n; i++) {
        pm_batch_job_destroy(&jobs[i]);
        free(runs[i].argv);
        free(runs[i].options_key);
        cli_map_opts_destroy(&runs[i].map_opts);
        cli_net_opts_destroy(&runs[i].net_opts);
    }
    free(runs);
    free(jobs);
    free(rows);
    free(index);
    free(scales_str);
    pm_map_scales_destroy(&scales);
    pm_geo_free(geo);
    pm_renderer_free(bo.fig.renderer);
    pm_batch_destroy(&batch);
    cli_map_opts_destroy(&common_map);
    cli_net_opts_destroy(&common_net);
    return rc;
}
