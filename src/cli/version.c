/*
 * version.c - `syswall version`.
 */
#include "cli.h"

#include <string.h>

int cmd_version(int argc, char **argv)
{
        if (argc == 2 &&
            (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("usage: %s version [--help]\n\nPrint the version of syswall "
                       "(also: %s --version).\n",
                       sw_prog, sw_prog);
                return 0;
        }
        if (argc > 1)
                return cli_usage_error("version", "unexpected argument '%s'",
                                       argv[1]);
        printf("syswall %s\n", SYSWALL_VERSION_STRING);
        return 0;
}
