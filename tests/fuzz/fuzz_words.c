/*
 * fuzz_words: the option words of batch manifests and the --shard spec: bytes ->
 * pm_batch_split_words and pm_batch_shard (pure string code, split from fuzz_manifest, which
 * pays for OGR, so that it runs at full speed).
 *
 * Checks: an unbalanced quote is PM_EDATA, else argv has argc words and ends with NULL;
 * splitting the words again, each quoted, gives them back.
 * A shard K/N keeps runs K-1, K-1+N, ... of the batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_batch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    return 0;
}

static void free_words(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void check_shard(const char *spec)
{
    enum { RUNS = 7 };
    pm_batch_t b;
    pm_batch_init(&b);
    b.runs = calloc(RUNS, sizeof *b.runs);
    if (!b.runs)
        return;
    for (size_t i = 0; i < RUNS; i++) {
        char name[8];
        snprintf(name, sizeof name, "r%zu", i);
        b.runs[i].name = strdup(name);
        b.runs[i].ties = strdup("t.csv");
        b.runs[i].argv = calloc(1, sizeof(char *));
        b.n++;
    }
    pm_error_t err;
    pm_status_t st = pm_batch_shard(&b, spec, &err);
    if (st == PM_OK) {
        unsigned k = 0, n = 0;
        FUZZ_ASSERT(sscanf(spec, "%u/%u", &k, &n) == 2 && k >= 1 && k <= n);
        for (size_t i = 0; i < b.n; i++) {
            char want[8];
            snprintf(want, sizeof want, "r%zu", (size_t)(k - 1) + i * n);
            FUZZ_ASSERT(strcmp(b.runs[i].name, want) == 0);
        }
    } else {
        FUZZ_ASSERT(st == PM_EUSAGE);
    }
    pm_batch_destroy(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_strndup(data, size);
    if (!s)
        return 0;
    char **argv = NULL;
    size_t argc = 0;
    pm_error_t err;
    pm_status_t st = pm_batch_split_words(s, &argv, &argc, &err);
    if (st == PM_OK) {
        FUZZ_ASSERT(argv && argv[argc] == NULL);
        /* quoting every word with '...' (a ' written as '\'') and splitting again is the
         * identity */
        size_t cap = 4;
        for (size_t i = 0; i < argc; i++)
            cap += 4 * strlen(argv[i]) + 3;
        char *joined = malloc(cap), *w = joined;
        FUZZ_ASSERT(joined);
        for (size_t i = 0; i < argc; i++) {
            *w++ = '\'';
            for (const char *p = argv[i]; *p; p++) {
                if (*p == '\'') {
                    memcpy(w, "'\\''", 4);
                    w += 4;
                } else
                    *w++ = *p;
            }
            *w++ = '\'';
            *w++ = ' ';
        }
        *w = '\0';
        char **again = NULL;
        size_t n_again = 0;
        FUZZ_ASSERT(pm_batch_split_words(joined, &again, &n_again, &err) == PM_OK);
        FUZZ_ASSERT(n_again == argc);
        for (size_t i = 0; i < argc; i++)
            FUZZ_ASSERT(strcmp(again[i], argv[i]) == 0);
        free_words(again, n_again);
        free(joined);
    } else {
        FUZZ_ASSERT(st == PM_EDATA || st == PM_ENOMEM);
    }
    free_words(argv, argc);
    check_shard(s);
    free(s);
    return 0;
}
