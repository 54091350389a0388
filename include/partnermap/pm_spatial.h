/*
 * pm_spatial: spatial statistics of ties between joined places.
 *
 * Input: a geo, the join result of its places, and the ties as pairs of indices into that result
 * (from[i], to[i]) with weights. Output: plain numbers in a pm_spatial_t, nothing formatted.
 *   - the great-circle length of every tie, between the anchors of its two places (haversine on
 *     a sphere of the WGS84 mean radius, 6371.0088 km);
 *   - per place: the number, mean, weighted mean and maximum length of its ties;
 *   - whether the two places' units touch: their geometries intersect (a shared border, or an
 *     overlap: a composite and one of its members); points never touch;
 *   - whether the tie is domestic: both units in the same country, where a historical country
 *     and each of its successors count as one (a CS composite and a CZ unit: at the time they were
 *     one country; CZ and SK do not);
 *   - the length distribution: min, quartiles (linear interpolation between order statistics,
 *     R's type 7), median, mean, weighted mean, max, and counts and weights in bins.
 * A tie is measured when both places matched a unit with an anchor point. A tie whose two places
 * are the same unit (a self-tie) has length 0 and is counted apart (n_self), outside every
 * statistic. Unmeasured ties (an end unmatched or ambiguous) are counted in n_skipped.
 */
#ifndef PM_SPATIAL_H
#define PM_SPATIAL_H

#include <stddef.h>

#include "pm_error.h"
#include "pm_geo.h"
#include "pm_join.h"

#include "pm_sphere.h"

#define PM_SPATIAL_EARTH_RADIUS_KM PM_SPHERE_RADIUS_KM

typedef struct pm_spatial_opts {
    /* bin edges in km, increasing, at least 2; NULL = 0 100 250 500 1000 2000 3000 5000 10000
     * 20040. A length at or past the last edge goes into the last bin. */
    const double *bin_edges;
    size_t n_bin_edges;
    int no_touch; /* skip the touch test (it reads geometries): touching[] all -1 */
} pm_spatial_opts_t;

typedef struct pm_spatial {
    size_t n_ties;
    double *length_km;     /* [n_ties]: NAN when not measured; 0 for self-ties */
    signed char *touching; /* [n_ties]: 1 the units touch, 0 they do not, -1 unknown/self */
    signed char *domestic; /* [n_ties]: 1 same country, 0 cross-border, -1 unknown/self */

    size_t n_places;    /* = the join result's n */
    size_t *place_ties; /* [n_places]: measured ties at the place (self-ties not counted) */
    double *place_mean_km, *place_wmean_km, *place_max_km; /* [n_places]: NAN when no tie */

    size_t n_measured, n_self, n_skipped; /* n_measured + n_self + n_skipped = n_ties */
    double total_weight;                  /* of the measured ties */
    double min_km, q1_km, median_km, q3_km, max_km, mean_km, wmean_km; /* NAN when none */

    size_t n_touch_known; /* measured ties whose touch test ran */
    size_t n_touching;
    double share_touching, wshare_touching; /* of n_touch_known (by count, by weight); NAN if 0 */
    size_t n_domestic_known;
    size_t n_domestic;
    double share_domestic, wshare_domestic; /* NAN when n_domestic_known is 0 */

    size_t n_bins;
    double *bin_edges;  /* [n_bins + 1] */
    size_t *bin_count;  /* [n_bins] measured ties per bin */
    double *bin_weight; /* [n_bins] their weight */
} pm_spatial_t;

void pm_spatial_opts_init(pm_spatial_opts_t *opts);
void pm_spatial_init(pm_spatial_t *s);
/* Frees the arrays and leaves s initialised. NULL is allowed. */
void pm_spatial_destroy(pm_spatial_t *s);

/* Great-circle distance in km between two lon/lat points (degrees), haversine formula. */
double pm_spatial_distance_km(double lon1, double lat1, double lon2, double lat2);

/* Computes the statistics (see the file comment). from/to index join->m; weight may be NULL (all
 * 1); opts may be NULL. out must be initialised; it is filled on success only.
 * Errors: PM_EUSAGE (an index >= join->n, a weight not finite or < 0, bad bin edges), PM_EIO /
 * PM_EINTERNAL (a geometry could not be read), PM_ENOMEM.
 * Cost: one geometry read per distinct unit and one intersection test per distinct pair of units
 * whose bounding boxes overlap. */
pm_status_t pm_spatial_compute(const pm_geo_t *geo, const pm_join_result_t *join,
                               const size_t *from, const size_t *to, const double *weight,
                               size_t n_ties, const pm_spatial_opts_t *opts, pm_spatial_t *out,
                               pm_error_t *err);

#endif
