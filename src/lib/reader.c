/*
 * reader.c - check a whitelist document against the format (spec
 * sections 1, 2, 3 and 5) and fill the policy model.
 *
 * Every problem is reported, not only the first: a check that fails
 * records a diagnostic and the walk goes on with the next field.  The
 * model is filled as far as the document allows; the caller only gets
 * it when no error was found.
 */
#include "reader.h"

#include <ctype.h>
#include <seccomp.h>
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

void rd_problem(struct rd_ctx *c, sw_severity sev, sw_code code,
                const char *check, const char *path, bool at_key,
                const char *hint, const char *fmt, ...)
{
        unsigned line, col;
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        if (msg == NULL) {
                c->oom = true;
                return;
        }
        sw_doc_where(c->doc, path, at_key, &line, &col);
        sw_report_add(c->rep, sev, code, check, line, col, path, hint, "%s",
                      msg);
        free(msg);
}

/* Severity of what strict mode turns into an error. */
sw_severity rd_lint_severity(const struct rd_ctx *c)
{
        return c->cfg->strict ? SW_SEV_ERROR : SW_SEV_WARNING;
}

char *rd_key_path(struct rd_ctx *c, const char *base, const char *key)
{
        char *p = sw_path_key(base, key);

        if (p == NULL)
                c->oom = true;
        return p;
}

char *rd_strdup(struct rd_ctx *c, const char *s)
{
        char *p = sw_strdup(s);

        if (p == NULL && s != NULL)
                c->oom = true;
        return p;
}

char *rd_index_path(struct rd_ctx *c, const char *base, size_t i)
{
        char *p = sw_asprintf("%s[%zu]", base, i);

        if (p == NULL)
                c->oom = true;
        return p;
}

static const char *type_name(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
                return "an integer";
        case JSON_REAL:
                return "a number with a fraction or an exponent (no "
                       "integer)";
        case JSON_TRUE:
        case JSON_FALSE:
                return "true or false";
        case JSON_NULL:
                return "null";
        }
        return "a value";
}

void rd_type_error(struct rd_ctx *c, const char *path, const char *key,
                   const json_t *v, const char *want)
{
        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "type", path, false, NULL,
                   "\"%s\" must be %s, not %s", key, want, type_name(v));
}

void rd_missing(struct rd_ctx *c, const char *obj_path, const char *key,
                const char *hint)
{
        char *path = rd_key_path(c, obj_path, key);

        if (path == NULL)
                return;

        /* Nothing to point at: the object that lacks it. */
        {
                unsigned line, col;

                sw_doc_where(c->doc, obj_path, false, &line, &col);
                sw_report_add(c->rep, SW_SEV_ERROR, SW_EPROTO, "missing-field",
                              line, col, path, hint,
                              "missing required field \"%s\"", key);
        }
        free(path);
}

/*
 * The member key of obj with the expected type, or NULL after reporting
 * why not.  want describes the type for the message.
 */
json_t *rd_member(struct rd_ctx *c, json_t *obj, const char *obj_path,
                  const char *key, json_type type, bool required,
                  const char *want)
{
        json_t *v = json_object_get(obj, key);
        char *path;

        if (v == NULL) {
                if (required)
                        rd_missing(c, obj_path, key, NULL);
                return NULL;
        }
        if (json_typeof(v) == type || (type == JSON_TRUE && json_is_boolean(v)))
                return v;
        path = rd_key_path(c, obj_path, key);
        if (path)
                rd_type_error(c, path, key, v, want);
        free(path);
        return NULL;
}

/* Report every member of obj whose name is not in known[]. */
void rd_unknown_fields(struct rd_ctx *c, json_t *obj, const char *obj_path,
                       const char *const *known, size_t n)
{
        const char *key;
        json_t *v;

        json_object_foreach(obj, key, v)
        {
                const char *near;
                char *path, *hint = NULL;
                bool found = false;

                for (size_t i = 0; i < n && !found; i++)
                        found = strcmp(known[i], key) == 0;
                if (found)
                        continue;
                near = sw_suggest(key, known, n);
                if (near)
                        hint = sw_asprintf("did you mean \"%s\"?", near);
                path = rd_key_path(c, obj_path, key);
                if (path)
                        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "unknown-field",
                                   path, true, hint, "unknown field \"%s\"",
                                   key);
                free(path);
                free(hint);
        }
}

/*
 * A string that must be one word of a closed set, spelled exactly.
 * Returns its index or -1 after reporting.
 */
int rd_enum(struct rd_ctx *c, const json_t *v, const char *path,
            const char *key, const char *const *words, size_t n)
{
        const char *s = json_string_value(v);
        const char *near;
        char *hint = NULL, *list = NULL;

        for (size_t i = 0; i < n; i++)
                if (strcmp(words[i], s) == 0)
                        return (int)i;
        near = sw_suggest(s, words, n);
        if (near)
                hint = sw_asprintf("write \"%s\"", near);
        for (size_t i = 0; i < n; i++) {
                char *l = sw_asprintf("%s%s%s", list ? list : "",
                                      i == 0       ? ""
                                      : i == n - 1 ? " or "
                                                   : ", ",
                                      words[i]);
                free(list);
                list = l;
                if (l == NULL)
                        break;
        }
        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "bad-value", path, false, hint,
                   "\"%s\" must be %s (exact spelling), not \"%s\"", key,
                   list ? list : "one of the listed words", s);
        free(hint);
        free(list);
        return -1;
}

/* ------------------------------------------------------------------ */
/* Document fields                                                     */
/* ------------------------------------------------------------------ */

static const char *const doc_fields[] = {
        "schema_version", "whitelist_id", "created_at",
        "created_by",     "updated_at",   "updated_by",
        "signature",      "metadata",     "syscalls",
};

static void check_schema_version(struct rd_ctx *c, json_t *root)
{
        json_t *v = rd_member(c, root, "", "schema_version", JSON_STRING, true,
                              "a string such as \"1.0\"");
        const char *s = v ? json_string_value(v) : NULL;
        unsigned long major;
        char *end;

        if (s == NULL)
                return;
        c->wl->schema_version = rd_strdup(c, s);
        if (!isdigit((unsigned char)*s))
                goto bad;
        errno = 0;
        major = strtoul(s, &end, 10);
        if (errno || *end != '.' || !isdigit((unsigned char)end[1]))
                goto bad;
        for (end++; isdigit((unsigned char)*end); end++)
                ;
        if (*end != '\0')
                goto bad;
        if (major != SW_SCHEMA_MAJOR)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "schema-version",
                           "schema_version", false,
                           "this syswall reads schema 1.x; use a syswall "
                           "that knows this version",
                           "schema_version \"%s\" has major version %lu, "
                           "this syswall reads major version %d",
                           s, major, SW_SCHEMA_MAJOR);
        return;
bad:
        rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "schema-version",
                   "schema_version", false, "write \"1.0\"",
                   "schema_version must be \"MAJOR.MINOR\", not \"%s\"", s);
}

static void check_id(struct rd_ctx *c, json_t *root)
{
        json_t *v = rd_member(c, root, "", "whitelist_id", JSON_STRING, true,
                              "a string");
        const char *s = v ? json_string_value(v) : NULL;
        size_t len;

        if (s == NULL)
                return;
        c->wl->id = rd_strdup(c, s);
        len = strlen(s);
        if (len == 0 || len > 128) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "whitelist-id",
                           "whitelist_id", false, NULL,
                           "whitelist_id must be 1 to 128 characters long, "
                           "not %zu",
                           len);
                return;
        }
        for (const char *p = s; *p; p++) {
                if (isalnum((unsigned char)*p) || strchr("._:-", *p))
                        continue;
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "whitelist-id",
                           "whitelist_id", false,
                           "use only letters, digits and . _ : -",
                           "whitelist_id may contain only A-Za-z0-9._:- "
                           "(byte %zu is not one of them)",
                           (size_t)(p - s) + 1);
                return;
        }
}

static bool digits(const char *s, int n, int *out)
{
        *out = 0;
        for (int i = 0; i < n; i++) {
                if (!isdigit((unsigned char)s[i]))
                        return false;
                *out = *out * 10 + (s[i] - '0');
        }
        return true;
}

static int days_in_month(int y, int m)
{
        static const int days[] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        return m == 2 && leap ? 29 : days[m - 1];
}

/*
 * RFC 3339 date-time: 2026-01-15T10:00:00Z, with optional fraction and a
 * numeric offset.  *when gets seconds since the epoch in UTC and *frac
 * the fraction, so that two stamps can be compared.
 */
bool rd_parse_time(const char *s, int64_t *when, double *frac)
{
        int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
        struct tm tm = {0};
        const char *p = s + 19;

        *frac = 0;
        if (strlen(s) < 20 || !digits(s, 4, &y) || s[4] != '-' ||
            !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d) ||
            (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
            s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
            !digits(s + 17, 2, &se))
                return false;
        if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
            mi > 59 || se > 60)
                return false;
        if (*p == '.') {
                const char *start = ++p;

                while (isdigit((unsigned char)*p))
                        p++;
                if (p == start)
                        return false;
                *frac = strtod(start - 1, NULL);
        }
        if (*p == 'Z' || *p == 'z') {
                p++;
        } else if (*p == '+' || *p == '-') {
                sign = *p == '+' ? 1 : -1;
                if (!digits(p + 1, 2, &oh) || p[3] != ':' ||
                    !digits(p + 4, 2, &om) || oh > 23 || om > 59)
                        return false;
                p += 6;
        } else {
                return false;
        }
        if (*p != '\0')
                return false;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = se;
        *when = (int64_t)timegm(&tm) - (int64_t)sign * (oh * 3600 + om * 60);
        return true;
}

static const char *check_time(struct rd_ctx *c, json_t *root, const char *key,
                              bool required, int64_t *when, double *frac)
{
        json_t *v = rd_member(c, root, "", key, JSON_STRING, required,
                              "an RFC 3339 date-time string");
        const char *s = v ? json_string_value(v) : NULL;

        if (s && !rd_parse_time(s, when, frac)) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "timestamp", key, false,
                           "write an RFC 3339 date-time such as "
                           "\"2026-01-15T10:00:00Z\"",
                           "%s is not an RFC 3339 date-time: \"%s\"", key, s);
                return NULL;
        }
        return s;
}

static void check_authority(struct rd_ctx *c, json_t *root, const char *key,
                            bool required, char **out)
{
        json_t *v =
                rd_member(c, root, "", key, JSON_STRING, required, "a string");
        const char *s = v ? json_string_value(v) : NULL;

        if (s == NULL)
                return;
        *out = rd_strdup(c, s);
        if (strcmp(s, c->cfg->authority) != 0)
                rd_problem(c, SW_SEV_ERROR, SW_EPERM, "authority", key, false,
                           "only the policy authority may issue whitelists; "
                           "if your deployment names another authority, pass "
                           "it with --authority",
                           "%s is \"%s\", not the policy authority \"%s\"", key,
                           s, c->cfg->authority);
}

static void check_times_and_authors(struct rd_ctx *c, json_t *root)
{
        int64_t created = 0, updated = 0;
        double cfrac = 0, ufrac = 0;
        const char *cs, *us;

        cs = check_time(c, root, "created_at", true, &created, &cfrac);
        us = check_time(c, root, "updated_at", false, &updated, &ufrac);
        c->wl->created_at = rd_strdup(c, cs);
        c->wl->updated_at = rd_strdup(c, us);
        if (cs && us &&
            (updated < created || (updated == created && ufrac < cfrac)))
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "timestamp",
                           "updated_at", false, NULL,
                           "updated_at (%s) is before created_at (%s)", us, cs);
        check_authority(c, root, "created_by", true, &c->wl->created_by);
        check_authority(c, root, "updated_by", false, &c->wl->updated_by);

        /* An update names both when and by whom. */
        if (json_object_get(root, "updated_at") &&
            !json_object_get(root, "updated_by"))
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "update-pair",
                           "updated_at", true, "add \"updated_by\"",
                           "updated_at is present without updated_by");
        if (json_object_get(root, "updated_by") &&
            !json_object_get(root, "updated_at"))
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "update-pair",
                           "updated_by", true, "add \"updated_at\"",
                           "updated_by is present without updated_at");
}

/* Syntax only: "ed25519:" and base64 of 64 bytes (sign.c verifies). */
static void check_signature(struct rd_ctx *c, json_t *root)
{
        json_t *v = rd_member(c, root, "", "signature", JSON_STRING, false,
                              "a string");
        const char *s = v ? json_string_value(v) : NULL;
        unsigned char bin[96];
        size_t bin_len = 0;
        const char *end = NULL;
        const char *b64;

        if (s == NULL)
                return;
        c->wl->signature = rd_strdup(c, s);
        if (strncmp(s, "ed25519:", 8) != 0) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "signature", "signature",
                           false, "write \"ed25519:<base64 of 64 bytes>\"",
                           "signature must start with \"ed25519:\"");
                return;
        }
        b64 = s + 8;
        if (sodium_base642bin(bin, sizeof(bin), b64, strlen(b64), NULL,
                              &bin_len, &end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            end != b64 + strlen(b64) || bin_len != 64)
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "signature", "signature",
                           false,
                           "an Ed25519 signature is 64 bytes, 88 base64 "
                           "characters with padding",
                           "signature is not base64 of 64 bytes");
}

/* ------------------------------------------------------------------ */
/* Foreign formats                                                     */
/* ------------------------------------------------------------------ */

static bool oci_rule_shape(json_t *root)
{
        json_t *rules = json_object_get(root, "syscalls");
        size_t i;
        json_t *r;

        json_array_foreach(rules, i, r)
        {
                if (json_object_get(r, "names") || json_object_get(r, "action"))
                        return true;
        }
        return false;
}

/* Firecracker's seccompiler: thread name -> {default_action, filter}. */
static bool firecracker_shape(json_t *root)
{
        const char *key;
        json_t *v;
        bool any = false;

        json_object_foreach(root, key, v)
        {
                if (!json_is_object(v) || !json_object_get(v, "filter"))
                        return false;
                any = true;
        }
        return any;
}

/* Returns true when the document is some other tool's format. */
static bool check_foreign(struct rd_ctx *c, json_t *root)
{
        if (json_object_get(root, "defaultAction") ||
            json_object_get(root, "defaultErrnoRet") ||
            json_object_get(root, "archMap") ||
            json_object_get(root, "architectures") || oci_rule_shape(root)) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "foreign-format", "",
                           false,
                           "import it: syswall import --from oci FILE -o "
                           "whitelist.json",
                           "this looks like an OCI (Docker, Podman) seccomp "
                           "profile, not a syswall whitelist");
                return true;
        }
        if (firecracker_shape(root)) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "foreign-format", "",
                           false,
                           "import it: syswall import --from firecracker "
                           "FILE -o whitelist.json",
                           "this looks like a Firecracker seccompiler filter, "
                           "not a syswall whitelist");
                return true;
        }
        return false;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */
/* ------------------------------------------------------------------ */

/*
 * A near miss of "syscalls" ("sycalls") holding an array: its rules are
 * still checked, so that one run shows every problem.
 */
static const char *misspelled_syscalls(json_t *root)
{
        static const char *const want[] = {"syscalls"};
        const char *key;
        json_t *v;

        json_object_foreach(root, key, v)
        {
                if (json_is_array(v) && sw_suggest(key, want, 1))
                        return key;
        }
        return NULL;
}

static void check_syscalls(struct rd_ctx *c, json_t *root)
{
        json_t *arr = rd_member(c, root, "", "syscalls", JSON_ARRAY, true,
                                "an array of rules");
        size_t n;

        if (arr == NULL && json_object_get(root, "syscalls") == NULL &&
            (c->rules_key = misspelled_syscalls(root)) != NULL)
                arr = json_object_get(root, c->rules_key);
        if (arr == NULL)
                return;
        n = json_array_size(arr);
        if (n == 0) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "empty-syscalls",
                           c->rules_key, false,
                           "list at least one rule; an empty whitelist would "
                           "kill every program at its first call",
                           "syscalls is empty");
                return;
        }
        c->wl->rules = calloc(n, sizeof(*c->wl->rules));
        if (c->wl->rules == NULL) {
                c->oom = true;
                return;
        }
        for (size_t i = 0; i < n && !c->oom; i++) {
                /* A foreign document: show the shape, not every rule. */
                if (c->foreign && i == 3) {
                        rd_problem(c, SW_SEV_NOTE, SW_EPROTO, "foreign-format",
                                   c->rules_key, false, NULL,
                                   "%zu more rules not checked: the document "
                                   "is not in syswall's format",
                                   n - i);
                        break;
                }
                rd_check_rule(c, json_array_get(arr, i), i);
        }
        rd_check_duplicates(c);
}

static void check_document(struct rd_ctx *c)
{
        json_t *root = c->doc->root;

        if (!json_is_object(root)) {
                rd_problem(c, SW_SEV_ERROR, SW_EPROTO, "type", "", false,
                           "a whitelist is one JSON object: "
                           "{\"schema_version\": \"1.0\", ...}",
                           "the document must be a JSON object, not %s",
                           type_name(root));
                return;
        }
        c->foreign = check_foreign(c, root);
        rd_unknown_fields(c, root, "", doc_fields, SW_ARRAY_SIZE(doc_fields));
        check_schema_version(c, root);
        check_id(c, root);
        check_times_and_authors(c, root);
        check_signature(c, root);
        rd_member(c, root, "", "metadata", JSON_OBJECT, false, "an object");
        check_syscalls(c, root);

        /* Lint reads the model, which is only trustworthy without errors. */
        if (!c->foreign && !c->oom &&
            sw_report_count_severity(c->rep, SW_SEV_ERROR) == 0)
                sw_lint(c->wl, c->doc, c->cfg, c->rep);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void keep_source(sw_report *rep, const char *text, size_t len)
{
        rep->source = malloc(len + 1);
        if (rep->source == NULL) {
                rep->oom = true;
                return;
        }
        memcpy(rep->source, text, len);
        rep->source[len] = '\0';
        rep->source_len = len;
}

static sw_code load(const char *text, size_t len, const sw_config *cfg,
                    sw_report *rep, sw_whitelist **out)
{
        struct sw_doc doc = {.name = rep->file, .text = text, .len = len};
        struct rd_ctx c = {
                .doc = &doc, .rep = rep, .cfg = cfg, .rules_key = "syscalls"};
        sw_code rc;

        keep_source(rep, text, len);
        if (len == 0) {
                sw_report_add(rep, SW_SEV_ERROR, SW_EPROTO, "empty", 0, 0, "",
                              "a whitelist is one JSON object",
                              "the document is empty");
                return SW_EPROTO;
        }
        rc = sw_doc_parse(&doc, rep);
        if (rc == SW_EINTERNAL)
                rep->oom = true;
        if (doc.root != NULL && rc != SW_EINTERNAL) {
                c.wl = calloc(1, sizeof(*c.wl));
                if (c.wl == NULL) {
                        rep->oom = true;
                } else {
                        c.wl->arch =
                                cfg->arch ? cfg->arch : seccomp_arch_native();
                        c.wl->file = sw_strdup(rep->file);
                        if (c.wl->file == NULL)
                                c.oom = true;
                        c.wl->root = json_incref(doc.root);
                        /* A refused signature stops here (sign.c). */
                        if (sw_signature_gate(&doc, cfg, rep) == SW_SUCCESS)
                                check_document(&c);
                        if (c.oom)
                                rep->oom = true;
                }
        }
        sw_doc_release(&doc);
        sw_report_sort(rep);
        rc = sw_report_result(rep);
        if (rc != SW_SUCCESS || out == NULL) {
                sw_whitelist_free(c.wl);
                return rc;
        }
        *out = c.wl;
        return SW_SUCCESS;
}

static const sw_config *config_or_default(const sw_config *cfg)
{
        return cfg ? cfg : sw_config_default();
}

static sw_code finish(sw_code rc, sw_report *rep, sw_report **report)
{
        if (report)
                *report = rep;
        else
                sw_report_free(rep);
        return rc;
}

sw_code sw_whitelist_load_buffer(const char *buf, size_t len, const char *name,
                                 const sw_config *cfg, sw_whitelist **out,
                                 sw_report **report)
{
        sw_report *rep = sw_report_new(name);
        sw_code rc;

        if (out)
                *out = NULL;
        if (report)
                *report = NULL;
        if (rep == NULL)
                return SW_EINTERNAL;
        rc = load(buf ? buf : "", buf ? len : 0, config_or_default(cfg), rep,
                  out);
        return finish(rc, rep, report);
}

sw_code sw_whitelist_load_file(const char *path, const sw_config *cfg,
                               sw_whitelist **out, sw_report **report)
{
        sw_report *rep = sw_report_new(path);
        char *text = NULL;
        size_t len = 0;
        sw_code rc;

        if (out)
                *out = NULL;
        if (report)
                *report = NULL;
        if (rep == NULL)
                return SW_EINTERNAL;
        rc = sw_doc_read_file(path, &text, &len, rep);
        if (rc == SW_SUCCESS)
                rc = load(text, len, config_or_default(cfg), rep, out);
        free(text);
        return finish(rc, rep, report);
}
