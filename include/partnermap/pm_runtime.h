/*
 * pm_runtime: process-wide set-up and tear-down of the libraries partnermap stands on.
 *
 * pm_runtime_init registers GDAL's drivers, routes GDAL/CPL and igraph errors into per-thread
 * "last message" buffers instead of stderr (igraph's default handler would abort), seeds igraph's
 * random number generator so community detection is reproducible, and pins GDAL options that make
 * reads predictable. pm_runtime_teardown frees every library's static data (GDAL, OGR, PROJ,
 * cairo, fontconfig) so leak checkers see a clean exit. Both are called once, by main().
 */
#ifndef PM_RUNTIME_H
#define PM_RUNTIME_H

#include "pm_error.h"

void pm_runtime_init(void);
void pm_runtime_teardown(void);

/* The version string ("0.1.0"). */
const char *pm_runtime_version(void);

/* The last message GDAL reported on this thread ("" when none), lent. */
const char *pm_runtime_gdal_msg(void);
/* Forgets the last GDAL message (call before an operation whose message you want). */
void pm_runtime_gdal_reset(void);
/* The last message igraph reported on this thread, lent. */
const char *pm_runtime_igraph_msg(void);

/* Sets err from a failed igraph call: "what: igraph's reason". Returns PM_EINTERNAL (PM_ENOMEM
 * for igraph's out-of-memory). */
pm_status_t pm_error_from_igraph(pm_error_t *err, int igraph_code, const char *what);

/* The folder holding the embedded geodata: $PARTNERMAP_DATA if set, else the source tree's
 * geodata/ when it exists (running from a build tree), else the installed share folder. Lent. */
const char *pm_runtime_datadir(void);

/* With PARTNERMAP_TIMING set, prints "PHASE what seconds (N page faults)" on stderr: the time
 * since the first call (pm_runtime_init makes it) and the process's minor page faults so far.
 * For the profiles in docs/performance.md; silent otherwise. */
void pm_runtime_phase(const char *what);

#endif
