/*
 * testutil.c - helpers shared by the cmocka test programs.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *under(const char *env, const char *fallback, const char *rel)
{
        static char buf[4][4096];
        static int next;
        const char *base = getenv(env);
        char *out = buf[next++ % 4];

        snprintf(out, sizeof(buf[0]), "%s/%s", base ? base : fallback, rel);
        return out;
}

const char *tu_src(const char *rel)
{
        return under("SW_SOURCE_DIR", SW_SOURCE_DIR, rel);
}

const char *tu_shared(const char *rel)
{
        return under("SW_SHARED", SW_SOURCE_DIR "/../shared", rel);
}

int tu_fork_run(void (*fn)(void *), void *arg)
{
        int status = -1;
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid == 0) {
                fn(arg);
                _exit(0);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
                return -1;
        return status;
}
