/*
 * report.c - the list of diagnostics a document produced.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

sw_report *sw_report_new(const char *file)
{
        sw_report *rep = calloc(1, sizeof(*rep));

        if (rep == NULL)
                return NULL;
        rep->file = sw_strdup(file ? file : "<input>");
        if (rep->file == NULL) {
                free(rep);
                return NULL;
        }
        return rep;
}

static bool grow(sw_report *rep)
{
        size_t cap = rep->cap ? rep->cap * 2 : 16;
        struct sw_diag *items;

        if (rep->count < rep->cap)
                return true;
        items = realloc(rep->items, cap * sizeof(*items));
        if (items == NULL)
                return false;
        rep->items = items;
        rep->cap = cap;
        return true;
}

void sw_report_add(sw_report *rep, sw_severity sev, sw_code code,
                   const char *check, unsigned line, unsigned col,
                   const char *path, const char *hint, const char *fmt, ...)
{
        struct sw_diag d = {sev, code, line, col, NULL, NULL, NULL, check};
        va_list ap;

        if (rep == NULL)
                return;
        va_start(ap, fmt);
        d.message = sw_vasprintf(fmt, ap);
        va_end(ap);
        d.path = sw_strdup(path ? path : "");
        d.hint = sw_strdup(hint);

        if (d.message == NULL || d.path == NULL || (hint && !d.hint) ||
            !grow(rep)) {
                free(d.message);
                free(d.path);
                free(d.hint);
                rep->oom = true;
                return;
        }
        rep->items[rep->count++] = d;
}

static int by_position(const void *a, const void *b)
{
        const struct sw_diag *x = a, *y = b;

        if (x->line != y->line)
                return x->line < y->line ? -1 : 1;
        if (x->column != y->column)
                return x->column < y->column ? -1 : 1;
        return 0;
}

void sw_report_sort(sw_report *rep)
{
        /* Insertion sort: stable, and reports are short. */
        for (size_t i = 1; rep && i < rep->count; i++) {
                struct sw_diag d = rep->items[i];
                size_t j = i;

                while (j > 0 && by_position(&rep->items[j - 1], &d) > 0) {
                        rep->items[j] = rep->items[j - 1];
                        j--;
                }
                rep->items[j] = d;
        }
}

size_t sw_report_count(const sw_report *rep)
{
        return rep ? rep->count : 0;
}

size_t sw_report_count_severity(const sw_report *rep, sw_severity sev)
{
        size_t n = 0;

        for (size_t i = 0; rep && i < rep->count; i++)
                n += rep->items[i].severity == sev;
        return n;
}

#define ITEM_GETTER(type, fn, field, fallback)                                 \
        type fn(const sw_report *rep, size_t i)                                \
        {                                                                      \
                if (rep == NULL || i >= rep->count)                            \
                        return fallback;                                       \
                return rep->items[i].field;                                    \
        }

ITEM_GETTER(sw_severity, sw_report_severity, severity, SW_SEV_NOTE)
ITEM_GETTER(sw_code, sw_report_code, code, SW_SUCCESS)
ITEM_GETTER(unsigned, sw_report_line, line, 0)
ITEM_GETTER(unsigned, sw_report_column, column, 0)
ITEM_GETTER(const char *, sw_report_path, path, NULL)
ITEM_GETTER(const char *, sw_report_message, message, NULL)
ITEM_GETTER(const char *, sw_report_hint, hint, NULL)
ITEM_GETTER(const char *, sw_report_check, check, NULL)

const char *sw_report_file(const sw_report *rep, size_t i)
{
        (void)i;
        return rep ? rep->file : NULL;
}

/*
 * The worst error decides: an out-of-memory during checking outranks the
 * document's own problems, then the first error's code.
 */
sw_code sw_report_result(const sw_report *rep)
{
        if (rep == NULL)
                return SW_SUCCESS;
        if (rep->oom)
                return SW_EINTERNAL;
        for (size_t i = 0; i < rep->count; i++)
                if (rep->items[i].severity == SW_SEV_ERROR)
                        return rep->items[i].code;
        return SW_SUCCESS;
}

void sw_report_free(sw_report *rep)
{
        if (rep == NULL)
                return;
        for (size_t i = 0; i < rep->count; i++) {
                free(rep->items[i].path);
                free(rep->items[i].message);
                free(rep->items[i].hint);
        }
        free(rep->items);
        free(rep->file);
        free(rep->source);
        free(rep);
}

const char *sw_report_source(const sw_report *rep, size_t *len)
{
        if (len)
                *len = rep ? rep->source_len : 0;
        return rep ? rep->source : NULL;
}
