/*
 * pm_uncert_map: the rings and unstable classes of a map under source uncertainty (see
 * pm_uncert_map.h). Reads a pm_uncert_t through its public fields only.
 */
#include "pm_uncert_map.h"

#include <math.h>
#include <string.h>

#include "pm_classify.h"

int pm_uncert_metric_index(const pm_uncert_t *u, const char *name)
{
    for (size_t j = 0; name && j < u->k; j++)
        if (!strcmp(u->metric[j], name))
            return (int)j;
    return -1;
}

pm_status_t pm_uncert_class_changes(const pm_uncert_t *u, size_t j, double scale,
                                    const double *breaks, size_t k, double *share, pm_error_t *err)
{
    if (j >= u->k)
        return pm_error_set(err, PM_EUSAGE, "metric %zu of %zu simulated", j + 1, u->k);
    if (!u->n_rep)
        return pm_error_set(err, PM_EUSAGE, "no replicate to classify");
    for (size_t i = 0; i < u->n; i++) {
        size_t c0 = pm_classify_index(breaks, k, scale * u->observed[j * u->n + i], NULL);
        if (c0 == (size_t)-1) {
            share[i] = NAN;
            continue;
        }
        size_t changed = 0;
        for (size_t r = 0; r < u->n_rep; r++) {
            double v = u->values[r * u->stride + j * u->n + i];
            changed += isnan(v) || pm_classify_index(breaks, k, scale * v, NULL) != c0;
        }
        share[i] = (double)changed / (double)u->n_rep;
    }
    return PM_OK;
}
