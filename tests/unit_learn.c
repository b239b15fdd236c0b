/*
 * unit_learn.c - what learn proposes from what was seen, on synthetic
 * records: conditions where the values are few, a plain ALLOW (with the
 * reason) where they are not, ports read from a sockaddr, and --merge.
 */
#include "testutil.h"

#include "trace.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

static char *const argv0[] = {"prog", NULL};

static uint64_t ptr(const void *p)
{
        return (uint64_t)(uintptr_t)p;
}

static void note(struct sw_trace *t, const char *name, uint64_t a0, uint64_t a1,
                 uint64_t a2)
{
        const uint64_t args[6] = {a0, a1, a2};
        int nr = seccomp_syscall_resolve_name(name);

        assert_true(nr >= 0);
        assert_non_null(sw_trace_note(t, getpid(), t->native, nr, args));
}

/* The learned document, parsed; the rule named name in *rule. */
static json_t *learn(struct sw_trace *t, unsigned flags, const char *name,
                     json_t **rule)
{
        char *text = NULL;
        json_t *doc;
        json_t *r;
        size_t i;

        sw_trace_sort(t);
        assert_int_equal(sw_learn_whitelist(t, NULL, flags, "unit", NULL, &text,
                                            NULL, NULL),
                         SW_SUCCESS);
        doc = json_loads(text, 0, NULL);
        free(text);
        assert_non_null(doc);
        *rule = NULL;
        json_array_foreach(
                json_object_get(doc, "syscalls"), i,
                r) if (strcmp(json_string_value(json_object_get(r, "name")),
                              name) == 0) *rule = r;
        assert_non_null(*rule);
        return doc;
}

static const char *str(json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

static void test_few_ioctls_conditional(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        json_t *r, *doc;
        (void)state;

        note(t, "ioctl", 1, 0x5401, 0);
        note(t, "ioctl", 1, 0x5413, 0);
        note(t, "ioctl", 2, 0x5401, 0);
        doc = learn(t, 0, "ioctl", &r);
        assert_string_equal(str(r, "permission"), "CONDITIONAL");
        assert_string_equal(str(r, "errno"), "ENOTTY");
        assert_int_equal(json_array_size(json_object_get(r, "conditions")), 2);
        assert_string_equal(
                str(json_array_get(json_object_get(r, "conditions"), 1),
                    "description"),
                "TIOCGWINSZ (seen)");
        assert_string_equal(str(r, "description"), "learned: called 3 times");
        json_decref(doc);
        sw_trace_free(t);
}

static void test_many_ioctls_allowed(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        json_t *r, *doc;
        (void)state;

        for (uint64_t i = 0; i < 13; i++)
                note(t, "ioctl", 1, 0x5400 + i, 0);
        doc = learn(t, 0, "ioctl", &r);
        assert_string_equal(str(r, "permission"), "ALLOW");
        assert_null(json_object_get(r, "conditions"));
        assert_string_equal(str(r, "description"),
                            "learned: called 13 times; 13 requests seen, too "
                            "many for a stable condition");
        json_decref(doc);
        sw_trace_free(t);
}

static void test_ports_from_sockaddr(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        struct sockaddr_in a = {.sin_family = AF_INET};
        struct sockaddr_in6 b = {.sin6_family = AF_INET6};
        struct sockaddr_un u = {.sun_family = AF_UNIX};
        json_t *r, *doc, *pr;
        (void)state;

        a.sin_port = htons(8443);
        b.sin6_port = htons(443);
        note(t, "connect", 3, ptr(&a), sizeof(a));
        note(t, "connect", 3, ptr(&b), sizeof(b));
        note(t, "connect", 4, ptr(&u), sizeof(u));
        doc = learn(t, 0, "connect", &r);
        assert_string_equal(str(r, "permission"), "CONDITIONAL");
        assert_string_equal(str(r, "errno"), "EACCES");
        pr = json_object_get(
                json_array_get(json_object_get(r, "conditions"), 0),
                "port_restriction");
        assert_int_equal(json_integer_value(json_array_get(
                                 json_object_get(pr, "allowed_ports"), 0)),
                         443);
        assert_int_equal(json_integer_value(json_array_get(
                                 json_object_get(pr, "allowed_ports"), 1)),
                         8443);
        assert_string_equal(
                json_string_value(json_array_get(
                        json_object_get(pr, "allowed_families"), 0)),
                "AF_UNIX");
        json_decref(doc);
        sw_trace_free(t);
}

/* bind to port 0 (any port) fits no port restriction: plain ALLOW. */
static void test_port_zero_allowed(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        struct sockaddr_in a = {.sin_family = AF_INET};
        json_t *r, *doc;
        (void)state;

        note(t, "bind", 3, ptr(&a), sizeof(a));
        doc = learn(t, 0, "bind", &r);
        assert_string_equal(str(r, "permission"), "ALLOW");
        assert_string_equal(str(r, "description"),
                            "learned: called 1 time; port 0 or an address "
                            "without a port seen");
        json_decref(doc);
        sw_trace_free(t);
}

static void test_prot_exec(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        json_t *r, *doc;
        (void)state;

        note(t, "mprotect", 0x1000, 0x1000, 1);
        doc = learn(t, 0, "mprotect", &r);
        assert_string_equal(str(r, "permission"), "CONDITIONAL");
        json_decref(doc);
        note(t, "mprotect", 0x1000, 0x1000, 5);
        doc = learn(t, 0, "mprotect", &r);
        assert_string_equal(str(r, "permission"), "ALLOW");
        assert_string_equal(str(r, "description"),
                            "learned: called 2 times; PROT_EXEC seen");
        json_decref(doc);
        doc = learn(t, SW_LEARN_NAMES_ONLY, "mprotect", &r);
        assert_string_equal(str(r, "description"), "learned: called 2 times");
        json_decref(doc);
        sw_trace_free(t);
}

/* Threads make futex and sched_yield timing-dependent: both are added. */
static void test_thread_extras(void **state)
{
        struct sw_trace *t = sw_trace_new(argv0);
        json_t *r, *doc;
        (void)state;

        note(t, "clone3", 0, 88, 0);
        doc = learn(t, 0, "sched_yield", &r);
        assert_string_equal(str(r, "permission"), "ALLOW");
        assert_non_null(strstr(str(r, "description"), "added by learn"));
        json_decref(doc);
        doc = learn(t, 0, "futex", &r);
        json_decref(doc);
        sw_trace_free(t);
}

/* --merge: a CONDITIONAL rule whose new values fit no condition widens. */
static void test_merge_widens(void **state)
{
        static const char old[] =
                "{\"schema_version\":\"1.0\",\"whitelist_id\":\"m\","
                "\"created_at\":\"2026-01-15T10:00:00Z\","
                "\"created_by\":\"Security Agent\",\"signature\":\"x\","
                "\"syscalls\":[{\"name\":\"ioctl\",\"permission\":"
                "\"CONDITIONAL\",\"errno\":\"ENOTTY\",\"conditions\":"
                "{\"description\":\"TCGETS\",\"argument_filter\":{"
                "\"arg_index\":1,\"operator\":\"eq\",\"value\":21505}}},"
                "{\"name\":\"ptrace\",\"permission\":\"DENY\"}]}";
        struct sw_trace *t = sw_trace_new(argv0);
        char path[] = "/tmp/unit_learn_XXXXXX";
        int fd = mkstemp(path);
        sw_report *rep = NULL;
        char *text = NULL;
        json_t *doc, *rules;
        (void)state;

        assert_true(fd >= 0);
        assert_int_equal(write(fd, old, sizeof(old) - 1), sizeof(old) - 1);
        close(fd);
        for (uint64_t i = 0; i < 13; i++)
                note(t, "ioctl", 1, 0x5400 + i, 0);
        note(t, "ptrace", 0, 0, 0);
        sw_trace_sort(t);
        assert_int_equal(
                sw_learn_whitelist(t, NULL, 0, NULL, path, &text, &rep, NULL),
                SW_SUCCESS);
        unlink(path);
        doc = json_loads(text, 0, NULL);
        rules = json_object_get(doc, "syscalls");
        assert_string_equal(str(json_array_get(rules, 0), "permission"),
                            "ALLOW");
        assert_null(json_object_get(json_array_get(rules, 0), "errno"));
        assert_string_equal(str(json_array_get(rules, 1), "permission"),
                            "DENY");
        assert_null(json_object_get(doc, "signature"));
        assert_string_equal(str(doc, "updated_by"), "Security Agent");
        assert_string_equal(sw_report_check(rep, 0), "learn-widened");
        assert_string_equal(sw_report_message(rep, 0),
                            "syscalls[0] 'ioctl': CONDITIONAL widened to "
                            "ALLOW (the values seen fit no stable condition)");
        assert_string_equal(sw_report_check(rep, 1), "learn-denied");
        free(text);
        json_decref(doc);
        sw_report_free(rep);
        sw_trace_free(t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_few_ioctls_conditional),
                cmocka_unit_test(test_many_ioctls_allowed),
                cmocka_unit_test(test_ports_from_sockaddr),
                cmocka_unit_test(test_port_zero_allowed),
                cmocka_unit_test(test_prot_exec),
                cmocka_unit_test(test_thread_extras),
                cmocka_unit_test(test_merge_widens),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
