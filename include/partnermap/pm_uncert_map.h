/*
 * pm_uncert_map: what a map shows of source uncertainty (pm_uncert.h), computed from the
 * replicates so that the renderer gets plain values (pm_map_place_t.ring, .unstable) and
 * simulates nothing.
 *
 * - The ring of a place: the upper bound of the interval (pm_uncert_summary_t.hi, e.g. the 97.5 %
 *   quantile) of the metric its circle is sized by, on the circles' scale.
 * - An unstable class: each replicate's value of the fill metric is put in the class of the map's
 *   own class edges (fixed, as the legend shows them: the edges are not recomputed per replicate),
 *   and a place is unstable when its class differs from its observed class in more than a given
 *   share of the replicates.
 *
 * Ownership: the functions fill caller's arrays of n = u->n values.
 */
#ifndef PM_UNCERT_MAP_H
#define PM_UNCERT_MAP_H

#include <stddef.h>

#include "pm_error.h"
#include "pm_uncert.h"

/* The index of metric name among u's simulated metrics, or -1. */
int pm_uncert_metric_index(const pm_uncert_t *u, const char *name);

/* share[i]: the share (0..1) of u's held replicates in which scale * value of metric j of place i
 * falls in another class under breaks[0..k] (pm_classify_index, end classes clamped) than its
 * observed value does; NaN for a place whose observed value has no class (NaN, or k == 0).
 * A replicate value that is NaN counts as a change. u must hold at least one replicate.
 * Errors: PM_EUSAGE (j out of range, no replicate). Cost O(n N log k). */
pm_status_t pm_uncert_class_changes(const pm_uncert_t *u, size_t j, double scale,
                                    const double *breaks, size_t k, double *share, pm_error_t *err);

#endif
