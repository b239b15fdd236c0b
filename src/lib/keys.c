/*
 * keys.c - Ed25519 key files, trust stores and key generation.
 *
 * A key file is text, one key a line, '#' starting a comment line:
 *
 *   syswall-ed25519-public KEYID BASE64 [NAME]
 *   syswall-ed25519-secret KEYID BASE64 [NAME]
 *
 * A public line holds the 32-byte public key, a secret line the 32-byte
 * seed the key pair is derived from (libsodium's crypto_sign_seed_keypair).
 * KEYID is the first 8 bytes of BLAKE2b-256 of the public key in lowercase
 * hex; it is checked on reading, so a damaged or hand-edited line is
 * refused instead of trusting a key under another key's name.  A trust
 * file holds public lines only; a secret key file holds one secret line
 * and must not be readable by group or others.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PUBLIC_TAG   "syswall-ed25519-public"
#define SECRET_TAG   "syswall-ed25519-secret"
#define MAX_KEY_FILE ((size_t)64 * 1024)
#define MAX_NAME     64

/* Strict standard base64 (with padding) of exactly want bytes. */
bool sw_base64_decode(const char *text, size_t len, unsigned char *out,
                      size_t want)
{
        unsigned char buf[128];
        size_t got = 0;
        const char *end = NULL;

        if (len > 2 * sizeof(buf) || sodium_init() < 0)
                return false;
        if (sodium_base642bin(buf, sizeof(buf), text, len, NULL, &got, &end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            end != text + len || got != want) {
                sodium_memzero(buf, sizeof(buf));
                return false;
        }
        memcpy(out, buf, want);
        sodium_memzero(buf, sizeof(buf));
        return true;
}

void sw_key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES],
               char id[SW_KEY_ID_SIZE])
{
        unsigned char hash[crypto_generichash_BYTES];

        crypto_generichash(hash, sizeof(hash), pk, crypto_sign_PUBLICKEYBYTES,
                           NULL, 0);
        sodium_bin2hex(id, SW_KEY_ID_SIZE, hash, (SW_KEY_ID_SIZE - 1) / 2);
}

sw_code sw_read_text_file(const char *path, size_t max, char **out, size_t *len,
                          struct stat *st, sw_error **err)
{
        /* O_NONBLOCK: a FIFO is refused below, not waited on. */
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        char *buf = NULL;
        size_t n = 0;
        ssize_t r;

        if (fd < 0)
                return sw_fail(err, sw_code_of_file_errno(errno),
                               "cannot open '%s': %s", path, strerror(errno));
        if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
                close(fd);
                return sw_fail(err, SW_EIO, "'%s' is not a regular file", path);
        }
        buf = malloc(max + 1);
        if (buf == NULL) {
                close(fd);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        while ((r = read(fd, buf + n, max + 1 - n)) > 0 && n + (size_t)r <= max)
                n += (size_t)r;
        close(fd);
        if (r != 0) {
                free(buf);
                if (r > 0)
                        return sw_fail(err, SW_EPROTO,
                                       "'%s' is larger than %zu bytes", path,
                                       max);
                return sw_fail(err, SW_EIO, "cannot read '%s': %s", path,
                               strerror(errno));
        }
        buf[n] = '\0';
        *out = buf;
        *len = n;
        return SW_SUCCESS;
}

/* ---- parsing key lines ---- */

struct key_line {
        const char *tag;
        char id[SW_KEY_ID_SIZE];
        unsigned char bytes[32]; /* public key or secret seed */
        char name[MAX_NAME + 1];
};

static bool valid_name(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > MAX_NAME)
                return false;
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789._@+-") == n;
}

bool sw_key_name_valid(const char *name)
{
        return name != NULL && valid_name(name);
}

static bool valid_id(const char *s)
{
        return strlen(s) == SW_KEY_ID_SIZE - 1 &&
               strspn(s, "0123456789abcdef") == SW_KEY_ID_SIZE - 1;
}

/* The public key a line stands for: itself, or derived from the seed. */
static void line_public_key(const struct key_line *k, unsigned char *pk)
{
        unsigned char sk[crypto_sign_SECRETKEYBYTES];

        if (strcmp(k->tag, PUBLIC_TAG) == 0) {
                memcpy(pk, k->bytes, crypto_sign_PUBLICKEYBYTES);
                return;
        }
        crypto_sign_seed_keypair(pk, sk, k->bytes);
        sodium_memzero(sk, sizeof(sk));
}

/*
 * Split one line (NUL-terminated, modified in place) into a key.  Returns
 * false with *why set for a line that is not a key line.
 */
static bool parse_line(char *line, struct key_line *k, const char **why)
{
        char *tok[5] = {0};
        char *save = NULL;
        unsigned char pk[crypto_sign_PUBLICKEYBYTES];
        char id[SW_KEY_ID_SIZE];
        int n = 0;

        for (char *t = strtok_r(line, " \t", &save); t && n < 5;
             t = strtok_r(NULL, " \t", &save))
                tok[n++] = t;
        *why = "expected 'syswall-ed25519-public KEYID BASE64 [NAME]'";
        if (n < 3 || n > 4)
                return false;
        if (strcmp(tok[0], PUBLIC_TAG) == 0)
                k->tag = PUBLIC_TAG;
        else if (strcmp(tok[0], SECRET_TAG) == 0)
                k->tag = SECRET_TAG;
        else
                return false;

        *why = "the key id is not 16 lowercase hex digits";
        if (!valid_id(tok[1]))
                return false;
        *why = "the key is not the standard base64 of 32 bytes";
        if (!sw_base64_decode(tok[2], strlen(tok[2]), k->bytes, 32))
                return false;
        *why = "the name may hold only letters, digits and ._@+- (at most "
               "64)";
        if (n == 4 && !valid_name(tok[3]))
                return false;
        snprintf(k->name, sizeof(k->name), "%s", n == 4 ? tok[3] : "");

        /* The id must be the key's own, or the line was altered. */
        line_public_key(k, pk);
        sw_key_id(pk, id);
        memcpy(k->id, id, sizeof(id));
        *why = "the key id does not match the key (the line was altered)";
        return strcmp(id, tok[1]) == 0;
}

/* Calls fn for every key line of a file's text; stops at its error. */
typedef sw_code (*line_fn)(const struct key_line *k, unsigned lineno, void *ctx,
                           sw_error **err);

static sw_code each_key_line(const char *path, char *text, line_fn fn,
                             void *ctx, sw_error **err)
{
        unsigned lineno = 0;
        sw_code rc = SW_SUCCESS;

        for (char *line = text, *next; line && !rc; line = next) {
                struct key_line k = {0};
                const char *why = NULL;
                size_t n;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                lineno++;
                n = strlen(line);
                if (n && line[n - 1] == '\r')
                        line[--n] = '\0';
                line += strspn(line, " \t");
                if (*line == '\0' || *line == '#')
                        continue;
                if (!parse_line(line, &k, &why))
                        rc = sw_fail_at(err, SW_EPROTO, path, lineno, 1, NULL,
                                        NULL, "not a syswall key: %s", why);
                else
                        rc = fn(&k, lineno, ctx, err);
                sodium_memzero(&k, sizeof(k));
        }
        return rc;
}

static sw_code load_key_text(const char *path, char **text, struct stat *st,
                             sw_error **err)
{
        size_t len = 0;
        sw_code rc;

        *text = NULL;
        if (sodium_init() < 0) {
                sw_fail(err, SW_EINTERNAL, "libsodium failed to start");
                return SW_EINTERNAL;
        }
        rc = sw_read_text_file(path, MAX_KEY_FILE, text, &len, st, err);
        if (rc != SW_SUCCESS || *text == NULL)
                return rc != SW_SUCCESS ? rc : SW_EINTERNAL;
        if (strlen(*text) != len) {
                free(*text);
                *text = NULL;
                sw_fail(err, SW_EPROTO, "'%s' holds a NUL byte", path);
                return SW_EPROTO;
        }
        return SW_SUCCESS;
}

/* ---- trust stores ---- */

static sw_code add_trusted(const struct key_line *k, unsigned lineno, void *ctx,
                           sw_error **err)
{
        struct sw_trust *t = ctx;
        struct sw_trust_key *keys;

        if (strcmp(k->tag, PUBLIC_TAG) != 0)
                return sw_fail_at(err, SW_EPROTO, t->file, lineno, 1, NULL,
                                  "give the .pub file; keep the secret key "
                                  "where only the signer can read it",
                                  "a trust file must hold public keys only, "
                                  "and this line is a secret key");
        for (size_t i = 0; i < t->count; i++)
                if (strcmp(t->keys[i].id, k->id) == 0)
                        return SW_SUCCESS; /* listed twice: one key */

        keys = realloc(t->keys, (t->count + 1) * sizeof(*keys));
        if (keys == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        t->keys = keys;
        memcpy(keys[t->count].pk, k->bytes, sizeof(keys[t->count].pk));
        memcpy(keys[t->count].id, k->id, sizeof(k->id));
        keys[t->count].name = k->name[0] ? sw_strdup(k->name) : NULL;
        if (k->name[0] && keys[t->count].name == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        t->count++;
        return SW_SUCCESS;
}

sw_code sw_trust_load(const char *path, sw_trust **out, sw_error **err)
{
        struct sw_trust *t = calloc(1, sizeof(*t));
        struct stat st;
        char *text = NULL;
        sw_code rc;

        *out = NULL;
        if (t == NULL || (t->file = sw_strdup(path)) == NULL) {
                free(t);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        rc = load_key_text(path, &text, &st, err);
        if (rc == SW_SUCCESS)
                rc = each_key_line(path, text, add_trusted, t, err);
        if (rc == SW_SUCCESS && t->count == 0)
                rc = sw_fail(err, SW_EPROTO,
                             "trust file '%s' holds no public key", path);
        free(text);
        if (rc != SW_SUCCESS) {
                sw_trust_free(t);
                return rc;
        }
        *out = t;
        return SW_SUCCESS;
}

size_t sw_trust_count(const sw_trust *t)
{
        return t ? t->count : 0;
}

const char *sw_trust_key_id(const sw_trust *t, size_t i)
{
        return t && i < t->count ? t->keys[i].id : NULL;
}

const char *sw_trust_key_name(const sw_trust *t, size_t i)
{
        return t && i < t->count ? t->keys[i].name : NULL;
}

const char *sw_trust_file(const sw_trust *t)
{
        return t ? t->file : NULL;
}

void sw_trust_free(sw_trust *t)
{
        if (t == NULL)
                return;
        for (size_t i = 0; i < t->count; i++)
                free(t->keys[i].name);
        free(t->keys);
        free(t->file);
        free(t);
}

/* ---- secret keys ---- */

struct secret_ctx {
        const char *path;
        struct sw_secret_key *key;
        bool found;
};

static sw_code take_secret(const struct key_line *k, unsigned lineno, void *ctx,
                           sw_error **err)
{
        struct secret_ctx *c = ctx;

        if (strcmp(k->tag, SECRET_TAG) != 0)
                return sw_fail_at(err, SW_EPROTO, c->path, lineno, 1, NULL,
                                  "give the .key file written by 'syswall "
                                  "keygen'",
                                  "this line is a public key; signing needs "
                                  "the secret key");
        if (c->found)
                return sw_fail_at(err, SW_EPROTO, c->path, lineno, 1, NULL,
                                  NULL,
                                  "a secret key file holds one key, and this "
                                  "is a second one");
        crypto_sign_seed_keypair(c->key->pk, c->key->sk, k->bytes);
        memcpy(c->key->id, k->id, sizeof(k->id));
        c->found = true;
        return SW_SUCCESS;
}

sw_code sw_secret_key_load(const char *path, struct sw_secret_key *key,
                           sw_error **err)
{
        struct secret_ctx ctx = {path, key, false};
        struct stat st;
        char *text = NULL;
        sw_code rc;

        rc = load_key_text(path, &text, &st, err);
        if (rc != SW_SUCCESS)
                return rc;
        rc = each_key_line(path, text, take_secret, &ctx, err);
        sodium_memzero(text, strlen(text));
        free(text);
        if (rc == SW_SUCCESS && !ctx.found)
                rc = sw_fail(err, SW_EPROTO, "'%s' holds no secret key", path);

        /* Like ssh: a secret others can read is no secret any more. */
        if (rc == SW_SUCCESS && (st.st_mode & 077))
                rc = sw_fail(err, SW_EPERM,
                             "secret key file '%s' can be read or written by "
                             "other users (mode %04o); run 'chmod 600 %s'",
                             path, (unsigned)(st.st_mode & 07777), path);
        if (rc != SW_SUCCESS)
                sodium_memzero(key, sizeof(*key));
        return rc;
}

/* ---- key generation ---- */

static sw_code write_new_file(const char *path, mode_t mode, const char *text,
                              sw_error **err)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        size_t len = strlen(text), done = 0;
        ssize_t r = 0;

        if (fd < 0)
                return sw_fail(err, SW_EIO, "cannot create '%s': %s%s", path,
                               strerror(errno),
                               errno == EEXIST ? " (keys are never "
                                                 "overwritten)"
                                               : "");
        /* The umask may only narrow the mode; make it exact. */
        if (fchmod(fd, mode) < 0)
                r = -1;
        while (r >= 0 && done < len &&
               (r = write(fd, text + done, len - done)) > 0)
                done += (size_t)r;
        if (r < 0 || fsync(fd) < 0 || close(fd) < 0) {
                int e = errno;

                close(fd);
                unlink(path);
                return sw_fail(err, SW_EIO, "cannot write '%s': %s", path,
                               strerror(e));
        }
        return SW_SUCCESS;
}

static char *key_text(const char *comment, const char *tag, const char *id,
                      const unsigned char *bytes, const char *name)
{
        char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
        char *text;

        sodium_bin2base64(b64, sizeof(b64), bytes, 32,
                          sodium_base64_VARIANT_ORIGINAL);
        text = sw_asprintf("# %s\n%s %s %s%s%s\n", comment, tag, id, b64,
                           name ? " " : "", name ? name : "");
        sodium_memzero(b64, sizeof(b64));
        return text;
}

static sw_code write_pair(const char *base, const unsigned char *pk,
                          const unsigned char *seed, const char *id,
                          const char *name, sw_error **err)
{
        char *pub_path = sw_asprintf("%s.pub", base);
        char *key_path = sw_asprintf("%s.key", base);
        char *pub = key_text("syswall Ed25519 public key: add this line to "
                             "a trust file",
                             PUBLIC_TAG, id, pk, name);
        char *sec = key_text("syswall Ed25519 secret key: keep it private",
                             SECRET_TAG, id, seed, name);
        sw_code rc = SW_EINTERNAL;

        if (!pub_path || !key_path || !pub || !sec)
                sw_fail(err, rc, "out of memory");
        else if ((rc = write_new_file(key_path, 0600, sec, err)) ==
                         SW_SUCCESS &&
                 (rc = write_new_file(pub_path, 0644, pub, err)) != SW_SUCCESS)
                unlink(key_path);
        if (sec)
                sodium_memzero(sec, strlen(sec));
        free(sec);
        free(pub);
        free(key_path);
        free(pub_path);
        return rc;
}

sw_code sw_keygen(const char *basename, const char *name,
                  char key_id[SW_KEY_ID_SIZE], sw_error **err)
{
        unsigned char pk[crypto_sign_PUBLICKEYBYTES];
        unsigned char sk[crypto_sign_SECRETKEYBYTES];
        unsigned char seed[crypto_sign_SEEDBYTES];
        char id[SW_KEY_ID_SIZE];
        sw_code rc;

        if (basename == NULL || *basename == '\0')
                return sw_fail(err, SW_EPROTO, "no file name for the keys");
        if (name && !valid_name(name))
                return sw_fail(err, SW_EPROTO,
                               "key name '%s' may hold only letters, digits "
                               "and ._@+- (at most 64)",
                               name);
        if (sodium_init() < 0)
                return sw_fail(err, SW_EINTERNAL, "libsodium failed to start");

        randombytes_buf(seed, sizeof(seed));
        crypto_sign_seed_keypair(pk, sk, seed);
        sw_key_id(pk, id);
        rc = write_pair(basename, pk, seed, id, name, err);
        sodium_memzero(seed, sizeof(seed));
        sodium_memzero(sk, sizeof(sk));
        if (rc == SW_SUCCESS && key_id)
                memcpy(key_id, id, sizeof(id));
        return rc;
}
