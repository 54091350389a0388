/*
 * test_slurm: the Slurm job scripts of a sharded command (templates filled in, words quoted so
 * bash gives them back as written, the options a template sets refused in the arguments, bad
 * templates and paths refused), the shard of an array task (evenly spaced arrays only), the
 * memory rule, and the --mem and --time values sbatch takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm_slurm.h"
#include "pm_test.h"

static pm_slurm_job_t job_of(char **argv, size_t argc)
{
    pm_slurm_job_t j;
    memset(&j, 0, sizeof j);
    j.program = "/opt/pm/bin/partnermap";
    j.workdir = "/home/h/study";
    j.out = "results";
    j.argv = argv;
    j.argc = argc;
    j.shards = 4;
    j.cpus = 2;
    j.mem_mb = 448;
    j.merge_mem_mb = 320;
    j.origin = "partnermap slurm -o results --shards 4 -- batch runs.csv";
    return j;
}

/* the line of s that starts with prefix (a static copy), or "" */
static const char *line_of(const char *s, const char *prefix)
{
    static char line[4096];
    line[0] = '\0';
    for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, prefix, strlen(prefix))) {
            size_t n = strcspn(p, "\n");
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            break;
        }
    return line;
}

static void test_batch_scripts(void)
{
    char *argv[] = {
        "batch", "--where", "type=twin city", "--title", "Sister \"cities\" $HOME `x`", "runs.csv"};
    pm_slurm_job_t j = job_of(argv, 6);
    j.time = "1-00:00:00";
    j.partition = "short";
    char *s = NULL, *m = NULL;
    pm_error_t err;
    CHECK(pm_slurm_scripts(&j, &s, &m, &err) == PM_OK);
    CHECK(s && !strncmp(s, "#!/bin/bash\n", 12));
    CHECK_STR(line_of(s, "#SBATCH --array"), "#SBATCH --array=1-4");
    CHECK_STR(line_of(s, "#SBATCH --cpus"), "#SBATCH --cpus-per-task=2");
    CHECK_STR(line_of(s, "#SBATCH --mem"), "#SBATCH --mem=448M");
    CHECK_STR(line_of(s, "#SBATCH --time"), "#SBATCH --time=1-00:00:00");
    CHECK_STR(line_of(s, "#SBATCH --partition"), "#SBATCH --partition=short");
    CHECK_STR(line_of(s, "#SBATCH --account"), ""); /* not given: the user's default */
    CHECK_STR(line_of(s, "#SBATCH --chdir"), "#SBATCH --chdir=\"/home/h/study\"");
    CHECK_STR(line_of(s, "#SBATCH --output"),
              "#SBATCH --output=\"/home/h/study/results/slurm/shard-%a-job%A.log\"");
    CHECK_STR(line_of(s, "exec "),
              "exec \"/opt/pm/bin/partnermap\" \"batch\" \"--shard\" "
              "\"${SLURM_ARRAY_TASK_ID}/4\" \"-j\" \"${SLURM_CPUS_PER_TASK}\" \"-o\" "
              "\"results/shard-${SLURM_ARRAY_TASK_ID}\" \"--where\" \"type=twin city\" "
              "\"--title\" \"Sister \\\"cities\\\" \\$HOME \\`x\\`\" \"runs.csv\"");
    /* the merge: after the array, cancelled when a shard fails, every shard's folder */
    CHECK_STR(line_of(m, "#SBATCH --kill-on-invalid-dep"), "#SBATCH --kill-on-invalid-dep=yes");
    CHECK_STR(line_of(m, "#SBATCH --cpus"), "#SBATCH --cpus-per-task=1");
    CHECK_STR(line_of(m, "#SBATCH --mem"), "#SBATCH --mem=320M");
    CHECK_STR(line_of(m, "#SBATCH --array"), "");
    CHECK_STR(line_of(m, "exec "), "exec \"/opt/pm/bin/partnermap\" \"batch\" \"--merge\" \"-o\" "
                                   "\"results\" \"results/shard-\"{1..4}");
    free(s);
    free(m);
}

/* Any command shards with templates; {SHARDS} inside a word gives a word per shard. */
static void test_templates(void)
{
    char *argv[] = {"stats", "--uncertainty", "1000", "ties.csv"};
    pm_slurm_job_t j = job_of(argv, 4);
    j.out = "/abs/unc";
    char *s = NULL, *m = NULL;
    pm_error_t err;
    /* no built-in kind for timeline: said so */
    char *timeline[] = {"timeline", "--uncertainty", "1000", "ties.csv"};
    pm_slurm_job_t t = job_of(timeline, 4);
    CHECK(pm_slurm_scripts(&t, &s, &m, &err) == PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "give --shard-template and --merge-template");
    /* templates given win over stats --uncertainty's built-in ones */
    j.shard_tpl = "stats --shard {K}/{N} --threads={CPUS} -o {SHARD}/reps.csv {ARGS}";
    j.merge_tpl = "stats --merge -o '{OUT}/ranks with intervals.csv' --in={SHARDS}/reps.csv";
    CHECK(pm_slurm_scripts(&j, &s, &m, &err) == PM_OK);
    CHECK_STR(line_of(s, "exec "),
              "exec \"/opt/pm/bin/partnermap\" \"stats\" \"--shard\" \"${SLURM_ARRAY_TASK_ID}/4\" "
              "\"--threads=${SLURM_CPUS_PER_TASK}\" \"-o\" "
              "\"/abs/unc/shard-${SLURM_ARRAY_TASK_ID}/reps.csv\" \"--uncertainty\" \"1000\" "
              "\"ties.csv\"");
    CHECK_STR(line_of(m, "exec "), "exec \"/opt/pm/bin/partnermap\" \"stats\" \"--merge\" \"-o\" "
                                   "\"/abs/unc/ranks with intervals.csv\" "
                                   "\"--in=/abs/unc/shard-\"{1..4}\"/reps.csv\"");
    CHECK_STR(line_of(s, "#SBATCH --output"),
              "#SBATCH --output=\"/abs/unc/slurm/shard-%a-job%A.log\"");
    free(s);
    free(m);
}

static void expect_usage(pm_slurm_job_t *j, const char *needle)
{
    char *s = NULL, *m = NULL;
    pm_error_t err;
    pm_status_t st = pm_slurm_scripts(j, &s, &m, &err);
    CHECK_INT(st, PM_EUSAGE);
    if (st == PM_EUSAGE)
        CHECK_CONTAINS(err.msg, needle);
    CHECK(s == NULL && m == NULL);
}

static void test_refused(void)
{
    /* an option the template sets, however it is spelled: the user's value would be lost */
    const char *given[] = {"-o",  "-oelsewhere", "--output=x", "--out",      "-j",
                           "-j8", "--jobs",      "--shard",    "--shard=1/2"};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        char *argv[] = {"batch", (char *)given[i], "runs.csv"};
        pm_slurm_job_t j = job_of(argv, 3);
        expect_usage(&j, "leave it out");
    }
    /* after "--" the words are arguments, not options */
    char *ok_argv[] = {"batch", "--", "-odd-name.csv"};
    pm_slurm_job_t j = job_of(ok_argv, 3);
    char *s = NULL, *m = NULL;
    pm_error_t err;
    CHECK(pm_slurm_scripts(&j, &s, &m, &err) == PM_OK);
    free(s);
    free(m);

    char *argv[] = {"batch", "runs.csv"};
    j = job_of(argv, 2);
    j.shard_tpl = "batch --shard {K}/{N} -o {SHARD} {ARGS} {SHARDS}";
    expect_usage(&j, "{SHARDS} in the shard template");
    j.shard_tpl = "batch --shard {K}/{N} -o {SHARD}/{WHO} {ARGS}";
    expect_usage(&j, "'{WHO}' in the shard template");
    j.shard_tpl = "batch --shard '{K}/{N} {ARGS}";
    expect_usage(&j, "unbalanced");
    j.shard_tpl = NULL;
    j.merge_tpl = "batch --merge -o {OUT}/{K} {SHARDS}";
    expect_usage(&j, "{K} in the merge template");
    j.merge_tpl = "batch --merge {SHARDS}{SHARDS}";
    expect_usage(&j, "one {SHARDS} a word");
    j.merge_tpl = NULL;
    /* paths Slurm's #SBATCH lines cannot hold */
    j.out = "res%j";
    expect_usage(&j, "cannot hold");
    j.out = "results";
    j.workdir = "/home/h/\"quoted\"";
    expect_usage(&j, "the working folder");
    j.workdir = "/home/h";
    j.partition = "short --mem=1";
    expect_usage(&j, "--partition 'short --mem=1': a Slurm name");
    j.partition = "short,long";
    j.account = "";
    expect_usage(&j, "--account is empty");
    j.account = NULL;
    j.shards = 0;
    expect_usage(&j, "give 1 to");
    j.shards = 4;
    j.argc = 0;
    expect_usage(&j, "no command");
}

static void test_array_shard(void)
{
    char spec[32];
    pm_error_t err;
    CHECK(pm_slurm_array_shard(NULL, NULL, NULL, NULL, NULL, spec, sizeof spec, &err) == PM_OK);
    CHECK_STR(spec, ""); /* not an array task */
    CHECK(pm_slurm_array_shard("3", "1", "4", "4", "1", spec, sizeof spec, &err) == PM_OK);
    CHECK_STR(spec, "3/4");
    /* --array=0-3: task ids from 0 */
    CHECK(pm_slurm_array_shard("0", "0", "3", "4", NULL, spec, sizeof spec, &err) == PM_OK);
    CHECK_STR(spec, "1/4");
    /* --array=2-8:3 is 2, 5, 8 */
    CHECK(pm_slurm_array_shard("5", "2", "8", "3", "3", spec, sizeof spec, &err) == PM_OK);
    CHECK_STR(spec, "2/3");
    /* --array=1,3,4: three tasks that are no slices of three */
    CHECK(pm_slurm_array_shard("3", "1", "4", "3", "1", spec, sizeof spec, &err) == PM_EUSAGE);
    CHECK_CONTAINS(err.msg, "give --shard K/N");
    CHECK_STR(spec, "");
    CHECK(pm_slurm_array_shard("3", "1", "4", NULL, "1", spec, sizeof spec, &err) == PM_EUSAGE);
    CHECK(pm_slurm_array_shard("x", "1", "4", "4", "1", spec, sizeof spec, &err) == PM_EUSAGE);
    CHECK(pm_slurm_array_shard("6", "1", "4", "4", "1", spec, sizeof spec, &err) == PM_EUSAGE);
}

static void test_values(void)
{
    long mb = 0;
    pm_error_t err;
    CHECK(pm_slurm_parse_mem("2G", &mb, &err) == PM_OK);
    CHECK_INT(mb, 2048);
    CHECK(pm_slurm_parse_mem("500", &mb, &err) == PM_OK);
    CHECK_INT(mb, 500);
    CHECK(pm_slurm_parse_mem("1500K", &mb, &err) == PM_OK);
    CHECK_INT(mb, 2);
    CHECK(pm_slurm_parse_mem("2GB", &mb, &err) == PM_EUSAGE);
    CHECK(pm_slurm_parse_mem("0", &mb, &err) == PM_EUSAGE);
    CHECK(pm_slurm_parse_mem("-1G", &mb, &err) == PM_EUSAGE);
    CHECK(pm_slurm_parse_mem("", &mb, &err) == PM_EUSAGE);
    const char *good[] = {"30", "30:00", "01:30:00", "2-0", "2-12:00", "2-12:00:00"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(pm_slurm_check_time(good[i], &err) == PM_OK);
    const char *bad[] = {"", "1h", "1:2:3:4", "2-", "-5", "1-2-3", "10:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(pm_slurm_check_time(bad[i], &err) == PM_EUSAGE);
    /* the rule: 1.5 x (120 + C x 70) MB, rounded up to 64 */
    CHECK_INT(pm_slurm_mem_mb(NULL, 1), 320);  /* 285 */
    CHECK_INT(pm_slurm_mem_mb(NULL, 2), 448);  /* 390 */
    CHECK_INT(pm_slurm_mem_mb(NULL, 8), 1024); /* 1020 */
    char *argv[] = {"batch", "x.csv"};
    CHECK(pm_slurm_kind_find(argv, 2) != NULL);
    CHECK(pm_slurm_kind_find(argv, 0) == NULL);
    char *other[] = {"map", "x.csv"};
    CHECK(pm_slurm_kind_find(other, 2) == NULL);
    CHECK_INT(pm_slurm_merge_mem_mb(NULL), 320); /* batch's merge: a one-CPU shard */
}

/* stats --uncertainty has a built-in kind: shard files merged into one report */
static void test_uncertainty_kind(void)
{
    char *plain[] = {"stats", "x.csv"};
    CHECK(pm_slurm_kind_find(plain, 2) == NULL);
    char *argv[] = {"stats", "x.csv", "--uncertainty", "1000", "--seed", "1"};
    const pm_slurm_kind_t *k = pm_slurm_kind_find(argv, 6);
    CHECK(k != NULL && !strcmp(k->command, "stats"));
    CHECK_INT(pm_slurm_mem_mb(k, 1), 192);    /* 1.5 x (88 + 4) = 138 */
    CHECK_INT(pm_slurm_merge_mem_mb(k), 320); /* 1.5 x 200 = 300 */
    pm_slurm_job_t j = job_of(argv, 6);
    char *s = NULL, *m = NULL;
    pm_error_t err;
    CHECK(pm_slurm_scripts(&j, &s, &m, &err) == PM_OK);
    CHECK_CONTAINS(s, "\"--shard\" \"${SLURM_ARRAY_TASK_ID}/4\"");
    CHECK_CONTAINS(s, "/shard-${SLURM_ARRAY_TASK_ID}.pmu\"");
    CHECK_CONTAINS(m, "\"--merge=results/shard-\"{1..4}\".pmu\"");
    CHECK_CONTAINS(m, "\"-o\" \"results/uncertainty.txt\"");
    free(s);
    free(m);
    /* the options the templates set are refused in the arguments */
    char *merge_argv[] = {"stats", "x.csv", "--uncertainty", "10", "--merge", "d"};
    j = job_of(merge_argv, 6);
    expect_usage(&j, "leave it out");
    /* stats without --uncertainty has nothing to shard */
    j = job_of(plain, 2);
    expect_usage(&j, "sharded with --uncertainty only");
}

int main(void)
{
    PM_RUN(test_batch_scripts);
    PM_RUN(test_templates);
    PM_RUN(test_refused);
    PM_RUN(test_array_shard);
    PM_RUN(test_values);
    PM_RUN(test_uncertainty_kind);
    return pm_test_done();
}
