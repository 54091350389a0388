/*
 * test_classify: class breaks on arrays worked out by hand, Jenks against a brute-force search,
 * the class of a value, manual breaks and their errors; and the palettes classes are drawn with.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_classify.h"
#include "pm_palette.h"
#include "pm_test.h"

/* The labels of edges b[0..k] as a legend prints them (without its thousands spaces). */
static void labels_of(const double *b, size_t k, int integer, char out[][64])
{
    double lo[PM_CLASSIFY_MAX], hi[PM_CLASSIFY_MAX];
    int d = -1;
    CHECK_INT(pm_classify_labels(b, k, integer, lo, hi, &d, NULL), PM_OK);
    CHECK(d >= 0 && d <= 12);
    for (size_t c = 0; c < k; c++) {
        char a[32], z[32];
        snprintf(a, sizeof a, "%.*f", d, lo[c]);
        snprintf(z, sizeof z, "%.*f", d, hi[c]);
        if (strcmp(a, z) == 0)
            snprintf(out[c], 64, "%s", a);
        else
            snprintf(out[c], 64, "%s-%s", a, z);
        /* a class is a range read upwards, and the next one starts above it */
        CHECK(lo[c] <= hi[c]);
        if (c > 0)
            CHECK(lo[c] > hi[c - 1]);
        for (size_t e = 0; e < c; e++)
            CHECK(strcmp(out[e], out[c]) != 0);
    }
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void check_breaks(const double *got, size_t k_got, const double *want, size_t k_want)
{
    CHECK_INT(k_got, k_want);
    for (size_t i = 0; i <= k_want && k_got == k_want; i++)
        CHECK_NEAR(got[i], want[i], 1e-12);
}

static void test_quantile(void)
{
    double b[PM_CLASSIFY_MAX + 1];
    size_t k = 0;
    double x[10] = {7, 1, 9, 3, 5, 2, 10, 4, 8, 6}; /* 1..10, unsorted */
    CHECK_INT(pm_classify_breaks(x, 10, PM_CLASSIFY_QUANTILE, 5, NULL, 0, b, &k, NULL), PM_OK);
    /* two values per class: [1,2] (2,4] (4,6] (6,8] (8,10] */
    check_breaks(b, k, (double[]){1, 2, 4, 6, 8, 10}, 5);

    /* four equal lowest values stay together: [1] (1,3] (3,5] */
    double t[8] = {1, 1, 1, 1, 2, 3, 4, 5};
    CHECK_INT(pm_classify_breaks(t, 8, PM_CLASSIFY_QUANTILE, 4, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){1, 1, 3, 5}, 3);

    /* NaN is no data: skipped */
    double n[5] = {NAN, 1, 2, NAN, 3};
    CHECK_INT(pm_classify_breaks(n, 5, PM_CLASSIFY_QUANTILE, 3, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){1, 1, 2, 3}, 3);

    /* one distinct value: one class [v, v] */
    double one[3] = {4, 4, 4};
    CHECK_INT(pm_classify_breaks(one, 3, PM_CLASSIFY_QUANTILE, 5, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){4, 4}, 1);

    /* nothing to classify */
    double none[2] = {NAN, NAN};
    k = 99;
    CHECK_INT(pm_classify_breaks(none, 2, PM_CLASSIFY_QUANTILE, 5, NULL, 0, b, &k, NULL), PM_OK);
    CHECK_INT(k, 0);
}

static void test_equal(void)
{
    double b[PM_CLASSIFY_MAX + 1];
    size_t k = 0;
    double x[4] = {0, 10, 3, 7};
    CHECK_INT(pm_classify_breaks(x, 4, PM_CLASSIFY_EQUAL, 5, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){0, 2, 4, 6, 8, 10}, 5);
    double y[3] = {-1, 0.5, 2};
    CHECK_INT(pm_classify_breaks(y, 3, PM_CLASSIFY_EQUAL, 3, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){-1, 0, 1, 2}, 3);
    double same[2] = {2, 2};
    CHECK_INT(pm_classify_breaks(same, 2, PM_CLASSIFY_EQUAL, 4, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){2, 2}, 1);
}

static void test_jenks_hand(void)
{
    double b[PM_CLASSIFY_MAX + 1];
    size_t k = 0;
    /* three obvious groups */
    double x[9] = {21, 1, 11, 2, 22, 12, 3, 10, 20};
    CHECK_INT(pm_classify_breaks(x, 9, PM_CLASSIFY_JENKS, 3, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){1, 3, 12, 22}, 3);
    /* {1,2} {6,7,8} {20}: SSD 0.5 + 2 + 0 beats every other split into 3 */
    double y[6] = {1, 2, 6, 7, 8, 20};
    CHECK_INT(pm_classify_breaks(y, 6, PM_CLASSIFY_JENKS, 3, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){1, 2, 8, 20}, 3);
    /* fewer distinct values than classes: one class each */
    double z[4] = {5, 5, 9, 5};
    CHECK_INT(pm_classify_breaks(z, 4, PM_CLASSIFY_JENKS, 3, NULL, 0, b, &k, NULL), PM_OK);
    check_breaks(b, k, (double[]){5, 5, 9}, 2);
}

/* Sum of squared deviations of sorted x within the classes cut by edges b[0..k]. */
static double total_ssd(const double *x, size_t n, const double *b, size_t k)
{
    double tot = 0;
    for (size_t c = 0; c < k; c++) {
        double s = 0, s2 = 0, m = 0;
        for (size_t i = 0; i < n; i++) {
            size_t cls = pm_classify_index(b, k, x[i], NULL);
            if (cls == c) {
                s += x[i], s2 += x[i] * x[i], m++;
            }
        }
        if (m > 0)
            tot += s2 - s * s / m;
    }
    return tot;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Jenks is exact: on random data its partition into 3 classes is as good as the best of all
 * splits found by brute force. */
static void test_jenks_brute(void)
{
    unsigned long s = 7;
    for (int round = 0; round < 20; round++) {
        double x[14];
        size_t n = 14;
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            x[i] = (double)((s >> 33) % 1000) / 10.0;
        }
        qsort(x, n, sizeof *x, cmp_d);
        double b[PM_CLASSIFY_MAX + 1];
        size_t k = 0;
        CHECK_INT(pm_classify_breaks(x, n, PM_CLASSIFY_JENKS, 3, NULL, 0, b, &k, NULL), PM_OK);
        CHECK_INT(k, 3);
        double got = total_ssd(x, n, b, k), best = INFINITY;
        for (size_t i = 1; i < n; i++) {         /* first class x[0..i) */
            for (size_t j = i + 1; j < n; j++) { /* second x[i..j), third x[j..n) */
                if (x[i] == x[i - 1] || x[j] == x[j - 1])
                    continue; /* equal values cannot be split */
                double e[4] = {x[0], x[i - 1], x[j - 1], x[n - 1]};
                best = fmin(best, total_ssd(x, n, e, 3));
            }
        }
        CHECK(got <= best + 1e-9);
    }
}

static void test_manual(void)
{
    double b[PM_CLASSIFY_MAX + 1];
    size_t k = 0;
    pm_error_t err;
    double ok[3] = {0, 10, 100};
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, ok, 3, b, &k, &err), PM_OK);
    check_breaks(b, k, ok, 2);

    double one[1] = {5};
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, one, 1, b, &k, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "at least 2");
    double down[3] = {0, 10, 5};
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, down, 3, b, &k, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "break 3 (5) is not above break 2 (10)");
    double dup[3] = {0, 10, 10};
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, dup, 3, b, &k, &err), PM_EUSAGE);
    double nan[2] = {0, NAN};
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, nan, 2, b, &k, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "not a finite number");
    double many[PM_CLASSIFY_MAX + 2];
    for (size_t i = 0; i < PM_CLASSIFY_MAX + 2; i++)
        many[i] = (double)i;
    CHECK_INT(
        pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, many, PM_CLASSIFY_MAX + 2, b, &k, &err),
        PM_EUSAGE);
    CHECK_INT(pm_classify_breaks(NULL, 0, PM_CLASSIFY_MANUAL, 0, NULL, 0, b, &k, &err), PM_EUSAGE);

    double x[2] = {1, 2};
    CHECK_INT(pm_classify_breaks(x, 2, PM_CLASSIFY_QUANTILE, 0, NULL, 0, b, &k, &err), PM_EUSAGE);
    CHECK_INT(
        pm_classify_breaks(x, 2, PM_CLASSIFY_JENKS, PM_CLASSIFY_MAX + 1, NULL, 0, b, &k, &err),
        PM_EUSAGE);
}

static void test_index(void)
{
    double b[6] = {1, 2, 4, 6, 8, 10};
    int cl = -1;
    CHECK_INT(pm_classify_index(b, 5, 1, &cl), 0);
    CHECK_INT(cl, 0);
    CHECK_INT(pm_classify_index(b, 5, 2, NULL), 0); /* an edge belongs to the class below */
    CHECK_INT(pm_classify_index(b, 5, 2.001, NULL), 1);
    CHECK_INT(pm_classify_index(b, 5, 6, NULL), 2);
    CHECK_INT(pm_classify_index(b, 5, 10, &cl), 4);
    CHECK_INT(cl, 0);
    CHECK_INT(pm_classify_index(b, 5, 11, &cl), 4);
    CHECK_INT(cl, 1);
    CHECK_INT(pm_classify_index(b, 5, -3, &cl), 0);
    CHECK_INT(cl, 1);
    CHECK(pm_classify_index(b, 5, NAN, NULL) == (size_t)-1);
    CHECK(pm_classify_index(b, 0, 3, NULL) == (size_t)-1);
    double single[2] = {4, 4};
    CHECK_INT(pm_classify_index(single, 1, 4, &cl), 0);
    CHECK_INT(cl, 0);
}

static void test_parse(void)
{
    pm_classify_method_t m = PM_CLASSIFY_QUANTILE;
    pm_error_t err;
    CHECK_INT(pm_classify_parse_method("jenks", &m, &err), PM_OK);
    CHECK_INT(m, PM_CLASSIFY_JENKS);
    CHECK_INT(pm_classify_parse_method("natural", &m, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "'natural'");
    CHECK_STR(pm_classify_method_name(PM_CLASSIFY_EQUAL), "equal");
}

static double luminance(pm_rgb_t c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

static void test_palettes(void)
{
    pm_rgb_t c[9];
    pm_error_t err;
    CHECK_INT(pm_palette_sample("Greys", 0, 1, 2, c, &err), PM_OK);
    CHECK_NEAR(c[0].r, 1, 1e-12);
    CHECK_NEAR(c[1].g, 0, 1e-12);
    CHECK_INT(pm_palette_sample("viridis", 0, 1, 1, c, &err), PM_OK); /* n = 1: the middle */
    CHECK(c[0].g > c[0].r);
    CHECK_INT(pm_palette_sample("viridis", 0, 0, 1, c, &err), PM_OK);
    CHECK_NEAR(c[0].r * 255, 0x44, 1e-9);
    CHECK_NEAR(c[0].b * 255, 0x54, 1e-9);
    CHECK_INT(pm_palette_sample("VIRIDIS_r", 0, 0, 1, c, &err), PM_OK); /* reversed, any case */
    CHECK_NEAR(c[0].r * 255, 0xfd, 1e-9);
    /* every ramp's classes step monotonically in lightness, so they read in order in grey */
    const char *names[] = {"YlOrRd", "Blues", "viridis", "magma", "cividis", "PuBu", "Greys"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        for (size_t n = 2; n <= 9; n++) {
            CHECK_INT(pm_palette_classes(names[i], n, c, &err), PM_OK);
            int up = luminance(c[1]) > luminance(c[0]), mono = 1;
            for (size_t j = 1; j < n; j++)
                mono &= up ? luminance(c[j]) > luminance(c[j - 1])
                           : luminance(c[j]) < luminance(c[j - 1]);
            CHECK(mono);
        }
    }
    CHECK_INT(pm_palette_classes("rainbow", 3, c, &err), PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "viridis");
    CHECK(pm_palette_exists("ylorrd"));
    CHECK(!pm_palette_exists("jet"));
    pm_rgb_t h;
    CHECK_INT(pm_palette_parse_hex("#1b2d4f", &h, &err), PM_OK);
    CHECK_NEAR(h.r * 255, 0x1b, 1e-9);
    CHECK_INT(pm_palette_parse_hex("#12345", &h, &err), PM_EUSAGE);
    CHECK_INT(pm_palette_parse_hex("#12345g", &h, &err), PM_EUSAGE);
}

/* Legend labels stay distinct after rounding: whole-number metrics get whole-number ranges,
 * small floats as many decimals as it takes, one value one class (issue 18). */
static void test_labels(void)
{
    char l[PM_CLASSIFY_MAX][64];
    /* degree, quantile edges 1 1 2 18: printed "1 / 1 - 2 / 2 - 18" before */
    double deg[] = {1, 1, 1, 1, 1, 2, 2, 2, 3, 4, 18};
    CHECK(pm_classify_all_integer(deg, 11));
    double b[PM_CLASSIFY_MAX + 1];
    size_t k = 0;
    CHECK_INT(pm_classify_breaks(deg, 11, PM_CLASSIFY_QUANTILE, 3, NULL, 0, b, &k, NULL), PM_OK);
    CHECK_INT(k, 3);
    labels_of(b, k, 1, l);
    CHECK_STR(l[0], "1");
    CHECK_STR(l[1], "2");
    CHECK_STR(l[2], "3-18");
    /* whole numbers under equal intervals: the whole numbers each class holds */
    double eq[] = {1, 4.4, 7.8, 11.2, 14.6, 18};
    labels_of(eq, 5, 1, l);
    CHECK_STR(l[0], "1-4");
    CHECK_STR(l[1], "5-7");
    CHECK_STR(l[4], "15-18");
    /* PageRank of the sample map: printed "0.09 / 0.09 - 0.16 / 0.16 - 0.47" before */
    double pr[] = {0.0912, 0.0912, 0.1588, 0.4731};
    labels_of(pr, 3, 0, l);
    CHECK_STR(l[0], "0.09");
    CHECK_STR(l[1], "0.10-0.16");
    CHECK_STR(l[2], "0.17-0.47");
    /* close small floats need more decimals: 0.04 / 0.04 - 0.07 before */
    double close[] = {0.0401, 0.0404, 0.0409, 0.0712};
    labels_of(close, 3, 0, l);
    CHECK_STR(l[0], "0.040");
    CHECK_STR(l[1], "0.041");
    CHECK_STR(l[2], "0.042-0.071");
    /* Jenks of PageRank-like values with many near-equal ones, every k */
    double x[40];
    for (int i = 0; i < 40; i++)
        x[i] = 0.012 + 0.0003 * (i % 7) + (i > 35 ? 0.05 * (i - 35) : 0);
    CHECK(!pm_classify_all_integer(x, 40));
    for (size_t want = 1; want <= PM_CLASSIFY_MAX; want++) {
        CHECK_INT(pm_classify_breaks(x, 40, PM_CLASSIFY_JENKS, want, NULL, 0, b, &k, NULL), PM_OK);
        labels_of(b, k, 0, l);
        CHECK_INT(pm_classify_breaks(x, 40, PM_CLASSIFY_QUANTILE, want, NULL, 0, b, &k, NULL),
                  PM_OK);
        labels_of(b, k, 0, l);
    }
    /* one value, one class, not rounded away */
    double one[] = {0.00123, 0.00123};
    labels_of(one, 1, 0, l);
    CHECK_STR(l[0], "0.00123");
    double seven[] = {7, 7};
    labels_of(seven, 1, 1, l);
    CHECK_STR(l[0], "7");
    CHECK(!pm_classify_all_integer(NULL, 0));
    double nan_only[] = {NAN, 2.5};
    CHECK(!pm_classify_all_integer(nan_only, 2));
    double lo[1], hi[1];
    int d;
    double bad[] = {2, 1};
    CHECK_INT(pm_classify_labels(bad, 1, 0, lo, hi, &d, NULL), PM_EUSAGE);
}

/* Legend keys are values of the data, or round values inside their range (issue 18: a circle key
 * of 2.5 on whole-number strengths, and weight keys 12, 2.5, 2 of ties weighing 12, 4, 2, 2). */
static void test_keys(void)
{
    double v[3];
    double w[] = {2, 2, 4, 12};
    CHECK_INT(pm_classify_keys(12, w, 4, v), 3);
    CHECK_NEAR(v[0], 12, 0);
    CHECK_NEAR(v[1], 4, 0);
    CHECK_NEAR(v[2], 2, 0);
    /* no value in [2 lo, max / 2]: a round value there, and 2 rather than 2.5 */
    double a[] = {1, 1, 9};
    CHECK_INT(pm_classify_keys(9, a, 3, v), 3);
    CHECK_NEAR(v[1], 2, 0);
    double big[] = {40, 1500};
    CHECK_INT(pm_classify_keys(1500, big, 2, v), 3);
    CHECK_NEAR(v[1], 500, 0);
    CHECK_NEAR(v[2], 40, 0);
    /* every key inside the data's range, on random whole and fractional data */
    unsigned seed = 7;
    for (int t = 0; t < 200; t++) {
        double x[12];
        size_t n = 1 + (size_t)(t % 12);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            x[i] = (t % 2 ? 1 : 0.013) * (double)(1 + (seed >> 16) % 500);
        }
        qsort(x, n, sizeof *x, cmp_dbl);
        size_t k = pm_classify_keys(x[n - 1], x, n, v);
        CHECK(k >= 1 && k <= 3);
        for (size_t i = 0; i < k; i++) {
            CHECK(v[i] >= x[0] && v[i] <= x[n - 1]);
            int in_data = 0;
            for (size_t j = 0; j < n; j++)
                in_data |= v[i] == x[j];
            CHECK(in_data || v[i] == round(v[i]) || t % 2 == 0);
            CHECK(v[i] != 2.5);
            if (i > 0)
                CHECK(v[i] < v[i - 1] * 0.76);
        }
    }
    CHECK_INT(pm_classify_keys(0, NULL, 0, v), 0);
    CHECK_INT(pm_classify_keys(5, NULL, 0, v), 1);
}

/* The print theme's lightest class is a clear step darker than land and "no data" (issue 18:
 * it was #e2e2e2 against land #f4f4f4, 6 L* apart), and its classes read in order. */
/* The colour theme's classes in greyscale: with land and "no data" to keep apart from, the
 * lightest class of every sequential ramp (reversed too) is a clear step darker than both, and
 * the classes still read in order of lightness. */
static void test_colour_classes_apart(void)
{
    static const char *names[] = {"YlOrRd",  "Blues",   "PuBu",   "viridis", "magma",
                                  "cividis", "Greys_r", "YlGnBu", "Reds_r"};
    pm_rgb_t apart[2] = {pm_palette_colour_land(), pm_palette_colour_nodata()};
    double limit = pm_palette_lightness(apart[1]) - PM_PALETTE_PRINT_MIN_STEP;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        for (size_t n = 2; n <= PM_CLASSIFY_MAX; n++) {
            pm_rgb_t c[PM_CLASSIFY_MAX];
            pm_error_t err;
            CHECK_INT(pm_palette_classes_apart(names[k], n, apart, 2, c, &err), PM_OK);
            double hi = 0;
            for (size_t i = 0; i < n; i++)
                hi = fmax(hi, pm_palette_lightness(c[i]));
            if (hi > limit + 1e-9)
                pm_test_fail(__FILE__, __LINE__, "%s, %zu classes: lightest L* %.1f > %.1f",
                             names[k], n, hi, limit);
            double d0 = pm_palette_lightness(c[1]) - pm_palette_lightness(c[0]);
            for (size_t i = 1; i < n; i++) {
                double d = pm_palette_lightness(c[i]) - pm_palette_lightness(c[i - 1]);
                CHECK(fabs(d) > 1.5 && (d > 0) == (d0 > 0));
            }
        }
    }
    /* qualitative ramps are left as they are */
    pm_rgb_t a[3], b[3];
    pm_error_t err;
    CHECK_INT(pm_palette_classes_apart("okabe-ito", 3, apart, 2, a, &err), PM_OK);
    CHECK_INT(pm_palette_classes("okabe-ito", 3, b, &err), PM_OK);
    CHECK(!memcmp(a, b, sizeof a));
    CHECK_INT(pm_palette_classes_apart("nonesuch", 3, apart, 2, a, &err), PM_EUSAGE);
}

static void test_print_greys(void)
{
    double land = pm_palette_lightness(pm_palette_print_land());
    double nodata = pm_palette_lightness(pm_palette_print_nodata());
    CHECK_NEAR(pm_palette_lightness((pm_rgb_t){1, 1, 1}), 100, 1e-6);
    CHECK_NEAR(pm_palette_lightness((pm_rgb_t){0, 0, 0}), 0, 1e-6);
    for (size_t n = 1; n <= PM_CLASSIFY_MAX; n++) {
        pm_rgb_t c[PM_CLASSIFY_MAX];
        pm_palette_print_classes(n, c);
        double first = pm_palette_lightness(c[0]);
        CHECK(land - first >= PM_PALETTE_PRINT_MIN_STEP);
        CHECK(nodata - first >= PM_PALETTE_PRINT_MIN_STEP);
        for (size_t i = 0; i < n; i++) {
            CHECK(c[i].r == c[i].g && c[i].g == c[i].b);
            if (i > 0)
                CHECK(pm_palette_lightness(c[i]) < pm_palette_lightness(c[i - 1]) - 3);
        }
        CHECK(pm_palette_lightness(c[n - 1]) > 40); /* black ties stay legible */
        if (n == 5)
            printf("print theme, 5 classes: land L* %.1f, no data %.1f, classes %.1f to %.1f\n",
                   land, nodata, first, pm_palette_lightness(c[n - 1]));
    }
}

int main(void)
{
    PM_RUN(test_quantile);
    PM_RUN(test_equal);
    PM_RUN(test_jenks_hand);
    PM_RUN(test_jenks_brute);
    PM_RUN(test_manual);
    PM_RUN(test_index);
    PM_RUN(test_parse);
    PM_RUN(test_palettes);
    PM_RUN(test_labels);
    PM_RUN(test_print_greys);
    PM_RUN(test_colour_classes_apart);
    PM_RUN(test_keys);
    return pm_test_done();
}
