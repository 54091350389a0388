/*
 * pm_uncert_shard: the replicates of one shard in a file, and the merge of all shards' files
 * into one complete run (docs/formats.md, "Uncertainty shards").
 *
 * A shard file is a short text header, one "key value" per line, ended by an empty line, then
 * one binary record per replicate: its 0-based number (uint32) and its `stride` values (IEEE
 * float64), all little-endian. The values are the doubles the replicate computed, so a merge
 * summarises exactly what one process would have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pm_io.h"
#include "pm_uncert.h"

#define MAGIC "partnermap uncertainty shard 1\n"

static void put_u32(pm_buf_t *b, uint32_t x)
{
    char c[4];
    for (int i = 0; i < 4; i++)
        c[i] = (char)((x >> (8 * i)) & 0xff);
    pm_buf_append(b, c, 4);
}

static void put_f64(pm_buf_t *b, double d)
{
    uint64_t x;
    memcpy(&x, &d, 8);
    char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (char)((x >> (8 * i)) & 0xff);
    pm_buf_append(b, c, 8);
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t x = 0;
    for (int i = n - 1; i >= 0; i--)
        x = (x << 8) | p[i];
    return x;
}

/* The header lines that must agree between shards and the merging run. */
static void header_common(const pm_uncert_t *u, pm_buf_t *b)
{
    pm_buf_printf(b, "model %016llx\nseed %lu\nreplicates %zu\nplaces %zu\nmetrics",
                  (unsigned long long)u->fingerprint, u->seed, u->total, u->n);
    for (size_t j = 0; j < u->k; j++)
        pm_buf_printf(b, " %s", u->metric[j]);
    pm_buf_printf(b, "\nnetwork %d\n", PM_UNCERT_N_NETWORK);
}

pm_status_t pm_uncert_shard_write(const pm_uncert_t *u, const pm_uncert_opts_t *o, pm_buf_t *out,
                                  pm_error_t *err)
{
    pm_buf_puts(out, MAGIC);
    header_common(u, out);
    pm_buf_printf(out, "shard %zu/%zu\nrecords %zu\n\n", o->shard_n ? o->shard_k : 1,
                  o->shard_n ? o->shard_n : 1, u->n_rep);
    for (size_t t = 0; t < u->n_rep; t++) {
        put_u32(out, u->index[t]);
        for (size_t v = 0; v < u->stride; v++)
            put_f64(out, u->values[t * u->stride + v]);
    }
    return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory") : PM_OK;
}

/* Checks the len bytes data of the shard file path against the header like's run writes (magic,
 * model, seed, N, places, metrics, network) and for a whole body: the records its header counts,
 * each of the right size. Sets *k / *n (its shard), *records and *body (the first record). The
 * one header parser: the merge and the check of a shard submitted again both use it. hint ends
 * the message of another run's shard (what to do about it). */
static pm_status_t check_header(const char *path, const char *data, size_t len,
                                const pm_uncert_t *like, size_t *k, size_t *n, size_t *records,
                                const unsigned char **body, const char *hint, pm_error_t *err)
{
    pm_buf_t want;
    pm_buf_init(&want);
    pm_buf_puts(&want, MAGIC);
    header_common(like, &want);
    const char *end = NULL;
    size_t wl = want.len;
    pm_status_t st = PM_OK;
    if (pm_buf_failed(&want)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (len < sizeof MAGIC - 1 || memcmp(data, MAGIC, sizeof MAGIC - 1)) {
        st = pm_error_set(err, PM_EDATA, "%s: not a partnermap uncertainty shard", path);
        goto cleanup;
    }
    if (len < wl || memcmp(data, pm_buf_str(&want), wl)) {
        st = pm_error_set(err, PM_EDATA,
                          "%s: a shard of another run (its table, options, seed, number of "
                          "replicates or metrics differ from this one's)%s",
                          path, hint);
        goto cleanup;
    }
    /* the header is text ended by an empty line: look for it within the bytes there are */
    for (const char *q = data + wl; q + 1 < data + len && !end; q++)
        if (q[0] == '\n' && q[1] == '\n')
            end = q;
    if (!end || sscanf(data + wl, "shard %zu/%zu\nrecords %zu\n", k, n, records) != 3) {
        st = pm_error_set(err, PM_EDATA, "%s: a damaged shard header", path);
        goto cleanup;
    }
    const unsigned char *p = (const unsigned char *)end + 2;
    size_t rec = 4 + 8 * like->stride, have = len - (size_t)((const char *)p - data);
    if (*records > len / rec || have != *records * rec) {
        st = pm_error_set(err, PM_EDATA,
                          "%s: %zu bytes of replicate values where %zu records need %zu (a "
                          "shard cut short?)",
                          path, have, *records, *records * rec);
        goto cleanup;
    }
    *body = p;
cleanup:
    pm_buf_destroy(&want);
    return st;
}

/* Reads one shard file into u (allocated for all N), marking seen[]. */
static pm_status_t read_one(const char *path, const pm_uncert_t *like, pm_uncert_t *u,
                            unsigned char *seen, pm_error_t *err)
{
    char *data = NULL;
    size_t len = 0, k = 0, n = 0, records = 0;
    const unsigned char *p = NULL;
    pm_status_t st = pm_io_read_all(path, &data, &len, err);
    if (st)
        return st;
    if ((st = check_header(path, data, len, like, &k, &n, &records, &p,
                           "; merge with the options the shards were made with", err)))
        goto cleanup;
    size_t rec = 4 + 8 * u->stride;
    for (size_t t = 0; t < records; t++, p += rec) {
        uint32_t r = (uint32_t)get_le(p, 4);
        if (r >= u->total || seen[r]) {
            st = pm_error_set(err, PM_EDATA,
                              r >= u->total ? "%s: replicate %u is beyond the run's %zu"
                                            : "%s: replicate %u is in two shards (the same "
                                              "shard given twice?)",
                              path, r + 1, u->total);
            goto cleanup;
        }
        seen[r] = 1;
        u->index[r] = r;
        for (size_t v = 0; v < u->stride; v++) {
            uint64_t x = get_le(p + 4 + 8 * v, 8);
            memcpy(&u->values[(size_t)r * u->stride + v], &x, 8);
        }
    }
cleanup:
    free(data);
    return st;
}

pm_status_t pm_uncert_shard_check(const char *path, const pm_uncert_t *like,
                                  const pm_uncert_opts_t *o, pm_error_t *err)
{
    char *data = NULL;
    size_t len = 0, k = 0, n = 0, records = 0;
    const unsigned char *p = NULL;
    size_t want_k = o->shard_n ? o->shard_k : 1, want_n = o->shard_n ? o->shard_n : 1;
    size_t first = want_k - 1;
    size_t n_rep = like->total > first ? (like->total - first + want_n - 1) / want_n : 0;
    pm_status_t st = pm_io_read_all(path, &data, &len, err);
    if (st)
        return st;
    if ((st = check_header(path, data, len, like, &k, &n, &records, &p, "", err)))
        goto cleanup;
    if (k != want_k || n != want_n) {
        st = pm_error_set(err, PM_EDATA, "%s: holds shard %zu/%zu, not %zu/%zu", path, k, n, want_k,
                          want_n);
        goto cleanup;
    }
    if (records != n_rep) {
        st = pm_error_set(err, PM_EDATA, "%s: %zu replicates where shard %zu/%zu has %zu", path,
                          records, k, n, n_rep);
        goto cleanup;
    }
    for (size_t t = 0; t < records; t++, p += 4 + 8 * like->stride)
        if (get_le(p, 4) != first + t * want_n) {
            st = pm_error_set(err, PM_EDATA, "%s: record %zu is not replicate %zu of shard %zu/%zu",
                              path, t + 1, first + t * want_n + 1, k, n);
            goto cleanup;
        }
cleanup:
    free(data);
    return st;
}

/* The *.pmu files of folder dir, sorted (caller frees with pm_strv_free). */
static int shard_file(const char *name)
{
    size_t l = strlen(name);
    return l >= 5 && !strcmp(name + l - 4, ".pmu");
}

pm_status_t pm_uncert_merge(const char *const *paths, size_t n_paths, const pm_uncert_t *like,
                            pm_uncert_t *out, pm_error_t *err)
{
    pm_uncert_t u = *like;
    u.index = NULL;
    u.values = NULL;
    u.observed = malloc(like->stride * sizeof *u.observed);
    u.index = malloc(like->total * sizeof *u.index);
    u.values = malloc(like->total * like->stride * sizeof *u.values);
    unsigned char *seen = calloc(like->total, 1);
    pm_status_t st = PM_OK;
    size_t files = 0;
    if (!u.observed || !u.index || !u.values || !seen) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(u.observed, like->observed, like->stride * sizeof *u.observed);
    for (size_t i = 0; i < n_paths && !st; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            char **v = NULL;
            size_t n = 0;
            if ((st = pm_io_list_dir(paths[i], shard_file, &v, &n, err)))
                break;
            for (size_t j = 0; j < n && !st; j++, files++)
                st = read_one(v[j], like, &u, seen, err);
            pm_strv_free(v, n);
        } else {
            st = read_one(paths[i], like, &u, seen, err);
            files++;
        }
    }
    if (st)
        goto cleanup;
    if (!files) {
        st = pm_error_set(err, PM_EIO, "no shard files (*.pmu) in %s", paths[0]);
        goto cleanup;
    }
    size_t missing = 0, first = 0;
    for (size_t r = 0; r < like->total; r++)
        if (!seen[r] && !missing++)
            first = r;
    if (missing) {
        st = pm_error_set(err, PM_EDATA,
                          "%zu of %zu replicates missing from the shards (the first: replicate "
                          "%zu); run the missing shards and merge again",
                          missing, like->total, first + 1);
        goto cleanup;
    }
    u.n_rep = like->total;
    *out = u;
    memset(&u, 0, sizeof u);
cleanup:
    free(seen);
    pm_uncert_destroy(&u);
    return st;
}
