/*
 * names.c - system call names per architecture.
 *
 * libseccomp knows every architecture's table.  A name resolves to a
 * number >= 0 where the call exists; where it does not, libseccomp 2.5
 * returns a negative pseudo number (and compiles a rule for it that no
 * process can ever trigger), so a negative result means "absent here".
 * The set of all real names is built by asking every architecture for
 * every number; it is only needed to suggest names, so it is built on
 * the first unknown name and kept.
 */
#include "internal.h"

#include <pthread.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct arch_entry {
        const char *name;
        uint32_t token;
};

/* Every architecture libseccomp 2.5 knows; the first ones are shown. */
static const struct arch_entry all_arches[] = {
        {"x86_64", SCMP_ARCH_X86_64},   {"x86", SCMP_ARCH_X86},
        {"x32", SCMP_ARCH_X32},         {"aarch64", SCMP_ARCH_AARCH64},
        {"arm", SCMP_ARCH_ARM},         {"riscv64", SCMP_ARCH_RISCV64},
        {"ppc64le", SCMP_ARCH_PPC64LE}, {"s390x", SCMP_ARCH_S390X},
        {"ppc64", SCMP_ARCH_PPC64},     {"ppc", SCMP_ARCH_PPC},
        {"s390", SCMP_ARCH_S390},       {"mips", SCMP_ARCH_MIPS},
        {"mips64", SCMP_ARCH_MIPS64},   {"mips64n32", SCMP_ARCH_MIPS64N32},
        {"parisc", SCMP_ARCH_PARISC},   {"parisc64", SCMP_ARCH_PARISC64},
};

/* Number ranges that hold system calls on some architecture. */
static const struct {
        int lo, hi;
} ranges[] = {
        {0, 1100},                       /* most architectures */
        {4000, 4600},                    /* mips o32 */
        {5000, 5600},                    /* mips n64 */
        {6000, 6600},                    /* mips n32 */
        {0x40000000, 0x40000000 + 1100}, /* x32 */
        {0x0f0000, 0x0f0010},            /* arm private calls */
};

int sw_syscall_number(uint32_t arch, const char *name)
{
        int nr;

        if (name == NULL || *name == '\0')
                return -1;
        nr = seccomp_syscall_resolve_name_arch(arch, name);
        return nr < 0 ? -1 : nr;
}

bool sw_syscall_known(const char *name)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(all_arches); i++)
                if (sw_syscall_number(all_arches[i].token, name) >= 0)
                        return true;
        return false;
}

char *sw_syscall_arches(const char *name)
{
        char buf[256] = "";
        size_t used = 0;

        for (size_t i = 0; i < 8; i++) {
                int n;

                if (sw_syscall_number(all_arches[i].token, name) < 0)
                        continue;
                n = snprintf(buf + used, sizeof(buf) - used, "%s%s",
                             used ? ", " : "", all_arches[i].name);
                if (n > 0 && (size_t)n < sizeof(buf) - used)
                        used += (size_t)n;
        }
        return sw_strdup(used ? buf : "no architecture libsyswall builds for");
}

/* ---- the set of all names ---- */

static char **all_names;
static size_t n_names;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static int by_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool add_name(char ***v, size_t *n, size_t *cap, char *name)
{
        if (*n == *cap) {
                size_t c = *cap ? *cap * 2 : 1024;
                char **p = realloc(*v, c * sizeof(**v));

                if (p == NULL)
                        return false;
                *v = p;
                *cap = c;
        }
        (*v)[(*n)++] = name;
        return true;
}

static void build_names(void)
{
        char **v = NULL;
        size_t n = 0, cap = 0, out = 0;

        for (size_t a = 0; a < SW_ARRAY_SIZE(all_arches); a++) {
                for (size_t r = 0; r < SW_ARRAY_SIZE(ranges); r++) {
                        for (int nr = ranges[r].lo; nr < ranges[r].hi; nr++) {
                                char *s = seccomp_syscall_resolve_num_arch(
                                        all_arches[a].token, nr);

                                if (s && !add_name(&v, &n, &cap, s)) {
                                        free(s);
                                        goto done;
                                }
                        }
                }
        }
done:
        if (v == NULL)
                return;
        qsort(v, n, sizeof(*v), by_str);
        for (size_t i = 0; i < n; i++) {
                if (out > 0 && strcmp(v[out - 1], v[i]) == 0)
                        free(v[i]);
                else
                        v[out++] = v[i];
        }
        all_names = v;
        n_names = out;
}

/* The real name behind a spelling people use for it, or NULL. */
static const char *canonical(const char *name, char *buf, size_t size)
{
        static const char *const prefixes[] = {
                "__x64_sys_", "__arm64_sys_", "__ia32_sys_", "compat_sys_",
                "__NR_",      "SYS_",         "sys_",        "new",
        };

        for (size_t i = 0; i < SW_ARRAY_SIZE(prefixes); i++) {
                size_t len = strlen(prefixes[i]);

                if (strncmp(name, prefixes[i], len) != 0)
                        continue;
                snprintf(buf, size, "%s", name + len);
                if (sw_syscall_known(buf))
                        return buf;
        }
        snprintf(buf, size, "%s", name);
        for (char *p = buf; *p; p++)
                *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        return strcmp(buf, name) != 0 && sw_syscall_known(buf) ? buf : NULL;
}

/* The entry of all_names equal to s (a static string to hand out). */
static const char *interned(const char *s)
{
        char **hit =
                bsearch(&s, all_names, n_names, sizeof(*all_names), by_str);

        return hit ? *hit : NULL;
}

size_t sw_syscall_suggest(const char *name, const char **out, size_t max)
{
        char buf[128];
        const char *canon;
        size_t n = 0, best;

        pthread_once(&names_once, build_names);
        if (name == NULL || *name == '\0' || max == 0 || all_names == NULL)
                return 0;
        canon = canonical(name, buf, sizeof(buf));
        if (canon && interned(canon)) {
                out[0] = interned(canon);
                return 1;
        }

        /* Every name at the smallest distance, within tolerance. */
        best = strlen(name) <= 4 ? 1 : 2;
        for (size_t i = 0; i < n_names; i++) {
                size_t d = sw_edit_distance(name, all_names[i], best);

                if (d > best)
                        continue;
                if (d < best)
                        n = 0;
                best = d;
                if (n < max)
                        out[n++] = all_names[i];
        }
        return n;
}

/* ---- what to use where a name is absent ---- */

struct replacement {
        const char *name;
        const char *why; /* NULL: say "use X instead" */
        const char *use[3];
};

static const struct replacement replacements[] = {
        {"recv", "glibc's recv() calls recvfrom", {"recvfrom"}},
        {"send", "glibc's send() calls sendto", {"sendto"}},
        {"fstatat64",
         "fstatat64 is the 32-bit name of newfstatat",
         {"newfstatat"}},
        {"newfstatat",
         "newfstatat is the 64-bit name of fstatat64",
         {"fstatat64"}},
        {"stat",
         "glibc's stat() calls newfstatat there",
         {"newfstatat", "fstatat64", "statx"}},
        {"lstat",
         "glibc's lstat() calls newfstatat there",
         {"newfstatat", "fstatat64", "statx"}},
        {"stat64", NULL, {"newfstatat", "fstatat64"}},
        {"lstat64", NULL, {"newfstatat", "fstatat64"}},
        {"fstat64", NULL, {"fstat", "newfstatat"}},
        {"open", "glibc's open() calls openat there", {"openat"}},
        {"creat", "glibc's creat() calls openat there", {"openat"}},
        {"epoll_wait",
         "glibc's epoll_wait() calls epoll_pwait there",
         {"epoll_pwait"}},
        {"epoll_create",
         "glibc's epoll_create() calls epoll_create1 there",
         {"epoll_create1"}},
        {"readlink",
         "glibc's readlink() calls readlinkat there",
         {"readlinkat"}},
        {"access",
         "glibc's access() calls faccessat there",
         {"faccessat", "faccessat2"}},
        {"pipe", "glibc's pipe() calls pipe2 there", {"pipe2"}},
        {"dup2", "glibc's dup2() calls dup3 there", {"dup3"}},
        {"poll", "glibc's poll() calls ppoll there", {"ppoll"}},
        {"select", "glibc's select() calls pselect6 there", {"pselect6"}},
        {"_newselect", NULL, {"pselect6", "select"}},
        {"chmod", NULL, {"fchmodat"}},
        {"chown", NULL, {"fchownat"}},
        {"lchown", NULL, {"fchownat"}},
        {"mkdir", NULL, {"mkdirat"}},
        {"rmdir", NULL, {"unlinkat"}},
        {"unlink", NULL, {"unlinkat"}},
        {"rename", NULL, {"renameat", "renameat2"}},
        {"renameat", NULL, {"renameat2"}},
        {"link", NULL, {"linkat"}},
        {"symlink", NULL, {"symlinkat"}},
        {"mknod", NULL, {"mknodat"}},
        {"utime", NULL, {"utimensat"}},
        {"utimes", NULL, {"utimensat"}},
        {"futimesat", NULL, {"utimensat"}},
        {"getdents", NULL, {"getdents64"}},
        {"fork", "glibc's fork() calls clone there", {"clone"}},
        {"vfork", "glibc's vfork() calls clone there", {"clone"}},
        {"inotify_init", NULL, {"inotify_init1"}},
        {"eventfd", NULL, {"eventfd2"}},
        {"signalfd", NULL, {"signalfd4"}},
        {"alarm", NULL, {"setitimer"}},
        {"time",
         "time() is answered by the vDSO or clock_gettime",
         {"clock_gettime"}},
        {"getpgrp", NULL, {"getpgid"}},
        {"arch_prctl", "arch_prctl exists only on x86", {NULL}},
        {"iopl", "iopl exists only on x86", {NULL}},
        {"ioperm", "ioperm exists only on x86", {NULL}},
        {"modify_ldt", "modify_ldt exists only on x86", {NULL}},
        {"mmap2", NULL, {"mmap"}},
        {"mmap", NULL, {"mmap2"}},
        {"sendfile64", NULL, {"sendfile"}},
        {"fcntl64", NULL, {"fcntl"}},
        {"truncate64", NULL, {"truncate"}},
        {"ftruncate64", NULL, {"ftruncate"}},
        {"statfs64", NULL, {"statfs"}},
        {"fstatfs64", NULL, {"fstatfs"}},
        {"_llseek", NULL, {"lseek"}},
        {"ugetrlimit", NULL, {"getrlimit", "prlimit64"}},
        {"getrlimit", NULL, {"prlimit64"}},
        {"setrlimit", NULL, {"prlimit64"}},
        {"sigaction", NULL, {"rt_sigaction"}},
        {"signal", NULL, {"rt_sigaction"}},
        {"sigprocmask", NULL, {"rt_sigprocmask"}},
        {"sigreturn", NULL, {"rt_sigreturn"}},
        {"sigsuspend", NULL, {"rt_sigsuspend"}},
        {"sigpending", NULL, {"rt_sigpending"}},
        {"waitpid", NULL, {"wait4"}},
        {"umount", NULL, {"umount2"}},
        {"olduname", NULL, {"uname"}},
        {"oldolduname", NULL, {"uname"}},
        {"socketcall",
         "the socket functions are separate calls there",
         {"socket"}},
        {"ipc", "the System V IPC functions are separate calls there", {NULL}},
        {"getuid32", NULL, {"getuid"}},
        {"geteuid32", NULL, {"geteuid"}},
        {"getgid32", NULL, {"getgid"}},
        {"getegid32", NULL, {"getegid"}},
        {"clock_gettime64",
         "the *_time64 calls exist only on 32-bit "
         "architectures",
         {"clock_gettime"}},
        {"clock_settime64", NULL, {"clock_settime"}},
        {"clock_getres_time64", NULL, {"clock_getres"}},
        {"clock_nanosleep_time64", NULL, {"clock_nanosleep"}},
        {"clock_adjtime64", NULL, {"clock_adjtime"}},
        {"futex_time64", NULL, {"futex"}},
        {"ppoll_time64", NULL, {"ppoll"}},
        {"pselect6_time64", NULL, {"pselect6"}},
        {"recvmmsg_time64", NULL, {"recvmmsg"}},
        {"semtimedop_time64", NULL, {"semtimedop"}},
        {"rt_sigtimedwait_time64", NULL, {"rt_sigtimedwait"}},
        {"utimensat_time64", NULL, {"utimensat"}},
        {"timerfd_settime64", NULL, {"timerfd_settime"}},
        {"timerfd_gettime64", NULL, {"timerfd_gettime"}},
        {"timer_settime64", NULL, {"timer_settime"}},
        {"timer_gettime64", NULL, {"timer_gettime"}},
        {"mq_timedsend_time64", NULL, {"mq_timedsend"}},
        {"mq_timedreceive_time64", NULL, {"mq_timedreceive"}},
        {"io_pgetevents_time64", NULL, {"io_pgetevents"}},
        {"sched_rr_get_interval_time64", NULL, {"sched_rr_get_interval"}},
};

bool sw_syscall_replacement(uint32_t arch, const char *name, const char **use,
                            const char **why)
{
        *use = NULL;
        *why = NULL;
        for (size_t i = 0; i < SW_ARRAY_SIZE(replacements); i++) {
                const struct replacement *r = &replacements[i];

                if (strcmp(r->name, name) != 0)
                        continue;
                *why = r->why;
                for (size_t j = 0; j < 3 && r->use[j]; j++) {
                        if (sw_syscall_number(arch, r->use[j]) >= 0) {
                                *use = r->use[j];
                                break;
                        }
                }
                return true;
        }
        return false;
}
