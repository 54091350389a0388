/*
 * pm_geo_files: the CSV side files of a geo: aliases, composites and places (formats in
 * pm_geo.h). A small RFC 4180 reader of our own keeps line numbers for messages ("file:14").
 * See pm_geo_int.h for how the geo module is split.
 */
#include "pm_geo_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

#include "pm_buf.h"
#include "pm_io.h"
#include "pm_norm.h"
#include "pm_runtime.h"

/* ---- CSV side files
 * ------------------------------------------------------------------------------- */

typedef struct csv {
    char *data;
    size_t pos, len;
    long line;
    char **f;
    size_t nf, cap;
} csv_t;

/* Reads the next record into c->f (fields point into c->data). Returns 1, 0 at the end, -1 for an
 * unterminated quote. */
static int csv_next(csv_t *c, long *line)
{
    if (c->pos >= c->len)
        return 0;
    *line = c->line;
    c->nf = 0;
    char *r = c->data + c->pos, *end = c->data + c->len, *w = r, *start = w;
    for (;;) {
        if (r < end && *r == '"') {
            r++;
            for (;;) {
                if (r >= end)
                    return -1;
                if (*r == '"' && r + 1 < end && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    if (*r == '\n')
                        c->line++;
                    *w++ = *r++;
                }
            }
        }
        while (r < end && *r != ',' && *r != '\n' && *r != '\r')
            *w++ = *r++;
        if (geo_grow((void **)&c->f, &c->cap, c->nf, sizeof *c->f))
            return -2;
        c->f[c->nf++] = start;
        if (r < end && *r == ',') {
            *w++ = '\0';
            r++;
            start = w;
            continue;
        }
        /* step over the line end before terminating: w may point at it */
        if (r < end && *r == '\r')
            r++;
        if (r < end && *r == '\n')
            r++;
        *w = '\0';
        c->line++;
        break;
    }
    c->pos = (size_t)(r - c->data);
    return 1;
}

static pm_status_t csv_open(csv_t *c, const char *path, pm_error_t *err)
{
    memset(c, 0, sizeof *c);
    pm_status_t rc = pm_io_read_all(path, &c->data, &c->len, err);
    if (rc != PM_OK)
        return rc;
    if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    c->line = 1;
    return PM_OK;
}

static void csv_close(csv_t *c)
{
    free(c->data);
    free(c->f);
}

/* Column index of the first of the names (NULL-terminated list) in the header, or -1. */
static int csv_col(char **hdr, size_t n, const char *const *names)
{
    for (size_t k = 0; names[k]; k++)
        for (size_t i = 0; i < n; i++) {
            const char *h = hdr[i];
            while (isspace((unsigned char)*h))
                h++;
            size_t len = strlen(h);
            while (len > 0 && isspace((unsigned char)h[len - 1]))
                len--;
            if (len == strlen(names[k]) && strncasecmp(h, names[k], len) == 0)
                return (int)i;
        }
    return -1;
}

static const char *csv_get(const csv_t *c, int col)
{
    return col >= 0 && (size_t)col < c->nf ? c->f[col] : NULL;
}

/* True when the record is blank (one empty field). */
static int csv_blank(const csv_t *c)
{
    return c->nf == 1 && c->f[0][strspn(c->f[0], " \t")] == '\0';
}

/* The next record that is not blank: 1, 0 at the end, as csv_next for an error. */
static int csv_row(csv_t *c, long *line)
{
    int r;
    while ((r = csv_next(c, line)) > 0 && csv_blank(c))
        ;
    return r;
}

/* The status of a file read up to csv_row's result r (line: the last record's). */
static pm_status_t csv_end(int r, const char *path, long line, pm_error_t *err)
{
    if (r >= 0)
        return PM_OK;
    return r == -1 ? pm_error_set(err, PM_EDATA, "%s:%ld: unterminated quote", path, line)
                   : geo_nomem(err);
}

/* A column a side file may have: the names it goes by, and where its index goes (-1: absent). */
typedef struct csv_want {
    const char *names[5]; /* NULL-terminated */
    int *col;
} csv_want_t;

/* Opens path and finds the columns of its header line; the first n_required are required
 * ("PATH:1: WHAT needs the columns 'a' and 'b'", PM_EDATA). On failure nothing is open. */
static pm_status_t csv_open_cols(csv_t *c, const char *path, const char *what,
                                 const csv_want_t *want, size_t n, size_t n_required,
                                 pm_error_t *err)
{
    long line;
    pm_status_t rc = csv_open(c, path, err);
    if (rc != PM_OK)
        return rc;
    int r = csv_next(c, &line);
    if (r <= 0)
        rc = pm_error_set(err, PM_EDATA, "%s: %s", path,
                          r == 0 ? "empty file (a header line is needed)"
                                 : "unterminated quote in the header");
    int missing = 0;
    for (size_t k = 0; !rc && k < n; k++) {
        *want[k].col = csv_col(c->f, c->nf, want[k].names);
        missing |= k < n_required && *want[k].col < 0;
    }
    if (!rc && missing) {
        char list[200] = "";
        for (size_t k = 0, len = 0; k < n_required && len < sizeof list; k++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'",
                                    k == 0               ? ""
                                    : k + 1 < n_required ? ", "
                                                         : " and ",
                                    want[k].names[0]);
        rc = pm_error_set(err, PM_EDATA, "%s:1: %s needs the columns %s", path, what, list);
    }
    if (rc)
        csv_close(c);
    return rc;
}

/* ---- aliases
 * --------------------------------------------------------------------------------------- */

/* The approximation of an alias row: the approx column, else notes that begin "Approximation:"
 * (the form of files written before the column), lent from the arena; NULL when none. */
static const char *alias_approx(pm_geo_t *g, const char *approx, const char *notes)
{
    if (approx && *approx)
        return approx;
    if (notes && strncasecmp(notes, "approximation:", 14) == 0) {
        const char *t = notes + 14;
        t += strspn(t, " ");
        size_t len = strcspn(t, ".;");
        return len ? geo_arena_trim(g, t, len) : NULL;
    }
    return NULL;
}

/* Keeps a row whose target_layer is "cities" for the gazetteer (pm_geo_city_aliases). */
static pm_status_t keep_city_alias(pm_geo_t *g, const pm_geo_alias_t *x, pm_error_t *err)
{
    char *key = NULL;
    pm_status_t rc = pm_norm_key(x->alias, &key, err);
    if (rc)
        return rc;
    if (!*key) {
        pm_diag_add(&g->warnings, NULL, "%s:%ld: city alias '%s' has no letters; left out", x->file,
                    x->line, x->alias);
        free(key);
        return PM_OK;
    }
    const char *k = geo_arena_strdup(g, key);
    free(key);
    if (!k || geo_grow((void **)&g->city_aliases, &g->cap_city_aliases, g->n_city_aliases,
                       sizeof *g->city_aliases))
        return geo_nomem(err);
    pm_geo_alias_t *c = &g->city_aliases[g->n_city_aliases++];
    *c = *x;
    c->key = k;
    return PM_OK;
}

pm_status_t geo_load_aliases(pm_geo_t *g, const char *path, int user, pm_error_t *err)
{
    int ia, it, il, ic, ifr, ito, is, in, iap;
    const csv_want_t want[] = {{{"alias", "name", NULL}, &ia},
                               {{"target_code", "target", "code", NULL}, &it},
                               {{"target_layer", "layer", NULL}, &il},
                               {{"country", NULL}, &ic},
                               {{"valid_from", NULL}, &ifr},
                               {{"valid_to", NULL}, &ito},
                               {{"source", NULL}, &is},
                               {{"notes", NULL}, &in},
                               {{"approx", "approximation", NULL}, &iap}};
    csv_t c;
    const char *file = geo_arena_strdup(g, path);
    if (!file)
        return geo_nomem(err);
    pm_status_t rc = csv_open_cols(&c, path, "an alias file", want, 9, 2, err);
    if (rc != PM_OK)
        return rc;
    long line;
    int r;
    while ((r = csv_row(&c, &line)) > 0) {
        const char *alias = csv_get(&c, ia), *target = csv_get(&c, it);
        /* rows for another layer are skipped; "composites" rows lead to a composite's code */
        const char *layer = csv_get(&c, il);
        int to_composite = layer && strcasecmp(layer, "composites") == 0;
        int to_city = layer && strcasecmp(layer, "cities") == 0;
        if (layer && *layer && !to_composite && !to_city && strcasecmp(layer, g->layer_name) != 0)
            continue;
        char *a = geo_arena_trim(g, alias, alias ? strlen(alias) : 0);
        char *t = geo_arena_trim(g, target, target ? strlen(target) : 0);
        if (!a || !t) {
            pm_diag_add(&g->warnings, NULL, "%s:%ld: alias row without alias or target, left out",
                        path, line);
            continue;
        }
        const char *cc = csv_get(&c, ic), *src = csv_get(&c, is), *notes = csv_get(&c, in),
                   *ap = csv_get(&c, iap);
        pm_geo_alias_t row = {0};
        row.alias = a;
        row.target_code = t;
        row.country = geo_arena_trim(g, cc, cc ? strlen(cc) : 0);
        row.valid_from = geo_parse_year(csv_get(&c, ifr));
        row.valid_to = geo_parse_year(csv_get(&c, ito));
        row.source = geo_arena_trim(g, src, src ? strlen(src) : 0);
        row.notes = geo_arena_trim(g, notes, notes ? strlen(notes) : 0);
        row.approx = alias_approx(g, geo_arena_trim(g, ap, ap ? strlen(ap) : 0), row.notes);
        row.file = file;
        row.line = line;
        row.user = user;
        if (to_city) {
            if ((rc = keep_city_alias(g, &row, err)) != PM_OK)
                goto cleanup;
            continue;
        }
        size_t unit = 0, n = geo_units_by_code(g, t, &unit);
        if (to_composite && (n != 1 || g->units[unit].kind != PM_UNIT_COMPOSITE))
            continue; /* a composite of another layer (SU on countries) */
        if (n != 1) {
            pm_diag_add(&g->warnings, NULL,
                        n == 0
                            ? "%s:%ld: alias '%s' leads to '%s', which is no code in layer '%s'; "
                              "left out"
                            : "%s:%ld: alias '%s' leads to '%s', which is the code of several "
                              "units in layer '%s' (use a unique code such as adm1_code); left out",
                        path, line, a, t, g->layer_name);
            continue;
        }
        if (geo_grow((void **)&g->aliases, &g->cap_aliases, g->n_aliases, sizeof *g->aliases)) {
            rc = geo_nomem(err);
            goto cleanup;
        }
        g->aliases[g->n_aliases] = row;
        rc = geo_index_text(g, a, unit, user ? PM_GEO_SRC_USER_ALIAS : PM_GEO_SRC_ALIAS, 0,
                            (uint32_t)g->n_aliases, err);
        if (rc != PM_OK)
            goto cleanup;
        g->n_aliases++;
    }
    if (!rc)
        rc = csv_end(r, path, line, err);
cleanup:
    csv_close(&c);
    return rc;
}

/* ---- units
 * ------------------------------------------------------------------------------------------ */

pm_geo_unit_t *geo_new_unit(pm_geo_t *g, pm_unit_kind_t kind)
{
    if (geo_grow((void **)&g->units, &g->cap_units, g->n_units, sizeof *g->units))
        return NULL;
    pm_geo_unit_t *u = &g->units[g->n_units++];
    memset(u, 0, sizeof *u);
    u->kind = kind;
    u->label_lon = u->label_lat = NAN;
    u->fid = -1;
    u->valid_from = u->valid_to = PM_GEO_YEAR_NONE;
    return u;
}

/* 1 when a composite with this code was already loaded. */
/* 1 for a missing field or one of white space only (a code or name that trims to nothing). */
static int blank(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return !s || !*s;
}

static int composite_code_taken(const pm_geo_t *g, const char *code)
{
    for (size_t i = g->n_features; i < g->n_units; i++)
        if (g->units[i].kind == PM_UNIT_COMPOSITE && g->units[i].code &&
            !strcasecmp(g->units[i].code, code))
            return 1;
    return 0;
}

/* Resolves the space-separated member codes in list to feature ids of another layer (by its
 * first code field: adm1_code, iso_a2, code), with their label points. *bad names a code that
 * matched no feature. */
static pm_status_t foreign_members(OGRLayerH lyr, char *list, size_t **fids_out,
                                   double **labels_out, size_t *n_out, const char **bad,
                                   pm_error_t *err)
{
    static const char *const code_fields[] = {"adm1_code", "iso_a2", "code", NULL};
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    const char *field = NULL;
    for (size_t k = 0; code_fields[k] && !field; k++)
        if (OGR_FD_GetFieldIndex(d, code_fields[k]) >= 0)
            field = code_fields[k];
    int ilon = OGR_FD_GetFieldIndex(d, "label_lon"), ilat = OGR_FD_GetFieldIndex(d, "label_lat");
    size_t n = 0, cap = 0, lcap = 0;
    size_t *fids = NULL;
    double *labels = NULL;
    char *save = NULL;
    *bad = NULL;
    for (char *m = strtok_r(list, " \t;", &save); m && field; m = strtok_r(NULL, " \t;", &save)) {
        char filter[256];
        if (strchr(m, '\'')) {
            *bad = m;
            break;
        }
        snprintf(filter, sizeof filter, "%s = '%s'", field, m);
        OGR_L_SetAttributeFilter(lyr, filter);
        OGR_L_ResetReading(lyr);
        OGRFeatureH f = OGR_L_GetNextFeature(lyr);
        if (!f) {
            *bad = m;
            break;
        }
        if (geo_grow((void **)&fids, &cap, n, sizeof *fids) ||
            geo_grow((void **)&labels, &lcap, 2 * n + 1, 2 * sizeof *labels)) {
            OGR_F_Destroy(f);
            OGR_L_SetAttributeFilter(lyr, NULL);
            free(fids);
            free(labels);
            return geo_nomem(err);
        }
        fids[n] = (size_t)OGR_F_GetFID(f);
        labels[2 * n] = ilon >= 0 && OGR_F_IsFieldSetAndNotNull(f, ilon)
                            ? OGR_F_GetFieldAsDouble(f, ilon)
                            : NAN;
        labels[2 * n + 1] = ilat >= 0 && OGR_F_IsFieldSetAndNotNull(f, ilat)
                                ? OGR_F_GetFieldAsDouble(f, ilat)
                                : NAN;
        n++;
        OGR_F_Destroy(f);
    }
    OGR_L_SetAttributeFilter(lyr, NULL);
    if (!field || n == 0)
        *bad = *bad ? *bad : "(no code field)";
    *fids_out = fids;
    *labels_out = labels;
    *n_out = n;
    return PM_OK;
}

pm_status_t geo_load_composites(pm_geo_t *g, const char *path, pm_error_t *err)
{
    int icode, imem, iname, ien, iru, ilo, ico, ila, ifr, ito, iap, isr;
    const csv_want_t want[] = {
        {{"code", NULL}, &icode},   {{"members", NULL}, &imem},      {{"name", NULL}, &iname},
        {{"name_en", NULL}, &ien},  {{"name_ru", NULL}, &iru},       {{"name_local", NULL}, &ilo},
        {{"country", NULL}, &ico},  {{"layer", NULL}, &ila},         {{"valid_from", NULL}, &ifr},
        {{"valid_to", NULL}, &ito}, {{"approximation", NULL}, &iap}, {{"source", NULL}, &isr}};
    csv_t c;
    size_t *members = NULL;
    pm_status_t rc = csv_open_cols(&c, path, "a composites file", want, 12, 2, err);
    if (rc != PM_OK)
        return rc;
    long line;
    int r;
    while ((r = csv_row(&c, &line)) > 0) {
        const char *layer = csv_get(&c, ila);
        OGRLayerH foreign = NULL;
        if (layer && *layer && strcasecmp(layer, g->layer_name) != 0) {
            /* members in another layer of the same source: usable when that layer exists and
             * nothing of this layer already has the code (GDR on the countries layer) */
            foreign = g->ds ? GDALDatasetGetLayerByName(g->ds, layer) : NULL;
            const char *cd = csv_get(&c, icode);
            size_t dummy;
            if (!foreign || !cd || geo_units_by_code(g, cd, &dummy) > 0 ||
                composite_code_taken(g, cd))
                continue;
        }
        const char *code = csv_get(&c, icode), *mem = csv_get(&c, imem);
        if (blank(code) || !mem) {
            pm_diag_add(&g->warnings, NULL, "%s:%ld: composite without code or members, left out",
                        path, line);
            continue;
        }
        /* members: every code must name exactly one feature */
        size_t nm = 0, cap = 0;
        const char *bad = NULL;
        size_t bad_n = 0;
        char *copy = geo_arena_strdup(g, mem), *save = NULL;
        if (!copy) {
            rc = geo_nomem(err);
            goto cleanup;
        }
        double *labels = NULL;
        if (foreign) {
            rc = foreign_members(foreign, copy, &members, &labels, &nm, &bad, err);
            if (rc != PM_OK)
                goto cleanup;
            if (bad) {
                pm_diag_add(&g->warnings, NULL,
                            "%s:%ld: composite '%s' left out: member '%s' is not a code in layer "
                            "'%s'",
                            path, line, code, bad, layer);
                free(members);
                free(labels);
                members = NULL;
                continue;
            }
        }
        for (char *m = foreign ? NULL : strtok_r(copy, " \t;", &save); m;
             m = strtok_r(NULL, " \t;", &save)) {
            size_t unit = 0, n = geo_units_by_code(g, m, &unit);
            if (n != 1 || unit >= g->n_features) {
                bad = m;
                bad_n = n;
                break;
            }
            if (geo_grow((void **)&members, &cap, nm, sizeof *members)) {
                rc = geo_nomem(err);
                goto cleanup;
            }
            members[nm++] = unit;
        }
        if (bad || nm == 0) {
            pm_diag_add(
                &g->warnings, NULL, "%s:%ld: composite '%s' left out: member '%s' %s in layer '%s'",
                path, line, code, bad ? bad : "(none)",
                bad_n > 1 ? "is the code of several units" : "is not a code", g->layer_name);
            free(members);
            members = NULL;
            continue;
        }
        size_t idx = g->n_units;
        pm_geo_unit_t *u = geo_new_unit(g, PM_UNIT_COMPOSITE);
        size_t *ms = geo_arena_alloc(g, nm * sizeof *ms);
        if (!u || !ms) {
            rc = geo_nomem(err);
            goto cleanup;
        }
        memcpy(ms, members, nm * sizeof *ms);
        free(members);
        members = NULL;
        if (foreign) {
            double *ls = geo_arena_alloc(g, 2 * nm * sizeof *ls);
            if (!ls) {
                free(labels);
                rc = geo_nomem(err);
                goto cleanup;
            }
            memcpy(ls, labels, 2 * nm * sizeof *ls);
            u->member_layer = geo_arena_strdup(g, layer);
            u->member_labels = ls;
        }
        free(labels);
        const char *v;
        u->code = geo_arena_trim(g, code, strlen(code));
        u->name = (v = csv_get(&c, iname)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        u->name_en = (v = csv_get(&c, ien)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        u->name_ru = (v = csv_get(&c, iru)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        u->name_local = (v = csv_get(&c, ilo)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        v = csv_get(&c, ico);
        u->country = geo_country_code(g, v);
        if (!u->country)
            u->country = geo_country_code(g, u->code); /* a historical country: its code */
        u->type = "composite";
        u->members = ms;
        u->n_members = nm;
        u->valid_from = geo_parse_year(csv_get(&c, ifr));
        u->valid_to = geo_parse_year(csv_get(&c, ito));
        u->approximation = (v = csv_get(&c, iap)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        u->source = (v = csv_get(&c, isr)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        const char *names[] = {u->name, u->name_en, u->name_ru, u->name_local};
        rc = geo_index_text(g, u->code, idx, PM_GEO_SRC_COMPOSITE_CODE, 0, UINT32_MAX, err);
        for (size_t k = 0; rc == PM_OK && k < 4; k++)
            if (names[k])
                rc = geo_index_names(g, names[k], idx, PM_GEO_SRC_COMPOSITE, 0, UINT32_MAX, err);
        /* a composite country (SU) is also a country name */
        if (rc == PM_OK && strlen(u->code) == 2 && u->country)
            for (size_t k = 0; rc == PM_OK && k < 4; k++)
                rc = geo_add_country_name(g, names[k], u->country, err);
        if (rc != PM_OK)
            goto cleanup;
    }
    if (!rc)
        rc = csv_end(r, path, line, err);
cleanup:
    free(members);
    csv_close(&c);
    return rc;
}

static pm_status_t parse_coord(const char *s, double lo, double hi, double *out)
{
    if (!s)
        return PM_EDATA;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno || !(v >= lo && v <= hi))
        return PM_EDATA;
    *out = v;
    return PM_OK;
}

pm_status_t geo_load_places(pm_geo_t *g, const char *path, pm_error_t *err)
{
    int in, ix, iy, ir, ic;
    const csv_want_t want[] = {{{"name", "place", NULL}, &in},
                               {{"lon", "longitude", "x", "lng", NULL}, &ix},
                               {{"lat", "latitude", "y", NULL}, &iy},
                               {{"region", NULL}, &ir},
                               {{"country", NULL}, &ic}};
    csv_t c;
    pm_status_t rc = csv_open_cols(&c, path, "a places file", want, 5, 3, err);
    if (rc != PM_OK)
        return rc;
    long line;
    int r;
    while ((r = csv_row(&c, &line)) > 0) {
        const char *name = csv_get(&c, in), *v;
        double lon, lat;
        if (blank(name)) {
            rc = pm_error_set(err, PM_EDATA, "%s:%ld: place without a name", path, line);
            goto cleanup;
        }
        if (parse_coord(csv_get(&c, ix), -180, 180, &lon) != PM_OK ||
            parse_coord(csv_get(&c, iy), -90, 90, &lat) != PM_OK) {
            rc = pm_error_set(err, PM_EDATA,
                              "%s:%ld: place '%s' needs lon in [-180, 180] and lat in [-90, 90] "
                              "(got '%s', '%s')",
                              path, line, name, csv_get(&c, ix) ? csv_get(&c, ix) : "",
                              csv_get(&c, iy) ? csv_get(&c, iy) : "");
            goto cleanup;
        }
        size_t idx = g->n_units;
        pm_geo_unit_t *u = geo_new_unit(g, PM_UNIT_POINT);
        if (!u) {
            rc = geo_nomem(err);
            goto cleanup;
        }
        u->name = u->code = geo_arena_trim(g, name, strlen(name));
        u->region = (v = csv_get(&c, ir)) ? geo_arena_trim(g, v, strlen(v)) : NULL;
        u->country = geo_country_code(g, csv_get(&c, ic));
        u->type = "point";
        u->is_city = 1;
        u->label_lon = lon;
        u->label_lat = lat;
        rc =
            u->name ? geo_index_text(g, u->name, idx, PM_GEO_SRC_POINT, 0, UINT32_MAX, err) : PM_OK;
        if (rc != PM_OK)
            goto cleanup;
    }
    if (!rc)
        rc = csv_end(r, path, line, err);
cleanup:
    csv_close(&c);
    return rc;
}
