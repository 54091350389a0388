/*
 * Tests of pm_runtime: the library's set-up leaves the program's policy alone and prints nothing;
 * timing phases go to the hook the program installs, and only there; the error adapters keep
 * GDAL's and igraph's messages.
 */
#define _POSIX_C_SOURCE 200809L
#include <cpl_error.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_test.h"

typedef struct phases {
    char seen[8][64];
    int n;
} phases_t;

static void note_phase(const char *what, void *ctx)
{
    phases_t *p = ctx;
    if (p->n < 8)
        snprintf(p->seen[p->n++], sizeof p->seen[0], "%s", what);
}

/* OpenMP's thread count as igraph's OpenMP would use it; -1 without OpenMP. */
static int omp_threads(void)
{
    void *self = dlopen(NULL, RTLD_NOW);
    void *sym = self ? dlsym(self, "omp_get_max_threads") : NULL;
    int n = -1;
    if (sym) {
        int (*get)(void);
        memcpy(&get, &sym, sizeof get);
        n = get();
    }
    if (self)
        dlclose(self);
    return n;
}

/* Everything the runtime writes on stderr while fn runs. */
static size_t stderr_bytes(void (*fn)(void))
{
    char path[] = "/tmp/pm_runtime_err.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return (size_t)-1;
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t n = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    return n < 0 ? (size_t)-1 : (size_t)n;
}

static void init_and_mark(void)
{
    pm_runtime_init();
    pm_phase_mark(NULL, "a phase");
}

static void test_init_prints_nothing_sets_no_policy(void)
{
    /* PARTNERMAP_TIMING asked the old runtime to print; the library never prints */
    setenv("PARTNERMAP_TIMING", "1", 1);
    unsetenv("OMP_NUM_THREADS");
    int omp_before = omp_threads();
    CHECK_INT((long)stderr_bytes(init_and_mark), 0);
    /* OpenMP's threads are the program's choice (src/cli/cli_runtime.c), not the library's */
    CHECK_INT(omp_threads(), omp_before);
    if (omp_before == 1)
        fprintf(stderr, "note: one OpenMP thread before set-up; the check above proves less\n");
}

static void test_phase_hook(void)
{
    phases_t p = {0};
    pm_phase_mark(NULL, "no hook"); /* goes nowhere */
    pm_phase_t none = {NULL, NULL}, ph = {note_phase, &p};
    pm_phase_mark(&none, "a hook of none");
    pm_phase_mark(&ph, "one");
    pm_phase_mark(&ph, "two");
    CHECK_INT(p.n, 2);
    CHECK_STR(p.seen[0], "one");
    CHECK_STR(p.seen[1], "two");
}

static void test_adapters(void)
{
    pm_runtime_gdal_reset();
    CHECK_STR(pm_runtime_gdal_msg(), "");
    CPLError(CE_Failure, CPLE_AppDefined, "a GDAL failure");
    CHECK_STR(pm_runtime_gdal_msg(), "a GDAL failure");
    pm_runtime_gdal_reset();
    CHECK_STR(pm_runtime_gdal_msg(), "");
    /* igraph's error goes to the adapter, not to abort() */
    igraph_vector_int_t v;
    igraph_t g;
    igraph_vector_int_init(&v, 2);
    VECTOR(v)[0] = 0;
    VECTOR(v)[1] = -1; /* not a vertex */
    igraph_error_t e = igraph_create(&g, &v, 2, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&v);
    CHECK(e != IGRAPH_SUCCESS);
    if (e == IGRAPH_SUCCESS)
        igraph_destroy(&g);
    CHECK(strlen(pm_runtime_igraph_msg()) > 0);
    pm_error_t err;
    pm_error_clear(&err);
    CHECK_INT(pm_error_from_igraph(&err, e, "making a graph"), PM_EINTERNAL);
    CHECK(strncmp(err.msg, "making a graph: ", 16) == 0);
}

int main(void)
{
    PM_RUN(test_init_prints_nothing_sets_no_policy);
    PM_RUN(test_phase_hook);
    PM_RUN(test_adapters);
    pm_runtime_teardown();
    return pm_test_done();
}
