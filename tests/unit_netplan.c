/*
 * unit_netplan.c - the network plan: which mechanism judges each port
 * restriction, how a destination is judged, what is reported.
 */
#include "nethelp.h"
#include "net.h"

#include <netinet/in.h>
#include <sys/un.h>

static const uint64_t no_args[6];

static struct sw_netplan *plan_of(struct nh_wl *w, enum sw_net_mode mode,
                                  bool landlock)
{
        struct sw_netplan *plan = NULL;
        sw_config *cfg = sw_config_new();

        assert_non_null(cfg);
        sw_config_set_landlock(cfg, landlock);
        assert_int_equal(sw_netplan_build(&w->wl, cfg, mode, &plan, NULL),
                         SW_SUCCESS);
        sw_config_free(cfg);
        return plan;
}

static int judge_in(const struct sw_netplan *p, enum sw_netcall c, int domain,
                    int proto, uint16_t port)
{
        struct sockaddr_storage ss;
        socklen_t len;

        nh_addr(domain, port, &ss, &len);
        return sw_netplan_judge(p, c, no_args, domain, proto,
                                (struct sockaddr *)&ss, len, false);
}

static void test_connect_plan(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        (void)state;

        nh_init(&w);
        nh_rule(&w, "socket", SW_ALLOW, 0);
        nh_port_rule(&w, "connect", 5432, 0);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_true(p->any);
        assert_true(p->calls[SW_NC_CONNECT].restricted);
        assert_true(p->calls[SW_NC_CONNECT].pure);
        assert_int_equal(p->calls[SW_NC_CONNECT].nports, 1);
        assert_int_equal(p->calls[SW_NC_CONNECT].ports[0], 5432);
        assert_false(p->calls[SW_NC_SENDTO].restricted);
        assert_false(p->calls[SW_NC_BIND].restricted);
        assert_int_equal(p->calls[SW_NC_CONNECT].landlock,
                         sw_landlock_abi() >= SW_LANDLOCK_NET_ABI);
        assert_true(p->need_supervisor);
        sw_netplan_free(p);

        /* Disabled by configuration: the supervisor judges TCP too. */
        p = plan_of(&w, SW_NET_SUPERVISED, false);
        assert_false(p->calls[SW_NC_CONNECT].landlock);
        assert_false(p->use_landlock);
        sw_netplan_free(p);
}

static void test_judge_families(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        struct sockaddr_in6 m = {.sin6_family = AF_INET6};
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        struct sockaddr_in sp = {.sin_family = AF_UNSPEC};
        (void)state;

        nh_init(&w);
        nh_port_rule(&w, "sendto", 5353, 0);
        nh_port_rule(&w, "connect", 5353, SW_FAM_NETLINK);
        p = plan_of(&w, SW_NET_SUPERVISED, false);

        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET, IPPROTO_UDP, 5353),
                         0);
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET, IPPROTO_UDP, 9999),
                         EACCES);
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET6, IPPROTO_UDP, 5353),
                         0);
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET6, IPPROTO_UDP, 9999),
                         EACCES);

        /* v4-mapped IPv6: judged by its port. */
        inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
        m.sin6_port = htons(9999);
        assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, no_args, AF_INET6,
                                          IPPROTO_UDP, (struct sockaddr *)&m,
                                          sizeof(m), false),
                         EACCES);
        m.sin6_port = htons(5353);
        assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, no_args, AF_INET6,
                                          IPPROTO_UDP, (struct sockaddr *)&m,
                                          sizeof(m), false),
                         0);

        /* AF_UNSPEC on an AF_INET UDP socket is sent as AF_INET. */
        sp.sin_port = htons(9999);
        assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, no_args, AF_INET,
                                          IPPROTO_UDP, (struct sockaddr *)&sp,
                                          sizeof(sp), false),
                         EACCES);
        /* ... but connect(AF_UNSPEC) only dissolves an association. */
        assert_int_equal(sw_netplan_judge(p, SW_NC_CONNECT, no_args, AF_INET,
                                          IPPROTO_UDP, (struct sockaddr *)&sp,
                                          sizeof(sp), false),
                         0);

        /* Families without ports: refused unless allowed_families. */
        assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, no_args, AF_UNIX, 0,
                                          (struct sockaddr *)&un, sizeof(un),
                                          false),
                         EACCES);
        assert_int_equal(sw_netplan_judge(p, SW_NC_CONNECT, no_args, AF_UNIX, 0,
                                          (struct sockaddr *)&un, sizeof(un),
                                          false),
                         EACCES);
        assert_int_equal(sw_netplan_judge(p, SW_NC_CONNECT, no_args, AF_NETLINK,
                                          0, (struct sockaddr *)&un, sizeof(un),
                                          false),
                         0);
        /* Ports of protocols that are not TCP/UDP mean nothing: refused. */
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET, IPPROTO_ICMP, 5353),
                         EACCES);
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET, IPPROTO_SCTP, 5353),
                         EACCES);
        /* No destination (connected socket): the peer was judged. */
        assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, no_args, AF_UNIX, 0,
                                          NULL, 0, false),
                         0);
        sw_netplan_free(p);
}

static void test_conditions_with_args(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        uint64_t args[6] = {0};
        const uint16_t p53 = 53;
        const uint16_t p443 = 443;
        size_t r;
        size_t c;
        (void)state;

        /* sendto: port 53 with flags 0, or port 443 whatever the flags. */
        nh_init(&w);
        r = nh_rule(&w, "sendto", SW_CONDITIONAL, EPERM);
        c = nh_cond(&w, r, &p53, 1, 0);
        nh_arg(&w, r, c, 3, SW_OP_EQ, 0);
        nh_cond(&w, r, &p443, 1, 0);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_false(p->calls[SW_NC_SENDTO].pure);
        assert_false(p->calls[SW_NC_SENDTO].null_fast);
        assert_int_equal(judge_in(p, SW_NC_SENDTO, AF_INET, IPPROTO_UDP, 53),
                         0);
        args[3] = MSG_DONTWAIT;
        {
                struct sockaddr_storage ss;
                socklen_t len;

                nh_addr(AF_INET, 53, &ss, &len);
                assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, args,
                                                  AF_INET, IPPROTO_UDP,
                                                  (struct sockaddr *)&ss, len,
                                                  false),
                                 EPERM);
                nh_addr(AF_INET, 443, &ss, &len);
                assert_int_equal(sw_netplan_judge(p, SW_NC_SENDTO, args,
                                                  AF_INET, IPPROTO_UDP,
                                                  (struct sockaddr *)&ss, len,
                                                  false),
                                 0);
        }
        sw_netplan_free(p);

        /* In-process cannot judge that: applying must fail. */
        p = plan_of(&w, SW_NET_IN_PROCESS, true);
        assert_non_null(p->problem);
        {
                sw_error *err = NULL;

                assert_int_equal(sw_netplan_check(p, &err), SW_EPERM);
                assert_non_null(strstr(
                        sw_error_message(err),
                        "sendto: a condition pairs its port restriction with an argument filter"));
                sw_error_free(err);
        }
        sw_netplan_free(p);
}

static void test_socket_means_every_socket(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        (void)state;

        nh_init(&w);
        nh_port_rule(&w, "socket", 5432, 0);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_true(p->calls[SW_NC_CONNECT].restricted);
        assert_true(p->calls[SW_NC_SENDTO].restricted);
        assert_true(p->calls[SW_NC_SENDMSG].restricted);
        assert_true(p->calls[SW_NC_SENDMMSG].restricted);
        assert_false(p->calls[SW_NC_BIND].restricted);
        assert_int_equal(
                judge_in(p, SW_NC_SENDMMSG, AF_INET, IPPROTO_UDP, 5432), 0);
        assert_int_equal(
                judge_in(p, SW_NC_SENDMMSG, AF_INET, IPPROTO_UDP, 5433),
                EACCES);
        sw_netplan_free(p);

        /* Both socket and connect restricted: both must agree. */
        nh_port_rule(&w, "connect", 5433, 0);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_int_equal(p->calls[SW_NC_CONNECT].nports, 0);
        assert_int_equal(judge_in(p, SW_NC_CONNECT, AF_INET, IPPROTO_TCP, 5433),
                         EACCES);
        sw_netplan_free(p);
}

static void test_in_process_without_landlock(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        (void)state;

        nh_init(&w);
        nh_port_rule(&w, "connect", 5432, 0);
        p = plan_of(&w, SW_NET_IN_PROCESS, false);
        assert_non_null(p->problem);
        assert_non_null(strstr(p->problem, "disabled by configuration"));
        sw_netplan_free(p);
}

static void test_filter_program(void **state)
{
        static struct nh_wl w;
        struct sw_netplan *p;
        struct sock_fprog prog;
        (void)state;

        nh_init(&w);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_int_equal(sw_netplan_filter(p, &prog, NULL), SW_SUCCESS);
        assert_int_equal(prog.len, 0); /* nothing restricted, no filter */
        sw_netplan_free(p);

        nh_port_rule(&w, "sendto", 5353, 0);
        p = plan_of(&w, SW_NET_SUPERVISED, true);
        assert_int_equal(sw_netplan_filter(p, &prog, NULL), SW_SUCCESS);
        assert_true(prog.len > 4);
        free(prog.filter);
        sw_netplan_free(p);
}

static void test_describe(void **state)
{
        static struct nh_wl w;
        char *text = NULL;
        json_t *j;
        (void)state;

        nh_init(&w);
        nh_port_rule(&w, "connect", 5432, 0);
        nh_port_rule(&w, "sendto", 5353, 0);
        w.rules[0].pos.path = (char *)"syscalls[0]";
        assert_int_equal(sw_netplan_describe(&w.wl, NULL, false, &text, NULL),
                         SW_SUCCESS);
        assert_non_null(strstr(
                text,
                "connect (syscalls[0]):\n  ports: 5432; families without ports allowed: none\n"));
        if (sw_landlock_abi() >= SW_LANDLOCK_NET_ABI)
                assert_non_null(
                        strstr(text, "under run/sw_spawn: TCP: Landlock ABI"));
        assert_non_null(strstr(text, "sendto ():\n"));
        assert_non_null(strstr(
                text,
                "a NULL destination (connected socket) is allowed by the filter"));
        assert_non_null(strstr(
                text,
                "io_uring: refused (EPERM) while ports are restricted\n"));
        free(text);

        assert_int_equal(sw_netplan_describe(&w.wl, NULL, true, &text, NULL),
                         SW_SUCCESS);
        j = json_loads(text, 0, NULL);
        assert_non_null(j);
        assert_true(json_is_true(json_object_get(j, "restricted")));
        assert_int_equal(json_array_size(json_object_get(j, "calls")), 2);
        assert_string_equal(
                json_string_value(json_object_get(
                        json_array_get(json_object_get(j, "calls"), 0),
                        "errno")),
                "EACCES");
        json_decref(j);
        free(text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_connect_plan),
                cmocka_unit_test(test_judge_families),
                cmocka_unit_test(test_conditions_with_args),
                cmocka_unit_test(test_socket_means_every_socket),
                cmocka_unit_test(test_in_process_without_landlock),
                cmocka_unit_test(test_filter_program),
                cmocka_unit_test(test_describe),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
