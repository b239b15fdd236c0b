/*
 * explain.c - why a compiled filter takes its action for one call.
 *
 * The action and the number of instructions come from running the
 * compiled program in the BPF interpreter, exactly as the kernel would
 * run it.  Which rule and which condition decided it is read from the
 * whitelist; the two are compared, and a disagreement is reported as the
 * bug it would be (SW_EINTERNAL), never papered over.
 */
#include "explain.h"
#include "net.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing text; ok turns false for good on the first failure. */
struct text {
        char *buf;
        size_t len;
        bool ok;
};

static void add(struct text *t, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
        va_list ap;
        char *piece;
        char *grown;

        if (!t->ok)
                return;
        va_start(ap, fmt);
        piece = sw_vasprintf(fmt, ap);
        va_end(ap);
        grown = piece ? realloc(t->buf, t->len + strlen(piece) + 1) : NULL;
        if (grown == NULL) {
                free(piece);
                t->ok = false;
                return;
        }
        memcpy(grown + t->len, piece, strlen(piece) + 1);
        t->len += strlen(piece);
        t->buf = grown;
        free(piece);
}

/* "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS" ... */
void sw_action_text(uint32_t action, char *buf, size_t size)
{
        uint32_t data = action & SECCOMP_RET_DATA;
        const char *e = strerrorname_np((int)data);

        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_KILL_PROCESS:
                snprintf(buf, size, "KILL_PROCESS");
                return;
        case SECCOMP_RET_KILL_THREAD:
                snprintf(buf, size, "KILL_THREAD");
                return;
        case SECCOMP_RET_TRAP:
                snprintf(buf, size, "TRAP(%u)", data);
                return;
        case SECCOMP_RET_ERRNO:
                if (e)
                        snprintf(buf, size, "ERRNO(%s)", e);
                else
                        snprintf(buf, size, "ERRNO(%u)", data);
                return;
        case SECCOMP_RET_USER_NOTIF:
                snprintf(buf, size, "USER_NOTIF");
                return;
        case SECCOMP_RET_TRACE:
                snprintf(buf, size, "TRACE(%u)", data);
                return;
        case SECCOMP_RET_LOG:
                snprintf(buf, size, "LOG");
                return;
        case SECCOMP_RET_ALLOW:
                snprintf(buf, size, "ALLOW");
                return;
        default:
                snprintf(buf, size, "action 0x%08x", action);
                return;
        }
}

static const char *const op_text[] = {
        [SW_OP_EQ] = "==",        [SW_OP_NE] = "!=", [SW_OP_GT] = ">",
        [SW_OP_LT] = "<",         [SW_OP_GE] = ">=", [SW_OP_LE] = "<=",
        [SW_OP_MASKED_EQ] = "==",
};

static void add_filter(struct text *t, const struct sw_argf *f, unsigned width)
{
        if (f->op == SW_OP_MASKED_EQ)
                add(t, "arg%u & 0x%llx == 0x%llx", f->index,
                    (unsigned long long)f->mask, (unsigned long long)f->value);
        else
                add(t, "arg%u %s 0x%llx", f->index, op_text[f->op],
                    (unsigned long long)f->value);
        add(t, " (%u-bit)", width);
}

/* The first condition whose argument filters all hold, or -1. */
static long holding_cond(const struct sw_rule *r, const uint64_t args[6])
{
        for (size_t c = 0; c < r->nconds; c++) {
                const struct sw_cond *cd = &r->conds[c];
                /* A port is judged after the filter: BPF sees it hold. */
                bool all = true;

                for (size_t i = 0; all && i < cd->nargs; i++) {
                        const struct sw_argf *f = &cd->args[i];

                        all = sw_argf_holds(f, sw_argf_width(f),
                                            args[f->index]);
                }
                if (all)
                        return (long)c;
        }
        return -1;
}

static void add_cond(struct text *t, const struct sw_rule *r, size_t c)
{
        const struct sw_cond *cd = &r->conds[c];

        add(t, "condition: conditions[%zu] \"%s\"", c,
            cd->description ? cd->description : "");
        for (size_t i = 0; i < cd->nargs; i++) {
                add(t, i == 0 ? ": " : " and ");
                add_filter(t, &cd->args[i], sw_argf_width(&cd->args[i]));
        }
        if (cd->ports) {
                add(t, "%sport in", cd->nargs ? " and " : ": ");
                for (size_t i = 0; i < cd->ports->count && i < 8; i++)
                        add(t, " %u", cd->ports->ports[i]);
                if (cd->ports->count > 8)
                        add(t, " ... (%zu ports)", cd->ports->count);
        }
        add(t, "\n");
}

const struct sw_rule *sw_rule_of_nr(const sw_whitelist *wl, int nr, size_t *idx)
{
        for (size_t i = 0; wl && i < wl->nrules; i++) {
                if (wl->rules[i].nr == nr) {
                        *idx = i;
                        return &wl->rules[i];
                }
        }
        return NULL;
}

static void add_rule(struct text *t, const sw_whitelist *wl, int nr,
                     const uint64_t args[6])
{
        size_t i = 0;
        const struct sw_rule *r = sw_rule_of_nr(wl, nr, &i);
        long c;

        if (r == NULL) {
                add(t, "rule:      none: the call is not listed, so the "
                       "default action applies\n");
                return;
        }
        add(t, "rule:      syscalls[%zu] '%s' %s", i, r->name,
            sw_permission_name(r->perm));
        if (r->pos.line)
                add(t, " (%s:%u)", wl->file ? wl->file : "", r->pos.line);
        add(t, "\n");
        if (r->perm != SW_CONDITIONAL)
                return;
        c = holding_cond(r, args);
        if (c < 0)
                add(t,
                    "condition: none of %zu holds, so the rule's errno "
                    "applies\n",
                    r->nconds);
        else
                add_cond(t, r, (size_t)c);
}

/* The network call a syscall number is, or SW_NC_COUNT. */
static enum sw_netcall netcall_of(const struct sw_netplan *plan, int nr)
{
        for (int c = 0; c < SW_NC_COUNT; c++)
                if (plan->calls[c].nr == nr)
                        return (enum sw_netcall)c;
        return SW_NC_COUNT;
}

/* Which mechanism judges the port of this call, when one does. */
static void add_ports(struct text *t, const sw_whitelist *wl,
                      const sw_config *cfg, uint32_t arch, int nr)
{
        struct sw_netplan *plan = NULL;
        enum sw_netcall c;
        const struct sw_netcall_plan *cp;

        if (cfg == NULL)
                cfg = sw_config_default();
        if (arch != seccomp_arch_native() ||
            sw_netplan_build(wl, cfg, SW_NET_SUPERVISED, &plan, NULL) !=
                    SW_SUCCESS) {
                add(t, "ports:     not judged here (another architecture)\n");
                sw_netplan_free(plan);
                return;
        }
        c = netcall_of(plan, nr);
        cp = c < SW_NC_COUNT ? &plan->calls[c] : NULL;
        if (cp != NULL && !cp->restricted)
                add(t, "ports:     no port restriction applies\n");
        else if (cp != NULL && cp->landlock)
                add(t, "ports:     judged after the filter: TCP by "
                       "Landlock (EACCES), other sockets by the "
                       "supervisor\n");
        else if (cp != NULL)
                add(t, "ports:     judged after the filter by the "
                       "user-notification supervisor\n");
        sw_netplan_free(plan);
}

static void add_call(struct text *t, const char *name, int nr, uint32_t arch,
                     const uint64_t args[6])
{
        add(t, "call:      %s(", name);
        for (int i = 0; i < 6; i++)
                add(t, i ? ", 0x%llx" : "0x%llx", (unsigned long long)args[i]);
        add(t, ") = number %d on %s\n", nr, sw_arch_name(arch));
}

sw_code sw_explain(const sw_whitelist *wl, const sw_filter *f,
                   const sw_config *cfg, int nr, const uint64_t args[6],
                   uint32_t *action, char **out, sw_error **err)
{
        struct text t = {NULL, 0, true};
        uint32_t arch = sw_filter_arch(f);
        uint32_t meant = sw_policy_action(wl, arch, nr, args);
        char *name = seccomp_syscall_resolve_num_arch(arch, nr);
        unsigned insns = 0;
        char act[48];
        sw_code rc;

        *out = NULL;
        rc = sw_filter_simulate(f, arch, nr, args, action, &insns);
        if (rc != SW_SUCCESS) {
                free(name);
                return sw_fail(err, rc, "the interpreter refused the filter");
        }
        add_call(&t, name ? name : "?", nr, arch, args);
        free(name);
        sw_action_text(*action, act, sizeof(act));
        add(&t, "action:    %s\n", act);
        add_rule(&t, wl, nr, args);
        add_ports(&t, wl, cfg, arch, nr);
        add(&t, "bpf:       %u of %zu instructions run\n", insns,
            sw_filter_length(f));
        if (!t.ok) {
                free(t.buf);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        *out = t.buf;
        if (meant != *action) {
                sw_action_text(meant, act, sizeof(act));
                return sw_fail(err, SW_EINTERNAL,
                               "the filter and the whitelist disagree: the "
                               "whitelist means %s",
                               act);
        }
        return SW_SUCCESS;
}
