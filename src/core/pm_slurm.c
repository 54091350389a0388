/*
 * pm_slurm: the job scripts of a sharded command on a Slurm cluster, the shard of an array task,
 * and the memory a task asks for (see pm_slurm.h).
 *
 * The scripts are bash: every word of a command is written inside double quotes with \ " $ `
 * escaped, so a path or a --where value with blanks, quotes or dollars reaches partnermap as it
 * was given; only the placeholders that the array task fills in become ${SLURM_...} there.
 * Lines that Slurm reads itself (#SBATCH) hold no quotes inside a value, so a path that would
 * need them is refused rather than written wrong.
 */
#include "pm_slurm.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_batch.h"
#include "pm_buf.h"

/* ---- kinds ------------------------------------------------------------------------------------
 */

/* batch: base_mb is the peak resident memory of the main process of `partnermap batch` over the
 * seven sample runs of tests/cli/slurm.sh with PNG figures (118 MB: the geometry, the basemap
 * and the loaded runs), worker_mb the peak of one forked worker drawing a run (68 MB, pages
 * shared with the main process counted, as Slurm's process accounting counts them); summed
 * over the processes 167 MB at -j 1, 233 MB at -j 2. Measured on Debian 12; docs/guide.md,
 * "Sizing". */
/* stats --uncertainty: shard K writes its replicates' values to {OUT}/shard-K.pmu, the merge
 * reads them all and writes the report to {OUT}/uncertainty.txt (in the --format given). Measured
 * on the bench's medium workload (1,539 places, 2,000 ties, every metric), Debian 12: a shard of
 * 250 replicates (1,000 in 4 shards) peaks at 88 MB with -j 1 or -j 2 (a thread adds about
 * 1 MB), of which about 50 MB is the program with the table loaded and about 0.15 MB each
 * replicate's values; the merge holds every replicate's values: 69 MB measured for 200
 * replicates, so about 200 MB for 1,000 (taken as merge_mb). The values grow with the
 * replicates and the places: docs/guide.md, "Sizing". */
static const pm_slurm_kind_t kinds[] = {
    {"batch", NULL, "batch --shard {K}/{N} -j {CPUS} -o {SHARD} {ARGS}",
     "batch --merge -o {OUT} {SHARDS}", 120, 70, 0},
    {"stats", "--uncertainty", "stats --shard {K}/{N} -j {CPUS} -o {SHARD}.pmu {ARGS}",
     "stats --merge={SHARDS}.pmu -o {OUT}/uncertainty.txt {ARGS}", 88, 4, 200},
};

static int is_option(const char *arg, const char *opt);

const pm_slurm_kind_t *pm_slurm_kind_find(char *const *argv, size_t argc)
{
    if (!argc)
        return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(argv[0], kinds[i].command))
            continue;
        if (!kinds[i].needs)
            return &kinds[i];
        for (size_t a = 1; a < argc && strcmp(argv[a], "--"); a++)
            if (is_option(argv[a], kinds[i].needs))
                return &kinds[i];
    }
    return NULL;
}

long pm_slurm_mem_mb(const pm_slurm_kind_t *kind, int cpus)
{
    if (!kind)
        kind = &kinds[0];
    long mb = (3L * (kind->base_mb + (long)(cpus > 0 ? cpus : 1) * kind->worker_mb) + 1) / 2;
    return (mb + 63) / 64 * 64;
}

long pm_slurm_merge_mem_mb(const pm_slurm_kind_t *kind)
{
    if (!kind || !kind->merge_mb)
        return pm_slurm_mem_mb(kind, 1);
    long mb = (3L * kind->merge_mb + 1) / 2;
    return (mb + 63) / 64 * 64;
}

/* ---- options in the user's arguments ----------------------------------------------------------
 */

/* 1 when arg gives option opt ("-o" or "--output"): "-o", "-oDIR", "--output", "--output=DIR",
 * or an abbreviation getopt_long would take ("--out"). */
static int is_option(const char *arg, const char *opt)
{
    if (opt[0] != '-' || arg[0] != '-')
        return 0;
    if (opt[1] != '-') /* short */
        return arg[1] == opt[1] && arg[1] != '-';
    if (arg[1] != '-' || !arg[2])
        return 0;
    size_t n = strcspn(arg, "=");
    return n <= strlen(opt) && !strncmp(arg, opt, n);
}

/* The option a template word sets ("-o", "--shard", "--threads" of "--threads={CPUS}"), into
 * name; 0 when the word is not an option. */
static int template_option(const char *word, char *name, size_t size)
{
    if (word[0] != '-' || !word[1] || !strcmp(word, "--"))
        return 0;
    size_t n = strcspn(word, "=");
    if (word[1] != '-')
        n = 2; /* "-j{CPUS}" sets -j */
    if (n >= size)
        n = size - 1;
    memcpy(name, word, n);
    name[n] = '\0';
    return 1;
}

/* partnermap's options that have a short and a long name: a template that sets one sets both */
static const char *const aliases[][2] = {{"-o", "--output"}, {"-j", "--jobs"}};

/* The other name of opt, or NULL. */
static const char *alias_of(const char *opt)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        for (int k = 0; k < 2; k++)
            if (!strcmp(opt, aliases[i][k]))
                return aliases[i][1 - k];
    return NULL;
}

/* Refuses an argument that gives an option the template sets itself. */
static pm_status_t check_args(char *const *tpl, size_t n_tpl, const char *what, char *const *argv,
                              size_t argc, pm_error_t *err)
{
    char opt[64];
    for (size_t t = 0; t < n_tpl; t++) {
        if (!template_option(tpl[t], opt, sizeof opt))
            continue;
        const char *alias = alias_of(opt);
        for (size_t a = 1; a < argc && strcmp(argv[a], "--"); a++)
            if (is_option(argv[a], opt) || (alias && is_option(argv[a], alias)))
                return pm_error_set(
                    err, PM_EUSAGE,
                    "'%s' in the command: each shard's %s is set by the %s template (%s); "
                    "leave it out (the result folder is slurm's -o, the workers its "
                    "--cpus-per-task)",
                    argv[a], opt, what, tpl[t]);
    }
    return PM_OK;
}

/* ---- writing ------------------------------------------------------------------------------------
 */

/* s inside a double-quoted bash word */
static void put_quoted(pm_buf_t *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\\"$`", s[i]))
            pm_buf_putc(b, '\\');
        pm_buf_putc(b, s[i]);
    }
}

static void put_word(pm_buf_t *b, const char *s)
{
    pm_buf_putc(b, ' ');
    pm_buf_putc(b, '"');
    put_quoted(b, s, strlen(s));
    pm_buf_putc(b, '"');
}

typedef struct expand {
    const pm_slurm_job_t *job;
    int merge; /* expanding the merge template */
} expand_t;

/* One template word, placeholders filled in, as one bash word. */
static pm_status_t put_template_word(pm_buf_t *b, const char *w, const expand_t *x, pm_error_t *err)
{
    const char *what = x->merge ? "merge" : "shard";
    const pm_slurm_job_t *j = x->job;
    if (!strcmp(w, "{ARGS}")) {
        for (size_t i = 1; i < j->argc; i++)
            put_word(b, j->argv[i]);
        return PM_OK;
    }
    const char *all = strstr(w, "{SHARDS}");
    if (all && !x->merge)
        return pm_error_set(err, PM_EUSAGE,
                            "{SHARDS} in the shard template ('%s'): it names "
                            "every shard's folder, for the merge",
                            w);
    if (all && strstr(all + 1, "{SHARDS}"))
        return pm_error_set(err, PM_EUSAGE, "'%s' in the merge template: one {SHARDS} a word", w);
    pm_buf_puts(b, " \"");
    for (const char *p = w; *p;) {
        const char *open = strchr(p, '{');
        if (!open) {
            put_quoted(b, p, strlen(p));
            break;
        }
        put_quoted(b, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        size_t n = close ? (size_t)(close - open + 1) : strlen(open);
        if (n == 3 && !strncmp(open, "{K}", 3)) {
            if (x->merge)
                return pm_error_set(err, PM_EUSAGE,
                                    "{K} in the merge template: the merge is one job, not a "
                                    "shard; use {SHARDS}");
            pm_buf_puts(b, "${SLURM_ARRAY_TASK_ID}");
        } else if (n == 3 && !strncmp(open, "{N}", 3)) {
            pm_buf_printf(b, "%d", j->shards);
        } else if (n == 6 && !strncmp(open, "{CPUS}", 6)) {
            pm_buf_puts(b, "${SLURM_CPUS_PER_TASK}");
        } else if (n == 5 && !strncmp(open, "{OUT}", 5)) {
            put_quoted(b, j->out, strlen(j->out));
        } else if (n == 8 && !strncmp(open, "{SHARDS}", 8)) {
            /* bash's brace expansion, outside the quotes: "OUT/shard-"{1..N}"REST", a word for
             * every shard whether its folder exists or not, so the merge says which is missing */
            put_quoted(b, j->out, strlen(j->out));
            pm_buf_printf(b, "/shard-\"{1..%d}", j->shards);
            if (!close[1])
                return PM_OK; /* nothing after it: no quotes to reopen */
            pm_buf_putc(b, '"');
        } else if (n == 7 && !strncmp(open, "{SHARD}", 7) && !x->merge) {
            put_quoted(b, j->out, strlen(j->out));
            pm_buf_puts(b, "/shard-${SLURM_ARRAY_TASK_ID}");
        } else {
            return pm_error_set(err, PM_EUSAGE,
                                "'%.*s' in the %s template ('%s'): use {K}, {N}, {CPUS}, "
                                "{OUT}, %s, and {ARGS} as a whole word",
                                (int)(n > 40 ? 40 : n), open, what, w,
                                x->merge ? "{SHARDS}" : "{SHARD}");
        }
        p = open + n;
    }
    pm_buf_putc(b, '"');
    return PM_OK;
}

/* A path for an #SBATCH line, which Slurm splits itself: no quotes, backslashes, '%' (its
 * patterns) or line breaks. */
static pm_status_t check_sbatch_path(const char *what, const char *path, pm_error_t *err)
{
    if (strpbrk(path, "\"'\\%\n\r"))
        return pm_error_set(err, PM_EUSAGE,
                            "%s '%s' holds a quote, backslash, '%%' or line break, which "
                            "Slurm's #SBATCH lines cannot hold; use another folder",
                            what, path);
    return PM_OK;
}

/* A name for an #SBATCH line (partition, account): Slurm's names are letters, digits and
 * _ . - (partitions: a comma-separated list), and anything else would be read as more options. */
static pm_status_t check_sbatch_name(const char *what, const char *s, pm_error_t *err)
{
    if (!s)
        return PM_OK;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_.,-", *p)))
            return pm_error_set(err, PM_EUSAGE,
                                "%s '%s': a Slurm name has letters, digits, '_', '.' and '-' "
                                "(a list of partitions: commas)",
                                what, s);
    if (!*s)
        return pm_error_set(err, PM_EUSAGE, "%s is empty", what);
    return PM_OK;
}

/* The #SBATCH lines both scripts share (after the job name). */
static void put_common(pm_buf_t *b, const pm_slurm_job_t *j, int cpus, long mem_mb)
{
    pm_buf_printf(b, "#SBATCH --cpus-per-task=%d\n#SBATCH --mem=%ldM\n", cpus, mem_mb);
    if (j->time)
        pm_buf_printf(b, "#SBATCH --time=%s\n", j->time);
    if (j->partition)
        pm_buf_printf(b, "#SBATCH --partition=%s\n", j->partition);
    if (j->account)
        pm_buf_printf(b, "#SBATCH --account=%s\n", j->account);
    pm_buf_printf(b, "#SBATCH --chdir=\"%s\"\n", j->workdir);
}

/* The log folder: OUT/slurm, absolute. */
static void put_log(pm_buf_t *b, const pm_slurm_job_t *j, const char *name)
{
    pm_buf_puts(b, "#SBATCH --output=\"");
    if (j->out[0] != '/')
        pm_buf_printf(b, "%s/", j->workdir);
    pm_buf_printf(b, "%s/slurm/%s\"\n", j->out, name);
}

static void put_header(pm_buf_t *b, const pm_slurm_job_t *j, const char *what)
{
    pm_buf_printf(b, "#!/bin/bash\n# %s, written by partnermap slurm:\n#   ", what);
    for (const char *p = j->origin ? j->origin : "partnermap slurm"; *p; p++) {
        pm_buf_putc(b, *p);
        if (*p == '\n')
            pm_buf_puts(b, "#   ");
    }
    pm_buf_putc(b, '\n');
}

static pm_status_t put_command(pm_buf_t *b, const pm_slurm_job_t *j, const char *tpl, int merge,
                               pm_error_t *err)
{
    char **words = NULL;
    size_t n = 0;
    pm_status_t st = pm_batch_split_words(tpl, &words, &n, err);
    if (st) {
        char why[PM_ERROR_MSG_MAX];
        snprintf(why, sizeof why, "%s", err->msg);
        st = pm_error_set(err, PM_EUSAGE, "the %s template '%s': %s", merge ? "merge" : "shard",
                          tpl, why);
        goto cleanup;
    }
    if (!n) {
        st = pm_error_set(err, PM_EUSAGE, "the %s template is empty", merge ? "merge" : "shard");
        goto cleanup;
    }
    if ((st = check_args(words, n, merge ? "merge" : "shard", j->argv, j->argc, err)))
        goto cleanup;
    pm_buf_puts(b, "exec \"");
    put_quoted(b, j->program, strlen(j->program));
    pm_buf_putc(b, '"');
    expand_t x = {j, merge};
    for (size_t i = 0; i < n && !st; i++)
        st = put_template_word(b, words[i], &x, err);
    pm_buf_putc(b, '\n');
cleanup:
    pm_strv_free(words, n);
    return st;
}

pm_status_t pm_slurm_scripts(const pm_slurm_job_t *j, char **shards_out, char **merge_out,
                             pm_error_t *err)
{
    pm_buf_t s, m;
    pm_buf_init(&s);
    pm_buf_init(&m);
    pm_status_t st = PM_OK;
    const pm_slurm_kind_t *kind = pm_slurm_kind_find(j->argv, j->argc);
    if (j->shards < 1 || j->shards > PM_SLURM_MAX_SHARDS) {
        st =
            pm_error_set(err, PM_EUSAGE, "%d shards: give 1 to %d", j->shards, PM_SLURM_MAX_SHARDS);
        goto cleanup;
    }
    if (!j->argc) {
        st = pm_error_set(err, PM_EUSAGE, "no command to shard");
        goto cleanup;
    }
    const char *shard_tpl = j->shard_tpl ? j->shard_tpl : kind ? kind->shard : NULL;
    const char *merge_tpl = j->merge_tpl ? j->merge_tpl : kind ? kind->merge : NULL;
    if (!shard_tpl || !merge_tpl) {
        const char *needed = NULL;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (!strcmp(j->argv[0], kinds[i].command) && kinds[i].needs)
                needed = kinds[i].needs;
        if (needed && !j->shard_tpl && !j->merge_tpl)
            st = pm_error_set(err, PM_EUSAGE, "'%s' is sharded with %s only", j->argv[0], needed);
        else
            st = pm_error_set(err, PM_EUSAGE,
                              "no %s template%s for '%s': give --shard-template and "
                              "--merge-template",
                              shard_tpl   ? "merge"
                              : merge_tpl ? "shard"
                                          : "shard and merge",
                              shard_tpl || merge_tpl ? "" : "s", j->argv[0]);
        goto cleanup;
    }
    if ((st = check_sbatch_path("the working folder", j->workdir, err)) ||
        (st = check_sbatch_path("the result folder", j->out, err)) ||
        (st = check_sbatch_name("--partition", j->partition, err)) ||
        (st = check_sbatch_name("--account", j->account, err)))
        goto cleanup;

    put_header(&s, j, "The shards of a partnermap run on a Slurm cluster");
    pm_buf_printf(&s,
                  "# Array task K (1..%d) runs shard K/%d and writes to %s/shard-K; the job in\n"
                  "# merge.sbatch, submitted to run after all of them succeed, joins them in %s.\n"
                  "#   submit: id=$(sbatch --parsable shards.sbatch) &&\n"
                  "#           sbatch --dependency=afterok:$id merge.sbatch\n"
                  "#           (partnermap slurm --submit does both)\n"
                  "#   watch:  squeue -j ID; sacct -j ID; logs in %s/slurm/\n"
                  "#   rerun:  submit both again: what a shard finished is skipped (batch: its\n"
                  "#           runs, by content hash; stats --uncertainty: a complete shard\n"
                  "#           file of the same run); or only the failed tasks:\n"
                  "#           sbatch --array=3,7 shards.sbatch, then the merge\n",
                  j->shards, j->shards, j->out, j->out, j->out);
    pm_buf_printf(&s, "#SBATCH --job-name=partnermap-%s\n#SBATCH --array=1-%d\n", j->argv[0],
                  j->shards);
    put_common(&s, j, j->cpus, j->mem_mb);
    put_log(&s, j, "shard-%a-job%A.log");
    pm_buf_puts(&s, "set -eu\n");
    if ((st = put_command(&s, j, shard_tpl, 0, err)))
        goto cleanup;

    put_header(&m, j, "The merge of a partnermap run's shards on a Slurm cluster");
    pm_buf_printf(&m,
                  "# Submit it to run after the shards succeed (sbatch --dependency=afterok:ID\n"
                  "# merge.sbatch); when a shard fails Slurm cancels it rather than keep it\n"
                  "# waiting. It joins %s/shard-1 .. %s/shard-%d in %s.\n",
                  j->out, j->out, j->shards, j->out);
    pm_buf_printf(&m, "#SBATCH --job-name=partnermap-%s-merge\n#SBATCH --kill-on-invalid-dep=yes\n",
                  j->argv[0]);
    put_common(&m, j, 1, j->merge_mem_mb);
    put_log(&m, j, "merge-job%j.log");
    pm_buf_puts(&m, "set -eu\n");
    if ((st = put_command(&m, j, merge_tpl, 1, err)))
        goto cleanup;
    if (pm_buf_failed(&s) || pm_buf_failed(&m)) {
        st = pm_error_set(err, PM_ENOMEM, "out of memory");
        goto cleanup;
    }
    *shards_out = pm_buf_take(&s);
    *merge_out = pm_buf_take(&m);
cleanup:
    pm_buf_destroy(&s);
    pm_buf_destroy(&m);
    return st;
}

/* ---- the array task's shard -------------------------------------------------------------------
 */

static int parse_count(const char *s, long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0 || v > INT_MAX)
        return -1;
    *out = v;
    return 0;
}

pm_status_t pm_slurm_array_shard(const char *id, const char *min, const char *max,
                                 const char *count, const char *step, char *spec, size_t size,
                                 pm_error_t *err)
{
    long i, lo, hi, n, by = 1;
    spec[0] = '\0';
    if (!id)
        return PM_OK;
    if (parse_count(id, &i) || parse_count(min, &lo) || parse_count(max, &hi) ||
        parse_count(count, &n) || (step && parse_count(step, &by)))
        return pm_error_set(err, PM_EUSAGE,
                            "SLURM_ARRAY_TASK_ID is set but the array's ID, MIN, MAX, COUNT "
                            "and STEP ('%s', '%s', '%s', '%s', '%s') are not all numbers; "
                            "give --shard K/N",
                            id, min ? min : "", max ? max : "", count ? count : "",
                            step ? step : "1");
    if (by < 1 || n < 1 || i < lo || i > hi || (i - lo) % by || lo + (n - 1) * by != hi)
        return pm_error_set(err, PM_EUSAGE,
                            "array task %ld of %ld..%ld (%ld tasks, step %ld) is not one of an "
                            "evenly spaced array, so its shard is unclear (an array such as "
                            "1,3,4): give --shard K/N",
                            i, lo, hi, n, by);
    pm_snprintf_c(spec, size, "%ld/%ld", (i - lo) / by + 1, n);
    return PM_OK;
}

/* ---- option values ----------------------------------------------------------------------------
 */

pm_status_t pm_slurm_parse_mem(const char *s, long *mb_out, pm_error_t *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    long div = 1, mul = 1;
    if (*end && !end[1]) {
        switch (*end) {
        case 'K':
        case 'k':
            div = 1024;
            break;
        case 'M':
        case 'm':
            break;
        case 'G':
        case 'g':
            mul = 1024;
            break;
        case 'T':
        case 't':
            mul = 1024L * 1024;
            break;
        default:
            end = NULL;
        }
        if (end)
            end++;
    }
    if (errno || end == s || !end || *end || v < 1 || v > LONG_MAX / (1024L * 1024 * 1024))
        return pm_error_set(err, PM_EUSAGE,
                            "--mem '%s': give a size such as 4G or 500M (sbatch's --mem)", s);
    *mb_out = (v * mul + div - 1) / div;
    return PM_OK;
}

/* n whole numbers separated by sep[0], sep[1], ...; 0 when s is exactly that */
static int time_fields(const char *s, const char *seps)
{
    for (;;) {
        if (*s < '0' || *s > '9')
            return -1;
        while (*s >= '0' && *s <= '9')
            s++;
        if (!*seps)
            return *s ? -1 : 0;
        if (!*s)
            return 0;
        if (*s != *seps)
            return -1;
        s++;
        seps++;
    }
}

pm_status_t pm_slurm_check_time(const char *s, pm_error_t *err)
{
    int ok = strchr(s, '-') ? !time_fields(s, "-::") : !time_fields(s, "::");
    if (!ok || !*s)
        return pm_error_set(err, PM_EUSAGE,
                            "--time '%s': give minutes, HH:MM:SS or D-HH:MM:SS (sbatch's --time)",
                            s);
    return PM_OK;
}
