/*
 * test_redact: passwords taken out of data source names (libpq key=value with plain, quoted and
 * escaped values, URIs with user:password@, GDAL's PG: prefix), everything else left alone,
 * idempotence, truncation into small buffers, and the error and warning records that redact
 * what they store.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_error.h"
#include "pm_redact.h"
#include "pm_test.h"

static void same(const char *in, const char *want)
{
    char out[512];
    pm_redact(in, out, sizeof out);
    CHECK_STR(out, want);
    char *d = pm_redact_dup(in);
    CHECK(d != NULL);
    if (d)
        CHECK_STR(d, want);
    /* idempotent: redacting the redacted text changes nothing */
    char again[512];
    CHECK_INT(pm_redact(out, again, sizeof again), 0);
    CHECK_STR(again, want);
    free(d);
}

static void test_key_value(void)
{
    same("PG:host=/tmp/s dbname=ties user=h password=secret",
         "PG:host=/tmp/s dbname=ties user=h password=***");
    same("PG:dbname=ties password='sec ret' user=h", "PG:dbname=ties password='***' user=h");
    same("PG:password='it\\'s sec ret' host=x", "PG:password='***' host=x");
    same("PG:PASSWORD = secret host=x", "PG:PASSWORD = *** host=x");
    same("PG:dbname=x pwd=secret", "PG:dbname=x pwd=***");
    same("password=secret", "password=***");
    /* a quoted source in a message keeps its closing quote */
    same("cannot read 'PG:dbname=t password=secret' as a table: failed",
         "cannot read 'PG:dbname=t password=***' as a table: failed");
    same("'PG:dbname=t password='sec ret''", "'PG:dbname=t password='***''");
    /* unterminated quote: everything after it */
    same("PG:password='sec ret", "PG:password='***");
    CHECK_INT(pm_redact_needed("PG:dbname=t password=secret"), 1);
}

static void test_uri(void)
{
    same("PG:postgresql://historian:secret@db.example.org:5432/ties",
         "PG:postgresql://historian:***@db.example.org:5432/ties");
    same("postgres://u:secret@h/db?sslmode=require", "postgres://u:***@h/db?sslmode=require");
    same("postgresql://h/db?user=u&password=secret", "postgresql://h/db?user=u&password=***");
    same("https://u:p%40ss@example.org/x.geojson", "https://u:***@example.org/x.geojson");
    /* a user without a password, a host with a port: nothing to hide */
    same("postgresql://historian@h:5432/db", "postgresql://historian@h:5432/db");
    same("https://example.org:8080/x.csv", "https://example.org:8080/x.csv");
}

static void test_untouched(void)
{
    same("ties.csv", "ties.csv");
    same("/data/passwords.csv", "/data/passwords.csv");
    same("PG:host=/tmp/s dbname=ties user=passer", "PG:host=/tmp/s dbname=ties user=passer");
    same("mypassword=x", "mypassword=x"); /* not a key of its own */
    same("", "");
    CHECK_INT(pm_redact_needed("ties.csv"), 0);
    CHECK_INT(pm_redact_needed(NULL), 0);
    CHECK(pm_redact_dup(NULL) == NULL);
}

static void test_small_buffer(void)
{
    char out[16];
    pm_redact("PG:password=verysecretpassword", out, sizeof out);
    CHECK_STR(out, "PG:password=***");
    char tiny[4];
    pm_redact("password=secret", tiny, sizeof tiny);
    CHECK_STR(tiny, "pas");
    /* in place */
    char buf[64] = "PG:dbname=x password=secret host=y";
    CHECK_INT(pm_redact(buf, buf, sizeof buf), 1);
    CHECK_STR(buf, "PG:dbname=x password=*** host=y");
}

static void test_error_and_warnings(void)
{
    pm_error_t err;
    pm_error_set(&err, PM_EIO, "cannot read '%s': %s", "PG:dbname=t password=secret",
                 "connection to PG:dbname=t password=secret failed");
    CHECK(strstr(err.msg, "secret") == NULL);
    CHECK(strstr(err.msg, "password=***") != NULL);
    pm_diag_t d;
    pm_diag_init(&d);
    pm_diag_add(&d, "PG:postgresql://u:secret@h/db: row 3", "GDAL says password='sec ret'");
    CHECK_INT(d.n, 1);
    if (d.n) {
        CHECK_STR(d.items[0].where, "PG:postgresql://u:***@h/db: row 3");
        CHECK_STR(d.items[0].msg, "GDAL says password='***'");
    }
    pm_diag_destroy(&d);
}

int main(void)
{
    PM_RUN(test_key_value);
    PM_RUN(test_uri);
    PM_RUN(test_untouched);
    PM_RUN(test_small_buffer);
    PM_RUN(test_error_and_warnings);
    return pm_test_done();
}
