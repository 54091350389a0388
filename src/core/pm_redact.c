/*
 * pm_redact: passwords out of data source names (see pm_redact.h for the rules).
 *
 * One pass over the text: at each position either a password key (password=, passwd=, pwd=) or
 * a URI's "scheme://user:" starts a secret, which is replaced by "***", or the byte is copied.
 * Over-redacting is the safe side: an unquoted value runs to white space, whatever it contains.
 */
#include "pm_redact.h"

#include "pm_buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char MASK[] = "***";

static int is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Length of a password key at s (preceded by a non-word byte), with its '=' and the spaces
 * around it; 0 when there is none. */
static size_t key_at(const char *start, const char *s)
{
    static const char *const keys[] = {"password", "passwd", "pwd"};
    if (s > start && is_word(s[-1]))
        return 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t n = strlen(keys[k]);
        if (strncasecmp(s, keys[k], n) != 0 || is_word(s[n]))
            continue;
        const char *p = s + n;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        return (size_t)(p - s);
    }
    return 0;
}

/* The value at s: its length, and in *keep the bytes at its end to copy after the mask (the
 * closing quote of a quoted value or of an enclosing quotation). A quoted value also keeps its
 * opening quote (*lead). */
static size_t value_at(const char *s, size_t *lead, size_t *keep)
{
    const char *p = s;
    *lead = *keep = 0;
    if (*p == '\'') {
        for (p++; *p && *p != '\''; p++)
            if (*p == '\\' && p[1])
                p++;
        *lead = 1;
        *keep = *p == '\'';
        return (size_t)(p - s) + (*p == '\'');
    }
    while (*p && !isspace((unsigned char)*p)) {
        if (*p == '\\' && p[1])
            p++;
        p++;
    }
    if (p > s + 1 && (p[-1] == '\'' || p[-1] == '"'))
        *keep = 1;
    return (size_t)(p - s);
}

/* At s just after "://": the length of the user information's password (from after the first
 * ':' to before the last '@' of the authority), in *at its offset; 0 when there is none. */
static size_t uri_password(const char *s, size_t *at)
{
    size_t end = strcspn(s, "/?# \t\r\n'\"");
    const char *amp = NULL;
    for (size_t i = 0; i < end; i++)
        if (s[i] == '@')
            amp = s + i;
    if (!amp)
        return 0;
    const char *colon = memchr(s, ':', (size_t)(amp - s));
    if (!colon || colon + 1 == amp)
        return 0;
    *at = (size_t)(colon + 1 - s);
    return (size_t)(amp - colon - 1);
}

static int maybe_secret(const char *s)
{
    for (const char *p = s; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        if ((c == 'p' && (!strncasecmp(p, "pass", 4) || !strncasecmp(p, "pwd", 3))) ||
            (c == ':' && !strncmp(p, "://", 3)))
            return 1;
    }
    return 0;
}

/* Appends s redacted to b (b NULL: only counts); returns the number of secrets replaced. */
static int redact_into(pm_buf_t *b, const char *s)
{
    int n = 0;
    const char *p = s;
    while (*p) {
        size_t k = key_at(s, p);
        if (k) {
            size_t lead, keep, v = value_at(p + k, &lead, &keep);
            if (b) {
                pm_buf_append(b, p, k + lead);
                pm_buf_puts(b, MASK);
                pm_buf_append(b, p + k + v - keep, keep);
            }
            n += strncmp(p + k + lead, MASK, strlen(MASK)) != 0 || v - lead - keep != 3;
            p += k + v;
            continue;
        }
        if (!strncmp(p, "://", 3)) {
            size_t at, len = uri_password(p + 3, &at);
            if (len) {
                if (b) {
                    pm_buf_append(b, p, 3 + at);
                    pm_buf_puts(b, MASK);
                }
                n += len != 3 || strncmp(p + 3 + at, MASK, 3) != 0;
                p += 3 + at + len;
                continue;
            }
        }
        if (b)
            pm_buf_putc(b, *p);
        p++;
    }
    return n;
}

int pm_redact_needed(const char *s)
{
    return s && maybe_secret(s) && redact_into(NULL, s) > 0;
}

int pm_redact(const char *s, char *out, size_t size)
{
    if (!s)
        s = "";
    if (!size)
        return 0;
    if (!maybe_secret(s)) {
        size_t n = strlen(s);
        if (n >= size)
            n = size - 1;
        memmove(out, s, n);
        out[n] = '\0';
        return 0;
    }
    pm_buf_t b;
    pm_buf_init(&b);
    int changed = redact_into(&b, s) > 0;
    if (pm_buf_failed(&b)) {
        /* no memory: show nothing rather than the secret */
        snprintf(out, size, "%s", "(source name hidden)");
    } else {
        snprintf(out, size, "%s", pm_buf_str(&b));
    }
    pm_buf_destroy(&b);
    return changed;
}

char *pm_redact_dup(const char *s)
{
    if (!s)
        return NULL;
    if (!maybe_secret(s))
        return strdup(s);
    pm_buf_t b;
    pm_buf_init(&b);
    redact_into(&b, s);
    if (!b.data && !b.failed)
        pm_buf_puts(&b, "");
    return pm_buf_take(&b);
}
