/*
 * canon.c - the canonical form of a JSON value (RFC 8785, JCS).
 *
 * A signature covers bytes, and a JSON document can be written in many
 * ways that mean the same.  The JSON Canonicalization Scheme picks one:
 * no whitespace, object members sorted by the UTF-16 code units of their
 * names, strings with the fewest escapes, numbers as ECMAScript prints
 * them.  Reformatting a document or reordering its members therefore
 * keeps its signature, and any change of meaning breaks it.
 *
 * One deliberate difference: JCS reads every number as an IEEE 754
 * double, so two integers above 2^53 that round to the same double
 * (9007199254740993 and 9007199254740992) would share one canonical form
 * and one signature.  Integers are written here exactly as jansson holds
 * them, every digit kept; within the double's exact range (|n| <= 2^53)
 * this is the same text JCS produces.  Reals are written in the shortest
 * form that reads back to the same double, as JCS requires.
 */
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing output buffer; a failed allocation is remembered. */
struct out {
        char *p;
        size_t len;
        size_t cap;
        bool oom;
};

static void put(struct out *o, const char *s, size_t n)
{
        if (o->oom)
                return;
        if (o->len + n + 1 > o->cap) {
                size_t cap = o->cap ? o->cap : 256;
                char *p;

                while (cap < o->len + n + 1)
                        cap *= 2;
                p = realloc(o->p, cap);
                if (p == NULL) {
                        o->oom = true;
                        return;
                }
                o->p = p;
                o->cap = cap;
        }
        memcpy(o->p + o->len, s, n);
        o->len += n;
        o->p[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
        put(o, s, strlen(s));
}

/* ---- strings ---- */

/* The two-character escapes JCS uses; other controls become \u00xx. */
static const char *short_escape(unsigned char c)
{
        switch (c) {
        case '\b':
                return "\\b";
        case '\t':
                return "\\t";
        case '\n':
                return "\\n";
        case '\f':
                return "\\f";
        case '\r':
                return "\\r";
        case '"':
                return "\\\"";
        case '\\':
                return "\\\\";
        default:
                return NULL;
        }
}

/*
 * Everything but the quote, the backslash and the controls below 0x20
 * is written as the UTF-8 it is (jansson has already checked it).
 */
static void put_string(struct out *o, const char *s, size_t n)
{
        size_t run = 0;

        put(o, "\"", 1);
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                const char *esc = short_escape(c);
                char hex[8];

                if (esc == NULL && c >= 0x20)
                        continue;
                put(o, s + run, i - run);
                run = i + 1;
                if (esc == NULL) {
                        snprintf(hex, sizeof(hex), "\\u%04x", c);
                        esc = hex;
                }
                puts_(o, esc);
        }
        put(o, s + run, n - run);
        put(o, "\"", 1);
}

/* ---- member order: UTF-16 code units ---- */

/*
 * Reads UTF-16 code units out of valid UTF-8.  A code point above
 * U+FFFF yields its high surrogate, then its low one; that is the only
 * place where UTF-16 order differs from the byte order of UTF-8.
 */
struct u16_iter {
        const unsigned char *s;
        size_t n;
        size_t i;
        unsigned pending; /* low surrogate still to give, or 0 */
};

static unsigned utf8_decode(struct u16_iter *it)
{
        unsigned c = it->s[it->i++];
        int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

        if (more)
                c &= 0x3fu >> more;
        while (more-- > 0 && it->i < it->n)
                c = (c << 6) | (it->s[it->i++] & 0x3fu);
        return c;
}

/* The next code unit, or -1 at the end. */
static long u16_next(struct u16_iter *it)
{
        unsigned cp;

        if (it->pending) {
                cp = it->pending;
                it->pending = 0;
                return cp;
        }
        if (it->i >= it->n)
                return -1;
        cp = utf8_decode(it);
        if (cp < 0x10000)
                return cp;
        cp -= 0x10000;
        it->pending = 0xdc00 + (cp & 0x3ff);
        return 0xd800 + (cp >> 10);
}

static int u16_compare(const char *a, const char *b)
{
        struct u16_iter x = {(const unsigned char *)a, strlen(a), 0, 0};
        struct u16_iter y = {(const unsigned char *)b, strlen(b), 0, 0};

        for (;;) {
                long p = u16_next(&x), q = u16_next(&y);

                if (p != q)
                        return p < q ? -1 : 1;
                if (p < 0)
                        return 0;
        }
}

static int by_key(const void *a, const void *b)
{
        return u16_compare(*(const char *const *)a, *(const char *const *)b);
}

/* ---- numbers ---- */

/*
 * Shortest decimal digits that read back as v (v > 0, finite): for each
 * precision, the correctly rounded candidate first; at a power of two the
 * interval that rounds to v is lopsided, so the neighbour on the other
 * side of v may round-trip when the nearest does not.
 */
struct decimal {
        char digits[24]; /* no leading zero, no trailing zeros */
        int exp;         /* value = 0.d1d2d3... * 10^exp */
};

static bool read_back(const char *digits, int exp10, double v)
{
        char buf[48];

        snprintf(buf, sizeof(buf), "0.%se%d", digits, exp10);
        return strtod(buf, NULL) == v;
}

/* Add delta (+1 or -1) to the last digit; keeps the digit count. */
static bool step_digits(char *d, int *exp10, int delta)
{
        size_t n = strlen(d);
        size_t i = n;

        while (i-- > 0) {
                int c = d[i] - '0' + delta;

                if (c >= 0 && c <= 9) {
                        d[i] = (char)('0' + c);
                        break;
                }
                d[i] = delta > 0 ? '0' : '9';
                if (i == 0)
                        break;
        }
        if (d[0] == '0' && delta > 0) {
                /* 99..9 + 1: one digit more, drop the last zero */
                memmove(d + 1, d, n - 1);
                d[0] = '1';
                (*exp10)++;
                return true;
        }
        if (d[0] == '0') {
                /* 10..0 - 1 = 9..9 with one digit less */
                memmove(d, d + 1, n);
                (*exp10)--;
                return n > 1;
        }
        return true;
}

static void strip_zeros(char *d)
{
        size_t n = strlen(d);

        while (n > 1 && d[n - 1] == '0')
                d[--n] = '\0';
}

/* Parse "%.*e" output "D.DDDe+XX" into digits and exponent. */
static void parse_e(const char *buf, struct decimal *dec)
{
        size_t k = 0;
        const char *p = buf;

        for (; *p && *p != 'e'; p++)
                if (*p >= '0' && *p <= '9')
                        dec->digits[k++] = *p;
        dec->digits[k] = '\0';
        dec->exp = atoi(p + 1) + 1;
}

static void shortest(double v, struct decimal *dec)
{
        char buf[48];

        for (int prec = 1; prec <= 17; prec++) {
                struct decimal alt;
                double near;

                snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
                parse_e(buf, dec);
                near = strtod(buf, NULL);
                if (near == v || prec == 17)
                        break;
                alt = *dec;
                if (step_digits(alt.digits, &alt.exp, near > v ? -1 : 1) &&
                    read_back(alt.digits, alt.exp, v)) {
                        *dec = alt;
                        break;
                }
        }
        strip_zeros(dec->digits);
}

/* ECMAScript Number::toString for a finite, non-zero double. */
static void put_real(struct out *o, double v)
{
        struct decimal dec;
        char buf[64];
        int k, n;

        if (v == 0) {
                puts_(o, "0"); /* -0 too */
                return;
        }
        if (v < 0) {
                puts_(o, "-");
                v = -v;
        }
        shortest(v, &dec);
        k = (int)strlen(dec.digits);
        n = dec.exp;

        if (k <= n && n <= 21) {
                puts_(o, dec.digits);
                for (int i = k; i < n; i++)
                        puts_(o, "0");
        } else if (0 < n && n <= 21) {
                put(o, dec.digits, (size_t)n);
                puts_(o, ".");
                puts_(o, dec.digits + n);
        } else if (-6 < n && n <= 0) {
                puts_(o, "0.");
                for (int i = n; i < 0; i++)
                        puts_(o, "0");
                puts_(o, dec.digits);
        } else {
                put(o, dec.digits, 1);
                if (k > 1) {
                        puts_(o, ".");
                        puts_(o, dec.digits + 1);
                }
                snprintf(buf, sizeof(buf), "e%c%d", n - 1 < 0 ? '-' : '+',
                         abs(n - 1));
                puts_(o, buf);
        }
}

/* ---- values ---- */

static sw_code put_value(struct out *o, const json_t *v, const char *skip,
                         sw_error **err);

static sw_code put_object(struct out *o, const json_t *obj, const char *skip,
                          sw_error **err)
{
        size_t n = json_object_size(obj), k = 0;
        const char **keys = calloc(n ? n : 1, sizeof(*keys));
        const char *key;
        json_t *val;
        sw_code rc = SW_SUCCESS;

        if (keys == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        json_object_foreach((json_t *)obj, key, val)
        {
                if (skip == NULL || strcmp(key, skip) != 0)
                        keys[k++] = key;
        }
        qsort(keys, k, sizeof(*keys), by_key);

        put(o, "{", 1);
        for (size_t i = 0; i < k && rc == SW_SUCCESS; i++) {
                if (i > 0)
                        put(o, ",", 1);
                put_string(o, keys[i], strlen(keys[i]));
                put(o, ":", 1);
                rc = put_value(o, json_object_get(obj, keys[i]), NULL, err);
        }
        put(o, "}", 1);
        free(keys);
        return rc;
}

static sw_code put_array(struct out *o, const json_t *arr, sw_error **err)
{
        sw_code rc = SW_SUCCESS;

        put(o, "[", 1);
        for (size_t i = 0; i < json_array_size(arr) && rc == SW_SUCCESS; i++) {
                if (i > 0)
                        put(o, ",", 1);
                rc = put_value(o, json_array_get(arr, i), NULL, err);
        }
        put(o, "]", 1);
        return rc;
}

static sw_code put_value(struct out *o, const json_t *v, const char *skip,
                         sw_error **err)
{
        char buf[32];

        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return put_object(o, v, skip, err);
        case JSON_ARRAY:
                return put_array(o, v, err);
        case JSON_STRING:
                put_string(o, json_string_value(v), json_string_length(v));
                return SW_SUCCESS;
        case JSON_INTEGER:
                snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
                         json_integer_value(v));
                puts_(o, buf);
                return SW_SUCCESS;
        case JSON_REAL:
                if (!isfinite(json_real_value(v)))
                        return sw_fail(err, SW_EPROTO,
                                       "a number that is not finite has no "
                                       "canonical form");
                put_real(o, json_real_value(v));
                return SW_SUCCESS;
        case JSON_TRUE:
                puts_(o, "true");
                return SW_SUCCESS;
        case JSON_FALSE:
                puts_(o, "false");
                return SW_SUCCESS;
        case JSON_NULL:
                puts_(o, "null");
                return SW_SUCCESS;
        }
        return sw_fail(err, SW_EINTERNAL, "unknown JSON value type");
}

sw_code sw_canon(const json_t *v, const char *skip_key, char **out, size_t *len,
                 sw_error **err)
{
        struct out o = {0};
        sw_code rc;

        *out = NULL;
        *len = 0;
        rc = put_value(&o, v, skip_key, err);
        if (rc == SW_SUCCESS && o.oom)
                rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        if (rc == SW_SUCCESS && o.p == NULL)
                rc = sw_fail(err, SW_EINTERNAL, "empty canonical form");
        if (rc != SW_SUCCESS) {
                free(o.p);
                return rc;
        }
        *out = o.p;
        *len = o.len;
        return SW_SUCCESS;
}
