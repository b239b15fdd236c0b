/*
 * argblock.c - the argument tests of CONDITIONAL rules, in classic BPF.
 *
 * libseccomp cannot express "allow when any condition holds, otherwise
 * return the rule's errno" (compile.c says why), nor two comparisons on
 * one argument in one rule, nor a comparison of the low half of an
 * argument alone.  This module generates those tests directly:
 *
 *   condition 1:  test filter 1, on failure go to condition 2
 *                 test filter 2, on failure go to condition 2
 *                 return ALLOW
 *   condition 2:  ...
 *   last:         return ERRNO(errno)
 *
 * A 64-bit comparison tests the high word first and the low word only when
 * the high words are equal; a 32-bit comparison loads the low word alone,
 * so what a caller leaves in the upper half cannot change the answer.
 */
#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A conditional jump reaches at most 255 instructions ahead. */
#define SHORT_JUMP 255

/* An instruction whose jump offsets are labels until the block is done. */
struct ainsn {
        struct sock_filter f;
        int jt;
        int jf; /* labels, or -1 when the offset is already in f */
};

struct sw_asm {
        struct ainsn *insns;
        size_t len;
        size_t cap;
        size_t *labels; /* label -> position */
        size_t nlabels;
        size_t lcap;
        bool oom;
};

static void emit(struct sw_asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
        if (a->len == a->cap) {
                size_t cap = a->cap ? a->cap * 2 : 64;
                struct ainsn *n = realloc(a->insns, cap * sizeof(*n));

                if (n == NULL) {
                        a->oom = true;
                        return;
                }
                a->insns = n;
                a->cap = cap;
        }
        a->insns[a->len++] =
                (struct ainsn){.f = {.code = code, .k = k}, .jt = jt, .jf = jf};
}

static int label_new(struct sw_asm *a)
{
        if (a->nlabels == a->lcap) {
                size_t cap = a->lcap ? a->lcap * 2 : 32;
                size_t *n = realloc(a->labels, cap * sizeof(*n));

                if (n == NULL) {
                        a->oom = true;
                        return 0;
                }
                a->labels = n;
                a->lcap = cap;
        }
        a->labels[a->nlabels] = SIZE_MAX;
        return (int)a->nlabels++;
}

static void label_here(struct sw_asm *a, int label)
{
        if (!a->oom)
                a->labels[label] = a->len;
}

static void emit_ld(struct sw_asm *a, uint32_t off)
{
        emit(a, BPF_LD | BPF_W | BPF_ABS, off, -1, -1);
}

static void emit_jmp(struct sw_asm *a, uint16_t op, uint32_t k, int jt, int jf)
{
        emit(a, BPF_JMP | op | BPF_K, k, jt, jf);
}

/* Offsets of an argument's words in struct seccomp_data. */
static uint32_t word_off(uint32_t arch, unsigned idx, bool high)
{
        bool le = (arch & 0x40000000u) != 0; /* __AUDIT_ARCH_LE */

        return SW_OFF_ARGS + 8 * idx + ((high == le) ? 4 : 0);
}

/*
 * One comparison of one word: jump to yes when it holds, to no when not.
 * For gt/ge/lt/le on the high word the caller handles equality.
 */
static void word_test(struct sw_asm *a, enum sw_op op, uint32_t v, int yes,
                      int no)
{
        switch (op) {
        case SW_OP_EQ:
        case SW_OP_MASKED_EQ:
                emit_jmp(a, BPF_JEQ, v, yes, no);
                break;
        case SW_OP_NE:
                emit_jmp(a, BPF_JEQ, v, no, yes);
                break;
        case SW_OP_GT:
                emit_jmp(a, BPF_JGT, v, yes, no);
                break;
        case SW_OP_GE:
                emit_jmp(a, BPF_JGE, v, yes, no);
                break;
        case SW_OP_LT:
                emit_jmp(a, BPF_JGE, v, no, yes);
                break;
        case SW_OP_LE:
                emit_jmp(a, BPF_JGT, v, no, yes);
                break;
        }
}

/* Load a word and apply the mask of masked_eq (all ones: no AND). */
static void load_word(struct sw_asm *a, uint32_t off, enum sw_op op,
                      uint32_t mask)
{
        emit_ld(a, off);
        if (op == SW_OP_MASKED_EQ && mask != UINT32_MAX)
                emit(a, BPF_ALU | BPF_AND | BPF_K, mask, -1, -1);
}

/*
 * The high word decides an ordering unless it equals the value's high
 * word: jump to yes or no, or fall through to the low word (next).
 */
static void high_word(struct sw_asm *a, enum sw_op op, uint32_t vh, int yes,
                      int no, int next)
{
        switch (op) {
        case SW_OP_EQ:
        case SW_OP_MASKED_EQ:
                emit_jmp(a, BPF_JEQ, vh, next, no);
                break;
        case SW_OP_NE:
                emit_jmp(a, BPF_JEQ, vh, next, yes);
                break;
        case SW_OP_GT:
        case SW_OP_GE:
                emit_jmp(a, BPF_JGT, vh, yes, -1);
                emit_jmp(a, BPF_JEQ, vh, next, no);
                break;
        case SW_OP_LT:
        case SW_OP_LE:
                emit_jmp(a, BPF_JGT, vh, no, -1);
                emit_jmp(a, BPF_JEQ, vh, next, yes);
                break;
        }
}

/* One argument filter: jump to pass when it holds, to fail otherwise. */
static void filter_code(struct sw_asm *a, const struct sw_argf *f,
                        unsigned width, uint32_t arch, int pass, int fail)
{
        uint32_t lo_off = word_off(arch, f->index, false);

        if (width == 64) {
                int next = label_new(a);

                load_word(a, word_off(arch, f->index, true), f->op,
                          (uint32_t)(f->mask >> 32));
                high_word(a, f->op, (uint32_t)(f->value >> 32), pass, fail,
                          next);
                label_here(a, next);
        }
        load_word(a, lo_off, f->op, (uint32_t)f->mask);
        word_test(a, f->op, (uint32_t)f->value, pass, fail);
}

static void ret(struct sw_asm *a, uint32_t action)
{
        emit(a, BPF_RET | BPF_K, action, -1, -1);
}

/*
 * One condition.  far: the condition is too long for a conditional jump
 * to reach its end, so each filter fails through a local "ja" instead.
 */
static void cond_code(struct sw_asm *a, const struct sw_cond *c, uint32_t arch,
                      int fail, bool far)
{
        for (size_t i = 0; i < c->nargs; i++) {
                const struct sw_argf *f = &c->args[i];
                unsigned width = sw_argf_width(f);
                int pass = label_new(a);
                int local = far ? label_new(a) : fail;

                filter_code(a, f, width, arch, pass, local);
                if (far) {
                        label_here(a, local);
                        emit(a, BPF_JMP | BPF_JA, 0, fail, -1);
                }
                label_here(a, pass);
        }
        ret(a, SECCOMP_RET_ALLOW);
}

/* Resolve labels into offsets; false when a jump cannot reach. */
static bool resolve(struct sw_asm *a, size_t from)
{
        for (size_t pc = from; pc < a->len; pc++) {
                struct ainsn *in = &a->insns[pc];
                size_t t;

                if (in->f.code == (BPF_JMP | BPF_JA)) {
                        if (in->jt >= 0)
                                in->f.k =
                                        (uint32_t)(a->labels[in->jt] - pc - 1);
                        continue;
                }
                if (in->jt >= 0) {
                        t = a->labels[in->jt] - pc - 1;
                        if (t > SHORT_JUMP)
                                return false;
                        in->f.jt = (uint8_t)t;
                }
                if (in->jf >= 0) {
                        t = a->labels[in->jf] - pc - 1;
                        if (t > SHORT_JUMP)
                                return false;
                        in->f.jf = (uint8_t)t;
                }
        }
        return true;
}

/* Emit one condition, in the far form when the near one cannot reach. */
static sw_code cond_emit(struct sw_asm *a, const struct sw_rule *r, size_t ci,
                         uint32_t arch, sw_error **err)
{
        const struct sw_cond *c = &r->conds[ci];
        size_t start = a->len;
        size_t lstart = a->nlabels;
        int fail = label_new(a);

        cond_code(a, c, arch, fail, false);
        label_here(a, fail);
        if (a->oom)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (resolve(a, start))
                return SW_SUCCESS;

        a->len = start;
        a->nlabels = lstart;
        fail = label_new(a);
        cond_code(a, c, arch, fail, true);
        label_here(a, fail);
        if (a->oom)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (resolve(a, start))
                return SW_SUCCESS;
        return sw_fail_at(
                err, SW_EPROTO, NULL, c->pos.line, c->pos.column, c->pos.path,
                "split the condition into shorter ones",
                "%s: a condition of %s is too long to compile (%zu argument filters)",
                c->pos.path ? c->pos.path : "a condition", r->name, c->nargs);
}

/* Conditions in a run: one 32-bit comparison (no mask) of one argument. */
#define RUN_CHUNK 200

static bool simple_cond(const struct sw_cond *c, unsigned *idx)
{
        const struct sw_argf *f = c->args;

        if (c->nargs != 1 || c->ports != NULL || f->op == SW_OP_MASKED_EQ ||
            sw_argf_width(f) != 32)
                return false;
        *idx = f->index;
        return true;
}

/* How many conditions from ci on form a run on one argument. */
static size_t run_length(const struct sw_rule *r, size_t ci)
{
        unsigned first;
        unsigned idx;
        size_t n = 0;

        if (!simple_cond(&r->conds[ci], &first))
                return 0;
        while (ci + n < r->nconds && simple_cond(&r->conds[ci + n], &idx) &&
               idx == first)
                n++;
        return n;
}

/*
 * A run of one-comparison conditions on the same low word (an ioctl
 * allowed for a list of requests): the word is loaded once and each
 * condition costs one jump to a shared "return ALLOW", placed after each
 * chunk of conditions so that every jump reaches it; the chunk's last
 * test falls into it or jumps over it.
 */
static sw_code run_emit(struct sw_asm *a, const struct sw_rule *r, size_t ci,
                        size_t n, uint32_t arch, sw_error **err)
{
        size_t start = a->len;

        emit_ld(a, word_off(arch, r->conds[ci].args[0].index, false));
        for (size_t done = 0; done < n;) {
                size_t chunk = n - done < RUN_CHUNK ? n - done : RUN_CHUNK;
                int allow = label_new(a);
                int skip = label_new(a);

                for (size_t k = 0; k < chunk; k++) {
                        const struct sw_argf *f = r->conds[ci + done + k].args;
                        bool last = k + 1 == chunk;
                        int next = last ? skip : label_new(a);

                        word_test(a, f->op, (uint32_t)f->value, allow, next);
                        if (!last)
                                label_here(a, next);
                }
                label_here(a, allow);
                ret(a, SECCOMP_RET_ALLOW);
                label_here(a, skip);
                done += chunk;
        }
        if (a->oom)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (!resolve(a, start))
                return sw_fail(err, SW_EINTERNAL,
                               "a run of conditions of %s did not resolve",
                               r->name);
        return SW_SUCCESS;
}

static void asm_free(struct sw_asm *a)
{
        free(a->insns);
        free(a->labels);
}

sw_code sw_argblock(const struct sw_rule *rule, uint32_t arch,
                    struct sock_filter **out, size_t *len, sw_error **err)
{
        struct sw_asm a = {0};
        struct sock_filter *prog;

        /* A condition's port restriction sits behind a pointer: only its
         * argument filters are compiled here.  The network layer
         * (netplan.c) judges the port beside this program, and the
         * kernel takes the stricter answer of the two. */
        for (size_t ci = 0; ci < rule->nconds;) {
                size_t run = run_length(rule, ci);
                sw_code rc;

                if (run > 1) {
                        rc = run_emit(&a, rule, ci, run, arch, err);
                        ci += run;
                } else {
                        rc = cond_emit(&a, rule, ci, arch, err);
                        ci++;
                }
                if (rc != SW_SUCCESS) {
                        asm_free(&a);
                        return rc;
                }
        }
        ret(&a, SECCOMP_RET_ERRNO | ((uint32_t)rule->err_no & 0xffff));
        prog = a.oom ? NULL : malloc(a.len * sizeof(*prog));
        if (prog == NULL) {
                asm_free(&a);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        for (size_t i = 0; i < a.len; i++)
                prog[i] = a.insns[i].f;
        *out = prog;
        *len = a.len;
        asm_free(&a);
        return SW_SUCCESS;
}

static const char *op_text(enum sw_op op)
{
        static const char *const names[] = {
                [SW_OP_EQ] = "eq",
                [SW_OP_NE] = "ne",
                [SW_OP_GT] = "gt",
                [SW_OP_LT] = "lt",
                [SW_OP_GE] = "ge",
                [SW_OP_LE] = "le",
                [SW_OP_MASKED_EQ] = "masked_eq",
        };

        return (unsigned)op < SW_ARRAY_SIZE(names) ? names[op] : "?";
}

static void pfc_filter(FILE *out, const struct sw_argf *f, unsigned width)
{
        uint64_t cut = width == 32 ? UINT32_MAX : UINT64_MAX;

        fprintf(out, "#     arg%u (%u-bit) %s 0x%llx", f->index, width,
                op_text(f->op), (unsigned long long)(f->value & cut));
        if (f->op == SW_OP_MASKED_EQ)
                fprintf(out, " mask 0x%llx",
                        (unsigned long long)(f->mask & cut));
        fputc('\n', out);
}

char *sw_argblock_pfc(const struct sw_rule *rule, uint32_t arch)
{
        /* Widths no longer depend on the target; kept for the callers. */
        (void)arch;
        char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);

        if (out == NULL)
                return NULL;
        fprintf(out, "# %s: syscall \"%s\" (%d) CONDITIONAL\n",
                rule->pos.path ? rule->pos.path : "rule", rule->name, rule->nr);
        for (size_t ci = 0; ci < rule->nconds; ci++) {
                const struct sw_cond *c = &rule->conds[ci];

                fprintf(out, "#   condition %zu: ALLOW when all hold:\n", ci);
                for (size_t i = 0; i < c->nargs; i++)
                        pfc_filter(out, &c->args[i],
                                   sw_argf_width(&c->args[i]));
        }
        fprintf(out, "#   otherwise: ERRNO(%d)\n", rule->err_no);
        if (fclose(out) != 0) {
                free(text);
                return NULL;
        }
        return text;
}
