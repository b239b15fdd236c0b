/*
 * unit_default.c - the embedded default whitelist of `syswall run`.
 *
 * The library's copy must be the committed data file byte for byte, and
 * the file must keep the promises docs/default-whitelist.md makes: the
 * dangerous calls are refused, the async-runtime family is marked.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        char *buf = malloc(SW_MAX_DOCUMENT_SIZE);

        assert_non_null(f);
        assert_non_null(buf);
        *len = fread(buf, 1, SW_MAX_DOCUMENT_SIZE, f);
        fclose(f);
        return buf;
}

static json_t *embedded(void)
{
        size_t len;
        const char *doc = sw_default_whitelist(&len);
        json_error_t je;
        json_t *root = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);

        if (root == NULL)
                fail_msg("embedded whitelist: %d:%d: %s", je.line, je.column,
                         je.text);
        return root;
}

/* The rule named name, or NULL. */
static json_t *rule(json_t *root, const char *name)
{
        json_t *r;
        size_t i;

        json_array_foreach(json_object_get(root, "syscalls"), i, r)
        {
                if (strcmp(json_string_value(json_object_get(r, "name")),
                           name) == 0)
                        return r;
        }
        return NULL;
}

static const char *perm(json_t *r)
{
        return json_string_value(json_object_get(r, "permission"));
}

static void test_same_bytes_as_the_file(void **state)
{
        size_t len, flen;
        const char *doc = sw_default_whitelist(&len);
        char *file = slurp(tu_src("data/default-whitelist.json"), &flen);

        (void)state;
        assert_int_equal(len, flen);
        assert_memory_equal(doc, file, len);
        assert_int_equal(doc[len], '\0');
        assert_ptr_equal(sw_default_whitelist(NULL), doc);
        free(file);
}

static void test_header(void **state)
{
        json_t *root = embedded();

        (void)state;
        assert_string_equal(
                json_string_value(json_object_get(root, "created_by")),
                SW_DEFAULT_AUTHORITY);
        assert_string_equal(
                json_string_value(json_object_get(root, "whitelist_id")),
                "syswall-default");
        json_decref(root);
}

/* Not listed (the process is killed) is what these calls get. */
static void test_dangerous_calls_are_killed(void **state)
{
        static const char *killed[] = {
                "ptrace",
                "mount",
                "umount2",
                "kexec_load",
                "kexec_file_load",
                "init_module",
                "finit_module",
                "delete_module",
                "bpf",
                "perf_event_open",
                "keyctl",
                "add_key",
                "request_key",
                "userfaultfd",
                "personality",
                "unshare",
                "setns",
                "chroot",
                "pivot_root",
                "process_vm_readv",
                "process_vm_writev",
        };
        json_t *root = embedded();

        (void)state;
        for (size_t i = 0; i < sizeof(killed) / sizeof(killed[0]); i++)
                if (rule(root, killed[i]))
                        fail_msg("%s must not be listed", killed[i]);
        json_decref(root);
}

/* io_uring is denied with ENOSYS so that libuv and liburing fall back. */
static void test_io_uring_denied_enosys(void **state)
{
        static const char *calls[] = {"io_uring_setup", "io_uring_enter",
                                      "io_uring_register"};
        json_t *root = embedded();

        (void)state;
        for (size_t i = 0; i < 3; i++) {
                json_t *r = rule(root, calls[i]);

                assert_non_null(r);
                assert_string_equal(perm(r), "DENY");
                assert_string_equal(
                        json_string_value(json_object_get(r, "errno")),
                        "ENOSYS");
        }
        json_decref(root);
}

/* The tokio runtime set measured in docs/tokio.md, and only it. */
static const char *const tokio_set[] = {
        "epoll_create1",
        "eventfd2",
        "fcntl",
        "epoll_ctl",
        "epoll_wait",
        "epoll_pwait",
        "write",
        "futex",
        "rt_sigaction",
        "clone3",
        "mmap",
        "mprotect",
        "munmap",
        "madvise",
        "rt_sigprocmask",
        "rseq",
        "set_robust_list",
        "prctl",
        "sched_getaffinity",
        "sigaltstack",
        "getrandom",
        "gettid",
        "exit",
        "exit_group",
};

static bool in_tokio_set(const char *name)
{
        for (size_t i = 0; i < sizeof(tokio_set) / sizeof(tokio_set[0]); i++)
                if (strcmp(name, tokio_set[i]) == 0)
                        return true;
        return false;
}

static void test_tokio_set_marked(void **state)
{
        static const char *loop[] = {"epoll_create1", "epoll_ctl", "epoll_wait",
                                     "epoll_pwait", "eventfd2"};
        json_t *root = embedded();
        json_t *r;
        size_t i;

        (void)state;
        for (i = 0; i < sizeof(tokio_set) / sizeof(tokio_set[0]); i++) {
                r = rule(root, tokio_set[i]);
                assert_non_null(r);
                assert_true(json_is_true(json_object_get(r, "tokio_required")));
        }
        for (i = 0; i < sizeof(loop) / sizeof(loop[0]); i++)
                assert_string_equal(json_string_value(json_object_get(
                                            rule(root, loop[i]), "category")),
                                    "tokio_runtime");
        /* Nothing else claims to be needed by tokio or to be its loop. */
        json_array_foreach(json_object_get(root, "syscalls"), i, r)
        {
                const char *n = json_string_value(json_object_get(r, "name"));
                const char *c =
                        json_string_value(json_object_get(r, "category"));
                bool is_loop = false;

                for (size_t j = 0; j < sizeof(loop) / sizeof(loop[0]); j++)
                        is_loop = is_loop || strcmp(n, loop[j]) == 0;
                assert_int_equal(
                        json_is_true(json_object_get(r, "tokio_required")),
                        in_tokio_set(n));
                assert_int_equal(c && strcmp(c, "tokio_runtime") == 0, is_loop);
        }
        json_decref(root);
}

/* What every glibc program calls at startup and thread creation. */
static void test_glibc_runtime_allowed(void **state)
{
        static const char *calls[] = {"execve", "set_robust_list", "rseq",
                                      "clone3", "set_tid_address", "newfstatat",
                                      "futex",  "exit_group"};
        json_t *root = embedded();

        (void)state;
        for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
                json_t *r = rule(root, calls[i]);

                if (r == NULL || strcmp(perm(r), "ALLOW") != 0)
                        fail_msg("%s must be ALLOW", calls[i]);
        }
        json_decref(root);
}

/* TIOCSTI and TIOCLINUX are refused, on the request's low 32 bits. */
static void test_ioctl_refuses_terminal_injection(void **state)
{
        json_t *root = embedded();
        json_t *r = rule(root, "ioctl");
        json_t *filters, *f;
        size_t i;

        (void)state;
        assert_non_null(r);
        assert_string_equal(perm(r), "CONDITIONAL");
        filters = json_object_get(json_object_get(r, "conditions"),
                                  "argument_filter");
        assert_int_equal(json_array_size(filters), 2);
        json_array_foreach(filters, i, f)
        {
                assert_int_equal(
                        json_integer_value(json_object_get(f, "arg_index")), 1);
                assert_string_equal(
                        json_string_value(json_object_get(f, "operator")),
                        "ne");
                assert_int_equal(
                        json_integer_value(json_object_get(f, "width")), 32);
        }
        assert_string_equal(json_string_value(json_object_get(
                                    json_array_get(filters, 0), "value")),
                            "0x5412");
        assert_string_equal(json_string_value(json_object_get(
                                    json_array_get(filters, 1), "value")),
                            "0x541c");
        json_decref(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_same_bytes_as_the_file),
                cmocka_unit_test(test_header),
                cmocka_unit_test(test_dangerous_calls_are_killed),
                cmocka_unit_test(test_io_uring_denied_enosys),
                cmocka_unit_test(test_tokio_set_marked),
                cmocka_unit_test(test_glibc_runtime_allowed),
                cmocka_unit_test(test_ioctl_refuses_terminal_injection),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
