/*
 * apply_file.c - read, check, compile, prove and load, all or nothing.
 */
#include "compile.h"

/* The first error of a report as the error of the whole apply. */
static sw_code first_error(const sw_report *rep, const char *path, sw_code code,
                           sw_error **err)
{
        for (size_t i = 0; rep != NULL && i < sw_report_count(rep); i++) {
                if (sw_report_severity(rep, i) != SW_SEV_ERROR)
                        continue;
                return sw_fail_at(
                        err, sw_report_code(rep, i), sw_report_file(rep, i),
                        sw_report_line(rep, i), sw_report_column(rep, i),
                        sw_report_path(rep, i), sw_report_hint(rep, i),
                        "%s (nothing was loaded)", sw_report_message(rep, i));
        }
        return sw_fail(err, code,
                       "%s: the whitelist cannot be read; nothing was loaded",
                       path);
}

sw_code sw_apply_file(const char *path, const sw_config *cfg,
                      sw_report **report, sw_error **err)
{
        /* The caller's settings without the listing, which nothing here
         * prints: a shallow copy, whose strings stay the caller's. */
        sw_config quiet = cfg ? *cfg : *sw_config_default();
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_filter *f = NULL;
        sw_code sc;

        quiet.no_listing = true;
        sc = sw_whitelist_load_file(path, cfg, &wl, &rep);
        if (sc != SW_SUCCESS)
                first_error(rep, path, sc, err);
        if (report != NULL)
                *report = rep;
        else
                sw_report_free(rep);
        if (sc != SW_SUCCESS)
                return sc;

        sc = sw_compile(wl, &quiet, &f, err);
        sw_whitelist_free(wl);
        if (sc != SW_SUCCESS)
                return sc;
        sc = sw_filter_load(f, err);
        sw_filter_free(f);
        return sc;
}
