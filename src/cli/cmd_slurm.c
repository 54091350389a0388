/*
 * cmd_slurm: `partnermap slurm -o DIR --shards N [options] -- COMMAND ARGS...` — a sharded
 * partnermap command as a Slurm job array and a merge job that runs after it.
 *
 * It is a command of its own, not an option of batch, because what it shards is data: any
 * command that takes --shard K/N and has a merge (batch today; a built-in kind or two templates
 * for the next), and its options (partition, time, memory, account, submit) are the scheduler's,
 * not the run's. The core (pm_slurm.h) writes the scripts; this file parses the options, finds
 * the program and the working folder, writes DIR/slurm/shards.sbatch and merge.sbatch, and with
 * --submit runs sbatch twice (the merge with --dependency=afterok on the array) and prints the
 * job ids.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opt.h"
#include "pm_io.h"
#include "pm_slurm.h"

extern char **environ;

enum {
    OPT_SHARDS = 1000,
    OPT_MEM,
    OPT_TIME,
    OPT_PARTITION,
    OPT_ACCOUNT,
    OPT_SUBMIT,
    OPT_SHARD_TPL,
    OPT_MERGE_TPL
};

static const char help[] =
    "usage: partnermap slurm -o DIR --shards N [options] [--] COMMAND ARGS...\n"
    "\n"
    "Writes the job scripts that run COMMAND (a partnermap command line without 'partnermap',\n"
    "-o, -j and --shard, e.g. 'batch --places P.csv runs.csv') on a Slurm cluster: a job array\n"
    "of N shards, each writing DIR/shard-K, and a merge job that joins them in DIR once every\n"
    "shard succeeded. DIR/slurm/ gets shards.sbatch, merge.sbatch and the jobs' logs.\n"
    "\n"
    "  -o, --output DIR        the result folder (the merge writes DIR/summary.csv for batch)\n"
    "  --shards N              the array's size: the runs are split into N interleaved slices\n"
    "  -c, --cpus-per-task C   CPUs of each shard, its workers (batch -j) (default 1)\n"
    "  --mem SIZE              memory of each task, e.g. 2G (default: 1.5 x the measured peak,\n"
    "                          rounded up to 64 MB: batch 120 MB + C x 70 MB; stats\n"
    "                          --uncertainty 88 MB + C x 4 MB a shard of 250 replicates of\n"
    "                          1,539 places, its merge 200 MB; see the guide, Sizing)\n"
    "  --time T                time limit of each task (MM, HH:MM:SS, D-HH:MM:SS; default:\n"
    "                          the partition's)\n"
    "  --partition P           the partition (default: the cluster's)\n"
    "  --account A             the account to charge (default: yours)\n"
    "  --submit                submit both with sbatch and print the job ids\n"
    "  --shard-template WORDS  the arguments of one shard, for a command without a built-in\n"
    "  --merge-template WORDS  kind: placeholders {ARGS} {K} {N} {CPUS} {OUT} {SHARD}, and\n"
    "                          {SHARDS} in the merge (batch's: 'batch --shard {K}/{N} -j {CPUS}\n"
    "                          -o {SHARD} {ARGS}' and 'batch --merge -o {OUT} {SHARDS}';\n"
    "                          stats --uncertainty has its own: DIR/shard-K.pmu, merged\n"
    "                          into DIR/uncertainty.txt)\n"
    "  -q, --quiet             print only the job ids (with --submit), else nothing\n"
    "  -h, --help              this help\n"
    "\n"
    "The jobs run partnermap by the path this command was started from, in the current folder,\n"
    "so relative paths in COMMAND mean the same on the nodes. Rerunning: submit again; a batch\n"
    "shard skips the runs it finished (their content hash is unchanged).\n"
    "\n"
    "The exit status is 4 when the scripts cannot be written or sbatch refuses them.\n"
    "\n";

typedef struct slurm_opts {
    pm_slurm_job_t job;
    int mem_given, submit, quiet;
} slurm_opts_t;

static int slurm_option(const char *cmd, int id, const char *arg, void *target)
{
    slurm_opts_t *o = target;
    long v;
    pm_error_t err;
    switch (id) {
    case 'o':
        o->job.out = arg;
        return 1;
    case OPT_SHARDS:
        if (cli_parse_long(arg, 1, PM_SLURM_MAX_SHARDS, &v))
            return cli_usage_error(cmd, "--shards '%s': give 1 to %d", arg, PM_SLURM_MAX_SHARDS);
        o->job.shards = (int)v;
        return 1;
    case 'c':
        if (cli_parse_long(arg, 1, 256, &v))
            return cli_usage_error(cmd, "--cpus-per-task '%s': give 1 to 256", arg);
        o->job.cpus = (int)v;
        return 1;
    case OPT_MEM:
        if (pm_slurm_parse_mem(arg, &o->job.mem_mb, &err))
            return cli_usage_error(cmd, "%s", err.msg);
        o->mem_given = 1;
        return 1;
    case OPT_TIME:
        if (pm_slurm_check_time(arg, &err))
            return cli_usage_error(cmd, "%s", err.msg);
        o->job.time = arg;
        return 1;
    case OPT_PARTITION:
        o->job.partition = arg;
        return 1;
    case OPT_ACCOUNT:
        o->job.account = arg;
        return 1;
    case OPT_SUBMIT:
        o->submit = 1;
        return 1;
    case OPT_SHARD_TPL:
        o->job.shard_tpl = arg;
        return 1;
    case OPT_MERGE_TPL:
        o->job.merge_tpl = arg;
        return 1;
    default: /* 'q' */
        o->quiet = 1;
        return 1;
    }
}

static const cli_opt_t slurm_opts[] = {{"output", 1, 'o', 'o', 0},
                                       {"shards", 1, OPT_SHARDS, 0, 0},
                                       {"cpus-per-task", 1, 'c', 'c', 0},
                                       {"mem", 1, OPT_MEM, 0, 0},
                                       {"time", 1, OPT_TIME, 0, 0},
                                       {"partition", 1, OPT_PARTITION, 0, 0},
                                       {"account", 1, OPT_ACCOUNT, 0, 0},
                                       {"submit", 0, OPT_SUBMIT, 0, 0},
                                       {"shard-template", 1, OPT_SHARD_TPL, 0, 0},
                                       {"merge-template", 1, OPT_MERGE_TPL, 0, 0},
                                       {"quiet", 0, 'q', 'q', 0},
                                       {NULL, 0, 0, 0, 0}};
static const cli_opt_group_t slurm_group = {slurm_opts, slurm_option};

/* The options; -1 to go on, else the exit code. */
static int parse(int argc, char **argv, slurm_opts_t *o)
{
    static const char *const texts[] = {help, NULL};
    const cli_opt_use_t uses[] = {{&slurm_group, o}};
    /* in order: the options end at COMMAND, whose own options are its */
    const cli_opt_parser_t p = {"slurm", uses, 1, texts, NULL, NULL, 1};
    int rc = cli_opt_parse(&p, argc, argv);
    if (rc >= 0)
        return rc;
    if (!o->job.out)
        return cli_usage_error("slurm", "no result folder: add -o DIR");
    if (!o->job.shards)
        return cli_usage_error("slurm", "how many shards? add --shards N (the array's size)");
    if (optind >= argc)
        return cli_usage_error("slurm", "no command: add the partnermap command to shard, e.g. "
                                        "'-- batch runs.csv'");
    if (!strcmp(argv[optind], "slurm"))
        return cli_usage_error("slurm", "'slurm' shards other commands, not itself");
    return -1;
}

/* sbatch ARGS... (submitting script): its job id (the number --parsable prints) into id. 0 on
 * success; sbatch's own messages go to stderr as they are. */
static int sbatch(char *const *args, const char *script, char *id, size_t size)
{
    int fd[2];
    if (pipe(fd)) {
        fprintf(stderr, "partnermap: cannot run sbatch: %s\n", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    pid_t pid;
    int e = posix_spawnp(&pid, "sbatch", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (e) {
        close(fd[0]);
        fprintf(stderr,
                "partnermap: cannot run sbatch: %s; submit the scripts where Slurm is "
                "installed (a login node)\n",
                strerror(e));
        return -1;
    }
    char out[256];
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd[0], out + n, sizeof out - 1 - n)) > 0 || (r < 0 && errno == EINTR))
        n += r > 0 ? (size_t)r : 0;
    close(fd[0]);
    out[n] = '\0';
    int st = 0;
    pid_t w;
    while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    size_t digits = strspn(out, "0123456789");
    if (w != pid || !WIFEXITED(st) || WEXITSTATUS(st) || !digits || digits >= size) {
        fprintf(stderr, "partnermap: sbatch did not submit %s (see its message above)\n", script);
        return -1;
    }
    memcpy(id, out, digits);
    id[digits] = '\0';
    return 0;
}

/* Writes the scripts; 0, or the exit code. */
static int write_scripts(const slurm_opts_t *o, const char *shards, const char *merge, char *s_path,
                         char *m_path, size_t size)
{
    pm_error_t err;
    char dir[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/slurm", o->job.out);
    snprintf(s_path, size, "%s/shards.sbatch", dir);
    snprintf(m_path, size, "%s/merge.sbatch", dir);
    if (pm_io_mkdirs(dir, &err) || pm_io_write_atomic(s_path, shards, strlen(shards), &err) ||
        pm_io_write_atomic(m_path, merge, strlen(merge), &err))
        return cli_fail(&err);
    return 0;
}

static int submit(const slurm_opts_t *o, char *s_path, char *m_path)
{
    char array_id[32], merge_id[32], dep[64];
    char *a1[] = {"sbatch", "--parsable", s_path, NULL};
    if (sbatch(a1, s_path, array_id, sizeof array_id))
        return 4;
    snprintf(dep, sizeof dep, "--dependency=afterok:%s", array_id);
    char *a2[] = {"sbatch", "--parsable", dep, m_path, NULL};
    if (sbatch(a2, m_path, merge_id, sizeof merge_id)) {
        fprintf(stderr,
                "partnermap: the shards are submitted (job %s) but not the merge; once they "
                "succeed, run: sbatch %s\n",
                array_id, m_path);
        return 4;
    }
    if (o->quiet) {
        printf("%s\n%s\n", array_id, merge_id);
        return 0;
    }
    printf("submitted job %s: %d shards of 'partnermap %s' (%s)\n", array_id, o->job.shards,
           o->job.argv[0], s_path);
    printf("submitted job %s: the merge, to run when job %s has succeeded (%s)\n", merge_id,
           array_id, m_path);
    printf("watch: squeue -j %s,%s   logs: %s/slurm/\n", array_id, merge_id, o->job.out);
    return 0;
}

int cmd_slurm(int argc, char **argv)
{
    slurm_opts_t o;
    memset(&o, 0, sizeof o);
    o.job.cpus = 1;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    o.job.argv = argv + optind;
    o.job.argc = (size_t)(argc - optind);
    const pm_slurm_kind_t *kind = pm_slurm_kind_find(o.job.argv, o.job.argc);
    if (!o.mem_given)
        o.job.mem_mb = pm_slurm_mem_mb(kind, o.job.cpus);
    o.job.merge_mem_mb = o.mem_given ? o.job.mem_mb : pm_slurm_merge_mem_mb(kind);

    static char program[PATH_MAX], workdir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", program, sizeof program - 1);
    if (n <= 0) {
        fprintf(stderr, "partnermap: cannot find this program's path: %s\n", strerror(errno));
        return 1;
    }
    program[n] = '\0';
    if (!getcwd(workdir, sizeof workdir)) {
        fprintf(stderr, "partnermap: cannot read the current folder: %s\n", strerror(errno));
        return 4;
    }
    o.job.program = program;
    o.job.workdir = workdir;
    o.job.origin = cli_command_line();

    pm_error_t err;
    char *shards = NULL, *merge = NULL;
    if (pm_slurm_scripts(&o.job, &shards, &merge, &err))
        return err.code == PM_EUSAGE ? cli_usage_error("slurm", "%s", err.msg) : cli_fail(&err);
    char s_path[PATH_MAX + 32], m_path[PATH_MAX + 32];
    rc = write_scripts(&o, shards, merge, s_path, m_path, sizeof s_path);
    free(shards);
    free(merge);
    if (rc)
        return rc;
    if (o.submit)
        return submit(&o, s_path, m_path);
    if (o.quiet)
        return 0;
    printf("wrote %s: %d shards of 'partnermap %s', each %d CPU%s and %ld MB\n", s_path,
           o.job.shards, o.job.argv[0], o.job.cpus, o.job.cpus > 1 ? "s" : "", o.job.mem_mb);
    printf("wrote %s: the merge into %s\n", m_path, o.job.out);
    printf("submit both (or run this command again with --submit):\n"
           "  id=$(sbatch --parsable %s) && sbatch --dependency=afterok:$id %s\n",
           s_path, m_path);
    return 0;
}
