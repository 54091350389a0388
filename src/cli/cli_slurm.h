/*
 * cli_slurm: what the sharded commands share with `partnermap slurm`: the shard of a Slurm array
 * task, read from its environment when --shard is not given or is `slurm`. `batch` and
 * `stats --uncertainty` both take their shard through cli_slurm_shard, so they read the array the
 * same way and say the same things.
 */
#ifndef PM_CLI_SLURM_H
#define PM_CLI_SLURM_H

#include <stddef.h>

/* The shard of a sharded command, *shard being its --shard value (NULL: not given):
 * - "K/N" (anything but "slurm"): left as it is;
 * - "slurm": K/N from the Slurm array task (SLURM_ARRAY_TASK_ID, _MIN, _MAX, _COUNT, _STEP);
 *   a usage error when this process is not an array task;
 * - NULL: the same when this process is an array task (SLURM_ARRAY_TASK_ID is set), else left
 *   NULL; a shard taken this way is said on stderr ("partnermap CMD: shard K/N from the Slurm
 *   array ...") unless quiet.
 * *shard is set to buf (size bytes) when it came from the array. Returns -1 to go on, or 2 after a
 * usage error (not an array task, or an array whose shard is unclear: not evenly spaced). */
int cli_slurm_shard(const char *cmd, int quiet, char *buf, size_t size, const char **shard);

#endif
