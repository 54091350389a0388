/*
 * pm_batch_summary: the batch summary, one row per run, from the runs in memory; its CSV; and
 * reading a written summary back through OGR for merging the summaries of shards (see
 * pm_batch.h).
 */
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_batch.h"
#include "pm_report.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"

const char *const pm_batch_summary_keys[PM_BATCH_SUMMARY_KEYS] = {
    "places",        "ties",
    "total_weight",  "density",
    "components",    "largest_component_share",
    "diameter",      "average_path_length",
    "transitivity",  "communities",
    "modularity",    "tie_length_median_km",
    "share_domestic"};

int pm_batch_summary_index(const char *key)
{
    for (int k = 0; key && k < PM_BATCH_SUMMARY_KEYS; k++)
        if (!strcmp(pm_batch_summary_keys[k], key))
            return k;
    return -1;
}

static const char *status_name(pm_batch_status_t s)
{
    return s == PM_BATCH_OK ? "ok" : s == PM_BATCH_SKIPPED ? "skipped" : "failed";
}

pm_status_t pm_batch_job_row(const pm_batch_job_t *j, pm_batch_row_t *row, pm_error_t *err)
{
    memset(row, 0, sizeof *row);
    row->index = j->index;
    snprintf(row->name, sizeof row->name, "%s", j->name);
    snprintf(row->status, sizeof row->status, "%s", status_name(j->status));
    snprintf(row->reason, sizeof row->reason, "%s", j->reason);
    if (j->status == PM_BATCH_FAILED || !j->loaded)
        return PM_OK;
    const pm_spatial_t *sp = j->data.have_spatial ? &j->data.spatial : NULL;
    for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++)
        pm_net_summary_value(&j->net, &j->net_opts.metrics, sp, pm_batch_summary_keys[k],
                             row->values[k], sizeof row->values[k]);
    pm_buf_t b;
    pm_buf_init(&b);
    pm_status_t st = pm_net_top_places(&j->net, 3, &b, err);
    if (!st)
        snprintf(row->top, sizeof row->top, "%s", pm_buf_str(&b));
    pm_buf_destroy(&b);
    return st;
}

void pm_batch_summary_csv(const pm_batch_row_t *rows, size_t n, pm_buf_t *b)
{
    pm_buf_puts(b, "index,run,status");
    for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++)
        pm_buf_printf(b, ",%s", pm_batch_summary_keys[k]);
    pm_buf_puts(b, ",top_places,reason\n");
    for (size_t i = 0; i < n; i++) {
        pm_buf_printf(b, "%zu,", rows[i].index);
        pm_csv_field(b, rows[i].name, ',');
        pm_buf_printf(b, ",%s", rows[i].status);
        for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++) {
            pm_buf_putc(b, ',');
            pm_csv_field(b, rows[i].values[k], ',');
        }
        pm_buf_putc(b, ',');
        pm_csv_field(b, rows[i].top, ',');
        pm_buf_putc(b, ',');
        pm_csv_field(b, rows[i].reason, ',');
        pm_buf_putc(b, '\n');
    }
}

static int cmp_rows(const void *a, const void *b)
{
    const pm_batch_row_t *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

void pm_batch_rows_sort(pm_batch_row_t *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, cmp_rows);
}

/* The summary's columns in the layer, in pm_batch_row_t order: index, run, status, the keys,
 * top_places, reason. */
#define N_COLS (PM_BATCH_SUMMARY_KEYS + 5)

static pm_status_t find_columns(OGRFeatureDefnH defn, const char *file, int *col, pm_error_t *err)
{
    const char *fixed[] = {"index", "run", "status"};
    for (int k = 0; k < N_COLS; k++) {
        const char *name = k < 3                            ? fixed[k]
                           : k < 3 + PM_BATCH_SUMMARY_KEYS  ? pm_batch_summary_keys[k - 3]
                           : k == 3 + PM_BATCH_SUMMARY_KEYS ? "top_places"
                                                            : "reason";
        col[k] = OGR_FD_GetFieldIndex(defn, name);
        if (col[k] < 0)
            return pm_error_set(err, PM_EDATA,
                                "%s: not a partnermap batch summary (no column '%s')", file, name);
    }
    return PM_OK;
}

pm_status_t pm_batch_summary_read(const char *dir, pm_batch_row_t **rows, size_t *n,
                                  pm_error_t *err)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/summary.csv", dir);
    const char *text_opts[] = {"AUTODETECT_TYPE=NO", "HEADERS=YES", "KEEP_GEOM_COLUMNS=YES", NULL};
    const char *drivers[] = {"CSV", NULL};
    pm_runtime_gdal_reset();
    GDALDatasetH ds = GDALOpenEx(file, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                 drivers, text_opts, NULL);
    if (!ds)
        return pm_error_set(err, PM_EIO, "cannot read '%s': %s", file, pm_runtime_gdal_msg());
    pm_status_t st = PM_OK;
    OGRLayerH layer = GDALDatasetGetLayerCount(ds) ? GDALDatasetGetLayer(ds, 0) : NULL;
    int col[N_COLS];
    if (!layer)
        st = pm_error_set(err, PM_EDATA, "%s: not a partnermap batch summary", file);
    else
        st = find_columns(OGR_L_GetLayerDefn(layer), file, col, err);
    OGRFeatureH f;
    while (!st && (f = OGR_L_GetNextFeature(layer)) != NULL) {
        pm_batch_row_t *nr = realloc(*rows, (*n + 1) * sizeof *nr);
        if (!nr) {
            OGR_F_Destroy(f);
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            break;
        }
        *rows = nr;
        pm_batch_row_t *r = &nr[*n];
        memset(r, 0, sizeof *r);
        const char *idx = OGR_F_GetFieldAsString(f, col[0]);
        char *end;
        unsigned long v = strtoul(idx, &end, 10);
        if (!*idx || *end) {
            st = pm_error_set(err, PM_EDATA, "%s:%ld: index '%s' is not a whole number", file,
                              (long)OGR_F_GetFID(f) + 1, idx);
            OGR_F_Destroy(f);
            break;
        }
        r->index = (size_t)v;
        snprintf(r->name, sizeof r->name, "%s", OGR_F_GetFieldAsString(f, col[1]));
        snprintf(r->status, sizeof r->status, "%s", OGR_F_GetFieldAsString(f, col[2]));
        for (size_t k = 0; k < PM_BATCH_SUMMARY_KEYS; k++)
            snprintf(r->values[k], sizeof r->values[k], "%s",
                     OGR_F_GetFieldAsString(f, col[3 + k]));
        snprintf(r->top, sizeof r->top, "%s",
                 OGR_F_GetFieldAsString(f, col[3 + PM_BATCH_SUMMARY_KEYS]));
        snprintf(r->reason, sizeof r->reason, "%s",
                 OGR_F_GetFieldAsString(f, col[4 + PM_BATCH_SUMMARY_KEYS]));
        (*n)++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return st;
}
