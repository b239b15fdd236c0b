/*
 * simtable.h - one whitelist and a table of calls with the action each
 * must get, shared by unit_compile.c (run through the interpreter) and
 * live_filter.c (run against the kernel in forked children), so that
 * the two must agree.
 *
 * The calls with argument rules are ones that ignore their arguments
 * (getpid, getuid, ...) so a child can make them with any registers;
 * socket and openat are made for real with the arguments shown.
 */
#ifndef SW_SIMTABLE_H
#define SW_SIMTABLE_H

#include "wlbuild.h"

#include <errno.h>
#include <linux/seccomp.h>

#define ST_ALLOW    SECCOMP_RET_ALLOW
#define ST_KILL     SECCOMP_RET_KILL_PROCESS
#define ST_ERRNO(e) (SECCOMP_RET_ERRNO | (e))

/* Stands for a pointer to "/" (replaced by a real pointer when live). */
#define ST_PATH UINT64_C(0x5057480000000001)

#define HI(x) (UINT64_C(x) << 32)

struct st_case {
        const char *call;
        uint64_t args[6];
        uint32_t action;
};

/* The whitelist every case runs under (x86_64 numbers via the builder). */
static inline sw_whitelist *st_whitelist(uint32_t arch)
{
        sw_whitelist *wl = wlb_new(arch);
        struct sw_rule *r;
        struct sw_cond *c;

        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        wlb_rule(wl, "write", SW_ALLOW, 0);
        wlb_rule(wl, "sched_yield", SW_ALLOW, 0);
        wlb_rule(wl, "getpgrp", SW_DENY, EBADFD);
        r = wlb_rule(wl, "getpid", SW_CONDITIONAL, 31);
        wlb_arg(wlb_cond(r), 0, SW_OP_EQ, 5, 0, 64);
        r = wlb_rule(wl, "getppid", SW_CONDITIONAL, 32);
        wlb_arg(wlb_cond(r), 0, SW_OP_NE, HI(1), 0, 64);
        r = wlb_rule(wl, "getuid", SW_CONDITIONAL, 33);
        wlb_arg(wlb_cond(r), 1, SW_OP_GT, 40, 0, 32);
        r = wlb_rule(wl, "geteuid", SW_CONDITIONAL, 34);
        c = wlb_cond(r);
        wlb_arg(c, 2, SW_OP_GE, 1024, 0, 64);
        wlb_arg(c, 2, SW_OP_LE, 65535, 0, 64);
        r = wlb_rule(wl, "getgid", SW_CONDITIONAL, 35);
        wlb_arg(wlb_cond(r), 0, SW_OP_LT, HI(1) + 5, 0, 64);
        r = wlb_rule(wl, "getegid", SW_CONDITIONAL, 36);
        wlb_arg(wlb_cond(r), 5, SW_OP_LE, 7, 0, 32);
        r = wlb_rule(wl, "gettid", SW_CONDITIONAL, 37);
        wlb_arg(wlb_cond(r), 3, SW_OP_MASKED_EQ, 0x1200, 0xff00, 64);
        wlb_arg(wlb_cond(r), 4, SW_OP_MASKED_EQ, 0xffffff9c, 0xffffffff, 32);
        r = wlb_rule(wl, "socket", SW_CONDITIONAL, 38);
        wlb_arg(wlb_cond(r), 0, SW_OP_NE, 40, 0, 32);
        r = wlb_rule(wl, "openat", SW_CONDITIONAL, 39);
        wlb_arg(wlb_cond(r), 0, SW_OP_EQ, (uint64_t)-100, 0, 32);
        return wl;
}

static const struct st_case st_cases[] = {
        /* ALLOW, DENY, unlisted */
        {"sched_yield", {0}, ST_ALLOW},
        {"sched_yield", {~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull}, ST_ALLOW},
        {"getpgrp", {0}, ST_ERRNO(EBADFD)},
        {"getsid", {0}, ST_KILL},
        /* eq, 64-bit */
        {"getpid", {5}, ST_ALLOW},
        {"getpid", {4}, ST_ERRNO(31)},
        {"getpid", {6}, ST_ERRNO(31)},
        {"getpid", {HI(1) + 5}, ST_ERRNO(31)},
        {"getpid", {HI(0xffffffff) + 5}, ST_ERRNO(31)},
        /* ne, 64-bit: only the upper half differs */
        {"getppid", {HI(1)}, ST_ERRNO(32)},
        {"getppid", {0}, ST_ALLOW},
        {"getppid", {HI(1) + 1}, ST_ALLOW},
        {"getppid", {HI(1) - 1}, ST_ALLOW},
        {"getppid", {HI(3)}, ST_ALLOW},
        /* gt, 32-bit: the upper half never counts */
        {"getuid", {0, 40}, ST_ERRNO(33)},
        {"getuid", {0, 41}, ST_ALLOW},
        {"getuid", {0, 39}, ST_ERRNO(33)},
        {"getuid", {0, HI(1) + 40}, ST_ERRNO(33)},
        {"getuid", {0, HI(0xffffffff) + 40}, ST_ERRNO(33)},
        {"getuid", {0, HI(7) + 41}, ST_ALLOW},
        {"getuid", {0, 0xffffffff}, ST_ALLOW},
        /* ge and le on one argument: a range, AND */
        {"geteuid", {0, 0, 1023}, ST_ERRNO(34)},
        {"geteuid", {0, 0, 1024}, ST_ALLOW},
        {"geteuid", {0, 0, 1025}, ST_ALLOW},
        {"geteuid", {0, 0, 65535}, ST_ALLOW},
        {"geteuid", {0, 0, 65536}, ST_ERRNO(34)},
        {"geteuid", {0, 0, HI(1) + 2000}, ST_ERRNO(34)},
        {"geteuid", {0, 0, 0}, ST_ERRNO(34)},
        /* lt, 64-bit, the value spans both halves */
        {"getgid", {HI(1) + 4}, ST_ALLOW},
        {"getgid", {HI(1) + 5}, ST_ERRNO(35)},
        {"getgid", {HI(1) + 6}, ST_ERRNO(35)},
        {"getgid", {0xffffffff}, ST_ALLOW},
        {"getgid", {HI(2)}, ST_ERRNO(35)},
        {"getgid", {0}, ST_ALLOW},
        /* le, 32-bit */
        {"getegid", {0, 0, 0, 0, 0, 7}, ST_ALLOW},
        {"getegid", {0, 0, 0, 0, 0, 8}, ST_ERRNO(36)},
        {"getegid", {0, 0, 0, 0, 0, HI(0xffffffff) + 6}, ST_ALLOW},
        {"getegid", {0, 0, 0, 0, 0, 0xffffffff}, ST_ERRNO(36)},
        /* masked_eq, 64-bit and 32-bit, OR of two conditions */
        {"gettid", {0, 0, 0, 0x1234}, ST_ALLOW},
        {"gettid", {0, 0, 0, HI(5) + 0x12ff}, ST_ALLOW},
        {"gettid", {0, 0, 0, 0x1334}, ST_ERRNO(37)},
        {"gettid", {0, 0, 0, 0, 0xffffff9c}, ST_ALLOW},
        {"gettid", {0, 0, 0, 0, (uint64_t)-100}, ST_ALLOW},
        {"gettid", {0, 0, 0, 0, HI(1) + 0xffffff9c}, ST_ALLOW},
        {"gettid", {0, 0, 0, 0, 0xffffff9d}, ST_ERRNO(37)},
        /* socket, "width": 32: arg0 is an int; 0x1_0000_0028 is AF_VSOCK */
        {"socket", {1, 1, 0}, ST_ALLOW},
        {"socket", {40, 1, 0}, ST_ERRNO(38)},
        {"socket", {HI(1) + 40, 1, 0}, ST_ERRNO(38)},
        {"socket", {HI(1) + 1, 1, 0}, ST_ALLOW},
        /* openat, "width": 32: AT_FDCWD however the caller extends it */
        {"openat", {0xffffff9c, ST_PATH, 0}, ST_ALLOW},
        {"openat", {(uint64_t)-100, ST_PATH, 0}, ST_ALLOW},
        {"openat", {HI(1) + 0xffffff9c, ST_PATH, 0}, ST_ALLOW},
        {"openat", {3, ST_PATH, 0}, ST_ERRNO(39)},
        {"openat", {0xffffff9d, ST_PATH, 0}, ST_ERRNO(39)},
};

#endif /* SW_SIMTABLE_H */
