/*
 * learn_prog.c - the project's own program for `syswall learn` tests.
 *
 *   learn_prog threads   four worker threads sum slices of a table and
 *                        hand results back through a pipe; prints the sum
 *   learn_prog net PORT  a TCP echo over 127.0.0.1:PORT between a server
 *                        thread and the main thread, then one UDP datagram
 *                        to 127.0.0.1:PORT+1; prints what came back
 *   learn_prog int80     (x86_64) getpid through the i386 ABI, int 0x80,
 *                        which every syswall filter kills; prints the pid
 *
 * Exits 0 when everything worked, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WORKERS 4
#define SLICE   25000

static int results[2];

static void die(const char *what)
{
        fprintf(stderr, "learn_prog: %s: %s\n", what, strerror(errno));
        exit(1);
}

static void *sum_slice(void *arg)
{
        long first = (long)arg * SLICE;
        long long sum = 0;

        for (long i = first; i < first + SLICE; i++)
                sum += i;
        if (write(results[1], &sum, sizeof(sum)) != sizeof(sum))
                die("write");
        return NULL;
}

static int threads(void)
{
        pthread_t t[WORKERS];
        long long total = 0;

        if (pipe(results) < 0)
                die("pipe");
        for (long i = 0; i < WORKERS; i++)
                if (pthread_create(&t[i], NULL, sum_slice, (void *)i) != 0)
                        die("pthread_create");
        for (int i = 0; i < WORKERS; i++) {
                long long part;

                if (read(results[0], &part, sizeof(part)) != sizeof(part))
                        die("read");
                total += part;
        }
        for (int i = 0; i < WORKERS; i++)
                pthread_join(t[i], NULL);
        printf("sum %lld\n", total);
        return 0;
}

static struct sockaddr_in loopback(int port)
{
        struct sockaddr_in sa = {.sin_family = AF_INET};

        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return sa;
}

static void *echo_once(void *arg)
{
        int ls = *(int *)arg;
        int c = accept(ls, NULL, NULL);
        char buf[64];
        ssize_t n;

        if (c < 0)
                die("accept");
        n = recv(c, buf, sizeof(buf), 0);
        if (n <= 0 || send(c, buf, (size_t)n, 0) != n)
                die("echo");
        close(c);
        return NULL;
}

static int listener(int port)
{
        struct sockaddr_in sa = loopback(port);
        int one = 1;
        int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (ls < 0)
                die("socket");
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(ls, 1) < 0)
                die("bind");
        return ls;
}

static void udp_send(int port)
{
        struct sockaddr_in sa = loopback(port);
        int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (u < 0 ||
            sendto(u, "ping", 4, 0, (struct sockaddr *)&sa, sizeof(sa)) != 4)
                die("sendto");
        close(u);
}

static int net(int port)
{
        struct sockaddr_in sa = loopback(port);
        int ls = listener(port);
        int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        pthread_t t;
        char buf[64] = "";

        if (pthread_create(&t, NULL, echo_once, &ls) != 0)
                die("pthread_create");
        if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                die("connect");
        if (send(c, "hello", 5, 0) != 5 || recv(c, buf, 5, MSG_WAITALL) != 5)
                die("client");
        pthread_join(t, NULL);
        udp_send(port + 1);
        printf("echo %s\n", buf);
        return 0;
}

#if defined(__x86_64__)
/* getpid is 20 in the i386 table. */
static int int80(void)
{
        long pid;

        __asm__ volatile("int $0x80" : "=a"(pid) : "a"(20L) : "memory");
        printf("pid %s\n", pid == getpid() ? "same" : "differs");
        return 0;
}
#endif

int main(int argc, char **argv)
{
        if (argc == 2 && strcmp(argv[1], "threads") == 0)
                return threads();
        if (argc == 3 && strcmp(argv[1], "net") == 0)
                return net(atoi(argv[2]));
#if defined(__x86_64__)
        if (argc == 2 && strcmp(argv[1], "int80") == 0)
                return int80();
#endif
        fprintf(stderr, "usage: learn_prog threads | net PORT | int80\n");
        return 2;
}
