/*
 * cli_runtime: the process policy of the partnermap program, which a library must not set for
 * the program that links it: the allocator's thresholds, OpenMP's thread count, the signal
 * handlers that remove unfinished outputs, and the printing of timing phases
 * (PARTNERMAP_TIMING). main() calls these around pm_runtime_init.
 */
#include <dlfcn.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "pm_io.h"
#include "pm_runtime.h"

/* "PHASE what seconds (N page faults)" on stderr: the time since the first phase and the
 * process's minor page faults so far. For the profiles in docs/performance.md. */
static void print_phase(const char *what, void *ctx)
{
    double *t0 = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    if (*t0 < 0)
        *t0 = t;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "PHASE %s %.4f (%ld page faults)\n", what, t - *t0, ru.ru_minflt);
}

/* PARTNERMAP_TIMING: the program marks its phases (cli_phase) and hands the same hook to the
 * core's pipeline and renderer (cli_timing). */
static pm_phase_t timing;
static double t0 = -1;

void cli_runtime_timing(void)
{
    if (getenv("PARTNERMAP_TIMING"))
        timing = (pm_phase_t){print_phase, &t0};
}

pm_phase_t cli_timing(void)
{
    return timing;
}

void cli_phase(const char *what)
{
    pm_phase_mark(&timing, what);
}

/* Debian's igraph runs PageRank (PRPACK) on OpenMP threads, whose idle threads spin for a while
 * after each parallel loop; on a machine of few cores they took CPU from the shortest-path
 * threads that run meanwhile (large network: 5.7 s -> 3.1 s when limited). PageRank of even 50k
 * places takes milliseconds on one thread, so OpenMP gets one, unless OMP_NUM_THREADS says
 * otherwise. The call is looked up at run time: an igraph built without OpenMP has none. */
static void one_openmp_thread(void)
{
    if (getenv("OMP_NUM_THREADS"))
        return;
    void *self = dlopen(NULL, RTLD_NOW);
    void *sym = self ? dlsym(self, "omp_set_num_threads") : NULL;
    if (sym) {
        void (*set)(int);
        memcpy(&set, &sym, sizeof set); /* ISO C has no object-to-function pointer cast */
        set(1);
    }
    if (self)
        dlclose(self);
}

void cli_runtime_policy(void)
{
    one_openmp_thread();
    /* Blocks of 1 MiB and more (figures, SVG text, arrays of a large network) are mapped and
     * returned to the system when freed. glibc would otherwise raise this threshold after the
     * first large block is freed and keep later ones in a heap it does not shrink (large map:
     * 153 -> 145 MB peak). */
    if (!getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
    /* The heap grows (and is trimmed back to) 4 MiB beyond its top: drawing a map frees and
     * allocates a few MB over and over, and each growth was a system call and fresh pages to
     * fault in (measured in docs/performance.md: fewer page faults, a little more peak memory). */
    if (!getenv("MALLOC_TOP_PAD_"))
        mallopt(M_TOP_PAD, 4 << 20);
}

static void remove_pending(int sig)
{
    pm_io_remove_pending();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_clean_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* a signal the shell ignores (a background job's SIGINT) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}
