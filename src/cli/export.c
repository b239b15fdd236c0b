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
                "usage: %s export --format oci|k8s|k8s-json|bpf|c [--arch A]\n"
                "                      [--runtime R] [--allow-loss] [-o FILE] "
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
                "  -h, --help         show this help\n"
                "\n"
                "OCI and k8s keep the meaning exactly or the export fails "
                "(EPROTO).\n"
                "Exit status: 0, or the P1.7 code of the failure.\n",
                sw_prog);
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
        while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
                switch (c) {
                case 'f':
                        for (size_t i = 0;
                             i < sizeof(formats) / sizeof(formats[0]); i++) {
                                if (strcmp(optarg, formats[i].name) == 0) {
                                        a->fmt = formats[i].fmt;
                                        a->have_fmt = true;
                                }
                        }
                        if (!a->have_fmt)
                                return cli_usage_error(
                                        "export",
                                        "unknown format '%s' (oci, k8s, "
                                        "k8s-json, bpf, c)",
                                        optarg);
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
                        return cli_bad_option("export", c, argv);
                }
        }
        if (!a->have_fmt)
                return cli_usage_error("export", "give --format");
        if (optind != argc - 1)
                return cli_usage_error("export", "give exactly one FILE");
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

        /* The document's warnings are check's business; its errors stop. */
        rc = sw_whitelist_load_file(a->file, cfg, &wl, &rep);
        if (rc != SW_SUCCESS)
                cli_print_report(rep, NULL, false);
        sw_report_free(rep);
        if (rc != SW_SUCCESS)
                return rc;
        rep = NULL;

        rc = sw_export(wl, cfg, a->fmt, &a->opts, &data, &len, &rep, &err);
        cli_print_report(rep, NULL, false);

        /* A refusal the report already shows is not printed again. */
        if (rc != SW_SUCCESS &&
            sw_report_count_severity(rep, SW_SEV_ERROR) == 0)
                cli_print_error("export", err);
        else if (rc == SW_SUCCESS)
                rc = cli_write_out("export", a->out, data, len);
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
                return cli_usage_error("export",
                                       "raw BPF is binary; give -o FILE or "
                                       "redirect stdout");
        }
        cfg = sw_config_new();
        if (cfg == NULL)
                return cli_out_of_memory("export");
        if (a.arch && sw_config_set_arch(cfg, a.arch) != SW_SUCCESS) {
                sw_config_free(cfg);
                return cli_bad_arch("export", a.arch);
        }
        rc = run_export(&a, cfg);
        sw_config_free(cfg);
        return rc;
}
