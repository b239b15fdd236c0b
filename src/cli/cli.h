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

/* Print "syswall: <what>: <message> [CODE]" with position if any, once. */
void cli_print_error(const char *what, const sw_error *err);

int cmd_version(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_learn(int argc, char **argv);

#endif /* SW_CLI_H */
