/*
 * test_batch: the batch bookkeeping: splitting option strings, manifests (columns, relative
 * paths, per-option columns, errors with lines), folders of tie files, shards, run hashes; and
 * the engine driven through the core alone: two runs loaded against one geometry, shared scales,
 * written through the run callback with progress, the summary from memory equal to what the runs
 * wrote, an unchanged run skipped, a failed run's reason, a summary read back through OGR (quoted
 * fields with commas and line breaks), leftover temporaries removed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm_batch.h"
#include "pm_io.h"
#include "pm_runtime.h"
#include "pm_test.h"

static void test_split_words(void)
{
    char **argv;
    size_t argc;
    pm_error_t err;
    CHECK(pm_batch_split_words("--where 'type=twin city' --period 1960-1969 \"a \\\"b\\\"\" c\\ d",
                               &argv, &argc, &err) == PM_OK);
    CHECK_INT(argc, 6);
    CHECK_STR(argv[1], "type=twin city");
    CHECK_STR(argv[4], "a \"b\"");
    CHECK_STR(argv[5], "c d");
    CHECK(argv[6] == NULL);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    CHECK(pm_batch_split_words("--where 'open", &argv, &argc, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "unbalanced");
}

static void test_manifest(void)
{
    pm_test_file("t.csv", "from,to\na,b\n");
    const char *m = pm_test_file("m.csv", "name,ties,options,period,directed\n"
                                          "one,t.csv,--where confidence=documented,1960-1969,yes\n"
                                          "two,t.csv,,,no\n");
    pm_batch_t b;
    pm_batch_init(&b);
    pm_error_t err;
    CHECK(pm_batch_read_manifest(m, &b, &err) == PM_OK);
    CHECK_INT(b.n, 2);
    CHECK_CONTAINS(b.runs[0].ties, "/t.csv");
    CHECK_INT(b.runs[0].argc, 5); /* --where X --period Y --directed */
    CHECK_STR(b.runs[0].argv[2], "--period");
    CHECK_STR(b.runs[0].argv[4], "--directed");
    CHECK_INT(b.runs[1].argc, 0);
    pm_batch_destroy(&b);

    const char *dup = pm_test_file("d.csv", "name,ties\nx,t.csv\nx,t.csv\n");
    CHECK(pm_batch_read_manifest(dup, &b, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "d.csv:3");
    CHECK_CONTAINS(err.msg, "used twice");
    pm_batch_destroy(&b);
    const char *nocol = pm_test_file("n.csv", "run,file\nx,t.csv\n");
    CHECK(pm_batch_read_manifest(nocol, &b, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "'name' and 'ties'");
    pm_batch_destroy(&b);
}

static void test_paths_and_shards(void)
{
    char sub[600];
    snprintf(sub, sizeof sub, "%s/runs", pm_test_dir());
    CHECK(mkdir(sub, 0777) == 0);
    pm_test_file("runs/b.csv", "from,to\na,b\n");
    pm_test_file("runs/a.tsv", "from\tto\na\tb\n");
    pm_test_file("runs/notes.txt", "x");
    pm_batch_t b;
    pm_batch_init(&b);
    pm_error_t err;
    CHECK(pm_batch_add_path(&b, sub, &err) == PM_OK);
    CHECK_INT(b.n, 2);
    CHECK_STR(b.runs[0].name, "a");
    CHECK_STR(b.runs[1].name, "b");
    CHECK(pm_batch_add_path(&b, sub, &err) == PM_OK); /* names made unique */
    CHECK_STR(b.runs[2].name, "a-2");
    CHECK(pm_batch_shard(&b, "2/2", &err) == PM_OK);
    CHECK_INT(b.n, 2); /* runs 1 and 3 of 0..3 */
    CHECK_STR(b.runs[0].name, "b");
    CHECK(pm_batch_shard(&b, "3/2", &err) == PM_EUSAGE);
    CHECK(pm_batch_add_path(&b, "/nonexistent/x", &err) == PM_EIO);
    pm_batch_destroy(&b);
}

/* The plan of a batch (moved from the CLI into the core): a single path that is a manifest is read
 * as one; a shard with independent scales keeps its slice, each run knowing its place in the whole
 * batch; with shared scales every run is kept and the slice is what gets drawn. */
static void test_plan(void)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/p", pm_test_dir());
    CHECK(mkdir(dir, 0777) == 0);
    pm_test_file("p/t.csv", "from,to\na,b\n");
    const char *m = pm_test_file("p/m.csv", "name,ties\nr0,t.csv\nr1,t.csv\nr2,t.csv\nr3,t.csv\n");
    char *paths[1] = {(char *)m};
    pm_batch_t b;
    pm_error_t err;
    size_t *index = NULL;
    int k = -1, n = -1;
    pm_batch_init(&b);
    CHECK_INT(pm_batch_plan(&b, NULL, paths, 1, "2/2", 1, &index, &k, &n, &err), PM_OK);
    CHECK_INT(b.n, 2); /* r1 and r3 */
    CHECK_STR(b.runs[1].name, "r3");
    CHECK(index && index[0] == 1 && index[1] == 3);
    CHECK(k == 0 && n == 0);
    free(index);
    index = NULL;
    pm_batch_destroy(&b);
    pm_batch_init(&b);
    CHECK_INT(pm_batch_plan(&b, m, NULL, 0, "2/3", 0, &index, &k, &n, &err), PM_OK);
    CHECK_INT(b.n, 4);
    CHECK(k == 2 && n == 3);
    CHECK(index && index[3] == 3);
    free(index);
    index = NULL;
    pm_batch_destroy(&b);
    pm_batch_init(&b);
    CHECK_INT(pm_batch_plan(&b, m, NULL, 0, "4/3", 0, &index, &k, &n, &err), PM_EUSAGE);
    CHECK(index == NULL);
    pm_batch_destroy(&b);
}

static void test_hash(void)
{
    pm_batch_run_t r = {0};
    char *argv1[] = {"--seed", "1", NULL};
    r.ties = (char *)pm_test_file("h.csv", "from,to\na,b\n");
    r.argv = argv1;
    r.argc = 2;
    char *h1, *h2, *h3;
    pm_error_t err;
    CHECK(pm_batch_run_hash(&r, "scales", &h1, &err) == PM_OK);
    CHECK(pm_batch_run_hash(&r, "scales", &h2, &err) == PM_OK);
    CHECK_STR(h1, h2);
    pm_test_file("h.csv", "from,to\na,c\n");
    CHECK(pm_batch_run_hash(&r, "scales", &h3, &err) == PM_OK);
    CHECK(strcmp(h1, h3) != 0);
    free(h2);
    CHECK(pm_batch_run_hash(&r, "other scales", &h2, &err) == PM_OK);
    CHECK(strcmp(h3, h2) != 0);
    free(h1);
    free(h2);
    free(h3);
}

/* A PG: source is a run like a file: named after its database, never its password; its hash
 * needs no file and does not depend on the password. */
static void test_database_source(void)
{
    pm_batch_t b;
    pm_batch_init(&b);
    pm_error_t err;
    CHECK_INT(pm_batch_add_path(&b, "PG:host=/tmp/x dbname=twins user=u password=secret", &err),
              PM_OK);
    CHECK_INT(pm_batch_add_path(&b, "PG:postgresql://u:secret@h/twins?sslmode=require", &err),
              PM_OK);
    CHECK_INT(pm_batch_add_path(&b, "PG:host=/tmp/x user=u password=secret", &err), PM_OK);
    CHECK_INT(b.n, 3);
    if (b.n == 3) {
        CHECK_STR(b.runs[0].name, "twins");
        CHECK_STR(b.runs[1].name, "twins-2");
        CHECK_STR(b.runs[2].name, "database");
        CHECK_STR(b.runs[0].ties, "PG:host=/tmp/x dbname=twins user=u password=secret");
        char *h1 = NULL, *h2 = NULL;
        CHECK_INT(pm_batch_run_hash(&b.runs[0], "x", &h1, &err), PM_OK);
        free(b.runs[0].ties);
        b.runs[0].ties = strdup("PG:host=/tmp/x dbname=twins user=u password=other");
        CHECK_INT(pm_batch_run_hash(&b.runs[0], "x", &h2, &err), PM_OK);
        CHECK(h1 && h2 && strcmp(h1, h2) == 0);
        free(h1);
        free(h2);
    }
    pm_batch_destroy(&b);
}

static const char *geo_file(void)
{
    static const char *const codes[] = {"AA", "BB", "CC"};
    static const char *const names[] = {"Alpha", "Beta", "Gamma"};
    static const double lon[] = {10, 12, 10}, lat[] = {50, 50, 53};
    return pm_test_squares("g.geojson", codes, names, lon, lat, 3);
}

typedef struct seen {
    size_t runs, last_done, last_total;
} seen_t;

static pm_status_t count_run(pm_batch_job_t *job, const pm_batch_figures_t *f, void *ctx,
                             pm_error_t *err)
{
    ((seen_t *)ctx)->runs++;
    return pm_batch_job_write(job, f, err);
}

static void count_progress(size_t done, size_t total, const char *name, void *ctx)
{
    (void)name;
    ((seen_t *)ctx)->last_done = done;
    ((seen_t *)ctx)->last_total = total;
}

/* The value of key in a run's summary.csv as written ("key,value,note" rows). */
static void written_value(const char *dir, const char *key, char *out, size_t size)
{
    char file[4300], *data = NULL;
    size_t len;
    out[0] = '\0';
    snprintf(file, sizeof file, "%s/summary.csv", dir);
    if (pm_io_read_all(file, &data, &len, NULL))
        return;
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s,", key);
    char *p = strstr(data, pat);
    if (p) {
        p += strlen(pat);
        size_t n = strcspn(p, ",\n");
        snprintf(out, size, "%.*s", (int)n, p);
    }
    free(data);
}

static void test_engine(void)
{
    const char *geo_path = geo_file();
    char t1[4096], t2[4096], out[1024];
    snprintf(t1, sizeof t1, "%s",
             pm_test_file("t1.csv", "from,to,weight\nAlpha,Beta,2\nBeta,Gamma,1\n"));
    snprintf(t2, sizeof t2, "%s", pm_test_file("t2.csv", "from,to\nAlpha,Gamma\nAtlantis,Beta\n"));
    snprintf(out, sizeof out, "%s/out", pm_test_dir());
    pm_geo_opts_t go;
    pm_geo_opts_init(&go);
    go.source = geo_path;
    go.data_aliases = "";
    pm_geo_t *geo = NULL;
    pm_error_t err;
    CHECK_INT(pm_geo_open(&go, &geo, &err), PM_OK);
    pm_batch_run_t specs[2] = {{"one", t1, NULL, 0, 0}, {"two", t2, NULL, 0, 0}};
    pm_batch_job_t jobs[3];
    const char *ties[3] = {t1, t2, t1};
    const char *names[3] = {"one", "two", "three"};
    for (size_t i = 0; i < 3; i++) {
        pm_batch_job_init(&jobs[i]);
        jobs[i].name = names[i];
        jobs[i].ties = ties[i];
        jobs[i].index = i;
        snprintf(jobs[i].dir, sizeof jobs[i].dir, "%s/%s", out, names[i]);
        jobs[i].map_sel = (pm_net_map_opts_t){"pagerank_n", "strength", "name"};
        jobs[i].options_key = i == 2 ? "\x1f--weights=none" : "";
    }
    jobs[2].net_opts.metrics.weights = PM_WEIGHTS_NONE;
    jobs[2].map_sel.fill = "degree";
    CHECK_INT(pm_batch_job_load(&jobs[0], geo), PM_OK);
    /* 'Atlantis' is not joined: the run fails, its join report where the reason says */
    CHECK_INT(pm_batch_job_load(&jobs[1], geo), PM_EJOIN);
    CHECK_INT(jobs[1].status, PM_BATCH_FAILED);
    CHECK_CONTAINS(jobs[1].reason, "join.csv");
    CHECK(strstr(jobs[1].reason, "--") == NULL);
    char jr[4300];
    snprintf(jr, sizeof jr, "%s/two/join.csv", out);
    CHECK(pm_io_exists(jr));
    CHECK_INT(pm_batch_job_load(&jobs[2], geo), PM_OK);

    pm_map_scales_t scales;
    pm_map_scales_init(&scales);
    char *st_text = NULL;
    CHECK_INT(pm_batch_share(jobs, 3, &scales, &st_text, &err), PM_OK);
    CHECK(st_text != NULL);
    CHECK(jobs[0].map.shared == &scales);
    CHECK(jobs[0].map.shared_mask & PM_SCALE_BREAKS);
    CHECK(!(jobs[2].map.shared_mask & PM_SCALE_BREAKS)); /* another fill: its own classes */
    CHECK_CONTAINS(jobs[2].map.fill_title, "classes of this run only");
    CHECK_CONTAINS(jobs[0].map.fill_title, "classes shared by 1 of 2 runs");

    pm_batch_figures_t fig = {0, 1, 0, NULL};
    pm_batch_run_t spec3 = {"three", t1, NULL, 0, 0};
    CHECK_INT(pm_batch_job_hash(&jobs[0], &specs[0], st_text, &fig, &err), PM_OK);
    CHECK_INT(pm_batch_job_hash(&jobs[2], &spec3, st_text, &fig, &err), PM_OK);
    CHECK(strcmp(jobs[0].hash, jobs[2].hash) != 0); /* same table, other options */
    CHECK(!pm_batch_job_unchanged(&jobs[0]));
    /* a temporary an interrupted writer left is removed with a failed write's */
    seen_t seen = {0, 0, 0};
    pm_batch_callbacks_t cb = {.run = count_run, .progress = count_progress, .ctx = &seen};
    size_t n_failed = 0;
    pm_batch_run_jobs(jobs, 3, &fig, &cb, &n_failed);
    CHECK_INT(seen.runs, 2);
    CHECK_INT(seen.last_done, 3);
    CHECK_INT(seen.last_total, 3);
    CHECK_INT(n_failed, 1);
    CHECK_INT(jobs[0].status, PM_BATCH_OK);
    char f[4300];
    snprintf(f, sizeof f, "%s/one/map.svg", out);
    CHECK(pm_io_exists(f));
    snprintf(f, sizeof f, "%s/one/.partnermap-hash", out);
    CHECK(pm_io_exists(f));
    CHECK(pm_batch_job_unchanged(&jobs[0]));

    /* the summary from memory is what the runs wrote */
    pm_batch_row_t rows[3];
    for (size_t i = 0; i < 3; i++)
        CHECK_INT(pm_batch_job_row(&jobs[i], &rows[i], &err), PM_OK);
    CHECK_STR(rows[0].values[0], "3");
    CHECK_STR(rows[0].top, "Beta; Alpha; Gamma");
    CHECK_STR(rows[1].status, "failed");
    CHECK_STR(rows[1].values[0], "");
    for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++) {
        char w[64];
        written_value(jobs[0].dir, pm_batch_summary_keys[k], w, sizeof w);
        CHECK_STR(rows[0].values[k], w);
        written_value(jobs[2].dir, pm_batch_summary_keys[k], w, sizeof w);
        CHECK_STR(rows[2].values[k], w);
    }

    /* written and read back through OGR, quoted fields included */
    snprintf(rows[0].name, sizeof rows[0].name, "one, the first");
    snprintf(rows[1].reason, sizeof rows[1].reason, "line one\nline \"two\"");
    pm_buf_t b;
    pm_buf_init(&b);
    pm_batch_summary_csv(rows, 3, &b);
    snprintf(f, sizeof f, "%s/summary.csv", out);
    CHECK_INT(pm_io_write_atomic(f, pm_buf_str(&b), b.len, &err), PM_OK);
    pm_buf_destroy(&b);
    pm_batch_row_t *back = NULL;
    size_t n_back = 0;
    CHECK_INT(pm_batch_summary_read(out, &back, &n_back, &err), PM_OK);
    CHECK_INT(n_back, 3);
    if (n_back == 3) {
        CHECK_STR(back[0].name, "one, the first");
        CHECK_STR(back[1].reason, "line one\nline \"two\"");
        CHECK_STR(back[2].values[0], rows[2].values[0]);
        CHECK_STR(back[0].top, "Beta; Alpha; Gamma");
        CHECK_INT(back[2].index, 2);
    }
    free(back);
    back = NULL;
    n_back = 0;
    char ns[4300];
    snprintf(ns, sizeof ns, "%s/notsum", pm_test_dir());
    CHECK_INT(pm_io_mkdirs(ns, &err), PM_OK);
    pm_test_file("notsum/summary.csv", "a,b\n1,2\n");
    CHECK_INT(pm_batch_summary_read(ns, &back, &n_back, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "not a partnermap batch summary");
    free(back);

    /* leftover temporaries go, other files stay */
    snprintf(f, sizeof f, "%s/one/.map.svg.Ab12Cd", out);
    CHECK_INT(pm_io_write_atomic(f, "x", 1, &err), PM_OK);
    pm_io_remove_temps(jobs[0].dir);
    CHECK(!pm_io_exists(f));
    snprintf(f, sizeof f, "%s/one/.partnermap-hash", out);
    CHECK(pm_io_exists(f));

    for (size_t i = 0; i < 3; i++)
        pm_batch_job_destroy(&jobs[i]);
    free(st_text);
    pm_map_scales_destroy(&scales);
    pm_geo_free(geo);
}

/* A program's workers as the runner sees them (start/wait callbacks): a queue of started jobs that
 * end in the order they began; the job named "bad" cannot be started. */
typedef struct workers {
    pm_batch_job_t *queue[8];
    size_t head, tail, most_running, started, here, stop_after;
    char order[64]; /* what happened: Hn (run here), Sn (started), En (ended) */
} workers_t;

static void note(workers_t *w, char what, const pm_batch_job_t *j)
{
    size_t n = strlen(w->order);
    snprintf(w->order + n, sizeof w->order - n, "%c%s ", what, j->name);
}

static pm_status_t run_here_cb(pm_batch_job_t *job, const pm_batch_figures_t *f, void *ctx,
                               pm_error_t *err)
{
    (void)f, (void)err;
    workers_t *w = ctx;
    w->here++;
    note(w, 'H', job);
    return PM_OK;
}

static int start_cb(pm_batch_job_t *job, const pm_batch_figures_t *f, void *ctx)
{
    (void)f;
    workers_t *w = ctx;
    if (!strcmp(job->name, "bad")) {
        pm_batch_job_fail(job, "cannot start a worker");
        return -1;
    }
    w->queue[w->tail++] = job;
    w->started++;
    if (w->tail - w->head > w->most_running)
        w->most_running = w->tail - w->head;
    note(w, 'S', job);
    return 1;
}

static int wait_cb(pm_batch_job_t **ended, void *ctx)
{
    workers_t *w = ctx;
    if (w->head == w->tail)
        return -1;
    *ended = w->queue[w->head++];
    (*ended)->status = PM_BATCH_OK;
    note(w, 'E', *ended);
    return 1;
}

static int stop_cb(void *ctx)
{
    workers_t *w = ctx;
    return w->stop_after && w->started >= w->stop_after;
}

/* The runner drives a program's workers through callbacks: the first job here, then at most
 * max_running started at once, each job's folder made before; a job that cannot start fails and
 * the others go on; after stop nothing more starts and the rest stay pending. */
static void test_runner_callbacks(void)
{
    static const char *const names[] = {"a", "b", "bad", "c", "d", "e"};
    pm_batch_job_t jobs[6];
    for (size_t i = 0; i < 6; i++) {
        pm_batch_job_init(&jobs[i]);
        jobs[i].name = names[i];
        snprintf(jobs[i].dir, sizeof jobs[i].dir, "%s/runner/%s", pm_test_dir(), names[i]);
    }
    jobs[4].status = PM_BATCH_SKIPPED; /* unchanged since its last output */
    workers_t w;
    memset(&w, 0, sizeof w);
    pm_batch_callbacks_t cb = {.run = run_here_cb,
                               .ctx = &w,
                               .start = start_cb,
                               .wait = wait_cb,
                               .stop = stop_cb,
                               .max_running = 2,
                               .first_here = 1};
    pm_batch_figures_t fig = {0, 0, 0, NULL};
    size_t n_failed = 9;
    pm_batch_run_jobs(jobs, 6, &fig, &cb, &n_failed);
    CHECK_STR(w.order, "Ha Sb Sc Eb Se Ec Ee ");
    CHECK_INT(w.here, 1);
    CHECK_INT(w.most_running, 2);
    CHECK_INT(n_failed, 1);
    CHECK_INT(jobs[2].status, PM_BATCH_FAILED);
    CHECK_INT(jobs[4].status, PM_BATCH_SKIPPED);
    CHECK_INT(jobs[5].status, PM_BATCH_OK);
    CHECK(pm_io_exists(jobs[3].dir)); /* made before its worker started */

    /* interrupted after two started: they end, nothing else starts */
    for (size_t i = 0; i < 6; i++) {
        pm_batch_job_destroy(&jobs[i]);
        pm_batch_job_init(&jobs[i]);
        jobs[i].name = names[i];
        snprintf(jobs[i].dir, sizeof jobs[i].dir, "%s/runner/%s", pm_test_dir(), names[i]);
    }
    memset(&w, 0, sizeof w);
    w.stop_after = 2;
    cb.first_here = 0;
    pm_batch_run_jobs(jobs, 6, &fig, &cb, &n_failed);
    CHECK_STR(w.order, "Sa Sb Ea Eb ");
    CHECK_INT(jobs[3].status, PM_BATCH_PENDING);
    CHECK_INT(jobs[5].status, PM_BATCH_PENDING);
    CHECK_INT(n_failed, 0);
    for (size_t i = 0; i < 6; i++)
        pm_batch_job_destroy(&jobs[i]);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_split_words);
    PM_RUN(test_manifest);
    PM_RUN(test_paths_and_shards);
    PM_RUN(test_plan);
    PM_RUN(test_hash);
    PM_RUN(test_database_source);
    PM_RUN(test_engine);
    PM_RUN(test_runner_callbacks);
    pm_runtime_teardown();
    return pm_test_done();
}
