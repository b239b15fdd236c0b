/*
 * watch.h - following the command that `syswall run` started.
 *
 * The parent traces the command with ptrace so that, when the filter
 * kills it, it can name the system call that was refused.  Tracing is
 * passive: the tracer never looks at a call the command makes while it
 * runs, it only reads the registers of a thread that is about to die.
 */
#ifndef SW_WATCH_H
#define SW_WATCH_H

#include "syswall.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct watch {
        pid_t child;             /* the command */
        const sw_whitelist *wl;  /* tells which calls are listed */
        const sw_filter *filter; /* judges a dying thread's call */
        bool traced;             /* the child was seized */
        int trace_error;         /* errno of a refused seize, 0 if none */
        long long since;         /* kmsg_now() before the command started */
        /* The read end of a pipe whose only writer, close-on-exec, is the
         * child's: it hangs up when the child's execve succeeds. */
        int exec_fd;
        bool started;  /* the command reached execve (traced) */
        bool reported; /* a refused call of the child was named */
};

/*
 * Block the signals that watch_wait() forwards, so that none is lost
 * between the fork and the moment they can be forwarded.  Stores the
 * previous mask in old, for the child to restore before execve.
 */
void watch_hold_signals(sigset_t *old);

/*
 * Trace the child, which must wait (blocked, not stopped) until the
 * caller lets it go on.  Returns false with errno set when the kernel
 * does not let this process trace it (Yama, a container's policy); the
 * command then runs untraced and a kill is reported without the call.
 */
bool watch_seize(struct watch *w);

/*
 * Wait for the child to end while forwarding SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGUSR1 and SIGUSR2 to it, and print a report for every
 * traced process the filter kills.  Descendants still running when the
 * child ends are let go (detached), not killed.  Returns the child's
 * wait status, or -1 with errno set if waiting failed.
 */
int watch_wait(struct watch *w);

/*
 * Print the report for a child that died of SIGSYS without a refused
 * call being identified (untraced, or killed by someone else).
 */
void watch_report_unnamed(const struct watch *w);

#endif
