/*
 * pm_table_text: delimited text read once and checked before GDAL parses it (see pm_table_int.h).
 *
 * GDAL's CSV parser is lenient: a quote anywhere toggles "inside a string", a record with fewer
 * fields than the header is padded and one with more is cut, a NUL byte ends a field, and a line
 * over its limit ends the file. Each of these silently changes what a row says, so the scan here
 * refuses them with the file and line. Where the scan accepts a file, the strict RFC 4180 reading
 * and GDAL's agree, so record k of the scan is feature k of GDAL (blank lines are skipped by both).
 * The scan is one pass over the bytes.
 */
#include "pm_table_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pm_io.h"
#include "pm_table.h"
#include "pm_utf8.h"

void pm_text_src_destroy(pm_text_src_t *s)
{
    if (!s)
        return;
    free(s->data);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

static long line_at(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += data[i] == '\n';
    return line;
}

/* Converts *data from encoding to UTF-8 in place (replacing the buffer). */
static pm_status_t to_utf8(const char *path, const char *encoding, char **data, size_t *len,
                           pm_error_t *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1)
        return pm_error_set(err, PM_EUSAGE,
                            "--encoding '%s': unknown encoding (e.g. CP1251, CP1250, ISO-8859-2, "
                            "UTF-16; 'iconv -l' lists them)",
                            encoding);
    size_t cap = *len * 3 + 16;
    char *outbuf = malloc(cap + 1);
    pm_status_t st = PM_OK;
    if (!outbuf) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    char *in = *data, *out = outbuf;
    size_t inleft = *len, outleft = cap;
    if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
        st = pm_error_set(err, PM_EDATA,
                          "%s:%ld: the bytes there are not %s (byte 0x%02X); check the encoding "
                          "the file was saved in",
                          path, line_at(*data, (size_t)(in - *data)), encoding, (unsigned char)*in);
        goto cleanup;
    }
    *out = '\0';
    free(*data);
    *data = outbuf;
    *len = (size_t)(out - outbuf);
    outbuf = NULL;
cleanup:
    free(outbuf);
    iconv_close(cd);
    return st;
}

/* GDAL's separator rule for a .csv: the first of , ; tab outside quotes on the header line (a
 * mix of them means ','); with none, a space if there is one, else ','. */
static char detect_sep(const char *s, size_t len)
{
    char sep = '\0';
    int quoted = 0, spaces = 0;
    for (size_t i = 0; i < len && s[i] != '\n' && s[i] != '\r'; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',' || c == ';' || c == '\t') {
            if (!sep)
                sep = c;
            else if (sep != c)
                return ',';
        } else if (c == ' ')
            spaces++;
    }
    return sep ? sep : spaces ? ' ' : ',';
}

/* How a message names a separator: "','", "a tab", "a space"; buf holds the quoted others. */
static const char *sep_name(char sep, char buf[4])
{
    if (sep == '\t')
        return "a tab";
    if (sep == ' ')
        return "a space";
    buf[0] = '\'';
    buf[1] = sep;
    buf[2] = '\'';
    buf[3] = '\0';
    return buf;
}

/* A character other than , ; tab that seems to separate the header's columns (one column was
 * found), for the message: the first of | : ^ ~ # ! / \ + outside quotes, or '\0'. */
static char other_sep(const char *s, size_t len)
{
    int quoted = 0;
    for (size_t i = 0; i < len && s[i] != '\n' && s[i] != '\r'; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && strchr("|:^~#!/\\+", s[i]))
            return s[i];
    }
    return '\0';
}

/* The bytes from i on (the records; the bytes before i, a byte-order mark, are copied as they are)
 * with sep replaced by ',' outside quotes and each unquoted field that holds a comma quoted; the
 * lines stay where they are. The text was checked by scan_records first, so a field with a quote
 * is a quoted one. NULL when out of memory. */
static char *to_commas(const char *d, size_t len, size_t i, char sep, size_t *out_len)
{
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(3 * len + 1), *o = out;
    if (!out)
        return NULL;
    memcpy(o, d, i);
    o += i;
    while (i < len) {
        size_t b = i;
        int quoted = 0, has_quote = 0, has_comma = 0;
        for (; i < len; i++) {
            char c = d[i];
            if (quoted) {
                if (c == '"' && i + 1 < len && d[i + 1] == '"')
                    i++;
                else if (c == '"')
                    quoted = 0;
            } else if (c == '"')
                quoted = has_quote = 1;
            else if (c == sep || c == '\n')
                break;
            else if (c == ',')
                has_comma = 1;
        }
        size_t e = i; /* the field is d[b, e); a CR before a line break stays outside quotes */
        if (e > b && d[e - 1] == '\r' && (e == len || d[e] == '\n'))
            e--;
        if (has_comma && !has_quote)
            *o++ = '"';
        memcpy(o, d + b, e - b);
        o += e - b;
        if (has_comma && !has_quote)
            *o++ = '"';
        memcpy(o, d + e, i - e);
        o += i - e;
        if (i < len)
            *o++ = d[i] == sep ? ',' : d[i];
        i += i < len;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

typedef struct scan {
    const char *path, *data;
    size_t len, i;
    long line;
    char sep;
    int given; /* sep was given with --separator */
} scan_t;

/* Reads one record from s->i; *fields gets its field count and *blank_like 1 when it is one
 * field of spaces only (GDAL gives an empty row, which the reader skips). */
static pm_status_t scan_record(scan_t *s, int *fields, int *blank_like, pm_error_t *err)
{
    const char *d = s->data;
    size_t start = s->i;
    long start_line = s->line, quote_line = 0;
    int n = 1, at_start = 1, quoted = 0, closed = 0, only_space = 1;
    for (; s->i < s->len; s->i++) {
        char c = d[s->i];
        if (s->i - start >= PM_TABLE_MAX_LINE)
            return pm_error_set(err, PM_EDATA,
                                "%s:%ld: a row longer than %d MB (the most GDAL reads as one "
                                "line); the rest of the file would be lost. Is a quote left "
                                "open, or is this not a table?",
                                s->path, start_line, PM_TABLE_MAX_LINE / 1000000);
        if (c == '\0')
            return pm_error_set(err, PM_EDATA,
                                "%s:%ld: a NUL byte (field %d); a text table has none. Is the file "
                                "UTF-16 (pass --encoding UTF-16) or not text at all?",
                                s->path, s->line, n);
        if (c == '\n')
            s->line++;
        if (quoted) {
            if (c == '"') {
                if (s->i + 1 < s->len && d[s->i + 1] == '"')
                    s->i++;
                else {
                    quoted = 0;
                    closed = 1;
                }
            }
            continue;
        }
        if (c == '\n') {
            s->i++;
            break;
        }
        if (c == s->sep) {
            n++;
            at_start = 1;
            closed = 0;
            only_space = 0;
        } else if (c == '"') {
            if (!at_start)
                return pm_error_set(
                    err, PM_EDATA,
                    "%s:%ld: a stray quote (\") in field %d, which does not start with a quote: "
                    "the columns after it would shift. Quote the whole field and double the "
                    "quote inside (\"Sverd\"\"lovsk\"), or remove it",
                    s->path, s->line, n);
            quoted = 1;
            quote_line = s->line;
            at_start = 0;
            only_space = 0;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            /* spaces around a field are harmless; a CR ends a CRLF line */
        } else if (closed) {
            return pm_error_set(err, PM_EDATA,
                                "%s:%ld: text after the closing quote of field %d; quote the whole "
                                "field and double any quote inside it",
                                s->path, s->line, n);
        } else {
            at_start = 0;
            only_space = 0;
        }
    }
    if (quoted)
        return pm_error_set(err, PM_EDATA,
                            "%s:%ld: the quote opened in field %d is never closed (the rest of "
                            "the file would be one field); close it or remove it",
                            s->path, quote_line, n);
    *fields = n;
    *blank_like = n == 1 && only_space;
    return PM_OK;
}

static pm_status_t scan_records(scan_t *s, pm_text_src_t *out, pm_error_t *err)
{
    size_t cap = 0;
    int header_fields = -1;
    while (s->i < s->len) {
        const char *d = s->data;
        /* a blank line is no record, for GDAL and here */
        if (d[s->i] == '\n' || (d[s->i] == '\r' && s->i + 1 < s->len && d[s->i + 1] == '\n')) {
            s->i += d[s->i] == '\r' ? 2 : 1;
            s->line++;
            continue;
        }
        long start = s->line;
        int fields = 0, blank_like = 0;
        size_t at = s->i;
        char nb[4];
        pm_status_t st = scan_record(s, &fields, &blank_like, err);
        if (st)
            return st;
        if (header_fields < 0) {
            if (fields < 2) {
                char other = other_sep(d + at, s->len - at);
                if (s->given)
                    return pm_error_set(err, PM_EDATA,
                                        "%s:%ld: the header has one column with the separator %s "
                                        "given by --separator; is it the file's?",
                                        s->path, start, sep_name(s->sep, nb));
                if (other)
                    return pm_error_set(err, PM_EDATA,
                                        "%s:%ld: the header has one column (separator %s); if "
                                        "'%c' separates the columns, pass --separator '%c'",
                                        s->path, start, sep_name(s->sep, nb), other, other);
                return pm_error_set(
                    err, PM_EDATA,
                    "%s:%ld: the header has one column; a tie table needs two place columns "
                    "separated by ',', ';' or a tab (or another character named with "
                    "--separator; save the file as CSV with one of them)",
                    s->path, start);
            }
            header_fields = fields;
            continue;
        }
        if (fields != header_fields && !blank_like)
            return pm_error_set(err, PM_EDATA,
                                "%s:%ld: %d field%s where the header has %d (separator %s%s); a "
                                "field that contains the separator must be quoted, and every row "
                                "needs every column (empty cells too)%s",
                                s->path, start, fields, fields == 1 ? "" : "s", header_fields,
                                sep_name(s->sep, nb), s->given ? ", given by --separator" : "",
                                s->given ? ""
                                         : "; if another character separates the columns, "
                                           "name it with --separator");
        if (out->n_lines == cap) {
            cap = cap ? cap * 2 : 1024;
            long *l = realloc(out->lines, cap * sizeof *l);
            if (!l)
                return pm_error_set(err, PM_ENOMEM, "out of memory");
            out->lines = l;
        }
        out->lines[out->n_lines++] = start;
    }
    return PM_OK;
}

pm_status_t pm_table_text_load(const char *path, const char *encoding, char sep, int is_tsv,
                               pm_text_src_t *s, pm_error_t *err)
{
    memset(s, 0, sizeof *s);
    pm_status_t st = pm_io_read_all(path, &s->data, &s->len, err);
    if (st)
        goto cleanup;
    if (encoding && (st = to_utf8(path, encoding, &s->data, &s->len, err)))
        goto cleanup;
    /* a byte-order mark of UTF-16 (a spreadsheet's "Unicode text"): its NUL bytes and 0xFF would
     * otherwise be reported as a Windows code page */
    if (!encoding && s->len >= 2 &&
        (((unsigned char)s->data[0] == 0xFF && (unsigned char)s->data[1] == 0xFE) ||
         ((unsigned char)s->data[0] == 0xFE && (unsigned char)s->data[1] == 0xFF))) {
        st = pm_error_set(err, PM_EDATA,
                          "%s:1: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                          "pass --encoding UTF-16, or save it as UTF-8 ('CSV UTF-8' in a "
                          "spreadsheet)",
                          path);
        goto cleanup;
    }
    size_t bad = pm_utf8_invalid_at(s->data, s->len);
    if (bad != (size_t)-1) {
        st = pm_error_set(err, PM_EDATA,
                          "%s:%ld: the file is not UTF-8 (byte 0x%02X); if it is a Cyrillic "
                          "Windows export pass --encoding CP1251 (Central European: CP1250), or "
                          "save it as UTF-8 ('CSV UTF-8' in a spreadsheet)",
                          path, line_at(s->data, bad), (unsigned char)s->data[bad]);
        goto cleanup;
    }
    size_t i = s->len >= 3 && !memcmp(s->data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    size_t first = i;
    while (first < s->len && strchr(" \t\r\n", s->data[first]))
        first++;
    if (first == s->len) {
        st = pm_error_set(err, PM_EDATA,
                          "%s: the file is empty; a tie table needs a header line (e.g. from,to) "
                          "and one row per tie",
                          path);
        goto cleanup;
    }
    /* the separator GDAL would use for these bytes */
    char gdal_sep = is_tsv ? '\t' : detect_sep(s->data + i, s->len - i);
    s->sep = sep ? sep : gdal_sep;
    scan_t sc = {path, s->data, s->len, i, 1, s->sep, sep != '\0'};
    if ((st = scan_records(&sc, s, err)))
        goto cleanup;
    /* a tab is GDAL's separator for .tsv (the caller names the copy by s->sep); another one GDAL
     * would not take from this header becomes ',' */
    if (s->sep != '\t' && s->sep != gdal_sep) {
        size_t n;
        char *c = to_commas(s->data, s->len, i, s->sep, &n);
        if (!c) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        free(s->data);
        s->data = c;
        s->len = n;
        s->sep = ',';
    }
cleanup:
    if (st)
        pm_text_src_destroy(s);
    return st;
}
