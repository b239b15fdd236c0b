/*
 * peer_bench.c - syswall against its peers, measured in one run: no
 * filter, the allow-all floor (one SECCOMP_RET_ALLOW), libseccomp 2.5.4's
 * linear and binary-tree layouts built from the same whitelist, and
 * syswall's compiled filter (its default backend: the native generator on
 * x86_64, docs/compiler.md).
 *
 *   peer_bench percall DOC [ROUNDS [BATCH]]   ns per cached / conditional call
 *   peer_bench insns NAME DOC [MIX]           size and executed instructions
 *   peer_bench scale [SMOKE]                  compile time against size
 *   peer_bench launch SYSWALL [N]             `syswall run` over a plain exec,
 *                                             cache warm and cold, and the
 *                                             floor of such a launcher
 *   peer_bench minilaunch PROG                that floor (used by launch)
 *   peer_bench gen CALLS CONDS [sparse]       a generated whitelist
 *
 * Every line of output is tab-separated, a record type first, so that
 * bench/report.py can read it.  MIX is a file of "count name" lines.
 *
 * libseccomp gets each rule as it can take it: ALLOW, DENY as
 * ERRNO(EPERM), a CONDITIONAL rule as one ALLOW per condition with the
 * condition's comparisons (the rule's own errno for "no condition holds"
 * cannot be given next to them, so it falls to the default action, which
 * costs the same instructions).  A second comparison on one argument
 * (a range) is left out, as libseccomp refuses it.
 */

#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum cfg { NONE, FLOOR, LINEAR, TREE, SYSWALL, CFGS };

static const char *const cfg_names[CFGS] = {
        "none", "floor", "libseccomp-linear", "libseccomp-tree", "syswall"};

/* A raw program: struct sock_filter[len]. */
struct prog {
        struct sock_filter *insn;
        size_t len;
};

static double now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what)
{
        fprintf(stderr, "peer_bench: %s\n", what);
        exit(1);
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a;
        double y = *(const double *)b;

        return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
        qsort(v, n, sizeof(*v), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static sw_whitelist *load_doc(const char *path)
{
        sw_whitelist *wl = NULL;

        if (sw_whitelist_load_file(path, NULL, &wl, NULL) != SW_SUCCESS) {
                fprintf(stderr,
                        "peer_bench: %s does not load (syswall check "
                        "says why)\n",
                        path);
                exit(1);
        }
        return wl;
}

/* ---- libseccomp built directly ---- */

static enum scmp_compare scmp_op(enum sw_op op)
{
        switch (op) {
        case SW_OP_EQ:
                return SCMP_CMP_EQ;
        case SW_OP_NE:
                return SCMP_CMP_NE;
        case SW_OP_GT:
                return SCMP_CMP_GT;
        case SW_OP_LT:
                return SCMP_CMP_LT;
        case SW_OP_GE:
                return SCMP_CMP_GE;
        case SW_OP_LE:
                return SCMP_CMP_LE;
        case SW_OP_MASKED_EQ:
                return SCMP_CMP_MASKED_EQ;
        }
        return SCMP_CMP_EQ;
}

/* One condition as libseccomp comparisons, one per argument at most. */
static unsigned cond_cmps(const struct sw_cond *c, struct scmp_arg_cmp *out)
{
        unsigned seen = 0;
        unsigned n = 0;

        for (size_t i = 0; i < c->nargs && n < 6; i++) {
                const struct sw_argf *a = &c->args[i];

                if (seen & (1u << a->index))
                        continue;
                seen |= 1u << a->index;
                out[n].arg = a->index;
                out[n].op = scmp_op(a->op);
                out[n].datum_a = a->op == SW_OP_MASKED_EQ ? a->mask : a->value;
                out[n].datum_b = a->op == SW_OP_MASKED_EQ ? a->value : 0;
                n++;
        }
        return n;
}

static void lsc_add_rule(scmp_filter_ctx ctx, const struct sw_rule *r)
{
        struct scmp_arg_cmp cmps[6];

        if (r->perm == SW_ALLOW)
                seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r->nr, 0);
        else if (r->perm == SW_DENY)
                seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), r->nr, 0);
        for (size_t c = 0; r->perm == SW_CONDITIONAL && c < r->nconds; c++)
                seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr,
                                       cond_cmps(&r->conds[c], cmps), cmps);
}

/* Build and export; returns the export's length, or 0 when refused. */
static size_t lsc_build(const sw_whitelist *wl, int optimize, struct prog *out)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
        int fd = memfd_create("bpf", 0);
        off_t len;

        if (ctx == NULL || fd < 0)
                die("cannot start libseccomp");
        seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        if (optimize == 2)
                seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        for (size_t i = 0; i < wl->nrules; i++)
                if (wl->rules[i].nr >= 0)
                        lsc_add_rule(ctx, &wl->rules[i]);
        len = seccomp_export_bpf(ctx, fd) == 0 ? lseek(fd, 0, SEEK_END) : 0;
        seccomp_release(ctx);
        if (out != NULL && len > 0) {
                out->insn = malloc((size_t)len);
                out->len = (size_t)len / sizeof(struct sock_filter);
                if (out->insn == NULL ||
                    pread(fd, out->insn, (size_t)len, 0) != len)
                        die("cannot read the export");
        }
        close(fd);
        return len > 0 ? (size_t)len : 0;
}

static void syswall_build(const sw_whitelist *wl, struct prog *out)
{
        sw_filter *f = NULL;
        sw_error *err = NULL;

        if (sw_compile(wl, NULL, &f, &err) != SW_SUCCESS) {
                fprintf(stderr, "peer_bench: %s\n", sw_error_message(err));
                exit(1);
        }
        out->len = sw_filter_length(f);
        out->insn = malloc(out->len * sizeof(struct sock_filter));
        if (out->insn == NULL)
                die("out of memory");
        memcpy(out->insn, sw_filter_program(f),
               out->len * sizeof(struct sock_filter));
        sw_filter_free(f);
}

static void free_all(struct prog p[CFGS])
{
        for (int c = LINEAR; c < CFGS; c++)
                free(p[c].insn);
}

static void build_all(const sw_whitelist *wl, struct prog p[CFGS])
{
        static struct sock_filter allow =
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

        p[NONE] = (struct prog){NULL, 0};
        p[FLOOR] = (struct prog){&allow, 1};
        if (lsc_build(wl, 0, &p[LINEAR]) == 0 ||
            lsc_build(wl, 2, &p[TREE]) == 0)
                die("libseccomp refuses the whitelist");
        syswall_build(wl, &p[SYSWALL]);
}

/* ---- per-call cost, interleaved ---- */

struct worker {
        int cmd[2];
        int res[2];
        pid_t pid;
};

/*
 * The conditional call: dup(COND_FD) meets its third condition ("arg 0 eq
 * 32 * 16 + 1002", see generated()) and fails with EBADF.
 */
#define COND_FD (32 * 16 + 1002)

static void worker_loop(int cmd, int res, long batch)
{
        char op;

        while (read(cmd, &op, 1) == 1 && op != 'q') {
                double t0 = now_ns();
                double per;

                for (long i = 0; i < batch; i++) {
                        if (op == 'g')
                                syscall(SYS_getppid);
                        else
                                syscall(SYS_dup, COND_FD);
                }
                per = (now_ns() - t0) / (double)batch;
                if (write(res, &per, sizeof(per)) != sizeof(per))
                        break;
        }
        _exit(0);
}

static void start_worker(struct worker *w, const struct prog *p, long batch)
{
        if (pipe(w->cmd) != 0 || pipe(w->res) != 0)
                die("pipe");
        w->pid = fork();
        if (w->pid < 0)
                die("fork");
        if (w->pid == 0) {
                struct sock_fprog fp = {.len = (unsigned short)p->len,
                                        .filter = p->insn};

                close(w->cmd[1]);
                close(w->res[0]);
                if (p->len > 0 &&
                    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                     prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp) != 0))
                        _exit(3);
                worker_loop(w->cmd[0], w->res[1], batch);
        }
        close(w->cmd[0]);
        close(w->res[1]);
}

static double ask(struct worker *w, char op)
{
        double per = 0;

        if (write(w->cmd[1], &op, 1) != 1 ||
            read(w->res[0], &per, sizeof(per)) != sizeof(per))
                die("a worker died (its filter refused a call?)");
        return per;
}

static int cmd_percall(int argc, char **argv)
{
        sw_whitelist *wl = load_doc(argv[2]);
        int rounds = argc > 3 ? atoi(argv[3]) : 41;
        long batch = argc > 4 ? atol(argv[4]) : 20000;
        struct prog p[CFGS];
        struct worker w[CFGS];
        double *s[CFGS][2];

        if (rounds < 1 || batch < 1)
                die("usage: percall DOC [ROUNDS [BATCH]]");
        build_all(wl, p);
        for (int c = 0; c < CFGS; c++) {
                start_worker(&w[c], &p[c], batch);
                s[c][0] = calloc((size_t)rounds, sizeof(double));
                s[c][1] = calloc((size_t)rounds, sizeof(double));
                if (s[c][0] == NULL || s[c][1] == NULL)
                        die("out of memory");
        }

        /* Round-robin: every configuration sees the same drift. */
        for (int r = 0; r < rounds; r++)
                for (int c = 0; c < CFGS; c++) {
                        s[c][0][r] = ask(&w[c], 'g');
                        s[c][1][r] = ask(&w[c], 'c');
                }

        for (int c = 0; c < CFGS; c++) {
                (void)!write(w[c].cmd[1], "q", 1);
                waitpid(w[c].pid, NULL, 0);
                printf("percall\t%s\t%zu\t%.2f\t%.2f\n", cfg_names[c], p[c].len,
                       median(s[c][0], (size_t)rounds),
                       median(s[c][1], (size_t)rounds));
                free(s[c][0]);
                free(s[c][1]);
        }
        free_all(p);
        sw_whitelist_free(wl);
        return 0;
}

/* ---- executed instructions, in syswall's interpreter ---- */

#define NR_SPAN 464

struct mix {
        double weight[NR_SPAN];
        double total;
};

static void read_mix(const char *path, struct mix *m)
{
        FILE *f = fopen(path, "r");
        char name[128];
        double count;

        memset(m, 0, sizeof(*m));
        if (f == NULL)
                return;
        while (fscanf(f, "%lf %127s", &count, name) == 2) {
                int nr = seccomp_syscall_resolve_name(name);

                if (nr >= 0 && nr < NR_SPAN) {
                        m->weight[nr] += count;
                        m->total += count;
                }
        }
        fclose(f);
}

/*
 * The kernel's action cache rule (seccomp_is_const_allow), emulated: the
 * program, run knowing only the number and the architecture, must reach
 * RET ALLOW through loads of those two fields, constant jumps and AND;
 * anything else (an argument load) makes the number uncacheable.
 */
static bool const_allow(const struct prog *p, int nr)
{
        uint32_t a = 0;

        for (size_t pc = 0; pc < p->len; pc++) {
                const struct sock_filter *i = &p->insn[pc];

                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (i->k != 0 && i->k != 4)
                                return false;
                        a = i->k == 0 ? (uint32_t)nr : SCMP_ARCH_X86_64;
                        break;
                case BPF_RET | BPF_K:
                        return i->k == SECCOMP_RET_ALLOW;
                case BPF_JMP | BPF_JA:
                        pc += i->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += a == i->k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                        pc += a >= i->k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                        pc += a > i->k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JSET | BPF_K:
                        pc += (a & i->k) ? i->jt : i->jf;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        a &= i->k;
                        break;
                default:
                        return false;
                }
        }
        return false;
}

/* Unconditional ALLOW numbers, and how many of them the cache serves. */
static void cache_stats(const char *wlname, const char *cfg,
                        const sw_whitelist *wl, const struct prog *p)
{
        unsigned allow = 0;
        unsigned cached = 0;
        unsigned cond_cached = 0;

        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                if (r->nr < 0)
                        continue;
                if (r->perm == SW_CONDITIONAL)
                        cond_cached += const_allow(p, r->nr);
                if (r->perm != SW_ALLOW)
                        continue;
                allow++;
                cached += const_allow(p, r->nr);
        }
        /* Conditional numbers: cached only where the conditions are ports. */
        printf("cache\t%s\t%s\t%u\t%u\t%u\n", wlname, cfg, allow, cached,
               cond_cached);
}

/* The worst path of a call: all-zero and all-ones arguments. */
static unsigned insns_for(const sw_filter *f, int nr)
{
        static const uint64_t ones[6] = {~0ull, ~0ull, ~0ull,
                                         ~0ull, ~0ull, ~0ull};
        uint32_t action;
        unsigned a = 0;
        unsigned b = 0;

        sw_filter_simulate(f, SCMP_ARCH_X86_64, nr, NULL, &action, &a);
        sw_filter_simulate(f, SCMP_ARCH_X86_64, nr, ones, &action, &b);
        return a > b ? a : b;
}

static void insn_stats(const char *wlname, const char *cfg,
                       const struct prog *p, const bool *cond,
                       const struct mix *m)
{
        sw_filter *f = NULL;
        unsigned worst_plain = 0;
        unsigned worst_cond = 0;
        double sum = 0;
        double weighted = 0;

        if (sw_filter_from_bpf(p->insn, p->len * sizeof(struct sock_filter), &f,
                               NULL) != SW_SUCCESS)
                die("the interpreter refuses a program");
        for (int nr = 0; nr < NR_SPAN; nr++) {
                unsigned n = insns_for(f, nr);

                sum += n;
                weighted += n * m->weight[nr];
                if (cond[nr] && n > worst_cond)
                        worst_cond = n;
                if (!cond[nr] && n > worst_plain)
                        worst_plain = n;
        }
        printf("insns\t%s\t%s\t%zu\t%u\t%u\t%.2f\t%.2f\n", wlname, cfg, p->len,
               worst_plain, worst_cond, sum / NR_SPAN,
               m->total > 0 ? weighted / m->total : 0.0);
        sw_filter_free(f);
}

static int cmd_insns(int argc, char **argv)
{
        sw_whitelist *wl;
        struct prog p[CFGS];
        struct mix m;
        bool cond[NR_SPAN] = {false};

        if (argc < 4)
                die("usage: insns NAME DOC [MIX]");
        wl = load_doc(argv[3]);
        read_mix(argc > 4 ? argv[4] : "", &m);
        for (size_t i = 0; i < wl->nrules; i++)
                if (wl->rules[i].perm == SW_CONDITIONAL &&
                    wl->rules[i].nr >= 0 && wl->rules[i].nr < NR_SPAN)
                        cond[wl->rules[i].nr] = true;
        build_all(wl, p);
        for (int c = LINEAR; c < CFGS; c++) {
                insn_stats(argv[2], cfg_names[c], &p[c], cond, &m);
                cache_stats(argv[2], cfg_names[c], wl, &p[c]);
        }
        free_all(p);
        sw_whitelist_free(wl);
        return 0;
}

/* ---- compile time against whitelist size and argument rules ---- */

/*
 * A document of `calls` x86_64 calls, each CONDITIONAL with `conds`
 * conditions of one 32-bit comparison (argument j % 3 eq nr * 16 + 1000 +
 * j: values differ between calls, so no two argument blocks are alike), or
 * ALLOW when conds is 0.  sparse: only every seventh number (4, 11, ...,
 * dup among them) is CONDITIONAL, and every condition tests argument 0.
 * The caller frees the string.
 */
static char *generated(int calls, int conds, bool sparse)
{
        json_t *list = json_array();
        json_t *doc;
        char *text;

        for (int nr = 0; nr < NR_SPAN && (int)json_array_size(list) < calls;
             nr++) {
                char *name =
                        seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                json_t *rule = json_object();
                json_t *cs = json_array();
                int k = sparse && nr % 7 != 4 ? 0 : conds;

                if (name == NULL) {
                        json_decref(rule);
                        json_decref(cs);
                        continue;
                }
                for (int j = 0; j < k; j++)
                        json_array_append_new(
                                cs,
                                json_pack("{s:s, s:{s:i, s:s, s:i, s:i}}",
                                          "description", "c", "argument_filter",
                                          "arg_index", sparse ? 0 : j % 3,
                                          "operator", "eq", "value",
                                          nr * 16 + 1000 + j, "width", 32));
                json_object_set_new(rule, "name", json_string(name));
                json_object_set_new(rule, "permission",
                                    json_string(k ? "CONDITIONAL" : "ALLOW"));
                if (k)
                        json_object_set_new(rule, "conditions", cs);
                else
                        json_decref(cs);
                json_array_append_new(list, rule);
                free(name);
        }
        doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "schema_version", "1.0",
                        "whitelist_id", "bench", "created_at",
                        "2026-01-15T10:00:00Z", "created_by", "Security Agent",
                        "syscalls", list);
        text = json_dumps(doc, JSON_INDENT(1));
        json_decref(doc);
        return text;
}

/* Time one compile in a child; its max RSS comes back through wait4. */
static double timed_child(const sw_whitelist *wl, bool lsc, long *rss_kb,
                          size_t *len)
{
        int fds[2];
        double res[2] = {0, 0};
        struct rusage ru;
        pid_t pid;

        if (pipe(fds) != 0 || (pid = fork()) < 0)
                die("fork");
        if (pid == 0) {
                double t0 = now_ns();
                sw_filter *f = NULL;

                if (lsc)
                        res[1] = (double)lsc_build(wl, 2, NULL) / 8;
                else if (sw_compile(wl, NULL, &f, NULL) == SW_SUCCESS)
                        res[1] = (double)sw_filter_length(f);
                res[0] = (now_ns() - t0) / 1e6;
                (void)!write(fds[1], res, sizeof(res));
                _exit(0);
        }
        close(fds[1]);
        (void)!read(fds[0], res, sizeof(res));
        close(fds[0]);
        wait4(pid, NULL, 0, &ru);
        *rss_kb = ru.ru_maxrss;
        *len = (size_t)res[1];
        return res[0];
}

static void scale_one(int calls, int conds, int reps, bool lsc)
{
        char *doc = generated(calls, conds, false);
        sw_whitelist *wl = NULL;
        double t[9];
        long rss = 0;
        size_t len = 0;

        if (doc == NULL || sw_whitelist_load_buffer(doc, strlen(doc), "gen",
                                                    NULL, &wl, NULL) != 0)
                die("the generated whitelist does not load");
        for (int r = 0; r < reps; r++)
                t[r] = timed_child(wl, lsc, &rss, &len);
        printf("scale\t%s\t%d\t%d\t%.3f\t%ld\t%zu\n",
               lsc ? "libseccomp-tree" : "syswall", calls, conds,
               median(t, (size_t)reps), rss, len);
        fflush(stdout);
        sw_whitelist_free(wl);
        free(doc);
}

static int cmd_scale(int argc)
{
        static const int sizes[] = {50, 100, 350};
        static const int conds[] = {0, 3, 10};
        bool smoke = argc > 2;

        for (int s = 0; s < 3; s++)
                for (int c = 0; c < 3; c++) {
                        bool big = sizes[s] * conds[c] >= 1000;

                        if (smoke && (s > 0 || c > 1))
                                continue;
                        scale_one(sizes[s], conds[c], smoke ? 1 : 7, false);
                        scale_one(sizes[s], conds[c], smoke || big ? 1 : 3,
                                  true);
                }
        return 0;
}

/* The generated document on stdout, for `syswall compile` and friends. */
static int cmd_gen(int argc, char **argv)
{
        char *doc;

        if (argc < 4)
                die("usage: gen CALLS CONDS [sparse]");
        doc = generated(atoi(argv[2]), atoi(argv[3]), argc > 4);
        if (doc == NULL)
                die("out of memory");
        puts(doc);
        free(doc);
        return 0;
}

/* ---- launch overhead ---- */

static double spawn_ns(char *const argv[])
{
        double t0 = now_ns();
        pid_t pid = fork();
        int status = 0;

        if (pid < 0)
                die("fork");
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                die("a launched program failed");
        return now_ns() - t0;
}

/* Remove a directory of files (the bench's cache). */
static void remove_dir(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *e;

        if (d == NULL)
                die("opendir");
        while ((e = readdir(d)) != NULL)
                if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                        unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
        if (rmdir(path) != 0)
                die("cannot remove the cache directory");
}

/* The default whitelist's program, written raw to path. */
static void write_default_program(const char *path)
{
        size_t len;
        const char *doc = sw_default_whitelist(&len);
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        int fd;

        if (sw_whitelist_load_buffer(doc, len, "default", NULL, &wl, NULL) ||
            sw_compile(wl, NULL, &f, NULL))
                die("cannot compile the default whitelist");
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || sw_filter_export_bpf(f, fd, NULL) || close(fd))
                die("cannot write the default program");
        sw_filter_free(f);
        sw_whitelist_free(wl);
}

/*
 * The floor of any launcher built like `run`: this program (linked like
 * syswall), started, forks a child that loads the raw program PROG and
 * execs /bin/true, and waits.  No whitelist, no cache, no tracer.
 */
static int cmd_minilaunch(char **argv)
{
        static struct sock_filter prog[4096];
        struct sock_fprog fp = {0};
        int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, prog, sizeof(prog));
        int status = 0;
        pid_t pid;

        if (n <= 0)
                die("cannot read the program");
        close(fd);
        fp.len = (unsigned short)(n / sizeof(prog[0]));
        fp.filter = prog;
        pid = fork();
        if (pid == 0) {
                char *cmd[] = {"/bin/true", NULL};

                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_TSYNC, &fp) != 0)
                        _exit(125);
                execv(cmd[0], cmd);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
                die("minilaunch");
        return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}

/*
 * `syswall run -- /bin/true` under the default whitelist against a plain
 * fork+exec of /bin/true, alternated: warm, with a compiled-filter cache
 * of its own that the first run fills; cold, with --no-cache, so every
 * run reads, checks, compiles and proves the whitelist; and the floor of
 * such a launcher (cmd_minilaunch).  Prints the four medians in
 * microseconds.
 */
static int cmd_launch(int argc, char **argv)
{
        int n = argc > 3 ? atoi(argv[3]) : 50;
        char dir[] = "/tmp/peer_bench-cache-XXXXXX";
        char prog[sizeof(dir) + 16];
        char *plain[] = {"/bin/true", NULL};
        char *warm[] = {argv[2], "run",       "--cache-dir", dir,
                        "--",    "/bin/true", NULL};
        char *cold[] = {argv[2], "run", "--no-cache", "--", "/bin/true", NULL};
        char *floor[] = {"/proc/self/exe", "minilaunch", prog, NULL};
        double *a, *b, *c, *d;

        if (argc < 3 || n < 1)
                die("usage: launch SYSWALL [N]");
        if (mkdtemp(dir) == NULL)
                die("mkdtemp");
        snprintf(prog, sizeof(prog), "%s/default.bpf", dir);
        write_default_program(prog);
        a = calloc((size_t)n, sizeof(double));
        b = calloc((size_t)n, sizeof(double));
        c = calloc((size_t)n, sizeof(double));
        d = calloc((size_t)n, sizeof(double));
        if (a == NULL || b == NULL || c == NULL || d == NULL)
                die("out of memory");

        /* One of each first: a warm page cache, and the filter cached. */
        spawn_ns(plain);
        spawn_ns(warm);
        spawn_ns(cold);
        spawn_ns(floor);
        for (int i = 0; i < n; i++) {
                a[i] = spawn_ns(plain);
                b[i] = spawn_ns(warm);
                c[i] = spawn_ns(cold);
                d[i] = spawn_ns(floor);
        }
        printf("launch\t%d\t%.1f\t%.1f\t%.1f\t%.1f\n", n,
               median(a, (size_t)n) / 1e3, median(b, (size_t)n) / 1e3,
               median(c, (size_t)n) / 1e3, median(d, (size_t)n) / 1e3);
        remove_dir(dir);
        free(a);
        free(b);
        free(c);
        free(d);
        return 0;
}

int main(int argc, char **argv)
{
        if (argc > 2 && strcmp(argv[1], "percall") == 0)
                return cmd_percall(argc, argv);
        if (argc > 1 && strcmp(argv[1], "insns") == 0)
                return cmd_insns(argc, argv);
        if (argc > 1 && strcmp(argv[1], "scale") == 0)
                return cmd_scale(argc);
        if (argc > 1 && strcmp(argv[1], "gen") == 0)
                return cmd_gen(argc, argv);
        if (argc > 2 && strcmp(argv[1], "launch") == 0)
                return cmd_launch(argc, argv);
        if (argc > 2 && strcmp(argv[1], "minilaunch") == 0)
                return cmd_minilaunch(argv);
        fprintf(stderr, "usage: peer_bench percall|insns|scale|gen|launch ...\n"
                        "(see the comment at the top of bench/peer_bench.c)\n");
        return 2;
}
