/*
 * live_cases.c - the failure cases of ../shared/cases that concern the
 * compiler, end to end: each case's whitelist read, compiled, proven and
 * loaded in a forked child that then runs the case's own program (built
 * static with gcc), with the exact outcome asserted.
 */
#include "testutil.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_MAX 8192

static const char *case_file(const char *bh, const char *name)
{
        static char buf[4][4096];
        static int next;
        char rel[256];
        char *out = buf[next++ % 4];

        snprintf(rel, sizeof(rel), "cases/%s/%s", bh, name);
        snprintf(out, sizeof(buf[0]), "%s", tu_shared(rel));
        return out;
}

/* Build a case's prog.c; the path of the binary, or NULL. */
static const char *build_prog(const char *bh, const char *extra)
{
        static char bin[4096];
        char cmd[12288];
        const char *dir =
                getenv("SW_BUILD_DIR") ? getenv("SW_BUILD_DIR") : SW_BUILD_DIR;

        snprintf(bin, sizeof(bin), "%s/tests/%s-prog", dir, bh);
        snprintf(cmd, sizeof(cmd), "gcc -O2 -o '%s' '%s' %s 2>&1", bin,
                 case_file(bh, "prog.c"), extra);
        if (system(cmd) != 0)
                return NULL;
        return bin;
}

struct outcome {
        int status;
        char out[OUT_MAX];
};

/* Run argv with its output captured. */
static void run_captured(char *const argv[], struct outcome *o)
{
        int fd[2];
        pid_t pid;
        size_t n = 0;

        assert_int_equal(pipe(fd), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                dup2(fd[1], STDOUT_FILENO);
                dup2(fd[1], STDERR_FILENO);
                close(fd[0]);
                execv(argv[0], argv);
                _exit(127);
        }
        close(fd[1]);
        for (;;) {
                ssize_t r = read(fd[0], o->out + n, sizeof(o->out) - 1 - n);

                if (r <= 0)
                        break;
                n += (size_t)r;
        }
        o->out[n] = '\0';
        close(fd[0]);
        assert_int_equal(waitpid(pid, &o->status, 0), pid);
}

/* Load json, compile, and run prog under the filter in a child. */
static void run_case(const char *json, const char *prog, struct outcome *o)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;
        int fd[2];
        pid_t pid;
        size_t n = 0;

        if (sw_whitelist_load_file(json, NULL, &wl, NULL) != SW_SUCCESS)
                fail_msg("%s does not load", json);
        if (sw_compile(wl, NULL, &f, &err) != SW_SUCCESS)
                fail_msg("%s: %s", json, sw_error_message(err));
        assert_int_equal(pipe(fd), 0);
        fflush(NULL);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                char *argv[] = {(char *)prog, NULL};

                dup2(fd[1], STDOUT_FILENO);
                dup2(fd[1], STDERR_FILENO);
                close(fd[0]);
                if (sw_filter_load(f, NULL) != SW_SUCCESS)
                        _exit(120);
                execv(prog, argv);
                _exit(127);
        }
        close(fd[1]);
        for (;;) {
                ssize_t r = read(fd[0], o->out + n, sizeof(o->out) - 1 - n);

                if (r <= 0)
                        break;
                n += (size_t)r;
        }
        o->out[n] = '\0';
        close(fd[0]);
        assert_int_equal(waitpid(pid, &o->status, 0), pid);
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

static void assert_exit(const struct outcome *o, int code)
{
        if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != code)
                fail_msg("status 0x%x, want exit %d; output:\n%s", o->status,
                         code, o->out);
}

static void assert_sigsys(const struct outcome *o)
{
        if (!WIFSIGNALED(o->status) || WTERMSIG(o->status) != SIGSYS)
                fail_msg("status 0x%x, want SIGSYS; output:\n%s", o->status,
                         o->out);
        assert_null(strstr(o->out, "WRONG"));
}

static const char *need_prog(const char *bh, const char *extra)
{
        const char *p = build_prog(bh, extra);

        if (p == NULL)
                tu_skip_unless_ci("gcc -static cannot build the case programs");
        return p;
}

/* bh-04: AT_FDCWD with "width": 32 is compared on the low half, which is
 * all the kernel reads: all four opens reach the kernel.  Without "width"
 * the comparison is 64 bits wide (P1.2): only the sign-extended -100
 * matches, and glibc 2.36's zero-extended open() is refused. */
static void test_bh04(void **state)
{
        const char *prog = need_prog("bh-04", "-static");
        struct outcome o;

        (void)state;
        run_case(case_file("bh-04", "whitelist.json"), prog, &o);
        assert_exit(&o, 0);
        assert_non_null(strstr(o.out, "0 of 4 refused"));
        run_case(case_file("bh-04", "whitelist-width64.json"), prog, &o);
        assert_exit(&o, 3);
        assert_non_null(strstr(o.out, "3 of 4 refused"));
        assert_non_null(strstr(o.out, "libc open()                        "
                                      "refused: Permission denied"));
        assert_non_null(strstr(o.out, "raw, sign-extended -100            "
                                      "opened"));
}

/* bh-06: AND inside a condition (a range), OR across conditions. */
static void test_bh06(void **state)
{
        const char *prog = need_prog("bh-06", "-static");
        struct outcome o;

        (void)state;
        run_case(case_file("bh-06", "whitelist.json"), prog, &o);
        assert_exit(&o, 0);
        assert_non_null(strstr(o.out, "0 wrong"));
}

/* bh-08: 2^53+1 is compared exactly. */
static void test_bh08(void **state)
{
        const char *prog = need_prog("bh-08", "-static");
        struct outcome o;

        (void)state;
        run_case(case_file("bh-08", "whitelist.json"), prog, &o);
        assert_exit(&o, 0);
        assert_non_null(strstr(o.out, "0 wrong"));
}

/* bh-14: an x32 number kills the process after the native call. */
static void test_bh14(void **state)
{
        const char *prog = need_prog("bh-14", "-static");
        char want[64];
        struct outcome o;

        (void)state;
        run_case(case_file("bh-14", "whitelist.json"), prog, &o);
        assert_sigsys(&o);
        snprintf(want, sizeof(want), "native getpid: ");
        assert_non_null(strstr(o.out, want));
}

/* bh-16: int 0x80 in a side thread kills the whole process. */
static void test_bh16(void **state)
{
        const char *prog = need_prog("bh-16", "-static -pthread");
        struct outcome o;

        (void)state;
        run_case(case_file("bh-16", "whitelist.json"), prog, &o);
        assert_sigsys(&o);
}

/* bh-18: the case's program, built against the library, applies the
 * whitelist with threads already running; the older thread's call kills
 * the process (exit 3 would mean no thread sync). */
static void test_bh18(void **state)
{
        char extra[8192];
        const char *dir =
                getenv("SW_BUILD_DIR") ? getenv("SW_BUILD_DIR") : SW_BUILD_DIR;
        const char *src = getenv("SW_SOURCE_DIR") ? getenv("SW_SOURCE_DIR")
                                                  : SW_SOURCE_DIR;
        const char *prog;
        struct outcome o;
        char *argv[3];

        (void)state;
        snprintf(extra, sizeof(extra),
                 "-pthread -include '%s/tests/data/bh18-shim.h' -I'%s/include' "
                 "'%s/libsyswall.a' $(pkg-config --libs libseccomp jansson "
                 "libsodium)"
#ifdef __SANITIZE_ADDRESS__
                 " -fsanitize=address,undefined"
#endif
                 ,
                 src, src, dir);
        prog = build_prog("bh-18", extra);
        if (prog == NULL)
                fail_msg("the bh-18 program does not build against libsyswall");
        argv[0] = (char *)prog;
        argv[1] = (char *)case_file("bh-18", "whitelist.json");
        argv[2] = NULL;
        run_captured(argv, &o);
        assert_sigsys(&o);
}

/* bh-20: 5000 conditions are refused with the size, the limit and the
 * rule that costs them. */
static void test_bh20(void **state)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(
                sw_whitelist_load_file(case_file("bh-20", "whitelist.json"),
                                       NULL, &wl, NULL),
                SW_SUCCESS);
        assert_int_equal(sw_compile(wl, NULL, &f, &err), SW_EPROTO);
        assert_null(f);
        assert_string_equal(
                sw_error_message(err),
                "the filter needs 5067 BPF instructions, the "
                "kernel's limit is 4096; syscalls[13] (ioctl) costs "
                "5027");
        assert_string_equal(sw_error_path(err), "syscalls[13]");
        assert_string_equal(sw_error_hint(err),
                            "merge values into ranges (ge and le in one "
                            "condition) or masks (masked_eq), or use fewer "
                            "conditions");
        sw_error_free(err);
        sw_whitelist_free(wl);
}

/* The cases' whitelists through the interpreter, on any machine: the
 * action each call must get (issue 3's simulation table). */
struct sim_case {
        const char *file;
        const char *call;
        uint64_t args[6];
        uint32_t action;
};

#define ALLOW   SECCOMP_RET_ALLOW
#define KILL    SECCOMP_RET_KILL_PROCESS
#define EACCES_ (SECCOMP_RET_ERRNO | EACCES)
#define P53     UINT64_C(9007199254740992)

static const struct sim_case sim_cases[] = {
        {"bh-04/whitelist.json", "openat", {0xffffff9c}, ALLOW},
        {"bh-04/whitelist.json", "openat", {(uint64_t)-100}, ALLOW},
        {"bh-04/whitelist.json", "openat", {0x1ffffff9c}, ALLOW},
        {"bh-04/whitelist.json", "openat", {3}, EACCES_},
        /* no "width": all 64 bits, so only the sign-extended -100 */
        {"bh-04/whitelist-width64.json", "openat", {(uint64_t)-100}, ALLOW},
        {"bh-04/whitelist-width64.json", "openat", {0xffffff9c}, EACCES_},
        {"bh-04/whitelist-width64.json", "openat", {0x1ffffff9c}, EACCES_},
        {"bh-06/whitelist.json", "lseek", {3, 0, 0}, EACCES_},
        {"bh-06/whitelist.json", "lseek", {3, 0, 1}, ALLOW},
        {"bh-06/whitelist.json", "lseek", {3, 0, 2}, ALLOW},
        {"bh-06/whitelist.json", "lseek", {3, 0, 3}, EACCES_},
        {"bh-06/whitelist.json", "socket", {1, 2}, ALLOW},
        {"bh-06/whitelist.json", "socket", {2, 1}, ALLOW},
        {"bh-06/whitelist.json", "socket", {2, 2}, EACCES_},
        {"bh-06/whitelist.json", "socket", {10, 1}, EACCES_},
        {"bh-08/whitelist.json", "lseek", {3, P53 + 1}, ALLOW},
        {"bh-08/whitelist.json", "lseek", {3, P53}, EACCES_},
        {"bh-08/whitelist.json", "lseek", {3, P53 + 2}, EACCES_},
        /* a bare JSON integer is kept exact, never rounded to 2^53 */
        {"bh-08/whitelist-integer.json", "lseek", {3, P53 + 1}, ALLOW},
        {"bh-08/whitelist-integer.json", "lseek", {3, P53}, EACCES_},
        {"bh-14/whitelist.json", "getpid", {0}, ALLOW},
        {"bh-14/whitelist.json", "getppid", {0}, KILL},
};

static void test_cases_simulated(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(sim_cases) / sizeof(sim_cases[0]); i++) {
                const struct sim_case *c = &sim_cases[i];
                char rel[128];
                sw_whitelist *wl = NULL;
                sw_filter *f = NULL;
                uint32_t action = 0;

                snprintf(rel, sizeof(rel), "cases/%s", c->file);
                assert_int_equal(
                        sw_whitelist_load_file(tu_shared(rel), NULL, &wl, NULL),
                        SW_SUCCESS);
                assert_int_equal(sw_compile(wl, NULL, &f, NULL), SW_SUCCESS);
                sw_filter_simulate(f, SCMP_ARCH_X86_64,
                                   seccomp_syscall_resolve_name(c->call),
                                   c->args, &action, NULL);
                if (action != c->action)
                        fail_msg("%s %s: 0x%08x, want 0x%08x", c->file, c->call,
                                 action, c->action);
                sw_filter_free(f);
                sw_whitelist_free(wl);
        }
}

static void apply_child(void *arg)
{
        sw_error *err = NULL;
        sw_code sc = sw_apply_file(arg, NULL, NULL, &err);

        if (sc != SW_EPROTO)
                _exit(1);
        if (strstr(sw_error_message(err),
                   "the filter needs 5067 BPF instructions") == NULL)
                _exit(2);
        sw_error_free(err);
        _exit(tu_status_field("/proc/self/status", "Seccomp:") == 0 ? 0 : 3);
}

/* sw_apply_file is all or nothing: bh-20 is read and checked, fails to
 * compile, and the process stays unfiltered ("Seccomp: 0"). */
static void test_apply_all_or_nothing(void **state)
{
        int status = tu_fork_run(apply_child,
                                 (void *)case_file("bh-20", "whitelist.json"));

        (void)state;
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

/* The embedded default whitelist compiles, is proven, and refuses the
 * calls it promises to refuse (the run issue's list), from the table. */
static void test_default_whitelist(void **state)
{
        static const char *const refused[] = {
                "ptrace",          "mount",        "kexec_load",
                "init_module",     "finit_module", "bpf",
                "perf_event_open", "keyctl",       "userfaultfd",
                "io_uring_setup",  "personality",  "kexec_file_load",
        };
        static const char *const allowed[] = {"read", "write", "exit_group",
                                              "close"};
        size_t len = 0;
        const char *doc = sw_default_whitelist(&len);
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;
        uint64_t zero[6] = {0};

        (void)state;
        assert_int_equal(
                sw_whitelist_load_buffer(doc, len, "default", NULL, &wl, NULL),
                SW_SUCCESS);
        if (sw_compile(wl, NULL, &f, &err) != SW_SUCCESS)
                fail_msg("default: %s", sw_error_message(err));
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
                uint32_t action = 0;

                sw_filter_simulate(f, seccomp_arch_native(),
                                   seccomp_syscall_resolve_name(refused[i]),
                                   zero, &action, NULL);
                if (action == SECCOMP_RET_ALLOW)
                        fail_msg("the default whitelist allows %s", refused[i]);
        }
        for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
                uint32_t action = 0;

                sw_filter_simulate(f, seccomp_arch_native(),
                                   seccomp_syscall_resolve_name(allowed[i]),
                                   zero, &action, NULL);
                assert_int_equal(action, SECCOMP_RET_ALLOW);
        }
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_bh04),
                cmocka_unit_test(test_bh06),
                cmocka_unit_test(test_bh08),
                cmocka_unit_test(test_bh14),
                cmocka_unit_test(test_bh16),
                cmocka_unit_test(test_bh18),
                cmocka_unit_test(test_bh20),
                cmocka_unit_test(test_cases_simulated),
                cmocka_unit_test(test_default_whitelist),
                cmocka_unit_test(test_apply_all_or_nothing),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
