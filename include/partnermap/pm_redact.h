/*
 * pm_redact: takes passwords out of data source names before they are shown or written.
 *
 * A source may be a connection string with a password in it (PG:"host=... password=secret",
 * PG:postgresql://user:secret@host/db, https://user:secret@host/file). Wherever partnermap
 * echoes a source (messages, warnings, terminal headers, figure metadata, captions, batch
 * summaries) it shows the text through these functions, so the password never reaches a file or
 * a terminal. The source itself is opened with the text as given.
 *
 * What is replaced by "***":
 *   - the value of a key password, passwd or pwd (any case, a word of its own, optional spaces
 *     around '='): a single-quoted value to its closing quote (backslash escapes, as libpq reads
 *     it; the quotes are kept), an unquoted one to the next white space (a quote that ends it is
 *     kept, so "'PG:... password=x'" keeps its closing quote);
 *   - the password of a URI's user information, scheme://user:PASSWORD@host (user is kept).
 * Everything else is copied unchanged. A text without "pass", "pwd" or "://" is copied as is.
 * Redacting is idempotent: pm_redact of a redacted text gives the same text.
 */
#ifndef PM_REDACT_H
#define PM_REDACT_H

#include <stddef.h>

/* Writes s with its secrets replaced into out (size bytes, always NUL-terminated when size > 0,
 * cut short when it does not fit). s NULL is taken as "". Returns 1 when something was replaced,
 * 0 otherwise. s and out may be the same buffer. */
int pm_redact(const char *s, char *out, size_t size);

/* s redacted, in a new string the caller frees; NULL when s is NULL or memory runs out. */
char *pm_redact_dup(const char *s);

/* 1 when s holds something pm_redact would replace. */
int pm_redact_needed(const char *s);

#endif
