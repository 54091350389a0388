/*
 * test_graph: building the graph from tie rows: rows naming one pair are one tie (weights summed,
 * rows counted, probable only when every row is), A-B and B-A are one pair unless directed,
 * self-ties are left out and counted, each row knows its places, and places are keyed by a typed
 * id: two spellings of one unit are one place, and a name is never a unit whatever it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "pm_graph.h"
#include "pm_runtime.h"
#include "pm_test.h"

/* rows "a-b:w" or "a-b:w:p" (p = probable) */

static void test_merging(void)
{
    const char *spec[] = {"A-B:1:p", "B-A:2:p", "A-B:4", "B-C:1:p", "C-C:1", "C-B:2:p"};
    pm_ties_t t;
    pm_test_ties(&t, "test.csv", spec, 6);
    pm_graph_t g;
    pm_diag_t d;
    pm_diag_init(&d);
    pm_error_t err;
    CHECK_INT(pm_graph_build(&t, 0, NULL, NULL, &g, &d, &err), PM_OK);
    CHECK_INT(g.n_nodes, 3);
    CHECK_INT(g.n_edges, 2);
    size_t ab = g.tie_edge[0], bc = g.tie_edge[3];
    CHECK_INT(g.tie_edge[1], ab);
    CHECK_INT(g.tie_edge[2], ab);
    CHECK(g.tie_edge[4] == (size_t)-1); /* the self-tie */
    CHECK_INT(g.tie_edge[5], bc);
    CHECK_NEAR(g.weight[ab], 7, 0);
    CHECK_NEAR(g.weight[bc], 3, 0);
    CHECK_INT(g.rows[ab], 3);
    CHECK_INT(g.rows[bc], 2);
    CHECK_INT(g.probable[ab], 0); /* one row documented */
    CHECK_INT(g.probable[bc], 1);
    CHECK_INT(g.merged_rows, 3);
    CHECK_INT(g.self_ties, 1);
    /* each row's places as written */
    CHECK_STR(g.name[g.tie_from[1]], "B");
    CHECK_STR(g.name[g.tie_to[1]], "A");
    CHECK_INT(g.tie_from[4], g.tie_to[4]);
    int said_self = 0, said_merged = 0;
    for (size_t i = 0; i < d.n; i++) {
        said_self |= strstr(d.items[i].msg, "self-tie 'C' - 'C'") != NULL &&
                     !strcmp(d.items[i].where, "test.csv:6");
        said_merged |= strstr(d.items[i].msg, "3 rows named a pair already seen") != NULL;
    }
    CHECK(said_self);
    CHECK(said_merged);
    pm_graph_destroy(&g);
    /* directed: A->B and B->A are two ties */
    CHECK_INT(pm_graph_build(&t, 1, NULL, NULL, &g, NULL, &err), PM_OK);
    CHECK_INT(g.n_edges, 4);
    CHECK(g.tie_edge[0] != g.tie_edge[1]);
    CHECK_INT(g.tie_edge[0], g.tie_edge[2]);
    CHECK_NEAR(g.weight[g.tie_edge[0]], 5, 0);
    pm_graph_destroy(&g);
    pm_diag_destroy(&d);
    pm_ties_destroy(&t);
}

static void test_typed_ids(void)
{
    /* Tula and 'Tula Oblast' matched unit 7; '#7' and '7' matched nothing */
    const char *spec[] = {"Tula-X:1", "Tula Oblast-Y:1", "#7-X:1", "7-Y:1"};
    size_t uf[] = {7, 7, PM_GRAPH_NO_UNIT, PM_GRAPH_NO_UNIT};
    size_t ut[] = {PM_GRAPH_NO_UNIT, PM_GRAPH_NO_UNIT, PM_GRAPH_NO_UNIT, PM_GRAPH_NO_UNIT};
    pm_ties_t t;
    pm_test_ties(&t, "test.csv", spec, 4);
    pm_graph_t g;
    pm_error_t err;
    CHECK_INT(pm_graph_build(&t, 0, uf, ut, &g, NULL, &err), PM_OK);
    CHECK_INT(g.n_nodes, 5); /* unit 7, X, Y, '#7', '7' */
    size_t u = pm_graph_find_unit(&g, 7);
    CHECK(u != (size_t)-1);
    CHECK_STR(g.name[u], "Tula"); /* the first spelling names it */
    CHECK_INT(g.tie_from[1], u);
    CHECK(pm_graph_find(&g, "#7") != u && pm_graph_find(&g, "#7") != (size_t)-1);
    CHECK(pm_graph_find(&g, "7") != u && pm_graph_find(&g, "7") != (size_t)-1);
    CHECK(pm_graph_find(&g, "Tula") == (size_t)-1); /* keyed by its unit, not its name */
    CHECK(pm_graph_find_unit(&g, 8) == (size_t)-1);
    CHECK(pm_graph_find_unit(&g, PM_GRAPH_NO_UNIT) == (size_t)-1);
    pm_graph_destroy(&g);
    pm_ties_destroy(&t);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_merging);
    PM_RUN(test_typed_ids);
    pm_runtime_teardown();
    return pm_test_done();
}
