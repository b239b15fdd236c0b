/*
 * import.c - sw_import_file(): read a foreign profile and hand it to the
 * reader of its format (import_oci.c, import_fc.c).
 */
#include "interop.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

sw_code ix_import_push(sw_import *imp, const char *name, json_t *doc,
                       sw_error **err)
{
        char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        char *copy = name ? sw_strdup(name) : NULL;
        char **names = realloc(imp->names, (imp->count + 1) * sizeof(char *));
        char **docs;

        json_decref(doc);
        if (names)
                imp->names = names;
        docs = names ? realloc(imp->docs, (imp->count + 1) * sizeof(char *))
                     : NULL;
        if (docs)
                imp->docs = docs;
        if (text == NULL || (name && copy == NULL) || docs == NULL) {
                free(text);
                free(copy);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }

        /* json_dumps() ends without a newline; files should end with one. */
        docs[imp->count] = sw_asprintf("%s\n", text);
        free(text);
        if (docs[imp->count] == NULL) {
                free(copy);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        names[imp->count++] = copy;
        return SW_SUCCESS;
}

sw_code ix_import_finish(sw_import *imp, const char *name, struct ix_profile *p,
                         char *id, json_t *meta, const char *authority,
                         sw_code rc, sw_report *rep, sw_error **err)
{
        json_t *doc = NULL;

        if (rc == SW_SUCCESS && (id == NULL || meta == NULL))
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        if (rc == SW_SUCCESS)
                rc = ix_build_whitelist(
                        p, id, authority ? authority : SW_DEFAULT_AUTHORITY,
                        meta, rep, &doc, err);
        if (rc == SW_SUCCESS)
                rc = ix_import_push(imp, name, doc, err);
        json_decref(meta);
        free(id);
        ix_profile_free(p);
        return rc;
}

json_t *ix_metadata(const char *path, const char *format, uint32_t arch)
{
        const char *base = strrchr(path, '/');

        return json_pack("{s:s, s:s, s:s}", "imported_from",
                         base ? base + 1 : path, "import_format", format,
                         "import_arch", sw_arch_name(arch));
}

/*
 * OCI profiles hold unsigned 64-bit numbers, jansson only signed ones: a
 * number token above INT64_MAX (outside strings) is quoted, and the
 * readers take a string of digits as a number.
 */
static char *quote_big_numbers(const char *text, size_t len)
{
        char *out = malloc(len * 2 + 1), *w = out;
        bool in_str = false;
        size_t i = 0;

        while (out && i < len) {
                char c = text[i];
                size_t j = i;
                bool big;

                if (in_str || c == '"') {
                        *w++ = text[i++];
                        if (in_str && c == '\\' && i < len)
                                *w++ = text[i++];
                        else if (c == '"')
                                in_str = !in_str;
                        continue;
                }
                if (c < '0' || c > '9' ||
                    (i > 0 && strchr(".eE+0123456789", text[i - 1]))) {
                        *w++ = text[i++];
                        continue;
                }
                while (j < len && text[j] >= '0' && text[j] <= '9')
                        j++;
                big = j - i > 18 && strtoull(text + i, NULL, 10) > INT64_MAX;
                if (big)
                        *w++ = '"';
                memcpy(w, text + i, j - i);
                w += j - i;
                if (big)
                        *w++ = '"';
                i = j;
        }
        if (out)
                *w = '\0';
        return out;
}

/* Largest foreign profile read (Docker's default is about 20 KiB). */
#define IX_MAX_INPUT ((size_t)4 << 20) /* 4 MiB */

static sw_code read_json(const char *path, json_t **root, sw_error **err)
{
        json_error_t jerr;
        char *text = NULL, *fixed;
        size_t len = 0;
        sw_code rc;
        FILE *f = fopen(path, "r");

        if (f == NULL)
                return sw_fail_at(err, sw_code_of_file_errno(errno), path, 0, 0,
                                  NULL, NULL, "cannot open the file: %m");
        text = malloc(IX_MAX_INPUT + 1);
        if (text)
                len = fread(text, 1, IX_MAX_INPUT + 1, f);
        fclose(f);
        if (len > IX_MAX_INPUT) {
                free(text);
                return sw_fail_at(err, SW_EPROTO, path, 0, 0, NULL, NULL,
                                  "larger than %zu bytes", IX_MAX_INPUT);
        }
        fixed = text ? quote_big_numbers(text, len) : NULL;
        free(text);
        if (fixed == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        rc = sw_json_load(fixed, strlen(fixed), JSON_REJECT_DUPLICATES, root,
                          &jerr);
        free(fixed);
        if (rc == SW_EINTERNAL)
                return sw_fail(err, rc, "out of memory");
        if (rc == SW_SUCCESS)
                return rc;
        return sw_fail_at(err, SW_EPROTO, path, (unsigned)jerr.line,
                          (unsigned)jerr.column, NULL, NULL, "%s", jerr.text);
}

sw_code sw_import_file(const char *path, sw_import_format format,
                       const sw_import_options *opts, sw_import **out,
                       sw_report **report, sw_error **err)
{
        static const sw_import_options none = {0};
        sw_report *rep = sw_report_new(path);
        sw_import *imp = calloc(1, sizeof(*imp));
        json_t *root = NULL;
        unsigned long lost = sw_json_failures();
        uint32_t arch;
        sw_code rc;

        *out = NULL;
        if (report)
                *report = rep;
        if (rep == NULL || imp == NULL) {
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
                goto done;
        }
        opts = opts ? opts : &none;
        arch = ix_arch_token(opts->arch, err, &rc);
        if (rc == SW_SUCCESS)
                rc = read_json(path, &root, err);
        if (rc == SW_SUCCESS && format == SW_IMPORT_FIRECRACKER)
                rc = ix_import_fc(root, path, opts, arch, imp, rep, err);
        else if (rc == SW_SUCCESS)
                rc = ix_import_oci(root, path, opts, arch, imp, rep, err);
        /* A member jansson could not add, or a warning not recorded. */
        if (rc == SW_SUCCESS && (sw_json_failures() != lost ||
                                 sw_report_result(rep) == SW_EINTERNAL))
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");

done:
        json_decref(root);
        if (rc == SW_SUCCESS) {
                *out = imp;
                imp = NULL;
        }
        sw_import_free(imp);
        if (report == NULL)
                sw_report_free(rep);
        return rc;
}

size_t sw_import_count(const sw_import *imp)
{
        return imp ? imp->count : 0;
}

const char *sw_import_name(const sw_import *imp, size_t i)
{
        return i < sw_import_count(imp) ? imp->names[i] : NULL;
}

const char *sw_import_json(const sw_import *imp, size_t i)
{
        return i < sw_import_count(imp) ? imp->docs[i] : NULL;
}

void sw_import_free(sw_import *imp)
{
        if (imp == NULL)
                return;
        for (size_t i = 0; i < imp->count; i++) {
                free(imp->names[i]);
                free(imp->docs[i]);
        }
        free(imp->names);
        free(imp->docs);
        free(imp);
}
