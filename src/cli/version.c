/*
 * version.c - `syswall version`.
 */
#include "cli.h"

int cmd_version(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        printf("syswall %s\n", SYSWALL_VERSION_STRING);
        return 0;
}
