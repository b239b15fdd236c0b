/*
 * argwidth.c - which system call arguments the kernel reads as 32 bits.
 *
 * A 64-bit register carries every argument, but for an argument declared
 * int, unsigned int, pid_t, uid_t, gid_t, umode_t, clockid_t, key_serial_t
 * (or a flags word the kernel cuts with lower_32_bits(), as clone does)
 * the kernel uses only the low half, and what the upper half holds
 * depends on the caller: a zero-extended -100 and a sign-extended -100 are
 * the same AT_FDCWD to the kernel.  The format (P1.2) makes a comparison
 * 64 bits wide unless the document writes "width": 32, so the compiler
 * does not use this table: check does, to warn where an unwritten width
 * meets such an argument (lint.c).  The table is written from the
 * kernel's SYSCALL_DEFINE prototypes (Linux 6.x); a call or argument
 * missing here is taken as 64 bits wide.
 */
#include "compile.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

struct width_entry {
        const char *name;
        uint8_t narrow; /* bit i: argument i is 32-bit */
};

/* Sorted by name for bsearch. */
static const struct width_entry widths[] = {
        {"_llseek", 0x11},
        {"accept", 0x01},
        {"accept4", 0x09},
        {"access", 0x02},
        {"add_key", 0x10},
        {"alarm", 0x01},
        {"arch_prctl", 0x01},
        {"bind", 0x05},
        {"bpf", 0x05},
        {"cachestat", 0x09},
        {"chmod", 0x02},
        {"chown", 0x06},
        {"chown32", 0x06},
        {"clock_adjtime", 0x01},
        {"clock_getres", 0x01},
        {"clock_getres_time64", 0x01},
        {"clock_gettime", 0x01},
        {"clock_gettime64", 0x01},
        {"clock_nanosleep", 0x03},
        {"clock_nanosleep_time64", 0x03},
        {"clock_settime", 0x01},
        {"clock_settime64", 0x01},
        {"clone", 0x01},
        {"close", 0x01},
        {"close_range", 0x07},
        {"connect", 0x05},
        {"copy_file_range", 0x25},
        {"creat", 0x02},
        {"delete_module", 0x02},
        {"dup", 0x01},
        {"dup2", 0x03},
        {"dup3", 0x07},
        {"epoll_create", 0x01},
        {"epoll_create1", 0x01},
        {"epoll_ctl", 0x07},
        {"epoll_pwait", 0x0d},
        {"epoll_pwait2", 0x05},
        {"epoll_wait", 0x0d},
        {"eventfd", 0x01},
        {"eventfd2", 0x03},
        {"execveat", 0x11},
        {"exit", 0x01},
        {"exit_group", 0x01},
        {"faccessat", 0x05},
        {"faccessat2", 0x0d},
        {"fadvise64", 0x09},
        {"fallocate", 0x03},
        {"fanotify_init", 0x03},
        {"fanotify_mark", 0x0b},
        {"fchdir", 0x01},
        {"fchmod", 0x03},
        {"fchmodat", 0x05},
        {"fchmodat2", 0x0d},
        {"fchown", 0x07},
        {"fchown32", 0x07},
        {"fchownat", 0x1d},
        {"fcntl", 0x03},
        {"fcntl64", 0x03},
        {"fdatasync", 0x01},
        {"fgetxattr", 0x01},
        {"finit_module", 0x05},
        {"flistxattr", 0x01},
        {"flock", 0x03},
        {"fremovexattr", 0x01},
        {"fsconfig", 0x13},
        {"fsetxattr", 0x11},
        {"fsmount", 0x07},
        {"fsopen", 0x02},
        {"fspick", 0x05},
        {"fstat", 0x01},
        {"fstat64", 0x01},
        {"fstatat64", 0x09},
        {"fstatfs", 0x01},
        {"fstatfs64", 0x01},
        {"fsync", 0x01},
        {"ftruncate", 0x01},
        {"ftruncate64", 0x01},
        {"futex", 0x26},
        {"futex_waitv", 0x16},
        {"futimesat", 0x01},
        {"get_robust_list", 0x01},
        {"getdents", 0x05},
        {"getdents64", 0x05},
        {"getgroups", 0x01},
        {"getitimer", 0x01},
        {"getpeername", 0x01},
        {"getpgid", 0x01},
        {"getpriority", 0x03},
        {"getrandom", 0x04},
        {"getrlimit", 0x01},
        {"getrusage", 0x01},
        {"getsid", 0x01},
        {"getsockname", 0x01},
        {"getsockopt", 0x07},
        {"inotify_add_watch", 0x05},
        {"inotify_init1", 0x01},
        {"inotify_rm_watch", 0x03},
        {"io_setup", 0x01},
        {"io_uring_enter", 0x0f},
        {"io_uring_register", 0x0b},
        {"io_uring_setup", 0x01},
        {"ioctl", 0x03},
        {"ioperm", 0x04},
        {"iopl", 0x01},
        {"ioprio_get", 0x03},
        {"ioprio_set", 0x07},
        {"ipc", 0x03},
        {"kcmp", 0x07},
        {"kexec_file_load", 0x03},
        {"keyctl", 0x01},
        {"kill", 0x03},
        {"landlock_add_rule", 0x0b},
        {"landlock_create_ruleset", 0x04},
        {"landlock_restrict_self", 0x03},
        {"lchown", 0x06},
        {"lchown32", 0x06},
        {"linkat", 0x15},
        {"listen", 0x03},
        {"lseek", 0x05},
        {"lsetxattr", 0x10},
        {"madvise", 0x04},
        {"membarrier", 0x07},
        {"memfd_create", 0x02},
        {"memfd_secret", 0x01},
        {"migrate_pages", 0x01},
        {"mkdir", 0x02},
        {"mkdirat", 0x05},
        {"mknod", 0x06},
        {"mknodat", 0x0d},
        {"mlock2", 0x04},
        {"mlockall", 0x01},
        {"mmap", 0x1c},
        {"mmap2", 0x1c},
        {"mount_setattr", 0x05},
        {"move_mount", 0x15},
        {"move_pages", 0x21},
        {"mprotect", 0x04},
        {"mq_getsetattr", 0x01},
        {"mq_notify", 0x01},
        {"mq_open", 0x06},
        {"mq_timedreceive", 0x01},
        {"mq_timedsend", 0x09},
        {"msgctl", 0x03},
        {"msgget", 0x03},
        {"msgrcv", 0x11},
        {"msgsnd", 0x09},
        {"msync", 0x04},
        {"name_to_handle_at", 0x11},
        {"newfstatat", 0x09},
        {"open", 0x06},
        {"open_by_handle_at", 0x05},
        {"open_tree", 0x05},
        {"openat", 0x0d},
        {"openat2", 0x01},
        {"perf_event_open", 0x0e},
        {"personality", 0x01},
        {"pidfd_getfd", 0x07},
        {"pidfd_open", 0x03},
        {"pidfd_send_signal", 0x0b},
        {"pipe2", 0x02},
        {"pkey_free", 0x01},
        {"pkey_mprotect", 0x0c},
        {"poll", 0x06},
        {"ppoll", 0x02},
        {"prctl", 0x01},
        {"pread64", 0x01},
        {"preadv", 0x01},
        {"preadv2", 0x11},
        {"prlimit64", 0x03},
        {"process_madvise", 0x19},
        {"process_mrelease", 0x03},
        {"process_vm_readv", 0x01},
        {"process_vm_writev", 0x01},
        {"pselect6", 0x01},
        {"pwrite64", 0x01},
        {"pwritev", 0x01},
        {"pwritev2", 0x11},
        {"quotactl", 0x05},
        {"read", 0x01},
        {"readahead", 0x01},
        {"readlink", 0x04},
        {"readlinkat", 0x09},
        {"readv", 0x01},
        {"reboot", 0x07},
        {"recv", 0x09},
        {"recvfrom", 0x09},
        {"recvmmsg", 0x0d},
        {"recvmsg", 0x05},
        {"renameat", 0x05},
        {"renameat2", 0x15},
        {"request_key", 0x08},
        {"rseq", 0x0e},
        {"rt_sigaction", 0x01},
        {"rt_sigprocmask", 0x01},
        {"rt_sigqueueinfo", 0x03},
        {"rt_tgsigqueueinfo", 0x07},
        {"sched_get_priority_max", 0x01},
        {"sched_get_priority_min", 0x01},
        {"sched_getaffinity", 0x03},
        {"sched_getattr", 0x0d},
        {"sched_getparam", 0x01},
        {"sched_getscheduler", 0x01},
        {"sched_rr_get_interval", 0x01},
        {"sched_setaffinity", 0x03},
        {"sched_setattr", 0x05},
        {"sched_setparam", 0x01},
        {"sched_setscheduler", 0x03},
        {"seccomp", 0x03},
        {"select", 0x01},
        {"semctl", 0x07},
        {"semget", 0x07},
        {"semop", 0x05},
        {"semtimedop", 0x05},
        {"send", 0x09},
        {"sendfile", 0x03},
        {"sendfile64", 0x03},
        {"sendmmsg", 0x0d},
        {"sendmsg", 0x05},
        {"sendto", 0x29},
        {"set_mempolicy", 0x01},
        {"setdomainname", 0x02},
        {"setfsgid", 0x01},
        {"setfsuid", 0x01},
        {"setgid", 0x01},
        {"setgid32", 0x01},
        {"setgroups", 0x01},
        {"sethostname", 0x02},
        {"setitimer", 0x01},
        {"setns", 0x03},
        {"setpgid", 0x03},
        {"setpriority", 0x07},
        {"setregid", 0x03},
        {"setresgid", 0x07},
        {"setresgid32", 0x07},
        {"setresuid", 0x07},
        {"setresuid32", 0x07},
        {"setreuid", 0x03},
        {"setrlimit", 0x01},
        {"setsockopt", 0x17},
        {"setuid", 0x01},
        {"setuid32", 0x01},
        {"setxattr", 0x10},
        {"shmat", 0x05},
        {"shmctl", 0x03},
        {"shmget", 0x05},
        {"shutdown", 0x03},
        {"signalfd", 0x01},
        {"signalfd4", 0x09},
        {"socket", 0x07},
        {"socketcall", 0x01},
        {"socketpair", 0x07},
        {"splice", 0x25},
        {"statx", 0x0d},
        {"swapon", 0x02},
        {"symlinkat", 0x02},
        {"sync_file_range", 0x09},
        {"syncfs", 0x01},
        {"syslog", 0x05},
        {"tee", 0x0b},
        {"tgkill", 0x07},
        {"timer_create", 0x01},
        {"timer_delete", 0x01},
        {"timer_getoverrun", 0x01},
        {"timer_gettime", 0x01},
        {"timer_settime", 0x03},
        {"timerfd_create", 0x03},
        {"timerfd_gettime", 0x01},
        {"timerfd_settime", 0x03},
        {"tkill", 0x03},
        {"umask", 0x01},
        {"umount2", 0x02},
        {"unlinkat", 0x05},
        {"userfaultfd", 0x01},
        {"utimensat", 0x09},
        {"vmsplice", 0x09},
        {"wait4", 0x05},
        {"waitid", 0x0b},
        {"waitpid", 0x05},
        {"write", 0x01},
        {"writev", 0x01},
};

static int entry_cmp(const void *key, const void *elem)
{
        return strcmp(key, ((const struct width_entry *)elem)->name);
}

static const struct width_entry *width_find(const char *name)
{
        return bsearch(name, widths, SW_ARRAY_SIZE(widths), sizeof(widths[0]),
                       entry_cmp);
}

unsigned sw_arg_width(uint32_t arch, int nr, unsigned idx)
{
        const struct width_entry *e;
        char *name;

        if (nr < 0 || idx > 5)
                return 64;
        /* A number libseccomp cannot name is not in the table either. */
        errno = 0;
        name = seccomp_syscall_resolve_num_arch(arch, nr);
        if (name == NULL)
                return errno == ENOMEM ? 0 : 64;
        e = width_find(name);
        free(name);
        return e != NULL && (e->narrow & (1u << idx)) ? 32 : 64;
}

unsigned sw_argf_width(const struct sw_argf *f)
{
        return f->width_explicit ? f->width : 64;
}

bool sw_argf_holds(const struct sw_argf *f, unsigned width, uint64_t arg)
{
        uint64_t cut = width == 32 ? UINT32_MAX : UINT64_MAX;
        uint64_t a = arg & cut;
        uint64_t v = f->value & cut;

        switch (f->op) {
        case SW_OP_EQ:
                return a == v;
        case SW_OP_NE:
                return a != v;
        case SW_OP_GT:
                return a > v;
        case SW_OP_LT:
                return a < v;
        case SW_OP_GE:
                return a >= v;
        case SW_OP_LE:
                return a <= v;
        case SW_OP_MASKED_EQ:
                return (a & f->mask & cut) == v;
        }
        return false;
}
