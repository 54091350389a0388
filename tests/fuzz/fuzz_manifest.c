/*
 * fuzz_manifest: batch manifests: bytes -> /vsimem/ CSV -> pm_batch_read_manifest, then a shard
 * of the runs.
 *
 * The manifest is read by OGR only, so it lives in GDAL's memory file system. Checks what
 * pm_batch.h promises of the runs read: unique, non-empty names safe as folder names, a ties path,
 * a NULL-terminated argv of argc words, each option column as "--COLUMN".
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

static void check_runs(const pm_batch_t *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const pm_batch_run_t *r = &b->runs[i];
        FUZZ_ASSERT(r->name && *r->name && r->ties && *r->ties);
        FUZZ_ASSERT(!strchr(r->name, '/') && strcmp(r->name, ".") && strcmp(r->name, ".."));
        FUZZ_ASSERT(r->argv && r->argv[r->argc] == NULL);
        for (size_t k = 0; k < r->argc; k++)
            FUZZ_ASSERT(r->argv[k] != NULL);
        for (size_t j = 0; j < i; j++)
            FUZZ_ASSERT(strcmp(b->runs[j].name, r->name) != 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    const char *path = fuzz_vsimem("csv", data, size);
    if (!path)
        return 0;
    pm_batch_t b;
    pm_batch_init(&b);
    pm_error_t err;
    pm_status_t st = pm_batch_read_manifest(path, &b, &err);
    if (st == PM_OK) {
        check_runs(&b);
        size_t n = b.n;
        char spec[32];
        snprintf(spec, sizeof spec, "%u/%u", (unsigned)(size % 3) + 1, 3u);
        if (pm_batch_shard(&b, spec, &err) == PM_OK) {
            FUZZ_ASSERT(b.n <= (n + 2) / 3);
            check_runs(&b);
        }
    } else {
        FUZZ_ASSERT(st == PM_EIO || st == PM_EDATA || st == PM_ENOMEM);
        FUZZ_ASSERT(err.msg[0] != '\0');
    }
    pm_batch_destroy(&b);
    return 0;
}
