/*
 * unit_reader.c - every rule of the whitelist format (spec sections 1, 2,
 * 3, 5 and 6), the names per architecture, symbolic constants and lint:
 * each case asserts the P1.7 code, the severity, the JSON path, the exact
 * line and column, and fragments of the message and the hint.
 */
#include "testutil.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lines 1-2: the header; 3-6: a lint-clean baseline; 7: the rule. */
#define HEAD                                                                   \
        "{\"schema_version\": \"1.0\", \"whitelist_id\": \"t\", "              \
        "\"created_at\": \"2026-01-15T10:00:00Z\", "                           \
        "\"created_by\": \"Security Agent\",\n"                                \
        "\"syscalls\": [\n"
#define BASE                                                                   \
        "{\"name\": \"execve\", \"permission\": \"ALLOW\"},\n"                 \
        "{\"name\": \"rseq\", \"permission\": \"ALLOW\"},\n"                   \
        "{\"name\": \"set_robust_list\", \"permission\": \"ALLOW\"},\n"        \
        "{\"name\": \"exit_group\", \"permission\": \"ALLOW\"},\n"
#define DOC(rule) HEAD BASE rule "\n]}\n"
#define COND(filter)                                                           \
        DOC("{\"name\": \"openat\", \"permission\": \"CONDITIONAL\", "         \
            "\"conditions\": {\"description\": \"d\", " filter "}}")
#define FILTER(body) COND("\"argument_filter\": {" body "}")
#define TOP(fields)                                                            \
        "{\"schema_version\": \"1.0\", \"whitelist_id\": \"t\",\n" fields      \
        ",\n\"syscalls\": [" BASE "{\"name\": \"read\", "                      \
        "\"permission\": \"ALLOW\"}]}\n"
#define TIMES(more)                                                            \
        TOP("\"created_at\": \"2026-01-15T10:00:00Z\", "                       \
            "\"created_by\": \"Security Agent\"" more)

struct rcase {
        const char *name;
        const char *doc;
        sw_severity sev;
        sw_code code;
        const char *check;
        const char *path;
        const char *at;   /* the diagnostic points at this text (or NULL) */
        const char *frag; /* in the message */
        const char *hint; /* in the hint, or NULL for no hint check */
};

static const struct rcase cases[] = {
        /* ---- the document (section 1) ---- */
        {"not an object", "[1, 2]", SW_SEV_ERROR, SW_EPROTO, "type", "", "[",
         "must be a JSON object, not an array", "one JSON object"},
        {"syntax", "{\"a\": }", SW_SEV_ERROR, SW_EPROTO, "json-syntax", "",
         NULL, "invalid JSON", NULL},
        {"integer over 2^63-1",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": 18446744073709551615"),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "18446744073709551615",
         "integer 18446744073709551615 is above 2^63-1: JSON integers do not "
         "carry it exactly",
         "write it as a string: \"18446744073709551615\" or "
         "\"0xffffffffffffffff\""},
        {"integer over 64 bits",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": 18446744073709551616"),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "18446744073709551616",
         "integer 18446744073709551616 is out of range: it does not fit in "
         "64 bits",
         "64 bits: from -9223372036854775808 to 0xffffffffffffffff"},
        {"integer below -2^63",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": -9223372036854775809"),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "-9223372036854775809",
         "integer -9223372036854775809 is out of range", NULL},
        {"invalid UTF-8", TOP("\"created_at\": \"\xff\""), SW_SEV_ERROR,
         SW_EPROTO, "json-syntax", "", NULL, "invalid UTF-8", "UTF-8"},
        {"NUL in a string", TOP("\"created_at\": \"a\\u0000b\""), SW_SEV_ERROR,
         SW_EPROTO, "json-syntax", "", NULL, "NUL", NULL},
        {"duplicate key", TIMES(",\n\"created_by\": \"Mallory\""), SW_SEV_ERROR,
         SW_EPROTO, "duplicate-key", "created_by",
         "\"created_by\": \"Mallory\"",
         "duplicate key \"created_by\" (first at line 2, column 39)",
         "remove one of them"},
        {"unknown field", TIMES(", \"sycalls\": []"), SW_SEV_ERROR, SW_EPROTO,
         "unknown-field", "sycalls", "\"sycalls\"", "unknown field \"sycalls\"",
         "did you mean \"syscalls\"?"},
        {"key that is no identifier", TIMES(", \"my key\": 1"), SW_SEV_ERROR,
         SW_EPROTO, "unknown-field", "[\"my key\"]", "\"my key\"",
         "unknown field \"my key\"", NULL},
        {"missing schema_version",
         "{\"whitelist_id\": \"t\", \"created_at\": \"2026-01-15T10:00:00Z\", "
         "\"created_by\": \"Security Agent\", \"syscalls\": [" BASE
         "{\"name\": \"read\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "missing-field", "schema_version", "{",
         "missing required field \"schema_version\"", NULL},
        {"schema major 2",
         "{\"schema_version\": \"2.0\", \"whitelist_id\": \"t\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": [" BASE
         "{\"name\": \"read\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "schema-version", "schema_version", "\"2.0\"",
         "has major version 2", "schema 1.x"},
        {"schema without minor",
         "{\"schema_version\": \"1\", \"whitelist_id\": \"t\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": [" BASE
         "{\"name\": \"read\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "schema-version", "schema_version", "\"1\"",
         "must be \"MAJOR.MINOR\"", "\"1.0\""},
        {"whitelist_id charset",
         "{\"schema_version\": \"1.0\", \"whitelist_id\": \"my list\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": [" BASE
         "{\"name\": \"read\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "whitelist-id", "whitelist_id", "\"my list\"",
         "byte 3", "letters, digits"},
        {"whitelist_id empty",
         "{\"schema_version\": \"1.0\", \"whitelist_id\": \"\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": [" BASE
         "{\"name\": \"read\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "whitelist-id", "whitelist_id", "\"\"",
         "1 to 128 characters long, not 0", NULL},
        {"created_at month 13",
         TOP("\"created_at\": \"2026-13-01T00:00:00Z\", \"created_by\": "
             "\"Security Agent\""),
         SW_SEV_ERROR, SW_EPROTO, "timestamp", "created_at", "\"2026-13",
         "not an RFC 3339 date-time", "2026-01-15T10:00:00Z"},
        {"created_at 30 February",
         TOP("\"created_at\": \"2024-02-30T00:00:00+01:00\", \"created_by\": "
             "\"Security Agent\""),
         SW_SEV_ERROR, SW_EPROTO, "timestamp", "created_at", "\"2024-02-30",
         "not an RFC 3339", NULL},
        {"created_at without zone",
         TOP("\"created_at\": \"2026-01-15T10:00:00\", \"created_by\": "
             "\"Security Agent\""),
         SW_SEV_ERROR, SW_EPROTO, "timestamp", "created_at", "\"2026-01-15",
         "not an RFC 3339", NULL},
        {"updated before created",
         TIMES(", \"updated_at\": \"2026-01-15T09:59:59.5Z\", \"updated_by\": "
               "\"Security Agent\""),
         SW_SEV_ERROR, SW_EPROTO, "timestamp", "updated_at",
         "\"2026-01-15T09:59:59.5Z\"", "is before created_at", NULL},
        {"updated_at alone",
         TIMES(", \"updated_at\": \"2026-02-01T00:00:00Z\""), SW_SEV_ERROR,
         SW_EPROTO, "update-pair", "updated_at", "\"updated_at\"",
         "without updated_by", "add \"updated_by\""},
        {"updated_by alone", TIMES(", \"updated_by\": \"Security Agent\""),
         SW_SEV_ERROR, SW_EPROTO, "update-pair", "updated_by", "\"updated_by\"",
         "without updated_at", NULL},
        {"created_by not the authority",
         TOP("\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
             "\"Mallory\""),
         SW_SEV_ERROR, SW_EPERM, "authority", "created_by", "\"Mallory\"",
         "created_by is \"Mallory\", not the policy authority \"Security "
         "Agent\"",
         "--authority"},
        {"updated_by not the authority",
         TIMES(", \"updated_at\": \"2026-02-01T00:00:00Z\", \"updated_by\": "
               "\"Eve\""),
         SW_SEV_ERROR, SW_EPERM, "authority", "updated_by", "\"Eve\"",
         "updated_by is \"Eve\"", NULL},
        {"signature prefix", TIMES(", \"signature\": \"rsa:AAAA\""),
         SW_SEV_ERROR, SW_EPROTO, "signature", "signature",
         "\"rsa:", "must start with \"ed25519:\"", NULL},
        {"signature length", TIMES(", \"signature\": \"ed25519:AAAA\""),
         SW_SEV_ERROR, SW_EPROTO, "signature", "signature",
         "\"ed25519:", "not base64 of 64 bytes", "88 base64"},
        {"metadata type", TIMES(", \"metadata\": [1]"), SW_SEV_ERROR, SW_EPROTO,
         "type", "metadata", "[1]",
         "\"metadata\" must be an object, not an array", NULL},
        {"syscalls empty",
         "{\"schema_version\": \"1.0\", \"whitelist_id\": \"t\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": []}",
         SW_SEV_ERROR, SW_EPROTO, "empty-syscalls", "syscalls", "[]",
         "syscalls is empty", NULL},
        {"syscalls type",
         "{\"schema_version\": \"1.0\", \"whitelist_id\": \"t\", "
         "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
         "\"Security Agent\", \"syscalls\": {}}",
         SW_SEV_ERROR, SW_EPROTO, "type", "syscalls", "{}",
         "\"syscalls\" must be an array of rules, not an object", NULL},
        {"OCI profile",
         "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
         "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
         SW_SEV_ERROR, SW_EPROTO, "foreign-format", "", "{",
         "looks like an OCI (Docker, Podman) seccomp profile",
         "syswall import --from oci"},
        {"Firecracker filter",
         "{\"vmm\": {\"default_action\": \"trap\", \"filter_action\": "
         "\"allow\", \"filter\": []}}",
         SW_SEV_ERROR, SW_EPROTO, "foreign-format", "", "{",
         "Firecracker seccompiler filter", "import --from firecracker"},

        /* ---- rules (section 2) ---- */
        {"rule type", DOC("42"), SW_SEV_ERROR, SW_EPROTO, "type", "syscalls[4]",
         "42", "a rule must be an object", NULL},
        {"rule field near miss",
         DOC("{\"name\": \"read\", \"permision\": \"ALLOW\"}"), SW_SEV_ERROR,
         SW_EPROTO, "unknown-field", "syscalls[4].permision", "\"permision\"",
         "unknown field \"permision\"", "did you mean \"permission\"?"},
        {"rule field case",
         DOC("{\"name\": \"read\", \"Permission\": \"ALLOW\"}"), SW_SEV_ERROR,
         SW_EPROTO, "unknown-field", "syscalls[4].Permission", "\"Permission\"",
         "unknown field", "did you mean \"permission\"?"},
        {"permission case",
         DOC("{\"name\": \"read\", \"permission\": "
             "\"allow\"}"),
         SW_SEV_ERROR, SW_EPROTO, "bad-value", "syscalls[4].permission",
         "\"allow\"",
         "\"permission\" must be ALLOW, DENY or CONDITIONAL (exact "
         "spelling), not \"allow\"",
         "write \"ALLOW\""},
        {"missing name", DOC("{\"permission\": \"ALLOW\"}"), SW_SEV_ERROR,
         SW_EPROTO, "missing-field", "syscalls[4].name",
         "{\"permission\": \"ALLOW\"}", "missing required field \"name\"",
         NULL},
        {"name type", DOC("{\"name\": 1, \"permission\": \"ALLOW\"}"),
         SW_SEV_ERROR, SW_EPROTO, "type", "syscalls[4].name", "1,",
         "\"name\" must be a string, not an integer", NULL},
        {"empty name", DOC("{\"name\": \"\", \"permission\": \"ALLOW\"}"),
         SW_SEV_ERROR, SW_ENOENT, "unknown-syscall", "syscalls[4].name",
         "\"\", \"perm", "name must not be empty", "openat"},
        {"misspelled name",
         DOC("{\"name\": \"opneat\", \"permission\": \"ALLOW\"}"), SW_SEV_ERROR,
         SW_ENOENT, "unknown-syscall", "syscalls[4].name", "\"opneat\"",
         "\"opneat\" is not a system call on any architecture",
         "did you mean \"openat\"?"},
        {"kernel-internal name",
         DOC("{\"name\": \"newuname\", \"permission\": \"ALLOW\"}"),
         SW_SEV_ERROR, SW_ENOENT, "unknown-syscall", "syscalls[4].name",
         "\"newuname\"", "not a system call", "did you mean \"uname\"?"},
        {"SYS_ prefix",
         DOC("{\"name\": \"SYS_read\", \"permission\": \"ALLOW\"}"),
         SW_SEV_ERROR, SW_ENOENT, "unknown-syscall", "syscalls[4].name",
         "\"SYS_read\"", "not a system call", "did you mean \"read\"?"},
        {"duplicate name",
         DOC("{\"name\": \"execve\", \"permission\": \"DENY\"}"), SW_SEV_ERROR,
         SW_EPROTO, "duplicate-syscall", "syscalls[4].name",
         "\"execve\", \"permission\": \"DENY\"",
         "\"execve\" is listed twice (first at syscalls[0], line 3)", "merge"},
        {"category near miss",
         DOC("{\"name\": \"read\", \"permission\": \"ALLOW\", \"category\": "
             "\"net\"}"),
         SW_SEV_ERROR, SW_EPROTO, "bad-value", "syscalls[4].category",
         "\"net\"", "not \"net\"", "write \"network\""},
        {"tokio_required type",
         DOC("{\"name\": \"read\", \"permission\": \"ALLOW\", "
             "\"tokio_required\": \"yes\"}"),
         SW_SEV_ERROR, SW_EPROTO, "type", "syscalls[4].tokio_required",
         "\"yes\"", "must be true or false, not a string", NULL},
        {"errno on ALLOW",
         DOC("{\"name\": \"read\", \"permission\": \"ALLOW\", \"errno\": "
             "\"EPERM\"}"),
         SW_SEV_ERROR, SW_EPROTO, "errno-on-allow", "syscalls[4].errno",
         "\"errno\"", "errno applies only to DENY and CONDITIONAL", NULL},
        {"errno case",
         DOC("{\"name\": \"read\", \"permission\": \"DENY\", \"errno\": "
             "\"eacces\"}"),
         SW_SEV_ERROR, SW_EPROTO, "errno", "syscalls[4].errno", "\"eacces\"",
         "\"eacces\" is not an errno name", "write \"EACCES\""},
        {"errno SUCCESS",
         DOC("{\"name\": \"read\", \"permission\": \"DENY\", \"errno\": "
             "\"SUCCESS\"}"),
         SW_SEV_ERROR, SW_EPROTO, "errno", "syscalls[4].errno", "\"SUCCESS\"",
         "would report success for a call that never ran", "ENOSYS"},
        {"errno number",
         DOC("{\"name\": \"read\", \"permission\": \"DENY\", \"errno\": 13}"),
         SW_SEV_ERROR, SW_EPROTO, "errno", "syscalls[4].errno", "13}",
         "must be a name", "write \"EACCES\""},
        {"CONDITIONAL without conditions",
         DOC("{\"name\": \"read\", \"permission\": \"CONDITIONAL\"}"),
         SW_SEV_ERROR, SW_EPROTO, "missing-field", "syscalls[4].conditions",
         "{\"name\": \"read\"", "missing required field \"conditions\"",
         "CONDITIONAL"},
        {"conditions on DENY",
         DOC("{\"name\": \"read\", \"permission\": \"DENY\", \"conditions\": "
             "{\"description\": \"d\", \"argument_filter\": {\"arg_index\": "
             "0, \"operator\": \"eq\", \"value\": 0}}}"),
         SW_SEV_ERROR, SW_EPROTO, "conditions-refused",
         "syscalls[4].conditions", "\"conditions\"",
         "conditions are only for CONDITIONAL rules, this rule is DENY", NULL},
        {"conditions empty array",
         DOC("{\"name\": \"read\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": []}"),
         SW_SEV_ERROR, SW_EPROTO, "empty-conditions", "syscalls[4].conditions",
         "[]", "conditions is an empty array", NULL},

        /* ---- conditions and argument filters (section 3) ---- */
        {"condition without description",
         DOC("{\"name\": \"read\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": [{\"argument_filter\": {\"arg_index\": 0, "
             "\"operator\": \"eq\", \"value\": 0}}]}"),
         SW_SEV_ERROR, SW_EPROTO, "missing-field",
         "syscalls[4].conditions[0].description", "{\"argument_filter",
         "missing required field \"description\"", NULL},
        {"condition without a test", COND("\"x\": 1"), SW_SEV_ERROR, SW_EPROTO,
         "empty-condition", "syscalls[4].conditions", "{\"description\"",
         "needs argument_filter or port_restriction", NULL},
        {"arg_index 6",
         FILTER("\"arg_index\": 6, \"operator\": \"eq\", "
                "\"value\": 0"),
         SW_SEV_ERROR, SW_EPROTO, "arg-index",
         "syscalls[4].conditions.argument_filter.arg_index", "6,",
         "arg_index must be 0 to 5, not 6", NULL},
        {"operator case",
         FILTER("\"arg_index\": 0, \"operator\": \"EQ\", "
                "\"value\": 0"),
         SW_SEV_ERROR, SW_EPROTO, "bad-value",
         "syscalls[4].conditions.argument_filter.operator", "\"EQ\"",
         "not \"EQ\"", "write \"eq\""},
        {"value real",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": 1.5"),
         SW_SEV_ERROR, SW_EPROTO, "type",
         "syscalls[4].conditions.argument_filter.value", "1.5",
         "not a number with a fraction or an exponent (no integer)", NULL},
        {"value exponent",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": 1e3"),
         SW_SEV_ERROR, SW_EPROTO, "type",
         "syscalls[4].conditions.argument_filter.value", "1e3",
         "not a number with a fraction or an exponent (no integer)", NULL},
        {"value not a number",
         FILTER("\"arg_index\": 0, \"operator\": "
                "\"eq\", \"value\": \"12abc\""),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "\"12abc\"",
         "\"12abc\" is not a number that fits in 64 bits", "0x"},
        {"value with a leading blank",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", \"value\": \" 1\""),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "\" 1\"",
         "\" 1\" is not a number that fits in 64 bits", "0x"},
        {"value with a trailing blank",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", \"value\": \"1 \""),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "\"1 \"",
         "\"1 \" is not a number that fits in 64 bits", "0x"},
        {"value 0x without digits",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", \"value\": \"0x\""),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "\"0x\"",
         "\"0x\" is not a number that fits in 64 bits", "0x"},
        {"byte-order mark",
         "\xef\xbb\xbf" DOC("{\"name\": \"read\", \"permission\": \"ALLOW\"}"),
         SW_SEV_ERROR, SW_EPROTO, "byte-order-mark", "", NULL,
         "starts with a UTF-8 byte-order mark", "remove the byte-order mark"},
        {"condition range that never holds",
         COND("\"argument_filter\": [{\"arg_index\": 0, \"operator\": "
              "\"ge\", \"value\": 10, \"width\": 32}, {\"arg_index\": 0, "
              "\"operator\": \"le\", \"value\": 2, \"width\": 32}]"),
         SW_SEV_WARNING, SW_EPROTO, "never-holds", "syscalls[4].conditions",
         "{\"description\"",
         "this condition can never hold: no value of argument 0 passes all "
         "its filters",
         "fix the comparisons"},
        {"condition with two values that never holds",
         COND("\"argument_filter\": [{\"arg_index\": 1, \"operator\": "
              "\"eq\", \"value\": 1}, {\"arg_index\": 1, \"operator\": "
              "\"eq\", \"value\": 2}]"),
         SW_SEV_WARNING, SW_EPROTO, "never-holds", "syscalls[4].conditions",
         "{\"description\"", "no value of argument 1 passes all its filters",
         NULL},
        {"value hex too long",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": \"0x1ffffffffffffffff\""),
         SW_SEV_ERROR, SW_EPROTO, "bad-number",
         "syscalls[4].conditions.argument_filter.value", "\"0x1ff",
         "not a number that fits in 64 bits", NULL},
        {"mask without masked_eq",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", \"value\": 0, "
                "\"mask\": 3"),
         SW_SEV_ERROR, SW_EPROTO, "mask-refused",
         "syscalls[4].conditions.argument_filter.mask", "\"mask\"",
         "mask is only used with masked_eq", "masked_eq"},
        {"masked_eq without mask",
         FILTER("\"arg_index\": 0, \"operator\": \"masked_eq\", \"value\": 0"),
         SW_SEV_ERROR, SW_EPROTO, "missing-field",
         "syscalls[4].conditions.argument_filter.mask", "{\"arg_index",
         "missing required field \"mask\"", "(argument & mask) == value"},
        {"width 16",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": 0, \"width\": 16"),
         SW_SEV_ERROR, SW_EPROTO, "width",
         "syscalls[4].conditions.argument_filter.width", "16",
         "width must be 32 or 64, not 16", NULL},
        {"width 32 value too big",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                "\"value\": \"0x100000000\", \"width\": 32"),
         SW_SEV_ERROR, SW_EPROTO, "width",
         "syscalls[4].conditions.argument_filter.value", "\"0x100000000\"",
         "value 0x100000000 does not fit in 32 bits", NULL},
        {"masked_eq never holds",
         FILTER("\"arg_index\": 0, \"operator\": \"masked_eq\", "
                "\"value\": 4, \"mask\": 3"),
         SW_SEV_WARNING, SW_EPROTO, "mask-never-matches",
         "syscalls[4].conditions.argument_filter.value", "4,",
         "has bits outside mask 0x3", NULL},
        {"unknown constant",
         FILTER("\"arg_index\": 2, \"operator\": \"eq\", "
                "\"value\": \"O_RDONY|O_CLOEXEC\""),
         SW_SEV_ERROR, SW_ENOENT, "unknown-constant",
         "syscalls[4].conditions.argument_filter.value", "\"O_RDONY",
         "unknown constant \"O_RDONY\" in value", "did you mean \"O_RDONLY\"?"},
        {"filter array path",
         COND("\"argument_filter\": [{\"arg_index\": 0, \"operator\": "
              "\"eq\", \"value\": 0}, {\"arg_index\": 9, \"operator\": "
              "\"eq\", \"value\": 0}]"),
         SW_SEV_ERROR, SW_EPROTO, "arg-index",
         "syscalls[4].conditions.argument_filter[1].arg_index", "9,", "not 9",
         NULL},
        {"filter empty array", COND("\"argument_filter\": []"), SW_SEV_ERROR,
         SW_EPROTO, "empty-filter", "syscalls[4].conditions.argument_filter",
         "[]", "argument_filter is an empty array", NULL},

        /* ---- port restrictions (section 3) ---- */
        {"ports empty",
         DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": []}}}"),
         SW_SEV_ERROR, SW_EPROTO, "ports",
         "syscalls[4].conditions.port_restriction.allowed_ports", "[]",
         "allowed_ports is empty", NULL},
        {"port 0",
         DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [80, 0]}}}"),
         SW_SEV_ERROR, SW_EPROTO, "ports",
         "syscalls[4].conditions.port_restriction.allowed_ports[1]", "0]",
         "port 0 is outside 1-65535", NULL},
        {"port twice",
         DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [443, 80, 443]}}}"),
         SW_SEV_ERROR, SW_EPROTO, "ports",
         "syscalls[4].conditions.port_restriction.allowed_ports[2]", "443]",
         "port 443 is listed twice", NULL},
        {"port as string",
         DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [\"80\"]}}}"),
         SW_SEV_ERROR, SW_EPROTO, "type",
         "syscalls[4].conditions.port_restriction.allowed_ports[0]", "\"80\"",
         "must be an array of integers, not a string", NULL},
        {"family",
         DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [80], \"allowed_families\": "
             "[\"af_unix\"]}}}"),
         SW_SEV_ERROR, SW_EPROTO, "bad-value",
         "syscalls[4].conditions.port_restriction.allowed_families[0]",
         "\"af_unix\"", "must be AF_UNIX or AF_NETLINK", "write \"AF_UNIX\""},
        {"ports on read",
         DOC("{\"name\": \"read\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [80]}}}"),
         SW_SEV_ERROR, SW_EPROTO, "port-call",
         "syscalls[4].conditions.port_restriction", "\"port_restriction\"",
         "read carries no socket address", "connect, bind"},
        {"ports on socket",
         DOC("{\"name\": \"socket\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"port_restriction\": "
             "{\"allowed_ports\": [5432]}}}"),
         SW_SEV_WARNING, SW_EPROTO, "port-on-socket",
         "syscalls[4].conditions.port_restriction", "\"port_restriction\"",
         "every socket created may only reach port 5432", "connect"},

        /* ---- names per architecture ---- */
        {"recv on x86_64",
         DOC("{\"name\": \"recv\", \"permission\": \"ALLOW\"}"), SW_SEV_WARNING,
         SW_EPROTO, "absent-on-arch", "syscalls[4].name", "\"recv\"",
         "\"recv\" is not a system call on x86_64: glibc's recv() calls "
         "recvfrom",
         "list \"recvfrom\" instead"},

        /* ---- lint ---- */
        {"clone3 EPERM",
         DOC("{\"name\": \"clone\", \"permission\": \"ALLOW\"},\n"
             "{\"name\": \"clone3\", \"permission\": \"DENY\", \"errno\": "
             "\"EPERM\"}"),
         SW_SEV_WARNING, SW_EPROTO, "fallback-errno", "syscalls[5].errno",
         "\"EPERM\"}", "clone3 is denied with EPERM", "\"errno\": \"ENOSYS\""},
        {"clone3 default errno",
         DOC("{\"name\": \"clone3\", \"permission\": \"DENY\"}"),
         SW_SEV_WARNING, SW_EPROTO, "fallback-errno", "syscalls[4]",
         "{\"name\": \"clone3\"", "denied with EPERM", "ENOSYS"},
        {"clone3 missing",
         DOC("{\"name\": \"clone\", \"permission\": \"ALLOW\"}"),
         SW_SEV_WARNING, SW_EPROTO, "fallback-missing", "syscalls[4]",
         "{\"name\": \"clone\"", "clone3 is not listed", "ENOSYS"},
        {"faccessat2 missing beside faccessat",
         DOC("{\"name\": \"faccessat\", \"permission\": \"ALLOW\"}"),
         SW_SEV_WARNING, SW_EPROTO, "fallback-missing", "syscalls[4]",
         "{\"name\": \"faccessat\"",
         "faccessat is allowed but faccessat2 is not listed", "ENOSYS"},
        {"rseq denied with threads",
         HEAD "{\"name\": \"execve\", \"permission\": \"ALLOW\"},\n"
              "{\"name\": \"set_robust_list\", \"permission\": \"ALLOW\"},\n"
              "{\"name\": \"clone\", \"permission\": \"ALLOW\"},\n"
              "{\"name\": \"clone3\", \"permission\": \"ALLOW\"},\n"
              "{\"name\": \"rseq\", \"permission\": \"DENY\", \"errno\": "
              "\"ENOSYS\"}]}",
         SW_SEV_WARNING, SW_EPROTO, "rseq", "syscalls[4].permission",
         "\"DENY\"", "rseq registration failed", "\"permission\": \"ALLOW\""},
        {"rseq missing",
         HEAD "{\"name\": \"execve\", \"permission\": \"ALLOW\"},\n"
              "{\"name\": \"set_robust_list\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_WARNING, SW_EPROTO, "rseq", "syscalls", "[\n",
         "rseq is not listed", "rseq"},
        {"execve missing",
         HEAD "{\"name\": \"rseq\", \"permission\": \"ALLOW\"}]}",
         SW_SEV_WARNING, SW_EPROTO, "execve", "syscalls", "[\n",
         "execve is not allowed, so `syswall run` cannot start any command",
         "execve"},
        {"newfstatat missing",
         DOC("{\"name\": \"fstat\", \"permission\": \"ALLOW\"}"),
         SW_SEV_WARNING, SW_EPROTO, "libc-call", "syscalls[4].name",
         "\"fstat\"", "fstat is allowed but newfstatat is not listed",
         "newfstatat"},
        {"openat2 gap",
         DOC("{\"name\": \"openat2\", \"permission\": \"ALLOW\"},\n"
             "{\"name\": \"openat\", \"permission\": \"DENY\"}"),
         SW_SEV_WARNING, SW_EPROTO, "escape-gap", "syscalls[4].permission",
         "\"ALLOW\"},\n{\"name\": \"openat\"",
         "openat is denied but openat2 is allowed", "ENOSYS"},
        {"other architectures",
         DOC("{\"name\": \"open\", \"permission\": \"ALLOW\"}"), SW_SEV_NOTE,
         SW_EPROTO, "other-arch", "syscalls", "[\n",
         "1 call does not exist on aarch64: open -> openat",
         "syswall check --arch aarch64"},
        {"io_uring",
         DOC("{\"name\": \"io_uring_enter\", \"permission\": \"ALLOW\"}"),
         SW_SEV_WARNING, SW_EPROTO, "escape-gap", "syscalls[4].permission",
         "\"ALLOW\"}\n]", "without passing through seccomp", NULL},
        /* ---- widths: no "width" is 64 bits, on an int argument ---- */
        {"bh-04: negative int at 64 bits",
         FILTER("\"arg_index\": 0, \"operator\": \"eq\", \"value\": -100"),
         SW_SEV_WARNING, SW_EPROTO, "arg-width",
         "syscalls[4].conditions.argument_filter.value", "-100",
         "negative value -100 is compared at 64 bits (0xffffffffffffff9c), "
         "but the kernel reads openat argument 0 as a 32-bit int",
         "write \"width\": 32"},
        {"ne on an int at 64 bits",
         FILTER("\"arg_index\": 2, \"operator\": \"ne\", \"value\": 64"),
         SW_SEV_WARNING, SW_EPROTO, "arg-width",
         "syscalls[4].conditions.argument_filter.value", "64}",
         "\"ne\" is compared at 64 bits, but the kernel reads openat "
         "argument 2 as a 32-bit int: a caller that passes 0x100000040 gets "
         "past this condition, and the kernel runs openat with 64, the "
         "value it means to refuse",
         "write \"width\": 32"},
        {"ge on an int at 64 bits",
         FILTER("\"arg_index\": 2, \"operator\": \"ge\", \"value\": 64"),
         SW_SEV_WARNING, SW_EPROTO, "arg-width",
         "syscalls[4].conditions.argument_filter.value", "64}",
         "\"ge\" is compared at 64 bits, but the kernel reads openat "
         "argument 2 as a 32-bit int: a caller that passes 0x100000000 gets "
         "past this condition, and the kernel runs openat with 0, a value "
         "it means to refuse",
         "write \"width\": 32"},
};

/* 1-based line and column of the first occurrence of at in doc. */
static void where(const char *doc, const char *at, unsigned *line,
                  unsigned *col)
{
        const char *hit = strstr(doc, at);

        assert_non_null(hit);
        *line = 1;
        *col = 1;
        for (const char *p = doc; p < hit; p++) {
                if (*p == '\n') {
                        (*line)++;
                        *col = 1;
                } else if (((unsigned char)*p & 0xc0) != 0x80) {
                        (*col)++;
                }
        }
}

static sw_report *load(const char *doc, const sw_config *cfg, sw_whitelist **wl)
{
        sw_report *rep = NULL;

        sw_whitelist_load_buffer(doc, strlen(doc), "t.json", cfg, wl, &rep);
        assert_non_null(rep);
        return rep;
}

/* The diagnostic of check at path; fails the test when there is none. */
static size_t find_diag(const sw_report *rep, const char *check,
                        const char *path)
{
        for (size_t i = 0; i < sw_report_count(rep); i++)
                if (strcmp(sw_report_check(rep, i), check) == 0 &&
                    strcmp(sw_report_path(rep, i), path) == 0)
                        return i;
        for (size_t i = 0; i < sw_report_count(rep); i++)
                print_message("  have: %s %s: %s\n", sw_report_check(rep, i),
                              sw_report_path(rep, i),
                              sw_report_message(rep, i));
        fail_msg("no %s diagnostic at \"%s\"", check, path);
        return 0;
}

static void run_case(const struct rcase *c)
{
        sw_whitelist *wl = NULL;
        sw_config *cfg = sw_config_new();
        sw_report *rep;
        size_t i;

        print_message("case: %s\n", c->name);
        sw_config_set_arch(cfg, "x86_64");
        rep = load(c->doc, cfg, &wl);
        i = find_diag(rep, c->check, c->path);
        assert_int_equal(sw_report_severity(rep, i), c->sev);
        assert_int_equal(sw_report_code(rep, i), c->code);
        assert_string_equal(sw_report_file(rep, i), "t.json");
        print_message("  got %u:%u %s (hint: %s)\n", sw_report_line(rep, i),
                      sw_report_column(rep, i), sw_report_message(rep, i),
                      sw_report_hint(rep, i) ? sw_report_hint(rep, i) : "-");
        assert_non_null(strstr(sw_report_message(rep, i), c->frag));
        if (c->hint) {
                assert_non_null(sw_report_hint(rep, i));
                assert_non_null(strstr(sw_report_hint(rep, i), c->hint));
        }
        if (c->at) {
                unsigned line, col;

                where(c->doc, c->at, &line, &col);
                assert_int_equal(sw_report_line(rep, i), line);
                assert_int_equal(sw_report_column(rep, i), col);
        } else {
                assert_true(sw_report_line(rep, i) >= 1);
        }

        /* An error refuses the document; warnings do not. */
        if (c->sev == SW_SEV_ERROR) {
                assert_null(wl);
                assert_int_not_equal(sw_report_result(rep), SW_SUCCESS);
        }
        sw_whitelist_free(wl);
        sw_report_free(rep);
        sw_config_free(cfg);
}

static void test_cases(void **state)
{
        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(cases); i++)
                run_case(&cases[i]);
}

/* Strict mode: every warning of the table becomes an error. */
static void test_strict(void **state)
{
        sw_config *cfg = sw_config_new();

        (void)state;
        sw_config_set_arch(cfg, "x86_64");
        sw_config_set_strict(cfg, true);
        for (size_t i = 0; i < SW_ARRAY_SIZE(cases); i++) {
                const struct rcase *c = &cases[i];
                sw_whitelist *wl = NULL;
                sw_report *rep;
                size_t k;

                if (c->sev != SW_SEV_WARNING)
                        continue;
                print_message("strict case: %s\n", c->name);
                rep = load(c->doc, cfg, &wl);
                k = find_diag(rep, c->check, c->path);
                assert_int_equal(sw_report_severity(rep, k), SW_SEV_ERROR);
                assert_int_equal(sw_report_result(rep), SW_EPROTO);
                assert_null(wl);
                sw_report_free(rep);
        }
        sw_config_free(cfg);
}

/* A clean document: no diagnostic, and the model says what it says. */
static void test_model(void **state)
{
        static const char doc[] = DOC(
                "{\"name\": \"openat\", \"permission\": \"CONDITIONAL\", "
                "\"category\": \"file_io\", \"tokio_required\": true, "
                "\"errno\": \"ETIMEOUT\", \"conditions\": [{\"description\": "
                "\"ro\", \"argument_filter\": [{\"arg_index\": 2, "
                "\"operator\": \"masked_eq\", \"value\": \"O_RDONLY\", "
                "\"mask\": \"O_ACCMODE\", \"width\": 32}, {\"arg_index\": 1, "
                "\"operator\": \"eq\", \"value\": -100}]}, {\"description\": "
                "\"any\", \"argument_filter\": {\"arg_index\": 1, "
                "\"operator\": \"le\", \"value\": \"0xffffffffffffffff\"}}]},"
                "\n{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "
                "\"conditions\": {\"description\": \"pg\", "
                "\"port_restriction\": {\"allowed_ports\": [5432, 443], "
                "\"allowed_families\": [\"AF_UNIX\"]}}}");
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_report *rep;
        const struct sw_rule *r;

        (void)state;
        sw_config_set_arch(cfg, "x86_64");
        rep = load(doc, cfg, &wl);
        for (size_t i = 0; i < sw_report_count(rep); i++)
                print_message("unexpected: %s\n", sw_report_message(rep, i));
        assert_int_equal(sw_report_count(rep), 0);
        assert_non_null(wl);
        assert_string_equal(sw_whitelist_id(wl), "t");
        assert_int_equal(sw_whitelist_rule_count(wl), 6);
        assert_string_equal(sw_whitelist_rule_name(wl, 0), "execve");
        assert_int_equal(sw_whitelist_rule_number(wl, 0), 59);
        assert_int_equal(sw_whitelist_rule_permission(wl, 4), SW_CONDITIONAL);
        assert_string_equal(sw_whitelist_rule_category(wl, 4), "file_io");
        assert_null(sw_whitelist_rule_category(wl, 0));
        assert_true(sw_whitelist_rule_tokio(wl, 4));
        assert_true(sw_whitelist_has_ports(wl));

        r = &wl->rules[4];
        assert_int_equal(r->nr, 257);
        assert_int_equal(r->err_no, ETIMEDOUT);
        assert_int_equal(r->nconds, 2);
        assert_int_equal(r->conds[0].nargs, 2);
        assert_int_equal(r->conds[0].args[0].index, 2);
        assert_int_equal(r->conds[0].args[0].op, SW_OP_MASKED_EQ);
        assert_int_equal(r->conds[0].args[0].value, O_RDONLY);
        assert_int_equal(r->conds[0].args[0].mask, O_ACCMODE);
        assert_int_equal(r->conds[0].args[0].width, 32);
        assert_true(r->conds[0].args[0].width_explicit);
        assert_int_equal(r->conds[0].args[1].value, 0xffffffffffffff9cull);
        assert_int_equal(r->conds[0].args[1].width, 64);
        assert_false(r->conds[0].args[1].width_explicit);
        assert_int_equal(r->conds[1].args[0].op, SW_OP_LE);
        assert_int_equal(r->conds[1].args[0].value, UINT64_MAX);
        assert_string_equal(r->conds[1].args[0].pos.path,
                            "syscalls[4].conditions[1].argument_filter");
        assert_int_equal(r->pos.line, 7);
        assert_int_equal(r->pos.column, 1);

        r = &wl->rules[5];
        assert_non_null(r->conds[0].ports);
        assert_int_equal(r->conds[0].ports->count, 2);
        assert_int_equal(r->conds[0].ports->ports[0], 443);
        assert_int_equal(r->conds[0].ports->ports[1], 5432);
        assert_int_equal(r->conds[0].ports->families, SW_FAM_UNIX);
        assert_int_equal(r->err_no, EPERM);
        sw_whitelist_free(wl);
        sw_report_free(rep);
        sw_config_free(cfg);
}

/*
 * Comparisons without "width" that only fail closed on an int argument
 * (eq, lt, le on a value below 2^31, masked_eq), one on a 64-bit argument
 * and ones with a written width: no width warning.
 */
static void test_width_quiet(void **state)
{
        static const char *const docs[] = {
                FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                       "\"value\": 3"),
                FILTER("\"arg_index\": 2, \"operator\": \"le\", "
                       "\"value\": 64"),
                FILTER("\"arg_index\": 2, \"operator\": \"masked_eq\", "
                       "\"value\": 0, \"mask\": \"0xffffffff\""),
                FILTER("\"arg_index\": 1, \"operator\": \"ne\", "
                       "\"value\": -1"),
                FILTER("\"arg_index\": 0, \"operator\": \"eq\", "
                       "\"value\": -100, \"width\": 32"),
                FILTER("\"arg_index\": 2, \"operator\": \"gt\", "
                       "\"value\": 64, \"width\": 64"),
        };
        sw_config *cfg = sw_config_new();

        (void)state;
        sw_config_set_arch(cfg, "x86_64");
        for (size_t d = 0; d < SW_ARRAY_SIZE(docs); d++) {
                sw_whitelist *wl = NULL;
                sw_report *rep = load(docs[d], cfg, &wl);

                for (size_t i = 0; i < sw_report_count(rep); i++)
                        assert_string_not_equal(sw_report_check(rep, i),
                                                "arg-width");
                assert_non_null(wl);
                sw_whitelist_free(wl);
                sw_report_free(rep);
        }
        sw_config_free(cfg);
}

/* Values per architecture, and the whole 64-bit range. */
static uint64_t value_for(const char *arch, const char *value)
{
        char doc[2048];
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_report *rep;
        uint64_t v;

        snprintf(doc, sizeof(doc),
                 FILTER("\"arg_index\": 1, \"operator\": \"eq\", "
                        "\"value\": %s"),
                 value);
        sw_config_set_arch(cfg, arch);
        rep = load(doc, cfg, &wl);
        assert_non_null(wl);
        v = wl->rules[4].conds[0].args[0].value;
        sw_whitelist_free(wl);
        sw_report_free(rep);
        sw_config_free(cfg);
        return v;
}

static void test_values(void **state)
{
        (void)state;
        assert_int_equal(value_for("x86_64", "\"O_DIRECTORY\""), 0200000);
        assert_int_equal(value_for("aarch64", "\"O_DIRECTORY\""), 040000);
        assert_int_equal(value_for("x86_64", "\"O_RDONLY | O_CLOEXEC\""),
                         02000000);
        assert_int_equal(value_for("x86_64", "\"PROT_READ|PROT_WRITE\""), 3);
        assert_int_equal(value_for("x86_64", "\"AF_INET\""), 2);
        assert_int_equal(value_for("x86_64", "\"CLONE_THREAD|0x100\""),
                         0x10100);
        assert_int_equal(value_for("x86", "\"O_LARGEFILE\""), 0100000);
        assert_int_equal(value_for("x86_64", "\"O_LARGEFILE\""), 0);
        assert_int_equal(value_for("x86_64", "\"18446744073709551615\""),
                         UINT64_MAX);
        assert_int_equal(value_for("x86_64", "\"-9223372036854775808\""),
                         0x8000000000000000ull);
        assert_int_equal(value_for("x86_64", "-1"), UINT64_MAX);
        assert_int_equal(value_for("x86_64", "9223372036854775807"),
                         0x7fffffffffffffffull);
}

/* Names that exist elsewhere warn, with the call to use on the target. */
static void test_aarch64_names(void **state)
{
        static const char doc[] =
                DOC("{\"name\": \"open\", \"permission\": \"ALLOW\"},\n"
                    "{\"name\": \"arch_prctl\", \"permission\": \"ALLOW\"},\n"
                    "{\"name\": \"epoll_wait\", \"permission\": \"ALLOW\"}");
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_report *rep;
        size_t i;

        (void)state;
        sw_config_set_arch(cfg, "aarch64");
        rep = load(doc, cfg, &wl);
        assert_non_null(wl);
        i = find_diag(rep, "absent-on-arch", "syscalls[4].name");
        assert_non_null(strstr(sw_report_hint(rep, i), "\"openat\""));
        i = find_diag(rep, "absent-on-arch", "syscalls[5].name");
        assert_non_null(strstr(sw_report_message(rep, i), "only on x86"));
        assert_non_null(strstr(sw_report_hint(rep, i), "nothing replaces"));
        i = find_diag(rep, "absent-on-arch", "syscalls[6].name");
        assert_non_null(strstr(sw_report_hint(rep, i), "\"epoll_pwait\""));

        /* Kept in the model, never with a pseudo number. */
        assert_string_equal(wl->rules[4].name, "open");
        assert_int_equal(wl->rules[4].nr, -1);
        assert_int_equal(wl->rules[0].nr, 221); /* execve on aarch64 */
        assert_int_equal(wl->arch, SCMP_ARCH_AARCH64);
        sw_whitelist_free(wl);
        sw_report_free(rep);
        sw_config_free(cfg);
}

/* A configured authority replaces "Security Agent". */
static void test_authority(void **state)
{
        static const char doc[] = DOC("{\"name\": \"read\", "
                                      "\"permission\": \"ALLOW\"}");
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_report *rep;

        (void)state;
        sw_config_set_authority(cfg, "Ops Team");
        rep = load(doc, cfg, &wl);
        assert_null(wl);
        assert_int_equal(sw_report_result(rep), SW_EPERM);
        assert_non_null(strstr(sw_report_message(rep, 0), "\"Ops Team\""));
        sw_report_free(rep);
        sw_config_free(cfg);
}

/* Every problem in one pass: the four duplicates of bh-09. */
/* bh-08: every bad number of the file in one pass, each at its value,
 * though two integers do not fit in jansson's 64 bits. */
static void test_bh08_bad_numbers(void **state)
{
        static const struct {
                const char *check;
                unsigned line, col;
                const char *frag;
        } want[] = {
                {"bad-number", 10, 71, "18446744073709551615 is above 2^63-1"},
                {"bad-number", 12, 71, "18446744073709551616 is out of range"},
                {"bad-number", 14, 71,
                 "\"0x10000000000000000\" is not a number"},
                {"type", 16, 71, "fraction or an exponent (no integer)"},
                {"type", 18, 71, "fraction or an exponent (no integer)"},
                {"bad-number", 20, 71, "-9223372036854775809 is out of range"},
                {"width", 22, 71, "0xffffffff7fffffff does not fit in 32 bits"},
                {"width", 24, 71, "0x100000001 does not fit in 32 bits"},
                {"bad-number", 26, 71, "\"12abc\" is not a number"},
                {"arg-index", 28, 41, "arg_index must be 0 to 5, not 6"},
        };
        sw_report *rep = NULL;
        sw_whitelist *wl = NULL;

        (void)state;
        assert_int_equal(
                sw_whitelist_load_file(
                        tu_shared("cases/bh-08/whitelist-bad-numbers.json"),
                        NULL, &wl, &rep),
                SW_EPROTO);
        assert_null(wl);
        assert_int_equal(sw_report_count(rep), SW_ARRAY_SIZE(want));
        for (size_t k = 0; k < SW_ARRAY_SIZE(want); k++) {
                print_message("want %s at %u:%u\n", want[k].check, want[k].line,
                              want[k].col);
                assert_string_equal(sw_report_check(rep, k), want[k].check);
                assert_int_equal(sw_report_line(rep, k), want[k].line);
                assert_int_equal(sw_report_column(rep, k), want[k].col);
                assert_int_equal(sw_report_severity(rep, k), SW_SEV_ERROR);
                assert_non_null(
                        strstr(sw_report_message(rep, k), want[k].frag));
        }
        sw_report_free(rep);
}

static void test_bh09(void **state)
{
        static const struct {
                const char *path;
                unsigned line, col;
        } want[] = {
                {"syscalls[2].permission", 9, 64},
                {"syscalls[3].name", 10, 24},
                {"syscalls[4].conditions.argument_filter.mask", 14, 64},
                {"created_by", 16, 3},
        };
        sw_report *rep = NULL;
        sw_whitelist *wl = NULL;

        (void)state;
        assert_int_equal(
                sw_whitelist_load_file(tu_shared("cases/bh-09/whitelist.json"),
                                       NULL, &wl, &rep),
                SW_EPROTO);
        assert_null(wl);
        for (size_t k = 0; k < SW_ARRAY_SIZE(want); k++) {
                size_t i = find_diag(rep, "duplicate-key", want[k].path);

                assert_int_equal(sw_report_line(rep, i), want[k].line);
                assert_int_equal(sw_report_column(rep, i), want[k].col);
                assert_int_equal(sw_report_code(rep, i), SW_EPROTO);
        }
        sw_report_free(rep);
}

/* bh-12: one ENOENT error per bad name, with the nearest real names. */
static void test_bh12(void **state)
{
        static const struct {
                const char *path, *hint;
        } want[] = {
                {"syscalls[14].name", NULL},
                {"syscalls[15].name", "\"uname\""},
                {"syscalls[16].name", "\"openat\""},
                {"syscalls[17].name", "openat"},
                {"syscalls[18].name", "\"read\""},
        };
        sw_report *rep = NULL;

        (void)state;
        assert_int_equal(
                sw_whitelist_load_file(tu_shared("cases/bh-12/whitelist.json"),
                                       NULL, NULL, &rep),
                SW_ENOENT);
        assert_int_equal(sw_report_count_severity(rep, SW_SEV_ERROR), 5);
        for (size_t k = 0; k < SW_ARRAY_SIZE(want); k++) {
                size_t i = find_diag(rep, "unknown-syscall", want[k].path);

                assert_int_equal(sw_report_code(rep, i), SW_ENOENT);
                if (want[k].hint)
                        assert_non_null(
                                strstr(sw_report_hint(rep, i), want[k].hint));
                else
                        assert_null(sw_report_hint(rep, i));
        }
        sw_report_free(rep);
}

/* ---- files ---- */

static char tmpdir[64];

static const char *tmp(const char *name)
{
        static char buf[128];

        snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
        return buf;
}

static sw_code load_path(const char *path, const char **check)
{
        sw_report *rep = NULL;
        sw_code rc = sw_whitelist_load_file(path, NULL, NULL, &rep);

        assert_non_null(rep);
        assert_int_equal(sw_report_count(rep), 1);
        *check = sw_report_check(rep, 0);
        assert_int_equal(sw_report_code(rep, 0), rc);
        sw_report_free(rep);
        return rc;
}

static void test_files(void **state)
{
        const char *check = NULL;
        char *big;
        FILE *f;

        (void)state;
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/sw-reader-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));

        assert_int_equal(load_path(tmp("missing.json"), &check), SW_ENOENT);
        assert_string_equal(check, "open-error");
        assert_int_equal(load_path(tmpdir, &check), SW_EIO);
        assert_string_equal(check, "not-a-file");

        /* A FIFO without a writer reads as empty at once, never waits. */
        assert_int_equal(mkfifo(tmp("fifo"), 0600), 0);
        assert_int_equal(load_path(tmp("fifo"), &check), SW_EPROTO);
        assert_string_equal(check, "empty");

        f = fopen(tmp("empty.json"), "w");
        assert_non_null(f);
        fclose(f);
        assert_int_equal(load_path(tmp("empty.json"), &check), SW_EPROTO);
        assert_string_equal(check, "empty");

        big = malloc(SW_MAX_DOCUMENT_SIZE + 2);
        assert_non_null(big);
        memset(big, ' ', SW_MAX_DOCUMENT_SIZE + 1);
        big[0] = '{';
        big[SW_MAX_DOCUMENT_SIZE] = '}';
        f = fopen(tmp("big.json"), "w");
        assert_non_null(f);
        assert_int_equal(fwrite(big, 1, SW_MAX_DOCUMENT_SIZE + 1, f),
                         SW_MAX_DOCUMENT_SIZE + 1);
        fclose(f);
        assert_int_equal(load_path(tmp("big.json"), &check), SW_EPROTO);
        assert_string_equal(check, "too-large");

        /* The same bytes in memory are refused by the buffer path too. */
        {
                sw_report *rep = NULL;

                assert_int_equal(
                        sw_whitelist_load_buffer(big, SW_MAX_DOCUMENT_SIZE + 1,
                                                 "b", NULL, NULL, &rep),
                        SW_EPROTO);
                assert_string_equal(sw_report_check(rep, 0), "too-large");
                sw_report_free(rep);
        }
        free(big);

        unlink(tmp("fifo"));
        unlink(tmp("empty.json"));
        unlink(tmp("big.json"));
        rmdir(tmpdir);
}

/* Nesting past SW_MAX_DEPTH is refused at the level that crosses it. */
static void test_depth(void **state)
{
        char doc[512] = TOP("\"metadata\": ");
        char *p = strstr(doc, "\"metadata\": ") + strlen("\"metadata\": ");
        char tail[256];
        sw_report *rep = NULL;
        size_t i;

        (void)state;
        snprintf(tail, sizeof(tail), "%s", p);
        for (int d = 0; d < SW_MAX_DEPTH + 2; d++)
                *p++ = '[';
        for (int d = 0; d < SW_MAX_DEPTH + 2; d++)
                *p++ = ']';
        snprintf(p, sizeof(doc) - (size_t)(p - doc), "%s", tail);

        sw_whitelist_load_buffer(doc, strlen(doc), "d", NULL, NULL, &rep);
        i = find_diag(rep, "too-deep",
                      "metadata[0][0][0][0][0][0][0][0][0]"
                      "[0][0][0][0][0][0][0][0][0][0][0][0]"
                      "[0][0][0][0][0][0][0][0][0][0]");
        assert_int_equal(sw_report_line(rep, i), 2);
        assert_int_equal(sw_report_code(rep, i), SW_EPROTO);
        sw_report_free(rep);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cases),
                cmocka_unit_test(test_strict),
                cmocka_unit_test(test_model),
                cmocka_unit_test(test_width_quiet),
                cmocka_unit_test(test_values),
                cmocka_unit_test(test_aarch64_names),
                cmocka_unit_test(test_authority),
                cmocka_unit_test(test_bh08_bad_numbers),
                cmocka_unit_test(test_bh09),
                cmocka_unit_test(test_bh12),
                cmocka_unit_test(test_files),
                cmocka_unit_test(test_depth),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
