/*
 * pm_report: result tables in six formats (see pm_report.h).
 *
 * Numbers are formatted in the C locale (pm_snprintf_c, and pm_buf's printers), whatever locale
 * the program calling the library has set: a German LC_NUMERIC wrote "0,5" (a CSV column split
 * in two, JSON that does not parse).
 */
#include "pm_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_redact.h"
#include "pm_utf8.h"

int pm_format_parse(const char *s, pm_format_t *out)
{
    static const struct {
        const char *name;
        pm_format_t fmt;
    } names[] = {
        {"terminal", PM_FMT_TERMINAL}, {"text", PM_FMT_TERMINAL}, {"csv", PM_FMT_CSV},
        {"tsv", PM_FMT_TSV},           {"json", PM_FMT_JSON},     {"markdown", PM_FMT_MARKDOWN},
        {"md", PM_FMT_MARKDOWN},       {"latex", PM_FMT_LATEX},   {"tex", PM_FMT_LATEX}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) {
            *out = names[i].fmt;
            return 0;
        }
    return -1;
}

void pm_format_number(char *buf, size_t size, double v, pm_col_kind_t kind)
{
    if (isnan(v))
        snprintf(buf, size, "%s", "");
    else if (kind == PM_COL_INT)
        pm_snprintf_c(buf, size, "%.0f", v);
    else if (v == 0)
        snprintf(buf, size, "0"); /* no "-0" */
    else
        pm_snprintf_c(buf, size, "%.10g", v);
}

/* For people: fixed decimals, "-" for NaN. */
static void human_number(char *buf, size_t size, double v, pm_col_kind_t kind, int decimals)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (kind == PM_COL_INT)
        pm_snprintf_c(buf, size, "%.0f", v);
    else {
        pm_snprintf_c(buf, size, "%.*f", decimals, v);
        if (!strncmp(buf, "-0.", 3) && strspn(buf + 3, "0") == strlen(buf + 3))
            memmove(buf, buf + 1, strlen(buf)); /* "-0.000" -> "0.000" */
    }
}

void pm_json_string(pm_buf_t *b, const char *s)
{
    pm_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':
            pm_buf_puts(b, "\\\"");
            break;
        case '\\':
            pm_buf_puts(b, "\\\\");
            break;
        case '\n':
            pm_buf_puts(b, "\\n");
            break;
        case '\r':
            pm_buf_puts(b, "\\r");
            break;
        case '\t':
            pm_buf_puts(b, "\\t");
            break;
        default:
            if (*p < 0x20)
                pm_buf_printf(b, "\\u%04x", *p);
            else
                pm_buf_putc(b, (char)*p);
        }
    }
    pm_buf_putc(b, '"');
}

void pm_text_escaped(pm_buf_t *b, const char *s, pm_escape_t mode)
{
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t bad = pm_utf8_invalid_at(s + i, len - i);
        size_t end = bad == (size_t)-1 ? len : i + bad;
        for (; i < end; i++) {
            char c = s[i];
            if (mode != PM_ESCAPE_NONE && c == '&')
                pm_buf_puts(b, "&amp;");
            else if (mode != PM_ESCAPE_NONE && c == '"')
                pm_buf_puts(b, "&quot;");
            else if (mode == PM_ESCAPE_XML && c == '<')
                pm_buf_puts(b, "&lt;");
            else if (mode == PM_ESCAPE_XML && c == '>')
                pm_buf_puts(b, "&gt;");
            else if ((unsigned char)c < 0x20 && c != '\t')
                pm_buf_putc(b, ' ');
            else
                pm_buf_putc(b, c);
        }
        if (i < len) {
            pm_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        }
    }
}

void pm_csv_field(pm_buf_t *b, const char *s, char sep)
{
    s = s ? s : "";
    if (!strchr(s, sep) && !strpbrk(s, "\"\n\r")) {
        pm_buf_puts(b, s);
        return;
    }
    pm_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            pm_buf_putc(b, '"');
        pm_buf_putc(b, *s);
    }
    pm_buf_putc(b, '"');
}

static void latex_text(pm_buf_t *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            pm_buf_putc(b, '\\');
            pm_buf_putc(b, *s);
            break;
        case '~':
            pm_buf_puts(b, "\\textasciitilde{}");
            break;
        case '^':
            pm_buf_puts(b, "\\textasciicircum{}");
            break;
        case '\\':
            pm_buf_puts(b, "\\textbackslash{}");
            break;
        default:
            pm_buf_putc(b, *s);
        }
    }
}

static void markdown_text(pm_buf_t *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            pm_buf_putc(b, '\\');
        pm_buf_putc(b, *s == '\n' ? ' ' : *s);
    }
}

/* The cell text of row i, column c, for people or for machines. */
static void cell(const pm_report_col_t *c, size_t i, int human, char *buf, size_t size)
{
    if (c->kind == PM_COL_TEXT) {
        const char *t = c->text[i];
        snprintf(buf, size, "%s", t ? t : "");
    } else if (human)
        human_number(buf, size, c->num[i], c->kind, c->decimals);
    else
        pm_format_number(buf, size, c->num[i], c->kind);
}

static void item_value(const pm_report_item_t *it, int human, char *buf, size_t size)
{
    if (it->kind == PM_COL_TEXT)
        snprintf(buf, size, "%s", it->text ? it->text : "");
    else if (human)
        human_number(buf, size, it->num, it->kind, it->decimals);
    else
        pm_format_number(buf, size, it->num, it->kind);
}

static void pad(pm_buf_t *b, const char *s, size_t width, int right)
{
    size_t w = pm_utf8_width(s);
    if (right)
        pm_buf_repeat(b, ' ', width > w ? width - w : 0);
    pm_buf_puts(b, s);
    if (!right)
        pm_buf_repeat(b, ' ', width > w ? width - w : 0);
}

#define CELL_MAX 512

static void write_summary_people(const pm_report_t *r, pm_format_t fmt, pm_buf_t *b)
{
    char v[CELL_MAX];
    size_t lw = 0;
    if (!r->n_items && !r->title)
        return; /* a table of rows alone (e.g. the second of several) */
    for (size_t k = 0; k < r->n_items; k++) {
        size_t w = pm_utf8_width(r->items[k].label);
        lw = w > lw ? w : lw;
    }
    if (fmt == PM_FMT_TERMINAL) {
        if (r->title)
            pm_buf_printf(b, "%s\n", r->title);
        for (size_t k = 0; k < r->n_items; k++) {
            item_value(&r->items[k], 1, v, sizeof v);
            pm_buf_puts(b, "  ");
            pad(b, r->items[k].label, lw, 0);
            pm_buf_printf(b, "  %s", v);
            if (r->items[k].note)
                pm_buf_printf(b, "  (%s)", r->items[k].note);
            pm_buf_putc(b, '\n');
        }
    } else if (fmt == PM_FMT_MARKDOWN) {
        if (r->title) {
            pm_buf_puts(b, "**");
            markdown_text(b, r->title);
            pm_buf_puts(b, "**\n\n");
        }
        pm_buf_puts(b, "| statistic | value |\n|---|--:|\n");
        for (size_t k = 0; k < r->n_items; k++) {
            item_value(&r->items[k], 1, v, sizeof v);
            pm_buf_puts(b, "| ");
            markdown_text(b, r->items[k].label);
            if (r->items[k].note) {
                pm_buf_puts(b, " (");
                markdown_text(b, r->items[k].note);
                pm_buf_puts(b, ")");
            }
            pm_buf_puts(b, " | ");
            markdown_text(b, v);
            pm_buf_puts(b, " |\n");
        }
    } else { /* LaTeX */
        pm_buf_puts(b, "\\begin{table}\n\\centering\n\\begin{tabular}{lr}\n\\hline\n"
                       "Statistic & Value \\\\\n\\hline\n");
        for (size_t k = 0; k < r->n_items; k++) {
            item_value(&r->items[k], 1, v, sizeof v);
            latex_text(b, r->items[k].label);
            if (r->items[k].note) {
                pm_buf_puts(b, " (");
                latex_text(b, r->items[k].note);
                pm_buf_puts(b, ")");
            }
            pm_buf_puts(b, " & ");
            latex_text(b, v);
            pm_buf_puts(b, " \\\\\n");
        }
        pm_buf_puts(b, "\\hline\n\\end{tabular}\n\\caption{");
        latex_text(b, r->title ? r->title : "Network statistics");
        pm_buf_puts(b, "}\n\\end{table}\n");
    }
}

static void write_rows_terminal(const pm_report_t *r, pm_buf_t *b)
{
    char v[CELL_MAX];
    size_t *width = calloc(r->n_cols, sizeof *width);
    if (!width) {
        b->failed = 1;
        return;
    }
    for (size_t c = 0; c < r->n_cols; c++) {
        const char *label = r->cols[c].label ? r->cols[c].label : r->cols[c].name;
        width[c] = pm_utf8_width(label);
        for (size_t k = 0; k < r->n_rows; k++) {
            cell(&r->cols[c], r->rows[k], 1, v, sizeof v);
            size_t w = pm_utf8_width(v);
            width[c] = w > width[c] ? w : width[c];
        }
        if (r->cols[c].kind == PM_COL_TEXT && width[c] > 40)
            width[c] = 40;
    }
    pm_buf_putc(b, '\n');
    if (r->rows_caption) {
        if (r->n_rows < r->n_total)
            pm_buf_printf(b, "%s (top %zu of %zu)\n", r->rows_caption, r->n_rows, r->n_total);
        else
            pm_buf_printf(b, "%s\n", r->rows_caption);
    }
    for (size_t c = 0; c < r->n_cols; c++) {
        pm_buf_puts(b, c ? "  " : "  ");
        pad(b, r->cols[c].label ? r->cols[c].label : r->cols[c].name, width[c],
            r->cols[c].kind != PM_COL_TEXT);
    }
    pm_buf_putc(b, '\n');
    for (size_t k = 0; k < r->n_rows; k++) {
        for (size_t c = 0; c < r->n_cols; c++) {
            cell(&r->cols[c], r->rows[k], 1, v, sizeof v);
            pm_buf_puts(b, "  ");
            if (r->cols[c].kind == PM_COL_TEXT && pm_utf8_width(v) > width[c]) {
                char *t = pm_utf8_truncate(v, width[c]);
                pad(b, t ? t : v, width[c], 0);
                free(t);
            } else if (c + 1 == r->n_cols && r->cols[c].kind == PM_COL_TEXT) {
                pm_buf_puts(b, v); /* no trailing blanks */
            } else {
                pad(b, v, width[c], r->cols[c].kind != PM_COL_TEXT);
            }
        }
        pm_buf_putc(b, '\n');
    }
    free(width);
}

static void write_rows_markdown(const pm_report_t *r, pm_buf_t *b)
{
    char v[CELL_MAX];
    pm_buf_putc(b, '\n');
    if (r->rows_caption) {
        pm_buf_puts(b, "**");
        markdown_text(b, r->rows_caption);
        pm_buf_puts(b, "**\n\n");
    }
    pm_buf_putc(b, '|');
    for (size_t c = 0; c < r->n_cols; c++) {
        pm_buf_putc(b, ' ');
        markdown_text(b, r->cols[c].label ? r->cols[c].label : r->cols[c].name);
        pm_buf_puts(b, " |");
    }
    pm_buf_puts(b, "\n|");
    for (size_t c = 0; c < r->n_cols; c++)
        pm_buf_puts(b, r->cols[c].kind == PM_COL_TEXT ? "---|" : "--:|");
    pm_buf_putc(b, '\n');
    for (size_t k = 0; k < r->n_rows; k++) {
        pm_buf_putc(b, '|');
        for (size_t c = 0; c < r->n_cols; c++) {
            cell(&r->cols[c], r->rows[k], 1, v, sizeof v);
            pm_buf_putc(b, ' ');
            markdown_text(b, v);
            pm_buf_puts(b, " |");
        }
        pm_buf_putc(b, '\n');
    }
}

static void write_rows_latex(const pm_report_t *r, pm_buf_t *b)
{
    char v[CELL_MAX];
    pm_buf_puts(b, "\n\\begin{table}\n\\centering\n\\begin{tabular}{");
    for (size_t c = 0; c < r->n_cols; c++)
        pm_buf_putc(b, r->cols[c].kind == PM_COL_TEXT ? 'l' : 'r');
    pm_buf_puts(b, "}\n\\hline\n");
    for (size_t c = 0; c < r->n_cols; c++) {
        if (c)
            pm_buf_puts(b, " & ");
        latex_text(b, r->cols[c].label ? r->cols[c].label : r->cols[c].name);
    }
    pm_buf_puts(b, " \\\\\n\\hline\n");
    for (size_t k = 0; k < r->n_rows; k++) {
        for (size_t c = 0; c < r->n_cols; c++) {
            cell(&r->cols[c], r->rows[k], 1, v, sizeof v);
            if (c)
                pm_buf_puts(b, " & ");
            latex_text(b, v);
        }
        pm_buf_puts(b, " \\\\\n");
    }
    pm_buf_puts(b, "\\hline\n\\end{tabular}\n\\caption{");
    latex_text(b, r->rows_caption ? r->rows_caption : "Places");
    pm_buf_puts(b, "}\n\\end{table}\n");
}

static void write_rows_delimited(const pm_report_t *r, pm_buf_t *b, char sep)
{
    char v[CELL_MAX];
    for (size_t c = 0; c < r->n_cols; c++) {
        if (c)
            pm_buf_putc(b, sep);
        pm_csv_field(b, r->cols[c].name, sep);
    }
    pm_buf_putc(b, '\n');
    for (size_t k = 0; k < r->n_rows; k++) {
        for (size_t c = 0; c < r->n_cols; c++) {
            if (c)
                pm_buf_putc(b, sep);
            cell(&r->cols[c], r->rows[k], 0, v, sizeof v);
            if (sep == '\t') /* TSV has no quoting: tabs and newlines become spaces */
                for (char *p = v; *p; p++)
                    *p = (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p;
            pm_csv_field(b, v, sep);
        }
        pm_buf_putc(b, '\n');
    }
}

static void json_value(pm_buf_t *b, pm_col_kind_t kind, double num, const char *text)
{
    char v[64];
    if (kind == PM_COL_TEXT) {
        if (text)
            pm_json_string(b, text);
        else
            pm_buf_puts(b, "null");
    } else if (!isfinite(num)) {
        pm_buf_puts(b, "null");
    } else {
        pm_format_number(v, sizeof v, num, kind);
        pm_buf_puts(b, v);
    }
}

static void write_json(const pm_report_t *r, pm_buf_t *b, int rows)
{
    pm_buf_puts(b, "{\n");
    if (r->title) {
        pm_buf_puts(b, "  \"title\": ");
        pm_json_string(b, r->title);
        pm_buf_puts(b, ",\n");
    }
    pm_buf_puts(b, "  \"summary\": {");
    for (size_t k = 0; k < r->n_items; k++) {
        pm_buf_puts(b, k ? ",\n    " : "\n    ");
        pm_json_string(b, r->items[k].key);
        pm_buf_puts(b, ": ");
        json_value(b, r->items[k].kind, r->items[k].num, r->items[k].text);
    }
    pm_buf_puts(b, r->n_items ? "\n  }" : "}");
    if (rows) {
        pm_buf_puts(b, ",\n  \"places\": [");
        for (size_t k = 0; k < r->n_rows; k++) {
            pm_buf_puts(b, k ? ",\n    {" : "\n    {");
            for (size_t c = 0; c < r->n_cols; c++) {
                const pm_report_col_t *col = &r->cols[c];
                size_t i = r->rows[k];
                if (c)
                    pm_buf_puts(b, ", ");
                pm_json_string(b, col->name);
                pm_buf_puts(b, ": ");
                json_value(b, col->kind, col->kind == PM_COL_TEXT ? 0 : col->num[i],
                           col->kind == PM_COL_TEXT ? col->text[i] : NULL);
            }
            pm_buf_putc(b, '}');
        }
        pm_buf_puts(b, r->n_rows ? "\n  ]" : "]");
    }
    pm_buf_puts(b, "\n}\n");
}

/* r with its title (a data source name, often) through pm_redact, in *copy; *title to free. */
static int shown_title(const pm_report_t *r, pm_report_t *copy, char **title)
{
    *copy = *r;
    *title = NULL;
    if (!r->title)
        return 0;
    if ((*title = pm_redact_dup(r->title)) == NULL)
        return -1;
    copy->title = *title;
    return 0;
}

pm_status_t pm_report_write(const pm_report_t *report, pm_format_t fmt, pm_buf_t *out,
                            pm_error_t *err)
{
    pm_report_t shown;
    char *title;
    if (shown_title(report, &shown, &title))
        return pm_error_set(err, PM_ENOMEM, "out of memory formatting the report");
    const pm_report_t *r = &shown;
    switch (fmt) {
    case PM_FMT_CSV:
        write_rows_delimited(r, out, ',');
        break;
    case PM_FMT_TSV:
        write_rows_delimited(r, out, '\t');
        break;
    case PM_FMT_JSON:
        write_json(r, out, 1);
        break;
    case PM_FMT_MARKDOWN:
        write_summary_people(r, fmt, out);
        write_rows_markdown(r, out);
        break;
    case PM_FMT_LATEX:
        write_summary_people(r, fmt, out);
        write_rows_latex(r, out);
        break;
    case PM_FMT_TERMINAL:
    default:
        write_summary_people(r, PM_FMT_TERMINAL, out);
        if (r->n_cols)
            write_rows_terminal(r, out);
        break;
    }
    free(title);
    if (pm_buf_failed(out))
        return pm_error_set(err, PM_ENOMEM, "out of memory formatting the report");
    return PM_OK;
}

pm_status_t pm_report_write_summary(const pm_report_t *report, pm_format_t fmt, pm_buf_t *out,
                                    pm_error_t *err)
{
    char v[CELL_MAX];
    pm_report_t shown;
    char *title;
    if (shown_title(report, &shown, &title))
        return pm_error_set(err, PM_ENOMEM, "out of memory formatting the report");
    const pm_report_t *r = &shown;
    if (fmt == PM_FMT_CSV || fmt == PM_FMT_TSV) {
        char sep = fmt == PM_FMT_CSV ? ',' : '\t';
        pm_buf_printf(out, "statistic%cvalue%cnote\n", sep, sep);
        for (size_t k = 0; k < r->n_items; k++) {
            item_value(&r->items[k], 0, v, sizeof v);
            pm_csv_field(out, r->items[k].key, sep);
            pm_buf_putc(out, sep);
            pm_csv_field(out, v, sep);
            pm_buf_putc(out, sep);
            pm_csv_field(out, r->items[k].note, sep);
            pm_buf_putc(out, '\n');
        }
    } else if (fmt == PM_FMT_JSON) {
        write_json(r, out, 0);
    } else {
        write_summary_people(r, fmt, out);
    }
    free(title);
    if (pm_buf_failed(out))
        return pm_error_set(err, PM_ENOMEM, "out of memory formatting the report");
    return PM_OK;
}
