/*
 * pm_norm: match keys for place names, so that spellings of one name meet.
 *
 * A key is lower-case ASCII words separated by single spaces. It is built in steps:
 *   1. NFKC and Unicode case folding (utf8proc);
 *   2. Cyrillic (Russian, Ukrainian, Belarusian, Kazakh, Serbian letters) transliterated to Latin
 *      with an ICU rule-based transliterator (BGN-like rules of our own; see pm_norm.c); other
 *      non-Latin scripts with ICU's "Any-Latin; Latin-ASCII" (opened on first need: it costs
 *      ~40 ms once); Latin diacritics removed (NFKD, marks stripped) and the few letters that do
 * not decompose (ł ø đ æ œ ß ...) spelled in ASCII; a letter the transliterators leave as it
 * is (Urdu U+06C1) becomes the word "u1729" (its code point in decimal);
 *   3. apostrophes, soft and hard signs removed; other punctuation becomes a word break;
 *      dotted abbreviations are joined ("A.S.S.R." -> "assr");
 *   4. spelling variants collapsed in every word: shch/sh/s, ch/c, kh/h, zh/z, ts/c, gh/g, q/k,
 *      w/v, j/y/i (ya/ja/ia -> a, yu/ju/iu -> u, ye/ie -> e, yo -> o, iy/yi/ii -> i), double
 * letters single, adjective endings -skaya/-skaja/-skiy/-sky/-ský/-ská/-ské... -> "sk" (and -ck-),
 *      saint/sankt/st -> st;
 *   5. generic words removed (oblast, область, obl., kraj, край, region, province, voivodeship,
 *      województwo, megye, county, ASSR, SSR, republic, okrug, district, city, gorod, г., of, the,
 *      ...) unless every word of the name is generic ("Region" keeps its key "region").
 * So "Sverdlovskaya oblast'", "Sverdlovskaja obl.", "Свердловская область" and "Sverdlovsk Oblast"
 * all have the key "sverdlovsk", and "Západočeský kraj" and "Zapadocesky" the key "zapadocesk".
 *
 * A key is a matching device, never shown as a name. Two different places can share a key (Almaty
 * city and Almaty region: "almaty"), so a key match is only a candidate: pm_join reports ties.
 * The generic words also say what kind of unit a name means (pm_norm_kind_t): "Moscow Oblast" is a
 * region, "Moscow city" and "г. Москва" are cities; pm_join uses that to break such ties.
 *
 * Threads: every function may be called from any thread. The transliterators are opened once per
 * process (pm_norm_init, also done on first use) and used under a mutex; pm_norm_cleanup frees
 * them at exit (for leak checkers).
 */
#ifndef PM_NORM_H
#define PM_NORM_H

#include "pm_error.h"

typedef enum {
    PM_NORM_KIND_NONE = 0,   /* no generic word says what the unit is */
    PM_NORM_KIND_REGION = 1, /* oblast, region, kraj, province, county, okrug, ... */
    PM_NORM_KIND_CITY = 2    /* city, gorod, г., město, қаласы, ... */
} pm_norm_kind_t;

/* Flags for pm_norm_key_ex. */
#define PM_NORM_KEEP_GENERIC 0x1u /* keep generic words (still collapsed) */
#define PM_NORM_DROP_PARENS 0x2u  /* drop text in (...) and [...] first */
/* Do not transliterate scripts other than Latin and Cyrillic: their words stay in the key as
 * case-folded UTF-8. Used when indexing thousands of names, to avoid opening ICU's Any-Latin. */
#define PM_NORM_NO_OTHER_SCRIPTS 0x4u

/* Opens the transliterators once per process. Idempotent and thread-safe; the key functions call
 * it themselves. Errors: PM_EINTERNAL when ICU refuses the rules (the message says why). */
pm_status_t pm_norm_init(pm_error_t *err);

/* Frees the transliterators. Call once at exit, when no other thread uses pm_norm. */
void pm_norm_cleanup(void);

/* The match key of utf8 (see the file comment) in *out, a new string the caller frees; "" when the
 * name has no letters or digits. utf8 must not be NULL. Errors: PM_EDATA (not valid UTF-8, the
 * message quotes it), PM_ENOMEM, PM_EINTERNAL (ICU). On failure *out is untouched. */
pm_status_t pm_norm_key(const char *utf8, char **out, pm_error_t *err);

/* pm_norm_key with flags (PM_NORM_*); *kind (may be NULL) gets what the generic words say. */
pm_status_t pm_norm_key_ex(const char *utf8, unsigned flags, char **out, pm_norm_kind_t *kind,
                           pm_error_t *err);

/* The form used for exact name matching: NFC, case folded, blanks trimmed and runs of white space
 * made one space; letters and punctuation otherwise kept. *out is new (caller frees).
 * Errors: PM_EDATA (not valid UTF-8), PM_ENOMEM. */
pm_status_t pm_norm_fold(const char *utf8, char **out, pm_error_t *err);

/* Similarity of two keys in [0, 1]: 1 - (Damerau-Levenshtein distance / longer length), 1 for two
 * equal keys (two empty keys too). For suggestions only: never a basis for a match.
 * O(len_a * len_b); keys longer than 255 bytes are compared on their first 255 bytes. */
double pm_norm_similarity(const char *key_a, const char *key_b);

#endif
