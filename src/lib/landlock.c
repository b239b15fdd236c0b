/*
 * landlock.c - Landlock network rules: TCP connect(2) and bind(2) limited
 * to a set of ports, judged by the kernel (EACCES), race free.
 *
 * Debian 12's headers stop at Landlock ABI 3, so the network constants
 * of ABI 4 (Linux 6.7) are defined here.  The ABI is probed at run time;
 * a binary built on old headers still uses a newer kernel.
 */
#include "net.h"

#include <errno.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP    (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_RULE_NET_PORT          2
struct landlock_net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};
#endif

/* The ruleset attribute as ABI 4 defines it (handled_access_net added). */
struct sw_ll_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
};

int sw_landlock_abi(void)
{
        long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
                           LANDLOCK_CREATE_RULESET_VERSION);

        return abi < 0 ? 0 : (int)abi;
}

static sw_code add_ports(int fd, uint64_t access, const uint16_t *ports,
                         size_t n, sw_error **err)
{
        for (size_t i = 0; i < n; i++) {
                struct landlock_net_port_attr pa = {
                        .allowed_access = access,
                        .port = ports[i],
                };

                if (syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_NET_PORT,
                            &pa, 0) != 0)
                        return sw_fail(
                                err, SW_EPERM,
                                "Landlock refused a rule for port %u: %s",
                                ports[i], strerror(errno));
        }
        return SW_SUCCESS;
}

sw_code sw_landlock_prepare(const struct sw_ll_net *net, int *fd,
                            sw_error **err)
{
        struct sw_ll_attr attr = {0};
        int abi = sw_landlock_abi();
        sw_code rc;
        int rs;

        *fd = -1;
        if (abi < SW_LANDLOCK_NET_ABI)
                return sw_fail(
                        err, SW_EPERM,
                        "Landlock network rules need ABI %d (Linux 6.7); this kernel offers ABI %d",
                        SW_LANDLOCK_NET_ABI, abi);
        if (net->connect)
                attr.handled_access_net |= LANDLOCK_ACCESS_NET_CONNECT_TCP;
        if (net->bind)
                attr.handled_access_net |= LANDLOCK_ACCESS_NET_BIND_TCP;

        rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (rs < 0)
                return sw_fail(err, SW_EPERM,
                               "cannot create a Landlock ruleset: %s",
                               strerror(errno));

        rc = SW_SUCCESS;
        if (net->connect)
                rc = add_ports(rs, LANDLOCK_ACCESS_NET_CONNECT_TCP, net->cports,
                               net->ncports, err);
        if (rc == SW_SUCCESS && net->bind)
                rc = add_ports(rs, LANDLOCK_ACCESS_NET_BIND_TCP, net->bports,
                               net->nbports, err);
        if (rc != SW_SUCCESS) {
                close(rs);
                return rc;
        }
        *fd = rs;
        return SW_SUCCESS;
}

int sw_landlock_restrict(int ruleset_fd)
{
        if (syscall(SYS_landlock_restrict_self, ruleset_fd, 0) != 0)
                return -errno;
        return 0;
}
