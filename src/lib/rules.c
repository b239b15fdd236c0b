/*
 * rules.c - check one rule of "syscalls" (spec sections 2 and 3) and
 * fill its part of the model.
 */
#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_fields[] = {
        "name",        "permission", "category",   "tokio_required",
        "description", "errno",      "conditions",
};
static const char *const cond_fields[] = {"description", "argument_filter",
                                          "port_restriction"};
static const char *const filter_fields[] = {"arg_index", "operator", "value",
                                            "mask", "width"};
static const char *const port_fields[] = {"allowed_ports", "allowed_families",
                                          "description"};

/* In the order of sw_permission, enum sw_category and enum sw_op. */
static const char *const permissions[] = {"ALLOW", "DENY", "CONDITIONAL"};
static const char *const categories[] = {
        "memory", "file_io", "process", "network",
        "time",   "signals", "misc",    "tokio_runtime",
};
static const char *const operators[] = {"eq", "ne", "gt",       "lt",
                                        "ge", "le", "masked_eq"};
static const char *const families[] = {"AF_UNIX", "AF_NETLINK"};

static void set_pos(struct rd_ctx *c, struct sw_pos *pos, const char *path)
{
        sw_doc_where(c->doc, path, false, &pos->line, &pos->column);
        pos->path = sw_strdup(path);
        if (pos->path == NULL)
                c->oom = true;
}

static bool is_object(struct rd_ctx *c, json_t *v, const char *path,
                      const char *what)
{
        if (json_is_object(v))
                return true;
        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "type", path, false, NULL,
                   "%s must be an object, not %s", what,
                   json_is_array(v) ? "an array" : "another kind of value");
        return false;
}

/*
 * An unknown key of obj that is a near miss of want ("condition" for
 * "conditions"), or NULL.  Its value is checked as if it were spelled
 * right, so that one run shows the problems inside it too.
 */
static const char *near_miss(json_t *obj, const char *want,
                             const char *const *known, size_t n)
{
        const char *key;
        json_t *v;

        json_object_foreach(obj, key, v)
        {
                const char *near;
                bool is_known = false;

                for (size_t i = 0; i < n && !is_known; i++)
                        is_known = strcmp(known[i], key) == 0;
                near = is_known ? NULL : sw_suggest(key, known, n);
                if (near && strcmp(near, want) == 0)
                        return key;
        }
        return NULL;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static char *name_hint(const char *name)
{
        const char *near[3];
        size_t n = sw_syscall_suggest(name, near, 3);

        if (n == 1)
                return sw_asprintf("did you mean \"%s\"?", near[0]);
        if (n == 2)
                return sw_asprintf("did you mean \"%s\" or \"%s\"?", near[0],
                                   near[1]);
        if (n == 3)
                return sw_asprintf("did you mean \"%s\", \"%s\" or \"%s\"?",
                                   near[0], near[1], near[2]);
        return NULL;
}

static void absent_on_target(struct rd_ctx *c, const char *name,
                             const char *path)
{
        const char *arch = sw_arch_name(c->wl->arch);
        const char *use, *why;
        char *hint, *where = NULL;

        if (sw_syscall_replacement(c->wl->arch, name, &use, &why) && use)
                hint = sw_asprintf("list \"%s\" instead; libseccomp would "
                                   "turn \"%s\" into a rule that matches "
                                   "nothing",
                                   use, name);
        else if (why)
                hint = sw_asprintf("remove the rule; nothing replaces %s on "
                                   "%s",
                                   name, arch);
        else
                hint = sw_asprintf("remove it, or list the call that the C "
                                   "library uses instead on %s",
                                   arch);
        if (why == NULL)
                where = sw_syscall_arches(name);
        if (why)
                rd_problem(c, rd_lint_severity(c), SW_EPROTO, "absent-on-arch",
                           path, false, hint,
                           "\"%s\" is not a system call on %s: %s", name, arch,
                           why);
        else
                rd_problem(c, rd_lint_severity(c), SW_EPROTO, "absent-on-arch",
                           path, false, hint,
                           "\"%s\" is not a system call on %s (only on %s)",
                           name, arch, where ? where : "other architectures");
        free(hint);
        free(where);
}

static void check_name(struct rd_ctx *c, struct sw_rule *r, json_t *obj,
                       const char *path)
{
        json_t *v =
                rd_member(c, obj, path, "name", JSON_STRING, true, "a string");
        const char *name = v ? json_string_value(v) : NULL;
        char *npath, *hint;

        r->nr = -1;
        if (name == NULL)
                return;
        r->name = sw_strdup(name);
        npath = rd_key_path(c, path, "name");
        if (r->name == NULL || npath == NULL) {
                c->oom = true;
                free(npath);
                return;
        }
        if (*name == '\0') {
                rd_problem(c, SW_SEV_ERROR, SW_ENOENT, "unknown-syscall", npath,
                           false, "write a system call name such as \"openat\"",
                           "name must not be empty");
        } else if ((r->nr = sw_syscall_number(c->wl->arch, name)) >= 0) {
                /* Present on the target: nothing to say. */
        } else if (sw_syscall_known(name)) {
                absent_on_target(c, name, npath);
        } else {
                hint = name_hint(name);
                rd_problem(c, SW_SEV_ERROR, SW_ENOENT, "unknown-syscall", npath,
                           false, hint,
                           "\"%s\" is not a system call on any architecture",
                           name);
                free(hint);
        }
        free(npath);
}

/* ------------------------------------------------------------------ */
/* errno                                                               */
/* ------------------------------------------------------------------ */

struct errno_alias {
        const char *name;
        int value;
};

/* Linux spellings strerrorname_np() does not return, and P1.7 names. */
static const struct errno_alias errno_aliases[] = {
        {"EWOULDBLOCK", EWOULDBLOCK},   {"EDEADLOCK", EDEADLOCK},
        {"ENOTSUP", ENOTSUP},           {"ETIMEOUT", ETIMEDOUT},
        {"EINTERNAL", ENOTRECOVERABLE}, {"EPANIC", EOWNERDEAD},
};

#define SW_ERRNO_MAX 4094

int sw_errno_from_name(const char *name)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(errno_aliases); i++)
                if (strcmp(errno_aliases[i].name, name) == 0)
                        return errno_aliases[i].value;
        for (int n = 1; n <= SW_ERRNO_MAX; n++) {
                const char *s = strerrorname_np(n);

                if (s && strcmp(s, name) == 0)
                        return n;
        }
        return -1;
}

static const char *errno_near(const char *name)
{
        const char *cands[256];
        size_t n = 0;

        for (size_t i = 0; i < SW_ARRAY_SIZE(errno_aliases); i++)
                cands[n++] = errno_aliases[i].name;
        for (int e = 1; e < 200 && n < SW_ARRAY_SIZE(cands); e++)
                if (strerrorname_np(e))
                        cands[n++] = strerrorname_np(e);
        return sw_suggest(name, cands, n);
}

static void check_errno(struct rd_ctx *c, struct sw_rule *r, json_t *obj,
                        const char *path, int perm)
{
        json_t *v = json_object_get(obj, "errno");
        char *epath, *hint = NULL;
        const char *s, *near;

        r->err_no = EPERM;
        if (v == NULL)
                return;
        epath = rd_key_path(c, path, "errno");
        if (epath == NULL)
                return;
        r->err_no_given = true;
        if (perm == SW_ALLOW)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "errno-on-allow", epath,
                           true, "remove \"errno\", or make the rule DENY",
                           "errno applies only to DENY and CONDITIONAL "
                           "rules");
        if (json_is_integer(v)) {
                json_int_t n = json_integer_value(v);
                const char *nm = n > 0 && n <= SW_ERRNO_MAX
                                         ? strerrorname_np((int)n)
                                         : NULL;

                hint = nm ? sw_asprintf("write \"%s\"", nm) : NULL;
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "errno", epath, false,
                           hint ? hint : "write a name such as \"EPERM\"",
                           "errno must be a name such as \"EPERM\", not a "
                           "number");
        } else if (!json_is_string(v)) {
                rd_type_error(c, epath, "errno", v,
                              "a string such as \"EPERM\"");
        } else if (strcmp((s = json_string_value(v)), "SUCCESS") == 0) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "errno", epath, false,
                           "use EPERM, or ENOSYS where the caller should fall "
                           "back",
                           "errno SUCCESS would report success for a call "
                           "that never ran");
        } else if ((r->err_no = sw_errno_from_name(s)) < 0) {
                r->err_no = EPERM;
                near = errno_near(s);
                hint = near ? sw_asprintf("write \"%s\"", near) : NULL;
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "errno", epath, false,
                           hint, "\"%s\" is not an errno name", s);
        }
        free(hint);
        free(epath);
}

/* ------------------------------------------------------------------ */
/* Argument filters                                                    */
/* ------------------------------------------------------------------ */

static bool parse_number(const char *s, uint64_t *out)
{
        char *end;

        errno = 0;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                size_t n = strspn(s + 2, "0123456789abcdefABCDEF");
                size_t zeros = strspn(s + 2, "0");

                /* Leading zeros do not count against the 16 digits. */
                if (n == 0 || n - (zeros < n ? zeros : n - 1) > 16 ||
                    s[2 + n] != '\0')
                        return false;
                *out = strtoull(s + 2, NULL, 16);
                return true;
        }
        if (s[0] == '-') {
                long long v = strtoll(s, &end, 10);

                *out = (uint64_t)v;
                return isdigit((unsigned char)s[1]) && errno == 0 &&
                       *end == '\0';
        }
        *out = strtoull(s, &end, 10);
        return isdigit((unsigned char)s[0]) && errno == 0 && *end == '\0';
}

/*
 * A single term that starts (after blanks) like a number is judged as a
 * number, so " 1" is refused like "1 " and "12abc": blanks are allowed
 * only around the '|' of constant expressions.
 */
static bool looks_numeric(const char *s)
{
        s += strspn(s, " \t");
        return (isdigit((unsigned char)*s) || *s == '-') && !strchr(s, '|');
}

static bool parse_value(struct rd_ctx *c, json_t *v, const char *path,
                        const char *key, uint64_t *out)
{
        const char *s, *near;
        char *bad, *hint;

        if (json_is_integer(v)) {
                *out = (uint64_t)json_integer_value(v);
                return true;
        }
        if (!json_is_string(v)) {
                rd_type_error(c, path, key, v,
                              "an integer or a string holding a number");
                return false;
        }
        s = json_string_value(v);
        if (looks_numeric(s)) {
                if (parse_number(s, out))
                        return true;
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "bad-number", path,
                           false,
                           "write a decimal or 0x hex number from "
                           "-9223372036854775808 to 0xffffffffffffffff",
                           "\"%s\" is not a number that fits in 64 bits", s);
                return false;
        }
        if (sw_const_eval(c->wl->arch, s, out, &bad, &near))
                return true;
        if (bad == NULL) {
                c->oom = true;
                return false;
        }
        hint = near ? sw_asprintf("did you mean \"%s\"?", near)
                    : sw_strdup("write a number, or constants such as "
                                "\"O_RDONLY|O_CLOEXEC\"");
        if (*bad == '\0')
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "unknown-constant", path,
                           false, hint, "empty term in \"%s\"", s);
        else
                rd_problem(c, SW_SEV_ERROR, SW_ENOENT, "unknown-constant", path,
                           false, hint, "unknown constant \"%s\" in %s", bad,
                           key);
        free(bad);
        free(hint);
        return false;
}

/* A 32-bit comparison sees the low half: the high half must say nothing. */
static bool fits_32(uint64_t v)
{
        uint64_t hi = v >> 32;

        return hi == 0 || (hi == 0xffffffffu && (v & 0x80000000u));
}

static bool check_index(struct rd_ctx *c, json_t *f, const char *path,
                        struct sw_argf *out)
{
        json_t *v = rd_member(c, f, path, "arg_index", JSON_INTEGER, true,
                              "an integer from 0 to 5");
        char *ipath;

        if (v == NULL)
                return false;
        if (json_integer_value(v) >= 0 && json_integer_value(v) <= 5) {
                out->index = (unsigned)json_integer_value(v);
                return true;
        }
        ipath = rd_key_path(c, path, "arg_index");
        if (ipath)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "arg-index", ipath,
                           false, "system call arguments are numbered 0 to 5",
                           "arg_index must be 0 to 5, not %lld",
                           (long long)json_integer_value(v));
        free(ipath);
        return false;
}

static void check_width(struct rd_ctx *c, json_t *f, const char *path,
                        struct sw_argf *out)
{
        json_t *v =
                rd_member(c, f, path, "width", JSON_INTEGER, false, "32 or 64");
        char *wpath;

        out->width = 64;
        if (v == NULL)
                return;
        out->width_explicit = true;
        if (json_integer_value(v) == 32 || json_integer_value(v) == 64) {
                out->width = (unsigned)json_integer_value(v);
                return;
        }
        wpath = rd_key_path(c, path, "width");
        if (wpath)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "width", wpath, false,
                           "32 compares the low half of the register (int "
                           "arguments), 64 the whole register",
                           "width must be 32 or 64, not %lld",
                           (long long)json_integer_value(v));
        free(wpath);
}

static void check_value_mask(struct rd_ctx *c, json_t *f, const char *path,
                             struct sw_argf *out, int op)
{
        json_t *v = json_object_get(f, "value");
        json_t *m = json_object_get(f, "mask");
        char *vpath = rd_key_path(c, path, "value");
        char *mpath = rd_key_path(c, path, "mask");
        bool vok = false, mok = false;

        if (vpath == NULL || mpath == NULL)
                goto out;
        if (v == NULL)
                rd_missing(c, path, "value", NULL);
        else
                vok = parse_value(c, v, vpath, "value", &out->value);
        if (m == NULL && op == SW_OP_MASKED_EQ)
                rd_missing(c, path, "mask",
                           "masked_eq compares (argument & mask) == value");
        if (m && op >= 0 && op != SW_OP_MASKED_EQ)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "mask-refused", mpath,
                           true,
                           "use \"operator\": \"masked_eq\", or remove "
                           "\"mask\"",
                           "mask is only used with masked_eq");
        if (m)
                mok = parse_value(c, m, mpath, "mask", &out->mask);

        if (out->width == 32 && vok && !fits_32(out->value))
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "width", vpath, false,
                           "use width 64, or a value below 2^32",
                           "value 0x%llx does not fit in 32 bits (width 32)",
                           (unsigned long long)out->value);
        if (out->width == 32 && mok && !fits_32(out->mask))
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "width", mpath, false,
                           "use width 64, or a mask below 2^32",
                           "mask 0x%llx does not fit in 32 bits (width 32)",
                           (unsigned long long)out->mask);
        if (op == SW_OP_MASKED_EQ && vok && mok && (out->value & ~out->mask))
                rd_problem(c, rd_lint_severity(c), SW_EPROTO,
                           "mask-never-matches", vpath, false,
                           "clear the value's bits that are not in the mask",
                           "value 0x%llx has bits outside mask 0x%llx: the "
                           "condition can never hold",
                           (unsigned long long)out->value,
                           (unsigned long long)out->mask);
out:
        free(vpath);
        free(mpath);
}

static void check_filter(struct rd_ctx *c, json_t *f, const char *path,
                         struct sw_argf *out)
{
        json_t *v;
        char *opath;
        int op = -1;

        set_pos(c, &out->pos, path);
        if (!is_object(c, f, path, "an argument filter"))
                return;
        rd_unknown_fields(c, f, path, filter_fields,
                          SW_ARRAY_SIZE(filter_fields));
        check_index(c, f, path, out);
        v = rd_member(c, f, path, "operator", JSON_STRING, true,
                      "a string such as \"eq\"");
        opath = rd_key_path(c, path, "operator");
        if (v && opath)
                op = rd_enum(c, v, opath, "operator", operators,
                             SW_ARRAY_SIZE(operators));
        free(opath);
        out->op = op >= 0 ? (enum sw_op)op : SW_OP_EQ;
        check_width(c, f, path, out);
        check_value_mask(c, f, path, out, op);
}

/* ------------------------------------------------------------------ */
/* Port restrictions                                                   */
/* ------------------------------------------------------------------ */

static int by_port(const void *a, const void *b)
{
        return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void check_port_list(struct rd_ctx *c, json_t *pr, const char *path,
                            struct sw_ports *out)
{
        json_t *arr = rd_member(c, pr, path, "allowed_ports", JSON_ARRAY, true,
                                "an array of port numbers");
        bool seen[65536] = {false};
        size_t i;
        json_t *p;

        if (arr == NULL)
                return;
        if (json_array_size(arr) == 0) {
                char *apath = rd_key_path(c, path, "allowed_ports");

                if (apath)
                        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "ports", apath,
                                   false, "list at least one port",
                                   "allowed_ports is empty");
                free(apath);
                return;
        }
        out->ports = calloc(json_array_size(arr), sizeof(*out->ports));
        if (out->ports == NULL) {
                c->oom = true;
                return;
        }
        json_array_foreach(arr, i, p)
        {
                char *base = rd_key_path(c, path, "allowed_ports");
                char *ppath = base ? rd_index_path(c, base, i) : NULL;
                json_int_t n = json_integer_value(p);

                free(base);
                if (ppath == NULL)
                        return;
                if (!json_is_integer(p))
                        rd_type_error(c, ppath, "allowed_ports", p,
                                      "an array of integers");
                else if (n < 1 || n > 65535)
                        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "ports", ppath,
                                   false, NULL, "port %lld is outside 1-65535",
                                   (long long)n);
                else if (seen[n])
                        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "ports", ppath,
                                   false, "remove the repeated port",
                                   "port %lld is listed twice", (long long)n);
                else
                        out->ports[out->count++] = (uint16_t)n;
                if (json_is_integer(p) && n >= 1 && n <= 65535)
                        seen[n] = true;
                free(ppath);
        }
        qsort(out->ports, out->count, sizeof(*out->ports), by_port);
}

static void check_families(struct rd_ctx *c, json_t *pr, const char *path,
                           struct sw_ports *out)
{
        json_t *arr = rd_member(c, pr, path, "allowed_families", JSON_ARRAY,
                                false, "an array of family names");
        size_t i;
        json_t *f;

        json_array_foreach(arr, i, f)
        {
                char *base = rd_key_path(c, path, "allowed_families");
                char *fpath = base ? rd_index_path(c, base, i) : NULL;
                int k = -1;

                free(base);
                if (fpath == NULL)
                        return;
                if (!json_is_string(f))
                        rd_type_error(c, fpath, "allowed_families", f,
                                      "an array of \"AF_UNIX\" or "
                                      "\"AF_NETLINK\"");
                else
                        k = rd_enum(c, f, fpath, "allowed_families", families,
                                    SW_ARRAY_SIZE(families));
                if (k == 0)
                        out->families |= SW_FAM_UNIX;
                else if (k == 1)
                        out->families |= SW_FAM_NETLINK;
                free(fpath);
        }
}

static const char *const port_calls[] = {"connect", "bind", "sendto", "sendmsg",
                                         "sendmmsg"};

static void check_port_call(struct rd_ctx *c, const struct sw_rule *r,
                            const char *path, const struct sw_ports *p)
{
        if (r->name == NULL || *r->name == '\0')
                return;
        for (size_t i = 0; i < SW_ARRAY_SIZE(port_calls); i++)
                if (strcmp(r->name, port_calls[i]) == 0)
                        return;
        if (strcmp(r->name, "socket") == 0) {
                rd_problem(c, rd_lint_severity(c), SW_EPROTO, "port-on-socket",
                           path, true,
                           "put the port restriction on connect (and "
                           "sendto/sendmsg for UDP), and filter socket by "
                           "address family with an argument_filter",
                           "socket carries no address: here the port "
                           "restriction means every socket created may only "
                           "reach port%s %u%s, enforced on connect, sendto, "
                           "sendmsg and sendmmsg (see `syswall check --net`)",
                           p->count == 1 ? "" : "s", p->count ? p->ports[0] : 0,
                           p->count > 1 ? " and the others listed" : "");
                return;
        }
        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "port-call", path, true,
                   "port restrictions apply to connect, bind, sendto, "
                   "sendmsg, sendmmsg and socket",
                   "%s carries no socket address, so a port restriction "
                   "cannot apply to it",
                   r->name);
}

/*
 * A port restriction on connect refuses every family without ports
 * (spec section 3), which is right and still surprises: D-Bus, syslog
 * and nscd clients connect to AF_UNIX sockets (bh-25).  A note, not a
 * warning: a TCP-only client (the shipped example) is right as written.
 */
static void check_portless(struct rd_ctx *c, const struct sw_rule *r,
                           json_t *pr, const char *path,
                           const struct sw_ports *ports)
{
        if (r->name == NULL || strcmp(r->name, "connect") != 0 ||
            ports->families != 0 ||
            json_object_get(pr, "allowed_families") != NULL)
                return;
        rd_problem(c, SW_SEV_NOTE, SW_EPROTO, "port-families", path, false,
                   "if the program talks to local services, add "
                   "\"allowed_families\": [\"AF_UNIX\"]",
                   "AF_UNIX and other families without ports will be refused "
                   "by this connect rule: D-Bus, syslog and nscd clients "
                   "fail with EACCES");
}

static void check_ports(struct rd_ctx *c, struct sw_rule *r, json_t *pr,
                        const char *path, struct sw_cond *out)
{
        out->ports = calloc(1, sizeof(*out->ports));
        if (out->ports == NULL) {
                c->oom = true;
                return;
        }
        set_pos(c, &out->ports->pos, path);
        if (!is_object(c, pr, path, "port_restriction"))
                return;
        c->wl->has_ports = true;
        rd_unknown_fields(c, pr, path, port_fields, SW_ARRAY_SIZE(port_fields));
        check_port_list(c, pr, path, out->ports);
        check_families(c, pr, path, out->ports);
        rd_member(c, pr, path, "description", JSON_STRING, false, "a string");
        check_port_call(c, r, path, out->ports);
        check_portless(c, r, pr, path, out->ports);
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */
/* ------------------------------------------------------------------ */

static void check_filters(struct rd_ctx *c, json_t *af, const char *path,
                          struct sw_cond *out)
{
        size_t n = json_is_array(af) ? json_array_size(af) : 1;

        if (!json_is_object(af) && !json_is_array(af)) {
                rd_type_error(c, path, "argument_filter", af,
                              "an object or an array of objects");
                return;
        }
        if (n == 0) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "empty-filter", path,
                           false, "add a filter or remove argument_filter",
                           "argument_filter is an empty array");
                return;
        }
        out->args = calloc(n, sizeof(*out->args));
        if (out->args == NULL) {
                c->oom = true;
                return;
        }
        for (size_t i = 0; i < n && !c->oom; i++) {
                char *fpath = json_is_array(af) ? rd_index_path(c, path, i)
                                                : sw_strdup(path);

                if (fpath == NULL) {
                        c->oom = true;
                        return;
                }
                check_filter(c, json_is_array(af) ? json_array_get(af, i) : af,
                             fpath, &out->args[out->nargs++]);
                free(fpath);
        }
}

static void check_condition(struct rd_ctx *c, struct sw_rule *r, json_t *cj,
                            const char *path, struct sw_cond *out)
{
        json_t *af, *pr, *d;
        char *sub;

        set_pos(c, &out->pos, path);
        if (!is_object(c, cj, path, "a condition"))
                return;
        rd_unknown_fields(c, cj, path, cond_fields, SW_ARRAY_SIZE(cond_fields));
        d = rd_member(c, cj, path, "description", JSON_STRING, true,
                      "a string");
        if (d)
                out->description = rd_strdup(c, json_string_value(d));
        af = json_object_get(cj, "argument_filter");
        pr = json_object_get(cj, "port_restriction");
        if (af == NULL && pr == NULL) {
                const char *k = near_miss(cj, "argument_filter", cond_fields,
                                          SW_ARRAY_SIZE(cond_fields));
                const char *p = near_miss(cj, "port_restriction", cond_fields,
                                          SW_ARRAY_SIZE(cond_fields));

                if ((k || p) && (sub = rd_key_path(c, path, k ? k : p))) {
                        if (k)
                                check_filters(c, json_object_get(cj, k), sub,
                                              out);
                        else
                                check_ports(c, r, json_object_get(cj, p), sub,
                                            out);
                        free(sub);
                }
        }
        if (af == NULL && pr == NULL)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "empty-condition", path,
                           false,
                           "add \"argument_filter\" or \"port_restriction\"",
                           "a condition needs argument_filter or "
                           "port_restriction");
        if (af && (sub = rd_key_path(c, path, "argument_filter"))) {
                check_filters(c, af, sub, out);
                free(sub);
        }
        if (pr && (sub = rd_key_path(c, path, "port_restriction"))) {
                check_ports(c, r, pr, sub, out);
                free(sub);
        }
}

static void check_conditions(struct rd_ctx *c, struct sw_rule *r, json_t *obj,
                             const char *path, int perm)
{
        const char *key = "conditions";
        json_t *v = json_object_get(obj, key);
        char *cpath;
        size_t n;

        if (v == NULL) {
                if (perm == SW_CONDITIONAL)
                        rd_missing(c, path, "conditions",
                                   "a CONDITIONAL rule says when the call is "
                                   "allowed");
                key = near_miss(obj, "conditions", rule_fields,
                                SW_ARRAY_SIZE(rule_fields));
                v = key ? json_object_get(obj, key) : NULL;
                if (v == NULL)
                        return;
        }
        cpath = rd_key_path(c, path, key);
        if (cpath == NULL)
                return;
        if (perm >= 0 && perm != SW_CONDITIONAL)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "conditions-refused",
                           cpath, true,
                           "make the rule \"CONDITIONAL\", or remove "
                           "\"conditions\"",
                           "conditions are only for CONDITIONAL rules, this "
                           "rule is %s",
                           permissions[perm]);
        n = json_is_array(v) ? json_array_size(v) : 1;
        if (!json_is_object(v) && !json_is_array(v)) {
                rd_type_error(c, cpath, "conditions", v,
                              "an object or an array of objects");
        } else if (n == 0) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "empty-conditions",
                           cpath, false,
                           "add a condition, or make the rule ALLOW or DENY",
                           "conditions is an empty array");
        } else if ((r->conds = calloc(n, sizeof(*r->conds))) == NULL) {
                c->oom = true;
        } else {
                for (size_t i = 0; i < n && !c->oom; i++) {
                        char *p = json_is_array(v) ? rd_index_path(c, cpath, i)
                                                   : rd_strdup(c, cpath);

                        if (p == NULL)
                                break;
                        check_condition(c, r,
                                        json_is_array(v) ? json_array_get(v, i)
                                                         : v,
                                        p, &r->conds[r->nconds++]);
                        free(p);
                }
        }
        free(cpath);
}

/* ------------------------------------------------------------------ */
/* The rule                                                            */
/* ------------------------------------------------------------------ */

static int check_word(struct rd_ctx *c, json_t *obj, const char *path,
                      const char *key, const char *const *words, size_t n,
                      bool required)
{
        json_t *v =
                rd_member(c, obj, path, key, JSON_STRING, required, "a string");
        char *kpath;
        int k;

        if (v == NULL)
                return -1;
        kpath = rd_key_path(c, path, key);
        if (kpath == NULL)
                return -1;
        k = rd_enum(c, v, kpath, key, words, n);
        free(kpath);
        return k;
}

void rd_check_rule(struct rd_ctx *c, json_t *rj, size_t i)
{
        struct sw_rule *r = &c->wl->rules[c->wl->nrules++];
        char *path = rd_index_path(c, c->rules_key, i);
        json_t *v;
        int perm, cat;

        r->nr = -1;
        r->category = SW_CAT_NONE;
        r->err_no = EPERM;
        if (path == NULL)
                return;
        set_pos(c, &r->pos, path);
        if (!is_object(c, rj, path, "a rule")) {
                free(path);
                return;
        }
        rd_unknown_fields(c, rj, path, rule_fields, SW_ARRAY_SIZE(rule_fields));
        check_name(c, r, rj, path);
        perm = check_word(c, rj, path, "permission", permissions,
                          SW_ARRAY_SIZE(permissions), true);
        r->perm = perm >= 0 ? (sw_permission)perm : SW_DENY;
        cat = check_word(c, rj, path, "category", categories,
                         SW_ARRAY_SIZE(categories), false);
        r->category = cat >= 0 ? (enum sw_category)cat : SW_CAT_NONE;
        v = rd_member(c, rj, path, "tokio_required", JSON_TRUE, false,
                      "true or false");
        r->tokio = json_is_true(v);
        v = rd_member(c, rj, path, "description", JSON_STRING, false,
                      "a string");
        r->description = v ? rd_strdup(c, json_string_value(v)) : NULL;
        check_errno(c, r, rj, path, perm);
        check_conditions(c, r, rj, path, perm);
        free(path);
}

/* ------------------------------------------------------------------ */
/* Duplicates                                                          */
/* ------------------------------------------------------------------ */

static int by_name_then_index(const void *a, const void *b, void *ctx)
{
        const struct sw_rule *sort_rules = ctx;
        size_t x = *(const size_t *)a, y = *(const size_t *)b;
        int c = strcmp(sort_rules[x].name, sort_rules[y].name);

        return c ? c : (x < y ? -1 : 1);
}

static int by_number_then_index(const void *a, const void *b, void *ctx)
{
        const struct sw_rule *sort_rules = ctx;
        size_t x = *(const size_t *)a, y = *(const size_t *)b;

        if (sort_rules[x].nr != sort_rules[y].nr)
                return sort_rules[x].nr < sort_rules[y].nr ? -1 : 1;
        return x < y ? -1 : 1;
}

/* Indices of the rules that pass keep(), sorted with cmp. */
static size_t *sorted(struct rd_ctx *c, bool by_number, size_t *n)
{
        const sw_whitelist *wl = c->wl;
        size_t *idx = calloc(wl->nrules ? wl->nrules : 1, sizeof(*idx));

        *n = 0;
        if (idx == NULL) {
                c->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < wl->nrules; i++) {
                if (wl->rules[i].name == NULL || !*wl->rules[i].name)
                        continue;
                if (by_number && wl->rules[i].nr < 0)
                        continue;
                idx[(*n)++] = i;
        }

        qsort_r(idx, *n, sizeof(*idx),
                by_number ? by_number_then_index : by_name_then_index,
                wl->rules);
        return idx;
}

static void duplicate(struct rd_ctx *c, const struct sw_rule *first,
                      const struct sw_rule *again, bool by_number)
{
        char *path = rd_key_path(c, again->pos.path, "name");

        if (path == NULL)
                return;
        if (by_number)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "duplicate-syscall",
                           path, false, "keep one rule for the call",
                           "\"%s\" is the same system call as \"%s\" (%s, "
                           "line %u): number %d on %s",
                           again->name, first->name, first->pos.path,
                           first->pos.line, again->nr,
                           sw_arch_name(c->wl->arch));
        else
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "duplicate-syscall",
                           path, false,
                           "merge the two rules: which one would win is not "
                           "obvious to a reader",
                           "\"%s\" is listed twice (first at %s, line %u)",
                           again->name, first->pos.path, first->pos.line);
        free(path);
}

void rd_check_duplicates(struct rd_ctx *c)
{
        const struct sw_rule *rules = c->wl->rules;

        for (int pass = 0; pass < 2; pass++) {
                size_t n, *idx = sorted(c, pass == 1, &n);

                for (size_t i = 1; idx && i < n; i++) {
                        const struct sw_rule *a = &rules[idx[i - 1]];
                        const struct sw_rule *b = &rules[idx[i]];
                        bool same_name = strcmp(a->name, b->name) == 0;

                        if (pass == 0 && same_name)
                                duplicate(c, a, b, false);
                        else if (pass == 1 && a->nr == b->nr && !same_name)
                                duplicate(c, a, b, true);
                }
                free(idx);
        }
}
