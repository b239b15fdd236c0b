/*
 * fuzz_import.c - the OCI and Firecracker importers on arbitrary bytes.
 *
 * The first byte picks the format; the rest is the profile.  The import
 * API reads a file, so the bytes go into a memfd opened by its /proc path.
 * Whatever the input: a P1.7 code, no crash, no leak, and on success
 * every produced document is text.
 */
#include "syswall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd_with(const uint8_t *data, size_t size)
{
        int fd = memfd_create("fuzz-import", MFD_CLOEXEC);

        if (fd < 0)
                abort();
        if (size && write(fd, data, size) != (ssize_t)size)
                abort();
        return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        sw_import_format fmt;
        sw_import *imp = NULL;
        sw_report *rep = NULL;
        sw_error *err = NULL;
        char path[64];
        sw_code rc;
        int fd;

        if (size < 1)
                return 0;
        fmt = data[0] & 1 ? SW_IMPORT_FIRECRACKER : SW_IMPORT_OCI;
        fd = memfd_with(data + 1, size - 1);
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

        rc = sw_import_file(path, fmt, NULL, &imp, &rep, &err);
        if ((rc == SW_SUCCESS) != (imp != NULL))
                abort();
        for (size_t i = 0; i < sw_import_count(imp); i++)
                if (strlen(sw_import_json(imp, i)) == 0)
                        abort();

        sw_import_free(imp);
        sw_report_free(rep);
        sw_error_free(err);
        close(fd);
        return 0;
}
