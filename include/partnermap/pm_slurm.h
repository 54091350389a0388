/*
 * pm_slurm: Slurm job arrays for a sharded partnermap command: the job scripts, which shard an
 * array task is, and the memory a shard asks for.
 *
 * A sharded command is data, not code: a *shard template* (the arguments one shard runs) and a
 * *merge template* (the arguments of the job that joins the shards' results), with placeholders
 *   {ARGS}   the user's arguments after the sub-command, each a word (a whole template word)
 *   {K}      the shard's number, 1..N (in the script: the array task id)
 *   {N}      the number of shards
 *   {CPUS}   the CPUs of each task (in the script: SLURM_CPUS_PER_TASK)
 *   {OUT}    the result folder
 *   {SHARD}  shard K's folder, {OUT}/shard-{K}
 *   {SHARDS} every shard's folder, {OUT}/shard-1 ... {OUT}/shard-N (merge only; the word it is in
 *            becomes N words: "{SHARDS}/reps.csv" gives OUT/shard-1/reps.csv ...)
 * Templates are split into words as a manifest's options are (pm_batch_split_words: quotes and
 * backslashes). Built-in kinds (pm_slurm_kind_find) carry the templates of the commands that
 * shard today (batch); any other command that takes --shard K/N and has a merge runs with
 * templates given by the caller. The options a shard template sets (-o, -j, --shard, ...) may
 * not appear in {ARGS}: the user's value would be silently overridden (or override the shard).
 *
 * Shards read their slice from the array task (pm_slurm_array_shard) when --shard is not given:
 * task SLURM_ARRAY_TASK_ID of an evenly spaced array is shard (ID - MIN) / STEP + 1 of COUNT.
 *
 * Nothing here starts a process or reads the environment: the program (cmd_slurm.c) runs sbatch
 * and passes the variables in.
 */
#ifndef PM_SLURM_H
#define PM_SLURM_H

#include <stddef.h>

#include "pm_error.h"

typedef struct pm_slurm_kind {
    const char *command; /* the sub-command ("batch") */
    const char *needs;   /* an option the arguments must hold for this kind, NULL = none */
    const char *shard;   /* the shard template */
    const char *merge;   /* the merge template */
    /* measured peak resident memory (MB): the shard's main process, and each worker (CPU) it
     * adds; see pm_slurm_mem_mb */
    int base_mb, worker_mb;
    int merge_mb; /* measured peak of the merge job (MB); 0 = as a shard with one CPU */
} pm_slurm_kind_t;

/* The built-in kind for the command argv[0..argc) (argv[0] the sub-command), or NULL. Lends. */
const pm_slurm_kind_t *pm_slurm_kind_find(char *const *argv, size_t argc);

/* The memory (MB) a task with cpus CPUs asks for by default: 1.5 x (base_mb + cpus x worker_mb)
 * of kind (NULL: the batch kind's numbers), rounded up to 64 MB. */
long pm_slurm_mem_mb(const pm_slurm_kind_t *kind, int cpus);
/* The memory (MB) the merge job asks for by default: 1.5 x merge_mb of kind rounded up to 64 MB,
 * or pm_slurm_mem_mb(kind, 1) when the kind has no merge_mb. */
long pm_slurm_merge_mem_mb(const pm_slurm_kind_t *kind);

typedef struct pm_slurm_job {
    const char *program; /* partnermap as the nodes find it (absolute path, or a name on PATH) */
    const char *workdir; /* absolute: the tasks run there, relative paths mean the same */
    const char *out;     /* the result folder ({OUT}); its slurm/ folder gets the logs */
    char *const *argv;   /* the command: argv[0] the sub-command, then its arguments */
    size_t argc;
    const char *shard_tpl, *merge_tpl; /* templates (see above); NULL = the built-in kind's */
    int shards;                        /* N, 1..PM_SLURM_MAX_SHARDS */
    int cpus;                          /* per shard task */
    long mem_mb, merge_mem_mb;         /* per task */
    const char *time;      /* "--time" as Slurm writes it, NULL = the partition's default */
    const char *partition; /* NULL = the cluster's default */
    const char *account;   /* NULL = the user's default */
    const char *origin;    /* the command line that wrote the scripts, for their header */
} pm_slurm_job_t;

#define PM_SLURM_MAX_SHARDS 100000

/* The two job scripts (bash, #SBATCH lines): *shards_out runs shard ${SLURM_ARRAY_TASK_ID} of
 * the array 1-N, *merge_out the merge (to be submitted with --dependency=afterok:ARRAY; it is
 * cancelled, not left pending, when a shard fails). Caller frees both. Errors: PM_EUSAGE (a bad
 * template: unknown placeholder, {SHARDS} in a shard or twice in a word, {K} in a merge; an option
 * of the shard template in the arguments; the kind's required option missing; a path that #SBATCH
 * lines cannot hold: quotes, backslashes, '%' or line breaks; a partition or account that is not a
 * Slurm name (letters, digits, _ . -, commas); shards out of range; no template given and no
 * built-in kind for the command), PM_ENOMEM. */
pm_status_t pm_slurm_scripts(const pm_slurm_job_t *job, char **shards_out, char **merge_out,
                             pm_error_t *err);

/* The shard "K/N" of a Slurm array task from the values of SLURM_ARRAY_TASK_ID, _MIN, _MAX,
 * _COUNT and _STEP (NULL = unset; STEP unset = 1), written to spec (size bytes). id NULL: not an
 * array task, spec = "". Errors: PM_EUSAGE (a value not a number, or an array that is not
 * MIN, MIN+STEP, ..., MAX: say --shard K/N). */
pm_status_t pm_slurm_array_shard(const char *id, const char *min, const char *max,
                                 const char *count, const char *step, char *spec, size_t size,
                                 pm_error_t *err);

/* Parses a memory size as sbatch --mem takes it: a whole number with an optional unit K, M, G, T
 * (default M), into MB (rounded up). Errors: PM_EUSAGE. */
pm_status_t pm_slurm_parse_mem(const char *s, long *mb_out, pm_error_t *err);

/* Checks a time limit as sbatch --time takes it: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM,
 * D-HH:MM:SS. Errors: PM_EUSAGE. */
pm_status_t pm_slurm_check_time(const char *s, pm_error_t *err);

#endif
