/*
 * pm_export: formats and paths, the columns of the two tables, and writing every output before
 * committing any (see pm_export.h; the writers are in pm_export_ogr.c and pm_export_text.c, the
 * cells, escapes and tie lines they share in pm_export_cell.c, declared in pm_export_int.h).
 *
 * GeoPackage and GeoJSON are built by GDAL in memory (/vsimem/) and written out here, like the
 * text formats: each destination gets a temporary name from pm_io_temp_for (".net.gpkg.XXXXXX"),
 * every write, the fsync and the close are checked (GDAL's GeoJSON writer does not report a
 * failed write, so a full disk gave a truncated file and exit 0), and nothing is renamed before
 * every file has been written and closed.
 */
#include "pm_export.h"
#include "pm_export_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pm_buf.h"
#include "pm_sphere.h"
#include "pm_io.h"

/* ---- formats and paths ---------------------------------------------------------------------- */

static const struct {
    const char *ext;
    pm_export_format_t fmt;
} formats[] = {{".gpkg", PM_EXPORT_GPKG},
               {".geojson", PM_EXPORT_GEOJSON},
               {".graphml", PM_EXPORT_GRAPHML},
               {".gml", PM_EXPORT_GML}};

/* The extension of path (from its last '.', in its last component), or "" when none. */
static const char *extension_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

pm_status_t pm_export_format_of(const char *path, pm_export_format_t *out, pm_error_t *err)
{
    const char *ext = extension_of(path);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!strcasecmp(ext, formats[i].ext)) {
            *out = formats[i].fmt;
            return PM_OK;
        }
    return pm_error_set(err, PM_EUSAGE,
                        "'%s': unknown output format%s%s; use .gpkg, .geojson (QGIS), .graphml or "
                        ".gml (Gephi)",
                        path, *ext ? " " : "", ext);
}

pm_status_t pm_export_ties_path_new(const char *path, char **out, pm_error_t *err)
{
    pm_export_format_t fmt;
    pm_status_t st = pm_export_format_of(path, &fmt, err);
    if (st)
        return st;
    *out = NULL;
    if (fmt != PM_EXPORT_GEOJSON)
        return PM_OK;
    const char *ext = extension_of(path);
    size_t stem = (size_t)(ext - path), n = strlen(path) + 6;
    char *p = malloc(n);
    if (!p)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    snprintf(p, n, "%.*s_ties%s", (int)stem, path, ext);
    *out = p;
    return PM_OK;
}

/* ---- the tables ------------------------------------------------------------------------------ */

static const export_column_t place_fixed[] = {{"id", COL_INT, P_ID, 0},
                                              {"place", COL_TEXT, P_PLACE, 0},
                                              {"unit", COL_TEXT, P_UNIT, 0},
                                              {"unit_name", COL_TEXT, P_UNIT_NAME, 0},
                                              {"name_en", COL_TEXT, P_NAME_EN, 0},
                                              {"name_ru", COL_TEXT, P_NAME_RU, 0},
                                              {"country", COL_TEXT, P_COUNTRY, 0},
                                              {"match", COL_TEXT, P_MATCH, 0},
                                              {"group", COL_TEXT, P_GROUP, 0},
                                              {"anchor_lon", COL_REAL, P_LON, 0},
                                              {"anchor_lat", COL_REAL, P_LAT, 0}};

static const export_column_t tie_cols[] = {{"from_id", COL_INT, T_FROM_ID, 0},
                                           {"to_id", COL_INT, T_TO_ID, 0},
                                           {"from", COL_TEXT, T_FROM, 0},
                                           {"to", COL_TEXT, T_TO, 0},
                                           {"weight", COL_REAL, T_WEIGHT, 0},
                                           {"rows", COL_INT, T_ROWS, 0},
                                           {"probable", COL_INT, T_PROBABLE, 0},
                                           {"length_km", COL_REAL, T_LENGTH, 0},
                                           {"touching", COL_INT, T_TOUCHING, 0},
                                           {"domestic", COL_INT, T_DOMESTIC, 0},
                                           {"start", COL_INT, T_START, 0},
                                           {"end", COL_INT, T_END, 0},
                                           {"start_date", COL_DATE, T_START_DATE, 0},
                                           {"end_date", COL_DATE, T_END_DATE, 0},
                                           {"type", COL_TEXT, T_TYPE, 0},
                                           {"confidence", COL_TEXT, T_CONFIDENCE, 0}};

#define N_TIE_COLS (sizeof tie_cols / sizeof tie_cols[0])

static pm_status_t place_schema(const pm_export_t *d, export_schema_t *s, pm_error_t *err)
{
    size_t nf = sizeof place_fixed / sizeof place_fixed[0];
    s->col = malloc((nf + d->n_metrics) * sizeof *s->col);
    if (!s->col)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    int has_group = 0;
    for (size_t i = 0; i < d->n_places && !has_group; i++)
        has_group = d->places[i].group != NULL;
    s->n = 0;
    for (size_t i = 0; i < nf; i++)
        if (place_fixed[i].field != P_GROUP || has_group)
            s->col[s->n++] = place_fixed[i];
    for (size_t m = 0; m < d->n_metrics; m++)
        s->col[s->n++] = (export_column_t){d->metrics[m].name,
                                           d->metrics[m].integer ? COL_INT : COL_REAL, P_METRIC, m};
    return PM_OK;
}

/* 1 when name is a column of the places or ties, one of GraphML's own keys, one of the first
 * n_metrics metrics, or one of the first n_names of names (GraphML key ids are shared by nodes
 * and edges, so a name is taken in both tables). */
static int name_taken(const pm_export_t *d, const char *name, size_t n_metrics, char *const *names,
                      size_t n_names)
{
    static const char *const reserved[] = {"label",    "x",      "y",      "longitude",
                                           "latitude", "source", "target", "graphics"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcmp(name, reserved[i]))
            return 1;
    for (size_t i = 0; i < sizeof place_fixed / sizeof place_fixed[0]; i++)
        if (!strcmp(name, place_fixed[i].name))
            return 1;
    for (size_t i = 0; i < N_TIE_COLS; i++)
        if (!strcmp(name, tie_cols[i].name))
            return 1;
    for (size_t i = 0; i < n_metrics; i++)
        if (!strcmp(name, d->metrics[i].name))
            return 1;
    for (size_t i = 0; i < n_names; i++)
        if (!strcmp(name, names[i]))
            return 1;
    return 0;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* name made a plain identifier that is not taken (see pm_export_tie_attr_names_new). */
static char *attr_name_new(const pm_export_t *d, const char *name, char *const *names, size_t n)
{
    size_t len = strlen(name);
    char *base = malloc(len + 3);
    if (!base)
        return NULL;
    size_t k = 0;
    if (!len || (name[0] >= '0' && name[0] <= '9')) {
        base[k++] = 'c';
        base[k++] = '_';
    }
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        int ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        base[k++] = ok ? c : '_';
    }
    base[k] = '\0';
    if (!name_taken(d, base, d->n_metrics, names, n))
        return base;
    char *out = malloc(k + 24);
    for (unsigned long u = 2; out; u++) {
        snprintf(out, k + 24, "%s_%lu", base, u);
        if (!name_taken(d, out, d->n_metrics, names, n))
            break;
    }
    free(base);
    return out;
}

pm_status_t pm_export_tie_attr_names_new(const pm_export_t *d, char ***out, pm_error_t *err)
{
    char **names = calloc(d->n_tie_attrs ? d->n_tie_attrs : 1, sizeof *names);
    if (!names)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    for (size_t j = 0; j < d->n_tie_attrs; j++)
        if (!(names[j] =
                  attr_name_new(d, d->tie_attr_names[j] ? d->tie_attr_names[j] : "", names, j))) {
            free_names(names, j);
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        }
    *out = names;
    return PM_OK;
}

static pm_status_t tie_schema(const pm_export_t *d, export_schema_t *s, pm_error_t *err)
{
    pm_status_t st = pm_export_tie_attr_names_new(d, &s->names, err);
    if (st)
        return st;
    s->n_names = d->n_tie_attrs;
    s->col = malloc((N_TIE_COLS + d->n_tie_attrs) * sizeof *s->col);
    if (!s->col)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    s->n = 0;
    for (size_t i = 0; i < N_TIE_COLS; i++)
        s->col[s->n++] = tie_cols[i];
    for (size_t j = 0; j < d->n_tie_attrs; j++)
        s->col[s->n++] = (export_column_t){s->names[j], COL_TEXT, T_ATTR, j};
    return PM_OK;
}

static pm_status_t check_data(const pm_export_t *d, pm_error_t *err)
{
    static const char ident[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    for (size_t m = 0; m < d->n_metrics; m++) {
        const char *name = d->metrics[m].name;
        if (!name || !*name || strspn(name, ident) != strlen(name) ||
            (name[0] >= '0' && name[0] <= '9'))
            return pm_error_set(err, PM_EUSAGE,
                                "metric column '%s': use letters, digits and '_' only",
                                name ? name : "");
        if (name_taken(d, name, m, NULL, 0))
            return pm_error_set(err, PM_EUSAGE, "metric column '%s': the name is taken", name);
        if (!d->metrics[m].values && d->n_places)
            return pm_error_set(err, PM_EUSAGE, "metric column '%s': no values", name);
    }
    for (size_t i = 0; i < d->n_places; i++)
        if (!d->places[i].name)
            return pm_error_set(err, PM_EUSAGE, "place %zu has no name", i);
    for (size_t i = 0; i < d->n_ties; i++)
        if (d->ties[i].from >= d->n_places || d->ties[i].to >= d->n_places)
            return pm_error_set(err, PM_EUSAGE, "tie %zu names place %zu of %zu", i,
                                d->ties[i].from >= d->n_places ? d->ties[i].from : d->ties[i].to,
                                d->n_places);
    return PM_OK;
}

/* ---- writing every output, then committing --------------------------------------------------- */

typedef struct out_file {
    const char *dest; /* the destination (a path given, or owned: a GeoJSON ties file) */
    char *owned;
    char *reserved; /* the temporary file pm_io_temp_for made, written by write_fd */
    int committed;
} out_file_t;

/* strerror(e) as the first words of a message: "no space left on device". */
static const char *reason_of(int e, char *buf, size_t size)
{
    snprintf(buf, size, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

static pm_status_t write_fail(int e, const char *dest, pm_error_t *err)
{
    char why[256];
    return pm_error_set(err, PM_EIO, "cannot write '%s': %s%s", dest, reason_of(e, why, sizeof why),
                        e == ENOSPC || e == EDQUOT ? "; free some space or write elsewhere" : "");
}

static pm_status_t write_fd(int fd, const unsigned char *p, size_t left, const char *dest,
                            pm_error_t *err)
{
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return write_fail(errno, dest, err);
        p += w;
        left -= (size_t)w;
    }
    return PM_OK;
}

/* Writes len bytes to a temporary name beside f->dest (or in place to a device or pipe). */
static pm_status_t write_file(out_file_t *f, const unsigned char *data, size_t len, pm_error_t *err)
{
    int fd = -1;
    pm_status_t st = pm_io_temp_for(f->dest, &f->reserved, &fd, err);
    if (st)
        return st;
    if (!f->reserved)
        f->committed = 1; /* a device or a pipe, written in place */
    st = write_fd(fd, data, len, f->dest, err);
    /* a full disk may show only when the data reach it */
    if (!st && f->reserved && fsync(fd) != 0)
        st = write_fail(errno, f->dest, err);
    if (close(fd) != 0 && !st)
        st = write_fail(errno, f->dest, err);
    return st;
}

/* Writes one GeoPackage or GeoJSON file: built in memory by GDAL, then written here. */
static pm_status_t write_ogr(const pm_export_t *d, const export_schema_t *ps,
                             const export_schema_t *ts, int geojson, out_file_t *f, pm_error_t *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    pm_status_t st = export_ogr_write(d, ps, ts, geojson, f->dest, &data, &len, err);
    if (!st)
        st = write_file(f, data, len, err);
    export_ogr_free(data);
    return st;
}

/* Writes one output (one or two files in f[0], f[1]). */
static pm_status_t write_output(const pm_export_t *d, pm_export_format_t fmt,
                                const export_schema_t *ps, const export_schema_t *ts, out_file_t *f,
                                pm_error_t *err)
{
    pm_status_t st = PM_OK;
    pm_buf_t b;
    pm_buf_init(&b);
    if (fmt == PM_EXPORT_GPKG) {
        st = write_ogr(d, ps, ts, 0, &f[0], err);
    } else if (fmt == PM_EXPORT_GEOJSON) {
        if (!(st = write_ogr(d, ps, NULL, 1, &f[0], err)))
            st = write_ogr(d, NULL, ts, 1, &f[1], err);
    } else {
        if (fmt == PM_EXPORT_GRAPHML)
            export_graphml(d, ps, ts, &b);
        else
            export_gml(d, ps, ts, &b);
        if (pm_buf_failed(&b))
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
        else
            st = write_file(&f[0], (const unsigned char *)pm_buf_str(&b), b.len, err);
    }
    pm_buf_destroy(&b);
    return st;
}

/* Fills files[] (two per output: the second used by GeoJSON only) and refuses a destination
 * named twice. */
static pm_status_t plan(const char *const *paths, size_t n, pm_export_format_t *fmt,
                        out_file_t *files, pm_error_t *err)
{
    for (size_t i = 0; i < n; i++) {
        pm_status_t st;
        if ((st = pm_export_format_of(paths[i], &fmt[i], err)) ||
            (st = pm_export_ties_path_new(paths[i], &files[2 * i + 1].owned, err)))
            return st;
        files[2 * i].dest = paths[i];
        files[2 * i + 1].dest = files[2 * i + 1].owned;
    }
    for (size_t i = 0; i < 2 * n; i++)
        for (size_t j = 0; j < i; j++)
            if (files[i].dest && files[j].dest && !strcmp(files[i].dest, files[j].dest))
                return pm_error_set(err, PM_EUSAGE, "'%s' would be written twice%s", files[i].dest,
                                    i % 2 || j % 2 ? " (a .geojson output also writes "
                                                     "NAME_ties.geojson)"
                                                   : "");
    return PM_OK;
}

pm_status_t pm_export_write(const pm_export_t *data, const char *const *paths, size_t n,
                            pm_error_t *err)
{
    pm_status_t st;
    export_schema_t ps = {NULL, 0, NULL, 0}, ts = {NULL, 0, NULL, 0};
    pm_export_format_t *fmt = calloc(n ? n : 1, sizeof *fmt);
    out_file_t *files = calloc(2 * (n ? n : 1), sizeof *files);
    if (!fmt || !files) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((st = check_data(data, err)) || (st = place_schema(data, &ps, err)) ||
        (st = tie_schema(data, &ts, err)) || (st = plan(paths, n, fmt, files, err)))
        goto cleanup;
    for (size_t i = 0; i < n && !st; i++)
        st = write_output(data, fmt[i], &ps, &ts, &files[2 * i], err);
    for (size_t i = 0; i < 2 * n && !st; i++) {
        out_file_t *f = &files[i];
        if (!f->reserved || f->committed)
            continue;
        if (!(st = pm_io_commit(f->reserved, f->dest, err)))
            f->committed = 1;
    }
cleanup:
    for (size_t i = 0; files && i < 2 * n; i++) {
        if (!files[i].committed)
            pm_io_abandon(files[i].reserved);
        free(files[i].reserved);
        free(files[i].owned);
    }
    free(files);
    free(fmt);
    free(ps.col);
    free(ts.col);
    free_names(ts.names, ts.n_names);
    return st;
}
