/*
 * trace.h - what the tracer (tracer.c) records and the whitelist writer
 * (learn.c) reads.  Private to libsyswall.
 */
#ifndef SW_TRACE_H
#define SW_TRACE_H

#include "internal.h"

#include <stdint.h>

/*
 * Distinct values kept per argument of interest.  Past this the set is
 * marked overflowed: too many values for a condition to be stable.
 */
#define SW_TRACE_MAX_VALUES 16

struct sw_valset {
        uint64_t v[SW_TRACE_MAX_VALUES];
        size_t n;
        bool overflow;
};

/* Which arguments of a call the tracer keeps. */
enum sw_kind {
        SW_KIND_PLAIN,   /* only the count */
        SW_KIND_SOCKET,  /* (family << 32) | (type & 0xf) */
        SW_KIND_PRCTL,   /* option, low 32 bits */
        SW_KIND_IOCTL,   /* request, low 32 bits */
        SW_KIND_CLONE,   /* flags, 64 bits */
        SW_KIND_CLONE3,  /* clone_args flags | exit_signal: clone's form */
        SW_KIND_PROT,    /* mmap, mprotect: prot bits */
        SW_KIND_ADDR,    /* connect, bind: the sockaddr */
        SW_KIND_SENDTO,  /* the sockaddr of arg 4, or none */
        SW_KIND_SENDMSG, /* the sockaddr in the msghdr, or none */
};

/* One system call seen, on one ABI. */
struct sw_seen {
        uint32_t arch; /* AUDIT_ARCH_* (= libseccomp token) */
        int nr;        /* as the tracee issued it */
        char *name;    /* "nrN" when libseccomp knows no name */
        bool named;    /* libseccomp knows the name */
        bool foreign;  /* not the native ABI: the filter kills it */
        enum sw_kind kind;
        uint64_t hits;
        struct sw_valset vals; /* the argument of interest (see tracer.c) */
        uint64_t prot_or;      /* mmap/mprotect: every prot bit seen */
        /* connect, bind, sendto, sendmsg: what the address held */
        struct sw_valset ports;
        unsigned families; /* SW_FAM_* seen */
        bool no_addr;      /* sendto/sendmsg without an address */
        bool odd_addr;     /* port 0, another family, unreadable */
        uint32_t would;    /* complain mode: the action it would take */
};

struct sw_trace {
        struct sw_seen *calls;
        size_t ncalls;
        size_t cap;
        uint64_t total;  /* calls recorded */
        size_t nprocs;   /* processes and threads traced */
        bool threads;    /* a thread was created */
        int status;      /* wait status of the command */
        char **argv;     /* the command, copied */
        uint32_t native; /* the tracer's own ABI */
};

/* An empty record for the command argv (copied); NULL on OOM. */
struct sw_trace *sw_trace_new(char *const argv[]);

/*
 * Count one call of task pid and keep its arguments of interest (read
 * from the task's memory where they sit behind a pointer).  Returns the
 * call's entry, or NULL when out of memory.
 */
struct sw_seen *sw_trace_note(struct sw_trace *t, pid_t pid, uint32_t arch,
                              int nr, const uint64_t args[6]);

/* Sort the calls by name, foreign-ABI calls last. */
void sw_trace_sort(struct sw_trace *t);

#endif /* SW_TRACE_H */
