/*
 * complain.c - complain mode: the whitelist is enforced for everything it
 * allows; a call it would refuse (kill or deny) is allowed, and reported.
 *
 * The filter is the compiled program itself with every refusing return
 * (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO) turned into USER_NOTIF, so
 * what it allows is decided exactly as in enforcing mode.  The command
 * loads it with a listener; we take the listener with pidfd_getfd(2),
 * reading its number from the return of the command's seccomp(2) call
 * (the command is traced only until then), so the command makes no
 * call between the load and execve that the filter could hand to a
 * listener nobody holds yet.  Every notification is recorded (what the
 * whitelist would have done comes from running the original program in
 * the interpreter) and answered with SECCOMP_USER_NOTIF_FLAG_CONTINUE.
 *
 * CONTINUE lets the kernel run the call with arguments the caller may
 * change after we looked at them: that makes it unfit for a security
 * decision (the supervisor of port restrictions never uses it), and fit
 * here, because complain mode decides nothing: it allows every call by
 * design and only reports.  It is a tool for calibrating a whitelist,
 * never a sandbox.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The compiled program with every refusal turned into USER_NOTIF. */
static struct sock_filter *complain_program(const sw_filter *f)
{
        size_t len = sw_filter_length(f);
        struct sock_filter *p = malloc(len * sizeof(*p));

        if (p == NULL)
                return NULL;
        memcpy(p, sw_filter_program(f), len * sizeof(*p));
        for (size_t i = 0; i < len; i++) {
                uint32_t act = p[i].k & SECCOMP_RET_ACTION_FULL;

                if (p[i].code != (BPF_RET | BPF_K))
                        continue;
                if (act == SECCOMP_RET_KILL_PROCESS ||
                    act == SECCOMP_RET_KILL_THREAD || act == SECCOMP_RET_TRAP ||
                    act == SECCOMP_RET_ERRNO)
                        p[i].k = SECCOMP_RET_USER_NOTIF;
        }
        return p;
}

/* In the child: be traced, stop, load the program, run the command. */
static void __attribute__((noreturn))
complain_child(const struct sock_fprog *prog, char *const argv[], int errfd,
               pid_t parent)
{
        int e;

        /* Die with the caller, even if it is killed by SIGKILL: without
         * its listener the refused calls would fail with ENOSYS.  (The
         * signal follows the forking thread, which waits here to the end.) */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
                _exit(127);
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 && raise(SIGSTOP) == 0 &&
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                    SECCOMP_FILTER_FLAG_NEW_LISTENER, prog) >= 0)
                execvp(argv[0], argv);
        e = errno;
        if (write(errfd, &e, sizeof(e)) != sizeof(e))
                _exit(126);
        _exit(127);
}

/* Another process's fd number n, as our own fd; -1 with errno. */
static int steal_fd(pid_t pid, int n)
{
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        int fd;

        if (pidfd < 0)
                return -1;
        fd = (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
        close(pidfd);
        if (fd >= 0)
                fcntl(fd, F_SETFD, FD_CLOEXEC);
        return fd;
}

/*
 * Follow the child to the return of its seccomp(2) call, which is the
 * listener's number, and take the listener while the child is still
 * stopped there (it is close-on-exec: once the child runs on to execve
 * it is gone).  Then let the child go, untraced.  Returns the listener,
 * or -1.
 */
static int take_listener(pid_t pid)
{
        struct __ptrace_syscall_info info;
        bool in_seccomp = false;
        int status;
        int fd;

        if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status) ||
            ptrace(PTRACE_SETOPTIONS, pid, 0,
                   PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) < 0)
                return -1;
        for (;;) {
                if (ptrace(PTRACE_SYSCALL, pid, 0L, 0L) < 0 ||
                    waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status))
                        return -1;
                if (WSTOPSIG(status) != (SIGTRAP | 0x80))
                        continue;
                memset(&info, 0, sizeof(info));
                if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <=
                    0)
                        return -1;
                if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
                        in_seccomp = info.entry.nr == SYS_seccomp;
                else if (in_seccomp && info.op == PTRACE_SYSCALL_INFO_EXIT)
                        break;
        }
        fd = info.exit.is_error ? -1 : steal_fd(pid, (int)info.exit.rval);
        ptrace(PTRACE_DETACH, pid, 0L, 0L);
        return fd;
}

struct complain {
        const sw_filter *f;
        struct sw_trace *t;
        sw_complain_fn fn;
        void *ctx;
        int listener;
        pid_t child;
        int pidfd;
        struct seccomp_notif_sizes sz;
        struct seccomp_notif *req;
        struct seccomp_notif_resp *resp;
};

/* Record one notification and let the call run. */
static sw_code serve_one(struct complain *c, sw_error **err)
{
        const struct seccomp_data *d = &c->req->data;
        struct sw_seen *s;
        uint32_t would = 0;

        if (c->req == NULL || c->resp == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        memset(c->req, 0, c->sz.seccomp_notif);
        if (ioctl(c->listener, SECCOMP_IOCTL_NOTIF_RECV, c->req) < 0)
                return SW_SUCCESS; /* the caller died meanwhile */
        sw_filter_simulate(c->f, d->arch, d->nr, (const uint64_t *)d->args,
                           &would, NULL);
        s = sw_trace_note(c->t, (pid_t)c->req->pid, d->arch, d->nr,
                          (const uint64_t *)d->args);
        if (s == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (s->hits == 1)
                s->would = would;
        if (c->fn)
                c->fn(c->ctx, (pid_t)c->req->pid, s->name,
                      (const uint64_t *)d->args, would, s->hits);
        memset(c->resp, 0, c->sz.seccomp_notif_resp);
        c->resp->id = c->req->id;
        c->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        /* ENOENT: the caller was killed before the answer. */
        ioctl(c->listener, SECCOMP_IOCTL_NOTIF_SEND, c->resp);
        return SW_SUCCESS;
}

/*
 * Serve until every task that holds the filter is gone (the listener
 * hangs up), reaping the command when it ends so that it can go.
 */
static sw_code serve(struct complain *c, sw_error **err)
{
        for (;;) {
                struct pollfd p[2] = {{c->listener, POLLIN, 0},
                                      {c->pidfd, POLLIN, 0}};
                sw_code rc;

                if (poll(p, c->pidfd >= 0 ? 2 : 1, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return sw_fail(err, SW_EIO, "poll: %s",
                                       strerror(errno));
                }
                if (p[1].revents & POLLIN) {
                        waitpid(c->child, &c->t->status, 0);
                        close(c->pidfd);
                        c->pidfd = -1;
                }
                if (p[0].revents & POLLIN) {
                        rc = serve_one(c, err);
                        if (rc != SW_SUCCESS)
                                return rc;
                } else if (p[0].revents & (POLLHUP | POLLERR)) {
                        return SW_SUCCESS;
                }
        }
}

static sw_code alloc_buffers(struct complain *c, sw_error **err)
{
        struct seccomp_notif_sizes *sz = &c->sz;

        if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, sz) < 0)
                return sw_fail(err, SW_EPERM,
                               "this kernel has no seccomp user "
                               "notification: %s",
                               strerror(errno));
        c->req = calloc(1, sz->seccomp_notif);
        c->resp = calloc(1, sz->seccomp_notif_resp);
        if (c->req == NULL || c->resp == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        return SW_SUCCESS;
}

/* Why the child did not reach the command, as an error. */
static sw_code child_failed(int fd, const char *cmd, sw_error **err)
{
        int e = 0;

        if (read(fd, &e, sizeof(e)) != sizeof(e))
                return sw_fail(err, SW_EPERM,
                               "cannot start '%s' in complain mode", cmd);
        if (e == ENOENT || e == EACCES || e == ENOTDIR)
                return sw_fail(err, SW_ENOENT, "cannot run '%s': %s", cmd,
                               strerror(e));
        return sw_fail(err, SW_EPERM, "cannot start '%s' in complain mode: %s",
                       cmd, strerror(e));
}

static sw_code start(struct complain *c, const struct sock_fprog *prog,
                     char *const argv[], sw_error **err)
{
        int fds[2];
        sw_code rc = SW_SUCCESS;
        pid_t parent = getpid();

        if (pipe2(fds, O_CLOEXEC) < 0)
                return sw_fail(err, SW_EIO, "pipe: %s", strerror(errno));
        c->child = fork();
        if (c->child == 0)
                complain_child(prog, argv, fds[1], parent);
        close(fds[1]);
        if (c->child < 0) {
                close(fds[0]);
                return sw_fail(err, SW_EAGAIN, "fork: %s", strerror(errno));
        }
        c->listener = take_listener(c->child);
        c->pidfd = (int)syscall(SYS_pidfd_open, c->child, 0);
        if (c->listener < 0 || c->pidfd < 0) {
                kill(c->child, SIGKILL);
                waitpid(c->child, NULL, 0);
                rc = child_failed(fds[0], argv[0], err);
        } else {
                rc = serve(c, err);
        }
        /* exec failed after the load: the child said why, then exited. */
        if (rc == SW_SUCCESS &&
            child_failed(fds[0], argv[0], NULL) == SW_ENOENT)
                rc = sw_fail(err, SW_ENOENT, "cannot run '%s'", argv[0]);
        close(fds[0]);
        return rc;
}

sw_code sw_complain_run(const sw_whitelist *wl, const sw_filter *f,
                        char *const argv[], sw_complain_fn fn, void *ctx,
                        sw_trace **out, sw_error **err)
{
        struct complain c = {
                .f = f, .fn = fn, .ctx = ctx, .listener = -1, .pidfd = -1};
        struct sock_fprog prog;
        sw_code rc;

        *out = NULL;
        if (sw_whitelist_has_ports(wl))
                return sw_fail(err, SW_EPERM,
                               "complain mode does not enforce port "
                               "restrictions; remove them to calibrate the "
                               "rest, or run in enforcing mode");
        prog.len = (unsigned short)sw_filter_length(f);
        prog.filter = complain_program(f);
        c.t = sw_trace_new(argv);
        rc = prog.filter && c.t ? alloc_buffers(&c, err)
                                : sw_fail(err, SW_EINTERNAL, "out of memory");
        if (rc == SW_SUCCESS)
                rc = start(&c, &prog, argv, err);
        if (c.listener >= 0)
                close(c.listener);
        if (c.pidfd >= 0)
                close(c.pidfd);
        free(prog.filter);
        free(c.req);
        free(c.resp);
        if (rc != SW_SUCCESS) {
                sw_trace_free(c.t);
                return rc;
        }
        sw_trace_sort(c.t);
        *out = c.t;
        return SW_SUCCESS;
}

uint32_t sw_trace_call_action(const sw_trace *t, size_t i)
{
        return i < t->ncalls ? t->calls[i].would : 0;
}
