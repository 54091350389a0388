/*
 * test_report: numbers for machines and for people are written with a '.' decimal point whatever
 * the locale of the program calling the library (a GUI that called setlocale(LC_ALL, "") with a
 * German locale got "0,5" in its CSV, a column split in two); NaN is empty for machines and "-"
 * for people; no "-0"; CSV, TSV and JSON of one report with such numbers.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_buf.h"
#include "pm_report.h"
#include "pm_test.h"

/* A locale whose decimal point is a comma, compiled into the scratch folder (localedef, from
 * Debian's locales package); (locale_t)0 when it cannot be made. */
static locale_t comma_locale(void)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
             pm_test_dir());
    if (system(cmd) != 0)
        return (locale_t)0;
    setenv("LOCPATH", pm_test_dir(), 1);
    return newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);
}

static void test_numbers(void)
{
    locale_t de = comma_locale();
    CHECK(de != (locale_t)0); /* scripts/deps.sh installs locales */
    if (!de)
        return;
    char probe[32];
    locale_t old = uselocale(de);
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    CHECK_STR(probe, "0,5"); /* the locale is in force on this thread */
    char buf[64];
    pm_format_number(buf, sizeof buf, 0.5, PM_COL_REAL);
    CHECK_STR(buf, "0.5");
    pm_format_number(buf, sizeof buf, 1234567.25, PM_COL_REAL);
    CHECK_STR(buf, "1234567.25");
    pm_format_number(buf, sizeof buf, -0.0, PM_COL_REAL);
    CHECK_STR(buf, "0");
    pm_format_number(buf, sizeof buf, NAN, PM_COL_REAL);
    CHECK_STR(buf, "");
    pm_format_number(buf, sizeof buf, 12, PM_COL_INT);
    CHECK_STR(buf, "12");

    double vals[2] = {0.25, NAN};
    const char *names[2] = {"Tula", "Kursk"};
    pm_report_col_t cols[2] = {{"place", NULL, PM_COL_TEXT, 0, NULL, names},
                               {"pagerank", NULL, PM_COL_REAL, 4, vals, NULL}};
    pm_report_item_t items[1] = {{"density", "density", PM_COL_REAL, 4, 0.125, NULL, NULL}};
    size_t rows[2] = {0, 1};
    pm_report_t r = {"t", items, 1, cols, 2, rows, 2, 2, "places"};
    pm_buf_t b;
    pm_buf_init(&b);
    pm_error_t err;
    CHECK_INT(pm_report_write(&r, PM_FMT_CSV, &b, &err), PM_OK);
    CHECK_STR(pm_buf_str(&b), "place,pagerank\nTula,0.25\nKursk,\n");
    pm_buf_reset(&b);
    CHECK_INT(pm_report_write_summary(&r, PM_FMT_CSV, &b, &err), PM_OK);
    CHECK_CONTAINS(pm_buf_str(&b), "density,0.125");
    pm_buf_reset(&b);
    CHECK_INT(pm_report_write(&r, PM_FMT_JSON, &b, &err), PM_OK);
    CHECK_CONTAINS(pm_buf_str(&b), "0.25");
    CHECK(strstr(pm_buf_str(&b), "0,25") == NULL);
    pm_buf_reset(&b);
    CHECK_INT(pm_report_write(&r, PM_FMT_TERMINAL, &b, &err), PM_OK);
    CHECK_CONTAINS(pm_buf_str(&b), "0.2500"); /* for people: fixed decimals, still a point */
    CHECK_CONTAINS(pm_buf_str(&b), "0.1250");
    CHECK(strstr(pm_buf_str(&b), "0,2500") == NULL);
    pm_buf_destroy(&b);
    uselocale(old);
    freelocale(de);
}

/* The one escaper of the XML-like outputs (GraphML, GML, the SVG's metadata): each mode escapes
 * its own characters; in every mode bytes that are not UTF-8 become U+FFFD and control characters
 * but the tab a space (the SVG's title used to pass them through, an ill-formed file). */
static void test_text_escaped(void)
{
    pm_buf_t b;
    pm_buf_init(&b);
    pm_text_escaped(&b, "A&B <\"x\"> \xff\x01\tz", PM_ESCAPE_XML);
    CHECK_STR(pm_buf_str(&b), "A&amp;B &lt;&quot;x&quot;&gt; \xEF\xBF\xBD \tz");
    pm_buf_reset(&b);
    pm_text_escaped(&b, "A&B <\"x\">\n", PM_ESCAPE_GML);
    CHECK_STR(pm_buf_str(&b), "A&amp;B <&quot;x&quot;> ");
    pm_buf_reset(&b);
    pm_text_escaped(&b, "A&B\xc3", PM_ESCAPE_NONE);
    CHECK_STR(pm_buf_str(&b), "A&B\xEF\xBF\xBD");
    pm_buf_destroy(&b);
}

int main(void)
{
    PM_RUN(test_numbers);
    PM_RUN(test_text_escaped);
    return pm_test_done();
}
