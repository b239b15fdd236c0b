/*
 * fuzz_canon.c - the canonical form (RFC 8785) on arbitrary JSON.
 *
 * Whatever jansson accepts must canonicalize to text that jansson reads
 * back, and canonicalizing that again must give the same bytes: the form
 * is a fixed point, or two signers could disagree on what they sign.
 * One exception: a real of 1e20 is written as 100000000000000000000, as
 * ECMAScript does, and jansson refuses to read that back as an integer
 * (numeric overflow).  Verifying never reads the canonical form, so that
 * is accepted here and nothing else.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        json_t *first =
                json_loadb((const char *)data, size,
                           JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
        json_error_t jerr;
        json_t *again;
        char *a = NULL, *b = NULL;
        size_t alen = 0, blen = 0;

        if (first == NULL)
                return 0;
        if (sw_canon(first, "signature", &a, &alen, NULL) != SW_SUCCESS)
                abort();
        again = json_loadb(a, alen, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                           &jerr);
        if (again == NULL &&
            json_error_code(&jerr) == json_error_numeric_overflow) {
                free(a);
                json_decref(first);
                return 0;
        }
        if (again == NULL ||
            sw_canon(again, "signature", &b, &blen, NULL) != SW_SUCCESS ||
            alen != blen || memcmp(a, b, alen) != 0)
                abort();
        free(a);
        free(b);
        json_decref(again);
        json_decref(first);
        return 0;
}
