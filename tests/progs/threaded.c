/*
 * threaded.c - a small event-loop program of the kind an async runtime
 * is: worker threads wake an epoll loop through an eventfd and a pipe,
 * and a timerfd ticks.  Used to calibrate and test the default whitelist.
 * Prints "threaded: ok N" and exits 0 when every event arrived.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 4
#define TICKS   3

struct loop {
        int epfd;
        int evfd;
        int pipefd[2];
        int tfd;
        pthread_mutex_t lock;
        int done;
};

static void die(const char *what)
{
        fprintf(stderr, "threaded: %s: %s\n", what, strerror(errno));
        exit(1);
}

static void *worker(void *arg)
{
        struct loop *l = arg;
        uint64_t one = 1;
        char c = 'w';

        pthread_mutex_lock(&l->lock);
        l->done++;
        pthread_mutex_unlock(&l->lock);
        if (write(l->evfd, &one, sizeof(one)) != sizeof(one))
                die("write eventfd");
        if (write(l->pipefd[1], &c, 1) != 1)
                die("write pipe");
        return NULL;
}

static void add(int epfd, int fd)
{
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
                die("epoll_ctl");
}

static void setup(struct loop *l)
{
        struct itimerspec its = {{0, 1000000}, {0, 1000000}};

        l->epfd = epoll_create1(EPOLL_CLOEXEC);
        l->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (l->epfd < 0 || l->evfd < 0 || l->tfd < 0)
                die("create");
        if (pipe2(l->pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
                die("pipe2");
        if (timerfd_settime(l->tfd, 0, &its, NULL) < 0)
                die("timerfd_settime");
        add(l->epfd, l->evfd);
        add(l->epfd, l->pipefd[0]);
        add(l->epfd, l->tfd);
        pthread_mutex_init(&l->lock, NULL);
}

/* Count what one ready descriptor brought. */
static int drain(struct loop *l, int fd)
{
        uint64_t n = 0;
        char buf[64];
        ssize_t r;

        if (fd == l->pipefd[0]) {
                r = read(fd, buf, sizeof(buf));
                return r > 0 ? (int)r : 0;
        }
        if (read(fd, &n, sizeof(n)) != sizeof(n))
                return 0;
        return fd == l->evfd ? (int)n : 0;
}

int main(void)
{
        struct loop l = {0};
        pthread_t t[WORKERS];
        struct epoll_event evs[4];
        int wakes = 0, bytes = 0, ticks = 0;

        setup(&l);
        for (int i = 0; i < WORKERS; i++)
                if (pthread_create(&t[i], NULL, worker, &l) != 0)
                        die("pthread_create");
        while (wakes < WORKERS || bytes < WORKERS || ticks < TICKS) {
                int n = epoll_wait(l.epfd, evs, 4, 5000);

                if (n <= 0)
                        die("epoll_wait");
                for (int i = 0; i < n; i++) {
                        int fd = evs[i].data.fd;
                        int got = drain(&l, fd);

                        if (fd == l.evfd)
                                wakes += got;
                        else if (fd == l.pipefd[0])
                                bytes += got;
                        else if (fd == l.tfd)
                                ticks++;
                }
        }
        for (int i = 0; i < WORKERS; i++)
                pthread_join(t[i], NULL);
        printf("threaded: ok %d\n", l.done);
        return 0;
}
