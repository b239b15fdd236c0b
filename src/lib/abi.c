/*
 * abi.c - secondary ABIs and multiplexing system calls.
 *
 * A filter is built for one architecture; calls from any other (i386
 * "int 0x80" or x32 from an x86_64 process) hit the bad-architecture
 * action, which kills the process.  A filter built for i386 (--arch x86)
 * meets another hole: socketcall(2) and ipc(2) carry the real call's
 * arguments in memory behind a pointer, where BPF cannot read them, so an
 * argument filter on socket() or semget() can be gone around by calling
 * socketcall() or ipc() instead.  Such a whitelist is refused unless the
 * multiplexer is denied (DENY, or not listed, which kills).
 */
#include "compile.h"

#include <seccomp.h>
#include <string.h>

static const char *const socket_calls[] = {
        "accept",      "accept4",    "bind",     "connect",  "getpeername",
        "getsockname", "getsockopt", "listen",   "recv",     "recvfrom",
        "recvmmsg",    "recvmsg",    "send",     "sendmmsg", "sendmsg",
        "sendto",      "setsockopt", "shutdown", "socket",   "socketpair",
};

static const char *const ipc_calls[] = {
        "msgctl", "msgget",     "msgrcv", "msgsnd", "semctl", "semget",
        "semop",  "semtimedop", "shmat",  "shmctl", "shmdt",  "shmget",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(name, list[i]) == 0)
                        return true;
        return false;
}

static const struct sw_rule *find_rule(const sw_whitelist *wl, const char *name)
{
        for (size_t i = 0; i < wl->nrules; i++)
                if (wl->rules[i].nr >= 0 &&
                    strcmp(wl->rules[i].name, name) == 0)
                        return &wl->rules[i];
        return NULL;
}

/* Is the multiplexer reachable (listed and not denied)? */
static bool mux_open(const sw_whitelist *wl, const char *mux)
{
        const struct sw_rule *r = find_rule(wl, mux);

        return r != NULL && r->perm != SW_DENY;
}

static sw_code refuse(const sw_whitelist *wl, const struct sw_rule *r,
                      const char *mux, sw_error **err)
{
        return sw_fail_at(
                err, SW_EPROTO, wl->file, r->pos.line, r->pos.column,
                r->pos.path,
                "deny the multiplexer (make it DENY or leave it out), or drop the argument filter",
                "%s (%s) filters arguments, but on x86 (i386) %s() "
                "reaches the same call with its arguments behind a "
                "pointer that seccomp cannot read",
                r->pos.path ? r->pos.path : "a rule", r->name, mux);
}

sw_code sw_abi_check(const sw_whitelist *wl, sw_error **err)
{
        if (sw_wl_arch(wl) != SCMP_ARCH_X86)
                return SW_SUCCESS;
        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                /* By name: libseccomp numbers socket() on i386 as a
                 * pseudo call, so the rule may be absent there. */
                if (r->perm != SW_CONDITIONAL)
                        continue;
                if (in_list(r->name, socket_calls,
                            SW_ARRAY_SIZE(socket_calls)) &&
                    mux_open(wl, "socketcall"))
                        return refuse(wl, r, "socketcall", err);
                if (in_list(r->name, ipc_calls, SW_ARRAY_SIZE(ipc_calls)) &&
                    mux_open(wl, "ipc"))
                        return refuse(wl, r, "ipc", err);
        }
        return SW_SUCCESS;
}

uint32_t sw_wl_arch(const sw_whitelist *wl)
{
        return wl->arch ? wl->arch : seccomp_arch_native();
}
