/*
 * cli_slurm: what the sharded commands share with `partnermap slurm`: the shard of a Slurm array
 * task, read from its environment when --shard is not given.
 */
#ifndef PM_CLI_SLURM_H
#define PM_CLI_SLURM_H

#include <stddef.h>

/* When *shard is NULL and this process is a Slurm array task (SLURM_ARRAY_TASK_ID is set), sets
 * *shard to buf holding "K/N" from SLURM_ARRAY_TASK_ID, _MIN, _MAX, _COUNT and _STEP, and says so
 * on stderr ("partnermap CMD: shard K/N of the Slurm array ...") unless quiet. Returns -1 to go
 * on, or 2 after a usage error (an array whose shard is unclear). */
int cli_slurm_shard(const char *cmd, int quiet, char *buf, size_t size, const char **shard);

#endif
