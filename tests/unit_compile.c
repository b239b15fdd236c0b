/*
 * unit_compile.c - the compiler, run through the interpreter: a table of
 * calls and their actions, the proof, and the proof catching a program
 * that was corrupted after it was compiled.  Every test runs once per
 * backend (native, libseccomp).
 */
#include "testutil.h"

#include "compile.h"
#include "simtable.h"

#include <linux/audit.h>
#include <string.h>

static int nr_of(uint32_t arch, const char *name)
{
        return seccomp_syscall_resolve_name_arch(arch, name);
}

/* The backend of the group of tests running now: "default" is native
 * where the native backend supports the target. */
static const char *backend = "default";

static bool native(void)
{
        return strcmp(backend, "default") == 0;
}

static sw_code compile(const sw_whitelist *wl, sw_filter **f, sw_error **err)
{
        sw_config *cfg = sw_config_new();
        sw_code rc;

        assert_non_null(cfg);
        assert_int_equal(sw_config_set_backend(cfg, backend), SW_SUCCESS);
        rc = sw_compile(wl, cfg, f, err);
        sw_config_free(cfg);
        return rc;
}

static sw_filter *compile_ok(const sw_whitelist *wl)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;
        sw_code rc = compile(wl, &f, &err);

        if (rc != SW_SUCCESS)
                fail_msg("compile failed: %s", sw_error_message(err));
        assert_null(err);
        /* riscv64, aarch64 and x86_64 are native; the rest libseccomp */
        if (native() && sw_codegen_supports(sw_filter_arch(f)))
                assert_string_equal(sw_filter_backend(f), "native");
        else
                assert_string_equal(sw_filter_backend(f), "libseccomp");
        return f;
}

static uint32_t sim(const sw_filter *f, uint32_t arch, int nr,
                    const uint64_t args[6])
{
        uint32_t action = 0;

        assert_int_equal(sw_filter_simulate(f, arch, nr, args, &action, NULL),
                         SW_SUCCESS);
        return action;
}

static void test_table(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);

        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(st_cases); i++) {
                const struct st_case *c = &st_cases[i];
                int nr = nr_of(SCMP_ARCH_X86_64, c->call);
                uint32_t got = sim(f, SCMP_ARCH_X86_64, nr, c->args);

                if (got != c->action)
                        fail_msg("case %zu (%s): got 0x%08x, want 0x%08x", i,
                                 c->call, got, c->action);
                /* The policy's meaning agrees with the table too. */
                assert_int_equal(
                        sw_policy_action(wl, SCMP_ARCH_X86_64, nr, c->args),
                        c->action);
        }
        sw_filter_free(f);
        wlb_free(wl);
}

/* Calls from another ABI or architecture kill the process (bh-14, 16). */
static void test_foreign_abi(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);
        uint64_t zero[6] = {0};
        int yield = nr_of(SCMP_ARCH_X86_64, "sched_yield");

        (void)state;
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, yield, zero), ST_ALLOW);
        /* x32: same arch value, bit 30 in the number */
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, 0x40000000 | yield, zero),
                         ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, 0x40000000 | 39, zero),
                         ST_KILL);
        /* i386 int 0x80: KILL_PROCESS, never libseccomp's KILL_THREAD */
        assert_int_equal(sim(f, AUDIT_ARCH_I386, 158, zero), ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_I386, 20, zero), ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_AARCH64, yield, zero), ST_KILL);
        sw_filter_free(f);
        wlb_free(wl);
}

/*
 * x32 numbers (bit 30) are killed: libseccomp tests them before its tree;
 * the native search puts them in its last range, which kills, at no cost.
 */
static void test_x32_test_in_program(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);
        const struct sock_filter *p = sw_filter_program(f);
        uint64_t zero[6] = {0};
        bool found = false;

        (void)state;
        for (size_t i = 0; i < sw_filter_length(f); i++)
                if (p[i].code == (BPF_JMP | BPF_JGE | BPF_K) &&
                    p[i].k == 0x40000000)
                        found = true;
        assert_true(found == !native());
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, 0x40000000, zero), ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, 0x40000000 | 231, zero),
                         ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, -1, zero), ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, 231, zero), ST_ALLOW);
        sw_filter_free(f);
        wlb_free(wl);
}

static void test_proof_passes_and_verify(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);
        sw_filter *raw = NULL;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(sw_filter_verify(f, wl, &err), SW_SUCCESS);
        assert_int_equal(sw_filter_from_bpf(sw_filter_program(f),
                                            sw_filter_length(f) * 8, &raw,
                                            &err),
                         SW_SUCCESS);
        assert_int_equal(sw_filter_arch(raw), 0);
        assert_int_equal(sw_filter_verify(raw, wl, &err), SW_SUCCESS);
        assert_null(err);
        sw_filter_free(raw);
        sw_filter_free(f);
        wlb_free(wl);
}

/* Swap the targets of one conditional jump and verify the copy. */
static sw_code verify_corrupted(const sw_filter *f, const sw_whitelist *wl,
                                size_t pc, sw_error **err)
{
        size_t len = sw_filter_length(f);
        struct sock_filter *p = malloc(len * sizeof(*p));
        sw_filter *bad = NULL;
        sw_code rc;
        uint8_t t;

        assert_non_null(p);
        memcpy(p, sw_filter_program(f), len * sizeof(*p));
        t = p[pc].jt;
        p[pc].jt = p[pc].jf;
        p[pc].jf = t;
        assert_int_equal(sw_filter_from_bpf(p, len * sizeof(*p), &bad, err),
                         SW_SUCCESS);
        rc = sw_filter_verify(bad, wl, err);
        sw_filter_free(bad);
        free(p);
        return rc;
}

static void test_proof_catches_every_flipped_jump(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);
        const struct sock_filter *p = sw_filter_program(f);
        size_t flipped = 0;

        (void)state;
        for (size_t pc = 0; pc < sw_filter_length(f); pc++) {
                sw_error *err = NULL;

                if (BPF_CLASS(p[pc].code) != BPF_JMP ||
                    BPF_OP(p[pc].code) == BPF_JA || p[pc].jt == p[pc].jf)
                        continue;
                /* libseccomp lets nr -1 past its x32 test, to the default
                 * action; flipped, -1 meets the bad-arch action instead.
                 * Both kill the process: the same program in meaning. */
                if (p[pc].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
                    p[pc].k == UINT32_MAX)
                        continue;
                flipped++;
                if (verify_corrupted(f, wl, pc, &err) != SW_EINTERNAL)
                        fail_msg("a flipped jump at %zu was not caught", pc);
                assert_non_null(strstr(sw_error_message(err),
                                       "disagrees with the whitelist"));
                sw_error_free(err);
        }
        assert_true(flipped > 30);
        sw_filter_free(f);
        wlb_free(wl);
}

/* The message names the rule, the input and both answers. */
static void test_proof_message(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f;
        sw_error *err = NULL;
        size_t pc;
        const struct sock_filter *p;

        (void)state;
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        wlb_arg(wlb_cond(wlb_rule(wl, "getpid", SW_CONDITIONAL, 13)), 0,
                SW_OP_EQ, 5, 0, 64);
        f = compile_ok(wl);
        p = sw_filter_program(f);
        /* The last jeq of the block compares the low word with 5. */
        for (pc = sw_filter_length(f) - 1; pc > 0; pc--)
                if (p[pc].code == (BPF_JMP | BPF_JEQ | BPF_K) && p[pc].k == 5)
                        break;
        assert_int_equal(verify_corrupted(f, wl, pc, &err), SW_EINTERNAL);
        assert_string_equal(sw_error_path(err), "syscalls[1]");
        assert_non_null(
                strstr(sw_error_message(err),
                       "for getpid: input arch=0xc000003e nr=39 args=[0x"));
        assert_non_null(strstr(sw_error_message(err), "the filter answers"));
        assert_non_null(strstr(sw_error_message(err), "the whitelist means"));
        sw_error_free(err);
        sw_filter_free(f);
        wlb_free(wl);
}

/* bh-06: AND inside a condition (a range on one argument), OR across. */
static void test_bh06_and_or(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        struct sw_rule *r;
        struct sw_cond *c;
        sw_filter *f;
        int lseek = nr_of(SCMP_ARCH_X86_64, "lseek");
        int sock = nr_of(SCMP_ARCH_X86_64, "socket");
        const uint64_t whence[][6] = {
                {3, 0, 0}, {3, 0, 1}, {3, 0, 2}, {3, 0, 3}};
        const uint32_t want[] = {ST_ERRNO(EACCES), ST_ALLOW, ST_ALLOW,
                                 ST_ERRNO(EACCES)};
        const uint64_t sargs[][6] = {{1, 2}, {2, 1}, {2, 2}, {10, 1}};
        const uint32_t swant[] = {ST_ALLOW, ST_ALLOW, ST_ERRNO(EACCES),
                                  ST_ERRNO(EACCES)};

        (void)state;
        r = wlb_rule(wl, "lseek", SW_CONDITIONAL, EACCES);
        c = wlb_cond(r);
        wlb_arg(c, 2, SW_OP_GE, 1, 0, 32);
        wlb_arg(c, 2, SW_OP_LE, 2, 0, 32);
        r = wlb_rule(wl, "socket", SW_CONDITIONAL, EACCES);
        wlb_arg(wlb_cond(r), 0, SW_OP_EQ, 1, 0, 32);
        c = wlb_cond(r);
        wlb_arg(c, 0, SW_OP_EQ, 2, 0, 32);
        wlb_arg(c, 1, SW_OP_EQ, 1, 0, 32);
        f = compile_ok(wl);
        for (size_t i = 0; i < 4; i++) {
                assert_int_equal(sim(f, AUDIT_ARCH_X86_64, lseek, whence[i]),
                                 want[i]);
                assert_int_equal(sim(f, AUDIT_ARCH_X86_64, sock, sargs[i]),
                                 swant[i]);
        }
        sw_filter_free(f);
        wlb_free(wl);
}

/* bh-04: -100 with "width": 32 matches however it is extended; without
 * "width" the comparison is 64 bits wide (P1.2), whatever the table says,
 * and so is an explicit "width": 64. */
static void test_bh04_atfdcwd(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        int openat = nr_of(SCMP_ARCH_X86_64, "openat");
        int open_nr = nr_of(SCMP_ARCH_X86_64, "open");
        int fchmodat = nr_of(SCMP_ARCH_X86_64, "fchmodat");
        const uint64_t dirfd[] = {0xffffff9c, (uint64_t)-100,
                                  HI(1) + 0xffffff9c};
        const uint32_t w64[] = {ST_ERRNO(EACCES), ST_ALLOW, ST_ERRNO(EACCES)};
        sw_filter *f;

        (void)state;
        wlb_arg(wlb_cond(wlb_rule(wl, "openat", SW_CONDITIONAL, EACCES)), 0,
                SW_OP_EQ, (uint64_t)-100, 0, 32);
        wlb_arg(wlb_cond(wlb_rule(wl, "open", SW_CONDITIONAL, EACCES)), 0,
                SW_OP_EQ, (uint64_t)-100, 0, 64);
        wlb_arg(wlb_cond(wlb_rule(wl, "fchmodat", SW_CONDITIONAL, EACCES)), 0,
                SW_OP_EQ, (uint64_t)-100, 0, 0);
        f = compile_ok(wl);
        for (size_t i = 0; i < 3; i++) {
                uint64_t a[6] = {dirfd[i]};

                assert_int_equal(sim(f, AUDIT_ARCH_X86_64, openat, a),
                                 ST_ALLOW);
                /* explicit "width": 64 compares all of it */
                assert_int_equal(sim(f, AUDIT_ARCH_X86_64, open_nr, a), w64[i]);
                /* no "width": 64 too, though the table knows an int */
                assert_int_equal(sim(f, AUDIT_ARCH_X86_64, fchmodat, a),
                                 w64[i]);
        }
        sw_filter_free(f);
        wlb_free(wl);
}

static void test_width_table(void **state)
{
        uint32_t x = SCMP_ARCH_X86_64;

        (void)state;
        assert_int_equal(sw_arg_width(x, nr_of(x, "socket"), 0), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "openat"), 0), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "openat"), 1), 64);
        assert_int_equal(sw_arg_width(x, nr_of(x, "openat"), 2), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "ioctl"), 1), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "ioctl"), 2), 64);
        assert_int_equal(sw_arg_width(x, nr_of(x, "prctl"), 0), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "prctl"), 1), 64);
        assert_int_equal(sw_arg_width(x, nr_of(x, "clone"), 0), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "mmap"), 4), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "mmap"), 1), 64);
        assert_int_equal(sw_arg_width(x, nr_of(x, "fcntl"), 1), 32);
        assert_int_equal(sw_arg_width(x, nr_of(x, "read"), 2), 64);
        assert_int_equal(sw_arg_width(x, -1, 0), 64);
        assert_int_equal(sw_arg_width(SCMP_ARCH_AARCH64,
                                      nr_of(SCMP_ARCH_AARCH64, "openat"), 0),
                         32);
}

/* bh-20: too large is a clear error naming size, limit and rule. */
static void test_bh20_too_large(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        struct sw_rule *r;
        sw_filter *f = NULL;
        sw_error *err = NULL;
        const char *msg;

        (void)state;
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        r = wlb_rule(wl, "ioctl", SW_CONDITIONAL, EPERM);
        for (unsigned i = 0; i < 5000; i++)
                wlb_arg(wlb_cond(r), 1, SW_OP_EQ, 21504 + i, 0, 32);
        assert_int_equal(compile(wl, &f, &err), SW_EPROTO);
        assert_null(f);
        msg = sw_error_message(err);
        assert_non_null(strstr(msg, "the filter needs "));
        assert_non_null(strstr(
                msg,
                " BPF instructions, the kernel's limit is 4096; syscalls[1] (ioctl) costs "));
        assert_string_equal(sw_error_path(err), "syscalls[1]");
        assert_non_null(strstr(sw_error_hint(err), "ranges"));
        sw_error_free(err);
        wlb_free(wl);
}

/* A long run of one-comparison conditions shares one load and one
 * "return ALLOW" per chunk; every operator, across chunk borders. */
static void test_condition_runs(void **state)
{
        static const enum sw_op ops[] = {SW_OP_EQ, SW_OP_NE, SW_OP_GT,
                                         SW_OP_GE, SW_OP_LT, SW_OP_LE};
        /* 0x7010 fails all six: eq, ne, gt, ge, lt, le */
        static const uint64_t second[] = {0x7000, 0x7010, 0x7020,
                                          0x7030, 0x7000, 0x7001};
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        struct sw_rule *r;
        sw_filter *f;
        uint64_t a[6] = {0};

        (void)state;
        r = wlb_rule(wl, "ioctl", SW_CONDITIONAL, ENOTTY);
        for (unsigned i = 0; i < 450; i++)
                wlb_arg(wlb_cond(r), 1, i == 449 ? ops[i % 6] : SW_OP_EQ,
                        0x5400 + i, 0, 32);
        for (unsigned i = 0; i < 6; i++)
                wlb_arg(wlb_cond(r), 2, ops[i], second[i], 0, 32);
        f = compile_ok(wl);
        /* 456 conditions in two runs: far fewer instructions than 3 each */
        assert_true(sw_filter_length(f) < 520);
        a[1] = 0x5400 + 300;
        a[2] = 0x7000 + 8;
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, r->nr, a), ST_ALLOW);
        a[1] = HI(1) + 0x5400 + 448;
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, r->nr, a), ST_ALLOW);
        a[1] = 0x5400 + 450;
        a[2] = 0x7010;
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, r->nr, a), ST_ERRNO(ENOTTY));
        a[2] = HI(3) + 0x7021;
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, r->nr, a), ST_ALLOW);
        sw_filter_free(f);
        wlb_free(wl);
}

/* A port restriction: the program judges the rest of the condition, the
 * network layer the port (netplan.c), prepared with the filter. */
static void test_ports_left_to_the_network_layer(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        struct seccomp_data d;
        uint64_t args[6] = {0};
        sw_filter *f = NULL;

        (void)state;
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        wlb_ports(wlb_cond(wlb_rule(wl, "connect", SW_CONDITIONAL, EACCES)),
                  5432);
        assert_int_equal(compile(wl, &f, NULL), SW_SUCCESS);
        sw_bpf_data(&d, AUDIT_ARCH_X86_64, __NR_connect, args);
        assert_int_equal(
                sw_bpf_run(sw_filter_program(f), sw_filter_length(f), &d, NULL),
                SECCOMP_RET_ALLOW);
        assert_non_null(f->net);
        sw_filter_free(f);
        wlb_free(wl);
}

/* errno 0 would fake success: refused even if a model carries it. */
static void test_errno_zero_refused(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f = NULL;
        sw_error *err = NULL;

        (void)state;
        wlb_rule(wl, "getpid", SW_DENY, 0);
        assert_int_equal(compile(wl, &f, &err), SW_EPROTO);
        assert_null(f);
        assert_string_equal(
                sw_error_message(err),
                "syscalls[0] (getpid) has errno 0; a denial needs an errno from 1 to 4095");
        sw_error_free(err);
        wlb_free(wl);
}

/* Calls absent on the target never reach libseccomp. */
static void test_absent_skipped(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f;
        uint64_t zero[6] = {0};

        (void)state;
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        assert_int_equal(wlb_rule(wl, "recv", SW_ALLOW, 0)->nr, -1);
        f = compile_ok(wl);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64, -1, zero), ST_KILL);
        assert_int_equal(sim(f, AUDIT_ARCH_X86_64,
                             nr_of(SCMP_ARCH_X86_64, "recvfrom"), zero),
                         ST_KILL);
        sw_filter_free(f);
        wlb_free(wl);
}

/* Filters for other targets compile, and prove, for their numbers. */
static void test_other_arches(void **state)
{
        static const uint32_t arches[] = {SCMP_ARCH_AARCH64, SCMP_ARCH_X86,
                                          SCMP_ARCH_RISCV64, SCMP_ARCH_X32,
                                          SCMP_ARCH_S390X};

        (void)state;
        for (size_t a = 0; a < SW_ARRAY_SIZE(arches); a++) {
                sw_whitelist *wl = wlb_new(arches[a]);
                struct sw_rule *r;
                sw_filter *f;
                uint64_t args[6] = {0, HI(1) + 2};
                /* x32 calls arrive as x86_64 ones with bit 30 set */
                uint32_t audit = arches[a] == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64
                                                            : arches[a];

                wlb_rule(wl, "exit_group", SW_ALLOW, 0);
                r = wlb_rule(wl, "kill", SW_CONDITIONAL, EACCES);
                wlb_arg(wlb_cond(r), 1, SW_OP_EQ, 2, 0, 32);
                f = compile_ok(wl);
                assert_int_equal(sw_filter_arch(f), arches[a]);
                assert_int_equal(sim(f, audit, r->nr, args), ST_ALLOW);
                assert_int_equal(sim(f,
                                     AUDIT_ARCH_I386 == audit
                                             ? AUDIT_ARCH_X86_64
                                             : AUDIT_ARCH_I386,
                                     r->nr, args),
                                 ST_KILL);
                sw_filter_free(f);
                wlb_free(wl);
        }
}

/* A big-endian target's program is written in its byte order. */
static void test_big_endian_export(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_S390X);
        sw_filter *f;
        unsigned char head[8];
        FILE *tmp = tmpfile();

        (void)state;
        assert_non_null(tmp);
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        f = compile_ok(wl);
        /* in this machine's order: "ld [4]" (the arch), code 0x0020 */
        assert_int_equal(
                ((const struct sock_filter *)sw_filter_program(f))[0].code,
                BPF_LD | BPF_W | BPF_ABS);
        assert_int_equal(sw_filter_export_bpf(f, fileno(tmp), NULL),
                         SW_SUCCESS);
        rewind(tmp);
        assert_int_equal(fread(head, 1, 8, tmp), 8);
        fclose(tmp);
        /* code 0x0020, jt, jf, k 4, all big-endian */
        assert_int_equal(head[0], 0x00);
        assert_int_equal(head[1], 0x20);
        assert_int_equal(head[7], 0x04);
        sw_filter_free(f);
        wlb_free(wl);
}

/* i386: socketcall would go around an argument filter on socket. */
static void test_i386_socketcall(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86);
        sw_filter *f = NULL;
        sw_error *err = NULL;
        struct sw_rule *sc;

        (void)state;
        wlb_arg(wlb_cond(wlb_rule(wl, "socket", SW_CONDITIONAL, EACCES)), 0,
                SW_OP_EQ, 1, 0, 0);
        sc = wlb_rule(wl, "socketcall", SW_ALLOW, 0);
        assert_int_equal(compile(wl, &f, &err), SW_EPROTO);
        assert_null(f);
        assert_string_equal(sw_error_path(err), "syscalls[0]");
        assert_non_null(strstr(sw_error_message(err), "socketcall()"));
        sw_error_free(err);
        err = NULL;

        /* Denied, the multiplexer is harmless. */
        sc->perm = SW_DENY;
        sc->err_no = ENOSYS;
        f = compile_ok(wl);
        sw_filter_free(f);
        wlb_free(wl);
}

/* Asked for by name, native refuses a target it has no generator for. */
static void test_native_only_where_supported(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_S390X);
        sw_config *cfg = sw_config_new();
        sw_filter *f = NULL;
        sw_error *err = NULL;

        (void)state;
        assert_non_null(cfg);
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        assert_int_equal(sw_config_set_backend(cfg, "fast"), SW_ENOENT);
        assert_int_equal(sw_config_set_backend(cfg, "native"), SW_SUCCESS);
        assert_int_equal(sw_compile(wl, cfg, &f, &err), SW_ENOENT);
        assert_null(f);
        assert_string_equal(
                sw_error_message(err),
                "the native backend does not generate code for s390x (it does for "
                "x86_64, aarch64 and riscv64); use the libseccomp backend");
        sw_error_free(err);
        sw_config_free(cfg);
        wlb_free(wl);
}

static void test_pfc_listing(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *f = compile_ok(wl);
        char buf[16384];
        FILE *tmp = tmpfile();
        size_t n;

        (void)state;
        assert_non_null(tmp);
        assert_int_equal(sw_filter_export_pfc(f, fileno(tmp), NULL),
                         SW_SUCCESS);
        rewind(tmp);
        n = fread(buf, 1, sizeof(buf) - 1, tmp);
        buf[n] = '\0';
        fclose(tmp);
        if (native()) {
                /* syswall's disassembly, with the blocks named */
                assert_non_null(strstr(buf, "; syswall native backend"));
                assert_non_null(strstr(
                        buf,
                        "   1: jeq  #0xc000003e, 3, 2         x86_64\n"
                        "   2: ret  #0x80000000               KILL_PROCESS\n"
                        "   3: ld   [0]                       syscall number\n"));
                assert_non_null(strstr(
                        buf,
                        "; syscalls[4] 'getpid' CONDITIONAL: 1 condition, else ERRNO(EMLINK)\n"));
        } else {
                assert_non_null(strstr(buf, "action TRACE(0);"));
                assert_non_null(strstr(
                        buf,
                        "#     arg2 (64-bit) ge 0x400\n#     arg2 (64-bit) le 0xffff\n"));
                assert_non_null(strstr(
                        buf,
                        "# invalid architecture action\naction KILL_PROCESS;"));
        }
        sw_filter_free(f);
        wlb_free(wl);
}

/* Without the listing: the same program, and a listing asked for is
 * refused with the reason. */
static void test_no_listing(void **state)
{
        sw_whitelist *wl = st_whitelist(SCMP_ARCH_X86_64);
        sw_filter *with = compile_ok(wl);
        sw_config *cfg = sw_config_new();
        sw_filter *without = NULL;
        sw_error *err = NULL;

        (void)state;
        assert_non_null(cfg);
        assert_int_equal(sw_config_set_backend(cfg, backend), SW_SUCCESS);
        sw_config_set_listing(cfg, false);
        assert_int_equal(sw_compile(wl, cfg, &without, &err), SW_SUCCESS);
        assert_int_equal(sw_filter_length(without), sw_filter_length(with));
        assert_memory_equal(sw_filter_program(without), sw_filter_program(with),
                            sw_filter_length(with) * 8);
        assert_int_equal(sw_filter_export_pfc(without, 1, &err), SW_ENOENT);
        assert_string_equal(sw_error_message(err),
                            "this filter was compiled without its pseudo-code "
                            "listing (sw_config_set_listing)");
        sw_error_free(err);
        sw_filter_free(without);
        sw_filter_free(with);
        sw_config_free(cfg);
        wlb_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_foreign_abi),
                cmocka_unit_test(test_x32_test_in_program),
                cmocka_unit_test(test_proof_passes_and_verify),
                cmocka_unit_test(test_proof_catches_every_flipped_jump),
                cmocka_unit_test(test_proof_message),
                cmocka_unit_test(test_bh06_and_or),
                cmocka_unit_test(test_bh04_atfdcwd),
                cmocka_unit_test(test_width_table),
                cmocka_unit_test(test_bh20_too_large),
                cmocka_unit_test(test_condition_runs),
                cmocka_unit_test(test_ports_left_to_the_network_layer),
                cmocka_unit_test(test_errno_zero_refused),
                cmocka_unit_test(test_absent_skipped),
                cmocka_unit_test(test_other_arches),
                cmocka_unit_test(test_big_endian_export),
                cmocka_unit_test(test_i386_socketcall),
                cmocka_unit_test(test_pfc_listing),
                cmocka_unit_test(test_no_listing),
                cmocka_unit_test(test_native_only_where_supported),
        };

        int failed;

        failed = cmocka_run_group_tests_name("default", tests, NULL, NULL);
        backend = "libseccomp";
        failed += cmocka_run_group_tests_name("libseccomp", tests, NULL, NULL);
        return failed;
}
