/*
 * pm_uncert_report: the source-uncertainty report (see pm_uncert.h, pm_uncert_report_write).
 *
 * For people: the model in one line, the network statistics as "observed [lo-hi]", then one
 * table per metric, places by their observed value: value [lo-hi], median, rank [lo-hi], and
 * the share of replicates in which the place is in the top k. LaTeX cells read "12.0 [8.1--15.3]"
 * (ready to paste); the terminal and Markdown use an en dash. For machines: CSV/TSV one row per
 * place and metric; JSON the model, the network statistics and the places.
 */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pm_metric.h"
#include "pm_uncert.h"

static const char *const network_labels[PM_UNCERT_N_NETWORK] = {
    "ties",
    "total weight",
    "density",
    "components",
    "share of places in the largest component",
    "diameter, in ties",
    "diameter, weighted",
    "average path length, in ties",
    "average path length, weighted",
    "transitivity",
    "degree assortativity",
    "degree centralization",
    "communities",
    "modularity"};
static const int network_decimals[PM_UNCERT_N_NETWORK] = {0, 2, 4, 0, 4, 0, 4, 4, 4, 4, 4, 4, 0, 4};

static int metric_decimals(const char *name)
{
    const pm_metric_info_t *mi = pm_metric_find(name);
    if (!mi || mi->kind == PM_METRIC_COUNT)
        return mi ? 1 : 4; /* a count's median or quantile may fall between two counts */
    if (!strcmp(name, "betweenness"))
        return 1;
    return mi->decimals;
}

static const char *dash(pm_format_t f)
{
    return f == PM_FMT_LATEX ? "--" : "\xe2\x80\x93";
}

/* "v [lo-hi]" for people; "-" for an undefined value. */
static void interval_text(char *buf, size_t size, double v, double lo, double hi, int dec,
                          pm_format_t f)
{
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return;
    }
    if (isnan(lo))
        pm_snprintf_c(buf, size, "%.*f [-]", dec, v);
    else
        pm_snprintf_c(buf, size, "%.*f [%.*f%s%s%s%.*f]", dec, v, dec, lo, hi < 0 ? " " : "",
                      dash(f), hi < 0 ? " " : "", dec, hi); /* "[-0.50 – -0.09]" */
}

/* The column name of a quantile, "q2.5" */
static void qname(char *buf, size_t size, const char *prefix, double pct)
{
    pm_snprintf_c(buf, size, "%sq%g", prefix, pct);
}

/* Orders places by observed value of metric j, then median, then top share (each descending),
 * then by name. */
typedef struct by_obs {
    const pm_uncert_stat_t *st;
    char **name;
} by_obs_t;

static int cmp_obs(const void *a, const void *b, void *ctx)
{
    const by_obs_t *c = ctx;
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    double x = c->st[i].observed, y = c->st[k].observed;
    if (x != y)
        return x > y ? -1 : 1;
    x = c->st[i].median; /* equal observed values: the more robust place first */
    y = c->st[k].median;
    if (x != y)
        return x > y ? -1 : 1;
    x = c->st[i].top_share;
    y = c->st[k].top_share;
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(c->name[i], c->name[k]);
}

static void model_line(const pm_uncert_view_t *v, const pm_uncert_t *u, size_t dropped, pm_buf_t *b)
{
    const pm_uncert_opts_t *o = v->opts;
    pm_buf_printf(b,
                  "%zu replicates (seed %lu): each tie row kept with p = %g (documented) or %g "
                  "(probable), or its probability column",
                  u->n_rep, u->seed, o->keep_documented, o->keep_probable);
    if (o->resample)
        pm_buf_puts(b, "; rows bootstrapped");
    if (o->weight_noise > 0)
        pm_buf_printf(b, "; weights x log-normal (sigma %g)", o->weight_noise);
    pm_buf_puts(b, "; a place without ties in a replicate counts as isolated");
    if (dropped)
        pm_buf_printf(b, "; every tie dropped in %zu replicates", dropped);
}

static size_t count_dropped(const pm_uncert_t *u)
{
    size_t d = 0;
    for (size_t r = 0; r < u->n_rep; r++)
        d += u->values[r * u->stride + u->k * u->n] == 0; /* network "ties" */
    return d;
}

static pm_status_t write_people(const pm_net_t *net, const pm_uncert_t *u,
                                const pm_uncert_summary_t *s, const pm_uncert_view_t *v,
                                size_t first, pm_buf_t *out, pm_error_t *err)
{
    pm_format_t f = v->format;
    size_t n = u->n;
    pm_status_t st = PM_OK;
    char(*text)[96] = calloc(PM_UNCERT_N_NETWORK + 4 * n + 1, sizeof *text);
    const char **tp = calloc(4 * n + 1, sizeof *tp);
    size_t *rows = malloc((n + 1) * sizeof *rows);
    pm_buf_t title;
    pm_buf_init(&title);
    if (!text || !tp || !rows) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    char pct[32];
    pm_snprintf_c(pct, sizeof pct, "%g %%", s->interval);
    pm_buf_printf(&title, "%s\n", v->title ? v->title : "");
    model_line(v, u, count_dropped(u), &title);
    pm_buf_printf(&title, ".\nobserved value [%g %%%s%g %% quantiles of the replicates]",
                  (100 - s->interval) / 2, dash(f), 100 - (100 - s->interval) / 2);
    pm_report_item_t items[PM_UNCERT_N_NETWORK];
    for (size_t g = 0; g < PM_UNCERT_N_NETWORK; g++) {
        const pm_uncert_stat_t *ns = &s->network[g];
        interval_text(text[g], sizeof text[g], ns->observed, ns->lo, ns->hi, network_decimals[g],
                      f);
        items[g] = (pm_report_item_t){
            pm_uncert_network_keys[g], network_labels[g], PM_COL_TEXT, 0, 0, text[g], NULL};
    }
    pm_report_t sum = {pm_buf_str(&title), items, PM_UNCERT_N_NETWORK, NULL, 0, NULL, 0, 0, NULL};
    if ((st = pm_report_write_summary(&sum, f, out, err)))
        goto cleanup;
    char(*cell)[96] = text + PM_UNCERT_N_NETWORK;
    for (size_t jj = 0; jj < u->k && !v->summary_only; jj++) {
        size_t j = (first + jj) % u->k; /* the sort metric first */
        const pm_uncert_stat_t *ps = s->place + j * n;
        int dec = metric_decimals(u->metric[j]);
        for (size_t i = 0; i < n; i++) {
            interval_text(cell[i], sizeof cell[i], ps[i].observed, ps[i].lo, ps[i].hi, dec, f);
            pm_snprintf_c(cell[n + i], sizeof cell[0], "%.*f", dec, ps[i].median);
            pm_snprintf_c(cell[2 * n + i], sizeof cell[0], "%.0f [%.0f%s%.0f]", ps[i].rank,
                          ps[i].rank_lo, dash(f), ps[i].rank_hi);
            pm_snprintf_c(cell[3 * n + i], sizeof cell[0], "%.0f%s", 100 * ps[i].top_share, " %");
            for (int c = 0; c < 4; c++)
                tp[c * n + i] = cell[c * n + i];
            rows[i] = i;
        }
        by_obs_t by = {ps, net->g.name};
        qsort_r(rows, n, sizeof *rows, cmp_obs, &by);
        char head[64], top[32], caption[256];
        pm_snprintf_c(head, sizeof head, "%s [%s]", u->metric[j], pct);
        pm_snprintf_c(top, sizeof top, "top %zu", s->top);
        pm_snprintf_c(caption, sizeof caption,
                      "places by %s: observed value [%g %% interval], median and rank "
                      "[interval] over %zu replicates, share of them in the top %zu",
                      pm_metric_title(u->metric[j]), s->interval, u->n_rep, s->top);
        pm_report_col_t cols[5] = {
            {"place", NULL, PM_COL_TEXT, 0, NULL, (const char *const *)net->g.name},
            {u->metric[j], head, PM_COL_TEXT, 0, NULL, tp},
            {"median", NULL, PM_COL_TEXT, 0, NULL, tp + n},
            {"rank", NULL, PM_COL_TEXT, 0, NULL, tp + 2 * n},
            {"top", top, PM_COL_TEXT, 0, NULL, tp + 3 * n}};
        size_t shown = v->rows && v->rows < n ? v->rows : n;
        pm_report_t r = {NULL, NULL, 0, cols, 5, rows, shown, n, caption};
        if ((st = pm_report_write(&r, f, out, err)))
            goto cleanup;
    }
cleanup:
    pm_buf_destroy(&title);
    free(text);
    free(tp);
    free(rows);
    return st;
}

static void num(pm_buf_t *b, double x, char sep)
{
    char buf[64];
    pm_format_number(buf, sizeof buf, x, PM_COL_REAL);
    if (sep == 'j' && !*buf)
        snprintf(buf, sizeof buf, "null");
    pm_buf_puts(b, buf);
}

static void write_delimited(const pm_net_t *net, const pm_uncert_t *u, const pm_uncert_summary_t *s,
                            char sep, int summary, pm_buf_t *b)
{
    char lo[32], hi[32], rlo[32], rhi[32];
    double a = (100 - s->interval) / 2;
    qname(lo, sizeof lo, "", a);
    qname(hi, sizeof hi, "", 100 - a);
    qname(rlo, sizeof rlo, "rank_", a);
    qname(rhi, sizeof rhi, "rank_", 100 - a);
    if (summary) {
        pm_buf_printf(b, "statistic%cobserved%cmedian%c%s%c%s%cdefined\n", sep, sep, sep, lo, sep,
                      hi, sep);
        for (size_t g = 0; g < PM_UNCERT_N_NETWORK; g++) {
            const pm_uncert_stat_t *ns = &s->network[g];
            pm_buf_printf(b, "%s%c", pm_uncert_network_keys[g], sep);
            double x[4] = {ns->observed, ns->median, ns->lo, ns->hi};
            for (int c = 0; c < 4; c++) {
                num(b, x[c], sep);
                pm_buf_putc(b, sep);
            }
            pm_buf_printf(b, "%zu\n", ns->defined);
        }
        return;
    }
    pm_buf_printf(b, "place%cmetric%cobserved%cmedian%c%s%c%s%crank%c%s%c%s%ctop%zu_share\n", sep,
                  sep, sep, sep, lo, sep, hi, sep, sep, rlo, sep, rhi, sep, s->top);
    for (size_t i = 0; i < u->n; i++)
        for (size_t j = 0; j < u->k; j++) {
            const pm_uncert_stat_t *ps = &s->place[j * u->n + i];
            pm_csv_field(b, net->g.name[i], sep);
            pm_buf_printf(b, "%c%s", sep, u->metric[j]);
            double x[8] = {ps->observed, ps->median,  ps->lo,      ps->hi,
                           ps->rank,     ps->rank_lo, ps->rank_hi, ps->top_share};
            for (int c = 0; c < 8; c++) {
                pm_buf_putc(b, sep);
                num(b, x[c], sep);
            }
            pm_buf_putc(b, '\n');
        }
}

static void write_json(const pm_net_t *net, const pm_uncert_t *u, const pm_uncert_summary_t *s,
                       const pm_uncert_view_t *v, pm_buf_t *b)
{
    const pm_uncert_opts_t *o = v->opts;
    pm_buf_puts(b, "{\n  \"title\": ");
    pm_json_string(b, v->title ? v->title : "");
    pm_buf_printf(b, ",\n  \"model\": {\"replicates\": %zu, \"seed\": %lu, \"keep_documented\": ",
                  u->n_rep, u->seed);
    num(b, o->keep_documented, 'j');
    pm_buf_puts(b, ", \"keep_probable\": ");
    num(b, o->keep_probable, 'j');
    pm_buf_printf(b, ", \"resample\": %s, \"weight_noise\": ", o->resample ? "true" : "false");
    num(b, o->weight_noise, 'j');
    pm_buf_printf(b, ", \"interval\": ");
    num(b, s->interval, 'j');
    pm_buf_printf(b, ", \"top\": %zu, \"replicates_without_ties\": %zu},\n  \"network\": {", s->top,
                  count_dropped(u));
    for (size_t g = 0; g < PM_UNCERT_N_NETWORK; g++) {
        const pm_uncert_stat_t *ns = &s->network[g];
        pm_buf_printf(b, "%s\n    \"%s\": {\"observed\": ", g ? "," : "",
                      pm_uncert_network_keys[g]);
        num(b, ns->observed, 'j');
        pm_buf_puts(b, ", \"median\": ");
        num(b, ns->median, 'j');
        pm_buf_puts(b, ", \"lo\": ");
        num(b, ns->lo, 'j');
        pm_buf_puts(b, ", \"hi\": ");
        num(b, ns->hi, 'j');
        pm_buf_printf(b, ", \"defined\": %zu}", ns->defined);
    }
    pm_buf_puts(b, "\n  },\n  \"places\": [");
    static const char *const keys[8] = {"observed", "median",  "lo",      "hi",
                                        "rank",     "rank_lo", "rank_hi", "top_share"};
    for (size_t i = 0; i < u->n; i++) {
        pm_buf_printf(b, "%s\n    {\"place\": ", i ? "," : "");
        pm_json_string(b, net->g.name[i]);
        for (size_t j = 0; j < u->k; j++) {
            const pm_uncert_stat_t *ps = &s->place[j * u->n + i];
            double x[8] = {ps->observed, ps->median,  ps->lo,      ps->hi,
                           ps->rank,     ps->rank_lo, ps->rank_hi, ps->top_share};
            pm_buf_printf(b, ", \"%s\": {", u->metric[j]);
            for (int c = 0; c < 8; c++) {
                pm_buf_printf(b, "%s\"%s\": ", c ? ", " : "", keys[c]);
                num(b, x[c], 'j');
            }
            pm_buf_putc(b, '}');
        }
        pm_buf_putc(b, '}');
    }
    pm_buf_puts(b, "\n  ]\n}\n");
}

pm_status_t pm_uncert_report_write(const pm_net_t *net, const pm_uncert_t *u,
                                   const pm_uncert_summary_t *s, const pm_uncert_view_t *v,
                                   pm_buf_t *out, pm_error_t *err)
{
    size_t first = 0;
    if (v->sort) {
        for (first = 0; first < u->k && strcmp(u->metric[first], v->sort); first++)
            ;
        if (first == u->k) {
            pm_buf_t names;
            pm_buf_init(&names);
            for (size_t j = 0; j < u->k; j++)
                pm_buf_printf(&names, "%s%s", j ? ", " : "", u->metric[j]);
            pm_status_t st =
                pm_error_set(err, PM_EUSAGE, "'%s': not one of the metrics simulated (%s)", v->sort,
                             pm_buf_str(&names));
            pm_buf_destroy(&names);
            return st;
        }
    }
    switch (v->format) {
    case PM_FMT_CSV:
    case PM_FMT_TSV:
        write_delimited(net, u, s, v->format == PM_FMT_CSV ? ',' : '\t', v->summary_only, out);
        break;
    case PM_FMT_JSON:
        write_json(net, u, s, v, out);
        break;
    default:
        return write_people(net, u, s, v, first, out, err);
    }
    return pm_buf_failed(out) ? pm_error_set(err, PM_ENOMEM, "out of memory") : PM_OK;
}
