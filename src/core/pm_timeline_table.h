/*
 * pm_timeline_table: what the timeline's tables share (private to core): the period column, the
 * summary items (periods, years, undated ties) and the write through pm_report. The network table
 * (pm_timeline_report.c) and its intervals (uncert/pm_uncert_timeline.c) are both built on it, so
 * that they say the same of the periods.
 */
#ifndef PM_TIMELINE_TABLE_H
#define PM_TIMELINE_TABLE_H

#include "pm_report.h"
#include "pm_timeline.h"

#define PM_TIMELINE_TABLE_ITEMS 6 /* the shared items and up to 3 of the caller's */

typedef struct pm_timeline_table {
    const pm_timeline_t *tl;
    char *label_block;   /* "1960-1969" per period */
    const char **labels; /* labels[k]: period k's label, in label_block */
    size_t *order;       /* the rows in period order */
    pm_report_item_t items[PM_TIMELINE_TABLE_ITEMS];
    size_t n_items; /* the shared ones are first; the caller may add up to 3 */
    char span[64];
} pm_timeline_table_t;

/* Fills tt for tl: labels, order and the shared items. On failure (PM_ENOMEM) tt holds nothing
 * to free; on success free it with pm_timeline_table_destroy. */
pm_status_t pm_timeline_table_init(pm_timeline_table_t *tt, const pm_timeline_t *tl,
                                   pm_error_t *err);

/* Writes the table of cols (one row per period, in period order) with tt's items and the caption
 * "the network by period". */
pm_status_t pm_timeline_table_write(const pm_timeline_table_t *tt, const char *title,
                                    const pm_report_col_t *cols, size_t nc, pm_format_t fmt,
                                    pm_buf_t *out, pm_error_t *err);

void pm_timeline_table_destroy(pm_timeline_table_t *tt);

#endif
