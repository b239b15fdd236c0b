/*
 * testutil.h - helpers shared by the cmocka test programs.
 */
#ifndef SW_TESTUTIL_H
#define SW_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "syswall.h"

/* A path under the source tree: tu_src("examples/whitelist.json"). */
const char *tu_src(const char *rel);

/* A path under shared/ beside the project (the failure cases). */
const char *tu_shared(const char *rel);

/*
 * Run fn(arg) in a forked child and wait.  Returns the raw wait status;
 * use WIFSIGNALED/WTERMSIG/WEXITSTATUS on it.
 */
int tu_fork_run(void (*fn)(void *), void *arg);

/*
 * Skip the test, printing why, where something it needs is missing; under
 * CI (the variable set), where everything must be there, fail instead.
 */
void tu_skip_unless_ci(const char *why);

/*
 * The number on the "key" line of a status file ("Seccomp:" of
 * /proc/self/status), or -1 when the file or the line is missing.
 */
long tu_status_field(const char *path, const char *key);

/* Read and compile a whitelist document; fails the test if either fails. */
sw_filter *tu_compile_json(const char *doc);

#endif
