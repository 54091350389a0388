/*
 * pm_runtime: library set-up, error routing and tear-down (see pm_runtime.h).
 */
#include "pm_error_adapt.h"
#include "pm_runtime.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_multiproc.h>
#include <gdal.h>
#include <igraph.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PM_VERSION
#define PM_VERSION "0.0.0"
#endif

void pm_phase_mark(const pm_phase_t *p, const char *what)
{
    if (p && p->hook)
        p->hook(what, p->ctx);
}

void pm_runtime_init(void)
{
    pm_error_adapt_install();
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
     * it is several times faster (SpatiaLite sets up its function tables on every open; the
     * measurement is in docs/performance.md).
     * SpatiaLite databases are still read, their geometries decoded by GDAL itself. */
    if (!CPLGetConfigOption("SPATIALITE_LOAD", NULL))
        CPLSetConfigOption("SPATIALITE_LOAD", "FALSE");
    GDALAllRegister();
    igraph_rng_seed(igraph_rng_default(), 42);
}

void pm_runtime_teardown(void)
{
    GDALDestroyDriverManager();
    OGRCleanupAll();
    OSRCleanup();
    CPLCleanupTLS();
    /* The modules with state of their own were torn down by the caller (pm_runtime.h). Not
     * cairo_debug_reset_static_data nor FcFini: pango 1.50 sorts font sets on threads of its
     * own that may still run (a map that failed before drawing its text), and both would free the
     * fonts and the configuration under them (cairo's assertion aborted such a run). What they
     * hold stays reachable from static data until exit, so leak checkers do not report it. */
}

const char *pm_runtime_version(void)
{
    return PM_VERSION;
}

const char *pm_runtime_datadir(void)
{
    const char *env = getenv("PARTNERMAP_DATA");
    if (env && *env)
        return env;
#if defined(PM_DATADIR_BUILD) && defined(PM_BUILD_DIR)
    /* a program run from its build tree uses the source tree's geodata; an installed one (or a
     * copy elsewhere) the installed folder, even while the checkout exists */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    struct stat sb;
    if (n > 0) {
        exe[n] = '\0';
        size_t bl = strlen(PM_BUILD_DIR);
        if (!strncmp(exe, PM_BUILD_DIR, bl) && (exe[bl] == '/' || exe[bl] == '\0') &&
            stat(PM_DATADIR_BUILD "/" PM_RUNTIME_WORLD_FILE, &sb) == 0)
            return PM_DATADIR_BUILD;
    }
#endif
#ifdef PM_DATADIR_INSTALL
    return PM_DATADIR_INSTALL;
#else
    return "geodata";
#endif
}
