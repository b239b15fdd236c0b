/*
 * filter.c - filters as programs: simulation, raw import, verification.
 */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

sw_code sw_filter_simulate(const sw_filter *f, uint32_t arch, int nr,
                           const uint64_t args[6], uint32_t *action,
                           unsigned *insns)
{
        struct seccomp_data data;

        if (f == NULL || f->prog == NULL || action == NULL)
                return SW_EINTERNAL;
        sw_bpf_data(&data, arch, nr, args);
        *action = sw_bpf_run(f->prog, f->len, &data, insns);
        return SW_SUCCESS;
}

sw_code sw_filter_from_bpf(const void *buf, size_t len, sw_filter **out,
                           sw_error **err)
{
        size_t n = len / sizeof(struct sock_filter);
        sw_filter *f;
        sw_code sc;

        *out = NULL;
        if (len % sizeof(struct sock_filter) != 0)
                return sw_fail(
                        err, SW_EPROTO,
                        "a BPF program is a multiple of 8 bytes; this one has %zu",
                        len);
        sc = sw_bpf_check(buf, n, err);
        if (sc != SW_SUCCESS)
                return sc;
        f = calloc(1, sizeof(*f));
        if (f != NULL)
                f->prog = malloc(len);
        if (f == NULL || f->prog == NULL) {
                free(f);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        memcpy(f->prog, buf, len);
        f->len = n;
        f->raw = true;
        *out = f;
        return SW_SUCCESS;
}

uint32_t sw_filter_arch(const sw_filter *f)
{
        return f->arch;
}

sw_code sw_filter_verify(const sw_filter *f, const sw_whitelist *wl,
                         sw_error **err)
{
        sw_code sc = sw_bpf_check(f->prog, f->len, err);

        return sc == SW_SUCCESS ? sw_prove(wl, f, err) : sc;
}
