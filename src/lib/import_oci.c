/*
 * import_oci.c - read a Docker, Podman or OCI runtime-spec seccomp
 * profile, evaluated the way Docker evaluates it for one target: the
 * entries an architecture, capability or kernel condition leaves out are
 * skipped, the rest become per-name entries for interop.c.
 *
 * Two args comparing the same index in one entry: libseccomp would AND
 * them, but runc (libcontainer/seccomp, "hasMultipleArgs") and crun load
 * each comparison of such an entry as a rule of its own, so the profile
 * as every runtime enforces it ORs them.  The import follows the
 * runtimes and says so.
 */
#include "interop.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/* Docker's default capability set (moby oci/caps/defaults.go). */
static const char *const docker_caps[] = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_FSETID",
        "CAP_FOWNER",
        "CAP_MKNOD",
        "CAP_NET_RAW",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETFCAP",
        "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT",
        "CAP_KILL",
        "CAP_AUDIT_WRITE",
};

/* What one import is evaluated against. */
struct target {
        uint32_t arch;
        const char *goarch[2]; /* names profiles use in includes.arches */
        const char *caps;      /* NULL = Docker's default set */
        bool all_caps;
        unsigned kmajor, kminor;
};

static const struct {
        const char *arch, *go, *alt;
} goarchs[] = {
        {"x86_64", "amd64", NULL},    {"x86", "386", "x86"},
        {"aarch64", "arm64", NULL},   {"arm", "arm", NULL},
        {"x32", "x32", NULL},         {"riscv64", "riscv64", NULL},
        {"ppc64le", "ppc64le", NULL}, {"s390x", "s390x", NULL},
};

static void parse_kernel(const char *v, unsigned *major, unsigned *minor)
{
        *major = (unsigned)strtoul(v, (char **)&v, 10);
        *minor = *v == '.' ? (unsigned)strtoul(v + 1, NULL, 10) : 0;
}

static void target_init(struct target *t, const sw_import_options *o,
                        uint32_t arch)
{
        struct utsname u;

        memset(t, 0, sizeof(*t));
        t->arch = arch;
        for (size_t i = 0; i < SW_ARRAY_SIZE(goarchs); i++) {
                if (strcmp(goarchs[i].arch, sw_arch_name(arch)) == 0) {
                        t->goarch[0] = goarchs[i].go;
                        t->goarch[1] = goarchs[i].alt;
                }
        }
        t->caps = o->caps;
        t->all_caps = o->caps && strcasecmp(o->caps, "all") == 0;
        if (o->kernel)
                parse_kernel(o->kernel, &t->kmajor, &t->kminor);
        else if (uname(&u) == 0)
                parse_kernel(u.release, &t->kmajor, &t->kminor);
}

/* "CAP_SYS_ADMIN" and "sys_admin" name the same capability. */
static bool cap_equal(const char *a, size_t alen, const char *b)
{
        if (alen >= 4 && strncasecmp(a, "CAP_", 4) == 0) {
                a += 4;
                alen -= 4;
        }
        if (strncasecmp(b, "CAP_", 4) == 0)
                b += 4;
        return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

static bool has_cap(const struct target *t, const char *cap)
{
        const char *s = t->caps;

        if (t->all_caps)
                return true;
        if (s == NULL) {
                for (size_t i = 0; i < SW_ARRAY_SIZE(docker_caps); i++)
                        if (cap_equal(docker_caps[i], strlen(docker_caps[i]),
                                      cap))
                                return true;
                return false;
        }
        while (*s) {
                size_t len = strcspn(s, ",");

                if (cap_equal(s, len, cap))
                        return true;
                s += len + (s[len] == ',');
        }
        return false;
}

static bool has_arch(const struct target *t, json_t *arches)
{
        size_t i;
        json_t *a;

        json_array_foreach(arches, i, a)
        {
                const char *s = json_string_value(a);

                for (int k = 0; s && k < 2; k++)
                        if (t->goarch[k] && strcmp(s, t->goarch[k]) == 0)
                                return true;
        }
        return false;
}

/* True when the kernel is at least the version a string names. */
static bool kernel_at_least(const struct target *t, json_t *v)
{
        unsigned major, minor;

        if (!json_is_string(v))
                return true;
        parse_kernel(json_string_value(v), &major, &minor);
        return t->kmajor > major || (t->kmajor == major && t->kminor >= minor);
}

/* Docker's rules: an entry applies unless a condition leaves it out. */
static const char *skip_reason(const struct target *t, json_t *entry)
{
        json_t *inc = json_object_get(entry, "includes");
        json_t *exc = json_object_get(entry, "excludes");
        json_t *caps, *c;
        size_t i;

        if (json_array_size(json_object_get(exc, "arches")) &&
            has_arch(t, json_object_get(exc, "arches")))
                return "excluded on this architecture";
        caps = json_object_get(exc, "caps");
        json_array_foreach(caps, i, c) if (
                json_is_string(c) &&
                has_cap(t,
                        json_string_value(
                                c))) return "excluded when the container has one of "
                                            "excludes.caps";
        if (json_object_get(exc, "minKernel") &&
            kernel_at_least(t, json_object_get(exc, "minKernel")))
                return "excluded from this kernel version on";
        if (json_array_size(json_object_get(inc, "arches")) &&
            !has_arch(t, json_object_get(inc, "arches")))
                return "only for other architectures";
        caps = json_object_get(inc, "caps");
        json_array_foreach(caps, i, c) if (
                json_is_string(c) &&
                !has_cap(
                        t,
                        json_string_value(
                                c))) return "needs a capability the container lacks";
        if (json_object_get(inc, "minKernel") &&
            !kernel_at_least(t, json_object_get(inc, "minKernel")))
                return "needs a newer kernel";
        return NULL;
}

static sw_code bad(sw_error **err, const char *path, const char *where,
                   const char *msg)
{
        return sw_fail_at(err, SW_EPROTO, path, 0, 0, where, NULL, "%s", msg);
}

/* An action name into what P1.2 can do, with a warning where it differs. */
static bool map_action(const char *name, json_t *errno_ret, struct ix_entry *e,
                       sw_report *rep, const char *where)
{
        const char *why = NULL;

        e->err_no = 0;
        if (name == NULL)
                return false;
        if (strcmp(name, "SCMP_ACT_ALLOW") == 0) {
                e->action = IX_ALLOW;
        } else if (strcmp(name, "SCMP_ACT_ERRNO") == 0) {
                e->action = IX_ERRNO;
                e->err_no = json_is_integer(errno_ret)
                                    ? (int)json_integer_value(errno_ret)
                                    : EPERM;
                if (e->err_no <= 0 || !ix_errno_name(e->err_no)) {
                        why = "an errno of 0 or unknown (the call would "
                              "report success without running) is written "
                              "as EPERM";
                        e->err_no = EPERM;
                }
        } else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0) {
                e->action = IX_KILL;
        } else if (strcmp(name, "SCMP_ACT_KILL") == 0 ||
                   strcmp(name, "SCMP_ACT_KILL_THREAD") == 0) {
                e->action = IX_KILL;
                why = "kills the thread; P1.2 kills the whole process";
        } else if (strcmp(name, "SCMP_ACT_TRAP") == 0) {
                e->action = IX_KILL;
                why = "sends a catchable SIGSYS; P1.2 kills the process";
        } else if (strcmp(name, "SCMP_ACT_LOG") == 0) {
                e->action = IX_ALLOW;
                why = "allows and logs; P1.2 allows without logging";
        } else if (strcmp(name, "SCMP_ACT_TRACE") == 0 ||
                   strcmp(name, "SCMP_ACT_NOTIFY") == 0) {
                e->action = IX_ERRNO;
                e->err_no = ENOSYS;
                why = "hands the call to a tracer or supervisor, which P1.2 "
                      "has not; it fails with ENOSYS as it does when none "
                      "is attached";
        } else {
                return false;
        }
        if (why)
                sw_report_add(rep, SW_SEV_WARNING, SW_EPROTO, "import-action",
                              0, 0, where, NULL, "%s %s", name, why);
        return true;
}

static const struct {
        const char *name;
        enum sw_op op;
} ops[] = {
        {"SCMP_CMP_EQ", SW_OP_EQ},
        {"SCMP_CMP_NE", SW_OP_NE},
        {"SCMP_CMP_GT", SW_OP_GT},
        {"SCMP_CMP_LT", SW_OP_LT},
        {"SCMP_CMP_GE", SW_OP_GE},
        {"SCMP_CMP_LE", SW_OP_LE},
        {"SCMP_CMP_MASKED_EQ", SW_OP_MASKED_EQ},
};

/* A JSON number as the unsigned 64-bit value libseccomp would use. */
static uint64_t u64_of(json_t *v)
{
        if (json_is_integer(v))
                return (uint64_t)json_integer_value(v);
        if (json_is_string(v))
                return strtoull(json_string_value(v), NULL, 0);
        if (json_is_real(v))
                return (uint64_t)json_real_value(v);
        return 0;
}

static bool parse_arg(json_t *a, struct ix_cmp *c)
{
        const char *op = json_string_value(json_object_get(a, "op"));
        json_t *idx = json_object_get(a, "index");

        if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
            json_integer_value(idx) > 5 || op == NULL)
                return false;
        c->index = (unsigned)json_integer_value(idx);
        c->width = 64;
        c->mask = 0;
        c->value = u64_of(json_object_get(a, "value"));
        for (size_t i = 0; i < SW_ARRAY_SIZE(ops); i++) {
                if (strcmp(op, ops[i].name) != 0)
                        continue;
                c->op = ops[i].op;

                /* For MASKED_EQ libseccomp reads value as the mask. */
                if (c->op == SW_OP_MASKED_EQ) {
                        c->mask = c->value;
                        c->value = u64_of(json_object_get(a, "valueTwo"));
                }
                return true;
        }
        return false;
}

static bool repeated_index(const struct ix_cmp *cmps, size_t n)
{
        for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++)
                        if (cmps[i].index == cmps[j].index)
                                return true;
        return false;
}

struct reader {
        const char *file;
        struct ix_profile *p;
        sw_report *rep;
        sw_error **err;
};

/* Add entry e for every name of a syscalls[] element. */
static sw_code add_names(struct reader *r, json_t *entry, struct ix_entry *e,
                         const char *where)
{
        json_t *names = json_object_get(entry, "names");
        json_t *one = json_object_get(entry, "name");
        size_t i;
        json_t *n;

        if (json_is_string(one) &&
            !ix_profile_add(r->p, json_string_value(one), e, r->rep, where))
                return sw_fail(r->err, SW_EINTERNAL, "out of memory");
        json_array_foreach(names, i, n)
        {
                char *at = sw_asprintf("%s.names[%zu]", where, i);
                bool ok = at && json_is_string(n);

                if (ok)
                        ok = ix_profile_add(r->p, json_string_value(n), e,
                                            r->rep, at);
                free(at);
                if (!ok)
                        return json_is_string(n) ? sw_fail(r->err, SW_EINTERNAL,
                                                           "out of memory")
                                                 : bad(r->err, r->file, where,
                                                       "names must be strings");
        }
        return SW_SUCCESS;
}

/*
 * Add e, or, when two of its comparisons share an index, one entry per
 * comparison as runc and crun load it.
 */
static sw_code add_entry(struct reader *r, json_t *entry, struct ix_entry *e,
                         const char *where)
{
        struct ix_cmp *cmps = e->cmps;
        size_t n = e->ncmps;
        sw_code rc = SW_SUCCESS;

        if (!repeated_index(cmps, n))
                return add_names(r, entry, e, where);

        sw_report_add(r->rep, SW_SEV_WARNING, SW_EPROTO, "import-same-index", 0,
                      0, where, NULL,
                      "two args compare the same index: libseccomp would "
                      "require all of them, but runc and crun load each as a "
                      "rule of its own, so any one of them allows the call; "
                      "imported as the runtimes enforce it (one condition "
                      "per arg)");
        e->ncmps = 1;
        for (size_t i = 0; i < n && rc == SW_SUCCESS; i++) {
                e->cmps = &cmps[i];
                rc = add_names(r, entry, e, where);
        }
        e->cmps = cmps;
        e->ncmps = n;
        return rc;
}

static sw_code read_entry(struct reader *r, json_t *entry, size_t idx,
                          const struct target *t)
{
        struct ix_entry e = {0};
        json_t *args = json_object_get(entry, "args");
        const char *why = skip_reason(t, entry);
        char where[48];
        sw_code rc;
        size_t i;
        json_t *a;

        snprintf(where, sizeof(where), "syscalls[%zu]", idx);
        if (!json_is_object(entry))
                return bad(r->err, r->file, where, "not an object");
        if (why) {
                sw_report_add(r->rep, SW_SEV_NOTE, SW_SUCCESS, "import-skipped",
                              0, 0, where, NULL, "skipped: %s", why);
                return SW_SUCCESS;
        }
        if (!map_action(json_string_value(json_object_get(entry, "action")),
                        json_object_get(entry, "errnoRet"), &e, r->rep, where))
                return bad(r->err, r->file, where, "unknown or missing action");

        e.cmps = calloc(json_array_size(args) + 1, sizeof(*e.cmps));
        e.path = sw_strdup(where);
        if (json_is_string(json_object_get(entry, "comment")) &&
            *json_string_value(json_object_get(entry, "comment")))
                e.comment = sw_strdup(
                        json_string_value(json_object_get(entry, "comment")));
        if (e.cmps == NULL || e.path == NULL) {
                ix_entry_clear(&e);
                return sw_fail(r->err, SW_EINTERNAL, "out of memory");
        }
        json_array_foreach(args, i, a)
        {
                if (!parse_arg(a, &e.cmps[e.ncmps++])) {
                        ix_entry_clear(&e);
                        return bad(r->err, r->file, where,
                                   "an arg needs index 0-5 and a known op");
                }
        }
        rc = add_entry(r, entry, &e, where);
        ix_entry_clear(&e);
        return rc;
}

static sw_code read_default(struct reader *r, json_t *root)
{
        struct ix_entry e = {0};

        if (!map_action(
                    json_string_value(json_object_get(root, "defaultAction")),
                    json_object_get(root, "defaultErrnoRet"), &e, r->rep,
                    "defaultAction"))
                return bad(r->err, r->file, "defaultAction",
                           "unknown or missing defaultAction");
        r->p->default_action = e.action;
        r->p->default_errno = e.err_no;
        if (json_object_get(root, "defaultErrno"))
                sw_report_add(r->rep, SW_SEV_NOTE, SW_SUCCESS, "import-ignored",
                              0, 0, "defaultErrno", NULL,
                              "defaultErrno is no OCI field (runtimes read "
                              "defaultErrnoRet); ignored");
        return SW_SUCCESS;
}

/* Foreign ABIs the profile lets through, which P1.2 always kills. */
/* "SCMP_ARCH_X86_64" for x86_64: how OCI names the target. */
static void scmp_arch(uint32_t arch, char *buf, size_t size)
{
        snprintf(buf, size, "SCMP_ARCH_%s", sw_arch_name(arch));
        for (char *c = buf; *c; c++)
                *c = (char)toupper((unsigned char)*c);
}

/* Foreign ABIs the profile lets through, which P1.2 always kills. */
static void note_subarches(struct reader *r, json_t *root)
{
        json_t *map = json_object_get(root, "archMap"), *m;
        json_t *arches = json_object_get(root, "architectures");
        bool foreign = false;
        char want[32];
        size_t i;

        scmp_arch(r->p->arch, want, sizeof(want));
        json_array_foreach(map, i, m)
        {
                const char *a =
                        json_string_value(json_object_get(m, "architecture"));

                foreign |=
                        a && strcmp(a, want) == 0 &&
                        json_array_size(json_object_get(m, "subArchitectures"));
        }
        json_array_foreach(arches, i, m)
        {
                const char *a = json_string_value(m);

                foreign |= a && strcmp(a, want) != 0;
        }
        if (foreign)
                sw_report_add(
                        r->rep, SW_SEV_WARNING, SW_EPROTO, "import-subarch", 0,
                        0, json_array_size(map) ? "archMap" : "architectures",
                        NULL,
                        "the profile also lets the target's foreign "
                        "ABIs run under the same rules; P1.2 kills "
                        "every call from a foreign ABI");
}

/* Fields that change what a runtime does but have no P1.2 meaning. */
static void note_ignored(struct reader *r, json_t *root)
{
        static const char *const known[] = {
                "defaultAction", "defaultErrnoRet", "defaultErrno",
                "archMap",       "architectures",   "syscalls",
        };
        const char *key;
        json_t *v;

        json_object_foreach(root, key, v)
        {
                bool k = false;

                for (size_t i = 0; i < SW_ARRAY_SIZE(known); i++)
                        k |= strcmp(key, known[i]) == 0;
                if (!k)
                        sw_report_add(r->rep, SW_SEV_WARNING, SW_EPROTO,
                                      "import-ignored", 0, 0, key, NULL,
                                      "%s has no P1.2 equivalent (seccomp "
                                      "flags, a notification listener); "
                                      "ignored",
                                      key);
        }
}

static json_t *oci_metadata(const char *path, const struct target *t,
                            const sw_import_options *o)
{
        json_t *m = ix_metadata(path, "oci", t->arch);
        char kernel[32];

        snprintf(kernel, sizeof(kernel), "%u.%u", t->kmajor, t->kminor);
        if (m) {
                json_object_set_new(
                        m, "import_caps",
                        json_string(o->caps ? o->caps : "docker-default"));
                json_object_set_new(m, "import_kernel", json_string(kernel));
        }
        return m;
}

sw_code ix_import_oci(json_t *root, const char *path,
                      const sw_import_options *opts, uint32_t arch,
                      sw_import *imp, sw_report *rep, sw_error **err)
{
        struct ix_profile p = {.arch = arch, .format = "oci", .source = path};
        struct reader r = {path, &p, rep, err};
        json_t *calls = json_object_get(root, "syscalls"), *meta, *e;
        struct target t;
        char *id;
        size_t i;
        sw_code rc;

        p.unlisted_kill = opts->unlisted_kill;
        target_init(&t, opts, arch);
        if (!json_is_object(root))
                return bad(err, path, "", "an OCI profile is a JSON object");
        rc = read_default(&r, root);
        note_subarches(&r, root);
        note_ignored(&r, root);
        json_array_foreach(calls, i, e)
        {
                if (rc != SW_SUCCESS)
                        break;
                rc = read_entry(&r, e, i, &t);
        }

        id = opts->id ? sw_strdup(opts->id) : ix_id_from_path(path, NULL);
        meta = oci_metadata(path, &t, opts);
        return ix_import_finish(imp, NULL, &p, id, meta, opts->authority, rc,
                                rep, err);
}
