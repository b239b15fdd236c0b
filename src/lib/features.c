/*
 * features.c - what the running kernel offers for enforcement: seccomp
 * actions, user notification and its ioctls, pidfd_getfd, Landlock.
 *
 * Probes that need a filter with a listener run in a forked child, which
 * reports over a pipe and exits; the calling process is left unchanged.
 */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kcompat.h"

/* What the child found, one byte per answer. */
struct probe {
        char user_notif;
        char wait_killable;
        char addfd;
        char sync_wake_up;
};

/* A filter that hands getppid to the listener and allows the rest. */
static int load_listener_filter(unsigned flags)
{
        struct sock_filter code[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                         offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {
                .len = SW_ARRAY_SIZE(code),
                .filter = code,
        };

        return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER | flags, &prog);
}

static void probe_child(int out)
{
        struct seccomp_notif_addfd addfd = {.id = ~0ULL, .srcfd = 0};
        struct probe p = {0};
        int fd;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                _exit(1);
        fd = load_listener_filter(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
        p.wait_killable = fd >= 0;
        if (fd < 0)
                fd = load_listener_filter(0);
        p.user_notif = fd >= 0;
        if (fd >= 0) {
                /* An unknown id: ENOENT when the ioctl exists. */
                p.addfd = ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) != 0 &&
                          errno == ENOENT;
                p.sync_wake_up = ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
                                       SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
        }
        if (write(out, &p, sizeof(p)) != (ssize_t)sizeof(p))
                _exit(1);
        _exit(0);
}

static sw_code probe_notif(struct probe *p, sw_error **err)
{
        int fds[2];
        pid_t pid;
        ssize_t n;

        memset(p, 0, sizeof(*p));
        if (pipe2(fds, O_CLOEXEC) != 0)
                return sw_fail(err, SW_EIO, "pipe: %s", strerror(errno));
        pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return sw_fail(err, SW_EIO, "fork: %s", strerror(errno));
        }
        if (pid == 0) {
                close(fds[0]);
                probe_child(fds[1]);
        }
        close(fds[1]);
        do
                n = read(fds[0], p, sizeof(*p));
        while (n < 0 && errno == EINTR);
        close(fds[0]);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        if (n != (ssize_t)sizeof(*p))
                memset(p, 0, sizeof(*p));
        return SW_SUCCESS;
}

static void read_actions(sw_features *f)
{
        FILE *in = fopen("/proc/sys/kernel/seccomp/actions_avail", "r");

        f->actions[0] = '\0';
        if (in == NULL)
                return;
        if (fgets(f->actions, sizeof(f->actions), in) == NULL)
                f->actions[0] = '\0';
        fclose(in);
        f->actions[strcspn(f->actions, "\n")] = '\0';
}

static void probe_pidfd(sw_features *f)
{
        int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
        int fd;

        if (pidfd >= 0) {
                fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
                f->pidfd_getfd = fd >= 0;
                if (fd >= 0)
                        close(fd);
                close(pidfd);
        }
        pidfd = (int)syscall(SYS_pidfd_open, gettid(), PIDFD_THREAD);
        f->pidfd_thread = pidfd >= 0;
        if (pidfd >= 0)
                close(pidfd);
}

sw_code sw_features_probe(sw_features *out, sw_error **err)
{
        struct probe p;
        sw_code rc;

        memset(out, 0, sizeof(*out));
        out->seccomp_filter = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
                              syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0,
                                      &(uint32_t){SECCOMP_RET_ALLOW}) == 0;
        read_actions(out);
        probe_pidfd(out);
        out->landlock_abi = sw_landlock_abi();
        out->landlock_net = out->landlock_abi >= SW_LANDLOCK_NET_ABI;

        rc = probe_notif(&p, err);
        if (rc != SW_SUCCESS)
                return rc;
        out->user_notif = p.user_notif;
        out->wait_killable = p.wait_killable;
        out->notif_addfd = p.addfd;
        out->sync_wake_up = p.sync_wake_up;
        return SW_SUCCESS;
}
