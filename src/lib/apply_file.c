/*
 * apply_file.c - read, check, compile, prove and load, all or nothing.
 */
#include "compile.h"

sw_code sw_apply_file(const char *path, const sw_config *cfg,
                      sw_report **report, sw_error **err)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_code sc;

        sc = sw_whitelist_load_file(path, cfg, &wl, report);
        if (sc != SW_SUCCESS)
                return sw_fail(
                        err, sc,
                        "%s: the whitelist has errors; nothing was loaded",
                        path);
        sc = sw_compile(wl, cfg, &f, err);
        sw_whitelist_free(wl);
        if (sc != SW_SUCCESS)
                return sc;
        sc = sw_filter_load(f, err);
        sw_filter_free(f);
        return sc;
}
