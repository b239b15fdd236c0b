/*
 * nethelp.h - helpers of the network tests: whitelists built by hand
 * (the policy model of internal.h) and loopback servers that count what
 * arrives.
 */
#ifndef SW_NETHELP_H
#define SW_NETHELP_H

#include "internal.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NH_MAX_RULES 8
#define NH_MAX_CONDS 4

/* A whitelist in static storage; the model's pointers point into it. */
struct nh_wl {
        struct sw_whitelist wl;
        struct sw_rule rules[NH_MAX_RULES];
        struct sw_cond conds[NH_MAX_RULES][NH_MAX_CONDS];
        struct sw_ports ports[NH_MAX_RULES][NH_MAX_CONDS];
        uint16_t pv[NH_MAX_RULES][NH_MAX_CONDS][8];
        struct sw_argf args[NH_MAX_RULES][NH_MAX_CONDS][2];
};

static inline void nh_init(struct nh_wl *w)
{
        memset(w, 0, sizeof(*w));
        w->wl.rules = w->rules;
        w->wl.id = (char *)"nethelp";
}

/* Add a rule; returns its index. */
static inline size_t nh_rule(struct nh_wl *w, const char *name,
                             sw_permission perm, int err_no)
{
        size_t i = w->wl.nrules++;
        struct sw_rule *r = &w->rules[i];

        r->name = (char *)name;
        r->nr = -1;
        r->perm = perm;
        r->err_no = err_no;
        r->conds = w->conds[i];
        return i;
}

/* Add a condition with ports (n may be 0: no port restriction). */
static inline size_t nh_cond(struct nh_wl *w, size_t r, const uint16_t *ports,
                             size_t n, unsigned families)
{
        struct sw_rule *rule = &w->rules[r];
        size_t c = rule->nconds++;
        struct sw_cond *cd = &rule->conds[c];

        cd->description = (char *)"test";
        cd->args = w->args[r][c];
        if (n) {
                memcpy(w->pv[r][c], ports, n * sizeof(uint16_t));
                w->ports[r][c].ports = w->pv[r][c];
                w->ports[r][c].count = n;
                w->ports[r][c].families = families;
                cd->ports = &w->ports[r][c];
        }
        return c;
}

static inline void nh_arg(struct nh_wl *w, size_t r, size_t c, unsigned index,
                          enum sw_op op, uint64_t value)
{
        struct sw_cond *cd = &w->rules[r].conds[c];
        struct sw_argf *a = &cd->args[cd->nargs++];

        a->index = index;
        a->op = op;
        a->value = value;
        a->width = 64;
}

/* A port rule on one call: CONDITIONAL, one condition, these ports. */
static inline size_t nh_port_rule(struct nh_wl *w, const char *name,
                                  uint16_t port, unsigned families)
{
        size_t r = nh_rule(w, name, SW_CONDITIONAL, EACCES);

        nh_cond(w, r, &port, 1, families);
        return r;
}

/* A loopback server: a listening TCP and a bound UDP socket, one port. */
struct nh_server {
        int family;
        int tcp;
        int udp;
        uint16_t port;
};

static inline void nh_addr(int family, uint16_t port,
                           struct sockaddr_storage *ss, socklen_t *len)
{
        memset(ss, 0, sizeof(*ss));
        if (family == AF_INET) {
                struct sockaddr_in *a = (struct sockaddr_in *)ss;

                a->sin_family = AF_INET;
                a->sin_port = htons(port);
                a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                *len = sizeof(*a);
        } else {
                struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

                a->sin6_family = AF_INET6;
                a->sin6_port = htons(port);
                a->sin6_addr = in6addr_loopback;
                *len = sizeof(*a);
        }
}

/* Start a server on an ephemeral port that is free for TCP and UDP. */
static inline void nh_server_start(struct nh_server *s, int family)
{
        for (int tries = 0; tries < 50; tries++) {
                struct sockaddr_storage ss;
                socklen_t len;

                s->family = family;
                s->tcp = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
                assert_true(s->tcp >= 0);
                nh_addr(family, 0, &ss, &len);
                assert_int_equal(bind(s->tcp, (struct sockaddr *)&ss, len), 0);
                assert_int_equal(listen(s->tcp, 512), 0);
                assert_int_equal(
                        getsockname(s->tcp, (struct sockaddr *)&ss, &len), 0);
                s->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
                s->udp = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
                assert_true(s->udp >= 0);
                if (bind(s->udp, (struct sockaddr *)&ss, len) == 0)
                        return;
                close(s->tcp);
                close(s->udp);
        }
        fail_msg("no free port for a TCP and UDP server");
}

/* Everything that arrived so far: accepted connections plus datagrams
 * plus bytes read from the connections. */
static inline long nh_server_drain(struct nh_server *s, long *datagrams)
{
        char buf[65536];
        long conns = 0;
        int c;

        while ((c = accept(s->tcp, NULL, NULL)) >= 0) {
                conns++;
                close(c);
        }
        while (recv(s->udp, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
                (*datagrams)++;
        return conns;
}

static inline void nh_server_stop(struct nh_server *s)
{
        close(s->tcp);
        close(s->udp);
}

/* A thread that keeps draining servers, so that no datagram is lost to
 * a full receive buffer before it is counted. */
#define NH_MAX_SERVERS 4

struct nh_counter {
        struct nh_server *srv[NH_MAX_SERVERS];
        size_t n;
        long conns[NH_MAX_SERVERS];
        long dgrams[NH_MAX_SERVERS];
        volatile int stop;
        pthread_t thread;
};

static inline void *nh_counter_main(void *arg)
{
        struct nh_counter *c = arg;

        while (!c->stop) {
                struct pollfd p[2 * NH_MAX_SERVERS];

                for (size_t i = 0; i < c->n; i++) {
                        p[2 * i].fd = c->srv[i]->tcp;
                        p[2 * i].events = POLLIN;
                        p[2 * i + 1].fd = c->srv[i]->udp;
                        p[2 * i + 1].events = POLLIN;
                }
                poll(p, 2 * c->n, 20);
                for (size_t i = 0; i < c->n; i++) {
                        long d = 0;

                        c->conns[i] += nh_server_drain(c->srv[i], &d);
                        c->dgrams[i] += d;
                }
        }
        return NULL;
}

static inline void nh_counter_start(struct nh_counter *c)
{
        for (size_t i = 0; i < c->n; i++) {
                int big = 8 << 20;

                setsockopt(c->srv[i]->udp, SOL_SOCKET, SO_RCVBUFFORCE, &big,
                           sizeof(big));
        }
        c->stop = 0;
        assert_int_equal(pthread_create(&c->thread, NULL, nh_counter_main, c),
                         0);
}

/* Stop after a last drain. */
static inline void nh_counter_stop(struct nh_counter *c)
{
        usleep(50000);
        c->stop = 1;
        pthread_join(c->thread, NULL);
        for (size_t i = 0; i < c->n; i++) {
                long d = 0;

                c->conns[i] += nh_server_drain(c->srv[i], &d);
                c->dgrams[i] += d;
        }
}

/* Skip for a missing kernel feature; a failure when CI is set. */
#define NH_REQUIRE(cond, why)                                                  \
        do {                                                                   \
                if (!(cond)) {                                                 \
                        if (getenv("CI"))                                      \
                                fail_msg("CI: kernel feature missing: %s",     \
                                         why);                                 \
                        print_message("skipped: %s\n", why);                   \
                        skip();                                                \
                }                                                              \
        } while (0)

#endif
