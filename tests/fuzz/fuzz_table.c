/*
 * fuzz_table: tie tables, bytes -> a CSV or TSV file -> pm_table_read -> pm_graph_build.
 *
 * The first byte chooses the variant (bit 0: .tsv instead of .csv; bit 1: a directed graph;
 * bit 2: no weight column, --no-weight; bits 3-4: no --separator, '|', ';' or a tab), the rest is
 * the file. A table that reads must hold the invariants pm_table.h promises (non-empty trimmed
 * UTF-8 places, finite weights > 0, a line for every tie, years in order of the source), and a
 * graph built from it those of pm_graph.h.
 * The file is in /dev/shm, not /vsimem/: pm_table_read checks and scans the raw bytes itself.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pm_graph.h"
#include "pm_table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_runtime_init();
    return 0;
}

static void check_ties(const pm_ties_t *t)
{
    char vbuf[PM_TIES_VALUE_BUF];
    FUZZ_ASSERT(t->n > 0);
    FUZZ_ASSERT(t->from_col && t->to_col);
    for (size_t i = 0; i < t->n; i++) {
        for (int side = 0; side < 2; side++) {
            const char *s = side ? t->to[i] : t->from[i];
            FUZZ_ASSERT(s && *s);
            FUZZ_ASSERT(fuzz_valid_utf8(s));
            size_t n = strlen(s);
            FUZZ_ASSERT(s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t');
            /* finding 2 (fixed): a quoted "Tula\n" was another place than "Tula" */
            FUZZ_ASSERT(!isspace((unsigned char)s[0]) && !isspace((unsigned char)s[n - 1]));
        }
        FUZZ_ASSERT(isfinite(t->weight[i]) && t->weight[i] > 0);
        FUZZ_ASSERT(t->line[i] >= 1);
        /* finding 1 (fixed: the text is checked before OGR reads it): a '"' inside an unquoted
         * field made OGR read the following lines as one field; rows vanished */
        FUZZ_ASSERT(i == 0 || t->line[i] > t->line[i - 1]);
        for (size_t j = 0; j < t->n_attr; j++) {
            const char *a = t->attr[i * t->n_attr + j];
            FUZZ_ASSERT(!a || fuzz_valid_utf8(a));
        }
        /* the well-known columns are readable by name */
        FUZZ_ASSERT(pm_ties_value(t, i, "from", vbuf) == t->from[i]);
        (void)pm_ties_value(t, i, "start", vbuf);
        (void)pm_ties_value(t, i, "confidence", vbuf);
    }
}

static void check_graph(const pm_graph_t *g, const pm_ties_t *t)
{
    FUZZ_ASSERT((size_t)igraph_vcount(&g->g) == g->n_nodes);
    FUZZ_ASSERT((size_t)igraph_ecount(&g->g) == g->n_edges);
    FUZZ_ASSERT(g->n_edges >= 1);
    size_t rows = 0;
    for (size_t e = 0; e < g->n_edges; e++) {
        FUZZ_ASSERT(isfinite(g->weight[e]) && g->weight[e] > 0);
        FUZZ_ASSERT(g->rows[e] >= 1);
        rows += g->rows[e];
    }
    /* every row is in one edge or is a self-tie */
    FUZZ_ASSERT(rows + g->self_ties == t->n);
    for (size_t i = 0; i < t->n; i++)
        FUZZ_ASSERT(g->tie_edge[i] == (size_t)-1 || g->tie_edge[i] < g->n_edges);
    for (size_t v = 0; v < g->n_nodes; v++)
        FUZZ_ASSERT(pm_graph_find(g, g->key[v]) == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    const char *path = fuzz_file(0, mode & 1 ? "tsv" : "csv", data + 1, size - 1);
    if (!path)
        return 0;
    pm_table_opts_t o = {0};
    if (mode & 4)
        o.weight_col = "";
    o.separator = "\0|;\t"[(mode >> 3) & 3];
    pm_ties_t t;
    pm_ties_init(&t);
    pm_diag_t diag;
    pm_diag_init(&diag);
    pm_error_t err;
    pm_status_t st = pm_table_read(path, &o, &t, &diag, &err);
    if (st == PM_OK) {
        check_ties(&t);
        pm_graph_t g;
        st = pm_graph_build(&t, (mode & 2) != 0, NULL, NULL, &g, &diag, &err);
        if (st == PM_OK) {
            check_graph(&g, &t);
            pm_graph_destroy(&g);
        } else {
            FUZZ_ASSERT(st == PM_EDATA || st == PM_ENOMEM); /* only self-ties, or no memory */
            FUZZ_ASSERT(err.msg[0] != '\0');
        }
    } else {
        /* a failure says what is wrong, and leaves the output empty */
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(t.n == 0);
    }
    pm_ties_destroy(&t);
    pm_diag_destroy(&diag);
    return 0;
}
