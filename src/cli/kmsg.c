/*
 * kmsg.c - the kernel's record of a seccomp kill, when registers are not read.
 *
 * When seccomp kills a process the kernel logs an audit record (type
 * 1326) with the process id, the architecture and the call's number.
 * Without an audit daemon the record lands in the kernel log, which
 * /dev/kmsg lets a privileged process read.  This is the fallback when
 * the command could not be traced, or its registers not read (watch.c
 * explains why tracing is the first choice): the record has no
 * arguments, it is printed by a kernel thread a moment after the kill,
 * the kernel rate-limits it when many processes are killed at once, an
 * audit daemon takes it away from the log, and reading the log needs
 * privileges.  So a missing record is normal and said as such; a record
 * is only used when its pid is the command's.
 */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long to wait for the kernel thread that prints audit records. */
#define KMSG_WAIT_MS 300

int kmsg_open(void)
{
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

        /* Only records written from now on are of interest. */
        if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

/* The number after " key=" in a record, as base; false if absent. */
static bool field(const char *rec, const char *key, int base, long *out)
{
        char pat[32];
        const char *p;
        char *end;

        snprintf(pat, sizeof(pat), " %s=", key);
        p = strstr(rec, pat);
        if (p == NULL)
                return false;
        p += strlen(pat);
        errno = 0;
        *out = strtol(p, &end, base);
        return end != p && errno == 0;
}

/* Is this the seccomp record of pid?  Fills nr and arch if so. */
static bool match(const char *rec, pid_t pid, struct kmsg_kill *k)
{
        long v;

        if (strstr(rec, " type=1326 ") == NULL)
                return false;
        if (!field(rec, "pid", 10, &v) || v != pid)
                return false;
        if (!field(rec, "syscall", 10, &k->nr))
                return false;
        if (!field(rec, "arch", 16, &v))
                return false;
        k->arch = (uint32_t)v;
        return true;
}

static long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool kmsg_find_kill(int fd, pid_t pid, struct kmsg_kill *out)
{
        long deadline = now_ms() + KMSG_WAIT_MS;
        char rec[2048];

        if (fd < 0)
                return false;
        for (;;) {
                ssize_t n = read(fd, rec, sizeof(rec) - 1);
                struct pollfd p = {.fd = fd, .events = POLLIN};
                long left;

                if (n > 0) {
                        rec[n] = '\0';
                        if (match(rec, pid, out))
                                return true;
                        continue;
                }
                /* EPIPE: records were overwritten; go on with the next. */
                if (n < 0 && errno == EPIPE)
                        continue;
                if (n < 0 && errno != EAGAIN && errno != EINTR)
                        return false;
                left = deadline - now_ms();
                if (left <= 0)
                        return false;
                poll(&p, 1, (int)left);
        }
}
