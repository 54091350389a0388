/*
 * fuzz_filter: `--where` and `--period` expressions: lines of bytes -> pm_filter_set_period (the
 * first line) and pm_filter_add_where (the others) -> pm_filter_apply on a copy of a small table.
 *
 * The table (tests/fuzz/data/filter_ties.csv: years, open ends, types, confidences, countries and
 * a free column) is read once per process; each input filters a fresh copy of it. Checks what
 * pm_filter.h promises: a malformed expression is PM_EUSAGE, a condition on a missing column or a
 * filter leaving nothing is PM_EDATA, and what is kept is a subsequence of the table that meets
 * the period (start <= TO, no end or end >= FROM; undated ties kept).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_filter.h"
#include "pm_table.h"

static pm_ties_t base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    pm_error_t err;
    pm_ties_init(&base);
    if (pm_table_read(PM_FUZZ_DATA "/filter_ties.csv", NULL, &base, NULL, &err) != PM_OK) {
        fprintf(stderr, "fuzz_filter: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static char **dup_strv(char *const *v, size_t n)
{
    if (!v)
        return NULL;
    char **r = calloc(n ? n : 1, sizeof *r);
    for (size_t i = 0; r && i < n; i++)
        r[i] = dup_or_null(v[i]);
    return r;
}

/* A deep copy of base (the harness's; pm_table has no copy). */
static void copy_base(pm_ties_t *t)
{
    pm_ties_init(t);
    size_t n = base.n;
    t->path = strdup(base.path);
    t->from_col = dup_or_null(base.from_col);
    t->to_col = dup_or_null(base.to_col);
    t->weight_col = dup_or_null(base.weight_col);
    t->group_from_col = dup_or_null(base.group_from_col);
    t->group_to_col = dup_or_null(base.group_to_col);
    t->n = n;
    t->from = dup_strv(base.from, n);
    t->to = dup_strv(base.to, n);
    t->type = dup_strv(base.type, n);
    t->confidence = dup_strv(base.confidence, n);
    t->group_from = dup_strv(base.group_from, n);
    t->group_to = dup_strv(base.group_to, n);
    t->weight = malloc(n * sizeof *t->weight);
    t->start = malloc(n * sizeof *t->start);
    t->end = malloc(n * sizeof *t->end);
    t->line = malloc(n * sizeof *t->line);
    FUZZ_ASSERT(t->weight && t->start && t->end && t->line && t->from && t->to);
    memcpy(t->weight, base.weight, n * sizeof *t->weight);
    memcpy(t->start, base.start, n * sizeof *t->start);
    memcpy(t->end, base.end, n * sizeof *t->end);
    memcpy(t->line, base.line, n * sizeof *t->line);
    t->line_is_row = base.line_is_row;
    t->n_attr = base.n_attr;
    t->attr_name = dup_strv(base.attr_name, base.n_attr);
    t->attr = dup_strv(base.attr, n * base.n_attr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    char *s = fuzz_strndup(data, size);
    if (!s)
        return 0;
    pm_filter_t f;
    pm_filter_init(&f);
    pm_error_t err;
    int usage = 0;
    char *line = s, *next;
    for (int k = 0; line; k++, line = next) {
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = '\0';
        pm_status_t st =
            k == 0 ? pm_filter_set_period(&f, line, &err) : pm_filter_add_where(&f, line, &err);
        FUZZ_ASSERT(st == PM_OK || st == PM_EUSAGE);
        if (st == PM_OK && k == 0)
            FUZZ_ASSERT(f.has_period && f.from_year <= f.to_year);
        if (st != PM_OK && k > 0)
            usage = 1; /* the CLI stops at the first bad --where */
        if (st != PM_OK && k == 0)
            FUZZ_ASSERT(!f.has_period);
    }
    if (!usage) {
        pm_ties_t t;
        copy_base(&t);
        pm_diag_t diag;
        pm_diag_init(&diag);
        pm_status_t st = pm_filter_apply(&f, &t, &diag, &err);
        if (st == PM_OK) {
            FUZZ_ASSERT(t.n >= 1 && t.n <= base.n);
            /* a subsequence of the table, each tie within the period when dated */
            size_t j = 0;
            for (size_t i = 0; i < t.n; i++) {
                while (j < base.n && base.line[j] != t.line[i])
                    j++;
                FUZZ_ASSERT(j < base.n);
                FUZZ_ASSERT(strcmp(base.from[j], t.from[i]) == 0);
                if (f.has_period && t.start[i] != PM_YEAR_NONE)
                    FUZZ_ASSERT(t.start[i] <= f.to_year &&
                                (t.end[i] == PM_YEAR_NONE || t.end[i] >= f.from_year));
                j++;
            }
            if (!pm_filter_active(&f))
                FUZZ_ASSERT(t.n == base.n);
        } else {
            FUZZ_ASSERT(st == PM_EDATA);
        }
        pm_ties_destroy(&t);
        pm_diag_destroy(&diag);
    }
    pm_filter_destroy(&f);
    free(s);
    return 0;
}
