/*
 * pm_classify: quantile, equal-interval, Jenks (Fisher) and manual class breaks (see
 * pm_classify.h). The data are copied, stripped of NaN and sorted once; the Jenks partition runs on
 * the distinct values weighted by their counts, so repeated values cost nothing.
 */
#include "pm_classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Copies the finite values of values[0..n) into a new sorted array (*out, *m). */
static pm_status_t sorted_finite(const double *values, size_t n, double **out, size_t *m,
                                 pm_error_t *err)
{
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return pm_error_set(err, PM_ENOMEM, "out of memory classifying %zu values", n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i]))
            x[k++] = values[i];
    qsort(x, k, sizeof *x, cmp_double);
    /* Values that differ only in the last bits (PageRank of places in the same position) are one
     * value: otherwise an edge could fall between them and paint equals in two colours. */
    for (size_t i = 1; i < k; i++)
        if (x[i] - x[i - 1] <= PM_CLASSIFY_REL_EPS * fmax(fabs(x[i]), fabs(x[i - 1])))
            x[i] = x[i - 1];
    *out = x;
    *m = k;
    return PM_OK;
}

/* Appends candidate edge v to b[0..*nb) keeping b[0] <= b[1] < b[2] < ... */
static void push_edge(double *b, size_t *nb, double v)
{
    if (*nb == 0 || v > b[*nb - 1] || (*nb == 1 && v == b[0]))
        b[(*nb)++] = v;
}

/* Ends an edge list: when only b[0] was kept (all values equal) the single class is [v, v]; a
 * trailing b[1] == b[0] followed by nothing is the same. */
static size_t finish_edges(double *b, size_t nb)
{
    if (nb == 1) {
        b[1] = b[0];
        nb = 2;
    }
    return nb - 1;
}

static size_t quantile_breaks(const double *x, size_t m, size_t k, double *b)
{
    size_t nb = 0;
    push_edge(b, &nb, x[0]);
    for (size_t c = 1; c < k; c++) {
        size_t pos = (c * m + k - 1) / k; /* ceil(c m / k) */
        push_edge(b, &nb, x[pos ? pos - 1 : 0]);
    }
    push_edge(b, &nb, x[m - 1]);
    return finish_edges(b, nb);
}

static size_t equal_breaks(const double *x, size_t m, size_t k, double *b)
{
    double lo = x[0], hi = x[m - 1];
    if (hi == lo) {
        b[0] = b[1] = lo;
        return 1;
    }
    for (size_t c = 0; c <= k; c++)
        b[c] = lo + (hi - lo) * (double)c / (double)k;
    b[k] = hi; /* exact, whatever the rounding */
    return k;
}

/* Within-class sum of squared deviations of distinct values [a, b), from weighted prefix sums. */
static double ssd(const double *w, const double *s1, const double *s2, size_t a, size_t b)
{
    double n = w[b] - w[a], s = s1[b] - s1[a];
    double v = (s2[b] - s2[a]) - s * s / n;
    return v > 0 ? v : 0;
}

static pm_status_t jenks_breaks(const double *x, size_t m, size_t k, double *b, size_t *k_out,
                                pm_error_t *err)
{
    pm_status_t st = PM_OK;
    double *v = NULL, *w = NULL, *s1 = NULL, *s2 = NULL, *cost = NULL;
    size_t *from = NULL;
    size_t d = 0;

    v = malloc(m * sizeof *v);
    w = malloc((m + 1) * sizeof *w);
    s1 = malloc((m + 1) * sizeof *s1);
    s2 = malloc((m + 1) * sizeof *s2);
    if (!v || !w || !s1 || !s2) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for jenks breaks of %zu values", m);
        goto cleanup;
    }
    /* Distinct values with counts, centred on the mean so the sums of squares stay accurate. */
    double mean = 0;
    for (size_t i = 0; i < m; i++)
        mean += x[i] / (double)m;
    w[0] = s1[0] = s2[0] = 0;
    for (size_t i = 0; i < m; i++) {
        if (d == 0 || x[i] != v[d - 1]) {
            v[d] = x[i];
            w[d + 1] = w[d];
            s1[d + 1] = s1[d];
            s2[d + 1] = s2[d];
            d++;
        }
        double c = x[i] - mean;
        w[d] += 1;
        s1[d] += c;
        s2[d] += c * c;
    }
    if (d <= k) { /* one class per distinct value */
        b[0] = v[0];
        for (size_t i = 0; i < d; i++)
            b[i + 1] = v[i];
        *k_out = d;
        goto cleanup;
    }
    cost = malloc(k * (d + 1) * sizeof *cost);
    from = malloc(k * (d + 1) * sizeof *from);
    if (!cost || !from) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory for jenks breaks of %zu values", m);
        goto cleanup;
    }
    /* cost[j][i]: best sum for the first i distinct values in j + 1 classes; from[j][i]: where
     * the last of those classes starts. */
    for (size_t i = 1; i <= d; i++) {
        cost[i] = ssd(w, s1, s2, 0, i);
        from[i] = 0;
    }
    for (size_t j = 1; j < k; j++) {
        double *cj = cost + j * (d + 1), *cp = cost + (j - 1) * (d + 1);
        size_t *fj = from + j * (d + 1);
        for (size_t i = j + 1; i <= d; i++) {
            double best = INFINITY;
            size_t arg = j;
            for (size_t s = j; s < i; s++) {
                double c = cp[s] + ssd(w, s1, s2, s, i);
                if (c < best) {
                    best = c;
                    arg = s;
                }
            }
            cj[i] = best;
            fj[i] = arg;
        }
    }
    /* Walk back from the last class: class j covers distinct values [from, end). */
    size_t end = d;
    b[0] = v[0];
    for (size_t j = k; j-- > 0;) {
        b[j + 1] = v[end - 1];
        end = from[j * (d + 1) + end];
    }
    *k_out = k;
cleanup:
    free(from);
    free(cost);
    free(s2);
    free(s1);
    free(w);
    free(v);
    return st;
}

static pm_status_t check_manual(const double *manual, size_t n_manual, pm_error_t *err)
{
    if (!manual || n_manual < 2)
        return pm_error_set(err, PM_EUSAGE,
                            "manual classes need at least 2 break values (lowest and highest "
                            "edge), got %zu",
                            manual ? n_manual : 0);
    if (n_manual > PM_CLASSIFY_MAX + 1)
        return pm_error_set(err, PM_EUSAGE,
                            "%zu manual break values make %zu classes; at most %d are allowed",
                            n_manual, n_manual - 1, PM_CLASSIFY_MAX);
    for (size_t i = 0; i < n_manual; i++) {
        if (!isfinite(manual[i]))
            return pm_error_set(err, PM_EUSAGE, "manual break %zu is not a finite number", i + 1);
        if (i > 0 && !(manual[i] > manual[i - 1]))
            return pm_error_set(err, PM_EUSAGE,
                                "manual breaks must increase: break %zu (%g) is not above "
                                "break %zu (%g)",
                                i + 1, manual[i], i, manual[i - 1]);
    }
    return PM_OK;
}

pm_status_t pm_classify_breaks(const double *values, size_t n, pm_classify_method_t method,
                               size_t k, const double *manual, size_t n_manual, double *breaks_out,
                               size_t *k_out, pm_error_t *err)
{
    double b[PM_CLASSIFY_MAX + 2];
    size_t kk = 0;
    double *x = NULL;
    size_t m = 0;
    pm_status_t st = PM_OK;

    if (method == PM_CLASSIFY_MANUAL) {
        st = check_manual(manual, n_manual, err);
        if (st)
            return st;
        memcpy(breaks_out, manual, n_manual * sizeof *manual);
        *k_out = n_manual - 1;
        return PM_OK;
    }
    if (k < 1 || k > PM_CLASSIFY_MAX)
        return pm_error_set(err, PM_EUSAGE, "%zu classes asked for; use 1 to %d", k,
                            PM_CLASSIFY_MAX);
    st = sorted_finite(values, n, &x, &m, err);
    if (st)
        return st;
    if (m == 0) {
        *k_out = 0;
        goto cleanup;
    }
    switch (method) {
    case PM_CLASSIFY_QUANTILE:
        kk = quantile_breaks(x, m, k, b);
        break;
    case PM_CLASSIFY_EQUAL:
        kk = equal_breaks(x, m, k, b);
        break;
    case PM_CLASSIFY_JENKS:
        st = jenks_breaks(x, m, k, b, &kk, err);
        if (st)
            goto cleanup;
        break;
    default:
        st = pm_error_set(err, PM_EUSAGE, "unknown classification method %d", (int)method);
        goto cleanup;
    }
    memcpy(breaks_out, b, (kk + 1) * sizeof *b);
    *k_out = kk;
cleanup:
    free(x);
    return st;
}

size_t pm_classify_index(const double *breaks, size_t k, double v, int *clamped)
{
    if (clamped)
        *clamped = 0;
    if (k == 0 || isnan(v))
        return (size_t)-1;
    /* within a relative tolerance of an edge counts as on it (see sorted_finite) */
    double tol = PM_CLASSIFY_REL_EPS * fabs(v);
    if (v < breaks[0] - tol || v > breaks[k] + tol) {
        if (clamped)
            *clamped = 1;
        return v < breaks[0] ? 0 : k - 1;
    }
    /* First class c whose upper edge breaks[c + 1] >= v. */
    size_t lo = 0, hi = k - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v <= breaks[mid + 1] + tol)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int pm_classify_all_integer(const double *values, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            continue;
        if (values[i] != floor(values[i]) || fabs(values[i]) > 1e15)
            return 0;
        seen++;
    }
    return seen > 0;
}

/* floor(x), counting x within the classification's tolerance below a whole number as on it (as
 * pm_classify_index puts a value that close to an edge on the edge). */
static double floor_tol(double x)
{
    return floor(x + PM_CLASSIFY_REL_EPS * fabs(x));
}

static double ceil_tol(double x)
{
    return ceil(x - PM_CLASSIFY_REL_EPS * fabs(x));
}

/* Fewest decimals (0..sig, sig giving three significant digits) at which v prints exactly. */
static int value_decimals(double v)
{
    int sig = v != 0 ? 2 - (int)floor(log10(fabs(v))) : 0;
    int most = sig < 0 ? 0 : sig > 12 ? 12 : sig;
    for (int d = 0; d < most; d++) {
        double p = pow(10, d);
        if (fabs(round(v * p) - v * p) < 1e-6 * fmax(1, fabs(v * p)))
            return d;
    }
    return most;
}

pm_status_t pm_classify_labels(const double *breaks, size_t k, int integer, double *lo, double *hi,
                               int *decimals, pm_error_t *err)
{
    if (k == 0 || k > PM_CLASSIFY_MAX)
        return pm_error_set(err, PM_EUSAGE, "%zu classes cannot be labelled (1 to %d)", k,
                            PM_CLASSIFY_MAX);
    for (size_t i = 0; i <= k; i++)
        if (!isfinite(breaks[i]) || (i > 0 && breaks[i] < breaks[i - 1]) ||
            (i > 1 && breaks[i] == breaks[i - 1]))
            return pm_error_set(err, PM_EUSAGE, "class edge %zu (%g) is out of order", i + 1,
                                breaks[i]);
    if (integer) {
        lo[0] = ceil_tol(breaks[0]);
        hi[0] = floor_tol(breaks[1]);
        for (size_t c = 1; c < k; c++) {
            lo[c] = floor_tol(breaks[c]) + 1;
            hi[c] = floor_tol(breaks[c + 1]);
        }
        *decimals = 0;
        return PM_OK;
    }
    double span = breaks[k] - breaks[0];
    if (!(span > 0)) { /* one value: three significant digits, not rounded to 0 */
        *decimals = value_decimals(breaks[0]);
        lo[0] = hi[0] = breaks[0];
        return PM_OK;
    }
    int d = (int)fmax(0, 1 - floor(log10(span)));
    for (; d < 12; d++) {
        double p = pow(10, d);
        int ok = round(breaks[1] * p) >= round(breaks[0] * p);
        for (size_t c = 1; c < k && ok; c++)
            ok = round(breaks[c + 1] * p) >= round(breaks[c] * p) + 1;
        if (ok)
            break;
    }
    double p = pow(10, d);
    lo[0] = round(breaks[0] * p) / p;
    hi[0] = round(breaks[1] * p) / p;
    for (size_t c = 1; c < k; c++) {
        lo[c] = (round(breaks[c] * p) + 1) / p;
        hi[c] = round(breaks[c + 1] * p) / p;
    }
    *decimals = d;
    return PM_OK;
}

/* The largest of 1, 2, 2.5, 5 times a power of ten not above x (x > 0), but never 2.5 itself (2
 * instead): a key of whole counts stays whole. */
static double round_below(double x)
{
    double p = pow(10, floor(log10(x)));
    static const double steps[] = {5, 2.5, 2, 1};
    for (size_t i = 0; i < 4; i++) {
        double r = steps[i] * p;
        if (r <= x * (1 + 1e-9) && r != 2.5)
            return r;
    }
    return p;
}

size_t pm_classify_keys(double max, const double *x, size_t n, double v[3])
{
    size_t k = 0;
    if (!(max > 0))
        return 0;
    v[k++] = max;
    if (n == 0)
        return k;
    double lo = x[0], mid = NAN;
    for (size_t i = 0; i < n; i++)
        if (x[i] <= max * 0.5 && x[i] >= lo * 2 &&
            (isnan(mid) || fabs(log(x[i] * 3 / max)) < fabs(log(mid * 3 / max))))
            mid = x[i];
    if (isnan(mid) && round_below(max / 3) >= lo * 2)
        mid = round_below(max / 3);
    if (!isnan(mid))
        v[k++] = mid;
    if (lo < v[k - 1] * 0.75)
        v[k++] = lo;
    return k;
}

static const char *const method_names[] = {"quantile", "equal", "jenks", "manual"};

pm_status_t pm_classify_parse_method(const char *name, pm_classify_method_t *out, pm_error_t *err)
{
    for (size_t i = 0; i < sizeof method_names / sizeof *method_names; i++) {
        if (name && strcmp(name, method_names[i]) == 0) {
            *out = (pm_classify_method_t)i;
            return PM_OK;
        }
    }
    return pm_error_set(err, PM_EUSAGE,
                        "unknown classification '%s' (use quantile, equal, jenks or manual)",
                        name ? name : "");
}

const char *pm_classify_method_name(pm_classify_method_t method)
{
    if ((size_t)method < sizeof method_names / sizeof *method_names)
        return method_names[method];
    return "unknown";
}
