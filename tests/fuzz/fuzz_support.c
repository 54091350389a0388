/*
 * fuzz_support: helpers shared by the harnesses (see fuzz.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include <cpl_vsi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pm_runtime.h"
#include "pm_utf8.h"

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

static char paths[4][512];

static void remove_files(void)
{
    for (unsigned i = 0; i < 4; i++)
        if (paths[i][0])
            unlink(paths[i]);
}

void fuzz_runtime_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    pm_runtime_init();
    atexit(remove_files);
}

const char *fuzz_file(unsigned slot, const char *ext, const uint8_t *data, size_t size)
{
    if (slot >= 4)
        return NULL;
    struct stat sb;
    const char *dir = getenv("TMPDIR");
    if (stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0)
        dir = "/dev/shm";
    else if (!dir || !*dir)
        dir = "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/pmfuzz.%ld.%u.%s", dir, (long)getpid(), slot, ext);
    if (paths[slot][0] && strcmp(paths[slot], path) != 0)
        unlink(paths[slot]);
    snprintf(paths[slot], sizeof paths[slot], "%s", path);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    int ok = fwrite(data, 1, size, f) == size;
    ok &= fclose(f) == 0;
    return ok ? paths[slot] : NULL;
}

const char *fuzz_vsimem(const char *ext, const uint8_t *data, size_t size)
{
    static char path[128];
    snprintf(path, sizeof path, "/vsimem/pmfuzz.%ld.%s", (long)getpid(), ext);
    VSIUnlink(path);
    /* GDAL takes ownership of a copy: the fuzzer's buffer is read-only and freed after the call */
    GByte *copy = VSIMalloc(size ? size : 1);
    if (!copy)
        return NULL;
    if (size)
        memcpy(copy, data, size);
    VSILFILE *f = VSIFileFromMemBuffer(path, copy, size, TRUE);
    if (!f) {
        VSIFree(copy);
        return NULL;
    }
    VSIFCloseL(f);
    return path;
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

int fuzz_valid_utf8(const char *s)
{
    return pm_utf8_invalid_at(s, strlen(s)) == (size_t)-1;
}
