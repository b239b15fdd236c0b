/*
 * lint.c - rules that are valid but trip real programs up.
 *
 * Each check is a row of a table: calls the C library makes on its own
 * (startup, threads, fallbacks it only takes on ENOSYS), calls without
 * which `syswall run` cannot start anything, and gaps through which a
 * restricted call can be bypassed.  Findings are warnings with a hint;
 * strict mode makes them errors.  The knowledge is about glibc 2.36
 * (Debian 12) and the runtimes people run under it; another C library
 * may need less or more, which is why none of this is an error by
 * default.
 */
#include "compile.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

struct lint {
        const sw_whitelist *wl;
        const struct sw_doc *doc;
        const sw_config *cfg;
        sw_report *rep;
        sw_severity sev;  /* of the next finding */
        sw_severity base; /* warning, or error when strict */
};

static const struct sw_rule *find(const struct lint *l, const char *name)
{
        ssize_t i = sw_whitelist_find(l->wl, name);

        return i < 0 ? NULL : &l->wl->rules[i];
}

static bool allowed(const struct sw_rule *r)
{
        return r && r->perm == SW_ALLOW;
}

static bool permitted(const struct sw_rule *r)
{
        return r && (r->perm == SW_ALLOW || r->perm == SW_CONDITIONAL);
}

static bool restricted(const struct sw_rule *r)
{
        return r && (r->perm == SW_DENY || r->perm == SW_CONDITIONAL);
}

/* The call exists on the target, so recommending it makes sense. */
static bool on_target(const struct lint *l, const char *name)
{
        return sw_syscall_number(l->wl->arch, name) >= 0;
}

/* Report msg at path (located in the text), or at the rule without it. */
static void say_msg(const struct lint *l, const struct sw_rule *r,
                    const char *path, const char *check, const char *hint,
                    const char *msg)
{
        unsigned line = 0, col = 0;

        if (path == NULL || msg == NULL) {
                l->rep->oom = true;
                return;
        }
        if (!sw_doc_where(l->doc, path, false, &line, &col) && r) {
                line = r->pos.line;
                col = r->pos.column;
        }
        sw_report_add(l->rep, l->sev, SW_EPROTO, check, line, col, path, hint,
                      "%s", msg);
}

/* Report at a rule's key (or the rule), or at "syscalls" without one. */
static void say(const struct lint *l, const struct sw_rule *r, const char *key,
                const char *check, const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));

static void say(const struct lint *l, const struct sw_rule *r, const char *key,
                const char *check, const char *hint, const char *fmt, ...)
{
        char *path = NULL, *msg;
        va_list ap;

        if (r && key)
                path = sw_asprintf("%s.%s", r->pos.path, key);
        else
                path = sw_strdup(r ? r->pos.path : "syscalls");
        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        say_msg(l, r, path, check, hint, msg);
        free(path);
        free(msg);
}

/* ---- calls tried first, with a fallback taken only on ENOSYS ---- */

struct fallback {
        const char *call;        /* tried first */
        const char *fallback[2]; /* used when call fails with ENOSYS */
        const char *who;
};

static const struct fallback fallbacks[] = {
        {"clone3",
         {"clone"},
         "glibc 2.34+ creates threads with clone3 and falls back to clone "
         "only when clone3 fails with ENOSYS"},
        /*
         * Not access(): where the access call exists (x86_64) glibc's
         * access() makes it directly, and never tries faccessat2.
         */
        {"faccessat2",
         {"faccessat"},
         "glibc 2.33+ implements faccessat() with faccessat2 and falls "
         "back only when it fails with ENOSYS"},
};

static void missing_fallback(struct lint *l, const struct fallback *f,
                             const struct sw_rule *fb)
{
        char *hint = sw_asprintf("add {\"name\": \"%s\", \"permission\": "
                                 "\"DENY\", \"errno\": \"ENOSYS\"}, or allow "
                                 "it",
                                 f->call);

        if (hint == NULL)
                l->rep->oom = true;
        say(l, fb, NULL, "fallback-missing", hint,
            "%s is allowed but %s is not listed: %s, and an unlisted call "
            "kills the process",
            fb->name, f->call, f->who);
        free(hint);
}

static void lint_fallbacks(struct lint *l)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(fallbacks); i++) {
                const struct fallback *f = &fallbacks[i];
                const struct sw_rule *r = find(l, f->call);
                const struct sw_rule *fb = find(l, f->fallback[0]);

                if (!permitted(fb) && f->fallback[1])
                        fb = find(l, f->fallback[1]);
                if (restricted(r) && r->err_no != ENOSYS)
                        say(l, r, r->err_no_given ? "errno" : NULL,
                            "fallback-errno", "write \"errno\": \"ENOSYS\"",
                            "%s is denied with %s: %s, so with any other "
                            "errno the program fails",
                            f->call, strerrorname_np(r->err_no), f->who);
                else if (r == NULL && permitted(fb) && on_target(l, f->call))
                        missing_fallback(l, f, fb);
        }
}

/* ---- calls glibc makes by itself ---- */

static bool starts_programs(const struct lint *l)
{
        return allowed(find(l, "execve"));
}

static bool makes_threads(const struct lint *l)
{
        return permitted(find(l, "clone")) || permitted(find(l, "clone3"));
}

static void lint_rseq(struct lint *l)
{
        const struct sw_rule *r = find(l, "rseq");

        if (r == NULL && (starts_programs(l) || makes_threads(l)))
                say(l, NULL, NULL, "rseq",
                    "add {\"name\": \"rseq\", \"permission\": \"ALLOW\"}",
                    "rseq is not listed: glibc 2.35+ registers rseq at "
                    "startup and in every new thread, so a program started "
                    "under this filter is killed by SIGSYS at startup");
        else if (restricted(r) && makes_threads(l))
                say(l, r, "permission", "rseq",
                    "write \"permission\": \"ALLOW\"",
                    "rseq is denied while threads may be created: a process "
                    "that registered rseq before the filter was applied "
                    "aborts (\"rseq registration failed\") at its next "
                    "pthread_create, whatever the errno");
}

static void lint_robust_list(struct lint *l)
{
        if (find(l, "set_robust_list") == NULL &&
            (starts_programs(l) || makes_threads(l)))
                say(l, NULL, NULL, "startup-call",
                    "add {\"name\": \"set_robust_list\", \"permission\": "
                    "\"ALLOW\"}",
                    "set_robust_list is not listed: glibc calls it at "
                    "startup and in every new thread");
}

static void lint_execve(struct lint *l)
{
        const struct sw_rule *r = find(l, "execve");

        if (allowed(r))
                return;
        say(l, r, r ? "permission" : NULL, "execve",
            "allow it ({\"name\": \"execve\", \"permission\": \"ALLOW\"}) "
            "to run commands under this whitelist",
            "execve is not allowed, so `syswall run` cannot start any "
            "command (the filter is loaded before the command is "
            "executed); this whitelist can only be applied in-process");
}

/* A libc wrapper that became another call: {if listed, also needs}. */
struct implied {
        const char *listed[4];
        const char *needs;
        const char *why;
        bool note; /* common, but not for every program */
};

static const struct implied implied[] = {
        {{"fstat", "stat", "lstat"},
         "newfstatat",
         "glibc 2.33+ implements stat(), fstat() and lstat() with "
         "newfstatat"},
        {{"newfstatat", "fstat", "stat", "lstat"},
         "statx",
         "ls and the other coreutils 9 programs, and node, call statx "
         "directly",
         true},
        {{"epoll_wait"},
         "epoll_pwait",
         "libuv (node) waits with epoll_pwait, and on aarch64 and riscv64 "
         "glibc's epoll_wait() is epoll_pwait",
         true},
        {{"recv"}, "recvfrom", "glibc's recv() calls recvfrom"},
        {{"send"}, "sendto", "glibc's send() calls sendto"},
};

static void lint_implied(struct lint *l)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(implied); i++) {
                const struct implied *m = &implied[i];
                const struct sw_rule *r = NULL;
                char *hint;

                if (find(l, m->needs) || !on_target(l, m->needs))
                        continue;
                for (size_t j = 0; j < 4 && m->listed[j] && !r; j++) {
                        const struct sw_rule *c = find(l, m->listed[j]);

                        if (permitted(c) && c->nr >= 0)
                                r = c;
                }
                if (r == NULL)
                        continue;
                hint = sw_asprintf("add {\"name\": \"%s\", \"permission\": "
                                   "\"ALLOW\"}",
                                   m->needs);
                if (hint == NULL)
                        l->rep->oom = true;
                l->sev = m->note ? SW_SEV_NOTE : l->base;
                say(l, r, "name", "libc-call", hint,
                    "%s is allowed but %s is not listed: %s", r->name, m->needs,
                    m->why);
                l->sev = l->base;
                free(hint);
        }
}

/* ---- gaps: a restricted call with an allowed twin ---- */

struct gap {
        const char *restricted;
        const char *twin;
        const char *why;
        const char *hint;
};

static const struct gap gaps[] = {
        {"execve", "execveat", "execveat runs programs just as execve does",
         "restrict execveat the same way, or leave it unlisted"},
        {"open", "openat", "openat opens files just as open does",
         "restrict openat the same way"},
        {"openat", "openat2",
         "openat2 opens files too, and its flags sit in a struct behind a "
         "pointer where no argument filter can read them",
         "deny openat2 with ENOSYS: glibc and most programs then use "
         "openat"},
        {"clone", "clone3",
         "clone3 creates processes too, and its flags sit in a struct "
         "behind a pointer where no argument filter can read them",
         "deny clone3 with ENOSYS so glibc falls back to the filtered "
         "clone"},
};

static void lint_gaps(struct lint *l)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(gaps); i++) {
                const struct sw_rule *r = find(l, gaps[i].restricted);
                const struct sw_rule *t = find(l, gaps[i].twin);

                if (restricted(r) && allowed(t))
                        say(l, t, "permission", "escape-gap", gaps[i].hint,
                            "%s is %s but %s is allowed: %s",
                            gaps[i].restricted,
                            r->perm == SW_DENY ? "denied" : "restricted",
                            gaps[i].twin, gaps[i].why);
        }
}

/* ---- calls that reach past the filter ---- */

struct risky {
        const char *call;
        const char *why;
};

static const struct risky risky[] = {
        {"io_uring_setup",
         "io_uring performs reads, writes, opens and network calls inside "
         "the kernel without passing through seccomp, so this filter "
         "cannot see them"},
        {"io_uring_enter", NULL},
        {"io_uring_register", NULL},
        {"process_vm_writev",
         "it writes into the memory of other processes of the same user, "
         "including ones under a weaker filter"},
        {"ptrace", "a tracer controls other processes of the same user and can "
                   "rewrite the system calls they make"},
};

static void lint_risky(struct lint *l)
{
        bool uring_said = false;

        for (size_t i = 0; i < SW_ARRAY_SIZE(risky); i++) {
                const struct sw_rule *r = find(l, risky[i].call);
                bool uring = strncmp(risky[i].call, "io_uring", 8) == 0;

                if (!permitted(r) || (uring && uring_said))
                        continue;
                uring_said |= uring;
                say(l, r, "permission", "escape-gap",
                    "deny it unless the program really needs it",
                    "%s is allowed: %s", r->name,
                    risky[i].why ? risky[i].why : risky[0].why);
        }
}

/* ---- comparisons whose width the document leaves at 64 ---- */

/*
 * The kernel reads an int argument's low half only, and what the caller
 * leaves in the upper half varies (glibc 2.36 zero-extends AT_FDCWD,
 * other toolchains sign-extend it).  Without "width" a comparison is 64
 * bits wide (P1.2), so on such an argument:
 * - a negative value (0xffffffff in the upper half) matches only a
 *   sign-extending caller: the rule refuses correct programs;
 * - ne, gt and ge hold for any junk in the upper half, whatever the low
 *   half the kernel uses: the rule lets through what it means to refuse.
 * eq, lt and le on a value below 2^31 and masked_eq only fail closed (a
 * masked_eq whose mask has no upper bits ignores the upper half, as the
 * kernel does), so they pass quietly.
 */
static bool negative_int(uint64_t v)
{
        return (v >> 32) == 0xffffffffu && (v & 0x80000000u);
}

/*
 * A value that gets past ne, gt or ge at 64 bits and that the kernel reads
 * as one the condition refuses: the refused low half with an upper bit.
 * Returns false when there is no such example to give.
 */
static bool bypass_value(const struct sw_argf *f, uint64_t *v, int32_t *low)
{
        uint64_t lo = f->value & 0xffffffffu;

        if (f->op == SW_OP_NE) {
                *v = (f->value >> 32) ? lo : lo | 1ull << 32;
                *low = (int32_t)(uint32_t)lo;
                return true;
        }

        /* gt and ge refuse 0 (as the kernel reads it) unless "ge 0". */
        if ((f->value >> 32) || (f->op == SW_OP_GE && f->value == 0))
                return false;
        *v = 1ull << 32;
        *low = 0;
        return true;
}

static char *bypass_msg(const struct sw_rule *r, const struct sw_argf *f)
{
        uint64_t v;
        int32_t low;

        if (!bypass_value(f, &v, &low))
                return sw_asprintf(
                        "\"%s\" is compared at 64 bits, but the kernel reads "
                        "%s argument %u as a 32-bit int: a value with a bit "
                        "set in the upper half of the register gets past "
                        "this condition whatever the low half the kernel "
                        "uses",
                        sw_op_name(f->op), r->name, f->index);
        return sw_asprintf("\"%s\" is compared at 64 bits, but the kernel "
                           "reads %s argument %u as a 32-bit int: a caller "
                           "that passes 0x%llx gets past this condition, and "
                           "the kernel runs %s with %d, %s",
                           sw_op_name(f->op), r->name, f->index,
                           (unsigned long long)v, r->name, low,
                           f->op == SW_OP_NE ? "the value it means to refuse"
                                             : "a value it means to refuse");
}

static void width_one(struct lint *l, const struct sw_rule *r,
                      const struct sw_argf *f)
{
        char *msg = NULL, *path;
        const char *hint = "write \"width\": 32: the kernel reads only the "
                           "low 32 bits of this argument";
        bool opens =
                f->op == SW_OP_NE || f->op == SW_OP_GT || f->op == SW_OP_GE;
        unsigned width;

        if (f->width_explicit)
                return;
        width = sw_arg_width(l->wl->arch, r->nr, f->index);
        if (width == 0)
                l->rep->oom = true;
        if (width != 32)
                return;
        if (negative_int(f->value))
                msg = sw_asprintf(
                        "negative value %lld is compared at 64 bits "
                        "(0x%llx), but the kernel reads %s argument %u as "
                        "a 32-bit int: a caller that passes it "
                        "zero-extended (glibc 2.36 does) is refused",
                        (long long)f->value, (unsigned long long)f->value,
                        r->name, f->index);
        else if (opens)
                msg = bypass_msg(r, f);
        else
                return;
        path = sw_asprintf("%s.value", f->pos.path);
        say_msg(l, r, path, "arg-width", hint, msg);
        free(path);
        free(msg);
}

static void lint_widths(struct lint *l)
{
        for (size_t i = 0; i < l->wl->nrules; i++) {
                const struct sw_rule *r = &l->wl->rules[i];

                if (r->perm != SW_CONDITIONAL || r->nr < 0)
                        continue;
                for (size_t c = 0; c < r->nconds; c++)
                        for (size_t a = 0; a < r->conds[c].nargs; a++)
                                width_one(l, r, &r->conds[c].args[a]);
        }
}

/* ---- names the whitelist will miss on the other 64-bit targets ---- */

static const uint32_t portable_arches[] = {SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64,
                                           SCMP_ARCH_RISCV64};

/* Append "name (use)" for every rule absent on arch; returns the count. */
static size_t absent_list(const struct lint *l, uint32_t arch, char **list)
{
        size_t n = 0;

        for (size_t i = 0; i < l->wl->nrules; i++) {
                const struct sw_rule *r = &l->wl->rules[i];
                const char *use = NULL, *why;
                char *more;

                if (r->nr < 0 || sw_syscall_number(arch, r->name) >= 0)
                        continue;
                sw_syscall_replacement(arch, r->name, &use, &why);
                more = sw_asprintf("%s%s%s%s%s", *list ? *list : "",
                                   *list ? ", " : "", r->name,
                                   use ? " -> " : "", use ? use : "");
                if (more == NULL) {
                        l->rep->oom = true;
                        return 0;
                }
                free(*list);
                *list = more;
                n++;
        }
        return n;
}

static void lint_portable(struct lint *l)
{
        for (size_t a = 0; a < SW_ARRAY_SIZE(portable_arches); a++) {
                uint32_t arch = portable_arches[a];
                char *list = NULL, *hint;
                size_t n;

                if (arch == l->wl->arch)
                        continue;
                n = absent_list(l, arch, &list);
                hint = sw_asprintf("before building for %s, run `syswall "
                                   "check --arch %s`",
                                   sw_arch_name(arch), sw_arch_name(arch));
                if (hint == NULL)
                        l->rep->oom = true;
                if (n > 0 && list) {
                        l->sev = SW_SEV_NOTE;
                        say(l, NULL, NULL, "other-arch", hint,
                            "%zu call%s do%s not exist on %s: %s", n,
                            n == 1 ? "" : "s", n == 1 ? "es" : "",
                            sw_arch_name(arch), list);
                        l->sev = l->base;
                }
                free(list);
                free(hint);
        }
}

/* ---- conditions that no call can meet ---- */

/* The values [lo, hi] of an argument that one comparison leaves. */
static void narrow(const struct sw_argf *f, uint64_t cut, uint64_t *lo,
                   uint64_t *hi)
{
        uint64_t v = f->value & cut;

        switch (f->op) {
        case SW_OP_EQ:
                *lo = v > *lo ? v : *lo;
                *hi = v < *hi ? v : *hi;
                break;
        case SW_OP_GT:
                /* Nothing is above the top: an empty range. */
                *lo = v == cut ? cut : v + 1 > *lo ? v + 1 : *lo;
                *hi = v == cut ? 0 : *hi;
                break;
        case SW_OP_GE:
                *lo = v > *lo ? v : *lo;
                break;
        case SW_OP_LT:
                /* Nothing is below 0: an empty range. */
                *lo = v == 0 ? 1 : *lo;
                *hi = v == 0 ? 0 : v - 1 < *hi ? v - 1 : *hi;
                break;
        case SW_OP_LE:
                *hi = v < *hi ? v : *hi;
                break;
        case SW_OP_NE:
        case SW_OP_MASKED_EQ:
                break;
        }
}

/*
 * True when the filters on argument idx compared at width leave no value:
 * an empty range (ge 10 with le 2, eq 1 with eq 2, lt 0) or ne of the
 * only value left.  (masked_eq asking for a bit outside its mask has its
 * own warning, from the reader.)
 */
static bool arg_impossible(const struct sw_cond *c, unsigned idx,
                           unsigned width)
{
        uint64_t cut = width == 32 ? UINT32_MAX : UINT64_MAX;
        uint64_t lo = 0, hi = cut;
        bool any = false;

        for (size_t a = 0; a < c->nargs; a++) {
                const struct sw_argf *f = &c->args[a];

                if (f->index != idx || sw_argf_width(f) != width)
                        continue;
                any = true;
                narrow(f, cut, &lo, &hi);
        }
        if (!any || lo > hi)
                return any;
        for (size_t a = 0; lo == hi && a < c->nargs; a++)
                if (c->args[a].index == idx && c->args[a].op == SW_OP_NE &&
                    sw_argf_width(&c->args[a]) == width &&
                    (c->args[a].value & cut) == lo)
                        return true;
        return false;
}

static void impossible_one(struct lint *l, const struct sw_rule *r,
                           const struct sw_cond *c)
{
        char *msg;

        for (unsigned idx = 0; idx < 6; idx++) {
                if (!arg_impossible(c, idx, 32) && !arg_impossible(c, idx, 64))
                        continue;
                msg = sw_asprintf("this condition can never hold: no value "
                                  "of argument %u passes all its filters",
                                  idx);
                say_msg(l, r, c->pos.path, "never-holds",
                        "fix the comparisons, or remove the condition", msg);
                free(msg);
                return;
        }
}

static void lint_impossible(struct lint *l)
{
        for (size_t i = 0; i < l->wl->nrules; i++)
                for (size_t c = 0; c < l->wl->rules[i].nconds; c++)
                        impossible_one(l, &l->wl->rules[i],
                                       &l->wl->rules[i].conds[c]);
}

static void (*const lints[])(struct lint *) = {
        lint_fallbacks,  lint_rseq,     lint_robust_list, lint_execve,
        lint_implied,    lint_gaps,     lint_risky,       lint_widths,
        lint_impossible, lint_portable,
};

void sw_lint(const sw_whitelist *wl, const struct sw_doc *doc,
             const sw_config *cfg, sw_report *rep)
{
        sw_severity base = cfg->strict ? SW_SEV_ERROR : SW_SEV_WARNING;
        struct lint l = {wl, doc, cfg, rep, base, base};

        if (wl == NULL || wl->nrules == 0)
                return;
        for (size_t i = 0; i < SW_ARRAY_SIZE(lints); i++)
                lints[i](&l);
}
