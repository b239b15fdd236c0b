/*
 * unit_codes.c - P1.7 conversions both ways.
 */
#include "testutil.h"

#include <errno.h>
#include <string.h>

static void test_names_round_trip(void **state)
{
        static const char *names[] = {"SUCCESS",  "EAGAIN",    "EIO",
                                      "ENOENT",   "EPERM",     "EPROTO",
                                      "ETIMEOUT", "EINTERNAL", "EPANIC"};
        (void)state;

        for (int i = 0; i < SW_CODE_COUNT; i++) {
                sw_code c;

                assert_string_equal(sw_code_name((sw_code)i), names[i]);
                assert_true(sw_code_from_name(names[i], &c));
                assert_int_equal(c, i);
                assert_true(sw_code_from_int(i, &c));
                assert_int_equal(c, i);
        }
}

static void test_errno_mapping(void **state)
{
        (void)state;
        assert_int_equal(sw_code_to_errno(SW_SUCCESS), 0);
        assert_int_equal(sw_code_to_errno(SW_EAGAIN), EAGAIN);
        assert_int_equal(sw_code_to_errno(SW_EIO), EIO);
        assert_int_equal(sw_code_to_errno(SW_ENOENT), ENOENT);
        assert_int_equal(sw_code_to_errno(SW_EPERM), EPERM);
        assert_int_equal(sw_code_to_errno(SW_EPROTO), EPROTO);
        assert_int_equal(sw_code_to_errno(SW_ETIMEOUT), ETIMEDOUT);
        assert_int_equal(sw_code_to_errno(SW_EINTERNAL), ENOTRECOVERABLE);
        assert_int_equal(sw_code_to_errno(SW_EPANIC), EOWNERDEAD);
}

static void test_file_errno(void **state)
{
        (void)state;
        assert_int_equal(sw_code_of_file_errno(ENOENT), SW_ENOENT);
        assert_int_equal(sw_code_of_file_errno(ENOTDIR), SW_ENOENT);
        assert_int_equal(sw_code_of_file_errno(EACCES), SW_EPERM);
        assert_int_equal(sw_code_of_file_errno(EPERM), SW_EPERM);
        assert_int_equal(sw_code_of_file_errno(ENOMEM), SW_EINTERNAL);
        assert_int_equal(sw_code_of_file_errno(EISDIR), SW_EIO);
        assert_int_equal(sw_code_of_file_errno(0), SW_EIO);
}

static void test_out_of_range(void **state)
{
        sw_code c = SW_EIO;

        (void)state;
        assert_false(sw_code_from_int(9, &c));
        assert_false(sw_code_from_int(-1, &c));
        assert_false(sw_code_from_name("eproto", &c));
        assert_false(sw_code_from_name(NULL, &c));
        assert_int_equal(c, SW_EIO);
        assert_string_equal(sw_code_name((sw_code)42), "UNKNOWN");
        assert_string_equal(sw_code_describe(SW_EPROTO),
                            "the document breaks this format");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names_round_trip),
                cmocka_unit_test(test_errno_mapping),
                cmocka_unit_test(test_file_errno),
                cmocka_unit_test(test_out_of_range),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
