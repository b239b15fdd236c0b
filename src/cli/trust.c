/*
 * trust.c - the --trust option that check, compile and run share.
 */
#include "cli.h"

int cli_set_trust(sw_config *cfg, const char *file, const char *cmd)
{
        sw_error *err = NULL;
        sw_code rc = sw_config_load_trust(cfg, file, &err);

        if (rc != SW_SUCCESS) {
                cli_print_error(cmd, err);
                sw_error_free(err);
        }
        return rc;
}
