/*
 * testutil.c - helpers shared by the cmocka test programs.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void tu_skip_unless_ci(const char *why)
{
        if (getenv("CI") != NULL)
                fail_msg("missing under CI, where it must be there: %s", why);
        printf("SKIP: %s\n", why);
        skip();
}

sw_filter *tu_compile_json(const char *doc)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;

        if (sw_whitelist_load_buffer(doc, strlen(doc), "test.json", NULL, &wl,
                                     &rep) != SW_SUCCESS)
                fail_msg("the test's whitelist does not check");
        if (sw_compile(wl, NULL, &f, &err) != SW_SUCCESS)
                fail_msg("compile failed: %s", sw_error_message(err));
        sw_report_free(rep);
        sw_whitelist_free(wl);
        return f;
}

long tu_status_field(const char *path, const char *key)
{
        FILE *f = fopen(path, "r");
        char line[256];
        long v = -1;

        if (f == NULL)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, key, strlen(key)) == 0)
                        v = strtol(line + strlen(key), NULL, 10);
        fclose(f);
        return v;
}
