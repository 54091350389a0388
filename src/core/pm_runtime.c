/*
 * pm_runtime: library set-up, error routing and tear-down (see pm_runtime.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "pm_runtime.h"

#include "pm_norm.h"
#include "pm_render.h"

#include <cairo.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_multiproc.h>
#include <dlfcn.h>
#include <malloc.h>
#include <gdal.h>
#include <igraph.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef PM_VERSION
#define PM_VERSION "0.0.0"
#endif

static _Thread_local char gdal_msg[PM_ERROR_MSG_MAX];
static _Thread_local char igraph_msg[PM_ERROR_MSG_MAX];

static void gdal_handler(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    /* Keep the most severe recent message: a failure's reason must not be overwritten by a
     * later debug or warning line. */
    if (cls >= CE_Warning && msg)
        snprintf(gdal_msg, sizeof gdal_msg, "%s", msg);
}

static void igraph_handler(const char *reason, const char *file, int line, igraph_error_t code)
{
    (void)file;
    (void)line;
    snprintf(igraph_msg, sizeof igraph_msg, "%s (%s)", reason ? reason : "unknown",
             igraph_strerror(code));
    IGRAPH_FINALLY_FREE();
}

static void igraph_warn(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
    /* igraph's warnings (e.g. eigenvector centrality on a graph with no edges) concern cases
     * the metrics module checks itself. */
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

void pm_runtime_phase(const char *what)
{
    static double t0 = -1;
    static int on = -1;
    if (on < 0)
        on = getenv("PARTNERMAP_TIMING") != NULL;
    if (!on)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    if (t0 < 0)
        t0 = t;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "PHASE %s %.4f (%ld page faults)\n", what, t - t0, ru.ru_minflt);
}

void pm_runtime_init(void)
{
    pm_runtime_phase("runtime");
    CPLSetErrorHandler(gdal_handler);
    /* CSV: never guess field types (weights are checked by partnermap, with line numbers). */
    CPLSetConfigOption("OGR_XLSX_FIELD_TYPES", "STRING");
    CPLSetConfigOption("OGR_ODS_FIELD_TYPES", "STRING");
    CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    CPLSetConfigOption("OGR_ODS_HEADERS", "FORCE");
    /* GeoPackages read through GDAL's file layer, not memory-mapped by SQLite: a mapped 30 MB
     * file stays in the process's resident memory. The geometry source is the exception while
     * its attributes are indexed (see pm_geo.c, open_layer). A user's own setting wins. */
    if (!CPLGetConfigOption("SQLITE_USE_OGR_VFS", NULL))
        CPLSetConfigOption("SQLITE_USE_OGR_VFS", "YES");
    /* partnermap runs no SQL of its own, and GeoPackages need no SpatiaLite: opening one without
     * it takes 1.5 ms instead of 11 (SpatiaLite sets up its function tables on every open).
     * SpatiaLite databases are still read, their geometries decoded by GDAL itself. */
    if (!CPLGetConfigOption("SPATIALITE_LOAD", NULL))
        CPLSetConfigOption("SPATIALITE_LOAD", "FALSE");
    GDALAllRegister();
    pm_runtime_phase("GDAL drivers registered");
    one_openmp_thread();
    /* Blocks of 1 MiB and more (figures, SVG text, arrays of a large network) are mapped and
     * returned to the system when freed. glibc would otherwise raise this threshold after the
     * first large block is freed and keep later ones in a heap it does not shrink (large map:
     * 153 -> 145 MB peak). */
    if (!getenv("MALLOC_MMAP_THRESHOLD_"))
        mallopt(M_MMAP_THRESHOLD, 1 << 20);
    /* The heap grows (and is trimmed back to) 4 MiB beyond its top: drawing a map frees and
     * allocates a few MB over and over, and each growth was a system call and fresh pages to
     * fault in (small map job: 2,400 page faults fewer, -11 ms; large map: +3 MiB at the peak). */
    if (!getenv("MALLOC_TOP_PAD_"))
        mallopt(M_TOP_PAD, 4 << 20);
    igraph_set_error_handler(igraph_handler);
    igraph_set_warning_handler(igraph_warn);
    igraph_rng_seed(igraph_rng_default(), 42);
}

void pm_runtime_teardown(void)
{
    pango_cairo_font_map_set_default(NULL);
    pm_render_cache_free();
    pm_norm_cleanup();
    GDALDestroyDriverManager();
    OGRCleanupAll();
    OSRCleanup();
    CPLCleanupTLS();
    /* Not cairo_debug_reset_static_data nor FcFini: pango 1.50 sorts font sets on threads of its
     * own that may still run (a map that failed before drawing its text), and both would free the
     * fonts and the configuration under them (cairo's assertion aborted such a run). What they
     * hold stays reachable from static data until exit, so leak checkers do not report it. */
}

const char *pm_runtime_version(void)
{
    return PM_VERSION;
}

const char *pm_runtime_gdal_msg(void)
{
    return gdal_msg;
}

void pm_runtime_gdal_reset(void)
{
    gdal_msg[0] = '\0';
    CPLErrorReset();
}

const char *pm_runtime_igraph_msg(void)
{
    return igraph_msg;
}

pm_status_t pm_error_from_igraph(pm_error_t *err, int igraph_code, const char *what)
{
    pm_status_t code = igraph_code == IGRAPH_ENOMEM ? PM_ENOMEM : PM_EINTERNAL;
    return pm_error_set(err, code, "%s: %s", what,
                        igraph_msg[0] ? igraph_msg : igraph_strerror(igraph_code));
}

const char *pm_runtime_datadir(void)
{
    const char *env = getenv("PARTNERMAP_DATA");
    if (env && *env)
        return env;
#if defined(PM_DATADIR_BUILD) && defined(PM_BUILD_DIR)
    /* a program run from its build tree uses the source tree's geodata; an installed one (or a
     * copy elsewhere) the installed folder, even while the checkout exists */
    static char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat sb;
    if (n > 0) {
        exe[n] = '\0';
        size_t bl = strlen(PM_BUILD_DIR);
        if (!strncmp(exe, PM_BUILD_DIR, bl) && (exe[bl] == '/' || exe[bl] == '\0') &&
            stat(PM_DATADIR_BUILD "/world.gpkg", &sb) == 0)
            return PM_DATADIR_BUILD;
    }
#endif
#ifdef PM_DATADIR_INSTALL
    return PM_DATADIR_INSTALL;
#else
    return "geodata";
#endif
}
