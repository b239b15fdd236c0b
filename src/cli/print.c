/*
 * print.c - the one place the command prints an error.
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * An error about a place in a document reads like a diagnostic, led by
 * the file (file:line:col: error: ...); any other is led by the command.
 */
void cli_print_error(const char *what, const sw_error *err)
{
        const char *file = sw_error_file(err);
        const char *hint = sw_error_hint(err);

        if (file && sw_error_line(err))
                fprintf(stderr, "%s:%u:%u: error: ", file, sw_error_line(err),
                        sw_error_column(err));
        else if (file)
                fprintf(stderr, "%s: error: ", file);
        else
                fprintf(stderr, "%s: %s: ", sw_prog, what);
        fprintf(stderr, "%s [%s]\n", sw_error_message(err),
                sw_code_name(sw_error_code(err)));
        if (sw_error_path(err) && *sw_error_path(err))
                fprintf(stderr, "  at %s\n", sw_error_path(err));
        if (hint)
                fprintf(stderr, "  hint: %s\n", hint);
}

__attribute__((format(printf, 3, 0))) static void
vfail(const char *cmd, sw_code code, const char *fmt, va_list ap)
{
        fprintf(stderr, "%s: %s: ", sw_prog, cmd);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, " [%s]\n", sw_code_name(code));
}

int cli_fail(const char *cmd, sw_code code, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vfail(cmd, code, fmt, ap);
        va_end(ap);
        return code;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vfail(cmd, SW_EPROTO, fmt, ap);
        va_end(ap);
        fprintf(stderr, "Try '%s %s --help'.\n", sw_prog, cmd);
        return SW_EPROTO;
}

int cli_out_of_memory(const char *what)
{
        return cli_fail(what, SW_EINTERNAL, "out of memory");
}

int cli_bad_arch(const char *cmd, const char *arch)
{
        cli_fail(cmd, SW_ENOENT, "unknown architecture '%s'", arch);
        fprintf(stderr, "  hint: use x86_64, aarch64, x86, riscv64, x32, arm, "
                        "ppc64le, s390x or native\n");
        return SW_ENOENT;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
        const char *arg = optind > 0 ? argv[optind - 1] : "";

        if (c == ':')
                return cli_usage_error(cmd, "option '%s' needs a value", arg);
        if (optopt > 0 && optopt < 128)
                return cli_usage_error(cmd, "unknown option '-%c'", optopt);
        return cli_usage_error(cmd, "unknown option '%s'", arg);
}

/* ------------------------------------------------------------------ */
/* Diagnostics of a document                                           */
/* ------------------------------------------------------------------ */

struct style {
        const char *bold, *sev, *caret, *reset;
};

/* Colour only on a terminal, and never when NO_COLOR is set. */
static bool want_colour(FILE *out)
{
        const char *no = getenv("NO_COLOR");

        if (no && *no)
                return false;
        return isatty(fileno(out));
}

static struct style style_for(sw_severity sev, bool colour)
{
        struct style s = {"", "", "", ""};

        if (!colour)
                return s;
        s.bold = "\033[1m";
        s.sev = sev == SW_SEV_ERROR     ? "\033[1;31m"
                : sev == SW_SEV_WARNING ? "\033[1;35m"
                                        : "\033[1;36m";
        s.caret = "\033[1;32m";
        s.reset = "\033[0m";
        return s;
}

static const char *severity_word(sw_severity sev)
{
        return sev == SW_SEV_ERROR     ? "error"
               : sev == SW_SEV_WARNING ? "warning"
                                       : "note";
}

/*
 * The document being shown, with the start of every line and the last
 * position looked up: diagnostics come sorted by position, so finding
 * the next column continues from the previous one instead of walking a
 * (possibly 1 MiB, minified) line from its start every time.
 */
struct source {
        const char *text;
        size_t len;
        size_t *lines; /* byte offset of each line start */
        size_t nlines;
        unsigned line, col; /* cached position ... */
        size_t at;          /* ... and its byte offset */
};

static void source_open(struct source *src, const char *text, size_t len)
{
        size_t n = 1;

        memset(src, 0, sizeof(*src));
        src->text = text;
        src->len = len;
        if (text == NULL)
                return;
        for (size_t i = 0; i < len; i++)
                n += text[i] == '\n';
        src->lines = malloc(n * sizeof(*src->lines));
        if (src->lines == NULL)
                return;
        src->lines[src->nlines++] = 0;
        for (size_t i = 0; i < len; i++)
                if (text[i] == '\n')
                        src->lines[src->nlines++] = i + 1;
}

static void source_close(struct source *src)
{
        free(src->lines);
}

static bool is_cont(char c)
{
        return ((unsigned char)c & 0xc0) == 0x80;
}

/* End of line `line` (1-based), without its newline or carriage return. */
static size_t line_end(const struct source *src, unsigned line)
{
        size_t end = line < src->nlines ? src->lines[line] - 1 : src->len;

        if (end > src->lines[line - 1] && src->text[end - 1] == '\r')
                end--;
        return end;
}

/* Byte offset of (line, col), continuing from the cached position. */
static size_t source_find(struct source *src, unsigned line, unsigned col)
{
        size_t end = line_end(src, line), p = src->lines[line - 1];
        unsigned c = 1;

        if (src->line == line && src->col <= col) {
                p = src->at;
                c = src->col;
        }
        for (; c < col && p < end; c++) {
                p++;
                while (p < end && is_cont(src->text[p]))
                        p++;
        }
        src->line = line;
        src->col = col;
        src->at = p;
        return p;
}

#define CLI_LINE_WINDOW 72
#define CLI_LINE_MAX    144

/* Move from p by n characters, backwards (n < 0) or forwards. */
static size_t chars_from(const char *s, size_t lo, size_t hi, size_t p, int n)
{
        for (; n < 0 && p > lo; n++) {
                p--;
                while (p > lo && is_cont(s[p]))
                        p--;
        }
        for (; n > 0 && p < hi; n--) {
                p++;
                while (p < hi && is_cont(s[p]))
                        p++;
        }
        return p;
}

/*
 * The offending line with a caret under the column.  A very long line
 * (a minified document) is cut to a window around the column.
 */
static void print_caret(FILE *out, struct source *src, unsigned line,
                        unsigned col, const struct style *st)
{
        size_t start, end, at, from, to;
        int width;
        char num[16];

        if (src->lines == NULL || line == 0 || line > src->nlines)
                return;
        start = src->lines[line - 1];
        end = line_end(src, line);
        at = source_find(src, line, col);
        from = start;
        if (at - start > CLI_LINE_WINDOW)
                from = chars_from(src->text, start, end, at,
                                  -CLI_LINE_WINDOW / 2);
        to = chars_from(src->text, start, end, from, CLI_LINE_MAX);
        width = snprintf(num, sizeof(num), "%u", line);
        fprintf(out, " %s | %s%.*s%s\n", num, from > start ? "..." : "",
                (int)(to - from), src->text + from, to < end ? "..." : "");
        fprintf(out, " %*s | %s", width, "", from > start ? "   " : "");
        for (size_t i = from; i < at; i++) {
                if (is_cont(src->text[i]))
                        continue;
                fputc(src->text[i] == '\t' ? '\t' : ' ', out);
        }
        fprintf(out, "%s^%s\n", st->caret, st->reset);
}

static void print_text(const sw_report *rep, size_t i, struct source *src,
                       bool colour)
{
        sw_severity sev = sw_report_severity(rep, i);
        struct style st = style_for(sev, colour);
        const char *path = sw_report_path(rep, i);
        const char *hint = sw_report_hint(rep, i);
        unsigned line = sw_report_line(rep, i);

        fprintf(stderr, "%s%s:", st.bold, sw_report_file(rep, i));
        if (line)
                fprintf(stderr, "%u:%u:", line, sw_report_column(rep, i));
        fprintf(stderr, "%s %s%s:%s %s%s%s", st.reset, st.sev,
                severity_word(sev), st.reset, st.bold,
                sw_report_message(rep, i), st.reset);
        if (sev != SW_SEV_NOTE)
                fprintf(stderr, " [%s]", sw_code_name(sw_report_code(rep, i)));
        fputc('\n', stderr);
        print_caret(stderr, src, line, sw_report_column(rep, i), &st);
        if (path && *path)
                fprintf(stderr, "  at %s\n", path);
        if (hint)
                fprintf(stderr, "  hint: %s\n", hint);
}

/* One diagnostic's fields, from a report or an error. */
struct diag {
        const char *file, *severity, *check, *path, *message, *hint;
        unsigned line, column;
        sw_code code;
};

/* One line of --json (docs/diagnostics.md). */
static bool print_json_diag(const struct diag *d)
{
        json_t *o = json_pack(
                "{s:s, s:i, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:o}", "file",
                d->file, "line", (int)d->line, "column", (int)d->column,
                "severity", d->severity, "code", sw_code_name(d->code),
                "code_value", (int)d->code, "check", d->check, "path", d->path,
                "message", d->message, "hint",
                d->hint ? json_string(d->hint) : json_null());
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                            JSON_ENSURE_ASCII)
                    : NULL;

        if (s)
                printf("%s\n", s);
        free(s);
        json_decref(o);
        return s != NULL;
}

static bool print_json(const sw_report *rep, size_t i)
{
        struct diag d = {
                .file = sw_report_file(rep, i),
                .severity = severity_word(sw_report_severity(rep, i)),
                .check = sw_report_check(rep, i),
                .path = sw_report_path(rep, i),
                .message = sw_report_message(rep, i),
                .hint = sw_report_hint(rep, i),
                .line = sw_report_line(rep, i),
                .column = sw_report_column(rep, i),
                .code = sw_report_code(rep, i),
        };

        return print_json_diag(&d);
}

void cli_print_error_json(const sw_error *err, const char *check)
{
        struct diag d = {
                .file = sw_error_file(err) ? sw_error_file(err) : "",
                .severity = "error",
                .check = check,
                .path = sw_error_path(err) ? sw_error_path(err) : "",
                .message = sw_error_message(err),
                .hint = sw_error_hint(err),
                .line = sw_error_line(err),
                .column = sw_error_column(err),
                .code = sw_error_code(err),
        };

        print_json_diag(&d);
}

bool cli_print_report(const sw_report *rep, const char *source, bool json)
{
        return cli_print_report_min(rep, source, json, SW_SEV_NOTE);
}

/*
 * Memory ran out while the document was checked: the report may lack
 * diagnostics, or hold some the failure caused, so say it once.
 */
static void print_out_of_memory(const sw_report *rep, bool json)
{
        const char *file = sw_report_file(rep, 0);
        struct diag d = {
                .file = file ? file : "<input>",
                .severity = "error",
                .check = "internal",
                .path = "",
                .message = "out of memory: the document could not be "
                           "checked completely",
                .code = SW_EINTERNAL,
        };

        if (!json)
                fprintf(stderr, "%s: error: %s [EINTERNAL]\n", d.file,
                        d.message);
        else if (!print_json_diag(&d))
                /* Without memory for that, the same object, by hand. */
                printf("{\"file\":\"\",\"line\":0,\"column\":0,"
                       "\"severity\":\"error\",\"code\":\"EINTERNAL\","
                       "\"code_value\":%d,\"check\":\"internal\","
                       "\"path\":\"\",\"message\":\"%s\",\"hint\":null}\n",
                       (int)SW_EINTERNAL, d.message);
}

bool cli_print_report_min(const sw_report *rep, const char *source, bool json,
                          sw_severity min)
{
        size_t len = 0;
        bool colour = want_colour(stderr), whole = true;
        struct source src;

        if (rep == NULL) {
                cli_out_of_memory("report");
                return false;
        }
        if (source)
                len = strlen(source);
        else
                source = sw_report_source(rep, &len);
        source_open(&src, json ? NULL : source, len);
        /* Without the line index the carets would be missing. */
        if (src.text && src.lines == NULL && sw_report_count(rep) > 0)
                whole = false;
        for (size_t i = 0; i < sw_report_count(rep); i++) {
                if (sw_report_severity(rep, i) < min)
                        continue;
                if (json)
                        whole &= print_json(rep, i);
                else
                        print_text(rep, i, &src, colour);
        }
        source_close(&src);
        if (sw_report_result(rep) == SW_EINTERNAL)
                print_out_of_memory(rep, json);
        fflush(stdout);
        return whole;
}
