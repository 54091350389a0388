/*
 * cmd_export: `partnermap export` (in progress: the core modules it needs are being written).
 */
#include <stdio.h>

#include "cli.h"

int cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "partnermap export: not available in this build yet\n");
    return 1;
}
