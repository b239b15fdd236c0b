/*
 * cli.h - what the subcommands of the syswall command share.
 *
 * Each subcommand lives in its own file as `int cmd_NAME(int argc,
 * char **argv)`, with argv[0] the subcommand's name.  It returns the
 * process exit status: a P1.7 code for every command but run (spec 5).
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include "syswall.h"

#include <stdio.h>

/* The program name for messages: "syswall". */
extern const char *sw_prog;

/*
 * Print an error once: "syswall: <what>: <message> [CODE]", or, for an
 * error at a place in a document, "file:line:col: error: <message>
 * [CODE]"; then its JSON path and hint.
 */
void cli_print_error(const char *what, const sw_error *err);

/* Print "syswall: <cmd>: <message> [CODE]" once; return code. */
int cli_fail(const char *cmd, sw_code code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * A wrong command line: the error line, then "Try 'syswall <cmd>
 * --help'."; returns SW_EPROTO.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * getopt_long returned '?' (unknown option) or ':' (an option without its
 * value; the option string starts with ':'): say which, as above.
 * main() turns getopt's own messages off (opterr = 0).
 */
int cli_bad_option(const char *cmd, int c, char **argv);

/* An --arch value libsyswall does not know: the error and the choices. */
int cli_bad_arch(const char *cmd, const char *arch);

/* Print "syswall: <what>: out of memory [EINTERNAL]"; returns SW_EINTERNAL. */
int cli_out_of_memory(const char *what);

/*
 * Print every diagnostic of a report once: as text on stderr, like a
 * compiler (file:line:col: error: message [CODE], the source line with a
 * caret, the JSON path and the hint; colour only on a terminal without
 * NO_COLOR), or with json as one JSON object per line on stdout
 * (docs/diagnostics.md).  source may be NULL to use the report's own
 * copy of the document.  Returns false when memory ran out to print them
 * in full (a caret or a line of --json is missing, or there is no report:
 * loading makes one unless memory ran out for it); a report whose
 * checking ran out of memory is said to have, once.
 */
bool cli_print_report(const sw_report *rep, const char *source, bool json);

/* An error as one line of --json, in the diagnostics' fields. */
void cli_print_error_json(const sw_error *err, const char *check);

/* The same, leaving out diagnostics below severity min (check -q). */
bool cli_print_report_min(const sw_report *rep, const char *source, bool json,
                          sw_severity min);

/*
 * --trust FILE for check, compile and run: load the trust store into cfg;
 * on failure print why (as cmd) and return the code.
 */
int cli_set_trust(sw_config *cfg, const char *file, const char *cmd);

/*
 * Write len bytes of data to path (NULL: standard output); on failure
 * print why (as cmd) and return SW_EIO.
 */
int cli_write_out(const char *cmd, const char *path, const char *data,
                  size_t len);

int cmd_run(int argc, char **argv);

/*
 * `run --complain` (complain.c): run cmd under f (compiled from wl) with
 * the calls it would refuse allowed and reported, print a summary, and
 * write the additions to suggest_path when it is not NULL.  Returns the
 * exit status of `run`: the command's, 128+N for a signal, 125 when
 * syswall fails.
 */
int cli_complain(const sw_whitelist *wl, const sw_filter *f,
                 const sw_config *cfg, char **cmd, const char *suggest_path);

int cmd_version(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif /* SW_CLI_H */
