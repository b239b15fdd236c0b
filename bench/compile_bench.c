/*
 * compile_bench.c - how long compiling and proving take, and how many BPF
 * instructions a call costs in the compiled program.
 *
 * Whitelists: the embedded default, and a synthetic one with every x86_64
 * call of the first 460 numbers (about 350 rules), a fifth of them
 * CONDITIONAL with two conditions.  Usage: compile_bench [ROUNDS]
 */
#include "syswall.h"

#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static json_t *conditional(int nr)
{
        return json_pack("{s:s, s:[{s:s, s:[{s:i, s:s, s:i}, {s:i, s:s, "
                         "s:i}]}, {s:s, s:{s:i, s:s, s:i, s:i}}]}",
                         "errno", "EACCES", "conditions", "description", "a",
                         "argument_filter", "arg_index", 0, "operator", "eq",
                         "value", nr, "arg_index", 1, "operator", "le", "value",
                         100, "description", "b", "argument_filter",
                         "arg_index", 2, "operator", "masked_eq", "value", 0,
                         "mask", 240);
}

/* A document with about 350 rules; the caller frees the string. */
static char *synthetic(void)
{
        json_t *calls = json_array();
        json_t *doc;
        char *text;

        for (int nr = 0; nr < 460 && json_array_size(calls) < 350; nr++) {
                char *name =
                        seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
                json_t *rule;

                if (name == NULL)
                        continue;
                rule = nr % 5 == 0 ? conditional(nr) : json_object();
                json_object_set_new(rule, "name", json_string(name));
                json_object_set_new(
                        rule, "permission",
                        json_string(nr % 5 == 0 ? "CONDITIONAL" : "ALLOW"));
                json_array_append_new(calls, rule);
                free(name);
        }
        doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "schema_version", "1.0",
                        "whitelist_id", "bench", "created_at",
                        "2026-01-15T10:00:00Z", "created_by", "Security Agent",
                        "syscalls", calls);
        text = json_dumps(doc, 0);
        json_decref(doc);
        return text;
}

static int bench(const char *name, const char *doc, size_t len, int rounds)
{
        sw_whitelist *wl = NULL;
        sw_filter *f = NULL;
        double compile = 0;
        double prove = 0;
        unsigned most = 0;

        if (sw_whitelist_load_buffer(doc, len, name, NULL, &wl, NULL) !=
            SW_SUCCESS) {
                fprintf(stderr, "%s: does not load\n", name);
                return 1;
        }
        for (int i = 0; i < rounds; i++) {
                double t0 = now_ms();

                sw_filter_free(f);
                if (sw_compile(wl, NULL, &f, NULL) != SW_SUCCESS) {
                        fprintf(stderr, "%s: does not compile\n", name);
                        sw_whitelist_free(wl);
                        return 1;
                }
                compile += now_ms() - t0;
                t0 = now_ms();
                sw_filter_verify(f, wl, NULL);
                prove += now_ms() - t0;
        }
        for (int nr = 0; nr < 460; nr++) {
                uint32_t action;
                unsigned insns = 0;

                sw_filter_simulate(f, SCMP_ARCH_X86_64, nr, NULL, &action,
                                   &insns);
                if (insns > most)
                        most = insns;
        }
        printf("%-10s %3zu rules %5zu insns  compile+prove %6.2f ms  "
               "prove %5.2f ms  at most %u insns per call\n",
               name, sw_whitelist_rule_count(wl), sw_filter_length(f),
               compile / rounds, prove / rounds, most);
        sw_filter_free(f);
        sw_whitelist_free(wl);
        return 0;
}

int main(int argc, char **argv)
{
        int rounds = argc > 1 ? atoi(argv[1]) : 20;
        size_t len = 0;
        const char *def = sw_default_whitelist(&len);
        char *syn = synthetic();
        int rc;

        if (rounds < 1 || syn == NULL)
                return 2;
        rc = bench("default", def, len, rounds);
        rc |= bench("synthetic", syn, strlen(syn), rounds);
        free(syn);
        return rc;
}
