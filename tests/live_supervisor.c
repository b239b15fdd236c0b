/*
 * live_supervisor.c - port restrictions judged by the user-notification
 * supervisor, for real: UDP, sendmsg, sendmmsg, IPv6 and v4-mapped,
 * families without ports, a thread that flips the port during thousands
 * of calls, callers killed mid-call, many threads, signals, and a
 * supervisor that goes away (calls fail closed).  Servers on 127.0.0.1
 * and ::1 count what arrives.
 */
#include "nethelp.h"
#include "net.h"

#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

static struct nh_server good4, bad4, good6, bad6;
static struct nh_counter counter;
static struct nh_wl w;

/* What the sandboxed child saw, shared with the test. */
struct seen {
        long ok;
        long refused;
        long other;
        long tcp_ok;
        int wrong; /* bit mask of failed checks, see each test */
        int last_errno;
};
static struct seen *seen;

static void setup_servers(void)
{
        nh_server_start(&good4, AF_INET);
        nh_server_start(&bad4, AF_INET);
        nh_server_start(&good6, AF_INET6);
        nh_server_start(&bad6, AF_INET6);
        memset(&counter, 0, sizeof(counter));
        counter.srv[0] = &good4;
        counter.srv[1] = &bad4;
        counter.srv[2] = &good6;
        counter.srv[3] = &bad6;
        counter.n = 4;
        nh_counter_start(&counter);
        memset(seen, 0, sizeof(*seen));
}

static void stop_servers(void)
{
        nh_counter_stop(&counter);
        nh_server_stop(&good4);
        nh_server_stop(&bad4);
        nh_server_stop(&good6);
        nh_server_stop(&bad6);
}

/* connect, sendto, sendmsg, sendmmsg limited to the good ports. */
static void restrict_all(unsigned families)
{
        static const char *const calls[] = {"connect", "sendto", "sendmsg",
                                            "sendmmsg"};
        uint16_t ports[2] = {good4.port, good6.port};

        nh_init(&w);
        for (size_t i = 0; i < SW_ARRAY_SIZE(calls); i++) {
                size_t r = nh_rule(&w, calls[i], SW_CONDITIONAL, EACCES);

                nh_cond(&w, r, ports, 2, families);
        }
}

static int run_sandboxed(void (*fn)(void *), void *arg, bool landlock)
{
        struct sw_netplan *plan = NULL;
        sw_sandbox *sb = NULL;
        sw_error *err = NULL;
        sw_config *cfg = sw_config_new();
        int st = -1;

        sw_config_set_landlock(cfg, landlock);
        assert_int_equal(
                sw_netplan_build(&w.wl, cfg, SW_NET_SUPERVISED, &plan, NULL),
                SW_SUCCESS);
        sw_config_free(cfg);
        if (sw_sandbox_start(plan, NULL, 0, NULL, fn, arg, &sb, &err))
                fail_msg("sandbox: %s", sw_error_message(err));
        assert_int_equal(sw_sandbox_wait(sb, &st, NULL), SW_SUCCESS);
        sw_sandbox_free(sb);
        return st;
}

static struct sockaddr_in v4(uint16_t port)
{
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons(port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

        return a;
}

static long send_to(int s, int family, uint16_t port, const char *text)
{
        struct sockaddr_storage ss;
        socklen_t len;

        nh_addr(family, port, &ss, &len);
        return sendto(s, text, strlen(text), 0, (struct sockaddr *)&ss, len);
}

/* Record whether r/errno is what we want; bit names the check. */
static void expect(long r, int want_errno, int bit)
{
        int e = errno;
        bool ok = want_errno ? (r == -1 && e == want_errno) : r >= 0;

        if (!ok) {
                seen->wrong |= 1 << bit;
                seen->last_errno = r < 0 ? e : 0;
        }
}

static void child_addresses(void *arg)
{
        struct sockaddr_storage ss;
        struct sockaddr_in6 m6 = {.sin6_family = AF_INET6};
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        socklen_t len;
        int u4 = socket(AF_INET, SOCK_DGRAM, 0);
        int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
        int ux = socket(AF_UNIX, SOCK_DGRAM, 0);
        int sv[2];
        (void)arg;

        expect(send_to(u4, AF_INET, good4.port, "a"), 0, 0);
        expect(send_to(u4, AF_INET, bad4.port, "b"), EACCES, 1);
        expect(send_to(u6, AF_INET6, good6.port, "c"), 0, 2);
        expect(send_to(u6, AF_INET6, bad6.port, "d"), EACCES, 3);

        /* v4-mapped IPv6: judged by port, reaches the IPv4 server. */
        inet_pton(AF_INET6, "::ffff:127.0.0.1", &m6.sin6_addr);
        m6.sin6_port = htons(bad4.port);
        expect(sendto(u6, "e", 1, 0, (struct sockaddr *)&m6, sizeof(m6)),
               EACCES, 4);
        m6.sin6_port = htons(good4.port);
        expect(sendto(u6, "f", 1, 0, (struct sockaddr *)&m6, sizeof(m6)), 0, 5);

        /* Families without ports: refused. */
        memcpy(un.sun_path, "\0sw-live-sup", 12);
        expect(sendto(ux, "g", 1, 0, (struct sockaddr *)&un,
                      offsetof(struct sockaddr_un, sun_path) + 12),
               EACCES, 6);
        expect(connect(ux, (struct sockaddr *)&un,
                       offsetof(struct sockaddr_un, sun_path) + 12),
               EACCES, 7);
        /* A socketpair has no destination to judge. */
        socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        expect(send(sv[0], "h", 1, 0), 0, 8);

        /* Connected UDP, NULL destination. */
        nh_addr(AF_INET, bad4.port, &ss, &len);
        expect(connect(u4, (struct sockaddr *)&ss, len), EACCES, 9);
        nh_addr(AF_INET, good4.port, &ss, &len);
        expect(connect(u4, (struct sockaddr *)&ss, len), 0, 10);
        expect(send(u4, "i", 1, 0), 0, 11);
        /* A bad address: EFAULT as the kernel would say. */
        expect(sendto(u6, "j", 1, 0, (struct sockaddr *)8, sizeof(m6)), EFAULT,
               12);
        /* Not a socket. */
        expect(sendto(0x3ff, "k", 1, 0, (struct sockaddr *)&m6, sizeof(m6)),
               EBADF, 13);
        _exit(0);
}

static void test_addresses(void **state)
{
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_addresses, NULL, false);
        stop_servers();
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        /* a, f (mapped) and i on good4; c on good6; nothing else. */
        assert_int_equal(counter.dgrams[0], 3);
        assert_int_equal(counter.dgrams[2], 1);
        assert_int_equal(counter.dgrams[1], 0);
        assert_int_equal(counter.dgrams[3], 0);
        assert_int_equal(counter.conns[1] + counter.conns[3], 0);
}

static void child_msgs(void *arg)
{
        struct sockaddr_in good = v4(good4.port);
        struct sockaddr_in bad = v4(bad4.port);
        char data[2][8] = {"one", "two"};
        struct iovec iov[2] = {{data[0], 3}, {data[1], 3}};
        struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
        struct mmsghdr mm[3];
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        (void)arg;

        mh.msg_name = &bad;
        mh.msg_namelen = sizeof(bad);
        expect(sendmsg(u, &mh, 0), EACCES, 0);
        mh.msg_name = &good;
        expect(sendmsg(u, &mh, 0) == 6 ? 0 : -1, 0, 1);

        /* sendmmsg: good, good, bad -> 2 sent, lengths written back. */
        memset(mm, 0, sizeof(mm));
        for (int i = 0; i < 3; i++) {
                mm[i].msg_hdr.msg_iov = iov;
                mm[i].msg_hdr.msg_iovlen = 1;
                mm[i].msg_hdr.msg_name = i == 2 ? &bad : &good;
                mm[i].msg_hdr.msg_namelen = sizeof(good);
        }
        expect(sendmmsg(u, mm, 3, 0) == 2 ? 0 : -1, 0, 2);
        expect(mm[0].msg_len == 3 && mm[1].msg_len == 3 ? 0 : -1, 0, 3);
        expect(sendmmsg(u, &mm[2], 1, 0), EACCES, 4);
        _exit(0);
}

static void test_sendmsg_sendmmsg(void **state)
{
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_msgs, NULL, false);
        stop_servers();
        assert_true(WIFEXITED(st));
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        assert_int_equal(counter.dgrams[0], 3);
        assert_int_equal(counter.dgrams[1], 0);
}

/* ---- the race: a thread flips the port while calls are judged ---- */

static struct sockaddr_in flip_addr;
static volatile int flip_stop;

static void *flipper(void *arg)
{
        volatile uint16_t *port = &flip_addr.sin_port;
        uint16_t a = htons(good4.port);
        uint16_t b = htons(bad4.port);
        (void)arg;

        while (!flip_stop) {
                *port = a;
                *port = b;
        }
        return NULL;
}

static void child_race(void *arg)
{
        pthread_t t;
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        (void)arg;

        flip_addr = v4(good4.port);
        pthread_create(&t, NULL, flipper, NULL);
        for (int i = 0; i < 20000; i++) {
                if (sendto(u, "x", 1, 0, (struct sockaddr *)&flip_addr,
                           sizeof(flip_addr)) == 1)
                        seen->ok++;
                else if (errno == EACCES)
                        seen->refused++;
                else
                        seen->other++;
        }
        for (int i = 0; i < 2000; i++) {
                int s = socket(AF_INET, SOCK_STREAM, 0);

                if (connect(s, (struct sockaddr *)&flip_addr,
                            sizeof(flip_addr)) == 0)
                        seen->tcp_ok++;
                else if (errno != EACCES)
                        seen->other++;
                close(s);
        }
        flip_stop = 1;
        pthread_join(t, NULL);
        _exit(0);
}

static void race(bool landlock)
{
        int st;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_race, NULL, landlock);
        stop_servers();
        assert_true(WIFEXITED(st));
        print_message("race (Landlock %s): udp sent %ld, refused %ld, "
                      "other %ld; tcp connected %ld; forbidden server got "
                      "%ld datagrams, %ld connections\n",
                      landlock ? "on" : "off", seen->ok, seen->refused,
                      seen->other, seen->tcp_ok, counter.dgrams[1],
                      counter.conns[1]);
        assert_int_equal(counter.dgrams[1], 0);
        assert_int_equal(counter.conns[1], 0);
        assert_int_equal(seen->other, 0);
        assert_true(seen->refused > 0);
        assert_true(seen->ok > 0);
        /* Every datagram the child was told was sent arrived, once. */
        assert_int_equal(counter.dgrams[0], seen->ok);
        assert_int_equal(counter.conns[0], seen->tcp_ok);
}

static void test_race_supervisor_only(void **state)
{
        (void)state;
        race(false);
}

static void test_race_with_landlock(void **state)
{
        (void)state;
        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        race(true);
}

/* ---- callers that die mid-call, many threads, signals ---- */

static void child_killed_callers(void *arg)
{
        pid_t kids[20];
        int u;
        (void)arg;

        for (int i = 0; i < 20; i++) {
                kids[i] = fork();
                if (kids[i] == 0) {
                        int s = socket(AF_INET, SOCK_DGRAM, 0);

                        for (int j = 0; j < 200; j++)
                                send_to(s, AF_INET, good4.port, "k");
                        _exit(0);
                }
                if (i % 2)
                        kill(kids[i], SIGKILL);
        }
        /* The kept children finish normally; a killed one may have
         * finished before the signal came, never otherwise. */
        for (int i = 0; i < 20; i++) {
                int st;
                bool done = waitpid(kids[i], &st, 0) == kids[i] &&
                            WIFEXITED(st) && WEXITSTATUS(st) == 0;
                bool killed = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;

                if (i % 2 == 0 && done)
                        seen->ok++;
                else if (i % 2 == 0 || !(done || killed))
                        seen->other++;
        }
        /* The supervisor is still serving. */
        u = socket(AF_INET, SOCK_DGRAM, 0);
        expect(send_to(u, AF_INET, good4.port, "z"), 0, 0);
        expect(send_to(u, AF_INET, bad4.port, "z"), EACCES, 1);
        _exit(0);
}

static void test_callers_killed_mid_call(void **state)
{
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_killed_callers, NULL, false);
        stop_servers();
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        assert_int_equal(seen->ok, 10);
        assert_int_equal(seen->other, 0);
        assert_int_equal(seen->wrong, 0);
        assert_int_equal(counter.dgrams[1], 0);
        assert_true(counter.dgrams[0] >= 10 * 200 + 1);
}

static void *many_main(void *arg)
{
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        long ok = 0;
        (void)arg;

        for (int i = 0; i < 300; i++) {
                bool good = i % 2 == 0;
                long r =
                        send_to(u, AF_INET, good ? good4.port : bad4.port, "m");

                if (good && r == 1)
                        ok++;
                else if (good || r != -1 || errno != EACCES)
                        __atomic_fetch_add(&seen->other, 1, __ATOMIC_SEQ_CST);
        }
        close(u);
        return (void *)ok;
}

static void child_many_threads(void *arg)
{
        pthread_t t[16];
        (void)arg;

        for (int i = 0; i < 16; i++)
                pthread_create(&t[i], NULL, many_main, NULL);
        for (int i = 0; i < 16; i++) {
                void *ok;

                pthread_join(t[i], &ok);
                seen->ok += (long)ok;
        }
        _exit(0);
}

static void test_many_threads(void **state)
{
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_many_threads, NULL, false);
        stop_servers();
        assert_true(WIFEXITED(st));
        assert_int_equal(seen->other, 0);
        assert_int_equal(seen->ok, 16 * 150);
        assert_int_equal(counter.dgrams[0], 16 * 150);
        assert_int_equal(counter.dgrams[1], 0);
}

static void on_alarm(int sig)
{
        (void)sig;
}

static void child_signals(void *arg)
{
        struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */
        struct itimerval it = {{0, 200}, {0, 200}};
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        (void)arg;

        sigaction(SIGALRM, &sa, NULL);
        setitimer(ITIMER_REAL, &it, NULL);
        for (int i = 0; i < 3000; i++) {
                long r = send_to(u, AF_INET, good4.port, "s");

                if (r == 1)
                        seen->ok++;
                else if (errno == EINTR)
                        seen->refused++;
                else
                        seen->other++;
        }
        _exit(0);
}

static void test_signals_never_send_twice(void **state)
{
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_signals, NULL, false);
        stop_servers();
        assert_true(WIFEXITED(st));
        print_message(
                "signals: sent %ld, interrupted %ld, other %ld, arrived %ld\n",
                seen->ok, seen->refused, seen->other, counter.dgrams[0]);
        assert_int_equal(seen->other, 0);
        /* Each datagram reported sent arrived exactly once. */
        assert_int_equal(counter.dgrams[0], seen->ok);
}

/* ---- who judges TCP: Landlock (EACCES) or the supervisor (rule) ---- */

static void child_tcp_errno(void *arg)
{
        struct sockaddr_in bad = v4(bad4.port);
        struct sockaddr_in good = v4(good4.port);
        int s = socket(AF_INET, SOCK_STREAM, 0);
        int t = socket(AF_INET, SOCK_STREAM, 0);

        expect(connect(s, (struct sockaddr *)&bad, sizeof(bad)), *(int *)arg,
               0);
        expect(connect(t, (struct sockaddr *)&good, sizeof(good)), 0, 1);
        _exit(0);
}

static void tcp_errno(bool landlock, int want)
{
        int st;

        setup_servers();
        restrict_all(0);
        w.rules[0].err_no = EPERM; /* connect's rule */
        st = run_sandboxed(child_tcp_errno, &want, landlock);
        stop_servers();
        assert_true(WIFEXITED(st));
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        assert_int_equal(counter.conns[0], 1);
        assert_int_equal(counter.conns[1], 0);
}

static void test_tcp_judged_by_landlock_or_supervisor(void **state)
{
        (void)state;
        /* The supervisor answers with the rule's errno ... */
        tcp_errno(false, EPERM);
        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        /* ... Landlock, in the kernel, with EACCES. */
        tcp_errno(true, EACCES);
}

/* ---- the supervisor goes away: calls fail closed ---- */

static int go[2];

static void child_after_supervisor(void *arg)
{
        char c;
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        (void)arg;

        expect(send_to(u, AF_INET, good4.port, "1"), 0, 0);
        if (read(go[0], &c, 1) != 1)
                _exit(3);
        /* No listener any more: the kernel answers ENOSYS. */
        expect(send_to(u, AF_INET, good4.port, "2"), ENOSYS, 1);
        expect(send_to(u, AF_INET, bad4.port, "3"), ENOSYS, 2);
        _exit(0);
}

static void test_supervisor_gone_fails_closed(void **state)
{
        struct sw_netplan *plan = NULL;
        sw_sandbox *sb = NULL;
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        assert_int_equal(pipe(go), 0);
        assert_int_equal(
                sw_netplan_build(&w.wl, NULL, SW_NET_SUPERVISED, &plan, NULL),
                SW_SUCCESS);
        assert_int_equal(sw_sandbox_start(plan, NULL, 0, NULL,
                                          child_after_supervisor, NULL, &sb,
                                          NULL),
                         SW_SUCCESS);
        usleep(200000);
        pid_t pid = sw_sandbox_pid(sb);
        sw_sandbox_free(sb); /* stop supervising, child still running */
        usleep(100000);
        assert_int_equal(write(go[1], "g", 1), 1);
        assert_int_equal(waitpid(pid, &st, 0), pid);
        close(go[0]);
        close(go[1]);
        stop_servers();
        assert_true(WIFEXITED(st));
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        assert_int_equal(counter.dgrams[0], 1);
        assert_int_equal(counter.dgrams[1], 0);
}

/* ---- descriptor numbers used again: the socket there now is judged ---- */

/* Close fd n and open a socket of another kind at the same number. */
static void replace_at(int n, int domain, int type)
{
        int s;

        close(n);
        s = socket(domain, type, 0);
        if (s != n) {
                dup2(s, n);
                close(s);
        }
}

static void child_fd_reused(void *arg)
{
        struct sockaddr_in good = v4(good4.port);
        struct sockaddr_in bad = v4(bad4.port);
        int n = socket(AF_INET, SOCK_DGRAM, 0);
        (void)arg;

        expect(send_to(n, AF_INET, good4.port, "a"), 0, 0);
        replace_at(n, AF_INET6, SOCK_DGRAM);
        expect(send_to(n, AF_INET6, good6.port, "b"), 0, 1);
        expect(send_to(n, AF_INET6, bad6.port, "b"), EACCES, 2);
        /* A family without ports is refused, not sent as the old one. */
        replace_at(n, AF_UNIX, SOCK_DGRAM);
        expect(send_to(n, AF_INET, good4.port, "c"), EACCES, 3);
        replace_at(n, AF_INET, SOCK_STREAM);
        expect(connect(n, (struct sockaddr *)&good, sizeof(good)), 0, 4);
        replace_at(n, AF_INET, SOCK_DGRAM);
        expect(connect(n, (struct sockaddr *)&bad, sizeof(bad)), EACCES, 5);
        _exit(0);
}

static void fd_reused(bool landlock)
{
        int st;

        setup_servers();
        restrict_all(0);
        st = run_sandboxed(child_fd_reused, NULL, landlock);
        stop_servers();
        assert_true(WIFEXITED(st));
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        assert_int_equal(counter.dgrams[0], 1);
        assert_int_equal(counter.dgrams[2], 1);
        assert_int_equal(counter.dgrams[1] + counter.dgrams[3], 0);
        assert_int_equal(counter.conns[0], 1);
        assert_int_equal(counter.conns[1] + counter.conns[3], 0);
}

static void test_fd_number_reused(void **state)
{
        (void)state;
        fd_reused(false);
        NH_REQUIRE(sw_landlock_abi() >= SW_LANDLOCK_NET_ABI,
                   "Landlock ABI 4 (network rules) absent");
        fd_reused(true);
}

/* ---- a thread number used again: a kept pidfd does not follow it ----
 *
 * The supervisor keeps the pidfd of each calling thread.  Thread A sends
 * and exits; thread B gets A's number (a pid namespace of the test's
 * own, whose numbers nothing else takes, and ns_last_pid), takes a
 * descriptor table of its own where fd n is an IPv6 socket, and sends
 * on n.  Using A's pidfd, or the process's table, would not reach B's
 * socket. */

/* Record a failed check. */
static void wrong(int bit)
{
        seen->wrong |= 1 << bit;
}

static int reuse_fd;
static volatile pid_t reuse_tid;

static void *thread_a(void *arg)
{
        (void)arg;
        reuse_tid = gettid();
        expect(send_to(reuse_fd, AF_INET, good4.port, "A"), 0, 0);
        return NULL;
}

static void *thread_b(void *arg)
{
        (void)arg;
        if (gettid() != reuse_tid)
                return NULL; /* another number: the caller tries again */
        if (unshare(CLONE_FILES) != 0) {
                wrong(1);
                return NULL;
        }
        replace_at(reuse_fd, AF_INET6, SOCK_DGRAM);
        expect(send_to(reuse_fd, AF_INET6, good6.port, "B"), 0, 2);
        return (void *)1;
}

/* Set the number the next new task gets in our pid namespace. */
static bool next_pid(pid_t pid)
{
        FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "we");
        bool ok;

        if (f == NULL)
                return false;
        ok = fprintf(f, "%d", pid - 1) > 0;
        return fclose(f) == 0 && ok;
}

static void child_tid_reused(void *arg)
{
        pthread_t t;
        void *done = NULL;
        (void)arg;

        /* A call left unanswered ends the child instead of the suite. */
        alarm(60);
        reuse_fd = socket(AF_INET, SOCK_DGRAM, 0);
        pthread_create(&t, NULL, thread_a, NULL);
        pthread_join(t, NULL);
        /* A's number is free once the kernel has released A. */
        for (int i = 0; i < 1000 && done == NULL; i++) {
                if (!next_pid(reuse_tid)) {
                        wrong(3);
                        break;
                }
                if (pthread_create(&t, NULL, thread_b, NULL) != 0)
                        break;
                pthread_join(t, &done);
        }
        if (done == NULL)
                wrong(4);
        _exit(0);
}

/* In a new pid namespace (this process is its init): the sandbox. */
static int tid_reuse_init(void)
{
        struct sw_netplan *plan = NULL;
        sw_sandbox *sb = NULL;
        int st = -1;

        if (sw_netplan_build(&w.wl, NULL, SW_NET_SUPERVISED, &plan, NULL) ||
            sw_sandbox_start(plan, NULL, 0, NULL, child_tid_reused, NULL, &sb,
                             NULL) ||
            sw_sandbox_wait(sb, &st, NULL))
                return 2;
        sw_sandbox_free(sb);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}

static void test_thread_number_reused(void **state)
{
        pid_t pid;
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        pid = fork();
        if (pid == 0) {
                pid_t init;

                if (unshare(CLONE_NEWPID) != 0)
                        _exit(77);
                init = fork();
                if (init == 0)
                        _exit(tid_reuse_init());
                if (init < 0 || waitpid(init, &st, 0) != init)
                        _exit(4);
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 5);
        }
        assert_int_equal(waitpid(pid, &st, 0), pid);
        stop_servers();
        assert_true(WIFEXITED(st));
        NH_REQUIRE(WEXITSTATUS(st) != 77,
                   "pid namespaces (unshare CLONE_NEWPID) not permitted");
        assert_int_equal(WEXITSTATUS(st), 0);
        if (seen->wrong)
                fail_msg("wrong checks 0x%x (errno %d)", seen->wrong,
                         seen->last_errno);
        assert_int_equal(counter.dgrams[0], 1);
        assert_int_equal(counter.dgrams[2], 1);
}

/* ---- a caller that forks itself: the netguard steps ---- */

static void test_netguard_around_own_fork(void **state)
{
        sw_netguard *g = NULL;
        sw_error *err = NULL;
        int sv[2];
        pid_t pid;
        int st;
        (void)state;

        setup_servers();
        restrict_all(0);
        assert_int_equal(sw_netguard_new(&w.wl, NULL, &g, NULL), SW_SUCCESS);
        assert_non_null(g);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        pid = fork();
        if (pid == 0) {
                int u = socket(AF_INET, SOCK_DGRAM, 0);

                close(sv[0]);
                if (sw_netguard_child(g, sv[1]) != 0)
                        _exit(100);
                expect(send_to(u, AF_INET, good4.port, "n"), 0, 0);
                expect(send_to(u, AF_INET, bad4.port, "n"), EACCES, 1);
                _exit(0);
        }
        close(sv[1]);
        if (sw_netguard_parent(g, pid, sv[0], &err) != SW_SUCCESS)
                fail_msg("netguard: %s", sw_error_message(err));
        close(sv[0]);
        assert_int_equal(waitpid(pid, &st, 0), pid);
        sw_netguard_free(g);
        stop_servers();
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        assert_int_equal(seen->wrong, 0);
        assert_int_equal(counter.dgrams[0], 1);
        assert_int_equal(counter.dgrams[1], 0);

        /* Nothing restricted: no guard at all. */
        nh_init(&w);
        assert_int_equal(sw_netguard_new(&w.wl, NULL, &g, NULL), SW_SUCCESS);
        assert_null(g);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_addresses),
                cmocka_unit_test(test_sendmsg_sendmmsg),
                cmocka_unit_test(test_race_supervisor_only),
                cmocka_unit_test(test_race_with_landlock),
                cmocka_unit_test(test_callers_killed_mid_call),
                cmocka_unit_test(test_many_threads),
                cmocka_unit_test(test_signals_never_send_twice),
                cmocka_unit_test(test_tcp_judged_by_landlock_or_supervisor),
                cmocka_unit_test(test_supervisor_gone_fails_closed),
                cmocka_unit_test(test_netguard_around_own_fork),
                cmocka_unit_test(test_fd_number_reused),
                cmocka_unit_test(test_thread_number_reused),
        };

        seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (seen == MAP_FAILED)
                return 1;
        return cmocka_run_group_tests(tests, NULL, NULL);
}
