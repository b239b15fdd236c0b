/*
 * oci_args.c - argument conditions in the shape OCI runtimes load: each
 * entry ("box") at most one comparison per argument, entries OR-ed.
 *
 * runc and crun load the comparisons of an entry that share an index as
 * separate rules, so two comparisons of one argument can never be
 * AND-ed in one entry.  A set of values of one argument is therefore
 * written as alternatives, each one comparison: "ne" for all but one
 * value, "le"/"ge" for a range that touches an end, and aligned blocks
 * of 2^k values (one masked comparison each) for any other range.  32-bit
 * comparisons ("width": 32) work on the low half the same way, with
 * masks that leave the upper half free.
 *
 * The complement of a CONDITIONAL rule's conditions (the arguments that
 * fail with its errno) is built by splitting one argument at a time into
 * the ranges where the same conditions can still hold, which keeps it
 * small where distributing NOT over the conditions would explode.
 */
#include "interop.h"

#include <stdlib.h>
#include <string.h>

void ex_boxes_push(struct ex_boxes *b, const struct ex_box *x)
{
        struct ex_box *v;

        if (b->fail || b->oom)
                return;
        if (b->n == EX_MAX_ENTRIES) {
                b->fail = true;
                return;
        }
        v = realloc(b->v, (b->n + 1) * sizeof(*v));
        if (v == NULL) {
                b->oom = true;
                return;
        }
        b->v = v;
        b->v[b->n++] = *x;
}

/* ---- one index: the atoms a conjunction puts on it ---- */

struct interval {
        uint64_t lo, hi;
};

/* Intersect [lo,hi] with what one order atom allows (one or two pieces). */
static size_t atom_range(const struct ex_atom *a, uint64_t top,
                         struct interval *out)
{
        uint64_t v = a->value;

        switch (a->op) {
        case SW_OP_EQ:
                out[0] = (struct interval){v, v};
                return v <= top;
        case SW_OP_NE:
                out[0] = (struct interval){0, v - 1};
                out[1] = (struct interval){v + 1, top};
                return v == 0 ? (out[0] = out[1], v < top) : 1 + (v < top);
        case SW_OP_LT:
                out[0] = (struct interval){0, v - 1};
                return v > 0;
        case SW_OP_LE:
                out[0] = (struct interval){0, v < top ? v : top};
                return 1;
        case SW_OP_GT:
                out[0] = (struct interval){v + 1, top};
                return v < top;
        case SW_OP_GE:
                out[0] = (struct interval){v, top};
                return v <= top;
        case SW_OP_MASKED_EQ:
                break;
        }
        return 0;
}

/* The values of [0,top] every atom allows, as at most 2n+1 intervals. */
static size_t intersect_ranges(const struct ex_atom *atoms, size_t n,
                               uint64_t top, struct interval *set)
{
        size_t count = 1;

        set[0] = (struct interval){0, top};
        for (size_t i = 0; i < n; i++) {
                struct interval piece[2] = {{0}}, next[16] = {{0}};
                size_t np = atom_range(&atoms[i], top, piece), nn = 0;

                for (size_t s = 0; s < count; s++) {
                        for (size_t p = 0; p < np; p++) {
                                uint64_t lo = set[s].lo > piece[p].lo
                                                      ? set[s].lo
                                                      : piece[p].lo;
                                uint64_t hi = set[s].hi < piece[p].hi
                                                      ? set[s].hi
                                                      : piece[p].hi;

                                if (lo > hi)
                                        continue;
                                if (nn == 16)
                                        return SIZE_MAX; /* too many */
                                next[nn++] = (struct interval){lo, hi};
                        }
                }
                memcpy(set, next, nn * sizeof(*set));
                count = nn;
        }
        return count;
}

/*
 * [lo,hi] as aligned blocks of 2^k values, each one masked comparison of
 * the bits above k (within top): at most two per bit.
 */
static bool blocks(unsigned idx, uint64_t lo, uint64_t hi, uint64_t top,
                   struct ex_atom *out, size_t *nout)
{
        for (;;) {
                unsigned k = 0;

                /* The largest block that starts at lo and ends by hi. */
                while (k < 63 && !(lo & (1ull << k)) &&
                       lo + ((2ull << k) - 1) <= hi &&
                       lo + ((2ull << k) - 1) >= lo)
                        k++;
                if (*nout == EX_MAX_ALTS)
                        return false;
                if (k == 0 && top == UINT64_MAX)
                        out[(*nout)++] = (struct ex_atom){idx, SW_OP_EQ, lo};
                else
                        out[(*nout)++] =
                                (struct ex_atom){idx, SW_OP_MASKED_EQ, lo,
                                                 top & ~((1ull << k) - 1)};
                if (lo + ((1ull << k) - 1) >= hi)
                        return true;
                lo += 1ull << k;
        }
}

/*
 * Atoms, each enough on its own, whose union is the interval set on one
 * index: the alternatives of that index.  false when that is impossible.
 */
static bool ranges_to_atoms(unsigned idx, const struct interval *set, size_t n,
                            bool low32, struct ex_atom *out, size_t *nout)
{
        uint64_t top = low32 ? EX_LOW32 : UINT64_MAX;

        *nout = 0;

        /* Everything but one value: "ne" (64 bits only). */
        if (!low32 && n == 2 && set[0].lo == 0 && set[1].hi == top &&
            set[0].hi + 2 == set[1].lo) {
                out[(*nout)++] = (struct ex_atom){idx, SW_OP_NE, set[0].hi + 1};
                return true;
        }
        for (size_t i = 0; i < n; i++) {
                uint64_t lo = set[i].lo, hi = set[i].hi;

                if (lo == 0 && hi == top) {
                        *nout = 0; /* no constraint at all */
                        return true;
                }
                if (!low32 && (lo == 0 || hi == top)) {
                        out[(*nout)++] = (struct ex_atom){
                                idx, lo == 0 ? SW_OP_LE : SW_OP_GE,
                                lo == 0 ? hi : lo};
                        continue;
                }
                if (!blocks(idx, lo, hi, top, out, nout))
                        return false;
        }
        return true;
}

/* Several masked comparisons of one index as one, if they can all hold. */
static bool merge_masked(const struct ex_atom *atoms, size_t n,
                         struct ex_atom *out, bool *empty)
{
        uint64_t m = 0, v = 0;

        *empty = false;
        for (size_t i = 0; i < n; i++) {
                if (atoms[i].op != SW_OP_MASKED_EQ)
                        return false;
                if ((atoms[i].value & ~atoms[i].mask) ||
                    ((v ^ atoms[i].value) & m & atoms[i].mask))
                        *empty = true;
                m |= atoms[i].mask;
                v |= atoms[i].value & atoms[i].mask;
        }
        *out = (struct ex_atom){atoms[0].index, SW_OP_MASKED_EQ, v, m};
        return true;
}

/*
 * The alternatives for one index of a conjunction.  *nalt == 0 with true
 * means no constraint; *empty means the conjunction can never hold.
 */
static bool index_alternatives(const struct ex_atom *atoms, size_t n,
                               struct ex_atom *alt, size_t *nalt, bool *empty)
{
        struct interval set[16];
        bool low32 = atoms[0].low32;
        size_t ns;

        *empty = false;
        *nalt = 0;
        if (n == 1 && !low32) {
                alt[(*nalt)++] = atoms[0];
                return true;
        }
        if (merge_masked(atoms, n, &alt[0], empty)) {
                *nalt = 1;
                return true;
        }
        for (size_t i = 0; i < n; i++)
                if (atoms[i].op == SW_OP_MASKED_EQ || atoms[i].low32 != low32)
                        return false;
        ns = intersect_ranges(atoms, n, low32 ? EX_LOW32 : UINT64_MAX, set);
        if (ns == SIZE_MAX)
                return false;
        if (ns == 0) {
                *empty = true;
                return true;
        }
        return ranges_to_atoms(atoms[0].index, set, ns, low32, alt, nalt);
}

/* A conjunction of any atoms into entries (OR of boxes) added to out. */
void ex_conj_boxes(const struct ex_atom *atoms, size_t n, struct ex_boxes *out)
{
        struct ex_atom alt[6][EX_MAX_ALTS];
        size_t nalt[6] = {0}, pos[6] = {0};
        struct ex_box b;

        for (unsigned idx = 0; idx < 6; idx++) {
                struct ex_atom on[16];
                size_t k = 0;
                bool empty;

                for (size_t i = 0; i < n && k < 16; i++)
                        if (atoms[i].index == idx)
                                on[k++] = atoms[i];
                if (k == 0)
                        continue;
                if (!index_alternatives(on, k, alt[idx], &nalt[idx], &empty)) {
                        out->fail = true;
                        return;
                }
                if (empty)
                        return;
        }

        /* Every combination of one alternative per index. */
        for (;;) {
                unsigned idx;

                memset(&b, 0, sizeof(b));
                for (idx = 0; idx < 6; idx++) {
                        if (nalt[idx] == 0)
                                continue;
                        b.a[idx] = alt[idx][pos[idx]];
                        b.set[idx] = true;
                }
                ex_boxes_push(out, &b);
                for (idx = 0; idx < 6; idx++) {
                        if (nalt[idx] && ++pos[idx] < nalt[idx])
                                break;
                        pos[idx] = 0;
                }
                if (idx == 6 || out->fail || out->oom)
                        return;
        }
}

/* The atoms that hold exactly when a does not (a disjunction). */
static size_t negate_atom(const struct ex_atom *a, struct ex_atom *out)
{
        static const enum sw_op neg[] = {
                [SW_OP_EQ] = SW_OP_NE,
                [SW_OP_NE] = SW_OP_EQ,
                [SW_OP_GT] = SW_OP_LE,
                [SW_OP_LT] = SW_OP_GE,
                [SW_OP_GE] = SW_OP_LT,
                [SW_OP_LE] = SW_OP_GT,
                [SW_OP_MASKED_EQ] = SW_OP_MASKED_EQ,
        };
        size_t n = 0;

        if (a->op != SW_OP_MASKED_EQ) {
                out[0] = *a;
                out[0].op = neg[a->op];
                return 1;
        }
        if (a->value & ~a->mask) {
                /* It never holds, so its negation always does. */
                out[0] = (struct ex_atom){a->index, SW_OP_MASKED_EQ, 0, 0};
                return 1;
        }
        for (unsigned b = 0; b < 64; b++) {
                uint64_t bit = 1ull << b;

                if (a->mask & bit)
                        out[n++] = (struct ex_atom){a->index, SW_OP_MASKED_EQ,
                                                    ~a->value & bit, bit};
        }
        return n;
}

/* ---- the complement ---- */

/*
 * NOT (C1 or C2 ...) distributed into a disjunction of conjunctions: the
 * fallback where an argument is compared with masks.
 */
static void dnf_complement(const struct ex_cset *cs, size_t n,
                           const struct ex_box *prefix, struct ex_boxes *out)
{
        struct ex_cset *cur = calloc(EX_MAX_ENTRIES, sizeof(*cur));
        struct ex_cset *nxt = calloc(EX_MAX_ENTRIES, sizeof(*nxt));
        struct ex_atom *lits = calloc((size_t)EX_MAX_ATOMS * 64, sizeof(*lits));
        size_t ncur = 1;

        if (!cur || !nxt || !lits) {
                out->oom = true;
                goto done;
        }
        for (size_t c = 0; c < n && !out->fail; c++) {
                size_t nl = 0, nn = 0;
                struct ex_cset *swap;

                for (size_t i = 0; i < cs[c].n; i++)
                        nl += negate_atom(&cs[c].a[i], &lits[nl]);
                for (size_t t = 0; t < ncur && !out->fail; t++) {
                        for (size_t l = 0; l < nl; l++) {
                                if (nn == EX_MAX_ENTRIES ||
                                    cur[t].n == EX_MAX_ATOMS) {
                                        out->fail = true;
                                        break;
                                }
                                nxt[nn] = cur[t];
                                nxt[nn].a[nxt[nn].n++] = lits[l];
                                nn++;
                        }
                }
                swap = cur;
                cur = nxt;
                nxt = swap;
                ncur = nn;
        }

        /* Each term, constrained by the prefix's arguments too. */
        for (size_t t = 0; t < ncur && !out->fail && !out->oom; t++) {
                for (unsigned i = 0; i < 6 && cur[t].n < EX_MAX_ATOMS; i++)
                        if (prefix->set[i])
                                cur[t].a[cur[t].n++] = prefix->a[i];
                ex_conj_boxes(cur[t].a, cur[t].n, out);
        }
done:
        free(cur);
        free(nxt);
        free(lits);
}

/* An argument every condition compares by order only, the same width. */
static int split_index(const struct ex_cset *cs, size_t n, bool *low32)
{
        for (unsigned i = 0; i < 6; i++) {
                bool used = false, ok = true, first = true;

                for (size_t c = 0; c < n && ok; c++) {
                        for (size_t k = 0; k < cs[c].n && ok; k++) {
                                const struct ex_atom *a = &cs[c].a[k];

                                if (a->index != i)
                                        continue;
                                if (first)
                                        *low32 = a->low32;
                                ok = a->op != SW_OP_MASKED_EQ &&
                                     a->low32 == *low32;
                                used = true;
                                first = false;
                        }
                }
                if (used && ok)
                        return (int)i;
        }
        return -1;
}

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return x < y ? -1 : x > y;
}

/* Does every comparison of condition c on index i hold for value v? */
static bool holds_on(const struct ex_cset *c, unsigned i, uint64_t v)
{
        for (size_t k = 0; k < c->n; k++) {
                const struct ex_atom *a = &c->a[k];

                if (a->index != i)
                        continue;
                switch (a->op) {
                case SW_OP_EQ:
                        if (v != a->value)
                                return false;
                        break;
                case SW_OP_NE:
                        if (v == a->value)
                                return false;
                        break;
                case SW_OP_GT:
                        if (v <= a->value)
                                return false;
                        break;
                case SW_OP_LT:
                        if (v >= a->value)
                                return false;
                        break;
                case SW_OP_GE:
                        if (v < a->value)
                                return false;
                        break;
                case SW_OP_LE:
                        if (v > a->value)
                                return false;
                        break;
                case SW_OP_MASKED_EQ:
                        return false;
                }
        }
        return true;
}

/* Where each argument value starts a new region: 0, v and v + 1. */
static size_t region_starts(const struct ex_cset *cs, size_t n, unsigned i,
                            uint64_t top, uint64_t *starts)
{
        size_t ns = 0;

        starts[ns++] = 0;
        for (size_t c = 0; c < n; c++) {
                for (size_t k = 0; k < cs[c].n; k++) {
                        uint64_t v = cs[c].a[k].value;

                        if (cs[c].a[k].index != i || v > top)
                                continue;
                        starts[ns++] = v;
                        if (v < top)
                                starts[ns++] = v + 1;
                }
        }
        qsort(starts, ns, sizeof(*starts), cmp_u64);
        return ns;
}

static void complement_rec(const struct ex_cset *cs, size_t n,
                           const struct ex_box *prefix, struct ex_boxes *out);

/*
 * Split on argument i: for each set of values on which the same
 * conditions hold there, the complement of what those conditions still
 * ask of the other arguments.
 */
static void split_on(const struct ex_cset *cs, size_t n, unsigned i, bool low32,
                     const struct ex_box *prefix, struct ex_boxes *out)
{
        uint64_t top = low32 ? EX_LOW32 : UINT64_MAX;
        uint64_t *starts = malloc((2 * n * EX_MAX_ATOMS + 1) * sizeof(*starts));
        uint64_t *sigs = malloc((2 * n * EX_MAX_ATOMS + 1) * sizeof(*sigs));
        struct interval *set =
                malloc((2 * n * EX_MAX_ATOMS + 1) * sizeof(*set));
        struct ex_cset *sub = malloc(n * sizeof(*sub));
        size_t ns;

        if (!starts || !sigs || !set || !sub || n > 64) {
                out->oom |= n <= 64;
                out->fail |= n > 64;
                goto done;
        }
        ns = region_starts(cs, n, i, top, starts);
        for (size_t r = 0; r < ns; r++) {
                sigs[r] = 0;
                for (size_t c = 0; c < n; c++)
                        if (holds_on(&cs[c], i, starts[r]))
                                sigs[r] |= 1ull << c;
        }

        /* One pass per distinct set of conditions that still hold. */
        for (size_t r = 0; r < ns && !out->fail && !out->oom; r++) {
                struct ex_atom alt[EX_MAX_ALTS];
                size_t nset = 0, nalt, nsub = 0;
                bool seen = false;

                if (r > 0 && starts[r] == starts[r - 1])
                        continue;
                for (size_t q = 0; q < r && !seen; q++)
                        seen = sigs[q] == sigs[r] &&
                               (q == 0 || starts[q] != starts[q - 1]);
                if (seen)
                        continue;
                for (size_t q = r; q < ns; q++) {
                        size_t e = q + 1;

                        if (sigs[q] != sigs[r] ||
                            (q > 0 && starts[q] == starts[q - 1]))
                                continue;
                        while (e < ns && starts[e] == starts[q])
                                e++;
                        set[nset++] = (struct interval){
                                starts[q], e < ns ? starts[e] - 1 : top};
                }
                if (!ranges_to_atoms(i, set, nset, low32, alt, &nalt)) {
                        out->fail = true;
                        break;
                }
                for (size_t c = 0; c < n; c++) {
                        if (!(sigs[r] >> c & 1))
                                continue;
                        sub[nsub].n = 0;
                        for (size_t k = 0; k < cs[c].n; k++)
                                if (cs[c].a[k].index != i)
                                        sub[nsub].a[sub[nsub].n++] = cs[c].a[k];
                        nsub++;
                }
                for (size_t a = 0; a < (nalt ? nalt : 1); a++) {
                        struct ex_box b = *prefix;

                        if (nalt) {
                                b.a[i] = alt[a];
                                b.set[i] = true;
                        }
                        complement_rec(sub, nsub, &b, out);
                }
        }
done:
        free(starts);
        free(sigs);
        free(set);
        free(sub);
}

static void complement_rec(const struct ex_cset *cs, size_t n,
                           const struct ex_box *prefix, struct ex_boxes *out)
{
        bool low32 = false;
        int i;

        if (out->fail || out->oom)
                return;
        for (size_t c = 0; c < n; c++)
                if (cs[c].n == 0)
                        return; /* a condition that always holds */
        if (n == 0) {
                ex_boxes_push(out, prefix);
                return;
        }
        i = split_index(cs, n, &low32);
        if (i < 0)
                dnf_complement(cs, n, prefix, out);
        else
                split_on(cs, n, (unsigned)i, low32, prefix, out);
}

void ex_complement(const struct ex_cset *cs, size_t n, struct ex_boxes *out)
{
        struct ex_box none;

        memset(&none, 0, sizeof(none));
        complement_rec(cs, n, &none, out);
}
