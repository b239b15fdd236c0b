/*
 * export.c - `syswall export`: a whitelist as an OCI seccomp object, a
 * Kubernetes SeccompProfile, raw BPF or a C array.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void export_usage(FILE *out)
{
        fprintf(out,
                "usage: %s export --format oci|k8s|k8s-json|bpf|c [OPTIONS] "
                "FILE\n"
                "\n"
                "Write a whitelist in a format other tools load.\n"
                "\n"
                "  --format oci       the linux.seccomp object of an OCI "
                "runtime spec (runc,\n"
                "                     crun, podman, docker --security-opt "
                "seccomp=FILE)\n"
                "  --format k8s       a Security Profiles Operator "
                "SeccompProfile (YAML);\n"
                "                     k8s-json: the same as JSON\n"
                "  --format bpf       the compiled, proven program as raw "
                "struct sock_filter[]\n"
                "                     (bwrap --seccomp FD, systemd)\n"
                "  --format c         the same program as a C initializer\n"
                "  --arch A           target architecture (default: native)\n"
                "  --runtime R        crun, runc or bwrap: also allow the "
                "calls R makes after\n"
                "                     loading the filter and before exec "
                "(listed on stderr)\n"
                "  --allow-loss       export even where OCI cannot keep the "
                "meaning (port\n"
                "                     restrictions, some 32-bit and range "
                "comparisons, a\n"
                "                     conditional rule's errno); each loss "
                "is stated\n"
                "  -o FILE            write to FILE (default: stdout)\n"
                "\n"
                "OCI and k8s keep the meaning exactly or the export fails "
                "(EPROTO).\n"
                "Exit status: 0, or the P1.7 code of the failure.\n",
                sw_prog);
}

static void print_report(const sw_report *rep)
{
        static const char *const sev[] = {"note", "warning", "error"};

        for (size_t i = 0; i < sw_report_count(rep); i++) {
                const char *path = sw_report_path(rep, i);

                if (sw_report_line(rep, i))
                        fprintf(stderr, "%s:%u:%u: ", sw_report_file(rep, i),
                                sw_report_line(rep, i),
                                sw_report_column(rep, i));
                else
                        fprintf(stderr, "%s: ", sw_report_file(rep, i));
                fprintf(stderr, "%s: %s%s%s [%s]\n",
                        sev[sw_report_severity(rep, i)], path,
                        *path ? ": " : "", sw_report_message(rep, i),
                        sw_report_check(rep, i));
        }
}

static const struct {
        const char *name;
        sw_export_format fmt;
} formats[] = {
        {"oci", SW_EXPORT_OCI},
        {"k8s", SW_EXPORT_K8S},
        {"k8s-json", SW_EXPORT_K8S_JSON},
        {"bpf", SW_EXPORT_BPF},
        {"c", SW_EXPORT_C},
};

static int write_out(const char *path, const char *data, size_t len)
{
        FILE *f = path ? fopen(path, "w") : stdout;
        bool ok;

        if (f == NULL) {
                fprintf(stderr, "%s: export: cannot write %s: %m [EIO]\n",
                        sw_prog, path);
                return SW_EIO;
        }
        ok = fwrite(data, 1, len, f) == len;
        if (path)
                ok = fclose(f) == 0 && ok;
        else
                ok = fflush(stdout) == 0 && ok;
        if (!ok) {
                fprintf(stderr, "%s: export: cannot write %s [EIO]\n", sw_prog,
                        path ? path : "stdout");
                return SW_EIO;
        }
        return 0;
}

struct export_args {
        sw_export_format fmt;
        bool have_fmt;
        const char *arch, *out, *file;
        sw_export_options opts;
};

static int parse_args(int argc, char **argv, struct export_args *a)
{
        static const struct option longopts[] = {
                {"format", required_argument, NULL, 'f'},
                {"arch", required_argument, NULL, 'a'},
                {"runtime", required_argument, NULL, 'r'},
                {"allow-loss", no_argument, NULL, 'l'},
                {"help", no_argument, NULL, 'h'},
                {NULL, 0, NULL, 0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
                switch (c) {
                case 'f':
                        for (size_t i = 0;
                             i < sizeof(formats) / sizeof(formats[0]); i++) {
                                if (strcmp(optarg, formats[i].name) == 0) {
                                        a->fmt = formats[i].fmt;
                                        a->have_fmt = true;
                                }
                        }
                        if (!a->have_fmt) {
                                fprintf(stderr,
                                        "%s: export: unknown format '%s' "
                                        "(oci, k8s, k8s-json, bpf, c) "
                                        "[EPROTO]\n",
                                        sw_prog, optarg);
                                return SW_EPROTO;
                        }
                        break;
                case 'a':
                        a->arch = optarg;
                        break;
                case 'r':
                        a->opts.runtime = optarg;
                        break;
                case 'l':
                        a->opts.allow_loss = true;
                        break;
                case 'o':
                        a->out = optarg;
                        break;
                case 'h':
                        export_usage(stdout);
                        return -1;
                default:
                        export_usage(stderr);
                        return SW_EPROTO;
                }
        }
        if (!a->have_fmt || optind != argc - 1) {
                export_usage(stderr);
                return SW_EPROTO;
        }
        a->file = argv[optind];
        return 0;
}

static int run_export(const struct export_args *a, sw_config *cfg)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_error *err = NULL;
        char *data = NULL;
        size_t len = 0;
        int rc;

        rc = sw_whitelist_load_file(a->file, cfg, &wl, &rep);
        if (rc != SW_SUCCESS) {
                print_report(rep);
                fprintf(stderr,
                        "%s: export: %s does not check; run '%s check %s' "
                        "[%s]\n",
                        sw_prog, a->file, sw_prog, a->file,
                        sw_code_name((sw_code)rc));
                sw_report_free(rep);
                return rc;
        }
        sw_report_free(rep);
        rep = NULL;

        rc = sw_export(wl, cfg, a->fmt, &a->opts, &data, &len, &rep, &err);
        print_report(rep);
        if (rc != SW_SUCCESS)
                cli_print_error("export", err);
        else
                rc = write_out(a->out, data, len);
        free(data);
        sw_report_free(rep);
        sw_error_free(err);
        sw_whitelist_free(wl);
        return rc;
}

int cmd_export(int argc, char **argv)
{
        struct export_args a = {0};
        sw_config *cfg;
        int rc = parse_args(argc, argv, &a);

        if (rc != 0)
                return rc < 0 ? 0 : rc;
        if (a.fmt == SW_EXPORT_BPF && a.out == NULL && isatty(1)) {
                fprintf(stderr,
                        "%s: export: raw BPF is binary; give -o FILE or "
                        "redirect stdout [EPROTO]\n",
                        sw_prog);
                return SW_EPROTO;
        }
        cfg = sw_config_new();
        if (cfg == NULL)
                return SW_EINTERNAL;
        if (a.arch && sw_config_set_arch(cfg, a.arch) != SW_SUCCESS) {
                fprintf(stderr,
                        "%s: export: unknown architecture '%s' "
                        "[ENOENT]\n",
                        sw_prog, a.arch);
                sw_config_free(cfg);
                return SW_ENOENT;
        }
        rc = run_export(&a, cfg);
        sw_config_free(cfg);
        return rc;
}
