/*
 * live_explain.c - `explain` agrees with the live kernel: for each call of
 * a table, the action sw_explain() names is the one the kernel takes when
 * a forked child makes the call under the same filter.
 *
 * Denials use errnos no call of the table returns by itself (EOWNERDEAD,
 * ENOTRECOVERABLE, EKEYREJECTED ...), so "refused by the filter" cannot
 * be confused with the kernel's own answer.
 */
#include "testutil.h"

#include "internal.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char policy[] =
        "{\"schema_version\":\"1.0\",\"whitelist_id\":\"live-explain\","
        "\"created_at\":\"2026-01-15T10:00:00Z\","
        "\"created_by\":\"Security Agent\",\"syscalls\":["
        "{\"name\":\"write\",\"permission\":\"ALLOW\"},"
        "{\"name\":\"exit_group\",\"permission\":\"ALLOW\"},"
        "{\"name\":\"getpid\",\"permission\":\"ALLOW\"},"
        "{\"name\":\"getppid\",\"permission\":\"DENY\",\"errno\":\"EOWNERDEAD\"},"
        "{\"name\":\"socket\",\"permission\":\"CONDITIONAL\","
        "\"errno\":\"EKEYREJECTED\",\"conditions\":["
        "{\"description\":\"AF_INET stream\",\"argument_filter\":["
        "{\"arg_index\":0,\"operator\":\"eq\",\"value\":2,\"width\":32},"
        "{\"arg_index\":1,\"operator\":\"masked_eq\",\"value\":1,"
        "\"mask\":\"0xf\",\"width\":32}]}]},"
        "{\"name\":\"prctl\",\"permission\":\"CONDITIONAL\","
        "\"errno\":\"ENOTRECOVERABLE\",\"conditions\":["
        "{\"description\":\"PR_GET_DUMPABLE\",\"argument_filter\":"
        "{\"arg_index\":0,\"operator\":\"eq\",\"value\":3,\"width\":32}}]},"
        "{\"name\":\"mprotect\",\"permission\":\"CONDITIONAL\","
        "\"errno\":\"EKEYREVOKED\",\"conditions\":["
        "{\"description\":\"never executable\",\"argument_filter\":"
        "{\"arg_index\":2,\"operator\":\"masked_eq\",\"value\":0,"
        "\"mask\":\"0x4\",\"width\":32}}]},"
        "{\"name\":\"lseek\",\"permission\":\"CONDITIONAL\","
        "\"errno\":\"ENOTNAM\",\"conditions\":["
        "{\"description\":\"below 100\",\"argument_filter\":"
        "{\"arg_index\":1,\"operator\":\"lt\",\"value\":100}}]}"
        "]}";

/* One call of the table: number and arguments, and what is expected. */
struct row {
        const char *what;
        long nr;
        uint64_t args[6];
        const char *expect; /* sw_action_text() of the expected action */
};

#define HI 0xffffffff00000000ull

static const struct row rows[] = {
        {"getpid", SYS_getpid, {0}, "ALLOW"},
        {"getppid denied", SYS_getppid, {0}, "ERRNO(EOWNERDEAD)"},
        {"socket AF_INET stream", SYS_socket, {AF_INET, SOCK_STREAM}, "ALLOW"},
        {"socket with SOCK_CLOEXEC",
         SYS_socket,
         {AF_INET, SOCK_STREAM | SOCK_CLOEXEC},
         "ALLOW"},
        {"socket AF_INET dgram",
         SYS_socket,
         {AF_INET, SOCK_DGRAM},
         "ERRNO(EKEYREJECTED)"},
        {"socket AF_UNIX",
         SYS_socket,
         {AF_UNIX, SOCK_STREAM},
         "ERRNO(EKEYREJECTED)"},
        {"socket, upper half of an int set",
         SYS_socket,
         {HI | AF_INET, SOCK_STREAM},
         "ALLOW"},
        {"prctl PR_GET_DUMPABLE", SYS_prctl, {PR_GET_DUMPABLE}, "ALLOW"},
        {"prctl PR_GET_NAME",
         SYS_prctl,
         {PR_GET_NAME},
         "ERRNO(ENOTRECOVERABLE)"},
        {"mprotect PROT_READ", SYS_mprotect, {0, 0, PROT_READ}, "ALLOW"},
        {"mprotect PROT_EXEC",
         SYS_mprotect,
         {0, 0, PROT_READ | PROT_EXEC},
         "ERRNO(EKEYREVOKED)"},
        {"lseek to 5 (64-bit compare)", SYS_lseek, {(uint64_t)-1, 5}, "ALLOW"},
        {"lseek, upper half of an off_t set",
         SYS_lseek,
         {(uint64_t)-1, HI | 5},
         "ERRNO(ENOTNAM)"},
        {"lseek to 200", SYS_lseek, {(uint64_t)-1, 200}, "ERRNO(ENOTNAM)"},
        {"mkdir, not listed", SYS_mkdir, {0}, "KILL_PROCESS"},
        {"ptrace, not listed", SYS_ptrace, {0}, "KILL_PROCESS"},
};

struct live_run {
        const sw_filter *f;
        const struct row *r;
        int fd;
};

/* In the child: load, make the call, report its errno (0 on success). */
static void child_call(void *arg)
{
        const struct live_run *lr = arg;
        const uint64_t *a = lr->r->args;
        long ret;
        int e;

        if (sw_filter_load(lr->f, NULL) != SW_SUCCESS)
                syscall(SYS_exit_group, 120);
        ret = syscall(lr->r->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        e = ret < 0 ? errno : 0;
        syscall(SYS_write, lr->fd, &e, sizeof(e));
        syscall(SYS_exit_group, 0);
}

/* What the kernel did, in sw_action_text()'s words. */
static void live_action(const sw_filter *f, const struct row *r, char *buf,
                        size_t size)
{
        struct live_run lr = {f, r, -1};
        int fds[2];
        int status;
        int e = -1;

        assert_int_equal(pipe(fds), 0);
        lr.fd = fds[1];
        status = tu_fork_run(child_call, &lr);
        close(fds[1]);
        if (read(fds[0], &e, sizeof(e)) != sizeof(e))
                e = -1;
        close(fds[0]);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
                snprintf(buf, size, "KILL_PROCESS");
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || e < 0)
                snprintf(buf, size, "child status 0x%x", status);
        else if (e == EOWNERDEAD || e == EKEYREJECTED || e == ENOTRECOVERABLE ||
                 e == EKEYREVOKED || e == ENOTNAM)
                snprintf(buf, size, "ERRNO(%s)", strerrorname_np(e));
        else
                snprintf(buf, size, "ALLOW");
}

static void test_explain_matches_kernel(void **state)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;
        (void)state;

        assert_int_equal(sw_whitelist_load_buffer(policy, strlen(policy),
                                                  "live", NULL, &wl, NULL),
                         SW_SUCCESS);
        assert_int_equal(sw_compile(wl, NULL, &f, &err), SW_SUCCESS);
        for (size_t i = 0; i < SW_ARRAY_SIZE(rows); i++) {
                char said[48], did[48];
                uint32_t action = 0;
                char *text = NULL;

                assert_int_equal(sw_explain(wl, f, NULL, (int)rows[i].nr,
                                            rows[i].args, &action, &text, &err),
                                 SW_SUCCESS);
                sw_action_text(action, said, sizeof(said));
                live_action(f, &rows[i], did, sizeof(did));
                printf("%-36s explain %-24s kernel %s\n", rows[i].what, said,
                       did);
                assert_string_equal(said, rows[i].expect);
                assert_string_equal(did, said);
                free(text);
        }
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

/* The text names the rule and the condition that decided. */
static void test_explain_text(void **state)
{
        static const uint64_t cloexec[6] = {AF_INET, SOCK_STREAM | 0x80000};
        static const uint64_t unix_sock[6] = {AF_UNIX, SOCK_STREAM};
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        uint32_t action;
        char *text = NULL;
        (void)state;

        assert_int_equal(sw_whitelist_load_buffer(policy, strlen(policy),
                                                  "live", NULL, &wl, NULL),
                         SW_SUCCESS);
        assert_int_equal(sw_compile(wl, NULL, &f, NULL), SW_SUCCESS);
        assert_int_equal(sw_explain(wl, f, NULL, SYS_socket, cloexec, &action,
                                    &text, NULL),
                         SW_SUCCESS);
        assert_non_null(strstr(text, "action:    ALLOW\n"));
        assert_non_null(strstr(text, "rule:      syscalls[4] 'socket' "
                                     "CONDITIONAL"));
        assert_non_null(strstr(text, "condition: conditions[0] \"AF_INET "
                                     "stream\": arg0 == 0x2 (32-bit) and "
                                     "arg1 & 0xf == 0x1 (32-bit)\n"));
        free(text);
        assert_int_equal(sw_explain(wl, f, NULL, SYS_socket, unix_sock, &action,
                                    &text, NULL),
                         SW_SUCCESS);
        assert_non_null(strstr(text, "action:    ERRNO(EKEYREJECTED)\n"));
        assert_non_null(strstr(text, "condition: none of 1 holds, so the "
                                     "rule's errno applies\n"));
        free(text);
        assert_int_equal(sw_explain(wl, f, NULL, SYS_mkdir, unix_sock, &action,
                                    &text, NULL),
                         SW_SUCCESS);
        assert_non_null(strstr(text, "rule:      none: the call is not "
                                     "listed, so the default action "
                                     "applies\n"));
        assert_int_equal(action, SECCOMP_RET_KILL_PROCESS);
        free(text);
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_explain_matches_kernel),
                cmocka_unit_test(test_explain_text),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
