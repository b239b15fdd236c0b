/*
 * unit_cache.c - the compiled-filter cache through its library API: a
 * stored filter comes back byte for byte with its flags; every input of
 * the key changes it; what may not be cached is refused; a directory of
 * another user or open to others is refused.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
        char dir[64];
        sw_whitelist *wl;
        sw_filter *f;
        sw_cache *cache;
        const char *doc;
        size_t len;
};

static int setup(void **state)
{
        struct fixture *fx = calloc(1, sizeof(*fx));

        assert_non_null(fx);
        snprintf(fx->dir, sizeof(fx->dir), "/tmp/unit_cache-XXXXXX");
        assert_non_null(mkdtemp(fx->dir));
        fx->doc = sw_default_whitelist(&fx->len);
        assert_int_equal(sw_whitelist_load_buffer(fx->doc, fx->len, "default",
                                                  NULL, &fx->wl, NULL),
                         SW_SUCCESS);
        assert_int_equal(sw_compile(fx->wl, NULL, &fx->f, NULL), SW_SUCCESS);
        assert_int_equal(sw_cache_open(fx->dir, &fx->cache, NULL), SW_SUCCESS);
        *state = fx;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *fx = *state;
        char cmd[128];

        sw_cache_free(fx->cache);
        sw_filter_free(fx->f);
        sw_whitelist_free(fx->wl);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
        assert_int_equal(system(cmd), 0);
        free(fx);
        return 0;
}

static void test_round_trip(void **state)
{
        struct fixture *fx = *state;
        unsigned char key[SW_CACHE_KEY_SIZE];
        sw_filter *got = NULL;
        sw_error *err = NULL;
        unsigned flags = 0;

        sw_cache_key(fx->doc, fx->len, NULL, key);
        assert_int_equal(sw_cache_lookup(fx->cache, key, &got, &flags, &err),
                         SW_ENOENT);
        assert_null(got);
        assert_non_null(strstr(sw_error_message(err), "no cache entry"));
        sw_error_free(err);

        assert_int_equal(
                sw_cache_store(fx->cache, key, fx->f, SW_CACHE_CLEAN, NULL),
                SW_SUCCESS);
        assert_int_equal(sw_cache_lookup(fx->cache, key, &got, &flags, NULL),
                         SW_SUCCESS);
        assert_int_equal(flags, SW_CACHE_CLEAN);
        assert_int_equal(sw_filter_length(got), sw_filter_length(fx->f));
        assert_memory_equal(sw_filter_program(got), sw_filter_program(fx->f),
                            sw_filter_length(fx->f) * 8);
        assert_int_equal(sw_filter_arch(got), sw_filter_arch(fx->f));
        sw_filter_free(got);
        assert_string_equal(sw_cache_path(fx->cache), fx->dir);
}

/* Each input of the key, changed alone, gives another key. */
static void test_key_inputs(void **state)
{
        struct fixture *fx = *state;
        unsigned char base[SW_CACHE_KEY_SIZE], k[SW_CACHE_KEY_SIZE];
        sw_config *cfg = sw_config_new();
        char *copy = malloc(fx->len);

        assert_non_null(cfg);
        assert_non_null(copy);
        sw_cache_key(fx->doc, fx->len, cfg, base);
        sw_cache_key(fx->doc, fx->len, NULL, k);
        assert_memory_equal(base, k, sizeof(k));

        memcpy(copy, fx->doc, fx->len);
        copy[fx->len / 2] ^= 1;
        sw_cache_key(copy, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));
        sw_cache_key(fx->doc, fx->len - 1, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));

        sw_config_set_strict(cfg, true);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));
        sw_config_set_strict(cfg, false);

        assert_int_equal(sw_config_set_authority(cfg, "Someone"), SW_SUCCESS);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));
        assert_int_equal(sw_config_set_authority(cfg, "Security Agent"),
                         SW_SUCCESS);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_equal(base, k, sizeof(k));

        sw_config_set_landlock(cfg, false);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));
        sw_config_set_landlock(cfg, true);

        assert_int_equal(sw_config_set_backend(cfg, "libseccomp"), SW_SUCCESS);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));
        assert_int_equal(sw_config_set_backend(cfg, NULL), SW_SUCCESS);

        assert_int_equal(sw_config_set_arch(cfg, "aarch64"), SW_SUCCESS);
        sw_cache_key(fx->doc, fx->len, cfg, k);
        assert_memory_not_equal(base, k, sizeof(k));

        free(copy);
        sw_config_free(cfg);
}

/* A raw program was proven by nobody here: it is not cached. */
static void test_raw_refused(void **state)
{
        struct fixture *fx = *state;
        unsigned char key[SW_CACHE_KEY_SIZE] = {0};
        sw_filter *raw = NULL;
        sw_error *err = NULL;

        assert_int_equal(sw_filter_from_bpf(sw_filter_program(fx->f),
                                            sw_filter_length(fx->f) * 8, &raw,
                                            NULL),
                         SW_SUCCESS);
        assert_int_equal(sw_cache_store(fx->cache, key, raw, 0, &err),
                         SW_EPROTO);
        assert_string_equal(sw_error_message(err),
                            "only a proven filter without port restrictions "
                            "is cached");
        sw_error_free(err);
        sw_filter_free(raw);
}

static void test_exposed_dir_refused(void **state)
{
        struct fixture *fx = *state;
        sw_cache *c = NULL;
        sw_error *err = NULL;
        char want[160];

        assert_int_equal(chmod(fx->dir, 0707), 0);
        assert_int_equal(sw_cache_open(fx->dir, &c, &err), SW_EPERM);
        assert_null(c);
        snprintf(want, sizeof(want),
                 "the cache directory %s is writable by group or others "
                 "(mode 0707)",
                 fx->dir);
        assert_string_equal(sw_error_message(err), want);
        sw_error_free(err);
        assert_int_equal(chmod(fx->dir, 0700), 0);
}

static void test_default_dir(void **state)
{
        char *d;

        (void)state;
        assert_int_equal(setenv("SYSWALL_CACHE_DIR", "/x/y", 1), 0);
        d = sw_cache_default_dir();
        assert_string_equal(d, "/x/y");
        free(d);
        unsetenv("SYSWALL_CACHE_DIR");
        assert_int_equal(setenv("XDG_CACHE_HOME", "/xdg/", 1), 0);
        d = sw_cache_default_dir();
        assert_string_equal(d, "/xdg/syswall");
        free(d);
        /* A relative XDG_CACHE_HOME is ignored, as the XDG spec says. */
        assert_int_equal(setenv("XDG_CACHE_HOME", "rel", 1), 0);
        assert_int_equal(setenv("HOME", "/home/u", 1), 0);
        d = sw_cache_default_dir();
        assert_string_equal(d, "/home/u/.cache/syswall");
        free(d);
        unsetenv("XDG_CACHE_HOME");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_round_trip, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_key_inputs, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_raw_refused, setup,
                                                teardown),
                cmocka_unit_test_setup_teardown(test_exposed_dir_refused, setup,
                                                teardown),
                cmocka_unit_test(test_default_dir),
        };

        unsetenv("SYSWALL_CACHE_DIR");
        return cmocka_run_group_tests(tests, NULL, NULL);
}
