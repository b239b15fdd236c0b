/*
 * disasm.c - `syswall disasm`: the BPF program of a whitelist, or a raw
 * one, as a listing people can read.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The kernel's limit: 4096 instructions of 8 bytes. */
#define MAX_BPF_BYTES (4096 * 8)

static void disasm_usage(FILE *f)
{
        fprintf(f,
                "usage: %s disasm [--arch A] FILE.json | FILE.bpf\n\n"
                "List the seccomp-BPF program of a whitelist (compiled as `run` would\n"
                "load it) or of a raw program (struct sock_filter[], as bwrap --seccomp\n"
                "reads it; any file not ending in .json), one instruction a line: the\n"
                "operation with absolute jump targets, then what it means: the field a\n"
                "load reads, the architecture or system call a compare tests and the\n"
                "rule it belongs to, the action a return takes.\n\n"
                "options:\n"
                "  -a, --arch A   compile for architecture A (default: native)\n"
                "  -h, --help     this text\n",
                sw_prog);
}

static bool is_json(const char *path)
{
        size_t n = strlen(path);

        return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

static sw_code load_raw(const char *path, sw_filter **f, sw_error **err)
{
        static unsigned char buf[MAX_BPF_BYTES + 1];
        FILE *in = fopen(path, "rb");
        size_t n;

        if (in == NULL) {
                return cli_fail("disasm", sw_code_of_file_errno(errno),
                                "cannot read '%s': %s", path, strerror(errno));
        }
        n = fread(buf, 1, sizeof(buf), in);
        fclose(in);
        return sw_filter_from_bpf(buf, n, f, err);
}

static sw_code load_json(const char *path, const sw_config *cfg,
                         sw_whitelist **wl, sw_filter **f, sw_error **err)
{
        sw_report *rep = NULL;
        sw_code rc = sw_whitelist_load_file(path, cfg, wl, &rep);

        if (rc != SW_SUCCESS)
                cli_print_report(rep, NULL, false);
        sw_report_free(rep);
        if (rc == SW_SUCCESS)
                rc = sw_compile(*wl, cfg, f, err);
        return rc;
}

static sw_code disasm(const char *path, const sw_config *cfg)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_error *err = NULL;
        char *text = NULL;
        sw_code rc = is_json(path) ? load_json(path, cfg, &wl, &f, &err)
                                   : load_raw(path, &f, &err);

        if (rc == SW_SUCCESS)
                rc = sw_disasm(f, wl, &text, &err);
        if (text)
                fputs(text, stdout);
        if (err)
                cli_print_error("disasm", err);
        free(text);
        sw_error_free(err);
        sw_filter_free(f);
        sw_whitelist_free(wl);
        return rc;
}

int cmd_disasm(int argc, char **argv)
{
        const char *arch = NULL;
        const char *path = NULL;
        sw_config *cfg;
        sw_code rc;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "-h") == 0 ||
                    strcmp(argv[i], "--help") == 0) {
                        disasm_usage(stdout);
                        return 0;
                }
                if (strcmp(argv[i], "--arch") == 0 ||
                    strcmp(argv[i], "-a") == 0) {
                        if (i + 1 == argc)
                                return cli_usage_error(
                                        "disasm", "option '%s' needs a value",
                                        argv[i]);
                        arch = argv[++i];
                } else if (argv[i][0] == '-') {
                        return cli_usage_error("disasm", "unknown option '%s'",
                                               argv[i]);
                } else if (path != NULL) {
                        return cli_usage_error("disasm", "give one FILE");
                } else {
                        path = argv[i];
                }
        }
        if (path == NULL)
                return cli_usage_error("disasm", "give one FILE");
        cfg = sw_config_new();
        if (cfg == NULL)
                return cli_out_of_memory("disasm");
        if (arch && sw_config_set_arch(cfg, arch) != SW_SUCCESS) {
                sw_config_free(cfg);
                return cli_bad_arch("disasm", arch);
        }
        rc = disasm(path, cfg);
        sw_config_free(cfg);
        return rc;
}
