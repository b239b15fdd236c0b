/*
 * bpf.c - a classic-BPF interpreter for seccomp programs.
 *
 * The instruction set is the one the kernel accepts in a seccomp filter
 * (kernel/seccomp.c, seccomp_check_filter, and net/core/filter.c,
 * bpf_check_classic): 32-bit loads from struct seccomp_data, the scratch
 * memory, ALU operations on A, forward jumps and returns.
 */
#include "bpf.h"

#include <linux/audit.h>
#include <string.h>

#define MEM_SLOTS 16

static bool is_ret(uint16_t code)
{
        return BPF_CLASS(code) == BPF_RET;
}

/* Is the instruction one a seccomp filter may contain at all? */
static bool code_allowed(uint16_t code)
{
        switch (code) {
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_LD | BPF_W | BPF_LEN:
        case BPF_LDX | BPF_W | BPF_LEN:
        case BPF_LD | BPF_IMM:
        case BPF_LDX | BPF_IMM:
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX:
        case BPF_MISC | BPF_TAX:
        case BPF_MISC | BPF_TXA:
        case BPF_RET | BPF_K:
        case BPF_RET | BPF_A:
        case BPF_ALU | BPF_NEG:
        case BPF_JMP | BPF_JA:
                return true;
        default:
                break;
        }
        if (BPF_CLASS(code) == BPF_ALU) {
                switch (BPF_OP(code)) {
                case BPF_ADD:
                case BPF_SUB:
                case BPF_MUL:
                case BPF_DIV:
                case BPF_MOD:
                case BPF_AND:
                case BPF_OR:
                case BPF_XOR:
                case BPF_LSH:
                case BPF_RSH:
                        return (code & ~(BPF_CLASS(0xff) | BPF_OP(0xff) |
                                         BPF_SRC(0xff))) == 0;
                default:
                        return false;
                }
        }
        if (BPF_CLASS(code) == BPF_JMP) {
                switch (BPF_OP(code)) {
                case BPF_JEQ:
                case BPF_JGT:
                case BPF_JGE:
                case BPF_JSET:
                        return (code & ~(BPF_CLASS(0xff) | BPF_OP(0xff) |
                                         BPF_SRC(0xff))) == 0;
                default:
                        return false;
                }
        }
        return false;
}

/* The operand rules of one instruction, apart from its jumps. */
static sw_code check_operand(const struct sock_filter *in, size_t pc,
                             sw_error **err)
{
        uint16_t code = in->code;

        if (code == (BPF_LD | BPF_W | BPF_ABS)) {
                if (in->k >= sizeof(struct seccomp_data) || in->k % 4 != 0)
                        return sw_fail(
                                err, SW_EPROTO,
                                "instruction %zu loads offset %u, outside struct "
                                "seccomp_data or not aligned to 4",
                                pc, in->k);
        }
        if (code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) ||
            code == BPF_ST || code == BPF_STX) {
                if (in->k >= MEM_SLOTS)
                        return sw_fail(
                                err, SW_EPROTO,
                                "instruction %zu uses scratch slot %u (there are %d)",
                                pc, in->k, MEM_SLOTS);
        }
        if (BPF_CLASS(code) == BPF_ALU && BPF_SRC(code) == BPF_K) {
                unsigned op = BPF_OP(code);

                if ((op == BPF_DIV || op == BPF_MOD) && in->k == 0)
                        return sw_fail(err, SW_EPROTO,
                                       "instruction %zu divides by zero", pc);
                if ((op == BPF_LSH || op == BPF_RSH) && in->k >= 32)
                        return sw_fail(err, SW_EPROTO,
                                       "instruction %zu shifts by %u bits", pc,
                                       in->k);
        }
        return SW_SUCCESS;
}

/* Jump targets in range; scratch memory written before it is read. */
static sw_code check_flow(const struct sock_filter *prog, size_t len, size_t pc,
                          uint16_t *masks, uint16_t *valid, sw_error **err)
{
        const struct sock_filter *in = &prog[pc];

        *valid &= masks[pc];
        if (in->code == BPF_ST || in->code == BPF_STX)
                *valid |= (uint16_t)(1u << in->k);
        if ((in->code == (BPF_LD | BPF_MEM) ||
             in->code == (BPF_LDX | BPF_MEM)) &&
            !(*valid & (1u << in->k)))
                return sw_fail(
                        err, SW_EPROTO,
                        "instruction %zu reads scratch slot %u before any write to it",
                        pc, in->k);
        if (in->code == (BPF_JMP | BPF_JA)) {
                if ((uint64_t)in->k >= len - pc - 1)
                        return sw_fail(
                                err, SW_EPROTO,
                                "instruction %zu jumps past the end of the program",
                                pc);
                masks[pc + 1 + in->k] &= *valid;
                *valid = 0xffff;
        } else if (BPF_CLASS(in->code) == BPF_JMP) {
                if ((size_t)in->jt >= len - pc - 1 ||
                    (size_t)in->jf >= len - pc - 1)
                        return sw_fail(
                                err, SW_EPROTO,
                                "instruction %zu jumps past the end of the program",
                                pc);
                masks[pc + 1 + in->jt] &= *valid;
                masks[pc + 1 + in->jf] &= *valid;
                *valid = 0xffff;
        } else if (is_ret(in->code)) {
                *valid = 0xffff;
        }
        return SW_SUCCESS;
}

sw_code sw_bpf_check(const struct sock_filter *prog, size_t len, sw_error **err)
{
        uint16_t masks[SW_BPF_MAX_INSNS];
        uint16_t valid = 0;

        if (prog == NULL || len == 0)
                return sw_fail(err, SW_EPROTO, "the BPF program is empty");
        if (len > SW_BPF_MAX_INSNS)
                return sw_fail(
                        err, SW_EPROTO,
                        "the BPF program has %zu instructions, the kernel's limit is %d",
                        len, SW_BPF_MAX_INSNS);
        memset(masks, 0xff, len * sizeof(masks[0]));
        for (size_t pc = 0; pc < len; pc++) {
                sw_code rc;

                if (!code_allowed(prog[pc].code))
                        return sw_fail(
                                err, SW_EPROTO,
                                "instruction %zu has opcode 0x%04x, which a seccomp "
                                "filter may not use",
                                pc, prog[pc].code);
                rc = check_operand(&prog[pc], pc, err);
                if (rc == SW_SUCCESS)
                        rc = check_flow(prog, len, pc, masks, &valid, err);
                if (rc != SW_SUCCESS)
                        return rc;
        }
        if (!is_ret(prog[len - 1].code))
                return sw_fail(
                        err, SW_EPROTO,
                        "the BPF program does not end with a return (instruction %zu)",
                        len - 1);
        return SW_SUCCESS;
}

static uint32_t load_word(const struct seccomp_data *data, uint32_t off)
{
        uint32_t w;

        memcpy(&w, (const char *)data + off, sizeof(w));
        return w;
}

static uint32_t alu(uint16_t code, uint32_t a, uint32_t operand)
{
        switch (BPF_OP(code)) {
        case BPF_ADD:
                return a + operand;
        case BPF_SUB:
                return a - operand;
        case BPF_MUL:
                return a * operand;
        /* A zero divisor from X: the kernel's classic-BPF conversion
         * makes the program return 0 (kill); here it yields 0 too. */
        case BPF_DIV:
                return operand ? a / operand : 0;
        case BPF_MOD:
                return operand ? a % operand : 0;
        case BPF_AND:
                return a & operand;
        case BPF_OR:
                return a | operand;
        case BPF_XOR:
                return a ^ operand;
        case BPF_LSH:
                return operand < 32 ? a << operand : 0;
        case BPF_RSH:
                return operand < 32 ? a >> operand : 0;
        case BPF_NEG:
                return -a;
        default:
                return a;
        }
}

static bool jump_true(uint16_t code, uint32_t a, uint32_t operand)
{
        switch (BPF_OP(code)) {
        case BPF_JEQ:
                return a == operand;
        case BPF_JGT:
                return a > operand;
        case BPF_JGE:
                return a >= operand;
        case BPF_JSET:
                return (a & operand) != 0;
        default:
                return false;
        }
}

struct machine {
        uint32_t a;
        uint32_t x;
        uint32_t mem[MEM_SLOTS];
};

/* Execute one non-return instruction; returns the next pc. */
static size_t step(struct machine *m, const struct sock_filter *in, size_t pc,
                   const struct seccomp_data *data)
{
        uint32_t src = BPF_SRC(in->code) == BPF_X ? m->x : in->k;

        switch (BPF_CLASS(in->code)) {
        case BPF_LD:
                if (BPF_MODE(in->code) == BPF_ABS)
                        m->a = load_word(data, in->k);
                else if (BPF_MODE(in->code) == BPF_LEN)
                        m->a = sizeof(*data);
                else if (BPF_MODE(in->code) == BPF_MEM)
                        m->a = m->mem[in->k];
                else
                        m->a = in->k;
                break;
        case BPF_LDX:
                if (BPF_MODE(in->code) == BPF_LEN)
                        m->x = sizeof(*data);
                else if (BPF_MODE(in->code) == BPF_MEM)
                        m->x = m->mem[in->k];
                else
                        m->x = in->k;
                break;
        case BPF_ST:
                m->mem[in->k] = m->a;
                break;
        case BPF_STX:
                m->mem[in->k] = m->x;
                break;
        case BPF_ALU:
                m->a = alu(in->code, m->a, src);
                break;
        case BPF_JMP:
                if (BPF_OP(in->code) == BPF_JA)
                        return pc + 1 + in->k;
                return pc + 1 +
                       (jump_true(in->code, m->a, src) ? in->jt : in->jf);
        case BPF_MISC:
                if (BPF_MISCOP(in->code) == BPF_TAX)
                        m->x = m->a;
                else
                        m->a = m->x;
                break;
        default:
                break;
        }
        return pc + 1;
}

uint32_t sw_bpf_run(const struct sock_filter *prog, size_t len,
                    const struct seccomp_data *data, unsigned *insns)
{
        struct machine m = {0};
        unsigned count = 0;
        size_t pc = 0;

        while (pc < len) {
                const struct sock_filter *in = &prog[pc];

                count++;
                if (is_ret(in->code)) {
                        if (insns != NULL)
                                *insns = count;
                        return BPF_RVAL(in->code) == BPF_A ? m.a : in->k;
                }
                pc = step(&m, in, pc, data);
        }

        /* Unreachable for a checked program: fail closed. */
        if (insns != NULL)
                *insns = count;
        return SECCOMP_RET_KILL_PROCESS;
}

bool sw_bpf_foreign_order(uint32_t arch)
{
        bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

        /* 0: a raw program of unknown target, taken as this machine's */
        return arch != 0 && host_le != ((arch & __AUDIT_ARCH_LE) != 0);
}

void sw_bpf_swap(struct sock_filter *prog, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                prog[i].code = __builtin_bswap16(prog[i].code);
                prog[i].k = __builtin_bswap32(prog[i].k);
        }
}

/*
 * A filter loads an argument's words in the target's byte order: swap the
 * halves when the target's order differs from this machine's.
 */
static uint64_t target_order(uint32_t arch, uint64_t v)
{
        if (!sw_bpf_foreign_order(arch))
                return v;
        return (v << 32) | (v >> 32);
}

void sw_bpf_data(struct seccomp_data *data, uint32_t arch, int nr,
                 const uint64_t args[6])
{
        memset(data, 0, sizeof(*data));
        data->nr = nr;
        data->arch = arch;
        for (int i = 0; i < 6; i++)
                data->args[i] = target_order(arch, args ? args[i] : 0);
}
