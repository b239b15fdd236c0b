/*
 * verify.c - `syswall verify`: check a whitelist's signature.
 */
#include "cli.h"

#include <getopt.h>

static void verify_usage(FILE *out)
{
        fprintf(out,
                "usage: %s verify --trust PUBLIC FILE\n\n"
                "Check that the whitelist FILE carries a valid signature by "
                "one of the keys\nin the trust file PUBLIC (lines "
                "'syswall-ed25519-public KEYID BASE64 [NAME]',\nas in the "
                ".pub files 'syswall keygen' writes; '#' starts a "
                "comment).\n\n"
                "Exit status: 0 when a trusted key verifies the signature; "
                "4 (EPERM) when\nthe file is unsigned, its signature is "
                "malformed, or no trusted key verifies\nit (the file was "
                "changed after signing, or signed by an untrusted key);\n"
                "another P1.7 code when a file cannot be read.\n\n"
                "options:\n"
                "  -t, --trust PUBLIC  the trust file\n"
                "  -h, --help          show this help\n",
                sw_prog);
}

static int verify_with(const char *trust_file, const char *file)
{
        sw_trust *trust = NULL;
        sw_error *err = NULL;
        sw_code rc;
        size_t key = 0;

        rc = sw_trust_load(trust_file, &trust, &err);
        if (rc == SW_SUCCESS)
                rc = sw_verify_file(file, trust, NULL, &key, &err);
        if (rc == SW_SUCCESS) {
                const char *name = sw_trust_key_name(trust, key);

                printf("%s: signature valid, signed by key %s%s%s\n", file,
                       sw_trust_key_id(trust, key), name ? " " : "",
                       name ? name : "");
        } else {
                cli_print_error("verify", err);
        }
        sw_error_free(err);
        sw_trust_free(trust);
        return rc;
}

int cmd_verify(int argc, char **argv)
{
        static const struct option opts[] = {
                {"trust", required_argument, NULL, 't'},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        const char *trust = NULL;
        int c;

        while ((c = getopt_long(argc, argv, ":t:h", opts, NULL)) != -1) {
                if (c == 't')
                        trust = optarg;
                else if (c == 'h') {
                        verify_usage(stdout);
                        return 0;
                } else {
                        return cli_bad_option("verify", c, argv);
                }
        }
        if (trust == NULL || optind != argc - 1)
                return cli_usage_error("verify",
                                       "give --trust PUBLIC and one FILE");
        return verify_with(trust, argv[optind]);
}
