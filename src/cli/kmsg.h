/*
 * kmsg.h - the kernel's record of a seccomp kill (see kmsg.c for limits).
 */
#ifndef SW_KMSG_H
#define SW_KMSG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct kmsg_kill {
        long nr;       /* the refused call's number */
        uint32_t arch; /* AUDIT_ARCH_* of the call */
};

/*
 * The kernel log's clock now, in microseconds, taken before the command
 * starts: a record older than this is not the command's.
 */
long long kmsg_now(void);

/*
 * Find the seccomp record of pid logged since `since` (kmsg_now()),
 * waiting a moment for the kernel to print it.  Returns false when there
 * is none (the log unreadable here, rate limited, taken by auditd).
 */
bool kmsg_find_kill(long long since, pid_t pid, struct kmsg_kill *out);

#endif
