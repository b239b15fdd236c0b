/*
 * live_argwidth.c - the 64-bit default width, against the real kernel.
 * socket CONDITIONAL "arg0 ne AF_PACKET" without "width" is compared at
 * 64 bits (P1.2); the kernel reads the family as a 32-bit int.  So
 * socket(0x100000011, SOCK_RAW, 0) gets past the condition and creates
 * an AF_PACKET socket; with "width": 32 the same call fails with the
 * rule's errno.  Each attempt runs in a forked child, in a network
 * namespace of its own (root: AF_PACKET needs CAP_NET_RAW).
 */
#include "testutil.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define DOC(WIDTH)                                                             \
        "{\"schema_version\": \"1.0\", \"whitelist_id\": \"argwidth\","        \
        " \"created_at\": \"2026-12-04T00:00:00Z\","                           \
        " \"created_by\": \"Security Agent\", \"syscalls\": ["                 \
        "{\"name\": \"exit_group\", \"permission\": \"ALLOW\"},"               \
        "{\"name\": \"getsockopt\", \"permission\": \"ALLOW\"},"               \
        "{\"name\": \"socket\", \"permission\": \"CONDITIONAL\","              \
        " \"errno\": \"EAFNOSUPPORT\", \"conditions\": {\"description\":"      \
        " \"no packet sockets\", \"argument_filter\": {\"arg_index\": 0,"      \
        " \"operator\": \"ne\", \"value\": \"AF_PACKET\"" WIDTH "}}}]}"

/* What the child reports in its exit status. */
#define MADE_PACKET 0   /* an AF_PACKET socket was created */
#define MADE_OTHER  100 /* a socket of another family */
#define NO_NETNS    101 /* unshare(CLONE_NEWNET) failed */
#define NO_LOAD     102

struct attempt {
        const sw_filter *f;
        long family;
};

static void try_socket(void *arg)
{
        const struct attempt *a = arg;
        int domain = 0;
        socklen_t len = sizeof(domain);
        long fd;

        if (unshare(CLONE_NEWNET) != 0)
                syscall(SYS_exit_group, NO_NETNS);
        if (sw_filter_load(a->f, NULL) != SW_SUCCESS)
                syscall(SYS_exit_group, NO_LOAD);
        fd = syscall(SYS_socket, a->family, SOCK_RAW, 0);
        if (fd < 0)
                syscall(SYS_exit_group, errno);
        if (syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) !=
            0)
                syscall(SYS_exit_group, errno);
        syscall(SYS_exit_group, domain == AF_PACKET ? MADE_PACKET : MADE_OTHER);
}

/* The child's exit status for socket(family, SOCK_RAW, 0) under f. */
static int attempt(const sw_filter *f, long family)
{
        struct attempt a = {f, family};
        int st = tu_fork_run(try_socket, &a);

        assert_true(WIFEXITED(st));
        if (WEXITSTATUS(st) == NO_NETNS)
                tu_skip_unless_ci(
                        "cannot make a network namespace (not root?)");
        return WEXITSTATUS(st);
}

static void test_width64_lets_af_packet_through(void **state)
{
        sw_filter *f = tu_compile_json(DOC(""));
        (void)state;

        /* The plain call is refused, as the condition says ... */
        assert_int_equal(attempt(f, AF_PACKET), EAFNOSUPPORT);

        /* ... but the upper half gets it past: a real AF_PACKET socket. */
        assert_int_equal(attempt(f, 0x100000000L | AF_PACKET), MADE_PACKET);
        sw_filter_free(f);
}

static void test_width32_stops_it(void **state)
{
        sw_filter *f = tu_compile_json(DOC(", \"width\": 32"));
        (void)state;

        assert_int_equal(attempt(f, AF_PACKET), EAFNOSUPPORT);
        assert_int_equal(attempt(f, 0x100000000L | AF_PACKET), EAFNOSUPPORT);

        /* Another family still passes: the rule is not simply closed. */
        assert_int_equal(attempt(f, AF_INET), EPROTONOSUPPORT);
        sw_filter_free(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_width64_lets_af_packet_through),
                cmocka_unit_test(test_width32_stops_it),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
