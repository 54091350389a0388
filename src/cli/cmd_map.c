/*
 * cmd_map: `partnermap map` (in progress: the core modules it needs are being written).
 */
#include <stdio.h>

#include "cli.h"

int cmd_map(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "partnermap map: not available in this build yet\n");
    return 1;
}
