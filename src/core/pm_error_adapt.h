/*
 * pm_error_adapt: the adapters from the libraries' error reporting to partnermap's errors.
 *
 * GDAL/CPL and igraph report errors through process-wide handlers (igraph's default one aborts the
 * process, GDAL's prints on stderr). pm_error_adapt_install replaces both with handlers that keep
 * the last message per thread, which the functions below lend, and pm_error_from_igraph turns a
 * failed igraph call into a pm_error_t. This file calls no other partnermap module but pm_error.
 */
#ifndef PM_ERROR_ADAPT_H
#define PM_ERROR_ADAPT_H

#include "pm_error.h"

/* Installs the GDAL and igraph handlers (pm_runtime_init calls it). */
void pm_error_adapt_install(void);

/* The last message GDAL reported on this thread ("" when none), lent. */
const char *pm_runtime_gdal_msg(void);
/* Forgets the last GDAL message (call before an operation whose message you want). */
void pm_runtime_gdal_reset(void);
/* The last message igraph reported on this thread, lent. */
const char *pm_runtime_igraph_msg(void);

/* Sets err from a failed igraph call: "what: igraph's reason". Returns PM_EINTERNAL (PM_ENOMEM
 * for igraph's out-of-memory). */
pm_status_t pm_error_from_igraph(pm_error_t *err, int igraph_code, const char *what);

#endif
