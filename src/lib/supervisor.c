/*
 * supervisor.c - the seccomp user-notification supervisor: judges the
 * port restrictions Landlock cannot (UDP, sendmsg, sendmmsg, conditions
 * with argument filters, kernels without Landlock networking), free of
 * time-of-check/time-of-use races.
 *
 * The kernel stops a restricted call and hands it to us.  We never judge
 * the caller's memory and then let the kernel read it again
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE is never used): we copy the address,
 * the message header, the iovecs and the data into our memory, check the
 * notification is still alive (SECCOMP_IOCTL_NOTIF_ID_VALID) after the
 * reads, judge the copy, take the caller's socket with pidfd_getfd(2),
 * perform the call ourselves on that socket with the copy, and answer
 * with its result.  A thread that rewrites the address after we read it
 * changes nothing we send.
 *
 * Threads: leader and followers.  One worker at a time (the leader)
 * waits for the next notification and serves it itself, so the thread
 * the kernel wakes (on the caller's CPU, with SYNC_WAKE_UP) is the one
 * that performs the call and answers, with no hand-over between threads
 * on the way.  Before a call that may block, it arranges for an idle
 * worker to take the lead if the call lasts (risky_begin()), so one slow
 * connect does not hold up other callers.  When Landlock judges TCP
 * ports, the TCP connects and binds are performed by a thread Landlock
 * restricts, so the kernel judges them (see ll_thread()).
 *
 * Failure is closed: while no supervisor holds the listener, the kernel
 * fails every notified call with ENOSYS.
 */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kcompat.h"

/* Data copied for one send: more is sent partially (stream sockets) or
 * refused with EMSGSIZE (datagrams, whose limit is 64 KiB anyway). */
#define SUP_MAX_DATA (1u << 20)
/* Ancillary data copied for one sendmsg (net.core.optmem_max is lower). */
#define SUP_MAX_CONTROL (64ul * 1024)
/* sendmmsg messages handled per call (the kernel's UIO_MAXIOV). */
#define SUP_MAX_MMSG 1024u
#define SUP_MAX_IOV  1024u
/* Worker threads: started, and the most ever running. */
#define SUP_MIN_WORKERS 2u
#define SUP_MAX_WORKERS 64u
/* How long a call that may block runs before an idle worker takes the
 * lead, at most (see risky_begin()). */
#define SUP_BLOCK_NS 2000000l

/* The answer "the caller is gone, do not answer". */
#define SUP_GONE INT_MIN

struct sup {
        struct sw_netplan *plan; /* owned */
        int listener;
        int stopfd;
        int nudge;   /* timerfd: wakes an idle worker to take the lead */
        int ruleset; /* Landlock for the workers, -1 for none */
        size_t notif_size;

        pthread_mutex_t lock;
        pthread_cond_t stepped; /* the leader stepped down while stopping */
        unsigned workers;
        unsigned idle; /* followers waiting on nudge */
        bool leading;  /* a worker waits for the next notification */
        bool armed;    /* nudge runs */
        unsigned refs; /* the owner and each worker */
        bool stopping;
};

/* Pidfds of calling threads kept by one worker, by thread id. */
#define SUP_PIDFDS 16u

struct pidfd_slot {
        pid_t tid;
        int fd; /* -1: empty */
};

/* A connect or bind handed to the partner. */
struct ll_call {
        int sock;
        bool connect;
        const struct sockaddr *addr;
        socklen_t len;
        long r; /* 0 or -errno */
};

/* A worker's Landlock-restricted partner thread (see ll_thread()). */
struct ll_partner {
        bool started;
        pthread_t thread;
        struct ll_call call;
        int req[2];  /* worker -> partner: one byte, call is set */
        int resp[2]; /* partner -> worker: one byte, call.r is set */
};

/* What one worker owns. */
struct wctx {
        struct sup *s;
        struct seccomp_notif *n; /* the notification being served */
        struct pidfd_slot pidfds[SUP_PIDFDS];
        struct ll_partner ll;
};

struct sw_sandbox {
        pid_t pid;
        int pidfd;
        bool reaped;
        struct sup *sup; /* NULL when nothing is supervised */
};

/* ---- shared state ---- */

static void sup_unref(struct sup *s)
{
        bool last;

        pthread_mutex_lock(&s->lock);
        last = --s->refs == 0;
        pthread_mutex_unlock(&s->lock);
        if (!last)
                return;

        /* Nobody uses the listener any more: closing it makes the kernel
         * fail the remaining supervised calls with ENOSYS. */
        close(s->listener);
        close(s->stopfd);
        if (s->nudge >= 0)
                close(s->nudge);
        if (s->ruleset >= 0)
                close(s->ruleset);
        sw_netplan_free(s->plan);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->stepped);
        free(s);
}

/* ---- reading the caller ---- */

/* Copy len bytes at addr of task tid into buf, and len2 bytes at addr2
 * into buf2 (one system call for both); 0 or -EFAULT. */
static int peek2(pid_t tid, uint64_t addr, void *buf, size_t len,
                 uint64_t addr2, void *buf2, size_t len2)
{
        struct iovec local[2] = {{.iov_base = buf, .iov_len = len},
                                 {.iov_base = buf2, .iov_len = len2}};
        /* Addresses in the caller's memory, never dereferenced here. */
        struct iovec remote[2] = {
                // NOLINTNEXTLINE(performance-no-int-to-ptr)
                {.iov_base = (void *)(uintptr_t)addr, .iov_len = len},
                // NOLINTNEXTLINE(performance-no-int-to-ptr)
                {.iov_base = (void *)(uintptr_t)addr2, .iov_len = len2},
        };

        if (len + len2 == 0)
                return 0;
        if (process_vm_readv(tid, local, 2, remote, 2, 0) !=
            (ssize_t)(len + len2))
                return -EFAULT;
        return 0;
}

/* Copy len bytes at addr of task tid into buf; 0 or -EFAULT. */
static int peek(pid_t tid, uint64_t addr, void *buf, size_t len)
{
        return peek2(tid, addr, buf, len, 0, NULL, 0);
}

static int poke(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
        struct iovec local = {.iov_base = (void *)buf, .iov_len = len};
        /* An address in the caller's memory, never dereferenced here. */
        struct iovec remote = {
                // NOLINTNEXTLINE(performance-no-int-to-ptr)
                .iov_base = (void *)(uintptr_t)addr,
                .iov_len = len,
        };

        if (process_vm_writev(tid, &local, 1, &remote, 1, 0) != (ssize_t)len)
                return -EFAULT;
        return 0;
}

static pid_t tgid_of(pid_t tid)
{
        char path[64];
        char line[128];
        pid_t tgid = -1;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/status", tid);
        f = fopen(path, "re");
        if (f == NULL)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "Tgid: %d", &tgid) == 1)
                        break;
        fclose(f);
        return tgid;
}

/* A pidfd of the calling thread (its own fd table), or of its process
 * on kernels before 6.9; *thread says which. */
static int caller_pidfd(pid_t tid, bool *thread)
{
        int fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
        pid_t tgid;

        *thread = fd >= 0;
        if (fd >= 0 || errno != EINVAL)
                return fd;
        tgid = tgid_of(tid);
        return tgid < 0 ? -1 : (int)syscall(SYS_pidfd_open, tgid, 0);
}

/*
 * The pidfd of thread tid, opened once per worker and kept (one
 * pidfd_open and close per call is a measurable part of a round trip).
 * A kept pidfd can never reach another task than the one it was opened
 * for: once that task has gone, its number may name a new task, but the
 * pidfd does not follow it, and pidfd_getfd fails with ESRCH (then
 * take_socket() opens a fresh one).  *fresh: just opened, not yet known
 * to be the caller's.  A process pidfd (kernels before 6.9) is not kept:
 * its process may live on while the thread number is reused elsewhere;
 * *keep says whether the caller must close the result.
 */
static int pidfd_for(struct wctx *w, pid_t tid, bool *fresh, bool *keep)
{
        struct pidfd_slot *slot = &w->pidfds[(unsigned)tid % SUP_PIDFDS];
        int fd;

        *fresh = slot->fd < 0 || slot->tid != tid;
        *keep = true;
        if (!*fresh)
                return slot->fd;
        fd = caller_pidfd(tid, keep);
        if (fd < 0 || !*keep)
                return fd;
        if (slot->fd >= 0)
                close(slot->fd);
        slot->tid = tid;
        slot->fd = fd;
        return fd;
}

/* Forget the kept pidfd of tid (its task has gone). */
static void pidfd_drop(struct wctx *w, pid_t tid)
{
        struct pidfd_slot *slot = &w->pidfds[(unsigned)tid % SUP_PIDFDS];

        if (slot->fd >= 0 && slot->tid == tid) {
                close(slot->fd);
                slot->fd = -1;
        }
}

static bool id_valid(struct sup *s, uint64_t id)
{
        return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* ---- one call ---- */

/* What a call needs, copied out of the caller. */
struct msg_copy {
        struct sockaddr_storage name;
        socklen_t namelen;
        bool has_name;
        char *data;
        size_t len;
        char *control;
        size_t controllen;
        int *fds; /* descriptors taken for SCM_RIGHTS, to close */
        size_t nfds;
};

struct call {
        struct sup *s;
        struct wctx *w;
        const struct seccomp_notif *n;
        enum sw_netcall c;
        pid_t tid;
        int pidfd;
        bool kept; /* pidfd belongs to the worker's pidfds */
        int sock;
        int domain;
        int protocol;
        uint64_t args[6];
};

static int sockopt(int fd, int name, int *val)
{
        socklen_t len = sizeof(*val);

        return getsockopt(fd, SOL_SOCKET, name, val, &len) == 0 ? 0 : -errno;
}

static void msg_free(struct msg_copy *m)
{
        for (size_t i = 0; i < m->nfds; i++)
                close(m->fds[i]);
        free(m->fds);
        free(m->data);
        free(m->control);
        memset(m, 0, sizeof(*m));
}

/* The size of an address to copy into m (nothing copied yet); the
 * kernel truncates msg_name to sockaddr_storage but refuses a longer
 * address argument (EINVAL). */
static int name_size(uint64_t addr, int64_t len, bool truncate,
                     struct msg_copy *m)
{
        if (addr == 0)
                return 0;
        if (len < 0)
                return -EINVAL;
        if ((size_t)len > sizeof(m->name)) {
                if (!truncate)
                        return -EINVAL;
                len = sizeof(m->name);
        }
        m->has_name = true;
        m->namelen = (socklen_t)len;
        return 0;
}

/* Copy an address. */
static int copy_name(struct call *k, uint64_t addr, int64_t len, bool truncate,
                     struct msg_copy *m)
{
        int r = name_size(addr, len, truncate, m);

        if (r == 0 && m->has_name)
                r = peek(k->tid, addr, &m->name, m->namelen);
        return r;
}

static int data_cap(struct call *k, size_t total, size_t *len)
{
        int type = 0;

        *len = total;
        if (total <= SUP_MAX_DATA)
                return 0;
        /* The type is asked only here, off the common path. */
        if (sockopt(k->sock, SO_TYPE, &type) != 0 || type != SOCK_STREAM)
                return -EMSGSIZE;
        *len = SUP_MAX_DATA; /* a partial write, as stream sockets allow */
        return 0;
}

static int copy_iov(struct call *k, uint64_t iovp, uint64_t iovlen,
                    struct msg_copy *m)
{
        struct iovec *iov;
        size_t total = 0;
        size_t off = 0;
        int rc;

        if (iovlen > SUP_MAX_IOV)
                return -EMSGSIZE;
        iov = calloc(iovlen ? iovlen : 1, sizeof(*iov));
        if (iov == NULL)
                return -ENOMEM;
        rc = peek(k->tid, iovp, iov, iovlen * sizeof(*iov));
        for (size_t i = 0; rc == 0 && i < iovlen; i++) {
                if (iov[i].iov_len > SSIZE_MAX - total)
                        rc = -EINVAL;
                else
                        total += iov[i].iov_len;
        }
        if (rc == 0)
                rc = data_cap(k, total, &m->len);
        if (rc == 0 && (m->data = malloc(m->len ? m->len : 1)) == NULL)
                rc = -ENOMEM;
        for (size_t i = 0; rc == 0 && i < iovlen && off < m->len; i++) {
                size_t part = iov[i].iov_len;

                if (part > m->len - off)
                        part = m->len - off;
                rc = peek(k->tid, (uintptr_t)iov[i].iov_base, m->data + off,
                          part);
                off += part;
        }
        free(iov);
        return rc;
}

/* Take the descriptors an SCM_RIGHTS message names from the caller: in
 * our process the numbers would name our own files. */
static int take_rights(struct call *k, struct cmsghdr *cm, struct msg_copy *m)
{
        size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        int *fds = (int *)CMSG_DATA(cm);
        int *all = realloc(m->fds, (m->nfds + n) * sizeof(int));

        if (all == NULL)
                return -ENOMEM;
        m->fds = all;
        for (size_t i = 0; i < n; i++) {
                int fd;

                memcpy(&fd, &fds[i], sizeof(fd));
                fd = (int)syscall(SYS_pidfd_getfd, k->pidfd, fd, 0);
                if (fd < 0)
                        return -EBADF;
                m->fds[m->nfds++] = fd;
                memcpy(&fds[i], &fd, sizeof(fd));
        }
        return 0;
}

static int copy_control(struct call *k, uint64_t ctl, uint64_t len,
                        struct msg_copy *m)
{
        struct msghdr mh = {0};
        int rc = 0;

        if (ctl == 0 || len == 0)
                return 0;
        if (len > SUP_MAX_CONTROL)
                return -ENOBUFS;
        m->control = calloc(1, len);
        if (m->control == NULL)
                return -ENOMEM;
        m->controllen = len;
        rc = peek(k->tid, ctl, m->control, len);

        mh.msg_control = m->control;
        mh.msg_controllen = len;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); rc == 0 && cm;
             cm = CMSG_NXTHDR(&mh, cm)) {
                if (cm->cmsg_len < CMSG_LEN(0) ||
                    cm->cmsg_len > len - ((char *)cm - m->control))
                        return -EINVAL;
                if (cm->cmsg_level != SOL_SOCKET)
                        continue;
                /* Credentials would be checked against the supervisor,
                 * not the caller: refused. */
                if (cm->cmsg_type == SCM_CREDENTIALS)
                        return -EPERM;
                if (cm->cmsg_type == SCM_RIGHTS)
                        rc = take_rights(k, cm, m);
        }
        return rc;
}

/* Copy a struct msghdr at addr and everything it points to. */
static int copy_msghdr(struct call *k, uint64_t addr, struct msg_copy *m)
{
        struct msghdr mh;
        int rc = peek(k->tid, addr, &mh, sizeof(mh));

        if (rc == 0)
                rc = copy_name(k, (uintptr_t)mh.msg_name, (int)mh.msg_namelen,
                               true, m);
        if (rc == 0)
                rc = copy_iov(k, (uintptr_t)mh.msg_iov, mh.msg_iovlen, m);
        if (rc == 0)
                rc = copy_control(k, (uintptr_t)mh.msg_control,
                                  mh.msg_controllen, m);
        return rc;
}

/* AF_UNIX path names are resolved by the kernel in the performing
 * process: accepted only when that resolves the same file. */
static bool same_view(pid_t tid)
{
        char path[64];
        struct stat ours;
        struct stat theirs;

        snprintf(path, sizeof(path), "/proc/%d/root", tid);
        if (stat("/", &ours) != 0 || stat(path, &theirs) != 0)
                return false;
        return ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino;
}

static int judge(struct call *k, const struct msg_copy *m)
{
        const struct sockaddr_un *un = (const struct sockaddr_un *)&m->name;
        bool skip = k->s->ruleset >= 0 && k->s->plan->calls[k->c].landlock;
        int e;

        e = sw_netplan_judge(k->s->plan, k->c, k->args, k->domain, k->protocol,
                             m->has_name ? (const struct sockaddr *)&m->name
                                         : NULL,
                             m->namelen, skip);
        if (e)
                return -e;
        /* An allowed AF_UNIX path name: only absolute, same root. */
        if (m->has_name && k->domain == AF_UNIX &&
            m->namelen > offsetof(struct sockaddr_un, sun_path) &&
            un->sun_family == AF_UNIX && un->sun_path[0] != '\0' &&
            (un->sun_path[0] != '/' || !same_view(k->tid)))
                return -EACCES;
        return 0;
}

/* ---- calls that may block ---- */

static void grow(struct sup *s);

static void nudge_set(struct sup *s, long ns)
{
        struct itimerspec t = {.it_value.tv_nsec = ns};

        timerfd_settime(s->nudge, 0, &t, NULL);
}

/*
 * Before a call that may block (a connect that waits for its peer, a
 * send into a full buffer): within SUP_BLOCK_NS, a timer wakes an idle
 * worker, which takes the lead if nobody has, so later callers are
 * served while this call blocks.  A timer rather than waking a worker
 * at once: a hand-off between threads costs about 8 us on two vCPUs, as
 * much as the rest of the round trip, and most such calls (a loopback
 * connect, a send into a buffer with room) are over long before.
 *
 * One timer serves all workers, armed when it is not running and never
 * stopped (stopping and arming it per call cost 2-12 us here, the more
 * the shorter it is): a wake-up that finds a leader costs only the idle
 * worker's time, and a call that started after the timer was armed is
 * handed on early, which is harmless.
 */
static void risky_begin(struct sup *s)
{
        pthread_mutex_lock(&s->lock);
        if (!s->armed) {
                nudge_set(s, SUP_BLOCK_NS);
                s->armed = true;
        }
        if (s->idle == 0)
                grow(s); /* a new worker takes the lead at once */
        pthread_mutex_unlock(&s->lock);
}

static bool nonblocking(int sock)
{
        int fl = fcntl(sock, F_GETFL);

        return fl >= 0 && (fl & O_NONBLOCK);
}

/* SIGPIPE belongs to the caller, not to us (we send MSG_NOSIGNAL). */
static void pipe_signal(struct call *k, long r, uint64_t flags)
{
        pid_t tgid;

        if (r != -EPIPE || (flags & MSG_NOSIGNAL))
                return;
        tgid = tgid_of(k->tid);
        if (tgid > 0)
                syscall(SYS_tgkill, tgid, k->tid, SIGPIPE);
}

static long sendmsg_r(int sock, const struct msghdr *mh, int flags)
{
        long r = sendmsg(sock, mh, flags);

        return r < 0 ? -errno : r;
}

/* What a blocking stream send left over after a partial one: data only
 * (the address and ancillary data went with the first part).  Returns
 * the total, or the part sent if the rest fails, as the kernel does. */
static long send_rest(struct call *k, const struct msg_copy *m, long sent,
                      int flags)
{
        struct iovec iov = {.iov_base = m->data + sent,
                            .iov_len = m->len - (size_t)sent};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        long r;

        risky_begin(k->s);
        r = sendmsg_r(k->sock, &mh, flags);
        return r < 0 ? sent : sent + r;
}

/*
 * Send our copy.  A send the caller lets block is first tried without
 * blocking: only if the buffer is full does it block, as a risky call
 * (risky_begin()).  A TCP Fast Open send connects, so it is risky
 * whatever it is asked.
 */
static long send_copy(struct call *k, struct msg_copy *m, uint64_t flags)
{
        struct iovec iov = {.iov_base = m->data, .iov_len = m->len};
        struct msghdr mh = {
                .msg_name = m->has_name ? &m->name : NULL,
                .msg_namelen = m->has_name ? m->namelen : 0,
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = m->control,
                .msg_controllen = m->controllen,
        };
        /* Our copy is freed on return: the kernel must not pin it. */
        int f = (int)(flags & ~(uint64_t)MSG_ZEROCOPY) | MSG_NOSIGNAL;
        bool risky = f & MSG_FASTOPEN;
        long r = 0;

        if (f & MSG_DONTWAIT) {
                r = sendmsg_r(k->sock, &mh, f);
        } else if (!risky) {
                r = sendmsg_r(k->sock, &mh, f | MSG_DONTWAIT);
                risky = r == -EAGAIN && !nonblocking(k->sock);
                if (r > 0 && (size_t)r < m->len && !nonblocking(k->sock))
                        r = send_rest(k, m, r, f);
        }
        if (risky) {
                risky_begin(k->s);
                r = sendmsg_r(k->sock, &mh, f);
        }
        pipe_signal(k, r, flags);
        return r;
}

/*
 * A TCP connect or bind whose port Landlock judges is performed by the
 * worker's partner: a thread that Landlock restricts when it starts, so
 * the kernel judges the port.  A thread of its own, because a Landlock
 * domain also limits ptrace access: a restricted worker could no longer
 * take the caller's socket or read its memory.  The partner lives as
 * long as its worker (a thread started per call cost about 35 us).
 */
static void *ll_thread(void *arg)
{
        struct wctx *w = arg;
        struct ll_call *lc = &w->ll.call;
        bool ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                  sw_landlock_restrict(w->s->ruleset) == 0;
        char go;

        while (read(w->ll.req[0], &go, 1) == 1) {
                int r = -1;

                errno = EACCES; /* fail closed */
                if (ok && lc->connect)
                        r = connect(lc->sock, lc->addr, lc->len);
                else if (ok)
                        r = bind(lc->sock, lc->addr, lc->len);
                lc->r = r < 0 ? -errno : 0;
                if (write(w->ll.resp[1], "", 1) != 1)
                        break;
        }
        return NULL;
}

static void ll_close(struct ll_partner *p)
{
        close(p->req[0]);
        close(p->req[1]);
        close(p->resp[0]);
        close(p->resp[1]);
}

static bool ll_start(struct wctx *w)
{
        struct ll_partner *p = &w->ll;

        if (p->started)
                return true;
        p->req[0] = p->req[1] = p->resp[0] = p->resp[1] = -1;
        if (pipe2(p->req, O_CLOEXEC) != 0 || pipe2(p->resp, O_CLOEXEC) != 0 ||
            pthread_create(&p->thread, NULL, ll_thread, w) != 0) {
                ll_close(p);
                return false;
        }
        p->started = true;
        return true;
}

/* At the worker's end: the partner reads end-of-file and returns. */
static void ll_stop(struct wctx *w)
{
        struct ll_partner *p = &w->ll;

        if (!p->started)
                return;
        close(p->req[1]);
        p->req[1] = -1;
        pthread_join(p->thread, NULL);
        ll_close(p);
}

static long landlocked_call(struct call *k, const struct msg_copy *m)
{
        struct ll_partner *p = &k->w->ll;
        char done;
        ssize_t n;

        if (!ll_start(k->w))
                return -EAGAIN;
        p->call = (struct ll_call){.sock = k->sock,
                                   .connect = k->c == SW_NC_CONNECT,
                                   .addr = (const struct sockaddr *)&m->name,
                                   .len = m->namelen,
                                   .r = -EACCES};
        if (write(p->req[1], "", 1) != 1)
                return -EACCES;
        /* m and the socket are used until the answer: wait for it. */
        do
                n = read(p->resp[0], &done, 1);
        while (n < 0 && errno == EINTR);
        return p->call.r;
}

/* A connect that may wait for its peer: on a blocking socket, except a
 * UDP one (whose connect only records the peer). */
static bool may_block(const struct call *k)
{
        if (k->c != SW_NC_CONNECT)
                return false;
        if ((k->domain == AF_INET || k->domain == AF_INET6) &&
            (k->protocol == IPPROTO_UDP || k->protocol == IPPROTO_UDPLITE))
                return false;
        return !nonblocking(k->sock);
}

/* Landlock judges this call's port: a TCP socket, and Landlock is used
 * for the call (judge() left the port to it).  Other sockets, which
 * Landlock does not judge, skip the partner's round trip. */
static bool landlock_judges(const struct call *k)
{
        return k->s->ruleset >= 0 && k->s->plan->calls[k->c].landlock &&
               (k->domain == AF_INET || k->domain == AF_INET6) &&
               k->protocol == IPPROTO_TCP;
}

/* Connect or bind with our copy; 0 or -errno. */
static long addr_call(struct call *k, const struct msg_copy *m)
{
        const struct sockaddr *a = (const struct sockaddr *)&m->name;
        int r;

        if (landlock_judges(k))
                return landlocked_call(k, m);
        if (k->c == SW_NC_CONNECT)
                r = connect(k->sock, a, m->namelen);
        else
                r = bind(k->sock, a, m->namelen);
        return r < 0 ? -errno : 0;
}

static long do_addr_call(struct call *k)
{
        const uint64_t *a = k->args;
        struct msg_copy m = {0};
        long r = copy_name(k, a[1], (int)a[2], false, &m);

        if (r == 0 && !id_valid(k->s, k->n->id))
                r = SUP_GONE;
        if (r == 0)
                r = judge(k, &m);
        if (r != 0)
                return r;

        if (may_block(k))
                risky_begin(k->s);
        return addr_call(k, &m);
}

static long do_sendto(struct call *k)
{
        const uint64_t *a = k->args;
        struct msg_copy m = {0};
        long r = name_size(a[4], (int)a[5], false, &m);

        if (r == 0)
                r = data_cap(k, a[2], &m.len);
        if (r == 0 && (m.data = malloc(m.len ? m.len : 1)) == NULL)
                r = -ENOMEM;
        /* The address and the data in one read. */
        if (r == 0)
                r = peek2(k->tid, a[4], &m.name, m.has_name ? m.namelen : 0,
                          a[1], m.data, m.len);
        if (r == 0 && !id_valid(k->s, k->n->id))
                r = SUP_GONE;
        if (r == 0)
                r = judge(k, &m);
        if (r == 0)
                r = send_copy(k, &m, a[3]);
        msg_free(&m);
        return r;
}

static long do_sendmsg(struct call *k)
{
        const uint64_t *a = k->args;
        struct msg_copy m = {0};
        long r = copy_msghdr(k, a[1], &m);

        if (r == 0 && !id_valid(k->s, k->n->id))
                r = SUP_GONE;
        if (r == 0)
                r = judge(k, &m);
        if (r == 0)
                r = send_copy(k, &m, a[2]);
        msg_free(&m);
        return r;
}

/* sendmmsg: every message copied first, then judged and sent in order;
 * like the kernel, the count sent so far is returned when a later
 * message fails, the error when the first does. */
static long do_sendmmsg(struct call *k)
{
        const uint64_t *a = k->args;
        size_t vlen = a[2] > SUP_MAX_MMSG ? SUP_MAX_MMSG : a[2];
        struct msg_copy *m = calloc(vlen ? vlen : 1, sizeof(*m));
        long r = m ? 0 : -ENOMEM;
        size_t sent = 0;

        for (size_t i = 0; r == 0 && i < vlen; i++)
                r = copy_msghdr(k, a[1] + i * sizeof(struct mmsghdr), &m[i]);
        if (r == 0 && !id_valid(k->s, k->n->id))
                r = SUP_GONE;
        for (; r == 0 && sent < vlen; sent++) {
                unsigned len;
                long one = judge(k, &m[sent]);

                if (one == 0)
                        one = send_copy(k, &m[sent], a[3]);
                if (one < 0) {
                        r = sent ? 0 : one;
                        break;
                }
                len = (unsigned)one;
                poke(k->tid,
                     a[1] + sent * sizeof(struct mmsghdr) +
                             offsetof(struct mmsghdr, msg_len),
                     &len, sizeof(len));
        }
        for (size_t i = 0; m && i < vlen; i++)
                msg_free(&m[i]);
        free(m);
        return r ? r : (long)sent;
}

static long perform(struct call *k)
{
        switch (k->c) {
        case SW_NC_CONNECT:
        case SW_NC_BIND:
                return do_addr_call(k);
        case SW_NC_SENDTO:
                return do_sendto(k);
        case SW_NC_SENDMSG:
                return do_sendmsg(k);
        case SW_NC_SENDMMSG:
                return do_sendmmsg(k);
        case SW_NC_COUNT:
                break;
        }
        return -ENOSYS;
}

/* Take the caller's socket and learn what it is. */
static long take_socket(struct call *k)
{
        int fd = (int)k->args[0];
        long r;

        k->sock = (int)syscall(SYS_pidfd_getfd, k->pidfd, fd, 0);
        if (k->sock < 0)
                return errno == ESRCH ? SUP_GONE : -EBADF;
        r = sockopt(k->sock, SO_DOMAIN, &k->domain);
        if (r == 0)
                r = sockopt(k->sock, SO_PROTOCOL, &k->protocol);
        return r;
}

/* The caller's pidfd and socket.  A kept pidfd is known to name the
 * caller if its task still lives; a fresh one only once the notification
 * is found alive after opening it (the caller cannot exit while it
 * waits, so its thread number was not reused in between). */
static long reach_caller(struct wctx *w, struct call *k)
{
        bool fresh;
        long r;

        k->pidfd = pidfd_for(w, k->tid, &fresh, &k->kept);
        if (!fresh) {
                r = take_socket(k);
                if (r != SUP_GONE)
                        return r;
                /* That thread has gone; its number may be someone new. */
                pidfd_drop(w, k->tid);
                k->pidfd = pidfd_for(w, k->tid, &fresh, &k->kept);
        }
        if (k->pidfd < 0 || !id_valid(k->s, k->n->id))
                return SUP_GONE;
        return take_socket(k);
}

static int call_of(const struct sw_netplan *plan, int nr)
{
        for (int c = 0; c < SW_NC_COUNT; c++)
                if (plan->calls[c].restricted && plan->calls[c].nr == nr)
                        return c;
        return -1;
}

static void serve(struct wctx *w)
{
        struct sup *s = w->s;
        const struct seccomp_notif *n = w->n;
        struct seccomp_notif_resp resp = {.id = n->id};
        struct call k = {.s = s,
                         .w = w,
                         .n = n,
                         .tid = (pid_t)n->pid,
                         .pidfd = -1,
                         .sock = -1};
        int c = call_of(s->plan, n->data.nr);
        long r;

        for (int i = 0; i < 6; i++)
                k.args[i] = n->data.args[i];
        if (c < 0) {
                r = -ENOSYS; /* not ours: never allowed by accident */
        } else {
                k.c = (enum sw_netcall)c;
                r = reach_caller(w, &k);
                if (r == 0)
                        r = perform(&k);
                if (k.sock >= 0)
                        close(k.sock);
                if (k.pidfd >= 0 && !k.kept)
                        close(k.pidfd);
        }
        if (r == SUP_GONE)
                return;
        if (r < 0)
                resp.error = (int32_t)r;
        else
                resp.val = r;
        /* ENOENT: the caller died or was interrupted meanwhile; routine. */
        ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* ---- threads ---- */

static void *worker(void *arg);

/* Start one more worker, with the buffer it receives into, unless one is
 * idle or the pool is full.  Called with the lock held. */
static void grow(struct sup *s)
{
        pthread_attr_t attr;
        struct wctx *w;
        pthread_t t;

        if (s->idle || s->workers >= SUP_MAX_WORKERS)
                return;
        w = calloc(1, sizeof(*w));
        if (w == NULL || (w->n = calloc(1, s->notif_size)) == NULL) {
                free(w);
                return;
        }
        w->s = s;
        for (unsigned i = 0; i < SUP_PIDFDS; i++)
                w->pidfds[i].fd = -1;

        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        s->refs++;
        s->workers++;
        if (pthread_create(&t, &attr, worker, w) != 0) {
                s->refs--;
                s->workers--;
                free(w->n);
                free(w);
        }
        pthread_attr_destroy(&attr);
}

/* What waiting for a notification gave. */
enum lead { LEAD_GOT, LEAD_AGAIN, LEAD_END };

/* The leader's wait: the next notification into w->n, or the end (the
 * owner stops, or every supervised task has gone). */
static enum lead lead(struct wctx *w)
{
        struct sup *s = w->s;
        struct pollfd p[2] = {
                {.fd = s->listener, .events = POLLIN},
                {.fd = s->stopfd, .events = POLLIN},
        };

        if (poll(p, 2, -1) < 0)
                return errno == EINTR ? LEAD_AGAIN : LEAD_END;
        if (p[1].revents)
                return LEAD_END;
        if (!(p[0].revents & POLLIN))
                return p[0].revents ? LEAD_END : LEAD_AGAIN;

        /* The kernel wants the buffer zeroed.  ENOENT: the caller died
         * between poll and receive. */
        memset(w->n, 0, s->notif_size);
        if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, w->n) == 0)
                return LEAD_GOT;
        return errno == ENOENT || errno == EINTR ? LEAD_AGAIN : LEAD_END;
}

/* Called with the lock held: lead once; true when a call came. */
static bool take_lead(struct wctx *w)
{
        struct sup *s = w->s;
        enum lead got;

        s->leading = true;
        pthread_mutex_unlock(&s->lock);
        got = lead(w);
        pthread_mutex_lock(&s->lock);
        s->leading = false;

        /* Every supervised task has gone: the followers stop too. */
        if (got == LEAD_END && !s->stopping) {
                uint64_t one = 1;

                s->stopping = true;
                (void)!write(s->stopfd, &one, sizeof(one));
        }
        if (s->stopping)
                pthread_cond_broadcast(&s->stepped);
        return got == LEAD_GOT;
}

/* An idle worker's wait: until the timer runs out (see risky_begin()),
 * or the owner stops.  Called with the lock held. */
static void follow(struct sup *s)
{
        struct pollfd p[2] = {
                {.fd = s->nudge, .events = POLLIN},
                {.fd = s->stopfd, .events = POLLIN},
        };
        uint64_t ticks;
        bool fired;

        s->idle++;
        pthread_mutex_unlock(&s->lock);
        /* Read without blocking: another follower may have read first. */
        fired = poll(p, 2, -1) > 0 && (p[0].revents & POLLIN) &&
                read(s->nudge, &ticks, sizeof(ticks)) == sizeof(ticks);
        pthread_mutex_lock(&s->lock);
        s->idle--;
        if (fired)
                s->armed = false;
}

static void *worker(void *arg)
{
        struct wctx *w = arg;
        struct sup *s = w->s;

        pthread_mutex_lock(&s->lock);
        while (!s->stopping) {
                if (s->leading) {
                        follow(s);
                        continue;
                }
                if (!take_lead(w))
                        continue;
                pthread_mutex_unlock(&s->lock);
                serve(w);
                pthread_mutex_lock(&s->lock);
        }
        s->workers--;
        pthread_mutex_unlock(&s->lock);

        ll_stop(w);
        for (unsigned i = 0; i < SUP_PIDFDS; i++)
                if (w->pidfds[i].fd >= 0)
                        close(w->pidfds[i].fd);
        free(w->n);
        free(w);
        sup_unref(s);
        return NULL;
}

static sw_code sup_start(struct sup *s, sw_error **err)
{
        struct seccomp_notif_sizes sizes = {0};
        unsigned started;

        s->notif_size = sizeof(struct seccomp_notif);
        if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0 &&
            sizes.seccomp_notif > s->notif_size)
                s->notif_size = sizes.seccomp_notif;

        /* Linux 6.6: the kernel wakes the leader on the caller's CPU and
         * the caller on the leader's, as one hand-off; optional. */
        ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
              SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);

        pthread_mutex_lock(&s->lock);
        for (unsigned i = 0; i < SUP_MIN_WORKERS; i++)
                grow(s);
        started = s->workers;
        pthread_mutex_unlock(&s->lock);
        if (started == 0)
                return sw_fail(err, SW_EINTERNAL,
                               "cannot start the supervisor thread");
        return SW_SUCCESS;
}

/* ---- starting the command ---- */

/* The child's messages to the parent: {kind, value}. */
#define MSG_READY  0 /* value: the listener's number in the child, or -1 */
#define MSG_FAILED 1 /* value: the errno of the step that failed */

/* Everything prepared before the fork. */
struct prep {
        struct sw_netplan *plan;
        struct sock_fprog net;  /* the network filter, len 0 for none */
        struct sock_fprog main; /* the whitelist's program, len 0 for none */
        int ruleset;            /* Landlock, -1 for none */
};

static int load(const struct sock_fprog *prog, unsigned flags)
{
        return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
}

/* In the child: report err_no to the parent and end. */
static void child_fail(int sync, int err_no)
{
        int msg[2] = {MSG_FAILED, err_no};

        if (write(sync, msg, sizeof(msg)) < 0)
                _exit(126);
        _exit(126);
}

/* Set in a process whose port restrictions a supervisor enforces. */
static bool net_supervised;

bool sw_net_supervised(void)
{
        return net_supervised;
}

/*
 * The child's half of the hand-over: no_new_privs, Landlock, the network
 * filter with its listener, whose number goes to the parent; waits until
 * the parent has taken it.  Returns 0, or the errno of the failed step
 * (the parent is told).
 */
static int child_net(const struct prep *p, int sync)
{
        int listener = -1;
        int msg[2];
        char ack;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                return errno;
        if (p->ruleset >= 0 && sw_landlock_restrict(p->ruleset) != 0)
                return errno;

        /* The network filter first, with a listener the parent takes
         * with pidfd_getfd (sending it with sendmsg could itself be a
         * supervised call).  WAIT_KILLABLE_RECV (5.19): once received, a
         * call is not interrupted by signals and so never performed
         * twice. */
        if (p->net.len) {
                unsigned fl = SECCOMP_FILTER_FLAG_NEW_LISTENER;

                listener = load(&p->net,
                                fl | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
                if (listener < 0 && errno == EINVAL)
                        listener = load(&p->net, fl);
                if (listener < 0)
                        return errno;
        }
        msg[0] = MSG_READY;
        msg[1] = listener;
        if (write(sync, msg, sizeof(msg)) != sizeof(msg) ||
            read(sync, &ack, 1) != 1)
                _exit(126);
        if (listener >= 0)
                close(listener);
        net_supervised = p->net.len != 0;
        return 0;
}

static void child(const struct prep *p, int sync, char *const argv[],
                  void (*fn)(void *), void *arg)
{
        int e = child_net(p, sync);

        if (e)
                child_fail(sync, e);
        if (p->main.len && load(&p->main, 0) < 0)
                child_fail(sync, errno);
        if (fn) {
                close(sync);
                fn(arg);
                _exit(0);
        }
        execvp(argv[0], argv);
        child_fail(sync, errno);
}

static sw_code prepare(struct sw_netplan *plan, const void *prog, size_t len,
                       struct prep *p, sw_error **err)
{
        struct sw_ll_net ll;
        sw_code rc;

        memset(p, 0, sizeof(*p));
        p->ruleset = -1;
        p->plan = plan;
        p->main.filter = (struct sock_filter *)prog;
        p->main.len = (unsigned short)len;
        if (len > USHRT_MAX)
                return sw_fail(err, SW_EPROTO, "the filter is too long");

        rc = sw_netplan_check(plan, err);
        if (rc == SW_SUCCESS)
                rc = sw_netplan_filter(plan, &p->net, err);
        sw_netplan_landlock(plan, &ll);
        if (rc == SW_SUCCESS && (ll.connect || ll.bind))
                rc = sw_landlock_prepare(&ll, &p->ruleset, err);
        return rc;
}

static sw_code new_sup(struct prep *p, int listener, struct sup **out,
                       sw_error **err)
{
        struct sup *s = calloc(1, sizeof(*s));

        *out = NULL;
        if (s == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        s->listener = listener;
        s->stopfd = eventfd(0, EFD_CLOEXEC);
        s->nudge = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        s->ruleset = p->ruleset;
        s->plan = p->plan;
        s->refs = 1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->stepped, NULL);
        p->ruleset = -1;
        p->plan = NULL;
        *out = s;
        if (s->stopfd < 0)
                return sw_fail(err, SW_EIO, "eventfd: %s", strerror(errno));
        if (s->nudge < 0)
                return sw_fail(err, SW_EIO, "timerfd: %s", strerror(errno));
        return SW_SUCCESS;
}

/* The parent's half of the hand-over: take the listener, start
 * supervising, let the child go on. */
static sw_code parent_net(struct prep *p, int pidfd, int sync, struct sup **sup,
                          sw_error **err)
{
        int msg[2];
        int listener = -1;
        sw_code rc = SW_SUCCESS;

        if (read(sync, msg, sizeof(msg)) != sizeof(msg))
                return sw_fail(err, SW_EPERM,
                               "the sandbox could not be set up");
        if (msg[0] == MSG_FAILED)
                return sw_fail(err, SW_EPERM,
                               "the sandbox could not be set up: %s",
                               strerror(msg[1]));
        if (p->net.len) {
                listener = (int)syscall(SYS_pidfd_getfd, pidfd, msg[1], 0);
                if (listener < 0)
                        return sw_fail(err, SW_EPERM,
                                       "cannot take the listener: %s",
                                       strerror(errno));
                fcntl(listener, F_SETFD, FD_CLOEXEC);
                rc = new_sup(p, listener, sup, err);
                if (rc == SW_SUCCESS && *sup)
                        rc = sup_start(*sup, err);
        }
        if (rc == SW_SUCCESS && write(sync, "g", 1) != 1)
                rc = sw_fail(err, SW_EPERM, "the sandbox did not start");
        return rc;
}

/* ... and for a sandbox: learn whether exec worked. */
static sw_code parent(struct sw_sandbox *sb, struct prep *p, int sync,
                      sw_error **err)
{
        int msg[2];
        sw_code rc = parent_net(p, sb->pidfd, sync, &sb->sup, err);

        /* EOF: exec happened (the socket is close-on-exec). */
        if (rc == SW_SUCCESS && read(sync, msg, sizeof(msg)) == sizeof(msg))
                rc = sw_fail(err, msg[1] == ENOENT ? SW_ENOENT : SW_EPERM,
                             "cannot start the command: %s", strerror(msg[1]));
        return rc;
}

static void sandbox_abort(struct sw_sandbox *sb)
{
        if (sb->pid > 0 && !sb->reaped) {
                kill(sb->pid, SIGKILL);
                while (waitpid(sb->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                sb->reaped = true;
        }
        sw_sandbox_free(sb);
}

sw_code sw_sandbox_start(struct sw_netplan *plan, const void *prog, size_t len,
                         char *const argv[], void (*fn)(void *), void *arg,
                         sw_sandbox **out, sw_error **err)
{
        struct sw_sandbox *sb = calloc(1, sizeof(*sb));
        struct prep p;
        int sv[2];
        sw_code rc;

        *out = NULL;
        if (sb == NULL) {
                sw_netplan_free(plan);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        rc = prepare(plan, prog, len, &p, err);
        if (rc == SW_SUCCESS &&
            socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
                rc = sw_fail(err, SW_EIO, "socketpair: %s", strerror(errno));
        if (rc != SW_SUCCESS) {
                free(sb);
                sw_netplan_free(p.plan);
                free(p.net.filter);
                if (p.ruleset >= 0)
                        close(p.ruleset);
                return rc;
        }

        sb->pidfd = -1;
        fflush(NULL);
        sb->pid = fork();
        if (sb->pid == 0) {
                close(sv[0]);
                child(&p, sv[1], argv, fn, arg);
        }
        close(sv[1]);
        if (sb->pid < 0)
                rc = sw_fail(err, SW_EIO, "fork: %s", strerror(errno));
        if (rc == SW_SUCCESS &&
            (sb->pidfd = (int)syscall(SYS_pidfd_open, sb->pid, 0)) < 0)
                rc = sw_fail(err, SW_EIO, "pidfd_open: %s", strerror(errno));
        if (rc == SW_SUCCESS)
                rc = parent(sb, &p, sv[0], err);
        close(sv[0]);
        free(p.net.filter);
        sw_netplan_free(p.plan);
        if (p.ruleset >= 0)
                close(p.ruleset);
        if (rc != SW_SUCCESS) {
                sandbox_abort(sb);
                return rc;
        }
        *out = sb;
        return SW_SUCCESS;
}

sw_code sw_spawn(const sw_whitelist *wl, const sw_config *cfg, const void *prog,
                 size_t len, char *const argv[], sw_sandbox **out,
                 sw_error **err)
{
        struct sw_netplan *plan = NULL;
        sw_code rc;

        *out = NULL;
        if (argv == NULL || argv[0] == NULL)
                return sw_fail(err, SW_EPROTO, "no command to run");
        rc = sw_netplan_build(wl, cfg, SW_NET_SUPERVISED, &plan, err);
        if (rc != SW_SUCCESS)
                return rc;
        return sw_sandbox_start(plan, prog, len, argv, NULL, NULL, out, err);
}

pid_t sw_sandbox_pid(const sw_sandbox *sb)
{
        return sb->pid;
}

/* No notification is received once this returns; calls being served
 * finish on their own (their workers hold references). */
static void sup_stop_threads(struct sup **sup)
{
        struct sup *s = *sup;
        uint64_t one = 1;
        bool kicked;

        if (s == NULL)
                return;
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        /* The eventfd stays readable: every poll returns. */
        kicked = write(s->stopfd, &one, sizeof(one)) == sizeof(one);
        while (kicked && s->leading)
                pthread_cond_wait(&s->stepped, &s->lock);
        pthread_mutex_unlock(&s->lock);
        sup_unref(s);
        *sup = NULL;
}

static void sup_stop(struct sw_sandbox *sb)
{
        sup_stop_threads(&sb->sup);
}

sw_code sw_sandbox_wait(sw_sandbox *sb, int *status, sw_error **err)
{
        int st = 0;
        pid_t r;

        if (sb->reaped)
                return sw_fail(err, SW_EPROTO,
                               "the command was already waited for");
        do
                r = waitpid(sb->pid, &st, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0)
                return sw_fail(err, SW_EIO, "waitpid: %s", strerror(errno));
        sb->reaped = true;
        if (status)
                *status = st;
        sup_stop(sb);
        return SW_SUCCESS;
}

void sw_sandbox_free(sw_sandbox *sb)
{
        if (sb == NULL)
                return;
        sup_stop(sb);
        if (sb->pidfd >= 0)
                close(sb->pidfd);
        free(sb);
}

/* ---- the same for a caller that forks itself (`syswall run`) ---- */

struct sw_netguard {
        struct prep p;
        struct sup *sup;
};

sw_code sw_netguard_new(const sw_whitelist *wl, const sw_config *cfg,
                        sw_netguard **out, sw_error **err)
{
        struct sw_netplan *plan = NULL;
        sw_netguard *g;
        sw_code rc;

        *out = NULL;
        rc = sw_netplan_build(wl, cfg, SW_NET_SUPERVISED, &plan, err);
        if (rc != SW_SUCCESS)
                return rc;
        if (!plan->any) {
                sw_netplan_free(plan);
                return SW_SUCCESS;
        }
        g = calloc(1, sizeof(*g));
        if (g == NULL) {
                sw_netplan_free(plan);
                sw_fail(err, SW_EINTERNAL, "out of memory");
                return SW_EINTERNAL;
        }
        rc = prepare(plan, NULL, 0, &g->p, err);
        if (rc != SW_SUCCESS) {
                sw_netguard_free(g);
                return rc;
        }
        *out = g;
        return SW_SUCCESS;
}

int sw_netguard_child(const sw_netguard *g, int fd)
{
        int e = child_net(&g->p, fd);

        if (e) {
                int msg[2] = {MSG_FAILED, e};

                if (write(fd, msg, sizeof(msg)) < 0)
                        return e;
        }
        return e;
}

sw_code sw_netguard_parent(sw_netguard *g, pid_t pid, int fd, sw_error **err)
{
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        sw_code rc;

        if (pidfd < 0)
                return sw_fail(err, SW_EIO, "pidfd_open: %s", strerror(errno));
        rc = parent_net(&g->p, pidfd, fd, &g->sup, err);
        close(pidfd);
        return rc;
}

void sw_netguard_free(sw_netguard *g)
{
        if (g == NULL)
                return;
        sup_stop_threads(&g->sup);
        sw_netplan_free(g->p.plan);
        free(g->p.net.filter);
        if (g->p.ruleset >= 0)
                close(g->p.ruleset);
        free(g);
}
