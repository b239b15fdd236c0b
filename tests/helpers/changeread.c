/*
 * changeread.c - an LD_PRELOAD library that changes a file between its
 * open and each read, deterministically: the reader has already taken
 * the file's size with fstat when the change happens.  The file is
 * named by SW_CHANGE_PATH; SW_CHANGE says how: "grow" appends a line,
 * "truncate" empties it (the document vanishes while it is read).  Used
 * by tests/cli_badinput.sh.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t read(int fd, void *buf, size_t n);

/* Whether fd is the file named by path (same device and inode). */
static int is_target(int fd, const char *path)
{
        struct stat a, b;

        return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void change(const char *path, const char *how)
{
        int fd;

        if (strcmp(how, "truncate") == 0) {
                (void)!truncate(path, 0);
                return;
        }
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0)
                return;
        (void)!write(fd, "\n\n", 2);
        close(fd);
}

ssize_t read(int fd, void *buf, size_t n)
{
        static ssize_t (*real)(int, void *, size_t);
        const char *path = getenv("SW_CHANGE_PATH");
        const char *how = getenv("SW_CHANGE");

        if (real == NULL)
                real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT,
                                                              "read");
        if (path && how && is_target(fd, path))
                change(path, how);
        return real(fd, buf, n);
}
