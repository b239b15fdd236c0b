/*
 * interop.h - what the importers and exporters of foreign profiles share.
 *
 * A foreign profile (OCI/Docker, Firecracker) is first read into a neutral
 * list of entries per system call name: an action, an errno and a
 * conjunction of argument comparisons.  interop.c then resolves each name
 * to one P1.2 rule and writes the whitelist.  Everything that cannot be
 * carried over exactly is written to the sw_report given by the caller.
 */
#ifndef SW_INTEROP_H
#define SW_INTEROP_H

#include "internal.h"

/* What a foreign rule or default does with a matching call. */
enum ix_action {
        IX_ALLOW,
        IX_ERRNO, /* fail with err_no */
        IX_KILL,  /* kill the process (or thread) */
};

struct ix_cmp {
        unsigned index;
        enum sw_op op;
        uint64_t value;
        uint64_t mask;  /* SW_OP_MASKED_EQ only */
        unsigned width; /* 32 or 64 */
};

/* One foreign rule for one name: all comparisons must hold. */
struct ix_entry {
        enum ix_action action;
        int err_no;
        struct ix_cmp *cmps;
        size_t ncmps;
        char *comment; /* NULL when none */
        char *path;    /* where it came from: "syscalls[3]" */
};

/* Every entry of one name, in the order the profile gave them. */
struct ix_name {
        char *name;
        int nr;
        struct ix_entry *entries;
        size_t count;
};

/* A profile read for one target, ready to become a whitelist. */
struct ix_profile {
        uint32_t arch;
        enum ix_action default_action;
        int default_errno;
        struct ix_name *names;
        size_t count;
        bool unlisted_kill; /* keep a non-kill default out of the output */
        const char *format; /* "oci", "firecracker" */
        const char *source; /* file name for metadata and messages */
};

void ix_profile_free(struct ix_profile *p);

/*
 * Append an entry for name (copied), taking ownership of e's members.
 * Names absent on the target are dropped with a warning at path.
 * Returns false only when out of memory.
 */
bool ix_profile_add(struct ix_profile *p, const char *name, struct ix_entry *e,
                    sw_report *rep, const char *path);

void ix_entry_clear(struct ix_entry *e);

/*
 * Resolve every name into one P1.2 rule and build the whitelist document.
 * Returns SW_SUCCESS and sets *out, or a code with *err filled.
 */
sw_code ix_build_whitelist(struct ix_profile *p, const char *id,
                           const char *authority, json_t *metadata,
                           sw_report *rep, json_t **out, sw_error **err);

/* "ENOSYS" for 38; NULL when the number has no name. */
const char *ix_errno_name(int err_no);

/* A whitelist_id made of the file's base name and an optional suffix. */
char *ix_id_from_path(const char *path, const char *suffix);

/* A JSON number, or a "0x..." string when above 2^53. */
json_t *ix_json_u64(uint64_t v);

/* The target arch token of an import or export: 0 means native. */
uint32_t ix_arch_token(const char *arch, sw_error **err, sw_code *code);

/* ---- the import result (import.c) ---- */

struct sw_import {
        char **names; /* thread names, NULL entries for OCI */
        char **docs;  /* formatted whitelist documents */
        size_t count;
};

/* Append a document (formatted and freed here) under name (copied). */
sw_code ix_import_push(sw_import *imp, const char *name, json_t *doc,
                       sw_error **err);

/*
 * The end every reader shares: turn the parsed profile p into a whitelist
 * named id (created_by authority, NULL: the default) with metadata meta,
 * append it to imp under name, and free p, id and meta.  rc is the
 * reader's result so far: anything but SW_SUCCESS only frees.
 */
sw_code ix_import_finish(sw_import *imp, const char *name, struct ix_profile *p,
                         char *id, json_t *meta, const char *authority,
                         sw_code rc, sw_report *rep, sw_error **err);

/* The metadata every imported whitelist carries. */
json_t *ix_metadata(const char *path, const char *format, uint32_t arch);

/* Each reader fills imp with the whitelists of one parsed profile. */
sw_code ix_import_oci(json_t *root, const char *path,
                      const sw_import_options *opts, uint32_t arch,
                      sw_import *imp, sw_report *rep, sw_error **err);
sw_code ix_import_fc(json_t *root, const char *path,
                     const sw_import_options *opts, uint32_t arch,
                     sw_import *imp, sw_report *rep, sw_error **err);

/* ---- argument conditions as OCI entries (oci_args.c) ---- */

#define EX_MAX_ENTRIES 160 /* entries one rule may grow into */
#define EX_MAX_ALTS    128 /* alternatives for one argument */
#define EX_MAX_ATOMS   12  /* comparisons in one condition */
#define EX_LOW32       0xffffffffull

/* One comparison OCI can carry: width 64 only. */
struct ex_atom {
        unsigned index;
        enum sw_op op;
        uint64_t value, mask;
        bool low32; /* an order comparison on the low 32 bits */
};

/* A conjunction with at most one atom per index: one OCI entry. */
struct ex_box {
        struct ex_atom a[6];
        bool set[6];
};

struct ex_boxes {
        struct ex_box *v;
        size_t n;
        bool fail; /* not expressible */
        bool oom;
};

/* One condition: all its comparisons must hold. */
struct ex_cset {
        struct ex_atom a[EX_MAX_ATOMS];
        size_t n;
};

void ex_boxes_push(struct ex_boxes *b, const struct ex_box *x);
/* A conjunction of any comparisons as entries (an OR of boxes). */
void ex_conj_boxes(const struct ex_atom *atoms, size_t n, struct ex_boxes *out);
/* The arguments for which none of the n conditions holds, as entries. */
void ex_complement(const struct ex_cset *cs, size_t n, struct ex_boxes *out);

/* ---- export of a compiled program (export_bpf.c) ---- */

/* Raw BPF or a C initializer of wl's compiled and proven program. */
sw_code ex_program(const sw_whitelist *wl, const sw_config *cfg,
                   sw_export_format fmt, char **out, size_t *len,
                   sw_error **err);

#endif /* SW_INTEROP_H */
