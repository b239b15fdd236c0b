/*
 * interop.c - turn a foreign profile, read into per-name entries, into a
 * P1.2 whitelist, and report what could not be carried over.
 *
 * P1.2 has three kinds of rule (ALLOW, DENY with an errno, CONDITIONAL:
 * allow when one condition holds, otherwise fail with an errno) and kills
 * every call it does not list.  A foreign profile can say more: another
 * default, kill for some arguments and an errno for others, several
 * errnos for one name.  Each name's meaning is worked out on a set of
 * sample argument vectors made from the constants its entries compare
 * with (for the ordered comparisons these cover every region in which the
 * outcome can change), and the rule that reproduces it is chosen; where no
 * rule can, the closest one is written and the difference reported.
 */
#include "compile.h"
#include "interop.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Most sample vectors tried per name, and DNF terms built by negation. */
#define IX_MAX_SAMPLES (1u << 18)
#define IX_MAX_TERMS   256
#define IX_MAX_VALUES  96

void ix_entry_clear(struct ix_entry *e)
{
        free(e->cmps);
        free(e->comment);
        free(e->path);
        memset(e, 0, sizeof(*e));
}

void ix_profile_free(struct ix_profile *p)
{
        for (size_t i = 0; i < p->count; i++) {
                for (size_t j = 0; j < p->names[i].count; j++)
                        ix_entry_clear(&p->names[i].entries[j]);
                free(p->names[i].entries);
                free(p->names[i].name);
        }
        free(p->names);
        p->names = NULL;
        p->count = 0;
}

static struct ix_name *find_name(const struct ix_profile *p, const char *name)
{
        for (size_t i = 0; i < p->count; i++)
                if (strcmp(p->names[i].name, name) == 0)
                        return &p->names[i];
        return NULL;
}

static struct ix_name *add_name(struct ix_profile *p, const char *name, int nr)
{
        struct ix_name *names;

        names = realloc(p->names, (p->count + 1) * sizeof(*names));
        if (names == NULL)
                return NULL;
        p->names = names;
        memset(&names[p->count], 0, sizeof(names[0]));
        names[p->count].name = sw_strdup(name);
        if (names[p->count].name == NULL)
                return NULL;
        names[p->count].nr = nr;
        return &names[p->count++];
}

/* Copy e, duplicating what it owns, so one entry can serve many names. */
static bool entry_copy(struct ix_entry *dst, const struct ix_entry *src)
{
        *dst = *src;
        dst->cmps = NULL;
        dst->comment = sw_strdup(src->comment);
        dst->path = sw_strdup(src->path);
        if (src->ncmps) {
                dst->cmps = malloc(src->ncmps * sizeof(*dst->cmps));
                if (dst->cmps)
                        memcpy(dst->cmps, src->cmps,
                               src->ncmps * sizeof(*dst->cmps));
        }
        if ((src->comment && !dst->comment) || (src->path && !dst->path) ||
            (src->ncmps && !dst->cmps)) {
                ix_entry_clear(dst);
                return false;
        }
        return true;
}

bool ix_profile_add(struct ix_profile *p, const char *name, struct ix_entry *e,
                    sw_report *rep, const char *path)
{
        int nr = seccomp_syscall_resolve_name_arch(p->arch, name);
        struct ix_name *n;
        struct ix_entry *entries;

        if (nr < 0) {
                sw_report_add(rep, SW_SEV_NOTE, SW_ENOENT, "import-absent", 0,
                              0, path, NULL,
                              "'%s' is no system call on %s: dropped", name,
                              sw_arch_name(p->arch));
                return true;
        }
        n = find_name(p, name);
        if (n == NULL)
                n = add_name(p, name, nr);
        if (n == NULL)
                return false;
        entries = realloc(n->entries, (n->count + 1) * sizeof(*entries));
        if (entries == NULL)
                return false;
        n->entries = entries;
        if (!entry_copy(&entries[n->count], e))
                return false;
        n->count++;
        return true;
}

const char *ix_errno_name(int err_no)
{
        if (err_no <= 0 || err_no > 4095)
                return NULL;
        return strerrorname_np(err_no);
}

char *ix_id_from_path(const char *path, const char *suffix)
{
        const char *base = strrchr(path, '/');
        char *id;
        size_t len;

        base = base ? base + 1 : path;
        id = sw_asprintf("%s%s%s", base, suffix ? "." : "",
                         suffix ? suffix : "");
        if (id == NULL)
                return NULL;

        /* Drop a ".json" before the suffix; keep only the allowed set. */
        len = strlen(base);
        if (len > 5 && strncmp(base + len - 5, ".json", 5) == 0)
                memmove(id + len - 5, id + len, strlen(id + len) + 1);
        for (char *c = id; *c; c++)
                if (!strchr("._:-", *c) && !(*c >= 'a' && *c <= 'z') &&
                    !(*c >= 'A' && *c <= 'Z') && !(*c >= '0' && *c <= '9'))
                        *c = '-';
        if (strlen(id) > 128)
                id[128] = '\0';
        return id;
}

json_t *ix_json_u64(uint64_t v)
{
        char buf[24];

        if (v <= (1ull << 53))
                return json_integer((json_int_t)v);
        snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
        return json_string(buf);
}

/* ------------------------------------------------------------------ */
/* Evaluating entries on sample argument vectors                       */
/* ------------------------------------------------------------------ */

/* A foreign comparison judged as the compiler judges a P1.2 one. */
static bool cmp_holds(const struct ix_cmp *c, const uint64_t *args)
{
        struct sw_argf f = {
                .index = c->index,
                .op = c->op,
                .value = c->value,
                .mask = c->mask,
                .width = c->width,
        };

        return sw_argf_holds(&f, c->width, args[c->index]);
}

static bool conj_holds(const struct ix_cmp *cmps, size_t n,
                       const uint64_t *args)
{
        for (size_t i = 0; i < n; i++)
                if (!cmp_holds(&cmps[i], args))
                        return false;
        return true;
}

struct values {
        uint64_t v[IX_MAX_VALUES];
        size_t n;
};

static void values_add(struct values *vs, uint64_t v)
{
        for (size_t i = 0; i < vs->n; i++)
                if (vs->v[i] == v)
                        return;
        if (vs->n < IX_MAX_VALUES)
                vs->v[vs->n++] = v;
}

/* Values around one comparison's constant where its outcome changes. */
static void values_for(struct values *vs, const struct ix_cmp *c)
{
        uint64_t v = c->value;

        values_add(vs, v);
        values_add(vs, v - 1);
        values_add(vs, v + 1);
        if (c->op == SW_OP_MASKED_EQ) {
                values_add(vs, v ^ (c->mask & -c->mask));
                values_add(vs, v | c->mask);
        }
        if (c->width == 32) {
                values_add(vs, v | 0xffffffff00000000ull);
                values_add(vs, (v - 1) | 0x100000000ull);
        }
}

/* The sample values of each argument index used by a name's entries. */
struct samples {
        struct values idx[6];
        bool exact; /* false when a masked comparison makes them a guess */
};

static void samples_add_entry(struct samples *s, const struct ix_entry *e)
{
        for (size_t i = 0; i < e->ncmps; i++) {
                values_for(&s->idx[e->cmps[i].index], &e->cmps[i]);
                if (e->cmps[i].op == SW_OP_MASKED_EQ)
                        s->exact = false;
        }
}

static void samples_init(struct samples *s, const struct ix_name *n)
{
        memset(s, 0, sizeof(*s));
        s->exact = true;
        for (size_t i = 0; i < n->count; i++)
                samples_add_entry(s, &n->entries[i]);
        for (int i = 0; i < 6; i++) {
                values_add(&s->idx[i], 0);
                values_add(&s->idx[i], UINT64_MAX);
        }
}

/* Step an odometer over the sample values; false when it wraps. */
static bool samples_next(const struct samples *s, size_t *pos, uint64_t *args)
{
        for (int i = 0; i < 6; i++) {
                if (++pos[i] < s->idx[i].n) {
                        args[i] = s->idx[i].v[pos[i]];
                        return true;
                }
                pos[i] = 0;
                args[i] = s->idx[i].v[0];
        }
        return false;
}

/* What the profile does with one argument vector. */
struct outcome {
        enum ix_action action;
        int err_no;
        bool conflict; /* entries with different actions matched */
};

/*
 * libseccomp (2.5.4, measured) keeps the first rule without arguments for
 * a call and ignores every later rule for it, conditional or not; among
 * conditional rules with different actions the order of the generated
 * checks decides, which no profile author controls: the allowing rule is
 * taken and the overlap reported.
 */
static struct outcome evaluate(const struct ix_profile *p,
                               const struct ix_name *n, const uint64_t *args)
{
        struct outcome o = {p->default_action, p->default_errno, false};
        bool matched = false;

        for (size_t i = 0; i < n->count; i++) {
                const struct ix_entry *e = &n->entries[i];

                if (e->ncmps != 0)
                        continue;
                o.action = e->action;
                o.err_no = e->err_no;
                for (size_t j = 0; j < n->count; j++)
                        o.conflict |= n->entries[j].action != e->action ||
                                      n->entries[j].err_no != e->err_no;
                return o;
        }
        for (size_t i = 0; i < n->count; i++) {
                const struct ix_entry *e = &n->entries[i];

                if (!conj_holds(e->cmps, e->ncmps, args))
                        continue;
                if (matched &&
                    (e->action != o.action ||
                     (e->action == IX_ERRNO && e->err_no != o.err_no)))
                        o.conflict = true;
                if (!matched || e->action == IX_ALLOW) {
                        o.action = e->action;
                        o.err_no = e->err_no;
                }
                matched = true;
        }
        return o;
}

/* Tally of the outcomes of a name over every sample vector. */
struct tally {
        size_t allowed, killed, total;
        int errnos[8];
        size_t errno_counts[8];
        size_t nerrnos;
        bool conflict;
};

static void tally_add(struct tally *t, struct outcome o)
{
        t->total++;
        t->conflict |= o.conflict;
        if (o.action == IX_ALLOW) {
                t->allowed++;
                return;
        }
        if (o.action == IX_KILL) {
                t->killed++;
                return;
        }
        for (size_t i = 0; i < t->nerrnos; i++) {
                if (t->errnos[i] == o.err_no) {
                        t->errno_counts[i]++;
                        return;
                }
        }
        if (t->nerrnos < SW_ARRAY_SIZE(t->errnos)) {
                t->errnos[t->nerrnos] = o.err_no;
                t->errno_counts[t->nerrnos++] = 1;
        }
}

/* The errno most often returned, EPERM when the profile only killed. */
static int tally_errno(const struct tally *t)
{
        size_t best = 0;

        if (t->nerrnos == 0)
                return EPERM;
        for (size_t i = 1; i < t->nerrnos; i++)
                if (t->errno_counts[i] > t->errno_counts[best])
                        best = i;
        return t->errnos[best];
}

static void run_samples(const struct ix_profile *p, const struct ix_name *n,
                        struct samples *s, struct tally *t)
{
        size_t pos[6] = {0};
        uint64_t args[6];

        memset(t, 0, sizeof(*t));
        for (int i = 0; i < 6; i++)
                args[i] = s->idx[i].v[0];
        do {
                tally_add(t, evaluate(p, n, args));
                if (t->total >= IX_MAX_SAMPLES) {
                        s->exact = false;
                        break;
                }
        } while (samples_next(s, pos, args));
}

/* ------------------------------------------------------------------ */
/* Writing rules                                                       */
/* ------------------------------------------------------------------ */

static json_t *cmp_json(const struct ix_cmp *c)
{
        json_t *o = json_object();

        if (o == NULL)
                return NULL;
        json_object_set_new(o, "arg_index", json_integer(c->index));
        json_object_set_new(o, "operator", json_string(sw_op_name(c->op)));
        json_object_set_new(o, "value", ix_json_u64(c->value));
        if (c->op == SW_OP_MASKED_EQ)
                json_object_set_new(o, "mask", ix_json_u64(c->mask));
        if (c->width == 32)
                json_object_set_new(o, "width", json_integer(32));
        return o;
}

static json_t *cond_json(const struct ix_cmp *cmps, size_t n,
                         const char *description)
{
        json_t *o = json_object(), *filters = json_array();

        if (o == NULL || filters == NULL) {
                json_decref(o);
                json_decref(filters);
                return NULL;
        }
        json_object_set_new(o, "description", json_string(description));
        for (size_t i = 0; i < n; i++)
                json_array_append_new(filters, cmp_json(&cmps[i]));
        json_object_set_new(o, "argument_filter", filters);
        return o;
}

/* Conditions of a CONDITIONAL rule from the name's allowing entries. */
static json_t *allow_conditions(const struct ix_name *n)
{
        json_t *conds = json_array();

        for (size_t i = 0; conds && i < n->count; i++) {
                const struct ix_entry *e = &n->entries[i];
                char *d;

                if (e->action != IX_ALLOW || e->ncmps == 0)
                        continue;
                d = e->comment ? sw_strdup(e->comment)
                               : sw_asprintf("allowed by %s", e->path);
                json_array_append_new(conds, cond_json(e->cmps, e->ncmps,
                                                       d ? d : "imported"));
                free(d);
        }
        return conds;
}

/* The comparisons that hold exactly when c does not (a disjunction). */
static size_t negate_cmp(const struct ix_cmp *c, struct ix_cmp *out)
{
        static const enum sw_op neg[] = {
                [SW_OP_EQ] = SW_OP_NE, [SW_OP_NE] = SW_OP_EQ,
                [SW_OP_GT] = SW_OP_LE, [SW_OP_LT] = SW_OP_GE,
                [SW_OP_GE] = SW_OP_LT, [SW_OP_LE] = SW_OP_GT,
        };
        uint64_t full = c->width == 32 ? 0xffffffffu : UINT64_MAX;
        uint64_t m = c->mask & full;
        size_t n = 0;

        if (c->op != SW_OP_MASKED_EQ) {
                out[0] = *c;
                out[0].op = neg[c->op];
                return 1;
        }

        /* (a & m) != v: some bit of m differs from v's. */
        for (unsigned b = 0; b < 64; b++) {
                uint64_t bit = 1ull << b;

                if (!(m & bit))
                        continue;
                out[n] = *c;
                out[n].mask = bit;
                out[n].value = ~c->value & bit;
                n++;
        }
        return n;
}

struct dnf {
        struct ix_cmp *terms[IX_MAX_TERMS];
        size_t lens[IX_MAX_TERMS];
        size_t count;
        bool overflow;
        bool oom;
};

static void dnf_free(struct dnf *d)
{
        for (size_t i = 0; i < d->count; i++)
                free(d->terms[i]);
        d->count = 0;
}

/* d = d AND (one of lits): distribute. */
static void dnf_and(struct dnf *d, const struct ix_cmp *lits, size_t nlits)
{
        struct dnf next = {.count = 0};

        for (size_t i = 0; i < d->count && !next.overflow; i++) {
                for (size_t j = 0; j < nlits; j++) {
                        struct ix_cmp *t;

                        if (next.count == IX_MAX_TERMS) {
                                next.overflow = true;
                                break;
                        }
                        t = malloc((d->lens[i] + 1) * sizeof(*t));
                        if (t == NULL) {
                                next.oom = true;
                                break;
                        }
                        if (d->lens[i])
                                memcpy(t, d->terms[i], d->lens[i] * sizeof(*t));
                        t[d->lens[i]] = lits[j];
                        next.terms[next.count] = t;
                        next.lens[next.count++] = d->lens[i] + 1;
                }
        }
        next.overflow |= d->overflow;
        next.oom |= d->oom;
        dnf_free(d);
        *d = next;
}

/*
 * Conditions under which a name is allowed when the default allows and
 * its entries deny: NOT (E1 OR E2 ...), as a disjunction of conjunctions.
 */
static json_t *deny_complement(const struct ix_name *n, bool *ok)
{
        struct dnf d = {.count = 1};
        struct ix_cmp lits[64];
        json_t *conds;

        d.terms[0] = NULL;
        d.lens[0] = 0;
        for (size_t i = 0; i < n->count; i++) {
                const struct ix_entry *e = &n->entries[i];

                if (e->action == IX_ALLOW)
                        continue;
                for (size_t j = 0; j < e->ncmps; j++) {
                        size_t nl = negate_cmp(&e->cmps[j], lits);

                        if (nl)
                                dnf_and(&d, lits, nl);
                }
        }
        *ok = !d.overflow && !d.oom;
        conds = json_array();
        for (size_t i = 0; *ok && conds && i < d.count; i++)
                json_array_append_new(
                        conds,
                        cond_json(d.terms[i], d.lens[i],
                                  "outside the profile's denying rules"));
        dnf_free(&d);
        return conds;
}

static json_t *rule_json(const char *name, const char *perm, int err_no,
                         const char *description, json_t *conds)
{
        json_t *r = json_object();

        if (r == NULL) {
                json_decref(conds);
                return NULL;
        }
        json_object_set_new(r, "name", json_string(name));
        json_object_set_new(r, "permission", json_string(perm));
        if (description)
                json_object_set_new(r, "description", json_string(description));
        if (err_no)
                json_object_set_new(r, "errno",
                                    json_string(ix_errno_name(err_no)));
        if (conds)
                json_object_set_new(r, "conditions", conds);
        return r;
}

static const char *first_comment(const struct ix_name *n)
{
        for (size_t i = 0; i < n->count; i++)
                if (n->entries[i].comment && *n->entries[i].comment)
                        return n->entries[i].comment;
        return NULL;
}

static bool has_allow_entry(const struct ix_name *n)
{
        for (size_t i = 0; i < n->count; i++)
                if (n->entries[i].action == IX_ALLOW)
                        return true;
        return false;
}

static const char *path_of(const struct ix_name *n)
{
        return n->count ? n->entries[0].path : "";
}

static void warn(sw_report *rep, const struct ix_name *n, const char *check,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A warning about one name, at the first entry that mentions it. */
static void warn(sw_report *rep, const struct ix_name *n, const char *check,
                 const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO, check, 0, 0, path_of(n),
                      NULL, "%s: %s", n->name, msg ? msg : "out of memory");
        free(msg);
}

/* A name the profile denies for every argument. */
static json_t *resolve_denied(const struct ix_name *n, const struct tally *t,
                              sw_report *rep)
{
        int e = tally_errno(t);

        if (t->conflict)
                warn(rep, n, "import-overlap",
                     "several rules name the call; it is denied as libseccomp "
                     "loads them (the first rule without arguments wins)");
        if (t->killed == t->total)
                return json_null();
        if (t->killed)
                warn(rep, n, "import-kill-to-errno",
                     "the profile kills the call for some arguments and "
                     "fails it for others; it now always fails with %s",
                     ix_errno_name(e));
        else if (t->nerrnos > 1)
                warn(rep, n, "import-errno-merged",
                     "the profile returns different errnos by argument; "
                     "all now fail with %s",
                     ix_errno_name(e));
        return rule_json(n->name, "DENY", e, first_comment(n), NULL);
}

/* A name allowed for some arguments only. */
static json_t *resolve_conditional(const struct ix_profile *p,
                                   const struct ix_name *n,
                                   const struct tally *t, bool exact,
                                   sw_report *rep)
{
        int e = tally_errno(t);
        json_t *conds;
        bool ok = true;

        if (has_allow_entry(n) && p->default_action != IX_ALLOW)
                conds = allow_conditions(n);
        else
                conds = deny_complement(n, &ok);
        if (conds == NULL || !ok) {
                json_decref(conds);
                warn(rep, n, "import-too-complex",
                     "the arguments the profile allows cannot be written "
                     "as conditions; the call now always fails with %s",
                     ix_errno_name(e));
                return rule_json(n->name, "DENY", e, first_comment(n), NULL);
        }

        if (t->killed)
                warn(rep, n, "import-kill-to-errno",
                     "arguments outside the conditions %s; P1.2 cannot "
                     "kill for a conditional rule, they now fail with %s",
                     t->nerrnos ? "are killed or fail" : "are killed",
                     ix_errno_name(e));
        else if (t->nerrnos > 1)
                warn(rep, n, "import-errno-merged",
                     "arguments outside the conditions fail with "
                     "different errnos; all now fail with %s",
                     ix_errno_name(e));
        if (t->conflict)
                warn(rep, n, "import-overlap",
                     "rules with different actions match the same "
                     "arguments; the allowing rule was taken");
        if (!exact)
                sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS, "import-masked", 0,
                              0, path_of(n), NULL,
                              "%s: masked comparisons were carried over "
                              "as written",
                              n->name);
        return rule_json(n->name, "CONDITIONAL", e, first_comment(n), conds);
}

/* Say which entries became one rule, where a name has several. */
static void note_merged(const struct ix_name *n, sw_report *rep)
{
        char paths[160] = "";
        size_t off = 0;

        if (n->count < 2)
                return;
        for (size_t i = 0; i < n->count && off < sizeof(paths) - 40; i++)
                off += (size_t)snprintf(paths + off, sizeof(paths) - off,
                                        "%s%s", i ? ", " : "",
                                        n->entries[i].path);
        sw_report_add(
                rep, SW_SEV_NOTE, SW_SUCCESS, "import-merged", 0, 0, path_of(n),
                NULL, "%s: %zu entries merged into one rule (%s%s)", n->name,
                n->count, paths, off >= sizeof(paths) - 40 ? ", ..." : "");
}

/* One P1.2 rule for a name, json null when it is to be left out. */
static json_t *resolve_name(const struct ix_profile *p, const struct ix_name *n,
                            sw_report *rep)
{
        struct samples s;
        struct tally t;

        samples_init(&s, n);
        run_samples(p, n, &s, &t);
        note_merged(n, rep);
        if (t.allowed == t.total) {
                if (t.conflict)
                        warn(rep, n, "import-overlap",
                             "several rules name the call; it is allowed "
                             "as libseccomp loads them (the first rule "
                             "without arguments wins)");
                return rule_json(n->name, "ALLOW", 0, first_comment(n), NULL);
        }
        if (t.allowed == 0)
                return resolve_denied(n, &t, rep);
        return resolve_conditional(p, n, &t, s.exact, rep);
}

/* ------------------------------------------------------------------ */
/* The default action                                                  */
/* ------------------------------------------------------------------ */

/* Every system call name of the target, for a default that is not kill. */
static bool add_unlisted(struct ix_profile *p, size_t *added)
{
        static const struct {
                int from, to;
        } ranges[] = {{0, 1024}, {0xf0000, 0xf0010}};

        *added = 0;
        for (size_t r = 0; r < SW_ARRAY_SIZE(ranges); r++) {
                for (int nr = ranges[r].from; nr < ranges[r].to; nr++) {
                        char *name =
                                seccomp_syscall_resolve_num_arch(p->arch, nr);
                        bool ok = true;

                        if (name && !find_name(p, name)) {
                                ok = add_name(p, name, nr) != NULL;
                                *added += ok;
                        }
                        free(name);
                        if (!ok)
                                return false;
                }
        }
        return true;
}

static void report_default(const struct ix_profile *p, size_t added,
                           sw_report *rep)
{
        const char *arch = sw_arch_name(p->arch);
        char what[64];

        if (p->default_action == IX_KILL)
                return;
        if (p->default_action == IX_ALLOW)
                snprintf(what, sizeof(what), "allows");
        else
                snprintf(what, sizeof(what), "fails with %s",
                         ix_errno_name(p->default_errno));
        if (p->unlisted_kill) {
                sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO, "import-default",
                              0, 0, "", NULL,
                              "the profile %s every call it does not list; "
                              "P1.2 kills them instead (--unlisted kill)",
                              what);
                return;
        }
        sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO, "import-default", 0, 0,
                      "", "use --unlisted kill to leave them out",
                      "the profile %s every call it does not list; P1.2 "
                      "kills unlisted calls, so the %zu other calls libseccomp "
                      "knows on %s were written out as rules that do the "
                      "same; a call number libseccomp does not know is "
                      "killed",
                      what, added, arch);
}

static json_t *document(const char *id, const char *authority, json_t *metadata,
                        json_t *rules)
{
        json_t *doc = json_object();
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        time_t now = epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
        char stamp[32];
        struct tm tm;

        if (doc == NULL)
                return NULL;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_set_new(doc, "schema_version", json_string("1.0"));
        json_object_set_new(doc, "whitelist_id", json_string(id));
        json_object_set_new(doc, "created_at", json_string(stamp));
        json_object_set_new(doc, "created_by", json_string(authority));
        if (metadata)
                json_object_set(doc, "metadata", metadata);
        json_object_set(doc, "syscalls", rules);
        return doc;
}

sw_code ix_build_whitelist(struct ix_profile *p, const char *id,
                           const char *authority, json_t *metadata,
                           sw_report *rep, json_t **out, sw_error **err)
{
        json_t *rules = json_array();
        size_t added = 0;

        *out = NULL;
        if (rules == NULL || (p->default_action != IX_KILL &&
                              !p->unlisted_kill && !add_unlisted(p, &added))) {
                json_decref(rules);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        report_default(p, added, rep);

        for (size_t i = 0; i < p->count; i++) {
                json_t *r = resolve_name(p, &p->names[i], rep);

                if (r == NULL) {
                        json_decref(rules);
                        return sw_fail(err, SW_EINTERNAL, "out of memory");
                }
                if (json_is_null(r))
                        continue;
                json_array_append_new(rules, r);
        }
        if (json_array_size(rules) == 0) {
                json_decref(rules);
                return sw_fail(err, SW_EPROTO,
                               "%s: the profile allows no system call on %s",
                               p->source, sw_arch_name(p->arch));
        }
        *out = document(id, authority, metadata, rules);
        json_decref(rules);
        if (*out == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        return SW_SUCCESS;
}

uint32_t ix_arch_token(const char *arch, sw_error **err, sw_code *code)
{
        sw_config *cfg = sw_config_new();
        uint32_t token = 0;

        *code = SW_SUCCESS;
        if (cfg == NULL) {
                *code = sw_fail(err, SW_EINTERNAL, "out of memory");
                return 0;
        }
        if (sw_config_set_arch(cfg, arch) != SW_SUCCESS)
                *code = sw_fail(err, SW_ENOENT,
                                "unknown architecture '%s' (x86_64, aarch64, "
                                "x86, x32, arm, riscv64, ppc64le, s390x)",
                                arch);
        else
                token = cfg->arch;
        sw_config_free(cfg);
        return token;
}
