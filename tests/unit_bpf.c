/*
 * unit_bpf.c - the classic-BPF interpreter: every instruction class, the
 * instruction count, and the malformed programs it must refuse.
 */
#include "testutil.h"

#include "bpf.h"

#include <linux/audit.h>
#include <string.h>

#define LEN(p)  (sizeof(p) / sizeof((p)[0]))
#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off)
#define RET(k)  BPF_STMT(BPF_RET | BPF_K, k)

static uint32_t run(const struct sock_filter *p, size_t n, int nr,
                    const uint64_t args[6], unsigned *insns)
{
        struct seccomp_data d;

        assert_int_equal(sw_bpf_check(p, n, NULL), SW_SUCCESS);
        sw_bpf_data(&d, AUDIT_ARCH_X86_64, nr, args);
        return sw_bpf_run(p, n, &d, insns);
}

static void test_loads_and_jumps(void **state)
{
        /* nr == 39 ? (arg1 low word > 7 ? 1 : 2) : 3 */
        static const struct sock_filter p[] = {
                LD(SW_OFF_NR),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 4),
                LD(SW_OFF_ARGS + 8),
                BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 7, 1, 0),
                RET(2),
                RET(1),
                RET(3),
        };
        uint64_t a[6] = {0, 8};
        unsigned insns = 0;

        (void)state;
        assert_int_equal(run(p, LEN(p), 39, a, &insns), 1);
        assert_int_equal(insns, 5);
        a[1] = 7;
        assert_int_equal(run(p, LEN(p), 39, a, &insns), 2);
        assert_int_equal(insns, 5);
        assert_int_equal(run(p, LEN(p), 40, a, &insns), 3);
        assert_int_equal(insns, 3);
        /* the upper half of arg1 sits at +12 on a little-endian target */
        a[1] = UINT64_C(0x900000000);
        assert_int_equal(run(p, LEN(p), 39, a, NULL), 2);
}

static void test_high_word_and_arch(void **state)
{
        static const struct sock_filter p[] = {
                LD(SW_OFF_ARCH),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                RET(0),
                LD(SW_OFF_ARGS + 4),
                BPF_STMT(BPF_RET | BPF_A, 0),
        };
        static const struct sock_filter first[] = {
                LD(SW_OFF_ARGS),
                BPF_STMT(BPF_RET | BPF_A, 0),
        };
        uint64_t a[6] = {UINT64_C(0x1234567800000009)};
        struct seccomp_data d;

        (void)state;
        assert_int_equal(run(p, LEN(p), 0, a, NULL), 0x12345678);
        sw_bpf_data(&d, AUDIT_ARCH_I386, 0, a);
        assert_int_equal(sw_bpf_run(p, LEN(p), &d, NULL), 0);
        /* a big-endian target sees the high word first */
        sw_bpf_data(&d, AUDIT_ARCH_S390X, 0, a);
        assert_int_equal(sw_bpf_run(first, LEN(first), &d, NULL), 0x12345678);
        sw_bpf_data(&d, AUDIT_ARCH_X86_64, 0, a);
        assert_int_equal(sw_bpf_run(first, LEN(first), &d, NULL), 9);
}

static void test_alu_mem_misc(void **state)
{
        static const struct sock_filter p[] = {
                BPF_STMT(BPF_LD | BPF_IMM, 6),
                BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 7), /* 42 */
                BPF_STMT(BPF_ST, 3),
                BPF_STMT(BPF_LDX | BPF_IMM, 5),
                BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),   /* 37 */
                BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 1),   /* 74 */
                BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1),    /* 75 */
                BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 10),  /* 5 */
                BPF_STMT(BPF_MISC | BPF_TAX, 0),          /* X = 5 */
                BPF_STMT(BPF_LD | BPF_MEM, 3),            /* 42 */
                BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),   /* 8 */
                BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 3),   /* 11 */
                BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xe), /* 10 */
                BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 1),   /* 5 */
                BPF_STMT(BPF_ALU | BPF_NEG, 0),           /* -5 */
                BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 10),  /* 5 */
                BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 4, 1, 0),
                RET(0),
                BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
                BPF_STMT(BPF_RET | BPF_A, 0),
        };
        unsigned insns;

        (void)state;
        assert_int_equal(run(p, LEN(p), 0, NULL, &insns), 64);
        assert_int_equal(insns, 19); /* the skipped return is not run */
}

static void test_ja(void **state)
{
        static const struct sock_filter p[] = {
                BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0),
                RET(1),
                RET(2),
                RET(3),
        };

        (void)state;
        assert_int_equal(run(p, LEN(p), 0, NULL, NULL), 3);
}

/* Each malformed program is refused with a message naming the fault. */
static void refused(const struct sock_filter *p, size_t n, const char *what)
{
        sw_error *err = NULL;

        assert_int_equal(sw_bpf_check(p, n, &err), SW_EPROTO);
        if (strstr(sw_error_message(err), what) == NULL)
                fail_msg("'%s' does not say '%s'", sw_error_message(err), what);
        sw_error_free(err);
}

static void test_malformed(void **state)
{
        static const struct sock_filter jump_out[] = {
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1), RET(0)};
        static const struct sock_filter ja_out[] = {
                BPF_JUMP(BPF_JMP | BPF_JA, 0xffffffff, 0, 0), RET(0)};
        static const struct sock_filter load_out[] = {LD(64), RET(0)};
        static const struct sock_filter load_odd[] = {LD(6), RET(0)};
        static const struct sock_filter no_ret[] = {RET(0), LD(0)};
        static const struct sock_filter bad_op[] = {
                BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET(0)};
        static const struct sock_filter ldx_abs[] = {
                BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), RET(0)};
        static const struct sock_filter div0[] = {
                BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), RET(0)};
        static const struct sock_filter shift[] = {
                BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), RET(0)};
        static const struct sock_filter slot[] = {BPF_STMT(BPF_ST, 16), RET(0)};
        static const struct sock_filter unset[] = {
                BPF_STMT(BPF_LD | BPF_MEM, 2), RET(0)};
        static const struct sock_filter unset_path[] = {
                LD(0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
                BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_LD | BPF_MEM, 0), RET(0)};
        static struct sock_filter big[SW_BPF_MAX_INSNS + 1];

        (void)state;
        refused(jump_out, LEN(jump_out), "instruction 0 jumps past the end");
        refused(ja_out, LEN(ja_out), "instruction 0 jumps past the end");
        refused(load_out, LEN(load_out),
                "loads offset 64, outside struct seccomp_data");
        refused(load_odd, LEN(load_odd), "loads offset 6");
        refused(no_ret, LEN(no_ret), "does not end with a return");
        refused(bad_op, LEN(bad_op), "opcode 0x0030");
        refused(ldx_abs, LEN(ldx_abs), "opcode 0x00b1");
        refused(div0, LEN(div0), "divides by zero");
        refused(shift, LEN(shift), "shifts by 32 bits");
        refused(slot, LEN(slot), "scratch slot 16");
        refused(unset, LEN(unset), "reads scratch slot 2 before any write");
        refused(unset_path, LEN(unset_path),
                "instruction 3 reads scratch slot 0 before any write");
        refused(NULL, 0, "empty");
        for (size_t i = 0; i < LEN(big); i++)
                big[i] = (struct sock_filter)RET(0);
        refused(big, LEN(big), "4097 instructions, the kernel's limit is 4096");
        assert_int_equal(sw_bpf_check(big, SW_BPF_MAX_INSNS, NULL), SW_SUCCESS);
}

/* The public entry points: raw import refuses what the kernel would. */
static void test_from_bpf(void **state)
{
        static const struct sock_filter ok[] = {RET(SECCOMP_RET_ALLOW)};
        sw_filter *f = NULL;
        sw_error *err = NULL;
        uint32_t action = 0;
        unsigned insns = 0;

        (void)state;
        assert_int_equal(sw_filter_from_bpf(ok, 7, &f, &err), SW_EPROTO);
        assert_null(f);
        assert_non_null(strstr(sw_error_message(err), "multiple of 8 bytes"));
        sw_error_free(err);
        err = NULL;
        assert_int_equal(sw_filter_from_bpf(ok, sizeof(ok), &f, &err),
                         SW_SUCCESS);
        assert_int_equal(sw_filter_simulate(f, AUDIT_ARCH_X86_64, 1, NULL,
                                            &action, &insns),
                         SW_SUCCESS);
        assert_int_equal(action, SECCOMP_RET_ALLOW);
        assert_int_equal(insns, 1);
        assert_int_equal(sw_filter_length(f), 1);
        assert_int_equal(sw_filter_export_pfc(f, 1, &err), SW_ENOENT);
        sw_error_free(err);
        sw_filter_free(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_loads_and_jumps),
                cmocka_unit_test(test_high_word_and_arch),
                cmocka_unit_test(test_alu_mem_misc),
                cmocka_unit_test(test_ja),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_from_bpf),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
