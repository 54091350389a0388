/*
 * test_batch: the batch bookkeeping: splitting option strings, manifests (columns, relative
 * paths, per-option columns, errors with lines), folders of tie files, shards, run hashes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm_batch.h"
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

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_split_words);
    PM_RUN(test_manifest);
    PM_RUN(test_paths_and_shards);
    PM_RUN(test_hash);
    PM_RUN(test_database_source);
    pm_runtime_teardown();
    return pm_test_done();
}
