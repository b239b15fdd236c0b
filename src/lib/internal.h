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
#include <sys/stat.h>

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

/*
 * Read or write exactly size bytes, retrying after EINTR and short
 * transfers (fdio.c).  False on an error (errno says which) or, for a
 * read, on end of file first; a write that moves 0 bytes leaves errno as
 * the kernel set it.
 */
bool sw_read_full(int fd, void *buf, size_t size);
bool sw_write_full(int fd, const void *buf, size_t size);

/* ---- parsing JSON text (jsonload.c) ---- */

/*
 * Parse len bytes of JSON text with jansson's flags.  SW_SUCCESS with
 * *root (a new reference); SW_EPROTO when the text is not JSON, with
 * jansson's message and position in *jerr (may be NULL); SW_EINTERNAL
 * when memory ran out during the parse, whatever jansson made of it.
 * Every parse of untrusted text goes through here (see jsonload.c).
 */
sw_code sw_json_load(const char *text, size_t len, size_t flags, json_t **root,
                     json_error_t *jerr);

/*
 * How many of jansson's allocations failed on this thread so far.  A
 * builder of JSON notes it before and compares after: any change means a
 * member or element was silently lost, and the result is SW_EINTERNAL.
 */
unsigned long sw_json_failures(void);

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
        bool oom;     /* an entry could not be recorded */
        char *source; /* the document's text, for carets; may be NULL */
        size_t source_len;
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

/* The code generator sw_compile() uses (sw_config_set_backend). */
enum sw_backend {
        SW_BACKEND_DEFAULT, /* native where it supports the target */
        SW_BACKEND_NATIVE,
        SW_BACKEND_LIBSECCOMP,
};

struct sw_config {
        uint32_t arch; /* libseccomp SCMP_ARCH_* token */
        enum sw_backend backend;
        bool strict;
        char *authority;
        bool no_landlock; /* force the supervisor for TCP ports (netplan.c) */
        struct sw_trust *trust; /* NULL: signatures are not checked */
        bool require_signature;
        bool no_listing; /* sw_compile makes no pseudo-code listing */
};

/* The fingerprint of the library's sources (cmake/buildid.cmake). */
extern const char sw_build_id[];

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
        int err_no;        /* Linux errno for DENY and CONDITIONAL */
        bool err_no_given; /* "errno" was written (else EPERM) */
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
        bool has_ports; /* some condition carries a port restriction */
};

const char *sw_category_name(enum sw_category cat);
const char *sw_op_name(enum sw_op op);
const char *sw_permission_name(sw_permission perm);

/* ---- the compiler (argwidth.c) ---- */

/*
 * The width in bits (32 or 64) of argument idx of syscall nr on arch as
 * the kernel reads it, from the kernel's prototypes; 64 when unknown, 0
 * when memory ran out looking it up.  arch 0 means native.
 */
unsigned sw_arg_width(uint32_t arch, int nr, unsigned idx);
/* ---- document text and value positions (locate.c) ---- */

/* Where one value (and, for an object member, its key) starts. */
struct sw_loc {
        char *path;
        unsigned line, column;         /* the value */
        unsigned key_line, key_column; /* the key; 0 for array elements */
        size_t seq;                    /* order in the text */
};

/* A document read into memory, parsed and located. */
struct sw_doc {
        const char *name; /* for diagnostics, borrowed */
        const char *text; /* borrowed, len bytes, not NUL-terminated */
        size_t len;
        json_t *root;        /* NULL when the text is no valid JSON */
        struct sw_loc *locs; /* sorted by path, then seq */
        size_t nlocs;
};

/*
 * Read a whole file for checking: refuses what is not a regular file
 * (without blocking on a FIFO), an empty file and one over
 * SW_MAX_DOCUMENT_SIZE.  On success *text is malloc'ed, NUL-terminated.
 */
sw_code sw_doc_read_file(const char *path, char **text, size_t *len,
                         sw_report *rep);
/*
 * Parse text with jansson and locate every value.  Reports syntax
 * errors, nesting deeper than SW_MAX_DEPTH and every duplicate key to
 * rep.  doc->root is set when the text is valid JSON (even with
 * duplicate keys, where jansson keeps the last value).
 */
sw_code sw_doc_parse(struct sw_doc *doc, sw_report *rep);
void sw_doc_release(struct sw_doc *doc);
/*
 * base extended by an object key: "base.key", or base["key"] for a key
 * that is no identifier (JSON string syntax).  Malloc'ed; NULL on OOM.
 */
char *sw_path_key(const char *base, const char *key);
/* Position of the value at path (key position when key is true). */
bool sw_doc_where(const struct sw_doc *doc, const char *path, bool key,
                  unsigned *line, unsigned *col);

/* ---- near misses (suggest.c) ---- */

/* Optimal-string-alignment edit distance, capped at cap + 1. */
size_t sw_edit_distance(const char *a, const char *b, size_t cap);
/*
 * The candidate a person most likely meant by word, or NULL: the same
 * word in another case, a unique candidate word is a prefix of, or the
 * nearest within a small edit distance.
 */
const char *sw_suggest(const char *word, const char *const *cands, size_t n);

/* ---- system call names per architecture (names.c) ---- */

/* Number of name on arch (0 = native), or -1 when absent there. */
int sw_syscall_number(uint32_t arch, const char *name);
/* True when name is a real system call on some architecture. */
bool sw_syscall_known(const char *name);
/* Comma separated architectures where name exists ("x86_64, x86"). */
char *sw_syscall_arches(const char *name);
/*
 * Up to max nearest real names for a name that is no system call, most
 * likely first.  Returns how many were stored (static strings).
 */
size_t sw_syscall_suggest(const char *name, const char **out, size_t max);
/*
 * What to use on arch instead of a name that is absent there: *use gets
 * the replacement (NULL when there is none) and *why a reason (NULL when
 * the table has none).  Returns false when the name has no entry.
 */
bool sw_syscall_replacement(uint32_t arch, const char *name, const char **use,
                            const char **why);

/* ---- symbolic constants (consts.c) ---- */

/*
 * Value of an expression such as "O_RDONLY|O_CLOEXEC" for arch.  On an
 * unknown name returns false and sets *bad (malloc'ed) to the name and
 * *hint (static or NULL) to the nearest known one.  False with *bad NULL
 * means memory ran out.
 */
bool sw_const_eval(uint32_t arch, const char *expr, uint64_t *out, char **bad,
                   const char **hint);

/* ---- errno names (rules.c) ---- */

/* errno of a Linux or P1.7 name ("EACCES", "ETIMEOUT"), or -1. */
int sw_errno_from_name(const char *name);

/* ---- lint (lint.c) ---- */

/* Warnings (errors when strict) about rules real programs trip over. */
void sw_lint(const sw_whitelist *wl, const struct sw_doc *doc,
             const sw_config *cfg, sw_report *rep);
/* ---- a set of process or thread ids (pidset.c) ---- */

struct sw_pidset {
        pid_t *v;
        size_t n, cap;
};

bool sw_pidset_has(const struct sw_pidset *s, pid_t id);

/* Add id (the caller checks it is not there yet); false on OOM. */
bool sw_pidset_add(struct sw_pidset *s, pid_t id);

/* Remove id if it is there; the last id takes its place. */
void sw_pidset_remove(struct sw_pidset *s, pid_t id);

/* Free the ids; the set is empty and usable again. */
void sw_pidset_free(struct sw_pidset *s);

/* Index of the rule named name, or -1. */
ssize_t sw_whitelist_find(const sw_whitelist *wl, const char *name);

/*
 * The same in a document's "syscalls" array (JSON, as learn and export
 * edit it): the rule object named name, its index in *idx when idx is
 * not NULL; NULL when there is none.
 */
json_t *sw_doc_rule(const json_t *rules, const char *name, size_t *idx);

/* ---- canonical form and signatures (canon.c, keys.c, sign.c) ---- */

/*
 * The RFC 8785 canonical form of v in a new NUL-terminated buffer (*out,
 * *len bytes, free()).  skip_key, if not NULL, is a member of the
 * top-level object left out (the signature).
 */
sw_code sw_canon(const json_t *v, const char *skip_key, char **out, size_t *len,
                 sw_error **err);

struct sw_trust_key {
        unsigned char pk[32];
        char id[SW_KEY_ID_SIZE];
        char *name; /* NULL when the line has none */
};

struct sw_trust {
        char *file;
        struct sw_trust_key *keys;
        size_t count;
};

struct sw_secret_key {
        unsigned char sk[64]; /* libsodium's secret key: seed and public */
        unsigned char pk[32];
        char id[SW_KEY_ID_SIZE];
};

/* Read a secret key file; the caller wipes *key with sodium_memzero. */
sw_code sw_secret_key_load(const char *path, struct sw_secret_key *key,
                           sw_error **err);
void sw_key_id(const unsigned char pk[32], char id[SW_KEY_ID_SIZE]);
bool sw_key_name_valid(const char *name);
/* Strict standard base64 of exactly want (at most 128) bytes. */
bool sw_base64_decode(const char *text, size_t len, unsigned char *out,
                      size_t want);
/* A regular file of at most max bytes, NUL-terminated; *st is its stat. */
sw_code sw_read_text_file(const char *path, size_t max, char **out, size_t *len,
                          struct stat *st, sw_error **err);

/*
 * A parsed document's signature against trust (NULL: state only).  name
 * is used in messages.  With trust, anything but a valid signature is
 * SW_EPERM.
 */
sw_code sw_signature_check(const json_t *root, const char *name,
                           const sw_trust *trust, sw_sig_state *state,
                           size_t *key, sw_error **err);

/*
 * The reader calls this right after parsing, before reading any rule:
 * with a trust store configured (or a signature required) it refuses an
 * unsigned or badly signed document with an EPERM error in rep and
 * returns SW_EPERM; a valid signature adds a note naming the key.
 * Without either, or for a document that is no object, it does nothing.
 */
sw_code sw_signature_gate(const struct sw_doc *doc, const sw_config *cfg,
                          sw_report *rep);

#endif /* SW_INTERNAL_H */
