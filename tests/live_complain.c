/*
 * live_complain.c - complain mode against the kernel: a whitelist learned
 * from a real program, with one call taken out (or denied), lets the
 * program complete and reports exactly that call, with what enforcing
 * mode would have done.
 */
#include "testutil.h"

#include "internal.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char *const cmd[] = {"/bin/cat", "/etc/hostname", NULL};

/* The calls the callback was told of, in order. */
struct told {
        char names[64][32];
        uint32_t actions[64];
        size_t n;
};

static void on_refused(void *ctx, pid_t pid, const char *name,
                       const uint64_t args[6], uint32_t action, uint64_t count)
{
        struct told *t = ctx;

        (void)pid;
        (void)args;
        (void)count;
        if (t->n < 64) {
                snprintf(t->names[t->n], sizeof(t->names[0]), "%s", name);
                t->actions[t->n++] = action;
        }
}

/* The names-only whitelist cat needs, with rule `name` changed by edit. */
static sw_whitelist *learned_without(const char *name, const char *edit)
{
        sw_trace *t = NULL;
        sw_whitelist *wl = NULL;
        char *text = NULL;
        json_t *doc, *rules, *r;
        size_t i;

        assert_int_equal(sw_trace_command(cmd, &t, NULL), SW_SUCCESS);
        assert_int_equal(sw_learn_whitelist(t, NULL, SW_LEARN_NAMES_ONLY, NULL,
                                            NULL, &text, NULL, NULL),
                         SW_SUCCESS);
        sw_trace_free(t);
        doc = json_loads(text, 0, NULL);
        free(text);
        rules = json_object_get(doc, "syscalls");
        json_array_foreach(rules, i, r)
        {
                if (strcmp(json_string_value(json_object_get(r, "name")),
                           name) != 0)
                        continue;
                if (edit == NULL) {
                        json_array_remove(rules, i);
                } else {
                        json_object_set_new(r, "permission",
                                            json_string("DENY"));
                        json_object_set_new(r, "errno", json_string(edit));
                        json_object_del(r, "description");
                }
                break;
        }
        text = json_dumps(doc, 0);
        json_decref(doc);
        assert_int_equal(sw_whitelist_load_buffer(text, strlen(text), "cut",
                                                  NULL, &wl, NULL),
                         SW_SUCCESS);
        free(text);
        return wl;
}

static sw_trace *complain(const sw_whitelist *wl, struct told *told)
{
        sw_filter *f = NULL;
        sw_trace *t = NULL;
        sw_error *err = NULL;

        assert_int_equal(sw_compile(wl, NULL, &f, &err), SW_SUCCESS);
        fflush(NULL);
        if (sw_complain_run(wl, f, cmd, on_refused, told, &t, &err) !=
            SW_SUCCESS)
                fail_msg("complain: %s", sw_error_message(err));
        sw_filter_free(f);
        return t;
}

static void test_missing_call(void **state)
{
        sw_whitelist *wl = learned_without("fadvise64", NULL);
        struct told told = {0};
        sw_trace *t = complain(wl, &told);
        (void)state;

        assert_true(WIFEXITED(sw_trace_status(t)));
        assert_int_equal(WEXITSTATUS(sw_trace_status(t)), 0);
        assert_int_equal(sw_trace_call_count(t), 1);
        assert_string_equal(sw_trace_call_name(t, 0), "fadvise64");
        assert_int_equal(sw_trace_call_hits(t, 0), 1);
        assert_int_equal(sw_trace_call_action(t, 0), SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(told.n, 1);
        assert_string_equal(told.names[0], "fadvise64");
        sw_trace_free(t);
        sw_whitelist_free(wl);
}

static void test_denied_call(void **state)
{
        sw_whitelist *wl = learned_without("close", "EBADE");
        struct told told = {0};
        sw_trace *t = complain(wl, &told);
        (void)state;

        assert_int_equal(WEXITSTATUS(sw_trace_status(t)), 0);
        assert_int_equal(sw_trace_call_count(t), 1);
        assert_string_equal(sw_trace_call_name(t, 0), "close");
        assert_int_equal(sw_trace_call_action(t, 0), SECCOMP_RET_ERRNO | EBADE);
        assert_true(sw_trace_call_hits(t, 0) >= 1);
        assert_int_equal(told.n, sw_trace_call_hits(t, 0));
        sw_trace_free(t);
        sw_whitelist_free(wl);
}

/* A whitelist that covers the run: nothing is reported. */
static void test_nothing_missing(void **state)
{
        sw_whitelist *wl = learned_without("no-such-call", NULL);
        struct told told = {0};
        sw_trace *t = complain(wl, &told);
        (void)state;

        assert_int_equal(WEXITSTATUS(sw_trace_status(t)), 0);
        assert_int_equal(sw_trace_call_count(t), 0);
        assert_int_equal(told.n, 0);
        sw_trace_free(t);
        sw_whitelist_free(wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_missing_call),
                cmocka_unit_test(test_denied_call),
                cmocka_unit_test(test_nothing_missing),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
