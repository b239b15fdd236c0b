/*
 * error.c - the P1.7 codes and the error object.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_info {
        const char *name;
        const char *text;
        int linux_errno;
};

static const struct code_info codes[SW_CODE_COUNT] = {
        [SW_SUCCESS] = {"SUCCESS", "done", 0},
        [SW_EAGAIN] = {"EAGAIN", "temporarily unavailable, try again", EAGAIN},
        [SW_EIO] = {"EIO", "reading or writing a file or the kernel failed",
                    EIO},
        [SW_ENOENT] = {"ENOENT",
                       "a file, a system call name or another named thing "
                       "does not exist",
                       ENOENT},
        [SW_EPERM] = {"EPERM",
                      "not permitted: wrong authority, bad signature, the "
                      "kernel refused",
                      EPERM},
        [SW_EPROTO] = {"EPROTO", "the document breaks this format", EPROTO},
        [SW_ETIMEOUT] = {"ETIMEOUT", "timed out", ETIMEDOUT},
        [SW_EINTERNAL] = {"EINTERNAL", "internal error (out of memory, a bug)",
                          ENOTRECOVERABLE},
        [SW_EPANIC] = {"EPANIC",
                       "an unrecoverable fault in a supervising component",
                       EOWNERDEAD},
};

static bool code_valid(sw_code code)
{
        return (int)code >= 0 && (int)code < SW_CODE_COUNT;
}

const char *sw_code_name(sw_code code)
{
        return code_valid(code) ? codes[code].name : "UNKNOWN";
}

const char *sw_code_describe(sw_code code)
{
        return code_valid(code) ? codes[code].text : "unknown code";
}

bool sw_code_from_name(const char *name, sw_code *out)
{
        if (name == NULL)
                return false;
        for (int i = 0; i < SW_CODE_COUNT; i++) {
                if (strcmp(codes[i].name, name) == 0) {
                        *out = (sw_code)i;
                        return true;
                }
        }
        return false;
}

bool sw_code_from_int(int value, sw_code *out)
{
        if (value < 0 || value >= SW_CODE_COUNT)
                return false;
        *out = (sw_code)value;
        return true;
}

int sw_code_to_errno(sw_code code)
{
        return code_valid(code) ? codes[code].linux_errno : ENOTRECOVERABLE;
}

sw_code sw_code_of_file_errno(int e)
{
        if (e == ENOENT || e == ENOTDIR)
                return SW_ENOENT;
        if (e == EACCES || e == EPERM)
                return SW_EPERM;
        if (e == ENOMEM)
                return SW_EINTERNAL;
        return SW_EIO;
}

char *sw_strdup(const char *s)
{
        return s ? strdup(s) : NULL;
}

char *sw_vasprintf(const char *fmt, va_list ap)
{
        char *s = NULL;

        if (vasprintf(&s, fmt, ap) < 0)
                return NULL;
        return s;
}

char *sw_asprintf(const char *fmt, ...)
{
        va_list ap;
        char *s;

        va_start(ap, fmt);
        s = sw_vasprintf(fmt, ap);
        va_end(ap);
        return s;
}

/*
 * The error used when an error cannot be allocated: a static object whose
 * free is a no-op, so an out-of-memory failure still reaches the caller.
 */
static struct sw_error oom_error = {
        .code = SW_EINTERNAL,
        .message = "out of memory",
};

__attribute__((format(printf, 8, 0))) static sw_code
store(sw_error **err, sw_code code, const char *file, unsigned line,
      unsigned col, const char *path, const char *hint, const char *fmt,
      va_list ap)
{
        struct sw_error *e;

        if (err == NULL)
                return code;
        e = calloc(1, sizeof(*e));
        if (e == NULL) {
                *err = &oom_error;
                return code;
        }
        e->code = code;
        e->message = sw_vasprintf(fmt, ap);
        e->file = sw_strdup(file);
        e->path = sw_strdup(path);
        e->hint = sw_strdup(hint);
        e->line = line;
        e->column = col;
        if (e->message == NULL) {
                sw_error_free(e);
                e = &oom_error;
        }
        *err = e;
        return code;
}

sw_code sw_fail(sw_error **err, sw_code code, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        store(err, code, NULL, 0, 0, NULL, NULL, fmt, ap);
        va_end(ap);
        return code;
}

sw_code sw_fail_at(sw_error **err, sw_code code, const char *file,
                   unsigned line, unsigned col, const char *path,
                   const char *hint, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        store(err, code, file, line, col, path, hint, fmt, ap);
        va_end(ap);
        return code;
}

sw_code sw_error_code(const sw_error *err)
{
        return err ? err->code : SW_SUCCESS;
}

const char *sw_error_message(const sw_error *err)
{
        return err ? err->message : "";
}

const char *sw_error_file(const sw_error *err)
{
        return err ? err->file : NULL;
}

unsigned sw_error_line(const sw_error *err)
{
        return err ? err->line : 0;
}

unsigned sw_error_column(const sw_error *err)
{
        return err ? err->column : 0;
}

const char *sw_error_path(const sw_error *err)
{
        return err ? err->path : NULL;
}

const char *sw_error_hint(const sw_error *err)
{
        return err ? err->hint : NULL;
}

void sw_error_free(sw_error *err)
{
        if (err == NULL || err == &oom_error)
                return;
        free(err->message);
        free(err->file);
        free(err->path);
        free(err->hint);
        free(err);
}
