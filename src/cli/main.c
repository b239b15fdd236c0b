/*
 * main.c - the syswall command: a table of subcommands.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char *sw_prog = "syswall";

struct command {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
};

/* In the order a user meets them: write and check, run, then the tools. */
static const struct command commands[] = {
        {"check", cmd_check, "check whitelists and report every problem"},
        {"run", cmd_run, "run a command under a whitelist"},
        {"list", cmd_list, "list the rules of a whitelist"},
        {"learn", cmd_learn,
         "trace a command and write the whitelist it needs"},
        {"explain", cmd_explain, "what the filter does with one call, and why"},
        {"compile", cmd_compile,
         "compile a whitelist to a proven seccomp-BPF program"},
        {"disasm", cmd_disasm, "list a filter's BPF with names and rules"},
        {"import", cmd_import,
         "turn a Docker/OCI or Firecracker profile into a whitelist"},
        {"export", cmd_export,
         "write a whitelist for OCI runtimes, Kubernetes, bwrap or C"},
        {"keygen", cmd_keygen, "make an Ed25519 key pair for signing"},
        {"sign", cmd_sign, "sign a whitelist in place"},
        {"verify", cmd_verify, "check a whitelist's signature"},
        {"features", cmd_features, "what the running kernel offers"},
        {"version", cmd_version, "print the version"},
};

static void usage(FILE *out)
{
        fprintf(out, "usage: %s COMMAND [ARGS...]\n\n", sw_prog);
        fprintf(out, "Turn a JSON syscall whitelist into a seccomp-BPF "
                     "filter and run programs under it.\n\ncommands:\n");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(out, "  %-10s %s\n", commands[i].name,
                        commands[i].summary);
        fprintf(out, "\nRun '%s COMMAND --help' for a command's options.\n",
                sw_prog);
}

int main(int argc, char **argv)
{
        /* Subcommands report a bad option themselves (cli_bad_option). */
        opterr = 0;
        if (argc < 2) {
                usage(stderr);
                return SW_EPROTO;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
            strcmp(argv[1], "help") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0)
                return cmd_version(argc - 1, argv + 1);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "%s: unknown command '%s' [EPROTO]\nTry '%s --help'.\n",
                sw_prog, argv[1], sw_prog);
        return SW_EPROTO;
}
