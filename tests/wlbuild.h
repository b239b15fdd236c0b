/*
 * wlbuild.h - build policy models (struct sw_whitelist) by hand in tests,
 * without the reader, and free them again.  Allocation failures abort the
 * test: these are test fixtures, not library code.
 */
#ifndef SW_WLBUILD_H
#define SW_WLBUILD_H

#include "internal.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *wlb_alloc(size_t n)
{
        void *p = calloc(1, n);

        if (p == NULL)
                abort();
        return p;
}

static inline void *wlb_grow(void *p, size_t n)
{
        void *q = realloc(p, n);

        if (q == NULL)
                abort();
        return q;
}

/* "what[i]" */
static inline char *wlb_path(const char *what, size_t i)
{
        char buf[128];

        snprintf(buf, sizeof(buf), "%s[%zu]", what, i);
        return strdup(buf);
}

/* An empty whitelist for arch (0: native). */
static inline sw_whitelist *wlb_new(uint32_t arch)
{
        sw_whitelist *wl = wlb_alloc(sizeof(*wl));

        wl->arch = arch ? arch : seccomp_arch_native();
        wl->id = strdup("test");
        wl->file = strdup("test.json");
        return wl;
}

/* Append a rule; the number is resolved for the whitelist's arch. */
static inline struct sw_rule *wlb_rule(sw_whitelist *wl, const char *name,
                                       sw_permission perm, int err_no)
{
        struct sw_rule *r;

        wl->rules = wlb_grow(wl->rules, (wl->nrules + 1) * sizeof(*r));
        r = &wl->rules[wl->nrules];
        memset(r, 0, sizeof(*r));
        r->name = strdup(name);
        r->nr = seccomp_syscall_resolve_name_arch(wl->arch, name);
        if (r->nr < 0)
                r->nr = -1;
        r->perm = perm;
        r->category = SW_CAT_NONE;
        r->err_no = err_no;
        r->pos.path = wlb_path("syscalls", wl->nrules);
        r->pos.line = (unsigned)wl->nrules + 10;
        r->pos.column = 5;
        wl->nrules++;
        return r;
}

static inline struct sw_cond *wlb_cond(struct sw_rule *r)
{
        struct sw_cond *c;

        r->conds = wlb_grow(r->conds, (r->nconds + 1) * sizeof(*c));
        c = &r->conds[r->nconds];
        memset(c, 0, sizeof(*c));
        c->description = strdup("test condition");
        c->pos.path = wlb_path("conditions", r->nconds);
        r->nconds++;
        return c;
}

/* width 0: not written in the document (the width table decides). */
static inline void wlb_arg(struct sw_cond *c, unsigned idx, enum sw_op op,
                           uint64_t value, uint64_t mask, unsigned width)
{
        struct sw_argf *f;

        c->args = wlb_grow(c->args, (c->nargs + 1) * sizeof(*f));
        f = &c->args[c->nargs];
        memset(f, 0, sizeof(*f));
        f->index = idx;
        f->op = op;
        f->value = value;
        f->mask = mask;
        f->width = width ? width : 64;
        f->width_explicit = width != 0;
        f->pos.path = wlb_path("argument_filter", c->nargs);
        c->nargs++;
}

/* A port restriction on a condition (ports only counted, not sorted). */
static inline void wlb_ports(struct sw_cond *c, uint16_t port)
{
        c->ports = wlb_alloc(sizeof(*c->ports));
        c->ports->ports = wlb_alloc(sizeof(uint16_t));
        c->ports->ports[0] = port;
        c->ports->count = 1;
        c->ports->pos.path = strdup("port_restriction");
}

static inline void wlb_free(sw_whitelist *wl)
{
        if (wl == NULL)
                return;
        for (size_t i = 0; i < wl->nrules; i++) {
                struct sw_rule *r = &wl->rules[i];

                for (size_t c = 0; c < r->nconds; c++) {
                        struct sw_cond *cd = &r->conds[c];

                        for (size_t a = 0; a < cd->nargs; a++)
                                free(cd->args[a].pos.path);
                        free(cd->args);
                        if (cd->ports != NULL) {
                                free(cd->ports->ports);
                                free(cd->ports->pos.path);
                                free(cd->ports);
                        }
                        free(cd->description);
                        free(cd->pos.path);
                }
                free(r->conds);
                free(r->name);
                free(r->pos.path);
        }
        free(wl->rules);
        free(wl->id);
        free(wl->file);
        free(wl);
}

#endif /* SW_WLBUILD_H */
