/*
 * version.c - `syswall version`.
 */
#include "cli.h"

int cmd_version(int argc, char **argv)
{
        if (argc > 1)
                return cli_usage_error("version", "unexpected argument '%s'",
                                       argv[1]);
        printf("syswall %s\n", SYSWALL_VERSION_STRING);
        return 0;
}
