/*
 * pm_paths_forest: pruning the trees off a network and their closed-form path terms (see
 * pm_paths_forest.h). Cost O(n + m) time and memory, plus a sort-free pass per tree.
 *
 * For a place x of subtree size S (itself and every place below it; a core place's subtree is
 * its whole tree) in a component of N places, the ordered pairs (s, t) whose every shortest path
 * runs through x because of the trees alone are those with one end below x and the other
 * outside x's subtree, 2 (S - 1)(N - S), and those with the two ends below x in different
 * children's subtrees, the sum over children c of S_c (S - 1 - S_c). For a pruned place these are
 * all its pairs; a core place also gets the core search's share.
 *
 * Steps: a pair in the trees of core places r != r' is h_s + steps(r, r') + h_t apart (h: steps
 * down the tree), so over all such pairs the core search counts W_r W_r' steps(r, r') and the
 * depths add 2 H_r (N - W_r) per root (H_r: the depths summed over r's tree); pairs inside one
 * tree add, per tie of a pruned place p, 2 S_p (W_r - S_p) (the pairs it separates).
 */
#include "pm_paths_forest.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

void pm_forest_destroy(pm_forest_t *f)
{
    if (!f)
        return;
    free(f->root);
    free(f->par);
    free(f->plen);
    free(f->tstart);
    free(f->tlist);
    free(f->tdep);
    free(f->kstart);
    free(f->kids);
    free(f->w);
    free(f->md);
    free(f->pair_btw);
    free(f->comp);
    memset(f, 0, sizeof *f);
}

/* Component sizes by breadth-first search over all ties; stack holds n entries. */
static void components(size_t n, const size_t *start, const uint32_t *nbr, uint32_t *comp,
                       uint32_t *label, uint32_t *stack)
{
    for (size_t v = 0; v < n; v++)
        label[v] = NONE;
    for (size_t v = 0; v < n; v++) {
        if (label[v] != NONE)
            continue;
        size_t top = 0, size = 0;
        stack[top++] = (uint32_t)v;
        label[v] = (uint32_t)v;
        while (top) {
            uint32_t x = stack[--top];
            size++;
            for (size_t k = start[x]; k < start[x + 1]; k++)
                if (label[nbr[k]] == NONE) {
                    label[nbr[k]] = (uint32_t)v;
                    stack[top++] = nbr[k];
                }
        }
        comp[v] = (uint32_t)size;
    }
    for (size_t v = 0; v < n; v++)
        comp[v] = comp[label[v]];
}

/* Prunes places of one remaining tie end in turn: order gets them children first, par and plen
 * their parent and the length to it. Returns how many were pruned. rdeg and queue: n each. */
static size_t prune(pm_forest_t *f, const size_t *start, const uint32_t *nbr, const uint32_t *ilen,
                    uint32_t *rdeg, uint32_t *queue, uint32_t *order)
{
    size_t n = f->n, head = 0, tail = 0, np = 0;
    for (size_t v = 0; v < n; v++) {
        rdeg[v] = (uint32_t)(start[v + 1] - start[v]);
        f->par[v] = NONE;
        if (rdeg[v] == 1)
            queue[tail++] = (uint32_t)v;
    }
    while (head < tail) {
        uint32_t v = queue[head++];
        if (rdeg[v] != 1) /* its neighbour, a leaf too, was pruned into it: v stays as core */
            continue;
        size_t k = start[v];
        while (f->par[nbr[k]] != NONE) /* the one tie end whose place is still there */
            k++;
        uint32_t u = nbr[k];
        f->par[v] = u;
        f->plen[v] = ilen[k];
        rdeg[v] = 0;
        order[np++] = v;
        if (--rdeg[u] == 1)
            queue[tail++] = u;
    }
    return np;
}

int pm_forest_build(pm_forest_t *f, size_t n, const size_t *start, const uint32_t *nbr,
                    const uint32_t *ilen, const unsigned char *in_component)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    size_t nn = n ? n : 1;
    uint32_t *rdeg = malloc(nn * sizeof *rdeg), *queue = malloc(nn * sizeof *queue);
    uint32_t *order = malloc(nn * sizeof *order), *best2 = calloc(nn, sizeof *best2);
    uint32_t *hd = calloc(nn, sizeof *hd);
    f->par = malloc(nn * sizeof *f->par);
    f->plen = malloc(nn * sizeof *f->plen);
    int rc = -1;
    if (!rdeg || !queue || !order || !best2 || !hd || !f->par || !f->plen)
        goto cleanup;
    size_t np = prune(f, start, nbr, ilen, rdeg, queue, order);
    if (np == 0) {
        rc = 0;
        goto cleanup;
    }
    f->pruned = np;
    f->root = malloc(nn * sizeof *f->root);
    f->tstart = calloc(n + 1, sizeof *f->tstart);
    f->tlist = malloc(np * sizeof *f->tlist);
    f->tdep = malloc(np * sizeof *f->tdep);
    f->kstart = calloc(n + 1, sizeof *f->kstart);
    f->kids = malloc(np * sizeof *f->kids);
    f->w = malloc(nn * sizeof *f->w);
    f->md = calloc(nn, sizeof *f->md);
    f->pair_btw = calloc(nn, sizeof *f->pair_btw);
    f->comp = malloc(nn * sizeof *f->comp);
    if (!f->root || !f->tstart || !f->tlist || !f->tdep || !f->kstart || !f->kids || !f->w ||
        !f->md || !f->pair_btw || !f->comp)
        goto cleanup;
    components(n, start, nbr, f->comp, rdeg, queue);
    /* bottom-up (children first): subtree sizes in w, the two longest ways down in md/best2 */
    for (size_t v = 0; v < n; v++)
        f->w[v] = 1;
    for (size_t i = 0; i < np; i++) {
        uint32_t p = order[i], u = f->par[p], down = f->md[p] + 1;
        f->w[u] += f->w[p];
        if (down > f->md[u]) {
            best2[u] = f->md[u];
            f->md[u] = down;
        } else if (down > best2[u]) {
            best2[u] = down;
        }
        f->kstart[u + 1]++;
    }
    for (size_t i = 0; i < np; i++) { /* subtree sizes are final now */
        uint32_t p = order[i], u = f->par[p];
        f->pair_btw[u] += f->w[p] * (f->w[u] - 1 - f->w[p]);
    }
    for (size_t v = 0; v < n; v++) {
        double s = f->w[v];
        f->pair_btw[v] += 2 * (s - 1) * ((double)f->comp[v] - s);
        f->kstart[v + 1] += f->kstart[v];
        f->root[v] = (uint32_t)v;
    }
    /* top-down (parents first): roots, whole-number depths (in tdep's place, by place: queue),
     * steps down (hd); each root's pruned places counted in tstart */
    for (size_t i = np; i-- > 0;) {
        uint32_t p = order[i], u = f->par[p];
        f->root[p] = f->root[u];
        queue[p] = (f->par[u] == NONE ? 0 : queue[u]) + f->plen[p];
        hd[p] = (f->par[u] == NONE ? 0 : hd[u]) + 1;
        f->tstart[f->root[p] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        f->tstart[v + 1] += f->tstart[v];
    memcpy(rdeg, f->tstart, n * sizeof *rdeg); /* fill positions */
    uint32_t *kfill = best2;                   /* best2 is read for the tree diameters first */
    double ssum = 0, smax = 0;
    for (size_t v = 0; v < n; v++) {
        int in = !in_component || in_component[v];
        double top = (double)f->md[v] + (double)best2[v]; /* longest path turning at v */
        if (in && top > smax)
            smax = top;
    }
    memcpy(kfill, f->kstart, n * sizeof *kfill);
    for (size_t i = np; i-- > 0;) {
        uint32_t p = order[i], r = f->root[p];
        f->tlist[rdeg[r]] = p;
        f->tdep[rdeg[r]++] = queue[p];
        f->kids[kfill[f->par[p]]++] = p;
        if (in_component && !in_component[r])
            continue;
        double W = f->w[r], S = f->w[p], N = (double)f->comp[r];
        /* the depth of p counts once for each place outside r's tree, both ways; the tie above
         * p separates S places from the W - S others of the tree, both ways */
        ssum += 2 * (double)hd[p] * (N - W) + 2 * S * (W - S);
    }
    for (size_t i = 0; i < np; i++)
        f->md[order[i]] = 0; /* md is read for core places only */
    f->ssum = ssum;
    f->smax = smax;
    rc = 0;
cleanup:
    if (rc || !f->pruned) {
        pm_forest_destroy(f);
        f->n = n;
    }
    free(rdeg);
    free(queue);
    free(order);
    free(best2);
    free(hd);
    return rc;
}
