/*
 * fuzz_norm: place-name normalisation: bytes -> pm_norm_key_ex, pm_norm_fold, pm_norm_similarity.
 *
 * The first byte gives the flags of pm_norm_key_ex (PM_NORM_KEEP_GENERIC, PM_NORM_DROP_PARENS,
 * PM_NORM_NO_OTHER_SCRIPTS); the rest, up to a NUL byte, is the name (and after it a second
 * name, for the similarity). Checks what pm_norm.h promises: invalid UTF-8 is PM_EDATA, a key is
 * words separated by single spaces (lower-case ASCII unless other scripts are kept), a kind is
 * one of three, and a similarity is in [0, 1] and 1 for equal keys.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_norm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    return 0;
}

static void check_key(const char *key, unsigned flags)
{
    size_t n = strlen(key);
    FUZZ_ASSERT(fuzz_valid_utf8(key));
    FUZZ_ASSERT(n == 0 || (key[0] != ' ' && key[n - 1] != ' '));
    FUZZ_ASSERT(!strstr(key, "  "));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key[i];
        FUZZ_ASSERT(!(c >= 'A' && c <= 'Z'));
        FUZZ_ASSERT(c >= 0x20 && c != 0x7f);
        /* finding 3 (fixed): a letter ICU's Any-Latin leaves alone (Urdu U+06C1) is spelled
         * "u<code point>", so the key is ASCII */
        if (!(flags & PM_NORM_NO_OTHER_SCRIPTS))
            FUZZ_ASSERT(c < 0x80);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    unsigned flags = data[0] & 7u;
    char *a = fuzz_strndup(data + 1, size - 1);
    if (!a)
        return 0;
    size_t la = strlen(a);
    const char *b = la + 2 <= size - 1 ? a + la + 1 : "";
    char *key = NULL, *key2 = NULL, *fold = NULL;
    pm_norm_kind_t kind = PM_NORM_KIND_NONE;
    pm_error_t err;
    int valid = fuzz_valid_utf8(a);
    pm_status_t st = pm_norm_key_ex(a, flags, &key, &kind, &err);
    if (!valid) {
        FUZZ_ASSERT(st == PM_EDATA);
        FUZZ_ASSERT(key == NULL);
    } else {
        FUZZ_ASSERT(st == PM_OK);
        check_key(key, flags);
        FUZZ_ASSERT(kind == PM_NORM_KIND_NONE || kind == PM_NORM_KIND_REGION ||
                    kind == PM_NORM_KIND_CITY);
        double s = pm_norm_similarity(key, key);
        FUZZ_ASSERT(s == 1.0);
    }
    st = pm_norm_fold(a, &fold, &err);
    FUZZ_ASSERT(valid ? st == PM_OK : st == PM_EDATA);
    if (fold) {
        FUZZ_ASSERT(fuzz_valid_utf8(fold));
        size_t n = strlen(fold);
        FUZZ_ASSERT(n == 0 || (fold[0] != ' ' && fold[n - 1] != ' '));
    }
    if (key && fuzz_valid_utf8(b) && pm_norm_key(b, &key2, &err) == PM_OK) {
        double s = pm_norm_similarity(key, key2);
        FUZZ_ASSERT(s >= 0.0 && s <= 1.0);
        FUZZ_ASSERT(s == pm_norm_similarity(key2, key));
    }
    free(key);
    free(key2);
    free(fold);
    free(a);
    return 0;
}
