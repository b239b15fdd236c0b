/*
 * consts.c - symbolic constants in argument values ("O_RDONLY|O_CLOEXEC").
 *
 * Most constants have the same value on every architecture libsyswall
 * builds for (x86_64, x86, aarch64, riscv64), so they come from this
 * machine's headers.  The exceptions are a few open(2) flags, which arm
 * and aarch64 number differently from the generic table, and
 * O_LARGEFILE, which 64-bit C libraries never pass (the kernel adds it
 * itself after seccomp has looked); those are written out per
 * architecture below.  A target with other numbering (mips, ppc, sparc)
 * is not offered by the configuration, so it never reaches this table.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct sw_const {
        const char *name;
        int64_t value;
};

#define C(n)                                                                   \
        {                                                                      \
#n, (int64_t)(n)                                               \
        }

static const struct sw_const consts[] = {
        /* address families, socket types and protocols */
        C(AF_UNSPEC),
        C(AF_UNIX),
        C(AF_LOCAL),
        C(AF_INET),
        C(AF_INET6),
        C(AF_NETLINK),
        C(AF_PACKET),
        C(AF_VSOCK),
        C(AF_BLUETOOTH),
        C(AF_ALG),
        C(AF_CAN),
        C(AF_XDP),
        C(AF_KEY),
        C(SOCK_STREAM),
        C(SOCK_DGRAM),
        C(SOCK_RAW),
        C(SOCK_SEQPACKET),
        C(SOCK_RDM),
        C(SOCK_NONBLOCK),
        C(SOCK_CLOEXEC),
        C(IPPROTO_IP),
        C(IPPROTO_TCP),
        C(IPPROTO_UDP),
        C(IPPROTO_ICMP),
        C(IPPROTO_ICMPV6),
        C(IPPROTO_IPV6),
        C(IPPROTO_RAW),
        C(IPPROTO_SCTP),
        C(IPPROTO_UDPLITE),
        C(IPPROTO_MPTCP),
        C(SOL_SOCKET),
        C(SO_REUSEADDR),
        C(SO_REUSEPORT),
        C(SO_KEEPALIVE),
        C(SO_RCVBUF),
        C(SO_SNDBUF),
        C(SO_ERROR),
        C(SO_BROADCAST),
        C(SO_LINGER),
        C(SO_PEERCRED),
        C(TCP_NODELAY),
        C(TCP_KEEPIDLE),
        C(MSG_DONTWAIT),
        C(MSG_NOSIGNAL),
        C(MSG_PEEK),
        C(MSG_TRUNC),
        C(MSG_WAITALL),
        C(MSG_CMSG_CLOEXEC),
        C(MSG_MORE),
        C(MSG_OOB),
        C(SHUT_RD),
        C(SHUT_WR),
        C(SHUT_RDWR),
        /* open flags that every supported architecture shares */
        C(O_RDONLY),
        C(O_WRONLY),
        C(O_RDWR),
        C(O_ACCMODE),
        C(O_CREAT),
        C(O_EXCL),
        C(O_NOCTTY),
        C(O_TRUNC),
        C(O_APPEND),
        C(O_NONBLOCK),
        C(O_NDELAY),
        C(O_DSYNC),
        C(O_ASYNC),
        C(O_NOATIME),
        C(O_CLOEXEC),
        C(O_SYNC),
        C(O_PATH),
        C(AT_FDCWD),
        C(AT_SYMLINK_NOFOLLOW),
        C(AT_REMOVEDIR),
        C(AT_SYMLINK_FOLLOW),
        C(AT_NO_AUTOMOUNT),
        C(AT_EMPTY_PATH),
        C(AT_EACCESS),
        C(F_DUPFD),
        C(F_GETFD),
        C(F_SETFD),
        C(F_GETFL),
        C(F_SETFL),
        C(F_SETOWN),
        C(F_GETOWN),
        C(F_DUPFD_CLOEXEC),
        C(F_SETPIPE_SZ),
        C(F_GETPIPE_SZ),
        C(F_ADD_SEALS),
        C(F_GET_SEALS),
        C(FD_CLOEXEC),
        C(F_OK),
        C(R_OK),
        C(W_OK),
        C(X_OK),
        C(SEEK_SET),
        C(SEEK_CUR),
        C(SEEK_END),
        C(SEEK_DATA),
        C(SEEK_HOLE),
        /* memory */
        C(PROT_NONE),
        C(PROT_READ),
        C(PROT_WRITE),
        C(PROT_EXEC),
        C(PROT_GROWSDOWN),
        C(PROT_GROWSUP),
        C(MAP_SHARED),
        C(MAP_PRIVATE),
        C(MAP_SHARED_VALIDATE),
        C(MAP_FIXED),
        C(MAP_ANONYMOUS),
        C(MAP_ANON),
        C(MAP_GROWSDOWN),
        C(MAP_DENYWRITE),
        C(MAP_EXECUTABLE),
        C(MAP_LOCKED),
        C(MAP_NORESERVE),
        C(MAP_POPULATE),
        C(MAP_NONBLOCK),
        C(MAP_STACK),
        C(MAP_HUGETLB),
        C(MAP_FIXED_NOREPLACE),
        C(MADV_NORMAL),
        C(MADV_RANDOM),
        C(MADV_SEQUENTIAL),
        C(MADV_WILLNEED),
        C(MADV_DONTNEED),
        C(MADV_FREE),
        C(MADV_REMOVE),
        C(MADV_DONTFORK),
        C(MADV_DOFORK),
        C(MADV_MERGEABLE),
        C(MADV_UNMERGEABLE),
        C(MADV_HUGEPAGE),
        C(MADV_NOHUGEPAGE),
        C(MADV_DONTDUMP),
        C(MADV_DODUMP),
        C(MADV_WIPEONFORK),
        C(MADV_KEEPONFORK),
        C(MADV_COLD),
        C(MADV_PAGEOUT),
        C(MFD_CLOEXEC),
        C(MFD_ALLOW_SEALING),
        /* processes */
        C(CLONE_VM),
        C(CLONE_FS),
        C(CLONE_FILES),
        C(CLONE_SIGHAND),
        C(CLONE_PIDFD),
        C(CLONE_PTRACE),
        C(CLONE_VFORK),
        C(CLONE_PARENT),
        C(CLONE_THREAD),
        C(CLONE_NEWNS),
        C(CLONE_SYSVSEM),
        C(CLONE_SETTLS),
        C(CLONE_PARENT_SETTID),
        C(CLONE_CHILD_CLEARTID),
        C(CLONE_DETACHED),
        C(CLONE_UNTRACED),
        C(CLONE_CHILD_SETTID),
        C(CLONE_NEWCGROUP),
        C(CLONE_NEWUTS),
        C(CLONE_NEWIPC),
        C(CLONE_NEWUSER),
        C(CLONE_NEWPID),
        C(CLONE_NEWNET),
        C(CLONE_IO),
        C(CLONE_NEWTIME),
        C(PR_SET_PDEATHSIG),
        C(PR_GET_PDEATHSIG),
        C(PR_GET_DUMPABLE),
        C(PR_SET_DUMPABLE),
        C(PR_SET_NAME),
        C(PR_GET_NAME),
        C(PR_SET_NO_NEW_PRIVS),
        C(PR_GET_NO_NEW_PRIVS),
        C(PR_SET_SECCOMP),
        C(PR_GET_SECCOMP),
        C(PR_CAPBSET_READ),
        C(PR_CAPBSET_DROP),
        C(PR_SET_KEEPCAPS),
        C(PR_GET_KEEPCAPS),
        C(PR_SET_CHILD_SUBREAPER),
        C(PR_GET_CHILD_SUBREAPER),
        C(PR_SET_TIMERSLACK),
        C(PR_GET_TIMERSLACK),
        C(PR_SET_MM),
        C(PR_SET_PTRACER),
        C(PR_SET_THP_DISABLE),
        C(PR_GET_THP_DISABLE),
        C(PR_CAP_AMBIENT),
        C(PR_SET_VMA),
        C(PR_GET_TID_ADDRESS),
        C(PR_MCE_KILL),
        C(PR_SET_SPECULATION_CTRL),
        C(PR_GET_SPECULATION_CTRL),
        C(WNOHANG),
        C(WUNTRACED),
        C(WEXITED),
        C(WCONTINUED),
        C(WNOWAIT),
        C(WSTOPPED),
        C(__WALL),
        C(__WCLONE),
        C(__WNOTHREAD),
        C(P_ALL),
        C(P_PID),
        C(P_PGID),
        C(P_PIDFD),
        /* signals */
        C(SIGHUP),
        C(SIGINT),
        C(SIGQUIT),
        C(SIGILL),
        C(SIGTRAP),
        C(SIGABRT),
        C(SIGBUS),
        C(SIGFPE),
        C(SIGKILL),
        C(SIGUSR1),
        C(SIGSEGV),
        C(SIGUSR2),
        C(SIGPIPE),
        C(SIGALRM),
        C(SIGTERM),
        C(SIGCHLD),
        C(SIGCONT),
        C(SIGSTOP),
        C(SIGTSTP),
        C(SIGTTIN),
        C(SIGTTOU),
        C(SIGURG),
        C(SIGXCPU),
        C(SIGXFSZ),
        C(SIGVTALRM),
        C(SIGPROF),
        C(SIGWINCH),
        C(SIGIO),
        C(SIGSYS),
        C(SIG_BLOCK),
        C(SIG_UNBLOCK),
        C(SIG_SETMASK),
        /* waiting, events and time */
        C(FUTEX_WAIT),
        C(FUTEX_WAKE),
        C(FUTEX_REQUEUE),
        C(FUTEX_CMP_REQUEUE),
        C(FUTEX_WAKE_OP),
        C(FUTEX_LOCK_PI),
        C(FUTEX_UNLOCK_PI),
        C(FUTEX_WAIT_BITSET),
        C(FUTEX_WAKE_BITSET),
        C(FUTEX_PRIVATE_FLAG),
        C(FUTEX_CLOCK_REALTIME),
        C(FUTEX_WAIT_PRIVATE),
        C(FUTEX_WAKE_PRIVATE),
        C(EPOLL_CTL_ADD),
        C(EPOLL_CTL_DEL),
        C(EPOLL_CTL_MOD),
        C(EPOLL_CLOEXEC),
        C(EFD_CLOEXEC),
        C(EFD_NONBLOCK),
        C(EFD_SEMAPHORE),
        C(TFD_CLOEXEC),
        C(TFD_NONBLOCK),
        C(TFD_TIMER_ABSTIME),
        C(CLOCK_REALTIME),
        C(CLOCK_MONOTONIC),
        C(CLOCK_PROCESS_CPUTIME_ID),
        C(CLOCK_THREAD_CPUTIME_ID),
        C(CLOCK_MONOTONIC_RAW),
        C(CLOCK_REALTIME_COARSE),
        C(CLOCK_MONOTONIC_COARSE),
        C(CLOCK_BOOTTIME),
        C(GRND_NONBLOCK),
        C(GRND_RANDOM),
        C(GRND_INSECURE),
        /* common ioctl requests (the generic numbering) */
        C(TCGETS),
        C(TCSETS),
        C(TCSETSW),
        C(TCSETSF),
        C(TIOCGWINSZ),
        C(TIOCSWINSZ),
        C(TIOCGPGRP),
        C(TIOCSPGRP),
        C(TIOCSCTTY),
        C(TIOCNOTTY),
        C(TIOCSTI),
        C(TIOCGPTN),
        C(TIOCSPTLCK),
        C(TIOCINQ),
        C(TIOCOUTQ),
        C(FIONREAD),
        C(FIONBIO),
        C(FIOCLEX),
        C(FIONCLEX),
        C(FIOASYNC),
};

/* open(2) flags numbered per architecture (kernel values, octal). */
struct arch_flag {
        const char *name;
        int64_t generic; /* x86_64, x86, riscv64 */
        int64_t arm;     /* aarch64, arm */
};

static const struct arch_flag arch_flags[] = {
        {"O_DIRECTORY", 0200000, 040000},
        {"O_NOFOLLOW", 0400000, 0100000},
        {"O_DIRECT", 040000, 0200000},
        {"O_TMPFILE", 020000000 | 0200000, 020000000 | 040000},
};

static bool is_arm(uint32_t arch)
{
        if (arch == 0)
                arch = seccomp_arch_native();
        return arch == SCMP_ARCH_AARCH64 || arch == SCMP_ARCH_ARM;
}

static bool lookup(uint32_t arch, const char *name, int64_t *out)
{
        if (arch == 0)
                arch = seccomp_arch_native();
        for (size_t i = 0; i < SW_ARRAY_SIZE(arch_flags); i++) {
                if (strcmp(arch_flags[i].name, name) == 0) {
                        *out = is_arm(arch) ? arch_flags[i].arm
                                            : arch_flags[i].generic;
                        return true;
                }
        }

        /* Only 32-bit x86 and arm C libraries pass O_LARGEFILE. */
        if (strcmp(name, "O_LARGEFILE") == 0) {
                *out = arch == SCMP_ARCH_X86   ? 0100000
                       : arch == SCMP_ARCH_ARM ? 0400000
                                               : 0;
                return true;
        }
        for (size_t i = 0; i < SW_ARRAY_SIZE(consts); i++) {
                if (strcmp(consts[i].name, name) == 0) {
                        *out = consts[i].value;
                        return true;
                }
        }
        return false;
}

static const char *nearest(const char *name)
{
        static const char
                *names[SW_ARRAY_SIZE(consts) + SW_ARRAY_SIZE(arch_flags) + 1];
        size_t n = 0;

        for (size_t i = 0; i < SW_ARRAY_SIZE(consts); i++)
                names[n++] = consts[i].name;
        for (size_t i = 0; i < SW_ARRAY_SIZE(arch_flags); i++)
                names[n++] = arch_flags[i].name;
        names[n++] = "O_LARGEFILE";
        return sw_suggest(name, names, n);
}

/*
 * A number inside an expression: decimal, negative decimal or 0x hex, the
 * grammar of a bare value.  A leading 0 is no octal prefix ("010" is ten
 * here as it is alone), and no sign but '-' nor white space is taken.
 */
static bool number(const char *s, int64_t *out)
{
        const char *hex = "0123456789abcdefABCDEF";
        char *end;

        errno = 0;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                size_t n = strspn(s + 2, hex);

                if (n == 0 || s[2 + n] != '\0')
                        return false;
                *out = (int64_t)strtoull(s + 2, &end, 16);
        } else if (s[0] == '-') {
                if (!isdigit((unsigned char)s[1]))
                        return false;
                *out = strtoll(s, &end, 10);
        } else {
                if (!isdigit((unsigned char)s[0]))
                        return false;
                *out = (int64_t)strtoull(s, &end, 10);
        }
        return errno == 0 && *end == '\0';
}

static char *trimmed(const char *s, size_t n)
{
        while (n > 0 && (*s == ' ' || *s == '\t')) {
                s++;
                n--;
        }
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                n--;
        return strndup(s, n);
}

bool sw_const_eval(uint32_t arch, const char *expr, uint64_t *out, char **bad,
                   const char **hint)
{
        uint64_t acc = 0;
        const char *p = expr;

        *bad = NULL;
        *hint = NULL;
        for (;;) {
                const char *bar = strchr(p, '|');
                size_t n = bar ? (size_t)(bar - p) : strlen(p);
                char *word = trimmed(p, n);
                int64_t v;

                if (word == NULL)
                        return false;
                if (!number(word, &v) && !lookup(arch, word, &v)) {
                        *hint = nearest(word);
                        *bad = word;
                        return false;
                }
                free(word);
                acc |= (uint64_t)v;
                if (bar == NULL)
                        break;
                p = bar + 1;
        }
        *out = acc;
        return true;
}
