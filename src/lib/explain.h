/*
 * explain.h - what explain.c and disasm.c share.  Private to libsyswall.
 */
#ifndef SW_EXPLAIN_H
#define SW_EXPLAIN_H

#include "compile.h"

/*
 * The rule of wl (may be NULL) for syscall number nr on its target, with
 * its index in *idx; NULL when the call is not listed.
 */
const struct sw_rule *sw_rule_of_nr(const sw_whitelist *wl, int nr,
                                    size_t *idx);

#endif /* SW_EXPLAIN_H */
