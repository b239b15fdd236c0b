/*
 * failmalloc.c - an LD_PRELOAD library that makes exactly one allocation
 * fail: the Nth call of malloc, calloc or realloc, N from the environment
 * variable SW_FAIL_ALLOC.  Later calls succeed again, so the program has
 * to get through the failure on its own.  Used by tests/cli_failalloc.sh.
 * A forked child counts on from the parent's count at the fork.
 * The real allocator is glibc's, reached through its __libc_* entries.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

static long count;
static long fail_at = -1;

static int should_fail(void)
{
        if (fail_at < 0) {
                const char *s = getenv("SW_FAIL_ALLOC");

                fail_at = s ? atol(s) : 0;
        }
        if (++count != fail_at)
                return 0;
        errno = ENOMEM;
        return 1;
}

void *malloc(size_t size)
{
        return should_fail() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
        return should_fail() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
        return should_fail() ? NULL : __libc_realloc(p, size);
}

/* With SW_COUNT_ALLOC set, the number of calls is written at exit. */
__attribute__((destructor)) static void report(void)
{
        char buf[32];
        int i = sizeof(buf);
        long n = count;

        if (getenv("SW_COUNT_ALLOC") == NULL)
                return;
        buf[--i] = '\n';
        do {
                buf[--i] = (char)('0' + n % 10);
                n /= 10;
        } while (n > 0 && i > 0);
        (void)!write(2, buf + i, sizeof(buf) - (size_t)i);
}
