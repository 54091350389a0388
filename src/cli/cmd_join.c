/*
 * cmd_join: `partnermap join` (in progress: the core modules it needs are being written).
 */
#include <stdio.h>

#include "cli.h"

int cmd_join(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "partnermap join: not available in this build yet\n");
    return 1;
}
