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
 *
 * The log is opened only when a kill is to be named, never on the way to
 * starting the command: opening /dev/kmsg makes the kernel walk its ring
 * buffer to the first record it still holds (about 0.1 ms here, more as
 * the buffer fills), which every run would pay.  Records from before the
 * command started are told apart by their time stamp instead of by the
 * position of a descriptor opened early.
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

/*
 * How much older than the start a record may look and still count.  The
 * log's time stamps come from the kernel's local clock, CLOCK_MONOTONIC
 * is slewed by NTP, and the two drift apart by up to milliseconds per
 * hour.  A record of the command's pid from up to 10 s before it started
 * would need that pid to have been used, and killed by seccomp, by
 * another process in those seconds: pids are handed out in turn, and
 * pid_max is in the millions.
 */
#define KMSG_SLACK_US 10000000LL

long long kmsg_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A record's time stamp: "prio,seq,usec,flags;text". */
static bool stamp(const char *rec, long long *us)
{
        unsigned long long seq;
        int prio;

        return sscanf(rec, "%d,%llu,%lld", &prio, &seq, us) == 3;
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

/* Is this a record of the command, logged after it started? */
static bool ours(const char *rec, long long since, pid_t pid,
                 struct kmsg_kill *out)
{
        long long us;

        return stamp(rec, &us) && us >= since - KMSG_SLACK_US &&
               match(rec, pid, out);
}

/* Read the log from its first record on, then wait for new ones. */
static bool search(int fd, long long since, pid_t pid, struct kmsg_kill *out)
{
        long deadline = now_ms() + KMSG_WAIT_MS;
        char rec[2048];

        for (;;) {
                ssize_t n = read(fd, rec, sizeof(rec) - 1);
                struct pollfd p = {.fd = fd, .events = POLLIN};
                long left;

                if (n > 0) {
                        rec[n] = '\0';
                        if (ours(rec, since, pid, out))
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

bool kmsg_find_kill(long long since, pid_t pid, struct kmsg_kill *out)
{
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        bool found;

        if (fd < 0)
                return false;
        found = search(fd, since, pid, out);
        close(fd);
        return found;
}
