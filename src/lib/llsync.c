/*
 * llsync.c - Landlock on every thread of a running process.
 *
 * landlock_restrict_self() restricts the calling thread only, and the
 * kernel offers no thread-sync flag (Landlock ABI 7, Linux 6.18, has
 * none).  A runtime that applies its whitelist after its worker threads
 * run (tokio, any thread pool) needs them all restricted, so each thread
 * is asked to restrict itself: it receives a real-time signal whose
 * handler sets no_new_privs and calls landlock_restrict_self() with the
 * shared ruleset, then reports back.  /proc/self/task is scanned again
 * until a pass finds no thread left; threads created by a restricted
 * thread inherit its domain, threads created meanwhile by one not yet
 * restricted show up in the next pass.  Each pass ends only when every
 * thread has left the handler (see ll_settle), so that the seccomp filter
 * loaded next never sees the handler's rt_sigreturn.
 *
 * A thread that keeps the signal blocked never answers: after a timeout
 * the call fails, and the threads already restricted stay restricted (a
 * Landlock domain cannot be removed); the caller loads no seccomp filter
 * and reports the failure.
 */
#include "net.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* How long every thread of one pass has to answer. */
#define LL_PASS_TIMEOUT_MS 2000
/* How long a thread seen running may take to leave the handler. */
#define LL_SETTLE_MS 100
/* Passes before giving up on a process that keeps creating threads. */
#define LL_MAX_PASSES 64

/* One thread asked in the current pass: 0 pending, 1 done, -errno. */
struct ll_slot {
        pid_t tid;
        int state;
};

/* The pass the signal handler answers; NULL outside sw_landlock_sync. */
static struct ll_slot *ll_slots;
static size_t ll_nslots;
static int ll_fd = -1;
static pthread_mutex_t ll_lock = PTHREAD_MUTEX_INITIALIZER;

/* Runs on the asked thread; only async-signal-safe calls. */
static void ll_handler(int sig)
{
        int saved = errno;
        struct ll_slot *slots = __atomic_load_n(&ll_slots, __ATOMIC_ACQUIRE);
        size_t n = __atomic_load_n(&ll_nslots, __ATOMIC_ACQUIRE);
        int fd = __atomic_load_n(&ll_fd, __ATOMIC_ACQUIRE);
        pid_t tid = (pid_t)syscall(SYS_gettid);
        int state = 1;
        (void)sig;

        if (slots == NULL) {
                errno = saved;
                return;
        }
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            syscall(SYS_landlock_restrict_self, fd, 0) != 0)
                state = -errno;
        for (size_t i = 0; i < n; i++)
                if (slots[i].tid == tid)
                        __atomic_store_n(&slots[i].state, state,
                                         __ATOMIC_RELEASE);
        errno = saved;
}

/* The signal: a real-time one glibc leaves to applications. */
static int ll_signal(void)
{
        return SIGRTMAX - 1;
}

/* Threads are listed by id; *done holds those already restricted. */
static sw_code ll_scan(const struct sw_pidset *done, struct sw_pidset *todo,
                       sw_error **err)
{
        DIR *d = opendir("/proc/self/task");
        struct dirent *e;

        if (d == NULL)
                return sw_fail(err, SW_EIO, "cannot list /proc/self/task: %s",
                               strerror(errno));
        todo->n = 0;
        while ((e = readdir(d)) != NULL) {
                pid_t tid = (pid_t)strtol(e->d_name, NULL, 10);

                if (tid <= 0 || sw_pidset_has(done, tid))
                        continue;
                if (!sw_pidset_add(todo, tid)) {
                        closedir(d);
                        return sw_fail(err, SW_EINTERNAL, "out of memory");
                }
        }
        closedir(d);
        return SW_SUCCESS;
}

static long ll_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for every slot; a thread that ended meanwhile counts as done. */
static sw_code ll_wait(struct ll_slot *slots, size_t n, sw_error **err)
{
        const struct timespec tick = {0, 1000000};
        long deadline = ll_now_ms() + LL_PASS_TIMEOUT_MS;

        for (size_t i = 0; i < n; i++) {
                int st;

                while ((st = __atomic_load_n(&slots[i].state,
                                             __ATOMIC_ACQUIRE)) == 0) {
                        if (syscall(SYS_tgkill, getpid(), slots[i].tid, 0) &&
                            errno == ESRCH)
                                break;
                        if (ll_now_ms() > deadline)
                                return sw_fail(err, SW_ETIMEOUT,
                                               "thread %d did not take on "
                                               "the Landlock rules within "
                                               "%d ms (it blocks signal "
                                               "%d); the threads already "
                                               "restricted stay so",
                                               (int)slots[i].tid,
                                               LL_PASS_TIMEOUT_MS, ll_signal());
                        nanosleep(&tick, NULL);
                }
                if (st < 0)
                        return sw_fail(
                                err, SW_EPERM,
                                "Landlock refused to restrict thread %d: %s",
                                (int)slots[i].tid, strerror(-st));
        }
        return SW_SUCCESS;
}

/* True when tid is blocked in a system call (or has ended). */
static bool ll_blocked(pid_t tid)
{
        char path[64], buf[64];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return true;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return true;
        buf[n] = '\0';
        /* "running", "-1 sp pc" (stopped outside a call), or "NR args". */
        return buf[0] >= '0' && buf[0] <= '9';
}

/*
 * A thread that answered has yet to leave the handler: it returns through
 * rt_sigreturn, and a sleep it was in resumes through restart_syscall,
 * calls a whitelist need not list.  The seccomp filter must come after
 * both, so each thread is awaited until it is seen blocked in a system
 * call again (the handler itself makes none after answering).  A thread
 * that keeps running, busy in its own code, is given LL_SETTLE_MS: by
 * then it has left a handler a few instructions long, unless the machine
 * kept it off the CPU for all that time.
 */
static void ll_settle(const struct ll_slot *slots, size_t n)
{
        const struct timespec tick = {0, 200000};
        long deadline = ll_now_ms() + LL_SETTLE_MS;

        for (size_t i = 0; i < n; i++)
                while (!ll_blocked(slots[i].tid) && ll_now_ms() <= deadline)
                        nanosleep(&tick, NULL);
}

/* One pass: ask every thread of todo, wait for all of them. */
static sw_code ll_pass(const struct sw_pidset *todo, sw_error **err)
{
        struct ll_slot *slots = calloc(todo->n, sizeof(*slots));
        sw_code sc = SW_SUCCESS;
        size_t i;

        if (slots == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        for (i = 0; i < todo->n; i++)
                slots[i].tid = todo->v[i];
        __atomic_store_n(&ll_nslots, todo->n, __ATOMIC_RELEASE);
        __atomic_store_n(&ll_slots, slots, __ATOMIC_RELEASE);

        for (i = 0; i < todo->n; i++)
                if (syscall(SYS_tgkill, getpid(), slots[i].tid, ll_signal()) &&
                    errno == ESRCH)
                        slots[i].state = 1;
        sc = ll_wait(slots, todo->n, err);
        if (sc == SW_SUCCESS)
                ll_settle(slots, todo->n);

        /* A late handler may still read the table: on a timeout it is
         * left allocated, never freed under a running handler. */
        __atomic_store_n(&ll_slots, NULL, __ATOMIC_RELEASE);
        if (sc == SW_SUCCESS)
                free(slots);
        return sc;
}

/* Restrict the caller, then every other thread, pass after pass. */
static sw_code ll_sync_locked(int ruleset_fd, sw_error **err)
{
        struct sw_pidset done = {0}, todo = {0};
        sw_code sc = SW_SUCCESS;
        int pass;

        if (sw_landlock_restrict(ruleset_fd) != 0)
                return sw_fail(err, SW_EPERM,
                               "Landlock refused to restrict: %s",
                               strerror(errno));
        if (!sw_pidset_add(&done, (pid_t)syscall(SYS_gettid)))
                return sw_fail(err, SW_EINTERNAL, "out of memory");

        for (pass = 0; pass < LL_MAX_PASSES && sc == SW_SUCCESS; pass++) {
                sc = ll_scan(&done, &todo, err);
                if (sc != SW_SUCCESS || todo.n == 0)
                        break;
                sc = ll_pass(&todo, err);
                for (size_t i = 0; sc == SW_SUCCESS && i < todo.n; i++)
                        if (!sw_pidset_add(&done, todo.v[i]))
                                sc = sw_fail(err, SW_EINTERNAL,
                                             "out of memory");
        }
        if (sc == SW_SUCCESS && pass == LL_MAX_PASSES)
                sc = sw_fail(err, SW_EAGAIN,
                             "threads kept appearing through %d passes; "
                             "not every thread could be given the "
                             "Landlock rules",
                             LL_MAX_PASSES);
        sw_pidset_free(&done);
        sw_pidset_free(&todo);
        return sc;
}

sw_code sw_landlock_sync(int ruleset_fd, sw_error **err)
{
        struct sigaction sa, old;
        sw_code sc;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = ll_handler;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);

        pthread_mutex_lock(&ll_lock);
        __atomic_store_n(&ll_fd, ruleset_fd, __ATOMIC_RELEASE);
        if (sigaction(ll_signal(), &sa, &old) != 0) {
                pthread_mutex_unlock(&ll_lock);
                return sw_fail(err, SW_EIO, "cannot install a handler: %s",
                               strerror(errno));
        }
        sc = ll_sync_locked(ruleset_fd, err);

        /* After a timeout a signal may still be pending somewhere: the
         * handler stays (it does nothing without a pass) rather than let
         * the default action of a real-time signal end the process. */
        if (sc == SW_SUCCESS)
                sigaction(ll_signal(), &old, NULL);
        pthread_mutex_unlock(&ll_lock);
        return sc;
}
