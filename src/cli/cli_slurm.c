/*
 * cli_slurm: a sharded command's slice from the Slurm array task it runs in (see cli_slurm.h).
 */
#include "cli_slurm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pm_slurm.h"

int cli_slurm_shard(const char *cmd, int quiet, char *buf, size_t size, const char **shard)
{
    int asked = *shard && !strcmp(*shard, "slurm");
    if (*shard && !asked)
        return -1;
    const char *id = getenv("SLURM_ARRAY_TASK_ID");
    if (asked && !id)
        return cli_usage_error(cmd, "--shard slurm: SLURM_ARRAY_TASK_ID is not set, so this is "
                                    "not a task of a Slurm job array (submit it with sbatch "
                                    "--array=1-N, or give --shard K/N)");
    pm_error_t err;
    if (pm_slurm_array_shard(id, getenv("SLURM_ARRAY_TASK_MIN"), getenv("SLURM_ARRAY_TASK_MAX"),
                             getenv("SLURM_ARRAY_TASK_COUNT"), getenv("SLURM_ARRAY_TASK_STEP"), buf,
                             size, &err))
        return cli_usage_error(cmd, "%s", err.msg);
    if (!buf[0])
        return -1;
    *shard = buf;
    /* a batch in an array that is not meant to shard it would do a slice: say which */
    if (!quiet && !asked)
        fprintf(stderr,
                "partnermap %s: shard %s from the Slurm array (task %s of %s-%s); give --shard "
                "to choose another, --shard 1/1 for all\n",
                cmd, buf, id, getenv("SLURM_ARRAY_TASK_MIN"), getenv("SLURM_ARRAY_TASK_MAX"));
    return -1;
}
