/*
 * prove.c - the compiled program, checked against the whitelist.
 *
 * The whitelist says what must happen to every call; the program is what
 * the kernel will do.  The proof runs the program in the interpreter on
 * the inputs where a compiler goes wrong - each comparison's value, its
 * neighbours, 0, all ones, an upper half set or full of garbage while the
 * lower half matches - on every unlisted number of the architecture, on
 * other architectures and on x32 numbers, and compares each answer with
 * the whitelist's own meaning.  One disagreement refuses the program.
 */
#include "compile.h"

#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>

#define X32_BIT        0x40000000
#define MAX_PLAIN_NR   1024
#define MAX_CANDIDATES 16

/* A rule with a number on the target. */
struct rinfo {
        const struct sw_rule *r;
};

/* The policy side: rules with a number on the target, sorted by it. */
struct policy {
        const sw_whitelist *wl;
        uint32_t arch;  /* libseccomp token of the target */
        uint32_t audit; /* the arch value the kernel reports for it */
        struct rinfo *rules;
        size_t count;
};

static int rule_cmp(const void *a, const void *b)
{
        int x = ((const struct rinfo *)a)->r->nr;
        int y = ((const struct rinfo *)b)->r->nr;

        return (x > y) - (x < y);
}

static bool policy_init(struct policy *p, const sw_whitelist *wl)
{
        p->wl = wl;
        p->arch = sw_wl_arch(wl);
        p->audit = p->arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : p->arch;
        p->count = 0;
        p->rules = calloc(wl->nrules + 1, sizeof(struct rinfo));
        if (p->rules == NULL)
                return false;
        for (size_t i = 0; i < wl->nrules; i++) {
                struct rinfo *ri = &p->rules[p->count];

                if (wl->rules[i].nr < 0)
                        continue;
                ri->r = &wl->rules[i];
                p->count++;
        }
        qsort(p->rules, p->count, sizeof(struct rinfo), rule_cmp);
        return true;
}

static const struct rinfo *policy_find(const struct policy *p, int nr)
{
        size_t lo = 0;
        size_t hi = p->count;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (p->rules[mid].r->nr == nr)
                        return &p->rules[mid];
                if (p->rules[mid].r->nr < nr)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

static bool cond_holds(const struct sw_cond *c, const uint64_t args[6])
{
        for (size_t i = 0; i < c->nargs; i++) {
                const struct sw_argf *f = &c->args[i];

                if (!sw_argf_holds(f, sw_argf_width(f), args[f->index]))
                        return false;
        }
        return true;
}

static uint32_t rule_meaning(const struct rinfo *ri, const uint64_t args[6])
{
        const struct sw_rule *r = ri->r;
        uint32_t deny = SECCOMP_RET_ERRNO | ((uint32_t)r->err_no & 0xffff);

        switch (r->perm) {
        case SW_ALLOW:
                return SECCOMP_RET_ALLOW;
        case SW_DENY:
                return deny;
        case SW_CONDITIONAL:
                for (size_t c = 0; c < r->nconds; c++)
                        if (cond_holds(&r->conds[c], args))
                                return SECCOMP_RET_ALLOW;
                return deny;
        }
        return SECCOMP_RET_KILL_PROCESS;
}

static uint32_t meaning(const struct policy *p, uint32_t arch, int nr,
                        const uint64_t args[6])
{
        const struct rinfo *ri;

        if (arch != p->audit)
                return SECCOMP_RET_KILL_PROCESS;
        /* x32 shares the x86_64 arch value and marks numbers with bit 30. */
        if (p->arch == SCMP_ARCH_X86_64 && (nr & X32_BIT))
                return SECCOMP_RET_KILL_PROCESS;
        if (p->arch == SCMP_ARCH_X32 && !(nr & X32_BIT))
                return SECCOMP_RET_KILL_PROCESS;
        ri = policy_find(p, nr);
        return ri ? rule_meaning(ri, args) : SECCOMP_RET_KILL_PROCESS;
}

uint32_t sw_policy_action(const sw_whitelist *wl, uint32_t arch, int nr,
                          const uint64_t args[6])
{
        struct policy p;
        uint32_t action;

        if (!policy_init(&p, wl))
                return SECCOMP_RET_KILL_PROCESS;
        action = meaning(&p, arch, nr, args);
        free(p.rules);
        return action;
}

/* ---- the program side and the comparison ---- */

struct prover {
        struct policy pol;
        const sw_filter *f;
        sw_error **err;
        size_t runs;
};

static void action_text(uint32_t action, char *buf, size_t size)
{
        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_KILL_PROCESS:
                snprintf(buf, size, "KILL_PROCESS");
                break;
        case SECCOMP_RET_KILL_THREAD:
                snprintf(buf, size, "KILL_THREAD");
                break;
        case SECCOMP_RET_ALLOW:
                snprintf(buf, size, "ALLOW");
                break;
        case SECCOMP_RET_ERRNO:
                snprintf(buf, size, "ERRNO(%u)", action & SECCOMP_RET_DATA);
                break;
        default:
                snprintf(buf, size, "action 0x%08x", action);
                break;
        }
}

/* Run one input; false (with the error filled) on a disagreement. */
static bool probe(struct prover *pv, const struct sw_rule *r, uint32_t arch,
                  int nr, const uint64_t args[6])
{
        struct seccomp_data data;
        uint32_t want = meaning(&pv->pol, arch, nr, args);
        uint32_t got;
        char w[32];
        char g[32];

        sw_bpf_data(&data, arch, nr, args);
        got = sw_bpf_run(pv->f->prog, pv->f->len, &data, NULL);
        pv->runs++;
        if (got == want)
                return true;
        action_text(want, w, sizeof(w));
        action_text(got, g, sizeof(g));
        /* A raw program came from the user, not the compiler. */
        sw_fail_at(
                pv->err, SW_EINTERNAL, pv->pol.wl->file, r ? r->pos.line : 0,
                r ? r->pos.column : 0, r ? r->pos.path : NULL,
                pv->f->raw
                        ? "the program does not do what the whitelist says: "
                          "compile it again with `syswall compile`"
                        : "this is a bug in syswall or libseccomp; please report it with "
                          "the whitelist",
                "the compiled filter disagrees with the whitelist for %s: input "
                "arch=0x%08x nr=%d args=[0x%" PRIx64 ", 0x%" PRIx64
                ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
                "]: the filter answers %s, the whitelist means %s",
                r ? r->name : "an unlisted call", arch, nr, args[0], args[1],
                args[2], args[3], args[4], args[5], g, w);
        return false;
}

/* Values where a comparison of f changes its answer, or might wrongly. */
static size_t candidates(const struct sw_argf *f, uint64_t out[MAX_CANDIDATES])
{
        uint64_t v = f->value;
        uint64_t lo = v & UINT32_MAX;
        uint64_t low_bit = f->mask & (~f->mask + 1);
        size_t n = 0;

        out[n++] = v;
        out[n++] = v - 1;
        out[n++] = v + 1;
        out[n++] = 0;
        out[n++] = UINT64_MAX;
        out[n++] = UINT64_C(1) << 63;
        out[n++] = lo | UINT64_C(0xffffffff00000000);
        out[n++] = lo | UINT64_C(0x5a5a5a5a00000000);
        out[n++] = lo;
        out[n++] = ((lo - 1) & UINT32_MAX) | UINT64_C(0x1234567800000000);
        out[n++] = ((lo + 1) & UINT32_MAX) | UINT64_C(0x1234567800000000);
        out[n++] = v ^ UINT64_C(0x100000000);
        if (f->op == SW_OP_MASKED_EQ) {
                out[n++] = v | ~f->mask;
                out[n++] = v ^ low_bit;
                out[n++] = (v & f->mask) ^
                           (f->mask & UINT64_C(0xffffffff00000000));
        }
        return n;
}

/* Does value satisfy every filter of c on argument idx? */
static bool arg_ok(const struct sw_cond *c, unsigned idx, uint64_t value)
{
        for (size_t i = 0; i < c->nargs; i++) {
                const struct sw_argf *f = &c->args[i];

                if (f->index == idx &&
                    !sw_argf_holds(f, sw_argf_width(f), value))
                        return false;
        }
        return true;
}

/* A value for argument idx that satisfies c, or 0 if none is found. */
static uint64_t arg_witness(const struct sw_cond *c, unsigned idx)
{
        for (size_t i = 0; i < c->nargs; i++) {
                uint64_t cand[MAX_CANDIDATES];
                size_t n;

                if (c->args[i].index != idx)
                        continue;
                n = candidates(&c->args[i], cand);
                for (size_t k = 0; k < n; k++)
                        if (arg_ok(c, idx, cand[k]))
                                return cand[k];
        }
        return 0;
}

/* Every boundary of every filter of one condition, the others held. */
static bool prove_cond(struct prover *pv, const struct rinfo *ri,
                       const struct sw_cond *c)
{
        const struct sw_rule *r = ri->r;
        uint32_t arch = pv->pol.audit;
        uint64_t base[6];

        for (unsigned idx = 0; idx < 6; idx++)
                base[idx] = arg_witness(c, idx);
        if (!probe(pv, r, arch, r->nr, base))
                return false;
        for (size_t i = 0; i < c->nargs; i++) {
                uint64_t cand[MAX_CANDIDATES];
                size_t n = candidates(&c->args[i], cand);

                for (size_t k = 0; k < n; k++) {
                        uint64_t args[6];

                        for (unsigned j = 0; j < 6; j++)
                                args[j] = base[j];
                        args[c->args[i].index] = cand[k];
                        if (!probe(pv, r, arch, r->nr, args))
                                return false;
                }
        }
        return true;
}

static bool prove_rule(struct prover *pv, const struct rinfo *ri)
{
        const struct sw_rule *r = ri->r;
        static const uint64_t zero[6] = {0};
        static const uint64_t ones[6] = {UINT64_MAX, UINT64_MAX, UINT64_MAX,
                                         UINT64_MAX, UINT64_MAX, UINT64_MAX};
        uint32_t arch = pv->pol.audit;

        if (!probe(pv, r, arch, r->nr, zero) ||
            !probe(pv, r, arch, r->nr, ones))
                return false;
        for (size_t c = 0; c < r->nconds; c++)
                if (!prove_cond(pv, ri, &r->conds[c]))
                        return false;
        return true;
}

/* Numbers of the target that no rule lists, plus odd ones. */
static bool prove_unlisted(struct prover *pv)
{
        static const uint64_t zero[6] = {0};
        static const int odd[] = {-1, INT32_MAX, INT32_MIN, 0x3fffffff,
                                  X32_BIT - 1};
        uint32_t arch = pv->pol.audit;
        int base = pv->pol.arch == SCMP_ARCH_X32 ? X32_BIT : 0;

        for (int nr = base; nr < base + MAX_PLAIN_NR; nr++)
                if (policy_find(&pv->pol, nr) == NULL &&
                    !probe(pv, NULL, arch, nr, zero))
                        return false;
        for (size_t i = 0; i < SW_ARRAY_SIZE(odd); i++)
                if (policy_find(&pv->pol, odd[i]) == NULL &&
                    !probe(pv, NULL, arch, odd[i], zero))
                        return false;
        return true;
}

/* Every listed number from other architectures, and as x32 numbers. */
static bool prove_foreign(struct prover *pv)
{
        static const uint32_t arches[] = {SCMP_ARCH_X86_64,  SCMP_ARCH_X86,
                                          SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,
                                          SCMP_ARCH_RISCV64, SCMP_ARCH_PPC64LE,
                                          SCMP_ARCH_S390X,   0,
                                          UINT32_MAX};
        static const uint64_t zero[6] = {0};
        uint32_t target = pv->pol.audit;

        for (size_t i = 0; i < pv->pol.count; i++) {
                const struct sw_rule *r = pv->pol.rules[i].r;

                for (size_t a = 0; a < SW_ARRAY_SIZE(arches); a++)
                        if (arches[a] != target &&
                            !probe(pv, r, arches[a], r->nr, zero))
                                return false;
                /* The same number with bit 30 flipped: x32 from x86_64,
                 * or x86_64 from x32. */
                if (target == SCMP_ARCH_X86_64 &&
                    !probe(pv, r, target, r->nr ^ X32_BIT, zero))
                        return false;
        }
        return true;
}

sw_code sw_prove(const sw_whitelist *wl, const sw_filter *f, sw_error **err)
{
        struct prover pv = {.f = f, .err = err};
        bool ok = true;

        if (!policy_init(&pv.pol, wl))
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (f->arch != 0 && f->arch != pv.pol.arch) {
                free(pv.pol.rules);
                return sw_fail(
                        err, SW_EPROTO,
                        "the filter was built for %s, the whitelist for %s",
                        sw_arch_name(f->arch), sw_arch_name(pv.pol.arch));
        }
        for (size_t i = 0; ok && i < pv.pol.count; i++)
                ok = prove_rule(&pv, &pv.pol.rules[i]);
        ok = ok && prove_unlisted(&pv) && prove_foreign(&pv);
        free(pv.pol.rules);
        return ok ? SW_SUCCESS : SW_EINTERNAL;
}
