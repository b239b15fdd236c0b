/*
 * compile.h - what the compiler's modules share: the filter object, the
 * argument-block generator, the argument widths and the proof.
 *
 * How a whitelist becomes a program: argblock.c generates the argument
 * tests of CONDITIONAL rules; the native backend (codegen.c) puts them
 * under a search over number ranges of its own, the libseccomp backend
 * (compile.c explains why it is built so) splices them into libseccomp's
 * skeleton.  Either way prove.c checks the result.
 */
#ifndef SW_COMPILE_H
#define SW_COMPILE_H

#include "bpf.h"
#include "internal.h"

struct sw_filter {
        struct sock_filter *prog;
        size_t len;
        uint32_t arch; /* AUDIT_ARCH_* of the target; 0 when unknown */
        char *pfc;     /* the pseudo-code listing, or NULL */
        bool raw;      /* read as raw BPF (sw_filter_from_bpf), not compiled */
        bool proven;   /* checked against its whitelist */
        /* "native" or "libseccomp"; NULL for a raw program. */
        const char *backend;
        /* Per instruction: the whitelist rule whose argument block starts
         * there, or -1; NULL when not recorded (libseccomp, raw). */
        long *block_of;
        /* Port restrictions, enforced beside the program in-process
         * (netplan.c); NULL when the whitelist restricts no port. */
        struct sw_netprep *net;
};

/* The whitelist's target as an AUDIT_ARCH value (0 means native). */
uint32_t sw_wl_arch(const sw_whitelist *wl);

/*
 * Secondary ABIs (abi.c): refuse argument filters that a multiplexing
 * call (i386 socketcall and ipc) would let a caller go around.
 */
sw_code sw_abi_check(const sw_whitelist *wl, sw_error **err);

/* A growing program with symbolic jump targets (argblock.c). */
struct sw_asm;

/*
 * Generate the argument tests of one CONDITIONAL rule: allow when any
 * condition holds, otherwise return the rule's errno.  *out receives a
 * malloc'd program of *len instructions.
 */
sw_code sw_argblock(const struct sw_rule *rule, uint32_t arch,
                    struct sock_filter **out, size_t *len, sw_error **err);

/* Pseudo-code of the same block, for the listing (malloc'd). */
char *sw_argblock_pfc(const struct sw_rule *rule, uint32_t arch);

/*
 * The width (32 or 64) a comparison uses: "width" when the document
 * writes it, otherwise 64 (P1.2 section 3), whatever the kernel's
 * prototype says; check warns where that differs (lint.c).
 */
unsigned sw_argf_width(const struct sw_argf *f);

/* Does one argument filter hold for an argument value? */
bool sw_argf_holds(const struct sw_argf *f, unsigned width, uint64_t arg);

/*
 * The whitelist's own meaning: the action the kernel must take for a call
 * (AUDIT_ARCH arch, number nr, arguments args).
 */
uint32_t sw_policy_action(const sw_whitelist *wl, uint32_t arch, int nr,
                          const uint64_t args[6]);

/* errno 1-4095 for a DENY or CONDITIONAL rule i, else EPROTO naming it. */
sw_code sw_rule_errno_check(const sw_whitelist *wl, size_t i, sw_error **err);

/*
 * The error for a program of len instructions over the kernel's limit,
 * naming the rule whose cost[] (one entry per rule) is the highest.
 */
sw_code sw_size_error(const sw_whitelist *wl, size_t len, const size_t *cost,
                      sw_error **err);

/* Does the native backend (codegen.c) generate code for arch? */
bool sw_codegen_supports(uint32_t arch);

/*
 * The native backend: f->arch's program for wl, into f->prog, f->len and
 * f->block_of.  Refuses a program over the kernel's limit.
 */
sw_code sw_codegen(const sw_whitelist *wl, sw_filter *f, sw_error **err);

/* The proof (prove.c): run f on boundary inputs and compare with wl. */
sw_code sw_prove(const sw_whitelist *wl, const sw_filter *f, sw_error **err);

/*
 * Write libseccomp context ctx (a scmp_filter_ctx) to fd as BPF (pfc
 * false) or pseudo-code, in a child process where one can be forked
 * safely (scmp_export.c says why).  SW_EINTERNAL when it fails.
 */
sw_code sw_scmp_export(void *ctx, bool pfc, int fd, sw_error **err);

#endif /* SW_COMPILE_H */
