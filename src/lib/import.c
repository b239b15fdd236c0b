/*
 * import.c - sw_import_file(): read a foreign profile and hand it to the
 * reader of its format (import_oci.c, import_fc.c).
 */
#include "interop.h"

#include <stdlib.h>
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

json_t *ix_metadata(const char *path, const char *format, uint32_t arch)
{
        const char *base = strrchr(path, '/');

        return json_pack("{s:s, s:s, s:s}", "imported_from",
                         base ? base + 1 : path, "import_format", format,
                         "import_arch", sw_arch_name(arch));
}

static sw_code read_json(const char *path, json_t **root, sw_error **err)
{
        json_error_t jerr;

        *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (*root != NULL)
                return SW_SUCCESS;
        if (jerr.line < 0 || strstr(jerr.text, "unable to open"))
                return sw_fail_at(err, SW_EIO, path, 0, 0, NULL, NULL, "%s",
                                  jerr.text);
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
