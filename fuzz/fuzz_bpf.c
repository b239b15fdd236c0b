/*
 * fuzz_bpf.c - the BPF checker and interpreter on arbitrary programs.
 *
 * The input is a raw program; a program the checker accepts is run on a
 * few calls, and must end in an action within a bounded number of steps
 * (classic BPF only jumps forward, so a program of n instructions runs at
 * most n of them).
 */
#include "syswall.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const uint64_t args[3][6] = {
                {0},
                {~0ULL, 1, 2, 3, 4, 5},
                {0xffffffff00000028ULL, 0x100000000ULL, 0, 0, 0, 0},
        };
        static const int nrs[] = {0, 39, 101, 0x40000000 | 39, -1};
        sw_filter *f = NULL;
        sw_error *err = NULL;

        if (sw_filter_from_bpf(data, size, &f, &err) != SW_SUCCESS) {
                if (f != NULL || err == NULL)
                        abort();
                sw_error_free(err);
                return 0;
        }
        for (size_t a = 0; a < 3; a++) {
                for (size_t n = 0; n < sizeof(nrs) / sizeof(nrs[0]); n++) {
                        uint32_t action = 0;
                        unsigned insns = 0;

                        if (sw_filter_simulate(f, 0xc000003e, nrs[n], args[a],
                                               &action, &insns) != SW_SUCCESS)
                                abort();
                        if (insns == 0 || insns > sw_filter_length(f))
                                abort();
                }
        }
        sw_filter_free(f);
        return 0;
}
