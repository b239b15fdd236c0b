/*
 * unit_sign.c - canonical form, keys, signing and verification.
 */
#include "testutil.h"

#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A scratch directory with two fresh key pairs, a and b. */
static char dir[64];
static char key_a[128], pub_a[128], key_b[128], pub_b[128], both[128];
static char id_a[SW_KEY_ID_SIZE], id_b[SW_KEY_ID_SIZE];

static char *slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        char *buf = malloc(SW_MAX_DOCUMENT_SIZE + 1);
        size_t n;

        assert_non_null(f);
        assert_non_null(buf);
        n = fread(buf, 1, SW_MAX_DOCUMENT_SIZE, f);
        fclose(f);
        buf[n] = '\0';
        if (len)
                *len = n;
        return buf;
}

static void spit(const char *path, const char *text)
{
        FILE *f = fopen(path, "wb");

        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
        assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
        sw_error *err = NULL;
        char *a, *b, *text;

        (void)state;
        snprintf(dir, sizeof(dir), "/tmp/sw-unit-sign.XXXXXX");
        if (mkdtemp(dir) == NULL)
                return -1;
        snprintf(key_a, sizeof(key_a), "%s/a.key", dir);
        snprintf(pub_a, sizeof(pub_a), "%s/a.pub", dir);
        snprintf(key_b, sizeof(key_b), "%s/b.key", dir);
        snprintf(pub_b, sizeof(pub_b), "%s/b.pub", dir);
        snprintf(both, sizeof(both), "%s/both.pub", dir);
        a = sw_asprintf("%s/a", dir);
        b = sw_asprintf("%s/b", dir);
        if (sw_keygen(a, "agent-a", id_a, &err) != SW_SUCCESS ||
            sw_keygen(b, NULL, id_b, &err) != SW_SUCCESS)
                return -1;
        free(a);
        free(b);

        /* A trust file with comments, a blank line and both keys, b first. */
        a = slurp(pub_a, NULL);
        b = slurp(pub_b, NULL);
        text = sw_asprintf("# our signers\n\n%s   \n%s", b, a);
        spit(both, text);
        free(text);
        free(a);
        free(b);
        return 0;
}

static int teardown(void **state)
{
        char *cmd = sw_asprintf("rm -rf '%s'", dir);
        int rc = system(cmd);

        (void)state;
        free(cmd);
        return rc == 0 ? 0 : -1;
}

static sw_trust *trust(const char *path)
{
        sw_trust *t = NULL;
        sw_error *err = NULL;

        assert_int_equal(sw_trust_load(path, &t, &err), SW_SUCCESS);
        assert_null(err);
        return t;
}

/* Sign the test whitelist with key_a; the caller frees the text. */
static char *signed_doc(size_t *len)
{
        char *doc = slurp(tu_src("tests/data/sign/whitelist.json"), NULL);
        char *out = NULL;
        char id[SW_KEY_ID_SIZE];
        sw_error *err = NULL;
        size_t dummy;

        assert_int_equal(sw_sign_buffer(doc, strlen(doc), "wl.json", key_a,
                                        &out, len ? len : &dummy, id, &err),
                         SW_SUCCESS);
        assert_null(err);
        assert_string_equal(id, id_a);
        free(doc);
        return out;
}

/* Verify text against a trust file; returns the code, fills state. */
static sw_code verify(const char *text, const char *trust_file,
                      sw_sig_state *state, sw_error **err)
{
        sw_trust *t = trust(trust_file);
        size_t key = 99;
        sw_code rc;

        rc = sw_verify_buffer(text, strlen(text), "wl.json", t, state, &key,
                              err);
        if (rc == SW_SUCCESS)
                assert_int_equal(key, strcmp(trust_file, both) == 0 ? 1 : 0);
        sw_trust_free(t);
        return rc;
}

static void expect_refused(const char *text, sw_sig_state want,
                           const char *message_part)
{
        sw_sig_state state = SW_SIG_VALID;
        sw_error *err = NULL;

        assert_int_equal(verify(text, pub_a, &state, &err), SW_EPERM);
        assert_int_equal(state, want);
        assert_int_equal(sw_error_code(err), SW_EPERM);
        if (strstr(sw_error_message(err), message_part) == NULL)
                fail_msg("message '%s' lacks '%s'", sw_error_message(err),
                         message_part);
        sw_error_free(err);
}

/* ---- canonical form ---- */

static void test_jcs_vectors(void **state)
{
        static const char *names[] = {"basic", "strings", "numbers",
                                      "key-order", "whitelist"};

        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(names); i++) {
                char in[256], want_path[256];
                json_error_t jerr;
                json_t *root;
                char *got = NULL, *want;
                size_t got_len = 0, want_len = 0;

                snprintf(in, sizeof(in), "tests/data/jcs/%s.json", names[i]);
                snprintf(want_path, sizeof(want_path),
                         "tests/data/jcs/%s.canon", names[i]);
                root = json_load_file(tu_src(in),
                                      JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                                      &jerr);
                assert_non_null(root);
                assert_int_equal(
                        sw_canon(root, "signature", &got, &got_len, NULL),
                        SW_SUCCESS);
                want = slurp(tu_src(want_path), &want_len);
                if (got_len != want_len || memcmp(got, want, got_len) != 0)
                        fail_msg("%s:\n got %s\nwant %s", names[i], got, want);
                free(want);
                free(got);
                json_decref(root);
        }
}

/* ---- keys ---- */

static void test_keygen_files(void **state)
{
        char base[128], path[160];
        char id[SW_KEY_ID_SIZE];
        sw_error *err = NULL;
        struct stat st;
        char *text;

        (void)state;
        assert_int_equal(stat(key_a, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(stat(pub_a, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0644);

        /* The public line carries the id and the name. */
        text = slurp(pub_a, NULL);
        assert_non_null(strstr(text, "syswall-ed25519-public "));
        assert_non_null(strstr(text, id_a));
        assert_non_null(strstr(text, " agent-a\n"));
        free(text);
        assert_int_equal(strlen(id_a), 16);
        assert_string_not_equal(id_a, id_b);

        /* Keys are never overwritten. */
        snprintf(base, sizeof(base), "%s/a", dir);
        assert_int_equal(sw_keygen(base, NULL, id, &err), SW_EIO);
        assert_non_null(strstr(sw_error_message(err), "File exists"));
        sw_error_free(err);
        err = NULL;

        /* A name with a space would break the line format. */
        snprintf(base, sizeof(base), "%s/c", dir);
        assert_int_equal(sw_keygen(base, "two words", id, &err), SW_EPROTO);
        sw_error_free(err);
        snprintf(path, sizeof(path), "%s/c.key", dir);
        assert_int_not_equal(access(path, F_OK), 0);
}

static void expect_trust_error(const char *text, sw_code code, unsigned line,
                               const char *part)
{
        char path[128];
        sw_trust *t = NULL;
        sw_error *err = NULL;

        snprintf(path, sizeof(path), "%s/bad.pub", dir);
        spit(path, text);
        assert_int_equal(sw_trust_load(path, &t, &err), code);
        assert_null(t);
        assert_int_equal(sw_error_line(err), line);
        if (strstr(sw_error_message(err), part) == NULL)
                fail_msg("message '%s' lacks '%s'", sw_error_message(err),
                         part);
        sw_error_free(err);
}

static void test_trust_files(void **state)
{
        sw_trust *t = trust(both);
        char *pub = slurp(pub_a, NULL), *sec = slurp(key_a, NULL);
        char *line = strstr(pub, "syswall-ed25519-public");
        char *altered = sw_strdup(line);
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(sw_trust_count(t), 2);
        assert_string_equal(sw_trust_key_id(t, 0), id_b);
        assert_null(sw_trust_key_name(t, 0));
        assert_string_equal(sw_trust_key_id(t, 1), id_a);
        assert_string_equal(sw_trust_key_name(t, 1), "agent-a");
        assert_string_equal(sw_trust_file(t), both);
        sw_trust_free(t);

        /* A changed id digit: the id no longer matches the key. */
        altered[23] = altered[23] == '0' ? '1' : '0';
        expect_trust_error(altered, SW_EPROTO, 1, "does not match");
        expect_trust_error(sec, SW_EPROTO, 2, "secret key");
        expect_trust_error("# nothing here\n\n", SW_EPROTO, 0,
                           "holds no public key");
        expect_trust_error("\n\nssh-ed25519 AAAA x\n", SW_EPROTO, 3,
                           "expected 'syswall-ed25519-public");
        expect_trust_error("syswall-ed25519-public 0011223344556677 "
                           "AAAA\n",
                           SW_EPROTO, 1, "base64 of 32 bytes");

        assert_int_equal(sw_trust_load("/nonexistent/t.pub", &t, &err),
                         SW_ENOENT);
        sw_error_free(err);
        free(altered);
        free(pub);
        free(sec);
}

static void test_secret_key_mode(void **state)
{
        char *doc = slurp(tu_src("tests/data/sign/whitelist.json"), NULL);
        char *out = NULL;
        size_t len = 0;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(chmod(key_a, 0640), 0);
        assert_int_equal(sw_sign_buffer(doc, strlen(doc), "wl.json", key_a,
                                        &out, &len, NULL, &err),
                         SW_EPERM);
        assert_null(out);
        assert_non_null(strstr(sw_error_message(err), "mode 0640"));
        sw_error_free(err);
        assert_int_equal(chmod(key_a, 0600), 0);

        /* A public key file cannot sign. */
        err = NULL;
        assert_int_equal(sw_sign_buffer(doc, strlen(doc), "wl.json", pub_a,
                                        &out, &len, NULL, &err),
                         SW_EPROTO);
        assert_non_null(strstr(sw_error_message(err), "needs the secret"));
        assert_int_equal(sw_error_line(err), 2);
        sw_error_free(err);
        free(doc);
}

/* ---- signing and verifying ---- */

static void test_round_trip(void **state)
{
        size_t len = 0;
        char *doc = signed_doc(&len);
        sw_sig_state st = SW_SIG_UNSIGNED;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(verify(doc, pub_a, &st, &err), SW_SUCCESS);
        assert_int_equal(st, SW_SIG_VALID);
        assert_int_equal(verify(doc, both, &st, &err), SW_SUCCESS);
        assert_int_equal(st, SW_SIG_VALID);

        /* Without a trust store the state is only reported. */
        assert_int_equal(
                sw_verify_buffer(doc, len, "wl.json", NULL, &st, NULL, &err),
                SW_SUCCESS);
        assert_int_equal(st, SW_SIG_UNVERIFIED);
        assert_null(err);
        assert_string_equal(sw_sig_state_name(st), "unverified");
        free(doc);
}

/* The published test key signs deterministically: same bytes again. */
static void test_fixed_vector(void **state)
{
        char key[256];
        size_t len = 0, out_len = 0;
        char *doc = slurp(tu_src("tests/data/sign/signed.json"), &len);
        char *text, *out = NULL;
        sw_error *err = NULL;
        sw_sig_state st;

        (void)state;
        snprintf(key, sizeof(key), "%s/test.key", dir);
        text = slurp(tu_src("tests/data/sign/test.key"), NULL);
        spit(key, text);
        assert_int_equal(chmod(key, 0600), 0);
        free(text);

        assert_int_equal(
                verify(doc, tu_src("tests/data/sign/test.pub"), &st, &err),
                SW_SUCCESS);
        assert_int_equal(sw_sign_buffer(doc, len, "signed.json", key, &out,
                                        &out_len, NULL, &err),
                         SW_SUCCESS);
        assert_int_equal(out_len, len);
        assert_memory_equal(out, doc, len);
        free(out);
        free(doc);
}

static void test_reformat_passes(void **state)
{
        static const size_t flags[] = {
                JSON_COMPACT,
                JSON_INDENT(8),
                JSON_INDENT(1) | JSON_SORT_KEYS,
                JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS,
        };
        char *doc = signed_doc(NULL);
        json_t *root = json_loads(doc, 0, NULL);
        sw_sig_state st;
        sw_error *err = NULL;

        (void)state;
        assert_non_null(root);
        for (size_t i = 0; i < SW_ARRAY_SIZE(flags); i++) {
                char *text = json_dumps(root, flags[i]);

                assert_int_equal(verify(text, pub_a, &st, &err), SW_SUCCESS);
                free(text);
        }
        json_decref(root);
        free(doc);
}

/* Members in the reverse order of the signed text still verify. */
static json_t *reversed(const json_t *v)
{
        json_t *copy;
        const char *keys[64];
        size_t n = 0;
        const char *k;
        json_t *m;

        if (json_is_array(v)) {
                copy = json_array();
                for (size_t i = 0; i < json_array_size(v); i++)
                        json_array_append_new(copy,
                                              reversed(json_array_get(v, i)));
                return copy;
        }
        if (!json_is_object(v))
                return json_deep_copy(v);
        json_object_foreach((json_t *)v, k, m)
        {
                assert_true(n < SW_ARRAY_SIZE(keys));
                keys[n++] = k;
        }
        copy = json_object();
        while (n-- > 0)
                json_object_set_new(copy, keys[n],
                                    reversed(json_object_get(v, keys[n])));
        return copy;
}

static void test_reorder_passes(void **state)
{
        char *doc = signed_doc(NULL);
        json_t *root = json_loads(doc, 0, NULL);
        json_t *rev = reversed(root);
        char *a = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
        char *b = json_dumps(rev, JSON_PRESERVE_ORDER | JSON_COMPACT);
        sw_sig_state st;
        sw_error *err = NULL;

        (void)state;
        assert_string_not_equal(a, b);
        assert_int_equal(verify(b, pub_a, &st, &err), SW_SUCCESS);
        free(a);
        free(b);
        json_decref(rev);
        json_decref(root);
        free(doc);
}

/*
 * Every single change of meaning.  mutate() walks the document and
 * applies the n-th possible change: each scalar altered, each member
 * removed or renamed, each array shortened or its first two elements
 * swapped.  Returns true when it applied one.
 */
static bool mutate(json_t *v, int *n, bool top);

/* Strings, integers and reals change in place. */
static bool mutate_scalar(json_t *v, int *n)
{
        char *s;

        if (!json_is_string(v) && !json_is_number(v))
                return false;
        if ((*n)-- > 0)
                return false;
        if (json_is_string(v)) {
                s = sw_asprintf("%sx", json_string_value(v));
                json_string_set(v, s);
                free(s);
        } else if (json_is_integer(v)) {
                json_integer_set(v, json_integer_value(v) + 1);
        } else {
                json_real_set(v, json_real_value(v) * 2 + 1);
        }
        return true;
}

/* true, false and null are shared values: the parent replaces them. */
static json_t *flipped(const json_t *v)
{
        if (json_is_true(v))
                return json_false();
        if (json_is_false(v))
                return json_true();
        return json_is_null(v) ? json_integer(0) : NULL;
}

static bool mutate_object(json_t *v, int *n, bool top)
{
        const char *k;
        json_t *m;
        void *tmp;

        json_object_foreach_safe(v, tmp, k, m)
        {
                char *renamed;

                if (top && strcmp(k, "signature") == 0)
                        continue;
                if ((*n)-- == 0) {
                        json_object_del(v, k);
                        return true;
                }
                if ((*n)-- == 0) {
                        renamed = sw_asprintf("%s_", k);
                        json_object_set(v, renamed, m);
                        json_object_del(v, k);
                        free(renamed);
                        return true;
                }
                if (flipped(m) && (*n)-- == 0) {
                        json_object_set_new(v, k, flipped(m));
                        return true;
                }
                if (mutate(m, n, false))
                        return true;
        }
        return false;
}

static bool mutate_array(json_t *v, int *n)
{
        size_t size = json_array_size(v);

        if (size > 0 && (*n)-- == 0) {
                json_array_remove(v, size - 1);
                return true;
        }
        if (size >= 2 && (*n)-- == 0) {
                json_t *first = json_incref(json_array_get(v, 0));

                json_array_remove(v, 0);
                json_array_insert_new(v, 1, first);
                return true;
        }
        for (size_t i = 0; i < size; i++) {
                json_t *e = json_array_get(v, i);

                if (flipped(e) && (*n)-- == 0) {
                        json_array_set_new(v, i, flipped(e));
                        return true;
                }
                if (mutate(e, n, false))
                        return true;
        }
        return false;
}

static bool mutate(json_t *v, int *n, bool top)
{
        if (json_is_object(v))
                return mutate_object(v, n, top);
        if (json_is_array(v))
                return mutate_array(v, n);
        return mutate_scalar(v, n);
}

static void test_every_change_fails(void **state)
{
        char *doc = signed_doc(NULL);
        json_t *root = json_loads(doc, 0, NULL);
        int changes = 0;

        (void)state;
        for (int i = 0;; i++) {
                json_t *copy = json_deep_copy(root);
                int n = i;
                char *text;

                if (!mutate(copy, &n, true)) {
                        json_decref(copy);
                        break;
                }
                text = json_dumps(copy, JSON_INDENT(2));
                expect_refused(text, SW_SIG_INVALID, "bad signature");
                free(text);
                json_decref(copy);
                changes++;
        }
        /*
         * The test whitelist has 37 members (each removed, each renamed),
         * 33 scalars and 3 arrays (each shortened), 2 of them with two or
         * more elements (first two swapped).
         */
        assert_int_equal(changes, 2 * 37 + 33 + 3 + 2);
        json_decref(root);
        free(doc);
}

/* One byte of meaning in the text: "read" becomes "reae". */
static void test_one_byte_changed(void **state)
{
        char *doc = signed_doc(NULL);
        char *p = strstr(doc, "\"read\"");

        (void)state;
        assert_non_null(p);
        p[4] = 'e';
        expect_refused(doc, SW_SIG_INVALID, "changed after it was signed");
        free(doc);
}

static void test_wrong_key(void **state)
{
        char *doc = signed_doc(NULL);
        sw_sig_state st = SW_SIG_VALID;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(verify(doc, pub_b, &st, &err), SW_EPERM);
        assert_int_equal(st, SW_SIG_INVALID);
        assert_non_null(strstr(sw_error_message(err), id_b));
        assert_non_null(strstr(sw_error_message(err), "not trusted"));
        assert_string_equal(sw_error_path(err), "signature");
        sw_error_free(err);
        free(doc);
}

/* Replace the signature's value with s (a JSON text). */
static char *with_signature(const char *s)
{
        char *doc = signed_doc(NULL);
        json_t *root = json_loads(doc, 0, NULL);
        json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
        char *text;

        assert_non_null(v);
        json_object_set_new(root, "signature", v);
        text = json_dumps(root, JSON_INDENT(2));
        json_decref(root);
        free(doc);
        return text;
}

static void test_malformed_signatures(void **state)
{
        static const struct {
                const char *value;
                const char *why;
        } cases[] = {
                {"1", "not a string"},
                {"\"\"", "does not start with"},
                {"\"rsa:AAAA\"", "does not start with"},
                {"\"ED25519:" /* the prefix is case-sensitive */
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAA==\"",
                 "does not start with"},
                /* 63 bytes: a truncated signature */
                {"\"ed25519:"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAA\"",
                 "too short"},
                /* 66 bytes */
                {"\"ed25519:"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
                 "too long"},
                /* 88 characters, not base64 */
                {"\"ed25519:"
                 "!!!!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAA==\"",
                 "not valid standard base64"},
                /* 88 characters, URL-safe alphabet */
                {"\"ed25519:"
                 "-_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAA==\"",
                 "not valid standard base64"},
                /* 88 characters without padding: 66 bytes */
                {"\"ed25519:"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
                 "not valid standard base64"},
        };

        (void)state;
        for (size_t i = 0; i < SW_ARRAY_SIZE(cases); i++) {
                char *text = with_signature(cases[i].value);

                expect_refused(text, SW_SIG_MALFORMED, cases[i].why);
                free(text);
        }
}

/* The real signature cut short by one character or by four. */
static void test_truncated_signature(void **state)
{
        char *doc = signed_doc(NULL);
        char *sig = strstr(doc, "ed25519:");
        char *end = strchr(sig, '"');
        char *one, *four;

        (void)state;
        one = sw_asprintf("%.*s%s", (int)(end - doc - 1), doc, end);
        four = sw_asprintf("%.*s%s", (int)(end - doc - 4), doc, end);
        expect_refused(one, SW_SIG_MALFORMED, "too short");
        expect_refused(four, SW_SIG_MALFORMED, "too short");
        free(one);
        free(four);
        free(doc);
}

/* All zero bytes: well formed, verified by no key. */
static void test_zero_signature(void **state)
{
        char *text = with_signature(
                "\"ed25519:"
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                "AAAAAAAAAAAAAAAAAAAAAAAAAA==\"");

        (void)state;
        expect_refused(text, SW_SIG_INVALID, "bad signature");
        free(text);
}

static void test_unsigned(void **state)
{
        char *doc = slurp(tu_src("tests/data/sign/whitelist.json"), NULL);

        (void)state;
        expect_refused(doc, SW_SIG_UNSIGNED, "not signed");
        free(doc);
}

/* A second "signature" member: refused as a duplicate key. */
static void test_second_signature_key(void **state)
{
        char *doc = signed_doc(NULL);
        char *brace = strrchr(doc, '}');
        char *text;
        sw_sig_state st;
        sw_error *err = NULL;
        char *out = NULL;
        size_t len = 0;

        (void)state;
        text = sw_asprintf("%.*s, \"signature\": \"ed25519:x\"}",
                           (int)(brace - doc), doc);
        assert_int_equal(verify(text, pub_a, &st, &err), SW_EPROTO);
        assert_non_null(strstr(sw_error_message(err), "duplicate"));
        sw_error_free(err);
        err = NULL;
        assert_int_equal(sw_sign_buffer(text, strlen(text), "wl.json", key_a,
                                        &out, &len, NULL, &err),
                         SW_EPROTO);
        assert_null(out);
        sw_error_free(err);
        free(text);
        free(doc);
}

/* ---- writing the file ---- */

static void test_sign_file_in_place(void **state)
{
        char path[128], *before, *after, *again, *sig;
        sw_error *err = NULL;
        char id[SW_KEY_ID_SIZE];
        struct stat st;
        size_t prefix;

        (void)state;
        snprintf(path, sizeof(path), "%s/wl.json", dir);
        before = slurp(tu_src("tests/data/sign/whitelist.json"), NULL);
        spit(path, before);
        assert_int_equal(chmod(path, 0640), 0);

        assert_int_equal(sw_sign_file(path, key_a, id, &err), SW_SUCCESS);
        after = slurp(path, NULL);

        /* The text is kept; the member is added after the last one. */
        prefix = strrchr(before, ']') - before + 1;
        assert_memory_equal(after, before, prefix);
        assert_true(strncmp(after + prefix,
                            ",\n  \"signature\": \"ed25519:", 26) == 0);
        assert_string_equal(strrchr(after, '"'), "\"\n}\n");
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0640);

        /* Re-signing with b replaces the value, nothing else. */
        assert_int_equal(sw_sign_file(path, key_b, id, &err), SW_SUCCESS);
        assert_string_equal(id, id_b);
        again = slurp(path, NULL);
        assert_int_equal(strlen(again), strlen(after));
        sig = strstr(again, "ed25519:");
        assert_memory_equal(again, after, (size_t)(sig - again));
        assert_string_not_equal(sig, strstr(after, "ed25519:"));
        assert_int_equal(verify(again, pub_b, NULL, &err), SW_SUCCESS);

        free(again);
        free(after);
        free(before);
}

/* No temporary file is left beside the document. */
static void test_no_temporary_left(void **state)
{
        char cmd[256];

        (void)state;
        snprintf(cmd, sizeof(cmd),
                 "test -z \"$(ls -A '%s' | grep syswall-sign)\"", dir);
        assert_int_equal(system(cmd), 0);
}

static void test_sign_keeps_compact_text(void **state)
{
        const char *doc = "{\"a\":1,\"signature\":\"old\",\"b\":[2]}";
        const char *empty = "{ }";
        const char *escaped = "{\"a\": {\"signature\": 1}, "
                              "\"sign\\u0061ture\": 5, \"b\": \"}\\\"{\"}\n";
        char *out = NULL;
        size_t len = 0;
        sw_error *err = NULL;

        (void)state;
        assert_int_equal(sw_sign_buffer(doc, strlen(doc), "x", key_a, &out,
                                        &len, NULL, &err),
                         SW_SUCCESS);
        assert_true(strncmp(out, "{\"a\":1,\"signature\":\"ed25519:", 28) == 0);
        assert_string_equal(out + len - 10, "\",\"b\":[2]}");
        free(out);
        assert_int_equal(sw_sign_buffer(empty, strlen(empty), "x", key_a, &out,
                                        &len, NULL, &err),
                         SW_SUCCESS);
        assert_true(strncmp(out, "{ \"signature\": \"ed25519:", 24) == 0);
        free(out);

        /* The member found by its decoded name; braces in strings skipped. */
        assert_int_equal(sw_sign_buffer(escaped, strlen(escaped), "x", key_a,
                                        &out, &len, NULL, &err),
                         SW_SUCCESS);
        assert_true(strncmp(out,
                            "{\"a\": {\"signature\": 1}, "
                            "\"sign\\u0061ture\": \"ed25519:",
                            46) == 0);
        assert_string_equal(out + len - 16, "\", \"b\": \"}\\\"{\"}\n");
        free(out);
}

/* ---- the load path's gate ---- */

static void test_gate(void **state)
{
        char *text = signed_doc(NULL);
        struct sw_doc doc = {.name = "wl.json", .text = text};
        sw_config *cfg = sw_config_new();
        sw_report *rep = sw_report_new("wl.json");
        sw_error *err = NULL;

        (void)state;
        doc.len = strlen(text);
        assert_int_equal(sw_doc_parse(&doc, rep), SW_SUCCESS);

        /* Nothing configured: nothing checked, nothing said. */
        assert_int_equal(sw_signature_gate(&doc, cfg, rep), SW_SUCCESS);
        assert_int_equal(sw_report_count(rep), 0);
        assert_int_equal(sw_signature_gate(&doc, NULL, rep), SW_SUCCESS);

        sw_config_require_signature(cfg, true);
        assert_int_equal(sw_signature_gate(&doc, cfg, rep), SW_EPERM);
        assert_int_equal(sw_report_code(rep, 0), SW_EPERM);
        assert_string_equal(sw_report_check(rep, 0), "signature");
        assert_non_null(strstr(sw_report_message(rep, 0), "no trust store"));

        /* Wrong key: the error points at the signature's value. */
        assert_int_equal(sw_config_load_trust(cfg, pub_b, &err), SW_SUCCESS);
        assert_int_equal(sw_signature_gate(&doc, cfg, rep), SW_EPERM);
        assert_int_equal(sw_report_severity(rep, 1), SW_SEV_ERROR);
        assert_non_null(strstr(sw_report_message(rep, 1), "bad signature"));
        assert_string_equal(sw_report_path(rep, 1), "signature");
        assert_int_equal(sw_report_line(rep, 1), 30);
        assert_int_equal(sw_report_column(rep, 1), 16);

        assert_int_equal(sw_config_set_trust(cfg, both), SW_SUCCESS);
        assert_int_equal(sw_signature_gate(&doc, cfg, rep), SW_SUCCESS);
        assert_int_equal(sw_report_severity(rep, 2), SW_SEV_NOTE);
        assert_non_null(strstr(sw_report_message(rep, 2), id_a));
        assert_int_equal(sw_report_result(rep), SW_EPERM);

        assert_int_equal(sw_config_set_trust(cfg, "/nonexistent"), SW_ENOENT);
        sw_doc_release(&doc);
        sw_report_free(rep);
        sw_config_free(cfg);
        free(text);
}

/* ---- the library's load path ---- */

/* Load text with a trust store (NULL: none) and expect code. */
static sw_report *load_with(const char *text, const char *trust_file,
                            bool require, sw_code want)
{
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;

        if (trust_file)
                assert_int_equal(sw_config_set_trust(cfg, trust_file),
                                 SW_SUCCESS);
        sw_config_require_signature(cfg, require);
        assert_int_equal(sw_whitelist_load_buffer(text, strlen(text), "wl.json",
                                                  cfg, &wl, &rep),
                         want);
        assert_true(want == SW_SUCCESS ? wl != NULL : wl == NULL);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
        return rep;
}

/* The diagnostic of one check, or fail. */
static size_t find_check(const sw_report *rep, const char *check)
{
        for (size_t i = 0; i < sw_report_count(rep); i++)
                if (strcmp(sw_report_check(rep, i), check) == 0)
                        return i;
        fail_msg("no '%s' diagnostic", check);
        return 0;
}

static void test_load_signed(void **state)
{
        char *doc = signed_doc(NULL);
        char *unsigned_doc =
                slurp(tu_src("tests/data/sign/whitelist.json"), NULL);
        sw_report *rep;
        size_t i;

        (void)state;
        rep = load_with(doc, pub_a, true, SW_SUCCESS);
        i = find_check(rep, "signature");
        assert_int_equal(sw_report_severity(rep, i), SW_SEV_NOTE);
        assert_non_null(strstr(sw_report_message(rep, i), id_a));
        sw_report_free(rep);

        /* Without a trust store nothing changes for signed or unsigned. */
        sw_report_free(load_with(doc, NULL, false, SW_SUCCESS));
        sw_report_free(load_with(unsigned_doc, NULL, false, SW_SUCCESS));

        rep = load_with(unsigned_doc, pub_a, false, SW_EPERM);
        assert_non_null(strstr(sw_report_message(rep, 0), "not signed"));
        sw_report_free(rep);
        rep = load_with(doc, NULL, true, SW_EPERM);
        assert_non_null(strstr(sw_report_message(rep, 0), "no trust store"));
        sw_report_free(rep);
        rep = load_with(doc, pub_b, false, SW_EPERM);
        assert_non_null(strstr(sw_report_message(rep, 0), "bad signature"));
        sw_report_free(rep);
        free(unsigned_doc);
        free(doc);
}

/*
 * A changed document whose rules are also wrong: the signature is the
 * only thing reported, so none of its rules was read.
 */
static void test_load_refused_before_rules(void **state)
{
        char *doc = signed_doc(NULL);
        char *p = strstr(doc, "\"exit_group\"");
        sw_report *rep;

        (void)state;
        memcpy(p + 1, "exit_grouq", 10);
        rep = load_with(doc, pub_a, false, SW_EPERM);
        assert_int_equal(sw_report_count(rep), 1);
        assert_string_equal(sw_report_check(rep, 0), "signature");
        assert_int_equal(sw_report_code(rep, 0), SW_EPERM);
        sw_report_free(rep);

        /* Without a trust store the same text is read: unknown name. */
        rep = load_with(doc, NULL, false, SW_ENOENT);
        assert_true(sw_report_count(rep) >= 1);
        sw_report_free(rep);
        free(doc);
}

/* Signed by a trusted key, but created_by is not the authority. */
static void test_load_signed_wrong_authority(void **state)
{
        char *doc = slurp(tu_src("tests/data/sign/whitelist.json"), NULL);
        char *p = strstr(doc, "Security Agent");
        char *out = NULL;
        size_t len = 0, i;
        sw_error *err = NULL;
        sw_report *rep;

        (void)state;
        memcpy(p, "Mallory Agent!", 14);
        assert_int_equal(sw_sign_buffer(doc, strlen(doc), "wl.json", key_a,
                                        &out, &len, NULL, &err),
                         SW_SUCCESS);
        assert_int_equal(verify(out, pub_a, NULL, &err), SW_SUCCESS);
        rep = load_with(out, pub_a, false, SW_EPERM);
        i = find_check(rep, "authority");
        assert_int_equal(sw_report_code(rep, i), SW_EPERM);
        assert_string_equal(sw_report_path(rep, i), "created_by");
        assert_int_equal(sw_report_severity(rep, find_check(rep, "signature")),
                         SW_SEV_NOTE);
        sw_report_free(rep);
        free(out);
        free(doc);
}

/* Two "signature" members: the reader refuses the duplicate key. */
static void test_load_second_signature(void **state)
{
        char *doc = signed_doc(NULL);
        char *brace = strrchr(doc, '}');
        char *text = sw_asprintf("%.*s, \"signature\": \"ed25519:x\"}",
                                 (int)(brace - doc), doc);
        sw_report *rep;

        (void)state;
        rep = load_with(text, pub_a, false, SW_EPROTO);
        assert_int_equal(sw_report_code(rep, 0), SW_EPROTO);
        assert_non_null(strstr(sw_report_message(rep, 0), "duplicate"));
        sw_report_free(rep);
        free(text);
        free(doc);
}

/* sw_apply_file under a trust store: a refused document loads nothing. */
static void apply_changed(void *arg)
{
        const char *path = arg;
        sw_config *cfg = sw_config_new();
        sw_error *err = NULL;
        sw_code rc;

        if (cfg == NULL || sw_config_set_trust(cfg, pub_a) != SW_SUCCESS)
                _exit(10);
        rc = sw_apply_file(path, cfg, NULL, &err);
        if (rc != SW_EPERM)
                _exit(11);
        if (strstr(sw_error_message(err), "bad signature") == NULL)
                _exit(12);
        if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0)
                _exit(13);
        sw_error_free(err);
        sw_config_free(cfg);
        _exit(0);
}

static void test_apply_refused(void **state)
{
        char path[128];
        char *doc = signed_doc(NULL);
        char *p = strstr(doc, "\"ptrace\"");
        int status;

        (void)state;
        memcpy(p + 1, "ptracf", 6);
        snprintf(path, sizeof(path), "%s/apply.json", dir);
        spit(path, doc);
        status = tu_fork_run(apply_changed, path);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        free(doc);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_jcs_vectors),
                cmocka_unit_test(test_keygen_files),
                cmocka_unit_test(test_trust_files),
                cmocka_unit_test(test_secret_key_mode),
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_fixed_vector),
                cmocka_unit_test(test_reformat_passes),
                cmocka_unit_test(test_reorder_passes),
                cmocka_unit_test(test_every_change_fails),
                cmocka_unit_test(test_one_byte_changed),
                cmocka_unit_test(test_wrong_key),
                cmocka_unit_test(test_malformed_signatures),
                cmocka_unit_test(test_truncated_signature),
                cmocka_unit_test(test_zero_signature),
                cmocka_unit_test(test_unsigned),
                cmocka_unit_test(test_second_signature_key),
                cmocka_unit_test(test_sign_file_in_place),
                cmocka_unit_test(test_no_temporary_left),
                cmocka_unit_test(test_sign_keeps_compact_text),
                cmocka_unit_test(test_gate),
                cmocka_unit_test(test_load_signed),
                cmocka_unit_test(test_load_refused_before_rules),
                cmocka_unit_test(test_load_signed_wrong_authority),
                cmocka_unit_test(test_load_second_signature),
                cmocka_unit_test(test_apply_refused),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
