/*
 * tracer.c - run a command under ptrace and record every system call it
 * and every process and thread it starts make.
 *
 * The command is forked with PTRACE_TRACEME and stops itself before
 * execve; from then on the tracer follows fork, vfork, clone and exec
 * (the kernel attaches new tasks itself) and reads each syscall-entry
 * stop with PTRACE_GET_SYSCALL_INFO (Linux 5.3), which gives the ABI,
 * the number and the six arguments without touching registers.
 * Recording starts at the command's execve: the calls our child makes
 * between fork and exec are ours, not the command's.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACE_OPTIONS                                                          \
        (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |    \
         PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)

/* x32 system calls share the x86_64 ABI token but set this bit. */
#define X32_SYSCALL_BIT 0x40000000

struct kind_name {
        const char *name;
        enum sw_kind kind;
};

static const struct kind_name kinds[] = {
        {"socket", SW_KIND_SOCKET},   {"prctl", SW_KIND_PRCTL},
        {"ioctl", SW_KIND_IOCTL},     {"clone", SW_KIND_CLONE},
        {"clone3", SW_KIND_CLONE3},   {"mmap", SW_KIND_PROT},
        {"mprotect", SW_KIND_PROT},   {"connect", SW_KIND_ADDR},
        {"bind", SW_KIND_ADDR},       {"sendto", SW_KIND_SENDTO},
        {"sendmsg", SW_KIND_SENDMSG},
};

struct tracer {
        struct sw_trace *t;
        struct sw_pidset tasks; /* a task's first stop is the attach stop */
        int execve_nr;
        pid_t root;
        bool started;
};

static enum sw_kind kind_of(const char *name)
{
        for (size_t i = 0; name && i < SW_ARRAY_SIZE(kinds); i++)
                if (strcmp(kinds[i].name, name) == 0)
                        return kinds[i].kind;
        return SW_KIND_PLAIN;
}

static void valset_add(struct sw_valset *vs, uint64_t v)
{
        for (size_t i = 0; i < vs->n; i++)
                if (vs->v[i] == v)
                        return;
        if (vs->n == SW_TRACE_MAX_VALUES)
                vs->overflow = true;
        else
                vs->v[vs->n++] = v;
}

/* The entry for (arch, nr), created on first sight; NULL on OOM. */
static struct sw_seen *seen_get(struct sw_trace *t, uint32_t arch, int nr)
{
        struct sw_seen *s;

        for (size_t i = 0; i < t->ncalls; i++)
                if (t->calls[i].nr == nr && t->calls[i].arch == arch)
                        return &t->calls[i];
        if (t->ncalls == t->cap) {
                size_t cap = t->cap ? t->cap * 2 : 64;
                struct sw_seen *c = realloc(t->calls, cap * sizeof(*c));

                if (c == NULL)
                        return NULL;
                t->calls = c;
                t->cap = cap;
        }
        s = &t->calls[t->ncalls];
        memset(s, 0, sizeof(*s));
        s->arch = arch;
        s->nr = nr;
        s->foreign = arch != t->native || (nr & X32_SYSCALL_BIT);
        s->name = seccomp_syscall_resolve_num_arch(arch, nr);
        s->named = s->name != NULL;
        if (!s->named)
                s->name = sw_asprintf("nr%d", nr);
        if (s->name == NULL)
                return NULL;
        s->kind = s->foreign ? SW_KIND_PLAIN : kind_of(s->name);
        t->ncalls++;
        return s;
}

static bool read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
        struct iovec local = {buf, len};
        /* An address in the tracee, never dereferenced here. */
        struct iovec remote = {
                (void *)(uintptr_t)addr, // NOLINT(performance-no-int-to-ptr)
                len};

        return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* Note the family and port of the sockaddr at addr in the tracee. */
static void note_addr(struct sw_seen *s, pid_t pid, uint64_t addr, uint64_t len)
{
        unsigned char sa[4];
        uint16_t family;
        uint16_t port;

        if (addr == 0) {
                s->no_addr = true;
                return;
        }
        if (len < sizeof(family) || !read_mem(pid, addr, sa, 2)) {
                s->odd_addr = true;
                return;
        }
        memcpy(&family, sa, sizeof(family));
        if (family == AF_UNIX || family == AF_NETLINK) {
                s->families |= family == AF_UNIX ? SW_FAM_UNIX : SW_FAM_NETLINK;
                return;
        }
        if ((family != AF_INET && family != AF_INET6) || len < 4 ||
            !read_mem(pid, addr, sa, 4)) {
                s->odd_addr = true;
                return;
        }
        port = (uint16_t)(sa[2] << 8 | sa[3]);
        if (port == 0)
                s->odd_addr = true;
        else
                valset_add(&s->ports, port);
}

/* sendmsg: the address is msg_name inside the struct msghdr at arg 1. */
static void note_msghdr(struct sw_seen *s, pid_t pid, uint64_t addr)
{
        struct msghdr mh = {0};

        if (!read_mem(pid, addr, &mh, sizeof(mh))) {
                s->odd_addr = true;
                return;
        }
        note_addr(s, pid, (uintptr_t)mh.msg_name, mh.msg_namelen);
}

/*
 * clone3: its struct clone_args (at arg 0, arg 1 bytes long) holds flags
 * at offset 0 and exit_signal at 32.  glibc's fallback to clone passes
 * flags | exit_signal, the form kept here; unreadable counts as too many.
 */
static void note_clone_args(struct sw_seen *s, pid_t pid, const uint64_t *a)
{
        uint64_t ca[5];

        if (a[1] < sizeof(ca) || !read_mem(pid, a[0], ca, sizeof(ca))) {
                s->vals.overflow = true;
                return;
        }
        valset_add(&s->vals, ca[0] | (ca[4] & CSIGNAL));
}

static void note_args(struct sw_seen *s, pid_t pid, const uint64_t *a)
{
        switch (s->kind) {
        case SW_KIND_PLAIN:
                break;
        case SW_KIND_SOCKET:
                valset_add(&s->vals, (a[0] & 0xffffffffu) << 32 | (a[1] & 0xf));
                break;
        case SW_KIND_PRCTL:
                valset_add(&s->vals, a[0] & 0xffffffffu);
                break;
        case SW_KIND_IOCTL:
                valset_add(&s->vals, a[1] & 0xffffffffu);
                break;
        case SW_KIND_CLONE:
                valset_add(&s->vals, a[0]);
                break;
        case SW_KIND_CLONE3:
                note_clone_args(s, pid, a);
                break;
        case SW_KIND_PROT:
                s->prot_or |= a[2] & 0xffffffffu;
                break;
        case SW_KIND_ADDR:
                note_addr(s, pid, a[1], a[2]);
                break;
        case SW_KIND_SENDTO:
                note_addr(s, pid, a[4], a[5]);
                break;
        case SW_KIND_SENDMSG:
                note_msghdr(s, pid, a[1]);
                break;
        }
}

/* A thread is a clone sharing the thread group, or any clone3 call. */
static bool makes_thread(const struct sw_seen *s, const uint64_t *a)
{
        if (s->kind == SW_KIND_CLONE)
                return (a[0] & CLONE_THREAD) != 0;
        return strcmp(s->name, "clone3") == 0;
}

struct sw_seen *sw_trace_note(struct sw_trace *t, pid_t pid, uint32_t arch,
                              int nr, const uint64_t args[6])
{
        struct sw_seen *s = seen_get(t, arch, nr);

        if (s == NULL)
                return NULL;
        s->hits++;
        t->total++;
        note_args(s, pid, args);
        if (!s->foreign && makes_thread(s, args))
                t->threads = true;
        return s;
}

static sw_code on_syscall(struct tracer *tr, pid_t pid, sw_error **err)
{
        struct __ptrace_syscall_info info;

        memset(&info, 0, sizeof(info));
        if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) <= 0)
                return SW_SUCCESS; /* the task vanished */
        if (info.op != PTRACE_SYSCALL_INFO_ENTRY)
                return SW_SUCCESS;
        if (!tr->started) {
                /* Calls of our own child before the command's execve. */
                if (pid != tr->root || info.arch != tr->t->native ||
                    (int)info.entry.nr != tr->execve_nr)
                        return SW_SUCCESS;
                tr->started = true;
        }
        if (sw_trace_note(tr->t, pid, info.arch, (int)info.entry.nr,
                          info.entry.args) == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        return SW_SUCCESS;
}

/* A stop that is not a syscall or ptrace event: signal or group stop. */
static int signal_to_pass(struct tracer *tr, pid_t pid, int sig)
{
        siginfo_t si;

        if (!sw_pidset_has(&tr->tasks, pid)) {
                /* The attach stop of a new task (or the root's raise). */
                if (!sw_pidset_add(&tr->tasks, pid))
                        return -1;
                tr->t->nprocs++;
                if (sig == SIGSTOP)
                        return 0;
        }
        /* A group stop has no siginfo; resuming ends it. */
        if (ptrace(PTRACE_GETSIGINFO, pid, 0, &si) < 0)
                return 0;
        return sig;
}

static sw_code on_stop(struct tracer *tr, pid_t pid, int status, sw_error **err)
{
        int sig = WSTOPSIG(status);
        int event = status >> 16;
        sw_code rc = SW_SUCCESS;

        if (sig == (SIGTRAP | 0x80)) {
                rc = on_syscall(tr, pid, err);
                sig = 0;
        } else if (event != 0) {
                sig = 0;
        } else {
                sig = signal_to_pass(tr, pid, sig);
                if (sig < 0)
                        return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        /* ESRCH: the task was killed meanwhile; its exit will follow. */
        ptrace(PTRACE_SYSCALL, pid, 0L, (long)sig);
        return rc;
}

static sw_code trace_loop(struct tracer *tr, sw_error **err)
{
        for (;;) {
                int status;
                pid_t pid = waitpid(-1, &status, __WALL);
                sw_code rc;

                if (pid < 0 && errno == EINTR)
                        continue;
                if (pid < 0 && errno == ECHILD)
                        return SW_SUCCESS;
                if (pid < 0)
                        return sw_fail(err, SW_EIO, "waitpid: %s",
                                       strerror(errno));
                if (WIFEXITED(status) || WIFSIGNALED(status)) {
                        if (pid == tr->root)
                                tr->t->status = status;
                        sw_pidset_remove(&tr->tasks, pid);
                        continue;
                }
                if (!WIFSTOPPED(status))
                        continue;
                rc = on_stop(tr, pid, status, err);
                if (rc != SW_SUCCESS)
                        return rc;
        }
}

/* In the child: ask to be traced, stop, run the command. */
static void __attribute__((noreturn)) child_exec(char *const argv[], int errfd)
{
        int e;

        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0) {
                raise(SIGSTOP);
                execvp(argv[0], argv);
        }
        e = errno;
        if (write(errfd, &e, sizeof(e)) != sizeof(e))
                _exit(126);
        _exit(127);
}

/* The child's first stop: set the options every later task inherits. */
static sw_code first_stop(struct tracer *tr, sw_error **err)
{
        int status;

        if (waitpid(tr->root, &status, __WALL) < 0)
                return sw_fail(err, SW_EIO, "waitpid: %s", strerror(errno));
        if (!WIFSTOPPED(status))
                return SW_EPERM; /* it could not be traced: see errfd */
        if (!sw_pidset_add(&tr->tasks, tr->root))
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        tr->t->nprocs = 1;
        if (ptrace(PTRACE_SETOPTIONS, tr->root, 0, TRACE_OPTIONS) < 0) {
                kill(tr->root, SIGKILL);
                return sw_fail(err, SW_EPERM, "ptrace(SETOPTIONS): %s",
                               strerror(errno));
        }
        ptrace(PTRACE_SYSCALL, tr->root, 0, 0);
        return SW_SUCCESS;
}

/* What the child wrote before dying, as an error; SUCCESS if nothing. */
static sw_code child_failure(int fd, const char *cmd, sw_error **err)
{
        int e;

        if (read(fd, &e, sizeof(e)) != sizeof(e))
                return SW_SUCCESS;
        if (e == ENOENT || e == ENOTDIR || e == EACCES)
                return sw_fail(err, SW_ENOENT, "cannot run '%s': %s", cmd,
                               strerror(e));
        return sw_fail(err, SW_EPERM, "cannot trace '%s': %s", cmd,
                       strerror(e));
}

static int cmp_seen(const void *pa, const void *pb)
{
        const struct sw_seen *a = pa;
        const struct sw_seen *b = pb;

        if (a->foreign != b->foreign)
                return a->foreign ? 1 : -1;
        return strcmp(a->name, b->name);
}

static sw_code copy_argv(struct sw_trace *t, char *const argv[])
{
        size_t n = 0;

        while (argv[n])
                n++;
        t->argv = calloc(n + 1, sizeof(char *));
        if (t->argv == NULL)
                return SW_EINTERNAL;
        for (size_t i = 0; i < n; i++)
                if ((t->argv[i] = sw_strdup(argv[i])) == NULL)
                        return SW_EINTERNAL;
        return SW_SUCCESS;
}

struct sw_trace *sw_trace_new(char *const argv[])
{
        struct sw_trace *t = calloc(1, sizeof(*t));

        if (t == NULL || copy_argv(t, argv) != SW_SUCCESS) {
                sw_trace_free(t);
                return NULL;
        }
        t->native = seccomp_arch_native();
        return t;
}

void sw_trace_sort(struct sw_trace *t)
{
        if (t->ncalls > 0)
                qsort(t->calls, t->ncalls, sizeof(*t->calls), cmp_seen);
}

static sw_code trace_child(struct tracer *tr, char *const argv[],
                           sw_error **err)
{
        int fds[2];
        sw_code rc;
        sw_code why;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return sw_fail(err, SW_EIO, "pipe: %s", strerror(errno));
        tr->root = fork();
        if (tr->root == 0)
                child_exec(argv, fds[1]);
        close(fds[1]);
        if (tr->root < 0) {
                close(fds[0]);
                return sw_fail(err, SW_EAGAIN, "fork: %s", strerror(errno));
        }
        rc = first_stop(tr, err);
        if (rc == SW_SUCCESS)
                rc = trace_loop(tr, err);
        else
                waitpid(tr->root, NULL, __WALL);
        why = child_failure(fds[0], argv[0], rc == SW_SUCCESS ? err : NULL);
        close(fds[0]);
        if (rc == SW_EPERM && why == SW_SUCCESS)
                return sw_fail(err, SW_EPERM, "cannot trace '%s'", argv[0]);
        return rc != SW_SUCCESS ? rc : why;
}

sw_code sw_trace_command(char *const argv[], sw_trace **out, sw_error **err)
{
        struct tracer tr = {0};
        sw_code rc;

        *out = NULL;
        if (argv == NULL || argv[0] == NULL)
                return sw_fail(err, SW_EPROTO, "no command to trace");
        tr.t = sw_trace_new(argv);
        if (tr.t == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        tr.execve_nr = seccomp_syscall_resolve_name("execve");

        rc = trace_child(&tr, argv, err);
        sw_pidset_free(&tr.tasks);
        if (rc != SW_SUCCESS) {
                sw_trace_free(tr.t);
                return rc;
        }
        sw_trace_sort(tr.t);
        *out = tr.t;
        return SW_SUCCESS;
}

void sw_trace_free(sw_trace *t)
{
        if (t == NULL)
                return;
        for (size_t i = 0; i < t->ncalls; i++)
                free(t->calls[i].name);
        for (size_t i = 0; t->argv && t->argv[i]; i++)
                free(t->argv[i]);
        free(t->argv);
        free(t->calls);
        free(t);
}

int sw_trace_status(const sw_trace *t)
{
        return t->status;
}

size_t sw_trace_process_count(const sw_trace *t)
{
        return t->nprocs;
}

uint64_t sw_trace_total(const sw_trace *t)
{
        return t->total;
}

size_t sw_trace_call_count(const sw_trace *t)
{
        return t->ncalls;
}

const char *sw_trace_call_name(const sw_trace *t, size_t i)
{
        return i < t->ncalls ? t->calls[i].name : NULL;
}

uint64_t sw_trace_call_hits(const sw_trace *t, size_t i)
{
        return i < t->ncalls ? t->calls[i].hits : 0;
}

bool sw_trace_call_foreign(const sw_trace *t, size_t i)
{
        return i < t->ncalls && t->calls[i].foreign;
}
