/*
 * pm_timeline: the statistics of a network through time, period by period.
 *
 * Periods and the activity rule are pm_period's (pm_period.h), shared with map --facet period: a
 * list (pm_periods_parse) or a step in years between a first and a last year (pm_periods_step; by
 * default the data's first start, rounded down to a multiple of the step, and its last end or
 * start; the last period is cut at
 * the last year).
 *
 * The activity rule: a tie row is active in a period when its [start, end] overlaps the period:
 * start <= period.to and (end is empty or end >= period.from). An empty end means still active;
 * open_end closes open ties at that year instead. A row without a start year cannot be placed in
 * time: PM_UNDATED_DROP leaves it out of every period, PM_UNDATED_ALL counts it in
 * every period (what `stats --period` does). This is exactly pm_filter's --period rule, so the
 * statistics of a period equal those of `partnermap stats --spatial --period FROM-TO`.
 *
 * pm_timeline_compute works on a network loaded once (pm_net_load with geometry or without): the
 * table, the join and the geometry are not read again; each period is the subgraph of the rows
 * active in it, built and measured in turn (the shortest-path pass of each runs on every core).
 * Tie lengths are measured once for the whole network and shared by every period.
 *
 * A place is the whole network's place (the unit it matched, or its name): its name in every
 * period is the whole table's first spelling, so a place reads the same in every row.
 */
#ifndef PM_TIMELINE_H
#define PM_TIMELINE_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_metrics.h"
#include "pm_net.h"
#include "pm_period.h"
#include "pm_report.h"
#include "pm_table.h"

typedef struct pm_timeline_opts {
    int step;                   /* years per period (>= 1); 0 = 1 */
    const pm_period_t *periods; /* explicit periods (sorted, not overlapping), or NULL */
    size_t n_periods;
    int from, to;         /* PM_YEAR_NONE = the data's range (from: aligned to the step) */
    int open_end;         /* PM_PERIOD_OPEN = an empty end stays open */
    pm_undated_t undated; /* pm_period.h */
    const char *rank_by;  /* the metric places are ranked by; NULL = strength */
    int this_year;        /* for "starts in the future"; 0 = the clock's year (UTC) */
    /* one part of the work (periods run in parallel processes): only the periods k with
     * k % parts == part are measured, the other rows stay zeroed; parts 0 or 1 = all. The parts
     * are joined by pm_timeline_merge */
    size_t part, parts;
    /* Optional: called once for each period with a tie in it, after its statistics, in period
     * order: k its index, view its network (measured; its tie rows are the active ones, rows[j]
     * the loaded table's index of its row j). An error stops the timeline with it
     * (pm_uncert_timeline.h uses it for the intervals per period). */
    pm_status_t (*on_period)(void *ctx, size_t k, const pm_net_t *view, const size_t *rows,
                             pm_error_t *err);
    void *on_period_ctx;
} pm_timeline_opts_t;

void pm_timeline_opts_init(pm_timeline_opts_t *o);

/* The periods of o for the ties t: o's list, or from..to by step (the data's years where o gives
 * none; the last period cut at `to`). Errors: PM_EDATA when t has no start column or no start
 * year (nothing to place in time), PM_EUSAGE (from after to; more than PM_PERIOD_MAX periods),
 * PM_ENOMEM. *out is set only on success (caller frees). */
pm_status_t pm_timeline_periods(const pm_timeline_opts_t *o, const pm_ties_t *t, pm_period_t **out,
                                size_t *n, pm_error_t *err);

/* The whole network in one period. Reals are NaN where undefined (no tie in the period). */
typedef struct pm_timeline_row {
    pm_period_t period;
    size_t rows;                 /* tie rows active */
    size_t places, ties;         /* graph of the period (rows of one pair are one tie) */
    size_t new_ties, ended_ties; /* ties whose first start / last end lies in the period */
    double total_weight, density;
    long components;
    double largest_share, modularity;
    double mean_km;            /* mean great-circle length of the measured ties (NaN: none) */
    double cross_border_share; /* ties between two countries, of those whose countries are
                                  known (NaN: none known) */
    size_t top_place;          /* the whole network's place of highest strength, or -1 */
} pm_timeline_row_t;

#define PM_TIMELINE_MAX_METRICS 16

typedef struct pm_timeline {
    size_t n_periods;
    pm_timeline_row_t *row; /* [n_periods] */
    /* the places table, long: one entry per (period, place active in it), by period then by
     * rank */
    size_t n_entries;
    size_t *entry_period, *entry_place; /* period index; the whole network's place */
    size_t n_metrics;
    const char *metric[PM_TIMELINE_MAX_METRICS]; /* registry names, in the report's order */
    double *value[PM_TIMELINE_MAX_METRICS];      /* [n_entries] each */
    double *rank;                                /* [n_entries]: 1 = highest of rank_by */
    const char *rank_by;
    /* per place of the whole network: first and last period active ((size_t)-1: none) */
    size_t n_places;
    size_t *first, *last;
    /* what the data held */
    size_t n_undated, n_future, n_used;
    long undated_line, future_line; /* line of the first such row */
    int undated_all;                /* the undated rows are in every period (else in none) */
} pm_timeline_t;

/* Measures every period of o on net (loaded with the graph; with geometry for tie lengths and
 * units). mo as for the whole network (weights, communities, seed). Warnings (undated rows with
 * their count, starts after this year, open ties starting after open_end, places matched by a
 * year) go to diag once each. Errors: PM_EDATA / PM_EUSAGE from pm_timeline_periods, PM_EUSAGE for
 * an unknown rank_by, PM_EINTERNAL from igraph, PM_ENOMEM. out is set only on success. */
pm_status_t pm_timeline_compute(const pm_net_t *net, const pm_metrics_opts_t *mo,
                                const pm_timeline_opts_t *o, pm_timeline_t *out, pm_diag_t *diag,
                                pm_error_t *err);
void pm_timeline_destroy(pm_timeline_t *tl);

/* --- parts (pm_timeline_parts.c): periods measured in several processes --- */

/* Appends tl's rows and places entries to out as bytes for pm_timeline_unpack in a process of the
 * same program (a forked worker's answer; not a file format). Errors: PM_ENOMEM. */
pm_status_t pm_timeline_pack(const pm_timeline_t *tl, pm_buf_t *out, pm_error_t *err);
/* The timeline packed in data[0, len): rows, entries and counts (metric names, first and last are
 * pm_timeline_merge's). Errors: PM_EINTERNAL (not a packed timeline), PM_ENOMEM. */
pm_status_t pm_timeline_unpack(const char *data, size_t len, pm_timeline_t *out, pm_error_t *err);
/* Joins parts[0..n) (part i measured the periods k % n == i; parts[0] computed in this process,
 * with the metric names and the data's counts) into *out, as one pm_timeline_compute over every
 * period gives it: rows and entries in period order, first and last recomputed. The parts stay
 * the caller's. Errors: PM_EINTERNAL (parts that do not fit), PM_ENOMEM. */
pm_status_t pm_timeline_merge(const pm_timeline_t *parts, size_t n, pm_timeline_t *out,
                              pm_error_t *err);

/* "1960-1969", or "1965" for a period of one year, into buf. */
void pm_period_label(pm_period_t p, char *buf, size_t size);

/* Appends the whole-network table (one row per period) of tl to out in fmt, titled title.
 * Errors: PM_ENOMEM. */
pm_status_t pm_timeline_write_network(const pm_timeline_t *tl, const pm_net_t *net, pm_format_t fmt,
                                      const char *title, pm_buf_t *out, pm_error_t *err);
/* Appends the places table (period, place, unit, the metrics, rank, first and last period).
 * Errors: PM_ENOMEM. */
pm_status_t pm_timeline_write_places(const pm_timeline_t *tl, const pm_net_t *net, pm_format_t fmt,
                                     const char *title, pm_buf_t *out, pm_error_t *err);

#endif
