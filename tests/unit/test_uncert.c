/*
 * test_uncert: the source-uncertainty Monte Carlo (pm_uncert). Intervals collapse to the
 * observed value when every tie is certain; a small graph's replicate distribution matches the
 * exact enumeration of its 2^3 scenarios within binomial error; the numbers do not depend on the
 * thread count; shards merge to exactly the values of one run; a replicate with no tie at all
 * has defined statistics; bad probabilities and bad N are refused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_buf.h"
#include "pm_io.h"
#include "pm_net.h"
#include "pm_runtime.h"
#include "pm_test.h"
#include "pm_uncert.h"

static int load(const char *name, const char *csv, pm_net_t *net, pm_net_opts_t *o)
{
    const char *path = pm_test_file(name, csv);
    pm_net_opts_init(o);
    o->with_metrics = 1;
    pm_error_t err;
    int st = pm_net_load(path, o, net, NULL, &err);
    if (st)
        fprintf(stderr, "load: %s\n", err.msg);
    return st;
}

static size_t place(const pm_net_t *net, const char *name)
{
    for (size_t v = 0; v < net->g.n_nodes; v++)
        if (!strcmp(net->g.name[v], name))
            return v;
    return (size_t)-1;
}

static size_t metric(const pm_uncert_t *u, const char *name)
{
    for (size_t j = 0; j < u->k; j++)
        if (!strcmp(u->metric[j], name))
            return j;
    return (size_t)-1;
}

static const char small_csv[] = "from,to,weight,confidence,probability\n"
                                "a,b,1,probable,\n"
                                "a,c,2,probable,\n"
                                "a,d,4,documented,0.3\n"
                                "b,c,1,documented,\n"
                                "d,e,1,,\n";

static void test_quantile(void)
{
    double x[4] = {1, 2, 3, 4};
    CHECK_NEAR(pm_uncert_quantile(x, 4, 0.5), 2.5, 1e-15);
    CHECK_NEAR(pm_uncert_quantile(x, 4, 0.025), 1.075, 1e-12);
    CHECK_NEAR(pm_uncert_quantile(x, 4, 1), 4, 1e-15);
    CHECK_NEAR(pm_uncert_quantile(x, 1, 0.3), 1, 1e-15);
    CHECK(isnan(pm_uncert_quantile(x, 0, 0.5)));
}

/* Every keep probability 1: each replicate is the observed network. */
static void test_collapse(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    CHECK_INT(load("c.csv", "from,to,weight,confidence\na,b,1,probable\nb,c,2,\nc,a,1,\nc,d,3,\n",
                   &net, &no),
              PM_OK);
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 40;
    o.keep_probable = 1;
    pm_uncert_t u;
    pm_error_t err;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_OK);
    pm_uncert_summary_t s;
    CHECK_INT(pm_uncert_summarise(&u, 95, 2, &s, &err), PM_OK);
    int same = 1;
    for (size_t q = 0; q < u.k * u.n; q++) {
        const pm_uncert_stat_t *ps = &s.place[q];
        same &= ps->lo == ps->observed && ps->hi == ps->observed && ps->median == ps->observed;
        same &= ps->rank_lo == ps->rank && ps->rank_hi == ps->rank;
        same &= ps->top_share == (ps->rank <= 2 ? 1.0 : 0.0);
    }
    CHECK(same);
    for (size_t g = 0; g < PM_UNCERT_N_NETWORK; g++) {
        const pm_uncert_stat_t *ns = &s.network[g];
        if (isnan(ns->observed))
            CHECK_INT(ns->defined, 0);
        else
            CHECK(ns->lo == ns->observed && ns->hi == ns->observed);
    }
    CHECK_INT(s.network[0].observed, 4); /* ties */
    pm_uncert_summary_destroy(&s);
    pm_uncert_destroy(&u);
    pm_net_destroy(&net);
}

/* Place a's ties: a-b (w 1, probable: p 0.5), a-c (w 2, probable: 0.5), a-d (w 4, probability
 * column 0.3). Its strength names the scenario of the three (2^3 = 8 values), its degree their
 * count; both distributions are enumerated exactly and compared with 20,000 replicates, within 5
 * binomial standard errors (the seed is fixed: the test cannot flicker). */
static void test_enumeration(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    CHECK_INT(load("e.csv", small_csv, &net, &no), PM_OK);
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 20000;
    o.metrics[0] = "degree";
    o.metrics[1] = "strength";
    o.n_metrics = 2;
    pm_uncert_t u;
    pm_error_t err;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_OK);
    size_t a = place(&net, "a"), jd = metric(&u, "degree"), js = metric(&u, "strength");
    const double p[3] = {0.5, 0.5, 0.3}, w[3] = {1, 2, 4};
    double exact_s[8] = {0}, exact_d[4] = {0};
    for (int sc = 0; sc < 8; sc++) {
        double pr = 1, st = 0;
        int d = 0;
        for (int t = 0; t < 3; t++) {
            int kept = (sc >> t) & 1;
            pr *= kept ? p[t] : 1 - p[t];
            st += kept ? w[t] : 0;
            d += kept;
        }
        exact_s[(int)st] += pr;
        exact_d[d] += pr;
    }
    double seen_s[8] = {0}, seen_d[4] = {0};
    int odd = 0;
    for (size_t r = 0; r < u.n_rep; r++) {
        double sv = u.values[r * u.stride + js * u.n + a];
        double dv = u.values[r * u.stride + jd * u.n + a];
        if (sv < 0 || sv > 7 || dv < 0 || dv > 3 || sv != floor(sv)) {
            odd++;
            continue;
        }
        seen_s[(int)sv] += 1.0 / (double)u.n_rep;
        seen_d[(int)dv] += 1.0 / (double)u.n_rep;
    }
    CHECK_INT(odd, 0);
    for (int k = 0; k < 8; k++) {
        double se = sqrt(exact_s[k] * (1 - exact_s[k]) / (double)u.n_rep);
        if (fabs(seen_s[k] - exact_s[k]) > 5 * se + 1e-12)
            pm_test_fail(__FILE__, __LINE__, "P(strength = %d) = %.4f, exact %.4f (se %.4f)", k,
                         seen_s[k], exact_s[k], se);
        else
            pm_test_passed++;
    }
    for (int k = 0; k < 4; k++) {
        double se = sqrt(exact_d[k] * (1 - exact_d[k]) / (double)u.n_rep);
        CHECK(fabs(seen_d[k] - exact_d[k]) <= 5 * se + 1e-12);
    }
    /* b-c and d-e are documented (p 1): always there */
    size_t e = place(&net, "e");
    int always = 1;
    for (size_t r = 0; r < u.n_rep; r++)
        always &= u.values[r * u.stride + jd * u.n + e] == 1;
    CHECK(always);
    pm_uncert_destroy(&u);
    pm_net_destroy(&net);
}

/* The same numbers with 1 or 2 threads, and from three shards merged. */
static void test_threads_and_shards(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    CHECK_INT(load("s.csv", small_csv, &net, &no), PM_OK);
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 50;
    o.weight_noise = 0.2;
    o.threads = 1;
    pm_uncert_t one, two, like, merged;
    pm_error_t err;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &one, &err), PM_OK);
    o.threads = 2;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &two, &err), PM_OK);
    CHECK(memcmp(one.values, two.values, one.n_rep * one.stride * sizeof(double)) == 0);
    char paths[3][4096];
    for (size_t k = 1; k <= 3; k++) {
        pm_uncert_opts_t so = o;
        so.shard_k = k;
        so.shard_n = 3;
        pm_uncert_t sh;
        CHECK_INT(pm_uncert_run(&net, &no.metrics, &so, &sh, &err), PM_OK);
        CHECK_INT(sh.n_rep, k == 3 ? 16 : 17);
        pm_buf_t b;
        pm_buf_init(&b);
        CHECK_INT(pm_uncert_shard_write(&sh, &so, &b, &err), PM_OK);
        char name[32];
        snprintf(name, sizeof name, "shard%zu.pmu", k);
        snprintf(paths[k - 1], sizeof paths[0], "%s/%s", pm_test_dir(), name);
        CHECK_INT(pm_io_write_atomic(paths[k - 1], b.data, b.len, &err), PM_OK);
        pm_buf_destroy(&b);
        pm_uncert_destroy(&sh);
    }
    pm_uncert_opts_t lo = o;
    lo.observed_only = 1;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &lo, &like, &err), PM_OK);
    CHECK_INT(like.n_rep, 0);
    const char *all[3] = {paths[2], paths[0], paths[1]};
    CHECK_INT(pm_uncert_merge(all, 3, &like, &merged, &err), PM_OK);
    CHECK_INT(merged.n_rep, 50);
    CHECK(memcmp(one.values, merged.values, one.n_rep * one.stride * sizeof(double)) == 0);
    pm_uncert_destroy(&merged);
    /* a shard missing, a shard twice, a shard of another seed */
    CHECK_INT(pm_uncert_merge(all, 2, &like, &merged, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "missing");
    const char *twice[4] = {paths[0], paths[1], paths[2], paths[0]};
    CHECK_INT(pm_uncert_merge(twice, 4, &like, &merged, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "two shards");
    pm_uncert_t other;
    lo.seed = 7;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &lo, &other, &err), PM_OK);
    CHECK_INT(pm_uncert_merge(all, 3, &other, &merged, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "another run");
    /* the same seed but the probable ties kept with another probability: another model */
    pm_uncert_destroy(&other);
    lo.seed = o.seed;
    lo.keep_probable = 0.6;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &lo, &other, &err), PM_OK);
    CHECK_INT(pm_uncert_merge(all, 3, &other, &merged, &err), PM_EDATA);
    pm_uncert_destroy(&other);
    pm_uncert_destroy(&like);
    pm_uncert_destroy(&one);
    pm_uncert_destroy(&two);
    pm_net_destroy(&net);
}

/* Every tie dropped: isolated places, defined statistics. */
static void test_all_dropped(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    CHECK_INT(
        load("d.csv", "from,to,confidence\na,b,probable\nb,c,probable\nc,d,probable\n", &net, &no),
        PM_OK);
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 5;
    o.keep_probable = 0;
    pm_uncert_t u;
    pm_error_t err;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_OK);
    pm_uncert_summary_t s;
    CHECK_INT(pm_uncert_summarise(&u, 95, 10, &s, &err), PM_OK);
    size_t jp = metric(&u, "pagerank"), jd = metric(&u, "degree"), jb = metric(&u, "betweenness");
    for (size_t i = 0; i < u.n; i++) {
        CHECK(s.place[jd * u.n + i].hi == 0);
        CHECK(s.place[jb * u.n + i].hi == 0);
        CHECK_NEAR(s.place[jp * u.n + i].median, 0.25, 1e-9); /* PageRank of 4 isolated places */
        CHECK(s.place[jd * u.n + i].rank_hi == 1);            /* all tied first */
    }
    CHECK(s.network[0].hi == 0);     /* ties */
    CHECK(s.network[2].hi == 0);     /* density */
    CHECK(s.network[3].median == 4); /* components: every place alone */
    pm_buf_t b;
    pm_buf_init(&b);
    pm_uncert_view_t v = {PM_FMT_TERMINAL, NULL, 0, "d.csv", 5, &o, 0};
    CHECK_INT(pm_uncert_report_write(&net, &u, &s, &v, &b, &err), PM_OK);
    CHECK_CONTAINS(pm_buf_str(&b), "every tie dropped in 5 replicates");
    pm_buf_destroy(&b);
    pm_uncert_summary_destroy(&s);
    pm_uncert_destroy(&u);
    pm_net_destroy(&net);
}

static void test_bad_input(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    pm_uncert_t u;
    pm_error_t err;
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 3;
    CHECK_INT(load("b.csv", "from,to,probability\na,b,0.5\nb,c,1.5\n", &net, &no), PM_OK);
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "b.csv:3: probability '1.5'");
    pm_net_destroy(&net);
    CHECK_INT(load("b2.csv", "from,to,probability\na,b,half\n", &net, &no), PM_OK);
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_EDATA);
    CHECK_CONTAINS(err.msg, "b2.csv:2: probability 'half'");
    o.replicates = 0;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_EUSAGE);
    o.replicates = PM_UNCERT_MAX_REPLICATES + 1;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_EUSAGE);
    o.replicates = 3;
    o.metrics[0] = "community";
    o.n_metrics = 1;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_EUSAGE);
    pm_net_destroy(&net);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_quantile);
    PM_RUN(test_collapse);
    PM_RUN(test_enumeration);
    PM_RUN(test_threads_and_shards);
    PM_RUN(test_all_dropped);
    PM_RUN(test_bad_input);
    pm_runtime_teardown();
    return pm_test_done();
}
