/*
 * codegen.c - the native backend: a whitelist straight to classic BPF.
 *
 *   ld  [4]                  the architecture
 *   jeq ARCH, 1, 0
 *   ret KILL_PROCESS         another architecture or ABI
 *   ld  [0]                  the number
 *   a balanced binary search over number ranges; a leaf returns its
 *   action or is the argument block of its CONDITIONAL rule
 *   the argument blocks that several ranges share
 *
 * Adjacent numbers with the same outcome (ALLOW, the same ERRNO, the same
 * argument block, KILL_PROCESS for numbers no rule lists) form one range.
 * The ranges cover every 32-bit number, so a leaf needs no test of its
 * own: the comparisons on the way bound the number on both sides.  The
 * x32 numbers of x86_64 (bit 30 set) and -1 fall in the last range, which
 * kills, so the x32 check costs no instruction.  libseccomp's tree tests
 * every listed number on its own and checks x32 before it; with ranges a
 * 350-entry whitelist needs about 7 comparisons instead of 11 to 13.
 * Leaves that only return are not laid out one by one: a subtree that
 * fits in 255 instructions ends with one return per action (its pool),
 * and its compares jump there, which halves the program and runs the
 * same instructions.
 *
 * Argument blocks come from argblock.c, as in the libseccomp backend.  A
 * block used by one range is placed at its leaf; identical blocks (rules
 * with the same conditions and errno) are generated once, and when
 * several ranges end in one, it follows the search and each leaf jumps
 * to it.  Conditional jumps reach 255 instructions; where a subtree is
 * longer, the other side goes through a `ja`, and the layout puts that
 * extra instruction on the side whose longest path is shorter.
 */
#include "compile.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/* A conditional jump reaches at most this many instructions ahead. */
#define NEAR 255

/* One argument block, generated once however many rules produce it. */
struct cg_block {
        struct sock_filter *code;
        size_t len;
        unsigned worst; /* instructions on its longest path */
        size_t rule;    /* the first rule it belongs to */
        size_t users;   /* ranges whose leaf it is */
        size_t at;      /* where a shared block starts in the program */
};

/* A range of numbers, from lo up to the next range's lo. */
struct cg_range {
        uint32_t lo;
        uint32_t action; /* the return value when block is -1 */
        long block;
};

/* A leaf that jumps to a shared block, patched when the block is placed. */
struct cg_fix {
        size_t pc;
        size_t block;
};

struct cg {
        const sw_whitelist *wl;
        struct cg_block *blocks;
        size_t nblocks;
        struct cg_range *ranges;
        size_t nranges;
        struct sock_filter *prog;
        long *block_of; /* per instruction: rule whose block starts there */
        size_t len;
        size_t cap;
        struct cg_fix *fixes;
        size_t nfixes;
        bool oom;
};

/* Size and longest path of a subtree as it will be laid out. */
struct shape {
        size_t size;
        unsigned worst;
};

bool sw_codegen_supports(uint32_t arch)
{
        return arch == SCMP_ARCH_X86_64 || arch == SCMP_ARCH_AARCH64 ||
               arch == SCMP_ARCH_RISCV64;
}

static void cg_free(struct cg *g)
{
        for (size_t i = 0; i < g->nblocks; i++)
                free(g->blocks[i].code);
        free(g->blocks);
        free(g->ranges);
        free(g->prog);
        free(g->block_of);
        free(g->fixes);
}

/* ---- the outcome of every number ---- */

/* The longest path through a block: its jumps only go forward. */
static unsigned block_worst(const struct sock_filter *code, size_t len)
{
        unsigned *at = calloc(len + 1, sizeof(*at));
        unsigned w;

        if (at == NULL)
                return (unsigned)len; /* an upper bound will do */
        for (size_t pc = len; pc-- > 0;) {
                const struct sock_filter *in = &code[pc];
                size_t a = pc + 1;
                size_t b = pc + 1;

                if (BPF_CLASS(in->code) == BPF_RET) {
                        at[pc] = 1;
                        continue;
                }
                if (in->code == (BPF_JMP | BPF_JA)) {
                        a = b = pc + 1 + in->k;
                } else if (BPF_CLASS(in->code) == BPF_JMP) {
                        a = pc + 1 + in->jt;
                        b = pc + 1 + in->jf;
                }
                a = a < len ? at[a] : 0;
                b = b < len ? at[b] : 0;
                at[pc] = 1 + (unsigned)(a > b ? a : b);
        }
        w = at[0];
        free(at);
        return w;
}

/* The block of CONDITIONAL rule i, sharing an identical one. */
static sw_code block_of_rule(struct cg *g, size_t i, long *out, sw_error **err)
{
        const struct sw_rule *r = &g->wl->rules[i];
        struct sock_filter *code;
        struct cg_block *nb;
        size_t len;
        sw_code sc = sw_argblock(r, sw_wl_arch(g->wl), &code, &len, err);

        if (sc != SW_SUCCESS)
                return sc;
        for (size_t b = 0; b < g->nblocks; b++) {
                if (g->blocks[b].len == len &&
                    memcmp(g->blocks[b].code, code, len * sizeof(*code)) == 0) {
                        free(code);
                        *out = (long)b;
                        return SW_SUCCESS;
                }
        }
        nb = realloc(g->blocks, (g->nblocks + 1) * sizeof(*nb));
        if (nb == NULL) {
                free(code);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        g->blocks = nb;
        nb[g->nblocks] = (struct cg_block){.code = code,
                                           .len = len,
                                           .worst = block_worst(code, len),
                                           .rule = i};
        *out = (long)g->nblocks++;
        return SW_SUCCESS;
}

/* Append a range, or widen the last one when the outcome is the same. */
static void range_add(struct cg *g, uint32_t lo, uint32_t action, long block)
{
        struct cg_range *last = g->nranges ? &g->ranges[g->nranges - 1] : NULL;

        if (last && last->action == action && last->block == block)
                return;
        g->ranges[g->nranges++] =
                (struct cg_range){.lo = lo, .action = action, .block = block};
}

/* Rules with a number on the target, by number (then by position). */
static int by_number(const void *a, const void *b, void *wl)
{
        const struct sw_rule *r = ((const sw_whitelist *)wl)->rules;
        size_t x = *(const size_t *)a;
        size_t y = *(const size_t *)b;

        if (r[x].nr != r[y].nr)
                return r[x].nr < r[y].nr ? -1 : 1;
        return (x > y) - (x < y);
}

static sw_code rule_outcome(struct cg *g, size_t i, uint32_t *action,
                            long *block, sw_error **err)
{
        const struct sw_rule *r = &g->wl->rules[i];

        *block = -1;
        *action = 0;
        switch (r->perm) {
        case SW_ALLOW:
                *action = SECCOMP_RET_ALLOW;
                return SW_SUCCESS;
        case SW_DENY:
                *action = SECCOMP_RET_ERRNO | (uint32_t)r->err_no;
                return SW_SUCCESS;
        case SW_CONDITIONAL:
                return block_of_rule(g, i, block, err);
        }
        return sw_fail(err, SW_EINTERNAL, "%s has no known permission",
                       r->name);
}

/*
 * The ranges: every listed number with its outcome, and KILL_PROCESS for
 * the gaps and for everything above the highest listed number.
 */
static sw_code make_ranges(struct cg *g, sw_error **err)
{
        const sw_whitelist *wl = g->wl;
        size_t *order = calloc(wl->nrules + 1, sizeof(*order));
        size_t n = 0;
        uint32_t next = 0;
        sw_code sc = SW_SUCCESS;

        g->ranges = calloc(2 * wl->nrules + 2, sizeof(*g->ranges));
        if (order == NULL || g->ranges == NULL) {
                free(order);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        for (size_t i = 0; i < wl->nrules; i++)
                if (wl->rules[i].nr >= 0)
                        order[n++] = i;
        qsort_r(order, n, sizeof(*order), by_number, (void *)wl);
        for (size_t k = 0; k < n && sc == SW_SUCCESS; k++) {
                uint32_t nr = (uint32_t)wl->rules[order[k]].nr;
                uint32_t action;
                long block;

                /* Two names for one number: the first rule decides. */
                if (k > 0 && nr + 1 == next)
                        continue;
                sc = sw_rule_errno_check(wl, order[k], err);
                if (sc == SW_SUCCESS)
                        sc = rule_outcome(g, order[k], &action, &block, err);
                if (sc != SW_SUCCESS)
                        break;
                if (nr > next)
                        range_add(g, next, SECCOMP_RET_KILL_PROCESS, -1);
                range_add(g, nr, action, block);
                next = nr + 1;
        }
        /* Numbers are below 2^31, so the last range never wraps. */
        if (sc == SW_SUCCESS)
                range_add(g, next, SECCOMP_RET_KILL_PROCESS, -1);
        free(order);
        for (size_t i = 0; sc == SW_SUCCESS && i < g->nranges; i++)
                if (g->ranges[i].block >= 0)
                        g->blocks[g->ranges[i].block].users++;
        return sc;
}

/* ---- the layout of the search ---- */

static size_t split(size_t i, size_t j)
{
        return i + (j - i + 1) / 2;
}

static struct shape leaf_shape(const struct cg *g, size_t i)
{
        const struct cg_range *r = &g->ranges[i];
        const struct cg_block *b;

        if (r->block < 0)
                return (struct shape){1, 1};
        b = &g->blocks[r->block];
        if (b->users > 1)
                return (struct shape){1, 1 + b->worst};
        return (struct shape){b->len, b->worst};
}

static unsigned max_u(unsigned a, unsigned b)
{
        return a > b ? a : b;
}

/*
 * A node with `near` laid out first (reached by falling through) and
 * `far` after it: one compare, plus a `ja` on the far side when near is
 * too long for the compare to jump over.
 */
static struct shape node_shape(struct shape near, struct shape far)
{
        bool ja = near.size > NEAR;

        return (struct shape){
                .size = 1 + ja + near.size + far.size,
                .worst = 1 + max_u(near.worst, far.worst + ja),
        };
}

/* Lay the left subtree out first?  The order with the shorter worst. */
static bool left_first(struct shape l, struct shape r)
{
        struct shape a = node_shape(l, r);
        struct shape b = node_shape(r, l);

        if (a.worst != b.worst)
                return a.worst < b.worst;
        return a.size <= b.size;
}

static bool plain(const struct cg *g, size_t i)
{
        return g->ranges[i].block < 0;
}

/*
 * A pooled subtree: its leaves that only return are not laid out; the
 * compares jump to one return per action (the pool) after the subtree.
 * The code before the pool, and the longest path (the same as inline:
 * compares, then the return or the block).
 */
static struct shape pooled_code(const struct cg *g, size_t i, size_t j)
{
        size_t m;
        struct shape l;
        struct shape r;

        if (i == j)
                return plain(g, i) ? (struct shape){0, 1} : leaf_shape(g, i);
        m = split(i, j);
        l = pooled_code(g, i, m - 1);
        r = pooled_code(g, m, j);
        return (struct shape){1 + l.size + r.size, 1 + max_u(l.worst, r.worst)};
}

/* The pool of a subtree: each return action its plain leaves take. */
static size_t pool_of(const struct cg *g, size_t i, size_t j, uint32_t *pool,
                      size_t max)
{
        size_t n = 0;

        for (size_t k = i; k <= j; k++) {
                size_t at = 0;

                if (!plain(g, k))
                        continue;
                while (at < n && pool[at] != g->ranges[k].action)
                        at++;
                if (at == n && n < max)
                        pool[n++] = g->ranges[k].action;
        }
        return n;
}

/* Distinct actions a pool holds at most; more, and it is not pooled. */
#define POOL_MAX 16

/* Can (i, j) be pooled: every compare reaches the pool's last return? */
static bool poolable(const struct cg *g, size_t i, size_t j, struct shape *out)
{
        uint32_t pool[POOL_MAX + 1];
        size_t n;

        if (i == j || j - i > NEAR)
                return false;
        *out = pooled_code(g, i, j);
        n = pool_of(g, i, j, pool, POOL_MAX + 1);
        out->size += n;
        return n <= POOL_MAX && out->size <= NEAR;
}

static struct shape tree_shape(const struct cg *g, size_t i, size_t j)
{
        size_t m;
        struct shape l;
        struct shape r;
        struct shape p;

        if (i == j)
                return leaf_shape(g, i);
        if (poolable(g, i, j, &p))
                return p;
        m = split(i, j);
        l = tree_shape(g, i, m - 1);
        r = tree_shape(g, m, j);
        return left_first(l, r) ? node_shape(l, r) : node_shape(r, l);
}

/* ---- emitting ---- */

static void emit(struct cg *g, struct sock_filter in)
{
        if (g->len == g->cap) {
                size_t cap = g->cap ? 2 * g->cap : 256;
                struct sock_filter *p = realloc(g->prog, cap * sizeof(*p));
                long *o = p ? realloc(g->block_of, cap * sizeof(*o)) : NULL;

                if (p != NULL)
                        g->prog = p;
                if (o == NULL) {
                        g->oom = true;
                        return;
                }
                g->block_of = o;
                g->cap = cap;
        }
        g->block_of[g->len] = -1;
        g->prog[g->len++] = in;
}

static void emit_block(struct cg *g, const struct cg_block *b)
{
        size_t start = g->len;

        for (size_t k = 0; k < b->len && !g->oom; k++)
                emit(g, b->code[k]);
        if (!g->oom)
                g->block_of[start] = (long)b->rule;
}

static void emit_leaf(struct cg *g, size_t i)
{
        const struct cg_range *r = &g->ranges[i];
        struct cg_fix *f;

        if (r->block < 0) {
                emit(g,
                     (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, r->action));
                return;
        }
        if (g->blocks[r->block].users == 1) {
                emit_block(g, &g->blocks[r->block]);
                return;
        }
        f = realloc(g->fixes, (g->nfixes + 1) * sizeof(*f));
        if (f == NULL) {
                g->oom = true;
                return;
        }
        g->fixes = f;
        f[g->nfixes++] = (struct cg_fix){g->len, (size_t)r->block};
        emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0));
}

/* Where a pooled subtree's returns are: the pool's first instruction. */
struct pool {
        uint32_t action[POOL_MAX];
        size_t n;
        size_t at;
};

static uint8_t to_pool(const struct cg *g, const struct pool *p, size_t k)
{
        size_t e = 0;

        while (e + 1 < p->n && p->action[e] != g->ranges[k].action)
                e++;
        return (uint8_t)(p->at + e - g->len - 1);
}

/*
 * A compare of a pooled subtree: a child that only returns is a jump to
 * the pool; otherwise the left child follows, the right one after it.
 */
static void emit_pooled(struct cg *g, size_t i, size_t j, const struct pool *p)
{
        size_t m;
        struct shape l;
        uint8_t jt;
        uint8_t jf;

        if (i == j) {
                if (!plain(g, i))
                        emit_leaf(g, i);
                return;
        }
        m = split(i, j);
        l = pooled_code(g, i, m - 1);
        jf = m - 1 == i && plain(g, i) ? to_pool(g, p, i) : 0;
        jt = m == j && plain(g, j) ? to_pool(g, p, j) : (uint8_t)l.size;
        emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
                                             g->ranges[m].lo, jt, jf));
        emit_pooled(g, i, m - 1, p);
        emit_pooled(g, m, j, p);
}

static void emit_pool(struct cg *g, size_t i, size_t j)
{
        struct pool p = {.n = 0};
        struct shape code = pooled_code(g, i, j);

        p.n = pool_of(g, i, j, p.action, POOL_MAX);
        p.at = g->len + code.size;
        emit_pooled(g, i, j, &p);
        for (size_t e = 0; e < p.n; e++)
                emit(g, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
                                                     p.action[e]));
}

static void emit_tree(struct cg *g, size_t i, size_t j);

/*
 * "number >= lo of the right half": the near subtree follows the compare
 * (directly, or after a `ja` that carries the far side over it).
 */
static void emit_node(struct cg *g, size_t i, size_t j)
{
        size_t m = split(i, j);
        struct shape l = tree_shape(g, i, m - 1);
        struct shape r = tree_shape(g, m, j);
        bool lfirst = left_first(l, r);
        struct shape near = lfirst ? l : r;
        bool ja = near.size > NEAR;
        uint8_t over = ja ? 0 : (uint8_t)near.size;
        uint32_t k = g->ranges[m].lo;

        /* true (number >= k) goes right, false goes left */
        if (lfirst)
                emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
                                                     k, over, ja ? 1 : 0));
        else
                emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
                                                     k, ja ? 1 : 0, over));
        if (ja)
                emit(g, (struct sock_filter)BPF_JUMP(
                                BPF_JMP | BPF_JA, (uint32_t)near.size, 0, 0));
        if (lfirst) {
                emit_tree(g, i, m - 1);
                emit_tree(g, m, j);
        } else {
                emit_tree(g, m, j);
                emit_tree(g, i, m - 1);
        }
}

static void emit_tree(struct cg *g, size_t i, size_t j)
{
        struct shape p;

        if (i == j)
                emit_leaf(g, i);
        else if (poolable(g, i, j, &p))
                emit_pool(g, i, j);
        else
                emit_node(g, i, j);
}

/* Place the shared blocks after the search and point their leaves there. */
static void emit_shared(struct cg *g)
{
        for (size_t b = 0; b < g->nblocks; b++) {
                if (g->blocks[b].users < 2)
                        continue;
                g->blocks[b].at = g->len;
                emit_block(g, &g->blocks[b]);
        }
        for (size_t f = 0; f < g->nfixes && !g->oom; f++) {
                const struct cg_fix *x = &g->fixes[f];

                g->prog[x->pc].k =
                        (uint32_t)(g->blocks[x->block].at - x->pc - 1);
        }
}

static void emit_program(struct cg *g, uint32_t arch)
{
        emit(g, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             SW_OFF_ARCH));
        emit(g, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1,
                                             0));
        emit(g, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
                                             SECCOMP_RET_KILL_PROCESS));
        emit(g,
             (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SW_OFF_NR));
        emit_tree(g, 0, g->nranges - 1);
        emit_shared(g);
}

/* What each rule costs, for the error over the kernel's limit. */
static sw_code size_check(const struct cg *g, sw_error **err)
{
        const sw_whitelist *wl = g->wl;
        size_t *cost;
        sw_code sc;

        if (g->len <= SW_BPF_MAX_INSNS)
                return SW_SUCCESS;
        cost = calloc(wl->nrules + 1, sizeof(*cost));
        if (cost == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        for (size_t i = 0; i < wl->nrules; i++)
                cost[i] = wl->rules[i].nr < 0 ? 0 : 2;
        for (size_t b = 0; b < g->nblocks; b++)
                cost[g->blocks[b].rule] = g->blocks[b].len;
        sc = sw_size_error(wl, g->len, cost, err);
        free(cost);
        return sc;
}

sw_code sw_codegen(const sw_whitelist *wl, sw_filter *f, sw_error **err)
{
        struct cg g = {.wl = wl};
        sw_code sc = make_ranges(&g, err);

        if (sc == SW_SUCCESS) {
                emit_program(&g, f->arch);
                if (g.oom)
                        sc = sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        if (sc == SW_SUCCESS)
                sc = size_check(&g, err);
        if (sc == SW_SUCCESS) {
                f->prog = g.prog;
                f->len = g.len;
                f->block_of = g.block_of;
                g.prog = NULL;
                g.block_of = NULL;
        }
        cg_free(&g);
        return sc;
}
