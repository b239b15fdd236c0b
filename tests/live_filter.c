/*
 * live_filter.c - compiled filters against the real kernel, each loaded
 * in a forked child: the simulation table run live (the interpreter and
 * the kernel must agree), whole-process kills with SIGSYS, foreign ABIs,
 * thread sync, and a failed load that leaves the thread unfiltered.
 */
#include "testutil.h"

#include "compile.h"
#include "simtable.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static sw_filter *compile_ok(const sw_whitelist *wl)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;

        if (sw_compile(wl, NULL, &f, &err) != SW_SUCCESS)
                fail_msg("compile failed: %s", sw_error_message(err));
        return f;
}

/* In a child: exit with a code, by the raw call the filters allow. */
static void child_exit(int code)
{
        syscall(SYS_exit_group, code);
        _exit(code);
}

static void child_load(const sw_filter *f)
{
        if (sw_filter_load(f, NULL) != SW_SUCCESS)
                child_exit(120);
}

/* ---- the simulation table, live ---- */

struct table_run {
        const sw_filter *f;
        const struct st_case *c;
};

static void table_child(void *arg)
{
        const struct table_run *t = arg;
        uint64_t a[6];
        long rc;

        for (int i = 0; i < 6; i++)
                a[i] = t->c->args[i] == ST_PATH ? (uint64_t)(uintptr_t) "/"
                                                : t->c->args[i];
        child_load(t->f);
        rc = syscall(seccomp_syscall_resolve_name(t->c->call), a[0], a[1], a[2],
                     a[3], a[4], a[5]);
        child_exit(rc >= 0 ? 0 : errno);
}

static void test_table_live(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);

        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(st_cases); i++) {
                const struct st_case *c = &st_cases[i];
                struct table_run t = {f, c};
                int status = tu_fork_run(table_child, &t);
                uint32_t sim = 0;

                sw_filter_simulate(f, SCMP_ARCH_X86_64,
                                   seccomp_syscall_resolve_name(c->call),
                                   c->args, &sim, NULL);
                assert_int_equal(sim, c->action);
                if (c->action == ST_KILL) {
                        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
                                fail_msg(
                                        "case %zu (%s): status 0x%x, want SIGSYS",
                                        i, c->call, status);
                        continue;
                }
                if (!WIFEXITED(status))
                        fail_msg("case %zu (%s): died, status 0x%x", i, c->call,
                                 status);
                assert_int_equal(WEXITSTATUS(status),
                                 c->action == ST_ALLOW ? 0
                                                       : (c->action & 0xffff));
        }
        sw_filter_free(f);
        wlb_free(wl);
}

/* ---- whole-process kills and thread sync ---- */

static sw_whitelist *small_whitelist(void)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);

        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        wlb_rule(wl, "read", SW_ALLOW, 0);
        wlb_rule(wl, "write", SW_ALLOW, 0);
        wlb_rule(wl, "getpid", SW_ALLOW, 0);
        wlb_rule(wl, "nanosleep", SW_ALLOW, 0);
        wlb_rule(wl, "clock_nanosleep", SW_ALLOW, 0);
        return wl;
}

struct thread_run {
        const sw_filter *f;
        int go[2];
        int how; /* 0: unlisted call, 1: int 0x80 */
};

static long int80(long nr)
{
        long ret;

        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
        return ret;
}

/* Started before the filter: waits, then makes a forbidden call. */
static void *older_thread(void *arg)
{
        struct thread_run *t = arg;
        char c;

        if (syscall(SYS_read, t->go[0], &c, 1) != 1)
                return NULL;
        if (t->how == 1)
                int80(20);
        else
                syscall(SYS_getsid, 0);
        return NULL;
}

static void thread_child(void *arg)
{
        struct thread_run *t = arg;
        struct timespec ts = {2, 0};
        pthread_t th;

        if (pipe(t->go) != 0 || pthread_create(&th, NULL, older_thread, t) != 0)
                child_exit(121);
        child_load(t->f);
        if (syscall(SYS_write, t->go[1], "x", 1) != 1)
                child_exit(122);
        syscall(SYS_nanosleep, &ts, NULL);
        /* Still alive: the older thread was not filtered, or only it died. */
        child_exit(3);
}

/* bh-18: a thread that ran before the load is covered (thread sync), and
 * its unlisted call kills the whole process. */
static void test_thread_sync_kills_process(void **state)
{
        sw_whitelist *wl = small_whitelist();
        struct thread_run t = {.f = compile_ok(wl), .how = 0};
        int status = tu_fork_run(thread_child, &t);

        (void)state;
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
        sw_filter_free((sw_filter *)t.f);
        wlb_free(wl);
}

static void int80_child(void *arg)
{
        const sw_filter *f = arg;

        if (f != NULL)
                child_load(f);
        child_exit(int80(20) > 0 ? 0 : 1);
}

static void need_ia32(void)
{
        int status = tu_fork_run(int80_child, NULL);

        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                tu_skip_unless_ci(
                        "the kernel runs no i386 int 0x80 calls (no IA32 emulation)");
}

/* An i386 call from a 64-bit process is killed, the whole process. */
static void test_int80_killed(void **state)
{
        sw_whitelist *wl = small_whitelist();
        sw_filter *f = compile_ok(wl);
        int status;

        (void)state;
        need_ia32();
        status = tu_fork_run(int80_child, f);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
        sw_filter_free(f);
        wlb_free(wl);
}

/* bh-16: the same from a side thread kills the process, not the thread. */
static void test_int80_in_thread_kills_process(void **state)
{
        sw_whitelist *wl = small_whitelist();
        struct thread_run t = {.f = compile_ok(wl), .how = 1};
        int status;

        (void)state;
        need_ia32();
        status = tu_fork_run(thread_child, &t);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
        sw_filter_free((sw_filter *)t.f);
        wlb_free(wl);
}

static void x32_child(void *arg)
{
        child_load(arg);
        syscall(0x40000000L | SYS_getpid);
        child_exit(3);
}

/* bh-14: an x32 number is killed, with or without the x32 ABI. */
static void test_x32_killed(void **state)
{
        sw_whitelist *wl = small_whitelist();
        sw_filter *f = compile_ok(wl);
        int status = tu_fork_run(x32_child, f);

        (void)state;
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGSYS);
        sw_filter_free(f);
        wlb_free(wl);
}

/* ---- a failed load ---- */

static pid_t other_tid;
static int other_ready[2];
static int other_done[2];

/* A thread with a filter of its own, loaded without thread sync. */
static void *own_filter_thread(void *arg)
{
        static struct sock_filter allow =
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        struct sock_fprog prog = {1, &allow};
        char c;

        (void)arg;
        other_tid = (pid_t)syscall(SYS_gettid);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
                other_tid = -1;
        if (write(other_ready[1], "r", 1) != 1 ||
            read(other_done[0], &c, 1) != 1)
                return NULL;
        return NULL;
}

static void tsync_fail_child(void *arg)
{
        const sw_filter *f = arg;
        sw_error *err = NULL;
        pthread_t th;
        char want[96];
        char c;

        if (pipe(other_ready) != 0 || pipe(other_done) != 0 ||
            pthread_create(&th, NULL, own_filter_thread, NULL) != 0 ||
            read(other_ready[0], &c, 1) != 1 || other_tid <= 0)
                _exit(10);
        if (tu_status_field("/proc/thread-self/status", "Seccomp:") != 0)
                _exit(11);
        if (sw_filter_load(f, &err) != SW_EPERM)
                _exit(12);
        snprintf(want, sizeof(want), "thread %d of this process", other_tid);
        if (strstr(sw_error_message(err), want) == NULL)
                _exit(13);
        sw_error_free(err);
        /* Nothing was filtered: this thread can still call anything. */
        if (tu_status_field("/proc/thread-self/status", "Seccomp:") != 0)
                _exit(14);
        if (syscall(SYS_getsid, 0) < 0)
                _exit(15);
        _exit(0);
}

/* Thread sync fails on a thread under another filter: the error names
 * it, EPERM, and the calling thread keeps "Seccomp: 0". */
static void test_failed_load_leaves_unfiltered(void **state)
{
        sw_whitelist *wl = small_whitelist();
        sw_filter *f = compile_ok(wl);
        int status = tu_fork_run(tsync_fail_child, f);

        (void)state;
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        sw_filter_free(f);
        wlb_free(wl);
}

static void compile_fail_child(void *arg)
{
        sw_whitelist *wl = arg;
        sw_filter *f = NULL;
        sw_config *cfg = sw_config_new();
        sw_error *err = NULL;

        /* In-process, without Landlock, nothing can judge a TCP port. */
        sw_config_set_landlock(cfg, false);
        if (sw_compile(wl, cfg, &f, NULL) != SW_SUCCESS)
                _exit(1);
        if (sw_filter_load(f, &err) != SW_EPERM ||
            strstr(sw_error_message(err),
                   "cannot enforce the port restrictions in this "
                   "process: connect: TCP ports are judged "
                   "in-process only by Landlock") == NULL)
                _exit(3);
        sw_error_free(err);
        sw_filter_free(f);
        sw_config_free(cfg);
        _exit(tu_status_field("/proc/self/status", "Seccomp:") == 0 ? 0 : 2);
}

/* A whitelist that cannot be enforced loads nothing. */
static void test_refused_compile_loads_nothing(void **state)
{
        sw_whitelist *wl = small_whitelist();
        int status;

        (void)state;
        wlb_ports(wlb_cond(wlb_rule(wl, "connect", SW_CONDITIONAL, 13)), 80);
        status = tu_fork_run(compile_fail_child, wl);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        wlb_free(wl);
}

/* ---- a kernel that refuses the filter ---- */

/* A filter that fails seccomp(2) itself with EPERM and allows the rest. */
static void refuse_seccomp(void)
{
        struct sock_filter insns[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), /* arch */
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 2),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), /* nr */
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {sizeof(insns) / sizeof(insns[0]), insns};

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
                _exit(10);
}

static void kernel_refuses_child(void *arg)
{
        sw_error *err = NULL;

        refuse_seccomp();
        if (tu_status_field("/proc/self/status", "Seccomp_filters:") != 1)
                _exit(11);
        if (sw_filter_load(arg, &err) != SW_EPERM)
                _exit(12);
        if (strstr(sw_error_message(err), "refused") == NULL)
                _exit(13);
        sw_error_free(err);
        /* Nothing of the whitelist was loaded: getsid, which it does not
         * list, still runs, and only the one filter is in force. */
        if (tu_status_field("/proc/self/status", "Seccomp_filters:") != 1)
                _exit(14);
        if (syscall(SYS_getsid, 0) < 0)
                _exit(15);
        _exit(0);
}

/* Issue 6 item 5: the kernel refuses the filter (here a filter installed
 * before refuses seccomp(2) itself): EPERM, and none of it applies. */
static void test_kernel_refusal_applies_nothing(void **state)
{
        sw_whitelist *wl = small_whitelist();
        sw_filter *f = compile_ok(wl);
        int status = tu_fork_run(kernel_refuses_child, f);

        (void)state;
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        sw_filter_free(f);
        wlb_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table_live),
                cmocka_unit_test(test_thread_sync_kills_process),
                cmocka_unit_test(test_int80_killed),
                cmocka_unit_test(test_int80_in_thread_kills_process),
                cmocka_unit_test(test_x32_killed),
                cmocka_unit_test(test_failed_load_leaves_unfiltered),
                cmocka_unit_test(test_refused_compile_loads_nothing),
                cmocka_unit_test(test_kernel_refusal_applies_nothing),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
