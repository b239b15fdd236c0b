/*
 * reader.h - what the parts of the document checker share (reader.c
 * checks the document, rules.c its rules, lint.c what real programs
 * need).
 */
#ifndef SW_READER_H
#define SW_READER_H

#include "internal.h"

struct rd_ctx {
        struct sw_doc *doc;
        sw_report *rep;
        const sw_config *cfg;
        sw_whitelist *wl;
        bool foreign;          /* the document is another tool's format */
        const char *rules_key; /* "syscalls", or a near miss of it */
        bool oom;
};

/* Record a problem at path (at its key when at_key). */
void rd_problem(struct rd_ctx *c, sw_severity sev, sw_code code,
                const char *check, const char *path, bool at_key,
                const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));
sw_severity rd_lint_severity(const struct rd_ctx *c);

/* "base.key" and "base[i]"; NULL (and c->oom) when out of memory. */
char *rd_key_path(struct rd_ctx *c, const char *base, const char *key);
/* sw_strdup(s), noting an out-of-memory in c; NULL stays NULL. */
char *rd_strdup(struct rd_ctx *c, const char *s);
char *rd_index_path(struct rd_ctx *c, const char *base, size_t i);

void rd_type_error(struct rd_ctx *c, const char *path, const char *key,
                   const json_t *v, const char *want);
void rd_missing(struct rd_ctx *c, const char *obj_path, const char *key,
                const char *hint);
json_t *rd_member(struct rd_ctx *c, json_t *obj, const char *obj_path,
                  const char *key, json_type type, bool required,
                  const char *want);
void rd_unknown_fields(struct rd_ctx *c, json_t *obj, const char *obj_path,
                       const char *const *known, size_t n);
int rd_enum(struct rd_ctx *c, const json_t *v, const char *path,
            const char *key, const char *const *words, size_t n);
bool rd_parse_time(const char *s, int64_t *when, double *frac);

/* rules.c */
void rd_check_rule(struct rd_ctx *c, json_t *rule, size_t i);
void rd_check_duplicates(struct rd_ctx *c);

#endif
