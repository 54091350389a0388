/*
 * pm_batch: manifests, paths, shards and run hashes (see pm_batch.h).
 */
#include "pm_batch.h"

#include <ctype.h>
#include <gdal.h>
#include <glib.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pm_io.h"
#include "pm_redact.h"
#include "pm_error_adapt.h"
#include "pm_runtime.h"
#include "pm_table.h"

void pm_batch_init(pm_batch_t *b)
{
    memset(b, 0, sizeof *b);
}

static void run_free(pm_batch_run_t *r)
{
    free(r->name);
    free(r->ties);
    for (size_t i = 0; i < r->argc; i++)
        free(r->argv[i]);
    free(r->argv);
}

void pm_batch_destroy(pm_batch_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        run_free(&b->runs[i]);
    free(b->runs);
    pm_batch_init(b);
}

pm_status_t pm_batch_split_words(const char *s, char ***argv_out, size_t *argc_out, pm_error_t *err)
{
    char **argv = calloc(strlen(s) / 2 + 2, sizeof *argv);
    char *word = malloc(strlen(s) + 1);
    size_t argc = 0;
    if (!argv || !word) {
        free(argv);
        free(word);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    const char *p = s;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        size_t n = 0;
        char quote = 0;
        for (; *p && (quote || !isspace((unsigned char)*p)); p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
                else if (*p == '\\' && quote == '"' && p[1])
                    word[n++] = *++p;
                else
                    word[n++] = *p;
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == '\\' && p[1]) {
                word[n++] = *++p;
            } else {
                word[n++] = *p;
            }
        }
        if (quote) {
            for (size_t i = 0; i < argc; i++)
                free(argv[i]);
            free(argv);
            free(word);
            return pm_error_set(err, PM_EDATA, "unbalanced %c quote in '%s'", quote, s);
        }
        word[n] = '\0';
        argv[argc++] = strdup(word);
    }
    free(word);
    argv[argc] = NULL;
    *argv_out = argv;
    *argc_out = argc;
    return PM_OK;
}

static int push_run(pm_batch_t *b, pm_batch_run_t *r)
{
    pm_batch_run_t *runs = realloc(b->runs, (b->n + 1) * sizeof *runs);
    if (!runs)
        return -1;
    b->runs = runs;
    b->runs[b->n++] = *r;
    return 0;
}

/* A folder-safe name: letters, digits, '-', '_', '.', other bytes (and UTF-8) kept except '/'
 * and control characters, which become '_'. */
static char *safe_name(const char *s)
{
    char *r = strdup(*s ? s : "run");
    for (char *p = r; p && *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == '\\')
            *p = '_';
    if (r && (!strcmp(r, ".") || !strcmp(r, "..")))
        r[0] = '_';
    return r;
}

static int name_taken(const pm_batch_t *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->runs[i].name, name))
            return 1;
    return 0;
}

static char *join_dir(const char *base_file, const char *rel)
{
    if (rel[0] == '/' || !strchr(base_file, '/') || pm_table_is_database(rel))
        return strdup(rel);
    const char *slash = strrchr(base_file, '/');
    size_t n = (size_t)(slash - base_file) + 1 + strlen(rel) + 1;
    char *r = malloc(n);
    if (r)
        snprintf(r, n, "%.*s/%s", (int)(slash - base_file), base_file, rel);
    return r;
}

static pm_status_t add_option(pm_batch_run_t *r, const char *opt, const char *value,
                              pm_error_t *err)
{
    char **argv = realloc(r->argv, (r->argc + 3) * sizeof *argv);
    if (!argv)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    r->argv = argv;
    size_t n = strlen(opt) + 3;
    char *flag = malloc(n);
    if (!flag)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    snprintf(flag, n, "--%s", opt);
    r->argv[r->argc++] = flag;
    if (value)
        r->argv[r->argc++] = strdup(value);
    r->argv[r->argc] = NULL;
    return PM_OK;
}

pm_status_t pm_batch_read_manifest(const char *path, pm_batch_t *out, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    const char *text_opts[] = {"AUTODETECT_TYPE=NO", "HEADERS=YES", NULL};
    pm_runtime_gdal_reset();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                 NULL, text_opts, NULL);
    if (!ds)
        return pm_error_set(err, PM_EIO, "cannot read the manifest '%s': %s", path,
                            pm_runtime_gdal_msg());
    OGRLayerH layer = GDALDatasetGetLayerCount(ds) ? GDALDatasetGetLayer(ds, 0) : NULL;
    OGRFeatureDefnH defn = layer ? OGR_L_GetLayerDefn(layer) : NULL;
    int fname = defn ? OGR_FD_GetFieldIndex(defn, "name") : -1;
    int fties = defn ? OGR_FD_GetFieldIndex(defn, "ties") : -1;
    int fopts = defn ? OGR_FD_GetFieldIndex(defn, "options") : -1;
    if (fname < 0 || fties < 0) {
        GDALClose(ds);
        return pm_error_set(err, PM_EDATA,
                            "%s: a manifest needs the columns 'name' and 'ties' "
                            "(and optionally 'options' or one column per option)",
                            path);
    }
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        long line = (long)OGR_F_GetFID(f) + 1;
        pm_batch_run_t r;
        memset(&r, 0, sizeof r);
        r.line = line;
        const char *name = OGR_F_GetFieldAsString(f, fname);
        const char *ties = OGR_F_GetFieldAsString(f, fties);
        if (!*name || !*ties) {
            st = pm_error_set(err, PM_EDATA, "%s:%ld: every run needs a name and a ties file", path,
                              line);
            OGR_F_Destroy(f);
            break;
        }
        r.name = safe_name(name);
        r.ties = join_dir(path, ties);
        if (fopts >= 0 && *OGR_F_GetFieldAsString(f, fopts)) {
            st = pm_batch_split_words(OGR_F_GetFieldAsString(f, fopts), &r.argv, &r.argc, err);
            if (st) {
                char msg[PM_ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", err->msg);
                pm_error_set(err, PM_EDATA, "%s:%ld: %s", path, line, msg);
            }
        } else {
            r.argv = calloc(1, sizeof *r.argv);
        }
        for (int i = 0; !st && i < OGR_FD_GetFieldCount(defn); i++) {
            if (i == fname || i == fties || i == fopts || !OGR_F_IsFieldSetAndNotNull(f, i))
                continue;
            const char *v = OGR_F_GetFieldAsString(f, i);
            if (!*v)
                continue;
            const char *col = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
            /* boolean flags: a column "directed" with yes/true/1 becomes --directed */
            int flag = !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1");
            int off = !strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0");
            if (!strcasecmp(col, "directed") || !strcasecmp(col, "normalized")) {
                if (flag)
                    st = add_option(&r, col, NULL, err);
                else if (!off)
                    st = pm_error_set(err, PM_EDATA, "%s:%ld: column '%s' takes yes or no", path,
                                      line, col);
            } else {
                st = add_option(&r, col, v, err);
            }
        }
        OGR_F_Destroy(f);
        if (!st && (!r.name || !r.ties || !r.argv))
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
        if (!st && name_taken(out, r.name))
            st = pm_error_set(err, PM_EDATA, "%s:%ld: run name '%s' is used twice", path, line,
                              r.name);
        if (st || push_run(out, &r)) {
            run_free(&r);
            if (!st)
                st = pm_error_set(err, PM_ENOMEM, "out of memory");
            break;
        }
    }
    GDALClose(ds);
    if (!st && out->n == 0)
        st = pm_error_set(err, PM_EDATA, "%s: the manifest has no runs", path);
    return st;
}

static int tie_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const char *const exts[] = {".csv", ".tsv", ".xlsx", ".ods", ".gpkg", NULL};
    for (size_t i = 0; dot && exts[i]; i++)
        if (!strcasecmp(dot, exts[i]))
            return 1;
    return 0;
}

/* The database a connection string names (dbname=NAME, or the path of a postgresql:// URI), as
 * a new string; "database" when it names none. Never its password. */
static char *database_name(const char *conn)
{
    const char *v = NULL;
    size_t n = 0;
    for (const char *p = conn; *p && !v; p++) {
        if (!strncasecmp(p, "dbname", 6) && (p == conn || !isalnum((unsigned char)p[-1]))) {
            const char *q = p + 6;
            while (*q == ' ')
                q++;
            if (*q++ != '=')
                continue;
            while (*q == ' ')
                q++;
            int quoted = *q == '\'';
            v = q + quoted;
            n = quoted ? strcspn(v, "'") : strcspn(v, " \t");
        } else if (!strncmp(p, "://", 3)) {
            const char *slash = strchr(p + 3, '/');
            if (slash) {
                v = slash + 1;
                n = strcspn(v, "?# \t");
            }
        }
    }
    return v && n ? strndup(v, n) : strdup("database");
}

static pm_status_t add_file(pm_batch_t *b, const char *file, pm_error_t *err)
{
    int db = pm_table_is_database(file);
    const char *base = !db && strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char *stem = db ? database_name(file) : strdup(base);
    if (!stem)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    char *dot = db ? NULL : strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    /* samples/x/ties.csv: name the run after its folder */
    if (!db && !strcmp(stem, "ties") && base != file) {
        size_t dl = (size_t)(base - file) - 1;
        const char *d0 = file;
        for (size_t i = 0; i < dl; i++)
            if (file[i] == '/')
                d0 = file + i + 1;
        free(stem);
        stem = strndup(d0, (size_t)(file + dl - d0));
    }
    pm_batch_run_t r;
    memset(&r, 0, sizeof r);
    r.name = safe_name(stem);
    free(stem);
    for (int k = 2; r.name && name_taken(b, r.name); k++) {
        size_t n = strlen(r.name) + 16;
        char *alt = malloc(n);
        if (alt)
            snprintf(alt, n, "%s-%d", r.name, k);
        free(r.name);
        r.name = alt;
    }
    r.ties = strdup(file);
    r.argv = calloc(1, sizeof *r.argv);
    if (!r.name || !r.ties || !r.argv || push_run(b, &r)) {
        run_free(&r);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    return PM_OK;
}

pm_status_t pm_batch_add_path(pm_batch_t *b, const char *path, pm_error_t *err)
{
    struct stat sb;
    if (pm_table_is_database(path))
        return add_file(b, path, err);
    if (stat(path, &sb) != 0)
        return pm_error_set(err, PM_EIO, "cannot open '%s': no such file or folder", path);
    if (!S_ISDIR(sb.st_mode))
        return add_file(b, path, err);
    char **paths = NULL;
    size_t n = 0;
    pm_status_t st = pm_io_list_dir(path, tie_file, &paths, &n, err);
    if (!st && n == 0)
        st = pm_error_set(err, PM_EDATA,
                          "'%s' holds no tie tables (.csv, .tsv, .xlsx, .ods, .gpkg)", path);
    for (size_t i = 0; !st && i < n; i++)
        st = add_file(b, paths[i], err);
    pm_strv_free(paths, n);
    return st;
}

/* 1 when path is a CSV whose header has name and ties columns (a manifest). */
static int looks_like_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096] = "";
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    int name = 0, ties = 0;
    for (char *t = strtok(line, ",\r\n"); t; t = strtok(NULL, ",\r\n")) {
        while (*t == '"' || *t == ' ')
            t++;
        name |= !strncmp(t, "name", 4) && (t[4] == '\0' || t[4] == '"');
        ties |= !strncmp(t, "ties", 4) && (t[4] == '\0' || t[4] == '"');
    }
    return name && ties;
}

pm_status_t pm_batch_plan(pm_batch_t *b, const char *manifest, char *const *paths, size_t n_paths,
                          const char *shard, int independent, size_t **index_out, int *draw_k,
                          int *draw_n, pm_error_t *err)
{
    pm_status_t st = PM_OK;
    size_t *index = NULL;
    char **names = NULL;
    *draw_k = *draw_n = 0;
    if (manifest)
        st = pm_batch_read_manifest(manifest, b, err);
    for (size_t i = 0; !st && i < n_paths; i++)
        st = n_paths == 1 && !manifest && looks_like_manifest(paths[i])
                 ? pm_batch_read_manifest(paths[i], b, err)
                 : pm_batch_add_path(b, paths[i], err);
    if (st)
        goto cleanup;
    size_t total = b->n;
    index = malloc((total ? total : 1) * sizeof *index);
    names = malloc((total ? total : 1) * sizeof *names);
    if (!index || !names) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < total; i++) {
        names[i] = b->runs[i].name;
        index[i] = i;
    }
    if (shard && independent) {
        st = pm_batch_shard(b, shard, err);
    } else if (shard) {
        pm_batch_t probe;
        pm_batch_init(&probe);
        st = pm_batch_shard(&probe, shard, err); /* validates K/N */
        if (!st && sscanf(shard, "%d/%d", draw_k, draw_n) != 2)
            *draw_k = *draw_n = 0;
    }
    /* the names are kept by the runs a shard keeps: find each one's place in the whole list */
    for (size_t i = 0; !st && i < b->n; i++)
        for (size_t k = 0; k < total; k++)
            if (names[k] == b->runs[i].name) {
                index[i] = k;
                break;
            }
    if (!st) {
        *index_out = index;
        index = NULL;
    }
cleanup:
    free(names);
    free(index);
    return st;
}

pm_status_t pm_batch_shard(pm_batch_t *b, const char *spec, pm_error_t *err)
{
    int k, n;
    char tail;
    if (sscanf(spec, "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n)
        return pm_error_set(err, PM_EUSAGE, "--shard '%s': write K/N with 1 <= K <= N, e.g. 2/8",
                            spec);
    size_t kept = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (i % (size_t)n == (size_t)(k - 1))
            b->runs[kept++] = b->runs[i];
        else
            run_free(&b->runs[i]);
    }
    b->n = kept;
    return PM_OK;
}

pm_status_t pm_batch_run_hash(const pm_batch_run_t *r, const char *extra, char **hex_out,
                              pm_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    pm_status_t st = PM_OK;
    if (pm_table_is_database(r->ties)) {
        /* no file whose bytes could show the table unchanged: the connection string without
         * its password stands for it (the CLI redoes such runs every time) */
        if ((data = pm_redact_dup(r->ties)) == NULL)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        len = strlen(data);
    } else if ((st = pm_io_read_all(r->ties, &data, &len, err))) {
        return st;
    }
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(c, (const guchar *)data, (gssize)len);
    free(data);
    for (size_t i = 0; i < r->argc; i++) {
        g_checksum_update(c, (const guchar *)"\0", 1);
        g_checksum_update(c, (const guchar *)r->argv[i], -1);
    }
    g_checksum_update(c, (const guchar *)"\0extra\0", 7);
    if (extra)
        g_checksum_update(c, (const guchar *)extra, -1);
    *hex_out = strdup(g_checksum_get_string(c));
    g_checksum_free(c);
    return *hex_out ? PM_OK : pm_error_set(err, PM_ENOMEM, "out of memory");
}
