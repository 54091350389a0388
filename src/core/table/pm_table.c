/*
 * pm_table: tie tables through OGR (see pm_table.h).
 *
 * The source is opened with GDALOpenEx, so every tabular driver works. For delimited text (CSV,
 * TSV) the raw bytes are also scanned once, to check that they are UTF-8 and to know the physical
 * line on which each record starts (quoted fields may span lines; blank lines are skipped by OGR
 * and by the scan alike), so messages can say "ties.csv:14".
 */
#include "pm_table.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ctype.h>
#include <errno.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm_buf.h"
#include "pm_io.h"
#include "pm_redact.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_table_int.h"
#include "pm_utf8.h"

void pm_ties_init(pm_ties_t *t)
{
    memset(t, 0, sizeof *t);
}

void pm_ties_destroy(pm_ties_t *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->from_col);
    free(t->to_col);
    free(t->weight_col);
    free(t->group_from_col);
    free(t->group_to_col);
    free(t->start_col);
    free(t->end_col);
    pm_strv_free(t->from, t->n);
    pm_strv_free(t->to, t->n);
    pm_strv_free(t->type, t->n);
    pm_strv_free(t->confidence, t->n);
    pm_strv_free(t->group_from, t->n);
    pm_strv_free(t->group_to, t->n);
    free(t->weight);
    free(t->start);
    free(t->end);
    free(t->line);
    pm_strv_free(t->attr_name, t->n_attr);
    pm_strv_free(t->attr, t->n * t->n_attr);
    pm_ties_init(t);
}

/* ---- the source: what it is, before anything reads it ------------------------------------- */

static int has_ext(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) && !strcasecmp(dot, ext);
}

static int is_delimited_text(const char *path)
{
    return has_ext(path, ".csv") || has_ext(path, ".tsv") || has_ext(path, ".txt");
}

/* Is path something a table can be read from? *regular: a regular file (else a pipe or device,
 * which is read once into memory). A folder, a device, a link loop, a missing or empty file are
 * refused. */
static pm_status_t check_source(const char *path, int *regular, pm_error_t *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ELOOP)
            return pm_error_set(err, PM_EIO,
                                "cannot open '%s': too many levels of symbolic links (a link "
                                "points back to itself); give the file itself",
                                path);
        if (errno == ENOENT || errno == ENOTDIR)
            return pm_error_set(err, PM_EIO, "cannot open '%s': no such file", path);
        return pm_error_set(err, PM_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode))
        return pm_error_set(err, PM_EIO,
                            "'%s' is a folder; give the tie table inside it (e.g. '%s/ties.csv')",
                            path, path);
    /* a device (/dev/zero, /dev/urandom, a disk) never ends or is no table: reading it would
     * fill the memory. A terminal is a device too; a pipe or /dev/stdin redirected is not. */
    if (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode))
        return pm_error_set(err, PM_EIO,
                            "'%s' is a device, not a tie table; give a file (or pipe the table "
                            "into /dev/stdin)",
                            path);
    *regular = S_ISREG(sb.st_mode);
    if (*regular && sb.st_size == 0)
        return pm_error_set(err, PM_EDATA,
                            "%s: the file is empty; a tie table needs a header line (e.g. "
                            "from,to) and one row per tie",
                            path);
    return PM_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* A source without an extension (/dev/stdin redirected from a file, a pipe, "ties") is read as
 * delimited text unless a regular file starts like a zip (XLSX, ODS) or an SQLite database. */
static int extensionless_text(const char *path, int regular)
{
    if (strchr(base_name(path), '.'))
        return 0;
    if (!regular)
        return 1; /* peeking would consume a pipe */
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return !(n >= 4 && !memcmp(head, "PK\x03\x04", 4)) &&
           !(n >= 15 && !memcmp(head, "SQLite format 3", 15));
}

/* A /vsimem/ name for bytes GDAL reads from memory, with the file's base name (the CSV layer is
 * named after it) and an extension GDAL recognises. Unique while it is used, with no counter
 * kept between calls: it holds the address of buf, the caller's frame, which no other read
 * running at the same time (another thread, a nested call) can have, and the file is removed
 * before that frame ends. */
static void vsimem_name(char *buf, size_t size, const char *path, const char *ext)
{
    char base[256];
    snprintf(base, sizeof base, "%s", base_name(path));
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    snprintf(buf, size, "/vsimem/partnermap/%d-%p/%s%s", (int)getpid(), (void *)buf, base, ext);
}

/* ---- column recognition ------------------------------------------------------------------ */

static const char *const from_names[] = {"from",  "source",     "a",       "origin",
                                         "src",   "place1",     "region1", "city1",
                                         "node1", "from_place", NULL};
static const char *const to_names[] = {"to",      "target", "b",     "destination", "dst", "place2",
                                       "region2", "city2",  "node2", "to_place",    NULL};
static const char *const weight_names[] = {"weight", "count", "value", "weights", "n", "w", NULL};
static const char *const gfrom_names[] = {"from_country", "country_from", "source_country",
                                          "from_group",   "group_from",   NULL};
static const char *const gto_names[] = {"to_country", "country_to", "target_country",
                                        "to_group",   "group_to",   NULL};

/* Date columns: the first found is used; a lone year or date column is the start. Cyrillic names
 * are listed in their usual capitalisations (strcasecmp folds ASCII only). */
static const char *const start_names[] = {
    "start",      "start_year", "from_year", "year_from", "year_start", "begin", "since",
    "start_date", "date_from",  "year",      "date",      "год",        "Год",   "ГОД",
    "дата",       "Дата",       "начало",    "Начало",    "rok",        "datum", NULL};
static const char *const end_names[] = {"end",       "end_year",  "to_year", "year_to", "year_end",
                                        "until",     "end_date",  "date_to", "конец",   "Конец",
                                        "окончание", "Окончание", NULL};

static int find_field(OGRFeatureDefnH defn, const char *name)
{
    int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; i++)
        if (!strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), name))
            return i;
    return -1;
}

static int recognise(OGRFeatureDefnH defn, const char *const *names)
{
    for (; *names; names++) {
        int i = find_field(defn, *names);
        if (i >= 0)
            return i;
    }
    return -1;
}

static void list_fields(OGRFeatureDefnH defn, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n && used + 4 < size; i++) {
        int w = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (n == 0)
        snprintf(buf, size, "(none)");
}

/* Resolves a column named by the user (must exist) or recognised (may be absent). */
static pm_status_t pick_column(OGRFeatureDefnH defn, const char *path, const char *flag,
                               const char *given, const char *const *names, int *out,
                               pm_error_t *err)
{
    if (given && *given) {
        int i = find_field(defn, given);
        if (i < 0) {
            char cols[512];
            list_fields(defn, cols, sizeof cols);
            return pm_error_set(err, PM_EDATA, "%s: no column '%s' (given with %s); columns: %s",
                                path, given, flag, cols);
        }
        *out = i;
        return PM_OK;
    }
    *out = (given && !*given) ? -1 : recognise(defn, names);
    return PM_OK;
}

/* The date column: given (must exist) or the first recognised; when several are recognised, a
 * warning says which one is used. */
static pm_status_t pick_date_column(OGRFeatureDefnH defn, const char *path, const char *flag,
                                    const char *given, const char *const *names, int *out,
                                    pm_diag_t *diag, pm_error_t *err)
{
    pm_status_t st = pick_column(defn, path, flag, given, names, out, err);
    if (st || given)
        return st;
    int first = -1;
    char others[256] = "";
    size_t used = 0;
    for (; *names; names++) {
        int i = find_field(defn, *names);
        if (i < 0)
            continue;
        if (first < 0) {
            first = i;
            continue;
        }
        int w = snprintf(others + used, sizeof others - used, "%s'%s'", used ? ", " : "",
                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (w > 0 && (size_t)w < sizeof others - used)
            used += (size_t)w;
    }
    if (used)
        pm_diag_add(diag, path,
                    "%s years are read from column '%s', not from %s (choose with %s COL)",
                    flag + 2, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, first)), others, flag);
    return PM_OK;
}

/* ---- values -------------------------------------------------------------------------------- */

/* Length of the white space at s: an ASCII blank, tab or line break, or a no-break space (U+00A0,
 * which spreadsheets put where a space was typed); 0 when none. */
static size_t space_at(const char *s)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        return 1;
    return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0 ? 2 : 0;
}

/* A copy of s without white space at either end; with squeeze, every run of white space inside
 * (a line break typed in a cell, two spaces, a no-break space) becomes one space, so that a place
 * is one name however its cell was typed. NULL when out of memory. */
static char *dup_clean(const char *s, int squeeze)
{
    size_t k;
    while ((k = space_at(s)))
        s += k;
    char *r = malloc(strlen(s) + 1);
    if (!r)
        return NULL;
    size_t n = 0, keep = 0; /* keep: the length without the white space seen last */
    while (*s) {
        if ((k = space_at(s))) {
            if (squeeze) {
                if (n == keep)
                    r[n++] = ' ';
            } else {
                memcpy(r + n, s, k);
                n += k;
            }
            s += k;
            continue;
        }
        r[n++] = *s++;
        keep = n;
    }
    r[keep] = '\0';
    return r;
}

static char *dup_trimmed(const char *s)
{
    return dup_clean(s, 0);
}

static const char *field_str(OGRFeatureH f, int i)
{
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i))
        return "";
    return OGR_F_GetFieldAsString(f, i);
}

/* Locale-independent decimal parse of the whole (trimmed) string. */
static int parse_double(const char *s, double *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    char *end;
    double v = CPLStrtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_year(const char *s, int *out)
{
    double v;
    if (parse_double(s, &v) || v != floor(v) || v < -9999 || v > 9999)
        return -1;
    *out = (int)v;
    return 0;
}

/* A year (1967, 1967.0 from a spreadsheet) or a date whose year counts: 1967-12-11, 1967-12,
 * 1967/12/11 (OGR's form of a spreadsheet date), with an optional time after 'T' or a space. */
static int parse_date(const char *s, int *out)
{
    if (!parse_year(s, out))
        return 0;
    while (isspace((unsigned char)*s))
        s++;
    int n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    if (n < 3 || n > 4 || (s[n] != '-' && s[n] != '/'))
        return -1;
    char sep = s[n];
    const char *p = s + n + 1;
    int month = 0, day = 1, k = 0;
    for (; isdigit((unsigned char)p[k]) && k < 2; k++)
        month = month * 10 + (p[k] - '0');
    if (k == 0 || month < 1 || month > 12)
        return -1;
    p += k;
    if (*p == sep) {
        p++;
        day = 0;
        for (k = 0; isdigit((unsigned char)p[k]) && k < 2; k++)
            day = day * 10 + (p[k] - '0');
        if (k == 0 || day < 1 || day > 31)
            return -1;
        p += k;
    }
    if (*p == 'T' || *p == ' ')
        p += strcspn(p, "\r"); /* a time of day: the year is all that counts */
    while (isspace((unsigned char)*p))
        p++;
    if (*p)
        return -1;
    *out = atoi(s);
    return 0;
}

/* A weight: a decimal number, or with decimal_comma one written 1,5 (a comma, no point). */
static int parse_weight(const char *s, int decimal_comma, double *out)
{
    const char *comma = strchr(s, ',');
    if (!decimal_comma || !comma)
        return parse_double(s, out);
    if (strchr(s, '.') || strchr(comma + 1, ','))
        return -1;
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", s);
    buf[comma - s] = '.';
    return parse_double(buf, out);
}

/* Does s look like a number with a decimal comma (1,5 or 12,75)? */
static int looks_decimal_comma(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    int digits = 0, comma = 0;
    for (; *s && !isspace((unsigned char)*s); s++) {
        if (isdigit((unsigned char)*s))
            digits++;
        else if (*s == ',' && digits && !comma)
            comma = 1;
        else if (!(*s == '-' && !digits))
            return 0;
    }
    return comma && digits >= 2;
}

static int grow(pm_ties_t *t, size_t *cap)
{
    if (t->n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
#define GROW(field)                                                                                \
    do {                                                                                           \
        void *p_ = realloc(t->field, nc * sizeof *t->field);                                       \
        if (!p_)                                                                                   \
            return -1;                                                                             \
        t->field = p_;                                                                             \
    } while (0)
    GROW(from);
    GROW(to);
    GROW(weight);
    GROW(start);
    GROW(end);
    GROW(type);
    GROW(confidence);
    GROW(line);
    if (t->group_from_col) {
        GROW(group_from);
        GROW(group_to);
    }
#undef GROW
    if (t->n_attr) {
        char **a = realloc(t->attr, nc * t->n_attr * sizeof *a);
        if (!a)
            return -1;
        t->attr = a;
    }
    *cap = nc;
    return 0;
}

/* *out: the trimmed copy of s, NULL when s is blank. -1 when out of memory (which must not pass
 * for a blank cell: the tie would silently lose its type, group or attribute). */
static int dup_or_null(const char *s, char **out)
{
    char *r = dup_trimmed(s);
    if (!r)
        return -1;
    if (!*r) {
        free(r);
        r = NULL;
    }
    *out = r;
    return 0;
}

/* ---- reading -------------------------------------------------------------------------------- */

typedef struct cols {
    int from, to, weight, start, end, type, conf, gfrom, gto;
} cols_t;

static pm_status_t resolve_columns(OGRFeatureDefnH defn, const char *path, const pm_table_opts_t *o,
                                   cols_t *c, pm_diag_t *diag, pm_error_t *err)
{
    pm_status_t st;
    if ((st = pick_column(defn, path, "--from", o->from_col, from_names, &c->from, err)) ||
        (st = pick_column(defn, path, "--to", o->to_col, to_names, &c->to, err)) ||
        (st = pick_column(defn, path, "--weight", o->weight_col, weight_names, &c->weight, err)) ||
        (st = pick_column(defn, path, "--group-from", o->group_from_col, gfrom_names, &c->gfrom,
                          err)) ||
        (st = pick_column(defn, path, "--group-to", o->group_to_col, gto_names, &c->gto, err)))
        return st;
    if (c->from < 0 || c->to < 0) {
        char cols[512];
        list_fields(defn, cols, sizeof cols);
        return pm_error_set(err, PM_EDATA,
                            "%s: no columns recognised for the two places; the columns are %s. "
                            "Name them with --from COL --to COL (recognised by default: from/to, "
                            "source/target, a/b)",
                            path, cols);
    }
    if (c->from == c->to)
        return pm_error_set(err, PM_EDATA, "%s: --from and --to name the same column", path);
    if ((c->gfrom < 0) != (c->gto < 0))
        return pm_error_set(err, PM_EDATA,
                            "%s: a group column is given for one side only; pass both "
                            "--group-from COL and --group-to COL",
                            path);
    if ((st = pick_date_column(defn, path, "--start", o->start_col, start_names, &c->start, diag,
                               err)) ||
        (st = pick_date_column(defn, path, "--end", o->end_col, end_names, &c->end, diag, err)))
        return st;
    if (c->start >= 0 && (c->start == c->from || c->start == c->to || c->start == c->end))
        return pm_error_set(err, PM_EDATA, "%s: --start names a column already used otherwise",
                            path);
    if (c->end >= 0 && (c->end == c->from || c->end == c->to))
        return pm_error_set(err, PM_EDATA, "%s: --end names a column already used otherwise", path);
    c->type = find_field(defn, "type");
    c->conf = find_field(defn, "confidence");
    return PM_OK;
}

static int is_known(const cols_t *c, int i)
{
    return i == c->from || i == c->to || i == c->weight || i == c->start || i == c->end ||
           i == c->type || i == c->conf || i == c->gfrom || i == c->gto;
}

static pm_status_t set_names(pm_ties_t *t, OGRFeatureDefnH defn, const cols_t *c)
{
    int nf = OGR_FD_GetFieldCount(defn);
#define NAME_OF(i) (strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (i)))))
    t->from_col = NAME_OF(c->from);
    t->to_col = NAME_OF(c->to);
    if (c->weight >= 0)
        t->weight_col = NAME_OF(c->weight);
    if (c->gfrom >= 0) {
        t->group_from_col = NAME_OF(c->gfrom);
        t->group_to_col = NAME_OF(c->gto);
    }
    if (c->start >= 0)
        t->start_col = NAME_OF(c->start);
    if (c->end >= 0)
        t->end_col = NAME_OF(c->end);
    for (int i = 0; i < nf; i++)
        t->n_attr += !is_known(c, i);
    if (t->n_attr) {
        t->attr_name = calloc(t->n_attr, sizeof *t->attr_name);
        if (!t->attr_name)
            return PM_ENOMEM;
        size_t j = 0;
        for (int i = 0; i < nf; i++)
            if (!is_known(c, i))
                if (!(t->attr_name[j++] = NAME_OF(i)))
                    return PM_ENOMEM;
    }
#undef NAME_OF
    /* a name not copied would silently drop its column (groups, --start) */
    if (!t->from_col || !t->to_col || (c->weight >= 0 && !t->weight_col) ||
        (c->gfrom >= 0 && (!t->group_from_col || !t->group_to_col)) ||
        (c->start >= 0 && !t->start_col) || (c->end >= 0 && !t->end_col))
        return PM_ENOMEM;
    return PM_OK;
}

/* Checks one feature's place names and numbers and appends it. Returns PM_OK, or an error
 * naming where. *skipped is set for an empty row. */
static pm_status_t add_row(pm_ties_t *t, size_t *cap, OGRFeatureH f, OGRFeatureDefnH defn,
                           const cols_t *c, int decimal_comma, const char *where, int *skipped,
                           pm_error_t *err)
{
    const char *from = field_str(f, c->from), *to = field_str(f, c->to);
    int nf = OGR_FD_GetFieldCount(defn);
    *skipped = 0;
    for (int i = 0; i < nf; i++) {
        const char *s = field_str(f, i);
        if (pm_utf8_invalid_at(s, strlen(s)) != (size_t)-1)
            return pm_error_set(err, PM_EDATA,
                                "%s: column '%s' is not valid UTF-8; save the file "
                                "as UTF-8",
                                where, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    }
    char *a = dup_clean(from, 1), *b = dup_clean(to, 1);
    pm_status_t st = PM_OK;
    if (!a || !b) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (!*a && !*b) {
        *skipped = 1;
        goto cleanup;
    }
    if (!*a || !*b) {
        st = pm_error_set(err, PM_EDATA,
                          "%s: the place in column '%s' is empty; every tie needs "
                          "two places",
                          where, !*a ? t->from_col : t->to_col);
        goto cleanup;
    }
    double w = 1.0;
    const char *ws = field_str(f, c->weight);
    if (c->weight >= 0 && *ws) {
        if (!decimal_comma && looks_decimal_comma(ws)) {
            st = pm_error_set(err, PM_EDATA,
                              "%s: weight '%s' in column '%s' has a decimal comma; pass "
                              "--decimal-comma to read it as a decimal point",
                              where, ws, t->weight_col);
            goto cleanup;
        }
        if (parse_weight(ws, decimal_comma, &w) || !isfinite(w) || w <= 0) {
            st = pm_error_set(err, PM_EDATA,
                              "%s: weight '%s' in column '%s' is not a positive number; weights "
                              "must be > 0 (leave the cell empty for 1, or drop the row)",
                              where, ws, t->weight_col);
            goto cleanup;
        }
        if (w > PM_WEIGHT_MAX) {
            st = pm_error_set(err, PM_EDATA,
                              "%s: weight '%s' in column '%s' is too large (at most 1e15); "
                              "rescale the column (e.g. divide it by a million): only the ratios "
                              "between weights matter",
                              where, ws, t->weight_col);
            goto cleanup;
        }
    }
    int ys = PM_YEAR_NONE, ye = PM_YEAR_NONE;
    const char *ss = field_str(f, c->start), *es = field_str(f, c->end);
    int bad_start = *ss && parse_date(ss, &ys);
    if (bad_start || (*es && parse_date(es, &ye))) {
        st = pm_error_set(err, PM_EDATA,
                          "%s: '%s' in column '%s' is not a year or a date; write 1967 or "
                          "1967-12-11 (or choose another column with %s COL)",
                          where, bad_start ? ss : es, bad_start ? t->start_col : t->end_col,
                          bad_start ? "--start" : "--end");
        goto cleanup;
    }
    int odd = ys != PM_YEAR_NONE && (ys < PM_YEAR_MIN || ys > PM_YEAR_MAX)   ? ys
              : ye != PM_YEAR_NONE && (ye < PM_YEAR_MIN || ye > PM_YEAR_MAX) ? ye
                                                                             : PM_YEAR_NONE;
    if (odd != PM_YEAR_NONE) {
        int in_start = odd == ys;
        st = pm_error_set(err, PM_EDATA,
                          "%s: '%s' in column '%s' is not a plausible year (partnermap reads the "
                          "years %d to %d); correct it, or leave the cell empty if unknown",
                          where, in_start ? ss : es, in_start ? t->start_col : t->end_col,
                          PM_YEAR_MIN, PM_YEAR_MAX);
        goto cleanup;
    }
    if (ys != PM_YEAR_NONE && ye != PM_YEAR_NONE && ye < ys) {
        st = pm_error_set(err, PM_EDATA, "%s: the tie ends (%d) before it starts (%d)", where, ye,
                          ys);
        goto cleanup;
    }
    if (grow(t, cap)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t k = t->n;
    t->from[k] = a;
    t->to[k] = b;
    a = b = NULL;
    t->weight[k] = w;
    t->start[k] = ys;
    t->end[k] = ye;
    /* the row counts (t->n) from here, so that its strings are freed with the table */
    t->type[k] = t->confidence[k] = NULL;
    if (t->group_from_col)
        t->group_from[k] = t->group_to[k] = NULL;
    for (size_t j = 0; j < t->n_attr; j++)
        t->attr[k * t->n_attr + j] = NULL;
    t->n++;
    int nomem = dup_or_null(field_str(f, c->type), &t->type[k]) ||
                dup_or_null(field_str(f, c->conf), &t->confidence[k]);
    if (!nomem && t->group_from_col)
        nomem = dup_or_null(field_str(f, c->gfrom), &t->group_from[k]) ||
                dup_or_null(field_str(f, c->gto), &t->group_to[k]);
    size_t j = 0;
    for (int i = 0; i < nf && !nomem; i++)
        if (!is_known(c, i))
            nomem = dup_or_null(field_str(f, i), &t->attr[k * t->n_attr + j++]);
    if (nomem)
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
cleanup:
    free(a);
    free(b);
    return st;
}

/* A GeoPackage or SQLite file whose pages are damaged (a truncated copy, a bad disk) may read
 * without any error but with rows missing: SQLite's quick_check (linear in the file's size; 0.1 s
 * for 12 MB) must say "ok" first. */
static pm_status_t check_sqlite(GDALDatasetH ds, const char *path, pm_error_t *err)
{
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    const char *name = drv ? GDALGetDriverShortName(drv) : "";
    if (strcmp(name, "GPKG") != 0 && strcmp(name, "SQLite") != 0)
        return PM_OK;
    pm_runtime_gdal_reset();
    OGRLayerH res = GDALDatasetExecuteSQL(ds, "PRAGMA quick_check", NULL, NULL);
    OGRFeatureH f = res ? OGR_L_GetNextFeature(res) : NULL;
    char first[200] = "";
    const char *said =
        f && OGR_F_GetFieldCount(f) > 0 ? OGR_F_GetFieldAsString(f, 0) : pm_runtime_gdal_msg();
    const char *nl = strchr(said, '\n');
    if (!strncmp(said, "*** in database main ***", 24) && nl)
        said = nl + 1; /* its first finding is enough, on one line */
    snprintf(first, sizeof first, "%.*s", (int)strcspn(said, "\n"), said);
    if (f)
        OGR_F_Destroy(f);
    if (res)
        GDALDatasetReleaseResultSet(ds, res);
    if (strcmp(first, "ok") != 0)
        return pm_error_set(err, PM_EDATA,
                            "'%s' is damaged (SQLite's check says: %s); restore it from a backup "
                            "or export the table again",
                            path, first[0] ? first : "no answer");
    return PM_OK;
}

int pm_table_is_database(const char *source)
{
    return source && !strncasecmp(source, "PG:", 3);
}

pm_status_t pm_table_read(const char *path, const pm_table_opts_t *opts, pm_ties_t *out,
                          pm_diag_t *diag, pm_error_t *err)
{
    static const pm_table_opts_t no_opts = {0};
    const pm_table_opts_t *o = opts ? opts : &no_opts;
    pm_ties_t t;
    pm_ties_init(&t);
    GDALDatasetH ds = NULL;
    pm_text_src_t text_src = {0};
    char *spool = NULL; /* a pipe's bytes, for a format other than delimited text */
    char vsi[512] = "";
    size_t cap = 0;
    pm_status_t st = PM_OK;
    int pg = pm_table_is_database(path), regular = 1;

    if (!pg && (st = check_source(path, &regular, err)))
        goto cleanup;
    /* a pipe without a known extension (/dev/stdin, <(...)) is read as delimited text */
    int text = !pg && (is_delimited_text(path) || extensionless_text(path, regular));
    if ((o->encoding || o->separator) && !text) {
        st = pm_error_set(err, PM_EUSAGE,
                          "--%s applies to CSV or TSV text; '%s' is not (spreadsheets and "
                          "databases say their own %s)",
                          o->encoding ? "encoding" : "separator", path,
                          o->encoding ? "encoding" : "columns");
        goto cleanup;
    }
    const char *gdal_path = path;
    if (text) {
        if ((st = pm_table_text_load(path, o->encoding, o->separator, has_ext(path, ".tsv"),
                                     &text_src, err)))
            goto cleanup;
        vsimem_name(vsi, sizeof vsi, path, text_src.sep == '\t' ? ".tsv" : ".csv");
    } else if (!regular) {
        size_t len;
        if ((st = pm_io_read_all(path, &spool, &len, err)))
            goto cleanup;
        if (len == 0) {
            st = pm_error_set(err, PM_EDATA, "%s: the input is empty", path);
            goto cleanup;
        }
        vsimem_name(vsi, sizeof vsi, path, strrchr(base_name(path), '.'));
        VSIFCloseL(VSIFileFromMemBuffer(vsi, (GByte *)spool, (vsi_l_offset)len, FALSE));
        gdal_path = vsi;
    }
    if (text) {
        VSIFCloseL(
            VSIFileFromMemBuffer(vsi, (GByte *)text_src.data, (vsi_l_offset)text_src.len, FALSE));
        gdal_path = vsi;
    }
    const char *text_opts[] = {"AUTODETECT_TYPE=NO", "HEADERS=YES", "EMPTY_STRING_AS_NULL=NO",
                               NULL};
    pm_runtime_gdal_reset();
    ds = GDALOpenEx(gdal_path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
                    text ? text_opts : NULL, NULL);
    if (!ds) {
        /* GDAL's message names the /vsimem/ copy of a checked text or a pipe: not the user's */
        st = pm_error_set(err, PM_EIO, "cannot read '%s' as a table: %s", path,
                          vsi[0]                     ? "not a format partnermap reads"
                          : pm_runtime_gdal_msg()[0] ? pm_runtime_gdal_msg()
                                                     : "unknown format");
        goto cleanup;
    }
    if ((st = check_sqlite(ds, path, err)))
        goto cleanup;
    OGRLayerH layer = o->layer ? GDALDatasetGetLayerByName(ds, o->layer)
                               : (GDALDatasetGetLayerCount(ds) ? GDALDatasetGetLayer(ds, 0) : NULL);
    if (!layer) {
        char names[512] = "";
        size_t used = 0;
        for (int i = 0; i < GDALDatasetGetLayerCount(ds) && used + 4 < sizeof names; i++) {
            int w = snprintf(names + used, sizeof names - used, "%s'%s'", i ? ", " : "",
                             OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
            used += w > 0 ? (size_t)w : 0;
        }
        st = o->layer ? pm_error_set(err, PM_EIO, "%s: no sheet or table '%s'; there are: %s", path,
                                     o->layer, names)
                      : pm_error_set(err, PM_EDATA, "%s: contains no table", path);
        goto cleanup;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    cols_t c;
    if ((st = resolve_columns(defn, path, o, &c, diag, err)))
        goto cleanup;
    if ((t.path = pm_redact_dup(path)) == NULL || set_names(&t, defn, &c)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    t.line_is_row = !text;
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    size_t rec = 0;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        long line;
        if (text)
            line = rec < text_src.n_lines ? text_src.lines[rec] : (long)rec + 2;
        else
            line = (long)OGR_F_GetFID(f); /* XLSX/ODS: the sheet row; tables: the row id */
        rec++;
        char where[600];
        snprintf(where, sizeof where, text ? "%s:%ld" : "%s: row %ld", path, line);
        int skipped = 0;
        /* GDAL leaves a cell unset when it cannot copy it (out of memory), and says so only
         * through its last error: a tie must not silently lose a cell */
        if (CPLGetLastErrorNo() == CPLE_OutOfMemory)
            st = pm_error_set(err, PM_ENOMEM, "out of memory reading '%s'", path);
        else
            st = add_row(&t, &cap, f, defn, &c, o->decimal_comma, where, &skipped, err);
        OGR_F_Destroy(f);
        if (st)
            goto cleanup;
        if (skipped)
            pm_diag_add(diag, where, "empty row left out");
        else
            t.line[t.n - 1] = line;
    }
    if (text && rec != text_src.n_lines) {
        /* the scan and GDAL disagree on the rows: refuse rather than lose some */
        st = pm_error_set(err, PM_EDATA,
                          "%s: GDAL read %zu rows where the file has %zu; the file has a form "
                          "partnermap cannot read safely (please report it)",
                          path, rec, text_src.n_lines);
        goto cleanup;
    }
    if (t.n == 0) {
        st = pm_error_set(err, PM_EDATA, "%s: no ties (the table has no rows with two places)",
                          path);
        goto cleanup;
    }
    *out = t;
    pm_ties_init(&t);
cleanup:
    if (ds)
        GDALClose(ds);
    if (vsi[0])
        VSIUnlink(vsi);
    free(spool);
    pm_text_src_destroy(&text_src);
    pm_ties_destroy(&t);
    return st;
}

int pm_ties_attr_index(const pm_ties_t *t, const char *name)
{
    for (size_t j = 0; j < t->n_attr; j++)
        if (!strcasecmp(t->attr_name[j], name))
            return (int)j;
    return -1;
}

const char *pm_ties_value(const pm_ties_t *t, size_t i, const char *name, char *buf)
{
    if (!strcasecmp(name, "from") || (t->from_col && !strcasecmp(name, t->from_col)))
        return t->from[i];
    if (!strcasecmp(name, "to") || (t->to_col && !strcasecmp(name, t->to_col)))
        return t->to[i];
    if (!strcasecmp(name, "type"))
        return t->type[i];
    if (!strcasecmp(name, "confidence"))
        return t->confidence[i];
    if (t->group_from_col && !strcasecmp(name, t->group_from_col))
        return t->group_from[i];
    if (t->group_to_col && !strcasecmp(name, t->group_to_col))
        return t->group_to[i];
    int is_start = !strcasecmp(name, "start") || (t->start_col && !strcasecmp(name, t->start_col));
    int is_end = !strcasecmp(name, "end") || (t->end_col && !strcasecmp(name, t->end_col));
    if (is_start || is_end) {
        /* years as text, for --where start=1967 */
        int y = is_start ? t->start[i] : t->end[i];
        if (y == PM_YEAR_NONE)
            return NULL;
        snprintf(buf, PM_TIES_VALUE_BUF, "%d", y);
        return buf;
    }
    int j = pm_ties_attr_index(t, name);
    return j >= 0 ? t->attr[i * t->n_attr + (size_t)j] : NULL;
}

void pm_ties_filter(pm_ties_t *t, const unsigned char *keep)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!keep[i]) {
            free(t->from[i]);
            free(t->to[i]);
            free(t->type[i]);
            free(t->confidence[i]);
            if (t->group_from_col) {
                free(t->group_from[i]);
                free(t->group_to[i]);
            }
            for (size_t j = 0; j < t->n_attr; j++)
                free(t->attr[i * t->n_attr + j]);
            continue;
        }
        t->from[k] = t->from[i];
        t->to[k] = t->to[i];
        t->weight[k] = t->weight[i];
        t->start[k] = t->start[i];
        t->end[k] = t->end[i];
        t->type[k] = t->type[i];
        t->confidence[k] = t->confidence[i];
        t->line[k] = t->line[i];
        if (t->group_from_col) {
            t->group_from[k] = t->group_from[i];
            t->group_to[k] = t->group_to[i];
        }
        for (size_t j = 0; j < t->n_attr; j++)
            t->attr[k * t->n_attr + j] = t->attr[i * t->n_attr + j];
        k++;
    }
    t->n = k;
}
