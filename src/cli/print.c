/*
 * print.c - the one place the command prints an error.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_print_error(const char *what, const sw_error *err)
{
        const char *file = sw_error_file(err);
        const char *hint = sw_error_hint(err);

        if (file && sw_error_line(err))
                fprintf(stderr, "%s:%u:%u: ", file, sw_error_line(err),
                        sw_error_column(err));
        else if (file)
                fprintf(stderr, "%s: ", file);
        fprintf(stderr, "%s: %s: %s [%s]\n", sw_prog, what,
                sw_error_message(err), sw_code_name(sw_error_code(err)));
        if (sw_error_path(err) && *sw_error_path(err))
                fprintf(stderr, "  at %s\n", sw_error_path(err));
        if (hint)
                fprintf(stderr, "  hint: %s\n", hint);
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

/* Start and length of line number `line` (1-based) in text. */
static bool find_line(const char *text, size_t len, unsigned line,
                      const char **start, size_t *n)
{
        const char *p = text, *end = text + len;

        for (unsigned l = 1; l < line; l++) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));

                if (nl == NULL)
                        return false;
                p = nl + 1;
        }
        *start = p;
        *n = (size_t)((const char *)(memchr(p, '\n', (size_t)(end - p))
                                             ?: end) -
                      p);
        if (*n > 0 && p[*n - 1] == '\r')
                (*n)--;
        return true;
}

/* Byte offset of the character at 1-based column col. */
static size_t byte_of_column(const char *s, size_t n, unsigned col)
{
        size_t i = 0;

        for (unsigned c = 1; c < col && i < n; c++) {
                i++;
                while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
                        i++;
        }
        return i;
}

#define CLI_LINE_WINDOW 72
#define CLI_LINE_MAX    144

/*
 * The offending line with a caret under the column.  A very long line
 * (a minified document) is cut to a window around the column.
 */
static void print_caret(FILE *out, const char *text, size_t len, unsigned line,
                        unsigned col, const struct style *st)
{
        const char *s;
        size_t n, at, from = 0, to;
        int width;
        char num[16];

        if (text == NULL || line == 0 || !find_line(text, len, line, &s, &n))
                return;
        at = byte_of_column(s, n, col);
        if (at > CLI_LINE_WINDOW)
                from = byte_of_column(s, n, col - CLI_LINE_WINDOW / 2);
        to = n;
        if (to - from > CLI_LINE_MAX)
                to = from + byte_of_column(s + from, n - from, CLI_LINE_MAX);
        width = snprintf(num, sizeof(num), "%u", line);
        fprintf(out, " %s | %s%.*s%s\n", num, from ? "..." : "",
                (int)(to - from), s + from, to < n ? "..." : "");
        fprintf(out, " %*s | %s", width, "", from ? "   " : "");
        for (size_t i = from; i < at && i < n; i++) {
                if (((unsigned char)s[i] & 0xc0) == 0x80)
                        continue;
                fputc(s[i] == '\t' ? '\t' : ' ', out);
        }
        fprintf(out, "%s^%s\n", st->caret, st->reset);
}

static void print_text(const sw_report *rep, size_t i, const char *text,
                       size_t len, bool colour)
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
        print_caret(stderr, text, len, line, sw_report_column(rep, i), &st);
        if (path && *path)
                fprintf(stderr, "  at %s\n", path);
        if (hint)
                fprintf(stderr, "  hint: %s\n", hint);
}

static void print_json(const sw_report *rep, size_t i)
{
        const char *hint = sw_report_hint(rep, i);
        json_t *o = json_pack(
                "{s:s, s:i, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:o}", "file",
                sw_report_file(rep, i), "line", (int)sw_report_line(rep, i),
                "column", (int)sw_report_column(rep, i), "severity",
                severity_word(sw_report_severity(rep, i)), "code",
                sw_code_name(sw_report_code(rep, i)), "code_value",
                (int)sw_report_code(rep, i), "check", sw_report_check(rep, i),
                "path", sw_report_path(rep, i), "message",
                sw_report_message(rep, i), "hint",
                hint ? json_string(hint) : json_null());
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                            JSON_ENSURE_ASCII)
                    : NULL;

        if (s)
                printf("%s\n", s);
        free(s);
        json_decref(o);
}

void cli_print_report(const sw_report *rep, const char *source, bool json)
{
        size_t len = 0;
        bool colour = want_colour(stderr);

        if (source)
                len = strlen(source);
        else
                source = sw_report_source(rep, &len);
        for (size_t i = 0; i < sw_report_count(rep); i++) {
                if (json)
                        print_json(rep, i);
                else
                        print_text(rep, i, source, len, colour);
        }
        fflush(stdout);
}
