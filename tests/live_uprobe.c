/*
 * live_uprobe.c - what the kernel does with uretprobe (335) and uprobe
 * (336) on x86_64 under a filter that does not list them.  Recent kernels
 * (6.18 here) let both through seccomp without consulting any filter
 * (docs/security-model.md).  Called from anywhere
 * but the kernel's uprobe trampoline they do nothing: uretprobe kills the
 * caller with SIGILL, uprobe fails with ENXIO.  A filter that kills every
 * unlisted call still kills getpid here, so the filter is in force.
 */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_URETPROBE 335
#define NR_UPROBE    336

static const char doc[] =
        "{\"schema_version\": \"1.0\", \"whitelist_id\": \"uprobe\","
        " \"created_at\": \"2026-12-04T00:00:00Z\","
        " \"created_by\": \"Security Agent\", \"syscalls\": ["
        "{\"name\": \"exit_group\", \"permission\": \"ALLOW\"},"
        "{\"name\": \"exit\", \"permission\": \"ALLOW\"}]}";

struct probe {
        const sw_filter *f; /* NULL: no filter */
        long nr;
};

/* In the child: make the call, exit with its errno (0 when it returned). */
static void call_nr(void *arg)
{
        const struct probe *p = arg;
        long r;

        /* cmocka's handler for SIGILL must not catch the kernel's. */
        signal(SIGILL, SIG_DFL);
        if (p->f && sw_filter_load(p->f, NULL) != SW_SUCCESS)
                syscall(SYS_exit_group, 120);
        errno = 0;
        r = syscall(p->nr, 0, 0, 0);
        syscall(SYS_exit_group, r < 0 ? errno : 0);
}

static int status_of(const sw_filter *f, long nr)
{
        struct probe p = {f, nr};

        return tu_fork_run(call_nr, &p);
}

static void test_passthrough(void **state)
{
        sw_filter *f = tu_compile_json(doc);
        int bare = status_of(NULL, NR_URETPROBE);
        int st;
        (void)state;

        /* Without the calls (older kernels) there is nothing to see: they
         * fail with ENOSYS unfiltered. */
        if (WIFEXITED(bare) && WEXITSTATUS(bare) == ENOSYS) {
                sw_filter_free(f);
                tu_skip_unless_ci("this kernel has no uretprobe system call");
                return;
        }

        /* The filter is in force: an unlisted call is killed. */
        st = status_of(f, SYS_getpid);
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), SIGSYS);

        /* uretprobe: not SIGSYS but SIGILL, filtered or not. */
        assert_true(WIFSIGNALED(bare));
        assert_int_equal(WTERMSIG(bare), SIGILL);
        st = status_of(f, NR_URETPROBE);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS) {
                sw_filter_free(f);
                tu_skip_unless_ci("this kernel still filters uretprobe");
                return;
        }
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), SIGILL);

        /* uprobe: the call runs and fails with ENXIO, filtered or not. */
        st = status_of(NULL, NR_UPROBE);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), ENXIO);
        st = status_of(f, NR_UPROBE);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS) {
                sw_filter_free(f);
                tu_skip_unless_ci("this kernel still filters uprobe");
                return;
        }
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), ENXIO);
        printf("uretprobe: SIGILL and uprobe: ENXIO, with a filter that "
               "kills every unlisted call: seccomp skipped both\n");
        sw_filter_free(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_passthrough),
        };

#if !defined(__x86_64__)
        printf("SKIP: uretprobe and uprobe are x86_64 calls\n");
        return getenv("CI") ? 1 : 0;
#endif
        return cmocka_run_group_tests(tests, NULL, NULL);
}
