/*
 * fuzz_verify.c - signature verification on arbitrary documents.
 *
 * A key pair is made once in a scratch directory; every input is
 * verified against it.  No input may crash, leak, or verify as valid
 * unless it really carries that key's signature (which random bytes
 * never do: a "valid" answer for a mutated input is a finding).
 */
#include "syswall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sw_trust *trust;

static void make_trust(void)
{
        char dir[] = "/tmp/sw-fuzz-verify-XXXXXX";
        char base[128], pub[140];

        if (mkdtemp(dir) == NULL)
                abort();
        snprintf(base, sizeof(base), "%s/k", dir);
        snprintf(pub, sizeof(pub), "%s.pub", base);
        if (sw_keygen(base, "fuzz", NULL, NULL) != SW_SUCCESS ||
            sw_trust_load(pub, &trust, NULL) != SW_SUCCESS)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        sw_sig_state state = SW_SIG_UNSIGNED;
        sw_error *err = NULL;
        sw_code rc;

        if (trust == NULL)
                make_trust();
        rc = sw_verify_buffer((const char *)data, size, "fuzz", trust, &state,
                              NULL, &err);
        if (rc == SW_SUCCESS || state == SW_SIG_VALID)
                abort();
        sw_error_free(err);
        return 0;
}
