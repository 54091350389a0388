/*
 * pm_paths_forest: the trees that hang off an undirected network, for the path pass (pm_paths.c).
 *
 * Removing the places of one tie, again and again until none is left, leaves the core: every
 * removed (pruned) place hangs, through a chain of pruned places, from exactly one core place,
 * its root; a component that is a tree keeps one place as its core. A path between places of
 * two trees runs through both roots and between them through the core, and a path inside one
 * tree is its tree path, so the path pass searches the core only, from core places weighted by
 * their tree sizes (Baglioni, Geraci, Pellegrini and Lastres 2012), and this module gives in
 * closed form what the trees add: each place's betweenness from the pairs whose shortest path the
 * trees decide, and the step (breadth-first) sums and maximum inside trees. Whole-number tie
 * lengths only (pm_paths' bucket search), so distances down a tree are exact integers.
 *
 * Invariants: a place with a self-tie or parallel ties to its one neighbour keeps more than one
 * tie end and is never pruned; children are pruned before their parent, so every sum below is
 * over finished subtrees; all counts are integers below 2^53, exact in a double.
 */
#ifndef PM_PATHS_FOREST_H
#define PM_PATHS_FOREST_H

#include <stddef.h>
#include <stdint.h>

typedef struct pm_forest {
    size_t n, pruned;        /* places; how many were pruned (0: none, and nothing else is set) */
    uint32_t *root;          /* n: the core place each place hangs from (itself when core) */
    uint32_t *par, *plen;    /* n: a pruned place's parent and the whole-number length to it */
    uint32_t *tstart;        /* n + 1: a core place's pruned places in tlist and tdep */
    uint32_t *tlist, *tdep;  /* pruned places grouped by root, parents before children, and
                                their whole-number distance from the root */
    uint32_t *kstart, *kids; /* n + 1: each place's pruned children */
    double *w;               /* n: subtree sizes (a place and all below it): for a core
                                place its tree's size, its weight in the core search */
    uint32_t *md;            /* n: the most steps from a core place down its tree */
    double *pair_btw;        /* n: betweenness over ordered pairs whose paths the trees decide */
    uint32_t *comp;          /* n: the number of places of each place's component */
    /* over the places marked in_component (all when NULL): the part of the step sum over
     * ordered pairs that the core search weighted by tree sizes does not count (the steps down
     * the trees, and pairs inside one tree); the most steps between two places of one tree */
    double ssum, smax;
} pm_forest_t;

/* Prunes the undirected network given as compressed rows (start: n + 1, nbr and ilen: one entry
 * per tie end, whole-number lengths). On return f->pruned == 0 means nothing hangs off the
 * core (f holds nothing). Returns 0, or -1 when out of memory (f then holds nothing). */
int pm_forest_build(pm_forest_t *f, size_t n, const size_t *start, const uint32_t *nbr,
                    const uint32_t *ilen, const unsigned char *in_component);
void pm_forest_destroy(pm_forest_t *f);

#endif
