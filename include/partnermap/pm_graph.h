/*
 * pm_graph: the weighted graph of places built from a tie table.
 *
 * Places become vertices in order of first appearance; a place is identified by a typed id: the
 * unit it matched (after a join, so two spellings of one region are one vertex), or else its name
 * as written. The two kinds never meet: a place whose name looks like anything at all is never
 * the same vertex as a unit. Rows naming the same pair are merged into one edge with their weights summed
 * (A-B and B-A are the same pair unless directed); self-ties are left out with a warning naming
 * the line. Per edge the graph keeps the number of rows merged and whether every row was marked
 * probable, for styling.
 *
 * Invariants: igraph vertex i is place i; igraph edge e has weight[e] > 0; no loops, no
 * multi-edges. The graph owns its igraph_t.
 */
#ifndef PM_GRAPH_H
#define PM_GRAPH_H

#include <igraph.h>
#include <stddef.h>

#include "pm_error.h"
#include "pm_table.h"

typedef struct pm_graph {
    igraph_t g;
    int directed;
    size_t n_nodes, n_edges;
    char **name;             /* display name of each place (first spelling met) */
    char **key;              /* name key of each place: the name as written (first spelling) */
    size_t *unit;            /* unit of each place, or PM_GRAPH_NO_UNIT when keyed by its name */
    char **group;            /* group (e.g. country) of each place; NULL array when none */
    double *weight;          /* per edge, merged */
    size_t *rows;            /* per edge: number of tie rows merged into it */
    unsigned char *probable; /* per edge: 1 when every merged row has confidence=probable */
    size_t *tie_edge;        /* per tie row: its edge, or (size_t)-1 for a self-tie */
    size_t *tie_from, *tie_to; /* per tie row: the places it names, as written */
    size_t merged_rows, self_ties;
} pm_graph_t;

#define PM_GRAPH_NO_UNIT ((size_t)-1)

/* Builds the graph of ties. units_from/units_to (may be NULL) give each row's matched unit (an
 * index into the caller's geometry source); PM_GRAPH_NO_UNIT entries, or NULL arrays, key the
 * place by its name. Errors: PM_ENOMEM,
 * PM_EDATA when no tie remains (all self-ties). Warnings (self-ties, merged rows, a place with
 * two groups) go to diag. */
pm_status_t pm_graph_build(const pm_ties_t *ties, int directed, const size_t *units_from,
                           const size_t *units_to, pm_graph_t *out, pm_diag_t *diag,
                           pm_error_t *err);
void pm_graph_destroy(pm_graph_t *g);

/* Index of the place keyed by the name key (not one keyed by a unit), or (size_t)-1. O(n). */
size_t pm_graph_find(const pm_graph_t *g, const char *key);
/* Index of the place keyed by unit, or (size_t)-1. O(n). */
size_t pm_graph_find_unit(const pm_graph_t *g, size_t unit);

#endif
