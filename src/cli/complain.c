/*
 * complain.c - `syswall run --complain`: run a command with every call
 * the whitelist would refuse allowed and reported, then summarise, and
 * with --suggest write the additions as a whitelist fragment.
 */
#include "cli.h"

#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Occurrences of one call printed as they happen; later ones are counted. */
#define SHOWN_PER_CALL 3

static void on_refused(void *ctx, pid_t pid, const char *name,
                       const uint64_t args[6], uint32_t action, uint64_t count)
{
        char act[48];

        (void)ctx;
        if (count > SHOWN_PER_CALL + 1)
                return;
        if (count == SHOWN_PER_CALL + 1) {
                fprintf(stderr,
                        "%s: complain: further %s calls are counted, not "
                        "shown\n",
                        sw_prog, name);
                return;
        }
        sw_action_text(action, act, sizeof(act));
        fprintf(stderr,
                "%s: complain: pid %d: %s(0x%llx, 0x%llx, 0x%llx, 0x%llx, "
                "0x%llx, 0x%llx) would be refused: %s; allowed\n",
                sw_prog, (int)pid, name, (unsigned long long)args[0],
                (unsigned long long)args[1], (unsigned long long)args[2],
                (unsigned long long)args[3], (unsigned long long)args[4],
                (unsigned long long)args[5], act);
}

static void summary(const sw_trace *t)
{
        size_t n = sw_trace_call_count(t);

        if (n == 0) {
                fprintf(stderr,
                        "%s: complain: no call was refused; the whitelist "
                        "covers this run\n",
                        sw_prog);
                return;
        }
        fprintf(stderr,
                "%s: complain: %zu call%s the whitelist would refuse, allowed "
                "in this run:\n",
                sw_prog, n, n == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++) {
                char act[48];

                sw_action_text(sw_trace_call_action(t, i), act, sizeof(act));
                fprintf(stderr, "  %10llu  %-20s %s%s\n",
                        (unsigned long long)sw_trace_call_hits(t, i),
                        sw_trace_call_name(t, i), act,
                        sw_trace_call_foreign(t, i) ? " (foreign ABI)" : "");
        }
}

static int suggest(const sw_trace *t, const sw_config *cfg, const char *path)
{
        sw_error *err = NULL;
        char *json = NULL;
        FILE *out;

        if (sw_trace_call_count(t) == 0) {
                fprintf(stderr,
                        "%s: complain: nothing to suggest; '%s' not "
                        "written\n",
                        sw_prog, path);
                return 0;
        }
        if (sw_learn_whitelist(t, cfg, SW_LEARN_SEEN_ONLY, NULL, NULL, &json,
                               NULL, &err) != SW_SUCCESS) {
                cli_print_error("complain", err);
                sw_error_free(err);
                return -1;
        }
        out = fopen(path, "w");
        if (out == NULL || fprintf(out, "%s\n", json) < 0 || fclose(out)) {
                fprintf(stderr, "%s: complain: cannot write '%s' [EIO]\n",
                        sw_prog, path);
                free(json);
                return -1;
        }
        fprintf(stderr, "%s: complain: the additions are in '%s'\n", sw_prog,
                path);
        free(json);
        return 0;
}

int cli_complain(const sw_whitelist *wl, const sw_filter *f,
                 const sw_config *cfg, char **cmd, const char *suggest_path)
{
        sw_trace *t = NULL;
        sw_error *err = NULL;
        int status;

        fprintf(stderr,
                "%s: complain: calls the whitelist would refuse are allowed "
                "and reported; this run is not sandboxed\n",
                sw_prog);
        if (sw_complain_run(wl, f, cmd, on_refused, NULL, &t, &err) !=
            SW_SUCCESS) {
                cli_print_error("run", err);
                sw_error_free(err);
                return 125;
        }
        summary(t);
        status = sw_trace_status(t);
        if (suggest_path && suggest(t, cfg, suggest_path) < 0) {
                sw_trace_free(t);
                return 125;
        }
        sw_trace_free(t);
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 125;
}
