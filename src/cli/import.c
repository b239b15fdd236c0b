/*
 * import.c - `syswall import`: turn a Docker/Podman/OCI or Firecracker
 * seccomp profile into P1.2 whitelists and say what did not carry over.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void import_usage(FILE *out)
{
        fprintf(out,
                "usage: %s import --from oci|firecracker [--arch A] [--caps LIST]\n"
                "                      [--kernel X.Y] [--thread NAME] "
                "[--unlisted deny|kill]\n"
                "                      [--authority NAME] [--id ID] [--strict] "
                "[-o FILE] FILE\n"
                "\n"
                "Turn a foreign seccomp profile into a syswall whitelist "
                "(P1.2).\n"
                "Everything that cannot be carried over exactly is reported "
                "on stderr\nwith how it was mapped: a default action other "
                "than kill, actions\nP1.2 lacks (TRAP, TRACE, LOG, NOTIFY), "
                "names absent on the target,\nrules merged into one "
                "CONDITIONAL rule.\n"
                "\n"
                "  --from oci           Docker, Podman or OCI runtime-spec "
                "profile\n"
                "  --from firecracker   Firecracker seccompiler JSON (one "
                "whitelist per thread)\n"
                "  --arch A             target architecture (default: "
                "native)\n"
                "  --caps LIST          OCI: the container's capabilities, "
                "comma separated,\n"
                "                       'none' or 'all' (default: Docker's "
                "default set)\n"
                "  --kernel X.Y         OCI: kernel for minKernel (default: "
                "running kernel)\n"
                "  --thread NAME        Firecracker: import one thread filter "
                "(vmm, api, vcpu)\n"
                "  --unlisted deny|kill what to do with calls a non-kill "
                "default handled:\n"
                "                       'deny' writes them out as rules "
                "(default), 'kill' drops them\n"
                "  --authority NAME     created_by (default: Security "
                "Agent)\n"
                "  --id ID              whitelist_id (default: from the file "
                "name)\n"
                "  --strict             fail (EPROTO) if anything changed "
                "meaning; write nothing\n"
                "  -o FILE              write to FILE (default: stdout); with "
                "several Firecracker\n"
                "                       threads, FILE.<thread>.json each\n"
                "  -h, --help           show this help\n"
                "\n"
                "Exit status: 0, or the P1.7 code of the failure.\n",
                sw_prog);
}

/* "out.json" + "vmm" -> "out.vmm.json". */
static char *thread_path(const char *out, const char *thread)
{
        size_t len = strlen(out);
        size_t stem =
                len > 5 && strcmp(out + len - 5, ".json") == 0 ? len - 5 : len;
        char *p = malloc(stem + strlen(thread) + 7);

        if (p)
                sprintf(p, "%.*s.%s.json", (int)stem, out, thread);
        return p;
}

static int write_all(const sw_import *imp, const char *out)
{
        size_t n = sw_import_count(imp);

        if (n > 1 && out == NULL) {
                return cli_usage_error("import",
                                       "the file has %zu thread filters; give "
                                       "-o FILE (writes FILE.<thread>.json) "
                                       "or --thread NAME",
                                       n);
        }
        for (size_t i = 0; i < n; i++) {
                char *path =
                        n > 1 ? thread_path(out, sw_import_name(imp, i)) : NULL;
                int rc;

                if (n > 1 && path == NULL)
                        return cli_out_of_memory("import");
                rc = cli_write_out("import", n > 1 ? path : out,
                                   sw_import_json(imp, i),
                                   strlen(sw_import_json(imp, i)));
                if (rc == 0 && path)
                        fprintf(stderr, "%s: import: wrote %s\n", sw_prog,
                                path);
                free(path);
                if (rc)
                        return rc;
        }
        return 0;
}

static int parse_from(const char *s, sw_import_format *fmt)
{
        if (strcmp(s, "oci") == 0 || strcmp(s, "docker") == 0 ||
            strcmp(s, "podman") == 0)
                *fmt = SW_IMPORT_OCI;
        else if (strcmp(s, "firecracker") == 0)
                *fmt = SW_IMPORT_FIRECRACKER;
        else
                return -1;
        return 0;
}

int cmd_import(int argc, char **argv)
{
        static const struct option longopts[] = {
                {"from", required_argument, NULL, 'f'},
                {"arch", required_argument, NULL, 'a'},
                {"caps", required_argument, NULL, 'c'},
                {"kernel", required_argument, NULL, 'k'},
                {"thread", required_argument, NULL, 't'},
                {"unlisted", required_argument, NULL, 'u'},
                {"authority", required_argument, NULL, 'A'},
                {"id", required_argument, NULL, 'i'},
                {"strict", no_argument, NULL, 's'},
                {"help", no_argument, NULL, 'h'},
                {NULL, 0, NULL, 0},
        };
        sw_import_options opts = {0};
        sw_import_format fmt = SW_IMPORT_OCI;
        bool have_from = false, strict = false;
        const char *out = NULL;
        sw_report *rep = NULL;
        sw_error *err = NULL;
        sw_import *imp = NULL;
        int c, rc;

        optind = 1;
        while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
                switch (c) {
                case 'f':
                        if (parse_from(optarg, &fmt) != 0)
                                return cli_usage_error(
                                        "import",
                                        "--from must be oci or firecracker, "
                                        "not '%s'",
                                        optarg);
                        have_from = true;
                        break;
                case 'a':
                        opts.arch = optarg;
                        break;
                case 'c':
                        opts.caps = optarg;
                        break;
                case 'k':
                        opts.kernel = optarg;
                        break;
                case 't':
                        opts.thread = optarg;
                        break;
                case 'u':
                        if (strcmp(optarg, "kill") != 0 &&
                            strcmp(optarg, "deny") != 0)
                                return cli_usage_error(
                                        "import",
                                        "--unlisted must be deny or kill");
                        opts.unlisted_kill = strcmp(optarg, "kill") == 0;
                        break;
                case 'A':
                        opts.authority = optarg;
                        break;
                case 'i':
                        opts.id = optarg;
                        break;
                case 's':
                        strict = true;
                        break;
                case 'o':
                        out = optarg;
                        break;
                case 'h':
                        import_usage(stdout);
                        return 0;
                default:
                        return cli_bad_option("import", c, argv);
                }
        }
        if (!have_from)
                return cli_usage_error("import", "give --from oci|firecracker");
        if (optind != argc - 1)
                return cli_usage_error("import", "give exactly one FILE");
        if (opts.caps && strcmp(opts.caps, "none") == 0)
                opts.caps = "";

        rc = sw_import_file(argv[optind], fmt, &opts, &imp, &rep, &err);
        cli_print_report(rep, NULL, false);
        if (rc != SW_SUCCESS) {
                cli_print_error("import", err);
        } else if (strict && sw_report_count_severity(rep, SW_SEV_WARNING)) {
                rc = cli_fail("import", SW_EPROTO,
                              "%zu changes of meaning (see above); nothing "
                              "written (--strict)",
                              sw_report_count_severity(rep, SW_SEV_WARNING));
        } else {
                rc = write_all(imp, out);
        }
        sw_import_free(imp);
        sw_report_free(rep);
        sw_error_free(err);
        return rc;
}
