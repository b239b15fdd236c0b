/*
 * watch.c - wait for the command of `syswall run` and name refused calls.
 *
 * How a refused call is identified.  When the filter kills a process
 * (SECCOMP_RET_KILL_PROCESS), the kernel rolls the thread's registers
 * back to the entry of the refused call, delivers SIGSYS and the whole
 * process exits.  A tracer that set PTRACE_O_TRACEEXIT sees every thread
 * stop once more before it dies (PTRACE_EVENT_EXIT, with the exit code
 * in the event message), and can still read those registers: the call's
 * number, its six arguments and the ABI it came through.  Other threads
 * of the dying process exit with the same code but sit in calls the
 * filter allows (or in user space).  Each candidate call is run through
 * the compiled filter in libsyswall's BPF interpreter
 * (sw_filter_simulate): the thread whose call the filter kills is the
 * one that was refused.  This is the filter's own verdict on the exact
 * registers, not a guess; if the interpreter cannot answer, the
 * whitelist decides (a listed call is never killed).
 *
 * Why not the kernel's audit record (type=1326): it goes to auditd when
 * one runs, the kernel log rate-limits it, and reading /dev/kmsg needs
 * privileges that a container may not have.  The registers are there
 * whatever the logging setup.
 *
 * Limits, stated where the choice is made:
 *  - a traced command cannot trace others: gdb, strace or a program that
 *    calls PTRACE_TRACEME get EPERM.  `run --no-trace` runs it untraced,
 *    and a kill is then reported without the call's name;
 *  - a system that forbids ptrace (Yama ptrace_scope 3, a container
 *    policy) gives the same unnamed report;
 *  - registers are read on x86_64 only; on other architectures the
 *    report does not name the call;
 *  - if the command stacks a stricter filter of its own and that filter
 *    kills, the call is named with a note that the whitelist allows it.
 */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "cli.h"
#include "internal.h"
#include "kmsg.h"

/* The x32 ABI marks its system call numbers with bit 30. */
#define SW_X32_BIT 0x40000000L

enum refusal {
        REFUSED_UNLISTED, /* the whitelist does not list the call */
        REFUSED_I386,     /* an int 0x80 call from a 64-bit process */
        REFUSED_X32,      /* a call with the x32 bit set */
        REFUSED_STACKED,  /* a listed call killed by another filter */
};

struct refused {
        pid_t tid;
        pid_t tgid;
        long nr;
        unsigned long long args[6];
        enum refusal why;
        bool from_record; /* the kernel's audit record: no arguments */
};

/* ------------------------------------------------------------------ */
/* Signals                                                            */
/* ------------------------------------------------------------------ */

static volatile pid_t forward_to;

/*
 * Pass a signal on to the command.  A signal the kernel sent to the
 * whole foreground process group (Ctrl-C, a hang-up) has reached the
 * command already, so it is not sent twice.
 */
static void forward(int sig, siginfo_t *si, void *ctx)
{
        (void)ctx;
        if (si->si_code == SI_KERNEL)
                return;
        if (forward_to > 0)
                kill(forward_to, sig);
}

static const int forwarded[] = {SIGINT,  SIGTERM, SIGHUP,
                                SIGQUIT, SIGUSR1, SIGUSR2};

void watch_hold_signals(sigset_t *old)
{
        sigset_t set;

        sigemptyset(&set);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                sigaddset(&set, forwarded[i]);
        sigprocmask(SIG_BLOCK, &set, old);
}

static void forward_signals(pid_t child)
{
        struct sigaction sa = {.sa_sigaction = forward, .sa_flags = SA_SIGINFO};

        forward_to = child;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                sigaction(forwarded[i], &sa, NULL);
}

/* ------------------------------------------------------------------ */
/* Reading the refused call                                           */
/* ------------------------------------------------------------------ */

static bool listed(const sw_whitelist *wl, long nr)
{
        if (wl == NULL)
                return false;
        size_t n = sw_whitelist_rule_count(wl);

        for (size_t i = 0; i < n; i++)
                if (sw_whitelist_rule_number(wl, i) == nr)
                        return true;
        return false;
}

/*
 * Does the filter kill this call?  The interpreter answers for the exact
 * registers; without it, an unlisted native number is the answer.
 */
static bool filter_kills(const struct watch *w, uint32_t arch, long nr,
                         const unsigned long long args[6])
{
        uint64_t a[6];
        uint32_t action, kind;

        for (int i = 0; i < 6; i++)
                a[i] = args[i];
        if (w->filter == NULL ||
            sw_filter_simulate(w->filter, arch, (int)nr, a, &action, NULL) !=
                    SW_SUCCESS)
                return arch != AUDIT_ARCH_X86_64 || !listed(w->wl, nr);
        kind = action & SECCOMP_RET_ACTION_FULL;
        return kind == SECCOMP_RET_KILL_PROCESS ||
               kind == SECCOMP_RET_KILL_THREAD;
}

/* The value of "Tgid:" in /proc/TID/status, or tid itself. */
static pid_t tgid_of(pid_t tid)
{
        char path[64], line[128];
        pid_t tgid = tid;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
        f = fopen(path, "re");
        if (f == NULL)
                return tid;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "Tgid: %d", &tgid) == 1)
                        break;
        fclose(f);
        return tgid;
}

static void comm_of(pid_t pid, char *buf, size_t size)
{
        char path[64];
        FILE *f;

        snprintf(buf, size, "?");
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
        f = fopen(path, "re");
        if (f == NULL)
                return;
        if (fgets(buf, (int)size, f))
                buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
}

/* An x32 call has bit 30 set in a non-negative number (syscall(-1) too
 * has it set, and is no x32 call). */
static bool is_x32(long nr)
{
        return nr >= 0 && (nr & SW_X32_BIT);
}

#if defined(__x86_64__)
/* True when the stopped thread last entered the kernel through int 0x80. */
static bool entered_as_i386(pid_t tid)
{
        struct __ptrace_syscall_info info;
        long n;

        memset(&info, 0, sizeof(info));
        n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info);
        return n > 0 && info.arch == AUDIT_ARCH_I386;
}

static bool read_refused(const struct watch *w, pid_t tid, struct refused *r)
{
        struct user_regs_struct regs;
        bool i386;

        if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) < 0)
                return false;
        r->tid = tid;
        r->nr = (long)regs.orig_rax;

        /* orig_rax is -1 outside a call too; a refused syscall(-1) also
         * has the kernel's roll-back mark, rax equal to orig_rax. */
        if (r->nr < 0 && (r->nr != -1 || regs.rax != regs.orig_rax))
                return false;

        i386 = entered_as_i386(tid);
        if (i386) {
                unsigned long long a[6] = {regs.rbx, regs.rcx, regs.rdx,
                                           regs.rsi, regs.rdi, regs.rbp};

                memcpy(r->args, a, sizeof(a));
        } else {
                unsigned long long a[6] = {regs.rdi, regs.rsi, regs.rdx,
                                           regs.r10, regs.r8,  regs.r9};

                memcpy(r->args, a, sizeof(a));
        }

        if (filter_kills(w, i386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64, r->nr,
                         r->args))
                r->why = i386            ? REFUSED_I386
                         : is_x32(r->nr) ? REFUSED_X32
                                         : REFUSED_UNLISTED;
        else if (regs.rax == regs.orig_rax)
                /* The kernel's roll-back mark: some filter refused it. */
                r->why = REFUSED_STACKED;
        else
                return false;
        return true;
}
#else
/* Registers are read on x86_64 only (see the top of this file). */
static bool read_refused(const struct watch *w, pid_t tid, struct refused *r)
{
        (void)w;
        (void)tid;
        (void)r;
        return false;
}
#endif

/* ------------------------------------------------------------------ */
/* Reports                                                            */
/* ------------------------------------------------------------------ */

/* "the command" or "pid 1240 (python3), started by the command". */
static void describe_victim(const struct watch *w, pid_t tgid, char *buf,
                            size_t size)
{
        char comm[32];

        if (tgid == w->child) {
                snprintf(buf, size, "the command");
                return;
        }
        comm_of(tgid, comm, sizeof(comm));
        snprintf(buf, size, "pid %d (%s), started by the command,", (int)tgid,
                 comm);
}

/*
 * A system call's name as libseccomp spells it; a number without one is
 * written as libc's syscall() would take it: "syscall(999".
 */
static bool call_name(uint32_t arch, long nr, char *buf, size_t size)
{
        char *name = NULL;
        bool known;

        if (nr >= 0 && nr <= INT_MAX)
                name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
        known = name != NULL;
        if (known)
                snprintf(buf, size, "%s", name);
        else
                snprintf(buf, size, "syscall(%ld", nr);
        free(name);
        return known;
}

/*
 * How many arguments the calls a whitelist most often refuses take, from
 * the kernel's SYSCALL_DEFINE prototypes, so that a report shows those
 * and not the stale registers after them.  A call missing here is shown
 * with all six argument registers.
 */
static const struct arg_count {
        const char *name;
        unsigned n;
} arg_counts[] = {
        {"accept", 3},
        {"accept4", 4},
        {"access", 2},
        {"acct", 1},
        {"add_key", 5},
        {"bind", 3},
        {"bpf", 3},
        {"brk", 1},
        {"chdir", 1},
        {"chmod", 2},
        {"chroot", 1},
        {"clock_nanosleep", 4},
        {"clock_settime", 2},
        {"clone", 5},
        {"clone3", 2},
        {"close", 1},
        {"connect", 3},
        {"delete_module", 2},
        {"dup", 1},
        {"dup2", 2},
        {"execve", 3},
        {"execveat", 5},
        {"exit", 1},
        {"exit_group", 1},
        {"fanotify_init", 2},
        {"finit_module", 3},
        {"fork", 0},
        {"fsmount", 3},
        {"fsopen", 2},
        {"fspick", 3},
        {"futex", 6},
        {"getpid", 0},
        {"getrandom", 3},
        {"init_module", 3},
        {"io_uring_enter", 6},
        {"io_uring_register", 4},
        {"io_uring_setup", 2},
        {"ioctl", 3},
        {"ioperm", 3},
        {"iopl", 1},
        {"kexec_file_load", 5},
        {"kexec_load", 4},
        {"keyctl", 5},
        {"kill", 2},
        {"listen", 2},
        {"lookup_dcookie", 3},
        {"madvise", 3},
        {"memfd_create", 2},
        {"mknod", 3},
        {"mknodat", 4},
        {"mmap", 6},
        {"mount", 5},
        {"mount_setattr", 5},
        {"move_mount", 5},
        {"mprotect", 3},
        {"munmap", 2},
        {"name_to_handle_at", 5},
        {"newfstatat", 4},
        {"open", 3},
        {"open_by_handle_at", 3},
        {"open_tree", 3},
        {"openat", 4},
        {"openat2", 4},
        {"perf_event_open", 5},
        {"personality", 1},
        {"pidfd_getfd", 3},
        {"pivot_root", 2},
        {"prctl", 5},
        {"process_vm_readv", 6},
        {"process_vm_writev", 6},
        {"ptrace", 4},
        {"quotactl", 4},
        {"read", 3},
        {"reboot", 4},
        {"recvfrom", 6},
        {"request_key", 4},
        {"rseq", 4},
        {"sendto", 6},
        {"set_robust_list", 2},
        {"setdomainname", 2},
        {"sethostname", 2},
        {"setns", 2},
        {"settimeofday", 2},
        {"socket", 3},
        {"swapoff", 1},
        {"swapon", 2},
        {"syslog", 3},
        {"umount2", 2},
        {"unshare", 1},
        {"userfaultfd", 1},
        {"vfork", 0},
        {"write", 3},
};

static unsigned arg_count(const char *name)
{
        for (size_t i = 0; i < sizeof(arg_counts) / sizeof(arg_counts[0]); i++)
                if (strcmp(arg_counts[i].name, name) == 0)
                        return arg_counts[i].n;
        return 6;
}

static void print_args(const struct refused *r, const char *name, bool known)
{
        unsigned n = r->why == REFUSED_UNLISTED ? arg_count(name) : 6;
        char comm[32];

        if (r->from_record) {
                fprintf(stderr,
                        "  call: %s%s in pid %d, from the kernel's audit "
                        "record (which has no arguments)\n",
                        name, known ? "" : ")", (int)r->tgid);
                return;
        }
        comm_of(r->tid, comm, sizeof(comm));
        fprintf(stderr, "  call: %s%s", name, known ? "(" : ", ");
        for (unsigned i = 0; i < n; i++)
                fprintf(stderr, "%s0x%llx", i ? ", " : "", r->args[i]);
        fprintf(stderr, ") in thread %d (%s) of pid %d\n", (int)r->tid, comm,
                (int)r->tgid);
}

static void print_refused(const struct watch *w, const struct refused *r)
{
        char victim[96], name[64];
        const char *when = "";
        uint32_t arch =
                r->why == REFUSED_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_NATIVE;
        bool known;

        known = call_name(arch,
                          r->why == REFUSED_X32 ? r->nr & ~SW_X32_BIT : r->nr,
                          name, sizeof(name));

        describe_victim(w, r->tgid, victim, sizeof(victim));
        if (r->tgid == w->child && w->traced && !w->started)
                when = " before the command started";
        fprintf(stderr, "%s: run: %s was killed by SIGSYS%s: ", sw_prog, victim,
                when);
        switch (r->why) {
        case REFUSED_UNLISTED:
                if (known)
                        fprintf(stderr,
                                "the whitelist does not allow %s (system call "
                                "%ld on %s)\n",
                                name, r->nr, sw_arch_name(0));
                else
                        fprintf(stderr,
                                "it made system call number %ld (no such call "
                                "on %s)\n",
                                r->nr, sw_arch_name(0));
                break;
        case REFUSED_I386:
                fprintf(stderr,
                        "it made an i386 system call (int 0x80), %s (i386 "
                        "number %ld); calls of a foreign ABI are always "
                        "killed\n",
                        name, r->nr);
                break;
        case REFUSED_X32:
                if (known)
                        fprintf(stderr,
                                "it made an x32 system call, number %#lx (%s "
                                "with the x32 bit 30 set); calls of a foreign "
                                "ABI are always killed\n",
                                (unsigned long)r->nr, name);
                else
                        fprintf(stderr,
                                "it made system call number %#lx, with the "
                                "x32 bit 30 set (no such call); calls of a "
                                "foreign ABI are always killed\n",
                                (unsigned long)r->nr);
                break;
        case REFUSED_STACKED:
                fprintf(stderr,
                        "a seccomp filter refused %s (system call %ld), which "
                        "the whitelist allows: the command must have added a "
                        "stricter filter of its own\n",
                        name, r->nr);
                break;
        }
        print_args(r, name, known);
        if (r->why == REFUSED_UNLISTED && known)
                fprintf(stderr,
                        "  hint: if the command needs it, add {\"name\": "
                        "\"%s\", \"permission\": \"ALLOW\"} to the whitelist, "
                        "or DENY it with an errno the program handles\n",
                        name);
}

/* Name the call from the kernel's record, when the registers did not. */
static bool report_from_record(const struct watch *w)
{
        struct kmsg_kill k;
        struct refused r = {.tid = w->child, .tgid = w->child};

        if (!kmsg_find_kill(w->since, w->child, &k))
                return false;
        r.nr = k.nr;
        r.from_record = true;
        if (k.arch == AUDIT_ARCH_I386)
                r.why = REFUSED_I386;
        else if (k.arch != AUDIT_ARCH_X86_64)
                return false;
        else
                r.why = is_x32(r.nr) ? REFUSED_X32 : REFUSED_UNLISTED;
        print_refused(w, &r);
        return true;
}

void watch_report_unnamed(const struct watch *w)
{
        char why[200];

        if (report_from_record(w))
                return;
        if (w->traced)
                snprintf(why, sizeof(why),
                         "no refused call could be read from its threads");
        else if (w->trace_error)
                snprintf(why, sizeof(why),
                         "not named: this system does not let syswall trace "
                         "the command (%s), and the kernel log has no record "
                         "of the kill",
                         strerror(w->trace_error));
        else
                snprintf(why, sizeof(why),
                         "not named: --no-trace was given, and the kernel log "
                         "has no record of the kill");
        fprintf(stderr,
                "%s: run: the command was killed by SIGSYS%s: a seccomp filter "
                "refused a system call (%s)\n",
                sw_prog, w->traced && !w->started ? " before it started" : "",
                why);
}

/* ------------------------------------------------------------------ */
/* The tracing loop                                                   */
/* ------------------------------------------------------------------ */

bool watch_seize(struct watch *w)
{
        /* No PTRACE_O_TRACEEXEC: a stop at every exec would cost the
         * command a round trip to this process for nothing the report
         * needs (reached_exec() tells whether the command started). */
        long opts = PTRACE_O_TRACEEXIT | PTRACE_O_TRACECLONE |
                    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;

        w->traced = ptrace(PTRACE_SEIZE, w->child, NULL, opts) == 0;
        w->trace_error = w->traced ? 0 : errno;
        return w->traced;
}

/* Let a stopped tracee go on; it may have been killed meanwhile. */
static void resume(pid_t tid, int sig)
{
        ptrace(PTRACE_CONT, tid, NULL, (long)sig);
}

/*
 * Did the child reach the command?  Asked at its exit stop, which comes
 * before the kernel closes a dying process's files: its end of exec_fd
 * is still open unless execve closed it, and a note in the pipe means
 * it failed before.
 */
static bool reached_exec(int fd)
{
        struct pollfd p = {.fd = fd, .events = POLLIN};

        return fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) &&
               !(p.revents & POLLIN);
}

static void on_exit_stop(struct watch *w, pid_t tid)
{
        unsigned long code = 0;
        struct refused r = {0};

        if (tid == w->child)
                w->started = reached_exec(w->exec_fd);
        if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &code) < 0)
                return;
        if (!WIFSIGNALED(code) || WTERMSIG(code) != SIGSYS)
                return;
        if (!read_refused(w, tid, &r))
                return;
        r.tgid = tgid_of(tid);
        print_refused(w, &r);
        if (r.tgid == w->child)
                w->reported = true;
}

static bool is_stop_signal(int sig)
{
        return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
               sig == SIGTTOU;
}

static void on_stop(struct watch *w, pid_t tid, int status)
{
        int sig = WSTOPSIG(status);
        unsigned event = (unsigned)status >> 16;

        switch (event) {
        case 0:
                /* A signal on its way to the tracee: deliver it. */
                resume(tid, sig);
                break;
        case PTRACE_EVENT_EXIT:
                on_exit_stop(w, tid);
                resume(tid, 0);
                break;
        case PTRACE_EVENT_STOP:
                /* Job control: keep a stopped tracee stopped until SIGCONT. */
                if (is_stop_signal(sig))
                        ptrace(PTRACE_LISTEN, tid, NULL, NULL);
                else
                        resume(tid, 0);
                break;
        default:
                resume(tid, 0);
                break;
        }
}

static int wait_plain(pid_t child)
{
        int status;

        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return -1;
        return status;
}

/*
 * Follow every tracee until the child itself is gone.  Tracees still
 * alive then are not waited for: when this process exits, the kernel
 * detaches them and they run on, filtered but untraced.
 */
static int wait_traced(struct watch *w)
{
        int status;
        pid_t tid;

        for (;;) {
                tid = waitpid(-1, &status, __WALL);
                if (tid < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                if (WIFEXITED(status) || WIFSIGNALED(status)) {
                        if (tid == w->child)
                                return status;
                        continue;
                }
                if (WIFSTOPPED(status))
                        on_stop(w, tid, status);
        }
}

int watch_wait(struct watch *w)
{
        sigset_t all;

        forward_signals(w->child);
        sigemptyset(&all);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                sigaddset(&all, forwarded[i]);
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        return w->traced ? wait_traced(w) : wait_plain(w->child);
}
