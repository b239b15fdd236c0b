/*
 * keygen.c - `syswall keygen`: make an Ed25519 key pair for signing.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void keygen_usage(FILE *out)
{
        fprintf(out,
                "usage: %s keygen [-o BASENAME] [--id NAME]\n\n"
                "Make an Ed25519 key pair for signing whitelists:\n"
                "  BASENAME.key  the secret key (mode 0600): give it to "
                "'syswall sign --key'\n"
                "  BASENAME.pub  the public key: put its line in the trust "
                "file that\n"
                "                'syswall verify/check/compile/run --trust' "
                "read\n\n"
                "options:\n"
                "  -o, --output BASENAME  where to write (default: "
                "syswall-signing)\n"
                "  --id NAME              a label kept with the key, e.g. "
                "security-agent\n"
                "                         (letters, digits and ._@+-)\n"
                "  -h, --help             show this help\n\n"
                "Existing files are never overwritten.  The key id printed "
                "is derived from\nthe public key (see docs/signing.md).\n",
                sw_prog);
}

int cmd_keygen(int argc, char **argv)
{
        static const struct option opts[] = {
                {"output", required_argument, NULL, 'o'},
                {"id", required_argument, NULL, 'i'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        const char *base = "syswall-signing", *name = NULL;
        char id[SW_KEY_ID_SIZE];
        sw_error *err = NULL;
        sw_code rc;
        int c;

        while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
                if (c == 'o')
                        base = optarg;
                else if (c == 'i')
                        name = optarg;
                else if (c == 'h') {
                        keygen_usage(stdout);
                        return 0;
                } else {
                        return cli_bad_option("keygen", c, argv);
                }
        }
        if (optind != argc)
                return cli_usage_error("keygen", "unexpected argument '%s'",
                                       argv[optind]);
        rc = sw_keygen(base, name, id, &err);
        if (rc != SW_SUCCESS) {
                cli_print_error("keygen", err);
                sw_error_free(err);
                return rc;
        }
        printf("key %s%s%s\n  secret: %s.key (keep it private)\n"
               "  public: %s.pub (add its line to a trust file)\n",
               id, name ? " " : "", name ? name : "", base, base);
        return 0;
}
