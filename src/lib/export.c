/*
 * export.c - write a whitelist as an OCI runtime-spec seccomp object, a
 * Kubernetes SeccompProfile, raw BPF or a C array.
 *
 * OCI keeps the meaning exactly or the export fails (or, with allow_loss,
 * goes on and reports each loss).  What OCI cannot say:
 * - port restrictions (they live behind a pointer; syswall enforces them
 *   with Landlock or a supervisor, which an OCI runtime does not run);
 * - two comparisons of one argument in one entry: runc and crun load each
 *   as its own rule (OR), so an entry carries at most one per index; a
 *   range is written as its end point, or as one entry per value when it
 *   is small;
 * - "width": 32 for an order comparison: OCI compares all 64 bits; an
 *   equality of the low 32 bits is written as a masked comparison;
 * - a CONDITIONAL rule's errno for the arguments no condition allows:
 *   OCI has no "otherwise" per call, so those arguments get entries of
 *   their own (the complement of the conditions); where the complement
 *   has no compact form, they fall to the default (kill).
 */
#include "interop.h"

#include <stdlib.h>
#include <string.h>

/* ---- from the whitelist model ---- */

/*
 * An argument filter as a comparison OCI can carry: a 32-bit masked one
 * keeps only the low half of its mask; a 32-bit order one is marked and
 * written as masked blocks of the low half (oci_args.c).
 */
static void argf_atom(const struct sw_argf *f, struct ex_atom *a)
{
        *a = (struct ex_atom){f->index, f->op, f->value, f->mask, false};
        if (f->width != 32)
                return;
        a->value &= EX_LOW32;
        if (f->op == SW_OP_MASKED_EQ)
                a->mask &= EX_LOW32;
        else
                a->low32 = true;
}

static size_t cond_atoms(const struct sw_cond *c, struct ex_atom *atoms,
                         size_t cap)
{
        size_t n = 0;

        for (size_t i = 0; i < c->nargs && n < cap; i++)
                argf_atom(&c->args[i], &atoms[n++]);
        return n;
}

/* ---- writing OCI ---- */

static const char *const oci_ops[] = {
        [SW_OP_EQ] = "SCMP_CMP_EQ",
        [SW_OP_NE] = "SCMP_CMP_NE",
        [SW_OP_GT] = "SCMP_CMP_GT",
        [SW_OP_LT] = "SCMP_CMP_LT",
        [SW_OP_GE] = "SCMP_CMP_GE",
        [SW_OP_LE] = "SCMP_CMP_LE",
        [SW_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

/*
 * OCI runtimes read values as unsigned 64-bit JSON numbers; jansson's
 * integers are signed, so a value of 2^63 or more is held as a marked
 * string and written out as digits by unmark().
 */
#define U64_MARK "@@u64:"

static json_t *u64(uint64_t v)
{
        char buf[48];

        if (v < (1ull << 63))
                return json_integer((json_int_t)v);
        snprintf(buf, sizeof(buf), U64_MARK "%llu", (unsigned long long)v);
        return json_string(buf);
}

/* Replace every "@@u64:N" (quotes included) in text by N, in place. */
static void unmark(char *text)
{
        char *r = text, *w = text;
        size_t ml = strlen("\"" U64_MARK);

        while (*r) {
                if (strncmp(r, "\"" U64_MARK, ml) == 0) {
                        r += ml;
                        while (*r && *r != '"')
                                *w++ = *r++;
                        r += *r == '"';
                        continue;
                }
                *w++ = *r++;
        }
        *w = '\0';
}

static json_t *box_args(const struct ex_box *b)
{
        json_t *args = json_array();

        for (unsigned i = 0; args && i < 6; i++) {
                const struct ex_atom *a = &b->a[i];
                bool m = a->op == SW_OP_MASKED_EQ;

                if (!b->set[i])
                        continue;
                json_array_append_new(
                        args, json_pack("{s:i, s:o, s:o, s:s}", "index", (int)i,
                                        "value", u64(m ? a->mask : a->value),
                                        "valueTwo", u64(m ? a->value : 0), "op",
                                        oci_ops[a->op]));
        }
        return args;
}

static json_t *entry(const char *name, int err_no, json_t *args)
{
        json_t *e = json_pack("{s:[s], s:s}", "names", name, "action",
                              err_no ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW");

        if (e && err_no)
                json_object_set_new(e, "errnoRet", json_integer(err_no));
        if (e && json_array_size(args))
                json_object_set_new(e, "args", args);
        else
                json_decref(args);
        return e;
}

struct ex {
        const sw_whitelist *wl;
        bool allow_loss;
        sw_report *rep;
        sw_error **err;
        size_t losses;
        sw_code failed; /* first refusal */
};

/* A loss: refused (error) unless allow_loss, then reported (warning). */
static void loss(struct ex *x, const struct sw_pos *pos, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void loss(struct ex *x, const struct sw_pos *pos, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        x->losses++;
        sw_report_add(x->rep, x->allow_loss ? SW_SEV_WARNING : SW_SEV_ERROR,
                      SW_EPROTO, "export-loss", pos->line, pos->column,
                      pos->path,
                      x->allow_loss ? NULL
                                    : "--allow-loss exports "
                                      "it anyway",
                      "%s", msg ? msg : "out of memory");
        if (!x->allow_loss && x->failed == SW_SUCCESS)
                x->failed = sw_fail_at(x->err, SW_EPROTO, x->wl->file,
                                       pos->line, pos->column, pos->path,
                                       "--allow-loss exports it anyway", "%s",
                                       msg ? msg : "out of memory");
        free(msg);
}

static void append_boxes(json_t *calls, const char *name, int err_no,
                         const struct ex_boxes *b)
{
        for (size_t i = 0; i < b->n; i++)
                json_array_append_new(calls,
                                      entry(name, err_no, box_args(&b->v[i])));
}

/* A condition's entries; a lossy part is reported at the condition. */
static void export_condition(struct ex *x, const struct sw_rule *r,
                             const struct sw_cond *c, json_t *calls)
{
        struct ex_boxes b = {0};
        struct ex_atom atoms[12];
        size_t n = cond_atoms(c, atoms, 12);

        if (c->ports)
                loss(x, &c->pos,
                     "%s: OCI cannot carry a port restriction; exported, the "
                     "condition allows every port",
                     r->name);
        ex_conj_boxes(atoms, n, &b);
        if (b.fail) {
                loss(x, &c->pos,
                     "%s: these comparisons of one argument have no exact "
                     "OCI form (runtimes OR two comparisons of one index); "
                     "exported, they are compared on 64 bits or the "
                     "condition is left out",
                     r->name);
                free(b.v);
                memset(&b, 0, sizeof(b));
                for (size_t i = 0; i < n; i++)
                        atoms[i].low32 = false;
                ex_conj_boxes(atoms, n, &b);
        }
        if (!b.fail)
                append_boxes(calls, r->name, 0, &b);
        /* Entries lost for memory make the export fail (sw_export). */
        if (b.oom)
                x->rep->oom = true;
        free(b.v);
}

static void export_conditional(struct ex *x, const struct sw_rule *r,
                               json_t *calls)
{
        struct ex_cset *cs = calloc(r->nconds + 1, sizeof(*cs));
        struct ex_boxes rest = {0};

        for (size_t c = 0; c < r->nconds; c++)
                export_condition(x, r, &r->conds[c], calls);
        for (size_t c = 0; cs && c < r->nconds; c++)
                cs[c].n = cond_atoms(&r->conds[c], cs[c].a, EX_MAX_ATOMS);
        if (cs)
                ex_complement(cs, r->nconds, &rest);
        rest.oom |= cs == NULL;
        free(cs);
        if (rest.fail)
                loss(x, &r->pos,
                     "%s: OCI has no per-call 'otherwise'; the arguments no "
                     "condition allows have no compact OCI form, so they "
                     "are killed (default) instead of failing with %s",
                     r->name, ix_errno_name(r->err_no));
        else
                append_boxes(calls, r->name, r->err_no, &rest);
        if (rest.oom)
                x->rep->oom = true;
        free(rest.v);
}

/* Unconditional rules share one entry per action. */
static void add_plain(json_t *calls, const char *name, int err_no)
{
        size_t i;
        json_t *e;

        json_array_foreach(calls, i, e)
        {
                json_t *en = json_object_get(e, "errnoRet");

                if (json_object_get(e, "args") == NULL &&
                    (err_no ? json_integer_value(en) == err_no : en == NULL)) {
                        json_array_append_new(json_object_get(e, "names"),
                                              json_string(name));
                        return;
                }
        }
        json_array_append_new(calls, entry(name, err_no, NULL));
}

static const char *oci_arch(uint32_t arch)
{
        static char buf[32];
        const char *n = sw_arch_name(arch);

        snprintf(buf, sizeof(buf), "SCMP_ARCH_%s", n);
        for (char *c = buf; *c; c++)
                if (*c >= 'a' && *c <= 'z')
                        *c = (char)(*c - 'a' + 'A');
        return buf;
}

/* The linux.seccomp object of an OCI runtime spec. */
static json_t *oci_object(const sw_whitelist *wl, bool allow_loss,
                          sw_report *rep, sw_error **err, sw_code *rc)
{
        struct ex x = {wl, allow_loss, rep, err, 0, SW_SUCCESS};
        json_t *calls = json_array(), *root;

        for (size_t i = 0; calls && i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                if (r->nr < 0)
                        sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS,
                                      "export-absent", r->pos.line,
                                      r->pos.column, r->pos.path, NULL,
                                      "%s is no system call on %s: left out",
                                      r->name, sw_arch_name(wl->arch));
                else if (r->perm == SW_ALLOW)
                        add_plain(calls, r->name, 0);
                else if (r->perm == SW_DENY)
                        add_plain(calls, r->name, r->err_no);
                else
                        export_conditional(&x, r, calls);
        }
        root = json_pack("{s:s, s:[s], s:o}", "defaultAction",
                         "SCMP_ACT_KILL_PROCESS", "architectures",
                         oci_arch(wl->arch), "syscalls", calls);
        *rc = x.failed;
        if (root == NULL && *rc == SW_SUCCESS)
                *rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        if (*rc != SW_SUCCESS) {
                json_decref(root);
                return NULL;
        }
        return root;
}

/* ---- Kubernetes ---- */

/* A DNS-1123 name for metadata.name: lower case, digits, '-' and '.'. */
static char *k8s_name(const char *id)
{
        char *n = sw_strdup(id);

        for (char *c = n; c && *c; c++) {
                if (*c >= 'A' && *c <= 'Z')
                        *c = (char)(*c - 'A' + 'a');
                else if (!((*c >= 'a' && *c <= 'z') ||
                           (*c >= '0' && *c <= '9') || *c == '.'))
                        *c = '-';
        }
        return n;
}

static json_t *k8s_object(const sw_whitelist *wl, json_t *seccomp)
{
        char *name = k8s_name(wl->id);
        json_t *o;

        if (name == NULL) {
                json_decref(seccomp);
                return NULL;
        }
        o = json_pack("{s:s, s:s, s:{s:s, s:{s:s}}, s:o}", "apiVersion",
                      "security-profiles-operator.x-k8s.io/v1beta1", "kind",
                      "SeccompProfile", "metadata", "name", name, "annotations",
                      "syswall.whitelist-id", wl->id, "spec", seccomp);
        free(name);
        return o;
}

/* Append text to a growing buffer; false when out of memory. */
struct buf {
        char *s;
        size_t len, cap;
        bool oom;
};

static void put(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
        va_list ap;
        char *t;
        size_t n;

        va_start(ap, fmt);
        t = sw_vasprintf(fmt, ap);
        va_end(ap);
        if (t == NULL || b->oom) {
                b->oom = true;
                free(t);
                return;
        }
        n = strlen(t);
        if (b->len + n + 1 > b->cap) {
                size_t cap = (b->len + n + 1) * 2;
                char *s = realloc(b->s, cap);

                if (s == NULL) {
                        b->oom = true;
                        free(t);
                        return;
                }
                b->s = s;
                b->cap = cap;
        }
        memcpy(b->s + b->len, t, n + 1);
        b->len += n;
        free(t);
}

/* A scalar in YAML: strings are written as JSON strings, valid YAML. */
static void yaml_scalar(struct buf *b, json_t *v)
{
        char *t = json_dumps(v, JSON_ENCODE_ANY);

        if (t)
                unmark(t);
        put(b, "%s\n", t ? t : "null");
        free(t);
}

static void yaml(struct buf *b, json_t *v, int indent, bool in_seq);

static void yaml_object(struct buf *b, json_t *v, int indent, bool in_seq)
{
        const char *k;
        json_t *m;
        bool first = true;

        json_object_foreach(v, k, m)
        {
                int pad = first && in_seq ? 0 : indent;
                bool nested = (json_is_object(m) && json_object_size(m)) ||
                              (json_is_array(m) && json_array_size(m));

                put(b, "%*s%s:%s", pad, "", k, nested ? "\n" : " ");
                if (nested)
                        yaml(b, m, json_is_array(m) ? indent : indent + 2,
                             false);
                else if (json_is_array(m))
                        put(b, "[]\n");
                else if (json_is_object(m))
                        put(b, "{}\n");
                else
                        yaml_scalar(b, m);
                first = false;
        }
}

static void yaml(struct buf *b, json_t *v, int indent, bool in_seq)
{
        size_t i;
        json_t *e;

        if (json_is_object(v)) {
                yaml_object(b, v, indent, in_seq);
                return;
        }
        if (!json_is_array(v)) {
                yaml_scalar(b, v);
                return;
        }
        json_array_foreach(v, i, e)
        {
                put(b, "%*s- ", indent, "");
                if (json_is_object(e) && json_object_size(e))
                        yaml(b, e, indent + 2, true);
                else
                        yaml_scalar(b, e);
        }
}

/* ---- runtimes ---- */

/*
 * Calls a runtime makes after it loaded the filter and before it runs the
 * command (measured on Debian 12: crun 1.8.1, runc 1.1.5, bubblewrap
 * 0.8.0; wait4 is bubblewrap's init with --unshare-pid).  Without them
 * the container dies before the command starts.
 */
static const struct {
        const char *runtime;
        const char *calls[10];
} runtime_calls[] = {
        {"crun", {"close", "execve"}},
        {"runc",
         {"close", "openat", "futex", "getpid", "epoll_ctl", "fstatfs",
          "getdents64", "rt_sigreturn", "execve"}},
        {"bwrap", {"execve", "wait4"}},
};

/* Add the runtime's calls to a copy of the document; list them in rep. */
static sw_code add_runtime_calls(json_t *doc, const char *runtime,
                                 sw_report *rep, sw_error **err)
{
        json_t *calls = json_object_get(doc, "syscalls");

        for (size_t i = 0; i < SW_ARRAY_SIZE(runtime_calls); i++) {
                if (strcmp(runtime_calls[i].runtime, runtime) != 0)
                        continue;
                for (size_t j = 0; j < 10 && runtime_calls[i].calls[j]; j++) {
                        const char *c = runtime_calls[i].calls[j];

                        json_t *have = sw_doc_rule(calls, c, NULL);
                        const char *perm = json_string_value(
                                json_object_get(have, "permission"));

                        if (have && perm && strcmp(perm, "ALLOW") != 0)
                                sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO,
                                              "export-runtime", 0, 0, "", NULL,
                                              "%s calls %s after loading the "
                                              "filter, which the whitelist "
                                              "does not always allow; the "
                                              "command may die before it "
                                              "starts",
                                              runtime, c);
                        if (have)
                                continue;
                        json_array_append_new(
                                calls,
                                json_pack("{s:s, s:s, s:s}", "name", c,
                                          "permission", "ALLOW", "description",
                                          "added by syswall export for the "
                                          "runtime"));
                        sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS,
                                      "export-runtime", 0, 0, "", NULL,
                                      "added %s for %s, which calls it "
                                      "between loading the filter and "
                                      "starting the command",
                                      c, runtime);
                }
                return SW_SUCCESS;
        }
        return sw_fail(err, SW_ENOENT,
                       "unknown runtime '%s' (crun, runc, bwrap)", runtime);
}

static void keep_pos(const struct sw_pos *from, struct sw_pos *to)
{
        to->line = from->line;
        to->column = from->column;
}

/*
 * The copy was read from compact text, one line: give the rules it shares
 * with the original (all but the runtime's, appended last) the original's
 * lines and columns, so that a loss is reported where the user wrote it.
 */
static void keep_positions(const sw_whitelist *from, sw_whitelist *to)
{
        for (size_t i = 0; i < from->nrules && i < to->nrules; i++) {
                const struct sw_rule *a = &from->rules[i];
                struct sw_rule *b = &to->rules[i];

                if (strcmp(a->name, b->name) != 0 || a->nconds != b->nconds)
                        return;
                keep_pos(&a->pos, &b->pos);
                for (size_t c = 0; c < a->nconds; c++) {
                        const struct sw_cond *ca = &a->conds[c];
                        struct sw_cond *cb = &b->conds[c];

                        keep_pos(&ca->pos, &cb->pos);
                        if (ca->ports && cb->ports)
                                keep_pos(&ca->ports->pos, &cb->ports->pos);
                        for (size_t k = 0; k < ca->nargs && k < cb->nargs; k++)
                                keep_pos(&ca->args[k].pos, &cb->args[k].pos);
                }
        }
}

/* The whitelist with the runtime's calls, read and checked again. */
static sw_code with_runtime(const sw_whitelist *wl, const sw_config *cfg,
                            const char *runtime, sw_whitelist **out,
                            sw_report *rep, sw_error **err)
{
        json_t *doc = json_deep_copy(wl->root);
        sw_report *again = NULL;
        char *text;
        sw_code rc;

        *out = NULL;
        if (doc == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        json_object_del(doc, "signature");
        rc = add_runtime_calls(doc, runtime, rep, err);
        text = rc == SW_SUCCESS ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (rc != SW_SUCCESS)
                return rc;
        if (text == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        rc = sw_whitelist_load_buffer(text, strlen(text), wl->file, cfg, out,
                                      &again);
        free(text);
        if (rc == SW_SUCCESS)
                keep_positions(wl, *out);
        if (rc != SW_SUCCESS)
                sw_fail(err, rc,
                        "the whitelist with %s's calls added does "
                        "not check",
                        runtime);
        sw_report_free(again);
        return rc;
}

/* ---- the entry point ---- */

/*
 * A BPF program cannot read the port a sockaddr pointer points to: `syswall
 * run` adds Landlock rules or a supervisor for that, a program loaded by
 * bwrap or systemd has neither.
 */
static sw_code program(const sw_whitelist *wl, const sw_config *cfg,
                       sw_export_format fmt, bool allow_loss, sw_report *rep,
                       char **out, size_t *len, sw_error **err)
{
        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                for (size_t c = 0; c < r->nconds; c++) {
                        const struct sw_pos *pos = &r->conds[c].pos;
                        struct ex x = {wl, allow_loss, rep, err, 0, SW_SUCCESS};

                        if (r->conds[c].ports == NULL)
                                continue;
                        loss(&x, pos,
                             "%s: a BPF program cannot enforce a port "
                             "restriction (syswall run adds Landlock or a "
                             "supervisor for it); the program alone lets "
                             "the call reach every port",
                             r->name);
                        if (x.failed != SW_SUCCESS)
                                return x.failed;
                }
        }
        return ex_program(wl, cfg, fmt, out, len, err);
}

static sw_code dump(json_t *o, sw_export_format fmt, char **out, size_t *len,
                    sw_error **err)
{
        struct buf b = {0};

        if (fmt == SW_EXPORT_K8S) {
                put(&b, "---\n");
                yaml(&b, o, 0, false);
        } else {
                char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

                if (t)
                        unmark(t);
                put(&b, "%s\n", t ? t : "");
                b.oom |= t == NULL;
                free(t);
        }
        json_decref(o);
        if (b.oom) {
                free(b.s);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        *out = b.s;
        *len = b.len;
        return SW_SUCCESS;
}

sw_code sw_export(const sw_whitelist *wl, const sw_config *cfg,
                  sw_export_format fmt, const sw_export_options *opts,
                  char **out, size_t *len, sw_report **report, sw_error **err)
{
        static const sw_export_options none = {0};
        unsigned long lost = sw_json_failures();
        sw_report *rep = sw_report_new(wl->file);
        sw_whitelist *copy = NULL;
        sw_code rc = SW_SUCCESS;
        json_t *o;

        *out = NULL;
        *len = 0;
        if (report)
                *report = rep;
        if (rep == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        opts = opts ? opts : &none;
        if (opts->runtime)
                rc = with_runtime(wl, cfg, opts->runtime, &copy, rep, err);
        if (copy)
                wl = copy;
        if (rc == SW_SUCCESS && fmt != SW_EXPORT_OCI && fmt != SW_EXPORT_K8S &&
            fmt != SW_EXPORT_K8S_JSON)
                rc = program(wl, cfg, fmt, opts->allow_loss, rep, out, len,
                             err);
        else if (rc == SW_SUCCESS) {
                o = oci_object(wl, opts->allow_loss, rep, err, &rc);
                if (o && fmt != SW_EXPORT_OCI)
                        o = k8s_object(wl, o);
                if (rc == SW_SUCCESS && o == NULL)
                        rc = sw_fail(err, SW_EINTERNAL, "out of memory");
                if (rc == SW_SUCCESS)
                        rc = dump(o, fmt, out, len, err);
        }
        /* A member jansson could not add, or a note not recorded. */
        if (rc == SW_SUCCESS && (sw_json_failures() != lost ||
                                 sw_report_result(rep) == SW_EINTERNAL)) {
                free(*out);
                *out = NULL;
                *len = 0;
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        sw_whitelist_free(copy);
        if (report == NULL)
                sw_report_free(rep);
        return rc;
}
