/*
 * pm_io: whole-file output that is either complete or absent.
 *
 * pm_io_write_atomic writes to a temporary file in the destination's folder and renames it over
 * the destination only when everything was written and flushed, so an interrupted or failed run
 * never leaves a half-written file. Paths ending in a temporary name are cleaned up on failure.
 */
#ifndef PM_IO_H
#define PM_IO_H

#include <stddef.h>

#include "pm_error.h"

/* Writes len bytes of data to path atomically. "-" writes to standard output (not atomic).
 * Errors: PM_EIO with the path and the system's reason. */
pm_status_t pm_io_write_atomic(const char *path, const void *data, size_t len, pm_error_t *err);

/* Makes a temporary path next to path ("dir/.name.XXXXXX"), creates the file and returns its
 * descriptor in *fd and the path in *tmp_out (caller frees). For writers (GDAL, cairo) that need a
 * file name: write to *tmp_out, then pm_io_commit or pm_io_abandon. When path exists and is not a
 * regular file (a device such as /dev/null, a pipe), it is opened for writing in place: *fd is
 * its descriptor and *tmp_out NULL, which pm_io_commit and pm_io_abandon accept. Errors: PM_EIO,
 * PM_EUSAGE (path is a folder). */
pm_status_t pm_io_temp_for(const char *path, char **tmp_out, int *fd, pm_error_t *err);
/* Renames tmp over path (after fsync). On failure removes tmp. */
pm_status_t pm_io_commit(const char *tmp, const char *path, pm_error_t *err);
/* Removes tmp; never fails. */
void pm_io_abandon(const char *tmp);

/* Removes the temporary files of pm_io_temp_for that are neither committed nor abandoned. Only
 * async-signal-safe calls (atomic loads, unlink): the program's SIGINT/SIGTERM/SIGHUP handler
 * calls it before ending the process as the signal would (the core installs no handler).
 * Temporaries a writer derives from one (GDAL's "NAME.XXXXXX.gpkg") are not covered. */
void pm_io_remove_pending(void);

/* The ending of the temporaries of pm_io_temp_for and pm_io_write_atomic: ".NAME.XXXXXX" beside
 * the target, the X's made by mkstemp. */
#define PM_IO_TEMP_SUFFIX ".XXXXXX"
/* 1 when a file name (no folder) is one of those temporaries. */
int pm_io_is_temp_name(const char *name);
/* Removes the temporaries that an interrupted writer left in dir (not the folders below it). */
void pm_io_remove_temps(const char *dir);

/* Creates the folder path and its parents (those that exist are fine). Errors: PM_EIO. */
pm_status_t pm_io_mkdirs(const char *path, pm_error_t *err);

/* Reads a whole file into a NUL-terminated buffer (caller frees); *len_out gets its length.
 * A regular file whose size or modification time changes during the read (another program is
 * writing it) is refused with PM_EIO ("changed while it was read"), never read as a mix. */
pm_status_t pm_io_read_all(const char *path, char **data_out, size_t *len_out, pm_error_t *err);
/* The files of folder dir whose names keep() accepts (names starting with '.' are skipped), as
 * "dir/name" paths sorted by name (strcmp), so that every run lists them in the same order. The
 * caller frees *paths_out with pm_strv_free. Errors: PM_EIO (not a readable folder), PM_ENOMEM. */
pm_status_t pm_io_list_dir(const char *dir, int (*keep)(const char *name), char ***paths_out,
                           size_t *n_out, pm_error_t *err);

/* 1 when path names an existing regular file or directory. */
int pm_io_exists(const char *path);

#endif
