/*
 * apply.c - a proven filter into the calling process, every thread.
 */
#include "compile.h"
#include "net.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif

static sw_code load_fail(sw_error **err, int e)
{
        switch (e) {
        case EACCES:
        case EPERM:
                return sw_fail(err, SW_EPERM,
                               "the kernel refused the filter: %s",
                               strerror(e));
        case ENOMEM:
                return sw_fail(err, SW_EPERM,
                               "the kernel refused the filter: %s (the "
                               "filters of this thread exceed the kernel's "
                               "total of 32768 instructions)",
                               strerror(e));
        case EINVAL:
                return sw_fail(err, SW_EPERM,
                               "the kernel refused the filter: %s (seccomp "
                               "filters or thread sync unsupported?)",
                               strerror(e));
        default:
                return sw_fail(err, SW_EIO, "cannot load the filter: %s",
                               strerror(e));
        }
}

/*
 * no_new_privs first: the kernel requires it (or CAP_SYS_ADMIN) and it
 * keeps a set-user-ID program from running with the filter lifted.  It
 * cannot be unset, so a load that fails afterwards leaves it set; the
 * filter itself is loaded for every thread or for none (TSYNC).
 */
sw_code sw_filter_load(const sw_filter *f, sw_error **err)
{
        struct sock_fprog prog;
        int ruleset = -1;
        sw_code sc;
        long rc;

        if (f == NULL || f->prog == NULL)
                return sw_fail(err, SW_EINTERNAL, "no filter to load");
        sc = sw_bpf_check(f->prog, f->len, err);
        /* Port restrictions: refused here, before anything is loaded,
         * when Landlock and the network filter cannot enforce them. */
        if (sc == SW_SUCCESS && f->net && !sw_net_supervised())
                sc = sw_netprep_check(f->net, &ruleset, err);
        if (sc != SW_SUCCESS)
                return sc;
        prog.len = (unsigned short)f->len;
        prog.filter = f->prog;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
                if (ruleset >= 0)
                        close(ruleset);
                return sw_fail(err, SW_EPERM, "cannot set no_new_privs: %s",
                               strerror(errno));
        }
        /* The network filter and Landlock go first: the whitelist's own
         * filter may refuse the calls that load them.  Both were
         * prepared above; the network filter is synchronised to every
         * thread, so a thread sync failure stops the load here, before
         * anything is filtered. */
        if (f->net && !sw_net_supervised()) {
                sc = sw_netprep_commit(f->net, ruleset, err);
                if (sc != SW_SUCCESS)
                        return sc;
        }
        rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                     SECCOMP_FILTER_FLAG_TSYNC, &prog);
        if (rc > 0)
                return sw_fail(err, SW_EPERM,
                               "thread %ld of this process could not be "
                               "synchronised to the filter (it runs under a "
                               "different seccomp filter); no thread was "
                               "filtered",
                               rc);
        if (rc < 0)
                return load_fail(err, errno);
        return SW_SUCCESS;
}
