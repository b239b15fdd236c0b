/*
 * unit_codegen.c - the native backend (codegen.c): exact programs and
 * instruction counts on small whitelists, coalesced ranges, shared
 * argument blocks, jumps over more than 255 instructions, the kernel's
 * size limit, the action cache's rule, issue 10's goals on the generated
 * 350-entry whitelist, and a differential test against the libseccomp
 * backend on thousands of random whitelists.
 */
#include "testutil.h"

#include "compile.h"
#include "wlbuild.h"

#include <errno.h>
#include <linux/audit.h>

#define ALLOW    SECCOMP_RET_ALLOW
#define KILL     SECCOMP_RET_KILL_PROCESS
#define ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))
#define HI(x)    ((uint64_t)(x) << 32)
#define X86_64   AUDIT_ARCH_X86_64

static const uint64_t zero[6];

/* Compiled (and proven) by one backend; the listing only when asked. */
static sw_filter *compile_with(const sw_whitelist *wl, const char *backend,
                               bool listing)
{
        sw_config *cfg = sw_config_new();
        sw_filter *f = NULL;
        sw_error *err = NULL;

        assert_non_null(cfg);
        assert_int_equal(sw_config_set_backend(cfg, backend), SW_SUCCESS);
        sw_config_set_listing(cfg, listing);
        if (sw_compile(wl, cfg, &f, &err) != SW_SUCCESS)
                fail_msg("%s: %s", backend, sw_error_message(err));
        sw_config_free(cfg);
        assert_string_equal(sw_filter_backend(f), backend);
        return f;
}

static sw_filter *native(const sw_whitelist *wl)
{
        return compile_with(wl, "native", true);
}

/* The action for a call; *insns gets the instructions it ran. */
static uint32_t run(const sw_filter *f, uint32_t arch, int nr,
                    const uint64_t args[6], unsigned *insns)
{
        uint32_t action = 0;
        unsigned n = 0;

        assert_int_equal(sw_filter_simulate(f, arch, nr, args, &action, &n),
                         SW_SUCCESS);
        if (insns)
                *insns = n;
        return action;
}

static unsigned cost(const sw_filter *f, int nr, const uint64_t args[6])
{
        unsigned n = 0;

        run(f, X86_64, nr, args, &n);
        return n;
}

static const struct sock_filter *prog(const sw_filter *f)
{
        return sw_filter_program(f);
}

/* ---- exact programs ---- */

/* One rule: three ranges (kill, allow, kill), two compares deep, and
 * one return per action after them. */
static void test_one_rule(void **state)
{
        static const struct sock_filter want[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, KILL),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
                /* the search jumps to its pool of returns */
                BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 231, 0, 1),
                BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 232, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, KILL),
                BPF_STMT(BPF_RET | BPF_K, ALLOW),
        };
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f;

        (void)state;
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        f = native(wl);
        assert_int_equal(sw_filter_length(f), SW_ARRAY_SIZE(want));
        assert_memory_equal(prog(f), want, sizeof(want));
        assert_int_equal(cost(f, 231, zero), 6);
        assert_int_equal(cost(f, 0, zero), 5);
        /* x32 and -1 fall in the last range, which kills */
        assert_int_equal(run(f, X86_64, 0x40000000 | 231, zero, NULL), KILL);
        assert_int_equal(run(f, X86_64, -1, zero, NULL), KILL);
        assert_int_equal(run(f, AUDIT_ARCH_I386, 231, zero, NULL), KILL);
        assert_int_equal(cost(f, 231, zero) - 2, 4);
        sw_filter_free(f);
        wlb_free(wl);
}

/* Adjacent numbers with one outcome are one range: read..close and two
 * DENYs with the same errno; another errno starts a range of its own. */
static void test_coalesced(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f;

        (void)state;
        wlb_rule(wl, "close", SW_ALLOW, 0); /* 3 */
        wlb_rule(wl, "read", SW_ALLOW, 0);  /* 0 */
        wlb_rule(wl, "write", SW_ALLOW, 0); /* 1 */
        wlb_rule(wl, "open", SW_ALLOW, 0);  /* 2 */
        f = native(wl);
        /* ranges [0, 3] ALLOW, [4, ...] KILL: one compare, two returns */
        assert_int_equal(sw_filter_length(f), 4 + 3);
        for (int nr = 0; nr < 5; nr++)
                assert_int_equal(cost(f, nr, zero), 5);
        sw_filter_free(f);

        wlb_rule(wl, "stat", SW_DENY, EACCES);  /* 4 */
        wlb_rule(wl, "fstat", SW_DENY, EACCES); /* 5 */
        wlb_rule(wl, "lstat", SW_DENY, EPERM);  /* 6 */
        f = native(wl);
        /* [0, 3] ALLOW, [4, 5] EACCES, [6] EPERM, [7, ...] KILL: three
         * compares, four returns */
        assert_int_equal(sw_filter_length(f), 4 + 3 + 4);
        assert_int_equal(run(f, X86_64, 5, zero, NULL), ERRNO(EACCES));
        assert_int_equal(run(f, X86_64, 6, zero, NULL), ERRNO(EPERM));
        assert_int_equal(run(f, X86_64, 7, zero, NULL), KILL);
        for (int nr = 0; nr < 8; nr++)
                assert_int_equal(cost(f, nr, zero), 6);
        sw_filter_free(f);
        wlb_free(wl);
}

static void cond_eq(struct sw_rule *r, unsigned idx, uint64_t v)
{
        wlb_arg(wlb_cond(r), idx, SW_OP_EQ, v, 0, 32);
}

/*
 * A block used by one range sits at its leaf; identical blocks are one,
 * after the search, reached by a `ja` from each leaf; identical adjacent
 * rules are one range and keep the block at the leaf.
 */
static void test_shared_blocks(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        const char *names[] = {"dup", "getpid", "kill"}; /* 32, 39, 62 */
        sw_filter *f;
        size_t blocks = 0;
        uint64_t a[6] = {7};

        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(names); i++)
                cond_eq(wlb_rule(wl, names[i], SW_CONDITIONAL, EPERM), 0, 7);
        f = native(wl);
        /* the block: ld, jeq, ret ALLOW, ret ERRNO, placed once */
        for (size_t pc = 0; pc < sw_filter_length(f); pc++)
                blocks += prog(f)[pc].code == (BPF_LD | BPF_W | BPF_ABS) &&
                          prog(f)[pc].k == 16;
        assert_int_equal(blocks, 1);
        /* 7 ranges: 3 compares, then the ja, then the block's 3 */
        assert_int_equal(cost(f, 39, a), 3 + 3 + 1 + 3);
        assert_int_equal(run(f, X86_64, 62, a, NULL), ALLOW);
        a[0] = 8;
        assert_int_equal(run(f, X86_64, 32, a, NULL), ERRNO(EPERM));
        /* 6 compares, 3 ja, the pool (KILL), the block */
        assert_int_equal(sw_filter_length(f), 4 + 6 + 3 + 1 + 4);
        sw_filter_free(f);
        wlb_free(wl);

        /* dup2 and dup3 are 33 and 292: dup and dup2 adjacent */
        wl = wlb_new(SCMP_ARCH_X86_64);
        cond_eq(wlb_rule(wl, "dup", SW_CONDITIONAL, EPERM), 0, 7);
        cond_eq(wlb_rule(wl, "dup2", SW_CONDITIONAL, EPERM), 0, 7);
        f = native(wl);
        /* [0, 31] KILL, [32, 33] the block, [34, ...] KILL: no ja; 2
         * compares, the block, the pool */
        assert_int_equal(sw_filter_length(f), 4 + 2 + 4 + 1);
        a[0] = 7;
        assert_int_equal(cost(f, 33, a), 3 + 2 + 3);
        sw_filter_free(f);
        wlb_free(wl);
}

/* 150 two-filter conditions (no run): 4 instructions each. */
static void long_block(sw_whitelist *wl, const char *name, uint64_t base)
{
        struct sw_rule *r = wlb_rule(wl, name, SW_CONDITIONAL, EPERM);

        for (unsigned i = 0; i < 150; i++) {
                struct sw_cond *c = wlb_cond(r);

                wlb_arg(c, 0, SW_OP_EQ, base + i, 0, 32);
                wlb_arg(c, 1, SW_OP_EQ, 1000 + i, 0, 32);
        }
}

/*
 * Both sides of the root longer than a conditional jump reaches (255):
 * the compare falls through to a `ja` over the near side, and the layout
 * puts the `ja` on the side whose longest path is shorter.
 */
static void test_far_jumps(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        sw_filter *f;
        uint64_t a[6] = {149, 1149};

        (void)state;
        long_block(wl, "read", 0); /* 0 */
        wlb_rule(wl, "write", SW_ALLOW, 0);
        long_block(wl, "close", 500); /* 3 */
        f = native(wl);
        /* [0] block, [1] ALLOW | [2] KILL, [3] block, [4, ...] KILL:
         * the right half (three ranges) first, the left through a ja */
        assert_int_equal(sw_filter_length(f), 1514);
        assert_int_equal(prog(f)[4].code, BPF_JMP | BPF_JGE | BPF_K);
        assert_int_equal(prog(f)[4].k, 2);
        assert_int_equal(prog(f)[4].jt, 1);
        assert_int_equal(prog(f)[4].jf, 0);
        assert_int_equal(prog(f)[5].code, BPF_JMP | BPF_JA);
        assert_int_equal(prog(f)[5].k, 755);
        assert_int_equal(prog(f)[6 + 755].k, 1); /* jge write */
        assert_int_equal(cost(f, 1, zero), 3 + 1 + 1 + 1 + 1);
        assert_int_equal(cost(f, 4, zero), 3 + 1 + 1 + 1 + 1);
        assert_int_equal(cost(f, 2, zero), 3 + 1 + 1 + 1);
        assert_int_equal(run(f, X86_64, 1, zero, NULL), ALLOW);
        assert_int_equal(run(f, X86_64, 2, zero, NULL), KILL);
        assert_int_equal(run(f, X86_64, 0, a, NULL), ALLOW);
        a[0] = 649;
        assert_int_equal(run(f, X86_64, 3, a, NULL), ALLOW);
        a[1] = 1148;
        assert_int_equal(run(f, X86_64, 3, a, NULL), ERRNO(EPERM));
        a[0] = 149;
        assert_int_equal(run(f, X86_64, 0, a, NULL), ERRNO(EPERM));
        sw_filter_free(f);
        wlb_free(wl);
}

/* Over 4096 instructions: refused, naming the rule that costs most. */
static void test_size_limit(void **state)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);
        struct sw_rule *r;
        sw_config *cfg = sw_config_new();
        sw_filter *f = NULL;
        sw_error *err = NULL;

        (void)state;
        assert_non_null(cfg);
        wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        r = wlb_rule(wl, "ioctl", SW_CONDITIONAL, ENOTTY);
        for (unsigned i = 0; i < 4100; i++)
                cond_eq(r, 1, 0x5400 + i);
        assert_int_equal(sw_config_set_backend(cfg, "native"), SW_SUCCESS);
        assert_int_equal(sw_compile(wl, cfg, &f, &err), SW_EPROTO);
        assert_null(f);
        assert_string_equal(
                sw_error_message(err),
                "the filter needs 4134 BPF instructions, the kernel's limit is 4096; "
                "syscalls[1] (ioctl) costs 4123");
        assert_string_equal(sw_error_path(err), "syscalls[1]");
        sw_error_free(err);
        err = NULL;

        /* 4000 conditions fit: a block of 4022 and the search */
        r->nconds = 4000;
        f = native(wl);
        assert_int_equal(sw_filter_length(f), 4033);
        sw_filter_free(f);
        r->nconds = 4100;
        sw_config_free(cfg);
        wlb_free(wl);
}

/* ---- the kernel's action cache ---- */

/*
 * The kernel's rule (seccomp_is_const_allow), emulated: knowing only the
 * number and the architecture, the program reaches RET ALLOW through
 * loads of those two fields and compares; an argument load is fatal.
 */
static bool const_allow(const sw_filter *f, int nr)
{
        const struct sock_filter *p = prog(f);
        uint32_t a = 0;

        for (size_t pc = 0; pc < sw_filter_length(f); pc++) {
                const struct sock_filter *i = &p[pc];

                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (i->k != 0 && i->k != 4)
                                return false;
                        a = i->k == 0 ? (uint32_t)nr : AUDIT_ARCH_X86_64;
                        break;
                case BPF_RET | BPF_K:
                        return i->k == ALLOW;
                case BPF_JMP | BPF_JA:
                        pc += i->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += a == i->k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                        pc += a >= i->k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                        pc += a > i->k ? i->jt : i->jf;
                        break;
                default:
                        return false;
                }
        }
        return false;
}

static void test_action_cache(void **state)
{
        size_t len = 0;
        const char *doc = sw_default_whitelist(&len);
        sw_whitelist *wl = NULL;
        sw_filter *f;
        size_t allow = 0;

        (void)state;
        assert_int_equal(
                sw_whitelist_load_buffer(doc, len, "default", NULL, &wl, NULL),
                SW_SUCCESS);
        f = native(wl);
        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                if (r->nr < 0)
                        continue;
                if (r->perm == SW_ALLOW && !const_allow(f, r->nr))
                        fail_msg("%s is not cacheable", r->name);
                if (r->perm == SW_CONDITIONAL && const_allow(f, r->nr))
                        fail_msg("%s is conditional yet cached", r->name);
                allow += r->perm == SW_ALLOW;
        }
        assert_true(allow > 200);
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

/* ---- issue 10's goal ---- */

/*
 * bench's gen350x3on50 (peer_bench gen 350 3 sparse): the first 350
 * x86_64 numbers that have a name, every seventh (nr % 7 == 4)
 * CONDITIONAL with three conditions "arg 0 eq nr * 16 + 1000 + j", 32
 * bits wide; the rest ALLOW.
 */
static sw_whitelist *gen350(void)
{
        sw_whitelist *wl = wlb_new(SCMP_ARCH_X86_64);

        for (int nr = 0; nr < 464 && wl->nrules < 350; nr++) {
                char *name =
                        seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                struct sw_rule *r;

                if (name == NULL)
                        continue;
                r = wlb_rule(wl, name, nr % 7 == 4 ? SW_CONDITIONAL : SW_ALLOW,
                             nr % 7 == 4 ? EPERM : 0);
                for (int j = 0; r->perm == SW_CONDITIONAL && j < 3; j++)
                        cond_eq(r, 0, (uint64_t)(nr * 16 + 1000 + j));
                free(name);
        }
        return wl;
}

static void test_goal_gen350(void **state)
{
        static const uint64_t ones[6] = {~0ull, ~0ull, ~0ull,
                                         ~0ull, ~0ull, ~0ull};
        sw_whitelist *wl = gen350();
        sw_filter *f = native(wl);
        unsigned plain = 0;
        unsigned cond = 0;
        int nconds = 0;

        (void)state;
        for (int nr = 0; nr < 464; nr++) {
                size_t idx = 0;
                bool c = false;
                unsigned n = cost(f, nr, zero);
                unsigned m = cost(f, nr, ones);

                for (idx = 0; idx < wl->nrules; idx++)
                        if (wl->rules[idx].nr == nr)
                                c = wl->rules[idx].perm == SW_CONDITIONAL;
                n = n > m ? n : m;
                if (c && n > cond)
                        cond = n;
                if (!c && n > plain)
                        plain = n;
                nconds += c;
        }
        assert_int_equal(nconds, 51);
        /* goals: at most 14 and 22 (libseccomp's tree: 18 and 24) */
        assert_int_equal(plain, 11);
        assert_int_equal(cond, 15);
        assert_int_equal(sw_filter_length(f), 416);
        sw_filter_free(f);
        wlb_free(wl);
}

/* ---- differential: native against libseccomp ---- */

static uint64_t rng_state;

/* xorshift64*: the same sequence on every machine. */
static uint64_t rnd(void)
{
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        return rng_state * UINT64_C(2685821657736338717);
}

static unsigned pick(unsigned n)
{
        return (unsigned)(rnd() % n);
}

/* Values where comparisons turn: small, around 2^31 and 2^32, high. */
static uint64_t value(unsigned width)
{
        static const uint64_t v[] = {0,          1,          2,
                                     7,          0x7fffffff, 0x80000000,
                                     0xfffffffe, 0xffffffff, 0xffffff9c};
        uint64_t x;

        switch (pick(4)) {
        case 0:
                x = v[pick(SW_ARRAY_SIZE(v))];
                break;
        case 1:
                x = pick(64);
                break;
        case 2:
                x = HI(pick(3)) + pick(64);
                break;
        default:
                x = rnd();
                break;
        }
        return width == 32 ? x & UINT32_MAX : x;
}

static void random_filter(struct sw_cond *c)
{
        static const unsigned widths[] = {32, 64, 0};
        unsigned width = widths[pick(3)];
        unsigned idx = pick(6);
        enum sw_op op = (enum sw_op)pick(SW_OP_MASKED_EQ + 1);
        uint64_t v = value(width);

        if (op == SW_OP_MASKED_EQ) {
                uint64_t mask = value(width) | 1;

                wlb_arg(c, idx, op, v & mask, mask, width);
                return;
        }
        wlb_arg(c, idx, op, v, 0, width);
        /* a range: ge and le on one argument */
        if (op == SW_OP_GE && pick(2))
                wlb_arg(c, idx, SW_OP_LE, v + pick(100), 0, width);
}

/* few: conditional rules are rare (a big whitelist stays below 4096). */
static void random_rule(sw_whitelist *wl, const char *name, bool few)
{
        static const int errnos[] = {EPERM, EACCES, ENOSYS, EAFNOSUPPORT, 4094};
        unsigned kind = pick(10);
        struct sw_rule *r;

        if (few && kind > 5 && pick(8) != 0)
                kind = 0;
        if (kind < 4) {
                wlb_rule(wl, name, SW_ALLOW, 0);
                return;
        }
        r = wlb_rule(wl, name, kind < 6 ? SW_DENY : SW_CONDITIONAL,
                     errnos[pick(SW_ARRAY_SIZE(errnos))]);
        if (r->perm == SW_DENY)
                return;
        for (unsigned c = 0, n = 1 + pick(3); c < n; c++) {
                struct sw_cond *cd = wlb_cond(r);

                for (unsigned k = 0, m = 1 + pick(3); k < m; k++)
                        random_filter(cd);
        }
}

/* A copy of the last CONDITIONAL rule's conditions and errno. */
static bool copy_last(sw_whitelist *wl, const char *name)
{
        const struct sw_rule *src = NULL;
        struct sw_rule *r;

        for (size_t i = wl->nrules; i-- > 0 && src == NULL;)
                if (wl->rules[i].perm == SW_CONDITIONAL)
                        src = &wl->rules[i];
        if (src == NULL)
                return false;
        size_t at = (size_t)(src - wl->rules);

        r = wlb_rule(wl, name, SW_CONDITIONAL, src->err_no);
        src = &wl->rules[at]; /* the array may have moved */
        for (size_t c = 0; c < src->nconds; c++) {
                struct sw_cond *cd = wlb_cond(r);

                for (size_t k = 0; k < src->conds[c].nargs; k++) {
                        const struct sw_argf *f = &src->conds[c].args[k];

                        wlb_arg(cd, f->index, f->op, f->value, f->mask,
                                f->width_explicit ? f->width : 0);
                }
        }
        return true;
}

/*
 * Numbers 0-460 with holes: each listed with probability `density`,
 * some runs left out, high numbers (300-460) as often as low ones.
 */
static sw_whitelist *random_whitelist(uint32_t arch)
{
        sw_whitelist *wl = wlb_new(arch);
        unsigned density = 3 + pick(60);
        bool big = pick(40) == 0;

        for (int nr = 0; nr <= 460; nr++) {
                char *name = seccomp_syscall_resolve_num_arch(arch, nr);

                if (name != NULL && pick(100) < (big ? 90 : density / 3)) {
                        if (pick(4) != 0 || !copy_last(wl, name))
                                random_rule(wl, name, big);
                }
                free(name);
        }
        if (wl->nrules == 0)
                wlb_rule(wl, "exit_group", SW_ALLOW, 0);
        return wl;
}

/* Argument vectors at the boundaries of every filter of a rule. */
static size_t vectors(const struct sw_rule *r, uint64_t (*out)[6], size_t max)
{
        size_t n = 0;

        for (size_t c = 0; c < r->nconds; c++) {
                const struct sw_cond *cd = &r->conds[c];
                uint64_t base[6] = {0};

                /* every filter's value at once: often the condition holds */
                for (size_t k = 0; k < cd->nargs; k++)
                        base[cd->args[k].index] = cd->args[k].value;
                for (size_t k = 0; k < cd->nargs && n + 8 <= max; k++) {
                        const struct sw_argf *f = &cd->args[k];
                        uint64_t v = f->value;
                        const uint64_t cand[8] = {v,
                                                  v - 1,
                                                  v + 1,
                                                  ~v,
                                                  v ^ HI(1),
                                                  v | HI(0xffffffff),
                                                  v & UINT32_MAX,
                                                  v | ~f->mask};

                        for (size_t j = 0; j < 8; j++) {
                                memcpy(out[n], base, sizeof(base));
                                out[n][f->index] = cand[j];
                                n++;
                        }
                }
        }
        return n;
}

static void agree(const sw_filter *a, const sw_filter *b,
                  const sw_whitelist *wl, uint32_t arch, int nr,
                  const uint64_t args[6], unsigned round)
{
        uint32_t x = run(a, arch, nr, args, NULL);
        uint32_t y = run(b, arch, nr, args, NULL);

        /* the proof compared each with the whitelist's meaning already */
        if (x != y)
                fail_msg("whitelist %u, arch 0x%x, nr %d, args [0x%llx, "
                         "0x%llx, ...]: native 0x%08x, libseccomp 0x%08x, "
                         "meaning 0x%08x",
                         round, arch, nr, (unsigned long long)args[0],
                         (unsigned long long)args[1], x, y,
                         sw_policy_action(wl, arch, nr, args));
}

static void compare(const sw_whitelist *wl, unsigned round)
{
        static const uint64_t ones[6] = {~0ull, ~0ull, ~0ull,
                                         ~0ull, ~0ull, ~0ull};
        static uint64_t vec[512][6];
        uint32_t arch = wl->arch;
        sw_filter *a = compile_with(wl, "native", false);
        sw_filter *b = compile_with(wl, "libseccomp", false);

        for (int nr = 0; nr < 1024; nr++) {
                agree(a, b, wl, arch, nr, zero, round);
                agree(a, b, wl, arch, nr, ones, round);
        }
        agree(a, b, wl, arch, -1, zero, round);
        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];
                size_t n = vectors(r, vec, SW_ARRAY_SIZE(vec));

                if (r->nr < 0)
                        continue;
                for (size_t k = 0; k < n; k++)
                        agree(a, b, wl, arch, r->nr, vec[k], round);
                agree(a, b, wl, arch, r->nr | 0x40000000, zero, round);
                agree(a, b, wl, AUDIT_ARCH_I386, r->nr, zero, round);
        }
        sw_filter_free(a);
        sw_filter_free(b);
}

/* SW_CODEGEN_ROUNDS and SW_CODEGEN_SEED run it longer or elsewhere. */
static void test_differential(void **state)
{
        static const uint32_t arches[] = {SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64,
                                          SCMP_ARCH_RISCV64};
        const char *rounds_env = getenv("SW_CODEGEN_ROUNDS");
        const char *seed_env = getenv("SW_CODEGEN_SEED");
        unsigned rounds = rounds_env ? (unsigned)atoi(rounds_env) : 2000;

        (void)state;
        rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x5eed2026;
        for (unsigned i = 0; i < rounds; i++) {
                sw_whitelist *wl = random_whitelist(arches[i % 3]);

                compare(wl, i);
                wlb_free(wl);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_one_rule),
                cmocka_unit_test(test_coalesced),
                cmocka_unit_test(test_shared_blocks),
                cmocka_unit_test(test_far_jumps),
                cmocka_unit_test(test_size_limit),
                cmocka_unit_test(test_action_cache),
                cmocka_unit_test(test_goal_gen350),
                cmocka_unit_test(test_differential),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
