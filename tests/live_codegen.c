/*
 * live_codegen.c - native programs in the real kernel: a filter whose
 * search jumps over more than 255 instructions (a `ja` at its root), with
 * an argument block shared by two calls and coalesced ranges, loaded in
 * forked children.  Each call's real outcome (errno, SIGSYS, success) must
 * be what the interpreter says and what the whitelist means.
 */
#include "testutil.h"

#include "compile.h"
#include "wlbuild.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Two-filter conditions on arguments 0 and 1: 4 instructions each. */
static void long_block(sw_whitelist *wl, const char *name, int err_no,
                       uint64_t base)
{
        struct sw_rule *r = wlb_rule(wl, name, SW_CONDITIONAL, err_no);

        for (unsigned i = 0; i < 150; i++) {
                struct sw_cond *c = wlb_cond(r);

                wlb_arg(c, 0, SW_OP_EQ, base + i, 0, 32);
                wlb_arg(c, 1, SW_OP_EQ, 1000 + i, 0, 32);
        }
}

static void one_eq(sw_whitelist *wl, const char *name, uint64_t v)
{
        wlb_arg(wlb_cond(wlb_rule(wl, name, SW_CONDITIONAL, EPERM)), 0,
                SW_OP_EQ, v, 0, 32);
}

/*
 * getppid (110) and getpgrp (111) carry long blocks on both sides of the
 * root; dup (32) and kill (62) share one block; exit (60) and exit_group
 * (231) are allowed; close (3) is denied with ENOTNAM.
 */
static sw_whitelist *far_whitelist(void)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);

        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        wlb_rule(wl, "exit", SW_ALLOW, 0);
        wlb_rule(wl, "close", SW_DENY, ENOTNAM);
        long_block(wl, "getppid", EDOM, 0);
        long_block(wl, "getpgrp", ERANGE, 500);
        one_eq(wl, "dup", 777);
        one_eq(wl, "kill", 777);
        return wl;
}

struct call {
        int nr;
        uint64_t a0;
        uint64_t a1;
};

/* The filter and the call, for the child. */
struct job {
        const sw_filter *f;
        struct call c;
};

static void job_child(void *arg)
{
        const struct job *j = arg;
        long rc;

        if (sw_filter_load(j->f, NULL) != SW_SUCCESS)
                syscall(SYS_exit_group, 120);
        rc = syscall(j->c.nr, j->c.a0, j->c.a1, 0, 0, 0, 0);
        syscall(SYS_exit_group, rc >= 0 ? 0 : errno);
}

/* What the kernel did, in the terms of a seccomp return value. */
static uint32_t live_action(const sw_filter *f, const struct call *c)
{
        struct job j = {f, *c};
        int status = tu_fork_run(job_child, &j);

        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
                return SECCOMP_RET_KILL_PROCESS;
        assert_true(WIFEXITED(status));
        assert_int_not_equal(WEXITSTATUS(status), 120);
        return WEXITSTATUS(status) == 0
                       ? SECCOMP_RET_ALLOW
                       : SECCOMP_RET_ERRNO | (uint32_t)WEXITSTATUS(status);
}

#define ALLOW    SECCOMP_RET_ALLOW
#define KILL     SECCOMP_RET_KILL_PROCESS
#define ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))

static void test_far_and_shared_live(void **state)
{
        /* what the filter answers, and what the caller then sees: an
         * allowed dup(777) or kill(777) fails in the kernel itself */
        static const struct {
                struct call c;
                uint32_t filter;
                uint32_t seen;
        } cases[] = {
                {{SYS_getppid, 149, 1149}, ALLOW, ALLOW},
                {{SYS_getppid, 149, 1148}, ERRNO(EDOM), ERRNO(EDOM)},
                {{SYS_getppid, 0x100000000 + 149, 1149}, ALLOW, ALLOW},
                {{SYS_getpgrp, 649, 1149}, ALLOW, ALLOW},
                {{SYS_getpgrp, 650, 1150}, ERRNO(ERANGE), ERRNO(ERANGE)},
                {{SYS_dup, 777, 0}, ALLOW, ERRNO(EBADF)},
                {{SYS_dup, 778, 0}, ERRNO(EPERM), ERRNO(EPERM)},
                {{SYS_kill, 777, 0}, ALLOW, ERRNO(ESRCH)},
                {{SYS_kill, 1, 0}, ERRNO(EPERM), ERRNO(EPERM)},
                {{SYS_close, 3, 0}, ERRNO(ENOTNAM), ERRNO(ENOTNAM)},
                {{SYS_getuid, 0, 0}, KILL, KILL},
                {{SYS_getpid, 0, 0}, KILL, KILL},
                {{0x40000000 | SYS_getppid, 149, 1149}, KILL, KILL},
        };
        sw_whitelist *wl = far_whitelist();
        sw_config *cfg = sw_config_new();
        sw_filter *f = NULL;
        const struct sock_filter *p;
        size_t ja = 0;

        (void)state;
        assert_non_null(cfg);
        assert_int_equal(sw_config_set_backend(cfg, "native"), SW_SUCCESS);
        assert_int_equal(sw_compile(wl, cfg, &f, NULL), SW_SUCCESS);
        p = sw_filter_program(f);
        /* in the search: a ja over a long block's side of a node (to
         * a compare), and the two leaves of dup and kill, ja to their
         * one shared block (the last 4 instructions) */
        for (size_t pc = 4; pc < 30; pc++) {
                size_t to = pc + 1 + p[pc].k;

                if (p[pc].code != (BPF_JMP | BPF_JA))
                        continue;
                ja++;
                if (p[to].code == (BPF_JMP | BPF_JGE | BPF_K))
                        assert_true(p[pc].k > 255);
                else
                        assert_int_equal(to, sw_filter_length(f) - 4);
        }
        assert_int_equal(ja, 3);
        assert_true(sw_filter_length(f) > 1200);
        for (size_t i = 0; i < SW_ARRAY_SIZE(cases); i++) {
                const struct call *c = &cases[i].c;
                uint64_t args[6] = {c->a0, c->a1};
                uint32_t sim = 0;
                uint32_t got = live_action(f, c);

                sw_filter_simulate(f, AUDIT_ARCH_X86_64, c->nr, args, &sim,
                                   NULL);
                if (got != cases[i].seen || sim != cases[i].filter ||
                    sw_policy_action(wl, AUDIT_ARCH_X86_64, c->nr, args) !=
                            cases[i].filter)
                        fail_msg("case %zu (nr %d): kernel 0x%08x, "
                                 "interpreter 0x%08x, want 0x%08x, 0x%08x",
                                 i, c->nr, got, sim, cases[i].seen,
                                 cases[i].filter);
        }
        sw_filter_free(f);
        sw_config_free(cfg);
        wlb_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_far_and_shared_live),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
