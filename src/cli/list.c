/*
 * list.c - `syswall list`: the rules of a whitelist, as a table.
 */
#include "cli.h"
#include "internal.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
        fprintf(out,
                "usage: %s list FILE [--category C] [--tokio] [--arch ARCH]\n"
                "                    [--authority NAME]\n"
                "\n"
                "Check FILE like `syswall check` and print its rules, one per line:\n"
                "the name, its number on the target architecture (- when the call does not\n"
                "exist there), the permission, the category, whether an async runtime needs\n"
                "it, the errno of a denial and a summary of the conditions.\n"
                "\n"
                "options:\n"
                "  --category C   only rules of category C (memory, file_io, process,\n"
                "                 network, time, signals, misc, tokio_runtime)\n"
                "  --tokio        only rules marked tokio_required\n"
                "  --arch ARCH    resolve numbers for ARCH (x86_64, aarch64, x86, riscv64)\n"
                "  --authority N  the policy authority (default \"%s\")\n"
                "  -h, --help     show this help\n"
                "\n"
                "Exit status: 0, or the P1.7 code of the problem that stopped reading.\n",
                sw_prog, SW_DEFAULT_AUTHORITY);
}

static const char *const category_words[] = {
        "memory", "file_io", "process", "network",
        "time",   "signals", "misc",    "tokio_runtime",
};

static size_t describe_arg(const struct sw_argf *a, size_t j, char *buf,
                           size_t size)
{
        int n;

        if (a->op == SW_OP_MASKED_EQ)
                n = snprintf(buf, size, "%sarg%u & 0x%llx == 0x%llx",
                             j ? " && " : "", a->index,
                             (unsigned long long)a->mask,
                             (unsigned long long)a->value);
        else
                n = snprintf(buf, size, "%sarg%u %s 0x%llx", j ? " && " : "",
                             a->index, sw_op_name(a->op),
                             (unsigned long long)a->value);
        return n < 0 ? 0 : (size_t)n;
}

static void summarise(const struct sw_rule *r, char *buf, size_t size)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < r->nconds && used < size; i++) {
                const struct sw_cond *c = &r->conds[i];

                used += (size_t)snprintf(buf + used, size - used, "%s(",
                                         i ? " | " : "");
                for (size_t j = 0; j < c->nargs && used < size; j++)
                        used += describe_arg(&c->args[j], j, buf + used,
                                             size - used);
                if (c->ports && c->ports->count && used < size)
                        used += (size_t)snprintf(
                                buf + used, size - used, "%sports %u%s",
                                c->nargs ? " && " : "", c->ports->ports[0],
                                c->ports->count > 1 ? ",..." : "");
                if (used < size)
                        used += (size_t)snprintf(buf + used, size - used, ")");
        }
}

static void print_rule(const struct sw_rule *r)
{
        const char *cat = sw_category_name(r->category);
        const char *err =
                r->perm == SW_ALLOW ? "-" : strerrorname_np(r->err_no);
        char nr[16] = "-", conds[160];

        if (r->nr >= 0)
                snprintf(nr, sizeof(nr), "%d", r->nr);
        summarise(r, conds, sizeof(conds));
        printf("%-24s %6s  %-11s  %-13s  %-5s  ", r->name, nr,
               sw_permission_name(r->perm), cat ? cat : "-",
               r->tokio ? "tokio" : "-");
        if (*conds)
                printf("%-12s  %s\n", err, conds);
        else
                printf("%s\n", err);
}

struct list_opts {
        const char *category;
        bool tokio;
        sw_config *cfg;
};

static int parse(int argc, char **argv, struct list_opts *o)
{
        static const struct option longopts[] = {
                {"category", required_argument, NULL, 'c'},
                {"tokio", no_argument, NULL, 't'},
                {"arch", required_argument, NULL, 'a'},
                {"authority", required_argument, NULL, 'A'},
                {"help", no_argument, NULL, 'h'},
                {NULL, 0, NULL, 0},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
                if (c == 'c') {
                        o->category = optarg;
                } else if (c == 't') {
                        o->tokio = true;
                } else if (c == 'a') {
                        if (sw_config_set_arch(o->cfg, optarg))
                                return cli_bad_arch("list", optarg);
                } else if (c == 'A') {
                        if (sw_config_set_authority(o->cfg, optarg))
                                return cli_out_of_memory("list");
                } else if (c == 'h') {
                        usage(stdout);
                        return -1;
                } else {
                        return cli_bad_option("list", c, argv);
                }
        }
        return SW_SUCCESS;
}

static int check_category(const char *cat)
{
        const char *near;

        for (size_t i = 0; i < SW_ARRAY_SIZE(category_words); i++)
                if (strcmp(cat, category_words[i]) == 0)
                        return SW_SUCCESS;
        near = sw_suggest(cat, category_words, SW_ARRAY_SIZE(category_words));
        cli_fail("list", SW_EPROTO, "unknown category '%s'", cat);
        if (near)
                fprintf(stderr, "  hint: did you mean '%s'?\n", near);
        return SW_EPROTO;
}

static int list_file(const char *file, const struct list_opts *o)
{
        sw_whitelist *wl = NULL;
        sw_report *rep = NULL;
        sw_code rc = sw_whitelist_load_file(file, o->cfg, &wl, &rep);

        cli_print_report(rep, NULL, false);
        if (rc != SW_SUCCESS) {
                sw_report_free(rep);
                return rc;
        }
        printf("%-24s %6s  %-11s  %-13s  %-5s  %-12s  %s\n", "NAME", "NR",
               "PERMISSION", "CATEGORY", "TOKIO", "ERRNO", "CONDITIONS");
        for (size_t i = 0; i < wl->nrules; i++) {
                const struct sw_rule *r = &wl->rules[i];

                if (o->tokio && !r->tokio)
                        continue;
                if (o->category &&
                    (!sw_category_name(r->category) ||
                     strcmp(sw_category_name(r->category), o->category) != 0))
                        continue;
                print_rule(r);
        }
        sw_whitelist_free(wl);
        sw_report_free(rep);
        return SW_SUCCESS;
}

int cmd_list(int argc, char **argv)
{
        struct list_opts o = {.cfg = sw_config_new()};
        int rc;

        if (o.cfg == NULL)
                return cli_out_of_memory("list");
        rc = parse(argc, argv, &o);
        if (rc == SW_SUCCESS && optind != argc - 1) {
                rc = cli_usage_error("list", "give exactly one FILE");
        }
        if (rc == SW_SUCCESS && o.category)
                rc = check_category(o.category);
        if (rc == SW_SUCCESS)
                rc = list_file(argv[optind], &o);
        sw_config_free(o.cfg);
        return rc < 0 ? 0 : rc;
}
