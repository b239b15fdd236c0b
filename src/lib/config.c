/*
 * config.c - how documents are read and filters built.
 */
#include "internal.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

struct arch_name {
        const char *name;
        uint32_t token;
};

static const struct arch_name arch_names[] = {
        {"x86_64", SCMP_ARCH_X86_64},   {"aarch64", SCMP_ARCH_AARCH64},
        {"x86", SCMP_ARCH_X86},         {"i386", SCMP_ARCH_X86},
        {"riscv64", SCMP_ARCH_RISCV64}, {"x32", SCMP_ARCH_X32},
        {"arm", SCMP_ARCH_ARM},         {"ppc64le", SCMP_ARCH_PPC64LE},
        {"s390x", SCMP_ARCH_S390X},
};

static const sw_config defaults = {
        .arch = 0, /* resolved to the native token on use */
        .strict = false,
        .authority = SW_DEFAULT_AUTHORITY,
};

const sw_config *sw_config_default(void)
{
        return &defaults;
}

sw_config *sw_config_new(void)
{
        sw_config *cfg = calloc(1, sizeof(*cfg));

        if (cfg == NULL)
                return NULL;
        cfg->arch = seccomp_arch_native();
        cfg->authority = strdup(SW_DEFAULT_AUTHORITY);
        if (cfg->authority == NULL) {
                free(cfg);
                return NULL;
        }
        return cfg;
}

void sw_config_free(sw_config *cfg)
{
        if (cfg == NULL)
                return;
        free(cfg->authority);
        sw_trust_free(cfg->trust);
        free(cfg);
}

sw_code sw_config_set_arch(sw_config *cfg, const char *arch)
{
        if (arch == NULL || strcmp(arch, "native") == 0) {
                cfg->arch = seccomp_arch_native();
                return SW_SUCCESS;
        }
        for (size_t i = 0; i < SW_ARRAY_SIZE(arch_names); i++) {
                if (strcmp(arch_names[i].name, arch) == 0) {
                        cfg->arch = arch_names[i].token;
                        return SW_SUCCESS;
                }
        }
        return SW_ENOENT;
}

/* Name of an architecture token, "unknown" if libsyswall has none. */
const char *sw_arch_name(uint32_t token)
{
        if (token == 0)
                token = seccomp_arch_native();
        for (size_t i = 0; i < SW_ARRAY_SIZE(arch_names); i++)
                if (arch_names[i].token == token)
                        return arch_names[i].name;
        return "unknown";
}

const char *sw_config_arch(const sw_config *cfg)
{
        return sw_arch_name(cfg ? cfg->arch : 0);
}

void sw_config_set_strict(sw_config *cfg, bool strict)
{
        cfg->strict = strict;
}

void sw_config_set_listing(sw_config *cfg, bool listing)
{
        cfg->no_listing = !listing;
}

sw_code sw_config_set_authority(sw_config *cfg, const char *name)
{
        char *copy = sw_strdup(name);

        if (copy == NULL)
                return SW_EINTERNAL;
        free(cfg->authority);
        cfg->authority = copy;
        return SW_SUCCESS;
}

sw_code sw_config_set_backend(sw_config *cfg, const char *name)
{
        if (name == NULL || strcmp(name, "default") == 0)
                cfg->backend = SW_BACKEND_DEFAULT;
        else if (strcmp(name, "native") == 0)
                cfg->backend = SW_BACKEND_NATIVE;
        else if (strcmp(name, "libseccomp") == 0)
                cfg->backend = SW_BACKEND_LIBSECCOMP;
        else
                return SW_ENOENT;
        return SW_SUCCESS;
}
