/*
 * pm_paths: shared shortest-path pass (see pm_paths.h).
 *
 * Per source s: Dijkstra with an indexed 4-ary heap (decrease-key in place), counting shortest
 * paths (sigma), recording each place's predecessors on its shortest paths and the settle order;
 * then Brandes' dependency accumulation in reverse settle order over the recorded predecessors.
 * Distances in steps for the component statistics come from breadth-first searches run 64
 * sources at a time, one bit per source.
 *
 * Whole-number lengths. When every length is a whole number or the reciprocal of one up to 64
 * (tie length = 1/weight with whole weights, the usual case), the lengths times the least common
 * multiple S of their denominators are whole numbers (1/5 -> 12 with S = 60), so distances are
 * exact integers: the search then uses a bucket queue (Dial's: one bucket per distance, a ring as
 * long as the longest tie) instead of the heap, and compares distances exactly, where the heap
 * search compares within a relative 1e-10. A place's distance is its integer over S. The large
 * benchmark's yearly timeline spent a third of its time in the heap (docs/performance.md).
 * Lengths all 1 are whole numbers too (S = 1).
 *
 * Trees. In an undirected network with whole-number lengths, the trees that hang off the core
 * (places of one tie, pruned again and again: pm_paths_forest.h) are not searched: the searches
 * run over the core, from and to core places weighted by their tree sizes, each core search also
 * gives the distances from every place of the source's tree (its depth further, or by a walk
 * inside the tree), and the pairs the trees decide add to betweenness and to the step statistics
 * in closed form (integers). In the uncertainty benchmark's replicates about a third of the
 * places hang in trees (docs/performance.md). The floating-point sums then run in another order
 * than a search over the whole network would (within 1e-15 relative); the step statistics and
 * the longest distance are the same bits.
 *
 * Invariants:
 * - A place's predecessors are kept in its own slice of an array laid out like the in-tie
 *   adjacency (a place has at most as many predecessors as in-ties), so a search allocates
 *   nothing. They are updated by the same decisions that update sigma, so the two agree.
 * - The order of every floating-point sum is fixed by the settle order, which depends only on
 *   the graph and the source: results are the same bits whatever the thread count.
 * - Place ids and predecessor counts are 32-bit (half the cache traffic of size_t);
 *   pm_paths_start refuses graphs with 2^32 - 1 places or adjacency entries or more.
 * - Between sources, every per-place array of a worker is back at its resting value (dist
 *   infinite, sigma and delta 0, no heap slot), so a search resets only the places it reached.
 */
#include "pm_paths.h"

#include "pm_paths_forest.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNKS 32
#define EPS 1e-10
#define BATCH 64 /* sources per breadth-first batch: the bits of a uint64_t */

typedef uint32_t node_t;

/* out-ties in compressed rows, in the order of the input edges */
typedef struct csr {
    size_t *start; /* n + 1 */
    node_t *nbr;
    double *len;
} csr_t;

typedef struct shared {
    const pm_paths_input_t *in;
    csr_t out;
    size_t *pstart;    /* n + 1: start of each place's predecessor slice (its in-ties) */
    int unit;          /* every length is exactly 1: steps equal distances, no BFS needed */
    uint32_t *ilen;    /* whole-number lengths (see the top), parallel to out.nbr; NULL: none */
    double iscale;     /* S: a distance is its integer over S */
    uint32_t ring;     /* buckets: the longest whole-number length + 1 */
    double *chunk_btw; /* CHUNKS * n */
    double *closeness; /* n: each source writes its own entry */
    double chunk_dmax[CHUNKS], chunk_dsum[CHUNKS], chunk_smax[CHUNKS], chunk_ssum[CHUNKS];
    double chunk_pairs[CHUNKS];
    /* the trees pruned off (see from_core; forest.pruned == 0: none), and the core places whose
     * steps the breadth-first batches count, most steps down their trees first (steps_weighted) */
    pm_forest_t forest;
    uint32_t *bsrc;
    size_t nbsrc;
    pthread_mutex_t lock;
    int next_chunk;
    int failed;
} shared_t;

typedef struct worker {
    double *dist, *sigma, *delta;
    float *fdist; /* dist rounded to float: half the bytes, for the first test of a tie */
    node_t *order;
    node_t *pred, *npred; /* predecessor slices (at sh->pstart) and their lengths */
    node_t *hv, *hpos;    /* heap slots and each place's slot */
    double *hkey;         /* dist of the place in each slot, so sifting reads no other array */
    uint64_t *seen, *front, *next; /* breadth-first bit sets, one bit per source of the batch */
    node_t *cur, *nxt;             /* places whose front/next word is not 0 */
    uint32_t *idist;               /* whole-number distances (UINT32_MAX: not reached) */
    uint32_t *bhead;               /* the bucket queue: per bucket its first entry, or NO_SLOT */
    node_t *ev;                    /* per entry its place, */
    uint32_t *enext;               /* and the next entry of its bucket */
    double *dtab; /* whole-number distance i below TAB: [2i] = i / S and [2i + 1] = 1 / (i / S),
                     filled on first use (0: not yet); NULL: none */
    size_t tabn;  /* its distances: min(TAB, the longest possible distance + 1) */
    uint32_t *lr; /* with a forest: a core search's whole-number distances outside the source's
                     tree (from_core) */
    uint32_t *sn, *sf, *sd; /* with a forest: a tree walk's stack (place, came from, distance) */
} worker_t;

/* Whole-number distances whose quotients are remembered (see search_int): the two dependent
 * divisions per settled place were a sixth of a replicate's time (docs/performance.md). */
#define TAB 65536

/* Comparisons with a relative tolerance; lengths are > 0, so no fabs is needed, and no fmax
 * call (glibc's is not inlined, and these run m times per source). */
static inline double scale1(double x)
{
    return x > 1.0 ? x : 1.0;
}

static inline int lt(double a, double b)
{
    if (isinf(b))
        return !isinf(a);
    return a < b - EPS * scale1(b);
}

static inline int eq(double a, double b)
{
    double d = a - b, m = a > b ? a : b;
    return (d < 0 ? -d : d) <= EPS * scale1(m);
}

/* True when nd (a path through a tie) is certainly neither shorter than nor as short as the
 * current distance d, known only as fd = (float)d: fd is within a relative 2^-24 of d (or
 * 2^-149 below float range; infinite if d is), so nd > fd (1 + 2^-20) + 2^-32 gives
 * nd - d > 8e-7 nd + 2e-10 > EPS * max(1, nd), and then !lt(nd, d) && !eq(nd, d). Most ties
 * (see docs/performance.md) lead to settled or nearer places and end here, reading a float
 * array that stays in L1 cache; the exact tests run only on the rest. */
static inline int surely_longer(double nd, float fd)
{
    return nd > (double)fd * (1 + 0x1p-20) + 0x1p-32;
}

/* An indexed 4-ary min-heap of places keyed by dist: at most n entries, decrease-key in place
 * (a lazy heap holds up to m stale entries). hpos[v] is v's slot, or NO_SLOT. Ties between
 * equal keys break by position, so the settle order is a function of the input alone. */
#define NO_SLOT UINT32_MAX

static inline void heap_place(worker_t *w, node_t i, node_t v, double key)
{
    w->hv[i] = v;
    w->hkey[i] = key;
    w->hpos[v] = i;
}

static void heap_up(worker_t *w, node_t i)
{
    node_t v = w->hv[i];
    double d = w->hkey[i];
    while (i > 0) {
        node_t p = (i - 1) / 4;
        if (w->hkey[p] <= d)
            break;
        heap_place(w, i, w->hv[p], w->hkey[p]);
        i = p;
    }
    heap_place(w, i, v, d);
}

/* Inserts v with key d, or moves it up after its key decreased to d. */
static inline void heap_push(worker_t *w, node_t *hn, node_t v, double d)
{
    if (w->hpos[v] == NO_SLOT)
        w->hpos[v] = (*hn)++;
    w->hv[w->hpos[v]] = v;
    w->hkey[w->hpos[v]] = d;
    heap_up(w, w->hpos[v]);
}

static node_t heap_pop(worker_t *w, node_t *hn)
{
    node_t top = w->hv[0];
    w->hpos[top] = NO_SLOT;
    node_t last = w->hv[--(*hn)];
    if (*hn == 0)
        return top;
    double d = w->hkey[*hn];
    node_t i = 0;
    for (;;) {
        size_t c = 4 * (size_t)i + 1, end = c + 4 < *hn ? c + 4 : *hn;
        node_t best = NO_SLOT;
        double bd = d;
        for (size_t k = c; k < end; k++)
            if (w->hkey[k] < bd) {
                bd = w->hkey[k];
                best = (node_t)k;
            }
        if (best == NO_SLOT)
            break;
        heap_place(w, i, w->hv[best], bd);
        i = best;
    }
    heap_place(w, i, last, d);
    return top;
}

/* Dijkstra from s: fills w->order (returns how many places were settled), sigma, predecessors,
 * and the sums over settled places that need settle order (harmonic closeness, weighted path
 * lengths). Settled places carry sigma encoded as -sigma - 1 (< 0), so no separate flag array
 * is needed; the caller decodes. A predecessor list is reset and appended to by the same tests
 * that reset and add to sigma. */
static size_t search(const shared_t *sh, worker_t *w, node_t s, double *h, double *dsum,
                     double *dmax)
{
    const size_t *start = sh->out.start, *pstart = sh->pstart;
    const node_t *nbr = sh->out.nbr;
    const double *len = sh->out.len;
    double *dist = w->dist, *sigma = w->sigma;
    float *fdist = w->fdist;
    size_t settled = 0;
    node_t hn = 0;
    dist[s] = 0;
    fdist[s] = 0;
    sigma[s] = 1;
    heap_push(w, &hn, s, 0);
    while (hn) {
        node_t v = heap_pop(w, &hn);
        double dv = dist[v], sv = sigma[v];
        w->order[settled++] = v;
        sigma[v] = -sv - 1;
        if (v != s) {
            *h += 1.0 / dv;
            *dsum += dv;
            *dmax = dv > *dmax ? dv : *dmax;
        }
        for (size_t k = start[v]; k < start[v + 1]; k++) {
            node_t u = nbr[k];
            double nd = dv + len[k];
            if (surely_longer(nd, fdist[u]) || sigma[u] < 0)
                continue;
            if (lt(nd, dist[u])) {
                dist[u] = nd;
                fdist[u] = (float)nd;
                sigma[u] = sv;
                w->pred[pstart[u]] = v;
                w->npred[u] = 1;
                heap_push(w, &hn, u, nd);
            } else if (eq(nd, dist[u])) {
                sigma[u] += sv;
                w->pred[pstart[u] + w->npred[u]++] = v;
            }
        }
    }
    return settled;
}

/* The quotients of whole-number distance iv (see search_int): iv / S and S / iv, from the
 * worker's table when it has them. */
static inline void quotients(const shared_t *sh, worker_t *w, uint32_t iv, double *dv, double *inv)
{
    if (iv < w->tabn) {
        double *q = w->dtab + 2 * (size_t)iv;
        if (q[0] == 0) {
            q[0] = (double)iv / sh->iscale;
            q[1] = 1.0 / q[0];
        }
        *dv = q[0];
        *inv = q[1];
        return;
    }
    *dv = (double)iv / sh->iscale;
    *inv = 1.0 / *dv;
}

/* Queues v in bucket b: a new entry at the head of the bucket's list. A place whose distance
 * drops gets a new entry and its old one stays behind, stale (lazy deletion: no unlinking, no
 * back links); stale entries are told by their place's distance and skipped. */
static inline void bucket_in(worker_t *w, uint32_t *ne, uint64_t *mask, node_t v, uint32_t b)
{
    w->ev[*ne] = v;
    w->enext[*ne] = w->bhead[b];
    w->bhead[b] = (*ne)++;
    *mask |= (uint64_t)1 << (b & 63);
}

static inline unsigned ctz64(uint64_t x) /* x != 0 */
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned k = 0;
    while (!(x & 1)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

/* With a ring of at most 64 buckets, mask has a bit per bucket that may hold entries: the
 * distance to the next such bucket after b (1 to ring), so that empty ones are not visited. */
static inline uint32_t next_gap(uint64_t mask, uint32_t b, uint32_t ring)
{
    uint64_t after = b + 1 < 64 ? mask >> (b + 1) : 0;
    if (after)
        return ctz64(after) + 1;
    return ring - b + ctz64(mask);
}

/* search with whole-number lengths (see the top): the same results and settle-order contract,
 * a bucket queue instead of the heap, exact comparisons; h NULL: no sums. The order within a
 * bucket is the reverse of the order its places got their (final) distance, as when a lowered
 * place was unlinked from its old bucket: a stale entry can never be in the bucket of its
 * place's distance, since both distances lie within one ring of the one being settled. */
static size_t search_int(const shared_t *sh, worker_t *w, node_t s, double *h, double *dsum,
                         double *dmax)
{
    const size_t *start = sh->out.start, *pstart = sh->pstart;
    const node_t *nbr = sh->out.nbr;
    const uint32_t *ilen = sh->ilen;
    uint32_t *idist = w->idist, ring = sh->ring, ne = 0;
    double *sigma = w->sigma;
    size_t settled = 0, queued = 1;
    idist[s] = 0;
    sigma[s] = 1;
    uint64_t mask = 0; /* used when ring <= 64 (next_gap) */
    bucket_in(w, &ne, &mask, s, 0);
    for (uint32_t cur = 0; queued;) {
        uint32_t b = cur % ring;
        for (uint32_t e; (e = w->bhead[b]) != NO_SLOT;) {
            node_t v = w->ev[e];
            w->bhead[b] = w->enext[e];
            uint32_t iv = idist[v];
            if (iv != cur) /* stale: v was lowered since, or settled already */
                continue;
            queued--;
            double sv = sigma[v];
            w->order[settled++] = v;
            sigma[v] = -sv - 1;
            if (h && v != s) {
                /* the same quotients as computed afresh, remembered: the same bits */
                double dv, inv;
                quotients(sh, w, iv, &dv, &inv);
                *h += inv;
                *dsum += dv;
                *dmax = dv > *dmax ? dv : *dmax;
            }
            for (size_t k = start[v]; k < start[v + 1]; k++) {
                node_t u = nbr[k];
                uint32_t nd = iv + ilen[k];
                /* a settled place is at most cur = iv < nd away: no need to read its sigma */
                if (nd > idist[u])
                    continue;
                if (nd < idist[u]) {
                    queued += idist[u] == UINT32_MAX;
                    idist[u] = nd;
                    sigma[u] = sv;
                    w->pred[pstart[u]] = v;
                    w->npred[u] = 1;
                    bucket_in(w, &ne, &mask, u, nd % ring);
                } else {
                    sigma[u] += sv;
                    w->pred[pstart[u] + w->npred[u]++] = v;
                }
            }
        }
        if (ring > 64) {
            cur++;
            continue;
        }
        mask &= ~((uint64_t)1 << b);
        if (queued)
            cur += next_gap(mask, b, ring);
    }
    /* stale entries may be left in the buckets ahead */
    for (uint32_t b = 0; b < ring; b++)
        w->bhead[b] = NO_SLOT;
    return settled;
}

/* The search from s and Brandes' accumulation, leaving each settled place's dependency in
 * w->delta (not yet added anywhere). With a forest every target stands for its tree's places
 * (its weight W: a place's dependency gathers W + delta from each successor, Baglioni et al.'s
 * weighted accumulation; W = 1 without one, the same bits as 1 + delta), and h NULL skips the
 * distance sums (whole-number searches only). Returns the number of places settled (w->order). */
static size_t search_and_accumulate(shared_t *sh, worker_t *w, node_t s, double *h, double *dsum,
                                    double *dmax)
{
    double *sigma = w->sigma;
    const double *W = sh->forest.pruned ? sh->forest.w : NULL;
    size_t settled =
        sh->ilen ? search_int(sh, w, s, h, dsum, dmax) : search(sh, w, s, h, dsum, dmax);
    for (size_t i = 0; i < settled; i++) {
        node_t v = w->order[i];
        sigma[v] = -sigma[v] - 1;
    }
    /* accumulation in reverse settle order. A place gets one contribution per tie to each
     * successor, in that order, as when predecessors were found by scanning in-ties: the sums
     * are the same bits. */
    for (size_t i = settled; i-- > 1;) {
        node_t x = w->order[i];
        double own = W ? W[x] : 1.0;
        /* one shortest path (most places of a sparse network): x / 1 is x, no division */
        double coeff = sigma[x] == 1.0 ? own + w->delta[x] : (own + w->delta[x]) / sigma[x];
        const node_t *p = w->pred + sh->pstart[x];
        for (node_t j = 0; j < w->npred[x]; j++)
            w->delta[p[j]] += sigma[p[j]] * coeff;
    }
    return settled;
}

/* Back to the resting state (see the top) after a search that settled `settled` places (the
 * whole-number search leaves dist and fdist alone). */
static void reset(worker_t *w, size_t settled)
{
    const node_t *order = w->order;
    double *sigma = w->sigma, *delta = w->delta;
    if (w->idist) {
        uint32_t *idist = w->idist;
        for (size_t i = 0; i < settled; i++) {
            node_t v = order[i];
            idist[v] = UINT32_MAX;
            sigma[v] = 0;
            delta[v] = 0;
        }
        return;
    }
    for (size_t i = 0; i < settled; i++) {
        node_t v = order[i];
        w->dist[v] = INFINITY;
        w->fdist[v] = INFINITY;
        sigma[v] = 0;
        delta[v] = 0;
    }
}

/* Source s's share of the component statistics (if s is in the component), from its distance
 * sum and maximum to its `pairs` other reachable places; with unit lengths the step sums too
 * (sums of 1.0 are exact integers, so the distances are the steps). */
static void component_sums(shared_t *sh, node_t s, int chunk, double dsum, double dmax,
                           double pairs)
{
    const pm_paths_input_t *in = sh->in;
    if (in->in_component && !in->in_component[s])
        return;
    sh->chunk_dmax[chunk] = dmax;
    sh->chunk_dsum[chunk] += dsum;
    sh->chunk_pairs[chunk] += pairs;
    if (sh->unit) {
        sh->chunk_smax[chunk] = dmax;
        sh->chunk_ssum[chunk] += dsum;
    }
}

/* One source without a forest: fills btw (partial), closeness[s], the weighted component sums,
 * and with unit lengths the step sums too (otherwise see steps_batch). */
static void from_source(shared_t *sh, worker_t *w, node_t s, double *btw, int chunk)
{
    const pm_paths_input_t *in = sh->in;
    double h = 0, dsum = 0, dmax = sh->chunk_dmax[chunk];
    size_t settled = search_and_accumulate(sh, w, s, &h, &dsum, &dmax);
    for (size_t i = settled; i-- > 1;) {
        node_t x = w->order[i];
        btw[x] += w->delta[x];
    }
    reset(w, settled);
    sh->closeness[s] = in->n > 1 ? h / (double)(in->n - 1) : 0;
    component_sums(sh, s, chunk, dsum, dmax, (double)(settled - 1));
}

/* Distance sums of one source with a forest: closeness (sum of 1 / d) and the whole-number
 * distances summed exactly as integers, and their largest. */
typedef struct dsums {
    double h;
    uint64_t isum;
    uint32_t imax;
} dsums_t;

/* 1 / (iv / S), remembered (see quotients) */
static inline double inverse(const shared_t *sh, worker_t *w, uint32_t iv)
{
    double dv, inv;
    quotients(sh, w, iv, &dv, &inv);
    return inv;
}

/* Adds the distances base + lr[i], i < nl, to a (lengths as integers: exact). Closeness is
 * summed in list order on one accumulator: two were no faster measurably and split more places
 * whose closeness is equal in exact arithmetic into different last bits (docs/performance.md). */
static void sum_list(const shared_t *sh, worker_t *w, uint32_t base, const uint32_t *lr, size_t nl,
                     dsums_t *a)
{
    double h = a->h;
    uint64_t s = 0;
    uint32_t m = a->imax;
    for (size_t i = 0; i < nl; i++) {
        uint32_t x = base + lr[i];
        h += inverse(sh, w, x);
        s += x;
        m = x > m ? x : m;
    }
    a->h = h;
    a->isum += s;
    a->imax = m;
}

/* From pruned place p, every other place of its tree (its root too) along the tree's ties: their
 * whole-number distances added to a. Each place is pushed once (a tree has no cycle). */
static void walk_tree(const shared_t *sh, worker_t *w, node_t p, dsums_t *a)
{
    const pm_forest_t *f = &sh->forest;
    size_t top = 0;
    w->sn[top] = p;
    w->sf[top] = NO_SLOT;
    w->sd[top++] = 0;
    while (top) {
        top--;
        node_t x = w->sn[top], from = w->sf[top];
        uint32_t d = w->sd[top];
        if (x != p) {
            a->h += inverse(sh, w, d);
            a->isum += d;
            a->imax = d > a->imax ? d : a->imax;
        }
        if (f->par[x] != NO_SLOT && f->par[x] != from) {
            w->sn[top] = f->par[x];
            w->sf[top] = x;
            w->sd[top++] = d + f->plen[x];
        }
        for (uint32_t k = f->kstart[x]; k < f->kstart[x + 1]; k++) {
            node_t c = f->kids[k];
            if (c == from)
                continue;
            w->sn[top] = c;
            w->sf[top] = x;
            w->sd[top++] = d + f->plen[c];
        }
    }
}

/* s's closeness and component sums from a (its `pairs` other reachable places). The largest
 * distance is the same quotient the searches compute. */
static void finish_source(shared_t *sh, node_t s, int chunk, const dsums_t *a, double pairs)
{
    size_t n = sh->in->n;
    double dmax = sh->chunk_dmax[chunk], top = (double)a->imax / sh->iscale;
    sh->closeness[s] = n > 1 ? a->h / (double)(n - 1) : 0;
    component_sums(sh, s, chunk, (double)a->isum / sh->iscale, top > dmax ? top : dmax, pairs);
}

/* Core place r with a forest (pm_paths_forest.h): the search over the core weighted by tree
 * sizes, whose dependencies times r's tree size are the share of betweenness of the sources in
 * r's tree; then the closeness and length sums of r and of each place of its tree. Everything
 * outside r's tree is as far from a pruned place p as from r plus p's depth, so r's distances
 * to it are listed once (w->lr); the places of r's tree are reached by walking it. */
static void from_core(shared_t *sh, worker_t *w, node_t r, double *btw, int chunk)
{
    const pm_forest_t *f = &sh->forest;
    const uint32_t *tstart = f->tstart, *tdep = f->tdep, *idist = w->idist;
    const node_t *order = w->order;
    const double *delta = w->delta;
    uint32_t *lr = w->lr;
    size_t settled = search_and_accumulate(sh, w, r, NULL, NULL, NULL), nl = 0;
    double wr = f->w[r];
    for (size_t i = settled; i-- > 1;) {
        node_t x = order[i];
        btw[x] += wr * delta[x];
    }
    for (size_t i = 1; i < settled; i++) {
        node_t c = order[i];
        uint32_t iv = idist[c], t1 = tstart[c + 1];
        lr[nl++] = iv;
        for (uint32_t t = tstart[c]; t < t1; t++)
            lr[nl++] = iv + tdep[t];
    }
    reset(w, settled);
    uint32_t t0 = tstart[r], t1 = tstart[r + 1];
    double pairs = (double)(nl + (t1 - t0));
    dsums_t a = {0, 0, 0};
    sum_list(sh, w, 0, lr, nl, &a);
    sum_list(sh, w, 0, tdep + t0, t1 - t0, &a);
    finish_source(sh, r, chunk, &a, pairs);
    for (uint32_t t = t0; t < t1; t++) {
        node_t p = f->tlist[t];
        dsums_t b = {0, 0, 0};
        walk_tree(sh, w, p, &b);
        sum_list(sh, w, tdep[t], lr, nl, &b);
        finish_source(sh, p, chunk, &b, pairs);
    }
}

/* Portable popcount (C11 has none); runs once per place and level of a batch. */
static inline unsigned popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (unsigned)((x * 0x0101010101010101u) >> 56);
}

/* Breadth-first searches from up to 64 sources at once, bit i of a place's words standing for
 * src[i]: a level scans only the ties of places newly reached from some source, so a place is
 * expanded once per distinct distance from the batch instead of once per source. Steps are
 * integers, so their sums are exact and the batching does not change the results. With a forest
 * the searches run over the core, each pair of core places counting the product of their tree
 * sizes, and the steps down the trees are added to the most steps (the rest of the trees' steps
 * are pm_forest_t.ssum and .smax). */
static void steps_batch(shared_t *sh, worker_t *w, const node_t *src, int count, int chunk)
{
    const size_t *start = sh->out.start;
    const node_t *nbr = sh->out.nbr;
    uint64_t *seen = w->seen, *front = w->front, *next = w->next;
    node_t *cur = w->cur, *nxt = w->nxt;
    const pm_forest_t *fo = sh->forest.pruned ? &sh->forest : NULL;
    double tab[8][256]; /* with a forest: per byte of a bit set, its sources' tree sizes summed */
    for (int j = 0; fo && j < 8; j++) {
        tab[j][0] = 0;
        for (unsigned b = 1; b < 256; b++) {
            int i = 8 * j + (int)ctz64(b);
            tab[j][b] = tab[j][b & (b - 1)] + (i < count ? fo->w[src[i]] : 0);
        }
    }
    size_t nc = 0;
    for (int i = 0; i < count; i++) {
        seen[src[i]] = front[src[i]] = (uint64_t)1 << i;
        cur[nc++] = src[i];
    }
    double smax = sh->chunk_smax[chunk], ssum = 0;
    for (double level = 1; nc; level++) {
        size_t nn = 0;
        for (size_t i = 0; i < nc; i++) {
            node_t v = cur[i];
            uint64_t f = front[v];
            for (size_t k = start[v]; k < start[v + 1]; k++) {
                node_t u = nbr[k];
                uint64_t fresh = f & ~seen[u];
                if (!fresh)
                    continue;
                if (!next[u])
                    nxt[nn++] = u;
                next[u] |= fresh;
            }
            front[v] = 0;
        }
        double reached = 0;
        for (size_t i = 0; i < nn; i++) {
            node_t u = nxt[i];
            uint64_t bits = next[u];
            seen[u] |= bits;
            if (!fo) {
                reached += popcount64(bits);
                continue;
            }
            double ws = 0;
            for (int j = 0; j < 8; j++)
                ws += tab[j][(bits >> (8 * j)) & 255];
            reached += fo->w[u] * ws;
            /* the batch's sources come most steps down their trees first (plan_forest) */
            double top = level + (double)fo->md[u] + (double)fo->md[src[ctz64(bits)]];
            smax = top > smax ? top : smax;
        }
        if (nn) {
            ssum += level * reached;
            smax = level > smax ? level : smax;
        }
        uint64_t *tw = front;
        front = next;
        next = tw;
        node_t *tl = cur;
        cur = nxt;
        nxt = tl;
        nc = nn;
    }
    /* front and next are all 0 again; seen marks every place reached */
    memset(seen, 0, sh->in->n * sizeof *seen);
    sh->chunk_smax[chunk] = smax;
    sh->chunk_ssum[chunk] += ssum;
}

static void worker_destroy(worker_t *w)
{
    free(w->dist);
    free(w->sigma);
    free(w->fdist);
    free(w->delta);
    free(w->order);
    free(w->pred);
    free(w->npred);
    free(w->hv);
    free(w->hpos);
    free(w->hkey);
    free(w->seen);
    free(w->front);
    free(w->next);
    free(w->cur);
    free(w->nxt);
    free(w->idist);
    free(w->bhead);
    free(w->ev);
    free(w->enext);
    free(w->dtab);
    free(w->lr);
    free(w->sn);
    free(w->sf);
    free(w->sd);
}

/* Allocates w's arrays in their resting state; returns 0, or -1 (w is then destroyed). */
static int worker_init(const shared_t *sh, worker_t *w)
{
    size_t n = sh->in->n ? sh->in->n : 1, preds = sh->pstart[sh->in->n] ? sh->pstart[sh->in->n] : 1;
    memset(w, 0, sizeof *w);
    w->dist = malloc(n * sizeof *w->dist);
    w->sigma = calloc(n, sizeof *w->sigma);
    w->fdist = malloc(n * sizeof *w->fdist);
    w->delta = calloc(n, sizeof *w->delta);
    w->order = malloc(n * sizeof *w->order);
    w->pred = malloc(preds * sizeof *w->pred);
    w->npred = malloc(n * sizeof *w->npred);
    w->hv = malloc(n * sizeof *w->hv);
    w->hpos = malloc(n * sizeof *w->hpos);
    w->hkey = malloc(n * sizeof *w->hkey);
    if (!sh->unit) {
        w->seen = calloc(n, sizeof *w->seen);
        w->front = calloc(n, sizeof *w->front);
        w->next = calloc(n, sizeof *w->next);
        w->cur = malloc(n * sizeof *w->cur);
        w->nxt = malloc(n * sizeof *w->nxt);
    }
    if (sh->ilen) {
        w->idist = malloc(n * sizeof *w->idist);
        w->bhead = malloc(sh->ring * sizeof *w->bhead);
        /* at most one entry per tie end relaxed, and the source's */
        size_t entries = sh->out.start[sh->in->n] + 1;
        w->ev = malloc(entries * sizeof *w->ev);
        w->enext = malloc(entries * sizeof *w->enext);
        uint64_t longest = (uint64_t)n * (sh->ring - 1) + 1;
        w->tabn = longest < TAB ? (size_t)longest : TAB;
        w->dtab = calloc(2 * w->tabn, sizeof *w->dtab);
        if (!w->dtab || !w->idist || !w->bhead || !w->ev || !w->enext) {
            worker_destroy(w);
            return -1;
        }
        for (size_t v = 0; v < n; v++)
            w->idist[v] = UINT32_MAX;
        for (uint32_t b = 0; b < sh->ring; b++)
            w->bhead[b] = NO_SLOT;
    }
    if (sh->forest.pruned) {
        w->lr = malloc(n * sizeof *w->lr);
        w->sn = malloc(n * sizeof *w->sn);
        w->sf = malloc(n * sizeof *w->sf);
        w->sd = malloc(n * sizeof *w->sd);
        if (!w->lr || !w->sn || !w->sf || !w->sd) {
            worker_destroy(w);
            return -1;
        }
    }
    if (!w->dist || !w->sigma || !w->fdist || !w->delta || !w->order || !w->pred || !w->npred ||
        !w->hv || !w->hpos || !w->hkey ||
        (!sh->unit && (!w->seen || !w->front || !w->next || !w->cur || !w->nxt))) {
        worker_destroy(w);
        return -1;
    }
    for (size_t v = 0; v < n; v++) {
        w->dist[v] = INFINITY;
        w->fdist[v] = INFINITY;
        w->hpos[v] = NO_SLOT;
    }
    return 0;
}

static void *work(void *arg)
{
    shared_t *sh = arg;
    const pm_paths_input_t *in = sh->in;
    size_t n = in->n;
    worker_t w;
    int ok = worker_init(sh, &w) == 0;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        if (!ok)
            sh->failed = 1;
        int c = sh->failed ? CHUNKS : sh->next_chunk++;
        pthread_mutex_unlock(&sh->lock);
        if (c >= CHUNKS)
            break;
        if (sh->forest.pruned) {
            /* core sources c, c + CHUNKS, ... (each with its tree), then batches c, c + CHUNKS,
             * ... of the step-counting sources */
            for (size_t s = (size_t)c; s < n; s += CHUNKS)
                if (sh->forest.root[s] == s)
                    from_core(sh, &w, (node_t)s, sh->chunk_btw + (size_t)c * n, c);
            for (size_t b = (size_t)c * BATCH; !sh->unit && b < sh->nbsrc; b += CHUNKS * BATCH)
                steps_batch(sh, &w, sh->bsrc + b,
                            sh->nbsrc - b < BATCH ? (int)(sh->nbsrc - b) : BATCH, c);
            continue;
        }
        /* chunk c takes sources c, c + CHUNKS, ...: interleaved, so chunks cost about the same */
        node_t batch[BATCH];
        int nb = 0;
        for (size_t s = (size_t)c; s < n; s += CHUNKS) {
            from_source(sh, &w, (node_t)s, sh->chunk_btw + (size_t)c * n, c);
            if (sh->unit || (in->in_component && !in->in_component[s]))
                continue;
            batch[nb++] = (node_t)s;
            if (nb == BATCH) {
                steps_batch(sh, &w, batch, nb, c);
                nb = 0;
            }
        }
        if (nb)
            steps_batch(sh, &w, batch, nb, c);
    }
    if (ok)
        worker_destroy(&w);
    return NULL;
}

static int build_csr(const pm_paths_input_t *in, csr_t *c)
{
    size_t n = in->n, m = in->m, slots = in->directed ? m : 2 * m;
    c->start = calloc(n + 1, sizeof *c->start);
    c->nbr = malloc((slots ? slots : 1) * sizeof *c->nbr);
    c->len = malloc((slots ? slots : 1) * sizeof *c->len);
    size_t *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!c->start || !c->nbr || !c->len || !fill) {
        free(fill);
        return -1;
    }
    for (size_t e = 0; e < m; e++) {
        c->start[in->from[e] + 1]++;
        if (!in->directed)
            c->start[in->to[e] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        c->start[v + 1] += c->start[v];
    memcpy(fill, c->start, n * sizeof *fill);
    for (size_t e = 0; e < m; e++) {
        node_t a = (node_t)in->from[e], b = (node_t)in->to[e];
        double l = in->length ? in->length[e] : 1.0;
        c->nbr[fill[a]] = b;
        c->len[fill[a]++] = l;
        if (!in->directed) {
            c->nbr[fill[b]] = a;
            c->len[fill[b]++] = l;
        }
    }
    free(fill);
    return 0;
}

/* Start of each place's predecessor slice: its in-ties (undirected, all its ties). */
static size_t *pred_offsets(const pm_paths_input_t *in)
{
    size_t n = in->n;
    size_t *p = calloc(n + 1, sizeof *p);
    if (!p)
        return NULL;
    for (size_t e = 0; e < in->m; e++) {
        p[in->to[e] + 1]++;
        if (!in->directed)
            p[in->from[e] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        p[v + 1] += p[v];
    return p;
}

static void free_csr(csr_t *c)
{
    free(c->start);
    free(c->nbr);
    free(c->len);
}

void pm_paths_result_destroy(pm_paths_result_t *r)
{
    if (!r)
        return;
    free(r->betweenness);
    free(r->closeness);
    memset(r, 0, sizeof *r);
}

struct pm_paths_job {
    shared_t sh;
    pm_paths_input_t in; /* a copy whose arrays the job owns */
    size_t *from, *to;
    double *length;
    unsigned char *in_component;
    pthread_t tid[64];
    int started;
};

static void job_free(pm_paths_job_t *job)
{
    if (!job)
        return;
    pm_forest_destroy(&job->sh.forest);
    free(job->sh.bsrc);
    free(job->sh.chunk_btw);
    free(job->sh.closeness);
    free_csr(&job->sh.out);
    free(job->sh.ilen);
    free(job->sh.pstart);
    free(job->from);
    free(job->to);
    free(job->length);
    free(job->in_component);
    free(job);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
    void *d = malloc((n ? n : 1) * size);
    if (d && n)
        memcpy(d, src, n * size);
    return d;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The denominator of length l when it is a whole number (1) or 1/w for a whole w in 2..64 (w);
 * 0 otherwise. */
static uint64_t denominator(double l)
{
    if (l >= 1 && l <= 4096 && l == floor(l))
        return 1;
    double w = floor(1.0 / l + 0.5);
    return w >= 2 && w <= 64 && 1.0 / w == l ? (uint64_t)w : 0;
}

/* Whole-number lengths for the bucket search (see the top), or nothing (sh->ilen NULL) when
 * some length is not of that form, S would pass 10^5, a tie would pass 4,096 or a distance
 * 2^32 - 1. Returns -1 only when out of memory. */
static int integer_lengths(shared_t *sh)
{
    const pm_paths_input_t *in = sh->in;
    uint64_t S = 1;
    for (size_t e = 0; in->length && e < in->m; e++) {
        uint64_t d = denominator(in->length[e]);
        if (!d)
            return 0;
        S = S / gcd64(S, d) * d;
        if (S > 100000)
            return 0;
    }
    size_t slots = sh->out.start[in->n];
    uint32_t *il = malloc((slots ? slots : 1) * sizeof *il);
    if (!il)
        return -1;
    uint64_t max = 0;
    for (size_t k = 0; k < slots; k++) {
        double l = sh->out.len[k];
        uint64_t d = denominator(l), v = d == 1 ? (uint64_t)l * S : S / d;
        il[k] = (uint32_t)(v < UINT32_MAX ? v : UINT32_MAX);
        max = v > max ? v : max;
    }
    if (max == 0 || max > 4096 || (uint64_t)in->n * max >= UINT32_MAX) {
        free(il);
        return 0;
    }
    sh->ilen = il;
    sh->iscale = (double)S;
    sh->ring = (uint32_t)max + 1;
    return 0;
}

/* The forest (pm_paths_forest.h), for undirected whole-number searches unless no_shortcut:
 * the core's ties then replace the input's in sh->out and sh->ilen (a pruned place keeps none),
 * and sh->bsrc lists the core places whose steps count (in the component), most steps down
 * their trees first (steps_batch). Returns -1 only when out of memory. */
static int plan_forest(shared_t *sh)
{
    const pm_paths_input_t *in = sh->in;
    size_t n = in->n, k2 = 0;
    pm_forest_t *f = &sh->forest;
    csr_t *o = &sh->out;
    if (in->no_shortcut || in->directed || !sh->ilen)
        return 0;
    if (pm_forest_build(f, n, o->start, o->nbr, sh->ilen, in->in_component))
        return -1;
    if (!f->pruned)
        return 0;
    for (size_t v = 0; v < n; v++) {
        size_t a = o->start[v], b = o->start[v + 1];
        o->start[v] = k2;
        for (size_t k = a; f->root[v] == v && k < b; k++) {
            node_t u = o->nbr[k];
            if (f->root[u] != u)
                continue;
            o->nbr[k2] = u;
            o->len[k2] = o->len[k];
            sh->ilen[k2++] = sh->ilen[k];
        }
    }
    o->start[n] = k2;
    memcpy(sh->pstart, o->start, (n + 1) * sizeof *sh->pstart);
    /* counting sort by steps down, most first; ties by place */
    uint32_t top = 0;
    for (size_t v = 0; v < n; v++)
        top = f->md[v] > top ? f->md[v] : top;
    size_t *count = calloc((size_t)top + 2, sizeof *count);
    sh->bsrc = malloc((n ? n : 1) * sizeof *sh->bsrc);
    if (!count || !sh->bsrc) {
        free(count);
        return -1;
    }
    for (size_t v = 0; v < n; v++)
        if (f->root[v] == v && (!in->in_component || in->in_component[v]))
            count[top - f->md[v] + 1]++;
    for (uint32_t d = 0; d <= top; d++)
        count[d + 1] += count[d];
    for (size_t v = 0; v < n; v++)
        if (f->root[v] == v && (!in->in_component || in->in_component[v]))
            sh->bsrc[count[top - f->md[v]]++] = (uint32_t)v;
    sh->nbsrc = count[top];
    free(count);
    return 0;
}

static int all_unit(const pm_paths_input_t *in)
{
    for (size_t e = 0; in->length && e < in->m; e++)
        if (in->length[e] != 1.0)
            return 0;
    return 1;
}

pm_status_t pm_paths_start(const pm_paths_input_t *in, int workers, pm_paths_job_t **out,
                           pm_error_t *err)
{
    size_t n = in->n, m = in->m;
    if (n >= NO_SLOT || m >= NO_SLOT / 2)
        return pm_error_set(err, PM_ENOMEM,
                            "too many places or ties for path statistics (%zu places, %zu ties)", n,
                            m);
    pm_paths_job_t *job = calloc(1, sizeof *job);
    if (!job)
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    job->in = *in;
    job->from = dup_array(in->from, m, sizeof *job->from);
    job->to = dup_array(in->to, m, sizeof *job->to);
    job->length = in->length ? dup_array(in->length, m, sizeof *job->length) : NULL;
    job->in_component = in->in_component ? dup_array(in->in_component, n, 1) : NULL;
    job->in.from = job->from;
    job->in.to = job->to;
    job->in.length = job->length;
    job->in.in_component = job->in_component;
    job->sh.in = &job->in;
    job->sh.unit = all_unit(in);
    job->sh.chunk_btw = calloc((size_t)CHUNKS * (n ? n : 1), sizeof *job->sh.chunk_btw);
    job->sh.closeness = calloc(n ? n : 1, sizeof *job->sh.closeness);
    if (!job->from || !job->to || (in->length && !job->length) ||
        (in->in_component && !job->in_component) || !job->sh.chunk_btw || !job->sh.closeness ||
        build_csr(&job->in, &job->sh.out) || !(job->sh.pstart = pred_offsets(&job->in)) ||
        integer_lengths(&job->sh) || plan_forest(&job->sh)) {
        job_free(job);
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    }
    pthread_mutex_init(&job->sh.lock, NULL);
    workers = workers < 0 ? 0 : workers > 64 ? 64 : workers;
    if ((size_t)workers > n)
        workers = (int)n;
    for (int t = 0; t < workers; t++) {
        if (pthread_create(&job->tid[t], NULL, work, &job->sh) != 0)
            break;
        job->started = t + 1;
    }
    *out = job;
    return PM_OK;
}

pm_status_t pm_paths_finish(pm_paths_job_t *job, pm_paths_result_t *out, pm_error_t *err)
{
    shared_t *sh = &job->sh;
    size_t n = job->in.n;
    pm_status_t st = PM_OK;
    work(sh); /* the calling thread takes whatever chunks are left */
    for (int t = 0; t < job->started; t++)
        pthread_join(job->tid[t], NULL);
    pthread_mutex_destroy(&sh->lock);
    double *btw = calloc(n ? n : 1, sizeof *btw);
    if (sh->failed || !btw) {
        free(btw);
        job_free(job);
        return pm_error_set(err, PM_ENOMEM, "out of memory for path statistics");
    }
    double dmax = 0, dsum = 0, smax = 0, ssum = 0, pairs = 0;
    for (int c = 0; c < CHUNKS; c++) {
        for (size_t v = 0; v < n; v++)
            btw[v] += sh->chunk_btw[(size_t)c * n + v];
        dmax = sh->chunk_dmax[c] > dmax ? sh->chunk_dmax[c] : dmax;
        smax = sh->chunk_smax[c] > smax ? sh->chunk_smax[c] : smax;
        dsum += sh->chunk_dsum[c];
        ssum += sh->chunk_ssum[c];
        pairs += sh->chunk_pairs[c];
    }
    if (sh->forest.pruned) {
        for (size_t v = 0; v < n; v++)
            btw[v] += sh->forest.pair_btw[v];
        if (!sh->unit) { /* integers: exact in any order */
            ssum += sh->forest.ssum;
            smax = sh->forest.smax > smax ? sh->forest.smax : smax;
        }
    }
    if (!job->in.directed)
        for (size_t v = 0; v < n; v++)
            btw[v] /= 2;
    out->betweenness = btw;
    out->closeness = sh->closeness;
    sh->closeness = NULL;
    out->diameter_length = dmax;
    out->diameter_steps = smax;
    out->avg_length = pairs > 0 ? dsum / pairs : NAN;
    out->avg_steps = pairs > 0 ? ssum / pairs : NAN;
    job_free(job);
    return st;
}

pm_status_t pm_paths_compute(const pm_paths_input_t *in, pm_paths_result_t *out, pm_error_t *err)
{
    int threads = in->threads > 0 ? in->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    pm_paths_job_t *job;
    pm_status_t st = pm_paths_start(in, threads - 1, &job, err);
    return st ? st : pm_paths_finish(job, out, err);
}
