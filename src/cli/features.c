/*
 * features.c - `syswall features`: what the running kernel offers for
 * enforcement, as text or JSON.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
        fprintf(out,
                "usage: %s features [--json]\n\n"
                "Report what the running kernel offers syswall:\n"
                "  seccomp actions     from /proc/sys/kernel/seccomp/actions_avail\n"
                "  user notification   SECCOMP_RET_USER_NOTIF with a listener (the supervisor)\n"
                "  wait killable       SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (no\n"
                "                      repeated calls after signals)\n"
                "  fd injection        SECCOMP_IOCTL_NOTIF_ADDFD\n"
                "  sync wake up        SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (faster round trips)\n"
                "  pidfd_getfd         the supervisor acts on the caller's own socket\n"
                "  Landlock            ABI version; ABI 4+ judges TCP connect/bind ports\n"
                "and which mechanism port restrictions use here.  Exit status 0, or a\n"
                "P1.7 code on failure.\n\n"
                "options:\n"
                "  --json      the same as one JSON object\n"
                "  -h, --help  show this help\n",
                sw_prog);
}

static const char *yes(bool b)
{
        return b ? "yes" : "no";
}

static const char *port_mechanism(const sw_features *f)
{
        if (f->landlock_net && f->user_notif && f->pidfd_getfd)
                return "Landlock for TCP connect/bind, supervisor for the rest";
        if (f->user_notif && f->pidfd_getfd)
                return "supervisor only (no Landlock network rules)";
        if (f->landlock_net)
                return "Landlock only (TCP connect/bind; run refuses the rest)";
        return "none: whitelists with port restrictions are refused";
}

static int print_json(const sw_features *f)
{
        json_t *o = json_pack(
                "{s:b, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:i, s:b, s:s}",
                "seccomp_filter", f->seccomp_filter, "seccomp_actions",
                f->actions, "user_notif", f->user_notif, "wait_killable",
                f->wait_killable, "notif_addfd", f->notif_addfd, "sync_wake_up",
                f->sync_wake_up, "pidfd_getfd", f->pidfd_getfd, "pidfd_thread",
                f->pidfd_thread, "landlock_abi", f->landlock_abi,
                "landlock_net", f->landlock_net, "port_restrictions",
                port_mechanism(f));
        char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;

        json_decref(o);
        if (s == NULL) {
                fprintf(stderr, "%s: features: out of memory [EINTERNAL]\n",
                        sw_prog);
                return SW_EINTERNAL;
        }
        printf("%s\n", s);
        free(s);
        return 0;
}

static void print_text(const sw_features *f)
{
        printf("seccomp filter:      %s\n", yes(f->seccomp_filter));
        printf("seccomp actions:     %s\n", *f->actions ? f->actions : "?");
        printf("user notification:   %s\n", yes(f->user_notif));
        printf("wait killable:       %s\n", yes(f->wait_killable));
        printf("fd injection:        %s\n", yes(f->notif_addfd));
        printf("sync wake up:        %s\n", yes(f->sync_wake_up));
        printf("pidfd_getfd:         %s\n", yes(f->pidfd_getfd));
        printf("pidfd for threads:   %s\n", yes(f->pidfd_thread));
        if (f->landlock_abi)
                printf("Landlock:            ABI %d%s\n", f->landlock_abi,
                       f->landlock_net ? " (TCP port rules)" : "");
        else
                printf("Landlock:            no\n");
        printf("port restrictions:   %s\n", port_mechanism(f));
}

int cmd_features(int argc, char **argv)
{
        bool json = false;
        sw_features f;
        sw_error *err = NULL;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--json") == 0) {
                        json = true;
                } else if (strcmp(argv[i], "--help") == 0 ||
                           strcmp(argv[i], "-h") == 0) {
                        usage(stdout);
                        return 0;
                } else {
                        return cli_usage_error("features",
                                               "unknown option '%s'", argv[i]);
                }
        }
        if (sw_features_probe(&f, &err) != SW_SUCCESS) {
                int code = sw_error_code(err);

                cli_print_error("features", err);
                sw_error_free(err);
                return code;
        }
        if (json)
                return print_json(&f);
        print_text(&f);
        return 0;
}
