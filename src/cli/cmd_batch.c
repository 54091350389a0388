/*
 * cmd_batch: `partnermap batch` — many runs (datasets, periods, coding choices) in one go, with
 * shared scales so the figures compare, one folder per run and a summary table side by side.
 *
 * The parent process reads every run (tie table, join against one shared geometry index,
 * statistics), computes the shared scales, then forks up to -j workers, each drawing one run's
 * figures and writing its files; a worker's files are each complete or absent (temp + rename).
 * Forking after the data are loaded shares them copy-on-write and isolates a failing run. On
 * SIGINT/SIGTERM the parent stops the workers and removes their temporary files, so no
 * half-written figure is left. A run's content hash (tie file bytes, options, scales, version) is
 * stored beside its outputs; an unchanged run is skipped unless --force.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
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
static const char help3[] = CLI_METRICS_HELP "\n" CLI_MAP_HELP "  -h, --help          this help\n"
    "\n"
    "The exit status is 0 when every run succeeded, 3 when some failed (each with its reason in\n"
    "DIR/summary.csv), 130 when interrupted.\n"
    "\n";

/* ---- per-run state ----------------------------------------------------------------------------
 */

typedef enum { RUN_PENDING, RUN_OK, RUN_SKIPPED, RUN_FAILED } run_status_t;

typedef struct run {
    const pm_batch_run_t *spec;
    size_t index; /* position in the full list (before sharding) */
    cli_net_opts_t net_opts;
    cli_map_opts_t map_opts;
    char **argv; /* the combined options, for getopt */
    int argc;
    pm_net_t net;
    int loaded;
    pm_net_map_t data;
    int prepared;
    char *hash;
    char dir[4096];
    run_status_t status;
    char reason[PM_ERROR_MSG_MAX];
    pid_t pid;
    pm_diag_t diag;
    int other_shard;      /* read for the shared scales only: another shard draws it */
    int drawn_here;       /* drawn by the batch process itself, not a worker */
    char fill_title[256]; /* the legend's fill heading, saying what is shared */
} run_t;

typedef struct batch_opts {
    const char *out_dir;
    const char *manifest;
    long jobs;
    int force, independent, merge, quiet;
    const char *shard;
    int png, svg, pdf;
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
           c == OPT_LEVEL ||
           c == OPT_ALIASES || c == OPT_PLACES;
}

/* Parses a run's options (the batch's common ones, then its own) into its option structs. A bad
 * option makes the run fail with the option's own message as its reason (nothing is printed:
 * the reason is printed with the run's name at the end, and goes into summary.csv). */
static int parse_run(run_t *r)
{
    cli_net_opts_init(&r->net_opts);
    cli_map_opts_init(&r->map_opts);
    int c, rc = 0;
    char msg[PM_ERROR_MSG_MAX - 16];
    optind = 1;
    opterr = 0;
    cli_usage_capture(msg, sizeof msg);
    while (!rc && (c = getopt_long(r->argc, r->argv, ":o:j:h", longopts, NULL)) != -1) {
        int k = cli_net_option("batch", c, optarg, &r->net_opts);
        if (!k)
            k = cli_map_option("batch", c, optarg, &r->map_opts);
        if (k < 0) {
            snprintf(r->reason, sizeof r->reason, "bad option: %s",
                     msg[0] ? msg : "(no reason given)");
            rc = -1;
        } else if (!k && !(c == OPT_JOBS || c == OPT_FORCE || c == OPT_INDEPENDENT ||
                           c == OPT_SHARD || c == OPT_MERGE || c == OPT_FIGURES ||
                           c == OPT_MANIFEST || c == 'o' || c == 'j')) {
            /* (batch options are handled once, by the batch) */
            snprintf(r->reason, sizeof r->reason,
                     c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
                     r->argv[optind - 1]);
            rc = -1;
        }
    }
    cli_usage_capture(NULL, 0);
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

static int mkdir_p(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0777) && errno != EEXIST ? -1 : 0;
}

/* ---- shared scales ----------------------------------------------------------------------------
 */

/* Scales over every prepared run: extent, widths and sizes from all runs; class breaks from the
 * runs sharing the same fill metric (breaks of different metrics would mean nothing). */
static pm_status_t shared_scales(run_t *runs, size_t n, const char *fill, pm_map_scales_t *out,
                                 pm_error_t *err)
{
    size_t np = 0, nt = 0;
    for (size_t i = 0; i < n; i++)
        if (runs[i].prepared) {
            np += runs[i].data.map.n_places;
            nt += runs[i].data.map.n_ties;
        }
    pm_map_place_t *places = calloc(np ? np : 1, sizeof *places);
    pm_map_tie_t *ties = calloc(nt ? nt : 1, sizeof *ties);
    if (!places || !ties) {
        free(places);
        free(ties);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    size_t p = 0, t = 0;
    const run_t *first = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!runs[i].prepared)
            continue;
        first = first ? first : &runs[i];
        const pm_map_t *m = &runs[i].data.map;
        int same_fill = fill && runs[i].map_opts.fill && !strcmp(fill, runs[i].map_opts.fill);
        for (size_t k = 0; k < m->n_places; k++) {
            places[p + k] = m->places[k];
            if (!same_fill)
                places[p + k].fill = NAN;
        }
        for (size_t k = 0; k < m->n_ties; k++) {
            ties[t + k] = m->ties[k];
            ties[t + k].from += p;
            ties[t + k].to += p;
        }
        p += m->n_places;
        t += m->n_ties;
    }
    pm_status_t st = PM_OK;
    if (first) {
        pm_map_t all = first->data.map;
        all.places = places;
        all.n_places = np;
        all.ties = ties;
        all.n_ties = nt;
        pm_map_opts_t o = first->map_opts.map;
        o.shared = NULL;
        o.shared_mask = 0;
        st = pm_render_compute_scales(&all, &o, out, err);
    }
    free(places);
    free(ties);
    return st;
}

/* Under shared scales the fill legend of every run says whose classes it uses: "classes shared
 * by all 12 runs", "by 3 of 12 runs" (the others colour by another metric), or "classes of this
 * run only" (a run colouring by another metric than the first run's). */
static void say_shared(run_t *runs, size_t n)
{
    size_t prepared = 0, sharing = 0;
    for (size_t i = 0; i < n; i++) {
        prepared += runs[i].prepared;
        sharing += runs[i].prepared && (runs[i].map_opts.map.shared_mask & PM_SCALE_BREAKS);
    }
    for (size_t i = 0; i < n; i++) {
        run_t *r = &runs[i];
        pm_map_opts_t *mo = &r->map_opts.map;
        if (!r->prepared || !mo->fill_title || prepared < 2)
            continue;
        char whom[64];
        if (!(mo->shared_mask & PM_SCALE_BREAKS))
            snprintf(whom, sizeof whom, "classes of this run only");
        else if (sharing == prepared)
            snprintf(whom, sizeof whom, "classes shared by %s%zu runs", prepared == 2 ? "" : "all ",
                     prepared);
        else
            snprintf(whom, sizeof whom, "classes shared by %zu of %zu runs", sharing, prepared);
        if (prepared == 2 && sharing == 2)
            snprintf(whom, sizeof whom, "classes shared by both runs");
        snprintf(r->fill_title, sizeof r->fill_title, "%s\n%s", mo->fill_title, whom);
        mo->fill_title = r->fill_title;
    }
}

/* One map frame for all runs: each run's legend is measured with the shared scales; the legend
 * goes below the map in every figure when it must in one, and the frame takes the smallest size
 * any run leaves it. Then every figure has the same frame, extent and scale, and a PNG basemap
 * drawn once serves them all. */
static pm_status_t shared_layout(run_t *runs, size_t n, pm_map_scales_t *scales, pm_error_t *err)
{
    int bottom = 0, any = 0;
    double fw = 0, fh = 0;
    for (size_t i = 0; i < n; i++) {
        if (!runs[i].prepared)
            continue;
        pm_map_scales_t own;
        pm_map_scales_init(&own);
        pm_status_t st =
            pm_render_compute_scales(&runs[i].data.map, &runs[i].map_opts.map, &own, err);
        if (!st) {
            bottom |= own.legend_bottom;
            fw = any ? fmin(fw, own.frame_w) : own.frame_w;
            fh = any ? fmin(fh, own.frame_h) : own.frame_h;
            any = 1;
        }
        pm_map_scales_destroy(&own);
        if (st)
            return st;
    }
    scales->legend_bottom = bottom;
    scales->frame_w = fw;
    scales->frame_h = fh;
    for (size_t i = 0; i < n; i++)
        if (runs[i].prepared)
            runs[i].map_opts.map.shared_mask |= PM_SCALE_LAYOUT;
    return PM_OK;
}

static char *scales_text(const pm_map_scales_t *s)
{
    pm_buf_t b;
    pm_buf_init(&b);
    pm_buf_printf(&b, "%s|%.17g|%.17g|%.17g|%.17g|%zu", s->crs ? s->crs : "", s->x0, s->y0, s->x1,
                  s->y1, s->n_classes);
    for (size_t i = 0; i <= s->n_classes && i <= PM_CLASSIFY_MAX; i++)
        pm_buf_printf(&b, "|%.17g", s->breaks[i]);
    pm_buf_printf(&b, "|%.17g|%.17g|%.17g|%.17g|%.17g|%d|%.17g|%.17g", s->weight_max,
                  s->width_max_pt, s->width_min_pt, s->size_max, s->radius_max_pt, s->legend_bottom,
                  s->frame_w, s->frame_h);
    return pm_buf_take(&b);
}

/* ---- one run's files (in a worker) ---------------------------------------------------------- */

static pm_status_t write_run(run_t *r, const batch_opts_t *bo, pm_error_t *err)
{
    char paths[3][4200];
    const char *outs[3];
    size_t n = 0;
    if (bo->png)
        snprintf(paths[n], sizeof paths[n], "%s/map.png", r->dir), outs[n] = paths[n], n++;
    if (bo->svg)
        snprintf(paths[n], sizeof paths[n], "%s/map.svg", r->dir), outs[n] = paths[n], n++;
    if (bo->pdf)
        snprintf(paths[n], sizeof paths[n], "%s/map.pdf", r->dir), outs[n] = paths[n], n++;
    pm_status_t st = PM_OK;
    if (n)
        st = pm_render_map(&r->data.map, &r->map_opts.map, outs, n, &r->diag, err);
    char file[4200];
    pm_buf_t b;
    pm_buf_init(&b);
    if (!st) {
        pm_spatial_t sp;
        pm_spatial_init(&sp);
        pm_net_report_view_t v = {PM_FMT_CSV, NULL, 0, 0, 0, r->spec->name};
        st = pm_net_spatial(&r->net, &sp, err);
        if (!st)
            st = pm_net_report_write(&r->net, &r->net_opts.metrics, &sp, &v, &b, err);
        snprintf(file, sizeof file, "%s/stats.csv", r->dir);
        if (!st)
            st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, err);
        pm_buf_reset(&b);
        v.summary_only = 1;
        if (!st)
            st = pm_net_report_write(&r->net, &r->net_opts.metrics, &sp, &v, &b, err);
        snprintf(file, sizeof file, "%s/summary.csv", r->dir);
        if (!st)
            st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, err);
        pm_spatial_destroy(&sp);
    }
    pm_buf_reset(&b);
    if (!st) {
        st = pm_join_report(&r->net.join, PM_JOIN_REPORT_CSV, &b, err);
        snprintf(file, sizeof file, "%s/join.csv", r->dir);
        if (!st)
            st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, err);
    }
    pm_buf_reset(&b);
    if (!st) {
        for (size_t i = 0; i < r->diag.n; i++)
            pm_buf_printf(&b, "warning: %s%s%s\n", r->diag.items[i].where,
                          r->diag.items[i].where[0] ? ": " : "", r->diag.items[i].msg);
        snprintf(file, sizeof file, "%s/warnings.txt", r->dir);
        st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, err);
    }
    /* the hash last: it says every output above is complete */
    if (!st) {
        snprintf(file, sizeof file, "%s/.partnermap-hash", r->dir);
        st = pm_io_write_atomic(file, r->hash, strlen(r->hash), err);
    }
    pm_buf_destroy(&b);
    return st;
}

static int run_unchanged(const run_t *r)
{
    char file[4200], *old = NULL;
    size_t len;
    snprintf(file, sizeof file, "%s/.partnermap-hash", r->dir);
    if (pm_io_read_all(file, &old, &len, NULL))
        return 0;
    int same = !strcmp(old, r->hash);
    free(old);
    return same;
}

/* Removes temporary files (".NAME.XXXXXX") that an interrupted worker left in dir. */
static void remove_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' && n > 8 && e->d_name[n - 7] == '.' &&
            strcmp(e->d_name, ".partnermap-hash")) {
            char p[4400];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    closedir(d);
}

/* ---- progress -----------------------------------------------------------------------------------
 */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(const batch_opts_t *bo, size_t done, size_t total, const char *current,
                     double t0)
{
    if (bo->quiet)
        return;
    double el = now_s() - t0;
    double left = done ? el / (double)done * (double)(total - done) : 0;
    if (isatty(STDERR_FILENO)) {
        int width = 30, fill = total ? (int)(width * (double)done / (double)total) : width;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu  %-24.24s  %s %.0fs ", fill,
                "##############################", width - fill, "", done, total, current,
                done < total ? "left" : "took", done < total ? left : el);
        if (done == total)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "partnermap batch: %zu/%zu %s\n", done, total, current);
    }
}

/* ---- summary -------------------------------------------------------------------------------- */

static const char *const summary_keys[] = {"places",         "ties",
                                           "total_weight",   "density",
                                           "components",     "largest_component_share",
                                           "diameter",       "average_path_length",
                                           "transitivity",   "communities",
                                           "modularity",     "tie_length_median_km",
                                           "share_domestic", NULL};

/* Reads "statistic,value,note" rows of a run's summary.csv into values (by summary_keys). */
static void read_summary(const char *dir, char values[][32])
{
    char file[4200], *data = NULL;
    size_t len;
    for (size_t k = 0; summary_keys[k]; k++)
        values[k][0] = '\0';
    snprintf(file, sizeof file, "%s/summary.csv", dir);
    if (pm_io_read_all(file, &data, &len, NULL))
        return;
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        char *c1 = strchr(line, ',');
        if (!c1)
            continue;
        *c1 = '\0';
        char *c2 = strchr(c1 + 1, ',');
        if (c2)
            *c2 = '\0';
        for (size_t k = 0; summary_keys[k]; k++)
            if (!strcmp(line, summary_keys[k]))
                snprintf(values[k], 32, "%s", c1 + 1);
    }
    free(data);
}

/* The top places of a run by strength, from its stats.csv (already sorted), "a; b; c". */
static void read_top(const char *dir, char *out, size_t size)
{
    char file[4200], *data = NULL;
    size_t len;
    out[0] = '\0';
    snprintf(file, sizeof file, "%s/stats.csv", dir);
    if (pm_io_read_all(file, &data, &len, NULL))
        return;
    char *save = NULL;
    int k = 0;
    strtok_r(data, "\n", &save); /* header */
    for (char *line = strtok_r(NULL, "\n", &save); line && k < 3;
         line = strtok_r(NULL, "\n", &save), k++) {
        char name[256];
        if (line[0] == '"') { /* quoted place name */
            char *q = strstr(line + 1, "\",");
            snprintf(name, sizeof name, "%.*s", q ? (int)(q - line - 1) : 0, line + 1);
        } else {
            char *c = strchr(line, ',');
            snprintf(name, sizeof name, "%.*s", c ? (int)(c - line) : 0, line);
        }
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", k ? "; " : "", name);
    }
    free(data);
}

typedef struct summary_row {
    size_t index;
    char name[256];
    char status[16];
    char reason[PM_ERROR_MSG_MAX];
    char values[16][32];
    char top[800];
} summary_row_t;

static void summary_csv(const summary_row_t *rows, size_t n, pm_buf_t *b)
{
    pm_buf_puts(b, "index,run,status");
    for (size_t k = 0; summary_keys[k]; k++)
        pm_buf_printf(b, ",%s", summary_keys[k]);
    pm_buf_puts(b, ",top_places,reason\n");
    for (size_t i = 0; i < n; i++) {
        pm_buf_printf(b, "%zu,", rows[i].index);
        pm_csv_field(b, rows[i].name, ',');
        pm_buf_printf(b, ",%s", rows[i].status);
        for (size_t k = 0; summary_keys[k]; k++) {
            pm_buf_putc(b, ',');
            pm_csv_field(b, rows[i].values[k], ',');
        }
        pm_buf_putc(b, ',');
        pm_csv_field(b, rows[i].top, ',');
        pm_buf_putc(b, ',');
        pm_csv_field(b, rows[i].reason, ',');
        pm_buf_putc(b, '\n');
    }
}

/* A number from a summary for people: 4 significant digits ("1786", "0.0909"). */
static const char *short_num(const char *s, char *buf, size_t size)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end)
        return s;
    snprintf(buf, size, fabs(v) >= 1000 || v == floor(v) ? "%.0f" : "%.4g", v);
    return buf;
}

static void summary_terminal(const summary_row_t *rows, size_t n, FILE *f)
{
    fprintf(f, "%-28s %-7s %6s %6s %8s %6s %8s %9s  %s\n", "run", "status", "places", "ties",
            "density", "comp.", "modular.", "median km", "top places (by strength)");
    for (size_t i = 0; i < n; i++) {
        const summary_row_t *r = &rows[i];
        char a[32], b[32], c[32];
        fprintf(f, "%-28.28s %-7s %6s %6s %8s %6s %8s %9s  %s\n", r->name, r->status, r->values[0],
                r->values[1], short_num(r->values[3], a, sizeof a), r->values[4],
                short_num(r->values[10], b, sizeof b), short_num(r->values[11], c, sizeof c),
                r->status[0] == 'f' ? r->reason : r->top);
    }
}

static int cmp_rows(const void *a, const void *b)
{
    const summary_row_t *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Parses a summary.csv written by summary_csv (for --merge). Appends to rows. */
static pm_status_t merge_summary(const char *dir, summary_row_t **rows, size_t *n, pm_error_t *err)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/summary.csv", dir);
    pm_ties_t dummy;
    (void)dummy;
    pm_batch_t b;
    pm_batch_init(&b);
    char *data = NULL;
    size_t len;
    pm_status_t st = pm_io_read_all(file, &data, &len, err);
    if (st)
        return st;
    /* the file is ours: one record per line, quoted fields without newlines */
    char *save = NULL;
    char *line = strtok_r(data, "\n", &save);
    if (!line || strncmp(line, "index,run,status", 16)) {
        free(data);
        return pm_error_set(err, PM_EDATA, "%s: not a partnermap batch summary", file);
    }
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        summary_row_t *nr = realloc(*rows, (*n + 1) * sizeof *nr);
        if (!nr) {
            free(data);
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        }
        *rows = nr;
        summary_row_t *r = &nr[(*n)++];
        memset(r, 0, sizeof *r);
        /* split CSV fields */
        char *fields[32];
        int nf = 0;
        char *p = line;
        while (nf < 32) {
            char *start = p, *w = p;
            if (*p == '"') {
                p++;
                while (*p) {
                    if (*p == '"' && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                    } else if (*p == '"') {
                        p++;
                        break;
                    } else {
                        *w++ = *p++;
                    }
                }
            } else {
                while (*p && *p != ',')
                    w++, p++;
            }
            char next = *p;
            *w = '\0';
            fields[nf++] = start;
            if (next != ',')
                break;
            p++;
        }
        size_t nk = 0;
        while (summary_keys[nk])
            nk++;
        if ((size_t)nf < nk + 5) {
            free(data);
            return pm_error_set(err, PM_EDATA, "%s: a row with too few fields", file);
        }
        r->index = (size_t)strtoul(fields[0], NULL, 10);
        snprintf(r->name, sizeof r->name, "%s", fields[1]);
        snprintf(r->status, sizeof r->status, "%s", fields[2]);
        for (size_t k = 0; k < nk; k++)
            snprintf(r->values[k], 32, "%s", fields[3 + k]);
        snprintf(r->top, sizeof r->top, "%s", fields[3 + nk]);
        snprintf(r->reason, sizeof r->reason, "%s", fields[4 + nk]);
    }
    free(data);
    return PM_OK;
}

static int do_merge(int argc, char **argv, int first, const batch_opts_t *bo)
{
    summary_row_t *rows = NULL;
    size_t n = 0;
    pm_error_t err;
    for (int i = first; i < argc; i++)
        if (merge_summary(argv[i], &rows, &n, &err)) {
            free(rows);
            return cli_fail(&err);
        }
    qsort(rows, n, sizeof *rows, cmp_rows);
    pm_buf_t b;
    pm_buf_init(&b);
    summary_csv(rows, n, &b);
    char file[4200];
    int rc = 0;
    if (mkdir_p(bo->out_dir)) {
        pm_error_set(&err, PM_EIO, "cannot create the folder '%s': %s", bo->out_dir,
                     strerror(errno));
        rc = cli_fail(&err);
    } else {
        snprintf(file, sizeof file, "%s/summary.csv", bo->out_dir);
        if (pm_io_write_atomic(file, pm_buf_str(&b), b.len, &err))
            rc = cli_fail(&err);
        else if (!bo->quiet)
            summary_terminal(rows, n, stdout);
    }
    for (size_t i = 0; i < n && !rc; i++)
        if (strcmp(rows[i].status, "ok") && strcmp(rows[i].status, "skipped"))
            rc = 3;
    pm_buf_destroy(&b);
    free(rows);
    return rc;
}

/* ---- main -------------------------------------------------------------------------------------
 */

static int parse_figures(const char *s, batch_opts_t *bo)
{
    bo->png = bo->svg = bo->pdf = 0;
    if (!strcmp(s, "none"))
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        if (!strcmp(t, "png"))
            bo->png = 1;
        else if (!strcmp(t, "svg"))
            bo->svg = 1;
        else if (!strcmp(t, "pdf"))
            bo->pdf = 1;
        else
            return -1;
    }
    return 0;
}

/* A CSV whose header has name and ties columns is a manifest. */
static int looks_like_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096] = "";
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    int name = 0, ties = 0;
    for (char *t = strtok(line, ",\r\n"); t; t = strtok(NULL, ",\r\n")) {
        while (*t == '"' || *t == ' ')
            t++;
        name |= !strncmp(t, "name", 4) && (t[4] == '\0' || t[4] == '"');
        ties |= !strncmp(t, "ties", 4) && (t[4] == '\0' || t[4] == '"');
    }
    return name && ties;
}

/* 1 when some place of r is not joined: e says so and where r's join report is (written to
 * its folder, as when it succeeds). */
static int join_failed(run_t *r, pm_error_t *e)
{
    pm_error_t je;
    if (!pm_join_check(&r->net.join, &je))
        return 0;
    char file[4200];
    snprintf(file, sizeof file, "%s/join.csv", r->dir);
    pm_buf_t b;
    pm_buf_init(&b);
    pm_status_t st = PM_OK;
    if (mkdir_p(r->dir))
        st = pm_error_set(e, PM_EIO, "cannot create '%s': %s", r->dir, strerror(errno));
    if (!st)
        st = pm_join_report(&r->net.join, PM_JOIN_REPORT_CSV, &b, e);
    if (!st)
        st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, e);
    pm_buf_destroy(&b);
    if (st) {
        char why[PM_ERROR_MSG_MAX / 2];
        snprintf(why, sizeof why, "%.500s", e->msg);
        pm_error_set(e, PM_EJOIN, "%s: %.400s; the join report could not be written: %s",
                     r->spec->ties, je.msg, why);
    } else {
        pm_error_set(e, PM_EJOIN,
                     "%s: %.500s '%s'; fix the names, add --aliases, or pass --allow-unmatched",
                     r->spec->ties, je.msg, file);
    }
    return 1;
}

static void forget_run(run_t *r)
{
    if (r->prepared)
        pm_net_map_destroy(&r->data);
    if (r->loaded)
        pm_net_destroy(&r->net);
    r->prepared = r->loaded = 0;
}

int cmd_batch(int argc, char **argv)
{
    batch_opts_t bo = {0};
    bo.png = 1;
    bo.jobs = sysconf(_SC_NPROCESSORS_ONLN);
    cli_net_opts_t common_net;
    cli_net_opts_init(&common_net);
    cli_map_opts_t common_map;
    cli_map_opts_init(&common_map);
    int rc = -1, c;
    long v;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, ":o:j:h", longopts, NULL)) != -1) {
        int k = cli_net_option("batch", c, optarg, &common_net);
        if (!k)
            k = cli_map_option("batch", c, optarg, &common_map);
        if (k < 0) {
            rc = 2;
            break;
        }
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
            bo.out_dir = optarg;
            break;
        case 'j':
        case OPT_JOBS:
            if (cli_parse_long(optarg, 1, 256, &v))
                rc = cli_usage_error("batch", "--jobs '%s': give 1 to 256", optarg);
            bo.jobs = v;
            break;
        case OPT_FORCE:
            bo.force = 1;
            break;
        case OPT_INDEPENDENT:
            bo.independent = 1;
            break;
        case OPT_SHARD:
            bo.shard = optarg;
            break;
        case OPT_MERGE:
            bo.merge = 1;
            break;
        case OPT_MANIFEST:
            bo.manifest = optarg;
            break;
        case OPT_FIGURES:
            if (parse_figures(optarg, &bo))
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
    bo.quiet = common_net.ties.quiet;
    if (rc < 0 && (common_map.stats_out || common_map.join_out))
        rc =
            cli_usage_error("batch", "every run's folder gets stats.csv, summary.csv and join.csv; "
                                     "--stats and --join-report are options of 'map'");
    int first_arg = optind;
    if (rc < 0 && !bo.out_dir)
        rc = cli_usage_error("batch", "no result folder: add -o DIR");
    if (rc < 0 && first_arg >= argc && !bo.manifest)
        rc = cli_usage_error("batch", bo.merge ? "no shard folders to merge"
                                               : "no runs: give a manifest, tie tables or "
                                                 "folders");
    if (rc < 0 && bo.merge)
        rc = do_merge(argc, argv, first_arg, &bo);
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
    summary_row_t *rows = NULL;
    pm_map_scales_t scales;
    pm_map_scales_init(&scales);
    char *scales_str = NULL;
    pm_status_t st = PM_OK;
    size_t n_failed = 0;
    int shard_k = 0, shard_n = 0; /* drawing slice when shards share scales */

    /* the runs */
    if (bo.manifest)
        st = pm_batch_read_manifest(bo.manifest, &batch, &err);
    for (int i = first_arg; !st && i < argc; i++)
        st = (argc - first_arg == 1 && !bo.manifest && looks_like_manifest(argv[i]))
                 ? pm_batch_read_manifest(argv[i], &batch, &err)
                 : pm_batch_add_path(&batch, argv[i], &err);
    size_t total = batch.n;
    size_t *index = NULL;
    if (!st) {
        /* remember each run's position in the full list before sharding */
        pm_batch_run_t *orig = batch.runs;
        index = malloc((total ? total : 1) * sizeof *index);
        char **names = malloc((total ? total : 1) * sizeof *names);
        for (size_t i = 0; index && names && i < total; i++)
            names[i] = orig[i].name;
        /* with shared scales every shard reads all runs (cheap) so that its figures use the
         * scales of the whole batch, and draws only its own slice */
        if (bo.shard && bo.independent)
            st = pm_batch_shard(&batch, bo.shard, &err);
        else if (bo.shard) {
            pm_batch_t probe;
            pm_batch_init(&probe);
            st = pm_batch_shard(&probe, bo.shard, &err); /* validates K/N */
            if (!st && sscanf(bo.shard, "%d/%d", &shard_k, &shard_n) != 2)
                shard_k = shard_n = 0;
        }
        for (size_t i = 0; !st && index && names && i < batch.n; i++)
            for (size_t k = 0; k < total; k++)
                if (names[k] == batch.runs[i].name) {
                    index[i] = k;
                    break;
                }
        free(names);
        if (!index)
            st = pm_error_set(&err, PM_ENOMEM, "out of memory");
    }
    if (!st && mkdir_p(bo.out_dir))
        st = pm_error_set(&err, PM_EIO, "cannot create the folder '%s': %s", bo.out_dir,
                          strerror(errno));
    if (!st)
        st = cli_net_open_geo(&common_net, &geo, &err);
    if (!st && !(runs = calloc(batch.n ? batch.n : 1, sizeof *runs)))
        st = pm_error_set(&err, PM_ENOMEM, "out of memory");
    if (st) {
        rc = st == PM_EUSAGE ? cli_usage_error("batch", "%s", err.msg) : cli_fail(&err);
        goto done;
    }

    /* read, join and measure every run (in this process: the geometry index is shared) */
    double t0 = now_s();
    for (size_t i = 0; i < batch.n && !interrupted; i++) {
        run_t *r = &runs[i];
        r->spec = &batch.runs[i];
        r->index = index[i];
        pm_diag_init(&r->diag);
        snprintf(r->dir, sizeof r->dir, "%s/%s", bo.out_dir, r->spec->name);
        if (build_argv(r, argv, first_arg) || parse_run(r)) {
            r->status = RUN_FAILED;
            if (!r->reason[0])
                snprintf(r->reason, sizeof r->reason, "out of memory");
            continue;
        }
        /* PageRank sums to 1 in each network, so shared classes would make a larger network
         * look paler: by default a batch colours by PageRank x n (1 = the average place) */
        int fill_given = 0;
        for (int k = 1; k < r->argc; k++)
            fill_given |= !strcmp(r->argv[k], "--fill") || !strncmp(r->argv[k], "--fill=", 7);
        if (!fill_given)
            r->map_opts.fill = "pagerank_n";
        int bad_geo = 0;
        for (size_t k = 0; k < r->spec->argc; k++)
            for (const struct option *lo = longopts; lo->name; lo++)
                if (!strncmp(r->spec->argv[k], "--", 2) &&
                    !strcmp(r->spec->argv[k] + 2, lo->name) && is_geo_option(lo->val))
                    bad_geo = 1;
        if (bad_geo) {
            r->status = RUN_FAILED;
            snprintf(r->reason, sizeof r->reason,
                     "geometry options (--geo, --level, --places, ...) apply to the whole batch; "
                     "give them on the command line");
            continue;
        }
        /* statistics are computed here, before any worker runs: on every core */
        r->net_opts.metrics.threads = 0;
        pm_error_t e;
        /* places not joined: the run fails, with its join report in its folder */
        cli_net_opts_t lo = r->net_opts;
        lo.allow_unmatched = lo.report_join = 1;
        if (cli_net_load(r->spec->ties, r->net_opts.allow_unmatched ? &r->net_opts : &lo, 1, geo, 1,
                         &r->net, &r->diag, &e) ||
            (r->loaded = 1, !r->net_opts.allow_unmatched && join_failed(r, &e)) ||
            cli_map_prepare(&r->net, &r->net_opts, &r->map_opts, &r->data, &r->diag, &e)) {
            if (r->loaded)
                pm_net_destroy(&r->net);
            r->loaded = 0;
            r->status = RUN_FAILED;
            snprintf(r->reason, sizeof r->reason, "%s", e.msg);
            continue;
        }
        r->prepared = 1;
        pm_map_opts_t *mo = &r->map_opts.map;
        mo->title = mo->title ? mo->title : r->spec->name;
    }

    /* shared scales */
    if (!bo.independent && !interrupted) {
        const char *fill = NULL;
        for (size_t i = 0; i < batch.n && !fill; i++)
            if (runs[i].prepared)
                fill = runs[i].map_opts.fill;
        if ((st = shared_scales(runs, batch.n, fill, &scales, &err))) {
            rc = cli_fail(&err);
            goto done;
        }
        for (size_t i = 0; i < batch.n; i++) {
            if (!runs[i].prepared)
                continue;
            runs[i].map_opts.map.shared = &scales;
            runs[i].map_opts.map.shared_mask = PM_SCALE_EXTENT | PM_SCALE_WIDTH | PM_SCALE_SIZE;
            if (fill && runs[i].map_opts.fill && !strcmp(fill, runs[i].map_opts.fill))
                runs[i].map_opts.map.shared_mask |= PM_SCALE_BREAKS;
        }
        say_shared(runs, batch.n);
        if ((st = shared_layout(runs, batch.n, &scales, &err))) {
            rc = cli_fail(&err);
            goto done;
        }
        scales_str = scales_text(&scales);
    }

    /* hashes; unchanged runs are skipped */
    for (size_t i = 0; i < batch.n; i++) {
        run_t *r = &runs[i];
        r->other_shard = shard_n && (int)(i % (size_t)shard_n) != shard_k - 1;
        if (!r->prepared || r->other_shard)
            continue;
        char extra[8192];
        /* not the whole command line (it names every run): this run's options */
        snprintf(extra, sizeof extra, "%s|%s|%d%d%d", pm_runtime_version(),
                 scales_str ? scales_str : "independent", bo.png, bo.svg, bo.pdf);
        for (int k = 1; k < r->argc; k++) {
            if (!strcmp(r->argv[k], "--quiet"))
                continue; /* changes no output */
            size_t used = strlen(extra);
            snprintf(extra + used, sizeof extra - used, "\x1f%s", r->argv[k]);
        }
        if (pm_batch_run_hash(r->spec, extra, &r->hash, &err)) {
            r->status = RUN_FAILED;
            snprintf(r->reason, sizeof r->reason, "%s", err.msg);
            continue;
        }
        /* a database table has no bytes to hash: its runs are always redone */
        if (!bo.force && !pm_table_is_database(r->spec->ties) && run_unchanged(r))
            r->status = RUN_SKIPPED;
    }

    /* draw: up to -j workers, one forked process per run, fonts set up once beforehand */
    if (pm_render_warm_up(&err)) {
        rc = cli_fail(&err);
        goto done;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    size_t done_n = 0, running = 0, next = 0, mine = 0;
    for (size_t i = 0; i < batch.n; i++)
        mine += !runs[i].other_shard;
    /* the first run is drawn here: the workers forked after it inherit its basemap, projected,
     * simplified and rasterised once for every run that shares the view */
    pm_render_reuse_basemap(!bo.independent);
    for (size_t i = 0; i < batch.n && !interrupted; i++) {
        run_t *r = &runs[i];
        if (r->other_shard || r->status != RUN_PENDING)
            continue;
        if (mkdir_p(r->dir)) {
            r->status = RUN_FAILED;
            snprintf(r->reason, sizeof r->reason, "cannot create '%.900s': %s", r->dir,
                     strerror(errno));
        } else {
            pm_error_t e;
            pm_error_clear(&e);
            if (write_run(r, &bo, &e)) {
                r->status = RUN_FAILED;
                snprintf(r->reason, sizeof r->reason, "%s", e.msg);
                remove_temps(r->dir);
            } else {
                r->status = RUN_OK;
                r->drawn_here = 1;
            }
        }
        break;
    }
    fflush(NULL);
    for (;;) {
        while (!interrupted && running < (size_t)bo.jobs && next < batch.n) {
            run_t *r = &runs[next++];
            if (r->other_shard)
                continue;
            if (r->status != RUN_PENDING) {
                done_n++;
                progress(&bo, done_n, mine, r->spec->name, t0);
                continue;
            }
            if (mkdir_p(r->dir)) {
                r->status = RUN_FAILED;
                snprintf(r->reason, sizeof r->reason, "cannot create '%.900s': %s", r->dir,
                         strerror(errno));
                done_n++;
                continue;
            }
            pid_t pid = fork();
            if (pid == 0) {
                signal(SIGINT, SIG_DFL);
                signal(SIGTERM, SIG_DFL);
                pm_error_t e;
                pm_error_clear(&e);
                pm_status_t ws = write_run(r, &bo, &e);
                if (ws) {
                    char file[4200];
                    snprintf(file, sizeof file, "%s/error.txt", r->dir);
                    pm_io_write_atomic(file, e.msg, strlen(e.msg), NULL);
                }
                _exit(ws ? 1 : 0);
            }
            if (pid < 0) {
                r->status = RUN_FAILED;
                snprintf(r->reason, sizeof r->reason, "cannot start a worker: %s", strerror(errno));
                done_n++;
                continue;
            }
            r->pid = pid;
            running++;
        }
        if (running == 0)
            break;
        int wst;
        pid_t pid = waitpid(-1, &wst, 0);
        if (pid < 0) {
            if (errno == EINTR) {
                if (interrupted)
                    for (size_t i = 0; i < batch.n; i++)
                        if (runs[i].pid > 0)
                            kill(runs[i].pid, SIGTERM);
                continue;
            }
            break;
        }
        for (size_t i = 0; i < batch.n; i++) {
            run_t *r = &runs[i];
            if (r->pid != pid)
                continue;
            r->pid = 0;
            running--;
            done_n++;
            if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0) {
                r->status = RUN_OK;
                char file[4200];
                snprintf(file, sizeof file, "%s/error.txt", r->dir);
                unlink(file);
            } else {
                r->status = RUN_FAILED;
                char file[4200], *msg = NULL;
                size_t len;
                snprintf(file, sizeof file, "%s/error.txt", r->dir);
                if (!pm_io_read_all(file, &msg, &len, NULL)) {
                    snprintf(r->reason, sizeof r->reason, "%s", msg);
                    free(msg);
                } else {
                    snprintf(r->reason, sizeof r->reason, "the worker stopped (%s)",
                             WIFSIGNALED(wst) ? strsignal(WTERMSIG(wst)) : "failed");
                }
                remove_temps(r->dir);
            }
            progress(&bo, done_n, mine, r->spec->name, t0);
        }
    }
    if (interrupted) {
        for (size_t i = 0; i < batch.n; i++)
            remove_temps(runs[i].dir);
        fprintf(stderr, "\npartnermap batch: interrupted; finished runs are kept, no partial "
                        "files are left\n");
        rc = 130;
        goto done;
    }

    /* summary */
    rows = calloc(batch.n ? batch.n : 1, sizeof *rows);
    size_t n_rows = 0;
    for (size_t i = 0; rows && i < batch.n; i++) {
        run_t *r = &runs[i];
        if (r->other_shard)
            continue;
        summary_row_t *row = &rows[n_rows++];
        row->index = r->index;
        snprintf(row->name, sizeof row->name, "%s", r->spec->name);
        snprintf(row->status, sizeof row->status, "%s",
                 r->status == RUN_OK        ? "ok"
                 : r->status == RUN_SKIPPED ? "skipped"
                                            : "failed");
        snprintf(row->reason, sizeof row->reason, "%s", r->reason);
        if (r->status == RUN_FAILED) {
            n_failed++;
            if (!bo.quiet)
                fprintf(stderr, "partnermap batch: run '%s' failed: %s\n", r->spec->name,
                        r->reason);
            continue;
        }
        read_summary(r->dir, row->values);
        read_top(r->dir, row->top, sizeof row->top);
    }
    if (rows) {
        pm_buf_t b;
        pm_buf_init(&b);
        summary_csv(rows, n_rows, &b);
        char file[4200];
        snprintf(file, sizeof file, "%s/summary.csv", bo.out_dir);
        if (pm_io_write_atomic(file, pm_buf_str(&b), b.len, &err)) {
            pm_buf_destroy(&b);
            rc = cli_fail(&err);
            goto done;
        }
        pm_buf_destroy(&b);
        if (!bo.quiet)
            summary_terminal(rows, n_rows, stdout);
    }
    rc = n_failed ? 3 : 0;
done:
    for (size_t i = 0; runs && i < batch.n; i++) {
        forget_run(&runs[i]);
        free(runs[i].argv);
        free(runs[i].hash);
        pm_diag_destroy(&runs[i].diag);
        cli_map_opts_destroy(&runs[i].map_opts);
        cli_net_opts_destroy(&runs[i].net_opts);
    }
    free(runs);
    free(rows);
    free(index);
    free(scales_str);
    pm_map_scales_destroy(&scales);
    pm_geo_free(geo);
    pm_batch_destroy(&batch);
    cli_map_opts_destroy(&common_map);
    cli_net_opts_destroy(&common_net);
    return rc;
}
