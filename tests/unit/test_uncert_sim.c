/*
 * test_uncert_sim: replicates one at a time (pm_uncert_sim_*, what the worker processes run)
 * give the same bits as pm_uncert_run, in any order, for a whole run and for a shard, with the
 * same observed values, fingerprint and count of replicates that kept no tie.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_net.h"
#include "pm_runtime.h"
#include "pm_test.h"
#include "pm_uncert.h"

static const char csv[] = "from,to,weight,confidence\n"
                          "a,b,1,probable\n"
                          "a,c,2,probable\n"
                          "a,d,4,documented\n"
                          "b,c,1,documented\n"
                          "d,e,1,probable\n"
                          "e,f,3,probable\n"
                          "e,g,1,probable\n"
                          "h,i,2,probable\n";

static void compare(const pm_net_t *net, const pm_net_opts_t *no, pm_uncert_opts_t *o)
{
    pm_uncert_t run, sim_u;
    pm_uncert_sim_t *sim = NULL;
    pm_error_t err;
    CHECK_INT(pm_uncert_run(net, &no->metrics, o, &run, &err), PM_OK);
    CHECK_INT(pm_uncert_sim_new(net, &no->metrics, o, &sim_u, &sim, &err), PM_OK);
    size_t count = pm_uncert_sim_count(sim);
    CHECK_INT(count, run.n_rep);
    CHECK_INT(sim_u.n_rep, 0);
    CHECK(sim_u.fingerprint == run.fingerprint);
    CHECK(memcmp(sim_u.observed, run.observed, run.stride * sizeof(double)) == 0);
    CHECK(memcmp(sim_u.index, run.index, count * sizeof *run.index) == 0);
    size_t empty = 0;
    for (size_t k = count; k-- > 0;) { /* backwards: order must not matter */
        int e = 0;
        CHECK_INT(pm_uncert_sim_replicate(sim, k, sim_u.values + k * sim_u.stride, &e, &err),
                  PM_OK);
        empty += (size_t)e;
    }
    CHECK(memcmp(sim_u.values, run.values, count * run.stride * sizeof(double)) == 0);
    CHECK_INT(empty, run.n_dropped_all);
    CHECK_INT(pm_uncert_sim_replicate(sim, count, sim_u.values, &(int){0}, &err), PM_EINTERNAL);
    pm_uncert_sim_free(sim);
    pm_uncert_destroy(&run);
    pm_uncert_destroy(&sim_u);
}

static void test_same_bits(void)
{
    pm_net_t net;
    pm_net_opts_t no;
    pm_net_opts_init(&no);
    no.with_metrics = 1;
    pm_error_t err;
    CHECK_INT(pm_net_load(pm_test_file("t.csv", csv), &no, &net, NULL, &err), PM_OK);
    pm_uncert_opts_t o;
    pm_uncert_opts_init(&o);
    o.replicates = 60;
    o.keep_probable = 0.3;
    o.keep_documented = 0.2;
    o.threads = 2;
    compare(&net, &no, &o); /* some replicates keep no tie at all */
    pm_uncert_t u;
    CHECK_INT(pm_uncert_run(&net, &no.metrics, &o, &u, &err), PM_OK);
    CHECK(u.n_dropped_all > 0);
    pm_uncert_destroy(&u);
    o.resample = 1;
    o.weight_noise = 0.3;
    o.shard_k = 2;
    o.shard_n = 7;
    compare(&net, &no, &o);
    o.n_metrics = 2;
    o.metrics[0] = "betweenness";
    o.metrics[1] = "eigenvector";
    compare(&net, &no, &o);
    pm_net_destroy(&net);
}

int main(void)
{
    pm_runtime_init();
    PM_RUN(test_same_bits);
    pm_runtime_teardown();
    return pm_test_done();
}
