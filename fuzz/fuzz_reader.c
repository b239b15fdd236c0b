/*
 * fuzz_reader.c - the document reader and checker on arbitrary bytes.
 *
 * Whatever the input, loading must return a P1.7 code, never crash or
 * leak, and either produce a whitelist or at least one error diagnostic.
 */
#include "syswall.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_code rc;

        rc = sw_whitelist_load_buffer((const char *)data, size, "fuzz", NULL,
                                      &wl, &rep);
        if ((rc == SW_SUCCESS) != (wl != NULL))
                abort();
        if (rc != SW_SUCCESS &&
            sw_report_count_severity(rep, SW_SEV_ERROR) == 0)
                abort();
        for (size_t i = 0; i < sw_report_count(rep); i++)
                if (sw_report_message(rep, i) == NULL)
                        abort();
        sw_whitelist_free(wl);
        sw_report_free(rep);
        return 0;
}
