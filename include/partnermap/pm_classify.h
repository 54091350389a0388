/*
 * pm_classify: class breaks for choropleth maps.
 *
 * A classification of k classes is k + 1 edges b[0] <= b[1] < b[2] < ... < b[k]. Class 0 is the
 * closed interval [b[0], b[1]] (a single value when b[0] == b[1]); class c > 0 is (b[c], b[c+1]]:
 * an edge belongs to the class below it, so the class upper bounds are data values for quantile
 * and Jenks breaks. NaN values are ignored everywhere (they are "no data", drawn apart).
 *
 * Methods: quantile (each class holds about n/k values; equal values never straddle a break),
 * equal intervals, Jenks (Fisher's exact optimal partition minimising the within-class sum of
 * squared deviations, by dynamic programming, O(k n^2) time and O(k n) memory: fine up to a few
 * thousand values) and manual (the caller's edges, checked). Quantile and Jenks never return
 * more classes than the data have distinct values; equal intervals may have empty classes.
 */
#ifndef PM_CLASSIFY_H
#define PM_CLASSIFY_H

#include <stddef.h>

#include "pm_error.h"

/* Most classes a map can show (the palettes have 9 distinguishable steps). */
#define PM_CLASSIFY_MAX 9
/* values closer than this (relative) are the same value when classified */
#define PM_CLASSIFY_REL_EPS 1e-9

typedef enum {
    PM_CLASSIFY_QUANTILE = 0,
    PM_CLASSIFY_EQUAL,
    PM_CLASSIFY_JENKS,
    PM_CLASSIFY_MANUAL
} pm_classify_method_t;

/* Computes class edges of values[0..n) (NaN entries skipped).
 * k: classes wanted, 1..PM_CLASSIFY_MAX (ignored for PM_CLASSIFY_MANUAL).
 * manual, n_manual: the edges for PM_CLASSIFY_MANUAL (at least 2, strictly increasing, finite,
 *   at most PM_CLASSIFY_MAX + 1); ignored otherwise and may be NULL.
 * breaks_out: room for PM_CLASSIFY_MAX + 1 doubles; gets the edges. *k_out: the classes made
 *   (<= k; 0 when there is no finite value, with breaks_out untouched; manual: n_manual - 1).
 * Errors: PM_EUSAGE for k out of range or bad manual edges (the message says which), PM_ENOMEM.
 * Values outside manual edges are not an error here (see pm_classify_index). */
pm_status_t pm_classify_breaks(const double *values, size_t n, pm_classify_method_t method,
                               size_t k, const double *manual, size_t n_manual, double *breaks_out,
                               size_t *k_out, pm_error_t *err);

/* The class of v under edges breaks[0..k]: 0..k-1; values below breaks[0] go to class 0 and
 * above breaks[k] to class k-1 (*clamped, when not NULL, is set to 1 then, else 0). Returns
 * (size_t)-1 for NaN or when k is 0. O(log k). */
size_t pm_classify_index(const double *breaks, size_t k, double v, int *clamped);

/* 1 when every finite value of values[0..n) is a whole number (degree, counts, strength with
 * whole weights), and there is at least one; 0 otherwise. O(n). */
int pm_classify_all_integer(const double *values, size_t n);

/* What a legend shows for each class of edges breaks[0..k] (k >= 1): class c reads as the closed
 * range lo[c]..hi[c] of numbers printed with *decimals decimals (lo[c] == hi[c]: one value;
 * lo[c] > hi[c]: the class can hold no whole number, only when integer is set).
 * integer: the data are whole numbers (pm_classify_all_integer); then *decimals is 0, class 0 is
 *   ceil(b0)..floor(b1) and class c > 0 is floor(b[c]) + 1..floor(b[c+1]): exactly the whole
 *   numbers the class holds.
 * otherwise: the fewest decimals (at least enough for two significant digits of the span, at
 *   most 12) at which every edge prints apart, hi[c] is b[c+1] and lo[c] of c > 0 is the printed
 *   b[c] plus one unit of the last decimal, so no two labels share a number and they read in
 *   order ("0.09", "0.10-0.16", "0.17-0.47" for edges 0.09, 0.09, 0.16, 0.47).
 * lo, hi: room for k values each. Errors: PM_EINVAL for k == 0 or edges out of order. */
pm_status_t pm_classify_labels(const double *breaks, size_t k, int integer, double *lo, double *hi,
                               int *decimals, pm_error_t *err);

/* Keys of a proportional legend (circle areas, tie widths) whose largest value is max, from the
 * values drawn x[0..n) (sorted ascending, all > 0) into v[0..3): max itself; a middle key, the
 * value of x nearest a third of max (by ratio) between twice the smallest value and half of max,
 * or when none lies there a round value (1, 2, 2.5 or 5 x 10^n, never 2.5 itself) in that window;
 * and the smallest value x[0] when it is a quarter below the key before. Every key is a value of
 * the data or a round value inside their range (max is the largest of this map, or of the batch
 * that shares the scale), never outside it. Returns the number of keys (0 when max <= 0). */
size_t pm_classify_keys(double max, const double *x, size_t n, double v[3]);

/* Parses "quantile", "equal", "jenks" or "manual" into *out. PM_EUSAGE with the choices listed
 * when the name is unknown. */
pm_status_t pm_classify_parse_method(const char *name, pm_classify_method_t *out, pm_error_t *err);

/* The name of a method ("quantile", ...). Never NULL. */
const char *pm_classify_method_name(pm_classify_method_t method);

#endif
