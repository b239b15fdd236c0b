/*
 * net_bench.c - what a port restriction costs: one TCP connect (and one
 * UDP sendto) plain, judged by Landlock in-process, judged by the
 * supervisor, and by the supervisor with Landlock, measured in the same
 * run.
 *
 * Each mode lives in a child process of its own (a filter cannot be
 * removed); the parent asks the children in turn for a batch of timed
 * calls, so that the modes are sampled interleaved, and prints the
 * medians and their ratios to the plain call.
 *
 *   net_bench [ROUNDS [BATCH]]      (default 20 rounds of 100 calls)
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum mode { PLAIN, LANDLOCK, SUPERVISOR, SUPERVISOR_LL, MODES };

static const char *const mode_names[MODES] = {
        "plain", "Landlock (in-process)", "supervisor", "supervisor+Landlock"};

struct worker {
        int cmd[2]; /* parent -> child: 'c' connect batch, 's' sendto, 'q' */
        int res[2]; /* child -> parent: the batch's durations */
        pid_t pid;
        sw_sandbox *sb;
};

static struct worker workers[MODES];
static uint16_t tcp_port;
static uint16_t udp_port;
static int batch = 100;

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

static void start(enum mode m)
{
        struct worker *w = &workers[m];
        sw_error *err = NULL;

        if (pipe(w->cmd) || pipe(w->res))
                exit(1);
        if (m == PLAIN || m == LANDLOCK) {
                w->pid = fork();
                if (w->pid == 0) {
                        if (m == PLAIN)
                                serve_batches(w);
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

static void measure(char kind, int rounds, int skip)
{
        size_t n = (size_t)rounds * (size_t)batch;
        double *all[MODES];
        double med[MODES];

        for (int m = 0; m < MODES; m++)
                all[m] = m == skip ? NULL : calloc(n, sizeof(double));
        for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < MODES; m++) {
                        struct worker *w = &workers[m];
                        double *dst;
                        size_t want = sizeof(double) * (size_t)batch;
                        size_t got = 0;

                        if (m == skip)
                                continue;
                        dst = all[m] + (size_t)r * (size_t)batch;

                        if (write(w->cmd[1], &kind, 1) != 1)
                                exit(1);
                        while (got < want) {
                                ssize_t k = read(w->res[0], (char *)dst + got,
                                                 want - got);

                                if (k <= 0) {
                                        fprintf(stderr, "net_bench: %s died\n",
                                                mode_names[m]);
                                        exit(1);
                                }
                                got += (size_t)k;
                        }
                }
        }
        printf("%s, %d interleaved rounds of %d calls, median per call:\n",
               kind == 'c' ? "TCP connect to 127.0.0.1"
                           : "UDP sendto 127.0.0.1",
               rounds, batch);
        for (int m = 0; m < MODES; m++) {
                if (m == skip)
                        continue;
                med[m] = median(all[m], n);
                printf("  %-24s %9.1f us   x%.2f\n", mode_names[m],
                       med[m] / 1000, med[m] / med[PLAIN]);
                free(all[m]);
        }
}

int main(int argc, char **argv)
{
        int rounds = argc > 1 ? atoi(argv[1]) : 20;

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

        measure('c', rounds, -1);
        /* In-process, Landlock does not judge UDP (the network filter
         * refuses UDP sockets instead): no line for it. */
        measure('s', rounds, LANDLOCK);

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
