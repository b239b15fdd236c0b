/*
 * fdio.c - whole reads and writes on a file descriptor: the loops that
 * retry after EINTR and a short transfer, written once for the cache, the
 * signer and the filter export.
 */
#include "internal.h"

#include <errno.h>
#include <unistd.h>

bool sw_read_full(int fd, void *buf, size_t size)
{
        char *p = buf;

        while (size > 0) {
                ssize_t n = read(fd, p, size);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return false;
                p += n;
                size -= (size_t)n;
        }
        return true;
}

bool sw_write_full(int fd, const void *buf, size_t size)
{
        const char *p = buf;

        while (size > 0) {
                ssize_t n = write(fd, p, size);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return false;
                p += n;
                size -= (size_t)n;
        }
        return true;
}
