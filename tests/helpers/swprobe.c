/*
 * swprobe.c - a static helper run inside containers and bwrap by
 * cli_interop.sh: makes one system call and prints its result, so a test
 * can tell "failed with this errno" from "killed".
 *
 *   swprobe uname            uname(2)
 *   swprobe personality N    personality(N)
 *   swprobe getppid          getppid(2)
 *
 * Prints "NAME=RESULT errno=E" and exits 0 when the call returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        struct utsname u;
        long r;

        if (argc < 2)
                return 2;
        errno = 0;
        if (strcmp(argv[1], "uname") == 0)
                r = syscall(SYS_uname, &u);
        else if (strcmp(argv[1], "personality") == 0 && argc == 3)
                r = syscall(SYS_personality, strtoul(argv[2], NULL, 0));
        else if (strcmp(argv[1], "getppid") == 0)
                r = syscall(SYS_getppid);
        else
                return 2;
        printf("%s=%ld errno=%d\n", argv[1], r, r < 0 ? errno : 0);
        return 0;
}
