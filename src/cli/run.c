/*
 * run.c - `syswall run`: start a command under a whitelist.
 *
 * All or nothing.  Everything that can go wrong with the whitelist is
 * done here, in the parent, before the fork: the document is read and
 * checked, compiled and proven, and the command is looked up on PATH.
 * The child only loads the finished filter (no_new_privs, thread sync)
 * and calls execve, so a bad document never starts the command.  The
 * parent then follows the command (watch.c) and exits with its status.
 *
 * Exit status, as env(1) and timeout(1) do it: the command's own status;
 * 128+N when a signal N killed it (159 for SIGSYS); 125 when syswall
 * itself fails, with the P1.7 code name in the message; 126 when the
 * command cannot be executed; 127 when it is not found.
 */
#include "cli.h"
#include "internal.h"
#include "kmsg.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_FAILED      125
#define RUN_CANNOT_EXEC 126
#define RUN_NOT_FOUND   127

/* The name the embedded default whitelist has in messages. */
#define RUN_DEFAULT_NAME "<default whitelist>"

struct run_opts {
        const char *policy; /* NULL: the embedded default */
        const char *arch;
        const char *authority;
        const char *trust;
        bool require_signature;
        bool strict;
        bool trace;
        bool no_landlock;
        bool complain;         /* --complain: complain.c runs the command */
        const char *suggest;   /* --suggest FILE */
        const char *cache_dir; /* --cache-dir DIR; NULL: the default */
        bool no_cache;
        char **cmd;
};

/* What the child tells the parent when it cannot reach the command. */
struct child_note {
        int stage; /* NOTE_LOAD or NOTE_EXEC */
        int code;  /* sw_code for NOTE_LOAD */
        int err;   /* errno for NOTE_EXEC */
        char message[240];
};

enum { NOTE_LOAD = 1, NOTE_EXEC = 2 };

static const char help_text[] =
        "Run CMD under a seccomp filter built from a whitelist.\n"
        "\n"
        "The whitelist (FILE, or the embedded default without one) is read,\n"
        "checked, compiled and proven before anything starts: a document with\n"
        "an error never runs the command.  The command then starts in a child\n"
        "whose filter is loaded just before execve, so the whitelist must\n"
        "allow execve.  A call the whitelist does not list kills the command\n"
        "with SIGSYS; a DENY rule makes the call fail with its errno instead.\n"
        "\n"
        "options:\n"
        "  -p, --policy FILE  the whitelist to enforce (default: the embedded\n"
        "                     one, see docs/default-whitelist.md)\n"
        "  --arch ARCH        check names for ARCH; it must be this machine's\n"
        "                     architecture, the only one a filter runs on\n"
        "  --strict           treat warnings (names absent here, lint) as\n"
        "                     errors\n"
        "  --authority NAME   the policy authority created_by must name\n"
        "                     (default \"Security Agent\")\n"
        "  --trust FILE       run only a whitelist signed by a key of FILE\n"
        "  --require-signature  fail unless --trust is given too\n"
        "  --no-landlock      judge TCP ports in the supervisor too, not with\n"
        "                     Landlock (see docs/network.md)\n"
        "  --no-trace         do not trace the command (needed to run a\n"
        "                     debugger or strace under syswall); a kill is\n"
        "                     then reported without the refused call's name\n"
        "  --complain         complain mode: a call the whitelist would kill or\n"
        "                     deny is allowed and reported (call, arguments,\n"
        "                     pid, count), with a summary at exit; everything\n"
        "                     else is enforced.  A calibration tool, not a\n"
        "                     sandbox (docs/learn.md)\n"
        "  --suggest FILE     with --complain: write the calls to add, as a\n"
        "                     whitelist, to FILE\n"
        "  --cache-dir DIR    keep compiled filters in DIR (default:\n"
        "                     $SYSWALL_CACHE_DIR, $XDG_CACHE_HOME/syswall or\n"
        "                     ~/.cache/syswall)\n"
        "  --no-cache         neither use nor write the compiled-filter cache\n"
        "  -h, --help         show this help\n"
        "\n"
        "Port restrictions are enforced by Landlock (TCP connect and bind,\n"
        "in the kernel, EACCES) and by a supervisor in this process that\n"
        "judges and performs the other restricted calls (UDP, sendmsg...) on\n"
        "copies it holds; `check --net FILE` shows which does what.  When\n"
        "syswall ends, calls it supervised fail with ENOSYS.\n"
        "\n"
        "A whitelist run before starts from its compiled filter, kept in a\n"
        "cache under a hash of the document's bytes, the syswall build and\n"
        "the options: it is not read or compiled again.  A signed whitelist\n"
        "is still verified every time; a cache directory or entry that is\n"
        "not yours alone, or is damaged, is ignored with a note and the\n"
        "whitelist compiled.  Clear it with `rm -r ~/.cache/syswall`\n"
        "(docs/run.md).\n"
        "\n"
        "When the filter kills the command, syswall says so and names the\n"
        "system call that was refused, with its arguments, read from the\n"
        "dying thread.  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2\n"
        "sent to syswall are passed on to the command.\n"
        "\n"
        "exit status:\n"
        "  N    the command's status, or 128+N if signal N killed it\n"
        "       (159: killed by SIGSYS, a call the whitelist does not list)\n"
        "  125  syswall failed (bad whitelist, bad option...); the P1.7\n"
        "       code name is printed, and the command was not started\n"
        "  126  the command was found but cannot be executed\n"
        "  127  the command was not found\n";

static void help(FILE *out)
{
        fprintf(out,
                "usage: %s run [-p FILE] [--arch ARCH] [--strict] "
                "[--authority NAME]\n"
                "           [--trust FILE [--require-signature]] [--no-landlock] "
                "[--no-trace]\n           "
                "[--cache-dir DIR | --no-cache] [--] CMD [ARG...]\n"
                "       %s run [OPTIONS] --complain [--suggest FILE] FILE -- "
                "CMD [ARG...]\n"
                "       %s run FILE [OPTIONS] -- CMD [ARG...]\n\n",
                sw_prog, sw_prog, sw_prog);
        fputs(help_text, out);
        fprintf(out,
                "\nexamples:\n"
                "  %s run -- ls -l /\n"
                "  %s run -p examples/whitelist.json -- ./client\n"
                "  %s run policy.json -- python3 app.py\n",
                sw_prog, sw_prog, sw_prog);
}

static int fail(sw_code code, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Print "syswall: run: <message> [CODE]" and return 125. */
static int fail(sw_code code, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s: run: %s [%s]\n", sw_prog, msg ? msg : fmt,
                sw_code_name(code));
        free(msg);
        return RUN_FAILED;
}

static int usage_error(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

/* A mistake on the command line: say it, point to --help, return 125. */
static int usage_error(const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s: run: %s [%s]\nTry '%s run --help'.\n", sw_prog,
                msg ? msg : fmt, sw_code_name(SW_EPROTO), sw_prog);
        free(msg);
        return RUN_FAILED;
}

/* ------------------------------------------------------------------ */
/* Options                                                            */
/* ------------------------------------------------------------------ */

static bool has_separator(int argc, char **argv, int from)
{
        for (int i = from; i < argc; i++)
                if (strcmp(argv[i], "--") == 0)
                        return true;
        return false;
}

/* The value of "--opt VALUE" or "--opt=VALUE"; NULL if this is not it. */
static const char *opt_value(int argc, char **argv, int *i, const char *s,
                             const char *l, bool *missing)
{
        const char *a = argv[*i];
        size_t n = strlen(l);

        if (a == NULL)
                return NULL;
        if ((s && strcmp(a, s) == 0) || strcmp(a, l) == 0) {
                if (*i + 1 >= argc) {
                        *missing = true;
                        return NULL;
                }
                return argv[++*i];
        }
        if (strncmp(a, l, n) == 0 && a[n] == '=')
                return a + n + 1;
        return NULL;
}

/* The options that take a value, and where it goes. */
static const struct value_opt {
        const char *shrt;
        const char *lng;
        size_t field;
} value_opts[] = {
        {"-p", "--policy", offsetof(struct run_opts, policy)},
        {NULL, "--arch", offsetof(struct run_opts, arch)},
        {NULL, "--authority", offsetof(struct run_opts, authority)},
        {NULL, "--trust", offsetof(struct run_opts, trust)},
        {NULL, "--suggest", offsetof(struct run_opts, suggest)},
        {NULL, "--cache-dir", offsetof(struct run_opts, cache_dir)},
};

/*
 * Store the value of the option at argv[*i] if it takes one.  Returns 1
 * when it did, 0 when the option is another one, -1 (with the message
 * printed) on a missing value or a second whitelist.
 */
static int take_value(int argc, char **argv, int *i, struct run_opts *o)
{
        const char *opt = argv[*i];
        bool missing = false;

        for (size_t k = 0; k < SW_ARRAY_SIZE(value_opts); k++) {
                const struct value_opt *vo = &value_opts[k];
                const char *v =
                        opt_value(argc, argv, i, vo->shrt, vo->lng, &missing);
                const char **dest = (const char **)((char *)o + vo->field);

                if (missing) {
                        usage_error("option %s needs a value", opt);
                        return -1;
                }
                if (v == NULL)
                        continue;
                if (*dest && vo->field == offsetof(struct run_opts, policy)) {
                        usage_error("%s: more than one whitelist given", v);
                        return -1;
                }
                *dest = v;
                return 1;
        }
        return 0;
}

/* Set a flag option; false if a is none of them. */
static bool take_flag(const char *a, struct run_opts *o)
{
        if (strcmp(a, "--strict") == 0)
                o->strict = true;
        else if (strcmp(a, "--require-signature") == 0)
                o->require_signature = true;
        else if (strcmp(a, "--no-trace") == 0)
                o->trace = false;
        else if (strcmp(a, "--no-landlock") == 0)
                o->no_landlock = true;
        else if (strcmp(a, "--complain") == 0)
                o->complain = true;
        else if (strcmp(a, "--no-cache") == 0)
                o->no_cache = true;
        else
                return false;
        return true;
}

/*
 * Parse the options.  Returns -1 to go on, or the exit status.  Option
 * parsing stops at the command, so `run ls -l` gives -l to ls.  A first
 * word followed later by "--" is the whitelist: `run FILE -- CMD`.
 */
static int parse_opts(int argc, char **argv, struct run_opts *o)
{
        int i = 1;

        for (; i < argc; i++) {
                const char *a = argv[i];
                int taken;

                if (strcmp(a, "--") == 0) {
                        i++;
                        break;
                }
                if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                        help(stdout);
                        return 0;
                }
                taken = take_value(argc, argv, &i, o);
                if (taken < 0)
                        return RUN_FAILED;
                if (taken > 0 || take_flag(a, o))
                        continue;
                if (a[0] == '-' && a[1] != '\0')
                        return usage_error("unknown option '%s'", a);
                if (o->policy || !has_separator(argc, argv, i + 1))
                        break;
                o->policy = a;
        }
        if (i >= argc)
                return usage_error("no command given");
        if (o->suggest && !o->complain)
                return usage_error("--suggest needs --complain");
        o->cmd = argv + i;
        return -1;
}

/* ------------------------------------------------------------------ */
/* Preparing the filter                                               */
/* ------------------------------------------------------------------ */

static int make_config(const struct run_opts *o, sw_config **out)
{
        sw_config *cfg = sw_config_new();
        char native[32];

        if (cfg == NULL)
                return fail(SW_EINTERNAL, "out of memory");
        snprintf(native, sizeof(native), "%s", sw_config_arch(cfg));
        if (o->arch && sw_config_set_arch(cfg, o->arch) != SW_SUCCESS) {
                sw_config_free(cfg);
                return fail(SW_ENOENT,
                            "unknown architecture '%s' (x86_64, aarch64, x86, "
                            "riscv64...)",
                            o->arch);
        }
        if (strcmp(sw_config_arch(cfg), native) != 0) {
                sw_config_free(cfg);
                return fail(SW_EPROTO,
                            "--arch %s: a filter can only run on this "
                            "machine's architecture (%s); use 'check --arch' "
                            "to check for another",
                            o->arch, native);
        }
        sw_config_set_strict(cfg, o->strict);
        if (o->authority && sw_config_set_authority(cfg, o->authority)) {
                sw_config_free(cfg);
                return fail(SW_EINTERNAL, "out of memory");
        }
        if (o->trust && cli_set_trust(cfg, o->trust, "run") != SW_SUCCESS) {
                sw_config_free(cfg);
                return RUN_FAILED;
        }
        sw_config_require_signature(cfg, o->require_signature);
        sw_config_set_landlock(cfg, !o->no_landlock);
        /* Nothing prints the listing: skip its second export. */
        sw_config_set_listing(cfg, false);
        *out = cfg;
        return 0;
}

/* The document's bytes, read once: hashed for the cache, then parsed. */
struct doc {
        const char *text; /* NULL: unread, sw_whitelist_load_file reads */
        size_t len;
        char *owned; /* what to free */
};

/*
 * Read the whitelist file.  Anything unusual (not a regular file, too
 * large, unreadable) is left to sw_whitelist_load_file, which says why;
 * such a document is simply not cached.
 */
static void read_doc(const struct run_opts *o, struct doc *d)
{
        struct stat st;
        char *buf;
        int fd;

        if (o->policy == NULL) {
                d->text = sw_default_whitelist(&d->len);
                return;
        }
        fd = open(o->policy, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return;
        buf = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                              st.st_size <= (off_t)SW_MAX_DOCUMENT_SIZE
                      ? malloc((size_t)st.st_size + 1)
                      : NULL;
        if (buf && read(fd, buf, (size_t)st.st_size + 1) == st.st_size) {
                d->owned = buf;
                d->text = buf;
                d->len = (size_t)st.st_size;
        } else {
                free(buf);
        }
        close(fd);
}

/*
 * Read and check the whitelist.  Diagnostics are printed when it fails,
 * and when a file the user gave has warnings; never for a clean default.
 * *warned tells whether warnings were printed.
 */
static int load(const struct run_opts *o, const sw_config *cfg,
                const struct doc *d, sw_whitelist **wl, bool *warned)
{
        const char *name = o->policy ? o->policy : RUN_DEFAULT_NAME;
        sw_report *rep = NULL;
        sw_code code;

        if (d->text)
                code = sw_whitelist_load_buffer(d->text, d->len, name, cfg, wl,
                                                &rep);
        else
                code = sw_whitelist_load_file(o->policy, cfg, wl, &rep);
        /* Notes alone (other architectures, style) are for `check`. */
        *warned = rep && o->policy &&
                  sw_report_count_severity(rep, SW_SEV_WARNING) > 0;
        if (rep && (code != SW_SUCCESS || *warned))
                cli_print_report(rep, NULL, false);
        sw_report_free(rep);
        if (code != SW_SUCCESS)
                return fail(code,
                            "%s: the whitelist cannot be used, the command "
                            "was not started",
                            name);
        return 0;
}

/*
 * The filter is loaded before execve, so a whitelist that does not allow
 * execve could never start anything: refuse it here, where the reason
 * can be said, rather than let the child die of SIGSYS.
 */
static int check_execve(const struct run_opts *o, const sw_whitelist *wl)
{
        const char *name = o->policy ? o->policy : RUN_DEFAULT_NAME;
        size_t n = sw_whitelist_rule_count(wl);

        for (size_t i = 0; i < n; i++) {
                if (strcmp(sw_whitelist_rule_name(wl, i), "execve") != 0)
                        continue;
                if (sw_whitelist_rule_permission(wl, i) != SW_DENY)
                        return 0;
                return fail(SW_EPERM,
                            "%s: the whitelist denies execve, so no command "
                            "can start (a filter is loaded before execve; "
                            "such a whitelist can only be applied in-process "
                            "with sw_apply_file())",
                            name);
        }
        return fail(SW_EPERM,
                    "%s: the whitelist does not allow execve, so no command "
                    "can start (a filter is loaded before execve; such a "
                    "whitelist can only be applied in-process with "
                    "sw_apply_file())",
                    name);
}

/* A problem with the cache is a note: the whitelist is compiled instead. */
static void cache_note(sw_error *err)
{
        fprintf(stderr, "%s: run: note: %s; compiling the whitelist [%s]\n",
                sw_prog, sw_error_message(err),
                sw_code_name(sw_error_code(err)));
        sw_error_free(err);
}

/* What the cache holds for this run, if it can be used at all. */
struct cached {
        sw_cache *cache; /* NULL: no cache */
        unsigned char key[SW_CACHE_KEY_SIZE];
        sw_filter *hit; /* the stored filter, or NULL */
        unsigned flags;
};

static void cache_lookup(const struct run_opts *o, const sw_config *cfg,
                         const struct doc *d, struct cached *c)
{
        sw_error *err = NULL;
        sw_code sc;

        /* Complain mode reads the whitelist anyway, and is no hot path. */
        if (o->no_cache || o->complain || d->text == NULL)
                return;
        if (sw_cache_open(o->cache_dir, &c->cache, &err) != SW_SUCCESS) {
                cache_note(err);
                return;
        }
        sw_cache_key(d->text, d->len, cfg, c->key);
        sc = sw_cache_lookup(c->cache, c->key, &c->hit, &c->flags, &err);
        if (sc == SW_ENOENT)
                sw_error_free(err);
        else if (sc != SW_SUCCESS)
                cache_note(err);
}

/*
 * Keep what was compiled.  A whitelist with port restrictions is not
 * kept: its enforcement plan is built from the document on every run.
 */
static void cache_store(const struct cached *c, const sw_whitelist *wl,
                        const sw_filter *f, bool warned)
{
        sw_error *err = NULL;

        if (c->cache == NULL || sw_whitelist_has_ports(wl))
                return;
        if (sw_cache_store(c->cache, c->key, f, warned ? 0 : SW_CACHE_CLEAN,
                           &err) != SW_SUCCESS) {
                fprintf(stderr, "%s: run: note: %s [%s]\n", sw_prog,
                        sw_error_message(err),
                        sw_code_name(sw_error_code(err)));
                sw_error_free(err);
        }
}

/*
 * May a cache hit skip reading the document?  Only when reading it
 * printed nothing (no warnings to show again) and no signature is to be
 * checked: a signed whitelist is verified on every run, before its
 * cached filter is used.
 */
static bool hit_alone(const struct run_opts *o, const struct cached *c)
{
        return c->hit && (c->flags & SW_CACHE_CLEAN) && o->trust == NULL &&
               !o->require_signature;
}

static int compile(const sw_whitelist *wl, const sw_config *cfg, sw_filter **f)
{
        sw_error *err = NULL;

        if (sw_compile(wl, cfg, f, &err) == SW_SUCCESS)
                return 0;
        cli_print_error("run", err);
        sw_error_free(err);
        return RUN_FAILED;
}

/*
 * The filter, from the cache or compiled.  On a hit that needs no
 * document, *wl stays NULL: the entry was only written for a whitelist
 * that passed every check below, and nothing after needs the document
 * (no port restrictions; the kill report reads the filter).
 */
static int prepare(const struct run_opts *o, const sw_config *cfg,
                   sw_whitelist **wl, sw_filter **f)
{
        struct doc d = {0};
        struct cached c = {0};
        bool warned = false;
        int rc;

        read_doc(o, &d);
        cache_lookup(o, cfg, &d, &c);
        if (hit_alone(o, &c)) {
                *f = c.hit;
                c.hit = NULL;
                rc = 0;
                goto out;
        }

        rc = load(o, cfg, &d, wl, &warned);
        if (rc == 0)
                rc = check_execve(o, *wl);
        if (rc == 0 && c.hit && !sw_whitelist_has_ports(*wl)) {
                *f = c.hit;
                c.hit = NULL;
        } else if (rc == 0) {
                rc = compile(*wl, cfg, f);
                if (rc == 0)
                        cache_store(&c, *wl, *f, warned);
        }
out:
        sw_filter_free(c.hit);
        sw_cache_free(c.cache);
        free(d.owned);
        return rc;
}

/* ------------------------------------------------------------------ */
/* Finding the command                                                */
/* ------------------------------------------------------------------ */

/* 0 when path is an executable file, else the errno that says why not. */
static int executable(const char *path)
{
        struct stat st;

        if (stat(path, &st) < 0)
                return errno;
        if (S_ISDIR(st.st_mode))
                return EISDIR;
        if (access(path, X_OK) < 0)
                return errno;
        return 0;
}

/*
 * Look the command up the way execvp does (PATH, default
 * /usr/local/bin:/usr/bin:/bin), here in the parent: the child then needs
 * no call but execve after its filter is loaded.
 */
static int find_command(const char *cmd, char **out)
{
        const char *path = getenv("PATH");
        int first_err = ENOENT;
        char *copy, *dir, *save = NULL;

        if (strchr(cmd, '/')) {
                first_err = executable(cmd);
                *out = first_err ? NULL : strdup(cmd);
                return first_err ? first_err : (*out ? 0 : ENOMEM);
        }
        copy = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
        if (copy == NULL)
                return ENOMEM;
        for (dir = strtok_r(copy, ":", &save); dir;
             dir = strtok_r(NULL, ":", &save)) {
                char *cand;
                int e;

                if (asprintf(&cand, "%s/%s", *dir ? dir : ".", cmd) < 0) {
                        free(copy);
                        return ENOMEM;
                }
                e = executable(cand);
                if (e == 0) {
                        free(copy);
                        *out = cand;
                        return 0;
                }
                /* A file that is there but not executable says more. */
                if (e != ENOENT && e != ENOTDIR && first_err == ENOENT)
                        first_err = e;
                free(cand);
        }
        free(copy);
        return first_err;
}

static int lookup_failed(const char *cmd, int err)
{
        if (err == ENOENT) {
                fprintf(stderr, "%s: run: '%s': command not found [%s]\n",
                        sw_prog, cmd, sw_code_name(SW_ENOENT));
                return RUN_NOT_FOUND;
        }
        if (err == ENOMEM)
                return fail(SW_EINTERNAL, "out of memory");
        fprintf(stderr, "%s: run: '%s': cannot execute: %s [%s]\n", sw_prog,
                cmd, strerror(err), sw_code_name(SW_EPERM));
        return RUN_CANNOT_EXEC;
}

/* ------------------------------------------------------------------ */
/* The child                                                          */
/* ------------------------------------------------------------------ */

struct launch {
        const sw_filter *filter;
        const char *path;
        char **argv;
        int gate;      /* read end: EOF once the parent is ready */
        int report;    /* write end, close-on-exec: a child_note on failure */
        sigset_t mask; /* the signal mask syswall was started with */
        struct sigaction chld;    /* and the SIGCHLD action */
        const sw_netguard *guard; /* port restrictions' supervisor, or NULL */
        int net;                  /* the child's end of the guard's socket */
        pid_t parent;             /* syswall, which must outlive the command */
};

static void note(int fd, int stage, int code, int err, const char *msg)
{
        struct child_note n = {.stage = stage, .code = code, .err = err};

        snprintf(n.message, sizeof(n.message), "%s", msg ? msg : "");
        if (write(fd, &n, sizeof(n)) < 0)
                _exit(RUN_FAILED);
}

/*
 * Wait for the parent, load the filter, exec.  After the filter is
 * loaded the child makes no call but execve (and, if that fails, the
 * write and exit that report it).
 */
static void child(const struct launch *l)
{
        sw_error *err = NULL;
        char c;

        /* Killed with syswall, even by SIGKILL, and never left running
         * unwatched: the signal survives execve (no set-uid under
         * no_new_privs).  If syswall died before prctl, getppid shows it. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != l->parent)
                _exit(RUN_FAILED);
        sigaction(SIGCHLD, &l->chld, NULL);
        sigprocmask(SIG_SETMASK, &l->mask, NULL);
        while (read(l->gate, &c, 1) < 0 && errno == EINTR)
                ;
        close(l->gate);

        /* Port restrictions: Landlock and the network filter, whose
         * listener goes to the supervisor in the parent (network.md). */
        if (l->guard && sw_netguard_child(l->guard, l->net) != 0) {
                note(l->report, NOTE_LOAD, SW_EPERM, 0,
                     "the port restrictions could not be set up");
                _exit(RUN_FAILED);
        }
        if (sw_filter_load(l->filter, &err) != SW_SUCCESS) {
                note(l->report, NOTE_LOAD, sw_error_code(err), 0,
                     sw_error_message(err));
                _exit(RUN_FAILED);
        }
        execv(l->path, l->argv);
        note(l->report, NOTE_EXEC, 0, errno, NULL);
        _exit(errno == ENOENT ? RUN_NOT_FOUND : RUN_CANNOT_EXEC);
}

/* Read what the child said, if anything; 0 if it reached the command. */
static int child_outcome(int fd, const char *cmd)
{
        struct child_note n;
        ssize_t got;

        do
                got = read(fd, &n, sizeof(n));
        while (got < 0 && errno == EINTR);
        if (got != (ssize_t)sizeof(n))
                return 0;
        n.message[sizeof(n.message) - 1] = '\0';
        if (n.stage == NOTE_LOAD)
                return fail((sw_code)n.code,
                            "cannot load the filter, the command was not "
                            "started: %s",
                            n.message);
        return lookup_failed(cmd, n.err);
}

/* The shell's view of a wait status: the exit code, or 128+signal. */
static int exit_status(int status)
{
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return RUN_FAILED;
}

/* Start supervising the child's port restrictions (no guard: none). */
static int supervise(struct watch *w, sw_netguard *guard, int net)
{
        sw_error *err = NULL;
        int rc;

        if (guard == NULL ||
            sw_netguard_parent(guard, w->child, net, &err) == SW_SUCCESS)
                return 0;
        rc = fail(sw_error_code(err),
                  "cannot enforce the port restrictions, the command was "
                  "not started: %s",
                  sw_error_message(err));
        sw_error_free(err);
        kill(w->child, SIGKILL);
        watch_wait(w);
        return rc;
}

static int follow(struct watch *w, bool trace, int gate_w, int report_r,
                  const char *cmd, sw_netguard *guard, int net)
{
        int status, rc;

        if (trace)
                watch_seize(w);
        close(gate_w);
        rc = supervise(w, guard, net);
        if (rc)
                return rc;

        status = watch_wait(w);
        if (status < 0)
                rc = fail(SW_EIO, "cannot wait for the command: %s",
                          strerror(errno));
        else
                rc = child_outcome(report_r, cmd);
        if (rc == 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS &&
            !w->reported)
                watch_report_unnamed(w);
        return rc ? rc : exit_status(status);
}

static int launch(const struct run_opts *o, const sw_whitelist *wl,
                  const sw_filter *f, const char *path, sw_netguard *guard)
{
        int gate[2], report[2], net[2] = {-1, -1}, rc;
        /* Where registers cannot be read, the kernel's record of the kill
         * is next best: only records from now on can be the command's. */
        struct watch w = {.wl = wl, .filter = f, .since = kmsg_now()};
        struct launch l = {f,     path,  o->cmd, -1, -1,
                           {{0}}, {{0}}, guard,  -1, getpid()};
        struct sigaction dfl = {.sa_handler = SIG_DFL};

        if (pipe2(gate, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0 ||
            (guard && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, net)))
                return fail(SW_EIO, "cannot make a pipe: %s", strerror(errno));

        /*
         * Signals wait until the parent forwards them (watch_wait).  An
         * ignored SIGCHLD (inherited from the caller) would let the kernel
         * reap the command before it could be waited for; the command
         * gets the caller's setting back before execve.
         */
        w.exec_fd = report[0];
        watch_hold_signals(&l.mask);
        sigaction(SIGCHLD, &dfl, &l.chld);
        w.child = fork();
        if (w.child < 0)
                return fail(SW_EAGAIN, "cannot fork: %s", strerror(errno));
        if (w.child == 0) {
                l.gate = gate[0];
                l.report = report[1];
                l.net = net[1];
                close(gate[1]);
                close(report[0]);
                if (guard)
                        close(net[0]);
                child(&l);
        }
        close(gate[0]);
        close(report[1]);
        if (guard)
                close(net[1]);

        rc = follow(&w, o->trace, gate[1], report[0], o->cmd[0], guard, net[0]);
        close(report[0]);
        if (guard)
                close(net[0]);
        return rc;
}

/* The supervisor of the port restrictions, prepared before the fork. */
static int make_guard(const sw_whitelist *wl, const sw_config *cfg,
                      sw_netguard **guard)
{
        sw_error *err = NULL;
        int rc;

        if (sw_netguard_new(wl, cfg, guard, &err) == SW_SUCCESS)
                return 0;
        rc = fail(sw_error_code(err),
                  "cannot enforce the port restrictions, the command was not "
                  "started: %s",
                  sw_error_message(err));
        sw_error_free(err);
        return rc;
}

int cmd_run(int argc, char **argv)
{
        struct run_opts o = {.trace = true};
        sw_config *cfg = NULL;
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        sw_netguard *guard = NULL;
        char *path = NULL;
        int rc, err;

        rc = parse_opts(argc, argv, &o);
        if (rc >= 0)
                return rc;
        if (o.cmd == NULL || o.cmd[0] == NULL)
                return RUN_FAILED;

        rc = make_config(&o, &cfg);
        if (rc == 0)
                rc = prepare(&o, cfg, &wl, &f);
        if (rc == 0 && o.complain) {
                fflush(NULL);
                rc = cli_complain(wl, f, cfg, o.cmd, o.suggest);
        } else if (rc == 0) {
                err = find_command(o.cmd[0], &path);
                rc = err ? lookup_failed(o.cmd[0], err) : 0;
        }
        /* Without the document (a cache hit) there is no port to guard. */
        if (rc == 0 && path && wl)
                rc = make_guard(wl, cfg, &guard);
        if (rc == 0 && path) {
                fflush(NULL);
                rc = launch(&o, wl, f, path, guard);
        }

        /* Supervised calls of descendants that outlive the command now
         * fail with ENOSYS. */
        sw_netguard_free(guard);
        free(path);
        sw_filter_free(f);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
        return rc;
}
