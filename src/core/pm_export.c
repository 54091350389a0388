/*
 * pm_export: formats and paths, the columns of the two tables, tie lines, and writing every
 * output before committing any (see pm_export.h; the writers are in pm_export_ogr.c and
 * pm_export_text.c, the shared pieces in pm_export_int.h).
 *
 * Each destination is first reserved by pm_io_temp_for (".net.gpkg.XXXXXX"); GDAL writes beside
 * it under the same name plus the format's extension (GDAL's GeoPackage driver warns about other
 * extensions), the text formats write into the reserved file itself. Nothing is renamed before
 * every file has been written and closed.
 */
#define _POSIX_C_SOURCE 200809L
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
#include "pm_io.h"
#include "pm_spatial.h"
#include "pm_utf8.h"

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

static const export_column_t tie_cols[] = {
    {"from_id", COL_INT, T_FROM_ID, 0},   {"to_id", COL_INT, T_TO_ID, 0},
    {"from", COL_TEXT, T_FROM, 0},        {"to", COL_TEXT, T_TO, 0},
    {"weight", COL_REAL, T_WEIGHT, 0},    {"rows", COL_INT, T_ROWS, 0},
    {"probable", COL_INT, T_PROBABLE, 0}, {"length_km", COL_REAL, T_LENGTH, 0},
    {"touching", COL_INT, T_TOUCHING, 0}, {"domestic", COL_INT, T_DOMESTIC, 0}};

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

static double flag(int v)
{
    return v < 0 ? NAN : v > 0;
}

void export_cell(const pm_export_t *d, const export_column_t *c, size_t i, const char **s,
                 double *v)
{
    const pm_export_place_t *p = c->field < T_FROM_ID ? &d->places[i] : NULL;
    const pm_export_tie_t *t = c->field >= T_FROM_ID ? &d->ties[i] : NULL;
    *s = NULL;
    *v = NAN;
    switch (c->field) {
    case P_ID:
        *v = (double)i;
        break;
    case P_PLACE:
        *s = p->name;
        break;
    case P_UNIT:
        *s = p->unit;
        break;
    case P_UNIT_NAME:
        *s = p->unit_name;
        break;
    case P_NAME_EN:
        *s = p->name_en;
        break;
    case P_NAME_RU:
        *s = p->name_ru;
        break;
    case P_COUNTRY:
        *s = p->country;
        break;
    case P_MATCH:
        *s = p->match;
        break;
    case P_GROUP:
        *s = p->group;
        break;
    case P_LON:
        *v = p->lon;
        break;
    case P_LAT:
        *v = p->lat;
        break;
    case P_METRIC:
        *v = d->metrics[c->metric].values[i];
        break;
    case T_FROM_ID:
        *v = (double)t->from;
        break;
    case T_TO_ID:
        *v = (double)t->to;
        break;
    case T_FROM:
        *s = d->places[t->from].name;
        break;
    case T_TO:
        *s = d->places[t->to].name;
        break;
    case T_WEIGHT:
        *v = t->weight;
        break;
    case T_ROWS:
        *v = (double)t->rows;
        break;
    case T_PROBABLE:
        *v = t->probable ? 1 : 0;
        break;
    case T_LENGTH:
        *v = t->length_km;
        break;
    case T_TOUCHING:
        *v = flag(t->touching);
        break;
    case T_DOMESTIC:
        *v = flag(t->domestic);
        break;
    }
    if (!isfinite(*v))
        *v = NAN;
}

/* A metric column's name must be a plain identifier and not clash with another column (GraphML
 * key ids are shared by nodes and edges). */
static int name_taken(const pm_export_t *d, size_t m)
{
    static const char *const reserved[] = {"label", "x", "y", "longitude", "latitude"};
    const char *name = d->metrics[m].name;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcmp(name, reserved[i]))
            return 1;
    for (size_t i = 0; i < sizeof place_fixed / sizeof place_fixed[0]; i++)
        if (!strcmp(name, place_fixed[i].name))
            return 1;
    for (size_t i = 0; i < N_TIE_COLS; i++)
        if (!strcmp(name, tie_cols[i].name))
            return 1;
    for (size_t i = 0; i < m; i++)
        if (!strcmp(name, d->metrics[i].name))
            return 1;
    return 0;
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
        if (name_taken(d, m))
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

void export_put_text(pm_buf_t *b, const char *s, export_escape_t mode)
{
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t bad = pm_utf8_invalid_at(s + i, len - i);
        size_t end = bad == (size_t)-1 ? len : i + bad;
        for (; i < end; i++) {
            char c = s[i];
            if (mode != ESC_NONE && c == '&')
                pm_buf_puts(b, "&amp;");
            else if (mode != ESC_NONE && c == '"')
                pm_buf_puts(b, "&quot;");
            else if (mode == ESC_XML && c == '<')
                pm_buf_puts(b, "&lt;");
            else if (mode == ESC_XML && c == '>')
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

/* ---- tie lines ------------------------------------------------------------------------------- */

static void to_vec(double lon, double lat, double v[3])
{
    double lo = lon * M_PI / 180, la = lat * M_PI / 180;
    v[0] = cos(la) * cos(lo);
    v[1] = cos(la) * sin(lo);
    v[2] = sin(la);
}

static double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* t := the unit vector at a, orthogonal to a, towards b (towards the north when b is a's
 * antipode; along the x axis at a pole). */
static void tangent(const double a[3], const double b[3], double t[3])
{
    static const double north[3] = {0, 0, 1}, east[3] = {1, 0, 0};
    const double *dirs[3] = {b, north, east};
    for (int k = 0; k < 3; k++) {
        double c = dot3(a, dirs[k]);
        for (int j = 0; j < 3; j++)
            t[j] = dirs[k][j] - c * a[j];
        double len = sqrt(dot3(t, t));
        if (len > 1e-9) {
            for (int j = 0; j < 3; j++)
                t[j] /= len;
            return;
        }
    }
}

/* Adds (lon, lat) to part unless it repeats the part's last point. */
static void add_point(OGRGeometryH part, double lon, double lat)
{
    int n = OGR_G_GetPointCount(part);
    if (n > 0 && OGR_G_GetX(part, n - 1) == lon && OGR_G_GetY(part, n - 1) == lat)
        return;
    OGR_G_AddPoint_2D(part, lon, lat);
}

/* Ends part (kept when it has two points) and starts a new one. */
static OGRGeometryH next_part(OGRGeometryH multi, OGRGeometryH part)
{
    if (OGR_G_GetPointCount(part) >= 2)
        OGR_G_AddGeometryDirectly(multi, part);
    else
        OGR_G_DestroyGeometry(part);
    return OGR_G_CreateGeometry(wkbLineString);
}

pm_status_t pm_export_tie_line(double lon1, double lat1, double lon2, double lat2, double step_km,
                               OGRGeometryH *out, pm_error_t *err)
{
    if (!isfinite(lon1) || !isfinite(lat1) || !isfinite(lon2) || !isfinite(lat2))
        return pm_error_set(err, PM_EUSAGE, "tie line: a coordinate is not a number");
    if (!(step_km > 0))
        step_km = PM_EXPORT_DENSIFY_KM;
    double a[3], b[3], t[3], cr[3];
    to_vec(lon1, lat1, a);
    to_vec(lon2, lat2, b);
    cr[0] = a[1] * b[2] - a[2] * b[1];
    cr[1] = a[2] * b[0] - a[0] * b[2];
    cr[2] = a[0] * b[1] - a[1] * b[0];
    double ang = atan2(sqrt(dot3(cr, cr)), dot3(a, b));
    tangent(a, b, t);
    double steps = ceil(ang * PM_SPATIAL_EARTH_RADIUS_KM / step_km);
    size_t n = steps < 1 ? 1 : steps > 100000 ? 100000 : (size_t)steps;
    OGRGeometryH multi = OGR_G_CreateGeometry(wkbMultiLineString);
    OGRGeometryH part = OGR_G_CreateGeometry(wkbLineString);
    if (!multi || !part) {
        OGR_G_DestroyGeometry(multi);
        OGR_G_DestroyGeometry(part);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    double plon = lon1, plat = lat1;
    OGR_G_AddPoint_2D(part, lon1, lat1);
    for (size_t i = 1; i <= n; i++) {
        double lon = lon2, lat = lat2;
        if (i < n) {
            double s = ang * (double)i / (double)n, p[3];
            for (int j = 0; j < 3; j++)
                p[j] = a[j] * cos(s) + t[j] * sin(s);
            lon = atan2(p[1], p[0]) * 180 / M_PI;
            lat = atan2(p[2], hypot(p[0], p[1])) * 180 / M_PI;
        }
        if (fabs(lon - plon) > 180) {
            /* crossing the antimeridian: end at +-180, go on from -+180 */
            double edge = plon > 0 ? 180 : -180;
            double ulon = lon + (plon > 0 ? 360 : -360);
            double f = (edge - plon) / (ulon - plon);
            double clat = plat + f * (lat - plat);
            add_point(part, edge, clat);
            part = next_part(multi, part);
            add_point(part, -edge, clat);
        }
        add_point(part, lon, lat);
        plon = lon;
        plat = lat;
    }
    if (OGR_G_GetPointCount(part) < 2 && OGR_G_GetGeometryCount(multi) == 0)
        OGR_G_AddPoint_2D(part, lon2, lat2); /* both ends one point: a degenerate line */
    /* keep the last part; next_part hands back a fresh one, not needed */
    OGR_G_DestroyGeometry(next_part(multi, part));
    *out = multi;
    return PM_OK;
}

/* ---- writing every output, then committing --------------------------------------------------- */

typedef struct out_file {
    const char *dest; /* the destination (a path given, or owned: a GeoJSON ties file) */
    char *owned;
    char *reserved; /* the temporary file pm_io_temp_for made */
    char *work;     /* where the writer writes: reserved, or reserved + extension (GDAL) */
    int committed;
} out_file_t;

static pm_status_t write_fd(int fd, const pm_buf_t *b, const char *dest, pm_error_t *err)
{
    if (pm_buf_failed(b))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    const char *p = pm_buf_str(b);
    size_t left = b->len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return pm_error_set(err, PM_EIO, "cannot write '%s': %s", dest, strerror(errno));
        p += w;
        left -= (size_t)w;
    }
    return PM_OK;
}

/* Reserves a temporary name for f->dest; GDAL formats write under that name plus ext. For text
 * formats *fd stays open (else -1). */
static pm_status_t reserve(out_file_t *f, const char *gdal_ext, int *fd, pm_error_t *err)
{
    pm_status_t st = pm_io_temp_for(f->dest, &f->reserved, fd, err);
    if (st)
        return st;
    if (!f->reserved) { /* a device or a pipe, written in place */
        if (!gdal_ext) {
            f->committed = 1;
            return PM_OK;
        }
        close(*fd);
        *fd = -1;
        return pm_error_set(err, PM_EUSAGE,
                            "'%s' is not a regular file: GDAL writes %s files by name only",
                            f->dest, gdal_ext + 1);
    }
    if (!gdal_ext) {
        f->work = f->reserved;
        return PM_OK;
    }
    close(*fd);
    *fd = -1;
    size_t n = strlen(f->reserved) + strlen(gdal_ext) + 1;
    if (!(f->work = malloc(n)))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    snprintf(f->work, n, "%s%s", f->reserved, gdal_ext);
    return PM_OK;
}

static void abandon(out_file_t *f)
{
    static const char *const sidecars[] = {"-journal", "-wal", "-shm"};
    if (f->work && f->work != f->reserved) {
        pm_io_abandon(f->work);
        for (size_t i = 0; i < 3; i++) {
            size_t n = strlen(f->work) + 16;
            char *p = malloc(n);
            if (p) {
                snprintf(p, n, "%s%s", f->work, sidecars[i]);
                unlink(p);
                free(p);
            }
        }
    }
    pm_io_abandon(f->reserved);
}

/* Writes one output (one or two files in f[0], f[1]). */
static pm_status_t write_output(const pm_export_t *d, pm_export_format_t fmt,
                                const export_schema_t *ps, const export_schema_t *ts, out_file_t *f,
                                pm_error_t *err)
{
    pm_status_t st = PM_OK;
    int fd = -1;
    pm_buf_t b;
    pm_buf_init(&b);
    if (fmt == PM_EXPORT_GPKG) {
        if (!(st = reserve(&f[0], ".gpkg", &fd, err)))
            st = export_ogr_write(d, ps, ts, 0, f[0].work, f[0].dest, err);
    } else if (fmt == PM_EXPORT_GEOJSON) {
        if (!(st = reserve(&f[0], ".geojson", &fd, err)) &&
            !(st = export_ogr_write(d, ps, NULL, 1, f[0].work, f[0].dest, err)) &&
            !(st = reserve(&f[1], ".geojson", &fd, err)))
            st = export_ogr_write(d, NULL, ts, 1, f[1].work, f[1].dest, err);
    } else {
        if (fmt == PM_EXPORT_GRAPHML)
            export_graphml(d, ps, ts, &b);
        else
            export_gml(d, ps, ts, &b);
        if (!(st = reserve(&f[0], NULL, &fd, err)))
            st = write_fd(fd, &b, f[0].dest, err);
    }
    if (fd >= 0 && close(fd) != 0 && !st)
        st = pm_error_set(err, PM_EIO, "cannot write '%s': %s", f[0].dest, strerror(errno));
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
    export_schema_t ps = {NULL, 0}, ts = {(export_column_t *)tie_cols, N_TIE_COLS};
    pm_export_format_t *fmt = calloc(n ? n : 1, sizeof *fmt);
    out_file_t *files = calloc(2 * (n ? n : 1), sizeof *files);
    if (!fmt || !files) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((st = check_data(data, err)) || (st = place_schema(data, &ps, err)) ||
        (st = plan(paths, n, fmt, files, err)))
        goto cleanup;
    for (size_t i = 0; i < n && !st; i++)
        st = write_output(data, fmt[i], &ps, &ts, &files[2 * i], err);
    for (size_t i = 0; i < 2 * n && !st; i++) {
        out_file_t *f = &files[i];
        if (!f->work)
            continue;
        if (!(st = pm_io_commit(f->work, f->dest, err))) {
            f->committed = 1;
            if (f->work != f->reserved)
                pm_io_abandon(f->reserved);
        }
    }
cleanup:
    for (size_t i = 0; files && i < 2 * n; i++) {
        if (!files[i].committed)
            abandon(&files[i]);
        if (files[i].work != files[i].reserved)
            free(files[i].work);
        free(files[i].reserved);
        free(files[i].owned);
    }
    free(files);
    free(fmt);
    free(ps.col);
    return st;
}
