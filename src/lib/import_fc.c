/*
 * import_fc.c - read a Firecracker seccompiler file: an object of thread
 * filters ("vmm", "api", "vcpu"), each with a default_action, the
 * filter_action taken by every matching rule and rules of one syscall
 * with AND-ed argument comparisons ("dword" compares the low 32 bits,
 * P1.2's width 32).  Each thread filter becomes one whitelist.
 */
#include "interop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static sw_code bad(sw_error **err, const char *file, const char *where,
                   const char *msg)
{
        return sw_fail_at(err, SW_EPROTO, file, 0, 0, where, NULL, "%s", msg);
}

/* Seccompiler's action names and what P1.2 makes of them. */
static const struct {
        const char *name;
        enum ix_action action;
        const char *why; /* NULL when the meaning is kept */
} actions[] = {
        {"allow", IX_ALLOW, NULL},
        {"kill_process", IX_KILL, NULL},
        {"kill_thread", IX_KILL,
         "kill_thread kills the thread; P1.2 kills the whole process"},
        {"kill", IX_KILL,
         "kill kills the thread; P1.2 kills the whole process"},
        {"trap", IX_KILL,
         "trap sends a catchable SIGSYS; P1.2 kills the process with SIGSYS"},
        {"log", IX_ALLOW, "log allows and logs; P1.2 allows without logging"},
};

/* A seccompiler action named by a string; false when unknown. */
static bool map_name(const char *s, struct ix_entry *e, const char **why)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(actions); i++) {
                if (strcmp(s, actions[i].name) == 0) {
                        e->action = actions[i].action;
                        *why = actions[i].why;
                        return true;
                }
        }
        return false;
}

/* A seccompiler action into what P1.2 can do, warning where it differs. */
static bool map_action(json_t *a, struct ix_entry *e, sw_report *rep,
                       const char *where)
{
        const char *s = json_string_value(a);
        json_t *n = json_object_get(a, "errno");
        const char *why = NULL;

        e->err_no = 0;
        if (json_is_integer(n) && ix_errno_name((int)json_integer_value(n))) {
                e->action = IX_ERRNO;
                e->err_no = (int)json_integer_value(n);
                return true;
        }
        if (json_is_object(a) && json_object_get(a, "trace")) {
                e->action = IX_ERRNO;
                e->err_no = ENOSYS;
                why = "trace hands the call to a tracer, which P1.2 has "
                      "not; it fails with ENOSYS as it does when none is "
                      "attached";
        } else if (s == NULL || !map_name(s, e, &why)) {
                return false;
        }
        if (why)
                sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO, "import-action",
                              0, 0, where, NULL, "%s", why);
        return true;
}

static const struct {
        const char *name;
        enum sw_op op;
} ops[] = {
        {"eq", SW_OP_EQ}, {"ne", SW_OP_NE}, {"gt", SW_OP_GT},
        {"lt", SW_OP_LT}, {"ge", SW_OP_GE}, {"le", SW_OP_LE},
};

static bool parse_arg(json_t *a, struct ix_cmp *c)
{
        json_t *idx = json_object_get(a, "index");
        json_t *op = json_object_get(a, "op");
        const char *type = json_string_value(json_object_get(a, "type"));
        json_t *val = json_object_get(a, "val");

        if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
            json_integer_value(idx) > 5 ||
            !(json_is_integer(val) || json_is_string(val)) || !type)
                return false;
        if (strcmp(type, "dword") != 0 && strcmp(type, "qword") != 0)
                return false;
        c->index = (unsigned)json_integer_value(idx);
        c->width = strcmp(type, "dword") == 0 ? 32 : 64;
        c->value = json_is_string(val)
                           ? strtoull(json_string_value(val), NULL, 10)
                           : (uint64_t)json_integer_value(val);
        c->mask = 0;
        if (json_is_integer(json_object_get(op, "masked_eq"))) {
                c->op = SW_OP_MASKED_EQ;
                c->mask = (uint64_t)json_integer_value(
                        json_object_get(op, "masked_eq"));
                return true;
        }
        for (size_t i = 0; json_is_string(op) && i < SW_ARRAY_SIZE(ops); i++) {
                if (strcmp(json_string_value(op), ops[i].name) == 0) {
                        c->op = ops[i].op;
                        return true;
                }
        }
        return false;
}

static sw_code read_rule(struct ix_profile *p, json_t *rule,
                         const struct ix_entry *action, const char *file,
                         const char *where, sw_report *rep, sw_error **err)
{
        const char *name = json_string_value(json_object_get(rule, "syscall"));
        const char *comment =
                json_string_value(json_object_get(rule, "comment"));
        json_t *args = json_object_get(rule, "args"), *a;
        struct ix_entry e = *action;
        bool ok;
        size_t i;

        if (name == NULL)
                return bad(err, file, where, "a rule needs a syscall name");
        e.ncmps = 0;
        e.cmps = calloc(json_array_size(args) + 1, sizeof(*e.cmps));
        e.path = sw_strdup(where);
        e.comment = comment ? sw_strdup(comment) : NULL;
        if (e.cmps == NULL || e.path == NULL || (comment && !e.comment)) {
                ix_entry_clear(&e);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        json_array_foreach(args, i, a)
        {
                if (!parse_arg(a, &e.cmps[e.ncmps++])) {
                        ix_entry_clear(&e);
                        return bad(err, file, where,
                                   "an arg needs index 0-5, type dword or "
                                   "qword, a known op and an integer val");
                }
        }
        ok = ix_profile_add(p, name, &e, rep, where);
        ix_entry_clear(&e);
        return ok ? SW_SUCCESS : sw_fail(err, SW_EINTERNAL, "out of memory");
}

static sw_code read_thread(struct ix_profile *p, const char *thread,
                           json_t *filter, const char *file, sw_report *rep,
                           sw_error **err)
{
        struct ix_entry deflt = {0}, action = {0};
        char where[96];
        sw_code rc = SW_SUCCESS;
        json_t *rule;
        size_t i;

        snprintf(where, sizeof(where), "%s.default_action", thread);
        if (!map_action(json_object_get(filter, "default_action"), &deflt, rep,
                        where))
                return bad(err, file, where, "unknown or missing action");
        snprintf(where, sizeof(where), "%s.filter_action", thread);
        if (!map_action(json_object_get(filter, "filter_action"), &action, rep,
                        where))
                return bad(err, file, where, "unknown or missing action");
        p->default_action = deflt.action;
        p->default_errno = deflt.err_no;

        json_array_foreach(json_object_get(filter, "filter"), i, rule)
        {
                snprintf(where, sizeof(where), "%s.filter[%zu]", thread, i);
                rc = read_rule(p, rule, &action, file, where, rep, err);
                if (rc != SW_SUCCESS)
                        break;
        }
        return rc;
}

static sw_code import_thread(const char *thread, json_t *filter,
                             const char *path, const sw_import_options *opts,
                             uint32_t arch, sw_import *imp, sw_report *rep,
                             sw_error **err)
{
        struct ix_profile p = {.arch = arch,
                               .format = "firecracker",
                               .source = path,
                               .unlisted_kill = opts->unlisted_kill};
        char *id = opts->id ? sw_asprintf("%s.%s", opts->id, thread)
                            : ix_id_from_path(path, thread);
        json_t *meta = ix_metadata(path, "firecracker", arch);
        sw_code rc = read_thread(&p, thread, filter, path, rep, err);

        if (meta &&
            json_object_set_new(meta, "import_thread", json_string(thread))) {
                json_decref(meta);
                meta = NULL;
        }
        return ix_import_finish(imp, thread, &p, id, meta, opts->authority, rc,
                                rep, err);
}

sw_code ix_import_fc(json_t *root, const char *path,
                     const sw_import_options *opts, uint32_t arch,
                     sw_import *imp, sw_report *rep, sw_error **err)
{
        const char *thread;
        json_t *filter;

        if (!json_is_object(root))
                return bad(err, path, "",
                           "a Firecracker file is an object of thread filters");
        if (opts->thread && !json_object_get(root, opts->thread))
                return sw_fail_at(err, SW_ENOENT, path, 0, 0, opts->thread,
                                  NULL, "no thread filter named '%s'",
                                  opts->thread);
        json_object_foreach(root, thread, filter)
        {
                sw_code rc;

                if (opts->thread && strcmp(opts->thread, thread) != 0)
                        continue;
                if (!json_is_object(filter))
                        return bad(err, path, thread,
                                   "a thread filter is an object");
                rc = import_thread(thread, filter, path, opts, arch, imp, rep,
                                   err);
                if (rc != SW_SUCCESS)
                        return rc;
        }
        if (imp->count == 0)
                return bad(err, path, "", "the file has no thread filter");
        return SW_SUCCESS;
}
