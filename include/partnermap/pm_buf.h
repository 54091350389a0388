/*
 * pm_buf: a growable, always NUL-terminated byte buffer for building output text in memory.
 *
 * Output is assembled whole in memory and written by pm_io_write_atomic, so a file is either
 * complete or absent. Appends after an allocation failure are ignored and the failure is sticky
 * (pm_buf_failed), in the manner of cairo's error status, so callers check once at the end.
 */
#ifndef PM_BUF_H
#define PM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pm_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    int failed; /* sticky: an allocation failed */
} pm_buf_t;

void pm_buf_init(pm_buf_t *b);
void pm_buf_destroy(pm_buf_t *b);
void pm_buf_reset(pm_buf_t *b); /* empties it, keeps the memory */
void pm_buf_append(pm_buf_t *b, const char *s, size_t n);
void pm_buf_puts(pm_buf_t *b, const char *s);
void pm_buf_putc(pm_buf_t *b, char c);
void pm_buf_printf(pm_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pm_buf_vprintf(pm_buf_t *b, const char *fmt, va_list ap);
/* snprintf in the C locale (a '.' decimal point whatever the calling program's locale); the
 * pm_buf printers use it. */
int pm_snprintf_c(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int pm_vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap);
/* Appends c n times. */
void pm_buf_repeat(pm_buf_t *b, char c, size_t n);
/* The text (never NULL: "" when empty). Lent, valid until the next append. */
const char *pm_buf_str(const pm_buf_t *b);
int pm_buf_failed(const pm_buf_t *b);
/* Hands the data to the caller (free() it) and leaves b empty. NULL if the buffer failed. */
char *pm_buf_take(pm_buf_t *b);

/* Frees the n strings of v and v itself (a string vector; NULL is allowed). */
void pm_strv_free(char **v, size_t n);

#endif
