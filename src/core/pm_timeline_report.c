/*
 * pm_timeline_report: the timeline's two tables through pm_report (see pm_timeline.h): the whole
 * network per period, and the places per period (long).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_metric.h"
#include "pm_timeline.h"
#include "pm_timeline_table.h"

#define LABEL 32

#define ITEM(k, l, v, nt)                                                                          \
    (pm_report_item_t)                                                                             \
    {                                                                                              \
        k, l, PM_COL_INT, 0, (double)(v), NULL, nt                                                 \
    }

pm_status_t pm_timeline_table_init(pm_timeline_table_t *tt, const pm_timeline_t *tl,
                                   pm_error_t *err)
{
    memset(tt, 0, sizeof *tt);
    tt->tl = tl;
    size_t n = tl->n_periods ? tl->n_periods : 1;
    tt->label_block = malloc(n * LABEL);
    tt->labels = malloc(n * sizeof *tt->labels);
    tt->order = malloc(n * sizeof *tt->order);
    if (!tt->label_block || !tt->labels || !tt->order) {
        pm_timeline_table_destroy(tt);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < tl->n_periods; k++) {
        pm_period_label(tl->row[k].period, tt->label_block + k * LABEL, LABEL);
        tt->labels[k] = tt->label_block + k * LABEL;
        tt->order[k] = k;
    }
    pm_report_item_t *it = tt->items;
    it[tt->n_items++] = ITEM("periods", "periods", tl->n_periods, NULL);
    if (tl->n_periods) {
        snprintf(tt->span, sizeof tt->span, "%d-%d", tl->row[0].period.from,
                 tl->row[tl->n_periods - 1].period.to);
        it[tt->n_items++] = (pm_report_item_t){"span", "years", PM_COL_TEXT, 0, 0, tt->span, NULL};
    }
    if (tl->n_undated)
        it[tt->n_items++] = ITEM("undated_ties", "ties without a start year", tl->n_undated,
                                 tl->undated_all ? "counted in every period: --undated all"
                                                 : "left out: --undated drop");
    return PM_OK;
}

pm_status_t pm_timeline_table_write(const pm_timeline_table_t *tt, const char *title,
                                    const pm_report_col_t *cols, size_t nc, pm_format_t fmt,
                                    pm_buf_t *out, pm_error_t *err)
{
    size_t n = tt->tl->n_periods;
    pm_report_t rep = {
        title, tt->items, tt->n_items, cols, nc, tt->order, n, n, "the network by period"};
    return pm_report_write(&rep, fmt, out, err);
}

void pm_timeline_table_destroy(pm_timeline_table_t *tt)
{
    free(tt->label_block);
    free(tt->labels);
    free(tt->order);
    tt->label_block = NULL;
    tt->labels = NULL;
    tt->order = NULL;
}

pm_status_t pm_timeline_write_network(const pm_timeline_t *tl, const pm_net_t *net, pm_format_t fmt,
                                      const char *title, pm_buf_t *out, pm_error_t *err)
{
    size_t n = tl->n_periods, np = n ? n : 1;
    pm_timeline_table_t tt;
    pm_status_t st = pm_timeline_table_init(&tt, tl, err);
    if (st)
        return st;
    const char **top = calloc(np, sizeof *top);
    double *num = malloc(13 * np * sizeof *num);
    if (!top || !num) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    double *c[13];
    for (int j = 0; j < 13; j++)
        c[j] = num + (size_t)j * np;
    for (size_t k = 0; k < n; k++) {
        const pm_timeline_row_t *r = &tl->row[k];
        double v[13] = {r->period.from,       r->period.to,        (double)r->places,
                        (double)r->ties,      (double)r->new_ties, (double)r->ended_ties,
                        r->total_weight,      r->density,          (double)r->components,
                        r->largest_share,     r->modularity,       r->mean_km,
                        r->cross_border_share};
        for (int j = 0; j < 13; j++)
            c[j][k] = v[j];
        top[k] = r->top_place == (size_t)-1 ? "" : net->g.name[r->top_place];
    }
    pm_report_col_t cols[16] = {
        {"period", NULL, PM_COL_TEXT, 0, NULL, tt.labels},
        {"from", NULL, PM_COL_INT, 0, c[0], NULL},
        {"to", NULL, PM_COL_INT, 0, c[1], NULL},
        {"places", NULL, PM_COL_INT, 0, c[2], NULL},
        {"ties", NULL, PM_COL_INT, 0, c[3], NULL},
        {"new_ties", "new", PM_COL_INT, 0, c[4], NULL},
        {"ended_ties", "ended", PM_COL_INT, 0, c[5], NULL},
        {"total_weight", "weight", PM_COL_REAL, 2, c[6], NULL},
        {"density", NULL, PM_COL_REAL, 4, c[7], NULL},
        {"components", "comp.", PM_COL_INT, 0, c[8], NULL},
        {"largest_component_share", "largest", PM_COL_REAL, 3, c[9], NULL},
        {"modularity", "modul.", PM_COL_REAL, 3, c[10], NULL},
    };
    size_t nc = 12;
    if (net->geo) {
        cols[nc++] = (pm_report_col_t){"mean_tie_km", "mean km", PM_COL_REAL, 0, c[11], NULL};
        cols[nc++] =
            (pm_report_col_t){"cross_border_share", "cross-border", PM_COL_REAL, 3, c[12], NULL};
    }
    cols[nc++] = (pm_report_col_t){"top_place", "top place (strength)", PM_COL_TEXT, 0, NULL, top};
    st = pm_timeline_table_write(&tt, title, cols, nc, fmt, out, err);
cleanup:
    pm_timeline_table_destroy(&tt);
    free(top);
    free(num);
    return st;
}

pm_status_t pm_timeline_write_places(const pm_timeline_t *tl, const pm_net_t *net, pm_format_t fmt,
                                     const char *title, pm_buf_t *out, pm_error_t *err)
{
    size_t n = tl->n_entries, ne = n ? n : 1;
    pm_timeline_table_t tt = {0}; /* the period labels and the summary items */
    pm_status_t st = PM_OK;
    const char **text = calloc(6 * ne, sizeof *text);
    double *years = malloc(2 * ne * sizeof *years);
    size_t *order = malloc(ne * sizeof *order);
    if (!text || !years || !order)
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
    if (st || (st = pm_timeline_table_init(&tt, tl, err)))
        goto cleanup;
    const char **labels = tt.labels;
    const char **per = text, **place = text + ne, **unit = text + 2 * ne, **first = text + 3 * ne,
               **last = text + 4 * ne, **group = text + 5 * ne;
    for (size_t e = 0; e < n; e++) {
        size_t k = tl->entry_period[e], p = tl->entry_place[e];
        per[e] = labels[k];
        years[e] = tl->row[k].period.from;
        years[ne + e] = tl->row[k].period.to;
        place[e] = net->g.name[p];
        group[e] = net->g.group ? net->g.group[p] : NULL;
        const pm_join_match_t *jm = pm_net_match(net, p);
        unit[e] = jm && jm->code ? jm->code : "";
        first[e] = tl->first[p] == (size_t)-1 ? "" : labels[tl->first[p]];
        last[e] = tl->last[p] == (size_t)-1 ? "" : labels[tl->last[p]];
        order[e] = e;
    }
    pm_report_col_t cols[PM_TIMELINE_MAX_METRICS + 10] = {
        {"period", NULL, PM_COL_TEXT, 0, NULL, per},
        {"from", NULL, PM_COL_INT, 0, years, NULL},
        {"to", NULL, PM_COL_INT, 0, years + ne, NULL},
        {"place", NULL, PM_COL_TEXT, 0, NULL, place},
    };
    size_t nc = 4;
    if (net->g.group)
        cols[nc++] = (pm_report_col_t){"group", NULL, PM_COL_TEXT, 0, NULL, group};
    if (net->geo)
        cols[nc++] = (pm_report_col_t){"unit", NULL, PM_COL_TEXT, 0, NULL, unit};
    for (size_t j = 0; j < tl->n_metrics; j++) {
        const pm_metric_info_t *mi = pm_metric_find(tl->metric[j]);
        cols[nc++] = (pm_report_col_t){tl->metric[j],
                                       mi ? mi->header : NULL,
                                       mi && mi->kind == PM_METRIC_REAL ? PM_COL_REAL : PM_COL_INT,
                                       mi ? mi->decimals : 4,
                                       tl->value[j],
                                       NULL};
    }
    cols[nc++] = (pm_report_col_t){"rank", NULL, PM_COL_INT, 0, tl->rank, NULL};
    cols[nc++] = (pm_report_col_t){"first_period", "first", PM_COL_TEXT, 0, NULL, first};
    cols[nc++] = (pm_report_col_t){"last_period", "last", PM_COL_TEXT, 0, NULL, last};
    char caption[96];
    snprintf(caption, sizeof caption, "places by period, ranked by %s", tl->rank_by);
    pm_report_t rep = {title, tt.items, tt.n_items, cols, nc, order, n, n, caption};
    st = pm_report_write(&rep, fmt, out, err);
cleanup:
    pm_timeline_table_destroy(&tt);
    free(text);
    free(years);
    free(order);
    return st;
}
