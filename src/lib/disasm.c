/*
 * disasm.c - a seccomp-BPF program as a listing people can read.
 *
 * One line per instruction: its index, the operation with absolute jump
 * targets, and a comment naming what it touches: the field of struct
 * seccomp_data a load reads, the architecture or system call a compare
 * tests (with the rule of the whitelist that the number belongs to), and
 * the action a return takes.  What the register holds is followed along
 * every path into an instruction (jumps only go forward), so a compare is
 * named even where the code before it in the text is another path's.
 */
#include "explain.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the accumulator holds, as far as the text tells. */
enum acc_kind { ACC_UNKNOWN, ACC_NR, ACC_ARCH, ACC_ARG_LO, ACC_ARG_HI, ACC_IP };

struct listing {
        const struct sock_filter *prog;
        size_t len;
        uint32_t arch;
        const sw_whitelist *wl;
        enum acc_kind acc;
        unsigned arg;
        FILE *out;
        char note[128]; /* the comment of the current line */
        long *block;    /* per instruction: the rule whose block starts there */
        int *in;        /* per instruction: the register on entry (acc_code) */
};

/* What the register holds, in one int: the kind and an argument index. */
#define ACC_UNSET (-1)

static int acc_code(enum acc_kind kind, unsigned arg)
{
        return (int)kind + 8 * (int)arg;
}

/* Append to the comment of the current line. */
static void __attribute__((format(printf, 2, 3)))
note(struct listing *l, const char *fmt, ...)
{
        size_t used = strlen(l->note);
        va_list ap;
        char *piece;

        va_start(ap, fmt);
        piece = sw_vasprintf(fmt, ap);
        va_end(ap);
        if (piece)
                snprintf(l->note + used, sizeof(l->note) - used, "%s", piece);
        free(piece);
}

static const char *arch_label(uint32_t k)
{
        switch (k) {
        case AUDIT_ARCH_X86_64:
                return "x86_64";
        case AUDIT_ARCH_I386:
                return "x86 (i386)";
        case AUDIT_ARCH_AARCH64:
                return "aarch64";
        case AUDIT_ARCH_ARM:
                return "arm";
        case AUDIT_ARCH_RISCV64:
                return "riscv64";
        case AUDIT_ARCH_PPC64LE:
                return "ppc64le";
        case AUDIT_ARCH_S390X:
                return "s390x";
        default:
                return NULL;
        }
}

/* What a load of byte offset k of struct seccomp_data puts in the register. */
static int load_kind(uint32_t k)
{
        if (k == 0)
                return acc_code(ACC_NR, 0);
        if (k == 4)
                return acc_code(ACC_ARCH, 0);
        if (k == 8 || k == 12)
                return acc_code(ACC_IP, 0);
        /* Little-endian: the low half comes first. */
        if (k >= 16 && k < 64)
                return acc_code((k - 16) % 8 == 0 ? ACC_ARG_LO : ACC_ARG_HI,
                                (k - 16) / 8);
        return acc_code(ACC_UNKNOWN, 0);
}

/* The register after instruction i, given what it held before. */
static int acc_after(const struct sock_filter *in, int before)
{
        switch (BPF_CLASS(in->code)) {
        case BPF_LD:
                if (BPF_MODE(in->code) == BPF_ABS)
                        return load_kind(in->k);
                return acc_code(ACC_UNKNOWN, 0);
        case BPF_ALU:
        case BPF_MISC:
                return acc_code(ACC_UNKNOWN, 0);
        default:
                return before;
        }
}

static void flow_to(struct listing *l, size_t to, int acc)
{
        if (to >= l->len)
                return;
        if (l->in[to] == ACC_UNSET)
                l->in[to] = acc;
        else if (l->in[to] != acc)
                l->in[to] = acc_code(ACC_UNKNOWN, 0);
}

/* The register on entry to every instruction, over all paths to it. */
static void flow(struct listing *l)
{
        l->in = malloc(l->len * sizeof(*l->in));
        if (l->in == NULL)
                return; /* the text order will have to do */
        for (size_t i = 0; i < l->len; i++)
                l->in[i] = ACC_UNSET;
        l->in[0] = acc_code(ACC_UNKNOWN, 0);
        for (size_t i = 0; i < l->len; i++) {
                const struct sock_filter *in = &l->prog[i];
                int acc;

                if (l->in[i] == ACC_UNSET)
                        continue; /* not reached */
                acc = acc_after(in, l->in[i]);
                if (in->code == (BPF_JMP | BPF_JA)) {
                        flow_to(l, i + 1 + in->k, acc);
                } else if (BPF_CLASS(in->code) == BPF_JMP) {
                        flow_to(l, i + 1 + in->jt, acc);
                        flow_to(l, i + 1 + in->jf, acc);
                } else if (BPF_CLASS(in->code) != BPF_RET) {
                        flow_to(l, i + 1, acc);
                }
        }
}

/* The load of a field of struct seccomp_data at byte offset k. */
static void load_comment(struct listing *l, uint32_t k)
{
        if (k == 0) {
                l->acc = ACC_NR;
                note(l, "syscall number");
        } else if (k == 4) {
                l->acc = ACC_ARCH;
                note(l, "architecture");
        } else if (k == 8 || k == 12) {
                l->acc = ACC_IP;
                note(l, "instruction pointer");
        } else if (k >= 16 && k < 64) {
                /* Little-endian: the low half comes first. */
                l->arg = (k - 16) / 8;
                l->acc = (k - 16) % 8 == 0 ? ACC_ARG_LO : ACC_ARG_HI;
                note(l, "arg%u %s 32 bits", l->arg,
                     l->acc == ACC_ARG_LO ? "low" : "high");
        } else {
                l->acc = ACC_UNKNOWN;
        }
}

/* What the constant of a compare means, given what was loaded. */
static void jump_comment(struct listing *l, uint16_t code, uint32_t k)
{
        const char *a;
        char *name;
        const struct sw_rule *r;
        size_t idx = 0;

        switch (l->acc) {
        case ACC_ARCH:
                a = arch_label(k);
                if (a)
                        note(l, "%s", a);
                return;
        case ACC_NR:
                if (k == UINT32_MAX) {
                        note(l, "-1: a call a tracer skipped");
                        return;
                }
                if (k & 0x40000000) {
                        note(l, "x32 numbers");
                        return;
                }
                name = seccomp_syscall_resolve_num_arch(l->arch, (int)k);
                if (BPF_OP(code) != BPF_JEQ) {
                        /* A range test of a binary search. */
                        note(l, "number %s %u (%s)",
                             BPF_OP(code) == BPF_JGT ? ">" : ">=", k,
                             name ? name : "?");
                        free(name);
                        return;
                }
                note(l, "%s (%u)", name ? name : "?", k);
                free(name);
                r = sw_rule_of_nr(l->wl, (int)k, &idx);
                if (r)
                        note(l, ": syscalls[%zu] %s", idx,
                             sw_permission_name(r->perm));
                return;
        case ACC_ARG_LO:
        case ACC_ARG_HI:
        case ACC_IP:
        case ACC_UNKNOWN:
                return;
        }
}

static void ret_comment(struct listing *l, uint32_t k)
{
        char act[48];

        sw_action_text(k, act, sizeof(act));
        note(l, "%s", act);
}

static const char *jmp_name(uint16_t code)
{
        switch (BPF_OP(code)) {
        case BPF_JEQ:
                return "jeq";
        case BPF_JGT:
                return "jgt";
        case BPF_JGE:
                return "jge";
        case BPF_JSET:
                return "jset";
        default:
                return NULL;
        }
}

static const char *alu_name(uint16_t code)
{
        static const char *const names[16] = {
                [BPF_ADD >> 4] = "add", [BPF_SUB >> 4] = "sub",
                [BPF_MUL >> 4] = "mul", [BPF_DIV >> 4] = "div",
                [BPF_OR >> 4] = "or",   [BPF_AND >> 4] = "and",
                [BPF_LSH >> 4] = "lsh", [BPF_RSH >> 4] = "rsh",
                [BPF_NEG >> 4] = "neg", [BPF_MOD >> 4] = "mod",
                [BPF_XOR >> 4] = "xor",
        };

        return names[BPF_OP(code) >> 4];
}

/* Write the operation into buf; returns kind, what its comment is. */
static int __attribute__((format(printf, 4, 5)))
put(char *buf, size_t size, int kind, const char *fmt, ...)
{
        va_list ap;
        char *piece;

        va_start(ap, fmt);
        piece = sw_vasprintf(fmt, ap);
        va_end(ap);
        snprintf(buf, size, "%s", piece ? piece : "?");
        free(piece);
        return kind;
}

/*
 * The operation as text.  Returns what the comment after it says: 'L' a
 * load of a field, 'J' a compare with a constant, 'R' a return, 'A' the
 * accumulator changed to something unnamed, 0 nothing.
 */
static int op_text(struct listing *l, size_t i, char *buf, size_t size)
{
        const struct sock_filter *in = &l->prog[i];
        const char *n;

        switch (BPF_CLASS(in->code)) {
        case BPF_LD:
                if (BPF_MODE(in->code) == BPF_ABS)
                        return put(buf, size, 'L', "ld   [%u]", in->k);
                if (BPF_MODE(in->code) == BPF_IMM)
                        return put(buf, size, 0, "ld   #0x%x", in->k);
                if (BPF_MODE(in->code) == BPF_MEM)
                        return put(buf, size, 0, "ld   M[%u]", in->k);
                if (BPF_MODE(in->code) == BPF_LEN)
                        return put(buf, size, 0, "ld   #len");
                break;
        case BPF_LDX:
                if (BPF_MODE(in->code) == BPF_MEM)
                        return put(buf, size, 0, "ldx  M[%u]", in->k);
                return put(buf, size, 0, "ldx  #0x%x", in->k);
        case BPF_ST:
                return put(buf, size, 0, "st   M[%u]", in->k);
        case BPF_STX:
                return put(buf, size, 0, "stx  M[%u]", in->k);
        case BPF_ALU:
                n = alu_name(in->code);
                if (n && BPF_OP(in->code) == BPF_NEG)
                        return put(buf, size, 'A', "neg");
                if (n && BPF_SRC(in->code) == BPF_X)
                        return put(buf, size, 'A', "%-4s x", n);
                if (n)
                        return put(buf, size, 'A', "%-4s #0x%x", n, in->k);
                break;
        case BPF_JMP:
                if (BPF_OP(in->code) == BPF_JA)
                        return put(buf, size, 0, "ja   %zu", i + 1 + in->k);
                n = jmp_name(in->code);
                if (n && BPF_SRC(in->code) == BPF_X)
                        return put(buf, size, 0, "%-4s x, %zu, %zu", n,
                                   i + 1 + in->jt, i + 1 + in->jf);
                if (n)
                        return put(buf, size, 'J', "%-4s #0x%x, %zu, %zu", n,
                                   in->k, i + 1 + in->jt, i + 1 + in->jf);
                break;
        case BPF_RET:
                if (BPF_RVAL(in->code) == BPF_K)
                        return put(buf, size, 'R', "ret  #0x%08x", in->k);
                return put(buf, size, 0, "ret  a");
        case BPF_MISC:
                return put(buf, size, 'A', "%s",
                           BPF_MISCOP(in->code) == BPF_TAX ? "tax" : "txa");
        default:
                break;
        }
        return put(buf, size, 'A', "code 0x%04x k 0x%x", in->code, in->k);
}

/*
 * Where the argument block of each CONDITIONAL rule starts: the target of
 * the compare on its number, or of the jump found there.
 */
static void mark_blocks(struct listing *l)
{
        bool nr_loaded = false;

        for (size_t i = 0; i < l->len; i++) {
                const struct sock_filter *in = &l->prog[i];
                const struct sw_rule *r;
                size_t idx = 0;
                size_t t;

                if (BPF_CLASS(in->code) == BPF_LD)
                        nr_loaded = BPF_MODE(in->code) == BPF_ABS && in->k == 0;
                if (!nr_loaded || in->code != (BPF_JMP | BPF_JEQ | BPF_K))
                        continue;
                r = sw_rule_of_nr(l->wl, (int)in->k, &idx);
                t = i + 1 + in->jt;
                if (r == NULL || r->perm != SW_CONDITIONAL || t >= l->len)
                        continue;
                if (l->prog[t].code == (BPF_JMP | BPF_JA))
                        t = t + 1 + l->prog[t].k;
                if (t < l->len)
                        l->block[t] = (long)idx;
        }
}

/* Block starts as the compiler recorded them, or found by mark_blocks. */
static void known_blocks(struct listing *l, const sw_filter *f)
{
        if (f->block_of == NULL) {
                mark_blocks(l);
                return;
        }
        for (size_t i = 0; i < l->len; i++)
                if (f->block_of[i] >= 0 &&
                    (size_t)f->block_of[i] < l->wl->nrules)
                        l->block[i] = f->block_of[i];
}

static void block_head(struct listing *l, size_t i)
{
        const struct sw_rule *r;
        char act[48];

        if (l->block == NULL || l->block[i] < 0)
                return;
        r = &l->wl->rules[l->block[i]];
        sw_action_text(SECCOMP_RET_ERRNO | (uint32_t)r->err_no, act,
                       sizeof(act));
        fprintf(l->out,
                "; syscalls[%ld] '%s' CONDITIONAL: %zu condition%s, "
                "else %s\n",
                l->block[i], r->name, r->nconds, r->nconds == 1 ? "" : "s",
                act);
}

static void line(struct listing *l, size_t i)
{
        char op[64];
        int what = op_text(l, i, op, sizeof(op));
        uint32_t k = l->prog[i].k;

        block_head(l, i);
        l->note[0] = '\0';
        if (l->in != NULL && l->in[i] != ACC_UNSET) {
                l->acc = (enum acc_kind)(l->in[i] % 8);
                l->arg = (unsigned)(l->in[i] / 8);
        }
        if (what == 'L')
                load_comment(l, k);
        else if (what == 'J')
                jump_comment(l, l->prog[i].code, k);
        else if (what == 'R')
                ret_comment(l, k);
        else if (what == 'A')
                l->acc = ACC_UNKNOWN;
        if (l->note[0])
                fprintf(l->out, "%4zu: %-30s %s\n", i, op, l->note);
        else
                fprintf(l->out, "%4zu: %s\n", i, op);
}

/* The architecture a raw program tests first, or the native one. */
static uint32_t guess_arch(const struct sock_filter *p, size_t len)
{
        for (size_t i = 0; i + 1 < len; i++)
                if (p[i].code == (BPF_LD | BPF_W | BPF_ABS) && p[i].k == 4 &&
                    p[i + 1].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
                    arch_label(p[i + 1].k))
                        return p[i + 1].k;
        return seccomp_arch_native();
}

sw_code sw_disasm(const sw_filter *f, const sw_whitelist *wl, char **out,
                  sw_error **err)
{
        struct listing l = {0};
        size_t size = 0;

        *out = NULL;
        l.prog = sw_filter_program(f);
        l.len = sw_filter_length(f);
        l.arch = sw_filter_arch(f);
        if (l.arch == 0)
                l.arch = guess_arch(l.prog, l.len);
        l.wl = wl;
        if (wl && l.len) {
                l.block = malloc(l.len * sizeof(long));
                if (l.block == NULL)
                        return sw_fail(err, SW_EINTERNAL, "out of memory");
                for (size_t i = 0; i < l.len; i++)
                        l.block[i] = -1;
                known_blocks(&l, f);
        }
        if (l.len)
                flow(&l);
        l.out = open_memstream(out, &size);
        if (l.out == NULL) {
                free(l.block);
                free(l.in);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        fprintf(l.out, "; %zu instructions, %s", l.len,
                arch_label(l.arch) ? arch_label(l.arch) : "unknown");
        if (wl)
                fprintf(l.out, ", whitelist %s", wl->id ? wl->id : "?");
        fprintf(l.out, "\n");
        for (size_t i = 0; i < l.len; i++)
                line(&l, i);
        free(l.block);
        free(l.in);
        if (fclose(l.out) != 0) {
                free(*out);
                *out = NULL;
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        return SW_SUCCESS;
}
