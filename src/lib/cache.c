/*
 * cache.c - compiled filters kept on disk, keyed by a content hash.
 *
 * An entry is one file named by its key (64 hex digits): a fixed header
 * (magic, format, flags, architecture, length, the key again and a keyed
 * hash of the program) followed by the program.  The key is a BLAKE2b
 * hash (libsodium's crypto_generichash) of everything that decides the
 * program: the document's bytes, the fingerprint of the library's sources
 * (cmake/buildid.cmake), the version of syswall and of libseccomp, the
 * running kernel's release, the target architecture and the options that change
 * what is accepted or built (backend, strict, authority, Landlock).
 *
 * The cache is a gatekeeper's memory, so it must never be a way around
 * the filter.  The directory is used only when it belongs to the
 * effective user and nobody else can write to it; an entry likewise.
 * Anyone who can write there is already that user, and can run anything
 * without syswall, so the hash stored in an entry is there to catch
 * corruption (a truncated write, a disk error, a stray edit), not to
 * authenticate: a key kept beside the entries would add nothing.  What
 * fails a check is refused with the reason, and the caller compiles the
 * whitelist again: a refused entry never fails open.
 *
 * Entries are written to a temporary name and renamed over the final
 * one, so a reader sees a whole entry or none; concurrent writers of the
 * same key write the same bytes.  Nothing is fsync'd: after a crash an
 * entry may be short, which the length check catches.
 */
#include "compile.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <seccomp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define ENTRY_MAGIC  "SWFCACHE"
#define ENTRY_FORMAT 1u

/* What the key's hash starts with: a new layout gets a new string. */
static const char key_domain[] = "syswall compiled-filter cache, key 1";

struct entry_head {
        char magic[8];
        uint32_t format;
        uint32_t flags;
        uint32_t arch;
        uint32_t len; /* instructions */
        unsigned char key[SW_CACHE_KEY_SIZE];
        unsigned char hash[SW_CACHE_KEY_SIZE]; /* of the program, keyed */
};

struct sw_cache {
        char *path;
        int dir; /* the open directory: entries are reached from it */
};

/* ------------------------------------------------------------------ */
/* The directory                                                      */
/* ------------------------------------------------------------------ */

static char *join(const char *base, const char *tail)
{
        return sw_asprintf("%s%s%s", base,
                           base[strlen(base) - 1] == '/' ? "" : "/", tail);
}

char *sw_cache_default_dir(void)
{
        const char *env = getenv("SYSWALL_CACHE_DIR");
        const char *home;
        struct passwd *pw;

        if (env && *env)
                return sw_strdup(env);
        /* The XDG spec ignores a relative XDG_CACHE_HOME. */
        env = getenv("XDG_CACHE_HOME");
        if (env && env[0] == '/')
                return join(env, "syswall");
        home = getenv("HOME");
        if (home == NULL || home[0] != '/') {
                pw = getpwuid(geteuid());
                home = pw ? pw->pw_dir : NULL;
        }
        if (home == NULL || home[0] != '/')
                return NULL;
        return join(home, ".cache/syswall");
}

/* mkdir -p with mode 0700 for what is missing; existing parts are kept. */
static int make_dirs(char *path)
{
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(path, 0700) < 0 && errno != EEXIST) {
                        *p = '/';
                        return -1;
                }
                *p = '/';
        }
        return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Owned by us and writable by nobody else, or the reason it is not. */
static sw_code check_owner(const struct stat *st, const char *what,
                           const char *path, sw_error **err)
{
        if (st->st_uid != geteuid())
                return sw_fail(err, SW_EPERM,
                               "the cache %s %s belongs to uid %u, not to "
                               "this user (uid %u)",
                               what, path, (unsigned)st->st_uid,
                               (unsigned)geteuid());
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return sw_fail(err, SW_EPERM,
                               "the cache %s %s is writable by group or "
                               "others (mode %04o)",
                               what, path, (unsigned)(st->st_mode & 07777));
        return SW_SUCCESS;
}

static bool is_symlink(const char *path)
{
        struct stat st;

        return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* No symbolic link as the directory itself: its target could be anybody's. */
static int dir_open(const char *path)
{
        return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * Drop trailing "/" and "/." from the directory's name, so "link/" and
 * "link/." meet the symbolic-link rule as "link" does (O_NOFOLLOW looks
 * at the last component only).  Links earlier in the path are followed:
 * what decides is the directory reached, whose owner and mode are checked
 * on the open descriptor.
 */
static void trim_dir(char *path)
{
        size_t n = strlen(path);

        for (;;) {
                if (n > 1 && path[n - 1] == '/')
                        n--;
                else if (n > 2 && path[n - 1] == '.' && path[n - 2] == '/')
                        n -= 2;
                else
                        break;
                path[n] = '\0';
        }
}

static sw_code open_dir(sw_cache *c, sw_error **err)
{
        struct stat st;

        /* Made once; every later run opens it straight away. */
        c->dir = dir_open(c->path);
        if (c->dir < 0 && errno == ENOENT) {
                if (make_dirs(c->path) < 0)
                        return sw_fail(err, SW_EIO,
                                       "cannot create the cache directory "
                                       "%s: %s",
                                       c->path, strerror(errno));
                c->dir = dir_open(c->path);
        }
        if (c->dir < 0 && is_symlink(c->path))
                return sw_fail(err, SW_EPERM,
                               "cannot open the cache directory %s: it is a "
                               "symbolic link",
                               c->path);
        if (c->dir < 0)
                return sw_fail(err, SW_EIO,
                               "cannot open the cache directory %s: %s",
                               c->path, strerror(errno));
        if (fstat(c->dir, &st) < 0)
                return sw_fail(err, SW_EIO,
                               "cannot stat the cache directory %s: %s",
                               c->path, strerror(errno));
        return check_owner(&st, "directory", c->path, err);
}

sw_code sw_cache_open(const char *dir, sw_cache **out, sw_error **err)
{
        sw_cache *c;
        sw_code sc;

        *out = NULL;
        c = calloc(1, sizeof(*c));
        if (c == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        c->dir = -1;
        c->path = dir ? sw_strdup(dir) : sw_cache_default_dir();
        if (c->path == NULL) {
                free(c);
                return dir ? sw_fail(err, SW_EINTERNAL, "out of memory")
                           : sw_fail(err, SW_ENOENT,
                                     "no cache directory: neither "
                                     "SYSWALL_CACHE_DIR, XDG_CACHE_HOME nor "
                                     "a home directory is set");
        }
        trim_dir(c->path);
        sc = c->path[0] ? open_dir(c, err)
                        : sw_fail(err, SW_ENOENT,
                                  "the cache directory "
                                  "name is empty");
        if (sc != SW_SUCCESS) {
                sw_cache_free(c);
                return sc;
        }
        *out = c;
        return SW_SUCCESS;
}

void sw_cache_free(sw_cache *c)
{
        if (c == NULL)
                return;
        if (c->dir >= 0)
                close(c->dir);
        free(c->path);
        free(c);
}

const char *sw_cache_path(const sw_cache *c)
{
        return c->path;
}

/* ------------------------------------------------------------------ */
/* Keys                                                               */
/* ------------------------------------------------------------------ */

static void feed(crypto_generichash_state *st, const void *p, size_t n)
{
        crypto_generichash_update(st, p, n);
}

/* A string with its terminating NUL, so that "ab"+"c" != "a"+"bc". */
static void feed_str(crypto_generichash_state *st, const char *s)
{
        feed(st, s, strlen(s) + 1);
}

static void feed_u32(crypto_generichash_state *st, uint32_t v)
{
        feed(st, &v, sizeof(v));
}

/*
 * sodium_init picks the fastest BLAKE2b for this CPU.  It fails only
 * when out of resources, and then the portable code hashes the same.
 */
static void fast_hash(void)
{
        if (sodium_init() < 0)
                return;
}

void sw_cache_key(const void *doc, size_t len, const sw_config *cfg,
                  unsigned char key[SW_CACHE_KEY_SIZE])
{
        const struct scmp_version *lib = seccomp_version();
        crypto_generichash_state st;
        struct utsname kernel;
        uint64_t n = len;

        if (cfg == NULL)
                cfg = sw_config_default();
        fast_hash();
        crypto_generichash_init(&st, NULL, 0, SW_CACHE_KEY_SIZE);
        feed_str(&st, key_domain);
        feed_str(&st, SYSWALL_VERSION_STRING);
        feed_str(&st, sw_build_id);
        feed_u32(&st, lib ? lib->major : 0);
        feed_u32(&st, lib ? lib->minor : 0);
        feed_u32(&st, lib ? lib->micro : 0);
        /* libseccomp asks the running kernel what it supports. */
        feed_str(&st, uname(&kernel) == 0 ? kernel.release : "");
        feed_u32(&st, cfg->arch ? cfg->arch : seccomp_arch_native());
        feed_u32(&st, cfg->backend);
        feed_u32(&st, cfg->strict);
        feed_u32(&st, cfg->no_landlock);
        feed_str(&st, cfg->authority ? cfg->authority : "");
        feed(&st, &n, sizeof(n));
        feed(&st, doc, len);
        crypto_generichash_final(&st, key, SW_CACHE_KEY_SIZE);
}

/* The entry's file name: the key in hex. */
static void entry_name(const unsigned char key[SW_CACHE_KEY_SIZE],
                       char name[2 * SW_CACHE_KEY_SIZE + 1])
{
        sodium_bin2hex(name, 2 * SW_CACHE_KEY_SIZE + 1, key, SW_CACHE_KEY_SIZE);
}

/* The program's hash, keyed by the entry's key. */
static void program_hash(const void *prog, size_t size,
                         const unsigned char key[SW_CACHE_KEY_SIZE],
                         unsigned char out[SW_CACHE_KEY_SIZE])
{
        crypto_generichash(out, SW_CACHE_KEY_SIZE, prog, size, key,
                           SW_CACHE_KEY_SIZE);
}

/* ------------------------------------------------------------------ */
/* Reading an entry                                                   */
/* ------------------------------------------------------------------ */

static sw_code corrupt(sw_error **err, const sw_cache *c, const char *name,
                       const char *why)
{
        return sw_fail(err, SW_EPROTO, "the cache entry %s/%s is corrupt: %s",
                       c->path, name, why);
}

/* The header's promises, checked against the key and the file's size. */
static const char *head_problem(const struct entry_head *h,
                                const unsigned char key[SW_CACHE_KEY_SIZE],
                                off_t size)
{
        if (memcmp(h->magic, ENTRY_MAGIC, sizeof(h->magic)) != 0)
                return "not a syswall cache entry (bad magic)";
        if (h->format != ENTRY_FORMAT)
                return "written in another entry format";
        if (sodium_memcmp(h->key, key, SW_CACHE_KEY_SIZE) != 0)
                return "it holds the entry of another key";
        if (h->len == 0 || h->len > SW_BPF_MAX_INSNS)
                return "impossible program length";
        if ((uint64_t)size !=
            sizeof(*h) + (uint64_t)h->len * sizeof(struct sock_filter))
                return "truncated or padded (its size disagrees with its "
                       "header)";
        return NULL;
}

/* The program after the header, its hash checked; malloc'd. */
static sw_code read_program(int fd, const struct entry_head *h,
                            const sw_cache *c, const char *name,
                            struct sock_filter **out, sw_error **err)
{
        size_t size = h->len * sizeof(struct sock_filter);
        struct sock_filter *prog = size ? malloc(size) : NULL;
        unsigned char hash[SW_CACHE_KEY_SIZE];

        if (size == 0)
                return corrupt(err, c, name, "impossible program length");
        if (prog == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        if (!sw_read_full(fd, prog, size)) {
                free(prog);
                return corrupt(err, c, name, "truncated");
        }
        program_hash(prog, size, h->key, hash);
        if (sodium_memcmp(hash, h->hash, sizeof(hash)) != 0) {
                free(prog);
                return corrupt(err, c, name,
                               "the program does not match its hash");
        }
        *out = prog;
        return SW_SUCCESS;
}

/* A filter around a program that was proven when its entry was written. */
static sw_code make_filter(struct sock_filter *prog, const struct entry_head *h,
                           sw_filter **out, sw_error **err)
{
        sw_filter *f = calloc(1, sizeof(*f));

        if (f == NULL) {
                free(prog);
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        f->prog = prog;
        f->len = h->len;
        f->arch = h->arch;
        f->proven = true;
        *out = f;
        return SW_SUCCESS;
}

/* The entry's file, opened and checked: a regular file of ours. */
static sw_code open_entry(const sw_cache *c, const char *name, int *fd,
                          struct stat *st, sw_error **err)
{
        char *path;
        sw_code sc;

        *fd = openat(c->dir, name,
                     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (*fd < 0 && errno == ENOENT)
                return sw_fail(err, SW_ENOENT, "no cache entry %s/%s", c->path,
                               name);
        if (*fd < 0)
                return sw_fail(err, errno == ELOOP ? SW_EPERM : SW_EIO,
                               "cannot open the cache entry %s/%s: %s", c->path,
                               name,
                               errno == ELOOP ? "it is a symbolic link"
                                              : strerror(errno));
        if (fstat(*fd, st) < 0)
                return sw_fail(err, SW_EIO, "cannot stat %s/%s: %s", c->path,
                               name, strerror(errno));
        if (!S_ISREG(st->st_mode))
                return sw_fail(err, SW_EPERM,
                               "the cache entry %s/%s is not a regular file",
                               c->path, name);
        path = sw_asprintf("%s/%s", c->path, name);
        if (path == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        sc = check_owner(st, "entry", path, err);
        free(path);
        return sc;
}

sw_code sw_cache_lookup(const sw_cache *c,
                        const unsigned char key[SW_CACHE_KEY_SIZE],
                        sw_filter **out, unsigned *flags, sw_error **err)
{
        char name[2 * SW_CACHE_KEY_SIZE + 1];
        struct sock_filter *prog = NULL;
        struct entry_head h;
        const char *why;
        struct stat st = {0};
        sw_code sc;
        int fd = -1;

        *out = NULL;
        entry_name(key, name);
        sc = open_entry(c, name, &fd, &st, err);
        if (sc == SW_SUCCESS && !sw_read_full(fd, &h, sizeof(h)))
                sc = corrupt(err, c, name, "truncated");
        if (sc == SW_SUCCESS && (why = head_problem(&h, key, st.st_size)))
                sc = corrupt(err, c, name, why);
        if (sc == SW_SUCCESS)
                sc = read_program(fd, &h, c, name, &prog, err);
        if (fd >= 0)
                close(fd);
        if (sc != SW_SUCCESS)
                return sc;

        /* The proof ran when the entry was written; the structural check
         * costs microseconds and guards the kernel's verifier anyway. */
        sc = sw_bpf_check(prog, h.len, err);
        if (sc != SW_SUCCESS) {
                free(prog);
                return sc;
        }
        if (flags)
                *flags = h.flags;
        return make_filter(prog, &h, out, err);
}

/* ------------------------------------------------------------------ */
/* Writing an entry                                                   */
/* ------------------------------------------------------------------ */

/* A fresh, unpredictable temporary name in the directory. */
static int open_temp(const sw_cache *c, char tmp[64])
{
        unsigned char r[8];
        char hex[2 * sizeof(r) + 1];

        randombytes_buf(r, sizeof(r));
        sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
        snprintf(tmp, 64, ".tmp-%s", hex);
        return openat(c->dir, tmp,
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0600);
}

sw_code sw_cache_store(const sw_cache *c,
                       const unsigned char key[SW_CACHE_KEY_SIZE],
                       const sw_filter *f, unsigned flags, sw_error **err)
{
        size_t size = f->len * sizeof(*f->prog);
        struct entry_head h = {.format = ENTRY_FORMAT,
                               .flags = flags,
                               .arch = f->arch,
                               .len = (uint32_t)f->len};
        char name[2 * SW_CACHE_KEY_SIZE + 1], tmp[64];
        bool ok;
        int fd, saved;

        /* Only what sw_compile proved; port restrictions need the plan
         * built from the document, which an entry does not hold. */
        if (!f->proven || f->raw || f->net != NULL)
                return sw_fail(err, SW_EPROTO,
                               "only a proven filter without port "
                               "restrictions is cached");
        memcpy(h.magic, ENTRY_MAGIC, sizeof(h.magic));
        memcpy(h.key, key, SW_CACHE_KEY_SIZE);
        program_hash(f->prog, size, key, h.hash);
        entry_name(key, name);

        fd = open_temp(c, tmp);
        if (fd < 0)
                return sw_fail(err, SW_EIO, "cannot write in %s: %s", c->path,
                               strerror(errno));
        ok = sw_write_full(fd, &h, sizeof(h)) &&
             sw_write_full(fd, f->prog, size);
        ok = close(fd) == 0 && ok;
        if (ok && renameat(c->dir, tmp, c->dir, name) == 0)
                return SW_SUCCESS;
        saved = errno;
        unlinkat(c->dir, tmp, 0);
        return sw_fail(err, SW_EIO, "cannot write the cache entry %s/%s: %s",
                       c->path, name, strerror(saved));
}
