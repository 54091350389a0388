/*
 * test_io: whole-file writes that are complete or absent: the content written, an existing file
 * replaced, nothing (not even a temporary) left when the folder is missing, a folder refused,
 * a temporary abandoned leaves nothing; temporaries recognised by name and removed from a folder
 * while other dot-files stay; folders made with their parents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "pm_io.h"
#include "pm_test.h"

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void test_atomic(void)
{
    char dir[1024], path[1100], *data = NULL;
    size_t len;
    pm_error_t err;
    snprintf(dir, sizeof dir, "%s/w", pm_test_dir());
    CHECK_INT(pm_io_mkdirs(dir, &err), PM_OK);
    snprintf(path, sizeof path, "%s/a.csv", dir);
    CHECK_INT(pm_io_write_atomic(path, "x,y\n1,2\n", 8, &err), PM_OK);
    CHECK_INT(pm_io_read_all(path, &data, &len, &err), PM_OK);
    CHECK_INT(len, 8);
    CHECK_STR(data, "x,y\n1,2\n");
    free(data);
    CHECK_INT(pm_io_write_atomic(path, "new", 3, &err), PM_OK);
    CHECK_INT(pm_io_read_all(path, &data, &len, &err), PM_OK);
    CHECK_STR(data, "new");
    free(data);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0644) == 0644); /* not mkstemp's 0600 */
    CHECK_INT(entries(dir), 1);                                 /* no temporary beside it */
    /* a missing folder: an error naming the file, nothing written */
    char bad[1200];
    snprintf(bad, sizeof bad, "%s/no/such/b.csv", dir);
    CHECK_INT(pm_io_write_atomic(bad, "z", 1, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "b.csv");
    CHECK(!pm_io_exists(bad));
    /* a folder is not a file to write */
    CHECK_INT(pm_io_write_atomic(dir, "z", 1, &err), PM_EUSAGE);
    CHECK_INT(entries(dir), 1);
    /* a temporary abandoned leaves nothing */
    char *tmp = NULL;
    int fd = -1;
    snprintf(path, sizeof path, "%s/c.png", dir);
    CHECK_INT(pm_io_temp_for(path, &tmp, &fd, &err), PM_OK);
    CHECK(tmp != NULL && fd >= 0);
    const char *base = tmp ? strrchr(tmp, '/') + 1 : "";
    CHECK(pm_io_is_temp_name(base));
    CHECK_INT(entries(dir), 2);
    close(fd);
    pm_io_abandon(tmp);
    free(tmp);
    CHECK_INT(entries(dir), 1);
    CHECK(!pm_io_exists(path));
}

static void test_temps(void)
{
    CHECK(pm_io_is_temp_name(".map.png.a1B2c3"));
    CHECK(!pm_io_is_temp_name(".partnermap-hash"));
    CHECK(!pm_io_is_temp_name("map.png.a1B2c3")); /* not hidden */
    CHECK(!pm_io_is_temp_name(".map.png.a1-2c3"));
    CHECK(!pm_io_is_temp_name(".abcdef"));
    char dir[1024], f[1100];
    pm_error_t err;
    snprintf(dir, sizeof dir, "%s/t/deep", pm_test_dir());
    CHECK_INT(pm_io_mkdirs(dir, &err), PM_OK);
    CHECK_INT(pm_io_mkdirs(dir, &err), PM_OK); /* exists: fine */
    const char *names[] = {".map.png.a1B2c3", ".stats.csv.XyZ123", ".partnermap-hash", "map.png"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(f, sizeof f, "%s/%s", dir, names[i]);
        FILE *fp = fopen(f, "w");
        CHECK(fp != NULL);
        if (fp)
            fclose(fp);
    }
    pm_io_remove_temps(dir);
    CHECK_INT(entries(dir), 2);
    snprintf(f, sizeof f, "%s/.partnermap-hash", dir);
    CHECK(pm_io_exists(f));
    snprintf(f, sizeof f, "%s/a/file", dir);
    FILE *fp = fopen(f, "w");
    CHECK(fp == NULL); /* a/ does not exist */
    snprintf(f, sizeof f, "%s/map.png/x", dir);
    CHECK_INT(pm_io_mkdirs(f, &err), PM_EIO);
    CHECK_CONTAINS(err.msg, "cannot create the folder");
}

int main(void)
{
    PM_RUN(test_atomic);
    PM_RUN(test_temps);
    return pm_test_done();
}
