/*
 * learn.c - turn what the tracer saw into a whitelist (P1.2), or extend
 * an existing one with it.
 *
 * The proposals are conservative on purpose: the learned whitelist must
 * let the same program with the same input run on the first try.  A
 * condition is proposed only where the values seen are few (a handful of
 * socket kinds, prctl options, ioctl requests, clone flag sets, ports);
 * past that the call is plainly allowed, and the description says why.
 */
#include "trace.h"

#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Most distinct values a condition list may be built from, per kind. */
#define MAX_SOCKET_KINDS   6
#define MAX_PRCTL_OPTIONS  8
#define MAX_IOCTL_REQUESTS 12
#define MAX_CLONE_FLAGS    4
#define MAX_PORTS          8

#define PROT_EXEC_BIT  0x4
#define SOCK_TYPE_MASK 0xf

struct cat_entry {
        const char *name;
        const char *cat;
};

/* Category of the calls we know; anything else is "misc". */
static const struct cat_entry categories[] = {
        /* memory */
        {"brk", "memory"},
        {"mmap", "memory"},
        {"munmap", "memory"},
        {"mprotect", "memory"},
        {"madvise", "memory"},
        {"mremap", "memory"},
        {"msync", "memory"},
        {"mlock", "memory"},
        {"mlock2", "memory"},
        {"munlock", "memory"},
        {"mlockall", "memory"},
        {"munlockall", "memory"},
        {"mincore", "memory"},
        {"membarrier", "memory"},
        {"pkey_alloc", "memory"},
        {"pkey_free", "memory"},
        {"pkey_mprotect", "memory"},
        {"memfd_create", "memory"},
        {"mbind", "memory"},
        {"get_mempolicy", "memory"},
        {"set_mempolicy", "memory"},
        {"shmget", "memory"},
        {"shmat", "memory"},
        {"shmdt", "memory"},
        {"shmctl", "memory"},
        /* file_io */
        {"read", "file_io"},
        {"write", "file_io"},
        {"open", "file_io"},
        {"openat", "file_io"},
        {"openat2", "file_io"},
        {"creat", "file_io"},
        {"close", "file_io"},
        {"close_range", "file_io"},
        {"pread64", "file_io"},
        {"pwrite64", "file_io"},
        {"readv", "file_io"},
        {"writev", "file_io"},
        {"preadv", "file_io"},
        {"pwritev", "file_io"},
        {"preadv2", "file_io"},
        {"pwritev2", "file_io"},
        {"lseek", "file_io"},
        {"stat", "file_io"},
        {"fstat", "file_io"},
        {"lstat", "file_io"},
        {"newfstatat", "file_io"},
        {"statx", "file_io"},
        {"statfs", "file_io"},
        {"fstatfs", "file_io"},
        {"access", "file_io"},
        {"faccessat", "file_io"},
        {"faccessat2", "file_io"},
        {"readlink", "file_io"},
        {"readlinkat", "file_io"},
        {"getdents", "file_io"},
        {"getdents64", "file_io"},
        {"fcntl", "file_io"},
        {"ioctl", "file_io"},
        {"dup", "file_io"},
        {"dup2", "file_io"},
        {"dup3", "file_io"},
        {"pipe", "file_io"},
        {"pipe2", "file_io"},
        {"mkdir", "file_io"},
        {"mkdirat", "file_io"},
        {"rmdir", "file_io"},
        {"unlink", "file_io"},
        {"unlinkat", "file_io"},
        {"rename", "file_io"},
        {"renameat", "file_io"},
        {"renameat2", "file_io"},
        {"link", "file_io"},
        {"linkat", "file_io"},
        {"symlink", "file_io"},
        {"symlinkat", "file_io"},
        {"chmod", "file_io"},
        {"fchmod", "file_io"},
        {"fchmodat", "file_io"},
        {"chown", "file_io"},
        {"fchown", "file_io"},
        {"lchown", "file_io"},
        {"fchownat", "file_io"},
        {"truncate", "file_io"},
        {"ftruncate", "file_io"},
        {"fsync", "file_io"},
        {"fdatasync", "file_io"},
        {"sync", "file_io"},
        {"syncfs", "file_io"},
        {"fallocate", "file_io"},
        {"fadvise64", "file_io"},
        {"readahead", "file_io"},
        {"getcwd", "file_io"},
        {"chdir", "file_io"},
        {"fchdir", "file_io"},
        {"flock", "file_io"},
        {"sendfile", "file_io"},
        {"splice", "file_io"},
        {"tee", "file_io"},
        {"copy_file_range", "file_io"},
        {"umask", "file_io"},
        {"utime", "file_io"},
        {"utimes", "file_io"},
        {"utimensat", "file_io"},
        {"mknod", "file_io"},
        {"mknodat", "file_io"},
        {"poll", "file_io"},
        {"ppoll", "file_io"},
        {"select", "file_io"},
        {"pselect6", "file_io"},
        {"inotify_init1", "file_io"},
        {"inotify_add_watch", "file_io"},
        {"inotify_rm_watch", "file_io"},
        {"getxattr", "file_io"},
        {"lgetxattr", "file_io"},
        {"fgetxattr", "file_io"},
        {"listxattr", "file_io"},
        {"llistxattr", "file_io"},
        {"flistxattr", "file_io"},
        {"setxattr", "file_io"},
        {"fsetxattr", "file_io"},
        /* network */
        {"socket", "network"},
        {"socketpair", "network"},
        {"connect", "network"},
        {"bind", "network"},
        {"listen", "network"},
        {"accept", "network"},
        {"accept4", "network"},
        {"sendto", "network"},
        {"recvfrom", "network"},
        {"sendmsg", "network"},
        {"recvmsg", "network"},
        {"sendmmsg", "network"},
        {"recvmmsg", "network"},
        {"shutdown", "network"},
        {"getsockname", "network"},
        {"getpeername", "network"},
        {"setsockopt", "network"},
        {"getsockopt", "network"},
        /* time */
        {"clock_gettime", "time"},
        {"clock_getres", "time"},
        {"clock_nanosleep", "time"},
        {"nanosleep", "time"},
        {"gettimeofday", "time"},
        {"time", "time"},
        {"times", "time"},
        {"alarm", "time"},
        {"getitimer", "time"},
        {"setitimer", "time"},
        {"timer_create", "time"},
        {"timer_settime", "time"},
        {"timer_gettime", "time"},
        {"timer_getoverrun", "time"},
        {"timer_delete", "time"},
        {"timerfd_create", "time"},
        {"timerfd_settime", "time"},
        {"timerfd_gettime", "time"},
        /* signals */
        {"rt_sigaction", "signals"},
        {"rt_sigprocmask", "signals"},
        {"rt_sigreturn", "signals"},
        {"rt_sigsuspend", "signals"},
        {"rt_sigpending", "signals"},
        {"rt_sigtimedwait", "signals"},
        {"rt_sigqueueinfo", "signals"},
        {"rt_tgsigqueueinfo", "signals"},
        {"sigaltstack", "signals"},
        {"kill", "signals"},
        {"tkill", "signals"},
        {"tgkill", "signals"},
        {"signalfd", "signals"},
        {"signalfd4", "signals"},
        {"pause", "signals"},
        {"pidfd_send_signal", "signals"},
        /* process */
        {"execve", "process"},
        {"execveat", "process"},
        {"exit", "process"},
        {"exit_group", "process"},
        {"clone", "process"},
        {"clone3", "process"},
        {"fork", "process"},
        {"vfork", "process"},
        {"wait4", "process"},
        {"waitid", "process"},
        {"getpid", "process"},
        {"getppid", "process"},
        {"gettid", "process"},
        {"getuid", "process"},
        {"geteuid", "process"},
        {"getgid", "process"},
        {"getegid", "process"},
        {"getresuid", "process"},
        {"getresgid", "process"},
        {"getgroups", "process"},
        {"setuid", "process"},
        {"setgid", "process"},
        {"setresuid", "process"},
        {"setresgid", "process"},
        {"setgroups", "process"},
        {"setsid", "process"},
        {"setpgid", "process"},
        {"getpgid", "process"},
        {"getpgrp", "process"},
        {"getsid", "process"},
        {"set_tid_address", "process"},
        {"set_robust_list", "process"},
        {"get_robust_list", "process"},
        {"rseq", "process"},
        {"arch_prctl", "process"},
        {"prctl", "process"},
        {"prlimit64", "process"},
        {"getrlimit", "process"},
        {"setrlimit", "process"},
        {"getrusage", "process"},
        {"futex", "process"},
        {"futex_waitv", "process"},
        {"sched_yield", "process"},
        {"sched_getaffinity", "process"},
        {"sched_setaffinity", "process"},
        {"sched_getparam", "process"},
        {"sched_setparam", "process"},
        {"sched_getscheduler", "process"},
        {"sched_setscheduler", "process"},
        {"sched_get_priority_max", "process"},
        {"sched_get_priority_min", "process"},
        {"capget", "process"},
        {"capset", "process"},
        {"getpriority", "process"},
        {"setpriority", "process"},
        {"pidfd_open", "process"},
        {"pidfd_getfd", "process"},
        {"personality", "process"},
        {"unshare", "process"},
        {"setns", "process"},
        {"ptrace", "process"},
        {"process_vm_readv", "process"},
        {"process_vm_writev", "process"},
        {"kcmp", "process"},
        /* what an epoll event loop (tokio, libuv) stands on */
        {"epoll_create", "tokio_runtime"},
        {"epoll_create1", "tokio_runtime"},
        {"epoll_ctl", "tokio_runtime"},
        {"epoll_wait", "tokio_runtime"},
        {"epoll_pwait", "tokio_runtime"},
        {"epoll_pwait2", "tokio_runtime"},
        {"eventfd", "tokio_runtime"},
        {"eventfd2", "tokio_runtime"},
};

/* A few names for descriptions; the numbers are what the rule holds. */
struct named_value {
        uint64_t value;
        const char *name;
};

static const struct named_value families[] = {
        {1, "AF_UNIX"},     {2, "AF_INET"},    {10, "AF_INET6"},
        {16, "AF_NETLINK"}, {17, "AF_PACKET"},
};

static const struct named_value sock_types[] = {
        {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"},     {3, "SOCK_RAW"},
        {4, "SOCK_RDM"},    {5, "SOCK_SEQPACKET"},
};

static const struct named_value prctl_options[] = {
        {1, "PR_SET_PDEATHSIG"},
        {2, "PR_GET_PDEATHSIG"},
        {3, "PR_GET_DUMPABLE"},
        {4, "PR_SET_DUMPABLE"},
        {15, "PR_SET_NAME"},
        {16, "PR_GET_NAME"},
        {22, "PR_SET_SECCOMP"},
        {23, "PR_CAPBSET_READ"},
        {36, "PR_SET_CHILD_SUBREAPER"},
        {38, "PR_SET_NO_NEW_PRIVS"},
        {39, "PR_GET_NO_NEW_PRIVS"},
        {47, "PR_CAP_AMBIENT"},
        {0x53564d41, "PR_SET_VMA"},
};

static const struct named_value ioctl_requests[] = {
        {0x5401, "TCGETS"},    {0x5402, "TCSETS"},    {0x5403, "TCSETSW"},
        {0x540f, "TIOCGPGRP"}, {0x5410, "TIOCSPGRP"}, {0x5413, "TIOCGWINSZ"},
        {0x541b, "FIONREAD"},  {0x5421, "FIONBIO"},   {0x5450, "FIONCLEX"},
        {0x5451, "FIOCLEX"},   {0x5452, "FIOASYNC"},  {0x80045430, "TIOCGPTN"},
};

static const char *category_of(const char *name)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(categories); i++)
                if (strcmp(categories[i].name, name) == 0)
                        return categories[i].cat;
        return "misc";
}

static const char *value_name(const struct named_value *tab, size_t n,
                              uint64_t v)
{
        for (size_t i = 0; i < n; i++)
                if (tab[i].value == v)
                        return tab[i].name;
        return NULL;
}

#define NAME_OF(tab, v) value_name(tab, SW_ARRAY_SIZE(tab), v)

/* Numbers that read better in hex (flags, requests) become strings. */
static json_t *jvalue(uint64_t v, bool hex)
{
        char buf[24];

        if (!hex && v <= 0x7fffffff)
                return json_integer((json_int_t)v);
        snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
        return json_string(buf);
}

/* An argument filter; mask is used by masked_eq only. */
static json_t *argf(unsigned idx, const char *op, uint64_t value, uint64_t mask,
                    unsigned width, bool hex)
{
        json_t *o = json_object();
        bool masked = strcmp(op, "masked_eq") == 0;

        if (o == NULL ||
            json_object_set_new(o, "arg_index", json_integer(idx)) ||
            json_object_set_new(o, "operator", json_string(op)) ||
            json_object_set_new(o, "value", jvalue(value, hex)) ||
            (masked && json_object_set_new(o, "mask", jvalue(mask, true))) ||
            json_object_set_new(o, "width", json_integer(width))) {
                json_decref(o);
                return NULL;
        }
        return o;
}

/* A condition holding one filter or an array of them (stolen). */
static json_t *cond(const char *desc, json_t *filters)
{
        return json_pack("{s:s, s:o}", "description", desc, "argument_filter",
                         filters);
}

/* Append a new reference; false (and the reference dropped) on OOM. */
static bool push(json_t *arr, json_t *item)
{
        return item != NULL && json_array_append_new(arr, item) == 0;
}

static const char *or_hex(const char *name, uint64_t v, char *buf, size_t len)
{
        if (name)
                return name;
        snprintf(buf, len, "0x%llx", (unsigned long long)v);
        return buf;
}

static bool socket_conds(const struct sw_seen *s, json_t *conds)
{
        for (size_t i = 0; i < s->vals.n; i++) {
                uint64_t fam = s->vals.v[i] >> 32;
                uint64_t type = s->vals.v[i] & SOCK_TYPE_MASK;
                char b1[24], b2[24];
                char *desc = sw_asprintf(
                        "%s %s (seen)",
                        or_hex(NAME_OF(families, fam), fam, b1, sizeof(b1)),
                        or_hex(NAME_OF(sock_types, type), type, b2,
                               sizeof(b2)));
                json_t *f = json_pack(
                        "[o, o]", argf(0, "eq", fam, 0, 32, false),
                        argf(1, "masked_eq", type, SOCK_TYPE_MASK, 32, false));
                bool ok = desc && f && push(conds, cond(desc, f));

                free(desc);
                if (!ok)
                        return false;
        }
        return true;
}

/* One equality condition per value seen of argument idx. */
static bool eq_conds(const struct sw_seen *s, json_t *conds,
                     const struct named_value *tab, size_t ntab, unsigned idx,
                     unsigned width, bool hex)
{
        for (size_t i = 0; i < s->vals.n; i++) {
                uint64_t v = s->vals.v[i];
                const char *name = value_name(tab, ntab, v);
                char *desc = name ? sw_asprintf("%s (seen)", name)
                                  : sw_asprintf("0x%llx (seen)",
                                                (unsigned long long)v);
                bool ok = desc && push(conds, cond(desc, argf(idx, "eq", v, 0,
                                                              width, hex)));

                free(desc);
                if (!ok)
                        return false;
        }
        return true;
}

static const char *clone_kind(uint64_t flags)
{
        if (flags & CLONE_THREAD)
                return "a thread";
        if (flags & CLONE_VFORK)
                return "vfork";
        return "fork";
}

static bool clone_conds(const struct sw_seen *s, json_t *conds)
{
        for (size_t i = 0; i < s->vals.n; i++) {
                uint64_t v = s->vals.v[i];
                char *desc = sw_asprintf("%s, flags 0x%llx (seen)",
                                         clone_kind(v), (unsigned long long)v);
                bool ok =
                        desc &&
                        push(conds, cond(desc, argf(0, "eq", v, 0, 64, true)));

                free(desc);
                if (!ok)
                        return false;
        }
        return true;
}

static int cmp_u64(const void *pa, const void *pb)
{
        uint64_t a = *(const uint64_t *)pa;
        uint64_t b = *(const uint64_t *)pb;

        return a < b ? -1 : a > b;
}

static json_t *port_restriction(const struct sw_seen *s)
{
        uint64_t ports[SW_TRACE_MAX_VALUES];
        json_t *pr = json_object();
        json_t *list = json_array();
        json_t *fams = json_array();
        bool ok = pr && list && fams;

        memcpy(ports, s->ports.v, s->ports.n * sizeof(ports[0]));
        qsort(ports, s->ports.n, sizeof(ports[0]), cmp_u64);
        for (size_t i = 0; ok && i < s->ports.n; i++)
                ok = push(list, json_integer((json_int_t)ports[i]));
        if (ok && (s->families & SW_FAM_UNIX))
                ok = push(fams, json_string("AF_UNIX"));
        if (ok && (s->families & SW_FAM_NETLINK))
                ok = push(fams, json_string("AF_NETLINK"));
        ok = ok && json_object_set(pr, "allowed_ports", list) == 0;
        if (ok && json_array_size(fams))
                ok = json_object_set(pr, "allowed_families", fams) == 0;
        json_decref(list);
        json_decref(fams);
        if (!ok) {
                json_decref(pr);
                return NULL;
        }
        return pr;
}

static bool port_conds(const struct sw_seen *s, json_t *conds)
{
        json_t *pr = port_restriction(s);
        char *desc = NULL;
        bool ok = pr != NULL;

        /* A connected socket sends without an address: let that through. */
        if (ok && s->no_addr)
                ok = push(conds, cond("no address: a connected socket (seen)",
                                      argf(4, "eq", 0, 0, 64, false)));
        if (ok) {
                char *ports = json_dumps(json_object_get(pr, "allowed_ports"),
                                         JSON_COMPACT);

                desc = ports ? sw_asprintf("ports %s%s (seen)", ports,
                                           s->families ? " and local sockets"
                                                       : "")
                             : NULL;
                free(ports);
                ok = desc &&
                     push(conds, json_pack("{s:s, s:O}", "description", desc,
                                           "port_restriction", pr));
        }
        free(desc);
        json_decref(pr);
        return ok;
}

/* What learn proposes for one call. */
struct proposal {
        json_t *conds;          /* NULL: plain ALLOW */
        const char *errno_name; /* for CONDITIONAL */
        char why[160];          /* why no condition, for the description */
};

/* True (and why filled in) when the values are too many for conditions. */
static bool too_many(const struct sw_seen *s, size_t max, const char *what,
                     struct proposal *p)
{
        if (!s->vals.overflow && s->vals.n <= max)
                return false;
        snprintf(p->why, sizeof(p->why),
                 "; %s%zu %s seen, too many for a stable condition",
                 s->vals.overflow ? "over " : "", s->vals.n, what);
        return true;
}

/* True (and why filled in) when the addresses allow no port rule. */
static bool no_ports(const struct sw_seen *s, struct proposal *p)
{
        const char *why = NULL;

        if (s->odd_addr)
                why = "; port 0 or an address without a port seen";
        else if (s->ports.overflow || s->ports.n > MAX_PORTS)
                why = "; too many ports seen for a stable condition";
        else if (s->ports.n == 0)
                why = "; no port seen, only local sockets";
        else if (s->kind == SW_KIND_SENDMSG && s->no_addr)
                why = "; sent without an address, which a port restriction "
                      "on sendmsg cannot tell apart";
        if (why)
                snprintf(p->why, sizeof(p->why), "%s", why);
        return why != NULL;
}

static bool prot_conds(const struct sw_seen *s, struct proposal *p)
{
        if (s->prot_or & PROT_EXEC_BIT) {
                snprintf(p->why, sizeof(p->why), "; PROT_EXEC seen");
                return true;
        }
        p->errno_name = "EACCES";
        p->conds = json_array();
        return p->conds &&
               push(p->conds,
                    cond("never executable: PROT_EXEC not seen",
                         argf(2, "masked_eq", 0, PROT_EXEC_BIT, 32, false)));
}

/* Conditions for one call, or why none; false on OOM. */
static bool propose(const struct sw_seen *s, struct proposal *p)
{
        switch (s->kind) {
        case SW_KIND_PLAIN:
        case SW_KIND_CLONE3: /* judged with clone: clone_pair() */
                return true;
        case SW_KIND_PROT:
                return prot_conds(s, p);
        case SW_KIND_SOCKET:
                if (too_many(s, MAX_SOCKET_KINDS, "socket kinds", p))
                        return true;
                p->errno_name = "EAFNOSUPPORT";
                return (p->conds = json_array()) && socket_conds(s, p->conds);
        case SW_KIND_PRCTL:
                if (too_many(s, MAX_PRCTL_OPTIONS, "options", p))
                        return true;
                p->errno_name = "EINVAL";
                return (p->conds = json_array()) &&
                       eq_conds(s, p->conds, prctl_options,
                                SW_ARRAY_SIZE(prctl_options), 0, 32, false);
        case SW_KIND_IOCTL:
                if (too_many(s, MAX_IOCTL_REQUESTS, "requests", p))
                        return true;
                p->errno_name = "ENOTTY";
                return (p->conds = json_array()) &&
                       eq_conds(s, p->conds, ioctl_requests,
                                SW_ARRAY_SIZE(ioctl_requests), 1, 32, true);
        case SW_KIND_CLONE:
                if (too_many(s, MAX_CLONE_FLAGS, "flag sets", p))
                        return true;
                p->errno_name = "EPERM";
                return (p->conds = json_array()) && clone_conds(s, p->conds);
        case SW_KIND_ADDR:
        case SW_KIND_SENDTO:
        case SW_KIND_SENDMSG:
                if (no_ports(s, p))
                        return true;
                p->errno_name = "EACCES";
                return (p->conds = json_array()) && port_conds(s, p->conds);
        }
        return true;
}

static bool is_tokio(const char *name)
{
        return strncmp(name, "epoll_", 6) == 0 ||
               strncmp(name, "eventfd", 7) == 0;
}

/* The rule for a call; desc_extra may be "" or "; why". */
static json_t *make_rule(const char *name, uint64_t hits, unsigned flags,
                         const struct sw_seen *s)
{
        struct proposal p = {NULL, NULL, ""};
        json_t *r = json_object();
        char *desc = NULL;
        bool ok = r != NULL;

        if (ok && s && !(flags & SW_LEARN_NAMES_ONLY))
                ok = propose(s, &p);
        if (ok && s)
                desc = sw_asprintf("learned: called %llu time%s%s",
                                   (unsigned long long)hits,
                                   hits == 1 ? "" : "s", p.why);
        ok = ok && json_object_set_new(r, "name", json_string(name)) == 0 &&
             json_object_set_new(
                     r, "permission",
                     json_string(p.conds ? "CONDITIONAL" : "ALLOW")) == 0 &&
             json_object_set_new(r, "category",
                                 json_string(category_of(name))) == 0;
        if (ok && is_tokio(name))
                ok = json_object_set_new(r, "tokio_required", json_true()) == 0;
        if (ok && desc)
                ok = json_object_set_new(r, "description", json_string(desc)) ==
                     0;
        if (ok && p.conds)
                ok = json_object_set_new(r, "errno",
                                         json_string(p.errno_name)) == 0 &&
                     json_object_set(r, "conditions", p.conds) == 0;
        free(desc);
        json_decref(p.conds);
        if (!ok) {
                json_decref(r);
                return NULL;
        }
        return r;
}

/* Calls whose appearance depends on timing, added so a rerun survives. */
struct extra {
        const char *name;
        bool threads_only;
        const char *why;
};

static const struct extra extras[] = {
        {"rt_sigreturn", false,
         "added by learn: every signal handler returns through it, and "
         "whether a signal arrives is a matter of timing"},
        {"restart_syscall", false,
         "added by learn: the kernel resumes a sleep interrupted by a "
         "signal through it, a matter of timing"},
        {"futex", true,
         "added by learn: threads call it only when they happen to wait "
         "for each other, a matter of timing"},
        {"sched_yield", true,
         "added by learn: spinning locks yield only when they happen to "
         "contend, a matter of timing"},
};

static bool add_extras(const sw_trace *t, unsigned flags, json_t *rules)
{
        for (size_t i = 0; i < SW_ARRAY_SIZE(extras); i++) {
                json_t *r;

                if ((extras[i].threads_only && !t->threads) ||
                    sw_doc_rule(rules, extras[i].name, NULL))
                        continue;
                r = make_rule(extras[i].name, 0, flags, NULL);
                if (!push(rules, r) ||
                    json_object_set_new(r, "description",
                                        json_string(extras[i].why)))
                        return false;
        }
        return true;
}

/* Calls that cannot become rules, said once in the report. */
static bool listable(const struct sw_seen *s, uint32_t target, sw_report *rep)
{
        if (s->foreign) {
                sw_report_add(rep, SW_SEV_WARNING, SW_EPERM, "learn-foreign", 0,
                              0, "", NULL,
                              "'%s' was called %llu time%s through a foreign "
                              "ABI (i386 int 0x80 or x32); every syswall "
                              "filter kills such calls",
                              s->name, (unsigned long long)s->hits,
                              s->hits == 1 ? "" : "s");
                return false;
        }
        if (!s->named) {
                sw_report_add(rep, SW_SEV_WARNING, SW_ENOENT, "learn-unknown",
                              0, 0, "", NULL,
                              "system call %d has no name in libseccomp; it "
                              "cannot be listed",
                              s->nr);
                return false;
        }
        if (seccomp_syscall_resolve_name_arch(target, s->name) < 0) {
                sw_report_add(rep, SW_SEV_WARNING, SW_ENOENT, "learn-absent", 0,
                              0, "", NULL,
                              "'%s' is no system call on %s; left out", s->name,
                              sw_arch_name(target));
                return false;
        }
        return true;
}

static int cmp_rule(const void *pa, const void *pb)
{
        json_t *a = *(json_t *const *)pa;
        json_t *b = *(json_t *const *)pb;

        return strcmp(json_string_value(json_object_get(a, "name")),
                      json_string_value(json_object_get(b, "name")));
}

/* Sort an array of rules by name, in place. */
static bool sort_rules(json_t *rules)
{
        size_t n = json_array_size(rules);
        json_t **v = calloc(n ? n : 1, sizeof(json_t *));
        bool ok = v != NULL;

        for (size_t i = 0; ok && i < n; i++)
                v[i] = json_incref(json_array_get(rules, i));
        if (ok) {
                qsort(v, n, sizeof(json_t *), cmp_rule);
                json_array_clear(rules);
        }
        for (size_t i = 0; ok && i < n; i++)
                ok = json_array_append_new(rules, v[i]) == 0;
        free(v);
        return ok;
}

static const struct sw_seen *find_seen(const sw_trace *t, const char *name)
{
        for (size_t i = 0; i < t->ncalls; i++)
                if (!t->calls[i].foreign && t->calls[i].named &&
                    strcmp(t->calls[i].name, name) == 0)
                        return &t->calls[i];
        return NULL;
}

/* Add one set of values to another; false once they are too many. */
static bool merge_vals(struct sw_valset *to, const struct sw_valset *from,
                       size_t max)
{
        if (from->overflow)
                return false;
        for (size_t i = 0; i < from->n; i++) {
                size_t j = 0;

                while (j < to->n && to->v[j] != from->v[i])
                        j++;
                if (j < to->n)
                        continue;
                if (to->n == max)
                        return false;
                to->v[to->n++] = from->v[i];
        }
        return true;
}

/*
 * clone3 takes its flags in a struct behind a pointer, where no filter
 * can read them, so a condition on clone beside an allowed clone3 would
 * be moot.  When the flag sets seen in both are few, clone gets them all
 * as its conditions and clone3 is denied with ENOSYS: glibc (2.34+)
 * then falls back to clone with the same flags, as under Docker's
 * default profile.  Fills *merged (clone's entry) and returns clone3's
 * entry, or NULL when the two stay as they are.
 */
static const struct sw_seen *clone_pair(const sw_trace *t, uint32_t target,
                                        unsigned flags, struct sw_seen *merged)
{
        const struct sw_seen *c = find_seen(t, "clone");
        const struct sw_seen *c3 = find_seen(t, "clone3");

        if (c3 == NULL || (flags & SW_LEARN_NAMES_ONLY) ||
            seccomp_syscall_resolve_name_arch(target, "clone") < 0 ||
            seccomp_syscall_resolve_name_arch(target, "clone3") < 0)
                return NULL;
        memset(merged, 0, sizeof(*merged));
        merged->kind = SW_KIND_CLONE;
        merged->hits = c ? c->hits : 0;
        if ((c && !merge_vals(&merged->vals, &c->vals, MAX_CLONE_FLAGS)) ||
            !merge_vals(&merged->vals, &c3->vals, MAX_CLONE_FLAGS))
                return NULL;
        return c3;
}

/* clone3's rule: DENY with ENOSYS, saying why; NULL on OOM. */
static json_t *clone3_denied(uint64_t hits)
{
        char *desc = sw_asprintf(
                "learned: called %llu time%s; denied with ENOSYS so that "
                "glibc falls back to clone, whose flags a filter can read "
                "(clone3's sit behind a pointer); the flags seen are "
                "clone's conditions",
                (unsigned long long)hits, hits == 1 ? "" : "s");
        json_t *r =
                desc ? json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "clone3",
                                 "permission", "DENY", "errno", "ENOSYS",
                                 "category", "process", "description", desc)
                     : NULL;

        free(desc);
        return r;
}

/* The rules for clone (with clone3's flags) and clone3 (ENOSYS). */
static bool push_clone_pair(json_t *rules, const struct sw_seen *merged,
                            const struct sw_seen *c3, unsigned flags,
                            sw_report *rep)
{
        json_t *clone = make_rule("clone", merged->hits, flags, merged);

        if (!push(rules, clone) || !push(rules, clone3_denied(c3->hits)))
                return false;

        /* Only clone3 was seen: clone is there as its fallback. */
        if (merged->hits == 0 &&
            json_object_set_new(clone, "description",
                                json_string("added by learn: the fallback "
                                            "of clone3, with the flags "
                                            "clone3 was called with")))
                return false;
        sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS, "learn-clone3", 0, 0, "",
                      NULL,
                      "clone3 (called %llu time%s) is denied with ENOSYS and "
                      "its flags are allowed in clone's conditions: glibc "
                      "falls back to clone, whose flags the filter can read",
                      (unsigned long long)c3->hits, c3->hits == 1 ? "" : "s");
        return true;
}

static json_t *learned_rules(const sw_trace *t, uint32_t target, unsigned flags,
                             sw_report *rep)
{
        json_t *rules = json_array();
        bool ok = rules != NULL;
        struct sw_seen merged;
        const struct sw_seen *c3 = clone_pair(t, target, flags, &merged);

        for (size_t i = 0; ok && i < t->ncalls; i++) {
                const struct sw_seen *s = &t->calls[i];

                if (c3 && (s == c3 || s == find_seen(t, "clone")))
                        continue;
                if (listable(s, target, rep))
                        ok = push(rules, make_rule(s->name, s->hits, flags, s));
        }
        if (ok && c3)
                ok = push_clone_pair(rules, &merged, c3, flags, rep);
        if (ok && !(flags & SW_LEARN_SEEN_ONLY))
                ok = add_extras(t, flags, rules);
        ok = ok && sort_rules(rules);
        if (!ok) {
                json_decref(rules);
                return NULL;
        }
        return rules;
}

static bool now_rfc3339(char *buf, size_t len)
{
        time_t now = time(NULL);
        struct tm tm;

        return gmtime_r(&now, &tm) &&
               strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

/* "learned.<command>", kept to the characters whitelist_id allows. */
static char *default_id(const sw_trace *t)
{
        const char *cmd = strrchr(t->argv[0], '/');
        char *id;

        cmd = cmd ? cmd + 1 : t->argv[0];
        id = sw_asprintf("learned.%.100s", *cmd ? cmd : "command");
        for (char *p = id; p && *p; p++)
                if (!strchr("abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-",
                            *p))
                        *p = '_';
        return id;
}

static json_t *metadata(const sw_trace *t)
{
        json_t *cmd = json_array();
        bool ok = cmd != NULL;

        for (size_t i = 0; ok && t->argv[i]; i++)
                ok = push(cmd, json_string(t->argv[i]));
        if (!ok) {
                json_decref(cmd);
                return NULL;
        }
        return json_pack("{s:s, s:o, s:I, s:I}", "generator",
                         "syswall learn " SYSWALL_VERSION_STRING, "command",
                         cmd, "calls_recorded", (json_int_t)t->total,
                         "tasks_traced", (json_int_t)t->nprocs);
}

static json_t *new_document(const sw_trace *t, const sw_config *cfg,
                            const char *id, json_t *rules)
{
        char now[32];
        char *def = id ? NULL : default_id(t);
        json_t *doc = NULL;

        if ((id || def) && now_rfc3339(now, sizeof(now)))
                doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:O}",
                                "schema_version", "1.0", "whitelist_id",
                                id ? id : def, "created_at", now, "created_by",
                                cfg->authority, "metadata", metadata(t),
                                "syscalls", rules);
        free(def);
        return doc;
}

static json_t *conditions_array(json_t *rule)
{
        json_t *c = json_object_get(rule, "conditions");

        if (json_is_array(c))
                return c;
        c = json_is_object(c) ? json_pack("[O]", c) : json_array();
        if (c == NULL || json_object_set_new(rule, "conditions", c))
                return NULL;
        return c;
}

static bool has_equal(json_t *arr, json_t *item)
{
        size_t i;
        json_t *v;

        json_array_foreach(arr, i, v) if (json_equal(v, item)) return true;
        return false;
}

/* Extend an existing CONDITIONAL rule with what learn proposes. */
static bool merge_conditional(json_t *old, json_t *learned, size_t idx,
                              sw_report *rep)
{
        const char *name = json_string_value(json_object_get(old, "name"));
        json_t *add = json_object_get(learned, "conditions");
        json_t *have;
        size_t i;
        json_t *c;

        if (add == NULL) {
                /* Seen values that fit no stable condition: allow. */
                json_object_set_new(old, "permission", json_string("ALLOW"));
                json_object_del(old, "conditions");
                json_object_del(old, "errno");
                sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS, "learn-widened", 0,
                              0, "", NULL,
                              "syscalls[%zu] '%s': CONDITIONAL widened to "
                              "ALLOW (the values seen fit no stable "
                              "condition)",
                              idx, name);
                return true;
        }
        if ((have = conditions_array(old)) == NULL)
                return false;
        json_array_foreach(add, i, c)
        {
                if (has_equal(have, c))
                        continue;
                if (json_array_append(have, c))
                        return false;
                sw_report_add(
                        rep, SW_SEV_NOTE, SW_SUCCESS, "learn-condition", 0, 0,
                        "", NULL, "syscalls[%zu] '%s': condition added: %s",
                        idx, name,
                        json_string_value(json_object_get(c, "description")));
        }
        return true;
}

static bool merge_rule(json_t *rules, json_t *learned, sw_report *rep)
{
        const char *name = json_string_value(json_object_get(learned, "name"));
        size_t idx;
        json_t *old = sw_doc_rule(rules, name, &idx);
        const char *perm;

        if (old == NULL) {
                sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS, "learn-added", 0, 0,
                              "", NULL, "syscalls[%zu] '%s' added (%s)",
                              json_array_size(rules), name,
                              json_string_value(
                                      json_object_get(learned, "permission")));
                return json_array_append(rules, learned) == 0;
        }
        perm = json_string_value(json_object_get(old, "permission"));
        if (perm && strcmp(perm, "DENY") == 0)
                sw_report_add(rep, SW_SEV_WARNING, SW_SUCCESS, "learn-denied",
                              0, 0, "", NULL,
                              "syscalls[%zu] '%s' was called but the "
                              "whitelist denies it; kept DENY",
                              idx, name);
        if (perm && strcmp(perm, "CONDITIONAL") == 0)
                return merge_conditional(old, learned, idx, rep);
        return true;
}

static sw_code load_existing(const char *path, json_t **doc, sw_error **err)
{
        json_error_t jerr;
        struct stat st;
        char *text = NULL;
        size_t len = 0;
        sw_code rc;

        *doc = NULL;
        rc = sw_read_text_file(path, (size_t)SW_MAX_DOCUMENT_SIZE, &text, &len,
                               &st, err);
        if (rc != SW_SUCCESS)
                return rc;
        /* jansson's own file reader would parse without the guard. */
        rc = sw_json_load(text, len, JSON_REJECT_DUPLICATES, doc, &jerr);
        free(text);
        if (rc == SW_EINTERNAL)
                return sw_fail(err, rc, "out of memory");
        if (rc != SW_SUCCESS)
                return sw_fail_at(err, SW_EPROTO, path,
                                  jerr.line > 0 ? (unsigned)jerr.line : 0,
                                  jerr.column > 0 ? (unsigned)jerr.column : 0,
                                  NULL, NULL, "%s", jerr.text);
        if (!json_is_array(json_object_get(*doc, "syscalls"))) {
                json_decref(*doc);
                *doc = NULL;
                return sw_fail_at(err, SW_EPROTO, path, 0, 0, "syscalls", NULL,
                                  "no array of syscalls to extend");
        }
        return SW_SUCCESS;
}

static sw_code merge_document(const char *path, json_t *learned,
                              const sw_config *cfg, json_t **out,
                              sw_report *rep, sw_error **err)
{
        json_t *doc;
        json_t *rules;
        size_t i;
        json_t *r;
        char now[32];
        sw_code rc = load_existing(path, &doc, err);

        if (rc != SW_SUCCESS)
                return rc;
        rules = json_object_get(doc, "syscalls");
        json_array_foreach(learned, i,
                           r) if (!merge_rule(rules, r, rep)) goto oom;
        if (json_object_get(doc, "signature")) {
                json_object_del(doc, "signature");
                sw_report_add(rep, SW_SEV_WARNING, SW_SUCCESS, "learn-unsigned",
                              0, 0, "signature", NULL,
                              "the signature was removed: the document "
                              "changed; sign it again");
        }
        if (!now_rfc3339(now, sizeof(now)) ||
            json_object_set_new(doc, "updated_at", json_string(now)) ||
            json_object_set_new(doc, "updated_by", json_string(cfg->authority)))
                goto oom;
        *out = doc;
        return SW_SUCCESS;
oom:
        json_decref(doc);
        return sw_fail(err, SW_EINTERNAL, "out of memory");
}

sw_code sw_learn_whitelist(const sw_trace *t, const sw_config *cfg,
                           unsigned flags, const char *id, const char *merge,
                           char **json, sw_report **report, sw_error **err)
{
        sw_report *rep = sw_report_new(merge ? merge : "<learned>");
        uint32_t target;
        json_t *rules;
        json_t *doc = NULL;
        sw_code rc = SW_SUCCESS;

        *json = NULL;
        if (report)
                *report = NULL;
        if (cfg == NULL)
                cfg = sw_config_default();
        target = cfg->arch ? cfg->arch : seccomp_arch_native();
        rules = rep ? learned_rules(t, target, flags, rep) : NULL;
        if (rules == NULL) {
                sw_report_free(rep);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        if (merge)
                rc = merge_document(merge, rules, cfg, &doc, rep, err);
        else if ((doc = new_document(t, cfg, id, rules)) == NULL)
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        json_decref(rules);
        if (rc == SW_SUCCESS &&
            (*json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ==
                    NULL)
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        json_decref(doc);
        if (report && rc == SW_SUCCESS)
                *report = rep;
        else
                sw_report_free(rep);
        return rc;
}
