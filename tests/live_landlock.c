/*
 * live_landlock.c - port restrictions applied in-process (Landlock and
 * the network filter, no supervisor), against servers on 127.0.0.1 and
 * ::1 that count what arrives.
 */
#include "nethelp.h"
#include "net.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

static struct nh_server good4, bad4, good6, bad6;
static struct nh_wl w;

static int connect_to(int family, uint16_t port)
{
        struct sockaddr_storage ss;
        socklen_t len;
        int s = socket(family, SOCK_STREAM, 0);
        int r;

        if (s < 0)
                return -errno;
        nh_addr(family, port, &ss, &len);
        r = connect(s, (struct sockaddr *)&ss, len);
        r = r == 0 ? 0 : -errno;
        close(s);
        return r;
}

/* The child: apply, then report each outcome as one exit-code bit. */
static void child_connects(void *arg)
{
        struct sw_netplan *plan = NULL;
        sw_error *err = NULL;
        int bad = 0;
        (void)arg;

        if (sw_netplan_build(&w.wl, NULL, SW_NET_IN_PROCESS, &plan, &err) ||
            sw_netplan_apply_self(plan, &err)) {
                fprintf(stderr, "apply: %s\n", sw_error_message(err));
                _exit(100);
        }
        if (connect_to(AF_INET, good4.port) != 0)
                bad |= 1;
        if (connect_to(AF_INET, bad4.port) != -EACCES)
                bad |= 2;
        if (connect_to(AF_INET6, good6.port) != 0)
                bad |= 4;
        if (connect_to(AF_INET6, bad6.port) != -EACCES)
                bad |= 8;
        /* Landlock cannot judge UDP: such sockets are refused. */
        if (socket(AF_INET, SOCK_DGRAM, 0) != -1 || errno != EACCES)
                bad |= 16;
        if (socket(AF_UNIX, SOCK_STREAM, 0) != -1 || errno != EACCES)
                bad |= 32;
        if (socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP) != -1 ||
            errno != EACCES)
                bad |= 64;
        /* io_uring would perform connects the filter never sees. */
        if (syscall(SYS_io_uring_setup, 1, NULL) != -1 || errno != EPERM)
                bad |= 128;
        _exit(bad);
}

static void test_tcp_connect_judged_by_landlock(void **state)
{
        long dgrams = 0;
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        nh_server_start(&good4, AF_INET);
        nh_server_start(&bad4, AF_INET);
        nh_server_start(&good6, AF_INET6);
        nh_server_start(&bad6, AF_INET6);
        nh_init(&w);
        nh_rule(&w, "socket", SW_ALLOW, 0);
        {
                size_t r = nh_rule(&w, "connect", SW_CONDITIONAL, EACCES);
                uint16_t ports[2] = {good4.port, good6.port};

                nh_cond(&w, r, ports, 2, 0);
        }

        st = tu_fork_run(child_connects, NULL);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        assert_int_equal(nh_server_drain(&good4, &dgrams), 1);
        assert_int_equal(nh_server_drain(&good6, &dgrams), 1);
        assert_int_equal(nh_server_drain(&bad4, &dgrams), 0);
        assert_int_equal(nh_server_drain(&bad6, &dgrams), 0);
        assert_int_equal(dgrams, 0);
        nh_server_stop(&good4);
        nh_server_stop(&bad4);
        nh_server_stop(&good6);
        nh_server_stop(&bad6);
}

static void child_allowed_unix(void *arg)
{
        struct sw_netplan *plan = NULL;
        int s;
        (void)arg;

        if (sw_netplan_build(&w.wl, NULL, SW_NET_IN_PROCESS, &plan, NULL) ||
            sw_netplan_apply_self(plan, NULL))
                _exit(100);
        s = socket(AF_UNIX, SOCK_STREAM, 0);
        _exit(s >= 0 ? 0 : 1);
}

static void test_allowed_families_keep_unix(void **state)
{
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        nh_init(&w);
        nh_port_rule(&w, "connect", 5432, SW_FAM_UNIX);
        st = tu_fork_run(child_allowed_unix, NULL);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
}

/* A thread that waits for a byte on a pipe, then connects to the
 * forbidden and the allowed port and keeps both results. */
struct ll_worker {
        pthread_t t;
        int go;
        int bad;
        int good;
};

static void *worker_main(void *arg)
{
        struct ll_worker *wk = arg;
        char c;

        if (read(wk->go, &c, 1) != 1)
                return NULL;
        wk->bad = connect_to(AF_INET, bad4.port);
        wk->good = connect_to(AF_INET, good4.port);
        return NULL;
}

#define LL_WORKERS 3

/* Threads running before the apply and one made after are all judged. */
static void child_threads(void *arg)
{
        struct ll_worker wk[LL_WORKERS + 1];
        struct sw_netplan *plan = NULL;
        sw_error *err = NULL;
        int go[2];
        int bad = 0;
        (void)arg;

        if (pipe(go) != 0)
                _exit(100);
        for (int i = 0; i <= LL_WORKERS; i++)
                wk[i] = (struct ll_worker){.go = go[0], .bad = 1, .good = 1};
        for (int i = 0; i < LL_WORKERS; i++)
                pthread_create(&wk[i].t, NULL, worker_main, &wk[i]);

        if (sw_netplan_build(&w.wl, NULL, SW_NET_IN_PROCESS, &plan, NULL) ||
            sw_netplan_apply_self(plan, &err)) {
                fprintf(stderr, "apply: %s\n", sw_error_message(err));
                _exit(101);
        }
        pthread_create(&wk[LL_WORKERS].t, NULL, worker_main, &wk[LL_WORKERS]);
        if (write(go[1], "gggg", LL_WORKERS + 1) != LL_WORKERS + 1)
                _exit(102);
        for (int i = 0; i <= LL_WORKERS; i++) {
                pthread_join(wk[i].t, NULL);
                if (wk[i].bad != -EACCES || wk[i].good != 0)
                        bad |= 1 << i;
        }
        _exit(bad);
}

static void test_every_thread_restricted(void **state)
{
        long dgrams = 0;
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        nh_server_start(&good4, AF_INET);
        nh_server_start(&bad4, AF_INET);
        nh_init(&w);
        nh_port_rule(&w, "connect", good4.port, 0);
        st = tu_fork_run(child_threads, NULL);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        assert_int_equal(nh_server_drain(&good4, &dgrams), LL_WORKERS + 1);
        assert_int_equal(nh_server_drain(&bad4, &dgrams), 0);
        nh_server_stop(&good4);
        nh_server_stop(&bad4);
}

static void *blocker(void *arg)
{
        sigset_t all;
        (void)arg;

        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
        for (;;)
                pause();
        return NULL;
}

/* A thread that blocks every signal cannot take the rules on: the apply
 * fails after its timeout, naming it, and no filter is loaded. */
static void child_blocked(void *arg)
{
        struct sw_netplan *plan = NULL;
        sw_error *err = NULL;
        pthread_t t;
        char want[128];
        (void)arg;

        pthread_create(&t, NULL, blocker, NULL);
        usleep(20000);
        if (sw_netplan_build(&w.wl, NULL, SW_NET_IN_PROCESS, &plan, NULL))
                _exit(100);
        if (sw_netplan_apply_self(plan, &err) != SW_ETIMEOUT)
                _exit(1);
        snprintf(
                want, sizeof(want),
                "did not take on the Landlock rules within 2000 ms (it blocks signal %d)",
                SIGRTMAX - 1);
        if (strstr(sw_error_message(err), want) == NULL)
                _exit(2);
        /* The network filter was not loaded: UDP sockets still work. */
        if (socket(AF_INET, SOCK_DGRAM, 0) < 0)
                _exit(3);
        _exit(0);
}

static void test_blocked_thread_fails_apply(void **state)
{
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        nh_init(&w);
        nh_port_rule(&w, "connect", 5432, 0);
        st = tu_fork_run(child_blocked, NULL);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- through the public path: read, compile, load ---- */

static const char *const base_calls[] = {
        "read",           "write",        "close",
        "exit_group",     "exit",         "mmap",
        "munmap",         "madvise",      "futex",
        "rt_sigprocmask", "rt_sigaction", "getpid",
        "gettid",         "brk",          "mprotect",
        "sched_yield",    "newfstatat",   "socket",
        "prctl",          "seccomp",      "landlock_restrict_self",
        "sigaltstack",
};

static char *whitelist_json(uint16_t port)
{
        json_t *calls = json_array();
        json_t *doc;
        char *text;

        for (size_t i = 0; i < SW_ARRAY_SIZE(base_calls); i++)
                json_array_append_new(calls, json_pack("{s:s, s:s}", "name",
                                                       base_calls[i],
                                                       "permission", "ALLOW"));
        json_array_append_new(
                calls,
                json_pack("{s:s, s:s, s:s, s:{s:s, s:{s:[i]}}}", "name",
                          "connect", "permission", "CONDITIONAL", "errno",
                          "EACCES", "conditions", "description", "db only",
                          "port_restriction", "allowed_ports", port));
        doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "schema_version", "1.0",
                        "whitelist_id", "live.landlock", "created_at",
                        "2026-01-15T10:00:00Z", "created_by", "Security Agent",
                        "syscalls", calls);
        text = json_dumps(doc, 0);
        json_decref(doc);
        return text;
}

static sw_filter *filter;

static void child_public(void *arg)
{
        sw_error *err = NULL;
        int bad = 0;
        (void)arg;

        if (sw_filter_load(filter, &err) != SW_SUCCESS) {
                fprintf(stderr, "load: %s\n", sw_error_message(err));
                _exit(100);
        }
        if (connect_to(AF_INET, good4.port) != 0)
                bad |= 1;
        if (connect_to(AF_INET, bad4.port) != -EACCES)
                bad |= 2;
        if (socket(AF_INET, SOCK_DGRAM, 0) != -1 || errno != EACCES)
                bad |= 4;
        _exit(bad);
}

static void test_public_path_compile_and_load(void **state)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_error *err = NULL;
        long dgrams = 0;
        char *text;
        int st;
        (void)state;

        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        nh_server_start(&good4, AF_INET);
        nh_server_start(&bad4, AF_INET);
        text = whitelist_json(good4.port);
        assert_int_equal(sw_whitelist_load_buffer(text, strlen(text), "live",
                                                  NULL, &wl, &rep),
                         SW_SUCCESS);
        if (sw_compile(wl, NULL, &filter, &err) != SW_SUCCESS)
                fail_msg("compile: %s", sw_error_message(err));
        st = tu_fork_run(child_public, NULL);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        assert_int_equal(nh_server_drain(&good4, &dgrams), 1);
        assert_int_equal(nh_server_drain(&bad4, &dgrams), 0);
        sw_filter_free(filter);
        sw_whitelist_free(wl);
        sw_report_free(rep);
        free(text);
        nh_server_stop(&good4);
        nh_server_stop(&bad4);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_tcp_connect_judged_by_landlock),
                cmocka_unit_test(test_allowed_families_keep_unix),
                cmocka_unit_test(test_every_thread_restricted),
                cmocka_unit_test(test_blocked_thread_fails_apply),
                cmocka_unit_test(test_public_path_compile_and_load),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
