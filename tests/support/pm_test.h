/*
 * pm_test: the smallest test harness that does the job. A test file defines
 * `static void test_x(void)` functions, lists them in main() with PM_RUN, and returns
 * pm_test_done(). Every CHECK counts; the closing line is "N passed, M failed", which ctest
 * and CI read, and the exit status is non-zero when anything failed.
 */
#ifndef PM_TEST_H
#define PM_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <ogr_api.h>

extern int pm_test_passed, pm_test_failed;
extern const char *pm_test_current;

void pm_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int pm_test_done(void);

/* A scratch folder for the test's files, made on first use and removed by pm_test_done. */
const char *pm_test_dir(void);
/* Writes content to name in the scratch folder; returns its path (a static buffer, valid until
 * the next call). */
const char *pm_test_file(const char *name, const char *content);

/* Writes name in the scratch folder: a GeoJSON layer of n one-degree squares, feature k with
 * properties code codes[k] and name names[k] and its south-west corner at lon[k], lat[k] (unit k
 * of a geo opened on it). Returns the path (its own static buffer: a later pm_test_file keeps it).
 */
const char *pm_test_squares(const char *name, const char *const *codes, const char *const *names,
                            const double *lon, const double *lat, size_t n);

/* Fills t (initialised here; its table named path) with n ties written "A-B" or "A-B:W" (weight W,
 * default 1), or "A-B:W:p" for a probable tie (else documented); lines numbered from 2 as in a
 * file. */
struct pm_ties;
void pm_test_ties(struct pm_ties *t, const char *path, const char *const *spec, size_t n);

/* PM_UPDATE_GOLDENS=1 in the environment: the golden files are rewritten from this run. */
int pm_test_updating_goldens(void);
/* 1 when file got is byte for byte tests/render/<name> (after rewriting that golden from got when
 * updating); else 0, with a line on stderr naming both. */
int pm_test_same_as_golden(const char *got, const char *name);

/* The polygon of first-level unit code (adm1_code) of the render tests' basemap
 * (tests/data/render/basemap.gpkg), or NULL. Lent: valid until pm_test_basemap_free, which must
 * run before GDAL is torn down. */
OGRGeometryH pm_test_basemap_unit(const char *code);
void pm_test_basemap_free(void);

#define PM_RUN(fn)                                                                                 \
    do {                                                                                           \
        pm_test_current = #fn;                                                                     \
        fn();                                                                                      \
    } while (0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond)                                                                                  \
            pm_test_passed++;                                                                      \
        else                                                                                       \
            pm_test_fail(__FILE__, __LINE__, "%s", #cond);                                         \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        if (g_ == w_)                                                                              \
            pm_test_passed++;                                                                      \
        else                                                                                       \
            pm_test_fail(__FILE__, __LINE__, "%s = %lld, want %lld", #got, g_, w_);                \
    } while (0)

/* Relative-or-absolute tolerance comparison of doubles. */
#define CHECK_NEAR(got, want, tol)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (fabs(g_ - w_) <= (tol)*fmax(1.0, fabs(w_)))                                            \
            pm_test_passed++;                                                                      \
        else                                                                                       \
            pm_test_fail(__FILE__, __LINE__, "%s = %.12g, want %.12g", #got, g_, w_);              \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (g_ && w_ && strcmp(g_, w_) == 0)                                                       \
            pm_test_passed++;                                                                      \
        else                                                                                       \
            pm_test_fail(__FILE__, __LINE__, "%s = \"%s\", want \"%s\"", #got, g_ ? g_ : "(null)", \
                         w_ ? w_ : "(null)");                                                      \
    } while (0)

/* Checks that haystack contains needle. */
#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (h_ && strstr(h_, n_))                                                                  \
            pm_test_passed++;                                                                      \
        else                                                                                       \
            pm_test_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", \
                         n_);                                                                      \
    } while (0)

#endif
