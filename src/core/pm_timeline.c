/*
 * pm_timeline: the statistics of each period (see pm_timeline.h; the periods and the activity
 * rule are in pm_timeline_period.c).
 *
 * Each period's network is a view of the loaded one: a shallow pm_ties_t of the active rows (the
 * strings stay the table's), their units, a graph built from them as pm_net_load builds one, and
 * the same metrics call. The view is a pm_net_t whose owned parts (graph, metrics, node_q and the
 * row arrays) are freed here, never through pm_net_destroy.
 *
 * Invariants: periods are sorted and disjoint; a row's activity is decided by
 * pm_period_active alone (the new/ended counts and the subgraphs agree with it).
 */
#define _GNU_SOURCE /* qsort_r, gmtime_r */
#include "pm_timeline.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pm_grow.h"
#include "pm_metric.h"
#include "pm_spatial.h"

/* ---- the measuring ------------------------------------------------------------------------- */

typedef struct period_view {
    pm_net_t v;    /* ties (shallow), unit_*, tie_q_*, g, node_q, m: see the top */
    size_t *rows;  /* the loaded table's index of each active row */
    size_t *place; /* per vertex of the view: the whole network's place */
    size_t *edge;  /* per edge of the view: the whole network's edge */
} period_view_t;

static void view_free(period_view_t *pv)
{
    pm_metrics_destroy(&pv->v.m);
    pm_graph_destroy(&pv->v.g);
    pm_ties_t *t = &pv->v.ties;
    free(t->from);
    free(t->to);
    free(t->weight);
    free(t->start);
    free(t->end);
    free(t->type);
    free(t->confidence);
    free(t->group_from);
    free(t->group_to);
    free(t->line);
    free(pv->v.unit_from);
    free(pv->v.unit_to);
    free(pv->v.tie_q_from);
    free(pv->v.tie_q_to);
    free(pv->v.node_q);
    free(pv->rows);
    free(pv->place);
    free(pv->edge);
    memset(pv, 0, sizeof *pv);
}

#define SUBSET(dst, src, T)                                                                        \
    do {                                                                                           \
        if (src) {                                                                                 \
            if (!(dst = malloc(k * sizeof(T))))                                                    \
                goto nomem;                                                                        \
            for (size_t j = 0; j < k; j++)                                                         \
                dst[j] = src[rows[j]];                                                             \
        }                                                                                          \
    } while (0)

/* The view of the k rows `rows` (taken over by pv). */
static pm_status_t view_make(const pm_net_t *net, size_t *rows, size_t k, period_view_t *pv,
                             pm_error_t *err)
{
    memset(pv, 0, sizeof *pv);
    pv->rows = rows;
    const pm_ties_t *t = &net->ties;
    pm_ties_t *s = &pv->v.ties;
    *s = *t; /* names of columns, path, attributes: lent */
    s->n = k;
    s->from = s->to = s->type = s->confidence = s->group_from = s->group_to = NULL;
    s->weight = NULL;
    s->start = s->end = NULL;
    s->line = NULL;
    s->n_attr = 0;
    s->attr = NULL;
    SUBSET(s->from, t->from, char *);
    SUBSET(s->to, t->to, char *);
    SUBSET(s->weight, t->weight, double);
    SUBSET(s->start, t->start, int);
    SUBSET(s->end, t->end, int);
    SUBSET(s->type, t->type, char *);
    SUBSET(s->confidence, t->confidence, char *);
    SUBSET(s->group_from, t->group_from, char *);
    SUBSET(s->group_to, t->group_to, char *);
    SUBSET(s->line, t->line, long);
    SUBSET(pv->v.unit_from, net->unit_from, size_t);
    SUBSET(pv->v.unit_to, net->unit_to, size_t);
    SUBSET(pv->v.tie_q_from, net->tie_q_from, size_t);
    SUBSET(pv->v.tie_q_to, net->tie_q_to, size_t);
    pv->v.geo = net->geo;
    pv->v.own_geo = 0;
    pv->v.q = net->q;
    pv->v.n_q = net->n_q;
    pv->v.join = net->join; /* lent: never destroyed through the view */
    return PM_OK;
nomem:
    return pm_error_set(err, PM_ENOMEM, "out of memory");
}

/* The graph of the view (as pm_net_load builds it), its places' queries and the whole network's
 * places and edges of its vertices and edges. Warnings of the build are the whole network's,
 * already given once: they are dropped. */
static pm_status_t view_build(const pm_net_t *net, period_view_t *pv, int *empty, pm_error_t *err)
{
    pm_net_t *v = &pv->v;
    pm_status_t st =
        pm_graph_build(&v->ties, net->g.directed, v->unit_from, v->unit_to, &v->g, NULL, err);
    if (st == PM_EDATA) { /* self-ties only: no tie in the period */
        pm_error_clear(err);
        *empty = 1;
        return PM_OK;
    }
    if (st)
        return st;
    size_t nv = v->g.n_nodes, ne = v->g.n_edges;
    pv->place = malloc((nv ? nv : 1) * sizeof(size_t));
    pv->edge = malloc((ne ? ne : 1) * sizeof(size_t));
    if (!pv->place || !pv->edge)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t j = 0; j < v->ties.n; j++) {
        size_t i = pv->rows[j];
        pv->place[v->g.tie_from[j]] = net->g.tie_from[i];
        pv->place[v->g.tie_to[j]] = net->g.tie_to[i];
        if (v->g.tie_edge[j] != (size_t)-1)
            pv->edge[v->g.tie_edge[j]] = net->g.tie_edge[i];
    }
    if (net->node_q) { /* as pm_net_load's map_nodes: the first row naming a place */
        if (!(v->node_q = malloc((nv ? nv : 1) * sizeof(size_t))))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        for (size_t j = v->ties.n; j-- > 0;) {
            v->node_q[v->g.tie_to[j]] = v->tie_q_to[j];
            v->node_q[v->g.tie_from[j]] = v->tie_q_from[j];
        }
        for (size_t p = 0; p < nv; p++)
            v->n_unmatched_places += net->join.m[v->node_q[p]].unit == PM_JOIN_NO_UNIT;
    }
    *empty = 0;
    return PM_OK;
}

/* Growing the places table. */
static pm_status_t entries_grow(pm_timeline_t *tl, size_t need, size_t *cap, pm_error_t *err)
{
    size_t c = pm_grow_cap(*cap, need, 256);
    if (c == *cap)
        return PM_OK;
    int ok = pm_grow_array(&tl->entry_period, c, sizeof *tl->entry_period);
    ok &= pm_grow_array(&tl->entry_place, c, sizeof *tl->entry_place);
    ok &= pm_grow_array(&tl->rank, c, sizeof *tl->rank);
    for (size_t m = 0; m < tl->n_metrics && ok; m++)
        ok = pm_grow_array(&tl->value[m], c, sizeof *tl->value[m]);
    if (!ok)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    *cap = c;
    return PM_OK;
}

typedef struct rank_ctx {
    const double *key;
    char *const *name;
} rank_ctx_t;

static int by_rank(const void *pa, const void *pb, void *ctx)
{
    const rank_ctx_t *g_rank = ctx;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double x = g_rank->key[a], y = g_rank->key[b];
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (x != y)
        return x > y ? -1 : 1;
    int c = strcmp(g_rank->name[a], g_rank->name[b]);
    return c ? c : (a < b ? -1 : a > b);
}

/* Per period, its metrics computed (and finished): the whole-network row and the places'
 * entries. */
static pm_status_t measure(const pm_net_t *net, const pm_spatial_t *sp, size_t k, period_view_t *pv,
                           pm_timeline_t *tl, size_t *cap, pm_error_t *err)
{
    pm_net_t *v = &pv->v;
    pm_timeline_row_t *r = &tl->row[k];
    pm_status_t st = PM_OK;
    const pm_metrics_t *m = &v->m;
    /* the whole network's statistics, beside what the caller set: the period, its rows, the new
     * and ended ties (the lengths and the top place follow) */
    *r = (pm_timeline_row_t){.period = r->period,
                             .rows = r->rows,
                             .new_ties = r->new_ties,
                             .ended_ties = r->ended_ties,
                             .places = m->places,
                             .ties = m->ties,
                             .total_weight = m->total_weight,
                             .density = m->density,
                             .components = m->components,
                             .largest_share = m->largest_share,
                             .modularity = m->modularity,
                             .mean_km = NAN,
                             .cross_border_share = NAN,
                             .top_place = (size_t)-1};
    size_t ne = v->g.n_edges, nv = v->g.n_nodes;
    double *len = NULL;
    if (sp) { /* as pm_spatial: the mean over measured ties, in the view's edge order */
        double sum = 0;
        size_t cnt = 0, known = 0, dom = 0;
        if (!(len = malloc((ne ? ne : 1) * sizeof *len)))
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        for (size_t e = 0; e < ne; e++) {
            size_t w = pv->edge[e];
            len[e] = sp->length_km[w];
            if (isnan(len[e]) || IGRAPH_FROM(&v->g.g, e) == IGRAPH_TO(&v->g.g, e))
                continue;
            sum += len[e];
            cnt++;
            if (sp->domestic[w] >= 0) {
                known++;
                dom += (size_t)sp->domestic[w];
            }
        }
        r->mean_km = cnt ? sum / (double)cnt : NAN;
        r->cross_border_share = known ? (double)(known - dom) / (double)known : NAN;
    }
    /* the metrics of the places table */
    const double *val[PM_TIMELINE_MAX_METRICS] = {NULL};
    int owned[PM_TIMELINE_MAX_METRICS] = {0};
    double *mean = NULL, *max = NULL;
    char **names = NULL;
    size_t *order = malloc((nv ? nv : 1) * sizeof *order);
    if (!order) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (sp) {
        pm_spatial_t lens;
        pm_spatial_init(&lens);
        lens.length_km = len;
        lens.n_ties = ne;
        if ((st = pm_net_place_lengths(v, &lens, &mean, &max, err)))
            goto cleanup;
    }
    size_t rank_m = (size_t)-1;
    for (size_t j = 0; j < tl->n_metrics; j++) {
        if (!strcmp(tl->metric[j], "mean_tie_km"))
            val[j] = mean;
        else if (!strcmp(tl->metric[j], "max_tie_km"))
            val[j] = max;
        else if (!(val[j] = pm_metrics_get(m, tl->metric[j], &owned[j]))) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        if (!strcmp(tl->metric[j], tl->rank_by))
            rank_m = j;
    }
    /* places by the rank metric, then by the whole network's name */
    for (size_t p = 0; p < nv; p++)
        order[p] = p;
    names = malloc((nv ? nv : 1) * sizeof *names);
    if (!names) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t p = 0; p < nv; p++)
        names[p] = net->g.name[pv->place[p]];
    rank_ctx_t rc = {val[rank_m], names};
    qsort_r(order, nv, sizeof *order, by_rank, &rc);
    free(names);
    names = NULL;
    /* the top place by strength */
    const double *strength = m->strength;
    size_t top = (size_t)-1;
    for (size_t p = 0; p < nv; p++)
        if (top == (size_t)-1 || strength[p] > strength[top] ||
            (strength[p] == strength[top] &&
             strcmp(net->g.name[pv->place[p]], net->g.name[pv->place[top]]) < 0))
            top = p;
    r->top_place = top == (size_t)-1 ? (size_t)-1 : pv->place[top];
    if ((st = entries_grow(tl, tl->n_entries + nv, cap, err)))
        goto cleanup;
    for (size_t i = 0; i < nv; i++) {
        size_t p = order[i], e = tl->n_entries++;
        tl->entry_period[e] = k;
        tl->entry_place[e] = pv->place[p];
        for (size_t j = 0; j < tl->n_metrics; j++)
            tl->value[j][e] = val[j] ? val[j][p] : NAN;
        /* competition ranking: equal values share the best rank */
        double x = val[rank_m][p];
        if (i > 0 &&
            (val[rank_m][order[i - 1]] == x || (isnan(x) && isnan(val[rank_m][order[i - 1]]))))
            tl->rank[e] = tl->rank[e - 1];
        else
            tl->rank[e] = (double)(i + 1);
        size_t w = pv->place[p];
        if (tl->first[w] == (size_t)-1)
            tl->first[w] = k;
        tl->last[w] = k;
    }
cleanup:
    for (size_t j = 0; j < tl->n_metrics; j++)
        if (owned[j])
            free((void *)val[j]);
    free(names);
    free(order);
    free(mean);
    free(max);
    free(len);
    return st;
}

/* Tie lengths and countries of the whole network's edges, once (no touch test: the timeline
 * does not report neighbours). */
static pm_status_t whole_lengths(const pm_net_t *net, pm_spatial_t *sp, pm_error_t *err)
{
    pm_spatial_opts_t so;
    pm_spatial_opts_init(&so);
    so.no_touch = 1;
    return pm_net_spatial_ex(net, &so, sp, err);
}

/* Finishes the period whose path pass runs (if any), measures it and frees its view. */
static pm_status_t finish_pending(const pm_net_t *net, const pm_spatial_t *sp,
                                  const pm_timeline_opts_t *o, period_view_t *pv, size_t *pending,
                                  pm_timeline_t *tl, size_t *cap, pm_error_t *err)
{
    if (*pending == (size_t)-1)
        return PM_OK;
    pm_status_t st = pm_metrics_finish(&pv->v.m, err);
    if (!st)
        st = measure(net, sp, *pending, pv, tl, cap, err);
    if (!st && o->on_period)
        st = o->on_period(o->on_period_ctx, *pending, &pv->v, pv->rows, err);
    view_free(pv);
    *pending = (size_t)-1;
    return st;
}

static int this_year(const pm_timeline_opts_t *o)
{
    if (o->this_year)
        return o->this_year;
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return PM_YEAR_MAX;
    return tm.tm_year + 1900;
}

/* Warnings about the rows, once each, with their count and the first line. */
static void warn_rows(const pm_net_t *net, const pm_timeline_opts_t *o, pm_timeline_t *tl,
                      pm_diag_t *diag)
{
    const pm_ties_t *t = &net->ties;
    int now = this_year(o);
    size_t late = 0;
    long late_line = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->start[i] == PM_YEAR_NONE) {
            if (!tl->n_undated++)
                tl->undated_line = t->line[i];
        } else if (t->start[i] > now) {
            if (!tl->n_future++)
                tl->future_line = t->line[i];
        }
        if (o->open_end != PM_PERIOD_OPEN && t->start[i] != PM_YEAR_NONE &&
            t->end[i] == PM_YEAR_NONE && t->start[i] > o->open_end && !late++)
            late_line = t->line[i];
    }
    const char *unit = t->line_is_row ? "row" : "line";
    char where[64];
    if (tl->n_undated) {
        snprintf(where, sizeof where, "%s %ld", unit, tl->undated_line);
        pm_diag_add(diag, t->path, "%zu tie%s without a start year (the first on %s) %s; %s",
                    tl->n_undated, tl->n_undated == 1 ? "" : "s", where,
                    o->undated == PM_UNDATED_ALL ? "counted in every period"
                                                 : "left out of every period",
                    o->undated == PM_UNDATED_ALL
                        ? "give them a year, or leave them out with --undated drop"
                        : "give them a year, or count them in every period with --undated all");
    }
    if (tl->n_future) {
        snprintf(where, sizeof where, "%s %ld", unit, tl->future_line);
        pm_diag_add(diag, t->path,
                    "%zu tie%s start%s after this year, %d (the first on %s): planned, or a "
                    "typing error? counted in the periods they overlap",
                    tl->n_future, tl->n_future == 1 ? "" : "s", tl->n_future == 1 ? "s" : "", now,
                    where);
    }
    if (late) {
        snprintf(where, sizeof where, "%s %ld", unit, late_line);
        pm_diag_add(diag, t->path,
                    "%zu open tie%s start after --open-end %d (the first on %s): each counts in "
                    "its start year only",
                    late, late == 1 ? "" : "s", o->open_end, where);
    }
    /* a join decided by a year holds for every period */
    size_t by_year = 0;
    for (size_t q = 0; net->geo && q < net->join.n; q++)
        by_year += net->join.m[q].note && strstr(net->join.m[q].note, "year ") != NULL;
    if (by_year)
        pm_diag_add(diag, t->path,
                    "%zu place name%s matched by the first period's year (historical units): "
                    "the same unit stands in every period; give the country to decide instead",
                    by_year, by_year == 1 ? " was" : "s were");
}

/* New and ended ties: per edge of the whole network, the first start and the last end of its
 * rows that the timeline uses (an undated row counted in every period has neither). */
static pm_status_t edge_spans(const pm_net_t *net, const pm_timeline_opts_t *o, int **first,
                              int **last, pm_error_t *err)
{
    size_t ne = net->g.n_edges;
    int *a = malloc((ne ? ne : 1) * sizeof *a), *b = malloc((ne ? ne : 1) * sizeof *b);
    unsigned char *seen = calloc(ne ? ne : 1, 1);
    if (!a || !b || !seen) {
        free(a);
        free(b);
        free(seen);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    const pm_ties_t *t = &net->ties;
    for (size_t i = 0; i < t->n; i++) {
        size_t e = net->g.tie_edge[i];
        if (e == (size_t)-1)
            continue;
        int s = t->start[i], end = t->end[i];
        if (s == PM_YEAR_NONE && o->undated == PM_UNDATED_DROP)
            continue;
        if (s == PM_YEAR_NONE) { /* always active: never new, never ended */
            s = INT_MIN + 1;
            end = INT_MAX;
        } else if (end == PM_YEAR_NONE) {
            end = o->open_end != PM_PERIOD_OPEN ? (o->open_end > s ? o->open_end : s) : INT_MAX;
        }
        if (!seen[e] || s < a[e])
            a[e] = s;
        if (!seen[e] || end > b[e])
            b[e] = end;
        seen[e] = 1;
    }
    for (size_t e = 0; e < ne; e++)
        if (!seen[e])
            a[e] = INT_MAX, b[e] = INT_MIN;
    free(seen);
    *first = a;
    *last = b;
    return PM_OK;
}

static pm_status_t pick_metrics(const pm_net_t *net, const pm_timeline_opts_t *o, pm_timeline_t *tl,
                                pm_error_t *err)
{
    for (size_t i = 0; i < pm_metric_count(); i++) {
        const pm_metric_info_t *mi = pm_metric_at(i);
        if (!mi->exported || ((mi->needs & PM_METRIC_NEEDS_DIRECTED) && !net->g.directed) ||
            ((mi->needs & PM_METRIC_NEEDS_GEO) && !net->geo))
            continue;
        if (tl->n_metrics < PM_TIMELINE_MAX_METRICS)
            tl->metric[tl->n_metrics++] = mi->name;
    }
    tl->rank_by = NULL;
    const char *want = o->rank_by ? o->rank_by : "strength";
    for (size_t j = 0; j < tl->n_metrics; j++)
        if (!strcmp(tl->metric[j], want))
            tl->rank_by = tl->metric[j];
    if (!tl->rank_by)
        return pm_error_set(err, PM_EUSAGE,
                            "'%s': not a metric of the places; rank by degree, strength, "
                            "betweenness, closeness, eigenvector, pagerank%s",
                            want, net->geo ? ", mean_tie_km or max_tie_km" : "");
    return PM_OK;
}

pm_status_t pm_timeline_compute(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                const pm_timeline_opts_t *o, pm_timeline_t *out, pm_diag_t *diag,
                                pm_error_t *err)
{
    pm_timeline_t tl;
    memset(&tl, 0, sizeof tl);
    pm_spatial_t sp;
    pm_spatial_init(&sp);
    int have_sp = 0, *efirst = NULL, *elast = NULL;
    size_t cap = 0, *rows = NULL;
    pm_period_t *periods = NULL;
    const pm_ties_t *t = &net->ties;
    pm_metrics_opts_t mopts = *mo;
    mopts.defer_paths = 1;
    period_view_t views[2];
    memset(views, 0, sizeof views);
    size_t pending = (size_t)-1; /* the period whose path pass runs, in views[pslot] */
    int pslot = 0;
    pm_status_t st = pm_timeline_periods(o, t, &periods, &tl.n_periods, err);
    if (st)
        goto cleanup;
    if ((st = pick_metrics(net, o, &tl, err)))
        goto cleanup;
    warn_rows(net, o, &tl, diag);
    tl.undated_all = o->undated == PM_UNDATED_ALL;
    tl.n_places = net->g.n_nodes;
    tl.row = calloc(tl.n_periods ? tl.n_periods : 1, sizeof *tl.row);
    tl.first = malloc((tl.n_places ? tl.n_places : 1) * sizeof *tl.first);
    tl.last = malloc((tl.n_places ? tl.n_places : 1) * sizeof *tl.last);
    rows = malloc((t->n ? t->n : 1) * sizeof *rows);
    if (!tl.row || !tl.first || !tl.last || !rows) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t p = 0; p < tl.n_places; p++)
        tl.first[p] = tl.last[p] = (size_t)-1;
    if (net->geo && net->node_q) {
        if ((st = whole_lengths(net, &sp, err)))
            goto cleanup;
        have_sp = 1;
    }
    if ((st = edge_spans(net, o, &efirst, &elast, err)))
        goto cleanup;
    for (size_t k = 0; k < tl.n_periods; k++) {
        if (o->parts > 1 && k % o->parts != o->part)
            continue; /* another process's period */
        pm_period_t per = periods[k];
        pm_timeline_row_t *r = &tl.row[k];
        r->period = per;
        r->total_weight = r->density = r->largest_share = r->modularity = NAN;
        r->mean_km = r->cross_border_share = NAN;
        r->top_place = (size_t)-1;
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
            if (pm_period_active(&per, t->start[i], t->end[i], o->open_end, o->undated))
                rows[n++] = i;
        }
        tl.n_used += n;
        r->rows = n;
        for (size_t e = 0; e < net->g.n_edges; e++) {
            r->new_ties += efirst[e] >= per.from && efirst[e] <= per.to;
            r->ended_ties += elast[e] >= per.from && elast[e] <= per.to;
        }
        if (n == 0)
            continue;
        size_t *mine = malloc(n * sizeof *mine);
        if (!mine) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        memcpy(mine, rows, n * sizeof *mine);
        int slot = pending == (size_t)-1 ? 0 : 1 - pslot; /* not the pending one's */
        period_view_t *pv = &views[slot];
        int empty = 0;
        if (!(st = view_make(net, mine, n, pv, err)) && !(st = view_build(net, pv, &empty, err)) &&
            !empty)
            st = pm_metrics_compute(&pv->v.g, &mopts, &pv->v.m, err);
        if (st || empty) {
            view_free(pv);
            if (st)
                goto cleanup;
            continue;
        }
        /* this period's paths run in the background while the one before is finished and
         * measured and the next one built and measured by igraph on this thread */
        if ((st = finish_pending(net, have_sp ? &sp : NULL, o, &views[pslot], &pending, &tl, &cap,
                                 err)))
            goto cleanup;
        pending = k;
        pslot = slot;
    }
    if ((st =
             finish_pending(net, have_sp ? &sp : NULL, o, &views[pslot], &pending, &tl, &cap, err)))
        goto cleanup;
    *out = tl;
    memset(&tl, 0, sizeof tl);
cleanup:
    view_free(&views[0]); /* waits for a pass still running */
    view_free(&views[1]);
    pm_timeline_destroy(&tl);
    pm_spatial_destroy(&sp);
    free(efirst);
    free(elast);
    free(rows);
    free(periods);
    return st;
}

void pm_timeline_destroy(pm_timeline_t *tl)
{
    if (!tl)
        return;
    free(tl->row);
    free(tl->entry_period);
    free(tl->entry_place);
    for (size_t j = 0; j < PM_TIMELINE_MAX_METRICS; j++)
        free(tl->value[j]);
    free(tl->rank);
    free(tl->first);
    free(tl->last);
    memset(tl, 0, sizeof *tl);
}
