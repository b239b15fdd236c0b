/*
 * netplan.c - which mechanism enforces each port restriction.
 *
 * A port sits inside the struct sockaddr a pointer argument points to,
 * where a seccomp-BPF filter cannot look (spec section 3).  Two real
 * mechanisms judge it instead:
 *  - Landlock (ABI 4+): TCP connect and bind, in the kernel, race free;
 *  - the user-notification supervisor (supervisor.c): everything else
 *    (UDP, sendto, sendmsg, sendmmsg, conditions that pair ports with
 *    argument filters), on copies it holds.
 * This module works out, per call, which of them is used, builds the
 * small seccomp filter that routes calls to the supervisor (loaded beside
 * the whitelist's own filter; the kernel takes the stricter answer),
 * judges a destination for the supervisor, and describes the plan.
 */
#include "compile.h"
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Highest address family number we refuse one by one (AF_MAX is 46). */
#define SW_FAMILY_LIMIT 64

/* io_uring performs socket calls the filter never sees. */
#define SW_IO_URING_ERRNO EPERM

/* The errno for sockets refused in-process (Landlock's own answer). */
#define SW_CLOSURE_ERRNO EACCES

static const char *const call_names[SW_NC_COUNT] = {
        [SW_NC_CONNECT] = "connect",   [SW_NC_BIND] = "bind",
        [SW_NC_SENDTO] = "sendto",     [SW_NC_SENDMSG] = "sendmsg",
        [SW_NC_SENDMMSG] = "sendmmsg",
};

static const int call_nrs[SW_NC_COUNT] = {
        [SW_NC_CONNECT] = SYS_connect,   [SW_NC_BIND] = SYS_bind,
        [SW_NC_SENDTO] = SYS_sendto,     [SW_NC_SENDMSG] = SYS_sendmsg,
        [SW_NC_SENDMMSG] = SYS_sendmmsg,
};

const char *sw_netcall_name(enum sw_netcall c)
{
        return c < SW_NC_COUNT ? call_names[c] : "?";
}

void sw_config_set_landlock(sw_config *cfg, bool enabled)
{
        cfg->no_landlock = !enabled;
}

/* ---- reading the whitelist ---- */

static bool rule_has_ports(const struct sw_rule *r)
{
        if (r->perm != SW_CONDITIONAL)
                return false;
        for (size_t i = 0; i < r->nconds; i++)
                if (r->conds[i].ports)
                        return true;
        return false;
}

/* The rule named name when it carries a port restriction. */
static const struct sw_rule *port_rule(const struct sw_whitelist *wl,
                                       const char *name)
{
        for (size_t i = 0; i < wl->nrules; i++)
                if (strcmp(wl->rules[i].name, name) == 0 &&
                    rule_has_ports(&wl->rules[i]))
                        return &wl->rules[i];
        return NULL;
}

/* Every condition is a port restriction and nothing else. */
static bool rule_pure(const struct sw_rule *r)
{
        for (size_t i = 0; i < r->nconds; i++)
                if (r->conds[i].ports == NULL || r->conds[i].nargs)
                        return false;
        return true;
}

static bool port_in(const struct sw_ports *p, unsigned port)
{
        for (size_t i = 0; i < p->count; i++)
                if (p->ports[i] == port)
                        return true;
        return false;
}

/* Any condition of r (pure) lets port through. */
static bool rule_port_in(const struct sw_rule *r, unsigned port)
{
        for (size_t i = 0; i < r->nconds; i++)
                if (port_in(r->conds[i].ports, port))
                        return true;
        return false;
}

static unsigned rule_families(const struct sw_rule *r)
{
        unsigned fam = 0;

        for (size_t i = 0; i < r->nconds; i++)
                fam |= r->conds[i].ports->families;
        return fam;
}

/* The ports of a pure call: allowed by its rule and socket's rule. */
static sw_code pure_ports(struct sw_netcall_plan *cp, sw_error **err)
{
        cp->ports = calloc(65536, sizeof(uint16_t));
        if (cp->ports == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        cp->nports = 0;
        for (unsigned port = 1; port <= 65535; port++) {
                if (cp->own && !rule_port_in(cp->own, port))
                        continue;
                if (cp->sock && !rule_port_in(cp->sock, port))
                        continue;
                cp->ports[cp->nports++] = (uint16_t)port;
        }
        cp->families = SW_FAM_UNIX | SW_FAM_NETLINK;
        if (cp->own)
                cp->families &= rule_families(cp->own);
        if (cp->sock)
                cp->families &= rule_families(cp->sock);
        return SW_SUCCESS;
}

/* ---- building the plan ---- */

static void set_problem(struct sw_netplan *plan, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void set_problem(struct sw_netplan *plan, const char *fmt, ...)
{
        va_list ap;

        if (plan->problem)
                return;
        va_start(ap, fmt);
        plan->problem = sw_vasprintf(fmt, ap);
        va_end(ap);
        if (plan->problem == NULL)
                plan->problem = sw_strdup("out of memory");
}

static bool supervisor_available(void)
{
        char buf[256] = "";
        FILE *f = fopen("/proc/sys/kernel/seccomp/actions_avail", "r");
        int pidfd;
        int fd;

        if (f == NULL)
                return false;
        if (fgets(buf, sizeof(buf), f) == NULL)
                buf[0] = '\0';
        fclose(f);
        if (strstr(buf, "user_notif") == NULL)
                return false;

        /* pidfd_getfd (Linux 5.6): the supervisor acts on the socket. */
        pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
        if (pidfd < 0)
                return false;
        fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
        if (fd >= 0)
                close(fd);
        close(pidfd);
        return fd >= 0 || errno != ENOSYS;
}

static sw_code plan_call(struct sw_netplan *plan, const struct sw_whitelist *wl,
                         const struct sw_rule *sock, enum sw_netcall c,
                         sw_error **err)
{
        struct sw_netcall_plan *cp = &plan->calls[c];

        cp->nr = call_nrs[c];
        cp->own = port_rule(wl, call_names[c]);
        /* sendmmsg is sendmsg in a batch: without a port restriction of
         * its own it is held to sendmsg's, never left as a side door. */
        if (c == SW_NC_SENDMMSG && cp->own == NULL)
                cp->own = plan->calls[SW_NC_SENDMSG].own;
        cp->sock = c == SW_NC_BIND ? NULL : sock;
        cp->restricted = cp->own || cp->sock;
        if (!cp->restricted)
                return SW_SUCCESS;

        plan->any = true;
        cp->pure = (!cp->own || rule_pure(cp->own)) &&
                   (!cp->sock || rule_pure(cp->sock));
        if (cp->pure && pure_ports(cp, err) != SW_SUCCESS)
                return SW_EINTERNAL;
        cp->landlock = plan->use_landlock && cp->pure &&
                       (c == SW_NC_CONNECT || c == SW_NC_BIND);
        cp->null_fast = c == SW_NC_SENDTO && cp->pure;
        return SW_SUCCESS;
}

/* What in-process mode (Landlock and BPF, no supervisor) can enforce. */
static void check_in_process(struct sw_netplan *plan, bool ll_disabled)
{
        plan->closure_families = SW_FAM_UNIX | SW_FAM_NETLINK;
        for (int c = 0; c < SW_NC_COUNT; c++) {
                const struct sw_netcall_plan *cp = &plan->calls[c];

                if (!cp->restricted)
                        continue;
                if (!cp->pure)
                        set_problem(plan,
                                    "%s: a condition pairs its port "
                                    "restriction with an argument filter "
                                    "(or has none); only the supervisor "
                                    "can judge that, so start the "
                                    "program with `syswall run` or "
                                    "sw_spawn()",
                                    call_names[c]);
                if ((c == SW_NC_CONNECT || c == SW_NC_BIND) && !cp->landlock)
                        set_problem(
                                plan,
                                "%s: TCP ports are judged in-process "
                                "only by Landlock network rules (ABI "
                                "%d, Linux 6.7), %s; start the "
                                "program with `syswall run` or "
                                "sw_spawn() to use the supervisor",
                                call_names[c], SW_LANDLOCK_NET_ABI,
                                ll_disabled
                                        ? "which are disabled by configuration"
                                        : "which this kernel lacks");
                plan->closure_families &= cp->families;
        }
}

sw_code sw_netplan_build(const struct sw_whitelist *wl,
                         const struct sw_config *cfg, enum sw_net_mode mode,
                         struct sw_netplan **out, sw_error **err)
{
        struct sw_netplan *plan = calloc(1, sizeof(*plan));
        const struct sw_rule *sock;
        bool ll_disabled = cfg && cfg->no_landlock;

        *out = NULL;
        if (plan == NULL) {
                sw_fail(err, SW_EINTERNAL, "out of memory");
                return SW_EINTERNAL;
        }
        plan->mode = mode;
        plan->landlock_abi = sw_landlock_abi();
        plan->use_landlock =
                !ll_disabled && plan->landlock_abi >= SW_LANDLOCK_NET_ABI;

        sock = port_rule(wl, "socket");
        if (sock && !rule_pure(sock))
                set_problem(plan, "socket: a port restriction on socket means "
                                  "\"every socket may only reach these ports\" "
                                  "and cannot be paired with an argument "
                                  "filter; restrict connect, sendto, sendmsg "
                                  "and sendmmsg instead");
        for (int c = 0; c < SW_NC_COUNT; c++) {
                if (plan_call(plan, wl, sock, (enum sw_netcall)c, err)) {
                        sw_netplan_free(plan);
                        return SW_EINTERNAL;
                }
        }

        if (plan->any && mode == SW_NET_SUPERVISED) {
                plan->need_supervisor = true;
                if (!supervisor_available())
                        set_problem(plan, "port restrictions need seccomp user "
                                          "notification (Linux 5.0) and "
                                          "pidfd_getfd (Linux 5.6), which this "
                                          "kernel lacks");
        }
        if (plan->any && mode == SW_NET_IN_PROCESS)
                check_in_process(plan, ll_disabled);
        *out = plan;
        return SW_SUCCESS;
}

void sw_netplan_free(struct sw_netplan *plan)
{
        if (plan == NULL)
                return;
        for (int c = 0; c < SW_NC_COUNT; c++)
                free(plan->calls[c].ports);
        free(plan->problem);
        free(plan);
}

sw_code sw_netplan_check(const struct sw_netplan *plan, sw_error **err)
{
        if (plan->problem == NULL)
                return SW_SUCCESS;
        return sw_fail(err, SW_EPERM,
                       "cannot enforce the port restrictions: %s",
                       plan->problem);
}

void sw_netplan_landlock(const struct sw_netplan *plan, struct sw_ll_net *net)
{
        const struct sw_netcall_plan *cc = &plan->calls[SW_NC_CONNECT];
        const struct sw_netcall_plan *bc = &plan->calls[SW_NC_BIND];

        memset(net, 0, sizeof(*net));
        net->connect = cc->landlock;
        net->cports = cc->ports;
        net->ncports = cc->landlock ? cc->nports : 0;
        net->bind = bc->landlock;
        net->bports = bc->ports;
        net->nbports = bc->landlock ? bc->nports : 0;
}

/* ---- the network filter ---- */

#define A32(i, v) SCMP_CMP((i), SCMP_CMP_MASKED_EQ, 0xffffffffULL, (v))

static int add_notify_rules(const struct sw_netplan *plan, scmp_filter_ctx ctx)
{
        int rc = 0;

        for (int c = 0; c < SW_NC_COUNT && rc == 0; c++) {
                const struct sw_netcall_plan *cp = &plan->calls[c];

                if (!cp->restricted)
                        continue;
                /* sendto(fd, buf, len, flags, NULL, 0) goes to the peer
                 * that connect() already had judged: no round trip.  The
                 * whole 64-bit pointer is compared (a sockaddr mapped at
                 * 0x100000000 is not NULL). */
                if (cp->null_fast)
                        rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, cp->nr, 1,
                                              SCMP_A4_64(SCMP_CMP_NE, 0));
                else
                        rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, cp->nr, 0);
        }
        return rc;
}

/* In-process: refuse the sockets Landlock cannot judge (all but TCP). */
static int add_closure_rules(const struct sw_netplan *plan, scmp_filter_ctx ctx)
{
        const uint32_t no = SCMP_ACT_ERRNO(SW_CLOSURE_ERRNO);
        const int inet[2] = {AF_INET, AF_INET6};
        int rc = 0;

        for (int f = 0; f < SW_FAMILY_LIMIT && rc == 0; f++) {
                if (f == AF_INET || f == AF_INET6 ||
                    (f == AF_UNIX && (plan->closure_families & SW_FAM_UNIX)) ||
                    (f == AF_NETLINK &&
                     (plan->closure_families & SW_FAM_NETLINK)))
                        continue;
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(socket), 1, A32(0, f));
        }
        for (int i = 0; i < 2 && rc == 0; i++) {
                for (int t = 0; t < 16 && rc == 0; t++)
                        if (t != SOCK_STREAM)
                                rc = seccomp_rule_add(
                                        ctx, no, SCMP_SYS(socket), 2,
                                        A32(0, inet[i]),
                                        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, t));
                /* SOCK_STREAM with a protocol other than 0 or TCP (SCTP,
                 * MPTCP): Landlock would not judge it. */
                for (int p = 1; p < IPPROTO_TCP && rc == 0; p++)
                        rc = seccomp_rule_add(ctx, no, SCMP_SYS(socket), 2,
                                              A32(0, inet[i]), A32(2, p));
                if (rc == 0)
                        rc = seccomp_rule_add(
                                ctx, no, SCMP_SYS(socket), 2, A32(0, inet[i]),
                                SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP));
        }

        /* TCP Fast Open connects from sendto/sendmsg, outside the
         * connect hook Landlock judges. */
        if (rc == 0)
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(sendto), 1,
                                      SCMP_A3(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN,
                                              MSG_FASTOPEN));
        if (rc == 0)
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(sendmsg), 1,
                                      SCMP_A2(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN,
                                              MSG_FASTOPEN));
        if (rc == 0)
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(sendmmsg), 1,
                                      SCMP_A3(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN,
                                              MSG_FASTOPEN));
        return rc;
}

static int add_io_uring_rules(scmp_filter_ctx ctx)
{
        const uint32_t no = SCMP_ACT_ERRNO(SW_IO_URING_ERRNO);
        int rc = seccomp_rule_add(ctx, no, SCMP_SYS(io_uring_setup), 0);

        if (rc == 0)
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(io_uring_enter), 0);
        if (rc == 0)
                rc = seccomp_rule_add(ctx, no, SCMP_SYS(io_uring_register), 0);
        return rc;
}

/* Export a libseccomp context as a raw program. */
static sw_code export_prog(scmp_filter_ctx ctx, struct sock_fprog *prog,
                           sw_error **err)
{
        int fd = memfd_create("sw-netfilter", MFD_CLOEXEC);
        off_t size;
        void *buf;

        if (fd < 0)
                return sw_fail(err, SW_EIO, "memfd_create: %s",
                               strerror(errno));
        if (sw_scmp_export(ctx, false, fd, err) != SW_SUCCESS) {
                close(fd);
                return SW_EINTERNAL;
        }
        size = lseek(fd, 0, SEEK_END);
        if (size <= 0) {
                close(fd);
                return sw_fail(err, SW_EINTERNAL,
                               "cannot export the network filter");
        }
        buf = malloc((size_t)size);
        if (buf == NULL || pread(fd, buf, (size_t)size, 0) != size) {
                free(buf);
                close(fd);
                return sw_fail(err, SW_EINTERNAL,
                               "cannot read the network filter back");
        }
        close(fd);
        prog->filter = buf;
        prog->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
        return SW_SUCCESS;
}

sw_code sw_netplan_filter(const struct sw_netplan *plan,
                          struct sock_fprog *prog, sw_error **err)
{
        scmp_filter_ctx ctx;
        sw_code code;
        int rc;

        prog->len = 0;
        prog->filter = NULL;
        if (!plan->any)
                return SW_SUCCESS;

        /* libseccomp knows SCMP_ACT_NOTIFY from API level 5, and asks the
         * running kernel which level it has; where it cannot ask (under
         * valgrind, which does not know seccomp(2)) it would refuse the
         * action.  The program is exported and loaded by syswall, and the
         * load checks the real kernel, so the level is raised here. */
        if (seccomp_api_get() < 5)
                seccomp_api_set(5);
        ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (ctx == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");

        /* Foreign architectures are the whitelist filter's business (it
         * kills them); this filter only adds to it. */
        rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
        if (rc == 0)
                rc = add_io_uring_rules(ctx);
        if (rc == 0 && plan->mode == SW_NET_SUPERVISED)
                rc = add_notify_rules(plan, ctx);
        if (rc == 0 && plan->mode == SW_NET_IN_PROCESS)
                rc = add_closure_rules(plan, ctx);
        if (rc != 0) {
                seccomp_release(ctx);
                return sw_fail(err, SW_EINTERNAL,
                               "cannot build the network filter: %s",
                               strerror(-rc));
        }
        code = export_prog(ctx, prog, err);
        seccomp_release(ctx);
        return code;
}

/* ---- judging a destination (for the supervisor) ---- */

static bool arg_holds(const struct sw_argf *f, const uint64_t args[6])
{
        return sw_argf_holds(f, f->width, args[f->index]);
}

static bool inet_protocol_judged(int protocol)
{
        return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP ||
               protocol == IPPROTO_UDPLITE;
}

/*
 * The destination against one port restriction.  The socket's domain
 * decides how the address is read, never the family the caller writes
 * (an AF_UNSPEC address on an AF_INET UDP socket is sent as AF_INET).
 */
static bool dest_ok(const struct sw_ports *p, enum sw_netcall c, int domain,
                    int protocol, const struct sockaddr *addr, socklen_t len,
                    bool skip_tcp)
{
        const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
        int fam;

        if (addr == NULL)
                return true; /* the connected peer, judged at connect */
        if (domain == AF_UNIX)
                return p->families & SW_FAM_UNIX;
        if (domain == AF_NETLINK)
                return p->families & SW_FAM_NETLINK;
        if (domain != AF_INET && domain != AF_INET6)
                return false;
        if (!inet_protocol_judged(protocol) || len < 4)
                return false;

        fam = addr->sa_family;
        if (fam == AF_UNSPEC && c == SW_NC_CONNECT)
                return true; /* dissolves the association, reaches nobody */
        if (fam != AF_INET && fam != AF_INET6 && fam != AF_UNSPEC)
                return false;
        if (skip_tcp && protocol == IPPROTO_TCP)
                return true;
        /* sin_port and sin6_port sit at the same offset; a v4-mapped
         * IPv6 address is judged by its port like any other. */
        return port_in(p, ntohs(sin->sin_port));
}

static bool rule_allows(const struct sw_rule *r, enum sw_netcall c,
                        const uint64_t args[6], bool use_args, int domain,
                        int protocol, const struct sockaddr *addr,
                        socklen_t len, bool skip_tcp)
{
        for (size_t i = 0; i < r->nconds; i++) {
                const struct sw_cond *cd = &r->conds[i];
                bool hold = true;

                for (size_t k = 0; use_args && k < cd->nargs && hold; k++)
                        hold = arg_holds(&cd->args[k], args);
                if (!hold)
                        continue;
                if (cd->ports == NULL || dest_ok(cd->ports, c, domain, protocol,
                                                 addr, len, skip_tcp))
                        return true;
        }
        return false;
}

int sw_netplan_judge(const struct sw_netplan *plan, enum sw_netcall c,
                     const uint64_t args[6], int domain, int protocol,
                     const struct sockaddr *addr, socklen_t len,
                     bool skip_tcp_ports)
{
        const struct sw_netcall_plan *cp = &plan->calls[c];

        if (cp->own && !rule_allows(cp->own, c, args, true, domain, protocol,
                                    addr, len, skip_tcp_ports))
                return cp->own->err_no;
        /* socket's own argument filters judged socket(); only its ports
         * apply here. */
        if (cp->sock && !rule_allows(cp->sock, c, args, false, domain, protocol,
                                     addr, len, skip_tcp_ports))
                return cp->sock->err_no;
        return 0;
}

/* ---- applying in-process ---- */

static sw_code load_prog(const struct sock_fprog *prog, unsigned flags,
                         sw_error **err)
{
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog) != 0)
                return sw_fail(err, SW_EPERM,
                               "the kernel refused the network filter: %s",
                               strerror(errno));
        return SW_SUCCESS;
}

/* ---- in-process enforcement, prepared with the filter ---- */

struct sw_netprep {
        char *problem;
        struct sock_fprog prog;
        struct sw_ll_net ll;
        uint16_t *cports; /* owned copies of the Landlock ports */
        uint16_t *bports;
};

void sw_netprep_free(struct sw_netprep *np)
{
        if (np == NULL)
                return;
        free(np->problem);
        free(np->prog.filter);
        free(np->cports);
        free(np->bports);
        free(np);
}

static uint16_t *ports_dup(const uint16_t *p, size_t n)
{
        uint16_t *d = malloc((n ? n : 1) * sizeof(*d));

        if (d && n)
                memcpy(d, p, n * sizeof(*d));
        return d;
}

static sw_code prep_fill(struct sw_netprep *np, const struct sw_netplan *plan,
                         sw_error **err)
{
        sw_netplan_landlock(plan, &np->ll);
        np->cports = ports_dup(np->ll.cports, np->ll.ncports);
        np->bports = ports_dup(np->ll.bports, np->ll.nbports);
        if (np->cports == NULL || np->bports == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        np->ll.cports = np->cports;
        np->ll.bports = np->bports;
        if (plan->problem) {
                np->problem = sw_strdup(plan->problem);
                return np->problem
                               ? SW_SUCCESS
                               : sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        return sw_netplan_filter(plan, &np->prog, err);
}

sw_code sw_netprep_new(const struct sw_whitelist *wl,
                       const struct sw_config *cfg, struct sw_netprep **out,
                       sw_error **err)
{
        struct sw_netplan *plan = NULL;
        struct sw_netprep *np;
        sw_code rc;

        *out = NULL;
        rc = sw_netplan_build(wl, cfg, SW_NET_IN_PROCESS, &plan, err);
        if (rc != SW_SUCCESS)
                return rc;
        if (!plan->any) {
                sw_netplan_free(plan);
                return SW_SUCCESS;
        }
        np = calloc(1, sizeof(*np));
        rc = np ? prep_fill(np, plan, err)
                : sw_fail(err, SW_EINTERNAL, "out of memory");
        sw_netplan_free(plan);
        if (rc != SW_SUCCESS) {
                sw_netprep_free(np);
                return rc;
        }
        *out = np;
        return SW_SUCCESS;
}

sw_code sw_netprep_check(const struct sw_netprep *np, int *ruleset,
                         sw_error **err)
{
        bool ll = np->ll.connect || np->ll.bind;

        *ruleset = -1;
        if (np->problem)
                return sw_fail(
                        err, SW_EPERM,
                        "cannot enforce the port restrictions in this process: %s",
                        np->problem);
        return ll ? sw_landlock_prepare(&np->ll, ruleset, err) : SW_SUCCESS;
}

sw_code sw_netprep_commit(const struct sw_netprep *np, int ruleset,
                          sw_error **err)
{
        sw_code rc = SW_SUCCESS;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                rc = sw_fail(err, SW_EPERM, "cannot set no_new_privs: %s",
                             strerror(errno));
        /* Landlock restricts the calling thread only (no thread sync in
         * the kernel): every thread already running is asked to restrict
         * itself, so none escapes (llsync.c).  If one cannot, no seccomp
         * filter is loaded. */
        if (rc == SW_SUCCESS && ruleset >= 0)
                rc = sw_landlock_sync(ruleset, err);
        if (rc == SW_SUCCESS && np->prog.len)
                rc = load_prog(&np->prog, SECCOMP_FILTER_FLAG_TSYNC, err);
        if (ruleset >= 0)
                close(ruleset);
        return rc;
}

sw_code sw_netplan_apply_self(const struct sw_netplan *plan, sw_error **err)
{
        struct sw_netprep np = {0};
        int ruleset = -1;
        sw_code rc;

        if (!plan->any)
                return SW_SUCCESS;
        rc = prep_fill(&np, plan, err);
        if (rc == SW_SUCCESS)
                rc = sw_netprep_check(&np, &ruleset, err);
        if (rc == SW_SUCCESS)
                rc = sw_netprep_commit(&np, ruleset, err);
        free(np.problem);
        free(np.prog.filter);
        free(np.cports);
        free(np.bports);
        return rc;
}
