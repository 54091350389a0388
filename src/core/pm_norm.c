/*
 * pm_norm: match keys for place names (see pm_norm.h for what a key is).
 *
 * The work is done in two passes over a name. The first pass (to_ascii) folds case with
 * utf8proc and turns every character into lower-case ASCII letters and digits, '.' and ' ':
 * Cyrillic runs go through our ICU rule transliterator, other scripts through ICU's Any-Latin
 * (or stay as UTF-8 with PM_NORM_NO_OTHER_SCRIPTS), Latin letters lose their marks. The second pass
 * (to_key) cuts words, joins dotted abbreviations, collapses spelling variants in each word and
 * drops generic words. The generic word list is written in ordinary spelling below and put through
 * the same passes once, at init, so it can never disagree with the keys it is compared with.
 *
 * ICU transliterators are not safe for concurrent use, so each is used under its own mutex. The
 * Cyrillic one opens in ~0.1 ms; Any-Latin takes ~40 ms and is opened only when a name in another
 * script is keyed without PM_NORM_NO_OTHER_SCRIPTS.
 */
#include "pm_norm.h"

#include "pm_buf.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

/* BGN-like Cyrillic to Latin, on case-folded text. Letters of Ukrainian, Belarusian, Kazakh,
 * Uzbek, Tatar, Serbian and Macedonian are included; soft and hard signs vanish. The output need
 * only be consistent with common Latin spellings after the collapsing in to_key. */
static const char cyrillic_rules[] =
    "а>a; б>b; в>v; г>g; д>d; е>e; ё>e; ж>zh; з>z; и>i; й>y; к>k; л>l; м>m; н>n; о>o; п>p; "
    "р>r; с>s; т>t; у>u; ф>f; х>kh; ц>ts; ч>ch; ш>sh; щ>shch; ъ>; ы>y; ь>; э>e; ю>yu; я>ya; "
    "і>i; ї>yi; є>ye; ґ>g; ў>u; ә>a; ғ>g; қ>k; ң>n; ө>o; ұ>u; ү>u; һ>h; ҳ>h; ҷ>j; җ>zh; "
    "ђ>dj; ј>j; љ>lj; њ>nj; ћ>c; џ>dz; ѓ>gj; ќ>kj; ѕ>dz; ӏ>;";

static pthread_once_t norm_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t cyr_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t any_mu = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *cyr_trans;
static UTransliterator *any_trans; /* opened on first need, under any_mu */
static int any_failed;
static pm_status_t init_status = PM_OK;
static char init_msg[PM_ERROR_MSG_MAX];

typedef struct generic_word {
    char *word;
    pm_norm_kind_t kind;
} generic_word_t;

static generic_word_t *generic;
static size_t n_generic;

/* Generic words in ordinary spelling, by kind. Words of several tokens add each token. */
static const char *const generic_region[] = {
    "oblast",      "oblast'",      "область",    "obl",         "oblys",       "oblysy",
    "облыс",       "облысы",       "voblast",    "вобласць",    "kraj",        "kraje",
    "край",        "krai",         "kray",       "region",      "regions",     "регион",
    "province",    "provincia",    "provinz",    "провинция",   "voivodeship", "województwo",
    "wojewodztwo", "megye",        "county",     "okrug",       "округ",       "okres",
    "district",    "raion",        "rayon",      "район",       "state",       "territory",
    "department",  "departamento", "prefecture", "governorate", NULL};
static const char *const generic_city[] = {
    "city",   "gorod",  "город",  "g",      "г",     "mesto",    "město", "miasto",
    "qalasy", "қаласы", "kalasy", "shahri", "stadt", "gorsovet", "misto", "місто",
    "м",      "grad",   "град",   "horad",  "горад", NULL};
static const char *const generic_other[] = {
    "assr",       "ssr",        "асср",       "сср",         "republic",   "respublika",
    "республика", "republika",  "autonomous", "avtonomnaya", "avtonomnyy", "avtonomnyi",
    "автономная", "автономный", "автономной", "federal",     "of",         "the",
    "a",          "ao",         "aok",        "aokr",        "aobl",       "municipality",
    "hlavni",     NULL};

/* ---- ICU ------------------------------------------------------------------------------------ */

static UTransliterator *open_trans(const char *id, const char *rules, char *msg, size_t msg_len)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar uid[64];
    u_strFromUTF8(uid, 64, NULL, id, -1, &st);
    UChar *urules = NULL;
    int32_t rlen = 0;
    if (rules) {
        size_t cap = strlen(rules) + 1;
        urules = malloc(cap * sizeof *urules);
        if (!urules) {
            snprintf(msg, msg_len, "out of memory");
            return NULL;
        }
        u_strFromUTF8(urules, (int32_t)cap, &rlen, rules, -1, &st);
    }
    UParseError pe;
    UTransliterator *t =
        U_SUCCESS(st) ? utrans_openU(uid, -1, UTRANS_FORWARD, urules, rlen, &pe, &st) : NULL;
    free(urules);
    if (U_FAILURE(st)) {
        snprintf(msg, msg_len, "cannot open the ICU transliterator '%s': %s", id, u_errorName(st));
        return NULL;
    }
    return t;
}

/* Transliterates the UTF-8 run s[0..n) with t (under mu), appending UTF-8 to out. */
static pm_status_t translit(UTransliterator *t, pthread_mutex_t *mu, const char *s, size_t n,
                            pm_buf_t *out, pm_error_t *err)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = (int32_t)n * 4 + 16, len = 0;
    UChar *u = malloc((size_t)cap * sizeof *u);
    char *o = NULL;
    pm_status_t rc = PM_OK;
    if (!u)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    u_strFromUTF8(u, cap, &len, s, (int32_t)n, &st);
    if (U_SUCCESS(st)) {
        int32_t limit = len;
        pthread_mutex_lock(mu);
        utrans_transUChars(t, u, &len, cap, 0, &limit, &st);
        pthread_mutex_unlock(mu);
    }
    int32_t olen = 0;
    if (U_SUCCESS(st))
        u_strToUTF8(NULL, 0, &olen, u, len, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR)
        st = U_ZERO_ERROR;
    if (U_SUCCESS(st)) {
        o = malloc((size_t)olen + 1);
        if (!o) {
            rc = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        u_strToUTF8(o, olen + 1, NULL, u, len, &st);
    }
    if (U_FAILURE(st)) {
        rc = pm_error_set(err, PM_EINTERNAL, "ICU transliteration failed: %s", u_errorName(st));
        goto cleanup;
    }
    pm_buf_append(out, o, (size_t)olen);
cleanup:
    free(o);
    free(u);
    return rc;
}

static UTransliterator *any_latin(void)
{
    pthread_mutex_lock(&any_mu);
    if (!any_trans && !any_failed) {
        char msg[256];
        any_trans = open_trans("Any-Latin; Latin-ASCII", NULL, msg, sizeof msg);
        any_failed = any_trans == NULL;
    }
    UTransliterator *t = any_trans;
    pthread_mutex_unlock(&any_mu);
    return t;
}

/* ---- first pass: to lower-case ASCII -------------------------------------------------------- */

static int is_cyrillic(utf8proc_int32_t c)
{
    return c >= 0x400 && c <= 0x52F;
}

static int is_apostrophe(utf8proc_int32_t c)
{
    switch (c) {
    case 0x27:
    case 0x60:
    case 0xB4:
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
    case 0x2B9:
    case 0x2BA:
    case 0x2BB:
    case 0x2BC:
    case 0x2BD:
    case 0x2BE:
    case 0x2BF:
    case 0x2C8:
    case 0x2CC:
        return 1;
    default:
        return 0;
    }
}

/* Latin letters that have no decomposition. */
static const char *latin_extra(utf8proc_int32_t c)
{
    switch (c) {
    case 0x142:
        return "l"; /* ł */
    case 0xF8:
        return "o"; /* ø */
    case 0x111:
        return "d"; /* đ */
    case 0xF0:
        return "d"; /* ð */
    case 0xE6:
        return "ae"; /* æ */
    case 0x153:
        return "oe"; /* œ */
    case 0x131:
        return "i"; /* ı */
    case 0xFE:
        return "th"; /* þ */
    case 0x127:
        return "h"; /* ħ */
    case 0x167:
        return "t"; /* ŧ */
    case 0x140:
        return "l"; /* ŀ */
    case 0x138:
        return "k"; /* ĸ */
    case 0x14B:
        return "n"; /* ŋ */
    case 0xDF:
        return "ss"; /* ß */
    case 0x17F:
        return "s"; /* ſ */
    case 0x192:
        return "f"; /* ƒ */
    case 0x268:
        return "i"; /* ɨ */
    case 0x259:
        return "e"; /* ə */
    case 0x1DD:
        return "e"; /* ǝ */
    default:
        return NULL;
    }
}

static void put_ascii(pm_buf_t *out, int c)
{
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.')
        pm_buf_putc(out, (char)c);
    else if (!is_apostrophe(c))
        pm_buf_putc(out, ' ');
}

/* ASCII letters for a Latin letter beyond ASCII (marks stripped) in d[0..*nd), or 0. */
static int latin_ascii(utf8proc_int32_t c, utf8proc_int32_t d[8], utf8proc_ssize_t *nd)
{
    int last = 0;
    *nd = utf8proc_decompose_char(
        c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
        &last);
    if (*nd < 0 || *nd > 8)
        return 0;
    for (utf8proc_ssize_t i = 0; i < *nd; i++)
        if (d[i] >= 0x80)
            return 0;
    return 1;
}

enum { CLS_LATIN, CLS_CYRILLIC, CLS_OTHER, CLS_MARK };

/* What to do with a character: Latin (incl. ASCII, punctuation, apostrophes: put_latin handles
 * it), Cyrillic, a letter or number of another script, or a combining mark. */
static int classify(utf8proc_int32_t c)
{
    if (c < 0x80 || is_apostrophe(c) || latin_extra(c))
        return CLS_LATIN;
    if (is_cyrillic(c))
        return CLS_CYRILLIC;
    utf8proc_int32_t d[8];
    utf8proc_ssize_t nd;
    if (latin_ascii(c, d, &nd))
        return CLS_LATIN;
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME)
        return CLS_MARK;
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO &&
         cat != UTF8PROC_CATEGORY_LM) ||
        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
        return CLS_OTHER;
    return CLS_LATIN; /* punctuation, symbols, modifier letters: put_latin makes them breaks */
}

/* Appends one character of class CLS_LATIN as ASCII (a word break for punctuation). Returns 0
 * when c is not Latin after all (the caller keeps it as UTF-8). */
static int put_latin(pm_buf_t *out, utf8proc_int32_t c)
{
    if (c < 0x80) {
        put_ascii(out, (int)c);
        return 1;
    }
    if (is_apostrophe(c))
        return 1;
    const char *x = latin_extra(c);
    if (x) {
        pm_buf_puts(out, x);
        return 1;
    }
    utf8proc_int32_t d[8];
    utf8proc_ssize_t nd;
    if (latin_ascii(c, d, &nd)) {
        for (utf8proc_ssize_t i = 0; i < nd; i++)
            put_ascii(out, (int)d[i]);
        return 1;
    }
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
        cat == UTF8PROC_CATEGORY_ME)
        return 1; /* modifier letters (mostly apostrophes) and stray marks vanish */
    if (classify(c) == CLS_OTHER)
        return 0;
    pm_buf_putc(out, ' ');
    return 1;
}

/* Appends the characters of s[0..n) that remain after a transliteration: ASCII and Latin as
 * usual. A letter ICU could not spell (Urdu U+06C1 after Any-Latin, a Cyrillic letter outside our
 * rules) becomes the word "u<code point in decimal>": the key stays ASCII (pm_norm.h), and the
 * letter is neither dropped (the rest of the name could then meet another place) nor confused
 * with another one (decimal digits are never collapsed). */
static void put_leftovers(pm_buf_t *out, const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            break;
        if (!put_latin(out, c)) {
            char tok[16];
            snprintf(tok, sizeof tok, " u%ld ", (long)c);
            pm_buf_puts(out, tok);
        }
        i += (size_t)k;
    }
}

/* Removes (...) and [...] with their content. */
static void drop_parens(char *s)
{
    char *w = s;
    int depth = 0;
    for (char *r = s; *r; r++) {
        if (*r == '(' || *r == '[')
            depth++;
        else if ((*r == ')' || *r == ']') && depth > 0) {
            depth--;
            *w++ = ' ';
        } else if (depth == 0)
            *w++ = *r;
    }
    *w = '\0';
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static pm_status_t to_ascii(const char *utf8, unsigned flags, pm_buf_t *out, pm_error_t *err)
{
    if (!(flags & PM_NORM_DROP_PARENS) && is_ascii(utf8)) {
        /* the common case, without utf8proc: ASCII case folding is lower-casing */
        for (const char *p = utf8; *p; p++)
            put_ascii(out, (unsigned char)*p);
        return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory") : PM_OK;
    }
    utf8proc_uint8_t *folded = NULL;
    pm_status_t rc = PM_OK;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)utf8, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    if (n < 0) {
        if (n == UTF8PROC_ERROR_NOMEM)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        return pm_error_set(err, PM_EDATA, "'%.60s' is not valid UTF-8", utf8);
    }
    char *s = (char *)folded;
    if (flags & PM_NORM_DROP_PARENS)
        drop_parens(s);
    size_t len = strlen(s), i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0)
            break;
        if (c < 0x80) {
            put_ascii(out, (int)c);
            i += (size_t)k;
            continue;
        }
        /* a run of Cyrillic, or of another script, goes to ICU whole */
        int cls = classify(c);
        if (cls == CLS_LATIN || cls == CLS_MARK) {
            put_latin(out, c);
            i += (size_t)k;
            continue;
        }
        int cyr = cls == CLS_CYRILLIC;
        size_t start = i;
        i += (size_t)k;
        while (i < len) {
            utf8proc_int32_t d;
            utf8proc_ssize_t m =
                utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &d);
            if (m <= 0)
                break;
            int dc = classify(d);
            if (dc != cls && dc != CLS_MARK)
                break;
            i += (size_t)m;
        }
        UTransliterator *t = NULL;
        pthread_mutex_t *mu = &cyr_mu;
        if (cyr)
            t = cyr_trans;
        else if (!(flags & PM_NORM_NO_OTHER_SCRIPTS)) {
            t = any_latin();
            mu = &any_mu;
        }
        if (!t) {
            pm_buf_append(out, s + start, i - start);
            pm_buf_putc(out, ' ');
            continue;
        }
        pm_buf_t tmp;
        pm_buf_init(&tmp);
        rc = translit(t, mu, s + start, i - start, &tmp, err);
        if (rc == PM_OK)
            put_leftovers(out, pm_buf_str(&tmp), tmp.len);
        pm_buf_destroy(&tmp);
        if (rc != PM_OK)
            goto cleanup;
    }
    if (pm_buf_failed(out))
        rc = pm_error_set(err, PM_ENOMEM, "out of memory");
cleanup:
    free(folded);
    return rc;
}

/* ---- second pass: words, collapsing, generic words ------------------------------------------ */

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'o' || c == 'u';
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && memcmp(w + n - m, suffix, m) == 0;
}

/* Collapses spelling variants of one ASCII word in place; returns its new length. */
static size_t collapse_word(char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)w[i] >= 0x80)
            return n; /* a word in another script stays as it is */
    for (size_t i = 0; i < n; i++)
        w[i] = w[i] == 'j' ? 'y' : w[i] == 'q' ? 'k' : w[i] == 'w' ? 'v' : w[i];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= 4 && memcmp(w + i, "shch", 4) == 0) {
            w[o++] = 's';
            i += 4;
        } else if (n - i >= 2 && w[i + 1] == 'h' && strchr("kzcsg", w[i])) {
            w[o++] = w[i] == 'k' ? 'h' : w[i];
            i += 2;
        } else if (n - i >= 2 && w[i] == 't' && w[i + 1] == 's') {
            w[o++] = 'c';
            i += 2;
        } else
            w[o++] = w[i++];
    }
    n = o;
    for (size_t i = 0; i < n; i++)
        if (w[i] == 'y')
            w[i] = 'i';
    for (int pass = 0; pass < 2; pass++) {
        o = 0;
        for (size_t i = 0; i < n; i++) {
            if (o > 0 && w[o - 1] == w[i] && w[i] >= 'a')
                continue; /* double letters (not digits: 2022) */
            if (w[i] == 'i' && i + 1 < n && is_vowel(w[i + 1]))
                continue; /* ia/iu/ie/io: the i is the Cyrillic softening */
            w[o++] = w[i];
        }
        n = o;
    }
    static const char *const endings[] = {"skoe", "skie", "ska", "ski", "sko", "ske",
                                          "ckoe", "ckie", "cka", "cki", "cko", "cke"};
    for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
        size_t m = strlen(endings[e]);
        if (n > m + 2 && ends_with(w, n, endings[e])) {
            n = n - m + 2;
            break;
        }
    }
    static const char *const saints[] = {"saint", "sankt", "sainte", "ste"};
    for (size_t e = 0; e < sizeof saints / sizeof saints[0]; e++)
        if (n == strlen(saints[e]) && memcmp(w, saints[e], n) == 0) {
            memcpy(w, "st", 2);
            n = 2;
        }
    return n;
}

static int cmp_generic(const void *a, const void *b)
{
    return strcmp(((const generic_word_t *)a)->word, ((const generic_word_t *)b)->word);
}

static const generic_word_t *find_generic(const char *w)
{
    if (!generic)
        return NULL;
    generic_word_t k = {(char *)w, PM_NORM_KIND_NONE};
    return bsearch(&k, generic, n_generic, sizeof *generic, cmp_generic);
}

typedef struct word {
    size_t off, len;
} word_t;

/* Cuts s into words (joining dotted abbreviations), collapses them and writes the key. */
static pm_status_t to_key(char *s, unsigned flags, pm_buf_t *key, pm_norm_kind_t *kind,
                          pm_error_t *err)
{
    size_t len = strlen(s), nw = 0;
    /* names are short: stack space unless this one is not */
    word_t words_stack[130];
    char joined_stack[260];
    int heap = len + 1 > sizeof joined_stack;
    word_t *words = heap ? malloc((len / 2 + 2) * sizeof *words) : words_stack;
    char *joined = heap ? malloc(len + 1) : joined_stack;
    pm_status_t rc = PM_OK;
    if (!words || !joined) {
        rc = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t jo = 0;
    for (size_t i = 0; i < len;) {
        if (!is_word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t start = jo;
        /* "a.s.s.r." -> "assr": two or more single letters, each followed by a dot */
        int abbrev = i + 2 < len && s[i + 1] == '.' && is_word_byte((unsigned char)s[i + 2]) &&
                     (i + 3 >= len || !is_word_byte((unsigned char)s[i + 3]));
        if (abbrev) {
            while (i < len && is_word_byte((unsigned char)s[i]) &&
                   (i + 1 >= len || !is_word_byte((unsigned char)s[i + 1]))) {
                joined[jo++] = s[i++];
                if (i < len && s[i] == '.')
                    i++;
                else
                    break;
            }
        } else {
            while (i < len && is_word_byte((unsigned char)s[i]))
                joined[jo++] = s[i++];
        }
        size_t n = collapse_word(joined + start, jo - start);
        jo = start + n;
        if (n > 0) {
            words[nw].off = start;
            words[nw].len = n;
            nw++;
        }
        joined[jo++] = '\0';
    }
    int has_city = 0, has_region = 0;
    size_t n_plain = 0;
    for (size_t w = 0; w < nw; w++) {
        const generic_word_t *g = find_generic(joined + words[w].off);
        if (!g)
            n_plain++;
        else if (g->kind == PM_NORM_KIND_CITY)
            has_city = 1;
        else if (g->kind == PM_NORM_KIND_REGION)
            has_region = 1;
    }
    int keep_all = (flags & PM_NORM_KEEP_GENERIC) || n_plain == 0;
    for (size_t w = 0; w < nw; w++) {
        if (!keep_all && find_generic(joined + words[w].off))
            continue;
        if (key->len > 0)
            pm_buf_putc(key, ' ');
        pm_buf_append(key, joined + words[w].off, words[w].len);
    }
    if (kind)
        *kind = has_city == has_region ? PM_NORM_KIND_NONE
                : has_city             ? PM_NORM_KIND_CITY
                                       : PM_NORM_KIND_REGION;
    if (pm_buf_failed(key))
        rc = pm_error_set(err, PM_ENOMEM, "out of memory");
cleanup:
    if (heap) {
        free(joined);
        free(words);
    }
    return rc;
}

static pm_status_t key_raw(const char *utf8, unsigned flags, pm_buf_t *key, pm_norm_kind_t *kind,
                           pm_error_t *err)
{
    pm_buf_t ascii;
    pm_buf_init(&ascii);
    pm_status_t rc = to_ascii(utf8, flags, &ascii, err);
    if (rc == PM_OK) {
        pm_buf_putc(&ascii, '\0'); /* so that data is never NULL */
        rc = pm_buf_failed(&ascii) ? pm_error_set(err, PM_ENOMEM, "out of memory")
                                   : to_key(ascii.data, flags, key, kind, err);
    }
    pm_buf_destroy(&ascii);
    return rc;
}

/* ---- init ------------------------------------------------------------------------------------ */

typedef struct generic_list {
    generic_word_t *w;
    size_t n, cap;
} generic_list_t;

/* Keys every word of list (generic words kept) and adds each resulting token with kind. */
static int add_generic(generic_list_t *g, const char *const *list, pm_norm_kind_t kind)
{
    for (size_t i = 0; list[i]; i++) {
        pm_buf_t key;
        pm_buf_init(&key);
        int bad = key_raw(list[i], PM_NORM_KEEP_GENERIC | PM_NORM_NO_OTHER_SCRIPTS, &key, NULL,
                          NULL) != PM_OK;
        char *k = bad ? NULL : pm_buf_take(&key), *save = NULL;
        pm_buf_destroy(&key);
        if (bad)
            return -1;
        for (char *w = k ? strtok_r(k, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save)) {
            if (g->n == g->cap) {
                size_t nc = g->cap ? g->cap * 2 : 64;
                generic_word_t *nw = realloc(g->w, nc * sizeof *nw);
                if (!nw) {
                    free(k);
                    return -1;
                }
                g->w = nw;
                g->cap = nc;
            }
            g->w[g->n].word = strdup(w);
            g->w[g->n].kind = kind;
            if (!g->w[g->n].word) {
                free(k);
                return -1;
            }
            g->n++;
        }
        free(k);
    }
    return 0;
}

static void init_once(void)
{
    cyr_trans = open_trans("pm-cyrillic-latin", cyrillic_rules, init_msg, sizeof init_msg);
    if (!cyr_trans) {
        init_status = PM_EINTERNAL;
        return;
    }
    /* the generic words are keyed while the table is still empty (find_generic finds nothing) */
    generic_list_t g = {NULL, 0, 0};
    if (add_generic(&g, generic_region, PM_NORM_KIND_REGION) ||
        add_generic(&g, generic_city, PM_NORM_KIND_CITY) ||
        add_generic(&g, generic_other, PM_NORM_KIND_NONE)) {
        for (size_t i = 0; i < g.n; i++)
            free(g.w[i].word);
        free(g.w);
        init_status = PM_ENOMEM;
        snprintf(init_msg, sizeof init_msg, "out of memory");
        return;
    }
    qsort(g.w, g.n, sizeof *g.w, cmp_generic);
    size_t o = 0;
    for (size_t i = 0; i < g.n; i++) {
        if (o > 0 && strcmp(g.w[o - 1].word, g.w[i].word) == 0) {
            free(g.w[i].word);
            continue;
        }
        g.w[o++] = g.w[i];
    }
    n_generic = o;
    generic = g.w;
}

pm_status_t pm_norm_init(pm_error_t *err)
{
    pthread_once(&norm_once, init_once);
    if (init_status != PM_OK)
        return pm_error_set(err, init_status, "%s", init_msg);
    return PM_OK;
}

void pm_norm_cleanup(void)
{
    if (cyr_trans)
        utrans_close(cyr_trans);
    if (any_trans)
        utrans_close(any_trans);
    cyr_trans = any_trans = NULL;
    for (size_t i = 0; i < n_generic; i++)
        free(generic[i].word);
    free(generic);
    generic = NULL;
    n_generic = 0;
}

/* ---- public ---------------------------------------------------------------------------------- */

pm_status_t pm_norm_key_ex(const char *utf8, unsigned flags, char **out, pm_norm_kind_t *kind,
                           pm_error_t *err)
{
    pm_status_t rc = pm_norm_init(err);
    if (rc != PM_OK)
        return rc;
    pm_buf_t key;
    pm_buf_init(&key);
    pm_norm_kind_t k = PM_NORM_KIND_NONE;
    rc = key_raw(utf8, flags, &key, &k, err);
    if (rc == PM_OK) {
        /* "" rather than NULL for a name without letters */
        char *s = key.data ? pm_buf_take(&key) : strdup("");
        if (!s)
            rc = pm_error_set(err, PM_ENOMEM, "out of memory");
        else {
            *out = s;
            if (kind)
                *kind = k;
        }
    }
    pm_buf_destroy(&key);
    return rc;
}

pm_status_t pm_norm_key(const char *utf8, char **out, pm_error_t *err)
{
    return pm_norm_key_ex(utf8, 0, out, NULL, err);
}

pm_status_t pm_norm_fold(const char *utf8, char **out, pm_error_t *err)
{
    utf8proc_uint8_t *f = NULL;
    utf8proc_ssize_t n = 0;
    if (is_ascii(utf8)) {
        f = (utf8proc_uint8_t *)strdup(utf8);
        if (!f)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        for (utf8proc_uint8_t *p = f; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (utf8proc_uint8_t)(*p + ('a' - 'A'));
    } else
        n = utf8proc_map((const utf8proc_uint8_t *)utf8, 0, &f,
                         UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                             UTF8PROC_CASEFOLD);
    if (n < 0) {
        if (n == UTF8PROC_ERROR_NOMEM)
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        return pm_error_set(err, PM_EDATA, "'%.60s' is not valid UTF-8", utf8);
    }
    char *s = (char *)f, *w = s;
    int space = 1; /* drops leading blanks */
    for (char *r = s; *r; r++) {
        unsigned char c = (unsigned char)*r;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            if (!space)
                *w++ = ' ';
            space = 1;
        } else {
            *w++ = *r;
            space = 0;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
    *out = s;
    return PM_OK;
}

/* The optimal string alignment distance of p[0..m) and t[0..n), m <= 64, bit-parallel: Myers'
 * algorithm in Hyyrö's formulation, with his extension for adjacent transpositions (H. Hyyrö, "A
 * bit-vector algorithm for computing Levenshtein and Damerau edit distances", 2003). Bit i of the
 * vectors is column i of the pattern: O(n) word operations instead of the O(m n) table, which is
 * what the suggestion scan of pm_join spends its time on. test_norm checks it against the table. */
static int osa_bits(const unsigned char *p, size_t m, const unsigned char *t, size_t n)
{
    static _Thread_local uint64_t peq[256]; /* zero between calls: only p's bytes are set */
    for (size_t i = 0; i < m; i++)
        peq[p[i]] |= (uint64_t)1 << i;
    uint64_t top = (uint64_t)1 << (m - 1);
    uint64_t vp = m == 64 ? ~(uint64_t)0 : (top << 1) - 1, vn = 0, d0 = 0, pm_prev = 0;
    int score = (int)m;
    for (size_t j = 0; j < n; j++) {
        uint64_t pm = peq[t[j]];
        uint64_t tr = (((~d0) & pm) << 1) & pm_prev;
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        score += (int)((hp & top) != 0) - (int)((hn & top) != 0); /* never both: vn & vp == 0 */
        hp = (hp << 1) | 1; /* the first row is 0, 1, 2, ...: a global distance */
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        pm_prev = pm;
    }
    for (size_t i = 0; i < m; i++)
        peq[p[i]] = 0;
    return score;
}

double pm_norm_similarity(const char *key_a, const char *key_b)
{
    enum { MAXN = 255 };
    size_t la = strlen(key_a), lb = strlen(key_b);
    la = la > MAXN ? MAXN : la;
    lb = lb > MAXN ? MAXN : lb;
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    if (la <= 64 || lb <= 64) { /* the pattern is the shorter key (the distance is symmetric) */
        int d = la <= lb
                    ? osa_bits((const unsigned char *)key_a, la, (const unsigned char *)key_b, lb)
                    : osa_bits((const unsigned char *)key_b, lb, (const unsigned char *)key_a, la);
        return 1.0 - (double)d / (double)(la > lb ? la : lb);
    }
    /* optimal string alignment distance, three rows */
    static _Thread_local int rows[3][MAXN + 1];
    int *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = key_a[i - 1] != key_b[j - 1];
            int v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && key_a[i - 1] == key_b[j - 2] && key_a[i - 2] == key_b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    size_t m = la > lb ? la : lb;
    return 1.0 - (double)p[lb] / (double)m;
}
