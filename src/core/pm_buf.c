/*
 * pm_buf: growable text buffer (see pm_buf.h).
 */
#define _GNU_SOURCE /* uselocale */
#include "pm_buf.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pm_buf_init(pm_buf_t *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void pm_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void pm_buf_destroy(pm_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    pm_buf_init(b);
}

void pm_buf_reset(pm_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(pm_buf_t *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}

void pm_buf_append(pm_buf_t *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pm_buf_puts(pm_buf_t *b, const char *s)
{
    pm_buf_append(b, s, strlen(s));
}

void pm_buf_putc(pm_buf_t *b, char c)
{
    pm_buf_append(b, &c, 1);
}

void pm_buf_repeat(pm_buf_t *b, char c, size_t n)
{
    if (!reserve(b, n))
        return;
    memset(b->data + b->len, c, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* The C locale, made once: numbers in every output have a '.' whatever locale the program that
 * calls the library has set (setlocale is process-wide; uselocale only changes this thread). */
static locale_t c_locale;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

int pm_vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap)
{
    pthread_once(&c_once, make_c_locale);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    int n = vsnprintf(buf, size, fmt, ap);
    if (c_locale)
        uselocale(old);
    return n;
}

int pm_snprintf_c(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = pm_vsnprintf_c(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void pm_buf_vprintf(pm_buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = pm_vsnprintf_c(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    pm_vsnprintf_c(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void pm_buf_printf(pm_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *pm_buf_str(const pm_buf_t *b)
{
    return b->data ? b->data : "";
}

int pm_buf_failed(const pm_buf_t *b)
{
    return b->failed;
}

char *pm_buf_take(pm_buf_t *b)
{
    if (b->failed) {
        pm_buf_destroy(b);
        return NULL;
    }
    char *d = b->data ? b->data : strdup("");
    pm_buf_init(b);
    return d;
}
