/*
 * netreport.c - the network plan told to people (`check --net`) and to
 * tools (JSON): per restricted call, which mechanism judges which
 * sockets on this kernel, what a refused call sees, what cannot be
 * enforced and where.
 */
#include "net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *errno_name(int e)
{
        const char *n = strerrorname_np(e);

        return n ? n : "?";
}

static const char *rule_path(const struct sw_rule *r)
{
        return r && r->pos.path ? r->pos.path : "";
}

/* "5432" or "80, 443" or "1-1024" style; ports are sorted. */
static char *ports_text(const uint16_t *p, size_t n)
{
        char *s = sw_strdup("");

        for (size_t i = 0; s && i < n;) {
                size_t j = i;
                char *t;

                while (j + 1 < n && p[j + 1] == p[j] + 1)
                        j++;
                if (j > i + 1)
                        t = sw_asprintf("%s%s%u-%u", s, *s ? ", " : "", p[i],
                                        p[j]);
                else
                        t = sw_asprintf("%s%s%u", s, *s ? ", " : "", p[i]);
                free(s);
                s = t;
                i = j > i + 1 ? j + 1 : i + 1;
        }
        return s;
}

static const char *families_text(unsigned f)
{
        switch (f & (SW_FAM_UNIX | SW_FAM_NETLINK)) {
        case SW_FAM_UNIX:
                return "AF_UNIX";
        case SW_FAM_NETLINK:
                return "AF_NETLINK";
        case SW_FAM_UNIX | SW_FAM_NETLINK:
                return "AF_UNIX, AF_NETLINK";
        default:
                return "none";
        }
}

static int refusal_errno(const struct sw_netcall_plan *cp)
{
        return cp->own ? cp->own->err_no : cp->sock->err_no;
}

/* The supervised mechanism of one call, as one sentence. */
static char *supervised_text(const struct sw_netplan *p, enum sw_netcall c)
{
        const struct sw_netcall_plan *cp = &p->calls[c];
        const char *e = errno_name(refusal_errno(cp));

        if (cp->landlock)
                return sw_asprintf(
                        "TCP: Landlock ABI %d in the kernel "
                        "(EACCES); UDP and other sockets: supervisor "
                        "(%s)",
                        p->landlock_abi, e);
        if (c == SW_NC_SENDTO && cp->null_fast)
                return sw_asprintf(
                        "supervisor (%s); a NULL destination "
                        "(connected socket) is allowed by the filter "
                        "without a round trip",
                        e);
        return sw_asprintf("supervisor (%s)", e);
}

static char *in_process_text(const struct sw_netplan *p, enum sw_netcall c)
{
        const struct sw_netcall_plan *cp = &p->calls[c];

        if (!cp->pure)
                return sw_strdup("not possible (needs the supervisor)");
        if (cp->landlock)
                return sw_asprintf("TCP: Landlock ABI %d (EACCES); sockets "
                                   "Landlock cannot judge are refused at "
                                   "socket() (EACCES)",
                                   p->landlock_abi);
        if (c == SW_NC_CONNECT || c == SW_NC_BIND)
                return sw_strdup(
                        "not possible (Landlock network rules unavailable)");
        return sw_strdup("only TCP sockets can be created (socket() refuses "
                         "others with EACCES); TCP Fast Open refused");
}

static sw_code add_json_call(json_t *arr, const struct sw_netplan *sup,
                             const struct sw_netplan *inp, enum sw_netcall c)
{
        const struct sw_netcall_plan *cp = &sup->calls[c];
        char *sv = supervised_text(sup, c);
        char *ip = in_process_text(inp, c);
        json_t *ports = json_array();
        json_t *o;

        for (size_t i = 0; cp->pure && ports && i < cp->nports; i++)
                json_array_append_new(ports, json_integer(cp->ports[i]));
        o = json_pack("{s:s, s:s, s:s, s:b, s:o?, s:s, s:s, s:s, s:s}", "call",
                      sw_netcall_name(c), "rule", rule_path(cp->own),
                      "socket_rule", rule_path(cp->sock), "pure", cp->pure,
                      "ports", cp->pure ? ports : NULL, "families",
                      families_text(cp->pure ? cp->families : 0), "errno",
                      errno_name(refusal_errno(cp)), "supervised", sv ? sv : "",
                      "in_process", ip ? ip : "");
        if (!cp->pure)
                json_decref(ports);
        free(sv);
        free(ip);
        if (o == NULL || json_array_append_new(arr, o) != 0)
                return SW_EINTERNAL;
        return SW_SUCCESS;
}

static char *describe_json(const struct sw_netplan *sup,
                           const struct sw_netplan *inp)
{
        json_t *calls = json_array();
        json_t *root;
        char *s;

        for (int c = 0; calls && c < SW_NC_COUNT; c++)
                if (sup->calls[c].restricted &&
                    add_json_call(calls, sup, inp, (enum sw_netcall)c)) {
                        json_decref(calls);
                        return NULL;
                }
        root = json_pack("{s:b, s:i, s:b, s:o, s:s, s:{s:b, s:s?}, "
                         "s:{s:b, s:s?}}",
                         "restricted", sup->any, "landlock_abi",
                         sup->landlock_abi, "landlock_used", sup->use_landlock,
                         "calls", calls, "io_uring",
                         sup->any ? "refused (EPERM)" : "not affected",
                         "supervised", "ok", sup->problem == NULL, "problem",
                         sup->problem, "in_process", "ok", inp->problem == NULL,
                         "problem", inp->problem);
        if (root == NULL)
                return NULL;
        s = json_dumps(root, JSON_INDENT(2));
        json_decref(root);
        return s;
}

/* Append a formatted line to *buf (NULL stays NULL on failure). */
static void put(char **buf, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void put(char **buf, const char *fmt, ...)
{
        va_list ap;
        char *line;
        char *t;

        if (*buf == NULL)
                return;
        va_start(ap, fmt);
        line = sw_vasprintf(fmt, ap);
        va_end(ap);
        t = line ? sw_asprintf("%s%s", *buf, line) : NULL;
        free(line);
        free(*buf);
        *buf = t;
}

static void text_call(char **b, const struct sw_netplan *sup,
                      const struct sw_netplan *inp, enum sw_netcall c)
{
        const struct sw_netcall_plan *cp = &sup->calls[c];
        char *sv = supervised_text(sup, c);
        char *ip = in_process_text(inp, c);
        char *ports = cp->pure ? ports_text(cp->ports, cp->nports) : NULL;

        put(b, "%s (%s%s%s):\n", sw_netcall_name(c), rule_path(cp->own),
            cp->own && cp->sock ? " and " : "", cp->sock ? "socket rule" : "");
        if (c == SW_NC_SENDMMSG && cp->own &&
            cp->own == sup->calls[SW_NC_SENDMSG].own)
                put(b,
                    "  held to sendmsg's rule (sendmmsg is sendmsg in a batch)\n");
        if (cp->pure)
                put(b, "  ports: %s; families without ports allowed: %s\n",
                    ports ? ports : "?", families_text(cp->families));
        else
                put(b, "  ports and argument filters per condition\n");
        put(b, "  under run/sw_spawn: %s\n", sv ? sv : "?");
        put(b, "  in-process (sw_apply_file): %s\n", ip ? ip : "?");
        free(sv);
        free(ip);
        free(ports);
}

static char *describe_text(const struct sw_netplan *sup,
                           const struct sw_netplan *inp)
{
        char *b = sw_strdup("");

        if (!sup->any) {
                put(&b,
                    "no port restrictions: nothing for Landlock or the supervisor to do\n");
                return b;
        }
        put(&b, "kernel: Landlock ABI %d%s\n", sup->landlock_abi,
            sup->use_landlock ? " (network rules used)"
                              : " (network rules not used)");
        for (int c = 0; c < SW_NC_COUNT; c++)
                if (sup->calls[c].restricted)
                        text_call(&b, sup, inp, (enum sw_netcall)c);
        put(&b, "families: IPv4, IPv6 and v4-mapped IPv6 are judged by "
                "port; AF_UNIX, AF_NETLINK and other families without "
                "ports are refused unless allowed_families names them\n");
        put(&b, "io_uring: refused (EPERM) while ports are restricted\n");
        put(&b, "under run/sw_spawn: %s\n",
            sup->problem ? sup->problem : "enforceable");
        put(&b, "in-process: %s\n",
            inp->problem ? inp->problem : "enforceable");
        return b;
}

sw_code sw_netplan_describe(const sw_whitelist *wl, const sw_config *cfg,
                            bool json, char **out, sw_error **err)
{
        struct sw_netplan *sup = NULL;
        struct sw_netplan *inp = NULL;
        sw_code rc;

        *out = NULL;
        rc = sw_netplan_build(wl, cfg, SW_NET_SUPERVISED, &sup, err);
        if (rc == SW_SUCCESS)
                rc = sw_netplan_build(wl, cfg, SW_NET_IN_PROCESS, &inp, err);
        if (rc == SW_SUCCESS) {
                *out = json ? describe_json(sup, inp) : describe_text(sup, inp);
                if (*out == NULL)
                        rc = sw_fail(err, SW_EINTERNAL, "out of memory");
        }
        sw_netplan_free(sup);
        sw_netplan_free(inp);
        return rc;
}
