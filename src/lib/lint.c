/*
 * lint.c - rules that are valid but trip real programs up.
 */
#include "internal.h"

void sw_lint(const sw_whitelist *wl, const struct sw_doc *doc,
             const sw_config *cfg, sw_report *rep)
{
        (void)wl;
        (void)doc;
        (void)cfg;
        (void)rep;
}
