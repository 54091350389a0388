/*
 * pm_io: atomic whole-file writes and whole-file reads (see pm_io.h).
 */
#include "pm_io.h"
#include "pm_buf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary files made and not yet committed or abandoned, for the signal handler: slots
 * taken and released with atomic operations, which a handler may read. More than MAX_PENDING at
 * once are left untracked. */
#define MAX_PENDING 64
static _Atomic(char *) pending[MAX_PENDING];

static void track(char *tmp)
{
    for (size_t i = 0; i < MAX_PENDING; i++) {
        char *none = NULL;
        if (atomic_compare_exchange_strong(&pending[i], &none, tmp))
            return;
    }
}

static void untrack(const char *tmp)
{
    for (size_t i = 0; i < MAX_PENDING; i++)
        if (atomic_load(&pending[i]) == tmp)
            atomic_store(&pending[i], NULL);
}

void pm_io_remove_pending(void)
{
    for (size_t i = 0; i < MAX_PENDING; i++) {
        char *p = atomic_load(&pending[i]);
        if (p)
            unlink(p);
    }
}

pm_status_t pm_io_temp_for(const char *path, char **tmp_out, int *fd, pm_error_t *err)
{
    /* a device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a file
     * over it would replace the device */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        if (S_ISDIR(sb.st_mode))
            return pm_error_set(err, PM_EUSAGE, "'%s' is a folder; name the file to write", path);
        int f = open(path, O_WRONLY | O_CLOEXEC);
        if (f < 0)
            return pm_error_set(err, PM_EIO, "cannot write '%s': %s", path, strerror(errno));
        *tmp_out = NULL;
        *fd = f;
        return PM_OK;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dirlen + strlen(base) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    snprintf(tmp, n, "%.*s.%s" PM_IO_TEMP_SUFFIX, (int)dirlen, path, base);
    /* tracked before it exists: mkstemp writes the name into tmp before it creates the file, so a
     * signal handled at any moment (in this thread or another) finds the file by its name */
    track(tmp);
    int f = mkstemp(tmp);
    if (f < 0) {
        int e = errno;
        untrack(tmp);
        free(tmp);
        return pm_error_set(err, PM_EIO, "cannot create '%s': %s (does the folder exist?)", path,
                            strerror(e));
    }
    /* mkstemp makes the file 0600; outputs are ordinary files the user shares. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(f, 0666 & ~mask);
    *tmp_out = tmp;
    *fd = f;
    return PM_OK;
}

pm_status_t pm_io_commit(const char *tmp, const char *path, pm_error_t *err)
{
    if (!tmp)
        return PM_OK; /* written in place */
    int f = open(tmp, O_RDONLY);
    if (f >= 0) {
        fsync(f);
        close(f);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        untrack(tmp);
        return pm_error_set(err, PM_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    untrack(tmp);
    return PM_OK;
}

void pm_io_abandon(const char *tmp)
{
    if (tmp) {
        unlink(tmp);
        untrack(tmp);
    }
}

pm_status_t pm_io_write_atomic(const char *path, const void *data, size_t len, pm_error_t *err)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return pm_error_set(err, PM_EIO, "cannot write to standard output: %s",
                                strerror(errno));
        return PM_OK;
    }
    char *tmp = NULL;
    int fd = -1;
    pm_status_t st = pm_io_temp_for(path, &tmp, &fd, err);
    if (st)
        return st;
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            st = pm_error_set(err, PM_EIO, "cannot write '%s': %s", path, strerror(errno));
            goto cleanup;
        }
        p += w;
        left -= (size_t)w;
    }
    if (close(fd) != 0) {
        fd = -1;
        st = pm_error_set(err, PM_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    st = pm_io_commit(tmp, path, err);
    free(tmp);
    return st;
cleanup:
    if (fd >= 0)
        close(fd);
    pm_io_abandon(tmp);
    free(tmp);
    return st;
}

pm_status_t pm_io_read_all(const char *path, char **data_out, size_t *len_out, pm_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pm_error_set(err, PM_EIO, "cannot open '%s': %s", path, strerror(errno));
    char *data = NULL;
    size_t len = 0, cap = 0;
    pm_status_t st = PM_OK;
    /* a regular file that another program writes while we read it (a spreadsheet still saving,
     * a script appending) would be read as a mix of two versions: its size and modification
     * time before and after the read must agree, else the read is refused */
    struct stat before, after;
    int regular = fstat(fileno(f), &before) == 0 && S_ISREG(before.st_mode);
    for (;;) {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 65536;
            char *d = realloc(data, cap + 1);
            if (!d) {
                st = pm_error_set(err, PM_ENOMEM, "out of memory reading '%s'", path);
                goto cleanup;
            }
            data = d;
        }
        size_t r = fread(data + len, 1, cap - len, f);
        len += r;
        if (r == 0) {
            if (ferror(f)) {
                st = pm_error_set(err, PM_EIO, "cannot read '%s': %s", path, strerror(errno));
                goto cleanup;
            }
            break;
        }
    }
    if (regular && (fstat(fileno(f), &after) != 0 || after.st_size != before.st_size ||
                    (before.st_size != 0 && (off_t)len != before.st_size) ||
                    after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)) {
        st = pm_error_set(err, PM_EIO,
                          "'%s' changed while it was read (is another program still writing "
                          "it?); run again once it is complete",
                          path);
        goto cleanup;
    }
    data[len] = '\0';
    *data_out = data;
    *len_out = len;
    fclose(f);
    return PM_OK;
cleanup:
    free(data);
    fclose(f);
    return st;
}

int pm_io_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

int pm_io_is_temp_name(const char *name)
{
    size_t n = strlen(name), k = strlen(PM_IO_TEMP_SUFFIX);
    if (name[0] != '.' || n < k + 2 || name[n - k] != '.')
        return 0;
    for (size_t i = n - k + 1; i < n; i++)
        if (!isalnum((unsigned char)name[i]))
            return 0; /* mkstemp's six letters and digits */
    return 1;
}

void pm_io_remove_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!pm_io_is_temp_name(e->d_name))
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (p) {
            snprintf(p, n, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        free(p);
    }
    closedir(d);
}

pm_status_t pm_io_mkdirs(const char *path, pm_error_t *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 1);
    if (!tmp)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    memcpy(tmp, path, n + 1);
    int bad = 0;
    for (char *p = tmp + 1; *p && !bad; p++) {
        if (*p == '/') {
            *p = '\0';
            bad = mkdir(tmp, 0777) && errno != EEXIST;
            *p = '/';
        }
    }
    bad = bad || (mkdir(tmp, 0777) && errno != EEXIST);
    int e = errno;
    free(tmp);
    if (bad)
        return pm_error_set(err, PM_EIO, "cannot create the folder '%s': %s", path, strerror(e));
    return PM_OK;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

pm_status_t pm_io_list_dir(const char *dir, int (*keep)(const char *name), char ***paths_out,
                           size_t *n_out, pm_error_t *err)
{
    *paths_out = NULL;
    *n_out = 0;
    DIR *d = opendir(dir);
    if (!d)
        return pm_error_set(err, PM_EIO, "cannot read the folder '%s'", dir);
    char **v = NULL;
    size_t n = 0;
    struct dirent *e;
    pm_status_t st = PM_OK;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !keep(e->d_name))
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char **nv = realloc(v, (n + 1) * sizeof *v);
        if (nv)
            v = nv;
        char *path = nv ? malloc(len) : NULL;
        if (!path) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            break;
        }
        snprintf(path, len, "%s/%s", dir, e->d_name);
        v[n++] = path;
    }
    closedir(d);
    if (st) {
        pm_strv_free(v, n);
        return st;
    }
    if (n)
        qsort(v, n, sizeof *v, cmp_path);
    *paths_out = v;
    *n_out = n;
    return PM_OK;
}
