/*
 * output.c - writing a command's result to a file or standard output.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>

int cli_write_out(const char *cmd, const char *path, const char *data,
                  size_t len)
{
        FILE *f = path ? fopen(path, "w") : stdout;
        bool ok;

        if (f == NULL)
                return cli_fail(cmd, SW_EIO, "cannot write '%s': %s", path,
                                strerror(errno));
        ok = fwrite(data, 1, len, f) == len;

        /* A full disk shows at the flush, not at fwrite. */
        if (path)
                ok = fclose(f) == 0 && ok;
        else
                ok = fflush(stdout) == 0 && ok;
        if (!ok)
                return cli_fail(cmd, SW_EIO, "cannot write '%s': %s",
                                path ? path : "standard output",
                                strerror(errno));
        return 0;
}
