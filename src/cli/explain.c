/*
 * explain.c - `syswall explain`: what the compiled filter does with one
 * call, and why.
 */
#include "cli.h"
#include "internal.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

static void explain_usage(FILE *f)
{
        fprintf(f,
                "usage: %s explain [--arch A] FILE SYSCALL [ARG...]\n\n"
                "Compile the whitelist FILE and run the call SYSCALL(ARG...) through\n"
                "the program in libsyswall's BPF interpreter, as the kernel would.\n"
                "Prints the action (ALLOW, ERRNO(...), KILL_PROCESS), the rule and the\n"
                "condition that decided it, the mechanism that judges its port when a\n"
                "port restriction applies, and how many BPF instructions ran.\n\n"
                "SYSCALL is a name or a number of the target architecture.  Each ARG is\n"
                "a number (42, -1, 0x1f) or symbolic constants (AF_INET,\n"
                "\"O_RDONLY|O_CLOEXEC\"); missing arguments are 0.\n\n"
                "options:\n"
                "  -a, --arch A   target architecture (default: native)\n"
                "  -h, --help     this text\n\n"
                "Exit status: 0, or the P1.7 code of the failure (EINTERNAL when the\n"
                "filter and the whitelist disagree).  Example:\n"
                "  %s explain ls.json socket AF_INET SOCK_STREAM\n",
                sw_prog, sw_prog);
}

struct explain_opts {
        const char *arch;
        const char *pos[8]; /* FILE, SYSCALL, 6 ARGs */
        int npos;
};

/* Options may follow the operands; "-1" is an argument, not an option. */
static int parse(int argc, char **argv, struct explain_opts *o)
{
        bool options = true;

        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];

                if (options && strcmp(a, "--") == 0) {
                        options = false;
                } else if (options &&
                           (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
                        explain_usage(stdout);
                        exit(0);
                } else if (options &&
                           (strcmp(a, "--arch") == 0 || strcmp(a, "-a") == 0)) {
                        if (++i == argc)
                                return cli_usage_error(
                                        "explain", "option '%s' needs a value",
                                        a);
                        o->arch = argv[i];
                } else if (options && strncmp(a, "--arch=", 7) == 0) {
                        o->arch = a + 7;
                } else if (options && strncmp(a, "--", 2) == 0) {
                        return cli_usage_error("explain", "unknown option '%s'",
                                               a);
                } else if (o->npos == 8) {
                        return cli_usage_error("explain",
                                               "at most 6 arguments");
                } else {
                        o->pos[o->npos++] = a;
                }
        }
        if (o->npos < 2)
                return cli_usage_error("explain", "give FILE and SYSCALL");
        return 0;
}

static int syscall_number(uint32_t arch, const char *s)
{
        char *end;
        long v = strtol(s, &end, 0);

        if (*s && *end == '\0' && v >= 0 && v < 0x7fffffff)
                return (int)v;
        return seccomp_syscall_resolve_name_arch(arch, s);
}

static int parse_args(const struct explain_opts *o, uint32_t arch,
                      uint64_t args[6])
{
        for (int i = 2; i < o->npos; i++) {
                char *bad = NULL;
                const char *hint = NULL;

                if (sw_const_eval(arch, o->pos[i], &args[i - 2], &bad, &hint))
                        continue;
                if (bad == NULL)
                        return cli_out_of_memory("explain");
                cli_fail("explain", SW_ENOENT, "unknown constant '%s' in '%s'",
                         bad ? bad : o->pos[i], o->pos[i]);
                if (hint)
                        fprintf(stderr, "  hint: did you mean '%s'?\n", hint);
                free(bad);
                return SW_ENOENT;
        }
        return SW_SUCCESS;
}

static int run_explain(const sw_whitelist *wl, const sw_config *cfg,
                       const struct explain_opts *o)
{
        uint32_t arch = wl->arch ? wl->arch : seccomp_arch_native();
        uint64_t args[6] = {0};
        int nr = syscall_number(arch, o->pos[1]);
        sw_filter *f = NULL;
        sw_error *err = NULL;
        uint32_t action;
        char *text = NULL;
        sw_code rc;

        if (nr < 0) {
                return cli_fail("explain", SW_ENOENT,
                                "'%s' is no system call on %s", o->pos[1],
                                sw_arch_name(arch));
        }
        rc = parse_args(o, arch, args);
        if (rc == SW_SUCCESS)
                rc = sw_compile(wl, cfg, &f, &err);
        if (rc == SW_SUCCESS)
                rc = sw_explain(wl, f, cfg, nr, args, &action, &text, &err);
        if (text)
                fputs(text, stdout);
        if (err)
                cli_print_error("explain", err);
        free(text);
        sw_error_free(err);
        sw_filter_free(f);
        return rc;
}

int cmd_explain(int argc, char **argv)
{
        struct explain_opts o = {0};
        sw_config *cfg = NULL;
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        int rc;

        /* parse() fails unless FILE and SYSCALL were given. */
        rc = parse(argc, argv, &o);
        if (rc != 0 || o.npos < 2)
                return rc ? rc : SW_EPROTO;
        cfg = sw_config_new();
        if (cfg == NULL)
                return cli_out_of_memory("explain");
        if (o.arch && sw_config_set_arch(cfg, o.arch) != SW_SUCCESS) {
                sw_config_free(cfg);
                return cli_bad_arch("explain", o.arch);
        }
        rc = sw_whitelist_load_file(o.pos[0], cfg, &wl, &rep);
        if (rc != SW_SUCCESS)
                cli_print_report(rep, NULL, false);
        else
                rc = run_explain(wl, cfg, &o);
        sw_report_free(rep);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
        return rc;
}
