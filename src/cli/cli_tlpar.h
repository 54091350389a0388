/*
 * cli_tlpar: `timeline -j N`: the periods measured in N processes. The workers are forked when
 * the process has one thread (igraph in Debian is not thread-safe, and a fork copies only the
 * calling thread); each measures the periods k % N == i (pm_timeline_opts_t.part) with a
 * single-threaded path pass, packs its part (pm_timeline_pack) into a pipe and exits; this
 * process measures part 0 meanwhile, then merges (pm_timeline_merge). The tables are byte for
 * byte those of -j 1.
 */
#ifndef PM_CLI_TLPAR_H
#define PM_CLI_TLPAR_H

#include "pm_timeline.h"

/* pm_timeline_compute over jobs processes (jobs <= 1, one period, or a process that already has
 * threads: in this one). Warnings go to diag once (this process's part). Errors as
 * pm_timeline_compute, and PM_EINTERNAL when a worker fails without saying why. */
pm_status_t cli_timeline_compute(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                 const pm_timeline_opts_t *o, long jobs, pm_timeline_t *out,
                                 pm_diag_t *diag, pm_error_t *err);

#endif
