/*
 * whitelist.c - the policy model: freeing it and reading it.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const category_names[] = {
        "memory", "file_io", "process", "network",
        "time",   "signals", "misc",    "tokio_runtime",
};

static const char *const op_names[] = {"eq", "ne", "gt",       "lt",
                                       "ge", "le", "masked_eq"};

static const char *const permission_names[] = {"ALLOW", "DENY", "CONDITIONAL"};

const char *sw_category_name(enum sw_category cat)
{
        if ((int)cat < 0 || (size_t)cat >= SW_ARRAY_SIZE(category_names))
                return NULL;
        return category_names[cat];
}

const char *sw_op_name(enum sw_op op)
{
        if ((int)op < 0 || (size_t)op >= SW_ARRAY_SIZE(op_names))
                return "?";
        return op_names[op];
}

const char *sw_permission_name(sw_permission perm)
{
        if ((int)perm < 0 || (size_t)perm >= SW_ARRAY_SIZE(permission_names))
                return "?";
        return permission_names[perm];
}

static void free_cond(struct sw_cond *c)
{
        for (size_t i = 0; i < c->nargs; i++)
                free(c->args[i].pos.path);
        free(c->args);
        if (c->ports) {
                free(c->ports->ports);
                free(c->ports->pos.path);
                free(c->ports);
        }
        free(c->description);
        free(c->pos.path);
}

static void free_rule(struct sw_rule *r)
{
        for (size_t i = 0; i < r->nconds; i++)
                free_cond(&r->conds[i]);
        free(r->conds);
        free(r->name);
        free(r->description);
        free(r->pos.path);
}

void sw_whitelist_free(sw_whitelist *wl)
{
        if (wl == NULL)
                return;
        for (size_t i = 0; i < wl->nrules; i++)
                free_rule(&wl->rules[i]);
        free(wl->rules);
        free(wl->file);
        free(wl->schema_version);
        free(wl->id);
        free(wl->created_at);
        free(wl->created_by);
        free(wl->updated_at);
        free(wl->updated_by);
        free(wl->signature);
        json_decref(wl->root);
        free(wl);
}

const char *sw_whitelist_id(const sw_whitelist *wl)
{
        return wl ? wl->id : NULL;
}

size_t sw_whitelist_rule_count(const sw_whitelist *wl)
{
        return wl ? wl->nrules : 0;
}

static const struct sw_rule *rule(const sw_whitelist *wl, size_t i)
{
        return wl && i < wl->nrules ? &wl->rules[i] : NULL;
}

const char *sw_whitelist_rule_name(const sw_whitelist *wl, size_t i)
{
        return rule(wl, i) ? rule(wl, i)->name : NULL;
}

sw_permission sw_whitelist_rule_permission(const sw_whitelist *wl, size_t i)
{
        return rule(wl, i) ? rule(wl, i)->perm : SW_DENY;
}

const char *sw_whitelist_rule_category(const sw_whitelist *wl, size_t i)
{
        return rule(wl, i) ? sw_category_name(rule(wl, i)->category) : NULL;
}

bool sw_whitelist_rule_tokio(const sw_whitelist *wl, size_t i)
{
        return rule(wl, i) ? rule(wl, i)->tokio : false;
}

int sw_whitelist_rule_number(const sw_whitelist *wl, size_t i)
{
        return rule(wl, i) ? rule(wl, i)->nr : -1;
}

bool sw_whitelist_has_ports(const sw_whitelist *wl)
{
        return wl ? wl->has_ports : false;
}

ssize_t sw_whitelist_find(const sw_whitelist *wl, const char *name)
{
        for (size_t i = 0; wl && i < wl->nrules; i++)
                if (wl->rules[i].name && strcmp(wl->rules[i].name, name) == 0)
                        return (ssize_t)i;
        return -1;
}

json_t *sw_doc_rule(const json_t *rules, const char *name, size_t *idx)
{
        for (size_t i = 0; i < json_array_size(rules); i++) {
                json_t *r = json_array_get(rules, i);
                const char *n = json_string_value(json_object_get(r, "name"));

                if (n && strcmp(n, name) == 0) {
                        if (idx)
                                *idx = i;
                        return r;
                }
        }
        return NULL;
}
