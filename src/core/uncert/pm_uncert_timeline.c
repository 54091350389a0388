/*
 * pm_uncert_timeline: the intervals of a timeline's network statistics (see
 * pm_uncert_timeline.h). Uses the public pm_uncert API only.
 */
#include "pm_uncert_timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_timeline_table.h"

static const char *const tl_keys[PM_UNCERT_TL_STATS] = {
    "ties", "total_weight", "density", "components", "largest_component_share", "modularity"};

void pm_uncert_timeline_init(pm_uncert_timeline_t *ut, const pm_net_t *whole,
                             const pm_metrics_opts_t *mo, const pm_uncert_opts_t *o,
                             double interval)
{
    memset(ut, 0, sizeof *ut);
    ut->whole = whole;
    ut->mo = mo;
    ut->o = *o;
    /* one cheap per-place metric: only the network statistics are kept */
    ut->o.n_metrics = 1;
    ut->o.metrics[0] = "degree";
    ut->o.shard_k = ut->o.shard_n = 0;
    ut->o.observed_only = 0;
    ut->interval = interval;
}

void pm_uncert_timeline_destroy(pm_uncert_timeline_t *ut)
{
    if (!ut)
        return;
    free(ut->have);
    free(ut->stat);
    ut->have = NULL;
    ut->stat = NULL;
    ut->n = 0;
}

static pm_status_t grow(pm_uncert_timeline_t *ut, size_t k, pm_error_t *err)
{
    if (k < ut->n)
        return PM_OK;
    unsigned char *h = realloc(ut->have, k + 1);
    if (!h)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    ut->have = h;
    pm_uncert_stat_t(*s)[PM_UNCERT_TL_STATS] = realloc(ut->stat, (k + 1) * sizeof *s);
    if (!s)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    ut->stat = s;
    memset(ut->have + ut->n, 0, k + 1 - ut->n);
    ut->n = k + 1;
    return PM_OK;
}

pm_status_t pm_uncert_timeline_period(void *ctx, size_t k, const pm_net_t *view, const size_t *rows,
                                      pm_error_t *err)
{
    pm_uncert_timeline_t *ut = ctx;
    const pm_net_t *whole = ut->whole;
    size_t m = whole->ties.n;
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    pm_uncert_summary_t s;
    memset(&s, 0, sizeof s);
    pm_status_t st = grow(ut, k, err);
    size_t *edge = malloc((m ? m : 1) * sizeof *edge);
    if (!st && !edge)
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
    if (st)
        goto cleanup;
    /* the period's graph over every row of the table: rows outside it join no tie, so every
     * period's replicate r draws over the same rows */
    for (size_t i = 0; i < m; i++)
        edge[i] = (size_t)-1;
    for (size_t j = 0; j < view->ties.n; j++)
        edge[rows[j]] = view->g.tie_edge[j];
    pm_net_t v = *view;
    v.ties = whole->ties;
    v.g.tie_edge = edge;
    v.g.tie_from = v.g.tie_to = NULL; /* not the rows of this table */
    if ((st = pm_uncert_run(&v, ut->mo, &ut->o, &u, err)) ||
        (st = pm_uncert_summarise(&u, ut->interval, 1, &s, err)))
        goto cleanup;
    for (size_t j = 0; j < PM_UNCERT_TL_STATS; j++) {
        size_t at = 0;
        while (at < PM_UNCERT_N_NETWORK && strcmp(pm_uncert_network_keys[at], tl_keys[j]))
            at++;
        if (at == PM_UNCERT_N_NETWORK) {
            st = pm_error_set(err, PM_EINTERNAL, "no network statistic '%s'", tl_keys[j]);
            goto cleanup;
        }
        ut->stat[k][j] = s.network[at];
    }
    ut->have[k] = 1;
    ut->dropped_all += u.n_dropped_all;
cleanup:
    free(edge);
    pm_uncert_summary_destroy(&s);
    pm_uncert_destroy(&u);
    return st;
}

/* ---- the table ------------------------------------------------------------------------------ */

#define CELL 64

static const struct {
    const char *label;
    pm_col_kind_t kind;
    int dec;
} tl_cols[PM_UNCERT_TL_STATS] = {{"ties", PM_COL_INT, 0},     {"weight", PM_COL_REAL, 2},
                                 {"density", PM_COL_REAL, 4}, {"comp.", PM_COL_INT, 0},
                                 {"largest", PM_COL_REAL, 3}, {"modul.", PM_COL_REAL, 3}};

/* The observed value of statistic j (tl_keys) in row r of the timeline. */
static double observed(const pm_timeline_row_t *r, size_t j)
{
    switch (j) {
    case 0:
        return (double)r->ties;
    case 1:
        return r->total_weight;
    case 2:
        return r->density;
    case 3:
        return (double)r->components;
    case 4:
        return r->largest_share;
    default:
        return r->modularity;
    }
}

/* "v [lo-hi]" for people. */
static void cell(char *buf, double v, const pm_uncert_stat_t *s, int have, int dec, pm_format_t f)
{
    const char *dash = f == PM_FMT_LATEX ? "--" : "\xe2\x80\x93";
    if (isnan(v))
        snprintf(buf, CELL, "-");
    else if (!have || isnan(s->lo))
        pm_snprintf_c(buf, CELL, "%.*f", dec, v);
    else
        pm_snprintf_c(buf, CELL, "%.*f [%.*f%s%s%s%.*f]", dec, v, dec, s->lo, s->hi < 0 ? " " : "",
                      dash, s->hi < 0 ? " " : "", dec, s->hi);
}

pm_status_t pm_uncert_timeline_write(const pm_timeline_t *tl, const pm_uncert_timeline_t *ut,
                                     const pm_net_t *net, pm_format_t fmt, const char *title,
                                     pm_buf_t *out, pm_error_t *err)
{
    size_t n = tl->n_periods, np = n ? n : 1;
    int people = fmt == PM_FMT_TERMINAL || fmt == PM_FMT_MARKDOWN || fmt == PM_FMT_LATEX;
    pm_timeline_table_t tt;
    pm_status_t st = pm_timeline_table_init(&tt, tl, err);
    if (st)
        return st;
    char *cells = malloc(np * PM_UNCERT_TL_STATS * CELL);
    const char **top = malloc(np * sizeof *top);
    const char **ctext = malloc(np * PM_UNCERT_TL_STATS * sizeof *ctext);
    double *num = malloc((7 + 3 * PM_UNCERT_TL_STATS) * np * sizeof *num);
    if (!cells || !top || !ctext || !num) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    double *from = num, *to = num + np, *places = num + 2 * np, *val = num + 3 * np;
    double *extra = val + 3 * PM_UNCERT_TL_STATS * np; /* new, ended, mean km, cross-border */
    for (size_t k = 0; k < n; k++) {
        const pm_timeline_row_t *r = &tl->row[k];
        from[k] = r->period.from;
        to[k] = r->period.to;
        places[k] = (double)r->places;
        extra[k] = (double)r->new_ties;
        extra[np + k] = (double)r->ended_ties;
        extra[2 * np + k] = r->mean_km;
        extra[3 * np + k] = r->cross_border_share;
        top[k] = r->top_place == (size_t)-1 ? "" : net->g.name[r->top_place];
        int have = k < ut->n && ut->have[k];
        for (size_t j = 0; j < PM_UNCERT_TL_STATS; j++) {
            const pm_uncert_stat_t *s = have ? &ut->stat[k][j] : NULL;
            double v = observed(r, j);
            val[(3 * j) * np + k] = v;
            val[(3 * j + 1) * np + k] = have ? s->lo : NAN;
            val[(3 * j + 2) * np + k] = have ? s->hi : NAN;
            char *c = cells + (k * PM_UNCERT_TL_STATS + j) * CELL;
            cell(c, v, s, have, tl_cols[j].dec, fmt);
            ctext[j * np + k] = c;
        }
    }
    char names[PM_UNCERT_TL_STATS][2][64];
    pm_report_col_t cols[12 + 3 * PM_UNCERT_TL_STATS];
    size_t nc = 0;
    cols[nc++] = (pm_report_col_t){"period", NULL, PM_COL_TEXT, 0, NULL, tt.labels};
    cols[nc++] = (pm_report_col_t){"from", NULL, PM_COL_INT, 0, from, NULL};
    cols[nc++] = (pm_report_col_t){"to", NULL, PM_COL_INT, 0, to, NULL};
    cols[nc++] = (pm_report_col_t){"places", NULL, PM_COL_INT, 0, places, NULL};
    double lo = 50 - ut->interval / 2, hi = 50 + ut->interval / 2;
    for (size_t j = 0; j < PM_UNCERT_TL_STATS; j++) {
        if (j == 1) { /* as the timeline's own table: new and ended ties after the ties */
            cols[nc++] = (pm_report_col_t){"new_ties", "new", PM_COL_INT, 0, extra, NULL};
            cols[nc++] = (pm_report_col_t){"ended_ties", "ended", PM_COL_INT, 0, extra + np, NULL};
        }
        if (people) {
            cols[nc++] = (pm_report_col_t){tl_keys[j], tl_cols[j].label, PM_COL_TEXT, 0,
                                           NULL,       ctext + j * np};
            continue;
        }
        pm_snprintf_c(names[j][0], 64, "%s_q%g", tl_keys[j], lo);
        pm_snprintf_c(names[j][1], 64, "%s_q%g", tl_keys[j], hi);
        int d = tl_cols[j].dec;
        pm_col_kind_t kd = tl_cols[j].kind;
        cols[nc++] = (pm_report_col_t){tl_keys[j], NULL, kd, d, val + (3 * j) * np, NULL};
        /* quantiles of a count interpolate: they are reals */
        cols[nc++] =
            (pm_report_col_t){names[j][0], NULL, PM_COL_REAL, d, val + (3 * j + 1) * np, NULL};
        cols[nc++] =
            (pm_report_col_t){names[j][1], NULL, PM_COL_REAL, d, val + (3 * j + 2) * np, NULL};
    }
    if (net->geo) { /* observed: tie lengths are not simulated */
        cols[nc++] =
            (pm_report_col_t){"mean_tie_km", "mean km", PM_COL_REAL, 0, extra + 2 * np, NULL};
        cols[nc++] = (pm_report_col_t){
            "cross_border_share", "cross-border", PM_COL_REAL, 3, extra + 3 * np, NULL};
    }
    cols[nc++] = (pm_report_col_t){"top_place", "top place (strength)", PM_COL_TEXT, 0, NULL, top};
    char model[512], pct[16];
    pm_snprintf_c(pct, sizeof pct, "%g %%", ut->interval);
    pm_snprintf_c(model, sizeof model,
                  "%zu replicates per period (seed %lu): each tie row kept with p = %g "
                  "(documented) or %g (probable), or its probability column%s%s; one stream per "
                  "replicate over the whole table, so a row dropped in replicate r is dropped in "
                  "every period",
                  ut->o.replicates, ut->o.seed, ut->o.keep_documented, ut->o.keep_probable,
                  ut->o.resample ? "; rows bootstrapped" : "",
                  ut->o.weight_noise > 0 ? "; weights with log-normal noise" : "");
    /* after the timeline's own items (periods, years, undated ties): the model and the interval */
    tt.items[tt.n_items++] =
        (pm_report_item_t){"uncertainty", "uncertainty", PM_COL_TEXT, 0, 0, model, NULL};
    tt.items[tt.n_items++] = (pm_report_item_t){"interval",
                                                "interval",
                                                PM_COL_TEXT,
                                                0,
                                                0,
                                                pct,
                                                "value [lo-hi]: quantiles of the replicates"};
    st = pm_timeline_table_write(&tt, title, cols, nc, fmt, out, err);
cleanup:
    pm_timeline_table_destroy(&tt);
    free(cells);
    free(top);
    free(ctext);
    free(num);
    return st;
}
