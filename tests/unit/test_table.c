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
    char vbuf[PM_TIES_VALUE_BUF];
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
    CHECK_STR(t.to[1], "Banská Bystrica"); /* a line break typed in a cell is a space */
    CHECK_NEAR(t.weight[1], 1.0, 0);       /* empty cell = 1 */
    CHECK_NEAR(t.weight[2], 1.5, 0);
    CHECK_INT(t.line[0], 2);
    CHECK_INT(t.line[1], 4); /* after a blank line */
    CHECK_INT(t.line[2], 6); /* the quoted newline takes a line */
    CHECK_INT(t.n_attr, 1);
    CHECK_STR(pm_ties_value(&t, 1, "note", vbuf), "say \"hi\"");
    pm_ties_destroy(&t);
}

/* A place is one name however its cell was typed: white space at the ends (a line break, a
 * no-break space) goes, and runs of it inside become one space (a fuzzing finding: a quoted
 * "Tula<LF>" was another place than "Tula"). Other columns keep their inner text. */
static void test_place_white_space(void)
{
    char vbuf[PM_TIES_VALUE_BUF];
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("ws.csv",
                   "from,to,note\n"
                   "\"Tula\n\",Brno,\"a  b\n\"\n"
                   "\"\xC2\xA0Tula\",\"Sverdlovsk\r\n  Oblast\",x\n"
                   "Sverdlovsk \xC2\xA0Oblast,Brno\t,y\n",
                   &t, &err) == PM_OK);
    CHECK_INT(t.n, 3);
    CHECK_STR(t.from[0], "Tula");
    CHECK_STR(t.from[1], "Tula");
    CHECK_STR(t.to[1], "Sverdlovsk Oblast");
    CHECK_STR(t.from[2], "Sverdlovsk Oblast");
    CHECK_STR(t.to[2], "Brno");
    CHECK_STR(pm_ties_value(&t, 0, "note", vbuf), "a  b");
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

static pm_status_t read_opts(const char *name, const char *content, const pm_table_opts_t *o,
                             pm_ties_t *t, pm_error_t *err)
{
    const char *p = pm_test_file(name, content);
    pm_ties_init(t);
    return pm_table_read(p, o, t, NULL, err);
}

/* Writes len raw bytes (NUL bytes too) into the scratch folder; returns the path (static). */
static const char *raw_file(const char *name, const char *data, size_t len)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", pm_test_dir(), name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
    return path;
}

/* Each defect of a delimited text that GDAL would read silently wrong is refused with file:line. */
static void test_text_defects(void)
{
    static const struct {
        const char *content, *where, *what;
    } cases[] = {
        {"from,to,country\nA,B,RU\nSverd\"lovsk Oblast,Tula Oblast\",RU\n",
         "d.csv:3:", "stray quote"},
        {"from,to\nA,B\n\"C,D\nE,F\n", "d.csv:3:", "never closed"},
        {"from,to\nA,B,C\n", "d.csv:2:", "3 fields where the header has 2"},
        {"from,to,weight\nA,B,1\n\nC,D\n", "d.csv:4:", "2 fields where the header has 3"},
        {"from;to;weight\nA;B;1\nC;D\n", "d.csv:3:", "separator ';'"},
        {"from,to\n\"A\"x,B\n", "d.csv:2:", "after the closing quote"},
        {"from\nA\n", "d.csv:1:", "one column"},
        {"", "d.csv:", "empty"},
        {"\xEF\xBB\xBF \n\n", "d.csv:", "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pm_ties_t t;
        pm_error_t err;
        CHECK(read_str("d.csv", cases[i].content, &t, &err) == PM_EDATA);
        CHECK_CONTAINS(err.msg, cases[i].where);
        CHECK_CONTAINS(err.msg, cases[i].what);
        CHECK_INT(t.n, 0);
    }
    /* quoted separators, doubled quotes and quoted newlines stay fine */
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("ok.csv", "from,to,note\n\"A, x\",\"B \"\"b\"\"\",\"1\n2\"\nC,D,\n", &t, &err) ==
          PM_OK);
    CHECK_INT(t.n, 2);
    CHECK_INT(t.line[1], 4);
    pm_ties_destroy(&t);

    const char nul[] = "from,to\nA,B\0x\nC,D\n";
    const char *p = raw_file("nul.csv", nul, sizeof nul - 1);
    pm_ties_init(&t);
    CHECK(pm_table_read(p, NULL, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "nul.csv:2:");
    CHECK_CONTAINS(err.msg, "NUL");

    /* a row over GDAL's line limit: GDAL drops it and every row after it */
    size_t big = PM_TABLE_MAX_LINE + 100;
    char *data = malloc(big + 64);
    CHECK(data != NULL);
    if (data) {
        size_t n = (size_t)sprintf(data, "from,to,note\nA,B,x\nB,C,");
        memset(data + n, 'y', big);
        n += big;
        n += (size_t)sprintf(data + n, "\nC,D,z\n");
        p = raw_file("long.csv", data, n);
        free(data);
        CHECK(pm_table_read(p, NULL, &t, NULL, &err) == PM_EDATA);
        CHECK_CONTAINS(err.msg, "long.csv:3:");
        CHECK_CONTAINS(err.msg, "10 MB");
        unlink(p);
    }
}

static void test_sources(void)
{
    pm_ties_t t;
    pm_error_t err;
    pm_ties_init(&t);
    CHECK(pm_table_read(pm_test_dir(), NULL, &t, NULL, &err) == PM_EIO);
    CHECK_CONTAINS(err.msg, "is a folder");
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/loop_a.csv", pm_test_dir());
    snprintf(b, sizeof b, "%s/loop_b.csv", pm_test_dir());
    CHECK(symlink(b, a) == 0 && symlink(a, b) == 0);
    CHECK(pm_table_read(a, NULL, &t, NULL, &err) == PM_EIO);
    CHECK_CONTAINS(err.msg, "too many levels of symbolic links");
    unlink(a);
    unlink(b);
    /* a .txt is read as CSV (it is checked as one) */
    CHECK(read_str("t.txt", "from,to\nA,B\n", &t, &err) == PM_OK);
    CHECK_INT(t.n, 1);
    pm_ties_destroy(&t);
}

static void test_dates(void)
{
    char vbuf[PM_TIES_VALUE_BUF];
    pm_ties_t t;
    pm_error_t err;
    /* a lone year column is the start; ISO and spreadsheet dates count by their year */
    CHECK(read_str("y.csv", "from,to,year\na,b,1967\nc,d,1971-12-11\ne,f,1980/01/02\ng,h,\n", &t,
                   &err) == PM_OK);
    CHECK_STR(t.start_col, "year");
    CHECK(t.end_col == NULL);
    CHECK_INT(t.start[0], 1967);
    CHECK_INT(t.start[1], 1971);
    CHECK_INT(t.start[2], 1980);
    CHECK_INT(t.start[3], PM_YEAR_NONE);
    CHECK_INT(t.end[0], PM_YEAR_NONE);
    CHECK_STR(pm_ties_value(&t, 1, "year", vbuf), "1971");
    pm_filter_t f;
    pm_filter_init(&f);
    CHECK(pm_filter_set_period(&f, "1965-1975", &err) == PM_OK);
    CHECK(pm_filter_apply(&f, &t, NULL, &err) == PM_OK);
    CHECK_INT(t.n, 3); /* 1967, 1971 and the undated one */
    pm_filter_destroy(&f);
    pm_ties_destroy(&t);

    CHECK(read_str("g.csv", "from,to,Год,until\na,b,1967,1991\n", &t, &err) == PM_OK);
    CHECK_STR(t.start_col, "Год");
    CHECK_STR(t.end_col, "until");
    CHECK_INT(t.end[0], 1991);
    pm_ties_destroy(&t);

    pm_table_opts_t o = {0};
    o.start_col = "signed";
    CHECK(read_opts("s.csv", "from,to,signed,year\na,b,1960-05-01,1999\n", &o, &t, &err) == PM_OK);
    CHECK_INT(t.start[0], 1960);
    CHECK_INT(pm_ties_attr_index(&t, "year"), 0); /* not the start: an attribute */
    pm_ties_destroy(&t);
    o.start_col = "nope";
    CHECK(read_opts("s.csv", "from,to,year\na,b,1960\n", &o, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "--start");

    CHECK(read_str("bad.csv", "from,to,date\na,b,1967\nc,d,circa 1970\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "bad.csv:3:");
    CHECK_CONTAINS(err.msg, "'circa 1970' in column 'date' is not a year or a date");
    CHECK(read_str("bad.csv", "from,to,start\na,b,1967-13-01\n", &t, &err) == PM_EDATA);

    /* --period with no date column, or one that is empty everywhere, has nothing to act on */
    CHECK(read_str("n.csv", "from,to,note\na,b,x\n", &t, &err) == PM_OK);
    pm_filter_init(&f);
    CHECK(pm_filter_set_period(&f, "1960-1969", &err) == PM_OK);
    CHECK(pm_filter_apply(&f, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "--start COL");
    pm_ties_destroy(&t);
    CHECK(read_str("e.csv", "from,to,start\na,b,\nc,d,\n", &t, &err) == PM_OK);
    CHECK(pm_filter_apply(&f, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "empty in every row");
    pm_filter_destroy(&f);
    pm_ties_destroy(&t);

    /* several candidates: the first is used, and a warning says so */
    pm_diag_t d;
    pm_diag_init(&d);
    pm_ties_init(&t);
    CHECK(pm_table_read(pm_test_file("yd.csv", "from,to,year,date\na,b,1967,1968\n"), NULL, &t, &d,
                        &err) == PM_OK);
    CHECK_INT(t.start[0], 1967);
    CHECK_INT(d.n, 1);
    if (d.n)
        CHECK_CONTAINS(d.items[0].msg, "'date'");
    pm_diag_destroy(&d);
    pm_ties_destroy(&t);
}

static void test_weights_and_encoding(void)
{
    pm_ties_t t;
    pm_error_t err;
    CHECK(read_str("h.csv", "from,to,weight\na,b,1e15\nc,d,1e16\n", &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "h.csv:3:");
    CHECK_CONTAINS(err.msg, "too large");
    CHECK(read_str("h.csv", "from,to,weight\na,b,1e308\n", &t, &err) == PM_EDATA);
    CHECK(read_str("h.csv", "from,to,weight\na,b,1e15\n", &t, &err) == PM_OK);
    pm_ties_destroy(&t);

    const char *semi = "from;to;weight\nBrno;Tula;1,5\nBrno;Plze\xC5\x88;2\n";
    CHECK(read_str("dc.csv", semi, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "dc.csv:2:");
    CHECK_CONTAINS(err.msg, "--decimal-comma");
    pm_table_opts_t o = {0};
    o.decimal_comma = 1;
    CHECK(read_opts("dc.csv", semi, &o, &t, &err) == PM_OK);
    CHECK_NEAR(t.weight[0], 1.5, 0);
    CHECK_NEAR(t.weight[1], 2.0, 0);
    pm_ties_destroy(&t);
    CHECK(read_opts("dc.csv", "from;to;weight\nA;B;1.000,5\n", &o, &t, &err) == PM_EDATA);

    /* Windows-1251: refused without --encoding (named in the message), read with it */
    const char cp[] = "from,to\n\xD1\xE2\xE5\xF0\xE4\xEB\xEE\xE2\xF1\xEA,\xD2\xF3\xEB\xE0\n";
    const char *p = raw_file("cp.csv", cp, sizeof cp - 1);
    pm_ties_init(&t);
    CHECK(pm_table_read(p, NULL, &t, NULL, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "--encoding CP1251");
    pm_table_opts_t e = {0};
    e.encoding = "CP1251";
    CHECK(pm_table_read(p, &e, &t, NULL, &err) == PM_OK);
    CHECK_STR(t.from[0], "Свердловск");
    CHECK_STR(t.to[0], "Тула");
    pm_ties_destroy(&t);
    e.encoding = "NO-SUCH-ENCODING";
    CHECK(pm_table_read(p, &e, &t, NULL, &err) == PM_EUSAGE);
}

/* --separator: a character GDAL does not detect ('|'), one it would not take from this header (a
 * header with ';' and ','), a tab for a .csv and ',' for a .tsv; the lines stay those of the file
 */
static void test_separator(void)
{
    pm_ties_t t;
    pm_error_t err;
    const char *pipe = "from|to|weight\r\n"
                       "Tula|\"Brno|Jih\"|1,5\r\n"
                       "\r\n"
                       "A, B|\"C \"\"x\"\"\"|2\r\n";
    CHECK(read_str("p.csv", pipe, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "p.csv:1: the header has one column");
    CHECK_CONTAINS(err.msg, "pass --separator '|'");
    pm_table_opts_t o = {0};
    o.separator = '|';
    o.decimal_comma = 1;
    CHECK(read_opts("p.csv", pipe, &o, &t, &err) == PM_OK);
    CHECK_INT(t.n, 2);
    if (t.n == 2) {
        CHECK_STR(t.from[0], "Tula");
        CHECK_STR(t.to[0], "Brno|Jih");
        CHECK_NEAR(t.weight[0], 1.5, 0);
        CHECK_STR(t.from[1], "A, B");
        CHECK_STR(t.to[1], "C \"x\"");
        CHECK_INT(t.line[1], 4);
    }
    pm_ties_destroy(&t);
    /* a row that does not parse names the given separator and its line */
    CHECK(read_opts("p.csv", "from|to\nA|B\nC|D|E\n", &o, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "p.csv:3: 3 fields where the header has 2 (separator '|', given by");

    /* a header with ';' and ',' is ','-separated for GDAL; --separator ';' says otherwise */
    const char *mix = "from;to;note, x\nA;B;n, y\nB;C;z\n";
    CHECK(read_str("m.csv", mix, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "m.csv:3: 1 field where the header has 2 (separator ',')");
    CHECK_CONTAINS(err.msg, "--separator");
    pm_table_opts_t m = {0};
    m.separator = ';';
    CHECK(read_opts("m.csv", mix, &m, &t, &err) == PM_OK);
    CHECK_INT(t.n, 2);
    pm_ties_destroy(&t);

    pm_table_opts_t tab = {0};
    tab.separator = '\t';
    CHECK(read_opts("t.csv", "from\tto\nA, x\tB;y\n", &tab, &t, &err) == PM_OK);
    CHECK(t.n == 1 && !strcmp(t.from[0], "A, x") && !strcmp(t.to[0], "B;y"));
    pm_ties_destroy(&t);
    pm_table_opts_t comma = {0};
    comma.separator = ',';
    CHECK(read_opts("t.tsv", "from,to\nA\tx,B\n", &comma, &t, &err) == PM_OK);
    CHECK(t.n == 1 && !strcmp(t.from[0], "A x") && !strcmp(t.to[0], "B")); /* one space */
    pm_ties_destroy(&t);
    CHECK(read_opts("t.tsv", "from\tto\nA\tB\n", &comma, &t, &err) == PM_EDATA);
    CHECK_CONTAINS(err.msg, "t.tsv:1: the header has one column with the separator ','");
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_recognised_and_quoted);
    PM_RUN(test_place_white_space);
    PM_RUN(test_bad_weights);
    PM_RUN(test_bad_inputs);
    PM_RUN(test_xlsx_equals_csv);
    PM_RUN(test_filters);
    PM_RUN(test_text_defects);
    PM_RUN(test_sources);
    PM_RUN(test_dates);
    PM_RUN(test_weights_and_encoding);
    PM_RUN(test_separator);
    pm_runtime_teardown();
    return pm_test_done();
}
