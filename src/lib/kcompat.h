/*
 * kcompat.h - kernel interface names newer than Debian 12's headers
 * (linux-libc-dev 6.1): the values are the kernel's ABI, so defining them
 * here is safe, and whether the running kernel accepts them is probed at
 * run time (features.c), never assumed.
 */
#ifndef SW_KCOMPAT_H
#define SW_KCOMPAT_H

#include <fcntl.h>
#include <linux/seccomp.h>

/* Linux 6.6: the supervisor's wake-up runs on the caller's CPU. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* Linux 6.9: a pidfd for one thread rather than a whole process. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#endif
