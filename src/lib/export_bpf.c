/*
 * export_bpf.c - the compiled and proven program of a whitelist as raw
 * BPF (what bwrap --seccomp FD and systemd read) or as a C initializer.
 */
#include "interop.h"

#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

/* A C identifier made of the whitelist id: "sw_filter_<id>". */
static char *c_ident(const char *id)
{
        char *n = sw_asprintf("sw_filter_%s", id);

        for (char *c = n; c && *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9')))
                        *c = '_';
        return n;
}

static char *c_source(const sw_whitelist *wl, const sw_config *cfg,
                      const struct sock_filter *prog, size_t n, size_t *len)
{
        char *name = c_ident(wl->id), *text = NULL;
        size_t cap = 512 + n * 48 + strlen(wl->id) * 4, off;

        if (name)
                text = malloc(cap);
        if (text == NULL) {
                free(name);
                return NULL;
        }
        off = (size_t)snprintf(text, cap,
                               "/* seccomp-BPF program of whitelist %s for "
                               "%s, written by\n"
                               " * syswall export --format c.  Install it "
                               "with prctl(PR_SET_NO_NEW_PRIVS)\n"
                               " * and seccomp(SECCOMP_SET_MODE_FILTER). */\n"
                               "#include <linux/filter.h>\n\n"
                               "#define %s_LEN %zu\n\n"
                               "static const struct sock_filter %s[%s_LEN] = "
                               "{\n",
                               wl->id, sw_config_arch(cfg), name, n, name,
                               name);
        for (size_t i = 0; i < n; i++)
                off += (size_t)snprintf(
                        text + off, cap - off, "\t{0x%04x, %u, %u, 0x%08x},\n",
                        prog[i].code, prog[i].jt, prog[i].jf, prog[i].k);
        off += (size_t)snprintf(text + off, cap - off, "};\n");
        free(name);
        *len = off;
        return text;
}

sw_code ex_program(const sw_whitelist *wl, const sw_config *cfg,
                   sw_export_format fmt, char **out, size_t *len,
                   sw_error **err)
{
        sw_filter *f = NULL;
        const struct sock_filter *prog;
        sw_code rc = sw_compile(wl, cfg, &f, err);
        size_t n;

        if (rc != SW_SUCCESS)
                return rc;
        n = sw_filter_length(f);
        prog = sw_filter_program(f);
        if (fmt == SW_EXPORT_BPF) {
                *len = n * sizeof(*prog);
                *out = malloc(*len + 1);
                if (*out)
                        memcpy(*out, prog, *len);
        } else {
                *out = c_source(wl, cfg, prog, n, len);
        }
        sw_filter_free(f);
        if (*out == NULL)
                return sw_fail(err, SW_EINTERNAL, "out of memory");
        return SW_SUCCESS;
}
