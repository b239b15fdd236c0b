/*
 * live_badinput.c - nothing of a refused whitelist is ever applied.  For
 * every class of the bad-input catalogue (tests/cli_badinput.sh has the
 * messages and positions), sw_apply_file() in a fresh child returns the
 * class's P1.7 code and leaves the child as it was: /proc/self/status
 * still says "Seccomp: 0" and the same NoNewPrivs, as include/syswall.h
 * promises ("nothing is loaded unless every step succeeds").
 */
#include "testutil.h"

#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAD                                                                   \
        "{\"schema_version\": \"1.0\", \"whitelist_id\": \"t\", "              \
        "\"created_at\": \"2026-01-15T10:00:00Z\", "                           \
        "\"created_by\": \"Security Agent\",\n\"syscalls\": ["                 \
        "{\"name\": \"execve\", \"permission\": \"ALLOW\"}, "                  \
        "{\"name\": \"exit_group\", \"permission\": \"ALLOW\"}"
#define DOC(rule) HEAD ", " rule "]}\n"
#define VALUE(v)                                                               \
        DOC("{\"name\": \"close\", \"permission\": \"CONDITIONAL\", "          \
            "\"conditions\": {\"description\": \"d\", \"argument_filter\": "   \
            "{\"arg_index\": 0, \"operator\": \"eq\", \"value\": " v "}}}")
#define PORTS(p)                                                               \
        DOC("{\"name\": \"connect\", \"permission\": \"CONDITIONAL\", "        \
            "\"conditions\": {\"description\": \"d\", \"port_restriction\": "  \
            "{\"allowed_ports\": " p "}}}")

struct bcase {
        const char *name;
        const char *text; /* NULL: made by the test (see make_special) */
        size_t len;       /* 0: strlen(text) */
        sw_code code;
};

static const struct bcase cases[] = {
        {"malformed JSON", "{\"schema_version\": }", 0, SW_EPROTO},
        {"not an object", "[1, 2]", 0, SW_EPROTO},
        {"wrong type", HEAD "], \"metadata\": 3}", 0, SW_EPROTO},
        {"duplicate key",
         DOC("{\"name\": \"read\", \"permission\": "
             "\"ALLOW\", \"permission\": \"DENY\"}"),
         0, SW_EPROTO},
        {"unknown field", HEAD "], \"sycalls\": []}", 0, SW_EPROTO},
        {"near-miss name",
         DOC("{\"name\": \"opneat\", \"permission\": "
             "\"ALLOW\"}"),
         0, SW_ENOENT},
        {"argument index out of range",
         DOC("{\"name\": \"close\", \"permission\": \"CONDITIONAL\", "
             "\"conditions\": {\"description\": \"d\", \"argument_filter\": "
             "{\"arg_index\": 6, \"operator\": \"eq\", \"value\": 1}}}"),
         0, SW_EPROTO},
        {"value above 2^64", VALUE("18446744073709551616"), 0, SW_EPROTO},
        {"value string above 2^64", VALUE("\"0x10000000000000000\""), 0,
         SW_EPROTO},
        {"number with a blank", VALUE("\" 1\""), 0, SW_EPROTO},
        {"number with junk", VALUE("\"12abc\""), 0, SW_EPROTO},
        {"negative port", PORTS("[-1]"), 0, SW_EPROTO},
        {"port above 65535", PORTS("[65536]"), 0, SW_EPROTO},
        {"invalid UTF-8", HEAD "], \"metadata\": {\"a\": \"\xff\"}}", 0,
         SW_EPROTO},
        {"NUL inside a string", HEAD "], \"metadata\": {\"a\": \"x\\u0000\"}}",
         0, SW_EPROTO},
        {"raw NUL byte", "{\"a\": \"x\0\"}", 11, SW_EPROTO},
        {"byte-order mark",
         "\xef\xbb\xbf" DOC("{\"name\": \"read\", "
                            "\"permission\": \"ALLOW\"}"),
         0, SW_EPROTO},
        {"deep nesting", NULL, 0, SW_EPROTO},
        {"1 MiB + 1 byte", NULL, 0, SW_EPROTO},
        {"empty file", "", 0, SW_EPROTO},
        {"directory", NULL, 0, SW_EIO},
        {"FIFO without a writer", NULL, 0, SW_EPROTO},
        {"missing file", NULL, 0, SW_ENOENT},
};

static char dir[64];

static void write_file(const char *path, const char *text, size_t len)
{
        FILE *f = fopen(path, "w");

        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

/* The classes a literal cannot hold. */
static void make_special(const struct bcase *c, const char *path)
{
        if (strcmp(c->name, "deep nesting") == 0) {
                char text[512];
                int n = snprintf(text, sizeof(text), "%s",
                                 HEAD "], "
                                      "\"metadata\": ");

                for (int i = 0; i <= SW_MAX_DEPTH; i++)
                        text[n++] = '[';
                for (int i = 0; i <= SW_MAX_DEPTH; i++)
                        text[n++] = ']';
                text[n++] = '}';
                write_file(path, text, (size_t)n);
        } else if (strcmp(c->name, "1 MiB + 1 byte") == 0) {
                char *big = malloc(SW_MAX_DOCUMENT_SIZE + 1);

                assert_non_null(big);
                memset(big, ' ', SW_MAX_DOCUMENT_SIZE + 1);
                big[0] = '{';
                big[SW_MAX_DOCUMENT_SIZE] = '}';
                write_file(path, big, SW_MAX_DOCUMENT_SIZE + 1);
                free(big);
        } else if (strcmp(c->name, "directory") == 0) {
                assert_int_equal(mkdir(path, 0700), 0);
        } else if (strcmp(c->name, "FIFO without a writer") == 0) {
                assert_int_equal(mkfifo(path, 0600), 0);
        }
}

struct child_arg {
        const char *path;
        sw_code code;
};

/*
 * In the child: apply, then compare.  Exit 0 when all holds; 10 + the
 * code returned when it is the wrong one; 2 or 3 when the process
 * changed.
 */
static void apply_child(void *p)
{
        const struct child_arg *a = p;
        long nnp = tu_status_field("/proc/self/status", "NoNewPrivs:");
        sw_error *err = NULL;
        sw_code rc = sw_apply_file(a->path, NULL, NULL, &err);

        sw_error_free(err);
        if (rc != a->code)
                _exit(10 + (int)rc);
        if (tu_status_field("/proc/self/status", "Seccomp:") != 0)
                _exit(2);
        if (tu_status_field("/proc/self/status", "NoNewPrivs:") != nnp)
                _exit(3);
        _exit(0);
}

static void test_nothing_applied(void **state)
{
        (void)state;
        snprintf(dir, sizeof(dir), "/tmp/sw-badinput-XXXXXX");
        assert_non_null(mkdtemp(dir));
        assert_int_equal(tu_status_field("/proc/self/status", "Seccomp:"), 0);

        for (size_t i = 0; i < SW_ARRAY_SIZE(cases); i++) {
                const struct bcase *c = &cases[i];
                char path[128];
                struct child_arg a = {path, c->code};
                int st;

                snprintf(path, sizeof(path), "%s/case%zu", dir, i);
                if (c->text)
                        write_file(path, c->text,
                                   c->len ? c->len : strlen(c->text));
                else
                        make_special(c, path);
                st = tu_fork_run(apply_child, &a);
                print_message("%s: %s\n", c->name,
                              WIFEXITED(st) && WEXITSTATUS(st) == 0
                                      ? "refused, nothing applied"
                                      : "WRONG");
                assert_true(WIFEXITED(st));
                if (WEXITSTATUS(st) >= 10)
                        print_message("  returned %s, want %s\n",
                                      sw_code_name(WEXITSTATUS(st) - 10),
                                      sw_code_name(c->code));
                assert_int_equal(WEXITSTATUS(st), 0);
                if (c->text == NULL && strcmp(c->name, "directory") == 0)
                        rmdir(path);
                else
                        unlink(path);
        }
        rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_nothing_applied),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
