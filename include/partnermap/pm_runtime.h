/*
 * pm_runtime: set-up and tear-down of the libraries partnermap stands on, and nothing above them.
 *
 * pm_runtime_init installs the error adapters (pm_error_adapt.h: GDAL/CPL and igraph errors into
 * per-thread messages instead of stderr or abort), registers GDAL's drivers, pins GDAL options
 * that make reads predictable and seeds igraph's random number generator so community detection
 * is reproducible. pm_runtime_teardown frees GDAL's, OGR's and PROJ's static data. Both are
 * called once, by main().
 *
 * This module calls no partnermap module above pm_error: a module with state of its own is torn
 * down by the caller (pm_render_cleanup, pm_join_cleanup, then pm_runtime_teardown). Process
 * policy (allocator settings, OpenMP threads, signal handlers) and the printing of timing phases
 * are the program's, not the library's: see src/cli/cli_runtime.c.
 */
#ifndef PM_RUNTIME_H
#define PM_RUNTIME_H

#include "pm_error.h"

void pm_runtime_init(void);
void pm_runtime_teardown(void);

/* The version string ("0.1.0"). */
const char *pm_runtime_version(void);

/* The folder holding the embedded geodata: $PARTNERMAP_DATA if set, else the source tree's
 * geodata/ when it exists (running from a build tree), else the installed share folder. Lent. */
const char *pm_runtime_datadir(void);
/* The embedded geometry's file name inside that folder: the one place it is spelled (the full path
 * is pm_geo_default_source_dup; the datadir test above asks whether this file exists). */
#define PM_RUNTIME_WORLD_FILE "world.gpkg"

/* Timing phases, for the profiles in docs/performance.md. Work that has phases (pm_net_load,
 * pm_geo_open, a renderer's draw) marks the end of each by calling the hook its options or its
 * object carry (pm_net_opts_t.phase, pm_geo_opts_t.phase, pm_renderer_set_phase); with none it
 * marks nothing. The core never prints and keeps no process-wide hook. The hook is called on the
 * thread that marks, usually the main one; it must not call back into partnermap. */
typedef void (*pm_phase_hook_t)(const char *what, void *ctx);
typedef struct pm_phase {
    pm_phase_hook_t hook; /* NULL = none */
    void *ctx;
} pm_phase_t;
/* Calls p's hook with what; nothing when p or its hook is NULL. */
void pm_phase_mark(const pm_phase_t *p, const char *what);

#endif
