/*
 * pm_spatial: lengths, touching and domestic shares of ties (see pm_spatial.h).
 *
 * The touch test reads each distinct unit's geometry once (pm_geo_geometry) and tests each
 * distinct unordered pair of units once: ties are sorted by their pair, so a pair that carries many
 * ties costs one GEOS call. Bounding boxes are compared first.
 */
#include "pm_spatial.h"
#include "pm_sphere.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double default_edges[] = {0, 100, 250, 500, 1000, 2000, 3000, 5000, 10000, 20040};

void pm_spatial_opts_init(pm_spatial_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
}

void pm_spatial_init(pm_spatial_t *s)
{
    memset(s, 0, sizeof *s);
}

void pm_spatial_destroy(pm_spatial_t *s)
{
    if (!s)
        return;
    free(s->length_km);
    free(s->touching);
    free(s->domestic);
    free(s->place_ties);
    free(s->place_mean_km);
    free(s->place_wmean_km);
    free(s->place_max_km);
    free(s->bin_edges);
    free(s->bin_count);
    free(s->bin_weight);
    pm_spatial_init(s);
}

double pm_spatial_distance_km(double lon1, double lat1, double lon2, double lat2)
{
    return pm_sphere_distance_km(lon1, lat1, lon2, lat2);
}

/* Same country; a historical country and one of its successors count as one. */
static int same_country(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    const char *pa = pm_geo_country_predecessors(a), *pb = pm_geo_country_predecessors(b);
    return (pa && strcmp(pa, b) == 0) || (pb && strcmp(pb, a) == 0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Type-7 quantile of sorted v[0..n). */
static double quantile(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

typedef struct pair {
    size_t a, b; /* units, a < b */
    size_t tie;
} pair_t;

static int cmp_pair(const void *x, const void *y)
{
    const pair_t *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return p->tie < q->tie ? -1 : p->tie > q->tie;
}

typedef struct unit_geom {
    size_t unit;
    OGRGeometryH g; /* NULL for points and units not read */
    OGREnvelope env;
} unit_geom_t;

static int cmp_ug(const void *x, const void *y)
{
    size_t a = ((const unit_geom_t *)x)->unit, b = ((const unit_geom_t *)y)->unit;
    return a < b ? -1 : a > b;
}

static unit_geom_t *find_ug(unit_geom_t *v, size_t n, size_t unit)
{
    unit_geom_t k = {.unit = unit};
    return bsearch(&k, v, n, sizeof *v, cmp_ug);
}

/* Settles out->touching[i] == 2 ("to test") to 0 or 1. */
static pm_status_t touch_tests(const pm_geo_t *geo, const pm_join_result_t *join,
                               const size_t *from, const size_t *to, pm_spatial_t *out,
                               pm_error_t *err)
{
    size_t n = out->n_ties, np = 0, nu = 0;
    pair_t *pairs = malloc((n ? n : 1) * sizeof *pairs);
    unit_geom_t *ug = malloc((2 * n + 1) * sizeof *ug);
    pm_status_t rc = pairs && ug ? PM_OK : pm_error_set(err, PM_ENOMEM, "out of memory");
    if (rc != PM_OK)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        if (out->touching[i] != 2)
            continue;
        size_t a = join->m[from[i]].unit, b = join->m[to[i]].unit;
        pairs[np++] = (pair_t){a < b ? a : b, a < b ? b : a, i};
    }
    qsort(pairs, np, sizeof *pairs, cmp_pair);
    for (size_t i = 0; i < np; i++) {
        ug[nu++] = (unit_geom_t){.unit = pairs[i].a};
        ug[nu++] = (unit_geom_t){.unit = pairs[i].b};
    }
    qsort(ug, nu, sizeof *ug, cmp_ug);
    size_t o = 0;
    for (size_t i = 0; i < nu; i++)
        if (o == 0 || ug[o - 1].unit != ug[i].unit)
            ug[o++] = ug[i];
    nu = o;
    for (size_t i = 0; i < nu && rc == PM_OK; i++) {
        if (pm_geo_unit(geo, ug[i].unit)->kind == PM_UNIT_POINT)
            continue;
        rc = pm_geo_geometry(geo, ug[i].unit, &ug[i].g, err);
        if (rc == PM_OK)
            OGR_G_GetEnvelope(ug[i].g, &ug[i].env);
    }
    for (size_t i = 0; i < np && rc == PM_OK; i++) {
        int t;
        if (i > 0 && pairs[i].a == pairs[i - 1].a && pairs[i].b == pairs[i - 1].b)
            t = out->touching[pairs[i - 1].tie];
        else {
            unit_geom_t *x = find_ug(ug, nu, pairs[i].a), *y = find_ug(ug, nu, pairs[i].b);
            t = 0;
            if (x->g && y->g && x->env.MinX <= y->env.MaxX && y->env.MinX <= x->env.MaxX &&
                x->env.MinY <= y->env.MaxY && y->env.MinY <= x->env.MaxY)
                t = OGR_G_Intersects(x->g, y->g) ? 1 : 0;
        }
        out->touching[pairs[i].tie] = (signed char)t;
    }
cleanup:
    for (size_t i = 0; ug && i < nu; i++)
        if (ug[i].g)
            OGR_G_DestroyGeometry(ug[i].g);
    free(ug);
    free(pairs);
    return rc;
}

static pm_status_t check_input(const pm_join_result_t *join, const size_t *from, const size_t *to,
                               const double *weight, size_t n, const double *edges, size_t n_edges,
                               pm_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        if (from[i] >= join->n || to[i] >= join->n)
            return pm_error_set(err, PM_EUSAGE, "tie %zu: place index out of range (%zu places)", i,
                                join->n);
        if (weight && !(isfinite(weight[i]) && weight[i] >= 0))
            return pm_error_set(err, PM_EUSAGE, "tie %zu: weight must be finite and >= 0", i);
    }
    if (n_edges < 2)
        return pm_error_set(err, PM_EUSAGE, "length bins need at least 2 edges");
    for (size_t i = 1; i < n_edges; i++)
        if (!(edges[i] > edges[i - 1]))
            return pm_error_set(err, PM_EUSAGE, "length bin edges must increase (%g after %g)",
                                edges[i], edges[i - 1]);
    return PM_OK;
}

/* Fills the distribution summary and the bins from the measured ties (state 2). */
static pm_status_t distribution(const double *weight, const unsigned char *state, pm_spatial_t *s,
                                pm_error_t *err)
{
    double *v = malloc((s->n_measured ? s->n_measured : 1) * sizeof *v);
    if (!v)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    size_t k = 0;
    double sum = 0, wsum = 0;
    for (size_t i = 0; i < s->n_ties; i++) {
        if (state[i] != 2)
            continue;
        double w = weight ? weight[i] : 1.0, len = s->length_km[i];
        v[k++] = len;
        sum += len;
        wsum += w * len;
        size_t b = 0;
        while (b + 1 < s->n_bins && len >= s->bin_edges[b + 1])
            b++;
        s->bin_count[b]++;
        s->bin_weight[b] += w;
    }
    s->min_km = s->q1_km = s->median_km = s->q3_km = s->max_km = s->mean_km = s->wmean_km = NAN;
    if (k > 0) {
        qsort(v, k, sizeof *v, cmp_double);
        s->min_km = v[0];
        s->max_km = v[k - 1];
        s->q1_km = quantile(v, k, 0.25);
        s->median_km = quantile(v, k, 0.5);
        s->q3_km = quantile(v, k, 0.75);
        s->mean_km = sum / (double)k;
        s->wmean_km = s->total_weight > 0 ? wsum / s->total_weight : NAN;
    }
    free(v);
    return PM_OK;
}

/* The shares of touching and domestic ties, by count and by weight. */
static void shares(const double *weight, const unsigned char *state, pm_spatial_t *s)
{
    double wt = 0, wtk = 0, wd = 0, wdk = 0;
    for (size_t i = 0; i < s->n_ties; i++) {
        if (state[i] != 2)
            continue;
        double w = weight ? weight[i] : 1.0;
        if (s->touching[i] >= 0) {
            s->n_touch_known++;
            s->n_touching += (size_t)s->touching[i];
            wtk += w;
            wt += w * s->touching[i];
        }
        if (s->domestic[i] >= 0) {
            s->n_domestic_known++;
            s->n_domestic += (size_t)s->domestic[i];
            wdk += w;
            wd += w * s->domestic[i];
        }
    }
    s->share_touching = s->n_touch_known ? (double)s->n_touching / (double)s->n_touch_known : NAN;
    s->wshare_touching = wtk > 0 ? wt / wtk : NAN;
    s->share_domestic =
        s->n_domestic_known ? (double)s->n_domestic / (double)s->n_domestic_known : NAN;
    s->wshare_domestic = wdk > 0 ? wd / wdk : NAN;
}

pm_status_t pm_spatial_compute(const pm_geo_t *geo, const pm_join_result_t *join,
                               const size_t *from, const size_t *to, const double *weight,
                               size_t n_ties, const pm_spatial_opts_t *opts, pm_spatial_t *out,
                               pm_error_t *err)
{
    pm_spatial_opts_t defaults;
    if (!opts) {
        pm_spatial_opts_init(&defaults);
        opts = &defaults;
    }
    const double *edges = opts->bin_edges ? opts->bin_edges : default_edges;
    size_t n_edges =
        opts->bin_edges ? opts->n_bin_edges : sizeof default_edges / sizeof default_edges[0];
    pm_status_t rc = check_input(join, from, to, weight, n_ties, edges, n_edges, err);
    if (rc != PM_OK)
        return rc;
    pm_spatial_t s;
    pm_spatial_init(&s);
    size_t nt = n_ties ? n_ties : 1, npl = join->n ? join->n : 1;
    s.n_ties = n_ties;
    s.n_places = join->n;
    s.n_bins = n_edges - 1;
    s.length_km = malloc(nt * sizeof *s.length_km);
    s.touching = malloc(nt);
    s.domestic = malloc(nt);
    s.place_ties = calloc(npl, sizeof *s.place_ties);
    s.place_mean_km = calloc(npl, sizeof *s.place_mean_km);
    s.place_wmean_km = calloc(npl, sizeof *s.place_wmean_km);
    s.place_max_km = calloc(npl, sizeof *s.place_max_km);
    s.bin_edges = malloc(n_edges * sizeof *s.bin_edges);
    s.bin_count = calloc(s.n_bins, sizeof *s.bin_count);
    s.bin_weight = calloc(s.n_bins, sizeof *s.bin_weight);
    double *place_w = calloc(npl, sizeof *place_w);
    unsigned char *state = calloc(nt, 1); /* 0 skipped, 1 self-tie, 2 measured */
    if (!s.length_km || !s.touching || !s.domestic || !s.place_ties || !s.place_mean_km ||
        !s.place_wmean_km || !s.place_max_km || !s.bin_edges || !s.bin_count || !s.bin_weight ||
        !place_w || !state) {
        rc = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(s.bin_edges, edges, n_edges * sizeof *edges);
    for (size_t i = 0; i < n_ties; i++) {
        const pm_join_match_t *a = &join->m[from[i]], *b = &join->m[to[i]];
        s.length_km[i] = NAN;
        s.touching[i] = s.domestic[i] = -1;
        if (a->unit == PM_JOIN_NO_UNIT || b->unit == PM_JOIN_NO_UNIT || isnan(a->lon) ||
            isnan(b->lon)) {
            s.n_skipped++;
            continue;
        }
        if (a->unit == b->unit) {
            s.length_km[i] = 0;
            state[i] = 1;
            s.n_self++;
            continue;
        }
        double w = weight ? weight[i] : 1.0;
        double len = pm_spatial_distance_km(a->lon, a->lat, b->lon, b->lat);
        state[i] = 2;
        s.length_km[i] = len;
        s.n_measured++;
        s.total_weight += w;
        if (a->country && b->country)
            s.domestic[i] = (signed char)same_country(a->country, b->country);
        /* points never touch: settled without reading geometry; 2 = to test */
        const pm_geo_unit_t *ua = pm_geo_unit(geo, a->unit), *ub = pm_geo_unit(geo, b->unit);
        if (!opts->no_touch)
            s.touching[i] = (ua->kind == PM_UNIT_POINT || ub->kind == PM_UNIT_POINT) ? 0 : 2;
        size_t ends[2] = {from[i], to[i]};
        for (int e = 0; e < 2; e++) {
            size_t p = ends[e];
            s.place_ties[p]++;
            s.place_mean_km[p] += len;
            s.place_wmean_km[p] += w * len;
            place_w[p] += w;
            if (len > s.place_max_km[p])
                s.place_max_km[p] = len;
        }
    }
    if (!opts->no_touch && (rc = touch_tests(geo, join, from, to, &s, err)) != PM_OK)
        goto cleanup;
    shares(weight, state, &s);
    if ((rc = distribution(weight, state, &s, err)) != PM_OK)
        goto cleanup;
    for (size_t p = 0; p < join->n; p++) {
        if (s.place_ties[p] == 0) {
            s.place_mean_km[p] = s.place_wmean_km[p] = s.place_max_km[p] = NAN;
            continue;
        }
        s.place_mean_km[p] /= (double)s.place_ties[p];
        s.place_wmean_km[p] = place_w[p] > 0 ? s.place_wmean_km[p] / place_w[p] : NAN;
    }
    *out = s;
    pm_spatial_init(&s);
cleanup:
    free(state);
    free(place_w);
    pm_spatial_destroy(&s);
    return rc;
}
