/*
 * live_example.c - the shipped example (examples/whitelist.json: an agent
 * that may connect to PostgreSQL on 5432 only) enforced for real: a
 * program under it reaches a server on 127.0.0.1:5432 and is refused on
 * another port, through Landlock in-process (sw_filter_load) and, with
 * Landlock disabled, through the supervisor.
 */
#include "nethelp.h"
#include "net.h"

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

static struct nh_server db;
static struct nh_server other;
static sw_whitelist *wl;
static sw_filter *filter;

/* A listening TCP socket on 127.0.0.1:5432 (what the example allows). */
static int listen_5432(void)
{
        struct sockaddr_storage ss;
        socklen_t len;
        int one = 1;
        int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

        nh_addr(AF_INET, 5432, &ss, &len);
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, 16) != 0)
                fail_msg("cannot listen on 127.0.0.1:5432: %s",
                         strerror(errno));
        return s;
}

static int connect_to(uint16_t port)
{
        struct sockaddr_storage ss;
        socklen_t len;
        int s = socket(AF_INET, SOCK_STREAM, 0);
        int r;

        nh_addr(AF_INET, port, &ss, &len);
        r = connect(s, (struct sockaddr *)&ss, len) == 0 ? 0 : errno;
        close(s);
        return r;
}

static void client(void)
{
        int bad = 0;

        if (connect_to(5432) != 0)
                bad |= 1;
        if (connect_to(other.port) != EACCES)
                bad |= 2;
        _exit(bad);
}

static void child_in_process(void *arg)
{
        (void)arg;
        if (sw_filter_load(filter, NULL) != SW_SUCCESS)
                _exit(100);
        client();
}

static void fn_client(void *arg)
{
        (void)arg;
        client();
}

/* A network namespace of our own (when allowed), so that suites running
 * side by side on one machine cannot meet on port 5432. */
static void own_loopback(void)
{
        struct ifreq ifr = {0};
        int s;

        if (unshare(CLONE_NEWNET) != 0)
                return;
        s = socket(AF_INET, SOCK_DGRAM, 0);
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
        if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
                ifr.ifr_flags |= IFF_UP;
                ioctl(s, SIOCSIFFLAGS, &ifr);
        }
        close(s);
}

static int setup(void **state)
{
        sw_report *rep = NULL;
        (void)state;

        own_loopback();

        if (sw_whitelist_load_file(tu_src("examples/whitelist.json"), NULL, &wl,
                                   &rep) != SW_SUCCESS)
                return -1;
        sw_report_free(rep);
        db.tcp = listen_5432();
        db.udp = -1;
        nh_server_start(&other, AF_INET);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        close(db.tcp);
        nh_server_stop(&other);
        sw_whitelist_free(wl);
        return 0;
}

static void expect_one_connection(void)
{
        long dgrams = 0;
        int c;
        long n = 0;

        while ((c = accept(db.tcp, NULL, NULL)) >= 0) {
                n++;
                close(c);
        }
        assert_int_equal(n, 1);
        assert_int_equal(nh_server_drain(&other, &dgrams), 0);
}

static void test_example_through_landlock(void **state)
{
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        assert_int_equal(sw_compile(wl, NULL, &filter, NULL), SW_SUCCESS);
        st = tu_fork_run(child_in_process, NULL);
        sw_filter_free(filter);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        expect_one_connection();
}

static void test_example_through_the_supervisor(void **state)
{
        struct sw_netplan *plan = NULL;
        sw_config *cfg = sw_config_new();
        sw_sandbox *sb = NULL;
        sw_error *err = NULL;
        int st = -1;
        (void)state;

        sw_config_set_landlock(cfg, false);
        assert_int_equal(sw_compile(wl, cfg, &filter, NULL), SW_SUCCESS);
        assert_int_equal(
                sw_netplan_build(wl, cfg, SW_NET_SUPERVISED, &plan, NULL),
                SW_SUCCESS);
        assert_false(plan->calls[SW_NC_CONNECT].landlock);
        if (sw_sandbox_start(plan, sw_filter_program(filter),
                             sw_filter_length(filter), NULL, fn_client, NULL,
                             &sb, &err) != SW_SUCCESS)
                fail_msg("sandbox: %s", sw_error_message(err));
        assert_int_equal(sw_sandbox_wait(sb, &st, NULL), SW_SUCCESS);
        sw_sandbox_free(sb);
        sw_filter_free(filter);
        sw_config_free(cfg);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        expect_one_connection();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_example_through_landlock),
                cmocka_unit_test(test_example_through_the_supervisor),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
