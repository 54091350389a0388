/*
 * cli_uncert_map: the source-uncertainty marks of `partnermap map` (see cli_uncert_map.h).
 */
#include "cli_uncert_map.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pm_buf.h"
#include "pm_metric.h"
#include "pm_uncert_map.h"

#define NAMES_LISTED 10 /* unstable places named in the note; the rest counted */

void cli_uncert_map_init(cli_uncert_map_t *m)
{
    memset(m, 0, sizeof *m);
    m->unstable = 0.2;
}

void cli_uncert_map_destroy(cli_uncert_map_t *m)
{
    if (m)
        free(m->unstable_names);
}

static int uncert_map_option(const char *cmd, int id, const char *arg, void *target)
{
    cli_uncert_map_t *m = target;
    char *end;
    (void)id;
    double x = strtod(arg, &end);
    if (end == arg || *end || !(x >= 0 && x <= 1))
        return cli_usage_error(cmd,
                               "--unstable '%s': give a share of the replicates, 0 to 1 "
                               "(0.2: a class that changes in more than a fifth of them)",
                               arg);
    m->unstable = x;
    m->given = "--unstable";
    return 1;
}

static const cli_opt_t uncert_map_opts[] = {{"unstable", 1, 1, 0, 0}, {NULL, 0, 0, 0, 0}};
const cli_opt_group_t cli_uncert_map_group = {uncert_map_opts, uncert_map_option};

int cli_uncert_map_check(const char *cmd, int rc, const cli_uncert_opts_t *uo,
                         const cli_uncert_map_t *m)
{
    if (rc >= 0)
        return rc;
    if (!uo->on && m->given)
        return cli_usage_error(cmd, "--unstable needs --uncertainty N (the replicates whose "
                                    "classes it counts)");
    if (uo->on && (uo->shard || uo->n_merge))
        return cli_usage_error(cmd,
                               "--%s: a map draws from one run of its replicates; shards and "
                               "merges are for 'partnermap stats'",
                               uo->shard ? "shard" : "merge");
    if (uo->on && uo->u.n_metrics)
        return cli_usage_error(cmd, "--metrics: a map simulates the metrics it draws (--fill, "
                                    "--size); leave --metrics out");
    return -1;
}

/* The metric pm_uncert simulates for a map's metric name, and the factor from it to the drawn
 * value; NULL (with *why) when the map's metric is not simulated. */
static const char *simulated(const char *name, size_t n, double *scale, const char **why)
{
    *scale = 1;
    if (!name)
        return NULL;
    if (!strcmp(name, "pagerank_n")) {
        *scale = (double)n;
        return "pagerank";
    }
    const pm_metric_info_t *mi = pm_metric_find(name);
    if (!mi)
        return *why = "not a metric", NULL;
    if (mi->kind == PM_METRIC_CATEGORY)
        return *why = "a label, not a value: its numbers are not comparable between replicates",
               NULL;
    if (mi->needs & PM_METRIC_NEEDS_GEO)
        return *why = "tie lengths are not simulated", NULL;
    return name;
}

/* "1,000": n with thousands separated by commas. */
static void fmt_count(char *buf, size_t size, size_t n)
{
    char d[32];
    snprintf(d, sizeof d, "%zu", n);
    size_t len = strlen(d), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = '\0';
}

/* "97.5" for 97.5, "95" for 95. */
static void fmt_pct(char *buf, size_t size, double p)
{
    snprintf(buf, size, "%.2f", p);
    char *e = buf + strlen(buf) - 1;
    while (*e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
}

typedef struct ranked {
    double share;
    size_t i;
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->share != y->share)
        return x->share > y->share ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Marks the unstable places of d by the shares of class changes; names them in m. */
static pm_status_t mark_unstable(const pm_net_t *net, const double *share, pm_net_map_t *d,
                                 cli_uncert_map_t *m, pm_error_t *err)
{
    size_t n = d->n;
    ranked_t *r = malloc((n ? n : 1) * sizeof *r);
    pm_buf_t b;
    pm_buf_init(&b);
    if (!r)
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(share[i]) || !d->places[i].matched)
            continue;
        m->n_classed++;
        if (share[i] > m->unstable) {
            d->places[i].unstable = 1;
            r[k++] = (ranked_t){share[i], i};
        }
    }
    m->n_unstable = k;
    qsort(r, k, sizeof *r, cmp_ranked);
    for (size_t j = 0; j < k && j < NAMES_LISTED; j++)
        pm_buf_printf(&b, "%s'%s' (%.0f %%)", j ? ", " : "", net->g.name[r[j].i], 100 * r[j].share);
    if (k > NAMES_LISTED)
        pm_buf_printf(&b, " and %zu more", k - NAMES_LISTED);
    free(r);
    if (b.failed) {
        pm_buf_destroy(&b);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    if (k) {
        m->unstable_names = strdup(pm_buf_str(&b));
        if (!m->unstable_names) {
            pm_buf_destroy(&b);
            return pm_error_set(err, PM_ENOMEM, "out of memory");
        }
    }
    pm_buf_destroy(&b);
    return PM_OK;
}

pm_status_t cli_uncert_map_marks(const pm_net_t *net, const cli_net_opts_t *no,
                                 const cli_uncert_opts_t *uo, cli_map_opts_t *mo, pm_net_map_t *d,
                                 cli_uncert_map_t *m, int quiet, pm_error_t *err)
{
    return cli_uncert_map_marks_report(net, no, uo, mo, d, m, quiet, NULL, NULL, err);
}

pm_status_t cli_uncert_map_marks_report(const pm_net_t *net, const cli_net_opts_t *no,
                                        const cli_uncert_opts_t *uo, cli_map_opts_t *mo,
                                        pm_net_map_t *d, cli_uncert_map_t *m, int quiet,
                                        const char *title, pm_buf_t *report, pm_error_t *err)
{
    size_t n = d->n;
    double fill_scale, size_scale;
    const char *why_fill = NULL, *why_size = NULL;
    const char *fill = simulated(mo->fill, n, &fill_scale, &why_fill);
    const char *size = simulated(mo->circles, n, &size_scale, &why_size);
    if (!fill && !size)
        return pm_error_set(err, PM_EUSAGE,
                            "--uncertainty: the map draws nothing that can be simulated "
                            "(fill %s%s%s, circles %s%s%s); fill or size it by degree, strength, "
                            "betweenness, closeness, eigenvector or pagerank",
                            mo->fill ? mo->fill : "none", why_fill ? ": " : "",
                            why_fill ? why_fill : "", mo->circles ? mo->circles : "none",
                            why_size ? ": " : "", why_size ? why_size : "");
    if (!quiet && why_fill)
        fprintf(stderr,
                "partnermap: note: --uncertainty: the fill '%s' is not simulated (%s): "
                "no hatching\n",
                mo->fill, why_fill);
    if (!quiet && why_size)
        fprintf(stderr,
                "partnermap: note: --uncertainty: the circles' '%s' is not simulated "
                "(%s): no rings\n",
                mo->circles, why_size);
    pm_uncert_opts_t o = uo->u;
    o.seed = no->metrics.seed;
    o.n_metrics = 0;
    if (fill)
        o.metrics[o.n_metrics++] = fill;
    if (size && !(fill && !strcmp(fill, size)))
        o.metrics[o.n_metrics++] = size;
    pm_uncert_t u;
    memset(&u, 0, sizeof u);
    pm_uncert_summary_t s;
    memset(&s, 0, sizeof s);
    pm_map_scales_t sc;
    pm_map_scales_init(&sc);
    double *share = NULL;
    pm_status_t st;
    if ((st = pm_uncert_run(net, &no->metrics, &o, &u, err)) ||
        (st = pm_uncert_summarise(&u, uo->interval, 10, &s, err)))
        goto cleanup;
    m->replicates = u.total;
    char count[32], pct[16];
    fmt_count(count, sizeof count, u.total);
    fmt_pct(pct, sizeof pct, 50 + uo->interval / 2);
    if (size) {
        int j = pm_uncert_metric_index(&u, size);
        for (size_t i = 0; j >= 0 && i < n; i++)
            d->places[i].ring = size_scale * s.place[(size_t)j * n + i].hi;
        snprintf(m->text_ring, sizeof m->text_ring,
                 "ring: %s %% of %s replicates\n(none: the same as the circle)", pct, count);
        mo->map.text_ring = m->text_ring;
        m->size_simulated = 1;
    }
    if (fill) {
        int j = pm_uncert_metric_index(&u, fill);
        /* the classes as the map draws them: its own edges, from the observed values */
        share = malloc((n ? n : 1) * sizeof *share);
        if (!share) {
            st = pm_error_set(err, PM_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((st = pm_render_compute_scales(&d->map, &mo->map, &sc, err)) ||
            (st = pm_uncert_class_changes(&u, (size_t)(j < 0 ? 0 : j), fill_scale, sc.breaks,
                                          sc.n_classes, share, err)) ||
            (st = mark_unstable(net, share, d, m, err)))
            goto cleanup;
        char thr[16];
        fmt_pct(thr, sizeof thr, 100 * m->unstable);
        snprintf(m->text_unstable, sizeof m->text_unstable,
                 "class changes in > %s %% of replicates", thr);
        mo->map.text_unstable = m->text_unstable;
        m->fill_simulated = 1;
    }
    if (report) {
        pm_uncert_view_t v = {PM_FMT_CSV, NULL, 0, title, u.total, &o, 0};
        st = pm_uncert_report_write(net, &u, &s, &v, report, err);
    }
cleanup:
    free(share);
    pm_map_scales_destroy(&sc);
    pm_uncert_summary_destroy(&s);
    pm_uncert_destroy(&u);
    return st;
}

void cli_uncert_map_note_text(const cli_uncert_map_t *m, char *buf, size_t size)
{
    char thr[16];
    fmt_pct(thr, sizeof thr, 100 * m->unstable);
    if (!m->fill_simulated)
        snprintf(buf, size, "%s", "");
    else if (!m->n_unstable)
        snprintf(buf, size,
                 "unstable classes: none of %zu places changes class in more than %s %% of %zu "
                 "replicates (nothing hatched)",
                 m->n_classed, thr, m->replicates);
    else
        snprintf(buf, size,
                 "unstable classes: %zu of %zu places change class in more than %s %% of %zu "
                 "replicates (hatched): %s",
                 m->n_unstable, m->n_classed, thr, m->replicates, m->unstable_names);
}

void cli_uncert_map_note(const cli_uncert_map_t *m, const char *prefix, FILE *f)
{
    char buf[2048];
    cli_uncert_map_note_text(m, buf, sizeof buf);
    if (*buf)
        fprintf(f, "%s%s\n", prefix, buf);
}

void cli_uncert_map_batch_job(pm_batch_job_t *j, const cli_net_opts_t *no, cli_uncert_opts_t *uo,
                              const cli_map_opts_t *map_opts, cli_uncert_map_t *um,
                              pm_buf_t *report)
{
    if (!uo->on || j->status != PM_BATCH_PENDING || !j->prepared || j->other_shard)
        return;
    cli_map_opts_t mo = *map_opts;
    mo.map = j->map;
    pm_error_t err;
    pm_error_clear(&err);
    if (cli_uncert_map_marks_report(&j->net, no, uo, &mo, &j->data, um, 1, j->name, report, &err)) {
        pm_batch_job_fail(j, "--uncertainty: %s", err.msg);
        return;
    }
    j->map.text_ring = mo.map.text_ring;
    j->map.text_unstable = mo.map.text_unstable;
    j->extra_name = "uncertainty.csv";
    j->extra_data = pm_buf_str(report);
    j->extra_len = report->len;
    char note[2048];
    cli_uncert_map_note_text(um, note, sizeof note);
    if (*note)
        pm_diag_add(&j->diag, NULL, "%s", note);
}
