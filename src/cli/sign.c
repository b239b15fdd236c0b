/*
 * sign.c - `syswall sign`: write a whitelist's signature into it.
 */
#include "cli.h"

#include <getopt.h>

static void sign_usage(FILE *out)
{
        fprintf(out,
                "usage: %s sign --key SECRET FILE\n\n"
                "Sign the whitelist FILE with the secret key SECRET (made by "
                "'syswall keygen').\nThe signature covers the document's "
                "canonical form (RFC 8785) without its\n\"signature\" "
                "member, and is written into FILE as\n"
                "  \"signature\": \"ed25519:<base64>\"\n"
                "in place and atomically: the rest of the text is kept as "
                "it is, and an\nold signature is replaced.  Reformatting "
                "the file later keeps the signature\nvalid; any change of "
                "meaning breaks it.\n\n"
                "options:\n"
                "  -k, --key SECRET  the secret key file (must not be "
                "readable by others)\n"
                "  -h, --help        show this help\n",
                sw_prog);
}

int cmd_sign(int argc, char **argv)
{
        static const struct option opts[] = {
                {"key", required_argument, NULL, 'k'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        const char *key = NULL;
        char id[SW_KEY_ID_SIZE];
        sw_error *err = NULL;
        sw_code rc;
        int c;

        while ((c = getopt_long(argc, argv, ":k:h", opts, NULL)) != -1) {
                if (c == 'k')
                        key = optarg;
                else if (c == 'h') {
                        sign_usage(stdout);
                        return 0;
                } else {
                        return cli_bad_option("sign", c, argv);
                }
        }
        if (key == NULL || optind != argc - 1)
                return cli_usage_error("sign",
                                       "give --key SECRET and one FILE");
        rc = sw_sign_file(argv[optind], key, id, &err);
        if (rc != SW_SUCCESS) {
                cli_print_error("sign", err);
                sw_error_free(err);
                return rc;
        }
        printf("%s: signed with key %s\n", argv[optind], id);
        return 0;
}
