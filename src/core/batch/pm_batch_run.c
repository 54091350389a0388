/*
 * pm_batch_run: the batch engine: a run's loading, the shared scales and map frame, the content
 * hash, a run's files, and running the runs in turn (see pm_batch.h). A job's state changes on
 * the calling thread only; a program may run pm_batch_job_write in a forked worker.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_batch.h"
#include "pm_io.h"
#include "pm_runtime.h"

void pm_batch_job_init(pm_batch_job_t *j)
{
    memset(j, 0, sizeof *j);
    pm_net_opts_init(&j->net_opts);
    pm_map_opts_init(&j->map);
    pm_diag_init(&j->diag);
    j->options_key = "";
}

void pm_batch_job_forget(pm_batch_job_t *j)
{
    if (j->prepared)
        pm_net_map_destroy(&j->data);
    if (j->loaded)
        pm_net_destroy(&j->net);
    j->prepared = j->loaded = 0;
}

void pm_batch_job_destroy(pm_batch_job_t *j)
{
    if (!j)
        return;
    pm_batch_job_forget(j);
    free(j->hash);
    j->hash = NULL;
    pm_diag_destroy(&j->diag);
}

void pm_batch_job_fail(pm_batch_job_t *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->reason, sizeof j->reason, fmt, ap);
    va_end(ap);
    j->status = PM_BATCH_FAILED;
}

/* Some place of j is not joined: writes its join report to its folder and says so in err. */
static pm_status_t join_failed(pm_batch_job_t *j, const pm_error_t *je, pm_error_t *err)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/join.csv", j->dir);
    pm_buf_t b;
    pm_buf_init(&b);
    pm_status_t st = pm_io_mkdirs(j->dir, err);
    if (!st)
        st = pm_join_report(&j->net.join, PM_JOIN_REPORT_CSV, &b, err);
    if (!st)
        st = pm_io_write_atomic(file, pm_buf_str(&b), b.len, err);
    pm_buf_destroy(&b);
    if (st) {
        char why[PM_ERROR_MSG_MAX / 2];
        snprintf(why, sizeof why, "%.500s", err->msg);
        return pm_error_set(err, PM_EJOIN, "%s: %.400s; the join report could not be written: %s",
                            j->ties, je->msg, why);
    }
    return pm_error_set(err, PM_EJOIN, "%s: %.500s '%s'", j->ties, je->msg, file);
}

pm_status_t pm_batch_job_load(pm_batch_job_t *j, pm_geo_t *geo)
{
    pm_error_t e, je;
    pm_error_clear(&e);
    pm_net_opts_t o = j->net_opts;
    o.with_geo = o.with_metrics = 1;
    o.shared_geo = geo;
    /* places not joined: the run fails, with its join report in its folder */
    int strict = !o.allow_unmatched;
    o.allow_unmatched = 1;
    o.report_join |= strict;
    pm_status_t st = pm_net_load(j->ties, &o, &j->net, &j->diag, &e);
    if (!st) {
        j->loaded = 1;
        if (strict && pm_join_check(&j->net.join, &je))
            st = join_failed(j, &je, &e);
    }
    if (!st)
        st = pm_net_map_prepare(&j->net, &o, &j->map_sel, &j->map, &j->data, &j->diag, &e);
    if (!st) {
        j->prepared = 1;
        /* the tie lengths for stats.csv: measured once, here, before any worker starts */
        const pm_spatial_t *sp;
        st = pm_net_map_spatial(&j->net, &j->data, &sp, &e);
    }
    if (st) {
        pm_batch_job_forget(j);
        pm_batch_job_fail(j, "%s", e.msg);
        return st;
    }
    j->map.title = j->map.title ? j->map.title : j->name;
    return PM_OK;
}

/* ---- shared scales ---------------------------------------------------------------------------
 */

/* Scales over every prepared job: extent, widths and sizes from all jobs; class breaks from the
 * jobs sharing the same fill metric (breaks of different metrics would mean nothing). */
static pm_status_t shared_scales(pm_batch_job_t *jobs, size_t n, const char *fill,
                                 pm_map_scales_t *out, pm_error_t *err)
{
    size_t np = 0, nt = 0;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].prepared) {
            np += jobs[i].data.map.n_places;
            nt += jobs[i].data.map.n_ties;
        }
    pm_map_place_t *places = calloc(np ? np : 1, sizeof *places);
    pm_map_tie_t *ties = calloc(nt ? nt : 1, sizeof *ties);
    if (!places || !ties) {
        free(places);
        free(ties);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    size_t p = 0, t = 0;
    const pm_batch_job_t *first = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].prepared)
            continue;
        first = first ? first : &jobs[i];
        const pm_map_t *m = &jobs[i].data.map;
        int same_fill = fill && jobs[i].map_sel.fill && !strcmp(fill, jobs[i].map_sel.fill);
        for (size_t k = 0; k < m->n_places; k++) {
            places[p + k] = m->places[k];
            if (!same_fill)
                places[p + k].fill = NAN;
        }
        for (size_t k = 0; k < m->n_ties; k++) {
            ties[t + k] = m->ties[k];
            ties[t + k].from += p;
            ties[t + k].to += p;
        }
        p += m->n_places;
        t += m->n_ties;
    }
    pm_status_t st = PM_OK;
    if (first) {
        pm_map_t all = first->data.map;
        all.places = places;
        all.n_places = np;
        all.ties = ties;
        all.n_ties = nt;
        pm_map_opts_t o = first->map;
        o.shared = NULL;
        o.shared_mask = 0;
        /* the inset, when any job asks for one: one box and size for every job that does,
         * decided over all jobs' places (the first job's request that is not none) */
        for (size_t i = 0; i < n && o.inset == PM_INSET_NONE; i++)
            if (jobs[i].prepared && jobs[i].map.inset != PM_INSET_NONE) {
                o.inset = jobs[i].map.inset;
                memcpy(o.inset_box, jobs[i].map.inset_box, sizeof o.inset_box);
            }
        st = pm_render_compute_scales(&all, &o, out, err);
    }
    free(places);
    free(ties);
    return st;
}

/* Under shared scales the fill legend of every job says whose classes it uses: "classes shared
 * by all 12 runs", "by 3 of 12 runs" (the others colour by another metric), or "classes of this
 * run only" (a job colouring by another metric than the first job's). */
static void say_shared(pm_batch_job_t *jobs, size_t n)
{
    size_t prepared = 0, sharing = 0;
    for (size_t i = 0; i < n; i++) {
        prepared += jobs[i].prepared;
        sharing += jobs[i].prepared && (jobs[i].map.shared_mask & PM_SCALE_BREAKS);
    }
    for (size_t i = 0; i < n; i++) {
        pm_batch_job_t *j = &jobs[i];
        pm_map_opts_t *mo = &j->map;
        if (!j->prepared || !mo->fill_title || prepared < 2)
            continue;
        char whom[64];
        if (!(mo->shared_mask & PM_SCALE_BREAKS))
            snprintf(whom, sizeof whom, "classes of this run only");
        else if (prepared == 2 && sharing == 2)
            snprintf(whom, sizeof whom, "classes shared by both runs");
        else if (sharing == prepared)
            snprintf(whom, sizeof whom, "classes shared by all %zu runs", prepared);
        else
            snprintf(whom, sizeof whom, "classes shared by %zu of %zu runs", sharing, prepared);
        snprintf(j->fill_title, sizeof j->fill_title, "%s\n%s", mo->fill_title, whom);
        mo->fill_title = j->fill_title;
    }
}

/* One map frame for all jobs: each job's legend is measured with the shared scales; the legend
 * goes below the map in every figure when it must in one, and the frame takes the smallest size
 * any job leaves it. Then every figure has the same frame, extent and scale, and a PNG basemap
 * drawn once serves them all. */
static pm_status_t shared_layout(pm_batch_job_t *jobs, size_t n, pm_map_scales_t *scales,
                                 pm_error_t *err)
{
    int bottom = 0, any = 0;
    double fw = 0, fh = 0;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].prepared)
            continue;
        pm_map_scales_t own;
        pm_map_scales_init(&own);
        pm_status_t st = pm_render_compute_scales(&jobs[i].data.map, &jobs[i].map, &own, err);
        if (!st) {
            bottom |= own.legend_bottom;
            fw = any ? fmin(fw, own.frame_w) : own.frame_w;
            fh = any ? fmin(fh, own.frame_h) : own.frame_h;
            any = 1;
        }
        pm_map_scales_destroy(&own);
        if (st)
            return st;
    }
    scales->legend_bottom = bottom;
    scales->frame_w = fw;
    scales->frame_h = fh;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].prepared)
            jobs[i].map.shared_mask |= PM_SCALE_LAYOUT;
    return PM_OK;
}

static char *scales_text(const pm_map_scales_t *s)
{
    pm_buf_t b;
    pm_buf_init(&b);
    pm_buf_printf(&b, "%s|%.17g|%.17g|%.17g|%.17g|%zu", s->crs ? s->crs : "", s->x0, s->y0, s->x1,
                  s->y1, s->n_classes);
    for (size_t i = 0; i <= s->n_classes && i <= PM_CLASSIFY_MAX; i++)
        pm_buf_printf(&b, "|%.17g", s->breaks[i]);
    pm_buf_printf(&b, "|%.17g|%.17g|%.17g|%.17g|%.17g|%d|%.17g|%.17g|%d", s->weight_max,
                  s->width_max_pt, s->width_min_pt, s->size_max, s->radius_max_pt, s->legend_bottom,
                  s->frame_w, s->frame_h, s->fill_integer);
    if (s->has_inset)
        pm_buf_printf(&b, "|inset|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g", s->inset_box[0],
                      s->inset_box[1], s->inset_box[2], s->inset_box[3], s->inset_w, s->inset_h);
    return pm_buf_take(&b);
}

pm_status_t pm_batch_share(pm_batch_job_t *jobs, size_t n, pm_map_scales_t *scales,
                           char **scales_text_out, pm_error_t *err)
{
    const char *fill = NULL;
    for (size_t i = 0; i < n && !fill; i++)
        if (jobs[i].prepared)
            fill = jobs[i].map_sel.fill;
    pm_status_t st = shared_scales(jobs, n, fill, scales, err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].prepared)
            continue;
        jobs[i].map.shared = scales;
        jobs[i].map.shared_mask = PM_SCALE_EXTENT | PM_SCALE_WIDTH | PM_SCALE_SIZE;
        if (jobs[i].map.inset != PM_INSET_NONE)
            jobs[i].map.shared_mask |= PM_SCALE_INSET;
        if (fill && jobs[i].map_sel.fill && !strcmp(fill, jobs[i].map_sel.fill))
            jobs[i].map.shared_mask |= PM_SCALE_BREAKS;
    }
    say_shared(jobs, n);
    if ((st = shared_layout(jobs, n, scales, err)))
        return st;
    *scales_text_out = scales_text(scales);
    return *scales_text_out ? PM_OK : pm_error_set(err, PM_ENOMEM, "out of memory");
}

/* ---- hashes -----------------------------------------------------------------------------------
 */

pm_status_t pm_batch_job_hash(pm_batch_job_t *j, const pm_batch_run_t *spec, const char *scales,
                              const pm_batch_figures_t *f, pm_error_t *err)
{
    pm_buf_t b;
    pm_buf_init(&b);
    pm_buf_printf(&b, "%s|%s|%d%d%d\x1f%s", pm_runtime_version(), scales ? scales : "independent",
                  f->png, f->svg, f->pdf, j->options_key ? j->options_key : "");
    if (pm_buf_failed(&b)) {
        pm_buf_destroy(&b);
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    }
    free(j->hash);
    j->hash = NULL;
    pm_status_t st = pm_batch_run_hash(spec, pm_buf_str(&b), &j->hash, err);
    pm_buf_destroy(&b);
    return st;
}

int pm_batch_job_unchanged(const pm_batch_job_t *j)
{
    if (!j->hash || pm_table_is_database(j->ties))
        return 0; /* a database table has no bytes to hash: its runs are always redone */
    char file[4200], *old = NULL;
    size_t len;
    snprintf(file, sizeof file, "%s/.partnermap-hash", j->dir);
    if (pm_io_read_all(file, &old, &len, NULL))
        return 0;
    int same = !strcmp(old, j->hash);
    free(old);
    return same;
}

/* ---- one run's files ------------------------------------------------------------------------ */

static pm_status_t write_text(const pm_batch_job_t *j, const char *name, const pm_buf_t *b,
                              pm_error_t *err)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/%s", j->dir, name);
    if (pm_buf_failed(b))
        return pm_error_set(err, PM_ENOMEM, "out of memory");
    return pm_io_write_atomic(file, pm_buf_str(b), b->len, err);
}

static pm_status_t write_text_raw(const pm_batch_job_t *j, const char *hash, pm_error_t *err)
{
    char file[4200];
    snprintf(file, sizeof file, "%s/.partnermap-hash", j->dir);
    return pm_io_write_atomic(file, hash, strlen(hash), err);
}

static pm_status_t write_files(pm_batch_job_t *j, const pm_batch_figures_t *f, pm_error_t *err)
{
    char paths[3][4200];
    const char *outs[3];
    size_t n = 0;
    const char *ext[3] = {f->png ? "png" : NULL, f->svg ? "svg" : NULL, f->pdf ? "pdf" : NULL};
    for (int k = 0; k < 3; k++)
        if (ext[k]) {
            snprintf(paths[n], sizeof paths[n], "%s/map.%s", j->dir, ext[k]);
            outs[n] = paths[n];
            n++;
        }
    pm_status_t st = pm_io_mkdirs(j->dir, err);
    if (!st && n && !j->own_figure)
        st = f->renderer
                 ? pm_renderer_draw(f->renderer, &j->data.map, &j->map, outs, n, &j->diag, err)
                 : pm_render_map(&j->data.map, &j->map, outs, n, &j->diag, err);
    const pm_spatial_t *sp = NULL;
    if (!st)
        st = pm_net_map_spatial(&j->net, &j->data, &sp, err);
    pm_buf_t b;
    pm_buf_init(&b);
    pm_net_report_view_t v = {PM_FMT_CSV, NULL, 0, 0, 0, j->name};
    if (!st && !(st = pm_net_report_write(&j->net, &j->net_opts.metrics, sp, &v, &b, err)))
        st = write_text(j, "stats.csv", &b, err);
    pm_buf_reset(&b);
    v.summary_only = 1;
    if (!st && !(st = pm_net_report_write(&j->net, &j->net_opts.metrics, sp, &v, &b, err)))
        st = write_text(j, "summary.csv", &b, err);
    pm_buf_reset(&b);
    if (!st && !(st = pm_join_report(&j->net.join, PM_JOIN_REPORT_CSV, &b, err)))
        st = write_text(j, "join.csv", &b, err);
    pm_buf_reset(&b);
    if (!st && j->extra_name) {
        pm_buf_append(&b, j->extra_data, j->extra_len);
        st = write_text(j, j->extra_name, &b, err);
        pm_buf_reset(&b);
    }
    if (!st) {
        for (size_t i = 0; i < j->diag.n; i++)
            pm_buf_printf(&b, "warning: %s%s%s\n", j->diag.items[i].where,
                          j->diag.items[i].where[0] ? ": " : "", j->diag.items[i].msg);
        st = write_text(j, "warnings.txt", &b, err);
    }
    pm_buf_destroy(&b);
    /* the hash last: it says every output above is complete */
    if (!st && j->hash)
        st = write_text_raw(j, j->hash, err);
    return st;
}

pm_status_t pm_batch_job_write(pm_batch_job_t *j, const pm_batch_figures_t *f, pm_error_t *err)
{
    if (!j->prepared)
        return pm_error_set(err, PM_EUSAGE, "run '%s' is not loaded", j->name);
    pm_status_t st = write_files(j, f, err);
    if (st)
        pm_io_remove_temps(j->dir);
    return st;
}

void pm_batch_job_draw(pm_batch_job_t *j, const pm_batch_figures_t *f)
{
    pm_error_t e;
    pm_error_clear(&e);
    if (pm_batch_job_write(j, f, &e))
        pm_batch_job_fail(j, "%s", e.msg);
    else
        j->status = PM_BATCH_OK;
}

/* Runs pending job j here: the run callback, or pm_batch_job_write. */
static void run_here(pm_batch_job_t *j, const pm_batch_figures_t *f, const pm_batch_callbacks_t *cb)
{
    if (!cb || !cb->run) {
        pm_batch_job_draw(j, f);
        return;
    }
    pm_error_t e;
    pm_error_clear(&e);
    if (cb->run(j, f, cb->ctx, &e))
        pm_batch_job_fail(j, "%s", e.msg);
    else
        j->status = PM_BATCH_OK;
}

static int stopped(const pm_batch_callbacks_t *cb)
{
    return cb && cb->stop && cb->stop(cb->ctx);
}

/* Where the engine is: jobs done of total (this shard's), jobs running elsewhere. */
typedef struct progress {
    size_t done, total, running;
    size_t *n_failed;
} progress_t;

static void job_done(progress_t *p, const pm_batch_job_t *j, const pm_batch_callbacks_t *cb)
{
    *p->n_failed += j->status == PM_BATCH_FAILED;
    p->done++;
    if (cb && cb->progress)
        cb->progress(p->done, p->total, j->name, cb->ctx);
}

/* Starts (or runs here) pending job j; 1 when it runs elsewhere, 0 when it is done. */
static int start_job(pm_batch_job_t *j, const pm_batch_figures_t *f, const pm_batch_callbacks_t *cb)
{
    pm_error_t e;
    if (pm_io_mkdirs(j->dir, &e)) {
        pm_batch_job_fail(j, "%s", e.msg);
        return 0;
    }
    int r = cb && cb->start && cb->wait ? cb->start(j, f, cb->ctx) : 0;
    if (r == 0)
        run_here(j, f, cb);
    return r > 0;
}

void pm_batch_run_jobs(pm_batch_job_t *jobs, size_t n, const pm_batch_figures_t *f,
                       const pm_batch_callbacks_t *cb, size_t *n_failed)
{
    progress_t p = {0, 0, 0, n_failed};
    size_t max = cb && cb->max_running ? cb->max_running : 1, next = 0;
    *n_failed = 0;
    for (size_t i = 0; i < n; i++)
        p.total += !jobs[i].other_shard;
    for (size_t i = 0; cb && cb->first_here && i < n && !stopped(cb); i++)
        if (!jobs[i].other_shard && jobs[i].status == PM_BATCH_PENDING) {
            run_here(&jobs[i], f, cb);
            break;
        }
    for (;;) {
        while (!stopped(cb) && p.running < max && next < n) {
            pm_batch_job_t *j = &jobs[next++];
            if (j->other_shard)
                continue;
            if (j->status == PM_BATCH_PENDING && start_job(j, f, cb))
                p.running++;
            else
                job_done(&p, j, cb);
        }
        if (p.running == 0)
            break;
        pm_batch_job_t *ended = NULL;
        int w = cb->wait(&ended, cb->ctx);
        if (w < 0)
            break;
        if (w > 0 && ended) {
            p.running--;
            job_done(&p, ended, cb);
        }
    }
}
