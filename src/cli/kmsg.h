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
 * Open the kernel log positioned at its end, before the command starts.
 * Returns the descriptor, or -1 when the log cannot be read here.
 */
int kmsg_open(void);

/*
 * Find the seccomp record of pid among the records logged since
 * kmsg_open(), waiting a moment for the kernel to print it.  Returns
 * false when there is none (fd -1, rate limited, taken by auditd).
 */
bool kmsg_find_kill(int fd, pid_t pid, struct kmsg_kill *out);

#endif
