/*
 * net.h - network enforcement shared by netplan.c, landlock.c and
 * supervisor.c: the plan that says which mechanism enforces each port
 * restriction, the Landlock wrappers and the supervisor's entry points.
 */
#ifndef SW_NET_H
#define SW_NET_H

#include "internal.h"

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* ---- Landlock (landlock.c) ---- */

/*
 * Landlock ABI of the running kernel: 0 when Landlock is absent or
 * disabled at boot.  Network rules need ABI 4 (Linux 6.7).
 */
int sw_landlock_abi(void);

#define SW_LANDLOCK_NET_ABI 4

/* The TCP ports one Landlock ruleset lets connect(2) and bind(2) reach. */
struct sw_ll_net {
        bool connect;           /* connect is handled (restricted) */
        const uint16_t *cports; /* allowed for connect */
        size_t ncports;
        bool bind; /* bind is handled */
        const uint16_t *bports;
        size_t nbports;
};

/*
 * Create a ruleset that handles the TCP accesses named in net and allows
 * exactly its ports.  Returns the ruleset fd through *fd (the caller
 * closes it).  Nothing is restricted yet.
 */
sw_code sw_landlock_prepare(const struct sw_ll_net *net, int *fd,
                            sw_error **err);

/*
 * Restrict the calling thread (and only it, the kernel offers no thread
 * sync for Landlock) with a prepared ruleset.  no_new_privs must be set
 * (or the caller hold CAP_SYS_ADMIN).  Returns 0 or -errno.
 */
int sw_landlock_restrict(int ruleset_fd);

/*
 * Restrict every thread of the process with a prepared ruleset: the
 * caller directly, each other thread by itself, in a handler of a
 * real-time signal (SIGRTMAX - 1) sent to it (llsync.c).  no_new_privs
 * is set on each thread first.  On failure the threads already
 * restricted stay restricted.
 */
sw_code sw_landlock_sync(int ruleset_fd, sw_error **err);

/* ---- the network plan (netplan.c) ---- */

/* The calls whose destination a port restriction judges. */
enum sw_netcall {
        SW_NC_CONNECT,
        SW_NC_BIND,
        SW_NC_SENDTO,
        SW_NC_SENDMSG,
        SW_NC_SENDMMSG,
        SW_NC_COUNT,
};

/* Where a plan is carried out. */
enum sw_net_mode {
        SW_NET_SUPERVISED, /* run / sw_spawn: supervisor + Landlock */
        SW_NET_IN_PROCESS, /* sw_apply_file: Landlock and BPF only */
};

struct sw_netcall_plan {
        int nr;                     /* native syscall number */
        const struct sw_rule *own;  /* the call's rule if it has ports */
        const struct sw_rule *sock; /* socket's rule, outbound calls only */
        bool restricted;            /* own or sock */
        bool pure;                  /* every port condition has no arg filter */
        bool landlock;              /* the TCP part is judged by Landlock */
        uint16_t *ports;            /* pure only: the ports allowed (sorted) */
        size_t nports;
        unsigned families; /* pure only: SW_FAM_* allowed by all rules */
        bool null_fast;    /* sendto with a NULL address allowed in BPF */
};

struct sw_netplan {
        enum sw_net_mode mode;
        bool any;          /* some call is restricted */
        int landlock_abi;  /* of the running kernel */
        bool use_landlock; /* Landlock is used (not disabled, ABI >= 4) */
        bool need_supervisor;
        struct sw_netcall_plan calls[SW_NC_COUNT];
        unsigned closure_families; /* in-process: families socket() may use */
        char *problem;             /* why the plan cannot be applied, or NULL */
};

/* Name of a call ("sendmmsg"). */
const char *sw_netcall_name(enum sw_netcall c);

/*
 * Work out the plan of a whitelist for the running kernel.  The plan
 * borrows rules from wl, which must outlive it.  A plan that cannot be
 * applied is still returned, with plan->problem saying why; applying it
 * fails (sw_netplan_check()).
 */
sw_code sw_netplan_build(const struct sw_whitelist *wl,
                         const struct sw_config *cfg, enum sw_net_mode mode,
                         struct sw_netplan **out, sw_error **err);
void sw_netplan_free(struct sw_netplan *plan);

/* SW_SUCCESS when the plan can be applied, else SW_EPERM with why. */
sw_code sw_netplan_check(const struct sw_netplan *plan, sw_error **err);

/*
 * The network filter of a plan: a seccomp program, default ALLOW, that
 * routes the restricted calls to the supervisor (supervised mode) or
 * refuses the sockets Landlock cannot judge (in-process mode), and
 * refuses io_uring.  It is loaded beside the whitelist's own filter;
 * the kernel applies the stricter answer of the two.  *prog is owned by
 * the caller (free(prog->filter)); its length is 0 when no filter is
 * needed.
 */
sw_code sw_netplan_filter(const struct sw_netplan *plan,
                          struct sock_fprog *prog, sw_error **err);

/* The Landlock rules of a plan (valid while the plan lives). */
void sw_netplan_landlock(const struct sw_netplan *plan, struct sw_ll_net *net);

/*
 * Judge one call's arguments and destination against a plan's rules.
 * addr may be NULL (no new destination).  domain and protocol are the
 * socket's (SO_DOMAIN, SO_PROTOCOL).  skip_tcp_ports: Landlock judges
 * the TCP port of this call.  Returns 0 when allowed, else the errno to
 * answer.
 */
int sw_netplan_judge(const struct sw_netplan *plan, enum sw_netcall c,
                     const uint64_t args[6], int domain, int protocol,
                     const struct sockaddr *addr, socklen_t len,
                     bool skip_tcp_ports);

/*
 * In-process enforcement prepared with a compiled filter (owned by it):
 * sw_netprep_new() leaves *out NULL when wl restricts no port.  Loading
 * is two steps around the whitelist's own filter: sw_netprep_check()
 * before anything is loaded (refuses what cannot be enforced, prepares
 * the Landlock ruleset), sw_netprep_commit() after (network filter and
 * Landlock; closes the ruleset).
 */
struct sw_netprep;
sw_code sw_netprep_new(const struct sw_whitelist *wl,
                       const struct sw_config *cfg, struct sw_netprep **out,
                       sw_error **err);
void sw_netprep_free(struct sw_netprep *np);
sw_code sw_netprep_check(const struct sw_netprep *np, int *ruleset,
                         sw_error **err);
sw_code sw_netprep_commit(const struct sw_netprep *np, int ruleset,
                          sw_error **err);

/* Apply a plan in-process: all or nothing (netplan.c). */
sw_code sw_netplan_apply_self(const struct sw_netplan *plan, sw_error **err);

/* ---- the supervisor (supervisor.c) ---- */

/*
 * Start a sandbox for a plan (taken over, freed by the callee): argv is
 * exec'd, or, when fn is not NULL, fn(arg) runs in the child, which then
 * exits 0 (for tests).  prog/len: the whitelist's program, or NULL/0.
 */
sw_code sw_sandbox_start(struct sw_netplan *plan, const void *prog, size_t len,
                         char *const argv[], void (*fn)(void *), void *arg,
                         sw_sandbox **out, sw_error **err);

/* True in a process whose port restrictions a supervisor enforces (after
 * sw_netguard_child()): sw_filter_load() leaves them to it. */
bool sw_net_supervised(void);

#endif /* SW_NET_H */
