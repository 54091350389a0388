/*
 * pm_report: tables of results rendered for a terminal, CSV, TSV, JSON, Markdown or LaTeX.
 *
 * A report is a list of summary items (key, label, value) and a table of rows with typed
 * columns. Values are formatted here, in the C locale whatever the environment says, with
 * fixed rules so the same numbers print the same on every run: integers as integers, reals
 * with `decimals` places for people (terminal, Markdown, LaTeX) and with 10 significant digits
 * for machines (CSV, TSV, JSON). NaN prints as empty (CSV), null (JSON) or "-" (people).
 */
#ifndef PM_REPORT_H
#define PM_REPORT_H

#include <stddef.h>

#include "pm_buf.h"
#include "pm_error.h"

typedef enum {
    PM_FMT_TERMINAL,
    PM_FMT_CSV,
    PM_FMT_TSV,
    PM_FMT_JSON,
    PM_FMT_MARKDOWN,
    PM_FMT_LATEX
} pm_format_t;

/* Parses "terminal", "csv", "tsv", "json", "markdown" (or "md"), "latex" (or "tex"). */
int pm_format_parse(const char *s, pm_format_t *out);

typedef enum { PM_COL_TEXT, PM_COL_INT, PM_COL_REAL } pm_col_kind_t;

typedef struct pm_report_col {
    const char *name;  /* machine name (CSV header, JSON key) */
    const char *label; /* for people; NULL = name */
    pm_col_kind_t kind;
    int decimals;            /* PM_COL_REAL for people */
    const double *num;       /* PM_COL_INT / PM_COL_REAL: n values */
    const char *const *text; /* PM_COL_TEXT: n values (NULL entries print empty) */
} pm_report_col_t;

typedef struct pm_report_item {
    const char *key;   /* machine name */
    const char *label; /* for people */
    pm_col_kind_t kind;
    int decimals;
    double num;
    const char *text;
    const char *note; /* e.g. "of the largest component"; may be NULL */
} pm_report_item_t;

typedef struct pm_report {
    const char *title; /* e.g. the input file; written through pm_redact (no password) */
    const pm_report_item_t *items;
    size_t n_items;
    const pm_report_col_t *cols;
    size_t n_cols;
    const size_t *rows;       /* the order in which rows are printed (indices into values) */
    size_t n_rows;            /* rows to print */
    size_t n_total;           /* rows that exist (for "top 10 of 23") */
    const char *rows_caption; /* e.g. "places by strength" */
} pm_report_t;

/* Appends the report to out. CSV and TSV hold the rows only (one header line); JSON holds both
 * ({"summary": {...}, "places": [...]}); the others print the summary, then the rows.
 * Errors: PM_ENOMEM. */
pm_status_t pm_report_write(const pm_report_t *r, pm_format_t fmt, pm_buf_t *out, pm_error_t *err);

/* Appends the summary items only, as a two-column CSV (key,value) or in any other format. */
pm_status_t pm_report_write_summary(const pm_report_t *r, pm_format_t fmt, pm_buf_t *out,
                                    pm_error_t *err);

/* Appends s as a JSON string literal (quoted, escaped). */
void pm_json_string(pm_buf_t *b, const char *s);
/* How pm_text_escaped escapes: not at all, for XML text and attribute values (& < > "), or for a
 * GML (graph) string (& "). */
typedef enum { PM_ESCAPE_NONE, PM_ESCAPE_XML, PM_ESCAPE_GML } pm_escape_t;
/* Appends s escaped as mode says; in every mode bytes that are not UTF-8 become U+FFFD and control
 * characters but the tab a space (XML 1.0 forbids them), so that a name reads the same in every
 * output. The one text escaper of the XML-like outputs (GraphML, GML, the SVG's metadata). */
void pm_text_escaped(pm_buf_t *b, const char *s, pm_escape_t mode);
/* Appends s as a CSV field (quoted when it holds the separator, a quote or a newline). */
void pm_csv_field(pm_buf_t *b, const char *s, char sep);
/* Formats v for machines ("%.10g", "" for NaN) into buf. */
void pm_format_number(char *buf, size_t size, double v, pm_col_kind_t kind);

#endif
