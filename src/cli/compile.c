/*
 * compile.c - `syswall compile`: a whitelist to a proven BPF program, as
 * raw BPF (what `bwrap --seccomp FD` reads) or libseccomp's pseudo-code.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
        fprintf(out,
                "usage: %s compile FILE [-o OUT] [--format bpf|pfc] [--arch A]\n"
                "                       [--backend native|libseccomp]\n"
                "                       [--trust PUB [--require-signature]]\n"
                "       %s compile FILE --verify-only [--bpf PROG]\n\n"
                "Read and check the whitelist FILE, compile it to a seccomp-BPF program\n"
                "for one architecture, prove the program against the whitelist (every\n"
                "rule at the boundaries of its comparisons, every unlisted call number,\n"
                "foreign-architecture and x32 calls) and write it.\n\n"
                "options:\n"
                "  -o, --output OUT   write to OUT instead of standard output\n"
                "  -f, --format F     bpf: the raw program, struct sock_filter[], as\n"
                "                     `bwrap --seccomp FD` and SECCOMP_SET_MODE_FILTER\n"
                "                     take it (default; never written to a terminal);\n"
                "                     pfc: a listing for people: syswall's disassembly\n"
                "                     (native backend), or libseccomp's pseudo-code\n"
                "                     with syswall's argument blocks (libseccomp)\n"
                "  -a, --arch A       target: x86_64, aarch64, x86, riscv64, x32, ...\n"
                "                     (default: this machine's)\n"
                "      --backend B    the code generator (docs/compiler.md):\n"
                "                     native: syswall's own, a balanced search over\n"
                "                     ranges of numbers; fewer instructions run per\n"
                "                     call; x86_64, aarch64 and riscv64 only;\n"
                "                     libseccomp: libseccomp's binary tree, every\n"
                "                     architecture.  Default: native where it can,\n"
                "                     as `run` and sw_apply_file() use it\n"
                "      --verify-only  write nothing: compile and prove, or with --bpf\n"
                "                     check an existing raw program PROG against FILE\n"
                "                     on sampled inputs (a check, not a proof)\n"
                "  -b, --bpf PROG     the raw program for --verify-only\n"
                "      --trust PUB    compile only a whitelist signed by a key of the\n"
                "                     trust file PUB (docs/signing.md), checked first\n"
                "      --require-signature  fail unless --trust is given too\n"
                "  -h, --help         this text\n\n"
                "Exit status: 0, or the P1.7 code of the failure (5 EPROTO for a document\n"
                "or program that breaks the format or is too large, 7 EINTERNAL when the\n"
                "proof finds the program disagrees with the whitelist, 4 EPERM for a wrong\n"
                "authority or, under --trust, an unsigned or badly signed whitelist).\n\n"
                "examples:\n"
                "  %s compile policy.json -o policy.bpf\n"
                "  bwrap --seccomp 3 3<policy.bpf ... -- CMD\n"
                "  %s compile policy.json --format pfc | less\n"
                "  %s compile policy.json --verify-only --bpf policy.bpf\n",
                sw_prog, sw_prog, sw_prog, sw_prog, sw_prog);
}

struct options {
        const char *file;
        const char *output;
        const char *bpf;
        const char *arch;
        const char *backend;
        const char *trust;
        bool require_signature;
        bool pfc;
        bool verify_only;
};

static int parse(int argc, char **argv, struct options *o)
{
        static const struct option longs[] = {
                {"output", required_argument, NULL, 'o'},
                {"format", required_argument, NULL, 'f'},
                {"arch", required_argument, NULL, 'a'},
                {"backend", required_argument, NULL, 'B'},
                {"bpf", required_argument, NULL, 'b'},
                {"verify-only", no_argument, NULL, 'V'},
                {"trust", required_argument, NULL, 't'},
                {"require-signature", no_argument, NULL, 'r'},
                {"help", no_argument, NULL, 'h'},
                {NULL, 0, NULL, 0},
        };
        int c;

        while ((c = getopt_long(argc, argv, ":o:f:a:b:h", longs, NULL)) != -1) {
                switch (c) {
                case 'o':
                        o->output = optarg;
                        break;
                case 'f':
                        if (strcmp(optarg, "pfc") != 0 &&
                            strcmp(optarg, "bpf") != 0)
                                return cli_usage_error(
                                        "compile",
                                        "unknown format '%s' (bpf, pfc)",
                                        optarg);
                        o->pfc = strcmp(optarg, "pfc") == 0;
                        break;
                case 'a':
                        o->arch = optarg;
                        break;
                case 'b':
                        o->bpf = optarg;
                        break;
                case 'B':
                        if (strcmp(optarg, "native") != 0 &&
                            strcmp(optarg, "libseccomp") != 0)
                                return cli_usage_error(
                                        "compile",
                                        "unknown backend '%s' (native, libseccomp)",
                                        optarg);
                        o->backend = optarg;
                        break;
                case 'V':
                        o->verify_only = true;
                        break;
                case 't':
                        o->trust = optarg;
                        break;
                case 'r':
                        o->require_signature = true;
                        break;
                case 'h':
                        usage(stdout);
                        return -1;
                default:
                        return cli_bad_option("compile", c, argv);
                }
        }
        if (optind + 1 != argc)
                return cli_usage_error("compile",
                                       "give exactly one whitelist FILE");
        if (o->bpf != NULL && !o->verify_only)
                return cli_usage_error("compile",
                                       "--bpf goes with --verify-only");
        o->file = argv[optind];
        return 0;
}

static int fail(const char *what, sw_error *err)
{
        int code = sw_error_code(err);

        cli_print_error(what, err);
        sw_error_free(err);
        return code;
}

/* Read a whole file; NULL on failure with errno set. */
static char *read_all(const char *path, size_t *len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        size_t cap = 0;
        size_t n = 0;
        char *b = NULL;

        while (fd >= 0) {
                ssize_t r;

                if (n == cap) {
                        char *g = realloc(b, cap ? cap * 2 : 65536);

                        if (g == NULL)
                                break;
                        b = g;
                        cap = cap ? cap * 2 : 65536;
                }
                r = read(fd, b + n, cap - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r == 0) {
                        close(fd);
                        *len = n;
                        return b;
                }
                if (r < 0)
                        break;
                n += (size_t)r;
        }
        if (fd >= 0)
                close(fd);
        free(b);
        return NULL;
}

/* --verify-only --bpf PROG: an existing program against the whitelist. */
static int verify_program(const struct options *o, const sw_whitelist *wl)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;
        char *buf = NULL;
        size_t len = 0;
        sw_code sc;

        buf = read_all(o->bpf, &len);
        if (buf == NULL) {
                return cli_fail("compile", sw_code_of_file_errno(errno),
                                "cannot read '%s': %s", o->bpf,
                                strerror(errno));
        }
        sc = sw_filter_from_bpf(buf, len, &f, &err);
        free(buf);
        if (sc != SW_SUCCESS)
                return fail(o->bpf, err);
        sc = sw_filter_verify(f, wl, &err);
        if (sc != SW_SUCCESS) {
                sw_filter_free(f);
                return fail(o->bpf, err);
        }
        /* The check tries the inputs that decide a program syswall
         * builds; a program from elsewhere may test values the whitelist
         * never names (a hidden ALLOW for one argument), which no set of
         * sampled inputs can rule out, so it is not called a proof. */
        printf("%s: %zu instructions, agrees with %s on every input checked\n",
               o->bpf, sw_filter_length(f), o->file);
        fprintf(stderr,
                "%s: note: a program syswall did not compile is checked on "
                "sampled inputs, not proven: it may still treat an argument "
                "value the whitelist never names differently; compile the "
                "whitelist to get a proven program\n",
                o->bpf);
        sw_filter_free(f);
        return 0;
}

static int open_output(const struct options *o)
{
        if (o->output == NULL || strcmp(o->output, "-") == 0)
                return STDOUT_FILENO;
        return open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

static int write_filter(const struct options *o, const sw_filter *f)
{
        sw_error *err = NULL;
        int fd = open_output(o);
        int rc = 0;

        if (fd < 0) {
                return cli_fail("compile", SW_EIO, "cannot create '%s': %s",
                                o->output, strerror(errno));
        }
        if (o->pfc) {
                if (sw_filter_export_pfc(f, fd, &err) != SW_SUCCESS)
                        rc = fail("compile", err);
        } else if (sw_filter_export_bpf(f, fd, &err) != SW_SUCCESS) {
                rc = fail("compile", err);
        }
        if (fd != STDOUT_FILENO && close(fd) != 0 && rc == 0) {
                rc = cli_fail("compile", SW_EIO, "cannot write '%s': %s",
                              o->output, strerror(errno));
        }
        return rc;
}

static int compile_and_write(const struct options *o, const sw_whitelist *wl,
                             const sw_config *cfg)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;
        int rc;

        /* Ports are judged beside the program, never by it: a raw program
         * handed to another tool would let the calls reach any port. */
        if (!o->pfc && !o->verify_only && sw_whitelist_has_ports(wl)) {
                cli_fail("compile", SW_EPERM,
                         "%s restricts ports, which a BPF program alone "
                         "cannot enforce (the port sits behind a pointer)",
                         o->file);
                fprintf(stderr, "  hint: the exported program would let those "
                                "calls reach any port; run it with `syswall "
                                "run` or sw_apply_file(), which enforce ports "
                                "beside the filter\n");
                return SW_EPERM;
        }
        if (sw_compile(wl, cfg, &f, &err) != SW_SUCCESS)
                return fail("compile", err);
        if (o->verify_only) {
                printf("%s: %zu instructions for %s (%s backend), proven\n",
                       o->file, sw_filter_length(f), sw_config_arch(cfg),
                       sw_filter_backend(f));
                rc = 0;
        } else {
                rc = write_filter(o, f);
        }
        sw_filter_free(f);
        return rc;
}

static int run(const struct options *o, sw_config *cfg)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_code sc;
        int rc;

        if (o->arch != NULL && sw_config_set_arch(cfg, o->arch) != SW_SUCCESS)
                return cli_bad_arch("compile", o->arch);
        if (o->backend != NULL)
                sw_config_set_backend(cfg, o->backend); /* checked by parse */
        if (o->trust != NULL) {
                rc = cli_set_trust(cfg, o->trust, "compile");
                if (rc != SW_SUCCESS)
                        return rc;
        }
        sw_config_require_signature(cfg, o->require_signature);
        sc = sw_whitelist_load_file(o->file, cfg, &wl, &rep);
        cli_print_report(rep, NULL, false);
        sw_report_free(rep);
        if (sc != SW_SUCCESS)
                return sc;
        if (o->bpf != NULL)
                rc = verify_program(o, wl);
        else
                rc = compile_and_write(o, wl, cfg);
        sw_whitelist_free(wl);
        return rc;
}

int cmd_compile(int argc, char **argv)
{
        struct options o = {0};
        sw_config *cfg;
        int rc = parse(argc, argv, &o);

        if (rc != 0)
                return rc < 0 ? 0 : rc;
        if (!o.pfc && !o.verify_only &&
            (o.output == NULL || strcmp(o.output, "-") == 0) &&
            isatty(STDOUT_FILENO))
                return cli_usage_error("compile",
                                       "refusing to write a raw BPF program to "
                                       "a terminal; use -o FILE or --format "
                                       "pfc");
        cfg = sw_config_new();
        if (cfg == NULL) {
                return cli_fail("compile", SW_EINTERNAL, "out of memory");
        }
        rc = run(&o, cfg);
        sw_config_free(cfg);
        return rc;
}
