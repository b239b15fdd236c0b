/*
 * check.c - `syswall check`: read whitelists and report every problem.
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
        fprintf(out,
                "usage: %s check [-q] [--strict] [--arch ARCH] [--json] [--authority NAME]\n"
                "                     [--trust FILE [--require-signature]]\n"
                "                     [--net [--no-landlock]] FILE...\n"
                "\n"
                "Read each whitelist (- for standard input), check it against the format\n"
                "(syswall-whitelist(5)) and report every problem in one pass, like a\n"
                "compiler:\n"
                "\n"
                "  whitelist.json:9:64: error: duplicate key \"permission\" [EPROTO]\n"
                "   9 |     {\"name\": \"ptrace\", \"permission\": \"DENY\", \"permission\": ...\n"
                "     |                                                ^\n"
                "    at syscalls[2].permission\n"
                "    hint: remove one of them ...\n"
                "\n"
                "Besides the format, check resolves every system call name for the target\n"
                "architecture and warns about rules that real programs trip over: names\n"
                "that do not exist there (recv/send on x86_64, open on aarch64), clone3\n"
                "denied with another errno than ENOSYS, rseq missing, execve not allowed,\n"
                "escape gaps (io_uring, ptrace, execveat beside a denied execve) and port\n"
                "restrictions on socket.  A valid document is compiled as `run` would\n"
                "compile it, so what only the compiler refuses (a filter over the\n"
                "kernel's 4096 instructions) is an error here too.\n"
                "\n"
                "options:\n"
                "  --strict          turn warnings into errors (absent names, lint)\n"
                "  --arch ARCH       check for ARCH: x86_64, aarch64, x86, riscv64 or\n"
                "                    native (default: native)\n"
                "  --json            one JSON object per diagnostic per line on stdout\n"
                "                    (fields in docs/diagnostics.md)\n"
                "  --authority NAME  the policy authority created_by/updated_by must name\n"
                "                    (default: \"%s\")\n"
                "  --trust FILE      accept only whitelists signed by a key of FILE\n"
                "                    (docs/signing.md); the signature is checked first\n"
                "  --require-signature  fail unless --trust is given too\n"
                "  -q, --quiet       print errors only: no notes, no warnings, no\n"
                "                    summary line (the exit status is the same)\n"
                "  --net             also report how each port restriction is enforced on\n"
                "                    this kernel: per call, Landlock (TCP, in the kernel)\n"
                "                    or the supervisor, the errno a refused call sees, and\n"
                "                    what cannot be enforced, under `run` and in-process\n"
                "                    (docs/network.md)\n"
                "  --no-landlock     with --net: as `run --no-landlock` would enforce it\n"
                "  -h, --help        show this help\n"
                "\n"
                "Symbolic constants may stand for argument values: \"O_RDONLY|O_CLOEXEC\",\n"
                "\"AF_INET\", \"PROT_READ|PROT_WRITE\", resolved for the target.\n"
                "\n"
                "Exit status: 0 when no file has an error (warnings allowed), otherwise\n"
                "the P1.7 code of the first failing file: 2 EIO (unreadable), 3 ENOENT\n"
                "(missing file, unknown system call or constant), 4 EPERM (wrong\n"
                "authority, unsigned or badly signed under --trust), 5 EPROTO (the\n"
                "document breaks the format), 7 EINTERNAL.\n",
                sw_prog, SW_DEFAULT_AUTHORITY);
}

struct check_opts {
        bool json, quiet, trusted, net;
        sw_config *cfg;
};

/*
 * Without --trust the summary still says whether the file is signed;
 * with it, the signature's note or error says more than this could.
 */
static sw_code print_signature_state(const char *file)
{
        sw_sig_state state = SW_SIG_UNSIGNED;
        sw_code rc = sw_verify_file(file, NULL, &state, NULL, NULL);

        /* Other failures were reported when the document was read. */
        if (rc != SW_SUCCESS)
                return rc == SW_EINTERNAL ? rc : SW_SUCCESS;
        if (state == SW_SIG_UNSIGNED)
                printf("; unsigned");
        else if (state == SW_SIG_MALFORMED)
                printf("; signature malformed");
        else
                printf("; signed, not verified (no --trust)");
        return SW_SUCCESS;
}

/* compiled: false when a valid document failed to compile (one error). */
static sw_code summary(const char *file, const sw_report *rep,
                       const sw_whitelist *wl, bool compiled,
                       const struct check_opts *o)
{
        const sw_config *cfg = o->cfg;
        sw_code rc = SW_SUCCESS;
        size_t errors = sw_report_count_severity(rep, SW_SEV_ERROR);
        size_t warnings = sw_report_count_severity(rep, SW_SEV_WARNING);

        errors += !compiled;
        if (wl && compiled)
                printf("%s: ok, %zu rules for %s", file,
                       sw_whitelist_rule_count(wl), sw_config_arch(cfg));
        else
                printf("%s: %zu error%s", file, errors, errors == 1 ? "" : "s");
        if (warnings)
                printf(", %zu warning%s", warnings, warnings == 1 ? "" : "s");
        /* Only a file that was read as a document (never a FIFO again). */
        if (!o->trusted && sw_report_source(rep, NULL) &&
            strcmp(file, "<stdin>") != 0)
                rc = print_signature_state(file);
        printf("\n");
        return rc;
}

/* The network plan (sw_netplan_describe), after the diagnostics. */
static sw_code print_net(const char *file, const sw_whitelist *wl,
                         const struct check_opts *o)
{
        sw_error *err = NULL;
        char *text = NULL;
        json_t *j;

        if (sw_netplan_describe(wl, o->cfg, o->json, &text, &err)) {
                cli_print_error("check --net", err);
                sw_error_free(err);
                return SW_EINTERNAL;
        }
        if (!o->json) {
                printf("%s: network:\n%s", file, text);
                free(text);
                return SW_SUCCESS;
        }
        /* One object on one line, like the diagnostics. */
        j = json_pack("{s:s, s:o}", "file", file, "net",
                      json_loads(text, 0, NULL));
        free(text);
        text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (text == NULL)
                return cli_out_of_memory("check --net");
        printf("%s\n", text);
        free(text);
        return SW_SUCCESS;
}

/*
 * "-" reads the document from standard input (for editors and pipes),
 * with the same size limit as a file.
 */
static sw_code load_stdin(const sw_config *cfg, sw_whitelist **wl,
                          sw_report **rep)
{
        size_t cap = (size_t)SW_MAX_DOCUMENT_SIZE + 1, len = 0;
        char *buf = malloc(cap);
        sw_code rc;

        if (buf == NULL)
                return cli_out_of_memory("check");
        while (len < cap) {
                size_t n = fread(buf + len, 1, cap - len, stdin);

                if (n == 0)
                        break;
                len += n;
        }
        if (ferror(stdin)) {
                free(buf);
                return cli_fail("check", SW_EIO, "cannot read standard input");
        }
        rc = sw_whitelist_load_buffer(buf, len, "<stdin>", cfg, wl, rep);
        free(buf);
        return rc;
}

/*
 * A valid document must also compile: what only the compiler finds (a
 * filter over the kernel's 4096 instructions, bh-20; an argument filter
 * socketcall could go around) would otherwise pass check and fail run.
 */
static sw_code compile_check(const sw_whitelist *wl, const struct check_opts *o)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;
        sw_code rc = sw_compile(wl, o->cfg, &f, &err);

        if (rc == SW_SUCCESS) {
                sw_filter_free(f);
                return rc;
        }
        if (o->json)
                cli_print_error_json(err, "compile");
        else
                cli_print_error("check", err);
        sw_error_free(err);
        return rc;
}

static int check_one(const char *file, const struct check_opts *o)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_code rc, crc = SW_SUCCESS;

        if (strcmp(file, "-") == 0) {
                rc = load_stdin(o->cfg, &wl, &rep);
                if (rc == SW_EIO)
                        return rc;
                file = "<stdin>";
        } else {
                rc = sw_whitelist_load_file(file, o->cfg, &wl, &rep);
        }
        if (rep == NULL) {
                return cli_fail("check", SW_EINTERNAL, "%s: out of memory",
                                file);
        }
        if (!cli_print_report_min(rep, NULL, o->json,
                                  o->quiet ? SW_SEV_ERROR : SW_SEV_NOTE))
                crc = cli_out_of_memory("check");
        if (rc == SW_SUCCESS && wl && crc == SW_SUCCESS)
                crc = compile_check(wl, o);
        /* The signature's state, when memory ran out for it. */
        if (!o->json && !o->quiet &&
            summary(file, rep, wl, crc == SW_SUCCESS, o) != SW_SUCCESS &&
            crc == SW_SUCCESS)
                crc = cli_out_of_memory("check");
        if (rc == SW_SUCCESS)
                rc = crc;
        if (o->net && wl && print_net(file, wl, o) != SW_SUCCESS)
                rc = SW_EINTERNAL;
        sw_whitelist_free(wl);
        sw_report_free(rep);
        return rc;
}

static int parse_options(int argc, char **argv, struct check_opts *o)
{
        static const struct option longopts[] = {
                {"strict", no_argument, NULL, 's'},
                {"arch", required_argument, NULL, 'a'},
                {"json", no_argument, NULL, 'j'},
                {"authority", required_argument, NULL, 'A'},
                {"quiet", no_argument, NULL, 'q'},
                {"trust", required_argument, NULL, 't'},
                {"require-signature", no_argument, NULL, 'r'},
                {"help", no_argument, NULL, 'h'},
                {"net", no_argument, NULL, 'n'},
                {"no-landlock", no_argument, NULL, 'L'},
                {NULL, 0, NULL, 0},
        };
        int c, rc;

        optind = 0;
        while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
                switch (c) {
                case 's':
                        sw_config_set_strict(o->cfg, true);
                        break;
                case 'a':
                        if (sw_config_set_arch(o->cfg, optarg) != SW_SUCCESS)
                                return cli_bad_arch("check", optarg);
                        break;
                case 'j':
                        o->json = true;
                        break;
                case 'A':
                        if (sw_config_set_authority(o->cfg, optarg))
                                return cli_out_of_memory("check");
                        break;
                case 'q':
                        o->quiet = true;
                        break;
                case 't':
                        rc = cli_set_trust(o->cfg, optarg, "check");
                        if (rc != SW_SUCCESS)
                                return rc;
                        o->trusted = true;
                        break;
                case 'r':
                        sw_config_require_signature(o->cfg, true);
                        break;
                case 'n':
                        o->net = true;
                        break;
                case 'L':
                        sw_config_set_landlock(o->cfg, false);
                        break;
                case 'h':
                        usage(stdout);
                        return -1;
                default:
                        return cli_bad_option("check", c, argv);
                }
        }
        return SW_SUCCESS;
}

int cmd_check(int argc, char **argv)
{
        struct check_opts o = {.cfg = sw_config_new()};
        int rc, worst = SW_SUCCESS;

        if (o.cfg == NULL)
                return cli_out_of_memory("check");
        rc = parse_options(argc, argv, &o);
        if (rc == SW_SUCCESS && optind >= argc) {
                rc = cli_usage_error("check", "no file given");
        }
        if (rc != SW_SUCCESS) {
                sw_config_free(o.cfg);
                return rc < 0 ? 0 : rc;
        }
        for (int i = optind; i < argc; i++) {
                rc = check_one(argv[i], &o);
                if (worst == SW_SUCCESS)
                        worst = rc;
        }
        sw_config_free(o.cfg);
        return worst;
}
