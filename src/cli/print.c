/*
 * print.c - the one place the command prints an error.
 */
#include "cli.h"

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
