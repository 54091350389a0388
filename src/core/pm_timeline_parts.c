/*
 * pm_timeline_parts: a timeline measured in parts (see pm_timeline.h, "parts"). A worker process
 * measures the periods k % parts == part and packs its rows and entries; the first process
 * unpacks the others' and merges all into the timeline one process would have made: every period
 * is measured the same way wherever it runs (the community seed is set per period), so the
 * merged tables are byte for byte those of a single process.
 *
 * The packed form is raw memory of this program (rows are copied whole): it only travels from a
 * forked worker to its parent, never to a file.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_timeline.h"

#define PACK_MAGIC 0x4c544d50u /* "PMTL" */

typedef struct pack_head {
    unsigned magic;
    size_t n_periods, n_entries, n_metrics, n_used;
} pack_head_t;

pm_status_t pm_timeline_pack(const pm_timeline_t *tl, pm_buf_t *out, pm_error_t *err)
{
    pack_head_t h = {PACK_MAGIC, tl->n_periods, tl->n_entries, tl->n_metrics, tl->n_used};
    size_t ne = tl->n_entries;
    pm_buf_append(out, (const char *)&h, sizeof h);
    pm_buf_append(out, (const char *)tl->row, tl->n_periods * sizeof *tl->row);
    if (ne) {
        pm_buf_append(out, (const char *)tl->entry_period, ne * sizeof(size_t));
        pm_buf_append(out, (const char *)tl->entry_place, ne * sizeof(size_t));
        pm_buf_append(out, (const char *)tl->rank, ne * sizeof(double));
        for (size_t m = 0; m < tl->n_metrics; m++)
            pm_buf_append(out, (const char *)tl->value[m], ne * sizeof(double));
    }
    return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory") : PM_OK;
}

/* Takes n bytes from *p (within end) into a new array; NULL when short or out of memory. */
static void *take(const char **p, const char *end, size_t n, int *bad)
{
    if (*bad || (size_t)(end - *p) < n) {
        *bad = 1;
        return NULL;
    }
    void *a = malloc(n ? n : 1);
    if (!a) {
        *bad = 2;
        return NULL;
    }
    memcpy(a, *p, n);
    *p += n;
    return a;
}

pm_status_t pm_timeline_unpack(const char *data, size_t len, pm_timeline_t *out, pm_error_t *err)
{
    pm_timeline_t tl;
    memset(&tl, 0, sizeof tl);
    pack_head_t h;
    if (len < sizeof h)
        return pm_error_set(err, PM_EINTERNAL, "a worker's timeline is cut short");
    memcpy(&h, data, sizeof h);
    if (h.magic != PACK_MAGIC || h.n_metrics > PM_TIMELINE_MAX_METRICS ||
        h.n_periods > PM_PERIOD_MAX)
        return pm_error_set(err, PM_EINTERNAL, "a worker's timeline is not one");
    const char *p = data + sizeof h, *end = data + len;
    int bad = 0;
    size_t ne = h.n_entries;
    if (ne > len) /* each entry takes more than a byte */
        bad = 1;
    tl.n_periods = h.n_periods;
    tl.n_entries = ne;
    tl.n_metrics = h.n_metrics;
    tl.n_used = h.n_used;
    tl.row = take(&p, end, h.n_periods * sizeof *tl.row, &bad);
    tl.entry_period = take(&p, end, ne * sizeof(size_t), &bad);
    tl.entry_place = take(&p, end, ne * sizeof(size_t), &bad);
    tl.rank = take(&p, end, ne * sizeof(double), &bad);
    for (size_t m = 0; m < h.n_metrics; m++)
        tl.value[m] = take(&p, end, ne * sizeof(double), &bad);
    if (!bad && p != end)
        bad = 1;
    if (bad) {
        pm_timeline_destroy(&tl);
        return bad == 2 ? pm_error_set(err, PM_ENOMEM, "out of memory")
                        : pm_error_set(err, PM_EINTERNAL, "a worker's timeline is cut short");
    }
    *out = tl;
    return PM_OK;
}

pm_status_t pm_timeline_merge(const pm_timeline_t *parts, size_t n, pm_timeline_t *out,
                              pm_error_t *err)
{
    const pm_timeline_t *a = &parts[0];
    pm_timeline_t tl;
    memset(&tl, 0, sizeof tl);
    size_t ne = 0, *at = calloc(n ? n : 1, sizeof *at);
    pm_status_t st = PM_OK;
    if (!at)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (parts[i].n_periods != a->n_periods || parts[i].n_metrics != a->n_metrics) {
            st = pm_error_set(err, PM_EINTERNAL, "the workers' timelines do not fit together");
            goto cleanup;
        }
        ne += parts[i].n_entries;
        tl.n_used += parts[i].n_used;
    }
    tl.n_periods = a->n_periods;
    tl.n_metrics = a->n_metrics;
    memcpy(tl.metric, a->metric, sizeof tl.metric);
    tl.rank_by = a->rank_by;
    tl.n_places = a->n_places;
    tl.n_undated = a->n_undated;
    tl.n_future = a->n_future;
    tl.undated_line = a->undated_line;
    tl.future_line = a->future_line;
    tl.undated_all = a->undated_all;
    tl.n_entries = ne;
    tl.row = malloc((tl.n_periods ? tl.n_periods : 1) * sizeof *tl.row);
    tl.entry_period = malloc((ne ? ne : 1) * sizeof(size_t));
    tl.entry_place = malloc((ne ? ne : 1) * sizeof(size_t));
    tl.rank = malloc((ne ? ne : 1) * sizeof(double));
    tl.first = malloc((tl.n_places ? tl.n_places : 1) * sizeof(size_t));
    tl.last = malloc((tl.n_places ? tl.n_places : 1) * sizeof(size_t));
    int ok = tl.row && tl.entry_period && tl.entry_place && tl.rank && tl.first && tl.last;
    for (size_t m = 0; m < tl.n_metrics && ok; m++)
        ok = (tl.value[m] = malloc((ne ? ne : 1) * sizeof(double))) != NULL;
    if (!ok) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t w = 0; w < tl.n_places; w++)
        tl.first[w] = tl.last[w] = (size_t)-1;
    size_t e = 0;
    for (size_t k = 0; k < tl.n_periods; k++) {
        const pm_timeline_t *p = &parts[k % n];
        size_t *c = &at[k % n];
        tl.row[k] = p->row[k];
        for (; *c < p->n_entries && p->entry_period[*c] == k; (*c)++, e++) {
            size_t w = p->entry_place[*c];
            if (w >= tl.n_places) {
                st = pm_error_set(err, PM_EINTERNAL, "a worker's timeline names no place");
                goto cleanup;
            }
            tl.entry_period[e] = k;
            tl.entry_place[e] = w;
            tl.rank[e] = p->rank[*c];
            for (size_t m = 0; m < tl.n_metrics; m++)
                tl.value[m][e] = p->value[m][*c];
            if (tl.first[w] == (size_t)-1)
                tl.first[w] = k;
            tl.last[w] = k;
        }
    }
    if (e != ne) {
        st = pm_error_set(err, PM_EINTERNAL, "the workers' timelines do not fit together");
        goto cleanup;
    }
    *out = tl;
    memset(&tl, 0, sizeof tl);
cleanup:
    pm_timeline_destroy(&tl);
    free(at);
    return st;
}
