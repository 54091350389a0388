/*
 * pm_uncert_timeline: source uncertainty through time: the whole-network statistics of every
 * period of a timeline (pm_timeline.h) with their intervals over replicate networks (pm_uncert.h).
 *
 * Each period's network is simulated with pm_uncert_run under the same options and seed, on the
 * period's graph but with every row of the loaded table: a row not active in the period joins no
 * tie. Replicate r of every period so draws from the same stream (seed, r) over the same rows:
 * a row dropped in replicate r of one period is dropped in replicate r of every period (one
 * scenario of the sources, seen through time), and the numbers do not depend on the periods
 * chosen or on the number of threads.
 *
 * Simulated per period: ties, total weight, density, components, share of the largest component
 * and modularity (the timeline's columns that are statistics of the graph); places (every place
 * of the period stays, isolated when its ties are dropped), new and ended ties and the spatial
 * columns are the observed ones.
 */
#ifndef PM_UNCERT_TIMELINE_H
#define PM_UNCERT_TIMELINE_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_report.h"
#include "pm_timeline.h"
#include "pm_uncert.h"

#define PM_UNCERT_TL_STATS 6

typedef struct pm_uncert_timeline {
    const pm_net_t *whole; /* the loaded network (lent): its table's rows are every period's */
    const pm_metrics_opts_t *mo;
    pm_uncert_opts_t o;
    double interval;                              /* percent */
    size_t n;                                     /* periods seen (index of the last one + 1) */
    unsigned char *have;                          /* [n]: 1 when the period was simulated */
    pm_uncert_stat_t (*stat)[PM_UNCERT_TL_STATS]; /* [n]: ties, total_weight, density,
                                                     components, largest_component_share,
                                                     modularity */
    size_t dropped_all; /* replicates of any period in which every tie was dropped */
} pm_uncert_timeline_t;

/* Sets up ut for the timeline of whole (lent, with mo, until destroyed) under o (its metrics
 * are ignored) and interval (percent, in (0,100)). No allocation. */
void pm_uncert_timeline_init(pm_uncert_timeline_t *ut, const pm_net_t *whole,
                             const pm_metrics_opts_t *mo, const pm_uncert_opts_t *o,
                             double interval);
void pm_uncert_timeline_destroy(pm_uncert_timeline_t *ut);

/* The pm_timeline_opts_t.on_period hook (ctx: a pm_uncert_timeline_t): simulates period k.
 * Errors: pm_uncert_run's and pm_uncert_summarise's. */
pm_status_t pm_uncert_timeline_period(void *ctx, size_t k, const pm_net_t *view, const size_t *rows,
                                      pm_error_t *err);

/* Appends the network table of tl (pm_timeline_write_network's) with the intervals: for people
 * (terminal, Markdown, LaTeX) each simulated statistic as "value [lo-hi]" (LaTeX: "--"); for
 * machines (CSV, TSV, JSON) the value and two columns beside it, NAME_qLO and NAME_qHI
 * ("ties_q2.5", "ties_q97.5"). Errors: PM_ENOMEM. */
pm_status_t pm_uncert_timeline_write(const pm_timeline_t *tl, const pm_uncert_timeline_t *ut,
                                     const pm_net_t *net, pm_format_t fmt, const char *title,
                                     pm_buf_t *out, pm_error_t *err);

#endif
