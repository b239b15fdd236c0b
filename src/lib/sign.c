/*
 * sign.c - signing whitelists and checking their signatures.
 *
 * The signed bytes are the canonical form (canon.c) of the document
 * without its top-level "signature" member; the member holds
 * "ed25519:" and the standard base64 of the 64-byte Ed25519 signature
 * (libsodium, detached).  A signature names no key: verifying tries each
 * key of the trust store, and the one that verifies is the signer.  So
 * "signed by a key we do not trust" and "changed after signing" look the
 * same to the verifier, and the message says both.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIG_FIELD  "signature"
#define MAX_DOC    ((size_t)SW_MAX_DOCUMENT_SIZE)
#define SIG_PREFIX "ed25519:"
#define SIG_B64_LEN                                                            \
        (sodium_base64_ENCODED_LEN(crypto_sign_BYTES,                          \
                                   sodium_base64_VARIANT_ORIGINAL) -           \
         1)

const char *sw_sig_state_name(sw_sig_state state)
{
        switch (state) {
        case SW_SIG_UNSIGNED:
                return "unsigned";
        case SW_SIG_MALFORMED:
                return "malformed";
        case SW_SIG_INVALID:
                return "invalid";
        case SW_SIG_VALID:
                return "valid";
        case SW_SIG_UNVERIFIED:
                return "unverified";
        }
        return "unknown";
}

/* ---- parsing the document ---- */

static sw_code parse_document(const char *buf, size_t len, const char *name,
                              json_t **root, sw_error **err)
{
        json_error_t jerr;
        sw_code rc;

        *root = NULL;
        if (len > MAX_DOC)
                return sw_fail_at(err, SW_EPROTO, name, 0, 0, NULL, NULL,
                                  "the document is larger than %d bytes",
                                  SW_MAX_DOCUMENT_SIZE);
        rc = sw_json_load(buf, len, JSON_REJECT_DUPLICATES, root, &jerr);
        if (rc == SW_EINTERNAL)
                return sw_fail(err, rc, "out of memory");
        if (rc != SW_SUCCESS)
                return sw_fail_at(err, SW_EPROTO, name, (unsigned)jerr.line,
                                  (unsigned)jerr.column, NULL, NULL,
                                  "not valid JSON: %s", jerr.text);
        if (!json_is_object(*root)) {
                json_decref(*root);
                *root = NULL;
                return sw_fail_at(err, SW_EPROTO, name, 1, 1, NULL, NULL,
                                  "a whitelist is a JSON object");
        }
        return SW_SUCCESS;
}

/* ---- reading a signature ---- */

/*
 * Decode the "signature" member.  Returns false with a sentence in *why
 * when it is not "ed25519:" and the base64 of exactly 64 bytes.
 */
static bool decode_signature(const json_t *sig,
                             unsigned char out[crypto_sign_BYTES],
                             const char **why)
{
        const char *s = json_string_value(sig);
        size_t n = json_string_length(sig);
        size_t plen = strlen(SIG_PREFIX);

        if (!json_is_string(sig)) {
                *why = "it is not a string";
                return false;
        }
        if (n < plen || memcmp(s, SIG_PREFIX, plen) != 0) {
                *why = "it does not start with \"ed25519:\"";
                return false;
        }
        if (n - plen != SIG_B64_LEN) {
                *why = n - plen < SIG_B64_LEN
                               ? "it is too short for 64 bytes (truncated?)"
                               : "it is too long for 64 bytes";
                return false;
        }
        if (!sw_base64_decode(s + plen, n - plen, out, crypto_sign_BYTES)) {
                *why = "it is not valid standard base64";
                return false;
        }
        return true;
}

/* "a1b2c3d4e5f60718 (security-agent), 0f..." for messages. */
static char *key_list(const sw_trust *t)
{
        char *list = sw_strdup("");

        for (size_t i = 0; list && i < t->count; i++) {
                char *more =
                        sw_asprintf("%s%s%s%s%s", list, i ? ", " : "",
                                    t->keys[i].id, t->keys[i].name ? " " : "",
                                    t->keys[i].name ? t->keys[i].name : "");

                free(list);
                list = more;
        }
        return list;
}

static sw_code fail_invalid(const sw_trust *t, const char *name, sw_error **err)
{
        char *keys = key_list(t);
        sw_code rc;

        if (keys == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        rc = sw_fail_at(err, SW_EPERM, name, 0, 0, SIG_FIELD,
                        "re-sign the reviewed whitelist with a trusted key, "
                        "or add the signer's public key to the trust file",
                        "bad signature: no key of trust file '%s' (%s) "
                        "verifies it; the whitelist was changed after it was "
                        "signed, or it was signed by a key that is not "
                        "trusted",
                        t->file, keys);
        free(keys);
        return rc;
}

/* Does any trusted key verify sig over the canonical bytes? */
static sw_code try_keys(const json_t *root, const unsigned char *sig,
                        const sw_trust *t, size_t *key, sw_error **err)
{
        char *msg = NULL;
        size_t len = 0;
        sw_code rc = sw_canon(root, SIG_FIELD, &msg, &len, err);

        if (rc != SW_SUCCESS)
                return rc;
        rc = SW_EPERM;
        for (size_t i = 0; i < t->count && rc != SW_SUCCESS; i++) {
                if (crypto_sign_verify_detached(sig, (unsigned char *)msg, len,
                                                t->keys[i].pk) == 0) {
                        *key = i;
                        rc = SW_SUCCESS;
                }
        }
        free(msg);
        return rc;
}

sw_code sw_signature_check(const json_t *root, const char *name,
                           const sw_trust *trust, sw_sig_state *state,
                           size_t *key, sw_error **err)
{
        const json_t *sig = json_object_get(root, SIG_FIELD);
        unsigned char raw[crypto_sign_BYTES];
        const char *why = NULL;
        size_t dummy = 0;
        sw_code rc;

        if (sodium_init() < 0)
                return sw_fail(err, SW_EINTERNAL, "libsodium failed to start");
        key = key ? key : &dummy;
        if (sig == NULL) {
                *state = SW_SIG_UNSIGNED;
                if (trust == NULL)
                        return SW_SUCCESS;
                return sw_fail_at(err, SW_EPERM, name, 0, 0, "",
                                  "sign it with 'syswall sign --key SECRET "
                                  "FILE' after review",
                                  "the whitelist is not signed, and only "
                                  "whitelists signed by a trusted key are "
                                  "accepted (a trust store is configured)");
        }
        if (!decode_signature(sig, raw, &why)) {
                *state = SW_SIG_MALFORMED;
                if (trust == NULL)
                        return SW_SUCCESS;
                return sw_fail_at(err, SW_EPERM, name, 0, 0, SIG_FIELD,
                                  "a signature is \"ed25519:\" and the "
                                  "standard base64 of 64 bytes (88 "
                                  "characters)",
                                  "bad signature: %s", why);
        }
        *state = SW_SIG_UNVERIFIED;
        if (trust == NULL)
                return SW_SUCCESS;

        rc = try_keys(root, raw, trust, key, err);
        if (rc == SW_SUCCESS)
                *state = SW_SIG_VALID;
        else if (rc == SW_EPERM)
                *state = SW_SIG_INVALID;
        if (rc == SW_EPERM)
                return fail_invalid(trust, name, err);
        return rc;
}

sw_code sw_verify_buffer(const char *buf, size_t len, const char *name,
                         const sw_trust *trust, sw_sig_state *state,
                         size_t *key, sw_error **err)
{
        json_t *root = NULL;
        sw_sig_state dummy = SW_SIG_UNSIGNED;
        sw_code rc;

        state = state ? state : &dummy;
        *state = SW_SIG_UNSIGNED;
        rc = parse_document(buf, len, name, &root, err);
        if (rc == SW_SUCCESS)
                rc = sw_signature_check(root, name, trust, state, key, err);
        json_decref(root);
        return rc;
}

sw_code sw_verify_file(const char *path, const sw_trust *trust,
                       sw_sig_state *state, size_t *key, sw_error **err)
{
        struct stat st;
        char *buf = NULL;
        size_t len = 0;
        sw_code rc;

        rc = sw_read_text_file(path, MAX_DOC, &buf, &len, &st, err);
        if (rc == SW_SUCCESS)
                rc = sw_verify_buffer(buf, len, path, trust, state, key, err);
        free(buf);
        return rc;
}

/* ---- the load path's gate ---- */

/* The error as a diagnostic at the signature, or the document's start. */
static void report_error(const struct sw_doc *doc, sw_report *rep,
                         const sw_error *e)
{
        unsigned line = 1, col = 1;

        if (e->path && *e->path)
                sw_doc_where(doc, e->path, false, &line, &col);
        sw_report_add(rep, SW_SEV_ERROR, e->code, "signature", line, col,
                      e->path, e->hint, "%s", e->message);
}

static void report_signer(const struct sw_doc *doc, sw_report *rep,
                          const struct sw_trust_key *k)
{
        unsigned line = 0, col = 0;

        sw_doc_where(doc, SIG_FIELD, false, &line, &col);
        sw_report_add(rep, SW_SEV_NOTE, SW_SUCCESS, "signature", line, col,
                      SIG_FIELD, NULL, "signed by trusted key %s%s%s", k->id,
                      k->name ? " " : "", k->name ? k->name : "");
}

sw_code sw_signature_gate(const struct sw_doc *doc, const sw_config *cfg,
                          sw_report *rep)
{
        sw_error *err = NULL;
        sw_sig_state state;
        size_t key = 0;
        sw_code rc;

        if (cfg == NULL || (cfg->trust == NULL && !cfg->require_signature) ||
            !json_is_object(doc->root))
                return SW_SUCCESS;
        if (cfg->trust == NULL) {
                sw_report_add(rep, SW_SEV_ERROR, SW_EPERM, "signature", 1, 1,
                              "", "give a trust file with --trust FILE",
                              "a signature is required, but no trust store "
                              "is configured to check it against");
                return SW_EPERM;
        }
        rc = sw_signature_check(doc->root, doc->name, cfg->trust, &state, &key,
                                &err);
        if (rc != SW_SUCCESS) {
                report_error(doc, rep, err);
                sw_error_free(err);
                return rc;
        }
        report_signer(doc, rep, &cfg->trust->keys[key]);
        return SW_SUCCESS;
}

/* ---- config hooks ---- */

sw_code sw_config_load_trust(sw_config *cfg, const char *trust_file,
                             sw_error **err)
{
        sw_trust *t = NULL;
        sw_code rc = SW_SUCCESS;

        if (trust_file != NULL)
                rc = sw_trust_load(trust_file, &t, err);
        if (rc != SW_SUCCESS)
                return rc;
        sw_trust_free(cfg->trust);
        cfg->trust = t;
        return SW_SUCCESS;
}

sw_code sw_config_set_trust(sw_config *cfg, const char *trust_file)
{
        return sw_config_load_trust(cfg, trust_file, NULL);
}

void sw_config_require_signature(sw_config *cfg, bool require)
{
        cfg->require_signature = require;
}

/* ---- writing the signature into the text ---- */

/*
 * The document is written back as the user wrote it: only the value of
 * the top-level "signature" member changes, or a member is added after
 * the last one with the same spacing.  The text was accepted by jansson
 * already, so this scanner only needs to find where members start and end.
 */
struct member {
        size_t key, key_end, val, val_end;
};

static size_t skip_ws(const char *s, size_t n, size_t i)
{
        while (i < n && strchr(" \t\r\n", s[i]) && s[i])
                i++;
        return i;
}

static size_t skip_string(const char *s, size_t n, size_t i)
{
        for (i++; i < n; i++) {
                if (s[i] == '\\')
                        i++;
                else if (s[i] == '"')
                        return i + 1;
        }
        return n;
}

static size_t skip_value(const char *s, size_t n, size_t i)
{
        int depth = 0;

        if (i < n && s[i] == '"')
                return skip_string(s, n, i);
        if (i < n && s[i] != '{' && s[i] != '[') {
                while (i < n && !strchr(",}] \t\r\n", s[i]))
                        i++;
                return i;
        }
        while (i < n) {
                if (s[i] == '"') {
                        i = skip_string(s, n, i);
                        continue;
                }
                if (s[i] == '{' || s[i] == '[')
                        depth++;
                else if (s[i] == '}' || s[i] == ']')
                        depth--;
                i++;
                if (depth == 0)
                        break;
        }
        return i;
}

/* 1 if the member's key is "signature", 0 if not, -1 if undecodable. */
static int is_signature_key(const char *s, const struct member *m)
{
        json_t *k;
        int yes;

        if (sw_json_load(s + m->key, m->key_end - m->key, JSON_DECODE_ANY, &k,
                         NULL) != SW_SUCCESS)
                return -1;
        yes = json_is_string(k) && strcmp(json_string_value(k), SIG_FIELD) == 0;
        json_decref(k);
        return yes;
}

/*
 * Find the top-level "signature" member (*found) and the last member
 * (*last); *close is the offset of the object's closing brace.  Returns
 * false if the text is not shaped as expected.
 */
static bool scan_members(const char *s, size_t n, struct member *found,
                         struct member *last, bool *has_sig, size_t *close)
{
        size_t i = skip_ws(s, n, 0);
        size_t count = 0;
        int sig;

        *has_sig = false;
        if (i >= n || s[i] != '{')
                return false;
        for (i = skip_ws(s, n, i + 1); i < n && s[i] == '"';) {
                struct member m;

                m.key = i;
                m.key_end = skip_string(s, n, i);
                i = skip_ws(s, n, m.key_end);
                if (i >= n || s[i] != ':')
                        return false;
                m.val = skip_ws(s, n, i + 1);
                m.val_end = skip_value(s, n, m.val);
                sig = is_signature_key(s, &m);
                if (sig < 0)
                        return false;
                if (sig) {
                        *found = m;
                        *has_sig = true;
                }
                *last = m;
                count++;
                i = skip_ws(s, n, m.val_end);
                if (i < n && s[i] == ',')
                        i = skip_ws(s, n, i + 1);
        }
        *close = i;
        if (count == 0)
                memset(last, 0, sizeof(*last));
        return i < n && s[i] == '}';
}

/* Text before a member's key back to the previous ',' or '{'. */
static size_t lead_start(const char *s, size_t key)
{
        while (key > 0 && strchr(" \t\r\n", s[key - 1]))
                key--;
        return key;
}

static char *splice_signature(const char *s, size_t n, const char *value,
                              size_t *out_len)
{
        struct member sig = {0}, last = {0};
        size_t close = 0, lead;
        bool has_sig;
        char *out;

        if (!scan_members(s, n, &sig, &last, &has_sig, &close))
                return NULL;
        if (has_sig) {
                out = sw_asprintf("%.*s\"%s\"%.*s", (int)sig.val, s, value,
                                  (int)(n - sig.val_end), s + sig.val_end);
        } else if (last.key_end == 0) {
                out = sw_asprintf("%.*s\"%s\": \"%s\"%.*s", (int)close, s,
                                  SIG_FIELD, value, (int)(n - close),
                                  s + close);
        } else {
                /* Copy the last member's indentation and colon spacing. */
                lead = lead_start(s, last.key);
                out = sw_asprintf(
                        "%.*s,%.*s\"%s\"%.*s\"%s\"%.*s", (int)last.val_end, s,
                        (int)(last.key - lead), s + lead, SIG_FIELD,
                        (int)(last.val - last.key_end), s + last.key_end, value,
                        (int)(n - last.val_end), s + last.val_end);
        }
        if (out)
                *out_len = strlen(out);
        return out;
}

/* ---- signing ---- */

static sw_code make_signature(const char *canon, size_t len,
                              const struct sw_secret_key *key, char **value)
{
        unsigned char sig[crypto_sign_BYTES];
        char b64[SIG_B64_LEN + 1];

        crypto_sign_detached(sig, NULL, (const unsigned char *)canon, len,
                             key->sk);
        sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig),
                          sodium_base64_VARIANT_ORIGINAL);
        *value = sw_asprintf("%s%s", SIG_PREFIX, b64);
        return *value ? SW_SUCCESS : SW_EINTERNAL;
}

/* The written text must mean what was signed, or nothing is written. */
static sw_code check_result(const char *text, size_t len, const char *canon,
                            size_t canon_len, sw_error **err)
{
        json_t *root = NULL;
        char *again = NULL;
        size_t again_len = 0;
        bool same = false;

        if (sw_json_load(text, len, JSON_REJECT_DUPLICATES, &root, NULL) ==
            SW_EINTERNAL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (root && sw_canon(root, SIG_FIELD, &again, &again_len, NULL) == 0)
                same = again_len == canon_len &&
                       memcmp(again, canon, canon_len) == 0;
        free(again);
        json_decref(root);
        if (!same)
                return sw_fail(err, SW_EINTERNAL,
                               "the signed document could not be written "
                               "back faithfully; nothing was changed");
        return SW_SUCCESS;
}

static sw_code sign_parsed(const char *buf, size_t len, const json_t *root,
                           const struct sw_secret_key *key, char **out,
                           size_t *out_len, sw_error **err)
{
        char *canon = NULL, *value = NULL;
        size_t canon_len = 0;
        sw_code rc;

        rc = sw_canon(root, SIG_FIELD, &canon, &canon_len, err);
        if (rc != SW_SUCCESS)
                return rc;
        rc = make_signature(canon, canon_len, key, &value);
        if (rc == SW_SUCCESS) {
                *out = splice_signature(buf, len, value, out_len);
                if (*out == NULL)
                        rc = sw_fail(err, SW_EINTERNAL,
                                     "cannot place the signature in the "
                                     "document");
        } else {
                sw_fail(err, rc, "out of memory");
        }
        if (rc == SW_SUCCESS)
                rc = check_result(*out, *out_len, canon, canon_len, err);
        if (rc != SW_SUCCESS) {
                free(*out);
                *out = NULL;
        }
        free(value);
        free(canon);
        return rc;
}

sw_code sw_sign_buffer(const char *buf, size_t len, const char *name,
                       const char *secret_key, char **out, size_t *out_len,
                       char key_id[SW_KEY_ID_SIZE], sw_error **err)
{
        struct sw_secret_key key;
        json_t *root = NULL;
        sw_code rc;

        *out = NULL;
        *out_len = 0;
        if (memchr(buf, '\0', len) != NULL)
                return sw_fail_at(err, SW_EPROTO, name, 0, 0, NULL, NULL,
                                  "the document holds a NUL byte");
        rc = parse_document(buf, len, name, &root, err);
        if (rc != SW_SUCCESS)
                return rc;
        rc = sw_secret_key_load(secret_key, &key, err);
        if (rc == SW_SUCCESS)
                rc = sign_parsed(buf, len, root, &key, out, out_len, err);
        if (rc == SW_SUCCESS && key_id)
                memcpy(key_id, key.id, SW_KEY_ID_SIZE);
        sodium_memzero(&key, sizeof(key));
        json_decref(root);
        return rc;
}

/* ---- replacing the file atomically ---- */

static void sync_dir(const char *dir)
{
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd >= 0) {
                fsync(fd);
                close(fd);
        }
}

/*
 * A temporary file beside the target, same mode and (where permitted)
 * owner, flushed to disk, then renamed over it: a reader sees the old
 * document or the new one, never half of one.
 */
static sw_code replace_file(const char *target, const char *text, size_t len,
                            const struct stat *st, sw_error **err)
{
        char *copy = sw_strdup(target), *tmp = NULL;
        const char *dir = copy ? dirname(copy) : NULL;
        int fd = -1, e = 0;

        if (dir == NULL ||
            (tmp = sw_asprintf("%s/.syswall-sign.XXXXXX", dir)) == NULL) {
                free(copy);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        errno = 0;
        fd = mkstemp(tmp);
        if (fd < 0 || fchmod(fd, st->st_mode & 07777) < 0 ||
            !sw_write_full(fd, text, len) || fsync(fd) < 0)
                e = errno ? errno : EIO;
        if (fd >= 0 && fchown(fd, st->st_uid, st->st_gid) < 0 && errno != EPERM)
                e = errno;
        if (fd >= 0 && close(fd) < 0 && e == 0)
                e = errno;
        if (e == 0 && rename(tmp, target) < 0)
                e = errno;
        if (e != 0 && fd >= 0)
                unlink(tmp);
        if (e == 0)
                sync_dir(dir);
        free(tmp);
        free(copy);
        if (e != 0)
                return sw_fail(err, SW_EIO, "cannot write '%s': %s", target,
                               strerror(e));
        return SW_SUCCESS;
}

sw_code sw_sign_file(const char *path, const char *secret_key,
                     char key_id[SW_KEY_ID_SIZE], sw_error **err)
{
        char target[PATH_MAX];
        char *buf = NULL, *out = NULL;
        size_t len = 0, out_len = 0;
        struct stat st;
        sw_code rc;

        /* Through a symbolic link, the file it points to is signed. */
        if (realpath(path, target) == NULL)
                return sw_fail(err, sw_code_of_file_errno(errno),
                               "cannot open '%s': %s", path, strerror(errno));
        rc = sw_read_text_file(target, MAX_DOC, &buf, &len, &st, err);
        if (rc == SW_SUCCESS)
                rc = sw_sign_buffer(buf, len, path, secret_key, &out, &out_len,
                                    key_id, err);
        if (rc == SW_SUCCESS)
                rc = replace_file(target, out, out_len, &st, err);
        free(out);
        free(buf);
        return rc;
}
