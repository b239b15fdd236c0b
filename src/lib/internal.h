/*
 * internal.h - what the modules of libsyswall share and users never see.
 *
 * Out-of-memory policy, applied everywhere: an allocation failure is
 * reported as SW_EINTERNAL through the normal error path; nothing aborts
 * and nothing is left half-built.  The sw_x* helpers below return NULL on
 * failure like the libc functions they wrap, so callers check them.
 */
#ifndef SW_INTERNAL_H
#define SW_INTERNAL_H

#include "syswall.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

#define SW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors (error.c) ---- */

struct sw_error {
        sw_code code;
        char *message;
        char *file;
        char *path;
        char *hint;
        unsigned line;
        unsigned column;
};

/*
 * Make an error and store it in *err when err is not NULL.  Returns the
 * code so that callers can write `return sw_fail(err, SW_EIO, ...)`.
 */
sw_code sw_fail(sw_error **err, sw_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The same with a document position. */
sw_code sw_fail_at(sw_error **err, sw_code code, const char *file,
                   unsigned line, unsigned col, const char *path,
                   const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));

char *sw_strdup(const char *s);
char *sw_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sw_vasprintf(const char *fmt, va_list ap)
        __attribute__((format(printf, 1, 0)));

/* ---- reports (report.c) ---- */

struct sw_diag {
        sw_severity severity;
        sw_code code;
        unsigned line;
        unsigned column;
        char *path;
        char *message;
        char *hint;
        const char *check; /* static string */
};

struct sw_report {
        char *file;
        struct sw_diag *items;
        size_t count;
        size_t cap;
        bool oom; /* an entry could not be recorded */
};

sw_report *sw_report_new(const char *file);
/*
 * Append a diagnostic.  hint may be NULL.  On allocation failure the
 * report remembers it (and its result becomes SW_EINTERNAL).
 */
void sw_report_add(sw_report *rep, sw_severity sev, sw_code code,
                   const char *check, unsigned line, unsigned col,
                   const char *path, const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 9, 10)));
/* Sort by line and column, keeping the order of equal positions. */
void sw_report_sort(sw_report *rep);

/* ---- configuration (config.c) ---- */

struct sw_config {
        uint32_t arch; /* libseccomp SCMP_ARCH_* token */
        bool strict;
        char *authority;
        bool no_landlock; /* force the supervisor for TCP ports (netplan.c) */
};

/* Defaults used when a caller passes a NULL config (arch 0 = native). */
const sw_config *sw_config_default(void);
/* Name of a libseccomp architecture token (0 = native). */
const char *sw_arch_name(uint32_t token);

/* ---- the policy model (filled by reader.c) ---- */

enum sw_op {
        SW_OP_EQ,
        SW_OP_NE,
        SW_OP_GT,
        SW_OP_LT,
        SW_OP_GE,
        SW_OP_LE,
        SW_OP_MASKED_EQ,
};

enum sw_category {
        SW_CAT_NONE = -1,
        SW_CAT_MEMORY,
        SW_CAT_FILE_IO,
        SW_CAT_PROCESS,
        SW_CAT_NETWORK,
        SW_CAT_TIME,
        SW_CAT_SIGNALS,
        SW_CAT_MISC,
        SW_CAT_TOKIO_RUNTIME,
};

/* Where a value sits in the document. */
struct sw_pos {
        unsigned line;
        unsigned column;
        char *path; /* owned */
};

struct sw_argf {
        unsigned index; /* 0..5 */
        enum sw_op op;
        uint64_t value;
        uint64_t mask;       /* masked_eq only */
        unsigned width;      /* 32 or 64 */
        bool width_explicit; /* "width" was written in the document */
        struct sw_pos pos;
};

/* Families without ports that a port restriction still lets through. */
#define SW_FAM_UNIX    0x1u
#define SW_FAM_NETLINK 0x2u

struct sw_ports {
        uint16_t *ports; /* sorted, unique */
        size_t count;
        unsigned families; /* SW_FAM_* */
        struct sw_pos pos;
};

struct sw_cond {
        char *description;
        struct sw_argf *args;
        size_t nargs;
        struct sw_ports *ports; /* NULL when none */
        struct sw_pos pos;
};

struct sw_rule {
        char *name;
        int nr; /* number on the target, -1 when absent there */
        sw_permission perm;
        enum sw_category category;
        bool tokio;
        char *description;
        int err_no; /* Linux errno for DENY and CONDITIONAL */
        struct sw_cond *conds;
        size_t nconds;
        struct sw_pos pos;
};

struct sw_whitelist {
        char *file;
        char *schema_version;
        char *id;
        char *created_at;
        char *created_by;
        char *updated_at;
        char *updated_by;
        char *signature;
        json_t *root; /* the parsed document, kept for signing and export */
        uint32_t arch;
        struct sw_rule *rules; /* rules absent on the target included */
        size_t nrules;
};

const char *sw_category_name(enum sw_category cat);
const char *sw_op_name(enum sw_op op);
const char *sw_permission_name(sw_permission perm);

/* ---- the compiler (argwidth.c) ---- */

/*
 * The width in bits (32 or 64) of argument idx of syscall nr on arch as
 * the kernel reads it, from the kernel's prototypes; 64 when unknown.
 * arch 0 means native.
 */
unsigned sw_arg_width(uint32_t arch, int nr, unsigned idx);

#endif /* SW_INTERNAL_H */
