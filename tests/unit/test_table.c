/*
 * test_table: reading tie tables through OGR: recognised columns, quoting, BOM, Cyrillic and
 * Czech names, line numbers in messages, every bad-weight class, non-UTF-8 input, XLSX read
 * identically to the CSV it was made from, and --where/--period filters.
 */
#include <gdal.h>
#include <gdal_utils.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm_filter.h"
#include "pm_runtime.h"
#include "pm_table.h"
#include "pm_test.h"

static pm_status_t read_str(const char *name, const char *content, pm_ties_t *t, pm_error_t *err)
{
    const char *p = pm_test_file(name, content);
    pm_ties_init(t);
    return pm_table_read(p, NULL, t, NULL, err);
}

static void test_recognised_and_quoted(void)
{
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("q.csv",
                   "\xEF\xBB\xBFsource,target,count,note\n"
                   "\"Свердловская область\",\"Západočeský kraj\",2,\"a, b\"\n"
                   "\n"
                   "\"Tula\",\"Banská\nBystrica\",,\"say \"\"hi\"\"\"\n"
                   "Voronezh,Brno,1.5,\n",
                   &t, &err) == PM_OK);
    CHECK_INT(t.n, 3);
    CHECK_STR(t.from_col, "source");
    CHECK_STR(t.weight_col, "count");
    CHECK_STR(t.from[0], "Свердловская область");
    CHECK_STR(t.to[0], "Západočeský kraj");
    CHECK_STR(t.to[1], "Banská\nBystrica");
    CHECK_NEAR(t.weight[1], 1.0, 0); /* empty cell = 1 */
    CHECK_NEAR(t.weight[2], 1.5, 0);
    CHECK_INT(t.line[0], 2);
    CHECK_INT(t.line[1], 4); /* after a blank line */
    CHECK_INT(t.line[2], 6); /* the quoted newline takes a line */
    CHECK_INT(t.n_attr, 1);
    CHECK_STR(pm_ties_value(&t, 1, "note"), "say \"hi\"");
    pm_ties_destroy(&t);
}

static void test_bad_weights(void)
{
    static const char *const bad[] = {"0", "-2", "nan", "inf", "many", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char content[256];
        snprintf(content, sizeof content, "from,to,weight\na,b,1\nc,d,\"%s\"\n", bad[i]);
        pm_ties_t t;
        pm_error_t err;
        CHECK(read_str("w.csv", content, &t, &err) == PM_EDATA);
        CHECK_CONTAINS(err.msg, "w.csv:3:");
        CHECK_CONTAINS(err.msg, bad[i]);
        CHECK_INT(t.n, 0);
    }
}

static void test_bad_inputs(void)
{
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("latin1.csv", "from,to\nBrno,Plze\xF2\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "latin1.csv:2");
    CHECK_CONTAINS(err.msg, "UTF-8");
    CHECK(read_str("cols.csv", "x,y,z\n1,2,3\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "'x', 'y', 'z'");
    CHECK_CONTAINS(err.msg, "--from COL --to COL");
    CHECK(read_str("empty.csv", "from,to\na,\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "empty.csv:2");
    CHECK(read_str("year.csv", "from,to,start\na,b,19x7\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "19x7");
    CHECK(read_str("none.csv", "from,to\n", &t, &err) == PM_EDATA);
    pm_ties_init(&t);
    CHECK(pm_table_read("/nonexistent/ties.csv", NULL, &t, NULL, &err) == PM_EIO);
    CHECK_CONTAINS(err.msg, "/nonexistent/ties.csv");
    pm_table_opts_t o = {0};
    o.from_col = "nope";
    const char *p = pm_test_file("ok.csv", "from,to\na,b\n");
    CHECK(pm_table_read(p, &o, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "no column 'nope'");
}

/* The same ties as XLSX (made with GDAL from the CSV) read exactly like the CSV. */
static void test_xlsx_equals_csv(void)
{
    const char *csv = pm_test_file("x.csv", "from,to,weight,start\nА,B,2,1967\nC,Ď,0.5,\n");
    char xlsx[512];
    snprintf(xlsx, sizeof xlsx, "%s/x.xlsx", pm_test_dir());
    GDALDatasetH src = GDALOpenEx(csv, GDAL_OF_VECTOR, NULL, NULL, NULL);
    char *args[] = {"-f", "XLSX", NULL};
    GDALVectorTranslateOptions *vo = GDALVectorTranslateOptionsNew(args, NULL);
    GDALDatasetH dst = GDALVectorTranslate(xlsx, NULL, 1, &src, vo, NULL);
    GDALVectorTranslateOptionsFree(vo);
    CHECK(dst != NULL);
    GDALClose(dst);
    GDALClose(src);
    pm_ties_t a, b;
    pm_error_t err;
    pm_ties_init(&a);
    pm_ties_init(&b);
    CHECK(pm_table_read(csv, NULL, &a, NULL, &err) == PM_OK);
    CHECK(pm_table_read(xlsx, NULL, &b, NULL, &err) == PM_OK);
    CHECK_INT(b.n, a.n);
    for (size_t i = 0; i < a.n && i < b.n; i++) {
        CHECK_STR(b.from[i], a.from[i]);
        CHECK_STR(b.to[i], a.to[i]);
        CHECK_NEAR(b.weight[i], a.weight[i], 0);
        CHECK_INT(b.start[i], a.start[i]);
    }
    CHECK_INT(b.line[1], 3);
    pm_ties_destroy(&a);
    pm_ties_destroy(&b);
}

static void test_filters(void)
{
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("f.csv",
                   "from,to,start,end,confidence\n"
                   "a,b,1955,1970,documented\n"
                   "c,d,1975,,probable\n"
                   "e,f,,,documented\n"
                   "g,h,1961,1962,probable\n",
                   &t, &err) == PM_OK);
    pm_filter_t f;
    pm_filter_init(&f);
    CHECK(pm_filter_add_where(&f, "confidence=documented", &err) == PM_OK);
    CHECK(pm_filter_set_period(&f, "1960-1969", &err) == PM_OK);
    pm_diag_t d;
    pm_diag_init(&d);
    CHECK(pm_filter_apply(&f, &t, &d, &err) == PM_OK);
    CHECK_INT(t.n, 2); /* a-b (active 1955-1970) and e-f (undated, kept and counted) */
    CHECK_STR(t.from[0], "a");
    CHECK_STR(t.from[1], "e");
    CHECK_INT(d.n, 1);
    pm_diag_destroy(&d);
    pm_filter_destroy(&f);
    pm_ties_destroy(&t);

    pm_filter_init(&f);
    CHECK(pm_filter_add_where(&f, "=x", &err) == PM_EUSAGE);
    CHECK(pm_filter_set_period(&f, "1970-1960", &err) == PM_EUSAGE);
    CHECK(pm_filter_add_where(&f, "colour=red", &err) == PM_OK);
    CHECK(read_str("f2.csv", "from,to\na,b\n", &t, &err) == PM_OK);
    CHECK(pm_filter_apply(&f, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "colour");
    pm_filter_destroy(&f);
    pm_ties_destroy(&t);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_recognised_and_quoted);
    PM_RUN(test_bad_weights);
    PM_RUN(test_bad_inputs);
    PM_RUN(test_xlsx_equals_csv);
    PM_RUN(test_filters);
    pm_runtime_teardown();
    return pm_test_done();
}
