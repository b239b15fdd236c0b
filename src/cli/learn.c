/*
 * learn.c - `syswall learn`: trace a command, write the whitelist it
 * needs.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct learn_opts {
        const char *out;
        const char *merge;
        const char *arch;
        const char *authority;
        const char *id;
        unsigned flags;
        bool quiet;
};

static void learn_usage(FILE *f)
{
        fprintf(f,
                "usage: %s learn [-o FILE] [--merge FILE] [--arch A] [--names-only]\n"
                "                     [--id ID] [--authority NAME] [-q] -- CMD [ARGS...]\n\n"
                "Run CMD under ptrace, following every process and thread it starts,\n"
                "and write a whitelist (format P1.2) that allows what it did.\n\n"
                "Beyond names, learn proposes CONDITIONAL rules where the values seen\n"
                "are few: socket families and types, the ports reached by connect,\n"
                "bind, sendto and sendmsg, prctl options, ioctl requests, clone flags,\n"
                "and mmap/mprotect without PROT_EXEC when none was seen.  Run the same\n"
                "program with the same input under the result and it runs; other input\n"
                "may need more: learn again with --merge, or run with --complain.\n\n"
                "options:\n"
                "  -o, --output FILE   write the whitelist to FILE (default: stdout)\n"
                "  -m, --merge FILE    extend the whitelist in FILE; the changes are\n"
                "                      listed on stderr (use -o FILE to write it back)\n"
                "  -a, --arch A        check the names for architecture A (default:\n"
                "                      native); calls absent there are left out\n"
                "  -n, --names-only    plain ALLOW rules, no CONDITIONAL proposals\n"
                "  -i, --id ID         whitelist_id (default: learned.<command>)\n"
                "      --authority N   created_by/updated_by (default: %s)\n"
                "  -q, --quiet         no per-call counts on stderr\n"
                "  -h, --help          this text\n\n"
                "The report on stderr counts every call seen.  Exit status: 0, or the\n"
                "P1.7 code of the failure (ENOENT: CMD not found; EPERM: tracing\n"
                "refused).  Example:\n"
                "  %s learn -o ls.json -- ls -l /\n"
                "  %s run ls.json -- ls -l /\n",
                sw_prog, SW_DEFAULT_AUTHORITY, sw_prog, sw_prog);
}

static int parse(int argc, char **argv, struct learn_opts *o)
{
        static const struct option longs[] = {
                {"output", required_argument, NULL, 'o'},
                {"merge", required_argument, NULL, 'm'},
                {"arch", required_argument, NULL, 'a'},
                {"names-only", no_argument, NULL, 'n'},
                {"id", required_argument, NULL, 'i'},
                {"authority", required_argument, NULL, 'A'},
                {"quiet", no_argument, NULL, 'q'},
                {"help", no_argument, NULL, 'h'},
                {NULL, 0, NULL, 0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "+:o:m:a:ni:qh", longs, NULL)) !=
               -1) {
                switch (c) {
                case 'o':
                        o->out = optarg;
                        break;
                case 'm':
                        o->merge = optarg;
                        break;
                case 'a':
                        o->arch = optarg;
                        break;
                case 'n':
                        o->flags |= SW_LEARN_NAMES_ONLY;
                        break;
                case 'i':
                        o->id = optarg;
                        break;
                case 'A':
                        o->authority = optarg;
                        break;
                case 'q':
                        o->quiet = true;
                        break;
                case 'h':
                        learn_usage(stdout);
                        exit(0);
                default:
                        cli_bad_option("learn", c, argv);
                        return -1;
                }
        }
        if (optind >= argc) {
                cli_usage_error("learn", "no command to trace");
                return -1;
        }
        return optind;
}

static sw_config *make_config(const struct learn_opts *o)
{
        sw_config *cfg = sw_config_new();

        if (cfg == NULL) {
                fprintf(stderr, "%s: learn: out of memory [EINTERNAL]\n",
                        sw_prog);
                return NULL;
        }
        if (o->arch && sw_config_set_arch(cfg, o->arch) != SW_SUCCESS) {
                cli_bad_arch("learn", o->arch);
                sw_config_free(cfg);
                return NULL;
        }
        if (o->authority &&
            sw_config_set_authority(cfg, o->authority) != SW_SUCCESS) {
                fprintf(stderr, "%s: learn: out of memory [EINTERNAL]\n",
                        sw_prog);
                sw_config_free(cfg);
                return NULL;
        }
        return cfg;
}

static void describe_status(int status, char *buf, size_t len)
{
        if (WIFEXITED(status))
                snprintf(buf, len, "exited with status %d",
                         WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                snprintf(buf, len, "was killed by signal %d (%s)",
                         WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
                snprintf(buf, len, "ended with wait status 0x%x", status);
}

static void print_counts(const sw_trace *t, bool quiet)
{
        char how[96];

        describe_status(sw_trace_status(t), how, sizeof(how));
        fprintf(stderr,
                "%s: learn: %zu tasks traced, %llu calls, %zu distinct; the "
                "command %s\n",
                sw_prog, sw_trace_process_count(t),
                (unsigned long long)sw_trace_total(t), sw_trace_call_count(t),
                how);
        if (quiet)
                return;
        for (size_t i = 0; i < sw_trace_call_count(t); i++)
                fprintf(stderr, "  %10llu  %s%s\n",
                        (unsigned long long)sw_trace_call_hits(t, i),
                        sw_trace_call_name(t, i),
                        sw_trace_call_foreign(t, i) ? " (foreign ABI)" : "");
}

static void print_report(const sw_report *rep)
{
        static const char *sev[] = {"note", "warning", "error"};

        for (size_t i = 0; rep && i < sw_report_count(rep); i++)
                fprintf(stderr, "%s: learn: %s: %s\n", sw_prog,
                        sev[sw_report_severity(rep, i)],
                        sw_report_message(rep, i));
}

static int write_error(const char *path)
{
        fprintf(stderr, "%s: learn: cannot write '%s': %s [EIO]\n", sw_prog,
                path ? path : "stdout", strerror(errno));
        return SW_EIO;
}

static int write_output(const char *path, const char *json)
{
        FILE *f;

        if (path == NULL) {
                if (puts(json) == EOF || fflush(stdout) != 0)
                        return write_error(path);
                return SW_SUCCESS;
        }
        f = fopen(path, "w");
        if (f == NULL)
                return write_error(path);
        fputs(json, f);
        fputc('\n', f);
        if (fclose(f) != 0)
                return write_error(path);
        return SW_SUCCESS;
}

/*
 * What learn writes must pass `check` with no error.  A failure is a bug
 * in learn, or an error the whitelist given to --merge already had; it
 * is shown like `check` shows it, and nothing is written.
 */
static int self_check(const char *json, const char *out, const sw_config *cfg)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_code rc = sw_whitelist_load_buffer(
                json, strlen(json), out ? out : "<stdout>", cfg, &wl, &rep);

        if (rc != SW_SUCCESS) {
                cli_print_report(rep, json, false);
                fprintf(stderr,
                        "%s: learn: the result does not pass check; nothing "
                        "written [%s]\n",
                        sw_prog, sw_code_name(rc));
        }
        sw_report_free(rep);
        sw_whitelist_free(wl);
        return rc;
}

static int learn(const struct learn_opts *o, char **cmd, sw_config *cfg)
{
        sw_trace *t = NULL;
        sw_report *rep = NULL;
        sw_error *err = NULL;
        char *json = NULL;
        sw_code rc = sw_trace_command(cmd, &t, &err);

        if (rc != SW_SUCCESS) {
                cli_print_error("learn", err);
                sw_error_free(err);
                return rc;
        }
        print_counts(t, o->quiet);
        rc = sw_learn_whitelist(t, cfg, o->flags, o->id, o->merge, &json, &rep,
                                &err);
        sw_trace_free(t);
        if (rc != SW_SUCCESS) {
                cli_print_error("learn", err);
                sw_error_free(err);
                return rc;
        }
        print_report(rep);
        sw_report_free(rep);
        rc = self_check(json, o->out, cfg);
        if (rc == SW_SUCCESS)
                rc = write_output(o->out, json);
        free(json);
        return rc;
}

int cmd_learn(int argc, char **argv)
{
        struct learn_opts o = {0};
        int first = parse(argc, argv, &o);
        sw_config *cfg;
        int rc;

        if (first < 0)
                return SW_EPROTO;

        /* A --merge file that cannot be read fails before any tracing. */
        if (o.merge && access(o.merge, R_OK) != 0)
                return cli_fail("learn", sw_code_of_file_errno(errno),
                                "cannot read '%s': %s", o.merge,
                                strerror(errno));
        cfg = make_config(&o);
        if (cfg == NULL)
                return o.arch ? SW_ENOENT : SW_EINTERNAL;
        rc = learn(&o, argv + first, cfg);
        sw_config_free(cfg);
        return rc;
}
