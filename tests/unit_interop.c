/*
 * unit_interop.c - the import and export API: exact values, codes, report
 * entries (tests/cli_interop.sh runs the real consumers).
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_path[64];

/* Write text to a fresh temporary file; returns its path. */
static const char *write_tmp(const char *text)
{
        int fd;

        snprintf(tmp_path, sizeof(tmp_path), "/tmp/sw-unit-interop-XXXXXX");
        fd = mkstemp(tmp_path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        return tmp_path;
}

/* The index of the first report entry with this check, or -1. */
static long find_check(const sw_report *rep, const char *check)
{
        for (size_t i = 0; i < sw_report_count(rep); i++)
                if (strcmp(sw_report_check(rep, i), check) == 0)
                        return (long)i;
        return -1;
}

static json_t *rule_of(json_t *doc, const char *name)
{
        size_t i;
        json_t *r;

        json_array_foreach(
                json_object_get(doc, "syscalls"), i,
                r) if (strcmp(json_string_value(json_object_get(r, "name")),
                              name) == 0) return r;
        return NULL;
}

static json_t *import_one(const char *path, sw_report **rep)
{
        sw_import_options o = {.arch = "x86_64", .kernel = "6.1"};
        sw_import *imp = NULL;
        sw_error *err = NULL;
        json_t *doc;

        assert_int_equal(
                sw_import_file(path, SW_IMPORT_OCI, &o, &imp, rep, &err),
                SW_SUCCESS);
        assert_int_equal(sw_import_count(imp), 1);
        assert_null(sw_import_name(imp, 0));
        doc = json_loads(sw_import_json(imp, 0), 0, NULL);
        assert_non_null(doc);
        sw_import_free(imp);
        return doc;
}

/* Numbers above 2^63 are read exactly; digits in strings stay strings. */
static void test_import_u64(void **state)
{
        const char *path = write_tmp(
                "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"syscalls\": "
                "[{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
                " {\"names\": [\"personality\"], \"action\": "
                "\"SCMP_ACT_ALLOW\", \"comment\": \"\\\" 12345678901234567890"
                "123\", \"args\": [{\"index\": 0, \"value\": "
                "18446744073709551615, \"op\": \"SCMP_CMP_EQ\"}]}]}");
        sw_report *rep = NULL;
        json_t *doc = import_one(path, &rep), *r, *f;

        (void)state;
        r = rule_of(doc, "personality");
        assert_string_equal(json_string_value(json_object_get(r, "permission")),
                            "CONDITIONAL");
        assert_string_equal(
                json_string_value(json_object_get(r, "description")),
                "\" 12345678901234567890123");
        f = json_array_get(
                json_object_get(
                        json_array_get(json_object_get(r, "conditions"), 0),
                        "argument_filter"),
                0);
        assert_string_equal(json_string_value(json_object_get(f, "value")),
                            "0xffffffffffffffff");
        json_decref(doc);
        sw_report_free(rep);
        unlink(path);
}

/* Each change of meaning is a report entry at the source's path. */
static void test_import_report(void **state)
{
        sw_report *rep = NULL;
        json_t *doc =
                import_one(tu_src("tests/data/oci-same-index.json"), &rep);
        long i;

        (void)state;
        i = find_check(rep, "import-same-index");
        assert_true(i >= 0);
        assert_int_equal(sw_report_severity(rep, (size_t)i), SW_SEV_WARNING);
        assert_string_equal(sw_report_path(rep, (size_t)i), "syscalls[1]");
        i = find_check(rep, "import-absent");
        assert_true(i >= 0);
        assert_int_equal(sw_report_severity(rep, (size_t)i), SW_SEV_NOTE);
        assert_string_equal(sw_report_path(rep, (size_t)i),
                            "syscalls[5].names[0]");
        assert_string_equal(sw_report_message(rep, (size_t)i),
                            "'recv' is no system call on x86_64: dropped");
        assert_null(rule_of(doc, "kill")); /* TRAP: killed, so unlisted */
        json_decref(doc);
        sw_report_free(rep);
}

static void test_import_errors(void **state)
{
        sw_import_options fc = {.thread = "nope"};
        sw_import *imp = NULL;
        sw_error *err = NULL;
        const char *path;

        (void)state;
        assert_int_equal(sw_import_file("/nonexistent/x.json", SW_IMPORT_OCI,
                                        NULL, &imp, NULL, &err),
                         SW_ENOENT);
        assert_null(imp);
        sw_error_free(err);
        err = NULL;

        path = write_tmp("{\"defaultAction\": \"SCMP_ACT_KILL\",\n  oops}");
        assert_int_equal(
                sw_import_file(path, SW_IMPORT_OCI, NULL, &imp, NULL, &err),
                SW_EPROTO);
        assert_int_equal(sw_error_line(err), 2);
        sw_error_free(err);
        err = NULL;

        path = write_tmp("{\"vmm\": {\"default_action\": \"trap\", "
                         "\"filter_action\": \"allow\", \"filter\": []}}");
        assert_int_equal(sw_import_file(path, SW_IMPORT_FIRECRACKER, &fc, &imp,
                                        NULL, &err),
                         SW_ENOENT);
        assert_string_equal(sw_error_message(err),
                            "no thread filter named 'nope'");
        sw_error_free(err);
        unlink(path);
}

static sw_whitelist *load(const char *rel, sw_config *cfg)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;

        assert_int_equal(sw_whitelist_load_file(tu_src(rel), cfg, &wl, &rep),
                         SW_SUCCESS);
        sw_report_free(rep);
        return wl;
}

/* A port restriction is refused, or exported with the loss stated. */
static void test_export_ports(void **state)
{
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = load("tests/data/ports.json", cfg);
        sw_export_options loss = {.allow_loss = true};
        sw_report *rep = NULL;
        sw_error *err = NULL;
        char *out = NULL;
        size_t len = 0;
        long i;

        (void)state;
        assert_int_equal(
                sw_export(wl, cfg, SW_EXPORT_OCI, NULL, &out, &len, &rep, &err),
                SW_EPROTO);
        assert_null(out);
        i = find_check(rep, "export-loss");
        assert_true(i >= 0);
        assert_int_equal(sw_report_severity(rep, (size_t)i), SW_SEV_ERROR);
        assert_string_equal(sw_report_path(rep, (size_t)i),
                            "syscalls[1].conditions[0]");
        assert_string_equal(sw_error_path(err), "syscalls[1].conditions[0]");
        sw_report_free(rep);
        sw_error_free(err);
        err = NULL;

        assert_int_equal(sw_export(wl, cfg, SW_EXPORT_OCI, &loss, &out, &len,
                                   &rep, &err),
                         SW_SUCCESS);
        assert_int_equal(sw_report_count_severity(rep, SW_SEV_WARNING), 1);
        assert_int_equal(strlen(out), len);
        free(out);
        sw_report_free(rep);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
}

/* Raw BPF is exactly the program the compiler made and proved. */
static void test_export_bpf(void **state)
{
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = load("tests/data/consumer.json", cfg);
        sw_filter *f = NULL;
        sw_error *err = NULL;
        char *out = NULL;
        size_t len = 0;

        (void)state;
        assert_int_equal(sw_compile(wl, cfg, &f, &err), SW_SUCCESS);
        assert_int_equal(
                sw_export(wl, cfg, SW_EXPORT_BPF, NULL, &out, &len, NULL, &err),
                SW_SUCCESS);
        assert_int_equal(len, sw_filter_length(f) * 8);
        assert_memory_equal(out, sw_filter_program(f), len);
        free(out);
        sw_filter_free(f);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
}

/* OCI numbers are JSON integers up to 2^64 - 1, as runc reads them. */
static void test_export_u64(void **state)
{
        static const char doc[] =
                "{\"schema_version\": \"1.0\", \"whitelist_id\": \"u64\", "
                "\"created_at\": \"2026-01-15T10:00:00Z\", \"created_by\": "
                "\"Security Agent\", \"syscalls\": [{\"name\": \"write\", "
                "\"permission\": \"ALLOW\"}, {\"name\": \"personality\", "
                "\"permission\": \"CONDITIONAL\", \"conditions\": "
                "{\"description\": \"query\", \"argument_filter\": "
                "{\"arg_index\": 0, \"operator\": \"ne\", \"value\": "
                "\"0xffffffffffffffff\"}}}]}";
        sw_config *cfg = sw_config_new();
        sw_whitelist *wl = NULL;
        sw_error *err = NULL;
        char *out = NULL;
        size_t len = 0;

        (void)state;
        assert_int_equal(sw_whitelist_load_buffer(doc, strlen(doc), "u64", cfg,
                                                  &wl, NULL),
                         SW_SUCCESS);
        assert_int_equal(
                sw_export(wl, cfg, SW_EXPORT_OCI, NULL, &out, &len, NULL, &err),
                SW_SUCCESS);
        assert_non_null(strstr(out, "\"value\": 18446744073709551615,"));
        assert_null(strstr(out, "@@"));
        free(out);
        sw_whitelist_free(wl);
        sw_config_free(cfg);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_import_u64),
                cmocka_unit_test(test_import_report),
                cmocka_unit_test(test_import_errors),
                cmocka_unit_test(test_export_ports),
                cmocka_unit_test(test_export_bpf),
                cmocka_unit_test(test_export_u64),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
