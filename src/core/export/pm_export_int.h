/*
 * pm_export_int: what the files of the export module share (not part of the core's API: other
 * modules include pm_export.h only).
 *
 *   pm_export.c       formats and paths, the tables' columns, writing and committing
 *   pm_export_ogr.c   GeoPackage and GeoJSON through OGR
 *   pm_export_text.c  GraphML and GML, written as text
 *   pm_export_cell.c  cell values, tie lines: what every writer asks for
 *
 * Calls point down: pm_export.c -> the two writers -> pm_export_cell.c (never back up).
 *
 * A table (places or ties) is described by its columns (export_schema_t); every writer asks
 * export_cell for the values, so the formats cannot drift apart.
 */
#ifndef PM_EXPORT_INT_H
#define PM_EXPORT_INT_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"
#include "pm_export.h"
#include "pm_report.h" /* pm_text_escaped */

/* COL_DATE: a year in the cell's number, written as a date (1 January for T_START_DATE, 31
 * December for T_END_DATE): a Date field through OGR, "YYYY-MM-DD" text in GraphML and GML. */
typedef enum { COL_TEXT, COL_INT, COL_REAL, COL_DATE } export_col_type_t;

typedef enum {
    P_ID,
    P_PLACE,
    P_UNIT,
    P_UNIT_NAME,
    P_NAME_EN,
    P_NAME_RU,
    P_COUNTRY,
    P_MATCH,
    P_GROUP,
    P_LON,
    P_LAT,
    P_METRIC,
    T_FROM_ID,
    T_TO_ID,
    T_FROM,
    T_TO,
    T_WEIGHT,
    T_ROWS,
    T_PROBABLE,
    T_LENGTH,
    T_TOUCHING,
    T_DOMESTIC,
    T_START,
    T_END,
    T_START_DATE,
    T_END_DATE,
    T_TYPE,
    T_CONFIDENCE,
    T_ATTR
} export_field_t;

typedef struct export_column {
    const char *name;
    export_col_type_t type;
    export_field_t field;
    size_t metric; /* P_METRIC: index into data->metrics; T_ATTR: into the ties' attr */
} export_column_t;

typedef struct export_schema {
    export_column_t *col;
    size_t n;
    char **names; /* owned column names (T_ATTR), [n_names] */
    size_t n_names;
} export_schema_t;

/* The date of a COL_DATE cell holding year: its month and day. */
void export_date_of(const export_column_t *c, int *month, int *day);

/* The value of column c in row i: text in *s (NULL = null) or a number in *v (NAN = null). */
void export_cell(const pm_export_t *d, const export_column_t *c, size_t i, const char **s,
                 double *v);

/* Writes a new GeoPackage (ps and ts: both layers) or GeoJSON file (one of ps, ts; the other
 * NULL) in memory (/vsimem/) and hands back its bytes in *data (free with export_ogr_free) and
 * *len; messages name dest. Errors: PM_EIO, PM_EINTERNAL, PM_ENOMEM. */
pm_status_t export_ogr_write(const pm_export_t *d, const export_schema_t *ps,
                             const export_schema_t *ts, int geojson, const char *dest,
                             unsigned char **data, size_t *len, pm_error_t *err);
void export_ogr_free(unsigned char *data);

/* Appends the network as GraphML / GML (check pm_buf_failed afterwards). */
void export_graphml(const pm_export_t *d, const export_schema_t *ps, const export_schema_t *ts,
                    pm_buf_t *b);
void export_gml(const pm_export_t *d, const export_schema_t *ps, const export_schema_t *ts,
                pm_buf_t *b);

#endif
