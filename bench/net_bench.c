/*
 * net_bench.c - what a port restriction costs: one TCP connect (and one
 * UDP sendto) plain, judged by Landlock alone, judged by Landlock and the
 * network filter in-process (as sw_filter_load() applies them), judged
 * by the supervisor, and by the supervisor with Landlock, measured in
 * the same run.
 *
 * Each mode lives in a child process of its own (a filter cannot be
 * removed), made the same way, with the same sockets; the timed calls
 * are the same code.  The parent asks the children in turn for a batch
 * of timed calls, starting each round with a different mode, so that
 * every mode sees the same drift of a shared machine.  Per mode it
 * prints the median of the batch medians, and, against the plain batch
 * of the same round, the median ratio and difference with their 10th
 * and 90th percentiles over the rounds (the spread).
 *
 * The supervised children are what `syswall run` makes: the supervisor
 * runs in their parent process (this one), the calls in the child.
 *
 *   net_bench [ROUNDS [BATCH]]      (default 200 rounds of 50 calls)
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kcompat.h"

enum mode {
        PLAIN,
        LL_ONLY,
        LANDLOCK,
        ROUND_TRIP,
        SUPERVISOR,
        SUPERVISOR_LL,
        MODES
};

static const char *const mode_names[MODES] = {
        "plain",           "Landlock alone", "Landlock (in-process)",
        "round trip only", "supervisor",     "supervisor+Landlock"};

struct worker {
        int cmd[2]; /* parent -> child: 'c' connect batch, 's' sendto, 'q' */
        int res[2]; /* child -> parent: the batch's durations */
        pid_t pid;
        sw_sandbox *sb;
};

static struct worker workers[MODES];
static uint16_t tcp_port;
static uint16_t udp_port;
static int batch = 50;

static double now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct sockaddr_in loopback(uint16_t port)
{
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons(port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

        return a;
}

/* One timed call of the kind asked for. */
static double timed_call(char kind, int udp)
{
        struct sockaddr_in a = loopback(kind == 'c' ? tcp_port : udp_port);
        double t0;
        double t1;
        int s = -1;

        if (kind == 'c')
                s = socket(AF_INET, SOCK_STREAM, 0);
        t0 = now_ns();
        if (kind == 'c') {
                if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
                        _exit(3);
        } else if (sendto(udp, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) !=
                   1) {
                _exit(4);
        }
        t1 = now_ns();
        if (s >= 0)
                close(s);
        return t1 - t0;
}

/* The child's loop: batches on demand until 'q'. */
static void serve_batches(void *arg)
{
        struct worker *w = arg;
        double *t = calloc((size_t)batch, sizeof(*t));
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        char kind;

        close(w->cmd[1]);
        close(w->res[0]);
        while (t && read(w->cmd[0], &kind, 1) == 1 && kind != 'q') {
                for (int i = 0; i < batch; i++)
                        t[i] = timed_call(kind, udp);
                if (write(w->res[1], t, sizeof(*t) * (size_t)batch) < 0)
                        _exit(5);
        }
        _exit(0);
}

static struct nh_rule_set {
        struct sw_whitelist wl;
        struct sw_rule rules[2];
        struct sw_cond conds[2];
        struct sw_ports ports[2];
        uint16_t tcp;
        uint16_t udp;
} rs;

/* connect limited to the TCP server's port, sendto to the UDP one. */
static void make_whitelist(void)
{
        const char *names[2] = {"connect", "sendto"};
        uint16_t *ports[2] = {&rs.tcp, &rs.udp};

        rs.tcp = tcp_port;
        rs.udp = udp_port;
        rs.wl.rules = rs.rules;
        rs.wl.nrules = 2;
        for (int i = 0; i < 2; i++) {
                rs.rules[i].name = (char *)names[i];
                rs.rules[i].perm = SW_CONDITIONAL;
                rs.rules[i].err_no = EACCES;
                rs.rules[i].conds = &rs.conds[i];
                rs.rules[i].nconds = 1;
                rs.conds[i].ports = &rs.ports[i];
                rs.ports[i].ports = ports[i];
                rs.ports[i].count = 1;
        }
}

static struct sw_netplan *plan_for(enum sw_net_mode m, bool landlock)
{
        struct sw_netplan *plan = NULL;
        sw_config *cfg = sw_config_new();

        if (cfg == NULL) {
                fprintf(stderr, "net_bench: out of memory\n");
                exit(1);
        }
        sw_config_set_landlock(cfg, landlock);
        if (sw_netplan_build(&rs.wl, cfg, m, &plan, NULL)) {
                fprintf(stderr, "net_bench: cannot plan\n");
                exit(1);
        }
        sw_config_free(cfg);
        return plan;
}

static void landlock_child(void *arg)
{
        struct sw_netplan *plan = plan_for(SW_NET_IN_PROCESS, true);
        sw_error *err = NULL;

        /* In-process the sendto restriction means "TCP sockets only":
         * time the connects; the UDP socket is made before applying. */
        if (sw_netplan_apply_self(plan, &err) != SW_SUCCESS) {
                fprintf(stderr, "net_bench: %s\n", sw_error_message(err));
                _exit(2);
        }
        serve_batches(arg);
}

/* Landlock's TCP connect rule and nothing else: its hook's own cost. */
static void landlock_alone_child(void *arg)
{
        struct sw_ll_net ll = {
                .connect = true, .cports = &rs.tcp, .ncports = 1};
        int fd = -1;

        if (sw_landlock_prepare(&ll, &fd, NULL) != SW_SUCCESS ||
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            sw_landlock_restrict(fd) != 0) {
                fprintf(stderr, "net_bench: cannot apply Landlock\n");
                _exit(2);
        }
        close(fd);
        serve_batches(arg);
}

/*
 * The floor under every supervisor: the notification round trip alone.
 * The child's connect and sendto stop for a user notification that a
 * thread here answers with SECCOMP_USER_NOTIF_FLAG_CONTINUE at once, so
 * the kernel then performs them as usual.  A benchmark only: CONTINUE
 * is no security decision, and syswall never answers with it.
 */
static void round_trip_child(void *arg)
{
        struct worker *w = arg;
        struct sock_filter f[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                         offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_connect, 1, 0),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendto, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
        int l;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                _exit(2);
        l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                         SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
        /* The parent takes the listener by its number. */
        if (l < 0 || write(w->res[1], &l, sizeof(l)) != sizeof(l))
                _exit(2);
        serve_batches(w);
}

static void *round_trip_answer(void *arg)
{
        int l = *(int *)arg;
        struct seccomp_notif n;
        struct seccomp_notif_resp r;
        struct pollfd p = {.fd = l, .events = POLLIN};

        while (poll(&p, 1, -1) >= 0 && !(p.revents & (POLLHUP | POLLERR))) {
                memset(&n, 0, sizeof(n));
                if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &n) != 0)
                        continue;
                memset(&r, 0, sizeof(r));
                r.id = n.id;
                r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &r);
        }
        return NULL;
}

static void start_round_trip(struct worker *w)
{
        static int listener;
        pthread_t t;
        int fd = -1;
        int pidfd;

        w->pid = fork();
        if (w->pid == 0)
                round_trip_child(w);
        pidfd = (int)syscall(SYS_pidfd_open, w->pid, 0);
        if (read(w->res[0], &fd, sizeof(fd)) != sizeof(fd) || pidfd < 0)
                exit(1);
        listener = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        close(pidfd);
        /* As the supervisor does (Linux 6.6); optional. */
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
              SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
        if (listener < 0 ||
            pthread_create(&t, NULL, round_trip_answer, &listener) != 0)
                exit(1);
}

static void start(enum mode m)
{
        struct worker *w = &workers[m];
        sw_error *err = NULL;

        if (pipe(w->cmd) || pipe(w->res))
                exit(1);
        if (m == ROUND_TRIP) {
                start_round_trip(w);
        } else if (m == PLAIN || m == LL_ONLY || m == LANDLOCK) {
                w->pid = fork();
                if (w->pid == 0) {
                        if (m == PLAIN)
                                serve_batches(w);
                        if (m == LL_ONLY)
                                landlock_alone_child(w);
                        landlock_child(w);
                }
        } else {
                struct sw_netplan *p =
                        plan_for(SW_NET_SUPERVISED, m == SUPERVISOR_LL);

                if (sw_sandbox_start(p, NULL, 0, NULL, serve_batches, w, &w->sb,
                                     &err) != SW_SUCCESS) {
                        fprintf(stderr, "net_bench: %s\n",
                                sw_error_message(err));
                        exit(1);
                }
                w->pid = sw_sandbox_pid(w->sb);
        }
        close(w->cmd[0]);
        close(w->res[1]);
}

static int cmp(const void *a, const void *b)
{
        double x = *(const double *)a;
        double y = *(const double *)b;

        return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
        qsort(v, n, sizeof(*v), cmp);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *acceptor(void *arg)
{
        int l = *(int *)arg;
        int c;

        while ((c = accept(l, NULL, NULL)) >= 0)
                close(c);
        return NULL;
}

static void *drainer(void *arg)
{
        int u = *(int *)arg;
        char buf[64];

        while (recv(u, buf, sizeof(buf), 0) >= 0)
                ;
        return NULL;
}

static int servers(void)
{
        static int l;
        static int u;
        struct sockaddr_in a = loopback(0);
        socklen_t len = sizeof(a);
        pthread_t t;

        l = socket(AF_INET, SOCK_STREAM, 0);
        u = socket(AF_INET, SOCK_DGRAM, 0);
        if (bind(l, (struct sockaddr *)&a, len) || listen(l, 4096) ||
            getsockname(l, (struct sockaddr *)&a, &len))
                return -1;
        tcp_port = ntohs(a.sin_port);
        a.sin_port = 0;
        if (bind(u, (struct sockaddr *)&a, sizeof(a)) ||
            getsockname(u, (struct sockaddr *)&a, &len))
                return -1;
        udp_port = ntohs(a.sin_port);
        pthread_create(&t, NULL, acceptor, &l);
        pthread_create(&t, NULL, drainer, &u);
        return 0;
}

/* One batch of mode m: its median per call. */
static double ask(enum mode m, char kind, double *t)
{
        struct worker *w = &workers[m];
        size_t want = sizeof(double) * (size_t)batch;
        size_t got = 0;

        if (write(w->cmd[1], &kind, 1) != 1)
                exit(1);
        while (got < want) {
                ssize_t k = read(w->res[0], (char *)t + got, want - got);

                if (k <= 0) {
                        fprintf(stderr, "net_bench: %s died\n", mode_names[m]);
                        exit(1);
                }
                got += (size_t)k;
        }
        return median(t, (size_t)batch);
}

/* The p-th quantile (0..1) of v, nearest rank; v is sorted. */
static double quantile(double *v, size_t n, double p)
{
        size_t i;

        qsort(v, n, sizeof(*v), cmp);
        i = (size_t)(p * (double)(n - 1) + 0.5);
        return v[i];
}

static void report(char kind, int rounds, double *med[MODES], const bool skip[])
{
        size_t n = (size_t)rounds;
        double *ratio = calloc(n, sizeof(double));
        double *diff = calloc(n, sizeof(double));

        if (ratio == NULL || diff == NULL)
                exit(1);
        printf("%s, %d interleaved rounds of %d calls: median of batch "
               "medians; against plain in the same round, median "
               "[10th, 90th percentile]:\n",
               kind == 'c' ? "TCP connect to 127.0.0.1"
                           : "UDP sendto 127.0.0.1",
               rounds, batch);
        for (int m = 0; m < MODES; m++) {
                if (skip[m])
                        continue;
                for (size_t r = 0; r < n; r++) {
                        ratio[r] = med[m][r] / med[PLAIN][r];
                        diff[r] = (med[m][r] - med[PLAIN][r]) / 1000;
                }
                printf("  %-24s %9.1f us   x%.3f [%.3f, %.3f]   "
                       "%+.1f us [%+.1f, %+.1f]\n",
                       mode_names[m], quantile(med[m], n, 0.5) / 1000,
                       quantile(ratio, n, 0.5), quantile(ratio, n, 0.1),
                       quantile(ratio, n, 0.9), quantile(diff, n, 0.5),
                       quantile(diff, n, 0.1), quantile(diff, n, 0.9));
        }
        free(ratio);
        free(diff);
}

static void measure(char kind, int rounds, const bool skip[])
{
        double *t = calloc((size_t)batch, sizeof(double));
        double *med[MODES];

        for (int m = 0; m < MODES; m++) {
                med[m] = calloc((size_t)rounds, sizeof(double));
                if (med[m] == NULL || t == NULL)
                        exit(1);
        }
        /* Each round starts with the next mode: none is always first. */
        for (int r = 0; r < rounds; r++)
                for (int i = 0; i < MODES; i++) {
                        int m = (r + i) % MODES;

                        if (!skip[m])
                                med[m][r] = ask((enum mode)m, kind, t);
                }
        report(kind, rounds, med, skip);
        for (int m = 0; m < MODES; m++)
                free(med[m]);
        free(t);
}

int main(int argc, char **argv)
{
        int rounds = argc > 1 ? atoi(argv[1]) : 200;
        bool none[MODES] = {false};
        /* In-process, Landlock does not judge UDP (the network filter
         * refuses UDP sockets instead): no line for it. */
        bool udp_skip[MODES] = {[LL_ONLY] = true, [LANDLOCK] = true};

        if (argc > 2)
                batch = atoi(argv[2]);
        if (rounds <= 0 || batch <= 0 || servers() != 0) {
                fprintf(stderr, "usage: net_bench [ROUNDS [BATCH]]\n");
                return 1;
        }
        if (sw_landlock_abi() < SW_LANDLOCK_NET_ABI) {
                fprintf(stderr, "net_bench: Landlock ABI 4 absent\n");
                return 1;
        }
        make_whitelist();
        for (int m = 0; m < MODES; m++)
                start((enum mode)m);

        measure('c', rounds, none);
        measure('s', rounds, udp_skip);

        for (int m = 0; m < MODES; m++) {
                char q = 'q';

                if (write(workers[m].cmd[1], &q, 1) < 0)
                        continue;
        }
        for (int m = 0; m < MODES; m++) {
                if (workers[m].sb) {
                        sw_sandbox_wait(workers[m].sb, NULL, NULL);
                        sw_sandbox_free(workers[m].sb);
                } else {
                        waitpid(workers[m].pid, NULL, 0);
                }
        }
        return 0;
}
